//! Stanzas from another account that pretend to be something they are not: a receipt or a
//! bounce for a message that went to someone else, and private PEP data (bookmarks) that only
//! the account itself may publish (CVE-2023-28686).

use std::time::Duration;

use natter::model::Delivery;
use natter::session::Event;

use super::Raw;
use super::SERVERS;
use crate::client::Client;
use crate::j;
use crate::support::{Kind, on_servers};

on_servers!(async fn a_receipt_or_a_bounce_from_someone_else_leaves_a_message_as_it_was);
async fn a_receipt_or_a_bounce_from_someone_else_leaves_a_message_as_it_was(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, _) = server.create_user("bob");
    let (m, mpw) = server.create_user("mallory");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    // Bob is offline: the server stores the message, nobody confirms it.
    let id = alice.say(&b, "for bob only");
    alice
        .wait(
            "acked",
            |e| matches!(e, Event::Delivery { id: i, state: Delivery::Acked } if *i == id),
        )
        .await;

    // Mallory learned the id (a leaked log, a guess): a receipt, then a bounce with words.
    let mut mallory = Raw::login(&server, &m, &mpw).await;
    mallory
        .send(&format!(
            "<message xmlns='jabber:client' to='{a}/desk' id='r1'>\
             <received xmlns='urn:xmpp:receipts' id='{id}'/></message>"
        ))
        .await;
    mallory
        .send(&format!(
            "<message xmlns='jabber:client' to='{a}/desk' id='{id}' type='error'>\
             <error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Your account is suspended: \
             sign in at evil.example</text></error></message>"
        ))
        .await;
    // And a bounce for an id that was never sent: no banner either.
    mallory
        .send(&format!(
            "<message xmlns='jabber:client' to='{a}/desk' id='never-sent' type='error'>\
             <error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
             <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Call +1 555 0100 now</text>\
             </error></message>"
        ))
        .await;
    mallory
        .send(&format!(
            "<message xmlns='jabber:client' to='{a}/desk' type='chat' id='p1'><body>marker</body></message>"
        ))
        .await;
    alice
        .wait(
            "marker",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "marker")),
        )
        .await;
    alice.drain_for(Duration::from_millis(500)).await;

    let seen = format!("{:?}", alice.seen);
    assert!(
        !alice.seen.iter().any(|e| matches!(e, Event::Error { .. })),
        "an error banner from a stranger: {seen}"
    );
    assert!(
        !seen.contains("evil.example") && !seen.contains("+1 555"),
        "{seen}"
    );
    let history = alice
        .store
        .history(&j(&a), &j(&b), None, 10)
        .await
        .expect("history");
    let mine: Vec<Delivery> = history
        .iter()
        .filter(|m| m.body == "for bob only")
        .map(|m| m.delivery)
        .collect();
    assert_eq!(
        mine,
        [Delivery::Acked],
        "neither delivered nor failed by mallory"
    );

    // The control: a real bounce (the test server talks to no other server) fails the message
    // and says so.
    let id = alice.say("nobody@nowhere.invalid", "to nowhere");
    alice
        .wait(
            "failed",
            |e| matches!(e, Event::Delivery { id: i, state: Delivery::Failed } if *i == id),
        )
        .await;
    alice
        .saw("the banner", |e| matches!(e, Event::Error { .. }))
        .await;
    let _ = alice.quit().await;
}

on_servers!(async fn bookmarks_pushed_by_another_account_are_ignored);
async fn bookmarks_pushed_by_another_account_are_ignored(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (m, mpw) = server.create_user("mallory");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut mallory = Raw::login(&server, &m, &mpw).await;
    // CVE-2023-28686: a PEP notification for the bookmarks node, as if Alice's own server had
    // sent it, with a body for clients that show one.
    for node in ["urn:xmpp:bookmarks:1", "storage:bookmarks"] {
        mallory
            .send(&format!(
                "<message xmlns='jabber:client' to='{a}/desk' id='pep-{node}'>\
                 <event xmlns='http://jabber.org/protocol/pubsub#event'><items node='{node}'>\
                 <item id='support@conference.evil.example'><conference xmlns='urn:xmpp:bookmarks:1' \
                 autojoin='true' name='Bank support'><nick>alice</nick></conference></item></items>\
                 </event><body>join Bank support now</body></message>"
            ))
            .await;
    }
    mallory
        .send(&format!(
            "<message xmlns='jabber:client' to='{a}/desk' type='chat' id='p1'><body>marker</body></message>"
        ))
        .await;
    alice
        .wait(
            "marker",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "marker")),
        )
        .await;
    let seen = format!("{:?}", alice.seen);
    assert!(
        !seen.contains("Bank support") && !seen.contains("evil.example"),
        "{seen}"
    );
    let history = alice
        .store
        .history(&j(&a), &j(&m), None, 10)
        .await
        .expect("history");
    let bodies: Vec<&str> = history.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["marker"], "only the chat message is stored");
    let _ = alice.quit().await;
}
