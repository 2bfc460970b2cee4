//! The stanzas the session sends (pure builders), and readers of the answers to its requests.

use std::str::FromStr;

use chrono::{DateTime as ChronoDateTime, Utc};
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::minidom::Element;
use xmpp_parsers::{
    carbons, chatstates, data_forms, disco, idle,
    iq::Iq,
    mam,
    message::{Id, Lang, Message},
    ns,
    presence::{self, Presence},
    receipts, roster, rsm, stanza_error, stanza_id,
};

use super::{NS_LAST, own_caps, roster_item};
use crate::model::{ChatMessage, ChatState, Millis, ReplyTo, RosterItem, Show};

/// A chat message with receipt request, active chat state and origin-id.
pub fn chat_message(msg: &ChatMessage) -> Stanza {
    let to = Jid::from(msg.peer.clone());
    let id = msg.remote_id.as_deref().unwrap_or_default().to_owned();
    // A reply quotes what it answers for clients that do not know replies, and says where the
    // quote ends for those that do (XEP-0461 with XEP-0428, in characters).
    let quote = msg
        .extras
        .reply_to
        .as_ref()
        .map(ReplyTo::fallback)
        .unwrap_or_default();
    let body = format!("{quote}{}", msg.body);
    let mut m = Message::chat(Some(to)).with_body(Lang::default(), body);
    m.id = Some(Id(id.clone()));
    let mut m = m
        .with_payload(receipts::Request)
        .with_payload(chatstates::ChatState::Active)
        .with_payload(stanza_id::OriginId {
            id: msg.origin_id.as_deref().map_or(id, str::to_owned),
        });
    // A reply names its message without the fallback quote: the text is the person's own.
    if let Some(reply) = &msg.extras.reply_to {
        let mut attrs = vec![("id", reply.id.as_str())];
        if let Some(author) = &reply.author {
            attrs.push(("to", author.as_str()));
        }
        m.payloads.push(super::modern::element(
            "reply",
            super::modern::NS_REPLY,
            &attrs,
        ));
        if !quote.is_empty() {
            m.payloads
                .push(super::modern::reply_fallback(quote.chars().count()));
        }
    }
    m.into()
}

/// A receipt for message `id`, to the full JID that asked.
pub fn receipt(to: Jid, id: &str) -> Stanza {
    let mut m = Message::chat(Some(to)).with_payload(receipts::Received { id: id.to_owned() });
    m.id = Some(Id(crate::session::new_id().into()));
    m.into()
}

/// A standalone chat state notification.
pub fn chat_state_message(to: &BareJid, state: ChatState) -> Stanza {
    let s = match state {
        ChatState::Active => chatstates::ChatState::Active,
        ChatState::Composing => chatstates::ChatState::Composing,
        ChatState::Paused => chatstates::ChatState::Paused,
        ChatState::Inactive => chatstates::ChatState::Inactive,
        ChatState::Gone => chatstates::ChatState::Gone,
    };
    Message::chat(Some(Jid::from(to.clone())))
        .with_payload(s)
        .into()
}

/// Own presence broadcast with show, status, caps and (when idle) XEP-0319.
pub fn own_presence(show: Show, status: &str, idle_since: Option<Millis>) -> Stanza {
    presence_of(show, status, idle_since, true)
}

/// The first presence of a login: the same without entity capabilities, followed at once by
/// [`own_presence`]. A server with PEP asks every contact's PEP service for the features of
/// a capabilities hash it has not seen before it has finished delivering the presence that
/// carries it: with 2,000 contacts on Prosody, two queries per contact went out first (README,
/// Performance). Without capabilities the first presence is
/// delivered at once; the second one, a moment later, brings the capabilities and the queries.
pub fn initial_presence(show: Show, status: &str) -> Stanza {
    presence_of(show, status, None, false)
}

fn presence_of(show: Show, status: &str, idle_since: Option<Millis>, caps: bool) -> Stanza {
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
        if let Some(c) = own_caps().filter(|_| caps) {
            p.payloads.push(c.into());
        }
        if let Some(since) = idle_since.and_then(ChronoDateTime::<Utc>::from_timestamp_millis) {
            let since = xmpp_parsers::date::DateTime(since.fixed_offset());
            p.payloads.push(idle::Idle { since }.into());
        }
    }
    p.into()
}

