//! Earlier history on demand: a device whose first sync took only the newest pages of a long
//! archive gets the rest when the person scrolls past the oldest stored message (headless
//! `fetch_older`), a page at a time, each message once and in the order it was sent.

use crate::j;
use std::time::Duration;

use natter::session::{Command, Event};

use crate::client::Client;
use crate::hostile::Raw;
use crate::support::{Kind, Shared, on_servers};

static SERVERS: Shared = Shared::new();

/// More than a first sync takes (50 pages of at most 100) on any server.
const SENT: usize = 5_050;

on_servers!(async fn earlier_history_comes_from_the_archive_page_by_page_in_order);
async fn earlier_history_comes_from_the_archive_page_by_page_in_order(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    // Alice's phone is online, so the server delivers to it (and archives) rather than keeping
    // the messages offline for the next device that signs in.
    let mut phone = Client::online(&server, &a, &apw, "phone").await;
    phone.caught_up().await;
    let mut bob = Raw::login(&server, &b, &bpw).await;
    let bodies: Vec<String> = (0..SENT).map(|i| format!("early {i:05}")).collect();
    for body in &bodies {
        bob.send(&format!(
            "<message xmlns='jabber:client' to='{a}' type='chat'><body>{body}</body></message>"
        ))
        .await;
    }
    let count = |c: &Client| {
        let (store, a, b) = (c.store.clone(), j(&a), j(&b));
        async move {
            store
                .history(&a, &b, None, SENT + 10)
                .await
                .expect("history")
                .into_iter()
                .map(|m| m.body)
                .collect::<Vec<_>>()
        }
    };
    for _ in 0..600 {
        if count(&phone).await.len() == SENT {
            break;
        }
        phone.drain_for(Duration::from_millis(100)).await;
    }
    assert_eq!(count(&phone).await.len(), SENT, "the phone has them all");

    // A new desk: its first sync takes the newest pages only.
    let mut desk = Client::online(&server, &a, &apw, "desk").await;
    desk.caught_up().await;
    let first = count(&desk).await;
    assert!(
        !first.is_empty() && first.len() < SENT,
        "{} of {SENT} after the first sync",
        first.len()
    );
    same(
        &first,
        &bodies[SENT - first.len()..],
        "the newest, in order",
    );

    // Scrolling up asks for the page before the oldest stored, until the archive has no more.
    let mut asked = 0;
    loop {
        desk.send(Command::FetchOlder { peer: j(&b) });
        asked += 1;
        let Event::OlderHistory { peer, complete } = desk
            .wait("an earlier page", |e| {
                matches!(e, Event::OlderHistory { .. })
            })
            .await
        else {
            unreachable!()
        };
        assert_eq!(peer, j(&b));
        if complete {
            break;
        }
        assert!(asked < SENT / 10, "no end after {asked} pages");
    }
    same(
        &count(&desk).await,
        &bodies,
        "every message once, in the order Bob sent them",
    );
    let _ = desk.quit().await;
}

/// `got` is `expected`; else where they first differ (the lists are thousands long).
fn same(got: &[String], expected: &[String], what: &str) {
    if let Some(at) = (0..got.len().max(expected.len())).find(|&i| got.get(i) != expected.get(i)) {
        panic!(
            "{what}: {} stored, {} expected; first difference at {at}: {:?} instead of {:?}",
            got.len(),
            expected.len(),
            got.get(at),
            expected.get(at)
        );
    }
}
