//! The help overlay (F1, Ctrl+/): every keyboard shortcut, by where it works.

use iced::widget::{button, column, container, row, scrollable, space, text};
use iced::{Alignment, Length};

use crate::theme::{self, Element};

/// The shortcuts of one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Where they work.
    pub title: String,
    /// The keys and what they do.
    pub lines: Vec<(String, String)>,
}

/// The inputs of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The Close button.
    Close,
}

/// The overlay's card: sections in two columns, each key beside its meaning.
pub fn view<'a>(sections: Vec<Section>) -> Element<'a, Message> {
    let half = sections.len().div_ceil(2);
    let mut left = column![].spacing(14).width(Length::Fill);
    let mut right = column![].spacing(14).width(Length::Fill);
    for (i, section) in sections.into_iter().enumerate() {
        let block = section_view(section);
        if i < half {
            left = left.push(block);
        } else {
            right = right.push(block);
        }
    }
    let close = button(text(crate::fl!("help-close")).size(13))
        .on_press(Message::Close)
        .style(theme::button::secondary);
    column![
        row![
            text(crate::fl!("help-title")).size(20),
            space::horizontal(),
            close
        ]
        .align_y(Alignment::Center),
        scrollable(row![left, right].spacing(24)).height(Length::Fill),
    ]
    .spacing(12)
    .into()
}

fn section_view<'a>(section: Section) -> Element<'a, Message> {
    let mut lines = column![text(section.title).size(15)].spacing(4);
    for (keys, words) in section.lines {
        lines = lines.push(
            row![
                container(text(keys).size(13).style(theme::text::muted)).width(150),
                text(words).size(13).width(Length::Fill),
            ]
            .spacing(8),
        );
    }
    lines.into()
}
