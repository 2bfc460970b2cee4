//! What modern clients say about a message besides its text (issue 17): corrections
//! (XEP-0308), retractions (XEP-0424), replies (XEP-0461), reactions (XEP-0444) and explicit
//! encryption (XEP-0380), with the bounds that keep a hostile peer from growing them.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::{BareJid, ChatMessage, MessageId, Millis};

/// The most emoji one person's reaction to one message keeps (the rest of a longer set is
/// dropped): people use one to three; a flood of them must not grow a row.
pub const MAX_REACTIONS_PER_PERSON: usize = 20;
/// The most people whose reactions one message keeps (a group chat's; a chat has two).
pub const MAX_REACTORS_PER_MESSAGE: usize = 100;
/// The longest reaction kept, in bytes: one emoji with its modifiers and joiners (a family
/// with skin tones is 41 bytes); anything longer is not one emoji.
pub const MAX_REACTION_BYTES: usize = 64;
/// How many earlier versions of a corrected message are kept, the newest ones: a correction
/// chain 1,000 long keeps this many bodies, not a thousand.
pub const MAX_VERSIONS: usize = 20;

/// Everything about a message besides its plain fields; empty for a plain one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extras {
    /// When the latest correction was written (the message shows its text); `None` when it was
    /// never corrected.
    pub edited_at: Option<Millis>,
    /// When its sender retracted it: the body is gone (empty) and "message deleted" is shown.
    pub retracted_at: Option<Millis>,
    /// The message it answers (XEP-0461), as the reply names it.
    pub reply_to: Option<ReplyTo>,
    /// It came encrypted with a scheme Natter cannot read yet: the body is empty, and what
    /// came is kept for a decryption layer.
    pub encryption: Option<Encryption>,
    /// Reactions to it, one entry per person, in the order they first reacted.
    pub reactions: Vec<Reaction>,
    /// Set only on the way from the network to the store: this stanza changes an earlier
    /// message instead of being one. The store applies it and never keeps it as a row.
    pub amends: Option<Amendment>,
}

impl Extras {
    /// Whether the message was corrected at least once.
    pub fn edited(&self) -> bool {
        self.edited_at.is_some()
    }

    /// Whether its sender retracted it.
    pub fn retracted(&self) -> bool {
        self.retracted_at.is_some()
    }
}

/// What a reply names: the id of the message it answers and, when the reply says it, who
/// wrote that message. Only a message of the same conversation is ever shown for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    /// The answered message's id as the XEP takes it (origin-id or `id` in a chat).
    pub id: MessageId,
    /// Who wrote it, as the reply claims (bare address).
    pub author: Option<BareJid>,
    /// The answered message's text, for the quote a reply carries for clients that do not
    /// know replies (XEP-0461's fallback): filled by the store on an outbound reply it queues
    /// or resends, from the message as stored then. Not stored; `None` on what history reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// The longest quote a reply carries for clients without replies, in characters: enough to
/// recognise the message, and far from what would make the stanza too long for a server.
pub const MAX_REPLY_QUOTE: usize = 280;

impl ReplyTo {
    /// A reply to the message `id`, by `author` when known.
    pub fn new(id: MessageId, author: Option<BareJid>) -> ReplyTo {
        ReplyTo {
            id,
            author,
            quote: None,
        }
    }

    /// The text a reply's body starts with for clients that do not know replies: each line
    /// of the answered message after "> ", cut at [`MAX_REPLY_QUOTE`] characters with "…".
    /// Empty when there is nothing to quote (a retracted or encrypted message).
    pub fn fallback(&self) -> String {
        let Some(quote) = self
            .quote
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        else {
            return String::new();
        };
        let mut cut: String = quote.chars().take(MAX_REPLY_QUOTE).collect();
        if cut.len() < quote.len() {
            cut.push('…');
        }
        cut.lines().map(|line| format!("> {line}\n")).collect()
    }
}

/// A message encrypted with a scheme Natter cannot read yet, kept whole for a later layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encryption {
    /// The scheme's short name: `omemo`, `omemo:2`, `openpgp`, `otr`, `pgp` (XEP-0380).
    pub scheme: String,
    /// The body the sender put beside it for clients without the scheme; never shown as text
    /// the peer wrote.
    pub fallback: String,
    /// The encrypted element as it came (XML), for the decryption layer; empty when there was
    /// only the marker.
    pub payload: String,
}

impl Encryption {
    /// How the scheme is called where people read it ("OMEMO").
    pub fn scheme_name(&self) -> String {
        match self.scheme.as_str() {
            "omemo" | "omemo:2" => "OMEMO".into(),
            "openpgp" => "OpenPGP".into(),
            "pgp" => "PGP".into(),
            "otr" => "OTR".into(),
            other => other.to_owned(),
        }
    }
}

/// Reactions counted for display: each emoji with how many people chose it, in the order
/// first chosen.
pub fn reaction_counts(reactions: &[Reaction]) -> Vec<(&str, usize)> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for reaction in reactions {
        for e in &reaction.emoji {
            match counts.iter_mut().find(|(k, _)| *k == e.as_str()) {
                Some((_, n)) => *n += 1,
                None => counts.push((e.as_str(), 1)),
            }
        }
    }
    counts
}

