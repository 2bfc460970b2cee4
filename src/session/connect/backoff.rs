//! When to try connecting again. Capped exponential backoff with jitter between failed
//! attempts; a random pause before reconnecting after a connection that worked, so that the
//! clients a server restart dropped together do not all come back in the same instant; and a
//! connection that ended soon after it was made counts as a failure, or a server that accepts the
//! login and then resets the stream would be signed in to again and again without a pause.

use std::time::{Duration, Instant};

/// The first backoff waits 0.5–1 s; each failure doubles it.
const BASE_MS: u64 = 1000;
/// No wait is longer than a minute.
const CAP_MS: u64 = 60_000;
/// The random pause before reconnecting after a connection that worked: up to 2 s.
const PAUSE_MS: u64 = 2000;
/// A connection that lasted this long worked: its loss starts the backoff afresh.
pub const STABLE: Duration = Duration::from_secs(30);

/// Random 64-bit value from the OS (0 if the OS will not say, which only weakens jitter).
fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
}

/// Capped exponential backoff with jitter: attempt 0 waits 0.5–1 s, doubling up to 30–60 s.
pub fn backoff(attempt: u32) -> Duration {
    backoff_with(attempt, random_u64())
}

fn backoff_with(attempt: u32, random: u64) -> Duration {
    let cap_ms = BASE_MS.saturating_mul(1 << attempt.min(6)).min(CAP_MS);
    Duration::from_millis(cap_ms / 2 + random % (cap_ms / 2 + 1))
}

/// The reconnect policy of one session, across all its connections.
#[derive(Debug, Default)]
pub struct Reconnect {
    /// Times a connection was asked for.
    calls: u32,
    /// Failures (failed attempts, or connections that did not last) since the last connection
    /// that lasted.
    failures: u32,
    /// When the last connection was made.
    connected_at: Option<Instant>,
}

impl Reconnect {
    /// A connection is asked for (the session starts, or lost its connection): how long to wait
    /// before the first attempt.
    pub fn start(&mut self, now: Instant) -> Duration {
        self.start_with(now, random_u64())
    }

    fn start_with(&mut self, now: Instant, random: u64) -> Duration {
        self.calls = self.calls.saturating_add(1);
        if self.calls == 1 {
            return Duration::ZERO;
        }
        match self.connected_at.take() {
            Some(at) if now.saturating_duration_since(at) >= STABLE => {
                self.failures = 0;
                Duration::from_millis(random % (PAUSE_MS + 1))
            }
            _ => self.fail_with(random),
        }
    }

    /// An attempt failed: how long to wait before the next one.
    pub fn failed(&mut self) -> Duration {
        let wait = backoff(self.failures);
        self.failures = self.failures.saturating_add(1);
        wait
    }

    fn fail_with(&mut self, random: u64) -> Duration {
        let wait = backoff_with(self.failures, random);
        self.failures = self.failures.saturating_add(1);
        wait
    }

    /// A connection was made.
    pub fn connected(&mut self, now: Instant) {
        self.connected_at = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_a_minute() {
        let ms = |d: Duration| d.as_millis() as u64;
        // (attempt, shortest, longest): the jitter spans the upper half of each step.
        let cases = [
            (0, 500, 1_000),
            (1, 1_000, 2_000),
            (2, 2_000, 4_000),
            (5, 16_000, 32_000),
            (6, 30_000, 60_000),
            (7, 30_000, 60_000),
            (u32::MAX, 30_000, 60_000),
        ];
        for (attempt, low, high) in cases {
            assert_eq!(ms(backoff_with(attempt, 0)), low, "attempt {attempt}");
            assert_eq!(
                ms(backoff_with(attempt, high - low)),
                high,
                "attempt {attempt}"
            );
            assert!(ms(backoff_with(attempt, u64::MAX)) <= high);
            // From the OS's randomness: within the step, and not always the same.
            let drawn: std::collections::BTreeSet<u64> =
                (0..50).map(|_| ms(backoff(attempt))).collect();
            assert!(
                drawn.iter().all(|d| (low..=high).contains(d)),
                "attempt {attempt}: {drawn:?}"
            );
            assert!(drawn.len() > 1, "attempt {attempt}: no jitter in {drawn:?}");
        }
    }

    #[test]
    fn the_first_connection_is_at_once_and_a_lost_one_after_a_random_pause() {
        let t0 = Instant::now();
        let mut r = Reconnect::default();
        assert_eq!(r.start_with(t0, 1234), Duration::ZERO, "the session starts");
        r.connected(t0);
        // Lost after a good while: a random pause of at most 2 s, no backoff yet.
        let later = t0 + Duration::from_secs(600);
        assert_eq!(r.start_with(later, 1234), Duration::from_millis(1234));
        r.connected(later);
        let again = later + STABLE;
        assert_eq!(
            r.start_with(again, 5_000),
            Duration::from_millis(5_000 % 2_001)
        );
        let pauses: std::collections::BTreeSet<Duration> = (0..50)
            .map(|_| {
                let mut r = Reconnect::default();
                r.start(t0);
                r.connected(t0);
                r.start(later)
            })
            .collect();
        assert!(
            pauses.iter().all(|p| *p <= Duration::from_secs(2)),
            "{pauses:?}"
        );
        assert!(pauses.len() > 1, "the pause is random: {pauses:?}");
    }

    #[test]
    fn connections_that_do_not_last_back_off_like_failures_until_one_lasts() {
        let t0 = Instant::now();
        let mut r = Reconnect::default();
        r.start_with(t0, 0);
        // A server that signs us in and resets the stream a second later, again and again.
        let mut waits = Vec::new();
        let mut now = t0;
        for _ in 0..8 {
            r.connected(now);
            now += Duration::from_secs(1);
            waits.push(r.start_with(now, 0).as_millis());
        }
        assert_eq!(
            waits,
            [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]
        );
        // Failed attempts in between count too, and stay under the cap.
        let failed = r.failed();
        assert!((30..=60).contains(&failed.as_secs()), "{failed:?}");
        // A connection that lasts starts afresh.
        r.connected(now);
        let wait = r.start_with(now + STABLE, 0);
        assert_eq!(wait, Duration::ZERO);
        r.connected(now);
        assert_eq!(
            r.start_with(now + Duration::from_secs(1), 0),
            Duration::from_millis(500)
        );
    }
}
