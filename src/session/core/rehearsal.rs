//! The core without a server or a store, for the unit tests and the fuzz target: inputs are
//! handed to [`Core::step`] as the worker would hand them, store operations are answered as a
//! store that works would answer them (or as the caller says), and what the core sends and
//! tells is collected.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::stanzastream::{self, StreamEvent};
use xmpp_parsers::stream_features::StreamFeatures;

use super::{Core, Effect, Ids, Input, Now, StoreOp, Stored, Track};
use crate::model::{Account, Millis, RosterItem};
use crate::session::Event;

/// What a store that works answers: every write succeeds, every message is new, nothing was
/// stored before.
pub fn plausible(op: StoreOp) -> Stored {
    match op {
        StoreOp::SetDelivery { id, .. } => Stored::Delivery {
            id,
            result: Ok(None),
        },
        StoreOp::Report { id, bounce, .. } => Stored::Report {
            id,
            result: Ok(None),
            bounce,
        },
        StoreOp::InsertMessages {
            messages,
            receipts,
            archived,
            ..
        } => Stored::Messages {
            result: Ok(crate::store::Inserted {
                messages,
                changes: Vec::new(),
            }),
            receipts,
            archived,
        },
        StoreOp::LastArchived { purpose } => Stored::LastArchived {
            result: Ok(None),
            purpose,
        },
        StoreOp::ReplaceRoster { version, items } => Stored::RosterReplaced {
            result: Ok(()),
            version,
            items,
        },
        StoreOp::ReadRoster { purpose } => Stored::Roster {
            result: Ok((None, Vec::new())),
            purpose,
        },
        StoreOp::ApplyRosterPush { item, removed, .. } => Stored::RosterPush {
            result: Ok(()),
            item,
            removed,
        },
        StoreOp::Outbox { purpose } => Stored::Outbox {
            result: Ok(Vec::new()),
            changes: Ok(Vec::new()),
            tracked: HashSet::new(),
            purpose,
        },
        StoreOp::QueueOutbound { id, message: msg } => Stored::Queued {
            id,
            result: Ok(msg),
        },
        StoreOp::OwnChange { amendment, .. } => Stored::OwnChange {
            result: Ok(None),
            amendment,
        },
        StoreOp::Requeue { id } => Stored::Requeued {
            id,
            result: Ok(None),
        },
        StoreOp::SetLastPresence { show, status } => Stored::LastPresence {
            result: Ok(()),
            show,
            status,
        },
        StoreOp::AddRequest(request) => Stored::RequestAdded {
            result: Ok(crate::store::Added::Pending),
            request,
        },
        StoreOp::ApproveAhead { .. } => Stored::ApprovedAhead(Ok(())),
        StoreOp::Oldest { peer } => Stored::Oldest {
            peer,
            result: Ok(None),
        },
        StoreOp::SetRequestState { push, .. } => Stored::RequestState {
            result: Ok(()),
            push,
        },
    }
}

/// A core driven by hand.
pub struct Rehearsal {
    /// The core.
    pub core: Core,
    /// What it sent, in order, with how it asked for it to be followed.
    pub sent: Vec<(Stanza, Track)>,
    /// What it told, in order.
    pub events: Vec<Event>,
    /// The store operations it asked for, in order (their debug form).
    pub stored: Vec<String>,
    /// Whether it asked to close or end.
    pub ended: bool,
    /// Commits held back by [`Rehearsal::input_holding`], oldest first, answered by
    /// [`Rehearsal::finish_commit`].
    #[cfg(test)]
    held_commits: VecDeque<StoreOp>,
    start: Instant,
    wall: Millis,
    elapsed: Duration,
}

impl Rehearsal {
    /// A session of `me` with `contacts` in its stored roster, at wall time `wall`; its ids
    /// are `q1`, `q2`, … in the order it makes them.
    pub fn new(me: &BareJid, contacts: Vec<RosterItem>, wall: Millis) -> Rehearsal {
        let start = Instant::now();
        let now = Now { at: start, wall };
        let core = Core::new(
            Account::new(me.clone()),
            me.clone(),
            contacts,
            Ids::Counter(0),
            now,
        );
        Rehearsal {
            core,
            sent: Vec::new(),
            events: Vec::new(),
            stored: Vec::new(),
            ended: false,
            #[cfg(test)]
            held_commits: VecDeque::new(),
            start,
            wall,
            elapsed: Duration::ZERO,
        }
    }

    /// Lets `d` pass.
    pub fn wait(&mut self, d: Duration) {
        self.elapsed += d;
    }

