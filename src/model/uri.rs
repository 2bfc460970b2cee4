//! `xmpp:` URIs (RFC 5122) with the query actions of XEP-0147 that a messenger acts on:
//! `xmpp:alice@example.org`, `…?message;body=Hello`, `…?subscribe`, `…?roster;name=Alice;group=Friends`,
//! `…?remove`, `…?unsubscribe`. Parsing only: what happens is the app's (and it always asks).

use super::BareJid;
use super::address::{AddressError, bare_jid};

/// What a link asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriAction {
    /// Open the conversation (no query, or an action Natter does not know).
    Open,
    /// Open the conversation with the composer filled (`?message;body=…`; not sent).
    Message {
        /// The text to put in the composer.
        body: Option<String>,
    },
    /// Open the add-contact dialog filled in (`?subscribe` or `?roster;name=…;group=…`).
    Add {
        /// The name to give the contact.
        name: Option<String>,
        /// The group to put the contact in.
        group: Option<String>,
    },
    /// Ask whether to remove the contact (`?remove`).
    Remove,
    /// Ask whether to stop seeing the contact's presence (`?unsubscribe`).
    Unsubscribe,
}

/// A parsed `xmpp:` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmppUri {
    /// The bare address the link is about (a resource in the link is dropped).
    pub jid: BareJid,
    /// What the link asks for.
    pub action: UriAction,
}

/// Why a text is not a usable `xmpp:` link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// It does not start with `xmpp:`.
    #[error("{}", crate::fl!("uri-not-xmpp", text = .0.clone()))]
    NotXmpp(String),
    /// A `%` escape is broken or does not decode to UTF-8.
    #[error("{}", crate::fl!("uri-bad-escape", text = .0.clone()))]
    BadEscape(String),
    /// The address in the link is not a user's address.
    #[error("{0}")]
    Address(#[from] AddressError),
}

/// Longest link taken (a link is typed or clicked, not a document).
const MAX_LEN: usize = 8 * 1024;

impl XmppUri {
    /// Parses `text` as an `xmpp:` link. The authority part (`xmpp://me@example.org/…`, the
    /// account to use) is ignored: Natter uses its own account.
    pub fn parse(text: &str) -> Result<XmppUri, UriError> {
        let text = text.trim();
        let not_xmpp = || UriError::NotXmpp(text.chars().take(80).collect());
        if text.len() > MAX_LEN {
            return Err(not_xmpp());
        }
        let rest = text
            .get(..5)
            .filter(|scheme| scheme.eq_ignore_ascii_case("xmpp:"))
            .map(|_| &text[5..])
            .ok_or_else(not_xmpp)?;
        // RFC 5122: xmpp://authority/path — the path is after the authority's slash.
        let rest = match rest.strip_prefix("//") {
            Some(with_authority) => with_authority
                .split_once('/')
                .map(|(_, path)| path)
                .unwrap_or_default(),
            None => rest,
        };
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let path = path.split_once('#').map_or(path, |(p, _)| p);
        let address = decode(path).ok_or_else(|| UriError::BadEscape(path.into()))?;
        // A resource (…/desk) names a device; the conversation is with the person.
        let bare_text = match address.split_once('/') {
            Some((bare, _)) => bare,
            None => address.as_str(),
        };
        let jid = bare_jid(bare_text)?;
        let action = match query {
            None => UriAction::Open,
            Some(query) => action(query)?,
        };
        Ok(XmppUri { jid, action })
    }
}

fn action(query: &str) -> Result<UriAction, UriError> {
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let mut parts = query.split(';');
    let verb = parts.next().unwrap_or_default().to_ascii_lowercase();
    let mut params = Vec::new();
    for part in parts {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let value = decode(value).ok_or_else(|| UriError::BadEscape(part.into()))?;
        params.push((key.to_ascii_lowercase(), value));
    }
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    Ok(match verb.as_str() {
        "message" => UriAction::Message {
            body: params
                .iter()
                .find(|(k, _)| k == "body")
                .map(|(_, v)| v.clone())
                .filter(|v| !v.trim().is_empty()),
        },
        "subscribe" | "roster" => UriAction::Add {
            name: param("name"),
            group: param("group"),
        },
        "remove" => UriAction::Remove,
        "unsubscribe" => UriAction::Unsubscribe,
        _ => UriAction::Open,
    })
}

/// Percent-decoding (RFC 3986) to UTF-8; `None` for a broken escape or invalid UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;

    fn parse(text: &str) -> XmppUri {
        XmppUri::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn a_plain_link_opens_the_conversation_with_the_bare_address() {
        assert_eq!(
            parse("xmpp:Alice@Example.org"),
            XmppUri {
                jid: j("alice@example.org"),
                action: UriAction::Open
            }
        );
        assert_eq!(
            parse("XMPP:alice@example.org/desk").jid.as_str(),
            "alice@example.org"
        );
        assert_eq!(
            parse("xmpp://me@example.com/alice@example.org")
                .jid
                .as_str(),
            "alice@example.org"
        );
        assert_eq!(
            parse("xmpp:alice@example.org?unknown-action;x=y").action,
            UriAction::Open
        );
    }

    #[test]
    fn message_links_fill_the_composer_with_the_decoded_body() {
        assert_eq!(
            parse("xmpp:alice@example.org?message;body=Hello%20there%21%20%F0%9F%91%8B").action,
            UriAction::Message {
                body: Some("Hello there! 👋".into())
            }
        );
        assert_eq!(
            parse("xmpp:alice@example.org?message;subject=x;body=a%3Bb%3Dc").action,
            UriAction::Message {
                body: Some("a;b=c".into())
            }
        );
        assert_eq!(
            parse("xmpp:alice@example.org?message").action,
            UriAction::Message { body: None }
        );
    }

    #[test]
    fn subscribe_and_roster_fill_the_add_dialog_and_remove_and_unsubscribe_only_ask() {
        assert_eq!(
            parse("xmpp:alice@example.org?roster;name=Alice%20L.;group=Friends").action,
            UriAction::Add {
                name: Some("Alice L.".into()),
                group: Some("Friends".into())
            }
        );
        assert_eq!(
            parse("xmpp:alice@example.org?subscribe").action,
            UriAction::Add {
                name: None,
                group: None
            }
        );
        assert_eq!(
            parse("xmpp:alice@example.org?remove").action,
            UriAction::Remove
        );
        assert_eq!(
            parse("xmpp:alice@example.org?unsubscribe").action,
            UriAction::Unsubscribe
        );
    }

    #[test]
    fn bad_links_are_refused_in_words_without_panicking() {
        for (text, expected) in [
            ("https://example.org", "is not an xmpp: link"),
            ("xmpp:", "the address is empty"),
            ("xmpp:example.org", "has no user part"),
            ("xmpp:al%ZZice@example.org", "broken %-escape"),
            ("xmpp:alice@example.org?message;body=%", "broken %-escape"),
            ("xmpp:%C3%28@example.org", "broken %-escape"),
            ("xmpp:alice@exa mple.org", "not a valid XMPP address"),
            ("xmpp:é", "has no user part"),
        ] {
            let error = XmppUri::parse(text).expect_err(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
        assert!(
            XmppUri::parse(&format!("xmpp:a@b.c?message;body={}", "x".repeat(MAX_LEN))).is_err()
        );
    }
}
