//! The notification server the tests talk to: dunst on an Xvfb of its own, owning
//! org.freedesktop.Notifications on the private bus, and dbus-monitor reporting what reaches it.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Mutex, MutexGuard, PoisonError, mpsc};
use std::time::{Duration, Instant};

/// One notification server per bus: the tests that start one take turns.
static DESKTOP: Mutex<()> = Mutex::new(());

/// A `Notify` call as dbus-monitor saw it reach the server.
#[derive(Debug, Default)]
pub(super) struct NotifyCall {
    pub(super) app_name: String,
    pub(super) icon: String,
    pub(super) summary: String,
    pub(super) body: String,
    pub(super) actions: Vec<String>,
    /// Hint name and its value as dbus-monitor prints it (`string "im.natter.Natter"`).
    pub(super) hints: Vec<(String, String)>,
}

impl NotifyCall {
    pub(super) fn hint(&self, name: &str) -> Option<&str> {
        self.hints
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A child process that is killed when the test lets go of it, even on a failed assertion.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// dunst on its own X server, owning org.freedesktop.Notifications on the private bus, and a
/// dbus-monitor reporting each `Notify` call.
pub(super) struct Desktop {
    /// dunst's unique bus name: the controls go to this very process, never to a server the
    /// bus might start on demand.
    name: String,
    calls: mpsc::Receiver<NotifyCall>,
    /// One message for each client that has started listening for the answer to a
    /// notification (its match rule for NotificationClosed is in).
    listening: mpsc::Receiver<()>,
    dunst: Kill,
    _monitor: Kill,
    _xvfb: Kill,
    _dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl Desktop {
    pub(super) fn start() -> Desktop {
        let turn = DESKTOP.lock().unwrap_or_else(PoisonError::into_inner);
        let dir = tempfile::tempdir().expect("tmp");

        // Its own X server, so no window opens on the person's display: -displayfd prints the
        // display number once it accepts connections.
        let mut xvfb = Kill(
            Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "800x600x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb runs (tests/run installs xvfb)"),
        );
        let mut number = String::new();
        BufReader::new(xvfb.0.stdout.take().expect("stdout"))
            .read_line(&mut number)
            .expect("Xvfb reports its display");
        let display = format!(":{}", number.trim());
        assert!(display.len() > 1, "Xvfb did not start");

        // The monitor first: every call to the server is then seen, and every client that
        // starts listening for the server's signals.
        let mut monitor = Kill(
            Command::new("dbus-monitor")
                .args([
                    "--session",
                    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
                    "type='method_call',interface='org.freedesktop.DBus',member='AddMatch'",
                ])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("dbus-monitor runs (tests/run installs dbus-bin)"),
        );
        let (ready_tx, ready) = mpsc::channel();
        let (calls_tx, calls) = mpsc::channel();
        let (listening_tx, listening) = mpsc::channel();
        let out = monitor.0.stdout.take().expect("stdout");
        std::thread::spawn(move || watch(out, &ready_tx, &calls_tx, &listening_tx));
        ready
            .recv_timeout(Duration::from_secs(10))
            .expect("dbus-monitor became a monitor");

        // No popup ever expires on its own: the test closes them, so nothing races a timeout.
        // The format is the body alone, so the history shows how the body is rendered.
        let rc = dir.path().join("dunstrc");
        std::fs::write(
            &rc,
            "[global]\n    markup = full\n    format = \"%b\"\n    history_length = 100\n\
             [urgency_low]\n    timeout = 0\n[urgency_normal]\n    timeout = 0\n\
             [urgency_critical]\n    timeout = 0\n",
        )
        .expect("dunstrc written");
        let log = dir.path().join("dunst.log");
        let mut dunst = Kill(
            Command::new("dunst")
                .arg("-config")
                .arg(&rc)
                .env("DISPLAY", &display)
                .env_remove("WAYLAND_DISPLAY")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).expect("log file"))
                .spawn()
                .expect("dunst runs (tests/run installs it)"),
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(reply) = bus(
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                &["string:org.freedesktop.Notifications"],
            ) {
                assert_eq!(
                    reply.trim().strip_prefix("uint32 "),
                    Some(dunst.0.id().to_string().as_str()),
                    "another notification server owns the name on this bus"
                );
                break;
            }
            if let Ok(Some(status)) = dunst.0.try_wait() {
                panic!(
                    "dunst stopped ({status}): {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "dunst never took the name");
            std::thread::sleep(Duration::from_millis(50));
        }
        let name = bus(
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetNameOwner",
            &["string:org.freedesktop.Notifications"],
        )
        .and_then(|r| string_value(r.trim()))
        .expect("dunst's unique name");

        Desktop {
            name,
            calls,
            listening,
            dunst,
            _monitor: monitor,
            _xvfb: xvfb,
            _dir: dir,
            _turn: turn,
        }
    }

    /// The next `Notify` call the server received, once its sender listens for the answer (a
    /// click or a close before that would go unheard, and the sender would wait for ever).
    pub(super) fn next_call(&self) -> NotifyCall {
        let call = self
            .calls
            .recv_timeout(Duration::from_secs(10))
            .expect("the notification server received a Notify call");
        self.listening
            .recv_timeout(Duration::from_secs(10))
            .expect("the sender listens for the notification's answer");
        call
    }

    /// A click on the notification shown (dunst's "do action" on the first popup), once dunst
    /// shows it: it queues a new notification before it displays it.
    pub(super) fn click(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let reply = self.dunst_call(
                "org.freedesktop.DBus.Properties.Get",
                &["string:org.dunstproject.cmd0", "string:displayedLength"],
            );
            if reply.split_whitespace().last() != Some("0") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "dunst never showed the notification"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.dunst_call("org.dunstproject.cmd0.NotificationAction", &["uint32:0"]);
    }

    /// Closes every popup, as a person dismissing them would.
    pub(super) fn close_all(&self) {
        self.dunst_call("org.dunstproject.cmd0.NotificationCloseAll", &[]);
    }

    /// What the server says it can do (GetCapabilities).
    pub(super) fn capabilities(&self) -> Vec<String> {
        self.dunst_call("org.freedesktop.Notifications.GetCapabilities", &[])
            .lines()
            .filter_map(|l| string_value(l.trim()))
            .collect()
    }

    /// The bodies of closed notifications as dunst rendered them, newest first, in the words a
    /// person reads (markup applied: tags gone, entities decoded).
    pub(super) fn shown(&self) -> Vec<String> {
        let reply = self.dunst_call("org.dunstproject.cmd0.NotificationListHistory", &[]);
        let mut lines = reply.lines().map(str::trim);
        let mut shown = Vec::new();
        while let Some(line) = lines.next() {
            if line == r#"string "message""# {
                let value = lines
                    .next()
                    .and_then(|l| l.strip_prefix("variant"))
                    .and_then(|l| string_value(l.trim()))
                    .expect("a rendered message");
                shown.push(visible(&value));
            }
        }
        shown
    }

    fn dunst_call(&self, method: &str, args: &[&str]) -> String {
        bus(&self.name, "/org/freedesktop/Notifications", method, args)
            .unwrap_or_else(|| panic!("dunst answers {method}"))
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // Closing answers every waiting `notify::show`, so no thread is left listening.
        if matches!(self.dunst.0.try_wait(), Ok(None)) {
            let _ = bus(
                &self.name,
                "/org/freedesktop/Notifications",
                "org.dunstproject.cmd0.NotificationCloseAll",
                &[],
            );
        }
    }
}

/// One method call with dbus-send on the session bus: the reply's values as printed (without
/// the header line), or `None` on an error.
fn bus(dest: &str, path: &str, method: &str, args: &[&str]) -> Option<String> {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            &format!("--dest={dest}"),
            path,
            method,
        ])
        .args(args)
        .output()
        .expect("dbus-send runs");
    let reply = String::from_utf8_lossy(&out.stdout);
    out.status.success().then(|| {
        reply
            .split_once('\n')
            .map_or("", |(_, values)| values)
            .to_owned()
    })
}

