-- Schema version 1. Applied in one transaction together with `PRAGMA user_version = 1`.
-- Enumerations are stored as their model names (`Direction::as_str` etc.) without CHECK
-- constraints, so a later version can add a value without rebuilding a table; the code parses
-- every value it reads and reports an unknown one as an error instead of trusting it.

-- One row per account. There is deliberately no password column: it lives in the OS keyring.
CREATE TABLE accounts (
    jid                  TEXT PRIMARY KEY NOT NULL,
    host                 TEXT,
    port                 INTEGER,
    tls                  TEXT NOT NULL DEFAULT 'starttls',
    resource             TEXT,
    pinned_cert          BLOB,
    connect_timeout_secs INTEGER NOT NULL DEFAULT 30,
    last_show            TEXT NOT NULL DEFAULT 'available',
    last_status          TEXT NOT NULL DEFAULT '',
    is_default           INTEGER NOT NULL DEFAULT 0,
    roster_ver           TEXT
);

-- At most one default account, whatever the code does.
CREATE UNIQUE INDEX accounts_one_default ON accounts (is_default) WHERE is_default = 1;

CREATE TABLE roster (
    account      TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    jid          TEXT NOT NULL,
    name         TEXT,
    groups       TEXT NOT NULL DEFAULT '[]',
    subscription TEXT NOT NULL DEFAULT 'none',
    ask          INTEGER NOT NULL DEFAULT 0,
    approved     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account, jid)
) WITHOUT ROWID;

CREATE TABLE requests (
    account     TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    from_jid    TEXT NOT NULL,
    nick        TEXT,
    message     TEXT,
    received_at INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (account, from_jid)
) WITHOUT ROWID;

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    peer        TEXT NOT NULL,
    direction   TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    remote_id   TEXT,
    origin_id   TEXT,
    stanza_id   TEXT,
    delivery    TEXT NOT NULL,
    delayed     INTEGER NOT NULL DEFAULT 0,
    carbon      INTEGER NOT NULL DEFAULT 0
);

-- History paging: newest first within one conversation, cursor (sent_at, id).
CREATE INDEX messages_conversation ON messages (account, peer, sent_at, id);
-- Duplicate detection, one index per rule; rows without the key are left out of each.
CREATE INDEX messages_stanza_id ON messages (account, stanza_id) WHERE stanza_id IS NOT NULL;
CREATE INDEX messages_origin_id ON messages (account, peer, direction, origin_id)
    WHERE origin_id IS NOT NULL;
CREATE INDEX messages_remote_id ON messages (account, direction, remote_id)
    WHERE remote_id IS NOT NULL;
-- The newest archived message of an account (archive catch-up starts after it).
CREATE INDEX messages_archived ON messages (account, sent_at, id) WHERE stanza_id IS NOT NULL;

-- Full-text search over bodies; the text itself stays in `messages` (external content).
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- New rows are indexed by the code, once per batch (`index_bodies` in store/messages.rs), not
-- by an AFTER INSERT trigger: FTS5 writes its pending terms to disk at every statement
-- savepoint, so a trigger made each insert of a burst write and merge a tiny segment (measured:
-- more than a third of the insert time). Deletions and body changes stay on triggers.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

-- Only a changed body touches the index: delivery updates are frequent and must stay cheap.
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

-- Outbound messages not yet acknowledged by the server, in the order they were queued.
CREATE TABLE outbox (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    queued_at  INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
