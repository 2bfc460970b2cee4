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

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{Setup, os, pki, ports};

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
/// ejabberd's SQLite schema, from its package.
const SCHEMA_GLOB: (&str, &str) = ("/usr/lib", "priv/sql/lite.new.sql");

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
        let dir = server_dir();
        for sub in ["conf", "logs", "spool"] {
            fs::create_dir_all(dir.path().join(sub)).expect("creating the server's directories");
        }
        let ca_file = dir.path().join("ca.pem");
        write_certificates(dir.path(), &ca_file);
        let ctl = ctl_program(&installed, dir.path());
        fs::write(dir.path().join("conf").join("inetrc"), INETRC).expect("writing inetrc");
        write_erl_wrapper(dir.path());
        create_database(&dir.path().join("spool").join(DATABASE));
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
                    // A half-started node may have made its Mnesia schema: start from nothing.
                    let spool = server.dir.path().join("spool");
                    let _ = fs::remove_dir_all(&spool);
                    fs::create_dir_all(&spool).expect("creating spool/");
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

    /// `ejabberdctl` with this server's directories and node, as the server's user, with only
    /// the environment it needs.
    fn ctl_command(&self, kill_with_parent: bool) -> Command {
        let dir = self.dir.path();
        let mut cmd = os::server_command(&self.ctl, ACCOUNT, kill_with_parent);
        cmd.arg("--config-dir")
            .arg(dir.join("conf"))
            .arg("--config")
            .arg(self.conf("ejabberd.yml"))
            .arg("--ctl-config")
            .arg(self.conf("ejabberdctl.cfg"))
            .arg("--logs")
            .arg(dir.join("logs"))
            .arg("--spool")
            .arg(dir.join("spool"))
            .arg("--node")
            .arg(&self.node)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", dir)
            .env("LANG", "C.UTF-8")
            .current_dir(dir)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs one `ejabberdctl` command against the running node.
    fn ctl(&self, args: &[&str]) -> Output {
        self.ctl_command(false)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("running ejabberdctl: {e}"))
    }

    /// Calls ejabberd's `command` through its HTTP API with `args`; panics unless it
    /// succeeded. Returns the JSON answer.
    fn api(&self, command: &str, args: &serde_json::Value) -> String {
        self.try_api(command, args).unwrap_or_else(|why| {
            panic!(
                "ejabberd's {command} {args} failed: {why}\n{}",
                self.log_for_panic()
            )
        })
    }

    /// Calls ejabberd's `command` through its HTTP API with `args`: the JSON answer, or what
    /// went wrong.
    fn try_api(&self, command: &str, args: &serde_json::Value) -> Result<String, String> {
        let body = args.to_string();
        let request = format!(
            "POST /api/{command} HTTP/1.1\r\nHost: {DOMAIN}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let answer = TcpStream::connect(("127.0.0.1", self.ports.api))
            .and_then(|mut tcp| {
                tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
                tcp.write_all(request.as_bytes())?;
                let mut answer = Vec::new();
                tcp.read_to_end(&mut answer)?;
                Ok(answer)
            })
            .map_err(|e| format!("calling it over HTTP: {e}"))?;
        let answer = String::from_utf8_lossy(&answer);
        match answer.split_once("\r\n\r\n") {
            Some((head, body)) if head.starts_with("HTTP/1.1 200") => Ok(body.to_owned()),
            _ => Err(answer.into_owned()),
        }
    }

    /// Makes ejabberd start its SQL connection pool now; false while it cannot yet.
    ///
    /// ejabberd 23.01 starts the pool at the first query, and a query that comes while another
    /// is starting it fails: `ejabberd_sql_sup:is_started` is true before the pool's workers
    /// are. Two clients signing in at once to a fresh server got `not-authorized` for the right
    /// password (seen after a restart), two tests registering users at once an exception. One
    /// query from the harness the moment the HTTP API answers starts the pool before any client
    /// can get as far as authentication.
    fn start_sql_pool(&self) -> bool {
        self.try_api("registered_users", &serde_json::json!({ "host": DOMAIN }))
            .is_ok()
    }

    fn write_config(&self) {
        let dir = self.dir.path();
        let path = |p: PathBuf| p.to_str().expect("UTF-8 paths").to_owned();
        // A debug log drops lines past ejabberd's default of 500 a second, and a burst of
        // messages is what it is asked for. (Past 1,000 lines waiting to be written it still
        // drops some: the limit of the handler's queue is fixed.)
        let level = if std::env::var_os("NATTER_TEST_EJABBERD_DEBUG").is_some() {
            "debug\nlog_burst_limit_count: 1000000"
        } else {
            "info"
        };
        let Ports {
            c2s,
            direct_tls,
            api,
            dist,
        } = self.ports;
        let mam = if self.setup.archive {
            "  mod_mam:\n    default: always\n"
        } else {
            ""
        };
        let config = format!(
            "# One test server of Natter's integration tests (tests/it/support/ejabberd.rs).\n\
             loglevel: {level}\n\
             log_rotate_count: 0\n\
             hosts: [{DOMAIN}]\n\
             certfiles: [{cert}]\n\
             ca_file: {ca}\n\
             # No certificates from the network, no s2s: a remote address bounces at once.\n\
             acme:\n  auto: false\n\
             s2s_access: none\n\
             auth_method: [sql]\n\
             auth_password_format: scram\n\
             default_db: sql\n\
             sql_type: sqlite\n\
             sql_database: {database}\n\
             new_sql_schema: true\n\
             listen:\n\
             \x20 - port: {c2s}\n    ip: \"127.0.0.1\"\n    module: ejabberd_c2s\n\
             \x20   starttls_required: true\n    max_stanza_size: 262144\n\
             \x20 - port: {direct_tls}\n    ip: \"127.0.0.1\"\n    module: ejabberd_c2s\n\
             \x20   tls: true\n    max_stanza_size: 262144\n\
             \x20 - port: {api}\n    ip: \"127.0.0.1\"\n    module: ejabberd_http\n\
             \x20   request_handlers:\n      /api: mod_http_api\n\
             acl:\n  loopback:\n    ip: [127.0.0.0/8]\n\
             api_permissions:\n\
             \x20 \"console commands\":\n    from: [ejabberd_ctl]\n    who: all\n    what: \"*\"\n\
             \x20 \"the harness on loopback\":\n    from: [mod_http_api]\n    who:\n\
             \x20     acl: loopback\n    what: \"*\"\n\
             shaper_rules:\n  max_user_offline_messages: 100000\n\
             modules:\n\
             \x20 mod_admin_extra: {{}}\n\
             \x20 mod_http_api: {{}}\n\
             \x20 mod_roster:\n    versioning: true\n\
             \x20 mod_disco: {{}}\n\
             \x20 mod_caps: {{}}\n\
             \x20 mod_carboncopy: {{}}\n\
             {mam}\
             \x20 mod_offline: {{}}\n\
             # A closed session's unacknowledged messages that the archive does not keep go to\n\
             # offline storage, as Prosody's do, rather than back to their senders as errors.\n\
             \x20 mod_stream_mgmt:\n    resume_timeout: 60\n    resend_on_timeout: if_offline\n\
             \x20 mod_ping: {{}}\n\
             \x20 mod_last: {{}}\n\
             \x20 mod_privacy: {{}}\n\
             \x20 mod_blocking: {{}}\n\
             \x20 mod_private: {{}}\n\
             \x20 mod_pubsub:\n    plugins: [flat, pep]\n\
             \x20 mod_version: {{}}\n\
             \x20 mod_time: {{}}\n",
            cert = yaml_str(&path(self.conf("server.pem"))),
            ca = yaml_str(&path(self.ca_file.clone())),
            database = yaml_str(&path(dir.join("spool").join(DATABASE))),
        );
        fs::write(self.conf("ejabberd.yml"), config)
            .unwrap_or_else(|e| panic!("writing the ejabberd config: {e}"));
        let ctl = format!(
            "# The ejabberdctl settings of one test server (tests/it/support/ejabberd.rs).\n\
             # No epmd: the node listens for ejabberdctl on its own port, on loopback only.\n\
             ERL_DIST_PORT={dist}\n\
             INET_DIST_INTERFACE=127.0.0.1\n\
             ERL_EPMD_ADDRESS=127.0.0.1\n\
             ERL_OPTIONS=\"-env ERL_CRASH_DUMP_BYTES 0\"\n\
             EJABBERD_PID_PATH={pid}\n\
             EJABBERD_BYPASS_WARNINGS=true\n\
             CONTRIB_MODULES_PATH={contrib}\n\
             # ejabberdctl runs erl as its child; this erl dies with it (see the file).\n\
             ERL={erl}\n",
            pid = shell_str(&path(self.pid_file())),
            contrib = shell_str(&path(dir.join("modules"))),
            erl = shell_str(&path(dir.join("erl"))),
        );
        fs::write(self.conf("ejabberdctl.cfg"), ctl)
            .unwrap_or_else(|e| panic!("writing the ejabberdctl config: {e}"));
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
        if std::env::var_os("NATTER_TEST_KEEP").is_some() {
            self.dir.disable_cleanup(true);
            eprintln!(
                "kept the test ejabberd's directory: {}",
                self.dir.path().display()
            );
        }
    }
}

