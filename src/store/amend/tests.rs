//! Tests of corrections, retractions and reactions in the store, hostile ones included.

use super::super::testing::{ALICE, inbound, outbound, store_with_accounts};
use super::*;
use crate::model::Extras;
use crate::model::address::j;
use crate::model::amend::MAX_REACTIONS_PER_PERSON;

const CAROL: &str = "carol@example.org";
const DAVE: &str = "dave@example.org";

/// Carol's message `id` saying `body` at `at`.
fn from_carol(id: &str, body: &str, at: Millis) -> ChatMessage {
    ChatMessage {
        remote_id: Some(id.into()),
        origin_id: Some(id.into()),
        ..inbound(ALICE, CAROL, body, at)
    }
}

/// `msg` as a change (`id` its own) that makes `amendment`.
fn change(mut msg: ChatMessage, amendment: Amendment) -> ChatMessage {
    msg.extras = Box::new(Extras {
        amends: Some(amendment),
        ..Extras::default()
    });
    msg
}

fn correction(of: &str, id: &str, body: &str, at: Millis) -> ChatMessage {
    change(
        from_carol(id, body, at),
        Amendment::Correction { target: of.into() },
    )
}

fn reaction(of: &str, id: &str, emoji: &[&str], at: Millis) -> ChatMessage {
    change(
        from_carol(id, "", at),
        Amendment::Reactions {
            target: of.into(),
            emoji: emoji.iter().map(|e| e.to_string()).collect(),
        },
    )
}

async fn insert(store: &Store, msgs: Vec<ChatMessage>) -> crate::store::Inserted {
    store
        .insert_received(&j(ALICE), msgs, None)
        .await
        .expect("insert")
}

async fn page(store: &Store, peer: &str) -> Vec<ChatMessage> {
    store
        .history(&j(ALICE), &j(peer), None, 50)
        .await
        .expect("history")
}

async fn found(store: &Store, words: &str) -> Vec<String> {
    let hits = store.search(&j(ALICE), None, words, 10).await.unwrap();
    hits.into_iter().map(|m| m.body).collect()
}

#[tokio::test]
async fn a_correction_shows_the_latest_text_keeps_the_earlier_and_search_finds_only_the_latest() {
    let (_dir, store) = store_with_accounts().await;
    insert(
        &store,
        vec![from_carol("m1", "see you at teh cinema", 1_000)],
    )
    .await;
    let done = insert(
        &store,
        vec![correction("m1", "c1", "see you at the cinema", 2_000)],
    )
    .await;
    assert!(done.messages.is_empty(), "a correction is not a message");
    let [MessageChange::Corrected(changed)] = &done.changes[..] else {
        panic!("{:?}", done.changes);
    };
    assert_eq!(changed.body, "see you at the cinema");
    assert_eq!(changed.extras.edited_at, Some(2_000));
    let shown = page(&store, CAROL).await;
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].body, "see you at the cinema");
    assert!(shown[0].extras.edited());
    assert_eq!(
        store.versions(shown[0].local_id).await.unwrap(),
        [(1_000, "see you at teh cinema".to_owned())]
    );
    assert_eq!(found(&store, "the cinema").await, ["see you at the cinema"]);
    assert!(found(&store, "teh").await.is_empty());
}

