//! The fake server's side of SASL2 (XEP-0388), Bind 2 (XEP-0386) with stream management and
//! carbons inline, and FAST (XEP-0484) with the HT-SHA-256 mechanisms
//! (draft-schmaus-kitten-sasl-ht), written from the XEPs here, apart from Natter's own client
//! code. Tokens are kept per user-agent id in the two slots the XEP's implementation notes
//! describe ("current" and "new"), bound to the mechanism they were asked for, checked in
//! constant time, and shared by every server started from clones of one [`Sasl2`] (the next
//! sign-in may be to a server started afresh, as a real one keeps its tokens).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::hmac;

use super::items::attr;
use super::scram::{self, Framing, child_text};
use super::{Conn, Script, note};

/// What the server offers with SASL2, and the tokens it handed out.
#[derive(Debug, Clone)]
pub struct Sasl2 {
    /// Offer Bind 2, with stream management and carbons to enable inline.
    pub bind2: bool,
    /// The FAST mechanisms offered (none: no FAST).
    pub fast: Vec<&'static str>,
    /// Give a new token at each sign-in with a token (rotation), not only when asked.
    pub rotate: bool,
    /// The tokens handed out; shared by clones.
    pub tokens: Arc<Mutex<Tokens>>,
    /// Wait this long for the client before sending the features inside TLS, and note what
    /// it sent meanwhile ([`super::Transcript::authenticated_ahead`]).
    pub hold_features: Option<std::time::Duration>,
}

impl Sasl2 {
    /// SASL2 with Bind 2 and FAST (HT-SHA-256 with and without channel binding), as Prosody
    /// 0.13 offers them.
    pub fn full() -> Sasl2 {
        Sasl2 {
            bind2: true,
            fast: vec!["HT-SHA-256-EXPR", "HT-SHA-256-ENDP", "HT-SHA-256-NONE"],
            rotate: false,
            tokens: Arc::default(),
            hold_features: None,
        }
    }

    /// Forgets every token (a server whose tokens were revoked or expired).
    pub fn revoke_tokens(&self) {
        self.lock().clients.clear();
    }

