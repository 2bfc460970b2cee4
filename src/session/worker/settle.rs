//! When the session gives memory back: once the reading of a big batch of stanzas (a login's
//! roster, presences and capability queries, a burst of messages) has stopped for a moment.
//! The peak's pages are free by then, but the allocator keeps them (`memory.rs`); between
//! two chunks of the same burst they would be taken again at once.

use std::pin::Pin;
use std::time::Duration;

use tokio::time::{Instant, Sleep};

/// Stanzas read since the last release that make a release worth it: a login with a few
/// dozen contacts frees little, one with thousands frees megabytes.
const ENOUGH: usize = 256;
/// How long the reading must have stopped.
const QUIET: Duration = Duration::from_secs(1);

/// Counts what was read, and says when it has settled.
#[derive(Default)]
pub(super) struct Settle {
    read: usize,
    quiet: Option<Pin<Box<Sleep>>>,
}

impl Settle {
    /// `n` more stanzas were read: once enough were, the release waits for [`QUIET`] after
    /// the last of them.
    pub(super) fn read(&mut self, n: usize) {
        self.read = self.read.saturating_add(n);
        if self.read < ENOUGH {
            return;
        }
        let at = Instant::now() + QUIET;
        match &mut self.quiet {
            Some(sleep) => sleep.as_mut().reset(at),
            None => self.quiet = Some(Box::pin(tokio::time::sleep_until(at))),
        }
    }

    /// Whether a release is due once it is quiet.
    pub(super) fn armed(&self) -> bool {
        self.quiet.is_some()
    }

    /// Ends when the reading has been quiet long enough (never when not [`armed`]); counting
    /// starts again after it.
    ///
    /// [`armed`]: Settle::armed
    pub(super) async fn settled(&mut self) {
        if let Some(sleep) = self.quiet.as_mut() {
            sleep.as_mut().await;
        } else {
            std::future::pending::<()>().await;
        }
        self.quiet = None;
        self.read = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Settle {
        fn deadline(&self) -> Option<Instant> {
            self.quiet.as_ref().map(|sleep| sleep.deadline())
        }
    }

    #[tokio::test]
    async fn a_big_read_is_released_once_quiet_and_each_later_chunk_pushes_that_back() {
        let mut settle = Settle::default();
        settle.read(ENOUGH - 1);
        assert!(!settle.armed(), "a small login frees little");
        settle.read(1);
        let first = settle.deadline().expect("armed after enough stanzas");
        tokio::time::sleep(Duration::from_millis(20)).await;
        settle.read(1);
        let later = settle.deadline().expect("still armed");
        assert!(
            later > first,
            "a chunk in the same burst pushes the release back"
        );
        tokio::time::timeout(Duration::from_secs(10), settle.settled())
            .await
            .expect("settles once quiet");
        assert!(!settle.armed());
        settle.read(ENOUGH - 1);
        assert!(!settle.armed(), "counting starts again after a release");
    }
}
