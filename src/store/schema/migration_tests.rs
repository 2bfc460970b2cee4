//! Upgrading files written by earlier versions (fixtures/db/vN.sqlite): every row is kept as
//! it was, and what was found before is still found, in the same order.

use crate::model::address::j;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;

use super::super::Store;
use super::*;

/// A copy of `fixtures/db/<name>` in a temporary directory: a test never changes a fixture.
fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/db")
        .join(name);
    let to = dir.path().join("natter.sqlite");
    std::fs::copy(&from, &to).expect("the fixture is there");
    (dir, to)
}

/// One table's column names and rows.
type Table = (String, Vec<String>, Vec<Vec<Value>>);

/// Every row of every table a person's data lives in, in id or key order.
fn dump(conn: &Connection) -> Vec<Table> {
    let tables = [
        ("accounts", "jid"),
        ("roster", "account, jid"),
        ("requests", "account, from_jid"),
        ("messages", "id"),
        ("outbox", "message_id"),
        ("settings", "key"),
    ];
    tables
        .iter()
        .map(|(table, order)| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))
                .expect("a table of schema 1");
            let columns = stmt.column_names().map(String::from).collect();
            let width = stmt.column_count();
            let rows = stmt
                .query_map([], |row| (0..width).map(|i| row.get(i)).collect())
                .expect("rows")
                .collect::<Result<Vec<Vec<Value>>, _>>()
                .expect("rows");
            (table.to_string(), columns, rows)
        })
        .collect()
}