enum Failure {
    PortTaken,
    Other(String),
}

/// Name resolution for the VM: `localhost` is 127.0.0.1 (the node's name is `…@localhost`).
const INETRC: &str = "{lookup,[\"file\",\"native\"]}.\n{host,{127,0,0,1}, [\"localhost\"]}.\n";

/// A directory for one server, on tmpfs when there is one (see the module's documentation).
fn server_dir() -> tempfile::TempDir {
    let builder = || {
        let mut b = tempfile::Builder::new();
        b.prefix("natter-ejabberd-");
        b
    };
    builder()
        .tempdir_in("/dev/shm")
        .or_else(|_| builder().tempdir())
        .unwrap_or_else(|e| panic!("creating the test server's directory: {e}"))
}

/// Makes ejabberd's SQLite file from the schema its package ships (ejabberd would make the
/// same at its first start), in WAL mode, so that the harness reading the archive never
/// blocks the server's writes.
fn create_database(file: &Path) {
    let schema = schema_file();
    let sql = fs::read_to_string(&schema)
        .unwrap_or_else(|e| panic!("reading ejabberd's schema {}: {e}", schema.display()));
    let db = rusqlite::Connection::open(file)
        .unwrap_or_else(|e| panic!("creating {}: {e}", file.display()));
    db.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        .and_then(|_| db.execute_batch(&sql))
        .unwrap_or_else(|e| panic!("making ejabberd's database from {}: {e}", schema.display()));
}

