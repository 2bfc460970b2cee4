//! Arbitrary bytes as the inside of the server's stream, through the parser tokio-xmpp reads
//! with, stanza translation and what the worker does with its results (see
//! `natter::session::fuzzing`). Nothing may panic, and every reply must be sendable.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let outcome = natter::session::fuzzing::inbound(data);
    assert_eq!(outcome.unsendable, 0, "a reply the worker could not send");
});
