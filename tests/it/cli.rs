//! The command line and headless mode, as scripts use them: the real `natter` binary against
//! the test servers.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Kind, Server, Shared, on_servers};

static SERVERS: Shared = Shared::new();

/// `natter` with its own data dir, trusting the test CA, password from the environment, in
/// English (the C locale) whatever the machine's language is.
fn natter(server: &Server, data: &Path, password: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_natter"));
    c.env("NATTER_DATA_DIR", data)
        .env("SSL_CERT_FILE", server.ca_file())
        .env("NATTER_PASSWORD", password)
        .env("RUST_LOG", "warn")
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null());
    c
}

/// [`natter`] in Russian.
fn natter_ru(server: &Server, data: &Path, password: &str) -> Command {
    let mut c = natter(server, data, password);
    c.env("LC_ALL", "ru_RU.UTF-8");
    c
}

fn run(mut c: Command, args: &[&str]) -> Output {
    c.args(args).output().expect("natter runs")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A data dir with `jid` added as the default account, pointed at the test server.
fn setup(server: &Server, jid: &str, pw: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let port = server.port().to_string();
    let o = run(
        natter(server, dir.path(), pw),
        &[
            "account",
            "add",
            jid,
            "--host",
            "127.0.0.1",
            "--port",
            &port,
        ],
    );
    assert!(o.status.success(), "account add: {}", text(&o));
    dir
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)))
}

