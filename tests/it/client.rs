//! Drives the real session in-process against a test server, the way the window does.

use crate::j;
use std::path::PathBuf;
use std::time::Duration;

use natter::model::Account;
use natter::session::{self, Command, Credentials, Event, Handle};
use natter::store::Store;
use tokio::sync::mpsc;

use crate::support::Server;

/// How long a test waits for one expected event before failing.
pub const WAIT: Duration = Duration::from_secs(20);

/// One account of the test server with its own store, like one device.
pub struct Client {
    pub jid: String,
    pub store: Store,
    pub db: PathBuf,
    pub handle: Handle,
    pub events: mpsc::Receiver<Event>,
    /// Every event seen, for failure messages.
    pub seen: Vec<Event>,
    _dir: Option<tempfile::TempDir>,
}

/// The account settings that reach the test server, trusting its CA.
pub fn account(server: &Server, jid: &str, resource: Option<&str>) -> Account {
    let pem = std::fs::read(server.ca_file()).expect("the harness wrote its CA");
    // Leniently: some tests sign in as an address Natter must refuse (no user part).
    let mut account = Account::new(natter::model::BareJid::new(jid).expect("an address"));
    account.host = Some("127.0.0.1".into());
    account.port = Some(server.port());
    account.pinned_cert = session::parse_certificate(&pem);
    account.resource = resource.map(str::to_owned);
    account.connect_timeout_secs = 10;
    account
}

/// Makes the session of `handle` stop reading the stream, as it does while its store is slow:
/// its owner stops reading `events`, and messages it cannot send (an empty body: an error event
/// each, nothing stored or sent) fill the event queue until the session waits to tell the next
/// one, with more of them behind. Reading `events` again lets it go on.
pub async fn stall(handle: &Handle, events: &mpsc::Receiver<Event>) {
    let unsendable = || Command::Send {
        to: crate::j("nobody@localhost"),
        body: " ".into(),
        id: session::new_id(),
        reply_to: None,
    };
    let full = events.max_capacity();
    let deadline = tokio::time::Instant::now() + WAIT;
    while events.len() < full {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the session did not stall: {} events waiting",
            events.len()
        );
        for _ in 0..64 {
            let _ = handle.send(unsendable());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The queue may have filled with the last command: a few more keep the session waiting
    // to tell one, rather than idle and reading.
    for _ in 0..8 {
        let _ = handle.send(unsendable());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
}

impl Client {
    /// A fresh device for `jid`, signed in (waits for `Online`).
    pub async fn online(server: &Server, jid: &str, password: &str, resource: &str) -> Client {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("natter.sqlite3");
        let mut c = Client::start_with(server, jid, password, resource, db).await;
        c._dir = Some(dir);
        c.wait("online", |e| matches!(e, Event::Online { .. }))
            .await;
        c
    }

    /// Starts a session on an existing store file (a restarted device).
    pub async fn start_with(
        server: &Server,
        jid: &str,
        password: &str,
        resource: &str,
        db: PathBuf,
    ) -> Client {
        Client::start_via(server, jid, password, resource, db, server.port()).await
    }

    /// Like `start_with`, but connecting to `port` on 127.0.0.1: a proxy in front of the
    /// server.
    pub async fn start_via(
        server: &Server,
        jid: &str,
        password: &str,
        resource: &str,
        db: PathBuf,
        port: u16,
    ) -> Client {
        // RUST_LOG=natter=debug,tokio_xmpp=debug shows what the in-process sessions do.
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
        let store = Store::open(&db).expect("store opens");
        let account = account(server, jid, Some(resource));
        if store
            .account(&account.jid)
            .await
            .expect("read account")
            .is_none()
        {
            store
                .save_account(account.clone())
                .await
                .expect("save account");
        }
        let stored = store
            .account(&account.jid)
            .await
            .expect("read")
            .expect("stored");
        let creds = Credentials {
            account: Account {
                port: Some(port),
                ..stored
            },
            password: password.to_owned(),
        };
        let (handle, events) = session::spawn(creds, store.clone());
        Client {
            jid: jid.to_owned(),
            store,
            db,
            handle,
            events,
            seen: Vec::new(),
            _dir: None,
        }
    }

    /// Waits until the session has caught up with the server (roster, and the archive since
    /// the last session), and returns that event.
    pub async fn caught_up(&mut self) -> Event {
        self.wait("caught up", |e| matches!(e, Event::CaughtUp { .. }))
            .await
    }

    /// Waits for the first event matching `pred`, failing with what was seen instead.
    pub async fn wait(&mut self, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(e)) => {
                    self.seen.push(e.clone());
                    if pred(&e) {
                        return e;
                    }
                }
                Ok(None) => panic!(
                    "{}: session closed while waiting for {what}; seen: {:#?}",
                    self.jid, self.seen
                ),
                Err(_) => panic!(
                    "{}: no {what} within {WAIT:?}; seen: {:#?}",
                    self.jid, self.seen
                ),
            }
        }
    }

    /// Collects events for `d` (to check that something does NOT happen).
    pub async fn drain_for(&mut self, d: Duration) -> Vec<Event> {
        let deadline = tokio::time::Instant::now() + d;
        let mut got = Vec::new();
        while let Ok(Some(e)) = tokio::time::timeout_at(deadline, self.events.recv()).await {
            self.seen.push(e.clone());
            got.push(e);
        }
        got
    }

    pub fn send(&self, cmd: Command) {
        self.handle.send(cmd).expect("session takes commands");
    }

    /// Sends a chat message and returns its id.
    pub fn say(&self, to: &str, body: &str) -> natter::model::MessageId {
        let id = session::new_id();
        self.send(Command::Send {
            to: j(to),
            body: body.into(),
            id: id.clone(),
            reply_to: None,
        });
        id
    }

    /// Quits cleanly and waits for the end. Returns the device's temporary directory, which
    /// holds its store: keep it to start the device again.
    pub async fn quit(mut self) -> Option<tempfile::TempDir> {
        let _ = self.handle.send(Command::Quit);
        self.wait("closed", |e| matches!(e, Event::Closed)).await;
        self._dir.take()
    }

    /// Like `wait`, but an event already seen (e.g. while draining) counts too.
    pub async fn saw(&mut self, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
        if let Some(e) = self.seen.iter().find(|e| pred(e)) {
            return e.clone();
        }
        self.wait(what, pred).await
    }

    /// The roster item for `jid` as stored.
    pub async fn item(&self, jid: &str) -> Option<natter::model::RosterItem> {
        let (_, items) = self
            .store
            .roster(&j(&self.jid))
            .await
            .expect("roster reads");
        items.into_iter().find(|i| i.jid.as_str() == jid)
    }
}
