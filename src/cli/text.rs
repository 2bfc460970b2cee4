//! Plain-text output for people: aligned columns and local times.

use std::fmt::Write as _;

use chrono::{DateTime, Local};
use unicode_width::UnicodeWidthStr as _;

use crate::model::Millis;

/// Rows as aligned columns separated by two spaces; the last column is not padded. Widths are
/// terminal columns, so headings and names in Chinese (two columns a character) line up too.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[c].saturating_sub(cell.width());
                let _ = write!(line, "{cell}{:pad$}  ", "");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A local date and time, `2024-05-01 14:00`.
pub fn local_time(millis: Millis) -> String {
    DateTime::from_timestamp_millis(millis)
        .map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| "?".to_owned())
}

/// A whole text from the network (a message, a status) on one line, made safe by the same
/// rules as names ([`crate::model::text::safe_name`]): no control character can move the
/// cursor of the person's terminal, no bidi control can reorder what it shows. Not cut: the
/// session already bounds what it accepts, and the command is there to show it.
pub fn whole(text: &str) -> String {
    crate::model::text::safe_line(text, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let rows = vec![
            vec![
                "JID".to_owned(),
                "SUBSCRIPTION".to_owned(),
                "GROUPS".to_owned(),
            ],
            vec![
                "bob@example.org".to_owned(),
                "both".to_owned(),
                "Friends".to_owned(),
            ],
        ];
        assert_eq!(
            table(&rows),
            "JID              SUBSCRIPTION  GROUPS\nbob@example.org  both          Friends\n"
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let rows = vec![
            vec!["联系人".to_owned(), "x".to_owned()],
            vec!["bob".to_owned(), "y".to_owned()],
        ];
        assert_eq!(table(&rows), "联系人  x\nbob     y\n");
    }

    #[test]
    fn texts_from_the_network_cannot_reach_the_terminal() {
        assert_eq!(whole("a\nb\u{1b}[2J"), "a b [2J");
        assert_eq!(whole("\u{202E}evil\u{202C} text"), "evil text");
    }
}
