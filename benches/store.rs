//! How the store's cost grows with the history: real SQLite files of 1,000, 10,000, 100,000
//! and 1,000,000 messages, measured through the same `Store` API the app uses (the actor
//! thread's round trip included).
//!
//! ```text
//! cargo bench --bench store                       # all sizes (the first run builds the files)
//! NATTER_BENCH_QUICK=1 cargo bench --bench store  # 1,000 and 10,000 only, fewer runs
//! NATTER_BENCH_MIGRATION=1 cargo bench --bench store  # also: upgrade cached older-schema files
//! ```
//!
//! The stores are built once, through `Store::insert_messages` in batches of 2,000, and kept
//! under `/var/tmp/natter-bench/` (`NATTER_BENCH_DIR` overrides), named by schema version, so
//! later runs start at once. Each is built by a child process so that the memory figures of
//! this one are those of a reader. Writes are measured on a copy, in wall time (mostly the
//! commits' fsyncs, on whatever disk this is) and CPU time. Opening is measured after a clean
//! close (the file sealed, its damage check skipped) and as after a crash (checked in full).
//! It prints figures and asserts nothing: timings are not tests.

// A crate root looks for modules beside itself; the sample data belongs to this benchmark.
#[path = "store/data.rs"]
mod data;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use data::{ABSENT, ACCOUNT, COMMON, ELSEWHERE, HUGE, History, RARE, SECOND, SMALL, WORK};
use natter::model::Account;
use natter::store::{SCHEMA_VERSION, Store};

/// Bump when `data.rs` changes what it generates: the cached files are then rebuilt.
const GENERATOR: u32 = 1;
const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const QUICK_SIZES: [usize; 2] = [1_000, 10_000];
const BUILD_BATCH: usize = 2_000;
const PAGE: usize = 50;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--build-store") {
        let size = args[at + 1].parse().expect("a size");
        build(size, Path::new(&args[at + 2]));
        return;
    }
    let quick = std::env::var_os("NATTER_BENCH_QUICK").is_some();
    let sizes: &[usize] = if quick { &QUICK_SIZES } else { &SIZES };
    let dir = std::env::var_os("NATTER_BENCH_DIR")
        .map_or_else(|| PathBuf::from("/var/tmp/natter-bench"), PathBuf::from);
    std::fs::create_dir_all(&dir).expect("the cache directory");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut table = Table::default();
    let started = Instant::now();
    for &size in sizes {
        let path = cached(&dir, size);
        let runs = if quick { Runs::QUICK } else { Runs::FULL };
        let col = table.column(size);
        runtime.block_on(measure_size(&mut table, col, &path, runs));
        if std::env::var_os("NATTER_BENCH_MIGRATION").is_some() {
            migrate_older(&mut table, col, &dir);
        }
    }
    table.print(sizes, started.elapsed());
}

/// The cached store of `size` messages, built first when missing.
fn cached(dir: &Path, size: usize) -> PathBuf {
    let path = dir.join(file_name(SCHEMA_VERSION, size));
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    eprintln!("building {} ({size} messages)…", path.display());
    let started = Instant::now();
    let status = Command::new(std::env::current_exe().expect("this program"))
        .arg("--build-store")
        .arg(size.to_string())
        .arg(&partial)
        .status()
        .expect("the builder runs");
    assert!(status.success(), "building the store failed");
    std::fs::rename(&partial, &path).expect("the built store is kept");
    // The builder's seal names the old path (and a rename moves the change time anyway).
    let mut seal = partial.into_os_string();
    seal.push("-seal");
    let _ = std::fs::remove_file(seal);
    eprintln!("built in {:.1} s", started.elapsed().as_secs_f64());
    path
}

fn file_name(schema: i64, size: usize) -> String {
    format!("store-s{schema}-g{GENERATOR}-{size}.sqlite3")
}

/// The child process: writes `size` messages of the stream into a new store at `path`.
fn build(size: usize, path: &Path) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let store = Store::open(path).expect("the store opens");
        let mut me = Account::new(j(ACCOUNT));
        me.is_default = true;
        store.save_account(me).await.expect("account");
        store
            .save_account(Account::new(j(WORK)))
            .await
            .expect("account");
        let mut history = History::new();
        let mut written = 0;
        while written < size {
            let n = BUILD_BATCH.min(size - written);
            store
                .insert_messages(history.batch(n))
                .await
                .expect("a batch is stored");
            written += n;
            if written % 100_000 == 0 {
                eprintln!("  {written}");
            }
        }
    });
    wait_closed(path);
}

