//! The engine against a real server, Prosody and ejabberd: what a person would see, through
//! events and the store.

use crate::j;
use std::time::Duration;

use natter::model::{Delivery, Direction, RequestState, Show, Subscription};
use natter::session::{Command, Event};

use crate::client::Client;
use crate::support::{Kind, Server, Shared, on_servers};

static SERVERS: Shared = Shared::new();

fn is_roster(e: &Event) -> bool {
    matches!(e, Event::Roster(_))
}

on_servers!(async fn login_reports_time_to_online_and_server_features);
async fn login_reports_time_to_online_and_server_features(kind: Kind) {
    let server = SERVERS.get(kind);
    let (jid, pw) = server.create_user("alice");
    let mut alice = Client::online(&server, &jid, &pw, "desk").await;
    let online = alice.seen.iter().find_map(|e| match e {
        Event::Online {
            jid,
            resumed,
            elapsed_ms,
        } => Some((jid.clone(), *resumed, *elapsed_ms)),
        _ => None,
    });
    let (bound, resumed, ms) = online.expect("online seen");
    assert_eq!(bound.as_str(), format!("{jid}/desk"));
    assert!(!resumed);
    assert!(ms < 10_000, "online took {ms} ms");
    let Event::Features(f) = alice
        .wait("features", |e| matches!(e, Event::Features(_)))
        .await
    else {
        unreachable!()
    };
    assert!(
        f.stream_management && f.carbons && f.mam && f.roster_versioning,
        "{f:?}"
    );
    alice
        .wait("catch-up", |e| matches!(e, Event::CaughtUp { .. }))
        .await;
    alice.quit().await;
}

on_servers!(async fn a_wrong_password_is_reported_once_and_not_retried);
async fn a_wrong_password_is_reported_once_and_not_retried(kind: Kind) {
    let server = SERVERS.get(kind);
    let (jid, _) = server.create_user("alice");
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = Client::start_with(
        &server,
        &jid,
        "not-the-password",
        "desk",
        dir.path().join("db"),
    )
    .await;
    let Event::AuthFailed { reason } = c
        .wait("auth failure", |e| matches!(e, Event::AuthFailed { .. }))
        .await
    else {
        unreachable!()
    };
    assert!(reason.contains("password"), "{reason}");
    assert!(
        !reason.contains("not-the-password"),
        "the password never appears in errors"
    );
    c.wait("closed", |e| matches!(e, Event::Closed)).await;
    let attempts = c
        .seen
        .iter()
        .filter(|e| matches!(e, Event::Connecting))
        .count();
    assert_eq!(attempts, 1, "no retry loop: {:?}", c.seen);
}

on_servers!(async fn an_invalid_address_is_refused_with_the_reason);
async fn an_invalid_address_is_refused_with_the_reason(kind: Kind) {
    let server = SERVERS.get(kind);
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = Client::start_with(&server, "localhost", "pw", "desk", dir.path().join("db")).await;
    let Event::AuthFailed { reason } = c
        .wait("refusal", |e| matches!(e, Event::AuthFailed { .. }))
        .await
    else {
        unreachable!()
    };
    assert!(reason.contains("user part"), "{reason}");
}

