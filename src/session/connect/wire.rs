//! The bytes from the server, checked before the XML parser sees them.
//!
//! tokio-xmpp 6 parses with rxml, which already refuses DTDs (so no entity declarations and no
//! billion laughs), comments, processing instructions and entities beyond the five predefined
//! ones. It sets no bound on a stanza, though: the whole tree is built in memory however large,
//! and the tree is later cloned and dropped recursively, so a stanza nested 100,000 deep
//! overflows the stack and aborts the process. Nothing in tokio-xmpp's API lets a client set a
//! limit, but Natter owns the byte stream between TLS and the parser: [`Guarded`] counts the
//! bytes of each top-level element and how deep its elements nest, and fails the read with a
//! [`Refusal`] before the parser sees one byte too many. It refuses what rxml refuses as well,
//! so the person learns why the connection was reset instead of "the connection was lost".
//!
//! It also reads the stream error a server ends a signed-in session with, which tokio-xmpp
//! only logs: conflict and policy-violation must stop the reconnecting (a client that signs in
//! again after a conflict would throw out the session that replaced it, and so on forever).

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_xmpp::minidom::Element;
use tokio_xmpp::parsers::stream_error::StreamError;

use super::watch::{Incident, Watch};

/// Largest top-level element (stanza, or anything else between stream header and footer), in
/// bytes as received. A roster of 50,000 contacts fits; nothing a person writes comes close.
pub const MAX_STANZA: usize = 8 << 20;
/// Deepest nesting below the stream: a message with a forwarded message in an archive result
/// needs five; XHTML or data forms a dozen or two.
pub const MAX_DEPTH: usize = 64;
/// Longest stream error that is read for its reason; a longer one is left to tokio-xmpp.
const MAX_STREAM_ERROR: usize = 4096;
/// Longest tag or entity name kept (to tell `stream`, `error` and the predefined entities).
const MAX_NAME: usize = 64;

/// Why the bytes from the server were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A top-level element of more than [`MAX_STANZA`] bytes.
    TooLarge,
    /// Elements nested more than [`MAX_DEPTH`] levels below the stream.
    TooDeep,
    /// `<!DOCTYPE`, `<!ENTITY` and other markup declarations.
    Doctype,
    /// `<!-- … -->`.
    Comment,
    /// `<?target …?>` other than the XML declaration before a stream header.
    Instruction,
    /// An entity reference other than `lt`, `gt`, `amp`, `quot`, `apos` (and character
    /// references).
    Entity(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let refused = |what: String| crate::fl!("error-wire-refused", what = what);
        let (mib, levels) = (MAX_STANZA >> 20, MAX_DEPTH);
        let text = match self {
            Refusal::TooLarge => crate::fl!("error-wire-too-large", mib = mib),
            Refusal::TooDeep => crate::fl!("error-wire-too-deep", levels = levels),
            Refusal::Doctype => refused(crate::fl!("error-wire-doctype")),
            Refusal::Comment => refused(crate::fl!("error-wire-comment")),
            Refusal::Instruction => refused(crate::fl!("error-wire-instruction")),
            Refusal::Entity(name) => refused(crate::fl!("error-wire-entity", name = name.clone())),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for Refusal {}

/// A byte stream from the server with its bytes checked by a [`Scanner`]. Incidents are
/// reported only once `armed` is set (the login is done): during the login they come back as
/// the login's error.
pub struct Guarded<S> {
    inner: S,
    scanner: Scanner,
    watch: Watch,
    armed: Arc<AtomicBool>,
}

impl<S> Guarded<S> {
    /// Guards `inner`; reports to `watch` once `armed`.
    pub fn new(inner: S, watch: Watch, armed: Arc<AtomicBool>) -> Guarded<S> {
        Guarded {
            inner,
            scanner: Scanner::default(),
            watch,
            armed,
        }
    }

    /// The stream itself (for the TLS handshake after STARTTLS).
    pub fn into_inner(self) -> S {
        self.inner
    }

    fn report(&self, incident: Incident) {
        if self.armed.load(Ordering::SeqCst) {
            self.watch.report(incident);
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Guarded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.scanner.signed_in = this.armed.load(Ordering::SeqCst);
        if let Some(refusal) = &this.scanner.refused {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidData,
                refusal.clone(),
            )));
        }
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        match this.scanner.feed(&buf.filled()[before..]) {
            Ok(None) => {}
            Ok(Some(ended)) => this.report(Incident::Ended(super::stream_ended(&ended))),
            Err(refusal) => {
                // The parser never sees these bytes: what it holds stays within the bounds.
                buf.set_filled(before);
                this.report(Incident::Refused(refusal.clone()));
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, refusal)));
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Guarded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Where the scanner is in the markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    /// Character data, or between top-level items.
    #[default]
    Text,
    /// After `&`; `quote` is the attribute value's quote, 0 in character data.
    Entity { quote: u8 },
    /// After `<`.
    Open,
    /// The name of a start tag.
    StartName,
    /// A start tag after its name; `quote` is set inside an attribute value.
    Attributes { quote: u8 },
    /// `/` in a start tag: `>` makes it an empty element.
    EmptyEnd,
    /// An end tag.
    EndTag,
    /// After `<!`; `matched` bytes of `[CDATA[` so far.
    Bang { matched: usize },
    /// Inside CDATA; `brackets` is how many `]` just came.
    CData { brackets: usize },
    /// After `<?`: the target's name, then the rest; `question` after a `?`.
    Instruction { in_target: bool, question: bool },
}

