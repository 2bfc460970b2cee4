//! SASL2 (XEP-0388) as Natter signs in when a server offers it, with what can go in the same
//! request: Bind 2 (XEP-0386) with stream management and carbons enabled inline, and FAST
//! (XEP-0484), a token asked for after a password sign-in and used instead of it the next
//! time, in one round trip.
//!
//! The password's mechanism is chosen as for SASL ([`super::plan`], the same floor); a token
//! is used only where it is worth as much ([`fast::usable`]). Choosing is pure ([`plan`]);
//! [`authenticate`] moves the elements.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncBufRead, AsyncWrite};
use tokio_xmpp::minidom::Element;
use tokio_xmpp::parsers::sasl_cb::Type as BindingType;
use tokio_xmpp::parsers::sasl2::Authentication;
use tokio_xmpp::parsers::stream_features::StreamFeatures;
use tokio_xmpp::parsers::{fast as xep0484, ns, sasl2, sm};
use tokio_xmpp::stanzastream::Prebound;
use tokio_xmpp::xmlstream::{FallibleStreamElement, ReadError, XmlStream, XmppStream};

use super::super::fast::{self, HtMechanism, Offer, Token};
use super::super::tls::Bindings;
use super::scram::{self, ScramClient};
use super::{AuthProblem, Credentials, Plan, malformed};
use crate::model::AuthMethod;
use crate::session::connect::{ConnectError, io_error, stream_error};

/// What Bind 2 shows Natter as: the start of the resource the server makes up.
const TAG: &str = "Natter";

/// How the sign-in proves who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::session::connect) enum Proof {
    /// The password, as SASL would use it.
    Password(Plan),
    /// A FAST token.
    Token { ht: HtMechanism, token: Token },
}

/// The whole request: the proof, what goes inline, and the user-agent id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::session::connect) struct Plan2 {
    pub proof: Proof,
    /// Bind 2, with stream management and carbons when the server offers them inline.
    pub bind: Option<Inline>,
    /// The mechanism a new FAST token is asked for.
    pub request_token: Option<HtMechanism>,
    /// The SASL2 user-agent id (a token is bound to the one it was issued to).
    pub client: String,
    /// What the server offers inline, kept with a new token.
    pub offer: Offer,
}

/// What Bind 2 enables in the same request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::session::connect) struct Inline {
    pub stream_management: bool,
    pub carbons: bool,
}

/// What one SASL2 sign-in wants beyond the password: the token kept, and whether the stream
/// binds now (a first connection with no resource of the person's choosing).
pub(in crate::session::connect) struct Wants<'a> {
    pub token: Option<&'a Token>,
    pub bind: bool,
    pub now: i64,
}

/// The request for `auth`: a usable token, else the password's strongest mechanism (refused
/// below the floor as with SASL); a new token asked for after a password, worth at least as
/// much; Bind 2 when wanted and offered.
pub(in crate::session::connect) fn plan(
    auth: &Authentication,
    named: &[BindingType],
    bindings: &Bindings,
    who: &Credentials<'_>,
    wants: &Wants<'_>,
) -> Result<Plan2, AuthProblem> {
    let inline = auth.inline.as_ref();
    let fast_offer: Vec<String> = inline
        .into_iter()
        .flat_map(|i| i.payloads.iter())
        .filter(|e| e.is("fast", ns::FAST))
        .flat_map(|e| e.children().filter(|m| m.is("mechanism", ns::FAST)))
        .map(Element::text)
        .collect();
    let by_token = wants.token.and_then(|token| {
        let ht = fast::usable(token, &fast_offer, bindings, who.floor, wants.now)?;
        Some((ht, token.clone()))
    });
    let client = wants
        .token
        .map(|t| t.client.clone())
        .unwrap_or_else(fast::new_client_id);
    let (proof, request_token) = match by_token {
        Some((ht, token)) => (Proof::Token { ht, token }, None),
        None => {
            let offered: BTreeSet<String> = auth.mechanisms.iter().cloned().collect();
            let plan = super::plan(&offered, named, bindings, who.floor, who.jid)?;
            let request = fast::to_request(&fast_offer, bindings, plan.method());
            (Proof::Password(plan), request)
        }
    };
    let bind2 = inline.and_then(|i| i.bind2.as_ref());
    let offer = Offer {
        bind2: bind2.is_some(),
        stream_management: bind2.is_some_and(|b| b.inline_features.iter().any(|f| f == ns::SM)),
        carbons: bind2.is_some_and(|b| b.inline_features.iter().any(|f| f == ns::CARBONS)),
    };
    Ok(Plan2 {
        proof,
        bind: bind_request(offer, wants.bind),
        request_token,
        client,
        offer,
    })
}

