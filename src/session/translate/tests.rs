//! Table-style tests of the stanza translation, with stanzas written as XML.
use super::*;
use crate::model::Subscription;
use crate::model::address::j;

const NOW: Millis = 1_700_000_000_000;

fn ctx() -> Context {
    Context {
        me: BareJid::new("me@example.org").expect("jid"),
        carbons: true,
        open_queries: vec!["q1".into()],
        now: NOW,
    }
}

fn stanza(xml: &str) -> Stanza {
    let el: Element = xml.parse().expect("test XML parses");
    Stanza::try_from(el).expect("a stanza")
}

fn only_message(out: Vec<Inbound>) -> ChatMessage {
    match out.into_iter().next() {
        Some(Inbound::Message { message, .. }) => message,
        other => panic!("expected a message, got {other:?}"),
    }
}

fn dropped(out: &[Inbound]) -> bool {
    matches!(out, [Inbound::Dropped(_)])
}

const C: &str = "xmlns='jabber:client'";

#[test]
fn a_live_message_keeps_its_ids_and_asks_for_a_receipt() {
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='Bob@example.org/phone' to='me@example.org/desk' id='m1' type='chat'>\
         <body>hi</body><request xmlns='urn:xmpp:receipts'/>\
         <origin-id xmlns='urn:xmpp:sid:0' id='o1'/>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='me@example.org'/>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='bob@example.org'/></message>"
        )),
    );
    let Some(Inbound::Message { receipt_to, .. }) = out.first() else {
        panic!("{out:?}")
    };
    assert_eq!(
        receipt_to.as_ref().map(|j| j.to_string()),
        Some("bob@example.org/phone".into())
    );
    let m = only_message(out);
    assert_eq!(
        (m.peer.as_str(), m.body.as_str()),
        ("bob@example.org", "hi")
    );
    assert_eq!(m.direction, Direction::In);
    assert_eq!(m.remote_id.as_deref(), Some("m1"));
    assert_eq!(m.origin_id.as_deref(), Some("o1"));
    assert_eq!(
        m.stanza_id.as_deref(),
        Some("s1"),
        "only our archive's stanza-id is trusted"
    );
    assert_eq!(m.sent_at, NOW);
    assert!(!m.delayed && !m.carbon);
}

#[test]
fn a_stanza_id_from_someone_else_is_not_trusted() {
    let m = only_message(inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org/phone' id='m1' type='chat'><body>x</body>\
         <stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='bob@example.org'/></message>"
        )),
    ));
    assert_eq!(m.stanza_id, None);
}

#[test]
fn offline_messages_keep_their_original_time_but_not_an_absurd_one() {
    let cases = [
        ("2023-11-14T22:13:20Z", 1_700_000_000_000i64),
        ("2999-01-01T00:00:00Z", NOW),
    ];
    for (stamp, expected) in cases {
        let m = only_message(inbound(
            &ctx(),
            stanza(&format!(
                "<message {C} from='bob@example.org/p' id='m' type='chat'><body>x</body>\
             <delay xmlns='urn:xmpp:delay' stamp='{stamp}'/></message>"
            )),
        ));
        assert!(m.delayed);
        assert_eq!(m.sent_at, expected, "{stamp}");
    }
}