/// Follows the markup of the server's byte stream just far enough to know, at every byte, how
/// deep the elements nest and how long the current top-level item is.
#[derive(Debug, Default)]
pub struct Scanner {
    state: State,
    /// Open elements, the stream element included: 2 inside a stanza.
    depth: usize,
    /// Bytes of the current top-level item (stream header or element); `None` between them.
    unit: Option<usize>,
    /// The current tag's (or entity's, or instruction target's) name, cut at [`MAX_NAME`].
    name: Vec<u8>,
    /// The local name of the current (or last) top-level element.
    top: Vec<u8>,
    /// A stream header may come next: right after SASL `<success/>`, when tokio-xmpp resets
    /// its parser. Anywhere else an element called `stream` is just an element: taken for a
    /// header it would set the depth count back while the parser's depth goes on growing.
    restart: bool,
    /// The login is over: the stream is never restarted again.
    signed_in: bool,
    /// The bytes of a top-level `error` element (a stream error) being read.
    capture: Option<Vec<u8>>,
    /// The first refusal; everything after it is refused too.
    refused: Option<Refusal>,
}

/// A stream error the server sent: its condition and text.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamEnd {
    /// The defined condition, e.g. `conflict`.
    pub condition: tokio_xmpp::parsers::stream_error::DefinedCondition,
    /// The server's text, if any.
    pub text: Option<String>,
}

impl Scanner {
    /// A scanner as it is once the session signed in: no stream restart is expected.
    pub fn signed_in() -> Scanner {
        Scanner {
            signed_in: true,
            ..Scanner::default()
        }
    }

