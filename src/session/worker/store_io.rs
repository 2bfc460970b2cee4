//! Runs the core's store operations against the store and hands back their answers.

use std::collections::HashSet;

use tokio_xmpp::jid::{BareJid, Jid};

use crate::model::{Amendment, Delivery, MessageId, RosterItem};
use crate::session::core::{OutboxRead, StoreOp, Stored};
use crate::session::guard;
use crate::store::{Store, StoreError};

/// The store as the session's account uses it; cheap to clone into a commit that runs beside
/// the loop.
#[derive(Clone)]
pub(super) struct StoreIo {
    pub store: Store,
    /// The account's address.
    pub me: BareJid,
}

impl StoreIo {
    /// Runs `op`; `tracked` are the outbound messages the stream still holds (for the outbox).
    pub(super) async fn execute(&self, op: StoreOp, tracked: HashSet<MessageId>) -> Stored {
        let store = &self.store;
        let account = &self.me;
        match op {
            StoreOp::SetDelivery { id, state } => Stored::Delivery {
                result: store.set_delivery(account, &id, state).await,
                id,
            },
            StoreOp::Report {
                id,
                state,
                from,
                bounce,
            } => self.report(id, state, from, bounce).await,
            StoreOp::InsertMessages {
                messages,
                receipts,
                archived,
                anchor,
            } => Stored::Messages {
                result: store.insert_received(account, messages, anchor).await,
                receipts,
                archived,
            },
            StoreOp::LastArchived { purpose } => Stored::LastArchived {
                result: store.last_archived(account).await,
                purpose,
            },
            StoreOp::ReplaceRoster { version, items } => self.replace_roster(version, items).await,
            StoreOp::ReadRoster { purpose } => Stored::Roster {
                result: store.roster(account).await,
                purpose,
            },
            StoreOp::ApplyRosterPush {
                version,
                item,
                removed,
            } => self.roster_push(version, item, removed).await,
            StoreOp::Outbox { purpose } => self.outbox(tracked, purpose).await,
            StoreOp::QueueOutbound { id, message: msg } => Stored::Queued {
                id,
                result: store.queue_outbound(msg).await,
            },
            StoreOp::OwnChange {
                amendment,
                change_id,
                body,
                now,
            } => self.own_change(amendment, change_id, body, now).await,
            StoreOp::Requeue { id } => Stored::Requeued {
                result: store.requeue(account, &id).await,
                id,
            },
            StoreOp::SetLastPresence { show, status } => Stored::LastPresence {
                result: store.set_last_presence(account, show, status.clone()).await,
                show,
                status,
            },
            StoreOp::AddRequest(request) => Stored::RequestAdded {
                result: store.add_request(account, request.clone()).await,
                request,
            },
            StoreOp::Oldest { peer } => Stored::Oldest {
                result: store.oldest(account, &peer).await,
                peer,
            },
            StoreOp::ApproveAhead { jid, at } => {
                Stored::ApprovedAhead(self.approve_ahead(&jid, at).await)
            }
            StoreOp::SetRequestState { jid, state, push } => Stored::RequestState {
                result: store
                    .set_request_state(account, &jid, state)
                    .await
                    .map(drop),
                push,
            },
        }
    }

    /// What waits to go out again: messages, then the account's own changes.
    async fn outbox(&self, tracked: HashSet<MessageId>, purpose: OutboxRead) -> Stored {
        Stored::Outbox {
            result: self.store.outbox(&self.me).await,
            changes: self.store.queued_changes(&self.me).await,
            tracked,
            purpose,
        }
    }

    /// A receipt or bounce, checked against the message's peer in the same transaction that
    /// applies it.
    async fn report(
        &self,
        id: MessageId,
        state: Delivery,
        from: Option<Jid>,
        bounce: Option<String>,
    ) -> Stored {
        let me = self.me.clone();
        let is_bounce = bounce.is_some();
        let allowed =
            move |peer: &str| guard::delivery_report_allowed(&me, peer, from.as_ref(), is_bounce);
        Stored::Report {
            result: self
                .store
                .set_delivery_if(&self.me, &id, state, allowed)
                .await,
            id,
            bounce,
        }
    }

    /// A change of the person's own (a correction, retraction or reaction), applied before it
    /// is sent.
    async fn own_change(
        &self,
        amendment: Amendment,
        change_id: MessageId,
        body: String,
        now: crate::model::Millis,
    ) -> Stored {
        let result = self
            .store
            .apply_own_change(&self.me, amendment.clone(), change_id, body, now)
            .await;
        Stored::OwnChange {
            result: result.map(|c| c.map(Box::new)),
            amendment,
        }
    }

    async fn replace_roster(&self, version: Option<String>, items: Vec<RosterItem>) -> Stored {
        Stored::RosterReplaced {
            result: self
                .store
                .replace_roster(&self.me, version.clone(), items.clone())
                .await,
            version,
            items,
        }
    }

    async fn roster_push(
        &self,
        version: Option<String>,
        item: RosterItem,
        removed: bool,
    ) -> Stored {
        Stored::RosterPush {
            result: self
                .store
                .apply_roster_push(&self.me, version, item.clone(), removed)
                .await,
            item,
            removed,
        }
    }

    /// Keeps the person's approval of `jid` given in advance (`Some` time), or withdraws it.
    async fn approve_ahead(&self, jid: &BareJid, at: Option<i64>) -> Result<(), StoreError> {
        match at {
            Some(at) => self.store.approve_ahead(&self.me, jid, at).await,
            None => self.store.withdraw_approval(&self.me, jid).await,
        }
    }
}

impl super::Shell {
    /// Runs `op` now, in the loop.
    pub(super) async fn execute(&self, op: StoreOp) -> Stored {
        let tracked = match op {
            StoreOp::Outbox { .. } => self.tracked(),
            _ => HashSet::new(),
        };
        self.io.execute(op, tracked).await
    }

    /// The outbound messages the stream still holds: it sends them itself.
    fn tracked(&self) -> HashSet<MessageId> {
        self.inflight
            .iter()
            .filter(|(_, token)| super::still_tracked(token))
            .map(|(id, _)| id.clone())
            .collect()
    }
}
