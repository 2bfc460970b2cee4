//! A private ejabberd (Debian's 23.01): its own config, spool, logs, certificate, Erlang node
//! and loopback ports.
//!
//! `ejabberdctl foreground` starts it with `--config-dir`, `--config`, `--ctl-config`, `--logs`,
//! `--spool` and `--node` all inside the server's directory, HOME there too (the Erlang cookie
//! lives in HOME). No epmd: the ctl config names the node's distribution port
//! (`ERL_DIST_PORT`), binds it to loopback (`INET_DIST_INTERFACE`) and keeps epmd's address
//! there too (`ERL_EPMD_ADDRESS`), so `ejabberdctl` commands reach the node directly. Accounts
//! are made with `ejabberdctl register`; a flood of subscription requests goes through the same
//! commands over ejabberd's HTTP API on a loopback port, because every `ejabberdctl` call boots
//! an Erlang VM (0.6 s).
//!
//! Its data lives in SQLite (ejabberd's `sql_type: sqlite`), not in Debian's default Mnesia:
//! Mnesia's disc tables hold the last seconds of writes in the VM's memory, so a killed server
//! would come back without the users and messages it had just accepted, and a fault test would
//! blame Natter for the server's loss. SQLite commits before ejabberd goes on, and the harness
//! reads the archive straight from the file, as it reads Prosody's. The directory is on tmpfs
//! when there is one, so the commits cost no disk flushes.

mod control;
mod files;

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use super::os::{StartFailure as Failure, read_lossy};
use super::{Setup, os, ports};

const DOMAIN: &str = "localhost";
/// The SQLite file in the spool directory.
const DATABASE: &str = "ejabberd.sqlite3";
/// A fresh node starts in about 1.5 s; generous for a loaded two-core CI machine.
const START_TIMEOUT: Duration = Duration::from_secs(40);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);
/// The system user Debian's package makes for ejabberd; `ejabberdctl` runs only as it (or as
/// root, which it then leaves for it).
const ACCOUNT: &str = "ejabberd";
const CTL: &str = "ejabberdctl";
/// What the Erlang VM or a listener says when a port is taken by someone else.
const PORT_TAKEN: [&str; 2] = ["eaddrinuse", "already in use"];
/// What ejabberd logs once at each start.
const STARTED: &str = "is started in the node";
/// Warnings every start of this configuration logs, which say nothing about the test: the
/// PEP service's host (pubsub.localhost) has no certificate and needs none, as it is not
/// reachable by s2s.
const EXPECTED_WARNINGS: [&str; 1] = ["No certificate found matching pubsub.localhost"];

/// A running (or stopped) private ejabberd.
///
/// Like [`Prosody`](super::Prosody): 127.0.0.1 only, [`port`](Self::port) for STARTTLS and
/// [`direct_tls_port`](Self::direct_tls_port) for XEP-0368 direct TLS, a certificate for
/// `localhost` signed by the test CA in [`ca_file`](Self::ca_file). Two more loopback ports
/// are its own: the Erlang distribution port `ejabberdctl` talks to, and the HTTP API. Dropping
/// it kills the server and removes its directory; if the test is panicking, the end of the
/// server log is printed first.
///
/// Set `NATTER_TEST_EJABBERD_DEBUG=1` for a debug-level log, and `NATTER_TEST_KEEP=1` to keep
/// the server's directory (its path is printed).
pub struct Ejabberd {
    dir: tempfile::TempDir,
    /// `ejabberdctl foreground`, which runs the Erlang VM as its child.
    child: Option<Child>,
    ports: Ports,
    node: String,
    ctl: PathBuf,
    ca_file: PathBuf,
    setup: Setup,
}

#[derive(Clone, Copy, Default)]
struct Ports {
    c2s: u16,
    direct_tls: u16,
    /// The Erlang distribution port: `ejabberdctl` connects to the node here.
    dist: u16,
    /// ejabberd's HTTP API (mod_http_api), for loopback only.
    api: u16,
}

impl Ports {
    fn all(self) -> [u16; 4] {
        [self.c2s, self.direct_tls, self.dist, self.api]
    }
}

