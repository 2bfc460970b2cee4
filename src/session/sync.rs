//! Archive catch-up (XEP-0313) after every fresh login: page forward from the newest stored
//! stanza-id to now, committing each page before asking for the next; fall back to a time-based
//! query when the server no longer knows that id.
//!
//! What is stored must always be a prefix of the archive: the next catch-up starts after the
//! newest stored archive id, so a hole before it would never be filled. Hence live messages
//! that arrive during a catch-up wait until it ends, a page that could not be stored ends the
//! catch-up (the session fetches again later), and received messages keep the order they came in
//! even where the server's stamps are coarser than ours ([`Timeline`]).

use tokio_xmpp::Stanza;

use super::translate;
use crate::model::Millis;

/// Messages per archive page.
pub const PAGE: usize = 100;
/// Pages fetched at most in one catch-up (a fresh device takes the newest part of history).
pub const MAX_PAGES: usize = 50;
/// How far back a device with no history of its own looks.
pub const FIRST_SYNC_WINDOW_MS: Millis = 30 * 24 * 3600 * 1000;

/// One catch-up in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catchup {
    /// The open query's id (results carry it).
    pub queryid: String,
    /// The IQ id of the current page request.
    pub iq_id: String,
    /// Pages asked so far.
    pub pages: usize,
    /// Messages that were new to the store.
    pub new_messages: usize,
    /// Where a fallback query starts, if the id is unknown to the server.
    fallback_start: Millis,
    /// Whether the query is already the fallback.
    fell_back: bool,
    /// A page could not be stored: ask for no more, store nothing more of this query.
    pub failed: bool,
}

/// How far a received message may be stamped before the one received before it and still be
/// placed after it: stamps of whole seconds (Prosody's delay and archive stamps) against our
/// own of the millisecond, plus the time a message takes to arrive.
const TIE: Millis = 2000;

/// Gives received messages their place in time, so that the history shows them in the order
/// they were sent. Messages from one sender arrive in the order it sent them, and the archive
/// returns messages in its own order; but their stamps may be coarser than ours (Prosody stamps
/// delayed, resent and archived messages to the second, live ones are stamped to the
/// millisecond on arrival), which would sort a burst resent after a reconnect before its own
/// beginning. A message is therefore never placed before the one received before it when
/// their stamps are that close; an older stamp (a message that waited offline for hours) keeps
/// its time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeline {
    floor: Millis,
}

impl Timeline {
    /// An archive query starts after a stored message sent at `sent_at` (or from the start).
    pub fn start_after(&mut self, sent_at: Option<Millis>) {
        self.floor = sent_at.unwrap_or(0);
    }

    /// The place of an archived message, given in the archive's order: never before the one
    /// the archive gave before it.
    pub fn archived(&mut self, sent_at: Millis) -> Millis {
        self.floor = sent_at.max(self.floor);
        self.floor
    }

    /// The place of a live (or offline, or resent) message, given in the order received.
    pub fn live(&mut self, sent_at: Millis) -> Millis {
        let placed = if sent_at < self.floor && self.floor - sent_at < TIE {
            self.floor
        } else {
            sent_at
        };
        self.floor = self.floor.max(placed);
        placed
    }
}

/// What to do after a page ended.
#[derive(Debug, PartialEq)]
pub enum Next {
    /// Ask for the next page with this stanza.
    Page(Box<Stanza>),
    /// Done.
    Done,
}

impl Catchup {
    /// Starts after `last_id` (the newest stored stanza-id) or, with none, from the first-sync
    /// window. `last_time` is the newest stored message time, for the fallback.
    /// `queryid` and `iq_id` are the ids of the query and of its first page's IQ.
    pub fn start(
        queryid: String,
        iq_id: String,
        last_id: Option<String>,
        last_time: Option<Millis>,
        now: Millis,
    ) -> (Self, Stanza) {
        let fallback_start = last_time.unwrap_or(now - FIRST_SYNC_WINDOW_MS);
        let mut c = Catchup {
            queryid,
            iq_id,
            pages: 1,
            new_messages: 0,
            fallback_start,
            fell_back: last_id.is_none(),
            failed: false,
        };
        let stanza = match last_id {
            Some(id) => translate::mam_query(&c.iq_id, &c.queryid, Some(&id), None, PAGE),
            None => {
                c.fell_back = true;
                translate::mam_query(&c.iq_id, &c.queryid, None, Some(fallback_start), PAGE)
            }
        };
        (c, stanza)
    }

