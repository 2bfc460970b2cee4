//! The commands that only read the local store: `roster`, `requests`, `history`. They never go
//! online and are safe beside a running window or headless session (SQLite WAL).

use serde_json::Value;

use super::{CliError, Ctx, HistoryArgs, json, text, user_jid};
use crate::model::text::safe_name;
use crate::model::{
    BareJid, ChatMessage, Delivery, Direction, RequestState, RosterItem, Subscription,
    SubscriptionRequest,
};

pub(super) async fn roster(ctx: &Ctx) -> Result<(), CliError> {
    let account = ctx.account().await?;
    let (_version, items) = ctx.store.roster(&account.jid).await?;
    print_roster(ctx, &items)
}

/// Prints roster items as `roster` shows them (also after `roster --refresh`).
pub(super) fn print_roster(ctx: &Ctx, items: &[RosterItem]) -> Result<(), CliError> {
    ctx.print(
        || Value::Array(items.iter().map(json::roster_item).collect()),
        || {
            if items.is_empty() {
                return format!("{}\n", crate::fl!("cli-roster-empty"));
            }
            let mut rows = vec![vec![
                crate::fl!("cli-column-jid"),
                crate::fl!("cli-column-name"),
                crate::fl!("cli-column-subscription"),
                crate::fl!("cli-column-groups"),
            ]];
            rows.extend(items.iter().map(|item| {
                let mut subscription = subscription_name(item.subscription);
                if item.ask {
                    subscription = crate::fl!("cli-roster-asked", subscription = subscription);
                }
                vec![
                    item.jid.to_string(),
                    safe_name(item.name.as_deref().unwrap_or("")),
                    subscription,
                    item.groups
                        .iter()
                        .map(|g| safe_name(g))
                        .collect::<Vec<_>>()
                        .join(", "),
                ]
            }));
            text::table(&rows)
        },
    )
}

pub(super) async fn requests(ctx: &Ctx, all: bool) -> Result<(), CliError> {
    let account = ctx.account().await?;
    let requests = ctx.store.requests(&account.jid, !all).await?;
    ctx.print(
        || Value::Array(requests.iter().map(json::request).collect()),
        || requests_text(&requests, all),
    )
}

/// A subscription state in the person's words (`none`, `to`, `from`, `both` in English, the
/// RFC 6121 names that `--json` prints).
fn subscription_name(subscription: Subscription) -> String {
    match subscription {
        Subscription::None => crate::fl!("cli-subscription-none"),
        Subscription::To => crate::fl!("cli-subscription-to"),
        Subscription::From => crate::fl!("cli-subscription-from"),
        Subscription::Both => crate::fl!("cli-subscription-both"),
    }
}

fn request_state_name(state: RequestState) -> String {
    match state {
        RequestState::Pending => crate::fl!("cli-request-pending"),
        RequestState::Accepted => crate::fl!("cli-request-accepted"),
        RequestState::Denied => crate::fl!("cli-request-denied"),
    }
}

fn requests_text(requests: &[SubscriptionRequest], all: bool) -> String {
    if requests.is_empty() {
        let none = if all {
            crate::fl!("cli-requests-none")
        } else {
            crate::fl!("cli-requests-none-pending")
        };
        return format!("{none}\n");
    }
    let mut header = vec![
        crate::fl!("cli-column-from"),
        crate::fl!("cli-column-received"),
        crate::fl!("cli-column-nick"),
        crate::fl!("cli-column-message"),
    ];
    if all {
        header.insert(1, crate::fl!("cli-column-state"));
    }
    let mut rows = vec![header];
    rows.extend(requests.iter().map(|r| {
        let mut row = vec![
            r.from.to_string(),
            text::local_time(r.received_at),
            safe_name(r.nick.as_deref().unwrap_or("")),
            text::whole(r.message.as_deref().unwrap_or("")),
        ];
        if all {
            row.insert(1, request_state_name(r.state));
        }
        row
    }));
    text::table(&rows)
}

pub(super) async fn history(ctx: &Ctx, args: HistoryArgs) -> Result<(), CliError> {
    let peer = user_jid(&args.jid, "history")?;
    let account = ctx.account().await?;
    let limit = args.limit as usize;
    let messages = match args.search.as_deref().map(str::trim) {
        Some("") => return Err(CliError::Usage(crate::fl!("cli-error-search-empty"))),
        Some(search) => {
            let mut found = ctx
                .store
                .search(&account.jid, Some(&peer), search, limit)
                .await?;
            found.sort_by_key(|m| (m.sent_at, m.local_id));
            found
        }
        None => ctx.store.history(&account.jid, &peer, None, limit).await?,
    };
    ctx.print(
        || Value::Array(messages.iter().map(json::message).collect()),
        || history_text(&peer, &messages),
    )
}

