//! Opening an authenticated XMPP stream: TCP to the SRV target or the configured host, then
//! STARTTLS (required) or direct TLS (XEP-0368), certificate checks against the system roots
//! (`SSL_CERT_FILE` honoured) or a pinned certificate, then SASL. Also the reconnect backoff.

use std::borrow::Cow;
use std::io;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncBufReadExt, BufStream};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::client::WebPkiServerVerifier;
use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::crypto::{CryptoProvider, ring};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{
    self, ClientConfig, DigitallySignedStruct, ProtocolVersion, RootCertStore, SignatureScheme,
};
use tokio_xmpp::connect::DnsConfig;
use tokio_xmpp::error::{AuthError, Error as XmppError};
use tokio_xmpp::jid::Jid;
use tokio_xmpp::parsers::{ns, starttls};
use tokio_xmpp::stanzastream::Connection;
use tokio_xmpp::xmlstream::{
    ReadError, RecvFeaturesError, StreamHeader, Timeouts, XmppStreamElement, initiate_stream,
};

use crate::model::{Account, TlsMode};

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
    /// The server refused the credentials (SASL not-authorized and friends).
    Auth(String),
    /// The server closed the stream with an error that retrying will not fix.
    Refused(String),
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
            ConnectError::Auth(reason) => crate::fl!("error-connect-auth", reason = reason),
            ConnectError::Refused(reason) => crate::fl!("error-connect-refused", reason = reason),
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
            ConnectError::BadAddress(_) | ConnectError::Auth(_) | ConnectError::Refused(_)
        )
    }

    fn from_xmpp(e: XmppError) -> Self {
        match e {
            XmppError::Auth(AuthError::Fail(cond)) => ConnectError::Auth(sasl_condition(&cond)),
            XmppError::Auth(AuthError::NoMechanism) => {
                ConnectError::Auth(crate::fl!("error-connect-no-mechanism"))
            }
            XmppError::Auth(other) => ConnectError::Auth(other.to_string()),
            XmppError::Io(e) => io_error(e),
            XmppError::StreamError(e) => stream_error(&e.to_string()),
            XmppError::Disconnected => {
                ConnectError::Unreachable(crate::fl!("error-connect-closed"))
            }
            other => ConnectError::Protocol(other.to_string()),
        }
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
    // rustls reports certificate problems as InvalidData I/O errors carrying a rustls::Error.
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        return ConnectError::Tls(tls_problem(inner));
    }
    if e.kind() == io::ErrorKind::TimedOut {
        return ConnectError::Unreachable(crate::fl!("error-connect-timed-out"));
    }
    ConnectError::Unreachable(e.to_string())
}

/// What is wrong with a refused certificate, in words a person can check against the server
/// (rustls's own text is made of type names such as `UnknownIssuer`).
fn tls_problem(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let rustls::Error::InvalidCertificate(problem) = e else {
        return e.to_string();
    };
    let date = |t: &UnixTime| {
        i64::try_from(t.as_secs())
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map_or_else(
                || "an unknown date".to_owned(),
                |d| d.format("%Y-%m-%d %H:%M UTC").to_string(),
            )
    };
    match problem {
        C::Expired => "it has expired".to_owned(),
        C::ExpiredContext { not_after, .. } => format!("it expired on {}", date(not_after)),
        C::NotValidYet => "it is not valid yet".to_owned(),
        C::NotValidYetContext { not_before, .. } => {
            format!("it is not valid before {}", date(not_before))
        }
        C::NotValidForName => "it was issued for another name".to_owned(),
        C::NotValidForNameContext {
            expected,
            presented,
        } => {
            // webpki writes each name as `DnsName("example.org")`.
            let names: Vec<&str> = presented
                .iter()
                .map(|n| {
                    n.strip_prefix("DnsName(\"")
                        .and_then(|n| n.strip_suffix("\")"))
                        .unwrap_or(n)
                })
                .collect();
            let names = if names.is_empty() {
                "no name".to_owned()
            } else {
                names.join(", ")
            };
            format!("it was issued for {names}, not for {}", expected.to_str())
        }
        C::UnknownIssuer => {
            "it is self-signed or issued by an authority this computer does not trust".to_owned()
        }
        C::Revoked => "it has been revoked".to_owned(),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            "it is not meant for a server".to_owned()
        }
        C::BadEncoding => "it is malformed".to_owned(),
        C::BadSignature
        | C::UnsupportedSignatureAlgorithmContext { .. }
        | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "its signature does not match its issuer".to_owned()
        }
        // webpki's reasons arrive wrapped; rustls does not name their type, so read the name.
        C::Other(other) => {
            let name = format!("{other:?}");
            if name.contains("EndEntityUsedAsCa") {
                "it was issued by a certificate that is not a certificate authority".to_owned()
            } else if name.contains("CaUsedAsEndEntity") {
                "it is a certificate authority's certificate, not a server's".to_owned()
            } else {
                e.to_string()
            }
        }
        _ => e.to_string(),
    }
}