    /// Checks the next bytes; returns a stream error that ended in them, or why they are
    /// refused.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Option<StreamEnd>, Refusal> {
        if let Some(r) = &self.refused {
            return Err(r.clone());
        }
        let mut ended = None;
        let mut i = 0;
        while i < bytes.len() {
            // Character data is most of the bytes: skip to the next markup at once.
            if self.state == State::Text {
                let rest = &bytes[i..];
                let run = rest
                    .iter()
                    .position(|&b| b == b'<' || b == b'&')
                    .unwrap_or(rest.len());
                self.count(&rest[..run])?;
                i += run;
                if i == bytes.len() {
                    break;
                }
            }
            let b = bytes[i];
            i += 1;
            if self.state == State::Text && b == b'<' && self.depth <= 1 {
                self.unit = Some(0);
                self.capture = Some(Vec::new());
            }
            self.count(&[b])?;
            if let Some(end) = self
                .step(b)
                .inspect_err(|r| self.refused = Some(r.clone()))?
            {
                ended = Some(end);
            }
        }
        Ok(ended)
    }

    /// Counts bytes of the current top-level item against the bound, and keeps those of a
    /// stream error.
    fn count(&mut self, bytes: &[u8]) -> Result<(), Refusal> {
        let Some(unit) = self.unit.as_mut() else {
            return Ok(());
        };
        *unit += bytes.len();
        if *unit > MAX_STANZA {
            self.refused = Some(Refusal::TooLarge);
            return Err(Refusal::TooLarge);
        }
        if let Some(capture) = self.capture.as_mut() {
            if capture.len() + bytes.len() > MAX_STREAM_ERROR {
                self.capture = None;
            } else {
                capture.extend_from_slice(bytes);
            }
        }
        Ok(())
    }

    fn step(&mut self, b: u8) -> Result<Option<StreamEnd>, Refusal> {
        self.state = match self.state {
            State::Text => match b {
                b'<' => State::Open,
                b'&' => self.entity_start(0),
                _ => State::Text,
            },
            State::Entity { quote } => return self.entity(b, quote),
            State::Open => self.open(b)?,
            State::StartName => match b {
                b'>' => return self.start_tag_end(false),
                b'/' => State::EmptyEnd,
                b if b.is_ascii_whitespace() => {
                    self.start_name_done();
                    State::Attributes { quote: 0 }
                }
                b => {
                    self.push_name(b);
                    State::StartName
                }
            },
            State::Attributes { quote: 0 } => match b {
                b'>' => return self.start_tag_end(false),
                b'/' => State::EmptyEnd,
                b'\'' | b'"' => State::Attributes { quote: b },
                _ => State::Attributes { quote: 0 },
            },
            State::Attributes { quote } => match b {
                b'&' => self.entity_start(quote),
                b if b == quote => State::Attributes { quote: 0 },
                _ => State::Attributes { quote },
            },
            State::EmptyEnd => match b {
                b'>' => return self.start_tag_end(true),
                _ => State::Attributes { quote: 0 },
            },
            State::EndTag => match b {
                b'>' => return Ok(self.end_tag()),
                _ => State::EndTag,
            },
            State::Bang { matched } => bang(b, matched)?,
            State::CData { brackets } => self.cdata(b, brackets),
            State::Instruction {
                in_target,
                question,
            } => self.instruction(b, in_target, question)?,
        };
        Ok(None)
    }

    /// After `<`: an end tag, a comment, CDATA or DOCTYPE, an instruction, or a start tag.
    fn open(&mut self, b: u8) -> Result<State, Refusal> {
        Ok(match b {
            b'/' => State::EndTag,
            b'!' => State::Bang { matched: 0 },
            b'?' if self.depth <= 1 => {
                self.name.clear();
                State::Instruction {
                    in_target: true,
                    question: false,
                }
            }
            b'?' => return Err(Refusal::Instruction),
            _ => {
                self.name.clear();
                self.push_name(b);
                State::StartName
            }
        })
    }

    /// Inside `<![CDATA[…]]>`, `brackets` the `]` just seen.
    fn cdata(&mut self, b: u8, brackets: usize) -> State {
        match b {
            b'>' if brackets >= 2 => {
                if self.depth <= 1 {
                    self.end_unit();
                }
                State::Text
            }
            b']' => State::CData {
                brackets: brackets + 1,
            },
            _ => State::CData { brackets: 0 },
        }
    }

    /// Inside `<?…?>`: only the XML declaration before a stream header is allowed.
    fn instruction(&mut self, b: u8, in_target: bool, question: bool) -> Result<State, Refusal> {
        if in_target && !(b.is_ascii_whitespace() || b == b'?') {
            self.push_name(b);
            return Ok(State::Instruction {
                in_target,
                question: false,
            });
        }
        if in_target && self.name != b"xml" {
            return Err(Refusal::Instruction);
        }
        Ok(match b {
            b'>' if question => {
                self.end_unit();
                State::Text
            }
            _ => State::Instruction {
                in_target: false,
                question: b == b'?',
            },
        })
    }

    fn push_name(&mut self, b: u8) {
        if self.name.len() < MAX_NAME {
            self.name.push(b);
        }
    }

    fn local_name(&self) -> &[u8] {
        match self.name.iter().rposition(|&b| b == b':') {
            Some(colon) => &self.name[colon + 1..],
            None => &self.name,
        }
    }

    /// The start tag's name is complete: a top-level element that is not a stream error is
    /// not kept.
    fn start_name_done(&mut self) {
        if self.depth <= 1 {
            self.top = self.local_name().to_vec();
            if self.top != b"error" {
                self.capture = None;
            }
        }
    }

    fn start_tag_end(&mut self, empty: bool) -> Result<Option<StreamEnd>, Refusal> {
        if self.state == State::StartName {
            self.start_name_done();
        }
        self.state = State::Text;
        let header = self.depth == 0 || (self.restart && !self.signed_in);
        if self.depth <= 1 && header && self.top == b"stream" {
            // A stream header: the stream element is open again, at depth 1.
            self.depth = 1;
            self.restart = false;
            self.end_unit();
            return Ok(None);
        }
        // `depth` counts the stream element: the new element would be level `depth`.
        if self.depth > MAX_DEPTH {
            return Err(Refusal::TooDeep);
        }
        if empty {
            if self.depth <= 1 {
                return Ok(self.top_level_done());
            }
        } else {
            self.depth += 1;
        }
        Ok(None)
    }

    fn end_tag(&mut self) -> Option<StreamEnd> {
        self.state = State::Text;
        self.depth = self.depth.saturating_sub(1);
        match self.depth {
            // The stream footer.
            0 => {
                self.end_unit();
                None
            }
            1 => self.top_level_done(),
            _ => None,
        }
    }

    /// A top-level element ended: was it SASL success, or a stream error?
    fn top_level_done(&mut self) -> Option<StreamEnd> {
        let capture = self.capture.take();
        self.end_unit();
        self.restart = self.top == b"success";
        stream_end(&capture?)
    }

    fn end_unit(&mut self) {
        self.unit = None;
        self.capture = None;
    }

    fn entity_start(&mut self, quote: u8) -> State {
        self.name.clear();
        State::Entity { quote }
    }

    fn entity(&mut self, b: u8, quote: u8) -> Result<Option<StreamEnd>, Refusal> {
        if b != b';' {
            if self.name.len() >= MAX_NAME || b.is_ascii_whitespace() || b == b'<' {
                return Err(Refusal::Entity(String::from_utf8_lossy(&self.name).into()));
            }
            self.name.push(b);
            return Ok(None);
        }
        let name = self.name.as_slice();
        let known = matches!(name, b"lt" | b"gt" | b"amp" | b"quot" | b"apos")
            || (name.first() == Some(&b'#') && name.len() > 1);
        if !known {
            return Err(Refusal::Entity(String::from_utf8_lossy(name).into()));
        }
        self.state = if quote == 0 {
            State::Text
        } else {
            State::Attributes { quote }
        };
        Ok(None)
    }
}

