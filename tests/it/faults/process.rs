//! The real `natter` binary for the fault tests: `account add`, one-shot commands, and a
//! `headless` session that can be killed like a crash.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::support::Server;

/// How long one expected headless event may take.
const WAIT: Duration = Duration::from_secs(30);

/// `natter` with its own data directory, trusting the test CA, the password from the
/// environment.
pub fn natter(server: &Server, data: &Path, password: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_natter"));
    c.env("NATTER_DATA_DIR", data)
        .env("SSL_CERT_FILE", server.ca_file())
        .env("NATTER_PASSWORD", password)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    c
}

/// Runs `natter ARGS` to the end.
pub fn run(mut c: Command, args: &[&str]) -> Output {
    c.args(args).output().expect("natter runs")
}

/// Exit status and both outputs, for failure messages.
pub fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Adds `jid` as the account of the data directory `data`, reaching the server at `port`
/// (the server's own port, or a proxy in front of it).
pub fn add_account(server: &Server, data: &Path, jid: &str, pw: &str, port: u16) {
    let port = port.to_string();
    let o = run(
        natter(server, data, pw),
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
}

/// A running `natter headless`.
pub struct Headless {
    child: Child,
    lines: mpsc::Receiver<Value>,
    /// Every event seen, for failure messages.
    pub seen: Vec<Value>,
}

impl Headless {
    /// Starts `natter headless` from `c` (see [`natter`]).
    pub fn start(mut c: Command) -> Headless {
        let mut child = c
            .arg("headless")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("headless starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel(4096);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("headless printed a non-JSON line ({e}): {line}"));
                if tx.blocking_send(v).is_err() {
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

    /// Writes one command line.
    pub fn cmd(&mut self, v: Value) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{v}").expect("write to headless");
        stdin.flush().expect("flush");
    }

    /// Waits for the first event matching `pred`.
    pub async fn until(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.lines.recv()).await {
                Ok(Some(v)) => {
                    self.seen.push(v.clone());
                    if pred(&v) {
                        return v;
                    }
                }
                Ok(None) => panic!(
                    "headless ended while waiting for {what}; seen: {:#?}",
                    self.seen
                ),
                Err(_) => panic!("no {what} within {WAIT:?}; seen: {:#?}", self.seen),
            }
        }
    }

    /// SIGKILL: no goodbye, no flush, no clean close.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL headless");
        let status = self.child.wait().expect("wait for headless");
        assert_eq!(status.code(), None, "killed by a signal: {status:?}");
    }

    /// Quits cleanly and waits for the exit.
    pub async fn quit(mut self) {
        self.cmd(serde_json::json!({"cmd": "quit"}));
        drop(self.child.stdin.take());
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "headless did not exit after quit"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
