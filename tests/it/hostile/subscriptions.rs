//! Subscription abuse: a flood of requests from distinct accounts, and one account asking again
//! and again. Each is stored once, the pending list stays one entry per account and quick to
//! read; the times are printed (no timed assertions).

use crate::j;
use std::time::{Duration, Instant};

use natter::model::RequestState;
use natter::session::Event;

use super::Raw;
use super::SERVERS;
use crate::client::Client;
use crate::support::{Kind, on_servers};

const FLOOD: usize = 500;

on_servers!(async fn a_flood_of_subscription_requests_is_stored_once_each_and_stays_quick);
async fn a_flood_of_subscription_requests_is_stored_once_each_and_stays_quick(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (m, mpw) = server.create_user("mallory");
    // 500 requests from 500 accounts arrived while Alice was away; the server hands them over
    // at her login, all at once.
    let spam: Vec<String> = (0..FLOOD)
        .map(|i| format!("spam{i:03}@localhost"))
        .collect();
    server.add_pending_requests(&a, &spam);

    let started = Instant::now();
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < FLOOD {
        let Event::SubscriptionRequest(r) = alice
            .wait("the flood", |e| matches!(e, Event::SubscriptionRequest(_)))
            .await
        else {
            unreachable!()
        };
        seen.insert(r.from);
    }
    let stored_in = started.elapsed();
    let started = Instant::now();
    let pending = alice.store.requests(&j(&a), true).await.expect("requests");
    let read_in = started.elapsed();
    println!(
        "flood: {FLOOD} requests signed in, stored and announced in {stored_in:?}; \
         the pending list read back in {read_in:?}"
    );
    assert_eq!(pending.len(), FLOOD);
    assert!(pending.iter().all(|r| r.state == RequestState::Pending));

    // One account asking again and again (asking, withdrawing, asking: the server passes each
    // new request on): still one request, no contact.
    let mut mallory = Raw::login(&server, &m, &mpw).await;
    let repeats = 200;
    let started = Instant::now();
    for i in 0..repeats {
        mallory
            .send(&format!(
                "<presence xmlns='jabber:client' to='{a}' type='subscribe'>\
                 <status>please {i}</status></presence>"
            ))
            .await;
        mallory
            .send(&format!(
                "<presence xmlns='jabber:client' to='{a}' type='unsubscribe'/>"
            ))
            .await;
    }
    alice
        .wait("the last repeat", |e| {
            matches!(e, Event::SubscriptionRequest(r)
                if r.from.as_str() == m && r.message.as_deref() == Some(&format!("please {}", repeats - 1)))
        })
        .await;
    let repeats_in = started.elapsed();
    let announced = alice
        .seen
        .iter()
        .filter(|e| matches!(e, Event::SubscriptionRequest(r) if r.from.as_str() == m))
        .count();
    let all = alice.store.requests(&j(&a), false).await.expect("requests");
    println!(
        "repeats: {repeats} requests from one account in {repeats_in:?}, {announced} announced; \
         {} stored rows",
        all.len()
    );
    assert_eq!(all.len(), FLOOD + 1, "one row per account");
    let from_mallory: Vec<_> = all.iter().filter(|r| r.from.as_str() == m).collect();
    assert_eq!(from_mallory.len(), 1);
    assert_eq!(
        from_mallory[0].message.as_deref(),
        Some(format!("please {}", repeats - 1).as_str()),
        "the newest words are kept"
    );
    assert!(alice.item(&m).await.is_none(), "asking adds no contact");
    // The session still answers: a message goes through while the flood sits there.
    let id = alice.say(&m, "still here");
    alice
        .wait(
            "acked",
            |e| matches!(e, Event::Delivery { id: i, .. } if *i == id),
        )
        .await;
    alice.drain_for(Duration::from_millis(200)).await;
    let _ = alice.quit().await;
}
