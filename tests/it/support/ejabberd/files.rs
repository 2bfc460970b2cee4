//! What one test ejabberd is made of: its directory, certificates, database, config files and
//! the small wrappers that run it unprivileged.

use std::fs;
use std::path::{Path, PathBuf};

use super::{CTL, DATABASE, DOMAIN, Ejabberd, Ports};
use crate::support::{os, pki};

/// ejabberd's SQLite schema, from its package.
const SCHEMA_GLOB: (&str, &str) = ("/usr/lib", "priv/sql/lite.new.sql");

/// The directory of a new server with everything in it but the config files.
pub(super) struct Made {
    pub dir: tempfile::TempDir,
    /// The `ejabberdctl` to run.
    pub ctl: PathBuf,
    /// The test CA's certificate.
    pub ca_file: PathBuf,
}

/// Makes a new server's directory: `conf/` (certificate, name resolution), `logs/`, `spool/`
/// (the database), and the programs that run it.
pub(super) fn make(installed_ctl: &Path) -> Made {
    let dir = server_dir();
    for sub in ["conf", "logs", "spool"] {
        fs::create_dir_all(dir.path().join(sub)).expect("creating the server's directories");
    }
    let ca_file = dir.path().join("ca.pem");
    write_certificates(dir.path(), &ca_file);
    let ctl = ctl_program(installed_ctl, dir.path());
    fs::write(dir.path().join("conf").join("inetrc"), INETRC).expect("writing inetrc");
    write_erl_wrapper(dir.path());
    create_database(&dir.path().join("spool").join(DATABASE));
    Made { dir, ctl, ca_file }
}

/// Empties the spool of a server that never started, down to a fresh database.
pub(super) fn empty_spool(dir: &Path) {
    let spool = dir.join("spool");
    let _ = fs::remove_dir_all(&spool);
    fs::create_dir_all(&spool).expect("creating spool/");
    create_database(&spool.join(DATABASE));
}

impl Ejabberd {
    pub(super) fn write_config(&self) {
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

/// A YAML double-quoted string.
fn yaml_str(s: &str) -> String {
    format!("{s:?}")
}

/// A shell single-quoted word (the ctl config is sourced by `ejabberdctl`).
fn shell_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
