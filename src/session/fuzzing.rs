//! The way in for the fuzz target (`fuzz/fuzz_targets/translate.rs`) and its corpus test: bytes
//! as a server would send them inside its stream, checked by the same guard on the server's
//! bytes (`connect/wire.rs`), read by the same parser and stream-element builder tokio-xmpp
//! uses, then everything the worker does with a stanza that needs neither the network nor the
//! store. Not part of the public interface.

use rxml::Parse as _;
use rxml::error::EndOrError;
use rxml::xml_lang::XmlLangStack;
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::xmlstream::{FallibleStreamElement, XmppStreamElement};
use xso::{FromEventsBuilder as _, FromXml};

use super::connect::{MAX_DEPTH, Scanner};
use super::translate::{self, Context, Inbound};
use super::{Event, guard};
use crate::cli::event_json;

/// The account the stanzas are addressed to; the corpus uses it.
pub const ME: &str = "me@example.org";
/// The archive query id the first context has open; the corpus's MAM results use it.
pub const OPEN_QUERY: &str = "q1";

/// What a server sends before any stanza: the stanzas inherit its namespace and language.
const HEADER: &[u8] = b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
    xmlns:stream='http://etherx.jabber.org/streams' from='example.org' to='me@example.org' \
    id='fuzz' version='1.0' xml:lang='en'>";

/// What one input did, for the target's checks and the corpus test.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Stanzas that reached translation.
    pub stanzas: usize,
    /// Stanzas the worker would have sent back (replies, acks, receipts).
    pub replies: usize,
    /// Of those, how many could not be serialised: the worker could not send them.
    pub unsendable: usize,
    /// The parser saw elements nested deeper than the guard lets through.
    pub too_deep: bool,
    /// The guard refused the input when it came in one piece and not when it came byte by
    /// byte, or the other way round: how the network cuts the bytes must not matter.
    pub guard_depends_on_chunks: bool,
}

/// Reads `bytes` as the inside of the server's stream and runs each stanza through
/// [`translate::inbound`] with several session contexts, then follows what comes out the way
/// the worker does (replies built and serialised, IQ payloads parsed, events as JSON).
pub fn inbound(bytes: &[u8]) -> Outcome {
    let mut outcome = Outcome::default();
    let bound = Jid::new(&format!("{ME}/desk")).ok();
    let contexts = contexts();
    let passed = guarded(bytes, &mut outcome);
    for stanza in stanzas(passed, &mut outcome) {
        outcome.stanzas += 1;
        for ctx in &contexts {
            for inbound in translate::inbound(ctx, copy(&stanza)) {
                follow(inbound, &ctx.me, bound.as_ref(), &mut outcome);
            }
        }
    }
    outcome
}

/// What [`stages`] measured.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stages {
    /// The guard on the server's bytes (`connect/wire.rs`).
    pub guard: std::time::Duration,
    /// The XML parser and tokio-xmpp's stream-element builder, to stanzas.
    pub parse: std::time::Duration,
    /// Translation in the session's context, and the replies it asks for, serialised.
    pub translate: std::time::Duration,
    /// Stanzas read.
    pub stanzas: usize,
    /// What translation gave (messages, presences, receipts, …).
    pub results: usize,
    /// Replies serialised (receipts, IQ results).
    pub replies: usize,
}

