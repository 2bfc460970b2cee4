//! Finds the links in a plain-text body. Only http, https, xmpp and mailto become clickable:
//! a `javascript:`, `file:` or `data:` text stays text, so a message cannot make the desktop
//! run or open anything else.

use std::ops::Range;

/// The schemes that open through the desktop's handler, with what must follow the colon.
const SCHEMES: [&str; 4] = ["https://", "http://", "xmpp:", "mailto:"];

/// A part of a body: plain text or a link, as byte ranges into the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Shown as it is.
    Text(Range<usize>),
    /// Shown underlined; a click opens it.
    Link(Range<usize>),
}

/// Whether `url` may be opened: one of the allowed schemes, something after it, and nothing a
/// person could not see (controls, bidi overrides).
pub(crate) fn allowed(url: &str) -> bool {
    scheme_len(url).is_some_and(|n| url.len() > n) && url.chars().all(visible)
}

/// The pieces of `body`, or `None` when it has no link (most bodies: shown as plain text).
pub(crate) fn pieces(body: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    for token in tokens(body) {
        let Some(link) = link_in(body, token) else {
            continue;
        };
        if link.start > plain_from {
            out.push(Piece::Text(plain_from..link.start));
        }
        plain_from = link.end;
        out.push(Piece::Link(link));
    }
    if out.is_empty() {
        return None;
    }
    if plain_from < body.len() {
        out.push(Piece::Text(plain_from..body.len()));
    }
    Some(out)
}

/// The byte ranges of the whitespace-separated words of `body`.
fn tokens(body: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start: Option<usize> = None;
    body.char_indices()
        .map(Some)
        .chain(std::iter::once(None))
        .filter_map(move |item| match item {
            Some((i, c)) if c.is_whitespace() => start.take().map(|s| s..i),
            Some((i, _)) => {
                start.get_or_insert(i);
                None
            }
            None => start.take().map(|s| s..body.len()),
        })
}

/// The link inside one word, without the punctuation around it: `(see https://a.org/x).`
/// gives `https://a.org/x`.
fn link_in(body: &str, token: Range<usize>) -> Option<Range<usize>> {
    let word = &body[token.clone()];
    let lead = word.len()
        - word
            .trim_start_matches(['(', '<', '[', '"', '\'', '«', '“'])
            .len();
    let mut end = word.len();
    loop {
        let candidate = &word[lead..end];
        let last = candidate.chars().next_back()?;
        let unbalanced = |open: char, close: char| {
            last == close && candidate.matches(close).count() > candidate.matches(open).count()
        };
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '>' | '»' | '”'
        ) || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let url = &word[lead..end];
    let scheme = scheme_len(url)?;
    let rest = &url[scheme..];
    // A host (or an address) must follow: "https://" alone or "mailto:" alone is text.
    let starts_well = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '[');
    (starts_well && allowed(url)).then(|| token.start + lead..token.start + end)
}

/// The length of the allowed scheme prefix of `url` (ASCII case-insensitive).
fn scheme_len(url: &str) -> Option<usize> {
    SCHEMES.iter().find_map(|scheme| {
        let head = url.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme).then_some(scheme.len())
    })
}

/// Characters that show as themselves (no controls, no bidi or zero-width tricks).
fn visible(c: char) -> bool {
    !c.is_control()
        && !matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(body: &str) -> Vec<&str> {
        pieces(body)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| match p {
                Piece::Link(r) => Some(&body[r]),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn only_web_mail_and_xmpp_links_are_found() {
        let cases: [(&str, &[&str]); 14] = [
            (
                "see https://example.org/a?b=1.",
                &["https://example.org/a?b=1"],
            ),
            (
                "(http://example.org/wiki/X_(y)) ok",
                &["http://example.org/wiki/X_(y)"],
            ),
            (
                "write to mailto:bob@example.org, or xmpp:room@muc.example.org?join",
                &["mailto:bob@example.org", "xmpp:room@muc.example.org?join"],
            ),
            ("HTTPS://EXAMPLE.ORG", &["HTTPS://EXAMPLE.ORG"]),
            ("javascript:alert(1)", &[]),
            ("file:///etc/passwd", &[]),
            ("data:text/html,<b>x</b>", &[]),
            ("ftp://example.org", &[]),
            ("https://", &[]),
            ("mailto:", &[]),
            ("xhttps://example.org", &[]),
            ("https://exa\u{202E}mple.org", &[]),
            ("<https://example.org>", &["https://example.org"]),
            ("plain words only", &[]),
        ];
        for (body, expected) in cases {
            assert_eq!(links(body), expected, "{body}");
        }
    }

    #[test]
    fn pieces_cover_the_whole_body_in_order() {
        let body = "a https://x.org b";
        let got = pieces(body).expect("one link");
        assert_eq!(
            got,
            vec![Piece::Text(0..2), Piece::Link(2..15), Piece::Text(15..17)]
        );
        assert!(pieces("nothing here").is_none());
    }

    #[test]
    fn only_allowed_urls_may_be_opened() {
        assert!(allowed("https://example.org"));
        assert!(allowed("xmpp:alice@example.org"));
        assert!(!allowed("javascript:alert(1)"));
        assert!(!allowed("file:///etc/passwd"));
        assert!(!allowed("https://"));
        assert!(!allowed("https://a.org/\u{0007}"));
    }
}
