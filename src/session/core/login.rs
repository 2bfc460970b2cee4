//! What the stream reports about itself (bound afresh, suspended, resumed), and what follows
//! a fresh login: presence, roster, carbons, features, the outbox, the archive catch-up.

use std::time::Duration;

use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::StreamEvent;

use super::StoreOp;
use super::iq::Pending;
use super::link::{Bound, Link};
use super::store_ops::{CatchupStart, OutboxRead, RosterRead};
use super::{Core, Track, Work};
use crate::session::{Event, ServerFeatures, translate};

impl Core {
    pub(super) fn on_stream(&mut self, ev: StreamEvent) {
        match ev {
            StreamEvent::Reset {
                bound_jid,
                features,
                initial_presence_sent,
            } => {
                // Commands that waited for an earlier login wait for this one.
                let deferred = match &mut self.link {
                    Link::SigningIn { deferred, .. } => std::mem::take(deferred),
                    _ => Vec::new(),
                };
                self.link = Link::SigningIn {
                    bound: Bound {
                        jid: bound_jid.clone(),
                        carbons: false,
                    },
                    deferred,
                };
                self.iqs.clear();
                self.inbox.reset();
                self.contacts.early_presence = Some(Vec::new());
                // The login asks for the roster anyway.
                self.contacts.roster_retry = None;
                // Asked on the old session; the askers ask again if they still care.
                self.replies.clear();
                let others: Vec<String> = features.others.iter().map(|e| e.ns()).collect();
                self.features = ServerFeatures {
                    stream_management: features.stream_management.is_some(),
                    roster_versioning: others.iter().any(|n| n == "urn:xmpp:features:rosterver"),
                    pre_approval: others.iter().any(|n| n == "urn:xmpp:features:pre-approval"),
                    ..ServerFeatures::default()
                };
                self.begin_catchup(CatchupStart::Login {
                    bound: bound_jid,
                    presence_sent: initial_presence_sent,
                });
            }
            StreamEvent::Suspended => {
                self.link.suspend();
                self.drops.reason = self
                    .drops
                    .about_to
                    .take()
                    .unwrap_or_else(|| crate::fl!("session-offline-lost"));
                let retry_in = Some(self.drops.pending_wait.take().unwrap_or(Duration::ZERO));
                self.emit(Event::Offline {
                    reason: self.drops.reason.clone(),
                    retry_in,
                });
            }
            StreamEvent::Resumed => {
                if let Link::Suspended(bound) = &self.link {
                    self.link = Link::Online(bound.clone());
                }
                let jid = self
                    .link
                    .bound()
                    .map(|b| b.jid.clone())
                    .unwrap_or_else(|| Jid::from(self.me.clone()));
                self.emit(Event::Online {
                    jid,
                    resumed: true,
                    elapsed_ms: self.elapsed_ms(),
                });
                // The stream resent what it held; what was written while the connection was
                // down never reached it.
                self.store(StoreOp::Outbox {
                    purpose: OutboxRead::Resend,
                });
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
    /// event. Else it is sent here, and the rest waits for its acknowledgement (or, without
    /// stream management, until it is written), for a bounded time.
    pub(super) fn login_sequence(&mut self, bound: Jid, presence_sent: bool) {
        if presence_sent {
            tracing::debug!(
                elapsed_ms = self.elapsed_ms(),
                "bound; initial presence handled"
            );
            self.emit_online(&bound);
            return self.on_login_presence_handled();
        }
        let (show, status) = (self.account.last_show, self.account.last_status.clone());
        let until = self.kept_until();
        self.send_tracked(
            translate::initial_presence(show, &status),
            Track::LoginPresence(until),
        );
        tracing::debug!(
            elapsed_ms = self.elapsed_ms(),
            "bound; initial presence queued"
        );
        self.emit_online(&bound);
    }

    /// The initial presence is through: the rest of the login, then the commands that waited.
    pub(super) fn on_login_presence_handled(&mut self) {
        if !matches!(self.link, Link::SigningIn { .. }) {
            return;
        }
        let deferred = self.link.signed_in();
        self.then(std::iter::once(Work::LoginRest).chain(deferred.into_iter().map(Work::Command)));
    }

    fn emit_online(&mut self, bound: &Jid) {
        self.emit(Event::Online {
            jid: bound.clone(),
            resumed: false,
            elapsed_ms: self.elapsed_ms(),
        });
    }

    fn elapsed_ms(&self) -> u64 {
        self.now
            .at
            .saturating_duration_since(self.attempt_started)
            .as_millis() as u64
    }

    /// The rest of a fresh login, once the initial presence is through: presence with our
    /// capabilities, roster, carbons, server features, the outbox, then archive catch-up.
    pub(super) fn login_rest(&mut self) {
        tracing::debug!(elapsed_ms = self.elapsed_ms(), "initial presence handled");
        let (show, status) = (self.account.last_show, self.account.last_status.clone());
        self.send(translate::own_presence(show, &status, None));
        if self.features.roster_versioning {
            self.store(StoreOp::ReadRoster {
                purpose: RosterRead::Version,
            });
        } else {
            self.login_requests(None);
        }
    }

    /// The login's requests, with the stored roster version when the server has versioning.
    pub(super) fn login_requests(&mut self, roster_version: Option<String>) {
        let id = self.new_id();
        let stanza = translate::roster_get(&id, roster_version);
        self.iq(id, Pending::Roster, None, stanza);
        let id = self.new_id();
        let stanza = translate::carbons_enable(&id);
        self.iq(id, Pending::Carbons, None, stanza);
        self.ask_features();
        self.store(StoreOp::Outbox {
            purpose: OutboxRead::Login,
        });
    }

    /// The presence held until the roster was known.
    pub(super) fn release_early_presence(&mut self) {
        for (from, event) in self.contacts.early_presence.take().unwrap_or_default() {
            if self.known(&from) {
                self.emit(event);
            }
        }
    }
}
