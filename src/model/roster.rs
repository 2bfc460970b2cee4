//! Roster items, subscription states and pending subscription requests, with the RFC 6121
//! subscription state machine as one table.

use serde::{Deserialize, Serialize};

use super::BareJid;

use super::Millis;

/// Who sees whose presence (RFC 6121 §2.1.2.5), from the account's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subscription {
    /// Neither sees the other.
    #[default]
    None,
    /// The account sees the contact's presence; the contact does not see the account's.
    To,
    /// The contact sees the account's presence; the account does not see the contact's.
    From,
    /// Both see each other.
    Both,
}

impl Subscription {
    /// The wire and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Subscription::None => "none",
            Subscription::To => "to",
            Subscription::From => "from",
            Subscription::Both => "both",
        }
    }

    /// Parses the wire name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "none" => Subscription::None,
            "to" => Subscription::To,
            "from" => Subscription::From,
            "both" => Subscription::Both,
            _ => return None,
        })
    }

    /// Whether the account sees the contact's presence.
    pub fn sees_them(self) -> bool {
        matches!(self, Subscription::To | Subscription::Both)
    }

    /// Whether the contact sees the account's presence.
    pub fn they_see_me(self) -> bool {
        matches!(self, Subscription::From | Subscription::Both)
    }

    fn from_parts(sees_them: bool, they_see_me: bool) -> Self {
        match (sees_them, they_see_me) {
            (false, false) => Subscription::None,
            (true, false) => Subscription::To,
            (false, true) => Subscription::From,
            (true, true) => Subscription::Both,
        }
    }
}

/// One roster entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterItem {
    /// The contact's address.
    pub jid: BareJid,
    /// The name the account gave the contact, if any.
    pub name: Option<String>,
    /// Roster groups, sorted, without duplicates.
    pub groups: Vec<String>,
    /// Subscription state.
    pub subscription: Subscription,
    /// `ask="subscribe"`: the account asked to see the contact and waits for an answer.
    pub ask: bool,
    /// The account pre-approved the contact's subscription (RFC 6121 §3.4).
    pub approved: bool,
}

impl RosterItem {
    /// A contact with no name, no groups and no subscription either way.
    pub fn new(jid: BareJid) -> RosterItem {
        RosterItem {
            jid,
            name: None,
            groups: Vec::new(),
            subscription: Subscription::None,
            ask: false,
            approved: false,
        }
    }
}

/// Something that changes a subscription (RFC 6121 §3), seen from the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubEvent {
    /// The account asks to see the contact (`subscribe` sent).
    OutSubscribe,
    /// The account approves, or pre-approves, the contact (`subscribed` sent).
    OutSubscribed,
    /// The account stops seeing the contact (`unsubscribe` sent).
    OutUnsubscribe,
    /// The account denies or revokes the contact (`unsubscribed` sent).
    OutUnsubscribed,
    /// The contact asks to see the account (`subscribe` received).
    InSubscribe,
    /// The contact approved the account's request (`subscribed` received).
    InSubscribed,
    /// The contact stops seeing the account (`unsubscribe` received).
    InUnsubscribe,
    /// The contact denied or revoked the account's subscription (`unsubscribed` received).
    InUnsubscribed,
}

/// The state the machine works on: subscription, pending outbound request, pre-approval, and
/// whether an inbound request waits for the person's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubState {
    /// none / to / from / both.
    pub subscription: Subscription,
    /// An outbound request is pending.
    pub ask: bool,
    /// The contact is pre-approved.
    pub approved: bool,
    /// An inbound request waits for the person.
    pub pending_in: bool,
}

/// The RFC 6121 subscription state machine. An unsolicited `subscribed` changes nothing
/// (§3.1.6), a `subscribe` from a pre-approved contact is approved by the server (§3.4), and a
/// `subscribe` from anyone else only ever becomes a pending request.
pub fn transition(s: SubState, event: SubEvent) -> SubState {
    let (mut to, mut from) = (s.subscription.sees_them(), s.subscription.they_see_me());
    let (mut ask, mut approved, mut pending_in) = (s.ask, s.approved, s.pending_in);
    match event {
        SubEvent::OutSubscribe => ask = !to,
        SubEvent::OutSubscribed => {
            if pending_in {
                from = true;
                pending_in = false;
            } else if !from {
                approved = true;
            }
        }
        SubEvent::OutUnsubscribe => {
            to = false;
            ask = false;
        }
        SubEvent::OutUnsubscribed => {
            from = false;
            approved = false;
            pending_in = false;
        }
        SubEvent::InSubscribe => {
            if approved && !from {
                from = true;
                approved = false;
            } else if !from {
                pending_in = true;
            }
        }
        SubEvent::InSubscribed => {
            if ask {
                to = true;
                ask = false;
            }
        }
        SubEvent::InUnsubscribe => {
            from = false;
            pending_in = false;
        }
        SubEvent::InUnsubscribed => {
            to = false;
            ask = false;
        }
    }
    SubState {
        subscription: Subscription::from_parts(to, from),
        ask,
        approved,
        pending_in,
    }
}

