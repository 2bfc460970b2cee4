//! Opening an authenticated XMPP stream: TCP to the SRV target or the configured host, then
//! STARTTLS (required) or direct TLS (XEP-0368), certificate checks against the system roots
//! (`SSL_CERT_FILE` honoured) or a pinned certificate, then SASL. Also the reconnect backoff.

use std::borrow::Cow;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::BufStream;
use tokio::net::TcpStream;
use tokio_rustls::rustls;
use tokio_xmpp::connect::DnsConfig;
use tokio_xmpp::jid::Jid;
use tokio_xmpp::parsers::ns;
use tokio_xmpp::stanzastream::Connection;
use tokio_xmpp::xmlstream::{RecvFeaturesError, StreamHeader, Timeouts, initiate_stream};

use crate::model::{Account, TlsMode};

mod ahead;
mod attempt;
mod backoff;
mod fast;
mod sasl;
mod start_tls;
mod tls;
mod watch;
mod wire;

use ahead::{Ahead, Queue};
use attempt::{Attempt, Start};
pub use backoff::Reconnect;
pub use sasl::AuthProblem;
use sasl::sasl2;
use start_tls::starttls;
pub use tls::parse_certificate;
use tls::{handshake, tls_config, tls_problem};
pub use watch::{Incident, Watch};
use wire::{Guarded, Refusal, StreamEnd};
// The fuzz target reads its bytes through the same guard (session::fuzzing).
pub(super) use wire::{MAX_DEPTH, Scanner};

/// Why one connection attempt failed, in words a person can act on (in their language).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// The account's address cannot be used to sign in.
    BadAddress(String),
    /// DNS or TCP failed.
    Unreachable(String),
    /// Nothing within the connection timeout.
    Timeout(u32),
    /// The server does not offer STARTTLS; plaintext is never used.
    NoStartTls,
    /// The server sent data between STARTTLS and the TLS handshake.
    Injection,
    /// The certificate or TLS handshake was refused.
    Tls(String),
    /// Signing in failed: the server refused the credentials (SASL not-authorized and
    /// friends), offered only a weaker method than before, or did not prove it knows them.
    Auth(AuthProblem),
    /// The server closed the stream with an error that retrying will not fix.
    Refused(String),
    /// The server ended a signed-in session with an error that retrying will not fix
    /// (conflict, policy-violation, …).
    Ended(String),
    /// The connection was dropped for a reason worth retrying, already in words: the server's
    /// stream error, or bytes Natter refused.
    Dropped(String),
    /// Anything else in the XMPP negotiation.
    Protocol(String),
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            ConnectError::BadAddress(reason) => {
                crate::fl!("error-connect-address", reason = reason)
            }
            ConnectError::Unreachable(reason) => {
                crate::fl!("error-connect-unreachable", reason = reason)
            }
            ConnectError::Timeout(seconds) => {
                crate::fl!("error-connect-timeout", seconds = seconds)
            }
            ConnectError::NoStartTls => crate::fl!("error-connect-no-starttls"),
            ConnectError::Injection => crate::fl!("error-connect-injection"),
            ConnectError::Tls(reason) => crate::fl!("error-connect-tls", reason = reason),
            ConnectError::Auth(problem) => problem.to_string(),
            ConnectError::Refused(reason) => crate::fl!("error-connect-refused", reason = reason),
            ConnectError::Ended(reason) => crate::fl!("error-connect-ended", reason = reason),
            ConnectError::Dropped(reason) => reason.clone(),
            ConnectError::Protocol(reason) => {
                crate::fl!("error-connect-protocol", reason = reason)
            }
        };
        f.write_str(&text)
    }
}

impl ConnectError {
    /// Whether retrying with the same settings is pointless: the person has to act.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            ConnectError::BadAddress(_)
                | ConnectError::Auth(_)
                | ConnectError::Refused(_)
                | ConnectError::Ended(_)
        )
    }
}

fn sasl_condition(cond: &tokio_xmpp::parsers::sasl::DefinedCondition) -> String {
    // The Debug names are the RFC 6120 condition names in CamelCase; make them readable.
    let name = format!("{cond:?}");
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('-');
        }
        out.extend(c.to_lowercase());
    }
    out
}