/// The upgraded file at `conn` holds every row of `rows_before` as it was, and SQLite finds it
/// intact.
fn every_row_as_before_and_intact(conn: &Connection, rows_before: &[Table]) {
    assert_eq!(
        as_before(dump(conn), rows_before),
        rows_before,
        "every row as it was"
    );
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

/// `after` with only the columns `before` had, in its order: a later schema may add columns
/// (schema 4 adds two to `accounts`) but never changes what was there.
fn as_before(after: Vec<Table>, before: &[Table]) -> Vec<Table> {
    after
        .into_iter()
        .zip(before)
        .map(|((table, columns, rows), (_, kept, _))| {
            let at: Vec<usize> = kept
                .iter()
                .map(|name| {
                    columns
                        .iter()
                        .position(|c| c == name)
                        .unwrap_or_else(|| panic!("{table}.{name} is gone"))
                })
                .collect();
            let rows = rows
                .into_iter()
                .map(|row| at.iter().map(|&i| row[i].clone()).collect())
                .collect();
            (table, kept.clone(), rows)
        })
        .collect()
}

/// What version 1's search found: every hit sorted by time (its SEARCH in store/history.rs,
/// with its query text: the words as ANDed phrases).
fn v1_search(conn: &Connection, account: &str, peer: Option<&str>, words: &str) -> Vec<i64> {
    let query: Vec<String> = words.split(' ').map(|w| format!("\"{w}\"")).collect();
    let mut stmt = conn
        .prepare(
            "SELECT id FROM (SELECT rowid AS hit FROM messages_fts WHERE messages_fts MATCH ?1) \
             CROSS JOIN messages ON messages.id = hit \
             WHERE account = ?2 AND (?3 IS NULL OR peer = ?3) \
             ORDER BY sent_at DESC, id DESC LIMIT ?4",
        )
        .expect("version 1's search");
    stmt.query_map(rusqlite::params![query.join(" "), account, peer, 50], |r| {
        r.get(0)
    })
    .expect("hits")
    .collect::<Result<_, _>>()
    .expect("hits")
}

const SEARCHES: [(&str, Option<&str>, &str); 10] = [
    ("alice@example.org", None, "coffee"),
    ("alice@example.org", None, "the"),
    ("alice@example.org", None, "late coffee"),
    ("alice@example.org", Some("carol@example.org"), "meeting"),
    ("alice@example.org", Some("carol@example.org"), "cafe"),
    ("alice@example.org", Some("carol@example.org"), "Straße"),
    ("alice@example.org", Some("dave@example.org"), "coffee"),
    ("alice@example.org", Some("li@example.cn"), "coffee"),
    ("alice@work.example", None, "coffee"),
    ("alice@work.example", Some("carol@example.org"), "meeting"),
];

#[tokio::test]
async fn a_version_1_store_is_upgraded_keeping_every_row_and_every_search_result() {
    let (_dir, path) = fixture("v1.sqlite");
    let (rows_before, found_before) = {
        let conn = Connection::open(&path).expect("raw connection");
        assert_eq!(user_version(&conn).unwrap(), 1);
        let found: Vec<Vec<i64>> = SEARCHES
            .iter()
            .map(|(account, peer, words)| v1_search(&conn, account, *peer, words))
            .collect();
        (dump(&conn), found)
    };
    assert!(
        found_before.iter().filter(|hits| hits.len() == 50).count() >= 2
            && found_before.iter().all(|hits| !hits.is_empty()),
        "the searches find something, some more than a page: {found_before:?}"
    );

    let store = Store::open(&path).expect("the old store opens");
    for ((account, peer, words), before) in SEARCHES.iter().zip(&found_before) {
        let found: Vec<i64> = store
            .search(&j(account), peer.map(j).as_ref(), words, 50)
            .await
            .unwrap()
            .iter()
            .map(|m| m.local_id)
            .collect();
        assert_eq!(&found, before, "{account} {peer:?} {words:?}");
    }
    let outbox = store.outbox(&j("alice@example.org")).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].body, "queued coffee for dave");
    store
        .call(|c| {
            c.execute(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
        })
        .await
        .expect("the new index matches the messages");
    drop(store);

    let conn = Connection::open(&path).expect("raw connection");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    assert_eq!(
        as_before(dump(&conn), &rows_before),
        rows_before,
        "every row as it was, ids and order included"
    );
    // Every message has an order key, and the keys sort the messages as (sent_at, id) does.
    let by_key: Vec<i64> = conn
        .prepare("SELECT message_id FROM message_order ORDER BY key")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let by_time: Vec<i64> = conn
        .prepare("SELECT id FROM messages ORDER BY sent_at, id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(by_key, by_time);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn an_upgraded_store_gives_new_messages_their_place_among_the_migrated_ones() {
    let (_dir, path) = fixture("v1.sqlite");
    let store = Store::open(&path).expect("the old store opens");
    // Sent before everything in the fixture, and at the same millisecond as its first message.
    let early = super::super::testing::inbound(
        "alice@example.org",
        "carol@example.org",
        "coffee from long ago",
        1_000,
    );
    let tie = super::super::testing::inbound(
        "alice@example.org",
        "carol@example.org",
        "coffee at the first millisecond",
        1_700_000_000_000,
    );
    let stored = store.insert_messages(vec![early, tie]).await.unwrap();
    assert_eq!(stored.len(), 2);
    let all = store
        .search(
            &j("alice@example.org"),
            Some(&j("carol@example.org")),
            "coffee",
            10_000,
        )
        .await
        .unwrap();
    let mut expected = all.clone();
    expected.sort_by_key(|m| std::cmp::Reverse((m.sent_at, m.local_id)));
    assert_eq!(all, expected);
    assert_eq!(
        all.last().map(|m| m.body.as_str()),
        Some("coffee from long ago")
    );
    let first_ms: Vec<&str> = all
        .iter()
        .filter(|m| m.sent_at == 1_700_000_000_000)
        .map(|m| m.body.as_str())
        .collect();
    assert_eq!(
        first_ms.first().copied(),
        Some("coffee at the first millisecond"),
        "a tie goes after the messages stored before it: {first_ms:?}"
    );
}

#[tokio::test]
async fn a_version_2_store_is_upgraded_and_finds_words_inside_chinese_and_japanese_text() {
    use super::super::messages::{index_bodies, insert};
    use super::super::testing::inbound;
    let (_dir, path) = fixture("v2.sqlite");
    let (account, peer) = ("alice@example.org", "li@example.cn");
    let rows_before = {
        let conn = Connection::open(&path).expect("raw connection");
        assert_eq!(user_version(&conn).unwrap(), 2);
        // Stored as schema 2 stored them: the same insert and the same index statement, under
        // the view of schema 2 (the body as it is: a sentence is one token there).
        let ids: Vec<i64> = ["我今天很高兴见到你", "明天去東京へ行く", "한국어를 배워요"]
            .iter()
            .enumerate()
            .map(|(i, body)| {
                let sent_at = 1_800_000_000_000 + i as i64;
                insert(&conn, &inbound(account, peer, body, sent_at)).expect("insert")
            })
            .collect();
        index_bodies(&conn, &ids).expect("index");
        let unfound: i64 = conn
            .query_row(
                "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH '\"高兴\"'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(unfound, 0, "schema 2 did not find a word inside a sentence");
        dump(&conn)
    };

    let store = Store::open(&path).expect("the version 2 store opens");
    let found = |text: &'static str| {
        let store = store.clone();
        async move {
            let hits = store
                .search(&j(account), Some(&j(peer)), text, 50)
                .await
                .unwrap();
            hits.into_iter().map(|m| m.body).collect::<Vec<_>>()
        }
    };
    assert_eq!(found("高兴").await, ["我今天很高兴见到你"]);
    assert_eq!(found("東京").await, ["明天去東京へ行く"]);
    assert_eq!(found("한국").await, ["한국어를 배워요"]);
    // What schema 2 found is still found: the fixture's Chinese words, written with spaces.
    assert_eq!(found("会议").await.len(), 30);
    assert_eq!(found("coffee").await.len(), 30);
    store
        .call(|c| {
            c.execute(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
        })
        .await
        .expect("the index matches the messages after the upgrade");
    drop(store);
    let conn = Connection::open(&path).expect("raw connection");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    assert_eq!(
        as_before(dump(&conn), &rows_before),
        rows_before,
        "every row as it was"
    );
}

#[tokio::test]
async fn a_version_3_store_is_upgraded_remembering_no_sign_in_method_yet() {
    use crate::model::AuthMethod;
    let (_dir, path) = fixture("v3.sqlite");
    let rows_before = {
        let conn = Connection::open(&path).expect("raw connection");
        assert_eq!(user_version(&conn).unwrap(), 3);
        dump(&conn)
    };

    let store = Store::open(&path).expect("the version 3 store opens");
    let accounts = store.accounts().await.expect("the accounts read");
    let seen: Vec<(&str, bool, Option<AuthMethod>, bool)> = accounts
        .iter()
        .map(|a| (a.jid.as_str(), a.is_default, a.auth_method, a.allow_plain))
        .collect();
    assert_eq!(
        seen,
        [
            ("alice@example.org", true, None, false),
            ("alice@work.example", false, None, false)
        ],
        "nothing has signed in under schema 4 yet, and nothing is allowed that was not"
    );
    // The first sign-in after the upgrade is remembered.
    let now = store
        .raise_auth_method(&j("alice@example.org"), AuthMethod::Scram)
        .await
        .expect("remembered");
    assert_eq!(now, Some(AuthMethod::Scram));
    assert_eq!(
        store
            .search(&j("alice@example.org"), None, "coffee", 50)
            .await
            .unwrap()
            .len(),
        50
    );
    drop(store);

    let conn = Connection::open(&path).expect("raw connection");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    every_row_as_before_and_intact(&conn, &rows_before);
}

#[tokio::test]
async fn a_version_4_store_is_upgraded_and_catches_up_where_its_last_catch_up_ended() {
    let (_dir, path) = fixture("v4.sqlite");
    let (rows_before, stored_last) = {
        let conn = Connection::open(&path).expect("raw connection");
        assert_eq!(user_version(&conn).unwrap(), 4);
        let stored_last: (Option<crate::model::MessageId>, i64) = conn
            .query_row(
                "SELECT stanza_id, sent_at FROM messages WHERE account = 'alice@example.org' \
                 AND stanza_id IS NOT NULL ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?.map(|s| s.as_str().into()),
                        r.get(1)?,
                    ))
                },
            )
            .expect("the fixture has archived messages");
        (dump(&conn), stored_last)
    };

    let store = Store::open(&path).expect("the version 4 store opens");
    assert_eq!(
        store.last_archived(&j("alice@example.org")).await.unwrap(),
        Some(stored_last.clone()),
        "no anchor kept yet: the archived message stored last"
    );
    store
        .insert_received(
            &j("alice@example.org"),
            vec![],
            Some((Some("after-upgrade".into()), 7)),
        )
        .await
        .expect("the anchor moves");
    assert_eq!(
        store.last_archived(&j("alice@example.org")).await.unwrap(),
        Some((Some("after-upgrade".into()), 7))
    );
    assert_eq!(
        store
            .last_archived(&j("alice@work.example"))
            .await
            .unwrap()
            .is_some(),
        stored_last_of(&path, "alice@work.example"),
        "the other account still starts where it ended"
    );
    drop(store);

    let conn = Connection::open(&path).expect("raw connection");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    every_row_as_before_and_intact(&conn, &rows_before);
}

