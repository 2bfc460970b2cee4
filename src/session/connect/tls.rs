//! TLS for the connection: the system roots (`SSL_CERT_FILE` honoured) or a pinned
//! certificate, what a refused certificate means in words, and the channel bindings of the
//! connection for SCRAM-*-PLUS.

mod end_point;

use std::sync::{Arc, OnceLock};

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

use super::{ConnectError, io_error};
/// What is wrong with a refused certificate, in words a person can check against the server
/// (rustls's own text is made of type names such as `UnknownIssuer`).
pub(super) fn tls_problem(e: &rustls::Error) -> String {
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

pub(super) type Tls = tokio_rustls::client::TlsStream<TcpStream>;

/// The channel bindings Natter can compute for a TLS connection (RFC 5056), for SCRAM-*-PLUS.
/// `tls-unique` (RFC 5929 §3) is not among them: rustls does not expose the TLS 1.2 Finished
/// message it is made of, and TLS 1.3 does not define it; a server that names only it gets
/// SCRAM without binding.
#[derive(Clone, Default, PartialEq, Eq)]
pub(super) struct Bindings {
    /// `tls-exporter` (RFC 9266), on TLS 1.3 only: TLS 1.2 exporters are safe only with the
    /// extended master secret, which this side cannot require of every server.
    pub exporter: Option<Vec<u8>>,
    /// `tls-server-end-point` (RFC 5929 §4): the hash of the server's certificate.
    pub end_point: Option<Vec<u8>>,
}

impl std::fmt::Debug for Bindings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bindings")
            .field("exporter", &self.exporter.is_some())
            .field("end_point", &self.end_point.is_some())
            .finish()
    }
}

pub(super) async fn handshake(
    config: Arc<ClientConfig>,
    tcp: TcpStream,
    domain: &str,
) -> Result<(Tls, Bindings), ConnectError> {
    let name = ServerName::try_from(domain.to_owned())
        .map_err(|e| ConnectError::BadAddress(e.to_string()))?;
    let tls = TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(io_error)?;
    let (_, conn) = tls.get_ref();
    let exporter = match conn.protocol_version() {
        // RFC 9266 §2: 32 bytes, this label, no context (the same as an empty one in 1.3).
        Some(ProtocolVersion::TLSv1_3) => conn
            .export_keying_material(vec![0u8; 32], b"EXPORTER-Channel-Binding", None)
            .ok(),
        _ => None,
    };
    let end_point = conn
        .peer_certificates()
        .and_then(|chain| chain.first())
        .and_then(|leaf| end_point::end_point_hash(leaf.as_ref()));
    tracing::debug!(
        version = ?conn.protocol_version(),
        tls_exporter = exporter.is_some(),
        tls_server_end_point = end_point.is_some(),
        "channel bindings"
    );
    Ok((
        tls,
        Bindings {
            exporter,
            end_point,
        },
    ))
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
pub(super) fn tls_config(pinned: Option<&[u8]>) -> Result<Arc<ClientConfig>, ConnectError> {
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
