//! Where the connection stands ([`Link`]), what the connector and the wire guard report, and
//! the commands that wait for a login or end the session.

use std::time::Duration;

use tokio_xmpp::jid::Jid;

use super::{Core, Effect, Work};
use crate::session::connect::{ConnectError, Incident};
use crate::session::{Command, Event};

/// The stream as the session sees it.
#[derive(Debug, Default)]
pub(super) enum Link {
    /// Not bound on the current stream yet (or the stream was replaced).
    #[default]
    Connecting,
    /// Bound afresh; the rest of the login, and the commands that came meanwhile, wait until
    /// the initial presence has been handled.
    SigningIn {
        /// The stream's binding.
        bound: Bound,
        /// Commands that came while the login waited, in order.
        deferred: Vec<Command>,
    },
    /// Signed in.
    Online(Bound),
    /// The connection dropped; the stream may resume the same session.
    Suspended(Bound),
    /// The session is ending: nothing more is handled.
    Closing,
}

/// A stream's binding and what was negotiated on it.
#[derive(Debug, Clone)]
pub(super) struct Bound {
    /// The full address the server bound.
    pub jid: Jid,
    /// Carbons were enabled on this stream.
    pub carbons: bool,
}

impl Link {
    /// Bound and connected (signing in or online).
    pub fn online(&self) -> bool {
        matches!(self, Link::SigningIn { .. } | Link::Online(_))
    }

    pub fn carbons(&self) -> bool {
        self.bound().is_some_and(|b| b.carbons)
    }

    pub fn bound(&self) -> Option<&Bound> {
        match self {
            Link::SigningIn { bound, .. } | Link::Online(bound) | Link::Suspended(bound) => {
                Some(bound)
            }
            Link::Connecting | Link::Closing => None,
        }
    }

    pub fn set_carbons(&mut self, on: bool) {
        if let Link::SigningIn { bound, .. } | Link::Online(bound) | Link::Suspended(bound) = self {
            bound.carbons = on;
        }
    }

    /// The commands deferred by a login that waited, leaving it.
    fn take_deferred(&mut self) -> Vec<Command> {
        match self {
            Link::SigningIn { deferred, .. } => std::mem::take(deferred),
            _ => Vec::new(),
        }
    }

    /// Leaves the signing-in state for online, with the commands that waited.
    pub fn signed_in(&mut self) -> Vec<Command> {
        let deferred = self.take_deferred();
        if let Link::SigningIn { bound, .. } = self {
            *self = Link::Online(bound.clone());
        }
        deferred
    }

    /// The connection dropped.
    pub fn suspend(&mut self) {
        if let Link::SigningIn { bound, .. } | Link::Online(bound) = self {
            *self = Link::Suspended(bound.clone());
        }
    }
}

/// Why the connection dropped, as the person is told.
#[derive(Debug, Default)]
pub(super) struct Drops {
    /// Why the connection is about to drop, when the wire guard or the server said so.
    pub about_to: Option<String>,
    /// Why the connection was lost, for the reconnect countdown.
    pub reason: String,
    /// A reconnect pause reported before the stream said it was suspended.
    pub pending_wait: Option<Duration>,
}

/// What the connector (running beside the stream) reports.
#[derive(Debug)]
pub enum Report {
    /// The connection is asked for again; the first attempt comes after this pause.
    Waiting(Duration),
    /// An attempt starts.
    Attempt,
    /// A signed-in connection was handed to the stream, which now resumes or binds on it.
    Connected,
    /// An attempt failed; the next comes after the pause.
    Failed(ConnectError, Duration),
    /// An attempt failed in a way only the person can fix.
    Fatal(ConnectError),
}

/// After this many signed-in connections in a row that the stream did not get online on, it
/// is replaced by a new one.
const STUCK_AFTER: u32 = 3;

/// Counts the signed-in connections handed to the stream since it last got online (bound or
/// resumed), to notice a stream that can never get online again.
#[derive(Debug, Default)]
pub struct Handovers(u32);

impl Handovers {
    /// A connection was handed over; true when the stream is stuck and must be replaced (the
    /// count starts again).
    pub fn connected(&mut self) -> bool {
        self.0 += 1;
        if self.0 >= STUCK_AFTER {
            self.0 = 0;
            return true;
        }
        false
    }

