//! Shared helpers for the integration tests: private test servers, Prosody ([`Prosody`]) and
//! ejabberd ([`Ejabberd`]), behind one [`Server`], and [`on_servers!`], which runs a test on
//! each.
//!
//! Everything here runs real programs (`prosody`, `prosodyctl`, `ejabberdctl`, `openssl`) from
//! the machine; `tests/run` installs them. Nothing here uses the crate under test, so the
//! harness stays usable while `src/` changes.

// Each test module uses a different part of the harness; an item unused by today's tests must
// not fail `clippy -D warnings`.
#![allow(dead_code)]

mod ejabberd;
mod os;
pub mod pki;
mod ports;
mod prosody;
mod server;

pub use ejabberd::Ejabberd;
pub use os::terminate;
pub use prosody::Prosody;
pub(crate) use server::on_servers;
pub use server::{Kind, Server, Setup, Shared, TestServer, check_user_name};
