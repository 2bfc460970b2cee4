//! Desktop notifications through notify-rust, on a blocking thread so the UI never waits.

/// Something worth a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Headline (a contact's name).
    pub summary: String,
    /// Text (a message's beginning, or what happened).
    pub body: String,
    /// The conversation a click opens.
    pub jid: String,
}

/// Why a notification could not be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// No notification server is reachable (no desktop session).
    #[error("{}", crate::fl!("notify-unavailable", reason = .0.clone()))]
    Unavailable(String),
}

/// Longest body shown in a notification.
const MAX_BODY_CHARS: usize = 200;

/// Shows `notice` and waits (on a blocking thread) for a click. Returns the conversation to
/// open when the person clicked it and the server supports actions, `None` otherwise.
pub async fn show(notice: Notice) -> Result<Option<String>, NotifyError> {
    let task = tokio::task::spawn_blocking(move || {
        let body: String = notice.body.chars().take(MAX_BODY_CHARS).collect();
        let handle = notify_rust::Notification::new()
            .appname("Natter") // i18n-ok: the program's name
            .summary(&notice.summary)
            .body(&body)
            .icon(crate::paths::APP_ID)
            .hint(notify_rust::Hint::DesktopEntry(
                crate::paths::APP_ID.to_owned(),
            ))
            .action("default", &crate::fl!("notify-open")) // i18n-ok: "default" is the key
            .show()
            .map_err(|e| NotifyError::Unavailable(e.to_string()))?;
        let mut clicked = false;
        handle.wait_for_action(|action| clicked = action == "default");
        Ok(clicked.then_some(notice.jid))
    });
    task.await
        .map_err(|e| NotifyError::Unavailable(e.to_string()))?
}
