//! One open conversation: the loaded pages of its history, the composer and the search in it.
//!
//! Only the pages the person scrolled to are in memory (and in the view): the app hands them
//! over one page at a time from the store, so a conversation of any length opens as fast as a
//! short one.

mod composer;
mod day;
mod entry;
mod jump;
mod links;
mod loaded;
mod menu;
mod menu_view;
mod select;
mod styled;
mod versions;
mod view;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use iced::widget::{scrollable, text_editor};

use crate::model::{
    BareJid, ChatMessage, ChatState, Delivery, Direction, MessageId, Millis, ReplyTo,
};
use crate::theme::Element;
use composer::Awaiting;
use entry::{Entry, Search};
pub use jump::{QUOTE_REACH, Quoted, reveal};
use links::Piece;
pub use menu_view::emoji_search_id;
pub use select::{Act, KeyPlace, Selection};

/// Pixels from the top of the history under which the next older page is asked for.
const NEAR_TOP: f32 = 200.0;
/// Pixels from the bottom within which the person follows the conversation as it grows.
const AT_BOTTOM: f32 = 32.0;
/// The most rows a followed conversation keeps as messages arrive: every frame lays out every
/// loaded row, and a burst into the open conversation would otherwise make each frame slower
/// than the last (6,550 rows: 34 ms a frame). Older rows come back from the store a page at a
/// time when the person scrolls up to them.
pub const FOLLOWING_KEEPS: usize = 200;

/// The composer's widget id: focus it with `iced::widget::operation::focus(chat::composer_id())`.
pub fn composer_id() -> iced::widget::Id {
    iced::widget::Id::new("chat-composer")
}

/// The search field's widget id: focus it after [`State::focus_search`] (Ctrl+F).
pub fn search_input_id() -> iced::widget::Id {
    iced::widget::Id::new("chat-search")
}

/// The history list's widget id (for `scroll_to` / `snap_to` operations).
pub fn history_id() -> iced::widget::Id {
    iced::widget::Id::new("chat-history")
}

/// One open conversation.
pub struct State {
    peer: BareJid,
    name: String,
    presence_line: String,
    /// Loaded messages, sorted by (sent_at, local_id).
    entries: Vec<Entry>,
    /// Local ids of `entries`, to drop the copies that arrive twice (carbons, archive).
    ids: HashSet<i64>,
    has_more: bool,
    /// A page was asked for and has not arrived yet (the first one from the start).
    loading: bool,
    /// What the server's archive may still have before the oldest stored message.
    archive: Archive,
    peer_state: Option<ChatState>,
    composer: text_editor::Content,
    composer_blank: bool,
    /// A message sent from the composer that the store has not taken yet: its text stays
    /// until it has (on a full disk it would be lost).
    awaiting: Option<Awaiting>,
    /// What the peer was last told about our typing.
    own_state: ChatState,
    last_edit: Option<Instant>,
    search: Option<Search>,
    notice: Option<String>,
    /// The composer's text is longer than a message can be ([`MAX_SENT_BODY`]).
    too_long: bool,
    /// The view is at the newest message (where it opens), following what arrives.
    following: bool,
    /// The long messages the person unfolded ("Show all"), by stored id.
    unfolded: HashSet<i64>,
    /// The menu open under a message, if any.
    menu: Option<menu::Menu>,
    /// What the composer writes: a new message, a reply, or a correction.
    mode: menu::Mode,
    /// Emoji the person reacted with lately, newest first.
    recent_emoji: Vec<String>,
    /// The message a reply's quote led to, marked since then.
    highlight: Option<(i64, Instant)>,
    /// Replies whose quoted message cannot be shown, and why.
    unreachable: HashMap<i64, jump::Unreachable>,
    /// The message selected with the keyboard, and the keys' place in what is open under it.
    keys: select::Keyboard,
}

