//! A message selected with the keyboard, and what its keys do, as the conversation shows it.
//! (The keys themselves reach it through the app: src/app/tests/selection.rs.)

use super::*;

/// Bob asks, Alice answers, Bob asks again.
fn three_messages() -> State {
    let t = at(2019, 3, 1, 9, 0);
    conversation(vec![
        message(1, Direction::In, "lunch at 1?", t),
        message(2, Direction::Out, "see you there", t + 60_000),
        message(3, Direction::In, "or 2", t + 120_000),
    ])
}

fn select(state: &mut State, s: Selection) -> Vec<Action> {
    feed(state, [Message::Selection(s)])
}

#[test]
fn ctrl_up_selects_the_newest_then_up_and_down_walk_the_history_and_past_the_newest_back() {
    let mut state = three_messages();
    // Ctrl+Up in the composer goes to the window, which knows the shortcut.
    let mut ui = simulator(state.view());
    ui.click(selector::id(composer_id()))
        .expect("the composer is on screen");
    ui.simulate([key_press(Key::Named(Named::ArrowUp), Modifiers::CTRL)]);
    let produced: Vec<Message> = ui.into_messages().collect();
    assert!(
        matches!(produced.as_slice(), [Message::Edit(_), Message::Shortcut(_, m)] if m.control()),
        "{produced:?}"
    );
    assert!(!sees(&state, "Selected: or 2"));

    assert_eq!(select(&mut state, Selection::Older), [Action::Reveal(3)]);
    assert!(sees(&state, "Selected: or 2"), "the newest first");
    assert!(sees(
        &state,
        "Message selected: R or Enter reply · E edit · Delete delete · + react · C copy · \
         V earlier versions · Shift+F10 menu · Up/Down move · Esc back to writing"
    ));
    assert_eq!(select(&mut state, Selection::Older), [Action::Reveal(2)]);
    assert!(sees(&state, "Selected: see you there"));
    assert_eq!(select(&mut state, Selection::Older), [Action::Reveal(1)]);
    assert!(sees(&state, "Selected: lunch at 1?"));
    // The oldest stored: nothing older here, the server's archive is asked as scrolling does.
    assert_eq!(
        select(&mut state, Selection::Older),
        [Action::FetchOlder { peer: j(PEER) }]
    );
    assert!(
        sees(&state, "Selected: lunch at 1?"),
        "it stays where it is"
    );

    // While a message is selected the composer types nothing: the keys are the message's.
    let mut ui = simulator(state.view());
    ui.click(selector::id(composer_id()))
        .expect("the composer is on screen");
    ui.typewrite("r");
    let produced: Vec<Message> = ui.into_messages().collect();
    assert!(
        !produced
            .iter()
            .any(|m| matches!(m, Message::Edit(text_editor::Action::Edit(_)))),
        "{produced:?}"
    );

    select(&mut state, Selection::Newer);
    select(&mut state, Selection::Newer);
    assert!(sees(&state, "Selected: or 2"));
    assert_eq!(
        select(&mut state, Selection::Newer),
        [Action::Reveal(3)],
        "past the newest: the history at its end"
    );
    assert!(!sees(&state, "Selected: or 2"), "back to writing");
    assert_eq!(state.selected(), None);
}

#[test]
fn an_older_page_is_asked_for_when_the_selection_reaches_the_oldest_loaded_message() {
    let mut state = State::new(j(PEER), "Bob".into());
    state.prepend_page(page(100, 50), 50);
    for _ in 0..50 {
        select(&mut state, Selection::Older);
    }
    assert!(sees(&state, "Selected: message 100"));
    let asked = select(&mut state, Selection::Older);
    assert!(
        matches!(asked.as_slice(), [Action::LoadOlder { before, .. }] if before.1 == 100),
        "{asked:?}"
    );
    state.prepend_page(page(50, 50), 50);
    assert_eq!(state.after_page(), Some(99), "on into the new page");
    assert!(sees(&state, "Selected: message 99"));
    assert_eq!(state.after_page(), None, "once");
    // A page that came for scrolling, not for the selection, leaves it where it is.
    state.prepend_page(page(0, 50), 50);
    assert_eq!(state.after_page(), None);
    assert!(sees(&state, "Selected: message 99"));
}

