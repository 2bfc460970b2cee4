//! The session's rules without a server or a store: each test drives the core as the worker
//! would and checks what it sends, stores and tells, in order.

use crate::model::address::j;
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::minidom::Element;

use super::rehearsal::{Rehearsal, plausible};
use super::{Input, StoreOp, Stored, Track};
use crate::model::{Millis, RosterItem, Subscription};
use crate::session::{Command, Event};
use crate::store::StoreError;

const NOW: Millis = 1_700_000_000_000;
const C: &str = "xmlns='jabber:client'";

fn me() -> BareJid {
    BareJid::new("me@example.org").expect("jid")
}

fn bob() -> RosterItem {
    RosterItem {
        jid: j("bob@example.org"),
        name: None,
        groups: vec![],
        subscription: Subscription::Both,
        ask: false,
        approved: false,
    }
}

fn stanza(xml: &str) -> Stanza {
    let el: Element = xml.parse().expect("test XML parses");
    Stanza::try_from(el).expect("a stanza")
}

fn xml(s: &Stanza) -> String {
    String::from_utf8(xso::to_vec(s).expect("serialises")).expect("UTF-8")
}

/// A session signed in with stream management, its login's requests sent.
fn bound() -> Rehearsal {
    let mut r = Rehearsal::new(&me(), vec![bob()], NOW);
    r.bind(Jid::new("me@example.org/desk").expect("jid"), true);
    r
}

/// A session signed in, its server's answers to the login in (carbons on, an archive), its
/// archive catch-up (`q2`, query `q1`) still open.
fn signed_in() -> Rehearsal {
    let mut r = bound();
    let disco = |id: &str, from: &str| {
        stanza(&format!(
            "<iq {C} type='result' id='{id}' from='{from}'>\
             <query xmlns='http://jabber.org/protocol/disco#info'>\
             <feature var='urn:xmpp:mam:2'/><feature var='urn:xmpp:carbons:2'/></query></iq>"
        ))
    };
    r.stanzas(vec![
        stanza(&format!(
            "<iq {C} type='result' id='q3'><query xmlns='jabber:iq:roster'><item jid='bob@example.org' subscription='both'/></query></iq>"
        )),
        stanza(&format!("<iq {C} type='result' id='q4'/>")),
        disco("q5", "example.org"),
        disco("q6", "me@example.org"),
    ]);
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e, Event::Features(f) if f.mam && f.carbons)),
        "{:?}",
        r.events
    );
    r
}

#[test]
fn a_fresh_login_announces_online_then_asks_roster_carbons_features_outbox_and_archive() {
    let r = bound();
    assert!(
        matches!(&r.events[..], [Event::Online { resumed: false, jid, .. }] if jid.as_str() == "me@example.org/desk"),
        "{:?}",
        r.events
    );
    let sent: Vec<String> = r.sent.iter().map(|(s, _)| xml(s)).collect();
    assert!(
        sent[0].starts_with("<presence"),
        "own presence first: {sent:?}"
    );
    let iqs: Vec<String> = r.iqs().into_iter().map(|(_, kind)| kind).collect();
    assert_eq!(iqs, ["query", "enable", "query", "query", "query"]);
    assert!(sent[1].contains("jabber:iq:roster"));
    assert!(sent[2].contains("urn:xmpp:carbons:2"));
    assert!(sent[5].contains("urn:xmpp:mam:2") && sent[5].contains("queryid='q1'"));
    let stores: Vec<&str> = r
        .stored
        .iter()
        .map(|s| s.split([' ', '{', '(']).next().unwrap_or(""))
        .collect();
    assert_eq!(
        stores,
        ["LastArchived", "Outbox"],
        "the archive's place is read first"
    );
}

