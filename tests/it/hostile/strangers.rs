//! Strangers (not in the roster) get nothing out of Natter: their presence creates no contact,
//! no request and no stored state; and Natter sends no automatic reply (receipt, chat state,
//! error, presence) to strangers, to error messages, to carbons or to archive results. Raw
//! streams on the other side record everything that reaches them.

use crate::j;
use std::time::Duration;

use natter::session::{Command, Event};

use super::Raw;
use super::SERVERS;
use crate::client::Client;
use crate::support::{Kind, Server, Setup, on_servers};

on_servers!(async fn presence_from_strangers_creates_nothing);
async fn presence_from_strangers_creates_nothing(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (m, mpw) = server.create_user("mallory");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut mallory = Raw::login(&server, &m, &mpw).await;
    // Directed presence to Alice's resource (the server delivers it), with words and idle time.
    for xml in [
        format!(
            "<presence xmlns='jabber:client' to='{a}/desk'><show>chat</show>\
             <status>Your bank: please call</status></presence>"
        ),
        format!(
            "<presence xmlns='jabber:client' to='{a}/desk'><status>second</status>\
             <idle xmlns='urn:xmpp:idle:1' since='2020-01-01T00:00:00Z'/></presence>"
        ),
        format!("<presence xmlns='jabber:client' to='{a}/desk' type='unavailable'/>"),
        format!("<presence xmlns='jabber:client' to='{a}' type='subscribed'/>"),
        format!("<presence xmlns='jabber:client' to='{a}/desk' type='subscribed'/>"),
        format!("<presence xmlns='jabber:client' to='{a}/desk' type='unsubscribed'/>"),
        format!("<presence xmlns='jabber:client' to='{a}/desk' type='probe'/>"),
    ] {
        mallory.send(&xml).await;
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
    alice.drain_for(Duration::from_millis(500)).await;

    let from_mallory: Vec<&Event> = alice
        .seen
        .iter()
        .filter(|e| match e {
            Event::Presence { jid, .. } => jid.as_str().starts_with(&m),
            Event::RosterPush(item) => item.jid.as_str() == m,
            Event::SubscriptionRequest(r) => r.from.as_str() == m,
            _ => false,
        })
        .collect();
    assert!(
        from_mallory.is_empty(),
        "a stranger's presence reached the person: {from_mallory:?}"
    );
    assert!(alice.item(&m).await.is_none(), "no contact was made");
    let requests = alice.store.requests(&j(&a), false).await.expect("requests");
    assert!(requests.is_empty(), "no request was stored: {requests:?}");
    let _ = alice.quit().await;
}

on_servers!(async fn nothing_is_answered_to_strangers_errors_carbons_or_history);
async fn nothing_is_answered_to_strangers_errors_carbons_or_history(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let (m, mpw) = server.create_user("mallory");
    let desk = format!("{a}/desk");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    // Bob is a contact: his messages are receipted (the control that shows receipts work).
    alice.send(Command::Add {
        jid: j(&b.clone()),
        name: Some("Bob".into()),
        groups: vec![],
        message: None,
        share_presence: true,
    });
    alice
        .wait(
            "bob in the roster",
            |e| matches!(e, Event::RosterPush(i) if i.jid.as_str() == b),
        )
        .await;
    let mut bob = Raw::login_as(&server, &b, &bpw, "laptop").await;
    let mut phone = Raw::login_as(&server, &a, &apw, "phone").await;
    phone.available().await;
    let mut mallory = Raw::login(&server, &m, &mpw).await;
    let request = "<request xmlns='urn:xmpp:receipts'/>";
    let active = "<active xmlns='http://jabber.org/protocol/chatstates'/>";

    // A carbon: Bob writes to Alice's phone; the desk gets the copy and must not confirm it.
    bob.send(&format!(
        "<message xmlns='jabber:client' to='{a}/phone' type='chat' id='to-phone'>\
         <body>for the phone</body>{request}{active}</message>"
    ))
    .await;
    // A stranger: a chat message and a normal one asking for receipts, an error, presence.
    for xml in [
        format!(
            "<message xmlns='jabber:client' to='{desk}' type='chat' id='s1'>\
             <body>hello from a stranger</body>{request}{active}</message>"
        ),
        format!(
            "<message xmlns='jabber:client' to='{desk}' id='s2'><body>normal</body>{request}</message>"
        ),
        format!(
            "<message xmlns='jabber:client' to='{desk}' type='error' id='s3'><error type='cancel'>\
             <not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>{request}</message>"
        ),
        format!(
            "<message xmlns='jabber:client' to='{desk}' type='headline' id='s4'><body>h</body>{request}</message>"
        ),
        format!("<presence xmlns='jabber:client' to='{desk}'/>"),
        format!("<presence xmlns='jabber:client' to='{a}' type='subscribe'/>"),
        // Forged carbon and archive result in Bob's name, asking for a receipt to Bob.
        format!(
            "<message xmlns='jabber:client' to='{desk}' type='chat'><received xmlns='urn:xmpp:carbons:2'>\
             <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='{b}/laptop' \
             to='{desk}' type='chat' id='forged-carbon'><body>x</body>{request}</message></forwarded>\
             </received></message>"
        ),
        format!(
            "<message xmlns='jabber:client' to='{desk}'><result xmlns='urn:xmpp:mam:2' queryid='q' id='a1'>\
             <forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='{b}/laptop' \
             to='{desk}' type='chat' id='forged-archive'><body>x</body>{request}</message></forwarded>\
             </result></message>"
        ),
        // The last one: once the desk shows it, it has read everything before it (one
        // sender's stanzas arrive in order). Quitting earlier would let the server bounce the
        // rest in the desk's name, which is the server answering, not Natter.
        format!(
            "<message xmlns='jabber:client' to='{desk}' type='chat' id='s5'><body>last</body>{request}</message>"
        ),
    ] {
        mallory.send(&xml).await;
    }
    alice
        .wait(
            "the stranger's last message",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "last")),
        )
        .await;

    // History: with the desk off, Bob writes again (the phone gets it, the archive keeps it);
    // the desk reads it in its catch-up and must not confirm it either.
    let dir = alice.quit().await;
    bob.send(&format!(
        "<message xmlns='jabber:client' to='{a}' type='chat' id='history'>\
         <body>while you were away</body>{request}</message>"
    ))
    .await;
    phone.listen(Duration::from_millis(500)).await;
    let dir = dir.expect("the desk's directory");
    let mut alice =
        Client::start_with(&server, &a, &apw, "desk", dir.path().join("natter.sqlite3")).await;
    alice
        .wait("the history", |e| {
            matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "while you were away"))
        })
        .await;
    alice.caught_up().await;

    // The control: a live message from Bob to the desk is confirmed.
    bob.send(&format!(
        "<message xmlns='jabber:client' to='{desk}' type='chat' id='marker'>\
         <body>marker</body>{request}</message>"
    ))
    .await;
    alice
        .wait(
            "marker",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "marker")),
        )
        .await;
    bob.listen(Duration::from_secs(2)).await;
    mallory.listen(Duration::from_millis(200)).await;

    let to_mallory = mallory.received_from(&desk);
    assert!(
        to_mallory.is_empty(),
        "Natter answered the stranger: {to_mallory:#?}"
    );
    let to_bob = bob.received_from(&desk);
    assert_eq!(
        to_bob.len(),
        1,
        "one receipt, for the live message only: {to_bob:#?}"
    );
    assert!(
        to_bob[0].contains("urn:xmpp:receipts") && to_bob[0].contains("marker"),
        "{to_bob:#?}"
    );
    let _ = alice.quit().await;
}

