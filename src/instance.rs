//! One window per person and data directory. The first launch listens on a Unix socket only
//! its user can reach; a second launch (another `natter`, or a clicked `xmpp:` link) hands its
//! link to the first and exits, and the first brings its window forward.

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

/// The socket for the data directory `data_dir`: in `$XDG_RUNTIME_DIR` (private to the user)
/// when there is one, else in the data directory itself.
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
            PathBuf::from(runtime).join(format!("natter-{hash:016x}.sock"))
        }
        None => data_dir.join("natter.sock"),
    }
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
                    std::fs::create_dir_all(dir)?;
                }
                match UnixListener::bind(socket) {
                    Ok(listener) => {
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
    fn profiles_get_sockets_of_their_own() {
        let a = socket_path(Path::new("/home/a/.local/share/natter"));
        let b = socket_path(Path::new("/tmp/profile-b"));
        assert_ne!(a, b);
    }
}
