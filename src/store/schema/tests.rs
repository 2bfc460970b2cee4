//! Tests of opening the file: settings, permissions, refusing what is not ours or damaged.

use crate::model::address::j;
use std::fs;

use super::super::Store;
use super::super::testing::{ALICE, temp_store};
use super::*;
use crate::model::Account;

fn raw(path: &Path) -> Connection {
    Connection::open(path).expect("raw connection")
}

#[tokio::test]
async fn schema_is_created_and_data_survives_reopening() {
    let (dir, store) = temp_store();
    let path = dir.path().join("natter.sqlite");
    assert_eq!(store.path(), path);
    store.save_account(Account::new(j(ALICE))).await.unwrap();
    store.set_setting("theme", "dark").await.unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.accounts().await.unwrap()[0].jid.as_str(), ALICE);
    assert_eq!(
        store.setting("theme").await.unwrap().as_deref(),
        Some("dark")
    );
    let settings = store
        .call(|c| {
            let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let j: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
            let f: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
            let s: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
            Ok((v, j, f, s))
        })
        .await
        .unwrap();
    assert_eq!(settings, (SCHEMA_VERSION, "wal".to_string(), 1, 2));
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_store_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;

    let (dir, store) = temp_store();
    store.set_setting("k", "v").await.unwrap();
    for name in ["natter.sqlite", "natter.sqlite-wal", "natter.sqlite-shm"] {
        let mode = fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
}

#[tokio::test]
async fn missing_parent_directories_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/natter.sqlite");
    let store = Store::open(&path).unwrap();
    store.set_setting("k", "v").await.unwrap();
    assert!(path.is_file());
}

#[test]
fn a_file_that_is_not_a_database_is_reported_corrupt_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    let bytes = "these are my notes, not a database\n"
        .repeat(200)
        .into_bytes();
    fs::write(&path, &bytes).unwrap();

    for result in [Store::open(&path), Store::open_read_only(&path)] {
        match result {
            Err(StoreError::Corrupt { path: p }) => assert_eq!(p, path),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    assert_eq!(fs::read(&path).unwrap(), bytes);
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["notes.sqlite"],
        "no journal or WAL files left behind"
    );
}

/// A store of a few hundred pages, closed, with everything in the main file.
fn store_with_history(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("natter.sqlite");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open(&path).unwrap();
        store.save_account(Account::new(j(ALICE))).await.unwrap();
        let history = (0..3000)
            .map(|i| {
                let body = format!("message {i} {}", "words ".repeat(20));
                super::super::testing::inbound(ALICE, "bob@example.org", &body, i)
            })
            .collect();
        store.insert_messages(history).await.unwrap();
    });
    // When the store's thread has closed the connection, SQLite has moved the WAL into
    // the file and removed it.
    let wal = dir.join("natter.sqlite-wal");
    for _ in 0..500 {
        if !wal.exists() {
            return path;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the store was not closed within 5 s");
}

/// Damage done to a copy of a good store by `harm`; the store must refuse it and leave
/// every byte as it was.
fn assert_refused_untouched(harm: impl Fn(&mut Vec<u8>)) {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_history(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    harm(&mut bytes);
    fs::write(&path, &bytes).unwrap();

    match Store::open(&path) {
        Err(StoreError::Corrupt { path: p }) => assert_eq!(p, path),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert_eq!(fs::read(&path).unwrap(), bytes, "not one byte changed");
    assert!(!dir.path().join("natter.sqlite-wal").exists());
}

#[test]
fn a_truncated_store_is_refused_and_left_untouched() {
    assert_refused_untouched(|bytes| bytes.truncate(bytes.len() / 2));
}

#[test]
fn a_store_with_an_overwritten_page_is_refused_and_left_untouched() {
    assert_refused_untouched(|bytes| {
        let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
        let middle = bytes.len() / page / 2 * page;
        for (i, b) in bytes[middle..middle + page].iter_mut().enumerate() {
            *b = (i * 7919 % 251) as u8;
        }
    });
}

#[test]
fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    raw(&path)
        .execute_batch("CREATE TABLE cookies (name TEXT)")
        .unwrap();
    let before = fs::read(&path).unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::Corrupt { .. })
    ));
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn an_empty_existing_file_becomes_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.sqlite");
    fs::write(&path, b"").unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(user_version(&raw(&path)).unwrap(), SCHEMA_VERSION);
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let (dir, store) = temp_store();
    let path = dir.path().join("natter.sqlite");
    drop(store);
    raw(&path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();

    let expected = StoreError::TooNew {
        found: SCHEMA_VERSION + 1,
        supported: SCHEMA_VERSION,
    };
    assert_eq!(Store::open(&path).unwrap_err(), expected);
    assert_eq!(Store::open_read_only(&path).unwrap_err(), expected);
    assert!(expected.to_string().contains("newer version of Natter"));
}

#[test]
fn read_only_open_refuses_an_older_schema_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    raw(&path).execute_batch("SELECT 1").unwrap();
    assert!(matches!(
        Store::open_read_only(&path),
        Err(StoreError::Open { .. })
    ));
    let missing = dir.path().join("missing.sqlite");
    assert!(matches!(
        Store::open_read_only(&missing),
        Err(StoreError::Open { .. })
    ));
    assert!(!missing.exists(), "a read-only open never creates the file");
}