fn stream_error(text: &str) -> ConnectError {
    // conflict (another session took over for good), policy-violation, not-authorized: the
    // person must act; anything else is worth retrying.
    for fatal in [
        "not-authorized",
        "policy-violation",
        "conflict",
        "host-unknown",
    ] {
        if text.contains(fatal) {
            return ConnectError::Refused(text.to_owned());
        }
    }
    ConnectError::Protocol(text.to_owned())
}

fn features_error(e: RecvFeaturesError) -> ConnectError {
    match e {
        RecvFeaturesError::Io(e) => io_error(e),
        RecvFeaturesError::StreamError(e) => stream_error(&e.to_string()),
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
        _ => account.jid.clone(),
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

/// One complete attempt: connect, secure, authenticate; bounded by the account's timeout.
pub async fn login(account: &Account, password: &str) -> Result<Connection, ConnectError> {
    let secs = account.connect_timeout_secs.max(1);
    match tokio::time::timeout(
        Duration::from_secs(secs.into()),
        login_inner(account, password),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => Err(ConnectError::Timeout(secs)),
    }
}

async fn login_inner(account: &Account, password: &str) -> Result<Connection, ConnectError> {
    let jid = login_jid(account)?;
    let domain = jid.domain().as_str().to_owned();
    let started = std::time::Instant::now();
    let tcp = tcp_connect(account, &domain).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "TCP connected");
    let tls = tls_config(account.pinned_cert.as_deref())?;
    let timeouts = stream_timeouts();
    let header = || StreamHeader {
        to: Some(Cow::Owned(domain.clone())),
        from: None,
        id: None,
    };

    let (tls_stream, binding) = match account.tls {
        TlsMode::Direct => handshake(tls, tcp, &domain).await?,
        TlsMode::StartTls => {
            let pending =
                initiate_stream(BufStream::new(tcp), ns::JABBER_CLIENT, header(), timeouts)
                    .await
                    .map_err(io_error)?;
            let (features, mut stream) = pending
                .recv_features::<XmppStreamElement>()
                .await
                .map_err(features_error)?;
            if !features.can_starttls() {
                return Err(ConnectError::NoStartTls);
            }
            stream
                .send(&XmppStreamElement::Starttls(starttls::Nonza::Request(
                    starttls::Request,
                )))
                .await
                .map_err(io_error)?;
            loop {
                match stream.next().await {
                    Some(Ok(XmppStreamElement::Starttls(starttls::Nonza::Proceed(_)))) => break,
                    // The server may leave the stream open after <failure/>: do not wait for
                    // the timeout to say so.
                    Some(Ok(XmppStreamElement::Starttls(starttls::Nonza::Failure(_)))) => {
                        return Err(ConnectError::NoStartTls);
                    }
                    Some(Ok(_)) | Some(Err(ReadError::SoftTimeout)) => {}
                    Some(Err(ReadError::HardError(e))) => return Err(io_error(e)),
                    Some(Err(ReadError::ParseError(e))) => {
                        return Err(ConnectError::Protocol(e.to_string()));
                    }
                    None | Some(Err(ReadError::StreamFooterReceived)) => {
                        return Err(ConnectError::NoStartTls);
                    }
                }
            }
            let mut plain = stream.into_inner();
            // Anything already buffered after <proceed/> was injected in the clear (the
            // STARTTLS command-injection class of bugs): refuse rather than drop it silently.
            if let Some(Ok(buf)) = futures::FutureExt::now_or_never(plain.fill_buf())
                && !buf.is_empty()
            {
                return Err(ConnectError::Injection);
            }
            handshake(tls, plain.into_inner(), &domain).await?
        }
    };

    tracing::debug!(elapsed = ?started.elapsed(), "TLS established");
    let pending = initiate_stream(
        BufStream::new(tls_stream),
        ns::JABBER_CLIENT,
        header(),
        timeouts,
    )
    .await
    .map_err(io_error)?;
    let (features, stream) = pending.recv_features().await.map_err(features_error)?;
    let username = jid
        .node()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let creds = sasl::common::Credentials::default()
        .with_username(username)
        .with_password(password.to_owned())
        .with_channel_binding(binding);
    let stream = tokio_xmpp::client_login(stream, features.sasl_mechanisms, creds)
        .await
        .map_err(ConnectError::from_xmpp)?;
    tracing::debug!(elapsed = ?started.elapsed(), "authenticated");
    let pending = stream.send_header(header()).await.map_err(io_error)?;
    let (features, stream) = pending.recv_features().await.map_err(features_error)?;
    Ok(Connection {
        stream: stream.box_stream(),
        features,
        identity: jid,
    })
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

type Tls = tokio_rustls::client::TlsStream<TcpStream>;

async fn handshake(
    config: Arc<ClientConfig>,
    tcp: TcpStream,
    domain: &str,
) -> Result<(Tls, sasl::common::ChannelBinding), ConnectError> {
    let name = ServerName::try_from(domain.to_owned())
        .map_err(|e| ConnectError::BadAddress(e.to_string()))?;
    let tls = TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(io_error)?;
    let (_, conn) = tls.get_ref();
    let binding = match conn.protocol_version() {
        Some(ProtocolVersion::TLSv1_3) => {
            match conn.export_keying_material(vec![0u8; 32], b"EXPORTER-Channel-Binding", None) {
                Ok(data) => sasl::common::ChannelBinding::TlsExporter(data),
                Err(_) => sasl::common::ChannelBinding::None,
            }
        }
        _ => sasl::common::ChannelBinding::None,
    };
    Ok((tls, binding))
}

fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(ring::default_provider()))
        .clone()
}

