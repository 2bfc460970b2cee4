//! Tests of storing messages: the duplicate rules, stanza-id backfill and batch behaviour.

use super::super::testing::{ALICE, BOB, inbound, outbound, query_plan, store_with_accounts};
use super::*;
use crate::model::address::j;

const CAROL: &str = "carol@example.org";

fn with_ids(
    msg: ChatMessage,
    remote: Option<&str>,
    origin: Option<&str>,
    stanza: Option<&str>,
) -> ChatMessage {
    ChatMessage {
        remote_id: remote.map(Into::into),
        origin_id: origin.map(Into::into),
        stanza_id: stanza.map(Into::into),
        ..msg
    }
}

fn bodies(msgs: &[ChatMessage]) -> Vec<&str> {
    msgs.iter().map(|m| m.body.as_str()).collect()
}

#[tokio::test]
async fn a_batch_returns_only_new_messages_in_input_order_with_ids() {
    let (_dir, store) = store_with_accounts().await;
    let a = with_ids(inbound(ALICE, CAROL, "a", 10), None, None, Some("s-a"));
    let b = with_ids(inbound(ALICE, CAROL, "b", 5), None, None, Some("s-b"));
    let stored = store
        .insert_messages(vec![a.clone(), b.clone(), a.clone()])
        .await
        .unwrap();
    assert_eq!(bodies(&stored), ["a", "b"]);
    assert!(stored[0].local_id > 0 && stored[1].local_id > stored[0].local_id);
    assert_eq!(
        ChatMessage {
            local_id: 0,
            ..stored[0].clone()
        },
        a
    );

    let again = store.insert_messages(vec![b, a]).await.unwrap();
    assert!(again.is_empty());
    assert_eq!(store.message_count(&j(ALICE)).await.unwrap(), 2);
}

#[tokio::test]
async fn the_same_stanza_id_is_a_duplicate_only_within_one_account() {
    let (_dir, store) = store_with_accounts().await;
    let m = with_ids(
        inbound(ALICE, CAROL, "hi", 10),
        Some("r1"),
        None,
        Some("s1"),
    );
    store.insert_messages(vec![m.clone()]).await.unwrap();
    // Different body, other peer, same archive id: the archive says it is the same message.
    let copy = ChatMessage {
        body: "edited?".into(),
        peer: j("x@example.org"),
        ..m.clone()
    };
    assert!(store.insert_messages(vec![copy]).await.unwrap().is_empty());
    let other_account = ChatMessage {
        account: j(BOB),
        ..m
    };
    assert_eq!(
        store
            .insert_messages(vec![other_account])
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_archive_echo_of_a_sent_message_gives_it_its_stanza_id() {
    let (_dir, store) = store_with_accounts().await;
    let sent = store
        .queue_outbound(outbound(ALICE, CAROL, "hello", "o1"))
        .await
        .unwrap();
    store
        .set_delivery(&j(ALICE), &"o1".into(), Delivery::Delivered)
        .await
        .unwrap();

    let echo = ChatMessage {
        delivery: Delivery::Sent,
        delayed: true,
        ..with_ids(
            outbound(ALICE, CAROL, "hello", "o1"),
            Some("o1"),
            Some("o1"),
            Some("arch-1"),
        )
    };
    assert!(store.insert_messages(vec![echo]).await.unwrap().is_empty());
    let stored = store.history(&j(ALICE), &j(CAROL), None, 10).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].local_id, sent.local_id);
    assert_eq!(stored[0].stanza_id.as_deref(), Some("arch-1"));
    assert_eq!(
        stored[0].delivery,
        Delivery::Delivered,
        "the echo does not change delivery"
    );
    assert_eq!(
        store.last_stanza_id(&j(ALICE)).await.unwrap().as_deref(),
        Some("arch-1")
    );
}

#[tokio::test]
async fn origin_id_matches_only_the_same_peer_and_direction() {
    let (_dir, store) = store_with_accounts().await;
    let m = with_ids(inbound(ALICE, CAROL, "one", 10), None, Some("o1"), None);
    store.insert_messages(vec![m.clone()]).await.unwrap();
    let cases = [
        (m.clone(), false),
        (
            ChatMessage {
                sent_at: 10 + 30 * REMOTE_ID_WINDOW,
                ..m.clone()
            },
            false,
        ),
        (
            ChatMessage {
                peer: j("dave@example.org"),
                ..m.clone()
            },
            true,
        ),
        (
            ChatMessage {
                direction: Direction::Out,
                ..m.clone()
            },
            true,
        ),
    ];
    for (msg, is_new) in cases {
        let stored = store.insert_messages(vec![msg.clone()]).await.unwrap();
        assert_eq!(stored.len() == 1, is_new, "{msg:?}");
    }
}

