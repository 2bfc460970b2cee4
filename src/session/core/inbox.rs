//! Received messages on their way to the store: committed in batches before they are announced
//! or receipted, held back while the archive catch-up runs, and fetched again from the archive
//! when they could not be stored.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use tokio_xmpp::Stanza;
use tokio_xmpp::jid::Jid;

use super::StoreOp;
use super::iq::Pending;
use super::{Core, Effect, StoreWork, Work};
use crate::model::{ChatMessage, MessageId};
use crate::session::core::store_ops::CatchupStart;
use crate::session::sync::{Catchup, Timeline};
use crate::session::{Event, translate};

/// A received message, who wants a receipt for it, and the archive query it answers, if any.
pub(super) type Received = (ChatMessage, Option<Jid>, Option<String>);

/// How far the server's clock may be behind ours, for a catch-up that starts from a time of
/// ours: ten minutes; what comes twice is stored once.
const CLOCK_SLACK_MS: crate::model::Millis = 10 * 60 * 1000;

/// Received messages held at most while a commit is in flight; beyond, the core waits for it
/// (and so stops reading the network).
const MAX_BATCH: usize = 5_000;

/// Received messages not stored yet, and the archive catch-up.
#[derive(Debug, Default)]
pub(super) struct Inbox {
    /// Messages of the current read, committed together.
    pub batch: Vec<Received>,
    /// Live messages that arrived during the archive catch-up: stored when it ends.
    pub held: Vec<Received>,
    /// Received messages could not be stored (the disk is full, say): the archive still has
    /// them, and a catch-up fetches them again as soon as storing works.
    pub gap: bool,
    /// Places received messages in time, in the order they came.
    pub timeline: Timeline,
    /// The archive catch-up in progress.
    pub catchup: Option<Catchup>,
    /// A commit of received messages is in flight.
    pub committing: bool,
    /// When the archive may be asked again after it could not be read.
    pub retry: Retry,
    /// Earlier history asked for on demand.
    pub older: super::older::Older,
}

/// How a catch-up ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CatchupEnd {
    /// The archive gave everything asked for (stored, or not when a page failed to store).
    Complete,
    /// The archive could not be read: an error, or no answer in time.
    Failed,
}

/// The pause before the archive is asked again after it could not be read: 5 s, doubling to
/// five minutes, back to none once a catch-up went through.
#[derive(Debug, Default)]
pub(super) struct Retry {
    failures: u32,
    not_before: Option<Instant>,
}

impl Retry {
    const FIRST: Duration = Duration::from_secs(5);
    const MAX: Duration = Duration::from_secs(300);

    /// Another failure at `now`: how long until the next try.
    pub fn failed(&mut self, now: Instant) -> Duration {
        let wait = Self::FIRST
            .saturating_mul(1 << self.failures.min(16))
            .min(Self::MAX);
        self.failures += 1;
        self.not_before = Some(now + wait);
        wait
    }

    /// Whether the archive may be asked at `now`.
    pub fn due(&self, now: Instant) -> bool {
        self.not_before.is_none_or(|t| now >= t)
    }
}

impl Inbox {
    /// The archive query ids this session has open.
    pub fn open_queries(&self) -> Vec<String> {
        self.catchup
            .iter()
            .map(|c| &c.queryid)
            .chain(self.older.queries())
            .cloned()
            .collect()
    }

    /// A new stream: a catch-up of the old one is over, and live messages held for it were
    /// never stored and are still in the archive, which the login's catch-up reads.
    pub fn reset(&mut self) {
        self.catchup = None;
        self.held.clear();
        self.older.clear();
    }
}

