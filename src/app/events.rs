//! Session events into screen changes, and the background work (store, keyring, desktop)
//! the app starts as tasks so `update` never blocks.

use iced::Task;

use super::{App, Boot, Connection, Message};
use crate::model::{self, Account, ChatMessage, Direction, ResourcePresence, Show};
use crate::notify::{self, Notice};
use crate::screen::login;
use crate::session::{Credentials, Early, Event, Update};
use crate::store::{Preference, Preferences, Store};

impl App {
    pub(super) fn on_session(&mut self, update: Update) -> Task<Message> {
        match update {
            Update::Ready(generation, handle) if generation == self.generation => {
                self.handle = Some(handle);
                Task::none()
            }
            Update::Event(generation, event) if generation == self.generation => {
                self.on_event(event)
            }
            // A stale session's events are dropped.
            Update::Ready(..) | Update::Event(..) => Task::none(),
        }
    }

    fn on_event(&mut self, event: Event) -> Task<Message> {
        match event {
            Event::Connecting => self.connection = Connection::Connecting,
            Event::Online { .. } => {
                self.connection = Connection::Online;
                self.error = None;
            }
            Event::Offline { reason, retry_in } => {
                self.roster.clear_presence();
                self.connection = match retry_in {
                    Some(d) => Connection::Retrying {
                        reason,
                        at: std::time::Instant::now() + d,
                    },
                    None => Connection::Offline(reason),
                };
            }
            Event::AuthFailed { reason } => {
                // Ask for the password again; the session has stopped.
                self.key = None;
                self.handle = None;
                self.signed_in = false;
                self.connection = Connection::Offline(reason.clone());
                self.login.ask_password_again(self.account_jid(), reason);
                return iced::widget::operation::focus(crate::screen::login::password_id());
            }
            Event::Features(f) => self.requests.set_blocking_supported(f.blocking),
            Event::RosterSync { .. } | Event::CaughtUp { .. } => {}
            Event::Roster(items) => {
                self.roster.set_roster(items);
                self.refresh_presence_line();
            }
            Event::RosterPush(item) => {
                if item.subscription.they_see_me() {
                    self.requests.resolve(&item.jid);
                }
                if let Some(details) = self.contact.as_mut().filter(|d| d.jid() == item.jid) {
                    details.refresh(item.clone());
                }
                self.roster.apply_push(item);
            }
            Event::RosterRemoved(jid) => self.roster.remove(&jid),
            Event::Presence {
                jid,
                show,
                status,
                priority,
                idle_since,
            } => {
                let now = model::now_millis();
                self.roster.set_presence(
                    &jid,
                    ResourcePresence {
                        show,
                        status,
                        priority,
                        idle_since,
                    },
                    now,
                );
                self.refresh_presence_line();
            }
            Event::LastActivity { jid, last_seen, .. } => {
                self.roster.set_last_seen(&jid, last_seen);
                self.refresh_presence_line();
            }
            Event::SubscriptionRequest(req) => {
                // Asked again while the first is still waiting: nothing new to tell, or one
                // account could keep the notifications coming.
                let repeat = self.requests.pending().iter().any(|r| r.from == req.from);
                let notice = Notice {
                    summary: crate::fl!("notify-request-title"),
                    body: crate::fl!("notify-request-body", jid = req.from.clone()),
                    jid: req.from.clone(),
                };
                self.requests.add(req);
                if !repeat {
                    return self.notify(Kind::Request, notice);
                }
            }
            Event::Messages(messages) => return self.on_messages(messages),
            Event::Delivery { id, state } => {
                if let Some(chat) = self.chat.as_mut() {
                    chat.set_delivery(&id, state);
                }
            }
            Event::ChatState { from, state } => {
                if let Some(chat) = self.chat.as_mut().filter(|c| c.peer() == from) {
                    chat.set_chat_state(state);
                }
            }
            Event::Error { message } => self.error = Some(message),
            Event::Closed => {
                self.handle = None;
                if self.quitting {
                    return iced::exit();
                }
            }
        }
        Task::none()
    }

