//! How fast the heaviest views build, and what they cost in memory, at the sizes the desktop
//! issue names: a roster of 5,000 contacts and a conversation of 100,000 messages kept in a
//! real SQLite store.
//!
//! ```text
//! cargo bench --bench views
//! ```
//!
//! Each view is measured in the stages the iced runtime goes through for a frame:
//! `view()` alone (the widget tree), `+ layout` (`UserInterface::build`: diff against the
//! previous frame's tree and lay everything out, text shaping included, with the tiny-skia
//! renderer), and `+ draw` (recording the frame's primitives; rasterising is the renderer's
//! work and not measured). A `cold` row lays out from an empty cache: the first frame after
//! opening a screen. It prints figures and asserts nothing: timings are not tests.
//!
//! `NATTER_BENCH_VIEWS=long` measures only a conversation with a message of 1 MiB (folded,
//! then unfolded) and skips the store and the roster.
//!
//! Memory, per capability: the heap each one's state holds once built (counted by the
//! benchmark's own allocator, so the same at every run), beside the process's resident memory.
//! Each capability that lands (rooms, avatars, images, OMEMO sessions) gets its row in
//! `capabilities`, so what it adds shows in the figures.

#[path = "views/heap.rs"]
mod heap;

/// Counts the heap for the memory rows.
#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use iced::{Font, Pixels, Renderer, Size, Theme};
use iced_test::core::mouse;
use iced_test::core::renderer::{Headless, Style};
use iced_test::runtime::user_interface::{Cache, UserInterface};
use natter::app::{self, App};
use natter::model::{
    Account, BareJid, ChatMessage, Delivery, Direction, Jid, MessageId, Millis, ResourcePresence,
    RosterItem, Show, Subscription,
};
use natter::screen::{chat, roster};
use natter::session::{Event, Update};
use natter::store::Store;
use natter::theme::{self, Element};

const CONTACTS: usize = 5_000;
const MESSAGES: usize = 100_000;
/// Messages per insert transaction while filling the store.
const INSERT_BATCH: usize = 2_000;
/// Pages the person scrolls back after opening the conversation.
const PAGES_BACK: usize = 10;
const ACCOUNT: &str = "me@example.org";
const PEER: &str = "ada.lovelace@example.org";

/// The window's size (as `app::application` opens it) and its two panes.
const WINDOW: Size = Size::new(1000.0, 680.0);
/// Messages in the burst the peer comparison sends.
const BURST: usize = 2_000;
const ROSTER_PANE: Size = Size::new(300.0, 600.0);
const CHAT_PANE: Size = Size::new(700.0, 680.0);