impl Ejabberd {
    /// Starts a fresh server and waits until its ports accept connections.
    ///
    /// Panics with the reason (and the server log) when it cannot: ejabberd missing, a config
    /// error, or no start within 40 s.
    pub fn start() -> Ejabberd {
        Ejabberd::start_with(Setup::default())
    }

    /// Starts a fresh server set up as `setup` says.
    pub fn start_with(setup: Setup) -> Ejabberd {
        let installed = os::which(CTL).filter(|_| Path::new("/usr/bin/erl").is_file());
        let installed = installed.unwrap_or_else(|| {
            panic!("ejabberd is not installed: run tests/run, which installs what the tests need")
        });
        os::server_user(ACCOUNT);
        let files::Made { dir, ctl, ca_file } = files::make(&installed);
        let node = format!("natter-{}@{DOMAIN}", os::random_hex(4));
        let mut server = Ejabberd {
            dir,
            child: None,
            ports: Ports::default(),
            node,
            ctl,
            ca_file,
            setup,
        };
        // Ports are picked at random and checked free, but another process may still take one
        // between the check and ejabberd's bind: then pick again.
        for _ in 0..5 {
            let [c2s, direct_tls, dist, api] = ports::reserve();
            server.ports = Ports {
                c2s,
                direct_tls,
                dist,
                api,
            };
            server.write_config();
            os::give_to_server(server.dir.path(), ACCOUNT);
            match server.launch() {
                Ok(()) => return server,
                Err(Failure::PortTaken) => {
                    // A half-started node may have begun its data: start from nothing.
                    files::empty_spool(server.dir.path());
                    server.release_ports();
                }
                Err(Failure::Other(why)) => panic!(
                    "the test ejabberd did not start: {why}\n{}",
                    server.log_for_panic()
                ),
            }
        }
        panic!(
            "the test ejabberd found its ports taken five times in a row\n{}",
            server.log_for_panic()
        );
    }

    pub fn domain(&self) -> &str {
        DOMAIN
    }

    /// The c2s port, which offers STARTTLS (and requires it).
    pub fn port(&self) -> u16 {
        self.ports.c2s
    }

    /// The XEP-0368 direct TLS c2s port.
    pub fn direct_tls_port(&self) -> u16 {
        self.ports.direct_tls
    }

