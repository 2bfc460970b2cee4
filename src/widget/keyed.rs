//! A column whose children keep their widget state by key, wherever they move.
//!
//! iced 0.14's `keyed_column` pairs old and new children by a search that only handles an
//! insertion at the front: appending a message, or putting an older page in front of a day
//! separator, hands rows the state of other rows, and because it diffs without checking the
//! state's type, a day separator given a message's state panics ("Downcast on stateless state")
//! as soon as a message from a new day arrives. This column matches children by key and lets
//! `Tree::diff` check the type, so a moved row keeps its shaped text and a changed one is rebuilt.
//! Layout, drawing and events are iced's own column logic.

use std::collections::HashMap;
use std::hash::Hash;

use iced::advanced::layout::{self, Layout};
use iced::advanced::widget::{Operation, Tree, tree};
use iced::advanced::{Clipboard, Shell, Widget, mouse, overlay, renderer};
use iced::{Alignment, Element, Event, Length, Padding, Pixels, Rectangle, Size, Vector};

/// A vertical list of children, each with a unique key.
pub struct KeyedColumn<'a, Key, Message, Theme = iced::Theme, Renderer = iced::Renderer> {
    spacing: f32,
    padding: Padding,
    width: Length,
    height: Length,
    keys: Vec<Key>,
    children: Vec<Element<'a, Message, Theme, Renderer>>,
}

impl<'a, Key, Message, Theme, Renderer> KeyedColumn<'a, Key, Message, Theme, Renderer>
where
    Key: Copy + Eq + Hash + 'static,
    Renderer: iced::advanced::Renderer,
{
    /// An empty column with room for `capacity` children.
    pub fn with_capacity(capacity: usize) -> Self {
        KeyedColumn {
            spacing: 0.0,
            padding: Padding::ZERO,
            width: Length::Shrink,
            height: Length::Shrink,
            keys: Vec::with_capacity(capacity),
            children: Vec::with_capacity(capacity),
        }
    }

    /// The space between children.
    pub fn spacing(mut self, amount: impl Into<Pixels>) -> Self {
        self.spacing = amount.into().0;
        self
    }

    /// The space around the children.
    pub fn padding(mut self, padding: impl Into<Padding>) -> Self {
        self.padding = padding.into();
        self
    }

    /// The column's width.
    pub fn width(mut self, width: impl Into<Length>) -> Self {
        self.width = width.into();
        self
    }

    /// Adds a child under `key` (keys are unique: a repeated key gets fresh state).
    pub fn push(
        mut self,
        key: Key,
        child: impl Into<Element<'a, Message, Theme, Renderer>>,
    ) -> Self {
        let child = child.into();
        let size = child.as_widget().size_hint();
        if size.width.is_fill() {
            self.width = Length::Fill;
        }
        if size.height.is_fill() {
            self.height = Length::Fill;
        }
        self.keys.push(key);
        self.children.push(child);
        self
    }
}

/// What the column remembers between frames: the key of each child's state.
struct State<Key> {
    keys: Vec<Key>,
}

impl<Key, Message, Theme, Renderer> Widget<Message, Theme, Renderer>
    for KeyedColumn<'_, Key, Message, Theme, Renderer>
