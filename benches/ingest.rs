//! A steady stream of messages into a session, on the machine's real disk: does Natter store
//! them as they arrive, and how long after? A contact (a raw XMPP connection, not Natter, so
//! that only the receiver's store is measured) sends `RATE` messages a second for `SECONDS`
//! seconds, each with a receipt request and its send time in the body, to an account signed in
//! with Natter's session on a private Prosody. Printed per rate: messages stored per second
//! while the stream ran, the lag from send to committed-and-announced (p50, p99, max), how
//! many were still not stored when the stream stopped, and the CPU seconds the server and this
//! process (Natter's session and the sending contact) used until the last one was stored — so
//! that a row bounded by the server says so. Each rate runs against Prosody with its message
//! archive (XEP-0313, as people's servers have it: every message written to the server's own
//! storage too) and without it (only the routing: what is left is Natter's work).
//!
//!   cargo bench --bench ingest                 # 200 and 1,000 messages a second, 20 s each
//!   NATTER_BENCH_RATES=1000 NATTER_BENCH_SECONDS=60 NATTER_BENCH_ARCHIVE=off cargo bench --bench ingest
//!
//! The store lives under `target/` (the project's disk, never a tmpfs): every commit is an
//! fsync there, which is what bounds ingestion when each message is its own transaction.
//! Needs `prosody` and `openssl`, as the integration tests do (`tests/run` installs them).

/// The integration tests' private servers (tests/it/support), without the rest of their
/// harness.
#[path = "../tests/it"]
#[allow(unused)]
mod it {
    pub mod support;
}
/// Where the harness's own modules find each other (`crate::support`).
use it::support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::{SinkExt, StreamExt};
use natter::model::Account;
use natter::session::{self, Credentials, Event};
use natter::store::Store;
use tokio_xmpp::Stanza;
use tokio_xmpp::minidom::Element;
use tokio_xmpp::xmlstream::XmppStreamElement;

fn main() {
    let rates: Vec<u32> = std::env::var("NATTER_BENCH_RATES")
        .ok()
        .map(|v| v.split(',').filter_map(|r| r.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![200, 1000]);
    let seconds: u64 = std::env::var("NATTER_BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let archives: Vec<bool> = match std::env::var("NATTER_BENCH_ARCHIVE").as_deref() {
        Ok("on") => vec![true],
        Ok("off") => vec![false],
        _ => vec![true, false],
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    println!();
    println!(
        "Natter ingestion benchmark: a steady stream into a session, store on the project's disk"
    );
    println!(
        "({} s per rate; lag = sent → committed and announced)",
        seconds
    );
    println!();
    println!(
        "{:>8} {:>8} {:>8} {:>9} {:>11} {:>9} {:>9} {:>9} {:>10} {:>11} {:>11}",
        "archive",
        "rate/s",
        "sent",
        "stored",
        "stored/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "unstored",
        "server CPU",
        "this CPU"
    );
    for rate in rates {
        for &archive in &archives {
            let row = runtime.block_on(run(rate, Duration::from_secs(seconds), archive));
            print_row(rate, archive, &row);
        }
    }
    println!();
    println!("(CPU in seconds from the stream's start to the last message stored; this = Natter's");
    println!("session, its store and the sending contact, one process)");
}

fn print_row(rate: u32, archive: bool, row: &Row) {
    println!(
        "{:>8} {:>8} {:>8} {:>9} {:>11.0} {:>9.1} {:>9.1} {:>9.1} {:>10} {:>11.1} {:>11.1}",
        if archive { "on" } else { "off" },
        rate,
        row.sent,
        row.stored,
        row.stored_per_sec,
        row.p50,
        row.p99,
        row.max,
        row.unstored_at_end,
        row.server_cpu,
        row.own_cpu
    );
}

/// CPU seconds (user and system) process `pid` used so far, from /proc (USER_HZ is 100).
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return f64::NAN;
    };
    // The command name is in parentheses and may hold spaces: count from after it.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return f64::NAN;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    // utime and stime are fields 14 and 15 of stat; 12 and 13 after the name and state.
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => (u + s) / 100.0,
        _ => f64::NAN,
    }
}

struct Row {
    sent: usize,
    stored: usize,
    stored_per_sec: f64,
    p50: f64,
    p99: f64,
    max: f64,
    unstored_at_end: usize,
    server_cpu: f64,
    own_cpu: f64,
}

fn micros_now() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or(0)
}

