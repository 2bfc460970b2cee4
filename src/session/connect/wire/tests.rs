//! The scanner against well-behaved and hostile byte streams, fed whole and byte by byte (a
//! TLS record may end anywhere).

use super::*;
use tokio_xmpp::parsers::stream_error::DefinedCondition;

const HEADER: &str = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' \
    xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0'>";

/// Feeds `parts` to a fresh scanner (after a stream header), each part whole and then byte by
/// byte; both ways must give the same answer, which is returned.
fn scan(parts: &[&[u8]]) -> Result<Option<StreamEnd>, Refusal> {
    let whole = run(parts, false);
    let bytewise = run(parts, true);
    assert_eq!(whole, bytewise, "fed whole and byte by byte");
    whole
}

fn run(parts: &[&[u8]], bytewise: bool) -> Result<Option<StreamEnd>, Refusal> {
    let mut s = Scanner::default();
    s.feed(HEADER.as_bytes()).expect("the header passes");
    s.signed_in = true;
    let mut ended = None;
    for part in parts {
        let chunks: Vec<&[u8]> = if bytewise {
            part.chunks(1).collect()
        } else {
            vec![part]
        };
        for chunk in chunks {
            if let Some(e) = s.feed(chunk)? {
                ended = Some(e);
            }
        }
    }
    Ok(ended)
}

fn nested(levels: usize) -> String {
    format!(
        "<message><body>x</body>{}{}</message>",
        "<x xmlns='urn:example'>".repeat(levels - 1),
        "</x>".repeat(levels - 1)
    )
}

#[test]
fn ordinary_stanzas_pass_and_stream_errors_are_read() {
    let ok: [&str; 7] = [
        "<message from='bob@example.org/p' type='chat'><body>a &lt; b &amp;&amp; c &#x263A;</body></message>",
        "<presence/> \n <iq type='get' id='a&apos;b' to='x&quot;'><ping xmlns='urn:xmpp:ping'/></iq>",
        "<message><body><![CDATA[<not> &markup; ]] ]]></body></message>",
        "<message><body attr='>' other=\"/>\">text with > and / in it</body></message>",
        "<r xmlns='urn:xmpp:sm:3'/><a xmlns='urn:xmpp:sm:3' h='3'/>",
        "</stream:stream>",
        " \n\t ",
    ];
    for xml in ok {
        assert_eq!(scan(&[xml.as_bytes()]), Ok(None), "{xml}");
    }
    // The deepest nesting allowed, and a stanza just within the size bound.
    assert_eq!(scan(&[nested(MAX_DEPTH).as_bytes()]), Ok(None));
    let big = format!(
        "<message><body>{}</body></message>",
        "a".repeat(MAX_STANZA - 32)
    );
    assert_eq!(run(&[big.as_bytes()], false), Ok(None));

    let error = "<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>\
                 <text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Replaced by new connection</text>\
                 </stream:error></stream:stream>";
    assert_eq!(
        scan(&[error.as_bytes()]),
        Ok(Some(StreamEnd {
            condition: DefinedCondition::Conflict,
            text: Some("Replaced by new connection".into()),
        }))
    );
    let bare = "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";
    assert_eq!(
        scan(&[bare.as_bytes()]).map(|e| e.map(|e| e.condition)),
        Ok(Some(DefinedCondition::PolicyViolation))
    );
    // An element called error inside a stanza is not a stream error.
    let stanza_error = "<message type='error'><error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>";
    assert_eq!(scan(&[stanza_error.as_bytes()]), Ok(None));
}

#[test]
fn hostile_bytes_are_refused_with_their_reason() {
    let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\
                  <message><body>&lol2;</body></message>";
    let cases: [(String, Refusal); 9] = [
        (nested(MAX_DEPTH + 1), Refusal::TooDeep),
        (
            format!("<message>{}", "<x>".repeat(100_000)),
            Refusal::TooDeep,
        ),
        (
            format!("<message><body>{}", "a".repeat(MAX_STANZA)),
            Refusal::TooLarge,
        ),
        (
            format!("<message {}", "a='b' ".repeat(MAX_STANZA / 6 + 1)),
            Refusal::TooLarge,
        ),
        (laughs.into(), Refusal::Doctype),
        (
            "<message><!-- hidden --></message>".into(),
            Refusal::Comment,
        ),
        (
            "<?xml-stylesheet href='x'?><message/>".into(),
            Refusal::Instruction,
        ),
        (
            "<message><?php evil() ?></message>".into(),
            Refusal::Instruction,
        ),
        (
            "<message><body>&bank;</body></message>".into(),
            Refusal::Entity("bank".into()),
        ),
    ];
    for (xml, refusal) in cases {
        let shown: String = xml.chars().take(60).collect();
        assert_eq!(
            run(&[xml.as_bytes()], false),
            Err(refusal.clone()),
            "{shown}"
        );
        if xml.len() < 1 << 20 {
            assert_eq!(
                run(&[xml.as_bytes()], true),
                Err(refusal),
                "{shown} byte by byte"
            );
        }
    }
    let attribute = "<message to='&evil;'/>";
    assert_eq!(
        scan(&[attribute.as_bytes()]),
        Err(Refusal::Entity("evil".into()))
    );
}

#[test]
fn the_size_bound_is_per_stanza_not_per_stream() {
    // Many stanzas that add up to far more than the bound, each well within it.
    let one = format!("<message><body>{}</body></message>", "a".repeat(1 << 20));
    let parts: Vec<&[u8]> = std::iter::repeat_n(one.as_bytes(), 20).collect();
    assert_eq!(run(&parts, false), Ok(None));
}

#[test]
fn a_refusal_sticks() {
    let mut s = Scanner::default();
    s.feed(HEADER.as_bytes()).expect("header");
    assert_eq!(s.feed(b"<message><!DOCTYPE x>"), Err(Refusal::Doctype));
    assert_eq!(s.feed(b"<presence/>"), Err(Refusal::Doctype));
}

#[test]
fn a_new_stream_header_counts_only_after_sasl_success_during_the_login() {
    // The login: features, SASL success, then the restarted stream with its own header.
    let mut s = Scanner::default();
    let login = format!(
        "{HEADER}<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>\
         <mechanism>PLAIN</mechanism></mechanisms></stream:features>\
         <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>{HEADER}\
         <stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>"
    );
    assert_eq!(s.feed(login.as_bytes()), Ok(None));
    assert_eq!(s.depth, 1, "back at the stream level after the restart");

    // Signed in: an element called stream is an element, so it cannot reset the count.
    s.signed_in = true;
    let trick = "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><stream:stream>".repeat(40);
    assert_eq!(
        s.feed(format!("{trick}{}", "<x>".repeat(30)).as_bytes()),
        Err(Refusal::TooDeep)
    );
}

#[test]
fn refusals_read_as_words() {
    assert_eq!(
        Refusal::TooLarge.to_string(),
        "the server sent a stanza larger than 8 MiB; the connection was reset"
    );
    assert_eq!(
        Refusal::Entity("bank".into()).to_string(),
        "the server sent an undefined entity “&bank;”, which Natter does not accept; the \
         connection was reset"
    );
}
