//! The window across frames: what survives the connection coming and going.

use crate::model::address::{full, j};
use std::time::Duration;

use iced_test::selector;
use iced_test::simulator::{self, click, typewrite};

use super::notifier::NOTIFY_EVERY;
use super::state::Desk;
use super::{App, Message, PAGE, Pane};
use crate::model::{Account, RosterItem, Subscription};
use crate::screen::{chat, contact, roster};
use crate::session::{Event, Update};
use crate::store::Store;
use crate::widget::frames::Window;

const ME: &str = "me@example.org";
const ADA: &str = "ada@example.org";

pub(super) async fn app_with_a_conversation_open() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(j(ME));
    account.is_default = true;
    store.save_account(account.clone()).await.expect("account");
    let ada = RosterItem {
        jid: j(ADA),
        name: Some("Ada".into()),
        groups: Vec::new(),
        subscription: Subscription::Both,
        ask: false,
        approved: false,
    };
    store
        .replace_roster(&j(ME), Some("1".into()), vec![ada])
        .await
        .expect("roster");
    let mut app = App::with_store(store.clone(), Some(account), Some("unused".into())).await;
    let _ = app.update(Message::Roster(roster::Message::Select(j(ADA))));
    let page = store
        .history(&j(ME), &j(ADA), None, PAGE)
        .await
        .expect("history");
    let _ = app.update(Message::History { peer: j(ADA), page });
    (dir, app)
}

/// The messages a task produces, run to its end.
pub(super) async fn run(task: iced::Task<Message>) -> Vec<Message> {
    use futures::StreamExt;
    let Some(stream) = iced_test::runtime::task::into_stream(task) else {
        return Vec::new();
    };
    stream
        .filter_map(|action| async move {
            match action {
                iced_test::runtime::Action::Output(message) => Some(message),
                _ => None,
            }
        })
        .collect()
        .await
}

/// What the store knows and the panes show.
fn desk(app: &App) -> &Desk {
    app.screen.desk().expect("booted")
}

/// The banner's text.
fn banner(app: &App) -> Option<String> {
    desk(app).error.as_ref().map(super::AppError::words)
}

fn session_event(app: &mut App, event: Event) {
    let generation = app.session_key().expect("a session").generation;
    let _ = app.update(Message::Session(Update::Event(generation, event)));
}

#[tokio::test]
async fn typing_goes_on_into_the_composer_while_the_connection_drops_and_returns() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    session_event(
        &mut app,
        Event::Online {
            jid: full(&format!("{ME}/desk")),
            resumed: false,
            elapsed_ms: 100,
        },
    );
    let composer = simulator::simulator(app.view())
        .find(selector::id(chat::composer_id()))
        .expect("the composer is on screen")
        .visible_bounds()
        .expect("the composer is visible")
        .center();
    let mut window = Window::new();
    let events: Vec<_> = click().collect();
    let (clicked, focused) = window.frame(app.view(), Some(composer), &events);
    assert_eq!(focused, Some(chat::composer_id()));
    for m in clicked {
        let _ = app.update(m);
    }

    let mut typed_anything = false;
    for (event, typed) in [
        (
            Event::Offline {
                reason: "connection reset".into(),
                retry_in: Some(Duration::from_secs(5)),
            },
            "on ",
        ),
        (
            Event::Online {
                jid: full(&format!("{ME}/desk")),
                resumed: true,
                elapsed_ms: 80,
            },
            "my way",
        ),
    ] {
        session_event(&mut app, event);
        let events: Vec<_> = typewrite(typed).collect();
        let (produced, focused) = window.frame(app.view(), None, &events);
        assert_eq!(focused, Some(chat::composer_id()), "after typing {typed:?}");
        typed_anything |= !produced.is_empty();
        for m in produced {
            let _ = app.update(m);
        }
    }
    assert!(typed_anything);
    let composer = desk(&app).chat.as_ref().map(chat::State::composer_text);
    assert_eq!(composer.as_deref().map(str::trim), Some("on my way"));
}

