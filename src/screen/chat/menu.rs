//! A message's menu (reply, react, edit, delete for everyone after a question) and the two
//! things the composer writes besides a new message: a reply to a message, and a new text for
//! one of the person's own.

use super::{Action, Entry, Message, State};
use crate::model::{BareJid, Direction, MessageId, Millis, ReplyTo};

/// The emoji offered first in the picker, after the person's recent ones.
pub(super) const COMMON_EMOJI: [&str; 8] = ["👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "👎"];
/// How many emoji the picker's search shows.
pub(super) const FOUND_EMOJI: usize = 24;
/// How many recently used emoji the picker remembers (for this window's lifetime).
const RECENT_EMOJI: usize = 8;

/// What is open under a message (by its stored id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Menu {
    /// Its actions.
    Actions(i64),
    /// The emoji picker, with what is typed in its search.
    React(i64, String),
    /// "Delete for everyone?", asked.
    ConfirmDelete(i64),
    /// Its earlier versions, newest first, once the store gave them.
    Versions(i64, Option<Vec<(Millis, String)>>),
}

impl Menu {
    /// The message it is open for.
    pub(super) fn message(&self) -> i64 {
        match self {
            Menu::Actions(id)
            | Menu::React(id, _)
            | Menu::ConfirmDelete(id)
            | Menu::Versions(id, _) => *id,
        }
    }
}

/// What the composer writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) enum Mode {
    /// A new message.
    #[default]
    New,
    /// A reply to a message, shown above the composer.
    Reply {
        /// The message answered, by the id the session knows it by.
        id: MessageId,
        /// Who wrote it.
        author: BareJid,
        /// Its text, as shown above the composer.
        quote: String,
    },
    /// A new text for one of the person's own messages.
    Edit {
        /// The message, by the id the session knows it by.
        id: MessageId,
    },
}

/// The emoji whose names contain every word of `query`, from the emoji data of the `emojis`
/// crate (Unicode's list, names in English).
pub(super) fn search_emoji(query: &str) -> Vec<&'static str> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    emojis::iter()
        .filter(|e| {
            let name = e.name().to_lowercase();
            words.iter().all(|w| name.contains(w.as_str()))
        })
        .map(emojis::Emoji::as_str)
        .take(FOUND_EMOJI)
        .collect()
}

impl State {
    /// The inputs of the message menu and of the composer's reply and edit modes.
    pub(super) fn on_menu(&mut self, message: Message) -> Action {
        match message {
            Message::MessageMenu(id) => self.toggle_menu(id),
            Message::Reply(id) => self.start_reply(id),
            Message::EditMessage(id) => self.start_edit(id),
            Message::EditLast => self.edit_last(),
            Message::AskDelete(id) => self.menu = Some(Menu::ConfirmDelete(id)),
            Message::ConfirmDelete(yes) => return self.answer_delete(yes),
            Message::ReactPicker(id) => {
                self.keys.cursor = 0;
                self.menu = Some(Menu::React(id, String::new()));
            }
            Message::EmojiSearch(query) => {
                if let Some(Menu::React(_, q)) = self.menu.as_mut() {
                    *q = query;
                    self.keys.cursor = 0;
                }
            }
            Message::React(id, emoji) => return self.toggle_reaction(id, emoji),
            Message::CancelMode => self.cancel_mode(),
            Message::FollowQuote(reply) => return self.follow_quote(reply),
            Message::Versions(id) => return self.open_versions(id),
            Message::VersionsNewest => return self.versions_of_newest(),
            Message::Copy(id) => {
                self.menu = None;
                if let Some(text) = self.entry(id).and_then(copyable) {
                    return Action::Copy(text);
                }
            }
            Message::CloseMenu => self.menu = None,
            Message::Selection(selection) => return self.on_selection(selection),
            _ => {}
        }
        Action::None
    }