/// Target of the issue for one view build.
const TARGET: Duration = Duration::from_millis(8);

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let theme = theme::theme(theme::Mode::Light);
    let mut renderer = futures::executor::block_on(<Renderer as Headless>::new(
        Font::with_name("Fira Sans"),
        Pixels(16.0),
        Some("tiny-skia"),
    ))
    .expect("the tiny-skia renderer");
    let mut report = Report::default();
    report.memory("start (renderer created)");
    capabilities(&mut report, &mut renderer);
    long_message(&mut report, &theme, &mut renderer);
    if std::env::var("NATTER_BENCH_VIEWS").is_ok_and(|v| v == "long") {
        report.print();
        return;
    }

    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(j(ACCOUNT));
    account.is_default = true;
    store
        .save_account(account.clone())
        .await
        .expect("account saved");

    // --- roster -------------------------------------------------------------------------------
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let sample = Roster::generate(&mut rng, CONTACTS);
    store
        .replace_roster(&j(ACCOUNT), Some("1".into()), sample.items.clone())
        .await
        .expect("roster stored");
    report.once(
        "roster",
        "load 5,000 contacts from SQLite",
        measure(20, || async {
            let (_, items) = store.roster(&j(ACCOUNT)).await.expect("roster read");
            assert_eq!(items.len(), CONTACTS);
        })
        .await,
    );
    let mut roster = roster::State::default();
    let started = Instant::now();
    roster.set_roster(sample.items.clone());
    for (jid, presence) in &sample.presences {
        roster.set_presence(jid, presence.clone(), FIXED_NOW);
    }
    for (jid, count) in &sample.unread {
        roster.set_unread(jid, *count);
    }
    report.once(
        "roster",
        "set_roster + presences + unread",
        Stats::single(started.elapsed()),
    );
    report.stages(
        "roster, 5,000 contacts (grouping cached)",
        ROSTER_PANE,
        (&theme, &mut renderer),
        &mut roster,
        |_| {},
        roster::State::view,
    );
    // A change that regroups (presence flipping online, a filter, an unread count): every
    // build sorts and groups the 5,000 contacts again.
    report.stages(
        "roster, 5,000 contacts (regrouped each build)",
        ROSTER_PANE,
        (&theme, &mut renderer),
        &mut roster,
        |state| {
            let _ = state.update(roster::Message::Filter(String::new()));
        },
        roster::State::view,
    );
    report.memory("after the roster views");

    // How the roster's cost grows with its size: what the person sees (the rows in the pane)
    // is the same at every size, so the warm build must stay flat and the regrouping linear.
    for contacts in [100, 1_000, 10_000] {
        let sample = Roster::generate(&mut Rng(0x5eed ^ contacts as u64), contacts);
        let mut sized = roster::State::default();
        let started = Instant::now();
        sized.set_roster(sample.items.clone());
        for (jid, presence) in &sample.presences {
            sized.set_presence(jid, presence.clone(), FIXED_NOW);
        }
        report.once(
            &format!("growth: roster, {contacts} contacts"),
            "set_roster + presences",
            Stats::single(started.elapsed()),
        );
        report.stages(
            &format!("growth: roster, {contacts} contacts (grouping cached)"),
            ROSTER_PANE,
            (&theme, &mut renderer),
            &mut sized,
            |_| {},
            roster::State::view,
        );
        report.stages(
            &format!("growth: roster, {contacts} contacts (regrouped each build)"),
            ROSTER_PANE,
            (&theme, &mut renderer),
            &mut sized,
            |state| {
                let _ = state.update(roster::Message::Filter(String::new()));
            },
            roster::State::view,
        );
        report.memory(&format!("with a roster of {contacts} built"));
    }

    // --- conversation -------------------------------------------------------------------------
    let started = Instant::now();
    let mut writer = Conversation::new();
    let mut cursors = Vec::with_capacity(MESSAGES);
    while cursors.len() < MESSAGES {
        let batch = writer.next_batch(&mut rng, INSERT_BATCH.min(MESSAGES - cursors.len()));
        let stored = store.insert_messages(batch).await.expect("messages stored");
        cursors.extend(stored.iter().map(|m| (m.sent_at, m.local_id)));
    }
    assert_eq!(cursors.len(), MESSAGES, "every message is new");
    report.once(
        "store",
        "insert 100,000 messages (batches of 2,000)",
        Stats::single(started.elapsed()),
    );
    report.memory("after filling the store");

    report.once(
        "store",
        "history page, newest (50)",
        measure(100, || async {
            let page = store
                .history(&j(ACCOUNT), &j(PEER), None, app::PAGE)
                .await
                .expect("page");
            assert_eq!(page.len(), app::PAGE);
        })
        .await,
    );
    // Pages anywhere in the history: the cursor seek must not depend on the depth.
    let mut deep = Rng(7);
    report.once(
        "store",
        "history page, random depth (50)",
        measure(100, || {
            let at = cursors[app::PAGE + deep.below(MESSAGES - app::PAGE)];
            let store = &store;
            async move {
                let page = store
                    .history(&j(ACCOUNT), &j(PEER), Some(at), app::PAGE)
                    .await
                    .expect("page");
                assert_eq!(page.len(), app::PAGE);
            }
        })
        .await,
    );

    // What the app does: the newest page when the conversation opens, then one page per
    // "show earlier messages" / scroll to the top.
    let mut conversation = chat::State::new(j(PEER), "Ada Lovelace".into());
    conversation.set_presence_line("Available — at the analytical engine".into());
    let page = store
        .history(&j(ACCOUNT), &j(PEER), None, app::PAGE)
        .await
        .expect("newest page");
    conversation.prepend_page(page, app::PAGE);
    report.stages(
        "conversation, 50 loaded of 100,000",
        CHAT_PANE,
        (&theme, &mut renderer),
        &mut conversation,
        |_| {},
        chat::State::view,
    );
    let mut page_loads = Vec::new();
    let mut merges = Vec::new();
    for _ in 0..PAGES_BACK {
        let before = match conversation.update(chat::Message::LoadOlder) {
            chat::Action::LoadOlder { before, .. } => before,
            other => panic!("scrolling back asks for an older page, not {other:?}"),
        };
        let started = Instant::now();
        let page = store
            .history(&j(ACCOUNT), &j(PEER), Some(before), app::PAGE)
            .await
            .expect("older page");
        page_loads.push(started.elapsed());
        let started = Instant::now();
        conversation.prepend_page(page, app::PAGE);
        merges.push(started.elapsed());
    }
    assert_eq!(conversation.loaded(), (PAGES_BACK + 1) * app::PAGE);
    report.once(
        "store",
        "history page while paging back (10 pages)",
        Stats::of(page_loads),
    );
    report.once(
        "conversation",
        "prepend_page (merge into loaded)",
        Stats::of(merges),
    );
    report.stages(
        "conversation, 550 loaded (10 pages back)",
        CHAT_PANE,
        (&theme, &mut renderer),
        &mut conversation,
        |_| {},
        chat::State::view,
    );
    // Frames after a change, from the cache the frame before left (as the window runs): the
    // rows kept must keep their shaped text, so only the change costs.
    let mut cache = Cache::default();
    let mut resizes = Vec::new();
    for i in 0..(WARMUP + ITERATIONS) {
        let size = if i % 2 == 0 {
            CHAT_PANE
        } else {
            Size::new(CHAT_PANE.width - 120.0, CHAT_PANE.height)
        };
        let started = Instant::now();
        let ui = UserInterface::build(
            conversation.view(),
            size,
            std::mem::take(&mut cache),
            &mut renderer,
        );
        let took = started.elapsed();
        cache = ui.into_cache();
        if i >= WARMUP {
            resizes.push(took);
        }
    }
    report.once(
        "conversation, 550 loaded",
        "window resized (every row re-wrapped, none re-shaped)",
        Stats::of(resizes),
    );
    let mut arrivals = Vec::new();
    let mut arrival_rng = Rng(99);
    for _ in 0..ITERATIONS {
        let message = writer.next(&mut arrival_rng);
        let started = Instant::now();
        conversation.push(vec![message]);
        let ui = UserInterface::build(
            conversation.view(),
            CHAT_PANE,
            std::mem::take(&mut cache),
            &mut renderer,
        );
        arrivals.push(started.elapsed());
        cache = ui.into_cache();
    }
    report.once(
        "conversation, 550 loaded then followed (200 kept)",
        "a message arrives: push + frame",
        Stats::of(arrivals),
    );
    let mut fronts = Vec::new();
    for _ in 0..10 {
        let mut fresh = chat::State::new(j(PEER), "Ada Lovelace".into());
        let mut before = None;
        let mut pages = Vec::new();
        for _ in 0..PAGES_BACK {
            let page = store
                .history(&j(ACCOUNT), &j(PEER), before, app::PAGE)
                .await
                .expect("page");
            before = page.first().map(|m| (m.sent_at, m.local_id));
            pages.push(page);
        }
        for page in pages {
            fresh.prepend_page(page, app::PAGE);
        }
        let mut cache =
            UserInterface::build(fresh.view(), CHAT_PANE, Cache::default(), &mut renderer)
                .into_cache();
        let page = store
            .history(&j(ACCOUNT), &j(PEER), before, app::PAGE)
            .await
            .expect("page");
        let started = Instant::now();
        fresh.prepend_page(page, app::PAGE);
        let ui = UserInterface::build(
            fresh.view(),
            CHAT_PANE,
            std::mem::take(&mut cache),
            &mut renderer,
        );
        fronts.push(started.elapsed());
        drop(ui);
    }
    report.once(
        "conversation, 500 loaded",
        "a page of 50 put in front: merge + frame",
        Stats::of(fronts),
    );
    report.memory("after the conversation views");
    drop(conversation);

    // --- the whole window ---------------------------------------------------------------------
    let mut window = App::with_store(store.clone(), Some(account), Some("unused".into())).await;
    let generation = window
        .session_key()
        .expect("a stored account with a password signs in")
        .generation;
    let event = |app: &mut App, e: Event| {
        let _ = app.update(app::Message::Session(Update::Event(generation, e)));
    };
    event(
        &mut window,
        Event::Online {
            jid: Jid::new(&format!("{ACCOUNT}/desk")).expect("a full address"),
            resumed: false,
            elapsed_ms: 1,
        },
    );
    for (jid, p) in &sample.presences {
        event(
            &mut window,
            Event::Presence {
                jid: jid.clone(),
                show: p.show,
                status: p.status.clone(),
                priority: p.priority,
                idle_since: None,
            },
        );
    }
    let _ = window.update(app::Message::Roster(roster::Message::Select(j(PEER))));
    let mut before = None;
    let mut pages = Vec::new();
    for _ in 0..=PAGES_BACK {
        let page = store
            .history(&j(ACCOUNT), &j(PEER), before, app::PAGE)
            .await
            .expect("page");
        before = page.first().map(|m| (m.sent_at, m.local_id));
        pages.push(page);
    }
    for page in pages {
        let _ = window.update(app::Message::History {
            peer: j(PEER),
            page,
        });
    }
    report.stages(
        "window: roster 5,000 + conversation 550 loaded",
        WINDOW,
        (&theme, &mut renderer),
        &mut window,
        |_| {},
        App::view,
    );
    // A burst of 2,000 messages as the session announces them: a batch per read of the
    // stream (up to 512 stanzas; one at a time when they trickle in). The window handles input
    // between two batches, so the slowest batch (update + next frame) is the longest a key
    // press waits. Into the open conversation (every row drawn), and from a contact not open
    // (unread counts in a roster of 5,000).
    let other = sample
        .presences
        .iter()
        .map(|(jid, _)| jid.clone())
        .find(|jid| jid.to_bare() != j(PEER))
        .expect("another contact");
    let style = Style {
        text_color: theme.palette().text,
    };
    for (to, label) in [
        (PEER, "open conversation"),
        (other.as_str(), "another contact"),
    ] {
        for batch in [1_usize, 64, 512] {
            let mut frames = Vec::new();
            let mut burst_rng = Rng(11 + batch as u64);
            let mut cache =
                UserInterface::build(window.view(), WINDOW, Cache::default(), &mut renderer)
                    .into_cache();
            let mut sent = 0;
            let started = Instant::now();
            while sent < BURST {
                let n = batch.min(BURST - sent);
                sent += n;
                let messages: Vec<ChatMessage> = (0..n)
                    .map(|_| {
                        let mut m = writer.next(&mut burst_rng);
                        m.peer = j(to);
                        m.direction = Direction::In;
                        m
                    })
                    .collect();
                let frame = Instant::now();
                event(&mut window, Event::Messages(messages));
                let mut ui = UserInterface::build(
                    window.view(),
                    WINDOW,
                    std::mem::take(&mut cache),
                    &mut renderer,
                );
                ui.draw(&mut renderer, &theme, &style, mouse::Cursor::Unavailable);
                cache = ui.into_cache();
                frames.push(frame.elapsed());
            }
            let total = started.elapsed();
            let slowest = frames.iter().max().copied().unwrap_or_default();
            let scenario = format!("burst of {BURST}, batches of {batch}, {label}");
            report.once(&scenario, "update + frame, per batch", Stats::of(frames));
            report.once(&scenario, "slowest batch", Stats::single(slowest));
            report.once(&scenario, "the whole burst", Stats::single(total));
        }
        // The next burst starts from the same window: close what this one opened up.
        let _ = window.update(app::Message::Roster(roster::Message::Select(j(PEER))));
    }
    report.memory("after the window view");
    drop(window);
    drop(store);

    report.print();
}

