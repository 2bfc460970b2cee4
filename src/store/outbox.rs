//! The outbox and delivery states of outbound messages: written before a message goes on
//! the wire, left only when the server acknowledged it (or bounced it).

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::amend::quote_replies;
use super::messages::{index_bodies, insert, message_columns, message_from_row};
use super::{Store, StoreError};
use crate::model::{BareJid, ChatMessage, Delivery, Direction, MessageId, now_millis};

/// The outbox of an account, oldest first. CROSS JOIN keeps the small outbox as the outer
/// loop instead of walking every message of the account.
const OUTBOX: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM outbox CROSS JOIN messages ON messages.id = outbox.message_id",
    " WHERE account = ?1 ORDER BY queued_at, message_id"
);

/// The newest outbound message of an account with a given stanza `id`.
const NEWEST_OUTBOUND: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE account = ?1 AND direction = 'out' AND remote_id = ?2",
    " ORDER BY sent_at DESC, id DESC LIMIT 1"
);

impl Store {
    /// Stores a message the person is sending, as outbound and queued, together with its
    /// outbox entry, before it goes on the wire. Returns it with `local_id` set.
    pub async fn queue_outbound(&self, msg: ChatMessage) -> Result<ChatMessage, StoreError> {
        self.call(move |conn| {
            let mut msg = ChatMessage {
                direction: Direction::Out,
                delivery: Delivery::Queued,
                ..msg
            };
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            quote_replies(&tx, std::slice::from_mut(&mut msg))?;
            msg.local_id = insert(&tx, &msg)?;
            index_bodies(&tx, &[msg.local_id])?;
            enqueue(&tx, msg.local_id)?;
            tx.commit()?;
            Ok(msg)
        })
        .await
    }

    /// The messages of `account` still in the outbox (not yet acknowledged by the server),
    /// oldest first.
    pub async fn outbox(&self, account: &BareJid) -> Result<Vec<ChatMessage>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let mut stmt = conn.prepare_cached(OUTBOX)?;
            let mut waiting = stmt
                .query_map([&account], message_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            quote_replies(conn, &mut waiting)?;
            Ok(waiting)
        })
        .await
    }

    /// Moves the newest outbound message of `account` with stanza id `remote_id` to `state`,
    /// when that is progress ([`Delivery::advances_to`]). Acked, delivered and failed messages
    /// leave the outbox; a failed message queued again (a retry) goes back into it. Returns the
    /// updated message, or `None` when there is no such message or nothing changed.
    pub async fn set_delivery(
        &self,
        account: &BareJid,
        remote_id: &MessageId,
        state: Delivery,
    ) -> Result<Option<ChatMessage>, StoreError> {
        self.set_delivery_if(account, remote_id, state, |_| true)
            .await
    }

    /// Like [`set_delivery`](Self::set_delivery), but only when `allowed` says yes to the
    /// message's peer: a receipt or a bounce counts only from the peer the message went to, and
    /// nothing is written for one from anyone else.
    pub async fn set_delivery_if(
        &self,
        account: &BareJid,
        remote_id: &MessageId,
        state: Delivery,
        allowed: impl FnOnce(&str) -> bool + Send + 'static,
    ) -> Result<Option<ChatMessage>, StoreError> {
        let (account, remote_id) = (account.to_string(), remote_id.clone());
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found = tx
                .prepare_cached(NEWEST_OUTBOUND)?
                .query_row(params![account, remote_id], message_from_row)
                .optional()?;
            let Some(mut msg) = found else {
                // Not a message: one of the account's own changes, which leaves its queue
                // where a message leaves the outbox.
                if matches!(
                    state,
                    Delivery::Acked | Delivery::Delivered | Delivery::Failed
                ) {
                    super::changes::change_done(&tx, &account, &remote_id)?;
                    tx.commit()?;
                }
                return Ok(None);
            };
            if !msg.delivery.advances_to(state) || !allowed(msg.peer.as_str()) {
                return Ok(None);
            }
            tx.prepare_cached("UPDATE messages SET delivery = ?2 WHERE id = ?1")?
                .execute(params![msg.local_id, state.as_str()])?;
            match state {
                Delivery::Acked | Delivery::Delivered | Delivery::Failed => {
                    tx.prepare_cached("DELETE FROM outbox WHERE message_id = ?1")?
                        .execute([msg.local_id])?;
                }
                Delivery::Queued => enqueue(&tx, msg.local_id)?,
                Delivery::Sent | Delivery::Received => {}
            }
            tx.commit()?;
            msg.delivery = state;
            Ok(Some(msg))
        })
        .await
    }

    /// The person's retry of a failed message: moves the newest outbound message of `account`
    /// with stanza id `remote_id` from failed back to queued and into the outbox, keeping its
    /// ids. The same as `set_delivery(account, remote_id, Delivery::Queued)`; `None` when there
    /// is no such message or it had not failed.
    pub async fn requeue(
        &self,
        account: &BareJid,
        remote_id: &MessageId,
    ) -> Result<Option<ChatMessage>, StoreError> {
        self.set_delivery(account, remote_id, Delivery::Queued)
            .await
    }
}

