//! Hostile peers against modern messages: changes naming someone else's message, ids that do
//! not exist, floods of reactions, long correction chains and replies into another
//! conversation change nothing the person did not choose, and stay bounded.

use std::time::Duration;

use natter::model::amend::{MAX_REACTIONS_PER_PERSON, MAX_VERSIONS};

use super::{SERVERS, changed, history, message_saying};
use crate::client::Client;
use crate::hostile::Raw;
use crate::j;
use crate::support::{Kind, on_servers};

on_servers!(async fn changes_naming_someone_elses_message_floods_and_chains_stay_harmless);
async fn changes_naming_someone_elses_message_floods_and_chains_stay_harmless(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let (m, mpw) = server.create_user("mallory");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let mut bob = Raw::login_as(&server, &b, &bpw, "phone").await;
    let mut mallory = Raw::login_as(&server, &m, &mpw, "evil").await;
    mallory.available().await;
    let to = format!("to='{a}' type='chat' xmlns='jabber:client'");
    bob.send(&format!("<message {to} id='b1'><body>bob's private words</body><origin-id xmlns='urn:xmpp:sid:0' id='b1'/></message>")).await;
    alice
        .wait("bob's message", |e| {
            message_saying(e, "bob's private words").is_some()
        })
        .await;
    let mine = alice.say(&m, "my own words");
    alice
        .wait("sent", |e| message_saying(e, "my own words").is_some())
        .await;

    // Someone else's messages named: Alice's own in this conversation, Bob's in another.
    for (n, target) in [(1, mine.as_str()), (2, "b1")] {
        mallory.send(&format!("<message {to} id='f{n}'><body>forged</body><replace xmlns='urn:xmpp:message-correct:0' id='{target}'/></message>")).await;
        mallory.send(&format!("<message {to} id='g{n}'><retract xmlns='urn:xmpp:message-retract:1' id='{target}'/></message>")).await;
    }
    // A reply pointing into Bob's conversation; ids that do not exist.
    mallory.send(&format!("<message {to} id='r1'><body>what did bob say?</body><reply xmlns='urn:xmpp:reply:0' to='{b}/phone' id='b1'/></message>")).await;
    for n in 0..50 {
        mallory.send(&format!("<message {to} id='u{n}'><body>x</body><replace xmlns='urn:xmpp:message-correct:0' id='nothing-{n}'/></message>")).await;
    }
    // A flood of reactions to Alice's message, forty emoji each.
    let many: String = (0..40)
        .map(|k| {
            format!(
                "<reaction>{}</reaction>",
                char::from_u32(0x1F600 + k).unwrap()
            )
        })
        .collect();
    for n in 0..300 {
        mallory.send(&format!("<message {to} id='e{n}'><reactions xmlns='urn:xmpp:reactions:0' id='{mine}'>{many}</reactions></message>")).await;
    }
    // Mallory's own message, then a chain of corrections each naming the one before.
    mallory.send(&format!("<message {to} id='c0'><body>version 0</body><origin-id xmlns='urn:xmpp:sid:0' id='c0'/></message>")).await;
    for n in 1..=200 {
        mallory.send(&format!("<message {to} id='c{n}'><body>version {n}</body><replace xmlns='urn:xmpp:message-correct:0' id='c{}'/><origin-id xmlns='urn:xmpp:sid:0' id='c{n}'/></message>", n - 1)).await;
    }
    mallory
        .send(&format!(
            "<message {to} id='p1'><body>marker</body></message>"
        ))
        .await;
    alice
        .wait("marker", |e| message_saying(e, "marker").is_some())
        .await;
    alice.drain_for(Duration::from_millis(300)).await;

    let bobs = history(&alice, &b).await;
    assert_eq!(bobs[0].body, "bob's private words");
    assert!(!bobs[0].extras.edited() && !bobs[0].extras.retracted());
    let with_mallory = history(&alice, &m).await;
    let own = with_mallory
        .iter()
        .find(|x| x.remote_id.as_deref() == Some(mine.as_str()))
        .expect("alice's message");
    assert_eq!(own.body, "my own words");
    assert!(!own.extras.edited() && !own.extras.retracted());
    assert_eq!(own.extras.reactions.len(), 1, "one set per person");
    assert_eq!(
        own.extras.reactions[0].emoji.len(),
        MAX_REACTIONS_PER_PERSON
    );
    let reply = with_mallory
        .iter()
        .find(|x| x.body == "what did bob say?")
        .expect("the reply");
    assert_eq!(
        reply.extras.reply_to.as_ref().map(|r| r.id.as_str()),
        Some("b1")
    );
    let quoted = alice
        .store
        .find_message(&j(&a), &j(&m), &crate::mid("b1"))
        .await
        .expect("lookup");
    assert_eq!(
        quoted, None,
        "Bob's words are never quoted in Mallory's conversation"
    );
    let chain = with_mallory
        .iter()
        .find(|x| x.remote_id.as_deref() == Some("c0"))
        .expect("the chained message");
    assert_eq!(chain.body, "version 200");
    let versions = alice
        .store
        .versions(chain.local_id)
        .await
        .expect("versions");
    assert_eq!(versions.len(), MAX_VERSIONS);
    assert!(
        !alice
            .seen
            .iter()
            .any(|e| changed(e, "corrected", "b1").is_some()
                || changed(e, "retracted", "b1").is_some()
                || changed(e, "corrected", &mine).is_some()
                || changed(e, "retracted", &mine).is_some()),
        "no change announced for someone else's message"
    );
    let forged = format!("{:?}", alice.seen);
    assert!(!forged.contains("\"forged\""), "{forged}");
    // Unknown ids wait, bounded, for a message that may still come from the archive.
    let waiting = alice.store.waiting_changes(&j(&a)).await.expect("count");
    assert!((50..=1_000).contains(&waiting), "{waiting}");
    alice.quit().await;
}
