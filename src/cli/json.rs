//! The JSON shapes of the command line and of headless mode, in one place. Field names and
//! values are a public interface (scripts read them): add fields, never rename one.

use chrono::{DateTime, SecondsFormat};
use serde_json::{Value, json};

use crate::model::{
    Account, AuthMethod, ChatMessage, Delivery, MessageChange, Millis, RosterItem,
    SubscriptionRequest,
};
use crate::session::{Event, ServerFeatures};

/// RFC 3339 in UTC with milliseconds (`2024-05-01T12:00:00.000Z`); `null` when out of range.
pub fn timestamp(millis: Millis) -> Value {
    DateTime::from_timestamp_millis(millis).map_or(Value::Null, |t| {
        Value::String(t.to_rfc3339_opts(SecondsFormat::Millis, true))
    })
}

fn optional_timestamp(millis: Option<Millis>) -> Value {
    millis.map_or(Value::Null, timestamp)
}

/// `{jid, name, groups, subscription, ask, approved}`; `ask` is `"subscribe"` or `null`.
pub fn roster_item(item: &RosterItem) -> Value {
    json!({
        "jid": item.jid,
        "name": item.name,
        "groups": item.groups,
        "subscription": item.subscription.as_str(),
        "ask": if item.ask { Some("subscribe") } else { None },
        "approved": item.approved,
    })
}

/// `{from, nick, message, received_at, state}`.
pub fn request(request: &SubscriptionRequest) -> Value {
    json!({
        "from": request.from,
        "nick": request.nick,
        "message": request.message,
        "received_at": timestamp(request.received_at),
        "state": request.state.as_str(),
    })
}

/// `{id, peer, direction, body, timestamp, delayed, carbon, delivery, reply_to, edited,
/// encrypted}`. `id` is the stanza id, the one delivery events and the commands that change a
/// message name; `reply_to` is `{id, peer}` or null, `encrypted` the scheme's name or null (the
/// body is then empty).
pub fn message(message: &ChatMessage) -> Value {
    let x = &message.extras;
    json!({
        "id": message_id(message),
        "peer": message.peer,
        "direction": message.direction.as_str(),
        "body": message.body,
        "timestamp": timestamp(message.sent_at),
        "delayed": message.delayed,
        "carbon": message.carbon,
        "delivery": message.delivery.as_str(),
        "reply_to": x.reply_to.as_ref().map(|r| json!({"id": r.id, "peer": message.peer})),
        "edited": x.edited(),
        "encrypted": x.encryption.as_ref().map(|e| e.scheme.as_str()),
    })
}

/// The id scripts know a message by: its stanza id (its origin-id when it came without one).
fn message_id(message: &ChatMessage) -> Option<&str> {
    message
        .remote_id
        .as_deref()
        .or(message.origin_id.as_deref())
}

/// The lines for changes to earlier messages: `message_corrected` {id, peer, body,
/// corrected_at}, `message_retracted` {id, peer}, `reactions` {id, peer, from, reactions}.
fn changes(changes: &[MessageChange]) -> Vec<Value> {
    changes
        .iter()
        .map(|change| {
            let m = change.message();
            let (id, peer) = (message_id(m), &m.peer);
            match change {
                MessageChange::Corrected(_) => json!({
                    "event": "message_corrected", "id": id, "peer": peer, "body": m.body,
                    "corrected_at": optional_timestamp(m.extras.edited_at),
                }),
                MessageChange::Retracted(_) => {
                    json!({"event": "message_retracted", "id": id, "peer": peer})
                }
                MessageChange::Reactions { from, emoji, .. } => json!({
                    "event": "reactions", "id": id, "peer": peer, "from": from,
                    "reactions": emoji,
                }),
            }
        })
        .collect()
}

