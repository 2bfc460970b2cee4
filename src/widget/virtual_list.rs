//! A vertical list that builds only the rows on screen. Every row kind has a fixed height, so
//! where each row sits is plain arithmetic; spacers above and below keep the scroll bar true.
//! The roster (5,000 contacts) and the requests screen (bursts of hundreds) use it.

use iced::Length;
use iced::widget::scrollable::Viewport;
use iced::widget::{Column, space};

use crate::theme::Element;

/// Rows are built this far beyond the visible part, so a small scroll never shows a gap.
const MARGIN: f32 = 200.0;

/// Until the scrollable reports its size, assume a tall window: too many rows cost a little,
/// too few would leave the bottom of a short, non-scrolling list empty.
const UNKNOWN_HEIGHT: f32 = 2400.0;

/// Where a scrollable stands, as it last reported (`on_scroll`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scroll {
    offset: f32,
    height: Option<f32>,
}

impl Scroll {
    /// Takes what the scrollable reported.
    pub fn update(&mut self, viewport: Viewport) {
        self.offset = viewport.absolute_offset().y.max(0.0);
        self.height = Some(viewport.bounds().height);
    }

    /// The offset that shows the row at `top` of `height` pixels whole, when it is not shown
    /// whole now; `None` when it is (or the size is not known yet).
    pub fn reveal(self, top: f32, height: f32) -> Option<f32> {
        let visible = self.height?;
        if top < self.offset {
            Some(top)
        } else if top + height > self.offset + visible {
            Some((top + height - visible).max(0.0))
        } else {
            None
        }
    }

    /// The first and last visible pixel, clamped like the scrollable clamps its offset when the
    /// content shrinks (a filter was typed) and it did not tell us.
    fn window(self, total: f32) -> (f32, f32) {
        let height = self.height.unwrap_or(UNKNOWN_HEIGHT);
        let offset = self.offset.min((total - height).max(0.0));
        (offset - MARGIN, offset + height + MARGIN)
    }
}

/// A column of `entries` where only the rows near the visible part are built by `view`;
/// `height` gives each entry's fixed height in pixels.
pub fn column<'a, 'e, T, M: 'a>(
    entries: &'e [T],
    height: impl Fn(&T) -> f32,
    scroll: Scroll,
    mut view: impl FnMut(&'e T) -> Element<'a, M>,
) -> Element<'a, M> {
    let total: f32 = entries.iter().map(&height).sum();
    let (top, bottom) = scroll.window(total);
    let mut before = 0.0;
    let mut y = 0.0;
    let mut built = Vec::new();
    for entry in entries {
        let h = height(entry);
        if y + h <= top {
            before = y + h;
        } else if y < bottom {
            built.push(view(entry));
        } else {
            break;
        }
        y += h;
    }
    let after = (total - y).max(0.0);
    let mut column = Column::new().width(Length::Fill);
    if before > 0.0 {
        column = column.push(space().height(before));
    }
    column = column.extend(built);
    if after > 0.0 {
        column = column.push(space().height(after));
    }
    column.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_scroll_and_is_clamped_to_the_content() {
        let mut scroll = Scroll::default();
        assert_eq!(scroll.window(10_000.0), (-MARGIN, UNKNOWN_HEIGHT + MARGIN));
        scroll.offset = 5_000.0;
        scroll.height = Some(600.0);
        assert_eq!(
            scroll.window(10_000.0),
            (5_000.0 - MARGIN, 5_600.0 + MARGIN)
        );
        // The content shrank below the old offset: the list shows its end, not a gap.
        assert_eq!(scroll.window(1_000.0), (400.0 - MARGIN, 1_000.0 + MARGIN));
        assert_eq!(scroll.window(100.0), (-MARGIN, 600.0 + MARGIN));
    }
}
