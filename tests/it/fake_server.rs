//! A scriptable fake XMPP server on loopback, for the transport tests: it speaks just enough of
//! RFC 6120 to get a client to the point where it would send its password, misbehaves the way a
//! [`Script`] says, and records everything the client sent (in the clear and, decrypted, inside
//! TLS), so a test can prove that no `<auth/>` and no password ever left the client.
//!
//! With a [`Session`] in its script it goes further: it takes any password, binds the resource
//! and then sends whatever bytes the test gives it inside the established, encrypted session, to
//! see what the client makes of hostile input (tests/it/wire.rs).
//!
//! A server takes [`Script::connections`] connections, one after the other. It parses nothing it
//! does not need: top-level elements are cut out of the byte stream by their tags, which is
//! enough for a well-behaved client.

pub mod certs;
mod items;
mod sasl2;
mod scram;

use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub use certs::Identity;
use items::{attr, base64_decode, cut_item, is_header, name};
pub use sasl2::Sasl2;
pub use scram::ServerFinal;

/// The name of a top-level item the client sent (`presence`, `enable`, `/stream`, ...).
pub fn element_name(item: &str) -> &str {
    name(item)
}

/// An attribute of the opening tag of a top-level item the client sent.
pub fn attribute<'a>(item: &'a str, key: &str) -> Option<&'a str> {
    attr(item, key)
}

/// How long the server waits for the client's next bytes before it gives up on it.
const SILENCE: Duration = Duration::from_secs(10);

/// What the server does, step by step.
#[derive(Debug, Clone)]
pub struct Script {
    /// TLS from the first byte (XEP-0368) instead of STARTTLS.
    pub direct_tls: bool,
    /// Whether the features before TLS offer `<starttls/>` (as required).
    pub offer_starttls: bool,
    /// SASL mechanisms offered, before TLS as well as after: PLAIN before TLS is the bait a
    /// careless client takes.
    pub mechanisms: Vec<&'static str>,
    /// The channel-binding types named in an XEP-0440 `<sasl-channel-binding/>` (none: no
    /// element, as ejabberd 23.01 and Prosody 0.12 do).
    pub channel_bindings: Vec<&'static str>,
    /// The password SCRAM checks the client's proof against (PLAIN takes any).
    pub password: &'static str,
    /// What the server sends after a right SCRAM proof.
    pub server_final: ServerFinal,
    /// TLS 1.2 only (no tls-exporter binding then).
    pub tls12: bool,
    /// Answer `<starttls/>` with `<failure/>` (and leave the stream open) instead of
    /// `<proceed/>`.
    pub starttls_failure: bool,
    /// Bytes sent right after `<proceed/>`, in the same write, in the clear.
    pub after_proceed: Vec<u8>,
    /// The certificate chain and key the server presents.
    pub identity: Identity,
    /// Accept the password and bind, then misbehave inside the session; `None`: refuse every
    /// password (`<auth/>` gets not-authorized).
    pub session: Option<Session>,
    /// How many connections the server takes, one after the other.
    pub connections: usize,
    /// Offer stream management after authentication and answer `<enable/>` (not resumable
    /// across connections), `<r/>` (counting the stanzas it got since), and every IQ request
    /// with an error, as a minimal server would. Without it the server offers binding only.
    pub stream_management: bool,
    /// With stream management: `<enabled/>` says the stream can be resumed, and `<resume/>`
    /// gets these bytes as its answer (the server keeps no state, so nothing else is right).
    pub resume_answer: Option<&'static str>,
    /// With stream management: cut the connection (no stream end) at the first IQ request
    /// after `<enabled/>`, when the client is online (its login asks for the roster).
    pub cut_when_online: bool,
    /// With stream management: `<enabled/>` says the stream can be resumed, and `<resume/>` on
    /// a later connection gets `<resumed/>` (with `h` the count of stanzas the server had from
    /// the client before) followed by `<r/>`; the session goes on where it was, and what
    /// [`Session::send`] held is not sent again.
    pub resumes: bool,
    /// Offer SASL2 (XEP-0388) inside TLS, with the mechanisms above, and what it says beside
    /// it (Bind 2, FAST). Without it the server offers RFC 6120 SASL only, as Prosody 0.12
    /// and ejabberd 23.01 do.
    pub sasl2: Option<Sasl2>,
}

