//! A TCP proxy between Natter and a test server that can fail on command: cut every open
//! connection, blackhole it (stop forwarding but keep both sockets open: a half-open
//! connection), or swallow what the client sends. Connections opened afterwards are forwarded
//! normally, as a network that came back would.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// What an open connection does now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Forward,
    /// Close both sides.
    Cut,
    /// Read nothing, write nothing, close nothing.
    Blackhole,
    /// Forward the server's bytes; read and drop the client's.
    SwallowClient,
}

/// A running proxy on a loopback port. Dropping it closes every connection.
pub struct Proxy {
    port: u16,
    conns: Arc<Mutex<Vec<watch::Sender<Mode>>>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards every connection to `127.0.0.1:upstream`.
    /// It runs on its own thread and runtime, so it works under any test.
    pub fn start(upstream: u16) -> Proxy {
        let std_listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .expect("the proxy binds a loopback port");
        std_listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = std_listener.local_addr().expect("a local address").port();
        let conns: Arc<Mutex<Vec<watch::Sender<Mode>>>> = Arc::default();
        let (stop, stopped) = oneshot::channel::<()>();
        let shared = Arc::clone(&conns);
        let thread = std::thread::Builder::new()
            .name("faults-proxy".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("the proxy's runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("tokio listener");
                    let upstream = SocketAddr::from((Ipv4Addr::LOCALHOST, upstream));
                    tokio::pin!(stopped);
                    loop {
                        tokio::select! {
                            _ = &mut stopped => return,
                            accepted = listener.accept() => {
                                let Ok((client, _)) = accepted else { continue };
                                let (tx, rx) = watch::channel(Mode::Forward);
                                shared.lock().expect("proxy lock").push(tx);
                                tokio::spawn(pump(client, upstream, rx));
                            }
                        }
                    }
                });
                // Dropping the runtime drops every connection task and so closes its sockets.
            })
            .expect("the proxy thread starts");
        Proxy {
            port,
            conns,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The port Natter connects to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How many connections were accepted so far.
    pub fn accepted(&self) -> usize {
        self.conns.lock().expect("proxy lock").len()
    }

    /// Closes both sides of every open connection.
    pub fn cut(&self) {
        self.set(Mode::Cut);
    }

    /// Stops forwarding on every open connection without closing it.
    pub fn blackhole(&self) {
        self.set(Mode::Blackhole);
    }

    /// Forwards again on every open connection (after [`blackhole`](Self::blackhole): a
    /// stall rather than a loss, since the bytes waited in the sockets).
    pub fn resume(&self) {
        self.set(Mode::Forward);
    }

    /// From now on, what the client sends on the open connections never reaches the server.
    pub fn swallow_client(&self) {
        self.set(Mode::SwallowClient);
    }

    fn set(&self, mode: Mode) {
        for conn in self.conns.lock().expect("proxy lock").iter() {
            // A connection that ended already has no receiver: nothing to do.
            let _ = conn.send(mode);
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Forwards one connection until either side closes or the mode says otherwise.
async fn pump(client: TcpStream, upstream: SocketAddr, mut mode: watch::Receiver<Mode>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut client_rx, mut client_tx) = client.into_split();
    let (mut server_rx, mut server_tx) = server.into_split();
    let mut up = vec![0u8; 16 * 1024];
    let mut down = vec![0u8; 16 * 1024];
    loop {
        let now = *mode.borrow_and_update();
        match now {
            Mode::Cut => return,
            Mode::Blackhole => {
                // Hold both sockets open and touch neither until told otherwise.
                if mode.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
                continue;
            }
            Mode::Forward | Mode::SwallowClient => {}
        }
        tokio::select! {
            changed = mode.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            read = client_rx.read(&mut up) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) if now == Mode::Forward => {
                    if server_tx.write_all(&up[..n]).await.is_err() {
                        return;
                    }
                }
                Ok(_) => {}
            },
            read = server_rx.read(&mut down) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if client_tx.write_all(&down[..n]).await.is_err() {
                        return;
                    }
                }
            },
        }
    }
}
