//! IQs from others: roster pushes (from the account only), requests we serve (ping, disco,
//! version, last activity) and the error for the rest, and answers to ours.

use tokio_xmpp::jid::Jid;
use tokio_xmpp::minidom::Element;
use xmpp_parsers::{caps, disco, iq::Iq, ns, roster, stanza_error, version};

use super::{CAPS_NODE, CLIENT_NAME, Context, Inbound, error_text, guard};
use crate::model::address::canonical_bare;
use crate::model::{RosterItem, Subscription};

pub(super) fn iq_in(ctx: &Context, iq: Iq) -> Inbound {
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
                return Inbound::DiscoInfoQuery { from, id, node };
            }
            if payload.is("query", ns::VERSION) {
                return Inbound::VersionQuery { from, id };
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
        jid: canonical_bare(&item.jid),
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
    Inbound::Reply(service_unavailable(from, id))
}

/// `service-unavailable` for request `id`: what we do not serve, or not to whoever asks (the
/// same answer, so a stranger cannot tell which).
pub fn service_unavailable(to: Option<Jid>, id: String) -> tokio_xmpp::Stanza {
    let err = stanza_error::StanzaError::new(
        stanza_error::ErrorType::Cancel,
        stanza_error::DefinedCondition::ServiceUnavailable,
        "en",
        "",
    );
    let mut iq = Iq::from_error(id, err);
    if let Some(to) = to {
        iq = iq.with_to(to);
    }
    iq.into()
}

/// The software version (XEP-0092): name and exact version, no operating system.
pub fn version_result(to: Jid, id: String) -> tokio_xmpp::Stanza {
    let v = version::VersionResult {
        name: CLIENT_NAME.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        os: None,
    };
    Iq::from_result(id, Some(v)).with_to(to).into()
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

/// The answer to a disco#info query: our identity and features, for `node` if it asked.
pub fn disco_info_result(to: Jid, id: String, node: Option<String>) -> tokio_xmpp::Stanza {
    let mut info = own_disco();
    info.node = node;
    Iq::from_result(id, Some(info)).with_to(to).into()
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
