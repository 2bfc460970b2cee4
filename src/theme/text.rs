//! Text styles.

use iced::Theme;
use iced::widget::text::Style;

/// Secondary information (status messages, times).
pub fn muted(theme: &Theme) -> Style {
    Style {
        color: Some(
            theme
                .extended_palette()
                .background
                .strong
                .text
                .scale_alpha(0.7),
        ),
    }
}

/// Errors in words.
pub fn error(theme: &Theme) -> Style {
    Style {
        color: Some(theme.extended_palette().danger.base.color),
    }
}

/// Success in words.
pub fn success(theme: &Theme) -> Style {
    Style {
        color: Some(theme.extended_palette().success.base.color),
    }
}

/// The presence dot's colour for a show; the shape carries the meaning too (see widget).
pub fn presence(show: crate::model::Show) -> impl Fn(&Theme) -> Style {
    use crate::model::Show;
    move |theme| {
        let p = theme.extended_palette();
        let color = match show {
            Show::Available | Show::Chat => p.success.base.color,
            Show::Away | Show::Xa => p.warning.base.color,
            Show::Dnd => p.danger.base.color,
            // As readable as secondary text: the hollow shape already says "offline".
            Show::Unavailable => p.background.strong.text.scale_alpha(0.7),
        };
        Style { color: Some(color) }
    }
}

/// Behind preformatted text in a message (a `code` span or block): grey at a fifth of its
/// strength, which darkens a light bubble and lightens a dark one alike.
pub const CODE_SHADE: iced::Color = iced::Color::from_rgba(0.5, 0.5, 0.5, 0.2);

/// The bar beside a quotation in a message: the same grey as [`CODE_SHADE`], stronger.
pub const QUOTE_SHADE: iced::Color = iced::Color::from_rgba(0.5, 0.5, 0.5, 0.75);
