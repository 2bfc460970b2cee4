//! What the person was writing in each conversation, kept across restarts.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::model::{BareJid, Millis};

impl Store {
    /// Keeps `body` as the draft of the conversation with `peer`; an empty one removes it.
    pub async fn set_draft(
        &self,
        account: &BareJid,
        peer: &BareJid,
        body: String,
        now: Millis,
    ) -> Result<(), StoreError> {
        let (account, peer) = (account.to_string(), peer.to_string());
        self.call(move |conn| {
            if body.is_empty() {
                conn.prepare_cached("DELETE FROM drafts WHERE account = ?1 AND peer = ?2")?
                    .execute(params![account, peer])?;
            } else {
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO drafts (account, peer, body, updated_at) \
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![account, peer, body, now])?;
            }
            Ok(())
        })
        .await
    }

    /// Every kept draft of `account`, by conversation.
    pub async fn drafts(&self, account: &BareJid) -> Result<Vec<(BareJid, String)>, StoreError> {
        let account = account.to_string();
        self.call(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT peer, body FROM drafts WHERE account = ?1")?;
            let rows = stmt.query_map([account], |row| {
                Ok((super::address_column(row, 0)?, row.get::<_, String>(1)?))
            })?;
            rows.collect()
        })
        .await
    }

    /// The draft of the conversation with `peer`, if any.
    pub async fn draft(
        &self,
        account: &BareJid,
        peer: &BareJid,
    ) -> Result<Option<String>, StoreError> {
        let (account, peer) = (account.to_string(), peer.to_string());
        self.call(move |conn| {
            conn.prepare_cached("SELECT body FROM drafts WHERE account = ?1 AND peer = ?2")?
                .query_row(params![account, peer], |row| row.get(0))
                .optional()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ALICE, BOB, store_with_accounts};
    use crate::model::address::j;

    #[tokio::test]
    async fn a_draft_is_kept_per_conversation_until_it_is_emptied() {
        let (dir, store) = store_with_accounts().await;
        let (alice, carol) = (j(ALICE), j("carol@example.org"));
        store
            .set_draft(&alice, &carol, "half a thought".into(), 1)
            .await
            .unwrap();
        store
            .set_draft(&j(BOB), &carol, "bob's own".into(), 1)
            .await
            .unwrap();
        drop(store);
        // Across a restart.
        let store = crate::store::Store::open(&dir.path().join("natter.sqlite")).unwrap();
        assert_eq!(
            store.draft(&alice, &carol).await.unwrap().as_deref(),
            Some("half a thought")
        );
        assert_eq!(
            store.drafts(&alice).await.unwrap(),
            [(carol.clone(), "half a thought".to_owned())]
        );
        store
            .set_draft(&alice, &carol, String::new(), 2)
            .await
            .unwrap();
        assert_eq!(store.draft(&alice, &carol).await.unwrap(), None);
        assert_eq!(store.drafts(&j(BOB)).await.unwrap().len(), 1);
    }
}