impl Core {
    /// Commits the pending batch of messages; the answer announces them and answers receipts.
    /// While a commit is in flight the batch grows, to be committed together when it is done;
    /// with `wait` (or a batch at its bound) the core pauses until everything is stored.
    ///
    /// Archive results are placed in the archive's order. Live messages wait while a catch-up
    /// runs, and are dropped while received messages are missing from the store (they come back
    /// from the archive): stored any earlier, a live message would become the newest stored one
    /// with a hole before it, where the next catch-up would never look.
    pub(super) fn flush(&mut self, wait: bool) {
        if self.inbox.committing {
            if wait || self.inbox.batch.len() >= MAX_BATCH {
                self.then([if wait { Work::Settle } else { Work::Flush }]);
                self.awaiting = true;
            }
            return;
        }
        if self.inbox.batch.is_empty() {
            return;
        }
        let mut store = Vec::new();
        for (msg, to, query) in std::mem::take(&mut self.inbox.batch) {
            let older = query.as_ref().is_some_and(|q| self.inbox.older.has(q));
            match (query.is_some(), self.inbox.catchup.as_ref()) {
                // Earlier history: stored whatever the catch-up does.
                (true, _) if older => store.push((msg, to, query)),
                (true, Some(c)) if !c.failed => store.push((msg, to, query)),
                // The rest of a query that failed: the next catch-up asks again.
                (true, _) => {}
                (false, Some(_)) => self.inbox.held.push((msg, to, query)),
                (false, None) if self.inbox.gap && self.features.mam => {
                    tracing::debug!("a message waits in the archive until the store works again");
                }
                (false, None) => store.push((msg, to, query)),
            }
        }
        self.commit_since(store, None, wait);
    }

    /// Stores `batch` (as [`Self::flush`] does, `wait` saying whether the core pauses until it
    /// is stored); when none of it has an archive id, `caught_up` (when a catch-up that found
    /// nothing started) becomes where the next catch-up starts.
    fn commit_since(
        &mut self,
        mut batch: Vec<Received>,
        caught_up: Option<crate::model::Millis>,
        wait: bool,
    ) {
        if batch.is_empty() && caught_up.is_none() {
            return;
        }
        for (msg, _, query) in &mut batch {
            msg.sent_at = match query {
                Some(q) if self.inbox.older.has(q) => self.inbox.older.place(q, msg.sent_at),
                Some(_) => self.inbox.timeline.archived(msg.sent_at),
                None => self.inbox.timeline.live(msg.sent_at),
            };
        }
        // Earlier history neither counts as the catch-up's nor moves where the next one starts.
        let older = |q: &Option<String>| q.as_ref().is_some_and(|q| self.inbox.older.has(q));
        let receipts: Vec<(Jid, MessageId)> = batch
            .iter()
            .filter_map(|(m, to, _)| Some((to.clone()?, m.remote_id.clone()?)))
            .filter(|(to, _)| self.contacts.has(&to.to_bare()))
            .collect();
        let archived: HashSet<MessageId> = batch
            .iter()
            .filter(|(_, _, q)| q.is_some() && !older(q))
            .filter_map(|(m, _, _)| m.stanza_id.clone())
            .collect();
        // The catch-up's next start moves to the last archive id stored, except for the older
        // pages of a first sync: they come after the newest one, which set it.
        let older_page = self
            .inbox
            .catchup
            .as_ref()
            .is_some_and(|c| c.backward() && c.pages > 1);
        let anchor = if older_page {
            None
        } else {
            batch
                .iter()
                .rev()
                .filter(|(_, _, q)| !older(q))
                .find_map(|(m, _, _)| Some((Some(m.stanza_id.clone()?), m.sent_at)))
                .or(caught_up.map(|at| (None, at)))
        };
        let messages = batch.into_iter().map(|(m, _, _)| m).collect();
        self.out.push(Effect::Commit(StoreOp::InsertMessages {
            messages,
            receipts,
            archived,
            anchor,
        }));
        self.inbox.committing = true;
        self.awaiting = wait;
    }

    /// Received messages stored (or not).
    pub(super) fn on_messages_stored(
        &mut self,
        result: Result<crate::store::Inserted, crate::store::StoreError>,
        receipts: Vec<(Jid, MessageId)>,
        archived: HashSet<MessageId>,
    ) {
        self.inbox.committing = false;
        if !self.inbox.batch.is_empty() {
            // What came during this commit goes next, together.
            self.then([Work::Flush]);
        }
        match result {
            Ok(crate::store::Inserted {
                messages: stored,
                changes,
            }) => {
                if let Some(c) = self.catchup() {
                    c.new_messages += stored
                        .iter()
                        .filter(|m| m.stanza_id.as_ref().is_some_and(|s| archived.contains(s)))
                        .count();
                }
                if !stored.is_empty() {
                    self.emit(Event::Messages(stored));
                }
                if !changes.is_empty() {
                    self.emit(Event::Changed(changes));
                }
                // Only now, with the messages on disk, do receipts go out.
                for (to, id) in receipts {
                    self.send(translate::receipt(to, &id));
                }
            }
            Err(e) => {
                // Nothing of the batch was stored and nothing was receipted. The server's
                // archive keeps the messages: fetch them again once storing works.
                self.inbox.gap = true;
                if let Some(c) = self.catchup() {
                    c.failed = true;
                }
                let message = if self.features.mam {
                    crate::fl!("session-error-received-later", reason = e.to_string())
                } else {
                    crate::fl!(
                        "session-error-store",
                        what = StoreWork::SaveReceived.describe(),
                        reason = e.to_string()
                    )
                };
                tracing::error!("store: {message}");
                self.emit(Event::Error { message });
            }
        }
    }