    /// The stream bound or resumed on its connection.
    pub fn online(&mut self) {
        self.0 = 0;
    }
}

/// What the person is told when the session stops: a refused password asks for it again.
pub fn stopped(e: ConnectError) -> Event {
    let reason = e.to_string();
    if matches!(e, ConnectError::Auth(_)) {
        Event::AuthFailed { reason }
    } else {
        Event::Offline {
            reason,
            retry_in: None,
        }
    }
}

impl Core {
    pub(super) fn on_report(&mut self, report: Report) {
        match report {
            Report::Attempt => {
                self.attempt_started = self.now.at;
                self.emit(Event::Connecting);
            }
            Report::Connected if self.handovers.connected() => self.replace_stream(),
            Report::Connected => {}
            Report::Failed(e, delay) => self.emit(Event::Offline {
                reason: e.to_string(),
                retry_in: Some(delay),
            }),
            Report::Waiting(delay) => self.waiting(delay),
            Report::Fatal(e) => {
                self.emit(stopped(e));
                self.end();
            }
        }
    }

    /// Sign-in works but the stream never gets going on it (a server that answers every
    /// resumption or bind with something the stream cannot use; tokio-xmpp then reconnects at
    /// once, forever). A new stream binds afresh; the outbox and the archive catch-up make up
    /// for what the old one held. What waited for that login is handled now, offline:
    /// messages stay in the outbox for the next one.
    fn replace_stream(&mut self) {
        tracing::warn!("the stream cannot be resumed or bound; starting afresh");
        self.out.push(Effect::ReplaceStream);
        let deferred = self.link.take_deferred();
        self.link = Link::Connecting;
        self.then(deferred.into_iter().map(Work::Command));
    }

    pub(super) fn on_incident(&mut self, incident: Incident) {
        match incident {
            // The server ended the session for good (conflict, policy-violation): the
            // connector does not sign in again, and the person is told why.
            Incident::Ended(e) if e.is_fatal() => {
                self.emit(stopped(e));
                self.end();
            }
            Incident::Ended(e) => self.drops.about_to = Some(e.to_string()),
            Incident::Refused(refusal) => {
                tracing::warn!("{refusal}");
                self.drops.about_to = Some(refusal.to_string());
            }
        }
    }

    /// The connector pauses before signing in again: say when.
    fn waiting(&mut self, delay: Duration) {
        if self.link.online() {
            // The stream has not said it lost the connection yet: it will.
            self.drops.pending_wait = Some(delay);
            return;
        }
        self.emit(Event::Offline {
            reason: self.drops.reason.clone(),
            retry_in: Some(delay),
        });
    }

    /// A command from the owner: done now, or after the login when one waits; a quit first
    /// does what was asked before it.
    pub(super) fn on_command_input(&mut self, cmd: Command) {
        match cmd {
            Command::Quit => {
                let deferred = self.link.take_deferred();
                self.agenda.extend(deferred.into_iter().map(Work::Command));
                self.agenda.push_back(Work::Quit);
            }
            Command::RetryNow => self.out.push(Effect::RetryNow),
            // They go out behind the rest of the login (the roster request first: the server
            // sends roster pushes only to a resource that asked for the roster).
            cmd => match &mut self.link {
                Link::SigningIn { deferred, .. } => deferred.push(cmd),
                _ => self.agenda.push_back(Work::Command(cmd)),
            },
        }
    }

    /// Unavailable presence when online, then a clean close; the session ends.
    pub(super) fn quit(&mut self) {
        let goodbye = self.link.online();
        self.out.push(Effect::Close { goodbye });
        self.link = Link::Closing;
        self.agenda.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_that_never_gets_online_on_its_connections_is_replaced() {
        let mut h = Handovers::default();
        // Each reconnect is resumed or bound: never stuck.
        for _ in 0..10 {
            assert!(!h.connected());
            h.online();
        }
        // Sign-ins succeed but negotiation fails (the <failed/> tokio-xmpp cannot read).
        assert!(!h.connected());
        assert!(!h.connected());
        assert!(h.connected(), "the third in a row replaces the stream");
        assert!(!h.connected(), "and the count starts again");
    }
}
