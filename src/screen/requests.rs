//! Subscription prompts and "who can see my presence": pending inbound requests with Approve,
//! Approve and add, Deny and Block; beside them every contact that sees the account's presence
//! (revocable) and every outgoing request still waiting (cancellable).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use iced::widget::scrollable::Viewport;
use iced::widget::text::Wrapping;
use iced::widget::{column, container, row, scrollable, space, text};
use iced::{Alignment, Length};

use crate::model::text::first_line;
use crate::model::{BareJid, RequestState, RosterItem, SubscriptionRequest};
use crate::theme::{self, Element};
use crate::widget::virtual_list;
use crate::widget::{look_alike, safe_name};
use parts::{BOLD, Entry, Kind, about, contact, display, note, small};

/// Height of one pending request (address, claims, message, buttons) with its margin.
const REQUEST_HEIGHT: f32 = 124.0;
/// The extra line of a request that looks like one of the contacts.
const WARNING_HEIGHT: f32 = 18.0;
/// Height of a contact row in "who can see my presence".
const CONTACT_HEIGHT: f32 = 48.0;
/// Height of a section title or a one-line empty note inside a list.
const TITLE_HEIGHT: f32 = 34.0;

/// The requests pane.
#[derive(Debug, Default)]
pub struct State {
    /// Pending inbound requests, oldest first, one per address.
    pending: Vec<SubscriptionRequest>,
    /// The [`look_alike`] keys of each pending request's address and claimed nick, made once
    /// per request rather than at every view.
    looks: HashMap<BareJid, Vec<String>>,
    blocking_supported: bool,
    /// The request the keyboard answers (Up/Down); the first when it is not set.
    cursor: Option<BareJid>,
    scroll_pending: virtual_list::Scroll,
    scroll_presence: virtual_list::Scroll,
    /// The sorted "can see you" and "waiting" lists as roster indices, with a fingerprint of
    /// the roster they were computed from: sorting 5,000 names at every view build is waste.
    sorted: Mutex<Option<Sorted>>,
}

#[derive(Debug)]
struct Sorted {
    fingerprint: u64,
    sees: Vec<usize>,
    waiting: Vec<usize>,
    by_jid: HashMap<BareJid, usize>,
    /// Every contact under the [`look_alike`] key of its shown name and of its address.
    by_look: HashMap<String, usize>,
}

/// The inputs of the requests pane.
#[derive(Debug, Clone)]
pub enum Message {
    /// Let them see my presence.
    Approve(BareJid),
    /// Let them see my presence and ask to see theirs.
    ApproveAndAdd(BareJid),
    /// Refuse.
    Deny(BareJid),
    /// Refuse and block (XEP-0191).
    Block(BareJid),
    /// Stop sharing my presence with a contact.
    Revoke(BareJid),
    /// Withdraw my own request to see a contact.
    Cancel(BareJid),
    /// The pending list scrolled or was resized.
    ScrolledPending(Viewport),
    /// The presence list scrolled or was resized.
    ScrolledPresence(Viewport),
    /// The keyboard's cursor moves to the next (`true`) or previous request.
    Step(bool),
    /// Answer the request under the cursor.
    Answer(Answer),
}

/// An answer given with the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Let them see my presence.
    Approve,
    /// Let them see my presence and ask to see theirs.
    ApproveAndAdd,
    /// Refuse.
    Deny,
    /// Refuse and block.
    Block,
}

/// What the requests pane asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Approve the request; `add` also asks to see their presence.
    Approve { jid: BareJid, add: bool },
    /// Deny the request.
    Deny(BareJid),
    /// Block the address (which also denies the request).
    Block(BareJid),
    /// Revoke the contact's subscription to my presence.
    Revoke(BareJid),
    /// Cancel my pending request to see the contact.
    CancelRequest(BareJid),
}

