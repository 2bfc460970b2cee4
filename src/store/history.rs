//! Reading history back: pages of a conversation, full-text search, archive position, counts.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::messages::{message_columns, message_from_row};
use super::{Store, StoreError, sql_limit, words};
use crate::model::{BareJid, ChatMessage, MessageId, Millis};

/// Where an archive catch-up starts: after this archive id (none when nothing was archived when
/// the account last caught up), and the time of that message or of that catch-up.
pub type Anchor = (Option<MessageId>, Millis);

/// The newest messages of a conversation strictly before a cursor, newest first. The row-value
/// comparison lets SQLite seek in `messages_conversation` instead of walking it, so a page
/// deep in a long history costs the same as the first.
const HISTORY_BEFORE: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE account = ?1 AND peer = ?2 AND (sent_at, id) < (?3, ?4)",
    " ORDER BY sent_at DESC, id DESC LIMIT ?5"
);

/// The newest messages of a conversation, newest first.
const HISTORY_LATEST: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE account = ?1 AND peer = ?2",
    " ORDER BY sent_at DESC, id DESC LIMIT ?3"
);

/// Full-text matches, newest first, found by walking the index from its newest key down and
/// stopping at the limit: the index's rowid is the order key (0002_search_order.sql), so no
/// hit is sorted and a word in every fifth message costs the same as a rare one. Within a
/// conversation the query names its token (see [`fts_query`]) so that FTS5 skips other
/// conversations' hits; the WHERE clause still decides. CROSS JOIN keeps the index as the
/// outer loop.
const SEARCH: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM (SELECT rowid AS hit FROM messages_fts WHERE messages_fts MATCH ?1)",
    " CROSS JOIN message_order ON message_order.key = hit",
    " CROSS JOIN messages ON messages.id = message_order.message_id",
    " WHERE account = ?2 AND (?3 IS NULL OR peer = ?3)",
    " ORDER BY hit DESC LIMIT ?4"
);

/// The archived message stored last: where every catch-up of the schemas before 5 ended, since
/// they stored the archive in its own order. Not the one with the newest stamp: a stamp is what
/// a sender claimed, and one in the future would hide everything before it. Read from the end
/// of the table back (NOT INDEXED): any index would sort every archived message of the account
/// first, and the newest rows are almost always the account's archived ones.
const LAST_STANZA_ID: &str = "SELECT stanza_id, sent_at FROM messages NOT INDEXED \
     WHERE account = ?1 AND stanza_id IS NOT NULL ORDER BY id DESC LIMIT 1";

/// Where the account's catch-up starts, as schema 5 keeps it.
const ANCHOR: &str = "SELECT archive_anchor, archive_anchor_at FROM accounts \
     WHERE jid = ?1 AND archive_anchor_at IS NOT NULL";

/// The newest message's time per contact: a MAX over `messages_conversation` for each row of
/// the roster, not a walk over every message.
const LAST_MESSAGES: &str = "SELECT r.jid, (SELECT MAX(m.sent_at) FROM messages m \
     WHERE m.account = r.account AND m.peer = r.jid) FROM roster r WHERE r.account = ?1";

impl Store {
    /// One page of the conversation of `account` with `peer`: the newest `limit` messages
    /// strictly before `before` (a `(sent_at, local_id)` cursor, usually the oldest message
    /// shown), or the newest overall when `before` is `None`. Returned oldest first.
    pub async fn history(
        &self,
        account: &BareJid,
        peer: &BareJid,
        before: Option<(Millis, i64)>,
        limit: usize,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        let (account, peer, limit) = (account.to_string(), peer.to_string(), sql_limit(limit));
        self.call(move |conn| {
            let mut page = match before {
                Some((sent_at, id)) => conn
                    .prepare_cached(HISTORY_BEFORE)?
                    .query_map(params![account, peer, sent_at, id, limit], message_from_row)?
                    .collect::<Result<Vec<_>, _>>()?,
                None => conn
                    .prepare_cached(HISTORY_LATEST)?
                    .query_map(params![account, peer, limit], message_from_row)?
                    .collect::<Result<Vec<_>, _>>()?,
            };
            page.reverse();
            super::amend::attach_to(conn, &mut page)?;
            Ok(page)
        })
        .await
    }

    /// Where the stored conversation of `account` with `peer` starts: the archive id of the
    /// oldest stored message that has one, and when the oldest of all was sent; `None` when
    /// nothing is stored.
    pub async fn oldest(
        &self,
        account: &BareJid,
        peer: &BareJid,
    ) -> Result<Option<(Option<MessageId>, Millis)>, StoreError> {
        let (account, peer) = (account.to_string(), peer.to_string());
        self.call(move |conn| {
            let (archive_id, sent_at): (Option<MessageId>, Option<Millis>) = conn
                .prepare_cached(
                    "SELECT (SELECT stanza_id FROM messages WHERE account = ?1 AND peer = ?2 \
                     AND stanza_id IS NOT NULL ORDER BY sent_at, id LIMIT 1), \
                     (SELECT min(sent_at) FROM messages WHERE account = ?1 AND peer = ?2)",
                )?
                .query_row(params![account, peer], |row| {
                    Ok((super::id_column(row, 0)?, row.get(1)?))
                })?;
            Ok(sent_at.map(|at| (archive_id, at)))
        })
        .await
    }