fn io_error(e: io::Error) -> ConnectError {
    if let Some(refused) = e.get_ref().and_then(|i| i.downcast_ref::<Refusal>()) {
        return ConnectError::Dropped(refused.to_string());
    }
    // rustls reports certificate problems as InvalidData I/O errors carrying a rustls::Error.
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        return ConnectError::Tls(tls_problem(inner));
    }
    if e.kind() == io::ErrorKind::TimedOut {
        return ConnectError::Unreachable(crate::fl!("error-connect-timed-out"));
    }
    ConnectError::Unreachable(e.to_string())
}

/// A stream error during the login.
fn stream_error(e: &tokio_xmpp::parsers::stream_error::StreamError) -> ConnectError {
    let end = StreamEnd {
        condition: e.condition.clone(),
        text: e.get_best_text(vec!["en"]).map(|(_, t)| t.clone()),
    };
    match stream_ended(&end) {
        ConnectError::Ended(reason) => ConnectError::Refused(reason),
        other => other,
    }
}

/// What a stream error means for the person: conflict (another session took over for good),
/// policy-violation and host-unknown need them to act, not-authorized needs the password again;
/// anything else is worth retrying.
fn stream_ended(end: &StreamEnd) -> ConnectError {
    use tokio_xmpp::parsers::stream_error::DefinedCondition as C;
    let reason = match &end.condition {
        C::Conflict => crate::fl!("error-stream-conflict"),
        C::PolicyViolation => crate::fl!("error-stream-policy"),
        other => crate::fl!("error-stream-other", condition = other.to_string()),
    };
    let reason = match end.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => {
            let text: String = text.chars().take(200).collect();
            crate::fl!("error-stream-said", reason = reason, text = text)
        }
        None => reason,
    };
    match &end.condition {
        C::NotAuthorized => ConnectError::Auth(AuthProblem::Refused {
            condition: end.condition.to_string(),
            text: end
                .text
                .as_deref()
                .map(|t| t.trim().chars().take(200).collect::<String>())
                .filter(|t| !t.is_empty()),
        }),
        C::Conflict | C::PolicyViolation | C::HostUnknown => ConnectError::Ended(reason),
        _ => ConnectError::Dropped(reason),
    }
}

fn features_error(e: RecvFeaturesError) -> ConnectError {
    match e {
        RecvFeaturesError::Io(e) => io_error(e),
        RecvFeaturesError::StreamError(e) => stream_error(&e.0),
    }
}

/// Seconds of silence after which the server is probed (an XEP-0198 `<r/>`, or an XEP-0199
/// ping without stream management). For tests and unusual networks; default 60.
pub const PING_AFTER_ENV: &str = "NATTER_PING_AFTER_SECS";
/// Seconds the server has to answer the probe before the connection counts as dead and is
/// replaced. For tests and unusual networks; default 20.
pub const PING_TIMEOUT_ENV: &str = "NATTER_PING_TIMEOUT_SECS";

/// Timeouts of an established stream: a silent connection is probed after 60 s and declared
/// dead 20 s later, so a half-open connection is noticed within 80 s of the last byte
/// received. [`PING_AFTER_ENV`] and [`PING_TIMEOUT_ENV`] override the two numbers.
pub fn stream_timeouts() -> Timeouts {
    let var = |name| std::env::var(name).ok();
    timeouts_from(
        var(PING_AFTER_ENV).as_deref(),
        var(PING_TIMEOUT_ENV).as_deref(),
    )
}

/// The stream timeouts for the two settings as written; a missing, unreadable or zero value
/// keeps the default, and none is above a day.
fn timeouts_from(ping_after: Option<&str>, ping_timeout: Option<&str>) -> Timeouts {
    let secs = |text: Option<&str>, default: u64| {
        let secs = text
            .and_then(|t| t.trim().parse::<u64>().ok())
            .filter(|&s| s > 0)
            .unwrap_or(default);
        Duration::from_secs(secs.min(86_400))
    };
    Timeouts {
        read_timeout: secs(ping_after, 60),
        response_timeout: secs(ping_timeout, 20),
    }
}

/// The JID the account signs in as: bare, or full when a resource is configured.
pub fn login_jid(account: &Account) -> Result<Jid, ConnectError> {
    let text = match &account.resource {
        Some(r) if !r.is_empty() => format!("{}/{}", account.jid, r),
        _ => account.jid.to_string(),
    };
    let jid = Jid::new(&text).map_err(|e| ConnectError::BadAddress(e.to_string()))?;
    // tokio-xmpp's login panics on a JID without localpart: refuse it here.
    if jid.node().is_none() {
        return Err(ConnectError::BadAddress(crate::fl!(
            "error-connect-no-user",
            address = text
        )));
    }
    Ok(jid)
}

