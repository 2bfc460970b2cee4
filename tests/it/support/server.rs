//! One test server, whichever it is: what the tests ask of Prosody and of ejabberd alike, a
//! per-module shared server for tests that do not interfere, and [`on_servers!`], which writes
//! a test once and runs it on both.

use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock};

use super::{Ejabberd, Prosody, os};

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Prosody,
    Ejabberd,
}

/// How a test's server differs from the standard one.
#[derive(Clone, Copy, Debug)]
pub struct Setup {
    /// Message archive (XEP-0313) on: the standard. Off for a test that must not lean on it.
    pub archive: bool,
    /// Ask for stream management acknowledgements only now and then, so the server holds
    /// many unacknowledged stanzas. Prosody only: ejabberd asks again as soon as its last
    /// request is answered and has no setting for it, so there a test sees its own rhythm.
    pub rare_acks: bool,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            archive: true,
            rare_acks: false,
        }
    }
}

/// A running (or stopped) test server of either kind. See [`Prosody`] and [`Ejabberd`].
pub enum Server {
    Prosody(Prosody),
    Ejabberd(Ejabberd),
}

/// Calls the same method on whichever server it is.
macro_rules! each {
    ($server:expr, $s:ident => $call:expr) => {
        match $server {
            Server::Prosody($s) => $call,
            Server::Ejabberd($s) => $call,
        }
    };
}

impl Server {
    /// Starts a fresh server of `kind` with the standard setup.
    pub fn start(kind: Kind) -> Server {
        Server::start_with(kind, Setup::default())
    }

    /// Starts a fresh server of `kind` set up as `setup` says.
    pub fn start_with(kind: Kind, setup: Setup) -> Server {
        match kind {
            Kind::Prosody => Server::Prosody(Prosody::start_with(&super::prosody::options(setup))),
            Kind::Ejabberd => Server::Ejabberd(Ejabberd::start_with(setup)),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Server::Prosody(_) => Kind::Prosody,
            Server::Ejabberd(_) => Kind::Ejabberd,
        }
    }

    pub fn domain(&self) -> &str {
        each!(self, s => s.domain())
    }

    /// The c2s port, which offers STARTTLS (and requires it).
    pub fn port(&self) -> u16 {
        each!(self, s => s.port())
    }

    /// The XEP-0368 direct TLS c2s port.
    pub fn direct_tls_port(&self) -> u16 {
        each!(self, s => s.direct_tls_port())
    }

    /// The PEM of the CA that signed the server certificate; clients trust it through
    /// `SSL_CERT_FILE` or by pinning it.
    pub fn ca_file(&self) -> &Path {
        each!(self, s => s.ca_file())
    }

    /// The directory holding everything of this server.
    pub fn dir(&self) -> &Path {
        each!(self, s => s.dir())
    }

    /// Registers `name@localhost` with a fresh random password and returns `(jid, password)`.
    /// Panics if the user exists already.
    pub fn create_user(&self, name: &str) -> (String, String) {
        each!(self, s => s.create_user(name))
    }

    /// Whether the account `name` exists.
    pub fn has_user(&self, name: &str) -> bool {
        each!(self, s => s.has_user(name))
    }

    /// Leaves a subscription request from each bare JID of `from` pending for `user` (a bare
    /// JID, who has never signed in), to be handed over at the user's next login. The senders
    /// need not exist.
    pub fn add_pending_requests(&self, user: &str, from: &[String]) {
        each!(self, s => s.add_pending_requests(user, from))
    }

    /// How many copies of a message whose body is `body` the server archived for `user` (a
    /// bare JID): each copy that went through the server once is one entry.
    pub fn archived_copies(&self, user: &str, body: &str) -> usize {
        each!(self, s => s.archived_copies(user, body))
    }

    /// How many messages the server keeps in offline storage for `user` (a bare JID).
    pub fn offline_count(&self, user: &str) -> usize {
        each!(self, s => s.offline_count(user))
    }

    /// How many times `jid` (a bare JID) signed in, as the server logged it.
    pub fn sign_ins(&self, jid: &str) -> usize {
        each!(self, s => s.sign_ins(jid))
    }

