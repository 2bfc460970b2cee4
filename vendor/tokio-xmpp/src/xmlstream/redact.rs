// Natter: what a log line may show of the stream (NATTER.md, change 8).
//
// This Source Code Form is subject to the terms of the Mozilla Public
// License, v. 2.0. If a copy of the MPL was not distributed with this
// file, You can obtain one at http://mozilla.org/MPL/2.0/.

//! Natter: XML as a log line may show it. The character data of every element (message
//! bodies, SASL payloads such as PLAIN's password, SCRAM's proofs, status messages, names) is
//! replaced by a marker, at every log level: a trace log shows the stream's structure, its
//! element names and attributes, and never what was said or how the account signed in. The
//! one attribute that is a secret, a FAST token's `token` (XEP-0484), is redacted too.

use core::fmt;

use xso::AsXml;

use super::{FallibleStreamElement, XmppStreamElement};
use crate::Stanza;

/// What stands for the character data of an element.
const MARK: &str = "[redacted]";

/// Bytes of XML (sent or received), written with their character data redacted. Bytes that are
/// not UTF-8 are shown as far as they are, never as a panic.
pub(crate) struct RedactedXml<'x>(pub &'x [u8]);

impl fmt::Display for RedactedXml<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_redacted(f, &String::from_utf8_lossy(self.0))
    }
}

/// Writes `xml` with every run of character data, CDATA section and comment replaced by
/// [`MARK`]. Markup is copied up to its first `>`; a `>` inside an attribute value ends it
/// early, and what follows up to the next `<` is then redacted as if it were text: an error
/// that shows less, never more.
fn write_redacted(f: &mut fmt::Formatter, xml: &str) -> fmt::Result {
    let mut rest = xml;
    while !rest.is_empty() {
        let hidden = [("<![CDATA[", "]]>"), ("<!--", "-->")]
            .into_iter()
            .find(|(open, _)| rest.starts_with(open));
        if let Some((open, close)) = hidden {
            let inner = &rest[open.len()..];
            let end = inner.find(close).map_or(inner.len(), |e| e + close.len());
            write!(f, "{open}{MARK}{close}")?;
            rest = &inner[end..];
        } else if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            write_tag(f, &rest[..end])?;
            rest = &rest[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if xso::is_xml_whitespace(text.as_bytes()) {
                f.write_str(text)?;
            } else {
                f.write_str(MARK)?;
            }
            rest = &rest[end..];
        }
    }
    Ok(())
}

/// Writes a tag with the value of every `token` attribute replaced by [`MARK`].
fn write_tag(f: &mut fmt::Formatter, tag: &str) -> fmt::Result {
    let mut rest = tag;
    while let Some(at) = rest.find("token=") {
        let (before, after) = rest.split_at(at + "token=".len());
        let starts_name = before[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_whitespace());
        let quote = after.chars().next().filter(|q| *q == '\'' || *q == '"');
        f.write_str(before)?;
        match quote.filter(|_| starts_name) {
            Some(q) => {
                let value = &after[1..];
                let end = value.find(q).map_or(value.len(), |e| e + 1);
                write!(f, "{q}{MARK}{q}")?;
                rest = &value[end..];
            }
            None => rest = after,
        }
    }
    f.write_str(rest)
}

/// Writes `item` serialised, redacted.
fn write_item<T: AsXml>(f: &mut fmt::Formatter, item: &T) -> fmt::Result {
    match xso::to_vec(item) {
        Ok(bytes) => fmt::Display::fmt(&RedactedXml(&bytes), f),
        Err(_) => f.write_str("[unserialisable element]"),
    }
}

/// Natter: something from the stream, for a log line: its XML with the character data
/// redacted (see the module).
pub struct Redacted<'x, T>(pub &'x T);

impl fmt::Display for Redacted<'_, Stanza> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_item(f, self.0)
    }
}

impl fmt::Display for Redacted<'_, XmppStreamElement> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write_item(f, self.0)
    }
}

impl fmt::Display for Redacted<'_, FallibleStreamElement> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            FallibleStreamElement::Ok(element) => fmt::Display::fmt(&Redacted(element), f),
            // The header and the parse error, not the content.
            FallibleStreamElement::Err(e) => write!(f, "[invalid element: {e}]"),
        }
    }
}

impl fmt::Display for Redacted<'_, rxml::Event> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            rxml::Event::Text(_, text) if !xso::is_xml_whitespace(text.as_bytes()) => {
                write!(f, "Text({MARK})")
            }
            // A FAST token is an attribute: its value is not shown (see `write_tag`).
            rxml::Event::StartElement(_, name, attrs)
                if attrs.iter().any(|((_, key), _)| key.as_str() == "token") =>
            {
                write!(f, "StartElement({name:?}, {{")?;
                for ((ns, key), value) in attrs.iter() {
                    if key.as_str() == "token" {
                        write!(f, "({ns:?}, {key:?}): {MARK}, ")?;
                    } else {
                        write!(f, "({ns:?}, {key:?}): {value:?}, ")?;
                    }
                }
                f.write_str("})")
            }
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redacted(xml: &str) -> String {
        RedactedXml(xml.as_bytes()).to_string()
    }

    #[test]
    fn character_data_is_redacted_and_markup_kept() {
        let cases = [
            (
                "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHMzY3JldA==</auth>",
                "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>[redacted]</auth>",
            ),
            (
                "<message to='bob@example.org' id='m1'><body>lunch?</body>\n<active/></message>",
                "<message to='bob@example.org' id='m1'><body>[redacted]</body>\n<active/></message>",
            ),
            ("<a><![CDATA[x<y>z]]></a>", "<a><![CDATA[[redacted]]]></a>"),
            ("<a><!-- a secret --></a>", "<a><!--[redacted]--></a>"),
            ("<a x='1>2'>secret</a>", "<a x='1>[redacted]</a>"),
            ("<a>unterminated", "<a>[redacted]"),
            ("<a b='", "<a b='"),
            (
                "<success xmlns='urn:xmpp:sasl:2'><token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='s3cret-t0ken'/></success>",
                "<success xmlns='urn:xmpp:sasl:2'><token xmlns='urn:xmpp:fast:0' expiry='2099-01-01T00:00:00Z' token='[redacted]'/></success>",
            ),
            ("<t token=\"x\" mytoken='y'>", "<t token=\"[redacted]\" mytoken='y'>"),
        ];
        for (xml, expected) in cases {
            assert_eq!(redacted(xml), expected, "{xml}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_do_not_panic() {
        assert_eq!(
            RedactedXml(b"<a>\xff\xfe</a>").to_string(),
            "<a>[redacted]</a>"
        );
    }
}
