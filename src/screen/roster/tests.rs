use crate::model::address::{full, j};
use std::time::Instant;

use iced_test::selector::{self, Candidate};
use iced_test::simulator;

use super::view::ROW_HEIGHT;
use super::*;
use crate::model::Subscription;
use crate::widget::subscription_mark;

mod add;
mod large;

/// Every text a person would read, in the order the view lays them out.
pub(crate) fn texts<M>(view: Element<'_, M>) -> Vec<String> {
    let mut ui = simulator(view);
    let mut found = Vec::new();
    let _ = ui.find(|c: Candidate<'_>| {
        if let Candidate::Text { content, .. } = c {
            found.push(content.to_owned());
        }
        None::<()>
    });
    found
}

/// Where `wanted` first appears among the texts, for ordering checks.
pub(crate) fn position(texts: &[String], wanted: &str) -> usize {
    texts
        .iter()
        .position(|t| t == wanted)
        .unwrap_or_else(|| panic!("“{wanted}” is not shown in {texts:?}"))
}

fn item(
    jid: &str,
    name: Option<&str>,
    groups: &[&str],
    subscription: Subscription,
    ask: bool,
) -> RosterItem {
    RosterItem {
        jid: j(jid),
        name: name.map(Into::into),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        subscription,
        ask,
        approved: false,
    }
}

fn presence(show: Show, status: &str) -> ResourcePresence {
    ResourcePresence {
        show,
        status: status.into(),
        priority: 0,
        idle_since: None,
    }
}

/// Alice (Friends, offline), Bob (Friends, away), Carol (no group, online), Dave (Friends and
/// Work, offline), Eve (Work, online).
fn sample() -> State {
    let mut state = State::default();
    state.set_roster(vec![
        item(
            "alice@example.org",
            Some("Alice"),
            &["Friends"],
            Subscription::Both,
            false,
        ),
        item(
            "bob@example.org",
            Some("Bob"),
            &["Friends"],
            Subscription::Both,
            false,
        ),
        item(
            "carol@example.net",
            Some("Carol"),
            &[],
            Subscription::To,
            false,
        ),
        item(
            "dave@example.org",
            Some("Dave"),
            &["Friends", "Work"],
            Subscription::From,
            false,
        ),
        item(
            "eve@example.org",
            Some("eve"),
            &["Work"],
            Subscription::None,
            true,
        ),
    ]);
    state.set_presence(
        &full("bob@example.org/phone"),
        presence(Show::Away, "Out for lunch"),
        1,
    );
    state.set_presence(
        &full("carol@example.net/laptop"),
        presence(Show::Available, ""),
        1,
    );
    state.set_presence(&full("eve@example.org/x"), presence(Show::Dnd, ""), 1);
    state
}

fn names(group: &Group<'_>) -> Vec<String> {
    group
        .contacts
        .iter()
        .map(|c| c.name.clone().unwrap_or_default())
        .collect()
}

/// Feeds what the person did to `update`, returning the last action that was not `None`.
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

#[test]
fn contacts_are_grouped_by_group_online_first_then_by_name() {
    let state = sample();
    let groups = state.groups();
    let headers: Vec<Option<&str>> = groups.iter().map(|g| g.name).collect();
    assert_eq!(
        headers,
        [Some("Friends"), Some("Work"), None],
        "sorted by name, no group last"
    );
    assert_eq!(
        names(&groups[0]),
        ["Bob", "Alice", "Dave"],
        "online first, then by name"
    );
    assert_eq!(names(&groups[1]), ["eve", "Dave"]);
    assert_eq!(names(&groups[2]), ["Carol"]);

    let shown = texts(state.view());
    let default_group = crate::fl!("roster-group-default");
    assert!(position(&shown, "Friends") < position(&shown, "Bob"));
    assert!(
        position(&shown, "Bob") < position(&shown, "Alice"),
        "online Bob above offline Alice"
    );
    assert!(position(&shown, "Work") < position(&shown, "eve"));
    assert!(position(&shown, "eve") < position(&shown, &default_group));
    assert!(position(&shown, &default_group) < position(&shown, "Carol"));
    assert!(
        shown.contains(&"Out for lunch".to_owned()),
        "the status message is on the row"
    );
}

