//! Screen actions turned into session commands and store reads.

use iced::Task;

use super::state::{Desk, Screen, Session, SignIn, SignedIn};
use super::{App, Message, PAGE, Pane, io, view};

/// How far Page Up and Page Down move the history, in pixels.
const PAGE_PIXELS: f32 = 400.0;
use crate::model::{Account, BareJid, ChatMessage, Show};
use crate::screen::{chat, contact, login, requests, roster, settings, status};
use crate::session::{self, Command, Credentials, SessionKey};
use crate::store::Preference;

impl App {
    pub(super) fn on_login(&mut self, m: login::Message) -> Task<Message> {
        let form = match &mut self.screen {
            Screen::Booting(booting) => &mut booting.login,
            Screen::SignIn(s) => &mut s.login,
            _ => return Task::none(),
        };
        match form.update(m) {
            login::Action::None => Task::none(),
            login::Action::Test(account, password) => {
                form.set_testing();
                Task::perform(io::test_connection(account, password), Message::Tested)
            }
            login::Action::SignIn {
                account,
                password,
                remember,
            } => {
                form.set_signing_in();
                let Screen::SignIn(signing) = &self.screen else {
                    return Task::none();
                };
                let save = io::save_login(
                    signing.desk.store.clone(),
                    account.clone(),
                    password.clone(),
                    remember,
                );
                let open = self.start_session(account, password, None);
                Task::batch([Task::perform(save, Message::done), open])
            }
        }
    }

    /// Starts the session with these credentials: the sign-in form (or the boot) becomes the
    /// signed-in window, and a link that waited for it opens.
    pub(super) fn start_session(
        &mut self,
        account: Account,
        password: String,
        early: Option<session::Early>,
    ) -> Task<Message> {
        let signing = match self.screen.take() {
            Screen::SignIn(signing) => signing,
            // A session starts from the sign-in form only.
            other => {
                self.screen = other;
                return Task::none();
            }
        };
        let SignIn {
            mut desk,
            login,
            link,
        } = *signing;
        self.generation = self.generation.next();
        desk.status.set_account(account.jid.to_string());
        let key = SessionKey {
            credentials: Credentials { account, password },
            store: desk.store.clone(),
            generation: self.generation,
            early,
        };
        let session = Session {
            key,
            handle: None,
            catching_up: None,
            connection: super::Connection::Connecting,
            auto_away: None,
        };
        let mut signed = Box::new(SignedIn {
            desk,
            session,
            login,
        });
        let open = match link {
            Some(link) => signed.open_link(link),
            None => Task::none(),
        };
        self.screen = Screen::SignedIn(signed);
        open
    }

    pub(super) fn on_roster(&mut self, m: roster::Message) -> Task<Message> {
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        let closes = matches!(m, roster::Message::CancelAdd);
        match signed.desk.roster.update(m) {
            roster::Action::None if closes => self.give_focus_back(),
            roster::Action::None => Task::none(),
            roster::Action::Open(jid) => signed.open(jid),
            roster::Action::Reveal(y) => iced::widget::operation::scroll_to(
                roster::LIST,
                iced::widget::scrollable::AbsoluteOffset {
                    x: None,
                    y: Some(y),
                },
            ),
            roster::Action::ShowOffline(show) => {
                let save = io::save(signed.desk.store.clone(), Preference::ShowOffline(show));
                Task::perform(save, Message::done)
            }
            roster::Action::Add {
                jid,
                name,
                groups,
                message,
                share_presence,
            } => {
                signed.command(Command::Add {
                    jid,
                    name,
                    groups,
                    message,
                    share_presence,
                });
                self.give_focus_back()
            }
        }
    }

    pub(super) fn on_chat(&mut self, m: chat::Message) -> Task<Message> {
        let m = match self.redirect_composer(m) {
            Ok(task) => return task,
            Err(m) => m,
        };
        let closes = matches!(m, chat::Message::SearchClose);
        // Enter in the picker's search reacted and closed it: the keyboard back in the composer.
        let picked = matches!(m, chat::Message::Selection(chat::Selection::PickEmoji));
        let task = match self.screen.signed_in_mut() {
            Some(signed) => signed.on_chat(m),
            None => Task::none(),
        };
        if closes {
            return Task::batch([task, self.give_focus_back()]);
        }
        if picked {
            return Task::batch([task, iced::widget::operation::focus(chat::composer_id())]);
        }
        task
    }

