//! How the roster pane looks. Only the rows on screen are built (see `virtual_list`).

use iced::widget::text::Wrapping;
use iced::widget::{
    button, column, container, row, scrollable, text, text_input, toggler, tooltip,
};
use iced::{Alignment, Length};

use super::{Group, Message, State};
use crate::model::{RosterItem, Show};
use crate::theme::{self, Element};
use crate::widget;
use crate::widget::{subscription_mark, virtual_list};

/// Height of a group header row.
pub(super) const HEADER_HEIGHT: f32 = 28.0;
/// Height of a contact row (name and status line).
pub(super) const ROW_HEIGHT: f32 = 46.0;
/// Characters of a status message shown in a row.
const STATUS_CHARS: usize = 80;

/// The id of the filter field.
pub const FILTER_INPUT: &str = "roster-filter";
/// The id of the scrollable list (the keyboard's cursor scrolls it).
pub const LIST: &str = "roster-list";

#[derive(Clone, Copy)]
enum Entry {
    Header(usize),
    Contact(usize, usize),
}

pub(super) fn view(state: &State) -> Element<'_, Message> {
    let filter = text_input(&crate::fl!("roster-filter-placeholder"), &state.filter)
        .id(FILTER_INPUT)
        .on_input(Message::Filter)
        .on_submit(Message::Enter)
        .padding(6)
        .size(13);
    let add = tooltip(
        button(text("+").size(16))
            .on_press(Message::OpenAdd)
            .style(theme::button::secondary)
            .padding([2, 10]),
        container(text(crate::fl!("roster-add-tooltip")).size(12))
            .padding(6)
            .style(theme::container::card),
        tooltip::Position::Bottom,
    );
    let offline = toggler(state.show_offline())
        .label(crate::fl!("roster-show-offline"))
        .on_toggle(Message::ShowOffline)
        .text_size(13)
        .size(16);
    let mut pane = column![
        row![filter, add].spacing(6).align_y(Alignment::Center),
        container(offline).id("roster-show-offline"),
    ]
    .spacing(8)
    .padding([8, 8]);
    if let Some(form) = &state.add {
        let known = form
            .check()
            .ok()
            .and_then(|jid| state.item(&jid).map(|_| state.name_of(&jid)));
        pane = pane.push(form.view(known));
    }
    let groups = state.groups();
    let body: Element<'_, Message> = if groups.is_empty() {
        empty(state)
    } else {
        contacts(state, groups)
    };
    column![pane, body].height(Length::Fill).into()
}

fn contacts<'a>(state: &'a State, groups: Vec<Group<'a>>) -> Element<'a, Message> {
    let mut entries = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        entries.push(Entry::Header(g));
        if !group.collapsed {
            entries.extend((0..group.contacts.len()).map(|c| Entry::Contact(g, c)));
        }
    }
    let height = |e: &Entry| match e {
        Entry::Header(_) => HEADER_HEIGHT,
        Entry::Contact(..) => ROW_HEIGHT,
    };
    let list = virtual_list::column(&entries, height, state.scroll, |entry| match *entry {
        Entry::Header(g) => header(state, &groups[g]),
        Entry::Contact(g, c) => contact(state, groups[g].contacts[c]),
    });
    // The scroll bar beside the rows, not over their marks and counts.
    scrollable(container(list).padding([0, 6]))
        .id(LIST)
        .spacing(2)
        .on_scroll(Message::Scrolled)
        .height(Length::Fill)
        .width(Length::Fill)
        .into()
}

fn header<'a>(state: &'a State, group: &Group<'a>) -> Element<'a, Message> {
    let name = match group.name {
        Some(name) => widget::safe_name(name),
        None => crate::fl!("roster-group-default"),
    };
    let online = group
        .contacts
        .iter()
        .filter(|c| state.show_of(&c.jid) != Show::Unavailable)
        .count();
    let arrow = if group.collapsed { "▸" } else { "▾" };
    let line = row![
        text(arrow).size(12).style(theme::text::muted),
        text(name)
            .size(12)
            .wrapping(Wrapping::None)
            .width(Length::Fill),
        text(crate::fl!(
            "roster-group-count",
            online = online,
            total = group.contacts.len()
        ))
        .size(11)
        .style(theme::text::muted),
    ]
    .spacing(6)
    .align_y(Alignment::Center)
    .height(Length::Fill);
    let name = group.name.unwrap_or_default().to_owned();
    let cursor = state.has_cursor(&super::Row::Group(name.clone()));
    button(line)
        .on_press(Message::ToggleGroup(name))
        .style(move |theme, status| {
            if cursor {
                theme::button::row_marked(false, true)(theme, status)
            } else {
                theme::button::text(theme, status)
            }
        })
        .width(Length::Fill)
        .height(HEADER_HEIGHT)
        .padding([4, 4])
        .into()
}

fn contact<'a>(state: &'a State, item: &'a RosterItem) -> Element<'a, Message> {
    let jid = &item.jid;
    let show = state.show_of(jid);
    let status = state
        .presence(jid)
        .map(|p| crate::model::text::first_line(p.status(), STATUS_CHARS))
        .unwrap_or_default();
    let mut lines = column![text(state.display(jid)).size(14).wrapping(Wrapping::None)];
    if !status.is_empty() {
        lines = lines.push(
            text(status)
                .size(12)
                .wrapping(Wrapping::None)
                .style(theme::text::muted),
        );
    }
    let (symbol, words) = subscription_mark(item);
    let mark = tooltip(
        text(symbol).size(12).style(theme::text::muted),
        container(text(words).size(12))
            .padding(6)
            .max_width(260)
            .style(theme::container::card),
        tooltip::Position::Left,
    );
    let mut line = row![
        widget::presence(show),
        container(lines).width(Length::Fill).clip(true),
    ]
    .spacing(8)
    .align_y(Alignment::Center)
    .height(Length::Fill);
    if let Some(badge) = widget::badge(state.unread(jid)) {
        line = line.push(badge);
    }
    line = line.push(mark);
    let selected = state.selected() == Some(jid);
    let cursor = state.has_cursor(&super::Row::Contact(item.jid.clone()));
    button(line)
        .on_press(Message::Select(item.jid.clone()))
        .style(theme::button::row_marked(selected, cursor))
        .width(Length::Fill)
        .height(ROW_HEIGHT)
        .padding([4, 8])
        .into()
}

/// What an empty list says, and the way out.
fn empty(state: &State) -> Element<'_, Message> {
    let mut content = column![].spacing(8).align_x(Alignment::Center);
    if state.items.is_empty() {
        content = content.push(
            text(crate::fl!("roster-empty"))
                .size(13)
                .style(theme::text::muted),
        );
        content = content.push(
            button(text(crate::fl!("roster-add-tooltip")).size(13))
                .on_press(Message::OpenAdd)
                .style(theme::button::secondary),
        );
    } else if !state.filter.trim().is_empty() {
        let filter = state.filter.trim().to_owned();
        content = content.push(
            text(crate::fl!("roster-no-match", filter = filter))
                .size(13)
                .style(theme::text::muted),
        );
    } else {
        content = content.push(
            text(crate::fl!("roster-all-offline", count = state.items.len()))
                .size(13)
                .style(theme::text::muted),
        );
        content = content.push(
            button(text(crate::fl!("roster-show-offline")).size(13))
                .on_press(Message::ShowOffline(true))
                .style(theme::button::secondary),
        );
    }
    container(content)
        .padding(16)
        .width(Length::Fill)
        .center_x(Length::Fill)
        .into()
}
