//! Origin checks, in one place. Every wrapped or privileged stanza is accepted only from the
//! entity allowed to send it; anything else is dropped and never shown. JIDs are compared after
//! one normalisation: the `jid` crate's at parse time (case, width, IDNA), finished by
//! [`canonical`] (the trailing dot of a domain).

use tokio_xmpp::jid::{BareJid, Jid};
use xmpp_parsers::message::MessageType;

use crate::model::address::canonical;

/// `from` is the account's bare JID itself (no resource).
fn is_account(me: &BareJid, from: &Jid) -> bool {
    from.resource().is_none() && canonical(from).to_bare() == *me
}

/// Roster pushes (RFC 6121 §2.1.6): no `from`, or the account's bare JID.
pub fn roster_push_allowed(me: &BareJid, from: Option<&Jid>) -> bool {
    from.is_none_or(|f| is_account(me, f))
}

/// Carbons (XEP-0280 §11, CVE-2017-5589): only from the account's bare JID, only while enabled,
/// never in group chat.
pub fn carbon_allowed(me: &BareJid, from: Option<&Jid>, enabled: bool, kind: &MessageType) -> bool {
    enabled && !matches!(kind, MessageType::Groupchat) && from.is_some_and(|f| is_account(me, f))
}

/// Archive results (XEP-0313, CVE-2019-16237): only from the queried archive (the account's own:
/// no `from` or its bare JID), only for a query this session has open.
pub fn archive_result_allowed(
    me: &BareJid,
    from: Option<&Jid>,
    queryid: Option<&str>,
    open: &[String],
) -> bool {
    let from_ok = from.is_none_or(|f| is_account(me, f));
    from_ok && queryid.is_some_and(|q| open.iter().any(|o| o == q))
}

/// PEP nodes that hold the account's private data (XEP-0223 and the XEPs built on it):
/// bookmarks, message displayed synchronisation. Their events are the account's own.
pub const PRIVATE_PEP_NODES: &[&str] = &[
    "storage:bookmarks",
    "urn:xmpp:bookmarks:0",
    "urn:xmpp:bookmarks:1",
    "urn:xmpp:mds:displayed:0",
    "urn:xmpp:private:0",
];

/// A PEP event for one of the account's private nodes (CVE-2023-28686): only from the
/// account's own bare JID (or without `from`, which means the same).
pub fn private_pep_allowed(me: &BareJid, from: Option<&Jid>) -> bool {
    roster_push_allowed(me, from)
}

/// A receipt or a bounce for one of our messages counts only from the peer it went to
/// (`peer`, a bare JID as stored). A bounce may also come from the peer's server or ours (an
/// address without localpart: remote-server-not-found and the like), or without `from`, which
/// is our own server speaking for the account. Anyone else could otherwise mark a message
/// delivered, or fail it with words of their own in the error the person reads.
pub fn delivery_report_allowed(me: &BareJid, peer: &str, from: Option<&Jid>, bounce: bool) -> bool {
    let Some(from) = from.map(canonical) else {
        return bounce;
    };
    if from.to_bare().as_str() == peer {
        return true;
    }
    let peer_domain = peer.rsplit_once('@').map_or(peer, |(_, d)| d);
    bounce
        && from.node().is_none()
        && from.resource().is_none()
        && (from.domain().as_str() == peer_domain || from.domain() == me.domain())
}

/// A stanza-id (XEP-0359) is trusted only when the account's own archive stamped it.
pub fn stanza_id_trusted(me: &BareJid, by: &Jid) -> bool {
    is_account(me, by)
}

