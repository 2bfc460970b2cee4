use crate::model::address::j;
use std::time::Instant;

use iced_test::simulator;

use super::*;
use crate::model::Subscription;
use crate::screen::roster::tests::{position, texts};

fn request(from: &str, nick: Option<&str>, message: Option<&str>, at: i64) -> SubscriptionRequest {
    SubscriptionRequest {
        from: j(from),
        nick: nick.map(Into::into),
        message: message.map(Into::into),
        received_at: at,
        state: RequestState::Pending,
    }
}

fn contact(jid: &str, name: Option<&str>, subscription: Subscription, ask: bool) -> RosterItem {
    RosterItem {
        jid: j(jid),
        name: name.map(Into::into),
        groups: vec![],
        subscription,
        ask,
        approved: false,
    }
}

fn feed(messages: impl IntoIterator<Item = Message>, state: &mut State) -> Action {
    let mut last = Action::None;
    for m in messages {
        let action = state.update(m);
        if action != Action::None {
            last = action;
        }
    }
    last
}

/// Clicks the button labelled `label` and feeds the result to `update`.
fn click(state: &mut State, roster: &[RosterItem], label: &str) -> Action {
    let mut ui = simulator(state.view(roster));
    ui.click(label)
        .unwrap_or_else(|e| panic!("no “{label}” to click: {e}"));
    feed(ui.into_messages(), state)
}

#[test]
fn approving_a_request_asks_the_app_and_the_request_leaves_once_resolved() {
    let mut state = State::default();
    state.set_pending(vec![request(
        "alice@example.org",
        None,
        Some("Hi, it's Alice"),
        1,
    )]);
    assert_eq!(state.count(), 1);
    let shown = texts(state.view(&[]));
    assert!(shown.contains(&"alice@example.org".to_owned()), "{shown:?}");
    assert!(
        shown.contains(&crate::fl!("requests-message", message = "Hi, it's Alice")),
        "{shown:?}"
    );

    let action = click(&mut state, &[], &crate::fl!("requests-approve"));
    assert_eq!(
        action,
        Action::Approve {
            jid: j("alice@example.org"),
            add: false
        }
    );
    state.resolve(&j("alice@example.org"));
    assert_eq!(state.count(), 0);
    let shown = texts(state.view(&[]));
    assert!(!shown.contains(&"alice@example.org".to_owned()));
    assert!(
        shown.contains(&crate::fl!("requests-empty")),
        "a friendly empty state: {shown:?}"
    );
}

#[test]
fn approve_and_add_deny_and_block_each_ask_for_their_own_action() {
    let mut state = State::default();
    state.add(request("bob@example.org", None, None, 1));
    let approve_add = crate::fl!("requests-approve-add");
    assert_eq!(
        click(&mut state, &[], &approve_add),
        Action::Approve {
            jid: j("bob@example.org"),
            add: true
        }
    );
    assert_eq!(
        click(&mut state, &[], &crate::fl!("requests-deny")),
        Action::Deny(j("bob@example.org"))
    );

    let block = crate::fl!("requests-block");
    assert!(
        !texts(state.view(&[])).contains(&block),
        "no Block without server support"
    );
    assert_eq!(
        state.update(Message::Block(j("bob@example.org"))),
        Action::None
    );
    state.set_blocking_supported(true);
    assert_eq!(
        click(&mut state, &[], &block),
        Action::Block(j("bob@example.org"))
    );

    // Someone whose presence the person already sees: "and add" would change nothing.
    let roster = [contact(
        "bob@example.org",
        Some("Bobby"),
        Subscription::To,
        false,
    )];
    let shown = texts(state.view(&roster));
    assert!(!shown.contains(&approve_add), "{shown:?}");
    assert!(
        shown.contains(&crate::fl!("requests-known-as", name = "Bobby")),
        "{shown:?}"
    );
}

#[test]
fn a_claimed_nick_is_marked_as_claimed_after_the_address() {
    let mut state = State::default();
    state.add(request("mallory@evil.example", Some("Alice"), None, 1));
    let shown = texts(state.view(&[]));
    let claim = crate::fl!("requests-claims", nick = "Alice");
    assert!(
        position(&shown, "mallory@evil.example") < position(&shown, &claim),
        "{shown:?}"
    );
    assert!(
        !shown.contains(&"Alice".to_owned()),
        "the nick never stands alone: {shown:?}"
    );
    assert!(shown.contains(&crate::fl!("requests-no-message")));
}

