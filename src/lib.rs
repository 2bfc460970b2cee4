//! Natter: a desktop XMPP messenger. The library holds the engine (store, session), the
//! command line and the window; `main.rs` only parses arguments and calls [`run`].

#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod i18n;
#[cfg(unix)]
pub mod instance;
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
#[cfg(feature = "gui")]
pub mod widget;

/// Runs the parsed command line (the window when there is no subcommand) and returns the exit
/// status: 0 success, 1 runtime failure, 2 bad usage.
pub fn run(cli: cli::Cli) -> std::process::ExitCode {
    cli::run(cli)
}
