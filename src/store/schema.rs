//! Opening the database file: connection settings, checks that the file is ours, and the
//! migrations keyed on `PRAGMA user_version`.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, MAIN_DB, OpenFlags, TransactionBehavior};

use super::{StoreError, map_error, seal, words};

/// The embedded migrations; the one at index `n` takes the schema from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_search_order.sql"),
    include_str!("migrations/0003_unspaced_scripts.sql"),
    include_str!("migrations/0004_sign_in_method.sql"),
    include_str!("migrations/0005_archive_anchor.sql"),
    include_str!("migrations/0006_approved_ahead.sql"),
    include_str!("migrations/0007_modern_messages.sql"),
    include_str!("migrations/0008_queued_changes.sql"),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long to wait for another connection (a CLI beside the window) to release a lock.
const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// Opens (or creates) the file for the session: WAL, durable commits, foreign keys, migrated.
pub(super) fn open_read_write(path: &Path) -> Result<Connection, StoreError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| open_failed(path, e.to_string()))?;
    }
    create_private(path).map_err(|e| open_failed(path, e.to_string()))?;
    // Before the connection: opening a database with a WAL left behind may write it.
    let sealed = seal::untouched_since_close(path);
    // No URI flag: a file name must never be read as `file:` options.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| at_open(e, path))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| at_open(e, path))?;
    // The index's view and triggers call it (the migrations too).
    words::register(&conn).map_err(|e| at_open(e, path))?;

    // Everything up to here only read the file, so a file we refuse is left as it was.
    let found = check_ours(&conn, path)?;
    if sealed {
        tracing::debug!(path = %path.display(), "{}", crate::fl!("log-store-check-skipped"));
    } else {
        check_intact(&conn, path)?;
    }
    if conn.is_readonly(MAIN_DB).map_err(|e| at_open(e, path))? {
        return Err(StoreError::ReadOnly);
    }
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    // From here on the file is written; it is sealed again when the store closes cleanly.
    seal::break_seal(path);

    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|e| at_open(e, path))?;
    if !mode.eq_ignore_ascii_case("wal") {
        // Some file systems (network shares) cannot do WAL; the store still works, slower.
        tracing::warn!(%mode, path = %path.display(), "{}", crate::fl!("log-store-no-wal"));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| at_open(e, path))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| at_open(e, path))?;
    migrate(&mut conn, path)?;
    // Every statement the store uses stays prepared: bursts of inserts must be cheap.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Creates an empty file readable by its owner only, unless the file exists: the history is
/// private, and SQLite gives its WAL and shared-memory files the same permissions. SQLite
/// takes an empty file as an empty database.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens an existing file for reading only; the schema must be exactly [`SCHEMA_VERSION`].
pub(super) fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| at_open(e, path))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| at_open(e, path))?;
    words::register(&conn).map_err(|e| at_open(e, path))?;
    let found = check_ours(&conn, path)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        return Err(open_failed(
            path,
            format!(
                "its schema version is {found} but this version of Natter reads \
                 {SCHEMA_VERSION}; open it once with Natter to upgrade it"
            ),
        ));
    }
    conn.pragma_update(None, "query_only", "ON")
        .map_err(|e| at_open(e, path))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Reads the schema version, which is also the first read of the file: a file that is not a
/// database fails here. A database of another program (tables but no version) is refused too.
fn check_ours(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let version = user_version(conn).map_err(|e| at_open(e, path))?;
    if version < 0 {
        return Err(StoreError::Invalid(crate::fl!(
            "error-store-value-schema",
            version = version
        )));
    }
    if version == 0 {
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(|e| at_open(e, path))?;
        if objects > 0 {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(version)
}

/// Reads every page once (SQLite's `quick_check`: page, b-tree and record structure) before
/// anything is written: a damaged file is refused as it is, so that nothing of it is
/// overwritten and a recovery tool still finds all there was. It costs a read of the file
/// (about 0.1 s for 50,000 messages, 1 to 2 s for a million), so it runs only when the file
/// is not sealed as a clean close left it (`seal.rs`): after a crash, or when anything else
/// wrote it.
fn check_intact(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let first: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(|e| at_open(e, path))?;
    if first == "ok" {
        return Ok(());
    }
    tracing::error!(path = %path.display(), problem = %first, "the store is damaged");
    Err(StoreError::Corrupt {
        path: path.to_path_buf(),
    })
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Applies the missing migrations, each in one transaction that also sets `user_version`.
/// The version is read inside the write transaction so two processes opening a new file at
/// the same moment do not both apply the same step.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| map_error(e, path))?;
        let version = user_version(&tx).map_err(|e| map_error(e, path))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Ok(());
        };
        tx.execute_batch(sql).map_err(|e| map_error(e, path))?;
        tx.pragma_update(None, "user_version", version + 1)
            .map_err(|e| map_error(e, path))?;
        tx.commit().map_err(|e| map_error(e, path))?;
        tracing::info!(version = version + 1, path = %path.display(), "store schema migrated");
    }
}

/// Maps an error met while opening: the typed cases as anywhere, the rest as `Open`.
fn at_open(err: rusqlite::Error, path: &Path) -> StoreError {
    match map_error(err, path) {
        StoreError::Sqlite(reason) => open_failed(path, reason),
        other => other,
    }
}

fn open_failed(path: &Path, reason: String) -> StoreError {
    StoreError::Open {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod migration_tests;
