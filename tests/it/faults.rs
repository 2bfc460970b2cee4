//! Durability under faults (issue 4): against real servers, Prosody and ejabberd, every message
//! is delivered and stored exactly once, in order, with the right delivery state, whatever
//! fails: the client killed, the connection cut or half-open, the server killed, the disk full,
//! the database damaged, live messages racing the archive catch-up.
//!
//! The person's view is checked where the person sees it: the store, read the way `natter
//! history` and the window read it (oldest first by time). On the sending side "exactly once"
//! is counted in the server's archive of the recipient, which keeps every copy that went
//! through the server.

mod catchup;
mod crash;
mod damage;
mod disk;
mod network;
mod process;
mod proxy;
mod quit;

use crate::j;
use std::path::Path;
use std::time::Duration;

use natter::model::{ChatMessage, Delivery, Direction};
use natter::store::Store;

use crate::support::{Server, Shared};

/// The one ejabberd of the fault tests that leave their server running.
static SERVERS: Shared = Shared::new();

/// How long a fault test waits for the store to settle before failing.
const SETTLE: Duration = Duration::from_secs(60);

/// The messages of `account` with `peer` as `natter history` shows them, oldest first; empty
/// while the file does not exist yet.
async fn history(db: &Path, account: &str, peer: &str) -> Vec<ChatMessage> {
    if !db.exists() {
        return Vec::new();
    }
    let store = match Store::open_read_only(db) {
        Ok(s) => s,
        // A session still creating the file: not readable yet.
        Err(_) => return Vec::new(),
    };
    store
        .history(&j(account), &j(peer), None, 100_000)
        .await
        .unwrap_or_default()
}

/// The bodies of `msgs` that start with `prefix`, in stored order.
fn bodies_with<'a>(msgs: &'a [ChatMessage], prefix: &str) -> Vec<&'a str> {
    msgs.iter()
        .map(|m| m.body.as_str())
        .filter(|b| b.starts_with(prefix))
        .collect()
}

/// `prefix 000`, `prefix 001`, … : the bodies of one burst, in the order they were sent.
fn burst(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix} {i:03}")).collect()
}

/// Polls `db` until it holds at least `n` messages of `account` with `peer` starting with
/// `prefix`; returns the whole history then.
async fn until_stored(
    db: &Path,
    account: &str,
    peer: &str,
    prefix: &str,
    n: usize,
) -> Vec<ChatMessage> {
    let deadline = tokio::time::Instant::now() + SETTLE;
    loop {
        let msgs = history(db, account, peer).await;
        let have = bodies_with(&msgs, prefix).len();
        if have >= n {
            return msgs;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {have} of {n} “{prefix}” messages stored within {SETTLE:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asserts that the burst `prefix` of `n` messages is stored exactly once each, in the order
/// sent, in `direction` with `delivery`.
fn assert_once_in_order(
    msgs: &[ChatMessage],
    prefix: &str,
    n: usize,
    direction: Direction,
    delivery: &[Delivery],
) {
    let got = bodies_with(msgs, prefix);
    let expected = burst(prefix, n);
    if got != expected {
        let mut dups: Vec<&str> = got.clone();
        dups.sort_unstable();
        let total = dups.len();
        dups.dedup();
        let missing: Vec<&String> = expected
            .iter()
            .filter(|e| !got.contains(&e.as_str()))
            .collect();
        let misplaced: Vec<(usize, &str)> = got
            .iter()
            .enumerate()
            .filter(|(i, b)| expected.get(*i).map(String::as_str) != Some(**b))
            .map(|(i, b)| (i, *b))
            .take(10)
            .collect();
        // What the store has around the first message out of place, to tell why.
        let first = misplaced.first().map_or(0, |(i, _)| *i);
        let around: Vec<String> = msgs
            .iter()
            .filter(|m| m.body.starts_with(prefix))
            .enumerate()
            .filter(|(i, m)| {
                let due = |k: usize| expected.get(k).is_some_and(|e| *e == m.body);
                i.abs_diff(first) <= 3 || due(first) || first.checked_sub(1).is_some_and(due)
            })
            .map(|(i, m)| {
                format!(
                    "#{i} {} sent_at {} received_at {} delayed {} archived {} local {}",
                    m.body,
                    m.sent_at,
                    m.received_at,
                    m.delayed,
                    m.stanza_id.is_some(),
                    m.local_id
                )
            })
            .collect();
        panic!(
            "“{prefix}”: {total} stored for {n} sent, {} duplicates, missing {missing:?}, \
             first out of place {misplaced:?}\n{}",
            total - dups.len(),
            around.join("\n")
        );
    }
    for m in msgs.iter().filter(|m| m.body.starts_with(prefix)) {
        assert_eq!(m.direction, direction, "{m:?}");
        assert!(delivery.contains(&m.delivery), "{m:?}");
    }
}

/// Waits until the server archived `body` for `user` (a bare JID) at least once.
async fn until_archived(server: &Server, user: &str, body: &str) {
    let deadline = tokio::time::Instant::now() + SETTLE;
    while server.archived_copies(user, body) == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server never archived “{body}” for {user}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A session's events read in the background and kept: a session whose owner stops reading
/// stalls once its queue (1024 events) is full, and a burst of messages makes thousands.
#[derive(Clone)]
struct Recorder(std::sync::Arc<std::sync::Mutex<Vec<natter::session::Event>>>);

impl Recorder {
    /// Takes over the events of `client` (its own `wait` no longer sees any).
    fn start(client: &mut crate::client::Client) -> Recorder {
        let (_closed, nothing) = tokio::sync::mpsc::channel(1);
        let mut events = std::mem::replace(&mut client.events, nothing);
        let seen = Recorder(Default::default());
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Some(e) = events.recv().await {
                sink.0.lock().expect("recorder").push(e);
            }
        });
        seen
    }

    /// How many events so far: a mark for [`until`](Self::until).
    fn mark(&self) -> usize {
        self.0.lock().expect("recorder").len()
    }

    /// Waits for an event matching `pred` among those from `from` on.
    async fn until(
        &self,
        from: usize,
        what: &str,
        pred: impl Fn(&natter::session::Event) -> bool,
    ) -> natter::session::Event {
        let deadline = tokio::time::Instant::now() + SETTLE;
        loop {
            if let Some(e) = self.0.lock().expect("recorder")[from..]
                .iter()
                .find(|e| pred(e))
            {
                return e.clone();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no {what} within {SETTLE:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Waits until the server acknowledged everything `client` sent: its outbox is empty.
async fn until_outbox_empty(client: &crate::client::Client) {
    let deadline = tokio::time::Instant::now() + SETTLE;
    loop {
        let left = client
            .store
            .outbox(&j(&client.jid))
            .await
            .expect("outbox")
            .len();
        if left == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{}: {left} messages still unacknowledged after {SETTLE:?}",
            client.jid
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
