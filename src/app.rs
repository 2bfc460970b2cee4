//! The application: state, the top `Message`, update, view and subscriptions. The one place
//! that turns session events into screen changes and screen actions into commands and reads.

mod boot;
mod events;
mod launch;
mod links;
mod screens;
mod view;

#[cfg(test)]
mod tests;

pub use launch::run_window;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use iced::{Subscription, Task, keyboard, window};

use crate::model::{Account, ChatMessage, RosterItem, Show, SubscriptionRequest};
use crate::screen::{chat, contact, login, requests, roster, settings, status};
use crate::session::{self, Command, Credentials, Handle, SessionKey};
use crate::store::{Preference, Store};
use crate::theme;

/// Messages per history page.
pub const PAGE: usize = 50;

/// Where the connection stands, as the person sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    /// No session (signed out, or not started).
    Idle,
    /// An attempt is under way.
    Connecting,
    /// Signed in.
    Online,
    /// Waiting to retry.
    Retrying {
        /// Why the last attempt failed.
        reason: String,
        /// When the next attempt starts.
        at: Instant,
    },
    /// Stopped, with the reason.
    Offline(String),
}

/// The right-hand pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The open conversation (or a welcome text).
    Chat,
    /// Subscription requests and who sees my presence.
    Requests,
    /// The open contact's details.
    Contact,
    /// Language and auto-away.
    Settings,
}

/// What boot found on disk.
#[derive(Debug, Clone)]
pub struct Boot {
    store: Store,
    account: Option<Account>,
    password: Option<String>,
    keyring: bool,
    roster: Vec<RosterItem>,
    requests: Vec<SubscriptionRequest>,
    prefs: crate::store::Preferences,
    /// The session, when the boot started it (the window's launch).
    early: Option<session::Early>,
}

/// The application state.
pub struct App {
    store: Option<Store>,
    fatal: Option<String>,
    account: Option<Account>,
    key: Option<SessionKey>,
    generation: u64,
    handle: Option<Handle>,
    signed_in: bool,
    login: login::State,
    roster: roster::State,
    requests: requests::State,
    status: status::State,
    /// Per kind of notification (messages, requests): when the last one was shown, and what
    /// was held back since.
    notified_at: [Option<Instant>; 2],
    held: [Option<(crate::notify::Notice, usize)>; 2],
    settings: settings::State,
    /// An `xmpp:` link waiting for the sign-in.
    pending_link: Option<crate::model::XmppUri>,
    chat: Option<chat::State>,
    contact: Option<contact::State>,
    pane: Pane,
    connection: Connection,
    error: Option<String>,
    focused: bool,
    mode: theme::Mode,
    last_input: Instant,
    auto_away: Option<(Show, String)>,
    quitting: bool,
    unread: HashMap<String, usize>,
}

/// Everything that happens to the application.
#[derive(Debug, Clone)]
pub enum Message {
    /// Boot finished (or failed with a sentence for the person).
    Booted(Result<Boot, String>),
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
        peer: String,
        /// Oldest first.
        page: Vec<ChatMessage>,
    },
    /// Search results from the store.
    Found {
        /// Conversation.
        peer: String,
        /// Matches.
        results: Vec<ChatMessage>,
    },
    /// A message queued while no session runs.
    Queued(ChatMessage),
    /// "Test connection" finished.
    Tested(login::TestResult),
    /// A store or keyring operation failed.
    Failed(String),
    /// A keyboard shortcut.
    Key(keyboard::Key, keyboard::Modifiers),
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
    NotificationClicked(Option<String>),
    /// Retry connecting now.
    RetryNow,
    /// A later launch handed over its link (or none): show the window.
    Launched(crate::instance::Launch),
    /// Nothing to do.
    Noop,
}

impl App {
    /// The window title, with the unread count.
    pub fn title(&self) -> String {
        let unread: usize = self.unread.values().sum();
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
            iced::event::listen_with(|event, _status, _id| match event {
                iced::Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. }) => {
                    Some(Message::Key(key, modifiers))
                }
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
        if let Some(key) = &self.key {
            subs.push(session::subscription(key.clone()).map(Message::Session));
        }
        let counting = matches!(self.connection, Connection::Retrying { .. });
        let every = if counting {
            Duration::from_secs(1)
        } else {
            Duration::from_secs(30)
        };
        if self.signed_in {
            subs.push(iced::time::every(every).map(|_| Message::Tick));
        }
        // The composer turns "composing" into "paused" a few seconds after typing stops.
        if self.chat.as_ref().is_some_and(chat::State::is_composing) {
            subs.push(
                iced::time::every(Duration::from_secs(2))
                    .map(|_| Message::Chat(chat::Message::Tick)),
            );
        }
        Subscription::batch(subs)
    }

    /// Starts (or restarts) the session with these credentials.
    fn start_session(&mut self, account: Account, password: String, early: Option<session::Early>) {
        let Some(store) = self.store.clone() else {
            return;
        };
        self.generation += 1;
        self.account = Some(account.clone());
        self.status.set_account(account.jid.clone());
        self.key = Some(SessionKey {
            credentials: Credentials { account, password },
            store,
            generation: self.generation,
            early,
        });
        self.handle = None;
        self.signed_in = true;
        self.connection = Connection::Connecting;
    }

    fn account_jid(&self) -> String {
        self.account
            .as_ref()
            .map(|a| a.jid.clone())
            .unwrap_or_default()
    }

