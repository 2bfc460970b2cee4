//! The few operating-system calls the harness needs: who we are, signals, ownership, spawning.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

// std already links the C library; these two calls are all the harness needs from it, so no
// `libc` dev-dependency.
unsafe extern "C" {
    fn geteuid() -> u32;
    fn kill(pid: i32, sig: i32) -> i32;
    fn atexit(callback: extern "C" fn()) -> i32;
}

const SIGTERM: i32 = 15;
const SIGKILL: i32 = 9;

pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { geteuid() }
}

pub fn is_root() -> bool {
    euid() == 0
}

/// Sends SIGTERM to `pid`.
pub fn terminate(pid: u32) -> io::Result<()> {
    signal(pid, SIGTERM)
}

/// Sends SIGKILL to `pid`.
pub fn kill_now(pid: u32) -> io::Result<()> {
    signal(pid, SIGKILL)
}

/// Whether a process `pid` exists (signal 0 checks without sending anything).
pub fn alive(pid: u32) -> bool {
    signal(pid, 0).is_ok()
}

fn signal(pid: u32, sig: i32) -> io::Result<()> {
    let pid = i32::try_from(pid).map_err(|_| io::Error::other("pid out of range"))?;
    if pid <= 0 {
        return Err(io::Error::other("not a single process"));
    }
    // SAFETY: kill takes plain integers; a stale pid at worst gives ESRCH.
    if unsafe { kill(pid, sig) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Runs `callback` when the test process exits normally (libtest returns from `main` or calls
/// `exit`): the one moment to remove what outlives every test, such as a shared server.
pub fn at_exit(callback: extern "C" fn()) {
    // SAFETY: atexit stores a plain function pointer; the callback takes and returns nothing.
    let registered = unsafe { atexit(callback) } == 0;
    assert!(registered, "atexit refused a callback");
}

/// The absolute path of `name` found in PATH (plus the sbin directories a non-login root shell
/// may lack).
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(
            [
                "/usr/local/sbin",
                "/usr/local/bin",
                "/usr/sbin",
                "/usr/bin",
                "/sbin",
                "/bin",
            ]
            .map(PathBuf::from),
        )
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `n` random bytes as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("reading /dev/urandom");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The unprivileged account a server runs as when the tests run as root.
#[derive(Clone, Copy, Debug)]
pub struct ServerUser {
    pub uid: u32,
    pub gid: u32,
}

/// `None` when the tests do not run as root (the server then runs as the current user);
/// otherwise the system user `account` (`prosody`, `ejabberd`) that the server's Debian package
/// creates. Neither server should run as root, and Prosody refuses to.
pub fn server_user(account: &str) -> Option<ServerUser> {
    static USERS: Mutex<BTreeMap<String, ServerUser>> = Mutex::new(BTreeMap::new());
    if !is_root() {
        return None;
    }
    let mut users = USERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(user) = users.get(account) {
        return Some(*user);
    }
    let out = Command::new("getent")
        .args(["passwd", account])
        .output()
        .expect("running getent");
    let line = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = line.trim().split(':').collect();
    let id = |i: usize| fields.get(i).and_then(|f| f.parse().ok());
    let user = match (out.status.success(), id(2), id(3)) {
        (true, Some(uid), Some(gid)) => ServerUser { uid, gid },
        _ => panic!(
            "the tests run as root but there is no `{account}` system user to run the test server \
             as (Debian's {account} package creates it): run tests/run"
        ),
    };
    users.insert(account.to_owned(), user);
    Some(user)
}

/// Gives `path` and everything under it to the system user `account`, so the server can read
/// its config and certificate and write its data. A no-op when not root.
pub fn give_to_server(path: &Path, account: &str) {
    let Some(user) = server_user(account) else {
        return;
    };
    fn walk(path: &Path, user: ServerUser) -> io::Result<()> {
        std::os::unix::fs::lchown(path, Some(user.uid), Some(user.gid))?;
        if path.symlink_metadata()?.is_dir() {
            for entry in std::fs::read_dir(path)? {
                walk(&entry?.path(), user)?;
            }
        }
        Ok(())
    }
    walk(path, user)
        .unwrap_or_else(|e| panic!("giving {} to the {account} user: {e}", path.display()));
}

/// A command that runs `program` as the system user `account` (when root): through `setpriv`,
/// which also asks the kernel to kill the program when the test process dies (`--pdeathsig`),
/// so a test binary killed by a timeout leaves no server behind.
pub fn server_command(program: &Path, account: &str, kill_with_parent: bool) -> Command {
    let setpriv = which("setpriv");
    let user = server_user(account);
    match (setpriv, user) {
        (Some(setpriv), user) => {
            let mut cmd = Command::new(setpriv);
            if let Some(user) = user {
                cmd.arg(format!("--reuid={}", user.uid))
                    .arg(format!("--regid={}", user.gid))
                    .arg("--clear-groups");
            }
            if kill_with_parent {
                cmd.args(["--pdeathsig", "KILL"]);
            }
            cmd.arg("--").arg(program);
            cmd
        }
        (None, None) => Command::new(program),
        (None, Some(_)) => panic!(
            "setpriv (util-linux) is needed to run the test server as the {account} user: run \
             tests/run"
        ),
    }
}

type SpawnRequest = (Command, mpsc::Sender<io::Result<Child>>);

/// Spawns `cmd` from one thread that lives as long as the test process.
///
/// The kernel's parent-death signal fires when the *thread* that forked the child exits, not
/// the process: a server spawned from a test thread (or a tokio blocking thread) would be
/// killed when that thread ends, mid-test. Spawning from a thread that never ends ties the
/// server's life to the process instead.
pub fn spawn_from_long_lived_thread(cmd: Command) -> io::Result<Child> {
    static SPAWNER: OnceLock<mpsc::Sender<SpawnRequest>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        std::thread::Builder::new()
            .name("server-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("starting the server spawner thread");
        tx
    });
    let (tx, rx) = mpsc::channel();
    spawner
        .send((cmd, tx))
        .map_err(|_| io::Error::other("the server spawner thread is gone"))?;
    rx.recv()
        .map_err(|_| io::Error::other("the server spawner thread is gone"))?
}

/// Why a test server did not start: its port was taken meanwhile (try another), or anything
/// else, in words.
pub enum StartFailure {
    PortTaken,
    Other(String),
}

/// What the file at `path` holds from `offset` on, as text (nothing when it cannot be read).
pub fn read_lossy(path: &Path, offset: u64) -> String {
    use std::io::{Seek, SeekFrom};
    let mut bytes = Vec::new();
    if let Ok(mut file) = std::fs::File::open(path)
        && file.seek(SeekFrom::Start(offset)).is_ok()
    {
        let _ = file.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// With `NATTER_TEST_KEEP` set, the test server's directory `dir` stays after the test, and
/// where it is is said.
pub fn keep_if_asked(dir: &mut tempfile::TempDir, server: &str) {
    if std::env::var_os("NATTER_TEST_KEEP").is_some() {
        dir.disable_cleanup(true);
        eprintln!(
            "kept the test {server}'s directory: {}",
            dir.path().display()
        );
    }
}
