//! The sign-in form's layout.

use iced::Length;
use iced::widget::{button, checkbox, column, container, radio, row, scrollable, text, text_input};

use super::{DEFAULT_TIMEOUT, Message, Phase, State, TestResult, jid_id, password_id};
use crate::model::TlsMode;
use crate::theme::{self, Element};

/// "Test connection" and "Sign in", once the form is complete.
fn buttons<'a>(ready: bool) -> Element<'a, Message> {
    let test = button(text(crate::fl!("login-test")))
        .on_press_maybe(ready.then_some(Message::Test))
        .style(theme::button::secondary)
        .padding([8, 16]);
    let sign_in = button(text(crate::fl!("login-sign-in")))
        .on_press_maybe(ready.then_some(Message::SignIn))
        .style(theme::button::primary)
        .padding([8, 16]);
    row![test, sign_in].spacing(12).into()
}

impl State {
    /// The form.
    pub(super) fn form(&self) -> Element<'_, Message> {
        let busy = self.is_busy();
        let ready = self.can_submit();

        let mut form = column![
            text(crate::fl!("login-title")).size(24),
            text(crate::fl!("login-intro")).style(theme::text::muted),
        ]
        .spacing(6);

        form = self.credentials(form, busy, ready);

        let remember = checkbox(self.remember && self.keyring_available)
            .label(crate::fl!("login-remember"))
            .on_toggle_maybe((self.keyring_available && !busy).then_some(Message::Remember));
        form = form.push(remember);
        if !self.keyring_available {
            form = form.push(
                text(crate::fl!("login-no-keyring"))
                    .size(13)
                    .style(theme::text::muted),
            );
        }

        let toggle = if self.advanced {
            crate::fl!("login-advanced-hide")
        } else {
            crate::fl!("login-advanced-show")
        };
        form = form.push(
            button(text(toggle).size(14))
                .on_press(Message::ToggleAdvanced)
                .style(theme::button::text)
                .padding([4, 0]),
        );
        if self.advanced {
            form = form.push(self.advanced_view(busy));
        }

        if let Some(status) = self.status_line() {
            form = form.push(status);
        }

        form = form.push(buttons(ready));

        let card = container(form.spacing(14))
            .padding(24)
            .max_width(460.0)
            .style(theme::container::card);
        scrollable(container(card).center_x(Length::Fill).padding(24))
            .height(Length::Fill)
            .into()
    }

    /// The address, checked as typed, and the password.
    fn credentials<'a>(
        &'a self,
        mut form: iced::widget::Column<'a, Message, iced::Theme>,
        busy: bool,
        ready: bool,
    ) -> iced::widget::Column<'a, Message, iced::Theme> {
        let jid = text_input(&crate::fl!("login-jid-placeholder"), &self.jid)
            .id(jid_id())
            .on_input_maybe((!busy).then_some(Message::Jid))
            .on_submit_maybe(ready.then_some(Message::SignIn))
            .padding(8);
        let jid_note = match self.jid_problem() {
            Some(problem) => text(problem).size(13).style(theme::text::error),
            None => text(crate::fl!("login-jid-hint"))
                .size(13)
                .style(theme::text::muted),
        };
        form = form.push(field(
            crate::fl!("login-jid"),
            jid.into(),
            Some(jid_note.into()),
        ));

        let password = text_input(&crate::fl!("login-password-placeholder"), &self.password)
            .id(password_id())
            .secure(true)
            .on_input_maybe((!busy).then_some(Message::Password))
            .on_submit_maybe(ready.then_some(Message::SignIn))
            .padding(8);
        form = form.push(field(crate::fl!("login-password"), password.into(), None));
        form
    }

    fn advanced_view(&self, busy: bool) -> Element<'_, Message> {
        let ready = self.can_submit();
        let input = |placeholder: String, value: &str, on_input: fn(String) -> Message| {
            text_input(&placeholder, value)
                .on_input_maybe((!busy).then_some(on_input))
                .on_submit_maybe(ready.then_some(Message::SignIn))
                .padding(8)
        };
        let default_port = match self.tls {
            TlsMode::StartTls => "5222",
            TlsMode::Direct => "5223",
        };
        let problem =
            |r: Option<String>| r.map(|p| text(p).size(13).style(theme::text::error).into());

        let host = input(
            crate::fl!("login-host-placeholder"),
            &self.host,
            Message::Host,
        )
        .id(super::host_id());
        let port = input(default_port.to_owned(), &self.port, Message::Port).id(super::port_id());
        let tls = row![
            radio(
                crate::fl!("login-tls-starttls"),
                TlsMode::StartTls,
                Some(self.tls),
                Message::Tls
            ),
            radio(
                crate::fl!("login-tls-direct"),
                TlsMode::Direct,
                Some(self.tls),
                Message::Tls
            ),
        ]
        .spacing(16);
        let resource = input(
            crate::fl!("login-resource-placeholder"),
            &self.resource,
            Message::Resource,
        );
        let timeout = input(DEFAULT_TIMEOUT.to_string(), &self.timeout, Message::Timeout);
        let allow_plain = column![
            checkbox(self.allow_plain)
                .label(crate::fl!("login-allow-plain"))
                .on_toggle_maybe((!busy).then_some(Message::AllowPlain)),
            text(crate::fl!("login-allow-plain-hint"))
                .size(13)
                .style(theme::text::muted),
        ]
        .spacing(4);

        column![
            field(
                crate::fl!("login-host"),
                host.into(),
                problem(self.host_value().err())
            ),
            field(
                crate::fl!("login-port"),
                port.into(),
                problem(self.port_value().err())
            ),
            field(crate::fl!("login-tls"), tls.into(), None),
            field(
                crate::fl!("login-resource"),
                resource.into(),
                problem(self.resource_value().err())
            ),
            field(
                crate::fl!("login-timeout"),
                timeout.into(),
                problem(self.timeout_value().err())
            ),
            allow_plain,
        ]
        .spacing(10)
        .into()
    }

    /// Progress, the test result or the error, in words.
    fn status_line(&self) -> Option<Element<'_, Message>> {
        let line = match (&self.phase, &self.test_result, &self.error) {
            (Phase::Testing, ..) => text(crate::fl!("login-testing")).style(theme::text::muted),
            (Phase::SigningIn, ..) => {
                text(crate::fl!("login-signing-in")).style(theme::text::muted)
            }
            (Phase::Idle, _, Some(error)) => text(error.as_str()).style(theme::text::error),
            (Phase::Idle, Some(TestResult::Ok { ms }), None) => {
                let ms: u64 = *ms;
                text(crate::fl!("login-test-ok", ms = ms)).style(theme::text::success)
            }
            (Phase::Idle, Some(TestResult::Failed(reason)), None) => {
                text(crate::fl!("login-test-failed", reason = reason.as_str()))
                    .style(theme::text::error)
            }
            (Phase::Idle, None, None) => return None,
        };
        Some(line.into())
    }
}

/// A label, the input, and a line under it (a hint or what is wrong).
fn field<'a>(
    label: String,
    input: Element<'a, Message>,
    note: Option<Element<'a, Message>>,
) -> Element<'a, Message> {
    let mut col = column![text(label).size(14), input].spacing(4);
    if let Some(note) = note {
        col = col.push(note);
    }
    col.into()
}
