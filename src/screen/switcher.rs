//! The quick switcher (Ctrl+K): type part of a name or address, Enter opens the conversation.
//! The most recent conversations come first; what starts with the typed text before what only
//! contains it. (Rooms join the list when Natter has them.)

use std::cmp::Reverse;

use iced::widget::text::Wrapping;
use iced::widget::{button, column, container, row, text, text_input};
use iced::{Alignment, Length};

use crate::model::{BareJid, Millis, Show, collate};
use crate::theme::{self, Element};
use crate::widget;

/// The search field's id (focused when the switcher opens).
pub const INPUT: &str = "switcher-input";
/// The most rows shown at once.
const SHOWN: usize = 8;

/// Someone the switcher can go to.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The contact.
    pub jid: BareJid,
    /// The name shown (made safe).
    pub name: String,
    /// Their presence, for the dot.
    pub show: Show,
    /// Unread messages.
    pub unread: usize,
    /// When the last message with them was sent, if there is one.
    pub last: Option<Millis>,
}

/// A candidate with what ranking needs, made once.
#[derive(Debug, Clone)]
struct Entry {
    candidate: Candidate,
    name: String,
    jid: String,
    order: collate::Key,
}

/// The switcher.
#[derive(Debug, Clone)]
pub struct State {
    query: String,
    entries: Vec<Entry>,
    /// Indices into `entries`, best first.
    matches: Vec<usize>,
    cursor: usize,
}

/// The inputs of the switcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The search text changed.
    Query(String),
    /// The cursor moves up (or down).
    Step(bool),
    /// Enter: open the row under the cursor.
    Submit,
    /// A row was clicked.
    Pick(BareJid),
    /// Close without opening anything.
    Close,
}

/// What the switcher asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Open the conversation with this bare JID.
    Open(BareJid),
    /// Close the switcher.
    Close,
}

impl State {
    /// The switcher over `candidates`, nothing typed yet.
    pub fn new(candidates: Vec<Candidate>) -> State {
        let entries = candidates
            .into_iter()
            .map(|candidate| Entry {
                name: collate::fold(&candidate.name),
                jid: collate::fold(candidate.jid.as_str()),
                order: collate::Key::new(&candidate.name),
                candidate,
            })
            .collect();
        let mut state = State {
            query: String::new(),
            entries,
            matches: Vec::new(),
            cursor: 0,
        };
        state.rank();
        state
    }

    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Query(query) => {
                self.query = query.chars().take(200).collect();
                self.rank();
            }
            Message::Step(down) => {
                let last = self.shown().saturating_sub(1);
                self.cursor = match down {
                    true => (self.cursor + 1).min(last),
                    false => self.cursor.saturating_sub(1),
                };
            }
            Message::Submit => {
                return match self.chosen() {
                    Some(jid) => Action::Open(jid.clone()),
                    None => Action::None,
                };
            }
            Message::Pick(jid) => return Action::Open(jid),
            Message::Close => return Action::Close,
        }
        Action::None
    }

    /// What is typed.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The JID under the cursor.
    pub fn chosen(&self) -> Option<&BareJid> {
        let i = *self.matches.get(self.cursor)?;
        Some(&self.entries[i].candidate.jid)
    }

    /// The JIDs listed, best first.
    pub fn listed(&self) -> Vec<&str> {
        self.matches
            .iter()
            .take(SHOWN)
            .map(|&i| self.entries[i].candidate.jid.as_str())
            .collect()
    }

    fn shown(&self) -> usize {
        self.matches.len().min(SHOWN)
    }

    /// Keeps the entries that match the query, best first: what starts with it (the name, a
    /// word of it, or the address) before what contains it, then the latest conversation, then
    /// by name.
    fn rank(&mut self) {
        let needle = collate::fold(self.query.trim());
        let tier = |e: &Entry| -> Option<u8> {
            if needle.is_empty() {
                return Some(0);
            }
            let starts = e.name.starts_with(&needle)
                || e.jid.starts_with(&needle)
                || e.name.split_whitespace().any(|w| w.starts_with(&needle));
            if starts {
                Some(0)
            } else if e.name.contains(&needle) || e.jid.contains(&needle) {
                Some(1)
            } else {
                None
            }
        };
        let mut ranked: Vec<(u8, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| tier(e).map(|t| (t, i)))
            .collect();
        ranked.sort_by(|(ta, a), (tb, b)| {
            let (a, b) = (&self.entries[*a], &self.entries[*b]);
            ta.cmp(tb)
                .then_with(|| Reverse(a.candidate.last).cmp(&Reverse(b.candidate.last)))
                .then_with(|| a.order.cmp(&b.order))
                .then_with(|| a.candidate.jid.cmp(&b.candidate.jid))
        });
        self.matches = ranked.into_iter().map(|(_, i)| i).collect();
        self.cursor = 0;
    }

    /// The switcher's card (the app puts it over the window).
    pub fn view(&self) -> Element<'_, Message> {
        let input = text_input(&crate::fl!("switcher-placeholder"), &self.query)
            .id(INPUT)
            .on_input(Message::Query)
            .on_submit(Message::Submit)
            .padding(8);
        let mut list = column![].spacing(2);
        for (n, &i) in self.matches.iter().take(SHOWN).enumerate() {
            list = list.push(row_view(&self.entries[i].candidate, n == self.cursor));
        }
        if self.matches.is_empty() {
            let query = self.query.trim().to_owned();
            list = list.push(
                text(crate::fl!("switcher-none", query = query))
                    .size(13)
                    .style(theme::text::muted),
            );
        }
        column![
            text(crate::fl!("switcher-title")).size(16),
            input,
            list,
            text(crate::fl!("switcher-hint"))
                .size(12)
                .style(theme::text::muted),
        ]
        .spacing(10)
        .into()
    }
}

