//! Signing in over a slow link: `natter check` and the peer harness's floor client (slixmpp)
//! through a proxy that holds every chunk `NATTER_BENCH_DELAY_MS` (100) each way, a round trip
//! of 200 ms, like a distant server or a phone's tethering, to a private Prosody. A watcher
//! (a contact of the account, signed in directly) sees the account's presence: the time from
//! the TCP connection to that moment is "online" as contacts see it, as the peer harness
//! measures it. Printed per client: that time, Natter's own online time (its `Online` event,
//! after stream management's `<enabled/>`), the wall time of the command, and the flights each
//! side sent before the presence came: how many times the client waited for the server.
//!
//!   cargo bench --bench login                            # 5 runs each, interleaved
//!   NATTER_BENCH_RUNS=9 NATTER_BENCH_DELAY_MS=50 cargo bench --bench login
//!   NATTER_BENCH_FLIGHTS=1 cargo bench --bench login     # every flight of the first run
//!   NATTER_BIN=target/release/natter cargo bench --profile dev --bench login
//!
//! The proxy sits on loopback: TCP's own handshake is not delayed (add one round trip for
//! every client alike on a real link). Needs `prosody` and `openssl` as the integration tests
//! do, and Debian's `python3-slixmpp` for the floor (skipped without it).
//!
//! SASL2, Bind 2 and FAST (XEP-0388, XEP-0386, XEP-0484): Debian's Prosody 0.12 does not offer
//! them, so three more rows sign in to the transport tests' fake server
//! (tests/it/fake_server), which does: with the RFC 6120 SASL it also speaks (the same
//! server, for comparison), with SASL2 and the password (a first sign-in, which asks for a
//! token), and with SASL2 and that token (the sign-in after it). There "contacts see it" is
//! the moment the fake server reads the presence (it has no contacts to pass it on to), so
//! compare these rows with each other, not with Prosody's. The token lives in the keyring: run
//! inside the tests' private keyring session for the FAST row (`tests/run --bench login`,
//! which builds the bench in the test profile); without a keyring that row signs in with the
//! password and says so.

/// The integration tests' private servers (tests/it/support), without the rest of their
/// harness.
#[path = "../tests/it"]
#[allow(unused)]
mod it {
    pub mod fake_server;
    pub mod support;
}
/// Where the harness's own modules find each other (`crate::support`).
use it::support;

#[path = "login/delay.rs"]
mod delay;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use delay::{DelayProxy, Flight, Way};
use futures::{SinkExt, StreamExt};
use it::fake_server::{FakeServer, Sasl2, Script, Session, certs};
use natter::model::Account;
use support::Prosody;
use tokio::sync::mpsc;
use tokio_xmpp::Stanza;
use tokio_xmpp::minidom::Element;
use tokio_xmpp::xmlstream::{FallibleStreamElement, ReadError, XmppStreamElement};

/// The clients measured, in the order each round runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    NatterStartTls,
    NatterDirectTls,
    Floor,
    /// The fake server, RFC 6120 SASL (SCRAM-SHA-256-PLUS) and bind.
    FakeSasl,
    /// The fake server, SASL2 with Bind 2, the password (a first sign-in: no token yet).
    FakeSasl2Password,
    /// The fake server, SASL2 with Bind 2, the token the run before was given.
    FakeSasl2Token,
}

impl Client {
    fn name(self) -> &'static str {
        match self {
            Client::NatterStartTls => "natter check (STARTTLS)",
            Client::NatterDirectTls => "natter check (direct TLS)",
            Client::Floor => "floor: slixmpp (STARTTLS)",
            Client::FakeSasl => "fake server: natter check, SASL (STARTTLS)",
            Client::FakeSasl2Password => "fake server: natter check, SASL2 + Bind 2, password",
            Client::FakeSasl2Token => "fake server: natter check, SASL2 + Bind 2, FAST token",
        }
    }

    fn fake(self) -> bool {
        matches!(
            self,
            Client::FakeSasl | Client::FakeSasl2Password | Client::FakeSasl2Token
        )
    }
}

/// The account the SASL2 rows sign in as (its FAST token is in the keyring under it), and the
/// one the SASL row signs in as (a token of the other would go ahead of the features to a
/// server without SASL2, be refused, and need a second connection).
const FAKE_JID: &str = "bench-fast@localhost";
const FAKE_SASL_JID: &str = "bench-sasl@localhost";
const FAKE_PASSWORD: &str = "bench-fast-s3cret";

