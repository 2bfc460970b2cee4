//! Garbage in, nothing shown: addresses, times, types and nesting a server or another account
//! may send, each row what the translation makes of it. "refused by the parser" rows never
//! reach the translation: tokio-xmpp drops a stanza xmpp-parsers cannot read, silently.

use super::*;

/// What becomes of `xml`, in a few words.
fn outcome(xml: &str) -> String {
    let Ok(el) = xml.parse::<Element>() else {
        return "not XML".into();
    };
    let Ok(stanza) = Stanza::try_from(el) else {
        return "refused by the parser".into();
    };
    let out: Vec<String> = inbound(&ctx(), stanza).iter().map(describe).collect();
    out.join("; ")
}

fn describe(i: &Inbound) -> String {
    let at = |t: Millis| {
        if t == NOW {
            "now".to_owned()
        } else {
            t.to_string()
        }
    };
    match i {
        Inbound::Message { message: m, .. } => format!(
            "message from {} at {}{}",
            m.peer,
            at(m.sent_at),
            if m.delayed { ", delayed" } else { "" }
        ),
        Inbound::Presence {
            from, idle_since, ..
        } => match idle_since {
            Some(t) => format!("presence of {from}, idle since {}", at(*t)),
            None => format!("presence of {from}"),
        },
        Inbound::SubscribeRequest { from, .. } => format!("request from {from}"),
        Inbound::RosterPush { item, .. } => format!("roster push of {}", item.jid),
        Inbound::IqResponse { id, .. } => format!("response {id}"),
        Inbound::Reply(Stanza::Iq(Iq::Error { .. })) => "error reply".into(),
        Inbound::Reply(_) | Inbound::DiscoInfoQuery { .. } => "reply".into(),
        Inbound::Receipt { from, .. } => format!("receipt from {from}"),
        Inbound::ChatState { from, .. } => format!("chat state of {from}"),
        Inbound::MessageError { id, .. } => format!("error for {id}"),
        Inbound::LastActivityQuery { .. } => "last activity query".into(),
        Inbound::VersionQuery { .. } => "version query".into(),
        Inbound::Dropped(_) => "dropped".into(),
    }
}

fn chat(attrs: &str) -> String {
    format!("<message {C} {attrs} type='chat' id='m'><body>x</body></message>")
}

const REFUSED: &str = "refused by the parser";

#[test]
fn missing_empty_or_malformed_addresses_show_nothing() {
    let long = format!("from='{}@example.org'", "x".repeat(1024));
    let cases: [(String, &str); 13] = [
        (chat(""), "dropped"),
        (chat("from=''"), REFUSED),
        (chat("from='@example.org'"), REFUSED),
        (chat("from='bob@'"), REFUSED),
        (chat("from='bob@example.org/'"), REFUSED),
        (chat("from='a@b@c'"), REFUSED),
        (chat(&long), REFUSED),
        // Bidi controls are not allowed in a localpart (nodeprep): no reordered addresses.
        (chat("from='bo\u{202E}b@example.org'"), REFUSED),
        (chat("from='bob@example.org' to=''"), REFUSED),
        (chat("from='bob@example.org' to='x@@y'"), REFUSED),
        // One normalisation: case, and the trailing dot of a fully qualified domain.
        (
            chat("from='BOB@Example.ORG./phone'"),
            "message from bob@example.org at now",
        ),
        (
            chat("from='bob@example.org./phone'"),
            "message from bob@example.org at now",
        ),
        (
            format!("<presence {C} from='x@@y' type='subscribe'/>"),
            REFUSED,
        ),
    ];
    for (xml, expected) in cases {
        assert_eq!(outcome(&xml), expected, "{xml}");
    }
    // Wrapped messages must name both ends.
    let carbon = |inner: &str| {
        format!(
            "<message {C} from='me@example.org' type='chat'><received xmlns='urn:xmpp:carbons:2'>\
             <forwarded xmlns='urn:xmpp:forward:0'><message {C} {inner} type='chat' id='c'>\
             <body>copy</body></message></forwarded></received></message>"
        )
    };
    let cases = [
        (carbon("to='me@example.org'"), "dropped"),
        (carbon("from='bob@example.org'"), "dropped"),
        (
            carbon("from='bob@example.org/p' to='me@example.org'"),
            "message from bob@example.org at now",
        ),
    ];
    for (xml, expected) in cases {
        assert_eq!(outcome(&xml), expected, "{xml}");
    }
}

