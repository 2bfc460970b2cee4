//! Message ids: the stanza `id`, the XEP-0359 origin-id and stanza-id, and the id a correction,
//! retraction, reaction or reply refers to.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A message's id, as one side of a conversation gave it. Non-empty and at most
/// [`MessageId::MAX_BYTES`] bytes; otherwise any text (ids are opaque: Conversations, Dino and
/// the servers each make them differently). Text from the network, the store or a person becomes
/// one through [`MessageId::new`], once, at the edge; an id that does not fit is no id, and the
/// message it came with is kept without it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageId(String);

/// Text that cannot be a message id: empty, or longer than [`MessageId::MAX_BYTES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMessageId;

impl fmt::Display for InvalidMessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::fl!("error-message-id", max = MessageId::MAX_BYTES))
    }
}

impl std::error::Error for InvalidMessageId {}

impl MessageId {
    /// The longest id kept. Every client seen uses 36 bytes or fewer (a UUID); the bound keeps a
    /// hostile peer's megabyte "id" out of the store, its index and every reference to it.
    pub const MAX_BYTES: usize = 256;

    /// The id, if `text` can be one.
    pub fn new(text: impl Into<String>) -> Result<MessageId, InvalidMessageId> {
        let text = text.into();
        if text.is_empty() || text.len() > Self::MAX_BYTES {
            return Err(InvalidMessageId);
        }
        Ok(MessageId(text))
    }

    /// The id, if the optional `text` is there and can be one: how ids from the network and the
    /// store are read, where a missing and an unusable id mean the same.
    pub fn maybe(text: Option<impl Into<String>>) -> Option<MessageId> {
        text.and_then(|t| MessageId::new(t).ok())
    }

    /// An id Natter made itself (a random token, a counter): short and never empty by
    /// construction, so it is taken as it is.
    pub(crate) fn generated(text: String) -> MessageId {
        debug_assert!(
            !text.is_empty() && text.len() <= Self::MAX_BYTES,
            "{text:?}"
        );
        MessageId(text)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// An id reads as the text it is (`&id` where a `&str` is wanted, `as_deref()` on an optional
// one); only making one is checked.
impl std::ops::Deref for MessageId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for MessageId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for MessageId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for MessageId {
    type Err = InvalidMessageId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        MessageId::new(text)
    }
}

impl TryFrom<String> for MessageId {
    type Error = InvalidMessageId;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        MessageId::new(text)
    }
}

impl From<MessageId> for String {
    fn from(id: MessageId) -> String {
        id.0
    }
}

impl PartialEq<str> for MessageId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for MessageId {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<&str> for MessageId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A test's id, written correctly by the test (`"m1".into()`).
#[cfg(test)]
impl From<&str> for MessageId {
    fn from(text: &str) -> MessageId {
        MessageId::new(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_any_text_that_is_not_empty_or_too_long() {
        assert_eq!(MessageId::new("a1").map(|i| i.to_string()), Ok("a1".into()));
        assert!(MessageId::new("").is_err());
        let longest = "x".repeat(MessageId::MAX_BYTES);
        assert!(MessageId::new(longest.clone()).is_ok());
        assert!(MessageId::new(longest + "x").is_err());
        assert_eq!(MessageId::maybe(Some("")), None);
        assert_eq!(MessageId::maybe(None::<String>), None);
    }

    #[test]
    fn json_reads_and_writes_an_id_as_a_string_and_refuses_an_empty_one() {
        let id = MessageId::new("m-1").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"m-1\"");
        assert_eq!(serde_json::from_str::<MessageId>("\"m-1\"").unwrap(), id);
        assert!(serde_json::from_str::<MessageId>("\"\"").is_err());
    }
}
