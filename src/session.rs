//! The XMPP session: one background task per account that owns the connection, persists what
//! the network says into the [`Store`](crate::store::Store) and then announces it as [`Event`]s.
//!
//! The window, the command line, headless mode and the tests all drive this same engine:
//! [`spawn`] starts it on the current tokio runtime and returns a [`Handle`] for [`Command`]s
//! and the stream of [`Event`]s.

mod connect;
mod core;
#[doc(hidden)]
pub mod fuzzing;
mod guard;
mod sync;
mod translate;
mod worker;

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::mpsc;

use crate::model::{
    Account, BareJid, ChatMessage, ChatState, Delivery, Jid, MessageChange, MessageId, ReplyTo,
    RosterItem, Show, SubscriptionRequest,
};
use crate::store::Store;

pub use connect::{AuthProblem, ConnectError, parse_certificate};

/// Signs in without running a session and returns the raw authenticated stream. For tests that
/// play a misbehaving peer; not part of the public interface.
#[doc(hidden)]
pub async fn raw_login(
    account: &Account,
    password: &str,
) -> Result<tokio_xmpp::stanzastream::Connection, ConnectError> {
    connect::login(
        account,
        password,
        &connect::Watch::default(),
        connect::Binding::OnFeatures,
    )
    .await
}

/// What a session needs to run: the account as stored and its password (from the keyring or
/// `NATTER_PASSWORD`). The password is never printed: `Debug` hides it.
#[derive(Clone)]
pub struct Credentials {
    /// The account to sign in to.
    pub account: Account,
    /// Its password.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account", &self.account.jid)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// Requests to the session. All of them are fire-and-forget: the outcome arrives as events.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Send a chat message. `id` becomes the stanza id and the origin-id; use [`new_id`].
    Send {
        /// The recipient.
        to: BareJid,
        /// Plain text.
        body: String,
        /// Stanza id and origin-id.
        id: MessageId,
        /// The message it replies to (XEP-0461), by the id the `Messages` event gave it.
        reply_to: Option<ReplyTo>,
    },
    /// Correct one of the account's messages (XEP-0308): `id` is the message's id (its stanza
    /// id, as events give it), `body` its new text.
    Correct {
        /// The message.
        id: MessageId,
        /// The new text.
        body: String,
    },
    /// Retract one of the account's messages for everyone (XEP-0424).
    Retract {
        /// The message.
        id: MessageId,
    },
    /// Set the account's reactions to a message of either side (XEP-0444); an empty set takes
    /// them back.
    React {
        /// The message.
        id: MessageId,
        /// The whole set.
        emoji: Vec<String>,
    },
    /// Set own show and status; remembered for the next login.
    SetPresence {
        /// Show (not `Unavailable`).
        show: Show,
        /// Status message, possibly empty.
        status: String,
    },
    /// Add a contact (roster set), ask to see their presence and, when `share_presence`, let
    /// them see ours.
    Add {
        /// The contact.
        jid: BareJid,
        /// Name, if any.
        name: Option<String>,
        /// Groups.
        groups: Vec<String>,
        /// Message sent with the subscription request.
        message: Option<String>,
        /// Let them see our presence: their request is approved in advance (RFC 6121 §3.4
        /// pre-approval, where the server has it), or now if it waits. When false, a request
        /// of theirs waits for the person's answer like anyone's.
        share_presence: bool,
    },
    /// Rename or regroup a contact.
    Update {
        /// The contact.
        jid: BareJid,
        /// New name.
        name: Option<String>,
        /// New groups.
        groups: Vec<String>,
    },
    /// Remove a contact from the roster (which also ends both subscriptions).
    Remove {
        /// The contact.
        jid: BareJid,
    },
    /// Approve a pending subscription request.
    Accept {
        /// The contact.
        jid: BareJid,
    },
    /// Deny a pending subscription request.
    Deny {
        /// The contact.
        jid: BareJid,
    },
    /// Ask to see a contact's presence.
    Subscribe {
        /// The contact.
        jid: BareJid,
        /// Message sent with the request.
        message: Option<String>,
    },
    /// Stop seeing a contact's presence, or cancel a pending request.
    Unsubscribe {
        /// The contact.
        jid: BareJid,
    },
    /// Stop a contact seeing own presence.
    Revoke {
        /// The contact.
        jid: BareJid,
    },
    /// Send a failed message again, with its id and origin-id.
    Retry {
        /// The message id.
        id: MessageId,
    },
    /// Block a JID (XEP-0191) and deny its pending request.
    Block {
        /// The contact.
        jid: BareJid,
    },
    /// Tell a peer about typing (XEP-0085).
    ChatState {
        /// The contact.
        to: BareJid,
        /// The state.
        state: ChatState,
    },
    /// Ask the server when an offline contact was last online (XEP-0012).
    QueryLastActivity {
        /// The contact.
        jid: BareJid,
    },
    /// Ask the server's archive for the page of messages with `peer` before the oldest one
    /// stored (the person scrolled past it); [`Event::OlderHistory`] says when it is stored.
    FetchOlder {
        /// The contact.
        peer: BareJid,
    },
    /// Fetch the roster again, ignoring the stored version.
    RefreshRoster,
    /// Retry connecting now instead of waiting for the backoff.
    RetryNow,
    /// Send unavailable presence, close the stream and end the session.
    Quit,
}