fn enqueue(conn: &Connection, message_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO outbox (message_id, queued_at) VALUES (?1, ?2)")?
        .execute(params![message_id, now_millis()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ALICE, BOB, inbound, outbound, query_plan, store_with_accounts};
    use super::*;
    use crate::model::address::j;

    const CAROL: &str = "carol@example.org";

    fn bodies(msgs: &[ChatMessage]) -> Vec<&str> {
        msgs.iter().map(|m| m.body.as_str()).collect()
    }

    #[tokio::test]
    async fn a_delivery_report_for_another_peer_changes_nothing() {
        let (_dir, store) = store_with_accounts().await;
        store
            .queue_outbound(outbound(ALICE, CAROL, "for carol", "m1"))
            .await
            .unwrap();
        let not_carol = |peer: &str| peer != CAROL;
        assert_eq!(
            store
                .set_delivery_if(&j(ALICE), &"m1".into(), Delivery::Delivered, not_carol)
                .await
                .unwrap(),
            None
        );
        let stored = store.outbox(&j(ALICE)).await.unwrap();
        assert_eq!(stored.len(), 1, "still waiting: {stored:?}");
        assert_eq!(stored[0].delivery, Delivery::Queued);
        let carol = |peer: &str| peer == CAROL;
        let delivered = store
            .set_delivery_if(&j(ALICE), &"m1".into(), Delivery::Delivered, carol)
            .await
            .unwrap();
        assert_eq!(delivered.map(|m| m.delivery), Some(Delivery::Delivered));
    }

    #[tokio::test]
    async fn delivery_moves_forward_and_acked_messages_leave_the_outbox() {
        let (_dir, store) = store_with_accounts().await;
        let queued = ChatMessage {
            direction: Direction::In,
            delivery: Delivery::Received,
            ..outbound(ALICE, CAROL, "one", "m1")
        };
        let one = store.queue_outbound(queued).await.unwrap();
        assert_eq!(
            (one.direction, one.delivery),
            (Direction::Out, Delivery::Queued)
        );
        let two = store
            .queue_outbound(outbound(ALICE, CAROL, "two", "m2"))
            .await
            .unwrap();
        store
            .queue_outbound(outbound(BOB, CAROL, "bob's", "m1"))
            .await
            .unwrap();
        assert_eq!(
            store.outbox(&j(ALICE)).await.unwrap(),
            [one.clone(), two.clone()]
        );

        let sent = store
            .set_delivery(&j(ALICE), &"m1".into(), Delivery::Sent)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (sent.local_id, sent.delivery),
            (one.local_id, Delivery::Sent)
        );
        assert_eq!(
            bodies(&store.outbox(&j(ALICE)).await.unwrap()),
            ["one", "two"],
            "sent is not acked"
        );

        assert!(
            store
                .set_delivery(&j(ALICE), &"m1".into(), Delivery::Acked)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(bodies(&store.outbox(&j(ALICE)).await.unwrap()), ["two"]);
        assert!(
            store
                .set_delivery(&j(ALICE), &"m1".into(), Delivery::Delivered)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            store
                .set_delivery(&j(ALICE), &"m1".into(), Delivery::Acked)
                .await
                .unwrap(),
            None,
            "late ack"
        );
        assert_eq!(
            store
                .set_delivery(&j(ALICE), &"m1".into(), Delivery::Delivered)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .set_delivery(&j(ALICE), &"nope".into(), Delivery::Sent)
                .await
                .unwrap(),
            None
        );
        let history = store.history(&j(ALICE), &j(CAROL), None, 10).await.unwrap();
        assert_eq!(history[0].delivery, Delivery::Delivered);
        assert_eq!(
            bodies(&store.outbox(&j(BOB)).await.unwrap()),
            ["bob's"],
            "other account untouched"
        );

        // A bounce takes it out of the outbox; the person's retry puts it back at the end.
        store
            .set_delivery(&j(ALICE), &"m2".into(), Delivery::Failed)
            .await
            .unwrap()
            .unwrap();
        assert!(store.outbox(&j(ALICE)).await.unwrap().is_empty());
        assert_eq!(
            store.requeue(&j(ALICE), &"m1".into()).await.unwrap(),
            None,
            "only a failed one"
        );
        let retry = store
            .requeue(&j(ALICE), &"m2".into())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(retry.local_id, two.local_id);
        assert_eq!(
            store.outbox(&j(ALICE)).await.unwrap(),
            std::slice::from_ref(&retry)
        );
        let found = store
            .search(&j(ALICE), Some(&j(CAROL)), "two", 10)
            .await
            .unwrap();
        assert_eq!(found, [retry], "a queued message is searchable at once");
    }

    #[tokio::test]
    async fn outbox_and_delivery_lookups_do_not_walk_the_history() {
        let (_dir, store) = store_with_accounts().await;
        let history: Vec<_> = (0..300).map(|i| inbound(ALICE, CAROL, "x", i)).collect();
        store.insert_messages(history).await.unwrap();
        store
            .queue_outbound(outbound(ALICE, CAROL, "q", "q1"))
            .await
            .unwrap();
        for analyze in [false, true] {
            if analyze {
                store.call(|c| c.execute_batch("ANALYZE")).await.unwrap();
            }
            let outbox = query_plan(&store, OUTBOX).await;
            assert!(outbox.contains("SCAN outbox"), "{outbox}");
            assert!(
                outbox.contains("SEARCH messages USING INTEGER PRIMARY KEY"),
                "{outbox}"
            );
            let newest = query_plan(&store, NEWEST_OUTBOUND).await;
            assert!(
                newest.contains("USING INDEX messages_remote_id"),
                "{newest}"
            );
        }
    }

    #[tokio::test]
    async fn delivery_goes_to_the_newest_outbound_message_with_that_id() {
        let (_dir, store) = store_with_accounts().await;
        let old = ChatMessage {
            sent_at: 1,
            ..outbound(ALICE, CAROL, "old", "x")
        };
        store.queue_outbound(old).await.unwrap();
        let new = ChatMessage {
            sent_at: 2,
            origin_id: Some("y".into()),
            ..outbound(ALICE, CAROL, "new", "x")
        };
        store.queue_outbound(new).await.unwrap();
        let inbound_same_id = ChatMessage {
            remote_id: Some("x".into()),
            ..inbound(ALICE, CAROL, "theirs", 3)
        };
        store.insert_messages(vec![inbound_same_id]).await.unwrap();

        let updated = store
            .set_delivery(&j(ALICE), &"x".into(), Delivery::Acked)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(updated.body, "new");
        assert_eq!(bodies(&store.outbox(&j(ALICE)).await.unwrap()), ["old"]);
    }
}
