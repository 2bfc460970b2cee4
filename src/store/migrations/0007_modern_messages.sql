-- Schema version 7: corrections, retractions, replies, reactions, encrypted messages and drafts
-- (issue 17). Applied in one transaction together with `PRAGMA user_version = 7`; no existing
-- value changes, no row of `messages` is rewritten.
--
-- A corrected message keeps its latest text in `messages.body` (so the search index holds the
-- latest text, through the update trigger of 0003_unspaced_scripts.sql) and `edited_at`; its
-- earlier texts are in `message_versions`. A retracted message has an empty body (gone from
-- the index the same way), `retracted_at`, and no versions or reactions. A message encrypted
-- with a scheme Natter cannot read has an empty body and the scheme's name in `encryption`;
-- the fallback text and the encrypted element are in `message_encrypted`, for a decryption
-- layer to come.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN retracted_at INTEGER;
-- XEP-0461: the id the reply names and, when it says so, the answered message's author.
ALTER TABLE messages ADD COLUMN reply_to_id TEXT;
ALTER TABLE messages ADD COLUMN reply_to_author TEXT;
ALTER TABLE messages ADD COLUMN encryption TEXT;

-- Earlier texts of corrected messages, the newest few (model::amend::MAX_VERSIONS).
CREATE TABLE message_versions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    written_at INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (message_id, written_at, seq)
) WITHOUT ROWID;

-- The ids a change was sent under, each naming the message it changed: a correction that
-- names an earlier correction finds the message, and a change that comes twice (live, then
-- from the archive) applies once.
CREATE TABLE message_aliases (
    account    TEXT NOT NULL,
    peer       TEXT NOT NULL,
    direction  TEXT NOT NULL,
    alias      TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (account, peer, direction, alias)
) WITHOUT ROWID;
CREATE INDEX message_aliases_message ON message_aliases (message_id);

-- One row per person and message: their whole set, as a JSON array (XEP-0444 replaces it).
CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    sender     TEXT NOT NULL,
    emoji      TEXT NOT NULL,
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (message_id, sender)
) WITHOUT ROWID;

CREATE TABLE message_encrypted (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    fallback   TEXT NOT NULL,
    payload    TEXT NOT NULL
);

-- Changes naming a message not stored (yet): applied when it arrives (from the archive, say),
-- dropped when too old or too many (store/amend.rs). `change` is the changing message as JSON.
CREATE TABLE pending_changes (
    id          INTEGER PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    peer        TEXT NOT NULL,
    target      TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    change      TEXT NOT NULL
);
CREATE INDEX pending_changes_target ON pending_changes (account, peer, target);

-- What the person was writing in each conversation, kept across restarts.
CREATE TABLE drafts (
    account    TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    peer       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account, peer)
) WITHOUT ROWID;
