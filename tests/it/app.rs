//! The window's update loop end to end: the real `App` fed by a real session against each test
//! server,
//! clicked through with iced_test, checked by what its view shows.

use crate::j;
use std::time::Duration;

use iced_test::simulator;
use natter::app::{App, Connection, Message};
use natter::screen::chat;
use natter::session::{self, Command, Event, Update};
use natter::store::Store;
use tokio::sync::mpsc;

use crate::client::{Client, account};
use crate::support::{Kind, Server, Shared, on_servers};

static SERVERS: Shared = Shared::new();

/// The app with the session its key asks for, as iced's subscription would run it.
struct Window {
    app: App,
    generation: natter::session::Generation,
    events: mpsc::Receiver<Event>,
    /// The store the window and its session use.
    store: Option<Store>,
    _dir: tempfile::TempDir,
}

impl Window {
    async fn sign_in(server: &Server, jid: &str, pw: &str) -> Window {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("natter.sqlite3")).expect("store");
        let mut acc = account(server, jid, Some("desk"));
        acc.is_default = true;
        store
            .save_account(acc.clone())
            .await
            .expect("account saved");
        let mut app = App::with_store(store.clone(), Some(acc), Some(pw.to_owned())).await;
        let key = app
            .session_key()
            .expect("a stored account with a password signs in at start");
        let (handle, events) = session::spawn(key.credentials, key.store);
        let _ = app.update(Message::Session(Update::Ready(key.generation, handle)));
        Window {
            app,
            generation: key.generation,
            events,
            store: Some(store),
            _dir: dir,
        }
    }

    /// Opens the conversation with `peer`, its history loaded.
    fn open(&mut self, peer: &str) {
        let _ = self
            .app
            .update(Message::Roster(natter::screen::roster::Message::Select(j(
                peer,
            ))));
        let _ = self.app.update(Message::History {
            peer: j(peer),
            page: Vec::new(),
        });
    }

    /// Types `text` into the composer and presses Enter.
    fn type_and_send(&mut self, text: &str) {
        let paste = iced::widget::text_editor::Action::Edit(
            iced::widget::text_editor::Edit::Paste(std::sync::Arc::new(text.into())),
        );
        let _ = self.app.update(Message::Chat(chat::Message::Edit(paste)));
        let _ = self.app.update(Message::Chat(chat::Message::Send));
    }

    /// Feeds session events to the app until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !done(&self.app) {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(e)) => {
                    let _ = self
                        .app
                        .update(Message::Session(Update::Event(self.generation, e)));
                }
                _ => panic!("the window never showed {what}"),
            }
        }
    }

    fn shows(&self, text: &str) -> bool {
        simulator(self.app.view()).find(text).is_ok()
    }

    fn click(&mut self, text: &str) {
        let mut ui = simulator(self.app.view());
        ui.click(text)
            .unwrap_or_else(|e| panic!("no “{text}” to click: {e:?}"));
        let messages: Vec<Message> = ui.into_messages().collect();
        for m in messages {
            let _ = self.app.update(m);
        }
    }
}

on_servers!(async fn sign_in_approve_a_request_and_chat_in_the_window);
async fn sign_in_approve_a_request_and_chat_in_the_window(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut window = Window::sign_in(&server, &a, &apw).await;
    window
        .until("online", |app| *app.connection() == Connection::Online)
        .await;
    assert!(window.shows(&a), "the account is shown");

    // Bob asks to see Alice: a badge, then the request with his address first.
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    bob.send(Command::Add {
        jid: j(&a.clone()),
        name: Some("Alice".into()),
        groups: vec![],
        message: Some("Hi, it's Bob".into()),
        share_presence: true,
    });
    window
        .until("the request", |app| app.pending_requests() == 1)
        .await;
    let _ = window.app.update(Message::ShowRequests);
    assert!(
        window.shows(&b) && window.shows("“Hi, it's Bob”"),
        "the request shows who and what"
    );
    window.click("Approve and add");
    window
        .until("the request answered", |app| app.pending_requests() == 0)
        .await;

    // "Approve and add" asked back. Bob let Alice see him when he added her: where the
    // server keeps pre-approvals (RFC 6121 §3.4: Prosody does, ejabberd 23.01 does not and
    // says so) the server answers for him; elsewhere Bob's Natter kept his answer and gives it.
    // Either way both now see each other, and Bob is asked nothing.
    let Event::Features(features) = bob
        .saw("features", |e| matches!(e, Event::Features(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        features.pre_approval,
        kind == Kind::Prosody,
        "which server keeps pre-approvals"
    );
    bob.wait("mutual subscription", |e| {
        matches!(e, Event::RosterPush(i) if i.jid.as_str() == a && i.subscription == natter::model::Subscription::Both)
    })
    .await;
    assert!(
        !bob.seen
            .iter()
            .any(|e| matches!(e, Event::SubscriptionRequest(r) if r.from.as_str() == a)),
        "Bob was not asked: he had said yes when he added Alice"
    );

    // Bob writes; the roster shows the unread message.
    bob.say(&a, "Hello from Bob");
    window
        .until("the unread message", |app| app.unread(&j(&b)) == 1)
        .await;

    // Alice opens the conversation and answers from the composer.
    let _ = window
        .app
        .update(Message::Roster(natter::screen::roster::Message::Select(j(
            &b.clone(),
        ))));
    let _ = window.app.update(Message::History {
        peer: j(&b.clone()),
        page: Vec::new(),
    });
    let paste = iced::widget::text_editor::Action::Edit(iced::widget::text_editor::Edit::Paste(
        std::sync::Arc::new("Hi Bob!".into()),
    ));
    let _ = window.app.update(Message::Chat(chat::Message::Edit(paste)));
    let _ = window.app.update(Message::Chat(chat::Message::Send));
    let Event::Messages(got) = bob
        .wait(
            "alice's answer",
            |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == "Hi Bob!")),
        )
        .await
    else {
        unreachable!()
    };
    assert_eq!(got[0].peer.as_str(), a);
    window
        .until("own message delivered", |app| {
            simulator(app.view()).find("Hi Bob!").is_ok()
        })
        .await;
    assert!(window.shows("Hi Bob!"), "own message in the conversation");
}

