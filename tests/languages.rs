//! The five languages: every file has exactly English's ids and variables, and the window
//! speaks Russian and Chinese with no English left on screen.
//!
//! A binary of its own (not a module of tests/it) because it switches the process's language,
//! which every other test reads; its tests share one lock so they never switch under each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use iced_test::selector::Candidate;
use iced_test::simulator;
use natter::app::{self, App};
use natter::model::{
    Account, ChatMessage, Delivery, Direction, RequestState, RosterItem, Show, Subscription,
    SubscriptionRequest,
};
use natter::screen::roster;
use natter::session::{Event, Update};
use natter::store::Store;

const LOCALES: [&str; 5] = ["en", "ru", "de", "es", "zh-CN"];

/// Texts that read the same in every language: the name, symbols, each language's own name.
const SAME_EVERYWHERE: [&str; 10] = [
    "app-title",
    "chat-mark-queued",
    "chat-mark-sent",
    "chat-mark-acked",
    "chat-mark-delivered",
    "language-en",
    "language-ru",
    "language-de",
    "language-es",
    "language-zh-cn",
];

/// One language at a time in this process.
static LANGUAGE: Mutex<()> = Mutex::new(());

fn ftl(locale: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("i18n")
        .join(locale)
        .join("natter.ftl")
}

/// Each message id with the variables its value (all variants) uses.
fn messages(locale: &str) -> BTreeMap<String, BTreeSet<String>> {
    let source = std::fs::read_to_string(ftl(locale)).expect("the file is readable");
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let starts_message = line
            .split_once(" =")
            .filter(|(id, _)| {
                !id.is_empty()
                    && id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .map(|(id, _)| id.to_owned());
        if let Some(id) = starts_message {
            assert!(
                found.insert(id.clone(), BTreeSet::new()).is_none(),
                "{locale}: {id} is defined twice"
            );
            current = Some(id);
        } else if line.starts_with('#') || line.trim().is_empty() {
            if line.starts_with('#') {
                current = None;
            }
            continue;
        }
        let Some(id) = &current else { continue };
        let mut rest = line;
        while let Some(at) = rest.find('$') {
            let name: String = rest[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !name.is_empty() {
                found.get_mut(id).expect("current id").insert(name);
            }
            rest = &rest[at + 1..];
        }
    }
    found
}

#[test]
fn every_language_has_exactly_the_ids_and_variables_of_english() {
    let english = messages("en");
    assert!(english.len() > 150, "English has {} ids", english.len());
    for locale in LOCALES {
        let other = messages(locale);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{locale} has ids English lacks: {extra:?}"
        );
        for (id, variables) in &english {
            assert_eq!(
                &other[id], variables,
                "{locale}: {id} uses other variables than English"
            );
        }
        // The real Fluent parser reads the whole file without an error.
        natter::i18n::loader_for(locale).unwrap_or_else(|e| panic!("{locale} does not load: {e}"));
    }
}

#[test]
fn plurals_follow_each_language() {
    let _one = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    let say = |locale: &str, count: usize| {
        let loader = natter::i18n::loader_for(locale).expect("loads");
        let args = std::collections::HashMap::from([("count", count)]);
        loader.get_args("settings-minutes", args)
    };
    assert_eq!(say("en", 1), "1 minute");
    assert_eq!(say("en", 5), "5 minutes");
    assert_eq!(say("ru", 1), "1 минуту");
    assert_eq!(say("ru", 2), "2 минуты");
    assert_eq!(say("ru", 5), "5 минут");
    assert_eq!(say("ru", 21), "21 минуту");
    assert_eq!(say("de", 1), "1 Minute");
    assert_eq!(say("es", 10), "10 minutos");
    assert_eq!(say("zh-CN", 5), "5 分钟");
}

#[test]
fn the_window_speaks_russian_and_chinese_with_no_english_left() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let _one = LANGUAGE.lock().unwrap_or_else(|e| e.into_inner());
    // English texts (without arguments) that a translation must replace on screen.
    let english = natter::i18n::loader_for("en").expect("English loads");
    let plain: Vec<(String, String)> = messages("en")
        .into_iter()
        .filter(|(_, variables)| variables.is_empty())
        .map(|(id, _)| {
            let text = english.get(&id);
            (id, text)
        })
        .collect();
    for (locale, expected) in [
        ("ru", ["Запросы и приватность", "Не отправлено"]),
        ("zh-CN", ["设置", "重试"]),
    ] {
        natter::i18n::init(Some(locale));
        let (_dir, app) = runtime.block_on(signed_in_window());
        let shown = texts(&app);
        natter::i18n::init(Some("en"));
        assert!(
            shown.iter().all(|t| !t.contains(['\u{2068}', '\u{2069}'])),
            "{locale}: no isolation marks: {shown:?}"
        );
        for wanted in expected {
            assert!(
                shown.iter().any(|t| t.contains(wanted)),
                "{locale}: “{wanted}” is not shown in {shown:?}"
            );
        }
        let untranslated: Vec<_> = plain
            .iter()
            .filter(|(id, text)| !SAME_EVERYWHERE.contains(&id.as_str()) && shown.contains(text))
            .collect();
        assert!(
            untranslated.is_empty(),
            "{locale}: English left on screen: {untranslated:?}"
        );
    }
}

