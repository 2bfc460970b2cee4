//! Session events into screen changes, and into notifications through the [`Notifier`].
//!
//! [`Notifier`]: super::notifier::Notifier

use iced::Task;

use super::notifier::Kind;
use super::state::{Screen, SignIn, SignedIn};
use super::{App, AppError, Connection, Message};
use crate::model::{self, ChatMessage, Direction, ResourcePresence, RosterItem, Show};
use crate::notify::{self, Notice};
use crate::session::{Event, Update};

impl App {
    pub(super) fn on_session(&mut self, update: Update) -> Task<Message> {
        let generation = self.generation;
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        match update {
            Update::Ready(g, handle) if g == generation => {
                signed.session.handle = Some(handle);
                Task::none()
            }
            Update::Event(g, event) if g == generation => self.on_event(event),
            // A stale session's events are dropped.
            Update::Ready(..) | Update::Event(..) => Task::none(),
        }
    }

    fn on_event(&mut self, event: Event) -> Task<Message> {
        let focused = self.focused;
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        match event {
            Event::AuthFailed { reason } => return self.sign_in_again(reason),
            Event::Closed => return self.closed(),
            Event::SubscriptionRequest(req) => {
                if let Some(notice) = signed.on_request(req) {
                    return self.notify(Kind::Request, notice);
                }
            }
            Event::Messages(messages) => {
                if let Some(notice) = signed.on_messages(messages, focused) {
                    return self.notify(Kind::Message, notice);
                }
            }
            Event::OlderHistory { peer, complete } => {
                return signed.older_history(&peer, complete);
            }
            other => signed.on_event(other),
        }
        Task::none()
    }

    /// The server refused the password: the session has stopped, and the form asks again.
    fn sign_in_again(&mut self, reason: String) -> Task<Message> {
        let signed = match self.screen.take() {
            Screen::SignedIn(signed) | Screen::Quitting(signed) => signed,
            other => {
                self.screen = other;
                return Task::none();
            }
        };
        let SignedIn {
            desk,
            session,
            mut login,
        } = *signed;
        login.ask_password_again(&session.account_jid(), reason);
        self.screen = Screen::SignIn(Box::new(SignIn {
            desk,
            login,
            link: None,
        }));
        iced::widget::operation::focus(crate::screen::login::password_id())
    }

    /// The session said goodbye: a closing window closes now.
    fn closed(&mut self) -> Task<Message> {
        match &mut self.screen {
            Screen::Quitting(_) => iced::exit(),
            Screen::SignedIn(signed) => {
                signed.session.handle = None;
                Task::none()
            }
            _ => Task::none(),
        }
    }

    /// Shows `notice` unless the window has the focus or the person chose do-not-disturb, or
    /// holds it while the last one of its kind is recent.
    fn notify(&mut self, kind: Kind, notice: Notice) -> Task<Message> {
        let quiet = self.quiet();
        match self.notifier.offer(kind, notice, quiet) {
            Some(notice) => show(notice),
            None => Task::none(),
        }
    }

    /// The notices held back during a burst, once its pause is over (a tick).
    pub(super) fn notify_held(&mut self) -> Task<Message> {
        let quiet = self.quiet();
        Task::batch(self.notifier.due(quiet).into_iter().map(show))
    }

    fn quiet(&self) -> bool {
        let dnd = self
            .screen
            .desk()
            .is_some_and(|d| d.status.show() == Show::Dnd);
        self.focused || dnd
    }
}

/// Shows a notification on the desktop; a click opens its conversation.
fn show(notice: Notice) -> Task<Message> {
    Task::perform(notify::show(notice), |r| match r {
        Ok(jid) => Message::NotificationClicked(jid),
        Err(e) => {
            tracing::info!("{e}");
            Message::Noop
        }
    })
}