/// The text of a `string "…"` line as dbus-monitor and dbus-send print it (unescaped, so the
/// tests send no line breaks).
fn string_value(line: &str) -> Option<String> {
    line.strip_prefix("string \"")?
        .strip_suffix('"')
        .map(str::to_owned)
}

/// Reads dbus-monitor's output: says when it has become a monitor, then sends each `Notify`
/// call once its eight arguments are in, and says when a client adds a match rule for
/// NotificationClosed (notify-rust does once the server took the notification).
fn watch(
    out: ChildStdout,
    ready: &mpsc::Sender<()>,
    calls: &mpsc::Sender<NotifyCall>,
    listening: &mpsc::Sender<()>,
) {
    // Top-level arguments, each with the lines of its array when it is one.
    let mut call: Option<Vec<(String, Vec<String>)>> = None;
    let mut in_array = false;
    let mut add_match = false;
    for line in BufReader::new(out).lines() {
        let Ok(line) = line else { return };
        if !line.starts_with(' ') {
            // A message header: the monitor's own name is lost once it monitors.
            if line.contains("member=NameLost") {
                let _ = ready.send(());
            }
            let method = line.starts_with("method call");
            call = (method && line.contains("member=Notify")).then(Vec::new);
            add_match = method && line.contains("member=AddMatch");
            in_array = false;
            continue;
        }
        if add_match {
            add_match = false;
            if line.contains("member='NotificationClosed'") {
                let _ = listening.send(());
            }
            continue;
        }
        let Some(args) = call.as_mut() else { continue };
        match line.strip_prefix("   ").filter(|l| !l.starts_with(' ')) {
            Some("]") => in_array = false,
            Some("array [") => {
                args.push((String::from("array"), Vec::new()));
                in_array = true;
            }
            Some(scalar) => args.push((scalar.to_owned(), Vec::new())),
            None if in_array => {
                if let Some((_, items)) = args.last_mut() {
                    items.push(line.trim().to_owned());
                }
            }
            None => {}
        }
        if args.len() == 8
            && !in_array
            && let Some(args) = call.take()
        {
            let _ = calls.send(notify_call(args));
        }
    }
}

/// Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout).
fn notify_call(args: Vec<(String, Vec<String>)>) -> NotifyCall {
    let text = |i: usize| string_value(&args[i].0).unwrap_or_else(|| args[i].0.clone());
    let mut hints = Vec::new();
    let mut items = args[6].1.iter();
    while let Some(item) = items.next() {
        if item == "dict entry(" {
            let name = items
                .next()
                .and_then(|n| string_value(n))
                .unwrap_or_default();
            let value = items
                .next()
                .and_then(|v| v.strip_prefix("variant"))
                .map(|v| v.trim().to_owned())
                .unwrap_or_default();
            hints.push((name, value));
        }
    }
    NotifyCall {
        app_name: text(0),
        icon: text(2),
        summary: text(3),
        body: text(4),
        actions: args[5].1.iter().filter_map(|a| string_value(a)).collect(),
        hints,
    }
}

/// Pango markup as the words it shows: tags dropped, entities decoded.
fn visible(markup: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
