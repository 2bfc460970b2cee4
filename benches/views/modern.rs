//! Issue 17's figure: a conversation of 550 loaded messages with 200 reactions, 100 edits, 50
//! replies and 20 deletions, against the same 550 plain, per frame (the asked bound: 1.5 times).

use natter::model::{ChatMessage, Reaction, ReplyTo};
use natter::screen::chat;

use super::{
    CHAT_PANE, Cache, Conversation, ITERATIONS, PEER, Renderer, Report, Rng, Style, Theme,
    UserInterface, app, j, measure_sync, mouse,
};

const LOADED: usize = 550;

/// What a variant of the conversation carries.
#[derive(Clone, Copy, PartialEq)]
enum Vocabulary {
    Reactions,
    Edits,
    Replies,
    Deletions,
}

const ALL: [Vocabulary; 4] = [
    Vocabulary::Reactions,
    Vocabulary::Edits,
    Vocabulary::Replies,
    Vocabulary::Deletions,
];

/// The 550 messages, with `with` spread evenly through them (so the rows in view have their
/// share): of every 11, four reacted to, two edited, one a reply; one in 27 deleted.
fn conversation(with: &[Vocabulary]) -> Vec<ChatMessage> {
    let mut messages = Conversation::new().next_batch(&mut Rng(550), LOADED);
    for (i, m) in messages.iter_mut().enumerate() {
        m.local_id = i as i64 + 1;
    }
    for i in 0..LOADED {
        let quoted = messages[i.saturating_sub(3)].remote_id.clone();
        let m = &mut messages[i];
        match i % 11 {
            0..=3 if with.contains(&Vocabulary::Reactions) => {
                m.extras.reactions = vec![
                    Reaction {
                        from: j(PEER),
                        emoji: vec!["👍".into(), "🎉".into()],
                    },
                    Reaction {
                        from: j("me@example.org"),
                        emoji: vec!["👍".into()],
                    },
                ]
            }
            4 | 5 if with.contains(&Vocabulary::Edits) => {
                m.extras.edited_at = Some(m.sent_at + 60_000)
            }
            6 if with.contains(&Vocabulary::Replies) => {
                m.extras.reply_to = quoted.map(|id| ReplyTo::new(id, None))
            }
            _ => {}
        }
        if i % 27 == 9 && with.contains(&Vocabulary::Deletions) {
            m.body.clear();
            m.extras.retracted_at = Some(m.sent_at + 90_000);
        }
    }
    messages
}

fn loaded(messages: &[ChatMessage]) -> chat::State {
    let mut state = chat::State::new(j(PEER), "Ada Lovelace".into());
    for chunk in messages.rchunks(app::PAGE) {
        state.prepend_page(chunk.iter().rev().cloned().collect(), app::PAGE);
    }
    state
}

/// Rows for the plain conversation, each part of the vocabulary alone and all of it, per frame
/// and first frame, and the ratio of all to plain.
pub(super) fn modern_messages(report: &mut Report, theme: &Theme, renderer: &mut Renderer) {
    let all = conversation(&ALL);
    let count = |f: fn(&ChatMessage) -> bool| all.iter().filter(|m| f(m)).count();
    let variants = [
        ("conversation, 550 plain".to_owned(), Vec::new()),
        (
            format!(
                "  … {} reacted to",
                count(|m| !m.extras.reactions.is_empty())
            ),
            vec![Vocabulary::Reactions],
        ),
        (
            format!("  … {} edited", count(|m| m.extras.edited())),
            vec![Vocabulary::Edits],
        ),
        (
            format!("  … {} replies", count(|m| m.extras.reply_to.is_some())),
            vec![Vocabulary::Replies],
        ),
        (
            format!("  … {} deleted", count(|m| m.extras.retracted())),
            vec![Vocabulary::Deletions],
        ),
        ("  … all of these together".to_owned(), ALL.to_vec()),
    ];
    let style = Style {
        text_color: theme.palette().text,
    };
    let mut medians = Vec::new();
    for (name, with) in variants {
        let state = loaded(&conversation(&with));
        assert_eq!(state.loaded(), LOADED);
        let mut cache = Cache::default();
        let stats = measure_sync(ITERATIONS, || {
            let mut ui = UserInterface::build(
                state.view(),
                CHAT_PANE,
                std::mem::take(&mut cache),
                renderer,
            );
            ui.draw(renderer, theme, &style, mouse::Cursor::Unavailable);
            cache = ui.into_cache();
        });
        medians.push(stats.median);
        report.once(&name, "frame: view() + layout + draw", stats);
        // The first frame too: every row in view shaped anew, reactions and quotes included.
        let cold = measure_sync(ITERATIONS / 4, || {
            drop(UserInterface::build(
                state.view(),
                CHAT_PANE,
                Cache::default(),
                renderer,
            ));
        });
        report.once(&name, "first frame: view() + layout, cold", cold);
    }
    let (plain, together) = (medians[0], medians[medians.len() - 1]);
    let ratio = together.as_secs_f64() / plain.as_secs_f64().max(1e-9);
    report.notes.push(format!(
        "modern / plain frame, medians: {ratio:.2} (issue 17 asks for at most 1.50)"
    ));
}
