//! Reading history back: pages of a conversation, full-text search, archive position, counts.

use rusqlite::{OptionalExtension, params};

use super::messages::{message_columns, message_from_row};
use super::{Store, StoreError, sql_limit};
use crate::model::{ChatMessage, Millis};

/// The newest messages of a conversation strictly before a cursor, newest first. The row-value
/// comparison lets SQLite seek in `messages_conversation` instead of walking it, so a page
/// deep in a long history costs the same as the first.
const HISTORY_BEFORE: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE account = ?1 AND peer = ?2 AND (sent_at, id) < (?3, ?4)",
    " ORDER BY sent_at DESC, id DESC LIMIT ?5"
);

/// The newest messages of a conversation, newest first.
const HISTORY_LATEST: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM messages WHERE account = ?1 AND peer = ?2",
    " ORDER BY sent_at DESC, id DESC LIMIT ?3"
);

/// Full-text matches, newest first. CROSS JOIN keeps the FTS matches as the outer loop, so the
/// cost follows the number of matches rather than the size of the account's history.
const SEARCH: &str = concat!(
    "SELECT ",
    message_columns!(),
    " FROM (SELECT rowid AS hit FROM messages_fts WHERE messages_fts MATCH ?1)",
    " CROSS JOIN messages ON messages.id = hit",
    " WHERE account = ?2 AND (?3 IS NULL OR peer = ?3)",
    " ORDER BY sent_at DESC, id DESC LIMIT ?4"
);

const LAST_STANZA_ID: &str = "SELECT stanza_id, sent_at FROM messages \
     WHERE account = ?1 AND stanza_id IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1";

impl Store {
    /// One page of the conversation of `account` with `peer`: the newest `limit` messages
    /// strictly before `before` (a `(sent_at, local_id)` cursor, usually the oldest message
    /// shown), or the newest overall when `before` is `None`. Returned oldest first.
    pub async fn history(
        &self,
        account: &str,
        peer: &str,
        before: Option<(Millis, i64)>,
        limit: usize,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        let (account, peer, limit) = (account.to_owned(), peer.to_owned(), sql_limit(limit));
        self.call(move |conn| {
            let mut page = match before {
                Some((sent_at, id)) => conn
                    .prepare_cached(HISTORY_BEFORE)?
                    .query_map(params![account, peer, sent_at, id, limit], message_from_row)?
                    .collect::<Result<Vec<_>, _>>()?,
                None => conn
                    .prepare_cached(HISTORY_LATEST)?
                    .query_map(params![account, peer, limit], message_from_row)?
                    .collect::<Result<Vec<_>, _>>()?,
            };
            page.reverse();
            Ok(page)
        })
        .await
    }

