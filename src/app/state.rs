//! What the window can be showing, each with only what it needs.

use std::collections::HashMap;
use std::time::Instant;

use super::AppError;
use crate::model::{BareJid, Millis, Show, XmppUri};
use crate::screen::{chat, contact, login, requests, roster, settings, status, switcher};
use crate::session::{Handle, SessionKey};
use crate::store::Store;

/// What the window is showing.
pub(super) enum Screen {
    /// The store has not answered yet: the blank sign-in form.
    Booting(Box<Booting>),
    /// Natter cannot run (its data file cannot be opened): the reason and nothing else.
    Fatal(AppError),
    /// The sign-in form, with what the store knows kept for afterwards.
    SignIn(Box<SignIn>),
    /// Signed in: the session, the roster and the panes.
    SignedIn(Box<SignedIn>),
    /// The window is closing and waits (briefly) for the session to say goodbye; it still
    /// shows what it showed signed in.
    Quitting(Box<SignedIn>),
}

impl Screen {
    /// Takes the screen out to turn it into the next one; what is left in its place is never
    /// shown, as the caller puts the next screen back.
    pub(super) fn take(&mut self) -> Screen {
        std::mem::replace(self, Screen::Fatal(AppError::TaskLost))
    }

    /// The signed-in window, also while it closes.
    pub(super) fn signed_in(&self) -> Option<&SignedIn> {
        match self {
            Screen::SignedIn(s) | Screen::Quitting(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn signed_in_mut(&mut self) -> Option<&mut SignedIn> {
        match self {
            Screen::SignedIn(s) | Screen::Quitting(s) => Some(s),
            _ => None,
        }
    }

    /// What the store knows, once booted.
    pub(super) fn desk(&self) -> Option<&Desk> {
        match self {
            Screen::SignIn(s) => Some(&s.desk),
            Screen::SignedIn(s) | Screen::Quitting(s) => Some(&s.desk),
            Screen::Booting(_) | Screen::Fatal(_) => None,
        }
    }

    pub(super) fn desk_mut(&mut self) -> Option<&mut Desk> {
        match self {
            Screen::SignIn(s) => Some(&mut s.desk),
            Screen::SignedIn(s) | Screen::Quitting(s) => Some(&mut s.desk),
            Screen::Booting(_) | Screen::Fatal(_) => None,
        }
    }

    /// Where the banner's error goes while this screen shows.
    pub(super) fn error_slot(&mut self) -> Option<&mut Option<AppError>> {
        match self {
            Screen::Booting(b) => Some(&mut b.error),
            Screen::Fatal(_) => None,
            _ => self.desk_mut().map(|d| &mut d.error),
        }
    }
}

/// A dialog over the whole window that takes the keyboard.
pub(super) enum Overlay {
    /// Every shortcut (F1).
    Help,
    /// Go to a contact by typing (Ctrl+K).
    Switcher(switcher::State),
}

/// Before the store answered.
#[derive(Default)]
pub(super) struct Booting {
    /// The form shown meanwhile (the same as a first start's).
    pub(super) login: login::State,
    /// A link given at start, for once signed in.
    pub(super) link: Option<XmppUri>,
    /// What went wrong meanwhile (a broken link), for the banner once signed in.
    pub(super) error: Option<AppError>,
}

/// What the store knows and the signed-in window shows: loaded at boot, kept while the
/// password is asked again.
pub(super) struct Desk {
    pub(super) store: Store,
    pub(super) roster: roster::State,
    pub(super) requests: requests::State,
    pub(super) status: status::State,
    pub(super) settings: settings::State,
    pub(super) chat: Option<chat::State>,
    pub(super) contact: Option<contact::State>,
    pub(super) pane: Pane,
    /// Unread messages per contact.
    pub(super) unread: HashMap<BareJid, usize>,
    /// What was typed to each contact and not sent, while another conversation is open.
    pub(super) drafts: HashMap<BareJid, String>,
    /// When the last message with each contact was sent (the quick switcher's order).
    pub(super) recent: HashMap<BareJid, Millis>,
    /// The banner above the panes.
    pub(super) error: Option<AppError>,
}

/// The sign-in form.
pub(super) struct SignIn {
    pub(super) desk: Desk,
    pub(super) login: login::State,
    /// An `xmpp:` link waiting for the sign-in.
    pub(super) link: Option<XmppUri>,
}

/// Signed in.
pub(super) struct SignedIn {
    pub(super) desk: Desk,
    pub(super) session: Session,
    /// The form shown again when the server refuses the password.
    pub(super) login: login::State,
}

/// The running session, as the window knows it.
pub(super) struct Session {
    /// What the subscription runs (the account is its credentials').
    pub(super) key: SessionKey,
    /// How to send it commands, once it said it is ready.
    pub(super) handle: Option<Handle>,
    pub(super) connection: Connection,
    /// While the archive catch-up runs: the messages it brought so far.
    pub(super) catching_up: Option<usize>,
    /// While auto-away holds: the show and status the person had chosen.
    pub(super) auto_away: Option<(Show, String)>,
}

impl Session {
    pub(super) fn account_jid(&self) -> BareJid {
        self.key.credentials.account.jid.clone()
    }
}

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
