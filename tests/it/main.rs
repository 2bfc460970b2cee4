//! Natter's integration tests: one binary, so the test Prosody harness is built once.

mod app;
mod cli;
mod client;
mod fake_server;
mod faults;
mod harness;
mod hostile;
mod keyring;
mod logs;
mod notify;
mod session;
mod snapshots;
mod support;
mod transport;
mod wire;
