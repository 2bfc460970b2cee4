//! One loaded message of the conversation, with what its row needs made once.

use chrono::NaiveDate;

use super::day;
use super::links::{self, Piece};
use crate::model::{ChatMessage, Millis};

/// A loaded message with what the view needs precomputed once, not at every frame.
pub(super) struct Entry {
    pub(super) msg: ChatMessage,
    pub(super) day: NaiveDate,
    pub(super) time: String,
    /// The body's links, when it has any.
    pub(super) pieces: Option<Vec<Piece>>,
}

impl Entry {
    pub(super) fn new(msg: ChatMessage) -> Entry {
        let (day, time) = day::local_parts(msg.sent_at);
        let pieces = links::pieces(&msg.body);
        Entry {
            msg,
            day,
            time,
            pieces,
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
    pub(super) fn wire_id(&self) -> Option<&str> {
        self.msg
            .remote_id
            .as_deref()
            .or(self.msg.origin_id.as_deref())
    }
}
