//! The test Prosody itself: it starts, speaks XMPP over TLS that a client trusting only the test
//! CA accepts, lets the harness's users log in, has the modules the client relies on, and keeps
//! its data across a restart.
//!
//! These tests talk raw XMPP over blocking rustls sockets, not through the crate, so they check
//! the harness even while the client is broken.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};

use crate::support::Prosody;

const READ_TIMEOUT: Duration = Duration::from_secs(10);

trait Io: Read + Write {}
impl<T: Read + Write> Io for T {}

/// A hand-driven c2s connection.
struct Raw {
    io: Box<dyn Io>,
    /// Everything received, for failure messages.
    transcript: String,
    unread: String,
}

impl Raw {
    fn tcp(port: u16) -> (Raw, TcpStream) {
        let tcp = TcpStream::connect(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("connecting to 127.0.0.1:{port}: {e}"));
        tcp.set_read_timeout(Some(READ_TIMEOUT))
            .expect("setting a read timeout");
        let raw = Raw {
            io: Box::new(tcp.try_clone().expect("cloning the socket")),
            transcript: String::new(),
            unread: String::new(),
        };
        (raw, tcp)
    }

    /// A STARTTLS connection up to the encrypted stream's features, which it returns.
    fn starttls(server: &Prosody) -> (Raw, String) {
        let (mut raw, tcp) = Raw::tcp(server.port());
        let features = raw.open_stream();
        assert!(
            features.contains("<starttls"),
            "the plain stream offers no STARTTLS: {features}"
        );
        raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        raw.read_until(&["<proceed"]);
        raw.io =
            Box::new(tls(server, tcp).unwrap_or_else(|e| panic!("TLS after STARTTLS failed: {e}")));
        let features = raw.open_stream();
        (raw, features)
    }

    /// A XEP-0368 direct TLS connection up to the stream's features, which it returns.
    fn direct_tls(server: &Prosody) -> (Raw, String) {
        let (mut raw, tcp) = Raw::tcp(server.direct_tls_port());
        raw.io = Box::new(tls(server, tcp).unwrap_or_else(|e| panic!("direct TLS failed: {e}")));
        let features = raw.open_stream();
        (raw, features)
    }

    /// Logs `jid` in with SASL PLAIN over STARTTLS and binds a resource; `Err` carries the
    /// server's SASL failure.
    fn login(server: &Prosody, jid: &str, password: &str) -> Result<(Raw, String), String> {
        let (mut raw, features) = Raw::starttls(server);
        assert!(
            features.contains(">PLAIN<"),
            "no SASL PLAIN offered over TLS: {features}"
        );
        let local = jid.split('@').next().expect("a jid");
        raw.send(&format!(
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{}</auth>",
            base64(format!("\0{local}\0{password}").as_bytes())
        ));
        let answer = raw.read_until(&["<success", "</failure>"]);
        if !answer.contains("<success") {
            return Err(answer);
        }
        let features = raw.open_stream();
        raw.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>harness</resource></bind></iq>");
        let bound = raw.read_until(&["</iq>"]);
        assert!(
            bound.contains("type='result'") && bound.contains(&format!("{jid}/harness")),
            "bind failed: {bound}"
        );
        Ok((raw, features))
    }

    fn open_stream(&mut self) -> String {
        self.send(
            "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xml:lang='en' \
             xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
        );
        self.read_until(&["</stream:features>"])
    }

    fn disco_info(&mut self, to: &str) -> String {
        self.send(&format!("<iq type='get' id='disco' to='{to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"));
        let reply = self.read_until(&["</iq>"]);
        assert!(
            reply.contains("type='result'"),
            "disco#info to {to} failed: {reply}"
        );
        reply
    }

    fn send(&mut self, xml: &str) {
        self.io
            .write_all(xml.as_bytes())
            .and_then(|()| self.io.flush())
            .unwrap_or_else(|e| panic!("sending {xml}: {e}\nreceived so far: {}", self.transcript));
    }

