//! Screen actions turned into session commands and store reads.

use iced::Task;

use super::{App, Message, PAGE, Pane, events, view};
use crate::model::Show;
use crate::screen::{chat, contact, login, requests, settings, status};
use crate::session::{self, Command};
use crate::store::Preference;

impl App {
    pub(super) fn on_login(&mut self, m: login::Message) -> Task<Message> {
        match self.login.update(m) {
            login::Action::None => Task::none(),
            login::Action::Test(account, password) => {
                self.login.set_testing();
                Task::perform(events::test_connection(account, password), Message::Tested)
            }
            login::Action::SignIn {
                account,
                password,
                remember,
            } => {
                self.login.set_signing_in();
                let Some(store) = self.store.clone() else {
                    return Task::none();
                };
                let save = {
                    let (account, password) = (account.clone(), password.clone());
                    async move { events::save_login(store, account, password, remember).await }
                };
                self.start_session(account, password, None);
                Task::batch([
                    Task::perform(save, |r| r.map_or_else(Message::Failed, |()| Message::Noop)),
                    self.open_pending_link(),
                ])
            }
        }
    }

    /// The details pane of the open conversation's contact.
    fn show_details(&mut self) -> Task<Message> {
        let jid = self.chat.as_ref().map(|c| c.peer().to_owned());
        if let Some(item) = jid.and_then(|j| self.roster.item(&j).cloned()) {
            let jid = item.jid.clone();
            self.contact = Some(contact::State::new(item));
            self.leave_chat(Pane::Contact);
            // Offline contacts: ask the server when they were last seen (XEP-0012).
            if self.roster.show_of(&jid) == Show::Unavailable && self.handle.is_some() {
                self.command(Command::QueryLastActivity { jid });
            }
        }
        Task::none()
    }

    pub(super) fn on_chat(&mut self, m: chat::Message) -> Task<Message> {
        let Some(chat) = self.chat.as_mut() else {
            return Task::none();
        };
        let peer = chat.peer().to_owned();
        match chat.update(m) {
            chat::Action::None => Task::none(),
            chat::Action::Send { to, body } => {
                if self.handle.is_some() {
                    self.command(Command::Send {
                        to,
                        body,
                        id: session::new_id(),
                    });
                    Task::none()
                } else {
                    // No session (signed out or stopped): the message waits in the outbox
                    // and goes out with the next sign-in.
                    let Some(store) = self.store.clone() else {
                        return Task::none();
                    };
                    let msg = events::outbound(self.account_jid(), to, body);
                    Task::perform(async move { store.queue_outbound(msg).await }, |r| {
                        r.map_or_else(|e| Message::Failed(e.to_string()), Message::Queued)
                    })
                }
            }
            chat::Action::LoadOlder { peer, before } => self.load_history(peer, Some(before)),
            chat::Action::Search { peer, text } => {
                let Some(store) = self.store.clone() else {
                    return Task::none();
                };
                let account = self.account_jid();
                Task::perform(
                    async move {
                        let r = store.search(&account, Some(&peer), &text, 100).await;
                        (peer, r)
                    },
                    |(peer, r)| {
                        r.map_or_else(
                            |e| Message::Failed(e.to_string()),
                            |results| Message::Found { peer, results },
                        )
                    },
                )
            }
            chat::Action::ChatState(state) => {
                if self.handle.is_some() {
                    self.command(Command::ChatState { to: peer, state });
                }
                Task::none()
            }
            chat::Action::Retry { id } => {
                self.command(Command::Retry { id });
                Task::none()
            }
            chat::Action::Details => self.show_details(),
            chat::Action::OpenLink(url) => Task::perform(events::open_link(url), |r| {
                r.map_or_else(Message::Failed, |()| Message::Noop)
            }),
        }
    }

    pub(super) fn on_requests(&mut self, m: requests::Message) -> Task<Message> {
        match self.requests.update(m) {
            requests::Action::None => {}
            requests::Action::Approve { jid, add } => {
                self.command(Command::Accept { jid: jid.clone() });
                if add
                    && self
                        .roster
                        .item(&jid)
                        .is_none_or(|i| !i.subscription.sees_them())
                {
                    self.command(Command::Add {
                        jid: jid.clone(),
                        name: None,
                        groups: vec![],
                        message: None,
                    });
                }
                self.requests.resolve(&jid);
            }
            requests::Action::Deny(jid) => {
                self.command(Command::Deny { jid: jid.clone() });
                self.requests.resolve(&jid);
            }
            requests::Action::Block(jid) => {
                self.command(Command::Block { jid: jid.clone() });
                self.requests.resolve(&jid);
            }
            requests::Action::Revoke(jid) => self.command(Command::Revoke { jid }),
            requests::Action::CancelRequest(jid) => self.command(Command::Unsubscribe { jid }),
        }
        Task::none()
    }

