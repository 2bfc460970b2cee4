//! Adding a contact from the roster: the address check, and what the form sends.

use super::*;
use crate::model::address::j;
use crate::screen::roster::add as roster_add;

#[test]
fn an_invalid_address_shows_the_reason_and_cannot_be_added() {
    let mut state = sample();
    let mut ui = simulator(state.view());
    ui.click("+").expect("the add button");
    feed(ui.into_messages(), &mut state);
    assert!(state.is_adding());

    let mut ui = simulator(state.view());
    assert!(
        ui.find(crate::fl!("roster-add-jid-hint")).is_ok(),
        "an empty field explains the form"
    );
    ui.click(selector::id(ADD_JID_INPUT))
        .expect("the address field");
    ui.typewrite("bob smith@example.org");
    feed(ui.into_messages(), &mut state);

    let mut ui = simulator(state.view());
    assert!(
        ui.find(crate::fl!("roster-add-jid-space")).is_ok(),
        "the reason is in words"
    );
    ui.click(crate::fl!("roster-add-submit"))
        .expect("the Add button is shown");
    assert_eq!(
        feed(ui.into_messages(), &mut state),
        Action::None,
        "Add is disabled"
    );
    assert_eq!(state.update(Message::SubmitAdd), Action::None);
    assert!(
        state.is_adding(),
        "the dialog stays open to fix the address"
    );

    let reasons = [
        (
            "example.org",
            crate::fl!("roster-add-jid-no-user", server = "example.org"),
        ),
        (
            "bob@example.org/phone",
            crate::fl!("roster-add-jid-resource"),
        ),
        ("@example.org", crate::fl!("roster-add-jid-no-name")),
        ("a@b@example.org", crate::fl!("roster-add-jid-two-at")),
    ];
    for (typed, reason) in reasons {
        state.update(Message::AddJid(typed.into()));
        assert!(texts(state.view()).contains(&reason), "{typed}: {reason}");
    }
}

#[test]
fn a_valid_address_is_added_with_its_name_group_and_message() {
    let mut state = State::default();
    state.open_add(None);
    let mut ui = simulator(state.view());
    for (field, typed) in [
        (ADD_JID_INPUT, " Zoe@Example.ORG"),
        (roster_add::NAME_INPUT, "Zoé"),
        (roster_add::GROUP_INPUT, "Family"),
        (roster_add::MESSAGE_INPUT, "It is me"),
    ] {
        ui.click(selector::id(field)).expect("field on screen");
        ui.typewrite(typed);
    }
    feed(ui.into_messages(), &mut state);
    let mut ui = simulator(state.view());
    ui.click(crate::fl!("roster-add-submit"))
        .expect("the Add button");
    let action = feed(ui.into_messages(), &mut state);
    assert_eq!(
        action,
        Action::Add {
            jid: j("zoe@example.org"),
            name: Some("Zoé".into()),
            groups: vec!["Family".into()],
            message: Some("It is me".into()),
            share_presence: true,
        }
    );
    assert!(
        !texts(state.view()).contains(&crate::fl!("roster-add-title")),
        "the dialog closed"
    );

    // Esc (mapped by the app) cancels; an address from a link is pre-filled.
    state.open_add(Some("yan@example.org".into()));
    assert!(simulator(state.view()).find("yan@example.org").is_ok());
    state.update(Message::CancelAdd);
    assert!(!state.is_adding());
}

#[test]
fn adding_a_known_contact_again_keeps_the_name_and_groups_left_empty() {
    let mut state = sample();
    state.open_add(None);
    state.update(Message::AddJid("dave@example.org".into()));
    state.open_add(None);
    assert!(
        simulator(state.view()).find("dave@example.org").is_ok(),
        "opening again keeps the typed address"
    );
    let shown = texts(state.view());
    assert!(
        shown.contains(&crate::fl!("roster-add-known", name = "Dave")),
        "{shown:?}"
    );
    assert_eq!(
        state.update(Message::SubmitAdd),
        Action::Add {
            jid: j("dave@example.org"),
            name: Some("Dave".into()),
            groups: vec!["Friends".into(), "Work".into()],
            message: None,
            share_presence: true,
        }
    );
}

#[test]
fn letting_them_see_my_status_is_on_by_default_and_the_persons_choice() {
    let mut state = sample();
    state.open_add(None);
    state.update(Message::AddJid("yan@example.org".into()));
    let shown = texts(state.view());
    assert!(
        shown.contains(&crate::fl!("roster-add-share"))
            && shown.contains(&crate::fl!("roster-add-share-on")),
        "{shown:?}"
    );
    let mut ui = simulator(state.view());
    ui.click(crate::fl!("roster-add-share"))
        .expect("the checkbox");
    feed(ui.into_messages(), &mut state);
    assert!(
        texts(state.view()).contains(&crate::fl!("roster-add-share-off")),
        "what it means now"
    );
    assert!(matches!(
        state.update(Message::SubmitAdd),
        Action::Add { jid, share_presence: false, .. } if jid == j("yan@example.org")
    ));
    // A new dialog starts from the usual choice again.
    state.open_add(None);
    assert_eq!(state.add_form().map(|f| f.share), Some(true));
}
