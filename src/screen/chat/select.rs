//! One message of the history chosen with the keyboard, and what the keys do to it.
//!
//! Ctrl+Up in the composer selects the newest message; Up and Down then walk the history
//! (loading older pages as scrolling up does), and single keys act on the selected message as
//! its menu would. The keys are the ones Discord and Slack give a focused message (R reply,
//! E edit, Delete, + react, C copy) and Telegram's Ctrl+Up to reach back into the history, so
//! a person who used those guesses them; none of them types anything while a message is
//! selected, and any other character goes back to the composer with it typed there.

use super::menu::{Menu, search_emoji};
use super::{Action, Direction, Entry, State};

/// A move of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The next older message (the newest one first).
    Older,
    /// The next newer message; past the newest, back to the composer.
    Newer,
    /// Close what is open under the selected message, else back to the composer (Esc).
    Back,
    /// Do something to the selected message.
    Act(Act),
    /// Reply to the newest message of the other person, without selecting it.
    ReplyTheirs,
    /// The previous (`false`) or next item of the menu opened with the keyboard.
    MenuStep(bool),
    /// Enter in that menu: its item chosen.
    MenuChoose,
    /// The previous (`false`) or next emoji in the picker.
    EmojiStep(bool),
    /// Enter in the picker: the emoji chosen.
    PickEmoji,
    /// Yes to "Delete for everyone?" asked from the keyboard.
    ConfirmDelete,
}

/// What a key does to the selected message: what its menu offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Reply,
    Edit,
    Delete,
    React,
    Copy,
    Versions,
    Menu,
}

/// Where the keys go while a message is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    /// The selected message.
    Selected,
    /// Its menu, opened with the keyboard.
    Menu,
    /// "Delete for everyone?" under it.
    Confirm,
    /// The emoji picker under it.
    Picker,
}

/// The keyboard's place in the history.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Keyboard {
    /// The selected message, by stored id.
    pub(super) selected: Option<i64>,
    /// The item of its menu or the emoji of its picker the keys are on.
    pub(super) cursor: usize,
    /// Up at the oldest loaded message asked for the page before it: the selection goes on
    /// into it when it comes.
    older_asked: bool,
}

/// One item of a message's menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
    Reply,
    React,
    Copy,
    Versions,
    Edit,
    Delete,
}

impl Item {
    pub(super) fn label(self) -> String {
        match self {
            Item::Reply => crate::fl!("chat-reply"),
            Item::React => crate::fl!("chat-react"),
            Item::Copy => crate::fl!("chat-copy"),
            Item::Versions => crate::fl!("chat-versions"),
            Item::Edit => crate::fl!("chat-edit"),
            Item::Delete => crate::fl!("chat-delete"),
        }
    }

    pub(super) fn act(self) -> Act {
        match self {
            Item::Reply => Act::Reply,
            Item::React => Act::React,
            Item::Copy => Act::Copy,
            Item::Versions => Act::Versions,
            Item::Edit => Act::Edit,
            Item::Delete => Act::Delete,
        }
    }
}

/// What a message's menu offers, in its order (the same for a click and for the keys).
pub(super) fn items(entry: &Entry) -> Vec<Item> {
    let mut items = vec![Item::Reply, Item::React];
    let x = &entry.msg.extras;
    if super::menu::copyable(entry).is_some() {
        items.push(Item::Copy);
    }
    if x.edited() && !x.retracted() {
        items.push(Item::Versions);
    }
    if is_own(entry) {
        items.extend([Item::Edit, Item::Delete]);
    }
    items
}

/// One of the person's own messages that is still there (it can be edited and deleted).
fn is_own(entry: &Entry) -> bool {
    entry.msg.direction == Direction::Out && !entry.msg.extras.retracted()
}

impl State {
    /// The selected message's stored id, when one is selected and still loaded.
    pub fn selected(&self) -> Option<i64> {
        self.keys
            .selected
            .filter(|id| self.entries.iter().any(|e| e.msg.local_id == *id))
    }

    /// Where the keys go now, when a message is selected.
    pub fn key_place(&self) -> Option<KeyPlace> {
        let id = self.selected()?;
        Some(match &self.menu {
            Some(Menu::Actions(m)) if *m == id => KeyPlace::Menu,
            Some(Menu::ConfirmDelete(m)) if *m == id => KeyPlace::Confirm,
            Some(Menu::React(m, _)) if *m == id => KeyPlace::Picker,
            _ => KeyPlace::Selected,
        })
    }

    /// No message selected any more (the keyboard is back in the composer).
    pub fn drop_selection(&mut self) {
        self.keys = Keyboard::default();
    }

    /// A page came: when the selection asked for it, it moves on to the newest message of the
    /// page, whose stored id is given to bring it into view.
    pub fn after_page(&mut self) -> Option<i64> {
        if !std::mem::take(&mut self.keys.older_asked) {
            return None;
        }
        match self.step(false) {
            Action::Reveal(id) => Some(id),
            _ => None,
        }
    }

    /// What the composer sends while a message is selected. Its keys are left to the window
    /// then, but keys pressed in one frame reach the composer as it was drawn before the
    /// selection: its Up and Enter mean the selection's Up and Enter; anything else it does
    /// (a click in it, a character typed) is the person back at writing.
    pub(super) fn while_selected(&mut self, message: super::Message) -> super::Message {
        use super::Message;
        if self.selected().is_none() {
            return message;
        }
        match message {
            Message::EditLast => Message::Selection(Selection::Older),
            Message::Send => Message::Selection(Selection::Act(Act::Reply)),
            Message::Edit(_) | Message::NewLine => {
                self.drop_selection();
                message
            }
            other => other,
        }
    }