#[tokio::test]
async fn remote_id_matches_only_within_a_day() {
    let (_dir, store) = store_with_accounts().await;
    let day = REMOTE_ID_WINDOW;
    let m = with_ids(
        inbound(ALICE, CAROL, "one", 10 * day),
        Some("r1"),
        None,
        None,
    );
    store.insert_messages(vec![m.clone()]).await.unwrap();
    let cases = [
        (
            ChatMessage {
                sent_at: 10 * day + day - 1,
                ..m.clone()
            },
            false,
        ),
        (
            ChatMessage {
                sent_at: 9 * day + 1,
                ..m.clone()
            },
            false,
        ),
        (
            ChatMessage {
                sent_at: 11 * day + 1,
                ..m.clone()
            },
            true,
        ),
        (
            ChatMessage {
                peer: j("dave@example.org"),
                ..m.clone()
            },
            true,
        ),
        (
            ChatMessage {
                direction: Direction::Out,
                ..m.clone()
            },
            true,
        ),
        // The stored copy has no origin-id, so a copy with one still pairs with it.
        (with_ids(m.clone(), Some("r1"), Some("o9"), None), false),
        (
            ChatMessage {
                sent_at: i64::MAX,
                ..m.clone()
            },
            true,
        ),
    ];
    for (msg, is_new) in cases {
        let stored = store.insert_messages(vec![msg.clone()]).await.unwrap();
        assert_eq!(stored.len() == 1, is_new, "{msg:?}");
    }
    // Known and different origin-ids are different messages despite the same id.
    let with_origin = with_ids(
        inbound(ALICE, CAROL, "two", 20 * day),
        Some("r2"),
        Some("o1"),
        None,
    );
    let reused = with_ids(
        inbound(ALICE, CAROL, "three", 20 * day),
        Some("r2"),
        Some("o2"),
        None,
    );
    assert_eq!(
        store
            .insert_messages(vec![with_origin, reused])
            .await
            .unwrap()
            .len(),
        2
    );

    // The origin-less live copy, then the archive copy with its stanza-id: backfilled.
    let archived = with_ids(m, Some("r1"), None, Some("arch-9"));
    assert!(
        store
            .insert_messages(vec![archived])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.last_stanza_id(&j(ALICE)).await.unwrap().as_deref(),
        Some("arch-9")
    );
}

#[tokio::test]
async fn a_message_sent_again_and_archived_twice_is_one_message() {
    // The sender lost the server's ack and sent it again with the same id and origin-id; the
    // server archived both copies, under two archive ids.
    let (_dir, store) = store_with_accounts().await;
    let first = with_ids(
        inbound(ALICE, CAROL, "ok", 10),
        Some("1"),
        Some("o"),
        Some("s1"),
    );
    let again = with_ids(
        inbound(ALICE, CAROL, "ok", 20),
        Some("1"),
        Some("o"),
        Some("s2"),
    );
    let stored = store.insert_messages(vec![first, again]).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].stanza_id.as_deref(), Some("s1"));
}

#[tokio::test]
async fn an_origin_id_reused_days_later_is_a_different_message() {
    let (_dir, store) = store_with_accounts().await;
    let day = REMOTE_ID_WINDOW;
    let first = with_ids(
        inbound(ALICE, CAROL, "monday", 10),
        Some("1"),
        Some("o"),
        Some("s1"),
    );
    let later = with_ids(
        inbound(ALICE, CAROL, "thursday", 10 + 3 * day),
        Some("1"),
        Some("o"),
        Some("s2"),
    );
    let stored = store.insert_messages(vec![first, later]).await.unwrap();
    assert_eq!(stored.len(), 2);
}

#[tokio::test]
async fn messages_without_ids_are_never_deduplicated_by_body() {
    let (_dir, store) = store_with_accounts().await;
    let m = inbound(ALICE, CAROL, "ok", 10);
    let stored = store.insert_messages(vec![m.clone(), m]).await.unwrap();
    assert_eq!(stored.len(), 2);
}

#[tokio::test]
async fn each_duplicate_rule_looks_up_its_own_index() {
    let (_dir, store) = store_with_accounts().await;
    let msgs: Vec<_> = (0..300)
        .map(|i| {
            with_ids(
                inbound(ALICE, CAROL, "x", i),
                Some("r"),
                Some(&format!("o{i}")),
                None,
            )
        })
        .collect();
    store.insert_messages(msgs).await.unwrap();
    for analyze in [false, true] {
        if analyze {
            store.call(|c| c.execute_batch("ANALYZE")).await.unwrap();
        }
        let cases = [
            (
                DUP_BY_STANZA_ID,
                "messages_stanza_id (account=? AND stanza_id=?)",
            ),
            (
                DUP_BY_ORIGIN_ID,
                "messages_origin_id (account=? AND peer=? AND direction=? AND origin_id=?)",
            ),
            (
                DUP_BY_REMOTE_ID,
                "messages_remote_id (account=? AND direction=? AND remote_id=?)",
            ),
        ];
        for (sql, index) in cases {
            let plan = query_plan(&store, sql).await;
            assert!(plan.contains(index), "{plan}");
        }
        // The next order key is a seek to the end of one millisecond, not a walk of it.
        let plan = query_plan(&store, ORDER_KEY).await;
        assert!(
            plan.contains("SEARCH message_order USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"),
            "{plan}"
        );
    }
}

#[tokio::test]
async fn a_burst_of_inserts_reuses_its_prepared_statements() {
    let (_dir, store) = store_with_accounts().await;
    let burst: Vec<_> = (0..1_000)
        .map(|i| {
            let id = format!("{i}");
            with_ids(
                inbound(ALICE, CAROL, "x", i),
                Some(&id),
                Some(&id),
                Some(&id),
            )
        })
        .collect();
    store.insert_messages(burst).await.unwrap();
    let reprepared = store
        .call(|c| {
            [
                DUP_BY_STANZA_ID,
                DUP_BY_ORIGIN_ID,
                DUP_BY_REMOTE_ID,
                INSERT,
                ORDER_KEY,
            ]
            .into_iter()
            .map(|sql| {
                let stmt = c.prepare_cached(sql)?;
                Ok(stmt.get_status(rusqlite::StatementStatus::RePrepare))
            })
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .await
        .unwrap();
    assert_eq!(reprepared, [0, 0, 0, 0, 0]);
}

#[tokio::test]
async fn a_message_for_an_unknown_account_is_refused() {
    let (_dir, store) = store_with_accounts().await;
    let m = inbound("nobody@example.org", CAROL, "hi", 1);
    assert!(matches!(
        store.insert_messages(vec![m]).await,
        Err(StoreError::Sqlite(_))
    ));
}