/// What the stream a connection is for will do once signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Bind a resource: nothing to resume (the stream's first connection). The request goes
    /// out with the restart after SASL, without waiting for the features (tokio-xmpp reads
    /// the answer).
    Ahead,
    /// Decide on the features: the stream may resume an earlier session (XEP-0198), or the
    /// caller binds by itself.
    OnFeatures,
}

/// One complete attempt: connect, secure, authenticate; bounded by the account's timeout.
/// Every byte from the server passes a [`wire`] guard; once signed in, what ends the
/// connection is reported to `watch`. A FAST token the server refuses is forgotten, and the
/// password signs in on a new connection within the same attempt.
pub async fn login(
    account: &Account,
    password: &str,
    watch: &Watch,
    binding: Binding,
) -> Result<Connection, ConnectError> {
    let secs = account.connect_timeout_secs.max(1);
    let attempt = async {
        loop {
            match login_inner(account, password, watch, binding).await? {
                Some(connection) => return Ok(connection),
                // Without a token the next round cannot come here again.
                None => watch.tokens.forget(&account.jid).await,
            }
        }
    };
    match tokio::time::timeout(Duration::from_secs(secs.into()), attempt).await {
        Ok(r) => r,
        Err(_) => Err(ConnectError::Timeout(secs)),
    }
}

/// One connection's attempt; `None` when the server refused the FAST token it tried.
async fn login_inner(
    account: &Account,
    password: &str,
    watch: &Watch,
    binding: Binding,
) -> Result<Option<Connection>, ConnectError> {
    let jid = login_jid(account)?;
    // Set once the login is done: the guard reports to the session only from then on.
    let armed = Arc::new(AtomicBool::new(false));
    let guarded = |io| Guarded::new(io, watch.clone(), armed.clone());
    let domain = jid.domain().as_str().to_owned();
    let started = std::time::Instant::now();
    let token = prefetch_token(watch, account);
    let tcp = tcp_connect(account, &domain).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "TCP connected");
    let timeouts = stream_timeouts();
    // Who is speaking only once it is encrypted (RFC 6120 §4.7.1); FAST needs it (XEP-0484).
    let header = |from: bool| StreamHeader {
        to: Some(Cow::Owned(domain.clone())),
        from: from.then(|| Cow::Owned(account.jid.to_string())),
        id: None,
    };
    let ahead = Queue::default();
    let plain = header(false);
    let (tls_stream, bindings) = secure(account, tcp, &domain, &guarded, plain, timeouts).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "TLS established");
    let token = token.await.ok().flatten();
    let who = sasl::Credentials {
        jid: account.jid.as_str(),
        username: jid.node().map(|n| n.as_str()).unwrap_or_default(),
        password,
        floor: watch.sign_in.floor(account).await,
    };
    let attempt = Attempt::new(account, watch, binding, &armed);
    // With a token from a server that offered SASL2, its request goes with the stream header.
    let ahead_plan = sasl2::plan_ahead(&bindings, &who, &attempt.wants(token.as_ref()))
        .and_then(|plan| queue(&ahead, plan, &bindings, &who));
    let pending = initiate_stream(
        BufStream::new(Guarded::new(
            Ahead::new(tls_stream, ahead.clone()),
            watch.clone(),
            armed.clone(),
        )),
        ns::JABBER_CLIENT,
        header(true),
        timeouts,
    )
    .await
    .map_err(io_error)?;
    let (features, stream) = pending.recv_features().await.map_err(features_error)?;
    let start = match (features.sasl2.is_some(), ahead_plan) {
        (true, Some(plan)) => Start::Sent(plan),
        (true, None) => Start::Plan(token),
        // No SASL2 any more: the token goes, and the password signs in on a new connection.
        (false, Some(_)) => return Ok(None),
        (false, None) => Start::Plan(None),
    };
    if features.sasl2.is_some() {
        return attempt
            .sasl2(stream, &features, &bindings, &who, jid.clone(), start)
            .await;
    }
    let (stream, method) = sasl::authenticate(stream, &features, &bindings, &who).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "authenticated");
    if binding == Binding::Ahead {
        ahead.push(&bind_request(&jid));
    }
    let pending = stream.send_header(header(true)).await.map_err(io_error)?;
    let (features, stream) = pending.recv_features().await.map_err(features_error)?;
    // Only now: the server proved itself (SCRAM) and the new stream is up.
    watch.sign_in.signed_in(&account.jid, method).await;
    armed.store(true, Ordering::SeqCst);
    Ok(Some(Connection {
        stream: stream.box_stream(),
        features,
        identity: jid,
        initial_presence: None,
        bind_requested: binding == Binding::Ahead,
        prebound: None,
    }))
}

