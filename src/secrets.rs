//! The password store: the OS keyring (Secret Service on Linux) behind async fns, because every
//! keyring call blocks on D-Bus. Service name `natter`, user the account's bare JID.
//!
//! `NATTER_PASSWORD` overrides the keyring for scripts and machines without one. The password
//! never appears in an error, a log line or `Debug` output.

use crate::model::BareJid;
use crate::session::Role;

/// The keyring service name.
pub const SERVICE: &str = "natter";

/// The keyring service of FAST tokens (XEP-0484), user the account's bare JID: a token signs
/// in like the password, so it is kept where the password is and nowhere else.
pub const FAST_SERVICE: &str = "natter-fast";

/// The environment variable that overrides the keyring.
pub const PASSWORD_ENV: &str = "NATTER_PASSWORD";

/// Why the keyring could not be used. The text tells the person what to do, in their language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// No keyring service is running or reachable.
    NoKeyring(String),
    /// The keyring is there but the operation failed.
    Failed(String),
}

impl std::fmt::Display for SecretsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            SecretsError::NoKeyring(reason) => {
                crate::fl!("error-keyring-unreachable", reason = reason)
            }
            SecretsError::Failed(reason) => crate::fl!("error-keyring-failed", reason = reason),
        };
        f.write_str(&text)
    }
}

/// Puts the password of `jid` in the keyring, replacing any earlier one.
pub async fn store_password(jid: &BareJid, password: &str) -> Result<(), SecretsError> {
    let password = password.to_owned();
    with_entry(SERVICE, jid.as_str(), move |entry| {
        entry.set_password(&password)
    })
    .await
}

/// The password of `jid` from the keyring; `None` when none is stored.
pub async fn password(jid: &BareJid) -> Result<Option<String>, SecretsError> {
    let found = with_entry(SERVICE, jid.as_str(), |entry| match entry.get_password() {
        Ok(password) => Ok(Some(password)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(e),
    })
    .await?;
    Ok(found)
}

/// Removes the password of `jid` from the keyring; nothing stored is not an error.
pub async fn delete_password(jid: &BareJid) -> Result<(), SecretsError> {
    delete(SERVICE, jid.as_str()).await
}

/// Keeps the FAST token of `jid` for `role` (as the session writes it) in the keyring.
pub async fn store_fast_token(jid: &BareJid, role: Role, token: &str) -> Result<(), SecretsError> {
    let token = token.to_owned();
    with_entry(FAST_SERVICE, &role.token_user(jid), move |entry| {
        entry.set_password(&token)
    })
    .await
}

/// The FAST token of `jid` for `role` from the keyring; `None` when none is kept.
pub async fn fast_token(jid: &BareJid, role: Role) -> Result<Option<String>, SecretsError> {
    with_entry(FAST_SERVICE, &role.token_user(jid), |entry| {
        match entry.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await
}

/// Removes the FAST token of `jid` for `role`; nothing kept is not an error.
pub async fn delete_fast_token(jid: &BareJid, role: Role) -> Result<(), SecretsError> {
    delete(FAST_SERVICE, &role.token_user(jid)).await
}

async fn delete(service: &'static str, user: &str) -> Result<(), SecretsError> {
    with_entry(service, user, |entry| match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(e),
    })
    .await
}

/// The password to sign in with: `NATTER_PASSWORD` when set, else the keyring's.
pub async fn resolve_password(jid: &BareJid) -> Result<Option<String>, SecretsError> {
    match env_password() {
        Some(password) => Ok(Some(password)),
        None => password(jid).await,
    }
}

/// `NATTER_PASSWORD`, when set and not empty.
pub fn env_password() -> Option<String> {
    std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty())
}

async fn with_entry<T, F>(service: &'static str, jid: &str, op: F) -> Result<T, SecretsError>
where
    T: Send + 'static,
    F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
{
    let user = jid.to_owned();
    tokio::task::spawn_blocking(move || {
        let entry = keyring::Entry::new(service, &user).map_err(map_error)?;
        op(&entry).map_err(map_error)
    })
    .await
    .map_err(|_| SecretsError::Failed(crate::fl!("error-keyring-stopped")))?
}

/// Turns a keyring error into words. Never formats the error with `Debug`: some variants carry
/// the secret's bytes.
fn map_error(error: keyring::Error) -> SecretsError {
    use keyring::Error as E;
    match error {
        E::NoDefaultStore => {
            let reason = match keyring::Entry::store_status() {
                Err(e) => describe(e),
                Ok(()) => crate::fl!("error-keyring-no-default"),
            };
            SecretsError::NoKeyring(reason)
        }
        E::PlatformFailure(e) => SecretsError::NoKeyring(e.to_string()),
        other => SecretsError::Failed(describe(&other)),
    }
}

fn describe(error: &keyring::Error) -> String {
    use keyring::Error as E;
    match error {
        E::PlatformFailure(e) => e.to_string(),
        E::NoStorageAccess(e) => crate::fl!("error-keyring-locked", reason = e.to_string()),
        E::NoEntry => crate::fl!("error-keyring-no-entry"),
        E::BadEncoding(_) => crate::fl!("error-keyring-bad-encoding"),
        E::BadDataFormat(_, _) => crate::fl!("error-keyring-bad-data"),
        E::BadStoreFormat(what) => crate::fl!("error-keyring-damaged", reason = what),
        E::TooLong(attribute, limit) => crate::fl!(
            "error-keyring-too-long",
            attribute = attribute,
            limit = limit
        ),
        E::Invalid(what, why) => crate::fl!("error-keyring-invalid", what = what, reason = why),
        E::Ambiguous(entries) => crate::fl!("error-keyring-ambiguous", count = entries.len()),
        E::NoDefaultStore => crate::fl!("error-keyring-no-default"),
        E::NotSupportedByStore(what) => crate::fl!("error-keyring-unsupported", what = what),
        _ => crate::fl!("error-keyring-unknown"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_show_the_secret() {
        let secret = "hunter2-secret";
        let cases = [
            keyring::Error::BadEncoding(secret.as_bytes().to_vec()),
            keyring::Error::BadStoreFormat("index".into()),
            keyring::Error::TooLong("service".into(), 64),
        ];
        for case in cases {
            let mapped = map_error(case);
            assert!(matches!(mapped, SecretsError::Failed(_)));
            assert!(!mapped.to_string().contains(secret));
            assert!(!format!("{mapped:?}").contains(secret));
        }
    }

    #[test]
    fn no_keyring_says_how_to_go_on() {
        let text = SecretsError::NoKeyring("no D-Bus session".into()).to_string();
        assert!(
            text.starts_with("No keyring (Secret Service) is reachable"),
            "{text}"
        );
        assert!(text.contains("NATTER_PASSWORD"), "{text}");
        assert!(text.contains("gnome-keyring"), "{text}");
    }
}
