//! The XEP's own examples, the cases around them, hostile bodies, and random bodies that must
//! parse without a panic into runs that cover the text exactly.

use super::*;

/// The runs of `body` written out: plain text as it is, a styled run as `{flags:text}` (B
/// strong, I emphasis, S strike, C code, D directive), each block after `|` with its quote
/// depth (`q1`) or `pre`. An unstyled body is itself.
fn show(body: &str) -> String {
    let Some(blocks) = parse(body) else {
        return body.to_owned();
    };
    let mut out = String::new();
    for block in blocks {
        out.push('|');
        if block.quote > 0 {
            out.push_str(&format!("q{}", block.quote));
        }
        if block.pre {
            out.push_str("pre");
        }
        out.push(' ');
        for run in block.runs {
            let text = &body[run.range];
            let s = run.style;
            if s.is_plain() {
                out.push_str(text);
                continue;
            }
            let flags: String = [
                (s.strong, 'B'),
                (s.emphasis, 'I'),
                (s.strike, 'S'),
                (s.code, 'C'),
                (s.directive, 'D'),
            ]
            .into_iter()
            .filter_map(|(on, f)| on.then_some(f))
            .collect();
            out.push_str(&format!("{{{flags}:{text}}}"));
        }
    }
    out
}

#[test]
fn the_xeps_span_examples_are_styled_as_it_says() {
    let cases = [
        ("plain span", "plain span"),
        ("*strong span*", "| {BD:*}{B:strong span}{BD:*}"),
        (
            "plain _emphasis_ plain",
            "| plain {ID:_}{I:emphasis}{ID:_} plain",
        ),
        (
            "`pre` plain *strong*",
            "| {CD:`}{C:pre}{CD:`} plain {BD:*}{B:strong}{BD:*}",
        ),
        ("*strong*plain*", "| {BD:*}{B:strong}{BD:*}plain*"),
        ("* plain *strong*", "| * plain {BD:*}{B:strong}{BD:*}"),
        (
            "Everyone ~dis~likes cake.",
            "| Everyone {SD:~}{S:dis}{SD:~}likes cake.",
        ),
        (
            "This is `*monospace*`",
            "| This is {CD:`}{C:*monospace*}{CD:`}",
        ),
        (
            "This is *`monospace and bold`*",
            "| This is {BD:*}{BCD:`}{BC:monospace and bold}{BCD:`}{BD:*}",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(show(body), expected, "{body:?}");
    }
}

#[test]
fn what_the_xep_says_is_not_styled_is_not() {
    for body in [
        "not strong*",
        "*not strong",
        "*not \n strong*",
        "*not *strong",
        "**",
        "***",
        "****",
        "a * b * c",
        "snake_case_name and 2*3*4",
    ] {
        assert_eq!(parse(body), None, "{body:?}");
    }
}

#[test]
fn spans_nest_but_do_not_overlap_or_style_inside_code() {
    let cases = [
        (
            "*this cannot _overlap*_",
            "| {BD:*}{B:this cannot _overlap}{BD:*}_",
        ),
        (
            "_no pre `with *children*`_",
            "| {ID:_}{I:no pre }{ICD:`}{IC:with *children*}{ICD:`}{ID:_}",
        ),
        ("*_both_*", "| {BD:*}{BID:_}{BI:both}{BID:_}{BD:*}"),
    ];
    for (body, expected) in cases {
        assert_eq!(show(body), expected, "{body:?}");
    }
}

#[test]
fn the_xeps_block_examples_are_read_as_it_says() {
    let cases = [
        (
            "There are three blocks in this body, one per line,\nbut there is no *formatting\nas spans* may not escape blocks.",
            None,
        ),
        (
            "```ignored\n(println \"Hello, world!\")\n```\nThis should show up as monospace, preformatted text ⤴",
            Some(
                "|pre {D:```ignored}\n(println \"Hello, world!\")\n{D:```}\n| This should show up as monospace, preformatted text ⤴",
            ),
        ),
        (
            "> ```\n> (println \"Hello, world!\")\nThe entire blockquote is a preformatted text block, but this line\nis plaintext!",
            Some(
                "|q1pre {D:> ```}\n{D:> }(println \"Hello, world!\")\n| The entire blockquote is a preformatted text block, but this line\nis plaintext!",
            ),
        ),
        (
            "> That that is, is.\nSaid the old hermit of Prague.",
            Some("|q1 {D:> }That that is, is.\n| Said the old hermit of Prague."),
        ),
        (
            ">> That that is, is.\n> Said the old hermit of Prague.\nWho?",
            Some("|q2 {D:>> }That that is, is.\n|q1 {D:> }Said the old hermit of Prague.\n| Who?"),
        ),
        ("> _ <", Some("|q1 {D:> }_ <")),
    ];
    for (body, expected) in cases {
        let shown = show(body);
        match expected {
            Some(expected) => assert_eq!(shown, expected, "{body:?}"),
            None => assert_eq!(parse(body), None, "{body:?}"),
        }
    }
}

#[test]
fn quotes_end_at_a_line_without_a_marker_and_pre_at_its_fence_or_its_parent() {
    let cases = [
        (
            ">  two spaces\n>>   deeper > 2\n>back\n\nout",
            "|q1 {D:> } two spaces\n|q2 {D:>> }  deeper > 2\n|q1 {D:>}back\n| \nout",
        ),
        (
            "```\npre *fmt* ```\n```\nplain",
            "|pre {D:```}\npre *fmt* ```\n{D:```}\n| plain",
        ),
        ("```\na```", "|pre {D:```}\na```"),
        (
            "> ```\n> pre\n> ```\n> not *pre*",
            "|q1pre {D:> ```}\n{D:> }pre\n{D:> ```}\n|q1 {D:> }not {BD:*}{B:pre}{BD:*}",
        ),
        (
            "a\r\n```\r\nb\r\n```\r\nc",
            "| a\r\n|pre {D:```\r}\nb\r\n{D:```\r}\n| c",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(show(body), expected, "{body:?}");
    }
}

#[test]
fn a_me_action_is_only_a_body_starting_with_slash_me_and_a_space() {
    assert_eq!(me_action("/me waves"), Some("waves"));
    assert_eq!(me_action("/me  waves twice"), Some(" waves twice"));
    for body in ["/mewaves", " /me waves", "/ME waves", "hi /me waves", "/me"] {
        assert_eq!(me_action(body), None, "{body:?}");
    }
}

/// Every byte of `body` in exactly one run, in order, no run empty; blocks in order too.
fn assert_covers(body: &str) {
    assert!(covers_exactly(body), "{body:?}");
    let Some(blocks) = parse(body) else { return };
    assert!(blocks.len() <= MAX_BLOCKS);
    let mut at = 0;
    for block in &blocks {
        assert!(block.quote <= MAX_QUOTE_DEPTH);
        assert_eq!(block.range().start, at);
        for run in &block.runs {
            assert_eq!(run.range.start, at, "a gap or an overlap in {body:?}");
            assert!(run.range.end > run.range.start, "an empty run in {body:?}");
            assert!(body.is_char_boundary(run.range.end));
            at = run.range.end;
        }
    }
    assert_eq!(at, body.len(), "the runs end before the body: {body:?}");
}

#[test]
fn hostile_bodies_stay_bounded_and_covered() {
    let deep = format!("{}deep", ">".repeat(10_000));
    let blocks = parse(&deep).expect("a quote");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].quote, MAX_QUOTE_DEPTH);
    assert_covers(&deep);

    let nested_lines: String = (0..200)
        .map(|n| format!("{}x\n", ">".repeat(n * 50)))
        .collect();
    let blocks = parse(&nested_lines).expect("quotes");
    assert!(blocks.iter().all(|b| b.quote <= MAX_QUOTE_DEPTH));
    assert_covers(&nested_lines);

    let stars = "*".repeat(100_000);
    assert_eq!(parse(&stars), None);
    for body in [
        "*a ".repeat(35_000),
        "_*~`".repeat(25_000),
        "*a* ".repeat(25_000),
        "> a\nb\n".repeat(20_000),
        "```\n".repeat(25_000),
        format!("*{}*", "é".repeat(50_000)),
    ] {
        assert!(body.len() >= 100_000);
        assert_covers(&body);
    }
    let alternating = "> a\nb\n".repeat(20_000);
    assert_eq!(
        parse(&alternating).map(|b| b.len()),
        Some(MAX_BLOCKS),
        "the rest is one plain block"
    );
}

/// A small xorshift generator: the same bodies on every run, no dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_bodies_never_panic_and_their_runs_cover_them_exactly() {
    const ALPHABET: [&str; 16] = [
        "*", "_", "~", "`", "```", ">", "> ", "\n", " ", "a", "é", "\u{3000}", "\r", "字", "🙂",
        "\t",
    ];
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = (random.next() % 40) as usize;
        let body: String = (0..len)
            .map(|_| ALPHABET[(random.next() % ALPHABET.len() as u64) as usize])
            .collect();
        assert_covers(&body);
    }
}
