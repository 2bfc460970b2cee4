//! Inbound subscription requests and the person's answers to them.

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::{Store, StoreError, Stored, parse_column};
use crate::model::{BareJid, RequestState, SubscriptionRequest};

/// What became of a request [`Store::add_request`] recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// It waits for the person, and did not before.
    Pending,
    /// It was already waiting: its nick and message are updated.
    Repeated,
    /// The person approved it in advance ([`Store::approve_ahead`]): it is recorded as
    /// accepted, and the approval in advance is used up.
    ApprovedAhead,
}

impl Store {
    /// Records an inbound request; its `state` is ignored (a new request is pending, unless the
    /// person approved it in advance). A repeat of a pending request updates the nick and
    /// message but keeps when it first arrived; a request answered earlier becomes pending
    /// again, with the new time.
    pub async fn add_request(
        &self,
        account: &BareJid,
        req: SubscriptionRequest,
    ) -> Result<Added, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if approved_ahead(&tx, &account, &req)? {
                tx.commit()?;
                return Ok(Added::ApprovedAhead);
            }
            let state = tx
                .prepare_cached("SELECT state FROM requests WHERE account = ?1 AND from_jid = ?2")?
                .query_row(params![account, req.from.as_str()], |row| {
                    parse_column(row, 0, Stored::RequestState, RequestState::parse)
                })
                .optional()?;
            let pending = RequestState::Pending.as_str();
            let added = match state {
                None => {
                    tx.prepare_cached(
                        "INSERT INTO requests (account, from_jid, nick, message, received_at, \
                         state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )?
                    .execute(params![
                        account,
                        req.from.as_str(),
                        req.nick,
                        req.message,
                        req.received_at,
                        pending
                    ])?;
                    Added::Pending
                }
                Some(RequestState::Pending) => {
                    tx.prepare_cached(
                        "UPDATE requests SET nick = ?3, message = ?4 \
                         WHERE account = ?1 AND from_jid = ?2",
                    )?
                    .execute(params![
                        account,
                        req.from.as_str(),
                        req.nick,
                        req.message
                    ])?;
                    Added::Repeated
                }
                Some(RequestState::Accepted | RequestState::Denied) => {
                    tx.prepare_cached(
                        "UPDATE requests SET nick = ?3, message = ?4, received_at = ?5, \
                         state = ?6 WHERE account = ?1 AND from_jid = ?2",
                    )?
                    .execute(params![
                        account,
                        req.from.as_str(),
                        req.nick,
                        req.message,
                        req.received_at,
                        pending
                    ])?;
                    Added::Pending
                }
            };
            tx.commit()?;
            Ok(added)
        })
        .await
    }

    /// The requests of `account` (only the pending ones when `only_pending`), oldest first.
    pub async fn requests(
        &self,
        account: &BareJid,
        only_pending: bool,
    ) -> Result<Vec<SubscriptionRequest>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT from_jid, nick, message, received_at, state FROM requests \
                 WHERE account = ?1 AND (?2 = 0 OR state = 'pending') \
                 ORDER BY received_at, from_jid",
            )?;
            let rows = stmt.query_map(params![account, only_pending], request_from_row)?;
            rows.collect()
        })
        .await
    }

    /// Records the person's answer (or any state change) for the request from `from`; `false`
    /// when there is no such request. A denial also withdraws an approval given in advance
    /// ([`Store::approve_ahead`]), in the same transaction.
    pub async fn set_request_state(
        &self,
        account: &BareJid,
        from: &BareJid,
        state: RequestState,
    ) -> Result<bool, StoreError> {
        let (account, from) = (account.to_string(), from.to_string());
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx
                .prepare_cached(
                    "UPDATE requests SET state = ?3 WHERE account = ?1 AND from_jid = ?2",
                )?
                .execute(params![account, from, state.as_str()])?;
            if state == RequestState::Denied {
                tx.prepare_cached("DELETE FROM approved_ahead WHERE account = ?1 AND jid = ?2")?
                    .execute(params![account, from])?;
            }
            tx.commit()?;
            Ok(changed > 0)
        })
        .await
    }
}

impl Store {
    /// The person lets `jid` see their presence before `jid` asks (adding them, on a server
    /// that keeps no pre-approvals): `jid`'s next request is approved as it arrives.
    pub async fn approve_ahead(
        &self,
        account: &BareJid,
        jid: &BareJid,
        at: i64,
    ) -> Result<(), StoreError> {
        let (account, jid) = (account.to_string(), jid.to_string());
        self.call(move |conn| {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO approved_ahead (account, jid, at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![account, jid, at])?;
            Ok(())
        })
        .await
    }

    /// Withdraws an approval in advance (the contact removed, or answered otherwise).
    pub async fn withdraw_approval(
        &self,
        account: &BareJid,
        jid: &BareJid,
    ) -> Result<(), StoreError> {
        let (account, jid) = (account.to_string(), jid.to_string());
        self.call(move |conn| {
            conn.prepare_cached("DELETE FROM approved_ahead WHERE account = ?1 AND jid = ?2")?
                .execute(params![account, jid])?;
            Ok(())
        })
        .await
    }
}

/// Uses up the person's approval in advance of `req`, when there is one: the request is
/// recorded as accepted, in the transaction `tx`.
fn approved_ahead(
    tx: &rusqlite::Transaction<'_>,
    account: &str,
    req: &SubscriptionRequest,
) -> rusqlite::Result<bool> {
    let ahead = tx
        .prepare_cached("DELETE FROM approved_ahead WHERE account = ?1 AND jid = ?2")?
        .execute(params![account, req.from.as_str()])?
        > 0;
    if ahead {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO requests (account, from_jid, nick, message, received_at, \
             state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            account,
            req.from.as_str(),
            req.nick,
            req.message,
            req.received_at,
            RequestState::Accepted.as_str()
        ])?;
    }
    Ok(ahead)
}

