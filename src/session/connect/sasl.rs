//! SASL (RFC 6120 §6) as Natter signs in: the mechanism chosen from what the server offers
//! and what this TLS connection can be bound with (XEP-0440), never weaker than what worked
//! before for the account, and a SCRAM server that must prove it knows the password.
//!
//! Choosing is pure ([`plan`]); [`authenticate`] moves the bytes.

mod memory;
pub(super) mod sasl2;
mod scram;

use std::collections::BTreeSet;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncBufRead, AsyncWrite};
use tokio_xmpp::parsers::sasl::{Nonza, Response};
use tokio_xmpp::parsers::sasl_cb::Type as BindingType;
use tokio_xmpp::parsers::{ns, stream_features::StreamFeatures};
use tokio_xmpp::xmlstream::{
    FallibleStreamElement, InitiatingStream, ReadError, StreamElementError, XmppStream,
    XmppStreamElement,
};

use super::tls::Bindings;
use super::{ConnectError, io_error, sasl_condition, stream_error};
use crate::model::AuthMethod;
pub use memory::Remembered;
use scram::{Gs2, Hash, ScramClient, ServerProof};

/// Why signing in failed, once the server was reached over trusted TLS. Every one of them
/// needs the person: Natter does not retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthProblem {
    /// The server refused the credentials: its SASL condition, and its text if it gave one.
    Refused {
        /// The RFC 6120 condition, e.g. `not-authorized`.
        condition: String,
        /// The server's own words, bounded.
        text: Option<String>,
    },
    /// No mechanism both sides speak.
    NoMechanism,
    /// The server offers only something weaker than what signed this account in before.
    Downgrade {
        /// The account.
        jid: String,
        /// The strongest method that has worked.
        before: AuthMethod,
        /// The strongest the server offers now.
        offered: AuthMethod,
    },
    /// The server's SCRAM signature is not the one its password gives.
    WrongSignature,
    /// The server declared success without a SCRAM signature.
    NoSignature,
    /// The server ended the SCRAM exchange with `e=`: its reason.
    ServerError(String),
    /// A message of the exchange could not be read: which part.
    Malformed(String),
    /// No random numbers for the nonce.
    NoRandomness,
}

impl std::fmt::Display for AuthProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            AuthProblem::Refused { condition, text } => {
                let reason = match text {
                    Some(text) => format!("{condition}: {text}"),
                    None => condition.clone(),
                };
                crate::fl!("error-connect-auth", reason = reason)
            }
            AuthProblem::NoMechanism => crate::fl!("error-connect-no-mechanism"),
            AuthProblem::Downgrade {
                jid,
                before,
                offered,
            } => crate::fl!(
                "error-auth-downgrade",
                jid = jid.as_str(),
                before = method_name(*before),
                offered = method_name(*offered)
            ),
            AuthProblem::WrongSignature => crate::fl!("error-auth-wrong-signature"),
            AuthProblem::NoSignature => crate::fl!("error-auth-no-signature"),
            AuthProblem::ServerError(reason) => {
                crate::fl!("error-auth-server-error", reason = reason.as_str())
            }
            AuthProblem::Malformed(what) => {
                crate::fl!("error-auth-malformed", reason = what.as_str())
            }
            AuthProblem::NoRandomness => crate::fl!("error-auth-no-randomness"),
        };
        f.write_str(&text)
    }
}

/// A sign-in method in words.
fn method_name(method: AuthMethod) -> String {
    match method {
        AuthMethod::Plain => crate::fl!("auth-method-plain"),
        AuthMethod::Scram => crate::fl!("auth-method-scram"),
        AuthMethod::ScramBound => crate::fl!("auth-method-scram-plus"),
    }
}

/// What to do: the mechanism and, for SCRAM, its hash and channel binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Plan {
    Scram { hash: Hash, gs2: Gs2 },
    Plain,
}

impl Plan {
    fn mechanism(&self) -> &'static str {
        match self {
            Plan::Scram { hash, gs2 } => hash.mechanism(matches!(gs2, Gs2::Bound { .. })),
            Plan::Plain => "PLAIN",
        }
    }

    fn method(&self) -> AuthMethod {
        match self {
            Plan::Scram {
                gs2: Gs2::Bound { .. },
                ..
            } => AuthMethod::ScramBound,
            Plan::Scram { .. } => AuthMethod::Scram,
            Plan::Plain => AuthMethod::Plain,
        }
    }
}

/// The strongest plan the offer allows: SCRAM-*-PLUS with a binding the server names (its
/// XEP-0440 list) and this connection has, then SCRAM, then PLAIN; within each, SHA-512, then
/// SHA-256, then SHA-1. Refused when it is weaker than `floor` (what worked before, unless the
/// person allowed anything), so that someone who strips the stronger offers gains nothing.
pub(super) fn plan(
    offered: &BTreeSet<String>,
    named: &[BindingType],
    bindings: &Bindings,
    floor: Option<AuthMethod>,
    jid: &str,
) -> Result<Plan, AuthProblem> {
    let plan = strongest(offered, named, bindings).ok_or(AuthProblem::NoMechanism)?;
    match floor {
        Some(before) if plan.method() < before => Err(AuthProblem::Downgrade {
            jid: jid.to_owned(),
            before,
            offered: plan.method(),
        }),
        _ => Ok(plan),
    }
}

