//! Free loopback ports for the test servers, never handed to two servers of this process.

use std::collections::BTreeSet;
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::os;

fn taken() -> MutexGuard<'static, BTreeSet<u16>> {
    static TAKEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    // A test that panicked while holding the lock left the set intact: keep using it.
    TAKEN
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `N` free loopback ports, not handed to another server of this process until
/// [`release`]d.
///
/// They are picked below the kernel's ephemeral range, so an outgoing connection of some test
/// cannot take one as its local port while a server is stopped between two runs.
pub fn reserve<const N: usize>() -> [u16; N] {
    let (low, high) = range();
    let mut taken = taken();
    let mut picked = [0u16; N];
    let mut found = 0;
    for _ in 0..1000 {
        let n = u64::from_str_radix(&os::random_hex(4), 16).expect("hex");
        let port = u16::try_from(u64::from(low) + n % u64::from(high - low)).expect("in range");
        if taken.contains(&port) || picked[..found].contains(&port) {
            continue;
        }
        if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok() {
            picked[found] = port;
            found += 1;
            if found == N {
                taken.extend(picked);
                return picked;
            }
        }
    }
    panic!("found no {N} free loopback ports in {low}..{high}");
}

/// Hands `ports` back for other servers.
pub fn release(ports: &[u16]) {
    let mut taken = taken();
    for port in ports {
        taken.remove(port);
    }
}

/// Whether every one of `ports` on 127.0.0.1 accepts a connection.
pub fn accept(ports: &[u16]) -> bool {
    ports.iter().all(|&port| {
        TcpStream::connect_timeout(
            &SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            Duration::from_secs(1),
        )
        .is_ok()
    })
}

/// Ports from 10000 to the start of the ephemeral range (or a fixed band when that range is
/// unusually low).
fn range() -> (u16, u16) {
    let ephemeral_low = fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .next()
                .and_then(|n| n.parse::<u16>().ok())
        })
        .unwrap_or(32768);
    if ephemeral_low > 12000 {
        (10000, ephemeral_low)
    } else {
        (61000, 65000)
    }
}
