//! The fake server's side of SASL: PLAIN (any password, as before) and SCRAM-SHA-1/256/512 with
//! and without channel binding, written from RFC 5802 here with ring, apart from Natter's own
//! client code. Like a real server it checks the client's proof against its password, the GS2
//! flag against what it offered (a `y` when it offered -PLUS means someone stripped the offer)
//! and the channel-binding data against its own side of the TLS connection; then it answers
//! with the server-final message the [`Script`] asks for, right or wrong.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::{digest, hmac, pbkdf2};

use super::items::{attr, base64_decode, name};
use super::{Conn, Io, Script, note};

/// The server's SCRAM salt and iteration count.
const SALT: &[u8] = b"natter-fake-server-salt";
const ITERATIONS: u32 = 4096;

/// What the server sends once the client's proof checked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerFinal {
    /// `v=` with the right signature, in `<success/>`.
    Right,
    /// `v=` with the right signature, in a last `<challenge/>`, then an empty `<success/>`
    /// once the client answered it with an empty response (RFC 6120 §6.3.10).
    InChallenge,
    /// `v=` with a signature one bit off: what a server that does not know the password
    /// (someone in between) would have to send.
    Wrong,
    /// `<success/>` without any data.
    Missing,
    /// `e=other-error` in a last `<challenge/>`.
    Error,
}

#[derive(Debug, Clone, Copy)]
enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

impl Hash {
    fn of(mechanism: &str) -> Option<(Hash, bool)> {
        let plus = mechanism.ends_with("-PLUS");
        let hash = match mechanism.trim_end_matches("-PLUS") {
            "SCRAM-SHA-1" => Hash::Sha1,
            "SCRAM-SHA-256" => Hash::Sha256,
            "SCRAM-SHA-512" => Hash::Sha512,
            _ => return None,
        };
        Some((hash, plus))
    }

    fn algorithms(
        self,
    ) -> (
        hmac::Algorithm,
        pbkdf2::Algorithm,
        &'static digest::Algorithm,
    ) {
        match self {
            Hash::Sha1 => (
                hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
                pbkdf2::PBKDF2_HMAC_SHA1,
                &digest::SHA1_FOR_LEGACY_USE_ONLY,
            ),
            Hash::Sha256 => (
                hmac::HMAC_SHA256,
                pbkdf2::PBKDF2_HMAC_SHA256,
                &digest::SHA256,
            ),
            Hash::Sha512 => (
                hmac::HMAC_SHA512,
                pbkdf2::PBKDF2_HMAC_SHA512,
                &digest::SHA512,
            ),
        }
    }
}

const SUCCESS: &str = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'";

/// Which SASL profile carries the exchange: RFC 6120's, or SASL2's (XEP-0388), where the
/// first message is the `<initial-response/>` of `<authenticate/>` and the caller writes the
/// `<success/>` with the additional data this side returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    Sasl,
    Sasl2,
}

impl Framing {
    fn ns(self) -> &'static str {
        match self {
            Framing::Sasl => "urn:ietf:params:xml:ns:xmpp-sasl",
            Framing::Sasl2 => "urn:xmpp:sasl:2",
        }
    }

    fn first(self, item: &str) -> Option<Vec<u8>> {
        match self {
            Framing::Sasl => payload(item),
            Framing::Sasl2 => {
                let text = child_text(item, "initial-response").unwrap_or_default();
                payload(&format!("<initial-response>{text}</initial-response>"))
            }
        }
    }
}

/// The text of the first `<name>…</name>` inside an item.
pub(super) fn child_text<'a>(item: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let from = item.find(&open)? + open.len();
    let len = item[from..].find(&format!("</{name}>"))?;
    Some(&item[from..from + len])
}

