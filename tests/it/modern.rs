//! Modern messages (issue 17) against the real servers: corrections, retractions, replies,
//! reactions and encrypted messages between two Natter accounts, from a peer that writes the
//! XEPs' stanzas as Conversations and Dino do (a raw stream), and from hostile peers.

mod hostile;
mod slix;

use std::time::Duration;

use natter::model::{ChatMessage, MessageChange, ReplyTo};
use natter::session::{Command, Event, new_id};

use crate::client::Client;
use crate::hostile::Raw;
use crate::j;
use crate::support::{Kind, Shared, on_servers};

/// The one ejabberd (and each test's Prosody) of `modern`.
pub static SERVERS: Shared = Shared::new();

/// Whether `e` tells of a change of the kind `kind` ("corrected", "retracted", "reactions")
/// to the message named `id` (its stanza id or origin-id).
fn changed(e: &Event, kind: &str, id: &str) -> Option<ChatMessage> {
    let Event::Changed(changes) = e else {
        return None;
    };
    changes.iter().find_map(|c| {
        let m = c.message();
        let named = m.remote_id.as_deref() == Some(id) || m.origin_id.as_deref() == Some(id);
        let kind_is = match c {
            MessageChange::Corrected(_) => "corrected",
            MessageChange::Retracted(_) => "retracted",
            MessageChange::Reactions { .. } => "reactions",
        };
        (named && kind_is == kind).then(|| m.clone())
    })
}

fn message_saying<'a>(e: &'a Event, body: &str) -> Option<&'a ChatMessage> {
    match e {
        Event::Messages(ms) => ms.iter().find(|m| m.body == body),
        _ => None,
    }
}

/// The conversation of `client`'s account with `peer`, oldest first.
async fn history(client: &Client, peer: &str) -> Vec<ChatMessage> {
    client
        .store
        .history(&j(&client.jid), &j(peer), None, 100)
        .await
        .expect("history")
}

on_servers!(async fn edits_reactions_replies_and_deletions_go_both_ways_between_natter_accounts);
async fn edits_reactions_replies_and_deletions_go_both_ways_between_natter_accounts(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    alice.caught_up().await;
    bob.caught_up().await;

    let id = alice.say(&b, "see you at teh cinema");
    bob.wait("the message", |e| {
        message_saying(e, "see you at teh cinema").is_some()
    })
    .await;
    alice.send(Command::Correct {
        id: id.clone(),
        body: "see you at the cinema".into(),
    });
    alice
        .wait("own correction", |e| changed(e, "corrected", &id).is_some())
        .await;
    let Some(fixed) = changed(
        &bob.wait("the correction", |e| changed(e, "corrected", &id).is_some())
            .await,
        "corrected",
        &id,
    ) else {
        unreachable!()
    };
    assert_eq!(fixed.body, "see you at the cinema");
    assert!(fixed.extras.edited());
    assert_eq!(
        history(&bob, &a).await.len(),
        1,
        "a correction is no new message"
    );

    bob.send(Command::React {
        id: id.clone(),
        emoji: vec!["👍".into()],
    });
    let Some(reacted) = changed(
        &alice
            .wait("bob's reaction", |e| changed(e, "reactions", &id).is_some())
            .await,
        "reactions",
        &id,
    ) else {
        unreachable!()
    };
    assert_eq!(reacted.extras.reactions[0].from, j(&b));
    assert_eq!(reacted.extras.reactions[0].emoji, ["👍"]);

    let reply_id = new_id();
    bob.send(Command::Send {
        to: j(&a),
        body: "great, 8 pm".into(),
        id: reply_id,
        reply_to: Some(ReplyTo {
            id: id.clone(),
            author: Some(j(&a)),
            quote: None,
        }),
    });
    let reply = alice
        .wait("the reply", |e| message_saying(e, "great, 8 pm").is_some())
        .await;
    let reply = message_saying(&reply, "great, 8 pm")
        .expect("reply")
        .clone();
    assert_eq!(
        reply.extras.reply_to.as_ref().map(|r| r.id.as_str()),
        Some(id.as_str())
    );

    alice.send(Command::Retract { id: id.clone() });
    let Some(gone) = changed(
        &bob.wait("the retraction", |e| changed(e, "retracted", &id).is_some())
            .await,
        "retracted",
        &id,
    ) else {
        unreachable!()
    };
    assert_eq!(gone.body, "");
    assert!(gone.extras.retracted());
    let found = bob
        .store
        .search(&j(&b), None, "cinema", 10)
        .await
        .expect("search");
    assert!(
        found.is_empty(),
        "a retracted message is never found: {found:?}"
    );
    alice.quit().await;
    bob.quit().await;
}