/// The fake server for `client`: SCRAM with channel binding, stream management, and for the
/// SASL2 rows SASL2 with Bind 2 and FAST, its tokens shared through `sasl2`.
fn fake_script(client: Client, sasl2: &Sasl2) -> Script {
    Script {
        mechanisms: vec!["SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"],
        channel_bindings: vec!["tls-exporter", "tls-server-end-point"],
        password: FAKE_PASSWORD,
        session: Some(Session::new(Vec::new())),
        stream_management: true,
        sasl2: (client != Client::FakeSasl).then(|| sasl2.clone()),
        ..Script::starttls(certs::good())
    }
}

/// One sign-in.
struct Run {
    /// TCP accepted → the watcher saw the presence.
    seen: Duration,
    /// Natter's `online_ms` (its Online event), when it printed one.
    online_ms: Option<u64>,
    /// The command's whole run, start to exit (for the floor: start to presence seen).
    wall: Duration,
    /// The flights up to the one that carried the presence.
    flights: Vec<Flight>,
}

fn main() {
    let runs: usize = env_number("NATTER_BENCH_RUNS", 5);
    let delay = Duration::from_millis(env_number("NATTER_BENCH_DELAY_MS", 100));
    let show_flights = std::env::var_os("NATTER_BENCH_FLIGHTS").is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(bench(runs, delay, show_flights));
}

async fn bench(runs: usize, delay: Duration, show_flights: bool) {
    let server = Prosody::start();
    let (alice, alice_pw) = server.create_user("alice");
    let (watcher, watcher_pw) = server.create_user("watcher");
    server.make_contacts(&alice, &watcher);
    // SAFETY: set before any thread of ours reads the environment.
    unsafe { std::env::set_var("SSL_CERT_FILE", server.ca_file()) };
    let mut seen = watch_for(&server, &watcher, &watcher_pw, &alice).await;

    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a directory");
    let floor = floor_available();
    let mut clients = vec![Client::NatterStartTls, Client::NatterDirectTls];
    if floor {
        clients.push(Client::Floor);
    }
    clients.extend([
        Client::FakeSasl,
        Client::FakeSasl2Password,
        Client::FakeSasl2Token,
    ]);
    let sasl2 = Sasl2::full();
    let mut token_missing = 0;
    let mut results: Vec<(Client, Vec<Run>)> = clients.iter().map(|&c| (c, Vec::new())).collect();
    for round in 0..runs {
        for (client, done) in &mut results {
            if client.fake() {
                let data = dir.path().join(format!("{client:?}"));
                let (run, used_token) = fake_run(&data, *client, &sasl2, delay).await;
                if *client == Client::FakeSasl2Token && !used_token {
                    token_missing += 1;
                }
                done.extend(run);
                continue;
            }
            let upstream = match client {
                Client::NatterDirectTls => server.direct_tls_port(),
                _ => server.port(),
            };
            let proxy = DelayProxy::start(upstream, delay).await;
            // The watcher may still hear the end of the previous sign-in.
            while seen.try_recv().is_ok() {}
            let run = match client {
                Client::Floor => floor_run(&server, &alice, &alice_pw, &proxy, &mut seen).await,
                _ => {
                    let data = dir.path().join(format!("{client:?}"));
                    if round == 0 {
                        add_account(&data, &alice, &alice_pw, &proxy, *client).await;
                    } else {
                        set_port(&data, &alice, proxy.port).await;
                    }
                    natter_run(&data, &alice_pw, &proxy, &mut seen).await
                }
            };
            if let Some(run) = run {
                done.push(run);
            }
        }
    }
    report(&results, delay, show_flights, floor);
    if token_missing > 0 {
        println!(
            "(the FAST row signed in with the password in {token_missing} of {runs} runs: no \
             keyring to keep the token in; run it with `tests/run --bench login`)"
        );
    }
}

