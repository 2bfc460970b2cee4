//! What the process gives back to the system. glibc's allocator keeps the pages a peak freed
//! (in the arena of the thread that freed them) for later: after a login's roster, presences
//! and capability queries, or a burst of messages, that is megabytes nobody uses any more
//! (5–7 MiB of the window's 12 MiB of heap with 2,000 contacts, README, Performance). The only
//! file that knows the allocator.

/// Returns the allocator's free pages to the system: glibc's `malloc_trim`, which also frees
/// the unused pages inside each arena, not only at their ends. Elsewhere nothing. It takes the
/// arenas' locks in turn and costs well under a millisecond with a heap of a few MiB.
pub fn release_free() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim works under the allocator's own locks and only on memory it owns
    // and nobody holds.
    unsafe {
        libc::malloc_trim(0);
    }
}
