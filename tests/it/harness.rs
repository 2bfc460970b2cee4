//! The test servers themselves, Prosody and ejabberd alike: each starts, speaks XMPP over TLS
//! that a client trusting only the test CA accepts, lets the harness's users log in, has the
//! modules the client relies on, does what the harness says it does (pending requests, archive
//! counts, sign-in counts) and keeps its data across a restart.
//!
//! These tests talk raw XMPP over blocking rustls sockets, not through the crate, so they check
//! the harness even while the client is broken.

mod raw;

use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::ServerName;

use crate::support::{Kind, Server, Shared, on_servers};
use raw::{READ_TIMEOUT, Raw};

static SERVERS: Shared = Shared::new();

on_servers!(fn the_starttls_port_offers_starttls_and_the_test_ca_verifies_the_server);
fn the_starttls_port_offers_starttls_and_the_test_ca_verifies_the_server(kind: Kind) {
    let server = SERVERS.get(kind);
    assert_eq!(server.domain(), "localhost");
    let (_raw, features) = Raw::starttls(&server);
    assert!(
        !features.contains("<starttls"),
        "STARTTLS offered again inside TLS: {features}"
    );
    assert!(
        features.contains("<mechanisms"),
        "no SASL mechanisms after STARTTLS: {features}"
    );
}

on_servers!(fn the_starttls_port_requires_encryption_before_authentication);
fn the_starttls_port_requires_encryption_before_authentication(kind: Kind) {
    let server = SERVERS.get(kind);
    let (mut raw, _tcp) = Raw::tcp(server.port());
    let features = raw.open_stream();
    assert!(
        features.contains("<required"),
        "STARTTLS is not marked required: {features}"
    );
    assert!(
        !features.contains("<mechanisms"),
        "SASL offered before TLS: {features}"
    );
}

on_servers!(fn the_direct_tls_port_speaks_xmpp_inside_tls);
fn the_direct_tls_port_speaks_xmpp_inside_tls(kind: Kind) {
    let server = SERVERS.get(kind);
    assert_ne!(server.port(), server.direct_tls_port());
    let (_raw, features) = Raw::direct_tls(&server);
    assert!(
        features.contains("<mechanisms"),
        "no SASL mechanisms on direct TLS: {features}"
    );
}

on_servers!(fn a_client_that_does_not_trust_the_test_ca_is_refused);
fn a_client_that_does_not_trust_the_test_ca_is_refused(kind: Kind) {
    let server = SERVERS.get(kind);
    let tcp = TcpStream::connect(("127.0.0.1", server.direct_tls_port())).expect("connecting");
    tcp.set_read_timeout(Some(READ_TIMEOUT))
        .expect("setting a read timeout");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    let conn = rustls::ClientConnection::new(
        Arc::new(config),
        ServerName::try_from("localhost").expect("a DNS name"),
    )
    .expect("a client connection");
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    let err = stream
        .conn
        .complete_io(&mut stream.sock)
        .expect_err("an unknown issuer must fail the handshake");
    assert!(
        format!("{err:?}").contains("UnknownIssuer"),
        "unexpected error: {err:?}"
    );
}

on_servers!(fn a_created_user_logs_in_with_its_password_and_not_without);
fn a_created_user_logs_in_with_its_password_and_not_without(kind: Kind) {
    let server = SERVERS.get(kind);
    let (jid, password) = server.create_user("alice");
    let (local, domain) = jid.split_once('@').expect("a bare JID");
    assert!(local.starts_with("alice") && domain == "localhost", "{jid}");
    assert!(server.has_user(local), "the server does not know {jid}");
    assert!(!server.has_user("nobody"), "a user nobody made exists");

    let refused = Raw::login(&server, &jid, "not-the-password")
        .err()
        .expect("a wrong password must be refused");
    assert!(
        refused.contains("not-authorized"),
        "unexpected SASL failure: {refused}"
    );
    Raw::login(&server, &jid, &password)
        .unwrap_or_else(|e| panic!("alice could not log in: {e}\n{}", server.log()));
    // The server writes its log a moment later.
    let deadline = Instant::now() + READ_TIMEOUT;
    while server.sign_ins(&jid) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        server.sign_ins(&jid),
        1,
        "the log shows the one sign-in, not the refused one"
    );
}

