//! The search index: exact after every change, in every script, newest first.

use super::*;

#[test]
fn search_text_becomes_quoted_phrases() {
    let cases = [
        ("hello world", Some(r#""hello" "world""#)),
        (r#"say "hi""#, Some(r#""say" """hi""""#)),
        ("* - ( )", None),
        ("", None),
        ("NEAR(a", Some(r#""NEAR(a""#)),
        ("a\0b\u{7}c", Some(r#""a" "b" "c""#)),
        // Scripts without spaces: each character apart, so the phrase finds the word.
        ("高兴 ok", Some(r#"" 高  兴 " "ok""#)),
    ];
    let account = "a@b"; // 61 40 62
    for (input, expected) in cases {
        let expected = expected.map(|p| format!("body : ({p})"));
        assert_eq!(fts_query(input, &j(account), None), expected, "{input:?}");
    }
    assert_eq!(
        fts_query("hi", &j(account), Some(&j("ü@x"))).as_deref(),
        Some(r#"body : ("hi") AND scope : "c614062xC3BC4078""#),
        "a conversation's token names the account and the peer"
    );
}

/// A small deterministic generator (xorshift64*) for the order tests.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Asks SQLite's FTS5 to compare its index with the messages (`rank` 1: the content too).
async fn assert_index_matches_messages(store: &Store) {
    store
        .call(|c| {
            c.execute(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
                [],
            )
        })
        .await
        .expect("the full-text index matches the messages");
}

#[tokio::test]
async fn search_is_newest_first_by_time_across_out_of_order_inserts() {
    let (_dir, store) = store_with_accounts().await;
    let mut rng = Rng(0x5eed_0f0d_e5c0_0001);
    let peers = [CAROL, "dave@example.org", "erin@example.org"];
    let words = ["apple", "pear", "plum", "fig"];
    // 900 messages in batches of 1 to 60, in no order of time: many share a second or a
    // millisecond, archive pages arrive after newer live messages.
    let mut all: Vec<ChatMessage> = (0..900)
        .map(|i| {
            let (account, peer) = if rng.below(10) == 0 {
                (BOB, CAROL)
            } else {
                (ALICE, peers[rng.below(3) as usize])
            };
            let mut sent_at = 1_700_000_000_000 + rng.below(600) as i64 * 1_000;
            if rng.below(3) > 0 {
                sent_at += rng.below(3) as i64;
            }
            let body: Vec<&str> = words
                .iter()
                .copied()
                .filter(|_| rng.below(3) == 0)
                .chain([if i % 2 == 0 { "even" } else { "odd" }])
                .collect();
            inbound(account, peer, &body.join(" "), sent_at)
        })
        .collect();
    let mut stored = Vec::new();
    while !all.is_empty() {
        let n = (1 + rng.below(60) as usize).min(all.len());
        let batch: Vec<_> = (0..n)
            .map(|_| all.swap_remove(rng.below(all.len() as u64) as usize))
            .collect();
        stored.extend(store.insert_messages(batch).await.unwrap());
    }

    let expected = |account: &str, peer: Option<&str>, query: &[&str], limit: usize| {
        let mut found: Vec<&ChatMessage> = stored
            .iter()
            .filter(|m| m.account.as_str() == account && peer.is_none_or(|p| m.peer.as_str() == p))
            .filter(|m| query.iter().all(|w| m.body.split(' ').any(|b| b == *w)))
            .collect();
        found.sort_by_key(|m| std::cmp::Reverse((m.sent_at, m.local_id)));
        found
            .into_iter()
            .take(limit)
            .map(|m| m.local_id)
            .collect::<Vec<_>>()
    };
    let queries: [&[&str]; 5] = [
        &["apple"],
        &["pear", "plum"],
        &["fig", "odd"],
        &["even"],
        &["kiwi"],
    ];
    for account in [ALICE, BOB] {
        for peer in [None, Some(CAROL), Some("erin@example.org")] {
            for query in queries {
                for limit in [1, 7, 50, 10_000] {
                    let found: Vec<i64> = store
                        .search(&j(account), peer.map(j).as_ref(), &query.join(" "), limit)
                        .await
                        .unwrap()
                        .iter()
                        .map(|m| m.local_id)
                        .collect();
                    assert_eq!(
                        found,
                        expected(account, peer, query, limit),
                        "{account} {peer:?} {query:?} limit {limit}"
                    );
                }
            }
        }
    }
    assert_index_matches_messages(&store).await;
}

#[tokio::test]
async fn a_word_common_elsewhere_is_found_in_the_one_conversation_that_has_it_rarely() {
    let (_dir, store) = store_with_accounts().await;
    let mut msgs: Vec<_> = (0..2_000)
        .map(|i| inbound(ALICE, "dave@example.org", "invoice attached", 10 + i))
        .collect();
    msgs.insert(700, inbound(ALICE, CAROL, "the invoice, finally", 5));
    msgs.push(inbound(ALICE, CAROL, "no such word here", 3_000));
    msgs.push(inbound(BOB, CAROL, "bob's invoice", 3_001));
    store.insert_messages(msgs).await.unwrap();

    let found = store
        .search(&j(ALICE), Some(&j(CAROL)), "invoice", 50)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].body, "the invoice, finally");
    let bobs = store.search(&j(BOB), None, "invoice", 50).await.unwrap();
    assert_eq!(bobs.len(), 1, "another account's hits are not this one's");
    assert_eq!(
        store
            .search(&j(ALICE), None, "invoice", 50)
            .await
            .unwrap()
            .len(),
        50
    );
}

#[tokio::test]
async fn times_at_the_edges_and_a_full_millisecond_are_stored_and_found() {
    let (_dir, store) = store_with_accounts().await;
    let at = 1_700_000_000_000;
    // Fill the millisecond `at` the cheap way: a key at its very end, as if 2^20 messages
    // had been stored in it (no message row: the order table alone decides the next key).
    let last = super::super::super::messages::order_base(at) + (1 << 20) - 1;
    store
        .call(move |c| {
            c.execute(
                "INSERT INTO message_order (key, message_id) VALUES (?1, -1)",
                [last],
            )
        })
        .await
        .unwrap();
    let stored = store
        .insert_messages(vec![
            inbound(ALICE, CAROL, "edge one", at),
            inbound(ALICE, CAROL, "edge two", at),
            inbound(ALICE, CAROL, "edge min", i64::MIN),
            inbound(ALICE, CAROL, "edge max", i64::MAX - 5),
            inbound(ALICE, CAROL, "edge before 1970", -86_400_000),
        ])
        .await
        .unwrap();
    assert_eq!(stored.len(), 5);
    store
        .call(|c| c.execute("DELETE FROM message_order WHERE message_id = -1", []))
        .await
        .unwrap();
    let mut found: Vec<String> = store
        .search(&j(ALICE), Some(&j(CAROL)), "edge", 50)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "edge before 1970",
            "edge max",
            "edge min",
            "edge one",
            "edge two"
        ]
    );
    assert_index_matches_messages(&store).await;
}

#[tokio::test]
async fn deleting_and_editing_messages_keeps_the_index_exact() {
    let (_dir, store) = store_with_accounts().await;
    let msgs: Vec<_> = (0..300)
        .map(|i| {
            inbound(
                if i % 3 == 0 { BOB } else { ALICE },
                CAROL,
                "plain words",
                i,
            )
        })
        .collect();
    store.insert_messages(msgs).await.unwrap();
    store
        .call(|c| {
            c.execute(
                "UPDATE messages SET body = 'changed text' WHERE id % 7 = 0",
                [],
            )
        })
        .await
        .unwrap();
    assert_index_matches_messages(&store).await;
    let changed = store
        .search(&j(ALICE), None, "changed", 1_000)
        .await
        .unwrap();
    assert!(!changed.is_empty() && changed.iter().all(|m| m.body == "changed text"));

    assert!(store.remove_account(&j(BOB)).await.unwrap());
    assert_index_matches_messages(&store).await;
    assert!(
        store
            .search(&j(BOB), None, "plain", 10)
            .await
            .unwrap()
            .is_empty()
    );
    let orphans: i64 = store
        .call(|c| {
            c.query_row(
                "SELECT count(*) FROM message_order WHERE message_id NOT IN \
                 (SELECT id FROM messages)",
                [],
                |r| r.get(0),
            )
        })
        .await
        .unwrap();
    assert_eq!(orphans, 0, "a deleted message leaves no order key behind");
    let alices = store.search(&j(ALICE), None, "plain", 1_000).await.unwrap();
    assert_eq!(alices.len() + changed.len(), 200);
}

#[tokio::test]
async fn a_word_inside_chinese_or_japanese_text_is_found_and_the_index_stays_exact() {
    let (_dir, store) = store_with_accounts().await;
    store
        .insert_messages(vec![
            inbound(ALICE, CAROL, "我今天很高兴见到你", 1),
            inbound(ALICE, CAROL, "高楼很兴旺", 2),
            inbound(ALICE, CAROL, "明天去东京，好吗？", 3),
            inbound(ALICE, CAROL, "新しいiPhone手机を買った", 4),
            inbound(ALICE, CAROL, "한국어를 배워요", 5),
            inbound(ALICE, CAROL, "plain words", 6),
        ])
        .await
        .unwrap();
    let found = |text: &'static str| {
        let store = store.clone();
        async move {
            let hits = store
                .search(&j(ALICE), Some(&j(CAROL)), text, 10)
                .await
                .unwrap();
            hits.into_iter().map(|m| m.sent_at).collect::<Vec<_>>()
        }
    };
    // A two-character word in the middle of a sentence; its characters apart are no match.
    assert_eq!(found("高兴").await, [1]);
    assert_eq!(found("高").await, [2, 1]);
    assert_eq!(found("兴高").await, Vec::<i64>::new());
    assert_eq!(found("东京").await, [3]);
    assert_eq!(found("手机").await, [4]);
    assert_eq!(found("iPhone").await, [4]);
    assert_eq!(found("買った").await, [4]);
    assert_eq!(found("한국").await, [5]);
    // Several words are ANDed as before, across scripts.
    assert_eq!(found("今天 见到").await, [1]);
    assert_eq!(found("东京 plain").await, Vec::<i64>::new());
    assert_eq!(found("words").await, [6]);
    assert_index_matches_messages(&store).await;

    // Editing and deleting such messages keeps the index exact (the triggers split alike).
    store
        .call(|c| {
            c.execute(
                "UPDATE messages SET body = '改成别的内容' WHERE sent_at = 1",
                [],
            )?;
            c.execute("DELETE FROM messages WHERE sent_at = 3", [])
        })
        .await
        .unwrap();
    assert_index_matches_messages(&store).await;
    assert_eq!(found("高兴").await, Vec::<i64>::new());
    assert_eq!(found("内容").await, [1]);
    assert_eq!(found("东京").await, Vec::<i64>::new());
}
