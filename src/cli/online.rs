//! Going online for one command: start the session, wait for the first sign-in (failing at once
//! on the first failed attempt instead of waiting for retries), wait for outcomes, quit.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{CliError, Ctx, ErrorCode, Failure};
use crate::model::{Account, BareJid, Jid};
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
    /// The full address the server bound.
    pub jid: Jid,
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
pub(super) async fn connect(ctx: &Ctx) -> Result<Online, Failure> {
    let account = ctx.account().await.map_err(|e| match e {
        // The account lookup fails at run time only when the store does.
        CliError::Failed(_) => Failure::new(ErrorCode::Store, e),
        CliError::Usage(_) => Failure::new(ErrorCode::NoAccount, e),
    })?;
    let jid = account.jid.clone();
    let password = secrets::resolve_password(&jid)
        .await
        .map_err(|e| Failure::new(ErrorCode::Keyring, e.into()))?
        .ok_or_else(|| Failure::new(ErrorCode::NoPassword, no_password(&jid)))?;
    let deadline = Instant::now() + ctx.timeout;
    let (handle, events) = session::spawn_as(
        Credentials {
            account: account.clone(),
            password,
        },
        ctx.store.clone(),
        session::Role::Command,
    );
    let online = Online {
        handle,
        events,
        buffered: VecDeque::new(),
        account,
        jid: Jid::from(jid.clone()),
        elapsed_ms: 0,
        last_problem: None,
    };
    online.until_online(&jid, deadline, ctx.timeout).await
}

impl Online {
    /// Reads the session's events until it is online, or says why it never will be: the
    /// events before that are kept for whoever reads next.
    async fn until_online(
        mut self,
        me: &BareJid,
        deadline: Instant,
        timeout: std::time::Duration,
    ) -> Result<Online, Failure> {
        loop {
            let online = &mut self;
            let (code, failure) = match online.next_from_session(deadline).await {
                Next::Event(Event::Online {
                    jid, elapsed_ms, ..
                }) => {
                    online.jid = jid;
                    online.elapsed_ms = elapsed_ms;
                    return Ok(self);
                }
                Next::Event(Event::AuthFailed { reason }) => {
                    (ErrorCode::AuthFailed, refused(me, &reason))
                }
                Next::Event(Event::Offline { reason, .. }) => (
                    ErrorCode::ConnectFailed,
                    crate::fl!("cli-error-connect", jid = me.as_str(), reason = reason),
                ),
                Next::Event(Event::Closed) | Next::Ended => {
                    let why = online
                        .last_problem
                        .take()
                        .unwrap_or_else(|| crate::fl!("cli-no-reason"));
                    (
                        ErrorCode::SessionEnded,
                        crate::fl!(
                            "cli-error-ended-before-online",
                            jid = me.as_str(),
                            reason = why
                        ),
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
                Next::TimedOut => (
                    ErrorCode::Timeout,
                    crate::fl!(
                        "cli-error-sign-in-timeout",
                        seconds = timeout.as_secs(),
                        jid = me.as_str()
                    ),
                ),
            };
            self.close().await;
            return Err(Failure::new(code, CliError::Failed(failure)));
        }
    }
}

/// No password in the keyring nor in `NATTER_PASSWORD` (also for headless mode).
pub(super) fn no_password(jid: &BareJid) -> CliError {
    CliError::Failed(crate::fl!("cli-error-no-password", jid = jid.as_str()))
}

/// Signing in failed for good: the password was refused, the server offered less than
/// before or did not prove itself (also for headless mode).
pub(super) fn refused(jid: &BareJid, reason: &str) -> String {
    crate::fl!(
        "cli-error-sign-in-failed",
        jid = jid.as_str(),
        reason = reason
    )
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
    pub async fn send(&self, command: Command) -> Result<(), Failure> {
        self.handle.send_wait(command).await.map_err(|e| {
            let text = crate::fl!("cli-error-session-unreachable", reason = e.to_string());
            Failure::new(ErrorCode::SessionEnded, CliError::Failed(text))
        })
    }

    /// Waits until `pick` accepts an event, or `deadline` (`Ok(None)`). The session ending or
    /// refusing the password is an error; going offline is not (it reconnects by itself, and
    /// the deadline bounds the wait).
    pub async fn wait_for<T>(
        &mut self,
        deadline: Instant,
        mut pick: impl FnMut(&Event) -> Option<T>,
    ) -> Result<Option<T>, Failure> {
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
                    let text = refused(&self.account.jid, &reason);
                    return Err(Failure::new(ErrorCode::AuthFailed, CliError::Failed(text)));
                }
                Event::Closed => return Err(self.ended()),
                Event::Offline { reason, .. } => {
                    tracing::info!("offline: {reason}");
                    self.last_problem = Some(crate::fl!("cli-connection-lost", reason = reason));
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

    fn ended(&mut self) -> Failure {
        let why = self
            .last_problem
            .take()
            .unwrap_or_else(|| crate::fl!("cli-no-reason"));
        let text = crate::fl!("cli-error-session-ended", reason = why);
        Failure::new(ErrorCode::SessionEnded, CliError::Failed(text))
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