#[test]
fn a_contact_in_two_groups_is_listed_in_both() {
    let state = sample();
    let shown = texts(state.view());
    assert_eq!(
        shown.iter().filter(|t| *t == "Dave").count(),
        2,
        "{shown:?}"
    );
    let groups = state.groups();
    assert!(
        groups
            .iter()
            .filter(|g| g
                .contacts
                .iter()
                .any(|c| c.jid.as_str() == "dave@example.org"))
            .count()
            == 2
    );
}

#[test]
fn the_show_offline_toggle_hides_and_shows_offline_contacts() {
    let mut state = sample();
    let mut ui = simulator(state.view());
    ui.click(selector::id("roster-show-offline"))
        .expect("the toggle is on screen");
    assert_eq!(
        feed(ui.into_messages(), &mut state),
        Action::ShowOffline(false),
        "the choice is kept for the next start"
    );
    assert!(!state.show_offline());

    let shown = texts(state.view());
    assert!(
        !shown.contains(&"Alice".to_owned()) && !shown.contains(&"Dave".to_owned()),
        "{shown:?}"
    );
    for online in ["Bob", "Carol", "eve"] {
        assert!(
            shown.contains(&online.to_owned()),
            "{online} is online: {shown:?}"
        );
    }

    // Never hidden: the open conversation and a contact with unread messages.
    state.set_selected(Some(j("alice@example.org")));
    state.set_unread(&j("dave@example.org"), 2);
    let shown = texts(state.view());
    assert!(
        shown.contains(&"Alice".to_owned()) && shown.contains(&"Dave".to_owned()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"2".to_owned()),
        "the unread badge shows: {shown:?}"
    );

    let mut ui = simulator(state.view());
    ui.click(selector::id("roster-show-offline"))
        .expect("the toggle is on screen");
    feed(ui.into_messages(), &mut state);
    assert!(state.show_offline());
    state.set_selected(None);
    state.set_unread(&j("dave@example.org"), 0);
    let shown = texts(state.view());
    assert!(
        shown.contains(&"Alice".to_owned()) && shown.contains(&"Dave".to_owned()),
        "{shown:?}"
    );
}

#[test]
fn with_everyone_offline_and_hidden_the_list_says_so_and_offers_to_show_them() {
    let mut state = sample();
    state.clear_presence();
    state.update(Message::ShowOffline(false));
    let shown = texts(state.view());
    assert!(
        shown.contains(&crate::fl!("roster-all-offline", count = 5)),
        "{shown:?}"
    );
    let mut ui = simulator(state.view());
    // The toggle's own label is not a text widget; the button in the list is.
    ui.click(crate::fl!("roster-show-offline"))
        .expect("a button to show them");
    feed(ui.into_messages(), &mut state);
    assert!(texts(state.view()).contains(&"Alice".to_owned()));
}

#[test]
fn the_filter_matches_names_and_addresses_case_insensitively() {
    let mut state = sample();
    let mut ui = simulator(state.view());
    ui.click(selector::id(FILTER_INPUT))
        .expect("the filter is on screen");
    ui.typewrite("ALI");
    feed(ui.into_messages(), &mut state);
    assert_eq!(state.filter(), "ALI");
    let shown = texts(state.view());
    assert!(shown.contains(&"Alice".to_owned()), "{shown:?}");
    for hidden in ["Bob", "Carol", "Dave", "eve", "Work"] {
        assert!(
            !shown.contains(&hidden.to_owned()),
            "{hidden} does not match: {shown:?}"
        );
    }

    // By address: only Carol's is on example.net; groups without a match disappear.
    state.update(Message::Filter("Example.NET".into()));
    let shown = texts(state.view());
    assert!(shown.contains(&"Carol".to_owned()), "{shown:?}");
    assert!(
        !shown.contains(&"Friends".to_owned()) && !shown.contains(&"Alice".to_owned()),
        "{shown:?}"
    );

    // Offline contacts are found by the filter even while hidden.
    state.update(Message::ShowOffline(false));
    state.update(Message::Filter("dave@".into()));
    assert_eq!(
        texts(state.view()).iter().filter(|t| *t == "Dave").count(),
        2
    );

    state.update(Message::Filter("nobody".into()));
    let shown = texts(state.view());
    assert!(
        shown.contains(&crate::fl!("roster-no-match", filter = "nobody")),
        "{shown:?}"
    );
}

