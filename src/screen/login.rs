//! First run and sign-in: the address (checked as typed), the password, whether to remember it,
//! and the advanced connection settings. "Test connection" and "Sign in" ask the app; the app
//! answers with [`State::set_test_result`], [`State::set_error`] or
//! [`State::ask_password_again`].

mod view;

use crate::model::{Account, AddressError, BareJid, TlsMode, bare_jid};
use crate::theme::Element;

/// The connection timeout when the field is left as it is.
const DEFAULT_TIMEOUT: u32 = 30;
/// The longest connection timeout accepted, in seconds.
const MAX_TIMEOUT: u32 = 600;
/// RFC 7622 caps each part of an address at 1023 bytes.
const MAX_RESOURCE: usize = 1023;

/// The address field's widget id (focus it on the first start).
pub fn jid_id() -> iced::widget::Id {
    iced::widget::Id::new("login-jid")
}

/// The password field's widget id (focus it when the password is asked again).
pub fn password_id() -> iced::widget::Id {
    iced::widget::Id::new("login-password")
}

/// The server host field's widget id (advanced settings).
pub fn host_id() -> iced::widget::Id {
    iced::widget::Id::new("login-host")
}

/// The port field's widget id (advanced settings).
pub fn port_id() -> iced::widget::Id {
    iced::widget::Id::new("login-port")
}

/// The sign-in form. (No `Debug`: it holds the password.)
#[derive(Clone)]
pub struct State {
    /// The stored account being signed in again: the fields the form does not show (pinned
    /// certificate, last status, default flag) are kept from it.
    base: Option<Account>,
    jid: String,
    password: String,
    remember: bool,
    keyring_available: bool,
    advanced: bool,
    host: String,
    port: String,
    tls: TlsMode,
    resource: String,
    timeout: String,
    /// Any sign-in method the server offers, even one weaker than what worked before.
    allow_plain: bool,
    phase: Phase,
    test_result: Option<TestResult>,
    error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Idle,
    Testing,
    SigningIn,
}

/// The inputs of the sign-in screen. `Debug` never prints the password.
#[derive(Clone)]
pub enum Message {
    /// The address changed.
    Jid(String),
    /// The password changed.
    Password(String),
    /// "Remember password" toggled.
    Remember(bool),
    /// "Remember password" switched from the keyboard.
    ToggleRemember,
    /// The other TLS mode chosen from the keyboard.
    ToggleTls,
    /// "Allow weaker sign-in methods" switched from the keyboard.
    ToggleAllowPlain,
    /// Show or hide the advanced settings.
    ToggleAdvanced,
    /// Server host changed.
    Host(String),
    /// Port changed.
    Port(String),
    /// TLS mode chosen.
    Tls(TlsMode),
    /// Resource changed.
    Resource(String),
    /// Connection timeout (seconds) changed.
    Timeout(String),
    /// "Allow weaker sign-in methods" toggled.
    AllowPlain(bool),
    /// "Test connection".
    Test,
    /// "Sign in" (or Enter in the password field).
    SignIn,
}

/// What the sign-in screen asks of the app. `Debug` never prints the password.
#[derive(Clone, PartialEq, Eq)]
pub enum Action {
    /// Nothing to do.
    None,
    /// Try to connect and log in once with these settings, then report a [`TestResult`].
    Test(Account, String),
    /// Sign in, saving the account (and the password in the keyring when `remember`).
    SignIn {
        /// The account with every field of the form.
        account: Account,
        /// The password.
        password: String,
        /// Keep the password in the keyring (always false without a keyring).
        remember: bool,
    },
}

/// The outcome of "Test connection".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestResult {
    /// Online after `ms` milliseconds.
    Ok {
        /// Time to online.
        ms: u64,
    },
    /// The error in words.
    Failed(String),
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Message::Jid(v) => f.debug_tuple("Jid").field(v).finish(),
            Message::Password(_) => f.write_str("Password(<hidden>)"),
            Message::Remember(v) => f.debug_tuple("Remember").field(v).finish(),
            Message::ToggleRemember => f.write_str("ToggleRemember"),
            Message::ToggleTls => f.write_str("ToggleTls"),
            Message::ToggleAllowPlain => f.write_str("ToggleAllowPlain"),
            Message::ToggleAdvanced => f.write_str("ToggleAdvanced"),
            Message::Host(v) => f.debug_tuple("Host").field(v).finish(),
            Message::Port(v) => f.debug_tuple("Port").field(v).finish(),
            Message::Tls(v) => f.debug_tuple("Tls").field(v).finish(),
            Message::Resource(v) => f.debug_tuple("Resource").field(v).finish(),
            Message::Timeout(v) => f.debug_tuple("Timeout").field(v).finish(),
            Message::AllowPlain(v) => f.debug_tuple("AllowPlain").field(v).finish(),
            Message::Test => f.write_str("Test"),
            Message::SignIn => f.write_str("SignIn"),
        }
    }
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::None => f.write_str("None"),
            Action::Test(account, _) => f
                .debug_tuple("Test")
                .field(account)
                .field(&"<hidden>")
                .finish(),
            Action::SignIn {
                account, remember, ..
            } => f
                .debug_struct("SignIn")
                .field("account", account)
                .field("password", &"<hidden>")
                .field("remember", remember)
                .finish(),
        }
    }
}

