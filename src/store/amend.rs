//! Corrections, retractions and reactions applied to the messages they name (issue 17), the
//! ones naming a message not stored yet kept until it comes, and what a page of history shows
//! of them (reactions, encrypted payloads, earlier versions).
//!
//! A change applies only to a message of its own conversation, and a correction or retraction
//! only to one sent by the same side (a peer's to the peer's messages, the account's devices'
//! to the account's): nobody changes someone else's words. A change is found by the ids the
//! XEPs name messages with (origin-id, `id`, the archive's stanza-id) and by the ids of the
//! changes already applied (a correction of a correction); the same change coming twice (live,
//! then in the archive) applies once.

use rusqlite::{Connection, OptionalExtension, params};

use super::messages::{message_columns, message_from_row};
use super::{Store, StoreError};
use crate::model::amend::{MAX_REACTORS_PER_MESSAGE, MAX_VERSIONS, reaction_set};
use crate::model::{
    Amendment, BareJid, ChatMessage, Direction, Encryption, MessageChange, MessageId, Millis,
    Reaction,
};

/// Changes kept for a message not stored yet, per account: beyond, the oldest go.
pub const MAX_WAITING: i64 = 1_000;
/// How long a change waits for its message: a week (an archive catch-up brings what came
/// while offline; anything later than that is not coming).
pub const WAITING_FOR: Millis = 7 * 24 * 60 * 60 * 1000;

const BY_ORIGIN_ID: &str = "SELECT id FROM messages WHERE account = ?1 AND peer = ?2 \
     AND direction = ?3 AND origin_id = ?4 LIMIT 1";
const BY_REMOTE_ID: &str = "SELECT id FROM messages INDEXED BY messages_remote_id \
     WHERE account = ?1 AND direction = ?3 AND remote_id = ?4 AND peer = ?2 LIMIT 1";
const BY_STANZA_ID: &str = "SELECT id FROM messages WHERE account = ?1 AND stanza_id = ?4 \
     AND peer = ?2 AND direction = ?3 LIMIT 1";
const BY_ALIAS: &str = "SELECT message_id FROM message_aliases WHERE account = ?1 \
     AND peer = ?2 AND direction = ?3 AND alias = ?4";
const ONE_MESSAGE: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE id = ?1"
);

