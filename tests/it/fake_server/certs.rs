//! Server certificates for the fake server: each bad one is wrong in exactly one way, and good
//! ones of the same shapes show the bad ones fail for that reason alone.
//!
//! All of them chain to the harness's test CA (`support::pki`), so a client that trusts that CA
//! (pinned, or through `SSL_CERT_FILE`) has no other reason to refuse them. They are made with
//! the `openssl` program once per CA and kept next to it, like the harness's own certificates.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::pki::{self, openssl};

/// Bump when the way the certificates are made changes, so a stale cache is not reused.
const VERSION: u32 = 2;

/// A certificate chain (leaf first, PEM) and the leaf's private key (PEM).
#[derive(Debug, Clone)]
pub struct Identity {
    pub chain: PathBuf,
    pub key: PathBuf,
}

impl Identity {
    /// The leaf certificate as DER, the form an account pins.
    pub fn leaf_der(&self) -> Vec<u8> {
        let pem = std::fs::read(&self.chain).expect("the chain file exists");
        natter::session::parse_certificate(&pem).expect("a PEM certificate")
    }
}

/// The test CA's certificate (PEM), for `SSL_CERT_FILE`.
pub fn ca_file() -> PathBuf {
    pki::dir().join(pki::CA)
}

/// The test CA's certificate as DER, for `Account::pinned_cert` (a pinned CA is a trust anchor).
pub fn ca_der() -> Vec<u8> {
    let pem = std::fs::read(ca_file()).expect("the CA file exists");
    natter::session::parse_certificate(&pem).expect("a PEM certificate")
}

/// `localhost` (and 127.0.0.1), signed by the test CA: what the harness gives both test servers.
pub fn good() -> Identity {
    Identity {
        chain: pki::dir().join(pki::CERT),
        key: pki::dir().join(pki::KEY),
    }
}

/// `localhost`, signed by an intermediate CA (CA:TRUE) that the test CA signed; the server
/// sends both.
pub fn via_intermediate_ca() -> Identity {
    leaf("via-intermediate-ca.pem")
}

/// `localhost`, signed by the test CA, valid until yesterday.
pub fn expired() -> Identity {
    leaf("expired.pem")
}

/// `localhost`, signed by its own key; nobody vouches for it.
pub fn self_signed() -> Identity {
    leaf("self-signed.pem")
}

/// `wrong.example` only, signed by the test CA.
pub fn wrong_name() -> Identity {
    leaf("wrong-name.pem")
}

/// `localhost`, signed by a certificate without basicConstraints (so not a CA) that the test
/// CA signed; the server sends both.
pub fn issued_by_non_ca() -> Identity {
    leaf("issued-by-non-ca.pem")
}

/// `localhost`, signed by an ordinary server certificate (CA:FALSE, for `issuer.example`) that
/// the test CA signed: the classic "my certificate for my domain signs yours" forgery.
pub fn issued_by_a_leaf() -> Identity {
    leaf("issued-by-a-leaf.pem")
}

fn leaf(chain: &str) -> Identity {
    Identity {
        chain: dir().join(chain),
        key: dir().join(KEY),
    }
}

const KEY: &str = "leaf.key";
const ISSUER_KEY: &str = "issuer.key";
const CHAINS: [&str; 6] = [
    "via-intermediate-ca.pem",
    "expired.pem",
    "self-signed.pem",
    "wrong-name.pem",
    "issued-by-non-ca.pem",
    "issued-by-a-leaf.pem",
];

const LOCALHOST: &str = "\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

const WRONG_NAME: &str = "\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

/// May sign certificates by its key usage, but has no basicConstraints: not a CA.
const NO_CONSTRAINTS: &str = "\
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

const LEAF_ISSUER: &str = "\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:issuer.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

const INTERMEDIATE_CA: &str = "\
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
";

/// `openssl ca` (the only way openssl 3.0 sets an arbitrary validity period) needs a database.
const CA_CONFIG: &str = "\
[ca]
default_ca = test
[test]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
";

fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = pki::dir().join(format!("transport-v{VERSION}"));
        if !CHAINS.iter().all(|c| dir.join(c).is_file()) {
            make(&dir);
        }
        dir
    })
}

