//! `natter account add | list | remove`.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::process::{Command as Process, Stdio};

use serde_json::json;

use super::{AccountAddArgs, CliError, Ctx, json, text, user_jid};
use crate::model::Account;
use crate::secrets;

/// Where the password of a new account comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordSource {
    /// The first line of stdin (`--password-stdin`).
    StdinLine,
    /// A prompt on the terminal, without echo.
    Prompt,
    /// None: `NATTER_PASSWORD` will be used at sign-in.
    Environment,
}

fn password_source(
    password_stdin: bool,
    stdin_is_terminal: bool,
    env_password: bool,
) -> Result<PasswordSource, CliError> {
    match (password_stdin, stdin_is_terminal, env_password) {
        (true, _, _) => Ok(PasswordSource::StdinLine),
        (false, _, true) => Ok(PasswordSource::Environment),
        (false, true, false) => Ok(PasswordSource::Prompt),
        (false, false, false) => Err(CliError::Usage(crate::fl!("cli-error-no-password-source"))),
    }
}

pub(super) async fn add(ctx: &Ctx, args: AccountAddArgs) -> Result<(), CliError> {
    let jid = user_jid(&args.jid, "account")?;
    if let Some(host) = &args.host
        && (host.trim().is_empty() || host.contains(char::is_whitespace))
    {
        return Err(CliError::Usage(crate::fl!("cli-error-host", host = host)));
    }
    if let Some(resource) = &args.resource
        && resource.trim().is_empty()
    {
        return Err(CliError::Usage(crate::fl!("cli-error-resource-empty")));
    }

    let source = password_source(
        args.password_stdin,
        std::io::stdin().is_terminal(),
        secrets::env_password().is_some(),
    )?;
    let password = match source {
        PasswordSource::StdinLine => Some(blocking(read_password_line).await?),
        PasswordSource::Prompt => {
            let prompt = format!("{} ", crate::fl!("cli-password-prompt", jid = jid.as_str()));
            Some(blocking(move || prompt_password(&prompt)).await?)
        }
        PasswordSource::Environment => None,
    };
    if let Some(password) = &password {
        secrets::store_password(&jid, password).await?;
    }

    let existing = ctx.store.account(&jid).await?;
    let updating = existing.is_some();
    let mut account = existing.unwrap_or_else(|| Account::new(jid.clone()));
    account.host = args.host.or(account.host);
    account.port = args.port.or(account.port);
    account.tls = args.tls.map_or(account.tls, Into::into);
    account.resource = args.resource.or(account.resource);
    // The store keeps exactly one default: the first account, or the last one saved with it.
    account.is_default = account.is_default || args.default;
    // Either flag changes it; neither keeps what the account had.
    account.allow_plain = (account.allow_plain || args.allow_plain) && !args.no_allow_plain;
    ctx.store.save_account(account.clone()).await?;
    let account = ctx.store.account(&jid).await?.unwrap_or(account);

    let keyring = password.is_some();
    ctx.print(
        || {
            json!({"ok": true, "account": json::account(&account), "updated": updating,
                  "password_in_keyring": keyring})
        },
        || {
            let note = if keyring {
                crate::fl!("cli-account-password-in-keyring")
            } else {
                crate::fl!("cli-account-password-from-env")
            };
            let line = if updating {
                crate::fl!("cli-account-updated", jid = jid.as_str(), note = note)
            } else {
                crate::fl!("cli-account-added", jid = jid.as_str(), note = note)
            };
            format!("{line}\n")
        },
    )
}

