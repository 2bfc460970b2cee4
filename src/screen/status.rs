//! The own-status header: account, connection state, show and status message with the recent
//! messages to pick from.

use std::fmt;

use iced::font::Weight;
use iced::widget::text::Wrapping;
use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Alignment, Font, Length};

use crate::model::Show;
use crate::theme::{self, Element};
use crate::widget;

/// How many recent status messages are remembered.
pub const RECENT: usize = 5;
/// Longest status message (characters); longer input is cut.
const MAX_STATUS: usize = 1000;
/// A connection label this short shows beside the account, a longer one below it.
const SHORT_LABEL: usize = 18;
/// The id of the status message field.
pub const STATUS_INPUT: &str = "status-message";

/// The own-status header.
#[derive(Debug, Clone)]
pub struct State {
    show: Show,
    /// The status message in effect.
    status: String,
    /// What the field holds (becomes `status` on Enter, a show or a recent pick).
    draft: String,
    recent: Vec<String>,
    account: String,
    connection: String,
    recent_open: bool,
    /// Which recent message Page Up/Down put in the field.
    browsing: Option<usize>,
}

/// The inputs of the status header.
#[derive(Debug, Clone)]
pub enum Message {
    /// A show was chosen: applies at once, with the message in the field.
    Show(Show),
    /// The message field changed.
    Status(String),
    /// Enter in the message field.
    Submit,
    /// A recent message was picked: fills the field and applies.
    PickRecent(String),
    /// The list of recent messages opens or closes.
    ToggleRecent,
    /// Clear the status message.
    Clear,
    /// The next (`true`) or previous show in the list, applied at once (Down/Up in the field).
    StepShow(bool),
    /// An older (`false`: Page Up) or newer recent message into the field, for Enter.
    StepRecent(bool),
}

/// What the status header asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Send this presence (and remember it for the next login).
    Set { show: Show, status: String },
}

impl Default for State {
    fn default() -> Self {
        State::new(Show::Available, String::new(), Vec::new())
    }
}

impl State {
    /// The header as restored from the last session. `recent` is most recent first; it is
    /// cleaned up (no empty, no duplicates, at most [`RECENT`]). Offline is not a choice, so it
    /// becomes available.
    pub fn new(show: Show, status: String, recent: Vec<String>) -> State {
        let show = if show == Show::Unavailable {
            Show::Available
        } else {
            show
        };
        let status = bounded(status.trim());
        let mut state = State {
            show,
            draft: status.clone(),
            status,
            recent: Vec::new(),
            account: String::new(),
            connection: String::new(),
            recent_open: false,
            browsing: None,
        };
        for message in recent.iter().rev() {
            state.remember(message);
        }
        state
    }

    /// The chosen show.
    pub fn show(&self) -> Show {
        self.show
    }

    /// The status message in effect.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The connection in words ("Online", "Reconnecting in 5 s"…), shown next to the account.
    pub fn set_connection(&mut self, label: String) {
        self.connection = label;
    }

    /// The account's address.
    pub fn set_account(&mut self, jid: String) {
        self.account = jid;
    }