    pub(super) fn on_requests(&mut self, m: requests::Message) -> Task<Message> {
        if let Some(signed) = self.screen.signed_in_mut() {
            signed.on_requests(m);
        }
        Task::none()
    }

    pub(super) fn on_contact(&mut self, m: contact::Message) -> Task<Message> {
        match self.screen.signed_in_mut() {
            Some(signed) => signed.on_contact(m),
            None => Task::none(),
        }
    }

    pub(super) fn on_status(&mut self, m: status::Message) -> Task<Message> {
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        match signed.desk.status.update(m) {
            status::Action::None => Task::none(),
            status::Action::Set { show, status } => {
                signed.session.auto_away = None;
                signed.command(Command::SetPresence { show, status });
                let recent = signed.desk.status.recent().to_vec();
                let save = io::save(signed.desk.store.clone(), Preference::RecentStatus(recent));
                Task::perform(save, Message::done)
            }
        }
    }

    pub(super) fn on_settings(&mut self, m: settings::Message) -> Task<Message> {
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        let choice = match signed.desk.settings.update(m) {
            settings::Action::None => return Task::none(),
            settings::Action::Close => {
                signed.desk.pane = Pane::Chat;
                return signed.focus_composer();
            }
            settings::Action::Language(language) => {
                crate::i18n::init(language.as_deref());
                // Texts made before the switch.
                signed.refresh_presence_line();
                Preference::Language(language)
            }
            settings::Action::AutoAway { away, xa } => Preference::AutoAway { away, xa },
        };
        Task::perform(io::save(signed.desk.store.clone(), choice), Message::done)
    }

    pub(super) fn on_history(&mut self, peer: &BareJid, page: Vec<ChatMessage>) -> Task<Message> {
        if let Some(chat) = self.open_chat(peer) {
            chat.prepend_page(page, PAGE);
            // The selection went up past the oldest message: on into the page.
            if let Some(id) = chat.after_page() {
                return chat::reveal(id);
            }
        }
        Task::none()
    }

    pub(super) fn on_found(&mut self, peer: &BareJid, results: Vec<ChatMessage>) -> Task<Message> {
        if let Some(chat) = self.open_chat(peer) {
            chat.set_search_results(results);
        }
        Task::none()
    }

    pub(super) fn on_queued(&mut self, msg: ChatMessage) -> Task<Message> {
        if let Some(chat) = self.open_chat(&msg.peer.clone()) {
            chat.push(vec![msg]);
        }
        Task::none()
    }

    /// A message the composer sent could not be queued: it keeps its text and says why.
    pub(super) fn on_not_queued(&mut self, id: &str, error: super::AppError) -> Task<Message> {
        let reason = error.words();
        let kept = match self.screen.signed_in_mut() {
            Some(signed) => signed
                .desk
                .chat
                .as_mut()
                .is_some_and(|chat| chat.not_sent(id, &reason)),
            None => false,
        };
        if kept {
            Task::none()
        } else {
            self.show_error(error)
        }
    }

    pub(super) fn on_tested(&mut self, result: login::TestResult) -> Task<Message> {
        match &mut self.screen {
            Screen::Booting(booting) => booting.login.set_test_result(result),
            Screen::SignIn(s) => s.login.set_test_result(result),
            Screen::SignedIn(s) | Screen::Quitting(s) => s.login.set_test_result(result),
            Screen::Fatal(_) => {}
        }
        Task::none()
    }

    /// The conversation with `peer`, when it is the one open.
    fn open_chat(&mut self, peer: &BareJid) -> Option<&mut chat::State> {
        let desk = self.screen.desk_mut()?;
        desk.chat.as_mut().filter(|c| c.peer() == peer)
    }

    /// Shows `pane` in place of the conversation.
    pub(super) fn show_pane(&mut self, pane: Pane) -> Task<Message> {
        if let Some(desk) = self.screen.desk_mut() {
            desk.leave_chat(pane);
        }
        Task::none()
    }

    /// Opens the conversation with `jid`, once signed in.
    pub(super) fn open(&mut self, jid: BareJid) -> Task<Message> {
        match self.screen.signed_in_mut() {
            Some(signed) => signed.open(jid),
            None => Task::none(),
        }
    }

