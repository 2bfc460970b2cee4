//! The commands that go online: `check`, `send`, `roster --refresh`, `presence`, `accept`,
//! `deny`, `contact add`, `contact remove`.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::online;
use super::{CliError, Ctx, Failure, SendArgs, in_context, json, local, text, user_jid};
use crate::model::text::safe_name;
use crate::model::{
    BareJid, ContactPresence, Delivery, Jid, MAX_SENT_BODY, ResourcePresence, RosterItem, Show,
};
use crate::session::{Command, Event, ServerFeatures, new_id};

/// How long to listen for a contact's presence after signing in.
const PRESENCE_WAIT: Duration = Duration::from_secs(2);
/// Once one resource answered, how long to wait for the others.
const MORE_RESOURCES_WAIT: Duration = Duration::from_millis(500);
/// How long to wait for a confirmation that is not guaranteed (accept, deny).
const SETTLE: Duration = Duration::from_secs(3);

fn deadline(ctx: &Ctx, at_most: Option<Duration>) -> Instant {
    let wait = at_most.map_or(ctx.timeout, |d| d.min(ctx.timeout));
    Instant::now() + wait
}

pub(super) async fn check(ctx: &Ctx) -> Result<(), CliError> {
    let result = check_online(ctx).await;
    if let Err(failure) = &result
        && ctx.json
    {
        ctx.print(
            || {
                json!({"ok": false, "error": failure.error.to_string(),
                       "code": failure.code.as_str()})
            },
            String::new,
        )?;
    }
    let (jid, online_ms, features) = result?;
    ctx.print(
        || {
            json!({"ok": true, "jid": jid, "online_ms": online_ms,
                   "features": features.as_ref().map_or(Value::Null, json::features)})
        },
        || {
            let mut rows = vec![
                vec![crate::fl!("cli-check-ok"), jid.to_string()],
                vec![
                    crate::fl!("cli-check-online-in"),
                    crate::fl!("cli-check-ms", ms = online_ms),
                ],
            ];
            let list = |names: Vec<String>| names.join(&crate::fl!("cli-list-separator"));
            match &features {
                Some(f) => {
                    let (have, lack) = feature_names(f);
                    rows.push(vec![crate::fl!("cli-check-features"), list(have)]);
                    if !lack.is_empty() {
                        rows.push(vec![crate::fl!("cli-check-missing"), list(lack)]);
                    }
                }
                None => rows.push(vec![
                    crate::fl!("cli-check-features"),
                    crate::fl!("cli-check-not-reported"),
                ]),
            }
            text::table(&rows)
        },
    )
}

async fn check_online(ctx: &Ctx) -> Result<(Jid, u64, Option<ServerFeatures>), Failure> {
    let mut online = online::connect(ctx).await?;
    let features = online
        .wait_for(deadline(ctx, Some(Duration::from_secs(10))), |e| match e {
            Event::Features(f) => Some(f.clone()),
            _ => None,
        })
        .await;
    let (jid, ms) = (online.jid.clone(), online.elapsed_ms);
    online.close().await;
    Ok((jid, ms, features?))
}

/// The names of the features the server has and lacks, in the person's language.
fn feature_names(f: &ServerFeatures) -> (Vec<String>, Vec<String>) {
    let all = [
        (
            f.stream_management,
            crate::fl!("cli-feature-stream-management"),
        ),
        (
            f.roster_versioning,
            crate::fl!("cli-feature-roster-versioning"),
        ),
        (f.pre_approval, crate::fl!("cli-feature-pre-approval")),
        (f.carbons, crate::fl!("cli-feature-carbons")),
        (f.mam, crate::fl!("cli-feature-mam")),
        (f.blocking, crate::fl!("cli-feature-blocking")),
        (f.last_activity, crate::fl!("cli-feature-last-activity")),
        (f.ping, crate::fl!("cli-feature-ping")),
    ];
    let (have, lack): (Vec<_>, Vec<_>) = all.into_iter().partition(|(on, _)| *on);
    let names = |v: Vec<(bool, String)>| v.into_iter().map(|(_, n)| n).collect();
    (names(have), names(lack))
}

