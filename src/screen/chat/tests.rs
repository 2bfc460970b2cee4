//! The conversation as a person uses it: through the simulated window, feeding what it
//! produces back to `update` and looking at the result.

use crate::model::address::j;
use std::time::{Duration, Instant};

use chrono::{Local, TimeZone};
use iced::keyboard::key::{Named, NativeCode, Physical};
use iced::keyboard::{self, Key, Location, Modifiers};
use iced::widget::text_editor;
use iced::{Event, Point};
use iced_test::{selector, simulator};

use super::entry::{Fold, PREVIEW_BYTES};
use super::view::{Row, link_body_id, rows};
use super::*;
use crate::model::MAX_SENT_BODY;

mod history;
mod long;
mod modern;
mod select;
mod styling;

const PEER: &str = "bob@example.org";

/// A local wall-clock time in milliseconds.
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Millis {
    Local
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("unambiguous local time")
        .timestamp_millis()
}

fn message(local_id: i64, direction: Direction, body: &str, sent_at: Millis) -> ChatMessage {
    ChatMessage {
        local_id,
        account: j("alice@example.org"),
        peer: j(PEER),
        direction,
        body: body.into(),
        sent_at,
        received_at: sent_at,
        remote_id: MessageId::new(format!("m{local_id}")).ok(),
        origin_id: None,
        stanza_id: None,
        delivery: if direction == Direction::In {
            Delivery::Received
        } else {
            Delivery::Sent
        },
        delayed: false,
        carbon: false,
        extras: Default::default(),
    }
}

fn sent(local_id: i64, delivery: Delivery, body: &str) -> ChatMessage {
    ChatMessage {
        delivery,
        ..message(
            local_id,
            Direction::Out,
            body,
            at(2019, 3, 1, 10, local_id as u32),
        )
    }
}

/// `count` messages, one a minute from 2019-03-01 08:00, ids from `first_id`.
fn page(first_id: i64, count: usize) -> Vec<ChatMessage> {
    let start = at(2019, 3, 1, 8, 0);
    (0..count as i64)
        .map(|i| {
            let id = first_id + i;
            message(
                id,
                Direction::In,
                &format!("message {id}"),
                start + id * 60_000,
            )
        })
        .collect()
}

fn conversation(messages: Vec<ChatMessage>) -> State {
    let mut state = State::new(j(PEER), "Bob".into());
    state.prepend_page(messages, 50);
    state
}

/// Feeds messages to `update` and keeps the actions that are not `None`.
fn feed(state: &mut State, messages: impl IntoIterator<Item = Message>) -> Vec<Action> {
    messages
        .into_iter()
        .map(|m| state.update(m))
        .filter(|a| *a != Action::None)
        .collect()
}

fn sees(state: &State, text: &str) -> bool {
    simulator(state.view()).find(text).is_ok()
}

fn key_press(key: Key, modifiers: Modifiers) -> Event {
    Event::Keyboard(keyboard::Event::KeyPressed {
        key: key.clone(),
        modified_key: key,
        physical_key: Physical::Unidentified(NativeCode::Unidentified),
        location: Location::Standard,
        modifiers,
        repeat: false,
        text: None,
    })
}

/// Clicks into the composer, types `typed`, then presses Enter with `modifiers`.
fn type_and_press_enter(state: &State, typed: &str, modifiers: Modifiers) -> Vec<Message> {
    let mut ui = simulator(state.view());
    ui.click(selector::id(composer_id()))
        .expect("the composer is on screen");
    ui.typewrite(typed);
    ui.simulate([key_press(Key::Named(Named::Enter), modifiers)]);
    ui.into_messages().collect()
}

#[test]
fn enter_sends_the_trimmed_text_and_the_composer_empties_once_it_is_stored() {
    let mut state = conversation(vec![]);
    let produced = type_and_press_enter(&state, " hello ", Modifiers::default());
    let actions = feed(&mut state, produced);
    assert_eq!(
        actions,
        vec![
            Action::ChatState(ChatState::Composing),
            Action::Send {
                to: j(PEER),
                body: "hello".into(),
                reply_to: None,
            },
        ]
    );
    state.sending_as(&"m7".into());
    // Until the store has it, the text stays, and Enter does not send it twice.
    assert_eq!(state.composer_text().trim(), "hello");
    assert!(state.is_sending());
    assert_eq!(state.update(Message::Send), Action::None);
    // Someone else's message changes nothing; ours, stored, takes the text away.
    state.push(vec![message(6, Direction::In, "hi", at(2019, 3, 1, 10, 0))]);
    assert_eq!(state.composer_text().trim(), "hello");
    state.push(vec![sent(7, Delivery::Queued, "hello")]);
    assert_eq!(state.composer_text().trim(), "");
    assert!(!state.is_sending());
}

