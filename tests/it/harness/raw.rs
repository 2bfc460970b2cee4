//! The harness's own XMPP client: a blocking rustls socket driven by hand, which trusts only
//! the test CA and signs in with SASL PLAIN. It does not use the crate, so it checks the test
//! servers even while Natter is broken.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};

use crate::support::Server;

pub const READ_TIMEOUT: Duration = Duration::from_secs(10);

trait Io: Read + Write {}
impl<T: Read + Write> Io for T {}

/// A hand-driven c2s connection.
pub struct Raw {
    io: Box<dyn Io>,
    /// Everything received, for failure messages.
    pub transcript: String,
    unread: String,
}

impl Raw {
    pub fn tcp(port: u16) -> (Raw, TcpStream) {
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
    pub fn starttls(server: &Server) -> (Raw, String) {
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
    pub fn direct_tls(server: &Server) -> (Raw, String) {
        let (mut raw, tcp) = Raw::tcp(server.direct_tls_port());
        raw.io = Box::new(tls(server, tcp).unwrap_or_else(|e| panic!("direct TLS failed: {e}")));
        let features = raw.open_stream();
        (raw, features)
    }

    /// Logs `jid` in with SASL PLAIN over STARTTLS and binds a resource; `Err` carries the
    /// server's SASL failure.
    pub fn login(server: &Server, jid: &str, password: &str) -> Result<(Raw, String), String> {
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

    pub fn open_stream(&mut self) -> String {
        self.send(
            "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xml:lang='en' \
             xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
        );
        self.read_until(&["</stream:features>"])
    }

    pub fn disco_info(&mut self, to: &str) -> String {
        self.send(&format!("<iq type='get' id='disco' to='{to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"));
        let reply = self.read_until(&["</iq>"]);
        assert!(
            reply.contains("type='result'"),
            "disco#info to {to} failed: {reply}"
        );
        reply
    }

    pub fn send(&mut self, xml: &str) {
        self.io
            .write_all(xml.as_bytes())
            .and_then(|()| self.io.flush())
            .unwrap_or_else(|e| panic!("sending {xml}: {e}\nreceived so far: {}", self.transcript));
    }

    /// Reads until everything received since the stream opened contains each of `needles`.
    pub fn read_until_seen(&mut self, needles: &[String]) {
        let deadline = Instant::now() + READ_TIMEOUT;
        while !needles.iter().all(|n| self.transcript.contains(n.as_str())) {
            assert!(
                Instant::now() < deadline,
                "not all of {} expected pieces came within {READ_TIMEOUT:?}; received: {}",
                needles.len(),
                self.transcript
            );
            let mut buf = [0u8; 4096];
            match self.io.read(&mut buf) {
                Ok(0) => panic!(
                    "the server closed the stream; received: {}",
                    self.transcript
                ),
                Ok(n) => self
                    .transcript
                    .push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => panic!("reading: {e}; received: {}", self.transcript),
            }
        }
    }

    /// Reads until one of `ends` has arrived; returns what came up to the end of it.
    pub fn read_until(&mut self, ends: &[&str]) -> String {
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
pub fn tls(
    server: &Server,
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
