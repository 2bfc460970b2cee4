//! The composer: what is typed, sent one message at a time and kept until the store has it,
//! and what the peer is told about the typing.

use std::time::{Duration, Instant};

use iced::widget::text_editor;

use super::{Action, State};
use crate::model::{ChatMessage, ChatState, Direction, MAX_SENT_BODY, MessageId};

/// How long without a keystroke before "composing" becomes "paused" (XEP-0085 suggests ~5 s).
pub(super) const PAUSED_AFTER: Duration = Duration::from_secs(5);

/// The composer's message on its way to the store.
pub(super) struct Awaiting {
    /// The text sent, trimmed.
    pub(super) body: String,
    /// The id the app gave it ([`State::sending_as`]).
    pub(super) id: Option<MessageId>,
}

impl State {
    /// The id the app gave the message the composer just sent ([`Action::Send`]).
    pub fn sending_as(&mut self, id: &MessageId) {
        if let Some(awaiting) = self.awaiting.as_mut() {
            awaiting.id = Some(id.clone());
        }
    }

    /// Whether the composer waits for the store to take its message.
    pub fn is_sending(&self) -> bool {
        self.awaiting.is_some()
    }

    /// The message `id` was not taken (`reason`): when it is the composer's, its text stays
    /// for the person, with the reason above it; true then.
    pub fn not_sent(&mut self, id: &str, reason: &str) -> bool {
        if !self.awaits(id) {
            return false;
        }
        self.awaiting = None;
        // The sentence goes on after the reason, which may end one of its own.
        let reason = reason.trim_end_matches(['.', '。', '!']);
        self.notice = Some(crate::fl!("chat-not-sent", reason = reason));
        true
    }

    pub(super) fn awaits(&self, id: &str) -> bool {
        self.awaiting
            .as_ref()
            .is_some_and(|a| a.id.as_deref() == Some(id))
    }

    /// The composer's message is stored: its text goes, unless the person changed it since.
    pub(super) fn committed(&mut self, messages: &[ChatMessage]) {
        let stored = messages.iter().any(|m| {
            m.direction == Direction::Out
                && m.remote_id.as_deref().is_some_and(|id| self.awaits(id))
        });
        if !stored {
            return;
        }
        if let Some(awaiting) = self.awaiting.take()
            && self.composer.text().trim() == awaiting.body
        {
            self.composer = text_editor::Content::new();
            self.composer_blank = true;
            self.too_long = false;
        }
    }

    /// Whether the peer was told we are typing: while it is, route a tick of a few seconds
    /// ([`Message::Tick`]) so "paused" follows when the typing stops.
    pub fn is_composing(&self) -> bool {
        self.own_state == ChatState::Composing
    }

    /// The composer's text (for drafts).
    pub fn composer_text(&self) -> String {
        self.composer.text()
    }

    /// Replaces the composer's text (a draft, or an `xmpp:…?message;body=` link), cursor at
    /// the end.
    pub fn set_composer_text(&mut self, text: &str) {
        self.composer = text_editor::Content::with_text(text);
        self.composer
            .perform(text_editor::Action::Move(text_editor::Motion::DocumentEnd));
        self.composer_blank = text.trim().is_empty();
        self.too_long = text.trim().len() > MAX_SENT_BODY;
        self.notice = self.too_long.then(|| too_long(text.trim().len()));
    }

    /// Puts the composer's cursor after the last character (where a reply goes on).
    pub fn cursor_to_end(&mut self) {
        self.composer
            .perform(text_editor::Action::Move(text_editor::Motion::DocumentEnd));
    }

    pub(super) fn send(&mut self) -> Action {
        let text = self.composer.text();
        let body = text.trim();
        // One at a time: the last one is still on its way to the store.
        if body.is_empty() || self.awaiting.is_some() {
            return Action::None;
        }
        if body.len() > MAX_SENT_BODY {
            self.notice = Some(too_long(body.len()));
            return Action::None;
        }
        let body = body.to_owned();
        if let super::menu::Mode::Edit { id } = &self.mode {
            let id = id.clone();
            return self.send_correction(id, body);
        }
        let reply_to = self.reply_to();
        self.mode = super::menu::Mode::New;
        // The text stays until the store has the message ([`State::push`]).
        self.awaiting = Some(Awaiting {
            body: body.clone(),
            id: None,
        });
        self.notice = None;
        // The message itself tells the peer we are active again.
        self.own_state = ChatState::Active;
        self.last_edit = None;
        Action::Send {
            to: self.peer.clone(),
            body,
            reply_to,
        }
    }

    /// After an edit: "composing" once when typing starts, "active" when the text is cleared;
    /// nothing for the keystrokes in between.
    pub(super) fn edited(&mut self, now: Instant) -> Action {
        let text = self.composer.text();
        let size = text.trim().len();
        self.composer_blank = size == 0;
        // Said while it is typed, not only when it is sent.
        self.too_long = size > MAX_SENT_BODY;
        self.notice = self.too_long.then(|| too_long(size));
        if self.composer_blank {
            self.last_edit = None;
            return self.tell(ChatState::Active);
        }
        self.last_edit = Some(now);
        self.tell(ChatState::Composing)
    }

    /// Typing that stopped for a while becomes "paused".
    pub(super) fn tick(&mut self, now: Instant) -> Action {
        match self.last_edit {
            Some(at)
                if self.own_state == ChatState::Composing
                    && now.duration_since(at) >= PAUSED_AFTER =>
            {
                self.tell(ChatState::Paused)
            }
            _ => Action::None,
        }
    }

    pub(super) fn tell(&mut self, state: ChatState) -> Action {
        if self.own_state == state {
            return Action::None;
        }
        self.own_state = state;
        Action::ChatState(state)
    }
}

/// Why a text of `size` bytes cannot be sent, in the person's language.
fn too_long(size: usize) -> String {
    let max = MAX_SENT_BODY;
    let kib = max / 1024;
    crate::fl!("chat-too-long", size = size, max = max, kib = kib)
}
