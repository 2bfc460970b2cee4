//! Tests of the seal: a clean close lets the next open skip the damage check, and nothing
//! that touched the file since can keep that from happening.

use crate::model::address::j;
use std::fs;
use std::io::{Seek, SeekFrom, Write};

use super::super::testing::ALICE;
use super::super::{Store, StoreError};
use super::*;
use crate::model::Account;

/// A store with some history, closed; returns once its seal is written (or panics).
fn sealed_store(dir: &Path) -> PathBuf {
    let path = dir.join("natter.sqlite");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&path).unwrap();
        store.save_account(Account::new(j(ALICE))).await.unwrap();
        let history = (0..500)
            .map(|i| {
                let body = format!("message {i} {}", "words ".repeat(20));
                super::super::testing::inbound(ALICE, "bob@example.org", &body, i)
            })
            .collect();
        store.insert_messages(history).await.unwrap();
    });
    wait_for_seal(&path);
    path
}

fn wait_for_seal(path: &Path) {
    for _ in 0..500 {
        if seal_path(path).exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the store was not sealed within 5 s");
}

#[test]
fn a_clean_close_seals_the_file_and_the_next_open_takes_the_seal() {
    let dir = tempfile::tempdir().unwrap();
    let path = sealed_store(dir.path());
    assert!(untouched_since_close(&path));
    assert!(!sibling(&path, "-seal.tmp").exists());

    let store = Store::open(&path).unwrap();
    assert!(!seal_path(&path).exists(), "a store in use is not sealed");
    assert!(!untouched_since_close(&path));
    drop(store);
    wait_for_seal(&path);
    assert!(untouched_since_close(&path));
}

#[test]
fn a_write_right_after_the_close_breaks_the_seal_even_with_the_same_bytes() {
    // Within the same timer tick as the store's last write, if the clock allowed it.
    for _ in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = sealed_store(dir.path());
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes).unwrap();
        assert!(!untouched_since_close(&path));
    }
}

#[test]
fn a_page_overwritten_after_a_clean_close_is_found_even_with_the_times_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = sealed_store(dir.path());
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let mut file = fs::OpenOptions::new().write(true).open(&path).unwrap();
    let size = file.metadata().unwrap().len();
    file.seek(SeekFrom::Start(size / 2 / 4096 * 4096)).unwrap();
    file.write_all(&[0x5a; 4096]).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let damaged = fs::read(&path).unwrap();

    assert!(!untouched_since_close(&path), "the change time moved");
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::Corrupt { .. })
    ));
    assert_eq!(fs::read(&path).unwrap(), damaged, "not one byte changed");
}

#[test]
fn a_wal_or_journal_left_beside_the_file_breaks_the_seal() {
    for leftover in ["-wal", "-journal"] {
        let dir = tempfile::tempdir().unwrap();
        let path = sealed_store(dir.path());
        fs::write(sibling(&path, leftover), b"").unwrap();
        assert!(!untouched_since_close(&path), "{leftover}");
    }
}

#[test]
fn a_broken_or_foreign_seal_is_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = sealed_store(dir.path());
    let text = fs::read_to_string(seal_path(&path)).unwrap();
    let cases = [
        String::new(),
        "natter-store-seal 2\n1 2 3 4 5 6 7\n".into(),
        text.replace(MAGIC, "something else"),
        text.lines().next().unwrap_or_default().to_string(),
        format!("{text}junk"),
        text.replacen(' ', " -", 1),
    ];
    for case in cases {
        fs::write(seal_path(&path), &case).unwrap();
        assert!(!untouched_since_close(&path), "{case:?}");
    }
    fs::write(seal_path(&path), &text).unwrap();
    assert!(untouched_since_close(&path));
}

#[tokio::test]
async fn only_the_last_writer_to_close_seals_and_a_reader_never_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("natter.sqlite");
    let session = Store::open(&path).unwrap();
    session.set_setting("k", "v").await.unwrap();
    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.setting("k").await.unwrap().as_deref(), Some("v"));
    let cli = Store::open(&path).unwrap();
    cli.set_setting("k", "w").await.unwrap();
    drop(reader);
    drop(cli);
    // Neither can see the file whole: the session still has it open.
    std::thread::sleep(Duration::from_millis(300));
    assert!(!seal_path(&path).exists());
    drop(session);
    wait_for_seal(&path);
    assert!(untouched_since_close(&path));
}

#[tokio::test]
async fn waiting_for_closing_returns_once_the_file_is_whole_and_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("natter.sqlite");
    let store = Store::open(&path).unwrap();
    store.set_setting("k", "v").await.unwrap();
    let still_open = Store::open(&dir.path().join("other.sqlite")).unwrap();
    drop(store);
    assert!(super::super::wait_for_closing(Duration::from_secs(10)));
    assert!(!sibling(&path, "-wal").exists());
    assert!(
        untouched_since_close(&path),
        "sealed before the wait returned"
    );
    // A store still in use is not waited for.
    let started = std::time::Instant::now();
    super::super::wait_for_closing(Duration::from_secs(10));
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(still_open);
}
