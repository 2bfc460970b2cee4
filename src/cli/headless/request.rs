//! The commands of headless mode: one JSON object per stdin line, with a `cmd` field, turned
//! into a session command or the words (the person's language) saying what is wrong with it.

use serde::Deserialize;

use crate::cli::in_context;
use crate::model::{BareJid, ChatState, MAX_SENT_BODY, MessageId, ReplyTo, Show, bare_jid};
use crate::session::{Command, new_id};

/// One stdin line as a script writes it.
#[derive(Debug, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
enum Request {
    Send {
        to: String,
        body: String,
        id: Option<String>,
        /// The id (as the `message` event gave it) of the message this one replies to.
        reply_to: Option<String>,
    },
    Correct {
        id: String,
        body: String,
    },
    Retract {
        id: String,
    },
    React {
        id: String,
        reactions: Vec<String>,
    },
    Presence {
        show: String,
        status: Option<String>,
    },
    Add {
        jid: String,
        name: Option<String>,
        groups: Option<Vec<String>>,
        message: Option<String>,
        /// Absent: true, as `add` always did.
        share_presence: Option<bool>,
    },
    Update {
        jid: String,
        name: Option<String>,
        groups: Option<Vec<String>>,
    },
    Remove {
        jid: String,
    },
    Accept {
        jid: String,
    },
    Deny {
        jid: String,
    },
    Subscribe {
        jid: String,
        message: Option<String>,
    },
    Unsubscribe {
        jid: String,
    },
    Revoke {
        jid: String,
    },
    Block {
        jid: String,
    },
    Retry {
        id: String,
    },
    ChatState {
        to: String,
        state: String,
    },
    LastActivity {
        jid: String,
    },
    FetchOlder {
        peer: String,
    },
    RefreshRoster,
    Quit,
}

/// Parses one stdin line into a session command, or says in words (the person's language)
/// what is wrong with it.
pub fn parse_request(line: &str) -> Result<Command, String> {
    let request: Request = serde_json::from_str(line)
        .map_err(|e| crate::fl!("cli-headless-malformed", reason = e.to_string()))?;
    let jid = address;
    Ok(match request {
        Request::Send {
            to,
            body,
            id,
            reply_to,
        } => send(&to, body, id, reply_to)?,
        Request::Correct { id, body } => {
            let id = message_id("correct", id)?;
            check_body("correct", &body)?;
            Command::Correct { id, body }
        }
        Request::Retract { id } => Command::Retract {
            id: message_id("retract", id)?,
        },
        Request::React { id, reactions } => Command::React {
            id: message_id("react", id)?,
            emoji: reactions,
        },
        Request::Presence { show, status } => presence(&show, status)?,
        Request::Add {
            jid: j,
            name,
            groups,
            message,
            share_presence,
        } => Command::Add {
            jid: jid("add", &j)?,
            name: name.filter(|n| !n.trim().is_empty()),
            groups: clean_groups("add", groups)?,
            message,
            share_presence: share_presence.unwrap_or(true),
        },
        Request::Update {
            jid: j,
            name,
            groups,
        } => update(&j, name, groups)?,
        Request::Remove { jid: j } => Command::Remove {
            jid: jid("remove", &j)?,
        },
        Request::Accept { jid: j } => Command::Accept {
            jid: jid("accept", &j)?,
        },
        Request::Deny { jid: j } => Command::Deny {
            jid: jid("deny", &j)?,
        },
        Request::Subscribe { jid: j, message } => Command::Subscribe {
            jid: jid("subscribe", &j)?,
            message,
        },
        Request::Unsubscribe { jid: j } => Command::Unsubscribe {
            jid: jid("unsubscribe", &j)?,
        },
        Request::Revoke { jid: j } => Command::Revoke {
            jid: jid("revoke", &j)?,
        },
        Request::Block { jid: j } => Command::Block {
            jid: jid("block", &j)?,
        },
        Request::Retry { id } => Command::Retry {
            id: message_id("retry", id)?,
        },
        Request::ChatState { to, state } => chat_state(&to, &state)?,
        Request::LastActivity { jid: j } => Command::QueryLastActivity {
            jid: jid("last_activity", &j)?,
        },
        Request::FetchOlder { peer } => Command::FetchOlder {
            peer: jid("fetch_older", &peer)?,
        },
        Request::RefreshRoster => Command::RefreshRoster,
        Request::Quit => Command::Quit,
    })
}

