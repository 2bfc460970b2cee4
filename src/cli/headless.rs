//! `natter headless`: the session without a window. stdout carries one JSON object per line
//! with an `event` field (see [`event_json`]); stdin takes one JSON object per line with a `cmd`
//! field (see [`parse_request`]). A malformed line gets an `error` event and the session goes
//! on; end of stdin or `{"cmd":"quit"}` ends it.

use std::io::{BufRead as _, Read as _, Write as _};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::online::{no_password, refused};
use super::{CliError, Ctx};
use crate::cli::json::{error, event_json};
use crate::secrets;
use crate::session::{self, Command, Credentials, Event, SendError};

mod request;
pub use request::parse_request;

/// The longest stdin line taken; longer ones get an `error` event.
const MAX_LINE: u64 = 1024 * 1024;
/// How long to wait for the session to close after quit.
const CLOSE_WAIT: Duration = Duration::from_secs(3);
/// The `code` of an `error` event for a stdin line that could not be used.
const BAD_COMMAND: &str = "bad_command";

/// The `code` of an `error` event for a command the session did not take.
fn send_error_code(error: &SendError) -> &'static str {
    match error {
        SendError::Closed => "session_ended",
        SendError::Full => "session_busy",
    }
}

/// A line from stdin, or why it could not be read.
enum Line {
    Text(String),
    Bad(String),
}

/// Ctrl-C, or SIGTERM (a service manager stopping the script, `kill`): either ends the session
/// as the end of input does, with the goodbye to the server and the store closed and sealed,
/// so that the next start skips the damage check. Killed by SIGTERM instead, a session left a
/// store that the next start read in full (4.5 s at 1,000,000 messages on the benchmark
/// machine).
async fn stop_signal() {
    #[cfg(unix)]
    if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
    {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        return;
    }
    let _ = tokio::signal::ctrl_c().await;
}

pub(super) async fn run(ctx: &Ctx) -> Result<(), CliError> {
    let account = ctx.account().await?;
    let jid = account.jid.clone();
    let password = secrets::resolve_password(&jid)
        .await?
        .ok_or_else(|| no_password(&jid))?;
    let (handle, mut events) = session::spawn_as(
        Credentials { account, password },
        ctx.store.clone(),
        session::Role::Headless,
    );
    let mut lines = stdin_lines();
    let mut out = Out { gone: false };
    let mut quit_by: Option<Instant> = None;
    let mut refused_because: Option<String> = None;
    let stop = stop_signal();
    tokio::pin!(stop);

    loop {
        let close_deadline = quit_by.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        let mut quit = false;
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break };
                for line in event_json(&event) {
                    out.line(&line);
                }
                match event {
                    Event::AuthFailed { reason } => refused_because = Some(reason),
                    Event::Closed => break,
                    _ => {}
                }
            }
            line = lines.recv(), if quit_by.is_none() => match line {
                None => quit = true,
                Some(Line::Bad(message)) => out.line(&error(BAD_COMMAND, &message)),
                Some(Line::Text(text)) if text.trim().is_empty() => {}
                Some(Line::Text(text)) => match parse_request(&text) {
                    Ok(Command::Quit) => quit = true,
                    Ok(command) => {
                        if let Err(e) = handle.send_wait(command).await {
                            out.line(&error(send_error_code(&e), &e.to_string()));
                        }
                    }
                    Err(message) => out.line(&error(BAD_COMMAND, &message)),
                },
            },
            () = &mut stop, if quit_by.is_none() => quit = true,
            () = tokio::time::sleep_until(close_deadline), if quit_by.is_some() => break,
        }
        // A script that stopped reading our output is gone too.
        if (quit || out.gone) && quit_by.is_none() {
            let _ = handle.send_wait(Command::Quit).await;
            quit_by = Some(Instant::now() + CLOSE_WAIT);
        }
    }
    match refused_because {
        Some(reason) => Err(CliError::Failed(refused(&jid, &reason))),
        None if quit_by.is_none() => Err(CliError::Failed(crate::fl!(
            "cli-error-headless-ended",
            jid = jid.as_str()
        ))),
        None => Ok(()),
    }
}

