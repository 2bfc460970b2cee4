//! Commands from the window, the command line or a script, turned into stanzas and store
//! writes.

use tokio_xmpp::jid::Jid;
use xmpp_parsers::presence;

use super::StoreOp;
use super::iq::Pending;
use super::{Core, StoreWork, Work};
use crate::model::amend::reaction_set;
use crate::model::{Amendment, BareJid, ChatMessage, MessageId, ReplyTo, RequestState, Show};
use crate::session::{Command, Event, translate};

impl Core {
    pub(super) fn on_command(&mut self, cmd: Command) {
        match cmd {
            Command::Send {
                to,
                body,
                id,
                reply_to,
            } => self.send_message(to, body, id, reply_to),
            Command::Correct { id, body } => {
                self.change_own(Amendment::Correction { target: id }, body)
            }
            Command::Retract { id } => {
                self.change_own(Amendment::Retraction { target: id }, String::new())
            }
            Command::React { id, emoji } => self.change_own(
                Amendment::Reactions {
                    target: id,
                    emoji: reaction_set(emoji),
                },
                String::new(),
            ),
            Command::SetPresence { show, status } => self.set_presence(show, status),
            Command::Add {
                jid,
                name,
                groups,
                message,
                share_presence,
            } => self.add_contact(
                &jid,
                name.as_deref(),
                &groups,
                message.as_deref(),
                share_presence,
            ),
            Command::Update { jid, name, groups } => {
                self.roster_set(&jid, name.as_deref(), &groups, false)
            }
            Command::Remove { jid } => {
                self.roster_set(&jid, None, &[], true);
                self.store(StoreOp::ApproveAhead { jid, at: None });
            }
            Command::Accept { jid } => self.answer(
                jid,
                RequestState::Accepted,
                presence::Type::Subscribed,
                None,
            ),
            // Saving the denial also withdraws an approval given in advance.
            Command::Deny { jid } | Command::Revoke { jid } => self.answer(
                jid,
                RequestState::Denied,
                presence::Type::Unsubscribed,
                None,
            ),
            Command::Subscribe { jid, message } => {
                self.presence_to(&jid, presence::Type::Subscribe, message.as_deref())
            }
            Command::Unsubscribe { jid } => {
                self.presence_to(&jid, presence::Type::Unsubscribe, None)
            }
            Command::ChatState { to, state } => {
                if self.link.online() {
                    self.send(translate::chat_state_message(&to, state));
                }
            }
            Command::QueryLastActivity { jid } => self.query_last_activity(jid),
            Command::FetchOlder { peer } => self.fetch_older(peer),
            Command::RefreshRoster => {
                let id = self.new_id();
                let stanza = translate::roster_get(&id, None);
                self.iq(id, Pending::Roster, None, stanza);
            }
            Command::Retry { id } => self.store(StoreOp::Requeue { id }),
            Command::Block { jid } => self.block(jid),
            Command::RetryNow | Command::Quit => {}
        }
    }

    /// Outbox first: on disk before it goes on the wire. A message refused here is told as
    /// [`Event::NotQueued`], with its id.
    fn send_message(
        &mut self,
        to: BareJid,
        body: String,
        id: MessageId,
        reply_to: Option<ReplyTo>,
    ) {
        if body.trim().is_empty() {
            return self.emit(Event::NotQueued {
                id,
                message: crate::fl!("session-error-empty-message"),
            });
        }
        if body.len() > crate::model::MAX_SENT_BODY {
            let (size, max) = (body.len(), crate::model::MAX_SENT_BODY);
            let kib = max / 1024;
            let message = crate::fl!("session-error-too-long", size = size, max = max, kib = kib);
            return self.emit(Event::NotQueued { id, message });
        }
        let mut message =
            ChatMessage::outbound(self.me.clone(), to, body, id.clone(), self.now.wall);
        message.extras.reply_to = reply_to;
        self.store(StoreOp::QueueOutbound { id, message });
    }

    /// A correction, retraction or reaction of the account's: applied and queued in the store
    /// first, then sent; offline, it goes at the next sign-in, so the peer sees what is shown
    /// here.
    fn change_own(&mut self, amendment: Amendment, body: String) {
        if matches!(amendment, Amendment::Correction { .. }) {
            if body.trim().is_empty() {
                return self.emit(Event::Error {
                    message: crate::fl!("session-error-empty-message"),
                });
            }
            if body.len() > crate::model::MAX_SENT_BODY {
                let (size, max) = (body.len(), crate::model::MAX_SENT_BODY);
                let kib = max / 1024;
                let message =
                    crate::fl!("session-error-too-long", size = size, max = max, kib = kib);
                return self.emit(Event::Error { message });
            }
        }
        let change_id = self.new_message_id();
        self.store(StoreOp::OwnChange {
            amendment,
            change_id,
            body,
            now: self.now.wall,
        });
    }