/// What the server offered, from stream features and its disco#info.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServerFeatures {
    /// XEP-0198 stream management.
    pub stream_management: bool,
    /// XEP-0237 roster versioning.
    pub roster_versioning: bool,
    /// RFC 6121 §3.4 subscription pre-approval.
    pub pre_approval: bool,
    /// XEP-0280 message carbons.
    pub carbons: bool,
    /// XEP-0313 message archive.
    pub mam: bool,
    /// XEP-0191 blocking.
    pub blocking: bool,
    /// XEP-0012 last activity.
    pub last_activity: bool,
    /// XEP-0199 ping.
    pub ping: bool,
    /// Every feature var the server announced.
    pub disco: Vec<String>,
}

/// What the session tells its owner. Bulk data comes as one event per batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A connection attempt started.
    Connecting,
    /// Signed in and bound. `resumed` when stream management resumed the old stream.
    Online {
        /// The full address the server bound.
        jid: Jid,
        /// Stream-management resumption, no state lost.
        resumed: bool,
        /// Milliseconds from the start of the attempt to initial presence sent.
        elapsed_ms: u64,
    },
    /// The server's features (after each fresh login).
    Features(ServerFeatures),
    /// Not connected. `retry_in` is set while the session will try again by itself.
    Offline {
        /// Why, in words.
        reason: String,
        /// When the next attempt is due.
        retry_in: Option<Duration>,
    },
    /// The server refused the credentials; the session stopped retrying.
    AuthFailed {
        /// Why, in words.
        reason: String,
    },
    /// How the roster was synchronised at login: `fetched` is false when the server said the
    /// stored version is current (XEP-0237) and nothing was transferred. Precedes `Roster`.
    RosterSync {
        /// The roster version now stored.
        version: Option<String>,
        /// Whether the server sent the whole roster.
        fetched: bool,
    },
    /// The whole roster (after each fresh login, and when it changed while offline).
    Roster(Vec<RosterItem>),
    /// One roster item added or changed.
    RosterPush(RosterItem),
    /// One roster item removed.
    RosterRemoved(BareJid),
    /// Presence of one resource of a contact (or of the account's other devices).
    Presence {
        /// The resource's full address (bare for a resource-less sender).
        jid: Jid,
        /// Show; `Unavailable` when the resource went offline.
        show: Show,
        /// Status message.
        status: String,
        /// Priority.
        priority: i8,
        /// XEP-0319 idle since, ms since the epoch.
        idle_since: Option<i64>,
    },
    /// The answer to a last-activity query.
    LastActivity {
        /// The contact.
        jid: BareJid,
        /// When they were last online, ms since the epoch (`None`: the server would not say).
        last_seen: Option<i64>,
        /// Their last status message, if the server kept it.
        status: Option<String>,
    },
    /// A new or repeated subscription request, stored as pending.
    SubscriptionRequest(SubscriptionRequest),
    /// Messages committed to the store, in order (live, offline delivery, carbons, archive).
    Messages(Vec<ChatMessage>),
    /// Earlier messages changed by corrections, retractions or reactions (from the network or
    /// the account), committed, in the order applied; after the `Messages` of the same batch.
    Changed(Vec<MessageChange>),
    /// A message given with [`Command::Send`] was not taken: it could not be written to the
    /// outbox (a full disk), or it cannot be sent as it is. Nothing of it was kept or sent:
    /// whoever wrote it still holds the only copy.
    NotQueued {
        /// The id given with the command.
        id: MessageId,
        /// Why, in words.
        message: String,
    },
    /// The delivery state of an outbound message changed.
    Delivery {
        /// The message id (stanza id and origin-id).
        id: MessageId,
        /// Its new state.
        state: Delivery,
    },
    /// A peer's chat state.
    ChatState {
        /// The contact.
        from: BareJid,
        /// The state.
        state: ChatState,
    },
    /// The archive catch-up after a fresh login finished.
    CaughtUp {
        /// How many messages it brought that were not stored yet.
        new_messages: usize,
    },
    /// A page of the archive catch-up is stored; more follow.
    CatchupProgress {
        /// Pages stored so far.
        pages: usize,
        /// Messages they brought that were not stored yet.
        new_messages: usize,
    },
    /// A [`Command::FetchOlder`] is answered: what the archive had before the oldest stored
    /// message with `peer` is in the store now (read it from there).
    OlderHistory {
        /// The contact.
        peer: BareJid,
        /// The archive has nothing older: this is the start of the conversation.
        complete: bool,
    },
    /// The archive could not be read (an error, or no answer): what is missing is fetched
    /// when it can be, and until then live messages wait in the archive too.
    ArchiveUnavailable {
        /// In words.
        message: String,
        /// When the archive is asked again.
        retry_in: Duration,
    },
    /// Something went wrong that the person should know; the session goes on.
    Error {
        /// In words.
        message: String,
    },
    /// The session ended (after `Quit`, an authentication failure or a fatal error).
    Closed,
}