/// One sign-in of a fake-server row, through a proxy of its own: the run, and whether a FAST
/// token signed in.
async fn fake_run(
    data: &Path,
    client: Client,
    sasl2: &Sasl2,
    delay: Duration,
) -> (Option<Run>, bool) {
    let address = match client {
        Client::FakeSasl => FAKE_SASL_JID,
        _ => FAKE_JID,
    };
    let jid = natter::model::bare_jid(address).expect("an address");
    if client == Client::FakeSasl2Password {
        // A first sign-in: the token the run before was given goes, so the password is used.
        let _ = natter::secrets::delete_fast_token(&jid, natter::session::Role::Command).await;
    }
    let server = FakeServer::start(fake_script(client, sasl2)).await;
    let proxy = DelayProxy::start(server.port(), delay).await;
    let port = proxy.port.to_string();
    let env = [("SSL_CERT_FILE", certs::ca_file())];
    let add = [
        "account",
        "add",
        address,
        "--host",
        "127.0.0.1",
        "--port",
        &port,
    ];
    let out = natter_with(data, FAKE_PASSWORD, &add, &env).await;
    assert!(out.status.success(), "account add: {out:?}");
    let started = Instant::now();
    let out = natter_with(data, FAKE_PASSWORD, &["--json", "check"], &env).await;
    let wall = started.elapsed();
    let t = server.transcript().await;
    let used_token = t.authenticates().iter().any(|m| m.starts_with("HT-"));
    let value: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(_) => {
            eprintln!("natter check: {out:?}");
            return (None, used_token);
        }
    };
    let (Some(at), Some(accepted)) = (t.presence_at, proxy.accepted()) else {
        eprintln!("no presence reached the fake server: {t:?}");
        return (None, used_token);
    };
    let seen = at.saturating_duration_since(accepted);
    let run = Run {
        seen,
        online_ms: value["online_ms"].as_u64(),
        wall,
        flights: proxy.flights_until(seen),
    };
    (Some(run), used_token)
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Signs the watcher in (directly, no proxy) and reports each available presence of `whom`.
async fn watch_for(
    server: &Prosody,
    watcher: &str,
    password: &str,
    whom: &str,
) -> mpsc::UnboundedReceiver<Instant> {
    let mut account =
        Account::new(natter::model::bare_jid(watcher).expect("the watcher's address"));
    account.host = Some("127.0.0.1".into());
    account.port = Some(server.port());
    let conn = natter::session::raw_login(&account, password)
        .await
        .expect("the watcher signs in");
    let mut stream = conn.stream;
    for xml in [
        "<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>watch</resource></bind></iq>",
        "<presence xmlns='jabber:client'/>",
    ] {
        let el: Element = xml.parse().expect("well-formed XML");
        let stanza = Stanza::try_from(el).expect("a stanza");
        stream
            .send(&XmppStreamElement::Stanza(stanza))
            .await
            .expect("sent");
    }
    let (tx, rx) = mpsc::unbounded_channel();
    let whom = whom.to_owned();
    tokio::spawn(async move {
        while let Some(item) = stream.next().await {
            let Ok(FallibleStreamElement::Ok(XmppStreamElement::Stanza(Stanza::Presence(p)))) =
                item
            else {
                if matches!(item, Err(ReadError::HardError(_))) {
                    return;
                }
                continue;
            };
            let from_whom = p
                .from
                .as_ref()
                .is_some_and(|f| f.to_bare().as_str() == whom);
            if from_whom && p.type_ == tokio_xmpp::parsers::presence::Type::None {
                let _ = tx.send(Instant::now());
            }
        }
    });
    rx
}

/// The `natter` built with this bench, or `NATTER_BIN`: a release build measured by a bench
/// built quickly (`NATTER_BIN=target/release/natter cargo bench --profile dev --bench login`;
/// what is measured is the network's waits, not the bench's own code).
fn natter_bin() -> String {
    std::env::var("NATTER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_natter").to_owned())
}

async fn natter(data: &Path, password: &str, args: &[&str]) -> std::process::Output {
    natter_with(data, password, args, &[]).await
}

async fn natter_with(
    data: &Path,
    password: &str,
    args: &[&str],
    env: &[(&str, PathBuf)],
) -> std::process::Output {
    tokio::process::Command::new(natter_bin())
        .args(args)
        .env("NATTER_DATA_DIR", data)
        .env("NATTER_PASSWORD", password)
        .envs(env.iter().map(|(k, v)| (*k, v.as_os_str())))
        .stdin(Stdio::null())
        .output()
        .await
        .expect("natter runs")
}

async fn add_account(data: &Path, jid: &str, password: &str, proxy: &DelayProxy, client: Client) {
    let port = proxy.port.to_string();
    let mut args = vec![
        "account",
        "add",
        jid,
        "--host",
        "127.0.0.1",
        "--port",
        &port,
    ];
    if client == Client::NatterDirectTls {
        args.extend(["--tls", "direct"]);
    }
    args.push("--default");
    let out = natter(data, password, &args).await;
    assert!(out.status.success(), "account add: {out:?}");
}

/// Points the stored account at this run's proxy.
async fn set_port(data: &Path, jid: &str, port: u16) {
    let db = data.join("natter.sqlite3");
    let store = natter::store::Store::open(&db).expect("the store");
    let mut account = store
        .accounts()
        .await
        .expect("accounts")
        .into_iter()
        .find(|a| a.jid.as_str() == jid)
        .expect("the account");
    account.port = Some(port);
    store.save_account(account).await.expect("saved");
    drop(store);
    natter::store::wait_for_closing(Duration::from_secs(5));
}

