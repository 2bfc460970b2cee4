//! The IQs the session sent, and their answers: checked against who was asked, then applied.

use std::collections::HashMap;
use std::time::Instant;

use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::minidom::Element;

use super::StoreOp;
use super::inbox::CatchupEnd;
use super::store_ops::RosterRead;
use super::{Core, IQ_TIMEOUT};
use crate::model::RosterItem;
use crate::session::sync::Next;
use crate::session::{Event, guard, translate};

/// How long after the roster could not be had it is asked again.
const ROSTER_RETRY: std::time::Duration = std::time::Duration::from_secs(30);

/// What an IQ we sent was for.
#[derive(Debug)]
pub(super) enum Pending {
    Roster,
    Carbons,
    Disco,
    Mam,
    /// Earlier history on demand, by its archive query id.
    MamOlder(String),
    LastActivity(BareJid),
    RosterSet(BareJid),
}

/// The IQs waiting for an answer: what each was for, whom it went to, and when.
#[derive(Debug, Default)]
pub(super) struct Iqs {
    pending: HashMap<String, (Pending, Option<Jid>, Instant)>,
    /// disco#info answers still to come before the server's features are announced.
    disco_waiting: u8,
}

impl Iqs {
    /// A new stream: answers to the old one's IQs will not come.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// The IQs that went unanswered for too long, no longer waited for.
    fn expired(&mut self, now: Instant) -> Vec<Pending> {
        let ids: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, (_, _, at))| now.duration_since(*at) > IQ_TIMEOUT)
            .map(|(id, _)| id.clone())
            .collect();
        ids.iter()
            .filter_map(|id| self.pending.remove(id).map(|(kind, _, _)| kind))
            .collect()
    }
}

impl Core {
    /// Sends an IQ and waits for its answer from `to` (`None`: the account's server).
    pub(super) fn iq(&mut self, id: String, kind: Pending, to: Option<Jid>, stanza: Stanza) {
        self.iqs.pending.insert(id, (kind, to, self.now.at));
        self.send(stanza);
    }

    /// Asks the server's and the account's features (disco#info): announced once both answered.
    pub(super) fn ask_features(&mut self) {
        // Server features come from the domain's disco#info, archive support from the
        // account's own (XEP-0313 §7).
        self.features.disco.clear();
        self.iqs.disco_waiting = 2;
        for to in [
            Jid::from(self.me.domain().to_owned()),
            Jid::from(self.me.clone()),
        ] {
            let id = self.new_id();
            let expected = Some(to.clone()).filter(|t| t.node().is_none());
            let stanza = translate::disco_info(&id, to);
            self.iq(id, Pending::Disco, expected, stanza);
        }
    }

    pub(super) fn on_iq_response(
        &mut self,
        id: String,
        from: Option<Jid>,
        payload: Option<Element>,
        error: Option<String>,
    ) {
        let Some((_, expected, _)) = self.iqs.pending.get(&id) else {
            tracing::debug!("dropped an IQ response nobody asked for");
            return;
        };
        let me = self
            .link
            .bound()
            .map(|b| b.jid.clone())
            .unwrap_or_else(|| Jid::from(self.me.clone()));
        if !guard::iq_response_allowed(&me, expected.as_ref(), from.as_ref()) {
            tracing::warn!("{}", crate::fl!("log-session-iq-dropped"));
            return;
        }
        let Some((kind, _, _)) = self.iqs.pending.remove(&id) else {
            return;
        };
        match kind {
            Pending::Roster => self.on_roster_result(payload, error),
            Pending::Carbons => self.link.set_carbons(error.is_none()),
            Pending::Disco => self.on_disco_result(payload),
            Pending::Mam => self.on_archive_page_end(payload, error),
            Pending::MamOlder(queryid) => self.on_older_page_end(queryid, payload, error),
            Pending::LastActivity(jid) => {
                let (last_seen, status) = match translate::last_activity(payload) {
                    Some((secs, status)) if error.is_none() => (
                        Some(self.now.wall - (secs.min(1 << 40) as i64) * 1000),
                        status,
                    ),
                    _ => (None, None),
                };
                self.emit(Event::LastActivity {
                    jid,
                    last_seen,
                    status,
                });
            }
            Pending::RosterSet(jid) => {
                if let Some(e) = error {
                    self.emit(Event::Error {
                        message: crate::fl!(
                            "session-error-roster-change",
                            jid = jid.as_str(),
                            reason = e.to_string()
                        ),
                    });
                }
            }
        }
    }

    fn on_roster_result(&mut self, payload: Option<Element>, error: Option<String>) {
        if let Some(e) = error {
            return self.roster_failed(crate::fl!("session-error-roster", reason = e));
        }
        match translate::roster_result(payload) {
            Some((version, items)) => self.store(StoreOp::ReplaceRoster { version, items }),
            // XEP-0237: the stored roster is current.
            None => self.store(StoreOp::ReadRoster {
                purpose: RosterRead::Current,
            }),
        }
    }

