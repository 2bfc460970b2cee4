//! The earlier versions of a corrected message (XEP-0308), as the store keeps them: opened from
//! the message's "edited" mark, its menu or Ctrl+E (the newest edited message), listed newest
//! first with the day and time each was written; Esc or × closes the list.

use iced::widget::text::Wrapping;
use iced::widget::{button, column, container, row, space, text};
use iced::{Alignment, Length};

use super::menu::Menu;
use super::{Action, Message, State, day};
use crate::model::Millis;
use crate::theme::{self, Element};

/// The most of one earlier version shown, in bytes: a version can be as long as a message,
/// and the list is a glance back, not a reader.
const VERSION_BYTES: usize = 1_000;

impl State {
    /// Opens the earlier versions of an edited message and asks the app for them.
    pub(super) fn open_versions(&mut self, local_id: i64) -> Action {
        let edited = self
            .entries
            .iter()
            .rev()
            .find(|e| e.msg.local_id == local_id)
            .is_some_and(|e| e.msg.extras.edited() && !e.msg.extras.retracted());
        if !edited {
            return Action::None;
        }
        self.menu = Some(Menu::Versions(local_id, None));
        Action::LoadVersions { local_id }
    }

    /// Ctrl+E: the earlier versions of the newest edited message loaded.
    pub(super) fn versions_of_newest(&mut self) -> Action {
        let newest = self
            .entries
            .iter()
            .rev()
            .find(|e| e.msg.extras.edited() && !e.msg.extras.retracted())
            .map(|e| e.msg.local_id);
        match newest {
            Some(local_id) => self.open_versions(local_id),
            None => Action::None,
        }
    }

    /// The store's earlier versions of `local_id` (oldest first, as it keeps them), when its
    /// list is still open.
    pub fn set_versions(&mut self, local_id: i64, mut versions: Vec<(Millis, String)>) {
        if let Some(Menu::Versions(id, list)) = self.menu.as_mut()
            && *id == local_id
        {
            versions.reverse();
            *list = Some(versions);
        }
    }

    /// Closes what is open under a message (its menu, the picker, the earlier versions); true
    /// when something was open. Esc does this before it closes anything bigger.
    pub fn close_menu(&mut self) -> bool {
        self.menu.take().is_some()
    }
}

/// The list of earlier versions, newest first: loading, none kept, or each with its time.
pub(super) fn view(versions: Option<&[(Millis, String)]>) -> Element<'_, Message> {
    let close = button(text(crate::fl!("chat-versions-close")).size(12))
        .on_press(Message::CloseMenu)
        .padding([2, 8])
        .style(theme::button::secondary);
    let title = row![
        text(crate::fl!("chat-versions-title")).size(12),
        space::horizontal(),
        close
    ]
    .align_y(Alignment::Center);
    let mut list = column![title].spacing(6);
    match versions {
        None => list = list.push(muted(crate::fl!("chat-versions-loading"))),
        Some([]) => list = list.push(muted(crate::fl!("chat-versions-none"))),
        Some(versions) => {
            let today = day::today();
            for (at, body) in versions {
                let (date, time) = day::local_parts(*at);
                let when = crate::fl!(
                    "chat-version-when",
                    day = day::label(date, today),
                    time = time
                );
                list = list.push(column![muted(when), version_text(body)].spacing(1));
            }
        }
    }
    container(list)
        .padding([6, 8])
        .width(Length::Fill)
        .style(theme::container::card)
        .into()
}

fn muted<'a>(words: String) -> Element<'a, Message> {
    text(words).size(11).style(theme::text::muted).into()
}

/// An earlier text as it was written, cut at [`VERSION_BYTES`].
fn version_text(body: &str) -> Element<'_, Message> {
    let mut end = body.len().min(VERSION_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let shown = if end < body.len() {
        format!("{}…", &body[..end])
    } else {
        body.to_owned()
    };
    text(shown).size(13).wrapping(Wrapping::WordOrGlyph).into()
}