where
    Key: Copy + Eq + Hash + 'static,
    Renderer: iced::advanced::Renderer,
{
    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State<Key>>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State {
            keys: self.keys.clone(),
        })
    }

    fn children(&self) -> Vec<Tree> {
        self.children.iter().map(Tree::new).collect()
    }

    fn diff(&self, tree: &mut Tree) {
        let Tree {
            state, children, ..
        } = tree;
        let state = state.downcast_mut::<State<Key>>();
        if state.keys == self.keys && children.len() == self.children.len() {
            for (child_tree, child) in children.iter_mut().zip(&self.children) {
                child_tree.diff(child.as_widget());
            }
            return;
        }
        let mut old: HashMap<Key, Tree> = state.keys.drain(..).zip(children.drain(..)).collect();
        children.extend(self.keys.iter().zip(&self.children).map(|(key, child)| {
            match old.remove(key) {
                Some(mut kept) => {
                    kept.diff(child.as_widget());
                    kept
                }
                None => Tree::new(child.as_widget()),
            }
        }));
        state.keys.clone_from(&self.keys);
    }

    fn size(&self) -> Size<Length> {
        Size {
            width: self.width,
            height: self.height,
        }
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        let limits = limits.width(self.width).height(self.height);
        layout::flex::resolve(
            layout::flex::Axis::Vertical,
            renderer,
            &limits,
            self.width,
            self.height,
            self.padding,
            self.spacing,
            Alignment::Start,
            &mut self.children,
            &mut tree.children,
        )
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &Renderer,
        operation: &mut dyn Operation,
    ) {
        operation.container(None, layout.bounds());
        operation.traverse(&mut |operation| {
            for ((child, state), layout) in self
                .children
                .iter_mut()
                .zip(&mut tree.children)
                .zip(layout.children())
            {
                child
                    .as_widget_mut()
                    .operate(state, layout, renderer, operation);
            }
        });
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        for ((child, state), layout) in self
            .children
            .iter_mut()
            .zip(&mut tree.children)
            .zip(layout.children())
        {
            child.as_widget_mut().update(
                state, event, layout, cursor, renderer, clipboard, shell, viewport,
            );
        }
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &Renderer,
    ) -> mouse::Interaction {
        self.children
            .iter()
            .zip(&tree.children)
            .zip(layout.children())
            .map(|((child, state), layout)| {
                child
                    .as_widget()
                    .mouse_interaction(state, layout, cursor, viewport, renderer)
            })
            .max()
            .unwrap_or_default()
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        for ((child, state), layout) in self
            .children
            .iter()
            .zip(&tree.children)
            .zip(layout.children())
        {
            // Rows outside the visible part cost nothing to skip.
            if layout.bounds().intersects(viewport) {
                child
                    .as_widget()
                    .draw(state, renderer, theme, style, layout, cursor, viewport);
            }
        }
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, Renderer>> {
        overlay::from_children(
            &mut self.children,
            tree,
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

impl<'a, Key, Message, Theme, Renderer> From<KeyedColumn<'a, Key, Message, Theme, Renderer>>
    for Element<'a, Message, Theme, Renderer>
where
    Key: Copy + Eq + Hash + 'static,
    Message: 'a,
    Theme: 'a,
    Renderer: iced::advanced::Renderer + 'a,
{
    fn from(column: KeyedColumn<'a, Key, Message, Theme, Renderer>) -> Self {
        Element::new(column)
    }
}

#[cfg(test)]
mod tests {
    use iced::widget::{Id, text, text_input};

    use super::KeyedColumn;
    use crate::theme::Element;
    use crate::widget::frames::Window;

    /// Rows of two kinds, as the history has (day separators and messages): even keys are
    /// text inputs (stateful: focus), odd keys plain text.
    fn rows(keys: &[u32]) -> Element<'static, ()> {
        keys.iter()
            .fold(KeyedColumn::with_capacity(keys.len()), |column, &key| {
                let row: Element<'static, ()> = if key % 2 == 0 {
                    text_input("", &format!("input {key}"))
                        .id(Id::from(format!("row-{key}")))
                        .on_input(|_| ())
                        .into()
                } else {
                    text(format!("row {key}")).into()
                };
                column.push(key, row)
            })
            .into()
    }

    #[test]
    fn state_follows_the_key_through_appends_inserts_and_removals() {
        let mut window = Window::new();
        window.focus(rows(&[1, 2, 3, 4]), Id::from("row-4"));
        let (_, focused) = window.frame(rows(&[1, 2, 3, 4]), None, &[]);
        assert_eq!(focused, Some(Id::from("row-4")));
        // Appends of both kinds of row (this panicked in iced's keyed_column), a page in front,
        // a row in the middle, a removal: key 4's state (its focus) stays with key 4.
        for keys in [
            &[1, 2, 3, 4, 5, 6][..],
            &[7, 9, 8, 1, 2, 3, 4, 5, 6],
            &[7, 9, 8, 1, 2, 11, 3, 4, 5, 6],
            &[7, 8, 1, 2, 11, 3, 4, 6],
            &[4, 3, 2, 1],
        ] {
            let (_, focused) = window.frame(rows(keys), None, &[]);
            assert_eq!(focused, Some(Id::from("row-4")), "{keys:?}");
        }
        // Gone is gone: a new row under an old key's place does not inherit its focus.
        let (_, focused) = window.frame(rows(&[2, 3, 6]), None, &[]);
        assert_eq!(focused, None);
    }
}
