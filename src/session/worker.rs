//! The session loop: a select over the server's stanza stream, the command receiver, the
//! connector's reports and the delivery tokens of outbound messages. It persists before it
//! announces, and never returns on a transient error.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::{FuturesUnordered, ReadyChunks};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::stanzastream::{
    self, Connection, StanzaStage, StanzaStream, StanzaToken, StreamEvent,
};

mod commands;
mod inbox;

use super::connect::{self, ConnectError};
use super::sync::{Catchup, Next, Timeline};
use super::translate::{self, Context, Inbound};
use super::{Command, Credentials, Event, ServerFeatures, guard};
use crate::model::{
    self, Account, ChatMessage, Delivery, RequestState, RosterItem, Show, SubscriptionRequest,
};
use crate::store::Store;

/// How long an IQ may go unanswered before it counts as failed.
const IQ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long after answering a request a re-delivered copy of it is ignored.
const ANSWER_GRACE: Duration = Duration::from_secs(30);
/// How long a clean shutdown may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);
/// Presence stanzas held while the roster is asked for (one per contact resource, roughly).
const MAX_EARLY_PRESENCE: usize = 50_000;
/// After this many signed-in connections in a row that the stream did not get online on, it
/// is replaced by a new one.
const STUCK_AFTER: u32 = 3;

/// Counts the signed-in connections handed to the stream since it last got online (bound or
/// resumed), to notice a stream that can never get online again.
#[derive(Debug, Default)]
struct Handovers(u32);

impl Handovers {
    /// A connection was handed over; true when the stream is stuck and must be replaced (the
    /// count starts again).
    fn connected(&mut self) -> bool {
        self.0 += 1;
        if self.0 >= STUCK_AFTER {
            self.0 = 0;
            return true;
        }
        false
    }

    /// The stream bound or resumed on its connection.
    fn online(&mut self) {
        self.0 = 0;
    }
}

/// What the connector (running beside the stream) reports.
enum Report {
    Attempt,
    /// A signed-in connection was handed to the stream, which now resumes or binds on it.
    Connected,
    Failed(ConnectError, Duration),
    Fatal(ConnectError),
}

/// What an IQ we sent was for.
#[derive(Debug)]
enum Pending {
    Roster,
    Carbons,
    Disco,
    Mam,
    LastActivity(String),
    RosterSet(String),
}

/// What the session was doing with the store when it failed, for the error the person sees.
#[derive(Debug, Clone, Copy)]
pub(super) enum StoreWork {
    SaveMessage,
    SaveStatus,
    Retry,
    SaveAnswer,
    ReadArchiveId,
    ReadOutbox,
    SaveDelivery,
    SaveReceived,
    SaveRequest,
    SaveRosterChange,
    SaveRoster,
    ReadRoster,
}

impl StoreWork {
    fn describe(self) -> String {
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
        }
    }
}
/// A received message, who wants a receipt for it, and the archive query it answers, if any.
type Received = (ChatMessage, Option<Jid>, Option<String>);

type TokenFuture = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = (String, Option<Delivery>, Option<StanzaToken>)>
            + Send
            + Sync,
    >,
>;

struct Worker {
    account: Account,
    me: BareJid,
    store: Store,
    events: mpsc::Sender<Event>,
    bound: Option<Jid>,
    online: bool,
    carbons: bool,
    features: ServerFeatures,
    disco_waiting: u8,
    pending: HashMap<String, (Pending, Option<Jid>, Instant)>,
    catchup: Option<Catchup>,
    /// Presence that came before the roster after a fresh login, shown once the roster is
    /// known (initial presence goes out before the roster is asked for).
    early_presence: Option<Vec<Event>>,
    roster: HashMap<String, RosterItem>,
    inflight: HashMap<String, StanzaToken>,
    tokens: FuturesUnordered<TokenFuture>,
    attempt_started: Instant,
    batch: Vec<Received>,
    /// Live messages that arrived during the archive catch-up: stored when it ends.
    held: Vec<Received>,
    /// Received messages could not be stored (the disk is full, say): the archive still has
    /// them, and a catch-up fetches them again as soon as storing works.
    gap: bool,
    /// Places received messages in time, in the order they came.
    timeline: Timeline,
    /// Requests answered in this session, and when: the server may still re-deliver the
    /// request it sent at login after the answer went out.
    answered: HashMap<String, Instant>,
}

