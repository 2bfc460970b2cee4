//! The window driven by the keyboard: typing with nothing focused, drafts, the switcher, help.

use super::*;

/// A key press as the window reports it; `captured` when a focused field used it.
fn key(key: iced::keyboard::Key, modifiers: iced::keyboard::Modifiers, captured: bool) -> Message {
    let text = match key.as_ref() {
        iced::keyboard::Key::Character(c) if !modifiers.control() => Some(c.into()),
        _ => None,
    };
    let event = iced::keyboard::Event::KeyPressed {
        key: key.clone(),
        modified_key: key,
        physical_key: iced::keyboard::key::Physical::Unidentified(
            iced::keyboard::key::NativeCode::Unidentified,
        ),
        location: iced::keyboard::Location::Standard,
        modifiers,
        text,
        repeat: false,
    };
    let status = if captured {
        iced::event::Status::Captured
    } else {
        iced::event::Status::Ignored
    };
    super::super::keys::press(&event, status).expect("a key press")
}

fn char_key(c: &str) -> Message {
    key(
        iced::keyboard::Key::Character(c.into()),
        iced::keyboard::Modifiers::empty(),
        false,
    )
}

fn composer(app: &App) -> String {
    desk(app)
        .chat
        .as_ref()
        .map(chat::State::composer_text)
        .unwrap_or_default()
}

#[tokio::test]
async fn typing_with_no_field_focused_goes_into_the_open_conversation() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    for c in ["o", "k", "!"] {
        let task = app.update(char_key(c));
        assert!(task.units() > 0, "the composer takes the keyboard");
    }
    assert_eq!(composer(&app).trim(), "ok!");
    // A key a field used, or one with Ctrl, types nothing more.
    let _ = app.update(key(
        iced::keyboard::Key::Character("x".into()),
        iced::keyboard::Modifiers::empty(),
        true,
    ));
    let _ = app.update(key(
        iced::keyboard::Key::Character("q".into()),
        iced::keyboard::Modifiers::CTRL,
        false,
    ));
    assert_eq!(composer(&app).trim(), "ok!");
}

#[tokio::test]
async fn each_conversation_keeps_its_draft_while_another_is_open() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    for c in ["h", "i"] {
        let _ = app.update(char_key(c));
    }
    let _ = app.update(Message::Roster(roster::Message::Select(j(
        "bob@example.org",
    ))));
    assert_eq!(composer(&app), "", "Bob's composer starts empty");
    let _ = app.update(Message::Roster(roster::Message::Select(j(ADA))));
    assert_eq!(composer(&app), "hi", "Ada's draft is back");
}

#[tokio::test]
async fn the_switcher_opens_with_ctrl_k_finds_by_typing_and_enter_opens() {
    use crate::screen::switcher;
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let ctrl_k = || {
        key(
            iced::keyboard::Key::Character("k".into()),
            iced::keyboard::Modifiers::CTRL,
            false,
        )
    };
    let _ = app.update(ctrl_k());
    assert!(matches!(
        app.overlay,
        Some(super::super::Overlay::Switcher(_))
    ));
    // Esc closes it, nothing opened.
    let esc = key(
        iced::keyboard::Key::Named(iced::keyboard::key::Named::Escape),
        iced::keyboard::Modifiers::empty(),
        false,
    );
    let _ = app.update(esc);
    assert!(app.overlay.is_none());
    // Keys the composer still took right after Ctrl+K are the search.
    let _ = app.update(ctrl_k());
    for c in ['a', 'd'] {
        let insert =
            iced::widget::text_editor::Action::Edit(iced::widget::text_editor::Edit::Insert(c));
        let _ = app.update(Message::Chat(chat::Message::Edit(insert)));
    }
    let Some(super::super::Overlay::Switcher(state)) = &app.overlay else {
        panic!("the switcher is open");
    };
    assert_eq!(state.query(), "ad");
    assert_eq!(composer(&app), "", "nothing went into the composer");
    let _ = app.update(Message::Switcher(switcher::Message::Submit));
    assert!(app.overlay.is_none());
    assert_eq!(
        desk(&app).chat.as_ref().map(chat::State::peer),
        Some(&j(ADA))
    );
}

#[tokio::test]
async fn the_help_overlay_lists_every_shortcut_and_f1_closes_it() {
    let (_dir, mut app) = app_with_a_conversation_open().await;
    let f1 = || {
        key(
            iced::keyboard::Key::Named(iced::keyboard::key::Named::F1),
            iced::keyboard::Modifiers::empty(),
            false,
        )
    };
    let _ = app.update(f1());
    let shown = texts(&app);
    for wanted in ["Keyboard shortcuts", "Ctrl+K", "Alt+Down", "Ctrl+Shift+F"] {
        assert!(shown.iter().any(|t| t == wanted), "{wanted} in {shown:?}");
    }
    let _ = app.update(f1());
    assert!(!texts(&app).iter().any(|t| t == "Keyboard shortcuts"));
}
