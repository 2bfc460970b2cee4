//! Timing points of a launch, for the benchmarks (README, Performance): logged at info level
//! under the `natter::timing` target, which the default log level hides
//! (`RUST_LOG=warn,natter::timing=info` shows them). The log's own timestamps are wall-clock
//! time, so they can be set against a harness's launch timestamp too.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static STARTED: OnceLock<Instant> = OnceLock::new();
static FIRST_FRAME: AtomicBool = AtomicBool::new(false);

/// Marks the process's start: the first statement of `main` (what came before it, the
/// executable's loading, is a few milliseconds).
pub fn mark_start() {
    let _ = STARTED.set(Instant::now());
}

/// Time since [`mark_start`] (zero when it was never called).
pub fn since_start(at: Instant) -> Duration {
    STARTED.get().map_or(Duration::ZERO, |started| {
        at.saturating_duration_since(*started)
    })
}

/// A window frame began drawing at `at`: the first one is logged, later ones cost an atomic
/// load.
pub fn frame(at: Instant) {
    if FIRST_FRAME.swap(true, Ordering::Relaxed) {
        return;
    }
    tracing::info!(
        target: "natter::timing",
        drawing_began_ms = since_start(at).as_millis() as u64,
        reported_ms = since_start(Instant::now()).as_millis() as u64,
        "first frame"
    );
}

/// Whether the first frame was logged.
pub fn first_frame_seen() -> bool {
    FIRST_FRAME.load(Ordering::Relaxed)
}

/// A timing point worth a line: `what` happened, this long after the start.
pub fn point(what: &'static str) {
    tracing::info!(
        target: "natter::timing",
        ms = since_start(Instant::now()).as_millis() as u64,
        "{what}"
    );
}
