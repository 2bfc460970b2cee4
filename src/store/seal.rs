//! The seal: a note, written beside the database when the store closed it cleanly, of what
//! the file looked like then (device, inode, size, modification and change times). At the
//! next open a seal that still matches means nothing has written the file since Natter last
//! left it whole, so the damage check (`quick_check`, a read of every page: 1 to 2 s for a
//! million messages) has nothing to find and is skipped; anything else — no seal, a leftover
//! WAL or journal (a crash, or another process still has it open), any write by anyone — and
//! the file is checked in full, as before.
//!
//! Why this is enough: every write to a file moves its change time (ctime), and no program can
//! set it back (`touch -d` and `cp -p` set the modification time, and that itself moves the
//! change time). What a seal cannot see is damage that bypasses the file system (a disk
//! returning bad sectors); the full check would only have caught that at one launch anyway,
//! and SQLite reports a damaged page when it reads one.
//!
//! File times are coarse on Linux (a timer tick, a few milliseconds): a write in the same
//! tick as the last write of the store would leave the times as they were. So the seal is
//! written only once the file system's clock has moved past the file's change time (seen on
//! the seal's own change time), and only when the file did not change while it closed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

/// What the seal records; equal records mean an untouched file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// The first line of a seal, naming its format.
const MAGIC: &str = "natter-store-seal 1";

/// How long closing waits at most for the file system's clock to pass the file's change time.
const CLOCK_WAIT: Duration = Duration::from_millis(100);

/// The seal of the database at `path`.
pub(super) fn seal_path(path: &Path) -> PathBuf {
    sibling(path, "-seal")
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether the file is exactly as a clean close left it, so its full check can be skipped.
/// Call it before opening a connection (opening a WAL database may recover and write it).
pub(super) fn untouched_since_close(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(seal_path(path)) else {
        return false;
    };
    let leftovers = ["-wal", "-journal"]
        .iter()
        .any(|suffix| sibling(path, suffix).exists());
    !leftovers && parse(&text).is_some_and(|sealed| stamp(path) == Some(sealed))
}

/// Forgets the seal: from now on the file is in use. Best effort: a seal that stays behind no
/// longer matches once the file is written, and an untouched file needs no check.
pub(super) fn break_seal(path: &Path) {
    let _ = std::fs::remove_file(seal_path(path));
}

/// Closes the read-write connection `conn` to `path` and seals the file when it is whole on
/// its own: every change moved into it (no other connection kept the WAL) and nothing wrote
/// it while it closed. A close that failed leaves the file unsealed (dropping the connection
/// tries once more).
pub(super) fn close_and_seal(conn: Connection, path: &Path) -> Result<(), rusqlite::Error> {
    // Move the WAL into the file now, so that the close itself writes nothing more.
    let emptied = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok_and(|busy| busy == 0);
    let before = stamp(path);
    let tmp = sibling(path, "-seal.tmp");
    let clock_moved = before.is_some_and(|b| wait_for_clock(&tmp, b.ctime));
    if let Err((_, e)) = conn.close() {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let whole = !sibling(path, "-wal").exists() && !sibling(path, "-journal").exists();
    match before {
        Some(stamp_before) if emptied && clock_moved && whole && stamp(path) == before => {
            if let Err(e) = write_seal(&tmp, &seal_path(path), stamp_before) {
                tracing::warn!(error = %e, "{}", crate::fl!("log-store-seal-failed"));
                let _ = std::fs::remove_file(&tmp);
            }
        }
        _ => {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    Ok(())
}

/// Writes `tmp` until its change time is later than `ctime`: from then on, any write to the
/// database gets a later change time than the one sealed.
fn wait_for_clock(tmp: &Path, ctime: (i64, i64)) -> bool {
    let started = std::time::Instant::now();
    loop {
        if std::fs::write(tmp, MAGIC).is_err() {
            return false;
        }
        match stamp(tmp) {
            Some(probe) if probe.ctime > ctime => return true,
            Some(_) if started.elapsed() < CLOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(1));
            }
            _ => return false,
        }
    }
}

fn write_seal(tmp: &Path, seal: &Path, s: Stamp) -> std::io::Result<()> {
    let text = format!(
        "{MAGIC}\n{} {} {} {} {} {} {}\n",
        s.dev, s.ino, s.size, s.mtime.0, s.mtime.1, s.ctime.0, s.ctime.1
    );
    std::fs::write(tmp, text)?;
    std::fs::rename(tmp, seal)
}

fn parse(text: &str) -> Option<Stamp> {
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let mut fields = lines.next()?.split(' ');
    if lines.next().is_some() {
        return None;
    }
    let mut unsigned = || fields.next()?.parse::<u64>().ok();
    let (dev, ino, size) = (unsigned()?, unsigned()?, unsigned()?);
    let times: Vec<i64> = fields.map(str::parse).collect::<Result<_, _>>().ok()?;
    let [ms, mn, cs, cn] = times[..] else {
        return None;
    };
    Some(Stamp {
        dev,
        ino,
        size,
        mtime: (ms, mn),
        ctime: (cs, cn),
    })
}

#[cfg(unix)]
fn stamp(path: &Path) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;

    let m = std::fs::metadata(path).ok()?;
    Some(Stamp {
        dev: m.dev(),
        ino: m.ino(),
        size: m.size(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

/// Without change times there is nothing to trust: every open checks the file.
#[cfg(not(unix))]
fn stamp(_path: &Path) -> Option<Stamp> {
    None
}

#[cfg(test)]
mod tests;
