//! XMPP addresses (RFC 7622): one normalisation, used everywhere a JID is compared or stored.

use xmpp_parsers::jid::{BareJid, Jid};

/// Why a text is not a usable account or contact address. Its text is in the person's
/// language (the window's screens word some cases their own way).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing was given.
    Empty,
    /// The text does not parse as an RFC 7622 address; the inner text says why.
    Invalid(String, String),
    /// A user address needs `name@server`.
    NoLocalpart(String),
    /// A resource was given where a bare address (name@server) is expected.
    HasResource(String),
}

impl std::fmt::Display for AddressError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            AddressError::Empty => crate::fl!("error-address-empty"),
            AddressError::Invalid(address, reason) => {
                crate::fl!("error-address-invalid", address = address, reason = reason)
            }
            AddressError::NoLocalpart(address) => {
                crate::fl!("error-address-no-user", address = address)
            }
            AddressError::HasResource(address) => {
                crate::fl!("error-address-resource", address = address)
            }
        };
        f.write_str(&text)
    }
}

/// Parses and normalises a user's bare address (`name@server`), as typed by a person or read
/// from the network. Case folding and width mapping follow RFC 7622 through the `jid` crate.
pub fn bare_jid(text: &str) -> Result<BareJid, AddressError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AddressError::Empty);
    }
    let jid = Jid::new(text).map_err(|e| AddressError::Invalid(text.to_owned(), e.to_string()))?;
    let jid = canonical(&jid);
    if jid.resource().is_some() {
        return Err(AddressError::HasResource(text.to_owned()));
    }
    if jid.node().is_none() {
        return Err(AddressError::NoLocalpart(text.to_owned()));
    }
    Ok(jid.to_bare())
}

/// Normalises any address (with or without localpart or resource) for comparison; `None` when
/// it does not parse.
pub fn normalize(text: &str) -> Option<Jid> {
    Jid::new(text.trim()).ok().map(|j| canonical(&j))
}

/// `jid` without the trailing dot of a fully qualified domain (RFC 7622 §3.2: removed before
/// any comparison). The `jid` crate (0.12.3) removes it only when it rewrites the domain for
/// another reason: `Alice@Example.org.` becomes `alice@example.org`, but `alice@example.org.`
/// stays as it is, a second spelling of the same address. Every address from the network or
/// from a person goes through here, so that one address has one spelling.
pub fn canonical(jid: &Jid) -> Jid {
    // Read the text, not the parts: for `a@example.org./r` the crate's part offsets are off by
    // the dot (the domain reads `example.org`, the resource `/r`).
    let text = jid.as_str();
    let domain_start = match (text.find('@'), text.find('/')) {
        (Some(at), Some(slash)) if at < slash => at + 1,
        (Some(at), None) => at + 1,
        _ => 0,
    };
    let domain_end = text[domain_start..]
        .find('/')
        .map_or(text.len(), |slash| domain_start + slash);
    if !text[..domain_end].ends_with('.') {
        return jid.clone();
    }
    let fixed = format!("{}{}", &text[..domain_end - 1], &text[domain_end..]);
    Jid::new(&fixed).unwrap_or_else(|_| jid.clone())
}

/// [`canonical`] for a bare address.
pub fn canonical_bare(jid: &BareJid) -> BareJid {
    canonical(&Jid::from(jid.clone())).to_bare()
}

/// A test's address, written correctly by the test.
#[cfg(test)]
pub(crate) fn j(text: &str) -> BareJid {
    bare_jid(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A test's full address (or bare, without a resource), written correctly by the test.
#[cfg(test)]
pub(crate) fn full(text: &str) -> Jid {
    Jid::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_has_one_spelling() {
        let cases = [
            ("alice@example.org", "alice@example.org"),
            ("alice@example.org.", "alice@example.org"),
            ("Alice@Example.ORG.", "alice@example.org"),
            ("alice@example.org./phone", "alice@example.org/phone"),
            ("ALICE@LOCALHOST/Desk", "alice@localhost/Desk"),
            ("example.org.", "example.org"),
            ("example.org./r", "example.org/r"),
            ("alice@example.org/a.", "alice@example.org/a."),
            ("alice@example.org/x@y./z", "alice@example.org/x@y./z"),
        ];
        for (input, expected) in cases {
            let jid = Jid::new(input).expect("valid");
            let fixed = canonical(&jid);
            assert_eq!(fixed.as_str(), expected, "{input}");
            // The parts read right too (the crate's own are off by the dot).
            assert_eq!(
                fixed.resource().map(|r| r.as_str()),
                expected.split_once('/').map(|(_, r)| r),
                "{input}"
            );
            assert_eq!(
                normalize(input).map(|j| j.to_string()).as_deref(),
                Some(expected)
            );
        }
        assert_eq!(
            bare_jid("alice@example.org.").map(|j| j.to_string()),
            Ok("alice@example.org".to_owned())
        );
        let bare = BareJid::new("bob@example.org.").expect("valid");
        assert_eq!(canonical_bare(&bare).as_str(), "bob@example.org");
    }

    #[test]
    fn bare_addresses_are_normalised_and_checked() {
        let cases: [(&str, Result<&str, AddressError>); 7] = [
            ("alice@example.org", Ok("alice@example.org")),
            ("  Alice@Example.ORG ", Ok("alice@example.org")),
            ("", Err(AddressError::Empty)),
            (
                "example.org",
                Err(AddressError::NoLocalpart("example.org".into())),
            ),
            (
                "a@example.org/phone",
                Err(AddressError::HasResource("a@example.org/phone".into())),
            ),
            (
                "@example.org",
                Err(AddressError::Invalid("@example.org".into(), String::new())),
            ),
            (
                "a@b@c",
                Err(AddressError::Invalid("a@b@c".into(), String::new())),
            ),
        ];
        for (input, expected) in cases {
            let got = bare_jid(input).map(|j| j.to_string());
            match (got, expected) {
                (Ok(g), Ok(e)) => assert_eq!(g, e, "{input}"),
                (Err(AddressError::Invalid(t, _)), Err(AddressError::Invalid(e, _))) => {
                    assert_eq!(t, e)
                }
                (g, e) => assert_eq!(
                    g.map_err(|x| x.to_string()),
                    e.map(String::from).map_err(|x| x.to_string()),
                    "{input}"
                ),
            }
        }
    }
}
