//! A loaded message with what the view needs of it computed once (its day and time, its
//! links, how it folds when it is long), and the search results made of the same.

use std::ops::Range;

use chrono::NaiveDate;

use super::day;
use super::links::{self, Piece};
use crate::model::styling::{self, Block};
use crate::model::{ChatMessage, MessageId, Millis};

/// A body with more lines than this, or more bytes than [`FOLD_BYTES`], is shown folded: its
/// first lines and "Show all". A long paste would otherwise fill the screen, and every frame
/// would lay out and draw all of it (a 1 MiB body: the whole window slow while it is loaded).
const FOLD_LINES: usize = 24;
/// See [`FOLD_LINES`].
const FOLD_BYTES: usize = 2_000;
/// What a folded body shows: its first lines, at most this many.
const PREVIEW_LINES: usize = 12;
/// What a folded body shows: at most this many bytes (cut at a character).
pub(super) const PREVIEW_BYTES: usize = 1_000;

/// A loaded message with what the view needs precomputed once, not at every frame.
pub(super) struct Entry {
    pub(super) msg: ChatMessage,
    pub(super) day: NaiveDate,
    pub(super) time: String,
    /// The body's links, when it has any.
    pub(super) pieces: Option<Vec<Piece>>,
    /// How a long body folds, when it is long.
    pub(super) fold: Option<Fold>,
    /// The body's styling (XEP-0393), when it has any.
    pub(super) styled: Option<Vec<Block>>,
}

/// A long body folded: what it shows, and how much there is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fold {
    /// The bytes shown while folded.
    pub(super) preview: Range<usize>,
    /// Lines in the whole body.
    pub(super) lines: usize,
}

impl Fold {
    /// How `body` folds: `None` when it is short enough to show whole.
    pub(super) fn of(body: &str) -> Option<Fold> {
        let lines = body.lines().count().max(1);
        if lines <= FOLD_LINES && body.len() <= FOLD_BYTES {
            return None;
        }
        let mut end = body
            .match_indices('\n')
            .nth(PREVIEW_LINES - 1)
            .map_or(body.len(), |(i, _)| i)
            .min(PREVIEW_BYTES);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        Some(Fold {
            preview: 0..end,
            lines,
        })
    }
}

impl Entry {
    pub(super) fn new(msg: ChatMessage) -> Entry {
        let (day, time) = day::local_parts(msg.sent_at);
        let pieces = links::pieces(&msg.body);
        let fold = Fold::of(&msg.body);
        let styled = styling::parse(&msg.body);
        Entry {
            msg,
            day,
            time,
            pieces,
            fold,
            styled,
        }
    }

    /// Where the message sits in the store's order (the history cursor).
    pub(super) fn cursor(&self) -> (Millis, i64) {
        (self.msg.sent_at, self.msg.local_id)
    }

    /// Where the message is shown: by the second it was sent, then in the order it was stored.
    /// Offline and archived copies carry whole-second stamps (XEP-0203), so an answer
    /// received after an own message of the same second would otherwise show above it.
    pub(super) fn order(&self) -> (Millis, i64) {
        let stored = if self.msg.local_id == 0 {
            i64::MAX
        } else {
            self.msg.local_id
        };
        (self.msg.sent_at.div_euclid(1000), stored)
    }

    /// The id the session knows an outbound message by.
    pub(super) fn wire_id(&self) -> Option<&MessageId> {
        self.msg.remote_id.as_ref().or(self.msg.origin_id.as_ref())
    }
}

/// The search bar and its results.
#[derive(Default)]
pub(super) struct Search {
    pub(super) query: String,
    /// Asked and not answered yet.
    pub(super) busy: bool,
    /// The answer to the last search; `None` before the first.
    pub(super) results: Option<Vec<Entry>>,
}
