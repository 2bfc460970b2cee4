//! The real window, used as a person uses it: the `natter` binary on an X server of its own
//! (Xvfb, no window manager), typed into and clicked with xdotool, checked by what a peer — a
//! second account driven through the library — receives. A failing test keeps a screenshot of
//! the screen (its path is in the failure message) and prints the end of the window's log.
//!
//! These catch what the headless Simulator cannot: which widget really has the keyboard after a
//! click, a shortcut or a dialog. They run against Prosody only: the window's behaviour does
//! not depend on the server.

use crate::j;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use iced::{Settings, Size};
use iced_test::Simulator;
use natter::app::{App, Message};
use natter::model::{Show, Subscription};
use natter::session::{Command as Cmd, Event, Update};
use natter::store::Store;

use crate::client::{Client, account};
use crate::support::{Kind, Server};

/// The window's size as `natter::app` opens it.
const WINDOW: Size = Size::new(1000.0, 680.0);
/// How long one expected change may take on a loaded two-core machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// A child process killed when the test lets go of it.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An X server of the test's own, so keys typed here never reach another window (or another
/// test's: each has its own screen and its own keyboard focus).
struct Screen {
    display: String,
    _xvfb: Kill,
}

impl Screen {
    fn start() -> Screen {
        use std::io::Read;
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts (tests/run installs it)");
        // -displayfd writes the display number once the server accepts connections.
        let mut number = String::new();
        let mut out = child.stdout.take().expect("Xvfb's stdout");
        let mut byte = [0u8; 1];
        while out.read(&mut byte).map(|n| n == 1).unwrap_or(false) && byte[0] != b'\n' {
            number.push(char::from(byte[0]));
        }
        assert!(!number.is_empty(), "Xvfb did not say which display it took");
        Screen {
            display: format!(":{}", number.trim()),
            _xvfb: Kill(child),
        }
    }