    /// Sends a command to the session; says so when there is none.
    pub(super) fn command(&mut self, cmd: Command) {
        match self.screen.signed_in_mut() {
            Some(signed) => signed.command(cmd),
            None => {
                let _ = self.show_error(super::AppError::Offline);
            }
        }
    }
}

/// The signed-in window's own actions.
impl SignedIn {
    fn on_chat(&mut self, m: chat::Message) -> Task<Message> {
        let Some(chat) = self.desk.chat.as_mut() else {
            return Task::none();
        };
        let peer = chat.peer().to_owned();
        match chat.update(m) {
            chat::Action::None => Task::none(),
            chat::Action::Send { to, body, reply_to } => {
                let cleared = self.keep_draft(to.clone(), String::new());
                Task::batch([self.send(to, body, reply_to), cleared])
            }
            chat::Action::Correct { id, body } => {
                self.command(Command::Correct { id, body });
                Task::none()
            }
            chat::Action::Retract { id } => {
                self.command(Command::Retract { id });
                Task::none()
            }
            chat::Action::React { id, emoji } => {
                self.command(Command::React { id, emoji });
                Task::none()
            }
            chat::Action::LoadOlder { peer, before } => self.load_history(peer, Some(before)),
            chat::Action::Search { peer, text } => self.search(peer, text),
            chat::Action::FetchOlder { peer } => {
                if self.session.handle.is_some() {
                    self.command(Command::FetchOlder { peer });
                    return Task::none();
                }
                // Without a session the archive cannot be asked: the next scroll tries.
                self.older_history(&peer, false)
            }
            // Typing started or paused: a moment to write the draft down as well.
            chat::Action::ChatState(state) => {
                if self.session.handle.is_some() {
                    self.command(Command::ChatState { to: peer, state });
                }
                self.keep_open_draft()
            }
            chat::Action::Retry { id } => {
                self.command(Command::Retry { id });
                Task::none()
            }
            chat::Action::Details => self.show_details(),
            chat::Action::OpenLink(url) => Task::perform(io::open_link(url), Message::done),
            chat::Action::LoadVersions { local_id } => self.load_versions(peer, local_id),
            chat::Action::FindQuoted {
                peer,
                id,
                reply,
                before,
            } => self.find_quoted(peer, id, reply, before),
            chat::Action::Reveal(local_id) => chat::reveal(local_id),
            chat::Action::Copy(text) => iced::clipboard::write(text),
            // Taken by the app before it reaches here (`redirect_composer`).
            chat::Action::Shortcut(..) => Task::none(),
            chat::Action::Scroll(down) => {
                // The history is anchored to the bottom: its offsets count from there.
                let page = if down { -PAGE_PIXELS } else { PAGE_PIXELS };
                iced::widget::operation::scroll_by(
                    chat::history_id(),
                    iced::widget::scrollable::AbsoluteOffset { x: 0.0, y: page },
                )
            }
        }
    }

    /// Sends a message, or queues it in the outbox while the session is not there. The
    /// composer keeps its text until the store has the message.
    fn send(
        &mut self,
        to: BareJid,
        body: String,
        reply_to: Option<crate::model::ReplyTo>,
    ) -> Task<Message> {
        self.desk
            .recent
            .insert(to.clone(), crate::model::now_millis());
        if self.session.handle.is_some() {
            let id = session::new_id();
            if let Some(chat) = self.desk.chat.as_mut() {
                chat.sending_as(&id);
            }
            let sent = match &self.session.handle {
                Some(h) => h.send(Command::Send {
                    to,
                    body,
                    id: id.clone(),
                    reply_to,
                }),
                None => Err(session::SendError::Closed),
            };
            if let Err(e) = sent {
                // Not even handed over: the composer keeps it, and says why.
                let reason = super::AppError::Session(e).words();
                if let Some(chat) = self.desk.chat.as_mut() {
                    chat.not_sent(&id, &reason);
                }
            }
            return Task::none();
        }
        // No session (stopped): the message waits in the outbox and goes out with the next
        // sign-in.
        let store = self.desk.store.clone();
        let id = session::new_id();
        let msg = io::outbound(self.session.account_jid(), to, body, id.clone());
        if let Some(chat) = self.desk.chat.as_mut() {
            chat.sending_as(&id);
        }
        Task::perform(async move { store.queue_outbound(msg).await }, move |r| {
            r.map_or_else(
                |e| Message::NotQueued {
                    id: id.clone(),
                    error: e.into(),
                },
                Message::Queued,
            )
        })
    }

