//! Snapshot hashes of the main screens, rendered headless by tiny-skia (ICED_TEST_BACKEND is
//! set in .cargo/config.toml) at a fixed size from fixed sample data.
//!
//! The committed files are `tests/snapshots/<name>-tiny-skia.sha256`. A missing file fails
//! the test (iced_test would silently create it and pass). After an intended change of the
//! look, regenerate them and review the PNGs before committing the hashes:
//!
//! ```text
//! NATTER_UPDATE_SNAPSHOTS=1 tests/run --test it snapshots
//! ```
//!
//! Every rendering that was regenerated or that differs is written as a PNG under
//! `target/tmp/snapshots/`, and the failure names it.
//!
//! Times are built from local wall-clock dates in 2009, so the day separators and `HH:MM`
//! labels read the same in every time zone and never turn into "Today" or "Yesterday".
//! Text is rasterised with the fonts of the machine (Fira Sans from iced_test, symbols from
//! the system's fallback fonts): the hashes hold for the fonts `tests/run` installs.

use crate::j;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::TimeZone;
use iced::{Settings, Size, Theme};
use iced_test::Simulator;
use natter::app::{self, App};
use natter::model::{
    Account, ChatMessage, ChatState, Delivery, Direction, Millis, RequestState, ResourcePresence,
    RosterItem, Show, Subscription, SubscriptionRequest,
};
use natter::screen::{chat, login, requests, roster};
use natter::session::{Event, Update};
use natter::store::Store;
use natter::theme::{self, Element, Mode};

/// Where the committed hashes live.
const SNAPSHOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots");
/// The renderer the hashes are for; iced_test puts its name in the file name.
const RENDERER: &str = "tiny-skia";
/// Set to 1 to write the hashes anew.
const UPDATE: &str = "NATTER_UPDATE_SNAPSHOTS";

/// The window as `app::application` opens it, and the panes inside it.
const WINDOW: Size = Size::new(1000.0, 680.0);
const ROSTER_PANE: Size = Size::new(300.0, 600.0);
const RIGHT_PANE: Size = Size::new(700.0, 680.0);

const ME: &str = "me@example.org";
const ADA: &str = "ada@example.org";

/// Renders `view` and compares it with the committed hash `name`.
fn assert_snapshot<M>(name: &str, size: Size, theme: &Theme, view: Element<'_, M>) {
    assert_eq!(
        env::var("ICED_TEST_BACKEND").as_deref(),
        Ok(RENDERER),
        "the snapshot hashes are for the tiny-skia renderer: run the tests through tests/run or \
         cargo (which take ICED_TEST_BACKEND=tiny-skia from .cargo/config.toml)"
    );
    let hash_file = Path::new(SNAPSHOTS).join(format!("{name}-{RENDERER}.sha256"));
    let update = env::var(UPDATE).is_ok_and(|v| v == "1");
    if update {
        match fs::remove_file(&hash_file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => panic!("removing {}: {e}", hash_file.display()),
        }
    } else {
        assert!(
            hash_file.is_file(),
            "the snapshot {} is missing: render it with `{UPDATE}=1 tests/run --test it \
             snapshots`, look at the PNG it writes under target/tmp/snapshots/ and commit the \
             hash",
            hash_file.display()
        );
    }

    let mut ui = Simulator::with_size(Settings::default(), size, view);
    let snapshot = ui
        .snapshot(theme)
        .unwrap_or_else(|e| panic!("rendering {name}: {e}"));
    let matches = snapshot
        .matches_hash(Path::new(SNAPSHOTS).join(name))
        .unwrap_or_else(|e| panic!("checking {}: {e}", hash_file.display()));
    assert!(
        hash_file.is_file(),
        "{} was not written: did iced_test change its file names?",
        hash_file.display()
    );
    if matches && !update {
        return;
    }
    let png = rendering_path(name);
    let _ = fs::remove_file(&png);
    snapshot
        .matches_image(png.with_file_name(name))
        .unwrap_or_else(|e| panic!("writing {}: {e}", png.display()));
    if update {
        eprintln!(
            "wrote {} (rendering: {})",
            hash_file.display(),
            png.display()
        );
    }
    assert!(
        matches,
        "{name} does not look as its snapshot {} says; this rendering is in {}. If the change \
         is intended, regenerate with `{UPDATE}=1 tests/run --test it snapshots` and commit \
         the new hash",
        hash_file.display(),
        png.display()
    );
}

