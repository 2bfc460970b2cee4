//! Application settings as plain key/value text.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::{Store, StoreError};

impl Store {
    /// The value stored under `key`, if any.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_owned();
        self.call(move |conn| {
            conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
                .query_row([&key], |row| row.get(0))
                .optional()
        })
        .await
    }

    /// Stores `value` under `key`, replacing any earlier value.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
            tx.commit()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::temp_store;

    #[tokio::test]
    async fn a_setting_is_stored_replaced_and_read_back() {
        let (_dir, store) = temp_store();
        assert_eq!(store.setting("theme").await.unwrap(), None);
        store.set_setting("theme", "dark").await.unwrap();
        store.set_setting("theme", "light").await.unwrap();
        assert_eq!(
            store.setting("theme").await.unwrap().as_deref(),
            Some("light")
        );
    }

    #[tokio::test]
    async fn clones_share_one_connection_in_order() {
        let (_dir, store) = temp_store();
        let other = store.clone();
        let write = other.set_setting("k", "v");
        let read = store.setting("k");
        // Sent in this order, answered in this order: the read sees the write.
        let (w, r) = tokio::join!(write, read);
        w.unwrap();
        assert_eq!(r.unwrap().as_deref(), Some("v"));
    }
}
