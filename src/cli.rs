//! The command line and the JSON-lines headless mode. Both drive the same [`session`] and
//! [`Store`] as the window, so they get the same persistence and rules.
//!
//! Exit status: 0 success, 1 a runtime failure (unreachable, authentication failed, timeout),
//! 2 bad usage. Errors go to stderr as one sentence, `natter: …`, in the person's language;
//! everything a person reads is a Fluent id (`## cli` in i18n/), while command names, flags,
//! exit codes and JSON names and values stay as they are.

mod account;
mod args;
mod headless;
pub mod json;
mod local;
mod online;
mod operations;
mod text;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::Value;

pub use args::{
    AccountAddArgs, AccountCommand, Cli, Command, ContactCommand, HistoryArgs, SendArgs, TlsArg,
    command,
};
pub use headless::parse_request;
pub use json::event_json;

use crate::model::{Account, BareJid, bare_jid};
use crate::paths;
use crate::secrets::SecretsError;
use crate::store::{Store, StoreError};

/// A failed command: what to tell the person (already in their language) and which exit
/// status to use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    /// The command line or its input is wrong (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// Something failed at run time: the network, the server, the keyring, the disk (exit 1).
    #[error("{0}")]
    Failed(String),
}

/// Why a command failed, as a stable name for scripts: the `code` beside the translated
/// `error` of `check --json`. Add codes, never rename one (README.md lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// No account to use: none saved, the one named does not exist or is not a valid address,
    /// or several and none is the default.
    NoAccount,
    /// Neither the keyring nor `NATTER_PASSWORD` has a password for the account.
    NoPassword,
    /// The keyring could not be reached or failed.
    Keyring,
    /// The local store failed.
    Store,
    /// The server refused the password.
    AuthFailed,
    /// The connection failed: DNS, TCP, TLS or the server refused the session.
    ConnectFailed,
    /// The server did not answer within `--timeout`.
    Timeout,
    /// The session stopped before the command was done.
    SessionEnded,
}

impl ErrorCode {
    /// The name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NoAccount => "no_account",
            ErrorCode::NoPassword => "no_password",
            ErrorCode::Keyring => "keyring",
            ErrorCode::Store => "store",
            ErrorCode::AuthFailed => "auth_failed",
            ErrorCode::ConnectFailed => "connect_failed",
            ErrorCode::Timeout => "timeout",
            ErrorCode::SessionEnded => "session_ended",
        }
    }
}

/// A [`CliError`] with its [`ErrorCode`], for the commands that report the kind of failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    code: ErrorCode,
    error: CliError,
}

impl Failure {
    fn new(code: ErrorCode, error: CliError) -> Self {
        Failure { code, error }
    }
}

impl From<Failure> for CliError {
    fn from(failure: Failure) -> Self {
        failure.error
    }
}

impl CliError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Failed(_) => 1,
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Failed(e.to_string())
    }
}

impl From<SecretsError> for CliError {
    fn from(e: SecretsError) -> Self {
        CliError::Failed(e.to_string())
    }
}

impl From<paths::PathsError> for CliError {
    fn from(e: paths::PathsError) -> Self {
        CliError::Failed(e.to_string())
    }
}

/// Runs `command` (the parsed subcommand of `cli`) on a tokio runtime built here and returns
/// the exit status. The window is not the command line's: `main` opens it when there is no
/// subcommand.
pub fn run(cli: &Cli, command: Command) -> ExitCode {
    match run_command(cli, command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

fn run_command(cli: &Cli, command: Command) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(crate::fl!("cli-error-runtime", reason = e.to_string())))?;
    let store = open_store()?;
    let result = runtime.block_on(dispatch(cli, command, store));
    // Do not wait for a blocking read of stdin that will never finish.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn dispatch(cli: &Cli, command: Command, store: Store) -> Result<(), CliError> {
    let ctx = Ctx {
        store,
        json: cli.json,
        account: cli.account.clone(),
        timeout: Duration::from_secs(cli.timeout),
    };
    match command {
        Command::Account(AccountCommand::Add(add)) => account::add(&ctx, add).await,
        Command::Account(AccountCommand::List) => account::list(&ctx).await,
        Command::Account(AccountCommand::Remove { jid }) => account::remove(&ctx, &jid).await,
        Command::Check => operations::check(&ctx).await,
        Command::Send(send) => operations::send(&ctx, send).await,
        Command::Roster { refresh: false } => local::roster(&ctx).await,
        Command::Roster { refresh: true } => operations::refresh_roster(&ctx).await,
        Command::Presence { jid } => operations::presence(&ctx, &jid).await,
        Command::Requests { all } => local::requests(&ctx, all).await,
        Command::Accept { jid } => operations::answer(&ctx, &jid, true).await,
        Command::Deny { jid } => operations::answer(&ctx, &jid, false).await,
        Command::Contact(ContactCommand::Add {
            jid,
            name,
            groups,
            message,
            no_share,
        }) => {
            let contact = operations::NewContact {
                name,
                groups,
                message,
                share_presence: !no_share,
            };
            operations::contact_add(&ctx, &jid, contact).await
        }
        Command::Contact(ContactCommand::Remove { jid }) => {
            operations::contact_remove(&ctx, &jid).await
        }
        Command::History(history) => local::history(&ctx, history).await,
        Command::Headless => headless::run(&ctx).await,
    }
}

/// What every command gets: the store, the common flags.
pub(crate) struct Ctx {
    store: Store,
    json: bool,
    account: Option<String>,
    timeout: Duration,
}