on_servers!(async fn roster_versioning_second_login_fetches_nothing_new);
async fn roster_versioning_second_login_fetches_nothing_new(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, _) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.send(Command::Add {
        jid: j(&b.clone()),
        name: Some("Bob".into()),
        groups: vec!["Friends".into()],
        message: None,
        share_presence: true,
    });
    alice
        .wait(
            "bob in roster, asked",
            |e| matches!(e, Event::RosterPush(i) if i.jid.as_str() == b && i.ask),
        )
        .await;
    // Let the pre-approval push land too, so the stored version is the server's latest.
    alice.drain_for(Duration::from_secs(1)).await;
    let db = alice.db.clone();
    let first = alice.seen.iter().find_map(|e| match e {
        Event::RosterSync { fetched, .. } => Some(*fetched),
        _ => None,
    });
    assert_eq!(first, Some(true), "the first login fetches the roster");
    let _dir = alice.quit().await;

    let mut again = Client::start_with(&server, &a, &apw, "desk", db).await;
    let Event::RosterSync { fetched, version } = again
        .wait("roster sync", |e| matches!(e, Event::RosterSync { .. }))
        .await
    else {
        unreachable!()
    };
    assert!(
        !fetched,
        "the stored version {version:?} is current: nothing is transferred"
    );
    let Event::Roster(items) = again.wait("roster", is_roster).await else {
        unreachable!()
    };
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0].jid.as_str(), items[0].name.as_deref()),
        (b.as_str(), Some("Bob"))
    );
    assert_eq!(items[0].groups, vec!["Friends".to_string()]);
}

/// Waits until both stored rosters show the expected states of each other.
async fn expect_states(
    alice: &mut Client,
    bob: &mut Client,
    a_sees: (Subscription, bool),
    b_sees: (Subscription, bool),
) {
    let (a, b) = (alice.jid.clone(), bob.jid.clone());
    for _ in 0..100 {
        let ai = alice.item(&b).await.map(|i| (i.subscription, i.ask));
        let bi = bob.item(&a).await.map(|i| (i.subscription, i.ask));
        let ai = ai.unwrap_or((Subscription::None, false));
        let bi = bi.unwrap_or((Subscription::None, false));
        if ai == a_sees && bi == b_sees {
            return;
        }
        alice.drain_for(Duration::from_millis(100)).await;
        bob.drain_for(Duration::from_millis(100)).await;
    }
    let ai = alice.item(&b).await;
    let bi = bob.item(&a).await;
    panic!("expected alice→bob {a_sees:?} and bob→alice {b_sees:?}; got {ai:?} / {bi:?}");
}