on_servers!(fn create_user_twice_gives_two_distinct_users);
fn create_user_twice_gives_two_distinct_users(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    assert_ne!(a, b);
    assert_ne!(apw, bpw, "two users got the same password");
    Raw::login(&server, &a, &apw).unwrap_or_else(|e| panic!("alice could not log in: {e}"));
    Raw::login(&server, &b, &bpw).unwrap_or_else(|e| panic!("bob could not log in: {e}"));
    let crossed = Raw::login(&server, &b, &apw);
    assert!(crossed.is_err(), "bob logged in with alice's password");
}

on_servers!(
    #[should_panic(expected = "already exists")]
    fn creating_the_same_user_twice_is_a_test_bug
);
fn creating_the_same_user_twice_is_a_test_bug(kind: Kind) {
    let server = SERVERS.get(kind);
    server.create_user("alice");
    server.create_user("alice");
}

on_servers!(fn the_server_has_the_features_the_client_relies_on);
fn the_server_has_the_features_the_client_relies_on(kind: Kind) {
    let server = SERVERS.get(kind);
    let (jid, password) = server.create_user("alice");
    let (mut raw, features) =
        Raw::login(&server, &jid, &password).unwrap_or_else(|e| panic!("login failed: {e}"));
    assert!(
        features.contains("urn:xmpp:sm:3"),
        "no stream management after login: {features}"
    );

    let domain = raw.disco_info("localhost");
    for feature in [
        "urn:xmpp:carbons:2",
        "urn:xmpp:ping",
        "urn:xmpp:blocking",
        "jabber:iq:last",
        "jabber:iq:version",
        "urn:xmpp:time",
    ] {
        assert!(
            domain.contains(&format!("'{feature}'")),
            "the server does not advertise {feature}: {domain}"
        );
    }
    let account = raw.disco_info(&jid);
    // Private XML storage, which ejabberd serves without naming it in either list.
    raw.send(
        "<iq type='get' id='private'><query xmlns='jabber:iq:private'>\
         <storage xmlns='storage:bookmarks'/></query></iq>",
    );
    let private = raw.read_until(&["</iq>", "/>"]);
    assert!(
        private.contains("type='result'"),
        "no private XML storage: {private}"
    );
    for feature in [
        "urn:xmpp:mam:2",
        "http://jabber.org/protocol/pubsub#publish",
    ] {
        assert!(
            account.contains(&format!("'{feature}'")),
            "the account does not advertise {feature}: {account}"
        );
    }
}

on_servers!(fn pending_requests_left_by_the_harness_arrive_at_login);
/// The requests the harness leaves pending arrive at the user's next login, as the flood
/// test of `hostile::subscriptions` needs.
fn pending_requests_left_by_the_harness_arrive_at_login(kind: Kind) {
    let server = SERVERS.get(kind);
    let (jid, password) = server.create_user("alice");
    let from: Vec<String> = (0..20).map(|i| format!("asker{i:02}@localhost")).collect();
    server.add_pending_requests(&jid, &from);
    let (mut raw, _) =
        Raw::login(&server, &jid, &password).unwrap_or_else(|e| panic!("login failed: {e}"));
    raw.send("<presence/>");
    let expected: Vec<String> = from.iter().map(|f| format!("from='{f}'")).collect();
    raw.read_until_seen(&expected);
    assert_eq!(
        raw.transcript.matches("type='subscribe'").count(),
        from.len(),
        "one request from each: {}",
        raw.transcript
    );
}

