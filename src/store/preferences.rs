//! What the person chose in the window, kept for the next start: typed values over the
//! key/value settings table. This file is the only place that knows their keys and how each
//! value is written.

use rusqlite::{TransactionBehavior, params};

use super::{Store, StoreError};

/// Settings key of the recent status messages (JSON array, newest first).
const RECENT_STATUS: &str = "recent_status";
/// "true" or "false": the roster's "show offline contacts" toggle.
const SHOW_OFFLINE: &str = "show_offline";
/// A locale of i18n/ (absent or empty: the desktop's language).
const LANGUAGE: &str = "language";
/// Minutes without input to away and to extended away (0: never).
const AWAY_MINUTES: &str = "away_minutes";
const XA_MINUTES: &str = "xa_minutes";

/// The person's choices. A value never stored, or one that cannot be read, is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// Recent status messages, newest first.
    pub recent_status: Vec<String>,
    /// Whether the roster shows offline contacts.
    pub show_offline: bool,
    /// The chosen language (a locale of i18n/), or `None` for the desktop's.
    pub language: Option<String>,
    /// Minutes without input before the show becomes away (0: never).
    pub away_minutes: u32,
    /// … and extended away (0: never).
    pub xa_minutes: u32,
}

impl Preferences {
    /// Minutes to away when the person chose nothing.
    pub const AWAY_MINUTES: u32 = 5;
    /// Minutes to extended away when the person chose nothing.
    pub const XA_MINUTES: u32 = 20;
}

impl Default for Preferences {
    fn default() -> Preferences {
        Preferences {
            recent_status: Vec::new(),
            show_offline: true,
            language: None,
            away_minutes: Preferences::AWAY_MINUTES,
            xa_minutes: Preferences::XA_MINUTES,
        }
    }
}

/// One choice to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preference {
    /// The recent status messages, newest first.
    RecentStatus(Vec<String>),
    /// The roster's "show offline contacts".
    ShowOffline(bool),
    /// The language, `None` for the desktop's.
    Language(Option<String>),
    /// Minutes to away and to extended away, kept together.
    AutoAway {
        /// Minutes to away (0: never).
        away: u32,
        /// Minutes to extended away (0: never).
        xa: u32,
    },
}

impl Preference {
    /// The rows this choice writes.
    fn rows(&self) -> Vec<(&'static str, String)> {
        match self {
            Preference::RecentStatus(recent) => {
                // A list of strings always serialises; "[]" is what reads back as empty.
                let json = serde_json::to_string(recent).unwrap_or_else(|_| "[]".to_owned());
                vec![(RECENT_STATUS, json)]
            }
            Preference::ShowOffline(show) => vec![(SHOW_OFFLINE, show.to_string())],
            Preference::Language(language) => {
                vec![(LANGUAGE, language.clone().unwrap_or_default())]
            }
            Preference::AutoAway { away, xa } => vec![
                (AWAY_MINUTES, away.to_string()),
                (XA_MINUTES, xa.to_string()),
            ],
        }
    }
}

impl Store {
    /// The person's choices, in one read.
    pub async fn preferences(&self) -> Result<Preferences, StoreError> {
        let rows: Vec<(String, String)> = self
            .call(|conn| {
                conn.prepare_cached(
                    "SELECT key, value FROM settings WHERE key IN (?1, ?2, ?3, ?4, ?5)",
                )?
                .query_map(
                    params![
                        RECENT_STATUS,
                        SHOW_OFFLINE,
                        LANGUAGE,
                        AWAY_MINUTES,
                        XA_MINUTES
                    ],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?
                .collect()
            })
            .await?;
        let mut prefs = Preferences::default();
        for (key, value) in rows {
            match key.as_str() {
                RECENT_STATUS => {
                    prefs.recent_status = serde_json::from_str(&value).unwrap_or_default();
                }
                SHOW_OFFLINE => prefs.show_offline = value != "false",
                LANGUAGE => prefs.language = Some(value).filter(|l| !l.is_empty()),
                AWAY_MINUTES => prefs.away_minutes = value.parse().unwrap_or(prefs.away_minutes),
                XA_MINUTES => prefs.xa_minutes = value.parse().unwrap_or(prefs.xa_minutes),
                _ => {}
            }
        }
        Ok(prefs)
    }

    /// Keeps one choice for the next start (both values of a pair in one transaction).
    pub async fn save_preference(&self, choice: Preference) -> Result<(), StoreError> {
        let rows = choice.rows();
        self.call(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for (key, value) in &rows {
                tx.prepare_cached(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )?
                .execute(params![key, value])?;
            }
            tx.commit()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::temp_store;
    use super::*;

    #[tokio::test]
    async fn nothing_chosen_reads_as_the_defaults() {
        let (_dir, store) = temp_store();
        let prefs = store.preferences().await.unwrap();
        assert_eq!(prefs, Preferences::default());
        assert!(prefs.show_offline, "offline contacts are shown at first");
        assert_eq!((prefs.away_minutes, prefs.xa_minutes), (5, 20));
        assert_eq!(prefs.language, None);
    }

    #[tokio::test]
    async fn every_choice_is_read_back_as_it_was_saved() {
        let (_dir, store) = temp_store();
        let choices = [
            Preference::RecentStatus(vec!["In a meeting".into(), "Lunch".into()]),
            Preference::ShowOffline(false),
            Preference::Language(Some("de".into())),
            Preference::AutoAway { away: 0, xa: 45 },
        ];
        for choice in choices {
            store.save_preference(choice).await.unwrap();
        }
        let expected = Preferences {
            recent_status: vec!["In a meeting".into(), "Lunch".into()],
            show_offline: false,
            language: Some("de".into()),
            away_minutes: 0,
            xa_minutes: 45,
        };
        assert_eq!(store.preferences().await.unwrap(), expected);
        // Back to the desktop's language: stored as empty, read as none.
        store
            .save_preference(Preference::Language(None))
            .await
            .unwrap();
        assert_eq!(store.preferences().await.unwrap().language, None);
    }

    #[tokio::test]
    async fn values_that_cannot_be_read_are_the_defaults() {
        let (_dir, store) = temp_store();
        // Written by hand, or by a later version that writes them differently.
        for (key, value) in [
            (RECENT_STATUS, "not json"),
            (SHOW_OFFLINE, "maybe"),
            (AWAY_MINUTES, "-3"),
            (XA_MINUTES, "soon"),
            (LANGUAGE, ""),
        ] {
            store.set_setting(key, value).await.unwrap();
        }
        let prefs = store.preferences().await.unwrap();
        assert_eq!(prefs, Preferences::default());
    }
}