/// Runs one session until `Quit`, an authentication failure, or its owner goes away.
pub async fn run(
    creds: Credentials,
    store: Store,
    mut commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<Event>,
) {
    let me = match model::bare_jid(&creds.account.jid) {
        Ok(j) => j,
        Err(e) => {
            let _ = events
                .send(Event::AuthFailed {
                    reason: e.to_string(),
                })
                .await;
            let _ = events.send(Event::Closed).await;
            return;
        }
    };
    if let Err(e) = connect::login_jid(&creds.account) {
        let _ = events
            .send(Event::AuthFailed {
                reason: e.to_string(),
            })
            .await;
        let _ = events.send(Event::Closed).await;
        return;
    }
    let (report_tx, mut reports) = mpsc::unbounded_channel();
    let retry = Arc::new(Notify::new());
    let new_stream = || {
        let connector = connector(creds.clone(), report_tx.clone(), retry.clone());
        StanzaStream::new(connector, 256).ready_chunks(512)
    };
    let mut stream = new_stream();
    let mut handovers = Handovers::default();
    let roster = match store.roster(&me.to_string()).await {
        Ok((_, items)) => items.into_iter().map(|i| (i.jid.clone(), i)).collect(),
        Err(_) => HashMap::new(),
    };
    let mut w = Worker {
        account: creds.account.clone(),
        me,
        store,
        events,
        bound: None,
        online: false,
        carbons: false,
        features: ServerFeatures::default(),
        disco_waiting: 0,
        pending: HashMap::new(),
        catchup: None,
        early_presence: None,
        roster,
        inflight: HashMap::new(),
        tokens: FuturesUnordered::new(),
        attempt_started: Instant::now(),
        batch: Vec::new(),
        held: Vec::new(),
        gap: false,
        timeline: Timeline::default(),
        answered: HashMap::new(),
    };
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            biased;
            r = reports.recv() => match r {
                Some(Report::Attempt) => {
                    w.attempt_started = Instant::now();
                    w.emit(Event::Connecting).await;
                }
                Some(Report::Connected) if handovers.connected() => {
                    // Sign-in works but the stream never gets going on it (a server that
                    // answers every resumption or bind with something the stream cannot
                    // use; tokio-xmpp then reconnects at once, forever). A new stream binds
                    // afresh; the outbox and the archive catch-up make up for what the old
                    // one held.
                    tracing::warn!("the stream cannot be resumed or bound; starting afresh");
                    stream = new_stream();
                    w.online = false;
                    w.inflight.clear();
                }
                Some(Report::Connected) => {}
                Some(Report::Failed(e, delay)) => {
                    w.emit(Event::Offline { reason: e.to_string(), retry_in: Some(delay) }).await;
                }
                Some(Report::Fatal(e)) => {
                    let reason = e.to_string();
                    if matches!(e, ConnectError::Auth(_)) {
                        w.emit(Event::AuthFailed { reason }).await;
                    } else {
                        w.emit(Event::Offline { reason, retry_in: None }).await;
                    }
                    break;
                }
                None => {}
            },
            chunk = stream.next() => match chunk {
                Some(items) => {
                    if items.iter().any(|i| matches!(i, stanzastream::Event::Stream(
                        StreamEvent::Reset { .. } | StreamEvent::Resumed))) {
                        handovers.online();
                    }
                    w.on_chunk(stream.get_ref(), items).await
                }
                None => {
                    w.emit(Event::Offline { reason: crate::fl!("session-offline-ended"), retry_in: None }).await;
                    break;
                }
            },
            cmd = commands.recv() => match cmd {
                Some(Command::Quit) | None => {
                    w.quit(stream).await;
                    let _ = w.events.send(Event::Closed).await;
                    return;
                }
                Some(Command::RetryNow) => retry.notify_one(),
                Some(cmd) => w.on_command(stream.get_ref(), cmd).await,
            },
            Some((id, state, token)) = w.tokens.next(), if !w.tokens.is_empty() => {
                w.on_token(id, state, token).await;
            }
            _ = tick.tick() => {
                w.expire_iqs(stream.get_ref()).await;
                w.retry_gap(stream.get_ref()).await;
            }
        }
    }
    let _ = w.events.send(Event::Closed).await;
}

