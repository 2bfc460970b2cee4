//! The local store: one SQLite file with the accounts, rosters, subscription requests, history,
//! outbox and settings of the person.
//!
//! One connection is owned by one actor thread that runs jobs in the order they were sent, so a
//! read always sees every write sent before it (persist, then announce). Every public method is
//! `async` and waits for its answer on a oneshot channel: the caller's runtime never blocks on
//! disk I/O. [`Store`] is a cheap handle; when its last clone is dropped the thread ends and
//! closes the connection.
//!
//! The store knows the model types only: no session, no UI.

mod accounts;
mod amend;
mod changes;
pub use changes::OwnChange;
mod drafts;
mod history;
mod messages;
mod outbox;
mod preferences;
mod requests;
pub use requests::Added;
mod roster;
mod schema;
mod seal;
mod settings;
mod words;

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, Row};
use tokio::sync::oneshot;

pub use history::Anchor;
pub use messages::Inserted;
pub use preferences::{Preference, Preferences};
pub use schema::SCHEMA_VERSION;

/// Why the store could not do what was asked. The texts are shown to people, in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The file could not be opened or created.
    Open {
        /// The database file.
        path: PathBuf,
        /// What the system or SQLite said.
        reason: String,
    },
    /// The file is not a Natter database, or it is damaged.
    Corrupt {
        /// The database file.
        path: PathBuf,
    },
    /// The file was written by a newer version of Natter.
    TooNew {
        /// The schema version found in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// The disk (or the database's size limit) is full; the change was not saved.
    DiskFull,
    /// The store is read-only; the change was not saved.
    ReadOnly,
    /// Any other SQLite failure.
    Sqlite(String),
    /// The store's thread is gone.
    Closed,
    /// A stored value does not parse (an unknown enum name, a broken JSON list, …).
    Invalid(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            StoreError::Open { path, reason } => crate::fl!(
                "error-store-open",
                path = path.display().to_string(),
                reason = reason.as_str()
            ),
            StoreError::Corrupt { path } => {
                crate::fl!("error-store-corrupt", path = path.display().to_string())
            }
            StoreError::TooNew { found, supported } => {
                crate::fl!("error-store-too-new", found = found, supported = supported)
            }
            StoreError::DiskFull => crate::fl!("error-store-disk-full"),
            StoreError::ReadOnly => crate::fl!("error-store-read-only"),
            StoreError::Sqlite(reason) => {
                crate::fl!("error-store-sqlite", reason = reason.as_str())
            }
            StoreError::Closed => crate::fl!("error-store-closed"),
            StoreError::Invalid(what) => crate::fl!("error-store-invalid", what = what.as_str()),
        };
        f.write_str(&text)
    }
}

/// One unit of work for the actor thread.
type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A handle to the store. Cloning is cheap; all clones talk to the same connection.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    path: Arc<Path>,
    /// Dropped after `jobs` of the last clone: tells [`wait_for_closing`] to wait for it.
    _last: Arc<LastHandle>,
}

/// Stores whose thread is closing the file, by number: `true` when their last handle is gone
/// first (someone may wait), `false` when the thread finished first. Each number leaves when
/// both happened.
static CLOSING: Mutex<BTreeMap<u64, bool>> = Mutex::new(BTreeMap::new());
static CLOSED: Condvar = Condvar::new();
static NEXT_STORE: AtomicU64 = AtomicU64::new(0);

/// Owned by every clone of one store; its drop is the drop of the last handle.
#[derive(Debug)]
struct LastHandle(u64);

impl Drop for LastHandle {
    fn drop(&mut self) {
        let mut closing = CLOSING.lock().unwrap_or_else(|e| e.into_inner());
        if closing.remove(&self.0).is_none() {
            closing.insert(self.0, true);
        }
    }
}

/// Marks the store `id` closed and wakes [`wait_for_closing`].
fn finished(id: u64) {
    let mut closing = CLOSING.lock().unwrap_or_else(|e| e.into_inner());
    if closing.remove(&id).is_none() {
        closing.insert(id, false);
    }
    CLOSED.notify_all();
}

/// Waits (at most `timeout`) until every store whose last handle is gone has closed its file.
/// Call it before the process exits: a store's thread closes the file after its last handle
/// went, and an exit in between leaves the WAL behind and the file unsealed, so the next
/// launch reads all of it to check it. Returns whether all were closed in time. Stores still
/// in use are not waited for.
pub fn wait_for_closing(timeout: Duration) -> bool {
    let closing = CLOSING.lock().unwrap_or_else(|e| e.into_inner());
    let (closing, _) = CLOSED
        .wait_timeout_while(closing, timeout, |c| c.values().any(|&waited| waited))
        .unwrap_or_else(|e| e.into_inner());
    !closing.values().any(|&waited| waited)
}

