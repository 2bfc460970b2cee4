//! Nothing secret in the logs (issue 16, §4): with `RUST_LOG=trace`, the most anyone turns on
//! to see what happens, the real `natter` binary signs in (PLAIN, then SCRAM) and sends and
//! receives a message, and what it wrote to stderr holds neither the password, nor any of the
//! sign-in's data (PLAIN's base64, SCRAM's messages), nor the text of either message. The log
//! still shows the stream, with the text of every element replaced by a marker.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::fake_server::{Chunk, FakeServer, Layer, Script, Session, certs};

const JID: &str = "alice@localhost";
/// The fake server's SCRAM password (PLAIN takes any: the same one).
const PASSWORD: &str = "fake-s3cret";
const OUTBOUND: &str = "OUTBOUND-words-nobody-else-reads";
const INBOUND: &str = "INBOUND-words-nobody-else-reads";

/// `natter` with its own data directory, trusting the fake server's CA, the password from the
/// environment, logging everything.
fn natter(data: &Path, log: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_natter"));
    c.env("NATTER_DATA_DIR", data)
        .env("SSL_CERT_FILE", certs::ca_file())
        .env("NATTER_PASSWORD", PASSWORD)
        .env("RUST_LOG", log)
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    c
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Signs in with `mechanism`, sends a message and takes one, logging at trace level; returns
/// the log and the base64 payloads of the client's `<auth/>` and `<response/>` elements.
async fn traced_session(mechanism: &'static str) -> (String, Vec<String>) {
    let inbound = format!(
        "<message xmlns='jabber:client' from='bob@localhost/x' to='{JID}/desk' type='chat' \
         id='in1'><body>{INBOUND}</body></message>"
    );
    let server = FakeServer::start(Script {
        mechanisms: vec![mechanism],
        stream_management: true,
        session: Some(Session::new(vec![Chunk::text(&inbound)])),
        ..Script::starttls(certs::good())
    })
    .await;
    let data = tempfile::tempdir().expect("a temp dir");
    let port = server.port().to_string();
    let add = natter(data.path(), "warn")
        .args([
            "account",
            "add",
            JID,
            "--host",
            "127.0.0.1",
            "--port",
            &port,
        ])
        .args(["--resource", "desk"])
        .output()
        .expect("natter runs");
    assert!(add.status.success(), "account add: {}", text(&add));
    let send = tokio::task::spawn_blocking({
        let data = data.path().to_owned();
        move || {
            natter(&data, "trace")
                .args(["send", "--to", "bob@localhost", OUTBOUND])
                .output()
                .expect("natter runs")
        }
    })
    .await
    .expect("the command ran");
    assert!(send.status.success(), "send: {}", text(&send));
    let t = server.transcript().await;
    let sasl: Vec<String> = t
        .items
        .iter()
        .filter(|(layer, item)| {
            *layer == Layer::Tls
                && matches!(crate::fake_server::element_name(item), "auth" | "response")
        })
        .filter_map(|(_, item)| {
            let inner = item.split('>').nth(1)?.split('<').next()?;
            Some(inner.to_owned()).filter(|s| !s.is_empty())
        })
        .collect();
    assert!(!sasl.is_empty(), "no SASL data seen:\n{t:?}");
    assert!(
        t.items.iter().any(|(_, item)| item.contains(OUTBOUND)),
        "the message went out:\n{t:?}"
    );
    (String::from_utf8_lossy(&send.stderr).into_owned(), sasl)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_log_holds_no_password_sign_in_data_or_message_text() {
    for mechanism in ["PLAIN", "SCRAM-SHA-256"] {
        let (log, sasl) = traced_session(mechanism).await;
        // The log is the one asked for: every stanza each way, as markup.
        assert!(
            log.contains("SEND") && log.contains("RECV") && log.contains("<body>[redacted]</body>"),
            "{mechanism}: not a trace log of the stream:\n{log}"
        );
        let plain = BASE64.encode(format!("\0alice\0{PASSWORD}"));
        let mut secrets = vec![
            PASSWORD.to_owned(),
            BASE64.encode(PASSWORD),
            plain,
            OUTBOUND.to_owned(),
            INBOUND.to_owned(),
        ];
        secrets.extend(sasl);
        for secret in &secrets {
            assert!(
                !log.contains(secret.as_str()),
                "{mechanism}: the log holds “{secret}”:\n{log}"
            );
        }
        println!(
            "{mechanism}: {} lines of trace log, none with the password, the sign-in's data or a message",
            log.lines().count()
        );
    }
}

/// The FAST token (XEP-0484) is a credential too: neither the `<token/>` the server hands out
/// (an attribute, which the log otherwise shows) nor the HMAC that signs in with it the next
/// time shows in a trace log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_log_holds_no_fast_token() {
    use crate::fake_server::Sasl2;
    let jid = "logs-fast@localhost";
    let sasl2 = Sasl2::full();
    let data = tempfile::tempdir().expect("a temp dir");
    let mut logs = Vec::new();
    let mut sent = Vec::new();
    for _ in 0..2 {
        let server = FakeServer::start(Script {
            mechanisms: vec!["SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"],
            channel_bindings: vec!["tls-exporter"],
            stream_management: true,
            session: Some(Session::new(Vec::new())),
            sasl2: Some(sasl2.clone()),
            ..Script::starttls(certs::good())
        })
        .await;
        let port = server.port().to_string();
        let add = natter(data.path(), "warn")
            .args([
                "account",
                "add",
                jid,
                "--host",
                "127.0.0.1",
                "--port",
                &port,
            ])
            .output()
            .expect("natter runs");
        assert!(add.status.success(), "account add: {}", text(&add));
        let check = tokio::task::spawn_blocking({
            let data = data.path().to_owned();
            move || {
                natter(&data, "trace")
                    .args(["--timeout", "10", "check"])
                    .output()
                    .expect("natter runs")
            }
        })
        .await
        .expect("the command ran");
        assert!(check.status.success(), "check: {}", text(&check));
        logs.push(String::from_utf8_lossy(&check.stderr).into_owned());
        let t = server.transcript().await;
        sent.extend(t.items.iter().filter_map(|(_, item)| {
            let from = item.find("<initial-response>")? + "<initial-response>".len();
            let len = item[from..].find('<')?;
            Some(item[from..from + len].to_owned())
        }));
    }
    assert_eq!(sasl2.counts(), (1, 1), "a token handed out, then used");
    assert_eq!(sent.len(), 2, "two initial responses: {sent:?}");
    for log in &logs {
        assert!(
            log.contains("token='[redacted]'") || log.contains("HT-SHA-256"),
            "{log}"
        );
        for secret in sent
            .iter()
            .map(String::as_str)
            .chain(["fake-fast-token", PASSWORD])
        {
            assert!(!log.contains(secret), "the log holds “{secret}”:\n{log}");
        }
    }
}