/// Times the way in, stage by stage, for `benches/translate.rs`: the guard over the bytes as
/// they come off the network (reads of `read` bytes), then the parser, then translation with
/// one session context (carbons on, archive query [`OPEN_QUERY`] open) and the replies the
/// worker would send, serialised. `None` if the guard refuses the input.
pub fn stages(bytes: &[u8], read: usize) -> Option<Stages> {
    use std::time::Instant;
    let mut stages = Stages::default();
    let started = Instant::now();
    let mut scanner = Scanner::signed_in();
    scanner.feed(HEADER).ok()?;
    for chunk in bytes.chunks(read.max(1)) {
        scanner.feed(chunk).ok()?;
    }
    stages.guard = started.elapsed();

    let started = Instant::now();
    let read = stanzas(bytes, &mut Outcome::default());
    stages.parse = started.elapsed();
    stages.stanzas = read.len();

    let started = Instant::now();
    let ctx = contexts().into_iter().next()?;
    for stanza in read {
        for inbound in translate::inbound(&ctx, stanza) {
            stages.results += 1;
            let reply = match inbound {
                Inbound::Message {
                    message,
                    receipt_to: Some(to),
                    ..
                } => message.remote_id.map(|id| translate::receipt(to, &id)),
                Inbound::RosterPush { iq_id, from, .. } => Some(translate::ack(from, iq_id)),
                Inbound::DiscoInfoQuery { from, id, node } => {
                    Some(translate::disco_info_result(from, id, node))
                }
                Inbound::Reply(stanza) => Some(stanza),
                _ => None,
            };
            if let Some(reply) = reply {
                stages.replies += 1;
                xso::to_vec(&reply).ok()?;
            }
        }
    }
    stages.translate = started.elapsed();
    Some(stages)
}

/// The part of `bytes` the parser may see: the guard fails the read that brings a refused
/// byte, and whatever came before it may have been read already (byte by byte, at worst).
fn guarded<'a>(bytes: &'a [u8], outcome: &mut Outcome) -> &'a [u8] {
    let scanner = || {
        let mut scanner = Scanner::signed_in();
        scanner.feed(HEADER).map(|_| scanner)
    };
    let (Ok(mut whole), Ok(mut single)) = (scanner(), scanner()) else {
        return &[];
    };
    let refused_whole = whole.feed(bytes).is_err();
    let passed = (0..bytes.len())
        .find(|&i| single.feed(&bytes[i..=i]).is_err())
        .map_or(bytes, |i| &bytes[..i]);
    outcome.guard_depends_on_chunks = refused_whole != (passed.len() < bytes.len());
    passed
}

/// `Stanza` is not `Clone`, its three kinds are.
fn copy(stanza: &Stanza) -> Stanza {
    match stanza {
        Stanza::Message(m) => Stanza::Message(m.clone()),
        Stanza::Presence(p) => Stanza::Presence(p.clone()),
        Stanza::Iq(iq) => Stanza::Iq(iq.clone()),
    }
}

/// Carbons on and off, with and without an open archive query, at two plausible nows (the
/// clock is ours, not the network's).
fn contexts() -> Vec<Context> {
    let Ok(me) = BareJid::new(ME) else {
        return vec![];
    };
    let ctx = |carbons: bool, open: &[&str], now| Context {
        me: me.clone(),
        carbons,
        open_queries: open.iter().map(|q| (*q).to_owned()).collect(),
        now,
    };
    vec![
        ctx(true, &[OPEN_QUERY], 1_767_225_600_000),
        ctx(false, &[], 1_767_225_600_000),
        ctx(true, &["q0", OPEN_QUERY], 4_102_444_800_000),
    ]
}

