//! The session loop: a select over the server's stanza stream, the command receiver, the
//! connector's reports and the delivery tokens of outbound messages. It persists before it
//! announces, and never returns on a transient error.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, ReadyChunks};
use tokio::sync::mpsc;
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::stanzastream::{self, StanzaStage, StanzaStream, StanzaToken};

mod commands;
mod connector;
mod contacts;
mod event_loop;
mod inbox;
mod iq;
mod login;
mod replies;

pub use event_loop::run;

use super::sync::{Catchup, Timeline};
use super::translate::{self, Context, Inbound};
use super::{Command, Event, ServerFeatures, guard};
use crate::model::{self, Account, ChatMessage, Delivery, RosterItem, Show};
use crate::store::Store;

/// How long an IQ may go unanswered before it counts as failed.
const IQ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long after answering a request a re-delivered copy of it is ignored.
const ANSWER_GRACE: Duration = Duration::from_secs(30);
/// How long a clean shutdown may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);
/// Presence stanzas held while the roster is asked for (one per contact resource, roughly).
const MAX_EARLY_PRESENCE: usize = 50_000;

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
    /// Presence that came before the roster after a fresh login, with its sender, shown once
    /// the roster is known (initial presence goes out before the roster is asked for).
    early_presence: Option<Vec<(Jid, Event)>>,
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
    /// Why the connection is about to drop, when the wire guard or the server said so.
    drop_reason: Option<String>,
    /// Why the connection was lost, for the reconnect countdown.
    offline_reason: String,
    /// A reconnect pause reported before the stream said it was suspended.
    pending_wait: Option<Duration>,
    /// disco#info queries waiting for their answer, and the answers in flight.
    replies: replies::Replies,
    /// A fresh login waits for its initial presence to be handled before the rest goes out.
    login_wait: Option<Done>,
    /// Commands that came while the login waited, in order.
    deferred: Vec<Command>,
    /// The archive query of a fresh login's catch-up, sent with the rest of the login.
    archive_query: Option<Stanza>,
    /// What the next login announces, shared with the connector.
    next_presence: connector::NextPresence,
}

/// A wait that ends by itself.
type Done = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + Sync>>;

impl Worker {
    /// Answers the waiting disco#info queries the window has room for.
    async fn answer_queries(&mut self, stream: &StanzaStream) {
        // Without stream management nothing is kept after it is written.
        let until = if self.features.stream_management {
            StanzaStage::Acked
        } else {
            StanzaStage::Sent
        };
        while let Some(q) = self.replies.next() {
            let token = self
                .send(stream, translate::disco_info_result(q.from, q.id, q.node))
                .await;
            self.replies.sent(token, until);
        }
    }

    /// The connector pauses before signing in again: say when.
    async fn waiting(&mut self, delay: Duration) {
        if self.online {
            // The stream has not said it lost the connection yet: it will.
            self.pending_wait = Some(delay);
            return;
        }
        self.emit(Event::Offline {
            reason: self.offline_reason.clone(),
            retry_in: Some(delay),
        })
        .await;
    }

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

    /// The commands that waited for a fresh login's initial presence, in the order they came.
    async fn run_deferred(&mut self, stream: &StanzaStream) {
        for cmd in std::mem::take(&mut self.deferred) {
            self.on_command(stream, cmd).await;
        }
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
                let from = Jid::new(&from).ok();
                self.delivery(&id, from, false, Delivery::Delivered).await;
            }
            Inbound::MessageError { id, from, reason } => {
                self.flush(stream).await;
                // Only a bounce of a message we sent, from whom it went to (or a server on
                // the way), fails it and is shown; anyone else's words are not.
                if self.delivery(&id, from, true, Delivery::Failed).await {
                    self.emit(Event::Error {
                        message: crate::fl!("session-error-undelivered", reason = reason),
                    })
                    .await;
                }
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
                let known = self.known(&from);
                match self.early_presence.as_mut() {
                    // Kept with its sender until the roster says who is a contact.
                    Some(held) if held.len() < MAX_EARLY_PRESENCE => held.push((from, event)),
                    Some(_) => tracing::debug!("early presence beyond the cap dropped"),
                    None if known => self.emit(event).await,
                    None => tracing::debug!("dropped the presence of a stranger"),
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
            Inbound::DiscoInfoQuery { from, id, node } => {
                if !self.replies.push(replies::Query { from, id, node }) {
                    tracing::debug!("a disco#info query beyond the cap dropped");
                }
                self.answer_queries(stream).await;
            }
            Inbound::Reply(stanza) => {
                self.send(stream, stanza).await;
            }
            Inbound::Dropped(why) => tracing::debug!("dropped a stanza: {why}"),
        }
    }

    /// A receipt (or, with `bounce`, an error) from `from` for our message `id`: applied only
    /// when it comes from the message's peer (`guard::delivery_report_allowed`). True when the
    /// message changed.
    async fn delivery(
        &mut self,
        id: &str,
        from: Option<Jid>,
        bounce: bool,
        state: Delivery,
    ) -> bool {
        let account = self.me.to_string();
        let me = self.me.clone();
        let allowed =
            move |peer: &str| guard::delivery_report_allowed(&me, peer, from.as_ref(), bounce);
        match self
            .store
            .set_delivery_if(&account, id, state, allowed)
            .await
        {
            Ok(Some(m)) => {
                self.emit(Event::Delivery {
                    id: id.to_owned(),
                    state: m.delivery,
                })
                .await;
                true
            }
            Ok(None) => false,
            Err(e) => {
                self.report_store_error(StoreWork::SaveDelivery, e).await;
                false
            }
        }
    }

    /// Whether presence from `from` may be shown: the account's own devices, and contacts. A
    /// stranger's directed presence creates nothing, not even an event.
    fn known(&self, from: &Jid) -> bool {
        let bare = from.to_bare();
        bare == self.me || self.roster.contains_key(bare.as_str())
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
