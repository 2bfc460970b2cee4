//! The open conversation: opening one, and keeping what the person was writing in each, in
//! memory while the window runs and in the store across restarts (and crashes).

use iced::Task;

use super::state::SignedIn;
use super::{Message, Pane};
use crate::model::BareJid;
use crate::screen::chat;

impl SignedIn {
    /// Opens the conversation with `jid` (loading its newest page) with the keyboard in its
    /// composer, after what was typed there before: however it was opened, the person's next
    /// keys are the reply.
    pub(super) fn open(&mut self, jid: BareJid) -> Task<Message> {
        let load = self.show_conversation(jid);
        Task::batch([load, self.focus_composer()])
    }

    /// Shows the conversation with `jid`, its draft back in the composer, and loads its newest
    /// page; the keyboard stays where it is. The draft of the one it leaves is kept.
    pub(super) fn show_conversation(&mut self, jid: BareJid) -> Task<Message> {
        let desk = &mut self.desk;
        desk.pane = Pane::Chat;
        if desk.chat.as_ref().is_some_and(|c| *c.peer() == jid) {
            return Task::none();
        }
        let mut kept = Task::none();
        if let Some(left) = desk.chat.take() {
            let draft = left.composer_text();
            if draft.trim().is_empty() {
                desk.drafts.remove(left.peer());
            } else {
                desk.drafts.insert(left.peer().to_owned(), draft.clone());
            }
            kept = self.keep_draft(left.peer().to_owned(), draft);
        }
        let desk = &mut self.desk;
        let name = desk.roster.name_of(&jid);
        let mut chat = chat::State::new(jid.clone(), name);
        if let Some(draft) = desk.drafts.remove(&jid) {
            chat.set_composer_text(&draft);
        }
        desk.chat = Some(chat);
        desk.roster.set_selected(Some(jid.clone()));
        desk.unread.remove(&jid);
        desk.roster.set_unread(&jid, 0);
        self.refresh_presence_line();
        Task::batch([kept, self.load_history(jid, None)])
    }

    /// The open conversation's composer takes the keyboard, its cursor after the draft.
    pub(super) fn focus_composer(&mut self) -> Task<Message> {
        match self.desk.chat.as_mut() {
            Some(chat) => {
                chat.cursor_to_end();
                iced::widget::operation::focus(chat::composer_id())
            }
            None => Task::none(),
        }
    }

    /// Writes `text` down as the draft of the conversation with `peer` (blank: none). Called
    /// when the conversation is left, when typing starts and pauses, when a message is sent
    /// and when the window closes: a restart, or a crash, loses at most the last few seconds.
    pub(super) fn keep_draft(&self, peer: BareJid, text: String) -> Task<Message> {
        let store = self.desk.store.clone();
        let account = self.session.account_jid();
        let text = if text.trim().is_empty() {
            String::new()
        } else {
            text
        };
        Task::perform(
            async move {
                let now = crate::model::now_millis();
                store.set_draft(&account, &peer, text, now).await
            },
            |r| Message::done(r.map_err(Into::into)),
        )
    }

    /// [`keep_draft`](Self::keep_draft) for the open conversation, as its composer is now.
    pub(super) fn keep_open_draft(&self) -> Task<Message> {
        match self.desk.chat.as_ref() {
            Some(chat) => self.keep_draft(chat.peer().to_owned(), chat.composer_text()),
            None => Task::none(),
        }
    }
}