/// The reconnector handed to the stanza stream: each call makes one connection, retrying with
/// backoff, and stops for good on failures that need the person (wrong password).
fn connector(
    creds: Credentials,
    reports: mpsc::UnboundedSender<Report>,
    retry: Arc<Notify>,
) -> Box<dyn FnMut(Option<String>, oneshot::Sender<Connection>) + Send + 'static> {
    Box::new(move |_preferred, slot: oneshot::Sender<Connection>| {
        let creds = creds.clone();
        let reports = reports.clone();
        let retry = retry.clone();
        tokio::spawn(async move {
            let mut attempt = 0u32;
            loop {
                if slot.is_closed() {
                    return;
                }
                let _ = reports.send(Report::Attempt);
                match connect::login(&creds.account, &creds.password).await {
                    Ok(conn) => {
                        let _ = reports.send(Report::Connected);
                        let _ = slot.send(conn);
                        return;
                    }
                    Err(e) if e.is_fatal() => {
                        // No retry loop on a wrong password: the session ends. The slot is
                        // kept until the stream goes away, because tokio-xmpp treats a
                        // dropped slot as a crash of its backend (it panics).
                        let _ = reports.send(Report::Fatal(e));
                        let mut slot = slot;
                        tokio::select! {
                            _ = slot.closed() => {}
                            _ = tokio::time::sleep(Duration::from_secs(60)) => std::mem::forget(slot),
                        }
                        return;
                    }
                    Err(e) => {
                        let delay = connect::backoff(attempt);
                        attempt = attempt.saturating_add(1);
                        tracing::info!("connection attempt failed: {e}; retrying in {delay:?}");
                        let _ = reports.send(Report::Failed(e, delay));
                        tokio::select! {
                            _ = tokio::time::sleep(delay) => {}
                            _ = retry.notified() => {}
                        }
                    }
                }
            }
        });
    })
}

impl Worker {
    async fn emit(&self, event: Event) {
        // The owner may have gone; the session then ends on the closed command channel.
        let _ = self.events.send(event).await;
    }

    async fn report_store_error(&self, what: StoreWork, e: crate::store::StoreError) {
        let message = crate::fl!(
            "session-error-store",
            what = what.describe(),
            reason = e.to_string()
        );
        tracing::error!("store: {message}");
        self.emit(Event::Error { message }).await;
    }

    fn context(&self) -> Context {
        Context {
            me: self.me.clone(),
            carbons: self.carbons,
            open_queries: self.catchup.iter().map(|c| c.queryid.clone()).collect(),
            now: model::now_millis(),
        }
    }

    async fn send(&self, stream: &StanzaStream, stanza: Stanza) -> StanzaToken {
        stream.send(Box::new(stanza)).await
    }

    async fn iq(
        &mut self,
        stream: &StanzaStream,
        id: String,
        kind: Pending,
        to: Option<Jid>,
        stanza: Stanza,
    ) {
        self.pending.insert(id, (kind, to, Instant::now()));
        self.send(stream, stanza).await;
    }

    async fn on_chunk(&mut self, stream: &StanzaStream, items: Vec<stanzastream::Event>) {
        for item in items {
            match item {
                stanzastream::Event::Stanza(stanza) => {
                    let ctx = self.context();
                    for inbound in translate::inbound(&ctx, stanza) {
                        self.on_inbound(stream, inbound).await;
                    }
                }
                stanzastream::Event::Stream(ev) => {
                    self.flush(stream).await;
                    self.on_stream(stream, ev).await;
                }
            }
        }
        self.flush(stream).await;
    }

