//! Desktop notifications against a real notification server: dunst, drawing on an Xvfb of its
//! own, on the private D-Bus session `tests/run` starts, with dbus-monitor watching every
//! `Notify` call. What a person sees is checked twice: the call's arguments as the server
//! received them, and the text dunst renders (its history).

mod desktop;

use crate::j;
use std::time::Duration;

use futures::StreamExt;
use iced::Task;
use iced_test::runtime::Action;
use natter::app::{App, Message};
use natter::model::{
    Account, ChatMessage, Delivery, Direction, RequestState, RosterItem, Show, Subscription,
    SubscriptionRequest,
};
use natter::notify::{self, Notice};
use natter::screen::status;
use natter::session::{Event, Update};
use natter::store::Store;

use desktop::Desktop;

const ALICE: &str = "alice@wonderland.example";
const HATTER: &str = "hatter@wonderland.example";
/// What a notification sent only to mark a point in the stream of calls is titled.
const SENTINEL: &str = "sentinel@localhost";

/// Whether this is `tests/run`'s private D-Bus session (it names its bus in NATTER_TEST_BUS).
/// These tests start a notification server and watch the bus, which must never happen on the
/// person's own session: anywhere else they skip with a note, except under CI, where they
/// must run.
fn private_bus() -> bool {
    let ours = std::env::var_os("NATTER_TEST_BUS");
    if ours.is_some() && ours == std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the notification tests: use tests/run"
    );
    eprintln!(
        "not in tests/run's private D-Bus session: notification test skipped (it starts a \
         notification server, which it never does on a real session; run it through tests/run)"
    );
    false
}