on_servers!(async fn the_whole_subscription_dance_leaves_both_rosters_right_at_every_step);
async fn the_whole_subscription_dance_leaves_both_rosters_right_at_every_step(kind: Kind) {
    use Subscription::*;
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;

    // Alice asks to see Bob: none + ask on her side, a pending request on his.
    alice.send(Command::Subscribe {
        jid: j(&b.clone()),
        message: Some("it's Alice".into()),
    });
    let Event::SubscriptionRequest(req) = bob
        .wait("request", |e| matches!(e, Event::SubscriptionRequest(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (req.from.as_str(), req.message.as_deref()),
        (a.as_str(), Some("it's Alice"))
    );
    expect_states(&mut alice, &mut bob, (None, true), (None, false)).await;
    let pending = bob.store.requests(&j(&b), true).await.expect("requests");
    assert_eq!(
        pending.iter().map(|r| r.from.as_str()).collect::<Vec<_>>(),
        vec![a.as_str()]
    );

    // Bob approves: Alice sees Bob (to), Bob is seen by Alice (from).
    bob.send(Command::Accept { jid: j(&a.clone()) });
    expect_states(&mut alice, &mut bob, (To, false), (From, false)).await;
    assert!(
        bob.store
            .requests(&j(&b), true)
            .await
            .expect("requests")
            .is_empty(),
        "answered"
    );
    alice.saw("bob's presence", |e| matches!(e, Event::Presence { jid, show: Show::Available, .. } if jid.as_str().starts_with(&b))).await;

    // Bob asks back and Alice approves: both.
    bob.send(Command::Subscribe {
        jid: j(&a.clone()),
        message: Option::None,
    });
    alice
        .wait(
            "request",
            |e| matches!(e, Event::SubscriptionRequest(r) if r.from.as_str() == b),
        )
        .await;
    expect_states(&mut alice, &mut bob, (To, false), (From, true)).await;
    alice.send(Command::Accept { jid: j(&b.clone()) });
    expect_states(&mut alice, &mut bob, (Both, false), (Both, false)).await;

    // Alice stops seeing Bob (unsubscribe): from / to.
    alice.send(Command::Unsubscribe { jid: j(&b.clone()) });
    expect_states(&mut alice, &mut bob, (From, false), (To, false)).await;

    // Alice revokes Bob (unsubscribed): none on both sides.
    alice.send(Command::Revoke { jid: j(&b.clone()) });
    expect_states(&mut alice, &mut bob, (None, false), (None, false)).await;
}

on_servers!(async fn a_denied_request_gives_the_requester_nothing);
async fn a_denied_request_gives_the_requester_nothing(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    alice.send(Command::Subscribe {
        jid: j(&b.clone()),
        message: None,
    });
    bob.wait("request", |e| matches!(e, Event::SubscriptionRequest(_)))
        .await;
    // Alice's side shows the request first: otherwise her "none, not asked" below would hold
    // before the denial, and the test would read Bob's store before he answered.
    expect_states(
        &mut alice,
        &mut bob,
        (Subscription::None, true),
        (Subscription::None, false),
    )
    .await;
    bob.send(Command::Deny { jid: j(&a.clone()) });
    // Bob stores his answer before it leaves, so once Alice's request is withdrawn his store
    // says denied.
    expect_states(
        &mut alice,
        &mut bob,
        (Subscription::None, false),
        (Subscription::None, false),
    )
    .await;
    let all = bob.store.requests(&j(&b), false).await.expect("requests");
    assert_eq!(
        all.iter().map(|r| r.state).collect::<Vec<_>>(),
        vec![RequestState::Denied]
    );
}

on_servers!(async fn a_request_sent_while_offline_is_shown_at_login_and_survives_a_restart);
async fn a_request_sent_while_offline_is_shown_at_login_and_survives_a_restart(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let alice = Client::online(&server, &a, &apw, "desk").await;
    alice.send(Command::Subscribe {
        jid: j(&b.clone()),
        message: Some("hello from the past".into()),
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    alice.quit().await;

    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let Event::SubscriptionRequest(req) = bob
        .wait("offline request", |e| {
            matches!(e, Event::SubscriptionRequest(_))
        })
        .await
    else {
        unreachable!()
    };
    assert_eq!(req.from.as_str(), a);
    let db = bob.db.clone();
    let _dir = bob.quit().await;

    // Restarted without answering: still pending, from the store alone.
    let store = natter::store::Store::open(&db).expect("reopen");
    let pending = store.requests(&j(&b), true).await.expect("requests");
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].from.as_str(), pending[0].state),
        (a.as_str(), RequestState::Pending)
    );
    assert_eq!(pending[0].message.as_deref(), Some("hello from the past"));
}

/// Makes Alice and Bob mutual contacts.
async fn befriend(alice: &mut Client, bob: &mut Client) {
    let (a, b) = (alice.jid.clone(), bob.jid.clone());
    alice.send(Command::Add {
        jid: j(&b.clone()),
        name: None,
        groups: vec![],
        message: None,
        share_presence: true,
    });
    bob.wait("request", |e| matches!(e, Event::SubscriptionRequest(_)))
        .await;
    bob.send(Command::Accept { jid: j(&a.clone()) });
    bob.send(Command::Add {
        jid: j(&a.clone()),
        name: None,
        groups: vec![],
        message: None,
        share_presence: true,
    });
    alice.wait("request", |e| matches!(e, Event::SubscriptionRequest(_)) || matches!(e, Event::RosterPush(i) if i.jid.as_str() == b && i.subscription == Subscription::Both)).await;
    alice.send(Command::Accept { jid: j(&b.clone()) });
    expect_states(
        alice,
        bob,
        (Subscription::Both, false),
        (Subscription::Both, false),
    )
    .await;
}

on_servers!(async fn messages_go_both_ways_with_receipts_and_are_stored_once);
async fn messages_go_both_ways_with_receipts_and_are_stored_once(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    befriend(&mut alice, &mut bob).await;

    let id = alice.say(&b, "Hi Bob 👋");
    let Event::Messages(out) = alice
        .wait("own message", |e| matches!(e, Event::Messages(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (out[0].direction, out[0].delivery),
        (Direction::Out, Delivery::Queued)
    );
    let Event::Messages(got) = bob
        .wait(
            "message",
            |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.direction == Direction::In)),
        )
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (got[0].peer.as_str(), got[0].body.as_str()),
        (a.as_str(), "Hi Bob 👋")
    );
    assert_eq!(got[0].origin_id.as_deref(), Some(id.as_str()));
    alice
        .wait(
            "acked",
            |e| matches!(e, Event::Delivery { id: i, state: Delivery::Acked } if *i == id),
        )
        .await;
    alice
        .wait(
            "delivered",
            |e| matches!(e, Event::Delivery { id: i, state: Delivery::Delivered } if *i == id),
        )
        .await;

    let reply = bob.say(&a, "Hi Alice");
    alice
        .wait(
            "reply",
            |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == "Hi Alice")),
        )
        .await;
    bob.wait(
        "delivered",
        |e| matches!(e, Event::Delivery { id: i, state: Delivery::Delivered } if *i == reply),
    )
    .await;

    let history = alice
        .store
        .history(&j(&a), &j(&b), None, 50)
        .await
        .expect("history");
    let bodies: Vec<(&str, Direction, Delivery)> = history
        .iter()
        .map(|m| (m.body.as_str(), m.direction, m.delivery))
        .collect();
    assert_eq!(
        bodies,
        vec![
            ("Hi Bob 👋", Direction::Out, Delivery::Delivered),
            ("Hi Alice", Direction::In, Delivery::Received)
        ]
    );
    assert!(alice.store.outbox(&j(&a)).await.expect("outbox").is_empty());
}

