//! The command line as clap sees it. The names of commands, flags and their values are a public
//! interface (scripts call them): change them only together with the README.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::TlsMode;

/// Natter: a fast, light desktop XMPP messenger. With no command it opens the window.
#[derive(Debug, Parser)]
#[command(name = "natter", version, about, long_about = None)]
pub struct Cli {
    /// The account to use (default: the default account, else the only one)
    #[arg(long, global = true, value_name = "JID")]
    pub account: Option<String>,
    /// Print one JSON document instead of text
    #[arg(long, global = true)]
    pub json: bool,
    /// Seconds to wait for the server before giving up (online commands)
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
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

/// The subcommands.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Add, list or remove accounts
    #[command(subcommand)]
    Account(AccountCommand),
    /// Connect and report success, time to online, server features and the error, if any
    Check,
    /// Send a message; returns once the server acknowledged it
    Send(SendArgs),
    /// Show the contact list (from the local store unless --refresh)
    Roster {
        /// Fetch the roster from the server first
        #[arg(long)]
        refresh: bool,
    },
    /// Show a contact's presence: show, status, idle or last seen
    Presence {
        /// The contact
        #[arg(value_name = "JID")]
        jid: String,
    },
    /// Show pending subscription requests (from the local store)
    Requests {
        /// Also show answered requests
        #[arg(long)]
        all: bool,
    },
    /// Accept a subscription request: the contact may see your presence
    Accept {
        /// The requester
        #[arg(value_name = "JID")]
        jid: String,
    },
    /// Deny a subscription request
    Deny {
        /// The requester
        #[arg(value_name = "JID")]
        jid: String,
    },
    /// Add or remove contacts
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Show the conversation with a contact (from the local store)
    History(HistoryArgs),
    /// Run the session without a window: JSON lines on stdout (events) and stdin (commands)
    Headless,
}

/// `natter account …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AccountCommand {
    /// Store an account and put its password in the keyring
    Add(AccountAddArgs),
    /// List the accounts
    List,
    /// Remove an account, its local data and its password from the keyring
    Remove {
        /// The account
        #[arg(value_name = "JID")]
        jid: String,
    },
}

/// `natter account add …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct AccountAddArgs {
    /// The account's address, name@server
    #[arg(value_name = "JID")]
    pub jid: String,
    /// Server host to connect to instead of the DNS SRV lookup
    #[arg(long, value_name = "H")]
    pub host: Option<String>,
    /// Server port
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// STARTTLS on the client port, or TLS from the first byte (XEP-0368)
    #[arg(long, value_enum, value_name = "MODE")]
    pub tls: Option<TlsArg>,
    /// The resource to ask for (the server chooses one when unset)
    #[arg(long, value_name = "R")]
    pub resource: Option<String>,
    /// Read the password from the first line of stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Make this the account commands use when none is named
    #[arg(long)]
    pub default: bool,
}

/// `--tls` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TlsArg {
    /// STARTTLS, required (never plaintext)
    Starttls,
    /// Direct TLS
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
    #[arg(long, value_name = "JID")]
    pub to: String,
    /// The message; read from stdin when absent
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// Wait for the recipient's delivery receipt, not only the server's acknowledgement
    #[arg(long)]
    pub wait_receipt: bool,
}

/// `natter contact …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum ContactCommand {
    /// Add a contact and ask to see their presence
    Add {
        /// The contact
        #[arg(value_name = "JID")]
        jid: String,
        /// The name to show for them
        #[arg(long, value_name = "N")]
        name: Option<String>,
        /// A group to put them in (repeat for several)
        #[arg(long = "group", value_name = "G")]
        groups: Vec<String>,
        /// A message to send with the subscription request
        #[arg(long, value_name = "TEXT")]
        message: Option<String>,
    },
    /// Remove a contact (which also ends both subscriptions)
    Remove {
        /// The contact
        #[arg(value_name = "JID")]
        jid: String,
    },
}