/// stdout, one JSON object per line, flushed after each.
struct Out {
    gone: bool,
}

impl Out {
    fn line(&mut self, value: &Value) {
        if self.gone {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        let written = serde_json::to_writer(&mut stdout, value)
            .map_err(std::io::Error::from)
            .and_then(|()| stdout.write_all(b"\n"))
            .and_then(|()| stdout.flush());
        if let Err(e) = written {
            tracing::warn!(
                "{}",
                crate::fl!("log-headless-stdout-closed", reason = e.to_string())
            );
            self.gone = true;
        }
    }
}

/// Reads stdin on its own thread (a blocking read cannot be cancelled, and must not hold up the
/// runtime when the session ends first). The channel closes at end of input.
fn stdin_lines() -> mpsc::Receiver<Line> {
    let (tx, rx) = mpsc::channel(64);
    let spawned = std::thread::Builder::new()
        .name("natter-stdin".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut reader = stdin.lock();
            loop {
                let mut buf = Vec::new();
                let line = match (&mut reader).take(MAX_LINE + 1).read_until(b'\n', &mut buf) {
                    Ok(0) => return,
                    Ok(_) if buf.len() as u64 > MAX_LINE && buf.last() != Some(&b'\n') => {
                        if reader.skip_until(b'\n').is_err() {
                            return;
                        }
                        Line::Bad(crate::fl!("cli-headless-line-too-long"))
                    }
                    Ok(_) => match String::from_utf8(buf) {
                        Ok(text) => Line::Text(text),
                        Err(_) => Line::Bad(crate::fl!("cli-headless-line-not-utf8")),
                    },
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        let reason = e.to_string();
                        tracing::warn!(
                            "{}",
                            crate::fl!("log-headless-stdin-failed", reason = reason)
                        );
                        return;
                    }
                };
                if tx.blocking_send(line).is_err() {
                    return;
                }
            }
        });
    if let Err(e) = spawned {
        // Without a reader the channel is closed at once, which quits cleanly.
        tracing::warn!(
            "{}",
            crate::fl!("log-headless-no-stdin", reason = e.to_string())
        );
    }
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;
    use crate::model::{ChatState, Show};

    #[test]
    fn every_documented_command_parses() {
        let cases = [
            (
                r#"{"cmd":"send","to":"Bob@Example.org","body":"hi","id":"m1"}"#,
                Command::Send {
                    to: j("bob@example.org"),
                    body: "hi".into(),
                    id: "m1".into(),
                    reply_to: None,
                },
            ),
            (
                r#"{"cmd":"presence","show":"away","status":"lunch"}"#,
                Command::SetPresence {
                    show: Show::Away,
                    status: "lunch".into(),
                },
            ),
            (
                r#"{"cmd":"presence","show":"dnd"}"#,
                Command::SetPresence {
                    show: Show::Dnd,
                    status: String::new(),
                },
            ),
            (
                r#"{"cmd":"add","jid":"bob@example.org","name":"Bob","groups":["Friends","Friends"]}"#,
                Command::Add {
                    jid: j("bob@example.org"),
                    name: Some("Bob".into()),
                    groups: vec!["Friends".into()],
                    message: None,
                    share_presence: true,
                },
            ),
            (
                r#"{"cmd":"add","jid":"bob@example.org","name":null,"groups":null}"#,
                Command::Add {
                    jid: j("bob@example.org"),
                    name: None,
                    groups: vec![],
                    message: None,
                    share_presence: true,
                },
            ),
            (
                r#"{"cmd":"add","jid":"bob@example.org","share_presence":false}"#,
                Command::Add {
                    jid: j("bob@example.org"),
                    name: None,
                    groups: vec![],
                    message: None,
                    share_presence: false,
                },
            ),
            (
                r#"{"cmd":"remove","jid":"bob@example.org"}"#,
                Command::Remove {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"accept","jid":"bob@example.org"}"#,
                Command::Accept {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"deny","jid":"bob@example.org"}"#,
                Command::Deny {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"subscribe","jid":"bob@example.org"}"#,
                Command::Subscribe {
                    jid: j("bob@example.org"),
                    message: None,
                },
            ),
            (
                r#"{"cmd":"unsubscribe","jid":"bob@example.org"}"#,
                Command::Unsubscribe {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"revoke","jid":"bob@example.org"}"#,
                Command::Revoke {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"block","jid":"bob@example.org"}"#,
                Command::Block {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"retry","id":"m1"}"#,
                Command::Retry { id: "m1".into() },
            ),
            (
                r#"{"cmd":"chat_state","to":"bob@example.org","state":"composing"}"#,
                Command::ChatState {
                    to: j("bob@example.org"),
                    state: ChatState::Composing,
                },
            ),
            (
                r#"{"cmd":"last_activity","jid":"bob@example.org"}"#,
                Command::QueryLastActivity {
                    jid: j("bob@example.org"),
                },
            ),
            (
                r#"{"cmd":"fetch_older","peer":"bob@example.org"}"#,
                Command::FetchOlder {
                    peer: j("bob@example.org"),
                },
            ),
            (r#"{"cmd":"refresh_roster"}"#, Command::RefreshRoster),
            (r#"{"cmd":"quit"}"#, Command::Quit),
            (r#"  {"cmd":"quit","extra":1}  "#, Command::Quit),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_request(line), Ok(expected), "{line}");
        }
    }

    #[test]
    fn send_without_an_id_gets_a_fresh_one() {
        let first = parse_request(r#"{"cmd":"send","to":"bob@example.org","body":"a"}"#);
        let second = parse_request(r#"{"cmd":"send","to":"bob@example.org","body":"a"}"#);
        match (first, second) {
            (Ok(Command::Send { id: a, .. }), Ok(Command::Send { id: b, .. })) => {
                assert!(!a.is_empty());
                assert_ne!(a, b);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_reason_is_in_the_persons_language_and_the_command_stays_as_typed() {
        let line = r#"{"cmd":"presence","show":"sleeping"}"#;
        assert_eq!(
            parse_request(line),
            Err("presence: unknown show “sleeping”: use available, chat, away, xa or dnd".into())
        );
        assert_eq!(
            crate::i18n::testing::in_language("ru", || parse_request(line)),
            Err(
                "presence: неизвестное состояние «sleeping»: используйте available, chat, away, \
                 xa или dnd"
                    .into()
            )
        );
    }

    #[test]
    fn malformed_lines_are_errors_with_a_reason() {
        let cases = [
            ("not json", "malformed command"),
            ("[1,2]", "malformed command"),
            (r#"{"to":"bob@example.org"}"#, "cmd"),
            (r#"{"cmd":"fly"}"#, "fly"),
            (r#"{"cmd":"send","to":"bob@example.org"}"#, "body"),
            (
                r#"{"cmd":"send","to":"example.org","body":"x"}"#,
                "no user part",
            ),
            (
                r#"{"cmd":"send","to":"bob@example.org","body":""}"#,
                "empty",
            ),
            (
                r#"{"cmd":"send","to":"bob@example.org","body":"x","id":""}"#,
                "id",
            ),
            (r#"{"cmd":"send","to":5,"body":"x"}"#, "invalid type"),
            (r#"{"cmd":"presence","show":"sleeping"}"#, "sleeping"),
            (r#"{"cmd":"presence","show":"unavailable"}"#, "unavailable"),
            (
                r#"{"cmd":"accept","jid":"a@b@c"}"#,
                "not a valid XMPP address",
            ),
            (r#"{"cmd":"accept"}"#, "jid"),
            (
                r#"{"cmd":"add","jid":"bob@example.org","groups":[" "]}"#,
                "group",
            ),
            (
                r#"{"cmd":"revoke","jid":"bob@example.org/phone"}"#,
                "resource",
            ),
        ];
        for (line, needle) in cases {
            match parse_request(line) {
                Ok(command) => panic!("{line} parsed as {command:?}"),
                Err(message) => assert!(message.contains(needle), "{line}: {message}"),
            }
        }
    }
}
