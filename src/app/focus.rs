//! Where the keyboard goes: the widget that has it, asked of the window (iced keeps focus in
//! the widget tree, not in the app's state), and given back when a dialog closes.

use iced::Task;
use iced::advanced::widget::operation::{Focusable, Operation, Outcome};
use iced::widget::Id;
use iced::{Rectangle, advanced};

/// The focused widget's id, or `None` when nothing (with an id) has the keyboard.
pub(super) fn focused() -> Task<Option<Id>> {
    advanced::widget::operate(FindFocused(None))
}

/// Nothing has the keyboard any more (a dialog without a field opened over the window).
pub(super) fn unfocus<T: Send + 'static>() -> Task<T> {
    advanced::widget::operate(advanced::widget::operation::focusable::unfocus::<()>()).discard()
}

/// Like iced's `find_focused`, but answers "nowhere" too instead of not answering.
struct FindFocused(Option<Id>);

impl Operation<Option<Id>> for FindFocused {
    fn focusable(&mut self, id: Option<&Id>, _bounds: Rectangle, state: &mut dyn Focusable) {
        if state.is_focused() && id.is_some() {
            self.0 = id.cloned();
        }
    }

    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation<Option<Id>>)) {
        operate(self);
    }

    fn finish(&self) -> Outcome<Option<Id>> {
        Outcome::Some(self.0.clone())
    }
}
