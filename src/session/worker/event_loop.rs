//! The select loop of a session: the connector's reports and incidents, the server's stanza
//! stream, the commands, the delivery tokens, the disco#info answers, the rest of a login and
//! a five-second tick, with the first ready in that order.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::{Notify, mpsc};
use tokio_xmpp::stanzastream::{self, StanzaStream, StreamEvent};

use super::connector::{Handovers, NextPresence, Report, connector, stopped};
use super::{ServerFeatures, Worker, replies};
use crate::model;
use crate::session::sync::Timeline;
use crate::session::{Command, Credentials, Event, connect};
use crate::store::Store;

/// Runs one session until `Quit`, an authentication failure, or its owner goes away.
pub async fn run(
    creds: Credentials,
    store: Store,
    mut commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<Event>,
) {
    let me = match model::bare_jid(&creds.account.jid) {
        Ok(j) => j,
        Err(e) => return unusable(&events, e.to_string()).await,
    };
    if let Err(e) = connect::login_jid(&creds.account) {
        return unusable(&events, e.to_string()).await;
    }
    let (report_tx, mut reports) = mpsc::unbounded_channel();
    let (incident_tx, mut incidents) = mpsc::unbounded_channel();
    let watch = connect::Watch::new(incident_tx).remembering(store.clone());
    let retry = Arc::new(Notify::new());
    // One policy for every connection of the session, across replaced streams too.
    let policy = Arc::new(std::sync::Mutex::new(connect::Reconnect::default()));
    let next_presence = NextPresence::new(creds.account.last_show, &creds.account.last_status);
    let new_stream = || {
        let connector = connector(
            creds.clone(),
            report_tx.clone(),
            retry.clone(),
            watch.clone(),
            policy.clone(),
            next_presence.clone(),
        );
        StanzaStream::new(connector, 256).ready_chunks(512)
    };
    let mut stream = new_stream();
    let mut handovers = Handovers::default();
    let roster = match store.roster(&me.to_string()).await {
        Ok((_, items)) => items.into_iter().map(|i| (i.jid.clone(), i)).collect(),
        Err(_) => HashMap::new(),
    };
    let mut w = Worker {
        account: creds.account.clone(),
        me,
        store,
        events,
        bound: None,
        online: false,
        carbons: false,
        features: ServerFeatures::default(),
        disco_waiting: 0,
        pending: HashMap::new(),
        catchup: None,
        early_presence: None,
        roster,
        inflight: HashMap::new(),
        tokens: FuturesUnordered::new(),
        attempt_started: Instant::now(),
        batch: Vec::new(),
        held: Vec::new(),
        gap: false,
        timeline: Timeline::default(),
        answered: HashMap::new(),
        drop_reason: None,
        offline_reason: String::new(),
        pending_wait: None,
        replies: replies::Replies::default(),
        login_wait: None,
        deferred: Vec::new(),
        archive_query: None,
        next_presence: next_presence.clone(),
    };
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            biased;
            r = reports.recv() => match r {
                Some(Report::Attempt) => {
                    w.attempt_started = Instant::now();
                    w.emit(Event::Connecting).await;
                }
                Some(Report::Connected) if handovers.connected() => {
                    // Sign-in works but the stream never gets going on it (a server that
                    // answers every resumption or bind with something the stream cannot
                    // use; tokio-xmpp then reconnects at once, forever). A new stream binds
                    // afresh; the outbox and the archive catch-up make up for what the old
                    // one held.
                    tracing::warn!("the stream cannot be resumed or bound; starting afresh");
                    stream = new_stream();
                    w.online = false;
                    w.inflight.clear();
                    w.login_wait = None;
                    // What waited for that login is handled now, offline: messages stay in
                    // the outbox for the next one.
                    w.run_deferred(stream.get_ref()).await;
                }
                Some(Report::Connected) => {}
                Some(Report::Failed(e, delay)) => {
                    w.emit(Event::Offline { reason: e.to_string(), retry_in: Some(delay) }).await;
                }
                Some(Report::Waiting(delay)) => w.waiting(delay).await,
                Some(Report::Fatal(e)) => {
                    w.emit(stopped(e)).await;
                    break;
                }
                None => {}
            },
            Some(incident) = incidents.recv() => match incident {
                // The server ended the session for good (conflict, policy-violation): the
                // connector does not sign in again, and the person is told why.
                connect::Incident::Ended(e) if e.is_fatal() => {
                    w.emit(stopped(e)).await;
                    break;
                }
                connect::Incident::Ended(e) => w.drop_reason = Some(e.to_string()),
                connect::Incident::Refused(refusal) => {
                    tracing::warn!("{refusal}");
                    w.drop_reason = Some(refusal.to_string());
                }
            },
            chunk = stream.next() => match chunk {
                Some(items) => {
                    if items.iter().any(|i| matches!(i, stanzastream::Event::Stream(
                        StreamEvent::Reset { .. } | StreamEvent::Resumed))) {
                        handovers.online();
                    }
                    w.on_chunk(stream.get_ref(), items).await
                }
                None => {
                    w.emit(Event::Offline { reason: crate::fl!("session-offline-ended"), retry_in: None }).await;
                    break;
                }
            },
            cmd = commands.recv() => match cmd {
                Some(Command::Quit) | None => {
                    // What was asked before the quit still goes out, before the goodbye.
                    w.run_deferred(stream.get_ref()).await;
                    w.quit(stream).await;
                    let _ = w.events.send(Event::Closed).await;
                    return;
                }
                Some(Command::RetryNow) => retry.notify_one(),
                // They go out behind the rest of the login (the roster request first: the
                // server sends roster pushes only to a resource that asked for the roster).
                Some(cmd) if w.login_wait.is_some() => w.deferred.push(cmd),
                Some(cmd) => w.on_command(stream.get_ref(), cmd).await,
            },
            Some((id, state, token)) = w.tokens.next(), if !w.tokens.is_empty() => {
                w.on_token(id, state, token).await;
            }
            Some(()) = w.replies.in_flight().next(), if !w.replies.in_flight().is_empty() => {
                w.answer_queries(stream.get_ref()).await;
            }
            Some(()) = futures::future::OptionFuture::from(w.login_wait.as_mut()),
                if w.login_wait.is_some() => {
                w.login_wait = None;
                w.login_rest(stream.get_ref()).await;
                w.run_deferred(stream.get_ref()).await;
            }
            _ = tick.tick() => {
                w.expire_iqs(stream.get_ref()).await;
                w.retry_gap(stream.get_ref()).await;
            }
        }
    }
    let _ = w.events.send(Event::Closed).await;
}

/// The account cannot sign in as it is (its address): the person is asked to fix it, and the
/// session ends.
async fn unusable(events: &mpsc::Sender<Event>, reason: String) {
    let _ = events.send(Event::AuthFailed { reason }).await;
    let _ = events.send(Event::Closed).await;
}
