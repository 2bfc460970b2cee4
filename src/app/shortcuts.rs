//! Every keyboard shortcut, in one table: the key handling looks keys up in it, the help overlay
//! (F1) shows it, and a test holds the README's keyboard section to it.

use iced::keyboard::{self, key::Named};

use crate::screen::help;

/// Where a shortcut works. A key is looked up in the places that apply, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// The sign-in form.
    SignIn,
    /// Anywhere in the signed-in window.
    Window,
    /// The open conversation.
    Conversation,
    /// The contact list: its filter field, or nothing focused beside a conversation.
    Contacts,
    /// The own status message field.
    Status,
    /// The requests pane.
    Requests,
    /// A contact's details.
    Details,
    /// The settings pane.
    Settings,
    /// The quick switcher (Ctrl+K).
    Switcher,
    /// The help overlay.
    Help,
    /// A message selected with the keyboard (Ctrl+Up).
    Message,
    /// The menu of the selected message, opened with the keyboard.
    MessageMenu,
    /// "Delete for everyone?" under the selected message.
    Confirm,
    /// The emoji picker under the selected message.
    Picker,
}

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Do {
    Help,
    Switcher,
    Previous,
    Next,
    AddContact,
    Requests,
    Settings,
    FilterContacts,
    ToggleOffline,
    Status,
    Quit,
    NextField,
    PreviousField,
    Close,
    Send,
    NewLine,
    EditLast,
    Versions,
    Search,
    Details,
    RetryFailed,
    OpenLink,
    PageUp,
    PageDown,
    RowUp,
    RowDown,
    OpenRow,
    ShowUp,
    ShowDown,
    RecentUp,
    RecentDown,
    ApproveAndAdd,
    ApproveOnly,
    Deny,
    Block,
    Write,
    TheirPresence,
    Revoke,
    Remove,
    Confirm,
    SettingUp,
    SettingDown,
    ValueLess,
    ValueMore,
    SignIn,
    Test,
    Remember,
    Advanced,
    Tls,
    AllowPlain,
    Pick,
    SelectOlder,
    SelectNewer,
    ReplyTheirs,
    StepOlder,
    StepNewer,
    Reply,
    EditSelected,
    DeleteSelected,
    React,
    Copy,
    VersionsSelected,
    Menu,
    Back,
    MenuPrevious,
    MenuNext,
    MenuChoose,
    ConfirmDelete,
    EmojiPrevious,
    EmojiNext,
    EmojiPick,
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    key: Key,
    ctrl: bool,
    shift: bool,
    alt: bool,
}

/// The keys shortcuts use. Letters are lower case, as the keyboard reports them unshifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Char(char),
    F1,
    F10,
    /// The context menu key (beside the right Ctrl).
    ContextMenu,
    Up,
    Down,
    Left,
    Right,
    Enter,
    Escape,
    Delete,
    PageUp,
    PageDown,
    Tab,
}

impl Chord {
    /// The chord of a key press; `None` for keys no shortcut uses.
    pub(super) fn of(key: &keyboard::Key, modifiers: keyboard::Modifiers) -> Option<Chord> {
        let key = match key.as_ref() {
            keyboard::Key::Character(c) => {
                let mut chars = c.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Key::Char(c.to_ascii_lowercase()),
                    _ => return None,
                }
            }
            keyboard::Key::Named(named) => match named {
                Named::F1 => Key::F1,
                Named::F10 => Key::F10,
                Named::ContextMenu => Key::ContextMenu,
                Named::ArrowUp => Key::Up,
                Named::ArrowDown => Key::Down,
                Named::ArrowLeft => Key::Left,
                Named::ArrowRight => Key::Right,
                Named::Enter => Key::Enter,
                Named::Escape => Key::Escape,
                Named::Delete => Key::Delete,
                Named::PageUp => Key::PageUp,
                Named::PageDown => Key::PageDown,
                Named::Tab => Key::Tab,
                _ => return None,
            },
            keyboard::Key::Unidentified => return None,
        };
        Some(Chord {
            key,
            ctrl: modifiers.control(),
            shift: modifiers.shift(),
            alt: modifiers.alt(),
        })
    }

    /// The chord of a key press, where a sign typed with Shift counts as the sign: "+" is
    /// Shift+= on some keyboards and a key of its own on others, and the person reads "+".
    pub(super) fn pressed(
        key: &keyboard::Key,
        modified: &keyboard::Key,
        modifiers: keyboard::Modifiers,
    ) -> Option<Chord> {
        if let keyboard::Key::Character(sign) = modified.as_ref()
            && modifiers.shift()
            && modified != key
            && let [c] = sign.chars().collect::<Vec<_>>()[..]
            && c.is_ascii_punctuation()
        {
            return Some(Chord {
                key: Key::Char(c),
                ctrl: modifiers.control(),
                shift: false,
                alt: modifiers.alt(),
            });
        }
        Chord::of(key, modifiers)
    }

    /// A key without Ctrl or Alt that a focused field may use itself (arrows, Enter, Delete,
    /// Page Up/Down): it is a shortcut only where the field leaves it alone.
    pub(super) fn is_plain_navigation(self) -> bool {
        !self.ctrl
            && !self.alt
            && matches!(
                self.key,
                Key::Up
                    | Key::Down
                    | Key::Left
                    | Key::Right
                    | Key::Enter
                    | Key::Delete
                    | Key::PageUp
                    | Key::PageDown
            )
    }
}

