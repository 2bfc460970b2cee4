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
    Jid::new(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
