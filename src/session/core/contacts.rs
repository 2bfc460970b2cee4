//! The roster as the session knows it, subscription requests and roster pushes: stored before
//! they are announced; a request is never approved by itself.

use std::collections::HashMap;
use std::time::Instant;

use tokio_xmpp::jid::{BareJid, Jid};

use super::StoreOp;
use super::{ANSWER_GRACE, Core, StoreWork};
use crate::model::roster::SubState;
use crate::model::{RequestState, RosterItem, SubEvent, SubscriptionRequest, transition};
use crate::session::Event;
use crate::session::translate;
use crate::store::{Added, StoreError};
use xmpp_parsers::presence;

/// The contacts, and what is held or remembered about them during a session.
#[derive(Debug, Default)]
pub(super) struct Contacts {
    roster: HashMap<BareJid, RosterItem>,
    /// Presence that came before the roster after a fresh login, with its sender, shown once
    /// the roster is known (initial presence goes out before the roster is asked for).
    pub early_presence: Option<Vec<(Jid, Event)>>,
    /// Requests answered in this session, and when: the server may still re-deliver the
    /// request it sent at login after the answer went out.
    answered: HashMap<BareJid, Instant>,
    /// When the roster is asked for again, after it could not be had.
    pub roster_retry: Option<Instant>,
}

impl Contacts {
    pub fn new(roster: Vec<RosterItem>) -> Contacts {
        let mut contacts = Contacts::default();
        contacts.replace(&roster);
        contacts
    }

    /// The whole roster, as the server sent it.
    pub fn replace(&mut self, items: &[RosterItem]) {
        self.roster = items.iter().map(|i| (i.jid.clone(), i.clone())).collect();
    }

    /// Whether `jid` is in the roster.
    pub fn has(&self, jid: &BareJid) -> bool {
        self.roster.contains_key(jid)
    }

    /// Whether `jid` is a contact who sees the account's presence.
    pub fn sees_me(&self, jid: &BareJid) -> bool {
        self.roster
            .get(jid)
            .is_some_and(|i| i.subscription.they_see_me())
    }

    /// Whether a `subscribe` from `jid` waits for the person's answer, as the subscription
    /// state machine says for the contact as the roster has it.
    pub fn asks_the_person(&self, jid: &BareJid) -> bool {
        let state = self
            .roster
            .get(jid)
            .map_or_else(SubState::default, |i| SubState {
                subscription: i.subscription,
                ask: i.ask,
                approved: i.approved,
                pending_in: false,
            });
        transition(state, SubEvent::InSubscribe).pending_in
    }

    pub fn answered(&mut self, jid: &BareJid, at: Instant) {
        self.answered.insert(jid.clone(), at);
    }

    fn answered_lately(&self, jid: &BareJid, now: Instant) -> bool {
        self.answered
            .get(jid)
            .is_some_and(|at| now.saturating_duration_since(*at) < ANSWER_GRACE)
    }
}

impl Core {
    pub(super) fn on_subscribe(
        &mut self,
        from: BareJid,
        nick: Option<String>,
        message: Option<String>,
    ) {
        // Only a request the person has to answer becomes one (the RFC 6121 state machine): a
        // contact who already sees us, or whom the person pre-approved, is answered by the
        // server itself. Natter never approves anyone by itself.
        if !self.contacts.asks_the_person(&from) {
            return;
        }
        if self.contacts.answered_lately(&from, self.now.at) {
            tracing::debug!("dropped a re-delivered request that was just answered");
            return;
        }
        self.store(StoreOp::AddRequest(SubscriptionRequest {
            from,
            nick,
            message,
            received_at: self.now.wall,
            state: RequestState::Pending,
        }));
    }

    pub(super) fn on_request_added(
        &mut self,
        result: Result<Added, StoreError>,
        request: SubscriptionRequest,
    ) {
        match result {
            Ok(Added::Pending | Added::Repeated) => self.emit(Event::SubscriptionRequest(request)),
            // The person's answer, given when they added the contact (and saved with the
            // request): told now, as the server would have told it.
            Ok(Added::ApprovedAhead) => {
                self.contacts.answered(&request.from, self.now.at);
                self.send(translate::subscription(
                    &request.from,
                    presence::Type::Subscribed,
                    None,
                ));
            }
            Err(e) => self.report_store_error(StoreWork::SaveRequest, e),
        }
    }

    pub(super) fn on_roster_push(&mut self, ver: Option<String>, item: RosterItem, removed: bool) {
        self.store(StoreOp::ApplyRosterPush {
            version: ver,
            item,
            removed,
        });
    }

    pub(super) fn on_roster_push_saved(
        &mut self,
        result: Result<(), StoreError>,
        item: RosterItem,
        removed: bool,
    ) {
        if let Err(e) = result {
            return self.report_store_error(StoreWork::SaveRosterChange, e);
        }
        if removed {
            self.contacts.roster.remove(&item.jid);
            self.emit(Event::RosterRemoved(item.jid));
            return;
        }
        if item.subscription.they_see_me() {
            // Approved here or on another device: the request is answered.
            return self.store(StoreOp::SetRequestState {
                jid: item.jid.clone(),
                state: RequestState::Accepted,
                push: Some(item),
            });
        }
        self.roster_pushed(item);
    }

    /// A request's answer saved: a roster push that answered it is announced now.
    pub(super) fn on_request_state_saved(
        &mut self,
        result: Result<(), StoreError>,
        push: Option<RosterItem>,
    ) {
        match (push, result) {
            (Some(item), _) => self.roster_pushed(item),
            (None, Err(e)) => self.report_store_error(StoreWork::SaveAnswer, e),
            (None, Ok(())) => {}
        }
    }

    fn roster_pushed(&mut self, item: RosterItem) {
        self.contacts.roster.insert(item.jid.clone(), item.clone());
        self.emit(Event::RosterPush(item));
    }
}
