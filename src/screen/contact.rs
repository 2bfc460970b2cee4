//! Contact details: name and groups editable, the subscription explained in words, the
//! actions that change it (request, cancel, revoke, remove) and "last seen" when offline.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Alignment, Length};

use crate::model::{BareJid, ContactPresence, Millis, RosterItem, Show, Subscription};
use crate::theme::{self, Element};
use crate::widget::safe_name;

/// The details of one contact.
#[derive(Debug, Clone)]
pub struct State {
    item: RosterItem,
    name: String,
    groups: String,
    /// A question waiting for yes or no.
    asking: Option<Question>,
}

/// What the pane asks before doing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Remove the contact (the Remove button, or an `xmpp:…?remove` link).
    Remove,
    /// Stop seeing their presence (an `xmpp:…?unsubscribe` link; the button acts at once).
    StopSeeing,
}

/// The inputs of the details pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The name field changed.
    Name(String),
    /// The groups field (comma separated) changed.
    Groups(String),
    /// Save name and groups.
    Save,
    /// Ask to see their presence.
    Request,
    /// Withdraw the request to see their presence, or stop seeing it.
    StopSeeing,
    /// Stop them seeing my presence.
    Revoke,
    /// Ask to confirm the removal.
    Remove,
    /// Yes to the question asked.
    Confirm,
    /// No to the question asked.
    CancelQuestion,
    /// Back to the conversation.
    Close,
    /// Esc: no to the question asked, or back to the conversation.
    Back,
    /// Write to them: their conversation, the keyboard in its composer.
    Write,
    /// Ask to see their presence, cancel that request, or stop seeing it: what the pane
    /// offers for their presence.
    TheirPresence,
}

/// What the details pane asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing.
    None,
    /// Rename or regroup.
    Save {
        /// Bare JID.
        jid: BareJid,
        /// New name.
        name: Option<String>,
        /// New groups.
        groups: Vec<String>,
    },
    /// Ask to see their presence.
    Subscribe(BareJid),
    /// Cancel a request or stop seeing their presence.
    Unsubscribe(BareJid),
    /// Stop them seeing my presence.
    Revoke(BareJid),
    /// Remove from the roster (ends both subscriptions).
    Remove(BareJid),
    /// Close the pane.
    Close,
    /// Open their conversation to write to them.
    Write(BareJid),
}

impl State {
    /// Details of `item`.
    pub fn new(item: RosterItem) -> State {
        let name = item.name.clone().unwrap_or_default();
        let groups = item.groups.join(", ");
        State {
            item,
            name,
            groups,
            asking: None,
        }
    }

    /// Asks `question` before anything is done (links from outside never act by themselves).
    pub fn ask(&mut self, question: Question) {
        self.asking = Some(question);
    }

    /// The question waiting for an answer.
    pub fn asking(&self) -> Option<Question> {
        self.asking
    }

    /// The contact's bare JID.
    pub fn jid(&self) -> &BareJid {
        &self.item.jid
    }

    /// A roster push changed the contact: keep edits in progress, take the new state.
    pub fn refresh(&mut self, item: RosterItem) {
        self.item = item;
    }

