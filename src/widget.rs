//! Stateless view helpers shared by the screens.

use iced::widget::{container, text};

#[cfg(test)]
pub(crate) mod frames;
pub mod keyed;
pub mod virtual_list;

pub use keyed::KeyedColumn;

/// Names from the network are made safe by the model's rules, the same as on the terminal.
pub use crate::model::text::{look_alike, safe_name};

use crate::model::{RosterItem, Show, Subscription};
use crate::theme::{self, Element};

/// The symbol of a show: each has its own shape, so presence never relies on colour alone.
pub fn presence_symbol(show: Show) -> &'static str {
    match show {
        Show::Available => "●",
        Show::Chat => "◆",
        Show::Away => "◐",
        Show::Xa => "◌",
        Show::Dnd => "⊘",
        Show::Unavailable => "○",
    }
}

/// A presence indicator: the show's symbol in the show's colour, centred in a fixed width so
/// the names beside the symbols line up whatever the symbols' own widths.
pub fn presence<'a, M: 'a>(show: Show) -> Element<'a, M> {
    let symbol = presence_symbol(show);
    text(symbol)
        .size(14)
        .width(16)
        .align_x(iced::Alignment::Center)
        .style(theme::text::presence(show))
        .into()
}

/// A count badge; nothing for zero.
pub fn badge<'a, M: 'a>(count: usize) -> Option<Element<'a, M>> {
    (count > 0).then(|| {
        let label = if count > 99 {
            "99+".to_owned()
        } else {
            count.to_string()
        };
        container(text(label).size(11))
            .padding([1, 6])
            .style(theme::container::badge)
            .into()
    })
}

/// The subscription mark of a contact: a short symbol that does not rely on colour and the
/// sentence explaining it.
pub fn subscription_mark(item: &RosterItem) -> (&'static str, String) {
    let (symbol, words) = match (item.subscription, item.ask) {
        (Subscription::Both, _) => ("⇄", crate::fl!("roster-sub-both")),
        (Subscription::To, _) => ("←", crate::fl!("roster-sub-to")),
        (Subscription::From, false) => ("→", crate::fl!("roster-sub-from")),
        (Subscription::From, true) => ("→…", crate::fl!("roster-sub-from-ask")),
        (Subscription::None, false) => ("∅", crate::fl!("roster-sub-none")),
        (Subscription::None, true) => ("…", crate::fl!("roster-sub-ask")),
    };
    (symbol, words)
}

/// Initials of a name or address, for the avatar circle.
pub fn initials(name: &str) -> String {
    let mut out: String = name
        .split(|c: char| c.is_whitespace() || c == '@' || c == '.')
        .filter(|w| !w.is_empty())
        .take(2)
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if out.is_empty() {
        out.push('?');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_are_the_first_letters_of_two_words() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("bob@example.org"), "BE");
        assert_eq!(initials(""), "?");
    }
}