#[test]
fn a_received_message_is_announced_only_once_stored_and_receipted_only_then() {
    let mut r = signed_in();
    r.take();
    r.stanzas(vec![stanza(&format!(
        "<message {C} from='bob@example.org/phone' id='m1' type='chat'><body>hi</body>\
         <request xmlns='urn:xmpp:receipts'/></message>"
    ))]);
    // The archive catch-up runs: the live message waits until it ends.
    assert!(r.events.is_empty() && r.sent.is_empty(), "{:?}", r.events);
    // The archive has nothing more: the held message is stored, announced, then receipted.
    r.stanzas(vec![stanza(&format!(
        "<iq {C} type='result' id='q2'><fin xmlns='urn:xmpp:mam:2' complete='true'><set xmlns='http://jabber.org/protocol/rsm'/></fin></iq>"
    ))]);
    let (sent, events) = r.take();
    assert!(
        matches!(&events[..], [Event::Messages(m), Event::CaughtUp { new_messages: 0 }] if m[0].body == "hi"),
        "{events:?}"
    );
    assert!(matches!(&sent[..], [(s, Track::None)] if xml(s).contains("urn:xmpp:receipts")));

    // A store that fails: nothing is shown, nothing receipted, and the archive is asked again
    // on the next tick.
    let failing = |op: StoreOp| match op {
        StoreOp::InsertMessages {
            receipts, archived, ..
        } => Stored::Messages {
            result: Err(StoreError::DiskFull),
            receipts,
            archived,
        },
        other => plausible(other),
    };
    r.input_with(
        Input::Chunk(vec![tokio_xmpp::stanzastream::Event::Stanza(stanza(
            &format!(
                "<message {C} from='bob@example.org/phone' id='m2' type='chat'><body>again</body>\
                 <request xmlns='urn:xmpp:receipts'/></message>"
            ),
        ))]),
        failing,
    );
    let (sent, events) = r.take();
    assert!(
        sent.is_empty(),
        "no receipt for what was not stored: {sent:?}"
    );
    assert!(matches!(&events[..], [Event::Error { .. }]), "{events:?}");
    r.input(Input::Tick);
    let (sent, _) = r.take();
    assert!(
        sent.iter().any(|(s, _)| xml(s).contains("urn:xmpp:mam:2")),
        "the archive is asked again: {sent:?}"
    );
}

#[test]
fn a_message_the_outbox_cannot_take_is_told_with_its_id_and_nothing_goes_out() {
    let mut r = signed_in();
    r.take();
    let full = |op: StoreOp| match op {
        StoreOp::QueueOutbound { id, .. } => Stored::Queued {
            id,
            result: Err(StoreError::DiskFull),
        },
        other => plausible(other),
    };
    let send = |id: &str, body: &str| {
        Input::Command(Command::Send {
            to: j("bob@example.org"),
            body: body.into(),
            id: id.into(),
            reply_to: None,
        })
    };
    r.input_with(send("s1", "lunch?"), full);
    r.input(send("s2", "   "));
    r.input(send("s3", &"x".repeat(crate::model::MAX_SENT_BODY)));
    r.input(send("s4", &"x".repeat(crate::model::MAX_SENT_BODY + 1)));
    let (sent, events) = r.take();
    let refused: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::NotQueued { id, message } => {
                assert!(!message.is_empty());
                Some(id.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(refused, ["s1", "s2", "s4"], "{events:?}");
    assert!(
        matches!(&events[..], [_, _, Event::Messages(m), _] if m[0].remote_id.as_deref() == Some("s3")),
        "{events:?}"
    );
    let Some(Event::NotQueued { message, .. }) = events.last() else {
        unreachable!()
    };
    assert!(
        message.contains("49153") && message.contains("49152"),
        "{message}"
    );
    assert_eq!(sent.len(), 1, "only the one stored went out: {sent:?}");
}

#[test]
fn commands_wait_for_the_initial_presence_and_go_after_the_logins_requests() {
    let mut r = Rehearsal::new(&me(), vec![bob()], NOW);
    r.bind(Jid::new("me@example.org/desk").expect("jid"), false);
    let (sent, _) = r.take();
    assert!(
        matches!(&sent[..], [(s, Track::LoginPresence(_))] if xml(s).starts_with("<presence")),
        "only the initial presence goes: {sent:?}"
    );
    r.input(Input::Command(Command::Subscribe {
        jid: j("carol@example.org"),
        message: None,
    }));
    assert!(r.sent.is_empty(), "the command waits for the login");
    r.input(Input::LoginPresenceHandled);
    let sent: Vec<String> = r.sent.iter().map(|(s, _)| xml(s)).collect();
    let subscribe = sent
        .iter()
        .position(|s| s.contains("type='subscribe'"))
        .expect("the subscription request goes");
    let roster = sent
        .iter()
        .position(|s| s.contains("jabber:iq:roster"))
        .expect("the roster is asked");
    assert!(roster < subscribe, "{sent:?}");
}

#[test]
fn a_quit_does_what_was_asked_before_it_then_closes() {
    let mut r = Rehearsal::new(&me(), vec![bob()], NOW);
    r.bind(Jid::new("me@example.org/desk").expect("jid"), false);
    r.take();
    r.input(Input::Command(Command::Send {
        to: j("bob@example.org"),
        body: "bye".into(),
        id: "x1".into(),
        reply_to: None,
    }));
    r.input(Input::Command(Command::Quit));
    assert!(r.ended);
    assert!(
        r.stored.iter().any(|s| s.starts_with("QueueOutbound")),
        "the message is in the outbox: {:?}",
        r.stored
    );
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e, Event::Messages(m) if m[0].body == "bye"))
    );
}