on_servers!(async fn a_quit_acknowledges_what_arrived_so_nothing_bounces_in_our_name);
/// Quitting acknowledges what arrived: the server does not bounce it back to the senders in
/// our name. Prosody answers every stanza it still holds unacknowledged when a session ends
/// with `recipient-unavailable` from our address, unless its archive kept it; a server that
/// asks for acknowledgements only now and then (here: never) holds many, and a peer's typing
/// notifications and receipts came back to the peer as errors. (ejabberd asks again as soon
/// as its last request is answered and cannot be told otherwise; it bounces what is left
/// unacknowledged alike, with `service-unavailable`.)
async fn a_quit_acknowledges_what_arrived_so_nothing_bounces_in_our_name(kind: Kind) {
    let server = Server::start_with(
        kind,
        Setup {
            rare_acks: true,
            ..Setup::default()
        },
    );
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let desk = format!("{a}/desk");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    // With another device online the server has no offline store to fall back on.
    let mut phone = Raw::login_as(&server, &a, &apw, "phone").await;
    phone.available().await;
    let mut bob = Raw::login_as(&server, &b, &bpw, "laptop").await;
    // Typing notifications have no body, so no archive keeps them; the body at the end is
    // what the desk waits for before it quits (one sender's stanzas arrive in order).
    const N: usize = 300;
    for i in 0..N {
        let state = if i % 2 == 0 { "composing" } else { "paused" };
        bob.send(&format!(
            "<message xmlns='jabber:client' to='{desk}' type='chat' id='cs{i}'>\
             <{state} xmlns='http://jabber.org/protocol/chatstates'/></message>"
        ))
        .await;
    }
    bob.send(&format!(
        "<message xmlns='jabber:client' to='{desk}' type='chat' id='end'><body>the end</body></message>"
    ))
    .await;
    alice
        .wait(
            "the last message",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "the end")),
        )
        .await;
    let _ = alice.quit().await;
    bob.listen(Duration::from_secs(1)).await;
    let bounced = bob.received_from(&desk);
    assert!(
        bounced.is_empty(),
        "{} of {} stanzas came back to the sender as errors in our name: {:#?}",
        bounced.len(),
        N + 1,
        &bounced[..bounced.len().min(3)]
    );
}