pub(super) async fn send(ctx: &Ctx, args: SendArgs) -> Result<(), CliError> {
    let to = user_jid(&args.to, "--to")?;
    let body = match args.text {
        Some(text) => text,
        None => read_body().await?,
    };
    check_body(&body)?;
    let mut online = online::connect(ctx).await?;
    let id = new_id();
    online
        .send(Command::Send {
            to: to.clone(),
            body,
            id: id.clone(),
            reply_to: args
                .reply_to
                .clone()
                .map(|id| crate::model::ReplyTo::new(id, None)),
        })
        .await?;
    let mut acked = false;
    // A delivery state, or why the session did not take the message.
    let outcome = online
        .wait_for(deadline(ctx, None), |e| match e {
            Event::Delivery { id: got, state } if *got == id => match state {
                Delivery::Failed | Delivery::Delivered => Some(Ok(*state)),
                Delivery::Acked if !args.wait_receipt => Some(Ok(*state)),
                Delivery::Acked => {
                    acked = true;
                    None
                }
                _ => None,
            },
            Event::NotQueued { id: got, message } if *got == id => Some(Err(message.clone())),
            _ => None,
        })
        .await;
    let problem = online.last_problem().map(str::to_owned);
    online.close().await;
    let state = sent_state(ctx, &to, outcome?.transpose(), acked, problem)?;
    ctx.print(
        || json!({"ok": true, "id": id, "to": to, "state": state.as_str()}),
        || {
            let line = if state == Delivery::Delivered {
                crate::fl!("cli-sent-delivered", jid = to.as_str(), id = id.as_str())
            } else {
                crate::fl!("cli-sent-acked", jid = to.as_str(), id = id.as_str())
            };
            format!("{line}\n")
        },
    )
}

/// A body `send` may send: not empty, and within the one limit of every way to send (README),
/// refused whole, never cut.
fn check_body(body: &str) -> Result<(), CliError> {
    if body.trim().is_empty() {
        return Err(CliError::Usage(crate::fl!("cli-error-send-empty")));
    }
    if body.len() > MAX_SENT_BODY {
        let (size, max) = (body.len(), MAX_SENT_BODY);
        let kib = max / 1024;
        return Err(CliError::Usage(crate::fl!(
            "cli-error-send-too-long",
            size = size,
            max = max,
            kib = kib
        )));
    }
    Ok(())
}

/// How far the message got, or why it did not: `outcome` is the delivery state seen (or why
/// the session did not take it), `acked` whether the server had it while a receipt was
/// awaited, `problem` the session's last word.
fn sent_state(
    ctx: &Ctx,
    to: &BareJid,
    outcome: Result<Option<Delivery>, String>,
    acked: bool,
    problem: Option<String>,
) -> Result<Delivery, CliError> {
    match outcome {
        Err(reason) => Err(CliError::Failed(crate::fl!(
            "cli-error-send-failed",
            jid = to.as_str(),
            reason = reason
        ))),
        Ok(Some(Delivery::Failed)) => {
            let why = problem.unwrap_or_else(|| crate::fl!("cli-no-reason"));
            Err(CliError::Failed(crate::fl!(
                "cli-error-send-failed",
                jid = to.as_str(),
                reason = why
            )))
        }
        Ok(Some(state)) => Ok(state),
        Ok(None) if acked => Err(CliError::Failed(crate::fl!(
            "cli-error-send-no-receipt",
            seconds = ctx.timeout.as_secs(),
            jid = to.as_str()
        ))),
        Ok(None) => Err(CliError::Failed(crate::fl!(
            "cli-error-send-no-ack",
            seconds = ctx.timeout.as_secs(),
            jid = to.as_str()
        ))),
    }
}

async fn read_body() -> Result<String, CliError> {
    tokio::task::spawn_blocking(|| {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            let _ = writeln!(std::io::stderr(), "{}", crate::fl!("cli-send-type-message"));
        }
        let mut bytes = Vec::new();
        // One byte past the limit says it is over; a trailing newline is not the message's.
        let most = MAX_SENT_BODY + 2;
        stdin
            .lock()
            .take(most as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                CliError::Failed(crate::fl!("cli-error-stdin-read", reason = e.to_string()))
            })?;
        if bytes.len() > most {
            let (max, kib) = (MAX_SENT_BODY, MAX_SENT_BODY / 1024);
            return Err(CliError::Usage(crate::fl!(
                "cli-error-stdin-too-long",
                max = max,
                kib = kib
            )));
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| CliError::Usage(crate::fl!("cli-error-stdin-not-utf8")))?;
        Ok(text.trim_end_matches(['\n', '\r']).to_owned())
    })
    .await
    .map_err(|_| CliError::Failed(crate::fl!("cli-error-stdin-stopped")))?
}

