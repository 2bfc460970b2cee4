//! The `natter` binary: logging, the language, arguments, then the window (no subcommand) or
//! the command line.

use std::io::Write as _;
use std::process::ExitCode;

use clap::FromArgMatches as _;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // The window draws with the CPU renderer unless ICED_BACKEND says otherwise: measured with
    // the peer harness (README, Performance), a messenger's window costs 48 MiB and 0.2 CPU s
    // for a 2,000-message burst with tiny-skia, 148 MiB and 0.6 s with wgpu on a machine
    // without a GPU. Built with the `wgpu` feature, `ICED_BACKEND=wgpu` selects the GPU.
    if std::env::var_os("ICED_BACKEND").is_none() {
        // SAFETY: the first statement of main, before any thread exists that could read or
        // write the environment at the same time.
        unsafe { std::env::set_var("ICED_BACKEND", "tiny-skia") };
    }
    natter::timing::mark_start();
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
    let status = match cli.command.clone() {
        Some(command) => natter::cli::run(&cli, command),
        None => window(cli.link),
    };
    // The store's thread closes (and seals) the file after its last handle went; exiting
    // before would make the next launch read the whole file to check it.
    natter::store::wait_for_closing(std::time::Duration::from_secs(5));
    status
}

/// Opens the window; a missing display or a failing graphics stack is one sentence on stderr
/// and exit status 1.
#[cfg(feature = "gui")]
fn window(link: Option<String>) -> ExitCode {
    match natter::app::open(link) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "natter: {e}"); // i18n-ok: the program's name
            ExitCode::FAILURE
        }
    }
}

/// A build without the `gui` feature (the fuzz target's) has no window to open: wrong usage.
#[cfg(not(feature = "gui"))]
fn window(_link: Option<String>) -> ExitCode {
    let text = natter::fl!("cli-error-no-window");
    let _ = writeln!(std::io::stderr(), "natter: {text}"); // i18n-ok: the program's name
    ExitCode::from(2)
}
