//! Tests of reading history back: paging, search (its order and scopes), archive position.

use super::super::testing::{ALICE, BOB, inbound, query_plan, store_with_accounts};
use super::*;
use crate::model::address::j;

const CAROL: &str = "carol@example.org";

#[tokio::test]
async fn paging_back_through_a_conversation_has_no_gaps_or_overlaps() {
    let (_dir, store) = store_with_accounts().await;
    // 250 messages; every three share a timestamp, so pages end inside a tie and only the
    // id tells the rows apart.
    let msgs: Vec<_> = (0..250)
        .map(|i| inbound(ALICE, CAROL, &format!("m{i}"), 1_000 + i / 3))
        .collect();
    store.insert_messages(msgs).await.unwrap();
    let noise: Vec<_> = (0..20)
        .map(|i| inbound(ALICE, "dave@example.org", "x", 1_050 + i))
        .collect();
    store.insert_messages(noise).await.unwrap();
    store
        .insert_messages(vec![inbound(BOB, CAROL, "bob's", 1_100)])
        .await
        .unwrap();

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .history(&j(ALICE), &j(CAROL), cursor, 50)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 50);
        assert!(
            page.windows(2)
                .all(|w| (w[0].sent_at, w[0].local_id) < (w[1].sent_at, w[1].local_id))
        );
        cursor = Some((page[0].sent_at, page[0].local_id));
        let mut bodies: Vec<String> = page.into_iter().map(|m| m.body).collect();
        bodies.append(&mut seen);
        seen = bodies;
    }
    let expected: Vec<String> = (0..250).map(|i| format!("m{i}")).collect();
    assert_eq!(seen, expected);
    assert!(
        store
            .history(&j(ALICE), &j(CAROL), None, 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .history(&j(ALICE), &j(CAROL), None, usize::MAX)
            .await
            .unwrap()
            .len(),
        250
    );
}

#[tokio::test]
async fn history_seeks_in_the_conversation_index_instead_of_scanning() {
    let (_dir, store) = store_with_accounts().await;
    let msgs: Vec<_> = (0..500)
        .map(|i| inbound(ALICE, CAROL, "hello", i))
        .collect();
    store.insert_messages(msgs).await.unwrap();
    // Once without statistics (how the store runs) and once with them.
    for analyze in [false, true] {
        if analyze {
            store.call(|c| c.execute_batch("ANALYZE")).await.unwrap();
        }
        let before = query_plan(&store, HISTORY_BEFORE).await;
        let latest = query_plan(&store, HISTORY_LATEST).await;
        for plan in [&before, &latest] {
            assert!(plan.contains("USING INDEX messages_conversation"), "{plan}");
            assert!(
                !plan.contains("SCAN") && !plan.contains("TEMP B-TREE"),
                "{plan}"
            );
        }
        assert!(
            before.contains("sent_at<?"),
            "the cursor must be a seek: {before}"
        );

        let last = query_plan(&store, LAST_STANZA_ID).await;
        assert!(last.contains("SCAN messages"), "{last}");
        assert!(
            !last.contains("TEMP B-TREE"),
            "from the end back, no sort: {last}"
        );
        let search = query_plan(&store, SEARCH).await;
        assert!(search.contains("VIRTUAL TABLE INDEX"), "{search}");
        assert!(
            search.contains("SEARCH message_order USING INTEGER PRIMARY KEY")
                && search.contains("SEARCH messages USING INTEGER PRIMARY KEY"),
            "{search}"
        );
        assert!(
            !search.contains("TEMP B-TREE"),
            "the index's own order, never a sort of every hit: {search}"
        );
    }
}

#[tokio::test]
async fn search_finds_words_newest_first_and_filters_by_peer() {
    let (_dir, store) = store_with_accounts().await;
    store
        .insert_messages(vec![
            inbound(ALICE, CAROL, "Let's meet at the café", 1),
            inbound(ALICE, "dave@example.org", "the CAFE is closed", 2),
            inbound(ALICE, CAROL, "cafeteria is not a café", 3),
            inbound(ALICE, CAROL, "nothing to see", 4),
            inbound(BOB, CAROL, "cafe for bob", 5),
        ])
        .await
        .unwrap();
    let bodies = |msgs: Vec<ChatMessage>| msgs.into_iter().map(|m| m.sent_at).collect::<Vec<_>>();
    assert_eq!(
        bodies(store.search(&j(ALICE), None, "cafe", 10).await.unwrap()),
        [3, 2, 1]
    );
    assert_eq!(
        bodies(
            store
                .search(&j(ALICE), Some(&j(CAROL)), "café", 10)
                .await
                .unwrap()
        ),
        [3, 1]
    );
    assert_eq!(
        bodies(
            store
                .search(&j(ALICE), None, "cafe closed", 10)
                .await
                .unwrap()
        ),
        [2]
    );
    assert_eq!(
        bodies(store.search(&j(ALICE), None, "cafe", 1).await.unwrap()),
        [3]
    );
    assert_eq!(
        bodies(store.search(&j(ALICE), None, "  ", 10).await.unwrap()),
        Vec::<i64>::new()
    );
}

