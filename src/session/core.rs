//! The pure session step: `Core::step(Input) -> Vec<Effect>`. Every rule of the session lives
//! here — what a stanza means for the store and the person, what a command sends, how a login
//! proceeds, when the archive is caught up — with no I/O: no network, no store, no clock, no
//! randomness. The worker (`worker.rs`) is the thin loop that reads the network, the commands
//! and the timers, calls `step`, and carries out the effects; the fuzz target and the unit tests
//! call `step` directly.
//!
//! A store write is an effect whose answer comes back as the next input ([`Input::Stored`]):
//! persist, then announce. The core stops at each store effect until its answer is in, so the
//! rest of the work queued behind it (the next stanza of a chunk, the next deferred command)
//! sees the store as the answer left it, exactly as if the write had been awaited in place.

mod commands;
mod contacts;
mod inbound;
mod inbox;
mod iq;
mod link;
mod login;
mod older;
mod outbox;
#[doc(hidden)]
pub mod rehearsal;
mod replies;
mod store_ops;

#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tokio_xmpp::Stanza;
use tokio_xmpp::jid::BareJid;
use tokio_xmpp::stanzastream::{self, StanzaStage};

use super::sync::Catchup;
use super::translate::{self, Context};
use super::{Command, Event, ServerFeatures};
use crate::model::{Account, MessageId, Millis, Show};

pub use link::{Handovers, Report};
pub use replies::Query;
pub use store_ops::{OutboxRead, RosterRead, StoreOp, StoreWork, Stored};

use contacts::Contacts;
use inbox::Inbox;
use iq::Iqs;
use iq::Pending;
use link::{Drops, Link};
use replies::Replies;

/// How long an IQ may go unanswered before it counts as failed.
const IQ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long after answering a request a re-delivered copy of it is ignored.
const ANSWER_GRACE: Duration = Duration::from_secs(30);

/// The time of a step: the monotonic clock for timeouts, the wall clock for stamps.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    /// Monotonic, for timeouts and grace periods.
    pub at: Instant,
    /// Milliseconds since the epoch, for message stamps.
    pub wall: Millis,
}

impl Now {
    /// The current time.
    pub fn current() -> Now {
        Now {
            at: Instant::now(),
            wall: crate::model::now_millis(),
        }
    }
}

/// Where the stanza, message and query ids the session makes come from: random in a running
/// session, a counter where a test or the fuzz target needs to know them in advance.
#[derive(Debug, Clone)]
pub enum Ids {
    /// 128 random bits each (`session::new_id`).
    Random,
    /// `q1`, `q2`, … in the order asked for.
    Counter(u64),
}

impl Ids {
    fn next(&mut self) -> String {
        match self {
            Ids::Random => super::new_id().into(),
            Ids::Counter(n) => {
                *n += 1;
                format!("q{n}")
            }
        }
    }
}

/// What happens to the session: each is handled by [`Core::step`].
#[derive(Debug)]
pub enum Input {
    /// What the stanza stream gave in one read: stanzas and its own reports.
    Chunk(Vec<stanzastream::Event>),
    /// The stanza stream ended for good.
    StreamEnded,
    /// A command from the owner.
    Command(Command),
    /// What the connector reports about its attempts.
    Report(Report),
    /// Why the connection is about to drop, as the wire guard or the server said.
    Incident(super::connect::Incident),
    /// The answer to the [`Effect::Store`] the core stopped at.
    Stored(Stored),
    /// An outbound message's stanza reached a stage (`None`: the stream let go of it without).
    Token {
        /// The message id.
        id: MessageId,
        /// Sent or acknowledged.
        reached: Option<crate::model::Delivery>,
    },
    /// An answer to a disco#info query left the window (acknowledged, or sent without stream
    /// management).
    ReplyDone,
    /// The initial presence of a fresh login has been handled (or the wait for it ended).
    LoginPresenceHandled,
    /// The five-second tick: IQ timeouts, a retry of the archive after a store failure.
    Tick,
}

/// How the worker follows a stanza it sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Track {
    /// Not at all.
    None,
    /// An outbound chat message: report [`Input::Token`] at sent, then acknowledged.
    Outbound(MessageId),
    /// An answer to a disco#info query: report [`Input::ReplyDone`] when it reaches `until`.
    Reply(StanzaStage),
    /// The initial presence: report [`Input::LoginPresenceHandled`] when it reaches `until`,
    /// or after a bounded wait.
    LoginPresence(StanzaStage),
}