/// A conversation of 50 messages whose newest is 1 MiB of text (a paste of ~13,000 lines; a
/// stanza that size passes the wire guard, and the message is stored and kept whole): shown
/// folded, every frame lays out its first lines only; unfolded, all of it, which is what the
/// person asked for. 64 KiB shown whole, what a body was cut to before, for comparison.
fn long_message(report: &mut Report, theme: &Theme, renderer: &mut Renderer) {
    let mut rng = Rng(0x10_0000);
    let mut writer = Conversation::new();
    let base: Vec<ChatMessage> = writer
        .next_batch(&mut rng, app::PAGE)
        .into_iter()
        .enumerate()
        .map(|(i, mut m)| {
            m.local_id = i as i64 + 1;
            m
        })
        .collect();
    let paste = |bytes: usize| {
        let line = "the quick brown fox jumps over the lazy dog, and then it does it again; ";
        let mut text = String::with_capacity(bytes + line.len());
        let mut n = 0;
        while text.len() < bytes {
            text.push_str(&format!("{n:05} {line}\n"));
            n += 1;
        }
        text.truncate(bytes);
        text
    };
    let with_newest = |body: String| {
        let mut page = base.clone();
        if let Some(newest) = page.last_mut() {
            newest.body = body;
        }
        let mut state = chat::State::new(j(PEER), "Ada Lovelace".into());
        state.prepend_page(page, app::PAGE);
        state
    };
    let newest = app::PAGE as i64;
    let mut folded = with_newest(paste(1 << 20));
    report.stages(
        "conversation, 50 loaded, the newest 1 MiB (folded)",
        CHAT_PANE,
        (theme, &mut *renderer),
        &mut folded,
        |_| {},
        chat::State::view,
    );
    let _ = folded.update(chat::Message::Unfold(newest, true));
    whole_body(
        report,
        "conversation, 50 loaded, the newest 1 MiB (unfolded)",
        renderer,
        &folded,
    );
    report.memory("with a message of 1 MiB loaded");
    let mut old_cut = with_newest(paste(64 * 1024));
    let _ = old_cut.update(chat::Message::Unfold(newest, true));
    whole_body(
        report,
        "conversation, 50 loaded, the newest 64 KiB (whole)",
        renderer,
        &old_cut,
    );
}