fn request_from_row(row: &Row<'_>) -> rusqlite::Result<SubscriptionRequest> {
    Ok(SubscriptionRequest {
        from: super::address_column(row, 0)?,
        nick: row.get(1)?,
        message: row.get(2)?,
        received_at: row.get(3)?,
        state: parse_column(row, 4, Stored::RequestState, RequestState::parse)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ALICE, BOB, store_with_accounts};
    use super::*;
    use crate::model::address::j;

    async fn add(store: &Store, account: &BareJid, req: SubscriptionRequest) -> Added {
        store.add_request(account, req).await.unwrap()
    }

    fn req(from: &BareJid, nick: Option<&str>, received_at: i64) -> SubscriptionRequest {
        SubscriptionRequest {
            from: from.clone(),
            nick: nick.map(Into::into),
            message: Some("hi, add me".into()),
            received_at,
            state: RequestState::Pending,
        }
    }

    #[tokio::test]
    async fn a_repeated_pending_request_updates_the_nick_but_keeps_its_time() {
        let (_dir, store) = store_with_accounts().await;
        assert_eq!(
            add(
                &store,
                &j(ALICE),
                req(&j("carol@example.org"), Some("C"), 100)
            )
            .await,
            Added::Pending
        );
        assert_eq!(
            add(&store, &j(ALICE), req(&j("dave@example.org"), None, 50)).await,
            Added::Pending
        );
        assert_eq!(
            add(
                &store,
                &j(ALICE),
                req(&j("carol@example.org"), Some("Carol"), 300)
            )
            .await,
            Added::Repeated
        );

        let pending = store.requests(&j(ALICE), true).await.unwrap();
        assert_eq!(
            pending,
            [
                req(&j("dave@example.org"), None, 50),
                req(&j("carol@example.org"), Some("Carol"), 100)
            ]
        );
        assert!(store.requests(&j(BOB), false).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_answered_request_leaves_the_pending_list_and_can_come_back() {
        let (_dir, store) = store_with_accounts().await;
        add(&store, &j(ALICE), req(&j("carol@example.org"), None, 100)).await;
        add(&store, &j(ALICE), req(&j("dave@example.org"), None, 200)).await;

        assert!(
            store
                .set_request_state(&j(ALICE), &j("carol@example.org"), RequestState::Denied)
                .await
                .unwrap()
        );
        assert!(
            !store
                .set_request_state(&j(ALICE), &j("nobody@example.org"), RequestState::Accepted)
                .await
                .unwrap()
        );
        assert!(
            !store
                .set_request_state(&j(BOB), &j("carol@example.org"), RequestState::Accepted)
                .await
                .unwrap()
        );
        let pending = store.requests(&j(ALICE), true).await.unwrap();
        assert_eq!(
            pending.iter().map(|r| r.from.as_str()).collect::<Vec<_>>(),
            ["dave@example.org"]
        );
        let all = store.requests(&j(ALICE), false).await.unwrap();
        assert_eq!(all[0].state, RequestState::Denied);

        // Carol asks again later: pending again, with the new time, so after Dave.
        assert_eq!(
            add(
                &store,
                &j(ALICE),
                req(&j("carol@example.org"), Some("C"), 900)
            )
            .await,
            Added::Pending
        );
        let pending = store.requests(&j(ALICE), true).await.unwrap();
        assert_eq!(
            pending,
            [
                req(&j("dave@example.org"), None, 200),
                req(&j("carol@example.org"), Some("C"), 900)
            ]
        );
    }

    #[tokio::test]
    async fn an_approval_in_advance_answers_the_next_request_once() {
        let (_dir, store) = store_with_accounts().await;
        let carol = j("carol@example.org");
        store.approve_ahead(&j(ALICE), &carol, 10).await.unwrap();
        store
            .approve_ahead(&j(ALICE), &j("dave@example.org"), 10)
            .await
            .unwrap();
        store
            .withdraw_approval(&j(ALICE), &j("dave@example.org"))
            .await
            .unwrap();
        assert_eq!(
            add(&store, &j(BOB), req(&carol, None, 50)).await,
            Added::Pending,
            "another account's approval is not Bob's"
        );
        assert_eq!(
            add(&store, &j(ALICE), req(&carol, None, 100)).await,
            Added::ApprovedAhead
        );
        assert!(store.requests(&j(ALICE), true).await.unwrap().is_empty());
        assert_eq!(
            store.requests(&j(ALICE), false).await.unwrap()[0].state,
            RequestState::Accepted
        );
        assert_eq!(
            add(&store, &j(ALICE), req(&j("dave@example.org"), None, 100)).await,
            Added::Pending,
            "a withdrawn approval approves nothing"
        );
        assert_eq!(
            add(&store, &j(ALICE), req(&carol, None, 200)).await,
            Added::Pending,
            "used once: Carol's next request waits for the person"
        );
        store.approve_ahead(&j(ALICE), &carol, 300).await.unwrap();
        store
            .set_request_state(&j(ALICE), &carol, RequestState::Denied)
            .await
            .unwrap();
        assert_eq!(
            add(&store, &j(ALICE), req(&carol, None, 400)).await,
            Added::Pending,
            "a denial withdraws the approval given in advance"
        );
    }
}
