//! Hostile bytes from a server the client has signed in to (issue 4, "Parsing and size"): a
//! stanza of many megabytes, nesting thousands deep, a DTD with entity declarations (billion
//! laughs), a processing instruction, an undefined entity, and the stream errors that must stop
//! the reconnecting (conflict, policy-violation). The fake server signs Natter in over TLS, binds,
//! and then sends them inside the session; each test checks what the person is told, that
//! nothing from the bytes reached the store or the screen, and what the server saw afterwards.

use crate::j;
use std::sync::Arc;
use std::time::Duration;

use natter::model::Account;
use natter::session::{self, Command, Credentials, Event};
use natter::store::Store;
use tokio::sync::{Notify, mpsc};

use crate::fake_server::{Chunk, FakeServer, Script, Session, Transcript, certs};

const JID: &str = "alice@localhost";
/// The forged text every hostile stanza carries: it must never reach the store or an event.
const FORGED: &str = "FORGED-TEXT";

/// A Natter session against a fake server, with what it reported.
struct Run {
    handle: session::Handle,
    events: mpsc::Receiver<Event>,
    seen: Vec<Event>,
    store: Store,
    _dir: tempfile::TempDir,
}

impl Run {
    async fn start(server: &FakeServer) -> Run {
        let dir = tempfile::tempdir().expect("a temp dir");
        let store = Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
        let mut account = Account::new(j(JID));
        account.host = Some("127.0.0.1".into());
        account.port = Some(server.port());
        account.pinned_cert = Some(certs::ca_der());
        account.resource = Some("desk".into());
        account.connect_timeout_secs = 5;
        store
            .save_account(account.clone())
            .await
            .expect("account saved");
        let creds = Credentials {
            account,
            password: "wire-s3cret".into(),
        };
        let (handle, events) = session::spawn(creds, store.clone());
        Run {
            handle,
            events,
            seen: Vec::new(),
            store,
            _dir: dir,
        }
    }

    /// Waits up to `within` for an event matching `pred`.
    async fn wait(&mut self, what: &str, within: Duration, pred: impl Fn(&Event) -> bool) -> Event {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(e)) => {
                    self.seen.push(e.clone());
                    if pred(&e) {
                        return e;
                    }
                }
                Ok(None) => panic!("the session ended before {what}: {:#?}", self.seen),
                Err(_) => panic!("no {what} within {within:?}: {:#?}", self.seen),
            }
        }
    }

    /// Collects events for `d`.
    async fn drain_for(&mut self, d: Duration) {
        let deadline = tokio::time::Instant::now() + d;
        while let Ok(Some(e)) = tokio::time::timeout_at(deadline, self.events.recv()).await {
            self.seen.push(e);
        }
    }

    /// The reasons of every `Offline` so far, with when a retry was due.
    fn offline(&self) -> Vec<(String, Option<Duration>)> {
        self.seen
            .iter()
            .filter_map(|e| match e {
                Event::Offline { reason, retry_in } => Some((reason.clone(), *retry_in)),
                _ => None,
            })
            .collect()
    }

    /// Nothing of the hostile bytes reached the person: no message event, nothing stored, the
    /// forged text in no event.
    async fn assert_nothing_shown(&self) {
        let seen = format!("{:?}", self.seen);
        assert!(
            !seen.contains(FORGED),
            "the forged text reached an event: {seen}"
        );
        assert!(
            !self.seen.iter().any(|e| matches!(e, Event::Messages(_))),
            "a message was announced: {seen}"
        );
        let stored = self
            .store
            .history(&j(JID), &j("bob@localhost"), None, 10)
            .await
            .expect("history reads");
        assert!(stored.is_empty(), "stored: {stored:?}");
    }

    async fn stall(&mut self) {
        crate::client::stall(&self.handle, &self.events).await;
    }

    async fn quit(self) {
        let _ = self.handle.send(Command::Quit);
        let mut events = self.events;
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(e) = events.recv().await {
                if e == Event::Closed {
                    return;
                }
            }
        })
        .await;
    }
}