fn bind_request(offer: Offer, wanted: bool) -> Option<Inline> {
    (offer.bind2 && wanted).then_some(Inline {
        stream_management: offer.stream_management,
        carbons: offer.carbons,
    })
}

/// The request with the token, from what the server offered when it gave it, before this
/// stream's features are there: `None` when the token does not say, or cannot be used (its
/// binding, its expiry, the floor).
pub(in crate::session::connect) fn plan_ahead(
    bindings: &Bindings,
    who: &Credentials<'_>,
    wants: &Wants<'_>,
) -> Option<Plan2> {
    let token = wants.token?;
    let offer = token.offer?;
    let offered = [token.mechanism.clone()];
    let ht = fast::usable(token, &offered, bindings, who.floor, wants.now)?;
    Some(Plan2 {
        proof: Proof::Token {
            ht,
            token: token.clone(),
        },
        bind: bind_request(offer, wants.bind),
        request_token: None,
        client: token.client.clone(),
        offer,
    })
}

impl Plan2 {
    fn mechanism(&self) -> String {
        match &self.proof {
            Proof::Password(plan) => plan.mechanism().to_owned(),
            Proof::Token { ht, .. } => ht.name(),
        }
    }

    fn method(&self) -> AuthMethod {
        match &self.proof {
            Proof::Password(plan) => plan.method(),
            Proof::Token { ht, .. } => ht.method(),
        }
    }

    /// The token's `<authenticate/>` as bytes, to go before the features ([`plan_ahead`]);
    /// `None` for a password's.
    pub(in crate::session::connect) fn opening(
        &self,
        bindings: &Bindings,
        who: &Credentials<'_>,
    ) -> Option<Vec<u8>> {
        let Proof::Token { ht, token } = &self.proof else {
            return None;
        };
        let cb = ht.binding_data(bindings)?;
        let element = self
            .authenticate(&ht.initial_response(who.username, &token.secret, &cb))
            .ok()?;
        let mut bytes = Vec::new();
        element.write_to(&mut bytes).ok()?;
        Some(bytes)
    }

    /// The `<authenticate/>` element with `initial` as its initial response. Every value in
    /// it is Natter's own (mechanism names from its tables, base64, a UUID), so the text
    /// needs no escaping.
    fn authenticate(&self, initial: &[u8]) -> Result<Element, ConnectError> {
        let mut xml = format!(
            "<authenticate xmlns='{sasl2}' mechanism='{mechanism}'>\
             <initial-response>{initial}</initial-response>\
             <user-agent id='{client}'><software>Natter</software></user-agent>",
            sasl2 = ns::SASL2,
            mechanism = self.mechanism(),
            initial = BASE64.encode(initial),
            client = self.client,
        );
        if let Some(inline) = self.bind {
            xml.push_str(&format!("<bind xmlns='{}'><tag>{TAG}</tag>", ns::BIND2));
            if inline.stream_management {
                xml.push_str(&format!("<enable xmlns='{}' resume='true'/>", ns::SM));
            }
            if inline.carbons {
                xml.push_str(&format!("<enable xmlns='{}'/>", ns::CARBONS));
            }
            xml.push_str("</bind>");
        }
        match (&self.proof, self.request_token) {
            (Proof::Token { .. }, _) => xml.push_str(&format!("<fast xmlns='{}'/>", ns::FAST)),
            (Proof::Password(_), Some(ht)) => xml.push_str(&format!(
                "<request-token xmlns='{}' mechanism='{}'/>",
                ns::FAST,
                ht.name()
            )),
            (Proof::Password(_), None) => {}
        }
        xml.push_str("</authenticate>");
        xml.parse().map_err(|_| malformed("authenticate"))
    }
}

/// A SASL2 sign-in that worked: the stream (not restarted), the features that followed
/// `<success/>`, what it was worth, what Bind 2 bound, and a new token to keep.
pub(in crate::session::connect) struct Signed<S> {
    pub stream: XmppStream<S>,
    pub features: StreamFeatures,
    pub method: AuthMethod,
    pub prebound: Option<Prebound>,
    pub token: Option<Token>,
}

/// How a SASL2 attempt ended, short of an error that needs the person.
pub(in crate::session::connect) enum Attempt<S> {
    Signed(Box<Signed<S>>),
    /// The server refused the FAST token: forget it and sign in with the password, on a new
    /// connection (a server need not take a second `<authenticate/>` on this one).
    TokenRefused,
}

type ElementStream<S> = XmlStream<S, Element>;

