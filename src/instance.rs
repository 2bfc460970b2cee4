//! One window per person and data directory. The first launch listens on a Unix socket only
//! its user can reach (in a directory only its user can enter, made so before the socket is
//! bound in it); a second launch (another `natter`, or a clicked `xmpp:` link) hands its link
//! to the first and exits, and the first brings its window forward.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a later launch asks of the running window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Launch {
    /// The `xmpp:` link it was given, if any.
    pub uri: Option<String>,
}

/// Who got here first.
#[derive(Debug)]
pub enum Claim {
    /// This launch runs the window and listens here for later ones.
    First(UnixListener),
    /// A window runs already and took the launch.
    Handed,
}

/// Longest request line read from a later launch (a link, not a document).
const MAX_REQUEST: u64 = 16 * 1024;
/// How long a later launch waits for the window to take its request.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// The socket for the data directory `data_dir`, in a directory of its own that [`claim`] makes
/// private: `natter/` in `$XDG_RUNTIME_DIR` when there is one, else `run/` in the data
/// directory.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(runtime) => {
            // One socket per data directory (profiles side by side each get their window).
            let hash = data_dir
                .to_string_lossy()
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
            PathBuf::from(runtime)
                .join("natter")
                .join(format!("{hash:016x}.sock"))
        }
        None => data_dir.join("run").join("natter.sock"),
    }
}

/// Makes `dir` a directory only its user can enter, before a socket is bound in it: a socket
/// file takes the umask's mode when it is bound, and is reachable by others until it is
/// changed; in this directory it never is. Created with mode 0700; when it exists already, it
/// must be a directory (not a link to one) and its mode is brought down to 0700, which only its
/// owner can do.
fn private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not a directory", dir.display()),
        ));
    }
    // The umask may have taken bits the owner needs, or the directory was made by an older
    // version with the usual mode: exactly 0700 either way.
    if meta.permissions().mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Becomes the window's launch, or hands `launch` to the window that runs already.
pub fn claim(socket: &Path, launch: &Launch) -> io::Result<Claim> {
    for _ in 0..2 {
        match hand_over(socket, launch) {
            Ok(()) => return Ok(Claim::Handed),
            // Nobody listens: a socket left by a window that crashed, or none at all.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
                ) =>
            {
                if e.kind() == io::ErrorKind::ConnectionRefused {
                    let _ = std::fs::remove_file(socket);
                }
                if let Some(dir) = socket.parent() {
                    private_dir(dir)?;
                }
                match UnixListener::bind(socket) {
                    Ok(listener) => {
                        // The directory keeps others out already; the socket too, for anyone
                        // who copies it elsewhere.
                        std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))?;
                        return Ok(Claim::First(listener));
                    }
                    // Another launch bound it between our two steps: hand over to it.
                    Err(e) if e.kind() == io::ErrorKind::AddrInUse => continue,
                    Err(e) => return Err(e),
                }
            }
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        "another launch holds the socket",
    ))
}

/// Sends `launch` to the listening window and waits for its "ok".
fn hand_over(socket: &Path, launch: &Launch) -> io::Result<()> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(ANSWER_WITHIN))?;
    stream.set_write_timeout(Some(ANSWER_WITHIN))?;
    let mut line = serde_json::to_string(launch)?;
    line.push('\n');
    stream.write_all(line.as_bytes())?;
    let mut answer = String::new();
    BufReader::new(stream.take(16)).read_line(&mut answer)?;
    if answer.trim() == "ok" {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "the window did not take the launch",
        ))
    }
}

/// Reads one later launch from `stream` and answers "ok"; `None` for a request that is not one
/// (too long, not JSON): nothing is done with it.
pub async fn receive(stream: tokio::net::UnixStream) -> Option<Launch> {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = tokio::io::BufReader::new(read.take(MAX_REQUEST));
    tokio::time::timeout(ANSWER_WITHIN, reader.read_line(&mut line))
        .await
        .ok()?
        .ok()?;
    let launch: Launch = serde_json::from_str(line.trim()).ok()?;
    write.write_all(b"ok\n").await.ok()?;
    Some(launch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_second_launch_hands_its_link_to_the_first_and_a_stale_socket_is_replaced() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let socket = dir.path().join("natter.sock");
        let Claim::First(listener) = claim(&socket, &Launch::default()).expect("claimed") else {
            panic!("the first launch runs the window");
        };
        let mode = std::fs::metadata(&socket)
            .expect("socket")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only its user can reach it");
        listener.set_nonblocking(true).expect("nonblocking");
        let listener = tokio::net::UnixListener::from_std(listener).expect("tokio listener");

        let link = Launch {
            uri: Some("xmpp:alice@example.org?message;body=hi".into()),
        };
        let sent = link.clone();
        let second = {
            let socket = socket.clone();
            tokio::task::spawn_blocking(move || claim(&socket, &sent))
        };
        let (stream, _) = listener.accept().await.expect("the second launch connects");
        assert_eq!(receive(stream).await, Some(link));
        assert!(matches!(
            second.await.expect("joined").expect("handed"),
            Claim::Handed
        ));

        // A window that died leaves its socket behind: the next launch takes its place.
        drop(listener);
        assert!(socket.exists());
        assert!(matches!(
            claim(&socket, &Launch::default()).expect("claimed"),
            Claim::First(_)
        ));
    }

    #[tokio::test]
    async fn garbage_from_the_socket_is_ignored() {
        use tokio::io::AsyncWriteExt;
        let (mut ours, theirs) = tokio::net::UnixStream::pair().expect("a pair");
        ours.write_all(b"{not json\n").await.expect("written");
        assert_eq!(receive(theirs).await, None);
    }

    #[test]
    fn the_socket_is_bound_in_a_directory_only_its_user_can_enter() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
        // Made afresh, and made by an older version with the usual mode.
        let fresh = dir.path().join("fresh").join("natter.sock");
        let older = dir.path().join("older").join("natter.sock");
        std::fs::create_dir(dir.path().join("older")).expect("made");
        std::fs::set_permissions(
            dir.path().join("older"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("set");
        for socket in [fresh, older] {
            let Claim::First(_listener) = claim(&socket, &Launch::default()).expect("claimed")
            else {
                panic!("the first launch runs the window");
            };
            let parent = socket.parent().expect("a directory");
            assert_eq!(mode(parent), 0o700, "{}", parent.display());
            assert_eq!(mode(&socket), 0o600);
        }
        // A link where the directory should be is not followed.
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).expect("made");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("link")).expect("linked");
        let linked = dir.path().join("link").join("natter.sock");
        assert!(claim(&linked, &Launch::default()).is_err());
        assert!(!elsewhere.join("natter.sock").exists());
    }

    #[test]
    fn the_socket_has_a_directory_of_its_own() {
        let data = Path::new("/home/a/.local/share/natter");
        let socket = socket_path(data);
        let parent = socket.parent().expect("a directory");
        assert!(
            parent.ends_with("natter") || parent == data.join("run"),
            "{}",
            socket.display()
        );
    }

    #[test]
    fn profiles_get_sockets_of_their_own() {
        let a = socket_path(Path::new("/home/a/.local/share/natter"));
        let b = socket_path(Path::new("/tmp/profile-b"));
        assert_ne!(a, b);
    }
}
