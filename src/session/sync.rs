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
/// Pages a device with no history of its own fetches at its first login, newest first.
pub const FIRST_SYNC_PAGES: usize = 50;
/// How far back a device with no history of its own looks.
pub const FIRST_SYNC_WINDOW_MS: Millis = 30 * 24 * 3600 * 1000;

/// Which way a catch-up pages through the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Paging {
    /// Oldest first, after the newest stored archive id (`after`), to the end of the archive,
    /// however many pages that takes; or from a time, when the server no longer knows the id.
    Forward {
        /// The archive id the last page asked after.
        after: Option<String>,
        /// The time the query starts at, for the fallback.
        start: Option<Millis>,
    },
    /// Newest first, for a device with nothing stored: the newest [`FIRST_SYNC_PAGES`].
    Backward {
        /// The archive id the last page asked before (`None`: the newest page).
        before: Option<String>,
    },
}

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
    paging: Paging,
    /// A page could not be stored: ask for no more, store nothing more of this query.
    pub failed: bool,
    /// When it started, by our clock.
    pub started_at: Millis,
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
    /// Paging backward: the older page's messages are placed before this (the earliest
    /// placed of the newer pages), so that a second shared across two pages keeps their order.
    ceiling: Option<Millis>,
    /// The earliest archived message placed since the last [`Timeline::older_page`].
    earliest: Option<Millis>,
}

impl Timeline {
    /// An archive query starts after a stored message sent at `sent_at` (or from the start).
    pub fn start_after(&mut self, sent_at: Option<Millis>) {
        *self = Timeline {
            floor: sent_at.unwrap_or(0),
            ..Timeline::default()
        };
    }

    /// Archived messages from before `end` (a page fetched on demand before the oldest stored
    /// message): placed before it, in the archive's order.
    pub fn before(end: Millis) -> Timeline {
        Timeline {
            floor: 0,
            ceiling: Some(end),
            earliest: None,
        }
    }

    /// The place of an archived message, given in the archive's order: never before the one
    /// the archive gave before it, and, paging backward, before the newer pages.
    pub fn archived(&mut self, sent_at: Millis) -> Millis {
        self.floor = sent_at.max(self.floor);
        let placed = match self.ceiling {
            Some(ceiling) => self.floor.min(ceiling - 1),
            None => self.floor,
        };
        self.earliest = Some(self.earliest.map_or(placed, |e| e.min(placed)));
        placed
    }

    /// Paging backward, the next page is older than everything placed so far.
    pub fn older_page(&mut self) {
        self.ceiling = self.earliest.or(self.ceiling);
        self.earliest = None;
        self.floor = 0;
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
    /// Done: everything asked for is in.
    Done,
    /// The archive cannot be read now: try again later, keeping the gap.
    Failed,
}

/// How a page of the archive ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEnd {
    /// The page reaches the end of the result set (its newest end paging forward, its oldest
    /// end paging backward).
    pub complete: bool,
    /// The archive id of the page's first (oldest) message.
    pub first: Option<String>,
    /// The archive id of the page's last (newest) message.
    pub last: Option<String>,
}

impl Catchup {
    /// Starts after `last_id` (the archive id after which nothing is missing); without one,
    /// from `last_time`, when the device last caught up and nothing was archived yet; with
    /// neither (a device that never caught up), with the newest page of the first-sync window.
    /// `last_time` is also where a fallback query starts when the server no longer knows the
    /// id. `queryid` and `iq_id` are the ids of the query and of its first page's IQ.
    pub fn start(
        queryid: String,
        iq_id: String,
        last_id: Option<String>,
        last_time: Option<Millis>,
        now: Millis,
    ) -> (Self, Stanza) {
        let fallback_start = last_time.unwrap_or(now - FIRST_SYNC_WINDOW_MS);
        let paging = match (last_id, last_time) {
            (Some(id), _) => Paging::Forward {
                after: Some(id),
                start: None,
            },
            (None, Some(since)) => Paging::Forward {
                after: None,
                start: Some(since),
            },
            (None, None) => Paging::Backward { before: None },
        };
        let c = Catchup {
            queryid,
            iq_id,
            pages: 1,
            new_messages: 0,
            fallback_start,
            paging,
            failed: false,
            started_at: now,
        };
        let stanza = c.query();
        (c, stanza)
    }

    /// Whether it started with nothing stored to start from (a first sync).
    pub fn started_from_nothing(&self) -> bool {
        self.backward()
    }

    /// Whether the catch-up pages from the newest message back.
    pub fn backward(&self) -> bool {
        matches!(self.paging, Paging::Backward { .. })
    }

    /// The query for the current page.
    fn query(&self) -> Stanza {
        let (after, before, start) = match &self.paging {
            Paging::Forward { after, start } => (after.as_deref(), None, *start),
            // An empty <before/> asks for the newest page (XEP-0059 §2.5).
            Paging::Backward { before } => (
                None,
                Some(before.as_deref().unwrap_or("")),
                Some(self.fallback_start),
            ),
        };
        translate::mam_query(&self.iq_id, &self.queryid, after, before, start, PAGE)
    }