/// TLS on the TCP connection: from the first byte (XEP-0368), or after STARTTLS on a stream
/// that starts with `header`.
async fn secure(
    account: &Account,
    tcp: TcpStream,
    domain: &str,
    guarded: &impl Fn(Ahead<TcpStream>) -> Guarded<Ahead<TcpStream>>,
    header: StreamHeader<'_>,
    timeouts: Timeouts,
) -> Result<(tls::Tls, tls::Bindings), ConnectError> {
    let config = tls_config(account.pinned_cert.as_deref())?;
    match account.tls {
        TlsMode::Direct => handshake(config, tcp, domain).await,
        TlsMode::StartTls => {
            let plain = starttls(tcp, guarded, header, timeouts).await?;
            handshake(config, plain, domain).await
        }
    }
}

/// Queues the token's request to go with the stream header; `None` (nothing queued) when it
/// cannot be written.
fn queue(
    ahead: &Queue,
    plan: sasl2::Plan2,
    bindings: &tls::Bindings,
    who: &sasl::Credentials<'_>,
) -> Option<sasl2::Plan2> {
    ahead.push(&plan.opening(bindings, who)?);
    Some(plan)
}

/// The account's FAST token, read from where it is kept while TCP and TLS are under way: the
/// keyring answers over D-Bus, tens of milliseconds that the sign-in would otherwise wait.
fn prefetch_token(
    watch: &Watch,
    account: &Account,
) -> tokio::task::JoinHandle<Option<fast::Token>> {
    let (tokens, jid) = (watch.tokens.clone(), account.jid.clone());
    // A keyring that does not answer (one that asks to be unlocked) holds no sign-in back.
    let within = Duration::from_secs(2);
    tokio::spawn(async move {
        tokio::time::timeout(within, tokens.get(&jid))
            .await
            .ok()
            .flatten()
    })
}

/// The resource binding request tokio-xmpp would send after the features (the same id, which
/// its negotiation answers to), as bytes: the resource the account asks for, or the server's
/// choice.
fn bind_request(jid: &Jid) -> Vec<u8> {
    use tokio_xmpp::parsers::bind::BindQuery;
    use tokio_xmpp::parsers::iq::Iq;
    let resource = jid.resource().map(|r| r.as_str().to_owned());
    let iq = Iq::from_set(
        tokio_xmpp::stanzastream::BIND_REQUEST_ID,
        BindQuery::new(resource),
    );
    let mut bytes = Vec::new();
    // Writing an element into memory cannot fail.
    let _ = tokio_xmpp::minidom::Element::from(iq).write_to(&mut bytes);
    bytes
}

async fn tcp_connect(account: &Account, domain: &str) -> Result<TcpStream, ConnectError> {
    let tcp = tcp_open(account, domain).await?;
    // Stanzas are small and each one is a whole message to the server: Nagle's algorithm would
    // hold a receipt back until the server acknowledged the previous packet (a delayed ACK,
    // 40–200 ms), throttling a burst of receipts to a few per round trip.
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!("TCP_NODELAY not set: {e}");
    }
    Ok(tcp)
}

async fn tcp_open(account: &Account, domain: &str) -> Result<TcpStream, ConnectError> {
    let direct = account.tls == TlsMode::Direct;
    let dns = match (&account.host, account.port) {
        (Some(host), port) => {
            let port = port.unwrap_or(if direct { 5223 } else { 5222 });
            return TcpStream::connect((host.as_str(), port))
                .await
                .map_err(|e| ConnectError::Unreachable(format!("{host}:{port}: {e}")));
        }
        (None, Some(port)) => DnsConfig::no_srv(domain, port),
        (None, None) if direct => DnsConfig::srv_xmpps(domain),
        (None, None) => DnsConfig::srv_default_client(domain),
    };
    dns.resolve()
        .await
        .map_err(|e| ConnectError::Unreachable(format!("{domain}: {e}")))
}