    /// Reads until one of `ends` has arrived; returns what came up to the end of it.
    fn read_until(&mut self, ends: &[&str]) -> String {
        let deadline = Instant::now() + READ_TIMEOUT;
        loop {
            if let Some(end) = ends
                .iter()
                .filter_map(|e| self.unread.find(e).map(|at| at + e.len()))
                .min()
            {
                let rest = self.unread.split_off(end);
                return std::mem::replace(&mut self.unread, rest);
            }
            let mut buf = [0u8; 4096];
            let n = match self.io.read(&mut buf) {
                Ok(0) => panic!(
                    "the server closed the stream while we waited for {ends:?}; received: {}",
                    self.transcript
                ),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => panic!(
                    "reading while waiting for {ends:?}: {e}; received: {}",
                    self.transcript
                ),
            };
            let text = String::from_utf8_lossy(&buf[..n]);
            self.transcript.push_str(&text);
            self.unread.push_str(&text);
            assert!(
                Instant::now() < deadline,
                "no {ends:?} within {READ_TIMEOUT:?}; received: {}",
                self.transcript
            );
        }
    }
}

/// A TLS client over `tcp` that trusts only the test CA and checks the name `localhost`.
fn tls(
    server: &Prosody,
    tcp: TcpStream,
) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, io::Error> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(server.ca_file()).expect("reading the test CA") {
        roots
            .add(cert.expect("a PEM certificate"))
            .expect("the test CA is a valid trust anchor");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("localhost").expect("a DNS name");
    let conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(io::Error::other)?;
    let mut stream = rustls::StreamOwned::new(conn, tcp);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock)?;
    }
    Ok(stream)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn account_file(server: &Prosody, user: &str) -> std::path::PathBuf {
    server
        .data_dir()
        .join("localhost")
        .join("accounts")
        .join(format!("{user}.dat"))
}

#[test]
fn base64_matches_the_rfc_4648_vectors() {
    let cases = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (input, expected) in cases {
        assert_eq!(base64(input.as_bytes()), expected, "base64({input:?})");
    }
}