#[tokio::test]
async fn hostile_search_text_never_makes_an_error() {
    let (_dir, store) = store_with_accounts().await;
    store
        .insert_messages(vec![
            inbound(
                ALICE,
                CAROL,
                r#"he said "foo" AND left NEAR( the * door) OR NOT"#,
                1,
            ),
            inbound(ALICE, CAROL, "body: col:x ^start {a b} - + 'quote'", 2),
        ])
        .await
        .unwrap();
    let inputs = [
        "\"foo",
        "NEAR(",
        "*",
        "AND",
        "OR",
        "NOT",
        "foo\"bar",
        "\"\"",
        "\"",
        "(",
        ")",
        "^",
        "-",
        "+",
        ":",
        "body:",
        "body: foo",
        "{body}: x",
        "col:x",
        "NEAR(foo left, 2)",
        "foo*",
        "'",
        "",
        " \t\n",
        "a\0b",
        "\u{feff}",
        "🙂",
        "AND OR NOT",
        "foo AND",
        "^start",
        "{a b}",
    ];
    for input in inputs {
        let result = store.search(&j(ALICE), None, input, 10).await;
        assert!(result.is_ok(), "{input:?}: {result:?}");
    }
    let found = |text: &'static str| {
        let store = store.clone();
        async move { store.search(&j(ALICE), None, text, 10).await.unwrap().len() }
    };
    assert_eq!(found("\"foo").await, 1);
    assert_eq!(found("AND").await, 1, "operators are words like any other");
    assert_eq!(found("NEAR(").await, 1);
    assert_eq!(found("col:x").await, 1);
    assert_eq!(
        found("* door").await,
        1,
        "a term without letters is ignored, not an error"
    );
}

#[tokio::test]
async fn the_catch_up_starts_after_the_archive_id_stored_last_never_after_a_claimed_time() {
    let (_dir, store) = store_with_accounts().await;
    assert_eq!(store.last_stanza_id(&j(ALICE)).await.unwrap(), None);
    assert_eq!(store.last_archived(&j(ALICE)).await.unwrap(), None);
    let archived = |sid: &str, sent_at| ChatMessage {
        stanza_id: Some(sid.into()),
        ..inbound(ALICE, CAROL, "x", sent_at)
    };
    // In the archive's order; one of them claims to have been sent far in the future.
    store
        .insert_messages(vec![
            archived("early", 10),
            archived("claims-the-future", 9_000_000_000_000),
            archived("late", 30),
            inbound(ALICE, CAROL, "live, not archived", 40),
            archived("other-peer", 20),
        ])
        .await
        .unwrap();
    assert_eq!(
        store.last_stanza_id(&j(ALICE)).await.unwrap().as_deref(),
        Some("other-peer")
    );
    assert_eq!(
        store.last_archived(&j(ALICE)).await.unwrap(),
        Some((Some("other-peer".into()), 20))
    );
    assert_eq!(store.last_stanza_id(&j(BOB)).await.unwrap(), None);
    assert_eq!(store.message_count(&j(ALICE)).await.unwrap(), 5);
    assert_eq!(store.message_count(&j(BOB)).await.unwrap(), 0);

    // Once an anchor is kept (schema 5), it is where the catch-up starts: older pages stored
    // later (a first sync paging back, or history fetched on demand) do not move it.
    store
        .insert_received(
            &j(ALICE),
            vec![archived("newest", 50)],
            Some((Some("newest".into()), 50)),
        )
        .await
        .unwrap();
    store
        .insert_received(&j(ALICE), vec![archived("older", 5)], None)
        .await
        .unwrap();
    assert_eq!(
        store.last_stanza_id(&j(ALICE)).await.unwrap().as_deref(),
        Some("older")
    );
    assert_eq!(
        store.last_archived(&j(ALICE)).await.unwrap(),
        Some((Some("newest".into()), 50))
    );
    // A catch-up that found nothing keeps when it ran, for the next one to start from.
    store
        .insert_received(&j(BOB), vec![], Some((None, 70)))
        .await
        .unwrap();
    assert_eq!(
        store.last_archived(&j(BOB)).await.unwrap(),
        Some((None, 70))
    );

    // A batch that cannot be stored (a full disk) leaves it where it was.
    store.cap_size_for_tests(Some(0)).await.unwrap();
    let big = ChatMessage {
        body: "x".repeat(200_000),
        ..archived("lost", 60)
    };
    assert!(
        store
            .insert_received(&j(ALICE), vec![big], Some((Some("lost".into()), 60)))
            .await
            .is_err()
    );
    store.cap_size_for_tests(None).await.unwrap();
    assert_eq!(
        store.last_archived(&j(ALICE)).await.unwrap(),
        Some((Some("newest".into()), 50))
    );
}

mod index;
