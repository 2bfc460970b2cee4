//! Keys: a press becomes a shortcut of the place it happened in (the table in `shortcuts`), or
//! typing that belongs in the composer; and auto-away: input marks the person as here, a tick
//! without input for long enough makes their show away or extended away.

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::event::Status;
use iced::widget::{Id, text_editor};
use iced::{Task, keyboard};

use super::shortcuts::{self, Chord, Place};
use super::state::{Overlay, Screen, SignedIn};
use super::{App, Connection, Message, Pane, focus};
use crate::model::Show;
use crate::screen::{chat, roster, status, switcher};
use crate::session::Command;

/// A key pressed in the window.
#[derive(Debug, Clone)]
pub struct Press {
    key: keyboard::Key,
    /// The key with the modifiers applied ("+" for Shift+= on some keyboards).
    modified: keyboard::Key,
    modifiers: keyboard::Modifiers,
    /// What the key types, when it types something.
    text: Option<String>,
    /// A widget (a focused field) used the key already.
    captured: bool,
}

/// The window's key presses as messages (the subscription's filter).
pub(super) fn press(event: &keyboard::Event, status: Status) -> Option<Message> {
    let keyboard::Event::KeyPressed {
        key,
        modified_key,
        modifiers,
        text,
        ..
    } = event
    else {
        return None;
    };
    Some(Message::Key(Press {
        key: key.clone(),
        modified: modified_key.clone(),
        modifiers: *modifiers,
        text: text.as_ref().map(ToString::to_string),
        captured: status == Status::Captured,
    }))
}

impl Press {
    /// What the key types when no field took it and no modifier makes it a command.
    fn typed(&self) -> Option<&str> {
        let m = self.modifiers;
        if self.captured || m.control() || m.alt() || m.logo() {
            return None;
        }
        self.text
            .as_deref()
            .filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
    }
}

impl App {
    pub(super) fn on_key(&mut self, press: Press) -> Task<Message> {
        let _ = self.on_input();
        let chord = Chord::pressed(&press.key, &press.modified, press.modifiers);
        // A selected message takes its keys first, letters included: the composer leaves
        // every key alone while a message is selected, and a field that used one (the
        // picker's search) keeps it.
        if !press.captured
            && let Some(chord) = chord
            && let Some((place, does)) = shortcuts::find(chord, &self.selection_places())
        {
            return self.act(place, does);
        }
        if let Some(text) = press.typed()
            && let Some(task) = self.type_into_composer(text)
        {
            return task;
        }
        let Some(chord) = chord else {
            return Task::none();
        };
        // A shortcut the composer took: it sent it itself, in order with the typing around it
        // (`redirect_composer`).
        if press.captured && (press.modifiers.control() || press.modifiers.alt()) {
            return Task::none();
        }
        if chord.is_plain_navigation() {
            // Arrows and Enter belong to a focused field that uses them; which field has the
            // keyboard decides where the others go.
            if press.captured {
                return Task::none();
            }
            return focus::focused().map(move |focused| Message::Nav(chord, focused));
        }
        self.on_chord(chord, None)
    }

    /// What the composer sends that is not for the conversation: a window shortcut pressed in
    /// it, and keys typed in it right after a shortcut that took the keyboard elsewhere (Ctrl+K:
    /// the switcher), which iced still handed to the composer. `Err` gives the message back.
    pub(super) fn redirect_composer(
        &mut self,
        m: chat::Message,
    ) -> Result<Task<Message>, chat::Message> {
        match (&m, &self.overlay) {
            (chat::Message::Shortcut(key, modifiers), _) => Ok(match Chord::of(key, *modifiers) {
                Some(chord) => self.on_chord(chord, None),
                None => Task::none(),
            }),
            (chat::Message::Edit(text_editor::Action::Edit(edit)), Some(Overlay::Switcher(_))) => {
                Ok(match edit {
                    text_editor::Edit::Insert(c) => self
                        .type_into_composer(&c.to_string())
                        .unwrap_or_else(Task::none),
                    _ => Task::none(),
                })
            }
            (chat::Message::Send, Some(Overlay::Switcher(_))) => {
                Ok(self.on_switcher(switcher::Message::Submit))
            }
            _ => Err(m),
        }
    }

