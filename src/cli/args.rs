//! The command line as clap sees it. The names of commands, flags and their values are a public
//! interface (scripts call them): change them only together with the README.
//!
//! Every help text is a Fluent id, looked up when [`Cli::command`] builds the parser (after
//! `i18n::init`); the doc comments are for readers of the code. [`command`] also puts clap's
//! own words (headings, the help and version flags) in the person's language; clap's error
//! messages stay in English.

use clap::builder::Styles;
use clap::{Arg, ArgAction, Args, CommandFactory as _, Parser, Subcommand, ValueEnum};

use crate::fl;
use crate::model::TlsMode;

/// Natter: a fast, light desktop XMPP messenger. With no command it opens the window.
#[derive(Debug, Parser)]
#[command(name = "natter", version, about = fl!("cli-about"), long_about = None)]
pub struct Cli {
    /// The account to use (default: the default account, else the only one)
    #[arg(long, global = true, value_name = "JID", help = fl!("cli-flag-account"))]
    pub account: Option<String>,
    /// Print one JSON document instead of text
    #[arg(long, global = true, help = fl!("cli-flag-json"))]
    pub json: bool,
    /// Seconds to wait for the server before giving up (online commands)
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400), help = fl!("cli-flag-timeout"))]
    pub timeout: u64,
    /// What to do; without one, the window opens
    #[command(subcommand)]
    pub command: Option<Command>,
    /// An xmpp: link to open in the window (xmpp:alice@example.org, …?message;body=Hi,
    /// …?roster, …?remove): it opens, fills in or asks; nothing is sent without you
    #[arg(value_name = "XMPP_URI", value_parser = xmpp_link)]
    pub link: Option<String>,
}

/// A window argument must be an `xmpp:` link: anything else is a mistyped command.
fn xmpp_link(text: &str) -> Result<String, String> {
    if text
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("xmpp:"))
    {
        Ok(text.to_owned())
    } else {
        Err(crate::fl!("cli-not-a-command", text = text))
    }
}

/// A message id a person or script names (`send --reply-to`, headless requests): what the
/// store and events give, and nothing longer than 128 bytes or with control characters, which
/// no id Natter shows has.
pub(crate) fn message_id(text: &str) -> Result<crate::model::MessageId, String> {
    let bad = || crate::fl!("cli-headless-bad-id");
    if text.len() > 128 || text.chars().any(char::is_control) {
        return Err(bad());
    }
    crate::model::MessageId::new(text).map_err(|_| bad())
}

/// The subcommands.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Add, list or remove accounts
    #[command(subcommand, about = fl!("cli-cmd-account"))]
    Account(AccountCommand),
    /// Connect and report success, time to online, server features and the error, if any
    #[command(about = fl!("cli-cmd-check"))]
    Check,
    /// Send a message; returns once the server acknowledged it
    #[command(about = fl!("cli-cmd-send"))]
    Send(SendArgs),
    /// Show the contact list (from the local store unless --refresh)
    #[command(about = fl!("cli-cmd-roster"))]
    Roster {
        /// Fetch the roster from the server first
        #[arg(long, help = fl!("cli-flag-refresh"))]
        refresh: bool,
    },
    /// Show a contact's presence: show, status, idle or last seen
    #[command(about = fl!("cli-cmd-presence"))]
    Presence {
        /// The contact
        #[arg(value_name = "JID", help = fl!("cli-arg-contact"))]
        jid: String,
    },
    /// Show pending subscription requests (from the local store)
    #[command(about = fl!("cli-cmd-requests"))]
    Requests {
        /// Also show answered requests
        #[arg(long, help = fl!("cli-flag-all"))]
        all: bool,
    },
    /// Accept a subscription request: the contact may see your presence
    #[command(about = fl!("cli-cmd-accept"))]
    Accept {
        /// The requester
        #[arg(value_name = "JID", help = fl!("cli-arg-requester"))]
        jid: String,
    },
    /// Deny a subscription request
    #[command(about = fl!("cli-cmd-deny"))]
    Deny {
        /// The requester
        #[arg(value_name = "JID", help = fl!("cli-arg-requester"))]
        jid: String,
    },
    /// Add or remove contacts
    #[command(subcommand, about = fl!("cli-cmd-contact"))]
    Contact(ContactCommand),
    /// Show the conversation with a contact (from the local store)
    #[command(about = fl!("cli-cmd-history"))]
    History(HistoryArgs),
    /// Run the session without a window: JSON lines on stdout (events) and stdin (commands)
    #[command(about = fl!("cli-cmd-headless"))]
    Headless,
}