#[test]
fn a_stranger_asking_for_last_activity_is_refused_and_a_contact_answered() {
    let mut r = signed_in();
    r.take();
    r.stanzas(vec![
        stanza(&format!(
            "<iq {C} type='get' id='l1' from='eve@example.org/x'><query xmlns='jabber:iq:last'/></iq>"
        )),
        stanza(&format!(
            "<iq {C} type='get' id='l2' from='bob@example.org/x'><query xmlns='jabber:iq:last'/></iq>"
        )),
    ]);
    let sent: Vec<String> = r.sent.iter().map(|(s, _)| xml(s)).collect();
    assert!(sent[0].contains("type='error'") && sent[0].contains("forbidden"));
    assert!(sent[1].contains("type='result'") && sent[1].contains("seconds='0'"));
}

#[test]
fn the_version_is_told_only_to_contacts_who_see_us_and_to_our_own_devices() {
    // Carol shares her presence with us but does not see ours.
    let carol = RosterItem {
        jid: j("carol@example.org"),
        subscription: Subscription::To,
        ..bob()
    };
    let mut r = Rehearsal::new(&me(), vec![bob(), carol], NOW);
    r.bind(Jid::new("me@example.org/desk").expect("jid"), true);
    r.take();
    let ask = |id: &str, from: &str| {
        stanza(&format!(
            "<iq {C} type='get' id='{id}' from='{from}'><query xmlns='jabber:iq:version'/></iq>"
        ))
    };
    r.stanzas(vec![
        ask("v1", "eve@example.org/x"),
        ask("v2", "carol@example.org/x"),
        ask("v3", "bob@example.org/x"),
        ask("v4", "me@example.org/phone"),
    ]);
    let sent: Vec<String> = r.sent.iter().map(|(s, _)| xml(s)).collect();
    assert_eq!(sent.len(), 4, "{sent:?}");
    let version = env!("CARGO_PKG_VERSION");
    for refused in &sent[..2] {
        assert!(
            refused.contains("type='error'") && refused.contains("service-unavailable"),
            "{refused}"
        );
        assert!(
            !refused.contains("Natter") && !refused.contains(version),
            "{refused}"
        );
    }
    for answered in &sent[2..] {
        assert!(
            answered.contains("type='result'") && answered.contains(version),
            "{answered}"
        );
    }
    assert!(sent[0].contains("to='eve@example.org/x'") && sent[0].contains("id='v1'"));
}