/// One shortcut.
pub(super) struct Shortcut {
    pub(super) place: Place,
    pub(super) keys: &'static [Chord],
    pub(super) does: Do,
}

const fn plain(key: Key) -> Chord {
    Chord {
        key,
        ctrl: false,
        shift: false,
        alt: false,
    }
}

const fn ctrl(key: Key) -> Chord {
    Chord {
        ctrl: true,
        ..plain(key)
    }
}

const fn ctrl_shift(key: Key) -> Chord {
    Chord {
        shift: true,
        ..ctrl(key)
    }
}

const fn shift(key: Key) -> Chord {
    Chord {
        shift: true,
        ..plain(key)
    }
}

const fn alt(key: Key) -> Chord {
    Chord {
        alt: true,
        ..plain(key)
    }
}

const fn s(place: Place, keys: &'static [Chord], does: Do) -> Shortcut {
    Shortcut { place, keys, does }
}

use Key::Char as C;
use Place::*;

/// Every shortcut, in the order the help overlay lists them.
pub(super) const TABLE: &[Shortcut] = &[
    s(SignIn, &[plain(Key::Enter)], Do::SignIn),
    s(SignIn, &[ctrl(C('t'))], Do::Test),
    s(SignIn, &[ctrl(C('r'))], Do::Remember),
    s(SignIn, &[ctrl(C('d'))], Do::Advanced),
    s(SignIn, &[ctrl(C('l'))], Do::Tls),
    s(SignIn, &[ctrl(C('p'))], Do::AllowPlain),
    s(Window, &[plain(Key::F1), ctrl(C('/'))], Do::Help),
    s(Window, &[ctrl(C('k'))], Do::Switcher),
    s(Window, &[alt(Key::Up)], Do::Previous),
    s(Window, &[alt(Key::Down)], Do::Next),
    s(Window, &[ctrl(C('n'))], Do::AddContact),
    s(Window, &[ctrl(C('r'))], Do::Requests),
    s(Window, &[ctrl(C(','))], Do::Settings),
    s(Window, &[ctrl_shift(C('f'))], Do::FilterContacts),
    s(Window, &[ctrl(C('h'))], Do::ToggleOffline),
    s(Window, &[ctrl_shift(C('s'))], Do::Status),
    s(Window, &[plain(Key::Tab)], Do::NextField),
    s(Window, &[shift(Key::Tab)], Do::PreviousField),
    s(Window, &[plain(Key::Escape)], Do::Close),
    s(Window, &[ctrl(C('q'))], Do::Quit),
    s(Conversation, &[plain(Key::Enter)], Do::Send),
    s(Conversation, &[shift(Key::Enter)], Do::NewLine),
    s(Conversation, &[plain(Key::Up)], Do::EditLast),
    s(Conversation, &[ctrl(C('e'))], Do::Versions),
    s(Conversation, &[ctrl(C('f'))], Do::Search),
    s(Conversation, &[ctrl(C('i'))], Do::Details),
    s(Conversation, &[ctrl_shift(C('r'))], Do::RetryFailed),
    s(Conversation, &[ctrl(C('o'))], Do::OpenLink),
    s(Conversation, &[plain(Key::PageUp)], Do::PageUp),
    s(Conversation, &[plain(Key::PageDown)], Do::PageDown),
    s(Contacts, &[plain(Key::Up)], Do::RowUp),
    s(Contacts, &[plain(Key::Down)], Do::RowDown),
    s(Contacts, &[plain(Key::Enter)], Do::OpenRow),
    s(Status, &[plain(Key::Up)], Do::ShowUp),
    s(Status, &[plain(Key::Down)], Do::ShowDown),
    s(Status, &[plain(Key::PageUp)], Do::RecentUp),
    s(Status, &[plain(Key::PageDown)], Do::RecentDown),
    s(Requests, &[plain(Key::Up)], Do::RowUp),
    s(Requests, &[plain(Key::Down)], Do::RowDown),
    s(Requests, &[plain(Key::Enter)], Do::ApproveAndAdd),
    s(Requests, &[shift(Key::Enter)], Do::ApproveOnly),
    s(Requests, &[plain(Key::Delete)], Do::Deny),
    s(Requests, &[ctrl(C('b'))], Do::Block),
    s(Details, &[plain(Key::Enter)], Do::Write),
    s(Details, &[ctrl_shift(C('p'))], Do::TheirPresence),
    s(Details, &[ctrl_shift(C('m'))], Do::Revoke),
    s(Details, &[ctrl(Key::Delete)], Do::Remove),
    s(Details, &[ctrl(Key::Enter)], Do::Confirm),
    s(Settings, &[plain(Key::Up)], Do::SettingUp),
    s(Settings, &[plain(Key::Down)], Do::SettingDown),
    s(Settings, &[plain(Key::Left)], Do::ValueLess),
    s(Settings, &[plain(Key::Right)], Do::ValueMore),
    s(Switcher, &[plain(Key::Up)], Do::RowUp),
    s(Switcher, &[plain(Key::Down)], Do::RowDown),
    s(Switcher, &[plain(Key::Enter)], Do::Pick),
    s(Switcher, &[plain(Key::Escape)], Do::Close),
    s(Help, &[plain(Key::Escape), plain(Key::F1)], Do::Close),
    // The selection: Ctrl+Up reaches back into the history as in Telegram (plain Up already
    // edits the last message, as in Slack and Discord); Ctrl+Shift+Up is the same reach with
    // the reply made at once. On a selected message, the single keys Discord and Slack use
    // for a focused message: R reply, E edit, Delete, + react, C copy; Enter replies, as
    // it sends in the composer; Shift+F10 and the Menu key open a menu everywhere.
    s(Conversation, &[ctrl(Key::Up)], Do::SelectOlder),
    s(Conversation, &[ctrl(Key::Down)], Do::SelectNewer),
    s(Conversation, &[ctrl_shift(Key::Up)], Do::ReplyTheirs),
    s(Message, &[plain(Key::Up)], Do::StepOlder),
    s(Message, &[plain(Key::Down)], Do::StepNewer),
    s(Message, &[plain(C('r')), plain(Key::Enter)], Do::Reply),
    s(Message, &[plain(C('e'))], Do::EditSelected),
    s(Message, &[plain(Key::Delete)], Do::DeleteSelected),
    s(Message, &[plain(C('+')), ctrl(C(';'))], Do::React),
    s(Message, &[plain(C('c')), ctrl(C('c'))], Do::Copy),
    s(Message, &[plain(C('v'))], Do::VersionsSelected),
    s(
        Message,
        &[shift(Key::F10), plain(Key::ContextMenu)],
        Do::Menu,
    ),
    s(Message, &[plain(Key::Escape)], Do::Back),
    s(
        MessageMenu,
        &[plain(Key::Up), plain(Key::Left)],
        Do::MenuPrevious,
    ),
    s(
        MessageMenu,
        &[plain(Key::Down), plain(Key::Right)],
        Do::MenuNext,
    ),
    s(MessageMenu, &[plain(Key::Enter)], Do::MenuChoose),
    s(
        Confirm,
        &[plain(Key::Enter), ctrl(Key::Enter)],
        Do::ConfirmDelete,
    ),
    s(Picker, &[plain(Key::Up)], Do::EmojiPrevious),
    s(Picker, &[plain(Key::Down)], Do::EmojiNext),
    s(Picker, &[plain(Key::Enter)], Do::EmojiPick),
];

