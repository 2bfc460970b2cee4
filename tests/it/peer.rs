//! An independent client as the other side of a conversation: slixmpp (Debian's
//! `python3-slixmpp`, installed by tests/run) driven through `tests/peers/slix_peer.py`, one
//! JSON command per line in, one JSON event per line out.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::support::Server;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/slix_peer.py");
/// Debian's Python, which python3-slixmpp is installed for (a `python3` first on the PATH may
/// be another one, without it).
const PYTHON: &str = "/usr/bin/python3";
/// Long enough for a loaded CI machine; every wait ends at the event it waits for.
const WAIT: Duration = Duration::from_secs(20);

/// A slixmpp client signed in as one account.
pub struct Slix {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    /// Every event it told of, in order.
    pub seen: Vec<Value>,
}

impl Slix {
    /// Signs in as `jid` (resource `slixmpp`) and sends its presence.
    pub async fn online(server: &Server, jid: &str, password: &str) -> Slix {
        let mut child = Command::new(PYTHON)
            .arg(SCRIPT)
            .env("PEER_JID", jid)
            .env("PEER_PASSWORD", password)
            .env("PEER_HOST", "127.0.0.1")
            .env("PEER_PORT", server.port().to_string())
            .env("PEER_CA", server.ca_file())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("Debian's python3 runs the slixmpp peer (tests/run installs python3-slixmpp)");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut peer = Slix {
            child,
            stdin,
            lines: BufReader::new(stdout).lines(),
            seen: Vec::new(),
        };
        peer.wait("online", |e| e["event"] == "online").await;
        peer
    }

    /// Gives the peer one command (see the script) and waits until it has done it.
    pub async fn command(&mut self, command: Value) {
        let name = command["cmd"].clone();
        let mut line = command.to_string();
        line.push('\n');
        self.stdin
            .write_all(line.as_bytes())
            .await
            .expect("the peer reads commands");
        self.wait("the command done", |e| {
            e["event"] == "done" && e["cmd"] == name
        })
        .await;
    }

    /// Sends a chat message from the fields of `fields` (to, id, body, replace, reply,
    /// reactions, retract).
    pub async fn send(&mut self, fields: Value) {
        let mut command = json!({"cmd": "send"});
        if let (Some(c), Some(f)) = (command.as_object_mut(), fields.as_object()) {
            c.extend(f.clone());
        }
        self.command(command).await;
    }

    /// The first event (already seen or coming) that `pred` accepts.
    pub async fn wait(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(e) = self.seen.iter().find(|e| pred(e)) {
            return e.clone();
        }
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let line = tokio::time::timeout_at(deadline, self.lines.next_line())
                .await
                .unwrap_or_else(|_| panic!("slixmpp peer: no {what} in {WAIT:?}: {:#?}", self.seen))
                .expect("the peer's output")
                .unwrap_or_else(|| panic!("slixmpp peer ended before {what}: {:#?}", self.seen));
            let event: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("slixmpp peer wrote {line:?}: {e}"));
            self.seen.push(event.clone());
            if pred(&event) {
                return event;
            }
        }
    }

    /// The message received whose `field` is `value`.
    pub async fn message_with(&mut self, field: &str, value: &Value) -> Value {
        let what = format!("a message with {field} = {value}");
        self.wait(&what, |e| e["event"] == "message" && &e[field] == value)
            .await
    }

    /// Signs out and ends.
    pub async fn quit(mut self) {
        let _ = self.stdin.write_all(b"{\"cmd\":\"quit\"}\n").await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
    }
}