async fn natter_run(
    data: &Path,
    password: &str,
    proxy: &DelayProxy,
    seen: &mut mpsc::UnboundedReceiver<Instant>,
) -> Option<Run> {
    let started = Instant::now();
    let out = natter(data, password, &["--json", "check"]).await;
    let wall = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value: serde_json::Value = match serde_json::from_str(stdout.trim()) {
        Ok(v) => v,
        Err(_) => {
            eprintln!("natter check: {out:?}");
            return None;
        }
    };
    let online_ms = value["online_ms"].as_u64();
    let at = tokio::time::timeout(Duration::from_secs(5), seen.recv())
        .await
        .ok()??;
    let accepted = proxy.accepted()?;
    Some(Run {
        seen: at.saturating_duration_since(accepted),
        online_ms,
        wall,
        flights: proxy.flights_until(at.saturating_duration_since(accepted)),
    })
}

fn floor_available() -> bool {
    std::process::Command::new("/usr/bin/python3")
        .args(["-c", "import slixmpp"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn floor_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/login/floor.py")
}

async fn floor_run(
    server: &Prosody,
    jid: &str,
    password: &str,
    proxy: &DelayProxy,
    seen: &mut mpsc::UnboundedReceiver<Instant>,
) -> Option<Run> {
    let started = Instant::now();
    let port = proxy.port.to_string();
    let mut child = tokio::process::Command::new("/usr/bin/python3")
        .arg(floor_script())
        .args([jid, password, "127.0.0.1", &port])
        .arg(server.ca_file())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the floor client starts");
    let at = tokio::time::timeout(Duration::from_secs(20), seen.recv()).await;
    let wall = started.elapsed();
    let _ = child.kill().await;
    let at = at.ok()??;
    let accepted = proxy.accepted()?;
    Some(Run {
        seen: at.saturating_duration_since(accepted),
        online_ms: None,
        wall,
        flights: proxy.flights_until(at.saturating_duration_since(accepted)),
    })
}

/// The client's flights up to the presence: each after the first waited for the server.
fn waits(run: &Run) -> usize {
    run.flights
        .iter()
        .filter(|f| f.way == Way::Up)
        .count()
        .saturating_sub(1)
}

fn median(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    (values[n / 2], values[0], values[n - 1])
}

fn report(results: &[(Client, Vec<Run>)], delay: Duration, show_flights: bool, floor: bool) {
    println!();
    println!(
        "Signing in through a proxy holding each chunk {} ms each way (round trip {} ms), \
         private Prosody (the fake-server rows: tests/it/fake_server); medians (min–max)",
        delay.as_millis(),
        2 * delay.as_millis()
    );
    if !floor {
        println!("(no python3-slixmpp: the floor client is not measured)");
    }
    println!();
    println!(
        "| client | runs | round trips to presence | contacts see it, s | own online, s | whole command, s |"
    );
    println!("|---|---|---|---|---|---|");
    for (client, runs) in results {
        let secs = |f: &dyn Fn(&Run) -> Option<f64>| median(runs.iter().filter_map(f).collect());
        let (seen, seen_lo, seen_hi) = secs(&|r| Some(r.seen.as_secs_f64()));
        let (online, online_lo, online_hi) = secs(&|r| r.online_ms.map(|ms| ms as f64 / 1000.0));
        let (wall, wall_lo, wall_hi) = secs(&|r| Some(r.wall.as_secs_f64()));
        let (trips, trips_lo, trips_hi) = secs(&|r| Some(waits(r) as f64));
        let online = if online.is_nan() {
            "—".to_owned()
        } else {
            format!("{online:.2} ({online_lo:.2}–{online_hi:.2})")
        };
        // The fake server answers every query with an error, so `natter check` waits out its
        // 10 s for the server's features (cli/operations.rs): not a figure of the login.
        let wall = if client.fake() {
            "—".to_owned()
        } else {
            format!("{wall:.2} ({wall_lo:.2}–{wall_hi:.2})")
        };
        println!(
            "| {} | {} | {trips:.0} ({trips_lo:.0}–{trips_hi:.0}) | {seen:.2} ({seen_lo:.2}–{seen_hi:.2}) | {online} | {wall} |",
            client.name(),
            runs.len(),
        );
    }
    println!();
    if show_flights {
        for (client, runs) in results {
            let Some(run) = runs.first() else { continue };
            println!(
                "{} (first run), flights until the presence was seen:",
                client.name()
            );
            for f in &run.flights {
                let way = match f.way {
                    Way::Up => "client →",
                    Way::Down => "  ← server",
                };
                println!(
                    "  {:>7.1} ms  {way:<10} {:>2} chunk(s) {:>6} bytes",
                    f.at.as_secs_f64() * 1000.0,
                    f.chunks,
                    f.bytes
                );
            }
            println!();
        }
    }
}
