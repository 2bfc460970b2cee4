//! Tests only: a headless window that lives across frames, as the app's does. Each frame
//! rebuilds the view against the widget state the last one left (focus, scroll position, shaped
//! text), which `iced_test`'s Simulator (one build per simulator) cannot show.

use iced::advanced::clipboard;
use iced::advanced::renderer::Headless;
use iced::advanced::widget::{Id, Operation, operation};
use iced::{Event, Point, Size, mouse};
use iced_test::runtime::user_interface::{Cache, UserInterface};

use crate::theme::Element;

pub struct Window {
    renderer: iced::Renderer,
    cache: Cache,
    size: Size,
}

impl Window {
    /// A 1024×768 window with the tiny-skia renderer, as the Simulator's default.
    pub fn new() -> Window {
        let renderer = futures::executor::block_on(<iced::Renderer as Headless>::new(
            iced::Font::with_name("Fira Sans"),
            iced::Pixels(16.0),
            Some("tiny-skia"),
        ))
        .expect("a headless renderer");
        Window {
            renderer,
            cache: Cache::default(),
            size: Size::new(1024.0, 768.0),
        }
    }

    /// One frame of `view`: `events` delivered with the mouse at `cursor`; returns the messages
    /// the widgets produced and the id of the focused widget after the frame.
    pub fn frame<M>(
        &mut self,
        view: Element<'_, M>,
        cursor: Option<Point>,
        events: &[Event],
    ) -> (Vec<M>, Option<Id>) {
        let mut ui = UserInterface::build(
            view,
            self.size,
            std::mem::take(&mut self.cache),
            &mut self.renderer,
        );
        let cursor = cursor.map_or(mouse::Cursor::Unavailable, mouse::Cursor::Available);
        let mut messages = Vec::new();
        let _ = ui.update(
            events,
            cursor,
            &mut self.renderer,
            &mut clipboard::Null,
            &mut messages,
        );
        let mut find = operation::focusable::find_focused();
        ui.operate(&self.renderer, &mut operation::black_box(&mut find));
        let focused = match find.finish() {
            operation::Outcome::Some(id) => Some(id),
            _ => None,
        };
        self.cache = ui.into_cache();
        (messages, focused)
    }

    /// One frame of `view` in which the widget `id` takes the focus (as `focus` tasks do).
    pub fn focus<M>(&mut self, view: Element<'_, M>, id: Id) {
        let mut ui = UserInterface::build(
            view,
            self.size,
            std::mem::take(&mut self.cache),
            &mut self.renderer,
        );
        let mut focus = operation::focusable::focus::<()>(id);
        ui.operate(&self.renderer, &mut operation::black_box(&mut focus));
        self.cache = ui.into_cache();
    }
}