/// Where a rendering is written as PNG for people to look at (never committed).
fn rendering_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshots");
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir.join(format!("{name}-{RENDERER}.png"))
}

fn light() -> Theme {
    theme::theme(Mode::Light)
}

// --- the screens ----------------------------------------------------------------------------

#[test]
fn sign_in_on_first_run() {
    let state = login::State::new(None, true);
    assert_snapshot("login-first-run", WINDOW, &light(), state.view());
}

#[test]
fn roster_with_groups_presence_unread_and_subscriptions() {
    let mut state = roster::State::default();
    state.set_roster(sample_roster());
    for (jid, show, status) in sample_presences() {
        state.set_presence(&crate::full(jid), presence(show, status), FAR_PAST);
    }
    state.set_unread(&j("bob@example.org"), 3);
    state.set_unread(&j("frank@example.net"), 120);
    state.set_selected(Some(j(ADA)));
    assert_snapshot("roster", ROSTER_PANE, &light(), state.view());
}

#[test]
fn conversation_with_days_delivery_states_links_and_typing() {
    let mut state = chat::State::new(j(ADA), "Ada Lovelace".into());
    state.set_presence_line("Available — At the analytical engine".into());
    let page = sample_conversation();
    let size = page.len() + 1;
    state.prepend_page(page, size);
    state.set_chat_state(ChatState::Composing);
    assert_snapshot("conversation", RIGHT_PANE, &light(), state.view());
}

#[test]
fn conversation_with_edits_deletions_replies_and_reactions_light_and_dark() {
    for (name, mode) in [
        ("conversation-modern", Mode::Light),
        ("conversation-modern-dark", Mode::Dark),
    ] {
        let mut state = chat::State::new(j(ADA), "Ada Lovelace".into());
        let page = modern_conversation();
        let size = page.len() + 1;
        state.prepend_page(page, size);
        assert_snapshot(name, RIGHT_PANE, &theme::theme(mode), state.view());
    }
}

#[test]
fn conversation_with_styled_text_quotes_code_and_actions_light_and_dark() {
    for (name, mode) in [
        ("conversation-styled", Mode::Light),
        ("conversation-styled-dark", Mode::Dark),
    ] {
        let mut state = chat::State::new(j(ADA), "Ada Lovelace".into());
        let page = styled_conversation();
        let size = page.len() + 1;
        state.prepend_page(page, size);
        assert_snapshot(name, RIGHT_PANE, &theme::theme(mode), state.view());
    }
}

#[test]
fn conversation_with_earlier_versions_open_and_a_quoted_message_marked() {
    let mut state = chat::State::new(j(ADA), "Ada Lovelace".into());
    let mut page = modern_conversation();
    page[9].extras.reply_to = Some(natter::model::ReplyTo {
        id: crate::mid("msg-6"),
        author: Some(j(ME)),
        quote: None,
    });
    let size = page.len() + 1;
    let edited = page[6].clone();
    state.prepend_page(page, size);
    // The last message's quote was clicked: the message it answers is marked.
    let _ = state.update(chat::Message::FollowQuote(10));
    let _ = state.update(chat::Message::Versions(edited.local_id));
    state.set_versions(
        edited.local_id,
        vec![
            (edited.sent_at, "I'll book a tabel.".into()),
            (edited.sent_at + 20_000, "I'll book a table for 3.".into()),
        ],
    );
    assert_snapshot("conversation-versions", RIGHT_PANE, &light(), state.view());
}

