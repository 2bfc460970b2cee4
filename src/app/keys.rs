//! The keyboard shortcuts, and auto-away: input marks the person as here, a tick without input
//! for long enough makes their show away or extended away.

use std::time::{Duration, Instant};

use iced::{Task, keyboard};

use super::state::SignedIn;
use super::{App, Connection, Message, Pane};
use crate::model::Show;
use crate::screen::{chat, roster};
use crate::session::Command;

impl App {
    pub(super) fn on_key(
        &mut self,
        key: keyboard::Key,
        modifiers: keyboard::Modifiers,
    ) -> Task<Message> {
        use keyboard::key::Named;
        self.last_input = Instant::now();
        if let keyboard::Key::Named(Named::Tab) = key.as_ref() {
            return if modifiers.shift() {
                iced::widget::operation::focus_previous()
            } else {
                iced::widget::operation::focus_next()
            };
        }
        if let Some(signed) = self.screen.signed_in_mut()
            && let Some(task) = signed.shortcut(key, modifiers)
        {
            return task;
        }
        self.on_input()
    }

    /// The person is here: leave auto-away, restoring what they had chosen.
    pub(super) fn on_input(&mut self) -> Task<Message> {
        self.last_input = Instant::now();
        if let Some(signed) = self.screen.signed_in_mut()
            && let Some((show, status)) = signed.session.auto_away.take()
        {
            signed.command(Command::SetPresence { show, status });
        }
        Task::none()
    }

    pub(super) fn on_tick(&mut self) -> Task<Message> {
        let idle = self.last_input.elapsed();
        if let Some(signed) = self.screen.signed_in_mut() {
            signed.auto_away(idle);
        }
        Task::none()
    }
}

impl SignedIn {
    /// A shortcut of the signed-in window: the task it starts, or `None` when the key is
    /// input like any other.
    fn shortcut(
        &mut self,
        key: keyboard::Key,
        modifiers: keyboard::Modifiers,
    ) -> Option<Task<Message>> {
        use keyboard::key::Named;
        let desk = &mut self.desk;
        match key.as_ref() {
            keyboard::Key::Character("f") if modifiers.command() => {
                let chat = desk.chat.as_mut()?;
                chat.focus_search();
                return Some(iced::widget::operation::focus(chat::search_input_id()));
            }
            keyboard::Key::Character(",") if modifiers.command() => {
                desk.leave_chat(Pane::Settings);
            }
            keyboard::Key::Character("n") if modifiers.command() => {
                desk.roster.open_add(None);
                return Some(iced::widget::operation::focus(roster::ADD_JID_INPUT));
            }
            keyboard::Key::Named(Named::Escape) => {
                let _ = desk.roster.update(roster::Message::CancelAdd);
                if let Some(chat) = desk.chat.as_mut() {
                    let _ = chat.update(chat::Message::SearchClose);
                }
            }
            keyboard::Key::Named(dir @ (Named::ArrowUp | Named::ArrowDown)) if modifiers.alt() => {
                let jid = desk.roster.next_conversation(dir == Named::ArrowDown)?;
                return Some(self.open(jid));
            }
            _ => {}
        }
        None
    }

    /// Without input for the chosen minutes, an available show becomes away, then extended
    /// away; the status message stays.
    fn auto_away(&mut self, idle: Duration) {
        let chosen = self.desk.status.show();
        if !matches!(self.session.connection, Connection::Online)
            || !matches!(chosen, Show::Available | Show::Chat)
        {
            return;
        }
        let (away, xa) = self.desk.settings.auto_away();
        let after =
            |minutes: u32| (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60));
        let target = if after(xa).is_some_and(|d| idle >= d) {
            Show::Xa
        } else if after(away).is_some_and(|d| idle >= d) {
            Show::Away
        } else {
            return;
        };
        let status = self.desk.status.status().to_owned();
        let restore = self
            .session
            .auto_away
            .get_or_insert((chosen, status))
            .clone();
        // The custom message is kept while away.
        self.command(Command::SetPresence {
            show: target,
            status: restore.1,
        });
    }
}
