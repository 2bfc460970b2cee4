//! FAST (XEP-0484): a token the server hands out after a password sign-in, and the HT
//! mechanisms (draft-schmaus-kitten-sasl-ht) that sign in with it in one round trip.
//!
//! A token is a credential like the password: it lives in the keyring next to it (or, for a
//! raw login in the tests, in memory), never in the store, a log line or an error, and its
//! `Debug` hides it. Choosing is pure ([`usable`], [`to_request`]); [`Tokens`] keeps them.

use std::sync::{Arc, Mutex, PoisonError};

use ring::hmac;
use serde::{Deserialize, Serialize};

use super::tls::Bindings;
use crate::model::{AuthMethod, BareJid};

/// The hash of an HT mechanism, strongest first in [`HASHES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HtHash {
    Sha512,
    Sha384,
    Sha256,
}

const HASHES: [HtHash; 3] = [HtHash::Sha512, HtHash::Sha384, HtHash::Sha256];

/// The channel binding of an HT mechanism, in the order Natter prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HtBinding {
    /// `EXPR`: tls-exporter (RFC 9266).
    Exporter,
    /// `ENDP`: tls-server-end-point (RFC 5929).
    EndPoint,
    /// `NONE`: not bound to this connection.
    Unbound,
}

const BINDINGS: [HtBinding; 3] = [HtBinding::Exporter, HtBinding::EndPoint, HtBinding::Unbound];

/// One HT mechanism Natter speaks. `HT-*-UNIQ` (tls-unique) is not among them, for the reason
/// tls.rs gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HtMechanism {
    hash: HtHash,
    binding: HtBinding,
}

impl HtMechanism {
    /// The mechanism of a SASL name, when Natter speaks it.
    pub(super) fn parse(name: &str) -> Option<HtMechanism> {
        let rest = name.strip_prefix("HT-")?;
        let (hash, binding) = rest.rsplit_once('-')?;
        let hash = match hash {
            "SHA-512" => HtHash::Sha512,
            "SHA-384" => HtHash::Sha384,
            "SHA-256" => HtHash::Sha256,
            _ => return None,
        };
        let binding = match binding {
            "EXPR" => HtBinding::Exporter,
            "ENDP" => HtBinding::EndPoint,
            "NONE" => HtBinding::Unbound,
            _ => return None,
        };
        Some(HtMechanism { hash, binding })
    }

    /// The SASL name.
    pub(super) fn name(self) -> String {
        let hash = match self.hash {
            HtHash::Sha512 => "SHA-512",
            HtHash::Sha384 => "SHA-384",
            HtHash::Sha256 => "SHA-256",
        };
        let binding = match self.binding {
            HtBinding::Exporter => "EXPR",
            HtBinding::EndPoint => "ENDP",
            HtBinding::Unbound => "NONE",
        };
        format!("HT-{hash}-{binding}")
    }

    /// What the sign-in is worth against the floor: bound to the connection like SCRAM-*-PLUS,
    /// or, like SCRAM without binding, a proof a trusted-looking relay could pass on.
    pub(super) fn method(self) -> AuthMethod {
        match self.binding {
            HtBinding::Unbound => AuthMethod::Scram,
            HtBinding::Exporter | HtBinding::EndPoint => AuthMethod::ScramBound,
        }
    }

    /// The channel-binding data of this connection the mechanism needs (empty for `NONE`);
    /// `None` when the connection does not have it.
    pub(super) fn binding_data(self, bindings: &Bindings) -> Option<Vec<u8>> {
        match self.binding {
            HtBinding::Exporter => bindings.exporter.clone(),
            HtBinding::EndPoint => bindings.end_point.clone(),
            HtBinding::Unbound => Some(Vec::new()),
        }
    }

    fn hmac(self, secret: &str, label: &[u8], cb: &[u8]) -> Vec<u8> {
        let algorithm = match self.hash {
            HtHash::Sha512 => hmac::HMAC_SHA512,
            HtHash::Sha384 => hmac::HMAC_SHA384,
            HtHash::Sha256 => hmac::HMAC_SHA256,
        };
        let key = hmac::Key::new(algorithm, secret.as_bytes());
        let mut message = label.to_vec();
        message.extend_from_slice(cb);
        hmac::sign(&key, &message).as_ref().to_vec()
    }

    /// The initial response: the user name, a NUL, and the initiator's HMAC.
    pub(super) fn initial_response(self, username: &str, secret: &str, cb: &[u8]) -> Vec<u8> {
        let mut message = username.as_bytes().to_vec();
        message.push(0);
        message.extend(self.hmac(secret, b"Initiator", cb));
        message
    }