    /// The roster could not be had (refused, unanswered, not saved): the person is told, the
    /// presence held for it is shown as the stored roster has it, and the server is asked again
    /// after a pause.
    pub(super) fn roster_failed(&mut self, problem: String) {
        tracing::warn!("roster: {problem}");
        self.contacts.roster_retry = Some(self.now.at + ROSTER_RETRY);
        self.emit(Event::Error {
            message: crate::fl!(
                "session-error-roster-retry",
                problem = problem,
                seconds = ROSTER_RETRY.as_secs()
            ),
        });
        self.release_early_presence();
    }

    /// The roster asked again, when a failure made it due.
    pub(super) fn retry_roster(&mut self) {
        let due = self
            .contacts
            .roster_retry
            .is_some_and(|at| self.now.at >= at);
        if due && self.link.online() {
            self.contacts.roster_retry = None;
            let id = self.new_id();
            let stanza = translate::roster_get(&id, None);
            self.iq(id, Pending::Roster, None, stanza);
        }
    }

    /// The roster is known (`fetched`: the server sent it): announce it, then the presence
    /// that waited for it.
    pub(super) fn roster_known(
        &mut self,
        version: Option<String>,
        fetched: bool,
        items: Vec<RosterItem>,
    ) {
        self.emit(Event::RosterSync { version, fetched });
        self.contacts.replace(&items);
        self.emit(Event::Roster(items));
        self.release_early_presence();
    }

    fn on_disco_result(&mut self, payload: Option<Element>) {
        for feature in translate::disco_features(payload) {
            if !self.features.disco.contains(&feature) {
                self.features.disco.push(feature);
            }
        }
        self.iqs.disco_waiting = self.iqs.disco_waiting.saturating_sub(1);
        if self.iqs.disco_waiting > 0 {
            return;
        }
        self.features.disco.sort();
        let has = |f: &str| self.features.disco.iter().any(|d| d == f);
        let (carbons, mam, blocking) = (
            has("urn:xmpp:carbons:2"),
            has("urn:xmpp:mam:2"),
            has("urn:xmpp:blocking"),
        );
        let (last_activity, ping) = (has("jabber:iq:last"), has("urn:xmpp:ping"));
        let f = &mut self.features;
        (f.carbons, f.mam, f.blocking, f.last_activity, f.ping) =
            (carbons, mam, blocking, last_activity, ping);
        self.emit(Event::Features(self.features.clone()));
    }

    /// An archive page ended: ask for the next one, or finish.
    fn on_archive_page_end(&mut self, payload: Option<Element>, error: Option<String>) {
        let mut ids = self.ids.clone();
        let Some(c) = self.inbox.catchup.as_mut() else {
            return;
        };
        let mut new_id = || ids.next();
        let next = match (error, translate::mam_fin(payload)) {
            (None, Some(end)) => c.on_fin(end, &mut new_id),
            (None, None) => Next::Done,
            (Some(e), _) => {
                tracing::info!("archive query failed: {e}");
                c.on_error(&mut new_id)
            }
        };
        self.ids = ids;
        let (pages, new_messages, backward) = (c.pages, c.new_messages, c.backward());
        match next {
            Next::Page(stanza) => {
                let iq_id = c.iq_id.clone();
                self.emit(Event::CatchupProgress {
                    pages: pages - 1,
                    new_messages,
                });
                if backward {
                    // The next page is older: its messages are placed before this one's.
                    self.inbox.timeline.older_page();
                }
                self.iq(iq_id, Pending::Mam, None, *stanza);
            }
            Next::Done => self.finish_catchup(CatchupEnd::Complete),
            Next::Failed => self.finish_catchup(CatchupEnd::Failed),
        }
    }

    /// The IQs that went unanswered for too long count as failed, one after the other.
    pub(super) fn expire_iqs(&mut self) {
        let expired = self.iqs.expired(self.now.at);
        self.then(expired.into_iter().map(super::Work::Expired));
    }

    pub(super) fn on_expired(&mut self, kind: Pending) {
        tracing::info!("no answer to {kind:?} within {IQ_TIMEOUT:?}");
        match kind {
            Pending::Mam => self.finish_catchup(CatchupEnd::Failed),
            Pending::MamOlder(queryid) => {
                self.on_older_page_end(queryid, None, Some("no answer".into()))
            }
            Pending::LastActivity(jid) => self.emit(Event::LastActivity {
                jid,
                last_seen: None,
                status: None,
            }),
            Pending::Roster => self.roster_failed(crate::fl!(
                "session-error-roster",
                reason = crate::fl!("session-roster-no-answer")
            )),
            _ => {}
        }
    }
}
