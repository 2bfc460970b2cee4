//! A message's text as a person reads it: plain, styled as XEP-0393 says (bold, italics,
//! struck through, monospace, quotations with a bar per level), or a `/me` action in italics
//! after the sender's name (XEP-0245); links clickable in all three. The text is drawn as
//! spans of the body itself, never read as markup, so what is copied is what was sent.

use std::ops::Range;

use iced::Length;
use iced::font::{self, Font};
use iced::widget::text::{Span, Wrapping};
use iced::widget::{Row, button, column, container, rich_text, space, span, text};

use super::{Entry, Message, Piece, State};
use crate::model::Direction;
use crate::model::styling::{Block, Style, me_action};
use crate::theme::{self, Element};

/// The width of the bar beside a quotation, per level.
const QUOTE_BAR: f32 = 3.0;

/// The name a `/me` action of the message shows: the contact's, or the account's own user
/// part (made safe to show).
pub(super) fn sender(state: &State, entry: &Entry) -> String {
    match entry.msg.direction {
        Direction::In if !state.name.is_empty() => state.name.clone(),
        Direction::In => state.peer.to_string(),
        Direction::Out => {
            let own = &entry.msg.account;
            crate::widget::safe_name(own.node().map_or(own.as_str(), |n| n.as_str()))
        }
    }
}

/// The body, folded when it is long and the person did not unfold it, with the button that
/// unfolds or folds it. `who` is the sender's name, for a `/me` action.
pub(super) fn body<'a>(entry: &'a Entry, unfolded: bool, who: String) -> Element<'a, Message> {
    let Some(fold) = &entry.fold else {
        return body_text(entry, entry.msg.body.len(), who);
    };
    let (shown, label, unfold) = if unfolded {
        (entry.msg.body.len(), crate::fl!("chat-show-less"), false)
    } else {
        let lines = fold.lines;
        (
            fold.preview.end,
            crate::fl!("chat-show-all", lines = lines),
            true,
        )
    };
    let toggle = button(text(label).size(12))
        .on_press(Message::Unfold(entry.msg.local_id, unfold))
        .padding([2, 0])
        .style(theme::button::text);
    let mut part = column![body_text(entry, shown, who)].spacing(2);
    if !unfolded {
        part = part.push(text("…").style(theme::text::muted));
    }
    part.push(toggle).into()
}

/// The body's first `end` bytes: an action, styled blocks, or plain text with its links.
fn body_text(entry: &Entry, end: usize, who: String) -> Element<'_, Message> {
    let body = entry.msg.body.as_str();
    let shown: Element<'_, Message> = if let Some(rest) = me_action(body) {
        action(entry, end, who, rest)
    } else if let Some(blocks) = &entry.styled {
        let parts = blocks.iter().filter_map(|b| block(entry, b, end));
        column(parts).spacing(2).into()
    } else if entry.pieces.is_none() {
        // A long word (a URL, a hash) breaks inside the bubble instead of running out of it.
        return text(body.get(..end).unwrap_or_default())
            .wrapping(Wrapping::WordOrGlyph)
            .into();
    } else {
        paragraph(spans(entry, 0..end, Style::default(), end))
    };
    if entry.pieces.is_none() {
        return shown;
    }
    container(shown)
        .id(super::view::link_body_id(entry.msg.local_id))
        .into()
}

/// "* Alice waves", all in italics (XEP-0245).
fn action<'a>(entry: &'a Entry, end: usize, who: String, rest: &str) -> Element<'a, Message> {
    let start = entry.msg.body.len() - rest.len();
    if entry.pieces.is_none() {
        let rest = entry
            .msg
            .body
            .get(start..end.max(start))
            .unwrap_or_default();
        return text(crate::fl!("chat-action", name = who, action = rest))
            .font(ITALIC)
            .wrapping(Wrapping::WordOrGlyph)
            .into();
    }
    let emphasis = Style {
        emphasis: true,
        ..Style::default()
    };
    let name = crate::fl!("chat-action", name = who, action = "");
    let mut all = vec![span(name).font(ITALIC)];
    all.extend(spans(entry, start..end.max(start), emphasis, end));
    paragraph(all)
}

