//! The queue of the account's own changes: kept until the server has them, in order.

use super::super::testing::{ALICE, inbound, outbound, store_with_accounts};
use crate::model::address::j;
use crate::model::{Amendment, ChatMessage, Delivery};

const CAROL: &str = "carol@example.org";

#[tokio::test]
async fn own_changes_wait_in_order_until_the_server_has_them_and_a_refused_one_never_waits() {
    let (_dir, store) = store_with_accounts().await;
    let mine = ChatMessage {
        remote_id: Some("s1".into()),
        origin_id: Some("o1".into()),
        ..outbound(ALICE, CAROL, "helo", "o1")
    };
    let theirs = ChatMessage {
        remote_id: Some("m1".into()),
        ..inbound(ALICE, CAROL, "hi", 1_100)
    };
    store.insert_messages(vec![mine, theirs]).await.unwrap();
    let me = j(ALICE);
    let fix = Amendment::Correction {
        target: "o1".into(),
    };
    let react = Amendment::Reactions {
        target: "m1".into(),
        emoji: vec!["👍".into()],
    };
    let not_mine = Amendment::Retraction {
        target: "m1".into(),
    };
    store
        .apply_own_change(&me, fix, "c1".into(), "hello".into(), 2_000)
        .await
        .unwrap();
    store
        .apply_own_change(&me, react, "r1".into(), String::new(), 2_100)
        .await
        .unwrap();
    let refused = store
        .apply_own_change(&me, not_mine, "x1".into(), String::new(), 2_200)
        .await;
    assert!(refused.unwrap().is_none());

    let queued = store.queued_changes(&me).await.unwrap();
    let ids: Vec<_> = queued
        .iter()
        .map(|q| (q.change_id.as_str(), q.target.as_str()))
        .collect();
    assert_eq!(
        ids,
        [("c1", "o1"), ("r1", "m1")],
        "in order, naming the wire ids"
    );
    assert_eq!(queued[0].body, "hello");
    assert_eq!(queued[0].peer, j(CAROL));

    // Sent is not enough: only what the server acknowledged leaves.
    store
        .set_delivery(&me, &"c1".into(), Delivery::Sent)
        .await
        .unwrap();
    assert_eq!(store.queued_changes(&me).await.unwrap().len(), 2);
    store
        .set_delivery(&me, &"c1".into(), Delivery::Acked)
        .await
        .unwrap();
    let left = store.queued_changes(&me).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].change_id, "r1");
    // The message itself is untouched by its change's acknowledgement.
    let page = store.history(&me, &j(CAROL), None, 10).await.unwrap();
    assert_eq!(page[0].body, "hello");
    assert_eq!(page[0].delivery, Delivery::Queued);
}