/// What the server sends once the client is signed in and bound.
#[derive(Debug, Clone)]
pub struct Session {
    /// Written in order after the client's first stanza (its initial presence).
    pub send: Arc<Vec<Chunk>>,
    /// Written right after `<enabled/>` instead (with stream management), on the first
    /// connection that enables it only.
    pub after_enabled: bool,
}

impl Session {
    pub fn new(send: Vec<Chunk>) -> Session {
        Session {
            send: Arc::new(send),
            after_enabled: false,
        }
    }

    /// `send`, written right after stream management is enabled. The server reads nothing
    /// from the client while it writes (a [`Chunk::Wait`] holds it there).
    pub fn after_enabled(send: Vec<Chunk>) -> Session {
        Session {
            send: Arc::new(send),
            after_enabled: true,
        }
    }
}

/// Bytes the server writes inside the session.
#[derive(Debug, Clone)]
pub enum Chunk {
    /// These bytes, once.
    Bytes(Vec<u8>),
    /// These bytes, this many times (a stanza of many megabytes without holding it whole).
    Repeat(Vec<u8>, usize),
    /// Nothing until the test calls `notify_one` on it; what the client sends meanwhile is
    /// recorded and not answered (no `<a/>` either).
    Wait(Arc<tokio::sync::Notify>),
    /// The connection is cut here (no stream end), as a network that fails.
    Cut,
}

impl Chunk {
    pub fn text(text: &str) -> Chunk {
        Chunk::Bytes(text.as_bytes().to_vec())
    }
}

impl Script {
    /// A well-behaved STARTTLS server offering PLAIN and presenting `identity`.
    pub fn starttls(identity: Identity) -> Script {
        Script {
            direct_tls: false,
            offer_starttls: true,
            mechanisms: vec!["PLAIN"],
            channel_bindings: Vec::new(),
            password: "fake-s3cret",
            server_final: ServerFinal::Right,
            tls12: false,
            starttls_failure: false,
            after_proceed: Vec::new(),
            identity,
            session: None,
            connections: 1,
            stream_management: false,
            resume_answer: None,
            cut_when_online: false,
            resumes: false,
            sasl2: None,
        }
    }

    /// A well-behaved direct-TLS server offering PLAIN and presenting `identity`.
    pub fn direct_tls(identity: Identity) -> Script {
        Script {
            direct_tls: true,
            ..Script::starttls(identity)
        }
    }
}

/// Which side of the TLS handshake a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Sent in the clear.
    Plain,
    /// Sent inside TLS (recorded after decryption).
    Tls,
}

/// Everything that happened on the one connection, as the server saw it.
#[derive(Default, Clone)]
pub struct Transcript {
    /// Every byte the client sent in the clear.
    pub plaintext: Vec<u8>,
    /// Every byte the client sent inside TLS, decrypted.
    pub encrypted: Vec<u8>,
    /// The top-level items (stream headers, elements, the stream end) the client sent, in order.
    pub items: Vec<(Layer, String)>,
    /// What the server did and noticed, in order, for failure messages.
    pub steps: Vec<String>,
    /// Whether a TLS handshake completed.
    pub tls_established: bool,
    /// Connections accepted.
    pub connections: usize,
    /// Connections on which the client signed in and bound a resource.
    pub sessions: usize,
    /// Bytes of [`Session::send`] the client took before it closed the connection, per
    /// session.
    pub delivered: Vec<usize>,
    /// When the first `<presence/>` from the client came in (the login benchmark's "online").
    pub presence_at: Option<std::time::Instant>,
}

impl Transcript {
    /// Whether the client started SASL authentication (`<auth/>`) at any point.
    pub fn received_auth(&self) -> bool {
        self.items.iter().any(|(_, item)| name(item) == "auth")
    }

