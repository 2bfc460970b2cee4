//! The roster of each account, with its XEP-0237 version.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{Store, StoreError, Stored, invalid, parse_column};
use crate::model::{BareJid, RosterItem, Subscription};

impl Store {
    /// The stored roster version and items of `account`, items ordered by JID. An unknown
    /// account has no version and no items.
    pub async fn roster(
        &self,
        account: &BareJid,
    ) -> Result<(Option<String>, Vec<RosterItem>), StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let ver: Option<String> = conn
                .prepare_cached("SELECT roster_ver FROM accounts WHERE jid = ?1")?
                .query_row([&account], |row| row.get(0))
                .optional()?
                .flatten();
            let mut stmt = conn.prepare_cached(
                "SELECT jid, name, groups, subscription, ask, approved FROM roster \
                 WHERE account = ?1 ORDER BY jid",
            )?;
            let items = stmt
                .query_map([&account], item_from_row)?
                .collect::<Result<_, _>>()?;
            Ok((ver, items))
        })
        .await
    }

    /// Replaces the whole roster of `account` and its version (a full roster result), in one
    /// transaction.
    pub async fn replace_roster(
        &self,
        account: &BareJid,
        ver: Option<String>,
        items: Vec<RosterItem>,
    ) -> Result<(), StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.prepare_cached("DELETE FROM roster WHERE account = ?1")?
                .execute([&account])?;
            for item in &items {
                upsert(&tx, &account, item)?;
            }
            tx.prepare_cached("UPDATE accounts SET roster_ver = ?2 WHERE jid = ?1")?
                .execute(params![account, ver])?;
            tx.commit()
        })
        .await
    }

    /// Applies one roster push: adds or updates `item`, or deletes it when `removed`. A push
    /// with a version stores it; one without keeps the stored version.
    pub async fn apply_roster_push(
        &self,
        account: &BareJid,
        ver: Option<String>,
        item: RosterItem,
        removed: bool,
    ) -> Result<(), StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if removed {
                tx.prepare_cached("DELETE FROM roster WHERE account = ?1 AND jid = ?2")?
                    .execute(params![account, item.jid.as_str()])?;
            } else {
                upsert(&tx, &account, &item)?;
            }
            if let Some(ver) = ver {
                tx.prepare_cached("UPDATE accounts SET roster_ver = ?2 WHERE jid = ?1")?
                    .execute(params![account, ver])?;
            }
            tx.commit()
        })
        .await
    }
}

fn upsert(conn: &Connection, account: &str, item: &RosterItem) -> rusqlite::Result<()> {
    let groups = serde_json::to_string(&item.groups)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO roster (account, jid, name, groups, subscription, ask, approved) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (account, jid) DO UPDATE SET name = excluded.name, \
         groups = excluded.groups, subscription = excluded.subscription, \
         ask = excluded.ask, approved = excluded.approved",
    )?
    .execute(params![
        account,
        item.jid.as_str(),
        item.name,
        groups,
        item.subscription.as_str(),
        item.ask,
        item.approved,
    ])?;
    Ok(())
}

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<RosterItem> {
    let groups: String = row.get(2)?;
    let groups =
        serde_json::from_str(&groups).map_err(|_| invalid(2, Stored::GroupList, &groups))?;
    Ok(RosterItem {
        jid: super::address_column(row, 0)?,
        name: row.get(1)?,
        groups,
        subscription: parse_column(row, 3, Stored::Subscription, Subscription::parse)?,
        ask: row.get(4)?,
        approved: row.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ALICE, BOB, store_with_accounts};
    use super::*;
    use crate::model::address::j;

    fn item(jid: &BareJid, subscription: Subscription) -> RosterItem {
        RosterItem {
            subscription,
            ..RosterItem::new(jid.clone())
        }
    }

    #[tokio::test]
    async fn a_full_roster_replaces_the_old_one_with_its_version() {
        let (_dir, store) = store_with_accounts().await;
        assert_eq!(store.roster(&j(ALICE)).await.unwrap(), (None, vec![]));

        let carol = RosterItem {
            name: Some("Carol".into()),
            groups: vec!["Family".into(), "Friends".into()],
            ask: true,
            approved: true,
            ..item(&j("carol@example.org"), Subscription::To)
        };
        let first = vec![
            item(&j("zed@example.org"), Subscription::Both),
            carol.clone(),
        ];
        store
            .replace_roster(&j(ALICE), Some("v1".into()), first)
            .await
            .unwrap();
        let (ver, items) = store.roster(&j(ALICE)).await.unwrap();
        assert_eq!(ver.as_deref(), Some("v1"));
        assert_eq!(
            items,
            [
                carol.clone(),
                item(&j("zed@example.org"), Subscription::Both)
            ]
        );

        let second = vec![item(&j("dave@example.org"), Subscription::From)];
        store
            .replace_roster(&j(ALICE), None, second.clone())
            .await
            .unwrap();
        assert_eq!(store.roster(&j(ALICE)).await.unwrap(), (None, second));
        assert_eq!(
            store.roster(&j(BOB)).await.unwrap(),
            (None, vec![]),
            "other accounts untouched"
        );
    }

    #[tokio::test]
    async fn pushes_add_update_and_remove_items_and_move_the_version() {
        let (_dir, store) = store_with_accounts().await;
        let carol = item(&j("carol@example.org"), Subscription::None);
        store
            .replace_roster(&j(ALICE), Some("v1".into()), vec![carol.clone()])
            .await
            .unwrap();

        let dave = item(&j("dave@example.org"), Subscription::To);
        store
            .apply_roster_push(&j(ALICE), Some("v2".into()), dave.clone(), false)
            .await
            .unwrap();
        let both = RosterItem {
            name: Some("C".into()),
            ..item(&j("carol@example.org"), Subscription::Both)
        };
        store
            .apply_roster_push(&j(ALICE), Some("v3".into()), both.clone(), false)
            .await
            .unwrap();
        assert_eq!(
            store.roster(&j(ALICE)).await.unwrap(),
            (Some("v3".into()), vec![both, dave.clone()])
        );

        store
            .apply_roster_push(&j(ALICE), Some("v4".into()), carol, true)
            .await
            .unwrap();
        assert_eq!(
            store.roster(&j(ALICE)).await.unwrap(),
            (Some("v4".into()), vec![dave.clone()])
        );

        // A push without a version (server without versioning) keeps the stored one.
        let erin = item(&j("erin@example.org"), Subscription::None);
        store
            .apply_roster_push(&j(ALICE), None, erin.clone(), false)
            .await
            .unwrap();
        assert_eq!(
            store.roster(&j(ALICE)).await.unwrap(),
            (Some("v4".into()), vec![dave, erin])
        );
    }

    #[tokio::test]
    async fn a_broken_group_list_is_an_invalid_error() {
        let (_dir, store) = store_with_accounts().await;
        store
            .replace_roster(
                &j(ALICE),
                None,
                vec![item(&j("c@example.org"), Subscription::To)],
            )
            .await
            .unwrap();
        store
            .call(|c| c.execute("UPDATE roster SET groups = '[oops'", []))
            .await
            .unwrap();
        assert!(matches!(
            store.roster(&j(ALICE)).await,
            Err(StoreError::Invalid(_))
        ));
        store
            .call(|c| {
                c.execute(
                    "UPDATE roster SET groups = '[]', subscription = 'maybe'",
                    [],
                )
            })
            .await
            .unwrap();
        assert!(matches!(
            store.roster(&j(ALICE)).await,
            Err(StoreError::Invalid(_))
        ));
    }
}