/// The inputs of the conversation screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// The composer was edited or its cursor moved.
    Edit(text_editor::Action),
    /// Enter in the composer, or the Send button.
    Send,
    /// Shift+Enter in the composer.
    NewLine,
    /// The history was scrolled.
    Scrolled(scrollable::Viewport),
    /// The "earlier messages" button, or scrolled to the top.
    LoadOlder,
    /// Send a failed message again (its id).
    Retry(MessageId),
    /// "Show all" (true) or "Show less" on a long message (its stored id).
    Unfold(i64, bool),
    /// Open the search bar.
    SearchOpen,
    /// The search text changed.
    SearchInput(String),
    /// Search for the text.
    SearchSubmit,
    /// Close the search bar and its results.
    SearchClose,
    /// The header's Details button.
    Details,
    /// A link in a message was clicked.
    OpenLink(String),
    /// Time passes: typing that stopped becomes "paused". Route the app's periodic tick here.
    Tick,
    /// Page Up (`false`) or Page Down (`true`): the history scrolls by a page.
    Page(bool),
    /// Send the newest failed message again (Ctrl+Shift+R).
    RetryNewest,
    /// Open the newest link in the conversation (Ctrl+O).
    OpenNewestLink,
    /// A window shortcut pressed in the composer (Ctrl or Alt with a key).
    Shortcut(iced::keyboard::Key, iced::keyboard::Modifiers),
    /// A message's menu button (its stored id).
    MessageMenu(i64),
    /// Reply to the message.
    Reply(i64),
    /// Correct one's own message in the composer.
    EditMessage(i64),
    /// Up in an empty composer: correct one's newest message.
    EditLast,
    /// "Delete for everyone" chosen: asks first.
    AskDelete(i64),
    /// The answer to "Delete for everyone?".
    ConfirmDelete(bool),
    /// Open the emoji picker for the message.
    ReactPicker(i64),
    /// The picker's search text.
    EmojiSearch(String),
    /// An emoji chosen for the message (again: taken back).
    React(i64, String),
    /// Back to writing a new message (the banner's ×).
    CancelMode,
    /// The quote above a reply was clicked (the reply's stored id): show the message it
    /// answers, loading the pages back to it when needed.
    FollowQuote(i64),
    /// The earlier versions of an edited message (its "edited" mark, or its menu).
    Versions(i64),
    /// Ctrl+E: the earlier versions of the newest edited message.
    VersionsNewest,
    /// Copy a message's text (as it was sent: the styling characters are part of it).
    Copy(i64),
    /// Close what is open under a message (Esc, or the versions' Close).
    CloseMenu,
    /// The keyboard's selection of a message, and its keys.
    Selection(Selection),
}

/// What the server's archive may have before the oldest stored message of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Archive {
    /// Not asked yet in this conversation: scrolling past the store's oldest asks it.
    #[default]
    Unasked,
    /// Asked; the answer is on its way.
    Asking,
    /// Nothing older: the store has the conversation from its start.
    Start,
}

/// What the conversation asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing to do.
    None,
    /// Send a message.
    Send {
        /// The peer.
        to: BareJid,
        /// The trimmed text.
        body: String,
        /// The message it answers.
        reply_to: Option<ReplyTo>,
    },
    /// Correct one of the person's messages (its wire id).
    Correct {
        /// The message.
        id: MessageId,
        /// The new text.
        body: String,
    },
    /// Delete one of the person's messages for everyone.
    Retract {
        /// The message.
        id: MessageId,
    },
    /// The person's whole set of reactions to a message.
    React {
        /// The message.
        id: MessageId,
        /// The set.
        emoji: Vec<String>,
    },
    /// Load the page before `before` (the oldest loaded message's sent_at and local_id).
    LoadOlder {
        /// The peer.
        peer: BareJid,
        /// The oldest loaded (sent_at, local_id).
        before: (Millis, i64),
    },
    /// Ask the server's archive for what it has before the oldest stored message.
    FetchOlder {
        /// The peer.
        peer: BareJid,
    },
    /// Search this conversation's history.
    Search {
        /// The peer.
        peer: BareJid,
        /// What to look for.
        text: String,
    },
    /// Tell the peer about our typing.
    ChatState(ChatState),
    /// Send a failed message again.
    Retry {
        /// The message id (stanza id / origin-id).
        id: MessageId,
    },
    /// Open a link (http, https, xmpp or mailto only) through the desktop.
    OpenLink(String),
    /// Show the contact's details.
    Details,
    /// Scroll the history by a page, down (`true`) or up.
    Scroll(bool),
    /// A window shortcut pressed in the composer, for the app.
    Shortcut(iced::keyboard::Key, iced::keyboard::Modifiers),
    /// Read the earlier versions of a message from the store ([`State::set_versions`]).
    LoadVersions {
        /// The message's stored id.
        local_id: i64,
    },
    /// Find the message a reply quotes in the store, with the pages back to it
    /// ([`State::quoted`]).
    FindQuoted {
        /// The peer.
        peer: BareJid,
        /// The id the reply names it with.
        id: MessageId,
        /// The reply's stored id.
        reply: i64,
        /// The oldest loaded (sent_at, local_id): pages are loaded from there back.
        before: Option<(Millis, i64)>,
    },
    /// Scroll the history to a loaded message ([`reveal`]).
    Reveal(i64),
    /// Put the text on the clipboard.
    Copy(String),
}

