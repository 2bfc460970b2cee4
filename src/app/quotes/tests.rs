//! The window's conversation against a real store: a reply's quote loads the pages back to
//! a message far up the history, says so when the store does not have it, and an edited
//! message's earlier versions come from the store.

use crate::model::address::j;

use iced_test::simulator;

use super::super::shortcuts::Chord;
use super::super::tests::{app_with_a_conversation_open, run};
use super::*;
use crate::model::{Amendment, ChatMessage, Delivery, Direction, ReplyTo};
use crate::screen::chat;

const ME: &str = "me@example.org";
const ADA: &str = "ada@example.org";

/// 300 messages with Ada, one a minute; the newest answers the 10th, the one before it
/// answers a message never stored, and the 298th is Ada's, corrected twice.
async fn long_conversation(store: &Store) -> Vec<ChatMessage> {
    let start = 1_230_000_000_000;
    let msgs = (1..=300)
        .map(|n: i64| {
            let mut m = ChatMessage::outbound(
                j(ME),
                j(ADA),
                format!("message number {n}"),
                format!("m{n}").as_str().into(),
                start + n * 60_000,
            );
            if n % 2 == 0 {
                m.direction = Direction::In;
                m.delivery = Delivery::Received;
            }
            let answers = match n {
                300 => Some("m10"),
                299 => Some("never-stored"),
                _ => None,
            };
            m.extras.reply_to = answers.map(|id| ReplyTo {
                id: id.into(),
                author: Some(j(ADA)),
                quote: None,
            });
            m
        })
        .collect();
    store.insert_messages(msgs).await.expect("stored")
}

async fn correct(store: &Store, id: &str, n: i64, body: &str) {
    let mut fix = ChatMessage::outbound(
        j(ME),
        j(ADA),
        body.into(),
        format!("fix{n}").as_str().into(),
        1,
    );
    fix.direction = Direction::In;
    fix.delivery = Delivery::Received;
    fix.sent_at = 1_230_000_000_000 + 400 * 60_000 + n * 60_000;
    fix.extras.amends = Some(Amendment::Correction { target: id.into() });
    store.insert_messages(vec![fix]).await.expect("applied");
}

fn chat_of(app: &App) -> &chat::State {
    app.screen
        .desk()
        .and_then(|d| d.chat.as_ref())
        .expect("the conversation is open")
}

fn sees(app: &App, text: &str) -> bool {
    simulator(chat_of(app).view()).find(text).is_ok()
}

/// Feeds a conversation input to the app and everything its tasks produce back to it.
async fn input(app: &mut App, m: chat::Message) {
    let mut pending = vec![Message::Chat(m)];
    while let Some(m) = pending.pop() {
        let task = app.update(m);
        pending.extend(run(task).await);
    }
}

#[tokio::test]
async fn a_quote_loads_the_pages_back_to_its_message_or_says_it_is_not_stored() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let store = app.screen.desk().expect("desk").store.clone();
    let stored = long_conversation(&store).await;
    let page = store
        .history(&j(ME), &j(ADA), None, PAGE)
        .await
        .expect("page");
    let _ = app.update(Message::History { peer: j(ADA), page });
    assert_eq!(chat_of(&app).loaded(), PAGE);
    assert!(sees(&app, "↪ a message not loaded here"));

    input(&mut app, chat::Message::FollowQuote(stored[299].local_id)).await;
    assert_eq!(
        chat_of(&app).loaded(),
        300,
        "the pages back to the 10th, whole"
    );
    assert!(sees(&app, "↪ message number 10"), "the quote shows it now");
    assert!(sees(&app, "message number 10"));
    assert!(chat_of(&app).is_highlighting(), "and marks it");

    input(&mut app, chat::Message::FollowQuote(stored[298].local_id)).await;
    assert!(sees(&app, "↪ The quoted message is not in this history"));
}

#[tokio::test]
async fn the_edited_mark_opens_the_earlier_versions_newest_first() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let store = app.screen.desk().expect("desk").store.clone();
    let stored = long_conversation(&store).await;
    correct(&store, "m298", 1, "message number 298, fixed").await;
    correct(&store, "m298", 2, "message number 298, fixed again").await;
    let page = store
        .history(&j(ME), &j(ADA), None, PAGE)
        .await
        .expect("page");
    let _ = app.update(Message::History { peer: j(ADA), page });
    assert!(sees(&app, "message number 298, fixed again"));

    input(&mut app, chat::Message::Versions(stored[297].local_id)).await;
    assert!(sees(&app, "Earlier versions, newest first"));
    let ui = |app: &App, text: &str| {
        simulator(chat_of(app).view())
            .find(text)
            .map(|t| t.bounds().y)
            .unwrap_or_else(|_| panic!("{text} is shown"))
    };
    let newer = ui(&app, "message number 298, fixed");
    let older = ui(&app, "message number 298");
    assert!(newer < older, "newest first");
    // Esc closes the list.
    let escape = iced::keyboard::Key::Named(iced::keyboard::key::Named::Escape);
    let chord = Chord::of(&escape, iced::keyboard::Modifiers::default()).expect("a chord");
    let _ = app.update(Message::Nav(chord, None));
    assert!(!sees(&app, "Earlier versions, newest first"));
}
