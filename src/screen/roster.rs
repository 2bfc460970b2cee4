//! The roster pane: contacts grouped by roster group, online first, with a filter, a "show
//! offline" toggle and the add-contact dialog. Presence is aggregated here per contact from the
//! per-resource presences the app feeds in.

mod add;
mod cursor;
mod view;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use iced::widget::scrollable::Viewport;

use crate::model::{
    BareJid, ContactPresence, Jid, Millis, ResourcePresence, RosterItem, Show, collate,
};
use crate::theme::Element;
use crate::widget::{safe_name, virtual_list};
use cursor::Row;

pub use add::JID_INPUT as ADD_JID_INPUT;
pub use view::{FILTER_INPUT, LIST};

/// Resources kept per contact; more than this is a misbehaving peer, not a person's devices.
const MAX_RESOURCES: usize = 64;

/// The roster pane.
#[derive(Debug, Default)]
pub struct State {
    items: Vec<RosterItem>,
    /// Parallel to `items`: what sorting and filtering need, computed once per change.
    keys: Vec<Keys>,
    index: HashMap<BareJid, usize>,
    presence: HashMap<BareJid, ContactPresence>,
    unread: HashMap<BareJid, usize>,
    selected: Option<BareJid>,
    filter: String,
    hide_offline: bool,
    /// Collapsed groups by name; "" is the default group.
    collapsed: HashSet<String>,
    add: Option<add::Form>,
    /// The row the keyboard is on (Up/Down), which Enter opens or folds.
    cursor: Option<Row>,
    scroll: virtual_list::Scroll,
    /// What `groups()` computed last, until something it depends on changes: the view is
    /// rebuilt after every message the app handles, the grouping only after these changes.
    cache: Mutex<Option<Vec<Cached>>>,
}

/// A group as indices: the name is `items[i].groups[j]` (`None`: the default group), the
/// members index `items`, already filtered and sorted.
#[derive(Debug)]
struct Cached {
    name: Option<(usize, usize)>,
    members: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Keys {
    /// The name shown: the roster name made safe, or the address.
    display: String,
    /// What `display` sorts by: numbers by value, without case or accents.
    order: collate::Key,
    /// `display` without case or accents, to filter.
    display_folded: String,
    /// The address without case or accents, to filter.
    jid_folded: String,
}

impl Keys {
    fn of(item: &RosterItem) -> Keys {
        let display = display_name(item);
        Keys {
            order: collate::Key::new(&display),
            display_folded: collate::fold(&display),
            jid_folded: collate::fold(item.jid.as_str()),
            display,
        }
    }
}

/// The inputs of the roster pane.
#[derive(Debug, Clone)]
pub enum Message {
    /// The filter text changed.
    Filter(String),
    /// "Show offline" was switched.
    ShowOffline(bool),
    /// A group header was clicked ("" is the default group).
    ToggleGroup(String),
    /// A contact was clicked.
    Select(BareJid),
    /// The add-contact dialog opens.
    OpenAdd,
    /// Add dialog: the address changed.
    AddJid(String),
    /// Add dialog: the name changed.
    AddName(String),
    /// Add dialog: the group changed.
    AddGroup(String),
    /// Add dialog: the message changed.
    AddMessage(String),
    /// Add dialog: "Let them see my status" ticked or not.
    AddShare(bool),
    /// Add dialog: submit (ignored while the address is invalid).
    SubmitAdd,
    /// Add dialog: close without adding (also Esc).
    CancelAdd,
    /// The contact list scrolled or was resized.
    Scrolled(Viewport),
    /// The keyboard's cursor moves down (`true`) or up a row.
    Step(bool),
    /// Enter: open the contact under the cursor (the first one listed when a filter is typed
    /// and the cursor is nowhere), or fold its group.
    Enter,
}

/// What the roster asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Nothing.
    None,
    /// Open the conversation with this contact.
    Open(BareJid),
    /// Add a contact to the roster, ask to see their presence and, when `share_presence`, let
    /// them see ours.
    Add {
        jid: BareJid,
        name: Option<String>,
        groups: Vec<String>,
        message: Option<String>,
        share_presence: bool,
    },
    /// Remember whether offline contacts are shown, for the next start.
    ShowOffline(bool),
    /// Scroll the list to this offset (the cursor's row went out of sight).
    Reveal(f32),
}