#[test]
fn the_starttls_port_offers_starttls_and_the_test_ca_verifies_the_server() {
    let server = Prosody::start();
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

#[test]
fn the_starttls_port_requires_encryption_before_authentication() {
    let server = Prosody::start();
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

#[test]
fn the_direct_tls_port_speaks_xmpp_inside_tls() {
    let server = Prosody::start();
    assert_ne!(server.port(), server.direct_tls_port());
    let (_raw, features) = Raw::direct_tls(&server);
    assert!(
        features.contains("<mechanisms"),
        "no SASL mechanisms on direct TLS: {features}"
    );
}

#[test]
fn a_client_that_does_not_trust_the_test_ca_is_refused() {
    let server = Prosody::start();
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

#[test]
fn a_created_user_logs_in_with_its_password_and_not_without() {
    let server = Prosody::start();
    let (jid, password) = server.create_user("alice");
    assert_eq!(jid, "alice@localhost");
    assert!(
        account_file(&server, "alice").is_file(),
        "no account file for alice in {}",
        server.data_dir().display()
    );

    let refused = Raw::login(&server, &jid, "not-the-password")
        .err()
        .expect("a wrong password must be refused");
    assert!(
        refused.contains("not-authorized"),
        "unexpected SASL failure: {refused}"
    );
    Raw::login(&server, &jid, &password)
        .unwrap_or_else(|e| panic!("alice could not log in: {e}\n{}", server.log()));
}

#[test]
fn create_user_twice_gives_two_distinct_users() {
    let server = Prosody::start();
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    assert_ne!(a, b);
    assert_ne!(apw, bpw, "two users got the same password");
    Raw::login(&server, &a, &apw).unwrap_or_else(|e| panic!("alice could not log in: {e}"));
    Raw::login(&server, &b, &bpw).unwrap_or_else(|e| panic!("bob could not log in: {e}"));
    let crossed = Raw::login(&server, &b, &apw);
    assert!(crossed.is_err(), "bob logged in with alice's password");
}

#[test]
#[should_panic(expected = "already exists")]
fn creating_the_same_user_twice_is_a_test_bug() {
    let server = Prosody::start();
    server.create_user("alice");
    server.create_user("alice");
}

#[test]
fn the_server_has_the_features_the_client_relies_on() {
    let server = Prosody::start();
    let (jid, password) = server.create_user("alice");
    let (mut raw, features) =
        Raw::login(&server, &jid, &password).unwrap_or_else(|e| panic!("login failed: {e}"));
    assert!(
        features.contains("urn:xmpp:sm:3"),
        "no stream management (smacks) after login: {features}"
    );

    let domain = raw.disco_info("localhost");
    for feature in [
        "urn:xmpp:carbons:2",
        "urn:xmpp:ping",
        "urn:xmpp:blocking",
        "jabber:iq:last",
        "jabber:iq:version",
        "urn:xmpp:time",
        "jabber:iq:private",
    ] {
        assert!(
            domain.contains(&format!("'{feature}'")),
            "the server does not advertise {feature}: {domain}"
        );
    }
    let account = raw.disco_info(&jid);
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

#[test]
fn the_server_log_shows_no_errors_or_warnings_after_start() {
    let server = Prosody::start();
    let log = server.log();
    assert!(
        log.contains("Hello and welcome to Prosody"),
        "not a Prosody log: {log}"
    );
    let bad: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("\terror\t") || l.contains("\twarn\t"))
        .collect();
    assert!(
        bad.is_empty(),
        "the test server complained:\n{}",
        bad.join("\n")
    );
    assert!(
        !log.contains("Activated service 's2s'"),
        "s2s should be off: {log}"
    );
}

#[test]
fn a_restart_keeps_the_ports_and_the_users() {
    let mut server = Prosody::start();
    let (port, direct) = (server.port(), server.direct_tls_port());
    let (alice, alice_pw) = server.create_user("alice");

    server.stop();
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the stopped server still accepts connections"
    );
    // Users can be made while the server is down, too.
    let (bob, bob_pw) = server.create_user("bob");
    server.start_again();

    assert_eq!((server.port(), server.direct_tls_port()), (port, direct));
    assert!(
        account_file(&server, "alice").is_file(),
        "alice's account file is gone after the restart"
    );
    Raw::login(&server, &alice, &alice_pw)
        .unwrap_or_else(|e| panic!("alice could not log in after the restart: {e}"));
    Raw::login(&server, &bob, &bob_pw)
        .unwrap_or_else(|e| panic!("bob could not log in after the restart: {e}"));
    assert_eq!(
        server.log().matches("Hello and welcome to Prosody").count(),
        2,
        "the log should show two starts"
    );
}

#[test]
fn a_killed_server_starts_again_with_its_data() {
    let mut server = Prosody::start();
    let (alice, alice_pw) = server.create_user("alice");
    let (_raw, _) =
        Raw::login(&server, &alice, &alice_pw).unwrap_or_else(|e| panic!("login failed: {e}"));
    server.kill();
    server.start_again();
    Raw::login(&server, &alice, &alice_pw)
        .unwrap_or_else(|e| panic!("alice could not log in after a crash: {e}"));
    // A user made while the server runs is visible to it at once.
    let (carol, carol_pw) = server.create_user("carol");
    Raw::login(&server, &carol, &carol_pw)
        .unwrap_or_else(|e| panic!("carol could not log in: {e}"));
}

#[test]
fn servers_started_at_once_get_their_own_ports_and_dirs() {
    let servers: Vec<Prosody> = std::thread::scope(|s| {
        (0..3)
            .map(|_| s.spawn(Prosody::start))
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
    let mut dirs: Vec<_> = servers.iter().map(|s| s.data_dir().to_owned()).collect();
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

#[test]
fn dropping_the_server_removes_its_directory_and_frees_its_port() {
    let server = Prosody::start();
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