fn history_text(peer: &BareJid, messages: &[ChatMessage]) -> String {
    if messages.is_empty() {
        return format!("{}\n", crate::fl!("cli-history-empty", jid = peer.as_str()));
    }
    let rows: Vec<Vec<String>> = messages
        .iter()
        .map(|m| {
            let who = match m.direction {
                Direction::In => m.peer.to_string(),
                Direction::Out => crate::fl!("cli-history-me"),
            };
            let mut marks = String::new();
            if m.direction == Direction::Out {
                marks.push_str(match m.delivery {
                    Delivery::Delivered => "✓✓",
                    Delivery::Acked => "✓",
                    Delivery::Failed => "✗",
                    _ => "…",
                });
            }
            vec![text::local_time(m.sent_at), who, marks, shown_text(m)]
        })
        .collect();
    text::table(&rows)
}

/// What `history` shows of a message: its text (a `/me` action after its sender's address),
/// or that it was deleted or cannot be read; marked when edited, and its reactions with their
/// counts.
fn shown_text(m: &ChatMessage) -> String {
    let x = &m.extras;
    let mut shown = if x.retracted() {
        format!("({})", crate::fl!("message-deleted"))
    } else if let Some(e) = &x.encryption {
        format!(
            "({})",
            crate::fl!("message-encrypted", scheme = e.scheme_name())
        )
    } else if let Some(rest) = crate::model::styling::me_action(&m.body) {
        // XEP-0245: "/me waves" from Bob reads "* bob@example.org waves".
        let who = match m.direction {
            Direction::In => m.peer.as_str(),
            Direction::Out => m.account.as_str(),
        };
        text::whole(&crate::fl!("chat-action", name = who, action = rest))
    } else {
        text::whole(&m.body)
    };
    if x.edited() && !x.retracted() {
        shown.push_str(&format!(" ({})", crate::fl!("message-edited")));
    }
    let reactions = crate::model::amend::reactions_line(&x.reactions, " ");
    if !reactions.is_empty() {
        shown.push_str(&format!(" [{reactions}]"));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;

    #[test]
    fn history_shows_who_wrote_and_how_far_it_got() {
        let message = |direction, delivery, body: &str| ChatMessage {
            local_id: 0,
            account: j("alice@example.org"),
            peer: j("bob@example.org"),
            direction,
            body: body.into(),
            sent_at: 0,
            received_at: 0,
            remote_id: None,
            origin_id: None,
            stanza_id: None,
            delivery,
            delayed: false,
            carbon: false,
            extras: Default::default(),
        };
        let text = history_text(
            &j("bob@example.org"),
            &[
                message(Direction::In, Delivery::Received, "hi\nthere"),
                message(Direction::Out, Delivery::Delivered, "hello"),
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].contains("bob@example.org") && lines[0].ends_with("hi there"),
            "{text}"
        );
        assert!(lines[1].contains("me") && lines[1].contains("✓✓"), "{text}");
        assert_eq!(
            history_text(&j("bob@example.org"), &[]),
            "No messages with bob@example.org.\n"
        );
    }

    #[test]
    fn history_shows_edited_deleted_encrypted_and_reactions() {
        let base = ChatMessage::outbound(
            j("alice@example.org"),
            j("bob@example.org"),
            "lunch at 1?".into(),
            "o1".into(),
            0,
        );
        let mut edited = base.clone();
        edited.extras.edited_at = Some(5);
        edited.extras.reactions = vec![
            crate::model::Reaction {
                from: j("bob@example.org"),
                emoji: vec!["👍".into()],
            },
            crate::model::Reaction {
                from: j("alice@example.org"),
                emoji: vec!["👍".into(), "🍜".into()],
            },
        ];
        let mut gone = base.clone();
        (gone.body, gone.extras.retracted_at) = (String::new(), Some(9));
        let mut sealed = base;
        sealed.body = String::new();
        sealed.extras.encryption = Some(crate::model::Encryption {
            scheme: "omemo".into(),
            fallback: "I sent you an OMEMO encrypted message".into(),
            payload: String::new(),
        });
        let text = history_text(&j("bob@example.org"), &[edited, gone, sealed]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].ends_with("lunch at 1? (edited) [👍 2 🍜]"),
            "{text}"
        );
        assert!(lines[1].ends_with("(message deleted)"), "{text}");
        assert!(
            lines[2]
                .ends_with("(This message is encrypted with OMEMO, which Natter cannot read yet)"),
            "{text}"
        );
        assert!(!text.contains("I sent you"), "{text}");
    }

    #[test]
    fn history_shows_a_me_action_after_its_senders_address_and_styling_as_sent() {
        let mut waves = ChatMessage::outbound(
            j("alice@example.org"),
            j("bob@example.org"),
            "/me waves".into(),
            "o1".into(),
            0,
        );
        waves.direction = Direction::In;
        waves.delivery = Delivery::Received;
        let mut back = waves.clone();
        (back.direction, back.body) = (Direction::Out, "/me waves *back*".into());
        let text = history_text(&j("bob@example.org"), &[waves, back]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].ends_with("* bob@example.org waves"), "{text}");
        assert!(
            lines[1].ends_with("* alice@example.org waves *back*"),
            "the styling characters as sent: {text}"
        );
    }
}