fn row_view(candidate: &Candidate, cursor: bool) -> Element<'_, Message> {
    let mut line = row![
        widget::presence(candidate.show),
        text(candidate.name.as_str())
            .size(14)
            .wrapping(Wrapping::None),
    ]
    .spacing(8)
    .align_y(Alignment::Center);
    if candidate.name != candidate.jid.as_str() {
        line = line.push(
            container(
                text(candidate.jid.as_str())
                    .size(12)
                    .style(theme::text::muted)
                    .wrapping(Wrapping::None),
            )
            .width(Length::Fill)
            .clip(true),
        );
    } else {
        line = line.push(iced::widget::space::horizontal());
    }
    if let Some(badge) = widget::badge(candidate.unread) {
        line = line.push(badge);
    }
    button(line)
        .on_press(Message::Pick(candidate.jid.clone()))
        .style(theme::button::row_marked(false, cursor))
        .width(Length::Fill)
        .padding([6, 8])
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;

    fn candidate(jid: &str, name: &str, last: Option<Millis>) -> Candidate {
        Candidate {
            jid: j(jid),
            name: name.into(),
            show: Show::Unavailable,
            unread: 0,
            last,
        }
    }

    fn people() -> State {
        State::new(vec![
            candidate("oscar@example.org", "Oscar", Some(300)),
            candidate("carol@example.org", "Carol", Some(100)),
            candidate("bob@example.org", "Bob", Some(200)),
            candidate("zed@example.org", "Zed", None),
            candidate("anna@example.org", "Anna", None),
            candidate("emile@example.org", "Émile Carter", None),
        ])
    }

    #[test]
    fn recent_conversations_come_first_then_names() {
        let state = people();
        assert_eq!(
            state.listed(),
            [
                "oscar@example.org",
                "bob@example.org",
                "carol@example.org",
                "anna@example.org",
                "emile@example.org",
                "zed@example.org"
            ]
        );
    }

    #[test]
    fn what_starts_with_the_text_comes_before_what_contains_it() {
        let mut state = people();
        let _ = state.update(Message::Query("car".into()));
        // Carol's name starts with it, Émile Carter's second word does, Oscar only contains
        // it: Oscar's newer conversation does not put him first.
        assert_eq!(
            state.listed(),
            [
                "carol@example.org",
                "emile@example.org",
                "oscar@example.org"
            ]
        );
        let _ = state.update(Message::Query("EMILE".into()));
        assert_eq!(
            state.listed(),
            ["emile@example.org"],
            "accents and case aside"
        );
        let _ = state.update(Message::Query("zed@ex".into()));
        assert_eq!(state.listed(), ["zed@example.org"], "by address too");
    }

    #[test]
    fn arrows_move_the_cursor_and_enter_opens_it() {
        let mut state = people();
        let _ = state.update(Message::Query("car".into()));
        let _ = state.update(Message::Step(true));
        let _ = state.update(Message::Step(true));
        let _ = state.update(Message::Step(true));
        assert_eq!(
            state.update(Message::Submit),
            Action::Open(j("oscar@example.org")),
            "the cursor stops at the last row"
        );
        let _ = state.update(Message::Step(false));
        assert_eq!(
            state.update(Message::Submit),
            Action::Open(j("emile@example.org"))
        );
        let _ = state.update(Message::Query("nobody".into()));
        assert_eq!(state.update(Message::Submit), Action::None);
        assert_eq!(state.update(Message::Close), Action::Close);
    }
}
