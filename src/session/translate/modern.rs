//! What modern clients put in a message besides its text (issue 17), read and written here:
//! corrections (XEP-0308), retractions (XEP-0424 with the XEP-0428 fallback), replies
//! (XEP-0461 with its fallback quote), reactions (XEP-0444) and the explicit encryption marker
//! (XEP-0380) or the encrypted payload of a scheme Natter cannot read yet.

use tokio_xmpp::minidom::Element;
use xmpp_parsers::message::{Id, Lang, Message};
use xmpp_parsers::{message_correct::Replace, reactions, stanza_id};

use crate::model::{Amendment, BareJid, Encryption, MessageId, ReplyTo, amend::reaction_set};

/// XEP-0424 version 0.4 and later.
pub const NS_RETRACT: &str = "urn:xmpp:message-retract:1";
/// XEP-0424 before 0.4, inside an XEP-0422 `<apply-to/>`.
const NS_RETRACT_0: &str = "urn:xmpp:message-retract:0";
const NS_FASTEN: &str = "urn:xmpp:fasten:0";
/// XEP-0461.
pub const NS_REPLY: &str = "urn:xmpp:reply:0";
/// XEP-0428.
pub const NS_FALLBACK: &str = "urn:xmpp:fallback:0";
/// XEP-0334: clients send this with changes that have no body, so that archives keep them.
const NS_HINTS: &str = "urn:xmpp:hints";
const NS_EME: &str = "urn:xmpp:eme:0";

/// Encryption schemes by the namespace of their payload (XEP-0380's list), with the short name
/// Natter keeps.
const SCHEMES: &[(&str, &str)] = &[
    ("eu.siacs.conversations.axolotl", "omemo"),
    ("urn:xmpp:omemo:1", "omemo"),
    ("urn:xmpp:omemo:2", "omemo:2"),
    ("urn:xmpp:openpgp:0", "openpgp"),
    ("jabber:x:encrypted", "pgp"),
    ("urn:xmpp:otr:0", "otr"),
];

/// The id a change names; one that cannot be an id ([`MessageId`]) names nothing.
fn ref_id(id: &str) -> Option<MessageId> {
    MessageId::new(id).ok()
}

/// The change this message makes to an earlier one, if it is one. A reaction set is bounded
/// here (model::amend); a retraction wins over anything else the message carries.
pub fn amendment(m: &Message) -> Option<Amendment> {
    if let Some(target) = retraction(m) {
        return Some(Amendment::Retraction { target });
    }
    for p in &m.payloads {
        if p.is("reactions", xmpp_parsers::ns::REACTIONS)
            && let Ok(r) = reactions::Reactions::try_from(p.clone())
        {
            let emoji = reaction_set(r.reactions.into_iter().map(|r| r.emoji));
            return ref_id(&r.id).map(|target| Amendment::Reactions { target, emoji });
        }
        if p.is("replace", xmpp_parsers::ns::MESSAGE_CORRECT)
            && let Ok(r) = Replace::try_from(p.clone())
        {
            return ref_id(&r.id.0).map(|target| Amendment::Correction { target });
        }
    }
    None
}

fn retraction(m: &Message) -> Option<MessageId> {
    m.payloads.iter().find_map(|p| {
        if p.is("retract", NS_RETRACT) {
            return p.attr("id").and_then(ref_id);
        }
        if p.is("apply-to", NS_FASTEN) && p.has_child("retract", NS_RETRACT_0) {
            return p.attr("id").and_then(ref_id);
        }
        None
    })
}

/// The message this one replies to, taking the fallback quote out of `body` (XEP-0461 and
/// XEP-0428: the range is in characters; a range that does not fit the body takes nothing).
pub fn reply(m: &Message, body: &mut String) -> Option<ReplyTo> {
    let r = m.payloads.iter().find(|p| p.is("reply", NS_REPLY))?;
    let id = r.attr("id").and_then(ref_id)?;
    let author = r
        .attr("to")
        .and_then(|to| tokio_xmpp::jid::Jid::new(to).ok())
        .map(|j| crate::model::address::canonical(&j).to_bare());
    let fallback = m
        .payloads
        .iter()
        .find(|p| p.is("fallback", NS_FALLBACK) && p.attr("for") == Some(NS_REPLY));
    if let Some(range) = fallback.and_then(|f| f.get_child("body", NS_FALLBACK)) {
        strip_range(body, range.attr("start"), range.attr("end"));
    }
    Some(ReplyTo::new(id, author))
}

