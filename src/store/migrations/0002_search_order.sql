-- Schema version 2: full-text search finds the newest hits without sorting all of them.
-- Applied in one transaction together with `PRAGMA user_version = 2`; nothing in `messages`
-- changes (no row is rewritten, every id stays).
--
-- Version 1 indexed bodies under the message id and sorted every hit by `sent_at`: a word in
-- a fifth of a million messages cost a quarter of a second. FTS5 walks its index in rowid
-- order natively (`ORDER BY rowid DESC` stops after the first hits), so the index now uses a
-- rowid that follows the history's order, (sent_at, id), exactly:
--
--     key = clamp(sent_at, -2^43, 2^43 - 1) * 2^20 + n
--
-- where n counts the messages stored before with the same millisecond (ids grow, so n follows
-- the id within the millisecond). The key is given when a message is stored (`order_key` in
-- store/messages.rs) and never changes: a message stored late (archive catch-up, a delayed
-- message) takes its place among the older ones. Only two things the code cannot keep exact,
-- both out of any real history: times outside 1691..2248 (clamped, so among themselves in the
-- order stored), and a millisecond with more than 2^20 messages (the rest take any free key,
-- `INTEGER PRIMARY KEY` given NULL). Search stays correct either way, only their place moves.
--
-- The key lives in its own table rather than a column of `messages` so that upgrading writes
-- about 20 bytes a message instead of rewriting every row of the history.
CREATE TABLE message_order (
    key        INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL UNIQUE
);

-- Explicit keys first, in key order (an append to the b-tree); the overflow of a full
-- millisecond last, so that its free keys cannot take one an explicit row needs.
INSERT INTO message_order (key, message_id)
SELECT CASE WHEN n < 1048576 THEN base * 1048576 + n END, id
FROM (
    SELECT id, base, row_number() OVER (PARTITION BY base ORDER BY id) - 1 AS n
    FROM (SELECT id, max(min(sent_at, 8796093022207), -8796093022208) AS base FROM messages)
)
ORDER BY n >= 1048576, base, n;

DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;

-- What the index holds for each message: the body, and in `scope` one token that names its
-- conversation, `c<hex(account)>x<hex(peer)>` (hex: one token of letters and digits whatever
-- the JID holds, and `x` is not a hex digit, so no two conversations share one). Searching a
-- conversation ANDs its token with the words, so FTS5 skips the hits of every other
-- conversation inside its index instead of handing each of them to SQL: a word common
-- elsewhere but rare in this conversation costs its few hits here. The query still filters
-- on account and peer, so the token only makes it fast, never decides what is found. There is
-- no account token: most people have one account, where it would cost a tenth of the index
-- and slow rare words down (a seek in a list of every message) for nothing.
-- The same expression is in the triggers below; the three must stay identical, or deleting
-- a message would leave its token in the index.
CREATE VIEW messages_fts_content AS
SELECT message_order.key AS key, messages.id AS id, messages.body AS body,
       'c' || hex(messages.account) || 'x' || hex(messages.peer) AS scope
FROM message_order JOIN messages ON messages.id = message_order.message_id;

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    scope,
    content = 'messages_fts_content',
    content_rowid = 'key',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

-- New rows are indexed by the code, once per batch, as in version 1 (see 0001_initial.sql).
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, scope)
    SELECT 'delete', key, old.body,
           'c' || hex(old.account) || 'x' || hex(old.peer)
    FROM message_order WHERE message_id = old.id;
    DELETE FROM message_order WHERE message_id = old.id;
END;

-- Only what the index holds touches it: delivery updates are frequent and must stay cheap.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, account, peer ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, scope)
    SELECT 'delete', key, old.body,
           'c' || hex(old.account) || 'x' || hex(old.peer)
    FROM message_order WHERE message_id = old.id;
    INSERT INTO messages_fts (rowid, body, scope)
    SELECT key, new.body,
           'c' || hex(new.account) || 'x' || hex(new.peer)
    FROM message_order WHERE message_id = new.id;
END;
