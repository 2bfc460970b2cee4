//! What the stream reports about itself (bound afresh, suspended, resumed), and what follows
//! a fresh login: presence, roster, carbons, features, the outbox, the archive catch-up.

use std::time::Duration;

use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::{StanzaStage, StanzaStream, StreamEvent};

use super::{Pending, StoreWork, Worker, still_tracked, wait_token};
use crate::model::ChatMessage;
use crate::session::{Event, ServerFeatures, translate};

/// How long the rest of a login waits for the initial presence to be handled.
const PRESENCE_FIRST: Duration = Duration::from_secs(2);

impl Worker {
    pub(super) async fn on_stream(&mut self, stream: &StanzaStream, ev: StreamEvent) {
        match ev {
            StreamEvent::Reset {
                bound_jid,
                features,
                initial_presence_sent,
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
                self.login_sequence(stream, bound_jid, initial_presence_sent)
                    .await;
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

    /// After a fresh (not resumed) login, first: initial presence, alone.
    ///
    /// Contacts see us when the server has delivered it, and a server delivers it only after
    /// it has handled everything that came with it: on Prosody, with 2,000 contacts, a roster
    /// request, carbons and disco queries sent right behind it (in the same read), and the
    /// PEP queries that capabilities in it set off (two per contact, for a hash it has not
    /// seen), held our presence back by 0.1–0.2 s (README, Performance). So it goes out
    /// without capabilities, before the roster (RFC 6121 §4.2 says SHOULD after the roster, not
    /// MUST; presence that arrives before the roster is held in `early_presence` and shown
    /// once the roster is known), and the rest waits until the server has handled it
    /// ([`Self::login_rest`]).
    ///
    /// Where the server has stream management, the stream wrote it already, between the bind
    /// and `<enable/>` (`Connection::initial_presence`, vendor/tokio-xmpp): the server's
    /// `<enabled/>` came after it had handled it, and what it sent in answer comes after this
    /// event. Else it is sent here, and the rest waits for its acknowledgement.
    async fn login_sequence(&mut self, stream: &StanzaStream, bound: Jid, presence_sent: bool) {
        self.archive_query = Some(self.begin_catchup().await);
        if presence_sent {
            tracing::debug!(elapsed = ?self.attempt_started.elapsed(), "bound; initial presence handled");
            self.emit_online(&bound).await;
            self.login_rest(stream).await;
            return;
        }
        let (show, status) = (self.account.last_show, self.account.last_status.clone());
        let mut token = self
            .send(stream, translate::initial_presence(show, &status))
            .await;
        tracing::debug!(elapsed = ?self.attempt_started.elapsed(), "bound; initial presence queued");
        // Acknowledged means handled and its answers written: stream management's answer
        // comes behind them. Without it, or if the server is slow, after a bounded wait.
        let until = if self.features.stream_management {
            StanzaStage::Acked
        } else {
            StanzaStage::Sent
        };
        self.login_wait = Some(Box::pin(async move {
            let _ = tokio::time::timeout(PRESENCE_FIRST, token.wait_for(until)).await;
        }));
        self.emit_online(&bound).await;
    }

    async fn emit_online(&self, bound: &Jid) {
        let elapsed_ms = self.attempt_started.elapsed().as_millis() as u64;
        self.emit(Event::Online {
            jid: bound.to_string(),
            resumed: false,
            elapsed_ms,
        })
        .await;
    }

    /// The rest of a fresh login, once the initial presence is through: presence with our
    /// capabilities, roster, carbons, server features, the outbox, then archive catch-up.
    pub(super) async fn login_rest(&mut self, stream: &StanzaStream) {
        tracing::debug!(elapsed = ?self.attempt_started.elapsed(), "initial presence handled");
        let account = self.me.to_string();
        let (show, status) = (self.account.last_show, self.account.last_status.clone());
        self.send(stream, translate::own_presence(show, &status, None))
            .await;
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
        self.resend_outbox(stream).await;
        if let Some(query) = self.archive_query.take() {
            self.ask_archive(stream, query).await;
        }
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