#[test]
fn repeated_requests_are_listed_once_oldest_first() {
    let mut state = State::default();
    state.set_pending(vec![
        request("late@example.org", None, None, 30),
        request("early@example.org", None, None, 10),
        SubscriptionRequest {
            state: RequestState::Denied,
            ..request("old@example.org", None, None, 5)
        },
    ]);
    state.add(request("middle@example.org", None, None, 20));
    state.add(request(
        "early@example.org",
        Some("Early"),
        Some("again"),
        40,
    ));
    let order: Vec<&str> = state.pending().iter().map(|r| r.from.as_str()).collect();
    assert_eq!(
        order,
        [
            "early@example.org",
            "middle@example.org",
            "late@example.org"
        ]
    );
    assert_eq!(
        state.pending()[0].message.as_deref(),
        Some("again"),
        "the repeat's message is kept"
    );
    let shown = texts(state.view(&[]));
    assert!(position(&shown, "early@example.org") < position(&shown, "late@example.org"));
    assert!(shown.contains(&crate::fl!("requests-title", count = 3)));
}

#[test]
fn who_can_see_my_presence_lists_revocable_contacts_and_cancellable_requests() {
    let mut state = State::default();
    let roster = [
        contact(
            "carol@example.org",
            Some("Carol"),
            Subscription::Both,
            false,
        ),
        contact("dan@example.org", None, Subscription::From, false),
        contact("erin@example.org", Some("Erin"), Subscription::None, true),
        contact("frank@example.org", Some("Frank"), Subscription::To, false),
    ];
    let shown = texts(state.view(&roster));
    for expected in [
        crate::fl!("requests-presence-title"),
        crate::fl!("requests-sees-explain"),
        crate::fl!("requests-waiting-explain"),
        crate::fl!("requests-sees-title", count = 2),
        crate::fl!("requests-waiting-title", count = 1),
    ] {
        assert!(shown.contains(&expected), "{expected}: {shown:?}");
    }
    let sees = position(&shown, &crate::fl!("requests-sees-title", count = 2));
    let waiting = position(&shown, &crate::fl!("requests-waiting-title", count = 1));
    assert!(sees < position(&shown, "Carol") && position(&shown, "Carol") < waiting);
    assert!(
        sees < position(&shown, "dan@example.org") && position(&shown, "dan@example.org") < waiting
    );
    assert!(waiting < position(&shown, "Erin"));
    assert!(
        !shown.contains(&"Frank".to_owned()),
        "Frank does not see the account: {shown:?}"
    );

    // Carol sorts before dan: the first Revoke is hers.
    assert_eq!(
        click(&mut state, &roster, &crate::fl!("requests-revoke")),
        Action::Revoke(j("carol@example.org"))
    );
    assert_eq!(
        click(&mut state, &roster, &crate::fl!("requests-cancel")),
        Action::CancelRequest(j("erin@example.org"))
    );

    let shown = texts(state.view(&[]));
    assert!(
        shown.contains(&crate::fl!("requests-sees-empty")),
        "{shown:?}"
    );
    assert!(
        shown.contains(&crate::fl!("requests-waiting-empty")),
        "{shown:?}"
    );
}

/// Not a timed assertion: prints the cost of a burst of 500 requests beside 5,000 contacts.
#[test]
fn a_burst_of_hundreds_of_requests_builds_only_what_is_visible() {
    let mut state = State::default();
    for i in 0..500 {
        state.add(request(
            &format!("spam{i:03}@example.org"),
            Some("Admin"),
            Some("click me"),
            i,
        ));
    }
    let roster: Vec<RosterItem> = (0..5_000)
        .map(|i| {
            contact(
                &format!("user{i}@example.org"),
                Some(&format!("User {i}")),
                Subscription::Both,
                false,
            )
        })
        .collect();
    assert_eq!(state.count(), 500);
    let started = Instant::now();
    std::hint::black_box(state.view(&roster));
    let first = started.elapsed();
    let started = Instant::now();
    for _ in 0..10 {
        std::hint::black_box(state.view(&roster));
    }
    let view_time = started.elapsed() / 10;
    let shown = texts(state.view(&roster));
    let approve = crate::fl!("requests-approve");
    let rows = shown.iter().filter(|t| **t == approve).count();
    println!(
        "requests: 500 pending, 5,000 who-see-me: first view {first:?}, then {view_time:?} per view, \
         {rows} request rows built"
    );
    assert!(shown.contains(&"spam000@example.org".to_owned()));
    assert!((1..60).contains(&rows), "{rows} rows built");
}

