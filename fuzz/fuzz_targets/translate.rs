//! Arbitrary bytes as the inside of the server's stream, through the guard on the server's
//! bytes, the parser tokio-xmpp reads with, stanza translation and what the worker does with
//! its results (see `natter::session::fuzzing`). Nothing may panic, every reply must be
//! sendable, and the guard must hold to its bound however the bytes are cut.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let outcome = natter::session::fuzzing::inbound(data);
    assert_eq!(outcome.unsendable, 0, "a reply the worker could not send");
    assert!(
        !outcome.too_deep,
        "the guard let through more nesting than it allows"
    );
    assert!(
        !outcome.guard_depends_on_chunks,
        "the guard decided differently on the same bytes cut differently"
    );
});