    /// Starts a catch-up: from now on live messages are held until it ends, and the place it
    /// starts from is the newest archived message stored before now (a fresh login's initial
    /// presence brings offline messages, which must not move it forward).
    pub(super) fn begin_catchup(&mut self, purpose: CatchupStart) {
        self.store(StoreOp::LastArchived { purpose });
    }

    /// Where the catch-up starts is known: its first query, asked now or with the rest of the
    /// login.
    pub(super) fn on_last_archived(
        &mut self,
        result: Result<Option<crate::store::Anchor>, crate::store::StoreError>,
        purpose: CatchupStart,
    ) {
        let (last_id, last_time) = match result {
            Ok(Some((id, at))) => (id, Some(at)),
            Ok(None) => (None, None),
            Err(e) => {
                self.report_store_error(StoreWork::ReadArchiveId, e);
                (None, None)
            }
        };
        self.inbox.timeline.start_after(last_time);
        let (queryid, iq_id) = (self.new_id(), self.new_id());
        let last_id = last_id.map(String::from);
        let (catchup, stanza) = Catchup::start(queryid, iq_id, last_id, last_time, self.now.wall);
        self.inbox.catchup = Some(catchup);
        match purpose {
            CatchupStart::Login {
                bound,
                presence_sent,
            } => {
                self.archive_query = Some(stanza);
                self.login_sequence(bound, presence_sent);
            }
            CatchupStart::Retry => self.ask_archive(stanza),
        }
    }

    /// Sends the first query of the catch-up begun with [`Self::begin_catchup`].
    pub(super) fn ask_archive(&mut self, query: Stanza) {
        let Some(iq_id) = self.inbox.catchup.as_ref().map(|c| c.iq_id.clone()) else {
            return;
        };
        self.iq(iq_id, Pending::Mam, None, query);
    }

    /// The catch-up ended. When every page was stored, the held live messages are stored
    /// after it; otherwise they are dropped, since the archive has them, and the gap stays open
    /// for the next try: at once after a store failure, later and later while the archive
    /// cannot be read (an error, or no answer), and the person is told.
    pub(super) fn finish_catchup(&mut self, end: CatchupEnd) {
        let Some(c) = self.inbox.catchup.take() else {
            return;
        };
        let held = std::mem::take(&mut self.inbox.held);
        self.then([Work::Emit(Event::CaughtUp {
            new_messages: c.new_messages,
        })]);
        if end == CatchupEnd::Failed && self.features.mam {
            let wait = self.inbox.retry.failed(self.now.at);
            self.inbox.gap = true;
            self.emit(Event::ArchiveUnavailable {
                message: crate::fl!("session-error-archive", seconds = wait.as_secs()),
                retry_in: wait,
            });
        } else if c.failed && self.features.mam {
            self.inbox.gap = true;
        } else {
            self.inbox.gap = false;
            self.inbox.retry = Retry::default();
            // A catch-up that started from nothing and found nothing: the next one starts
            // from when this one did (with some slack for the server's clock), not from
            // nothing again.
            let found_nothing = c.started_from_nothing() && c.new_messages == 0;
            let since = found_nothing.then_some(c.started_at - CLOCK_SLACK_MS);
            // Stored before the catch-up is said to be over.
            self.commit_since(held, since, true);
        }
    }

    /// While received messages are missing from the store, a catch-up on the next tick fetches
    /// them again (after the pause while the archive cannot be read); the first one that
    /// stores every page closes the gap.
    pub(super) fn retry_gap(&mut self) {
        if self.inbox.gap
            && self.link.online()
            && self.features.mam
            && self.inbox.catchup.is_none()
            && self.inbox.retry.due(self.now.at)
        {
            tracing::info!("fetching the messages that could not be saved from the archive");
            self.begin_catchup(CatchupStart::Retry);
        }
    }
}
