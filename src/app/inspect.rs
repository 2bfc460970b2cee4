//! What code that drives the app without a window (the UI tests, the benchmarks) may ask of
//! it: a start from a store already open, and what the window stands on. Everything else goes
//! through [`App::update`] and [`App::view`], as in the window.

use super::state::Screen;
use super::{App, Boot, Connection, Message, io};
use crate::model::{Account, BareJid};
use crate::session::SessionKey;
use crate::store::Store;

/// The connection of a window with no session.
static IDLE: Connection = Connection::Idle;

impl App {
    /// Boots from a store already open, as a launch boots from disk, with `account` and
    /// `password` given instead of read from the store and the keyring: with a password the
    /// app is signed in (its session is [`App::session_key`], for the caller to run), without
    /// one it shows the sign-in form.
    pub async fn with_store(
        store: Store,
        account: Option<Account>,
        password: Option<String>,
    ) -> App {
        let known = Box::new(io::known(&store, account.as_ref()).await);
        let prefs = io::remembered(&store).await;
        let boot = Boot {
            store,
            account,
            password,
            keyring: false,
            known,
            prefs,
            early: None,
        };
        let (mut app, _) = App::boot();
        let _ = app.update(Message::Booted(Ok(boot)));
        app
    }

    /// The session the window runs (what its subscription runs), while signed in.
    pub fn session_key(&self) -> Option<SessionKey> {
        self.screen.signed_in().map(|s| s.session.key.clone())
    }

    /// Where the connection stands; [`Connection::Idle`] while not signed in.
    pub fn connection(&self) -> &Connection {
        self.screen
            .signed_in()
            .map_or(&IDLE, |s| &s.session.connection)
    }

    /// How many subscription requests wait for an answer.
    pub fn pending_requests(&self) -> usize {
        self.screen.desk().map_or(0, |d| d.requests.count())
    }

    /// Unread messages from `jid`.
    pub fn unread(&self, jid: &BareJid) -> usize {
        self.screen
            .desk()
            .and_then(|d| d.unread.get(jid).copied())
            .unwrap_or(0)
    }

    /// The text in the open conversation's composer, if one is open.
    pub fn composer_text(&self) -> Option<String> {
        self.screen
            .desk()
            .and_then(|d| d.chat.as_ref())
            .map(crate::screen::chat::State::composer_text)
    }

    /// Whether the window shows the sign-in form (booting, or a password to give).
    pub fn asks_to_sign_in(&self) -> bool {
        matches!(self.screen, Screen::Booting(_) | Screen::SignIn(_))
    }
}
