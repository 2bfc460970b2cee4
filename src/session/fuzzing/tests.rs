use super::*;

#[test]
fn stanzas_are_read_in_the_stream_s_namespace_and_invalid_ones_are_skipped() {
    let input = b"<message from='a@example.org/x' type='chat' id='m1'><body>hi</body></message>\n\
        <presence from='a@example.org/x'><priority>many</priority></presence>\
        <iq from='a@example.org/x' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>";
    let outcome = inbound(input);
    // The presence with a bad priority is dropped as tokio-xmpp drops it; the stream goes on.
    assert_eq!(outcome.stanzas, 2);
    // Three sessions, each answering the ping. (The clock then runs out on the two whose
    // archive catch-up was open: they ask the archive again only after a pause.)
    assert_eq!(outcome.replies, 3);
    assert_eq!(outcome.unsendable, 0);
}

#[test]
fn the_guard_on_the_server_s_bytes_comes_first() {
    let nested = |levels: usize| {
        format!(
            "<message from='a@example.org/x' type='chat'><body>deep</body>{}{}</message>",
            "<x xmlns='urn:x'>".repeat(levels),
            "</x>".repeat(levels)
        )
    };
    // The message is level 1, so MAX_DEPTH - 1 levels fit inside it.
    let fits = inbound(nested(MAX_DEPTH - 1).as_bytes());
    assert_eq!((fits.stanzas, fits.too_deep), (1, false));
    let refused = inbound(nested(MAX_DEPTH).as_bytes());
    assert_eq!((refused.stanzas, refused.too_deep), (0, false));
    assert!(!refused.guard_depends_on_chunks);
    // A comment is refused before the parser sees it; what came before it is read.
    let message = "<message from='a@example.org/x' type='chat'><body>hi</body></message>";
    assert_eq!(
        inbound(format!("{message}<!-- x -->{message}").as_bytes()).stanzas,
        1
    );
}

#[test]
fn what_would_end_the_stream_ends_the_reading() {
    let message = "<message from='a@example.org/x' type='chat'><body>hi</body></message>";
    let cases = [
        (format!("{message}{message}"), 2),
        (format!("{message}text{message}"), 1),
        (format!("{message}</stream:stream>{message}"), 1),
        (format!("{message}<a xmlns='urn:x'/>{message}"), 1),
        (format!("{message}<message"), 1),
        ("<message xmlns='urn:x'/>".to_owned(), 0),
        (String::new(), 0),
    ];
    for (input, stanzas) in cases {
        assert_eq!(inbound(input.as_bytes()).stanzas, stanzas, "{input}");
    }
}

/// The committed inputs of the fuzz target, named seeds and the minimised corpus, as
/// `(file name, bytes)`.
fn committed(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<_> = entries
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                std::fs::read(&path).expect("a readable seed"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_seed_but_the_hostile_ones_reaches_translation() {
    let seeds = committed("fuzz/seeds/translate");
    assert!(seeds.len() >= 50, "{} seeds", seeds.len());
    for (name, bytes) in seeds {
        let outcome = inbound(&bytes);
        if !name.starts_with("hostile-") {
            assert!(outcome.stanzas > 0, "{name} is not read as a stanza");
        }
        assert_clean(&name, outcome);
    }
}

/// What the fuzz target asserts.
fn assert_clean(name: &str, outcome: Outcome) {
    assert_eq!(outcome.unsendable, 0, "{name}");
    assert!(!outcome.too_deep, "{name}");
    assert!(!outcome.guard_depends_on_chunks, "{name}");
}

#[test]
fn the_committed_corpus_runs_clean() {
    let corpus = committed("fuzz/corpus/translate");
    assert!(!corpus.is_empty());
    let read: usize = corpus.iter().map(|(_, bytes)| inbound(bytes).stanzas).sum();
    assert!(read > 0, "no corpus input reaches translation");
    for (name, bytes) in &corpus {
        assert_clean(name, inbound(bytes));
    }
}

#[test]
fn the_bodies_of_the_styled_seed_are_read_and_styled_whole() {
    let seeds = committed("fuzz/seeds/translate");
    let (_, bytes) = seeds
        .iter()
        .find(|(name, _)| name == "message-styled.xml")
        .expect("the styled seed");
    let mut bodies = Vec::new();
    inbound_with(bytes, |event| {
        if let Event::Messages(msgs) = event {
            bodies.extend(msgs.iter().map(|m| m.body.clone()));
        }
    });
    assert!(
        bodies.iter().any(|b| b.starts_with("*Lunch*")),
        "{bodies:?}"
    );
    assert!(
        bodies
            .iter()
            .any(|b| crate::model::styling::me_action(b).is_some())
    );
    for body in &bodies {
        assert!(crate::model::styling::parse(body).is_some(), "{body:?}");
        assert!(crate::model::styling::covers_exactly(body), "{body:?}");
    }
}
