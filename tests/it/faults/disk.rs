//! A full disk while messages arrive: nothing that could not be stored is acknowledged as
//! handled or lost. The person is told, and once there is room again the archive brings every
//! message back, stored once and in order.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use natter::model::{Delivery, Direction};
use natter::session::Event;

use super::SERVERS;
use super::{assert_once_in_order, bodies_with, burst, history, until_archived, until_stored};
use crate::client::Client;
use crate::support::{Kind, on_servers};

/// A small tmpfs, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// A 4 MiB tmpfs, when this process may mount one (root, as on CI).
    fn mount() -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("tmp");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=4m,mode=0700", "natter-faults"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        mounted.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the file system has no byte left.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler");
        let mut f = std::fs::File::create(&filler).expect("filler");
        for chunk in [64 * 1024, 4096, 1] {
            let block = vec![0u8; chunk];
            while f.write_all(&block).and_then(|()| f.flush()).is_ok() {}
        }
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .output();
    }
}

/// How the disk is made full: a real full file system, or SQLite's size cap.
enum Full {
    Disk(SmallDisk, Option<PathBuf>),
    Cap,
}

impl Full {
    async fn fill(&mut self, alice: &Client) {
        match self {
            Full::Disk(disk, filler) => {
                // Move the WAL into the file and empty it: the next write needs new blocks.
                let conn = rusqlite::Connection::open(&alice.db).expect("side connection");
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    .expect("checkpoint");
                drop(conn);
                *filler = Some(disk.fill());
            }
            Full::Cap => alice.store.cap_size_for_tests(Some(0)).await.expect("cap"),
        }
    }

    async fn free(&mut self, alice: &Client) {
        match self {
            Full::Disk(_, filler) => {
                if let Some(f) = filler.take() {
                    std::fs::remove_file(f).expect("remove the filler");
                }
            }
            Full::Cap => alice.store.cap_size_for_tests(None).await.expect("uncap"),
        }
    }
}

on_servers!(async fn a_full_disk_loses_nothing_and_everything_arrives_once_after_space_is_freed);
async fn a_full_disk_loses_nothing_and_everything_arrives_once_after_space_is_freed(kind: Kind) {
    let started = Instant::now();
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let (mut full, _scratch, db) = match SmallDisk::mount() {
        Some(disk) => {
            let db = disk.path().join("natter.sqlite3");
            (Full::Disk(disk, None), None, db)
        }
        None => {
            eprintln!("cannot mount a tmpfs here: filling the store with SQLite's size cap");
            let dir = tempfile::tempdir().expect("tmp");
            let db = dir.path().join("natter.sqlite3");
            (Full::Cap, Some(dir), db)
        }
    };
    let mut alice = Client::start_with(&server, &a, &apw, "desk", db).await;
    alice.caught_up().await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let _bob_events = super::Recorder::start(&mut bob);
    for body in burst("before", 5) {
        bob.say(&a, &body);
    }
    until_stored(&alice.db, &a, &b, "before", 5).await;

    full.fill(&alice).await;
    const N: usize = 40;
    for body in burst("while full", N) {
        bob.say(&a, &body);
    }
    let Event::Error { message } = alice
        .wait("an error", |e| matches!(e, Event::Error { .. }))
        .await
    else {
        unreachable!()
    };
    assert!(
        message.contains("could not be saved")
            && message.contains("disk is full")
            && message.contains("fetches them again"),
        "a clear sentence: {message}"
    );
    until_archived(&server, &a, &format!("while full {:03}", N - 1)).await;
    alice.drain_for(Duration::from_secs(1)).await;
    // What fitted before the disk filled up (nothing on a full tmpfs, a few messages in the
    // pages SQLite's cap still had free) is a prefix of the burst: no hole that the archive
    // catch-up, which starts after the newest stored message, would skip. Nothing else was
    // shown.
    let msgs = history(&alice.db, &a, &b).await;
    let stored = bodies_with(&msgs, "while full");
    assert!(stored.len() < N, "the disk was full for this burst");
    assert_eq!(stored, burst("while full", N)[..stored.len()], "no hole");
    let shown: usize = alice
        .seen
        .iter()
        .map(|e| match e {
            Event::Messages(m) => m
                .iter()
                .filter(|m| m.body.starts_with("while full"))
                .count(),
            _ => 0,
        })
        .sum();
    assert_eq!(shown, stored.len(), "only what was stored was shown");

    full.free(&alice).await;
    let msgs = until_stored(&alice.db, &a, &b, "while full", N).await;
    assert_once_in_order(&msgs, "before", 5, Direction::In, &[Delivery::Received]);
    assert_once_in_order(&msgs, "while full", N, Direction::In, &[Delivery::Received]);
    // And life goes on.
    for body in burst("after", 5) {
        bob.say(&a, &body);
    }
    let msgs = until_stored(&alice.db, &a, &b, "after", 5).await;
    alice.drain_for(Duration::from_millis(300)).await;
    let msgs = if bodies_with(&msgs, "after").len() == 5 {
        history(&alice.db, &a, &b).await
    } else {
        msgs
    };
    let all = bodies_with(&msgs, "");
    let expected: Vec<String> = burst("before", 5)
        .into_iter()
        .chain(burst("while full", N))
        .chain(burst("after", 5))
        .collect();
    assert_eq!(all, expected, "all once, in order");
    eprintln!("took {:?}", started.elapsed());
}
