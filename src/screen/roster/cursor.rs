//! The keyboard's cursor in the contact list: Up/Down move it over group headers and contacts,
//! Enter opens the contact (or folds the group) under it.

use super::{Action, Message, State, view};
use crate::model::BareJid;

/// A row of the list, as the keyboard's cursor knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Row {
    /// A group header ("" is the default group).
    Group(String),
    /// A contact (bare JID).
    Contact(BareJid),
}

impl State {
    /// The rows in the order they are listed, with their heights: each group's header, then
    /// its contacts unless it is folded.
    pub(super) fn rows(&self) -> Vec<(Row, f32)> {
        let mut rows = Vec::new();
        for group in self.groups() {
            rows.push((
                Row::Group(group.name.unwrap_or_default().to_owned()),
                view::HEADER_HEIGHT,
            ));
            if !group.collapsed {
                rows.extend(
                    group
                        .contacts
                        .iter()
                        .map(|c| (Row::Contact(c.jid.clone()), view::ROW_HEIGHT)),
                );
            }
        }
        rows
    }

    /// Moves the cursor a row; it starts from the open conversation, or the top.
    pub(super) fn step(&mut self, down: bool) -> Action {
        let rows = self.rows();
        let from = self
            .cursor
            .clone()
            .or_else(|| self.selected.as_ref().map(|jid| Row::Contact(jid.clone())));
        let at = from.and_then(|row| rows.iter().position(|(r, _)| *r == row));
        let next = match (at, down) {
            (None, _) => 0,
            (Some(i), true) => (i + 1).min(rows.len().saturating_sub(1)),
            (Some(i), false) => i.saturating_sub(1),
        };
        let Some((row, height)) = rows.get(next).cloned() else {
            return Action::None;
        };
        self.cursor = Some(row);
        let top: f32 = rows[..next].iter().map(|(_, h)| h).sum();
        self.scroll
            .reveal(top, height)
            .map_or(Action::None, Action::Reveal)
    }

    pub(super) fn enter(&mut self) -> Action {
        let row = match self.cursor.clone() {
            Some(row) => row,
            None if !self.filter.trim().is_empty() => match self
                .rows()
                .into_iter()
                .find(|(r, _)| matches!(r, Row::Contact(_)))
            {
                Some((row, _)) => row,
                None => return Action::None,
            },
            None => return Action::None,
        };
        match row {
            Row::Group(name) => self.update(Message::ToggleGroup(name)),
            Row::Contact(jid) => self.update(Message::Select(jid)),
        }
    }

    /// Whether the keyboard's cursor is on `jid`'s row.
    pub(super) fn has_cursor(&self, row: &Row) -> bool {
        self.cursor.as_ref() == Some(row)
    }
}
