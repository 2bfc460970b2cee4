//! How the app starts: the blank form, then from what the store knows; for the window being
//! opened, the store and the stored account's session start before the window is open.

use std::collections::HashMap;
use std::time::Instant;

use iced::Task;

use super::notifier::Notifier;
use super::state::{Booting, Desk, Screen, SignIn};
use super::{App, AppError, Boot, Message, Pane, io};
use crate::model::Show;
use crate::screen::{login, requests, roster, settings, status};
use crate::theme;

impl App {
    /// Starts on the blank form and boots from disk in the background.
    pub fn boot() -> (App, Task<Message>) {
        App::boot_with(None)
    }

    /// Boots with an `xmpp:` link to act on once signed in (the command line's argument).
    pub fn boot_with(link: Option<String>) -> (App, Task<Message>) {
        App::boot_by(link, Task::perform(io::boot(), Message::Booted))
    }

    /// Boots the window being opened: as [`App::boot_with`], but the store opens and a stored
    /// account's session starts at once, while iced opens the window: iced runs the boot's task
    /// only once the window is open, and the session used to connect 50 ms after the process
    /// started on the benchmark machine, 23 ms now. Needs the tokio runtime iced enters while
    /// it boots; without one it boots as `boot_with` does.
    pub fn boot_opening(link: Option<String>) -> (App, Task<Message>) {
        match crate::paths::database_path()
            .ok()
            .and_then(App::boot_early_at)
        {
            Some(booted) => App::boot_by(link, Task::perform(booted, Message::Booted)),
            None => App::boot_with(link),
        }
    }

    /// Starts the boot from the store at `path` on the current tokio runtime, the session of a
    /// stored account with a password included, and gives what it found (for
    /// [`Message::Booted`]) as a future. `None` outside a runtime. [`App::boot_opening`] boots
    /// the window's store this way.
    pub fn boot_early_at(
        path: std::path::PathBuf,
    ) -> Option<impl Future<Output = Result<Boot, AppError>> + Send + 'static> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let started = runtime.spawn(io::boot_at(path, true));
        Some(async move { started.await? })
    }

    fn boot_by(link: Option<String>, boot: Task<Message>) -> (App, Task<Message>) {
        let mut app = App {
            screen: Screen::Booting(Box::default()),
            generation: crate::session::Generation::default(),
            focused: true,
            mode: theme::Mode::Light,
            last_input: Instant::now(),
            notifier: Notifier::default(),
            overlay: None,
            return_focus: None,
            switched_with: None,
        };
        let theme = iced::system::theme().map(Message::ThemeChanged);
        let link = match link {
            Some(text) => app.on_link(&text),
            None => Task::none(),
        };
        // The form shows before the store answers: the address field takes the keyboard at
        // once, and what is typed meanwhile is kept (see `booted`).
        let focus = iced::widget::operation::focus(login::jid_id());
        (app, Task::batch([focus, boot, theme, link]))
    }

    pub(super) fn booted(&mut self, result: Result<Boot, AppError>) -> Task<Message> {
        let mut boot = match result {
            Ok(b) => b,
            Err(error) => {
                self.screen = Screen::Fatal(error);
                return Task::none();
            }
        };
        let booting = match self.screen.take() {
            Screen::Booting(booting) => booting,
            // Booted twice: the first boot stands.
            other => {
                self.screen = other;
                return Task::none();
            }
        };
        let (account, password, early) = (
            boot.account.clone(),
            boot.password.take(),
            boot.early.take(),
        );
        let Booting {
            login: typed,
            link,
            error,
        } = *booting;
        self.screen = Screen::SignIn(Box::new(SignIn {
            login: match &account {
                Some(account) => login::State::from_account(account, boot.keyring),
                // A first start: what was typed while the store opened stays.
                None => typed.with_keyring(boot.keyring),
            },
            desk: Desk::from_boot(boot, error),
            link,
        }));
        match (account, password) {
            (Some(account), Some(password)) => {
                tracing::debug!("booted from the store; starting the session");
                self.start_session(account, password, early)
            }
            (Some(_), None) => iced::widget::operation::focus(login::password_id()),
            (None, _) => Task::none(),
        }
    }
}

impl Desk {
    /// What the store knows on screen before the network answers.
    fn from_boot(boot: Boot, error: Option<AppError>) -> Desk {
        let Boot {
            store,
            account,
            known,
            prefs,
            ..
        } = boot;
        let io::Known {
            roster: items,
            requests: pending,
            recent,
            drafts,
        } = *known;
        let mut roster = roster::State::default();
        roster.set_roster(items);
        roster.set_show_offline(prefs.show_offline);
        let mut requests = requests::State::default();
        requests.set_pending(pending);
        let status = match &account {
            Some(account) => {
                let mut status = status::State::new(
                    account.last_show,
                    account.last_status.clone(),
                    prefs.recent_status,
                );
                status.set_account(account.jid.to_string());
                status
            }
            None => status::State::new(Show::Available, String::new(), Vec::new()),
        };
        Desk {
            store,
            roster,
            requests,
            status,
            settings: settings::State::new(prefs.language, prefs.away_minutes, prefs.xa_minutes),
            chat: None,
            contact: None,
            pane: Pane::Chat,
            unread: HashMap::new(),
            drafts,
            recent,
            error,
        }
    }
}