#[test]
fn carbons_are_unwrapped_only_from_the_account_while_enabled() {
    let carbon = |from: &str, kind: &str, inner_from: &str, inner_to: &str| {
        stanza(&format!(
            "<message {C} from='{from}' to='me@example.org/desk' type='chat'>\
             <{kind} xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
             <message {C} from='{inner_from}' to='{inner_to}' id='c1' type='chat'><body>copy</body></message>\
             </forwarded></{kind}></message>"
        ))
    };
    let m = only_message(inbound(
        &ctx(),
        carbon(
            "me@example.org",
            "received",
            "bob@example.org/p",
            "me@example.org/phone",
        ),
    ));
    assert_eq!(
        (m.direction, m.peer.as_str(), m.carbon),
        (Direction::In, "bob@example.org", true)
    );
    let m = only_message(inbound(
        &ctx(),
        carbon(
            "me@example.org",
            "sent",
            "me@example.org/phone",
            "bob@example.org",
        ),
    ));
    assert_eq!(
        (m.direction, m.peer.as_str()),
        (Direction::Out, "bob@example.org")
    );
    // CVE-2017-5589: a carbon from anyone else is a forgery.
    assert!(dropped(&inbound(
        &ctx(),
        carbon(
            "mallory@evil.org",
            "received",
            "bob@example.org/p",
            "me@example.org"
        )
    )));
    assert!(dropped(&inbound(
        &ctx(),
        carbon(
            "me@example.org/other",
            "sent",
            "me@example.org",
            "bob@example.org"
        )
    )));
    let mut off = ctx();
    off.carbons = false;
    assert!(dropped(&inbound(
        &off,
        carbon(
            "me@example.org",
            "received",
            "bob@example.org/p",
            "me@example.org"
        )
    )));
}

#[test]
fn archive_results_count_only_for_an_open_query_from_our_archive() {
    let result = |from: &str, qid: &str| {
        stanza(&format!(
            "<message {C} {from} to='me@example.org/desk'>\
             <result xmlns='urn:xmpp:mam:2' queryid='{qid}' id='arch-7'><forwarded xmlns='urn:xmpp:forward:0'>\
             <delay xmlns='urn:xmpp:delay' stamp='2023-11-14T22:13:20Z'/>\
             <message {C} from='bob@example.org/p' to='me@example.org' id='x' type='chat'><body>old</body></message>\
             </forwarded></result></message>"
        ))
    };
    let out = inbound(&ctx(), result("", "q1"));
    let Some(Inbound::Message {
        query, receipt_to, ..
    }) = out.first()
    else {
        panic!("{out:?}")
    };
    assert_eq!(
        (query.as_deref(), receipt_to),
        (Some("q1"), &None),
        "no receipts for history"
    );
    let m = only_message(out);
    assert_eq!(m.stanza_id.as_deref(), Some("arch-7"));
    assert_eq!(m.sent_at, 1_700_000_000_000);
    assert!(m.delayed && !m.carbon);
    assert!(dropped(&inbound(
        &ctx(),
        result("from='mallory@evil.org'", "q1")
    )));
    assert!(dropped(&inbound(&ctx(), result("", "q-unknown"))));

    // The sender's own stamp, 23 hours ahead, does not move the message: the archive's wins.
    let claimed = stanza(&format!(
        "<message {C} to='me@example.org/desk'>\
         <result xmlns='urn:xmpp:mam:2' queryid='q1' id='arch-8'><forwarded xmlns='urn:xmpp:forward:0'>\
         <delay xmlns='urn:xmpp:delay' stamp='2023-11-14T22:13:20Z'/>\
         <message {C} from='bob@example.org/p' to='me@example.org' id='y' type='chat'><body>soon</body>\
         <delay xmlns='urn:xmpp:delay' stamp='2023-11-15T21:13:20Z'/></message>\
         </forwarded></result></message>"
    ));
    assert_eq!(
        only_message(inbound(&ctx(), claimed)).sent_at,
        1_700_000_000_000
    );
}

#[test]
fn roster_pushes_only_from_the_account() {
    let push = |from: &str| {
        stanza(&format!(
            "<iq {C} type='set' id='p1' {from}><query xmlns='jabber:iq:roster' ver='v2'>\
             <item jid='bob@example.org' subscription='both' name='Bob'><group>Friends</group></item>\
             </query></iq>"
        ))
    };
    let out = inbound(&ctx(), push(""));
    let Some(Inbound::RosterPush {
        ver,
        item,
        removed,
        iq_id,
        ..
    }) = out.first()
    else {
        panic!("{out:?}")
    };
    assert_eq!(
        (ver.as_deref(), *removed, iq_id.as_str()),
        (Some("v2"), false, "p1")
    );
    assert_eq!(
        (item.jid.as_str(), item.subscription, item.groups.clone()),
        (
            "bob@example.org",
            Subscription::Both,
            vec!["Friends".to_string()]
        )
    );
    assert!(matches!(
        inbound(&ctx(), push("from='me@example.org'")).first(),
        Some(Inbound::RosterPush { .. })
    ));
    // CVE-2015-8688 / CVE-2019-16236.
    assert!(dropped(&inbound(&ctx(), push("from='mallory@evil.org'"))));
    assert!(dropped(&inbound(
        &ctx(),
        push("from='me@example.org/other'")
    )));
}

