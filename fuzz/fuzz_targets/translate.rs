//! Arbitrary bytes as the inside of the server's stream, through the guard on the server's
//! bytes, the parser tokio-xmpp reads with, and the session core the worker runs, in three
//! signed-in sessions (see `natter::session::fuzzing`), then headless mode's JSON and the
//! window's reading of each message body (XEP-0393 styling, XEP-0245 actions). Nothing may
//! panic, every reply must be sendable, the guard must hold to its bound however the bytes
//! are cut, and a body's styled runs must cover it exactly.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Every event the sessions tell is written as headless mode writes it.
    let outcome = natter::session::fuzzing::inbound_with(data, |event| {
        natter::cli::event_json(event);
        if let natter::session::Event::Messages(messages) = event {
            for message in messages {
                let _ = natter::model::styling::me_action(&message.body);
                assert!(
                    natter::model::styling::covers_exactly(&message.body),
                    "the styled runs do not cover the body"
                );
            }
        }
    });
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