/// An account as `account list --json` shows it (never a password; the pinned certificate only
/// as a flag).
pub fn account(account: &Account) -> Value {
    json!({
        "jid": account.jid,
        "host": account.host,
        "port": account.port,
        "tls": account.tls.as_str(),
        "resource": account.resource,
        "pinned_certificate": account.pinned_cert.is_some(),
        "connect_timeout_secs": account.connect_timeout_secs,
        "show": account.last_show.as_str(),
        "status": account.last_status,
        "default": account.is_default,
        "sign_in_method": account.auth_method.map(AuthMethod::as_str),
        "allow_plain": account.allow_plain,
    })
}

/// The server features as `check --json` and the `features` event show them.
pub fn features(features: &ServerFeatures) -> Value {
    serde_json::to_value(features).unwrap_or(Value::Null)
}

/// The headless lines for the events about the server's archive.
fn archive_json(event: &Event) -> Vec<Value> {
    let value = match event {
        Event::CaughtUp { new_messages } => {
            json!({"event": "caught_up", "new_messages": new_messages})
        }
        Event::CatchupProgress {
            pages,
            new_messages,
        } => json!({"event": "catchup_progress", "pages": pages, "new_messages": new_messages}),
        Event::ArchiveUnavailable { message, retry_in } => {
            let mut value = error("archive", message);
            if let Value::Object(map) = &mut value {
                map.insert("retry_in".into(), retry_in.as_secs().into());
            }
            value
        }
        Event::OlderHistory { peer, complete } => {
            json!({"event": "older_history", "peer": peer, "complete": complete})
        }
        _ => return vec![],
    };
    vec![value]
}

/// The headless lines for one session event: usually one, one per message for a batch of
/// messages, none for states scripts are not promised (queued, received).
pub fn event_json(event: &Event) -> Vec<Value> {
    let one = |value: Value| vec![value];
    match event {
        Event::Connecting => one(json!({"event": "connecting"})),
        Event::Online {
            jid,
            resumed,
            elapsed_ms,
        } => one(json!({
            "event": "online", "jid": jid, "resumed": resumed, "elapsed_ms": elapsed_ms,
        })),
        Event::Features(f) => one(json!({"event": "features", "features": features(f)})),
        Event::Offline { reason, retry_in } => one(json!({
            "event": "offline",
            "reason": reason,
            "retry_in_ms": retry_in.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        })),
        Event::AuthFailed { reason } => one(json!({"event": "auth_failed", "reason": reason})),
        e @ (Event::RosterSync { .. }
        | Event::Roster(_)
        | Event::RosterPush(_)
        | Event::RosterRemoved(_)
        | Event::Presence { .. }
        | Event::LastActivity { .. }
        | Event::SubscriptionRequest(_)) => contacts_json(e),
        Event::Messages(messages) => messages
            .iter()
            .map(|m| with_event(message(m), "message"))
            .collect(),
        Event::Changed(list) => changes(list),
        Event::Delivery { id, state } => match state {
            Delivery::Sent | Delivery::Acked | Delivery::Delivered | Delivery::Failed => {
                one(json!({"event": "delivery", "id": id, "state": state.as_str()}))
            }
            Delivery::Queued | Delivery::Received => Vec::new(),
        },
        Event::ChatState { from, state } => {
            one(json!({"event": "chat_state", "from": from, "state": state.as_str()}))
        }
        e @ (Event::CaughtUp { .. }
        | Event::CatchupProgress { .. }
        | Event::ArchiveUnavailable { .. }
        | Event::OlderHistory { .. }) => archive_json(e),
        Event::Error { message } => one(error("session", message)),
        // An `error` as before, with the id of the message it is about.
        Event::NotQueued { id, message } => {
            let mut value = error("session", message);
            if let Value::Object(map) = &mut value {
                map.insert("id".into(), id.as_str().into());
            }
            one(value)
        }
        Event::Closed => one(json!({"event": "closed"})),
    }
}

