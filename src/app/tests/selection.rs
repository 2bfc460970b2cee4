//! A message of the open conversation selected and acted on with the keys alone, through the
//! window's key handling (the same path a real key press takes).

use super::*;
use iced::keyboard::{Key, Modifiers, key::Named};

/// A key press as the window reports it when no field used it; `modified` is what the key
/// gives with the modifiers held ("+" for Shift+= on a US keyboard).
fn press_as(key: Key, modified: Key, modifiers: Modifiers) -> Message {
    press_with(key, modified, modifiers, iced::event::Status::Ignored)
}

fn press_with(
    key: Key,
    modified: Key,
    modifiers: Modifiers,
    status: iced::event::Status,
) -> Message {
    let text = match modified.as_ref() {
        Key::Character(c) if !modifiers.control() => Some(c.into()),
        _ => None,
    };
    let event = iced::keyboard::Event::KeyPressed {
        key,
        modified_key: modified,
        physical_key: iced::keyboard::key::Physical::Unidentified(
            iced::keyboard::key::NativeCode::Unidentified,
        ),
        location: iced::keyboard::Location::Standard,
        modifiers,
        text,
        repeat: false,
    };
    super::super::keys::press(&event, status).expect("a key press")
}

fn press(key: Key, modifiers: Modifiers) -> Message {
    press_as(key.clone(), key, modifiers)
}

fn named(named: Named, modifiers: Modifiers) -> Message {
    press(Key::Named(named), modifiers)
}

fn letter(c: &str) -> Message {
    press(Key::Character(c.into()), Modifiers::empty())
}

fn shows(app: &App, text: &str) -> bool {
    texts(app).iter().any(|t| t == text)
}

/// Ada's conversation with her question, Alice's answer and Ada's second question.
async fn conversation() -> (tempfile::TempDir, App) {
    let (dir, mut app) = app_with_a_conversation_open().await;
    let message = |n: i64, direction, body: &str| {
        let mut m = crate::model::ChatMessage::outbound(
            j(ME),
            j(ADA),
            body.into(),
            crate::model::MessageId::new(format!("id-{n}")).expect("an id"),
            1_763_800_000_000 + n * 60_000,
        );
        m.direction = direction;
        m.local_id = n;
        m
    };
    use crate::model::Direction::{In, Out};
    session_event(
        &mut app,
        Event::Messages(vec![
            message(1, In, "lunch at 1?"),
            message(2, Out, "see you there"),
            message(3, In, "or 2"),
        ]),
    );
    (dir, app)
}

#[tokio::test]
async fn ctrl_up_up_and_r_reply_to_the_message_before_and_typing_goes_on_in_the_composer() {
    let (_dir, mut app) = conversation().await;
    let _ = app.update(named(Named::ArrowUp, Modifiers::CTRL));
    assert!(shows(&app, "Selected: or 2"), "{:?}", texts(&app));
    let _ = app.update(named(Named::ArrowUp, Modifiers::empty()));
    let _ = app.update(named(Named::ArrowUp, Modifiers::empty()));
    assert!(shows(&app, "Selected: lunch at 1?"));
    let _ = app.update(named(Named::ArrowDown, Modifiers::empty()));
    let _ = app.update(named(Named::ArrowUp, Modifiers::empty()));
    let task = app.update(letter("r"));
    assert!(task.units() > 0, "the composer takes the keyboard");
    assert!(shows(&app, "Replying to: lunch at 1?"));
    assert!(!shows(&app, "Selected: lunch at 1?"));
    // The letters are the composer's again.
    for c in ["r", "e"] {
        let _ = app.update(letter(c));
    }
    let composer = desk(&app).chat.as_ref().map(chat::State::composer_text);
    assert_eq!(composer.as_deref().map(str::trim), Some("re"));
}