    fn on_messages(&mut self, messages: Vec<ChatMessage>) -> Task<Message> {
        let open = self.chat.as_ref().map(|c| c.peer().to_owned());
        let mut notices = Vec::new();
        let mut for_open = Vec::new();
        for m in messages {
            if Some(&m.peer) == open.as_ref() {
                for_open.push(m);
                continue;
            }
            if m.direction == Direction::In {
                let n = self.unread.entry(m.peer.clone()).or_default();
                *n += 1;
                self.roster.set_unread(&m.peer, *n);
                // Live messages only: no notification for carbons of our own or backlog.
                if !m.delayed && !m.carbon {
                    notices.push(Notice {
                        summary: self.roster.name_of(&m.peer),
                        body: m.body.clone(),
                        jid: m.peer.clone(),
                    });
                }
            }
        }
        if let Some(chat) = self.chat.as_mut()
            && !for_open.is_empty()
        {
            let live: Vec<&ChatMessage> = for_open
                .iter()
                .filter(|m| m.direction == Direction::In && !m.delayed)
                .collect();
            if !self.focused
                && let Some(m) = live.last()
            {
                notices.push(Notice {
                    summary: self.roster.name_of(&m.peer),
                    body: m.body.clone(),
                    jid: m.peer.clone(),
                });
            }
            chat.push(for_open);
        }
        // One notification per burst: the newest message stands for the rest.
        match notices.pop() {
            Some(n) => self.notify(Kind::Message, n),
            None => Task::none(),
        }
    }

    /// Shows `notice`, or holds it while the last one of its kind is recent: a burst (hundreds
    /// of messages or requests) makes one notification now and one summary later, never one
    /// each.
    pub(super) fn notify(&mut self, kind: Kind, notice: Notice) -> Task<Message> {
        let k = kind as usize;
        if self.focused || self.status.show() == Show::Dnd {
            self.held[k] = None;
            return Task::none();
        }
        if self.notified_at[k].is_some_and(|at| at.elapsed() < NOTIFY_EVERY) {
            let count = self.held[k].as_ref().map_or(0, |(_, n)| *n);
            self.held[k] = Some((notice, count + 1));
            return Task::none();
        }
        self.notified_at[k] = Some(std::time::Instant::now());
        Task::perform(notify::show(notice), |r| match r {
            Ok(jid) => Message::NotificationClicked(jid),
            Err(e) => {
                tracing::info!("{e}");
                Message::Noop
            }
        })
    }
}

/// At most one notification this often; what comes in between is summed up afterwards.
pub(super) const NOTIFY_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// The kinds of notification, each held back on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Message = 0,
    Request = 1,
}

impl App {
    /// The notices held back during a burst, one per kind, once its pause is over (a tick).
    pub(super) fn notify_held(&mut self) -> Task<Message> {
        let mut tasks = Vec::new();
        for kind in [Kind::Message, Kind::Request] {
            let k = kind as usize;
            if self.notified_at[k].is_some_and(|at| at.elapsed() < NOTIFY_EVERY) {
                continue;
            }
            let Some((mut notice, count)) = self.held[k].take() else {
                continue;
            };
            if count > 1 {
                let more: usize = count - 1;
                notice.body = crate::fl!("notify-more", count = more, last = notice.body);
            }
            tasks.push(self.notify(kind, notice));
        }
        Task::batch(tasks)
    }
}

/// Opens the store, the default account and its password (env or keyring), and what the
/// store already knows, so the window shows it at once.
pub(super) async fn boot() -> Result<Boot, String> {
    let path = crate::paths::database_path().map_err(|e| e.to_string())?;
    boot_at(path, false).await
}

