//! The pieces of the requests pane's rows: buttons, the lines about a request, a contact row.

use iced::font::Weight;
use iced::widget::text::Wrapping;
use iced::widget::{button, column, container, row, text, tooltip};
use iced::{Alignment, Font, Length};

use super::{CONTACT_HEIGHT, Message};
use crate::model::text::first_line;
use crate::model::{RosterItem, SubscriptionRequest};
use crate::theme::{self, Element};
use crate::widget::safe_name;

pub(super) const BOLD: Font = Font {
    weight: Weight::Bold,
    ..Font::DEFAULT
};

pub(super) enum Entry<'a> {
    Title(String),
    Note(String),
    Sees(&'a RosterItem),
    Waiting(&'a RosterItem),
}

#[derive(Clone, Copy)]
pub(super) enum Kind {
    Primary,
    Secondary,
    Danger,
}

pub(super) fn small<'a>(label: String, message: Message, kind: Kind) -> Element<'a, Message> {
    let style = match kind {
        Kind::Primary => theme::button::primary,
        Kind::Secondary => theme::button::secondary,
        Kind::Danger => theme::button::danger,
    };
    button(text(label).size(12))
        .on_press(message)
        .style(style)
        .padding([3, 10])
        .into()
}

/// The name the person gave the contact, or the address.
/// Who the request says it is, and who it is in my roster: one line, or nothing to say.
pub(super) fn about(request: &SubscriptionRequest, known: Option<&RosterItem>) -> Option<String> {
    let mut about = Vec::new();
    if let Some(nick) = request
        .nick
        .as_deref()
        .map(|n| first_line(n, 64))
        .filter(|n| !n.is_empty())
    {
        about.push(crate::fl!("requests-claims", nick = nick));
    }
    if let Some(name) = known
        .and_then(|i| i.name.as_deref())
        .map(|n| first_line(n, 64))
        .filter(|n| !n.is_empty())
    {
        about.push(crate::fl!("requests-known-as", name = name));
    } else if known.is_some() {
        about.push(crate::fl!("requests-known"));
    }
    (!about.is_empty()).then(|| about.join(" · "))
}

/// The request's note, or that it has none.
pub(super) fn note<'a>(request: &SubscriptionRequest) -> Element<'a, Message> {
    match request
        .message
        .as_deref()
        .map(|m| first_line(m, 160))
        .filter(|m| !m.is_empty())
    {
        Some(message) => text(crate::fl!("requests-message", message = message))
            .size(13)
            .wrapping(Wrapping::None)
            .into(),
        None => text(crate::fl!("requests-no-message"))
            .size(12)
            .style(theme::text::muted)
            .into(),
    }
}

pub(super) fn display(item: &RosterItem) -> String {
    item.name
        .as_deref()
        .map(safe_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| safe_name(item.jid.as_str()))
}

pub(super) fn contact<'a>(
    item: &'a RosterItem,
    label: String,
    message: Message,
    kind: Kind,
) -> Element<'a, Message> {
    let name = display(item);
    let mut lines = column![text(name.clone()).size(14).wrapping(Wrapping::None)];
    if name != item.jid.as_str() {
        lines = lines.push(
            text(safe_name(item.jid.as_str()))
                .size(12)
                .style(theme::text::muted)
                .wrapping(Wrapping::None),
        );
    }
    let (symbol, words) = crate::widget::subscription_mark(item);
    let mark = tooltip(
        text(symbol).size(12).style(theme::text::muted),
        container(text(words).size(12))
            .padding(6)
            .max_width(260)
            .style(theme::container::card),
        tooltip::Position::Right,
    );
    row![
        mark,
        container(lines).width(Length::Fill).clip(true),
        small(label, message, kind),
    ]
    .spacing(8)
    .align_y(Alignment::Center)
    .height(CONTACT_HEIGHT)
    .into()
}
