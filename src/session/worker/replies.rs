//! Answers to disco#info queries, a few at a time.
//!
//! A server with PEP asks every contact's service for our capabilities as soon as our presence
//! goes out: on Prosody, two queries per contact, 4,000 for a 2,000-contact roster, all in the
//! first second. Each answer is a tree of some 15 KB in memory, and stream management keeps
//! every answer until the server acknowledges it, which a server busy sending the queries does
//! late: answering all at once held 30 MB at the peak (heaptrack, 2026-12-02). Here a query
//! waits as its three small fields, and its answer is built only when fewer than [`WINDOW`]
//! answers are still unacknowledged.

use std::collections::VecDeque;
use std::pin::Pin;

use futures::stream::FuturesUnordered;
use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::{StanzaStage, StanzaToken};

/// Answers in flight (sent, not yet acknowledged) at most.
pub const WINDOW: usize = 32;
/// Queries held at most; a flood beyond this goes unanswered (the asker times out).
pub const MAX_WAITING: usize = 20_000;

/// One disco#info query to answer: who asked, its id, and the node asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub from: Jid,
    pub id: String,
    pub node: Option<String>,
}

type Done = Pin<Box<dyn std::future::Future<Output = ()> + Send + Sync>>;

/// Queries waiting for an answer, and the answers in flight.
#[derive(Default)]
pub struct Replies {
    waiting: VecDeque<Query>,
    in_flight: FuturesUnordered<Done>,
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

    /// The next query to answer now, if the window has room.
    pub fn next(&mut self) -> Option<Query> {
        if self.in_flight.len() >= WINDOW {
            return None;
        }
        self.waiting.pop_front()
    }

    /// The answer to a query went out with `token`: it leaves the window when the stanza
    /// reaches `until` (acknowledged with stream management, sent without) or is dropped.
    pub fn sent(&mut self, token: StanzaToken, until: StanzaStage) {
        let mut token = token;
        self.sent_until(async move {
            let _ = token.wait_for(until).await;
        });
    }

    /// An answer in flight until `done` completes.
    fn sent_until(&mut self, done: impl std::future::Future<Output = ()> + Send + Sync + 'static) {
        self.in_flight.push(Box::pin(done));
    }

    /// The answers in flight, to poll for the ones that are done.
    pub fn in_flight(&mut self) -> &mut FuturesUnordered<Done> {
        &mut self.in_flight
    }

    /// A new session: queries from the old one are not answered on it.
    pub fn clear(&mut self) {
        self.waiting.clear();
        self.in_flight = FuturesUnordered::new();
    }

    /// How many queries wait.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

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
        let mut acks = Vec::new();
        let mut answered = Vec::new();
        while let Some(q) = r.next() {
            // The server acknowledges an answer when the test says so.
            let (ack, acked) = tokio::sync::oneshot::channel::<()>();
            r.sent_until(async move {
                let _ = acked.await;
            });
            acks.push(ack);
            answered.push(q.id);
        }
        assert_eq!(answered.len(), WINDOW, "no more than the window at once");
        assert_eq!(answered[0], "q0");
        assert_eq!(r.waiting(), 100 - WINDOW);
        // The first answer is acknowledged: one more goes, the next in order.
        let _ = acks.remove(0).send(());
        futures::executor::block_on(async {
            r.in_flight().next().await;
        });
        assert_eq!(r.next().map(|q| q.id), Some(format!("q{WINDOW}")));
        let (_ack, acked) = tokio::sync::oneshot::channel::<()>();
        r.sent_until(async move {
            let _ = acked.await;
        });
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
