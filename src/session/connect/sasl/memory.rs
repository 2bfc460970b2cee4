//! The strongest sign-in method that has worked for an account, as one session knows it: from
//! the account, from the store (a form may hold an older copy), and from this session's own
//! sign-ins, so that a reconnect is held to what the first sign-in achieved.

use std::sync::{Arc, Mutex, PoisonError};

use crate::model::{Account, AuthMethod};
use crate::store::Store;

/// Shared by every connection attempt of one session (it lives in the session's `Watch`).
#[derive(Clone, Default)]
pub struct Remembered {
    strongest: Arc<Mutex<Option<AuthMethod>>>,
    store: Option<Store>,
}

impl std::fmt::Debug for Remembered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered")
            .field("strongest", &*self.lock())
            .field("store", &self.store.is_some())
            .finish()
    }
}

impl Remembered {
    /// Reads what the store remembers for the account and writes what works to it.
    pub fn in_store(store: Store) -> Remembered {
        Remembered {
            strongest: Arc::default(),
            store: Some(store),
        }
    }

    /// The weakest method this sign-in may use: `None` when the person allows any.
    pub(in crate::session::connect) async fn floor(&self, account: &Account) -> Option<AuthMethod> {
        if account.allow_plain {
            return None;
        }
        let stored = match &self.store {
            Some(store) => match store.account(&account.jid).await {
                Ok(stored) => stored.and_then(|a| a.auth_method),
                Err(e) => {
                    // What the account and this session know still holds.
                    let reason = e.to_string();
                    tracing::warn!(
                        "{}",
                        crate::fl!("log-auth-remembered-unreadable", reason = reason)
                    );
                    None
                }
            },
            None => None,
        };
        account.auth_method.max(stored).max(*self.lock())
    }

    /// `method` signed the account in: it is the floor from now on, in this session and, with
    /// a store, in the next ones.
    pub(in crate::session::connect) async fn signed_in(
        &self,
        jid: &crate::model::BareJid,
        method: AuthMethod,
    ) {
        {
            let mut strongest = self.lock();
            *strongest = (*strongest).max(Some(method));
        }
        if let Some(store) = &self.store
            && let Err(e) = store.raise_auth_method(jid, method).await
        {
            let reason = e.to_string();
            tracing::warn!("{}", crate::fl!("log-auth-not-remembered", reason = reason));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<AuthMethod>> {
        self.strongest
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