/// Runs the exchange the client began with `auth` (an `<auth/>`, or a SASL2
/// `<authenticate/>`); `None` when it was refused, else the additional data SASL2's
/// `<success/>` is to carry (RFC 6120's was written already).
pub(super) async fn sign_in(
    conn: &mut Conn,
    auth: &str,
    script: &Script,
    framing: Framing,
) -> Option<Option<Vec<u8>>> {
    let mechanism = attr(auth, "mechanism").unwrap_or_default().to_owned();
    let Some(first) = framing.first(auth) else {
        return refuse(
            conn,
            "incorrect-encoding",
            "an <auth/> without data",
            framing,
        )
        .await;
    };
    if mechanism == "PLAIN" {
        if framing == Framing::Sasl {
            conn.write(
                format!("{SUCCESS}/>").as_bytes(),
                "received <auth/> (PLAIN), answered success",
            )
            .await;
        }
        return Some(None);
    }
    let Some((hash, plus)) = Hash::of(&mechanism) else {
        return refuse(conn, "invalid-mechanism", &mechanism, framing).await;
    };
    let Some((gs2, first_bare, client_nonce)) = client_first(&first) else {
        return refuse(conn, "malformed-request", "client-first-message", framing).await;
    };
    if let Err(why) = check_gs2(&gs2, plus, script) {
        return refuse(conn, "not-authorized", &why, framing).await;
    }
    let nonce = format!("{client_nonce}fake-server-nonce");
    let server_first = format!("r={nonce},s={},i={ITERATIONS}", BASE64.encode(SALT));
    let challenge = format!(
        "<challenge xmlns='{}'>{}</challenge>",
        framing.ns(),
        BASE64.encode(&server_first)
    );
    conn.write(
        challenge.as_bytes(),
        &format!("{mechanism}: sent server-first"),
    )
    .await;

    let Some(response) = conn.next().await.filter(|i| name(i) == "response") else {
        return refuse(conn, "malformed-request", "no <response/>", framing).await;
    };
    let client_final = payload(&response).unwrap_or_default();
    let expected_binding = binding(conn, &gs2, script);
    let signature = match check_final(
        hash,
        script.password,
        &format!("{first_bare},{server_first}"),
        &client_final,
        &nonce,
        &expected_binding,
    ) {
        Ok(signature) => signature,
        Err(why) => return refuse(conn, "not-authorized", &why, framing).await,
    };
    note(
        &conn.log,
        format!("{mechanism}: the client's proof and binding check out"),
    );
    server_final(conn, script.server_final, signature, framing).await
}

/// Sends the server-final message as the script says (for SASL2, returns it as the
/// additional data); `Some` when the client is signed in.
async fn server_final(
    conn: &mut Conn,
    how: ServerFinal,
    mut signature: Vec<u8>,
    framing: Framing,
) -> Option<Option<Vec<u8>>> {
    let data = |signature: &[u8]| format!("v={}", BASE64.encode(signature)).into_bytes();
    match how {
        ServerFinal::Right | ServerFinal::Wrong => {
            if how == ServerFinal::Wrong {
                signature[0] ^= 1;
            }
            if framing == Framing::Sasl2 {
                return Some(Some(data(&signature)));
            }
            let success = format!("{SUCCESS}>{}</success>", BASE64.encode(data(&signature)));
            conn.write(success.as_bytes(), &format!("sent success ({how:?} v=)"))
                .await;
        }
        ServerFinal::Missing => {
            if framing == Framing::Sasl2 {
                return Some(None);
            }
            conn.write(format!("{SUCCESS}/>").as_bytes(), "sent success without v=")
                .await;
        }
        ServerFinal::InChallenge | ServerFinal::Error => {
            let content = match how {
                ServerFinal::Error => BASE64.encode("e=other-error"),
                _ => BASE64.encode(data(&signature)),
            };
            let challenge = format!("<challenge xmlns='{}'>{content}</challenge>", framing.ns());
            conn.write(
                challenge.as_bytes(),
                &format!("sent server-final ({how:?}) in a challenge"),
            )
            .await;
            let Some(response) = conn.next().await.filter(|i| name(i) == "response") else {
                note(&conn.log, "the client did not answer the last challenge");
                return None;
            };
            if payload(&response).is_some_and(|p| !p.is_empty()) {
                return refuse(
                    conn,
                    "malformed-request",
                    "a non-empty last response",
                    framing,
                )
                .await;
            }
            if framing == Framing::Sasl2 {
                return Some(None);
            }
            conn.write(format!("{SUCCESS}/>").as_bytes(), "sent an empty success")
                .await;
        }
    }
    Some(None)
}

/// Refuses the sign-in with `condition`; always `None`.
pub(super) async fn refuse(
    conn: &mut Conn,
    condition: &str,
    why: &str,
    framing: Framing,
) -> Option<Option<Vec<u8>>> {
    let failure = match framing {
        Framing::Sasl => {
            format!("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><{condition}/></failure>")
        }
        Framing::Sasl2 => format!(
            "<failure xmlns='urn:xmpp:sasl:2'><{condition} \
             xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></failure>"
        ),
    };
    conn.write(
        failure.as_bytes(),
        &format!("refused the sign-in ({condition}): {why}"),
    )
    .await;
    None
}

/// The base64 text of an `<auth/>` or `<response/>`; empty for `<response/>` or `=`.
fn payload(item: &str) -> Option<Vec<u8>> {
    let text = item.split_once('>')?.1;
    let text = text.rsplit_once("</").map_or("", |(t, _)| t).trim();
    if text.is_empty() || text == "=" {
        return Some(Vec::new());
    }
    base64_decode(text)
}

