//! A private Prosody for one test: its own config, data, certificate and loopback ports.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::os::{StartFailure as Failure, read_lossy};
use super::{Setup, os, pki, ports};

const DOMAIN: &str = "localhost";
/// How long a start may take before the test fails; generous for a loaded two-core CI machine.
const START_TIMEOUT: Duration = Duration::from_secs(20);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// What Prosody logs when a listening port is taken by someone else.
const PORT_TAKEN: &str = "Failed to open server port";
/// The system user Debian's package makes for Prosody, which the server runs as under root.
const ACCOUNT: &str = "prosody";
/// What Prosody logs, at the end of a line, for each successful sign-in, followed by the bare
/// JID.
const SIGNED_IN: &str = "Authenticated as ";
/// How each entry of an offline list (or an archive list) begins in Prosody's files.
const OFFLINE_ENTRY: &str = "item(";
/// What Prosody logs once at each start.
const STARTED: &str = "Hello and welcome to Prosody";

/// A running (or stopped) private Prosody.
///
/// The server listens on 127.0.0.1 only, on two ports picked for it: [`port`](Self::port) for
/// STARTTLS and [`direct_tls_port`](Self::direct_tls_port) for XEP-0368 direct TLS. Its
/// certificate is for `localhost` and 127.0.0.1, signed by the test CA in
/// [`ca_file`](Self::ca_file). Dropping it kills the server and removes its directory; if the
/// test is panicking, the end of the server log is printed first.
///
/// Set `NATTER_TEST_PROSODY_DEBUG=1` for a debug-level log, and `NATTER_TEST_KEEP=1` to keep
/// the server's directory (its path is printed).
pub struct Prosody {
    dir: tempfile::TempDir,
    child: Option<Child>,
    c2s_port: u16,
    direct_tls_port: u16,
    prosody: PathBuf,
    prosodyctl: PathBuf,
    ca_file: PathBuf,
    data_dir: PathBuf,
    /// Global options written after the standard ones (see [`start_with`](Self::start_with)).
    options: String,
}

impl Prosody {
    /// Starts a fresh server and waits until both ports accept connections.
    ///
    /// Panics with the reason (and the server log) when it cannot: Prosody or openssl missing,
    /// a config error, or no start within 20 s.
    pub fn start() -> Prosody {
        Prosody::start_with("")
    }

    /// Starts a fresh server with global `options` (Lua lines) added to the standard config,
    /// for a test that needs a server set up unlike the default one.
    pub fn start_with(options: &str) -> Prosody {
        let not_installed =
            "prosody is not installed: run tests/run, which installs what the tests need";
        let prosody = os::which("prosody").expect(not_installed);
        let prosodyctl = os::which("prosodyctl").expect(not_installed);
        os::server_user(ACCOUNT);
        let pki = pki::dir();

        let dir = tempfile::Builder::new()
            .prefix("natter-prosody-")
            .tempdir()
            .unwrap_or_else(|e| panic!("creating the test server's directory: {e}"));
        let certs = dir.path().join("certs");
        fs::create_dir_all(&certs).expect("creating certs/");
        fs::create_dir_all(dir.path().join("data")).expect("creating data/");
        for (from, to) in [
            (pki::CERT, certs.join(pki::CERT)),
            (pki::KEY, certs.join(pki::KEY)),
            (pki::CA, dir.path().join("ca.pem")),
        ] {
            fs::copy(pki.join(from), &to)
                .unwrap_or_else(|e| panic!("copying {from} to {}: {e}", to.display()));
        }

        let ca_file = dir.path().join("ca.pem");
        let data_dir = dir.path().join("data");
        let mut server = Prosody {
            dir,
            child: None,
            c2s_port: 0,
            direct_tls_port: 0,
            prosody,
            prosodyctl,
            ca_file,
            data_dir,
            options: options.to_owned(),
        };
        // Ports are picked at random and checked free, but another process may still take one
        // between the check and Prosody's bind: then pick again.
        for _ in 0..5 {
            [server.c2s_port, server.direct_tls_port] = ports::reserve();
            server.write_config();
            os::give_to_server(server.dir.path(), ACCOUNT);
            match server.launch() {
                Ok(()) => return server,
                Err(Failure::PortTaken) => server.release_ports(),
                Err(Failure::Other(why)) => panic!(
                    "the test Prosody did not start: {why}\n{}",
                    server.log_for_panic()
                ),
            }
        }
        panic!(
            "the test Prosody found its ports taken five times in a row\n{}",
            server.log_for_panic()
        );
    }

