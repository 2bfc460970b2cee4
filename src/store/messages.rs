//! Storing chat messages: batches with duplicate detection, and reading rows back into
//! [`ChatMessage`]s. The outbox is in `outbox.rs`, history pages and search in `history.rs`.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{Store, StoreError, Stored, parse_column};
use crate::model::{
    BareJid, ChatMessage, Delivery, Direction, Encryption, Extras, MessageChange, MessageId,
    Millis, ReplyTo,
};

/// The columns [`message_from_row`] reads, in its order; a macro so that queries can be
/// built with `concat!`. Every query using it must leave these names unambiguous.
macro_rules! message_columns {
    () => {
        "id, account, peer, direction, body, sent_at, received_at, remote_id, origin_id, \
         stanza_id, delivery, delayed, carbon, edited_at, retracted_at, reply_to_id, \
         reply_to_author, encryption"
    };
}
pub(super) use message_columns;

/// How far apart two messages with the same stanza `id` may be sent and still be one message.
/// Stanza ids are only unique per sender and session, so an old one may come back.
const REMOTE_ID_WINDOW: Millis = 24 * 60 * 60 * 1000;

/// What a batch did: the messages newly stored, in input order, and the earlier messages that
/// corrections, retractions and reactions of the batch (or kept from before) changed.
#[derive(Debug, Default)]
pub struct Inserted {
    /// Newly stored messages, `local_id` set.
    pub messages: Vec<ChatMessage>,
    /// Earlier messages changed, in the order the changes were applied.
    pub changes: Vec<MessageChange>,
}

/// Stores `msgs` in `tx`, skipping duplicates, then applies the changes among them: first the
/// messages, indexed together (a change rewrites a body only once it is in the index), then
/// the kept changes that were waiting for those messages, then the batch's own in order.
fn insert_batch(tx: &Connection, msgs: Vec<ChatMessage>) -> rusqlite::Result<Inserted> {
    let mut done = Inserted::default();
    let mut amendments = Vec::new();
    for mut msg in msgs {
        if msg.extras.amends.is_some() {
            amendments.push(msg);
            continue;
        }
        match find_duplicate(tx, &msg)? {
            Some(dup) => backfill_stanza_id(tx, &dup, &msg)?,
            None => {
                msg.local_id = insert(tx, &msg)?;
                done.messages.push(msg);
            }
        }
    }
    let ids: Vec<i64> = done.messages.iter().map(|m| m.local_id).collect();
    index_bodies(tx, &ids)?;
    for msg in &done.messages {
        super::amend::apply_waiting(tx, msg, &mut done.changes)?;
    }
    for msg in amendments {
        super::amend::apply(tx, msg, &mut done.changes)?;
    }
    Ok(done)
}

/// Rule 1: the same archive id.
const DUP_BY_STANZA_ID: &str = "SELECT id, stanza_id, origin_id, sent_at FROM messages \
     WHERE account = ?1 AND stanza_id = ?2 LIMIT 1";

/// Rule 2: the same origin-id; the caller skips candidates whose archive id conflicts. No
/// ORDER BY in these lookups: with one, SQLite re-prepares the statement at every execution
/// while the table grows inside the batch's transaction (measured: half the insert time).
const DUP_BY_ORIGIN_ID: &str = "SELECT id, stanza_id, origin_id, sent_at FROM messages \
     WHERE account = ?1 AND peer = ?2 AND direction = ?3 AND origin_id = ?4 LIMIT 16";

/// Rule 3: the same stanza `id` within the window, filtered like rule 2. Pinned to its index:
/// left alone, SQLite prefers the conversation index for the time range and reads a day of
/// messages for every insert.
const DUP_BY_REMOTE_ID: &str = "SELECT id, stanza_id, origin_id, sent_at FROM messages \
     INDEXED BY messages_remote_id \
     WHERE account = ?1 AND direction = ?2 AND remote_id = ?3 AND peer = ?4 \
     AND sent_at BETWEEN ?5 AND ?6 LIMIT 16";

