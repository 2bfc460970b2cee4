//! The command line as clap parses it: every command and flag, the localized help, xmpp: links.

use clap::error::ErrorKind;

use super::*;

/// Parses with [`command`], as `main` does, and checks that the plain derived parser
/// agrees: the help texts and headings are the only difference.
fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches as _;
    let argv = || std::iter::once("natter").chain(args.iter().copied());
    let derived = Cli::try_parse_from(argv());
    let localized = super::command()
        .try_get_matches_from(argv())
        .and_then(|m| Cli::from_arg_matches(&m));
    match (&derived, &localized) {
        (Ok(d), Ok(l)) => assert_eq!(format!("{d:?}"), format!("{l:?}"), "{args:?}"),
        (Err(d), Err(l)) => assert_eq!(d.kind(), l.kind(), "{args:?}"),
        _ => panic!("{args:?}: derived {derived:?}, localized {localized:?}"),
    }
    localized
}

fn help(path: &[&str]) -> String {
    let mut command = super::command();
    command.build();
    let mut found = &mut command;
    for name in path {
        found = found
            .find_subcommand_mut(name)
            .unwrap_or_else(|| panic!("no subcommand {name}"));
    }
    found.render_long_help().to_string()
}

#[test]
fn the_parser_is_consistent() {
    super::command().debug_assert();
}

#[test]
fn help_and_version_still_answer_everywhere() {
    let cases: [(&[&str], ErrorKind); 5] = [
        (&["--help"], ErrorKind::DisplayHelp),
        (&["-h"], ErrorKind::DisplayHelp),
        (&["account", "add", "--help"], ErrorKind::DisplayHelp),
        (&["send", "-h"], ErrorKind::DisplayHelp),
        (&["-V"], ErrorKind::DisplayVersion),
    ];
    for (args, kind) in cases {
        match parse(args) {
            Ok(cli) => panic!("{args:?} parsed as {cli:?}"),
            Err(e) => assert_eq!(e.kind(), kind, "{args:?}"),
        }
    }
}

#[test]
fn help_is_in_the_persons_language() {
    let english = help(&[]);
    for needle in [
        "Usage: natter",
        "Commands:",
        "Options:",
        "Print help",
        "Add or remove contacts",
    ] {
        assert!(english.contains(needle), "{needle}: {english}");
    }
    let english = help(&["account", "add"]);
    for needle in [
        "Arguments:",
        "<JID>",
        "--password-stdin",
        "direct:   Direct TLS",
    ] {
        assert!(english.contains(needle), "{needle}: {english}");
    }
    let russian = crate::i18n::testing::in_language("ru", || help(&[]));
    for needle in [
        "Использование: natter",
        "Команды:",
        "Параметры:",
        "Показать справку",
        "Добавить или удалить контакты",
        "--account <JID>",
    ] {
        assert!(russian.contains(needle), "{needle}: {russian}");
    }
    let russian = crate::i18n::testing::in_language("ru", || help(&["account", "add"]));
    for needle in [
        "Аргументы:",
        "<JID>",
        "--password-stdin",
        "direct:   Прямой TLS",
    ] {
        assert!(russian.contains(needle), "{needle}: {russian}");
    }
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
                allow_plain: false,
                no_allow_plain: false,
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
                allow_plain: false,
                no_allow_plain: false,
            })),
        ),
        (
            &["account", "add", "alice@example.org", "--allow-plain"],
            Command::Account(AccountCommand::Add(AccountAddArgs {
                jid: "alice@example.org".into(),
                host: None,
                port: None,
                tls: None,
                resource: None,
                password_stdin: false,
                default: false,
                allow_plain: true,
                no_allow_plain: false,
            })),
        ),
        (
            // The last of the two wins.
            &[
                "account",
                "add",
                "alice@example.org",
                "--allow-plain",
                "--no-allow-plain",
            ],
            Command::Account(AccountCommand::Add(AccountAddArgs {
                jid: "alice@example.org".into(),
                host: None,
                port: None,
                tls: None,
                resource: None,
                password_stdin: false,
                default: false,
                allow_plain: false,
                no_allow_plain: true,
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
                reply_to: None,
            }),
        ),
        (
            &["send", "--to", "bob@example.org", "--wait-receipt"],
            Command::Send(SendArgs {
                to: jid(),
                text: None,
                wait_receipt: true,
                reply_to: None,
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
                no_share: false,
            }),
        ),
        (
            &["contact", "add", "bob@example.org", "--no-share"],
            Command::Contact(ContactCommand::Add {
                jid: jid(),
                name: None,
                groups: vec![],
                message: None,
                no_share: true,
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