    /// Whether the server's additional data is the responder's HMAC: the server knows the
    /// token (compared in constant time).
    pub(super) fn server_knows(self, secret: &str, cb: &[u8], data: &[u8]) -> bool {
        let algorithm = match self.hash {
            HtHash::Sha512 => hmac::HMAC_SHA512,
            HtHash::Sha384 => hmac::HMAC_SHA384,
            HtHash::Sha256 => hmac::HMAC_SHA256,
        };
        let key = hmac::Key::new(algorithm, secret.as_bytes());
        let mut message = b"Responder".to_vec();
        message.extend_from_slice(cb);
        hmac::verify(&key, &message, data).is_ok()
    }
}

/// The mechanism to ask a new token for: the strongest offered that this connection can bind
/// with (tls-exporter, then tls-server-end-point, then none; SHA-512 first within each), and
/// never one worth less than the sign-in that asks (the token would then be refused by the
/// floor next time).
pub(super) fn to_request(
    offered: &[String],
    bindings: &Bindings,
    at_least: AuthMethod,
) -> Option<HtMechanism> {
    BINDINGS
        .into_iter()
        .flat_map(|binding| {
            HASHES
                .into_iter()
                .map(move |hash| HtMechanism { hash, binding })
        })
        .filter(|m| m.method() >= at_least && m.binding_data(bindings).is_some())
        .find(|m| offered.iter().any(|o| *o == m.name()))
}

/// A FAST token as kept: no `Debug` of the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Token {
    /// The mechanism it was issued for (the server refuses it with any other).
    pub mechanism: String,
    /// The secret.
    pub secret: String,
    /// When the server said it expires, seconds since the epoch.
    pub expires: i64,
    /// The SASL2 user-agent id it was issued to.
    pub client: String,
    /// What the server offered inline with SASL2 when it gave the token. With it, the next
    /// sign-in sends its `<authenticate/>` right behind the stream header, without waiting
    /// for the features (XEP-0388 lets a client cache them); `None` in a token kept before.
    #[serde(default)]
    pub offer: Option<Offer>,
}

/// What a server offered inline with SASL2 (XEP-0388 §2.1: stable, and cacheable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Offer {
    /// Bind 2.
    pub bind2: bool,
    /// Stream management enabled inside Bind 2.
    pub stream_management: bool,
    /// Carbons enabled inside Bind 2.
    pub carbons: bool,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("mechanism", &self.mechanism)
            .field("secret", &"<hidden>")
            .field("expires", &self.expires)
            .finish()
    }
}

/// The mechanism to sign in with `token`, if it can be used: the server offers its mechanism
/// now, the connection has the binding it needs, it has not expired, and it is worth at least
/// `floor`.
pub(super) fn usable(
    token: &Token,
    offered: &[String],
    bindings: &Bindings,
    floor: Option<AuthMethod>,
    now: i64,
) -> Option<HtMechanism> {
    let mechanism = HtMechanism::parse(&token.mechanism)?;
    let fits = offered.contains(&token.mechanism)
        && mechanism.binding_data(bindings).is_some()
        && token.expires > now
        && floor.is_none_or(|floor| mechanism.method() >= floor);
    fits.then_some(mechanism)
}

/// A new SASL2 user-agent id: a random UUID (version 4), as XEP-0388 asks.
pub(super) fn new_client_id() -> String {
    let hex = super::random_token();
    let mut bytes: Vec<char> = hex.chars().collect();
    // Version 4, RFC 4122 variant.
    bytes[12] = '4';
    bytes[16] = match bytes[16] {
        '0' | '4' | '8' | 'c' => '8',
        '1' | '5' | '9' | 'd' => '9',
        '2' | '6' | 'a' | 'e' => 'a',
        _ => 'b',
    };
    let s: String = bytes.into_iter().collect();
    format!(
        "{}-{}-{}-{}-{}",
        &s[0..8],
        &s[8..12],
        &s[12..16],
        &s[16..20],
        &s[20..32]
    )
}

/// Where one session keeps its token: the keyring, or (a raw login in the tests) memory.
#[derive(Clone, Default)]
pub struct Tokens {
    keyring: Option<crate::session::Role>,
    memory: Arc<Mutex<Option<Token>>>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("keyring", &self.keyring)
            .finish()
    }
}

impl Tokens {
    /// Tokens in the keyring, next to the password, in the slot of `role`.
    pub fn in_keyring(role: crate::session::Role) -> Tokens {
        Tokens {
            keyring: Some(role),
            memory: Arc::default(),
        }
    }

    /// The account's token; none when there is none or the keyring cannot be read (the
    /// password then signs in, as without FAST).
    pub(super) async fn get(&self, jid: &BareJid) -> Option<Token> {
        let Some(role) = self.keyring else {
            return self.lock().clone();
        };
        match crate::secrets::fast_token(jid, role).await {
            Ok(Some(json)) => serde_json::from_str(&json).ok(),
            Ok(None) => None,
            Err(e) => {
                tracing::debug!("no FAST token from the keyring: {e}");
                None
            }
        }
    }