on_servers!(async fn a_launch_signs_in_while_the_window_opens_and_the_window_takes_that_session);
/// A launch signs in while the window is still opening: iced runs the boot's task only once the
/// window is open, so the boot of the window being opened starts the stored account's session
/// itself (its password from the keyring, as a person's launch finds it), and the window's
/// subscription takes that session over instead of starting a second one.
async fn a_launch_signs_in_while_the_window_opens_and_the_window_takes_that_session(kind: Kind) {
    if !crate::keyring::session_bus() {
        return;
    }
    let server = SERVERS.get(kind);
    let (jid, pw) = server.create_user("early");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("natter.sqlite3");
    {
        let store = Store::open(&path).expect("store");
        let mut acc = account(&server, &jid, Some("desk"));
        acc.is_default = true;
        store.save_account(acc).await.expect("account saved");
    }
    natter::secrets::store_password(&j(&jid), &pw)
        .await
        .expect("the password goes into the keyring");

    let booted = App::boot_early_at(path).expect("inside a tokio runtime");
    // Nothing of the window has run: no update, no subscription. The server sees the sign-in.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while server.sign_ins(&jid) == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the session did not sign in before the window ran its boot"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let (mut app, _) = App::boot();
    let _ = app.update(Message::Booted(booted.await));
    let key = app
        .session_key()
        .expect("a stored account with a password signs in at start");
    let early = key
        .early
        .as_ref()
        .expect("the key holds the running session");
    let (handle, events) = early.take().expect("the session is handed over");
    assert!(early.take().is_none(), "and only once");
    let _ = app.update(Message::Session(Update::Ready(key.generation, handle)));
    let mut window = Window {
        app,
        generation: key.generation,
        events,
        store: None,
        _dir: dir,
    };
    window
        .until("online", |app| *app.connection() == Connection::Online)
        .await;
    assert!(window.shows(&jid), "the account is shown");
    let sessions = server.sign_ins(&jid);
    assert_eq!(
        sessions, 1,
        "one session signed in, not a second for the window"
    );
    natter::secrets::delete_password(&j(&jid))
        .await
        .expect("the keyring entry goes");
}

/// Makes `account`'s store full: SQLite's size cap at the file's size, then messages received
/// from someone else until not even a short one fits in what was free.
async fn fill(store: &Store, account: &str) {
    use natter::model::{ChatMessage, Delivery, Direction};
    store.cap_size_for_tests(Some(0)).await.expect("capped");
    for size in [4096, 512, 64, 8, 1] {
        for n in 0.. {
            let mut msg = ChatMessage::outbound(
                j(account),
                j("filler@localhost"),
                "x".repeat(size),
                crate::mid(format!("filler-{size}-{n}")),
                natter::model::now_millis(),
            );
            (msg.direction, msg.delivery) = (Direction::In, Delivery::Received);
            if store.insert_messages(vec![msg]).await.is_err() {
                break;
            }
        }
    }
}

on_servers!(async fn on_a_full_disk_the_composer_keeps_the_text_and_says_why);
/// Issue 16 (§3, item 6): on a full disk the message cannot be written to the outbox. The
/// composer used to clear as Enter was pressed, and the text was gone; now it keeps the text
/// until the store has the message, says why it was not sent, and nothing went out. Once there
/// is room, Enter sends it and the composer empties.
async fn on_a_full_disk_the_composer_keeps_the_text_and_says_why(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut window = Window::sign_in(&server, &a, &apw).await;
    window
        .until("online", |app| *app.connection() == Connection::Online)
        .await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    window.open(&b);
    let store = window.store.clone().expect("the window's store");
    fill(&store, &a).await;

    const TEXT: &str = "Lunch at noon? I booked the table by the window.";
    window.type_and_send(TEXT);
    let notice = "Not sent: saving the message: The disk is full, so the change could not be \
                  saved. Your text is still here; send it again when that is solved.";
    window
        .until("why it was not sent, above the composer", |app| {
            simulator(app.view()).find(notice).is_ok()
        })
        .await;
    assert_eq!(
        window.app.composer_text().as_deref().map(str::trim),
        Some(TEXT),
        "the text is still in the composer"
    );
    let got = bob.drain_for(Duration::from_secs(1)).await;
    assert!(
        !got.iter().any(|e| matches!(e, Event::Messages(_))),
        "nothing went out: {got:?}"
    );

    store.cap_size_for_tests(None).await.expect("uncapped");
    let _ = window.app.update(Message::Chat(chat::Message::Send));
    bob.wait(
        "the message",
        |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == TEXT)),
    )
    .await;
    window
        .until("the composer emptied", |app| {
            app.composer_text().is_some_and(|t| t.trim().is_empty())
        })
        .await;
    assert!(window.shows(TEXT), "the message in the conversation");
    assert!(!window.shows(notice), "the notice went with it");
}
