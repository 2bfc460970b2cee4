//! Long messages: folded when received, refused whole when written.

use super::*;

/// Clicks the text `label` in the conversation and feeds what it produces back.
fn click(state: &mut State, label: &str) -> Vec<Action> {
    let mut ui = simulator(state.view());
    ui.click(label)
        .unwrap_or_else(|e| panic!("no “{label}” to click: {e:?}"));
    let produced: Vec<Message> = ui.into_messages().collect();
    feed(state, produced)
}

#[test]
fn a_long_message_is_folded_until_the_person_asks_for_all_of_it() {
    let long: String = (1..=200).map(|i| format!("line {i}\n")).collect();
    let long = long.trim_end().to_owned();
    let short = "a short one\nof two lines";
    let mut state = conversation(vec![
        message(1, Direction::In, &long, at(2019, 3, 1, 10, 0)),
        message(2, Direction::In, short, at(2019, 3, 1, 10, 1)),
    ]);
    let preview: Vec<String> = (1..=12).map(|i| format!("line {i}")).collect();
    let preview = preview.join("\n");
    assert!(sees(&state, &preview), "its first lines");
    assert!(!sees(&state, &long));
    assert!(sees(&state, short), "a short message is whole");
    assert_eq!(click(&mut state, "Show all (200 lines)"), vec![]);
    assert!(sees(&state, &long), "all of it");
    assert!(!sees(&state, "Show all (200 lines)"));
    click(&mut state, "Show less");
    assert!(
        sees(&state, &preview) && !sees(&state, &long),
        "folded again"
    );
    // One line of a megabyte folds too, at a character.
    let wide = "é".repeat(512 * 1024);
    let fold = Fold::of(&wide).expect("folded");
    assert_eq!(fold.lines, 1);
    assert!(fold.preview.end <= PREVIEW_BYTES && wide.is_char_boundary(fold.preview.end));
    assert_eq!(Fold::of(short), None);
}

#[test]
fn the_composer_says_a_text_is_too_long_as_it_is_typed_and_does_not_send_it() {
    let mut state = conversation(vec![]);
    let paste = |text: String| {
        Message::Edit(text_editor::Action::Edit(text_editor::Edit::Paste(
            std::sync::Arc::new(text),
        )))
    };
    state.update(paste("x".repeat(MAX_SENT_BODY + 1)));
    let said = "This message is too long to send: 49153 bytes, and a message can have at most \
                49152 bytes (48 KiB). Shorten it or split it into several.";
    assert!(sees(&state, said), "said at once");
    assert_eq!(
        state.update(Message::Send),
        Action::None,
        "Enter does nothing"
    );
    assert!(click(&mut state, "Send").is_empty(), "nor does the button");
    assert_eq!(
        state.composer_text().len(),
        MAX_SENT_BODY + 1,
        "nothing cut"
    );
    state.update(Message::Edit(text_editor::Action::Edit(
        text_editor::Edit::Backspace,
    )));
    assert!(!sees(&state, said));
    assert!(
        matches!(state.update(Message::Send), Action::Send { body, .. } if body.len() == MAX_SENT_BODY)
    );
}
