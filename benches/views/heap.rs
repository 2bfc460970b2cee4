//! The heap as the benchmark's own allocator counts it: bytes live now and the most live at
//! once. Resident memory (VmRSS) also holds what the allocator keeps after a free, the
//! binary's pages and the renderer's buffers, and moves with them; the live heap is what a
//! capability's state holds, exactly, at every run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn added(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn removed(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call goes to the system allocator unchanged; the counters only watch.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            added(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            added(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: a block this allocator gave out, with its layout.
        unsafe { System.dealloc(ptr, layout) };
        removed(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: a block this allocator gave out, with its layout.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            removed(layout.size());
            added(new_size);
        }
        p
    }
}

/// Bytes live now.
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// What building something cost: bytes it holds once built, and the most live at once while
/// it was built, above what was live before.
#[derive(Clone, Copy)]
pub struct Held {
    pub kept: isize,
    pub peak: usize,
}

/// Runs `build` and says what it left live (its result included, since it is still held)
/// and its peak.
pub fn held<T>(build: impl FnOnce() -> T) -> (T, Held) {
    let before = live();
    PEAK.store(before, Ordering::Relaxed);
    let built = build();
    let held = Held {
        kept: live() as isize - before as isize,
        peak: PEAK.load(Ordering::Relaxed).saturating_sub(before),
    };
    (built, held)
}
