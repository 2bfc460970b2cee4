//! How the app starts: empty, then from what the store knows; for the window being opened, the
//! store and the stored account's session start before the window is open.

use std::collections::HashMap;
use std::time::Instant;

use iced::Task;

use super::{App, Boot, Connection, Message, Pane, events};
use crate::model::{Account, Show};
use crate::screen::{login, requests, roster, settings, status};
use crate::store::{Preferences, Store};
use crate::theme;

impl App {
    /// Starts empty and boots from disk in the background.
    pub fn boot() -> (App, Task<Message>) {
        App::boot_with(None)
    }

    /// Boots with an `xmpp:` link to act on once signed in (the command line's argument).
    pub fn boot_with(link: Option<String>) -> (App, Task<Message>) {
        App::boot_by(link, Task::perform(events::boot(), Message::Booted))
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
    /// stored account with a password included; the future gives what it found. `None` outside
    /// a runtime. Public for tests; not part of the public interface.
    #[doc(hidden)]
    pub fn boot_early_at(
        path: std::path::PathBuf,
    ) -> Option<impl Future<Output = Result<Boot, String>> + Send + 'static> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let started = runtime.spawn(events::boot_at(path, true));
        Some(async move { started.await.map_err(|e| e.to_string())? })
    }

    fn boot_by(link: Option<String>, boot: Task<Message>) -> (App, Task<Message>) {
        let mut app = App {
            store: None,
            fatal: None,
            account: None,
            key: None,
            generation: 0,
            handle: None,
            signed_in: false,
            login: login::State::new(None, true),
            roster: roster::State::default(),
            requests: requests::State::default(),
            status: status::State::new(Show::Available, String::new(), Vec::new()),
            settings: settings::State::new(
                None,
                Preferences::AWAY_MINUTES,
                Preferences::XA_MINUTES,
            ),
            pending_link: None,
            notified_at: [None; 2],
            held: [None, None],
            chat: None,
            contact: None,
            pane: Pane::Chat,
            connection: Connection::Idle,
            error: None,
            focused: true,
            mode: theme::Mode::Light,
            last_input: Instant::now(),
            auto_away: None,
            quitting: false,
            unread: HashMap::new(),
        };
        let theme = iced::system::theme().map(Message::ThemeChanged);
        let link = match link {
            Some(text) => app.on_link(&text),
            None => Task::none(),
        };
        (app, Task::batch([boot, theme, link]))
    }

    pub(super) fn booted(&mut self, result: Result<Boot, String>) -> Task<Message> {
        let boot = match result {
            Ok(b) => b,
            Err(text) => {
                self.fatal = Some(text);
                return Task::none();
            }
        };
        self.store = Some(boot.store);
        // What the store knows is on screen before the network answers.
        self.roster.set_roster(boot.roster);
        self.roster.set_show_offline(boot.prefs.show_offline);
        self.settings = settings::State::new(
            boot.prefs.language.clone(),
            boot.prefs.away_minutes,
            boot.prefs.xa_minutes,
        );
        self.requests.set_pending(boot.requests);
        self.login = match &boot.account {
            Some(account) => login::State::from_account(account, boot.keyring),
            None => login::State::new(None, boot.keyring),
        };
        if let Some(account) = boot.account {
            self.status = status::State::new(
                account.last_show,
                account.last_status.clone(),
                boot.prefs.recent_status,
            );
            self.status.set_account(account.jid.clone());
            match boot.password {
                Some(password) => {
                    tracing::debug!("booted from the store; starting the session");
                    self.start_session(account, password, boot.early)
                }
                None => {
                    self.account = Some(account);
                    return iced::widget::operation::focus(login::password_id());
                }
            }
            return self.open_pending_link();
        }
        iced::widget::operation::focus(login::jid_id())
    }

    /// Boots from an already opened store, as `boot` does from disk. For tests that drive the
    /// update loop without a window; not part of the public interface.
    #[doc(hidden)]
    pub async fn for_test(store: Store, account: Option<Account>, password: Option<String>) -> App {
        let (roster, requests) = events::known(&store, account.as_ref()).await;
        let prefs = events::remembered(&store).await;
        let boot = Boot {
            store,
            account,
            password,
            keyring: false,
            roster,
            requests,
            prefs,
            early: None,
        };
        let (mut app, _) = App::boot();
        let _ = app.update(Message::Booted(Ok(boot)));
        app
    }
}