    /// A page ended; `new_id` gives the next IQ's id.
    pub fn on_fin(&mut self, end: PageEnd, new_id: &mut impl FnMut() -> String) -> Next {
        if self.failed {
            return Next::Done;
        }
        let next = match (&self.paging, end.complete) {
            (_, true) => None,
            (Paging::Forward { after, start }, false) => end
                .last
                .filter(|last| Some(last) != after.as_ref())
                .map(|last| Paging::Forward {
                    after: Some(last),
                    start: *start,
                }),
            (Paging::Backward { before }, false) if self.pages < FIRST_SYNC_PAGES => end
                .first
                .filter(|first| Some(first) != before.as_ref())
                .map(|first| Paging::Backward {
                    before: Some(first),
                }),
            (Paging::Backward { .. }, false) => None,
        };
        // A page that does not move (its end is where it started) ends the catch-up: a server
        // that answers so would otherwise be asked the same page forever.
        let Some(paging) = next else {
            return Next::Done;
        };
        self.paging = paging;
        self.pages += 1;
        self.iq_id = new_id();
        Next::Page(Box::new(self.query()))
    }

    /// The query failed. When it asked after an archive id (the server may have forgotten it,
    /// e.g. item-not-found after archive expiry), it is asked once more from the newest stored
    /// time; otherwise the archive cannot be read now.
    pub fn on_error(&mut self, new_id: &mut impl FnMut() -> String) -> Next {
        match self.paging {
            Paging::Forward {
                after: Some(_),
                start: None,
            } if self.pages == 1 => {
                self.paging = Paging::Forward {
                    after: None,
                    start: Some(self.fallback_start),
                };
                self.iq_id = new_id();
                self.queryid = new_id();
                Next::Page(Box::new(self.query()))
            }
            _ => Next::Failed,
        }
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

    fn end(complete: bool, first: &str, last: &str) -> PageEnd {
        PageEnd {
            complete,
            first: Some(first.into()),
            last: Some(last.into()),
        }
    }

    fn xml(stanza: &Stanza) -> String {
        String::from_utf8(xso::to_vec(stanza).expect("serialises")).expect("UTF-8")
    }

    #[test]
    fn pages_forward_until_complete_however_many_pages_and_falls_back_once() {
        let mut new_id = ids();
        let (mut c, first) = start(Some("A"), Some(1000), 5000);
        let Stanza::Iq(iq) = &first else {
            panic!("an IQ")
        };
        assert_eq!(iq.id(), c.iq_id);
        assert!(xml(&first).contains("<after>A</after>"));
        // Far more pages than a first sync takes: a device that missed a lot catches up all.
        for page in 0..200 {
            let last = format!("L{page}");
            let Next::Page(next) = c.on_fin(end(false, "F", &last), &mut new_id) else {
                panic!("page {page} is not the last")
            };
            assert!(xml(&next).contains(&format!("<after>{last}</after>")));
        }
        assert_eq!(c.pages, 201);
        assert_eq!(c.on_fin(end(true, "F", "Z"), &mut new_id), Next::Done);
        // A server that hands back the page it was asked after does not loop forever.
        let (mut c, _) = start(Some("A"), Some(1000), 5000);
        assert_eq!(c.on_fin(end(false, "A", "A"), &mut new_id), Next::Done);

        let (mut c, _) = start(Some("gone"), Some(1000), 5000);
        let Next::Page(fallback) = c.on_error(&mut new_id) else {
            panic!("the fallback")
        };
        assert!(xml(&fallback).contains("1970-01-01T00:00:01.000Z"));
        assert_eq!(
            c.on_error(&mut new_id),
            Next::Failed,
            "the fallback is tried once, then the archive counts as unreadable"
        );
    }

    #[test]
    fn a_device_with_nothing_stored_takes_the_newest_pages_first() {
        let mut new_id = ids();
        let (mut c, first) = start(None, None, FIRST_SYNC_WINDOW_MS + 5000);
        assert!(c.backward());
        assert!(xml(&first).contains("<before></before>") || xml(&first).contains("<before/>"));
        let Next::Page(older) = c.on_fin(end(false, "F1", "L1"), &mut new_id) else {
            panic!("an older page")
        };
        assert!(xml(&older).contains("<before>F1</before>"));
        for page in 2..FIRST_SYNC_PAGES {
            assert!(matches!(
                c.on_fin(end(false, &format!("F{page}"), "L"), &mut new_id),
                Next::Page(_)
            ));
        }
        assert_eq!(
            c.on_fin(end(false, "Fx", "L"), &mut new_id),
            Next::Done,
            "the rest waits until the person scrolls up to it"
        );
        let (mut c, _) = start(None, None, 5000);
        assert_eq!(c.on_error(&mut new_id), Next::Failed);
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
    fn paging_backward_an_older_page_is_placed_before_the_newer_ones_even_in_the_same_second() {
        let mut t = Timeline::default();
        t.start_after(None);
        // The newest page: stamps cut to the second.
        let newest: Vec<Millis> = [10_000, 10_000, 11_000]
            .into_iter()
            .map(|s| t.archived(s))
            .collect();
        assert_eq!(newest, [10_000, 10_000, 11_000]);
        t.older_page();
        // The page before it ends in the same second: placed just before it, in its order.
        let older: Vec<Millis> = [9_000, 10_000, 10_000]
            .into_iter()
            .map(|s| t.archived(s))
            .collect();
        assert_eq!(older, [9_000, 9_999, 9_999]);
        t.older_page();
        assert_eq!(t.archived(9_500), 8_999);
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
        assert_eq!(c.on_fin(end(false, "A", "B"), &mut ids()), Next::Done);
    }
}