#[tokio::test]
async fn a_character_that_is_no_key_of_the_selection_goes_into_the_composer() {
    let (_dir, mut app) = conversation().await;
    let _ = app.update(named(Named::ArrowUp, Modifiers::CTRL));
    let _ = app.update(letter("h"));
    assert!(!shows(&app, "Selected: or 2"));
    let composer = desk(&app).chat.as_ref().map(chat::State::composer_text);
    assert_eq!(composer.as_deref().map(str::trim), Some("h"));
    // Esc from a selection is back to writing too, the draft untouched.
    let _ = app.update(named(Named::ArrowUp, Modifiers::CTRL));
    assert!(shows(&app, "Selected: or 2"));
    let _ = app.update(named(Named::Escape, Modifiers::empty()));
    assert!(!shows(&app, "Selected: or 2"));
    let composer = desk(&app).chat.as_ref().map(chat::State::composer_text);
    assert_eq!(composer.as_deref().map(str::trim), Some("h"));
}

#[tokio::test]
async fn delete_asks_and_enter_answers_yes() {
    let (_dir, mut app) = conversation().await;
    let _ = app.update(named(Named::ArrowUp, Modifiers::CTRL));
    // Someone else's message: Delete asks nothing.
    let _ = app.update(named(Named::Delete, Modifiers::empty()));
    assert!(!shows(
        &app,
        "Delete this message for everyone? Their apps remove it too, if they can."
    ));
    let _ = app.update(named(Named::ArrowUp, Modifiers::empty()));
    let _ = app.update(named(Named::Delete, Modifiers::empty()));
    assert!(shows(
        &app,
        "Delete this message for everyone? Their apps remove it too, if they can."
    ));
    assert!(shows(&app, "Enter deletes it for everyone · Esc keeps it"));
    let _ = app.update(named(Named::Enter, Modifiers::empty()));
    assert!(!shows(
        &app,
        "Delete this message for everyone? Their apps remove it too, if they can."
    ));
    // No session in this test: asked of it, the retraction meets the offline banner.
    assert_eq!(
        banner(&app),
        Some(super::super::AppError::Offline.words()),
        "the deletion was asked for"
    );
}

#[tokio::test]
async fn plus_opens_the_picker_shift_f10_the_menu_and_help_lists_the_keys() {
    let (_dir, mut app) = conversation().await;
    let _ = app.update(named(Named::ArrowUp, Modifiers::CTRL));
    // "+" is Shift+= on a US keyboard.
    let plus = press_as(
        Key::Character("=".into()),
        Key::Character("+".into()),
        Modifiers::SHIFT,
    );
    let task = app.update(plus);
    assert!(task.units() > 0, "the picker's search takes the keyboard");
    assert!(shows(&app, "🎉"), "the picker is open");
    assert!(shows(
        &app,
        "Type to search · Up/Down choose · Enter reacts · Esc closes"
    ));
    // Esc (which the picker's search used) closes it; the message stays selected.
    let esc = Key::Named(Named::Escape);
    let _ = app.update(press_with(
        esc.clone(),
        esc,
        Modifiers::empty(),
        iced::event::Status::Captured,
    ));
    assert!(!shows(&app, "🎉"));
    assert!(shows(&app, "Selected: or 2"));

    let _ = app.update(named(Named::F10, Modifiers::SHIFT));
    assert!(shows(
        &app,
        "Menu: Up/Down choose · Enter does it · Esc closes"
    ));
    assert!(shows(&app, "Copy text"));

    let _ = app.update(named(Named::F1, Modifiers::empty()));
    for wanted in [
        "Ctrl+Up",
        "Ctrl+Shift+Up",
        "R, Enter",
        "+, Ctrl+;",
        "Shift+F10, Menu",
    ] {
        assert!(shows(&app, wanted), "{wanted} in the help");
    }
}

#[tokio::test]
async fn ctrl_shift_up_answers_their_newest_message() {
    let (_dir, mut app) = conversation().await;
    let _ = app.update(named(Named::ArrowUp, Modifiers::CTRL | Modifiers::SHIFT));
    assert!(shows(&app, "Replying to: or 2"));
}