/// [`event_json`] for the roster, presences, last activity and requests.
fn contacts_json(event: &Event) -> Vec<Value> {
    let one = |value: Value| vec![value];
    match event {
        Event::RosterSync { version, fetched } => {
            one(json!({"event": "roster_sync", "version": version, "fetched": fetched}))
        }
        Event::Roster(items) => one(json!({
            "event": "roster",
            "items": items.iter().map(roster_item).collect::<Vec<_>>(),
        })),
        Event::RosterPush(item) => one(json!({"event": "roster_push", "item": roster_item(item)})),
        Event::RosterRemoved(jid) => one(json!({"event": "roster_removed", "jid": jid})),
        Event::Presence {
            jid,
            show,
            status,
            priority,
            idle_since,
        } => one(json!({
            "event": "presence",
            "jid": jid,
            "show": show.as_str(),
            "status": status,
            "idle_since": optional_timestamp(*idle_since),
            "priority": priority,
        })),
        Event::LastActivity {
            jid,
            last_seen,
            status,
        } => one(json!({
            "event": "last_activity",
            "jid": jid,
            "last_seen": optional_timestamp(*last_seen),
            "status": status,
        })),
        Event::SubscriptionRequest(r) => one(with_event(request(r), "subscription_request")),
        _ => Vec::new(),
    }
}

/// `value` (an object) as the event `name`.
fn with_event(mut value: Value, name: &str) -> Value {
    if let Value::Object(map) = &mut value {
        map.insert("event".into(), name.into());
    }
    value
}

/// The `error` event: `code` says what kind of problem it is (stable, for scripts), `message`
/// says it in the person's language.
pub fn error(code: &str, message: &str) -> Value {
    json!({"event": "error", "message": message, "code": code})
}

#[cfg(test)]
mod tests {
    use crate::model::address::{full, j};
    use std::time::Duration;

    use super::*;
    use crate::model::{ChatState, Direction, RequestState, Show, Subscription};

    /// 2024-05-01T12:00:00.000Z
    const T: Millis = 1_714_564_800_000;
    const T_TEXT: &str = "2024-05-01T12:00:00.000Z";

    fn item() -> RosterItem {
        RosterItem {
            jid: j("bob@example.org"),
            name: Some("Bob".into()),
            groups: vec!["Friends".into()],
            subscription: Subscription::None,
            ask: true,
            approved: false,
        }
    }

    fn item_json() -> Value {
        json!({"jid": "bob@example.org", "name": "Bob", "groups": ["Friends"],
               "subscription": "none", "ask": "subscribe", "approved": false})
    }

    fn chat(direction: Direction, id: Option<&str>, carbon: bool) -> ChatMessage {
        ChatMessage {
            local_id: 7,
            account: j("alice@example.org"),
            peer: j("bob@example.org"),
            direction,
            body: "hi".into(),
            sent_at: T,
            received_at: T + 5,
            remote_id: id.map(crate::model::MessageId::from),
            origin_id: None,
            stanza_id: None,
            delivery: if direction == Direction::In {
                Delivery::Received
            } else {
                Delivery::Acked
            },
            delayed: true,
            carbon,
            extras: Default::default(),
        }
    }

    #[test]
    fn changes_to_earlier_messages_have_the_documented_fields() {
        let mut m = chat(Direction::In, Some("m1"), false);
        m.extras.edited_at = Some(T);
        m.extras.reply_to = Some(crate::model::ReplyTo {
            id: "m0".into(),
            author: None,
            quote: None,
        });
        let message_line = with_event(message(&m), "message");
        assert_eq!(
            message_line["reply_to"],
            json!({"id": "m0", "peer": "bob@example.org"})
        );
        assert_eq!(message_line["edited"], json!(true));
        let changes = Event::Changed(vec![
            MessageChange::Corrected(m.clone()),
            MessageChange::Retracted(m.clone()),
            MessageChange::Reactions {
                message: m,
                from: j("alice@example.org"),
                emoji: vec!["👍".into()],
            },
        ]);
        assert_eq!(
            event_json(&changes),
            [
                json!({"event": "message_corrected", "id": "m1", "peer": "bob@example.org",
                       "body": "hi", "corrected_at": T_TEXT}),
                json!({"event": "message_retracted", "id": "m1", "peer": "bob@example.org"}),
                json!({"event": "reactions", "id": "m1", "peer": "bob@example.org",
                       "from": "alice@example.org", "reactions": ["👍"]}),
            ]
        );
    }

