//! The loaded messages: copies merged into the rows they are copies of, in the order they are
//! shown, and what the keyboard shortcuts look for among them.

use super::{Entry, Piece, State};
use crate::model::{ChatMessage, Delivery, Direction, MessageId};

impl State {
    pub(super) fn merge(&mut self, messages: Vec<ChatMessage>) {
        let mut added = false;
        for msg in messages {
            if msg.peer != self.peer {
                continue;
            }
            let found = self.position_of(&msg);
            if msg.local_id != 0 {
                self.ids.insert(msg.local_id);
            }
            if let Some(i) = found {
                let mut msg = msg;
                // A late copy never takes the delivery state back (delivered stays delivered).
                let known = self.entries[i].msg.delivery;
                if !known.advances_to(msg.delivery) {
                    msg.delivery = known;
                }
                self.entries[i] = Entry::new(msg);
            } else {
                self.entries.push(Entry::new(msg));
            }
            added = true;
        }
        if added {
            // Stable and run-aware: a page in front or new messages behind cost about O(n).
            self.entries.sort_by_key(Entry::order);
        }
    }

    /// The loaded copy of `msg`: the same stored row, or (while one side is not stored yet)
    /// the same stanza id in the same direction.
    fn position_of(&self, msg: &ChatMessage) -> Option<usize> {
        if msg.local_id != 0 && self.ids.contains(&msg.local_id) {
            return self
                .entries
                .iter()
                .rposition(|e| e.msg.local_id == msg.local_id);
        }
        let id = msg.remote_id.as_deref()?;
        self.entries.iter().rposition(|e| {
            (e.msg.local_id == 0 || msg.local_id == 0)
                && e.msg.direction == msg.direction
                && e.msg.remote_id.as_deref() == Some(id)
        })
    }

    /// The id of the newest message that could not be sent.
    pub(super) fn newest_failed(&self) -> Option<MessageId> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.msg.direction == Direction::Out && e.msg.delivery == Delivery::Failed)
            .find_map(|e| e.wire_id().cloned())
    }

    /// The last link (of the schemes opened) in the newest message that has one.
    pub(super) fn newest_link(&self) -> Option<String> {
        self.entries.iter().rev().find_map(|e| {
            let body = e.msg.body.as_str();
            e.pieces
                .as_ref()?
                .iter()
                .rev()
                .find_map(|piece| match piece {
                    Piece::Link(r) => body.get(r.clone()).map(str::to_owned),
                    Piece::Text(_) => None,
                })
        })
    }
}