/// A conversation showing a long body whole: a few frames, warm and cold (each lays out and
/// shapes all of it, so the standard iteration counts would take minutes).
fn whole_body(report: &mut Report, scenario: &str, renderer: &mut Renderer, state: &chat::State) {
    let started = Instant::now();
    let mut cache =
        UserInterface::build(state.view(), CHAT_PANE, Cache::default(), renderer).into_cache();
    report.once(
        scenario,
        "first frame (cold layout)",
        Stats::single(started.elapsed()),
    );
    let mut warm = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let ui = UserInterface::build(
            state.view(),
            CHAT_PANE,
            std::mem::take(&mut cache),
            renderer,
        );
        warm.push(started.elapsed());
        cache = ui.into_cache();
    }
    report.once(scenario, "view() + layout, between frames", Stats::of(warm));
}

// --- measuring ------------------------------------------------------------------------------

const WARMUP: usize = 5;

/// Median and 95th percentile of some samples.
#[derive(Clone, Copy)]
struct Stats {
    median: Duration,
    p95: Duration,
    samples: usize,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        assert!(!samples.is_empty());
        samples.sort();
        let n = samples.len();
        Stats {
            median: samples[n / 2],
            p95: samples[(n * 95).div_ceil(100).clamp(1, n) - 1],
            samples: n,
        }
    }

    fn single(d: Duration) -> Stats {
        Stats::of(vec![d])
    }
}

