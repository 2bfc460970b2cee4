//! A TCP proxy that holds every chunk for a fixed time in each direction, like a distant server:
//! 100 ms each way is a round trip of 200 ms. Chunks keep their order and their boundaries, and
//! each is logged (when the proxy read it, which way, how many bytes), so a login can be read
//! back as the flights each side sent before it had to wait for the other.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// Which way a chunk went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// From the client to the server.
    Up,
    /// From the server to the client.
    Down,
}

/// One chunk as the proxy read it.
#[derive(Debug, Clone, Copy)]
pub struct Chunk {
    /// Since the proxy accepted the connection.
    pub at: Duration,
    pub way: Way,
    pub bytes: usize,
}

/// Consecutive chunks the same way: what one side sent before it waited for the other.
#[derive(Debug, Clone, Copy)]
pub struct Flight {
    pub at: Duration,
    pub way: Way,
    pub chunks: usize,
    pub bytes: usize,
}

/// A proxy on a loopback port for one connection at a time (each logged on its own).
pub struct DelayProxy {
    pub port: u16,
    log: Arc<Mutex<Vec<Chunk>>>,
    accepted: Arc<Mutex<Option<Instant>>>,
}

impl DelayProxy {
    /// Listens on a free loopback port and forwards every connection to `127.0.0.1:upstream`,
    /// each chunk `delay` later. Runs on the caller's runtime.
    pub async fn start(upstream: u16, delay: Duration) -> DelayProxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("the proxy binds a loopback port");
        let port = listener.local_addr().expect("a local address").port();
        let log: Arc<Mutex<Vec<Chunk>>> = Arc::default();
        let accepted: Arc<Mutex<Option<Instant>>> = Arc::default();
        let shared = Arc::clone(&log);
        let when = Arc::clone(&accepted);
        tokio::spawn(async move {
            let upstream = SocketAddr::from((Ipv4Addr::LOCALHOST, upstream));
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(upstream).await else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                let started = Instant::now();
                shared.lock().expect("log").clear();
                *when.lock().expect("accepted") = Some(started);
                let (client_rx, client_tx) = client.into_split();
                let (server_rx, server_tx) = server.into_split();
                let log = Arc::clone(&shared);
                tokio::spawn(carry(client_rx, server_tx, Way::Up, delay, started, log));
                let log = Arc::clone(&shared);
                tokio::spawn(carry(server_rx, client_tx, Way::Down, delay, started, log));
            }
        });
        DelayProxy {
            port,
            log,
            accepted,
        }
    }

    /// When the last connection was accepted.
    pub fn accepted(&self) -> Option<Instant> {
        *self.accepted.lock().expect("accepted")
    }

    /// The last connection's chunks read before `until` (since it was accepted), grouped into
    /// flights.
    pub fn flights_until(&self, until: Duration) -> Vec<Flight> {
        let chunks = self.log.lock().expect("log").clone();
        let mut flights: Vec<Flight> = Vec::new();
        for chunk in chunks.into_iter().filter(|c| c.at <= until) {
            match flights.last_mut() {
                Some(f) if f.way == chunk.way => {
                    f.chunks += 1;
                    f.bytes += chunk.bytes;
                }
                _ => flights.push(Flight {
                    at: chunk.at,
                    way: chunk.way,
                    chunks: 1,
                    bytes: chunk.bytes,
                }),
            }
        }
        flights
    }
}

/// One direction: read a chunk, log it, write it `delay` after it was read. The reading goes
/// on meanwhile, so a chunk read during another's delay is not held longer.
async fn carry(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    way: Way,
    delay: Duration,
    started: Instant,
    log: Arc<Mutex<Vec<Chunk>>>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(tokio::time::Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        while let Some((due, bytes)) = rx.recv().await {
            tokio::time::sleep_until(due).await;
            if to.write_all(&bytes).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                log.lock().expect("log").push(Chunk {
                    at: started.elapsed(),
                    way,
                    bytes: n,
                });
                let due = tokio::time::Instant::now() + delay;
                if tx.send((due, buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        }
    }
    drop(tx);
    let _ = writer.await;
}
