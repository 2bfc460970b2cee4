//! Pure translation between stanzas and what the session does with them: no I/O, no await.
//! Inbound: one function per stanza kind returning what happened ([`Inbound`]); the worker
//! persists and announces. Outbound ([`outbound`]): builders for every stanza the session
//! sends, and readers of the answers to its requests.

use chrono::Utc;
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::minidom::Element;
use xmpp_parsers::{
    carbons, chatstates,
    delay::Delay,
    forwarding::Forwarded,
    idle,
    iq::Iq,
    mam,
    message::{Message, MessageType},
    nick::Nick,
    ns,
    presence::{self, Presence},
    receipts, stanza_error, stanza_id,
};

use super::guard;
use crate::model::address::canonical;
use crate::model::{
    Amendment, ChatMessage, ChatState, Delivery, Direction, Extras, MessageId, Millis, RosterItem,
    Show,
};

/// The software name and feature list announced in disco#info and entity capabilities.
pub const CLIENT_NAME: &str = "Natter";
/// The entity-capabilities node.
pub const CAPS_NODE: &str = "https://natter.im";

/// What the translation needs to know about the session.
#[derive(Debug, Clone)]
pub struct Context {
    /// The account's bare JID.
    pub me: BareJid,
    /// Carbons were enabled on this stream.
    pub carbons: bool,
    /// Archive query ids this session has open.
    pub open_queries: Vec<String>,
    /// Now, for messages without a delay stamp.
    pub now: Millis,
}