/// Signs in with `plan` on `stream`, whose features offered SASL2; `sent` when the token's
/// `<authenticate/>` went with the stream header already ([`Plan2::opening`]).
pub(in crate::session::connect) async fn authenticate<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: XmppStream<S>,
    plan: Plan2,
    sent: bool,
    bindings: &Bindings,
    who: &Credentials<'_>,
) -> Result<Attempt<S>, ConnectError> {
    tracing::debug!(
        mechanism = plan.mechanism(),
        bind = ?plan.bind,
        request_token = ?plan.request_token.map(HtMechanism::name),
        "SASL2"
    );
    let mut stream: ElementStream<S> = stream.retype().map_err(|_| malformed("authenticate"))?;
    let success = match &plan.proof {
        Proof::Token { ht, token } => {
            let exchange = Exchange {
                ht: *ht,
                token,
                sent,
            };
            match token_exchange(&mut stream, &plan, &exchange, bindings, who).await? {
                Some(success) => success,
                None => return Ok(Attempt::TokenRefused),
            }
        }
        Proof::Password(Plan::Plain) => {
            let mut message = vec![0u8];
            message.extend_from_slice(who.username.as_bytes());
            message.push(0);
            message.extend_from_slice(who.password.as_bytes());
            send(&mut stream, &plan.authenticate(&message)?).await?;
            // PLAIN has no server proof: success is all there is.
            expect_success(&mut stream).await?
        }
        Proof::Password(Plan::Scram { hash, gs2 }) => {
            let nonce = scram::nonce().map_err(ConnectError::Auth)?;
            let client = ScramClient::new(*hash, who.username, who.password, gs2.clone(), nonce);
            scram_exchange(&mut stream, &plan, client).await?
        }
    };
    signed(stream, &plan, success).await.map(Attempt::Signed)
}

/// A sign-in with a token: its mechanism, and whether its request went out already.
struct Exchange<'a> {
    ht: HtMechanism,
    token: &'a Token,
    sent: bool,
}

/// The token's one round trip; `None` when the server refused it.
async fn token_exchange<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut ElementStream<S>,
    plan: &Plan2,
    exchange: &Exchange<'_>,
    bindings: &Bindings,
    who: &Credentials<'_>,
) -> Result<Option<sasl2::Success>, ConnectError> {
    let Exchange { ht, token, sent } = *exchange;
    // `usable` checked that the connection has it.
    let cb = ht.binding_data(bindings).unwrap_or_default();
    if !sent {
        let initial = ht.initial_response(who.username, &token.secret, &cb);
        send(stream, &plan.authenticate(&initial)?).await?;
    }
    let success = match expect_success(stream).await {
        Ok(success) => success,
        Err(ConnectError::Auth(AuthProblem::Refused { condition, .. })) => {
            tracing::info!(
                "the server refused the FAST token ({condition}): signing in again with the password"
            );
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    match success.additional_data.as_deref() {
        Some(data) if ht.server_knows(&token.secret, &cb, data) => Ok(Some(success)),
        Some(_) => Err(ConnectError::Auth(AuthProblem::WrongSignature)),
        None => Err(ConnectError::Auth(AuthProblem::NoSignature)),
    }
}

/// client-first in `<authenticate/>`, server-first, client-final, then the server's signature
/// in `<success/>` (or in a last challenge, answered with an empty response).
async fn scram_exchange<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut ElementStream<S>,
    plan: &Plan2,
    client: ScramClient,
) -> Result<sasl2::Success, ConnectError> {
    send(stream, &plan.authenticate(&client.first_message())?).await?;
    let server_first = match next(stream).await? {
        Step::Challenge(data) => data,
        Step::Success(_) => return Err(ConnectError::Auth(AuthProblem::NoSignature)),
    };
    // PBKDF2 takes up to a second for a high iteration count: off the async threads.
    let answered = tokio::task::spawn_blocking(move || client.answer(&server_first))
        .await
        .map_err(|e| ConnectError::Protocol(e.to_string()))?;
    let (client_final, proof) = answered.map_err(ConnectError::Auth)?;
    send(stream, &response(&client_final)).await?;
    let check = |data: &[u8]| proof.check(data).map_err(ConnectError::Auth);
    match next(stream).await? {
        Step::Success(success) => {
            check(success.additional_data.as_deref().unwrap_or_default())?;
            Ok(*success)
        }
        Step::Challenge(data) => {
            check(&data)?;
            send(stream, &response(&[])).await?;
            expect_success(stream).await
        }
    }
}

/// After `<success/>`: the features that follow it, what Bind 2 bound, the new token; the
/// stream goes on reading stanzas.
async fn signed<S: AsyncBufRead + AsyncWrite + Unpin>(
    mut stream: ElementStream<S>,
    plan: &Plan2,
    success: sasl2::Success,
) -> Result<Box<Signed<S>>, ConnectError> {
    let features = next_element(&mut stream).await?;
    let features = StreamFeatures::try_from(features).map_err(|_| malformed("features"))?;
    let prebound = match success.payloads.iter().find(|p| p.is("bound", ns::BIND2)) {
        Some(bound) => {
            let jid = success
                .authorization_identifier
                .clone()
                .try_into_full()
                .map_err(|_| malformed("authorization-identifier"))?;
            let sm = bound
                .children()
                .find(|c| c.is("enabled", ns::SM))
                .and_then(|e| sm::Enabled::try_from(e.clone()).ok());
            Some(Prebound { jid, sm })
        }
        None => None,
    };
    let token = success
        .payloads
        .iter()
        .find(|p| p.is("token", ns::FAST))
        .and_then(|t| xep0484::Token::try_from(t.clone()).ok())
        .and_then(|t| new_token(plan, t));
    let stream: XmppStream<S> = stream
        .retype::<FallibleStreamElement>()
        .map_err(|_| malformed("success"))?;
    Ok(Box::new(Signed {
        stream,
        features,
        method: plan.method(),
        prebound,
        token,
    }))
}

/// A token the server gave: for the mechanism asked for, or the one just used (rotation).
fn new_token(plan: &Plan2, given: xep0484::Token) -> Option<Token> {
    let mechanism = match (&plan.proof, plan.request_token) {
        (_, Some(asked)) => asked,
        (Proof::Token { ht, .. }, None) => *ht,
        (Proof::Password(_), None) => return None,
    };
    Some(Token {
        mechanism: mechanism.name(),
        secret: given.token,
        expires: given.expiry.0.timestamp(),
        client: plan.client.clone(),
        offer: Some(plan.offer),
    })
}

fn response(data: &[u8]) -> Element {
    let mut element = Element::builder("response", ns::SASL2).build();
    element.append_text(BASE64.encode(data));
    element
}

async fn send<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut ElementStream<S>,
    element: &Element,
) -> Result<(), ConnectError> {
    stream.send(element).await.map_err(io_error)
}

