//! What the message menu, the reply's quote and the composer's reply or edit banner look like.

use iced::widget::{button, column, container, row, space, text, text_input, tooltip};
use iced::{Alignment, Length};

use super::jump::Unreachable;
use super::menu::{Menu, Mode};
use super::select::{self, Item, KeyPlace, Selection};
use super::{Entry, Message, State};
use crate::theme::{self, Element};

/// The id of the picker's search field.
pub fn emoji_search_id() -> iced::widget::Id {
    iced::widget::Id::new("chat-emoji-search")
}

/// The small button that opens a message's menu.
pub(super) fn menu_button(entry: &Entry) -> Element<'_, Message> {
    button(text("⋯").size(12))
        .on_press(Message::MessageMenu(entry.msg.local_id))
        .padding([0, 6])
        .style(theme::button::text)
        .into()
}

/// What is open under the message, if anything.
pub(super) fn open_under<'a>(state: &'a State, entry: &'a Entry) -> Option<Element<'a, Message>> {
    let menu = state
        .menu
        .as_ref()
        .filter(|m| m.message() == entry.msg.local_id)?;
    Some(match menu {
        Menu::Actions(id) => actions(state, entry, *id),
        Menu::React(id, query) => picker(state, *id, query),
        Menu::ConfirmDelete(_) => confirm_delete(),
        Menu::Versions(_, list) => super::versions::view(list.as_deref()),
    })
}

fn small(label: String, message: Message) -> Element<'static, Message> {
    small_marked(label, message, false)
}

/// A small button; `marked` when the keyboard is on it (drawn as the primary button).
fn small_marked(label: String, message: Message, marked: bool) -> Element<'static, Message> {
    button(text(label).size(12))
        .on_press(message)
        .padding([2, 8])
        .style(if marked {
            theme::button::primary
        } else {
            theme::button::secondary
        })
        .into()
}

fn actions<'a>(state: &State, entry: &'a Entry, id: i64) -> Element<'a, Message> {
    let cursor = state.cursor_on(id);
    let buttons = select::items(entry)
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let message = match item {
                Item::Reply => Message::Reply(id),
                Item::React => Message::ReactPicker(id),
                Item::Copy => Message::Copy(id),
                Item::Versions => Message::Versions(id),
                Item::Edit => Message::EditMessage(id),
                Item::Delete => Message::AskDelete(id),
            };
            small_marked(item.label(), message, cursor == Some(i))
        });
    // Six buttons do not fit a narrow bubble on one line.
    iced::widget::Row::with_children(buttons)
        .spacing(6)
        .wrap()
        .into()
}

fn picker<'a>(state: &'a State, id: i64, query: &'a str) -> Element<'a, Message> {
    let cursor = state.cursor_on(id);
    let choices = state
        .picker_choices()
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            button(text(e.clone()).size(16))
                .on_press(Message::React(id, e))
                .padding([2, 4])
                .style(if cursor == Some(i) {
                    theme::button::secondary
                } else {
                    theme::button::text
                })
                .into()
        });
    let search = text_input(&crate::fl!("chat-emoji-search"), query)
        .id(emoji_search_id())
        .on_input(Message::EmojiSearch)
        .on_submit(Message::Selection(Selection::PickEmoji))
        .size(12)
        .width(Length::Fixed(180.0));
    column![
        iced::widget::Row::with_children(choices).spacing(2).wrap(),
        search
    ]
    .spacing(4)
    .into()
}

fn confirm_delete() -> Element<'static, Message> {
    row![
        text(crate::fl!("chat-delete-question")).size(12),
        small(crate::fl!("chat-delete-yes"), Message::ConfirmDelete(true)),
        small(crate::fl!("chat-delete-no"), Message::ConfirmDelete(false)),
    ]
    .spacing(6)
    .align_y(Alignment::Center)
    .into()
}

