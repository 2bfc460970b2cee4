//! Signing in with SASL2 (XEP-0388), Bind 2 (XEP-0386) and FAST (XEP-0484) (issue 22), against
//! the fake server's own implementation of their server side: signed in and bound in one
//! request with stream management on, so a dropped connection resumes; a token asked for with
//! the password and sent the next time with the stream header, kept in the keyring and
//! nowhere else; a token the server refuses, or one sent ahead to a server without SASL2,
//! gives way to the password; a weaker offer after a stronger sign-in is refused as with
//! SASL.
//!
//! Each test signs in as an account of its own: FAST tokens live in the test keyring, which
//! the tests share.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use natter::session::{self, Command, Event};
use serde_json::Value;

use super::{PASSWORD, check_error, text};
use crate::fake_server::{Chunk, FakeServer, Sasl2, Script, Session, Transcript, certs};
use crate::j;

/// Mechanisms as Prosody 0.13 offers them with channel binding.
const MECHANISMS: [&str; 4] = [
    "SCRAM-SHA-1",
    "SCRAM-SHA-1-PLUS",
    "SCRAM-SHA-256",
    "SCRAM-SHA-256-PLUS",
];

/// A server offering SASL2 with Bind 2 and FAST (`sasl2`), SCRAM with tls-exporter, and stream
/// management, that takes the test password.
fn server(sasl2: &Sasl2) -> Script {
    Script {
        mechanisms: MECHANISMS.to_vec(),
        channel_bindings: vec!["tls-exporter", "tls-server-end-point"],
        password: PASSWORD,
        session: Some(Session::new(Vec::new())),
        stream_management: true,
        sasl2: Some(sasl2.clone()),
        ..Script::starttls(certs::good())
    }
}

/// `natter` with the test password and CA, as the person `jid` would run it.
async fn natter(data: &Path, args: &[&str]) -> Output {
    super::natter(data, args).await
}

/// `natter account add jid` pointed at `server`.
async fn point_at(data: &Path, jid: &str, server: &FakeServer) {
    let port = server.port().to_string();
    let args = [
        "account",
        "add",
        jid,
        "--host",
        "127.0.0.1",
        "--port",
        &port,
    ];
    let o = natter(data, &args).await;
    assert!(o.status.success(), "account add: {}", text(&o));
}

/// `natter check --json` for `jid` against a fresh server playing `script`.
async fn check(data: &Path, jid: &str, script: Script) -> (Output, Transcript) {
    let server = FakeServer::start(script).await;
    point_at(data, jid, &server).await;
    let o = natter(data, &["--timeout", "10", "check", "--json"]).await;
    (o, server.transcript().await)
}

/// Items the client sent of the kind `name`.
fn sent(t: &Transcript, name: &str) -> usize {
    t.items
        .iter()
        .filter(|(_, item)| crate::fake_server::element_name(item) == name)
        .count()
}

/// Every file under `dir`, read whole: where a secret must not be.
fn files_hold(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle))
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sasl2_signs_in_binds_and_enables_stream_management_in_one_request() {
    let data = tempfile::tempdir().expect("a temp dir");
    let jid = "sasl2-bind@localhost";
    let sasl2 = Sasl2 {
        fast: Vec::new(),
        ..Sasl2::full()
    };
    let (o, t) = check(data.path(), jid, server(&sasl2)).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["jid"], "sasl2-bind@localhost/Natter.fake", "{v}");
    // One <authenticate/> (SCRAM with channel binding, the strongest offered), its one
    // <response/>, and no legacy SASL, bind or <enable/> after it.
    assert_eq!(t.authenticates(), ["SCRAM-SHA-256-PLUS"], "{t:?}");
    assert_eq!(sent(&t, "response"), 1, "{t:?}");
    assert!(!t.received_auth(), "{t:?}");
    assert_eq!(sent(&t, "enable"), 0, "{t:?}");
    assert!(
        !t.items.iter().any(|(_, i)| i.contains("xmpp-bind")),
        "a legacy bind: {t:?}"
    );
    assert!(
        t.steps
            .iter()
            .any(|s| s.contains("stream management enabled") && s.contains("carbons enabled")),
        "{t:?}"
    );
    assert!(!t.holds_password(PASSWORD), "{t:?}");
    assert_eq!(listed(data.path()).await["sign_in_method"], "scram-plus");
}

