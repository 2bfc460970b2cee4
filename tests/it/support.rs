//! Shared helpers for the integration tests: a private Prosody per test ([`Prosody`]).
//!
//! Everything here runs real programs (`prosody`, `prosodyctl`, `openssl`) from the machine;
//! `tests/run` installs them. Nothing here uses the crate under test, so the harness stays
//! usable while `src/` changes.

// Each test module uses a different part of the harness; an item unused by today's tests must
// not fail `clippy -D warnings`.
#![allow(dead_code)]

mod os;
pub mod pki;
mod prosody;

pub use os::terminate;
pub use prosody::Prosody;