impl SignedIn {
    /// The events that change only what the signed-in window shows.
    fn on_event(&mut self, event: Event) {
        let desk = &mut self.desk;
        match event {
            Event::Connecting => self.session.connection = Connection::Connecting,
            Event::Online { .. } => {
                crate::timing::point("online");
                self.session.connection = Connection::Online;
                desk.error = None;
            }
            Event::Offline { reason, retry_in } => self.went_offline(reason, retry_in),
            Event::Features(f) => desk.requests.set_blocking_supported(f.blocking),
            Event::Roster(items) => {
                desk.roster.set_roster(items);
                self.refresh_presence_line();
            }
            Event::RosterPush(item) => self.on_roster_push(item),
            Event::RosterRemoved(jid) => desk.roster.remove(&jid),
            Event::Presence {
                jid,
                show,
                status,
                priority,
                idle_since,
            } => self.on_presence(
                &jid,
                ResourcePresence {
                    show,
                    status,
                    priority,
                    idle_since,
                },
            ),
            Event::LastActivity { jid, last_seen, .. } => {
                desk.roster.set_last_seen(&jid, last_seen);
                self.refresh_presence_line();
            }
            Event::Delivery { id, state } => {
                if let Some(chat) = desk.chat.as_mut() {
                    chat.set_delivery(&id, state);
                }
            }
            Event::Changed(changes) => {
                if let Some(chat) = desk.chat.as_mut() {
                    for change in changes {
                        chat.changed(change.message().clone());
                    }
                }
            }
            Event::ChatState { from, state } => {
                if let Some(chat) = desk.chat.as_mut().filter(|c| *c.peer() == from) {
                    chat.set_chat_state(state);
                }
            }
            Event::Error { message } => desk.error = Some(AppError::Reported(message)),
            Event::NotQueued { id, message } => self.not_queued(&id, message),
            Event::CatchupProgress { new_messages, .. } => {
                self.session.catching_up = Some(new_messages);
            }
            Event::CaughtUp { .. } => self.session.catching_up = None,
            Event::ArchiveUnavailable { message, .. } => {
                self.session.catching_up = None;
                desk.error = Some(AppError::Reported(message));
            }
            // Handled by the app (they change the screen or notify), or nothing to show.
            Event::AuthFailed { .. }
            | Event::OlderHistory { .. }
            | Event::Closed
            | Event::SubscriptionRequest(_)
            | Event::Messages(_)
            | Event::RosterSync { .. } => {}
        }
    }

    /// A message the session could not take: the composer that sent it keeps its text and
    /// says why; anywhere else, the banner says it.
    fn not_queued(&mut self, id: &crate::model::MessageId, message: String) {
        let desk = &mut self.desk;
        let kept = desk
            .chat
            .as_mut()
            .is_some_and(|chat| chat.not_sent(id, &message));
        if !kept {
            desk.error = Some(AppError::Reported(message));
        }
    }

    /// The connection is gone: nobody's presence is known any more.
    fn went_offline(&mut self, reason: String, retry_in: Option<std::time::Duration>) {
        self.desk.roster.clear_presence();
        self.session.connection = match retry_in {
            Some(d) => Connection::Retrying {
                reason,
                at: std::time::Instant::now() + d,
            },
            None => Connection::Offline(reason),
        };
    }

    fn on_presence(&mut self, jid: &crate::model::Jid, presence: ResourcePresence) {
        self.desk
            .roster
            .set_presence(jid, presence, model::now_millis());
        self.refresh_presence_line();
    }

    fn on_roster_push(&mut self, item: RosterItem) {
        let desk = &mut self.desk;
        if item.subscription.they_see_me() {
            desk.requests.resolve(&item.jid);
        }
        if let Some(details) = desk.contact.as_mut().filter(|d| *d.jid() == item.jid) {
            details.refresh(item.clone());
        }
        desk.roster.apply_push(item);
    }

    /// A subscription request: listed, and worth a notification unless it is a repeat.
    fn on_request(&mut self, req: crate::model::SubscriptionRequest) -> Option<Notice> {
        // Asked again while the first is still waiting: nothing new to tell, or one account
        // could keep the notifications coming.
        let requests = &mut self.desk.requests;
        let repeat = requests.pending().iter().any(|r| r.from == req.from);
        let notice = Notice {
            summary: crate::fl!("notify-request-title"),
            body: crate::fl!("notify-request-body", jid = req.from.to_string()),
            jid: req.from.clone(),
        };
        requests.add(req);
        (!repeat).then_some(notice)
    }

    /// Messages: into the open conversation, or counted unread; the newest live one stands
    /// for the burst in a notification.
    fn on_messages(&mut self, messages: Vec<ChatMessage>, focused: bool) -> Option<Notice> {
        let desk = &mut self.desk;
        let open = desk.chat.as_ref().map(|c| c.peer().to_owned());
        let notice = |m: &ChatMessage, roster: &crate::screen::roster::State| Notice {
            summary: roster.name_of(&m.peer),
            body: m.body.clone(),
            jid: m.peer.clone(),
        };
        let mut notices = Vec::new();
        let mut for_open = Vec::new();
        for m in messages {
            let last = desk.recent.entry(m.peer.clone()).or_default();
            *last = (*last).max(m.sent_at);
            if Some(&m.peer) == open.as_ref() {
                for_open.push(m);
                continue;
            }
            if m.direction == Direction::In {
                let n = desk.unread.entry(m.peer.clone()).or_default();
                *n += 1;
                desk.roster.set_unread(&m.peer, *n);
                // Live messages only: no notification for carbons of our own or backlog.
                if !m.delayed && !m.carbon {
                    notices.push(notice(&m, &desk.roster));
                }
            }
        }
        if let Some(chat) = desk.chat.as_mut()
            && !for_open.is_empty()
        {
            let live = for_open
                .iter()
                .rfind(|m| m.direction == Direction::In && !m.delayed);
            if !focused && let Some(m) = live {
                notices.push(notice(m, &desk.roster));
            }
            chat.push(for_open);
        }
        // One notification per burst: the newest message stands for the rest.
        notices.pop()
    }
}