#[tokio::test]
async fn show_offline_contacts_is_remembered_across_starts() {
    let (dir, mut app) = app_with_a_conversation_open().await;
    assert!(desk(&app).roster.show_offline(), "on at the first start");
    let saving = app.update(Message::Roster(roster::Message::ShowOffline(false)));
    assert!(!desk(&app).roster.show_offline());
    // Run what update asked for (the store write), as the runtime would.
    let outputs = run(saving).await;
    assert!(
        outputs.iter().all(|m| matches!(m, Message::Noop)),
        "saved without an error"
    );
    let store = desk(&app).store.clone();
    let account = store
        .account(&j(ME))
        .await
        .expect("read")
        .expect("the account");
    let next = App::with_store(store, Some(account), None).await;
    assert!(!desk(&next).roster.show_offline(), "off at the next start");
    drop(dir);
}

#[tokio::test]
async fn links_open_fill_in_and_ask_but_never_act_by_themselves() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let outbox_before = desk(&app)
        .store
        .clone()
        .outbox(&j(ME))
        .await
        .expect("outbox");

    // ?message: the conversation opens with the text in the composer, not sent.
    let _ = app.on_link("xmpp:bob@example.org?message;body=Lunch%20at%201%3F");
    let chat = desk(&app).chat.as_ref().expect("a conversation is open");
    assert_eq!(chat.peer().as_str(), "bob@example.org");
    assert_eq!(chat.composer_text().trim(), "Lunch at 1?");
    // A second link to the same person keeps the draft in front of the new text.
    let _ = app.on_link("xmpp:bob@example.org?message;body=Or%202");
    let chat = desk(&app).chat.as_ref().expect("open");
    assert_eq!(chat.composer_text().trim(), "Lunch at 1?\nOr 2");

    // ?roster: the add dialog is filled in; nothing is added until Add is pressed.
    let _ = app.on_link("xmpp:carol@example.org?roster;name=Carol;group=Work");
    let form = desk(&app)
        .roster
        .add_form()
        .expect("the add dialog is open");
    assert_eq!(
        (form.jid.as_str(), form.name.as_str(), form.group.as_str()),
        ("carol@example.org", "Carol", "Work")
    );
    assert!(desk(&app).roster.item(&j("carol@example.org")).is_none());

    // ?remove and ?unsubscribe: the contact's details, with the question asked.
    let _ = app.on_link("xmpp:ada@example.org?remove");
    assert_eq!(desk(&app).pane, Pane::Contact);
    let details = desk(&app).contact.as_ref().expect("details");
    assert_eq!(details.asking(), Some(contact::Question::Remove));
    assert!(
        desk(&app).roster.item(&j(ADA)).is_some(),
        "still a contact until confirmed"
    );
    let shown = texts(&app);
    assert!(
        shown
            .iter()
            .any(|t| t.starts_with("Remove ada@example.org from your contacts?")),
        "{shown:?}"
    );
    let _ = app.on_link("xmpp:ada@example.org?unsubscribe");
    let details = desk(&app).contact.as_ref().expect("details");
    assert_eq!(details.asking(), Some(contact::Question::StopSeeing));

    // A stranger cannot be removed; a broken link says why.
    let _ = app.on_link("xmpp:stranger@example.org?remove");
    assert_eq!(
        banner(&app).as_deref(),
        Some("stranger@example.org is not in your contacts.")
    );
    let _ = app.on_link("xmpp:%ZZ@example.org");
    assert!(
        banner(&app).is_some_and(|e| e.contains("broken %-escape")),
        "{:?}",
        banner(&app)
    );
    let outbox_after = desk(&app)
        .store
        .clone()
        .outbox(&j(ME))
        .await
        .expect("outbox");
    assert_eq!(outbox_before.len(), outbox_after.len(), "nothing was sent");
}

#[tokio::test]
async fn a_link_given_before_the_sign_in_waits_for_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(j(ME));
    account.is_default = true;
    store.save_account(account.clone()).await.expect("account");
    // No password remembered: the sign-in screen asks first.
    let mut app = App::with_store(store, Some(account), None).await;
    assert!(app.asks_to_sign_in());
    let _ = app.on_link("xmpp:bob@example.org?message;body=hi");
    assert!(
        desk(&app).chat.is_none(),
        "nothing opens before the sign-in"
    );
    let _ = app.start_session(Account::new(j(ME)), "pw".into(), None);
    let chat = desk(&app).chat.as_ref().expect("opened once signed in");
    assert_eq!(
        (chat.peer().as_str(), chat.composer_text().trim()),
        ("bob@example.org", "hi")
    );
}

