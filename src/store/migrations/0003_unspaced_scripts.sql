-- Schema version 3: a word inside Chinese or Japanese text is found (store/words.rs).
-- Applied in one transaction together with `PRAGMA user_version = 3`; nothing in `messages`
-- changes.
--
-- The index holds `natter_index_text(body)` instead of the body: the same text, with each
-- character of a script written without spaces (Han, Kana, Hangul) set apart as a word of its
-- own. The function is registered by the store on every connection; the view and the
-- triggers below call it, so the three must stay identical, as in 0002_search_order.sql.
--
-- Only the messages whose indexed text changes are indexed again: deleted from the index with
-- the text it holds for them now, then added with the new one. Other messages keep their
-- entries, which are already what the new view gives.
CREATE TEMP TABLE reindex AS
SELECT key FROM messages_fts_content WHERE natter_index_text(body) IS NOT body;

INSERT INTO messages_fts (messages_fts, rowid, body, scope)
SELECT 'delete', messages_fts_content.key, body, scope
FROM reindex JOIN messages_fts_content ON messages_fts_content.key = reindex.key;

DROP VIEW messages_fts_content;
CREATE VIEW messages_fts_content AS
SELECT message_order.key AS key, messages.id AS id, natter_index_text(messages.body) AS body,
       'c' || hex(messages.account) || 'x' || hex(messages.peer) AS scope
FROM message_order JOIN messages ON messages.id = message_order.message_id;

INSERT INTO messages_fts (rowid, body, scope)
SELECT messages_fts_content.key, body, scope
FROM reindex JOIN messages_fts_content ON messages_fts_content.key = reindex.key;
DROP TABLE reindex;

DROP TRIGGER messages_fts_delete;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, scope)
    SELECT 'delete', key, natter_index_text(old.body),
           'c' || hex(old.account) || 'x' || hex(old.peer)
    FROM message_order WHERE message_id = old.id;
    DELETE FROM message_order WHERE message_id = old.id;
END;

DROP TRIGGER messages_fts_update;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body, account, peer ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body, scope)
    SELECT 'delete', key, natter_index_text(old.body),
           'c' || hex(old.account) || 'x' || hex(old.peer)
    FROM message_order WHERE message_id = old.id;
    INSERT INTO messages_fts (rowid, body, scope)
    SELECT key, natter_index_text(new.body),
           'c' || hex(new.account) || 'x' || hex(new.peer)
    FROM message_order WHERE message_id = new.id;
END;