    /// Keeps `token` for the account, replacing the one before.
    pub(super) async fn put(&self, jid: &BareJid, token: Token) {
        let Some(role) = self.keyring else {
            *self.lock() = Some(token);
            return;
        };
        let Ok(json) = serde_json::to_string(&token) else {
            return;
        };
        if let Err(e) = crate::secrets::store_fast_token(jid, role, &json).await {
            tracing::debug!("the FAST token was not kept: {e}");
        }
    }

    /// Forgets the account's token (the server refused it).
    pub(super) async fn forget(&self, jid: &BareJid) {
        let Some(role) = self.keyring else {
            *self.lock() = None;
            return;
        };
        if let Err(e) = crate::secrets::delete_fast_token(jid, role).await {
            tracing::debug!("the refused FAST token was not removed: {e}");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Token>> {
        self.memory.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn bindings(exporter: bool, end_point: bool) -> Bindings {
        Bindings {
            exporter: exporter.then(|| vec![1; 32]),
            end_point: end_point.then(|| vec![2; 32]),
        }
    }

    #[test]
    fn mechanism_names_read_and_write_alike() {
        for name in ["HT-SHA-256-NONE", "HT-SHA-512-EXPR", "HT-SHA-384-ENDP"] {
            assert_eq!(
                HtMechanism::parse(name).map(|m| m.name()),
                Some(name.into())
            );
        }
        for name in ["HT-SHA-256-UNIQ", "HT-SHA3-256-NONE", "SCRAM-SHA-1", "HT-"] {
            assert_eq!(HtMechanism::parse(name), None, "{name}");
        }
    }

    #[test]
    fn the_strongest_token_this_connection_can_bind_is_requested() {
        let prosody = offered(&[
            "HT-SHA-256-NONE",
            "HT-SHA-256-UNIQ",
            "HT-SHA-256-ENDP",
            "HT-SHA-256-EXPR",
        ]);
        let cases = [
            (
                bindings(true, true),
                AuthMethod::Scram,
                Some("HT-SHA-256-EXPR"),
            ),
            (
                bindings(false, true),
                AuthMethod::Scram,
                Some("HT-SHA-256-ENDP"),
            ),
            (
                bindings(false, false),
                AuthMethod::Scram,
                Some("HT-SHA-256-NONE"),
            ),
            // A token worth less than the sign-in that asks for it would not be used.
            (bindings(false, false), AuthMethod::ScramBound, None),
        ];
        for (b, at_least, expected) in cases {
            let got = to_request(&prosody, &b, at_least).map(HtMechanism::name);
            assert_eq!(got.as_deref(), expected, "{b:?} {at_least:?}");
        }
        let only_none = offered(&["HT-SHA-256-NONE", "HT-SHA-512-NONE"]);
        assert_eq!(
            to_request(&only_none, &bindings(true, true), AuthMethod::Plain).map(|m| m.name()),
            Some("HT-SHA-512-NONE".into())
        );
    }

    #[test]
    fn a_token_is_used_only_where_it_fits_and_never_below_the_floor() {
        let token = |mechanism: &str| Token {
            mechanism: mechanism.into(),
            secret: "s3cret-token".into(),
            expires: 2_000,
            client: new_client_id(),
            offer: None,
        };
        let all = offered(&["HT-SHA-256-NONE", "HT-SHA-256-EXPR"]);
        let bound = bindings(true, true);
        let none = token("HT-SHA-256-NONE");
        let expr = token("HT-SHA-256-EXPR");
        assert!(usable(&none, &all, &bound, None, 1_000).is_some());
        assert!(usable(&expr, &all, &bound, Some(AuthMethod::ScramBound), 1_000).is_some());
        // Expired; no longer offered; no exporter on this connection (TLS 1.2); below floor.
        assert!(usable(&none, &all, &bound, None, 2_000).is_none());
        assert!(usable(&expr, &offered(&["HT-SHA-256-NONE"]), &bound, None, 1).is_none());
        assert!(usable(&expr, &all, &bindings(false, true), None, 1).is_none());
        assert!(usable(&none, &all, &bound, Some(AuthMethod::ScramBound), 1).is_none());
    }

    #[test]
    fn the_initiator_and_responder_hmacs_follow_the_draft() {
        let m = HtMechanism::parse("HT-SHA-256-NONE").expect("known");
        let response = m.initial_response("alice", "token", b"");
        let (user, mac) = response.split_at(6);
        assert_eq!(user, b"alice\0");
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"token");
        assert_eq!(mac, hmac::sign(&key, b"Initiator").as_ref());
        let responder = hmac::sign(&key, b"Responder");
        assert!(m.server_knows("token", b"", responder.as_ref()));
        assert!(!m.server_knows("token", b"", mac));
    }

    #[test]
    fn client_ids_are_version_4_uuids_and_tokens_never_show_in_debug() {
        let id = new_client_id();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert_ne!(id, new_client_id());
        let token = Token {
            mechanism: "HT-SHA-256-NONE".into(),
            secret: "s3cret-token".into(),
            expires: 0,
            client: id,
            offer: None,
        };
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