/// The spans of a block's bytes before `end`, without the line break that ends it; `None`
/// when the block is past `end`.
pub(super) fn block_spans<'a>(
    entry: &'a Entry,
    block: &Block,
    end: usize,
) -> Option<Vec<Span<'a, String>>> {
    let body = entry.msg.body.as_str();
    let range = block.range();
    if range.start >= end {
        return None;
    }
    let mut shown = range.start..range.end.min(end);
    if body.as_bytes().get(shown.end.wrapping_sub(1)) == Some(&b'\n') {
        shown.end -= 1;
    }
    let mut parts: Vec<Span<'a, String>> = Vec::new();
    for run in &block.runs {
        let r = run.range.start.max(shown.start)..run.range.end.min(shown.end);
        if !r.is_empty() {
            parts.extend(spans(entry, r, run.style, end));
        }
    }
    Some(parts)
}

/// One block: its text, in monospace on a shade when preformatted, behind a bar per level of
/// quotation. `None` when nothing of it is shown (it is past the fold).
fn block<'a>(entry: &'a Entry, block: &Block, end: usize) -> Option<Element<'a, Message>> {
    let parts = block_spans(entry, block, end)?;
    let mut content: Element<'a, Message> = if block.pre {
        container(paragraph_in(parts, Some(Font::MONOSPACE)))
            .padding([2, 6])
            .width(Length::Fill)
            .style(theme::container::code)
            .into()
    } else {
        paragraph(parts)
    };
    if block.quote > 0 {
        let bars = (0..block.quote).map(|_| {
            container(space())
                .width(QUOTE_BAR)
                .height(Length::Fill)
                .style(theme::container::quote_bar)
                .into()
        });
        content = Row::with_children(bars)
            .spacing(4)
            .push(container(content).padding(iced::Padding::ZERO.left(4)))
            .height(Length::Shrink)
            .into();
    }
    Some(content)
}

/// Spans as one paragraph in the window's own font (spans name only what differs).
fn paragraph(spans: Vec<Span<'_, String>>) -> Element<'_, Message> {
    paragraph_in(spans, None)
}

fn paragraph_in(spans: Vec<Span<'_, String>>, font: Option<Font>) -> Element<'_, Message> {
    let mut text = rich_text(spans)
        .wrapping(Wrapping::WordOrGlyph)
        .on_link_click(Message::OpenLink);
    if let Some(font) = font {
        text = text.font(font);
    }
    text.into()
}

const ITALIC: Font = Font {
    style: font::Style::Italic,
    ..Font::DEFAULT
};

/// The font of a styled run; `None` for the paragraph's own.
pub(super) fn font_of(style: Style) -> Option<Font> {
    if !(style.strong || style.emphasis || style.code) {
        return None;
    }
    let base = if style.code {
        Font::MONOSPACE
    } else {
        Font::DEFAULT
    };
    Some(Font {
        weight: if style.strong {
            font::Weight::Bold
        } else {
            font::Weight::Normal
        },
        style: if style.emphasis {
            font::Style::Italic
        } else {
            font::Style::Normal
        },
        ..base
    })
}

/// The spans of the bytes `range` of the body drawn with `style`, cut where links start and
/// end: a link (only the allowed schemes, and only when shown whole: it ends before
/// `shown_end`) is underlined and opens on a click.
pub(super) fn spans(
    entry: &Entry,
    range: Range<usize>,
    style: Style,
    shown_end: usize,
) -> Vec<Span<'_, String>> {
    let body = entry.msg.body.as_str();
    let styled = |r: Range<usize>| {
        let mut s = span(body.get(r).unwrap_or_default())
            .font_maybe(font_of(style))
            .strikethrough(style.strike);
        if style.code {
            s = s.background(theme::text::CODE_SHADE);
        }
        s
    };
    let Some(pieces) = &entry.pieces else {
        return vec![styled(range)];
    };
    let end = range.end;
    pieces
        .iter()
        .filter_map(|piece| {
            let (Piece::Text(p) | Piece::Link(p)) = piece;
            let r = p.start.max(range.start)..p.end.min(end);
            if r.is_empty() {
                return None;
            }
            let whole_link = match piece {
                Piece::Link(p) if p.end <= shown_end => body.get(p.clone()),
                _ => None,
            };
            Some(match whole_link {
                Some(url) => styled(r).link(url.to_owned()).underline(true),
                None => styled(r),
            })
        })
        .collect()
}