/// `natter account …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AccountCommand {
    /// Store an account and put its password in the keyring
    #[command(about = fl!("cli-cmd-account-add"))]
    Add(AccountAddArgs),
    /// List the accounts
    #[command(about = fl!("cli-cmd-account-list"))]
    List,
    /// Remove an account, its local data and its password from the keyring
    #[command(about = fl!("cli-cmd-account-remove"))]
    Remove {
        /// The account
        #[arg(value_name = "JID", help = fl!("cli-arg-account"))]
        jid: String,
    },
}

/// `natter account add …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct AccountAddArgs {
    /// The account's address, name@server
    #[arg(value_name = "JID", help = fl!("cli-arg-account-address"))]
    pub jid: String,
    /// Server host to connect to instead of the DNS SRV lookup
    #[arg(long, value_name = "H", help = fl!("cli-flag-host"))]
    pub host: Option<String>,
    /// Server port
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u16).range(1..),
          help = fl!("cli-flag-port"))]
    pub port: Option<u16>,
    /// STARTTLS on the client port, or TLS from the first byte (XEP-0368)
    #[arg(long, value_enum, value_name = "MODE", help = fl!("cli-flag-tls"))]
    pub tls: Option<TlsArg>,
    /// The resource to ask for (the server chooses one when unset)
    #[arg(long, value_name = "R", help = fl!("cli-flag-resource"))]
    pub resource: Option<String>,
    /// Read the password from the first line of stdin
    #[arg(long, help = fl!("cli-flag-password-stdin"))]
    pub password_stdin: bool,
    /// Make this the account commands use when none is named
    #[arg(long, help = fl!("cli-flag-default"))]
    pub default: bool,
    /// Allow any sign-in method the server offers, down to PLAIN, even one weaker than the
    /// one that worked before
    #[arg(long, overrides_with = "no_allow_plain", help = fl!("cli-flag-allow-plain"))]
    pub allow_plain: bool,
    /// Refuse again a sign-in method weaker than the one that worked before (the default)
    #[arg(long, overrides_with = "allow_plain", help = fl!("cli-flag-no-allow-plain"))]
    pub no_allow_plain: bool,
}

/// `--tls` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TlsArg {
    /// STARTTLS, required (never plaintext)
    #[value(help = fl!("cli-tls-starttls"))]
    Starttls,
    /// Direct TLS
    #[value(help = fl!("cli-tls-direct"))]
    Direct,
}

impl From<TlsArg> for TlsMode {
    fn from(tls: TlsArg) -> Self {
        match tls {
            TlsArg::Starttls => TlsMode::StartTls,
            TlsArg::Direct => TlsMode::Direct,
        }
    }
}

/// `natter send …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct SendArgs {
    /// The recipient
    #[arg(long, value_name = "JID", help = fl!("cli-flag-to"))]
    pub to: String,
    /// The message; read from stdin when absent
    #[arg(value_name = "TEXT", help = fl!("cli-arg-text", kib = crate::model::MAX_SENT_BODY_KIB))]
    pub text: Option<String>,
    /// Wait for the recipient's delivery receipt, not only the server's acknowledgement
    #[arg(long, help = fl!("cli-flag-wait-receipt"))]
    pub wait_receipt: bool,
    /// The id of the message this one replies to (as `history --json` shows it)
    #[arg(long, value_name = "ID", value_parser = message_id, help = fl!("cli-flag-reply-to"))]
    pub reply_to: Option<crate::model::MessageId>,
}