    /// An X tool run on this screen; its output, or the failure.
    fn run(&self, program: &str, args: &[&str]) -> Result<String, String> {
        let out = Command::new(program)
            .args(args)
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{program} did not run (tests/run installs it): {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(format!(
                "{program} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

/// The `natter` window on a screen of its own, with its own data directory.
struct Window {
    id: String,
    /// Device pixels per logical pixel of the layout.
    scale: f32,
    name: &'static str,
    log: PathBuf,
    started: Instant,
    _natter: Kill,
    screen: Screen,
}

impl Window {
    /// Starts the window on `data` (with `password` in NATTER_PASSWORD when given), gives it
    /// the keyboard and waits until it has drawn itself.
    fn open(name: &'static str, server: &Server, data: &Path, password: Option<&str>) -> Window {
        let started = Instant::now();
        let screen = Screen::start();
        let log = data.join("window.log");
        let mut natter = Command::new(env!("CARGO_BIN_EXE_natter"));
        natter
            .env("DISPLAY", &screen.display)
            .env("NATTER_DATA_DIR", data)
            .env("XDG_RUNTIME_DIR", data)
            .env("ICED_BACKEND", "tiny-skia")
            .env("SSL_CERT_FILE", server.ca_file())
            .env("LANGUAGE", "en")
            .env("RUST_LOG", "natter=debug,warn")
            // No session bus: the window never reaches a keyring or a notification server
            // that is not the test's.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("NATTER_PASSWORD")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("the window's log file"));
        if let Some(password) = password {
            natter.env("NATTER_PASSWORD", password);
        }
        let natter = Kill(natter.spawn().expect("the natter binary starts"));
        let mut window = Window {
            id: String::new(),
            scale: 1.0,
            name,
            log,
            started,
            _natter: natter,
            screen,
        };
        window.id = window.until("the window is shown", |w| {
            w.screen
                .run("xdotool", &["search", "--onlyvisible", "--name", "Natter$"])
                .ok()
                .and_then(|ids| ids.lines().next().map(str::to_owned))
        });
        let width = window.until("the window's size", |w| {
            let geometry = w
                .screen
                .run("xdotool", &["getwindowgeometry", "--shell", &w.id])
                .ok()?;
            geometry
                .lines()
                .find_map(|l| l.strip_prefix("WIDTH="))
                .and_then(|v| v.parse::<f32>().ok())
        });
        window.scale = width / WINDOW.width;
        // No window manager gives it the focus: the test does, as a click on it would.
        window.xdotool(&["windowfocus", "--sync", &window.id.clone()]);
        // Drawn: more than a handful of colours on it.
        window.until("the window draws itself", |w| {
            let colours = w
                .screen
                .run("import", &["-window", &w.id, "-format", "%k", "info:"])
                .ok()?;
            (colours.parse::<u32>().ok()? > 16).then_some(())
        });
        window
    }

    /// Polls `check` until it gives something, or fails the test with a screenshot.
    fn until<T>(&self, what: &str, mut check: impl FnMut(&Window) -> Option<T>) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(found) = check(self) {
                return found;
            }
            if Instant::now() > deadline {
                self.fail(&format!("{what}: not within {PATIENCE:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn xdotool(&self, args: &[&str]) {
        if let Err(e) = self.screen.run("xdotool", args) {
            self.fail(&e);
        }
    }

    /// Types `text` as keystrokes.
    fn type_text(&self, text: &str) {
        self.xdotool(&["type", "--delay", "15", text]);
    }

    /// Presses a key combination (`ctrl+k`, `alt+Down`, `Return`).
    fn key(&self, keys: &str) {
        self.xdotool(&["key", "--clearmodifiers", keys]);
    }

    /// A key that opens another conversation, then the glance a person gives the window
    /// before typing into it. Typed at once, on a loaded machine the first characters can
    /// still land before the composer has the keyboard (iced hands the app its messages
    /// after the widgets' own); without the pause the tests fail 1 run in 3 with two other
    /// builds on the machine's two cores, and pass every time on a quiet one.
    fn key_and_glance(&self, keys: &str) {
        self.key(keys);
        std::thread::sleep(Duration::from_millis(300));
    }

    /// A left click at a point of the layout (logical pixels from the window's corner).
    fn click(&self, at: iced::Point) {
        let (x, y) = (
            (at.x * self.scale).round().to_string(),
            (at.y * self.scale).round().to_string(),
        );
        self.xdotool(&["mousemove", "--window", &self.id, &x, &y, "click", "1"]);
    }

    /// The colour of the pixel at `at` (layout coordinates), as `#RRGGBB`.
    fn pixel(&self, at: iced::Point) -> Option<String> {
        let crop = format!(
            "1x1+{}+{}",
            (at.x * self.scale).floor(),
            (at.y * self.scale).floor()
        );
        let out = self
            .screen
            .run(
                "import",
                &["-window", &self.id, "-crop", &crop, "-depth", "8", "txt:-"],
            )
            .ok()?;
        out.split_whitespace()
            .find(|w| w.starts_with('#') && w.len() == 7)
            .map(str::to_owned)
    }

    /// Waits until the field at `field` has the keyboard: its border has `focused`, the colour
    /// of a focused field's border.
    fn until_focused(&self, what: &str, field: iced::Rectangle, focused: &str) {
        let border = iced::Point::new(field.x + 0.5, field.center_y());
        self.until(&format!("{what} has the keyboard"), |w| {
            (w.pixel(border)? == focused).then_some(())
        });
    }

    fn title(&self) -> String {
        self.screen
            .run("xdotool", &["getwindowname", &self.id])
            .unwrap_or_default()
    }

    /// Waits until the title is `title`.
    fn until_titled(&self, title: &str) {
        self.until(&format!("the title “{title}”"), |w| {
            (w.title() == title).then_some(())
        });
    }

    /// Keeps a screenshot of the whole screen, prints where, and the end of the window's log.
    fn keep_evidence(&self, why: &str) -> String {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("window-tests");
        let _ = std::fs::create_dir_all(&dir);
        let shot = dir.join(format!("{}.png", self.name));
        let path = shot.display().to_string();
        let saved = match self.screen.run("import", &["-window", "root", &path]) {
            Ok(_) => format!("screenshot: {path}"),
            Err(e) => format!("no screenshot: {e}"),
        };
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "{why}\n{saved}\ntitle: “{}”\n--- end of the window's log ---\n{}",
            self.title(),
            tail.join("\n")
        )
    }

    fn fail(&self, why: &str) -> ! {
        panic!("{}", self.keep_evidence(why));
    }

    /// Waits for `peer` to get an event, failing with the window's evidence if it does not.
    /// Types `text` into the open composer and sends it with Enter; `peer` receives it.
    async fn send_to(&self, peer: &mut Client, what: &str, text: &'static str) {
        self.type_text(text);
        self.key("Return");
        self.peer_gets(peer, what, said(text)).await;
    }

    async fn peer_gets(&self, peer: &mut Client, what: &str, pred: impl Fn(&Event) -> bool) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if peer.seen.iter().any(&pred) {
                return;
            }
            match tokio::time::timeout_at(deadline, peer.events.recv()).await {
                Ok(Some(e)) => peer.seen.push(e),
                _ => self.fail(&format!("{} never got {what}", peer.jid)),
            }
        }
    }

    /// Waits until `peer` (who sees the account's presence) sees the window online.
    async fn online_for(&self, peer: &mut Client, me: &str) {
        let me = format!("{me}/");
        self.peer_gets(peer, "the window's presence", move |e| {
            matches!(e, Event::Presence { jid, show, .. }
                if jid.as_str().starts_with(&me) && *show != Show::Unavailable)
        })
        .await;
    }

    /// How long the window has been open, for the test's report.
    fn report(&self, test: &str) {
        eprintln!(
            "{test}: done {:.1} s after the window started",
            self.started.elapsed().as_secs_f32()
        );
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.keep_evidence("the test failed"));
        }
    }
}

/// `text` arrived at `peer` as a chat message.
fn said(text: &'static str) -> impl Fn(&Event) -> bool {
    move |e| matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == text))
}

