//! The add-contact dialog: address checked as typed, with the reason in words.

use iced::widget::{button, checkbox, column, container, row, space, text, text_input};
use iced::{Alignment, Length};

use super::Message;
use crate::model::{AddressError, BareJid, bare_jid};
use crate::theme::{self, Element};

/// Longest name, group or address a person can type here (characters).
const MAX_FIELD: usize = 1023;
/// Longest message sent with the request (characters).
const MAX_MESSAGE: usize = 2000;

/// The id of the address field, focused when the dialog opens.
pub const JID_INPUT: &str = "roster-add-jid";
/// The ids of the other fields (tests, Tab order).
pub const NAME_INPUT: &str = "roster-add-name";
pub const GROUP_INPUT: &str = "roster-add-group";
pub const MESSAGE_INPUT: &str = "roster-add-message";

/// What the person typed into the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub jid: String,
    pub name: String,
    pub group: String,
    pub message: String,
    /// "Let them see my status": on unless the person takes it off.
    pub share: bool,
}

impl Default for Form {
    fn default() -> Form {
        Form {
            jid: String::new(),
            name: String::new(),
            group: String::new(),
            message: String::new(),
            // Someone the person adds is usually someone they talk to: the usual choice, but
            // shown, and theirs to change.
            share: true,
        }
    }
}

/// A filled-in request to add a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub jid: BareJid,
    pub name: Option<String>,
    pub groups: Vec<String>,
    pub message: Option<String>,
    pub share_presence: bool,
}

impl Form {
    pub fn set_jid(&mut self, value: String) {
        self.jid = bounded(value, MAX_FIELD);
    }

    pub fn set_name(&mut self, value: String) {
        self.name = bounded(value, MAX_FIELD);
    }

    pub fn set_group(&mut self, value: String) {
        self.group = bounded(value, MAX_FIELD);
    }

    pub fn set_message(&mut self, value: String) {
        self.message = bounded(value, MAX_MESSAGE);
    }

    /// The normalised address, or why it cannot be used, in words.
    pub fn check(&self) -> Result<BareJid, String> {
        bare_jid(&self.jid).map_err(|e| problem(&self.jid, &e))
    }

    /// The request to send, when the address is valid.
    pub fn request(&self) -> Option<Request> {
        let jid = self.check().ok()?;
        let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Some(Request {
            jid,
            name: some(&self.name),
            groups: some(&self.group).into_iter().collect(),
            message: some(&self.message),
            share_presence: self.share,
        })
    }