    /// How many times the server started, as its log says.
    pub fn starts(&self) -> usize {
        each!(self, s => s.starts())
    }

    /// The lines of its log at level warning or worse (less what every start of it says).
    pub fn complaints(&self) -> Vec<String> {
        each!(self, s => s.complaints())
    }

    /// The server log so far (all runs), with whatever the server printed.
    pub fn log(&self) -> String {
        each!(self, s => s.log())
    }

    /// Stops the server gracefully and waits for it.
    pub fn stop(&mut self) {
        each!(self, s => s.stop())
    }

    /// Kills the server (SIGKILL): a crash, no goodbye to the clients.
    pub fn kill(&mut self) {
        each!(self, s => s.kill())
    }

    /// Starts the server again on the same ports with the same data.
    pub fn start_again(&mut self) {
        each!(self, s => s.start_again())
    }

    /// The end of the log, for a panic message.
    fn log_for_panic(&self) -> String {
        each!(self, s => s.log_for_panic())
    }
}

/// The servers one test module shares: declare one per module as a `static` and take a server
/// with [`get`](Self::get).
///
/// ejabberd takes a second or two to start and more to register users, so the tests of a module
/// that only sign in, talk and read share one, each with users of its own ([`TestServer`] names
/// them). Prosody starts in a tenth of a second: every test gets its own, as before. A test
/// that stops, kills or reconfigures its server starts its own with [`Server::start`].
pub struct Shared {
    ejabberd: OnceLock<Server>,
    tests: AtomicUsize,
}

impl Shared {
    pub const fn new() -> Shared {
        Shared {
            ejabberd: OnceLock::new(),
            tests: AtomicUsize::new(0),
        }
    }

    /// The server of `kind` for one test: the module's shared ejabberd (started by the first
    /// test that asks), or a Prosody of the test's own.
    pub fn get(&'static self, kind: Kind) -> TestServer {
        match kind {
            Kind::Prosody => TestServer::own(Server::start(Kind::Prosody)),
            Kind::Ejabberd => {
                let server = self.ejabberd.get_or_init(|| {
                    let server = Server::start(Kind::Ejabberd);
                    remove_at_exit(&self.ejabberd);
                    server
                });
                let tag = self.tests.fetch_add(1, Ordering::Relaxed) + 1;
                TestServer::shared(server, tag)
            }
        }
    }
}

impl Default for Shared {
    fn default() -> Shared {
        Shared::new()
    }
}

/// A shared server outlives every test: the process's exit kills it and removes its directory.
fn remove_at_exit(server: &'static OnceLock<Server>) {
    static SHARED: Mutex<Vec<&'static OnceLock<Server>>> = Mutex::new(Vec::new());
    static REGISTER: Once = Once::new();
    extern "C" fn at_exit() {
        let shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
        for server in shared.iter().filter_map(|s| s.get()) {
            if let Server::Ejabberd(e) = server {
                e.remove_at_exit();
            }
        }
    }
    REGISTER.call_once(|| os::at_exit(at_exit));
    SHARED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(server);
}

/// The server one test uses: its own, or a shared one on which its users get names no other
/// test uses (`alice` becomes `alice-3`). Use the JIDs [`create_user`](Self::create_user)
/// returns, never a name written out.
///
/// If the test panics on a shared server, the server's log since the test began is printed.
pub struct TestServer {
    server: Held,
    /// The suffix of this test's user names on a shared server.
    tag: Option<usize>,
    /// Where the log stood when the test began, for a failure message.
    log_from: usize,
}

enum Held {
    Own(Server),
    Shared(&'static Server),
}

impl TestServer {
    fn own(server: Server) -> TestServer {
        TestServer {
            server: Held::Own(server),
            tag: None,
            log_from: 0,
        }
    }

    fn shared(server: &'static Server, tag: usize) -> TestServer {
        TestServer {
            log_from: server.log().len(),
            server: Held::Shared(server),
            tag: Some(tag),
        }
    }