#[test]
fn each_subscription_state_has_its_own_mark_and_words() {
    let cases = [
        (Subscription::Both, false),
        (Subscription::To, false),
        (Subscription::From, false),
        (Subscription::From, true),
        (Subscription::None, false),
        (Subscription::None, true),
    ];
    let mut seen = Vec::new();
    for (subscription, ask) in cases {
        let mut state = State::default();
        state.set_roster(vec![item(
            "zed@example.org",
            Some("Zed"),
            &[],
            subscription,
            ask,
        )]);
        let (symbol, words) = subscription_mark(state.item(&j("zed@example.org")).expect("added"));
        let shown = texts(state.view());
        assert!(
            position(&shown, "Zed") < position(&shown, symbol),
            "{subscription:?}/{ask}: {shown:?}"
        );
        assert!(!words.is_empty());
        seen.push((symbol, words));
    }
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert!(a.0 != b.0 && a.1 != b.1, "{a:?} and {b:?} look the same");
        }
    }
    assert_eq!(
        seen[5].1,
        crate::fl!("roster-sub-ask"),
        "ask reads as waiting for approval"
    );
}

#[test]
fn presence_is_aggregated_per_resource_and_reorders_the_group() {
    let mut state = sample();
    state.set_presence(
        &full("alice@example.org/phone"),
        presence(Show::Chat, "Free"),
        5,
    );
    state.set_presence(
        &full("alice@example.org/laptop"),
        presence(Show::Away, ""),
        5,
    );
    assert_eq!(state.show_of(&j("alice@example.org")), Show::Chat);
    assert_eq!(
        names(&state.groups()[0]),
        ["Alice", "Bob", "Dave"],
        "Alice online now: by name"
    );

    state.set_presence(
        &full("alice@example.org/phone"),
        presence(Show::Unavailable, ""),
        6,
    );
    assert_eq!(
        state.show_of(&j("alice@example.org")),
        Show::Away,
        "the laptop is still online"
    );
    state.set_presence(
        &full("alice@example.org/laptop"),
        presence(Show::Unavailable, "Bye"),
        7,
    );
    assert_eq!(state.show_of(&j("alice@example.org")), Show::Unavailable);
    assert_eq!(
        state
            .presence(&j("alice@example.org"))
            .and_then(|p| p.last_seen),
        Some(7)
    );
    assert_eq!(names(&state.groups()[0]), ["Bob", "Alice", "Dave"]);

    // Not in the roster: not kept. Offline: everyone's resources are forgotten.
    state.set_presence(
        &full("stranger@example.org/x"),
        presence(Show::Available, ""),
        8,
    );
    assert!(state.presence(&j("stranger@example.org")).is_none());
    state.clear_presence();
    assert_eq!(state.show_of(&j("bob@example.org")), Show::Unavailable);
}

#[test]
fn rows_show_safe_names_and_selection_opens_the_conversation() {
    let mut state = State::default();
    state.set_roster(vec![item(
        "mallory@example.org",
        Some("Bo\u{202E}b "),
        &[],
        Subscription::Both,
        false,
    )]);
    assert_eq!(state.name_of(&j("mallory@example.org")), "Bob");
    assert_eq!(
        state.name_of(&j("unknown@example.org")),
        "unknown@example.org"
    );
    let mut ui = simulator(state.view());
    ui.click("Bob").expect("the safe name is shown");
    assert_eq!(
        feed(ui.into_messages(), &mut state),
        Action::Open(j("mallory@example.org"))
    );
    assert_eq!(state.selected(), Some(&j("mallory@example.org")));

    state.remove(&j("mallory@example.org"));
    assert!(state.item(&j("mallory@example.org")).is_none());
    assert!(texts(state.view()).contains(&crate::fl!("roster-empty")));
}