    /// Whether the client sent a SASL2 `<authenticate/>` before the server's features came
    /// (with a FAST token, right behind its stream header).
    pub fn authenticated_ahead(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.starts_with("before the features") && s.contains("\"authenticate\""))
    }

    /// The mechanism of each SASL2 `<authenticate/>` the client sent, in order.
    pub fn authenticates(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|(_, item)| name(item) == "authenticate")
            .map(|(_, item)| attr(item, "mechanism").unwrap_or_default().to_owned())
            .collect()
    }

    /// Whether the password shows anywhere in what the client sent: verbatim or base64-encoded
    /// in a text node (SASL PLAIN).
    pub fn holds_password(&self, password: &str) -> bool {
        [&self.plaintext, &self.encrypted].into_iter().any(|bytes| {
            let text = String::from_utf8_lossy(bytes);
            text.contains(password)
                || text
                    .split(['<', '>'])
                    .filter_map(|chunk| base64_decode(chunk.trim()))
                    .any(|decoded| String::from_utf8_lossy(&decoded).contains(password))
        })
    }

    /// Each `<auth/>` the client sent inside TLS: its mechanism and its initial response,
    /// decoded.
    pub fn tls_auths(&self) -> Vec<(String, String)> {
        self.items
            .iter()
            .filter(|(layer, item)| *layer == Layer::Tls && name(item) == "auth")
            .map(|(_, item)| {
                let payload = item
                    .split(['<', '>'])
                    .filter_map(|chunk| base64_decode(chunk.trim()))
                    .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                    .next()
                    .unwrap_or_default();
                (
                    attr(item, "mechanism").unwrap_or_default().to_owned(),
                    payload,
                )
            })
            .collect()
    }

    /// The items the client sent in the clear.
    pub fn plain_items(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|(layer, _)| *layer == Layer::Plain)
            .map(|(_, item)| item.as_str())
            .collect()
    }
}

impl fmt::Debug for Transcript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "steps:")?;
        for step in &self.steps {
            writeln!(f, "  {step}")?;
        }
        writeln!(f, "items:")?;
        for (layer, item) in &self.items {
            writeln!(f, "  {layer:?}: {item}")?;
        }
        writeln!(f, "plaintext: {}", String::from_utf8_lossy(&self.plaintext))?;
        write!(f, "encrypted: {}", String::from_utf8_lossy(&self.encrypted))
    }
}

/// A running fake server: connect to `127.0.0.1:`[`port`](Self::port).
pub struct FakeServer {
    port: u16,
    log: Arc<Mutex<Transcript>>,
    task: JoinHandle<()>,
}