/// A cheap, cloneable sender of [`Command`]s. Never blocks: a full queue is an error.
#[derive(Debug, Clone)]
pub struct Handle {
    tx: mpsc::Sender<Command>,
}

/// The session is gone or too busy to take more commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The session has ended.
    Closed,
    /// The command queue is full.
    Full,
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            SendError::Closed => crate::fl!("error-session-ended"),
            SendError::Full => crate::fl!("error-session-busy"),
        })
    }
}

impl Handle {
    /// Queues a command without waiting.
    pub fn send(&self, command: Command) -> Result<(), SendError> {
        self.tx.try_send(command).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => SendError::Full,
            mpsc::error::TrySendError::Closed(_) => SendError::Closed,
        })
    }

    /// Queues a command, waiting for room in the queue.
    pub async fn send_wait(&self, command: Command) -> Result<(), SendError> {
        self.tx.send(command).await.map_err(|_| SendError::Closed)
    }
}

/// Starts a session on the current tokio runtime. It connects at once and keeps reconnecting
/// until [`Command::Quit`], an authentication failure, or every `Handle` and the receiver drop.
pub fn spawn(credentials: Credentials, store: Store) -> (Handle, mpsc::Receiver<Event>) {
    spawn_as(credentials, store, Role::Window)
}

/// [`spawn`] for a session of the command line or headless mode.
pub fn spawn_as(
    credentials: Credentials,
    store: Store,
    role: Role,
) -> (Handle, mpsc::Receiver<Event>) {
    let (cmd_tx, cmd_rx) = mpsc::channel(1024);
    let (event_tx, event_rx) = mpsc::channel(1024);
    tokio::spawn(worker::run(credentials, store, role, cmd_rx, event_tx));
    (Handle { tx: cmd_tx }, event_rx)
}