/// `update`: a contact's new name (none when blank) and groups.
fn update(jid: &str, name: Option<String>, groups: Option<Vec<String>>) -> Result<Command, String> {
    Ok(Command::Update {
        jid: address("update", jid)?,
        name: name.filter(|n| !n.trim().is_empty()),
        groups: clean_groups("update", groups)?,
    })
}

/// A bare address for the request `cmd`, or what is wrong with it.
fn address(cmd: &str, text: &str) -> Result<BareJid, String> {
    bare_jid(text).map_err(|e| in_context(cmd, &e.to_string()))
}

/// The id of a message a command names: as the `message` event gave it.
fn message_id(cmd: &str, id: String) -> Result<MessageId, String> {
    if id.is_empty() {
        return Err(in_context(cmd, &crate::fl!("cli-headless-id-empty")));
    }
    crate::cli::args::message_id(&id).map_err(|e| in_context(cmd, &e))
}

fn send(
    to: &str,
    body: String,
    id: Option<String>,
    reply_to: Option<String>,
) -> Result<Command, String> {
    check_body("send", &body)?;
    let id = match id {
        // An empty id given is a mistake in the id, not a missing one.
        Some(id) if id.is_empty() => {
            return Err(in_context("send", &crate::fl!("cli-headless-bad-id")));
        }
        Some(id) => message_id("send", id)?,
        None => new_id(),
    };
    let reply_to = match reply_to {
        Some(target) => Some(ReplyTo {
            id: message_id("send", target)?,
            author: None,
            quote: None,
        }),
        None => None,
    };
    Ok(Command::Send {
        to: address("send", to)?,
        body,
        id,
        reply_to,
    })
}

/// A body a script may send: not empty, and within the one limit.
fn check_body(cmd: &str, body: &str) -> Result<(), String> {
    if body.is_empty() {
        return Err(in_context(cmd, &crate::fl!("cli-headless-body-empty")));
    }
    if body.len() > MAX_SENT_BODY {
        let (size, max) = (body.len(), MAX_SENT_BODY);
        let kib = max / 1024;
        let problem = crate::fl!(
            "cli-headless-body-too-long",
            size = size,
            max = max,
            kib = kib
        );
        return Err(in_context(cmd, &problem));
    }
    Ok(())
}

fn presence(show: &str, status: Option<String>) -> Result<Command, String> {
    match Show::parse(show) {
        Some(Show::Unavailable) | None => {
            let problem = crate::fl!("cli-headless-unknown-show", show = show);
            Err(in_context("presence", &problem))
        }
        Some(show) => Ok(Command::SetPresence {
            show,
            status: status.unwrap_or_default(),
        }),
    }
}

fn chat_state(to: &str, state: &str) -> Result<Command, String> {
    Ok(Command::ChatState {
        to: address("chat_state", to)?,
        state: ChatState::parse(state).ok_or_else(|| {
            let problem = crate::fl!("cli-headless-unknown-state", state = state);
            in_context("chat_state", &problem)
        })?,
    })
}

fn clean_groups(cmd: &str, groups: Option<Vec<String>>) -> Result<Vec<String>, String> {
    let mut clean: Vec<String> = Vec::new();
    for group in groups.unwrap_or_default() {
        let group = group.trim();
        if group.is_empty() {
            return Err(in_context(cmd, &crate::fl!("cli-error-group-empty")));
        }
        if !clean.iter().any(|g| g == group) {
            clean.push(group.to_owned());
        }
    }
    Ok(clean)
}
