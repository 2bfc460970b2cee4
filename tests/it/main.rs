//! Natter's integration tests: one binary, so the test server harness (Prosody and ejabberd)
//! is built once.

mod app;
mod cli;
mod client;
mod fake_server;
mod faults;
mod harness;
mod hostile;
mod keyring;
mod notify;
mod session;
mod snapshots;
mod support;
mod transport;
mod window;
mod wire;