/// What `chord` does in the first of `places` that has it, and that place.
pub(super) fn find(chord: Chord, places: &[Place]) -> Option<(Place, Do)> {
    places.iter().find_map(|place| {
        TABLE
            .iter()
            .find(|s| s.place == *place && s.keys.contains(&chord))
            .map(|s| (s.place, s.does))
    })
}

/// The chord as printed on keys, in the person's language ("Ctrl+Shift+F", "Strg+K").
pub(super) fn label(chord: Chord) -> String {
    let mut parts = Vec::new();
    if chord.ctrl {
        parts.push(crate::fl!("key-ctrl"));
    }
    if chord.alt {
        parts.push(crate::fl!("key-alt"));
    }
    if chord.shift {
        parts.push(crate::fl!("key-shift"));
    }
    parts.push(match chord.key {
        Key::Char(c) => c.to_uppercase().collect(),
        Key::F1 => "F1".to_owned(),
        Key::F10 => crate::fl!("key-f10"),
        Key::ContextMenu => crate::fl!("key-menu"),
        Key::Up => crate::fl!("key-up"),
        Key::Down => crate::fl!("key-down"),
        Key::Left => crate::fl!("key-left"),
        Key::Right => crate::fl!("key-right"),
        Key::Enter => crate::fl!("key-enter"),
        Key::Escape => crate::fl!("key-escape"),
        Key::Delete => crate::fl!("key-delete"),
        Key::PageUp => crate::fl!("key-page-up"),
        Key::PageDown => crate::fl!("key-page-down"),
        Key::Tab => crate::fl!("key-tab"),
    });
    parts.join("+")
}