fn strongest(
    offered: &BTreeSet<String>,
    named: &[BindingType],
    bindings: &Bindings,
) -> Option<Plan> {
    let has = |name: &str| offered.contains(name);
    if let Some(gs2) = common_binding(named, bindings)
        && let Some(hash) = Hash::PREFERRED.into_iter().find(|h| has(h.mechanism(true)))
    {
        return Some(Plan::Scram { hash, gs2 });
    }
    if let Some(hash) = Hash::PREFERRED
        .into_iter()
        .find(|h| has(h.mechanism(false)))
    {
        // `y` tells a server that supports binding that it was offered none: its -PLUS was
        // stripped on the way. When it did offer -PLUS, only with no binding in common, `n`.
        let any_plus = offered.iter().any(|m| m.ends_with("-PLUS"));
        let gs2 = if any_plus {
            Gs2::Unbound
        } else {
            Gs2::ServerCannot
        };
        return Some(Plan::Scram { hash, gs2 });
    }
    has("PLAIN").then_some(Plan::Plain)
}

/// The first binding the server names that this connection has: tls-exporter, then
/// tls-server-end-point. A server that names none (no XEP-0440 list) gets none: its default,
/// tls-unique, is one Natter cannot compute (tls.rs says why).
fn common_binding(named: &[BindingType], bindings: &Bindings) -> Option<Gs2> {
    let ours = [
        (BindingType::TlsExporter, "tls-exporter", &bindings.exporter),
        (
            BindingType::TlsServerEndPoint,
            "tls-server-end-point",
            &bindings.end_point,
        ),
    ];
    ours.into_iter().find_map(|(kind, name, data)| {
        let data = data.as_ref().filter(|_| named.contains(&kind))?;
        Some(Gs2::Bound {
            name,
            data: data.clone(),
        })
    })
}

/// Who signs in, and the weakest method allowed.
pub(super) struct Credentials<'a> {
    pub jid: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    pub floor: Option<AuthMethod>,
}

/// Signs in on `stream` as `who`; on success the stream is ready for its reset, and the
/// method that worked is returned.
pub(super) async fn authenticate<S: AsyncBufRead + AsyncWrite + Unpin>(
    mut stream: XmppStream<S>,
    features: &StreamFeatures,
    bindings: &Bindings,
    who: &Credentials<'_>,
) -> Result<(InitiatingStream<S>, AuthMethod), ConnectError> {
    let named = features
        .sasl_cb
        .as_ref()
        .map(|cb| cb.types.as_slice())
        .unwrap_or_default();
    let plan = plan(
        &features.sasl_mechanisms,
        named,
        bindings,
        who.floor,
        who.jid,
    )
    .map_err(ConnectError::Auth)?;
    tracing::debug!(
        offered = ?features.sasl_mechanisms,
        bindings = ?named,
        mechanism = plan.mechanism(),
        gs2 = ?plan,
        "SASL"
    );
    let method = plan.method();
    match plan {
        Plan::Plain => plain(&mut stream, who).await?,
        Plan::Scram { hash, gs2 } => {
            let nonce = scram::nonce().map_err(ConnectError::Auth)?;
            let client = ScramClient::new(hash, who.username, who.password, gs2, nonce);
            scram_exchange(
                &mut stream,
                hash.mechanism(method == AuthMethod::ScramBound),
                client,
            )
            .await?
        }
    }
    Ok((stream.initiate_reset(), method))
}

async fn plain<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut XmppStream<S>,
    who: &Credentials<'_>,
) -> Result<(), ConnectError> {
    let mut message = vec![0u8];
    message.extend_from_slice(who.username.as_bytes());
    message.push(0);
    message.extend_from_slice(who.password.as_bytes());
    send(stream, &Auth::new("PLAIN", message)).await?;
    match next(stream).await? {
        // PLAIN has no server proof: success is all there is.
        Nonza::Success(_) => Ok(()),
        other => Err(unexpected(other)),
    }
}

/// client-first, server-first, client-final, then the server's signature: in `<success/>`,
/// or in a last `<challenge/>` answered with an empty response (RFC 6120 §6.3.10).
async fn scram_exchange<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut XmppStream<S>,
    mechanism: &'static str,
    client: ScramClient,
) -> Result<(), ConnectError> {
    send(stream, &Auth::new(mechanism, client.first_message())).await?;
    let server_first = match next(stream).await? {
        Nonza::Challenge(challenge) => challenge.data,
        Nonza::Success(_) => return Err(ConnectError::Auth(AuthProblem::NoSignature)),
        other => return Err(unexpected(other)),
    };
    // PBKDF2 takes up to a second for a high iteration count: off the async threads.
    let answered = tokio::task::spawn_blocking(move || client.answer(&server_first))
        .await
        .map_err(|e| ConnectError::Protocol(e.to_string()))?;
    let (client_final, proof) = answered.map_err(ConnectError::Auth)?;
    send(stream, &response(client_final)).await?;
    match next(stream).await? {
        Nonza::Success(success) => verified(&proof, &success.data),
        Nonza::Challenge(challenge) => {
            verified(&proof, &challenge.data)?;
            send(stream, &response(Vec::new())).await?;
            match next(stream).await? {
                Nonza::Success(success) if success.data.is_empty() => Ok(()),
                Nonza::Success(success) => verified(&proof, &success.data),
                other => Err(unexpected(other)),
            }
        }
        other => Err(unexpected(other)),
    }
}

