//! The sample history: a deterministic stream of messages, so that every run (and every size)
//! stores the same data and the smaller stores are prefixes of the larger ones.
//!
//! Shaped like a long-lived account: one conversation holds half of everything, three hundred
//! others share the rest by a Zipf law, and a second account has a few percent. Bodies draw
//! from a Zipf vocabulary (a handful of words are in most messages, most words are rare), with
//! the probe words of the benchmark planted at known rates. Times mostly increase, with
//! whole-second archive stamps and ties to the millisecond, and every 5,000 messages 100
//! messages from the archive arrive late: sent over the three days before, stored after
//! newer ones.

use natter::model::{BareJid, ChatMessage, Delivery, Direction, MessageId, Millis};

pub const ACCOUNT: &str = "me@example.org";
pub const WORK: &str = "me@work.example";
/// The conversation with half of the history.
pub const HUGE: &str = "ada.lovelace@example.org";
/// A conversation with about 0.05 % of the history.
pub const SMALL: &str = "peer150@example.net";

/// Probe words and how often they are planted.
/// In 20 % of all messages.
pub const COMMON: &str = "meeting";
/// In 8 % of all messages (for the two-word query with [`COMMON`]).
pub const SECOND: &str = "tomorrow";
/// In one message of 49,999.
pub const RARE: &str = "zeppelin";
/// In 10 % of the messages outside [`HUGE`], one in 20,000 inside it.
pub const ELSEWHERE: &str = "invoice";
/// Never stored.
pub const ABSENT: &str = "xylophonist";

const PEERS: usize = 300;
const START: Millis = 1_546_300_800_000; // 2019-01-01
const LATE_EVERY: usize = 5_000;
const LATE_AT: usize = 600;
const LATE_RUN: usize = 100;
const THREE_DAYS: Millis = 3 * 24 * 3_600_000;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `per_million` times in a million.
    fn ppm(&mut self, per_million: usize) -> bool {
        self.below(1_000_000) < per_million
    }
}