on_servers!(async fn an_offline_message_arrives_with_its_original_time);
async fn an_offline_message_arrives_with_its_original_time(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    befriend(&mut alice, &mut bob).await;
    let bob_db = bob.db.clone();
    let _bob_dir = bob.quit().await;

    let before = natter::model::now_millis();
    let id = alice.say(&b, "while you were out");
    alice
        .wait(
            "acked",
            |e| matches!(e, Event::Delivery { id: i, state: Delivery::Acked } if *i == id),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let mut bob = Client::start_with(&server, &b, &bpw, "desk", bob_db).await;
    let Event::Messages(got) = bob
        .wait(
            "offline message",
            |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == "while you were out")),
        )
        .await
    else {
        unreachable!()
    };
    let m = got
        .iter()
        .find(|m| m.body == "while you were out")
        .expect("found");
    assert!(m.delayed, "marked as delayed");
    assert!(
        m.sent_at >= before - 1000 && m.sent_at < m.received_at - 1000,
        "sent {} received {}",
        m.sent_at,
        m.received_at
    );
    bob.wait("catch-up", |e| matches!(e, Event::CaughtUp { .. }))
        .await;
    let history = bob
        .store
        .history(&j(&b), &j(&a), None, 50)
        .await
        .expect("history");
    assert_eq!(
        history
            .iter()
            .filter(|m| m.body == "while you were out")
            .count(),
        1,
        "stored once despite offline storage and archive"
    );
}