async fn measure<F, Fut>(iterations: usize, mut run: F) -> Stats
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..WARMUP {
        run().await;
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        run().await;
        samples.push(started.elapsed());
    }
    Stats::of(samples)
}

fn measure_sync(iterations: usize, mut run: impl FnMut()) -> Stats {
    for _ in 0..WARMUP {
        run();
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        run();
        samples.push(started.elapsed());
    }
    Stats::of(samples)
}

/// Iterations per stage: enough for a stable p95, few enough to finish in seconds.
const ITERATIONS: usize = 200;
const COLD_ITERATIONS: usize = 50;

struct Row {
    scenario: String,
    stage: &'static str,
    stats: Stats,
    view_build: bool,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    memory: Vec<(String, u64)>,
    /// Capability, what was built, and what it holds (`None`: not in Natter yet).
    held: Vec<(&'static str, String, Option<heap::Held>)>,
}

impl Report {
    fn once(&mut self, scenario: &str, stage: &'static str, stats: Stats) {
        self.rows.push(Row {
            scenario: scenario.into(),
            stage,
            stats,
            view_build: false,
        });
    }

    /// `view()`, `view()` + layout (warm, as between frames), + draw, and a cold layout.
    /// `prepare` runs before each build and is timed with it: the change the app applies
    /// before the frame.
    fn stages<S, M>(
        &mut self,
        scenario: &str,
        size: Size,
        (theme, renderer): (&Theme, &mut Renderer),
        state: &mut S,
        mut prepare: impl FnMut(&mut S),
        view: impl for<'b> Fn(&'b S) -> Element<'b, M>,
    ) {
        let mut row = |stage, stats| {
            self.rows.push(Row {
                scenario: scenario.into(),
                stage,
                stats,
                view_build: true,
            })
        };
        row(
            "view()",
            measure_sync(ITERATIONS, || {
                prepare(state);
                drop(std::hint::black_box(view(state)));
            }),
        );
        let mut cache = Cache::default();
        row(
            "view() + layout",
            measure_sync(ITERATIONS, || {
                prepare(state);
                let ui =
                    UserInterface::build(view(state), size, std::mem::take(&mut cache), renderer);
                cache = ui.into_cache();
            }),
        );
        let style = Style {
            text_color: theme.palette().text,
        };
        row(
            "view() + layout + draw",
            measure_sync(ITERATIONS, || {
                prepare(state);
                let mut ui =
                    UserInterface::build(view(state), size, std::mem::take(&mut cache), renderer);
                ui.draw(renderer, theme, &style, mouse::Cursor::Unavailable);
                cache = ui.into_cache();
            }),
        );
        row(
            "view() + layout, cold",
            measure_sync(COLD_ITERATIONS, || {
                prepare(state);
                drop(UserInterface::build(
                    view(state),
                    size,
                    Cache::default(),
                    renderer,
                ));
            }),
        );
    }