pub(super) async fn refresh_roster(ctx: &Ctx) -> Result<(), CliError> {
    let mut online = online::connect(ctx).await?;
    online.send(Command::RefreshRoster).await?;
    let items = online
        .wait_for(deadline(ctx, None), |e| match e {
            Event::Roster(items) => Some(items.clone()),
            _ => None,
        })
        .await;
    online.close().await;
    match items? {
        Some(items) => local::print_roster(ctx, &items),
        None => Err(CliError::Failed(crate::fl!(
            "cli-error-roster-timeout",
            seconds = ctx.timeout.as_secs()
        ))),
    }
}

pub(super) async fn presence(ctx: &Ctx, jid: &str) -> Result<(), CliError> {
    let peer = user_jid(jid, "presence")?;
    let mut online = online::connect(ctx).await?;
    let mut contact = ContactPresence::default();
    let mut full_jids = Vec::new();
    let mut until = deadline(ctx, Some(PRESENCE_WAIT));
    loop {
        let got = online
            .wait_for(until, |e| match e {
                Event::Presence {
                    jid,
                    show,
                    status,
                    priority,
                    idle_since,
                } => {
                    let full = jid;
                    (full.to_bare() == peer).then(|| {
                        let resource = full.resource().map(|r| r.to_string()).unwrap_or_default();
                        let presence = ResourcePresence {
                            show: *show,
                            status: status.clone(),
                            priority: *priority,
                            idle_since: *idle_since,
                        };
                        (jid.clone(), resource, presence)
                    })
                }
                _ => None,
            })
            .await;
        let Some((full, resource, presence)) = got? else {
            break;
        };
        if presence.show != Show::Unavailable {
            full_jids.push(full);
        }
        contact.apply(&resource, presence, crate::model::now_millis());
        until = until.min(Instant::now() + MORE_RESOURCES_WAIT);
    }
    let mut last_status = None;
    if contact.resources.is_empty() {
        online
            .send(Command::QueryLastActivity { jid: peer.clone() })
            .await?;
        let answer = online
            .wait_for(deadline(ctx, Some(Duration::from_secs(10))), |e| match e {
                Event::LastActivity {
                    jid,
                    last_seen,
                    status,
                } if *jid == peer => Some((*last_seen, status.clone())),
                _ => None,
            })
            .await;
        if let Ok(Some((last_seen, status))) = &answer {
            contact.last_seen = *last_seen;
            last_status = status.clone();
        }
        answer?;
    }
    online.close().await;
    print_presence(ctx, &peer, &contact, last_status.as_deref())
}

fn print_presence(
    ctx: &Ctx,
    peer: &BareJid,
    contact: &ContactPresence,
    last_status: Option<&str>,
) -> Result<(), CliError> {
    let best = contact.best().map(|(_, p)| p);
    let status = best.map_or(last_status.unwrap_or(contact.status()), |p| {
        p.status.as_str()
    });
    let idle = best.and_then(|p| p.idle_since);
    ctx.print(
        || {
            let resources: Vec<Value> = contact
                .resources
                .iter()
                .map(|(r, p)| {
                    json!({"resource": r, "show": p.show.as_str(), "status": p.status,
                           "priority": p.priority, "idle_since": p.idle_since.map(json::timestamp)})
                })
                .collect();
            json!({"jid": peer, "show": contact.show().as_str(), "status": status,
                   "idle_since": idle.map(json::timestamp),
                   "last_seen": contact.last_seen.map(json::timestamp),
                   "resources": resources})
        },
        || {
            let mut rows = vec![
                vec![crate::fl!("cli-presence-contact"), peer.to_string()],
                vec![
                    crate::fl!("cli-presence-show"),
                    crate::i18n::show_name(contact.show()),
                ],
            ];
            if !status.is_empty() {
                rows.push(vec![crate::fl!("cli-presence-status"), text::whole(status)]);
            }
            if let Some(idle) = idle {
                rows.push(vec![
                    crate::fl!("cli-presence-idle-since"),
                    text::local_time(idle),
                ]);
            }
            if contact.resources.is_empty() {
                let seen = contact
                    .last_seen
                    .map_or_else(|| crate::fl!("cli-presence-unknown"), text::local_time);
                rows.push(vec![crate::fl!("cli-presence-last-seen"), seen]);
            } else {
                let list: Vec<String> = contact
                    .resources
                    .iter()
                    .map(|(r, p)| {
                        crate::fl!(
                            "cli-presence-resource",
                            resource = safe_name(r),
                            show = crate::i18n::show_name(p.show),
                            priority = p.priority
                        )
                    })
                    .collect();
                rows.push(vec![
                    crate::fl!("cli-presence-resources"),
                    list.join(&crate::fl!("cli-list-separator")),
                ]);
            }
            text::table(&rows)
        },
    )
}

