//! Earlier history on demand: when the person scrolls past the oldest stored message with a
//! contact (a new device's first sync fetched only the newest pages, say), the server's archive
//! is asked for the page before it (XEP-0313 with `with` and `end`: the last page before). Its
//! messages are stored like any archived ones, placed before the oldest stored, without moving
//! where the next catch-up starts; then the owner is told, and reads them from the store.

use std::collections::HashMap;

use tokio_xmpp::jid::BareJid;
use tokio_xmpp::minidom::Element;

use super::iq::Pending;
use super::{Core, StoreOp, StoreWork, Work};
use crate::model::{MessageId, Millis};
use crate::session::sync::Timeline;
use crate::session::{Event, translate};
use crate::store::StoreError;

/// Messages asked for at a time: a page of the window's history.
const PAGE: usize = 50;

/// The archive queries for earlier history in flight, by query id.
#[derive(Debug, Default)]
pub(super) struct Older {
    fetches: HashMap<String, Fetch>,
}

#[derive(Debug)]
struct Fetch {
    peer: BareJid,
    /// Places the page's messages before the oldest stored one.
    timeline: Timeline,
}

impl Older {
    /// The query ids open for earlier history.
    pub fn queries(&self) -> impl Iterator<Item = &String> {
        self.fetches.keys()
    }

    /// Whether `query` asks for earlier history.
    pub fn has(&self, query: &str) -> bool {
        self.fetches.contains_key(query)
    }

    /// The place of a message of `query`'s page sent at `sent_at`.
    pub fn place(&mut self, query: &str, sent_at: Millis) -> Millis {
        match self.fetches.get_mut(query) {
            Some(f) => f.timeline.archived(sent_at),
            None => sent_at,
        }
    }

    /// A new stream: the old one's queries will not be answered.
    pub fn clear(&mut self) {
        self.fetches.clear();
    }
}

impl Core {
    /// [`crate::session::Command::FetchOlder`]: the oldest stored message first.
    pub(super) fn fetch_older(&mut self, peer: BareJid) {
        if !self.features.mam {
            // No archive: what is stored is all there is.
            return self.emit(Event::OlderHistory {
                peer,
                complete: true,
            });
        }
        if !self.link.online() || self.inbox.older.fetches.values().any(|f| f.peer == peer) {
            return self.emit(Event::OlderHistory {
                peer,
                complete: false,
            });
        }
        self.store(StoreOp::Oldest { peer });
    }

    /// Where the stored conversation with `peer` starts: ask for the page before it, by the
    /// archive id of its oldest archived message (a time would skip the messages that share
    /// its second on a server that stamps whole seconds), or before now when none is stored.
    pub(super) fn on_oldest(
        &mut self,
        peer: BareJid,
        oldest: Result<Option<(Option<MessageId>, Millis)>, StoreError>,
    ) {
        let (before, end) = match oldest {
            Ok(Some((id, at))) => (id, at),
            Ok(None) => (None, self.now.wall),
            Err(e) => {
                self.report_store_error(StoreWork::ReadHistory, e);
                return self.emit(Event::OlderHistory {
                    peer,
                    complete: false,
                });
            }
        };
        let (queryid, iq_id) = (self.new_id(), self.new_id());
        let stanza =
            translate::mam_query_before(&iq_id, &queryid, &peer, before.as_deref(), end, PAGE);
        self.inbox.older.fetches.insert(
            queryid.clone(),
            Fetch {
                peer,
                timeline: Timeline::before(end),
            },
        );
        self.iq(iq_id, Pending::MamOlder(queryid), None, stanza);
    }

    /// The page's end (or an error, or no answer): once its messages are stored, the owner is
    /// told.
    pub(super) fn on_older_page_end(
        &mut self,
        queryid: String,
        payload: Option<Element>,
        error: Option<String>,
    ) {
        let complete = match (error, translate::mam_fin(payload)) {
            (None, end) => end.is_none_or(|e| e.complete),
            (Some(e), _) => {
                tracing::info!("archive query for earlier history failed: {e}");
                self.emit(Event::Error {
                    message: crate::fl!("session-error-older-history"),
                });
                false
            }
        };
        self.then([Work::Settle, Work::OlderDone { queryid, complete }]);
    }

    /// Everything of the page is stored: the query is over.
    pub(super) fn older_done(&mut self, queryid: String, complete: bool) {
        if let Some(f) = self.inbox.older.fetches.remove(&queryid) {
            self.emit(Event::OlderHistory {
                peer: f.peer,
                complete,
            });
        }
    }
}
