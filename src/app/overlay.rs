//! The dialogs over the whole window (help, the quick switcher), and the keyboard given back
//! to where it was when a dialog closes.

use iced::Task;
use iced::widget::operation;
use iced::widget::{center, container, mouse_area, opaque, stack};

use super::state::{Overlay, Screen};
use super::{App, Message, focus, shortcuts};
use crate::screen::{chat, help, switcher};
use crate::theme::{self, Element};

impl App {
    /// F1: the shortcuts, or closes them.
    pub(super) fn toggle_help(&mut self) -> Task<Message> {
        if matches!(self.overlay, Some(Overlay::Help)) {
            return self.close_overlay();
        }
        let remember = self.remember_focus();
        self.overlay = Some(Overlay::Help);
        remember.chain(focus::unfocus())
    }

    /// Ctrl+K: the quick switcher over every contact, the latest conversations first.
    pub(super) fn open_switcher(&mut self) -> Task<Message> {
        let Some(signed) = self.screen.signed_in() else {
            return Task::none();
        };
        let desk = &signed.desk;
        let candidates = desk
            .roster
            .items()
            .iter()
            .map(|item| switcher::Candidate {
                jid: item.jid.clone(),
                name: desk.roster.name_of(&item.jid),
                show: desk.roster.show_of(&item.jid),
                unread: desk.roster.unread(&item.jid),
                last: desk.recent.get(&item.jid).copied(),
            })
            .collect();
        let remember = self.remember_focus();
        self.switched_with = None;
        self.overlay = Some(Overlay::Switcher(switcher::State::new(candidates)));
        remember.chain(operation::focus(switcher::INPUT))
    }

    pub(super) fn on_switcher(&mut self, m: switcher::Message) -> Task<Message> {
        let Some(Overlay::Switcher(state)) = self.overlay.as_mut() else {
            return self.after_switcher(m);
        };
        match state.update(m) {
            switcher::Action::None => Task::none(),
            switcher::Action::Close => self.close_overlay(),
            switcher::Action::Open(jid) => {
                // The conversation takes the keyboard, not what had it before.
                self.switched_with = Some(state.query().to_owned());
                self.overlay = None;
                self.return_focus = None;
                self.open(jid)
            }
        }
    }

    /// Keys typed right after Enter in the switcher, before the window took the switcher
    /// away, still reach its field (iced hands a burst of keys to the widgets as they were):
    /// they are the start of the message, so they go on in the conversation.
    fn after_switcher(&mut self, m: switcher::Message) -> Task<Message> {
        let Some(before) = self.switched_with.as_mut() else {
            return Task::none();
        };
        match m {
            switcher::Message::Query(query) => match query.strip_prefix(before.as_str()) {
                Some(typed) if !typed.is_empty() => {
                    let typed = typed.to_owned();
                    *before = query;
                    self.type_on(&typed)
                }
                _ => Task::none(),
            },
            switcher::Message::Submit => self.on_chat(chat::Message::Send),
            _ => Task::none(),
        }
    }

    /// Closes help or the switcher; the keyboard goes back where it was.
    pub(super) fn close_overlay(&mut self) -> Task<Message> {
        self.overlay = None;
        self.give_focus_back()
    }

    /// Asks which widget has the keyboard, for [`App::give_focus_back`]; nothing when a dialog
    /// is open already (then the keyboard is in the dialog, and what it had before counts).
    pub(super) fn remember_focus(&mut self) -> Task<Message> {
        if self.overlay.is_some() || self.dialog_open() {
            return Task::none();
        }
        self.return_focus = None;
        focus::focused().map(Message::FocusWas)
    }

    /// The keyboard back to the widget that had it when the dialog opened.
    pub(super) fn give_focus_back(&mut self) -> Task<Message> {
        match self.return_focus.take() {
            Some(id) => operation::focus(id),
            None => Task::none(),
        }
    }

    /// Whether a dialog inside a pane (add contact, search) is open.
    fn dialog_open(&self) -> bool {
        self.screen.desk().is_some_and(|d| {
            d.roster.is_adding() || d.chat.as_ref().is_some_and(|c| c.is_searching())
        })
    }

    /// The overlay over `content`; the same layers whether or not one is open, so the widgets
    /// below keep their state (focus, scroll positions).
    pub(super) fn with_overlay<'a>(
        &'a self,
        content: Element<'a, Message>,
    ) -> Element<'a, Message> {
        let card = match (&self.overlay, &self.screen) {
            (Some(Overlay::Help), _) => Some(
                container(help::view(shortcuts::sections()).map(Message::Help))
                    .max_width(900)
                    .max_height(620),
            ),
            (Some(Overlay::Switcher(state)), Screen::SignedIn(_)) => {
                Some(container(state.view().map(Message::Switcher)).max_width(520))
            }
            _ => None,
        };
        let layer: Element<'a, Message> = match card {
            Some(card) => {
                let card = card.padding(20).style(theme::container::card);
                // A click beside the card closes it, as Esc does.
                let backdrop = mouse_area(
                    center(opaque(card))
                        .padding(40)
                        .style(theme::container::backdrop),
                )
                .on_press(Message::Help(help::Message::Close));
                opaque(backdrop)
            }
            None => iced::widget::space().into(),
        };
        stack![content, layer].into()
    }
}