/// Makes every certificate in a scratch directory and renames it into place, so a concurrent
/// test process never sees half a set.
fn make(dir: &Path) {
    let parent = dir.parent().expect("the pki dir has a parent");
    let scratch = tempfile::Builder::new()
        .prefix("transport-scratch-")
        .tempdir_in(parent)
        .unwrap_or_else(|e| panic!("creating a scratch dir in {}: {e}", parent.display()));
    let s = scratch.path();
    let write = |name: &str, text: &str| {
        std::fs::write(s.join(name), text).unwrap_or_else(|e| panic!("writing {name}: {e}"));
    };
    for (name, text) in [
        ("localhost.ext", LOCALHOST),
        ("wrong-name.ext", WRONG_NAME),
        ("no-constraints.ext", NO_CONSTRAINTS),
        ("leaf-issuer.ext", LEAF_ISSUER),
        ("intermediate-ca.ext", INTERMEDIATE_CA),
        ("ca.cnf", CA_CONFIG),
        ("index.txt", ""),
        ("serial", "1000\n"),
    ] {
        write(name, text);
    }
    let ca = ca_file();
    let ca = ca.to_str().expect("a UTF-8 path");
    let ca_key = pki::dir().join(pki::CA_KEY);
    let ca_key = ca_key.to_str().expect("a UTF-8 path");
    let new_key = |key: &str, csr: &str, subject: &str| {
        openssl(
            s,
            &[
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key,
                "-out",
                csr,
                "-subj",
                subject,
            ],
        );
    };
    let csr = |key: &str, csr: &str, subject: &str| {
        openssl(
            s,
            &["req", "-new", "-key", key, "-out", csr, "-subj", subject],
        );
    };
    let sign = |csr: &str, issuer: &str, issuer_key: &str, ext: &str, serial: &str, out: &str| {
        openssl(
            s,
            &[
                "x509",
                "-req",
                "-in",
                csr,
                "-CA",
                issuer,
                "-CAkey",
                issuer_key,
                "-set_serial",
                serial,
                "-days",
                "3650",
                "-extfile",
                ext,
                "-out",
                out,
            ],
        );
    };

    new_key(KEY, "localhost.csr", "/CN=localhost");
    new_key(ISSUER_KEY, "issuer.csr", "/CN=Natter Test Intermediate CA");
    csr(KEY, "wrong-name.csr", "/CN=wrong.example");
    csr(ISSUER_KEY, "no-constraints.csr", "/CN=Natter Test Not A CA");
    csr(ISSUER_KEY, "leaf-issuer.csr", "/CN=issuer.example");

    // Expired: valid from a month ago until yesterday (not an inverted period, which would be
    // a different error).
    let day = chrono::Duration::days(1);
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%d%H%M%SZ").to_string();
    let now = chrono::Utc::now();
    openssl(
        s,
        &[
            "ca",
            "-config",
            "ca.cnf",
            "-batch",
            "-notext",
            "-cert",
            ca,
            "-keyfile",
            ca_key,
            "-in",
            "localhost.csr",
            "-startdate",
            &at(now - day * 30),
            "-enddate",
            &at(now - day),
            "-extfile",
            "localhost.ext",
            "-out",
            "expired.pem",
        ],
    );
    openssl(
        s,
        &[
            "req",
            "-x509",
            "-key",
            KEY,
            // Not `CN=localhost`: Debian's snakeoil certificate has that subject and sits in
            // the system store, which would make this a different failure.
            "-subj",
            "/CN=Natter Test Self-Signed",
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "-addext",
            "extendedKeyUsage=serverAuth",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-out",
            "self-signed.pem",
        ],
    );
    sign(
        "wrong-name.csr",
        ca,
        ca_key,
        "wrong-name.ext",
        "0x2001",
        "wrong-name.pem",
    );

    // Three issuers with the same key and different names, each signed by the test CA, each
    // signing a `localhost` leaf; only the first may.
    for (issuer_csr, ext, serial, leaf_serial, chain) in [
        (
            "issuer.csr",
            "intermediate-ca.ext",
            "0x3001",
            "0x3002",
            "via-intermediate-ca.pem",
        ),
        (
            "no-constraints.csr",
            "no-constraints.ext",
            "0x4001",
            "0x4002",
            "issued-by-non-ca.pem",
        ),
        (
            "leaf-issuer.csr",
            "leaf-issuer.ext",
            "0x5001",
            "0x5002",
            "issued-by-a-leaf.pem",
        ),
    ] {
        let issuer = format!("{chain}.issuer");
        let leaf = format!("{chain}.leaf");
        sign(issuer_csr, ca, ca_key, ext, serial, &issuer);
        sign(
            "localhost.csr",
            &issuer,
            ISSUER_KEY,
            "localhost.ext",
            leaf_serial,
            &leaf,
        );
        concat(s, &[&leaf, &issuer], chain);
    }

    // Another process may have won the race; its set is as good as ours.
    let scratch = scratch.keep();
    if std::fs::rename(&scratch, dir).is_err() {
        let _ = std::fs::remove_dir_all(&scratch);
        assert!(
            CHAINS.iter().all(|c| dir.join(c).is_file()),
            "could not put the transport test certificates in {}",
            dir.display()
        );
    }
}

fn concat(dir: &Path, parts: &[&str], out: &str) {
    let mut all = Vec::new();
    for part in parts {
        all.extend(std::fs::read(dir.join(part)).unwrap_or_else(|e| panic!("reading {part}: {e}")));
    }
    std::fs::write(dir.join(out), all).unwrap_or_else(|e| panic!("writing {out}: {e}"));
}