impl Store {
    /// Opens the store at `path`, creating the file (and its parent directories) when absent
    /// and bringing its schema up to [`SCHEMA_VERSION`]. An existing file is never deleted or
    /// recreated: a file that is not a database is reported as [`StoreError::Corrupt`] and
    /// left as it is, and a newer schema as [`StoreError::TooNew`]. A new file is readable by
    /// its owner only.
    ///
    /// This blocks while it opens and migrates the file (usually milliseconds): call it before
    /// starting work on a runtime, or from `spawn_blocking`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = schema::open_read_write(path)?;
        Store::spawn(conn, path, Closing::Seal)
    }

    /// Opens an existing store for reading only, without migrating it: for tools that read
    /// beside a running session. Fails unless the schema is exactly [`SCHEMA_VERSION`]; every
    /// write through this handle fails with [`StoreError::ReadOnly`].
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let conn = schema::open_read_only(path)?;
        Store::spawn(conn, path, Closing::Plain)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn spawn(conn: Connection, path: &Path, closing: Closing) -> Result<Store, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let file = path.to_path_buf();
        let id = NEXT_STORE.fetch_add(1, Ordering::Relaxed);
        std::thread::Builder::new()
            .name("natter-store".into())
            .spawn(move || {
                run(conn, queue, &file, closing);
                finished(id);
            })
            .map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(Store {
            jobs,
            path: Arc::from(path),
            _last: Arc::new(LastHandle(id)),
        })
    }

    /// Caps the file at its current size plus `extra_pages` pages (SQLite's `max_page_count`),
    /// or lifts the cap with `None`: a full disk for tests that cannot mount a small file
    /// system. Not for the application.
    #[doc(hidden)]
    pub async fn cap_size_for_tests(&self, extra_pages: Option<i64>) -> Result<(), StoreError> {
        self.call(move |conn| {
            let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
            let cap = extra_pages.map_or(i64::from(u32::MAX - 1), |extra| pages + extra);
            conn.pragma_update(None, "max_page_count", cap)
        })
        .await
    }

    /// Runs `job` on the store thread and waits for its answer without blocking the runtime.
    async fn call<T, F>(&self, job: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let path = Arc::clone(&self.path);
        let job: Job = Box::new(move |conn| {
            let result = job(conn).map_err(|e| map_error(e, &path));
            // The caller may have stopped waiting; the work is done either way.
            let _ = reply.send(result);
        });
        self.jobs.send(job).map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }
}

/// How the actor closes its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Closing {
    /// A read-write store: move everything into the file and seal it (see `seal.rs`), so
    /// the next launch can skip the damage check.
    Seal,
    /// A reader beside a session: it changed nothing, and seals nothing.
    Plain,
}

/// The actor loop: one job at a time, until every [`Store`] clone is gone.
fn run(mut conn: Connection, queue: mpsc::Receiver<Job>, path: &Path, closing: Closing) {
    while let Ok(job) = queue.recv() {
        // A bug in one job must not close the store for everyone. Its open transaction was
        // rolled back while unwinding, and its caller sees `Closed`.
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut conn))).is_err() {
            tracing::error!("{}", crate::fl!("log-store-job-panicked"));
        }
    }
    let closed = match closing {
        Closing::Seal => seal::close_and_seal(conn, path),
        Closing::Plain => conn.close().map_err(|(_, e)| e),
    };
    if let Err(e) = closed {
        tracing::warn!(error = %e, "{}", crate::fl!("log-store-close-failed"));
    }
}

/// Turns a rusqlite error into the typed error the rest of the program sees.
fn map_error(err: rusqlite::Error, path: &Path) -> StoreError {
    match err.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => return StoreError::DiskFull,
        Some(ErrorCode::ReadOnly) => return StoreError::ReadOnly,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            return StoreError::Corrupt {
                path: path.to_path_buf(),
            };
        }
        _ => {}
    }
    match err {
        rusqlite::Error::FromSqlConversionFailure(_, _, e) => StoreError::Invalid(e.to_string()),
        rusqlite::Error::IntegralValueOutOfRange(column, value) => StoreError::Invalid(crate::fl!(
            "error-store-value-out-of-range",
            value = value,
            column = column
        )),
        rusqlite::Error::InvalidColumnType(_, name, kind) => StoreError::Invalid(crate::fl!(
            "error-store-value-type",
            column = name,
            kind = kind.to_string()
        )),
        rusqlite::Error::Utf8Error(column, _) => {
            StoreError::Invalid(crate::fl!("error-store-value-not-utf8", column = column))
        }
        other => StoreError::Sqlite(other.to_string()),
    }
}

/// What kind of stored value did not parse, for [`StoreError::Invalid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stored {
    TlsMode,
    Show,
    Direction,
    Delivery,
    RequestState,
    Subscription,
    GroupList,
    AuthMethod,
    Address,
    Change,
}

