//! Received messages on their way to the store: committed in batches before they are announced
//! or receipted, held back while the archive catch-up runs, and fetched again from the archive
//! when they could not be stored.

use std::collections::HashSet;
use std::time::Instant;

use tokio_xmpp::Stanza;
use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::StanzaStream;

use super::{Pending, Received, StoreWork, Worker};
use crate::model::{self, ChatMessage};
use crate::session::sync::Catchup;
use crate::session::{Event, translate};

impl Worker {
    /// Commits the pending batch of messages, then announces them and answers receipts.
    ///
    /// Archive results are placed in the archive's order. Live messages wait while a catch-up
    /// runs, and are dropped while received messages are missing from the store (they come back
    /// from the archive): stored any earlier, a live message would become the newest stored one
    /// with a hole before it, where the next catch-up would never look.
    pub(super) async fn flush(&mut self, stream: &StanzaStream) {
        if self.batch.is_empty() {
            return;
        }
        let mut store = Vec::new();
        for (msg, to, query) in std::mem::take(&mut self.batch) {
            match (query.is_some(), self.catchup.as_mut()) {
                (true, Some(c)) if !c.failed => store.push((msg, to, query)),
                // The rest of a query that failed: the next catch-up asks again.
                (true, _) => {}
                (false, Some(_)) => self.held.push((msg, to, query)),
                (false, None) if self.gap && self.features.mam => {
                    tracing::debug!("a message waits in the archive until the store works again");
                }
                (false, None) => store.push((msg, to, query)),
            }
        }
        self.commit(stream, store).await;
    }

    /// Stores `batch`; on success announces what was new and sends the receipts asked for.
    async fn commit(&mut self, stream: &StanzaStream, mut batch: Vec<Received>) {
        if batch.is_empty() {
            return;
        }
        for (msg, _, query) in &mut batch {
            msg.sent_at = if query.is_some() {
                self.timeline.archived(msg.sent_at)
            } else {
                self.timeline.live(msg.sent_at)
            };
        }
        let receipts: Vec<(Jid, String)> = batch
            .iter()
            .filter_map(|(m, to, _)| Some((to.clone()?, m.remote_id.clone()?)))
            .filter(|(to, _)| self.roster.contains_key(&to.to_bare().to_string()))
            .collect();
        let archived: HashSet<String> = batch
            .iter()
            .filter(|(_, _, q)| q.is_some())
            .filter_map(|(m, _, _)| m.stanza_id.clone())
            .collect();
        let messages: Vec<ChatMessage> = batch.into_iter().map(|(m, _, _)| m).collect();
        match self.store.insert_messages(messages).await {
            Ok(stored) => {
                if let Some(c) = self.catchup.as_mut() {
                    c.new_messages += stored
                        .iter()
                        .filter(|m| m.stanza_id.as_ref().is_some_and(|s| archived.contains(s)))
                        .count();
                }
                if !stored.is_empty() {
                    self.emit(Event::Messages(stored)).await;
                }
                // Only now, with the messages on disk, do receipts go out.
                for (to, id) in receipts {
                    self.send(stream, translate::receipt(to, &id)).await;
                }
            }
            Err(e) => {
                // Nothing of the batch was stored and nothing was receipted. The server's
                // archive keeps the messages: fetch them again once storing works.
                self.gap = true;
                if let Some(c) = self.catchup.as_mut() {
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
                self.emit(Event::Error { message }).await;
            }
        }
    }

    /// Asks the archive for everything after the newest stored archived message.
    pub(super) async fn start_catchup(&mut self, stream: &StanzaStream) {
        let query = self.begin_catchup().await;
        self.ask_archive(stream, query).await;
    }

    /// Starts a catch-up without asking yet: from now on live messages are held until it ends,
    /// and the place it starts from is the newest archived message stored before now (a fresh
    /// login's initial presence brings offline messages, which must not move it forward).
    pub(super) async fn begin_catchup(&mut self) -> Stanza {
        let account = self.me.to_string();
        let (last_id, last_time) = match self.store.last_archived(&account).await {
            Ok(Some((id, at))) => (Some(id), Some(at)),
            Ok(None) => (None, None),
            Err(e) => {
                self.report_store_error(StoreWork::ReadArchiveId, e).await;
                (None, None)
            }
        };
        self.timeline.start_after(last_time);
        let (catchup, stanza) = Catchup::start(last_id, last_time, model::now_millis());
        self.catchup = Some(catchup);
        stanza
    }

    /// Sends the first query of the catch-up begun with [`Self::begin_catchup`].
    pub(super) async fn ask_archive(&mut self, stream: &StanzaStream, query: Stanza) {
        let Some(iq_id) = self.catchup.as_ref().map(|c| c.iq_id.clone()) else {
            return;
        };
        self.pending
            .insert(iq_id, (Pending::Mam, None, Instant::now()));
        self.send(stream, query).await;
    }

    /// The catch-up ended (`timed_out`: the server stopped answering). When every page was
    /// stored, the held live messages are stored after it; otherwise they are dropped, since
    /// the archive has them, and the gap stays open for the next try.
    pub(super) async fn finish_catchup(&mut self, stream: &StanzaStream, timed_out: bool) {
        let Some(c) = self.catchup.take() else {
            return;
        };
        let held = std::mem::take(&mut self.held);
        if (c.failed || timed_out) && self.features.mam {
            self.gap = true;
        } else {
            self.gap = false;
            self.commit(stream, held).await;
        }
        self.emit(Event::CaughtUp {
            new_messages: c.new_messages,
        })
        .await;
    }

    /// While received messages are missing from the store, a catch-up every tick fetches them
    /// again; the first one that stores every page closes the gap.
    pub(super) async fn retry_gap(&mut self, stream: &StanzaStream) {
        if self.gap && self.online && self.features.mam && self.catchup.is_none() {
            tracing::info!("fetching the messages that could not be saved from the archive");
            self.start_catchup(stream).await;
        }
    }
}