    /// The dialog. `known` is the name of the contact when the address is already in the roster.
    pub fn view<'a>(&'a self, known: Option<String>) -> Element<'a, Message> {
        let check = self.check();
        let feedback = self.feedback(&check, known);
        let valid = check.is_ok();
        let submit = valid.then_some(Message::SubmitAdd);
        let field = |id: &'static str,
                     label: String,
                     placeholder: String,
                     value: &'a str,
                     on: fn(String) -> Message| {
            column![
                text(label).size(12),
                text_input(&placeholder, value)
                    .id(id)
                    .on_input(on)
                    .on_submit_maybe(submit.clone())
                    .padding(6),
            ]
            .spacing(2)
        };
        let form = column![
            text(crate::fl!("roster-add-title")).size(16),
            column![
                text(crate::fl!("roster-add-jid")).size(12),
                text_input(&crate::fl!("roster-add-jid-placeholder"), &self.jid)
                    .id(JID_INPUT)
                    .on_input(Message::AddJid)
                    .on_submit_maybe(submit.clone())
                    .padding(6),
                feedback,
            ]
            .spacing(2),
            field(
                NAME_INPUT,
                crate::fl!("roster-add-name"),
                crate::fl!("roster-add-optional"),
                &self.name,
                Message::AddName
            ),
            field(
                GROUP_INPUT,
                crate::fl!("roster-add-group"),
                crate::fl!("roster-add-optional"),
                &self.group,
                Message::AddGroup
            ),
            field(
                MESSAGE_INPUT,
                crate::fl!("roster-add-message"),
                crate::fl!("roster-add-message-placeholder"),
                &self.message,
                Message::AddMessage
            ),
            text(crate::fl!("roster-add-explain"))
                .size(12)
                .style(theme::text::muted),
            self.share_choice(),
            buttons(submit),
        ]
        .spacing(10);
        container(form)
            .padding(12)
            .width(Length::Fill)
            .style(theme::container::card)
            .into()
    }

    /// "Let them see my status", and what it means either way.
    fn share_choice<'a>(&self) -> Element<'a, Message> {
        let means = if self.share {
            crate::fl!("roster-add-share-on")
        } else {
            crate::fl!("roster-add-share-off")
        };
        column![
            checkbox(self.share)
                .label(crate::fl!("roster-add-share"))
                .on_toggle(Message::AddShare),
            text(means).size(12).style(theme::text::muted),
        ]
        .spacing(4)
        .into()
    }

    /// Under the address: what is wrong with it, how to write it, or that it is a contact.
    fn feedback<'a>(
        &self,
        check: &Result<BareJid, String>,
        known: Option<String>,
    ) -> Element<'a, Message> {
        match (check, known) {
            (Ok(_), Some(name)) => text(crate::fl!("roster-add-known", name = name))
                .size(12)
                .style(theme::text::muted)
                .into(),
            (Ok(_), None) => space().height(0).into(),
            (Err(_), _) if self.jid.trim().is_empty() => text(crate::fl!("roster-add-jid-hint"))
                .size(12)
                .style(theme::text::muted)
                .into(),
            (Err(reason), _) => text(reason.clone())
                .size(12)
                .style(theme::text::error)
                .into(),
        }
    }
}

/// Cancel, and Add while the address is valid.
fn buttons<'a>(submit: Option<Message>) -> Element<'a, Message> {
    row![
        space().width(Length::Fill),
        button(text(crate::fl!("roster-add-cancel")).size(13))
            .on_press(Message::CancelAdd)
            .style(theme::button::secondary),
        button(text(crate::fl!("roster-add-submit")).size(13))
            .on_press_maybe(submit)
            .style(theme::button::primary),
    ]
    .spacing(8)
    .align_y(Alignment::Center)
    .into()
}

fn bounded(mut value: String, max: usize) -> String {
    if let Some((cut, _)) = value.char_indices().nth(max) {
        value.truncate(cut);
    }
    value
}

/// Why `typed` is not a usable contact address, in words a person understands.
pub fn problem(typed: &str, error: &AddressError) -> String {
    let typed = typed.trim();
    match error {
        AddressError::Empty => crate::fl!("roster-add-jid-empty"),
        AddressError::NoLocalpart(server) => {
            crate::fl!("roster-add-jid-no-user", server = server.clone())
        }
        AddressError::HasResource(_) => crate::fl!("roster-add-jid-resource"),
        AddressError::Invalid(_, reason) => {
            let (local, domain) = typed.split_once('@').unwrap_or(("", typed));
            if typed.chars().any(char::is_whitespace) {
                crate::fl!("roster-add-jid-space")
            } else if typed.starts_with('@') {
                crate::fl!("roster-add-jid-no-name")
            } else if domain.contains('@') {
                crate::fl!("roster-add-jid-two-at")
            } else if domain.is_empty() || domain.starts_with('/') {
                crate::fl!("roster-add-jid-no-server")
            } else if let Some(c) = local.chars().find(|c| "\"&'/:<>".contains(*c)) {
                crate::fl!("roster-add-jid-char", char = c.to_string())
            } else if local.len() > 1023 || domain.len() > 1023 {
                crate::fl!("roster-add-jid-long")
            } else {
                crate::fl!("roster-add-jid-invalid", reason = reason.clone())
            }
        }
    }
}