    #[test]
    fn every_event_has_the_documented_fields() {
        let cases: Vec<(Event, Vec<Value>)> = vec![
            (Event::Connecting, vec![json!({"event": "connecting"})]),
            (
                Event::Online {
                    jid: full("alice@example.org/desk"),
                    resumed: false,
                    elapsed_ms: 42,
                },
                vec![
                    json!({"event": "online", "jid": "alice@example.org/desk", "resumed": false,
                            "elapsed_ms": 42}),
                ],
            ),
            (
                Event::Offline {
                    reason: "connection refused".into(),
                    retry_in: Some(Duration::from_secs(2)),
                },
                vec![
                    json!({"event": "offline", "reason": "connection refused", "retry_in_ms": 2000}),
                ],
            ),
            (
                Event::Offline {
                    reason: "closed".into(),
                    retry_in: None,
                },
                vec![json!({"event": "offline", "reason": "closed", "retry_in_ms": null})],
            ),
            (
                Event::AuthFailed {
                    reason: "not-authorized".into(),
                },
                vec![json!({"event": "auth_failed", "reason": "not-authorized"})],
            ),
            (
                Event::RosterSync {
                    version: Some("v2".into()),
                    fetched: false,
                },
                vec![json!({"event": "roster_sync", "version": "v2", "fetched": false})],
            ),
            (
                Event::Roster(vec![item()]),
                vec![json!({"event": "roster", "items": [item_json()]})],
            ),
            (
                Event::RosterPush(item()),
                vec![json!({"event": "roster_push", "item": item_json()})],
            ),
            (
                Event::RosterRemoved(j("bob@example.org")),
                vec![json!({"event": "roster_removed", "jid": "bob@example.org"})],
            ),
            (
                Event::Presence {
                    jid: full("bob@example.org/phone"),
                    show: Show::Xa,
                    status: "out".into(),
                    priority: 5,
                    idle_since: Some(T),
                },
                vec![
                    json!({"event": "presence", "jid": "bob@example.org/phone", "show": "xa",
                            "status": "out", "idle_since": T_TEXT, "priority": 5}),
                ],
            ),
            (
                Event::Presence {
                    jid: full("bob@example.org/phone"),
                    show: Show::Unavailable,
                    status: String::new(),
                    priority: 0,
                    idle_since: None,
                },
                vec![json!({"event": "presence", "jid": "bob@example.org/phone",
                            "show": "unavailable", "status": "", "idle_since": null, "priority": 0})],
            ),
            (
                Event::SubscriptionRequest(SubscriptionRequest {
                    from: j("carol@example.org"),
                    nick: Some("Carol".into()),
                    message: None,
                    received_at: T,
                    state: RequestState::Pending,
                }),
                vec![
                    json!({"event": "subscription_request", "from": "carol@example.org",
                            "nick": "Carol", "message": null, "received_at": T_TEXT,
                            "state": "pending"}),
                ],
            ),
            (
                Event::Messages(vec![
                    chat(Direction::In, Some("m1"), false),
                    chat(Direction::Out, Some("m2"), true),
                ]),
                vec![
                    json!({"event": "message", "id": "m1", "peer": "bob@example.org",
                           "direction": "in", "body": "hi", "timestamp": T_TEXT, "delayed": true,
                           "carbon": false, "delivery": "received", "reply_to": null,
                           "edited": false, "encrypted": null}),
                    json!({"event": "message", "id": "m2", "peer": "bob@example.org",
                           "direction": "out", "body": "hi", "timestamp": T_TEXT, "delayed": true,
                           "carbon": true, "delivery": "acked", "reply_to": null,
                           "edited": false, "encrypted": null}),
                ],
            ),
            (Event::Messages(Vec::new()), vec![]),
            (
                Event::Delivery {
                    id: "m2".into(),
                    state: Delivery::Delivered,
                },
                vec![json!({"event": "delivery", "id": "m2", "state": "delivered"})],
            ),
            (
                Event::Delivery {
                    id: "m2".into(),
                    state: Delivery::Queued,
                },
                vec![],
            ),
            (
                Event::ChatState {
                    from: j("bob@example.org"),
                    state: ChatState::Composing,
                },
                vec![
                    json!({"event": "chat_state", "from": "bob@example.org", "state": "composing"}),
                ],
            ),
            (
                Event::Error {
                    message: "the server refused".into(),
                },
                vec![json!({"event": "error", "message": "the server refused", "code": "session"})],
            ),
            (
                Event::NotQueued {
                    id: "m3".into(),
                    message: "the disk is full".into(),
                },
                vec![json!({
                    "event": "error", "message": "the disk is full", "code": "session", "id": "m3"
                })],
            ),
            (
                Event::LastActivity {
                    jid: j("bob@example.org"),
                    last_seen: Some(T),
                    status: None,
                },
                vec![json!({"event": "last_activity", "jid": "bob@example.org",
                            "last_seen": T_TEXT, "status": null})],
            ),
            (
                Event::CaughtUp { new_messages: 3 },
                vec![json!({"event": "caught_up", "new_messages": 3})],
            ),
            (Event::Closed, vec![json!({"event": "closed"})]),
        ];
        for (event, expected) in cases {
            assert_eq!(event_json(&event), expected, "{event:?}");
        }
    }