/// `/usr/lib/<arch>/ejabberd-<version>/priv/sql/lite.new.sql`.
fn schema_file() -> PathBuf {
    let (root, tail) = SCHEMA_GLOB;
    let candidates = fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .flat_map(|arch| fs::read_dir(arch.path()).into_iter().flatten())
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("ejabberd-"))
        .map(|e| e.path().join(tail));
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("no ejabberd SQLite schema ({root}/*/ejabberd-*/{tail}): run tests/run")
        })
}

/// The test CA, and the server certificate with its key in one file (ejabberd's `certfiles`
/// take both together).
fn write_certificates(dir: &Path, ca_file: &Path) {
    let pki = pki::dir();
    let read = |name: &str| {
        fs::read(pki.join(name)).unwrap_or_else(|e| panic!("reading the test {name}: {e}"))
    };
    let mut pem = read(pki::CERT);
    pem.extend(read(pki::KEY));
    fs::write(dir.join("conf").join("server.pem"), pem).expect("writing server.pem");
    fs::write(ca_file, read(pki::CA)).expect("writing ca.pem");
}

/// `ejabberdctl` runs only as root or as the `ejabberd` user. Under root the harness runs it
/// as that user; anyone else gets a private copy that runs as whoever starts it.
fn ctl_program(installed: &Path, dir: &Path) -> PathBuf {
    if os::is_root() {
        return installed.to_owned();
    }
    let script = fs::read_to_string(installed)
        .unwrap_or_else(|e| panic!("reading {}: {e}", installed.display()));
    assert!(
        script.contains("\nINSTALLUSER=ejabberd\n"),
        "{} does not look like Debian's ejabberdctl 23.01",
        installed.display()
    );
    let copy = dir.join(CTL);
    fs::write(
        &copy,
        script.replace("\nINSTALLUSER=ejabberd\n", "\nINSTALLUSER=\n"),
    )
    .expect("writing the private ejabberdctl");
    make_executable(&copy);
    copy
}

/// `ejabberdctl` runs erl as its child instead of replacing itself with it, so the kernel's
/// parent-death signal the harness gives `ejabberdctl` would not reach the Erlang VM. This
/// `erl` passes it on: the VM dies with its `ejabberdctl`, which dies with the test process.
fn write_erl_wrapper(dir: &Path) {
    let file = dir.join("erl");
    let script = match os::which("setpriv") {
        Some(setpriv) => format!(
            "#!/bin/sh\nexec {} --pdeathsig KILL -- /usr/bin/erl \"$@\"\n",
            setpriv.display()
        ),
        None => "#!/bin/sh\nexec /usr/bin/erl \"$@\"\n".to_owned(),
    };
    fs::write(&file, script).expect("writing the erl wrapper");
    make_executable(&file);
}

fn make_executable(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(file, fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("making {} executable: {e}", file.display()));
}

fn read_lossy(path: &Path, offset: u64) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut file) = File::open(path)
        && file.seek(SeekFrom::Start(offset)).is_ok()
    {
        let _ = file.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A YAML double-quoted string.
fn yaml_str(s: &str) -> String {
    format!("{s:?}")
}

/// A shell single-quoted word (the ctl config is sourced by `ejabberdctl`).
fn shell_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
