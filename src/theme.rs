//! Colours and widget styles. Views name a style function (`theme::button::primary`); no
//! colour is written inline anywhere else.

pub mod button;
pub mod container;
pub mod text;

use iced::Theme;
use iced::theme::Palette;

/// The element type every view returns.
pub type Element<'a, M> = iced::Element<'a, M, Theme, iced::Renderer>;

/// Light or dark, following the desktop unless the person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Light.
    #[default]
    Light,
    /// Dark.
    Dark,
}

/// The application theme for `mode`.
pub fn theme(mode: Mode) -> Theme {
    match mode {
        Mode::Light => Theme::custom(
            "Natter Light",
            Palette {
                background: iced::color!(0xfbfbfd),
                text: iced::color!(0x1d1f24),
                primary: iced::color!(0x2f6fde),
                success: iced::color!(0x2e9d5b),
                warning: iced::color!(0xc98a12),
                danger: iced::color!(0xd1423f),
            },
        ),
        Mode::Dark => Theme::custom(
            "Natter Dark",
            Palette {
                background: iced::color!(0x1b1d22),
                text: iced::color!(0xe8e9ec),
                primary: iced::color!(0x5b93f0),
                success: iced::color!(0x46b877),
                warning: iced::color!(0xe0a43a),
                danger: iced::color!(0xe8625f),
            },
        ),
    }
}
