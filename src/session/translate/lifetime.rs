//! Which of the session's own stanzas outlive the session they were sent on (issue 16, §3
//! item 8). When the stream cannot be resumed, what the server may not have received is sent
//! again on the new session, first (vendor/tokio-xmpp, change 1), unless the stanza belonged
//! to the session that ended (change 7): the new login asks its own questions and announces
//! the presence of now, so an old archive query, disco or roster request, carbons request or
//! presence broadcast would only be answered for nobody, or show an old status after the new
//! one. What the person did goes again: messages, answers to subscription requests, roster
//! changes, blocks.

use tokio_xmpp::Stanza;
use tokio_xmpp::stanzastream::OnReset;
use xmpp_parsers::{iq::Iq, message::Message, ns, presence};

/// What becomes of `stanza` if the stream cannot be resumed before the server has it.
pub fn on_reset(stanza: &Stanza) -> OnReset {
    let the_persons = match stanza {
        Stanza::Message(m) => !only_chat_state(m),
        Stanza::Presence(p) => matches!(
            p.type_,
            presence::Type::Subscribe
                | presence::Type::Subscribed
                | presence::Type::Unsubscribe
                | presence::Type::Unsubscribed
        ),
        // A change the person made; every other request is the session's (carbons, the
        // archive), and answers went to a session's question.
        Stanza::Iq(Iq::Set { payload, .. }) => {
            payload.is("query", ns::ROSTER)
                || payload.is("block", ns::BLOCKING)
                || payload.is("unblock", ns::BLOCKING)
        }
        Stanza::Iq(_) => false,
    };
    if the_persons {
        OnReset::Resend
    } else {
        OnReset::Drop
    }
}

/// A typing notification and nothing else: it tells of a moment that has passed.
fn only_chat_state(m: &Message) -> bool {
    m.bodies.is_empty()
        && !m.payloads.is_empty()
        && m.payloads.iter().all(|p| p.ns() == ns::CHATSTATES)
}

#[cfg(test)]
mod tests {
    use xmpp_parsers::presence::Presence;

    use super::*;
    use crate::model::address::j;
    use crate::model::{ChatMessage, ChatState, Show};
    use crate::session::translate;

    #[test]
    fn what_the_person_did_is_resent_and_what_the_session_asked_is_dropped() {
        let msg = ChatMessage::outbound(
            j("alice@localhost"),
            j("bob@localhost"),
            "hello".into(),
            "m1".into(),
            0,
        );
        let to = tokio_xmpp::jid::Jid::new("bob@localhost/x").expect("a JID");
        let cases: Vec<(&str, Stanza, OnReset)> = vec![
            (
                "chat message",
                translate::chat_message(&msg),
                OnReset::Resend,
            ),
            (
                "receipt",
                translate::receipt(to.clone(), "m0"),
                OnReset::Resend,
            ),
            (
                "subscribe",
                translate::subscription(&j("bob@localhost"), presence::Type::Subscribe, Some("hi")),
                OnReset::Resend,
            ),
            (
                "subscribed",
                translate::subscription(&j("bob@localhost"), presence::Type::Subscribed, None),
                OnReset::Resend,
            ),
            (
                "unsubscribe",
                translate::subscription(&j("bob@localhost"), presence::Type::Unsubscribe, None),
                OnReset::Resend,
            ),
            (
                "unsubscribed",
                translate::subscription(&j("bob@localhost"), presence::Type::Unsubscribed, None),
                OnReset::Resend,
            ),
            (
                "roster set",
                translate::roster_set("q1", &j("bob@localhost"), Some("Bob"), &[], false),
                OnReset::Resend,
            ),
            (
                "roster remove",
                translate::roster_set("q1", &j("bob@localhost"), None, &[], true),
                OnReset::Resend,
            ),
            (
                "block",
                translate::block("q1", &j("spam@localhost")),
                OnReset::Resend,
            ),
            (
                "typing",
                translate::chat_state_message(&j("bob@localhost"), ChatState::Composing),
                OnReset::Drop,
            ),
            (
                "own presence",
                translate::own_presence(Show::Away, "lunch", None),
                OnReset::Drop,
            ),
            (
                "initial presence",
                translate::initial_presence(Show::Available, ""),
                OnReset::Drop,
            ),
            (
                "goodbye",
                Presence::new(presence::Type::Unavailable).into(),
                OnReset::Drop,
            ),
            (
                "roster get",
                translate::roster_get("q1", None),
                OnReset::Drop,
            ),
            ("carbons", translate::carbons_enable("q1"), OnReset::Drop),
            (
                "disco",
                translate::disco_info("q1", to.clone()),
                OnReset::Drop,
            ),
            (
                "archive query",
                translate::mam_query("q1", "qid", None, None, None, 50),
                OnReset::Drop,
            ),
            (
                "last activity",
                translate::last_activity_query("q1", &j("bob@localhost")),
                OnReset::Drop,
            ),
            (
                "an answer",
                translate::last_activity_result(to.clone(), "r1".into(), 5),
                OnReset::Drop,
            ),
            (
                "an error answer",
                translate::forbidden(to, "r2".into()),
                OnReset::Drop,
            ),
        ];
        for (what, stanza, expected) in cases {
            assert_eq!(on_reset(&stanza), expected, "{what}");
        }
    }
}
