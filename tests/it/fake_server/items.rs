//! Cutting the client's byte stream into top-level items, and finding a password in it.

use super::{Layer, Transcript};

/// Cuts the first complete top-level item off `buf`: a stream header (`<stream:stream …>`), the
/// stream end (`</stream:stream>`) or a whole element. XML declarations and whitespace between
/// items are dropped.
pub(super) fn cut_item(buf: &mut Vec<u8>) -> Option<String> {
    loop {
        let start = buf.iter().position(|b| !b.is_ascii_whitespace())?;
        buf.drain(..start);
        if buf.starts_with(b"<?") {
            let end = find(buf, b"?>")? + 2;
            buf.drain(..end);
            continue;
        }
        let tag_end = find(buf, b">")? + 1;
        let tag = String::from_utf8_lossy(&buf[..tag_end]).into_owned();
        let end = if tag.starts_with("</") || tag.ends_with("/>") || is_header(&tag) {
            tag_end
        } else {
            let close = format!("</{}>", tag_name(&tag));
            find(&buf[tag_end..], close.as_bytes())? + tag_end + close.len()
        };
        let item = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        return Some(item);
    }
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The qualified name in an item's first tag: `stream:features` in `<stream:features>`,
/// `/stream:stream` in `</stream:stream>`.
fn tag_name(item: &str) -> &str {
    let inner = item.trim_start_matches('<');
    let skip = usize::from(inner.starts_with('/'));
    let end = inner[skip..]
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .map_or(inner.len(), |e| e + skip);
    &inner[..end]
}

/// The local name of an item's first tag: `auth`, `starttls`; `/stream` for the stream end.
pub(super) fn name(item: &str) -> &str {
    let qualified = tag_name(item);
    if qualified.starts_with('/') {
        return if qualified.ends_with("stream") {
            "/stream"
        } else {
            qualified
        };
    }
    qualified.rsplit(':').next().unwrap_or(qualified)
}

pub(super) fn is_header(item: &str) -> bool {
    !item.starts_with("</") && name(item) == "stream"
}

/// The value of attribute `key` in an item's first tag, in either kind of quotes.
pub(super) fn attr<'a>(item: &'a str, key: &str) -> Option<&'a str> {
    let tag = &item[..item.find('>')?];
    [format!(" {key}='"), format!(" {key}=\"")]
        .iter()
        .find_map(|start| {
            let from = tag.find(start.as_str())? + start.len();
            let quote = start.chars().last()?;
            let len = tag[from..].find(quote)?;
            Some(&tag[from..from + len])
        })
}

/// Standard base64 with padding; `None` for anything else (most text is not base64).
pub(super) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for quad in text.as_bytes().chunks(4) {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..4 - pad]);
    }
    Some(out)
}

#[test]
fn the_server_cuts_items_and_finds_plain_passwords() {
    let mut buf = b"<?xml version='1.0'?>\n<stream:stream xmlns='jabber:client' to='localhost'><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/> <auth mechanism='PLAIN' xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>AGFsaWNlAHMzY3JldA==</auth></stream:stream><partial".to_vec();
    let mut items = Vec::new();
    while let Some(item) = cut_item(&mut buf) {
        items.push(item);
    }
    let names: Vec<&str> = items.iter().map(|i| name(i)).collect();
    assert_eq!(names, ["stream", "starttls", "auth", "/stream"]);
    assert!(is_header(&items[0]) && !is_header(&items[3]));
    assert_eq!(buf, b"<partial");
    let t = Transcript {
        plaintext: items.concat().into_bytes(),
        items: items.into_iter().map(|i| (Layer::Plain, i)).collect(),
        ..Transcript::default()
    };
    // base64("\0alice\0s3cret")
    assert!(t.received_auth() && t.holds_password("s3cret"));
    assert!(!t.holds_password("other"));
}