on_servers!(fn the_archive_count_sees_each_message_once_for_its_owner);
/// What the fault tests count: each message that went through the server is one archived
/// copy for its recipient (and one for its sender), and nothing else is.
fn the_archive_count_sees_each_message_once_for_its_owner(kind: Kind) {
    let server = SERVERS.get(kind);
    let (alice, _) = server.create_user("alice");
    let (bob, bob_pw) = server.create_user("bob");
    let (mut raw, _) =
        Raw::login(&server, &bob, &bob_pw).unwrap_or_else(|e| panic!("login failed: {e}"));
    let body = "the archive counts \"this\" once";
    raw.send(&format!(
        "<message to='{alice}' type='chat' id='m1'><body>{}</body></message>",
        body.replace('"', "&quot;")
    ));
    let deadline = Instant::now() + READ_TIMEOUT;
    while server.archived_copies(&alice, body) == 0 {
        assert!(
            Instant::now() < deadline,
            "the message was never archived for alice"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // A moment for a second copy, which must not come.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.archived_copies(&alice, body), 1);
    assert_eq!(server.archived_copies(&bob, body), 1, "the sender's copy");
    assert_eq!(
        server.archived_copies(&alice, "the archive counts"),
        0,
        "whole bodies only"
    );
}

on_servers!(fn the_offline_count_sees_each_message_kept_for_an_offline_user);
/// What the quit test counts: each message to a user with no session waits once in the
/// server's offline storage, and leaves it when the user comes online.
fn the_offline_count_sees_each_message_kept_for_an_offline_user(kind: Kind) {
    let server = SERVERS.get(kind);
    let (alice, alice_pw) = server.create_user("alice");
    let (bob, bob_pw) = server.create_user("bob");
    assert_eq!(server.offline_count(&alice), 0);
    let (mut raw, _) =
        Raw::login(&server, &bob, &bob_pw).unwrap_or_else(|e| panic!("login failed: {e}"));
    for i in 0..3 {
        raw.send(&format!(
            "<message to='{alice}' type='chat' id='m{i}'><body>kept {i}</body></message>"
        ));
    }
    let deadline = Instant::now() + READ_TIMEOUT;
    while server.offline_count(&alice) < 3 {
        assert!(
            Instant::now() < deadline,
            "the messages were never kept for alice"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.offline_count(&alice), 3);
    assert_eq!(server.offline_count(&bob), 0, "nothing kept for the sender");
    let (mut alice_raw, _) =
        Raw::login(&server, &alice, &alice_pw).unwrap_or_else(|e| panic!("login failed: {e}"));
    alice_raw.send("<presence/>");
    alice_raw.read_until_seen(&["kept 2".to_owned()]);
    let deadline = Instant::now() + READ_TIMEOUT;
    while server.offline_count(&alice) > 0 {
        assert!(
            Instant::now() < deadline,
            "the messages stayed after alice came online"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

on_servers!(fn the_server_log_shows_no_errors_or_warnings_after_start);
fn the_server_log_shows_no_errors_or_warnings_after_start(kind: Kind) {
    let server = Server::start(kind);
    assert_eq!(server.starts(), 1, "one start in the log: {}", server.log());
    let bad = server.complaints();
    assert!(
        bad.is_empty(),
        "the test server complained:\n{}",
        bad.join("\n")
    );
    let s2s = match kind {
        Kind::Prosody => "Activated service 's2s'",
        Kind::Ejabberd => "for ejabberd_s2s_in",
    };
    assert!(
        !server.log().contains(s2s),
        "s2s should be off: {}",
        server.log()
    );
}

on_servers!(fn a_fresh_server_takes_users_and_logins_all_at_once);
/// The first things a test does with a new server, all at once: register and sign in. (The
/// first queries of ejabberd 23.01's SQL pool raced each other: one failed.)
fn a_fresh_server_takes_users_and_logins_all_at_once(kind: Kind) {
    let server = Server::start(kind);
    let users: Vec<(String, String)> = std::thread::scope(|s| {
        let server = &server;
        (0..4)
            .map(|i| s.spawn(move || server.create_user(&format!("user{i}"))))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().expect("registered"))
            .collect()
    });
    let mut server = server;
    server.start_again();
    std::thread::scope(|s| {
        for (jid, password) in &users {
            let server = &server;
            s.spawn(move || {
                if let Err(e) = Raw::login(server, jid, password) {
                    panic!("{jid} could not log in after a restart: {e}");
                }
            });
        }
    });
}

on_servers!(fn a_restart_keeps_the_ports_and_the_users);
fn a_restart_keeps_the_ports_and_the_users(kind: Kind) {
    let mut server = Server::start(kind);
    let (port, direct) = (server.port(), server.direct_tls_port());
    let (alice, alice_pw) = server.create_user("alice");

    server.stop();
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the stopped server still accepts connections"
    );
    server.start_again();

    assert_eq!((server.port(), server.direct_tls_port()), (port, direct));
    assert!(server.has_user("alice"), "alice is gone after the restart");
    Raw::login(&server, &alice, &alice_pw)
        .unwrap_or_else(|e| panic!("alice could not log in after the restart: {e}"));
    assert_eq!(server.starts(), 2, "the log should show two starts");
}

on_servers!(
    fn users_can_be_made_while_the_server_is_down,
    only Prosody: "ejabberd registers users through its running node"
);
fn users_can_be_made_while_the_server_is_down(kind: Kind) {
    let mut server = Server::start(kind);
    server.stop();
    let (bob, bob_pw) = server.create_user("bob");
    server.start_again();
    Raw::login(&server, &bob, &bob_pw)
        .unwrap_or_else(|e| panic!("bob could not log in after the restart: {e}"));
}

on_servers!(fn a_killed_server_starts_again_with_its_data);
fn a_killed_server_starts_again_with_its_data(kind: Kind) {
    let mut server = Server::start(kind);
    let (alice, alice_pw) = server.create_user("alice");
    let (_raw, _) =
        Raw::login(&server, &alice, &alice_pw).unwrap_or_else(|e| panic!("login failed: {e}"));
    server.kill();
    assert!(
        TcpStream::connect(("127.0.0.1", server.port())).is_err(),
        "the killed server still accepts connections"
    );
    server.start_again();
    Raw::login(&server, &alice, &alice_pw)
        .unwrap_or_else(|e| panic!("alice could not log in after a crash: {e}"));
    // A user made while the server runs is visible to it at once.
    let (carol, carol_pw) = server.create_user("carol");
    Raw::login(&server, &carol, &carol_pw)
        .unwrap_or_else(|e| panic!("carol could not log in: {e}"));
}

on_servers!(fn servers_started_at_once_get_their_own_ports_and_dirs);
fn servers_started_at_once_get_their_own_ports_and_dirs(kind: Kind) {
    let servers: Vec<Server> = std::thread::scope(|s| {
        (0..3)
            .map(|_| s.spawn(|| Server::start(kind)))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().expect("start"))
            .collect()
    });
    let mut ports: Vec<u16> = servers
        .iter()
        .flat_map(|s| [s.port(), s.direct_tls_port()])
        .collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), 6, "ports shared between servers: {ports:?}");
    let mut dirs: Vec<_> = servers.iter().map(|s| s.dir().to_owned()).collect();
    dirs.sort();
    dirs.dedup();
    assert_eq!(dirs.len(), 3);
    // A user on one server does not exist on another.
    let (jid, password) = servers[0].create_user("alice");
    assert!(
        Raw::login(&servers[1], &jid, &password).is_err(),
        "alice exists on a server she was not created on"
    );
}

on_servers!(fn dropping_the_server_removes_its_directory_and_frees_its_port);
fn dropping_the_server_removes_its_directory_and_frees_its_port(kind: Kind) {
    let server = Server::start(kind);
    let dir = server.dir().to_owned();
    let port = server.port();
    drop(server);
    if std::env::var_os("NATTER_TEST_KEEP").is_none() {
        assert!(!dir.exists(), "{} is left behind", dir.display());
    }
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "something still listens on the dropped server's port"
    );
}

