//! Container styles.

use iced::widget::container::Style;
use iced::{Background, Border, Theme};

/// The side pane (roster).
pub fn pane(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style::default().background(p.background.weak.color)
}

/// A bar along the top or bottom of a pane.
pub fn bar(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style::default()
        .background(p.background.strong.color)
        .border(Border::default().width(0))
}

/// A bubble of a received message.
pub fn bubble_in(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style {
        background: Some(Background::Color(p.background.weak.color)),
        border: Border::default().rounded(10),
        text_color: Some(p.background.weak.text),
        ..Style::default()
    }
}

/// A bubble of a sent message.
pub fn bubble_out(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style {
        background: Some(Background::Color(p.primary.weak.color)),
        border: Border::default().rounded(10),
        text_color: Some(p.primary.weak.text),
        ..Style::default()
    }
}

/// A count badge (unread, pending requests).
pub fn badge(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style {
        background: Some(Background::Color(p.primary.strong.color)),
        border: Border::default().rounded(9),
        text_color: Some(p.primary.strong.text),
        ..Style::default()
    }
}

/// A dialog or card floating over the content.
pub fn card(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style {
        background: Some(Background::Color(p.background.base.color)),
        border: Border::default()
            .rounded(8)
            .width(1)
            .color(p.background.strong.color),
        ..Style::default()
    }
}

/// A banner announcing a problem (offline, wrong password).
pub fn warning(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style {
        background: Some(Background::Color(p.warning.weak.color)),
        text_color: Some(p.warning.weak.text),
        ..Style::default()
    }
}

/// The dimmed window behind a dialog that takes the keyboard (help, quick switcher).
pub fn backdrop(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    let mut shade = p.background.strong.text;
    shade.a = 0.35;
    Style::default().background(shade)
}

/// A card with the keyboard's cursor on it (the request Enter answers).
pub fn card_highlighted(theme: &Theme) -> Style {
    let p = theme.extended_palette();
    Style {
        border: Border::default()
            .rounded(8)
            .width(2)
            .color(p.primary.strong.color),
        ..card(theme)
    }
}

/// A preformatted block inside a message (XEP-0393 ```` ``` ````): a faint shade of the
/// bubble's own text colour, readable on either bubble, light or dark.
pub fn code(_theme: &Theme) -> Style {
    Style::default()
        .background(super::text::CODE_SHADE)
        .border(Border::default().rounded(4))
}

/// The bar beside a quotation inside a message (XEP-0393 `>`), one per level: a grey that
/// shows on both bubbles, light or dark (the palette's accents vanish on the sent bubble).
pub fn quote_bar(_theme: &Theme) -> Style {
    Style::default().background(super::text::QUOTE_SHADE)
}

/// The bubble of the message a reply's quote led to, for a moment.
pub fn bubble_highlighted(theme: &Theme, out: bool) -> Style {
    outlined(theme, out, theme.extended_palette().primary.strong.color)
}

/// The bubble of the message selected with the keyboard: a thick outline in the text's own
/// colour, which shows on either bubble, light or dark, and is not the accent a quote's
/// highlight uses.
pub fn bubble_selected(theme: &Theme, out: bool) -> Style {
    outlined(theme, out, theme.extended_palette().background.base.text)
}

/// A message's bubble with a thick outline of `color`.
fn outlined(theme: &Theme, out: bool, color: iced::Color) -> Style {
    let bubble = if out {
        bubble_out(theme)
    } else {
        bubble_in(theme)
    };
    Style {
        border: Border::default().rounded(10).width(3).color(color),
        ..bubble
    }
}
