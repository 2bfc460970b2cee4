//! Corrections, retractions, replies, reactions and encrypted messages as they come from
//! Conversations, Dino, Gajim and Monal: what is stored of each.

use super::*;
use crate::model::address::full;
use crate::model::{Amendment, ChatMessage, Encryption, ReplyTo};

fn from_bob(inner: &str) -> Stanza {
    stanza(&format!(
        "<message {C} from='bob@example.org/phone' to='me@example.org/desk' id='m9' type='chat'>\
         {inner}<origin-id xmlns='urn:xmpp:sid:0' id='m9'/></message>"
    ))
}

#[test]
fn each_kind_of_change_is_read_as_the_change_it_makes() {
    let cases = [
        (
            "<body>fixed text</body><replace xmlns='urn:xmpp:message-correct:0' id='m1'/>",
            "fixed text",
            Amendment::Correction {
                target: "m1".into(),
            },
        ),
        (
            "<body>This person attempted to retract a previous message, but it's unsupported \
             by your client.</body><retract xmlns='urn:xmpp:message-retract:1' id='m1'/>\
             <fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:message-retract:1'/>\
             <store xmlns='urn:xmpp:hints'/>",
            "",
            Amendment::Retraction {
                target: "m1".into(),
            },
        ),
        (
            "<apply-to xmlns='urn:xmpp:fasten:0' id='m2'>\
             <retract xmlns='urn:xmpp:message-retract:0'/></apply-to>",
            "",
            Amendment::Retraction {
                target: "m2".into(),
            },
        ),
        (
            "<reactions xmlns='urn:xmpp:reactions:0' id='m1'><reaction>👍</reaction>\
             <reaction>👍</reaction><reaction>not one emoji</reaction>\
             <reaction>🐢</reaction></reactions><store xmlns='urn:xmpp:hints'/>",
            "",
            Amendment::Reactions {
                target: "m1".into(),
                emoji: vec!["👍".into(), "🐢".into()],
            },
        ),
    ];
    for (inner, body, amendment) in cases {
        let m = only_message(inbound(&ctx(), from_bob(inner)));
        assert_eq!(m.extras.amends, Some(amendment), "{inner}");
        assert_eq!(m.body, body, "{inner}");
        assert_eq!(m.origin_id.as_deref(), Some("m9"));
    }
}

#[test]
fn a_reply_names_its_message_and_its_fallback_quote_is_not_repeated() {
    let m = only_message(inbound(
        &ctx(),
        from_bob(
            "<body>&gt; Anna wrote:\n&gt; lunch?\nyes please</body>\
             <reply xmlns='urn:xmpp:reply:0' to='me@example.org/desk' id='m1'/>\
             <fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'>\
             <body start='0' end='23'/></fallback>",
        ),
    ));
    assert_eq!(m.body, "yes please");
    assert_eq!(
        m.extras.reply_to,
        Some(ReplyTo {
            id: "m1".into(),
            author: Some(j("me@example.org")),
            quote: None,
        })
    );
    // A range that does not fit the body takes nothing away.
    let m = only_message(inbound(
        &ctx(),
        from_bob(
            "<body>short</body><reply xmlns='urn:xmpp:reply:0' id='m1'/>\
             <fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'>\
             <body start='0' end='999'/></fallback>",
        ),
    ));
    assert_eq!(m.body, "short");
}

#[test]
fn an_outbound_reply_quotes_its_message_for_clients_without_replies_and_reads_back_without() {
    let mut out = ChatMessage::outbound(
        j("me@example.org"),
        j("bob@example.org"),
        "yes please".into(),
        "r1".into(),
        NOW,
    );
    let mut reply = ReplyTo::new("m1".into(), Some(j("bob@example.org")));
    reply.quote = Some("lunch?\nat one".into());
    out.extras.reply_to = Some(reply);
    let Stanza::Message(sent) = super::super::chat_message(&out) else {
        panic!("a message")
    };
    assert_eq!(
        sent.bodies.get("").map(|b| b.as_str()),
        Some("> lunch?\n> at one\nyes please")
    );
    let fallback = sent
        .payloads
        .iter()
        .find(|p| p.is("fallback", "urn:xmpp:fallback:0"))
        .expect("a fallback");
    assert_eq!(fallback.attr("for"), Some("urn:xmpp:reply:0"));
    let range = fallback
        .get_child("body", "urn:xmpp:fallback:0")
        .expect("range");
    assert_eq!(
        (range.attr("start"), range.attr("end")),
        (Some("0"), Some("18"))
    );
    // A client that knows replies (Natter too) reads it as what was written.
    let mut back = sent;
    back.from = Some(full("bob@example.org/phone"));
    let m = only_message(inbound(&ctx(), Stanza::Message(back)));
    assert_eq!(m.body, "yes please");
    // Nothing to quote (a retracted or unreadable message): no quote, no fallback.
    if let Some(r) = out.extras.reply_to.as_mut() {
        r.quote = Some(String::new());
    }
    let Stanza::Message(sent) = super::super::chat_message(&out) else {
        panic!("a message")
    };
    assert_eq!(sent.bodies.get("").map(|b| b.as_str()), Some("yes please"));
    assert!(
        !sent
            .payloads
            .iter()
            .any(|p| p.is("fallback", "urn:xmpp:fallback:0"))
    );
}