fn texts(app: &App) -> Vec<String> {
    let mut ui = simulator::simulator(app.view());
    let mut found = Vec::new();
    let _ = ui.find(|c: iced_test::selector::Candidate<'_>| {
        if let iced_test::selector::Candidate::Text { content, .. } = c {
            found.push(content.to_owned());
        }
        None::<()>
    });
    found
}

/// Texts that read the same in every language: the name, symbols, each language's own name.
const SAME_EVERYWHERE: [&str; 10] = [
    "app-title",
    "chat-mark-queued",
    "chat-mark-sent",
    "chat-mark-acked",
    "chat-mark-delivered",
    "language-en",
    "language-ru",
    "language-de",
    "language-es",
    "language-zh-cn",
];

/// The signed-in window in `language`, from the start (as when the desktop speaks it).
fn window_in(language: &str) -> Vec<String> {
    crate::i18n::testing::in_language(language, || {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let (_dir, mut app) = runtime.block_on(app_with_a_conversation_open());
        session_event(
            &mut app,
            Event::Online {
                jid: full(&format!("{ME}/desk")),
                resumed: false,
                elapsed_ms: 90,
            },
        );
        session_event(
            &mut app,
            Event::Presence {
                jid: full(&format!("{ADA}/lab")),
                show: crate::model::Show::Away,
                status: String::new(),
                priority: 0,
                idle_since: None,
            },
        );
        if let Some(signed) = app.screen.signed_in_mut() {
            signed.refresh_presence_line();
        }
        texts(&app)
    })
}

#[test]
fn the_window_speaks_russian_and_chinese_with_no_english_left() {
    let english = crate::i18n::testing::plain_english();
    assert!(english.len() > 100, "{} plain English texts", english.len());
    for (language, expected) in [
        ("ru", ["Запросы и приватность", "Настройки", "Отсутствую"]),
        ("zh-CN", ["设置", "发送", "离开"]),
    ] {
        let shown = window_in(language);
        for wanted in expected {
            assert!(
                shown.iter().any(|t| t.contains(wanted)),
                "{language}: “{wanted}” is not shown in {shown:?}"
            );
        }
        assert!(
            shown.iter().all(|t| !t.contains(['\u{2068}', '\u{2069}'])),
            "{language}: no isolation marks: {shown:?}"
        );
        let untranslated: Vec<_> = english
            .iter()
            .filter(|(id, text)| !SAME_EVERYWHERE.contains(&id.as_str()) && shown.contains(text))
            .collect();
        assert!(
            untranslated.is_empty(),
            "{language}: English left on screen: {untranslated:?}"
        );
    }
    // And the same window in English shows those English texts (the check can fail).
    let shown = window_in("en");
    assert!(shown.iter().any(|t| t == "Settings"), "{shown:?}");
}

#[tokio::test]
async fn a_burst_makes_one_notification_now_and_one_summary_later() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let _ = app.update(Message::Focus(false));
    let incoming = |n: i64| {
        let mut m = crate::model::ChatMessage::outbound(
            j(ME),
            j("bob@example.org"),
            format!("message {n}"),
            crate::model::MessageId::new(format!("id-{n}")).unwrap(),
            1_763_800_000_000 + n,
        );
        m.direction = crate::model::Direction::In;
        m.local_id = n;
        m
    };
    for n in 1..=200 {
        session_event(&mut app, Event::Messages(vec![incoming(n)]));
    }
    assert!(
        app.notifier.messages.shown_at.is_some(),
        "the first one is shown"
    );
    let (held, count) = app
        .notifier
        .messages
        .held
        .clone()
        .expect("the rest is held");
    assert_eq!((held.body.as_str(), count), ("message 200", 199));
    let more: usize = count - 1;
    assert_eq!(
        crate::fl!("notify-more", count = more, last = held.body),
        "198 more; the last: message 200"
    );
    // A request in the middle of it is a kind of its own: shown at once.
    session_event(
        &mut app,
        Event::SubscriptionRequest(crate::model::SubscriptionRequest {
            from: j("eve@example.net"),
            nick: None,
            message: None,
            received_at: 1,
            state: crate::model::RequestState::Pending,
        }),
    );
    assert!(app.notifier.requests.shown_at.is_some() && app.notifier.requests.held.is_none());
    // Ten seconds later a tick shows one summary, and nothing is held any more.
    app.notifier.messages.shown_at = Some(std::time::Instant::now() - NOTIFY_EVERY);
    let _ = app.update(Message::Tick);
    assert!(app.notifier.messages.held.is_none());
    assert!(
        app.notifier
            .messages
            .shown_at
            .is_some_and(|at| at.elapsed() < NOTIFY_EVERY)
    );
    // With the window focused nothing is shown or held.
    let _ = app.update(Message::Focus(true));
    session_event(&mut app, Event::Messages(vec![incoming(201)]));
    assert!(app.notifier.messages.held.is_none());
}

