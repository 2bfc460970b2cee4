//! `xmpp:` links from the command line or a later launch: they open, fill in and ask; nothing
//! is sent, added or removed until the person says so.

use std::sync::Mutex;

use iced::{Subscription, Task, window};

use super::state::{Screen, SignedIn};
use super::{App, AppError, Message, Pane};
use crate::instance::{self, Launch};
use crate::model::{BareJid, UriAction, XmppUri};
use crate::screen::contact;

/// The socket this window listens on for later launches (taken by the subscription).
static LISTENER: Mutex<Option<std::os::unix::net::UnixListener>> = Mutex::new(None);

/// Keeps `listener` for [`launches`].
pub(super) fn listen(listener: std::os::unix::net::UnixListener) {
    if let Ok(mut slot) = LISTENER.lock() {
        *slot = Some(listener);
    }
}

/// Later launches, as messages.
pub(super) fn launches() -> Subscription<Message> {
    Subscription::run(accept)
}

fn accept() -> impl futures::Stream<Item = Message> {
    iced::stream::channel(
        4,
        async |mut out: futures::channel::mpsc::Sender<Message>| {
            use futures::SinkExt;
            let taken = LISTENER.lock().ok().and_then(|mut slot| slot.take());
            let Some(listener) = taken else {
                return;
            };
            let listener = match listener
                .set_nonblocking(true)
                .and_then(|()| tokio::net::UnixListener::from_std(listener))
            {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!("later launches cannot reach this window: {e}");
                    return;
                }
            };
            while let Ok((stream, _)) = listener.accept().await {
                if let Some(launch) = instance::receive(stream).await {
                    let _ = out.send(Message::Launched(launch)).await;
                }
            }
        },
    )
}

impl App {
    /// A later launch: its link, and the window comes forward.
    pub(super) fn on_launch(&mut self, launch: Launch) -> Task<Message> {
        let link = match launch.uri.as_deref() {
            Some(uri) => self.on_link(uri),
            None => Task::none(),
        };
        Task::batch([link, window::latest().and_then(window::gain_focus)])
    }

    /// A link given at start or by a later launch: acted on now, or once signed in.
    pub(super) fn on_link(&mut self, text: &str) -> Task<Message> {
        let link = match XmppUri::parse(text) {
            Ok(link) => link,
            Err(e) => return self.show_error(AppError::Uri(e)),
        };
        match &mut self.screen {
            Screen::SignedIn(signed) | Screen::Quitting(signed) => signed.open_link(link),
            Screen::Booting(booting) => {
                booting.link = Some(link);
                Task::none()
            }
            Screen::SignIn(signing) => {
                signing.link = Some(link);
                Task::none()
            }
            Screen::Fatal(_) => Task::none(),
        }
    }
}

impl SignedIn {
    pub(super) fn open_link(&mut self, link: XmppUri) -> Task<Message> {
        let XmppUri { jid, action } = link;
        match action {
            UriAction::Open => self.open(jid),
            UriAction::Message { body } => self.fill_in(jid, body),
            UriAction::Add { name, group } => {
                self.desk.roster.open_add_filled(&jid, name, group);
                iced::widget::operation::focus(crate::screen::roster::ADD_JID_INPUT)
            }
            UriAction::Remove => self.ask(jid, contact::Question::Remove),
            UriAction::Unsubscribe => self.ask(jid, contact::Question::StopSeeing),
        }
    }

    /// `?message`: the conversation, with the text in the composer.
    fn fill_in(&mut self, jid: BareJid, body: Option<String>) -> Task<Message> {
        let open = self.open(jid);
        if let (Some(chat), Some(body)) = (self.desk.chat.as_mut(), body) {
            // Filled in, never sent: Enter is the person's. A draft stays in front.
            let draft = chat.composer_text();
            let text = match draft.trim() {
                "" => body,
                _ => format!("{}\n{body}", draft.trim_end()),
            };
            chat.set_composer_text(&text);
        }
        Task::batch([open, self.focus_composer()])
    }

    /// `?remove` and `?unsubscribe`: the contact's details, with the question asked.
    fn ask(&mut self, jid: BareJid, question: contact::Question) -> Task<Message> {
        let Some(item) = self.desk.roster.item(&jid).cloned() else {
            self.desk.error = Some(AppError::NotAContact(jid));
            return Task::none();
        };
        let open = self.show_conversation(jid);
        let mut details = contact::State::new(item);
        details.ask(question);
        self.desk.contact = Some(details);
        self.desk.leave_chat(Pane::Contact);
        open
    }
}