impl Default for State {
    fn default() -> State {
        State::new(None, true)
    }
}

impl State {
    /// The form, with the address filled in when known. Without a keyring the "remember" box
    /// is off and disabled, and a sentence says the password is asked at each start.
    pub fn new(jid: Option<String>, keyring_available: bool) -> State {
        State {
            base: None,
            jid: jid.unwrap_or_default(),
            password: String::new(),
            remember: keyring_available,
            keyring_available,
            advanced: false,
            host: String::new(),
            port: String::new(),
            tls: TlsMode::StartTls,
            resource: String::new(),
            timeout: DEFAULT_TIMEOUT.to_string(),
            allow_plain: false,
            phase: Phase::Idle,
            test_result: None,
            error: None,
        }
    }

    /// The form for a stored account whose password is needed (none remembered, or no
    /// keyring): every field filled in from it, and the fields the form does not show kept.
    pub fn from_account(account: &Account, keyring_available: bool) -> State {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        State {
            base: Some(account.clone()),
            jid: account.jid.to_string(),
            host: text(&account.host),
            port: account.port.map(|p| p.to_string()).unwrap_or_default(),
            tls: account.tls,
            resource: text(&account.resource),
            timeout: account.connect_timeout_secs.to_string(),
            allow_plain: account.allow_plain,
            advanced: account.host.is_some()
                || account.port.is_some()
                || account.resource.is_some()
                || account.allow_plain,
            ..State::new(None, keyring_available)
        }
    }

    /// The same form, knowing whether a keyring is there (found out once the store opened).
    pub fn with_keyring(mut self, available: bool) -> State {
        self.keyring_available = available;
        self.remember = self.remember && available;
        self
    }

    /// A test is running.
    pub fn set_testing(&mut self) {
        self.phase = Phase::Testing;
        self.test_result = None;
        self.error = None;
    }

    /// The test finished.
    pub fn set_test_result(&mut self, result: TestResult) {
        self.phase = Phase::Idle;
        self.test_result = Some(result);
    }

    /// Signing in.
    pub fn set_signing_in(&mut self) {
        self.phase = Phase::SigningIn;
        self.test_result = None;
        self.error = None;
    }

    /// Signing in failed; `text` says why. The form is editable again.
    pub fn set_error(&mut self, text: String) {
        self.phase = Phase::Idle;
        self.error = Some(text);
    }

    /// The server refused the password (or none is stored): the form comes back with the
    /// address filled in, the password empty and the reason shown.
    pub fn ask_password_again(&mut self, jid: &BareJid, reason: String) {
        self.jid = jid.to_string();
        self.password.clear();
        self.phase = Phase::Idle;
        self.test_result = None;
        self.error = Some(reason);
    }

    /// Whether a test or a sign-in is running.
    pub fn is_busy(&self) -> bool {
        self.phase != Phase::Idle
    }

    /// Handles one input.
    pub fn update(&mut self, message: Message) -> Action {
        let edits = !matches!(
            message,
            Message::Test | Message::SignIn | Message::ToggleAdvanced
        );
        if edits {
            // What was tested or refused was another form.
            self.test_result = None;
            self.error = None;
        }
        match message {
            Message::Jid(v) => self.jid = v,
            Message::Password(v) => self.password = v,
            Message::Remember(v) => self.remember = v && self.keyring_available,
            Message::ToggleRemember => {
                self.remember = !self.remember && self.keyring_available;
            }
            Message::ToggleTls => {
                self.tls = match self.tls {
                    TlsMode::StartTls => TlsMode::Direct,
                    TlsMode::Direct => TlsMode::StartTls,
                };
            }
            Message::ToggleAllowPlain => self.allow_plain = !self.allow_plain,
            Message::ToggleAdvanced => self.advanced = !self.advanced,
            Message::Host(v) => self.host = v,
            Message::Port(v) => self.port = v,
            Message::Tls(v) => self.tls = v,
            Message::Resource(v) => self.resource = v,
            Message::Timeout(v) => self.timeout = v,
            Message::AllowPlain(v) => self.allow_plain = v,
            Message::Test => {
                let Some(account) = self.account().filter(|_| self.can_submit()) else {
                    return Action::None;
                };
                self.set_testing();
                return Action::Test(account, self.password.clone());
            }
            Message::SignIn => {
                let Some(account) = self.account().filter(|_| self.can_submit()) else {
                    return Action::None;
                };
                self.set_signing_in();
                return Action::SignIn {
                    account,
                    password: self.password.clone(),
                    remember: self.remember && self.keyring_available,
                };
            }
        }
        Action::None
    }

