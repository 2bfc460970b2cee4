//! The account's own corrections, retractions and reactions: applied here before they go on
//! the wire, and kept in `outbox_changes` until the server has them, as messages are kept in
//! the outbox. A change made offline goes out at the next sign-in; one the stream let go of
//! goes out again.

use rusqlite::{Connection, TransactionBehavior, params};

use super::amend::{apply, own_target_peer};
use super::{Store, StoreError, Stored, parse_column};
use crate::model::{
    Amendment, BareJid, ChatMessage, MessageChange, MessageId, Millis, QueuedChange,
};

/// One of the account's own changes, applied: the message as it now is, and the change as
/// queued for the wire (`None` when the message has no id there, so it changed only here).
#[derive(Debug)]
pub struct OwnChange {
    /// The changed message.
    pub change: MessageChange,
    /// What goes on the wire.
    pub queued: Option<QueuedChange>,
}

impl Store {
    /// Applies a change the account makes from this device (a correction, retraction or
    /// reaction) and queues it for the wire, in one transaction: `amendment` names the message
    /// by the id events gave it. `None` when the account has no such message to change (a
    /// correction or retraction names only the account's own); then nothing is queued.
    pub async fn apply_own_change(
        &self,
        account: &BareJid,
        amendment: Amendment,
        change_id: MessageId,
        body: String,
        now: Millis,
    ) -> Result<Option<OwnChange>, StoreError> {
        let account = account.clone();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let any_side = matches!(amendment, Amendment::Reactions { .. });
            let Some(peer) = own_target_peer(&tx, &account, amendment.target(), any_side)? else {
                return Ok(None);
            };
            let mut change =
                ChatMessage::outbound(account.clone(), peer, body.clone(), change_id.clone(), now);
            change.extras.amends = Some(amendment.clone());
            let mut changes = Vec::new();
            apply(&tx, change, &mut changes)?;
            let Some(applied) = changes.pop() else {
                return Ok(None);
            };
            let target = applied.message();
            // A message with no id on the wire cannot be named there: changed here only.
            let queued = match target
                .origin_id
                .clone()
                .or_else(|| target.remote_id.clone())
            {
                Some(wire) => {
                    let queued = QueuedChange {
                        change_id,
                        peer: target.peer.clone(),
                        target: wire,
                        amendment,
                        body,
                    };
                    enqueue(&tx, &account, &queued, now)?;
                    Some(queued)
                }
                None => None,
            };
            tx.commit()?;
            Ok(Some(OwnChange {
                change: applied,
                queued,
            }))
        })
        .await
    }

    /// The account's own changes the server does not have yet, in the order they were made.
    pub async fn queued_changes(&self, account: &BareJid) -> Result<Vec<QueuedChange>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT change_id, peer, target, change, body FROM outbox_changes \
                 WHERE account = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([&account], |row| {
                let id = |i| parse_column(row, i, Stored::Change, |t| MessageId::new(t).ok());
                Ok(QueuedChange {
                    change_id: id(0)?,
                    peer: super::address_column(row, 1)?,
                    target: id(2)?,
                    amendment: parse_column(row, 3, Stored::Change, |t| {
                        serde_json::from_str(t).ok()
                    })?,
                    body: row.get(4)?,
                })
            })?;
            rows.collect()
        })
        .await
    }
}

fn enqueue(
    conn: &Connection,
    account: &BareJid,
    change: &QueuedChange,
    now: Millis,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(&change.amendment)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO outbox_changes \
         (account, change_id, peer, target, change, body, queued_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        account.as_str(),
        change.change_id,
        change.peer.as_str(),
        change.target,
        json,
        change.body,
        now
    ])?;
    Ok(())
}

/// The server has the change `id` (or the stream gave up on it for good): it leaves the queue.
/// Whether there was one.
pub(super) fn change_done(
    conn: &Connection,
    account: &str,
    id: &MessageId,
) -> rusqlite::Result<bool> {
    let removed = conn
        .prepare_cached("DELETE FROM outbox_changes WHERE account = ?1 AND change_id = ?2")?
        .execute(params![account, id])?;
    Ok(removed > 0)
}

#[cfg(test)]
mod tests;