#[test]
fn presence_and_subscription_requests() {
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<presence {C} from='bob@example.org/p'><show>away</show><status>lunch</status>\
         <priority>5</priority><idle xmlns='urn:xmpp:idle:1' since='2023-11-14T22:13:20Z'/></presence>"
        )),
    );
    assert_eq!(
        out,
        vec![Inbound::Presence {
            from: Jid::new("bob@example.org/p").expect("jid"),
            show: Show::Away,
            status: "lunch".into(),
            priority: 5,
            idle_since: Some(1_700_000_000_000),
        }]
    );
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<presence {C} from='Carol@example.org' type='subscribe'><status>add me?</status>\
         <nick xmlns='http://jabber.org/protocol/nick'>Carol</nick></presence>"
        )),
    );
    assert_eq!(
        out,
        vec![Inbound::SubscribeRequest {
            from: j("carol@example.org"),
            nick: Some("Carol".into()),
            message: Some("add me?".into()),
        }]
    );
    // An unsolicited `subscribed` changes nothing by itself.
    assert!(dropped(&inbound(
        &ctx(),
        stanza(&format!(
            "<presence {C} from='x@example.org' type='subscribed'/>"
        ))
    )));
}

#[test]
fn an_id_too_long_to_be_one_is_no_id_and_the_message_is_kept() {
    let long = "x".repeat(MessageId::MAX_BYTES + 1);
    let m = only_message(inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org/phone' id='{long}' type='chat'><body>hi</body>\
             <origin-id xmlns='urn:xmpp:sid:0' id='{long}'/>\
             <stanza-id xmlns='urn:xmpp:sid:0' id='{long}' by='me@example.org'/></message>"
        )),
    ));
    assert_eq!(m.body, "hi");
    assert_eq!((m.remote_id, m.origin_id, m.stanza_id), (None, None, None));
    // A receipt or a bounce naming no message we could have sent reports nothing.
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org/p'><received xmlns='urn:xmpp:receipts' id='{long}'/></message>"
        )),
    );
    assert!(
        out.iter().all(|i| !matches!(i, Inbound::Receipt { .. })),
        "{out:?}"
    );
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org' id='{long}' type='error'><error type='cancel'>\
             <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"
        )),
    );
    assert!(dropped(&out), "{out:?}");
}

