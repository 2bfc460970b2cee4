//! Going online for one command: start the session, wait for the first sign-in (failing at once
//! on the first failed attempt instead of waiting for retries), wait for outcomes, quit.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{CliError, Ctx};
use crate::model::Account;
use crate::secrets;
use crate::session::{self, Command, Credentials, Event, Handle};

/// How long to wait for the session to close after `Quit`.
const CLOSE_WAIT: Duration = Duration::from_secs(3);

/// A signed-in session for the length of one command.
pub(super) struct Online {
    handle: Handle,
    events: mpsc::Receiver<Event>,
    /// Events that arrived while waiting for something else, oldest first.
    buffered: VecDeque<Event>,
    /// The account.
    pub account: Account,
    /// The full JID the server bound.
    pub jid: String,
    /// Milliseconds to online.
    pub elapsed_ms: u64,
    /// The last problem the session reported, for a better timeout message.
    last_problem: Option<String>,
}

enum Next {
    Event(Event),
    TimedOut,
    Ended,
}

/// Signs in with the command's account, or explains why not.
pub(super) async fn connect(ctx: &Ctx) -> Result<Online, CliError> {
    let account = ctx.account().await?;
    let jid = account.jid.clone();
    let password = secrets::resolve_password(&jid).await?.ok_or_else(|| {
        CliError::Failed(format!(
            "no password for {jid}: store one with `natter account add {jid}` or set NATTER_PASSWORD"
        ))
    })?;
    let deadline = Instant::now() + ctx.timeout;
    let (handle, events) = session::spawn(
        Credentials {
            account: account.clone(),
            password,
        },
        ctx.store.clone(),
    );
    let mut online = Online {
        handle,
        events,
        buffered: VecDeque::new(),
        account,
        jid: String::new(),
        elapsed_ms: 0,
        last_problem: None,
    };
    loop {
        let failure = match online.next_from_session(deadline).await {
            Next::Event(Event::Online {
                jid, elapsed_ms, ..
            }) => {
                online.jid = jid;
                online.elapsed_ms = elapsed_ms;
                return Ok(online);
            }
            Next::Event(Event::AuthFailed { reason }) => {
                format!(
                    "the server refused the password of {}: {reason}",
                    online.account.jid
                )
            }
            Next::Event(Event::Offline { reason, .. }) => {
                format!("could not connect {}: {reason}", online.account.jid)
            }
            Next::Event(Event::Closed) | Next::Ended => {
                let why = online
                    .last_problem
                    .take()
                    .unwrap_or_else(|| "no reason given".into());
                format!(
                    "the session of {} ended before it was online: {why}",
                    online.account.jid
                )
            }
            Next::Event(Event::Connecting) => continue,
            Next::Event(Event::Error { message }) => {
                tracing::warn!("{message}");
                online.last_problem = Some(message);
                continue;
            }
            Next::Event(other) => {
                online.buffered.push_back(other);
                continue;
            }
            Next::TimedOut => format!(
                "timed out after {} s waiting to sign in to {}",
                ctx.timeout.as_secs(),
                online.account.jid
            ),
        };
        online.close().await;
        return Err(CliError::Failed(failure));
    }
}

impl Online {
    async fn next_from_session(&mut self, deadline: Instant) -> Next {
        match tokio::time::timeout_at(deadline, self.events.recv()).await {
            Ok(Some(event)) => Next::Event(event),
            Ok(None) => Next::Ended,
            Err(_) => Next::TimedOut,
        }
    }

    async fn next(&mut self, deadline: Instant) -> Next {
        match self.buffered.pop_front() {
            Some(event) => Next::Event(event),
            None => self.next_from_session(deadline).await,
        }
    }

    /// Sends a command to the session.
    pub async fn send(&self, command: Command) -> Result<(), CliError> {
        self.handle
            .send_wait(command)
            .await
            .map_err(|e| CliError::Failed(format!("could not reach the session: {e}")))
    }

    /// Waits until `pick` accepts an event, or `deadline` (`Ok(None)`). The session ending or
    /// refusing the password is an error; going offline is not (it reconnects by itself, and
    /// the deadline bounds the wait).
    pub async fn wait_for<T>(
        &mut self,
        deadline: Instant,
        mut pick: impl FnMut(&Event) -> Option<T>,
    ) -> Result<Option<T>, CliError> {
        loop {
            let event = match self.next(deadline).await {
                Next::Event(event) => event,
                Next::TimedOut => return Ok(None),
                Next::Ended => return Err(self.ended()),
            };
            if let Some(found) = pick(&event) {
                return Ok(Some(found));
            }
            match event {
                Event::AuthFailed { reason } => {
                    return Err(CliError::Failed(format!(
                        "the server refused the password of {}: {reason}",
                        self.account.jid
                    )));
                }
                Event::Closed => return Err(self.ended()),
                Event::Offline { reason, .. } => {
                    tracing::info!("offline: {reason}");
                    self.last_problem = Some(format!("the connection was lost: {reason}"));
                }
                Event::Error { message } => {
                    tracing::warn!("{message}");
                    self.last_problem = Some(message);
                }
                _ => {}
            }
        }
    }

    /// The last problem the session reported, if any.
    pub fn last_problem(&self) -> Option<&str> {
        self.last_problem.as_deref()
    }

    fn ended(&mut self) -> CliError {
        let why = self
            .last_problem
            .take()
            .unwrap_or_else(|| "no reason given".into());
        CliError::Failed(format!("the session ended unexpectedly: {why}"))
    }

    /// Quits the session and waits (briefly) for it to close, so what it stored is complete.
    pub async fn close(mut self) {
        if tokio::time::timeout(CLOSE_WAIT, self.handle.send_wait(Command::Quit))
            .await
            .is_err()
        {
            return;
        }
        let deadline = Instant::now() + CLOSE_WAIT;
        loop {
            match self.next_from_session(deadline).await {
                Next::Event(Event::Closed) | Next::Ended | Next::TimedOut => return,
                Next::Event(_) => {}
            }
        }
    }
}
