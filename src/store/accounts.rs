//! Accounts: connection settings, the default account and the last chosen presence.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{Store, StoreError, Stored, parse_column, parse_optional};
use crate::model::{Account, AuthMethod, BareJid, Show, TlsMode};

const SELECT: &str = "SELECT jid, host, port, tls, resource, pinned_cert, connect_timeout_secs, \
                      last_show, last_status, is_default, auth_method, allow_plain FROM accounts";

impl Store {
    /// Every account, the default one first, then by JID.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        self.call(|conn| {
            let mut stmt =
                conn.prepare_cached(&format!("{SELECT} ORDER BY is_default DESC, jid"))?;
            let rows = stmt.query_map([], account_from_row)?;
            rows.collect()
        })
        .await
    }

    /// The account with this bare JID, if there is one.
    pub async fn account(&self, jid: &BareJid) -> Result<Option<Account>, StoreError> {
        let jid = jid.to_string();
        self.call(move |conn| {
            let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE jid = ?1"))?;
            stmt.query_row([&jid], account_from_row).optional()
        })
        .await
    }

    /// Adds or updates an account (its roster version is kept). The first account, and one
    /// saved with `is_default`, becomes the only default; saving the default account without
    /// the flag keeps it the default until another one takes over, so there is always one.
    /// The sign-in method remembered is never lowered here (a form filled in before the last
    /// sign-in holds an older one): only [`Store::raise_auth_method`] and a new row set it.
    pub async fn save_account(&self, account: Account) -> Result<(), StoreError> {
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let other_default: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM accounts WHERE is_default = 1 AND jid <> ?1)",
                )?
                .query_row([account.jid.as_str()], |row| row.get(0))?;
            let is_default = account.is_default || !other_default;
            if is_default {
                tx.prepare_cached(
                    "UPDATE accounts SET is_default = 0 WHERE is_default = 1 AND jid <> ?1",
                )?
                .execute([account.jid.as_str()])?;
            }
            tx.prepare_cached(
                "INSERT INTO accounts (jid, host, port, tls, resource, pinned_cert, \
                 connect_timeout_secs, last_show, last_status, is_default, auth_method, \
                 allow_plain) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 ON CONFLICT (jid) DO UPDATE SET host = excluded.host, port = excluded.port, \
                 tls = excluded.tls, resource = excluded.resource, \
                 pinned_cert = excluded.pinned_cert, \
                 connect_timeout_secs = excluded.connect_timeout_secs, \
                 last_show = excluded.last_show, last_status = excluded.last_status, \
                 is_default = excluded.is_default, allow_plain = excluded.allow_plain",
            )?
            .execute(params![
                account.jid.as_str(),
                account.host,
                account.port,
                account.tls.as_str(),
                account.resource,
                account.pinned_cert,
                account.connect_timeout_secs,
                account.last_show.as_str(),
                account.last_status,
                is_default,
                account.auth_method.map(AuthMethod::as_str),
                account.allow_plain,
            ])?;
            tx.commit()
        })
        .await
    }

    /// Removes an account with its roster, requests, history and outbox. When it was the
    /// default, the first remaining account by JID becomes the default. `false` when there was
    /// no such account.
    pub async fn remove_account(&self, jid: &BareJid) -> Result<bool, StoreError> {
        let jid = jid.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let removed = tx
                .prepare_cached("DELETE FROM accounts WHERE jid = ?1")?
                .execute([&jid])?;
            ensure_default(&tx)?;
            tx.commit()?;
            Ok(removed > 0)
        })
        .await
    }

    /// Records the show and status chosen last, to restore them at the next login. Does
    /// nothing when there is no such account.
    pub async fn set_last_presence(
        &self,
        jid: &BareJid,
        show: Show,
        status: String,
    ) -> Result<(), StoreError> {
        let jid = jid.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.prepare_cached(
                "UPDATE accounts SET last_show = ?2, last_status = ?3 WHERE jid = ?1",
            )?
            .execute(params![jid, show.as_str(), status])?;
            tx.commit()
        })
        .await
    }
}

impl Store {
    /// Records that `method` signed the account in: the remembered method becomes the
    /// stronger of the two. Returns the method remembered now (`None` when there is no such
    /// account).
    pub async fn raise_auth_method(
        &self,
        jid: &BareJid,
        method: AuthMethod,
    ) -> Result<Option<AuthMethod>, StoreError> {
        let jid = jid.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let found: Option<Option<AuthMethod>> = tx
                .prepare_cached("SELECT auth_method FROM accounts WHERE jid = ?1")?
                .query_row([&jid], |row| {
                    parse_optional(row, 0, Stored::AuthMethod, AuthMethod::parse)
                })
                .optional()?;
            let Some(before) = found else {
                return Ok(None);
            };
            let now = before.max(Some(method));
            if now != before {
                tx.prepare_cached("UPDATE accounts SET auth_method = ?2 WHERE jid = ?1")?
                    .execute(params![jid, now.map(AuthMethod::as_str)])?;
            }
            tx.commit()?;
            Ok(now)
        })
        .await
    }
}

