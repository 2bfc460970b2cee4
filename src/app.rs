//! The application: state, the top `Message`, update, view and subscriptions. The one place
//! that turns session events into screen changes and screen actions into commands and reads.
//!
//! The window is one of a few screens (`state::Screen`: booting, fatal error, sign-in, signed in,
//! quitting), each holding only what it shows; [`application`] is the window as iced runs it.

mod boot;
mod conversation;
mod error;
mod events;
mod focus;
mod inspect;
mod io;
mod keyboard;
mod keys;
mod launch;
mod links;
mod notifier;
mod overlay;
mod quotes;
mod screens;
mod shortcuts;
mod state;
mod view;

#[cfg(test)]
mod tests;

pub use error::AppError;
pub use keys::Press;
pub use launch::{LaunchError, application, open};
pub use state::{Connection, Pane};

use std::time::{Duration, Instant};

use iced::{Subscription, Task, window};

use crate::model::{Account, BareJid, ChatMessage, MessageId, Millis};
use crate::screen::{chat, contact, help, login, requests, roster, settings, status, switcher};
use crate::session::{self, Command};
use crate::store::{Preferences, Store};
use crate::theme;
use notifier::Notifier;
use state::{Overlay, Screen};

/// Messages per history page.
pub const PAGE: usize = 50;

/// What boot found on disk.
#[derive(Debug, Clone)]
pub struct Boot {
    store: Store,
    account: Option<Account>,
    password: Option<String>,
    keyring: bool,
    known: Box<io::Known>,
    prefs: Preferences,
    /// The session, when the boot started it (the window's launch).
    early: Option<session::Early>,
}

/// The application state: what the window shows, and what belongs to the window whatever it
/// shows.
pub struct App {
    screen: Screen,
    /// Bumped at each sign-in; a session's updates carry the generation they belong to.
    generation: session::Generation,
    focused: bool,
    mode: theme::Mode,
    last_input: Instant,
    notifier: Notifier,
    /// Help or the quick switcher, over the window.
    overlay: Option<Overlay>,
    /// The widget that had the keyboard when a dialog opened, to have it back when it closes.
    return_focus: Option<iced::widget::Id>,
    /// What the quick switcher held when Enter opened a conversation from it.
    switched_with: Option<String>,
}

/// Everything that happens to the application.
#[derive(Debug, Clone)]
pub enum Message {
    /// Boot finished (or failed).
    Booted(Result<Boot, AppError>),
    /// Sign-in screen input.
    Login(login::Message),
    /// Roster input.
    Roster(roster::Message),
    /// Conversation input.
    Chat(chat::Message),
    /// Requests input.
    Requests(requests::Message),
    /// Contact details input.
    Contact(contact::Message),
    /// Own status input.
    Status(status::Message),
    /// Settings input.
    Settings(settings::Message),
    /// Show the settings pane.
    ShowSettings,
    /// The session.
    Session(session::Update),
    /// A page of history from the store (`older`: prepend).
    History {
        /// Conversation.
        peer: BareJid,
        /// Oldest first.
        page: Vec<ChatMessage>,
    },
    /// Search results from the store.
    Found {
        /// Conversation.
        peer: BareJid,
        /// Matches.
        results: Vec<ChatMessage>,
    },
    /// The earlier versions of a message, from the store (oldest first).
    Versions {
        /// Conversation.
        peer: BareJid,
        /// The message's stored id.
        local_id: i64,
        /// When each was written, and its text.
        versions: Vec<(Millis, String)>,
    },
    /// What the store found of the message a reply quotes.
    Quoted {
        /// Conversation.
        peer: BareJid,
        /// The reply's stored id.
        reply: i64,
        /// The message with the pages back to it, or why not.
        found: chat::Quoted,
    },
    /// A message queued while no session runs.
    Queued(ChatMessage),
    /// A message could not be queued while no session runs.
    NotQueued {
        /// The id it was given.
        id: MessageId,
        /// Why.
        error: AppError,
    },
    /// "Test connection" finished.
    Tested(login::TestResult),
    /// A store, keyring or desktop operation failed.
    Failed(AppError),
    /// A key was pressed.
    Key(Press),
    /// A navigation key (arrows, Enter…), with the widget that had the keyboard.
    Nav(shortcuts::Chord, Option<iced::widget::Id>),
    /// The widget that had the keyboard when a dialog opened.
    FocusWas(Option<iced::widget::Id>),
    /// Help overlay input.
    Help(help::Message),
    /// Quick switcher input.
    Switcher(switcher::Message),
    /// Any input (for auto-away).
    Input,
    /// Window focus changed.
    Focus(bool),
    /// The window is asked to close (or SIGTERM): go offline cleanly first.
    CloseRequested,
    /// Give up waiting for a clean close.
    ForceExit,
    /// Once a second while something counts down, and for auto-away.
    Tick,
    /// The desktop switched light/dark.
    ThemeChanged(iced::theme::Mode),
    /// Show the requests pane.
    ShowRequests,
    /// A notification was clicked: open that conversation.
    NotificationClicked(Option<BareJid>),
    /// Retry connecting now.
    RetryNow,
    /// A later launch handed over its link (or none): show the window.
    Launched(crate::instance::Launch),
    /// Nothing to do.
    Noop,
}

