//! A damaged database: garbage over the header, a truncated file, one page overwritten.
//! Natter refuses it with a clear sentence and exit status 1, and leaves every byte of it as
//! it was: it never deletes, recreates or "repairs" the person's history.

use crate::j;
use std::path::Path;
use std::time::{Duration, Instant};

use natter::model::Account;
use natter::paths::DATABASE_FILE;
use natter::store::{Store, StoreError};

use super::SERVERS;
use super::process::{natter, run, text};
use crate::support::{Kind, Server, on_servers};

/// A data directory whose store holds Alice's account and a long conversation, closed, with
/// everything in the main file.
async fn data_dir_with_history(server: &Server, jid: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join(DATABASE_FILE);
    let store = Store::open(&db).expect("store");
    let mut account = crate::client::account(server, jid, Some("desk"));
    account.is_default = true;
    store
        .save_account(Account { ..account })
        .await
        .expect("account");
    let history = (0..2000)
        .map(|i| natter::model::ChatMessage {
            local_id: 0,
            account: j(jid),
            peer: j("bob@localhost"),
            direction: natter::model::Direction::In,
            body: format!("message {i} {}", "words ".repeat(20)),
            sent_at: 1_700_000_000_000 + i,
            received_at: 1_700_000_000_000 + i,
            remote_id: None,
            origin_id: None,
            stanza_id: Some(crate::mid(format!("s{i}"))),
            delivery: natter::model::Delivery::Received,
            delayed: false,
            carbon: false,
            extras: Default::default(),
        })
        .collect();
    store.insert_messages(history).await.expect("history");
    drop(store);
    // The store's thread closes the connection; SQLite then folds the WAL into the file.
    let wal = dir.path().join(format!("{DATABASE_FILE}-wal"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while wal.exists() {
        assert!(Instant::now() < deadline, "the store did not close");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    dir
}

/// The files of `dir` with their bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

/// One way of damaging a store file: the good bytes in, the damaged bytes out.
type Harm = fn(Vec<u8>) -> Vec<u8>;

fn garbage_over_the_header(mut bytes: Vec<u8>) -> Vec<u8> {
    for (i, b) in bytes[..512].iter_mut().enumerate() {
        *b = (i * 131 % 256) as u8;
    }
    bytes
}

fn truncated(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.truncate(bytes.len() / 3);
    bytes
}

fn a_page_overwritten(mut bytes: Vec<u8>) -> Vec<u8> {
    // The root page of the message history, found on a copy, filled with noise. (A page picked
    // by position may be a free page, which is not damage.)
    let dir = tempfile::tempdir().expect("tmp");
    let copy = dir.path().join("copy.sqlite3");
    std::fs::write(&copy, &bytes).expect("copy");
    let root: u32 = rusqlite::Connection::open(&copy)
        .and_then(|c| {
            c.query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'messages'",
                [],
                |r| r.get(0),
            )
        })
        .expect("the messages table's root page");
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let at = (usize::try_from(root).expect("a page number") - 1) * page;
    for (i, b) in bytes[at..at + page].iter_mut().enumerate() {
        *b = (i * 7919 % 253) as u8;
    }
    bytes
}

on_servers!(async fn a_damaged_store_is_refused_in_words_and_never_changed);
async fn a_damaged_store_is_refused_in_words_and_never_changed(kind: Kind) {
    let started = Instant::now();
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, _) = server.create_user("bob");
    let good = data_dir_with_history(&server, &a).await;
    let harms: [(&str, Harm); 3] = [
        ("garbage over the header", garbage_over_the_header),
        ("truncated", truncated),
        ("a page overwritten", a_page_overwritten),
    ];
    for (what, harm) in harms {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join(DATABASE_FILE);
        let bytes = harm(std::fs::read(good.path().join(DATABASE_FILE)).expect("good store"));
        std::fs::write(&db, &bytes).expect("damaged copy");
        let before = snapshot(dir.path());

        for args in [
            vec!["history", b.as_str(), "--json"],
            vec!["check"],
            vec!["headless"],
        ] {
            let o = run(natter(&server, dir.path(), &apw), &args);
            assert_eq!(o.status.code(), Some(1), "{what}, {args:?}: {}", text(&o));
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("is not a Natter message store or is damaged")
                    && err.contains(&db.display().to_string()),
                "{what}, {args:?}: the reason in words: {err}"
            );
            assert!(
                o.stdout.is_empty(),
                "{what}, {args:?}: nothing printed as if all was well"
            );
            assert_eq!(
                snapshot(dir.path()),
                before,
                "{what}, {args:?}: the file is exactly as it was, and nothing was added"
            );
        }
        // The window boots through the same call and shows the same sentence.
        match Store::open(&db) {
            Err(e @ StoreError::Corrupt { .. }) => {
                assert!(e.to_string().contains("damaged"), "{e}");
            }
            other => panic!("{what}: the window's boot got {other:?}"),
        }
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{what}: untouched by the boot"
        );
    }
    assert_eq!(
        server.sign_ins(&a),
        0,
        "no command went online with a damaged store"
    );
    eprintln!("took {:?}", started.elapsed());
}
