//! One-to-one chat messages and their delivery states.

use serde::{Deserialize, Serialize};

use super::{BareJid, MessageId};

use super::Millis;

/// Whether a message was received or sent by the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the peer to the account.
    In,
    /// From the account (this device or another of its devices) to the peer.
    Out,
}

impl Direction {
    /// The store and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    /// Parses the store name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

/// How far an outbound message got. Inbound messages are `Received`.
///
/// The order matters: a state only ever moves forward (`Failed` can go back to `Queued` by a
/// retry the person asks for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// Written to the outbox, not yet on the wire.
    Queued,
    /// Written to the connection.
    Sent,
    /// The server acknowledged it (XEP-0198).
    Acked,
    /// The recipient's client confirmed it (XEP-0184).
    Delivered,
    /// The server bounced it with an error.
    Failed,
    /// An inbound message.
    Received,
}

impl Delivery {
    /// The store and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Sent => "sent",
            Delivery::Acked => "acked",
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
            Delivery::Received => "received",
        }
    }

    /// Parses the store name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "queued" => Delivery::Queued,
            "sent" => Delivery::Sent,
            "acked" => Delivery::Acked,
            "delivered" => Delivery::Delivered,
            "failed" => Delivery::Failed,
            "received" => Delivery::Received,
            _ => return None,
        })
    }

    /// Whether moving from `self` to `next` is progress (never go back from delivered to
    /// acked because a late ack arrives after the receipt).
    pub fn advances_to(self, next: Delivery) -> bool {
        match (self, next) {
            (Delivery::Received, _) | (_, Delivery::Received) => false,
            (Delivery::Failed, Delivery::Queued) => true,
            (Delivery::Failed, _) => false,
            (Delivery::Delivered, Delivery::Failed) => false,
            (a, b) => b > a,
        }
    }
}

/// XEP-0085 chat states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatState {
    /// Paying attention to the conversation.
    Active,
    /// Typing.
    Composing,
    /// Stopped typing.
    Paused,
    /// Not paying attention.
    Inactive,
    /// Left the conversation.
    Gone,
}

impl ChatState {
    /// The wire and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatState::Active => "active",
            ChatState::Composing => "composing",
            ChatState::Paused => "paused",
            ChatState::Inactive => "inactive",
            ChatState::Gone => "gone",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "active" => ChatState::Active,
            "composing" => ChatState::Composing,
            "paused" => ChatState::Paused,
            "inactive" => ChatState::Inactive,
            "gone" => ChatState::Gone,
            _ => return None,
        })
    }
}

/// One chat message, inbound or outbound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Row id in the local store (0 before it is stored).
    pub local_id: i64,
    /// The account's address.
    pub account: BareJid,
    /// The other side's address.
    pub peer: BareJid,
    /// In or out.
    pub direction: Direction,
    /// Plain text body.
    pub body: String,
    /// When the sender sent it (the XEP-0203 delay stamp when there is one).
    pub sent_at: Millis,
    /// When this device stored it.
    pub received_at: Millis,
    /// The stanza `id` attribute.
    pub remote_id: Option<MessageId>,
    /// XEP-0359 origin-id set by the sender.
    pub origin_id: Option<MessageId>,
    /// XEP-0359 stanza-id assigned by the account's own archive (trusted only from there).
    pub stanza_id: Option<MessageId>,
    /// Delivery state.
    pub delivery: Delivery,
    /// It came with a delay stamp (offline storage or archive).
    pub delayed: bool,
    /// It came as a carbon copy from another device of the account.
    pub carbon: bool,
    /// Edits, retraction, reply, reactions and encryption (issue 17); empty for a plain message.
    /// Boxed: most messages have none, and a message moves through many queues.
    pub extras: Box<Extras>,
}

/// The longest message body Natter sends: 48 KiB of UTF-8 text. Prosody and ejabberd, as
/// configured by default, refuse a stanza over 256 KiB (and close the stream for it), and a
/// body can grow to five times its size when written as XML (`&` is `&amp;`): a body of this
/// size always fits. The window, the command line and headless mode refuse a longer one with
/// this number, and so does the session; what others send is received whole up to what the
/// wire guard admits (8 MiB a stanza).
pub const MAX_SENT_BODY: usize = 48 * 1024;
/// [`MAX_SENT_BODY`] in KiB, as the texts that state it say it.
pub const MAX_SENT_BODY_KIB: usize = MAX_SENT_BODY / 1024;

impl ChatMessage {
    /// A new outbound message for the outbox: queued, with `id` as stanza id and origin-id.
    pub fn outbound(
        account: BareJid,
        peer: BareJid,
        body: String,
        id: MessageId,
        now: Millis,
    ) -> Self {
        ChatMessage {
            local_id: 0,
            account,
            peer,
            direction: Direction::Out,
            body,
            sent_at: now,
            received_at: now,
            remote_id: Some(id.clone()),
            origin_id: Some(id),
            stanza_id: None,
            delivery: Delivery::Queued,
            delayed: false,
            carbon: false,
            extras: Box::default(),
        }
    }
}

pub use super::amend::{
    Amendment, Encryption, Extras, MessageChange, QueuedChange, Reaction, ReplyTo,
};
