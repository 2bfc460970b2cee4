//! The conversation's layout: header, search bar, history (or search results), typing line
//! and composer.

use chrono::NaiveDate;
use iced::keyboard::{self, key::Named};
use iced::widget::text::Wrapping;
use iced::widget::text_editor::{Binding, KeyPress, Status};
use iced::widget::{
    button, center_x, column, container, row, scrollable, space, text, text_editor, text_input,
};
use iced::{Alignment, Length};

use super::{Entry, Message, Search, State, day, menu_view, styled};
use crate::model::{ChatState, Delivery, Direction};
use crate::theme::{self, Element};

/// The widest a bubble grows before its text wraps.
const BUBBLE_WIDTH: f32 = 560.0;

/// The keys of the history rows, so a page put in front keeps the widget state (shaped text)
/// of the rows already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Top,
    Day(NaiveDate),
    Message(i64, i64),
}

/// One row of the history: a day separator or a message.
pub(super) enum Row<'a> {
    Day(NaiveDate),
    Message(&'a Entry),
}

/// The history as rows: a day separator before the first message of each day.
pub(super) fn rows(entries: &[Entry]) -> impl Iterator<Item = Row<'_>> {
    let mut previous: Option<NaiveDate> = None;
    entries.iter().flat_map(move |entry| {
        let separator = (previous != Some(entry.day)).then_some(Row::Day(entry.day));
        previous = Some(entry.day);
        separator
            .into_iter()
            .chain(std::iter::once(Row::Message(entry)))
    })
}

/// The page keeps the same children in the same places whatever is open: iced matches widget
/// state by position, so a row that came and went (the typing line, the search bar) would cost
/// the composer its focus and the history its shaped text and scroll position.
pub(super) fn view(state: &State) -> Element<'_, Message> {
    let today = day::today();
    let results = state.search.as_ref().and_then(|s| s.results.as_deref());
    let search: Element<'_, Message> = match &state.search {
        Some(search) => match results {
            Some(results) => column![search_bar(search), search_results(state, results, today)]
                .height(Length::Fill)
                .into(),
            None => column![search_bar(search)].into(),
        },
        None => space().into(),
    };
    column![
        header(state),
        search,
        // Hidden, not dropped, while results are shown.
        history(state, today, results.is_none()),
        line(typing_line(state), theme::text::muted),
        line(state.notice.clone(), theme::text::error),
        composer(state),
    ]
    .height(Length::Fill)
    .into()
}

/// A line of small text above the composer, or an empty space in its place. (Not a zero
/// height: iced's column drops a child of zero size, which would move the composer up a place.)
fn line<'a>(
    content: Option<String>,
    style: fn(&iced::Theme) -> text::Style,
) -> Element<'a, Message> {
    match content {
        Some(content) => container(text(content).size(13).style(style))
            .padding([2, 16])
            .into(),
        None => space().into(),
    }
}

fn header(state: &State) -> Element<'_, Message> {
    let title = if state.name.is_empty() {
        state.peer.as_str()
    } else {
        state.name.as_str()
    };
    let mut names = column![text(title).size(18)].spacing(2);
    let mut second = row![].spacing(8);
    if title != state.peer.as_str() {
        second = second.push(text(state.peer.as_str()).size(13).style(theme::text::muted));
    }
    if !state.presence_line.is_empty() {
        second = second.push(
            text(state.presence_line.as_str())
                .size(13)
                .style(theme::text::muted),
        );
    }
    names = names.push(second);
    let search = button(text(crate::fl!("chat-search")).size(14))
        .on_press(Message::SearchOpen)
        .style(theme::button::text);
    let details = button(text(crate::fl!("contact-details")).size(14))
        .on_press(Message::Details)
        .style(theme::button::text);
    container(
        row![names, space::horizontal(), search, details]
            .align_y(Alignment::Center)
            .spacing(8),
    )
    .padding([8, 16])
    .width(Length::Fill)
    .style(theme::container::bar)
    .into()
}

