//! Archive catch-up (XEP-0313) after every fresh login: page forward from the newest stored
//! stanza-id to now, committing each page before asking for the next; fall back to a time-based
//! query when the server no longer knows that id.

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
    pub fn start(
        last_id: Option<String>,
        last_time: Option<Millis>,
        now: Millis,
    ) -> (Self, Stanza) {
        let fallback_start = last_time.unwrap_or(now - FIRST_SYNC_WINDOW_MS);
        let mut c = Catchup {
            queryid: super::new_id(),
            iq_id: super::new_id(),
            pages: 1,
            new_messages: 0,
            fallback_start,
            fell_back: last_id.is_none(),
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

    /// A page ended with `complete` and the page's last id.
    pub fn on_fin(&mut self, complete: bool, last: Option<String>) -> Next {
        match last {
            Some(last) if !complete && self.pages < MAX_PAGES => {
                self.pages += 1;
                self.iq_id = super::new_id();
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
    pub fn on_error(&mut self) -> Next {
        if self.fell_back {
            return Next::Done;
        }
        self.fell_back = true;
        self.iq_id = super::new_id();
        self.queryid = super::new_id();
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

    #[test]
    fn pages_forward_until_complete_and_falls_back_once() {
        let (mut c, first) = Catchup::start(Some("A".into()), Some(1000), 5000);
        let Stanza::Iq(iq) = first else {
            panic!("an IQ")
        };
        assert_eq!(iq.id(), c.iq_id);
        assert!(matches!(c.on_fin(false, Some("B".into())), Next::Page(_)));
        assert_eq!(c.pages, 2);
        assert_eq!(c.on_fin(true, Some("C".into())), Next::Done);
        let (mut c, _) = Catchup::start(Some("gone".into()), Some(1000), 5000);
        assert!(matches!(c.on_error(), Next::Page(_)));
        assert_eq!(c.on_error(), Next::Done, "the fallback is tried once");
    }

    #[test]
    fn catch_up_is_bounded() {
        let (mut c, _) = Catchup::start(None, None, 5000);
        let mut pages = 1;
        while let Next::Page(_) = c.on_fin(false, Some(format!("id{pages}"))) {
            pages += 1;
        }
        assert_eq!(pages, MAX_PAGES);
    }
}