#[test]
fn absurd_and_future_timestamps_are_replaced_by_the_time_of_arrival() {
    let delayed = |stamp: &str| {
        format!(
            "<message {C} from='bob@example.org/p' type='chat' id='m'><body>x</body>\
             <delay xmlns='urn:xmpp:delay' stamp='{stamp}'/></message>"
        )
    };
    let in_an_hour = chrono::DateTime::from_timestamp_millis(NOW + 3_600_000)
        .expect("a time")
        .to_rfc3339();
    let cases: [(String, String); 10] = [
        (
            delayed("2023-11-14T21:13:20Z"),
            "message from bob@example.org at 1699996400000, delayed".into(),
        ),
        (
            delayed("0000-01-01T00:00:00Z"),
            "message from bob@example.org at now, delayed".into(),
        ),
        (
            delayed("1969-12-31T23:59:59Z"),
            "message from bob@example.org at now, delayed".into(),
        ),
        (
            delayed("2999-01-01T00:00:00Z"),
            "message from bob@example.org at now, delayed".into(),
        ),
        // In the future, however near: it came now (a sender's clock is its claim, and a
        // message stamped ahead would sort after everything that comes later).
        (
            delayed(&in_an_hour),
            "message from bob@example.org at now, delayed".into(),
        ),
        // Not a time at all: no delay is read, the message is live.
        (
            delayed("99999-01-01T00:00:00Z"),
            "message from bob@example.org at now".into(),
        ),
        (
            delayed("-2023-01-01T00:00:00Z"),
            "message from bob@example.org at now".into(),
        ),
        (
            delayed("2023-13-45T99:99:99Z"),
            "message from bob@example.org at now".into(),
        ),
        (delayed(""), "message from bob@example.org at now".into()),
        (
            delayed("yesterday"),
            "message from bob@example.org at now".into(),
        ),
    ];
    for (xml, expected) in cases {
        assert_eq!(outcome(&xml), expected, "{xml}");
    }

    let idle = |since: &str| {
        format!(
            "<presence {C} from='bob@example.org/p'><idle xmlns='urn:xmpp:idle:1' since='{since}'/></presence>"
        )
    };
    let cases = [
        (
            idle("2023-11-14T21:13:20Z"),
            "presence of bob@example.org/p, idle since 1699996400000",
        ),
        (
            idle("0000-01-01T00:00:00Z"),
            "presence of bob@example.org/p",
        ),
        (
            idle("1960-01-01T00:00:00Z"),
            "presence of bob@example.org/p",
        ),
        (
            idle("2999-01-01T00:00:00Z"),
            "presence of bob@example.org/p",
        ),
        (
            idle("99999-01-01T00:00:00Z"),
            "presence of bob@example.org/p",
        ),
    ];
    for (xml, expected) in cases {
        assert_eq!(outcome(&xml), expected, "{xml}");
    }

    // Last activity of a million years, or of negative seconds: not known.
    let last = |secs: &str| {
        format!("<query xmlns='{NS_LAST}' seconds='{secs}'/>")
            .parse::<Element>()
            .ok()
    };
    let cases = [
        ("120", Some(120)),
        ("31536000000000", None),
        ("-5", None),
        ("soon", None),
        ("18446744073709551616", None),
    ];
    for (secs, expected) in cases {
        assert_eq!(
            last_activity(last(secs)).map(|(s, _)| s),
            expected,
            "{secs}"
        );
    }
}

#[test]
fn unknown_types_show_nothing_and_only_results_and_errors_answer_our_iqs() {
    let from = "from='bob@example.org/p'";
    let cases: [(String, &str); 16] = [
        (
            format!("<message {C} {from} type='bogus'><body>x</body></message>"),
            REFUSED,
        ),
        (
            format!("<message {C} {from} type=''><body>x</body></message>"),
            REFUSED,
        ),
        (format!("<presence {C} {from} type='bogus'/>"), REFUSED),
        (format!("<iq {C} {from} type='bogus' id='q'/>"), REFUSED),
        (
            format!("<iq {C} {from} id='q'><ping xmlns='urn:xmpp:ping'/></iq>"),
            REFUSED,
        ),
        (
            format!("<iq {C} {from} type='get'><ping xmlns='urn:xmpp:ping'/></iq>"),
            REFUSED,
        ),
        (
            format!("<message {C} {from} type='headline'><body>x</body></message>"),
            "dropped",
        ),
        (
            format!("<message {C} {from} type='normal' id='m'><body>x</body></message>"),
            "message from bob@example.org at now",
        ),
        (
            format!("<message {C} {from} id='m'><body>x</body></message>"),
            "message from bob@example.org at now",
        ),
        (format!("<message {C} {from} type='chat'/>"), "dropped"),
        (format!("<presence {C} {from} type='probe'/>"), "dropped"),
        (format!("<presence {C} {from} type='error'/>"), "dropped"),
        (
            format!("<presence {C} {from} type='unsubscribed'/>"),
            "dropped",
        ),
        // A get or set that carries the id of one of ours is a request, not the answer: it is
        // answered (with an error: we serve neither), never taken as a response.
        (
            format!("<iq {C} {from} type='set' id='pending-1'><query xmlns='urn:example:x'/></iq>"),
            "error reply",
        ),
        (
            format!(
                "<iq {C} {from} type='get' id='pending-1'><query xmlns='jabber:iq:roster'/></iq>"
            ),
            "error reply",
        ),
        (
            format!("<iq {C} {from} type='result' id='pending-1'/>"),
            "response pending-1",
        ),
    ];
    for (xml, expected) in cases {
        assert_eq!(outcome(&xml), expected, "{xml}");
    }
}