/// The heading of a place in the help overlay.
fn heading(place: Place) -> String {
    match place {
        SignIn => crate::fl!("keys-place-sign-in"),
        Window => crate::fl!("keys-place-window"),
        Conversation => crate::fl!("keys-place-conversation"),
        Contacts => crate::fl!("keys-place-contacts"),
        Status => crate::fl!("keys-place-status"),
        Requests => crate::fl!("keys-place-requests"),
        Details => crate::fl!("keys-place-details"),
        Settings => crate::fl!("keys-place-settings"),
        Switcher => crate::fl!("keys-place-switcher"),
        Help => crate::fl!("keys-place-help"),
        Message => crate::fl!("keys-place-message"),
        MessageMenu => crate::fl!("keys-place-message-menu"),
        Confirm => crate::fl!("keys-place-confirm"),
        Picker => crate::fl!("keys-place-picker"),
    }
}

/// What a shortcut does, in words.
fn words(does: Do) -> String {
    match does {
        Do::Help => crate::fl!("keys-help"),
        Do::Switcher => crate::fl!("keys-switcher"),
        Do::Previous => crate::fl!("keys-previous"),
        Do::Next => crate::fl!("keys-next"),
        Do::AddContact => crate::fl!("keys-add-contact"),
        Do::Requests => crate::fl!("keys-requests"),
        Do::Settings => crate::fl!("keys-settings"),
        Do::FilterContacts => crate::fl!("keys-filter"),
        Do::ToggleOffline => crate::fl!("keys-offline"),
        Do::Status => crate::fl!("keys-status"),
        Do::Quit => crate::fl!("keys-quit"),
        Do::NextField => crate::fl!("keys-next-field"),
        Do::PreviousField => crate::fl!("keys-previous-field"),
        Do::Close => crate::fl!("keys-close"),
        Do::Send => crate::fl!("keys-send"),
        Do::NewLine => crate::fl!("keys-new-line"),
        Do::EditLast => crate::fl!("keys-edit-last"),
        Do::Versions => crate::fl!("keys-versions"),
        Do::Search => crate::fl!("keys-search"),
        Do::Details => crate::fl!("keys-details"),
        Do::RetryFailed => crate::fl!("keys-retry"),
        Do::OpenLink => crate::fl!("keys-open-link"),
        Do::PageUp => crate::fl!("keys-page-up"),
        Do::PageDown => crate::fl!("keys-page-down"),
        Do::RowUp => crate::fl!("keys-row-up"),
        Do::RowDown => crate::fl!("keys-row-down"),
        Do::OpenRow => crate::fl!("keys-open-row"),
        Do::ShowUp => crate::fl!("keys-show-up"),
        Do::ShowDown => crate::fl!("keys-show-down"),
        Do::RecentUp => crate::fl!("keys-recent-up"),
        Do::RecentDown => crate::fl!("keys-recent-down"),
        Do::ApproveAndAdd => crate::fl!("keys-approve-add"),
        Do::ApproveOnly => crate::fl!("keys-approve"),
        Do::Deny => crate::fl!("keys-deny"),
        Do::Block => crate::fl!("keys-block"),
        Do::Write => crate::fl!("keys-write"),
        Do::TheirPresence => crate::fl!("keys-their-presence"),
        Do::Revoke => crate::fl!("keys-revoke"),
        Do::Remove => crate::fl!("keys-remove"),
        Do::Confirm => crate::fl!("keys-confirm"),
        Do::SettingUp => crate::fl!("keys-setting-up"),
        Do::SettingDown => crate::fl!("keys-setting-down"),
        Do::ValueLess => crate::fl!("keys-value-less"),
        Do::ValueMore => crate::fl!("keys-value-more"),
        Do::SignIn => crate::fl!("keys-sign-in"),
        Do::Test => crate::fl!("keys-test"),
        Do::Remember => crate::fl!("keys-remember"),
        Do::Advanced => crate::fl!("keys-advanced"),
        Do::Tls => crate::fl!("keys-tls"),
        Do::AllowPlain => crate::fl!("keys-allow-plain"),
        Do::Pick => crate::fl!("keys-pick"),
        Do::SelectOlder => crate::fl!("keys-select-older"),
        Do::SelectNewer => crate::fl!("keys-select-newer"),
        Do::ReplyTheirs => crate::fl!("keys-reply-theirs"),
        Do::StepOlder => crate::fl!("keys-step-older"),
        Do::StepNewer => crate::fl!("keys-step-newer"),
        Do::Reply => crate::fl!("keys-reply"),
        Do::EditSelected => crate::fl!("keys-edit-selected"),
        Do::DeleteSelected => crate::fl!("keys-delete-selected"),
        Do::React => crate::fl!("keys-react"),
        Do::Copy => crate::fl!("keys-copy"),
        Do::VersionsSelected => crate::fl!("keys-versions-selected"),
        Do::Menu => crate::fl!("keys-menu"),
        Do::Back => crate::fl!("keys-back"),
        Do::MenuPrevious => crate::fl!("keys-menu-previous"),
        Do::MenuNext => crate::fl!("keys-menu-next"),
        Do::MenuChoose => crate::fl!("keys-menu-choose"),
        Do::ConfirmDelete => crate::fl!("keys-confirm-delete"),
        Do::EmojiPrevious => crate::fl!("keys-emoji-previous"),
        Do::EmojiNext => crate::fl!("keys-emoji-next"),
        Do::EmojiPick => crate::fl!("keys-emoji-pick"),
    }
}