#[test]
fn keys_reply_edit_only_own_copy_and_delete_for_everyone_after_asking() {
    let mut state = three_messages();
    select(&mut state, Selection::Older);
    select(&mut state, Selection::Act(Act::Edit));
    assert!(
        sees(&state, "Selected: or 2"),
        "someone else's message cannot be edited"
    );
    assert_eq!(
        select(&mut state, Selection::Act(Act::Copy)),
        [Action::Copy("or 2".into())]
    );
    select(&mut state, Selection::Act(Act::Reply));
    assert!(sees(&state, "Replying to: or 2"));
    assert_eq!(
        state.selected(),
        None,
        "the keyboard is back in the composer"
    );
    state.set_composer_text("2 it is");
    assert_eq!(
        feed(&mut state, [Message::Send]),
        [Action::Send {
            to: j(PEER),
            body: "2 it is".into(),
            reply_to: Some(crate::model::ReplyTo {
                id: "m3".into(),
                author: Some(j(PEER)),
                quote: None,
            }),
        }]
    );

    // Alice's own message: edited in the composer, or deleted once she says yes.
    select(&mut state, Selection::Older);
    select(&mut state, Selection::Older);
    select(&mut state, Selection::Act(Act::Delete));
    assert!(sees(
        &state,
        "Delete this message for everyone? Their apps remove it too, if they can."
    ));
    assert!(sees(&state, "Enter deletes it for everyone · Esc keeps it"));
    assert_eq!(state.key_place(), Some(KeyPlace::Confirm));
    // Esc keeps it: the question goes, the message stays selected.
    assert!(select(&mut state, Selection::Back).is_empty());
    assert!(!sees(&state, "Delete this message for everyone?"));
    assert!(sees(&state, "Selected: see you there"));
    select(&mut state, Selection::Act(Act::Delete));
    assert_eq!(
        select(&mut state, Selection::ConfirmDelete),
        [Action::Retract { id: "m2".into() }]
    );
    select(&mut state, Selection::Act(Act::Edit));
    assert_eq!(state.composer_text().trim(), "see you there");
    assert!(sees(
        &state,
        "Editing your message (Enter saves the new text)"
    ));
}

#[test]
fn the_menu_and_the_picker_are_walked_with_the_keys_and_typing_searches() {
    let mut state = three_messages();
    select(&mut state, Selection::Older);
    select(&mut state, Selection::Act(Act::Menu));
    assert!(sees(&state, "Reply") && sees(&state, "React"));
    assert!(sees(
        &state,
        "Menu: Up/Down choose · Enter does it · Esc closes"
    ));
    // Reply, React: the second item opens the picker.
    select(&mut state, Selection::MenuStep(true));
    select(&mut state, Selection::MenuChoose);
    assert_eq!(state.key_place(), Some(KeyPlace::Picker));
    assert!(sees(&state, "🎉"), "the common emoji are offered");
    feed(&mut state, [Message::EmojiSearch("turtle".into())]);
    assert!(sees(&state, "🐢"));
    assert_eq!(
        select(&mut state, Selection::PickEmoji),
        [Action::React {
            id: "m3".into(),
            emoji: vec!["🐢".into()],
        }]
    );
    assert!(!sees(&state, "🎉"), "the picker closed");
    assert!(sees(&state, "Selected: or 2"), "the message stays selected");

    // The recent one first, then the common ones: Down moves to 👍, Up back, Up round to
    // the end of the row.
    select(&mut state, Selection::Act(Act::React));
    select(&mut state, Selection::EmojiStep(true));
    select(&mut state, Selection::EmojiStep(true));
    select(&mut state, Selection::EmojiStep(false));
    assert_eq!(
        select(&mut state, Selection::PickEmoji),
        [Action::React {
            id: "m3".into(),
            emoji: vec!["👍".into()],
        }]
    );
    select(&mut state, Selection::Act(Act::React));
    select(&mut state, Selection::EmojiStep(false));
    assert_eq!(
        select(&mut state, Selection::PickEmoji),
        [Action::React {
            id: "m3".into(),
            emoji: vec!["👎".into()],
        }]
    );

    // Esc closes what is open first, then goes back to writing.
    select(&mut state, Selection::Act(Act::React));
    select(&mut state, Selection::Back);
    assert!(!sees(&state, "🎉"));
    assert!(sees(&state, "Selected: or 2"));
    select(&mut state, Selection::Back);
    assert!(!sees(&state, "Selected: or 2"));
}

#[test]
fn their_newest_message_is_answered_without_selecting_it() {
    let mut state = three_messages();
    state.push(vec![message(
        4,
        Direction::Out,
        "or 3",
        at(2019, 3, 1, 9, 3),
    )]);
    select(&mut state, Selection::ReplyTheirs);
    assert!(
        sees(&state, "Replying to: or 2"),
        "theirs, not the newest own"
    );
    assert_eq!(state.selected(), None);
}

#[test]
fn the_composer_drawn_before_the_selection_still_gives_its_keys_to_it() {
    let mut state = three_messages();
    select(&mut state, Selection::Older);
    // Up in the empty composer, as it was drawn a frame before: the selection moves.
    feed(&mut state, [Message::EditLast]);
    assert!(sees(&state, "Selected: see you there"));
    // Enter: the reply, not a message sent.
    assert!(feed(&mut state, [Message::Send]).is_empty());
    assert!(sees(&state, "Replying to: see you there"));
    // A click in the composer, or a character typed there: back to writing.
    select(&mut state, Selection::Older);
    let mut ui = simulator(state.view());
    ui.click(selector::id(composer_id()))
        .expect("the composer is on screen");
    let produced: Vec<Message> = ui.into_messages().collect();
    feed(&mut state, produced);
    assert_eq!(state.selected(), None);
}