#[test]
fn an_archive_that_stops_answering_is_said_and_asked_again_later_and_later() {
    let mut r = signed_in();
    r.take();
    r.wait(std::time::Duration::from_secs(29));
    r.input(Input::Tick);
    assert!(r.events.is_empty(), "still waiting: {:?}", r.events);
    r.wait(std::time::Duration::from_secs(2));
    r.input(Input::Tick);
    let (sent, events) = r.take();
    assert!(
        matches!(&events[..], [
            Event::ArchiveUnavailable { retry_in, .. },
            Event::CaughtUp { new_messages: 0 },
        ] if retry_in.as_secs() == 5),
        "{events:?}"
    );
    assert!(sent.is_empty(), "not asked again at once: {sent:?}");
    // A live message meanwhile is not stored ahead of what the archive still holds.
    r.stanzas(vec![stanza(&format!(
        "<message {C} from='bob@example.org/phone' id='m9' type='chat'><body>live</body></message>"
    ))]);
    assert!(r.events.is_empty(), "{:?}", r.events);
    let asks = |r: &mut Rehearsal| {
        r.input(Input::Tick);
        let (sent, _) = r.take();
        sent.iter()
            .filter(|(s, _)| xml(s).contains("urn:xmpp:mam:2"))
            .count()
    };
    r.wait(std::time::Duration::from_secs(5));
    assert_eq!(asks(&mut r), 1, "asked again after 5 s");
    // No answer again: the next pause is twice as long.
    r.wait(std::time::Duration::from_secs(31));
    r.input(Input::Tick);
    let (_, events) = r.take();
    assert!(
        events.iter().any(
            |e| matches!(e, Event::ArchiveUnavailable { retry_in, .. } if retry_in.as_secs() == 10)
        ),
        "{events:?}"
    );
    r.wait(std::time::Duration::from_secs(5));
    assert_eq!(asks(&mut r), 0, "not before 10 s");
    r.wait(std::time::Duration::from_secs(5));
    assert_eq!(asks(&mut r), 1);
}

