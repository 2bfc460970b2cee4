//! The store operations the session asks for ([`StoreOp`]) and their answers ([`Stored`]).
//! Each carries what the session needs to go on once the answer is in, so that the worker
//! only runs the operation against the store and hands the answer back.

use std::collections::HashSet;

use tokio_xmpp::jid::{BareJid, Jid};

use crate::model::{
    Amendment, ChatMessage, Delivery, MessageId, QueuedChange, RequestState, RosterItem, Show,
    SubscriptionRequest,
};
use crate::store::StoreError;

/// A store operation of the session's account.
#[derive(Debug)]
pub enum StoreOp {
    /// Record how far an outbound message got (sent, acknowledged).
    SetDelivery {
        /// The message id.
        id: MessageId,
        /// The new state.
        state: Delivery,
    },
    /// A receipt or a bounce for an outbound message: applied only when `from` may report on
    /// it (`guard::delivery_report_allowed`, checked in the same transaction).
    Report {
        /// The message id.
        id: MessageId,
        /// Delivered or failed.
        state: Delivery,
        /// Who reports.
        from: Option<Jid>,
        /// The reason of a bounce, told to the person when it is applied.
        bounce: Option<String>,
    },
    /// Store received messages in one transaction.
    InsertMessages {
        /// The messages.
        messages: Vec<ChatMessage>,
        /// Receipts to send once they are stored: to whom, for which id.
        receipts: Vec<(Jid, MessageId)>,
        /// The archive ids of those that came from the archive.
        archived: HashSet<MessageId>,
        /// Where the next catch-up starts once they are stored, moved in the same
        /// transaction.
        anchor: Option<crate::store::Anchor>,
    },
    /// Where the catch-up starts, where a catch-up starts.
    LastArchived {
        /// Why the catch-up starts.
        purpose: CatchupStart,
    },
    /// The whole roster, as the server sent it.
    ReplaceRoster {
        /// Its version.
        version: Option<String>,
        /// Its items.
        items: Vec<RosterItem>,
    },
    /// Read the stored roster.
    ReadRoster {
        /// What for.
        purpose: RosterRead,
    },
    /// One roster push.
    ApplyRosterPush {
        /// The new roster version.
        version: Option<String>,
        /// The item.
        item: RosterItem,
        /// Whether it was removed.
        removed: bool,
    },
    /// The outbound messages not yet acknowledged by the server.
    Outbox {
        /// What follows the resend.
        purpose: OutboxRead,
    },
    /// A new outbound message, into the outbox before it goes on the wire.
    QueueOutbound {
        /// The id it was given (its stanza id and origin-id).
        id: MessageId,
        /// The message.
        message: ChatMessage,
    },
    /// A change of the account's to one of its messages (or a reaction to either side's),
    /// applied before it goes on the wire.
    OwnChange {
        /// What changes, naming the message by the id events gave it.
        amendment: Amendment,
        /// The change's own id (stanza id and origin-id).
        change_id: MessageId,
        /// A correction's new text.
        body: String,
        /// When.
        now: crate::model::Millis,
    },
    /// A failed message, back into the outbox.
    Requeue {
        /// The message id.
        id: MessageId,
    },
    /// Own show and status, for the next login.
    SetLastPresence {
        /// Show.
        show: Show,
        /// Status message.
        status: String,
    },
    /// When the oldest stored message with `peer` was sent.
    Oldest {
        /// The contact.
        peer: BareJid,
    },
    /// A new or repeated subscription request; approved as it is saved when the person
    /// approved it in advance.
    AddRequest(SubscriptionRequest),
    /// The person lets `jid` see their presence before `jid` asks, on a server that keeps no
    /// pre-approvals (`Some` time), or withdraws that (`None`).
    ApproveAhead {
        /// The contact.
        jid: BareJid,
        /// When, or `None` to withdraw.
        at: Option<i64>,
    },
    /// The answer to a subscription request.
    SetRequestState {
        /// The requester.
        jid: BareJid,
        /// Accepted or denied.
        state: RequestState,
        /// The roster push that answered it (on another device, say), announced once the
        /// request is marked; `None`: the person answered here.
        push: Option<RosterItem>,
    },
}

/// Why a catch-up starts.
#[derive(Debug, Clone)]
pub enum CatchupStart {
    /// A fresh login bound `bound`; `presence_sent` says whether its initial presence went
    /// before stream management was enabled.
    Login {
        /// The bound address.
        bound: Jid,
        /// The initial presence was handled during the negotiation.
        presence_sent: bool,
    },
    /// Received messages are missing from the store: fetch them again.
    Retry,
}

/// Why the stored roster is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterRead {
    /// Its version, for a login's roster request (XEP-0237).
    Version,
    /// The server said the stored roster is current.
    Current,
}

/// What follows a read of the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxRead {
    /// The rest of a fresh login: the archive query goes after the resend.
    Login,
    /// A resumption: only the resend.
    Resend,
}