#[tokio::test]
async fn a_read_only_store_reads_beside_a_running_session_and_refuses_writes() {
    let (dir, store) = temp_store();
    let path = dir.path().join("natter.sqlite");
    store.set_setting("lang", "de").await.unwrap();

    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.setting("lang").await.unwrap().as_deref(), Some("de"));
    store.set_setting("lang", "ru").await.unwrap();
    assert_eq!(reader.setting("lang").await.unwrap().as_deref(), Some("ru"));
    assert_eq!(
        reader.set_setting("lang", "es").await,
        Err(StoreError::ReadOnly)
    );
    assert_eq!(
        reader.save_account(Account::new(j(ALICE))).await,
        Err(StoreError::ReadOnly)
    );
    assert_eq!(store.setting("lang").await.unwrap().as_deref(), Some("ru"));
}

#[tokio::test]
async fn writes_to_a_query_only_connection_report_read_only() {
    let (_dir, store) = temp_store();
    store
        .call(|c| c.pragma_update(None, "query_only", "ON"))
        .await
        .unwrap();
    let err = store.set_setting("k", "v").await.unwrap_err();
    assert_eq!(err, StoreError::ReadOnly);
    assert!(err.to_string().contains("read-only"));
}

#[tokio::test]
async fn a_read_only_file_is_refused_for_writing() {
    use std::os::unix::fs::PermissionsExt;

    let (dir, store) = temp_store();
    store.set_setting("k", "v").await.unwrap();
    // Move everything from the WAL into the main file, which is all the copy takes.
    store
        .call(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
        .await
        .unwrap();
    let copy = dir.path().join("copy.sqlite");
    fs::copy(dir.path().join("natter.sqlite"), &copy).unwrap();
    fs::set_permissions(&copy, fs::Permissions::from_mode(0o444)).unwrap();

    // Root ignores file modes: then the open succeeds and that is correct too.
    let writable = fs::OpenOptions::new().write(true).open(&copy).is_ok();
    match Store::open(&copy) {
        Err(e) => {
            assert!(!writable, "{e:?}");
            assert_eq!(e, StoreError::ReadOnly);
        }
        Ok(store) => {
            assert!(writable, "a read-only file opened for writing");
            assert_eq!(store.setting("k").await.unwrap().as_deref(), Some("v"));
        }
    }
    let reader = Store::open_read_only(&copy).unwrap();
    assert_eq!(
        reader.set_setting("k", "w").await,
        Err(StoreError::ReadOnly)
    );
}

#[tokio::test]
async fn a_full_disk_is_reported_and_earlier_data_survives() {
    use crate::model::ChatMessage;

    let (_dir, store) = temp_store();
    store.save_account(Account::new(j(ALICE))).await.unwrap();
    let first = super::super::testing::inbound(ALICE, "bob@example.org", "kept", 1);
    assert_eq!(store.insert_messages(vec![first]).await.unwrap().len(), 1);

    let pages: i64 = store
        .call(|c| c.pragma_query_value(None, "page_count", |r| r.get(0)))
        .await
        .unwrap();
    store
        .call(move |c| c.pragma_update(None, "max_page_count", pages + 2))
        .await
        .unwrap();
    let burst: Vec<ChatMessage> = (0..2_000)
        .map(|i| {
            let body = format!("message {i} {}", "x".repeat(500));
            super::super::testing::inbound(ALICE, "bob@example.org", &body, 10 + i)
        })
        .collect();
    let err = store.insert_messages(burst).await.unwrap_err();
    assert_eq!(err, StoreError::DiskFull);
    assert!(err.to_string().contains("disk is full"));

    assert_eq!(
        store.message_count(&j(ALICE)).await.unwrap(),
        1,
        "the batch was rolled back"
    );
    let history = store
        .history(&j(ALICE), &j("bob@example.org"), None, 10)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].body, "kept");
    store.set_setting("still", "works").await.unwrap();
}

#[test]
fn error_texts_are_sentences_for_people() {
    let errors = [
        StoreError::Open {
            path: "/x/natter.sqlite".into(),
            reason: "no access".into(),
        },
        StoreError::Corrupt {
            path: "/x/natter.sqlite".into(),
        },
        StoreError::TooNew {
            found: 3,
            supported: 1,
        },
        StoreError::DiskFull,
        StoreError::ReadOnly,
        StoreError::Sqlite("database is locked".into()),
        StoreError::Closed,
        StoreError::Invalid("direction “sideways”".into()),
    ];
    for e in errors {
        let text = e.to_string();
        assert!(
            text.starts_with(char::is_uppercase) && text.ends_with('.'),
            "{text}"
        );
        let russian = crate::i18n::testing::in_language("ru", || e.to_string());
        assert!(
            russian.starts_with(char::is_uppercase) && russian.ends_with('.'),
            "{russian}"
        );
        assert_ne!(russian, text, "{e:?} has no Russian text");
    }
}

#[test]
fn error_texts_are_in_the_persons_language() {
    let e = StoreError::TooNew {
        found: 7,
        supported: 3,
    };
    assert_eq!(
        e.to_string(),
        "The message store was written by a newer version of Natter (schema 7, this version \
         knows up to 3); please update Natter."
    );
    assert_eq!(
        crate::i18n::testing::in_language("ru", || e.to_string()),
        "Хранилище сообщений записано более новой версией Natter (схема 7, эта версия знает \
         схемы до 3); обновите Natter."
    );
    assert_eq!(
        crate::i18n::testing::in_language("de", || StoreError::DiskFull.to_string()),
        "Der Datenträger ist voll, daher konnte die Änderung nicht gespeichert werden."
    );
}
