//! Answers to disco#info queries, a few at a time.
//!
//! A server with PEP asks every contact's service for our capabilities as soon as our presence
//! goes out: on Prosody, two queries per contact, 4,000 for a 2,000-contact roster, all in the
//! first second. Each answer is a tree of some 15 KB in memory, and stream management keeps
//! every answer until the server acknowledges it, which a server busy sending the queries does
//! late: answering all at once held 30 MB at the peak (heaptrack, 2026-12-02). Here a query
//! waits as its three small fields, and its answer is built only when fewer than [`WINDOW`]
//! answers are still unacknowledged (the worker reports each one that leaves the window).

use std::collections::VecDeque;

use tokio_xmpp::jid::Jid;

/// Answers in flight (sent, not yet acknowledged) at most.
pub const WINDOW: usize = 32;
/// Queries held at most; a flood beyond this goes unanswered (the asker times out).
pub const MAX_WAITING: usize = 20_000;

/// One disco#info query to answer: who asked, its id, and the node asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Who asked.
    pub from: Jid,
    /// The query's id.
    pub id: String,
    /// The node asked about.
    pub node: Option<String>,
}

/// Queries waiting for an answer, and how many answers are in flight.
#[derive(Debug, Default)]
pub(super) struct Replies {
    waiting: VecDeque<Query>,
    in_flight: usize,
}

impl Replies {
    /// Holds `query`; false when too many are waiting already (it is dropped).
    pub fn push(&mut self, query: Query) -> bool {
        if self.waiting.len() >= MAX_WAITING {
            return false;
        }
        self.waiting.push_back(query);
        true
    }

    /// The next query to answer now, if the window has room; its answer counts as in flight.
    pub fn next(&mut self) -> Option<Query> {
        if self.in_flight >= WINDOW {
            return None;
        }
        let query = self.waiting.pop_front()?;
        self.in_flight += 1;
        Some(query)
    }

    /// An answer left the window.
    pub fn done(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// A new session: queries from the old one are not answered on it, and its answers in
    /// flight are no longer followed.
    pub fn clear(&mut self) {
        self.waiting.clear();
        self.in_flight = 0;
    }

    /// How many queries wait.
    #[cfg(test)]
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(i: usize) -> Query {
        Query {
            from: Jid::new(&format!("c{i}@example.org")).expect("a valid JID"),
            id: format!("q{i}"),
            node: None,
        }
    }

    #[test]
    fn a_flood_of_queries_is_answered_a_window_at_a_time_in_order() {
        let mut r = Replies::default();
        for i in 0..100 {
            assert!(r.push(query(i)));
        }
        let mut answered = Vec::new();
        while let Some(q) = r.next() {
            answered.push(q.id);
        }
        assert_eq!(answered.len(), WINDOW, "no more than the window at once");
        assert_eq!(answered[0], "q0");
        assert_eq!(r.waiting(), 100 - WINDOW);
        // The first answer is acknowledged: one more goes, the next in order.
        r.done();
        assert_eq!(r.next().map(|q| q.id), Some(format!("q{WINDOW}")));
        assert_eq!(r.next(), None, "the window is full again");
    }

    #[test]
    fn the_queries_held_are_bounded() {
        let mut r = Replies::default();
        for i in 0..MAX_WAITING {
            assert!(r.push(query(i % 10)));
        }
        assert!(!r.push(query(0)), "a flood beyond the cap is dropped");
        r.clear();
        assert_eq!(r.waiting(), 0);
        assert!(r.push(query(0)));
    }
}