/// What the worker is to do, in order.
#[derive(Debug)]
pub enum Effect {
    /// Write a stanza on the stream.
    Send(Box<Stanza>, Track),
    /// Carry out a store operation and answer with [`Input::Stored`]. Always the last effect
    /// of a step: the core waits for its answer.
    Store(StoreOp),
    /// Commit received messages beside what follows, and answer with [`Input::Stored`] when
    /// done; one at a time. Whatever arrives meanwhile is committed together after it (group
    /// commit): the disk's flush time then bounds how often Natter commits, not how many
    /// messages it can take in. When the core needs the commit done before it goes on, it
    /// pauses ([`Core::paused`]) and the answer must come next.
    Commit(StoreOp),
    /// Tell the owner.
    Emit(Event),
    /// The show and status the next login announces (the connector writes them).
    NextPresence(Show, String),
    /// Try to connect now instead of waiting for the backoff.
    RetryNow,
    /// The stream never gets online on its connections: start a new one.
    ReplaceStream,
    /// Close the stream, with unavailable presence first when `goodbye`; the session then
    /// ends (the worker emits [`Event::Closed`]).
    Close {
        /// Whether to say goodbye with unavailable presence.
        goodbye: bool,
    },
    /// The session ends without closing anything (a fatal error, the stream gone).
    End,
}

/// A store failure in words: what the session was doing, and why it failed.
fn store_problem(what: StoreWork, e: crate::store::StoreError) -> String {
    crate::fl!(
        "session-error-store",
        what = what.describe(),
        reason = e.to_string()
    )
}

/// Work queued in the core, done in order; a store effect pauses it until its answer.
#[derive(Debug)]
enum Work {
    /// A stanza read off the stream, to translate.
    Stanza(Stanza),
    /// What a stanza means.
    Inbound(translate::Inbound),
    /// Commit the batch of received messages (beside what follows).
    Flush,
    /// Commit the batch of received messages and wait until everything received is stored:
    /// before anything that depends on it (a page's end, a stream's reset, a quit).
    Settle,
    /// End the session.
    End,
    /// What the stream said about itself.
    Stream(stanzastream::StreamEvent),
    /// A command.
    Command(Command),
    /// Send a stanza.
    Send(Stanza),
    /// Send an IQ and wait for its answer.
    Iq(String, Pending, Stanza),
    /// Tell the owner.
    Emit(Event),
    /// A page of earlier history is stored: the query is over.
    OlderDone { queryid: String, complete: bool },
    /// A receipt or bounce for an outbound message.
    Report {
        id: MessageId,
        from: Option<tokio_xmpp::jid::Jid>,
        state: crate::model::Delivery,
        bounce: Option<String>,
    },
    /// The answer to an IQ we sent.
    IqResponse {
        id: String,
        from: Option<tokio_xmpp::jid::Jid>,
        payload: Option<tokio_xmpp::minidom::Element>,
        error: Option<String>,
    },
    /// The rest of a fresh login.
    LoginRest,
    /// IQs unanswered for too long.
    ExpireIqs,
    /// One IQ that went unanswered.
    Expired(Pending),
    /// Fetch again from the archive what could not be stored.
    RetryGap,
    /// Ask for the roster again after it could not be had.
    RetryRoster,
    /// Close and end.
    Quit,
}

/// The whole state of one session, and its rules.
pub struct Core {
    /// The account as stored: the show and status it announces.
    account: Account,
    /// The account's bare address.
    me: BareJid,
    ids: Ids,
    link: Link,
    /// What the server offered on the current stream.
    features: ServerFeatures,
    iqs: Iqs,
    inbox: Inbox,
    contacts: Contacts,
    replies: Replies,
    handovers: Handovers,
    drops: Drops,
    /// When the current connection attempt started, for the time to online.
    attempt_started: Instant,
    /// The archive query of a fresh login's catch-up, sent with the rest of the login.
    archive_query: Option<Stanza>,
    agenda: VecDeque<Work>,
    /// A store effect is out; its answer comes next.
    awaiting: bool,
    out: Vec<Effect>,
    now: Now,
}

impl Core {
    /// A session of `account` (whose address is `me`), knowing the stored `roster`.
    pub fn new(
        account: Account,
        me: BareJid,
        roster: Vec<crate::model::RosterItem>,
        ids: Ids,
        now: Now,
    ) -> Core {
        Core {
            account,
            me,
            ids,
            link: Link::default(),
            features: ServerFeatures::default(),
            iqs: Iqs::default(),
            inbox: Inbox::default(),
            contacts: Contacts::new(roster),
            replies: Replies::default(),
            handovers: Handovers::default(),
            drops: Drops::default(),
            attempt_started: now.at,
            archive_query: None,
            agenda: VecDeque::new(),
            awaiting: false,
            out: Vec::new(),
            now,
        }
    }

