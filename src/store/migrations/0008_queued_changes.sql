-- Schema version 8: the account's own corrections, retractions and reactions wait here until
-- the server has them (issue 17), as messages wait in `outbox`: made while offline, they go
-- out at the next sign-in; made online, they leave once the server acknowledged them. No
-- existing row changes.
CREATE TABLE outbox_changes (
    id        INTEGER PRIMARY KEY,
    account   TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    -- The change's own stanza id and origin-id.
    change_id TEXT NOT NULL,
    peer      TEXT NOT NULL,
    -- The changed message's id on the wire (its origin-id, else its stanza id).
    target    TEXT NOT NULL,
    -- The change (model::Amendment) as JSON, and a correction's new text.
    change    TEXT NOT NULL,
    body      TEXT NOT NULL,
    queued_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX outbox_changes_id ON outbox_changes (account, change_id);