on_servers!(async fn a_client_writing_the_xeps_is_read_and_written_to_as_it_expects);
async fn a_client_writing_the_xeps_is_read_and_written_to_as_it_expects(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (c, cpw) = server.create_user("carol");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut carol = Raw::login_as(&server, &c, &cpw, "conversations").await;
    carol.available().await;
    let to = format!("to='{a}' type='chat' xmlns='jabber:client'");
    // As Conversations writes them: the original, a correction, a reaction, a reply with its
    // fallback quote, a retraction with its fallback, and an OMEMO message.
    for xml in [
        format!(
            "<message {to} id='k1'><body>lunch at noon?</body><origin-id xmlns='urn:xmpp:sid:0' id='k1'/></message>"
        ),
        format!(
            "<message {to} id='k2'><body>lunch at 1?</body><replace xmlns='urn:xmpp:message-correct:0' id='k1'/><origin-id xmlns='urn:xmpp:sid:0' id='k2'/></message>"
        ),
        format!(
            "<message {to} id='k3'><reactions xmlns='urn:xmpp:reactions:0' id='k1'><reaction>🍜</reaction></reactions><store xmlns='urn:xmpp:hints'/><origin-id xmlns='urn:xmpp:sid:0' id='k3'/></message>"
        ),
        format!(
            "<message {to} id='k4'><body>&gt; lunch at 1?\nor 2</body><reply xmlns='urn:xmpp:reply:0' to='{c}/conversations' id='k1'/><fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'><body start='0' end='14'/></fallback><origin-id xmlns='urn:xmpp:sid:0' id='k4'/></message>"
        ),
        format!(
            "<message {to} id='k5'><body>This person attempted to retract a previous message, but it's unsupported by your client.</body><retract xmlns='urn:xmpp:message-retract:1' id='k4'/><fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:message-retract:1'/><store xmlns='urn:xmpp:hints'/><origin-id xmlns='urn:xmpp:sid:0' id='k5'/></message>"
        ),
        format!(
            "<message {to} id='k6'><body>I sent you an OMEMO encrypted message but your client doesn't seem to support that.</body><encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='7'><key rid='1'>AAAA</key><iv>AAAA</iv></header><payload>AAAA</payload></encrypted><encryption xmlns='urn:xmpp:eme:0' name='OMEMO' namespace='eu.siacs.conversations.axolotl'/><store xmlns='urn:xmpp:hints'/><origin-id xmlns='urn:xmpp:sid:0' id='k6'/></message>"
        ),
    ] {
        carol.send(&xml).await;
    }
    alice
        .wait("the encrypted one", |e| {
            matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.extras.encryption.is_some()))
        })
        .await;
    let shown = history(&alice, &c).await;
    assert_eq!(
        shown.len(),
        3,
        "three messages, the rest changes: {shown:#?}"
    );
    assert_eq!(shown[0].body, "lunch at 1?");
    assert!(shown[0].extras.edited());
    assert_eq!(shown[0].extras.reactions[0].emoji, ["🍜"]);
    assert!(shown[1].extras.retracted() && shown[1].body.is_empty());
    assert_eq!(
        shown[1].extras.reply_to.as_ref().map(|r| r.id.as_str()),
        Some("k1")
    );
    let omemo = shown[2].extras.encryption.as_ref().expect("marked");
    assert_eq!(
        (omemo.scheme.as_str(), shown[2].body.as_str()),
        ("omemo", "")
    );
    assert!(omemo.payload.contains("<payload>AAAA</payload>"));

    // What Alice does reaches Carol as the XEPs write it.
    let mine = alice.say(&c, "helo");
    alice
        .wait("sent", |e| message_saying(e, "helo").is_some())
        .await;
    alice.send(Command::Correct {
        id: mine.clone(),
        body: "hello".into(),
    });
    alice.send(Command::React {
        id: crate::mid("k1"),
        emoji: vec!["👍".into(), "👍".into()],
    });
    alice.send(Command::Retract { id: mine.clone() });
    alice
        .wait("retracted", |e| changed(e, "retracted", &mine).is_some())
        .await;
    carol.listen(Duration::from_secs(2)).await;
    let got = carol
        .received
        .iter()
        .map(|(_, x)| x.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        got.contains(&format!(
            "<replace xmlns='urn:xmpp:message-correct:0' id='{mine}'/>"
        )),
        "{got}"
    );
    assert!(got.contains(">hello</body>"), "{got}");
    assert!(
        got.contains(
            "<reactions xmlns='urn:xmpp:reactions:0' id='k1'><reaction>👍</reaction></reactions>"
        ),
        "{got}"
    );
    assert!(
        got.contains(&format!(
            "<retract xmlns='urn:xmpp:message-retract:1' id='{mine}'/>"
        )),
        "{got}"
    );
    alice.quit().await;
}