/// Reactions as a line shows them, joined by `between`: each emoji, with how many chose it
/// when more than one did ("👍 2"), in the order first chosen. Empty when there are none.
pub fn reactions_line(reactions: &[Reaction], between: &str) -> String {
    reaction_counts(reactions)
        .into_iter()
        .map(|(e, n)| {
            if n > 1 {
                format!("{e} {n}")
            } else {
                e.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(between)
}

/// One person's reactions to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    /// Who reacted (bare address: the peer, or the account from any of its devices).
    pub from: BareJid,
    /// Their emoji, each once, in the order they sent them.
    pub emoji: Vec<String>,
}

/// A stanza that changes an earlier message, naming it by the id the XEPs use (origin-id or
/// `id` in a chat). It applies only to a message of the same conversation sent by the same
/// side as the change (reactions: by anyone in the conversation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Amendment {
    /// XEP-0308: the message's new text is the carrying message's body.
    Correction {
        /// The corrected message's id.
        target: MessageId,
    },
    /// XEP-0424: the message is withdrawn.
    Retraction {
        /// The retracted message's id.
        target: MessageId,
    },
    /// XEP-0444: the sender's whole set of reactions to the message (empty: none any more).
    Reactions {
        /// The message reacted to.
        target: MessageId,
        /// The set, bounded by [`reaction_set`].
        emoji: Vec<String>,
    },
}

impl Amendment {
    /// The id of the message it changes.
    pub fn target(&self) -> &MessageId {
        match self {
            Amendment::Correction { target }
            | Amendment::Retraction { target }
            | Amendment::Reactions { target, .. } => target,
        }
    }
}

/// One of the account's own changes waiting for the server: made offline, or sent and not yet
/// acknowledged. It goes out (again) with the same id at the next sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedChange {
    /// The change's own stanza id and origin-id.
    pub change_id: MessageId,
    /// The conversation.
    pub peer: BareJid,
    /// The changed message's id on the wire (its origin-id, else its stanza id).
    pub target: MessageId,
    /// The change.
    pub amendment: Amendment,
    /// A correction's new text (empty for the others).
    pub body: String,
}

/// An earlier message changed by an amendment, as it is now in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageChange {
    /// Its text was corrected (`message.body` is the latest, `extras.edited_at` when).
    Corrected(ChatMessage),
    /// It was retracted.
    Retracted(ChatMessage),
    /// Someone's reactions to it changed (`message.extras.reactions` holds everyone's).
    Reactions {
        /// The message, with all its reactions.
        message: ChatMessage,
        /// Whose set changed.
        from: BareJid,
        /// Their new set.
        emoji: Vec<String>,
    },
}

impl MessageChange {
    /// The message as it now is.
    pub fn message(&self) -> &ChatMessage {
        match self {
            MessageChange::Corrected(m) | MessageChange::Retracted(m) => m,
            MessageChange::Reactions { message, .. } => message,
        }
    }
}

/// A person's reaction set as it is kept: each a single grapheme of at most
/// [`MAX_REACTION_BYTES`] (anything else is not an emoji and is dropped), each once, at most
/// [`MAX_REACTIONS_PER_PERSON`] of them.
pub fn reaction_set<I: IntoIterator<Item = String>>(emoji: I) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for e in emoji {
        let e = e.trim();
        let one_grapheme = e.graphemes(true).count() == 1;
        if !one_grapheme || e.len() > MAX_REACTION_BYTES || kept.iter().any(|k| k == e) {
            continue;
        }
        kept.push(e.to_owned());
        if kept.len() == MAX_REACTIONS_PER_PERSON {
            break;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::ReplyTo;

    #[test]
    fn a_reply_quotes_each_line_and_cuts_a_long_message() {
        let mut r = ReplyTo::new("m1".into(), None);
        assert_eq!(r.fallback(), "", "nothing known, nothing quoted");
        r.quote = Some("  first\nsecond  ".into());
        assert_eq!(r.fallback(), "> first\n> second\n");
        r.quote = Some("ж".repeat(super::MAX_REPLY_QUOTE + 50));
        let cut = r.fallback();
        assert_eq!(cut.chars().count(), 2 + super::MAX_REPLY_QUOTE + 1 + 1);
        assert!(cut.ends_with("…\n"));
    }

    use super::*;

    #[test]
    fn a_reaction_set_keeps_single_emoji_once_and_is_bounded() {
        let set = |v: &[&str]| reaction_set(v.iter().map(|s| s.to_string()));
        assert_eq!(set(&["👍", "👍", "❤️"]), ["👍", "❤️"]);
        // A family with skin tones is one grapheme; two emoji or a word are not one reaction.
        assert_eq!(set(&["👨🏽‍👩🏽‍👧🏽", "👍👍", "lol", ""]), ["👨🏽‍👩🏽‍👧🏽"]);
        let flood: Vec<String> = (0..10_000)
            .map(|i| char::from_u32(0x1F300 + i % 700).unwrap().to_string())
            .collect();
        assert_eq!(reaction_set(flood).len(), MAX_REACTIONS_PER_PERSON);
        assert_eq!(set(&[&"x".repeat(100)]), Vec::<String>::new());
    }
}