    async fn on_stream(&mut self, stream: &StanzaStream, ev: StreamEvent) {
        match ev {
            StreamEvent::Reset {
                bound_jid,
                features,
            } => {
                self.bound = Some(bound_jid.clone());
                self.online = true;
                self.carbons = false;
                self.pending.clear();
                self.catchup = None;
                self.early_presence = Some(Vec::new());
                // Never stored, still in the archive: the login's catch-up brings them.
                self.held.clear();
                let others: Vec<String> = features.others.iter().map(|e| e.ns()).collect();
                self.features = ServerFeatures {
                    stream_management: features.stream_management.is_some(),
                    roster_versioning: others.iter().any(|n| n == "urn:xmpp:features:rosterver"),
                    pre_approval: others.iter().any(|n| n == "urn:xmpp:features:pre-approval"),
                    ..ServerFeatures::default()
                };
                self.login_sequence(stream, bound_jid).await;
            }
            StreamEvent::Suspended => {
                self.online = false;
                self.emit(Event::Offline {
                    reason: crate::fl!("session-offline-lost"),
                    retry_in: Some(Duration::ZERO),
                })
                .await;
            }
            StreamEvent::Resumed => {
                self.online = true;
                let jid = self
                    .bound
                    .as_ref()
                    .map(|j| j.to_string())
                    .unwrap_or_default();
                let elapsed_ms = self.attempt_started.elapsed().as_millis() as u64;
                self.emit(Event::Online {
                    jid,
                    resumed: true,
                    elapsed_ms,
                })
                .await;
                // The stream resent what it held; what was written while the connection was
                // down never reached it.
                self.resend_outbox(stream).await;
            }
        }
    }

    /// After a fresh (not resumed) login: initial presence, roster, carbons, server features,
    /// the outbox, then archive catch-up.
    ///
    /// Initial presence goes first (RFC 6121 §4.2 says SHOULD after the roster, not MUST):
    /// servers answer a roster request of thousands of contacts slowly, and contacts would see
    /// us only after it. The presence that arrives before the roster is held
    /// (`early_presence`) and shown once the roster is known, so nothing is lost.
    async fn login_sequence(&mut self, stream: &StanzaStream, bound: Jid) {
        let account = self.me.to_string();
        let presence =
            translate::own_presence(self.account.last_show, &self.account.last_status, None);
        self.send(stream, presence).await;
        let ver = if self.features.roster_versioning {
            match self.store.roster(&account).await {
                Ok((ver, _)) => ver,
                Err(_) => None,
            }
        } else {
            None
        };
        let id = super::new_id();
        self.iq(
            stream,
            id.clone(),
            Pending::Roster,
            None,
            translate::roster_get(&id, ver),
        )
        .await;
        let id = super::new_id();
        self.iq(
            stream,
            id.clone(),
            Pending::Carbons,
            None,
            translate::carbons_enable(&id),
        )
        .await;
        // Server features come from the domain's disco#info, archive support from the
        // account's own (XEP-0313 §7): ask both, announce once both answered.
        self.features.disco.clear();
        self.disco_waiting = 2;
        for to in [
            Jid::from(self.me.domain().to_owned()),
            Jid::from(self.me.clone()),
        ] {
            let id = super::new_id();
            let expected = Some(to.clone()).filter(|t| t.node().is_none());
            self.iq(
                stream,
                id.clone(),
                Pending::Disco,
                expected,
                translate::disco_info(&id, to),
            )
            .await;
        }
        let elapsed_ms = self.attempt_started.elapsed().as_millis() as u64;
        self.emit(Event::Online {
            jid: bound.to_string(),
            resumed: false,
            elapsed_ms,
        })
        .await;
        self.resend_outbox(stream).await;
        self.start_catchup(stream).await;
    }

    /// The presence held until the roster was known.
    async fn release_early_presence(&mut self) {
        for event in self.early_presence.take().unwrap_or_default() {
            self.emit(event).await;
        }
    }

    /// Outbox messages the stream does not hold go out again with the same id and origin-id:
    /// those written while the connection was down, those of a previous run, and those of a
    /// stream that was replaced.
    async fn resend_outbox(&mut self, stream: &StanzaStream) {
        let queued = match self.store.outbox(&self.me.to_string()).await {
            Ok(q) => q,
            Err(e) => return self.report_store_error(StoreWork::ReadOutbox, e).await,
        };
        for msg in queued {
            let Some(id) = msg.remote_id.clone() else {
                continue;
            };
            // A message the stream still tracks is its to send: after a resumption it resends
            // what the server had not acknowledged, and after a failed one it sends that
            // again first, on the new session (vendor/tokio-xmpp). Only what it let go of is
            // sent from here, so nothing goes twice or ahead of an earlier message.
            if self.inflight.get(&id).is_some_and(still_tracked) {
                continue;
            }
            self.transmit(stream, &msg, id).await;
        }
    }