/// Which kind of Natter a session runs in. Each keeps its own FAST token, and so signs in as
/// its own SASL2 client (XEP-0388's user-agent id): a server that offers Bind 2 names a
/// client's resource after that id and ends an earlier session with the same one, so the
/// window and a `natter send` beside it must not share it, or the command would throw the
/// window out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The window.
    Window,
    /// `natter headless`.
    Headless,
    /// A command that signs in and out again (`send`, `check`, …).
    Command,
}

impl Role {
    /// Every role, for what removes an account's tokens.
    pub const ALL: [Role; 3] = [Role::Window, Role::Headless, Role::Command];

    /// The keyring user its token is kept under: the account's address, marked for all but
    /// the window.
    pub fn token_user(self, jid: &BareJid) -> String {
        match self {
            Role::Window => jid.to_string(),
            Role::Headless => format!("{jid}#headless"),
            Role::Command => format!("{jid}#command"),
        }
    }
}

/// A session started before the window's subscription could start it: iced runs the boot's
/// task only once the window is open, and the connection need not wait for that. The
/// subscription of the key that holds it takes it over instead of starting another; left
/// unclaimed, it ends when the last copy drops, like any session whose handles and receiver
/// are gone.
#[derive(Clone)]
pub struct Early(std::sync::Arc<std::sync::Mutex<Option<Running>>>);

/// A running session: its handle and its events.
pub type Running = (Handle, mpsc::Receiver<Event>);

impl Early {
    /// Starts the session now, on the current tokio runtime (see [`spawn`]).
    pub fn start(credentials: Credentials, store: Store) -> Early {
        Early(std::sync::Arc::new(std::sync::Mutex::new(Some(spawn(
            credentials,
            store,
        )))))
    }

    /// The session, once: whoever takes it runs it.
    pub fn take(&self) -> Option<Running> {
        match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }
}

impl fmt::Debug for Early {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Early(..)")
    }
}

/// A fresh unique id for a stanza (used as stanza id and XEP-0359 origin-id).
pub fn new_id() -> MessageId {
    MessageId::generated(connect::random_token())
}

/// Which of the window's sessions something belongs to: bumped at each sign-in, so that what
/// a replaced session still says is told apart from the current one's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Generation(u64);

impl Generation {
    /// The one after this.
    pub fn next(self) -> Generation {
        Generation(self.0.wrapping_add(1))
    }
}

/// What the window's subscription yields: first the [`Handle`], then the session's events,
/// each tagged with the generation of the key that started it (stale ones are dropped).
#[derive(Debug, Clone)]
pub enum Update {
    /// The session started; commands go through this handle.
    Ready(Generation, Handle),
    /// An event of the session of that generation.
    Event(Generation, Event),
}

/// Identifies one running session for iced. Only the account and the generation are hashed:
/// bump the generation to reconnect with new credentials.
#[derive(Clone)]
pub struct SessionKey {
    /// Credentials to sign in with.
    pub credentials: Credentials,
    /// The store the session persists into.
    pub store: Store,
    /// Bumped to restart the session.
    pub generation: Generation,
    /// The session of these credentials, when it was started before the window opened.
    pub early: Option<Early>,
}

impl std::hash::Hash for SessionKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.credentials.account.jid.hash(state);
        self.generation.hash(state);
    }
}

/// The iced subscription running the session of `key`; dropping it ends the connection.
#[cfg(feature = "gui")]
pub fn subscription(key: SessionKey) -> iced::Subscription<Update> {
    iced::Subscription::run_with(key, |key: &SessionKey| {
        let key = key.clone();
        iced::stream::channel(
            64,
            async move |mut output: futures::channel::mpsc::Sender<Update>| {
                use futures::SinkExt;
                let generation = key.generation;
                let (handle, mut events) = match key.early.as_ref().and_then(Early::take) {
                    Some(started) => started,
                    None => spawn(key.credentials, key.store),
                };
                if output
                    .send(Update::Ready(generation, handle))
                    .await
                    .is_err()
                {
                    return;
                }
                while let Some(event) = events.recv().await {
                    if output.send(Update::Event(generation, event)).await.is_err() {
                        return;
                    }
                }
            },
        )
    })
}