    fn memory(&mut self, when: &str) {
        self.memory.push((when.into(), vm_rss_kib()));
    }

    fn print(&self) {
        println!();
        println!("Natter view benchmark (release build, tiny-skia renderer, one UI thread)");
        println!(
            "roster {CONTACTS} contacts, conversation {MESSAGES} messages in SQLite; \
             target {} ms per view build",
            TARGET.as_millis()
        );
        println!();
        let width = self
            .rows
            .iter()
            .map(|r| r.scenario.chars().count())
            .max()
            .unwrap_or(0);
        let header = format!(
            "{:<width$}  {:<42}  {:>12}  {:>12}  {:>5}",
            "scenario", "measured", "median", "p95", "n"
        );
        println!("{header}");
        println!("{}", "-".repeat(header.chars().count()));
        let mut last = "";
        for row in &self.rows {
            let scenario = if row.scenario == last {
                ""
            } else {
                row.scenario.as_str()
            };
            last = &row.scenario;
            let over = if row.view_build && row.stats.p95 > TARGET {
                "  over target"
            } else {
                ""
            };
            println!(
                "{scenario:<width$}  {:<42}  {:>12}  {:>12}  {:>5}{over}",
                row.stage,
                millis(row.stats.median),
                millis(row.stats.p95),
                row.stats.samples,
            );
        }
        println!();
        println!("view()            the screen's view function: the widget tree only");
        println!(
            "+ layout          iced_runtime UserInterface::build with the tiny-skia renderer: \
             diff against the previous frame, layout, text shaping (as between two frames)"
        );
        println!("+ draw            primitives recorded for the frame (not rasterised)");
        println!(
            "cold              layout from an empty cache: the first frame of a screen, every \
             text shaped anew"
        );
        println!(
            "\"over target\" marks a view build whose p95 is above {} ms",
            TARGET.as_millis()
        );
        println!();
        println!("memory by capability: heap held once built (peak while building), KiB");
        for (capability, what, held) in &self.held {
            let figures = held.map_or_else(
                || "not in Natter yet".to_owned(),
                |h| {
                    format!(
                        "{:>8.0} ({:.0})",
                        h.kept as f64 / 1024.0,
                        h.peak as f64 / 1024.0
                    )
                },
            );
            println!("  {capability:<16}  {what:<58}  {figures}");
        }
        println!();
        println!("resident memory (VmRSS of this process)");
        for (when, kib) in &self.memory {
            println!("  {when:<40}  {:>8.1} MiB", *kib as f64 / 1024.0);
        }
        println!(
            "  {:<40}  {:>8.1} MiB",
            "peak (VmHWM)",
            vm_hwm_kib() as f64 / 1024.0
        );
        println!();
    }
}

fn millis(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn proc_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn vm_rss_kib() -> u64 {
    proc_status_kib("VmRSS:")
}

fn vm_hwm_kib() -> u64 {
    proc_status_kib("VmHWM:")
}

// --- sample data ----------------------------------------------------------------------------

/// "Now" for presences: only used for last-seen times, which the benchmark does not show.
const FIXED_NOW: Millis = 1_717_243_200_000;

/// A small deterministic generator (xorshift64*): the same data at every run, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: [&str; 24] = [
    "Ada",
    "Alan",
    "Barbara",
    "Claude",
    "Dennis",
    "Edsger",
    "Frances",
    "Grace",
    "Hedy",
    "Ivan",
    "Joan",
    "Ken",
    "Linus",
    "Margaret",
    "Niklaus",
    "Ole",
    "Radia",
    "Richard",
    "Sophie",
    "Tim",
    "Ursula",
    "Vint",
    "Whitfield",
    "Yukihiro",
];
const LAST: [&str; 20] = [
    "Lovelace",
    "Turing",
    "Liskov",
    "Shannon",
    "Ritchie",
    "Dijkstra",
    "Allen",
    "Hopper",
    "Lamarr",
    "Sutherland",
    "Clarke",
    "Thompson",
    "Torvalds",
    "Hamilton",
    "Wirth",
    "Dahl",
    "Perlman",
    "Stallman",
    "Wilson",
    "Berners-Lee",
];
const GROUPS: [&str; 12] = [
    "Family",
    "Friends",
    "Work",
    "Team Berlin",
    "Team Lisbon",
    "Book club",
    "Climbing",
    "Neighbours",
    "Old school",
    "Conference 2019",
    "Open source",
    "Choir",
];
const STATUSES: [&str; 8] = [
    "",
    "In a meeting until 3",
    "Working from home",
    "On holiday, back on Monday — ping me only if it is urgent",
    "🎧",
    "Lunch",
    "Commuting",
    "Reviewing pull requests",
];
const WORDS: [&str; 40] = [
    "the", "meeting", "is", "moved", "to", "tomorrow", "morning", "could", "you", "send", "me",
    "slides", "thanks", "see", "later", "lunch", "train", "late", "again", "sorry", "great",
    "idea", "let's", "do", "it", "weekend", "plans", "call", "tonight", "maybe", "after", "work",
    "coffee", "review", "the", "patch", "looks", "good", "ship", "it",
];