    async fn transmit(&mut self, stream: &StanzaStream, msg: &ChatMessage, id: String) {
        let Some(stanza) = translate::chat_message(msg) else {
            return;
        };
        let token = self.send(stream, stanza).await;
        self.inflight.insert(id.clone(), token.clone());
        self.tokens.push(wait_token(id, token, StanzaStage::Sent));
    }

    async fn on_token(&mut self, id: String, state: Option<Delivery>, token: Option<StanzaToken>) {
        let Some(state) = state else {
            // The stanza left the queue without an ack (stream reset): it stays in the outbox
            // and goes out again after the next login.
            self.inflight.remove(&id);
            return;
        };
        if state == Delivery::Sent {
            if let Some(token) = token {
                self.tokens
                    .push(wait_token(id.clone(), token, StanzaStage::Acked));
            }
        } else {
            self.inflight.remove(&id);
        }
        match self
            .store
            .set_delivery(&self.me.to_string(), &id, state)
            .await
        {
            Ok(Some(m)) => {
                self.emit(Event::Delivery {
                    id,
                    state: m.delivery,
                })
                .await
            }
            Ok(None) => {}
            Err(e) => self.report_store_error(StoreWork::SaveDelivery, e).await,
        }
    }

    async fn on_inbound(&mut self, stream: &StanzaStream, inbound: Inbound) {
        match inbound {
            Inbound::Message {
                message,
                receipt_to,
                query,
            } => {
                self.batch.push((message, receipt_to, query));
            }
            Inbound::Receipt { from, id } => {
                self.flush(stream).await;
                self.delivery(&id, Some(&from), Delivery::Delivered).await;
            }
            Inbound::MessageError { id, reason } => {
                self.flush(stream).await;
                self.delivery(&id, None, Delivery::Failed).await;
                self.emit(Event::Error {
                    message: crate::fl!("session-error-undelivered", reason = reason),
                })
                .await;
            }
            Inbound::ChatState { from, state } => self.emit(Event::ChatState { from, state }).await,
            Inbound::Presence {
                from,
                show,
                status,
                priority,
                idle_since,
            } => {
                let event = Event::Presence {
                    jid: from.to_string(),
                    show,
                    status,
                    priority,
                    idle_since,
                };
                match self.early_presence.as_mut() {
                    Some(held) if held.len() < MAX_EARLY_PRESENCE => held.push(event),
                    Some(_) => tracing::debug!("early presence beyond the cap dropped"),
                    None => self.emit(event).await,
                }
            }
            Inbound::SubscribeRequest {
                from,
                nick,
                message,
            } => self.on_subscribe(from, nick, message).await,
            Inbound::RosterPush {
                ver,
                item,
                removed,
                iq_id,
                from,
            } => {
                self.on_roster_push(ver, item, removed).await;
                self.send(stream, translate::ack(from, iq_id)).await;
            }
            Inbound::IqResponse {
                id,
                from,
                payload,
                error,
            } => {
                self.flush(stream).await;
                self.on_iq_response(stream, id, from, payload, error).await;
            }
            Inbound::LastActivityQuery { from, id } => {
                let allowed = self
                    .roster
                    .get(&from.to_bare().to_string())
                    .is_some_and(|i| i.subscription.they_see_me());
                let reply = if allowed {
                    translate::last_activity_result(from, id, 0)
                } else {
                    translate::forbidden(from, id)
                };
                self.send(stream, reply).await;
            }
            Inbound::Reply(stanza) => {
                self.send(stream, stanza).await;
            }
            Inbound::Dropped(why) => tracing::debug!("dropped a stanza: {why}"),
        }
    }

    async fn delivery(&mut self, id: &str, from: Option<&str>, state: Delivery) {
        let account = self.me.to_string();
        match self.store.set_delivery(&account, id, state).await {
            Ok(Some(m)) if from.is_none_or(|f| f == m.peer) => {
                self.emit(Event::Delivery {
                    id: id.to_owned(),
                    state: m.delivery,
                })
                .await;
            }
            Ok(_) => {}
            Err(e) => self.report_store_error(StoreWork::SaveDelivery, e).await,
        }
    }

