//! Message styling (XEP-0393) and `/me` actions (XEP-0245), read from a plain-text body.
//!
//! The parser never changes the text: it says which byte ranges of the body are strong,
//! emphasised, struck through, preformatted or quoted, and every byte of the body belongs to
//! exactly one run, the styling directives (`*`, `_`, `~`, `` ` ``, `>`, ```` ``` ````)
//! included, so they stay visible as the XEP recommends and a copy of the message is its body.
//! Nothing is ever read as markup: the window draws the runs as text spans with a font.
//!
//! Hostile bodies stay cheap: quotes nest at most [`MAX_QUOTE_DEPTH`] deep (a deeper `>` is
//! text), a body makes at most [`MAX_BLOCKS`] blocks (the rest is one plain block), and spans
//! are matched with a binary search over the line's possible closing directives, so a line of
//! 100 KB of `*a ` costs the same as a plain one.

use std::ops::Range;

/// The deepest quotation shown as one; a `>` deeper than this is text of the deepest quote.
/// Replies quote a few levels at most; ten thousand `>` must not cost ten thousand frames.
pub const MAX_QUOTE_DEPTH: u8 = 8;
/// The most blocks (runs of lines of one quotation depth and kind) a body is cut into; what
/// follows is one plain block. Each block is a widget in the window.
pub const MAX_BLOCKS: usize = 200;

/// How a run of text is drawn. Spans nest, so several can be set at once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// `*strong*`: bold.
    pub strong: bool,
    /// `_emphasis_`: italics.
    pub emphasis: bool,
    /// `~strike~`: a line through the middle.
    pub strike: bool,
    /// `` `preformatted` `` span: monospace, nothing styled inside.
    pub code: bool,
    /// A styling directive itself (a span's `*`, a quote's `>`, a block's fence): shown, but
    /// fainter than the text it styles.
    pub directive: bool,
}

impl Style {
    /// Whether the run is drawn as plain text.
    pub fn is_plain(self) -> bool {
        self == Style::default()
    }
}

/// A part of the body, as a byte range, and how it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Bytes of the body.
    pub range: Range<usize>,
    /// How they are drawn.
    pub style: Style,
}

/// Consecutive lines of one quotation depth, either plain lines (with spans) or a
/// preformatted block (monospace, not re-wrapped, no spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// How deeply quoted (0: not quoted).
    pub quote: u8,
    /// A preformatted block (from a ```` ``` ```` line to the closing one).
    pub pre: bool,
    /// The runs, covering the block's bytes in order, the line breaks included.
    pub runs: Vec<Run>,
}

impl Block {
    /// The block's bytes.
    pub fn range(&self) -> Range<usize> {
        let start = self.runs.first().map_or(0, |r| r.range.start);
        let end = self.runs.last().map_or(start, |r| r.range.end);
        start..end
    }
}

/// The blocks of `body`, covering it in order; `None` when nothing in it is styled (most
/// bodies: shown as plain text).
pub fn parse(body: &str) -> Option<Vec<Block>> {
    if !body
        .bytes()
        .any(|b| matches!(b, b'*' | b'_' | b'~' | b'`' | b'>'))
    {
        return None;
    }
    let mut lines = split_lines(body);
    let all = 0..lines.len();
    read_blocks(body, &mut lines, all, 0);
    let blocks = group(body, &lines);
    let styled = blocks
        .iter()
        .any(|b| b.quote > 0 || b.pre || b.runs.iter().any(|r| !r.style.is_plain()));
    styled.then_some(blocks)
}

/// Whether the runs of `body` cover it exactly: every byte in one non-empty run, in order,
/// at most [`MAX_BLOCKS`] blocks, quotes at most [`MAX_QUOTE_DEPTH`] deep. Always true; the
/// fuzz target and the tests hold the parser to it on inputs no one wrote by hand.
pub fn covers_exactly(body: &str) -> bool {
    let Some(blocks) = parse(body) else {
        return true;
    };
    let mut at = 0;
    for block in &blocks {
        if block.quote > MAX_QUOTE_DEPTH || block.runs.is_empty() {
            return false;
        }
        for run in &block.runs {
            if run.range.start != at
                || run.range.is_empty()
                || !body.is_char_boundary(run.range.end)
            {
                return false;
            }
            at = run.range.end;
        }
    }
    blocks.len() <= MAX_BLOCKS && at == body.len()
}