on_servers!(async fn a_correction_that_comes_before_its_message_applies_once_it_arrives);
async fn a_correction_that_comes_before_its_message_applies_once_it_arrives(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (c, cpw) = server.create_user("carol");
    // Alice is offline: the server keeps both (offline storage, the archive) in the order
    // they came, the correction first.
    let mut carol = Raw::login_as(&server, &c, &cpw, "dino").await;
    let to = format!("to='{a}' type='chat' xmlns='jabber:client'");
    carol.send(&format!("<message {to} id='z2'><body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='z1'/><origin-id xmlns='urn:xmpp:sid:0' id='z2'/></message>")).await;
    carol.send(&format!("<message {to} id='z1'><body>fxied</body><origin-id xmlns='urn:xmpp:sid:0' id='z1'/></message>")).await;
    carol.listen(Duration::from_millis(300)).await;

    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice
        .wait("the correction applied", |e| {
            changed(e, "corrected", "z1").is_some()
        })
        .await;
    alice.caught_up().await;
    alice.drain_for(Duration::from_millis(500)).await;
    let shown = history(&alice, &c).await;
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert_eq!(shown[0].body, "fixed");
    let corrections = alice
        .seen
        .iter()
        .filter(|e| changed(e, "corrected", "z1").is_some())
        .count();
    assert_eq!(corrections, 1, "applied once, however many copies came");
    let versions = alice
        .store
        .versions(shown[0].local_id)
        .await
        .expect("versions");
    assert_eq!(versions.len(), 1);
    let waiting = alice.store.waiting_changes(&j(&a)).await.expect("count");
    assert_eq!(waiting, 0);
    alice.quit().await;
}

on_servers!(async fn a_change_made_offline_goes_out_at_the_next_sign_in);
async fn a_change_made_offline_goes_out_at_the_next_sign_in(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let alice = Client::online(&server, &a, &apw, "desk").await;
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    let id = alice.say(&b, "see you at teh cinema");
    bob.wait("the message", |e| {
        message_saying(e, "see you at teh cinema").is_some()
    })
    .await;
    let db = alice.db.clone();
    let _dir = alice.quit().await;

    // The same device with the network gone: a port nobody listens on.
    let nowhere = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut offline = Client::start_via(&server, &a, &apw, "desk", db.clone(), nowhere).await;
    offline.send(Command::Correct {
        id: id.clone(),
        body: "see you at the cinema".into(),
    });
    offline
        .wait("shown corrected at once", |e| {
            changed(e, "corrected", &id).is_some()
        })
        .await;
    assert!(
        !offline
            .seen
            .iter()
            .any(|e| matches!(e, Event::Error { .. })),
        "offline is no error for a change: {:#?}",
        offline.seen
    );
    offline.quit().await;
    bob.drain_for(Duration::from_millis(300)).await;
    assert!(
        !bob.seen
            .iter()
            .any(|e| changed(e, "corrected", &id).is_some()),
        "nothing went while offline"
    );

    let mut alice = Client::start_with(&server, &a, &apw, "desk", db).await;
    alice
        .wait("online", |e| matches!(e, Event::Online { .. }))
        .await;
    let fixed = bob
        .wait("the correction, after the sign-in", |e| {
            changed(e, "corrected", &id).is_some()
        })
        .await;
    assert_eq!(
        changed(&fixed, "corrected", &id).map(|m| m.body),
        Some("see you at the cinema".into())
    );
    // Acknowledged by the server: it does not go a second time at the sign-in after.
    alice.drain_for(Duration::from_millis(500)).await;
    assert_eq!(
        alice.store.queued_changes(&j(&a)).await.expect("queue"),
        Vec::new()
    );
    alice.quit().await;
    bob.quit().await;
}