#[test]
fn a_message_the_store_did_not_take_stays_in_the_composer_with_the_reason() {
    let mut state = conversation(vec![]);
    let produced = type_and_press_enter(&state, "lunch?", Modifiers::default());
    feed(&mut state, produced);
    state.sending_as(&"m1".into());
    assert!(
        !state.not_sent("m0", "not ours"),
        "another message's failure"
    );
    assert!(state.not_sent(
        "m1",
        "saving the message: The disk is full, so the change could not be saved."
    ));
    assert_eq!(state.composer_text().trim(), "lunch?");
    assert!(sees(
        &state,
        "Not sent: saving the message: The disk is full, so the change could not be saved. \
         Your text is still here; send it again when that is solved."
    ));
    // Sent again, and stored this time; what the person typed meanwhile is theirs.
    assert_eq!(
        state.update(Message::Send),
        Action::Send {
            to: j(PEER),
            body: "lunch?".into(),
            reply_to: None,
        }
    );
    state.sending_as(&"m2".into());
    let more = text_editor::Action::Edit(text_editor::Edit::Paste(std::sync::Arc::new(
        " at noon".into(),
    )));
    state.update(Message::Edit(more));
    state.push(vec![sent(2, Delivery::Queued, "lunch?")]);
    assert_eq!(state.composer_text().trim(), "lunch? at noon");
}

#[test]
fn shift_enter_breaks_the_line_and_does_not_send() {
    let mut state = conversation(vec![]);
    let mut ui = simulator(state.view());
    ui.click(selector::id(composer_id()))
        .expect("the composer is on screen");
    ui.typewrite("a");
    ui.simulate([key_press(Key::Named(Named::Enter), Modifiers::SHIFT)]);
    ui.typewrite("b");
    let produced: Vec<Message> = ui.into_messages().collect();
    assert_eq!(
        feed(&mut state, produced),
        vec![Action::ChatState(ChatState::Composing)]
    );
    assert_eq!(state.composer_text().trim_end(), "a\nb");
    assert_eq!(
        state.update(Message::Send),
        Action::Send {
            to: j(PEER),
            body: "a\nb".into(),
            reply_to: None,
        }
    );
}

#[test]
fn enter_in_an_empty_composer_sends_nothing() {
    let mut state = conversation(vec![]);
    let produced = type_and_press_enter(&state, "   ", Modifiers::default());
    assert_eq!(feed(&mut state, produced), vec![]);
    assert_eq!(state.update(Message::Send), Action::None);
}

#[test]
fn typing_tells_composing_once_then_paused_or_active() {
    let mut state = conversation(vec![]);
    let insert = |c| Message::Edit(text_editor::Action::Edit(text_editor::Edit::Insert(c)));
    let actions = feed(&mut state, "hey".chars().map(insert));
    assert_eq!(actions, vec![Action::ChatState(ChatState::Composing)]);
    // Nothing while still typing; "paused" after a while without keys.
    let now = Instant::now();
    assert_eq!(state.tick(now), Action::None);
    assert_eq!(
        state.tick(now + Duration::from_secs(6)),
        Action::ChatState(ChatState::Paused)
    );
    assert_eq!(state.tick(now + Duration::from_secs(12)), Action::None);
    // Typing again is composing again; clearing the text is active.
    assert_eq!(
        state.update(insert('!')),
        Action::ChatState(ChatState::Composing)
    );
    let clear = [
        Message::Edit(text_editor::Action::SelectAll),
        Message::Edit(text_editor::Action::Edit(text_editor::Edit::Backspace)),
    ];
    assert_eq!(
        feed(&mut state, clear),
        vec![Action::ChatState(ChatState::Active)]
    );
}

#[test]
fn own_messages_show_their_delivery_and_a_failed_one_can_be_retried() {
    let mut state = conversation(vec![
        sent(1, Delivery::Queued, "first"),
        sent(2, Delivery::Delivered, "second"),
        sent(3, Delivery::Failed, "third"),
    ]);
    assert!(sees(&state, "◷"), "queued");
    assert!(sees(&state, "✓✓"));
    assert!(sees(&state, "⚠ Not sent"));

    let mut ui = simulator(state.view());
    ui.click("Retry").expect("a Retry button");
    let produced: Vec<Message> = ui.into_messages().collect();
    let actions = feed(&mut state, produced);
    assert_eq!(actions, vec![Action::Retry { id: "m3".into() }]);
    assert!(
        !sees(&state, "⚠ Not sent"),
        "shown as queued again, no second retry"
    );

    state.set_delivery("m1", Delivery::Sent);
    assert!(sees(&state, "↑"), "sent to the server");
    state.set_delivery("m1", Delivery::Acked);
    assert!(sees(&state, "✓"), "the server has it");
    // A late server ack does not take "delivered" back.
    state.set_delivery("m2", Delivery::Acked);
    assert!(sees(&state, "✓✓"));
    state.set_delivery("m3", Delivery::Failed);
    assert!(sees(&state, "⚠ Not sent"));
}