/// The table as the help overlay shows it: one section per place, in the table's order.
pub(super) fn sections() -> Vec<help::Section> {
    let mut sections: Vec<(Place, help::Section)> = Vec::new();
    for shortcut in TABLE {
        let keys = shortcut
            .keys
            .iter()
            .map(|c| label(*c))
            .collect::<Vec<_>>()
            .join(", ");
        let line = (keys, words(shortcut.does));
        match sections.iter_mut().find(|(p, _)| *p == shortcut.place) {
            Some((_, section)) => section.lines.push(line),
            None => sections.push((
                shortcut.place,
                help::Section {
                    title: heading(shortcut.place),
                    lines: vec![line],
                },
            )),
        }
    }
    sections.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_means_one_thing_in_each_place() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                let shared = a.keys.iter().any(|k| b.keys.contains(k));
                assert!(
                    !(a.place == b.place && shared),
                    "{:?} and {:?} share a key in {:?}",
                    a.does,
                    b.does,
                    a.place
                );
            }
        }
    }

    #[test]
    fn the_place_nearest_the_focus_wins() {
        let down = plain(Key::Down);
        assert_eq!(
            find(down, &[Status, Contacts, Window]),
            Some((Status, Do::ShowDown))
        );
        assert_eq!(
            find(down, &[Contacts, Window]),
            Some((Contacts, Do::RowDown))
        );
        assert_eq!(
            find(ctrl(C('k')), &[Contacts, Window]),
            Some((Window, Do::Switcher))
        );
        assert_eq!(find(ctrl(C('k')), &[Help]), None);
    }

    /// The README's "Use it" section lists every shortcut by its English keys.
    #[test]
    fn the_readme_lists_every_shortcut() {
        let readme = include_str!("../../README.md");
        let keyboard = readme
            .split("### Keyboard")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .expect("the README has a \"### Keyboard\" section");
        let missing: Vec<String> = crate::i18n::testing::in_language("en", || {
            TABLE
                .iter()
                .flat_map(|s| s.keys.iter())
                .map(|c| label(*c))
                .filter(|l| !keyboard.contains(&format!("`{l}`")))
                .collect()
        });
        assert!(missing.is_empty(), "the README does not list {missing:?}");
    }
}