#[test]
fn conversation_with_a_message_selected_by_keys_and_its_menu_open_light_and_dark() {
    use chat::{Act, Selection};
    for (name, mode) in [
        ("conversation-selected", Mode::Light),
        ("conversation-selected-dark", Mode::Dark),
    ] {
        let mut state = chat::State::new(j(ADA), "Ada Lovelace".into());
        let page = modern_conversation();
        let size = page.len() + 1;
        state.prepend_page(page, size);
        // Ctrl+Up, Up: the message before the newest; Shift+F10, Down: its menu at "React".
        for selection in [
            Selection::Older,
            Selection::Older,
            Selection::Act(Act::Menu),
            Selection::MenuStep(true),
        ] {
            let _ = state.update(chat::Message::Selection(selection));
        }
        assert_snapshot(name, RIGHT_PANE, &theme::theme(mode), state.view());
    }
}

#[test]
fn requests_and_who_sees_my_presence() {
    let mut state = requests::State::default();
    state.set_blocking_supported(true);
    state.set_pending(sample_requests());
    let roster = sample_roster();
    assert_snapshot("requests", RIGHT_PANE, &light(), state.view(&roster));
}

// --- the whole window -----------------------------------------------------------------------

#[tokio::test]
async fn window_signed_in_with_a_conversation_open() {
    let (_dir, app) = signed_in_window().await;
    assert_snapshot("window-conversation", WINDOW, &app.theme(), app.view());
}

#[tokio::test]
async fn window_in_dark_mode() {
    let (_dir, mut app) = signed_in_window().await;
    let _ = app.update(app::Message::ThemeChanged(iced::theme::Mode::Dark));
    assert_snapshot("window-conversation-dark", WINDOW, &app.theme(), app.view());
}

#[tokio::test]
async fn window_with_the_requests_pane() {
    let (_dir, mut app) = signed_in_window().await;
    let _ = app.update(app::Message::ShowRequests);
    assert_snapshot("window-requests", WINDOW, &app.theme(), app.view());
}

/// The real `App` on a store filled with the sample roster, requests and conversation, told by
/// (synthetic) session events that it is online and who is, with Ada's conversation open.
async fn signed_in_window() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(j(ME));
    account.is_default = true;
    account.last_status = "Writing the release notes".into();
    store
        .save_account(account.clone())
        .await
        .expect("account saved");
    store
        .replace_roster(&j(ME), Some("1".into()), sample_roster())
        .await
        .expect("roster saved");
    for request in sample_requests() {
        store
            .add_request(&j(ME), request)
            .await
            .expect("request saved");
    }
    store
        .insert_messages(sample_conversation())
        .await
        .expect("history saved");

    let mut app = App::with_store(store.clone(), Some(account), Some("unused".into())).await;
    let generation = app
        .session_key()
        .expect("a stored account with a password signs in at start")
        .generation;
    let event = |app: &mut App, e: Event| {
        let _ = app.update(app::Message::Session(Update::Event(generation, e)));
    };
    event(
        &mut app,
        Event::Online {
            jid: crate::full(&format!("{ME}/desk")),
            resumed: false,
            elapsed_ms: 120,
        },
    );
    for (jid, show, status) in sample_presences() {
        event(
            &mut app,
            Event::Presence {
                jid: crate::full(jid),
                show,
                status: status.into(),
                priority: 0,
                idle_since: None,
            },
        );
    }
    event(
        &mut app,
        Event::Messages(vec![message(
            900,
            "bob@example.org",
            Direction::In,
            "Are we still on for Saturday?",
            at(2009, 3, 15, 18, 2),
            Delivery::Received,
        )]),
    );
    let _ = app.update(app::Message::Roster(roster::Message::Select(j(ADA))));
    let page = store
        .history(&j(ME), &j(ADA), None, app::PAGE)
        .await
        .expect("history page");
    let _ = app.update(app::Message::History { peer: j(ADA), page });
    event(
        &mut app,
        Event::ChatState {
            from: j(ADA),
            state: ChatState::Composing,
        },
    );
    (dir, app)
}