/// Where an inbound subscription request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestState {
    /// Waiting for the person.
    #[default]
    Pending,
    /// Approved.
    Accepted,
    /// Denied (or blocked).
    Denied,
}

impl RequestState {
    /// The store and JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Accepted => "accepted",
            RequestState::Denied => "denied",
        }
    }

    /// Parses the store name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => RequestState::Pending,
            "accepted" => RequestState::Accepted,
            "denied" => RequestState::Denied,
            _ => return None,
        })
    }
}

/// An inbound subscription request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRequest {
    /// The requester's address.
    pub from: BareJid,
    /// The nick the requester claims (XEP-0172); not verified.
    pub nick: Option<String>,
    /// The message sent with the request.
    pub message: Option<String>,
    /// When it was received.
    pub received_at: Millis,
    /// Pending, accepted or denied.
    pub state: RequestState,
}

#[cfg(test)]
mod tests {
    use super::SubEvent::*;
    use super::Subscription::{Both, From, None as No, To};
    use super::*;

    fn st(subscription: Subscription, ask: bool, approved: bool, pending_in: bool) -> SubState {
        SubState {
            subscription,
            ask,
            approved,
            pending_in,
        }
    }

    #[test]
    fn rfc6121_subscription_table() {
        let f = false;
        let t = true;
        // (before, event, after)
        let cases = [
            // Outbound request and its answers.
            (st(No, f, f, f), OutSubscribe, st(No, t, f, f)),
            (st(From, f, f, f), OutSubscribe, st(From, t, f, f)),
            (st(To, f, f, f), OutSubscribe, st(To, f, f, f)),
            (st(No, t, f, f), InSubscribed, st(To, f, f, f)),
            (st(From, t, f, f), InSubscribed, st(Both, f, f, f)),
            (st(No, t, f, f), InUnsubscribed, st(No, f, f, f)),
            // An unsolicited `subscribed` never adds a subscription (§3.1.6).
            (st(No, f, f, f), InSubscribed, st(No, f, f, f)),
            (st(From, f, f, f), InSubscribed, st(From, f, f, f)),
            // Inbound request: pending until answered; never auto-approved.
            (st(No, f, f, f), InSubscribe, st(No, f, f, t)),
            (st(To, f, f, f), InSubscribe, st(To, f, f, t)),
            (st(From, f, f, f), InSubscribe, st(From, f, f, f)),
            (st(No, f, f, t), OutSubscribed, st(From, f, f, f)),
            (st(To, f, f, t), OutSubscribed, st(Both, f, f, f)),
            (st(No, f, f, t), OutUnsubscribed, st(No, f, f, f)),
            // Pre-approval (§3.4): the later request is approved at once.
            (st(No, t, f, f), OutSubscribed, st(No, t, t, f)),
            (st(No, t, t, f), InSubscribe, st(From, t, f, f)),
            (st(No, f, t, f), OutUnsubscribed, st(No, f, f, f)),
            // Cancelling and unsubscribing, both directions.
            (st(Both, f, f, f), OutUnsubscribe, st(From, f, f, f)),
            (st(To, f, f, f), OutUnsubscribe, st(No, f, f, f)),
            (st(No, t, f, f), OutUnsubscribe, st(No, f, f, f)),
            (st(Both, f, f, f), OutUnsubscribed, st(To, f, f, f)),
            (st(From, f, f, f), OutUnsubscribed, st(No, f, f, f)),
            (st(Both, f, f, f), InUnsubscribe, st(To, f, f, f)),
            (st(From, f, f, f), InUnsubscribe, st(No, f, f, f)),
            (st(Both, f, f, f), InUnsubscribed, st(From, f, f, f)),
            (st(To, f, f, f), InUnsubscribed, st(No, f, f, f)),
        ];
        for (before, event, after) in cases {
            assert_eq!(
                transition(before, event),
                after,
                "{before:?} --{event:?}-->"
            );
        }
    }
}