/// Reads a stream error from its bytes (the `stream` prefix is declared on the stream header,
/// which is not part of them).
/// After `<!`, `matched` bytes of `[CDATA[` seen: a comment or DOCTYPE is refused.
fn bang(b: u8, matched: usize) -> Result<State, Refusal> {
    const CDATA: &[u8] = b"[CDATA[";
    match b {
        b'-' if matched == 0 => Err(Refusal::Comment),
        b if CDATA.get(matched) == Some(&b) && matched + 1 == CDATA.len() => {
            Ok(State::CData { brackets: 0 })
        }
        b if CDATA.get(matched) == Some(&b) => Ok(State::Bang {
            matched: matched + 1,
        }),
        _ => Err(Refusal::Doctype),
    }
}

fn stream_end(bytes: &[u8]) -> Option<StreamEnd> {
    let xml = format!(
        "<wrap xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>{}</wrap>",
        std::str::from_utf8(bytes).ok()?
    );
    let wrap: Element = xml.parse().ok()?;
    let error = wrap.children().next()?.clone();
    let error = StreamError::try_from(error).ok()?;
    Some(StreamEnd {
        text: error.get_best_text(vec!["en"]).map(|(_, t)| t.clone()),
        condition: error.condition,
    })
}

#[cfg(test)]
mod tests;