/// The stanzas in `bytes`, read as tokio-xmpp reads a stream: every top-level element through
/// `FallibleStreamElement`; an invalid stanza is skipped, anything that would end the stream
/// (bad XML, text between stanzas, a non-stanza element, the footer) ends the reading.
fn stanzas(bytes: &[u8], outcome: &mut Outcome) -> Vec<Stanza> {
    let mut parser = rxml::Parser::default();
    let mut languages = XmlLangStack::new();
    let mut header = HEADER;
    // The header parses up to the stream's start; everything after it is the input's.
    while let Ok(Some(event)) = parser.parse(&mut header, false) {
        languages.handle_event(&event);
    }
    let mut input = bytes;
    // Open elements, the stream's included, to hold the guard to its bound.
    let mut depth = 1_usize;
    // tokio-xmpp skips XML declarations and stops at the end of input or an XML error.
    let mut next = || loop {
        match parser.parse(&mut input, true) {
            Ok(Some(rxml::Event::XmlDeclaration(..))) => {}
            Ok(Some(event)) => {
                match event {
                    rxml::Event::StartElement(..) => depth += 1,
                    rxml::Event::EndElement(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                outcome.too_deep |= depth > MAX_DEPTH + 1;
                return Some(event);
            }
            Ok(None) | Err(EndOrError::NeedMoreData | EndOrError::Error(_)) => return None,
        }
    };
    let mut out = Vec::new();
    while let Some(event) = next() {
        languages.handle_event(&event);
        let (name, attrs) = match event {
            rxml::Event::StartElement(_, name, attrs) => (name, attrs),
            rxml::Event::Text(_, text) if xso::is_xml_whitespace(text.as_bytes()) => continue,
            _ => break,
        };
        let ctx = xso::Context::empty().with_language(languages.current());
        let Ok(mut builder) =
            <Result<FallibleStreamElement, xso::error::Error> as FromXml>::from_events(
                name, attrs, &ctx,
            )
        else {
            break;
        };
        let element = loop {
            let Some(event) = next() else {
                return out;
            };
            languages.handle_event(&event);
            let ctx = xso::Context::empty().with_language(languages.current());
            match builder.feed(event, &ctx) {
                Ok(Some(element)) => break element,
                Ok(None) => {}
                Err(_) => return out,
            }
        };
        match element {
            Ok(FallibleStreamElement::Ok(XmppStreamElement::Stanza(stanza))) => out.push(stanza),
            Ok(FallibleStreamElement::Err(_)) => {}
            _ => break,
        }
    }
    out
}

/// What the worker does with one result of translation, short of the store and the wire.
fn follow(inbound: Inbound, me: &BareJid, bound: Option<&Jid>, outcome: &mut Outcome) {
    // The peer a stored message of ours went to, for the checks on receipts and bounces.
    const PEER: &str = "bob@example.org";
    match inbound {
        Inbound::Message {
            message,
            receipt_to,
            ..
        } => {
            if let (Some(to), Some(id)) = (receipt_to, &message.remote_id) {
                send(translate::receipt(to, id), outcome);
            }
            event_json(&Event::Messages(vec![message]));
        }
        Inbound::ChatState { from, state } => {
            event_json(&Event::ChatState { from, state });
        }
        Inbound::Receipt { from, .. } => {
            guard::delivery_report_allowed(me, PEER, Jid::new(&from).ok().as_ref(), false);
        }
        Inbound::MessageError { from, reason, .. } => {
            guard::delivery_report_allowed(me, PEER, from.as_ref(), true);
            crate::fl!("session-error-undelivered", reason = reason);
        }
        Inbound::Presence {
            from,
            show,
            status,
            priority,
            idle_since,
        } => {
            event_json(&Event::Presence {
                jid: from.to_string(),
                show,
                status,
                priority,
                idle_since,
            });
        }
        Inbound::RosterPush {
            item, iq_id, from, ..
        } => {
            send(translate::ack(from, iq_id), outcome);
            event_json(&Event::RosterPush(item));
        }
        Inbound::IqResponse { from, payload, .. } => {
            if let Some(me) = bound {
                let server = Jid::new("example.org").ok();
                guard::iq_response_allowed(me, None, from.as_ref());
                guard::iq_response_allowed(me, server.as_ref(), from.as_ref());
            }
            translate::roster_result(payload.clone());
            translate::disco_features(payload.clone());
            translate::mam_fin(payload.clone());
            translate::last_activity(payload);
        }
        Inbound::LastActivityQuery { from, id } => {
            send(
                translate::last_activity_result(from.clone(), id.clone(), 0),
                outcome,
            );
            send(translate::forbidden(from, id), outcome);
        }
        Inbound::DiscoInfoQuery { from, id, node } => {
            send(translate::disco_info_result(from, id, node), outcome);
        }
        Inbound::Reply(stanza) => send(stanza, outcome),
        Inbound::SubscribeRequest { .. } | Inbound::Dropped(_) => {}
    }
}

/// Serialises a stanza the worker would send, as the stream's writer does.
fn send(stanza: Stanza, outcome: &mut Outcome) {
    outcome.replies += 1;
    if xso::to_vec(&stanza).is_err() {
        outcome.unsendable += 1;
    }
}

#[cfg(test)]
mod tests;