/// `accept` and `deny`.
pub(super) async fn answer(ctx: &Ctx, jid: &str, accept: bool) -> Result<(), CliError> {
    let peer = user_jid(jid, if accept { "accept" } else { "deny" })?;
    let mut online = online::connect(ctx).await?;
    let command = if accept {
        Command::Accept { jid: peer.clone() }
    } else {
        Command::Deny { jid: peer.clone() }
    };
    online.send(command).await?;
    // The server confirms with a roster push when the requester is (or becomes) a contact;
    // otherwise there is nothing to wait for but the stanza leaving.
    let item = online
        .wait_for(deadline(ctx, Some(SETTLE)), |e| roster_push_of(e, &peer))
        .await;
    online.close().await;
    let item = item?;
    ctx.print(
        || {
            json!({"ok": true, "jid": peer, "accepted": accept,
                  "subscription": item.as_ref().map(|i| i.subscription.as_str())})
        },
        || {
            let line = if accept {
                crate::fl!("cli-accepted", jid = peer.as_str())
            } else {
                crate::fl!("cli-denied", jid = peer.as_str())
            };
            format!("{line}\n")
        },
    )
}

fn roster_push_of(event: &Event, peer: &BareJid) -> Option<RosterItem> {
    match event {
        Event::RosterPush(item) if item.jid == *peer => Some(item.clone()),
        _ => None,
    }
}

/// What `contact add` was given besides the address.
pub(super) struct NewContact {
    pub name: Option<String>,
    pub groups: Vec<String>,
    pub message: Option<String>,
    /// Not `--no-share`.
    pub share_presence: bool,
}

pub(super) async fn contact_add(ctx: &Ctx, jid: &str, contact: NewContact) -> Result<(), CliError> {
    let NewContact {
        name,
        groups,
        message,
        share_presence,
    } = contact;
    let peer = user_jid(jid, "contact add")?;
    let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    let mut clean_groups = Vec::new();
    for group in groups {
        let group = group.trim().to_owned();
        if group.is_empty() {
            return Err(CliError::Usage(in_context(
                "--group",
                &crate::fl!("cli-error-group-empty"),
            )));
        }
        if !clean_groups.contains(&group) {
            clean_groups.push(group);
        }
    }
    let mut online = online::connect(ctx).await?;
    online
        .send(Command::Add {
            jid: peer.clone(),
            name,
            groups: clean_groups,
            message,
            share_presence,
        })
        .await?;
    let item = online
        .wait_for(deadline(ctx, None), |e| roster_push_of(e, &peer))
        .await;
    let problem = online.last_problem().map(str::to_owned);
    online.close().await;
    let Some(item) = item? else {
        return Err(not_confirmed(ctx, Change::Add, &peer, problem));
    };
    ctx.print(
        || json!({"ok": true, "item": json::roster_item(&item)}),
        || format!("{}\n", crate::fl!("cli-contact-added", jid = peer.as_str())),
    )
}

pub(super) async fn contact_remove(ctx: &Ctx, jid: &str) -> Result<(), CliError> {
    let peer = user_jid(jid, "contact remove")?;
    let mut online = online::connect(ctx).await?;
    online.send(Command::Remove { jid: peer.clone() }).await?;
    let removed = online
        .wait_for(deadline(ctx, None), |e| {
            matches!(e, Event::RosterRemoved(jid) if *jid == peer).then_some(())
        })
        .await;
    let problem = online.last_problem().map(str::to_owned);
    online.close().await;
    if removed?.is_none() {
        return Err(not_confirmed(ctx, Change::Remove, &peer, problem));
    }
    ctx.print(
        || json!({"ok": true, "jid": peer}),
        || {
            format!(
                "{}\n",
                crate::fl!("cli-contact-removed", jid = peer.as_str())
            )
        },
    )
}

/// A roster change that the server has to confirm.
#[derive(Debug, Clone, Copy)]
enum Change {
    Add,
    Remove,
}

fn not_confirmed(ctx: &Ctx, change: Change, peer: &BareJid, problem: Option<String>) -> CliError {
    let seconds = ctx.timeout.as_secs();
    let text = match change {
        Change::Add => crate::fl!(
            "cli-error-add-unconfirmed",
            jid = peer.as_str(),
            seconds = seconds
        ),
        Change::Remove => {
            crate::fl!(
                "cli-error-remove-unconfirmed",
                jid = peer.as_str(),
                seconds = seconds
            )
        }
    };
    CliError::Failed(match problem {
        Some(p) => in_context(&text, &p),
        None => text,
    })
}