// --- sample data ----------------------------------------------------------------------------

/// "Now" for presence bookkeeping; only last-seen times use it, and none is shown.
const FAR_PAST: Millis = 1_237_000_000_000;

/// A local wall-clock time, so the labels are the same in every time zone.
fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Millis {
    chrono::Local
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .expect("a local time that exists once")
        .timestamp_millis()
}

fn item(
    jid: &str,
    name: Option<&str>,
    groups: &[&str],
    sub: Subscription,
    ask: bool,
) -> RosterItem {
    RosterItem {
        jid: j(jid),
        name: name.map(Into::into),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        subscription: sub,
        ask,
        approved: false,
    }
}

/// Ten contacts in three groups and none, in every subscription state.
fn sample_roster() -> Vec<RosterItem> {
    use Subscription::{Both, From, None as Neither, To};
    vec![
        item(ADA, Some("Ada Lovelace"), &["Friends"], Both, false),
        item("bob@example.org", Some("Bob"), &["Friends"], Both, false),
        item(
            "carol@example.net",
            Some("Carol Shaw"),
            &["Work"],
            Both,
            false,
        ),
        item("dave@example.com", Some("Dave"), &["Family"], To, false),
        item("erin@example.org", Some("Erin"), &["Family"], From, false),
        item("frank@example.net", Some("Frank"), &["Work"], Both, false),
        item(
            "grace@example.org",
            Some("Grace Hopper"),
            &["Friends", "Work"],
            Both,
            false,
        ),
        item("heidi@example.com", None, &[], Neither, true),
        item("ivan@example.org", Some("Ivan"), &["Work"], From, true),
        item("judy@example.net", Some("Judy"), &[], Neither, false),
    ]
}

/// Every show once; Erin, Heidi, Ivan and Judy offline.
fn sample_presences() -> [(&'static str, Show, &'static str); 6] {
    [
        (
            "ada@example.org/engine",
            Show::Available,
            "At the analytical engine",
        ),
        ("bob@example.org/phone", Show::Away, "Walking the dog"),
        ("carol@example.net/desk", Show::Dnd, "In a meeting until 3"),
        ("dave@example.com/laptop", Show::Xa, ""),
        ("frank@example.net/home", Show::Chat, "Ask me anything"),
        ("grace@example.org/ship", Show::Available, ""),
    ]
}

fn presence(show: Show, status: &str) -> ResourcePresence {
    ResourcePresence {
        show,
        status: status.into(),
        priority: 0,
        idle_since: None,
    }
}

fn sample_requests() -> Vec<SubscriptionRequest> {
    let request =
        |from: &str, nick: Option<&str>, message: Option<&str>, minute| SubscriptionRequest {
            from: j(from),
            nick: nick.map(Into::into),
            message: message.map(Into::into),
            received_at: at(2009, 3, 15, 9, minute),
            state: RequestState::Pending,
        };
    vec![
        request(
            "mallory@example.com",
            Some("Ada Lovelace"),
            Some("Hi, it's Ada from the conference"),
            1,
        ),
        request("dave@example.com", None, None, 2),
        request(
            "oscar@example.org",
            Some("Oscar"),
            Some("We met at the climbing gym"),
            3,
        ),
    ]
}

fn message(
    n: i64,
    peer: &str,
    direction: Direction,
    body: &str,
    sent_at: Millis,
    delivery: Delivery,
) -> ChatMessage {
    let id = crate::mid(format!("msg-{n}"));
    ChatMessage {
        local_id: 0,
        account: j(ME),
        peer: j(peer),
        direction,
        body: body.into(),
        sent_at,
        received_at: sent_at,
        remote_id: Some(id.clone()),
        origin_id: (direction == Direction::Out).then_some(id),
        stanza_id: None,
        delivery,
        delayed: false,
        carbon: false,
        extras: Default::default(),
    }
}

