//! What each shortcut does: mostly the same message a click would send, so a key and a click
//! take one path; and the keyboard put where the person will type next.

use iced::Task;
use iced::widget::operation;

use super::shortcuts::{Do, Place};
use super::{App, Message, Pane};
use crate::screen::{chat, contact, login, requests, roster, settings, status, switcher};

impl App {
    /// Does what a shortcut found in `place` says.
    pub(super) fn act(&mut self, place: Place, does: Do) -> Task<Message> {
        if let Some(selection) = selection_of(does) {
            return self.on_selection(selection);
        }
        // A shortcut that takes the keyboard elsewhere ends a selection: the arrows and
        // letters would go on acting on the message behind the field.
        if !matches!(does, Do::PageUp | Do::PageDown | Do::Help | Do::Close) {
            self.drop_selection();
        }
        let down = matches!(
            does,
            Do::RowDown | Do::ShowDown | Do::RecentDown | Do::SettingDown | Do::PageDown
        );
        match does {
            Do::Help => self.toggle_help(),
            Do::Switcher => self.open_switcher(),
            Do::NextField => operation::focus_next(),
            Do::PreviousField => operation::focus_previous(),
            Do::Quit => self.close(),
            Do::Close => self.close_something(),
            Do::Pick => self.on_switcher(switcher::Message::Submit),
            Do::RowUp | Do::RowDown => match place {
                Place::Switcher => self.on_switcher(switcher::Message::Step(down)),
                Place::Requests => self.on_requests(requests::Message::Step(down)),
                _ => self.on_roster(roster::Message::Step(down)),
            },
            Do::OpenRow => self.on_roster(roster::Message::Enter),
            Do::Previous | Do::Next => self.switch_conversation(does == Do::Next),
            Do::AddContact => self.open_add_contact(),
            Do::Requests => self.show_pane(Pane::Requests),
            Do::Settings => self.show_pane(Pane::Settings),
            Do::FilterContacts => select(roster::FILTER_INPUT),
            Do::ToggleOffline => {
                let shown = self.screen.desk().is_some_and(|d| d.roster.show_offline());
                self.on_roster(roster::Message::ShowOffline(!shown))
            }
            Do::Status => select(status::STATUS_INPUT),
            Do::ShowUp | Do::ShowDown => self.on_status(status::Message::StepShow(down)),
            Do::RecentUp | Do::RecentDown => self.on_status(status::Message::StepRecent(down)),
            // The composer's own keys, listed for the person; the selection's, taken above.
            Do::Send | Do::NewLine | Do::EditLast => Task::none(),
            Do::Search => self.open_search(),
            Do::Versions => self.on_chat(chat::Message::VersionsNewest),
            Do::Details => self.on_chat(chat::Message::Details),
            Do::RetryFailed => self.on_chat(chat::Message::RetryNewest),
            Do::OpenLink => self.on_chat(chat::Message::OpenNewestLink),
            Do::PageUp | Do::PageDown => self.on_chat(chat::Message::Page(down)),
            Do::ApproveAndAdd => self.answer(requests::Answer::ApproveAndAdd),
            Do::ApproveOnly => self.answer(requests::Answer::Approve),
            Do::Deny => self.answer(requests::Answer::Deny),
            Do::Block => self.answer(requests::Answer::Block),
            Do::Write => self.on_contact(contact::Message::Write),
            Do::TheirPresence => self.on_contact(contact::Message::TheirPresence),
            Do::Revoke => self.on_contact(contact::Message::Revoke),
            Do::Remove => self.on_contact(contact::Message::Remove),
            Do::Confirm => self.on_contact(contact::Message::Confirm),
            Do::SettingUp | Do::SettingDown => self.on_settings(settings::Message::Step(down)),
            Do::ValueLess => self.on_settings(settings::Message::Change(false)),
            Do::ValueMore => self.on_settings(settings::Message::Change(true)),
            Do::SignIn => self.on_login(login::Message::SignIn),
            Do::Test => self.on_login(login::Message::Test),
            Do::Remember => self.on_login(login::Message::ToggleRemember),
            Do::Advanced => self.on_login(login::Message::ToggleAdvanced),
            Do::Tls => self.on_login(login::Message::ToggleTls),
            Do::AllowPlain => self.on_login(login::Message::ToggleAllowPlain),
            _ => Task::none(),
        }
    }