/// The text of a `/me` action (XEP-0245): what follows "/me " at the very start of the body,
/// shown after the sender's name. `None` for any other body.
pub fn me_action(body: &str) -> Option<&str> {
    body.strip_prefix("/me ")
}

/// What a line turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    /// A preformatted block's opening or closing ```` ``` ```` line.
    Fence,
    /// A line inside a preformatted block.
    Pre,
}

/// One line of the body: where it starts, where its content starts after the quote markers,
/// where it ends (before its line break), and what it is.
struct Line {
    start: usize,
    content: usize,
    end: usize,
    /// The line break after it, if any.
    newline: bool,
    quote: u8,
    kind: Kind,
}

fn split_lines(body: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, _) in body.match_indices('\n') {
        lines.push(line(start, i, true));
        start = i + 1;
    }
    lines.push(line(start, body.len(), false));
    lines
}

fn line(start: usize, end: usize, newline: bool) -> Line {
    Line {
        start,
        content: start,
        end,
        newline,
        quote: 0,
        kind: Kind::Plain,
    }
}

/// The content of a line after its quote markers, without a carriage return at its end.
fn content<'a>(body: &'a str, line: &Line) -> &'a str {
    let text = body.get(line.content..line.end).unwrap_or_default();
    text.strip_suffix('\r').unwrap_or(text)
}

/// Reads the lines `range` (the child blocks of a quotation at `depth`, or the whole body):
/// preformatted blocks, quotations (read again inside, one level deeper) and plain lines.
fn read_blocks(body: &str, lines: &mut [Line], range: Range<usize>, depth: u8) {
    let mut i = range.start;
    while i < range.end {
        let text = content(body, &lines[i]);
        if text.starts_with("```") {
            i = read_pre(body, lines, i, range.end);
        } else if text.starts_with('>') && depth < MAX_QUOTE_DEPTH {
            let from = i;
            while i < range.end && content(body, &lines[i]).starts_with('>') {
                strip_marker(body, &mut lines[i]);
                lines[i].quote = depth + 1;
                i += 1;
            }
            read_blocks(body, lines, from..i, depth + 1);
        } else {
            lines[i].kind = Kind::Plain;
            i += 1;
        }
    }
}

/// A preformatted block from line `first` to the line holding only ```` ``` ```` or the end
/// of its parent: the index of the line after it.
fn read_pre(body: &str, lines: &mut [Line], first: usize, end: usize) -> usize {
    lines[first].kind = Kind::Fence;
    let mut i = first + 1;
    while i < end {
        let closes = content(body, &lines[i]) == "```";
        lines[i].kind = if closes { Kind::Fence } else { Kind::Pre };
        i += 1;
        if closes {
            break;
        }
    }
    i
}

/// Takes a `>` and the one whitespace character after it (XEP-0393 §5.1.3) off the line's
/// content.
fn strip_marker(body: &str, line: &mut Line) {
    line.content += 1;
    if let Some(c) = body
        .get(line.content..line.end)
        .and_then(|rest| rest.chars().next())
        .filter(|c| c.is_whitespace())
    {
        line.content += c.len_utf8();
    }
}

/// The lines as blocks of one depth and kind, each line as runs.
fn group(body: &str, lines: &[Line]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let pre = line.kind != Kind::Plain;
        let continues = blocks
            .last()
            .is_some_and(|b| b.quote == line.quote && b.pre == pre);
        if !continues {
            if blocks.len() + 1 == MAX_BLOCKS {
                blocks.push(rest_plain(lines, n));
                break;
            }
            blocks.push(Block {
                quote: line.quote,
                pre,
                runs: Vec::new(),
            });
        }
        if let Some(block) = blocks.last_mut() {
            line_runs(body, line, &mut block.runs);
            // An empty last line adds nothing.
            if block.runs.is_empty() {
                blocks.pop();
            }
        }
    }
    blocks
}

/// Everything from line `from` on as one plain run: the bound on blocks was reached.
fn rest_plain(lines: &[Line], from: usize) -> Block {
    let start = lines[from].start;
    let end = lines
        .last()
        .map_or(start, |l| l.end + usize::from(l.newline));
    Block {
        quote: 0,
        pre: false,
        runs: vec![Run {
            range: start..end,
            style: Style::default(),
        }],
    }
}

const DIRECTIVE: Style = Style {
    strong: false,
    emphasis: false,
    strike: false,
    code: false,
    directive: true,
};