impl State {
    /// An empty conversation with `peer`, loading its newest page.
    pub fn new(peer: BareJid, name: String) -> State {
        State {
            peer,
            name: crate::widget::safe_name(&name),
            presence_line: String::new(),
            entries: Vec::new(),
            ids: HashSet::new(),
            has_more: false,
            loading: true,
            archive: Archive::default(),
            peer_state: None,
            composer: text_editor::Content::new(),
            composer_blank: true,
            awaiting: None,
            own_state: ChatState::Active,
            last_edit: None,
            search: None,
            notice: None,
            too_long: false,
            following: true,
            unfolded: HashSet::new(),
            menu: None,
            mode: menu::Mode::New,
            recent_emoji: Vec::new(),
            highlight: None,
            unreachable: HashMap::new(),
            keys: select::Keyboard::default(),
        }
    }

    /// The peer.
    pub fn peer(&self) -> &BareJid {
        &self.peer
    }

    /// The name shown in the header (made safe to show).
    pub fn set_name(&mut self, name: String) {
        self.name = crate::widget::safe_name(&name);
    }

    /// Adds an older page (oldest first). A page shorter than `page_size` is the last one.
    pub fn prepend_page(&mut self, page: Vec<ChatMessage>, page_size: usize) {
        self.loading = false;
        self.has_more = page_size > 0 && page.len() >= page_size;
        self.merge(page);
    }

    /// Adds new messages (live, sent from here, carbons); copies of loaded ones replace them.
    /// The composer's message among them is in the store: the composer lets go of its text.
    pub fn push(&mut self, messages: Vec<ChatMessage>) {
        self.committed(&messages);
        if messages
            .iter()
            .any(|m| m.direction == Direction::In && m.peer == self.peer)
        {
            // A message from them ends their "typing…".
            self.peer_state = None;
        }
        self.merge(messages);
        if self.following && !self.loading && self.entries.len() > FOLLOWING_KEEPS {
            let dropped = self.entries.len() - FOLLOWING_KEEPS;
            for entry in self.entries.drain(..dropped) {
                self.ids.remove(&entry.msg.local_id);
            }
            self.has_more = true;
        }
    }

    /// The delivery state of an outbound message changed (`id`: its stanza id or origin-id).
    pub fn set_delivery(&mut self, id: &str, state: Delivery) {
        let is_it = |e: &&mut Entry| {
            e.msg.direction == Direction::Out
                && (e.msg.remote_id.as_deref() == Some(id)
                    || e.msg.origin_id.as_deref() == Some(id))
        };
        if let Some(entry) = self.entries.iter_mut().rev().find(is_it)
            && entry.msg.delivery.advances_to(state)
        {
            entry.msg.delivery = state;
        }
    }

    /// A loaded message was corrected, retracted or reacted to: shown as it now is.
    pub fn changed(&mut self, msg: ChatMessage) {
        if let Some(entry) = self
            .entries
            .iter_mut()
            .rev()
            .find(|e| e.msg.local_id == msg.local_id && msg.local_id != 0)
        {
            *entry = Entry::new(msg);
        }
    }

    /// The peer's typing state.
    pub fn set_chat_state(&mut self, state: ChatState) {
        self.peer_state = Some(state);
    }

    /// The answer to the last search (only this conversation's messages are kept).
    pub fn set_search_results(&mut self, results: Vec<ChatMessage>) {
        let Some(search) = self.search.as_mut() else {
            return;
        };
        search.busy = false;
        let peer = &self.peer;
        search.results = Some(
            results
                .into_iter()
                .filter(|m| &m.peer == peer)
                .map(Entry::new)
                .collect(),
        );
    }

    /// The header's second line (show and status, or "last seen …").
    pub fn set_presence_line(&mut self, text: String) {
        self.presence_line = text;
    }

    /// Opens the search bar (Ctrl+F). Focus [`search_input_id`] with a widget operation.
    pub fn focus_search(&mut self) {
        if self.search.is_none() {
            self.search = Some(Search::default());
        }
    }

    /// Whether the search bar is open.
    pub fn is_searching(&self) -> bool {
        self.search.is_some()
    }

    /// Keeps only the newest `keep` messages loaded (the conversation leaves the screen: when it
    /// comes back it starts at the bottom, and its first frame shapes only what is kept).
    pub fn forget_older(&mut self, keep: usize) {
        let drop = self.entries.len().saturating_sub(keep);
        if drop == 0 {
            return;
        }
        for entry in self.entries.drain(..drop) {
            self.ids.remove(&entry.msg.local_id);
        }
        self.has_more = true;
    }