impl State {
    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Approve(jid) => Action::Approve { jid, add: false },
            Message::ApproveAndAdd(jid) => Action::Approve { jid, add: true },
            Message::Deny(jid) => Action::Deny(jid),
            Message::Block(jid) if self.blocking_supported => Action::Block(jid),
            Message::Block(_) => Action::None,
            Message::Revoke(jid) => Action::Revoke(jid),
            Message::Cancel(jid) => Action::CancelRequest(jid),
            Message::ScrolledPending(v) => {
                self.scroll_pending.update(v);
                Action::None
            }
            Message::ScrolledPresence(v) => {
                self.scroll_presence.update(v);
                Action::None
            }
            Message::Step(down) => {
                let at = self.current_index();
                let next = match (at, down) {
                    (None, _) => 0,
                    (Some(i), true) => (i + 1).min(self.pending.len().saturating_sub(1)),
                    (Some(i), false) => i.saturating_sub(1),
                };
                self.cursor = self.pending.get(next).map(|r| r.from.clone());
                Action::None
            }
            Message::Answer(answer) => {
                let Some(jid) = self.current().map(|r| r.from.clone()) else {
                    return Action::None;
                };
                self.update(match answer {
                    Answer::Approve => Message::Approve(jid),
                    Answer::ApproveAndAdd => Message::ApproveAndAdd(jid),
                    Answer::Deny => Message::Deny(jid),
                    Answer::Block => Message::Block(jid),
                })
            }
        }
    }

    /// The request the keyboard answers: the one under the cursor, else the first.
    pub fn current(&self) -> Option<&SubscriptionRequest> {
        self.current_index().and_then(|i| self.pending.get(i))
    }

    fn current_index(&self) -> Option<usize> {
        if self.pending.is_empty() {
            return None;
        }
        let at = self
            .cursor
            .as_ref()
            .and_then(|jid| self.pending.iter().position(|r| &r.from == jid));
        Some(at.unwrap_or(0))
    }

    /// Replaces the pending requests (at start, from the store). Answered ones are dropped.
    pub fn set_pending(&mut self, mut requests: Vec<SubscriptionRequest>) {
        requests.sort_by_key(|r| r.received_at);
        self.pending.clear();
        self.looks.clear();
        for request in requests {
            self.add(request);
        }
    }

    /// A new or repeated request: one entry per address, oldest first; a repeat keeps its
    /// place and takes the newer nick and message.
    pub fn add(&mut self, request: SubscriptionRequest) {
        if request.state != RequestState::Pending {
            return;
        }
        let keys = [request.nick.as_deref(), Some(request.from.as_str())]
            .into_iter()
            .flatten()
            .map(look_alike)
            .filter(|key| !key.is_empty())
            .collect();
        if let Some(known) = self.pending.iter_mut().find(|r| r.from == request.from) {
            if request.nick.is_some() {
                known.nick = request.nick;
                self.looks.insert(known.from.clone(), keys);
            }
            if request.message.is_some() {
                known.message = request.message;
            }
            return;
        }
        let at = self
            .pending
            .partition_point(|r| r.received_at <= request.received_at);
        self.looks.insert(request.from.clone(), keys);
        self.pending.insert(at, request);
    }

    /// The request from `jid` was answered.
    pub fn resolve(&mut self, jid: &BareJid) {
        self.pending.retain(|r| r.from != *jid);
        self.looks.remove(jid);
    }

    /// Whether the server supports blocking (XEP-0191); the Block button shows only then.
    pub fn set_blocking_supported(&mut self, yes: bool) {
        self.blocking_supported = yes;
    }

    /// How many requests wait for an answer (the badge).
    pub fn count(&self) -> usize {
        self.pending.len()
    }

    /// The pending requests, oldest first.
    pub fn pending(&self) -> &[SubscriptionRequest] {
        &self.pending
    }

    /// The pane: pending requests beside "who can see my presence". `roster` gives the
    /// contacts that see the account and the account's own unanswered requests.
    pub fn view<'a>(&'a self, roster: &'a [RosterItem]) -> Element<'a, Message> {
        // First: it refreshes the cache the pending rows look contacts up in.
        let presence = self.presence_view(roster);
        row![
            container(self.pending_view(roster)).width(Length::FillPortion(3)),
            container(presence).width(Length::FillPortion(2)),
        ]
        .spacing(16)
        .padding(16)
        .height(Length::Fill)
        .into()
    }

    fn pending_view<'a>(&'a self, roster: &'a [RosterItem]) -> Element<'a, Message> {
        let title = text(crate::fl!("requests-title", count = self.pending.len())).size(18);
        let explain = text(crate::fl!("requests-explain"))
            .size(13)
            .style(theme::text::muted);
        let list: Element<'a, Message> = if self.pending.is_empty() {
            text(crate::fl!("requests-empty"))
                .size(14)
                .style(theme::text::muted)
                .into()
        } else {
            let list = virtual_list::column(
                &self.pending,
                |r| self.request_height(roster, r),
                self.scroll_pending,
                |r| self.request(r, roster),
            );
            scrollable(list)
                .spacing(4)
                .on_scroll(Message::ScrolledPending)
                .height(Length::Fill)
                .into()
        };
        column![title, explain, list].spacing(8).into()
    }

    fn request<'a>(
        &'a self,
        request: &'a SubscriptionRequest,
        roster: &'a [RosterItem],
    ) -> Element<'a, Message> {
        let jid = request.from.as_str();
        let known = self.known(roster, &request.from);
        let mut content = column![
            text(safe_name(jid))
                .size(15)
                .font(BOLD)
                .wrapping(Wrapping::None)
        ]
        .spacing(3);
        if let Some(about) = about(request, known) {
            content = content.push(
                text(about)
                    .size(12)
                    .style(theme::text::muted)
                    .wrapping(Wrapping::None),
            );
        }
        // The claim alone is easy to misread: say whom it imitates, and that it is not them.
        if let Some(contact) = self.look_alike(roster, request) {
            content = content.push(
                text(crate::fl!(
                    "requests-look-alike",
                    name = first_line(&display(contact), 64),
                    jid = safe_name(contact.jid.as_str())
                ))
                .size(12)
                .style(theme::text::error)
                .wrapping(Wrapping::None),
            );
        }
        let sees_them = known.is_some_and(|i| i.subscription.sees_them());
        content = content
            .push(note(request))
            .push(space().height(Length::Fill))
            .push(self.answers(request, sees_them));
        let cursor = self.current().is_some_and(|r| r.from == request.from);
        let card = container(content.height(Length::Fill))
            .padding(10)
            .width(Length::Fill)
            .height(Length::Fill)
            .clip(true)
            .style(if cursor {
                theme::container::card_highlighted
            } else {
                theme::container::card
            });
        container(card)
            .padding([4, 0])
            .height(self.request_height(roster, request))
            .into()
    }

    /// Approve (and add, unless I see them already), deny, and block where the server can.
    fn answers<'a>(&self, request: &SubscriptionRequest, sees_them: bool) -> Element<'a, Message> {
        let mut buttons = row![small(
            crate::fl!("requests-approve"),
            Message::Approve(request.from.clone()),
            Kind::Primary
        )]
        .spacing(6);
        if !sees_them {
            buttons = buttons.push(small(
                crate::fl!("requests-approve-add"),
                Message::ApproveAndAdd(request.from.clone()),
                Kind::Primary,
            ));
        }
        buttons = buttons.push(small(
            crate::fl!("requests-deny"),
            Message::Deny(request.from.clone()),
            Kind::Secondary,
        ));
        if self.blocking_supported {
            buttons = buttons.push(small(
                crate::fl!("requests-block"),
                Message::Block(request.from.clone()),
                Kind::Danger,
            ));
        }
        buttons.into()
    }

    fn presence_view<'a>(&'a self, roster: &'a [RosterItem]) -> Element<'a, Message> {
        let (sees, waiting) = self.presence_lists(roster);
        let mut entries = Vec::with_capacity(sees.len() + waiting.len() + 4);
        entries.push(Entry::Title(crate::fl!(
            "requests-sees-title",
            count = sees.len()
        )));
        if sees.is_empty() {
            entries.push(Entry::Note(crate::fl!("requests-sees-empty")));
        }
        entries.extend(sees.into_iter().map(Entry::Sees));
        entries.push(Entry::Title(crate::fl!(
            "requests-waiting-title",
            count = waiting.len()
        )));
        if waiting.is_empty() {
            entries.push(Entry::Note(crate::fl!("requests-waiting-empty")));
        }
        entries.extend(waiting.into_iter().map(Entry::Waiting));
        let height = |e: &Entry<'_>| match e {
            Entry::Title(_) | Entry::Note(_) => TITLE_HEIGHT,
            Entry::Sees(_) | Entry::Waiting(_) => CONTACT_HEIGHT,
        };
        let list = virtual_list::column(&entries, height, self.scroll_presence, |e| match e {
            Entry::Title(t) => {
                container(text(t.clone()).size(14).font(BOLD).wrapping(Wrapping::None))
                    .height(TITLE_HEIGHT)
                    .align_y(Alignment::End)
                    .padding([4, 0])
                    .into()
            }
            Entry::Note(t) => container(
                text(t.clone())
                    .size(13)
                    .style(theme::text::muted)
                    .wrapping(Wrapping::None),
            )
            .height(TITLE_HEIGHT)
            .align_y(Alignment::Center)
            .into(),
            Entry::Sees(item) => contact(
                item,
                crate::fl!("requests-revoke"),
                Message::Revoke(item.jid.clone()),
                Kind::Danger,
            ),
            Entry::Waiting(item) => contact(
                item,
                crate::fl!("requests-cancel"),
                Message::Cancel(item.jid.clone()),
                Kind::Secondary,
            ),
        });
        column![
            text(crate::fl!("requests-presence-title")).size(18),
            text(crate::fl!("requests-sees-explain"))
                .size(13)
                .style(theme::text::muted),
            text(crate::fl!("requests-waiting-explain"))
                .size(13)
                .style(theme::text::muted),
            scrollable(list)
                .spacing(4)
                .on_scroll(Message::ScrolledPresence)
                .height(Length::Fill),
        ]
        .spacing(8)
        .into()
    }
}