impl Stored {
    /// The name of the value in the person's language. Only called for an error: reading a
    /// row must not pay for a lookup.
    fn name(self) -> String {
        match self {
            Stored::TlsMode => crate::fl!("error-store-value-tls-mode"),
            Stored::Show => crate::fl!("error-store-value-show"),
            Stored::Direction => crate::fl!("error-store-value-direction"),
            Stored::Delivery => crate::fl!("error-store-value-delivery"),
            Stored::RequestState => crate::fl!("error-store-value-request-state"),
            Stored::Subscription => crate::fl!("error-store-value-subscription"),
            Stored::GroupList => crate::fl!("error-store-value-group-list"),
            Stored::AuthMethod => crate::fl!("error-store-value-auth-method"),
            Stored::Address => crate::fl!("error-store-value-address"),
            Stored::Change => crate::fl!("error-store-value-change"),
        }
    }
}

/// The error for a stored value that does not parse; [`map_error`] makes it
/// [`StoreError::Invalid`].
fn invalid(column: usize, what: Stored, value: &str) -> rusqlite::Error {
    // Bounded: the value came from a file and ends up in a message for a person.
    let shown: String = value.chars().take(64).collect();
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        crate::fl!("error-store-value", what = what.name(), value = shown).into(),
    )
}

/// Reads column `idx` as text and parses it with `parse`, e.g. `Direction::parse`.
fn parse_column<T>(
    row: &Row<'_>,
    idx: usize,
    what: Stored,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| invalid(idx, what, &text))
}

/// Reads column `idx` as an address (the store writes only addresses that parsed).
fn address_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<crate::model::BareJid> {
    parse_column(row, idx, Stored::Address, |t| {
        crate::model::BareJid::new(t).ok()
    })
}

/// Reads column `idx` as a message id. An id that does not fit [`crate::model::MessageId`]
/// (written before ids were bounded) reads as no id: the message is kept, without it.
fn id_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<crate::model::MessageId>> {
    Ok(crate::model::MessageId::maybe(
        row.get::<_, Option<String>>(idx)?,
    ))
}

impl rusqlite::ToSql for crate::model::MessageId {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.as_str().to_sql()
    }
}

/// [`parse_column`] for a column that may be NULL.
fn parse_optional<T>(
    row: &Row<'_>,
    idx: usize,
    what: Stored,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match row.get::<_, Option<String>>(idx)? {
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| invalid(idx, what, &text)),
        None => Ok(None),
    }
}

/// Converts a caller's `usize` limit to SQLite's integer, saturating.
fn sql_limit(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// Shared helpers for the store's tests.
#[cfg(test)]
mod testing {
    use tempfile::TempDir;

    use crate::model::address::j;

    use super::Store;
    use crate::model::{Account, ChatMessage, Delivery, Direction, Millis};

    /// A store in a fresh temporary directory; keep the directory alive as long as the store.
    pub(super) fn temp_store() -> (TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("natter.sqlite")).expect("open store");
        (dir, store)
    }

    /// A store with the accounts `alice@example.org` (default) and `bob@example.org`.
    pub(super) async fn store_with_accounts() -> (TempDir, Store) {
        let (dir, store) = temp_store();
        for jid in [ALICE, BOB] {
            store
                .save_account(Account::new(j(jid)))
                .await
                .expect("save account");
        }
        (dir, store)
    }

    /// The `EXPLAIN QUERY PLAN` lines of `sql` on the store's connection, every parameter
    /// bound to NULL (the plan does not depend on the values of these queries).
    pub(super) async fn query_plan(store: &Store, sql: &'static str) -> String {
        store
            .call(move |c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
                let rows = stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))?;
                Ok(rows.collect::<Result<Vec<String>, _>>()?.join("\n"))
            })
            .await
            .expect("query plan")
    }

    pub(super) const ALICE: &str = "alice@example.org";
    pub(super) const BOB: &str = "bob@example.org";

    /// An inbound message to `account` from `peer` sent at `sent_at`.
    pub(super) fn inbound(account: &str, peer: &str, body: &str, sent_at: Millis) -> ChatMessage {
        ChatMessage {
            local_id: 0,
            account: j(account),
            peer: j(peer),
            direction: Direction::In,
            body: body.into(),
            sent_at,
            received_at: sent_at + 5,
            remote_id: None,
            origin_id: None,
            stanza_id: None,
            delivery: Delivery::Received,
            delayed: false,
            carbon: false,
            extras: Default::default(),
        }
    }

    /// An outbound message from `account` to `peer`, with `id` as stanza id and origin-id.
    pub(super) fn outbound(account: &str, peer: &str, body: &str, id: &str) -> ChatMessage {
        ChatMessage {
            direction: Direction::Out,
            delivery: Delivery::Queued,
            remote_id: Some(id.into()),
            origin_id: Some(id.into()),
            ..inbound(account, peer, body, 1_000)
        }
    }
}