    /// Handles one input and returns what to do, in order. When the last effect is
    /// [`Effect::Store`], the next input must be its answer.
    pub fn step(&mut self, input: Input, now: Now) -> Vec<Effect> {
        self.now = now;
        match input {
            Input::Stored(done) => {
                self.awaiting = false;
                self.on_stored(done);
            }
            Input::Chunk(items) => self.queue_chunk(items),
            Input::Command(cmd) => self.on_command_input(cmd),
            Input::Tick => {
                self.agenda.push_back(Work::Settle);
                self.agenda.push_back(Work::ExpireIqs);
                self.agenda.push_back(Work::RetryGap);
                self.agenda.push_back(Work::RetryRoster);
            }
            Input::StreamEnded => {
                self.agenda.push_back(Work::Settle);
                self.agenda.push_back(Work::Emit(Event::Offline {
                    reason: crate::fl!("session-offline-ended"),
                    retry_in: None,
                }));
                self.agenda.push_back(Work::End);
            }
            Input::Report(report) => self.on_report(report),
            Input::Incident(incident) => self.on_incident(incident),
            Input::Token { id, reached } => self.on_token(id, reached),
            Input::ReplyDone => {
                self.replies.done();
                self.answer_queries();
            }
            Input::LoginPresenceHandled => self.on_login_presence_handled(),
        }
        self.run_agenda();
        let out = std::mem::take(&mut self.out);
        debug_assert!(
            out.iter()
                .position(|e| matches!(e, Effect::Store(_)))
                .is_none_or(|i| i + 1 == out.len()),
            "a store effect is the last of a step: {out:?}"
        );
        out
    }

    /// Whether the core waits for the answer to a store operation or a commit before it goes
    /// on: that answer is the next input.
    pub fn paused(&self) -> bool {
        self.awaiting
    }

    /// Whether the session has ended: no input is handled any more.
    pub fn ended(&self) -> bool {
        matches!(self.link, Link::Closing)
    }

    fn run_agenda(&mut self) {
        while !self.awaiting && !self.ended() {
            let Some(work) = self.agenda.pop_front() else {
                return;
            };
            self.work(work);
        }
    }

    fn work(&mut self, work: Work) {
        match work {
            Work::Stanza(stanza) => {
                let ctx = self.context();
                let items = translate::inbound(&ctx, stanza);
                self.then(items.into_iter().map(Work::Inbound));
            }
            Work::Inbound(inbound) => self.on_inbound(inbound),
            Work::Flush => self.flush(false),
            Work::Settle => self.flush(true),
            Work::End => self.end(),
            Work::Stream(ev) => self.on_stream(ev),
            Work::Command(cmd) => self.on_command(cmd),
            Work::Send(stanza) => self.send(stanza),
            Work::Iq(id, kind, stanza) => self.iq(id, kind, None, stanza),
            Work::Emit(event) => self.emit(event),
            Work::Report {
                id,
                from,
                state,
                bounce,
            } => self.report(id, from, state, bounce),
            Work::IqResponse {
                id,
                from,
                payload,
                error,
            } => self.on_iq_response(id, from, payload, error),
            Work::LoginRest => self.login_rest(),
            Work::ExpireIqs => self.expire_iqs(),
            Work::Expired(kind) => self.on_expired(kind),
            Work::OlderDone { queryid, complete } => self.older_done(queryid, complete),
            Work::RetryGap => self.retry_gap(),
            Work::RetryRoster => self.retry_roster(),
            Work::Quit => self.quit(),
        }
    }

    /// The answer to the store effect the core stopped at.
    fn on_stored(&mut self, done: Stored) {
        match done {
            Stored::Delivery { id, result } => self.on_delivery_saved(id, result),
            Stored::Report { id, result, bounce } => self.on_report_saved(id, result, bounce),
            Stored::Messages {
                result,
                receipts,
                archived,
            } => self.on_messages_stored(result, receipts, archived),
            Stored::OwnChange { result, amendment } => self.on_own_change(result, amendment),
            Stored::LastArchived { result, purpose } => self.on_last_archived(result, purpose),
            Stored::RosterReplaced {
                result,
                version,
                items,
            } => match result {
                Ok(()) => self.roster_known(version, true, items),
                Err(e) => self.roster_failed(store_problem(StoreWork::SaveRoster, e)),
            },
            Stored::Roster { result, purpose } => self.on_roster_read(result, purpose),
            Stored::RosterPush {
                result,
                item,
                removed,
            } => self.on_roster_push_saved(result, item, removed),
            Stored::Outbox {
                result,
                changes,
                tracked,
                purpose,
            } => self.on_outbox(result, changes, tracked, purpose),
            Stored::Queued { id, result } => self.on_queued(id, result),
            Stored::Requeued { id, result } => self.on_requeued(id, result),
            Stored::LastPresence {
                result,
                show,
                status,
            } => self.on_presence_saved(result, show, status),
            Stored::RequestAdded { result, request } => self.on_request_added(result, request),
            Stored::Oldest { peer, result } => self.on_oldest(peer, result),
            Stored::ApprovedAhead(result) => {
                if let Err(e) = result {
                    self.report_store_error(StoreWork::SaveAnswer, e);
                }
            }
            Stored::RequestState { result, push } => self.on_request_state_saved(result, push),
        }
    }