    async fn on_subscribe(&mut self, from: String, nick: Option<String>, message: Option<String>) {
        // A contact who already sees us is answered by the server itself; never auto-approve.
        if self
            .roster
            .get(&from)
            .is_some_and(|i| i.subscription.they_see_me())
        {
            return;
        }
        if self
            .answered
            .get(&from)
            .is_some_and(|at| at.elapsed() < ANSWER_GRACE)
        {
            tracing::debug!("dropped a re-delivered request that was just answered");
            return;
        }
        let req = SubscriptionRequest {
            from,
            nick,
            message,
            received_at: model::now_millis(),
            state: RequestState::Pending,
        };
        match self
            .store
            .add_request(&self.me.to_string(), req.clone())
            .await
        {
            Ok(_) => self.emit(Event::SubscriptionRequest(req)).await,
            Err(e) => self.report_store_error(StoreWork::SaveRequest, e).await,
        }
    }

    async fn on_roster_push(&mut self, ver: Option<String>, item: RosterItem, removed: bool) {
        let account = self.me.to_string();
        if let Err(e) = self
            .store
            .apply_roster_push(&account, ver, item.clone(), removed)
            .await
        {
            return self
                .report_store_error(StoreWork::SaveRosterChange, e)
                .await;
        }
        if removed {
            self.roster.remove(&item.jid);
            self.emit(Event::RosterRemoved(item.jid)).await;
            return;
        }
        if item.subscription.they_see_me() {
            // Approved here or on another device: the request is answered.
            let _ = self
                .store
                .set_request_state(&account, &item.jid, RequestState::Accepted)
                .await;
        }
        self.roster.insert(item.jid.clone(), item.clone());
        self.emit(Event::RosterPush(item)).await;
    }

    async fn on_iq_response(
        &mut self,
        stream: &StanzaStream,
        id: String,
        from: Option<Jid>,
        payload: Option<tokio_xmpp::minidom::Element>,
        error: Option<String>,
    ) {
        let Some((_, expected, _)) = self.pending.get(&id) else {
            tracing::debug!("dropped an IQ response nobody asked for");
            return;
        };
        let me = self
            .bound
            .clone()
            .unwrap_or_else(|| Jid::from(self.me.clone()));
        if !guard::iq_response_allowed(&me, expected.as_ref(), from.as_ref()) {
            tracing::warn!("{}", crate::fl!("log-session-iq-dropped"));
            return;
        }
        let Some((kind, _, _)) = self.pending.remove(&id) else {
            return;
        };
        let account = self.me.to_string();
        match kind {
            Pending::Roster => {
                if let Some(e) = error {
                    self.emit(Event::Error {
                        message: crate::fl!("session-error-roster", reason = e.to_string()),
                    })
                    .await;
                    return self.release_early_presence().await;
                }
                let (version, fetched, items) = match translate::roster_result(payload) {
                    Some((ver, items)) => {
                        if let Err(e) = self
                            .store
                            .replace_roster(&account, ver.clone(), items.clone())
                            .await
                        {
                            return self.report_store_error(StoreWork::SaveRoster, e).await;
                        }
                        (ver, true, items)
                    }
                    // XEP-0237: the stored roster is current.
                    None => match self.store.roster(&account).await {
                        Ok((ver, items)) => (ver, false, items),
                        Err(e) => {
                            return self.report_store_error(StoreWork::ReadRoster, e).await;
                        }
                    },
                };
                self.emit(Event::RosterSync { version, fetched }).await;
                self.roster = items.iter().map(|i| (i.jid.clone(), i.clone())).collect();
                self.emit(Event::Roster(items)).await;
                self.release_early_presence().await;
            }
            Pending::Carbons => self.carbons = error.is_none(),
            Pending::Disco => {
                for feature in translate::disco_features(payload) {
                    if !self.features.disco.contains(&feature) {
                        self.features.disco.push(feature);
                    }
                }
                self.disco_waiting = self.disco_waiting.saturating_sub(1);
                if self.disco_waiting == 0 {
                    self.features.disco.sort();
                    let has = |f: &str| self.features.disco.iter().any(|d| d == f);
                    let (carbons, mam, blocking) = (
                        has("urn:xmpp:carbons:2"),
                        has("urn:xmpp:mam:2"),
                        has("urn:xmpp:blocking"),
                    );
                    let (last_activity, ping) = (has("jabber:iq:last"), has("urn:xmpp:ping"));
                    let f = &mut self.features;
                    (f.carbons, f.mam, f.blocking, f.last_activity, f.ping) =
                        (carbons, mam, blocking, last_activity, ping);
                    self.emit(Event::Features(self.features.clone())).await;
                }
            }
            Pending::Mam => {
                let Some(c) = self.catchup.as_mut() else {
                    return;
                };
                let next = match (error, translate::mam_fin(payload)) {
                    (None, Some((complete, last))) => c.on_fin(complete, last),
                    (None, None) => Next::Done,
                    (Some(e), _) => {
                        tracing::info!("archive query failed: {e}");
                        c.on_error()
                    }
                };
                match next {
                    Next::Page(stanza) => {
                        let iq_id = c.iq_id.clone();
                        self.pending
                            .insert(iq_id, (Pending::Mam, None, Instant::now()));
                        self.send(stream, *stanza).await;
                    }
                    Next::Done => self.finish_catchup(stream, false).await,
                }
            }
            Pending::LastActivity(jid) => {
                let (last_seen, status) = match translate::last_activity(payload) {
                    Some((secs, status)) if error.is_none() => (
                        Some(model::now_millis() - (secs.min(1 << 40) as i64) * 1000),
                        status,
                    ),
                    _ => (None, None),
                };
                self.emit(Event::LastActivity {
                    jid,
                    last_seen,
                    status,
                })
                .await;
            }
            Pending::RosterSet(jid) => {
                if let Some(e) = error {
                    self.emit(Event::Error {
                        message: crate::fl!(
                            "session-error-roster-change",
                            jid = jid.as_str(),
                            reason = e.to_string()
                        ),
                    })
                    .await;
                }
            }
        }
    }