fn strip_range(body: &mut String, start: Option<&str>, end: Option<&str>) {
    let (Some(Ok(start)), Some(Ok(end))) = (start.map(str::parse), end.map(str::parse)) else {
        return;
    };
    let chars = body.chars().count();
    if start > end || end > chars {
        return;
    }
    let kept: String = body
        .chars()
        .enumerate()
        .filter(|(i, _)| *i < start || *i >= end)
        .map(|(_, c)| c)
        .collect();
    *body = kept;
}

/// The scheme of a message encrypted with one Natter cannot read, with its fallback body and
/// payload kept; `None` for a plain message.
pub fn encryption(m: &Message, body: &str) -> Option<Encryption> {
    let payload = m
        .payloads
        .iter()
        .find(|p| SCHEMES.iter().any(|(ns, _)| p.has_ns(*ns)) && !p.is("store", NS_HINTS));
    let marker = m.payloads.iter().find(|p| p.is("encryption", NS_EME));
    let namespace = match (marker.and_then(|e| e.attr("namespace")), payload) {
        (Some(ns), _) => ns.to_owned(),
        (None, Some(p)) => p.ns(),
        (None, None) => return None,
    };
    let scheme = SCHEMES
        .iter()
        .find(|(ns, _)| *ns == namespace)
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| namespace.chars().take(100).collect());
    let payload = payload.map(xml).unwrap_or_default();
    Some(Encryption {
        scheme,
        fallback: body.to_owned(),
        payload,
    })
}

/// An element with attributes (names are constants here, so each is a valid name).
pub fn element(name: &str, ns: &str, attrs: &[(&str, &str)]) -> Element {
    let mut b = Element::builder(name, ns);
    for (key, value) in attrs {
        if let Ok(key) = rxml::NcName::try_from(*key) {
            b = b.attr(key, *value);
        }
    }
    b.build()
}

fn xml(e: &Element) -> String {
    let mut out = Vec::new();
    match e.write_to(&mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The XEP-0428 element that says a reply's body starts with `chars` characters of quote.
pub fn reply_fallback(chars: usize) -> Element {
    let end = chars.to_string();
    let mut fallback = element("fallback", NS_FALLBACK, &[("for", NS_REPLY)]);
    fallback.append_child(element(
        "body",
        NS_FALLBACK,
        &[("start", "0"), ("end", &end)],
    ));
    fallback
}

/// A change of ours to an earlier message in the conversation with `to`: a correction with
/// its new text, a retraction with the fallback text and hint of XEP-0424, or a reaction set
/// with the store hint (it has no body). `id` is the change's own id (and origin-id),
/// `target` the id the peer knows the message by.
pub fn change_stanza(
    to: &BareJid,
    id: &str,
    target: &str,
    change: &Amendment,
    body: &str,
) -> Message {
    let mut m = Message::chat(Some(tokio_xmpp::jid::Jid::from(to.clone())));
    m.id = Some(Id(id.to_owned()));
    match change {
        Amendment::Correction { .. } => {
            m = m
                .with_body(Lang::default(), body.to_owned())
                .with_payload(Replace {
                    id: Id(target.to_owned()),
                });
        }
        Amendment::Retraction { .. } => {
            m = m.with_body(Lang::default(), crate::fl!("wire-retraction-fallback"));
            m.payloads
                .push(element("retract", NS_RETRACT, &[("id", target)]));
            m.payloads
                .push(element("fallback", NS_FALLBACK, &[("for", NS_RETRACT)]));
            m.payloads.push(element("store", NS_HINTS, &[]));
        }
        Amendment::Reactions { emoji, .. } => {
            m = m.with_payload(reactions::Reactions {
                id: target.to_owned(),
                reactions: emoji
                    .iter()
                    .map(|e| reactions::Reaction { emoji: e.clone() })
                    .collect(),
            });
            m.payloads.push(element("store", NS_HINTS, &[]));
        }
    }
    m.with_payload(stanza_id::OriginId { id: id.to_owned() })
}