    /// The subscription in words, for the person.
    pub fn explain(item: &RosterItem) -> String {
        let mut lines = vec![match item.subscription {
            Subscription::Both => crate::fl!("contact-sub-both"),
            Subscription::To => crate::fl!("contact-sub-to"),
            Subscription::From => crate::fl!("contact-sub-from"),
            Subscription::None => crate::fl!("contact-sub-none"),
        }];
        if item.ask {
            lines.push(crate::fl!("contact-sub-asked"));
        }
        lines.join(" ")
    }

    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        let jid = self.item.jid.clone();
        match message {
            Message::Name(n) => self.name = n,
            Message::Groups(g) => self.groups = g,
            Message::Save => {
                let name = Some(self.name.trim().to_owned()).filter(|n| !n.is_empty());
                let mut groups: Vec<String> = self
                    .groups
                    // Full-width and ideographic commas too (Chinese and Japanese keyboards).
                    .split([',', '，', '、'])
                    .map(|g| g.trim().to_owned())
                    .filter(|g| !g.is_empty())
                    .collect();
                groups.sort();
                groups.dedup();
                return Action::Save { jid, name, groups };
            }
            Message::Request => return Action::Subscribe(jid),
            Message::StopSeeing => return Action::Unsubscribe(jid),
            Message::Revoke => return Action::Revoke(jid),
            Message::Remove => self.asking = Some(Question::Remove),
            Message::CancelQuestion => self.asking = None,
            Message::Confirm => {
                return match self.asking.take() {
                    Some(Question::Remove) => Action::Remove(jid),
                    Some(Question::StopSeeing) => Action::Unsubscribe(jid),
                    None => Action::None,
                };
            }
            Message::Close => return Action::Close,
            Message::Back if self.asking.is_some() => self.asking = None,
            Message::Back => return Action::Close,
            Message::Write => return Action::Write(jid),
            Message::TheirPresence => {
                let item = &self.item;
                return if item.ask || item.subscription.sees_them() {
                    Action::Unsubscribe(jid)
                } else {
                    Action::Subscribe(jid)
                };
            }
        }
        Action::None
    }

    /// The pane. `presence` gives "last seen" for offline contacts.
    pub fn view(&self, presence: Option<&ContactPresence>) -> Element<'_, Message> {
        let item = &self.item;
        let title = safe_name(item.name.as_deref().unwrap_or(item.jid.as_str()));
        let mut info = column![
            text(title).size(20),
            text(item.jid.as_str()).style(theme::text::muted),
        ]
        .spacing(2);
        if let Some(line) = last_seen(presence) {
            info = info.push(text(line).size(13).style(theme::text::muted));
        }
        let mut body = column![
            row![
                info.width(Length::Fill),
                button(text(crate::fl!("contact-write")))
                    .on_press(Message::Write)
                    .style(theme::button::primary),
                button(text(crate::fl!("contact-close")))
                    .on_press(Message::Close)
                    .style(theme::button::text)
            ]
            .spacing(8)
            .align_y(Alignment::Start),
            text(crate::fl!("contact-privacy")).size(15),
            text(Self::explain(item)),
            actions(item),
            self.edit(),
        ]
        .spacing(14)
        .padding(20)
        .max_width(560);
        if let Some(question) = self.asking {
            body = body.push(confirm(item.jid.as_str(), question));
        }
        container(body).width(Length::Fill).into()
    }

    /// The name and groups, editable.
    fn edit(&self) -> Element<'_, Message> {
        column![
            text(crate::fl!("contact-name")).size(13),
            text_input(&crate::fl!("contact-name-placeholder"), &self.name)
                .on_input(Message::Name)
                .on_submit(Message::Save),
            text(crate::fl!("contact-groups")).size(13),
            text_input(&crate::fl!("contact-groups-placeholder"), &self.groups)
                .on_input(Message::Groups)
                .on_submit(Message::Save),
            button(text(crate::fl!("contact-save")))
                .on_press(Message::Save)
                .style(theme::button::primary),
        ]
        .spacing(6)
        .into()
    }
}

/// What can be done about the subscriptions, and removing the contact.
fn actions<'a>(item: &RosterItem) -> Element<'a, Message> {
    let mut actions = row![].spacing(8);
    if !item.subscription.sees_them() && !item.ask {
        actions = actions.push(action(
            crate::fl!("contact-request"),
            Message::Request,
            false,
        ));
    }
    if item.ask {
        actions = actions.push(action(
            crate::fl!("contact-cancel-request"),
            Message::StopSeeing,
            false,
        ));
    } else if item.subscription.sees_them() {
        actions = actions.push(action(
            crate::fl!("contact-stop-seeing"),
            Message::StopSeeing,
            false,
        ));
    }
    if item.subscription.they_see_me() {
        actions = actions.push(action(crate::fl!("contact-revoke"), Message::Revoke, true));
    }
    actions
        .push(action(crate::fl!("contact-remove"), Message::Remove, true))
        .into()
}

/// The question asked before a removal or a stop, with its two answers.
fn confirm<'a>(jid: &str, question: Question) -> Element<'a, Message> {
    let jid = jid.to_owned();
    let (ask, yes, no) = match question {
        Question::Remove => (
            crate::fl!("contact-remove-confirm", jid = jid),
            crate::fl!("contact-remove-yes"),
            crate::fl!("contact-remove-no"),
        ),
        Question::StopSeeing => (
            crate::fl!("contact-stop-seeing-confirm", jid = jid),
            crate::fl!("contact-stop-seeing-yes"),
            crate::fl!("contact-stop-seeing-no"),
        ),
    };
    container(
        column![
            text(ask),
            row![
                action(yes, Message::Confirm, true),
                action(no, Message::CancelQuestion, false),
            ]
            .spacing(8),
        ]
        .spacing(8),
    )
    .padding(12)
    .style(theme::container::card)
    .into()
}