/// `natter history …`
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct HistoryArgs {
    /// The contact
    #[arg(value_name = "JID")]
    pub jid: String,
    /// How many messages, the newest ones
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// Only messages containing this text (full-text search)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("natter").chain(args.iter().copied()))
    }

    fn command(args: &[&str]) -> Command {
        match parse(args) {
            Ok(cli) => cli
                .command
                .unwrap_or_else(|| panic!("no command in {args:?}")),
            Err(e) => panic!("{args:?}: {e}"),
        }
    }

    #[test]
    fn an_xmpp_link_opens_the_window_and_commands_still_parse() {
        let cli = parse(&["xmpp:alice@example.org?message;body=Hi"]).expect("parses");
        assert_eq!(cli.command, None);
        assert_eq!(
            cli.link.as_deref(),
            Some("xmpp:alice@example.org?message;body=Hi")
        );
        let cli = parse(&["roster"]).expect("parses");
        assert_eq!(
            (cli.command, cli.link),
            (Some(Command::Roster { refresh: false }), None)
        );
        assert!(parse(&[]).expect("parses").link.is_none());
    }

    #[test]
    fn every_subcommand_parses() {
        let jid = || "bob@example.org".to_owned();
        let cases: Vec<(&[&str], Command)> = vec![
            (
                &["account", "add", "alice@example.org"],
                Command::Account(AccountCommand::Add(AccountAddArgs {
                    jid: "alice@example.org".into(),
                    host: None,
                    port: None,
                    tls: None,
                    resource: None,
                    password_stdin: false,
                    default: false,
                })),
            ),
            (
                &[
                    "account",
                    "add",
                    "alice@example.org",
                    "--host",
                    "localhost",
                    "--port",
                    "5223",
                    "--tls",
                    "direct",
                    "--resource",
                    "desk",
                    "--password-stdin",
                    "--default",
                ],
                Command::Account(AccountCommand::Add(AccountAddArgs {
                    jid: "alice@example.org".into(),
                    host: Some("localhost".into()),
                    port: Some(5223),
                    tls: Some(TlsArg::Direct),
                    resource: Some("desk".into()),
                    password_stdin: true,
                    default: true,
                })),
            ),
            (&["account", "list"], Command::Account(AccountCommand::List)),
            (
                &["account", "remove", "bob@example.org"],
                Command::Account(AccountCommand::Remove { jid: jid() }),
            ),
            (&["check"], Command::Check),
            (
                &["send", "--to", "bob@example.org", "hello there"],
                Command::Send(SendArgs {
                    to: jid(),
                    text: Some("hello there".into()),
                    wait_receipt: false,
                }),
            ),
            (
                &["send", "--to", "bob@example.org", "--wait-receipt"],
                Command::Send(SendArgs {
                    to: jid(),
                    text: None,
                    wait_receipt: true,
                }),
            ),
            (&["roster"], Command::Roster { refresh: false }),
            (&["roster", "--refresh"], Command::Roster { refresh: true }),
            (
                &["presence", "bob@example.org"],
                Command::Presence { jid: jid() },
            ),
            (&["requests"], Command::Requests { all: false }),
            (&["requests", "--all"], Command::Requests { all: true }),
            (
                &["accept", "bob@example.org"],
                Command::Accept { jid: jid() },
            ),
            (&["deny", "bob@example.org"], Command::Deny { jid: jid() }),
            (
                &[
                    "contact",
                    "add",
                    "bob@example.org",
                    "--name",
                    "Bob",
                    "--group",
                    "Friends",
                    "--group",
                    "Work",
                ],
                Command::Contact(ContactCommand::Add {
                    jid: jid(),
                    name: Some("Bob".into()),
                    groups: vec!["Friends".into(), "Work".into()],
                    message: None,
                }),
            ),
            (
                &["contact", "remove", "bob@example.org"],
                Command::Contact(ContactCommand::Remove { jid: jid() }),
            ),
            (
                &["history", "bob@example.org"],
                Command::History(HistoryArgs {
                    jid: jid(),
                    limit: 50,
                    search: None,
                }),
            ),
            (
                &[
                    "history",
                    "bob@example.org",
                    "--limit",
                    "5",
                    "--search",
                    "lunch",
                ],
                Command::History(HistoryArgs {
                    jid: jid(),
                    limit: 5,
                    search: Some("lunch".into()),
                }),
            ),
            (&["headless"], Command::Headless),
        ];
        for (args, expected) in cases {
            assert_eq!(command(args), expected, "{args:?}");
        }
    }

    #[test]
    fn common_flags_go_anywhere() {
        let cli = parse(&["roster", "--account", "alice@example.org", "--json"]).expect("parses");
        assert_eq!(cli.account.as_deref(), Some("alice@example.org"));
        assert!(cli.json);
        assert_eq!(cli.timeout, 30);
        let cli =
            parse(&["--json", "--timeout", "5", "send", "--to", "b@x.org", "hi"]).expect("parses");
        assert!(cli.json);
        assert_eq!(cli.timeout, 5);
        let cli = parse(&["headless", "--account", "alice@example.org"]).expect("parses");
        assert_eq!(cli.command, Some(Command::Headless));
        assert_eq!(cli.account.as_deref(), Some("alice@example.org"));
    }

    #[test]
    fn no_arguments_means_the_window() {
        let cli = parse(&[]).expect("parses");
        assert_eq!(cli.command, None);
    }

    #[test]
    fn bad_usage_is_a_clap_error_with_exit_status_2() {
        let cases: [&[&str]; 9] = [
            &["account", "add", "a@example.org", "--tls", "plain"],
            &["account", "add", "a@example.org", "--port", "0"],
            &["account", "add", "a@example.org", "--port", "70000"],
            &["account", "add"],
            &["send", "hello"],
            &["history", "bob@example.org", "--limit", "0"],
            &["presence"],
            &["frobnicate"],
            &["contact", "add"],
        ];
        for args in cases {
            match parse(args) {
                Ok(cli) => panic!("{args:?} parsed as {cli:?}"),
                Err(e) => {
                    assert_ne!(e.kind(), ErrorKind::DisplayHelp, "{args:?}");
                    assert_eq!(e.exit_code(), 2, "{args:?}");
                }
            }
        }
    }
}
