//! Answers to the IQs the session sent: checked against who was asked, then applied.

use std::time::Instant;

use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::StanzaStream;

use super::{IQ_TIMEOUT, Pending, StoreWork, Worker};
use crate::model;
use crate::session::sync::Next;
use crate::session::{Event, guard, translate};

impl Worker {
    pub(super) async fn on_iq_response(
        &mut self,
        stream: &StanzaStream,
        id: String,
        from: Option<Jid>,
        payload: Option<tokio_xmpp::minidom::Element>,
        error: Option<String>,
    ) {
        let Some((_, expected, _)) = self.pending.get(&id) else {
            tracing::debug!("dropped an IQ response nobody asked for");
            return;
        };
        let me = self
            .bound
            .clone()
            .unwrap_or_else(|| Jid::from(self.me.clone()));
        if !guard::iq_response_allowed(&me, expected.as_ref(), from.as_ref()) {
            tracing::warn!("{}", crate::fl!("log-session-iq-dropped"));
            return;
        }
        let Some((kind, _, _)) = self.pending.remove(&id) else {
            return;
        };
        let account = self.me.to_string();
        match kind {
            Pending::Roster => {
                if let Some(e) = error {
                    self.emit(Event::Error {
                        message: crate::fl!("session-error-roster", reason = e.to_string()),
                    })
                    .await;
                    return self.release_early_presence().await;
                }
                let (version, fetched, items) = match translate::roster_result(payload) {
                    Some((ver, items)) => {
                        if let Err(e) = self
                            .store
                            .replace_roster(&account, ver.clone(), items.clone())
                            .await
                        {
                            return self.report_store_error(StoreWork::SaveRoster, e).await;
                        }
                        (ver, true, items)
                    }
                    // XEP-0237: the stored roster is current.
                    None => match self.store.roster(&account).await {
                        Ok((ver, items)) => (ver, false, items),
                        Err(e) => {
                            return self.report_store_error(StoreWork::ReadRoster, e).await;
                        }
                    },
                };
                self.emit(Event::RosterSync { version, fetched }).await;
                self.roster = items.iter().map(|i| (i.jid.clone(), i.clone())).collect();
                self.emit(Event::Roster(items)).await;
                self.release_early_presence().await;
            }
            Pending::Carbons => self.carbons = error.is_none(),
            Pending::Disco => {
                for feature in translate::disco_features(payload) {
                    if !self.features.disco.contains(&feature) {
                        self.features.disco.push(feature);
                    }
                }
                self.disco_waiting = self.disco_waiting.saturating_sub(1);
                if self.disco_waiting == 0 {
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
                    self.emit(Event::Features(self.features.clone())).await;
                }
            }
            Pending::Mam => {
                let Some(c) = self.catchup.as_mut() else {
                    return;
                };
                let next = match (error, translate::mam_fin(payload)) {
                    (None, Some((complete, last))) => c.on_fin(complete, last),
                    (None, None) => Next::Done,
                    (Some(e), _) => {
                        tracing::info!("archive query failed: {e}");
                        c.on_error()
                    }
                };
                match next {
                    Next::Page(stanza) => {
                        let iq_id = c.iq_id.clone();
                        self.pending
                            .insert(iq_id, (Pending::Mam, None, Instant::now()));
                        self.send(stream, *stanza).await;
                    }
                    Next::Done => self.finish_catchup(stream, false).await,
                }
            }
            Pending::LastActivity(jid) => {
                let (last_seen, status) = match translate::last_activity(payload) {
                    Some((secs, status)) if error.is_none() => (
                        Some(model::now_millis() - (secs.min(1 << 40) as i64) * 1000),
                        status,
                    ),
                    _ => (None, None),
                };
                self.emit(Event::LastActivity {
                    jid,
                    last_seen,
                    status,
                })
                .await;
            }
            Pending::RosterSet(jid) => {
                if let Some(e) = error {
                    self.emit(Event::Error {
                        message: crate::fl!(
                            "session-error-roster-change",
                            jid = jid.as_str(),
                            reason = e.to_string()
                        ),
                    })
                    .await;
                }
            }
        }
    }

    pub(super) async fn expire_iqs(&mut self, stream: &StanzaStream) {
        let expired: Vec<String> = self
            .pending
            .iter()
            .filter(|(_, (_, _, at))| at.elapsed() > IQ_TIMEOUT)
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            if let Some((kind, _, _)) = self.pending.remove(&id) {
                tracing::info!("no answer to {kind:?} within {IQ_TIMEOUT:?}");
                match kind {
                    Pending::Mam => self.finish_catchup(stream, true).await,
                    Pending::LastActivity(jid) => {
                        self.emit(Event::LastActivity {
                            jid,
                            last_seen: None,
                            status: None,
                        })
                        .await;
                    }
                    _ => {}
                }
            }
        }
    }
}