/// Two days with Ada in March 2009: both directions, every delivery state of an own message
/// (a failed one with Retry), a link, and a message of several lines.
fn sample_conversation() -> Vec<ChatMessage> {
    use Direction::{In, Out};
    let lines = [
        (
            In,
            "Did you get the notes on the engine?",
            (14, 9, 12),
            Delivery::Received,
        ),
        (
            Out,
            "Yes, reading them now.",
            (14, 9, 14),
            Delivery::Delivered,
        ),
        (
            In,
            "The diagram is here: https://example.org/notes/engine",
            (14, 9, 15),
            Delivery::Received,
        ),
        (
            Out,
            "Thanks! Lunch tomorrow?",
            (14, 9, 31),
            Delivery::Delivered,
        ),
        (
            In,
            "Tomorrow works.\nNoon at the usual place?\nI will bring the cards.",
            (15, 11, 2),
            Delivery::Received,
        ),
        (Out, "Noon is perfect.", (15, 11, 5), Delivery::Delivered),
        (Out, "I'll book a table.", (15, 11, 6), Delivery::Acked),
        (Out, "For four people.", (15, 11, 6), Delivery::Sent),
        (Out, "Bring Charles too.", (15, 11, 7), Delivery::Failed),
        (Out, "See you there!", (15, 11, 8), Delivery::Queued),
    ];
    lines
        .into_iter()
        .zip(1..)
        .map(|((direction, body, (day, hour, minute), delivery), n)| {
            let mut m = message(
                n,
                ADA,
                direction,
                body,
                at(2009, 3, day, hour, minute),
                delivery,
            );
            // The screen-level snapshot feeds these without a store: give them row ids.
            m.local_id = n;
            m
        })
        .collect()
}

/// The sample conversation as modern clients leave it: an OMEMO message, a reply quoting the
/// first message, an own message edited and reacted to by both, one deleted.
fn modern_conversation() -> Vec<ChatMessage> {
    let mut page = sample_conversation();
    let me_and_ada = |emoji: &str| {
        vec![
            natter::model::Reaction {
                from: j(ADA),
                emoji: vec![emoji.into()],
            },
            natter::model::Reaction {
                from: j(ME),
                emoji: vec![emoji.into(), "🎉".into()],
            },
        ]
    };
    page[6].extras.edited_at = Some(page[6].sent_at + 60_000);
    page[6].extras.reactions = me_and_ada("👍");
    page[7].body = String::new();
    page[7].extras.retracted_at = Some(page[7].sent_at + 30_000);
    page[4].extras.reply_to = Some(natter::model::ReplyTo {
        id: crate::mid("msg-1"),
        author: Some(j(ADA)),
        quote: None,
    });
    page[2].body = String::new();
    page[2].extras.encryption = Some(natter::model::Encryption {
        scheme: "omemo".into(),
        fallback: "I sent you an OMEMO encrypted message".into(),
        payload: String::new(),
    });
    page
}

/// Messages styled as XEP-0393 says (bold, italics, strike, inline and block code, quotes two
/// deep), a /me action each way (XEP-0245), and text that is not styling.
fn styled_conversation() -> Vec<ChatMessage> {
    use Direction::{In, Out};
    let lines = [
        (In, "The *engine* works, _mostly_. It is ~slow~ `fast` now."),
        (
            Out,
            "> The *engine* works, _mostly_.\n>> Did you get the notes?\nYes: see https://example.org/notes",
        ),
        (
            In,
            "```\nfor n in 1..=7 { bernoulli(n) }\n```\nThat is the whole table.",
        ),
        (In, "/me bows"),
        (Out, "/me applauds"),
        (In, "2*3*4 is not bold, and snake_case is not italic."),
    ];
    lines
        .into_iter()
        .zip(1..)
        .map(|((direction, body), n)| {
            let delivery = match direction {
                In => Delivery::Received,
                Out => Delivery::Delivered,
            };
            let mut m = message(
                n,
                ADA,
                direction,
                body,
                at(2009, 3, 16, 10, n as u32),
                delivery,
            );
            m.local_id = n;
            m
        })
        .collect()
}
