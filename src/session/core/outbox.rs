//! Outbound messages: written to the outbox before they go on the wire, followed from queued
//! to sent to acknowledged (the worker reports each stage of their stanza), and sent again
//! with the same ids when the stream let go of them.

use std::collections::HashSet;

use super::StoreOp;
use super::store_ops::OutboxRead;
use super::{Core, StoreWork, Track};
use crate::model::{ChatMessage, Delivery, MessageId, QueuedChange};
use crate::session::{Event, translate};
use crate::store::StoreError;

impl Core {
    /// Puts a stored outbound message on the wire; the worker reports its stages.
    pub(super) fn transmit(&mut self, msg: &ChatMessage) {
        let Some(id) = msg.remote_id.clone() else {
            return;
        };
        self.send_tracked(translate::chat_message(msg), Track::Outbound(id));
    }

    /// Puts one of the account's queued changes on the wire, followed like a message: it
    /// leaves the queue once the server has it.
    pub(super) fn transmit_change(&mut self, change: &QueuedChange) {
        let stanza = translate::modern::change_stanza(
            &change.peer,
            &change.change_id,
            &change.target,
            &change.amendment,
            &change.body,
        );
        self.send_tracked(stanza.into(), Track::Outbound(change.change_id.clone()));
    }

    /// An outbound message's stanza reached `reached` (`None`: the stream let go of it, after a
    /// reset: it stays in the outbox and goes out again after the next login).
    pub(super) fn on_token(&mut self, id: MessageId, reached: Option<Delivery>) {
        if let Some(state) = reached {
            self.store(StoreOp::SetDelivery { id, state });
        }
    }

    pub(super) fn on_delivery_saved(
        &mut self,
        id: MessageId,
        result: Result<Option<ChatMessage>, StoreError>,
    ) {
        match result {
            Ok(Some(m)) => self.emit(Event::Delivery {
                id,
                state: m.delivery,
            }),
            Ok(None) => {}
            Err(e) => self.report_store_error(StoreWork::SaveDelivery, e),
        }
    }

    /// A receipt or bounce applied (or not: not from whom the message went to).
    pub(super) fn on_report_saved(
        &mut self,
        id: MessageId,
        result: Result<Option<ChatMessage>, StoreError>,
        bounce: Option<String>,
    ) {
        let applied = matches!(result, Ok(Some(_)));
        self.on_delivery_saved(id, result);
        if let (true, Some(reason)) = (applied, bounce) {
            self.emit(Event::Error {
                message: crate::fl!("session-error-undelivered", reason = reason),
            });
        }
    }

    /// Outbox messages the stream does not hold go out again with the same id and origin-id:
    /// those written while the connection was down, those of a previous run, and those of a
    /// stream that was replaced. After a fresh login the archive query follows.
    pub(super) fn on_outbox(
        &mut self,
        result: Result<Vec<ChatMessage>, StoreError>,
        changes: Result<Vec<QueuedChange>, StoreError>,
        tracked: HashSet<MessageId>,
        purpose: OutboxRead,
    ) {
        match result {
            Ok(queued) => {
                for msg in queued {
                    // A message the stream still tracks is its to send: after a resumption it
                    // resends what the server had not acknowledged, and after a failed one it
                    // sends that again first, on the new session (vendor/tokio-xmpp). Only what
                    // it let go of is sent from here, so nothing goes twice or ahead of an
                    // earlier message.
                    if msg
                        .remote_id
                        .as_ref()
                        .is_some_and(|id| tracked.contains(id))
                    {
                        continue;
                    }
                    self.transmit(&msg);
                }
            }
            Err(e) => self.report_store_error(StoreWork::ReadOutbox, e),
        }
        // The account's own changes, after the messages they may name, by the same rule.
        match changes {
            Ok(changes) => {
                for change in changes {
                    if !tracked.contains(&change.change_id) {
                        self.transmit_change(&change);
                    }
                }
            }
            Err(e) => self.report_store_error(StoreWork::ReadOutbox, e),
        }
        if purpose == OutboxRead::Login
            && let Some(query) = self.archive_query.take()
        {
            self.ask_archive(query);
        }
    }

    /// A new message is in the outbox: shown, and sent when online. When it could not be
    /// written, the owner is told which one (the window keeps its text for the person).
    pub(super) fn on_queued(&mut self, id: MessageId, result: Result<ChatMessage, StoreError>) {
        match result {
            Ok(stored) => {
                self.emit(Event::Messages(vec![stored.clone()]));
                if self.link.online() {
                    self.transmit(&stored);
                }
            }
            Err(e) => {
                let message = super::store_problem(StoreWork::SaveMessage, e);
                tracing::error!("store: {message}");
                self.emit(Event::NotQueued { id, message });
            }
        }
    }

    /// A failed message is back in the outbox: queued again, and sent when online.
    pub(super) fn on_requeued(
        &mut self,
        id: MessageId,
        result: Result<Option<ChatMessage>, StoreError>,
    ) {
        match result {
            Ok(Some(msg)) => {
                self.emit(Event::Delivery {
                    id,
                    state: Delivery::Queued,
                });
                if self.link.online() {
                    self.transmit(&msg);
                }
            }
            Ok(None) => {}
            Err(e) => self.report_store_error(StoreWork::Retry, e),
        }
    }
}
