//! The SASL2 end of one connection's attempt (XEP-0388, with Bind 2 and FAST): from the
//! features to the [`Connection`] the stanza stream takes.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio_xmpp::jid::Jid;
use tokio_xmpp::parsers::sm::StreamManagement;
use tokio_xmpp::parsers::stream_features::StreamFeatures;
use tokio_xmpp::stanzastream::Connection;

use super::sasl::sasl2;
use super::{AuthProblem, Binding, ConnectError, Watch, fast, sasl, tls};
use crate::model::Account;

/// How the SASL2 request comes about.
pub(super) enum Start {
    /// Planned on the features, with the token kept (if any).
    Plan(Option<fast::Token>),
    /// The token's request, sent with the stream header already (`sasl2::plan_ahead`).
    Sent(sasl2::Plan2),
}

/// What one connection's attempt needs beyond its stream.
pub(super) struct Attempt<'a> {
    account: &'a Account,
    watch: &'a Watch,
    binding: Binding,
    /// Set once signed in: the wire guard reports to the session from then on.
    armed: &'a AtomicBool,
}

impl<'a> Attempt<'a> {
    pub(super) fn new(
        account: &'a Account,
        watch: &'a Watch,
        binding: Binding,
        armed: &'a AtomicBool,
    ) -> Self {
        Attempt {
            account,
            watch,
            binding,
            armed,
        }
    }

    /// What a SASL2 sign-in on this attempt wants beyond the password.
    pub(super) fn wants<'t>(&self, token: Option<&'t fast::Token>) -> sasl2::Wants<'t> {
        sasl2::Wants {
            token,
            bind: self.binding == Binding::Ahead
                && self.account.resource.as_deref().is_none_or(str::is_empty),
            now: crate::model::now_millis() / 1000,
        }
    }

    /// SASL2 on a server that offers it: the token when it can be used, else the password;
    /// Bind 2 on a stream's first connection when the person chose no resource (Bind 2 lets
    /// the server name it; a reconnection reads the features, so it can resume). A new token
    /// the server gives is kept. `None`: the server refused the token.
    pub(super) async fn sasl2<S>(
        &self,
        stream: tokio_xmpp::xmlstream::XmppStream<S>,
        features: &StreamFeatures,
        bindings: &tls::Bindings,
        who: &sasl::Credentials<'_>,
        jid: Jid,
        start: Start,
    ) -> Result<Option<Connection>, ConnectError>
    where
        S: tokio::io::AsyncBufRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let Some(auth) = &features.sasl2 else {
            return Err(ConnectError::Auth(AuthProblem::NoMechanism));
        };
        let account = self.account;
        let (plan, sent) = match start {
            Start::Sent(plan) => (plan, true),
            Start::Plan(token) => {
                let named = features
                    .sasl_cb
                    .as_ref()
                    .map(|cb| cb.types.as_slice())
                    .unwrap_or_default();
                let wants = self.wants(token.as_ref());
                let plan = sasl2::plan(auth, named, bindings, who, &wants);
                (plan.map_err(ConnectError::Auth)?, false)
            }
        };
        let mut signed = match sasl2::authenticate(stream, plan, sent, bindings, who).await? {
            sasl2::Attempt::TokenRefused => return Ok(None),
            sasl2::Attempt::Signed(signed) => signed,
        };
        if let Some(token) = signed.token.take() {
            self.watch.tokens.put(&account.jid, token).await;
        }
        // The server proved itself (SCRAM, or the token's HMAC): the session is up.
        self.watch
            .sign_in
            .signed_in(&account.jid, signed.method)
            .await;
        self.armed.store(true, Ordering::SeqCst);
        let identity = match &signed.prebound {
            Some(bound) => Jid::from(bound.jid.clone()),
            None => jid,
        };
        let mut features = signed.features;
        // Enabled inline: the features of the bound stream need not offer it again, and the
        // session keeps what it sends until acknowledged only when it knows it is on.
        if signed.prebound.as_ref().is_some_and(|b| b.sm.is_some()) {
            features.stream_management = Some(StreamManagement { optional: false });
        }
        Ok(Some(Connection {
            stream: signed.stream.box_stream(),
            features,
            identity,
            initial_presence: None,
            bind_requested: false,
            prebound: signed.prebound,
        }))
    }
}
