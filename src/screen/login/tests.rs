//! Signing in as a person does: typing into the simulated form, clicking, and reading what it
//! says afterwards.

use crate::model::address::j;
use iced::keyboard::key::Named;
use iced_test::{Simulator, selector};

use super::*;
use crate::model::AuthMethod;
use crate::session::AuthProblem;

/// The form on a screen tall enough for all of it with the advanced settings open (the window
/// scrolls; these tests are about what the form does, not about scrolling).
fn simulator(view: Element<'_, Message>) -> Simulator<'_, Message, iced::Theme> {
    Simulator::with_size(Default::default(), (1024.0, 1200.0), view)
}

/// Feeds messages to `update` and keeps the actions that are not `None`.
fn feed(state: &mut State, messages: impl IntoIterator<Item = Message>) -> Vec<Action> {
    messages
        .into_iter()
        .map(|m| state.update(m))
        .filter(|a| *a != Action::None)
        .collect()
}

fn sees(state: &State, text: &str) -> bool {
    simulator(state.view()).find(text).is_ok()
}

/// Clicks into the field with `id` and types `typed`; returns what the form produced.
fn type_into(state: &State, id: iced::widget::Id, typed: &str) -> Vec<Message> {
    let mut ui = simulator(state.view());
    ui.click(selector::id(id)).expect("the field is on screen");
    ui.typewrite(typed);
    ui.into_messages().collect()
}

/// Clicks what shows `label` and feeds what that produced to `update`.
fn press(state: &mut State, label: &str) -> Vec<Action> {
    let mut ui = simulator(state.view());
    ui.click(label).expect("the button is on screen");
    let produced: Vec<Message> = ui.into_messages().collect();
    feed(state, produced)
}

fn filled(jid: &str, password: &str) -> State {
    let mut state = State::new(None, true);
    let produced = type_into(&state, jid_id(), jid);
    feed(&mut state, produced);
    let produced = type_into(&state, password_id(), password);
    feed(&mut state, produced);
    state
}

#[test]
fn an_invalid_address_shows_why_and_sign_in_does_nothing() {
    let cases = [
        (
            "example.org",
            "“example.org” is a server, not an account: write it as name@example.org.",
        ),
        (
            "alice@example.org/laptop",
            "Leave out the “/…” part: write only name@server.",
        ),
        (
            "alice smith@example.org",
            "An address cannot contain spaces.",
        ),
        ("a@b@example.org", "An address has only one @."),
        ("@example.org", "The name before the @ is missing."),
    ];
    for (typed, reason) in cases {
        let mut state = filled(typed, "secret");
        assert!(sees(&state, reason), "{typed}: {reason}");
        assert_eq!(press(&mut state, "Sign in"), vec![], "{typed}");
        assert_eq!(press(&mut state, "Test connection"), vec![], "{typed}");
        assert_eq!(state.update(Message::SignIn), Action::None, "{typed}");
    }
}

#[test]
fn a_valid_form_signs_in_with_every_field() {
    let mut state = filled("Alice@Example.ORG", "secret");
    assert!(sees(&state, "Your full address, like name@example.org."));
    press(&mut state, "▸ Advanced settings");
    feed(
        &mut state,
        [
            Message::Host("xmpp.example.net".into()),
            Message::Port("5223".into()),
            Message::Resource("laptop".into()),
            Message::Timeout("45".into()),
            Message::Tls(TlsMode::Direct),
        ],
    );
    // On by default with a keyring; unticked here.
    press(&mut state, "Remember password");

    let actions = press(&mut state, "Sign in");
    let mut account = Account::new(j("alice@example.org"));
    account.host = Some("xmpp.example.net".into());
    account.port = Some(5223);
    account.tls = TlsMode::Direct;
    account.resource = Some("laptop".into());
    account.connect_timeout_secs = 45;
    assert_eq!(
        actions,
        vec![Action::SignIn {
            account,
            password: "secret".into(),
            remember: false
        }]
    );
    assert!(sees(&state, "Signing in…"));
    assert_eq!(
        state.update(Message::SignIn),
        Action::None,
        "not twice while signing in"
    );
}

#[test]
fn enter_in_the_password_field_signs_in() {
    let state = filled("alice@example.org", "secret");
    let mut ui = simulator(state.view());
    ui.click(selector::id(password_id()))
        .expect("the password field");
    ui.tap_key(Named::Enter);
    let produced: Vec<Message> = ui.into_messages().collect();
    let mut state = state;
    let actions = feed(&mut state, produced);
    assert!(
        matches!(&actions[..], [Action::SignIn { remember: true, .. }]),
        "{actions:?}"
    );
}

#[test]
fn the_password_is_masked() {
    let state = filled("alice@example.org", "hunter2");
    assert!(!sees(&state, "hunter2"));
}

#[test]
fn bad_advanced_settings_say_why_and_block_sign_in() {
    let cases = [
        (
            Message::Port("70000".into()),
            "The port is a number from 1 to 65535.",
        ),
        (
            Message::Port("0".into()),
            "The port is a number from 1 to 65535.",
        ),
        (
            Message::Timeout("0".into()),
            "The timeout is a whole number of seconds from 1 to 600.",
        ),
        (
            Message::Timeout("soon".into()),
            "The timeout is a whole number of seconds from 1 to 600.",
        ),
        (
            Message::Host("exa mple.org".into()),
            "Write a host name or an IP address, without spaces or slashes.",
        ),
    ];
    for (input, reason) in cases {
        let mut state = filled("alice@example.org", "secret");
        feed(&mut state, [Message::ToggleAdvanced, input]);
        assert!(sees(&state, reason), "{reason}");
        assert_eq!(press(&mut state, "Sign in"), vec![], "{reason}");
    }
}

#[test]
fn testing_the_connection_shows_the_time_to_online_or_the_error() {
    let mut state = filled("alice@example.org", "secret");
    let actions = press(&mut state, "Test connection");
    assert_eq!(
        actions,
        vec![Action::Test(
            Account::new(j("alice@example.org")),
            "secret".into()
        )]
    );
    assert!(sees(&state, "Testing the connection…"));
    assert_eq!(press(&mut state, "Sign in"), vec![], "busy while testing");

    state.set_test_result(TestResult::Ok { ms: 412 });
    assert!(sees(&state, "Connected: online in 412 ms."));
    state.set_testing();
    state.set_test_result(TestResult::Failed("the server did not answer".into()));
    assert!(sees(
        &state,
        "The connection failed: the server did not answer"
    ));
}

#[test]
fn a_wrong_password_asks_again() {
    let mut state = filled("alice@example.org", "wrong");
    press(&mut state, "Sign in");
    state.ask_password_again(
        &j("alice@example.org"),
        "The server refused the password.".into(),
    );
    assert!(sees(&state, "The server refused the password."));
    assert!(sees(&state, "alice@example.org"), "the address stays");
    assert_eq!(
        press(&mut state, "Sign in"),
        vec![],
        "the password is empty"
    );
    let produced = type_into(&state, password_id(), "right");
    feed(&mut state, produced);
    let actions = press(&mut state, "Sign in");
    assert!(
        matches!(&actions[..], [Action::SignIn { password, .. }] if password == "right"),
        "{actions:?}"
    );
}

#[test]
fn without_a_keyring_the_password_is_asked_at_each_start() {
    let mut state = State::new(Some("alice@example.org".into()), false);
    assert!(sees(&state, "alice@example.org"));
    assert!(sees(
        &state,
        "No keyring is available on this desktop, so Natter cannot keep your password: it will ask for it at each start."
    ));
    feed(
        &mut state,
        [Message::Remember(true), Message::Password("secret".into())],
    );
    let actions = feed(&mut state, [Message::SignIn]);
    assert!(
        matches!(
            &actions[..],
            [Action::SignIn {
                remember: false,
                ..
            }]
        ),
        "{actions:?}"
    );
}

#[test]
fn a_stored_account_comes_back_whole() {
    let mut stored = Account::new(j("alice@example.org"));
    stored.host = Some("xmpp.example.net".into());
    stored.port = Some(5223);
    stored.tls = TlsMode::Direct;
    stored.pinned_cert = Some(vec![1, 2, 3]);
    stored.last_status = "at work".into();
    stored.is_default = true;
    let mut state = State::from_account(&stored, true);
    assert!(sees(&state, "alice@example.org"));
    assert!(
        sees(&state, "xmpp.example.net"),
        "the advanced settings are open and filled"
    );
    let produced = type_into(&state, password_id(), "secret");
    feed(&mut state, produced);
    let actions = press(&mut state, "Sign in");
    assert_eq!(
        actions,
        vec![Action::SignIn {
            account: stored,
            password: "secret".into(),
            remember: true
        }]
    );
}

#[test]
fn after_a_refused_downgrade_the_person_can_allow_weaker_sign_in() {
    let mut stored = Account::new(j("alice@example.org"));
    stored.auth_method = Some(AuthMethod::ScramBound);
    let mut state = State::from_account(&stored, true);
    let reason = AuthProblem::Downgrade {
        jid: stored.jid.to_string(),
        before: AuthMethod::ScramBound,
        offered: AuthMethod::Plain,
    }
    .to_string();
    state.ask_password_again(&stored.jid, reason.clone());
    assert!(sees(&state, &reason), "the refusal is shown");
    assert!(
        !sees(&state, "Allow weaker sign-in methods"),
        "behind the advanced settings"
    );
    press(&mut state, "▸ Advanced settings");
    let hint = crate::fl!("login-allow-plain-hint");
    assert!(hint.contains("Tick this only if your server changed on purpose."));
    assert!(sees(&state, &hint));
    press(&mut state, "Allow weaker sign-in methods");
    let produced = type_into(&state, password_id(), "secret");
    feed(&mut state, produced);
    let actions = press(&mut state, "Sign in");
    let mut allowed = stored.clone();
    allowed.allow_plain = true;
    assert_eq!(
        actions,
        vec![Action::SignIn {
            account: allowed.clone(),
            password: "secret".into(),
            remember: true
        }]
    );

    // Saved that way, it comes back ticked, with the advanced settings open; unticking it
    // refuses weaker methods again.
    let mut state = State::from_account(&allowed, true);
    let produced = type_into(&state, password_id(), "secret");
    feed(&mut state, produced);
    press(&mut state, "Allow weaker sign-in methods");
    let actions = press(&mut state, "Sign in");
    assert!(
        matches!(&actions[..], [Action::SignIn { account, .. }] if !account.allow_plain),
        "{actions:?}"
    );
}

#[test]
fn the_password_never_shows_in_debug_output() {
    let message = format!("{:?}", Message::Password("hunter2".into()));
    let action = Action::SignIn {
        account: Account::new(j("a@b.org")),
        password: "hunter2".into(),
        remember: true,
    };
    let test = Action::Test(Account::new(j("a@b.org")), "hunter2".into());
    for text in [message, format!("{action:?}"), format!("{test:?}")] {
        assert!(!text.contains("hunter2"), "{text}");
    }
}
