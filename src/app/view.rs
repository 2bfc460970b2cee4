//! The window's layout: the roster pane on the left, the conversation or requests on the right,
//! and the connection state always visible.

use iced::widget::{button, column, container, row, space, text};
use iced::{Alignment, Length};

use super::state::{Desk, Screen, SignedIn};
use super::{App, AppError, Connection, Message, Pane};
use crate::model::{ContactPresence, Show};
use crate::theme::{self, Element};
use crate::widget;

pub(super) fn view(app: &App) -> Element<'_, Message> {
    let screen = match &app.screen {
        Screen::Booting(booting) => booting.login.view().map(Message::Login),
        Screen::Fatal(error) => fatal(error),
        Screen::SignIn(signing) => signing.login.view().map(Message::Login),
        Screen::SignedIn(signed) | Screen::Quitting(signed) => signed_in(signed),
    };
    app.with_overlay(screen)
}

/// Natter cannot run: why, and nothing else.
fn fatal(error: &AppError) -> Element<'_, Message> {
    container(text(error.words()).style(theme::text::error))
        .center(Length::Fill)
        .padding(24)
        .into()
}

fn signed_in(signed: &SignedIn) -> Element<'_, Message> {
    let desk = &signed.desk;
    let left = column![
        desk.status.view().map(Message::Status),
        requests_button(desk.requests.count(), desk.pane == Pane::Requests),
        button(text(crate::fl!("app-settings")).size(14))
            .on_press(Message::ShowSettings)
            .style(theme::button::row(desk.pane == Pane::Settings))
            .width(Length::Fill)
            .padding([6, 12]),
        desk.roster.view().map(Message::Roster),
    ]
    .spacing(4)
    .width(Length::Fixed(300.0));
    let main = row![
        container(left)
            .style(theme::container::pane)
            .height(Length::Fill),
        container(right_pane(desk))
            .width(Length::Fill)
            .height(Length::Fill)
    ];
    // The same children in the same places whether or not the banners show: iced matches
    // widget state by position, and a banner coming and going at each reconnect would cost the
    // composer its focus and every list its scroll position.
    let error: Element<'_, Message> = match &desk.error {
        Some(error) => container(text(error.words()).size(13))
            .padding([4, 12])
            .width(Length::Fill)
            .style(theme::container::warning)
            .into(),
        None => space().into(),
    };
    column![
        connection_banner(&signed.session.connection)
            .or_else(|| catchup_banner(signed.session.catching_up))
            .unwrap_or_else(|| space().into()),
        error,
        main
    ]
    .into()
}

/// The conversation, the requests, the contact's details or the settings.
fn right_pane(desk: &Desk) -> Element<'_, Message> {
    match (desk.pane, &desk.chat, &desk.contact) {
        (Pane::Requests, ..) => desk
            .requests
            .view(desk.roster.items())
            .map(Message::Requests),
        (Pane::Settings, ..) => desk.settings.view().map(Message::Settings),
        (Pane::Contact, _, Some(details)) => details
            .view(desk.roster.presence(details.jid()))
            .map(Message::Contact),
        (Pane::Chat | Pane::Contact, Some(chat), _) => chat.view().map(Message::Chat),
        (Pane::Chat | Pane::Contact, None, _) => {
            container(text(crate::fl!("app-welcome")).style(theme::text::muted))
                .center(Length::Fill)
                .into()
        }
    }
}

fn requests_button<'a>(count: usize, active: bool) -> Element<'a, Message> {
    let mut label = row![text(crate::fl!("app-requests")).size(14)]
        .spacing(6)
        .align_y(Alignment::Center);
    if let Some(badge) = widget::badge(count) {
        label = label.push(badge);
    }
    button(label)
        .on_press(Message::ShowRequests)
        .style(theme::button::row(active))
        .width(Length::Fill)
        .padding([6, 12])
        .into()
}

/// While the archive catch-up runs (online): how far it got.
fn catchup_banner<'a>(catching_up: Option<usize>) -> Option<Element<'a, Message>> {
    let label = crate::fl!("app-catching-up", count = catching_up?);
    Some(
        container(text(label).size(13).style(theme::text::muted))
            .padding([4, 12])
            .width(Length::Fill)
            .into(),
    )
}

/// The connection state in words; nothing while online.
pub(super) fn connection_label(connection: &Connection) -> Option<String> {
    Some(match connection {
        Connection::Online => return None,
        Connection::Idle => crate::fl!("app-conn-idle"),
        Connection::Connecting => crate::fl!("app-conn-connecting"),
        Connection::Retrying { reason, at } => {
            let secs = at
                .saturating_duration_since(std::time::Instant::now())
                .as_secs();
            crate::fl!("app-conn-retrying", seconds = secs, reason = reason.clone())
        }
        Connection::Offline(reason) => crate::fl!("app-conn-offline", reason = reason.clone()),
    })
}

fn connection_banner(connection: &Connection) -> Option<Element<'_, Message>> {
    let label = connection_label(connection)?;
    let mut bar = row![text(label).size(13).width(Length::Fill)]
        .align_y(Alignment::Center)
        .spacing(8);
    if matches!(connection, Connection::Retrying { .. }) {
        bar = bar.push(
            button(text(crate::fl!("app-retry-now")).size(13))
                .on_press(Message::RetryNow)
                .style(theme::button::secondary),
        );
    }
    Some(
        container(bar)
            .padding([4, 12])
            .width(Length::Fill)
            .style(theme::container::warning)
            .into(),
    )
}

/// The conversation header's second line: show and status, or last seen.
pub(super) fn presence_line(presence: Option<&ContactPresence>) -> String {
    let Some(p) = presence else {
        return crate::fl!("app-presence-unknown");
    };
    let show = p.show();
    let status = p.status();
    let show_text = crate::i18n::show_name(show);
    if show == Show::Unavailable
        && let Some(seen) = p.last_seen
    {
        let when = chrono::DateTime::from_timestamp_millis(seen)
            .map(|d| {
                d.with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        return crate::fl!("app-last-seen", when = when);
    }
    // A contact's words: one line, no bidi overrides or hidden characters.
    let status = crate::model::text::first_line(status, 160);
    if status.is_empty() {
        show_text
    } else {
        format!("{show_text} — {status}")
    }
}