    pub(super) fn on_contact(&mut self, m: contact::Message) -> Task<Message> {
        let Some(details) = self.contact.as_mut() else {
            return Task::none();
        };
        match details.update(m) {
            contact::Action::None => {}
            contact::Action::Save { jid, name, groups } => {
                self.command(Command::Update { jid, name, groups })
            }
            contact::Action::Subscribe(jid) => {
                self.command(Command::Subscribe { jid, message: None })
            }
            contact::Action::Unsubscribe(jid) => self.command(Command::Unsubscribe { jid }),
            contact::Action::Revoke(jid) => self.command(Command::Revoke { jid }),
            contact::Action::Remove(jid) => {
                self.command(Command::Remove { jid });
                self.contact = None;
                self.pane = Pane::Chat;
            }
            contact::Action::Close => self.pane = Pane::Chat,
        }
        Task::none()
    }

    pub(super) fn on_status(&mut self, m: status::Message) -> Task<Message> {
        match self.status.update(m) {
            status::Action::None => Task::none(),
            status::Action::Set { show, status } => {
                self.auto_away = None;
                self.command(Command::SetPresence { show, status });
                let Some(store) = self.store.clone() else {
                    return Task::none();
                };
                let recent = self.status.recent().to_vec();
                Task::perform(events::save(store, Preference::RecentStatus(recent)), |r| {
                    r.map_or_else(Message::Failed, |()| Message::Noop)
                })
            }
        }
    }

    pub(super) fn on_settings(&mut self, m: settings::Message) -> Task<Message> {
        let remember = match self.settings.update(m) {
            settings::Action::None => return Task::none(),
            settings::Action::Close => {
                self.pane = Pane::Chat;
                return Task::none();
            }
            settings::Action::Language(language) => {
                crate::i18n::init(language.as_deref());
                // Texts made before the switch.
                self.refresh_presence_line();
                Preference::Language(language)
            }
            settings::Action::AutoAway { away, xa } => Preference::AutoAway { away, xa },
        };
        match self.store.clone() {
            Some(store) => Task::perform(events::save(store, remember), |r| {
                r.map_or_else(Message::Failed, |()| Message::Noop)
            }),
            None => Task::none(),
        }
    }
}

/// The session and the open conversation, as the screens use them.
impl App {
    /// Sends a command to the session; says so when there is none.
    pub(super) fn command(&mut self, cmd: Command) {
        match &self.handle {
            Some(h) => {
                if let Err(e) = h.send(cmd) {
                    self.error = Some(crate::fl!("app-error-session", reason = e.to_string()));
                }
            }
            None => self.error = Some(crate::fl!("app-error-offline")),
        }
    }

    /// Shows `pane` in place of the conversation, which keeps its newest page loaded.
    pub(super) fn leave_chat(&mut self, pane: Pane) {
        if let Some(chat) = self.chat.as_mut() {
            chat.forget_older(PAGE);
        }
        self.pane = pane;
    }

    /// Opens the conversation with `jid` and loads its newest page.
    pub(super) fn open(&mut self, jid: String) -> Task<Message> {
        if self.chat.as_ref().is_some_and(|c| c.peer() == jid) {
            self.pane = Pane::Chat;
            return Task::none();
        }
        let name = self.roster.name_of(&jid);
        self.chat = Some(chat::State::new(jid.clone(), name));
        self.roster.set_selected(Some(jid.clone()));
        self.unread.remove(&jid);
        self.roster.set_unread(&jid, 0);
        self.pane = Pane::Chat;
        self.refresh_presence_line();
        self.load_history(jid, None)
    }

    pub(super) fn load_history(&self, peer: String, before: Option<(i64, i64)>) -> Task<Message> {
        let Some(store) = self.store.clone() else {
            return Task::none();
        };
        let account = self.account_jid();
        Task::perform(
            async move {
                let page = store.history(&account, &peer, before, PAGE).await;
                (peer, page)
            },
            |(peer, page)| match page {
                Ok(page) => Message::History { peer, page },
                Err(e) => Message::Failed(e.to_string()),
            },
        )
    }

    pub(super) fn refresh_presence_line(&mut self) {
        let Some(chat) = self.chat.as_mut() else {
            return;
        };
        let line = view::presence_line(self.roster.presence(chat.peer()));
        chat.set_presence_line(line);
    }
}