/// A random token for stanza ids and origin-ids: 128 bits, URL-safe hex.
pub fn random_token() -> String {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        // Without OS randomness, time and a counter still give unique ids within a process.
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let t = crate::model::now_millis() as u64;
        b[..8].copy_from_slice(&t.to_le_bytes());
        b[8..].copy_from_slice(&N.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BareJid;
    use crate::model::address::j;

    #[test]
    fn a_half_open_connection_is_noticed_within_a_bounded_time() {
        let bound = |t: Timeouts| t.read_timeout + t.response_timeout;
        let default = timeouts_from(None, None);
        assert_eq!(
            (default.read_timeout, default.response_timeout),
            (Duration::from_secs(60), Duration::from_secs(20))
        );
        assert_eq!(bound(default), Duration::from_secs(80));
        let quick = timeouts_from(Some("2"), Some(" 3 "));
        assert_eq!(bound(quick), Duration::from_secs(5));
        for nonsense in ["0", "-1", "soon", ""] {
            let t = timeouts_from(Some(nonsense), Some(nonsense));
            assert_eq!(bound(t), Duration::from_secs(80), "{nonsense:?}");
        }
        let huge = timeouts_from(Some("99999999999"), None);
        assert_eq!(huge.read_timeout, Duration::from_secs(86_400));
    }

    #[test]
    fn tokens_are_unique_hex() {
        let a = random_token();
        let b = random_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn an_address_without_user_part_is_refused_before_login() {
        let account = Account::new(BareJid::new("example.org").expect("a domain address"));
        assert!(matches!(
            login_jid(&account),
            Err(ConnectError::BadAddress(_))
        ));
        let mut account = Account::new(j("a@example.org"));
        account.resource = Some("desk".into());
        assert_eq!(
            login_jid(&account).map(|j| j.to_string()),
            Ok("a@example.org/desk".into())
        );
    }

    #[test]
    fn refused_certificates_are_explained_in_words() {
        use rustls::CertificateError as C;
        use rustls::OtherError;
        use rustls::pki_types::{ServerName, UnixTime};
        use std::sync::Arc;

        #[derive(Debug)]
        struct EndEntityUsedAsCa; // stands in for webpki's error of that name
        impl std::fmt::Display for EndEntityUsedAsCa {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{self:?}")
            }
        }
        impl std::error::Error for EndEntityUsedAsCa {}

        let at = |secs| UnixTime::since_unix_epoch(Duration::from_secs(secs));
        let cases: [(C, &str); 5] = [
            (
                C::ExpiredContext {
                    time: at(1_700_000_000),
                    not_after: at(1_690_000_000),
                },
                "it expired on 2023-07-22 04:26 UTC",
            ),
            (
                C::NotValidForNameContext {
                    expected: ServerName::try_from("localhost")
                        .expect("a name")
                        .to_owned(),
                    presented: vec!["DnsName(\"wrong.example\")".into()],
                },
                "it was issued for wrong.example, not for localhost",
            ),
            (
                C::UnknownIssuer,
                "it is self-signed or issued by an authority this computer does not trust",
            ),
            (
                C::Other(OtherError(Arc::new(EndEntityUsedAsCa))),
                "it was issued by a certificate that is not a certificate authority",
            ),
            (C::Revoked, "it has been revoked"),
        ];
        for (problem, words) in cases {
            // rustls hands certificate errors over as InvalidData I/O errors.
            let e = io::Error::new(io::ErrorKind::InvalidData, rustls::Error::from(problem));
            assert_eq!(io_error(e), ConnectError::Tls(words.to_owned()));
        }
        assert_eq!(
            ConnectError::Tls("it has been revoked".into()).to_string(),
            "the server's certificate cannot be trusted: it has been revoked"
        );
    }

    #[test]
    fn sasl_conditions_read_as_words() {
        use tokio_xmpp::parsers::sasl::DefinedCondition;
        assert_eq!(
            sasl_condition(&DefinedCondition::NotAuthorized),
            "not-authorized"
        );
    }
}