/// A fake server that signs the client in and then sends `send`, for `connections` connections.
async fn hostile_server(send: Vec<Chunk>, connections: usize) -> FakeServer {
    FakeServer::start(Script {
        session: Some(Session::new(send)),
        connections,
        ..Script::starttls(certs::good())
    })
    .await
}

/// A message from bob opening with the forged text, for the hostile part to follow.
fn message_start() -> String {
    format!(
        "<message xmlns='jabber:client' from='bob@localhost/x' to='{JID}/desk' type='chat' \
         id='h1'><body>{FORGED}"
    )
}

/// Signs in, receives `send`, and returns the reason the person was given for the reset, with
/// the run and the server's transcript so far. The second connection proves the session goes
/// on trying (the reason was not fatal); the time it waited before it is printed.
async fn reset_by(send: Vec<Chunk>) -> (String, Run, Transcript) {
    let server = hostile_server(send, 2).await;
    let mut run = Run::start(&server).await;
    run.wait("online", Duration::from_secs(10), |e| {
        matches!(e, Event::Online { .. })
    })
    .await;
    run.wait("the reset", Duration::from_secs(20), |e| {
        matches!(e, Event::Offline { .. })
    })
    .await;
    run.wait("the second sign-in", Duration::from_secs(20), |e| {
        matches!(e, Event::Online { .. })
    })
    .await;
    run.drain_for(Duration::from_millis(500)).await;
    let offline = run.offline();
    let (reason, _) = offline.first().cloned().expect("an offline event");
    let waited = offline.iter().filter_map(|(_, d)| *d).max();
    println!("reset: “{reason}”; the session waited {waited:?} before signing in again");
    (reason, run, server.snapshot())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stanza_of_many_megabytes_resets_the_connection_without_being_read_whole() {
    let body = vec![b'A'; 64 * 1024];
    let (reason, run, t) = reset_by(vec![
        Chunk::text(&message_start()),
        Chunk::Repeat(body, 1024), // 64 MiB of body text
        Chunk::text("</body></message>"),
    ])
    .await;
    assert!(
        reason.contains("larger than 8 MiB") && reason.contains("reset"),
        "{reason}"
    );
    run.assert_nothing_shown().await;
    // The client stopped reading soon after the cap: what it took (plus what the kernel's
    // socket buffers held) is far from the 64 MiB the server tried to send.
    let took = t.delivered.first().copied().unwrap_or_default();
    println!(
        "the client took {:.1} MiB of 64 MiB",
        took as f64 / 1048576.0
    );
    assert!(took < 32 << 20, "the client read {took} bytes:\n{t:?}");
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nesting_thousands_deep_resets_the_connection() {
    let (reason, run, _) = reset_by(vec![
        Chunk::text(&message_start()),
        Chunk::text("</body>"),
        Chunk::Repeat(b"<x xmlns='urn:example:deep'>".to_vec(), 100_000),
        Chunk::Repeat(b"</x>".to_vec(), 100_000),
        Chunk::text("</message>"),
    ])
    .await;
    assert!(
        reason.contains("nested more than 64 levels") && reason.contains("reset"),
        "{reason}"
    );
    run.assert_nothing_shown().await;
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dtd_with_entity_declarations_is_refused() {
    // Billion laughs: ten levels of ten references each would expand to 10^9 "lol"s.
    let mut dtd = String::from("<!DOCTYPE message [<!ENTITY lol0 \"lol\">");
    for level in 1..10 {
        let refs = format!("&lol{};", level - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{level} \"{refs}\">"));
    }
    dtd.push_str("]>");
    let (reason, run, _) = reset_by(vec![Chunk::text(&format!(
        "{dtd}{}&lol9;</body></message>",
        message_start()
    ))])
    .await;
    assert!(reason.contains("document type declaration"), "{reason}");
    run.assert_nothing_shown().await;
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_processing_instruction_is_refused() {
    let (reason, run, _) = reset_by(vec![Chunk::text(&format!(
        "<?xml-stylesheet href='evil.xsl'?>{}</body></message>",
        message_start()
    ))])
    .await;
    assert!(reason.contains("processing instruction"), "{reason}");
    run.assert_nothing_shown().await;
    run.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undefined_entity_is_refused() {
    let (reason, run, _) = reset_by(vec![Chunk::text(&format!(
        "{} &bank; </body></message>",
        message_start()
    ))])
    .await;
    assert!(reason.contains("“&bank;”"), "{reason}");
    run.assert_nothing_shown().await;
    run.quit().await;
}

/// The server ends the signed-in session with a stream error; returns what the person was told
/// and how many connections the server saw in the seconds after.
async fn ended_by(condition: &str, text: &str) -> (Vec<(String, Option<Duration>)>, Transcript) {
    let server = hostile_server(
        vec![Chunk::text(&format!(
            "<stream:error><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\
             <text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>{text}</text></stream:error>\
             </stream:stream>"
        ))],
        3,
    )
    .await;
    let mut run = Run::start(&server).await;
    run.wait("online", Duration::from_secs(10), |e| {
        matches!(e, Event::Online { .. })
    })
    .await;
    run.wait("the end of the session", Duration::from_secs(10), |e| {
        matches!(e, Event::Offline { .. } | Event::AuthFailed { .. })
    })
    .await;
    // Long enough for a reconnect after the shortest backoff, several times over.
    run.drain_for(Duration::from_secs(4)).await;
    let mut offline = run.offline();
    offline.extend(run.seen.iter().filter_map(|e| match e {
        Event::AuthFailed { reason } => Some((format!("auth failed: {reason}"), None)),
        _ => None,
    }));
    let t = server.snapshot();
    run.quit().await;
    (offline, t)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_authorized_after_sign_in_asks_for_the_password_again() {
    let (offline, t) = ended_by("not-authorized", "Password changed").await;
    assert_eq!(offline.len(), 1, "{offline:?}");
    let (reason, retry) = offline[0].clone();
    assert!(
        reason.starts_with("auth failed:") && reason.contains("not-authorized"),
        "{reason}"
    );
    assert_eq!(retry, None);
    assert_eq!(t.connections, 1, "Natter signed in again:\n{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_after_sign_in_stops_the_session_and_says_why() {
    let (offline, t) = ended_by("conflict", "Replaced by new connection").await;
    let (reason, retry) = offline.first().cloned().expect("offline");
    assert_eq!(retry, None, "no retry after a conflict: {offline:?}");
    assert!(
        reason.contains("same resource") && reason.contains("Replaced by new connection"),
        "{reason}"
    );
    assert_eq!(t.connections, 1, "Natter signed in again:\n{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_violation_after_sign_in_stops_the_session_and_says_why() {
    let (offline, t) = ended_by("policy-violation", "Too many messages").await;
    let (reason, retry) = offline.first().cloned().expect("offline");
    assert_eq!(
        retry, None,
        "no retry after a policy violation: {offline:?}"
    );
    assert!(
        reason.contains("rules") && reason.contains("Too many messages"),
        "{reason}"
    );
    assert_eq!(t.connections, 1, "Natter signed in again:\n{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_shutting_down_is_retried_after_a_pause() {
    // The control: the same server and checks see a reconnect when retrying is right.
    let (offline, t) = ended_by("system-shutdown", "Server is restarting").await;
    let (reason, _) = offline.first().cloned().expect("offline");
    assert!(reason.contains("system-shutdown"), "{reason}");
    assert!(
        offline.iter().any(|(_, retry)| retry.is_some()),
        "a retry is planned: {offline:?}"
    );
    assert!(t.connections >= 2, "Natter did not sign in again:\n{t:?}");
}

/// With stream management offered, the initial presence goes out between the bind and
/// `<enable/>` (issue 6: the server then answers it before it starts keeping a copy of all it
/// sends, which held our presence back by 0.3 s with 2,000 contacts on Prosody). What the
/// server sends in answer before `<enabled/>` (here a message that waited offline) comes to
/// the session after the login began, and is stored and shown like any other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initial_presence_goes_before_stream_management_and_what_answers_it_is_kept() {
    let offline = format!(
        "<message xmlns='jabber:client' from='bob@localhost/x' to='{JID}/desk' type='chat' \
         id='off1'><body>sent while you were away</body></message>"
    );
    let server = FakeServer::start(Script {
        session: Some(Session::new(vec![Chunk::text(&offline)])),
        stream_management: true,
        ..Script::starttls(certs::good())
    })
    .await;
    let mut run = Run::start(&server).await;
    run.wait("online", Duration::from_secs(10), |e| {
        matches!(e, Event::Online { .. })
    })
    .await;
    run.wait("the offline message", Duration::from_secs(10), |e| {
        matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == "sent while you were away"))
    })
    .await;
    let stored = run
        .store
        .history(&j(JID), &j("bob@localhost"), None, 10)
        .await
        .expect("history reads");
    let bodies: Vec<&str> = stored.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["sent while you were away"]);

    let t = server.snapshot();
    let names: Vec<&str> = t
        .items
        .iter()
        .map(|(_, item)| crate::fake_server::element_name(item))
        .collect();
    let first = |wanted: &str| names.iter().position(|n| *n == wanted);
    let (Some(presence), Some(enable)) = (first("presence"), first("enable")) else {
        panic!("no presence or no <enable/>: {names:?}\n{t:?}");
    };
    assert!(
        presence < enable,
        "the initial presence went after <enable/>: {names:?}"
    );
    // Nothing else went between the bind and it: the roster, carbons and disco follow.
    assert_eq!(names.get(presence - 1), Some(&"iq"), "{names:?}");
    assert_eq!(names.get(presence + 1), Some(&"enable"), "{names:?}");
    run.quit().await;
}

/// A server that answers `<resume/>` with `<enabled/>` (it does not resume, or it is broken):
/// the resumption failed, so Natter binds afresh and is online again. It used to panic the
/// stream task inside tokio-xmpp (vendor/tokio-xmpp/NATTER.md, change 5), which ended the
/// session for good.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enabled_in_answer_to_resume_is_a_failed_resumption_not_a_crash() {
    let server = FakeServer::start(Script {
        session: Some(Session::new(Vec::new())),
        stream_management: true,
        resume_answer: Some("<enabled xmlns='urn:xmpp:sm:3' id='other-sm' resume='true'/>"),
        cut_when_online: true,
        connections: 2,
        ..Script::starttls(certs::good())
    })
    .await;
    let mut run = Run::start(&server).await;
    let online = |e: &Event| matches!(e, Event::Online { .. });
    run.wait("online", Duration::from_secs(10), online).await;
    let again = run
        .wait("online again", Duration::from_secs(20), |e| {
            online(e) || matches!(e, Event::Offline { retry_in: None, .. })
        })
        .await;
    assert!(
        matches!(again, Event::Online { resumed: false, .. }),
        "after the failed resumption: {again:?}\n{:#?}",
        run.seen
    );
    let t = server.snapshot();
    let second: Vec<&str> = t
        .items
        .iter()
        .map(|(_, item)| crate::fake_server::element_name(item))
        .skip_while(|name| *name != "resume")
        .collect();
    assert_eq!(
        second.first(),
        Some(&"resume"),
        "Natter tried to resume:\n{t:?}"
    );
    assert_eq!(second.get(1), Some(&"iq"), "then bound afresh: {second:?}");
    run.quit().await;
}

/// Issue 16 (§3, item 4): after `<resumed/>`, an acknowledgement never counts fewer stanzas
/// than Natter's own `<resume h=…/>` did. Stanzas that came before the connection dropped and
/// still waited unread (the session busy, as with a slow store) used to be left out of the next
/// `<a/>`, which then went below the resume count; Prosody closes a stream for that ("Client
/// acknowledged less stanzas than already acknowledged").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledgements_after_a_resumption_never_count_fewer_than_the_resume_said() {
    const K: usize = 20;
    let go = Arc::new(Notify::new());
    let burst: String = (0..K)
        .map(|i| {
            format!(
                "<message xmlns='jabber:client' from='bob@localhost/x' to='{JID}/desk' \
                 type='chat' id='burst{i}'><body>burst {i:02}</body></message>"
            )
        })
        .collect();
    let server = FakeServer::start(Script {
        session: Some(Session::after_enabled(vec![
            Chunk::Wait(go.clone()),
            Chunk::text(&burst),
            Chunk::Cut,
        ])),
        stream_management: true,
        resumes: true,
        connections: 2,
        ..Script::starttls(certs::good())
    })
    .await;
    let mut run = Run::start(&server).await;
    let online = |e: &Event| matches!(e, Event::Online { .. });
    run.wait("online", Duration::from_secs(10), online).await;
    run.drain_for(Duration::from_millis(500)).await;
    run.stall().await;
    // The burst arrives while the session reads nothing, then the connection drops.
    go.notify_one();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let (resume_h, ack_h) = loop {
        let t = server.snapshot();
        let after_resume: Vec<&str> = t
            .items
            .iter()
            .map(|(_, item)| item.as_str())
            .skip_while(|item| crate::fake_server::element_name(item) != "resume")
            .collect();
        let h = |item: &&str| {
            crate::fake_server::attribute(item, "h").and_then(|h| h.parse::<u32>().ok())
        };
        let resume = after_resume.first().and_then(h);
        let ack = after_resume
            .iter()
            .find(|item| crate::fake_server::element_name(item) == "a")
            .and_then(h);
        if let (Some(resume), Some(ack)) = (resume, ack) {
            break (resume, ack);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no <resume/> and <a/> after it:\n{t:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    println!("<resume h='{resume_h}'/>, then <a h='{ack_h}'/>");
    assert_eq!(resume_h, K as u32, "the resume counts the burst");
    assert!(
        ack_h >= resume_h,
        "the ack after <resumed/> went below the resume: {ack_h} < {resume_h}"
    );
    // The session reads again: it resumed, and the burst is stored once.
    run.wait("resumed", Duration::from_secs(20), |e| {
        matches!(e, Event::Online { resumed: true, .. })
    })
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        run.drain_for(Duration::from_millis(200)).await;
        let stored = run
            .store
            .history(&j(JID), &j("bob@localhost"), None, 100)
            .await
            .expect("history reads");
        if stored.len() >= K {
            let bodies: Vec<String> = stored.iter().map(|m| m.body.clone()).collect();
            let wanted: Vec<String> = (0..K).map(|i| format!("burst {i:02}")).collect();
            assert_eq!(bodies, wanted);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the burst was not stored: {stored:?}"
        );
    }
    run.quit().await;
}

/// Issue 16 (§3, item 8): the stream cannot be resumed (`<failed/>`), and what the server had
/// not acknowledged is sent again on the new session (vendor/tokio-xmpp, change 1) — but only
/// what the person did: the message, the new contact and the request to them, the block. The
/// old session's own requests (roster, carbons, disco, the archive query, a last-activity
/// query whose answer nobody waits for any more) and its presence broadcasts are dropped
/// (change 7): they used to follow the new initial presence, an old status after the new one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failed_resumption_only_what_the_person_did_is_sent_again() {
    use natter::model::{ChatState, Show};
    use xmpp_parsers::ns;

    let go = Arc::new(Notify::new());
    let server = FakeServer::start(Script {
        session: Some(Session::after_enabled(vec![
            Chunk::Wait(go.clone()),
            Chunk::Cut,
        ])),
        stream_management: true,
        resume_answer: Some(
            "<failed xmlns='urn:xmpp:sm:3'><item-not-found \
             xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>",
        ),
        connections: 2,
        ..Script::starttls(certs::good())
    })
    .await;
    let mut run = Run::start(&server).await;
    let online = |e: &Event| matches!(e, Event::Online { .. });
    run.wait("online", Duration::from_secs(10), online).await;
    // The server acknowledges nothing from here on: the login's requests and what the person
    // does next are sent and stay unacknowledged.
    let id = session::new_id();
    for command in [
        Command::Send {
            to: j("bob@localhost"),
            body: "still there?".into(),
            id: id.clone(),
            reply_to: None,
        },
        Command::Add {
            jid: j("carol@localhost"),
            name: Some("Carol".into()),
            groups: Vec::new(),
            message: None,
            share_presence: true,
        },
        Command::Block {
            jid: j("spam@localhost"),
        },
        Command::SetPresence {
            show: Show::Away,
            status: "lunch".into(),
        },
        Command::QueryLastActivity {
            jid: j("bob@localhost"),
        },
        Command::ChatState {
            to: j("bob@localhost"),
            state: ChatState::Composing,
        },
    ] {
        run.handle
            .send(command)
            .expect("the session takes commands");
    }
    run.wait(
        "the message sent",
        Duration::from_secs(10),
        |e| matches!(e, Event::Delivery { id: i, .. } if *i == id),
    )
    .await;
    // Until the last command's stanza has been written (the server records it).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !server
        .snapshot()
        .items
        .iter()
        .any(|(_, i)| i.contains(ns::CHATSTATES))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the typing notification was not sent:\n{:?}",
            server.snapshot()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    go.notify_one();
    run.wait("online again", Duration::from_secs(20), online)
        .await;
    run.drain_for(Duration::from_millis(1500)).await;

    let t = server.snapshot();
    let items: Vec<&str> = t.items.iter().map(|(_, i)| i.as_str()).collect();
    let name = crate::fake_server::element_name;
    let resume = items
        .iter()
        .position(|i| name(i) == "resume")
        .unwrap_or_else(|| panic!("no <resume/>:\n{t:?}"));
    let enable = items
        .iter()
        .position(|i| name(i) == "enable")
        .expect("<enable/> on the first connection");
    let (old, new) = (&items[enable + 1..resume], &items[resume + 1..]);
    let on_new = |pred: &dyn Fn(&str) -> bool| new.iter().filter(|i| pred(i)).count();
    // The person's: again, once.
    type Test<'a> = &'a dyn Fn(&str) -> bool;
    let kept: [(&str, Test); 5] = [
        ("the message", &|i| {
            name(i) == "message" && i.contains(id.as_str())
        }),
        ("the new contact", &|i| {
            i.contains("type='set'") && i.contains(ns::ROSTER) && i.contains("carol@localhost")
        }),
        ("the request to them", &|i| {
            i.contains("type='subscribe'") && i.contains("carol@localhost")
        }),
        ("the block", &|i| {
            i.contains(ns::BLOCKING) && i.contains("spam@localhost")
        }),
        ("the denial to the blocked", &|i| {
            i.contains("type='unsubscribed'") && i.contains("spam@localhost")
        }),
    ];
    for (what, pred) in kept {
        assert_eq!(
            old.iter().filter(|i| pred(i)).count(),
            1,
            "{what} went on the first connection:\n{t:?}"
        );
        assert_eq!(on_new(pred), 1, "{what} again on the new session:\n{t:?}");
    }
    // The old session's: the ids of its requests never come back.
    let old_requests: Vec<&str> = old
        .iter()
        .filter(|i| {
            let change = i.contains(ns::ROSTER) || i.contains(ns::BLOCKING);
            name(i) == "iq" && !(i.contains("type='set'") && change)
        })
        .filter_map(|i| crate::fake_server::attribute(i, "id"))
        .collect();
    assert!(
        old_requests.len() >= 5,
        "the login's requests and the last-activity query: {old_requests:?}\n{t:?}"
    );
    for request in &old_requests {
        assert_eq!(
            on_new(&|i: &str| crate::fake_server::attribute(i, "id") == Some(request)),
            0,
            "the old request {request} was sent again:\n{t:?}"
        );
    }
    assert_eq!(
        on_new(&|i: &str| i.contains(ns::CHATSTATES) && !i.contains("<body")),
        0,
        "the old typing notification was sent again:\n{t:?}"
    );
    // Presence: the new initial presence and the login's, nothing of the old session's.
    let broadcasts = on_new(&|i: &str| name(i) == "presence" && !i.contains("type="));
    assert_eq!(broadcasts, 2, "presence on the new session:\n{t:?}");
    run.quit().await;
}
