//! Crashes: the client and the server killed with SIGKILL in the middle of a burst.

use std::time::{Duration, Instant};

use natter::model::{Delivery, Direction};
use natter::paths::DATABASE_FILE;

use super::SERVERS;
use super::process::{Headless, add_account, natter};
use super::{
    Recorder, assert_once_in_order, bodies_with, burst, history, until_archived,
    until_outbox_empty, until_stored,
};
use crate::client::Client;
use crate::support::{Kind, Server, on_servers};

on_servers!(async fn a_client_killed_mid_burst_catches_up_every_message_once_in_order);
async fn a_client_killed_mid_burst_catches_up_every_message_once_in_order(kind: Kind) {
    let started = Instant::now();
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let data = tempfile::tempdir().expect("tmp");
    let db = data.path().join(DATABASE_FILE);
    add_account(&server, data.path(), &a, &apw, server.port());
    let mut alice = Headless::start(natter(&server, data.path(), &apw));
    alice
        .until("caught up", |e| e["event"] == "caught_up")
        .await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let _bob_events = Recorder::start(&mut bob);

    const N: usize = 400;
    for body in burst("burst", N) {
        bob.say(&a, &body);
    }
    let partial = until_stored(&db, &a, &b, "burst", 30).await;
    alice.kill();
    let at_kill = bodies_with(&partial, "burst").len();
    let after_kill = bodies_with(&history(&db, &a, &b).await, "burst").len();
    assert!(
        after_kill < N,
        "the kill came after the burst: {after_kill}"
    );

    // The rest of the burst reaches the server while Alice is dead.
    until_archived(&server, &a, &format!("burst {:03}", N - 1)).await;
    let mut alice = Headless::start(natter(&server, data.path(), &apw));
    alice
        .until("caught up", |e| e["event"] == "caught_up")
        .await;
    let msgs = until_stored(&db, &a, &b, "burst", N).await;
    // A moment for any late duplicate (offline delivery, the old session's queue) to land.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let msgs = if bodies_with(&msgs, "burst").len() == N {
        history(&db, &a, &b).await
    } else {
        msgs
    };
    assert_once_in_order(&msgs, "burst", N, Direction::In, &[Delivery::Received]);
    alice.quit().await;
    eprintln!(
        "killed after {at_kill}..{after_kill} of {N} stored; took {:?}",
        started.elapsed()
    );
}

on_servers!(async fn messages_queued_while_unreachable_survive_a_kill_and_go_out_once);
async fn messages_queued_while_unreachable_survive_a_kill_and_go_out_once(kind: Kind) {
    let started = Instant::now();
    let mut server = Server::start(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let data = tempfile::tempdir().expect("tmp");
    let db = data.path().join(DATABASE_FILE);
    add_account(&server, data.path(), &a, &apw, server.port());
    server.stop();

    let mut alice = Headless::start(natter(&server, data.path(), &apw));
    alice.until("offline", |e| e["event"] == "offline").await;
    const N: usize = 20;
    for (i, body) in burst("queued", N).into_iter().enumerate() {
        alice
            .cmd(serde_json::json!({"cmd": "send", "to": b, "body": body, "id": format!("q-{i}")}));
    }
    for i in 0..N {
        let id = format!("q-{i}");
        alice
            .until("queued", |e| {
                e["event"] == "message" && e["id"] == id.as_str()
            })
            .await;
    }
    alice.kill();
    let queued = history(&db, &a, &b).await;
    assert_once_in_order(&queued, "queued", N, Direction::Out, &[Delivery::Queued]);

    server.start_again();
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let _bob_events = Recorder::start(&mut bob);
    let alice = Headless::start(natter(&server, data.path(), &apw));
    // Every queued message acknowledged by the server, as Alice's store says.
    let deadline = tokio::time::Instant::now() + super::SETTLE;
    while !history(&db, &a, &b)
        .await
        .iter()
        .all(|m| m.delivery != Delivery::Queued && m.delivery != Delivery::Sent)
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not all acknowledged"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    until_stored(&bob.db, &b, &a, "queued", N).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = history(&bob.db, &b, &a).await;
    assert_once_in_order(&got, "queued", N, Direction::In, &[Delivery::Received]);
    let mut ids: Vec<_> = got.iter().map(|m| m.origin_id.clone()).collect();
    ids.dedup();
    assert_eq!(
        ids,
        (0..N)
            .map(|i| Some(crate::mid(format!("q-{i}"))))
            .collect::<Vec<_>>(),
        "the ids chosen before the crash"
    );
    for body in burst("queued", N) {
        assert_eq!(
            server.archived_copies(&b, &body),
            1,
            "“{body}” went through the server once"
        );
    }
    let sent = history(&db, &a, &b).await;
    assert_once_in_order(
        &sent,
        "queued",
        N,
        Direction::Out,
        &[Delivery::Acked, Delivery::Delivered],
    );
    alice.quit().await;
    eprintln!("took {:?}", started.elapsed());
}

on_servers!(
    async fn a_server_killed_mid_burst_loses_and_duplicates_nothing,
    only Prosody: "ejabberd acks a message before the recipient's session stores it: a SIGKILL between loses it"
);
async fn a_server_killed_mid_burst_loses_and_duplicates_nothing(kind: Kind) {
    let started = Instant::now();
    let mut server = Server::start(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    for c in [&mut alice, &mut bob] {
        c.caught_up().await;
    }
    let _alice_events = Recorder::start(&mut alice);
    let _bob_events = Recorder::start(&mut bob);

    // Both talk at once: Bob's burst to Alice and Alice's to Bob.
    const N: usize = 300;
    for body in burst("from bob", N) {
        bob.say(&a, &body);
    }
    for body in burst("from alice", N) {
        alice.say(&b, &body);
    }
    until_stored(&alice.db, &a, &b, "from bob", 30).await;
    server.kill();
    let at_kill = bodies_with(&history(&alice.db, &a, &b).await, "from bob").len();
    server.start_again();

    until_outbox_empty(&bob).await;
    until_outbox_empty(&alice).await;
    let got = until_stored(&alice.db, &a, &b, "from bob", N).await;
    assert_once_in_order(&got, "from bob", N, Direction::In, &[Delivery::Received]);
    let got = until_stored(&bob.db, &b, &a, "from alice", N).await;
    assert_once_in_order(&got, "from alice", N, Direction::In, &[Delivery::Received]);
    let sent = history(&alice.db, &a, &b).await;
    assert_once_in_order(
        &sent,
        "from alice",
        N,
        Direction::Out,
        &[Delivery::Acked, Delivery::Delivered],
    );
    eprintln!(
        "server killed with {at_kill} of {N} stored; took {:?}",
        started.elapsed()
    );
}
