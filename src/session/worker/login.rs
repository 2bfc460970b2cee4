//! What the stream reports about itself (bound afresh, suspended, resumed), and what follows
//! a fresh login: presence, roster, carbons, features, the outbox, the archive catch-up.

use std::time::Duration;

use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::{StanzaStage, StanzaStream, StreamEvent};

use super::{Pending, StoreWork, Worker, still_tracked, wait_token};
use crate::model::ChatMessage;
use crate::session::{Event, ServerFeatures, translate};

impl Worker {
    pub(super) async fn on_stream(&mut self, stream: &StanzaStream, ev: StreamEvent) {
        match ev {
            StreamEvent::Reset {
                bound_jid,
                features,
            } => {
                self.bound = Some(bound_jid.clone());
                self.online = true;
                self.carbons = false;
                self.pending.clear();
                self.catchup = None;
                self.early_presence = Some(Vec::new());
                // Never stored, still in the archive: the login's catch-up brings them.
                self.held.clear();
                // Asked on the old session; the askers ask again if they still care.
                self.replies.clear();
                let others: Vec<String> = features.others.iter().map(|e| e.ns()).collect();
                self.features = ServerFeatures {
                    stream_management: features.stream_management.is_some(),
                    roster_versioning: others.iter().any(|n| n == "urn:xmpp:features:rosterver"),
                    pre_approval: others.iter().any(|n| n == "urn:xmpp:features:pre-approval"),
                    ..ServerFeatures::default()
                };
                self.login_sequence(stream, bound_jid).await;
            }
            StreamEvent::Suspended => {
                self.online = false;
                self.offline_reason = self
                    .drop_reason
                    .take()
                    .unwrap_or_else(|| crate::fl!("session-offline-lost"));
                let retry_in = Some(self.pending_wait.take().unwrap_or(Duration::ZERO));
                self.emit(Event::Offline {
                    reason: self.offline_reason.clone(),
                    retry_in,
                })
                .await;
            }
            StreamEvent::Resumed => {
                self.online = true;
                let jid = self
                    .bound
                    .as_ref()
                    .map(|j| j.to_string())
                    .unwrap_or_default();
                let elapsed_ms = self.attempt_started.elapsed().as_millis() as u64;
                self.emit(Event::Online {
                    jid,
                    resumed: true,
                    elapsed_ms,
                })
                .await;
                // The stream resent what it held; what was written while the connection was
                // down never reached it.
                self.resend_outbox(stream).await;
            }
        }
    }

    /// After a fresh (not resumed) login: initial presence, roster, carbons, server features,
    /// the outbox, then archive catch-up.
    ///
    /// Initial presence goes first (RFC 6121 §4.2 says SHOULD after the roster, not MUST):
    /// servers answer a roster request of thousands of contacts slowly, and contacts would see
    /// us only after it. The presence that arrives before the roster is held
    /// (`early_presence`) and shown once the roster is known, so nothing is lost.
    async fn login_sequence(&mut self, stream: &StanzaStream, bound: Jid) {
        let account = self.me.to_string();
        let presence =
            translate::own_presence(self.account.last_show, &self.account.last_status, None);
        self.send(stream, presence).await;
        tracing::debug!(elapsed = ?self.attempt_started.elapsed(), "bound; initial presence queued");
        let ver = if self.features.roster_versioning {
            match self.store.roster(&account).await {
                Ok((ver, _)) => ver,
                Err(_) => None,
            }
        } else {
            None
        };
        let id = crate::session::new_id();
        self.iq(
            stream,
            id.clone(),
            Pending::Roster,
            None,
            translate::roster_get(&id, ver),
        )
        .await;
        let id = crate::session::new_id();
        self.iq(
            stream,
            id.clone(),
            Pending::Carbons,
            None,
            translate::carbons_enable(&id),
        )
        .await;
        // Server features come from the domain's disco#info, archive support from the
        // account's own (XEP-0313 §7): ask both, announce once both answered.
        self.features.disco.clear();
        self.disco_waiting = 2;
        for to in [
            Jid::from(self.me.domain().to_owned()),
            Jid::from(self.me.clone()),
        ] {
            let id = crate::session::new_id();
            let expected = Some(to.clone()).filter(|t| t.node().is_none());
            self.iq(
                stream,
                id.clone(),
                Pending::Disco,
                expected,
                translate::disco_info(&id, to),
            )
            .await;
        }
        let elapsed_ms = self.attempt_started.elapsed().as_millis() as u64;
        self.emit(Event::Online {
            jid: bound.to_string(),
            resumed: false,
            elapsed_ms,
        })
        .await;
        self.resend_outbox(stream).await;
        self.start_catchup(stream).await;
    }

    /// The presence held until the roster was known.
    pub(super) async fn release_early_presence(&mut self) {
        for (from, event) in self.early_presence.take().unwrap_or_default() {
            if self.known(&from) {
                self.emit(event).await;
            }
        }
    }

    /// Outbox messages the stream does not hold go out again with the same id and origin-id:
    /// those written while the connection was down, those of a previous run, and those of a
    /// stream that was replaced.
    pub(super) async fn resend_outbox(&mut self, stream: &StanzaStream) {
        let queued = match self.store.outbox(&self.me.to_string()).await {
            Ok(q) => q,
            Err(e) => return self.report_store_error(StoreWork::ReadOutbox, e).await,
        };
        for msg in queued {
            let Some(id) = msg.remote_id.clone() else {
                continue;
            };
            // A message the stream still tracks is its to send: after a resumption it resends
            // what the server had not acknowledged, and after a failed one it sends that
            // again first, on the new session (vendor/tokio-xmpp). Only what it let go of is
            // sent from here, so nothing goes twice or ahead of an earlier message.
            if self.inflight.get(&id).is_some_and(still_tracked) {
                continue;
            }
            self.transmit(stream, &msg, id).await;
        }
    }

    pub(super) async fn transmit(&mut self, stream: &StanzaStream, msg: &ChatMessage, id: String) {
        let Some(stanza) = translate::chat_message(msg) else {
            return;
        };
        let token = self.send(stream, stanza).await;
        self.inflight.insert(id.clone(), token.clone());
        self.tokens.push(wait_token(id, token, StanzaStage::Sent));
    }
}