/// Whether `account` has an archived message in the store at `path`.
fn stored_last_of(path: &std::path::Path, account: &str) -> bool {
    let conn = Connection::open(path).expect("raw connection");
    conn.query_row(
        "SELECT count(*) FROM messages WHERE account = ?1 AND stanza_id IS NOT NULL",
        [account],
        |r| r.get::<_, i64>(0),
    )
    .expect("a count")
        > 0
}

#[tokio::test]
async fn a_version_5_store_is_upgraded_and_approves_ahead_only_what_the_person_said() {
    let (_dir, path) = fixture("v5.sqlite");
    let rows_before = {
        let conn = Connection::open(&path).expect("raw connection");
        assert_eq!(user_version(&conn).unwrap(), 5);
        dump(&conn)
    };

    let store = Store::open(&path).expect("the version 5 store opens");
    let (alice, carol) = (j("alice@example.org"), j("carol-new@example.org"));
    let request = |from: &crate::model::BareJid| crate::model::SubscriptionRequest {
        from: from.clone(),
        nick: None,
        message: None,
        received_at: 1,
        state: crate::model::RequestState::Pending,
    };
    assert_eq!(
        store.add_request(&alice, request(&carol)).await.unwrap(),
        crate::store::Added::Pending,
        "nothing approved in advance after the upgrade"
    );
    let dave = j("dave-new@example.org");
    store.approve_ahead(&alice, &dave, 2).await.unwrap();
    assert_eq!(
        store.add_request(&alice, request(&dave)).await.unwrap(),
        crate::store::Added::ApprovedAhead
    );
    drop(store);

    let conn = Connection::open(&path).expect("raw connection");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    // The two requests of this test go; everything from before must be there as it was.
    conn.execute(
        "DELETE FROM requests WHERE from_jid IN ('carol-new@example.org', 'dave-new@example.org')",
        [],
    )
    .unwrap();
    every_row_as_before_and_intact(&conn, &rows_before);
}

