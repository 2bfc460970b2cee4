//! Pure translation between stanzas and what the session does with them: no I/O, no await.
//! Inbound: one function per stanza kind returning what happened ([`Inbound`]); the worker
//! persists and announces. Outbound: builders for every stanza the session sends.

use std::str::FromStr;

use chrono::{DateTime as ChronoDateTime, Utc};
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::minidom::Element;
use xmpp_parsers::{
    caps, carbons, chatstates, data_forms,
    delay::Delay,
    disco,
    forwarding::Forwarded,
    idle,
    iq::Iq,
    mam,
    message::{Id, Lang, Message, MessageType},
    nick::Nick,
    ns,
    presence::{self, Presence},
    receipts, roster, rsm, stanza_error, stanza_id, version,
};

use super::guard;
use crate::model::address::{canonical, canonical_bare};
use crate::model::{
    ChatMessage, ChatState, Delivery, Direction, Millis, RosterItem, Show, Subscription,
};

/// Longest body kept, in bytes; longer ones are cut (and marked) rather than refused, so
/// nothing a contact wrote is silently lost.
pub const MAX_BODY: usize = 64 * 1024;

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
        /// Bare JID of the peer.
        from: String,
        /// Id of our message.
        id: String,
    },
    /// A chat state notification.
    ChatState {
        /// Bare JID.
        from: String,
        /// State.
        state: ChatState,
    },
    /// A message of ours bounced.
    MessageError {
        /// Id of our message.
        id: String,
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
        /// Bare JID.
        from: String,
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
    /// The end of an archive page (sent inside the IQ result; kept for completeness).
    LastActivityQuery {
        /// Who asks.
        from: Jid,
        /// Id to answer.
        id: String,
    },
    /// Send this stanza back (ping, disco, version, errors for unknown requests).
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

fn bare_string(j: &Jid) -> String {
    j.to_bare().to_string()
}

fn body_of(m: &Message) -> Option<String> {
    let (_, body) = m.get_best_body(vec![""])?;
    if body.len() <= MAX_BODY {
        return Some(body.clone());
    }
    let mut cut = MAX_BODY;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    Some(format!("{} […]", &body[..cut]))
}

fn millis(d: &xmpp_parsers::date::DateTime) -> Millis {
    d.0.with_timezone(&Utc).timestamp_millis()
}

/// A delay stamp before 1970 or more than a day in the future is nonsense: use now instead.
fn sane_stamp(stamp: Millis, now: Millis) -> Millis {
    sane(stamp, now).unwrap_or(now)
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
        let id = m.id.as_ref().map(|i| i.0.clone()).unwrap_or_default();
        let reason = m
            .extract_payload::<stanza_error::StanzaError>()
            .ok()
            .flatten()
            .map(|e| error_text(&e))
            .unwrap_or_else(|| crate::fl!("session-undeliverable"));
        return if id.is_empty() {
            vec![Inbound::Dropped("error without id")]
        } else {
            vec![Inbound::MessageError {
                id,
                from: m.from,
                reason,
            }]
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
    let peer = bare_string(&from);
    if let Ok(Some(r)) = m.extract_payload::<receipts::Received>() {
        out.push(Inbound::Receipt {
            from: peer.clone(),
            id: r.id,
        });
    }
    if let Ok(Some(state)) = m.extract_payload::<chatstates::ChatState>() {
        out.push(Inbound::ChatState {
            from: peer.clone(),
            state: chat_state(&state),
        });
    }
    let Some(body) = body_of(&m) else {
        if out.is_empty() {
            out.push(Inbound::Dropped("message without body"));
        }
        return out;
    };
    let wants_receipt = matches!(m.extract_payload::<receipts::Request>(), Ok(Some(_)));
    let mut msg = base_message(ctx, &mut m, Direction::In, peer, body, None);
    msg.delivery = Delivery::Received;
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
    peer: String,
    body: String,
    outer_delay: Option<Delay>,
) -> ChatMessage {
    let delay = m.extract_payload::<Delay>().ok().flatten().or(outer_delay);
    let mut stanza_id = None;
    // A message may carry several stanza-ids; only our own archive's is trusted.
    while let Ok(Some(sid)) = m.extract_payload::<stanza_id::StanzaId>() {
        if guard::stanza_id_trusted(&ctx.me, &sid.by) {
            stanza_id = Some(sid.id);
        }
    }
    let origin_id = m
        .extract_payload::<stanza_id::OriginId>()
        .ok()
        .flatten()
        .map(|o| o.id);
    let sent_at = delay
        .as_ref()
        .map_or(ctx.now, |d| sane_stamp(millis(&d.stamp), ctx.now));
    ChatMessage {
        local_id: 0,
        account: ctx.me.to_string(),
        peer,
        direction,
        body,
        sent_at,
        received_at: ctx.now,
        remote_id: m.id.as_ref().map(|i| i.0.clone()).filter(|s| !s.is_empty()),
        origin_id,
        stanza_id,
        delivery: if direction == Direction::In {
            Delivery::Received
        } else {
            Delivery::Acked
        },
        delayed: delay.is_some(),
        carbon: false,
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
    let Some(body) = body_of(&inner) else {
        if carbon
            && !outgoing
            && let Ok(Some(state)) = inner.extract_payload::<chatstates::ChatState>()
        {
            let state = chat_state(&state);
            return vec![Inbound::ChatState {
                from: bare_string(&peer_jid),
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
        bare_string(&peer_jid),
        body,
        f.delay,
    );
    if archive_id.is_some() {
        msg.stanza_id = archive_id;
    }
    msg.carbon = carbon;
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
                from: bare_string(&from),
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

fn iq_in(ctx: &Context, iq: Iq) -> Inbound {
    match iq {
        Iq::Result {
            from, id, payload, ..
        } => Inbound::IqResponse {
            id,
            from,
            payload,
            error: None,
        },
        Iq::Error {
            from, id, error, ..
        } => Inbound::IqResponse {
            id,
            from,
            payload: None,
            error: Some(error_text(&error)),
        },
        Iq::Set {
            from, id, payload, ..
        } => {
            if payload.is("query", ns::ROSTER) {
                if !guard::roster_push_allowed(&ctx.me, from.as_ref()) {
                    return Inbound::Dropped("roster push not from the account");
                }
                return roster_push(payload, id, from);
            }
            unsupported(from, id)
        }
        Iq::Get {
            from, id, payload, ..
        } => {
            let Some(from) = from else {
                return unsupported(None, id);
            };
            if payload.is("ping", ns::PING) {
                return Inbound::Reply(Iq::empty_result(from, id).into());
            }
            if payload.is("query", ns::DISCO_INFO) {
                let node = payload.attr("node").map(str::to_owned);
                let mut info = own_disco();
                info.node = node;
                return Inbound::Reply(Iq::from_result(id, Some(info)).with_to(from).into());
            }
            if payload.is("query", ns::VERSION) {
                let v = version::VersionResult {
                    name: CLIENT_NAME.to_owned(),
                    version: env!("CARGO_PKG_VERSION").to_owned(),
                    os: None,
                };
                return Inbound::Reply(Iq::from_result(id, Some(v)).with_to(from).into());
            }
            if payload.is("query", NS_LAST) {
                return Inbound::LastActivityQuery { from, id };
            }
            unsupported(Some(from), id)
        }
    }
}

fn roster_push(payload: Element, iq_id: String, from: Option<Jid>) -> Inbound {
    let Ok(query) = roster::Roster::try_from(payload) else {
        return Inbound::Dropped("malformed roster push");
    };
    // RFC 6121 §2.1.6: a push carries exactly one item.
    let mut items = query.items.into_iter();
    let (Some(item), None) = (items.next(), items.next()) else {
        return Inbound::Dropped("roster push without exactly one item");
    };
    let removed = item.subscription == roster::Subscription::Remove;
    Inbound::RosterPush {
        ver: query.ver,
        item: roster_item(item),
        removed,
        iq_id,
        from,
    }
}

/// Converts a wire roster item.
pub fn roster_item(item: roster::Item) -> RosterItem {
    let mut groups: Vec<String> = item.groups.into_iter().map(|g| g.0).collect();
    groups.sort();
    groups.dedup();
    RosterItem {
        jid: canonical_bare(&item.jid).to_string(),
        name: item.name.filter(|n| !n.is_empty()),
        groups,
        subscription: match item.subscription {
            roster::Subscription::To => Subscription::To,
            roster::Subscription::From => Subscription::From,
            roster::Subscription::Both => Subscription::Both,
            roster::Subscription::None | roster::Subscription::Remove => Subscription::None,
        },
        ask: item.ask == roster::Ask::Subscribe,
        approved: item.approved.unwrap_or(false),
    }
}

/// The answer to requests we do not serve (RFC 6120 §8.4).
fn unsupported(from: Option<Jid>, id: String) -> Inbound {
    let err = stanza_error::StanzaError::new(
        stanza_error::ErrorType::Cancel,
        stanza_error::DefinedCondition::ServiceUnavailable,
        "en",
        "",
    );
    let mut iq = Iq::from_error(id, err);
    if let Some(f) = from {
        iq = iq.with_to(f);
    }
    Inbound::Reply(iq.into())
}

/// jabber:iq:last (XEP-0012).
pub const NS_LAST: &str = "jabber:iq:last";

/// Our disco#info (XEP-0030), the basis of entity capabilities.
pub fn own_disco() -> disco::DiscoInfoResult {
    let features = [
        ns::DISCO_INFO,
        ns::CAPS,
        ns::CHATSTATES,
        ns::RECEIPTS,
        ns::PING,
        ns::VERSION,
        NS_LAST,
        ns::CARBONS,
        ns::IDLE,
        ns::SID,
        ns::DELAY,
    ];
    disco::DiscoInfoResult {
        node: None,
        identities: vec![disco::Identity::new("client", "pc", "en", CLIENT_NAME)],
        features: features.iter().map(|f| (*f).to_owned()).collect(),
        extensions: vec![],
    }
}

/// Entity capabilities (XEP-0115) for our presence.
pub fn own_caps() -> Option<caps::Caps> {
    let hash = caps::hash_caps(
        &caps::compute_disco(&own_disco()),
        xmpp_parsers::hashes::Algo::Sha_1,
    )
    .ok()?;
    Some(caps::Caps::new(CAPS_NODE, hash))
}

// ---- Outbound builders ----

fn jid(s: &str) -> Option<Jid> {
    Jid::from_str(s).ok()
}

/// A chat message with receipt request, active chat state and origin-id. `None` when the
/// recipient address does not parse.
pub fn chat_message(msg: &ChatMessage) -> Option<Stanza> {
    let to = jid(&msg.peer)?;
    let id = msg.remote_id.clone().unwrap_or_default();
    let mut m = Message::chat(Some(to)).with_body(Lang::default(), msg.body.clone());
    m.id = Some(Id(id.clone()));
    let m = m
        .with_payload(receipts::Request)
        .with_payload(chatstates::ChatState::Active)
        .with_payload(stanza_id::OriginId {
            id: msg.origin_id.clone().unwrap_or(id),
        });
    Some(m.into())
}

/// A receipt for message `id`, to the full JID that asked.
pub fn receipt(to: Jid, id: &str) -> Stanza {
    let mut m = Message::chat(Some(to)).with_payload(receipts::Received { id: id.to_owned() });
    m.id = Some(Id(super::new_id()));
    m.into()
}

/// A standalone chat state notification.
pub fn chat_state_message(to: &str, state: ChatState) -> Option<Stanza> {
    let s = match state {
        ChatState::Active => chatstates::ChatState::Active,
        ChatState::Composing => chatstates::ChatState::Composing,
        ChatState::Paused => chatstates::ChatState::Paused,
        ChatState::Inactive => chatstates::ChatState::Inactive,
        ChatState::Gone => chatstates::ChatState::Gone,
    };
    Some(Message::chat(Some(jid(to)?)).with_payload(s).into())
}

/// Own presence broadcast with show, status, caps and (when idle) XEP-0319.
pub fn own_presence(show: Show, status: &str, idle_since: Option<Millis>) -> Stanza {
    let mut p = if show == Show::Unavailable {
        Presence::new(presence::Type::Unavailable)
    } else {
        Presence::available()
    };
    p.show = match show {
        Show::Away => Some(presence::Show::Away),
        Show::Chat => Some(presence::Show::Chat),
        Show::Dnd => Some(presence::Show::Dnd),
        Show::Xa => Some(presence::Show::Xa),
        Show::Available | Show::Unavailable => None,
    };
    if !status.is_empty() {
        p.statuses.insert(Lang::default(), status.to_owned());
    }
    if show != Show::Unavailable {
        if let Some(c) = own_caps() {
            p.payloads.push(c.into());
        }
        if let Some(since) = idle_since.and_then(ChronoDateTime::<Utc>::from_timestamp_millis) {
            let since = xmpp_parsers::date::DateTime(since.fixed_offset());
            p.payloads.push(idle::Idle { since }.into());
        }
    }
    p.into()
}

/// subscribe / subscribed / unsubscribe / unsubscribed to a bare JID.
pub fn subscription(to: &str, kind: presence::Type, message: Option<&str>) -> Option<Stanza> {
    let mut p = Presence::new(kind).with_to(jid(to)?);
    if let Some(text) = message.filter(|t| !t.is_empty()) {
        p.statuses.insert(Lang::default(), text.to_owned());
    }
    Some(p.into())
}

/// Roster get, with the stored version (XEP-0237) when the server supports versioning.
pub fn roster_get(id: &str, ver: Option<String>) -> Stanza {
    Iq::from_get(id, roster::Roster { ver, items: vec![] }).into()
}

/// Roster set for one item, or its removal.
pub fn roster_set(
    id: &str,
    jid_text: &str,
    name: Option<&str>,
    groups: &[String],
    remove: bool,
) -> Option<Stanza> {
    let bare = BareJid::from_str(jid_text).ok()?;
    let item = roster::Item {
        jid: bare,
        name: if remove {
            None
        } else {
            name.map(str::to_owned)
        },
        subscription: if remove {
            roster::Subscription::Remove
        } else {
            roster::Subscription::None
        },
        ask: roster::Ask::None,
        groups: if remove {
            vec![]
        } else {
            groups.iter().map(|g| roster::Group(g.clone())).collect()
        },
        approved: None,
    };
    Some(
        Iq::from_set(
            id,
            roster::Roster {
                ver: None,
                items: vec![item],
            },
        )
        .into(),
    )
}

/// Blocks a JID (XEP-0191).
pub fn block(id: &str, jid_text: &str) -> Option<Stanza> {
    let jid = Jid::from_str(jid_text).ok()?;
    Some(Iq::from_set(id, xmpp_parsers::blocking::Block { items: vec![jid] }).into())
}

/// Enables carbons (XEP-0280).
pub fn carbons_enable(id: &str) -> Stanza {
    Iq::from_set(id, carbons::Enable).into()
}

/// disco#info to the server.
pub fn disco_info(id: &str, to: Jid) -> Stanza {
    Iq::from_get(id, disco::DiscoInfoQuery { node: None })
        .with_to(to)
        .into()
}

/// Last-activity query (XEP-0012) to a contact's bare JID.
pub fn last_activity_query(id: &str, to: &str) -> Option<Stanza> {
    let payload = Element::builder("query", NS_LAST).build();
    Some(
        Iq::Get {
            from: None,
            to: Some(jid(to)?),
            id: id.to_owned(),
            payload,
        }
        .into(),
    )
}

/// Answer to a last-activity query: `seconds` since the person was last active.
pub fn last_activity_result(to: Jid, id: String, seconds: u64) -> Stanza {
    let payload = Element::from_str(&format!("<query xmlns='{NS_LAST}' seconds='{seconds}'/>"))
        .unwrap_or_else(|_| Element::builder("query", NS_LAST).build());
    Iq::Result {
        from: None,
        to: Some(to),
        id,
        payload: Some(payload),
    }
    .into()
}

/// A forbidden error for requests we refuse to answer (e.g. last activity from strangers).
pub fn forbidden(to: Jid, id: String) -> Stanza {
    let err = stanza_error::StanzaError::new(
        stanza_error::ErrorType::Auth,
        stanza_error::DefinedCondition::Forbidden,
        "en",
        "",
    );
    Iq::from_error(id, err).with_to(to).into()
}

/// Archive query (XEP-0313) over the account's own archive: after a stored stanza-id, or from
/// a start time, one page of `max`.
pub fn mam_query(
    id: &str,
    queryid: &str,
    after_id: Option<&str>,
    start: Option<Millis>,
    max: usize,
) -> Stanza {
    let mut fields = vec![];
    if let Some(start) = start.and_then(ChronoDateTime::<Utc>::from_timestamp_millis) {
        fields.push(data_forms::Field::text_single(
            "start",
            &start.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ));
    }
    let form = data_forms::DataForm::new(data_forms::DataFormType::Submit, ns::MAM, fields);
    let query = mam::Query {
        queryid: Some(mam::QueryId(queryid.to_owned())),
        node: None,
        form: Some(form),
        set: Some(rsm::SetQuery {
            max: Some(max),
            after: after_id.map(str::to_owned),
            before: None,
            index: None,
        }),
        flip_page: false,
    };
    Iq::from_set(id, query).into()
}

/// Reads an archive page's end marker: (complete, last id).
pub fn mam_fin(payload: Option<Element>) -> Option<(bool, Option<String>)> {
    let fin = mam::Fin::try_from(payload?).ok()?;
    Some((fin.complete, fin.set.last))
}

/// Reads a roster result: `None` payload means "your version is current" (XEP-0237).
pub fn roster_result(payload: Option<Element>) -> Option<(Option<String>, Vec<RosterItem>)> {
    let q = roster::Roster::try_from(payload?).ok()?;
    Some((
        q.ver,
        q.items
            .into_iter()
            .filter(|i| i.subscription != roster::Subscription::Remove)
            .map(roster_item)
            .collect(),
    ))
}

/// Reads a disco#info result's features.
pub fn disco_features(payload: Option<Element>) -> Vec<String> {
    payload
        .and_then(|p| disco::DiscoInfoResult::try_from(p).ok())
        .map(|d| d.features.into_iter().collect())
        .unwrap_or_default()
}

/// Reads a last-activity result: seconds since last seen (a century at most: more is
/// nonsense), and the status left.
pub fn last_activity(payload: Option<Element>) -> Option<(u64, Option<String>)> {
    const CENTURY: u64 = 100 * 365 * 86_400;
    let p = payload?;
    if !p.is("query", NS_LAST) {
        return None;
    }
    let secs = p.attr("seconds")?.parse().ok().filter(|&s| s <= CENTURY)?;
    let text = p.text();
    Some((secs, Some(text).filter(|t| !t.is_empty())))
}

/// An empty result acknowledging a push.
pub fn ack(to: Option<Jid>, id: String) -> Stanza {
    Iq::Result {
        from: None,
        to,
        id,
        payload: None,
    }
    .into()
}

#[cfg(test)]
mod tests;
