//! Button styles.

use iced::widget::button::{self, Status, Style};
use iced::{Background, Border, Theme};

/// The main action of a view.
pub fn primary(theme: &Theme, status: Status) -> Style {
    button::primary(theme, status)
}

/// Secondary actions.
pub fn secondary(theme: &Theme, status: Status) -> Style {
    button::secondary(theme, status)
}

/// Destructive actions (deny, remove, block).
pub fn danger(theme: &Theme, status: Status) -> Style {
    button::danger(theme, status)
}

/// Text-like buttons (links, toggles in lists).
pub fn text(theme: &Theme, status: Status) -> Style {
    button::text(theme, status)
}

/// A roster row; `selected` shows the open conversation.
pub fn row(selected: bool) -> impl Fn(&Theme, Status) -> Style {
    row_marked(selected, false)
}

/// A list row, with a ring when the keyboard's cursor is on it (Up/Down, Enter opens it).
pub fn row_marked(selected: bool, cursor: bool) -> impl Fn(&Theme, Status) -> Style {
    move |theme, status| {
        let p = theme.extended_palette();
        let background = match (selected, status) {
            (true, _) => Some(Background::Color(p.primary.weak.color)),
            (false, Status::Hovered) => Some(Background::Color(p.background.weak.color)),
            _ => None,
        };
        let text_color = if selected {
            p.primary.weak.text
        } else {
            p.background.base.text
        };
        let border = if cursor {
            Border::default()
                .rounded(6)
                .width(2)
                .color(p.primary.strong.color)
        } else {
            Border::default().rounded(6)
        };
        Style {
            background,
            text_color,
            border,
            ..Style::default()
        }
    }
}