    pub(super) fn entry(&self, local_id: i64) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.msg.local_id == local_id)
    }

    /// Opens or closes a message's menu.
    pub(super) fn toggle_menu(&mut self, local_id: i64) {
        self.menu = match &self.menu {
            Some(menu) if menu.message() == local_id => None,
            _ => Some(Menu::Actions(local_id)),
        };
    }

    /// The composer answers the message.
    pub(super) fn start_reply(&mut self, local_id: i64) {
        self.menu = None;
        let Some(entry) = self.entry(local_id) else {
            return;
        };
        let Some(id) = entry.wire_id() else { return };
        let author = match entry.msg.direction {
            Direction::In => entry.msg.peer.clone(),
            Direction::Out => entry.msg.account.clone(),
        };
        let quote = entry.msg.body.lines().next().unwrap_or_default().to_owned();
        self.mode = Mode::Reply {
            id: id.to_owned(),
            author,
            quote,
        };
    }

    /// The composer takes one of the person's own messages to correct it.
    pub(super) fn start_edit(&mut self, local_id: i64) {
        self.menu = None;
        let Some(entry) = self.entry(local_id) else {
            return;
        };
        let own = entry.msg.direction == Direction::Out && !entry.msg.extras.retracted();
        let Some(id) = entry.wire_id().filter(|_| own) else {
            return;
        };
        let (id, body) = (id.to_owned(), entry.msg.body.clone());
        self.mode = Mode::Edit { id };
        self.set_composer_text(&body);
    }

    /// Up in an empty composer: the person's newest message, to correct.
    pub(super) fn edit_last(&mut self) {
        let last = self
            .entries
            .iter()
            .rev()
            .find(|e| {
                e.msg.direction == Direction::Out
                    && !e.msg.extras.retracted()
                    && e.wire_id().is_some()
            })
            .map(|e| e.msg.local_id);
        if let Some(local_id) = last {
            self.start_edit(local_id);
        }
    }

    /// Back to writing a new message; an edit leaves the composer empty again.
    pub(super) fn cancel_mode(&mut self) {
        if matches!(self.mode, Mode::Edit { .. }) {
            self.set_composer_text("");
        }
        self.mode = Mode::New;
    }

    /// The composer's text in an edit: the correction, and the composer empties.
    pub(super) fn send_correction(&mut self, id: MessageId, body: String) -> Action {
        self.mode = Mode::New;
        self.set_composer_text("");
        Action::Correct { id, body }
    }

    /// The reply the composer's message answers, if it is one.
    pub(super) fn reply_to(&self) -> Option<ReplyTo> {
        match &self.mode {
            Mode::Reply { id, author, .. } => Some(ReplyTo {
                id: id.clone(),
                author: Some(author.clone()),
                quote: None,
            }),
            _ => None,
        }
    }

    /// An emoji chosen in the picker: added to the person's set for the message, or taken out
    /// of it when it was there.
    pub(super) fn toggle_reaction(&mut self, local_id: i64, emoji: String) -> Action {
        self.menu = None;
        let Some(entry) = self.entry(local_id) else {
            return Action::None;
        };
        let Some(id) = entry.wire_id() else {
            return Action::None;
        };
        let me = &entry.msg.account;
        let mut set: Vec<String> = entry
            .msg
            .extras
            .reactions
            .iter()
            .find(|r| &r.from == me)
            .map(|r| r.emoji.clone())
            .unwrap_or_default();
        match set.iter().position(|e| *e == emoji) {
            Some(at) => {
                set.remove(at);
            }
            None => set.push(emoji.clone()),
        }
        let id = id.to_owned();
        self.recent_emoji.retain(|e| *e != emoji);
        self.recent_emoji.insert(0, emoji);
        self.recent_emoji.truncate(RECENT_EMOJI);
        Action::React { id, emoji: set }
    }

    /// "Delete for everyone" answered: yes deletes the message the question was about.
    pub(super) fn answer_delete(&mut self, yes: bool) -> Action {
        let Some(Menu::ConfirmDelete(local_id)) = self.menu.take() else {
            return Action::None;
        };
        if !yes {
            return Action::None;
        }
        match self.entry(local_id).and_then(Entry::wire_id) {
            Some(id) => Action::Retract { id: id.to_owned() },
            None => Action::None,
        }
    }

    /// The emoji the picker offers first: recent ones, then the common ones.
    pub(super) fn offered_emoji(&self) -> Vec<String> {
        let mut offered = self.recent_emoji.clone();
        for e in COMMON_EMOJI {
            if !offered.iter().any(|o| o == e) {
                offered.push(e.to_owned());
            }
        }
        offered
    }
}

/// What copying a message puts on the clipboard: its text as sent (the styling characters and
/// the "/me" are part of it); nothing for a deleted or unreadable one.
pub(super) fn copyable(entry: &Entry) -> Option<String> {
    let x = &entry.msg.extras;
    let readable = !x.retracted() && x.encryption.is_none() && !entry.msg.body.is_empty();
    readable.then(|| entry.msg.body.clone())
}
