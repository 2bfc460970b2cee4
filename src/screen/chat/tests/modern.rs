//! Edited, deleted, replied, reacted and encrypted messages as the conversation shows them,
//! and the message menu, the emoji picker and Up in an empty composer as a person uses them.

use super::*;
use crate::model::{Encryption, Reaction};

/// Bob's edited message with two thumbs up, Alice's deleted one, Bob's reply to the first and
/// an OMEMO message.
fn modern_conversation() -> State {
    let t = at(2019, 3, 1, 9, 0);
    let mut edited = message(1, Direction::In, "lunch at 1?", t);
    edited.extras.edited_at = Some(t + 60_000);
    edited.extras.reactions = vec![
        Reaction {
            from: j(PEER),
            emoji: vec!["👍".into()],
        },
        Reaction {
            from: j("alice@example.org"),
            emoji: vec!["👍".into()],
        },
    ];
    let mut gone = message(2, Direction::Out, "", t + 120_000);
    gone.extras.retracted_at = Some(t + 180_000);
    let mut reply = message(3, Direction::In, "or 2", t + 240_000);
    reply.extras.reply_to = Some(crate::model::ReplyTo {
        id: "m1".into(),
        author: Some(j("alice@example.org")),
        quote: None,
    });
    let mut sealed = message(4, Direction::In, "", t + 300_000);
    sealed.extras.encryption = Some(Encryption {
        scheme: "omemo".into(),
        fallback: "I sent you an OMEMO encrypted message".into(),
        payload: String::new(),
    });
    let own = message(5, Direction::Out, "see you there", t + 360_000);
    conversation(vec![edited, gone, reply, sealed, own])
}

#[test]
fn edited_deleted_replied_reacted_and_encrypted_messages_show_as_they_are() {
    let state = modern_conversation();
    assert!(sees(&state, "edited"));
    assert!(sees(&state, "message deleted"));
    assert!(sees(&state, "↪ lunch at 1?"), "the quote above the reply");
    assert!(sees(&state, "👍 2"), "the reaction with its count");
    assert!(sees(
        &state,
        "This message is encrypted with OMEMO, which Natter cannot read yet"
    ));
    assert!(!sees(&state, "I sent you an OMEMO encrypted message"));
}

#[test]
fn up_in_an_empty_composer_edits_the_last_own_message_and_enter_corrects_it() {
    let mut state = modern_conversation();
    let mut ui = simulator(state.view());
    ui.click(selector::id(composer_id()))
        .expect("the composer is on screen");
    ui.simulate([key_press(Key::Named(Named::ArrowUp), Modifiers::default())]);
    let produced: Vec<Message> = ui.into_messages().collect();
    assert!(feed(&mut state, produced).is_empty());
    assert_eq!(state.composer_text().trim(), "see you there");
    assert!(sees(
        &state,
        "Editing your message (Enter saves the new text)"
    ));
    state.set_composer_text("see you there at 2");
    let actions = feed(&mut state, [Message::Send]);
    assert_eq!(
        actions,
        [Action::Correct {
            id: "m5".into(),
            body: "see you there at 2".into(),
        }]
    );
    assert_eq!(
        state.composer_text().trim(),
        "",
        "the composer is free again"
    );
    // With text in it, Up moves the cursor and edits nothing.
    state.set_composer_text("draft");
    assert!(
        feed(
            &mut state,
            [Message::Edit(text_editor::Action::Move(
                text_editor::Motion::Up
            ))]
        )
        .is_empty()
    );
    assert_eq!(state.composer_text(), "draft");
}

#[test]
fn the_menu_replies_reacts_and_deletes_for_everyone_only_after_asking() {
    let mut state = modern_conversation();
    feed(&mut state, [Message::MessageMenu(1)]);
    assert!(sees(&state, "Reply") && sees(&state, "React"));
    assert!(
        !sees(&state, "Edit"),
        "someone else's message cannot be edited"
    );
    feed(&mut state, [Message::Reply(1)]);
    assert!(sees(&state, "Replying to: lunch at 1?"));
    state.set_composer_text("yes");
    let actions = feed(&mut state, [Message::Send]);
    assert_eq!(
        actions,
        [Action::Send {
            to: j(PEER),
            body: "yes".into(),
            reply_to: Some(crate::model::ReplyTo {
                id: "m1".into(),
                author: Some(j(PEER)),
                quote: None,
            }),
        }]
    );

    feed(&mut state, [Message::MessageMenu(5)]);
    let mut ui = simulator(state.view());
    ui.click("Delete for everyone").expect("the menu offers it");
    let produced: Vec<Message> = ui.into_messages().collect();
    assert!(
        feed(&mut state, produced).is_empty(),
        "nothing before the answer"
    );
    assert!(sees(
        &state,
        "Delete this message for everyone? Their apps remove it too, if they can."
    ));
    assert_eq!(
        feed(&mut state, [Message::ConfirmDelete(true)]),
        [Action::Retract { id: "m5".into() }]
    );

    // Alice's thumbs up is taken back; a new emoji joins her set.
    feed(&mut state, [Message::ReactPicker(1)]);
    assert!(sees(&state, "🎉"), "the common emoji are offered");
    assert_eq!(
        feed(&mut state, [Message::React(1, "👍".into())]),
        [Action::React {
            id: "m1".into(),
            emoji: vec![],
        }]
    );
    assert_eq!(
        feed(&mut state, [Message::React(1, "🎉".into())]),
        [Action::React {
            id: "m1".into(),
            emoji: vec!["👍".into(), "🎉".into()],
        }]
    );
}

#[test]
fn the_picker_searches_the_whole_emoji_list_by_name() {
    let mut state = modern_conversation();
    feed(
        &mut state,
        [
            Message::ReactPicker(3),
            Message::EmojiSearch("turtle".into()),
        ],
    );
    assert!(sees(&state, "🐢"));
    assert_eq!(
        super::super::menu::search_emoji("no such emoji name"),
        Vec::<&str>::new()
    );
}