    #[test]
    fn error_events_carry_a_stable_code_beside_the_words() {
        let line = error("bad_command", "malformed command: expected value");
        assert_eq!(
            line,
            json!({"event": "error", "message": "malformed command: expected value",
                   "code": "bad_command"})
        );
        // The field order keeps what scripts saw before `code` existed in front.
        assert_eq!(
            line.to_string(),
            r#"{"event":"error","message":"malformed command: expected value","code":"bad_command"}"#
        );
    }

    #[test]
    fn delivery_states_use_the_documented_names() {
        let cases = [
            (Delivery::Sent, "sent"),
            (Delivery::Acked, "acked"),
            (Delivery::Delivered, "delivered"),
            (Delivery::Failed, "failed"),
        ];
        for (state, name) in cases {
            let lines = event_json(&Event::Delivery {
                id: "x".into(),
                state,
            });
            assert_eq!(
                lines,
                vec![json!({"event": "delivery", "id": "x", "state": name})]
            );
        }
    }

    #[test]
    fn features_are_one_object_of_flags() {
        let f = ServerFeatures {
            stream_management: true,
            disco: vec!["urn:xmpp:ping".into()],
            ..Default::default()
        };
        let lines = event_json(&Event::Features(f));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["event"], "features");
        assert_eq!(lines[0]["features"]["stream_management"], true);
        assert_eq!(lines[0]["features"]["mam"], false);
        assert_eq!(lines[0]["features"]["disco"], json!(["urn:xmpp:ping"]));
    }

    #[test]
    fn accounts_never_carry_secrets() {
        let mut a = Account::new(j("alice@example.org"));
        a.pinned_cert = Some(vec![1, 2, 3]);
        let value = account(&a);
        assert_eq!(value["pinned_certificate"], true);
        assert_eq!(value["tls"], "starttls");
        assert!(value.get("password").is_none());
        assert_eq!(value["sign_in_method"], serde_json::Value::Null);
        assert_eq!(value["allow_plain"], false);
        a.auth_method = Some(AuthMethod::ScramBound);
        assert_eq!(account(&a)["sign_in_method"], "scram-plus");
    }
}
