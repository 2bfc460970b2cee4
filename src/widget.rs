//! Stateless view helpers shared by the screens.

use iced::widget::{container, text};

#[cfg(test)]
pub(crate) mod frames;
pub mod keyed;

pub use keyed::KeyedColumn;

use crate::model::Show;
use crate::theme::{self, Element};

/// The symbol of a show: each has its own shape, so presence never relies on colour alone.
pub fn presence_symbol(show: Show) -> &'static str {
    match show {
        Show::Available => "●",
        Show::Chat => "◆",
        Show::Away => "◐",
        Show::Xa => "◌",
        Show::Dnd => "⊘",
        Show::Unavailable => "○",
    }
}

/// A presence indicator: the show's symbol in the show's colour, centred in a fixed width so
/// the names beside the symbols line up whatever the symbols' own widths.
pub fn presence<'a, M: 'a>(show: Show) -> Element<'a, M> {
    let symbol = presence_symbol(show);
    text(symbol)
        .size(14)
        .width(16)
        .align_x(iced::Alignment::Center)
        .style(theme::text::presence(show))
        .into()
}

/// A count badge; nothing for zero.
pub fn badge<'a, M: 'a>(count: usize) -> Option<Element<'a, M>> {
    (count > 0).then(|| {
        let label = if count > 99 {
            "99+".to_owned()
        } else {
            count.to_string()
        };
        container(text(label).size(11))
            .padding([1, 6])
            .style(theme::container::badge)
            .into()
    })
}

/// Initials of a name or address, for the avatar circle.
pub fn initials(name: &str) -> String {
    let mut out: String = name
        .split(|c: char| c.is_whitespace() || c == '@' || c == '.')
        .filter(|w| !w.is_empty())
        .take(2)
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if out.is_empty() {
        out.push('?');
    }
    out
}

/// Makes a name safe to show: bidi controls and invisible characters cannot reorder or hide
/// text, and runs of spaces (or line breaks) cannot push a part of it out of sight, so a
/// contact cannot impersonate another roster entry. What is left may still look like another
/// name written in another script; [`look_alike`] catches the common cases.
pub fn safe_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() || c == '\u{2800}' {
            space = true;
        } else if !c.is_control() && !invisible(c) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
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
    fn initials_and_safe_names() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("bob@example.org"), "BE");
        assert_eq!(initials(""), "?");
        assert_eq!(safe_name("Bo\u{202E}b\u{200B} "), "Bob");
    }

    #[test]
    fn names_cannot_hide_reorder_or_push_text_out_of_sight() {
        let cases = [
            ("Alice", "Alice"),
            ("  Alice  ", "Alice"),
            // Bidi overrides, isolates, marks: "Alice" spelled backwards and flipped.
            ("\u{202E}ecilA\u{202C}", "ecilA"),
            ("Al\u{2067}ice\u{2069}", "Alice"),
            ("Al\u{200F}ice\u{061C}", "Alice"),
            // Zero-width and invisible characters.
            ("Al\u{200B}i\u{200D}ce\u{FEFF}", "Alice"),
            ("Alice\u{E0041}\u{E007F}", "Alice"),
            ("\u{3164}\u{115F}Alice\u{034F}", "Alice"),
            // A name pushed aside by spaces or line breaks, or made of blanks.
            (
                "Alice                                   (bank)",
                "Alice (bank)",
            ),
            ("Alice\n\n\nsupport\r\u{2028}team", "Alice support team"),
            ("\u{2800}\u{2800}\u{3000}", ""),
            // What is really there stays: other scripts, emoji with their selectors.
            ("Алиса", "Алиса"),
            ("李雷", "李雷"),
            ("❤\u{FE0F} Bob", "❤\u{FE0F} Bob"),
        ];
        for (name, shown) in cases {
            assert_eq!(safe_name(name), shown, "{name:?}");
        }
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
