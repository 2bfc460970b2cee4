//! Styled messages (XEP-0393) and `/me` actions (XEP-0245) as the conversation draws them:
//! which words are bold, italic, struck through or monospace, that every character sent is
//! still there to read (and to copy), and what the composer sends for `/me`.

use iced::Font;
use iced::font::{Style as Slant, Weight};

use super::*;

/// What the bubble of message `local_id` draws: each span's text with how it looks (b bold,
/// i italic, s struck, m monospace), blocks one per line with their quotation depth (`>1`)
/// or `pre`.
fn drawn(state: &State, local_id: i64) -> Vec<String> {
    let entry = state
        .entries
        .iter()
        .find(|e| e.msg.local_id == local_id)
        .expect("the message is loaded");
    let blocks = entry.styled.as_ref().expect("a styled body");
    blocks
        .iter()
        .filter_map(|block| {
            let spans = super::super::styled::block_spans(entry, block, entry.msg.body.len())?;
            let mut line = String::new();
            if block.quote > 0 {
                line.push_str(&format!(">{} ", block.quote));
            }
            if block.pre {
                line.push_str("pre ");
            }
            for s in spans {
                let font = s.font.unwrap_or(Font::DEFAULT);
                let marks: String = [
                    (font.weight == Weight::Bold, 'b'),
                    (font.style == Slant::Italic, 'i'),
                    (s.strikethrough, 's'),
                    (
                        font == Font {
                            weight: font.weight,
                            style: font.style,
                            ..Font::MONOSPACE
                        },
                        'm',
                    ),
                ]
                .into_iter()
                .filter_map(|(on, m)| on.then_some(m))
                .collect();
                if marks.is_empty() {
                    line.push_str(&s.text);
                } else {
                    line.push_str(&format!("[{marks}:{}]", s.text));
                }
            }
            Some(line)
        })
        .collect()
}

#[test]
fn styled_text_is_bold_italic_struck_and_monospace_with_every_character_still_shown() {
    let body = "*Lunch* at _noon_, not ~one~: `table 4`\n> bring the *cards*\n>> they said\n```\nlet x = *y*;\n```\nsee https://example.org/menu";
    let state = conversation(vec![message(1, Direction::In, body, at(2019, 3, 1, 10, 0))]);
    assert_eq!(
        drawn(&state, 1),
        [
            "[b:*][b:Lunch][b:*] at [i:_][i:noon][i:_], not [s:~][s:one][s:~]: [m:`][m:table 4][m:`]",
            ">1 > bring the [b:*][b:cards][b:*]",
            ">2 >> they said",
            "pre ```\nlet x = *y*;\n```",
            "see https://example.org/menu",
        ]
    );
    // The directives stay, so what is read and copied is the body as it was sent.
    let entry = &state.entries[0];
    let shown: String = entry
        .styled
        .as_ref()
        .expect("styled")
        .iter()
        .flat_map(|b| &b.runs)
        .map(|r| &body[r.range.clone()])
        .collect();
    assert_eq!(shown, body);
    // The link in a styled body is still a link.
    let mut ui = simulator(state.view());
    assert!(ui.find(selector::id(link_body_id(1))).is_ok());
}

#[test]
fn what_the_xep_does_not_style_stays_plain_text() {
    let bodies = [
        "2*3*4 and snake_case_names",
        "**",
        "*not \n strong*",
        "a ~ b ~ c",
    ];
    let state = conversation(
        bodies
            .iter()
            .enumerate()
            .map(|(i, b)| message(i as i64 + 1, Direction::In, b, at(2019, 3, 1, 10, i as u32)))
            .collect(),
    );
    for body in bodies {
        assert!(sees(&state, body), "{body:?} is shown as plain text");
    }
    assert!(state.entries.iter().all(|e| e.styled.is_none()));
}

#[test]
fn a_quotation_ten_thousand_deep_is_shown_eight_deep_with_its_text() {
    let body = format!("{}deep", ">".repeat(10_000));
    let state = conversation(vec![message(
        1,
        Direction::In,
        &body,
        at(2019, 3, 1, 10, 0),
    )]);
    let drawn = drawn(&state, 1);
    assert_eq!(drawn.len(), 1);
    assert!(drawn[0].starts_with(">8 "), "{}", &drawn[0][..20]);
    assert!(drawn[0].ends_with("deep"));
    // And it lays out and draws.
    let _ = simulator(state.view()).find("Bob");
}

#[test]
fn a_me_action_shows_the_senders_name_in_italics() {
    let state = conversation(vec![
        message(1, Direction::In, "/me waves", at(2019, 3, 1, 10, 0)),
        message(2, Direction::Out, "/me waves back", at(2019, 3, 1, 10, 1)),
        message(
            3,
            Direction::In,
            "/me shares https://example.org",
            at(2019, 3, 1, 10, 2),
        ),
        message(
            4,
            Direction::In,
            "/meh not an action",
            at(2019, 3, 1, 10, 3),
        ),
    ]);
    assert!(sees(&state, "* Bob waves"));
    assert!(sees(&state, "* alice waves back"), "the account's own name");
    assert!(!sees(&state, "/me waves"));
    assert!(sees(&state, "/meh not an action"));
    let mut ui = simulator(state.view());
    assert!(
        ui.find(selector::id(link_body_id(3))).is_ok(),
        "the link in an action is a link"
    );
}

#[test]
fn typing_slash_me_sends_the_body_as_typed() {
    let mut state = conversation(vec![]);
    let produced = type_and_press_enter(&state, "/me waves", Modifiers::default());
    let actions = feed(&mut state, produced);
    assert!(actions.contains(&Action::Send {
        to: j(PEER),
        body: "/me waves".into(),
        reply_to: None,
    }));
}
