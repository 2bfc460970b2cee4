//! The way in for stanzas from the network, stage by stage: the guard on the server's bytes,
//! the XML parser and tokio-xmpp's stream-element builder, then translation in the session's
//! context and the replies it asks for (receipts, IQ results), serialised. Prints stanzas per
//! second and microseconds per stanza for the kinds a burst and a login bring.
//!
//!   cargo bench --bench translate
//!
//! No network and no store: what this measures is the CPU the engine spends on a stanza before
//! it writes it down (the store's share is in `cargo bench --bench store`).

use std::time::Duration;

use natter::session::fuzzing::{self, ME, OPEN_QUERY, Stages};

/// How many stanzas of each kind one pass reads, and how many passes are timed.
const N: usize = 2_000;
const PASSES: usize = 15;
/// The size of one read from the TLS stream (tokio-xmpp's buffer).
const READ: usize = 8 * 1024;

fn main() {
    let kinds: Vec<(&str, String)> = vec![
        ("chat message with a receipt request (the burst)", burst()),
        ("presence with show, status and caps", presences()),
        ("carbon copy of a message sent elsewhere", carbons()),
        ("archive result (catch-up)", archive()),
        ("mixed: all of the above, interleaved", mixed()),
    ];
    println!();
    println!(
        "Natter stanza translation benchmark ({N} stanzas per kind, {PASSES} passes, reads of {} KiB)",
        READ / 1024
    );
    println!();
    println!(
        "{:<50} {:>11} {:>9} {:>9} {:>9} {:>9} {:>8}",
        "kind", "stanzas/s", "µs each", "guard", "parse", "transl.", "MiB/s"
    );
    println!("{}", "-".repeat(111));
    for (name, bytes) in &kinds {
        let mut runs: Vec<Stages> = Vec::with_capacity(PASSES);
        for _ in 0..PASSES + 2 {
            match fuzzing::stages(bytes.as_bytes(), READ) {
                Some(stages) => runs.push(stages),
                None => {
                    eprintln!("{name}: the guard refused the input");
                    std::process::exit(1);
                }
            }
        }
        // The first two warm the caches and the allocator.
        let runs = &runs[2..];
        let first = runs[0];
        if first.stanzas == 0 || first.results == 0 {
            eprintln!("{name}: nothing was read or translated: {first:?}");
            std::process::exit(1);
        }
        let median = |f: &dyn Fn(&Stages) -> Duration| {
            let mut v: Vec<Duration> = runs.iter().map(f).collect();
            v.sort();
            v[v.len() / 2]
        };
        let guard = median(&|s| s.guard);
        let parse = median(&|s| s.parse);
        let translate = median(&|s| s.translate);
        let total = median(&|s| s.guard + s.parse + s.translate);
        let per = total.as_secs_f64() / first.stanzas as f64;
        let micros = |d: Duration| d.as_secs_f64() * 1e6 / first.stanzas as f64;
        println!(
            "{:<50} {:>11.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>8.1}",
            name,
            1.0 / per,
            per * 1e6,
            micros(guard),
            micros(parse),
            micros(translate),
            bytes.len() as f64 / total.as_secs_f64() / (1024.0 * 1024.0),
        );
        println!(
            "{:<50} {} stanzas → {} results, {} replies; {} bytes",
            "",
            first.stanzas,
            first.results,
            first.replies,
            bytes.len()
        );
    }
    println!();
    println!("guard / parse / transl.: µs per stanza in each stage (medians over the passes)");
    println!("transl. includes building and serialising the replies (receipts, IQ results)");
}

fn contact(i: usize) -> String {
    format!("c{:04}@example.org", i % 2_000 + 1)
}

/// Body text of a realistic length (40–200 characters), with an escape now and then.
fn body(i: usize) -> String {
    let words = [
        "hello", "are", "you", "coming", "tonight", "the", "train", "is", "late", "again", "&amp;",
        "see", "you", "at", "eight", "bring", "the", "book", "thanks",
    ];
    let n = 8 + (i * 7) % 28;
    (0..n)
        .map(|k| words[(i + k * 3) % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn chat(i: usize) -> String {
    format!(
        "<message type='chat' from='{}/phone' to='{ME}' id='burst-{i}'><body>{}</body>\
         <request xmlns='urn:xmpp:receipts'/>\
         <active xmlns='http://jabber.org/protocol/chatstates'/></message>",
        contact(i),
        body(i)
    )
}

fn presence(i: usize) -> String {
    let show = ["away", "xa", "dnd", "chat"][i % 4];
    format!(
        "<presence from='{}/laptop' to='{ME}/desk'><show>{show}</show>\
         <status>in a meeting until {}:00</status><priority>{}</priority>\
         <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://dino.im' \
         ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/></presence>",
        contact(i),
        9 + i % 9,
        i % 10
    )
}

fn carbon(i: usize) -> String {
    format!(
        "<message from='{ME}' to='{ME}/desk' type='chat'>\
         <sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' type='chat' from='{ME}/phone' to='{}' id='carbon-{i}'>\
         <body>{}</body><origin-id xmlns='urn:xmpp:sid:0' id='origin-{i}'/></message>\
         </forwarded></sent></message>",
        contact(i),
        body(i)
    )
}

fn archived(i: usize) -> String {
    format!(
        "<message from='{ME}' to='{ME}/desk'>\
         <result xmlns='urn:xmpp:mam:2' queryid='{OPEN_QUERY}' id='arch-{i}'>\
         <forwarded xmlns='urn:xmpp:forward:0'>\
         <delay xmlns='urn:xmpp:delay' stamp='2026-11-{:02}T{:02}:{:02}:00Z'/>\
         <message xmlns='jabber:client' type='chat' from='{}/phone' to='{ME}' id='a-{i}'>\
         <body>{}</body></message></forwarded></result></message>",
        1 + i % 28,
        i % 24,
        i % 60,
        contact(i),
        body(i)
    )
}

fn burst() -> String {
    (0..N).map(chat).collect()
}

fn presences() -> String {
    (0..N).map(presence).collect()
}

fn carbons() -> String {
    (0..N).map(carbon).collect()
}

fn archive() -> String {
    (0..N).map(archived).collect()
}

fn mixed() -> String {
    (0..N)
        .map(|i| match i % 4 {
            0 => chat(i),
            1 => presence(i),
            2 => carbon(i),
            _ => archived(i),
        })
        .collect()
}