/// A step of the exchange from the server.
enum Step {
    Challenge(Vec<u8>),
    Success(Box<sasl2::Success>),
}

async fn expect_success<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut ElementStream<S>,
) -> Result<sasl2::Success, ConnectError> {
    match next(stream).await? {
        Step::Success(success) => Ok(*success),
        Step::Challenge(_) => Err(malformed("challenge")),
    }
}

/// The server's next step; a failure, a stream error or anything else as the error.
async fn next<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut ElementStream<S>,
) -> Result<Step, ConnectError> {
    let element = next_element(stream).await?;
    if element.is("error", ns::STREAM) {
        return match tokio_xmpp::parsers::stream_error::StreamError::try_from(element) {
            Ok(e) => Err(stream_error(&e)),
            Err(_) => Err(malformed("error")),
        };
    }
    if element.ns() != ns::SASL2 {
        let what = format!("<{}/>", element.name());
        return Err(ConnectError::Protocol(crate::fl!(
            "error-auth-unexpected",
            what = what
        )));
    }
    match element.name() {
        "challenge" => BASE64
            .decode(element.text().trim())
            .map(Step::Challenge)
            .map_err(|_| malformed("challenge")),
        "success" => sasl2::Success::try_from(element)
            .map(|s| Step::Success(Box::new(s)))
            .map_err(|_| malformed("success")),
        "failure" => Err(failure(&element)),
        // A second factor or a password change: nothing Natter can do here.
        other => Err(malformed(other)),
    }
}

/// A `<failure/>` as the refusal it is: its RFC 6120 condition and text.
fn failure(element: &Element) -> ConnectError {
    let condition = element
        .children()
        .find(|c| c.ns() == ns::SASL)
        .map_or_else(|| "failure".to_owned(), |c| c.name().to_owned());
    let text = element
        .get_child("text", ns::SASL2)
        .map(|t| t.text().trim().chars().take(200).collect::<String>())
        .filter(|t| !t.is_empty());
    ConnectError::Auth(AuthProblem::Refused { condition, text })
}

async fn next_element<S: AsyncBufRead + AsyncWrite + Unpin>(
    stream: &mut ElementStream<S>,
) -> Result<Element, ConnectError> {
    loop {
        return match stream.next().await {
            Some(Ok(element)) => Ok(element),
            Some(Err(ReadError::SoftTimeout)) => continue,
            Some(Err(ReadError::HardError(e))) => Err(io_error(e)),
            Some(Err(ReadError::ParseError(e))) => Err(ConnectError::Protocol(e.to_string())),
            Some(Err(ReadError::StreamFooterReceived)) | None => Err(ConnectError::Unreachable(
                crate::fl!("error-connect-closed"),
            )),
        };
    }
}

#[cfg(test)]
mod tests;
