//! Modern messages with an independent client: slixmpp signs in with its own stack and writes
//! (and reads) corrections, reactions, replies and retractions; Natter must show what it means
//! and write what it understands.

use serde_json::{Value, json};

use super::{SERVERS, changed, history, message_saying};
use crate::client::Client;
use crate::peer::Slix;
use crate::support::{Kind, TestServer, on_servers};
use natter::model::ReplyTo;
use natter::session::{Command, Event, new_id};

/// Alice on Natter, caught up, and Carol on slixmpp, both online on `server`: their addresses
/// and clients.
async fn alice_and_carol(server: &TestServer) -> (String, Client, String, Slix) {
    let (a, apw) = server.create_user("alice");
    let (c, cpw) = server.create_user("carol");
    let mut alice = Client::online(server, &a, &apw, "desk").await;
    alice.caught_up().await;
    let carol = Slix::online(server, &c, &cpw).await;
    (a, alice, c, carol)
}

on_servers!(async fn natter_reads_what_an_independent_client_writes);
async fn natter_reads_what_an_independent_client_writes(kind: Kind) {
    // The server is this test's: held until the test ends.
    let server = SERVERS.get(kind);
    let (a, mut alice, c, mut carol) = alice_and_carol(&server).await;

    carol
        .send(json!({"to": a, "id": "s1", "body": "lunch at noon?"}))
        .await;
    carol
        .send(json!({"to": a, "id": "s2", "body": "lunch at 1?", "replace": "s1"}))
        .await;
    alice
        .wait("the correction", |e| {
            changed(e, "corrected", "s1").is_some()
        })
        .await;
    carol
        .send(json!({"to": a, "id": "s3", "reactions": {"id": "s1", "emoji": ["🍜"]}}))
        .await;
    alice
        .wait("the reaction", |e| changed(e, "reactions", "s1").is_some())
        .await;
    carol
        .send(json!({"to": a, "id": "s4", "body": "or 2",
            "reply": {"id": "s1", "to": format!("{c}/slixmpp"), "quote": "lunch at 1?"}}))
        .await;
    alice
        .wait("the reply", |e| message_saying(e, "or 2").is_some())
        .await;
    carol
        .send(json!({"to": a, "id": "s5", "retract": "s4"}))
        .await;
    alice
        .wait("the retraction", |e| {
            changed(e, "retracted", "s4").is_some()
        })
        .await;
    // An older client's retraction (XEP-0424 v0, slixmpp's own plugin) of a message of its own.
    carol
        .send(json!({"to": a, "id": "s6", "body": "typo message"}))
        .await;
    carol
        .command(json!({"cmd": "retract_v0", "to": a, "id": "s6"}))
        .await;
    alice
        .wait("the older retraction", |e| {
            changed(e, "retracted", "s6").is_some()
        })
        .await;

    let shown = history(&alice, &c).await;
    assert_eq!(
        shown.len(),
        3,
        "three messages, the rest changes: {shown:#?}"
    );
    assert_eq!(shown[0].body, "lunch at 1?", "the latest text");
    assert!(shown[0].extras.edited());
    assert_eq!(shown[0].extras.reactions[0].emoji, ["🍜"]);
    assert!(shown[1].extras.retracted() && shown[1].body.is_empty());
    assert_eq!(
        shown[1].extras.reply_to.as_ref().map(|r| r.id.as_str()),
        Some("s1")
    );
    assert!(shown[2].extras.retracted(), "{:#?}", shown[2]);
    carol.quit().await;
    alice.quit().await;
}

on_servers!(async fn an_independent_client_reads_what_natter_writes);
async fn an_independent_client_reads_what_natter_writes(kind: Kind) {
    // The server is this test's: held until the test ends.
    let server = SERVERS.get(kind);
    let (a, mut alice, c, mut carol) = alice_and_carol(&server).await;
    carol
        .send(json!({"to": a, "id": "k1", "body": "lunch at noon?"}))
        .await;
    alice
        .wait("carol's message", |e| {
            message_saying(e, "lunch at noon?").is_some()
        })
        .await;

    let mine = alice.say(&c, "helo");
    let got = carol.message_with("origin_id", &json!(mine.as_str())).await;
    assert_eq!(got["body"], "helo");
    assert_eq!(
        got["id"],
        json!(mine.as_str()),
        "the stanza id is the origin-id"
    );

    alice.send(Command::Correct {
        id: mine.clone(),
        body: "hello".into(),
    });
    let got = carol.message_with("replace", &json!(mine.as_str())).await;
    assert_eq!(got["body"], "hello", "{got}");

    alice.send(Command::React {
        id: crate::mid("k1"),
        emoji: vec!["👍".into(), "🎉".into()],
    });
    let got = carol
        .wait("the reactions", |e| e["reactions"]["id"] == "k1")
        .await;
    assert_eq!(got["reactions"]["emoji"], json!(["🎉", "👍"]), "{got}");

    let reply_id = new_id();
    alice.send(Command::Send {
        to: crate::j(&c),
        body: "yes, noon".into(),
        id: reply_id.clone(),
        reply_to: Some(ReplyTo {
            id: crate::mid("k1"),
            author: Some(crate::j(&c)),
            quote: None,
        }),
    });
    let got = carol
        .message_with("origin_id", &json!(reply_id.as_str()))
        .await;
    assert_eq!(got["reply"]["id"], "k1", "{got}");
    assert_reply_reads_for_a_client_without_replies(&got, "lunch at noon?", "yes, noon");

    alice.send(Command::Retract { id: mine.clone() });
    let got = carol.message_with("retract", &json!(mine.as_str())).await;
    assert!(
        got["fallbacks"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["for"] == "urn:xmpp:message-retract:1")),
        "a client without retractions is told it is one: {got}"
    );
    alice
        .wait("retracted", |e| changed(e, "retracted", &mine).is_some())
        .await;
    assert!(
        !alice.seen.iter().any(|e| matches!(e, Event::Error { .. })),
        "no error on the way: {:#?}",
        alice.seen
    );
    carol.quit().await;
    alice.quit().await;
}

/// A reply's body, for a client that does not know replies, quotes what it answers; the
/// fallback element says which part is the quote, so a client that does can take it out.
fn assert_reply_reads_for_a_client_without_replies(got: &Value, quoted: &str, text: &str) {
    let body = got["body"].as_str().unwrap_or_default();
    let quote = format!("> {quoted}\n");
    assert_eq!(body, format!("{quote}{text}"), "{got}");
    let fallback = got["fallbacks"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["for"] == "urn:xmpp:reply:0"))
        .unwrap_or_else(|| panic!("no reply fallback: {got}"));
    assert_eq!(fallback["start"], 0, "{got}");
    assert_eq!(fallback["end"], quote.chars().count(), "{got}");
}