    pub fn domain(&self) -> &str {
        DOMAIN
    }

    /// The server's process, while it runs (for benchmarks that read its CPU time).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The c2s port, which offers STARTTLS (and requires it).
    pub fn port(&self) -> u16 {
        self.c2s_port
    }

    /// The XEP-0368 direct TLS c2s port.
    pub fn direct_tls_port(&self) -> u16 {
        self.direct_tls_port
    }

    /// The PEM of the CA that signed the server certificate; clients trust it through
    /// `SSL_CERT_FILE` or by pinning it.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// Prosody's `data_path`: `<data_dir>/localhost/accounts/<user>.dat` and so on.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Registers `name@localhost` with a fresh random password and returns `(jid, password)`.
    /// Works whether the server is running or stopped. Panics if the user exists already.
    pub fn create_user(&self, name: &str) -> (String, String) {
        super::check_user_name(name);
        let file = self.account_file(name);
        assert!(
            !file.exists(),
            "user {name}@{DOMAIN} already exists on this test server"
        );
        let password = os::random_hex(12);
        let out = os::server_command(&self.prosodyctl, ACCOUNT, false)
            .arg("--config")
            .arg(self.config_file())
            .args(["register", name, DOMAIN, &password])
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running prosodyctl: {e}"));
        assert!(
            out.status.success() && file.exists(),
            "prosodyctl register {name} {DOMAIN} failed ({}):\n{}{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.log_for_panic(),
        );
        (format!("{name}@{DOMAIN}"), password)
    }

