//! Transport security against a scripted fake server (issue 4): a certificate that is expired,
//! self-signed and not pinned, for another name or issued by a non-CA is refused before
//! authentication; so is a server that omits STARTTLS or injects data after `<proceed/>`; and
//! the password never leaves the client unless TLS with a trusted certificate is up.
//!
//! Every refusal is checked twice: by what the person is told (the error, its kind) and by what
//! the server recorded (no `<auth/>`, no password, in the clear or inside TLS). Positive
//! controls with the same server and trust show that the same checks do see a login.

use crate::j;
use std::path::Path;
use std::process::Output;

use natter::model::{Account, TlsMode};
use natter::session::{ConnectError, raw_login};
use serde_json::Value;

use crate::fake_server::{FakeServer, Layer, Script, Transcript, certs};

mod sasl;
mod sasl2;

const JID: &str = "alice@localhost";
const PASSWORD: &str = "transport-s3cret";

/// Signs in once with `raw_login` against a fresh fake server playing `script`, and returns
/// the outcome with what the server recorded.
async fn sign_in(
    script: Script,
    pinned: Option<Vec<u8>>,
) -> (Result<(), ConnectError>, Transcript) {
    let direct = script.direct_tls;
    let server = FakeServer::start(script).await;
    let mut account = Account::new(j(JID));
    account.host = Some("127.0.0.1".into());
    account.port = Some(server.port());
    account.tls = if direct {
        TlsMode::Direct
    } else {
        TlsMode::StartTls
    };
    account.pinned_cert = pinned;
    account.connect_timeout_secs = 5;
    let result = raw_login(&account, PASSWORD).await.map(drop);
    (result, server.transcript().await)
}

/// A whole session (store, worker) signing in as `jid` to `server` over STARTTLS with its CA
/// pinned; the directory holds the store.
async fn session_with(
    server: &FakeServer,
    jid: &str,
) -> (
    tempfile::TempDir,
    natter::store::Store,
    natter::session::Handle,
    tokio::sync::mpsc::Receiver<natter::session::Event>,
) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store =
        natter::store::Store::open(&dir.path().join("natter.sqlite3")).expect("the store opens");
    let mut account = Account::new(j(jid));
    account.host = Some("127.0.0.1".into());
    account.port = Some(server.port());
    account.tls = TlsMode::StartTls;
    account.pinned_cert = Some(certs::ca_der());
    account.connect_timeout_secs = 5;
    store.save_account(account.clone()).await.expect("saved");
    let creds = natter::session::Credentials {
        account,
        password: PASSWORD.into(),
    };
    let (handle, events) = natter::session::spawn(creds, store.clone());
    (dir, store, handle, events)
}

/// Nothing that could authenticate reached the server: no `<auth/>`, no password in any form.
fn assert_no_credentials_sent(t: &Transcript) {
    assert!(!t.received_auth(), "<auth/> reached the server:\n{t:?}");
    assert!(
        !t.holds_password(PASSWORD),
        "the password reached the server:\n{t:?}"
    );
}

/// A certificate refusal: the person reads why, TLS never came up, nothing was said inside it.
fn assert_certificate_refused(result: &Result<(), ConnectError>, t: &Transcript, words: &str) {
    let Err(e @ ConnectError::Tls(_)) = result else {
        panic!("expected a certificate refusal, got {result:?}\n{t:?}");
    };
    let text = e.to_string();
    assert!(
        text.contains("certificate cannot be trusted") && text.contains(words),
        "“{text}” should say the certificate cannot be trusted and “{words}”"
    );
    assert!(!t.tls_established, "TLS came up:\n{t:?}");
    assert!(
        t.encrypted.is_empty(),
        "the client spoke inside TLS:\n{t:?}"
    );
    assert_no_credentials_sent(t);
}