#[tokio::test]
async fn a_flood_of_requests_makes_one_notification_now_and_a_repeat_none() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let _ = app.update(Message::Focus(false));
    let request = |from: String| {
        Event::SubscriptionRequest(crate::model::SubscriptionRequest {
            from: j(&from),
            nick: Some("Admin".into()),
            message: Some("click me".into()),
            received_at: 1,
            state: crate::model::RequestState::Pending,
        })
    };
    for n in 0..500 {
        session_event(&mut app, request(format!("spam{n:03}@evil.example")));
    }
    assert!(
        app.notifier.requests.shown_at.is_some(),
        "the first one is shown"
    );
    let (held, count) = app
        .notifier
        .requests
        .held
        .clone()
        .expect("the rest is held");
    assert_eq!(count, 499, "one summary for the rest, later");
    assert!(held.body.contains("spam499@evil.example"), "{held:?}");
    assert_eq!(app.pending_requests(), 500);

    // The same account asking again and again, after the pause: no notification at all.
    app.notifier.requests.shown_at = Some(std::time::Instant::now() - NOTIFY_EVERY);
    let _ = app.update(Message::Tick);
    assert!(app.notifier.requests.held.is_none(), "the summary went out");
    app.notifier.requests.shown_at = Some(std::time::Instant::now() - NOTIFY_EVERY);
    let before = app.notifier.requests.shown_at;
    for _ in 0..200 {
        session_event(&mut app, request("spam007@evil.example".into()));
    }
    assert_eq!(
        app.notifier.requests.shown_at, before,
        "a repeat is not notified"
    );
    assert!(app.notifier.requests.held.is_none(), "nor held for later");
    assert_eq!(app.pending_requests(), 500, "still one entry each");
}

#[test]
fn a_contacts_status_shows_on_one_line_without_controls_or_hidden_text() {
    use crate::model::{ContactPresence, ResourcePresence, Show};
    let mut p = ContactPresence::default();
    p.apply(
        "phone",
        ResourcePresence {
            show: Show::Away,
            status: "\u{202E}lanigiro\u{202C}\u{200B}   \nsecond line".into(),
            priority: 0,
            idle_since: None,
        },
        0,
    );
    assert_eq!(
        super::view::presence_line(Some(&p)),
        format!("{} — lanigiro", crate::i18n::show_name(Show::Away))
    );
}

#[tokio::test]
async fn the_title_leads_with_the_unread_count_for_taskbars() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    assert_eq!(app.title(), "Natter");
    let incoming = |n: i64| {
        let mut m = crate::model::ChatMessage::outbound(
            j(ME),
            j("bob@example.org"),
            format!("message {n}"),
            crate::model::MessageId::new(format!("id-{n}")).unwrap(),
            1_763_800_000_000 + n,
        );
        m.direction = crate::model::Direction::In;
        m.local_id = n;
        m
    };
    session_event(&mut app, Event::Messages((1..=3).map(incoming).collect()));
    assert_eq!(app.title(), "(3) Natter");
    let _ = app.update(Message::Roster(roster::Message::Select(j(
        "bob@example.org",
    ))));
    assert_eq!(app.title(), "Natter", "read once opened");
}

mod keyboard;
mod selection;
