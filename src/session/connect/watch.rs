//! What one session's connections share, and what ends one: the incidents the wire guard and
//! the server report, whether to stop reconnecting, the sign-in floor and the FAST tokens.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc;

use super::ConnectError;
use super::fast::Tokens;
use super::sasl::Remembered;
use super::wire::Refusal;
use crate::store::Store;

/// What ended a signed-in connection, for the session to tell the person (and to stop on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incident {
    /// Natter refused the server's bytes and reset the connection.
    Refused(Refusal),
    /// The server ended the stream with this error.
    Ended(ConnectError),
}

/// What one session's connections share: where incidents go, whether the server said to
/// stop, the strongest sign-in that has worked, and where FAST tokens are kept. Cheap to
/// clone; the default reports nowhere and remembers only in memory (a raw login in the tests).
#[derive(Debug, Clone, Default)]
pub struct Watch {
    incidents: Option<mpsc::UnboundedSender<Incident>>,
    stop: Arc<AtomicBool>,
    pub(super) sign_in: Remembered,
    pub(super) tokens: Tokens,
}

impl Watch {
    /// A watch that reports to `incidents`.
    pub fn new(incidents: mpsc::UnboundedSender<Incident>) -> Watch {
        Watch {
            incidents: Some(incidents),
            stop: Arc::default(),
            sign_in: Remembered::default(),
            tokens: Tokens::default(),
        }
    }

    /// Keeps FAST tokens in the keyring, next to the password, instead of in memory.
    pub fn keeping_tokens(self, role: crate::session::Role) -> Watch {
        Watch {
            tokens: Tokens::in_keyring(role),
            ..self
        }
    }

    /// Reads the account's strongest sign-in method from `store` before each sign-in and
    /// records there the one that worked.
    pub fn remembering(self, store: Store) -> Watch {
        Watch {
            sign_in: Remembered::in_store(store),
            ..self
        }
    }

    /// The server ended a session with an error that retrying will not fix.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    pub(super) fn report(&self, incident: Incident) {
        if let Incident::Ended(e) = &incident
            && e.is_fatal()
        {
            // Before the reconnect can start: the connector checks this flag first.
            self.stop.store(true, Ordering::SeqCst);
        }
        if let Some(tx) = &self.incidents {
            let _ = tx.send(incident);
        }
    }
}
