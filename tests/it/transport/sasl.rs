//! Signing in (issue 16): against a fake server that speaks SCRAM with and without channel
//! binding, names or omits its binding types (XEP-0440) and signs its final message right or
//! wrong. What Natter chose is read from what the server received; that the binding and the
//! proof were right, from the server having checked them against its own side of the TLS
//! connection and its own password.

use crate::j;
use std::time::Duration;

use natter::session::{AuthProblem, Command, ConnectError, Event};
use serde_json::Value;

use super::{PASSWORD, check_error, natter, sign_in, text};
use crate::fake_server::{FakeServer, Script, ServerFinal, Session, Transcript, certs};

/// A server that signs Natter in with SCRAM (the test password) and offers `mechanisms` and
/// the binding types `bindings`.
fn server(direct: bool, mechanisms: &[&'static str], bindings: &[&'static str]) -> Script {
    let base = if direct {
        Script::direct_tls(certs::good())
    } else {
        Script::starttls(certs::good())
    };
    Script {
        mechanisms: mechanisms.to_vec(),
        channel_bindings: bindings.to_vec(),
        password: PASSWORD,
        session: Some(Session::new(Vec::new())),
        // Answers the IQs after the sign-in, so `natter check` hears the features at once.
        stream_management: true,
        ..base
    }
}

/// The one `<auth/>` the server received: its mechanism and the start of its client-first
/// message up to the user name (the GS2 header).
fn chosen(t: &Transcript) -> (String, String) {
    let auths = t.tls_auths();
    assert_eq!(auths.len(), 1, "{t:?}");
    let (mechanism, first) = auths[0].clone();
    let header = first.split("n=").next().unwrap_or_default().to_owned();
    (mechanism, header)
}

fn checked_out(t: &Transcript) -> bool {
    t.steps
        .iter()
        .any(|s| s.contains("the client's proof and binding check out"))
}

