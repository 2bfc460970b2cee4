//! Live messages that arrive while the archive catch-up is paging: none lost, none twice, in
//! order, and at no moment a hole in the stored history that a crash would make permanent.

use std::time::Instant;

use natter::model::{Delivery, Direction};
use natter::session::Event;

use super::SERVERS;
use super::proxy::Proxy;
use super::{assert_once_in_order, bodies_with, burst, history, until_archived};
use crate::client::Client;
use crate::support::{Kind, on_servers};

on_servers!(async fn live_messages_during_the_archive_catch_up_are_stored_once_after_it_in_order);
async fn live_messages_during_the_archive_catch_up_are_stored_once_after_it_in_order(kind: Kind) {
    let started = Instant::now();
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let proxy = Proxy::start(server.port());
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("natter.sqlite3");
    let mut alice = Client::start_via(&server, &a, &apw, "desk", db.clone(), proxy.port()).await;
    alice.caught_up().await;
    let _ = alice.quit().await;

    // While Alice is away, a long conversation piles up in her archive: five pages.
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let _bob_events = super::Recorder::start(&mut bob);
    const ARCHIVED: usize = 500;
    for body in burst("archived", ARCHIVED) {
        bob.say(&a, &body);
    }
    until_archived(&server, &a, &format!("archived {:03}", ARCHIVED - 1)).await;

    // Alice comes back; her link stalls right after sign-in, and meanwhile Bob writes live:
    // those messages reach her between the archive's pages.
    let mut alice = Client::start_via(&server, &a, &apw, "desk", db.clone(), proxy.port()).await;
    alice
        .wait("online", |e| matches!(e, Event::Online { .. }))
        .await;
    proxy.blackhole();
    const LIVE: usize = 100;
    for body in burst("live", LIVE) {
        bob.say(&a, &body);
    }
    until_archived(&server, &a, &format!("live {:03}", LIVE - 1)).await;
    proxy.resume();

    // Whatever moment Natter were killed at, the next catch-up (which starts after the newest
    // stored archived message) must find nothing missing: what is stored is always a prefix.
    let expected: Vec<String> = burst("archived", ARCHIVED)
        .into_iter()
        .chain(burst("live", LIVE))
        .collect();
    let mut caught_up = false;
    let deadline = tokio::time::Instant::now() + super::SETTLE;
    loop {
        let msgs = history(&db, &a, &b).await;
        let stored = bodies_with(&msgs, "");
        assert_eq!(
            stored,
            expected[..stored.len().min(expected.len())],
            "the stored history has a hole or is out of order"
        );
        if caught_up && stored.len() == expected.len() {
            assert_once_in_order(
                &msgs,
                "archived",
                ARCHIVED,
                Direction::In,
                &[Delivery::Received],
            );
            assert_once_in_order(&msgs, "live", LIVE, Direction::In, &[Delivery::Received]);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of {} stored",
            stored.len(),
            expected.len()
        );
        let more = alice.drain_for(std::time::Duration::from_millis(20)).await;
        caught_up |= more.iter().any(|e| matches!(e, Event::CaughtUp { .. }))
            || alice
                .seen
                .iter()
                .any(|e| matches!(e, Event::CaughtUp { .. }));
    }
    let new = alice.seen.iter().find_map(|e| match e {
        Event::CaughtUp { new_messages } => Some(*new_messages),
        _ => None,
    });
    assert!(
        new.is_some_and(|n| n >= ARCHIVED),
        "{new:?} new from the archive"
    );
    eprintln!("took {:?}", started.elapsed());
}

on_servers!(async fn offline_messages_at_login_do_not_make_the_catch_up_skip_archived_ones);
/// Messages that only the archive has (another device of the account was online to take them)
/// and messages the server kept offline (sent after that device left) reach a device that was
/// away, all of them, once, in order: the offline ones, which the server delivers as soon as
/// the initial presence goes out, must not move the place the archive catch-up starts from.
async fn offline_messages_at_login_do_not_make_the_catch_up_skip_archived_ones(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("natter.sqlite3");
    let mut desk = Client::start_with(&server, &a, &apw, "desk", db.clone()).await;
    desk.caught_up().await;
    let _ = desk.quit().await;

    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    let _bob_events = super::Recorder::start(&mut bob);
    // The phone is online: it takes these, the server archives them, keeps nothing offline.
    let mut phone = Client::online(&server, &a, &apw, "phone").await;
    const SEEN: usize = 50;
    for body in burst("phone", SEEN) {
        bob.say(&a, &body);
    }
    until_archived(&server, &a, &format!("phone {:03}", SEEN - 1)).await;
    phone
        .wait(
            "the last on the phone",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == format!("phone {:03}", SEEN - 1))),
        )
        .await;
    let _ = phone.quit().await;
    // Nobody is online: these are kept offline (and archived).
    const OFFLINE: usize = 50;
    for body in burst("offline", OFFLINE) {
        bob.say(&a, &body);
    }
    until_archived(&server, &a, &format!("offline {:03}", OFFLINE - 1)).await;

    let mut desk = Client::start_with(&server, &a, &apw, "desk", db.clone()).await;
    desk.caught_up().await;
    let expected: Vec<String> = burst("phone", SEEN)
        .into_iter()
        .chain(burst("offline", OFFLINE))
        .collect();
    let deadline = tokio::time::Instant::now() + super::SETTLE;
    loop {
        let msgs = history(&db, &a, &b).await;
        if bodies_with(&msgs, "").len() >= expected.len() {
            assert_once_in_order(&msgs, "phone", SEEN, Direction::In, &[Delivery::Received]);
            assert_once_in_order(
                &msgs,
                "offline",
                OFFLINE,
                Direction::In,
                &[Delivery::Received],
            );
            assert_eq!(bodies_with(&msgs, ""), expected, "one history, in order");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "stored {:?}",
            bodies_with(&msgs, "")
        );
        desk.drain_for(std::time::Duration::from_millis(50)).await;
    }
}