/// The message a reply answers, above it: who wrote it and its first line (or that it was
/// deleted), found among the loaded messages of this conversation only. A click leads to it,
/// loading the pages back to it; a quote whose message the store does not have says so.
pub(super) fn quote<'a>(state: &'a State, entry: &'a Entry) -> Option<Element<'a, Message>> {
    let reply = entry.msg.extras.reply_to.as_ref()?;
    let quoted = state.quoted_entry(&reply.id);
    let unreachable = state.unreachable.get(&entry.msg.local_id);
    let line = match (quoted, unreachable) {
        (Some(q), _) if q.msg.extras.retracted() => crate::fl!("message-deleted"),
        (Some(q), _) => q.msg.body.lines().next().unwrap_or_default().to_owned(),
        (None, Some(Unreachable::Missing)) => crate::fl!("chat-quote-missing"),
        (None, Some(Unreachable::TooFar)) => crate::fl!("chat-quote-far"),
        (None, None) => crate::fl!("chat-reply-not-loaded"),
    };
    let label = container(text(format!("↪ {line}")).size(12).style(theme::text::muted))
        .padding([2, 8])
        .style(theme::container::card);
    if quoted.is_none() && unreachable == Some(&Unreachable::Missing) {
        return Some(label.into());
    }
    Some(
        button(label)
            .on_press(Message::FollowQuote(entry.msg.local_id))
            .padding(0)
            .style(theme::button::text)
            .into(),
    )
}

/// Who reacted, for the tooltip of the reactions line.
pub(super) fn reacted_by(entry: &Entry) -> String {
    entry
        .msg
        .extras
        .reactions
        .iter()
        .map(|r| format!("{}: {}", r.from, r.emoji.join(" ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reactions line with who reacted in its tooltip.
pub(super) fn with_names<'a>(line: Element<'a, Message>, entry: &'a Entry) -> Element<'a, Message> {
    tooltip(
        line,
        container(text(reacted_by(entry)).size(12))
            .padding(6)
            .style(theme::container::card),
        tooltip::Position::Bottom,
    )
    .into()
}

/// Above the composer: the message being answered or corrected, with a way back to a new
/// message; an empty space otherwise, so that the composer keeps its place (and its focus).
pub(super) fn banner(state: &State) -> Element<'_, Message> {
    if let Some((place, entry)) = state
        .key_place()
        .zip(state.selected().and_then(|id| state.entry(id)))
    {
        return column![
            text(crate::fl!("chat-selected", text = first_line(entry))).size(12),
            text(key_hint(place)).size(12).style(theme::text::muted),
        ]
        .into();
    }
    let said = match &state.mode {
        Mode::New => return space::vertical().height(0).into(),
        Mode::Reply { quote, .. } => crate::fl!("chat-replying-to", text = quote.as_str()),
        Mode::Edit { .. } => crate::fl!("chat-editing"),
    };
    row![
        text(said).size(12).style(theme::text::muted),
        space::horizontal(),
        button(text("×").size(12))
            .on_press(Message::CancelMode)
            .padding([0, 6])
            .style(theme::button::text),
    ]
    .align_y(Alignment::Center)
    .into()
}

/// The selected message as the line above the composer names it (the mark around its bubble
/// is not seen by everyone, nor read out: iced has no accessibility tree yet).
fn first_line(entry: &Entry) -> String {
    let x = &entry.msg.extras;
    if x.retracted() {
        crate::fl!("message-deleted")
    } else if let Some(e) = &x.encryption {
        crate::fl!("message-encrypted", scheme = e.scheme_name())
    } else {
        entry.msg.body.lines().next().unwrap_or_default().to_owned()
    }
}

/// While a message is selected, the keys that act on it (a person who selected by accident
/// learns how back; one who did on purpose, what they can do).
fn key_hint(place: KeyPlace) -> String {
    match place {
        KeyPlace::Selected => crate::fl!("chat-keys-selected"),
        KeyPlace::Menu => crate::fl!("chat-keys-menu"),
        KeyPlace::Confirm => crate::fl!("chat-keys-confirm"),
        KeyPlace::Picker => crate::fl!("chat-keys-picker"),
    }
}