#[test]
fn collapsing_a_group_hides_its_rows_and_keyboard_order_follows_the_view() {
    let mut state = sample();
    let mut ui = simulator(state.view());
    ui.click("Friends").expect("the group header");
    feed(ui.into_messages(), &mut state);
    let shown = texts(state.view());
    assert!(
        shown.contains(&"Friends".to_owned()) && !shown.contains(&"Alice".to_owned()),
        "{shown:?}"
    );
    assert!(state.groups()[0].collapsed);

    // Visible order: eve, Dave (Work), Carol (Contacts).
    assert_eq!(state.next_conversation(true), Some(j("eve@example.org")));
    assert_eq!(state.next_conversation(false), Some(j("carol@example.net")));
    state.set_selected(Some(j("dave@example.org")));
    assert_eq!(state.next_conversation(true), Some(j("carol@example.net")));
    assert_eq!(state.next_conversation(false), Some(j("eve@example.org")));
    state.set_selected(Some(j("carol@example.net")));
    assert_eq!(state.next_conversation(true), None);

    state.update(Message::ToggleGroup("Friends".into()));
    state.set_selected(Some(j("bob@example.org")));
    // Bob, Alice, Dave (Friends), eve, Dave again (Work, skipped), Carol.
    assert_eq!(state.next_conversation(true), Some(j("alice@example.org")));
    state.set_selected(Some(j("dave@example.org")));
    assert_eq!(state.next_conversation(true), Some(j("eve@example.org")));
}

/// Not a timed assertion: prints how long building the view takes at 5,000 contacts.
#[test]
fn names_are_listed_as_people_read_them_online_first() {
    let mut state = State::default();
    let names = [
        ("c10@example.org", "Contact 10"),
        ("c2@example.org", "Contact 2"),
        ("e1@example.org", "émile"),
        ("e2@example.org", "Emile"),
        ("f@example.org", "Fred"),
        ("z@example.org", "zoë"),
    ];
    state.set_roster(
        names
            .iter()
            .map(|(jid, name)| item(jid, Some(name), &[], Subscription::Both, false))
            .collect(),
    );
    state.set_presence(&full("z@example.org/phone"), presence(Show::Away, ""), 0);
    let order: Vec<&str> = state.groups()[0]
        .contacts
        .iter()
        .map(|c| c.name.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        order,
        ["zoë", "Contact 2", "Contact 10", "Emile", "émile", "Fred"]
    );
    // A filter without accents or case finds the names that have them.
    let _ = state.update(Message::Filter("EMILE".into()));
    assert_eq!(state.groups()[0].contacts.len(), 2);
}

#[test]
fn arrows_walk_headers_and_contacts_and_enter_opens_or_folds() {
    let mut state = sample();
    // Friends: Bob (away, online first), Alice, Dave; Work: eve, Dave; Contacts: Carol.
    let first = feed([Message::Step(true), Message::Step(true)], &mut state);
    assert_eq!(first, Action::None);
    assert_eq!(
        state.update(Message::Enter),
        Action::Open(j("bob@example.org"))
    );
    // From the open conversation up to its group's header: Enter folds the group.
    let _ = state.update(Message::Step(false));
    let _ = state.update(Message::Enter);
    assert!(state.groups()[0].collapsed, "Friends is folded");
    // A filter: Enter opens the first match without moving the cursor.
    let mut state = sample();
    let _ = state.update(Message::Filter("car".into()));
    assert_eq!(
        state.update(Message::Enter),
        Action::Open(j("carol@example.net"))
    );
}