fn action<'a>(label: String, message: Message, destructive: bool) -> Element<'a, Message> {
    let style = if destructive {
        theme::button::danger
    } else {
        theme::button::secondary
    };
    button(text(label)).on_press(message).style(style).into()
}

/// "Last seen …" for an offline contact whose last activity is known.
fn last_seen(presence: Option<&ContactPresence>) -> Option<String> {
    let p = presence?;
    if p.show() != Show::Unavailable {
        return None;
    }
    let seen: Millis = p.last_seen?;
    let when = chrono::DateTime::from_timestamp_millis(seen)?
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    Some(crate::fl!("app-last-seen", when = when))
}

#[cfg(test)]
mod tests {
    use crate::model::address::j;
    use iced_test::simulator;

    use super::*;

    fn item(subscription: Subscription, ask: bool) -> RosterItem {
        RosterItem {
            name: Some("Bob".into()),
            subscription,
            ask,
            ..RosterItem::new(j("bob@example.org"))
        }
    }

    #[test]
    fn the_subscription_is_explained_and_offers_the_right_actions() {
        let cases = [
            (
                Subscription::Both,
                false,
                "You see their presence and they see yours.",
                &["Stop seeing theirs", "Stop sharing mine"][..],
                &["Ask to see theirs"][..],
            ),
            (
                Subscription::To,
                false,
                "You see their presence; they do not see yours.",
                &["Stop seeing theirs"],
                &["Stop sharing mine", "Ask to see theirs"],
            ),
            (
                Subscription::From,
                false,
                "They see your presence; you do not see theirs.",
                &["Ask to see theirs", "Stop sharing mine"],
                &["Stop seeing theirs"],
            ),
            (
                Subscription::None,
                true,
                "You asked to see their presence",
                &["Cancel the request"],
                &["Ask to see theirs", "Stop sharing mine"],
            ),
        ];
        for (sub, ask, words, present, absent) in cases {
            let state = State::new(item(sub, ask));
            let mut ui = simulator(state.view(None));
            let explained = State::explain(&state.item);
            assert!(explained.contains(words), "{sub:?}: {explained}");
            assert!(
                ui.find(explained.as_str()).is_ok(),
                "the explanation is shown"
            );
            for label in present {
                assert!(ui.find(*label).is_ok(), "{sub:?} offers {label}");
            }
            for label in absent {
                assert!(ui.find(*label).is_err(), "{sub:?} does not offer {label}");
            }
        }
    }

    #[test]
    fn renaming_and_regrouping_saves_clean_values() {
        let mut state = State::new(item(Subscription::Both, false));
        let _ = state.update(Message::Name("  Robert ".into()));
        let _ = state.update(Message::Groups("Work, Friends,, Work ".into()));
        assert_eq!(
            state.update(Message::Save),
            Action::Save {
                jid: j("bob@example.org"),
                name: Some("Robert".into()),
                groups: vec!["Friends".into(), "Work".into()]
            }
        );
        let _ = state.update(Message::Groups("家人，朋友、 Work".into()));
        assert_eq!(
            state.update(Message::Save),
            Action::Save {
                jid: j("bob@example.org"),
                name: Some("Robert".into()),
                groups: vec!["Work".into(), "家人".into(), "朋友".into()]
            }
        );
    }

    #[test]
    fn removing_asks_first() {
        let mut state = State::new(item(Subscription::Both, false));
        let mut ui = simulator(state.view(None));
        let _ = ui.click("Remove contact");
        for m in ui.into_messages() {
            assert_eq!(state.update(m), Action::None, "nothing removed yet");
        }
        let mut ui = simulator(state.view(None));
        let _ = ui.click("Yes, remove");
        let actions: Vec<Action> = ui.into_messages().map(|m| state.update(m)).collect();
        assert_eq!(actions, vec![Action::Remove(j("bob@example.org"))]);
    }

    #[test]
    fn an_offline_contact_shows_when_it_was_last_seen() {
        let state = State::new(item(Subscription::Both, false));
        let presence = ContactPresence {
            last_seen: Some(0),
            ..ContactPresence::default()
        };
        let line = last_seen(Some(&presence)).expect("offline with a last-seen time");
        assert!(line.starts_with("Last seen 19"), "{line}");
        let mut ui = simulator(state.view(Some(&presence)));
        assert!(ui.find(line.as_str()).is_ok(), "shown: {line}");
        assert_eq!(last_seen(None), None);
    }
}