/// One group as the view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// The roster group; `None` for contacts without a group ("Contacts").
    pub name: Option<&'a str>,
    /// The person folded the group away.
    pub collapsed: bool,
    /// The contacts shown, online first, then by name. Filled even when collapsed.
    pub contacts: Vec<&'a RosterItem>,
}

impl State {
    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Filter(text) => {
                self.filter = text.chars().take(200).collect();
                self.cursor = None;
                self.invalidate();
            }
            Message::Step(down) => return self.step(down),
            Message::Enter => return self.enter(),
            Message::ShowOffline(show) => {
                self.set_show_offline(show);
                return Action::ShowOffline(show);
            }
            Message::ToggleGroup(name) => {
                if !self.collapsed.remove(&name) {
                    self.collapsed.insert(name);
                }
            }
            Message::Select(jid) => {
                self.set_selected(Some(jid.clone()));
                return Action::Open(jid);
            }
            Message::OpenAdd => self.open_add(None),
            Message::AddJid(v) => self.form(|f| f.set_jid(v)),
            Message::AddName(v) => self.form(|f| f.set_name(v)),
            Message::AddGroup(v) => self.form(|f| f.set_group(v)),
            Message::AddMessage(v) => self.form(|f| f.set_message(v)),
            Message::AddShare(share) => self.form(|f| f.share = share),
            Message::SubmitAdd => {
                if let Some(req) = self.add.as_ref().and_then(add::Form::request) {
                    self.add = None;
                    // Adding someone already listed must not wipe the name or groups the
                    // person left empty: a roster set replaces the whole item.
                    let known = self.item(&req.jid);
                    let name = req.name.or_else(|| known.and_then(|i| i.name.clone()));
                    let groups = if req.groups.is_empty() {
                        known.map(|i| i.groups.clone()).unwrap_or_default()
                    } else {
                        req.groups
                    };
                    return Action::Add {
                        jid: req.jid,
                        name,
                        groups,
                        message: req.message,
                        share_presence: req.share_presence,
                    };
                }
            }
            Message::CancelAdd => self.add = None,
            Message::Scrolled(viewport) => self.scroll.update(viewport),
        }
        Action::None
    }

    fn invalidate(&mut self) {
        *self.cache.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn form(&mut self, change: impl FnOnce(&mut add::Form)) {
        if let Some(form) = self.add.as_mut() {
            change(form);
        }
    }

    /// The pane: filter, "show offline", add button and the grouped contacts (or the dialog).
    pub fn view(&self) -> Element<'_, Message> {
        view::view(self)
    }

    /// Replaces the whole roster (the batched roster event).
    pub fn set_roster(&mut self, items: Vec<RosterItem>) {
        self.items.clear();
        self.keys.clear();
        self.index.clear();
        self.invalidate();
        for item in items {
            self.apply_push(item);
        }
    }

    /// Adds or updates one contact (a roster push).
    pub fn apply_push(&mut self, item: RosterItem) {
        self.invalidate();
        let keys = Keys::of(&item);
        match self.index.get(&item.jid) {
            Some(&i) => {
                self.items[i] = item;
                self.keys[i] = keys;
            }
            None => {
                self.index.insert(item.jid.clone(), self.items.len());
                self.items.push(item);
                self.keys.push(keys);
            }
        }
    }

    /// Removes a contact.
    pub fn remove(&mut self, jid: &BareJid) {
        let Some(i) = self.index.remove(jid) else {
            return;
        };
        self.invalidate();
        self.items.swap_remove(i);
        self.keys.swap_remove(i);
        if let Some(moved) = self.items.get(i) {
            self.index.insert(moved.jid.clone(), i);
        }
        self.presence.remove(jid);
    }

    /// Every contact, in no particular order (for the requests screen).
    pub fn items(&self) -> &[RosterItem] {
        &self.items
    }

    /// Applies the presence of one resource (`bare` without a resource for a resource-less
    /// sender). Presences from addresses outside the roster are not kept.
    pub fn set_presence(&mut self, full_jid: &Jid, presence: ResourcePresence, now: Millis) {
        let bare = full_jid.to_bare();
        let resource = full_jid.resource().map_or("", |r| r.as_str());
        if !self.index.contains_key(&bare) {
            return;
        }
        let contact = self.presence.entry(bare).or_default();
        let known = contact.resources.contains_key(resource);
        if presence.show != Show::Unavailable && !known && contact.resources.len() >= MAX_RESOURCES
        {
            return;
        }
        let was_online = contact.show() != Show::Unavailable;
        contact.apply(resource, presence, now);
        if was_online != (contact.show() != Show::Unavailable) {
            self.invalidate();
        }
    }

    /// Records when an offline contact was last seen.
    pub fn set_last_seen(&mut self, jid: &BareJid, last_seen: Option<Millis>) {
        if self.index.contains_key(jid) {
            self.presence.entry(jid.clone()).or_default().last_seen = last_seen;
        }
    }

    /// The aggregated presence of a contact, when any was received.
    pub fn presence(&self, jid: &BareJid) -> Option<&ContactPresence> {
        self.presence.get(jid)
    }

    /// The contact-level show (unavailable when nothing is known).
    pub fn show_of(&self, jid: &BareJid) -> Show {
        self.presence
            .get(jid)
            .map_or(Show::Unavailable, ContactPresence::show)
    }

    /// Forgets every online resource (the account went offline: nothing is known any more).
    pub fn clear_presence(&mut self) {
        for contact in self.presence.values_mut() {
            contact.resources.clear();
        }
        self.invalidate();
    }

    /// Sets the unread count shown on a contact.
    pub fn set_unread(&mut self, jid: &BareJid, count: usize) {
        if (count == 0) != (self.unread(jid) == 0) {
            self.invalidate();
        }
        if count == 0 {
            self.unread.remove(jid);
        } else {
            self.unread.insert(jid.clone(), count);
        }
    }

    /// The unread count of a contact.
    pub fn unread(&self, jid: &BareJid) -> usize {
        self.unread.get(jid).copied().unwrap_or(0)
    }

    /// Marks the open conversation.
    pub fn set_selected(&mut self, jid: Option<BareJid>) {
        if self.selected != jid {
            self.selected = jid;
            self.invalidate();
        }
    }

    /// The open conversation.
    pub fn selected(&self) -> Option<&BareJid> {
        self.selected.as_ref()
    }

    /// The name to show for a JID: the roster name (made safe) or the JID itself.
    pub fn name_of(&self, jid: &BareJid) -> String {
        match self.index.get(jid) {
            Some(&i) => self.keys[i].display.clone(),
            None => safe_name(jid.as_str()),
        }
    }

    /// The roster entry of a JID.
    pub fn item(&self, jid: &BareJid) -> Option<&RosterItem> {
        self.index.get(jid).map(|&i| &self.items[i])
    }

    /// Opens the add-contact dialog, pre-filled with `jid` (from an `xmpp:…?roster` link). The
    /// app focuses [`ADD_JID_INPUT`].
    /// Opening it again (Ctrl+N twice) keeps what was typed.
    pub fn open_add(&mut self, jid: Option<String>) {
        let form = self.add.get_or_insert_with(add::Form::default);
        if let Some(jid) = jid {
            form.set_jid(jid);
        }
    }

    /// Opens the add-contact dialog filled in (an `xmpp:…?roster` link); nothing is sent until
    /// the person presses Add.
    pub fn open_add_filled(&mut self, jid: &BareJid, name: Option<String>, group: Option<String>) {
        let form = self.add.get_or_insert_with(add::Form::default);
        form.set_jid(jid.to_string());
        form.set_name(name.unwrap_or_default());
        form.set_group(group.unwrap_or_default());
    }

    /// The add-contact dialog's fields, when it is open.
    pub fn add_form(&self) -> Option<&add::Form> {
        self.add.as_ref()
    }

    /// Whether the add-contact dialog is open.
    pub fn is_adding(&self) -> bool {
        self.add.is_some()
    }

    /// Lists offline contacts or not (the remembered choice at start, or the toggle).
    pub fn set_show_offline(&mut self, show: bool) {
        self.hide_offline = !show;
        self.invalidate();
    }

    /// Whether offline contacts are listed (a filter lists matching ones either way).
    pub fn show_offline(&self) -> bool {
        !self.hide_offline
    }

    /// The filter text.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// The contact after (or before) the open one, in the order the roster shows them
    /// (collapsed groups skipped, a contact in two groups counted once); the first (or last)
    /// when none is open.
    pub fn next_conversation(&self, down: bool) -> Option<BareJid> {
        let mut seen = HashSet::new();
        let order: Vec<&BareJid> = self
            .groups()
            .iter()
            .filter(|g| !g.collapsed)
            .flat_map(|g| g.contacts.iter().map(|c| &c.jid))
            .filter(|jid| seen.insert(*jid))
            .collect();
        let current = self
            .selected
            .as_ref()
            .and_then(|s| order.iter().position(|j| *j == s));
        let next = match (current, down) {
            (None, true) => order.first(),
            (None, false) => order.last(),
            (Some(i), true) => order.get(i + 1),
            (Some(i), false) => i.checked_sub(1).and_then(|i| order.get(i)),
        };
        next.map(|j| (*j).clone())
    }

    /// What the view shows: groups sorted by name (no group last), each with its contacts
    /// online first then by name; only contacts matching the filter (name or JID); offline
    /// contacts only when "show offline" is on, a filter is typed, or they are open or unread.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = cache.get_or_insert_with(|| self.compute_groups());
        let member = |i: &usize| self.items.get(*i);
        cached
            .iter()
            .map(|g| {
                let name = g
                    .name
                    .and_then(|(i, j)| self.items.get(i)?.groups.get(j))
                    .map(String::as_str);
                Group {
                    name,
                    collapsed: self.collapsed.contains(name.unwrap_or_default()),
                    contacts: g.members.iter().filter_map(member).collect(),
                }
            })
            .collect()
    }

    fn compute_groups(&self) -> Vec<Cached> {
        let needle = collate::fold(self.filter.trim());
        let online: Vec<bool> = self
            .items
            .iter()
            .map(|i| self.show_of(&i.jid) != Show::Unavailable)
            .collect();
        // Group name -> where the name is written (item, index in its groups) and the members.
        let mut named: HashMap<&str, Cached> = HashMap::new();
        let mut ungrouped = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let keys = &self.keys[i];
            if !needle.is_empty() {
                if !keys.display_folded.contains(&needle) && !keys.jid_folded.contains(&needle) {
                    continue;
                }
            } else if self.hide_offline
                && !online[i]
                && self.selected.as_ref() != Some(&item.jid)
                && !self.unread.contains_key(&item.jid)
            {
                continue;
            }
            let mut grouped = false;
            for (j, group) in item
                .groups
                .iter()
                .enumerate()
                .filter(|(_, g)| !g.trim().is_empty())
            {
                let members = &mut named
                    .entry(group.as_str())
                    .or_insert_with(|| Cached {
                        name: Some((i, j)),
                        members: Vec::new(),
                    })
                    .members;
                // Groups are documented sorted and unique; a duplicate must not list twice.
                if members.last() != Some(&i) {
                    members.push(i);
                }
                grouped = true;
            }
            if !grouped {
                ungrouped.push(i);
            }
        }
        let order = |members: &mut Vec<usize>| {
            members.sort_unstable_by(|&a, &b| {
                online[b]
                    .cmp(&online[a])
                    .then_with(|| self.keys[a].order.cmp(&self.keys[b].order))
                    .then_with(|| self.items[a].jid.cmp(&self.items[b].jid))
            });
        };
        let mut named: Vec<(&str, Cached)> = named.into_iter().collect();
        named.sort_by_cached_key(|(name, _)| collate::Key::new(name));
        let mut groups = Vec::with_capacity(named.len() + 1);
        for (_, mut group) in named {
            order(&mut group.members);
            groups.push(group);
        }
        if !ungrouped.is_empty() {
            order(&mut ungrouped);
            groups.push(Cached {
                name: None,
                members: ungrouped,
            });
        }
        groups
    }

    /// The name shown for a JID (safe): the roster's, else the JID as given.
    fn display<'a>(&'a self, jid: &'a BareJid) -> &'a str {
        self.index
            .get(jid)
            .map_or(jid.as_str(), |&i| self.keys[i].display.as_str())
    }
}

/// The name a person sees for a contact: the roster name made safe, or the JID.
fn display_name(item: &RosterItem) -> String {
    item.name
        .as_deref()
        .map(safe_name)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| safe_name(item.jid.as_str()))
}

#[cfg(test)]
pub(crate) mod tests;