    async fn expire_iqs(&mut self, stream: &StanzaStream) {
        let expired: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, (_, _, at))| at.elapsed() > IQ_TIMEOUT)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            if let Some((kind, _, _)) = self.pending.remove(&id) {
                tracing::info!("no answer to {kind:?} within {IQ_TIMEOUT:?}");
                match kind {
                    Pending::Mam => self.finish_catchup(stream, true).await,
                    Pending::LastActivity(jid) => {
                        self.emit(Event::LastActivity {
                            jid,
                            last_seen: None,
                            status: None,
                        })
                        .await;
                    }
                    _ => {}
                }
            }
        }
    }

    /// Unavailable presence, then a clean stream close, bounded in time.
    async fn quit(&mut self, stream: ReadyChunks<StanzaStream>) {
        let stream = stream.into_inner();
        if self.online {
            let token = self
                .send(
                    &stream,
                    translate::own_presence(Show::Unavailable, "", None),
                )
                .await;
            let mut token = token;
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, token.wait_for(StanzaStage::Sent)).await;
        }
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, stream.close()).await;
    }
}

/// Whether the stream still holds the stanza of `token` (queued, sent or acknowledged): it
/// neither failed nor was dropped with the state of a stream that ended.
fn still_tracked(token: &StanzaToken) -> bool {
    use futures::FutureExt;
    match StanzaStage::from(&token.state()) {
        StanzaStage::Failed | StanzaStage::Dropped => false,
        // A closed token answers at once with nothing; a live one is pending or acked.
        _ => !matches!(
            token.clone().wait_for(StanzaStage::Acked).now_or_never(),
            Some(None)
        ),
    }
}

/// Waits for a stanza to reach `stage`; yields the delivery state it means, or `None` when
/// the stanza was dropped without reaching it.
fn wait_token(id: String, mut token: StanzaToken, stage: StanzaStage) -> TokenFuture {
    Box::pin(async move {
        let state = token.wait_for(stage).await;
        let delivery = match state.as_ref().map(StanzaStage::from) {
            Some(StanzaStage::Sent) => Some(Delivery::Sent),
            Some(StanzaStage::Acked) => Some(Delivery::Acked),
            _ => None,
        };
        (id, delivery, Some(token))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_that_never_gets_online_on_its_connections_is_replaced() {
        let mut h = Handovers::default();
        // Each reconnect is resumed or bound: never stuck.
        for _ in 0..10 {
            assert!(!h.connected());
            h.online();
        }
        // Sign-ins succeed but negotiation fails (the <failed/> tokio-xmpp cannot read).
        assert!(!h.connected());
        assert!(!h.connected());
        assert!(h.connected(), "the third in a row replaces the stream");
        assert!(!h.connected(), "and the count starts again");
    }
}