/// Elements nested `levels` deep, the most the wire guard lets through being
/// `connect::wire::MAX_DEPTH` below the stream.
fn deep(levels: usize) -> String {
    format!(
        "{}{}",
        "<x xmlns='urn:example:deep'>".repeat(levels),
        "</x>".repeat(levels)
    )
}

#[test]
fn deep_nesting_inside_a_valid_stanza_is_ignored_around_what_is_shown() {
    // The stanza is level 1: its payload may go 63 levels further.
    let payload = deep(63);
    let cases: [(String, &str); 5] = [
        (
            format!(
                "<message {C} from='bob@example.org/p' type='chat' id='m'><body>x</body>{payload}</message>"
            ),
            "message from bob@example.org at now",
        ),
        (
            format!(
                "<message {C} from='me@example.org' type='chat'><received xmlns='urn:xmpp:carbons:2'>\
             <forwarded xmlns='urn:xmpp:forward:0'><message {C} from='bob@example.org/p' \
             to='me@example.org' type='chat' id='c'><body>copy</body>{}</message></forwarded>\
             </received></message>",
                deep(59)
            ),
            "message from bob@example.org at now",
        ),
        (
            format!("<presence {C} from='bob@example.org/p'>{payload}</presence>"),
            "presence of bob@example.org/p",
        ),
        (
            format!("<iq {C} from='bob@example.org/p' type='get' id='q'>{payload}</iq>"),
            "error reply",
        ),
        // The server's push applies; what it nests inside the item is not read.
        (
            format!(
                "<iq {C} type='set' id='p'><query xmlns='jabber:iq:roster'>\
             <item jid='eve@example.org'>{}</item></query></iq>",
                deep(61)
            ),
            "roster push of eve@example.org",
        ),
    ];
    for (xml, expected) in cases {
        assert_eq!(outcome(&xml), expected, "{}", &xml[..80]);
    }
}

#[test]
fn private_pep_data_is_accepted_from_nobody_but_the_account() {
    let event = |from: &str, node: &str| {
        stanza(&format!(
            "<message {C} {from} to='me@example.org/desk' id='e'>\
             <event xmlns='http://jabber.org/protocol/pubsub#event'><items node='{node}'>\
             <item id='evil@conference.example.org'><conference xmlns='{node}' autojoin='true' \
             name='Bank support'/></item></items></event><body>join now</body></message>"
        ))
    };
    let forged = Inbound::Dropped("private PEP data not from the account");
    let unused = Inbound::Dropped("PEP notifications are not used");
    // CVE-2023-28686: bookmarks from another account must never be taken as the account's.
    let cases = [
        ("from='mallory@evil.org'", "urn:xmpp:bookmarks:1", &forged),
        ("from='mallory@evil.org/x'", "storage:bookmarks", &forged),
        (
            "from='me@example.org/other'",
            "urn:xmpp:bookmarks:1",
            &forged,
        ),
        ("from='example.org'", "urn:xmpp:mds:displayed:0", &forged),
        ("from='ME@EXAMPLE.ORG'", "urn:xmpp:bookmarks:1", &unused),
        ("", "urn:xmpp:bookmarks:1", &unused),
        (
            "from='bob@example.org'",
            "http://jabber.org/protocol/nick",
            &unused,
        ),
    ];
    for (from, node, expected) in cases {
        assert_eq!(
            inbound(&ctx(), event(from, node)),
            vec![(*expected).clone_dropped()],
            "{from} {node}"
        );
    }
}

impl Inbound {
    fn clone_dropped(&self) -> Inbound {
        match self {
            Inbound::Dropped(why) => Inbound::Dropped(why),
            other => panic!("not a drop: {other:?}"),
        }
    }
}
