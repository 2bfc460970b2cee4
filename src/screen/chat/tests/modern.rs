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

#[test]
fn the_menu_copies_the_text_as_sent_and_opens_the_earlier_versions() {
    let mut state = modern_conversation();
    feed(&mut state, [Message::MessageMenu(1)]);
    assert!(sees(&state, "Copy text") && sees(&state, "Earlier versions"));
    let mut ui = simulator(state.view());
    ui.click("Copy text").expect("the menu offers it");
    let produced: Vec<Message> = ui.into_messages().collect();
    assert_eq!(
        feed(&mut state, produced),
        [Action::Copy("lunch at 1?".into())]
    );

    // A deleted message has nothing to copy and no versions.
    feed(&mut state, [Message::MessageMenu(2)]);
    assert!(!sees(&state, "Copy text") && !sees(&state, "Earlier versions"));

    // The "edited" mark opens the versions too; they show newest first once the store
    // answers; Close (or Esc, through the app) closes them.
    let mut ui = simulator(state.view());
    ui.click("edited").expect("the mark is a button");
    let produced: Vec<Message> = ui.into_messages().collect();
    assert_eq!(
        feed(&mut state, produced),
        [Action::LoadVersions { local_id: 1 }]
    );
    assert!(sees(&state, "Loading the earlier versions…"));
    let t = at(2019, 3, 1, 9, 0);
    state.set_versions(
        1,
        vec![
            (t, "lunch at 12?".into()),
            (t + 30_000, "lunch at 12:30?".into()),
        ],
    );
    assert!(sees(&state, "Earlier versions, newest first"));
    assert!(sees(&state, "Friday, 1 March 2019, 09:00"));
    let y = |state: &State, text: &str| {
        simulator(state.view())
            .find(text)
            .map(|t| t.bounds().y)
            .expect("shown")
    };
    assert!(y(&state, "lunch at 12:30?") < y(&state, "lunch at 12?"));
    feed(&mut state, [Message::CloseMenu]);
    assert!(!sees(&state, "lunch at 12?"));
    // Ctrl+E: the newest edited message's versions.
    assert_eq!(
        feed(&mut state, [Message::VersionsNewest]),
        [Action::LoadVersions { local_id: 1 }]
    );
    assert!(state.close_menu(), "Esc has something to close");
    assert!(!state.close_menu());
}

#[test]
fn a_quote_leads_to_its_message_or_asks_for_the_pages_back_to_it() {
    let mut state = modern_conversation();
    let mut ui = simulator(state.view());
    ui.click("↪ lunch at 1?").expect("the quote is a button");
    let produced: Vec<Message> = ui.into_messages().collect();
    assert_eq!(feed(&mut state, produced), [Action::Reveal(1)]);
    assert!(state.is_highlighting());
    state.fade_highlight(Instant::now() + Duration::from_secs(5));
    assert!(!state.is_highlighting(), "the mark fades");

    // A reply to a message not loaded: the app is asked for it.
    let mut far = message(6, Direction::In, "as I said", at(2019, 3, 1, 9, 10));
    far.extras.reply_to = Some(crate::model::ReplyTo {
        id: "m-old".into(),
        author: None,
        quote: None,
    });
    state.push(vec![far]);
    let oldest = state.entries.iter().map(Entry::cursor).min();
    assert_eq!(
        feed(&mut state, [Message::FollowQuote(6)]),
        [Action::FindQuoted {
            peer: j(PEER),
            id: "m-old".into(),
            reply: 6,
            before: oldest,
        }]
    );
    let mut old = message(0, Direction::Out, "the old plan", at(2019, 2, 1, 9, 0));
    old.local_id = -1;
    old.remote_id = Some("m-old".into());
    let found = Quoted::Found {
        local_id: -1,
        pages: vec![old],
        start: true,
    };
    assert_eq!(state.quoted(6, found), Action::Reveal(-1));
    assert!(sees(&state, "↪ the old plan"));
    assert!(sees(&state, "This is the start of your conversation."));

    // Not stored: the quote says so, and leads nowhere.
    let mut lost = message(7, Direction::In, "and that", at(2019, 3, 1, 9, 11));
    lost.extras.reply_to = Some(crate::model::ReplyTo {
        id: "nowhere".into(),
        author: None,
        quote: None,
    });
    state.push(vec![lost]);
    assert_eq!(state.quoted(7, Quoted::Missing), Action::None);
    let mut ui = simulator(state.view());
    ui.click("↪ The quoted message is not in this history")
        .expect("shown in place of the quote");
    assert_eq!(ui.into_messages().count(), 0);
}