/// The account as `account list --json` shows it.
async fn listed(data: &Path) -> Value {
    let o = natter(data, &["account", "list", "--json"]).await;
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_sign_in_sends_the_fast_token_with_the_stream_header_and_keeps_it_in_the_keyring()
 {
    let data = tempfile::tempdir().expect("a temp dir");
    let jid = "fast-second@localhost";
    let sasl2 = Sasl2 {
        hold_features: Some(Duration::from_millis(500)),
        ..Sasl2::full()
    };
    let (o, t) = check(data.path(), jid, server(&sasl2)).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(t.authenticates(), ["SCRAM-SHA-256-PLUS"], "{t:?}");
    assert!(
        !t.authenticated_ahead(),
        "the password waits for the features: {t:?}"
    );
    assert_eq!(sasl2.counts(), (1, 0), "one token handed out: {t:?}");
    let asked = t
        .items
        .iter()
        .find(|(_, i)| crate::fake_server::element_name(i) == "authenticate")
        .map(|(_, i)| i.replace('"', "'"))
        .unwrap_or_default();
    assert!(
        asked.contains("mechanism='HT-SHA-256-EXPR'"),
        "the bound token was asked for: {asked}"
    );

    // The next sign-in, to the server started again: the token, one <authenticate/> and no
    // <response/>, sent with the stream header (the server offered SASL2 and FAST when it
    // gave the token), so SASL takes no round trip of its own; the password never leaves.
    let (o, t) = check(data.path(), jid, server(&sasl2)).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(t.authenticates(), ["HT-SHA-256-EXPR"], "{t:?}");
    assert!(t.authenticated_ahead(), "{t:?}");
    assert_eq!(sent(&t, "response"), 0, "{t:?}");
    assert_eq!(sasl2.counts(), (1, 1), "{t:?}");
    assert!(
        t.steps.iter().any(|s| s.contains("token checks out")),
        "{t:?}"
    );
    assert!(!t.holds_password(PASSWORD), "{t:?}");

    // The token is in the keyring, and nowhere in Natter's files or output.
    let kept = natter::secrets::fast_token(&j(jid), session::Role::Command)
        .await
        .expect("the test keyring answers")
        .expect("a token kept");
    assert!(kept.contains("fake-fast-token-1-"), "{kept}");
    // A command's token is its own: the window beside it signs in as another client, so the
    // server does not take one for the other and end the window's session.
    assert_eq!(
        natter::secrets::fast_token(&j(jid), session::Role::Window).await,
        Ok(None),
        "the window's slot is untouched by a command"
    );
    assert_eq!(
        files_hold(data.path(), "fake-fast-token"),
        Vec::<String>::new()
    );
    assert!(!text(&o).contains("fake-fast-token"), "{}", text(&o));

    // Removing the account removes the token with the password.
    let o = natter(data.path(), &["account", "remove", jid]).await;
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        natter::secrets::fast_token(&j(jid), session::Role::Command).await,
        Ok(None)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_server_refuses_gives_way_to_the_password_and_a_new_token() {
    let data = tempfile::tempdir().expect("a temp dir");
    let jid = "fast-refused@localhost";
    let sasl2 = Sasl2::full();
    let (o, t) = check(data.path(), jid, server(&sasl2)).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    sasl2.revoke_tokens();

    let script = Script {
        connections: 2,
        ..server(&sasl2)
    };
    let (o, t) = check(data.path(), jid, script).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(
        t.authenticates(),
        ["HT-SHA-256-EXPR", "SCRAM-SHA-256-PLUS"],
        "the token, refused, then the password on a new connection: {t:?}"
    );
    assert_eq!(t.connections, 2, "{t:?}");
    assert_eq!(
        sasl2.counts(),
        (2, 0),
        "a new token with the password: {t:?}"
    );
    let kept = natter::secrets::fast_token(&j(jid), session::Role::Command)
        .await
        .expect("keyring");
    assert!(kept.is_some_and(|k| k.contains("fake-fast-token-2-")));
    assert!(!text(&o).contains("fake-fast-token"), "{}", text(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_bound_sasl2_sign_in_a_weaker_offer_is_refused_token_or_not() {
    let data = tempfile::tempdir().expect("a temp dir");
    let jid = "sasl2-downgrade@localhost";
    let sasl2 = Sasl2::full();
    let (o, t) = check(data.path(), jid, server(&sasl2)).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(listed(data.path()).await["sign_in_method"], "scram-plus");

    // Someone in between strips the channel bindings and the bound FAST mechanisms: SCRAM
    // without binding and an unbound token would be all that is left. The bound token went
    // ahead of the features (it is worth as much as what worked, and useless on any other
    // connection); refused, it gives way to the password, which is refused before any
    // <authenticate/>, with the words and the way out SASL's refusal has.
    let stripped = Script {
        connections: 2,
        mechanisms: vec!["PLAIN", "SCRAM-SHA-1"],
        channel_bindings: Vec::new(),
        sasl2: Some(Sasl2 {
            fast: vec!["HT-SHA-256-NONE"],
            ..sasl2.clone()
        }),
        ..server(&sasl2)
    };
    let (o, t) = check(data.path(), jid, stripped).await;
    let error = check_error(&o);
    for words in [
        "SCRAM with channel binding",
        "SCRAM without channel binding",
        "--allow-plain",
    ] {
        assert!(error.contains(words), "“{error}” lacks “{words}”");
    }
    assert_eq!(t.authenticates(), ["HT-SHA-256-EXPR"], "{t:?}");
    assert_eq!(t.connections, 2, "{t:?}");
    assert!(!t.holds_password(PASSWORD), "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_bound_by_bind2_resumes_after_a_drop_signing_in_with_its_token() {
    let sasl2 = Sasl2::full();
    let server = FakeServer::start(Script {
        session: Some(Session::new(vec![Chunk::Cut])),
        resumes: true,
        connections: 2,
        ..server(&sasl2)
    })
    .await;
    let (_dir, _store, handle, mut events) =
        super::session_with(&server, "sasl2-resume@localhost").await;
    let mut online = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(8);
    while online.len() < 2 {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(Event::Online { jid, resumed, .. })) => online.push((jid.to_string(), resumed)),
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    let _ = handle.send(Command::Quit);
    let t = server.transcript().await;
    assert_eq!(
        online,
        [
            ("sasl2-resume@localhost/Natter.fake".to_owned(), false),
            ("sasl2-resume@localhost/Natter.fake".to_owned(), true),
        ],
        "{t:?}"
    );
    // The first connection bound with Bind 2; the second signed in with the token handed out
    // on the first and resumed the stream instead of binding again.
    assert_eq!(
        t.authenticates(),
        ["SCRAM-SHA-256-PLUS", "HT-SHA-256-EXPR"],
        "{t:?}"
    );
    assert_eq!(sent(&t, "resume"), 1, "{t:?}");
    assert_eq!(t.sessions, 1, "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_sent_ahead_to_a_server_without_sasl2_gives_way_to_sasl() {
    let data = tempfile::tempdir().expect("a temp dir");
    let jid = "fast-gone@localhost";
    let sasl2 = Sasl2::full();
    let (o, t) = check(data.path(), jid, server(&sasl2)).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert!(
        natter::secrets::fast_token(&j(jid), session::Role::Command)
            .await
            .expect("keyring")
            .is_some()
    );

    // The server no longer offers SASL2 (another node, an older version): the token's request
    // went with the header, so this connection is given up, the token forgotten, and the next
    // one signs in with SASL as before.
    let legacy = Script {
        connections: 2,
        sasl2: None,
        ..server(&sasl2)
    };
    let (o, t) = check(data.path(), jid, legacy).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(t.connections, 2, "{t:?}");
    assert_eq!(t.authenticates(), ["HT-SHA-256-EXPR"], "{t:?}");
    assert_eq!(
        t.tls_auths().first().map(|(m, _)| m.as_str()),
        Some("SCRAM-SHA-256-PLUS"),
        "{t:?}"
    );
    assert_eq!(
        natter::secrets::fast_token(&j(jid), session::Role::Command).await,
        Ok(None)
    );
    assert!(!t.holds_password(PASSWORD), "{t:?}");
}