    /// An own change applied (or not: no such message of the account's): sent, and told.
    pub(super) fn on_own_change(
        &mut self,
        result: Result<Option<Box<crate::store::OwnChange>>, crate::store::StoreError>,
        amendment: Amendment,
    ) {
        match result {
            Ok(Some(applied)) => {
                let crate::store::OwnChange { change, queued } = *applied;
                if let Some(queued) = queued
                    && self.link.online()
                {
                    self.transmit_change(&queued);
                }
                self.emit(Event::Changed(vec![change]));
            }
            Ok(None) => self.emit(Event::Error {
                message: crate::fl!(
                    "session-error-no-such-message",
                    id = amendment.target().as_str()
                ),
            }),
            Err(e) => self.report_store_error(StoreWork::SaveMessage, e),
        }
    }

    /// Own show and status: saved for the next login (the answer then sends it).
    fn set_presence(&mut self, show: Show, status: String) {
        let show = if show == Show::Unavailable {
            Show::Available
        } else {
            show
        };
        self.store(StoreOp::SetLastPresence { show, status });
    }

    pub(super) fn on_presence_saved(
        &mut self,
        result: Result<(), crate::store::StoreError>,
        show: Show,
        status: String,
    ) {
        if let Err(e) = result {
            self.report_store_error(StoreWork::SaveStatus, e);
        }
        self.account.last_show = show;
        self.account.last_status = status.clone();
        self.out
            .push(super::Effect::NextPresence(show, status.clone()));
        if self.link.online() {
            self.send(translate::own_presence(show, &status, None));
        }
    }

    /// Adds a contact (roster set), asks to see their presence and, when the person chose
    /// to share it, pre-approves their request (RFC 6121 §3.4).
    fn add_contact(
        &mut self,
        jid: &BareJid,
        name: Option<&str>,
        groups: &[String],
        message: Option<&str>,
        share: bool,
    ) {
        self.roster_set(jid, name, groups, false);
        self.presence_to(jid, presence::Type::Subscribe, message);
        if share && self.features.pre_approval {
            self.presence_to(jid, presence::Type::Subscribed, None);
        } else if share {
            // The server keeps no pre-approvals: Natter keeps the person's answer and gives
            // it when the contact asks.
            self.store(StoreOp::ApproveAhead {
                jid: jid.clone(),
                at: Some(self.now.wall),
            });
        }
    }

    fn query_last_activity(&mut self, jid: BareJid) {
        let id = self.new_id();
        let stanza = translate::last_activity_query(&id, &jid);
        let to = Some(Jid::from(jid.clone()));
        self.iq(id, Pending::LastActivity(jid), to, stanza);
    }

    /// Blocks an address (XEP-0191) and denies its pending request.
    fn block(&mut self, jid: BareJid) {
        let id = self.new_id();
        let stanza = translate::block(&id, &jid);
        let block = Work::Iq(id, Pending::RosterSet(jid.clone()), stanza);
        self.answer(
            jid,
            RequestState::Denied,
            presence::Type::Unsubscribed,
            Some(block),
        );
    }

    fn roster_set(&mut self, jid: &BareJid, name: Option<&str>, groups: &[String], remove: bool) {
        let id = self.new_id();
        let stanza = translate::roster_set(&id, jid, name, groups, remove);
        self.iq(id, Pending::RosterSet(jid.clone()), None, stanza);
    }

    fn presence_to(&mut self, jid: &BareJid, kind: presence::Type, message: Option<&str>) {
        self.send(translate::subscription(jid, kind, message));
    }

    /// The person answered a request: saved, then told to the requester with `kind` (and
    /// `then` done), and not asked again for a while. Saved first, so that whoever sees the
    /// answer's effects (the requester, the roster push) finds it in the store.
    fn answer(
        &mut self,
        jid: BareJid,
        state: RequestState,
        kind: presence::Type,
        then: Option<Work>,
    ) {
        self.contacts.answered(&jid, self.now.at);
        let presence = Work::Send(translate::subscription(&jid, kind, None));
        self.then(std::iter::once(presence).chain(then));
        self.store(StoreOp::SetRequestState {
            jid,
            state,
            push: None,
        });
    }
}