impl Message {
    /// The message a background write answers with: nothing, or what failed.
    fn done(result: Result<(), AppError>) -> Message {
        result.map_or_else(Message::Failed, |()| Message::Noop)
    }
}

impl App {
    /// The window title, with the unread count.
    pub fn title(&self) -> String {
        let unread: usize = self
            .screen
            .desk()
            .map_or(0, |d| d.unread.values().sum::<usize>());
        if unread > 0 {
            crate::fl!("app-title-unread", count = unread)
        } else {
            crate::fl!("app-title")
        }
    }

    /// The theme, following the desktop.
    pub fn theme(&self) -> iced::Theme {
        theme::theme(self.mode)
    }

    /// Session, keyboard, window, signals and timers.
    pub fn subscription(&self) -> Subscription<Message> {
        let mut subs = vec![
            iced::event::listen_with(|event, status, _id| match event {
                iced::Event::Keyboard(key) => keys::press(&key, status),
                iced::Event::Window(window::Event::Focused) => Some(Message::Focus(true)),
                iced::Event::Window(window::Event::Unfocused) => Some(Message::Focus(false)),
                iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_)) => Some(Message::Input),
                _ => None,
            }),
            window::close_requests().map(|_| Message::CloseRequested),
            iced::system::theme_changes().map(Message::ThemeChanged),
            Subscription::run(launch::sigterm),
            links::launches(),
        ];
        // The first frame's time for the benchmarks; redraws make no message.
        if !crate::timing::first_frame_seen() {
            subs.push(iced::event::listen_raw(|event, _, _| {
                if let iced::Event::Window(window::Event::RedrawRequested(at)) = event {
                    crate::timing::frame(at);
                }
                None
            }));
        }
        if let Some(signed) = self.screen.signed_in() {
            let session = &signed.session;
            subs.push(session::subscription(session.key.clone()).map(Message::Session));
            let every = if matches!(session.connection, Connection::Retrying { .. }) {
                Duration::from_secs(1)
            } else {
                Duration::from_secs(30)
            };
            subs.push(iced::time::every(every).map(|_| Message::Tick));
            // The composer turns "composing" into "paused" a few seconds after typing stops,
            // and the mark on a message a quote led to fades.
            if signed
                .desk
                .chat
                .as_ref()
                .is_some_and(|c| c.is_composing() || c.is_highlighting())
            {
                subs.push(
                    iced::time::every(Duration::from_secs(2))
                        .map(|_| Message::Chat(chat::Message::Tick)),
                );
            }
        }
        Subscription::batch(subs)
    }

    /// Handles one message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.handle_message(message);
        if let Some(signed) = self.screen.signed_in_mut() {
            let label = view::connection_label(&signed.session.connection)
                .unwrap_or_else(|| crate::fl!("app-conn-online"));
            signed.desk.status.set_connection(label);
        }
        task
    }

    fn handle_message(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Booted(result) => self.booted(result),
            Message::Login(m) => self.on_login(m),
            Message::Roster(m) => self.on_roster(m),
            Message::Chat(m) => self.on_chat(m),
            Message::Requests(m) => self.on_requests(m),
            Message::Contact(m) => self.on_contact(m),
            Message::Status(m) => self.on_status(m),
            Message::Settings(m) => self.on_settings(m),
            Message::Session(update) => self.on_session(update),
            Message::History { peer, page } => self.on_history(&peer, page),
            Message::Found { peer, results } => self.on_found(&peer, results),
            Message::Versions {
                peer,
                local_id,
                versions,
            } => self.on_versions(&peer, local_id, versions),
            Message::Quoted { peer, reply, found } => self.on_quoted(&peer, reply, found),
            Message::Queued(msg) => self.on_queued(msg),
            Message::NotQueued { id, error } => self.on_not_queued(&id, error),
            Message::Tested(result) => self.on_tested(result),
            Message::Failed(error) => self.show_error(error),
            Message::Key(press) => self.on_key(press),
            Message::Nav(chord, focused) => self.on_nav(chord, focused),
            Message::FocusWas(focused) => {
                self.return_focus = focused;
                Task::none()
            }
            Message::Help(help::Message::Close) => self.close_overlay(),
            Message::Switcher(m) => self.on_switcher(m),
            Message::Input => self.on_input(),
            Message::Focus(focused) => {
                self.focused = focused;
                self.on_input()
            }
            Message::CloseRequested => self.close(),
            Message::ForceExit => iced::exit(),
            Message::Tick => {
                let away = self.on_tick();
                Task::batch([away, self.notify_held()])
            }
            Message::ThemeChanged(mode) => {
                self.mode = match mode {
                    iced::theme::Mode::Dark => theme::Mode::Dark,
                    _ => theme::Mode::Light,
                };
                Task::none()
            }
            Message::ShowRequests => self.show_pane(Pane::Requests),
            Message::ShowSettings => self.show_pane(Pane::Settings),
            Message::NotificationClicked(Some(jid)) => {
                self.overlay = None;
                let open = self.open(jid);
                Task::batch([open, window::latest().and_then(window::gain_focus)])
            }
            Message::Launched(launch) => self.on_launch(launch),
            Message::NotificationClicked(None) | Message::Noop => Task::none(),
            Message::RetryNow => {
                self.command(Command::RetryNow);
                Task::none()
            }
        }
    }

    /// Shows `error` in the banner (kept for it while the banner is not on screen).
    fn show_error(&mut self, error: AppError) -> Task<Message> {
        if let Some(slot) = self.screen.error_slot() {
            *slot = Some(error);
        }
        Task::none()
    }

    fn close(&mut self) -> Task<Message> {
        match self.screen.take() {
            Screen::SignedIn(mut signed) if signed.session.handle.is_some() => {
                let kept = signed.keep_open_draft();
                signed.command(Command::Quit);
                self.screen = Screen::Quitting(signed);
                let timeout = Task::perform(tokio::time::sleep(Duration::from_secs(3)), |_| {
                    Message::ForceExit
                });
                Task::batch([kept, timeout])
            }
            Screen::SignedIn(signed) => {
                let kept = signed.keep_open_draft();
                self.screen = Screen::SignedIn(signed);
                kept.chain(iced::exit())
            }
            other => {
                self.screen = other;
                iced::exit()
            }
        }
    }

    /// Builds the window.
    pub fn view(&self) -> theme::Element<'_, Message> {
        view::view(self)
    }
}