fn verified(proof: &ServerProof, server_final: &[u8]) -> Result<(), ConnectError> {
    proof.check(server_final).map_err(ConnectError::Auth)
}

/// `<auth/>` with any mechanism name: xmpp-parsers' own type knows no SCRAM-SHA-512. No
/// `Debug`: PLAIN's data is the password.
#[derive(xso::AsXml)]
#[xml(namespace = ns::SASL, name = "auth")]
struct Auth {
    #[xml(attribute)]
    mechanism: String,
    #[xml(text = xso::text::Base64)]
    data: Vec<u8>,
}

impl Auth {
    fn new(mechanism: &str, data: Vec<u8>) -> Auth {
        Auth {
            mechanism: mechanism.to_owned(),
            data,
        }
    }
}

fn response(data: Vec<u8>) -> XmppStreamElement {
    XmppStreamElement::Sasl(Nonza::Response(Response { data }))
}

async fn send<S: AsyncBufRead + AsyncWrite + Unpin, T: xso::AsXml>(
    stream: &mut XmppStream<S>,
    item: &T,
) -> Result<(), ConnectError> {
    stream.send(item).await.map_err(io_error)
}

/// The server's next SASL element; a failure, a stream error or a closed stream as the error.
async fn next<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut XmppStream<S>,
) -> Result<Nonza, ConnectError> {
    loop {
        let item = match stream.next().await {
            Some(Ok(FallibleStreamElement::Ok(item))) => item,
            // A failure with a condition xmpp-parsers does not know is still a refusal.
            Some(Ok(FallibleStreamElement::Err(StreamElementError::InvalidNonza {
                qname,
                ..
            }))) if qname.0 == ns::SASL && qname.1.as_str() == "failure" => {
                return Err(ConnectError::Auth(AuthProblem::Refused {
                    condition: "failure".into(),
                    text: None,
                }));
            }
            Some(Ok(FallibleStreamElement::Err(e))) => {
                return Err(ConnectError::Protocol(e.to_string()));
            }
            Some(Err(ReadError::SoftTimeout)) => continue,
            Some(Err(ReadError::HardError(e))) => return Err(io_error(e)),
            Some(Err(ReadError::ParseError(e))) => {
                return Err(ConnectError::Protocol(e.to_string()));
            }
            Some(Err(ReadError::StreamFooterReceived)) | None => {
                return Err(ConnectError::Unreachable(crate::fl!(
                    "error-connect-closed"
                )));
            }
        };
        return match item {
            XmppStreamElement::Sasl(Nonza::Failure(failure)) => {
                let text = failure
                    .texts
                    .values()
                    .next()
                    .map(|t| t.trim().chars().take(200).collect::<String>())
                    .filter(|t| !t.is_empty());
                Err(ConnectError::Auth(AuthProblem::Refused {
                    condition: sasl_condition(&failure.defined_condition),
                    text,
                }))
            }
            XmppStreamElement::Sasl(nonza) => Ok(nonza),
            XmppStreamElement::StreamError(e) => Err(stream_error(&e.0)),
            other => Err(ConnectError::Protocol(crate::fl!(
                "error-auth-unexpected",
                what = element_name(&other)
            ))),
        };
    }
}

/// The element in XML terms, for a message that names it.
fn element_name(item: &XmppStreamElement) -> &'static str {
    use tokio_xmpp::Stanza;
    match item {
        XmppStreamElement::Stanza(Stanza::Iq(_)) => "<iq/>",
        XmppStreamElement::Stanza(Stanza::Message(_)) => "<message/>",
        XmppStreamElement::Stanza(Stanza::Presence(_)) => "<presence/>",
        XmppStreamElement::Sasl(_) => "<sasl/>",
        XmppStreamElement::Starttls(_) => "<starttls/>",
        XmppStreamElement::ComponentHandshake(_) => "<handshake/>",
        XmppStreamElement::StreamError(_) => "<stream:error/>",
        XmppStreamElement::SM(_) => "<sm/>",
    }
}

fn unexpected(nonza: Nonza) -> ConnectError {
    let name = match nonza {
        Nonza::Abort(_) => "abort",
        Nonza::Failure(_) => "failure",
        Nonza::Success(_) => "success",
        Nonza::Auth(_) => "auth",
        Nonza::Challenge(_) => "challenge",
        Nonza::Response(_) => "response",
    };
    malformed(name)
}

fn malformed(what: &str) -> ConnectError {
    ConnectError::Auth(AuthProblem::Malformed(format!("<{what}/>")))
}

#[cfg(test)]
mod tests;