#[test]
fn an_omemo_message_is_kept_marked_with_its_fallback_never_as_the_peers_words() {
    let m = only_message(inbound(
        &ctx(),
        from_bob(
            "<body>I sent you an OMEMO encrypted message but your client doesn't seem to \
             support that.</body>\
             <encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='1'><iv>AA==</iv>\
             </header><payload>AAAA</payload></encrypted>\
             <encryption xmlns='urn:xmpp:eme:0' namespace='eu.siacs.conversations.axolotl' \
             name='OMEMO'/>",
        ),
    ));
    assert_eq!(m.body, "");
    let Some(Encryption {
        scheme,
        fallback,
        payload,
    }) = &m.extras.encryption
    else {
        panic!("{m:?}")
    };
    assert_eq!(scheme, "omemo");
    assert!(fallback.starts_with("I sent you an OMEMO"));
    assert!(payload.contains("<payload>AAAA</payload>"), "{payload}");
    // A correction whose new text is encrypted cannot be applied: nothing is stored of it.
    let out = inbound(
        &ctx(),
        from_bob(
            "<body>I sent you an OMEMO encrypted message</body>\
             <replace xmlns='urn:xmpp:message-correct:0' id='m1'/>\
             <encrypted xmlns='urn:xmpp:omemo:2'><payload>AA</payload></encrypted>",
        ),
    );
    assert!(dropped(&out), "{out:?}");
}

#[test]
fn a_change_from_the_archive_or_a_carbon_is_read_the_same() {
    let carbon = stanza(&format!(
        "<message {C} from='me@example.org' to='me@example.org/desk' type='chat'>\
         <sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message {C} from='me@example.org/phone' to='bob@example.org' id='c1' type='chat'>\
         <body>better</body><replace xmlns='urn:xmpp:message-correct:0' id='o1'/></message>\
         </forwarded></sent></message>"
    ));
    let m = only_message(inbound(&ctx(), carbon));
    assert_eq!(m.direction, Direction::Out);
    assert_eq!(
        m.extras.amends,
        Some(Amendment::Correction {
            target: "o1".into()
        })
    );
    let archived = stanza(&format!(
        "<message {C} from='me@example.org' to='me@example.org/desk'>\
         <result xmlns='urn:xmpp:mam:2' queryid='q1' id='arch-5'>\
         <forwarded xmlns='urn:xmpp:forward:0'>\
         <delay xmlns='urn:xmpp:delay' stamp='2023-11-14T22:00:00Z'/>\
         <message {C} from='bob@example.org/phone' to='me@example.org' id='r1' type='chat'>\
         <reactions xmlns='urn:xmpp:reactions:0' id='o1'><reaction>❤️</reaction></reactions>\
         </message></forwarded></result></message>"
    ));
    let m = only_message(inbound(&ctx(), archived));
    assert_eq!(m.stanza_id.as_deref(), Some("arch-5"));
    assert!(matches!(m.extras.amends, Some(Amendment::Reactions { .. })));
}

#[test]
fn hostile_ids_and_ranges_are_refused_without_a_panic() {
    let long = "x".repeat(300);
    let cases = [
        format!("<body>a</body><replace xmlns='urn:xmpp:message-correct:0' id='{long}'/>"),
        "<body>a</body><replace xmlns='urn:xmpp:message-correct:0' id=''/>".to_owned(),
        "<reactions xmlns='urn:xmpp:reactions:0' id=''><reaction>👍</reaction></reactions>"
            .to_owned(),
    ];
    for inner in &cases {
        let out = inbound(&ctx(), from_bob(inner));
        let changes = out.iter().any(
            |i| matches!(i, Inbound::Message { message, .. } if message.extras.amends.is_some()),
        );
        assert!(!changes, "{inner}: {out:?}");
    }
    for range in [
        ("5", "2"),
        ("-1", "3"),
        ("0", "18446744073709551616"),
        ("a", "b"),
    ] {
        let inner = format!(
            "<body>héllo</body><reply xmlns='urn:xmpp:reply:0' id='m1'/>\
             <fallback xmlns='urn:xmpp:fallback:0' for='urn:xmpp:reply:0'>\
             <body start='{}' end='{}'/></fallback>",
            range.0, range.1
        );
        assert_eq!(
            only_message(inbound(&ctx(), from_bob(&inner))).body,
            "héllo"
        );
    }
}