    /// Registers a user of this test (see [`Server::create_user`]); on a shared server the
    /// name gets this test's suffix.
    pub fn create_user(&self, name: &str) -> (String, String) {
        match self.tag {
            Some(tag) => self.server().create_user(&format!("{name}-{tag}")),
            None => self.server().create_user(name),
        }
    }

    fn server(&self) -> &Server {
        match &self.server {
            Held::Own(server) => server,
            Held::Shared(server) => server,
        }
    }
}

impl Deref for TestServer {
    type Target = Server;

    fn deref(&self) -> &Server {
        self.server()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let (Held::Shared(server), true) = (&self.server, std::thread::panicking()) {
            let log = server.log();
            let since = log.get(self.log_from..).unwrap_or(&log);
            let lines: Vec<&str> = since.lines().collect();
            eprintln!(
                "--- the shared test {:?} in {}, since this test began (its last lines) ---\n{}\n\
                 --- end of the server log ---",
                server.kind(),
                server.dir().display(),
                lines[lines.len().saturating_sub(120)..].join("\n")
            );
            // The whole log's end too, when this test's part is empty (it panicked early).
            if since.trim().is_empty() {
                eprintln!("{}", server.log_for_panic());
            }
        }
    }
}

/// Panics unless `name` is a user name the harness accepts.
pub fn check_user_name(name: &str) {
    assert!(
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)),
        "test user names are lowercase ASCII letters, digits, '.', '_' and '-': {name:?}"
    );
}

/// Runs a test on both servers: `on_servers!(async fn name);` beside
/// `async fn name(kind: Kind) {...}` (or `fn` for a test that is not async) makes the tests
/// `name::prosody` and `name::ejabberd`, each calling `name` with its [`Kind`]. Attributes
/// written before `fn` (`#[should_panic(...)]`) go on both tests.
///
/// A test that cannot run on one server says why: `on_servers!(fn name, only Prosody: "why")`
/// makes ejabberd's test `#[ignore]`d with that reason, which `cargo test` prints.
macro_rules! on_servers {
    ($(#[$attr:meta])* async fn $name:ident) => {
        $crate::support::on_servers!(@tests [$(#[$attr])*] [] [] async $name);
    };
    ($(#[$attr:meta])* async fn $name:ident, only Prosody: $why:literal) => {
        $crate::support::on_servers!(@tests [$(#[$attr])*] [] [#[ignore = $why]] async $name);
    };
    ($(#[$attr:meta])* async fn $name:ident, only Ejabberd: $why:literal) => {
        $crate::support::on_servers!(@tests [$(#[$attr])*] [#[ignore = $why]] [] async $name);
    };
    ($(#[$attr:meta])* fn $name:ident) => {
        $crate::support::on_servers!(@tests [$(#[$attr])*] [] [] $name);
    };
    ($(#[$attr:meta])* fn $name:ident, only Prosody: $why:literal) => {
        $crate::support::on_servers!(@tests [$(#[$attr])*] [] [#[ignore = $why]] $name);
    };
    ($(#[$attr:meta])* fn $name:ident, only Ejabberd: $why:literal) => {
        $crate::support::on_servers!(@tests [$(#[$attr])*] [#[ignore = $why]] [] $name);
    };
    (@tests [$($attr:tt)*] [$($prosody:tt)*] [$($ejabberd:tt)*] async $name:ident) => {
        mod $name {
            $($attr)*
            $($prosody)*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn prosody() {
                super::$name($crate::support::Kind::Prosody).await
            }

            $($attr)*
            $($ejabberd)*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn ejabberd() {
                super::$name($crate::support::Kind::Ejabberd).await
            }
        }
    };
    (@tests [$($attr:tt)*] [$($prosody:tt)*] [$($ejabberd:tt)*] $name:ident) => {
        mod $name {
            $($attr)*
            $($prosody)*
            #[test]
            fn prosody() {
                super::$name($crate::support::Kind::Prosody)
            }

            $($attr)*
            $($ejabberd)*
            #[test]
            fn ejabberd() {
                super::$name($crate::support::Kind::Ejabberd)
            }
        }
    };
}

pub(crate) use on_servers;