    /// Tokens handed out, and sign-ins with a token, so far.
    pub fn counts(&self) -> (usize, usize) {
        let tokens = self.lock();
        (tokens.issued, tokens.used)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tokens> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Issued tokens by user-agent id.
#[derive(Debug, Default)]
pub struct Tokens {
    clients: HashMap<String, Slots>,
    issued: usize,
    used: usize,
    serial: usize,
}

#[derive(Debug, Default)]
struct Slots {
    current: Option<Issued>,
    new: Option<Issued>,
}

#[derive(Debug, Clone)]
struct Issued {
    mechanism: String,
    secret: String,
}

/// The `<authentication/>` feature for the features inside TLS.
pub(super) fn feature(script: &Script, sasl2: &Sasl2) -> String {
    let mut xml = String::from("<authentication xmlns='urn:xmpp:sasl:2'>");
    for m in &script.mechanisms {
        xml.push_str(&format!("<mechanism>{m}</mechanism>"));
    }
    xml.push_str("<inline>");
    if sasl2.bind2 {
        xml.push_str(
            "<bind xmlns='urn:xmpp:bind:0'><inline>\
             <feature var='urn:xmpp:carbons:2'/><feature var='urn:xmpp:sm:3'/>\
             </inline></bind>",
        );
    }
    if script.stream_management {
        xml.push_str("<sm xmlns='urn:xmpp:sm:3'/>");
    }
    if !sasl2.fast.is_empty() {
        xml.push_str("<fast xmlns='urn:xmpp:fast:0'>");
        for m in &sasl2.fast {
            xml.push_str(&format!("<mechanism>{m}</mechanism>"));
        }
        xml.push_str("</fast>");
    }
    xml.push_str("</inline></authentication>");
    xml
}

/// What a SASL2 sign-in established.
pub(super) struct Done {
    /// Bind 2 bound a resource.
    pub bound: bool,
    /// Stream management was enabled inline.
    pub stream_management: bool,
}

/// Runs the exchange `authenticate` began, then writes `<success/>` with what Bind 2 and FAST
/// give, and the features of the authenticated stream; `None` when it was refused.
pub(super) async fn sign_in(
    conn: &mut Conn,
    authenticate: &str,
    script: &Script,
    sasl2: &Sasl2,
    user: &str,
) -> Option<Done> {
    // Whichever quotes the client's serializer chose, the checks below read one kind.
    let authenticate = &authenticate.replace('"', "'");
    let mechanism = attr(authenticate, "mechanism")
        .unwrap_or_default()
        .to_owned();
    let client = child_attr(authenticate, "user-agent", "id").map(str::to_owned);
    let with_token = mechanism.starts_with("HT-");
    let data = if with_token {
        let Some(client) = &client else {
            refused(conn, "malformed-request", "a token without a user-agent id").await;
            return None;
        };
        let who = Who { user, client };
        token_sign_in(conn, authenticate, &mechanism, &who, script, sasl2).await?
    } else {
        scram::sign_in(conn, authenticate, script, Framing::Sasl2).await?
    };
    let request = child_attr(authenticate, "request-token", "mechanism")
        .filter(|m| sasl2.fast.contains(m))
        .map(str::to_owned);
    let token = match (client, request) {
        (Some(client), Some(m)) => Some(issue(sasl2, &client, &m)),
        (Some(client), None) if with_token && sasl2.rotate => {
            Some(issue(sasl2, &client, &mechanism))
        }
        _ => None,
    };
    let bind = authenticate.contains("<bind xmlns='urn:xmpp:bind:0'>") && sasl2.bind2;
    let sm = bind && authenticate.contains("<enable xmlns='urn:xmpp:sm:3'");
    let carbons = bind && authenticate.contains("<enable xmlns='urn:xmpp:carbons:2'");
    let tag = child_text(authenticate, "tag").unwrap_or("client");
    let mut success = String::from("<success xmlns='urn:xmpp:sasl:2'>");
    if let Some(data) = data {
        let data = BASE64.encode(data);
        success.push_str(&format!("<additional-data>{data}</additional-data>"));
    }
    let jid = match bind {
        true => format!("{user}/{tag}.fake"),
        false => user.to_owned(),
    };
    success.push_str(&format!(
        "<authorization-identifier>{jid}</authorization-identifier>"
    ));
    if bind {
        success.push_str("<bound xmlns='urn:xmpp:bind:0'>");
        if sm {
            let resume = if script.resumes { " resume='true'" } else { "" };
            success.push_str(&format!(
                "<enabled xmlns='urn:xmpp:sm:3' id='fake-sm'{resume}/>"
            ));
        }
        success.push_str("</bound>");
    }
    if let Some((secret, expiry)) = &token {
        success.push_str(&format!(
            "<token xmlns='urn:xmpp:fast:0' expiry='{expiry}' token='{secret}'/>"
        ));
    }
    success.push_str("</success><stream:features>");
    if !bind {
        success.push_str("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>");
        if script.stream_management {
            success.push_str("<sm xmlns='urn:xmpp:sm:3'/>");
        }
    }
    success.push_str("</stream:features>");
    let step = format!(
        "SASL2 success ({mechanism}{}{}{}{})",
        if bind { ", bound " } else { "" },
        if bind { jid.as_str() } else { "" },
        if sm {
            ", stream management enabled"
        } else {
            ""
        },
        match (carbons, token.is_some()) {
            (true, true) => ", carbons enabled, a new token",
            (true, false) => ", carbons enabled",
            (false, true) => ", a new token",
            (false, false) => "",
        }
    );
    conn.write(success.as_bytes(), &step).await;
    Some(Done {
        bound: bind,
        stream_management: sm,
    })
}

/// Who signs in with a token: the account (bare JID) and the user-agent id.
struct Who<'a> {
    user: &'a str,
    client: &'a str,
}

/// Checks an HT-* initial response against the client's tokens for that mechanism: the
/// "new" slot first, then "current" (XEP-0484 §8.1); the responder's HMAC when it matches.
async fn token_sign_in(
    conn: &mut Conn,
    authenticate: &str,
    mechanism: &str,
    who: &Who<'_>,
    script: &Script,
    sasl2: &Sasl2,
) -> Option<Option<Vec<u8>>> {
    let localpart = who.user.split('@').next().unwrap_or_default().as_bytes();
    let kind = match mechanism {
        "HT-SHA-256-EXPR" => "tls-exporter",
        "HT-SHA-256-ENDP" => "tls-server-end-point",
        "HT-SHA-256-NONE" => "",
        _ => return refused(conn, "invalid-mechanism", mechanism).await,
    };
    if !sasl2.fast.contains(&mechanism) {
        return refused(conn, "invalid-mechanism", "a FAST mechanism not offered").await;
    }
    let cb = scram::binding_data(conn, kind, script);
    let initial = child_text(authenticate, "initial-response")
        .and_then(|t| BASE64.decode(t.trim()).ok())
        .unwrap_or_default();
    let Some(nul) = initial.iter().position(|&b| b == 0) else {
        return refused(conn, "malformed-request", "no NUL in the HT response").await;
    };
    let (user, mac) = (&initial[..nul], &initial[nul + 1..]);
    let matches = |issued: &Option<Issued>| {
        issued.as_ref().is_some_and(|i| {
            i.mechanism == mechanism && user == localpart && {
                let key = hmac::Key::new(hmac::HMAC_SHA256, i.secret.as_bytes());
                let mut message = b"Initiator".to_vec();
                message.extend_from_slice(&cb);
                hmac::verify(&key, &message, mac).is_ok()
            }
        })
    };
    let secret = check_slots(sasl2, who.client, matches);
    let Some(secret) = secret else {
        return refused(
            conn,
            "credentials-expired",
            "no token of this client matches",
        )
        .await;
    };
    note(
        &conn.log,
        format!("{mechanism}: the client's token checks out"),
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let mut message = b"Responder".to_vec();
    message.extend_from_slice(&cb);
    Some(Some(hmac::sign(&key, &message).as_ref().to_vec()))
}

/// The secret of the client's token that `matches`, "new" slot first; a match there makes it
/// the current token and the one before it void.
fn check_slots(
    sasl2: &Sasl2,
    client: &str,
    matches: impl Fn(&Option<Issued>) -> bool,
) -> Option<String> {
    let mut tokens = sasl2.lock();
    let slots = tokens.clients.get_mut(client)?;
    let secret = if matches(&slots.new) {
        slots.current = slots.new.take();
        slots.current.as_ref().map(|i| i.secret.clone())
    } else if matches(&slots.current) {
        slots.current.as_ref().map(|i| i.secret.clone())
    } else {
        None
    };
    if secret.is_some() {
        tokens.used += 1;
    }
    secret
}

/// A new token for `client` and `mechanism`, in the "new" slot: its secret and expiry.
fn issue(sasl2: &Sasl2, client: &str, mechanism: &str) -> (String, String) {
    let mut tokens = sasl2.lock();
    tokens.serial += 1;
    tokens.issued += 1;
    let secret = format!("fake-fast-token-{}-{}", tokens.serial, std::process::id());
    tokens.clients.entry(client.to_owned()).or_default().new = Some(Issued {
        mechanism: mechanism.to_owned(),
        secret: secret.clone(),
    });
    (secret, "2099-01-01T00:00:00Z".to_owned())
}

async fn refused(conn: &mut Conn, condition: &str, why: &str) -> Option<Option<Vec<u8>>> {
    scram::refuse(conn, condition, why, Framing::Sasl2).await
}

/// An attribute of the first `<name …>` tag inside an item.
fn child_attr<'a>(item: &'a str, name: &str, key: &str) -> Option<&'a str> {
    let from = item.find(&format!("<{name} "))?;
    attr(&item[from..], key)
}
