//! Natter's integration tests: one binary, so the test server harness (Prosody and ejabberd)
//! is built once.

mod app;
mod archive;
mod cli;
mod client;
mod fake_server;
mod faults;
mod harness;
mod hostile;
mod keyring;
mod logs;
mod modern;
mod notify;
mod peer;
mod session;
mod snapshots;
mod support;
mod transport;
mod window;
mod wire;

/// A test's address, written correctly by the test (the harness hands out its users' as text).
pub fn j(text: &str) -> natter::model::BareJid {
    natter::model::bare_jid(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A test's message id, written correctly by the test.
pub fn mid(text: impl Into<String>) -> natter::model::MessageId {
    let text = text.into();
    natter::model::MessageId::new(text.clone()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// A test's full address (or bare), written correctly by the test.
pub fn full(text: &str) -> natter::model::Jid {
    natter::model::Jid::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}
