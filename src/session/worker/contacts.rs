//! Subscription requests and roster pushes: stored before they are announced; a request is
//! never approved by itself.

use super::{ANSWER_GRACE, StoreWork, Worker};
use crate::model::{self, RequestState, RosterItem, SubscriptionRequest};
use crate::session::Event;

impl Worker {
    pub(super) async fn on_subscribe(
        &mut self,
        from: String,
        nick: Option<String>,
        message: Option<String>,
    ) {
        // A contact who already sees us is answered by the server itself; never auto-approve.
        if self
            .roster
            .get(&from)
            .is_some_and(|i| i.subscription.they_see_me())
        {
            return;
        }
        if self
            .answered
            .get(&from)
            .is_some_and(|at| at.elapsed() < ANSWER_GRACE)
        {
            tracing::debug!("dropped a re-delivered request that was just answered");
            return;
        }
        let req = SubscriptionRequest {
            from,
            nick,
            message,
            received_at: model::now_millis(),
            state: RequestState::Pending,
        };
        match self
            .store
            .add_request(&self.me.to_string(), req.clone())
            .await
        {
            Ok(_) => self.emit(Event::SubscriptionRequest(req)).await,
            Err(e) => self.report_store_error(StoreWork::SaveRequest, e).await,
        }
    }

    pub(super) async fn on_roster_push(
        &mut self,
        ver: Option<String>,
        item: RosterItem,
        removed: bool,
    ) {
        let account = self.me.to_string();
        if let Err(e) = self
            .store
            .apply_roster_push(&account, ver, item.clone(), removed)
            .await
        {
            return self
                .report_store_error(StoreWork::SaveRosterChange, e)
                .await;
        }
        if removed {
            self.roster.remove(&item.jid);
            self.emit(Event::RosterRemoved(item.jid)).await;
            return;
        }
        if item.subscription.they_see_me() {
            // Approved here or on another device: the request is answered.
            let _ = self
                .store
                .set_request_state(&account, &item.jid, RequestState::Accepted)
                .await;
        }
        self.roster.insert(item.jid.clone(), item.clone());
        self.emit(Event::RosterPush(item)).await;
    }
}