    /// Recent status messages, most recent first, at most [`RECENT`], no duplicates or empty.
    pub fn recent(&self) -> &[String] {
        &self.recent
    }

    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Show(show) if show != Show::Unavailable => {
                self.show = show;
                self.apply()
            }
            Message::Show(_) => Action::None,
            Message::Status(text) => {
                self.draft = bounded(&text);
                Action::None
            }
            Message::Submit => self.apply(),
            Message::PickRecent(text) => {
                self.draft = bounded(&text);
                self.recent_open = false;
                self.apply()
            }
            Message::ToggleRecent => {
                self.recent_open = !self.recent_open;
                Action::None
            }
            Message::Clear => {
                self.draft.clear();
                self.recent_open = false;
                self.apply()
            }
            Message::StepShow(down) => {
                let shows = Show::CHOOSABLE;
                let at = shows.iter().position(|s| *s == self.show).unwrap_or(0);
                let next = if down {
                    (at + 1).min(shows.len() - 1)
                } else {
                    at.saturating_sub(1)
                };
                self.update(Message::Show(shows[next]))
            }
            Message::StepRecent(newer) => {
                let next = match (self.browsing, newer) {
                    (None, false) => Some(0),
                    (None, true) => None,
                    (Some(i), false) => Some((i + 1).min(self.recent.len().saturating_sub(1))),
                    (Some(i), true) => i.checked_sub(1),
                };
                self.browsing = next.filter(|&i| i < self.recent.len());
                self.draft = match self.browsing {
                    Some(i) => self.recent[i].clone(),
                    None => self.status.clone(),
                };
                Action::None
            }
        }
    }

    fn apply(&mut self) -> Action {
        self.browsing = None;
        self.status = self.draft.trim().to_owned();
        self.draft.clone_from(&self.status);
        let status = self.status.clone();
        self.remember(&status);
        Action::Set {
            show: self.show,
            status,
        }
    }

    fn remember(&mut self, message: &str) {
        let message = bounded(message.trim());
        if message.is_empty() {
            return;
        }
        self.recent.retain(|m| *m != message);
        self.recent.insert(0, message);
        self.recent.truncate(RECENT);
    }

    /// The header.
    pub fn view(&self) -> Element<'_, Message> {
        let mut account = row![widget::presence(self.show)]
            .spacing(6)
            .align_y(Alignment::Center);
        if !self.account.is_empty() {
            account = account.push(
                container(
                    text(widget::safe_name(&self.account))
                        .size(13)
                        .font(Font {
                            weight: Weight::Bold,
                            ..Font::DEFAULT
                        })
                        .wrapping(Wrapping::None),
                )
                .width(Length::Fill)
                .clip(true),
            );
        }
        // A short state ("Online") fits beside the account; a long one gets its own line.
        let connection = (!self.connection.is_empty()).then(|| {
            text(self.connection.as_str())
                .size(12)
                .style(theme::text::muted)
        });
        let mut below = None;
        match connection {
            Some(label) if self.connection.chars().count() <= SHORT_LABEL => {
                account = account.push(label);
            }
            label => below = label,
        }
        let shows = pick_list(Choice::ALL, Some(Choice(self.show)), |c: Choice| {
            Message::Show(c.0)
        })
        .text_size(13)
        .padding([4, 8])
        .width(Length::Fill);
        let mut header = column![account].spacing(6);
        if let Some(label) = below {
            header = header.push(label.wrapping(Wrapping::WordOrGlyph));
        }
        header = header
            .push(container(shows).id("status-show"))
            .push(self.message_row());
        if self.recent_open {
            header = header.push(self.recent_list());
        }
        container(header).padding([8, 8]).width(Length::Fill).into()
    }

    /// The status messages used lately, and clearing the current one.
    fn recent_list(&self) -> Element<'_, Message> {
        let mut list = column![].spacing(2);
        for recent in &self.recent {
            list = list.push(
                button(text(recent.as_str()).size(12).wrapping(Wrapping::None))
                    .on_press(Message::PickRecent(recent.clone()))
                    .style(theme::button::text)
                    .width(Length::Fill)
                    .padding([3, 8]),
            );
        }
        if !self.status.is_empty() {
            list = list.push(
                button(
                    text(crate::fl!("status-clear"))
                        .size(12)
                        .style(theme::text::muted),
                )
                .on_press(Message::Clear)
                .style(theme::button::text)
                .width(Length::Fill)
                .padding([3, 8]),
            );
        }
        container(list)
            .padding(4)
            .width(Length::Fill)
            .clip(true)
            .style(theme::container::card)
            .into()
    }

    /// The status message field, and the list of recent ones to open.
    fn message_row(&self) -> Element<'_, Message> {
        let field = text_input(&crate::fl!("status-placeholder"), &self.draft)
            .id(STATUS_INPUT)
            .on_input(Message::Status)
            .on_submit(Message::Submit)
            .size(13)
            .padding(6);
        let mut message = row![field].spacing(6).align_y(Alignment::Center);
        if !self.recent.is_empty() || !self.status.is_empty() {
            let arrow = if self.recent_open { "▴" } else { "▾" };
            message = message.push(
                button(text(format!("{} {arrow}", crate::fl!("status-recent"))).size(12))
                    .on_press(Message::ToggleRecent)
                    .style(theme::button::secondary)
                    .padding([4, 8]),
            );
        }
        message.into()
    }
}

fn bounded(text: &str) -> String {
    text.chars().take(MAX_STATUS).collect()
}

/// A show as the list offers it: its symbol and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Choice(Show);

impl Choice {
    const ALL: [Choice; 5] = [
        Choice(Show::CHOOSABLE[0]),
        Choice(Show::CHOOSABLE[1]),
        Choice(Show::CHOOSABLE[2]),
        Choice(Show::CHOOSABLE[3]),
        Choice(Show::CHOOSABLE[4]),
    ];
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            crate::widget::presence_symbol(self.0),
            crate::i18n::show_name(self.0)
        )
    }
}

#[cfg(test)]
mod tests;