#[tokio::test]
async fn a_version_6_store_is_upgraded_and_takes_corrections_retractions_and_reactions() {
    let (_dir, path) = fixture("v6.sqlite");
    let rows_before = {
        let conn = Connection::open(&path).expect("raw connection");
        assert_eq!(user_version(&conn).unwrap(), 6);
        dump(&conn)
    };
    let store = Store::open(&path).expect("the version 6 store opens");
    let (alice, carol) = (j("alice@example.org"), j("carol@example.org"));
    // Carol's message r10 ("café train #10") of the fixture, corrected and reacted to; r1
    // retracted.
    let change = |id: &str, amends: crate::model::Amendment, body: &str| {
        let mut m = crate::model::ChatMessage::outbound(
            alice.clone(),
            carol.clone(),
            body.into(),
            id.into(),
            9_000_000_000_000,
        );
        m.direction = crate::model::Direction::In;
        m.extras.amends = Some(amends);
        m
    };
    use crate::model::Amendment::{Correction, Reactions, Retraction};
    let done = store
        .insert_received(
            &alice,
            vec![
                change(
                    "c1",
                    Correction {
                        target: "r10".into(),
                    },
                    "café bus #10",
                ),
                change(
                    "x1",
                    Retraction {
                        target: "r1".into(),
                    },
                    "",
                ),
                change(
                    "e1",
                    Reactions {
                        target: "r10".into(),
                        emoji: vec!["🚌".into()],
                    },
                    "",
                ),
            ],
            None,
        )
        .await
        .expect("the changes apply");
    assert_eq!(done.changes.len(), 3);
    let hits = |words: &'static str| {
        let (store, alice) = (store.clone(), alice.clone());
        async move { store.search(&alice, None, words, 400).await.unwrap() }
    };
    assert!(hits("bus").await.iter().any(|m| m.body == "café bus #10"));
    assert!(
        !hits("train")
            .await
            .iter()
            .any(|m| m.remote_id.as_deref() == Some("r10"))
    );
    assert!(
        !hits("late")
            .await
            .iter()
            .any(|m| m.remote_id.as_deref() == Some("r1"))
    );
    drop(store);

    let conn = Connection::open(&path).expect("raw connection");
    assert_eq!(user_version(&conn).unwrap(), SCHEMA_VERSION);
    let mut after = as_before(dump(&conn), &rows_before);
    // Only the two changed bodies differ from the fixture.
    let messages = after.iter_mut().find(|t| t.0 == "messages").unwrap();
    let body = messages.1.iter().position(|c| c == "body").unwrap();
    for row in &mut messages.2 {
        if row[0] == Value::Integer(2) || row[0] == Value::Integer(11) {
            row[body] = Value::Null;
        }
    }
    let mut before = rows_before.clone();
    let messages = before.iter_mut().find(|t| t.0 == "messages").unwrap();
    for row in &mut messages.2 {
        if row[0] == Value::Integer(2) || row[0] == Value::Integer(11) {
            row[body] = Value::Null;
        }
    }
    assert_eq!(after, before, "every other row as it was");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