/// subscribe / subscribed / unsubscribe / unsubscribed to a contact.
pub fn subscription(to: &BareJid, kind: presence::Type, message: Option<&str>) -> Stanza {
    let mut p = Presence::new(kind).with_to(Jid::from(to.clone()));
    if let Some(text) = message.filter(|t| !t.is_empty()) {
        p.statuses.insert(Lang::default(), text.to_owned());
    }
    p.into()
}

/// Roster get, with the stored version (XEP-0237) when the server supports versioning.
pub fn roster_get(id: &str, ver: Option<String>) -> Stanza {
    Iq::from_get(id, roster::Roster { ver, items: vec![] }).into()
}

/// Roster set for one item, or its removal.
pub fn roster_set(
    id: &str,
    jid: &BareJid,
    name: Option<&str>,
    groups: &[String],
    remove: bool,
) -> Stanza {
    let item = roster::Item {
        jid: jid.clone(),
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
    Iq::from_set(
        id,
        roster::Roster {
            ver: None,
            items: vec![item],
        },
    )
    .into()
}

/// Blocks an address (XEP-0191).
pub fn block(id: &str, jid: &BareJid) -> Stanza {
    let items = vec![Jid::from(jid.clone())];
    Iq::from_set(id, xmpp_parsers::blocking::Block { items }).into()
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

/// Last-activity query (XEP-0012) to a contact's bare address.
pub fn last_activity_query(id: &str, to: &BareJid) -> Stanza {
    let payload = Element::builder("query", NS_LAST).build();
    Iq::Get {
        from: None,
        to: Some(Jid::from(to.clone())),
        id: id.to_owned(),
        payload,
    }
    .into()
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
    before_id: Option<&str>,
    start: Option<Millis>,
    max: usize,
) -> Stanza {
    let fields = start
        .and_then(|t| time_field("start", t))
        .into_iter()
        .collect();
    let page = rsm::SetQuery {
        max: Some(max),
        after: after_id.map(str::to_owned),
        before: before_id.map(str::to_owned),
        index: None,
    };
    archive_query(id, queryid, fields, page)
}

/// Archive query (XEP-0313) for the last page of `max` messages with `with` before the archive
/// id `before_id` or, without one, sent before `end`: the page before the oldest one stored,
/// when the person scrolls past it.
pub fn mam_query_before(
    id: &str,
    queryid: &str,
    with: &BareJid,
    before_id: Option<&str>,
    end: Millis,
    max: usize,
) -> Stanza {
    let mut fields = vec![data_forms::Field::text_single("with", with.as_str())];
    if before_id.is_none() {
        // The archive's `end` includes its instant: one millisecond before the oldest stored.
        fields.extend(time_field("end", end - 1));
    }
    let page = rsm::SetQuery {
        max: Some(max),
        after: None,
        // Empty: the last page, the newest of what matches.
        before: Some(before_id.unwrap_or_default().to_owned()),
        index: None,
    };
    archive_query(id, queryid, fields, page)
}

/// A form field of an archive query holding a time (XEP-0082).
fn time_field(var: &str, at: Millis) -> Option<data_forms::Field> {
    let at = ChronoDateTime::<Utc>::from_timestamp_millis(at)?;
    Some(data_forms::Field::text_single(
        var,
        &at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    ))
}

/// The archive query IQ with the form `fields` and the result page `page`.
fn archive_query(
    id: &str,
    queryid: &str,
    fields: Vec<data_forms::Field>,
    page: rsm::SetQuery,
) -> Stanza {
    let form = data_forms::DataForm::new(data_forms::DataFormType::Submit, ns::MAM, fields);
    let query = mam::Query {
        queryid: Some(mam::QueryId(queryid.to_owned())),
        node: None,
        form: Some(form),
        set: Some(page),
        flip_page: false,
    };
    Iq::from_set(id, query).into()
}

/// Reads an archive page's end marker.
pub fn mam_fin(payload: Option<Element>) -> Option<crate::session::sync::PageEnd> {
    let fin = mam::Fin::try_from(payload?).ok()?;
    Some(crate::session::sync::PageEnd {
        complete: fin.complete,
        first: fin.set.first.map(|f| f.item),
        last: fin.set.last,
    })
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