/// Both see each other's presence: `a` adds `b` (pre-approving them), `b` accepts and adds `a`.
async fn befriend(a: &mut Client, b: &mut Client, b_name: &str) {
    a.send(Cmd::Add {
        jid: j(&b.jid.clone()),
        name: Some(b_name.to_owned()),
        groups: vec![],
        message: None,
        share_presence: true,
    });
    b.wait("the request", |e| {
        matches!(e, Event::SubscriptionRequest(_))
    })
    .await;
    b.send(Cmd::Accept {
        jid: j(&a.jid.clone()),
    });
    b.send(Cmd::Add {
        jid: j(&a.jid.clone()),
        name: None,
        groups: vec![],
        message: None,
        share_presence: true,
    });
    let (aj, bj) = (a.jid.clone(), b.jid.clone());
    a.saw("both ways", |e| {
        matches!(e, Event::RosterPush(i) if i.jid.as_str() == bj && i.subscription == Subscription::Both)
    })
    .await;
    b.saw("both ways", |e| {
        matches!(e, Event::RosterPush(i) if i.jid.as_str() == aj && i.subscription == Subscription::Both)
    })
    .await;
}

/// An account whose store is the window's: its roster made through the library, then the
/// library's session ended so that the window signs in alone.
struct Desk {
    dir: tempfile::TempDir,
    jid: String,
    password: String,
}