    fn now(&self) -> Now {
        Now {
            at: self.start + self.elapsed,
            wall: self.wall + self.elapsed.as_millis() as Millis,
        }
    }

    /// Hands `input` to the core, answering its store operations with [`plausible`].
    pub fn input(&mut self, input: Input) {
        self.input_with(input, plausible);
    }

    /// Hands `input` to the core, answering its store operations with `store`: an operation
    /// the core waits for at once, a commit when nothing else is to be handed over (as if the
    /// disk took its time).
    pub fn input_with(&mut self, input: Input, mut store: impl FnMut(StoreOp) -> Stored) {
        let mut next = VecDeque::from([input]);
        let mut commits = VecDeque::new();
        while let Some(input) = next.pop_front().or_else(|| commits.pop_front()) {
            for effect in self.core.step(input, self.now()) {
                match effect {
                    Effect::Send(stanza, track) => self.sent.push((*stanza, track)),
                    Effect::Store(op) => {
                        self.stored.push(format!("{op:?}"));
                        next.push_front(Input::Stored(store(op)));
                    }
                    Effect::Commit(op) => {
                        self.stored.push(format!("{op:?}"));
                        commits.push_back(Input::Stored(store(op)));
                    }
                    Effect::Emit(event) => self.events.push(event),
                    Effect::Close { .. } | Effect::End => self.ended = true,
                    Effect::NextPresence(..) | Effect::RetryNow | Effect::ReplaceStream => {}
                }
            }
        }
    }

    /// Hands `input` to the core as [`Rehearsal::input`] does, but holds back the commits it
    /// starts, as a slow disk would, until [`Rehearsal::finish_commit`].
    #[cfg(test)]
    pub fn input_holding(&mut self, input: Input) {
        let mut next = Some(input);
        while let Some(input) = next.take() {
            for effect in self.core.step(input, self.now()) {
                match effect {
                    Effect::Send(stanza, track) => self.sent.push((*stanza, track)),
                    Effect::Store(op) => next = Some(Input::Stored(plausible(op))),
                    Effect::Commit(op) => self.held_commits.push_back(op),
                    Effect::Emit(event) => self.events.push(event),
                    Effect::Close { .. } | Effect::End => self.ended = true,
                    Effect::NextPresence(..) | Effect::RetryNow | Effect::ReplaceStream => {}
                }
            }
        }
    }

    /// The oldest commit held back is done; false when none was held.
    #[cfg(test)]
    pub fn finish_commit(&mut self) -> bool {
        let Some(op) = self.held_commits.pop_front() else {
            return false;
        };
        self.input_holding(Input::Stored(plausible(op)));
        true
    }

    /// Commits held back, as their debug form.
    #[cfg(test)]
    pub fn held_commits(&self) -> Vec<String> {
        self.held_commits
            .iter()
            .map(|op| format!("{op:?}"))
            .collect()
    }

    /// Stanzas from the server, read together.
    pub fn stanzas(&mut self, stanzas: Vec<Stanza>) {
        let items = stanzas
            .into_iter()
            .map(stanzastream::Event::Stanza)
            .collect();
        self.input(Input::Chunk(items));
    }

    /// A fresh login bound to `bound`, its initial presence written during the negotiation
    /// when `presence_sent`; the server offers stream management.
    pub fn bind(&mut self, bound: Jid, presence_sent: bool) {
        let features = StreamFeatures {
            stream_management: Some(xmpp_parsers::sm::StreamManagement { optional: false }),
            ..StreamFeatures::default()
        };
        let reset = StreamEvent::Reset {
            bound_jid: bound,
            features,
            initial_presence_sent: presence_sent,
        };
        self.input(Input::Chunk(vec![stanzastream::Event::Stream(reset)]));
    }

    /// The ids and kinds of the IQs sent so far, in order: `(id, first child's name)`.
    #[cfg(test)]
    pub fn iqs(&self) -> Vec<(String, String)> {
        self.sent
            .iter()
            .filter_map(|(s, _)| match s {
                Stanza::Iq(iq) => {
                    let el = tokio_xmpp::minidom::Element::from(iq.clone());
                    let child = el.children().next().map(|c| c.name().to_owned());
                    Some((el.attr("id")?.to_owned(), child.unwrap_or_default()))
                }
                _ => None,
            })
            .collect()
    }

    /// Takes what was sent and told so far.
    pub fn take(&mut self) -> (Vec<(Stanza, Track)>, Vec<Event>) {
        (
            std::mem::take(&mut self.sent),
            std::mem::take(&mut self.events),
        )
    }
}