on_servers!(async fn a_flood_of_capability_queries_is_answered_in_full);
/// A server with PEP asks for our capabilities thousands of times at login; each query is
/// answered once, with our features, however many come at once (answers go a few at a time).
async fn a_flood_of_capability_queries_is_answered_in_full(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut bob = Raw::login(&server, &b, &bpw).await;
    const N: usize = 500;
    for i in 0..N {
        bob.send(&format!(
            "<iq xmlns='jabber:client' type='get' id='caps{i}' to='{a}/desk'>\
             <query xmlns='http://jabber.org/protocol/disco#info' node='https://natter.im#x'/></iq>"
        ))
        .await;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let answered = |bob: &Raw| {
        bob.received_from(&format!("{a}/desk"))
            .iter()
            .filter(|xml| xml.contains("type='result'") && xml.contains("urn:xmpp:receipts"))
            .count()
    };
    while answered(&bob) < N && tokio::time::Instant::now() < deadline {
        bob.listen(Duration::from_millis(200)).await;
    }
    let mut ids: Vec<String> = bob
        .received_from(&format!("{a}/desk"))
        .iter()
        .filter_map(|xml| xml.split("id='caps").nth(1))
        .filter_map(|rest| rest.split('\'').next())
        .map(str::to_owned)
        .collect();
    ids.sort_by_key(|i| i.parse::<usize>().unwrap_or(usize::MAX));
    ids.dedup();
    assert_eq!(
        answered(&bob),
        N,
        "every query answered once with our features"
    );
    assert_eq!(ids.len(), N);
    assert!(
        bob.received_from(&format!("{a}/desk"))
            .iter()
            .all(|xml| !xml.contains("caps") || xml.contains("node='https://natter.im#x'")),
        "each answer names the node asked about"
    );
}

on_servers!(async fn the_version_is_told_to_contacts_who_see_us_and_not_to_strangers);
/// Issue 16 (§4): which software Natter is, to the letter of its version, is told only to
/// contacts who see our presence anyway (as last activity is); a stranger, or a contact who
/// does not see us, gets `service-unavailable`, the answer of a client that does not serve the
/// request at all.
async fn the_version_is_told_to_contacts_who_see_us_and_not_to_strangers(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let (m, mpw) = server.create_user("mallory");
    let desk = format!("{a}/desk");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    // Bob asks to see Alice, and she lets him.
    let mut bob = Raw::login_as(&server, &b, &bpw, "laptop").await;
    bob.send(&format!(
        "<presence xmlns='jabber:client' to='{a}' type='subscribe'/>"
    ))
    .await;
    alice
        .wait(
            "Bob's request",
            |e| matches!(e, Event::SubscriptionRequest(r) if r.from == j(&b)),
        )
        .await;
    alice.send(Command::Accept { jid: j(&b) });
    alice
        .wait(
            "Bob sees Alice",
            |e| matches!(e, Event::RosterPush(i) if i.jid == j(&b) && i.subscription.they_see_me()),
        )
        .await;
    let mut mallory = Raw::login(&server, &m, &mpw).await;
    let ask = |id: &str| {
        format!(
            "<iq xmlns='jabber:client' type='get' id='{id}' to='{desk}'>\
             <query xmlns='jabber:iq:version'/></iq>"
        )
    };
    mallory.send(&ask("v-mallory")).await;
    bob.send(&ask("v-bob")).await;
    let version = env!("CARGO_PKG_VERSION");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while (mallory.received_from(&desk).is_empty() || bob.received_from(&desk).is_empty())
        && tokio::time::Instant::now() < deadline
    {
        mallory.listen(Duration::from_millis(100)).await;
        bob.listen(Duration::from_millis(100)).await;
    }
    let to_mallory = mallory.received_from(&desk);
    assert_eq!(to_mallory.len(), 1, "{to_mallory:#?}");
    assert!(
        to_mallory[0].contains("type='error'")
            && to_mallory[0].contains("service-unavailable")
            && to_mallory[0].contains("v-mallory"),
        "{to_mallory:#?}"
    );
    assert!(
        !to_mallory[0].contains("Natter") && !to_mallory[0].contains(version),
        "the stranger learnt the software: {to_mallory:#?}"
    );
    let to_bob = bob.received_from(&desk);
    let answer = to_bob
        .iter()
        .find(|xml| xml.contains("v-bob"))
        .unwrap_or_else(|| panic!("no answer to Bob: {to_bob:#?}"));
    assert!(
        answer.contains("type='result'")
            && answer.contains("<name>Natter</name>")
            && answer.contains(&format!("<version>{version}</version>")),
        "{answer}"
    );
    let _ = alice.quit().await;
}