/// A tokio runtime that, at the end of a test, does not wait for ever for a thread still
/// listening for a click on a notification the server never closed.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn new() -> Runtime {
        Runtime(Some(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime"),
        ))
    }

    fn get(&self) -> &tokio::runtime::Runtime {
        self.0.as_ref().expect("runtime")
    }

    /// Runs the app's task in the background, as iced would; its messages when it ends.
    fn perform(&self, task: Task<Message>) -> tokio::task::JoinHandle<Vec<Message>> {
        let stream = iced_test::runtime::task::into_stream(task).expect("a task with work");
        self.get().spawn(
            stream
                .filter_map(|action| async move {
                    match action {
                        Action::Output(m) => Some(m),
                        _ => None,
                    }
                })
                .collect(),
        )
    }

    /// What a background task came to; a task that never ends fails the test.
    fn answer<T>(&self, task: tokio::task::JoinHandle<T>) -> T {
        self.get()
            .block_on(async { tokio::time::timeout(Duration::from_secs(10), task).await })
            .expect("the task ends within 10 s")
            .expect("the task did not panic")
    }

    /// Shows `notice` through Natter's notification path, in the background.
    fn show(
        &self,
        notice: Notice,
    ) -> tokio::task::JoinHandle<Result<Option<natter::model::BareJid>, notify::NotifyError>> {
        self.get().spawn(notify::show(notice))
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

fn notice(summary: &str, body: &str, jid: &str) -> Notice {
    Notice {
        summary: summary.to_owned(),
        body: body.to_owned(),
        jid: j(jid),
    }
}

/// Proves the server received nothing since the last call looked at: the next call it sees
/// is one sent now.
fn assert_nothing_sent(desktop: &Desktop, rt: &Runtime, since: &str) {
    let sentinel = rt.show(notice(SENTINEL, SENTINEL, SENTINEL));
    let next = desktop.next_call();
    assert_eq!(
        (next.summary.as_str(), next.body.as_str()),
        (SENTINEL, SENTINEL),
        "a notification was sent {since}"
    );
    desktop.close_all();
    let _ = rt.answer(sentinel);
}

#[test]
fn a_message_reaches_the_notification_server_as_natter_sent_it_and_shows_as_plain_text() {
    if !private_bus() {
        return;
    }
    // The desktop goes first, closing what is open, so the runtime has no listener to wait for.
    let rt = Runtime::new();
    let desktop = Desktop::start();
    let caps = desktop.capabilities();
    for cap in ["body-markup", "actions"] {
        assert!(
            caps.iter().any(|c| c == cap),
            "dunst offers {cap}: {caps:?}"
        );
    }

    // A contact's text with markup in it: the server must show the characters, not a bold
    // word and a link.
    let text = r#"Tea at five? <b>Bring</b> the <a href="https://tea.example/">map</a> & cake"#;
    let shown = rt.show(notice("Alice Liddell", text, ALICE));
    let call = desktop.next_call();
    assert_eq!(call.app_name, "Natter");
    assert_eq!(call.summary, "Alice Liddell");
    assert_eq!(
        call.body,
        r#"Tea at five? &lt;b&gt;Bring&lt;/b&gt; the &lt;a href="https://tea.example/"&gt;map&lt;/a&gt; &amp; cake"#
    );
    assert_eq!(call.icon, "im.natter.Natter");
    assert_eq!(
        call.actions,
        ["default", "Open"],
        "one click target, labelled"
    );
    assert_eq!(
        call.hint("desktop-entry"),
        Some(r#"string "im.natter.Natter""#)
    );

    // A click answers with the conversation to open.
    desktop.click();
    let opened = rt.answer(shown).expect("shown");
    assert_eq!(opened.as_ref().map(|j| j.as_str()), Some(ALICE));
    desktop.close_all();
    assert_eq!(
        desktop.shown().first().map(String::as_str),
        Some(text),
        "dunst shows the text as typed"
    );

    // A long message shows its first 200 characters; a dismissed notification opens nothing.
    let long: String = (b'a'..=b'z').cycle().take(260).map(char::from).collect();
    let shown = rt.show(notice("Alice Liddell", &long, ALICE));
    let call = desktop.next_call();
    assert_eq!(call.body, long[..200]);
    desktop.close_all();
    let opened = rt.answer(shown).expect("shown");
    assert_eq!(opened, None, "closing a notification opens no conversation");
}

/// The window's app, fed session events as its subscription would feed them.
struct Window {
    app: App,
    generation: natter::session::Generation,
    _dir: tempfile::TempDir,
}

impl Window {
    fn open(rt: &Runtime) -> Window {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(&dir.path().join("natter.sqlite3")).expect("store");
        let mut account = Account::new(j("me@wonderland.example"));
        account.is_default = true;
        let app = rt
            .get()
            .block_on(App::with_store(store, Some(account), Some("pw".into())));
        let generation = app
            .session_key()
            .expect("an account with a password signs in")
            .generation;
        let mut window = Window {
            app,
            generation,
            _dir: dir,
        };
        let _ = window.event(Event::Roster(vec![RosterItem {
            name: Some("Alice Liddell".into()),
            subscription: Subscription::Both,
            ..RosterItem::new(j(ALICE))
        }]));
        window
    }

    fn event(&mut self, event: Event) -> Task<Message> {
        self.app
            .update(Message::Session(Update::Event(self.generation, event)))
    }

    fn message(
        &mut self,
        body: &str,
        direction: Direction,
        delayed: bool,
        carbon: bool,
    ) -> Task<Message> {
        self.event(Event::Messages(vec![ChatMessage {
            local_id: 0,
            account: j("me@wonderland.example"),
            peer: j(ALICE),
            direction,
            body: body.into(),
            sent_at: 1,
            received_at: 1,
            remote_id: None,
            origin_id: None,
            stanza_id: None,
            delivery: Delivery::Received,
            delayed,
            carbon,
            extras: Default::default(),
        }]))
    }

    fn request(&mut self, from: &str) -> Task<Message> {
        self.event(Event::SubscriptionRequest(SubscriptionRequest {
            from: j(from),
            nick: None,
            message: None,
            received_at: 1,
            state: RequestState::Pending,
        }))
    }
}

#[test]
fn the_app_notifies_live_messages_and_requests_only_while_the_person_is_elsewhere() {
    if !private_bus() {
        return;
    }
    // The desktop goes first, closing what is open, so the runtime has no listener to wait for.
    let rt = Runtime::new();
    let desktop = Desktop::start();
    let mut window = Window::open(&rt);

    // The window has the focus: the person sees the message arrive.
    let task = window.message("Are you there?", Direction::In, false, false);
    assert_eq!(
        task.units(),
        0,
        "no notification while the window has the focus"
    );

    let _ = window.app.update(Message::Focus(false));
    let task = window.message("Are you coming to tea?", Direction::In, false, false);
    let clicked = rt.perform(task);
    let call = desktop.next_call();
    assert_eq!(
        (
            call.app_name.as_str(),
            call.summary.as_str(),
            call.body.as_str()
        ),
        ("Natter", "Alice Liddell", "Are you coming to tea?")
    );
    assert_eq!(call.actions, ["default", "Open"]);
    desktop.click();
    let messages = rt.answer(clicked);
    assert!(
        matches!(messages.as_slice(), [Message::NotificationClicked(Some(jid))] if jid.as_str() == ALICE),
        "a click opens Alice's conversation: {messages:?}"
    );
    desktop.close_all();

    // Copies of what this account's other devices sent or received, and archive backlog.
    for (what, direction, delayed, carbon) in [
        ("sent from another device", Direction::Out, false, true),
        ("received on another device", Direction::In, false, true),
        ("from the archive", Direction::In, true, false),
    ] {
        let task = window.message(what, direction, delayed, carbon);
        assert_eq!(task.units(), 0, "no notification for a message {what}");
    }
    assert_nothing_sent(&desktop, &rt, "for carbons or backlog");

    let shown = rt.perform(window.request(HATTER));
    let call = desktop.next_call();
    assert_eq!(
        (
            call.app_name.as_str(),
            call.summary.as_str(),
            call.body.as_str()
        ),
        (
            "Natter",
            "New contact request",
            "hatter@wonderland.example asks to see when you are online."
        )
    );
    desktop.close_all();
    let messages = rt.answer(shown);
    assert!(
        matches!(messages.as_slice(), [Message::NotificationClicked(None)]),
        "{messages:?}"
    );

    // Do not disturb: nothing at all.
    let _ = window
        .app
        .update(Message::Status(status::Message::Show(Show::Dnd)));
    let task = window.message("Tea is ready!", Direction::In, false, false);
    assert_eq!(task.units(), 0, "no message notification in do-not-disturb");
    let task = window.request("march.hare@wonderland.example");
    assert_eq!(task.units(), 0, "no request notification in do-not-disturb");
    assert_nothing_sent(&desktop, &rt, "in do-not-disturb");
}

#[test]
fn a_burst_of_subscription_requests_is_one_notification() {
    if !private_bus() {
        return;
    }
    // The desktop goes first, closing what is open, so the runtime has no listener to wait for.
    let rt = Runtime::new();
    let desktop = Desktop::start();
    let mut window = Window::open(&rt);
    let _ = window.app.update(Message::Focus(false));

    let mut running = Vec::new();
    for from in [
        HATTER,
        "march.hare@wonderland.example",
        "dormouse@wonderland.example",
    ] {
        let task = window.request(from);
        if task.units() > 0 {
            running.push(rt.perform(task));
        }
    }
    let first = desktop.next_call();
    assert!(!first.summary.is_empty() && !first.body.is_empty());
    // Whatever else the burst sends is on its way within a second; then a sentinel marks the
    // end of it.
    std::thread::sleep(Duration::from_secs(1));
    let sentinel = rt.show(notice(SENTINEL, SENTINEL, SENTINEL));
    let mut more = Vec::new();
    loop {
        let call = desktop.next_call();
        if call.summary == SENTINEL {
            break;
        }
        more.push(call);
    }
    desktop.close_all();
    let _ = rt.answer(sentinel);
    for task in running {
        let _ = rt.answer(task);
    }
    assert!(
        more.is_empty(),
        "one notification for the burst, then {more:#?}"
    );
}