/// The positive control: the client trusted the server and sent its credentials inside TLS,
/// then reported the server's not-authorized as a wrong password.
fn assert_reached_the_password(result: &Result<(), ConnectError>, t: &Transcript) {
    let Err(e @ ConnectError::Auth(_)) = result else {
        panic!("expected the server's password refusal, got {result:?}\n{t:?}");
    };
    assert!(e.to_string().contains("refused the password"), "{e}");
    assert!(
        !e.to_string().contains(PASSWORD),
        "the password is never in errors: {e}"
    );
    assert!(t.tls_established, "{t:?}");
    assert!(t.received_auth() && t.holds_password(PASSWORD), "{t:?}");
    assert!(
        t.items
            .iter()
            .all(|(layer, item)| *layer == Layer::Tls || !item.contains("<auth")),
        "<auth/> was sent in the clear:\n{t:?}"
    );
    assert!(
        !String::from_utf8_lossy(&t.plaintext).contains(PASSWORD),
        "{t:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_certificate_for_the_right_name_gets_as_far_as_the_password() {
    let (result, t) = sign_in(Script::starttls(certs::good()), Some(certs::ca_der())).await;
    assert_reached_the_password(&result, &t);
    // In the clear: the header and <starttls/>, nothing else; not even the offered PLAIN.
    let plain = t.plain_items();
    assert_eq!(plain.len(), 2, "{t:?}");
    assert!(plain[1].starts_with("<starttls"), "{t:?}");
}

/// A server offering SCRAM without channel binding (Prosody 0.12 on TLS 1.3) gets SCRAM, not
/// PLAIN: the password itself never reaches it, and the client says it could bind ("y,,"), so
/// a SCRAM-*-PLUS that an attacker stripped from the offer would be noticed by the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scram_is_chosen_over_plain_when_the_server_offers_it_without_channel_binding() {
    let mut script = Script::starttls(certs::good());
    script.mechanisms = vec!["PLAIN", "SCRAM-SHA-1"];
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    let Err(ConnectError::Auth(_)) = result else {
        panic!("expected the server's password refusal, got {result:?}\n{t:?}");
    };
    let auths = t.tls_auths();
    assert_eq!(auths.len(), 1, "{t:?}");
    let (mechanism, first) = &auths[0];
    assert_eq!(mechanism, "SCRAM-SHA-1", "{t:?}");
    assert!(
        first.starts_with("y,,n=alice,r="),
        "client-first message: {first:?}\n{t:?}"
    );
    assert!(
        !t.holds_password(PASSWORD),
        "the password reached the server:\n{t:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leaf_from_an_intermediate_ca_gets_as_far_as_the_password() {
    let script = Script::starttls(certs::via_intermediate_ca());
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    assert_reached_the_password(&result, &t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_refused_before_authentication() {
    let (result, t) = sign_in(Script::starttls(certs::expired()), Some(certs::ca_der())).await;
    assert_certificate_refused(&result, &t, "expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_is_refused_unless_it_is_pinned() {
    let script = Script::starttls(certs::self_signed());
    let (result, t) = sign_in(script.clone(), Some(certs::ca_der())).await;
    assert_certificate_refused(&result, &t, "self-signed");
    let (result, t) = sign_in(script.clone(), None).await;
    assert_certificate_refused(&result, &t, "self-signed");

    // The person chose to trust exactly this certificate: then it is accepted.
    let (result, t) = sign_in(script, Some(certs::self_signed().leaf_der())).await;
    assert_reached_the_password(&result, &t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_name_is_refused_before_authentication() {
    let script = Script::starttls(certs::wrong_name());
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    assert_certificate_refused(&result, &t, "issued for wrong.example, not for localhost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_issued_by_a_non_ca_is_refused_before_authentication() {
    let script = Script::starttls(certs::issued_by_non_ca());
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    assert_certificate_refused(&result, &t, "not a certificate authority");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_issued_by_another_server_certificate_is_refused() {
    let script = Script::starttls(certs::issued_by_a_leaf());
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    assert_certificate_refused(&result, &t, "not a certificate authority");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_starttls_is_refused_and_nothing_follows_its_features() {
    let script = Script {
        offer_starttls: false,
        ..Script::starttls(certs::good())
    };
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    let Err(e @ ConnectError::NoStartTls) = &result else {
        panic!("expected a STARTTLS refusal, got {result:?}\n{t:?}");
    };
    assert!(e.to_string().contains("does not offer encryption"), "{e}");
    // The client sent its stream header and the STARTTLS request that goes with it (Natter
    // requires TLS whatever the features say), then nothing at all: no auth, no stream end.
    assert_eq!(t.plain_items().len(), 2, "{t:?}");
    assert!(!t.tls_established, "{t:?}");
    assert_no_credentials_sent(&t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_refuses_starttls_is_refused_at_once() {
    let script = Script {
        starttls_failure: true,
        ..Script::starttls(certs::good())
    };
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    let Err(e @ ConnectError::NoStartTls) = &result else {
        panic!("expected a STARTTLS refusal (not a timeout), got {result:?}\n{t:?}");
    };
    assert!(e.to_string().contains("encryption"), "{e}");
    assert_eq!(t.plain_items().len(), 2, "{t:?}");
    assert!(!t.tls_established, "{t:?}");
    assert_no_credentials_sent(&t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_injected_after_proceed_is_refused() {
    // A man in the middle appends features offering PLAIN, hoping they are read as if they
    // came through TLS.
    let script = Script {
        after_proceed: b"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\
                         <mechanism>PLAIN</mechanism></mechanisms></stream:features>"
            .to_vec(),
        ..Script::starttls(certs::good())
    };
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    let Err(e @ ConnectError::Injection) = &result else {
        panic!("expected an injection refusal, got {result:?}\n{t:?}");
    };
    assert!(
        e.to_string()
            .contains("unexpected data before encryption started"),
        "{e}"
    );
    assert!(!t.tls_established, "{t:?}");
    assert_no_credentials_sent(&t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_injected_after_proceed_is_refused_too() {
    // Bytes the wire guard refuses (a DTD) in the same place: refused all the same, whether
    // they come in <proceed/>'s packet (the guard's reason) or after it (an injection).
    let script = Script {
        after_proceed: b"<!DOCTYPE x [<!ENTITY a 'b'>]>".to_vec(),
        ..Script::starttls(certs::good())
    };
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    match &result {
        Err(ConnectError::Injection) => {}
        Err(e @ ConnectError::Dropped(_)) => {
            assert!(e.to_string().contains("document type declaration"), "{e}")
        }
        other => panic!("expected a refusal, got {other:?}\n{t:?}"),
    }
    assert!(!t.tls_established, "{t:?}");
    assert_no_credentials_sent(&t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_tls_with_an_untrusted_certificate_is_refused() {
    let script = Script::direct_tls(certs::self_signed());
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    assert_certificate_refused(&result, &t, "self-signed");
    assert!(t.plaintext.is_empty(), "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_tls_with_a_trusted_certificate_gets_as_far_as_the_password() {
    let script = Script::direct_tls(certs::good());
    let (result, t) = sign_in(script, Some(certs::ca_der())).await;
    assert_reached_the_password(&result, &t);
    assert!(t.plaintext.is_empty(), "{t:?}");
}

// --- the same through `natter check --json`, trusting the test CA through SSL_CERT_FILE -----

/// `natter account add` then `natter check --json` against the fake server, the test CA the
/// only trusted root; returns check's output and what the server recorded.
async fn natter_check(script: Script) -> (Output, Transcript) {
    let server = FakeServer::start(script).await;
    let data = tempfile::tempdir().expect("a temp dir");
    let port = server.port().to_string();
    let o = natter(
        data.path(),
        &[
            "account",
            "add",
            JID,
            "--host",
            "127.0.0.1",
            "--port",
            &port,
        ],
    )
    .await;
    assert!(o.status.success(), "account add: {}", text(&o));
    let o = natter(data.path(), &["--timeout", "10", "check", "--json"]).await;
    (o, server.transcript().await)
}

async fn natter(data: &Path, args: &[&str]) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_natter"))
        .args(args)
        .env("NATTER_DATA_DIR", data)
        .env("SSL_CERT_FILE", certs::ca_file())
        .env_remove("SSL_CERT_DIR")
        .env("NATTER_PASSWORD", PASSWORD)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("natter runs")
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `check --json` failed with exit status 1 and this error.
fn check_error(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "{}", text(o));
    let v: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)));
    assert_eq!(v["ok"], false, "{v}");
    let error = v["error"].as_str().unwrap_or_default().to_owned();
    assert!(!error.contains(PASSWORD), "{error}");
    error
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_with_the_ca_in_ssl_cert_file_gets_as_far_as_the_password() {
    let (o, t) = natter_check(Script::starttls(certs::good())).await;
    let error = check_error(&o);
    assert!(error.contains("refused the password"), "{error}");
    assert!(t.received_auth() && t.holds_password(PASSWORD), "{t:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_refuses_a_certificate_issued_by_a_non_ca_with_exit_status_1() {
    let (o, t) = natter_check(Script::starttls(certs::issued_by_non_ca())).await;
    let error = check_error(&o);
    assert!(
        error.contains("certificate cannot be trusted")
            && error.contains("not a certificate authority"),
        "{error}"
    );
    assert!(!t.tls_established, "{t:?}");
    assert_no_credentials_sent(&t);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_refuses_a_server_without_starttls_with_exit_status_1() {
    let script = Script {
        offer_starttls: false,
        ..Script::starttls(certs::good())
    };
    let (o, t) = natter_check(script).await;
    let error = check_error(&o);
    assert!(error.contains("does not offer encryption"), "{error}");
    // The stream header and the STARTTLS request sent with it, nothing more.
    assert_eq!(t.plain_items().len(), 2, "{t:?}");
    assert_no_credentials_sent(&t);
}