impl FakeServer {
    /// Listens on a free loopback port and serves one connection by `script`.
    pub async fn start(script: Script) -> FakeServer {
        let config = server_config(&script.identity, script.tls12);
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("binding a loopback port");
        let port = listener.local_addr().expect("a bound address").port();
        let log = Arc::new(Mutex::new(Transcript::default()));
        let task = tokio::spawn(serve(listener, script, config, log.clone()));
        FakeServer { port, log, task }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the server recorded so far, while it goes on serving.
    pub fn snapshot(&self) -> Transcript {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until the server is done with its connection (the client went away, or was
    /// silent for too long) and returns what it recorded.
    pub async fn transcript(self) -> Transcript {
        let mut task = self.task;
        if tokio::time::timeout(SILENCE * 2, &mut task).await.is_err() {
            task.abort();
            note(&self.log, "the server was stopped: it was still busy");
        }
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn server_config(identity: &Identity, tls12: bool) -> Arc<ServerConfig> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&identity.chain)
        .and_then(|certs| certs.collect())
        .unwrap_or_else(|e| panic!("reading {}: {e}", identity.chain.display()));
    let key = PrivateKeyDer::from_pem_file(&identity.key)
        .unwrap_or_else(|e| panic!("reading {}: {e}", identity.key.display()));
    let builder = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()));
    let builder = if tls12 {
        builder.with_protocol_versions(&[&tokio_rustls::rustls::version::TLS12])
    } else {
        builder.with_safe_default_protocol_versions()
    };
    let config = builder
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("a usable certificate and key");
    Arc::new(config)
}

fn note(log: &Mutex<Transcript>, step: impl Into<String>) {
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .steps
        .push(step.into());
}

async fn serve(
    listener: TcpListener,
    script: Script,
    config: Arc<ServerConfig>,
    log: Arc<Mutex<Transcript>>,
) {
    let mut carry = Carry::default();
    for n in 1..=script.connections {
        let tcp = match tokio::time::timeout(SILENCE, listener.accept()).await {
            Ok(Ok((tcp, _))) => tcp,
            Ok(Err(e)) => return note(&log, format!("accept failed: {e}")),
            Err(_) => return note(&log, "nobody connected"),
        };
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .connections = n;
        note(&log, format!("connection {n} accepted"));
        serve_one(tcp, &script, config.clone(), &log, &mut carry).await;
    }
}

/// What one connection leaves for the next.
#[derive(Default)]
struct Carry {
    /// Stanzas the client sent since stream management was enabled, as the connection ended:
    /// what a resumption starts from.
    handled: Option<u32>,
    /// Whether a [`Session::after_enabled`] was written.
    written: bool,
}

/// Serves one connection, starting from what the one before left in `carry`.
async fn serve_one(
    tcp: TcpStream,
    script: &Script,
    config: Arc<ServerConfig>,
    log: &Arc<Mutex<Transcript>>,
    carry: &mut Carry,
) {
    let _ = tcp.set_nodelay(true);
    let mut conn = Conn {
        io: Io::Plain(tcp),
        pending: Vec::new(),
        log: log.clone(),
    };
    let acceptor = TlsAcceptor::from(config);
    if script.direct_tls && !conn.start_tls(&acceptor).await {
        return;
    }
    let (mut signed_in, mut bound, mut sent) = (false, false, false);
    // Stanzas received since stream management was enabled (its `h`), if it was; before a
    // resumption, those of the connection before.
    let before = carry.handled.take();
    let handled = &mut carry.handled;
    // The account the client says it is (the header's `from`, once encrypted), bound as.
    let mut user = String::from("alice@localhost");
    // One pass per stream: before STARTTLS, inside TLS, and after authentication.
    loop {
        match conn.next().await {
            Some(header) if is_header(&header) => {
                if let Some(from) = attr(&header, "from").filter(|f| f.contains('@')) {
                    user = from.split('/').next().unwrap_or(from).to_owned();
                }
            }
            Some(other) => return note(log, format!("expected a stream header, got {other}")),
            None => return note(log, "the client closed the connection"),
        }
        let starttls = !conn.is_tls() && script.offer_starttls;
        let offer = if signed_in && script.stream_management {
            BIND_FEATURES.replace(
                "</stream:features>",
                "<sm xmlns='urn:xmpp:sm:3'/></stream:features>",
            )
        } else if signed_in {
            BIND_FEATURES.to_owned()
        } else {
            let mut offer = features(starttls, &script.mechanisms, &script.channel_bindings);
            if let Some(sasl2) = script.sasl2.as_ref().filter(|_| conn.is_tls()) {
                offer = offer.replace(
                    "</stream:features>",
                    &format!("{}</stream:features>", sasl2::feature(script, sasl2)),
                );
            }
            offer
        };
        let hold = script.sasl2.as_ref().and_then(|s| s.hold_features);
        if let Some(hold) = hold.filter(|_| conn.is_tls() && !signed_in) {
            // Time for what a client sends without waiting for the features to come in first,
            // so that a test can tell it was sent ahead (a SASL2 request with a FAST token).
            if cut_names(&conn.pending).is_empty() {
                conn.read_within(hold).await;
            }
            let early = cut_names(&conn.pending);
            note(
                log,
                format!("before the features the client sent: {early:?}"),
            );
        }
        conn.write(offer.as_bytes(), "sent a stream header and features")
            .await;
        loop {
            let Some(item) = conn.next().await else {
                return note(log, "the client closed the connection");
            };
            match name(&item) {
                "starttls" if starttls && script.starttls_failure => {
                    conn.write(
                        b"<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
                        "answered <starttls/> with <failure/>",
                    )
                    .await;
                }
                "starttls" if starttls => {
                    let mut proceed =
                        b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".to_vec();
                    proceed.extend_from_slice(&script.after_proceed);
                    let step = match script.after_proceed.len() {
                        0 => "sent <proceed/>".to_owned(),
                        n => format!("sent <proceed/> and {n} more bytes in the same write"),
                    };
                    conn.write(&proceed, &step).await;
                    if !conn.start_tls(&acceptor).await {
                        return;
                    }
                    break;
                }
                "auth" if script.session.is_some() && conn.is_tls() => {
                    if scram::sign_in(&mut conn, &item, script, scram::Framing::Sasl)
                        .await
                        .is_some()
                    {
                        signed_in = true;
                        break;
                    }
                }
                // No stream restart after SASL2: the session goes on in this loop.
                "authenticate" if script.session.is_some() && !signed_in => {
                    let Some(sasl2) = script.sasl2.as_ref().filter(|_| conn.is_tls()) else {
                        note(log, "ignored <authenticate/>: SASL2 not offered here");
                        continue;
                    };
                    let Some(done) = sasl2::sign_in(&mut conn, &item, script, sasl2, &user).await
                    else {
                        continue;
                    };
                    signed_in = true;
                    if done.bound {
                        bound = true;
                        log.lock().unwrap_or_else(PoisonError::into_inner).sessions += 1;
                    }
                    if done.stream_management {
                        *handled = Some(0);
                    }
                }
                "iq" if signed_in && !bound => {
                    let reply = format!(
                        "<iq xmlns='jabber:client' type='result' id='{}'>\
                         <bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>\
                         <jid>{user}/desk</jid></bind></iq>",
                        attr(&item, "id").unwrap_or_default()
                    );
                    conn.write(reply.as_bytes(), &format!("bound {user}/desk"))
                        .await;
                    bound = true;
                    log.lock().unwrap_or_else(PoisonError::into_inner).sessions += 1;
                }
                "enable" if bound && script.stream_management => {
                    let enabled = if script.resume_answer.is_some() || script.resumes {
                        "<enabled xmlns='urn:xmpp:sm:3' id='fake-sm' resume='true'/>"
                    } else {
                        "<enabled xmlns='urn:xmpp:sm:3' id='fake-sm'/>"
                    };
                    conn.write(enabled.as_bytes(), "enabled stream management")
                        .await;
                    *handled = Some(0);
                    if let Some(session) = script
                        .session
                        .as_ref()
                        .filter(|s| s.after_enabled && !carry.written)
                    {
                        (sent, carry.written) = (true, true);
                        let delivered = conn.send_all(&session.send).await;
                        log.lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .delivered
                            .push(delivered);
                    }
                }
                "resume" if signed_in && !bound && script.resumes => {
                    let h = before.unwrap_or_default();
                    let answer = format!(
                        "<resumed xmlns='urn:xmpp:sm:3' h='{h}' previd='fake-sm'/>\
                         <r xmlns='urn:xmpp:sm:3'/>"
                    );
                    conn.write(answer.as_bytes(), "resumed the stream, asked for an ack")
                        .await;
                    (bound, sent) = (true, true);
                    *handled = Some(h);
                }
                "iq" if script.cut_when_online && handled.is_some() => {
                    conn.io = Io::Gone;
                    return note(
                        log,
                        "cut the connection at the first request after <enabled/>",
                    );
                }
                "resume" if signed_in && !bound => {
                    let answer = script.resume_answer.unwrap_or(
                        "<failed xmlns='urn:xmpp:sm:3'><item-not-found \
                         xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
                    );
                    conn.write(
                        answer.as_bytes(),
                        &format!("answered <resume/> with {answer}"),
                    )
                    .await;
                }
                "r" if handled.is_some() => {
                    let ack = format!(
                        "<a xmlns='urn:xmpp:sm:3' h='{}'/>",
                        handled.unwrap_or_default()
                    );
                    conn.write(ack.as_bytes(), "acknowledged").await;
                }
                "a" if handled.is_some() => note(
                    log,
                    format!("received <a h='{}'>", attr(&item, "h").unwrap_or_default()),
                ),
                _ if bound && script.session.is_some() => {
                    note(log, format!("received <{}>", name(&item)));
                    if let Some(h) = handled.as_mut()
                        && matches!(name(&item), "message" | "presence" | "iq")
                    {
                        *h += 1;
                    }
                    if script.stream_management
                        && name(&item) == "iq"
                        && matches!(attr(&item, "type"), Some("get" | "set"))
                    {
                        let error = format!(
                            "<iq xmlns='jabber:client' type='error' id='{}'><error type='cancel'>\
                             <service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>\
                             </error></iq>",
                            attr(&item, "id").unwrap_or_default()
                        );
                        conn.write(error.as_bytes(), "refused an IQ request").await;
                    }
                    if let Some(session) = script
                        .session
                        .as_ref()
                        .filter(|s| !sent && !s.after_enabled)
                    {
                        sent = true;
                        let delivered = conn.send_all(&session.send).await;
                        log.lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .delivered
                            .push(delivered);
                    }
                }
                "auth" => {
                    conn.write(
                        b"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>",
                        "received <auth/>, answered not-authorized",
                    )
                    .await;
                }
                "/stream" => {
                    conn.write(b"</stream:stream>", "the client ended the stream")
                        .await;
                }
                other => note(log, format!("ignored <{other}>")),
            }
        }
    }
}

/// The names of the complete items in `pending`, without taking them.
fn cut_names(pending: &[u8]) -> Vec<String> {
    let mut copy = pending.to_vec();
    std::iter::from_fn(|| cut_item(&mut copy))
        .map(|item| name(&item).to_owned())
        .collect()
}

/// The stream header and features after authentication: resource binding only (no stream
/// management, so nothing is resumed on the next connection).
const BIND_FEATURES: &str = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
     xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='fake2' \
     version='1.0'><stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>\
     </stream:features>";

/// The server's stream header and features: `<starttls/>` (required) when `starttls`, the SASL
/// mechanisms and the channel-binding types (XEP-0440) when there are any.
fn features(starttls: bool, mechanisms: &[&str], bindings: &[&str]) -> String {
    let mut xml = String::from(
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
         xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='fake' \
         version='1.0'><stream:features>",
    );
    if starttls {
        xml.push_str("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>");
    }
    xml.push_str("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>");
    for m in mechanisms {
        xml.push_str(&format!("<mechanism>{m}</mechanism>"));
    }
    xml.push_str("</mechanisms>");
    if !bindings.is_empty() {
        xml.push_str("<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'>");
        for b in bindings {
            xml.push_str(&format!("<channel-binding type='{b}'/>"));
        }
        xml.push_str("</sasl-channel-binding>");
    }
    xml.push_str("</stream:features>");
    xml
}

enum Io {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
    Gone,
}

struct Conn {
    io: Io,
    /// Bytes read but not yet cut into items.
    pending: Vec<u8>,
    log: Arc<Mutex<Transcript>>,
}

impl Conn {
    fn is_tls(&self) -> bool {
        matches!(self.io, Io::Tls(_))
    }