on_servers!(async fn carbons_copy_a_conversation_to_the_accounts_other_device);
async fn carbons_copy_a_conversation_to_the_accounts_other_device(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut desk = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    befriend(&mut desk, &mut bob).await;
    let mut phone = Client::online(&server, &a, &apw, "phone").await;
    phone
        .wait("features", |e| matches!(e, Event::Features(_)))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    desk.say(&b, "sent from the desk");
    let Event::Messages(m) = phone
        .wait(
            "sent carbon",
            |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.carbon)),
        )
        .await
    else {
        unreachable!()
    };
    assert_eq!(
        (m[0].direction, m[0].peer.as_str(), m[0].body.as_str()),
        (Direction::Out, b.as_str(), "sent from the desk")
    );

    // Bob answers the desk's full JID: the phone gets a received carbon.
    bob.wait("message", |e| matches!(e, Event::Messages(_)))
        .await;
    bob.say(&a, "answer");
    let Event::Messages(m) = phone
        .wait(
            "received copy",
            |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == "answer")),
        )
        .await
    else {
        unreachable!()
    };
    assert_eq!(m[0].direction, Direction::In);
}

on_servers!(async fn archive_catch_up_brings_what_another_device_received_while_this_one_was_off);
async fn archive_catch_up_brings_what_another_device_received_while_this_one_was_off(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut desk = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    befriend(&mut desk, &mut bob).await;
    // The laptop syncs once, then goes off.
    let laptop = Client::online(&server, &a, &apw, "laptop").await;
    let laptop_db = laptop.db.clone();
    let _laptop_dir = laptop.quit().await;

    for i in 0..120 {
        bob.say(&a, &format!("archived {i}"));
    }
    for _ in 0..50 {
        if desk
            .store
            .history(&j(&a), &j(&b), None, 500)
            .await
            .expect("history")
            .iter()
            .filter(|m| m.body.starts_with("archived"))
            .count()
            == 120
        {
            break;
        }
        desk.drain_for(Duration::from_millis(200)).await;
    }

    let mut laptop = Client::start_with(&server, &a, &apw, "laptop", laptop_db).await;
    let Event::CaughtUp { new_messages } = laptop.caught_up().await else {
        unreachable!()
    };
    assert!(new_messages >= 120, "{new_messages} new from the archive");
    let history = laptop
        .store
        .history(&j(&a), &j(&b), None, 1000)
        .await
        .expect("history");
    let archived: Vec<&str> = history
        .iter()
        .filter(|m| m.body.starts_with("archived"))
        .map(|m| m.body.as_str())
        .collect();
    let expected: Vec<String> = (0..120).map(|i| format!("archived {i}")).collect();
    assert_eq!(
        archived,
        expected.iter().map(String::as_str).collect::<Vec<_>>(),
        "all, once, in order"
    );
}