impl Store {
    /// Stores a batch of messages in one transaction and returns the ones newly stored, with
    /// `local_id` set, in input order; duplicates are skipped. A message is a duplicate of a
    /// stored one of the same account with, in this order of rules:
    /// 1. the same archive `stanza_id`;
    /// 2. the same peer, direction and `origin_id`;
    /// 3. the same peer, direction and `remote_id`, sent within 24 hours of it.
    ///
    /// Rule 3 never pairs two messages whose stanza-ids or origin-ids are both known and differ:
    /// those are different messages. Rule 2 pairs two known and different stanza-ids only
    /// within 24 hours: a sender that was not sure the server got a message sends it again with
    /// the same origin-id (XEP-0198, XEP-0359), and the server archives that copy under a new
    /// archive id; it is still one message. When rule 2 or 3 finds a stored
    /// message without a stanza-id and the new copy has one, the stored message takes it: that
    /// is how a sent message learns its archive id from the archive's echo. Nothing else of a
    /// stored message changes (an outbound message keeps its delivery state). Bodies are never
    /// compared.
    ///
    /// A message whose `extras.amends` is set is not stored as one: it changes the message it
    /// names (store/amend.rs); [`Store::insert_received`] tells what it changed.
    pub async fn insert_messages(
        &self,
        msgs: Vec<ChatMessage>,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let done = insert_batch(&tx, msgs)?;
            tx.commit()?;
            Ok(done.messages)
        })
        .await
    }

    /// [`Store::insert_messages`] for received messages, moving the account's archive anchor
    /// (where the next catch-up starts, [`Store::last_archived`]) to `anchor` in the same
    /// transaction: the anchor never covers a message that is not stored.
    pub async fn insert_received(
        &self,
        account: &BareJid,
        msgs: Vec<ChatMessage>,
        anchor: Option<super::history::Anchor>,
    ) -> Result<Inserted, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let done = insert_batch(&tx, msgs)?;
            if let Some((id, at)) = anchor {
                tx.prepare_cached(
                    "UPDATE accounts SET archive_anchor = ?2, archive_anchor_at = ?3 \
                     WHERE jid = ?1",
                )?
                .execute(params![account, id, at])?;
            }
            tx.commit()?;
            Ok(done)
        })
        .await
    }
}

/// A stored message that a new one duplicates.
struct Duplicate {
    id: i64,
    stanza_id: Option<MessageId>,
    origin_id: Option<MessageId>,
    sent_at: Millis,
}

fn find_duplicate(conn: &Connection, msg: &ChatMessage) -> rusqlite::Result<Option<Duplicate>> {
    let direction = msg.direction.as_str();
    if let Some(stanza_id) = &msg.stanza_id {
        let found = conn
            .prepare_cached(DUP_BY_STANZA_ID)?
            .query_row(params![msg.account.as_str(), stanza_id], duplicate_from_row)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    // From here on, two known archive ids differ (rule 1 found no equal one): different
    // messages, unless the sender's own origin-id says it sent this one again. Two known
    // origin-ids that differ are different messages for rule 3.
    let conflicts =
        |mine: &Option<MessageId>, theirs: &Option<MessageId>| mine.is_some() && theirs.is_some();
    if let Some(origin_id) = &msg.origin_id {
        let mut stmt = conn.prepare_cached(DUP_BY_ORIGIN_ID)?;
        let mut rows = stmt.query(params![
            msg.account.as_str(),
            msg.peer.as_str(),
            direction,
            origin_id
        ])?;
        while let Some(row) = rows.next()? {
            let dup = duplicate_from_row(row)?;
            let resent = msg.sent_at.abs_diff(dup.sent_at) <= REMOTE_ID_WINDOW.unsigned_abs();
            if resent || !conflicts(&msg.stanza_id, &dup.stanza_id) {
                return Ok(Some(dup));
            }
        }
    }
    if let Some(remote_id) = &msg.remote_id {
        let earliest = msg.sent_at.saturating_sub(REMOTE_ID_WINDOW);
        let latest = msg.sent_at.saturating_add(REMOTE_ID_WINDOW);
        let mut stmt = conn.prepare_cached(DUP_BY_REMOTE_ID)?;
        let mut rows = stmt.query(params![
            msg.account.as_str(),
            direction,
            remote_id,
            msg.peer.as_str(),
            earliest,
            latest
        ])?;
        while let Some(row) = rows.next()? {
            let dup = duplicate_from_row(row)?;
            if !conflicts(&msg.stanza_id, &dup.stanza_id)
                && !conflicts(&msg.origin_id, &dup.origin_id)
            {
                return Ok(Some(dup));
            }
        }
    }
    Ok(None)
}

fn duplicate_from_row(row: &Row<'_>) -> rusqlite::Result<Duplicate> {
    Ok(Duplicate {
        id: row.get(0)?,
        stanza_id: super::id_column(row, 1)?,
        origin_id: super::id_column(row, 2)?,
        sent_at: row.get(3)?,
    })
}

fn backfill_stanza_id(
    conn: &Connection,
    dup: &Duplicate,
    msg: &ChatMessage,
) -> rusqlite::Result<()> {
    if let (None, Some(stanza_id)) = (&dup.stanza_id, &msg.stanza_id) {
        conn.prepare_cached("UPDATE messages SET stanza_id = ?2 WHERE id = ?1")?
            .execute(params![dup.id, stanza_id])?;
    }
    Ok(())
}

const INSERT: &str = "INSERT INTO messages (account, peer, direction, body, sent_at, \
     received_at, remote_id, origin_id, stanza_id, delivery, delayed, carbon) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// Adds the bodies of the rows `ids` to the full-text index, in one statement (see the note
/// in the schema on why this is not a trigger), under their order keys and with their scope
/// tokens (`messages_fts_content` in 0002_search_order.sql; since 0003_unspaced_scripts.sql
/// the view gives the body as `natter_index_text` splits it). Every code path that inserts
/// messages calls it in the same transaction.
pub(super) fn index_bodies(conn: &Connection, ids: &[i64]) -> rusqlite::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    conn.prepare_cached(
        "INSERT INTO messages_fts (rowid, body, scope) SELECT key, body, scope \
         FROM messages_fts_content WHERE id IN (SELECT value FROM json_each(?1))",
    )?
    .execute([format!("[{}]", list.join(","))])?;
    Ok(())
}

