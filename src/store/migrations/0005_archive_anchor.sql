-- Schema version 5: where the account's archive catch-up starts (issue 16). Applied in one
-- transaction together with `PRAGMA user_version = 5`; no existing value changes.
--
-- `archive_anchor` is the archive id (XEP-0359 stanza-id) after which nothing of the account's
-- archive is missing from the store, and `archive_anchor_at` when that message was sent (for the
-- time-based query when the server no longer knows the id). It moves with the messages it
-- covers, in the same transaction: forward through a catch-up's pages and live messages, never
-- back for older pages fetched later, and never by a time a sender claimed. NULL until a
-- message with an archive id is stored under schema 5; until then the catch-up starts after
-- the archived message stored last, which is where every catch-up of the earlier schemas ended.
ALTER TABLE accounts ADD COLUMN archive_anchor TEXT;
ALTER TABLE accounts ADD COLUMN archive_anchor_at INTEGER;

-- The index that found the newest archived message by its stamp: no query reads it any more,
-- and every insert paid for it.
DROP INDEX messages_archived;
