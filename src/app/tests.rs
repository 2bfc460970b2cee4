//! The window across frames: what survives the connection coming and going.

use std::time::Duration;

use iced_test::selector;
use iced_test::simulator::{self, click, typewrite};

use super::{App, Message, PAGE};
use crate::model::{Account, RosterItem, Subscription};
use crate::screen::{chat, roster};
use crate::session::{Event, Update};
use crate::store::Store;
use crate::widget::frames::Window;

const ME: &str = "me@example.org";
const ADA: &str = "ada@example.org";

async fn app_with_a_conversation_open() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(ME);
    account.is_default = true;
    store.save_account(account.clone()).await.expect("account");
    let ada = RosterItem {
        jid: ADA.into(),
        name: Some("Ada".into()),
        groups: Vec::new(),
        subscription: Subscription::Both,
        ask: false,
        approved: false,
    };
    store
        .replace_roster(ME, Some("1".into()), vec![ada])
        .await
        .expect("roster");
    let mut app = App::for_test(store.clone(), Some(account), Some("unused".into())).await;
    let _ = app.update(Message::Roster(roster::Message::Select(ADA.into())));
    let page = store.history(ME, ADA, None, PAGE).await.expect("history");
    let _ = app.update(Message::History {
        peer: ADA.into(),
        page,
    });
    (dir, app)
}

/// The messages a task produces, run to its end.
async fn run(task: iced::Task<Message>) -> Vec<Message> {
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
            jid: format!("{ME}/desk"),
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
                jid: format!("{ME}/desk"),
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
    let composer = app.chat.as_ref().map(chat::State::composer_text);
    assert_eq!(composer.as_deref().map(str::trim), Some("on my way"));
}

#[tokio::test]
async fn show_offline_contacts_is_remembered_across_starts() {
    let (dir, mut app) = app_with_a_conversation_open().await;
    assert!(app.roster.show_offline(), "on at the first start");
    let saving = app.update(Message::Roster(roster::Message::ShowOffline(false)));
    assert!(!app.roster.show_offline());
    // Run what update asked for (the store write), as the runtime would.
    let outputs = run(saving).await;
    assert!(
        outputs.iter().all(|m| matches!(m, Message::Noop)),
        "saved without an error"
    );
    let store = app.store.clone().expect("a store");
    let account = store.account(ME).await.expect("read").expect("the account");
    let next = App::for_test(store, Some(account), None).await;
    assert!(!next.roster.show_offline(), "off at the next start");
    drop(dir);
}