struct Roster {
    items: Vec<RosterItem>,
    /// (full JID, presence) for the contacts online.
    presences: Vec<(Jid, ResourcePresence)>,
    unread: Vec<(BareJid, usize)>,
}

impl Roster {
    /// 5,000 contacts: a tenth without a name, most in one group, some in two or none; every
    /// subscription state; about a third online (some with two devices); 2 % with unread
    /// messages.
    fn generate(rng: &mut Rng, contacts: usize) -> Roster {
        let mut items = Vec::with_capacity(contacts);
        let mut presences = Vec::new();
        let mut unread = Vec::new();
        for i in 0..contacts {
            let (first, last) = if i == 0 {
                ("Ada", "Lovelace")
            } else {
                (*rng.pick(&FIRST), *rng.pick(&LAST))
            };
            let jid = if i == 0 {
                j(PEER)
            } else {
                j(&format!(
                    "{}.{}.{i}@example.org",
                    first.to_lowercase(),
                    last.to_lowercase()
                ))
            };
            let name = (i == 0 || !rng.chance(10)).then(|| format!("{first} {last}"));
            let mut groups = BTreeSet::new();
            match rng.below(100) {
                0..15 => {}
                15..85 => {
                    groups.insert(rng.pick(&GROUPS).to_string());
                }
                _ => {
                    groups.insert(rng.pick(&GROUPS).to_string());
                    groups.insert(rng.pick(&GROUPS).to_string());
                }
            }
            let (subscription, ask) = match rng.below(100) {
                0..70 => (Subscription::Both, false),
                70..78 => (Subscription::To, false),
                78..86 => (Subscription::From, false),
                86..90 => (Subscription::From, true),
                90..95 => (Subscription::None, false),
                _ => (Subscription::None, true),
            };
            if subscription.sees_them() && rng.chance(45) {
                let devices = if rng.chance(20) { 2 } else { 1 };
                for d in 0..devices {
                    let show = *rng.pick(&[
                        Show::Available,
                        Show::Available,
                        Show::Chat,
                        Show::Away,
                        Show::Xa,
                        Show::Dnd,
                    ]);
                    presences.push((
                        Jid::new(&format!("{jid}/device{d}")).expect("a full address"),
                        ResourcePresence {
                            show,
                            status: rng.pick(&STATUSES).to_string(),
                            priority: i8::try_from(rng.below(10)).unwrap_or(0),
                            idle_since: None,
                        },
                    ));
                }
            }
            if rng.chance(2) {
                unread.push((jid.clone(), 1 + rng.below(150)));
            }
            items.push(RosterItem {
                jid,
                name,
                groups: groups.into_iter().collect(),
                subscription,
                ask,
                approved: false,
            });
        }
        Roster {
            items,
            presences,
            unread,
        }
    }
}

/// The 100,000 messages with Ada over about six years, oldest first, made one batch at a
/// time (so the benchmark's own copy does not count in the memory figures): bursts minutes
/// apart with quiet hours between, bodies of one to a few dozen words, some links, some
/// several lines; own messages in every delivery state.
struct Conversation {
    at: Millis,
    written: usize,
}

impl Conversation {
    fn new() -> Conversation {
        Conversation {
            at: 1_530_000_000_000,
            written: 0,
        }
    }

    fn next_batch(&mut self, rng: &mut Rng, n: usize) -> Vec<ChatMessage> {
        (0..n).map(|_| self.next(rng)).collect()
    }