fn system_roots() -> Arc<RootCertStore> {
    // Loading the system store costs tens of milliseconds: once per process.
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let mut store = RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            for e in &found.errors {
                tracing::warn!(
                    "{}",
                    crate::fl!("log-connect-certificates", reason = e.to_string())
                );
            }
            store.add_parsable_certificates(found.certs);
            Arc::new(store)
        })
        .clone()
}

/// The TLS client configuration: system roots, plus the pinned certificate both as a trust
/// anchor (a private CA) and as an exact match for the server's own certificate.
fn tls_config(pinned: Option<&[u8]>) -> Result<Arc<ClientConfig>, ConnectError> {
    let mut roots = (*system_roots()).clone();
    if let Some(der) = pinned {
        // A pinned leaf is not a valid anchor; ignore the error, the exact match covers it.
        let _ = roots.add(CertificateDer::from(der.to_vec()));
    }
    let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .map_err(|e| ConnectError::Tls(e.to_string()))?;
    let verifier = Arc::new(Verifier {
        webpki,
        pinned: pinned.map(<[u8]>::to_vec),
        provider: provider(),
    });
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| ConnectError::Tls(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[derive(Debug)]
struct Verifier {
    webpki: Arc<WebPkiServerVerifier>,
    pinned: Option<Vec<u8>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Ok(v) => Ok(v),
            Err(_) if self.pinned.as_deref() == Some(end_entity.as_ref()) => {
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Reads a PEM or DER certificate file's first certificate, for `--pin-cert`.
pub fn parse_certificate(bytes: &[u8]) -> Option<Vec<u8>> {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    if bytes.starts_with(b"-----") {
        CertificateDer::pem_slice_iter(bytes)
            .next()?
            .ok()
            .map(|c| c.to_vec())
    } else if bytes.first() == Some(&0x30) {
        Some(bytes.to_vec())
    } else {
        None
    }
}

/// Random 64-bit value from the OS (0 if the OS will not say, which only weakens jitter).
fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
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

/// Capped exponential backoff with full jitter: attempt 0 waits 0.5–1 s, doubling up to 60 s.
pub fn backoff(attempt: u32) -> Duration {
    let cap_ms: u64 = 1000u64.saturating_mul(1 << attempt.min(6)).min(60_000);
    let jitter = random_u64() % (cap_ms / 2 + 1);
    Duration::from_millis(cap_ms / 2 + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        for attempt in 0..20 {
            let d = backoff(attempt).as_millis() as u64;
            let cap = 1000u64.saturating_mul(1 << attempt.min(6)).min(60_000);
            assert!(d >= cap / 2 && d <= cap, "attempt {attempt}: {d} ms");
        }
        assert!(backoff(10) >= Duration::from_secs(30));
    }

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
        let account = Account::new("example.org");
        assert!(matches!(
            login_jid(&account),
            Err(ConnectError::BadAddress(_))
        ));
        let mut account = Account::new("a@example.org");
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
