//! What went wrong in the window, kept typed until the view puts it into words
//! ([`AppError::words`], through i18n).

use crate::model::{BareJid, UriError};
use crate::paths::PathsError;
use crate::secrets::SecretsError;
use crate::session::SendError;
use crate::store::StoreError;

/// A failure the window shows: fatal at boot, or in the banner above the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// No data directory (neither `NATTER_DATA_DIR` nor a home directory).
    DataDir(PathsError),
    /// The store's file could not be opened at boot.
    OpenStore(StoreError),
    /// A read or write of the store failed.
    Store(StoreError),
    /// The keyring could not keep the password.
    Keyring(SecretsError),
    /// A background task ended before it answered (a bug in it, or the runtime stopping).
    TaskLost,
    /// A link of a kind Natter does not hand to the desktop.
    LinkScheme,
    /// The desktop's handler for a link could not be started.
    OpenLink {
        /// What the system said.
        reason: String,
    },
    /// The session did not take a command.
    Session(SendError),
    /// A command while no session runs.
    Offline,
    /// An `xmpp:` link that cannot be read.
    Uri(UriError),
    /// An `xmpp:` link asks to remove or stop seeing someone who is not a contact.
    NotAContact(BareJid),
    /// What the session reported, already in the person's words.
    Reported(String),
}

impl AppError {
    /// The sentence the person reads, in their language.
    pub fn words(&self) -> String {
        match self {
            AppError::DataDir(e) => e.to_string(),
            AppError::OpenStore(e) => crate::fl!("app-error-store", reason = e.to_string()),
            AppError::Store(e) => e.to_string(),
            AppError::Keyring(e) => e.to_string(),
            AppError::TaskLost => crate::fl!("app-error-task"),
            AppError::LinkScheme => crate::fl!("app-error-link"),
            AppError::OpenLink { reason } => crate::fl!("app-error-open", reason = reason.clone()),
            AppError::Session(e) => crate::fl!("app-error-session", reason = e.to_string()),
            AppError::Offline => crate::fl!("app-error-offline"),
            AppError::Uri(e) => crate::fl!("uri-open-failed", reason = e.to_string()),
            AppError::NotAContact(jid) => crate::fl!("uri-not-a-contact", jid = jid.to_string()),
            AppError::Reported(text) => text.clone(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        tracing::warn!("a background task ended before it answered: {e}");
        AppError::TaskLost
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;

    #[test]
    fn every_error_is_worded_in_the_persons_language() {
        let cases = [
            (
                AppError::Offline,
                "Not connected: sign in first.",
                "Нет подключения: сначала войдите.",
            ),
            (
                AppError::NotAContact(j("eve@example.org")),
                "eve@example.org is not in your contacts.",
                "eve@example.org",
            ),
            (
                AppError::TaskLost,
                "A background task of Natter stopped before it finished; try again.",
                "Фоновая задача Natter прервалась, не закончив работу; попробуйте ещё раз.",
            ),
        ];
        for (error, english, russian) in cases {
            assert_eq!(error.words(), english);
            let words = crate::i18n::testing::in_language("ru", || error.words());
            assert!(words.starts_with(russian), "{words}");
            assert_ne!(words, english);
        }
        let store = AppError::OpenStore(StoreError::DiskFull).words();
        assert!(
            store.starts_with("Natter cannot open its data file: "),
            "{store}"
        );
    }
}