on_servers!(async fn a_server_restart_mid_session_reconnects_and_loses_nothing);
async fn a_server_restart_mid_session_reconnects_and_loses_nothing(kind: Kind) {
    let mut server = Server::start(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    befriend(&mut alice, &mut bob).await;

    server.stop();
    alice
        .wait("offline", |e| matches!(e, Event::Offline { .. }))
        .await;
    // Written while the server is down: they wait in the outbox.
    let ids: Vec<natter::model::MessageId> = (0..5)
        .map(|i| alice.say(&b, &format!("during outage {i}")))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(alice.store.outbox(&j(&a)).await.expect("outbox").len(), 5);
    server.start_again();

    for id in &ids {
        alice.wait("acked", |e| matches!(e, Event::Delivery { id: i, state: Delivery::Acked | Delivery::Delivered } if i == id)).await;
    }
    for _ in 0..100 {
        let got = bob
            .store
            .history(&j(&b), &j(&a), None, 100)
            .await
            .expect("history");
        if got
            .iter()
            .filter(|m| m.body.starts_with("during outage"))
            .count()
            >= 5
        {
            break;
        }
        bob.drain_for(Duration::from_millis(200)).await;
    }
    bob.drain_for(Duration::from_secs(1)).await;
    let got = bob
        .store
        .history(&j(&b), &j(&a), None, 100)
        .await
        .expect("history");
    let bodies: Vec<&str> = got
        .iter()
        .filter(|m| m.body.starts_with("during outage"))
        .map(|m| m.body.as_str())
        .collect();
    assert_eq!(
        bodies,
        (0..5)
            .map(|i| format!("during outage {i}"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert!(
        alice.store.outbox(&j(&a)).await.expect("outbox").is_empty(),
        "outbox drained"
    );
}

on_servers!(async fn direct_tls_signs_in_on_the_xmpps_port);
async fn direct_tls_signs_in_on_the_xmpps_port(kind: Kind) {
    let server = SERVERS.get(kind);
    let (jid, pw) = server.create_user("alice");
    let dir = tempfile::tempdir().expect("tmp");
    let store = natter::store::Store::open(&dir.path().join("db")).expect("store");
    let mut account = crate::client::account(&server, &jid, Some("desk"));
    account.tls = natter::model::TlsMode::Direct;
    account.port = Some(server.direct_tls_port());
    store.save_account(account.clone()).await.expect("saved");
    let creds = natter::session::Credentials {
        account,
        password: pw,
    };
    let (handle, mut events) = natter::session::spawn(creds, store);
    let online = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(e) = events.recv().await {
            match e {
                Event::Online { jid, .. } => return Ok(jid),
                Event::AuthFailed { reason } | Event::Offline { reason, .. } => return Err(reason),
                _ => {}
            }
        }
        Err("closed".to_owned())
    })
    .await
    .expect("answer within 20 s");
    assert_eq!(online.map(|j| j.to_string()), Ok(format!("{jid}/desk")));
    let _ = handle.send(Command::Quit);
}

on_servers!(async fn a_server_certificate_nobody_vouches_for_is_refused_before_the_password_is_sent);
async fn a_server_certificate_nobody_vouches_for_is_refused_before_the_password_is_sent(
    kind: Kind,
) {
    let server = SERVERS.get(kind);
    let (jid, pw) = server.create_user("alice");
    let dir = tempfile::tempdir().expect("tmp");
    let store = natter::store::Store::open(&dir.path().join("db")).expect("store");
    let mut account = crate::client::account(&server, &jid, Some("desk"));
    account.pinned_cert = None; // the test CA is not trusted now
    store.save_account(account.clone()).await.expect("saved");
    let creds = natter::session::Credentials {
        account,
        password: pw,
    };
    let (_handle, mut events) = natter::session::spawn(creds, store);
    let reason = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(e) = events.recv().await {
            if let Event::Offline { reason, .. } = e {
                return reason;
            }
        }
        String::new()
    })
    .await
    .expect("an answer within 20 s");
    assert!(reason.contains("certificate"), "{reason}");
    assert_eq!(server.sign_ins(&jid), 0, "no login happened");
}

on_servers!(async fn a_fresh_device_sees_online_contacts_after_its_roster_and_they_see_it);
/// Initial presence goes out before the roster is asked for (contacts see us sooner); the
/// presence of contacts that arrives before the roster is held and shown after it.
async fn a_fresh_device_sees_online_contacts_after_its_roster_and_they_see_it(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    befriend(&mut alice, &mut bob).await;

    // Alice signs in on a new device, with nothing stored.
    let mut laptop = Client::online(&server, &a, &apw, "laptop").await;
    bob.wait("the new device's presence", |e| {
        matches!(e, Event::Presence { jid, show: Show::Available, .. } if jid.as_str() == format!("{a}/laptop"))
    })
    .await;
    laptop
        .wait("bob's presence", |e| {
            matches!(e, Event::Presence { jid, show: Show::Available, .. } if jid.as_str().starts_with(&b))
        })
        .await;
    let roster_at = laptop
        .seen
        .iter()
        .position(
            |e| matches!(e, Event::Roster(items) if items.iter().any(|i| i.jid.as_str() == b)),
        )
        .expect("the roster came");
    let presence_at = laptop
        .seen
        .iter()
        .position(|e| matches!(e, Event::Presence { jid, .. } if jid.as_str().starts_with(&b)))
        .expect("bob's presence came");
    assert!(
        roster_at < presence_at,
        "the roster comes before the presence it explains: {:#?}",
        laptop.seen
    );
}

