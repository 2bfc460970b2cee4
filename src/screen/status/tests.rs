use iced::keyboard::key::Named;
use iced::{Event, Point, touch};
use iced_test::selector;
use iced_test::simulator;

use super::*;
use crate::screen::roster::tests::texts;

fn feed(messages: impl IntoIterator<Item = Message>, state: &mut State) -> Action {
    let mut last = Action::None;
    for m in messages {
        let action = state.update(m);
        if action != Action::None {
            last = action;
        }
    }
    last
}

/// Opens the show list and touches its `index`-th entry, as a person would.
fn pick_show(state: &State, index: usize) -> Vec<Message> {
    let mut ui = simulator(state.view());
    let list = ui
        .click(selector::id("status-show"))
        .expect("the show list is on screen");
    let bounds = list.bounds();
    // Menu rows: the list's text size times the default line height (1.3), plus its padding.
    let row = 13.0 * 1.3 + 8.0;
    let at = Point::new(
        bounds.center_x(),
        bounds.y + bounds.height + row * (index as f32 + 0.5),
    );
    ui.point_at(at);
    ui.simulate([Event::Touch(touch::Event::FingerPressed {
        id: touch::Finger(0),
        position: at,
    })]);
    ui.into_messages().collect()
}

#[test]
fn choosing_a_show_applies_it_at_once_with_the_message() {
    let mut state = State::new(Show::Available, "At my desk".into(), vec![]);
    assert!(
        texts(state.view()).contains(&"●".to_owned()),
        "available shows its symbol"
    );
    let messages = pick_show(&state, 2);
    assert!(
        matches!(messages.as_slice(), [Message::Show(Show::Away)]),
        "{messages:?}"
    );
    let action = feed(messages, &mut state);
    assert_eq!(
        action,
        Action::Set {
            show: Show::Away,
            status: "At my desk".into()
        }
    );
    assert_eq!(state.show(), Show::Away);
    let shown = texts(state.view());
    assert!(
        shown.contains(&"◐".to_owned()) && !shown.contains(&"●".to_owned()),
        "{shown:?}"
    );

    let action = feed(pick_show(&state, 4), &mut state);
    assert_eq!(
        action,
        Action::Set {
            show: Show::Dnd,
            status: "At my desk".into()
        }
    );
    assert_eq!(
        state.update(Message::Show(Show::Unavailable)),
        Action::None,
        "offline is not a choice"
    );
}

#[test]
fn enter_in_the_message_field_applies_the_typed_status() {
    let mut state = State::new(Show::Chat, String::new(), vec![]);
    state.set_account("me@example.org".into());
    state.set_connection("Online".into());
    let mut ui = simulator(state.view());
    assert!(
        ui.find("me@example.org").is_ok() && ui.find("Online").is_ok(),
        "account and connection"
    );
    ui.click(selector::id(STATUS_INPUT))
        .expect("the message field");
    ui.typewrite("  Writing a talk ");
    ui.tap_key(Named::Enter);
    let action = feed(ui.into_messages(), &mut state);
    assert_eq!(
        action,
        Action::Set {
            show: Show::Chat,
            status: "Writing a talk".into()
        }
    );
    assert_eq!(state.status(), "Writing a talk");
    assert_eq!(state.recent(), ["Writing a talk"]);
    assert!(
        simulator(state.view()).find("Writing a talk").is_ok(),
        "the field shows the message"
    );
}

#[test]
fn a_recent_message_is_picked_from_the_list_and_applied() {
    let mut state = State::new(
        Show::Away,
        String::new(),
        vec!["In a meeting".into(), "Lunch".into()],
    );
    let recent = format!("{} ▾", crate::fl!("status-recent"));
    let mut ui = simulator(state.view());
    assert!(ui.find("Lunch").is_err(), "the list is folded");
    ui.click(recent.as_str()).expect("the recent button");
    feed(ui.into_messages(), &mut state);

    let mut ui = simulator(state.view());
    ui.click("Lunch").expect("a recent message");
    let action = feed(ui.into_messages(), &mut state);
    assert_eq!(
        action,
        Action::Set {
            show: Show::Away,
            status: "Lunch".into()
        }
    );
    assert_eq!(
        state.recent(),
        ["Lunch", "In a meeting"],
        "the picked one moves to the front"
    );
    let shown = texts(state.view());
    assert!(
        !shown.contains(&crate::fl!("status-clear")),
        "the list folded after the pick: {shown:?}"
    );
    assert!(
        simulator(state.view()).find("Lunch").is_ok(),
        "the field holds it"
    );

    state.update(Message::ToggleRecent);
    let mut ui = simulator(state.view());
    ui.click(crate::fl!("status-clear"))
        .expect("clear is offered while a message is set");
    let action = feed(ui.into_messages(), &mut state);
    assert_eq!(
        action,
        Action::Set {
            show: Show::Away,
            status: String::new()
        }
    );
}

#[test]
fn recent_messages_are_five_at_most_unique_non_empty_and_newest_first() {
    let given = ["a", "", "b", "a", "  ", "c", "d", "e", "f", "g"]
        .map(String::from)
        .to_vec();
    let mut state = State::new(Show::Unavailable, " x ".into(), given);
    assert_eq!(state.recent(), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        state.show(),
        Show::Available,
        "a restored offline show becomes available"
    );
    assert_eq!(state.status(), "x");

    state.update(Message::Status("d".into()));
    state.update(Message::Submit);
    assert_eq!(state.recent(), ["d", "a", "b", "c", "e"]);
    state.update(Message::Status("   ".into()));
    assert_eq!(
        state.update(Message::Submit),
        Action::Set {
            show: Show::Available,
            status: String::new()
        }
    );
    assert_eq!(
        state.recent(),
        ["d", "a", "b", "c", "e"],
        "an empty message is not remembered"
    );
    state.update(Message::Status("new".into()));
    state.update(Message::Submit);
    assert_eq!(state.recent(), ["new", "d", "a", "b", "c"]);
}

#[test]
fn every_show_is_offered_with_its_symbol_and_name() {
    let labels: Vec<String> = Choice::ALL.iter().map(ToString::to_string).collect();
    assert_eq!(
        labels,
        [
            format!("● {}", crate::fl!("show-available")),
            format!("◆ {}", crate::fl!("show-chat")),
            format!("◐ {}", crate::fl!("show-away")),
            format!("◌ {}", crate::fl!("show-xa")),
            format!("⊘ {}", crate::fl!("show-dnd")),
        ]
    );
}

#[test]
fn a_long_connection_state_is_still_shown_whole() {
    let mut state = State::default();
    state.set_account("me@example.org".into());
    let long = "Reconnecting in 5 s (the server closed the connection)";
    state.set_connection(long.into());
    let shown = texts(state.view());
    assert!(
        shown.contains(&"me@example.org".to_owned()) && shown.contains(&long.to_owned()),
        "{shown:?}"
    );
}
