//! The password path against a real Secret Service (gnome-keyring in the private D-Bus session
//! that `tests/run` starts): stored, used, removed with the account, and never on disk or in
//! the logs.

use crate::j;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{Kind, Server, Shared, on_servers};

static SERVERS: Shared = Shared::new();

/// Whether a session bus is there. Under `tests/run` (and CI) it always is; a bare `cargo test`
/// on a machine without one skips with a note instead of failing for the wrong reason.
pub(crate) fn session_bus() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must run the keyring test: use tests/run"
    );
    eprintln!("no D-Bus session: keyring test skipped (run it through tests/run)");
    false
}

fn natter(server: &Server, data: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_natter"));
    c.env("NATTER_DATA_DIR", data)
        .env("SSL_CERT_FILE", server.ca_file())
        .env_remove("NATTER_PASSWORD")
        .env("RUST_LOG", "debug");
    c
}

on_servers!(fn the_password_lives_in_the_keyring_only_and_leaves_with_the_account);
fn the_password_lives_in_the_keyring_only_and_leaves_with_the_account(kind: Kind) {
    if !session_bus() {
        return;
    }
    let server = SERVERS.get(kind);
    let (jid, pw) = server.create_user("keyring");
    let dir = tempfile::tempdir().expect("tmp");
    let port = server.port().to_string();

    let mut add = natter(&server, dir.path())
        .args([
            "account",
            "add",
            &jid,
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("natter runs");
    writeln!(add.stdin.take().expect("stdin"), "{pw}").expect("password written");
    let out = add.wait_with_output().expect("account add ends");
    assert!(
        out.status.success(),
        "account add: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Signing in uses the keyring (NATTER_PASSWORD is not set).
    let check = natter(&server, dir.path())
        .args(["check", "--json"])
        .output()
        .expect("check runs");
    let logs = String::from_utf8_lossy(&check.stderr).to_string();
    assert!(
        check.status.success(),
        "check with the keyring's password: {logs}"
    );
    assert!(!logs.contains(&pw), "the password appears in the logs");

    // Nowhere on disk: not in the database nor its WAL.
    for entry in std::fs::read_dir(dir.path()).expect("data dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(
            !bytes.windows(pw.len()).any(|w| w == pw.as_bytes()),
            "password found in {path:?}"
        );
    }

    // Removing the account removes the password: a check without it now fails.
    let rm = natter(&server, dir.path())
        .args(["account", "remove", &jid])
        .output()
        .expect("remove runs");
    assert!(
        rm.status.success(),
        "{}",
        String::from_utf8_lossy(&rm.stderr)
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let left = runtime
        .block_on(natter::secrets::password(&j(&jid)))
        .expect("keyring reachable");
    assert_eq!(left, None, "the keyring entry is gone with the account");
}
