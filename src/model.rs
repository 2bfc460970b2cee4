//! Plain domain types and the pure rules over them. No I/O, no async, no UI.
//!
//! Timestamps are milliseconds since the Unix epoch (UTC) throughout: cheap to store, to compare
//! and to serialise; formatting for people happens at the edges.

pub mod account;
pub mod address;
pub mod amend;
pub mod collate;
pub mod id;
pub mod message;
pub mod presence;
pub mod roster;
pub mod styling;
pub mod text;
pub mod uri;

pub use account::{Account, AuthMethod, TlsMode};
pub use address::{AddressError, bare_jid};
pub use id::{InvalidMessageId, MessageId};
/// Addresses (RFC 7622): bare (`name@server`), full (`name@server/resource`), or either. Text
/// from a person or the network becomes one through [`bare_jid`] or [`address::canonical`],
/// once, at the edge; a function that takes one never checks it again.
pub use jid::{BareJid, FullJid, Jid};
pub use message::{
    Amendment, ChatMessage, ChatState, Delivery, Direction, Encryption, Extras, MAX_SENT_BODY,
    MAX_SENT_BODY_KIB, MessageChange, QueuedChange, Reaction, ReplyTo,
};
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