    /// A page ended with `complete` and the page's last id; `new_id` gives the next IQ's id.
    pub fn on_fin(
        &mut self,
        complete: bool,
        last: Option<String>,
        new_id: &mut impl FnMut() -> String,
    ) -> Next {
        if self.failed {
            return Next::Done;
        }
        match last {
            Some(last) if !complete && self.pages < MAX_PAGES => {
                self.pages += 1;
                self.iq_id = new_id();
                let start = self.fell_back.then_some(self.fallback_start);
                Next::Page(Box::new(translate::mam_query(
                    &self.iq_id,
                    &self.queryid,
                    Some(&last),
                    start,
                    PAGE,
                )))
            }
            _ => Next::Done,
        }
    }

    /// The query failed. When it was the id-based query (the server forgot the id, e.g.
    /// item-not-found after archive expiry), retry once from the newest stored time.
    pub fn on_error(&mut self, new_id: &mut impl FnMut() -> String) -> Next {
        if self.fell_back {
            return Next::Done;
        }
        self.fell_back = true;
        self.iq_id = new_id();
        self.queryid = new_id();
        Next::Page(Box::new(translate::mam_query(
            &self.iq_id,
            &self.queryid,
            None,
            Some(self.fallback_start),
            PAGE,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(last_id: Option<&str>, last_time: Option<Millis>, now: Millis) -> (Catchup, Stanza) {
        Catchup::start(
            "q".into(),
            "i".into(),
            last_id.map(str::to_owned),
            last_time,
            now,
        )
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("id{n}")
        }
    }

    #[test]
    fn pages_forward_until_complete_and_falls_back_once() {
        let mut new_id = ids();
        let (mut c, first) = start(Some("A"), Some(1000), 5000);
        let Stanza::Iq(iq) = first else {
            panic!("an IQ")
        };
        assert_eq!(iq.id(), c.iq_id);
        assert!(matches!(
            c.on_fin(false, Some("B".into()), &mut new_id),
            Next::Page(_)
        ));
        assert_eq!(c.pages, 2);
        assert_eq!(c.on_fin(true, Some("C".into()), &mut new_id), Next::Done);
        let (mut c, _) = start(Some("gone"), Some(1000), 5000);
        assert!(matches!(c.on_error(&mut new_id), Next::Page(_)));
        assert_eq!(
            c.on_error(&mut new_id),
            Next::Done,
            "the fallback is tried once"
        );
    }

    #[test]
    fn archived_messages_keep_the_archives_order_in_time() {
        // Stored before: a live message at 10.250 s. The archive goes on with stamps cut to
        // the second: 10.000 s twice, then 11.000 s, then a clock step back to 10.000 s.
        let mut t = Timeline::default();
        t.start_after(Some(10_250));
        let placed: Vec<Millis> = [10_000, 10_000, 11_000, 10_000]
            .into_iter()
            .map(|s| t.archived(s))
            .collect();
        assert_eq!(placed, [10_250, 10_250, 11_000, 11_000]);
        t.start_after(None);
        assert_eq!(t.archived(5), 5, "no floor without a stored message");
    }

    #[test]
    fn a_resent_burst_stays_after_its_beginning_and_old_offline_messages_keep_their_time() {
        let mut t = Timeline::default();
        // Live, to the millisecond; then the rest of the burst resent with whole seconds.
        let placed: Vec<Millis> = [10_300, 10_350, 10_000, 10_000, 11_000, 10_420]
            .into_iter()
            .map(|s| t.live(s))
            .collect();
        assert_eq!(placed, [10_300, 10_350, 10_350, 10_350, 11_000, 11_000]);
        // A message that waited offline since an hour ago is shown an hour ago.
        assert_eq!(t.live(11_000 - 3_600_000), 11_000 - 3_600_000);
        assert_eq!(t.live(12_345), 12_345);
    }

    #[test]
    fn a_page_that_could_not_be_stored_ends_the_catch_up() {
        let (mut c, _) = start(Some("A"), Some(1000), 5000);
        c.failed = true;
        assert_eq!(c.on_fin(false, Some("B".into()), &mut ids()), Next::Done);
    }

    #[test]
    fn catch_up_is_bounded() {
        let (mut c, _) = start(None, None, 5000);
        let mut new_id = ids();
        let mut pages = 1;
        while let Next::Page(_) = c.on_fin(false, Some(format!("id{pages}")), &mut new_id) {
            pages += 1;
        }
        assert_eq!(pages, MAX_PAGES);
    }
}
