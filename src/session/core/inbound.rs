//! What a translated stanza does: batched for the store, a delivery report, presence shown or
//! held, a request stored, a query answered.

use tokio_xmpp::jid::Jid;

use super::StoreOp;
use super::{Core, Work};
use crate::model::{Delivery, MessageId};
use crate::session::Event;
use crate::session::translate::{self, Inbound};

/// Presence stanzas held while the roster is asked for (one per contact resource, roughly).
const MAX_EARLY_PRESENCE: usize = 50_000;

impl Core {
    pub(super) fn on_inbound(&mut self, inbound: Inbound) {
        match inbound {
            Inbound::Message {
                message,
                receipt_to,
                query,
            } => self.inbox.batch.push((message, receipt_to, query)),
            // A report on our message is applied after what came before it is stored.
            Inbound::Receipt { from, id } => {
                let from = Some(Jid::from(from));
                self.flush_then(Work::Report {
                    id,
                    from,
                    state: Delivery::Delivered,
                    bounce: None,
                });
            }
            // Only a bounce of a message we sent, from whom it went to (or a server on the
            // way), fails it and is shown; anyone else's words are not.
            Inbound::MessageError { id, from, reason } => self.flush_then(Work::Report {
                id,
                from,
                state: Delivery::Failed,
                bounce: Some(reason),
            }),
            Inbound::ChatState { from, state } => self.emit(Event::ChatState { from, state }),
            Inbound::Presence {
                from,
                show,
                status,
                priority,
                idle_since,
            } => self.on_presence(
                from.clone(),
                Event::Presence {
                    jid: from,
                    show,
                    status,
                    priority,
                    idle_since,
                },
            ),
            Inbound::SubscribeRequest {
                from,
                nick,
                message,
            } => self.on_subscribe(from, nick, message),
            Inbound::RosterPush {
                ver,
                item,
                removed,
                iq_id,
                from,
            } => {
                // Acknowledged once stored.
                self.then([Work::Send(translate::ack(from, iq_id))]);
                self.on_roster_push(ver, item, removed);
            }
            Inbound::IqResponse {
                id,
                from,
                payload,
                error,
            } => self.flush_then(Work::IqResponse {
                id,
                from,
                payload,
                error,
            }),
            Inbound::LastActivityQuery { from, id } => self.answer_last_activity(from, id),
            Inbound::VersionQuery { from, id } => self.answer_version(from, id),
            Inbound::DiscoInfoQuery { from, id, node } => {
                if !self.replies.push(super::Query { from, id, node }) {
                    tracing::debug!("a disco#info query beyond the cap dropped");
                }
                self.answer_queries();
            }
            Inbound::Reply(stanza) => self.send(stanza),
            Inbound::Dropped(why) => tracing::debug!("dropped a stanza: {why}"),
        }
    }

    /// When we were last active: told only to contacts who see our presence anyway.
    fn answer_last_activity(&mut self, from: Jid, id: String) {
        let reply = if self.contacts.sees_me(&from.to_bare()) {
            translate::last_activity_result(from, id, 0)
        } else {
            translate::forbidden(from, id)
        };
        self.send(reply);
    }

    /// Which software we run, to the letter of its version: told only to contacts who see our
    /// presence and to the account's own devices. Anyone else gets the answer of a client
    /// that does not serve the request at all.
    fn answer_version(&mut self, from: Jid, id: String) {
        let bare = from.to_bare();
        let reply = if bare == self.me || self.contacts.sees_me(&bare) {
            translate::version_result(from, id)
        } else {
            translate::service_unavailable(Some(from), id)
        };
        self.send(reply);
    }

    /// Commits the pending batch of messages first, then does `work`.
    fn flush_then(&mut self, work: Work) {
        self.then([Work::Settle, work]);
    }

    /// Presence of a contact or of the account's other devices is shown; held with its sender
    /// while the roster is not known yet after a fresh login; a stranger's creates nothing, not
    /// even an event.
    fn on_presence(&mut self, from: Jid, event: Event) {
        let known = self.known(&from);
        match self.contacts.early_presence.as_mut() {
            Some(held) if held.len() < MAX_EARLY_PRESENCE => held.push((from, event)),
            Some(_) => tracing::debug!("early presence beyond the cap dropped"),
            None if known => self.emit(event),
            None => tracing::debug!("dropped the presence of a stranger"),
        }
    }

    /// Whether presence from `from` may be shown: the account's own devices, and contacts.
    pub(super) fn known(&self, from: &Jid) -> bool {
        let bare = from.to_bare();
        bare == self.me || self.contacts.has(&bare)
    }

    /// A receipt (or, with a bounce reason, an error) from `from` for our message `id`:
    /// applied only when it comes from the message's peer (checked by the store op).
    pub(super) fn report(
        &mut self,
        id: MessageId,
        from: Option<Jid>,
        state: Delivery,
        bounce: Option<String>,
    ) {
        self.store(StoreOp::Report {
            id,
            state,
            from,
            bounce,
        });
    }
}