    fn layer(&self) -> Layer {
        if self.is_tls() {
            Layer::Tls
        } else {
            Layer::Plain
        }
    }

    /// The TLS handshake on the raw connection; false (and noted) when it failed.
    async fn start_tls(&mut self, acceptor: &TlsAcceptor) -> bool {
        let Io::Plain(tcp) = std::mem::replace(&mut self.io, Io::Gone) else {
            note(&self.log, "TLS over TLS requested");
            return false;
        };
        self.pending.clear();
        match tokio::time::timeout(SILENCE, acceptor.accept(tcp)).await {
            Ok(Ok(tls)) => {
                self.io = Io::Tls(Box::new(tls));
                let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
                log.tls_established = true;
                log.steps.push("TLS established".into());
                true
            }
            Ok(Err(e)) => {
                note(&self.log, format!("TLS handshake failed: {e}"));
                false
            }
            Err(_) => {
                note(&self.log, "TLS handshake timed out");
                false
            }
        }
    }

    /// Writes `chunks` in order; returns how many bytes the client took before the connection
    /// failed (all of them when it did not).
    async fn send_all(&mut self, chunks: &[Chunk]) -> usize {
        let mut delivered = 0;
        for chunk in chunks {
            let (bytes, times) = match chunk {
                Chunk::Bytes(b) => (b.as_slice(), 1),
                Chunk::Repeat(b, n) => (b.as_slice(), *n),
                Chunk::Wait(go) => {
                    loop {
                        tokio::select! {
                            biased;
                            _ = go.notified() => break,
                            item = self.next() => if item.is_none() {
                                return delivered;
                            },
                        }
                    }
                    note(
                        &self.log,
                        format!("sent {delivered} bytes, then was told to go on"),
                    );
                    continue;
                }
                Chunk::Cut => {
                    self.io = Io::Gone;
                    note(
                        &self.log,
                        format!("sent {delivered} bytes, then cut the connection"),
                    );
                    return delivered;
                }
            };
            for _ in 0..times {
                let written = match &mut self.io {
                    Io::Plain(s) => tokio::time::timeout(SILENCE, write_all(s, bytes)).await,
                    Io::Tls(s) => tokio::time::timeout(SILENCE, write_all(s.as_mut(), bytes)).await,
                    Io::Gone => return delivered,
                };
                match written {
                    Ok(Ok(())) => delivered += bytes.len(),
                    Ok(Err(e)) => {
                        note(&self.log, format!("sent {delivered} bytes, then: {e}"));
                        return delivered;
                    }
                    Err(_) => {
                        note(
                            &self.log,
                            format!("sent {delivered} bytes, then the client stopped reading"),
                        );
                        return delivered;
                    }
                }
            }
        }
        note(&self.log, format!("sent all {delivered} bytes"));
        delivered
    }