impl Ctx {
    /// The account named by `--account`, else the default one, else the only one.
    async fn account(&self) -> Result<Account, CliError> {
        match &self.account {
            Some(text) => {
                let jid = user_jid(text, "--account")?;
                self.store.account(&jid).await?.ok_or_else(|| {
                    CliError::Usage(crate::fl!("cli-error-unknown-account", jid = jid.as_str()))
                })
            }
            None => pick_account(self.store.accounts().await?),
        }
    }

    /// Prints a JSON document or text on stdout, whichever `--json` asks for.
    fn print(
        &self,
        json: impl FnOnce() -> Value,
        text: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        if self.json {
            let doc = serde_json::to_string_pretty(&json()).map_err(|e| {
                CliError::Failed(crate::fl!("cli-error-json", reason = e.to_string()))
            })?;
            out(&format!("{doc}\n"))
        } else {
            out(&text())
        }
    }
}

/// Parses a bare user address typed by the person; the reason goes into a usage error that
/// starts with `what`, the flag or command that took it (`--to`, `history`).
fn user_jid(text: &str, what: &str) -> Result<BareJid, CliError> {
    bare_jid(text).map_err(|e| CliError::Usage(in_context(what, &e.to_string())))
}

/// `what: problem`, the way a flag or command and what is wrong with it are joined.
fn in_context(what: &str, problem: &str) -> String {
    crate::fl!("cli-error-in-context", context = what, problem = problem)
}

fn pick_account(accounts: Vec<Account>) -> Result<Account, CliError> {
    let count = accounts.len();
    let mut accounts = accounts.into_iter();
    let none = || CliError::Usage(crate::fl!("cli-error-no-account"));
    match count {
        0 => Err(none()),
        1 => accounts.next().ok_or_else(none),
        _ => accounts
            .find(|a| a.is_default)
            .ok_or_else(|| CliError::Usage(crate::fl!("cli-error-no-default-account"))),
    }
}

fn open_store() -> Result<Store, CliError> {
    Ok(Store::open(&paths::database_path()?)?)
}

/// Writes to stdout. A closed pipe (`natter history … | head`) is not an error.
fn out(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Failed(crate::fl!(
            "cli-error-output",
            reason = e.to_string()
        ))),
    }
}

fn report(error: &CliError) {
    let _ = writeln!(std::io::stderr(), "natter: {error}"); // i18n-ok: the program's name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;

    fn account(jid: &str, is_default: bool) -> Account {
        Account {
            is_default,
            ..Account::new(j(jid))
        }
    }

    #[test]
    fn the_account_is_the_named_default_or_only_one() {
        let none = pick_account(vec![]);
        assert_eq!(
            none,
            Err(CliError::Usage(
                "no account: add one with `natter account add JID`".into()
            ))
        );
        assert_eq!(none.map_err(|e| e.exit_code()), Err(2));
        let only = pick_account(vec![account("a@x.org", false)]).map(|a| a.jid);
        assert_eq!(only, Ok(j("a@x.org")));
        let two = vec![account("a@x.org", false), account("b@x.org", true)];
        assert_eq!(pick_account(two).map(|a| a.jid), Ok(j("b@x.org")));
        let ambiguous = pick_account(vec![account("a@x.org", false), account("b@x.org", false)]);
        assert!(matches!(ambiguous, Err(CliError::Usage(_))));
    }

    #[test]
    fn usage_errors_are_in_the_persons_language() {
        let english = user_jid("example.org", "--to");
        assert_eq!(
            english,
            Err(CliError::Usage(
                "--to: “example.org” has no user part: write it as name@example.org".into()
            ))
        );
        let russian = crate::i18n::testing::in_language("ru", || user_jid("example.org", "--to"));
        assert_eq!(
            russian,
            Err(CliError::Usage(
                "--to: в «example.org» нет имени пользователя: запишите адрес как name@example.org"
                    .into()
            ))
        );
        // The language changes the words, never the exit status.
        assert_eq!(russian.map_err(|e| e.exit_code()), Err(2));
        let none = crate::i18n::testing::in_language("ru", || pick_account(vec![]));
        assert_eq!(
            none,
            Err(CliError::Usage(
                "нет учётной записи: добавьте её командой `natter account add JID`".into()
            ))
        );
    }

    #[test]
    fn error_codes_have_their_documented_names() {
        let cases = [
            (ErrorCode::NoAccount, "no_account"),
            (ErrorCode::NoPassword, "no_password"),
            (ErrorCode::Keyring, "keyring"),
            (ErrorCode::Store, "store"),
            (ErrorCode::AuthFailed, "auth_failed"),
            (ErrorCode::ConnectFailed, "connect_failed"),
            (ErrorCode::Timeout, "timeout"),
            (ErrorCode::SessionEnded, "session_ended"),
        ];
        for (code, name) in cases {
            assert_eq!(code.as_str(), name);
        }
        let failure = Failure::new(ErrorCode::Timeout, CliError::Failed("slow".into()));
        assert_eq!(CliError::from(failure), CliError::Failed("slow".into()));
    }

    #[test]
    fn invalid_addresses_are_usage_errors_with_the_reason() {
        let e = user_jid("example.org", "--to");
        assert!(
            matches!(&e, Err(CliError::Usage(m)) if m.contains("no user part")),
            "{e:?}"
        );
        assert_eq!(
            user_jid(" Bob@Example.org ", "--to"),
            Ok(j("bob@example.org"))
        );
    }
}