#[tokio::test]
async fn the_same_correction_twice_live_then_from_the_archive_applies_once() {
    let (_dir, store) = store_with_accounts().await;
    insert(&store, vec![from_carol("m1", "one", 1_000)]).await;
    let live = correction("m1", "c1", "two", 2_000);
    let mut archived = live.clone();
    archived.stanza_id = Some("archive-7".into());
    assert_eq!(insert(&store, vec![live]).await.changes.len(), 1);
    assert!(insert(&store, vec![archived]).await.changes.is_empty());
    let id = page(&store, CAROL).await[0].local_id;
    assert_eq!(store.versions(id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_change_naming_someone_elses_message_changes_nothing() {
    let (_dir, store) = store_with_accounts().await;
    // Alice's own message to Carol, and one from Dave with the id Carol will name.
    let mine = outbound(ALICE, CAROL, "my words", "o1");
    let daves = ChatMessage {
        remote_id: Some("d1".into()),
        ..inbound(ALICE, DAVE, "dave's words", 500)
    };
    store.insert_messages(vec![mine, daves]).await.unwrap();
    let forged = vec![
        correction("o1", "f1", "words put in my mouth", 2_000),
        change(
            from_carol("f2", "", 2_001),
            Amendment::Retraction {
                target: "o1".into(),
            },
        ),
        correction("d1", "f3", "dave never said this", 2_002),
    ];
    assert!(insert(&store, forged).await.changes.is_empty());
    assert_eq!(page(&store, CAROL).await[0].body, "my words");
    assert_eq!(page(&store, DAVE).await[0].body, "dave's words");
    // A reaction may name either side's message of the conversation: Carol reacts to mine.
    let done = insert(&store, vec![reaction("o1", "r1", &["👍"], 3_000)]).await;
    assert_eq!(done.changes.len(), 1);
}

#[tokio::test]
async fn a_retraction_removes_the_text_its_versions_and_reactions_and_search_never_finds_it() {
    let (_dir, store) = store_with_accounts().await;
    insert(&store, vec![from_carol("m1", "secret plans", 1_000)]).await;
    insert(
        &store,
        vec![
            correction("m1", "c1", "secret plans revised", 2_000),
            reaction("m1", "r1", &["😮"], 2_500),
        ],
    )
    .await;
    let done = insert(
        &store,
        vec![change(
            from_carol(
                "x1",
                "This person attempted to retract a previous message",
                3_000,
            ),
            Amendment::Retraction {
                target: "m1".into(),
            },
        )],
    )
    .await;
    let [MessageChange::Retracted(gone)] = &done.changes[..] else {
        panic!("{:?}", done.changes);
    };
    assert_eq!(gone.body, "");
    assert!(gone.extras.retracted() && gone.extras.reactions.is_empty());
    assert!(store.versions(gone.local_id).await.unwrap().is_empty());
    assert!(found(&store, "secret").await.is_empty());
    assert!(found(&store, "attempted").await.is_empty());
    // Nothing changes a retracted message any more.
    let after = vec![correction("m1", "c2", "back again", 4_000)];
    assert!(insert(&store, after).await.changes.is_empty());
    assert_eq!(page(&store, CAROL).await[0].body, "");
}

#[tokio::test]
async fn a_persons_new_reaction_set_replaces_theirs_and_a_flood_stays_bounded() {
    let (_dir, store) = store_with_accounts().await;
    insert(&store, vec![from_carol("m1", "lunch?", 1_000)]).await;
    let mut mine = change(
        outbound(ALICE, CAROL, "", "ro"),
        Amendment::Reactions {
            target: "m1".into(),
            emoji: vec!["❤️".into()],
        },
    );
    mine.sent_at = 1_500;
    store.insert_messages(vec![mine]).await.unwrap();
    let flood: Vec<ChatMessage> = (0..500)
        .map(|i| {
            let emoji: Vec<String> = (0..50)
                .map(|k| char::from_u32(0x1F600 + (i + k) % 80).unwrap().to_string())
                .collect();
            let refs: Vec<&str> = emoji.iter().map(String::as_str).collect();
            reaction("m1", &format!("r{i}"), &refs, 2_000 + i64::from(i))
        })
        .collect();
    insert(&store, flood).await;
    let shown = &page(&store, CAROL).await[0];
    assert_eq!(shown.extras.reactions.len(), 2, "one set per person");
    let carols = shown
        .extras
        .reactions
        .iter()
        .find(|r| r.from == j(CAROL))
        .unwrap();
    assert_eq!(carols.emoji.len(), MAX_REACTIONS_PER_PERSON);
    // The newest set replaced the others; an older one that comes late does not.
    insert(&store, vec![reaction("m1", "late", &["👎"], 1_800)]).await;
    insert(&store, vec![reaction("m1", "new", &["👍"], 9_000)]).await;
    let shown = &page(&store, CAROL).await[0];
    let carols = shown
        .extras
        .reactions
        .iter()
        .find(|r| r.from == j(CAROL))
        .unwrap();
    assert_eq!(carols.emoji, ["👍"]);
    // An empty set takes them back.
    insert(&store, vec![reaction("m1", "none", &[], 9_500)]).await;
    assert_eq!(page(&store, CAROL).await[0].extras.reactions.len(), 1);
}

#[tokio::test]
async fn a_change_for_a_message_not_stored_yet_applies_when_it_comes_from_the_archive() {
    let (_dir, store) = store_with_accounts().await;
    let early = vec![
        correction("m1", "c1", "fixed", 2_000),
        reaction("m1", "r1", &["🎉"], 2_100),
    ];
    assert!(insert(&store, early).await.changes.is_empty());
    assert_eq!(store.waiting_changes(&j(ALICE)).await.unwrap(), 2);
    let mut original = from_carol("m1", "fxied", 1_000);
    original.stanza_id = Some("archive-1".into());
    let done = insert(&store, vec![original]).await;
    assert_eq!(done.messages.len(), 1);
    assert_eq!(done.changes.len(), 2);
    let shown = &page(&store, CAROL).await[0];
    assert_eq!(shown.body, "fixed");
    assert_eq!(shown.extras.reactions[0].emoji, ["🎉"]);
    assert_eq!(store.waiting_changes(&j(ALICE)).await.unwrap(), 0);
}

#[tokio::test]
async fn changes_for_unknown_ids_are_dropped_past_the_bound_and_after_a_week() {
    let (_dir, store) = store_with_accounts().await;
    let unknown: Vec<ChatMessage> = (0..MAX_WAITING + 200)
        .map(|i| correction(&format!("nothing-{i}"), &format!("c{i}"), "x", 1_000))
        .collect();
    insert(&store, unknown).await;
    let waiting = store.waiting_changes(&j(ALICE)).await.unwrap();
    assert_eq!(waiting, MAX_WAITING as u64);
    let mut later = correction("nothing-else", "cz", "x", 2_000);
    later.received_at = 1_000 + WAITING_FOR + 10;
    insert(&store, vec![later]).await;
    assert_eq!(store.waiting_changes(&j(ALICE)).await.unwrap(), 1);
}

#[tokio::test]
async fn a_correction_chain_a_thousand_long_is_one_message_with_bounded_versions() {
    let (_dir, store) = store_with_accounts().await;
    insert(&store, vec![from_carol("c0", "version 0", 1_000)]).await;
    // Each correction names the one before it, as some clients do.
    let chain: Vec<ChatMessage> = (1..=1_000)
        .map(|i| {
            let before = format!("c{}", i - 1);
            correction(
                &before,
                &format!("c{i}"),
                &format!("version {i}"),
                1_000 + i,
            )
        })
        .collect();
    let done = insert(&store, chain).await;
    assert_eq!(done.changes.len(), 1_000);
    let shown = page(&store, CAROL).await;
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].body, "version 1000");
    let versions = store.versions(shown[0].local_id).await.unwrap();
    assert_eq!(versions.len(), MAX_VERSIONS);
    assert_eq!(versions.last().unwrap().1, "version 999");
}

#[tokio::test]
async fn a_reply_finds_its_message_only_in_its_own_conversation() {
    let (_dir, store) = store_with_accounts().await;
    let daves = ChatMessage {
        remote_id: Some("d1".into()),
        ..inbound(ALICE, DAVE, "dave's private words", 500)
    };
    store.insert_messages(vec![daves]).await.unwrap();
    let mut reply = from_carol("m2", "what did dave say?", 1_000);
    reply.extras.reply_to = Some(crate::model::ReplyTo {
        id: "d1".into(),
        author: Some(j(DAVE)),
        quote: None,
    });
    insert(&store, vec![reply]).await;
    let shown = &page(&store, CAROL).await[0];
    assert_eq!(shown.extras.reply_to.as_ref().unwrap().id, "d1");
    assert_eq!(
        store
            .find_message(&j(ALICE), &j(CAROL), &"d1".into())
            .await
            .unwrap(),
        None
    );
    let own = store
        .find_message(&j(ALICE), &j(DAVE), &"d1".into())
        .await
        .unwrap();
    assert_eq!(own.unwrap().body, "dave's private words");
}

#[tokio::test]
async fn an_outbound_reply_carries_its_quote_and_author_from_the_store_queued_and_resent() {
    let (_dir, store) = store_with_accounts().await;
    insert(&store, vec![from_carol("c1", "lunch at noon?", 500)]).await;
    let gone = ChatMessage {
        remote_id: Some("c2".into()),
        extras: Box::new(Extras {
            retracted_at: Some(600),
            ..Extras::default()
        }),
        ..inbound(ALICE, CAROL, "", 550)
    };
    store.insert_messages(vec![gone]).await.unwrap();
    let reply_to = |id: &str| {
        let mut m = outbound(ALICE, CAROL, "yes", &format!("r-{id}"));
        m.extras.reply_to = Some(crate::model::ReplyTo::new(id.into(), None));
        m
    };
    let queued = store.queue_outbound(reply_to("c1")).await.unwrap();
    let reply = queued.extras.reply_to.as_ref().unwrap();
    assert_eq!(
        reply.author,
        Some(j(CAROL)),
        "the command line names only the id"
    );
    assert_eq!(reply.quote.as_deref(), Some("lunch at noon?"));
    let retracted = store.queue_outbound(reply_to("c2")).await.unwrap();
    assert_eq!(
        retracted.extras.reply_to.unwrap().quote,
        None,
        "nothing left to quote"
    );
    let unknown = store.queue_outbound(reply_to("nowhere")).await.unwrap();
    let unknown = unknown.extras.reply_to.unwrap();
    assert_eq!((unknown.author, unknown.quote), (None, None));
    // After a restart the outbox sends it again, with its quote.
    let waiting = store.outbox(&j(ALICE)).await.unwrap();
    assert_eq!(
        waiting[0]
            .extras
            .reply_to
            .as_ref()
            .and_then(|r| r.quote.as_deref()),
        Some("lunch at noon?")
    );
    // History shows a reply as it was written: the quote is not stored with it.
    let shown = page(&store, CAROL).await;
    assert!(
        shown
            .iter()
            .all(|m| m.extras.reply_to.as_ref().is_none_or(|r| r.quote.is_none()))
    );
}

#[tokio::test]
async fn an_encrypted_message_is_kept_marked_with_its_fallback_and_payload_and_not_searched() {
    let (_dir, store) = store_with_accounts().await;
    let mut sealed = from_carol("e1", "", 1_000);
    sealed.extras.encryption = Some(Encryption {
        scheme: "omemo".into(),
        fallback: "I sent you an OMEMO encrypted message".into(),
        payload: "<encrypted xmlns='eu.siacs.conversations.axolotl'/>".into(),
    });
    insert(&store, vec![sealed.clone()]).await;
    let shown = &page(&store, CAROL).await[0];
    assert_eq!(shown.body, "");
    assert_eq!(shown.extras.encryption, sealed.extras.encryption);
    assert!(found(&store, "encrypted").await.is_empty());
}

#[tokio::test]
async fn own_changes_apply_only_to_own_messages_and_reactions_to_either() {
    let (_dir, store) = store_with_accounts().await;
    store
        .insert_messages(vec![outbound(ALICE, CAROL, "helo", "o1")])
        .await
        .unwrap();
    insert(&store, vec![from_carol("m1", "hi", 1_000)]).await;
    let me = j(ALICE);
    let fix = Amendment::Correction {
        target: "o1".into(),
    };
    let done = store
        .apply_own_change(&me, fix, "c1".into(), "hello".into(), 2_000)
        .await
        .unwrap();
    assert_eq!(done.unwrap().change.message().body, "hello");
    let theirs = Amendment::Retraction {
        target: "m1".into(),
    };
    let refused = store
        .apply_own_change(&me, theirs, "x1".into(), String::new(), 2_100)
        .await
        .unwrap();
    assert!(refused.is_none());
    let react = Amendment::Reactions {
        target: "m1".into(),
        emoji: vec!["👍".into()],
    };
    let done = store
        .apply_own_change(&me, react, "r1".into(), String::new(), 2_200)
        .await
        .unwrap();
    assert_eq!(done.unwrap().change.message().extras.reactions[0].from, me);
    assert_eq!(store.waiting_changes(&me).await.unwrap(), 0);
}