/// Waits until the store's thread has closed (and sealed) the file.
fn wait_closed(path: &Path) {
    assert!(
        natter::store::wait_for_closing(Duration::from_secs(60)),
        "the store at {} was not closed within 60 s",
        path.display()
    );
    assert!(!wal_of(path).exists(), "the store left its WAL behind");
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

#[derive(Clone, Copy)]
struct Runs {
    /// At most this many timed runs of a read...
    reads: usize,
    /// ...or as many as fit in this time (at least five).
    budget: Duration,
}

impl Runs {
    const FULL: Runs = Runs {
        reads: 300,
        budget: Duration::from_secs(3),
    };
    const QUICK: Runs = Runs {
        reads: 30,
        budget: Duration::from_millis(300),
    };
}

async fn measure_size(table: &mut Table, col: usize, path: &Path, runs: Runs) {
    let size = table.sizes[col];
    // Opening, as at every launch: after a clean close the file is sealed and its damage
    // check skipped; after a crash (no seal) every page is read.
    // The crash first: it leaves the file sealed for the other.
    for (name, sealed, times) in [
        ("open after a crash (full check)", false, 3),
        ("open after a clean close", true, 5),
    ] {
        let mut opens = Vec::new();
        for _ in 0..times {
            if !sealed {
                let mut seal = path.as_os_str().to_owned();
                seal.push("-seal");
                let _ = std::fs::remove_file(seal);
            }
            let started = Instant::now();
            let store = Store::open(path).expect("the store opens");
            opens.push(started.elapsed());
            store.setting("x").await.expect("a read");
            drop(store);
            wait_closed(path);
        }
        table.set(name, col, Cell::of(opens));
    }
    let file = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    table.set("file size", col, Cell::Text(mib(file)));

    let store = Store::open(path).expect("the store opens");
    let total = store.message_count(&j(ACCOUNT)).await.expect("count");
    table.set(
        "messages (account / all)",
        col,
        Cell::Text(format!("{total}/{size}")),
    );

    // History pages of the huge conversation: newest, middle and oldest.
    let positions = cursors(path);
    let newest = time(runs, || async {
        let page = store
            .history(&j(ACCOUNT), &j(HUGE), None, PAGE)
            .await
            .expect("page");
        assert_eq!(page.len(), PAGE);
    })
    .await;
    table.set("history page 50, newest", col, newest);
    for (name, cursor) in [
        ("history page 50, middle", positions.0),
        ("history page 50, oldest", positions.1),
    ] {
        let cell = time(runs, || async {
            let page = store
                .history(&j(ACCOUNT), &j(HUGE), Some(cursor), PAGE)
                .await
                .expect("page");
            assert_eq!(page.len(), PAGE);
        })
        .await;
        table.set(name, col, cell);
    }

    let searches: [(&str, Option<&str>, String); 8] = [
        ("search rare word, all", None, RARE.into()),
        ("search common word (20%), all", None, COMMON.into()),
        (
            "search two words (20% + 8%), all",
            None,
            format!("{COMMON} {SECOND}"),
        ),
        ("search no match, all", None, ABSENT.into()),
        (
            "search common word, huge conversation",
            Some(HUGE),
            COMMON.into(),
        ),
        (
            "search rare word, huge conversation",
            Some(HUGE),
            RARE.into(),
        ),
        (
            "search rare here/common elsewhere, huge",
            Some(HUGE),
            ELSEWHERE.into(),
        ),
        (
            "search common word, small conversation",
            Some(SMALL),
            COMMON.into(),
        ),
    ];
    for (name, peer, text) in searches {
        let hits = store
            .search(&j(ACCOUNT), peer.map(j).as_ref(), &text, PAGE)
            .await
            .expect("search")
            .len();
        let cell = time(runs, || async {
            store
                .search(&j(ACCOUNT), peer.map(j).as_ref(), &text, PAGE)
                .await
                .expect("search");
        })
        .await;
        table.set(name, col, cell);
        table.note(name, col, hits);
    }
    let cell = time(runs, || async {
        store
            .last_archived(&j(ACCOUNT))
            .await
            .expect("last archived");
    })
    .await;
    table.set("last_archived / last_stanza_id", col, cell);
    table.set(
        "rss after reads (VmRSS)",
        col,
        Cell::Text(mib(rss_kib() * 1024)),
    );
    drop(store);
    wait_closed(path);

    measure_inserts(table, col, path).await;
}

/// (sent_at, id) cursors of the huge conversation: the middle, and 51st oldest (its page is
/// the oldest 50).
fn cursors(path: &Path) -> ((i64, i64), (i64, i64)) {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("a reader");
    let at = |offset: usize| -> (i64, i64) {
        conn.query_row(
            "SELECT sent_at, id FROM messages WHERE account = ?1 AND peer = ?2 \
             ORDER BY sent_at, id LIMIT 1 OFFSET ?3",
            rusqlite::params![ACCOUNT, HUGE, offset as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a cursor")
    };
    let count: usize = conn
        .query_row(
            "SELECT count(*) FROM messages WHERE account = ?1 AND peer = ?2",
            [ACCOUNT, HUGE],
            |r| r.get::<_, i64>(0),
        )
        .expect("a count") as usize;
    (at(count / 2), at(PAGE))
}

/// Bursts stored into a copy of the file: 2,000 as archive pages (100), 2,000 in the chunks a
/// live burst arrives in (up to 512), and 200 one at a time (messages trickling in).
async fn measure_inserts(table: &mut Table, col: usize, path: &Path) {
    let dir = tempfile::Builder::new()
        .prefix("natter-bench-")
        .tempdir_in(path.parent().unwrap_or(Path::new("/var/tmp")))
        .expect("a temporary directory");
    let copy = dir.path().join("copy.sqlite3");
    copy_synced(path, &copy);
    let store = Store::open(&copy).expect("the copy opens");
    let mut history = History::new();
    // The burst continues the stored stream.
    history.skip(table.sizes[col]);
    for (name, total, batch) in [
        ("insert 2,000 in batches of 100", 2_000, 100),
        ("insert 2,000 in batches of 500", 2_000, 500),
        ("insert 200 one per transaction", 200, 1),
    ] {
        let msgs = history.live(total);
        let (started, cpu) = (Instant::now(), cpu_ns());
        for chunk in msgs.chunks(batch) {
            let stored = store
                .insert_messages(chunk.to_vec())
                .await
                .expect("a burst is stored");
            assert_eq!(stored.len(), chunk.len());
        }
        // Wall time is mostly the commits' fsyncs on a disk shared with other work; the CPU
        // time is what the store costs.
        let per_sec = total as f64 / started.elapsed().as_secs_f64();
        let cpu_us = (cpu_ns() - cpu) as f64 / 1000.0 / total as f64;
        table.set(
            name,
            col,
            Cell::Text(format!("{per_sec:.0}/s, {cpu_us:.0} µs CPU")),
        );
    }
    drop(store);
    wait_closed(&copy);
}

/// Opens a cached file of an older schema (a copy of it) and times the upgrade.
fn migrate_older(table: &mut Table, col: usize, dir: &Path) {
    let size = table.sizes[col];
    for schema in (1..SCHEMA_VERSION).rev() {
        let old = dir.join(file_name(schema, size));
        if !old.exists() {
            continue;
        }
        let tmp = tempfile::Builder::new()
            .prefix("natter-bench-")
            .tempdir_in(dir)
            .expect("a temporary directory");
        let copy = tmp.path().join("old.sqlite3");
        copy_synced(&old, &copy);
        let started = Instant::now();
        let store = Store::open(&copy).expect("the old store opens and migrates");
        let took = started.elapsed();
        drop(store);
        wait_closed(&copy);
        let after = std::fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
        let name = format!("open + migrate from schema {schema} (+ full check)");
        table.set(&name, col, Cell::single(took));
        table.set(
            &format!("file size after migrating from {schema}"),
            col,
            Cell::Text(mib(after)),
        );
        return;
    }
}

/// Copies a store and waits until the copy is on disk: else the first commits measured on it
/// wait for the write-back of the whole copy.
fn copy_synced(from: &Path, to: &Path) {
    std::fs::copy(from, to).expect("a copy of the store");
    std::fs::File::open(to)
        .and_then(|f| f.sync_all())
        .expect("the copy is on disk");
}

// --- measuring ------------------------------------------------------------------------------

async fn time<F, Fut>(runs: Runs, mut run: F) -> Cell
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    for _ in 0..3 {
        run().await;
    }
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < runs.reads && (samples.len() < 5 || started.elapsed() < runs.budget) {
        let t = Instant::now();
        run().await;
        samples.push(t.elapsed());
    }
    Cell::of(samples)
}

enum Cell {
    Time { median: Duration, p95: Duration },
    Text(String),
}

impl Cell {
    fn of(mut samples: Vec<Duration>) -> Cell {
        samples.sort();
        let n = samples.len();
        Cell::Time {
            median: samples[n / 2],
            p95: samples[(n * 95).div_ceil(100).clamp(1, n) - 1],
        }
    }

    fn single(d: Duration) -> Cell {
        Cell::of(vec![d])
    }

    fn show(&self) -> String {
        match self {
            Cell::Time { median, p95 } if median == p95 => ms(*median),
            Cell::Time { median, p95 } => format!("{} ({})", ms(*median), ms(*p95)),
            Cell::Text(text) => text.clone(),
        }
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.2}")
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// CPU time of this process (every thread, the store's included) in nanoseconds.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// One measured thing: a cell per size, and the rows a search returned.
struct Row {
    name: String,
    cells: Vec<Option<Cell>>,
    hits: Vec<Option<usize>>,
}

#[derive(Default)]
struct Table {
    sizes: Vec<usize>,
    rows: Vec<Row>,
}

impl Table {
    fn column(&mut self, size: usize) -> usize {
        self.sizes.push(size);
        self.sizes.len() - 1
    }

    fn row(&mut self, name: &str) -> usize {
        if let Some(i) = self.rows.iter().position(|r| r.name == name) {
            return i;
        }
        self.rows.push(Row {
            name: name.into(),
            cells: Vec::new(),
            hits: Vec::new(),
        });
        self.rows.len() - 1
    }

    fn set(&mut self, name: &str, col: usize, cell: Cell) {
        let i = self.row(name);
        let cells = &mut self.rows[i].cells;
        cells.resize_with(cells.len().max(col + 1), || None);
        cells[col] = Some(cell);
    }

    fn note(&mut self, name: &str, col: usize, hits: usize) {
        let i = self.row(name);
        let notes = &mut self.rows[i].hits;
        notes.resize(notes.len().max(col + 1), None);
        notes[col] = Some(hits);
    }

    fn print(&self, sizes: &[usize], took: Duration) {
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        println!();
        println!("Natter store benchmark (release build, schema {SCHEMA_VERSION}, bundled SQLite)");
        println!(
            "{cores} cores, load average {} at the end; {:.0} s",
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
            took.as_secs_f64()
        );
        println!("times in ms: median (p95); [n] = rows a search returned (limit {PAGE})");
        println!();
        let width = self.rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
        let cell_width = 24;
        let mut header = format!("{:<width$}", "");
        for size in sizes {
            header.push_str(&format!("  {:>cell_width$}", format!("{size} msgs")));
        }
        println!("{header}");
        println!("{}", "-".repeat(header.len()));
        for Row {
            name,
            cells,
            hits: notes,
        } in &self.rows
        {
            let mut line = format!("{name:<width$}");
            for col in 0..sizes.len() {
                let mut text = cells
                    .get(col)
                    .and_then(Option::as_ref)
                    .map_or_else(|| "—".to_string(), Cell::show);
                if let Some(Some(n)) = notes.get(col) {
                    text.push_str(&format!(" [{n}]"));
                }
                line.push_str(&format!("  {text:>cell_width$}"));
            }
            println!("{line}");
        }
        println!();
        println!(
            "conversations: \"huge\" = {HUGE} (half of the history), \"small\" = {SMALL} \
             (about 0.05 %)"
        );
        println!(
            "words: rare \"{RARE}\" (1 in 49,999), common \"{COMMON}\" (20 %), \"{SECOND}\" \
             (8 %), \"{ELSEWHERE}\" (10 % outside the huge conversation, 1 in 20,000 in it)"
        );
        println!();
    }
}

/// The bench's address for `text`, written correctly by the bench.
fn j(text: &str) -> natter::model::BareJid {
    natter::model::bare_jid(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}