    /// Messages of `account` (only those with `peer` when given) whose body contains every
    /// word of `text`, newest first. The text is taken literally: each whitespace-separated
    /// word is searched as a quoted phrase, so operators, quotes or brackets typed by a person
    /// never make a query error. Text without any letter or digit finds nothing.
    pub async fn search(
        &self,
        account: &BareJid,
        peer: Option<&BareJid>,
        text: &str,
        limit: usize,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        let Some(query) = fts_query(text, account, peer) else {
            return Ok(Vec::new());
        };
        let (account, peer, limit) = (
            account.to_string(),
            peer.map(BareJid::to_string),
            sql_limit(limit),
        );
        self.call(move |conn| {
            let mut found = conn
                .prepare_cached(SEARCH)?
                .query_map(params![query, account, peer, limit], message_from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            super::amend::attach_to(conn, &mut found)?;
            Ok(found)
        })
        .await
    }

    /// The archive id (XEP-0359 stanza-id) of the archived message of `account` stored last.
    pub async fn last_stanza_id(&self, account: &BareJid) -> Result<Option<String>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            conn.prepare_cached(LAST_STANZA_ID)?
                .query_row([&account], |row| row.get(0))
                .optional()
        })
        .await
    }

    /// Where the archive catch-up of `account` starts: the archive id after which nothing is
    /// missing (`None` when nothing was archived when it last caught up), and when (that
    /// message was sent, or it caught up): the time is where a query starts without an id, or
    /// when the server no longer knows it. Moved by [`Store::insert_received`]; before that,
    /// the archived message stored last.
    pub async fn last_archived(&self, account: &BareJid) -> Result<Option<Anchor>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let anchor = conn
                .prepare_cached(ANCHOR)?
                .query_row([&account], |row| {
                    Ok((super::id_column(row, 0)?, row.get(1)?))
                })
                .optional()?;
            match anchor {
                Some(anchor) => Ok(Some(anchor)),
                None => conn
                    .prepare_cached(LAST_STANZA_ID)?
                    .query_row([&account], |row| {
                        Ok((super::id_column(row, 0)?, row.get(1)?))
                    })
                    .optional(),
            }
        })
        .await
    }

    /// When the newest stored message with each contact of `account` was sent (contacts
    /// without messages are left out). One index seek per contact.
    pub async fn last_message_times(
        &self,
        account: &BareJid,
    ) -> Result<HashMap<BareJid, Millis>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            conn.prepare_cached(LAST_MESSAGES)?
                .query_map([&account], |row| {
                    Ok((
                        super::address_column(row, 0)?,
                        row.get::<_, Option<Millis>>(1)?,
                    ))
                })?
                .filter_map(|row| match row {
                    Ok((jid, Some(at))) => Some(Ok((jid, at))),
                    Ok((_, None)) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect()
        })
        .await
    }

    /// How many messages `account` has stored.
    pub async fn message_count(&self, account: &BareJid) -> Result<u64, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let count: i64 = conn
                .prepare_cached("SELECT count(*) FROM messages WHERE account = ?1")?
                .query_row([&account], |row| row.get(0))?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
        .await
    }
}

/// Turns a person's search text into an FTS5 query that cannot be a syntax error: every
/// whitespace-separated word becomes a phrase in double quotes (inner quotes doubled), and
/// the phrases are ANDed within the body column, and with the conversation's token when one
/// conversation is searched. Control characters separate words (FTS5 would read a NUL as the
/// end of the query), and words without a letter or digit hold no token and are dropped. A
/// word in a script written without spaces is split as the index splits it, so the phrase
/// finds it inside a longer run of such text (store/words.rs).
///
/// Searching a whole account has no token to narrow it: with several accounts, the hits of
/// the others are walked and dropped by the query (the app and the CLI always search one
/// conversation).
fn fts_query(text: &str, account: &BareJid, peer: Option<&BareJid>) -> Option<String> {
    let phrases: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"", words::index_text(word).replace('"', "\"\"")))
        .collect();
    if phrases.is_empty() {
        return None;
    }
    let words = format!("body : ({})", phrases.join(" "));
    Some(match peer {
        Some(peer) => format!(
            "{words} AND scope : \"c{}x{}\"",
            hex(account.as_str()),
            hex(peer.as_str())
        ),
        None => words,
    })
}

/// SQLite's `hex()`: the bytes in upper-case hexadecimal, as the index's scope tokens are made.
fn hex(text: &str) -> String {
    use std::fmt::Write;
    text.bytes()
        .fold(String::with_capacity(text.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02X}");
            out
        })
}

#[cfg(test)]
mod tests;