pub(super) async fn list(ctx: &Ctx) -> Result<(), CliError> {
    let accounts = ctx.store.accounts().await?;
    ctx.print(
        || accounts.iter().map(json::account).collect(),
        || {
            if accounts.is_empty() {
                return format!("{}\n", crate::fl!("cli-accounts-none"));
            }
            let mut rows = vec![vec![
                crate::fl!("cli-column-jid"),
                crate::fl!("cli-column-default"),
                crate::fl!("cli-column-server"),
                crate::fl!("cli-column-tls"),
                crate::fl!("cli-column-resource"),
            ]];
            rows.extend(accounts.iter().map(|a| {
                let dns = || crate::fl!("cli-account-server-dns");
                let server = match (&a.host, a.port) {
                    (Some(h), Some(p)) => format!("{h}:{p}"),
                    (Some(h), None) => h.clone(),
                    (None, Some(p)) => format!("{}:{p}", dns()),
                    (None, None) => dns(),
                };
                vec![
                    a.jid.to_string(),
                    if a.is_default {
                        crate::fl!("cli-account-default-yes")
                    } else {
                        String::new()
                    },
                    server,
                    a.tls.as_str().to_owned(),
                    a.resource.clone().unwrap_or_default(),
                ]
            }));
            text::table(&rows)
        },
    )
}

pub(super) async fn remove(ctx: &Ctx, jid: &str) -> Result<(), CliError> {
    let jid = user_jid(jid, "account")?;
    if !ctx.store.remove_account(&jid).await? {
        return Err(CliError::Usage(crate::fl!(
            "cli-error-remove-unknown-account",
            jid = jid.as_str()
        )));
    }
    // The account is gone either way. A keyring that is not running holds nothing to worry
    // about now; one that failed may still hold the password, which the person should know.
    let keyring = secrets::delete_password(&jid).await;
    // The FAST tokens (the window's, headless mode's, the commands') sign in like the
    // password: they go too. Nothing kept is no error, and what the person is told (and
    // `password_removed`) is about the password, as before.
    for role in crate::session::Role::ALL {
        if let Err(e) = secrets::delete_fast_token(&jid, role).await {
            tracing::debug!("a FAST token was not removed: {e}");
        }
    }
    if let Err(e @ secrets::SecretsError::Failed(_)) = &keyring {
        let warning = crate::fl!(
            "cli-account-removed-keyring-failed",
            jid = jid.as_str(),
            reason = e.to_string()
        );
        let _ = writeln!(std::io::stderr(), "natter: {warning}"); // i18n-ok: the program's name
    }
    ctx.print(
        || json!({"ok": true, "jid": jid, "password_removed": keyring.is_ok()}),
        || {
            format!(
                "{}\n",
                crate::fl!("cli-account-removed", jid = jid.as_str())
            )
        },
    )
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CliError> + Send + 'static,
) -> Result<T, CliError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| CliError::Failed(crate::fl!("cli-error-password-read-stopped")))?
}

/// One line of stdin, without its line ending.
fn read_password_line() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        CliError::Failed(crate::fl!(
            "cli-error-password-read",
            reason = e.to_string()
        ))
    })?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(CliError::Usage(crate::fl!("cli-error-password-empty")));
    }
    Ok(password)
}

/// Asks on the terminal with echo off (`stty -echo`), so the password is not shown.
fn prompt_password(prompt: &str) -> Result<String, CliError> {
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    let echo_off = EchoOff::new();
    let password = read_password_line();
    drop(echo_off);
    let _ = writeln!(stderr);
    password
}

/// Turns terminal echo off while it lives.
struct EchoOff {
    active: bool,
}

impl EchoOff {
    fn new() -> Self {
        EchoOff {
            active: stty("-echo"),
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if self.active {
            stty("echo");
        }
    }
}

fn stty(setting: &str) -> bool {
    Process::new("stty")
        .arg(setting)
        .stdin(Stdio::inherit())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_comes_from_the_flag_the_terminal_or_the_environment() {
        use PasswordSource::*;
        let cases = [
            ((true, false, false), Ok(StdinLine)),
            ((true, true, true), Ok(StdinLine)),
            ((false, true, false), Ok(Prompt)),
            ((false, false, true), Ok(Environment)),
            ((false, true, true), Ok(Environment)),
        ];
        for ((flag, terminal, env), expected) in cases {
            assert_eq!(password_source(flag, terminal, env), expected);
        }
        let missing = password_source(false, false, false);
        assert!(matches!(missing, Err(CliError::Usage(m)) if m.contains("--password-stdin")));
    }
}
