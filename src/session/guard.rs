//! Origin checks, in one place. Every wrapped or privileged stanza is accepted only from the
//! entity allowed to send it; anything else is dropped and never shown. JIDs are compared after
//! the one normalisation the `jid` crate applies at parse time.

use tokio_xmpp::jid::{BareJid, Jid};
use xmpp_parsers::message::MessageType;

/// Roster pushes (RFC 6121 §2.1.6): no `from`, or the account's bare JID.
pub fn roster_push_allowed(me: &BareJid, from: Option<&Jid>) -> bool {
    match from {
        None => true,
        Some(f) => f.resource().is_none() && f.to_bare() == *me,
    }
}

/// Carbons (XEP-0280 §11, CVE-2017-5589): only from the account's bare JID, only while enabled,
/// never in group chat.
pub fn carbon_allowed(me: &BareJid, from: Option<&Jid>, enabled: bool, kind: &MessageType) -> bool {
    enabled
        && !matches!(kind, MessageType::Groupchat)
        && from.is_some_and(|f| f.resource().is_none() && f.to_bare() == *me)
}

/// Archive results (XEP-0313, CVE-2019-16237): only from the queried archive (the account's own:
/// no `from` or its bare JID), only for a query this session has open.
pub fn archive_result_allowed(
    me: &BareJid,
    from: Option<&Jid>,
    queryid: Option<&str>,
    open: &[String],
) -> bool {
    let from_ok = match from {
        None => true,
        Some(f) => f.resource().is_none() && f.to_bare() == *me,
    };
    from_ok && queryid.is_some_and(|q| open.iter().any(|o| o == q))
}

/// A stanza-id (XEP-0359) is trusted only when the account's own archive stamped it.
pub fn stanza_id_trusted(me: &BareJid, by: &Jid) -> bool {
    by.resource().is_none() && by.to_bare() == *me
}

/// An IQ response must come from the entity the request went to. A request without `to` went
/// to the account itself, whose answers come without `from` or from its bare or full JID.
pub fn iq_response_allowed(me: &Jid, expected: Option<&Jid>, from: Option<&Jid>) -> bool {
    match (expected, from) {
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