    fn next(&mut self, rng: &mut Rng) -> ChatMessage {
        let i = self.written;
        self.written += 1;
        self.at += if rng.chance(8) {
            (2 + rng.below(20)) as i64 * 3_600_000
        } else {
            (5 + rng.below(600)) as i64 * 1_000
        };
        let words = if rng.chance(5) {
            30 + rng.below(60)
        } else {
            1 + rng.below(18)
        };
        let mut body = (0..words)
            .map(|_| *rng.pick(&WORDS))
            .collect::<Vec<_>>()
            .join(" ");
        if rng.chance(5) {
            body.push_str(&format!(" https://example.org/notes/{i}"));
        }
        if rng.chance(3) {
            body.push_str("\nand one more thing:\nsee you there");
        }
        let direction = if rng.chance(45) {
            Direction::Out
        } else {
            Direction::In
        };
        let id = MessageId::new(format!("m{i:06}")).expect("a short id");
        let (origin_id, delivery) = match direction {
            Direction::In => (None, Delivery::Received),
            Direction::Out => (
                Some(id.clone()),
                match rng.below(100) {
                    0..85 => Delivery::Delivered,
                    85..95 => Delivery::Acked,
                    95..98 => Delivery::Sent,
                    _ => Delivery::Failed,
                },
            ),
        };
        ChatMessage {
            local_id: 0,
            account: j(ACCOUNT),
            peer: j(PEER),
            direction,
            body,
            sent_at: self.at,
            received_at: self.at,
            remote_id: Some(id),
            origin_id,
            stanza_id: MessageId::new(format!("archive-{i}")).ok(),
            delivery,
            delayed: false,
            carbon: false,
            extras: Default::default(),
        }
    }
}

/// The benchmark's address for `text`, written correctly by the benchmark.
fn j(text: &str) -> BareJid {
    natter::model::bare_jid(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

// --- memory by capability -------------------------------------------------------------------

/// Contacts in the peer harness's roster (README, Performance).
const HARNESS_CONTACTS: usize = 2_000;

/// What each capability's state holds once built: the heap it keeps (its shaped text
/// included, where a first frame is part of it). First in the run, so that the text system's
/// one-time start is its own row and no earlier view has shaped what a later row shapes.
fn capabilities(report: &mut Report, renderer: &mut Renderer) {
    let ((), fonts) = heap::held(|| {
        let _ = iced::advanced::graphics::text::font_system();
    });
    report.capability(
        "text",
        "the system's font database (once per process)",
        fonts,
    );
    let sample = Roster::generate(&mut Rng(0x2000), HARNESS_CONTACTS);
    let (mut roster, state) = heap::held(|| {
        let mut roster = roster::State::default();
        roster.set_roster(sample.items.clone());
        for (jid, presence) in &sample.presences {
            roster.set_presence(jid, presence.clone(), FIXED_NOW);
        }
        roster
    });
    report.capability("roster", "2,000 contacts with presences: state", state);
    let (cache, frame) = heap::held(|| {
        UserInterface::build(roster.view(), ROSTER_PANE, Cache::default(), renderer).into_cache()
    });
    report.capability("roster", "its first frame: layout and shaped names", frame);
    drop(cache);
    let _ = roster.update(roster::Message::Filter(String::new()));
    let mut writer = Conversation::new();
    let mut rng = Rng(0xc0de);
    let page = writer.next_batch(&mut rng, app::PAGE);
    let (conversation, opened) = heap::held(|| {
        let mut conversation = chat::State::new(j(PEER), "Ada Lovelace".into());
        conversation.prepend_page(page, app::PAGE);
        let cache =
            UserInterface::build(conversation.view(), CHAT_PANE, Cache::default(), renderer)
                .into_cache();
        (conversation, cache)
    });
    report.capability(
        "conversation",
        "opened: newest 50 messages and their first frame",
        opened,
    );
    let (mut conversation, mut cache) = conversation;
    let (_, followed) = heap::held(|| {
        for _ in 0..4 {
            conversation.push(writer.next_batch(&mut rng, 64));
            let ui = UserInterface::build(
                conversation.view(),
                CHAT_PANE,
                std::mem::take(&mut cache),
                renderer,
            );
            cache = ui.into_cache();
        }
    });
    report.capability(
        "conversation",
        "followed at the bottom: 256 more arrive (200 kept)",
        followed,
    );
    for capability in ["rooms", "avatars", "images", "OMEMO sessions"] {
        report.held.push((capability, String::new(), None));
    }
}

impl Report {
    fn capability(&mut self, capability: &'static str, what: &str, held: heap::Held) {
        self.held.push((capability, what.into(), Some(held)));
    }
}