    fn on_roster_read(
        &mut self,
        result: Result<(Option<String>, Vec<crate::model::RosterItem>), crate::store::StoreError>,
        purpose: RosterRead,
    ) {
        match (purpose, result) {
            (RosterRead::Version, Ok((version, _))) => self.login_requests(version),
            (RosterRead::Version, Err(_)) => self.login_requests(None),
            (RosterRead::Current, Ok((version, items))) => self.roster_known(version, false, items),
            (RosterRead::Current, Err(e)) => {
                self.roster_failed(store_problem(StoreWork::ReadRoster, e))
            }
        }
    }

    /// Queues `works` to be done next, before anything queued already, in their order.
    fn then(&mut self, works: impl IntoIterator<Item = Work>) {
        let works: Vec<Work> = works.into_iter().collect();
        for w in works.into_iter().rev() {
            self.agenda.push_front(w);
        }
    }

    /// A chunk: each stanza in turn, the batch of messages committed before each stream
    /// report and at the end.
    fn queue_chunk(&mut self, items: Vec<stanzastream::Event>) {
        if items.iter().any(|i| {
            matches!(
                i,
                stanzastream::Event::Stream(
                    stanzastream::StreamEvent::Reset { .. } | stanzastream::StreamEvent::Resumed
                )
            )
        }) {
            self.handovers.online();
        }
        for item in items {
            match item {
                stanzastream::Event::Stanza(stanza) => self.agenda.push_back(Work::Stanza(stanza)),
                stanzastream::Event::Stream(ev) => {
                    self.agenda.push_back(Work::Settle);
                    self.agenda.push_back(Work::Stream(ev));
                }
            }
        }
        self.agenda.push_back(Work::Flush);
    }

    fn send(&mut self, stanza: Stanza) {
        self.out.push(Effect::Send(Box::new(stanza), Track::None));
    }

    fn send_tracked(&mut self, stanza: Stanza, track: Track) {
        self.out.push(Effect::Send(Box::new(stanza), track));
    }

    fn emit(&mut self, event: Event) {
        self.out.push(Effect::Emit(event));
    }

    /// Asks the store; the core pauses until [`Input::Stored`] answers.
    fn store(&mut self, op: StoreOp) {
        self.out.push(Effect::Store(op));
        self.awaiting = true;
    }

    fn end(&mut self) {
        self.out.push(Effect::End);
        self.link = Link::Closing;
        self.agenda.clear();
    }

    fn new_id(&mut self) -> String {
        self.ids.next()
    }

    /// A new id for a message the session sends (stanza id and origin-id).
    fn new_message_id(&mut self) -> MessageId {
        MessageId::generated(self.ids.next())
    }

    fn report_store_error(&mut self, what: StoreWork, e: crate::store::StoreError) {
        let message = store_problem(what, e);
        tracing::error!("store: {message}");
        self.emit(Event::Error { message });
    }

    fn context(&self) -> Context {
        Context {
            me: self.me.clone(),
            carbons: self.link.carbons(),
            open_queries: self.inbox.open_queries(),
            now: self.now.wall,
        }
    }

    /// Whether stanzas are kept by the stream until acknowledged (stream management).
    fn kept_until(&self) -> StanzaStage {
        if self.features.stream_management {
            StanzaStage::Acked
        } else {
            StanzaStage::Sent
        }
    }

    /// Answers the waiting disco#info queries the window has room for.
    fn answer_queries(&mut self) {
        let until = self.kept_until();
        while let Some(q) = self.replies.next() {
            let stanza = translate::disco_info_result(q.from, q.id, q.node);
            self.send_tracked(stanza, Track::Reply(until));
        }
    }

    /// The current catch-up, if one runs.
    fn catchup(&mut self) -> Option<&mut Catchup> {
        self.inbox.catchup.as_mut()
    }
}