    /// A navigation key, once it is known which widget has the keyboard.
    pub(super) fn on_nav(&mut self, chord: Chord, focused: Option<Id>) -> Task<Message> {
        self.on_chord(chord, Some(focused))
    }

    fn on_chord(&mut self, chord: Chord, focused: Option<Option<Id>>) -> Task<Message> {
        let places = self.places(focused.as_ref());
        match shortcuts::find(chord, &places) {
            Some((place, does)) => self.act(place, does),
            None => Task::none(),
        }
    }

    /// The places a key may mean something in now, nearest the focus first.
    /// `focused`: the focused widget when it was asked (navigation keys), else `None`.
    fn places(&self, focused: Option<&Option<Id>>) -> Vec<Place> {
        let signed = match &self.screen {
            Screen::Booting(_) | Screen::SignIn(_) => return vec![Place::SignIn, Place::Window],
            Screen::Fatal(_) => return Vec::new(),
            Screen::SignedIn(signed) | Screen::Quitting(signed) => signed,
        };
        match &self.overlay {
            Some(Overlay::Help) => return vec![Place::Help],
            Some(Overlay::Switcher(_)) => return vec![Place::Switcher],
            None => {}
        }
        let mut places = Vec::with_capacity(4);
        let is = |id: &'static str| focused.is_some_and(|f| f.as_ref() == Some(&Id::new(id)));
        if is(status::STATUS_INPUT) {
            places.push(Place::Status);
        }
        if is(roster::FILTER_INPUT) {
            places.push(Place::Contacts);
        }
        let desk = &signed.desk;
        match desk.pane {
            Pane::Chat => {
                // Nothing focused beside a conversation: the arrows walk the contact list.
                if focused.is_some_and(Option::is_none) {
                    places.push(Place::Contacts);
                }
                if desk.chat.is_some() {
                    places.push(Place::Conversation);
                }
            }
            Pane::Requests => places.push(Place::Requests),
            Pane::Contact => places.push(Place::Details),
            Pane::Settings => places.push(Place::Settings),
        }
        places.push(Place::Window);
        places
    }

    /// The places of a message selected with the keyboard, what is open under it first.
    fn selection_places(&self) -> Vec<Place> {
        if self.overlay.is_some() {
            return Vec::new();
        }
        let place = self
            .screen
            .desk()
            .filter(|d| d.pane == Pane::Chat)
            .and_then(|d| d.chat.as_ref())
            .and_then(chat::State::key_place);
        match place {
            None => Vec::new(),
            Some(chat::KeyPlace::Selected) => vec![Place::Message],
            Some(chat::KeyPlace::Menu) => vec![Place::MessageMenu, Place::Message],
            Some(chat::KeyPlace::Confirm) => vec![Place::Confirm, Place::Message],
            Some(chat::KeyPlace::Picker) => vec![Place::Picker, Place::Message],
        }
    }

    /// Types `text` into the open conversation's composer, as if it had the keyboard.
    pub(super) fn type_on(&mut self, text: &str) -> Task<Message> {
        let Some(chat) = self
            .screen
            .signed_in_mut()
            .and_then(|s| s.desk.chat.as_mut())
        else {
            return Task::none();
        };
        // Typing ends a selection: the text goes where it always goes.
        chat.drop_selection();
        chat.cursor_to_end();
        let paste = text_editor::Action::Edit(text_editor::Edit::Paste(Arc::new(text.to_owned())));
        self.on_chat(chat::Message::Edit(paste))
    }

    /// Typing while no field has the keyboard (after a click on the history, say) goes on in
    /// the open conversation's composer, which takes the keyboard from there.
    fn type_into_composer(&mut self, text: &str) -> Option<Task<Message>> {
        // Typed before the switcher's field took the keyboard: it is the search.
        if let Some(Overlay::Switcher(switcher)) = &self.overlay {
            let query = format!("{}{text}", switcher.query());
            let typed = self.on_switcher(switcher::Message::Query(query));
            return Some(Task::batch([
                typed,
                iced::widget::operation::focus(switcher::INPUT),
            ]));
        }
        if self.overlay.is_some() {
            return None;
        }
        let desk = self.screen.desk()?;
        if desk.pane != Pane::Chat || desk.chat.is_none() || self.screen.signed_in().is_none() {
            return None;
        }
        let typed = self.type_on(text);
        Some(Task::batch([
            typed,
            iced::widget::operation::focus(chat::composer_id()),
        ]))
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