fn line_runs(body: &str, line: &Line, runs: &mut Vec<Run>) {
    push(runs, line.start..line.content, DIRECTIVE);
    match line.kind {
        Kind::Fence => push(runs, line.content..line.end, DIRECTIVE),
        Kind::Pre => push(runs, line.content..line.end, Style::default()),
        Kind::Plain => {
            let closers = Closers::of(body, line.content..line.end);
            spans(
                body,
                line.content..line.end,
                Style::default(),
                &closers,
                runs,
            );
        }
    }
    if line.newline {
        push(runs, line.end..line.end + 1, Style::default());
    }
}

/// Adds a run, joined to the one before when they look the same; empty ranges are dropped.
fn push(runs: &mut Vec<Run>, range: Range<usize>, style: Style) {
    if range.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.style == style && last.range.end == range.start => {
            last.range.end = range.end;
        }
        _ => runs.push(Run { range, style }),
    }
}

/// The span directives, as bytes.
const SPANS: [u8; 4] = [b'*', b'_', b'~', b'`'];

/// Where each directive can close a span in one line: after a character that is not
/// whitespace (XEP-0393 §6). Sorted, so the first one after an opening is a binary search.
struct Closers([Vec<usize>; 4]);

impl Closers {
    fn of(body: &str, line: Range<usize>) -> Closers {
        let mut at: [Vec<usize>; 4] = Default::default();
        let Some(text) = body.get(line.clone()) else {
            return Closers(at);
        };
        let mut previous: Option<char> = None;
        for (i, c) in text.char_indices() {
            if let Some(kind) = SPANS.iter().position(|d| u32::from(*d) == u32::from(c))
                && previous.is_some_and(|p| !p.is_whitespace())
            {
                at[kind].push(line.start + i);
            }
            previous = Some(c);
        }
        Closers(at)
    }

    /// The first place in `from..to` where `kind` closes a span.
    fn first(&self, kind: usize, from: usize, to: usize) -> Option<usize> {
        let list = &self.0[kind];
        let at = list.partition_point(|&p| p < from);
        list.get(at).copied().filter(|&p| p < to)
    }
}

/// The spans of `range` (a line's content, or a span's inside) on top of `style`: plain text,
/// and spans from an opening directive to the first directive that can close it (lazily).
/// A span never holds another of its own kind (the first closing directive ends the outer
/// one), so this recurses at most four deep.
fn spans(body: &str, range: Range<usize>, style: Style, closers: &Closers, runs: &mut Vec<Run>) {
    let bytes = body.as_bytes();
    let mut plain = range.start;
    let mut i = range.start;
    while i < range.end {
        let Some(kind) = SPANS.iter().position(|d| *d == bytes[i]) else {
            i += 1;
            continue;
        };
        let close = opens(body, range.clone(), i)
            .then(|| closers.first(kind, i + 2, range.end))
            .flatten();
        let Some(close) = close else {
            i += 1;
            continue;
        };
        push(runs, plain..i, style);
        let inner = with(style, kind);
        push(
            runs,
            i..i + 1,
            Style {
                directive: true,
                ..inner
            },
        );
        if inner.code {
            // Nothing is styled inside a preformatted span.
            push(runs, i + 1..close, inner);
        } else {
            spans(body, i + 1..close, inner, closers, runs);
        }
        push(
            runs,
            close..close + 1,
            Style {
                directive: true,
                ..inner
            },
        );
        i = close + 1;
        plain = i;
    }
    push(runs, plain..range.end, style);
}

/// Whether the directive at `i` can open a span: at the start of its block or span, or after
/// whitespace; followed by something that is neither whitespace nor the same directive
/// (`**` and `***` style nothing).
fn opens(body: &str, range: Range<usize>, i: usize) -> bool {
    let before = body.get(range.start..i).and_then(|s| s.chars().next_back());
    let after = body.get(i + 1..range.end).and_then(|s| s.chars().next());
    let at_start = before.is_none_or(char::is_whitespace);
    let directive = body.as_bytes()[i];
    at_start && after.is_some_and(|c| !c.is_whitespace() && u32::from(c) != u32::from(directive))
}

fn with(style: Style, kind: usize) -> Style {
    let mut style = style;
    match kind {
        0 => style.strong = true,
        1 => style.emphasis = true,
        2 => style.strike = true,
        _ => style.code = true,
    }
    style
}

#[cfg(test)]
mod tests;