#[test]
fn receipts_errors_and_requests_we_serve() {
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org/p' id='r'><received xmlns='urn:xmpp:receipts' id='m9'/></message>"
        )),
    );
    assert_eq!(
        out,
        vec![Inbound::Receipt {
            from: j("bob@example.org"),
            id: "m9".into()
        }]
    );
    let out = inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org' id='m9' type='error'><error type='cancel'>\
         <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>"
        )),
    );
    assert!(matches!(out.as_slice(), [Inbound::MessageError { id, .. }] if id == "m9"));
    let ping = inbound(
        &ctx(),
        stanza(&format!(
            "<iq {C} type='get' id='p' from='example.org'><ping xmlns='urn:xmpp:ping'/></iq>"
        )),
    );
    assert!(
        matches!(ping.as_slice(), [Inbound::Reply(Stanza::Iq(Iq::Result { id, .. }))] if id == "p")
    );
    // A capabilities query: answered later, with our features for the node it asked about.
    let disco = inbound(
        &ctx(),
        stanza(&format!(
            "<iq {C} type='get' id='d' from='c1@example.org'><query xmlns='http://jabber.org/protocol/disco#info' node='https://natter.im#v'/></iq>"
        )),
    );
    let [Inbound::DiscoInfoQuery { from, id, node }] = disco.as_slice() else {
        panic!("{disco:?}")
    };
    assert_eq!(
        (from.to_string().as_str(), id.as_str()),
        ("c1@example.org", "d")
    );
    let answer = super::disco_info_result(from.clone(), id.clone(), node.clone());
    let Stanza::Iq(Iq::Result {
        to, id, payload, ..
    }) = answer
    else {
        panic!("not a result")
    };
    let info = xmpp_parsers::disco::DiscoInfoResult::try_from(payload.expect("a payload"))
        .expect("disco#info");
    assert_eq!(
        (to.map(|t| t.to_string()), id.as_str()),
        (Some("c1@example.org".into()), "d")
    );
    assert_eq!(info.node.as_deref(), Some("https://natter.im#v"));
    assert!(info.features.iter().any(|f| f == "urn:xmpp:receipts"));
    let unknown = inbound(
        &ctx(),
        stanza(&format!(
            "<iq {C} type='get' id='u' from='x@example.org/r'><query xmlns='urn:example:unknown'/></iq>"
        )),
    );
    assert!(matches!(
        unknown.as_slice(),
        [Inbound::Reply(Stanza::Iq(Iq::Error { .. }))]
    ));
    let gc = inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='room@muc.example.org/x' type='groupchat'><body>x</body></message>"
        )),
    );
    assert!(dropped(&gc));
}

#[test]
fn long_bodies_are_kept_whole() {
    // 1 MiB of two-byte characters, a long line and one that ends the body: nothing is cut
    // (they used to be cut at 64 KiB); the wire guard bounds the stanza instead.
    let body = format!("{}\n{}end", "é".repeat(512 * 1024), "x".repeat(70_000));
    let m = only_message(inbound(
        &ctx(),
        stanza(&format!(
            "<message {C} from='bob@example.org/p' id='m' type='chat'><body>{body}</body></message>"
        )),
    ));
    assert_eq!(m.body.len(), body.len());
    assert_eq!(m.body, body);
}

#[test]
fn outbound_messages_carry_origin_id_and_receipt_request() {
    let msg = ChatMessage {
        local_id: 1,
        account: j("me@example.org"),
        peer: j("bob@example.org"),
        direction: Direction::Out,
        body: "hello".into(),
        sent_at: NOW,
        received_at: NOW,
        remote_id: Some("id1".into()),
        origin_id: Some("id1".into()),
        stanza_id: None,
        delivery: Delivery::Queued,
        delayed: false,
        carbon: false,
        extras: Default::default(),
    };
    let Stanza::Message(m) = chat_message(&msg) else {
        panic!("a message")
    };
    let xml = String::from(&Element::from(m));
    for part in [
        "id='id1'",
        "urn:xmpp:receipts",
        "<origin-id xmlns='urn:xmpp:sid:0' id='id1'/>",
        "<body>hello</body>",
        "type='chat'",
    ] {
        assert!(xml.contains(part), "{part} in {xml}");
    }
}

#[test]
fn the_first_presence_of_a_login_comes_without_capabilities_and_the_next_with_them() {
    let xml = |s: Stanza| String::from(&Element::from(s));
    let first = xml(initial_presence(Show::Away, "lunch"));
    let second = xml(own_presence(Show::Away, "lunch", None));
    for p in [&first, &second] {
        assert!(
            p.contains("<show>away</show>") && p.contains("lunch"),
            "{p}"
        );
    }
    assert!(
        !first.contains("http://jabber.org/protocol/caps"),
        "{first}"
    );
    assert!(
        second.contains("http://jabber.org/protocol/caps"),
        "{second}"
    );
    assert!(second.contains(CAPS_NODE), "{second}");
}

mod hostile;
mod modern;
