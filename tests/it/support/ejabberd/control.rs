//! Talking to a running test ejabberd: `ejabberdctl` commands, and the same commands over the
//! HTTP API where many are needed at once.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use super::{ACCOUNT, DOMAIN, Ejabberd, os};

impl Ejabberd {
    /// `ejabberdctl` with this server's directories and node, as the server's user, with only
    /// the environment it needs.
    pub(super) fn ctl_command(&self, kill_with_parent: bool) -> Command {
        let dir = self.dir.path();
        let mut cmd = os::server_command(&self.ctl, ACCOUNT, kill_with_parent);
        cmd.arg("--config-dir")
            .arg(dir.join("conf"))
            .arg("--config")
            .arg(self.conf("ejabberd.yml"))
            .arg("--ctl-config")
            .arg(self.conf("ejabberdctl.cfg"))
            .arg("--logs")
            .arg(dir.join("logs"))
            .arg("--spool")
            .arg(dir.join("spool"))
            .arg("--node")
            .arg(&self.node)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", dir)
            .env("LANG", "C.UTF-8")
            .current_dir(dir)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs one `ejabberdctl` command against the running node.
    pub(super) fn ctl(&self, args: &[&str]) -> Output {
        self.ctl_command(false)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("running ejabberdctl: {e}"))
    }

    /// Calls ejabberd's `command` through its HTTP API with `args`; panics unless it
    /// succeeded. Returns the JSON answer.
    pub(super) fn api(&self, command: &str, args: &serde_json::Value) -> String {
        self.try_api(command, args).unwrap_or_else(|why| {
            panic!(
                "ejabberd's {command} {args} failed: {why}\n{}",
                self.log_for_panic()
            )
        })
    }

    /// Calls ejabberd's `command` through its HTTP API with `args`: the JSON answer, or what
    /// went wrong.
    fn try_api(&self, command: &str, args: &serde_json::Value) -> Result<String, String> {
        let body = args.to_string();
        let request = format!(
            "POST /api/{command} HTTP/1.1\r\nHost: {DOMAIN}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let answer = TcpStream::connect(("127.0.0.1", self.ports.api))
            .and_then(|mut tcp| {
                tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
                tcp.write_all(request.as_bytes())?;
                let mut answer = Vec::new();
                tcp.read_to_end(&mut answer)?;
                Ok(answer)
            })
            .map_err(|e| format!("calling it over HTTP: {e}"))?;
        let answer = String::from_utf8_lossy(&answer);
        match answer.split_once("\r\n\r\n") {
            Some((head, body)) if head.starts_with("HTTP/1.1 200") => Ok(body.to_owned()),
            _ => Err(answer.into_owned()),
        }
    }

    /// Makes ejabberd start its SQL connection pool now; false while it cannot yet.
    ///
    /// ejabberd 23.01 starts the pool at the first query, and a query that comes while another
    /// is starting it fails: `ejabberd_sql_sup:is_started` is true before the pool's workers
    /// are. Two clients signing in at once to a fresh server got `not-authorized` for the right
    /// password (seen after a restart), two tests registering users at once an exception. One
    /// query from the harness the moment the HTTP API answers starts the pool before any client
    /// can get as far as authentication.
    pub(super) fn start_sql_pool(&self) -> bool {
        self.try_api("registered_users", &serde_json::json!({ "host": DOMAIN }))
            .is_ok()
    }
}