    /// The PEM of the CA that signed the server certificate.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// The directory holding the config, certificates, logs and spool of this server.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Registers `name@localhost` with a fresh random password (`ejabberdctl register`) and
    /// returns `(jid, password)`. The server must be running. Panics if the user exists
    /// already.
    pub fn create_user(&self, name: &str) -> (String, String) {
        super::check_user_name(name);
        assert!(
            self.child.is_some(),
            "ejabberd registers users through its running node: create {name} before stop()"
        );
        let password = os::random_hex(12);
        let out = self.ctl(&["register", name, DOMAIN, &password]);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !said.contains("conflict"),
            "user {name}@{DOMAIN} already exists on this test server"
        );
        assert!(
            out.status.success(),
            "ejabberdctl register {name} {DOMAIN} failed ({}):\n{said}\n{}",
            out.status,
            self.log_for_panic(),
        );
        (format!("{name}@{DOMAIN}"), password)
    }

    /// Whether the account `name` exists (`ejabberdctl check_account`).
    pub fn has_user(&self, name: &str) -> bool {
        self.ctl(&["check_account", name, DOMAIN]).status.success()
    }

    /// Leaves a subscription request from each bare JID of `from` pending for `user` (a bare
    /// JID of this server, offline): ejabberd's `send_stanza` command routes a `subscribe` from
    /// each, which the server keeps in the user's roster and hands over at the next login. The
    /// senders need not exist.
    pub fn add_pending_requests(&self, user: &str, from: &[String]) {
        for jid in from {
            self.api(
                "send_stanza",
                &serde_json::json!({
                    "from": jid,
                    "to": user,
                    "stanza": "<presence type='subscribe'/>",
                }),
            );
        }
    }

    /// How many copies of a message whose body is `body` the server archived for `user` (a
    /// bare JID): the rows of its archive that carry that body.
    pub fn archived_copies(&self, user: &str, body: &str) -> usize {
        let (local, domain) = user.split_once('@').unwrap_or((user, DOMAIN));
        self.count(
            "SELECT count(*) FROM archive WHERE username = ?1 AND server_host = ?2 AND txt = ?3",
            (local, domain, body),
        )
    }

    /// How many messages ejabberd keeps in offline storage for `user` (a bare JID).
    pub fn offline_count(&self, user: &str) -> usize {
        let (local, domain) = user.split_once('@').unwrap_or((user, DOMAIN));
        self.count(
            "SELECT count(*) FROM spool WHERE username = ?1 AND server_host = ?2",
            (local, domain),
        )
    }

    /// One count from ejabberd's database, read beside the running server.
    fn count(&self, sql: &str, params: impl rusqlite::Params) -> usize {
        let file = self.dir.path().join("spool").join(DATABASE);
        let count = rusqlite::Connection::open_with_flags(
            &file,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|db| {
            db.busy_timeout(Duration::from_secs(5))?;
            db.query_row(sql, params, |row| row.get::<_, i64>(0))
        })
        .unwrap_or_else(|e| panic!("reading ejabberd's database {}: {e}", file.display()));
        // A reader may have made SQLite's shared-memory files: they must stay the server's.
        os::give_to_server(&self.dir.path().join("spool"), ACCOUNT);
        usize::try_from(count).expect("a count")
    }

    /// How many times `jid` (a bare JID) signed in, as the server logged it.
    pub fn sign_ins(&self, jid: &str) -> usize {
        let marker = format!(" authentication for {jid} ");
        self.log()
            .lines()
            .filter(|l| l.contains("Accepted c2s ") && l.contains(&marker))
            .count()
    }

    /// How many times the server started, as its log says.
    pub fn starts(&self) -> usize {
        read_lossy(&self.log_file(), 0).matches(STARTED).count()
    }

    /// Lines of the log at level warning or worse, but for the warnings every start gives.
    pub fn complaints(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter(|l| {
                ["[warning]", "[error]", "[critical]"]
                    .iter()
                    .any(|level| l.contains(level))
            })
            .filter(|l| !EXPECTED_WARNINGS.iter().any(|w| l.contains(w)))
            .map(str::to_owned)
            .collect()
    }

    /// Stops the server gracefully (SIGTERM to the Erlang VM, which shuts ejabberd down) and
    /// waits for it; SIGKILL after 15 s.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if child.try_wait().ok().flatten().is_none() {
            match self.vm_pid() {
                Some(vm) => {
                    let _ = os::terminate(vm);
                }
                None => {
                    let _ = child.kill();
                }
            }
            let deadline = Instant::now() + STOP_TIMEOUT;
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self.kill_child(child);
    }

    /// Kills the server (SIGKILL to the Erlang VM) and waits for it: a crash, no goodbye to the
    /// clients.
    pub fn kill(&mut self) {
        if let Some(child) = self.child.take() {
            self.kill_child(child);
        }
    }

    /// Starts the server again on the same ports with the same node and data (stopping it first
    /// if it is running): a server restart in the middle of a test.
    pub fn start_again(&mut self) {
        self.stop();
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match self.launch() {
                Ok(()) => return,
                // A port still held by something else: wait for it, the clients know this port.
                Err(Failure::PortTaken) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(200))
                }
                Err(Failure::PortTaken) => panic!(
                    "the test ejabberd could not get its ports {:?} back\n{}",
                    self.ports.all(),
                    self.log_for_panic()
                ),
                Err(Failure::Other(why)) => panic!(
                    "the test ejabberd did not start again: {why}\n{}",
                    self.log_for_panic()
                ),
            }
        }
    }

    /// The server log so far (all runs), plus anything the VM printed on stdout or stderr.
    pub fn log(&self) -> String {
        let mut log = read_lossy(&self.log_file(), 0);
        let printed = read_lossy(&self.output_file(), 0);
        if !printed.trim().is_empty() {
            log.push_str("\n--- ejabberd stdout/stderr ---\n");
            log.push_str(&printed);
        }
        log
    }

    /// The Erlang VM's pid, which ejabberd writes at start (`EJABBERD_PID_PATH`).
    pub fn vm_pid(&self) -> Option<u32> {
        fs::read_to_string(self.pid_file())
            .ok()
            .and_then(|s| s.trim().parse().ok())
    }

    /// SIGKILL to the VM and to `ejabberdctl`, then waits for both.
    fn kill_child(&self, mut child: Child) {
        // `ejabberdctl` outlives its VM only by the moment it takes to reap it: once it has
        // exited, the pid in the file may already be another process's.
        if child.try_wait().ok().flatten().is_none()
            && let Some(vm) = self.vm_pid()
        {
            let _ = os::kill_now(vm);
            let deadline = Instant::now() + STOP_TIMEOUT;
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        let _ = fs::remove_file(self.pid_file());
    }

    fn conf(&self, file: &str) -> PathBuf {
        self.dir.path().join("conf").join(file)
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("logs").join("ejabberd.log")
    }

    fn output_file(&self) -> PathBuf {
        self.dir.path().join("ejabberd.out")
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.path().join("ejabberd.pid")
    }

    /// Spawns `ejabberdctl foreground` and waits until the server listens on its ports.
    fn launch(&mut self) -> Result<(), Failure> {
        let _ = fs::remove_file(self.pid_file());
        let log_offset = fs::metadata(self.log_file()).map(|m| m.len()).unwrap_or(0);
        let output_offset = fs::metadata(self.output_file())
            .map(|m| m.len())
            .unwrap_or(0);
        let output = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.output_file())
            .unwrap_or_else(|e| panic!("opening ejabberd.out: {e}"));
        let mut cmd = self.ctl_command(true);
        // The log goes to its file; the console shows only what is critical.
        cmd.arg("foreground-quiet")
            .stdout(output.try_clone().expect("duplicating a file handle"))
            .stderr(output);
        let child = os::spawn_from_long_lived_thread(cmd)
            .map_err(|e| Failure::Other(format!("spawning ejabberdctl: {e}")))?;
        self.child = Some(child);

        let Ports {
            c2s, direct_tls, ..
        } = self.ports;
        let wanted = [
            format!("Start accepting TCP connections at 127.0.0.1:{c2s} for ejabberd_c2s"),
            format!("Start accepting TLS connections at 127.0.0.1:{direct_tls} for ejabberd_c2s"),
        ];
        let deadline = Instant::now() + START_TIMEOUT;
        let mut pool_started = false;
        loop {
            if !pool_started && ports::accept(&[self.ports.api]) {
                pool_started = self.start_sql_pool();
            }
            let log = read_lossy(&self.log_file(), log_offset);
            let printed = read_lossy(&self.output_file(), output_offset);
            if PORT_TAKEN
                .iter()
                .any(|taken| log.contains(taken) || printed.contains(taken))
            {
                self.kill();
                return Err(Failure::PortTaken);
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                self.child = None;
                return Err(Failure::Other(format!(
                    "ejabberdctl foreground exited ({status}) before the server listened"
                )));
            }
            if pool_started
                && wanted.iter().all(|line| log.contains(line.as_str()))
                && ports::accept(&self.ports.all())
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(Failure::Other(format!(
                    "ejabberd did not listen on 127.0.0.1:{:?} (and answer a query) within \
                     {START_TIMEOUT:?}",
                    self.ports.all()
                )));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn release_ports(&self) {
        ports::release(&self.ports.all());
    }

    /// The end of the log, for a panic message.
    pub(super) fn log_for_panic(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(80)..].join("\n");
        format!(
            "--- test ejabberd in {} (last lines of its log) ---\n{tail}\n--- end of ejabberd log ---",
            self.dir.path().display()
        )
    }

    /// Kills a server that outlives every test (a shared one) and removes its directory, from
    /// the exit of the test process, when nothing can be dropped any more.
    pub(super) fn remove_at_exit(&self) {
        if let Some(vm) = self.vm_pid() {
            let _ = os::kill_now(vm);
        }
        if std::env::var_os("NATTER_TEST_KEEP").is_some() {
            eprintln!(
                "kept the shared test ejabberd's directory: {}",
                self.dir.path().display()
            );
        } else {
            // The VM may still be closing files for a moment after the signal.
            for _ in 0..50 {
                if fs::remove_dir_all(self.dir.path()).is_ok() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Ejabberd {
    fn drop(&mut self) {
        self.kill();
        self.release_ports();
        if std::thread::panicking() {
            eprintln!("{}", self.log_for_panic());
        }
        os::keep_if_asked(&mut self.dir, "ejabberd");
    }
}