fn search_bar(search: &Search) -> Element<'_, Message> {
    let input = text_input(&crate::fl!("chat-search-placeholder"), &search.query)
        .id(super::search_input_id())
        .on_input(Message::SearchInput)
        .on_submit(Message::SearchSubmit)
        .padding(6);
    let find = button(text(crate::fl!("chat-search-submit")).size(14))
        .on_press_maybe((!search.query.trim().is_empty()).then_some(Message::SearchSubmit))
        .style(theme::button::primary);
    let close = button(text(crate::fl!("chat-search-close")).size(14))
        .on_press(Message::SearchClose)
        .style(theme::button::secondary);
    let mut bar = row![input, find, close]
        .spacing(8)
        .align_y(Alignment::Center);
    if search.busy {
        bar = bar.push(
            text(crate::fl!("chat-searching"))
                .size(13)
                .style(theme::text::muted),
        );
    }
    container(bar).padding([6, 16]).width(Length::Fill).into()
}

fn search_results<'a>(
    state: &'a State,
    results: &'a [Entry],
    today: NaiveDate,
) -> Element<'a, Message> {
    let mut list = column![
        text(crate::fl!("chat-search-count", count = results.len()))
            .size(13)
            .style(theme::text::muted)
    ]
    .spacing(8)
    .padding([8, 16]);
    for entry in results {
        let who = match entry.msg.direction {
            Direction::Out => crate::fl!("chat-you"),
            Direction::In => {
                if state.name.is_empty() {
                    state.peer.to_string()
                } else {
                    state.name.clone()
                }
            }
        };
        let when = row![
            text(day::label(entry.day, today))
                .size(12)
                .style(theme::text::muted),
            text(entry.time.as_str()).size(12).style(theme::text::muted),
            text(who).size(12),
        ]
        .spacing(8);
        let unfolded = state.unfolded.contains(&entry.msg.local_id);
        list = list.push(
            container(
                column![
                    when,
                    styled::body(entry, unfolded, styled::sender(state, entry))
                ]
                .spacing(4),
            )
            .padding([6, 10])
            .width(Length::Fill)
            .style(theme::container::card),
        );
    }
    scrollable(list)
        .height(Length::Fill)
        .width(Length::Fill)
        .into()
}

fn history(state: &State, today: NaiveDate, shown: bool) -> Element<'_, Message> {
    let mut list = crate::widget::KeyedColumn::with_capacity(state.entries.len() + 8)
        .spacing(6)
        .padding([8, 16])
        .push(Key::Top, top_row(state));
    for row in rows(&state.entries) {
        list = match row {
            Row::Day(day) => list.push(Key::Day(day), day_separator(day, today)),
            Row::Message(entry) => list.push(
                Key::Message(entry.msg.sent_at, entry.msg.local_id),
                message(state, entry, state.unfolded.contains(&entry.msg.local_id)),
            ),
        };
    }
    let list = scrollable(list)
        .id(super::history_id())
        .anchor_bottom()
        // Beside the bubbles, not over their delivery marks.
        .spacing(2)
        .on_scroll(Message::Scrolled)
        .height(Length::Fill)
        .width(Length::Fill);
    // Hidden by a zero maximum, not a zero height (a column drops zero-sized children).
    container(list)
        .max_height(if shown { f32::INFINITY } else { 0.0 })
        .into()
}

/// The start of what is loaded: loading, a button for earlier messages, or the beginning.
fn top_row(state: &State) -> Element<'_, Message> {
    let content: Element<'_, Message> = if state.fetching_older() {
        text(crate::fl!("chat-fetching-older"))
            .size(13)
            .style(theme::text::muted)
            .into()
    } else if state.loading {
        text(crate::fl!("chat-loading"))
            .size(13)
            .style(theme::text::muted)
            .into()
    } else if state.has_more && !state.entries.is_empty() {
        button(text(crate::fl!("chat-load-older")).size(13))
            .on_press(Message::LoadOlder)
            .style(theme::button::text)
            .into()
    } else if state.entries.is_empty() {
        text(crate::fl!("chat-empty"))
            .size(13)
            .style(theme::text::muted)
            .into()
    } else {
        text(crate::fl!("chat-start"))
            .size(13)
            .style(theme::text::muted)
            .into()
    };
    center_x(content).width(Length::Fill).into()
}