/// ejabberd runs without epmd (the name server Erlang starts by default on port 4369, on every
/// interface) and listens on loopback only: the Erlang distribution port `ejabberdctl` talks
/// to as much as the XMPP and HTTP ports.
#[test]
fn ejabberd_listens_on_loopback_only_and_starts_no_epmd() {
    let server = SERVERS.get(Kind::Ejabberd);
    let Server::Ejabberd(ejabberd) = &*server else {
        unreachable!("asked for ejabberd")
    };
    let vm = ejabberd.vm_pid().expect("ejabberd wrote its pid");
    let args = std::fs::read(format!("/proc/{vm}/cmdline")).expect("the VM's command line");
    let args: Vec<String> = args
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    assert!(
        args.windows(2).any(|w| w == ["-start_epmd", "false"]),
        "the VM may start epmd: {args:?}"
    );
    let sockets = socket_inodes(vm);
    let listening: Vec<(String, u16)> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .flat_map(|table| {
            std::fs::read_to_string(table)
                .unwrap_or_default()
                .lines()
                .skip(1)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (local, state, inode) = (fields.get(1)?, fields.get(3)?, fields.get(9)?);
            let (address, port) = local.split_once(':')?;
            let listening = *state == "0A" && sockets.contains(&inode.to_string());
            listening.then(|| {
                (
                    address.to_owned(),
                    u16::from_str_radix(port, 16).unwrap_or(0),
                )
            })
        })
        .collect();
    assert!(
        listening.len() >= 4,
        "c2s, direct TLS, HTTP API and distribution: {listening:?}"
    );
    assert!(
        listening.iter().all(|(address, _)| address == "0100007F"),
        "ejabberd listens beyond 127.0.0.1: {listening:?}"
    );
    assert!(
        listening.iter().any(|(_, port)| *port == server.port()),
        "{listening:?}"
    );
}

/// The inodes of the sockets process `pid` holds.
fn socket_inodes(pid: u32) -> Vec<String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("the VM's file descriptors")
        .filter_map(Result::ok)
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter_map(|link| {
            let link = link.to_string_lossy().into_owned();
            link.strip_prefix("socket:[")?
                .strip_suffix(']')
                .map(str::to_owned)
        })
        .collect()
}