/// Makes the first account by JID the default when no account is.
fn ensure_default(conn: &Connection) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE accounts SET is_default = 1 \
         WHERE jid = (SELECT jid FROM accounts ORDER BY jid LIMIT 1) \
         AND NOT EXISTS (SELECT 1 FROM accounts WHERE is_default = 1)",
    )?
    .execute([])?;
    Ok(())
}

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        jid: super::address_column(row, 0)?,
        host: row.get(1)?,
        port: row.get(2)?,
        tls: parse_column(row, 3, Stored::TlsMode, TlsMode::parse)?,
        resource: row.get(4)?,
        pinned_cert: row.get(5)?,
        connect_timeout_secs: row.get(6)?,
        last_show: parse_column(row, 7, Stored::Show, Show::parse)?,
        last_status: row.get(8)?,
        is_default: row.get(9)?,
        auth_method: parse_optional(row, 10, Stored::AuthMethod, AuthMethod::parse)?,
        allow_plain: row.get(11)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ALICE, BOB, inbound, outbound, store_with_accounts, temp_store};
    use super::*;
    use crate::model::address::j;
    use crate::model::{RosterItem, SubscriptionRequest};

    fn jids(accounts: &[Account]) -> Vec<(&str, bool)> {
        accounts
            .iter()
            .map(|a| (a.jid.as_str(), a.is_default))
            .collect()
    }

    #[tokio::test]
    async fn an_account_round_trips_with_every_field() {
        let (_dir, store) = temp_store();
        let account = Account {
            host: Some("xmpp.example.org".into()),
            port: Some(5223),
            tls: TlsMode::Direct,
            resource: Some("laptop".into()),
            pinned_cert: Some(vec![0x30, 0x82, 0, 1]),
            connect_timeout_secs: 12,
            last_show: Show::Dnd,
            last_status: "in a meeting".into(),
            is_default: true,
            auth_method: Some(AuthMethod::Scram),
            allow_plain: true,
            ..Account::new(j(ALICE))
        };
        store.save_account(account.clone()).await.unwrap();
        assert_eq!(store.account(&j(ALICE)).await.unwrap(), Some(account));
        assert_eq!(store.account(&j(BOB)).await.unwrap(), None);
    }

    #[tokio::test]
    async fn the_first_account_or_one_saved_as_default_is_the_only_default() {
        let (_dir, store) = temp_store();
        store
            .save_account(Account::new(j("m@example.org")))
            .await
            .unwrap();
        store
            .save_account(Account::new(j("b@example.org")))
            .await
            .unwrap();
        let accounts = store.accounts().await.unwrap();
        assert_eq!(
            jids(&accounts),
            [("m@example.org", true), ("b@example.org", false)]
        );

        let z = Account {
            is_default: true,
            ..Account::new(j("z@example.org"))
        };
        store.save_account(z).await.unwrap();
        let accounts = store.accounts().await.unwrap();
        assert_eq!(
            jids(&accounts),
            [
                ("z@example.org", true),
                ("b@example.org", false),
                ("m@example.org", false)
            ]
        );

        // Editing the default without the flag does not leave the person without a default.
        store
            .save_account(Account::new(j("z@example.org")))
            .await
            .unwrap();
        assert!(
            store
                .account(&j("z@example.org"))
                .await
                .unwrap()
                .unwrap()
                .is_default
        );
    }

    #[tokio::test]
    async fn removing_the_default_promotes_the_first_remaining_account() {
        let (_dir, store) = temp_store();
        for jid in ["c@example.org", "b@example.org", "a@example.org"] {
            store.save_account(Account::new(j(jid))).await.unwrap();
        }
        assert!(store.remove_account(&j("c@example.org")).await.unwrap());
        assert!(!store.remove_account(&j("c@example.org")).await.unwrap());
        let accounts = store.accounts().await.unwrap();
        assert_eq!(
            jids(&accounts),
            [("a@example.org", true), ("b@example.org", false)]
        );
    }

    #[tokio::test]
    async fn removing_an_account_removes_everything_of_it_and_nothing_else() {
        let (_dir, store) = store_with_accounts().await;
        for account in [ALICE, BOB] {
            let item = RosterItem {
                ..RosterItem::new(j("carol@example.org"))
            };
            store
                .replace_roster(&j(account), Some("v1".into()), vec![item])
                .await
                .unwrap();
            let req = SubscriptionRequest {
                from: j("dave@example.org"),
                nick: None,
                message: None,
                received_at: 1,
                state: Default::default(),
            };
            store.add_request(&j(account), req).await.unwrap();
            let text = format!("hello from {account}");
            store
                .insert_messages(vec![inbound(account, "carol@example.org", &text, 5)])
                .await
                .unwrap();
            store
                .queue_outbound(outbound(account, "carol@example.org", "queued", "o1"))
                .await
                .unwrap();
        }

        assert!(store.remove_account(&j(ALICE)).await.unwrap());
        assert_eq!(store.account(&j(ALICE)).await.unwrap(), None);
        assert_eq!(store.roster(&j(ALICE)).await.unwrap(), (None, vec![]));
        assert!(store.requests(&j(ALICE), false).await.unwrap().is_empty());
        assert_eq!(store.message_count(&j(ALICE)).await.unwrap(), 0);
        assert!(store.outbox(&j(ALICE)).await.unwrap().is_empty());
        assert!(
            store
                .search(&j(ALICE), None, "hello", 10)
                .await
                .unwrap()
                .is_empty()
        );

        assert_eq!(store.roster(&j(BOB)).await.unwrap().1.len(), 1);
        assert_eq!(store.requests(&j(BOB), false).await.unwrap().len(), 1);
        assert_eq!(store.message_count(&j(BOB)).await.unwrap(), 2);
        assert_eq!(store.outbox(&j(BOB)).await.unwrap().len(), 1);
        assert_eq!(
            store
                .search(&j(BOB), None, "hello", 10)
                .await
                .unwrap()
                .len(),
            1
        );
        let orphans: i64 = store
            .call(|c| {
                c.execute_batch(
                    "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')",
                )?;
                c.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
            })
            .await
            .unwrap();
        assert_eq!(orphans, 1);
    }

    #[tokio::test]
    async fn the_last_presence_is_kept_for_the_next_login() {
        let (_dir, store) = store_with_accounts().await;
        store
            .set_last_presence(&j(ALICE), Show::Away, "lunch".into())
            .await
            .unwrap();
        let alice = store.account(&j(ALICE)).await.unwrap().unwrap();
        assert_eq!(
            (alice.last_show, alice.last_status.as_str()),
            (Show::Away, "lunch")
        );
        store
            .set_last_presence(&j("nobody@example.org"), Show::Xa, String::new())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn the_sign_in_method_remembered_only_ever_rises() {
        let (_dir, store) = store_with_accounts().await;
        let method = |store: Store| async move {
            store.account(&j(ALICE)).await.unwrap().unwrap().auth_method
        };
        assert_eq!(method(store.clone()).await, None);
        let alice = j(ALICE);
        let raise = |m| store.raise_auth_method(&alice, m);
        assert_eq!(
            raise(AuthMethod::Plain).await.unwrap(),
            Some(AuthMethod::Plain)
        );
        assert_eq!(
            raise(AuthMethod::ScramBound).await.unwrap(),
            Some(AuthMethod::ScramBound)
        );
        assert_eq!(
            raise(AuthMethod::Scram).await.unwrap(),
            Some(AuthMethod::ScramBound),
            "a weaker sign-in does not lower it"
        );
        assert_eq!(method(store.clone()).await, Some(AuthMethod::ScramBound));

        // Saving the account from a form filled in before that sign-in keeps it too, while
        // the person's own choice (allow_plain) is saved.
        let mut stale = store.account(&j(ALICE)).await.unwrap().unwrap();
        stale.auth_method = None;
        stale.allow_plain = true;
        store.save_account(stale).await.unwrap();
        let saved = store.account(&j(ALICE)).await.unwrap().unwrap();
        assert_eq!(
            (saved.auth_method, saved.allow_plain),
            (Some(AuthMethod::ScramBound), true)
        );
        assert_eq!(
            store
                .raise_auth_method(&j("nobody@example.org"), AuthMethod::Scram)
                .await
                .unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn a_bad_value_in_a_row_is_an_invalid_error_not_a_panic() {
        let (_dir, store) = store_with_accounts().await;
        store
            .call(|c| {
                c.execute(
                    "UPDATE accounts SET last_show = 'sleeping' WHERE jid = ?1",
                    [ALICE],
                )
            })
            .await
            .unwrap();
        match store.account(&j(ALICE)).await {
            Err(StoreError::Invalid(what)) => assert!(what.contains("sleeping"), "{what}"),
            other => panic!("expected Invalid, got {other:?}"),
        }

        store
            .call(|c| c.execute("UPDATE accounts SET last_show = 'away', port = 70000", []))
            .await
            .unwrap();
        assert!(matches!(
            store.accounts().await,
            Err(StoreError::Invalid(_))
        ));
    }

    #[tokio::test]
    async fn an_unknown_sign_in_method_in_a_row_is_an_invalid_error() {
        let (_dir, store) = store_with_accounts().await;
        store
            .call(|c| {
                c.execute(
                    "UPDATE accounts SET auth_method = 'md5' WHERE jid = ?1",
                    [BOB],
                )
            })
            .await
            .unwrap();
        match store.account(&j(BOB)).await {
            Err(StoreError::Invalid(what)) => {
                assert!(
                    what.contains("md5") && what.contains("sign-in method"),
                    "{what}"
                )
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(store.account(&j(ALICE)).await.unwrap().is_some());
    }
}