impl Desk {
    /// `name`'s account with `friends` (each `(client, name)`) in its roster, both ways.
    async fn with_friends(
        server: &Server,
        name: &str,
        friends: &mut [(&mut Client, &str)],
    ) -> Desk {
        let (jid, password) = server.create_user(name);
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("natter.sqlite3");
        let mut me = Client::start_with(server, &jid, &password, "desk", db).await;
        me.wait("online", |e| matches!(e, Event::Online { .. }))
            .await;
        for (friend, friend_name) in friends.iter_mut() {
            befriend(&mut me, friend, friend_name).await;
        }
        me.quit().await;
        natter::store::wait_for_closing(Duration::from_secs(5));
        Desk { dir, jid, password }
    }

    /// Where `text` is drawn in the signed-in window (online, `online` contacts available),
    /// laid out by the same view code at the window's size.
    async fn position_of(&self, server: &Server, text: &str, online: &[&str]) -> iced::Point {
        self.position_after(server, text, online, |_| {}).await
    }

    /// Where `text` is drawn once `prepare` has done its part in the window (opened a
    /// conversation, say).
    async fn position_after(
        &self,
        server: &Server,
        text: &str,
        online: &[&str],
        prepare: impl FnOnce(&mut App),
    ) -> iced::Point {
        let store = Store::open(&self.dir.path().join("natter.sqlite3")).expect("the store");
        let mut acc = account(server, &self.jid, Some("desk"));
        acc.is_default = true;
        let mut app = App::with_store(store, Some(acc), Some(self.password.clone())).await;
        let generation = app.session_key().expect("signed in").generation;
        let mut event = |e| {
            let _ = app.update(Message::Session(Update::Event(generation, e)));
        };
        event(Event::Online {
            jid: crate::full(&format!("{}/desk", self.jid)),
            resumed: false,
            elapsed_ms: 1,
        });
        for jid in online {
            event(Event::Presence {
                jid: crate::full(&format!("{jid}/phone")),
                show: Show::Available,
                status: String::new(),
                priority: 0,
                idle_since: None,
            });
        }
        prepare(&mut app);
        let point = Simulator::with_size(Settings::default(), WINDOW, app.view())
            .find(text)
            .unwrap_or_else(|e| panic!("“{text}” is not in the window: {e:?}"))
            .visible_bounds()
            .expect("visible")
            .center();
        drop(app);
        natter::store::wait_for_closing(Duration::from_secs(5));
        point
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_start_signs_in_by_typing_alone() {
    let server = Server::start(Kind::Prosody);
    let (b, bpw) = server.create_user("bob");
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    // Typist's roster is made beforehand elsewhere; the window starts with nothing stored.
    let typist = Desk::with_friends(&server, "typist", &mut [(&mut bob, "Bob")]).await;
    let fresh = tempfile::tempdir().expect("tmp");
    bob.drain_for(Duration::from_millis(200)).await;
    bob.seen.clear();

    // Where the form's fields are, with the advanced settings open.
    let mut form = natter::screen::login::State::new(None, true);
    let _ = form.update(natter::screen::login::Message::ToggleAdvanced);
    let mut layout = Simulator::with_size(Settings::default(), WINDOW, form.view());
    let mut field = |id: iced::widget::Id| {
        layout
            .find(iced_test::selector::id(id))
            .expect("a field of the form")
            .visible_bounds()
            .expect("on screen")
    };
    use natter::screen::login::{host_id, jid_id, password_id, port_id};
    let (jid, password, host, port) = (
        field(jid_id()),
        field(password_id()),
        field(host_id()),
        field(port_id()),
    );

    let window = Window::open("sign-in", &server, fresh.path(), None);
    // The address field has the keyboard from the start: its border shows how a field with
    // the keyboard looks, to know when Tab has moved it (keys typed before that would go to
    // the field before).
    let focused = window.until("the address field's border", |w| {
        w.pixel(iced::Point::new(jid.x + 0.5, jid.center_y()))
    });
    window.key("ctrl+d"); // the advanced settings, for the test server's address
    window.type_text(&typist.jid);
    window.key("Tab");
    window.until_focused("the password field", password, &focused);
    window.type_text(&typist.password);
    window.key("ctrl+r"); // no keyring here: do not try to remember
    window.key("Tab");
    window.until_focused("the host field", host, &focused);
    window.type_text("127.0.0.1");
    window.key("Tab");
    window.until_focused("the port field", port, &focused);
    window.type_text(&server.port().to_string());
    window.key("Return");

    window.online_for(&mut bob, &typist.jid).await;
    window.report("sign in by typing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_on_a_contact_and_typing_alone_sends_the_reply() {
    let server = Server::start(Kind::Prosody);
    let (b, bpw) = server.create_user("bob");
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    let alice = Desk::with_friends(&server, "alice", &mut [(&mut bob, "Bob")]).await;
    let bob_row = alice.position_of(&server, "Bob", &[&b]).await;

    let window = Window::open("click", &server, alice.dir.path(), Some(&alice.password));
    bob.say(&alice.jid, "Hi Alice, lunch?");
    // The unread count in the title: online, and the message is in.
    window.until_titled("(1) Natter");
    window.click(bob_row);
    window.send_to(&mut bob, "the reply", "Yes, at noon").await;
    window.until_titled("Natter");
    window.report("click and reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alt_down_goes_from_one_conversation_to_the_next_and_replies_go_to_each() {
    let server = Server::start(Kind::Prosody);
    let (b, bpw) = server.create_user("bob");
    let (c, cpw) = server.create_user("carol");
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    let mut carol = Client::online(&server, &c, &cpw, "phone").await;
    let alice = Desk::with_friends(
        &server,
        "alice",
        &mut [(&mut bob, "Bob"), (&mut carol, "Carol")],
    )
    .await;

    let window = Window::open("alt-down", &server, alice.dir.path(), Some(&alice.password));
    // Online, so Bob's and Carol's presence reached it before Carol's message below.
    window.online_for(&mut bob, &alice.jid).await;
    carol.say(&alice.jid, "Are you there?");
    window.until_titled("(1) Natter");
    // Online contacts by name: Bob first, then Carol.
    window.key_and_glance("alt+Down");
    window.send_to(&mut bob, "his message", "to bob").await;
    window.key_and_glance("alt+Down");
    window.send_to(&mut carol, "her message", "to carol").await;
    assert!(
        !bob.seen.iter().any(said("to carol")),
        "Carol's message went to Carol only"
    );
    window.report("Alt+Down and reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_k_finds_a_contact_by_typing_and_the_reply_goes_to_them() {
    let server = Server::start(Kind::Prosody);
    let (b, bpw) = server.create_user("bob");
    let (c, cpw) = server.create_user("carol");
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    let mut carol = Client::online(&server, &c, &cpw, "phone").await;
    let alice = Desk::with_friends(
        &server,
        "alice",
        &mut [(&mut bob, "Bob"), (&mut carol, "Carol Shaw")],
    )
    .await;

    let window = Window::open("ctrl-k", &server, alice.dir.path(), Some(&alice.password));
    bob.say(&alice.jid, "ping");
    window.until_titled("(1) Natter");
    window.key("ctrl+k");
    window.type_text("sha");
    window.key_and_glance("Return");
    window.send_to(&mut carol, "the message", "found you").await;
    window.report("Ctrl+K and reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_approved_with_the_keyboard() {
    let server = Server::start(Kind::Prosody);
    let (b, bpw) = server.create_user("bob");
    let (d, dpw) = server.create_user("dave");
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    let mut dave = Client::online(&server, &d, &dpw, "phone").await;
    let alice = Desk::with_friends(&server, "alice", &mut [(&mut bob, "Bob")]).await;

    let window = Window::open("request", &server, alice.dir.path(), Some(&alice.password));
    window.online_for(&mut bob, &alice.jid).await;
    dave.send(Cmd::Add {
        jid: j(&alice.jid.clone()),
        name: Some("Alice".into()),
        groups: vec![],
        message: Some("Hi, it's Dave".into()),
        share_presence: true,
    });
    let me = alice.jid.clone();
    dave.wait(
        "his request on the way",
        move |e| matches!(e, Event::RosterPush(i) if i.jid.as_str() == me && i.ask),
    )
    .await;
    // A message after the request: when the title counts it, the request is in too.
    bob.say(&alice.jid, "Dave is asking for you");
    window.until_titled("(1) Natter");

    window.key("ctrl+r");
    window.key("Return"); // approve, and ask to see his presence
    let me = alice.jid.clone();
    window
        .peer_gets(
            &mut dave,
            "the approval",
            move |e| matches!(e, Event::RosterPush(i) if i.jid.as_str() == me && i.subscription.sees_them()),
        )
        .await;
    // "Approve and add" asked to see his presence back; his request had pre-approved her, so
    // the server answers for him: both ways.
    let me = alice.jid.clone();
    window
        .peer_gets(&mut dave, "her request back", move |e| {
            matches!(e, Event::RosterPush(i) if i.jid.as_str() == me && i.subscription == Subscription::Both)
        })
        .await;
    window.report("approve a request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_up_and_up_select_a_message_and_r_replies_to_it() {
    let server = Server::start(Kind::Prosody);
    let (b, bpw) = server.create_user("bob");
    let mut bob = Client::online(&server, &b, &bpw, "phone").await;
    let alice = Desk::with_friends(&server, "alice", &mut [(&mut bob, "Bob")]).await;
    let bob_row = alice.position_of(&server, "Bob", &[&b]).await;

    // Where Bob's second question is drawn once his conversation is open, and a point of the
    // history beside it where nothing is.
    let (me, bob_jid) = (j(&alice.jid), j(&b));
    let second = alice
        .position_after(&server, "Or at one?", &[&b], |app| {
            let page = ["Lunch at noon?", "Or at one?"]
                .iter()
                .zip(1_i64..)
                .map(|(body, n)| {
                    let id = natter::model::MessageId::new(format!("q{n}")).expect("an id");
                    let mut m = natter::model::ChatMessage::outbound(
                        me.clone(),
                        bob_jid.clone(),
                        (*body).into(),
                        id,
                        natter::model::now_millis() + n,
                    );
                    m.direction = natter::model::Direction::In;
                    m.local_id = n;
                    m
                })
                .collect();
            let _ = app.update(Message::Roster(natter::screen::roster::Message::Select(
                bob_jid.clone(),
            )));
            let _ = app.update(Message::History {
                peer: bob_jid.clone(),
                page,
            });
        })
        .await;
    let beside = iced::Point::new(second.x + 300.0, second.y);

    let window = Window::open("select", &server, alice.dir.path(), Some(&alice.password));
    let lunch = bob.say(&alice.jid, "Lunch at noon?");
    window.until_titled("(1) Natter");
    bob.say(&alice.jid, "Or at one?");
    window.until_titled("(2) Natter");
    window.click(bob_row);
    // The history is read from the store after the click: the keys wait until it is drawn.
    window.until("Bob's messages drawn", |w| {
        (w.pixel(second)? != w.pixel(beside)?).then_some(())
    });
    // The newest, then the one before it: the first question.
    window.key_and_glance("ctrl+Up");
    window.key_and_glance("Up");
    window.key_and_glance("r");
    window.type_text("noon is fine");
    window.key("Return");
    window
        .peer_gets(&mut bob, "the reply to the first question", move |e| {
            matches!(e, Event::Messages(m) if m.iter().any(|m| m.body == "noon is fine"
                && m.extras.reply_to.as_ref().is_some_and(|r| r.id == lunch)))
        })
        .await;
    window.report("select with the keyboard and reply");
}