/// An IQ response must come from the entity the request went to. A request without `to` went
/// to the account itself, whose answers come without `from` or from its bare or full JID.
pub fn iq_response_allowed(me: &Jid, expected: Option<&Jid>, from: Option<&Jid>) -> bool {
    let me = canonical(me);
    match (expected.map(canonical), from.map(canonical)) {
        (None, None) => true,
        (None, Some(f)) => f.to_bare() == me.to_bare() && (f.resource().is_none() || f == me),
        (Some(e), None) => e.to_bare() == me.to_bare() && e.resource().is_none(),
        (Some(e), Some(f)) => e == f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(s: &str) -> Jid {
        Jid::new(s).expect("test jid")
    }

    #[test]
    fn privileged_stanzas_only_from_the_account() {
        let me = j("me@example.org").to_bare();
        let mallory = j("mallory@example.org");
        assert!(roster_push_allowed(&me, None));
        assert!(roster_push_allowed(&me, Some(&j("ME@example.org"))));
        assert!(!roster_push_allowed(&me, Some(&mallory)));
        assert!(!roster_push_allowed(&me, Some(&j("me@example.org/evil"))));
        assert!(!roster_push_allowed(&me, Some(&j("example.org"))));

        let chat = MessageType::Chat;
        assert!(carbon_allowed(&me, Some(&j("me@example.org")), true, &chat));
        assert!(!carbon_allowed(
            &me,
            Some(&j("me@example.org")),
            false,
            &chat
        ));
        assert!(!carbon_allowed(&me, Some(&mallory), true, &chat));
        assert!(!carbon_allowed(&me, None, true, &chat));
        assert!(!carbon_allowed(
            &me,
            Some(&j("me@example.org")),
            true,
            &MessageType::Groupchat
        ));

        let open = vec!["q1".to_owned()];
        assert!(archive_result_allowed(&me, None, Some("q1"), &open));
        assert!(archive_result_allowed(
            &me,
            Some(&j("me@example.org")),
            Some("q1"),
            &open
        ));
        assert!(!archive_result_allowed(
            &me,
            Some(&mallory),
            Some("q1"),
            &open
        ));
        assert!(!archive_result_allowed(&me, None, Some("q2"), &open));
        assert!(!archive_result_allowed(&me, None, None, &open));

        assert!(stanza_id_trusted(&me, &j("me@example.org")));
        assert!(!stanza_id_trusted(&me, &mallory));
    }

    #[test]
    fn every_check_compares_addresses_after_one_normalisation() {
        let me = j("alice@localhost").to_bare();
        let bound = j("alice@localhost/desk");
        let chat = MessageType::Chat;
        // The same account however the server spells it: case, a trailing dot.
        for same in [
            "alice@localhost",
            "ALICE@LOCALHOST",
            "Alice@LocalHost.",
            "alice@localhost.",
        ] {
            let f = j(same);
            assert!(roster_push_allowed(&me, Some(&f)), "{same}");
            assert!(carbon_allowed(&me, Some(&f), true, &chat), "{same}");
            assert!(
                archive_result_allowed(&me, Some(&f), Some("q"), &["q".into()]),
                "{same}"
            );
            assert!(stanza_id_trusted(&me, &f), "{same}");
            assert!(private_pep_allowed(&me, Some(&f)), "{same}");
            assert!(iq_response_allowed(&bound, None, Some(&f)), "{same}");
            assert!(
                iq_response_allowed(&bound, Some(&f), Some(&j("alice@localhost"))),
                "{same}"
            );
        }
        assert!(iq_response_allowed(
            &bound,
            None,
            Some(&j("ALICE@localhost./desk"))
        ));
        // Look-alikes are someone else.
        for other in [
            "alice@localhost.evil",
            "alice.@localhost",
            "alicе@localhost", // Cyrillic е
            "alice@local-host",
            "localhost",
        ] {
            let f = j(other);
            assert!(!roster_push_allowed(&me, Some(&f)), "{other}");
            assert!(!carbon_allowed(&me, Some(&f), true, &chat), "{other}");
            assert!(!stanza_id_trusted(&me, &f), "{other}");
            assert!(!private_pep_allowed(&me, Some(&f)), "{other}");
            assert!(!iq_response_allowed(&bound, None, Some(&f)), "{other}");
        }
    }

    #[test]
    fn receipts_and_bounces_count_only_from_the_peer_or_the_servers_between() {
        let me = j("me@example.org").to_bare();
        let peer = "bob@remote.example";
        // (from, as a receipt, as a bounce)
        let cases: [(Option<&str>, bool, bool); 9] = [
            (Some("bob@remote.example/phone"), true, true),
            (Some("BOB@remote.example."), true, true),
            (Some("remote.example"), false, true),
            (Some("example.org"), false, true),
            (None, false, true),
            (Some("mallory@evil.example"), false, false),
            (Some("mallory@remote.example"), false, false),
            (Some("evil.example"), false, false),
            (Some("remote.example/x"), false, false),
        ];
        for (from, receipt, bounce) in cases {
            let from = from.map(j);
            assert_eq!(
                delivery_report_allowed(&me, peer, from.as_ref(), false),
                receipt,
                "receipt from {from:?}"
            );
            assert_eq!(
                delivery_report_allowed(&me, peer, from.as_ref(), true),
                bounce,
                "bounce from {from:?}"
            );
        }
    }

    #[test]
    fn iq_responses_come_from_whom_we_asked() {
        let me = j("me@example.org/desk");
        let server = j("example.org");
        assert!(iq_response_allowed(&me, None, None));
        assert!(iq_response_allowed(&me, None, Some(&j("me@example.org"))));
        assert!(!iq_response_allowed(
            &me,
            None,
            Some(&j("me@example.org/other"))
        ));
        assert!(!iq_response_allowed(&me, None, Some(&server)));
        assert!(iq_response_allowed(&me, Some(&server), Some(&server)));
        assert!(!iq_response_allowed(
            &me,
            Some(&server),
            Some(&j("evil.org"))
        ));
        assert!(iq_response_allowed(
            &me,
            Some(&j("bob@example.org")),
            Some(&j("bob@example.org"))
        ));
        assert!(!iq_response_allowed(&me, Some(&j("bob@example.org")), None));
    }
}