/// The stored message of the conversation `(account, peer)` sent by `direction`'s side that
/// `id` names, if any.
pub(super) fn resolve(
    conn: &Connection,
    account: &BareJid,
    peer: &BareJid,
    direction: Direction,
    id: &str,
) -> rusqlite::Result<Option<i64>> {
    for sql in [BY_ORIGIN_ID, BY_REMOTE_ID, BY_STANZA_ID, BY_ALIAS] {
        let found = conn
            .prepare_cached(sql)?
            .query_row(
                params![account.as_str(), peer.as_str(), direction.as_str(), id],
                |row| row.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Fills in what outbound replies carry for clients without replies: the answered message's
/// text (and who wrote it, when the reply did not say: the command line and headless mode
/// name only the id). A reply to a message not stored, retracted or unreadable quotes nothing.
pub(super) fn quote_replies(conn: &Connection, msgs: &mut [ChatMessage]) -> rusqlite::Result<()> {
    for msg in msgs.iter_mut() {
        let (account, peer) = (&msg.account, &msg.peer);
        let Some(reply) = msg.extras.reply_to.as_mut() else {
            continue;
        };
        let mut found = None;
        for side in [Direction::Out, Direction::In] {
            if found.is_none() {
                found = resolve(conn, account, peer, side, &reply.id)?;
            }
        }
        let Some(quoted) = found.map(|id| load(conn, id)).transpose()?.flatten() else {
            continue;
        };
        if reply.author.is_none() {
            reply.author = Some(match quoted.direction {
                Direction::Out => quoted.account.clone(),
                Direction::In => quoted.peer.clone(),
            });
        }
        let readable = !quoted.extras.retracted() && quoted.extras.encryption.is_none();
        reply.quote = readable.then_some(quoted.body);
    }
    Ok(())
}

/// The conversation of the account's message named `id` (any side's when `any_side`).
pub(super) fn own_target_peer(
    conn: &Connection,
    account: &BareJid,
    id: &str,
    any_side: bool,
) -> rusqlite::Result<Option<BareJid>> {
    let peer: Option<String> = conn
        .prepare_cached(
            "SELECT peer FROM messages WHERE account = ?1 AND (remote_id = ?2 OR origin_id = ?2) \
             AND (?3 OR direction = 'out') ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![account.as_str(), id, any_side], |row| row.get(0))
        .optional()?;
    Ok(peer.and_then(|p| BareJid::new(&p).ok()))
}

/// The ids a change came under, to know it again.
fn own_ids(msg: &ChatMessage) -> impl Iterator<Item = &str> {
    [&msg.origin_id, &msg.remote_id, &msg.stanza_id]
        .into_iter()
        .filter_map(|id| id.as_deref())
}

/// Applies the change `msg` carries, or keeps it until its message comes.
pub(super) fn apply(
    conn: &Connection,
    msg: ChatMessage,
    changes: &mut Vec<MessageChange>,
) -> rusqlite::Result<()> {
    let Some(amendment) = msg.extras.amends.clone() else {
        return Ok(());
    };
    if seen(conn, &msg)? {
        return Ok(());
    }
    let target = amendment.target();
    // A reaction may name either side's message; anything else only its own side's.
    let sides: &[Direction] = match amendment {
        Amendment::Reactions { .. } => &[Direction::In, Direction::Out],
        _ => &[msg.direction],
    };
    let mut found = None;
    for side in sides {
        found = found.or(resolve(conn, &msg.account, &msg.peer, *side, target)?);
    }
    let Some(id) = found else {
        return keep_waiting(conn, &msg, target);
    };
    remember(conn, &msg, id)?;
    let applied = match &amendment {
        Amendment::Correction { .. } => correct(conn, id, &msg)?,
        Amendment::Retraction { .. } => retract(conn, id, msg.sent_at)?,
        Amendment::Reactions { emoji, .. } => react(conn, id, &msg, emoji)?,
    };
    if !applied {
        return Ok(());
    }
    let Some(mut message) = load(conn, id)? else {
        return Ok(());
    };
    attach_to(conn, std::slice::from_mut(&mut message))?;
    changes.push(match amendment {
        Amendment::Correction { .. } => MessageChange::Corrected(message),
        Amendment::Retraction { .. } => MessageChange::Retracted(message),
        Amendment::Reactions { emoji, .. } => MessageChange::Reactions {
            message,
            from: sender(&msg),
            emoji,
        },
    });
    Ok(())
}

/// Whether this change was applied before (it came live, and now from the archive).
fn seen(conn: &Connection, msg: &ChatMessage) -> rusqlite::Result<bool> {
    for id in own_ids(msg) {
        let found: Option<i64> = conn
            .prepare_cached(BY_ALIAS)?
            .query_row(
                params![
                    msg.account.as_str(),
                    msg.peer.as_str(),
                    msg.direction.as_str(),
                    id
                ],
                |row| row.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Records the change's ids as naming message `id`.
fn remember(conn: &Connection, msg: &ChatMessage, id: i64) -> rusqlite::Result<()> {
    for alias in own_ids(msg) {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO message_aliases (account, peer, direction, alias, message_id) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            msg.account.as_str(),
            msg.peer.as_str(),
            msg.direction.as_str(),
            alias,
            id
        ])?;
    }
    Ok(())
}

/// Who made a change: the peer, or the account (from any of its devices).
fn sender(msg: &ChatMessage) -> BareJid {
    match msg.direction {
        Direction::In => msg.peer.clone(),
        Direction::Out => msg.account.clone(),
    }
}

/// The state of a stored message that a change needs.
struct Current {
    body: String,
    sent_at: Millis,
    edited_at: Option<Millis>,
    retracted: bool,
}

fn current(conn: &Connection, id: i64) -> rusqlite::Result<Option<Current>> {
    conn.prepare_cached(
        "SELECT body, sent_at, edited_at, retracted_at IS NOT NULL FROM messages WHERE id = ?1",
    )?
    .query_row([id], |row| {
        Ok(Current {
            body: row.get(0)?,
            sent_at: row.get(1)?,
            edited_at: row.get(2)?,
            retracted: row.get(3)?,
        })
    })
    .optional()
}

/// A correction: the newest text becomes the body, the one it replaces a version; a correction
/// older than the text shown (it came late, from the archive) is only a version.
fn correct(conn: &Connection, id: i64, msg: &ChatMessage) -> rusqlite::Result<bool> {
    let Some(now) = current(conn, id)? else {
        return Ok(false);
    };
    if now.retracted || msg.body.trim().is_empty() {
        return Ok(false);
    }
    let newer = now.edited_at.is_none_or(|at| msg.sent_at >= at);
    if newer {
        add_version(conn, id, now.edited_at.unwrap_or(now.sent_at), &now.body)?;
        conn.prepare_cached("UPDATE messages SET body = ?2, edited_at = ?3 WHERE id = ?1")?
            .execute(params![id, msg.body, msg.sent_at])?;
    } else {
        add_version(conn, id, msg.sent_at, &msg.body)?;
    }
    Ok(true)
}

fn add_version(conn: &Connection, id: i64, at: Millis, body: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO message_versions (message_id, written_at, seq, body) \
         SELECT ?1, ?2, coalesce(max(seq), 0) + 1, ?3 FROM message_versions WHERE message_id = ?1",
    )?
    .execute(params![id, at, body])?;
    conn.prepare_cached(
        "DELETE FROM message_versions WHERE message_id = ?1 AND (written_at, seq) NOT IN \
         (SELECT written_at, seq FROM message_versions WHERE message_id = ?1 \
          ORDER BY written_at DESC, seq DESC LIMIT ?2)",
    )?
    .execute(params![id, MAX_VERSIONS as i64])?;
    Ok(())
}

/// A retraction: the text goes (from the index too, by the update trigger), with its earlier
/// versions, reactions and encrypted payload.
fn retract(conn: &Connection, id: i64, at: Millis) -> rusqlite::Result<bool> {
    let Some(now) = current(conn, id)? else {
        return Ok(false);
    };
    if now.retracted {
        return Ok(false);
    }
    conn.prepare_cached("UPDATE messages SET body = '', retracted_at = ?2 WHERE id = ?1")?
        .execute(params![id, at])?;
    for sql in [
        "DELETE FROM message_versions WHERE message_id = ?1",
        "DELETE FROM reactions WHERE message_id = ?1",
        "DELETE FROM message_encrypted WHERE message_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([id])?;
    }
    Ok(true)
}

/// A person's reaction set replaces theirs (XEP-0444); an older set that comes late does not,
/// and a message with reactions of [`MAX_REACTORS_PER_MESSAGE`] people takes no one new.
fn react(
    conn: &Connection,
    id: i64,
    msg: &ChatMessage,
    emoji: &[String],
) -> rusqlite::Result<bool> {
    let Some(now) = current(conn, id)? else {
        return Ok(false);
    };
    if now.retracted {
        return Ok(false);
    }
    let from = sender(msg);
    let theirs: Option<Millis> = conn
        .prepare_cached("SELECT sent_at FROM reactions WHERE message_id = ?1 AND sender = ?2")?
        .query_row(params![id, from.as_str()], |row| row.get(0))
        .optional()?;
    match theirs {
        Some(at) if msg.sent_at < at => return Ok(false),
        Some(_) => {}
        None => {
            let people: i64 = conn
                .prepare_cached("SELECT count(*) FROM reactions WHERE message_id = ?1")?
                .query_row([id], |row| row.get(0))?;
            if people >= MAX_REACTORS_PER_MESSAGE as i64 || emoji.is_empty() {
                return Ok(false);
            }
        }
    }
    let emoji = reaction_set(emoji.iter().cloned());
    if emoji.is_empty() {
        conn.prepare_cached("DELETE FROM reactions WHERE message_id = ?1 AND sender = ?2")?
            .execute(params![id, from.as_str()])?;
    } else {
        let list = serde_json::to_string(&emoji).unwrap_or_else(|_| "[]".into());
        conn.prepare_cached(
            "INSERT OR REPLACE INTO reactions (message_id, sender, emoji, sent_at) \
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, from.as_str(), list, msg.sent_at])?;
    }
    Ok(true)
}

/// Keeps a change whose message is not stored (yet), within the bounds.
fn keep_waiting(conn: &Connection, msg: &ChatMessage, target: &str) -> rusqlite::Result<()> {
    let Ok(change) = serde_json::to_string(msg) else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT INTO pending_changes (account, peer, target, received_at, change) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        msg.account.as_str(),
        msg.peer.as_str(),
        target,
        msg.received_at,
        change
    ])?;
    conn.prepare_cached(
        "DELETE FROM pending_changes WHERE account = ?1 AND (received_at < ?2 OR id <= \
         (SELECT id FROM pending_changes WHERE account = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?3))",
    )?
    .execute(params![
        msg.account.as_str(),
        msg.received_at.saturating_sub(WAITING_FOR),
        MAX_WAITING
    ])?;
    Ok(())
}

/// Applies the kept changes that name the newly stored `msg`, in the order they came.
pub(super) fn apply_waiting(
    conn: &Connection,
    msg: &ChatMessage,
    changes: &mut Vec<MessageChange>,
) -> rusqlite::Result<()> {
    let mut waiting: Vec<(i64, String)> = Vec::new();
    for id in own_ids(msg) {
        let mut stmt = conn.prepare_cached(
            "SELECT id, change FROM pending_changes WHERE account = ?1 AND peer = ?2 \
             AND target = ?3",
        )?;
        let rows = stmt.query_map(
            params![msg.account.as_str(), msg.peer.as_str(), id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        for row in rows {
            waiting.push(row?);
        }
    }
    waiting.sort_unstable_by_key(|(id, _)| *id);
    waiting.dedup_by_key(|(id, _)| *id);
    for (id, change) in waiting {
        conn.prepare_cached("DELETE FROM pending_changes WHERE id = ?1")?
            .execute([id])?;
        // A change that does not apply to it (it names someone else's message) waits again.
        if let Ok(change) = serde_json::from_str::<ChatMessage>(&change) {
            apply(conn, change, changes)?;
        }
    }
    Ok(())
}

fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<ChatMessage>> {
    conn.prepare_cached(ONE_MESSAGE)?
        .query_row([id], message_from_row)
        .optional()
}

/// Fills in what the message rows do not hold: everyone's reactions, and what came with an
/// encrypted message. One query each for the whole page.
pub(super) fn attach_to(conn: &Connection, msgs: &mut [ChatMessage]) -> rusqlite::Result<()> {
    if msgs.is_empty() {
        return Ok(());
    }
    let ids = format!(
        "[{}]",
        msgs.iter()
            .map(|m| m.local_id.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let index = |id: i64| msgs.iter().position(|m| m.local_id == id);
    let mut reactions: Vec<(usize, Reaction)> = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT message_id, sender, emoji FROM reactions \
             WHERE message_id IN (SELECT value FROM json_each(?1)) ORDER BY sent_at, sender",
        )?;
        let rows = stmt.query_map([&ids], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, from, emoji) = row?;
            let (Some(at), Ok(from)) = (index(id), BareJid::new(&from)) else {
                continue;
            };
            let emoji: Vec<String> = serde_json::from_str(&emoji).unwrap_or_default();
            reactions.push((at, Reaction { from, emoji }));
        }
    }
    for (at, reaction) in reactions {
        msgs[at].extras.reactions.push(reaction);
    }
    if msgs.iter().any(|m| m.extras.encryption.is_some()) {
        attach_encrypted(conn, msgs, &ids)?;
    }
    Ok(())
}

fn attach_encrypted(
    conn: &Connection,
    msgs: &mut [ChatMessage],
    ids: &str,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_id, fallback, payload FROM message_encrypted \
         WHERE message_id IN (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([ids], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, fallback, payload) = row?;
        if let Some(Encryption {
            fallback: f,
            payload: p,
            ..
        }) = msgs
            .iter_mut()
            .find(|m| m.local_id == id)
            .and_then(|m| m.extras.encryption.as_mut())
        {
            (*f, *p) = (fallback, payload);
        }
    }
    Ok(())
}

impl Store {
    /// The message of the conversation that `id` names (either side's), with its reactions.
    pub async fn find_message(
        &self,
        account: &BareJid,
        peer: &BareJid,
        id: &MessageId,
    ) -> Result<Option<ChatMessage>, StoreError> {
        let (account, peer, id) = (account.clone(), peer.clone(), id.clone());
        self.call(move |conn| {
            let mut found = None;
            for side in [Direction::Out, Direction::In] {
                found = found.or(resolve(conn, &account, &peer, side, &id)?);
            }
            let Some(local) = found else { return Ok(None) };
            let Some(mut msg) = load(conn, local)? else {
                return Ok(None);
            };
            attach_to(conn, std::slice::from_mut(&mut msg))?;
            Ok(Some(msg))
        })
        .await
    }

    /// The earlier texts of a corrected message, oldest first, with when each was written.
    pub async fn versions(&self, local_id: i64) -> Result<Vec<(Millis, String)>, StoreError> {
        self.call(move |conn| {
            conn.prepare_cached(
                "SELECT written_at, body FROM message_versions WHERE message_id = ?1 \
                 ORDER BY written_at, seq",
            )?
            .query_map([local_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect()
        })
        .await
    }

    /// How many changes wait for their message, for `account`.
    pub async fn waiting_changes(&self, account: &BareJid) -> Result<u64, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let n: i64 = conn
                .prepare_cached("SELECT count(*) FROM pending_changes WHERE account = ?1")?
                .query_row([account], |row| row.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
        .await
    }
}

#[cfg(test)]
mod tests;