/// Milliseconds a message's order key can tell apart: 2^43 either side of 1970 (1691..2248).
const ORDER_TIME_LIMIT: Millis = 1 << 43;
/// Keys per millisecond: the messages stored with the same `sent_at` before the millisecond
/// is full (then the rest take any free key; see 0002_search_order.sql).
const KEYS_PER_MILLI: i64 = 1 << 20;

/// The first order key of the millisecond `sent_at`. The migration computes the same.
pub(super) fn order_base(sent_at: Millis) -> i64 {
    sent_at.clamp(-ORDER_TIME_LIMIT, ORDER_TIME_LIMIT - 1) * KEYS_PER_MILLI
}

/// The next free key of the message's millisecond, after every message stored there before
/// (their ids are smaller), or NULL (any free key) when the millisecond is full.
const ORDER_KEY: &str = "INSERT INTO message_order (key, message_id) \
     SELECT CASE WHEN top IS NULL THEN ?1 WHEN top < ?2 THEN top + 1 END, ?3 \
     FROM (SELECT max(key) AS top FROM message_order WHERE key BETWEEN ?1 AND ?2)";

/// Gives the stored message `id` its place in the search order.
fn order_key(conn: &Connection, id: i64, sent_at: Millis) -> rusqlite::Result<()> {
    let first = order_base(sent_at);
    conn.prepare_cached(ORDER_KEY)?
        .execute(params![first, first + (KEYS_PER_MILLI - 1), id])?;
    Ok(())
}

/// Inserts one message row, with its order key, and returns its id. The caller indexes its
/// body afterwards with [`index_bodies`].
pub(super) fn insert(conn: &Connection, msg: &ChatMessage) -> rusqlite::Result<i64> {
    conn.prepare_cached(INSERT)?.execute(params![
        msg.account.as_str(),
        msg.peer.as_str(),
        msg.direction.as_str(),
        msg.body,
        msg.sent_at,
        msg.received_at,
        msg.remote_id,
        msg.origin_id,
        msg.stanza_id,
        msg.delivery.as_str(),
        msg.delayed,
        msg.carbon,
    ])?;
    let id = conn.last_insert_rowid();
    order_key(conn, id, msg.sent_at)?;
    insert_extras(conn, id, &msg.extras)?;
    Ok(id)
}

/// The columns and rows of schema 6 (issue 17), for a message that has any: most have none,
/// and the insert of a burst stays what it was.
fn insert_extras(conn: &Connection, id: i64, x: &Extras) -> rusqlite::Result<()> {
    let reply = x.reply_to.as_ref();
    let plain = x.edited_at.is_none() && x.retracted_at.is_none() && reply.is_none();
    if plain && x.encryption.is_none() {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE messages SET edited_at = ?2, retracted_at = ?3, reply_to_id = ?4, \
         reply_to_author = ?5, encryption = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id,
        x.edited_at,
        x.retracted_at,
        reply.map(|r| r.id.as_str()),
        reply.and_then(|r| r.author.as_ref()).map(|a| a.as_str()),
        x.encryption.as_ref().map(|e| e.scheme.as_str()),
    ])?;
    if let Some(e) = &x.encryption {
        conn.prepare_cached(
            "INSERT INTO message_encrypted (message_id, fallback, payload) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, e.fallback, e.payload])?;
    }
    Ok(())
}

/// Reads a message from the columns of [`message_columns`].
pub(super) fn message_from_row(row: &Row<'_>) -> rusqlite::Result<ChatMessage> {
    Ok(ChatMessage {
        local_id: row.get(0)?,
        account: super::address_column(row, 1)?,
        peer: super::address_column(row, 2)?,
        direction: parse_column(row, 3, Stored::Direction, Direction::parse)?,
        body: row.get(4)?,
        sent_at: row.get(5)?,
        received_at: row.get(6)?,
        remote_id: super::id_column(row, 7)?,
        origin_id: super::id_column(row, 8)?,
        stanza_id: super::id_column(row, 9)?,
        delivery: parse_column(row, 10, Stored::Delivery, Delivery::parse)?,
        delayed: row.get(11)?,
        carbon: row.get(12)?,
        extras: Box::new(Extras {
            edited_at: row.get(13)?,
            retracted_at: row.get(14)?,
            reply_to: super::id_column(row, 15)?.map(|id| {
                let author = row
                    .get::<_, Option<String>>(16)
                    .ok()
                    .flatten()
                    .and_then(|a| BareJid::new(&a).ok());
                ReplyTo::new(id, author)
            }),
            // The fallback and payload are read by [`super::amend::attach`].
            encryption: row.get::<_, Option<String>>(17)?.map(|scheme| Encryption {
                scheme,
                fallback: String::new(),
                payload: String::new(),
            }),
            reactions: Vec::new(),
            amends: None,
        }),
    })
}

#[cfg(test)]
mod tests;