async fn run(rate: u32, length: Duration, archive: bool) -> Row {
    let setup = support::Setup {
        archive,
        ..Default::default()
    };
    let support::Server::Prosody(server) =
        support::Server::start_with(support::Kind::Prosody, setup)
    else {
        unreachable!("a Prosody was asked for")
    };
    let server_pid = server.pid().map(|p| p.to_string()).unwrap_or_default();
    let (a, apw) = server.create_user("alice");
    let (b, bpw) = server.create_user("bob");
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a directory under target/");
    let store = Store::open(&dir.path().join("natter.sqlite3")).expect("a store");
    let account = |jid: &str| {
        let mut account = Account::new(natter::model::bare_jid(jid).expect("an address"));
        account.host = Some("127.0.0.1".into());
        account.port = Some(server.port());
        account.resource = Some("desk".into());
        account
    };
    // The server's certificate is trusted through the test CA, as in the tests.
    // SAFETY: set before any thread of ours reads the environment.
    unsafe { std::env::set_var("SSL_CERT_FILE", server.ca_file()) };
    store
        .save_account(account(&a))
        .await
        .expect("the account saved");
    let (_handle, mut events) = session::spawn(
        Credentials {
            account: account(&a),
            password: apw,
        },
        store,
    );
    loop {
        match events.recv().await {
            Some(Event::CaughtUp { .. }) => break,
            Some(Event::AuthFailed { reason }) => panic!("alice could not sign in: {reason}"),
            Some(_) => {}
            None => panic!("alice's session ended"),
        }
    }

    let conn = session::raw_login(&account(&b), &bpw)
        .await
        .expect("bob signs in");
    let mut stream = conn.stream;
    let bind = "<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>stream</resource></bind></iq>";
    stream.send(&stanza(bind)).await.expect("bind sent");

    let total = (u64::from(rate) * length.as_secs()) as usize;
    let sender = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1) / rate);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        let mut seq = 0;
        while seq < total {
            tokio::select! {
                biased;
                // Bob reads whatever comes (the bind result, receipts) before he writes more:
                // a peer that stops reading would slow the server down, not Natter.
                _ = stream.next() => {}
                _ = tick.tick() => {
                    let xml = format!(
                        "<message xmlns='jabber:client' to='{a}' type='chat' id='s{seq}'>\
                         <body>ingest {seq} {}</body><request xmlns='urn:xmpp:receipts'/></message>",
                        micros_now()
                    );
                    stream.send(&stanza(&xml)).await.expect("sent");
                    seq += 1;
                }
            }
        }
        stream
    });

    let started = Instant::now();
    let cpu_at_start = (cpu_seconds(&server_pid), cpu_seconds("self"));
    let mut lags: Vec<f64> = Vec::with_capacity(total);
    let mut stored_while_streaming = None;
    let deadline = started + length + Duration::from_secs(120);
    while lags.len() < total && Instant::now() < deadline {
        if stored_while_streaming.is_none() && sender.is_finished() {
            stored_while_streaming = Some(lags.len());
        }
        let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(100), events.recv()).await
        else {
            continue;
        };
        if let Event::Messages(messages) = event {
            let now = micros_now();
            for m in messages {
                let mut words = m.body.split(' ').skip(2);
                if let Some(sent) = words.next().and_then(|t| t.parse::<u128>().ok()) {
                    lags.push(now.saturating_sub(sent) as f64 / 1000.0);
                }
            }
        }
    }
    let server_cpu = cpu_seconds(&server_pid) - cpu_at_start.0;
    let own_cpu = cpu_seconds("self") - cpu_at_start.1;
    let stored_while_streaming = stored_while_streaming.unwrap_or(lags.len());
    let streamed = length.as_secs_f64().max(0.001);
    let stored = lags.len();
    lags.sort_by(|x, y| x.total_cmp(y));
    let pick = |q: f64| {
        lags.get(((lags.len() as f64 * q) as usize).min(lags.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let row = Row {
        sent: total,
        stored,
        stored_per_sec: stored_while_streaming as f64 / streamed,
        p50: pick(0.5),
        p99: pick(0.99),
        max: lags.last().copied().unwrap_or(f64::NAN),
        unstored_at_end: total - stored_while_streaming,
        server_cpu,
        own_cpu,
    };
    drop(sender);
    row
}

fn stanza(xml: &str) -> XmppStreamElement {
    let el: Element = xml.parse().expect("well-formed XML");
    XmppStreamElement::Stanza(Stanza::try_from(el).expect("a stanza"))
}
