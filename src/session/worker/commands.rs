//! Commands from the window, the command line or a script, turned into stanzas and store
//! writes.

use tokio_xmpp::jid::Jid;
use tokio_xmpp::stanzastream::StanzaStream;
use xmpp_parsers::presence;

use std::time::Instant;

use super::{Pending, StoreWork, Worker};
use crate::model::{self, ChatMessage, Delivery, RequestState, Show};
use crate::session::{Command, Event, translate};

impl Worker {
    pub(super) async fn on_command(&mut self, stream: &StanzaStream, cmd: Command) {
        let account = self.me.to_string();
        match cmd {
            Command::Send { to, body, id } => {
                let peer = match model::bare_jid(&to) {
                    Ok(p) => p.to_string(),
                    Err(e) => {
                        return self
                            .emit(Event::Error {
                                message: e.to_string(),
                            })
                            .await;
                    }
                };
                if body.trim().is_empty() {
                    return self
                        .emit(Event::Error {
                            message: crate::fl!("session-error-empty-message"),
                        })
                        .await;
                }
                let msg = ChatMessage::outbound(
                    account.clone(),
                    peer,
                    body,
                    id.clone(),
                    model::now_millis(),
                );
                // Outbox first: on disk before it goes on the wire.
                let stored = match self.store.queue_outbound(msg).await {
                    Ok(m) => m,
                    Err(e) => return self.report_store_error(StoreWork::SaveMessage, e).await,
                };
                self.emit(Event::Messages(vec![stored.clone()])).await;
                if self.online {
                    self.transmit(stream, &stored, id).await;
                }
            }
            Command::SetPresence { show, status } => {
                let show = if show == Show::Unavailable {
                    Show::Available
                } else {
                    show
                };
                if let Err(e) = self
                    .store
                    .set_last_presence(&account, show, status.clone())
                    .await
                {
                    self.report_store_error(StoreWork::SaveStatus, e).await;
                }
                self.account.last_show = show;
                self.account.last_status = status.clone();
                self.next_presence.set(show, &status);
                if self.online {
                    self.send(stream, translate::own_presence(show, &status, None))
                        .await;
                }
            }
            Command::Add {
                jid,
                name,
                groups,
                message,
            } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.roster_set(stream, &jid, name.as_deref(), &groups, false)
                    .await;
                self.presence_to(stream, &jid, presence::Type::Subscribe, message.as_deref())
                    .await;
                // The person chose this contact: pre-approve their request (RFC 6121 §3.4).
                if self.features.pre_approval {
                    self.presence_to(stream, &jid, presence::Type::Subscribed, None)
                        .await;
                }
            }
            Command::Update { jid, name, groups } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.roster_set(stream, &jid, name.as_deref(), &groups, false)
                    .await;
            }
            Command::Remove { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.roster_set(stream, &jid, None, &[], true).await;
            }
            Command::Accept { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.presence_to(stream, &jid, presence::Type::Subscribed, None)
                    .await;
                self.answer(&jid, RequestState::Accepted).await;
            }
            Command::Deny { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.presence_to(stream, &jid, presence::Type::Unsubscribed, None)
                    .await;
                self.answer(&jid, RequestState::Denied).await;
            }
            Command::Subscribe { jid, message } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.presence_to(stream, &jid, presence::Type::Subscribe, message.as_deref())
                    .await;
            }
            Command::Unsubscribe { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.presence_to(stream, &jid, presence::Type::Unsubscribe, None)
                    .await;
            }
            Command::Revoke { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.presence_to(stream, &jid, presence::Type::Unsubscribed, None)
                    .await;
                self.answer(&jid, RequestState::Denied).await;
            }
            Command::ChatState { to, state } => {
                if self.online
                    && let Some(s) = translate::chat_state_message(&to, state)
                {
                    self.send(stream, s).await;
                }
            }
            Command::QueryLastActivity { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                let id = crate::session::new_id();
                if let Some(s) = translate::last_activity_query(&id, &jid) {
                    let to = Jid::new(&jid).ok();
                    self.iq(stream, id, Pending::LastActivity(jid), to, s).await;
                }
            }
            Command::RefreshRoster => {
                let id = crate::session::new_id();
                self.iq(
                    stream,
                    id.clone(),
                    Pending::Roster,
                    None,
                    translate::roster_get(&id, None),
                )
                .await;
            }
            Command::Retry { id } => match self.store.requeue(&account, &id).await {
                Ok(Some(msg)) => {
                    self.emit(Event::Delivery {
                        id: id.clone(),
                        state: Delivery::Queued,
                    })
                    .await;
                    if self.online {
                        self.transmit(stream, &msg, id).await;
                    }
                }
                Ok(None) => {}
                Err(e) => self.report_store_error(StoreWork::Retry, e).await,
            },
            Command::Block { jid } => {
                let Some(jid) = self.valid(&jid).await else {
                    return;
                };
                self.presence_to(stream, &jid, presence::Type::Unsubscribed, None)
                    .await;
                self.answer(&jid, RequestState::Denied).await;
                let id = crate::session::new_id();
                if let Some(s) = translate::block(&id, &jid) {
                    self.iq(stream, id, Pending::RosterSet(jid), None, s).await;
                }
            }
            Command::RetryNow | Command::Quit => {}
        }
    }

    async fn valid(&self, jid: &str) -> Option<String> {
        match model::bare_jid(jid) {
            Ok(j) => Some(j.to_string()),
            Err(e) => {
                self.emit(Event::Error {
                    message: e.to_string(),
                })
                .await;
                None
            }
        }
    }

    async fn roster_set(
        &mut self,
        stream: &StanzaStream,
        jid: &str,
        name: Option<&str>,
        groups: &[String],
        remove: bool,
    ) {
        let id = crate::session::new_id();
        if let Some(s) = translate::roster_set(&id, jid, name, groups, remove) {
            self.iq(stream, id, Pending::RosterSet(jid.to_owned()), None, s)
                .await;
        }
    }

    async fn presence_to(
        &self,
        stream: &StanzaStream,
        jid: &str,
        kind: presence::Type,
        message: Option<&str>,
    ) {
        if let Some(s) = translate::subscription(jid, kind, message) {
            self.send(stream, s).await;
        }
    }

    pub(super) async fn answer(&mut self, jid: &str, state: RequestState) {
        self.answered.insert(jid.to_owned(), Instant::now());
        if let Err(e) = self
            .store
            .set_request_state(&self.me.to_string(), jid, state)
            .await
        {
            self.report_store_error(StoreWork::SaveAnswer, e).await;
        }
    }
}
