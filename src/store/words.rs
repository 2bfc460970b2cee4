//! Where the full-text index splits words in scripts written without spaces between them.
//!
//! FTS5's `unicode61` tokenizer splits at spaces and punctuation, so a run of Chinese or
//! Japanese characters (a whole sentence) was one token and a word inside it was never found.
//! The index now holds such text with each of those characters as a token of its own, and a
//! search word is split the same way and searched as a phrase: the characters must stand side
//! by side, in order, which is what finding a word in such a sentence means. Other text is
//! indexed exactly as before.
//!
//! The split is the SQL function `natter_index_text`, registered on every connection the store
//! opens, because the index's content view and its triggers (0003_unspaced_scripts.sql) call it;
//! a connection without it (the `sqlite3` shell) can read everything but cannot change or
//! delete a message.

use std::borrow::Cow;

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{Value, ValueRef};

/// The SQL name of [`index_text`].
const FUNCTION: &str = "natter_index_text";

/// Characters of scripts written without spaces between words, each indexed as a word: Han
/// (Chinese characters, and Japanese kanji), Hiragana, Katakana (full and half width), and
/// Hangul syllables (Korean puts spaces between phrases, but endings are written onto the
/// word, so "한국" inside "한국어를" is found only this way). Thai, Lao, Khmer and Myanmar
/// are left alone: their vowel signs are separate characters that must stay with their letter.
pub(super) fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF        // Hiragana, Katakana
        | 0x31F0..=0x31FF      // Katakana phonetic extensions
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xAC00..=0xD7A3      // Hangul syllables
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFF66..=0xFF9F      // half-width Katakana
        | 0x20000..=0x3134F    // CJK extensions B to G
    )
}

/// The text as the index holds it: a space on either side of every character of
/// [`is_unspaced`]; any other text unchanged (and not copied).
pub(super) fn index_text(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(is_unspaced) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if is_unspaced(c) {
            out.push(' ');
            out.push(c);
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Makes [`index_text`] callable from SQL on `conn` as `natter_index_text(text)`; NULL and
/// non-text values come back as they went in.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_INNOCUOUS,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) => Value::Text(index_text(text).into_owned()),
                    // Not UTF-8 (written by something else): indexed as it is, as before.
                    Err(_) => Value::Blob(bytes.to_vec()),
                },
                ValueRef::Null => Value::Null,
                ValueRef::Integer(i) => Value::Integer(i),
                ValueRef::Real(f) => Value::Real(f),
                ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspaced_scripts_are_split_into_characters_and_the_rest_is_left_alone() {
        assert!(matches!(index_text("plain words, é"), Cow::Borrowed(_)));
        assert_eq!(index_text("我今天很高兴"), " 我  今  天  很  高  兴 ");
        assert_eq!(index_text("iPhone手机"), "iPhone 手  机 ");
        assert_eq!(index_text("東京へ行く"), " 東  京  へ  行  く ");
        assert_eq!(
            index_text("한국어를 배워요"),
            " 한  국  어  를   배  워  요 "
        );
        // Punctuation of those scripts stays: the tokenizer drops it as it did.
        assert_eq!(index_text("好。"), " 好 。");
        assert_eq!(index_text("𠀀"), " 𠀀 ");
        assert_eq!(index_text("สวัสดี"), "สวัสดี");
        assert_eq!(index_text(""), "");
    }

    #[test]
    fn the_sql_function_gives_the_same_text() {
        let conn = Connection::open_in_memory().expect("memory db");
        register(&conn).expect("register");
        let (split, plain, null, number): (String, String, Option<String>, i64) = conn
            .query_row(
                "SELECT natter_index_text('高兴'), natter_index_text('hi'), \
                 natter_index_text(NULL), natter_index_text(7)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("query");
        assert_eq!(
            (split.as_str(), plain.as_str(), null, number),
            (" 高  兴 ", "hi", None, 7)
        );
    }
}