    /// Handles one message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.handle_message(message);
        let label = view::connection_label(&self.connection)
            .unwrap_or_else(|| crate::fl!("app-conn-online"));
        self.status.set_connection(label);
        task
    }

    fn handle_message(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Booted(result) => self.booted(result),
            Message::Login(m) => self.on_login(m),
            Message::Roster(m) => match self.roster.update(m) {
                roster::Action::None => Task::none(),
                roster::Action::Open(jid) => self.open(jid),
                roster::Action::ShowOffline(show) => match self.store.clone() {
                    Some(store) => {
                        Task::perform(events::save(store, Preference::ShowOffline(show)), |r| {
                            r.map_or_else(Message::Failed, |()| Message::Noop)
                        })
                    }
                    None => Task::none(),
                },
                roster::Action::Add {
                    jid,
                    name,
                    groups,
                    message,
                } => {
                    self.command(Command::Add {
                        jid,
                        name,
                        groups,
                        message,
                    });
                    Task::none()
                }
            },
            Message::Chat(m) => self.on_chat(m),
            Message::Requests(m) => self.on_requests(m),
            Message::Contact(m) => self.on_contact(m),
            Message::Status(m) => self.on_status(m),
            Message::Session(update) => self.on_session(update),
            Message::History { peer, page } => {
                if let Some(chat) = self.chat.as_mut().filter(|c| c.peer() == peer) {
                    chat.prepend_page(page, PAGE);
                }
                Task::none()
            }
            Message::Found { peer, results } => {
                if let Some(chat) = self.chat.as_mut().filter(|c| c.peer() == peer) {
                    chat.set_search_results(results);
                }
                Task::none()
            }
            Message::Queued(msg) => {
                if let Some(chat) = self.chat.as_mut().filter(|c| c.peer() == msg.peer) {
                    chat.push(vec![msg]);
                }
                Task::none()
            }
            Message::Tested(result) => {
                self.login.set_test_result(result);
                Task::none()
            }
            Message::Failed(text) => {
                self.error = Some(text);
                Task::none()
            }
            Message::Key(key, modifiers) => self.on_key(key, modifiers),
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
            Message::ShowRequests => {
                self.leave_chat(Pane::Requests);
                Task::none()
            }
            Message::ShowSettings => {
                self.leave_chat(Pane::Settings);
                Task::none()
            }
            Message::Settings(m) => self.on_settings(m),
            Message::NotificationClicked(Some(jid)) => {
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

    fn on_key(&mut self, key: keyboard::Key, modifiers: keyboard::Modifiers) -> Task<Message> {
        use keyboard::key::Named;
        self.last_input = Instant::now();
        match key.as_ref() {
            keyboard::Key::Character("f") if modifiers.command() => {
                if let Some(chat) = self.chat.as_mut() {
                    chat.focus_search();
                    return iced::widget::operation::focus(chat::search_input_id());
                }
            }
            keyboard::Key::Character(",") if modifiers.command() => {
                self.leave_chat(Pane::Settings);
            }
            keyboard::Key::Character("n") if modifiers.command() => {
                self.roster.open_add(None);
                return iced::widget::operation::focus(roster::ADD_JID_INPUT);
            }
            keyboard::Key::Named(Named::Escape) => {
                let _ = self.roster.update(roster::Message::CancelAdd);
                if let Some(chat) = self.chat.as_mut() {
                    let _ = chat.update(chat::Message::SearchClose);
                }
            }
            keyboard::Key::Named(dir @ (Named::ArrowUp | Named::ArrowDown)) if modifiers.alt() => {
                if let Some(jid) = self.roster.next_conversation(dir == Named::ArrowDown) {
                    return self.open(jid);
                }
            }
            keyboard::Key::Named(Named::Tab) => {
                return if modifiers.shift() {
                    iced::widget::operation::focus_previous()
                } else {
                    iced::widget::operation::focus_next()
                };
            }
            _ => {}
        }
        self.on_input()
    }

    /// The person is here: leave auto-away, restoring what they had chosen.
    fn on_input(&mut self) -> Task<Message> {
        self.last_input = Instant::now();
        if let Some((show, status)) = self.auto_away.take() {
            self.command(Command::SetPresence { show, status });
        }
        Task::none()
    }

    fn on_tick(&mut self) -> Task<Message> {
        let idle = self.last_input.elapsed();
        let chosen = self.status.show();
        if matches!(self.connection, Connection::Online)
            && matches!(chosen, Show::Available | Show::Chat)
        {
            let (away, xa) = self.settings.auto_away();
            let after =
                |minutes: u32| (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60));
            let target = if after(xa).is_some_and(|d| idle >= d) {
                Some(Show::Xa)
            } else if after(away).is_some_and(|d| idle >= d) {
                Some(Show::Away)
            } else {
                None
            };
            if let Some(target) = target {
                let restore = self
                    .auto_away
                    .get_or_insert_with(|| (chosen, self.status.status().to_owned()))
                    .clone();
                // The custom message is kept while away.
                self.command(Command::SetPresence {
                    show: target,
                    status: restore.1,
                });
            }
        }
        Task::none()
    }

    fn close(&mut self) -> Task<Message> {
        if self.quitting || self.handle.is_none() {
            return iced::exit();
        }
        self.quitting = true;
        self.command(Command::Quit);
        Task::perform(tokio::time::sleep(Duration::from_secs(3)), |_| {
            Message::ForceExit
        })
    }

    /// The running session's key (what the subscription would run). For tests.
    #[doc(hidden)]
    pub fn session_key(&self) -> Option<SessionKey> {
        self.key.clone()
    }

    /// The connection state. For tests.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// Pending subscription requests shown. For tests.
    #[doc(hidden)]
    pub fn pending_requests(&self) -> usize {
        self.requests.count()
    }

    /// Unread messages from `jid`. For tests.
    #[doc(hidden)]
    pub fn unread(&self, jid: &str) -> usize {
        self.unread.get(jid).copied().unwrap_or(0)
    }

    /// Builds the window.
    pub fn view(&self) -> theme::Element<'_, Message> {
        view::view(self)
    }
}