    /// The keys of the selection.
    pub(super) fn on_selection(&mut self, selection: Selection) -> Action {
        match selection {
            Selection::Older => self.step(false),
            Selection::Newer => self.step(true),
            Selection::Back => {
                if !self.close_menu() {
                    self.drop_selection();
                }
                Action::None
            }
            Selection::Act(act) => match self.selected() {
                Some(id) => self.act(id, act),
                None => Action::None,
            },
            Selection::ReplyTheirs => {
                let theirs = self.entries.iter().rev().find(|e| {
                    e.msg.direction == Direction::In
                        && !e.msg.extras.retracted()
                        && e.wire_id().is_some()
                });
                if let Some(id) = theirs.map(|e| e.msg.local_id) {
                    self.drop_selection();
                    self.start_reply(id);
                }
                Action::None
            }
            Selection::MenuStep(next) => self.move_cursor(next, self.menu_len()),
            Selection::MenuChoose => self.choose_item(),
            Selection::EmojiStep(next) => self.move_cursor(next, self.picker_choices().len()),
            Selection::PickEmoji => self.pick_emoji(),
            Selection::ConfirmDelete => self.answer_delete(true),
        }
    }

    /// Moves the selection one message older or newer and brings it into view.
    fn step(&mut self, newer: bool) -> Action {
        let last = match self.entries.len() {
            0 => return Action::None,
            n => n - 1,
        };
        let at = self
            .selected()
            .and_then(|id| self.entries.iter().position(|e| e.msg.local_id == id));
        let to = match (at, newer) {
            // From the composer: the newest message first, whichever way.
            (None, _) => last,
            (Some(at), true) if at == last => {
                self.drop_selection();
                self.following = true;
                return Action::Reveal(self.entries[last].msg.local_id);
            }
            (Some(at), true) => at + 1,
            // At the oldest loaded: the page before it, as scrolling up asks for it.
            (Some(0), false) => {
                let asked = self.load_older();
                self.keys.older_asked = asked != Action::None;
                return asked;
            }
            (Some(at), false) => at - 1,
        };
        self.menu = None;
        let id = self.entries[to].msg.local_id;
        self.keys = Keyboard {
            selected: Some(id),
            ..Keyboard::default()
        };
        self.following = to == last;
        Action::Reveal(id)
    }

    /// What a key (or the keyboard's menu) does to message `id`.
    fn act(&mut self, id: i64, act: Act) -> Action {
        let Some(entry) = self.entry(id) else {
            return Action::None;
        };
        let own = is_own(entry);
        self.keys.cursor = 0;
        match act {
            Act::Reply => {
                self.drop_selection();
                self.start_reply(id);
            }
            Act::Edit if own => {
                self.drop_selection();
                self.start_edit(id);
            }
            Act::Delete if own => self.menu = Some(Menu::ConfirmDelete(id)),
            Act::React => self.menu = Some(Menu::React(id, String::new())),
            Act::Copy => return self.on_menu(super::Message::Copy(id)),
            Act::Versions => return self.open_versions(id),
            Act::Menu => self.menu = Some(Menu::Actions(id)),
            Act::Edit | Act::Delete => {}
        }
        Action::None
    }

    fn menu_len(&self) -> usize {
        self.selected()
            .and_then(|id| self.entry(id))
            .map_or(0, |e| items(e).len())
    }

    /// Steps the cursor through `len` choices, wrapping round at either end.
    fn move_cursor(&mut self, next: bool, len: usize) -> Action {
        if len > 0 {
            let at = self.keys.cursor.min(len - 1);
            self.keys.cursor = if next {
                (at + 1) % len
            } else {
                (at + len - 1) % len
            };
        }
        Action::None
    }

    /// Enter in the keyboard's menu: what its marked item does.
    fn choose_item(&mut self) -> Action {
        let Some(id) = self.selected() else {
            return Action::None;
        };
        let item = self
            .entry(id)
            .and_then(|e| items(e).get(self.keys.cursor).copied());
        self.menu = None;
        match item {
            Some(item) => self.act(id, item.act()),
            None => Action::None,
        }
    }

    /// The emoji the picker shows: the recent and common ones, or those its search finds.
    pub(super) fn picker_choices(&self) -> Vec<String> {
        match &self.menu {
            Some(Menu::React(_, query)) if !query.trim().is_empty() => {
                search_emoji(query).into_iter().map(str::to_owned).collect()
            }
            _ => self.offered_emoji(),
        }
    }

    /// Enter in the picker's search: the marked emoji (the first one found at first).
    fn pick_emoji(&mut self) -> Action {
        let Some(Menu::React(id, _)) = self.menu else {
            return Action::None;
        };
        let choices = self.picker_choices();
        let Some(emoji) = choices.get(self.keys.cursor).or(choices.first()) else {
            return Action::None;
        };
        let emoji = emoji.clone();
        self.keys.cursor = 0;
        self.toggle_reaction(id, emoji)
    }

    /// The item or emoji the keys are on in what is open under `local_id`, if they are there.
    pub(super) fn cursor_on(&self, local_id: i64) -> Option<usize> {
        let keyboard = self.selected() == Some(local_id);
        let picker = matches!(&self.menu, Some(Menu::React(m, _)) if *m == local_id);
        (keyboard || picker).then_some(self.keys.cursor)
    }
}