const ALL_SCRAM: [&str; 7] = [
    "PLAIN",
    "SCRAM-SHA-1",
    "SCRAM-SHA-1-PLUS",
    "SCRAM-SHA-256",
    "SCRAM-SHA-256-PLUS",
    "SCRAM-SHA-512",
    "SCRAM-SHA-512-PLUS",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_binding_is_used_as_the_server_names_it_over_starttls_and_direct_tls() {
    let both = ["tls-exporter", "tls-server-end-point"];
    let cases: [(&[&'static str], bool, &str); 4] = [
        (&both, false, "p=tls-exporter,,"),
        (&["tls-server-end-point"], false, "p=tls-server-end-point,,"),
        (
            &["tls-server-end-point", "tls-unique"],
            false,
            "p=tls-server-end-point,,",
        ),
        // TLS 1.2: no exporter (RFC 9266 is for 1.3), so the certificate's hash.
        (&both, true, "p=tls-server-end-point,,"),
    ];
    for direct in [false, true] {
        for (bindings, tls12, header) in cases {
            let script = Script {
                tls12,
                ..server(direct, &ALL_SCRAM, bindings)
            };
            let (result, t) = sign_in(script, Some(certs::ca_der())).await;
            let case = format!("direct {direct}, {bindings:?}, TLS 1.2 only {tls12}");
            assert_eq!(result, Ok(()), "{case}\n{t:?}");
            assert_eq!(
                chosen(&t),
                ("SCRAM-SHA-512-PLUS".into(), header.into()),
                "{case}"
            );
            assert!(checked_out(&t), "{case}\n{t:?}");
            assert!(!t.holds_password(PASSWORD), "{case}\n{t:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_binding_in_common_scram_is_unbound_with_the_flag_the_offer_calls_for() {
    let ejabberd_23 = ["PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "X-OAUTH2"];
    let prosody_12 = ["PLAIN", "SCRAM-SHA-1"];
    type Offer<'a> = (&'a [&'static str], &'a [&'static str]);
    let cases: [(Offer, (&str, &str)); 4] = [
        // -PLUS offered but no list (tls-unique implied, which rustls cannot give): `n`, or
        // the server would take the missing binding for a downgrade.
        ((&ejabberd_23, &[]), ("SCRAM-SHA-1", "n,,")),
        ((&ejabberd_23, &["tls-unique"]), ("SCRAM-SHA-1", "n,,")),
        // No -PLUS at all: `y`, so a server whose -PLUS was stripped on the way notices.
        ((&prosody_12, &[]), ("SCRAM-SHA-1", "y,,")),
        (
            (
                &["SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"],
                &[],
            ),
            ("SCRAM-SHA-512", "y,,"),
        ),
    ];
    for direct in [false, true] {
        for ((mechanisms, bindings), (mechanism, header)) in cases {
            let script = server(direct, mechanisms, bindings);
            let (result, t) = sign_in(script, Some(certs::ca_der())).await;
            assert_eq!(result, Ok(()), "{mechanisms:?} {bindings:?}\n{t:?}");
            assert_eq!(chosen(&t), (mechanism.into(), header.into()));
            assert!(checked_out(&t), "{t:?}");
            assert!(!t.holds_password(PASSWORD), "{t:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_signature_is_checked_and_a_wrong_or_missing_one_fails_the_sign_in() {
    let cases = [
        (ServerFinal::Right, Ok(())),
        (ServerFinal::InChallenge, Ok(())),
        (ServerFinal::Wrong, Err(AuthProblem::WrongSignature)),
        (ServerFinal::Missing, Err(AuthProblem::NoSignature)),
        (
            ServerFinal::Error,
            Err(AuthProblem::ServerError("other-error".into())),
        ),
    ];
    for (server_final, expected) in cases {
        let script = Script {
            server_final,
            ..server(false, &ALL_SCRAM, &["tls-exporter"])
        };
        let (result, t) = sign_in(script, Some(certs::ca_der())).await;
        assert!(checked_out(&t), "the client's side was right: {t:?}");
        assert_eq!(result, expected.map_err(ConnectError::Auth), "{t:?}");
        if let Err(e) = &result {
            assert!(e.is_fatal(), "{e}");
        }
    }
    let (result, _) = sign_in(
        Script {
            server_final: ServerFinal::Wrong,
            ..server(false, &ALL_SCRAM, &[])
        },
        Some(certs::ca_der()),
    )
    .await;
    let text = result.expect_err("refused").to_string();
    assert!(
        text.contains("could not prove that it knows your password"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_by_the_scram_server() {
    let script = Script {
        password: "another-password",
        ..server(false, &ALL_SCRAM, &["tls-exporter"])
    };
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    let Err(e @ ConnectError::Auth(AuthProblem::Refused { .. })) = &result else {
        panic!("expected the server's refusal, got {result:?}\n{t:?}");
    };
    assert!(e.to_string().contains("refused the password"), "{e}");
    assert!(!checked_out(&t), "{t:?}");
}

/// A session against a server whose SCRAM signature is wrong: the person is told once, and
/// Natter does not try again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_stops_at_a_wrong_server_signature_instead_of_retrying() {
    let server = FakeServer::start(Script {
        server_final: ServerFinal::Wrong,
        connections: 3,
        ..server(false, &ALL_SCRAM, &["tls-exporter"])
    })
    .await;
    let (_dir, store, handle, mut events) = super::session_with(&server, "alice@localhost").await;
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, events.recv()).await {
        seen.push(event);
    }
    let refusals: Vec<&String> = seen
        .iter()
        .filter_map(|e| match e {
            Event::AuthFailed { reason } => Some(reason),
            _ => None,
        })
        .collect();
    assert_eq!(refusals.len(), 1, "{seen:#?}");
    assert!(refusals[0].contains("could not prove"), "{refusals:?}");
    assert!(
        !seen.iter().any(|e| matches!(e, Event::Online { .. })),
        "{seen:#?}"
    );
    assert_eq!(server.snapshot().connections, 1, "Natter signed in again");
    let stored = store.account(&j("alice@localhost")).await.expect("read");
    assert_eq!(
        stored.and_then(|a| a.auth_method),
        None,
        "nothing that failed is remembered"
    );
    let _ = handle.send(Command::Quit);
}

// --- remembering what worked, through the command line ------------------------------------

/// `natter account add` with `extra` flags, pointing the account at `server`.
async fn point_at(data: &std::path::Path, server: &FakeServer, extra: &[&str]) {
    let port = server.port().to_string();
    let mut args = vec!["account", "add", "alice@localhost", "--host", "127.0.0.1"];
    args.extend(["--port", &port]);
    args.extend(extra);
    let o = natter(data, &args).await;
    assert!(o.status.success(), "account add: {}", text(&o));
}

/// The account as `account list --json` shows it.
async fn listed(data: &std::path::Path) -> Value {
    let o = natter(data, &["account", "list", "--json"]).await;
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    v[0].clone()
}

/// `check --json` against `script`, with the account pointed at it (and `extra` flags).
async fn check_against(
    data: &std::path::Path,
    script: Script,
    extra: &[&str],
) -> (std::process::Output, Transcript) {
    let server = FakeServer::start(script).await;
    point_at(data, &server, extra).await;
    let o = natter(data, &["--timeout", "10", "check", "--json"]).await;
    (o, server.transcript().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_channel_binding_worked_a_weaker_offer_is_refused_until_allowed() {
    let data = tempfile::tempdir().expect("a temp dir");
    let data = data.path();
    let bound = server(false, &ALL_SCRAM, &["tls-exporter"]);
    let (o, t) = check_against(data, bound.clone(), &[]).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(listed(data).await["sign_in_method"], "scram-plus");

    // The same server without its binding list (what someone in between would offer), then
    // with PLAIN only: refused before anything is sent, saying what happened and what to do.
    let unbound = server(false, &["PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"], &[]);
    let plain = server(false, &["PLAIN"], &[]);
    for (script, offered) in [
        (unbound, "SCRAM without channel binding"),
        (plain.clone(), "PLAIN (the password itself)"),
    ] {
        let (o, t) = check_against(data, script, &[]).await;
        let error = check_error(&o);
        for words in [
            "SCRAM with channel binding",
            offered,
            "natter account add alice@localhost --allow-plain",
        ] {
            assert!(error.contains(words), "“{error}” lacks “{words}”");
        }
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(v["code"], "auth_failed", "{v}");
        assert!(!t.received_auth(), "{t:?}");
        assert!(!t.holds_password(PASSWORD), "{t:?}");
    }

    // Allowed: PLAIN signs in; what worked best is still remembered.
    let (o, t) = check_against(data, plain.clone(), &["--allow-plain"]).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert!(t.holds_password(PASSWORD), "PLAIN was used: {t:?}");
    let account = listed(data).await;
    assert_eq!(
        (&account["allow_plain"], &account["sign_in_method"]),
        (&Value::from(true), &Value::from("scram-plus"))
    );

    // And refused again once the person takes it back.
    let (o, t) = check_against(data, plain, &["--no-allow-plain"]).await;
    assert!(check_error(&o).contains("--allow-plain"));
    assert!(!t.received_auth(), "{t:?}");
    assert_eq!(listed(data).await["allow_plain"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_scram_worked_plain_is_refused_but_scram_without_binding_is_not() {
    let data = tempfile::tempdir().expect("a temp dir");
    let data = data.path();
    let prosody = server(false, &["PLAIN", "SCRAM-SHA-1"], &[]);
    let (o, t) = check_against(data, prosody.clone(), &[]).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
    assert_eq!(listed(data).await["sign_in_method"], "scram");

    let (o, t) = check_against(data, server(true, &["PLAIN"], &[]), &["--tls", "direct"]).await;
    let error = check_error(&o);
    assert!(error.contains("SCRAM without channel binding"), "{error}");
    assert!(!t.holds_password(PASSWORD), "{t:?}");

    let (o, t) = check_against(data, server(true, &["PLAIN", "SCRAM-SHA-1"], &[]), &[]).await;
    assert!(o.status.success(), "{}\n{t:?}", text(&o));
}
