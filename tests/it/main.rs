//! Natter's integration tests: one binary, so the test Prosody harness is built once.

mod client;
mod harness;
mod hostile;
mod session;
mod support;
mod cli;
