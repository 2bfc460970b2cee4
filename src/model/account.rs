//! An account as the store keeps it. The password is never part of it: it lives in the keyring.

use serde::{Deserialize, Serialize};

use super::BareJid;

use super::Show;

/// How the connection is secured. There is no plaintext mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Connect in the clear on the client port, then upgrade with STARTTLS; refuse a server
    /// that does not offer it.
    #[default]
    StartTls,
    /// TLS from the first byte (XEP-0368), usually on port 5223.
    Direct,
}

impl TlsMode {
    /// The name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::StartTls => "starttls",
            TlsMode::Direct => "direct",
        }
    }

    /// Parses the command-line / store name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "starttls" => Some(TlsMode::StartTls),
            "direct" => Some(TlsMode::Direct),
            _ => None,
        }
    }
}

/// How an account signed in, weakest first: the order is the order of strength. Natter
/// remembers the strongest that has worked and refuses a weaker one afterwards, unless the
/// person allows it ([`Account::allow_plain`]): a weaker offer than before is what someone
/// between Natter and the server would make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AuthMethod {
    /// SASL PLAIN: the password itself goes to the server (inside TLS).
    #[serde(rename = "plain")]
    Plain,
    /// SCRAM without channel binding: the server proves it knows the password, but a
    /// trusted-looking relay in between would not be noticed.
    #[serde(rename = "scram")]
    Scram,
    /// SCRAM-*-PLUS: SCRAM bound to this TLS connection (RFC 5802, 5929, 9266).
    #[serde(rename = "scram-plus")]
    ScramBound,
}

impl AuthMethod {
    /// The name used in the store and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::Plain => "plain",
            AuthMethod::Scram => "scram",
            AuthMethod::ScramBound => "scram-plus",
        }
    }

    /// Parses the store / JSON name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "plain" => Some(AuthMethod::Plain),
            "scram" => Some(AuthMethod::Scram),
            "scram-plus" => Some(AuthMethod::ScramBound),
            _ => None,
        }
    }
}

/// One XMPP account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The account's address, e.g. `alice@example.org`.
    pub jid: BareJid,
    /// Server host to connect to instead of the SRV lookup of the JID's domain.
    pub host: Option<String>,
    /// Port to connect to (with `host`, or the domain itself when `host` is unset).
    pub port: Option<u16>,
    /// STARTTLS or direct TLS.
    pub tls: TlsMode,
    /// Resource to request at bind time; the server picks one when unset.
    pub resource: Option<String>,
    /// DER of a server certificate the person chose to trust, compared byte for byte.
    pub pinned_cert: Option<Vec<u8>>,
    /// Seconds to wait for the connection and login before giving up on one attempt.
    pub connect_timeout_secs: u32,
    /// The show chosen last, restored at the next login.
    pub last_show: Show,
    /// The status message chosen last, restored at the next login.
    pub last_status: String,
    /// Whether this is the account commands use when none is named.
    pub is_default: bool,
    /// The strongest sign-in method that has worked for this account; a weaker one is refused
    /// unless `allow_plain` is set. Only ever raised by a sign-in.
    pub auth_method: Option<AuthMethod>,
    /// The person allows any sign-in method the server offers, down to PLAIN, even one weaker
    /// than `auth_method` (their server changed on purpose).
    pub allow_plain: bool,
}

impl Account {
    /// A new account with the defaults: STARTTLS, SRV lookup, 30 s timeout, available, no
    /// sign-in remembered.
    pub fn new(jid: BareJid) -> Self {
        Account {
            jid,
            host: None,
            port: None,
            tls: TlsMode::StartTls,
            resource: None,
            pinned_cert: None,
            connect_timeout_secs: 30,
            last_show: Show::Available,
            last_status: String::new(),
            is_default: false,
            auth_method: None,
            allow_plain: false,
        }
    }
}
