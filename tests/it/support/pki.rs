//! The test certificates: a small CA and a `localhost` server certificate it signed.
//!
//! rustls (through webpki) refuses a lone self-signed certificate used as a server certificate,
//! so the server gets a leaf (CA:FALSE, serverAuth, SAN DNS:localhost and IP:127.0.0.1) and
//! clients trust the CA. Made with the `openssl` CLI once and kept in cargo's per-target temp
//! directory, so test processes (one per test under nextest) share it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Bump when the way the certificates are made changes, so a stale cache is not reused.
const VERSION: u32 = 1;

pub const CA: &str = "ca.pem";
/// The CA's private key, for tests that sign more certificates with it.
pub const CA_KEY: &str = "ca.key";
pub const CERT: &str = "localhost.crt";
pub const KEY: &str = "localhost.key";

const LEAF_EXTENSIONS: &str = "\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

/// The directory holding [`CA`], [`CERT`] and [`KEY`].
pub fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // Per user: the key is private to whoever made it.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
            "natter-test-pki-v{VERSION}-uid{}",
            super::os::euid()
        ));
        if !complete(&dir) {
            make(&dir);
        }
        dir
    })
}

fn complete(dir: &Path) -> bool {
    [CA, CERT, KEY].iter().all(|f| dir.join(f).is_file())
}

/// Makes the certificates in a scratch directory and renames it into place, so a concurrent
/// test process never sees half a set.
fn make(dir: &Path) {
    let parent = dir.parent().expect("the pki dir has a parent");
    std::fs::create_dir_all(parent)
        .unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
    let scratch = tempfile::Builder::new()
        .prefix("natter-test-pki-scratch-")
        .tempdir_in(parent)
        .unwrap_or_else(|e| panic!("creating a scratch dir in {}: {e}", parent.display()));
    let s = scratch.path();
    std::fs::write(s.join("leaf.ext"), LEAF_EXTENSIONS).expect("writing leaf.ext");

    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    openssl(
        s,
        &[
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                CA_KEY,
                "-out",
                CA,
                "-days",
                "3650",
                "-subj",
                "/CN=Natter Test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
    );
    openssl(
        s,
        &[
            &["req", "-new"][..],
            &ec,
            &[
                "-keyout",
                KEY,
                "-out",
                "localhost.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat(),
    );
    let serial = format!("0x{}", super::os::random_hex(8));
    openssl(
        s,
        &[
            "x509",
            "-req",
            "-in",
            "localhost.csr",
            "-CA",
            CA,
            "-CAkey",
            CA_KEY,
            "-set_serial",
            &serial,
            "-days",
            "3650",
            "-extfile",
            "leaf.ext",
            "-out",
            CERT,
        ],
    );

    // Another process may have won the race; its set is as good as ours.
    let scratch = scratch.keep();
    if std::fs::rename(&scratch, dir).is_err() {
        let _ = std::fs::remove_dir_all(&scratch);
        assert!(
            complete(dir),
            "could not put the test certificates in {}",
            dir.display()
        );
    }
}

/// Runs the `openssl` program in `cwd`; panics with its output when it fails.
pub fn openssl(cwd: &Path, args: &[&str]) {
    let out = match Command::new("openssl").args(args).current_dir(cwd).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("openssl is not installed: run tests/run, which installs what the tests need")
        }
        Err(e) => panic!("running openssl: {e}"),
    };
    assert!(
        out.status.success(),
        "openssl {} failed ({}):\n{}{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
}