#[test]
fn days_are_separated_and_each_message_has_its_time() {
    let now = chrono::Local::now().timestamp_millis();
    let state = conversation(vec![
        message(1, Direction::In, "morning", at(2019, 3, 1, 10, 0)),
        message(2, Direction::Out, "later", at(2019, 3, 1, 11, 30)),
        message(3, Direction::In, "next day", at(2019, 3, 2, 9, 15)),
        message(4, Direction::In, "now", now),
    ]);
    let shape: Vec<String> = rows(&state.entries)
        .map(|row| match row {
            Row::Day(day) => day.to_string(),
            Row::Message(entry) => entry.msg.local_id.to_string(),
        })
        .collect();
    let today = Local::now().date_naive().to_string();
    assert_eq!(
        shape,
        ["2019-03-01", "1", "2", "2019-03-02", "3", &today, "4"]
    );
    for seen in [
        "Friday, 1 March 2019",
        "Saturday, 2 March 2019",
        "Today",
        "10:00",
        "11:30",
        "09:15",
    ] {
        assert!(sees(&state, seen), "{seen}");
    }
}

#[test]
fn web_links_are_clickable_and_other_schemes_are_plain_text() {
    let mut state = conversation(vec![
        message(
            1,
            Direction::In,
            "https://example.org/page",
            at(2019, 3, 1, 10, 0),
        ),
        message(
            2,
            Direction::In,
            "javascript:alert(1)",
            at(2019, 3, 1, 10, 1),
        ),
        message(
            3,
            Direction::In,
            "file:///etc/passwd",
            at(2019, 3, 1, 10, 2),
        ),
    ]);
    let mut ui = simulator(state.view());
    let link = ui
        .find(selector::id(link_body_id(1)))
        .expect("the link body");
    let bounds = link.bounds();
    ui.point_at(Point::new(bounds.x + 4.0, bounds.center_y()));
    ui.simulate(iced_test::simulator::click());
    let produced: Vec<Message> = ui.into_messages().collect();
    let actions = feed(&mut state, produced);
    assert_eq!(
        actions,
        vec![Action::OpenLink("https://example.org/page".into())]
    );

    for (id, body) in [(2, "javascript:alert(1)"), (3, "file:///etc/passwd")] {
        let mut ui = simulator(state.view());
        assert!(
            ui.find(selector::id(link_body_id(id))).is_err(),
            "{body} is not a link"
        );
        ui.click(body).expect("shown as plain text");
        let produced: Vec<Message> = ui.into_messages().collect();
        assert_eq!(feed(&mut state, produced), vec![], "{body}");
        assert_eq!(state.update(Message::OpenLink(body.into())), Action::None);
    }
}

#[test]
fn message_text_is_shown_as_written_and_no_markup_is_read() {
    let bodies = [
        "<b>bold</b> &amp; <i>not italic</i>",
        "**not bold** __nor this__ ``nor code``",
        "<a href=evil>your bank</a>",
        "<img src=x onerror=alert(1)>",
        "&lt;&#x41;&gt; stays as typed",
    ];
    let state = conversation(
        bodies
            .iter()
            .enumerate()
            .map(|(i, b)| message(i as i64 + 1, Direction::In, b, at(2019, 3, 1, 10, i as u32)))
            .collect(),
    );
    for body in bodies {
        assert!(sees(&state, body), "“{body}” is shown exactly as written");
    }
    assert!(!sees(&state, "bold"), "no tag is read as formatting");
    assert!(!sees(&state, "your bank"), "no tag becomes a link label");
}

#[test]
fn copies_are_merged_and_new_messages_kept_in_order() {
    let mut state = conversation(page(1, 3));
    state.push(page(2, 1));
    assert_eq!(state.loaded(), 3, "the same stored row once");
    state.push(vec![message(
        9,
        Direction::In,
        "late",
        at(2019, 3, 1, 7, 0),
    )]);
    let ids: Vec<i64> = state.entries.iter().map(|e| e.msg.local_id).collect();
    assert_eq!(ids, [9, 1, 2, 3]);
    // Someone else's message does not land here.
    state.push(vec![ChatMessage {
        peer: j("eve@example.org"),
        ..message(10, Direction::In, "x", 0)
    }]);
    assert_eq!(state.loaded(), 4);
}

