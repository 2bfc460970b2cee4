//! The `natter` binary: logging, the language, arguments, then [`natter::run`].

use std::io::Write as _;
use std::process::ExitCode;

use clap::FromArgMatches as _;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    tracing::debug!("started");
    // The desktop's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), before any text is made:
    // the help texts too.
    natter::i18n::init(None);
    // clap exits with status 2 on bad usage and 0 for --help / --version.
    let mut command = natter::cli::command();
    let matches = command.clone().get_matches();
    let cli = natter::cli::Cli::from_arg_matches(&matches)
        .unwrap_or_else(|e| e.format(&mut command).exit());
    // A bug in a background task must not print a backtrace at the person; one line that can
    // be reported is enough (RUST_BACKTRACE still works for developers).
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|info| {
            let payload = info.payload();
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .map_or_else(|| natter::fl!("cli-panic-unknown"), str::to_owned);
            let text = match info.location() {
                Some(place) => natter::fl!(
                    "cli-panic-at",
                    what = what,
                    place = format!("{}:{}", place.file(), place.line())
                ),
                None => natter::fl!("cli-panic", what = what),
            };
            let _ = writeln!(std::io::stderr(), "natter: {text}"); // i18n-ok: the program's name
        }));
    }
    natter::run(cli)
}