    /// Every field is valid, a password is given and nothing is running.
    fn can_submit(&self) -> bool {
        !self.is_busy() && !self.password.is_empty() && self.account().is_some()
    }

    /// The account the form describes, when every field is valid.
    fn account(&self) -> Option<Account> {
        let jid = bare_jid(&self.jid).ok()?;
        let mut account = match &self.base {
            Some(base) if base.jid == jid => base.clone(),
            _ => Account::new(jid),
        };
        account.host = self.host_value().ok()?;
        account.port = self.port_value().ok()?;
        account.tls = self.tls;
        account.resource = self.resource_value().ok()?;
        account.connect_timeout_secs = self.timeout_value().ok()?;
        account.allow_plain = self.allow_plain;
        Some(account)
    }

    fn jid_problem(&self) -> Option<String> {
        if self.jid.trim().is_empty() {
            // Nothing typed yet is not an error; the hint under the field says what to type.
            return None;
        }
        bare_jid(&self.jid).err().map(|e| address_problem(&e))
    }

    fn host_value(&self) -> Result<Option<String>, String> {
        let host = self.host.trim();
        if host.is_empty() {
            return Ok(None);
        }
        let fine = host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'))
            && !host.starts_with(['-', '.']);
        if fine {
            Ok(Some(host.to_owned()))
        } else {
            Err(crate::fl!("login-host-invalid"))
        }
    }

    fn port_value(&self) -> Result<Option<u16>, String> {
        let port = self.port.trim();
        if port.is_empty() {
            return Ok(None);
        }
        match port.parse::<u16>() {
            Ok(p) if p >= 1 => Ok(Some(p)),
            _ => Err(crate::fl!("login-port-invalid")),
        }
    }

    fn resource_value(&self) -> Result<Option<String>, String> {
        let resource = self.resource.trim();
        if resource.is_empty() {
            return Ok(None);
        }
        if resource.len() > MAX_RESOURCE || resource.chars().any(char::is_control) {
            return Err(crate::fl!("login-resource-invalid"));
        }
        Ok(Some(resource.to_owned()))
    }

    fn timeout_value(&self) -> Result<u32, String> {
        let timeout = self.timeout.trim();
        if timeout.is_empty() {
            return Ok(DEFAULT_TIMEOUT);
        }
        match timeout.parse::<u32>() {
            Ok(t) if (1..=MAX_TIMEOUT).contains(&t) => Ok(t),
            _ => Err(crate::fl!("login-timeout-invalid", max = MAX_TIMEOUT)),
        }
    }

    /// The form.
    pub fn view(&self) -> Element<'_, Message> {
        self.form()
    }
}

/// Why an address is not usable, in the person's language.
fn address_problem(error: &AddressError) -> String {
    match error {
        AddressError::Empty => crate::fl!("login-jid-empty"),
        AddressError::NoLocalpart(text) => crate::fl!("login-jid-no-user", address = text.as_str()),
        AddressError::HasResource(_) => crate::fl!("login-jid-has-resource"),
        AddressError::Invalid(text, _) => invalid_reason(text),
    }
}

/// The likely reason an address does not parse, read from the text itself (the parser's own
/// message is English).
fn invalid_reason(address: &str) -> String {
    let address = address.trim();
    if address.chars().any(char::is_whitespace) {
        crate::fl!("login-jid-spaces")
    } else if address.matches('@').count() > 1 {
        crate::fl!("login-jid-two-at")
    } else if address.starts_with('@') {
        crate::fl!("login-jid-no-user-part")
    } else if address.ends_with('@') || address.contains("@/") {
        crate::fl!("login-jid-no-server")
    } else {
        crate::fl!("login-jid-invalid", address = address)
    }
}

#[cfg(test)]
mod tests;
