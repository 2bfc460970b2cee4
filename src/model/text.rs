//! Words from the network made safe to show, the same way in the window and on the terminal:
//! no bidi controls or invisible characters that reorder or hide text, no control characters
//! that move a terminal's cursor, no runs of blanks that push a part out of sight, and a bound
//! on the length.

/// The longest name shown, in characters; longer ones end in "…". No real name comes near it,
/// and a forged one cannot fill a screen or a terminal.
pub const NAME_CHARS: usize = 200;

/// Makes a name safe to show: bidi overrides and isolates, other invisible format characters
/// and control characters are gone, blanks and line breaks are one space, and it is at most
/// [`NAME_CHARS`] characters long. So a contact cannot impersonate another roster entry or
/// write on the person's terminal. What is left may still look like another name written in
/// another script; [`look_alike`] catches the common cases.
pub fn safe_name(name: &str) -> String {
    safe_line(name, NAME_CHARS)
}

/// A whole text from the network on one line, made safe as [`safe_name`] makes names, and cut
/// to `max` characters (ending in "…" when cut).
pub fn safe_line(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut space = false;
    let mut count = 0;
    for c in text.chars() {
        if blank(c) {
            space = true;
        } else if !invisible(c) {
            if space && !out.is_empty() {
                if count == max {
                    return cut(out);
                }
                out.push(' ');
                count += 1;
            }
            space = false;
            if count == max {
                return cut(out);
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// The first non-empty line of a text from the network, made safe and cut to `max`
/// characters, for one-line previews (a status message, a request's note).
pub fn first_line(text: &str, max: usize) -> String {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    safe_line(first, max)
}

/// What was kept of a text too long, and the sign that there was more.
fn cut(mut kept: String) -> String {
    kept.truncate(kept.trim_end().len());
    kept.push('…');
    kept
}

/// Blanks: white space, control characters (a line break, an escape that would move a
/// terminal's cursor) and the Braille blank, which draws nothing but is no white space.
fn blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{2800}'
}

/// Format characters (Unicode category Cf: bidi controls and marks, zero-width spaces and
/// joiners, word joiner, invisible operators, tags, …) and the characters that draw nothing
/// though they are not formats (Hangul fillers, the combining grapheme joiner, Khmer inherent
/// vowels). Variation selectors stay: emoji need them.
fn invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180E | 0x3164 | 0xFFA0
        | 0x0600..=0x0605 | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
        | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// A key under which names (or addresses) that look the same compare equal: made safe, case
/// folded, and the Cyrillic and Greek letters that look like Latin ones read as those. Not all
/// of Unicode's confusables (UTS #39), but the ones a forged "Аlice" or "bоb@example.org"
/// needs.
pub fn look_alike(name: &str) -> String {
    safe_name(name)
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'а' | 'α' => 'a',
            'в' | 'β' => 'b',
            'с' | 'ϲ' => 'c',
            'ԁ' => 'd',
            'е' | 'ε' => 'e',
            'һ' => 'h',
            'ј' => 'j',
            'к' | 'κ' => 'k',
            'м' | 'μ' => 'm',
            'н' | 'η' => 'n',
            'о' | 'ο' | '0' => 'o',
            'р' | 'ρ' => 'p',
            'ԛ' => 'q',
            'ѕ' => 's',
            'т' | 'τ' => 't',
            'υ' => 'u',
            'ѵ' | 'ν' => 'v',
            'ԝ' | 'ω' => 'w',
            'х' | 'χ' => 'x',
            'у' | 'γ' => 'y',
            'ᴢ' => 'z',
            // I and l look alike in many fonts (and lowercase I is i): all of them read as l.
            'i' | 'l' | 'і' | 'ι' | 'ı' | 'ӏ' | '1' | '|' => 'l',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_hide_reorder_or_push_text_out_of_sight() {
        let long = "A".repeat(NAME_CHARS + 50);
        let bounded = format!("{}…", "A".repeat(NAME_CHARS));
        let cases: [(&str, &str); 22] = [
            ("Alice", "Alice"),
            ("  Alice  ", "Alice"),
            ("Bo\u{202E}b\u{200B} ", "Bob"),
            // Bidi overrides, isolates, marks: "Alice" spelled backwards and flipped.
            ("\u{202E}ecilA\u{202C}", "ecilA"),
            ("\u{202D}Alice\u{202A}\u{202B}", "Alice"),
            ("Al\u{2067}ice\u{2069}", "Alice"),
            ("\u{2066}Al\u{2068}ice\u{2069}", "Alice"),
            ("Al\u{200F}ice\u{061C}\u{200E}", "Alice"),
            // Zero-width and invisible characters.
            ("Al\u{200B}i\u{200D}ce\u{FEFF}", "Alice"),
            ("Alice\u{E0041}\u{E007F}", "Alice"),
            ("\u{3164}\u{115F}Alice\u{034F}\u{00AD}", "Alice"),
            // Control characters: a terminal's escape sequence, a bell, NUL, DEL, C1.
            ("a\nb\u{1b}[2J", "a b [2J"),
            ("Alice\u{7}\u{0}\u{7F}\u{9B}2J", "Alice 2J"),
            // A name pushed aside by spaces or line breaks, or made of blanks.
            (
                "Alice                                   (bank)",
                "Alice (bank)",
            ),
            ("Alice\n\n\nsupport\r\u{2028}team", "Alice support team"),
            ("\u{2800}\u{2800}\u{3000}", ""),
            ("\u{202E}\u{200B}\u{2066}", ""),
            // What is really there stays: other scripts, emoji with their selectors.
            ("Алиса", "Алиса"),
            ("李雷", "李雷"),
            ("❤\u{FE0F} Bob", "❤\u{FE0F} Bob"),
            // A name as long as a screen ends with a sign that there was more.
            (&long, &bounded),
            (&format!("{}   tail", "A".repeat(NAME_CHARS)), &bounded),
        ];
        for (name, shown) in cases {
            assert_eq!(safe_name(name), shown, "{name:?}");
        }
    }

    #[test]
    fn previews_are_the_first_line_made_safe_and_cut() {
        let cases = [
            (
                "\u{202E}lanigiro\u{202C}\u{200B}   \nsecond line",
                160,
                "lanigiro",
            ),
            ("\n\n  \nhello  world\nmore", 160, "hello world"),
            ("abcdef", 3, "abc…"),
            ("ab cdef", 3, "ab…"),
            ("abc", 3, "abc"),
            ("", 3, ""),
        ];
        for (text, max, shown) in cases {
            assert_eq!(first_line(text, max), shown, "{text:?}");
        }
        assert_eq!(safe_line("one\ntwo", usize::MAX), "one two");
    }

    #[test]
    fn names_that_look_the_same_have_the_same_key() {
        let alike = [
            ("Alice", "аlice"), // Cyrillic а
            ("Alice", "ALICE"),
            ("Bob", "Βοb"), // Greek capital beta, small omicron
            ("bob@example.org", "bоb@example.org"),
            ("Paypal", "PayPaI"), // capital i for small L
            ("Alice", "Al\u{200B}ice"),
        ];
        for (a, b) in alike {
            assert_eq!(look_alike(a), look_alike(b), "{a} / {b}");
        }
        for (a, b) in [("Alice", "Alina"), ("Алиса", "Alice"), ("Bob", "Rob")] {
            assert_ne!(look_alike(a), look_alike(b), "{a} / {b}");
        }
    }
}
