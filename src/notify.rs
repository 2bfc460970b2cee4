//! Desktop notifications through notify-rust, on a blocking thread so the UI never waits.

use crate::model::BareJid;
/// Something worth a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Headline (a contact's name).
    pub summary: String,
    /// Text (a message's beginning, or what happened).
    pub body: String,
    /// The conversation a click opens.
    pub jid: BareJid,
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

/// The capability of a server that reads the body as markup (Desktop Notifications spec).
const BODY_MARKUP: &str = "body-markup";

/// Shows `notice` and waits (on a blocking thread) for a click. Returns the conversation to
/// open when the person clicked it and the server supports actions, `None` otherwise.
pub async fn show(notice: Notice) -> Result<Option<BareJid>, NotifyError> {
    let open = crate::fl!("notify-open");
    let task = tokio::task::spawn_blocking(move || {
        // A server with body-markup reads `<b>` or `<a href>` in a message as formatting and
        // links: what a contact typed must show as the text it is.
        let markup =
            notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|c| c == BODY_MARKUP));
        let handle = notify_rust::Notification::new()
            .appname("Natter") // i18n-ok: the program's name
            .summary(&notice.summary)
            .body(&body_text(&notice.body, markup))
            .icon(crate::paths::APP_ID)
            .hint(notify_rust::Hint::DesktopEntry(
                crate::paths::APP_ID.to_owned(),
            ))
            .action("default", &open) // i18n-ok: "default" is the key
            .show()
            .map_err(|e| NotifyError::Unavailable(e.to_string()))?;
        let mut clicked = false;
        handle.wait_for_action(|action| clicked = action == "default");
        Ok(clicked.then_some(notice.jid))
    });
    task.await
        .map_err(|e| NotifyError::Unavailable(e.to_string()))?
}

/// The body as sent: the text's first [`MAX_BODY_CHARS`] characters, with `&`, `<` and `>` as
/// entities when the server reads markup (so it shows them as they are). Quotes stay: outside
/// a tag they are text, and not every server knows `&apos;`.
fn body_text(text: &str, markup: bool) -> String {
    let shown = text.chars().take(MAX_BODY_CHARS);
    if !markup {
        return shown.collect();
    }
    let mut out = String::with_capacity(text.len().min(MAX_BODY_CHARS * 4));
    for c in shown {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::body_text;

    #[test]
    fn a_server_that_reads_markup_gets_the_text_escaped() {
        let cases = [
            ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
            (
                r#"<a href="https://evil.example/">bank</a>"#,
                r#"&lt;a href="https://evil.example/"&gt;bank&lt;/a&gt;"#,
            ),
            ("fish & chips", "fish &amp; chips"),
            ("it's &amp; already", "it's &amp;amp; already"),
            ("plain words", "plain words"),
        ];
        for (text, sent) in cases {
            assert_eq!(body_text(text, true), sent, "{text}");
        }
    }

    #[test]
    fn a_server_without_markup_gets_the_text_as_it_is() {
        let text = r#"<b>x</b> & <a href="https://e.example/">y</a>"#;
        assert_eq!(body_text(text, false), text);
    }

    #[test]
    fn long_text_is_cut_by_characters_before_escaping() {
        let text = "é<".repeat(150);
        assert_eq!(body_text(&text, false).chars().count(), 200);
        // 100 × "é<" escaped: an entity is never cut in half.
        assert_eq!(body_text(&text, true), "é&lt;".repeat(100));
    }
}