/// `natter contact …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum ContactCommand {
    /// Add a contact and ask to see their presence
    #[command(about = fl!("cli-cmd-contact-add"))]
    Add {
        /// The contact
        #[arg(value_name = "JID", help = fl!("cli-arg-contact"))]
        jid: String,
        /// The name to show for them
        #[arg(long, value_name = "N", help = fl!("cli-flag-name"))]
        name: Option<String>,
        /// A group to put them in (repeat for several)
        #[arg(long = "group", value_name = "G", help = fl!("cli-flag-group"))]
        groups: Vec<String>,
        /// A message to send with the subscription request
        #[arg(long, value_name = "TEXT", help = fl!("cli-flag-message"))]
        message: Option<String>,
        /// Do not let them see my presence until I accept a request of theirs
        #[arg(long, help = fl!("cli-flag-no-share"))]
        no_share: bool,
    },
    /// Remove a contact (which also ends both subscriptions)
    #[command(about = fl!("cli-cmd-contact-remove"))]
    Remove {
        /// The contact
        #[arg(value_name = "JID", help = fl!("cli-arg-contact"))]
        jid: String,
    },
}

/// `natter history …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct HistoryArgs {
    /// The contact
    #[arg(value_name = "JID", help = fl!("cli-arg-contact"))]
    pub jid: String,
    /// How many messages, the newest ones
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=100_000), help = fl!("cli-flag-limit"))]
    pub limit: u32,
    /// Only messages containing this text (full-text search)
    #[arg(long, value_name = "TEXT", help = fl!("cli-flag-search"))]
    pub search: Option<String>,
}

/// The parser [`crate::run`] uses: [`Cli::command`] with clap's own words in the person's
/// language too. Parse with `Cli::from_arg_matches(&command().get_matches())`.
pub fn command() -> clap::Command {
    let help = Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .global(true)
        .help(fl!("cli-flag-help"));
    let version = Arg::new("version")
        .short('V')
        .long("version")
        .action(ArgAction::Version)
        .help(fl!("cli-flag-version"));
    let root = Cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(help)
        .arg(version);
    let words = Headings {
        usage: fl!("cli-help-usage"),
        commands: fl!("cli-help-commands"),
        arguments: fl!("cli-help-arguments"),
        options: fl!("cli-help-options"),
    };
    words.apply(root)
}

/// The words clap writes around the help texts, which it cannot translate by itself: each
/// command gets a help template with them, laid out the way clap's own template is.
struct Headings {
    usage: String,
    commands: String,
    arguments: String,
    options: String,
}

impl Headings {
    fn apply(&self, mut command: clap::Command) -> clap::Command {
        let names: Vec<String> = command
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        for name in names {
            command = command.mut_subcommand(name, |c| self.apply(c));
        }
        let styles = Styles::default();
        let heading = |text: &str| {
            let style = styles.get_header();
            format!("{}{text}:{}", style.render(), style.render_reset())
        };
        let mut sections = Vec::new();
        if command.has_subcommands() {
            sections.push(format!("{}\n{{subcommands}}", heading(&self.commands)));
        }
        if command.get_positionals().next().is_some() {
            sections.push(format!("{}\n{{positionals}}", heading(&self.arguments)));
        }
        // Every command has options: at least --help.
        sections.push(format!("{}\n{{options}}", heading(&self.options)));
        let usage = styles.get_usage();
        let template = format!(
            "{{before-help}}{{about-with-newline}}\n{}{}:{} {{usage}}\n\n{}{{after-help}}",
            usage.render(),
            self.usage,
            usage.render_reset(),
            sections.join("\n\n")
        );
        command.help_template(template)
    }
}

#[cfg(test)]
mod tests;