/// The client-first message: (GS2 header, client-first-message-bare, client nonce).
fn client_first(first: &[u8]) -> Option<(String, String, String)> {
    let text = std::str::from_utf8(first).ok()?;
    let mut parts = text.splitn(3, ',');
    let flag = parts.next()?;
    let authzid = parts.next()?;
    let bare = parts.next()?;
    let nonce = bare.split(',').find_map(|a| a.strip_prefix("r="))?;
    Some((
        format!("{flag},{authzid},"),
        bare.to_owned(),
        nonce.to_owned(),
    ))
}

/// What a real server checks of the GS2 flag against its own offer.
fn check_gs2(gs2: &str, plus: bool, script: &Script) -> Result<(), String> {
    let offered_plus = script.mechanisms.iter().any(|m| m.ends_with("-PLUS"));
    match gs2.split(',').next().unwrap_or_default() {
        "y" if offered_plus => Err("'y' although -PLUS was offered: a downgrade".into()),
        "y" | "n" if plus => Err(format!("{gs2} with a -PLUS mechanism")),
        "y" | "n" => Ok(()),
        flag => match flag.strip_prefix("p=") {
            Some(_) if !plus => Err(format!("{gs2} without a -PLUS mechanism")),
            Some(kind) if script.channel_bindings.contains(&kind) => Ok(()),
            Some(kind) => Err(format!("a binding not offered: {kind}")),
            None => Err(format!("GS2 header {gs2}")),
        },
    }
}

/// The server's own view of the binding the client named: the GS2 header and the data.
fn binding(conn: &Conn, gs2: &str, script: &Script) -> Vec<u8> {
    let mut expected = gs2.as_bytes().to_vec();
    if let Some(kind) = gs2.split(',').next().and_then(|f| f.strip_prefix("p=")) {
        expected.extend(binding_data(conn, kind, script));
    }
    expected
}

/// The server's own side of the channel binding `kind` of this connection (empty for a
/// kind it does not know, or before TLS).
pub(super) fn binding_data(conn: &Conn, kind: &str, script: &Script) -> Vec<u8> {
    let Io::Tls(tls) = &conn.io else {
        return Vec::new();
    };
    let (_, server) = tls.get_ref();
    match kind {
        "tls-exporter" => server
            .export_keying_material(vec![0u8; 32], b"EXPORTER-Channel-Binding", None)
            .unwrap_or_default(),
        // The test certificates are signed with SHA-256 (ECDSA P-256): RFC 5929 §4.1.
        "tls-server-end-point" => {
            let leaf = script.identity.leaf_der();
            digest::digest(&digest::SHA256, &leaf).as_ref().to_vec()
        }
        _ => Vec::new(),
    }
}

/// Checks the client-final message; the server signature when it is right.
fn check_final(
    hash: Hash,
    password: &str,
    first_part: &str,
    client_final: &[u8],
    nonce: &str,
    expected_binding: &[u8],
) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(client_final).map_err(|_| "client-final not UTF-8")?;
    let (without_proof, proof) = text.rsplit_once(",p=").ok_or("no proof")?;
    let proof = BASE64.decode(proof).map_err(|_| "proof not base64")?;
    let attribute = |key: &str| {
        without_proof
            .split(',')
            .find_map(|a| a.strip_prefix(key))
            .unwrap_or_default()
            .to_owned()
    };
    if attribute("r=") != nonce {
        return Err("another nonce".into());
    }
    if BASE64.decode(attribute("c=")).ok().as_deref() != Some(expected_binding) {
        return Err("the channel binding does not match this connection".into());
    }
    let (mac, kdf, sha) = hash.algorithms();
    let mut salted = vec![0u8; sha.output_len()];
    let iterations = std::num::NonZeroU32::new(ITERATIONS).ok_or("no iterations")?;
    pbkdf2::derive(kdf, iterations, SALT, password.as_bytes(), &mut salted);
    let salted = hmac::Key::new(mac, &salted);
    let client_key = hmac::sign(&salted, b"Client Key");
    let stored_key = digest::digest(sha, client_key.as_ref());
    let auth_message = format!("{first_part},{without_proof}");
    let client_signature = hmac::sign(
        &hmac::Key::new(mac, stored_key.as_ref()),
        auth_message.as_bytes(),
    );
    let recovered: Vec<u8> = proof
        .iter()
        .zip(client_signature.as_ref())
        .map(|(p, s)| p ^ s)
        .collect();
    if digest::digest(sha, &recovered).as_ref() != stored_key.as_ref() {
        return Err("the client's proof is wrong (another password)".into());
    }
    let server_key = hmac::sign(&salted, b"Server Key");
    let signature = hmac::sign(
        &hmac::Key::new(mac, server_key.as_ref()),
        auth_message.as_bytes(),
    );
    Ok(signature.as_ref().to_vec())
}
