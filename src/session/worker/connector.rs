//! Getting a connection for the stanza stream: the reconnector tokio-xmpp calls, and the
//! reports it sends the worker.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, mpsc, oneshot};
use tokio_xmpp::stanzastream::Connection;

use crate::model::Show;
use crate::session::connect::{self, Reconnect, Watch};
use crate::session::core::Report;
use crate::session::{Credentials, translate};

/// The show and status a login announces: the person may change them while offline, and
/// the connector writes them into each connection (`Connection::initial_presence`).
#[derive(Debug, Clone)]
pub(super) struct NextPresence(Arc<Mutex<(Show, String)>>);

impl NextPresence {
    pub(super) fn new(show: Show, status: &str) -> Self {
        Self(Arc::new(Mutex::new((show, status.to_owned()))))
    }

    pub(super) fn set(&self, show: Show, status: &str) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = (show, status.to_owned());
    }

    /// The initial presence: without capabilities, which the rest of the login sends.
    fn stanza(&self) -> tokio_xmpp::Stanza {
        let (show, status) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        translate::initial_presence(show, &status)
    }
}

/// The reconnector handed to the stanza stream: each call makes one connection, after the
/// pause the policy gives and retrying with backoff, and stops for good on failures that need
/// the person (a wrong password; a server that ended the session with conflict or
/// policy-violation). The stream's first connection has nothing to resume, so its resource
/// binding goes out without waiting for the features; later ones may resume.
pub(super) fn connector(
    creds: Credentials,
    reports: mpsc::UnboundedSender<Report>,
    retry: Arc<Notify>,
    watch: Watch,
    policy: Arc<Mutex<Reconnect>>,
    presence: NextPresence,
) -> Box<dyn FnMut(Option<String>, oneshot::Sender<Connection>) + Send + 'static> {
    let mut binding = connect::Binding::Ahead;
    Box::new(move |_preferred, slot: oneshot::Sender<Connection>| {
        let this_time = std::mem::replace(&mut binding, connect::Binding::OnFeatures);
        let creds = creds.clone();
        let reports = reports.clone();
        let retry = retry.clone();
        let watch = watch.clone();
        let policy = policy.clone();
        let presence = presence.clone();
        tokio::spawn(async move {
            let mut delay = with(&policy, |p| p.start(Instant::now()));
            loop {
                if !delay.is_zero() {
                    let _ = reports.send(Report::Waiting(delay));
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = retry.notified() => {}
                    }
                }
                if slot.is_closed() {
                    return;
                }
                if watch.stopped() {
                    // The server said not to come back; the session is ending already.
                    return keep_until_closed(slot).await;
                }
                let _ = reports.send(Report::Attempt);
                match connect::login(&creds.account, &creds.password, &watch, this_time).await {
                    Ok(mut conn) => {
                        // Written after a fresh bind, before stream management is enabled
                        // (vendor/tokio-xmpp): the server handles it and answers it before it
                        // starts keeping copies of what it sends us, which made contacts see
                        // us 0.3 s later with 2,000 of them (README, Performance).
                        conn.initial_presence = Some(presence.stanza());
                        with(&policy, |p| p.connected(Instant::now()));
                        let _ = reports.send(Report::Connected);
                        let _ = slot.send(conn);
                        return;
                    }
                    Err(e) if e.is_fatal() => {
                        // No retry loop on a wrong password: the session ends.
                        let _ = reports.send(Report::Fatal(e));
                        return keep_until_closed(slot).await;
                    }
                    Err(e) => {
                        let wait = with(&policy, |p| p.failed());
                        tracing::info!("connection attempt failed: {e}; retrying in {wait:?}");
                        let _ = reports.send(Report::Failed(e, wait));
                        tokio::select! {
                            _ = tokio::time::sleep(wait) => {}
                            _ = retry.notified() => {}
                        }
                        delay = Duration::ZERO;
                    }
                }
            }
        });
    })
}

fn with<R>(policy: &Mutex<Reconnect>, f: impl FnOnce(&mut Reconnect) -> R) -> R {
    f(&mut policy.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Holds a connection slot that will never be filled until the stream goes away: tokio-xmpp
/// treats a dropped slot as a crash of its backend (it panics).
async fn keep_until_closed(mut slot: oneshot::Sender<Connection>) {
    tokio::select! {
        _ = slot.closed() => {}
        _ = tokio::time::sleep(Duration::from_secs(60)) => std::mem::forget(slot),
    }
}