    /// Stops the server gracefully (SIGTERM) and waits for it; SIGKILL after 10 s.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if child.try_wait().ok().flatten().is_none() {
            let _ = os::terminate(child.id());
            let deadline = Instant::now() + STOP_TIMEOUT;
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Kills the server (SIGKILL) and waits for it: a crash, no goodbye to the clients.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same ports with the same data (stopping it first if it
    /// is running): a server restart in the middle of a test.
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
                    "the test Prosody could not get its ports {} and {} back\n{}",
                    self.c2s_port,
                    self.direct_tls_port,
                    self.log_for_panic()
                ),
                Err(Failure::Other(why)) => panic!(
                    "the test Prosody did not start again: {why}\n{}",
                    self.log_for_panic()
                ),
            }
        }
    }

    /// The server log so far (all runs), plus anything it printed on stdout or stderr.
    pub fn log(&self) -> String {
        let mut log = read_lossy(&self.log_file(), 0);
        let printed = read_lossy(&self.output_file(), 0);
        if !printed.trim().is_empty() {
            log.push_str("\n--- prosody stdout/stderr ---\n");
            log.push_str(&printed);
        }
        log
    }

    /// The directory holding the config, certificates, log and data of this server.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn config_file(&self) -> PathBuf {
        self.dir.path().join("prosody.cfg.lua")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("prosody.log")
    }

    fn output_file(&self) -> PathBuf {
        self.dir.path().join("prosody.out")
    }

    fn account_file(&self, name: &str) -> PathBuf {
        self.data_dir()
            .join(DOMAIN)
            .join("accounts")
            .join(format!("{}.dat", escaped(name)))
    }

    /// Writes the roster of `user` (a bare JID of this server, who has never signed in) with a
    /// subscription request pending from each bare JID of `from`, the way Prosody keeps requests
    /// that arrived while the user was offline: the server hands them all over at the user's
    /// next login. The senders need not exist, so a test gets a flood of requests from
    /// distinct accounts without creating them.
    pub fn add_pending_requests(&self, user: &str, from: &[String]) {
        let dir = self.data_dir().join(DOMAIN).join("roster");
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        let mut lua = String::from(
            "return {\n\t[false] = {\n\t\t[\"version\"] = 1;\n\t\t[\"pending\"] = {\n",
        );
        for jid in from {
            assert!(
                jid.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"@.-_".contains(&b)),
                "test JIDs are plain ASCII: {jid:?}"
            );
            lua.push_str(&format!("\t\t\t[\"{jid}\"] = true;\n"));
        }
        lua.push_str("\t\t};\n\t};\n};\n");
        let file = dir.join(format!("{}.dat", escaped(localpart(user))));
        fs::write(&file, lua).unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
        os::give_to_server(&dir, ACCOUNT);
    }

    /// Makes `a` and `b` (bare JIDs of this server, neither signed in yet) contacts of each
    /// other, subscription both, the way Prosody keeps rosters: each sees the other's presence
    /// from the first login on. Replaces what `add_pending_requests` wrote for them.
    pub fn make_contacts(&self, a: &str, b: &str) {
        let dir = self.data_dir().join(DOMAIN).join("roster");
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        for (me, other) in [(a, b), (b, a)] {
            let lua = format!(
                "return {{\n\t[false] = {{ [\"version\"] = 1; [\"pending\"] = {{}}; }};\n\t\
                 [{other:?}] = {{ [\"subscription\"] = \"both\"; [\"groups\"] = {{}}; }};\n}};\n"
            );
            let file = dir.join(format!("{}.dat", escaped(localpart(me))));
            fs::write(&file, lua).unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
        }
        os::give_to_server(&dir, ACCOUNT);
    }

    /// How many copies of a message whose body is `body` the server archived for `user` (a
    /// bare JID): each copy that went through the server once is one entry of its archive
    /// files.
    pub fn archived_copies(&self, user: &str, body: &str) -> usize {
        let host = self.data_dir().join(DOMAIN);
        let needle = format!("{body:?}");
        let file = format!("{}.list", escaped(localpart(user)));
        let Ok(dirs) = fs::read_dir(&host) else {
            return 0;
        };
        dirs.filter_map(Result::ok)
            .filter(|d| d.file_name().to_string_lossy().starts_with("archive"))
            .filter_map(|d| fs::read_to_string(d.path().join(&file)).ok())
            .map(|text| text.matches(&needle).count())
            .sum()
    }

    /// How many messages Prosody keeps in offline storage for `user` (a bare JID): the
    /// entries of its offline list.
    pub fn offline_count(&self, user: &str) -> usize {
        let file = self
            .data_dir()
            .join(DOMAIN)
            .join("offline")
            .join(format!("{}.list", escaped(localpart(user))));
        fs::read_to_string(file)
            .map(|text| text.matches(OFFLINE_ENTRY).count())
            .unwrap_or(0)
    }

    /// Whether the account `name` exists in the server's data.
    pub fn has_user(&self, name: &str) -> bool {
        self.account_file(name).is_file()
    }

    /// How many times `jid` (a bare JID) signed in, as the server logged it.
    pub fn sign_ins(&self, jid: &str) -> usize {
        let line = format!("{SIGNED_IN}{jid}");
        self.log().lines().filter(|l| l.ends_with(&line)).count()
    }

    /// How many times the server started, as its log says.
    pub fn starts(&self) -> usize {
        self.log().matches(STARTED).count()
    }

    /// Lines of the log at level warning or error.
    pub fn complaints(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter(|l| l.contains("\terror\t") || l.contains("\twarn\t"))
            .map(str::to_owned)
            .collect()
    }

    fn write_config(&self) {
        let dir = self.dir.path();
        let level = if std::env::var_os("NATTER_TEST_PROSODY_DEBUG").is_some() {
            "debug"
        } else {
            "info"
        };
        let cert = dir.join("certs").join(pki::CERT);
        let key = dir.join("certs").join(pki::KEY);
        let config = format!(
            r#"-- One test server of Natter's integration tests (tests/it/support/prosody.rs).
-- Started with -F (foreground): the `daemonize` option is deprecated in 0.12.
pidfile = {pidfile}
data_path = {data}
log = {{ {level} = {log} }}

interfaces = {{ "127.0.0.1" }}
c2s_ports = {{ {c2s} }}
c2s_direct_tls_ports = {{ {direct} }}
legacy_ssl_ports = {{ }}
s2s_ports = {{ }}
component_ports = {{ }}
http_ports = {{ }}
https_ports = {{ }}

certificates = {certs}
ssl = {{ certificate = {cert}, key = {key} }}
c2s_require_encryption = true
authentication = "internal_hashed"
storage = "internal"
allow_registration = false

modules_enabled = {{ {modules} }}
-- presence, message, iq, offline, c2s and posix are always loaded; s2s is not wanted.
modules_disabled = {{ "s2s"; "s2s_auth_certs"; "dialback" }}

archive_expires_after = "never"
default_archive_policy = true
smacks_hibernation_time = 60
{options}

VirtualHost "{DOMAIN}"
    ssl = {{ certificate = {cert}, key = {key} }}
"#,
            pidfile = lua_str(&dir.join("prosody.pid")),
            data = lua_str(self.data_dir()),
            log = lua_str(&self.log_file()),
            c2s = self.c2s_port,
            direct = self.direct_tls_port,
            certs = lua_str(&dir.join("certs")),
            cert = lua_str(&cert),
            key = lua_str(&key),
            modules = modules(true),
            options = self.options,
        );
        fs::write(self.config_file(), config)
            .unwrap_or_else(|e| panic!("writing the Prosody config: {e}"));
    }

    /// Spawns Prosody and waits until it listens on both ports.
    fn launch(&mut self) -> Result<(), Failure> {
        let log_offset = fs::metadata(self.log_file()).map(|m| m.len()).unwrap_or(0);
        let output = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.output_file())
            .unwrap_or_else(|e| panic!("opening prosody.out: {e}"));
        let mut cmd = os::server_command(&self.prosody, ACCOUNT, true);
        cmd.arg("-F")
            .arg("--config")
            .arg(self.config_file())
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", self.dir.path())
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(output.try_clone().expect("duplicating a file handle"))
            .stderr(output);
        let child = os::spawn_from_long_lived_thread(cmd)
            .map_err(|e| Failure::Other(format!("spawning prosody: {e}")))?;
        self.child = Some(child);

        let wanted = [
            format!("Activated service 'c2s' on [127.0.0.1]:{}", self.c2s_port),
            format!(
                "Activated service 'c2s_direct_tls' on [127.0.0.1]:{}",
                self.direct_tls_port
            ),
        ];
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let log = read_lossy(&self.log_file(), log_offset);
            if log.contains(PORT_TAKEN) {
                self.kill();
                return Err(Failure::PortTaken);
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                self.child = None;
                return Err(Failure::Other(format!(
                    "prosody exited ({status}) before it listened"
                )));
            }
            if wanted.iter().all(|line| log.contains(line.as_str()))
                && ports::accept(&[self.c2s_port, self.direct_tls_port])
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(Failure::Other(format!(
                    "prosody did not listen on 127.0.0.1:{} and :{} within {START_TIMEOUT:?}",
                    self.c2s_port, self.direct_tls_port
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn release_ports(&self) {
        ports::release(&[self.c2s_port, self.direct_tls_port]);
    }

    /// The end of the log, for a panic message.
    pub(super) fn log_for_panic(&self) -> String {
        let log = self.log();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(80)..].join("\n");
        format!(
            "--- test Prosody in {} (last lines of its log) ---\n{tail}\n--- end of Prosody log ---",
            self.dir.path().display()
        )
    }
}

impl Drop for Prosody {
    fn drop(&mut self) {
        self.kill();
        self.release_ports();
        if std::thread::panicking() {
            eprintln!("{}", self.log_for_panic());
        }
        os::keep_if_asked(&mut self.dir, "Prosody");
    }
}

/// A user name as Prosody's datamanager writes it in file names: every byte that is not
/// alphanumeric escaped.
fn escaped(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

/// The modules the test server loads, with or without the archive.
fn modules(archive: bool) -> String {
    let modules = [
        "roster",
        "saslauth",
        "tls",
        "disco",
        "carbons",
        "mam",
        "smacks",
        "ping",
        "lastactivity",
        "blocklist",
        "private",
        "pep",
        "version",
        "uptime",
        "time",
    ];
    modules
        .iter()
        .filter(|m| archive || **m != "mam")
        .map(|m| format!("{m:?};"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The global options (Lua) that make Prosody's config what `setup` asks for.
pub fn options(setup: Setup) -> String {
    let mut lua = String::new();
    if !setup.archive {
        // Lua takes the last assignment.
        lua.push_str(&format!("modules_enabled = {{ {} }}\n", modules(false)));
    }
    if setup.rare_acks {
        lua.push_str("smacks_max_unacked_stanzas = 100000\n");
    }
    lua
}

/// The part of a bare JID before the `@`.
fn localpart(jid: &str) -> &str {
    jid.split('@').next().unwrap_or(jid)
}

/// A Lua string literal for a path.
fn lua_str(path: &Path) -> String {
    let s = path.to_str().expect("the test server's paths are UTF-8");
    format!("{s:?}")
}
