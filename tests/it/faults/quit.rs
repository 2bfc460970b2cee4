//! A clean quit in the middle of a burst: what reached Natter is stored before the close
//! acknowledges it to the server, and what did not stays with the server (in its offline
//! storage), which delivers it at the next login. Run on a server without an archive, where no catch-up could make up for
//! a message acknowledged and dropped.

use natter::model::{Delivery, Direction};
use natter::session::Event;

use super::{SETTLE, bodies_with, burst, history, until_stored};
use crate::client::Client;
use crate::support::{Kind, Server, Setup, on_servers};

on_servers!(async fn a_quit_mid_burst_loses_nothing_even_without_an_archive);
async fn a_quit_mid_burst_loses_nothing_even_without_an_archive(kind: Kind) {
    let server = Server::start_with(
        kind,
        Setup {
            archive: false,
            ..Setup::default()
        },
    );
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let db = alice.db.clone();
    let mut bob = Client::online(&server, &b, &bpw, "desk").await;
    bob.caught_up().await;
    const N: usize = 400;
    for body in burst("burst", N) {
        bob.say(&a, &body);
    }
    // The desk quits as soon as the burst begins to arrive.
    alice
        .wait(
            "the first message",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body.starts_with("burst"))),
        )
        .await;
    let dir = alice.quit().await.expect("the desk's directory");
    // What did not reach the desk is with the server, all of it, before the next login. (Not
    // waiting raced inside ejabberd: a closed session's last messages, moved to offline
    // storage a moment after the next session had emptied it, waited there for the login
    // after.)
    let stored = bodies_with(&history(&db, &a, &b).await, "burst").len();
    let deadline = tokio::time::Instant::now() + SETTLE;
    while server.offline_count(&a) < N - stored {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{stored} stored, {} kept by the server, of {N}",
            server.offline_count(&a)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let alice = Client::start_with(&server, &a, &apw, "desk", db.clone()).await;
    let msgs = until_stored(&db, &a, &b, "burst", N).await;
    // Each once; not in order: the server's offline store stamps what it kept to the second,
    // so those sort before a live message of the same second.
    let mut got: Vec<&str> = bodies_with(&msgs, "burst");
    got.sort_unstable();
    assert_eq!(got, burst("burst", N), "every message once");
    assert!(
        msgs.iter()
            .filter(|m| m.body.starts_with("burst"))
            .all(|m| m.direction == Direction::In && m.delivery == Delivery::Received)
    );
    let _ = alice.quit().await;
    drop(dir);
    let _ = bob.quit().await;
}
