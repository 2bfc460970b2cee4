//! The select loop of a session: the connector's reports and incidents, the server's stanza
//! stream, the commands, the delivery tokens, the disco#info answers, the rest of a login and
//! a five-second tick, with the first ready in that order. Each becomes one [`Input`] for the
//! core. Last, the quiet after a big batch of stanzas, which gives memory back.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::{Notify, mpsc};
use tokio_xmpp::stanzastream::StanzaStream;

use super::connector::{NextPresence, connector};
use super::{Flow, Shell, Stream};
use crate::session::core::{Core, Ids, Input, Now, Report};
use crate::session::{Command, Credentials, Event, connect};
use crate::store::Store;

/// Runs one session until `Quit`, an authentication failure, or its owner goes away.
pub async fn run(
    creds: Credentials,
    store: Store,
    role: crate::session::Role,
    commands: mpsc::Receiver<Command>,
    events: mpsc::Sender<Event>,
) {
    let me = creds.account.jid.clone();
    if let Err(e) = connect::login_jid(&creds.account) {
        return unusable(&events, e.to_string()).await;
    }
    let (report_tx, reports) = mpsc::unbounded_channel();
    let (incident_tx, incidents) = mpsc::unbounded_channel();
    let watch = connect::Watch::new(incident_tx)
        .remembering(store.clone())
        .keeping_tokens(role);
    let retry = Arc::new(Notify::new());
    // One policy for every connection of the session, across replaced streams too.
    let policy = Arc::new(std::sync::Mutex::new(connect::Reconnect::default()));
    let next_presence = NextPresence::new(creds.account.last_show, &creds.account.last_status);
    let new_stream = {
        let (creds, retry, next_presence) = (creds.clone(), retry.clone(), next_presence.clone());
        move || {
            let connector = connector(
                creds.clone(),
                report_tx.clone(),
                retry.clone(),
                watch.clone(),
                policy.clone(),
                next_presence.clone(),
            );
            StanzaStream::new(connector, 256).ready_chunks(512)
        }
    };
    let mut stream = new_stream();
    let roster = store
        .roster(&me)
        .await
        .map(|(_, items)| items)
        .unwrap_or_default();
    let mut core = Core::new(
        creds.account.clone(),
        me.clone(),
        roster,
        Ids::Random,
        Now::current(),
    );
    let mut shell = Shell {
        io: super::store_io::StoreIo { store, me },
        events,
        commit: None,
        inflight: HashMap::new(),
        tokens: FuturesUnordered::new(),
        replies: FuturesUnordered::new(),
        login_wait: None,
        next_presence,
        retry,
        new_stream: Box::new(new_stream),
        settle: Default::default(),
    };
    let mut sources = Sources {
        reports,
        incidents,
        commands,
        tick: tokio::time::interval(Duration::from_secs(5)),
    };
    let flow = loop {
        let input = sources.next(&mut stream, &mut shell).await;
        match shell.feed(&mut core, &mut stream, input).await {
            Flow::Continue => {}
            flow => break flow,
        }
    };
    if let Flow::Close { goodbye } = flow {
        Shell::close(stream, goodbye).await;
    }
    shell.emit(Event::Closed).await;
}

/// Where the session's inputs come from, besides the stream and the shell's own futures.
struct Sources {
    reports: mpsc::UnboundedReceiver<Report>,
    incidents: mpsc::UnboundedReceiver<connect::Incident>,
    commands: mpsc::Receiver<Command>,
    tick: tokio::time::Interval,
}

impl Sources {
    /// The next input, the first ready in the order of the branches. A big batch of stanzas
    /// read and then a quiet moment give their memory back on the way (`settle.rs`).
    async fn next(&mut self, stream: &mut Stream, shell: &mut Shell) -> Input {
        loop {
            if let Some(input) = self.first(stream, shell).await {
                return input;
            }
            crate::memory::release_free();
        }
    }

    /// The first ready input, or `None` when what was ready was the quiet after a big batch.
    async fn first(&mut self, stream: &mut Stream, shell: &mut Shell) -> Option<Input> {
        let input = tokio::select! {
            biased;
            Some(report) = self.reports.recv() => Input::Report(report),
            Some(incident) = self.incidents.recv() => Input::Incident(incident),
            // A finished commit first: its receipts go out and the next group can start.
            Some(stored) = futures::future::OptionFuture::from(shell.commit.as_mut()),
                if shell.commit.is_some() => {
                shell.commit = None;
                Input::Stored(stored)
            }
            chunk = stream.next() => match chunk {
                Some(items) => Input::Chunk(items),
                None => Input::StreamEnded,
            },
            cmd = self.commands.recv() => Input::Command(cmd.unwrap_or(Command::Quit)),
            Some((id, state, token)) = shell.tokens.next(), if !shell.tokens.is_empty() => {
                shell.on_token(&id, state, token);
                Input::Token { id, reached: state }
            }
            Some(()) = shell.replies.next(), if !shell.replies.is_empty() => Input::ReplyDone,
            Some(()) = futures::future::OptionFuture::from(shell.login_wait.as_mut()),
                if shell.login_wait.is_some() => {
                shell.login_wait = None;
                Input::LoginPresenceHandled
            }
            _ = self.tick.tick() => Input::Tick,
            () = shell.settle.settled(), if shell.settle.armed() => return None,
        };
        Some(input)
    }
}

/// The account cannot sign in as it is (its address): the person is asked to fix it, and the
/// session ends.
async fn unusable(events: &mpsc::Sender<Event>, reason: String) {
    let _ = events.send(Event::AuthFailed { reason }).await;
    let _ = events.send(Event::Closed).await;
}