/// The answer to a [`StoreOp`], with what the session needs to go on.
#[derive(Debug)]
pub enum Stored {
    /// For [`StoreOp::SetDelivery`].
    Delivery {
        /// The message id.
        id: MessageId,
        /// The message as changed (`None`: nothing changed).
        result: Result<Option<ChatMessage>, StoreError>,
    },
    /// For [`StoreOp::Report`].
    Report {
        /// The message id.
        id: MessageId,
        /// The message as changed (`None`: not applied).
        result: Result<Option<ChatMessage>, StoreError>,
        /// The reason of a bounce.
        bounce: Option<String>,
    },
    /// For [`StoreOp::OwnChange`].
    OwnChange {
        /// The message as changed, and the change as queued for the wire (`None`: no such
        /// message of the account's; no queued change: the message has no id on the wire).
        result: Result<Option<Box<crate::store::OwnChange>>, StoreError>,
        /// The change.
        amendment: Amendment,
    },
    /// For [`StoreOp::InsertMessages`].
    Messages {
        /// The messages that were new, as stored, and the earlier ones changed.
        result: Result<crate::store::Inserted, StoreError>,
        /// Receipts to send now.
        receipts: Vec<(Jid, MessageId)>,
        /// The archive ids of those that came from the archive.
        archived: HashSet<MessageId>,
    },
    /// For [`StoreOp::LastArchived`].
    LastArchived {
        /// Where the catch-up starts.
        result: Result<Option<crate::store::Anchor>, StoreError>,
        /// Why the catch-up starts.
        purpose: CatchupStart,
    },
    /// For [`StoreOp::ReplaceRoster`].
    RosterReplaced {
        /// Whether it was saved.
        result: Result<(), StoreError>,
        /// Its version.
        version: Option<String>,
        /// Its items.
        items: Vec<RosterItem>,
    },
    /// For [`StoreOp::ReadRoster`].
    Roster {
        /// The stored version and items.
        result: Result<(Option<String>, Vec<RosterItem>), StoreError>,
        /// What for.
        purpose: RosterRead,
    },
    /// For [`StoreOp::ApplyRosterPush`].
    RosterPush {
        /// Whether it was saved.
        result: Result<(), StoreError>,
        /// The item.
        item: RosterItem,
        /// Whether it was removed.
        removed: bool,
    },
    /// For [`StoreOp::Outbox`].
    Outbox {
        /// The messages waiting.
        result: Result<Vec<ChatMessage>, StoreError>,
        /// The account's own changes waiting, after the messages they may name.
        changes: Result<Vec<QueuedChange>, StoreError>,
        /// The ids of those the stream still holds (it sends them itself).
        tracked: HashSet<MessageId>,
        /// What follows.
        purpose: OutboxRead,
    },
    /// For [`StoreOp::QueueOutbound`].
    Queued {
        /// The message id it was given (the answer ties a failure to it).
        id: MessageId,
        /// The message as stored.
        result: Result<ChatMessage, StoreError>,
    },
    /// For [`StoreOp::Requeue`].
    Requeued {
        /// The message id.
        id: MessageId,
        /// The message back in the outbox (`None`: no such failed message).
        result: Result<Option<ChatMessage>, StoreError>,
    },
    /// For [`StoreOp::SetLastPresence`].
    LastPresence {
        /// Whether it was saved.
        result: Result<(), StoreError>,
        /// Show.
        show: Show,
        /// Status message.
        status: String,
    },
    /// For [`StoreOp::AddRequest`].
    RequestAdded {
        /// Whether it was saved, and what became of it.
        result: Result<crate::store::Added, StoreError>,
        /// The request.
        request: SubscriptionRequest,
    },
    /// For [`StoreOp::Oldest`].
    Oldest {
        /// The contact.
        peer: BareJid,
        /// The archive id of the oldest stored message that has one, and when the oldest was
        /// sent; `None` when nothing is stored.
        result: Result<Option<(Option<MessageId>, crate::model::Millis)>, StoreError>,
    },
    /// For [`StoreOp::ApproveAhead`].
    ApprovedAhead(Result<(), StoreError>),
    /// For [`StoreOp::SetRequestState`].
    RequestState {
        /// Whether it was saved.
        result: Result<(), StoreError>,
        /// The roster push to announce now.
        push: Option<RosterItem>,
    },
}

/// What the session was doing with the store when it failed, for the error the person sees.
#[derive(Debug, Clone, Copy)]
pub enum StoreWork {
    /// Queueing an outbound message.
    SaveMessage,
    /// Saving own show and status.
    SaveStatus,
    /// Requeueing a failed message.
    Retry,
    /// Saving the answer to a request.
    SaveAnswer,
    /// Reading where the archive catch-up starts.
    ReadArchiveId,
    /// Reading the outbox.
    ReadOutbox,
    /// Saving a delivery state.
    SaveDelivery,
    /// Saving received messages.
    SaveReceived,
    /// Saving a subscription request.
    SaveRequest,
    /// Saving a roster push.
    SaveRosterChange,
    /// Saving the roster.
    SaveRoster,
    /// Reading the roster.
    ReadRoster,
    /// Reading the history.
    ReadHistory,
}

impl StoreWork {
    /// In words.
    pub fn describe(self) -> String {
        match self {
            StoreWork::SaveMessage => crate::fl!("session-store-save-message"),
            StoreWork::SaveStatus => crate::fl!("session-store-save-status"),
            StoreWork::Retry => crate::fl!("session-store-retry"),
            StoreWork::SaveAnswer => crate::fl!("session-store-save-answer"),
            StoreWork::ReadArchiveId => crate::fl!("session-store-read-archive-id"),
            StoreWork::ReadOutbox => crate::fl!("session-store-read-outbox"),
            StoreWork::SaveDelivery => crate::fl!("session-store-save-delivery"),
            StoreWork::SaveReceived => crate::fl!("session-store-save-received"),
            StoreWork::SaveRequest => crate::fl!("session-store-save-request"),
            StoreWork::SaveRosterChange => crate::fl!("session-store-save-roster-change"),
            StoreWork::SaveRoster => crate::fl!("session-store-save-roster"),
            StoreWork::ReadRoster => crate::fl!("session-store-read-roster"),
            StoreWork::ReadHistory => crate::fl!("session-store-read-history"),
        }
    }
}