/// What an inbound stanza means.
#[derive(Debug, PartialEq)]
pub enum Inbound {
    /// A chat message (live, offline, carbon or archive). `receipt_to` is set when the sender
    /// asked for a receipt (never for carbons or archive results).
    Message {
        /// The message, not yet stored.
        message: ChatMessage,
        /// Full JID to send the receipt to.
        receipt_to: Option<Jid>,
        /// The archive query it belongs to.
        query: Option<String>,
    },
    /// The peer's client confirmed a message (XEP-0184).
    Receipt {
        /// The peer.
        from: BareJid,
        /// Id of our message.
        id: MessageId,
    },
    /// A chat state notification.
    ChatState {
        /// The peer.
        from: BareJid,
        /// State.
        state: ChatState,
    },
    /// A message of ours bounced.
    MessageError {
        /// Id of our message.
        id: MessageId,
        /// Who says so (the worker checks it against the message's peer).
        from: Option<Jid>,
        /// Why, in words.
        reason: String,
    },
    /// Presence of one resource.
    Presence {
        /// Full JID (or bare for resource-less senders).
        from: Jid,
        /// Show (unavailable when it left).
        show: Show,
        /// Status text.
        status: String,
        /// Priority.
        priority: i8,
        /// XEP-0319.
        idle_since: Option<Millis>,
    },
    /// Someone asks to see the account's presence.
    SubscribeRequest {
        /// The requester.
        from: BareJid,
        /// Claimed nick (XEP-0172).
        nick: Option<String>,
        /// Message sent with the request.
        message: Option<String>,
    },
    /// A roster push from the account's server, to acknowledge with `iq_id`.
    RosterPush {
        /// Version.
        ver: Option<String>,
        /// The item.
        item: RosterItem,
        /// `subscription="remove"`.
        removed: bool,
        /// Id of the push, to acknowledge.
        iq_id: String,
        /// Who sent it (to address the acknowledgement).
        from: Option<Jid>,
    },
    /// An answer to one of our IQs.
    IqResponse {
        /// Id.
        id: String,
        /// Sender.
        from: Option<Jid>,
        /// Payload of a result.
        payload: Option<Element>,
        /// Error text, for type=error.
        error: Option<String>,
    },
    /// A last-activity query (XEP-0012), answered only to those who see our presence.
    LastActivityQuery {
        /// Who asks.
        from: Jid,
        /// Id to answer.
        id: String,
    },
    /// A software-version query (XEP-0092), answered only to those who see our presence.
    VersionQuery {
        /// Who asks.
        from: Jid,
        /// Id to answer.
        id: String,
    },
    /// A disco#info query to answer with [`disco_info_result`] (answered a few at a time: a
    /// server with PEP sends thousands at login).
    DiscoInfoQuery {
        /// Who asks.
        from: Jid,
        /// Id to answer.
        id: String,
        /// The node asked about (our capabilities node), if any.
        node: Option<String>,
    },
    /// Send this stanza back (ping, errors for unknown requests).
    Reply(Stanza),
    /// Dropped: the reason is logged, nothing is shown.
    Dropped(&'static str),
}

/// Translates one inbound stanza.
pub fn inbound(ctx: &Context, stanza: Stanza) -> Vec<Inbound> {
    // One spelling per address from here on (see `model::address::canonical`).
    let one = |j: Option<Jid>| j.map(|j| canonical(&j));
    match stanza {
        Stanza::Message(mut m) => {
            (m.from, m.to) = (one(m.from), one(m.to));
            message(ctx, m)
        }
        Stanza::Presence(mut p) => {
            (p.from, p.to) = (one(p.from), one(p.to));
            vec![presence_in(ctx, p)]
        }
        Stanza::Iq(mut iq) => {
            let (Iq::Get { from, .. }
            | Iq::Set { from, .. }
            | Iq::Result { from, .. }
            | Iq::Error { from, .. }) = &mut iq;
            *from = one(from.take());
            vec![iq_in(ctx, iq)]
        }
    }
}

/// The body, whole: the wire guard bounds the stanza that carries it (8 MiB), and a long one
/// is folded in the window, never cut.
fn body_of(m: &Message) -> Option<String> {
    let (_, body) = m.get_best_body(vec![""])?;
    Some(body.clone())
}

/// What of a message is stored: its text and extras (a reply with its fallback quote taken
/// out, an encrypted message's marker with its text kept aside), or the change it makes to an
/// earlier message. `None` when there is nothing to store (no body and no change).
fn content(m: &Message) -> Option<(String, Box<Extras>)> {
    let body = body_of(m);
    let encryption = body.as_deref().and_then(|b| modern::encryption(m, b));
    if let Some(amends) = modern::amendment(m) {
        let text = match &amends {
            // The new text of an encrypted correction cannot be read: nothing to apply.
            Amendment::Correction { .. } if encryption.is_some() => return None,
            Amendment::Correction { .. } => body.unwrap_or_default(),
            _ => String::new(),
        };
        let mut text = text;
        let _ = modern::reply(m, &mut text);
        let extras = Extras {
            amends: Some(amends),
            ..Extras::default()
        };
        return Some((text, Box::new(extras)));
    }
    if let Some(encryption) = encryption {
        let extras = Extras {
            encryption: Some(encryption),
            ..Extras::default()
        };
        return Some((String::new(), Box::new(extras)));
    }
    let mut body = body?;
    let reply_to = modern::reply(m, &mut body);
    Some((
        body,
        Box::new(Extras {
            reply_to,
            ..Extras::default()
        }),
    ))
}

fn millis(d: &xmpp_parsers::date::DateTime) -> Millis {
    d.0.with_timezone(&Utc).timestamp_millis()
}

/// When a message with this delay stamp was sent: never after it was received (a stamp in the
/// future is someone's claim, and would sort it after everything that comes later), and never
/// before 1970. Either way it is placed when it came.
fn sane_stamp(stamp: Millis, now: Millis) -> Millis {
    if (0..=now).contains(&stamp) {
        stamp
    } else {
        now
    }
}

/// A time from the network, if it is not nonsense (before 1970, or more than a day ahead of
/// `now`).
fn sane(stamp: Millis, now: Millis) -> Option<Millis> {
    (0..=now.saturating_add(86_400_000))
        .contains(&stamp)
        .then_some(stamp)
}

fn message(ctx: &Context, mut m: Message) -> Vec<Inbound> {
    if m.type_ == MessageType::Error {
        let id = MessageId::maybe(m.id.as_ref().map(|i| i.0.as_str()));
        let reason = m
            .extract_payload::<stanza_error::StanzaError>()
            .ok()
            .flatten()
            .map(|e| error_text(&e))
            .unwrap_or_else(|| crate::fl!("session-undeliverable"));
        return match id {
            None => vec![Inbound::Dropped("error without id")],
            Some(id) => vec![Inbound::MessageError {
                id,
                from: m.from,
                reason,
            }],
        };
    }
    if matches!(m.type_, MessageType::Groupchat | MessageType::Headline) {
        return vec![Inbound::Dropped("group chat and headlines are not handled")];
    }
    if let Some(event) = m.payloads.iter().find(|p| p.is("event", ns::PUBSUB_EVENT)) {
        return vec![pep_event(ctx, m.from.as_ref(), event)];
    }
    let from = m.from.clone();
    // Carbons and archive results wrap another message; unwrap them only from the account.
    if let Ok(Some(c)) = m.extract_payload::<carbons::Received>() {
        if !guard::carbon_allowed(&ctx.me, from.as_ref(), ctx.carbons, &m.type_) {
            return vec![Inbound::Dropped("carbon not from the account")];
        }
        return forwarded(ctx, c.forwarded, true, None, None);
    }
    if let Ok(Some(c)) = m.extract_payload::<carbons::Sent>() {
        if !guard::carbon_allowed(&ctx.me, from.as_ref(), ctx.carbons, &m.type_) {
            return vec![Inbound::Dropped("carbon not from the account")];
        }
        return forwarded(ctx, c.forwarded, true, None, None);
    }
    if let Ok(Some(r)) = m.extract_payload::<mam::Result_>() {
        let qid = r.queryid.as_ref().map(|q| q.0.as_str());
        if !guard::archive_result_allowed(&ctx.me, from.as_ref(), qid, &ctx.open_queries) {
            return vec![Inbound::Dropped("archive result not from an open query")];
        }
        let query = qid.map(str::to_owned);
        return forwarded(ctx, r.forwarded, false, Some(r.id), query);
    }
    let Some(from) = from else {
        return vec![Inbound::Dropped("message without sender")];
    };
    direct(ctx, m, from)
}

/// A PEP (XEP-0163) notification. Natter uses no PEP data yet, so none is applied, and the
/// body some servers add is not a chat message. One for a private node (bookmarks and the
/// like) from anyone but the account is a forgery (CVE-2023-28686): refused by name, so the
/// rule holds when PEP data is used one day.
fn pep_event(ctx: &Context, from: Option<&Jid>, event: &Element) -> Inbound {
    let private = event.children().any(|c| {
        c.attr("node")
            .is_some_and(|n| guard::PRIVATE_PEP_NODES.contains(&n))
    });
    if private && !guard::private_pep_allowed(&ctx.me, from) {
        Inbound::Dropped("private PEP data not from the account")
    } else {
        Inbound::Dropped("PEP notifications are not used")
    }
}

/// A message received directly (not wrapped).
fn direct(ctx: &Context, mut m: Message, from: Jid) -> Vec<Inbound> {
    let mut out = Vec::new();
    let peer = from.to_bare();
    if let Ok(Some(r)) = m.extract_payload::<receipts::Received>()
        && let Ok(id) = MessageId::new(r.id)
    {
        out.push(Inbound::Receipt {
            from: peer.clone(),
            id,
        });
    }
    if let Ok(Some(state)) = m.extract_payload::<chatstates::ChatState>() {
        out.push(Inbound::ChatState {
            from: peer.clone(),
            state: chat_state(&state),
        });
    }
    let Some((body, extras)) = content(&m) else {
        if out.is_empty() {
            out.push(Inbound::Dropped("message without body"));
        }
        return out;
    };
    let wants_receipt = matches!(m.extract_payload::<receipts::Request>(), Ok(Some(_)));
    let mut msg = base_message(ctx, &mut m, Direction::In, peer, body, None);
    msg.delivery = Delivery::Received;
    msg.extras = extras;
    let receipt_to = (wants_receipt && msg.remote_id.is_some()).then_some(from);
    out.insert(
        0,
        Inbound::Message {
            message: msg,
            receipt_to,
            query: None,
        },
    );
    out
}

/// Builds the stored form of a message, with ids, stamps and trust applied.
fn base_message(
    ctx: &Context,
    m: &mut Message,
    direction: Direction,
    peer: BareJid,
    body: String,
    outer_delay: Option<Delay>,
) -> ChatMessage {
    // The server's stamp (an archive's or a carbon's, on the forwarding) wins over the one the
    // sender put in its own message: a sender's clock is its word, not the archive's.
    let own_delay = m.extract_payload::<Delay>().ok().flatten();
    let delay = outer_delay.or(own_delay);
    let mut stanza_id = None;
    // A message may carry several stanza-ids; only our own archive's is trusted.
    while let Ok(Some(sid)) = m.extract_payload::<stanza_id::StanzaId>() {
        if guard::stanza_id_trusted(&ctx.me, &sid.by) {
            stanza_id = MessageId::new(sid.id).ok();
        }
    }
    let origin_id = m
        .extract_payload::<stanza_id::OriginId>()
        .ok()
        .flatten()
        .and_then(|o| MessageId::new(o.id).ok());
    let sent_at = delay
        .as_ref()
        .map_or(ctx.now, |d| sane_stamp(millis(&d.stamp), ctx.now));
    ChatMessage {
        local_id: 0,
        account: ctx.me.clone(),
        peer,
        direction,
        body,
        sent_at,
        received_at: ctx.now,
        remote_id: MessageId::maybe(m.id.as_ref().map(|i| i.0.as_str())),
        origin_id,
        stanza_id,
        delivery: if direction == Direction::In {
            Delivery::Received
        } else {
            Delivery::Acked
        },
        delayed: delay.is_some(),
        carbon: false,
        extras: Box::default(),
    }
}

/// A carbon or archive result: the inner message, which is ours when it is from the account.
fn forwarded(
    ctx: &Context,
    f: Forwarded,
    carbon: bool,
    archive_id: Option<String>,
    query: Option<String>,
) -> Vec<Inbound> {
    let mut inner = f.message;
    if !matches!(inner.type_, MessageType::Chat | MessageType::Normal) {
        return vec![Inbound::Dropped("forwarded message is not a chat")];
    }
    let one = |j: &Option<Jid>| j.as_ref().map(canonical);
    let (Some(from), Some(to)) = (one(&inner.from), one(&inner.to)) else {
        return vec![Inbound::Dropped("forwarded message without addresses")];
    };
    let outgoing = from.to_bare() == ctx.me;
    let peer_jid = if outgoing { to } else { from };
    let Some((body, extras)) = content(&inner) else {
        if carbon
            && !outgoing
            && let Ok(Some(state)) = inner.extract_payload::<chatstates::ChatState>()
        {
            let state = chat_state(&state);
            return vec![Inbound::ChatState {
                from: peer_jid.to_bare(),
                state,
            }];
        }
        return vec![Inbound::Dropped("forwarded message without body")];
    };
    let direction = if outgoing {
        Direction::Out
    } else {
        Direction::In
    };
    let mut msg = base_message(
        ctx,
        &mut inner,
        direction,
        peer_jid.to_bare(),
        body,
        f.delay,
    );
    if let Some(id) = MessageId::maybe(archive_id) {
        msg.stanza_id = Some(id);
    }
    msg.carbon = carbon;
    msg.extras = extras;
    vec![Inbound::Message {
        message: msg,
        receipt_to: None,
        query,
    }]
}

fn chat_state(s: &chatstates::ChatState) -> ChatState {
    match s {
        chatstates::ChatState::Active => ChatState::Active,
        chatstates::ChatState::Composing => ChatState::Composing,
        chatstates::ChatState::Paused => ChatState::Paused,
        chatstates::ChatState::Inactive => ChatState::Inactive,
        chatstates::ChatState::Gone => ChatState::Gone,
    }
}

fn error_text(e: &stanza_error::StanzaError) -> String {
    let text: String = e
        .texts
        .values()
        .next()
        .map(|t| t.chars().take(200).collect())
        .unwrap_or_default();
    let cond = condition_name(&format!("{:?}", e.defined_condition));
    if text.is_empty() {
        cond
    } else {
        format!("{cond}: {text}")
    }
}

/// An error condition's RFC 6120 name from its Debug name (`ItemNotFound` is
/// `item-not-found`; `Gone { new_address: None }` is `gone`).
fn condition_name(debug: &str) -> String {
    let name = debug.split([' ', '{', '(']).next().unwrap_or(debug);
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn presence_in(ctx: &Context, mut p: Presence) -> Inbound {
    let Some(from) = p.from.clone() else {
        return Inbound::Dropped("presence without sender");
    };
    let status = p.statuses.values().next().cloned().unwrap_or_default();
    match p.type_ {
        presence::Type::None | presence::Type::Unavailable => {
            let show = if p.type_ == presence::Type::Unavailable {
                Show::Unavailable
            } else {
                match p.show {
                    None => Show::Available,
                    Some(presence::Show::Away) => Show::Away,
                    Some(presence::Show::Chat) => Show::Chat,
                    Some(presence::Show::Dnd) => Show::Dnd,
                    Some(presence::Show::Xa) => Show::Xa,
                }
            };
            let idle_since = take_payload::<idle::Idle>(&mut p.payloads)
                .and_then(|i| sane(millis(&i.since), ctx.now));
            Inbound::Presence {
                from,
                show,
                status,
                priority: p.priority.0,
                idle_since,
            }
        }
        presence::Type::Subscribe => {
            let nick = take_payload::<Nick>(&mut p.payloads)
                .map(|n| n.0)
                .filter(|n| !n.is_empty());
            Inbound::SubscribeRequest {
                from: from.to_bare(),
                nick,
                message: Some(status).filter(|s| !s.is_empty()),
            }
        }
        // The server turns subscribed/unsubscribe/unsubscribed into roster pushes, which are
        // the truth; the presences themselves change nothing here (RFC 6121 §3.1.6).
        _ => Inbound::Dropped("subscription state presence: the roster push carries it"),
    }
}

fn take_payload<T: TryFrom<Element>>(payloads: &mut Vec<Element>) -> Option<T> {
    let pos = payloads
        .iter()
        .position(|e| T::try_from(e.clone()).is_ok())?;
    T::try_from(payloads.remove(pos)).ok()
}

mod iq;
mod lifetime;
pub mod modern;
mod outbound;
use iq::iq_in;
pub use iq::{
    NS_LAST, disco_info_result, own_caps, roster_item, service_unavailable, version_result,
};
pub use lifetime::on_reset;
pub use outbound::*;

#[cfg(test)]
mod tests;