    /// How many messages are loaded.
    pub fn loaded(&self) -> usize {
        self.entries.len()
    }

    /// The server's archive answered [`Action::FetchOlder`] (`complete`: it has nothing
    /// older): what it had is in the store, loaded from there next.
    pub fn older_fetched(&mut self, complete: bool) -> Action {
        if self.archive != Archive::Asking {
            return Action::None;
        }
        self.archive = if complete {
            Archive::Start
        } else {
            Archive::Unasked
        };
        self.has_more = true;
        self.load_older()
    }

    /// Whether the server's archive is being asked for earlier messages.
    pub fn fetching_older(&self) -> bool {
        self.archive == Archive::Asking
    }

    /// Whether older messages remain in the store.
    pub fn has_more(&self) -> bool {
        self.has_more
    }

    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        match self.while_selected(message) {
            Message::Edit(action) => {
                let edits = action.is_edit();
                self.composer.perform(action);
                if edits {
                    self.edited(Instant::now())
                } else {
                    Action::None
                }
            }
            Message::NewLine => {
                self.composer
                    .perform(text_editor::Action::Edit(text_editor::Edit::Enter));
                self.edited(Instant::now())
            }
            Message::Send => self.send(),
            Message::Scrolled(viewport) => {
                // The list is anchored to the bottom: the offset is the distance from the
                // bottom, the reversed offset the distance from the top.
                self.following = viewport.absolute_offset().y <= AT_BOTTOM;
                if viewport.absolute_offset_reversed().y <= NEAR_TOP {
                    self.load_older()
                } else {
                    Action::None
                }
            }
            Message::LoadOlder => self.load_older(),
            Message::Retry(id) => {
                // Shown as queued at once, so a second click does not send it twice.
                self.set_delivery(&id, Delivery::Queued);
                Action::Retry { id }
            }
            Message::Unfold(local_id, true) => {
                self.unfolded.insert(local_id);
                Action::None
            }
            Message::Unfold(local_id, false) => {
                self.unfolded.remove(&local_id);
                Action::None
            }
            Message::SearchOpen => {
                self.focus_search();
                Action::None
            }
            Message::SearchInput(text) => {
                if let Some(search) = self.search.as_mut() {
                    search.query = text;
                }
                Action::None
            }
            Message::SearchSubmit => self.submit_search(),
            Message::SearchClose => {
                self.search = None;
                Action::None
            }
            Message::Details => Action::Details,
            Message::OpenLink(url) => {
                if links::allowed(&url) {
                    Action::OpenLink(url)
                } else {
                    Action::None
                }
            }
            Message::Tick => {
                self.fade_highlight(Instant::now());
                self.tick(Instant::now())
            }
            Message::Page(down) => Action::Scroll(down),
            Message::Shortcut(key, modifiers) => Action::Shortcut(key, modifiers),
            Message::RetryNewest => match self.newest_failed() {
                Some(id) => self.update(Message::Retry(id)),
                None => Action::None,
            },
            Message::OpenNewestLink => match self.newest_link() {
                Some(url) => Action::OpenLink(url),
                None => Action::None,
            },
            other => self.on_menu(other),
        }
    }

    /// Enter in the search bar: asks for what is typed there, once it is not blank.
    fn submit_search(&mut self) -> Action {
        let Some(search) = self.search.as_mut() else {
            return Action::None;
        };
        let text = search.query.trim();
        if text.is_empty() {
            return Action::None;
        }
        search.busy = true;
        Action::Search {
            peer: self.peer.clone(),
            text: text.to_owned(),
        }
    }

    /// Asks for the page before the oldest loaded message: never twice for the same page,
    /// never past the start.
    fn load_older(&mut self) -> Action {
        if self.loading {
            return Action::None;
        }
        if !self.has_more {
            // Past the store's oldest: the server's archive may have more (a new device
            // fetched only the newest pages).
            if self.archive != Archive::Unasked || self.entries.is_empty() {
                return Action::None;
            }
            self.archive = Archive::Asking;
            return Action::FetchOlder {
                peer: self.peer.clone(),
            };
        }
        // The store's oldest, which the shown order can put second within its second.
        let Some(before) = self.entries.iter().map(Entry::cursor).min() else {
            return Action::None;
        };
        self.loading = true;
        Action::LoadOlder {
            peer: self.peer.clone(),
            before,
        }
    }

    /// The conversation.
    pub fn view(&self) -> Element<'_, Message> {
        view::view(self)
    }
}