impl State {
    /// Contacts that see the account, and the account's unanswered requests, each sorted by
    /// name; recomputed only when the roster changed.
    fn presence_lists<'a>(
        &self,
        roster: &'a [RosterItem],
    ) -> (Vec<&'a RosterItem>, Vec<&'a RosterItem>) {
        let fingerprint = fingerprint(roster);
        let mut cache = self.sorted.lock().unwrap_or_else(PoisonError::into_inner);
        // The look-alike keys are needed only while requests wait.
        let fingerprint = fingerprint ^ u64::from(!self.pending.is_empty());
        let sorted = match cache.take() {
            Some(sorted) if sorted.fingerprint == fingerprint => sorted,
            _ => {
                let sorted_by_name = |keep: fn(&RosterItem) -> bool| {
                    let mut list: Vec<usize> =
                        (0..roster.len()).filter(|&i| keep(&roster[i])).collect();
                    list.sort_by_cached_key(|&i| {
                        (display(&roster[i]).to_lowercase(), roster[i].jid.clone())
                    });
                    list
                };
                Sorted {
                    fingerprint,
                    sees: sorted_by_name(|i| i.subscription.they_see_me()),
                    waiting: sorted_by_name(|i| i.ask),
                    by_jid: roster
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (item.jid.clone(), i))
                        .collect(),
                    by_look: if self.pending.is_empty() {
                        HashMap::new()
                    } else {
                        roster
                            .iter()
                            .enumerate()
                            .flat_map(|(i, item)| {
                                [
                                    (look_alike(&display(item)), i),
                                    (look_alike(item.jid.as_str()), i),
                                ]
                            })
                            .collect()
                    },
                }
            }
        };
        let items = |list: &[usize]| list.iter().filter_map(|&i| roster.get(i)).collect();
        let lists = (items(&sorted.sees), items(&sorted.waiting));
        *cache = Some(sorted);
        lists
    }
}

