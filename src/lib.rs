//! Natter: a desktop XMPP messenger. The library holds the engine (store, session), the
//! command line ([`cli::run`]) and the window ([`app::open`]); `main.rs` parses the arguments
//! and opens the one they ask for.

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod i18n;
#[cfg(unix)]
pub mod instance;
pub mod memory;
pub mod model;
pub mod notify;
pub mod paths;
#[cfg(feature = "gui")]
pub mod screen;
pub mod secrets;
pub mod session;
pub mod store;
#[cfg(feature = "gui")]
pub mod theme;
pub mod timing;
#[cfg(feature = "gui")]
pub mod widget;