on_servers!(async fn a_long_message_is_received_and_stored_whole);
/// Issue 16 (§3, item 5): a long message from a client that sends longer ones than Natter
/// does (here 200,000 bytes, inside Prosody's stanza limit) is stored and shown whole; bodies
/// used to be cut at 64 KiB, so a long paste arrived damaged.
async fn a_long_message_is_received_and_stored_whole(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut bob = crate::hostile::Raw::login(&server, &b, &bpw).await;
    let body: String = (0..200_000)
        .map(|i| match i % 100 {
            99 => '\n',
            50 => 'é',
            _ => 'x',
        })
        .collect();
    bob.send(&format!(
        "<message xmlns='jabber:client' to='{a}/desk' type='chat' id='long1'><body>{body}</body></message>"
    ))
    .await;
    let Event::Messages(got) = alice
        .wait("the long message", |e| matches!(e, Event::Messages(_)))
        .await
    else {
        unreachable!()
    };
    assert_eq!(got[0].body.len(), body.len(), "told whole");
    let stored = alice
        .store
        .history(&j(&a), &j(&b), None, 10)
        .await
        .expect("history");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].body, body, "stored whole");
    let _ = alice.quit().await;
}

on_servers!(async fn adding_someone_lets_them_see_me_only_when_i_chose_to);
/// Issue 16 (§5): adding a contact lets them see our presence only when the person chose so.
/// With `share_presence` (the window's "Let them see my status", on by default) the server
/// approves their request in advance (RFC 6121 §3.4 pre-approval): they see us at once, and no
/// request is asked. Without it (`natter contact add --no-share`, headless `"share_presence":
/// false`), their request waits for the person's answer like anyone's.
async fn adding_someone_lets_them_see_me_only_when_i_chose_to(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let (c, cpw) = server.create_user("carol");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let mut carol = Client::online(&server, &c, &cpw, "desk").await;
    let add = |jid: &str, share_presence: bool| Command::Add {
        jid: j(jid),
        name: None,
        groups: vec![],
        message: None,
        share_presence,
    };
    alice.send(add(&b, false));
    alice.send(add(&c, true));
    for (peer, them) in [(&mut bob, &a), (&mut carol, &a)] {
        peer.wait(
            "alice's request",
            |e| matches!(e, Event::SubscriptionRequest(r) if r.from == j(them)),
        )
        .await;
        peer.send(Command::Accept { jid: j(them) });
        peer.send(Command::Subscribe {
            jid: j(them),
            message: None,
        });
    }
    // Carol was let in in advance: she sees Alice, and Alice was asked nothing.
    carol
        .wait("carol sees alice", |e| {
            matches!(e, Event::RosterPush(i) if i.jid == j(&a) && i.subscription == Subscription::Both)
        })
        .await;
    // Bob asks like anyone: the request waits for Alice.
    alice
        .wait(
            "bob's request",
            |e| matches!(e, Event::SubscriptionRequest(r) if r.from == j(&b)),
        )
        .await;
    alice.drain_for(Duration::from_millis(500)).await;
    let asked: Vec<&str> = alice
        .seen
        .iter()
        .filter_map(|e| match e {
            Event::SubscriptionRequest(r) => Some(r.from.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [b.as_str()], "only Bob's request is asked");
    let bob_sees = alice.item(&b).await.map(|i| i.subscription);
    assert_eq!(
        bob_sees,
        Some(Subscription::To),
        "Alice sees Bob, Bob not Alice"
    );
    let carol_sees = alice.item(&c).await.map(|i| i.subscription);
    assert_eq!(carol_sees, Some(Subscription::Both));
    let _ = alice.quit().await;
}