/// Cumulative Zipf weights over `n` ranks: rank `r` has weight `1 / (r + 1)`.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut total = 0.0;
        Zipf(
            (0..n)
                .map(|r| {
                    total += 1.0 / (r as f64 + 1.0);
                    total
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.0.last().copied().unwrap_or(1.0);
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.0.partition_point(|&c| c < x).min(self.0.len() - 1)
    }
}

const COMMON_WORDS: [&str; 48] = [
    "the", "to", "i", "you", "a", "and", "it", "is", "of", "in", "that", "for", "on", "we", "me",
    "be", "at", "this", "ok", "so", "but", "not", "can", "will", "just", "have", "what", "do",
    "see", "now", "yes", "no", "all", "there", "time", "good", "know", "think", "today", "later",
    "send", "call", "work", "thanks", "home", "back", "lunch", "coffee",
];
const SYLLABLES: [&str; 24] = [
    "ka", "ro", "mi", "sen", "tal", "vo", "ber", "li", "na", "gor", "pe", "sta", "dun", "el", "ix",
    "mar", "qu", "ten", "os", "ri", "fa", "lun", "dre", "ok",
];

/// The message stream.
pub struct History {
    rng: Rng,
    words: Vec<String>,
    zipf_words: Zipf,
    zipf_peers: Zipf,
    at: Millis,
    next: usize,
}

impl History {
    pub fn new() -> History {
        let mut rng = Rng::new(0x0a11_ce5e_ed00_0001);
        let mut words: Vec<String> = COMMON_WORDS.iter().map(|w| w.to_string()).collect();
        while words.len() < 8_000 {
            let n = 2 + rng.below(3);
            let word: String = (0..n)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            let planted = [COMMON, SECOND, RARE, ELSEWHERE, ABSENT];
            if !planted.contains(&word.as_str()) {
                words.push(word);
            }
        }
        History {
            rng,
            words,
            zipf_words: Zipf::new(8_000),
            zipf_peers: Zipf::new(PEERS),
            at: START,
            next: 0,
        }
    }

    pub fn batch(&mut self, n: usize) -> Vec<ChatMessage> {
        (0..n).map(|_| self.message()).collect()
    }

    /// Generates and drops the next `n` messages.
    pub fn skip(&mut self, n: usize) {
        for _ in 0..n {
            drop(self.message());
        }
    }

    /// Messages continuing the stream as live traffic: for the insert bursts.
    pub fn live(&mut self, n: usize) -> Vec<ChatMessage> {
        (0..n)
            .map(|_| {
                let mut m = self.message();
                m.sent_at = m.sent_at.max(self.at);
                m
            })
            .collect()
    }

    fn message(&mut self) -> ChatMessage {
        let i = self.next;
        self.next += 1;
        let rng = &mut self.rng;
        let late = i % LATE_EVERY >= LATE_AT && i % LATE_EVERY < LATE_AT + LATE_RUN;
        let sent_at = if late {
            // The archive of another device, three days of it, in the archive's order.
            let k = (i % LATE_EVERY - LATE_AT) as Millis;
            (self.at - THREE_DAYS + k * (THREE_DAYS / LATE_RUN as Millis)) / 1000 * 1000
        } else {
            if rng.below(100) >= 2 {
                self.at += if rng.below(100) < 8 {
                    (1 + rng.below(12 * 60)) as Millis * 60_000
                } else {
                    (2 + rng.below(120)) as Millis * 1_000 + rng.below(1000) as Millis
                };
            }
            if rng.below(100) < 10 {
                self.at / 1000 * 1000
            } else {
                self.at
            }
        };
        let (account, peer) = if rng.below(100) < 3 {
            (WORK, format!("colleague{}@work.example", rng.below(20)))
        } else if rng.below(100) < 50 {
            (ACCOUNT, HUGE.to_owned())
        } else {
            let p = self.zipf_peers.sample(rng);
            (ACCOUNT, format!("peer{p}@example.net"))
        };
        let huge = peer == HUGE;

        let len = match rng.below(100) {
            0..25 => 1 + rng.below(3),
            25..95 => 3 + rng.below(10),
            _ => 20 + rng.below(60),
        };
        let mut body: Vec<&str> = (0..len)
            .map(|_| self.words[self.zipf_words.sample(rng)].as_str())
            .collect();
        let mut plant = |word: &'static str, rng: &mut Rng| {
            let at = rng.below(body.len() + 1);
            body.insert(at, word);
        };
        if rng.ppm(200_000) {
            plant(COMMON, rng);
        }
        if rng.ppm(80_000) {
            plant(SECOND, rng);
        }
        if i % 49_999 == 12_345 {
            plant(RARE, rng);
        }
        if rng.ppm(if huge { 50 } else { 100_000 }) {
            plant(ELSEWHERE, rng);
        }
        let mut body = body.join(" ");
        if rng.below(100) < 3 {
            body.push_str(&format!(" https://example.org/notes/{i}"));
        }
        if rng.below(100) < 1 {
            body = format!("明天的会议改到下午三点 {body}");
        }

        let out = rng.below(100) < 45;
        let id = MessageId::new(format!("m{i:07}")).expect("a short id");
        ChatMessage {
            local_id: 0,
            account: j(account),
            peer: j(&peer),
            direction: if out { Direction::Out } else { Direction::In },
            body,
            sent_at,
            received_at: sent_at + 40,
            remote_id: Some(id.clone()),
            origin_id: out.then(|| id.clone()),
            stanza_id: MessageId::new(format!("arch-{i:07}")).ok(),
            delivery: if out {
                Delivery::Delivered
            } else {
                Delivery::Received
            },
            delayed: late,
            carbon: out && rng.below(100) < 10,
            extras: Default::default(),
        }
    }
}

/// The bench's address for `text`, written correctly by the bench.
fn j(text: &str) -> BareJid {
    natter::model::bare_jid(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}