    /// The details pane of the open conversation's contact.
    fn show_details(&mut self) -> Task<Message> {
        let jid = self.desk.chat.as_ref().map(|c| c.peer().to_owned());
        if let Some(item) = jid.and_then(|j| self.desk.roster.item(&j).cloned()) {
            let jid = item.jid.clone();
            self.desk.contact = Some(contact::State::new(item));
            self.desk.leave_chat(Pane::Contact);
            // Offline contacts: ask the server when they were last seen (XEP-0012).
            if self.desk.roster.show_of(&jid) == Show::Unavailable && self.session.handle.is_some()
            {
                self.command(Command::QueryLastActivity { jid });
            }
        }
        Task::none()
    }

    fn on_requests(&mut self, m: requests::Message) {
        match self.desk.requests.update(m) {
            requests::Action::None => {}
            requests::Action::Approve { jid, add } => {
                self.command(Command::Accept { jid: jid.clone() });
                let sees_them = self
                    .desk
                    .roster
                    .item(&jid)
                    .is_some_and(|i| i.subscription.sees_them());
                if add && !sees_them {
                    // They see us already: the person just approved them.
                    self.command(Command::Add {
                        jid: jid.clone(),
                        name: None,
                        groups: vec![],
                        message: None,
                        share_presence: true,
                    });
                }
                self.desk.requests.resolve(&jid);
            }
            requests::Action::Deny(jid) => {
                self.command(Command::Deny { jid: jid.clone() });
                self.desk.requests.resolve(&jid);
            }
            requests::Action::Block(jid) => {
                self.command(Command::Block { jid: jid.clone() });
                self.desk.requests.resolve(&jid);
            }
            requests::Action::Revoke(jid) => self.command(Command::Revoke { jid }),
            requests::Action::CancelRequest(jid) => self.command(Command::Unsubscribe { jid }),
        }
    }

    fn on_contact(&mut self, m: contact::Message) -> Task<Message> {
        let Some(details) = self.desk.contact.as_mut() else {
            return Task::none();
        };
        match details.update(m) {
            contact::Action::None => {}
            contact::Action::Write(jid) => return self.open(jid),
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
                self.desk.contact = None;
                self.desk.pane = Pane::Chat;
            }
            contact::Action::Close => {
                self.desk.pane = Pane::Chat;
                return self.focus_composer();
            }
        }
        Task::none()
    }

    /// Sends a command to the session; says so when there is none.
    pub(super) fn command(&mut self, cmd: Command) {
        let sent = match &self.session.handle {
            Some(h) => h.send(cmd).map_err(super::AppError::Session),
            None => Err(super::AppError::Offline),
        };
        if let Err(e) = sent {
            self.desk.error = Some(e);
        }
    }

    /// The archive answered the open conversation's request for earlier messages: what it
    /// had is in the store, and the conversation loads it from there.
    pub(super) fn older_history(&mut self, peer: &BareJid, complete: bool) -> Task<Message> {
        let Some(chat) = self.desk.chat.as_mut().filter(|c| c.peer() == peer) else {
            return Task::none();
        };
        match chat.older_fetched(complete) {
            chat::Action::LoadOlder { peer, before } => self.load_history(peer, Some(before)),
            _ => Task::none(),
        }
    }

    pub(super) fn load_history(&self, peer: BareJid, before: Option<(i64, i64)>) -> Task<Message> {
        let store = self.desk.store.clone();
        let account = self.session.account_jid();
        Task::perform(
            async move {
                let page = store.history(&account, &peer, before, PAGE).await;
                (peer, page)
            },
            |(peer, page)| match page {
                Ok(page) => Message::History { peer, page },
                Err(e) => Message::Failed(e.into()),
            },
        )
    }

    pub(super) fn refresh_presence_line(&mut self) {
        let Some(chat) = self.desk.chat.as_mut() else {
            return;
        };
        let line = view::presence_line(self.desk.roster.presence(chat.peer()));
        chat.set_presence_line(line);
    }
}

impl Desk {
    /// Shows `pane` in place of the conversation, which keeps its newest page loaded.
    pub(super) fn leave_chat(&mut self, pane: Pane) {
        if let Some(chat) = self.chat.as_mut() {
            chat.forget_older(PAGE);
        }
        self.pane = pane;
    }
}