#[test]
fn only_a_request_the_person_must_answer_is_stored_and_told() {
    let item = |jid: &str, subscription: Subscription, approved: bool| RosterItem {
        jid: j(jid),
        name: None,
        groups: vec![],
        subscription,
        ask: false,
        approved,
    };
    let contacts = vec![
        item("sees@example.org", Subscription::From, false),
        item("approved@example.org", Subscription::None, true),
        item("seen@example.org", Subscription::To, false),
    ];
    let mut r = Rehearsal::new(&me(), contacts, NOW);
    r.bind(Jid::new("me@example.org/desk").expect("jid"), true);
    r.take();
    let subscribe = |from: &str| stanza(&format!("<presence {C} from='{from}' type='subscribe'/>"));
    r.stanzas(vec![
        subscribe("sees@example.org"),
        subscribe("approved@example.org"),
        subscribe("seen@example.org"),
        subscribe("stranger@example.org"),
    ]);
    let asked: Vec<&str> = r
        .events
        .iter()
        .filter_map(|e| match e {
            Event::SubscriptionRequest(req) => Some(req.from.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, ["seen@example.org", "stranger@example.org"]);
}

#[test]
fn a_roster_that_cannot_be_had_is_said_shows_held_presence_and_is_asked_again() {
    let roster_get = |r: &Rehearsal| {
        r.sent
            .iter()
            .filter(|(s, _)| xml(s).contains("jabber:iq:roster"))
            .count()
    };
    // Not saved (a full disk): presence that waited for the roster is shown as the stored
    // roster has it, and the roster is asked again 30 s later.
    let mut r = bound();
    r.stanzas(vec![stanza(&format!(
        "<presence {C} from='bob@example.org/phone'/>"
    ))]);
    assert!(!r.events.iter().any(|e| matches!(e, Event::Presence { .. })));
    let full = |op: StoreOp| match op {
        StoreOp::ReplaceRoster { version, items } => Stored::RosterReplaced {
            result: Err(StoreError::DiskFull),
            version,
            items,
        },
        other => plausible(other),
    };
    r.take();
    r.input_with(
        Input::Chunk(vec![tokio_xmpp::stanzastream::Event::Stanza(stanza(&format!(
            "<iq {C} type='result' id='q3'><query xmlns='jabber:iq:roster'><item jid='bob@example.org' subscription='both'/></query></iq>"
        )))]),
        full,
    );
    let (_, events) = r.take();
    assert!(
        matches!(&events[..], [Event::Error { message }, Event::Presence { jid, .. }]
            if message.contains("30 s") && jid.as_str() == "bob@example.org/phone"),
        "{events:?}"
    );
    r.wait(std::time::Duration::from_secs(25));
    r.input(Input::Tick);
    assert_eq!(roster_get(&r), 0, "not before 30 s");
    r.wait(std::time::Duration::from_secs(5));
    r.input(Input::Tick);
    assert_eq!(roster_get(&r), 1);

    // Not answered at all: the same.
    let mut r = bound();
    r.take();
    r.wait(std::time::Duration::from_secs(31));
    r.input(Input::Tick);
    assert!(
        r.events
            .iter()
            .any(|e| matches!(e, Event::Error { message } if message.contains("no answer"))),
        "{:?}",
        r.events
    );
}

#[test]
fn a_first_sync_that_finds_nothing_is_where_the_next_catch_up_starts() {
    let mut r = signed_in();
    assert!(
        r.sent
            .iter()
            .any(|(s, _)| xml(s).contains("<before></before>") || xml(s).contains("<before/>")),
        "nothing stored: the newest page first"
    );
    r.take();
    r.stored.clear();
    r.stanzas(vec![stanza(&format!(
        "<iq {C} type='result' id='q2'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>"
    ))]);
    let since = NOW - 10 * 60 * 1000;
    assert!(
        r.stored.iter().any(|s| s.starts_with("InsertMessages")
            && s.contains(&format!("anchor: Some((None, {since}))"))),
        "{:?}",
        r.stored
    );
}

#[test]
fn messages_arriving_during_a_commit_are_committed_together_after_it() {
    let mut r = signed_in();
    r.stanzas(vec![stanza(&format!(
        "<iq {C} type='result' id='q2'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>"
    ))]);
    r.take();
    let message = |n: u32| {
        Input::Chunk(vec![tokio_xmpp::stanzastream::Event::Stanza(stanza(
            &format!(
                "<message {C} from='bob@example.org/phone' id='m{n}' type='chat'><body>{n}</body>\
             <request xmlns='urn:xmpp:receipts'/></message>"
            ),
        ))])
    };
    // The disk is slow: the first message's commit is still running while three more come.
    r.input_holding(message(1));
    for n in 2..=4 {
        r.input_holding(message(n));
    }
    assert_eq!(r.held_commits().len(), 1, "one commit at a time");
    assert!(
        r.events.is_empty() && r.sent.is_empty(),
        "nothing told or receipted yet"
    );
    assert!(r.finish_commit());
    let (sent, events) = r.take();
    assert!(
        matches!(&events[..], [Event::Messages(m)] if m.len() == 1),
        "{events:?}"
    );
    assert_eq!(sent.len(), 1, "the first receipt, once stored");
    let next = r.held_commits();
    assert_eq!(next.len(), 1, "the rest together: {next:?}");
    assert!(next[0].contains("\"2\"") && next[0].contains("\"4\""));
    assert!(r.finish_commit());
    let (sent, events) = r.take();
    assert!(
        matches!(&events[..], [Event::Messages(m)] if m.iter().map(|m| m.body.as_str()).collect::<Vec<_>>() == ["2", "3", "4"]),
        "{events:?}"
    );
    assert_eq!(sent.len(), 3);
    assert!(!r.finish_commit(), "nothing left");

    // A quit waits for what arrived to be stored.
    r.input_holding(message(5));
    r.input_holding(Input::Command(Command::Quit));
    assert!(!r.ended, "the goodbye waits for the commit");
    assert!(r.core.paused());
    assert!(r.finish_commit());
    assert!(r.ended);
}