on_servers!(fn check_reports_online_time_and_features_and_exit_codes_follow_the_contract);
fn check_reports_online_time_and_features_and_exit_codes_follow_the_contract(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let dir = setup(&server, &a, &apw);

    let o = run(natter(&server, dir.path(), &apw), &["check", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v = json(&o);
    assert_eq!(v["ok"], true);
    assert!(v["online_ms"].as_u64().is_some_and(|ms| ms < 10_000), "{v}");
    assert_eq!(v["features"]["mam"], true, "{v}");

    // Wrong password: a runtime failure, one sentence, no password echoed.
    let o = run(natter(&server, dir.path(), "wrong-secret"), &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("password"), "{err}");
    assert!(!err.contains("wrong-secret"));

    // In JSON the kind of failure has a code, in any language; the words follow the locale.
    let o = run(
        natter(&server, dir.path(), "wrong-secret"),
        &["check", "--json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json(&o);
    assert_eq!(
        (&v["ok"], &v["code"]),
        (&Value::from(false), &Value::from("auth_failed")),
        "{v}"
    );
    assert!(
        v["error"].as_str().is_some_and(|e| e.contains("password")),
        "{v}"
    );
    let o = run(
        natter_ru(&server, dir.path(), "wrong-secret"),
        &["check", "--json"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json(&o);
    assert_eq!(v["code"], "auth_failed", "{v}");
    assert!(
        v["error"]
            .as_str()
            .is_some_and(|e| e.contains("не принял пароль")),
        "{v}"
    );
    assert!(!v.to_string().contains("wrong-secret"));

    // Bad usage: exit 2 with the reason.
    let o = run(
        natter(&server, dir.path(), &apw),
        &["account", "add", "not a jid"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = run(natter(&server, dir.path(), &apw), &["send"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // The same contract in Russian: the status and the flags stay, the sentence is translated.
    let o = run(
        natter_ru(&server, dir.path(), &apw),
        &["send", "--to", "example.org", "hi"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("natter: --to: ") && err.contains("нет имени пользователя"),
        "{err}"
    );
    let o = run(natter_ru(&server, dir.path(), &apw), &["--help"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.contains("Использование: natter") && help.contains("--account <JID>"),
        "{help}"
    );
}

on_servers!(fn one_limit_refuses_a_longer_message_whole_and_a_message_at_the_limit_arrives_whole);
/// Issue 16 (§3, item 5): one limit for every way to send, stated where it refuses: 48 KiB
/// (49,152 bytes). A longer message is refused whole, before anything is sent, by `natter send`
/// (its text or stdin: exit 2) and by headless `send` (a `bad_command` error); a message of
/// exactly the limit, every character of it one that XML escapes (`&`: five times as long on
/// the wire), reaches the peer whole through Prosody's default stanza limit of 256 KiB.
fn one_limit_refuses_a_longer_message_whole_and_a_message_at_the_limit_arrives_whole(kind: Kind) {
    const MAX: usize = 48 * 1024;
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let adir = setup(&server, &a, &apw);
    let bdir = setup(&server, &b, &bpw);
    let mut bob = Headless::start(natter(&server, bdir.path(), &bpw));
    bob.until(|e| e["event"] == "online");

    let over = "x".repeat(MAX + 1);
    let o = run(
        natter(&server, adir.path(), &apw),
        &["send", "--to", &b, &over],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("49153 bytes") && said.contains("49152 bytes (48 KiB)"),
        "the limit, stated: {said}"
    );
    let mut piped = natter(&server, adir.path(), &apw);
    let mut child = piped
        .args(["send", "--to", &b])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("natter runs");
    // natter stops reading once it is over the limit: the rest may find the pipe closed.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(over.repeat(2).as_bytes());
    let o = child.wait_with_output().expect("natter ends");
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("at most 49152 bytes (48 KiB)"),
        "{}",
        text(&o)
    );
    bob.cmd(serde_json::json!({"cmd": "send", "to": a, "body": over}));
    let e = bob.until(|e| e["event"] == "error");
    assert_eq!(e["code"], "bad_command", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("49152 bytes (48 KiB)")),
        "{e}"
    );

    let at_limit = "&".repeat(MAX);
    let o = run(
        natter(&server, adir.path(), &apw),
        &["send", "--to", &b, &at_limit],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let got = bob.until(|e| e["event"] == "message" && e["direction"] == "in");
    assert_eq!(got["body"].as_str().map(str::len), Some(MAX), "whole");
    assert_eq!(got["body"].as_str(), Some(at_limit.as_str()));
    let refused = bob
        .seen
        .iter()
        .filter(|e| e["event"] == "message" && e["direction"] == "in")
        .count();
    assert_eq!(refused, 1, "nothing of the refused ones arrived");
    bob.cmd(serde_json::json!({"cmd": "quit"}));
    assert!(bob.wait_exit().success());
}

on_servers!(fn send_waits_for_the_receipt_and_history_reads_the_store_offline);
fn send_waits_for_the_receipt_and_history_reads_the_store_offline(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let adir = setup(&server, &a, &apw);
    let bdir = setup(&server, &b, &bpw);

    // Bob runs headless; Alice adds him, he accepts and adds her back.
    let mut bob = Headless::start(natter(&server, bdir.path(), &bpw));
    bob.until(|e| e["event"] == "online");
    let o = run(
        natter(&server, adir.path(), &apw),
        &["contact", "add", &b, "--name", "Bob", "--group", "Friends"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let req = bob.until(|e| e["event"] == "subscription_request");
    assert_eq!(req["from"], a.as_str());
    bob.cmd(serde_json::json!({"cmd": "accept", "jid": a}));
    bob.cmd(serde_json::json!({"cmd": "add", "jid": a, "name": "Alice", "groups": []}));
    bob.until(|e| e["event"] == "roster_push" && e["item"]["jid"] == a.as_str());
    let o = run(natter(&server, adir.path(), &apw), &["accept", &b]);
    assert!(o.status.success(), "{}", text(&o));

    let o = run(
        natter(&server, adir.path(), &apw),
        &["send", "--to", &b, "--wait-receipt", "Hello from a script"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let got = bob.until(|e| e["event"] == "message" && e["direction"] == "in");
    assert_eq!(
        (got["peer"].as_str(), got["body"].as_str()),
        (Some(a.as_str()), Some("Hello from a script"))
    );
    assert!(
        got["timestamp"].as_str().is_some_and(|t| t.contains('T')),
        "{got}"
    );

    // Bob answers through headless; the outbound event carries the id of its delivery events.
    bob.cmd(serde_json::json!({"cmd": "send", "to": a, "body": "Hi Alice"}));
    let out = bob.until(|e| e["event"] == "message" && e["direction"] == "out");
    let id = out["id"].as_str().expect("an id").to_owned();
    bob.until(|e| e["event"] == "delivery" && e["id"] == id.as_str() && e["state"] == "acked");
    // A malformed line is an error event, and the session goes on.
    bob.line("{not json");
    let e = bob.until(|e| e["event"] == "error");
    assert_eq!(e["code"], "bad_command", "{e}");
    assert!(e["message"].is_string(), "{e}");
    bob.cmd(serde_json::json!({"cmd": "presence", "show": "dnd", "status": "focus"}));
    bob.cmd(serde_json::json!({"cmd": "quit"}));
    assert!(bob.wait_exit().success());

    // Alice's history and roster from the store alone.
    let o = run(
        natter(&server, adir.path(), &apw),
        &["history", &b, "--json"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let h = json(&o);
    let bodies: Vec<&str> = h
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|m| m["body"].as_str())
        .collect();
    assert!(bodies.contains(&"Hello from a script"), "{h}");
    let o = run(natter(&server, adir.path(), &apw), &["roster", "--json"]);
    let r = json(&o);
    let bob_item = r
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["jid"] == b.as_str())
        .cloned()
        .expect("bob listed");
    assert_eq!(bob_item["name"], "Bob");
    assert_eq!(bob_item["subscription"], "both");

    // Search through the store.
    let o = run(
        natter(&server, adir.path(), &apw),
        &["history", &b, "--search", "script", "--json"],
    );
    assert_eq!(json(&o).as_array().map(Vec::len), Some(1), "{}", text(&o));
}

on_servers!(fn requests_lists_a_pending_request_and_deny_answers_it);
fn requests_lists_a_pending_request_and_deny_answers_it(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let adir = setup(&server, &a, &apw);
    let bdir = setup(&server, &b, &bpw);
    let mut alice = Headless::start(natter(&server, adir.path(), &apw));
    alice.until(|e| e["event"] == "online");
    alice.cmd(serde_json::json!({"cmd": "subscribe", "jid": b}));
    alice.cmd(serde_json::json!({"cmd": "quit"}));
    assert!(alice.wait_exit().success());

    // Bob's first login stores the request; `requests` lists it offline afterwards.
    let o = run(natter(&server, bdir.path(), &bpw), &["roster", "--refresh"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(natter(&server, bdir.path(), &bpw), &["requests", "--json"]);
    let v = json(&o);
    assert_eq!(
        v.as_array()
            .map(|a| a.iter().map(|r| r["from"].clone()).collect::<Vec<_>>()),
        Some(vec![Value::from(a.clone())]),
        "{v}"
    );
    let o = run(natter(&server, bdir.path(), &bpw), &["deny", &a]);
    assert!(o.status.success(), "{}", text(&o));
    let o = run(natter(&server, bdir.path(), &bpw), &["requests", "--json"]);
    assert_eq!(json(&o).as_array().map(Vec::len), Some(0), "{}", text(&o));
}

on_servers!(fn headless_stopped_by_sigterm_closes_the_store_cleanly);
/// SIGTERM (a service manager stopping a script) ends headless mode as the end of input does:
/// it exits with success, and the store is closed cleanly and sealed, so that the next start
/// does not read the whole file for damage.
fn headless_stopped_by_sigterm_closes_the_store_cleanly(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let adir = setup(&server, &a, &apw);
    let seal = adir.path().join("natter.sqlite3-seal");
    let mut alice = Headless::start(natter(&server, adir.path(), &apw));
    alice.until(|e| e["event"] == "online");
    assert!(!seal.exists(), "a running session's store is not sealed");
    crate::support::terminate(alice.child.id()).expect("SIGTERM sent");
    let status = alice.wait_exit();
    assert!(
        status.success(),
        "headless exits cleanly on SIGTERM: {status:?}"
    );
    assert!(seal.exists(), "the store was closed cleanly and sealed");
}

/// A running `natter headless`.
struct Headless {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<Value>,
}

impl Headless {
    fn start(mut c: Command) -> Headless {
        let mut child = c
            .arg("headless")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("headless starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Headless {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    fn line(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{text}").expect("write");
        stdin.flush().expect("flush");
    }

    fn cmd(&mut self, v: Value) {
        self.line(&v.to_string());
    }

    fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            let Ok(line) = self.lines.recv_timeout(left) else {
                break;
            };
            let v: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("headless printed a non-JSON line ({e}): {line}"));
            assert!(v["event"].is_string(), "every line has an event: {line}");
            self.seen.push(v.clone());
            if pred(&v) {
                return v;
            }
        }
        panic!("expected event not seen; seen: {:#?}", self.seen);
    }

    fn wait_exit(mut self) -> std::process::ExitStatus {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("headless did not exit after quit");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
