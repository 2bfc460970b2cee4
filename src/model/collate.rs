//! Names in the order a person expects: numbers by their value ("Contact 2" before
//! "Contact 10"), letters without case or accents ("émile" beside "Emile", "Ärger" among the
//! a's), and, among names that differ only in those, one fixed order.
//!
//! A small rule of our own rather than ICU's collator: `icu_collator` 2.4 (root collation,
//! numeric ordering) added 1.1 MB to a stripped release binary that already links
//! `icu_normalizer` through `idna`, and 0.5 MB of resident memory, to sort a contact list.
//! What it would do better — letters that do not decompose (ø, æ, ł) and each language's own
//! order (å after z in Swedish) — is left out; canonical decomposition comes from
//! `unicode-normalization`, which the address code links already.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest stretch of a name that is looked at: longer names sort by their beginning.
const MAX_CHARS: usize = 256;

/// What a name sorts by, made once per name (sorting compares each name many times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The folded name in runs of digits and of everything else.
    parts: Vec<Part>,
    /// The name as given, for names that fold to the same parts.
    exact: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Letters and everything else that is not a digit, folded.
    Text(String),
    /// A run of ASCII digits without its leading zeros, and how many zeros there were.
    Number(String, usize),
}

impl Key {
    /// The key of `name`.
    pub fn new(name: &str) -> Key {
        let folded = fold(name);
        let mut parts = Vec::new();
        let mut rest = folded.as_str();
        while let Some(first) = rest.chars().next() {
            let digits = first.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digits)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            parts.push(if digits {
                let value = run.trim_start_matches('0');
                Part::Number(value.to_owned(), run.len() - value.len())
            } else {
                Part::Text(run.to_owned())
            });
            rest = tail;
        }
        Key {
            parts,
            exact: name.chars().take(MAX_CHARS).collect(),
        }
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        for (a, b) in self.parts.iter().zip(&other.parts) {
            let order = match (a, b) {
                (Part::Text(a), Part::Text(b)) => a.cmp(b),
                // Without leading zeros a longer run is a larger number; "07" after "7".
                (Part::Number(a, za), Part::Number(b, zb)) => a
                    .len()
                    .cmp(&b.len())
                    .then_with(|| a.cmp(b))
                    .then_with(|| za.cmp(zb)),
                // Digits before letters, as in every file manager.
                (Part::Number(..), Part::Text(_)) => Ordering::Less,
                (Part::Text(_), Part::Number(..)) => Ordering::Greater,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        self.parts
            .len()
            .cmp(&other.parts.len())
            .then_with(|| self.exact.cmp(&other.exact))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `text` without case and accents, for comparing and for finding ("emile" finds "Émile"):
/// canonical decomposition without its combining marks, then lower case, with the letters whose
/// upper case is two ("ß" → "SS") folded through it.
pub fn fold(text: &str) -> String {
    text.chars()
        .take(MAX_CHARS)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(_), Some(_)) => c.to_uppercase().flat_map(char::to_lowercase).collect(),
                _ => c.to_lowercase().collect::<Vec<_>>(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_number_value_without_case_or_accents() {
        // Each list is in the order a person expects.
        let cases: [&[&str]; 8] = [
            &["Contact 2", "Contact 10", "Contact 100"],
            &["contact 1", "Contact 2", "CONTACT 3"],
            &["Emile", "émile", "Eve"],
            &["Ärger", "Bob", "Öffnen", "Zoë", "zoe"],
            &["file7", "file07", "file8"],
            &["1 Pass", "Alpha", "Bravo 9", "Bravo 10"],
            &["Strasse", "Straße", "Strasser"],
            &["Anna", "Anna Lee", "Annabel"],
        ];
        for expected in cases {
            let mut sorted = expected.to_vec();
            sorted.reverse();
            sorted.sort_by_cached_key(|n| Key::new(n));
            assert_eq!(sorted, expected, "sorted by Key");
        }
    }

    #[test]
    fn only_case_and_accents_apart_is_still_one_fixed_order() {
        let names = ["émile", "Emile", "Émile", "emile"];
        let mut a = names.to_vec();
        let mut b = names.to_vec();
        b.reverse();
        a.sort_by_cached_key(|n| Key::new(n));
        b.sort_by_cached_key(|n| Key::new(n));
        assert_eq!(a, b, "the order does not depend on where they started");
        assert_eq!(Key::new("Émile").cmp(&Key::new("Émile")), Ordering::Equal);
    }

    #[test]
    fn folding_drops_case_and_accents_for_finding() {
        let cases = [
            ("Émile", "emile"),
            ("ZOË", "zoe"),
            ("Straße", "strasse"),
            ("Ёлка", "елка"),
            ("北京", "北京"),
        ];
        for (text, folded) in cases {
            assert_eq!(fold(text), folded, "{text}");
        }
    }
}