#[test]
fn a_request_that_looks_like_a_contact_says_which_contact_and_that_it_is_not_them() {
    let roster = [contact(
        "alice@example.org",
        Some("Alice"),
        Subscription::Both,
        false,
    )];
    let warning = crate::fl!(
        "requests-look-alike",
        name = "Alice",
        jid = "alice@example.org"
    );
    // (from, claimed nick, how the claim reads)
    let cases = [
        ("mallory@evil.example", Some("Alice"), Some("Alice")),
        ("mallory@evil.example", Some("аlice"), Some("аlice")), // Cyrillic а
        ("mallory@evil.example", Some("AL\u{200B}ICE"), Some("ALICE")),
        (
            "mallory@evil.example",
            Some("  Alice \u{2066}"),
            Some("Alice"),
        ),
        ("аlice@example.org", None, None), // the address itself, with a Cyrillic а
    ];
    for (from, nick, claim) in cases {
        let mut state = State::default();
        state.add(request(from, nick, Some("it's me"), 1));
        let shown = texts(state.view(&roster));
        let address = position(&shown, from);
        let warned = position(&shown, &warning);
        assert!(address < warned, "the address comes first: {shown:?}");
        if let Some(claim) = claim {
            let claimed = crate::fl!("requests-claims", nick = claim);
            assert!(
                address < position(&shown, &claimed),
                "the nick is shown as claimed, after the address: {shown:?}"
            );
        }
        // (The real Alice is listed under "Who can see my presence", further on.)
        let card = &shown[..position(&shown, &crate::fl!("requests-presence-title"))];
        assert!(
            !card.iter().any(|t| t == "Alice"),
            "the contact's name never stands alone in the request: {card:?}"
        );
    }

    // The contact asking (again) is not an imitation; someone unlike any contact is not either.
    for (from, nick) in [
        ("alice@example.org", Some("Alice")),
        ("carol@example.org", Some("Carol")),
    ] {
        let mut state = State::default();
        state.add(request(from, nick, None, 1));
        let shown = texts(state.view(&roster));
        assert!(!shown.contains(&warning), "{from}: {shown:?}");
    }
}

#[test]
fn claimed_nicks_and_messages_cannot_reorder_hide_or_push_text_away() {
    let mut state = State::default();
    state.add(request(
        "mallory@evil.example",
        Some("\u{202E}knab ruoy\u{202C}\u{200B}"),
        Some("Alice                                                  \n\n(your bank)"),
        1,
    ));
    let shown = texts(state.view(&[]));
    assert!(
        shown.contains(&crate::fl!("requests-claims", nick = "knab ruoy")),
        "the override is gone, the letters stay in their order: {shown:?}"
    );
    assert!(
        shown.contains(&crate::fl!("requests-message", message = "Alice")),
        "the message's first line only: {shown:?}"
    );
    for t in &shown {
        assert!(
            !t.chars()
                .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{200B}' | '\n')),
            "{t:?}"
        );
    }
}

#[test]
fn the_keyboard_answers_the_marked_request_and_the_arrows_move_the_mark() {
    let mut state = State::default();
    state.set_blocking_supported(true);
    state.set_pending(vec![
        request("a@example.org", None, None, 1),
        request("b@example.org", None, None, 2),
        request("c@example.org", None, None, 3),
    ]);
    // Nothing chosen: the first (oldest) is the one Enter answers.
    assert_eq!(
        state.update(Message::Answer(Answer::ApproveAndAdd)),
        Action::Approve {
            jid: j("a@example.org"),
            add: true
        }
    );
    let _ = state.update(Message::Step(true));
    let _ = state.update(Message::Step(true));
    let _ = state.update(Message::Step(true));
    assert_eq!(
        state.update(Message::Answer(Answer::Deny)),
        Action::Deny(j("c@example.org")),
        "the mark stops at the last"
    );
    let _ = state.update(Message::Step(false));
    assert_eq!(
        state.update(Message::Answer(Answer::Block)),
        Action::Block(j("b@example.org"))
    );
    assert_eq!(
        state.update(Message::Answer(Answer::Approve)),
        Action::Approve {
            jid: j("b@example.org"),
            add: false
        }
    );
    state.set_pending(Vec::new());
    assert_eq!(state.update(Message::Answer(Answer::Approve)), Action::None);
}