fn day_separator<'a>(day: NaiveDate, today: NaiveDate) -> Element<'a, Message> {
    center_x(
        container(text(day::label(day, today)).size(12))
            .padding([2, 10])
            .style(theme::container::card),
    )
    .width(Length::Fill)
    .into()
}

fn message<'a>(state: &'a State, entry: &'a Entry, unfolded: bool) -> Element<'a, Message> {
    let mut meta = row![text(entry.time.as_str()).size(11).style(theme::text::muted)]
        .spacing(6)
        .align_y(Alignment::Center);
    let out = entry.msg.direction == Direction::Out;
    let extras = &entry.msg.extras;
    if extras.edited() && !extras.retracted() {
        // The mark opens the earlier versions.
        meta = meta.push(
            button(
                text(crate::fl!("message-edited"))
                    .size(11)
                    .style(theme::text::muted),
            )
            .on_press(Message::Versions(entry.msg.local_id))
            .padding(0)
            .style(theme::button::text),
        );
    }
    if out {
        meta = meta.push(delivery(entry));
    }
    meta = meta.push(menu_view::menu_button(entry));
    let mut content = column![].spacing(2);
    if let Some(quote) = menu_view::quote(state, entry) {
        content = content.push(quote);
    }
    content = content.push(content_of(state, entry, unfolded)).push(meta);
    if let Some(line) = reactions_line(entry) {
        content = content.push(menu_view::with_names(line, entry));
    }
    if let Some(open) = menu_view::open_under(state, entry) {
        content = content.push(open);
    }
    let marked = state
        .highlight
        .is_some_and(|(id, _)| id == entry.msg.local_id);
    let selected = state.selected() == Some(entry.msg.local_id);
    let bubble = container(content)
        .padding([6, 10])
        .max_width(BUBBLE_WIDTH)
        .style(move |theme| match (selected, marked, out) {
            (true, _, _) => theme::container::bubble_selected(theme, out),
            (false, true, _) => theme::container::bubble_highlighted(theme, out),
            (false, false, true) => theme::container::bubble_out(theme),
            (false, false, false) => theme::container::bubble_in(theme),
        });
    let line = if out {
        row![space::horizontal(), bubble]
    } else {
        row![bubble, space::horizontal()]
    };
    // The id lets a quote's click find the row and scroll to it.
    container(line)
        .id(super::jump::row_id(entry.msg.local_id))
        .into()
}

/// The delivery state in symbols that do not rely on colour, and Retry for a failed message.
fn delivery(entry: &Entry) -> Element<'_, Message> {
    let mark = match entry.msg.delivery {
        Delivery::Queued => crate::fl!("chat-mark-queued"),
        Delivery::Sent => crate::fl!("chat-mark-sent"),
        Delivery::Acked => crate::fl!("chat-mark-acked"),
        Delivery::Delivered => crate::fl!("chat-mark-delivered"),
        Delivery::Received => return row![].into(),
        Delivery::Failed => {
            let mut failed = row![
                text(crate::fl!("chat-mark-failed"))
                    .size(11)
                    .style(theme::text::error)
            ]
            .spacing(6)
            .align_y(Alignment::Center);
            if let Some(id) = entry.wire_id() {
                failed = failed.push(
                    button(text(crate::fl!("chat-retry")).size(12))
                        .on_press(Message::Retry(id.to_owned()))
                        .padding([2, 8])
                        .style(theme::button::secondary),
                );
            }
            return failed.into();
        }
    };
    text(mark).size(11).into()
}

/// What the bubble says: the text, or in its place that it was deleted or cannot be read.
fn content_of<'a>(state: &'a State, entry: &'a Entry, unfolded: bool) -> Element<'a, Message> {
    let extras = &entry.msg.extras;
    let notice = if extras.retracted() {
        crate::fl!("message-deleted")
    } else if let Some(e) = &extras.encryption {
        crate::fl!("message-encrypted", scheme = e.scheme_name())
    } else {
        return styled::body(entry, unfolded, styled::sender(state, entry));
    };
    text(notice)
        .style(theme::text::muted)
        .wrapping(Wrapping::WordOrGlyph)
        .into()
}

