//! The session's I/O: the loop that reads the server's stanza stream, the commands, the
//! connector's reports and the stanza tokens, hands each to the pure [`Core`], and carries
//! out what it answers — stanzas written, store operations run (their answers handed back at
//! once), events told. No rule of the session lives here.

use std::collections::HashMap;
use std::pin::Pin;
use std::time::Duration;

use futures::stream::{FuturesUnordered, ReadyChunks};
use tokio::sync::{Notify, mpsc};
use tokio_xmpp::Stanza;
use tokio_xmpp::stanzastream::{StanzaStage, StanzaStream, StanzaToken};

mod connector;
mod event_loop;
mod settle;
mod store_io;

pub use event_loop::run;

use super::core::{Core, Effect, Input, Now, Stored, Track};
use super::{Event, translate};
use crate::model::{Delivery, MessageId, Show};
use connector::NextPresence;
use settle::Settle;
use store_io::StoreIo;

/// How long a clean shutdown may take.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the rest of a login waits for the initial presence to be handled.
const PRESENCE_FIRST: Duration = Duration::from_secs(2);

/// A wait that ends by itself.
type Done = Pin<Box<dyn std::future::Future<Output = ()> + Send + Sync>>;

/// The stanza stream as the loop reads it: what arrived together, in one chunk.
type Stream = ReadyChunks<StanzaStream>;

type TokenFuture = Pin<
    Box<
        dyn std::future::Future<Output = (MessageId, Option<Delivery>, Option<StanzaToken>)>
            + Send
            + Sync,
    >,
>;

/// How the loop goes on after an input.
pub(super) enum Flow {
    Continue,
    /// Close the stream (with unavailable presence first when `goodbye`), then end.
    Close {
        goodbye: bool,
    },
    /// End now.
    End,
}

/// What the loop holds besides the core: the store, the owner's channel, and the futures that
/// follow sent stanzas.
struct Shell {
    io: StoreIo,
    events: mpsc::Sender<Event>,
    /// Received messages being committed beside the loop (one commit at a time).
    commit: Option<Pin<Box<dyn std::future::Future<Output = Stored> + Send + Sync>>>,
    /// Outbound messages the stream holds, by id.
    inflight: HashMap<MessageId, StanzaToken>,
    /// Their next stage.
    tokens: FuturesUnordered<TokenFuture>,
    /// disco#info answers in flight.
    replies: FuturesUnordered<Done>,
    /// A fresh login's wait for its initial presence.
    login_wait: Option<Done>,
    /// What the next login announces, shared with the connector.
    next_presence: NextPresence,
    /// Wakes the connector for an attempt now.
    retry: std::sync::Arc<Notify>,
    /// Makes a new stanza stream, when the current one can never get online.
    new_stream: Box<dyn Fn() -> Stream + Send + Sync>,
    /// When the memory a big batch of stanzas took goes back to the system.
    settle: Settle,
}

impl Shell {
    /// Hands `input` to the core and carries out its effects; a store operation's answer is
    /// handed back before anything else, and so is a commit's while the core waits for it.
    async fn feed(&mut self, core: &mut Core, stream: &mut Stream, input: Input) -> Flow {
        if let Input::Chunk(items) = &input {
            self.settle.read(items.len());
        }
        let flow = self.feed_one(core, stream, input).await;
        if !matches!(flow, Flow::Continue) {
            return flow;
        }
        while core.paused() {
            let Some(commit) = self.commit.take() else {
                break;
            };
            let answer = commit.await;
            let flow = self.feed_one(core, stream, Input::Stored(answer)).await;
            if !matches!(flow, Flow::Continue) {
                return flow;
            }
        }
        Flow::Continue
    }

    async fn feed_one(&mut self, core: &mut Core, stream: &mut Stream, input: Input) -> Flow {
        let mut next = Some(input);
        while let Some(input) = next.take() {
            for effect in core.step(input, Now::current()) {
                match effect {
                    Effect::Send(stanza, track) => self.send(stream, stanza, track).await,
                    Effect::Store(op) => next = Some(Input::Stored(self.execute(op).await)),
                    Effect::Commit(op) => {
                        let io = self.io.clone();
                        self.commit =
                            Some(Box::pin(
                                async move { io.execute(op, Default::default()).await },
                            ));
                    }
                    Effect::Emit(event) => self.emit(event).await,
                    Effect::NextPresence(show, status) => self.next_presence.set(show, &status),
                    Effect::RetryNow => self.retry.notify_one(),
                    Effect::ReplaceStream => {
                        *stream = (self.new_stream)();
                        self.inflight.clear();
                        self.login_wait = None;
                    }
                    Effect::Close { goodbye } => return Flow::Close { goodbye },
                    Effect::End => return Flow::End,
                }
            }
        }
        Flow::Continue
    }

    async fn emit(&self, event: Event) {
        // The owner may have gone; the session then ends on the closed command channel.
        let _ = self.events.send(event).await;
    }

    /// Writes a stanza and follows it as the core asked. Whether it goes again on a new
    /// session, when the stream cannot be resumed before the server has it, is the
    /// translation's rule.
    async fn send(&mut self, stream: &Stream, stanza: Box<Stanza>, track: Track) {
        let on_reset = translate::on_reset(&stanza);
        let mut token = stream.get_ref().send_with(stanza, on_reset).await;
        match track {
            Track::None => {}
            Track::Outbound(id) => {
                self.inflight.insert(id.clone(), token.clone());
                self.tokens.push(wait_token(id, token, StanzaStage::Sent));
            }
            Track::Reply(until) => self.replies.push(Box::pin(async move {
                let _ = token.wait_for(until).await;
            })),
            Track::LoginPresence(until) => {
                // Acknowledged means handled and its answers written: stream management's
                // answer comes behind them. Without it, or if the server is slow, after a
                // bounded wait.
                self.login_wait = Some(Box::pin(async move {
                    let _ = tokio::time::timeout(PRESENCE_FIRST, token.wait_for(until)).await;
                }));
            }
        }
    }

    /// An outbound message's stanza reached a stage: followed to the next one, and told to the
    /// core.
    fn on_token(&mut self, id: &MessageId, state: Option<Delivery>, token: Option<StanzaToken>) {
        match (state, token) {
            (Some(Delivery::Sent), Some(token)) => {
                self.tokens
                    .push(wait_token(id.clone(), token, StanzaStage::Acked));
            }
            // Acknowledged, or let go of without (a stream reset: it stays in the outbox and
            // goes out again after the next login).
            _ => {
                self.inflight.remove(id);
            }
        }
    }

    /// Unavailable presence when `goodbye`, then a clean stream close, bounded in time.
    async fn close(stream: Stream, goodbye: bool) {
        let stream = stream.into_inner();
        if goodbye {
            let mut token = stream
                .send(Box::new(translate::own_presence(
                    Show::Unavailable,
                    "",
                    None,
                )))
                .await;
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
fn wait_token(id: MessageId, mut token: StanzaToken, stage: StanzaStage) -> TokenFuture {
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