    /// A key of the message selection; the keyboard then goes to the picker's search when
    /// the picker opened, else to the composer (which leaves the keys to the selection while
    /// there is one, and has the reply or the correction once it is made).
    fn on_selection(&mut self, selection: chat::Selection) -> Task<Message> {
        let task = self.on_chat(chat::Message::Selection(selection));
        let picker = self
            .screen
            .desk()
            .and_then(|d| d.chat.as_ref())
            .and_then(chat::State::key_place)
            == Some(chat::KeyPlace::Picker);
        let focus = if picker {
            operation::focus(chat::emoji_search_id())
        } else {
            operation::focus(chat::composer_id())
        };
        Task::batch([task, focus])
    }

    fn drop_selection(&mut self) {
        if let Some(chat) = self
            .screen
            .signed_in_mut()
            .and_then(|s| s.desk.chat.as_mut())
        {
            chat.drop_selection();
        }
    }

    fn answer(&mut self, answer: requests::Answer) -> Task<Message> {
        self.on_requests(requests::Message::Answer(answer))
    }

    /// Alt+Up/Down: the conversation before or after the open one, in the roster's order.
    fn switch_conversation(&mut self, down: bool) -> Task<Message> {
        let next = self
            .screen
            .desk()
            .and_then(|d| d.roster.next_conversation(down));
        match next {
            Some(jid) => self.open(jid),
            None => Task::none(),
        }
    }

    /// Ctrl+N: the add-contact dialog, its address field taking the keyboard.
    fn open_add_contact(&mut self) -> Task<Message> {
        let remember = self.remember_focus();
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        signed.desk.roster.open_add(None);
        remember.chain(operation::focus(roster::ADD_JID_INPUT))
    }

    /// Ctrl+F: the search bar of the open conversation.
    fn open_search(&mut self) -> Task<Message> {
        let remember = self.remember_focus();
        let Some(chat) = self
            .screen
            .signed_in_mut()
            .and_then(|s| s.desk.chat.as_mut())
        else {
            return Task::none();
        };
        chat.focus_search();
        remember.chain(operation::focus(chat::search_input_id()))
    }

    /// Esc: the innermost thing open closes (a dialog, the search bar, a pane), and the
    /// keyboard goes back to where it was, or to the conversation.
    fn close_something(&mut self) -> Task<Message> {
        if self.overlay.is_some() {
            return self.close_overlay();
        }
        let Some(signed) = self.screen.signed_in_mut() else {
            return Task::none();
        };
        let desk = &mut signed.desk;
        if desk.roster.is_adding() {
            let _ = desk.roster.update(roster::Message::CancelAdd);
            return self.give_focus_back();
        }
        // What is open under a message (its menu, the picker, the earlier versions); the
        // keyboard back in the composer, from the picker's search that had it.
        if desk.chat.as_mut().is_some_and(chat::State::close_menu) {
            return operation::focus(chat::composer_id());
        }
        if let Some(chat) = desk.chat.as_mut().filter(|c| c.is_searching()) {
            let _ = chat.update(chat::Message::SearchClose);
            return self.give_focus_back();
        }
        match desk.pane {
            Pane::Contact => self.on_contact(contact::Message::Back),
            Pane::Requests | Pane::Settings => {
                desk.pane = Pane::Chat;
                signed.focus_composer()
            }
            Pane::Chat => Task::none(),
        }
    }
}

/// What a key of the message selection does, for the conversation.
fn selection_of(does: Do) -> Option<chat::Selection> {
    use chat::{Act, Selection};
    Some(match does {
        Do::SelectOlder | Do::StepOlder => Selection::Older,
        Do::SelectNewer | Do::StepNewer => Selection::Newer,
        Do::ReplyTheirs => Selection::ReplyTheirs,
        Do::Reply => Selection::Act(Act::Reply),
        Do::EditSelected => Selection::Act(Act::Edit),
        Do::DeleteSelected => Selection::Act(Act::Delete),
        Do::React => Selection::Act(Act::React),
        Do::Copy => Selection::Act(Act::Copy),
        Do::VersionsSelected => Selection::Act(Act::Versions),
        Do::Menu => Selection::Act(Act::Menu),
        Do::Back => Selection::Back,
        Do::MenuPrevious => Selection::MenuStep(false),
        Do::MenuNext => Selection::MenuStep(true),
        Do::MenuChoose => Selection::MenuChoose,
        Do::ConfirmDelete => Selection::ConfirmDelete,
        Do::EmojiPrevious => Selection::EmojiStep(false),
        Do::EmojiNext => Selection::EmojiStep(true),
        Do::EmojiPick => Selection::PickEmoji,
        _ => return None,
    })
}

/// The field `id` takes the keyboard with its text selected, to type over or go on.
fn select(id: &'static str) -> Task<Message> {
    Task::batch([operation::focus(id), operation::select_all(id)])
}