/// Reactions under a message: each emoji with how many people chose it.
fn reactions_line(entry: &Entry) -> Option<Element<'_, Message>> {
    // Plain text in the bubble's own colours: readable on either side, light or dark. One
    // paragraph for the whole line, the reactions apart by an em space: a text widget per
    // emoji cost a third more per frame in a conversation where many messages have some
    // (benches/views/modern.rs).
    let line = crate::model::amend::reactions_line(&entry.msg.extras.reactions, "\u{2003}");
    (!line.is_empty()).then(|| text(line).size(13).into())
}

/// The id of a body that has links (lets tests and accessibility tools find it).
pub(super) fn link_body_id(local_id: i64) -> iced::widget::Id {
    iced::widget::Id::from(format!("chat-body-{local_id}"))
}

fn typing_line(state: &State) -> Option<String> {
    let name = if state.name.is_empty() {
        state.peer.to_string()
    } else {
        state.name.clone()
    };
    match state.peer_state? {
        ChatState::Composing => Some(crate::fl!("chat-typing", name = name)),
        ChatState::Paused => Some(crate::fl!("chat-paused", name = name)),
        ChatState::Active | ChatState::Inactive | ChatState::Gone => None,
    }
}

fn composer(state: &State) -> Element<'_, Message> {
    let blank = state.composer_blank;
    let selecting = state.selected().is_some();
    let editor = text_editor(&state.composer)
        .id(super::composer_id())
        .placeholder(crate::fl!("chat-placeholder"))
        .on_action(Message::Edit)
        .key_binding(move |press| key_binding(press, blank, selecting))
        .height(Length::Shrink)
        .max_height(180.0)
        .padding(8);
    let send = button(text(crate::fl!("chat-send")))
        .on_press_maybe((!state.composer_blank && !state.too_long).then_some(Message::Send))
        .padding([8, 16])
        .style(theme::button::primary);
    let banner = menu_view::banner(state);
    container(
        column![
            banner,
            row![editor, send].spacing(8).align_y(Alignment::End)
        ]
        .spacing(4),
    )
    .padding([8, 16])
    .width(Length::Fill)
    .style(theme::container::bar)
    .into()
}

/// Enter sends, Shift+Enter breaks the line, Page Up/Down scroll the history, Up in an empty
/// composer corrects the newest own message; the window's
/// shortcuts (Ctrl or Alt with a key) type nothing; every other key as usual. While a message
/// is selected the composer leaves every key to the window, which gives the selection's keys to
/// the message and the rest back to the composer.
fn key_binding(press: KeyPress, blank: bool, selecting: bool) -> Option<Binding<Message>> {
    if !matches!(press.status, Status::Focused { .. }) || selecting {
        return None;
    }
    let m = press.modifiers;
    match press.key.as_ref() {
        keyboard::Key::Named(Named::Enter) => {
            return Some(Binding::Custom(if m.shift() {
                Message::NewLine
            } else {
                Message::Send
            }));
        }
        keyboard::Key::Named(Named::PageUp) => return Some(Binding::Custom(Message::Page(false))),
        // Up in an empty composer: the newest own message, to correct.
        keyboard::Key::Named(Named::ArrowUp) if blank && !m.alt() && !m.control() => {
            return Some(Binding::Custom(Message::EditLast));
        }
        keyboard::Key::Named(Named::PageDown) => {
            return Some(Binding::Custom(Message::Page(true)));
        }
        // The window's shortcuts, sent from here so that they come in order with the keys
        // typed around them (the window hears of a key only after the widgets' messages).
        keyboard::Key::Named(Named::ArrowUp | Named::ArrowDown) if m.alt() || m.control() => {
            return Some(Binding::Custom(Message::Shortcut(press.key, m)));
        }
        keyboard::Key::Character(c)
            if (m.control() || m.alt()) && !matches!(c, "c" | "x" | "v" | "a") =>
        {
            return Some(Binding::Custom(Message::Shortcut(press.key, m)));
        }
        _ => {}
    }
    Binding::from_key_press(press)
}