    async fn write(&mut self, bytes: &[u8], step: &str) {
        let result = match &mut self.io {
            Io::Plain(s) => write_all(s, bytes).await,
            Io::Tls(s) => write_all(s.as_mut(), bytes).await,
            Io::Gone => Err(io::Error::other("no connection")),
        };
        match result {
            Ok(()) => note(&self.log, step),
            Err(e) => note(&self.log, format!("{step}: failed: {e}")),
        }
    }

    /// Reads what the client sends within `within` into `pending`, without cutting it.
    async fn read_within(&mut self, within: Duration) {
        let mut chunk = [0u8; 4096];
        let read = match &mut self.io {
            Io::Tls(s) => tokio::time::timeout(within, s.read(&mut chunk)).await,
            _ => return,
        };
        if let Ok(Ok(n)) = read {
            self.log
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .encrypted
                .extend_from_slice(&chunk[..n]);
            self.pending.extend_from_slice(&chunk[..n]);
        }
    }

    /// The next top-level item the client sent (recorded), or `None` when the client closed
    /// the connection or was silent too long.
    async fn next(&mut self) -> Option<String> {
        loop {
            if let Some(item) = cut_item(&mut self.pending) {
                let layer = self.layer();
                let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
                if name(&item) == "presence" && log.presence_at.is_none() {
                    log.presence_at = Some(std::time::Instant::now());
                }
                log.items.push((layer, item.clone()));
                return Some(item);
            }
            let mut chunk = [0u8; 4096];
            let read = match &mut self.io {
                Io::Plain(s) => tokio::time::timeout(SILENCE, s.read(&mut chunk)).await,
                Io::Tls(s) => tokio::time::timeout(SILENCE, s.read(&mut chunk)).await,
                Io::Gone => return None,
            };
            let n = match read {
                Ok(Ok(0)) => return None,
                Ok(Ok(n)) => n,
                Ok(Err(e)) => {
                    note(&self.log, format!("read failed: {e}"));
                    return None;
                }
                Err(_) => {
                    note(&self.log, "the client was silent");
                    return None;
                }
            };
            let layer = self.layer();
            let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
            match layer {
                Layer::Plain => log.plaintext.extend_from_slice(&chunk[..n]),
                Layer::Tls => log.encrypted.extend_from_slice(&chunk[..n]),
            }
            drop(log);
            self.pending.extend_from_slice(&chunk[..n]);
        }
    }
}

async fn write_all<S: AsyncWrite + AsyncRead + Unpin>(s: &mut S, bytes: &[u8]) -> io::Result<()> {
    s.write_all(bytes).await?;
    s.flush().await
}