/// Boots from the store at `path`. With `connect`, a stored account with a password starts
/// its session here, before the window shows what the store knows: the connection is the
/// longest part of a launch, and nothing on screen is needed for it.
pub(super) async fn boot_at(path: std::path::PathBuf, connect: bool) -> Result<Boot, String> {
    let store = tokio::task::spawn_blocking(move || Store::open(&path))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| crate::fl!("app-error-store", reason = e.to_string()))?;
    let account = store
        .accounts()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .next();
    let (mut keyring, mut password) = (true, None);
    if let Some(a) = &account {
        match crate::secrets::resolve_password(&a.jid).await {
            Ok(p) => password = p,
            Err(e) => {
                tracing::info!("{e}");
                keyring = false;
            }
        }
    }
    let prefs = remembered(&store).await;
    // The chosen language before the first screen with words on it, and before the session
    // reports anything in words.
    crate::i18n::init(prefs.language.as_deref());
    let early = match (&account, &password) {
        (Some(account), Some(password)) if connect => {
            tracing::debug!("starting the session before the window opens");
            Some(Early::start(
                Credentials {
                    account: account.clone(),
                    password: password.clone(),
                },
                store.clone(),
            ))
        }
        _ => None,
    };
    let (roster, requests) = known(&store, account.as_ref()).await;
    Ok(Boot {
        store,
        account,
        password,
        keyring,
        roster,
        requests,
        prefs,
        early,
    })
}

/// What the store knows of `account` to show at once: its roster and pending requests.
pub(super) async fn known(
    store: &Store,
    account: Option<&Account>,
) -> (
    Vec<crate::model::RosterItem>,
    Vec<crate::model::SubscriptionRequest>,
) {
    let Some(a) = account else {
        return (Vec::new(), Vec::new());
    };
    let roster = store
        .roster(&a.jid)
        .await
        .map(|(_, r)| r)
        .unwrap_or_default();
    let requests = store.requests(&a.jid, true).await.unwrap_or_default();
    (roster, requests)
}

/// What the person chose last time (the defaults when the store cannot say).
pub(super) async fn remembered(store: &Store) -> Preferences {
    store.preferences().await.unwrap_or_else(|e| {
        tracing::info!("{e}");
        Preferences::default()
    })
}

/// "Test connection": sign in once without a session and report the time it took.
pub(super) async fn test_connection(account: Account, password: String) -> login::TestResult {
    let started = std::time::Instant::now();
    match crate::session::raw_login(&account, &password).await {
        Ok(_) => login::TestResult::Ok {
            ms: started.elapsed().as_millis() as u64,
        },
        Err(e) => login::TestResult::Failed(e.to_string()),
    }
}

/// Saves the account, and the password in the keyring when the person asked to remember it.
pub(super) async fn save_login(
    store: Store,
    mut account: Account,
    password: String,
    remember: bool,
) -> Result<(), String> {
    if let Ok(Some(old)) = store.account(&account.jid).await {
        account.last_show = old.last_show;
        account.last_status = old.last_status;
    }
    account.is_default = true;
    store
        .save_account(account.clone())
        .await
        .map_err(|e| e.to_string())?;
    if remember {
        crate::secrets::store_password(&account.jid, &password)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Keeps a choice for the next start.
pub(super) async fn save(store: Store, choice: Preference) -> Result<(), String> {
    store
        .save_preference(choice)
        .await
        .map_err(|e| e.to_string())
}

/// A message written while no session runs, for the outbox.
pub(super) fn outbound(account: String, peer: String, body: String) -> ChatMessage {
    ChatMessage::outbound(
        account,
        peer,
        body,
        crate::session::new_id(),
        model::now_millis(),
    )
}

/// Opens a link through the desktop's handler; only http, https, xmpp and mailto.
pub(super) async fn open_link(url: String) -> Result<(), String> {
    let allowed = ["http://", "https://", "xmpp:", "mailto:"];
    if !allowed
        .iter()
        .any(|p| url.to_ascii_lowercase().starts_with(p))
    {
        return Err(crate::fl!("app-error-link"));
    }
    tokio::task::spawn_blocking(move || {
        std::process::Command::new("xdg-open")
            .arg(&url)
            .spawn()
            .map(|_| ())
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| crate::fl!("app-error-open", reason = e.to_string()))
}