fn texts(app: &App) -> Vec<String> {
    let mut ui = simulator(app.view());
    let mut found = Vec::new();
    let _ = ui.find(|c: Candidate<'_>| {
        if let Candidate::Text { content, .. } = c {
            found.push(content.to_owned());
        }
        None::<()>
    });
    found
}

const ME: &str = "me@example.org";
const ADA: &str = "ada@example.org";

/// Signed in, online, a small roster with presence, a pending request and a conversation with
/// a delivered, a failed and an incoming message open.
async fn signed_in_window() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(ME);
    account.is_default = true;
    store.save_account(account.clone()).await.expect("account");
    let contact = |jid: &str, name: &str, group: &str, subscription| RosterItem {
        jid: jid.into(),
        name: Some(name.into()),
        groups: vec![group.into()],
        subscription,
        ask: false,
        approved: false,
    };
    store
        .replace_roster(
            ME,
            Some("1".into()),
            vec![
                contact(ADA, "Ada Lovelace", "Friends", Subscription::Both),
                contact("bob@example.org", "Bob", "Work", Subscription::To),
            ],
        )
        .await
        .expect("roster");
    store
        .add_request(
            ME,
            SubscriptionRequest {
                from: "eve@example.net".into(),
                nick: Some("Eve".into()),
                message: None,
                received_at: 1_763_800_000_000,
                state: RequestState::Pending,
            },
        )
        .await
        .expect("request");
    let base = 1_763_800_000_000;
    let message = |id: &str, direction, body: &str, minute: i64, delivery| {
        let at = base + minute * 60_000;
        let mut m = ChatMessage::outbound(ME.into(), ADA.into(), body.into(), id.into(), at);
        m.direction = direction;
        m.delivery = delivery;
        m
    };
    store
        .insert_messages(vec![
            message("a", Direction::In, "Tea at five?", 0, Delivery::Received),
            message("b", Direction::Out, "Yes!", 1, Delivery::Delivered),
            message("c", Direction::Out, "Bring the notes", 2, Delivery::Failed),
        ])
        .await
        .expect("history");

    let mut app = App::for_test(store.clone(), Some(account), Some("unused".into())).await;
    let generation = app.session_key().expect("signs in").generation;
    let event = |app: &mut App, e: Event| {
        let _ = app.update(app::Message::Session(Update::Event(generation, e)));
    };
    event(
        &mut app,
        Event::Online {
            jid: format!("{ME}/desk"),
            resumed: false,
            elapsed_ms: 100,
        },
    );
    event(
        &mut app,
        Event::Presence {
            jid: format!("{ADA}/lab"),
            show: Show::Away,
            status: String::new(),
            priority: 0,
            idle_since: None,
        },
    );
    let _ = app.update(app::Message::Roster(roster::Message::Select(ADA.into())));
    let page = store.history(ME, ADA, None, app::PAGE).await.expect("page");
    let _ = app.update(app::Message::History {
        peer: ADA.into(),
        page,
    });
    (dir, app)
}