#[test]
fn the_peer_typing_shows_until_their_message_arrives() {
    let mut state = conversation(vec![]);
    state.set_chat_state(ChatState::Composing);
    assert!(sees(&state, "Bob is typing…"));
    state.set_chat_state(ChatState::Paused);
    assert!(sees(&state, "Bob stopped typing."));
    state.set_chat_state(ChatState::Composing);
    state.push(vec![message(1, Direction::In, "hi", at(2019, 3, 1, 10, 0))]);
    assert!(!sees(&state, "Bob is typing…"));
}

#[test]
fn search_asks_for_the_text_and_lists_results_with_day_and_time() {
    let mut state = conversation(vec![]);
    state.focus_search();
    let actions = feed(
        &mut state,
        [
            Message::SearchInput("  hello ".into()),
            Message::SearchSubmit,
        ],
    );
    assert_eq!(
        actions,
        vec![Action::Search {
            peer: j(PEER),
            text: "hello".into()
        }]
    );
    state.set_search_results(vec![message(
        5,
        Direction::In,
        "hello there",
        at(2019, 3, 1, 10, 0),
    )]);
    for seen in [
        "One message found.",
        "hello there",
        "Friday, 1 March 2019",
        "10:00",
        "Bob",
    ] {
        assert!(sees(&state, seen), "{seen}");
    }
    assert_eq!(state.update(Message::SearchClose), Action::None);
    assert!(!sees(&state, "hello there"));
}

#[test]
fn a_prefilled_composer_keeps_its_text() {
    let mut state = conversation(vec![]);
    state.set_composer_text("from a link");
    assert_eq!(state.composer_text().trim_end(), "from a link");
    assert_eq!(
        state.update(Message::Send),
        Action::Send {
            to: j(PEER),
            body: "from a link".into(),
            reply_to: None,
        }
    );
}

#[test]
fn the_composer_keeps_its_focus_while_the_typing_line_comes_and_goes() {
    use iced_test::simulator::{click, typewrite};
    let mut state = conversation(page(1, 3));
    let composer = simulator(state.view())
        .find(selector::id(composer_id()))
        .expect("the composer is on screen")
        .visible_bounds()
        .expect("the composer is visible")
        .center();
    let mut window = crate::widget::frames::Window::new();
    let events: Vec<_> = click().collect();
    let (clicked, focused) = window.frame(state.view(), Some(composer), &events);
    assert_eq!(focused, Some(composer_id()));
    feed(&mut state, clicked);

    // The peer starts typing: a line appears above the composer.
    state.set_chat_state(ChatState::Composing);
    let events: Vec<_> = typewrite("hel").collect();
    let (typed, focused) = window.frame(state.view(), None, &events);
    assert_eq!(focused, Some(composer_id()), "typing line shown");
    feed(&mut state, typed);
    // Their message arrives, from a new day: the typing line goes, a day separator comes.
    state.push(vec![message(
        900,
        Direction::In,
        "there?",
        at(2026, 11, 20, 12, 0),
    )]);
    let events: Vec<_> = typewrite("lo").collect();
    let (typed, focused) = window.frame(state.view(), None, &events);
    assert_eq!(focused, Some(composer_id()), "typing line gone");
    feed(&mut state, typed);
    assert_eq!(state.composer_text().trim(), "hello");
    assert!(sees(&state, "there?"));
}

#[test]
fn an_answer_with_a_whole_second_stamp_shows_below_the_message_it_answers() {
    let second = at(2026, 11, 20, 12, 0) + 5_000;
    // Sent from here at .400 and stored first; their answer arrives stamped .000 (offline
    // storage keeps whole seconds) and is stored after it.
    let mut mine = message(10, Direction::Out, "Lunch?", second + 400);
    mine.delivery = Delivery::Delivered;
    let mut state = conversation(vec![mine]);
    state.push(vec![message(11, Direction::In, "Yes!", second)]);
    let bodies: Vec<_> = state.entries.iter().map(|e| e.msg.body.as_str()).collect();
    assert_eq!(bodies, ["Lunch?", "Yes!"]);
    // Earlier seconds still come first whatever the order they were stored in.
    state.push(vec![message(12, Direction::In, "Hi", second - 60_000)]);
    let bodies: Vec<_> = state.entries.iter().map(|e| e.msg.body.as_str()).collect();
    assert_eq!(bodies, ["Hi", "Lunch?", "Yes!"]);
    // The page before is asked from the store's oldest, not the first shown.
    assert_eq!(
        state.entries.iter().map(Entry::cursor).min(),
        Some((second - 60_000, 12))
    );
}
