//! A reply's quote leads to the message it answers (XEP-0461): the history scrolls to it and
//! marks it for a moment. When it is not among the loaded pages, the app loads the pages back
//! to it from the store (within [`QUOTE_REACH`] messages); when the store does not have it, the
//! quote says so.

use std::time::{Duration, Instant};

use iced::advanced::widget::operation::{Operation, Outcome, scrollable};
use iced::widget::Id;
use iced::{Rectangle, Vector};

use super::{Action, Entry, State};
use crate::model::{ChatMessage, MessageId};

/// How long the message a quote led to stays marked.
const HIGHLIGHT_FOR: Duration = Duration::from_secs(3);
/// The most messages loaded to reach a quoted one. Every loaded row is laid out at every
/// frame, so a reply to the first message of a long conversation does not load all of it.
pub const QUOTE_REACH: usize = 1_000;

/// What the store found of the message a reply quotes.
#[derive(Debug, Clone)]
pub enum Quoted {
    /// It is stored: the pages from before the oldest loaded message back to the one that
    /// holds it, oldest first, and whether they reach the start of the conversation.
    Found {
        /// The quoted message's stored id.
        local_id: i64,
        /// The messages to load, oldest first.
        pages: Vec<ChatMessage>,
        /// Nothing older is stored.
        start: bool,
    },
    /// It is stored, but more than [`QUOTE_REACH`] messages back.
    TooFar,
    /// It is not stored at all.
    Missing,
}

/// Why a quote cannot lead to its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unreachable {
    Missing,
    TooFar,
}

impl State {
    /// The loaded message a reply quotes (by the id the reply names it with).
    pub(super) fn quoted_entry(&self, id: &MessageId) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.msg.origin_id.as_ref() == Some(id) || e.msg.remote_id.as_ref() == Some(id))
    }

    /// Scrolls to a loaded message and marks it for a moment.
    pub(super) fn jump_to(&mut self, local_id: i64) -> Action {
        if !self.entries.iter().any(|e| e.msg.local_id == local_id) {
            return Action::None;
        }
        self.following = false;
        self.highlight = Some((local_id, Instant::now()));
        Action::Reveal(local_id)
    }

    /// A reply's quote was clicked: to its message when loaded, else ask the app to find it.
    pub(super) fn follow_quote(&mut self, reply: i64) -> Action {
        let id = self
            .entries
            .iter()
            .rev()
            .find(|e| e.msg.local_id == reply)
            .and_then(|e| e.msg.extras.reply_to.as_ref())
            .map(|r| r.id.clone());
        let Some(id) = id else { return Action::None };
        if let Some(local_id) = self.quoted_entry(&id).map(|e| e.msg.local_id) {
            return self.jump_to(local_id);
        }
        Action::FindQuoted {
            peer: self.peer.clone(),
            id,
            reply,
            before: self.entries.iter().map(Entry::cursor).min(),
        }
    }

    /// What the store found for the quote of reply `reply`: its pages are loaded and the
    /// history goes to it, or the quote says why it cannot.
    pub fn quoted(&mut self, reply: i64, found: Quoted) -> Action {
        match found {
            Quoted::Found {
                local_id,
                pages,
                start,
            } => {
                if !pages.is_empty() {
                    self.has_more = !start;
                }
                self.merge(pages);
                self.jump_to(local_id)
            }
            Quoted::TooFar => {
                self.unreachable.insert(reply, Unreachable::TooFar);
                Action::None
            }
            Quoted::Missing => {
                self.unreachable.insert(reply, Unreachable::Missing);
                Action::None
            }
        }
    }

    /// Whether a message is marked because a quote led to it (route ticks while it is).
    pub fn is_highlighting(&self) -> bool {
        self.highlight.is_some()
    }

    /// The mark on the message a quote led to fades after [`HIGHLIGHT_FOR`].
    pub(super) fn fade_highlight(&mut self, now: Instant) {
        if self
            .highlight
            .is_some_and(|(_, at)| now.duration_since(at) >= HIGHLIGHT_FOR)
        {
            self.highlight = None;
        }
    }
}

/// The id of a message's row in the history.
pub(super) fn row_id(local_id: i64) -> Id {
    Id::from(format!("chat-row-{local_id}"))
}

/// Scrolls the history so that message `local_id` sits in its middle (as far as the history
/// reaches). Run it after the view that shows the message: it measures the laid-out rows.
pub fn reveal<T: Send + 'static>(local_id: i64) -> iced::Task<T> {
    iced::advanced::widget::operate(Reveal {
        history: super::history_id(),
        row: row_id(local_id),
        list: None,
        found: None,
    })
    .discard()
}

/// Finds the history and the row in one walk, then scrolls in a second.
struct Reveal {
    history: Id,
    row: Id,
    /// The history's bounds and its content's.
    list: Option<(Rectangle, Rectangle)>,
    found: Option<Rectangle>,
}

impl Operation for Reveal {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        operate(self);
    }

    fn scrollable(
        &mut self,
        id: Option<&Id>,
        bounds: Rectangle,
        content_bounds: Rectangle,
        _translation: Vector,
        _state: &mut dyn scrollable::Scrollable,
    ) {
        if id == Some(&self.history) {
            self.list = Some((bounds, content_bounds));
        }
    }

    fn container(&mut self, id: Option<&Id>, bounds: Rectangle) {
        if id == Some(&self.row) {
            self.found = Some(bounds);
        }
    }

    fn finish(&self) -> Outcome<()> {
        let (Some((list, content)), Some(row)) = (self.list, self.found) else {
            return Outcome::None;
        };
        let y = centred(list, content, row);
        Outcome::Chain(Box::new(scrollable::scroll_to(
            self.history.clone(),
            iced::widget::scrollable::AbsoluteOffset {
                x: None,
                y: Some(y),
            },
        )))
    }
}

/// The offset (counted from the bottom: the history is anchored there) that puts `row` in the
/// middle of `list`, within what the content allows.
pub(super) fn centred(list: Rectangle, content: Rectangle, row: Rectangle) -> f32 {
    let room = (content.height - list.height).max(0.0);
    let from_top = row.y - content.y - (list.height - row.height) / 2.0;
    room - from_top.clamp(0.0, room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_brought_to_the_middle_counted_from_the_bottom() {
        let list = Rectangle::new((0.0, 100.0).into(), (400.0, 500.0).into());
        let content = Rectangle::new((0.0, 100.0).into(), (400.0, 3_000.0).into());
        let row = |y: f32| Rectangle::new((0.0, 100.0 + y).into(), (400.0, 100.0).into());
        // In the middle of the content: its middle at the list's middle.
        assert_eq!(centred(list, content, row(1_000.0)), 2_500.0 - 800.0);
        // The first row: as far up as it goes; the last: the bottom.
        assert_eq!(centred(list, content, row(0.0)), 2_500.0);
        assert_eq!(centred(list, content, row(2_900.0)), 0.0);
        // Content shorter than the list: nothing to scroll.
        let short = Rectangle::new((0.0, 100.0).into(), (400.0, 300.0).into());
        assert_eq!(centred(list, short, row(100.0)), 0.0);
    }
}
