//! Issue 17's figure: a conversation of 550 loaded messages with 200 reactions, 100 edits, 50
//! replies and 20 deletions, against the same 550 plain, per frame (the asked bound: 1.5 times).

use natter::model::{ChatMessage, Reaction, ReplyTo};
use natter::screen::chat;

use super::{
    CHAT_PANE, Cache, Conversation, ITERATIONS, Renderer, Report, Rng, Style, Theme, UserInterface,
    app, j, measure_sync, mouse,
};

const LOADED: usize = 550;

/// The 550 messages, plain and with the modern vocabulary spread evenly through them (so the
/// rows in view have their share): of every 11, four reacted to, two edited, one a reply.
fn conversations() -> (Vec<ChatMessage>, Vec<ChatMessage>) {
    let mut plain = Conversation::new().next_batch(&mut Rng(550), LOADED);
    for (i, m) in plain.iter_mut().enumerate() {
        m.local_id = i as i64 + 1;
    }
    let mut modern = plain.clone();
    for i in 0..LOADED {
        let quoted = modern[i.saturating_sub(3)].remote_id.clone();
        let m = &mut modern[i];
        match i % 11 {
            0..=3 => {
                m.extras.reactions = vec![
                    Reaction {
                        from: j("ada@example.org"),
                        emoji: vec!["👍".into(), "🎉".into()],
                    },
                    Reaction {
                        from: j("me@example.org"),
                        emoji: vec!["👍".into()],
                    },
                ]
            }
            4 | 5 => m.extras.edited_at = Some(m.sent_at + 60_000),
            6 => m.extras.reply_to = quoted.map(|id| ReplyTo::new(id, None)),
            _ => {}
        }
        if i % 27 == 9 {
            m.body.clear();
            m.extras.retracted_at = Some(m.sent_at + 90_000);
        }
    }
    (plain, modern)
}

fn loaded(messages: &[ChatMessage]) -> chat::State {
    let mut state = chat::State::new(j("ada@example.org"), "Ada Lovelace".into());
    for chunk in messages.rchunks(app::PAGE) {
        state.prepend_page(chunk.iter().rev().cloned().collect(), app::PAGE);
    }
    state
}

/// One row each for plain and modern frames, and the ratio of their medians.
pub(super) fn modern_messages(report: &mut Report, theme: &Theme, renderer: &mut Renderer) {
    let (plain, modern) = conversations();
    let count = |f: fn(&ChatMessage) -> bool| modern.iter().filter(|m| f(m)).count();
    let modern_name = format!(
        "conversation, 550: {} reacted to, {} edited, {} replies, {} deleted",
        count(|m| !m.extras.reactions.is_empty()),
        count(|m| m.extras.edited()),
        count(|m| m.extras.reply_to.is_some()),
        count(|m| m.extras.retracted()),
    );
    let style = Style {
        text_color: theme.palette().text,
    };
    let mut medians = Vec::new();
    for (name, messages) in [
        ("conversation, 550 plain".to_owned(), &plain),
        (modern_name, &modern),
    ] {
        let state = loaded(messages);
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
    let ratio = medians[1].as_secs_f64() / medians[0].as_secs_f64().max(1e-9);
    report.notes.push(format!(
        "modern / plain frame, medians: {ratio:.2} (issue 17 asks for at most 1.50)"
    ));
}