    /// Messages of `account` (only those with `peer` when given) whose body contains every
    /// word of `text`, newest first. The text is taken literally: each whitespace-separated
    /// word is searched as a quoted phrase, so operators, quotes or brackets typed by a person
    /// never make a query error. Text without any letter or digit finds nothing.
    pub async fn search(
        &self,
        account: &str,
        peer: Option<&str>,
        text: &str,
        limit: usize,
    ) -> Result<Vec<ChatMessage>, StoreError> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let (account, peer, limit) = (
            account.to_owned(),
            peer.map(str::to_owned),
            sql_limit(limit),
        );
        self.call(move |conn| {
            conn.prepare_cached(SEARCH)?
                .query_map(params![query, account, peer, limit], message_from_row)?
                .collect()
        })
        .await
    }

    /// The archive id (XEP-0359 stanza-id) of the newest message of `account` that has one:
    /// where archive catch-up starts.
    pub async fn last_stanza_id(&self, account: &str) -> Result<Option<String>, StoreError> {
        let account = account.to_owned();
        self.call(move |conn| {
            conn.prepare_cached(LAST_STANZA_ID)?
                .query_row([&account], |row| row.get(0))
                .optional()
        })
        .await
    }

    /// The newest archived message of `account`: its stanza-id and when it was sent. Archive
    /// catch-up starts after the id, or from the time when the server no longer knows the id.
    pub async fn last_archived(
        &self,
        account: &str,
    ) -> Result<Option<(String, Millis)>, StoreError> {
        let account = account.to_owned();
        self.call(move |conn| {
            conn.prepare_cached(LAST_STANZA_ID)?
                .query_row([&account], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .await
    }

    /// How many messages `account` has stored.
    pub async fn message_count(&self, account: &str) -> Result<u64, StoreError> {
        let account = account.to_owned();
        self.call(move |conn| {
            let count: i64 = conn
                .prepare_cached("SELECT count(*) FROM messages WHERE account = ?1")?
                .query_row([&account], |row| row.get(0))?;
            Ok(u64::try_from(count).unwrap_or(0))
        })
        .await
    }
}

/// Turns a person's search text into an FTS5 query that cannot be a syntax error: every
/// whitespace-separated word becomes a phrase in double quotes (inner quotes doubled), and
/// the phrases are ANDed. Control characters separate words (FTS5 would read a NUL as the end
/// of the query), and words without a letter or digit hold no token and are dropped.
fn fts_query(text: &str) -> Option<String> {
    let phrases: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ALICE, BOB, inbound, query_plan, store_with_accounts};
    use super::*;

    const CAROL: &str = "carol@example.org";

    #[tokio::test]
    async fn paging_back_through_a_conversation_has_no_gaps_or_overlaps() {
        let (_dir, store) = store_with_accounts().await;
        // 250 messages; every three share a timestamp, so pages end inside a tie and only the
        // id tells the rows apart.
        let msgs: Vec<_> = (0..250)
            .map(|i| inbound(ALICE, CAROL, &format!("m{i}"), 1_000 + i / 3))
            .collect();
        store.insert_messages(msgs).await.unwrap();
        let noise: Vec<_> = (0..20)
            .map(|i| inbound(ALICE, "dave@example.org", "x", 1_050 + i))
            .collect();
        store.insert_messages(noise).await.unwrap();
        store
            .insert_messages(vec![inbound(BOB, CAROL, "bob's", 1_100)])
            .await
            .unwrap();

        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.history(ALICE, CAROL, cursor, 50).await.unwrap();
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 50);
            assert!(
                page.windows(2)
                    .all(|w| (w[0].sent_at, w[0].local_id) < (w[1].sent_at, w[1].local_id))
            );
            cursor = Some((page[0].sent_at, page[0].local_id));
            let mut bodies: Vec<String> = page.into_iter().map(|m| m.body).collect();
            bodies.append(&mut seen);
            seen = bodies;
        }
        let expected: Vec<String> = (0..250).map(|i| format!("m{i}")).collect();
        assert_eq!(seen, expected);
        assert!(
            store
                .history(ALICE, CAROL, None, 0)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .history(ALICE, CAROL, None, usize::MAX)
                .await
                .unwrap()
                .len(),
            250
        );
    }

    #[tokio::test]
    async fn history_seeks_in_the_conversation_index_instead_of_scanning() {
        let (_dir, store) = store_with_accounts().await;
        let msgs: Vec<_> = (0..500)
            .map(|i| inbound(ALICE, CAROL, "hello", i))
            .collect();
        store.insert_messages(msgs).await.unwrap();
        // Once without statistics (how the store runs) and once with them.
        for analyze in [false, true] {
            if analyze {
                store.call(|c| c.execute_batch("ANALYZE")).await.unwrap();
            }
            let before = query_plan(&store, HISTORY_BEFORE).await;
            let latest = query_plan(&store, HISTORY_LATEST).await;
            for plan in [&before, &latest] {
                assert!(plan.contains("USING INDEX messages_conversation"), "{plan}");
                assert!(
                    !plan.contains("SCAN") && !plan.contains("TEMP B-TREE"),
                    "{plan}"
                );
            }
            assert!(
                before.contains("sent_at<?"),
                "the cursor must be a seek: {before}"
            );

            let last = query_plan(&store, LAST_STANZA_ID).await;
            assert!(last.contains("USING INDEX messages_archived"), "{last}");
            assert!(!last.contains("TEMP B-TREE"), "{last}");
            let search = query_plan(&store, SEARCH).await;
            assert!(search.contains("VIRTUAL TABLE INDEX"), "{search}");
            assert!(
                search.contains("SEARCH messages USING INTEGER PRIMARY KEY"),
                "{search}"
            );
        }
    }

    #[tokio::test]
    async fn search_finds_words_newest_first_and_filters_by_peer() {
        let (_dir, store) = store_with_accounts().await;
        store
            .insert_messages(vec![
                inbound(ALICE, CAROL, "Let's meet at the café", 1),
                inbound(ALICE, "dave@example.org", "the CAFE is closed", 2),
                inbound(ALICE, CAROL, "cafeteria is not a café", 3),
                inbound(ALICE, CAROL, "nothing to see", 4),
                inbound(BOB, CAROL, "cafe for bob", 5),
            ])
            .await
            .unwrap();
        let bodies =
            |msgs: Vec<ChatMessage>| msgs.into_iter().map(|m| m.sent_at).collect::<Vec<_>>();
        assert_eq!(
            bodies(store.search(ALICE, None, "cafe", 10).await.unwrap()),
            [3, 2, 1]
        );
        assert_eq!(
            bodies(store.search(ALICE, Some(CAROL), "café", 10).await.unwrap()),
            [3, 1]
        );
        assert_eq!(
            bodies(store.search(ALICE, None, "cafe closed", 10).await.unwrap()),
            [2]
        );
        assert_eq!(
            bodies(store.search(ALICE, None, "cafe", 1).await.unwrap()),
            [3]
        );
        assert_eq!(
            bodies(store.search(ALICE, None, "  ", 10).await.unwrap()),
            Vec::<i64>::new()
        );
    }

    #[tokio::test]
    async fn hostile_search_text_never_makes_an_error() {
        let (_dir, store) = store_with_accounts().await;
        store
            .insert_messages(vec![
                inbound(
                    ALICE,
                    CAROL,
                    r#"he said "foo" AND left NEAR( the * door) OR NOT"#,
                    1,
                ),
                inbound(ALICE, CAROL, "body: col:x ^start {a b} - + 'quote'", 2),
            ])
            .await
            .unwrap();
        let inputs = [
            "\"foo",
            "NEAR(",
            "*",
            "AND",
            "OR",
            "NOT",
            "foo\"bar",
            "\"\"",
            "\"",
            "(",
            ")",
            "^",
            "-",
            "+",
            ":",
            "body:",
            "body: foo",
            "{body}: x",
            "col:x",
            "NEAR(foo left, 2)",
            "foo*",
            "'",
            "",
            " \t\n",
            "a\0b",
            "\u{feff}",
            "🙂",
            "AND OR NOT",
            "foo AND",
            "^start",
            "{a b}",
        ];
        for input in inputs {
            let result = store.search(ALICE, None, input, 10).await;
            assert!(result.is_ok(), "{input:?}: {result:?}");
        }
        let found = |text: &'static str| {
            let store = store.clone();
            async move { store.search(ALICE, None, text, 10).await.unwrap().len() }
        };
        assert_eq!(found("\"foo").await, 1);
        assert_eq!(found("AND").await, 1, "operators are words like any other");
        assert_eq!(found("NEAR(").await, 1);
        assert_eq!(found("col:x").await, 1);
        assert_eq!(
            found("* door").await,
            1,
            "a term without letters is ignored, not an error"
        );
    }

    #[tokio::test]
    async fn the_last_stanza_id_is_the_newest_archived_message() {
        let (_dir, store) = store_with_accounts().await;
        assert_eq!(store.last_stanza_id(ALICE).await.unwrap(), None);
        let archived = |sid: &str, sent_at| ChatMessage {
            stanza_id: Some(sid.into()),
            ..inbound(ALICE, CAROL, "x", sent_at)
        };
        store
            .insert_messages(vec![
                archived("late", 30),
                archived("early", 10),
                inbound(ALICE, CAROL, "live, not archived", 40),
                archived("other-peer", 20),
            ])
            .await
            .unwrap();
        assert_eq!(
            store.last_stanza_id(ALICE).await.unwrap().as_deref(),
            Some("late")
        );
        assert_eq!(store.last_stanza_id(BOB).await.unwrap(), None);
        assert_eq!(store.message_count(ALICE).await.unwrap(), 4);
        assert_eq!(store.message_count(BOB).await.unwrap(), 0);
    }

    #[test]
    fn search_text_becomes_quoted_phrases() {
        let cases = [
            ("hello world", Some(r#""hello" "world""#)),
            (r#"say "hi""#, Some(r#""say" """hi""""#)),
            ("* - ( )", None),
            ("", None),
            ("NEAR(a", Some(r#""NEAR(a""#)),
            ("a\0b\u{7}c", Some(r#""a" "b" "c""#)),
        ];
        for (input, expected) in cases {
            assert_eq!(fts_query(input).as_deref(), expected, "{input:?}");
        }
    }
}