impl State {
    fn request_height(&self, roster: &[RosterItem], request: &SubscriptionRequest) -> f32 {
        match self.look_alike(roster, request) {
            Some(_) => REQUEST_HEIGHT + WARNING_HEIGHT,
            None => REQUEST_HEIGHT,
        }
    }

    /// A contact other than the requester whose name or address the request's claimed nick or
    /// address looks like: "Alice" from mallory, or bоb@example.org (a Cyrillic о).
    fn look_alike<'a>(
        &self,
        roster: &'a [RosterItem],
        request: &SubscriptionRequest,
    ) -> Option<&'a RosterItem> {
        let cache = self.sorted.lock().unwrap_or_else(PoisonError::into_inner);
        let by_look = &cache.as_ref()?.by_look;
        self.looks
            .get(&request.from)?
            .iter()
            .filter_map(|key| by_look.get(key).and_then(|&i| roster.get(i)))
            .find(|item| item.jid != request.from)
    }

    /// The roster entry of `jid`, through the cache `presence_lists` keeps fresh.
    fn known<'a>(&self, roster: &'a [RosterItem], jid: &BareJid) -> Option<&'a RosterItem> {
        let cache = self.sorted.lock().unwrap_or_else(PoisonError::into_inner);
        match cache.as_ref() {
            Some(sorted) => sorted
                .by_jid
                .get(jid)
                .and_then(|&i| roster.get(i))
                .filter(|i| i.jid == *jid),
            None => roster.iter().find(|i| i.jid == *jid),
        }
    }
}

/// What the presence lists depend on, hashed.
fn fingerprint(roster: &[RosterItem]) -> u64 {
    let mut hasher = DefaultHasher::new();
    roster.len().hash(&mut hasher);
    for item in roster {
        (&item.jid, &item.name, item.subscription, item.ask).hash(&mut hasher);
    }
    hasher.finish()
}

mod parts;
#[cfg(test)]
mod tests;
