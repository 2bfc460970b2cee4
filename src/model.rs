//! Plain domain types and the pure rules over them. No I/O, no async, no UI.
//!
//! Timestamps are milliseconds since the Unix epoch (UTC) throughout: cheap to store, to compare
//! and to serialise; formatting for people happens at the edges.

pub mod account;
pub mod address;
pub mod message;
pub mod presence;
pub mod roster;
pub mod text;
pub mod uri;

pub use account::{Account, AuthMethod, TlsMode};
pub use address::{AddressError, bare_jid};
pub use message::{ChatMessage, ChatState, Delivery, Direction, MAX_SENT_BODY, MAX_SENT_BODY_KIB};
pub use presence::{ContactPresence, ResourcePresence, Show};
pub use roster::{
    RequestState, RosterItem, SubEvent, Subscription, SubscriptionRequest, transition,
};
pub use uri::{UriAction, UriError, XmppUri};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// The current wall-clock time in milliseconds since the Unix epoch.
pub fn now_millis() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
