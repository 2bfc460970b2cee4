//! STARTTLS (RFC 6120 §5) on the plain connection, up to the server's `<proceed/>`.

use futures::StreamExt;
use tokio::io::{AsyncBufReadExt, BufStream};
use tokio::net::TcpStream;
use tokio_xmpp::parsers::{ns, starttls};
use tokio_xmpp::xmlstream::{
    ReadError, StreamHeader, Timeouts, XmppStreamElement, initiate_stream,
};

use super::ahead::{Ahead, Queue};
use super::wire::Guarded;
use super::{ConnectError, features_error, io_error};

/// The STARTTLS request: the same for every server.
const STARTTLS_REQUEST: &[u8] = b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";

/// STARTTLS on the plain connection: up to the server's `<proceed/>`, refusing a server that
/// does not offer it and anything sent after `<proceed/>` in the clear. The request goes with
/// the stream header, not after the features: Natter requires TLS whatever they say, and one
/// round trip is saved. Returns the raw TCP connection for the TLS handshake.
pub(super) async fn starttls(
    tcp: TcpStream,
    guarded: &impl Fn(Ahead<TcpStream>) -> Guarded<Ahead<TcpStream>>,
    header: StreamHeader<'_>,
    timeouts: Timeouts,
) -> Result<TcpStream, ConnectError> {
    let ahead = Queue::default();
    ahead.push(STARTTLS_REQUEST);
    let tcp = guarded(Ahead::new(tcp, ahead));
    let pending = initiate_stream(BufStream::new(tcp), ns::JABBER_CLIENT, header, timeouts)
        .await
        .map_err(io_error)?;
    let (features, mut stream) = pending
        .recv_features::<XmppStreamElement>()
        .await
        .map_err(features_error)?;
    if !features.can_starttls() {
        return Err(ConnectError::NoStartTls);
    }
    loop {
        match stream.next().await {
            Some(Ok(XmppStreamElement::Starttls(starttls::Nonza::Proceed(_)))) => break,
            // The server may leave the stream open after <failure/>: do not wait for the
            // timeout to say so.
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
    // Anything already buffered after <proceed/> was injected in the clear (the STARTTLS
    // command-injection class of bugs): refuse rather than drop it silently. Bytes the wire
    // guard refused are no better: they were there all the same.
    match futures::FutureExt::now_or_never(plain.fill_buf()) {
        Some(Ok(buf)) if !buf.is_empty() => return Err(ConnectError::Injection),
        Some(Err(_)) => return Err(ConnectError::Injection),
        _ => {}
    }
    Ok(plain.into_inner().into_inner().into_inner())
}
