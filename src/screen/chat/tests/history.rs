//! Paging through history: older pages on demand, one at a time, and what a conversation
//! keeps when it is left or followed through a burst.

use super::*;
use crate::model::address::j;

#[test]
fn older_pages_load_only_while_there_are_more_and_one_at_a_time() {
    let mut state = State::new(j(PEER), "Bob".into());
    assert_eq!(
        state.update(Message::LoadOlder),
        Action::None,
        "the first page is on its way"
    );
    assert!(sees(&state, "Loading messages…"));

    let newest = page(51, 50);
    let oldest = (newest[0].sent_at, newest[0].local_id);
    state.prepend_page(newest, 50);
    // The button sits at the top of the history, above what the window shows at first.
    assert!(sees(&state, "Show earlier messages"));
    let actions = feed(&mut state, [Message::LoadOlder]);
    assert_eq!(
        actions,
        vec![Action::LoadOlder {
            peer: j(PEER),
            before: oldest
        }]
    );
    assert_eq!(
        state.update(Message::LoadOlder),
        Action::None,
        "already asked"
    );

    state.prepend_page(page(31, 20), 50);
    assert_eq!(state.loaded(), 70);
    assert!(!state.has_more());
    // Past the store's oldest: the server's archive is asked, once.
    assert_eq!(
        state.update(Message::LoadOlder),
        Action::FetchOlder { peer: j(PEER) },
        "nothing older in the store"
    );
    assert!(sees(&state, "Asking the server for earlier messages…"));
    assert_eq!(state.update(Message::LoadOlder), Action::None, "asked");
    // It had nothing more: what the store has now is loaded, and that is the start.
    let oldest = (state.entries[0].msg.sent_at, state.entries[0].msg.local_id);
    assert_eq!(
        state.older_fetched(true),
        Action::LoadOlder {
            peer: j(PEER),
            before: oldest
        }
    );
    state.prepend_page(Vec::new(), 50);
    assert_eq!(
        state.update(Message::LoadOlder),
        Action::None,
        "nothing older anywhere"
    );
    assert!(sees(&state, "This is the start of your conversation."));
    assert_eq!(state.entries.first().map(|e| e.msg.local_id), Some(31));
}

#[test]
fn an_archive_that_could_not_answer_is_asked_again_on_the_next_scroll() {
    let mut state = conversation(page(1, 20));
    assert_eq!(
        state.update(Message::LoadOlder),
        Action::FetchOlder { peer: j(PEER) }
    );
    // Not complete (an error, or more to come): loaded from the store, then asked again.
    assert!(matches!(
        state.older_fetched(false),
        Action::LoadOlder { .. }
    ));
    state.prepend_page(Vec::new(), 50);
    assert!(!sees(&state, "Asking the server for earlier messages…"));
    assert_eq!(
        state.update(Message::LoadOlder),
        Action::FetchOlder { peer: j(PEER) }
    );
    // An answer for a question not asked changes nothing.
    let mut quiet = conversation(page(1, 20));
    assert_eq!(quiet.older_fetched(true), Action::None);
}

#[test]
fn scrolling_to_the_top_asks_for_the_page_before() {
    let mut state = conversation(page(101, 50));
    let scroll = |state: &State, lines: f32| -> Vec<Message> {
        let mut ui = simulator(state.view());
        let list = ui.find(selector::id(history_id())).expect("the history");
        ui.point_at(list.bounds().center());
        ui.simulate([Event::Mouse(iced::mouse::Event::WheelScrolled {
            delta: iced::mouse::ScrollDelta::Lines { x: 0.0, y: lines },
        })]);
        ui.into_messages().collect()
    };
    // A little: still far from the top.
    let produced = scroll(&state, 1.0);
    assert!(
        produced.iter().any(|m| matches!(m, Message::Scrolled(_))),
        "{produced:?}"
    );
    assert_eq!(feed(&mut state, produced), vec![]);
    // All the way up.
    let produced = scroll(&state, 10_000.0);
    let actions = feed(&mut state, produced);
    let oldest = state.entries.first().map(Entry::cursor).expect("loaded");
    assert_eq!(
        actions,
        vec![Action::LoadOlder {
            peer: j(PEER),
            before: oldest
        }]
    );
}

#[test]
fn leaving_keeps_the_newest_page_and_earlier_ones_load_again() {
    let mut state = conversation(page(101, 50));
    state.prepend_page(page(51, 50), 50);
    state.prepend_page(page(1, 50), 50);
    assert_eq!(state.loaded(), 150);
    state.forget_older(50);
    assert_eq!(state.loaded(), 50);
    assert!(state.has_more());
    assert!(sees(&state, "message 150") && !sees(&state, "message 100"));
    // Scrolling up again asks for the page before the oldest kept, and takes it back.
    assert_eq!(
        feed(&mut state, [Message::LoadOlder]),
        vec![Action::LoadOlder {
            peer: j(PEER),
            before: state.entries[0].cursor()
        }]
    );
    state.prepend_page(page(51, 50), 50);
    assert_eq!(state.loaded(), 100);
}

#[test]
fn a_followed_conversation_keeps_its_newest_rows_as_a_burst_arrives_and_pages_back_to_the_rest() {
    // Shorter than a page: the whole history is here, nothing older to ask for.
    let mut state = conversation(page(1, 20));
    assert!(!state.has_more());
    let burst = page(21, 2_000);
    for batch in burst.chunks(64) {
        state.push(batch.to_vec());
    }
    assert_eq!(state.loaded(), FOLLOWING_KEEPS);
    assert!(
        sees(&state, "message 2020"),
        "the newest message is on screen"
    );
    assert!(!sees(&state, "message 1"), "the oldest rows were let go");
    // What was let go comes back from the store, from the oldest row kept.
    let kept = state
        .entries
        .first()
        .map(|e| (e.msg.sent_at, e.msg.local_id));
    assert_eq!(
        kept.map(|(_, id)| id),
        Some(2_020 - FOLLOWING_KEEPS as i64 + 1)
    );
    assert!(state.has_more());
    assert_eq!(
        feed(&mut state, [Message::LoadOlder]),
        vec![Action::LoadOlder {
            peer: j(PEER),
            before: kept.expect("rows kept")
        }]
    );
    // A page asked for is merged whole, even with messages arriving meanwhile.
    state.push(page(2_021, 1));
    let first_kept = 2_020 - FOLLOWING_KEEPS as i64 + 1;
    state.prepend_page(page(first_kept - 50, 50), 50);
    assert_eq!(state.loaded(), FOLLOWING_KEEPS + 51);
    assert_eq!(
        state.entries.first().map(|e| e.msg.local_id),
        Some(first_kept - 50)
    );
}
