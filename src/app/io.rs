//! The background work the app starts as tasks so `update` never blocks: the boot from disk,
//! store and keyring writes, "Test connection", and links handed to the desktop.

use std::collections::HashMap;

use super::{AppError, Boot};
use crate::model::{self, Account, BareJid, ChatMessage, RosterItem, SubscriptionRequest};
use crate::screen::login;
use crate::session::{Credentials, Early};
use crate::store::{Preference, Preferences, Store};

/// Opens the store, the default account and its password (env or keyring), and what the
/// store already knows, so the window shows it at once.
pub(super) async fn boot() -> Result<Boot, AppError> {
    let path = crate::paths::database_path().map_err(AppError::DataDir)?;
    boot_at(path, false).await
}

/// Boots from the store at `path`. With `connect`, a stored account with a password starts
/// its session here, before the window shows what the store knows: the connection is the
/// longest part of a launch, and nothing on screen is needed for it.
pub(super) async fn boot_at(path: std::path::PathBuf, connect: bool) -> Result<Boot, AppError> {
    let store = tokio::task::spawn_blocking(move || Store::open(&path))
        .await?
        .map_err(AppError::OpenStore)?;
    let account = store.accounts().await?.into_iter().next();
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
    let (roster, requests, recent) = known(&store, account.as_ref()).await;
    Ok(Boot {
        store,
        account,
        password,
        keyring,
        roster,
        requests,
        recent,
        prefs,
        early,
    })
}

/// What the store knows of `account` to show at once: its roster, pending requests, and when
/// the last message with each contact was sent.
pub(super) async fn known(
    store: &Store,
    account: Option<&Account>,
) -> (
    Vec<RosterItem>,
    Vec<SubscriptionRequest>,
    HashMap<BareJid, model::Millis>,
) {
    let Some(a) = account else {
        return (Vec::new(), Vec::new(), HashMap::new());
    };
    let roster = store
        .roster(&a.jid)
        .await
        .map(|(_, r)| r)
        .unwrap_or_default();
    let requests = store.requests(&a.jid, true).await.unwrap_or_default();
    let recent = store.last_message_times(&a.jid).await.unwrap_or_default();
    (roster, requests, recent)
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
) -> Result<(), AppError> {
    if let Ok(Some(old)) = store.account(&account.jid).await {
        account.last_show = old.last_show;
        account.last_status = old.last_status;
    }
    account.is_default = true;
    store.save_account(account.clone()).await?;
    if remember {
        crate::secrets::store_password(&account.jid, &password)
            .await
            .map_err(AppError::Keyring)?;
    }
    Ok(())
}

/// Keeps a choice for the next start.
pub(super) async fn save(store: Store, choice: Preference) -> Result<(), AppError> {
    Ok(store.save_preference(choice).await?)
}

/// A message written while no session runs, for the outbox.
pub(super) fn outbound(
    account: BareJid,
    peer: BareJid,
    body: String,
    id: crate::model::MessageId,
) -> ChatMessage {
    ChatMessage::outbound(account, peer, body, id, model::now_millis())
}

/// Opens a link through the desktop's handler; only http, https, xmpp and mailto.
pub(super) async fn open_link(url: String) -> Result<(), AppError> {
    let allowed = ["http://", "https://", "xmpp:", "mailto:"];
    if !allowed
        .iter()
        .any(|p| url.to_ascii_lowercase().starts_with(p))
    {
        return Err(AppError::LinkScheme);
    }
    tokio::task::spawn_blocking(move || {
        std::process::Command::new("xdg-open")
            .arg(&url)
            .spawn()
            .map(|_| ())
    })
    .await?
    .map_err(|e| AppError::OpenLink {
        reason: e.to_string(),
    })
}
