//! The way in for the fuzz target (`fuzz/fuzz_targets/translate.rs`) and its corpus test: bytes
//! as a server would send them inside its stream, checked by the same guard on the server's
//! bytes (`connect/wire.rs`), read by the same parser and stream-element builder tokio-xmpp
//! uses, then handed to the same session core the worker runs (`session/core.rs`), signed in
//! three ways, with a store that works. Not part of the public interface.

use std::time::Duration;

use rxml::Parse as _;
use rxml::error::EndOrError;
use rxml::xml_lang::XmlLangStack;
use tokio_xmpp::Stanza;
use tokio_xmpp::jid::{BareJid, Jid};
use tokio_xmpp::xmlstream::{FallibleStreamElement, XmppStreamElement};
use xso::{FromEventsBuilder as _, FromXml};

use super::connect::{MAX_DEPTH, Scanner};
use super::core::rehearsal::{Rehearsal, plausible};
use super::core::{Input, StoreOp, Stored};
use super::translate::{self, Context, Inbound};
use super::{Event, guard};
use crate::model::{Millis, RosterItem, Subscription};

/// The account the stanzas are addressed to; the corpus uses it.
pub const ME: &str = "me@example.org";
/// The archive query id the signed-in sessions have open; the corpus's MAM results use it.
pub const OPEN_QUERY: &str = "q1";
/// A contact of the account, to whom its outbound messages go.
const CONTACT: &str = "bob@example.org";

/// What a server sends before any stanza: the stanzas inherit its namespace and language.
const HEADER: &[u8] = b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
    xmlns:stream='http://etherx.jabber.org/streams' from='example.org' to='me@example.org' \
    id='fuzz' version='1.0' xml:lang='en'>";

/// What one input did, for the target's checks and the corpus test.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Stanzas that reached the session.
    pub stanzas: usize,
    /// Stanzas the session sent in answer (replies, acks, receipts), over all sessions.
    pub replies: usize,
    /// Of those, how many could not be serialised: the worker could not send them.
    pub unsendable: usize,
    /// Events the sessions told.
    pub events: usize,
    /// The parser saw elements nested deeper than the guard lets through.
    pub too_deep: bool,
    /// The guard refused the input when it came in one piece and not when it came byte by
    /// byte, or the other way round: how the network cuts the bytes must not matter.
    pub guard_depends_on_chunks: bool,
}

/// Reads `bytes` as the inside of the server's stream and hands the stanzas, as one read, to
/// the session core in each of three signed-in sessions ([`sessions`]); every stanza it sends
/// in answer is serialised as the stream's writer would.
pub fn inbound(bytes: &[u8]) -> Outcome {
    inbound_with(bytes, |_| {})
}

/// [`inbound`], with each event the sessions tell handed to `told` (the fuzz target writes
/// them as headless mode's JSON).
pub fn inbound_with(bytes: &[u8], mut told: impl FnMut(&Event)) -> Outcome {
    let mut outcome = Outcome::default();
    let passed = guarded(bytes, &mut outcome);
    let read = stanzas(passed, &mut outcome);
    outcome.stanzas = read.len();
    for mut session in sessions() {
        session.take();
        let items = read
            .iter()
            .map(|s| tokio_xmpp::stanzastream::Event::Stanza(copy(s)))
            .collect();
        session.input_with(Input::Chunk(items), store);
        // What the clock brings next: IQ timeouts, a retry of the archive.
        session.wait(Duration::from_secs(31));
        session.input_with(Input::Tick, store);
        let (sent, events) = session.take();
        for (stanza, _) in sent {
            outcome.replies += 1;
            if xso::to_vec(&stanza).is_err() {
                outcome.unsendable += 1;
            }
        }
        outcome.events += events.len();
        events.iter().for_each(&mut told);
    }
    outcome
}

/// Three sessions signed in as the server would sign them in: carbons on with the archive
/// catch-up open ([`OPEN_QUERY`]); carbons refused and the catch-up over; and the first again
/// at a later time (the clock is ours, not the network's).
fn sessions() -> Vec<Rehearsal> {
    let Ok(me) = BareJid::new(ME) else {
        return vec![];
    };
    let Ok(bound) = Jid::new(&format!("{ME}/desk")) else {
        return vec![];
    };
    let Ok(contact) = BareJid::new(CONTACT) else {
        return vec![];
    };
    let contact = RosterItem {
        subscription: Subscription::Both,
        ..RosterItem::new(contact)
    };
    let session = |wall: Millis, carbons: bool, catching_up: bool| {
        let mut r = Rehearsal::new(&me, vec![contact.clone()], wall);
        r.bind(bound.clone(), true);
        // The login's IQs in the order the core sends them: the archive query (q2), the
        // roster (q3), carbons (q4), the server's and the account's features (q5, q6).
        let answers = [
            "<iq xmlns='jabber:client' type='result' id='q3'/>".to_owned(),
            if carbons {
                "<iq xmlns='jabber:client' type='result' id='q4'/>".to_owned()
            } else {
                "<iq xmlns='jabber:client' type='error' id='q4'><error type='cancel'>\
                 <not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"
                    .to_owned()
            },
            features("q5", "example.org"),
            features("q6", ME),
        ];
        let mut read: Vec<Stanza> = answers.iter().filter_map(|x| parse(x)).collect();
        if !catching_up {
            read.extend(parse(
                "<iq xmlns='jabber:client' type='result' id='q2'><fin xmlns='urn:xmpp:mam:2' \
                 complete='true'/></iq>",
            ));
        }
        r.stanzas(read);
        r
    };
    vec![
        session(1_767_225_600_000, true, true),
        session(1_767_225_600_000, false, false),
        session(4_102_444_800_000, true, true),
    ]
}

/// A disco#info result with the features the session uses.
fn features(id: &str, from: &str) -> String {
    let vars = [
        "urn:xmpp:mam:2",
        "urn:xmpp:carbons:2",
        "urn:xmpp:blocking",
        "jabber:iq:last",
        "urn:xmpp:ping",
    ];
    let features: String = vars
        .iter()
        .map(|v| format!("<feature var='{v}'/>"))
        .collect();
    format!(
        "<iq xmlns='jabber:client' type='result' id='{id}' from='{from}'>\
         <query xmlns='http://jabber.org/protocol/disco#info'>{features}</query></iq>"
    )
}

fn parse(xml: &str) -> Option<Stanza> {
    let el: tokio_xmpp::minidom::Element = xml.parse().ok()?;
    Stanza::try_from(el).ok()
}

/// A store that works; a receipt or bounce is checked against the contact as the store
/// checks it against the message's peer.
fn store(op: StoreOp) -> Stored {
    if let StoreOp::Report { from, bounce, .. } = &op
        && let Ok(me) = BareJid::new(ME)
    {
        guard::delivery_report_allowed(&me, CONTACT, from.as_ref(), bounce.is_some());
    }
    plausible(op)
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
    let ctx = context()?;
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

/// The session context [`stages`] translates in: carbons on, the archive query open.
fn context() -> Option<Context> {
    Some(Context {
        me: BareJid::new(ME).ok()?,
        carbons: true,
        open_queries: vec![OPEN_QUERY.to_owned()],
        now: 1_767_225_600_000,
    })
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

#[cfg(test)]
mod tests;
