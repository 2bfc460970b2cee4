//! Planning a SASL2 request: one row per offer, token and wish.

use super::*;

fn features(xml: &str) -> Authentication {
    let element: Element = xml.parse().expect("well-formed XML");
    Authentication::try_from(element).expect("an <authentication/> feature")
}

/// Prosody 0.13 as it offers itself: SCRAM with -PLUS, Bind 2 with stream management and
/// carbons inline, FAST with and without binding.
const PROSODY_13: &str = "<authentication xmlns='urn:xmpp:sasl:2'>\
    <mechanism>SCRAM-SHA-1</mechanism><mechanism>SCRAM-SHA-1-PLUS</mechanism>\
    <mechanism>SCRAM-SHA-256</mechanism><mechanism>SCRAM-SHA-256-PLUS</mechanism>\
    <inline><bind xmlns='urn:xmpp:bind:0'><inline>\
    <feature var='urn:xmpp:carbons:2'/><feature var='urn:xmpp:sm:3'/></inline></bind>\
    <sm xmlns='urn:xmpp:sm:3'/>\
    <fast xmlns='urn:xmpp:fast:0'><mechanism>HT-SHA-256-NONE</mechanism>\
    <mechanism>HT-SHA-256-ENDP</mechanism><mechanism>HT-SHA-256-EXPR</mechanism></fast>\
    </inline></authentication>";

/// SASL2 and nothing inline.
const BARE: &str = "<authentication xmlns='urn:xmpp:sasl:2'>\
    <mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></authentication>";

fn who(floor: Option<AuthMethod>) -> Credentials<'static> {
    Credentials {
        jid: "alice@example.org",
        username: "alice",
        password: "pencil",
        floor,
    }
}

fn token(mechanism: &str) -> Token {
    Token {
        mechanism: mechanism.into(),
        secret: "s3cret".into(),
        expires: 2_000_000_000,
        client: "c0ffee00-0000-4000-8000-000000000000".into(),
        offer: None,
    }
}

/// The plan in the words of the wire: mechanism, Bind 2 (sm, carbons), token asked for.
fn said(plan: &Plan2) -> (String, Option<(bool, bool)>, Option<String>) {
    (
        plan.mechanism(),
        plan.bind.map(|b| (b.stream_management, b.carbons)),
        plan.request_token.map(HtMechanism::name),
    )
}

#[test]
fn a_request_holds_what_the_server_offers_and_the_sign_in_wants() {
    let tls13 = Bindings {
        exporter: Some(vec![1; 32]),
        end_point: Some(vec![2; 32]),
    };
    let tls12 = Bindings {
        exporter: None,
        end_point: Some(vec![2; 32]),
    };
    let cb = [BindingType::TlsExporter, BindingType::TlsServerEndPoint];
    let expr = token("HT-SHA-256-EXPR");
    type Row<'a> = (
        &'a str,
        &'a Bindings,
        Option<&'a Token>,
        bool,
        (&'a str, Option<(bool, bool)>, Option<&'a str>),
    );
    let rows: [Row; 6] = [
        // First sign-in: the password, bound; bind with sm and carbons; the bound token asked.
        (
            PROSODY_13,
            &tls13,
            None,
            true,
            (
                "SCRAM-SHA-256-PLUS",
                Some((true, true)),
                Some("HT-SHA-256-EXPR"),
            ),
        ),
        // A reconnection that may resume: no Bind 2.
        (
            PROSODY_13,
            &tls13,
            None,
            false,
            ("SCRAM-SHA-256-PLUS", None, Some("HT-SHA-256-EXPR")),
        ),
        // With the token: HT, nothing asked for.
        (
            PROSODY_13,
            &tls13,
            Some(&expr),
            true,
            ("HT-SHA-256-EXPR", Some((true, true)), None),
        ),
        // TLS 1.2 (no exporter): the EXPR token cannot be used; the end-point one is asked.
        (
            PROSODY_13,
            &tls12,
            Some(&expr),
            true,
            (
                "SCRAM-SHA-256-PLUS",
                Some((true, true)),
                Some("HT-SHA-256-ENDP"),
            ),
        ),
        // Nothing inline: just the password.
        (BARE, &tls13, Some(&expr), true, ("SCRAM-SHA-1", None, None)),
        (BARE, &tls12, None, false, ("SCRAM-SHA-1", None, None)),
    ];
    for (offer, bindings, token, bind, expected) in rows {
        let wants = Wants {
            token,
            bind,
            now: 1_000,
        };
        let plan = plan(&features(offer), &cb, bindings, &who(None), &wants).expect("a plan");
        let expected = (
            expected.0.to_owned(),
            expected.1,
            expected.2.map(str::to_owned),
        );
        assert_eq!(
            said(&plan),
            expected,
            "{offer} {bindings:?} {token:?} {bind}"
        );
        if let Some(token) = token.filter(|_| matches!(plan.proof, Proof::Token { .. })) {
            assert_eq!(
                plan.client, token.client,
                "a token goes with its user-agent id"
            );
        }
    }
}

#[test]
fn the_floor_holds_for_sasl2_mechanisms_and_tokens_alike() {
    let tls13 = Bindings {
        exporter: Some(vec![1; 32]),
        end_point: None,
    };
    let none = token("HT-SHA-256-NONE");
    let wants = Wants {
        token: Some(&none),
        bind: true,
        now: 1_000,
    };
    // After SCRAM with binding: an unbound token is not used, and SCRAM without binding (all
    // that is left once -PLUS and the binding list are stripped) is refused.
    let got = plan(
        &features(PROSODY_13),
        &[],
        &tls13,
        &who(Some(AuthMethod::ScramBound)),
        &wants,
    );
    assert!(
        matches!(
            got,
            Err(AuthProblem::Downgrade {
                before: AuthMethod::ScramBound,
                offered: AuthMethod::Scram,
                ..
            })
        ),
        "{got:?}"
    );
    // After SCRAM without binding: the unbound token is as good.
    let got = plan(
        &features(PROSODY_13),
        &[],
        &tls13,
        &who(Some(AuthMethod::Scram)),
        &wants,
    );
    assert!(matches!(got.map(|p| p.proof), Ok(Proof::Token { .. })));
    // An expired token is not tried.
    let late = Wants {
        now: 2_100_000_000,
        ..wants
    };
    let got = plan(&features(PROSODY_13), &[], &tls13, &who(None), &late).expect("a plan");
    assert!(matches!(got.proof, Proof::Password(_)), "{got:?}");
}

#[test]
fn the_request_is_one_authenticate_element_with_everything_inline() {
    let plan = Plan2 {
        proof: Proof::Password(Plan::Plain),
        bind: Some(Inline {
            stream_management: true,
            carbons: false,
        }),
        request_token: HtMechanism::parse("HT-SHA-256-NONE"),
        client: "c0ffee00-0000-4000-8000-000000000000".into(),
        offer: Offer {
            bind2: true,
            stream_management: true,
            carbons: false,
        },
    };
    let element = plan.authenticate(b"\0alice\0pencil").expect("an element");
    assert!(element.is("authenticate", ns::SASL2));
    assert_eq!(element.attr("mechanism"), Some("PLAIN"));
    let bind = element.get_child("bind", ns::BIND2).expect("Bind 2");
    assert!(bind.get_child("enable", ns::SM).is_some());
    assert!(bind.get_child("enable", ns::CARBONS).is_none());
    let request = element
        .get_child("request-token", ns::FAST)
        .expect("a token asked for");
    assert_eq!(request.attr("mechanism"), Some("HT-SHA-256-NONE"));
    let agent = element
        .get_child("user-agent", ns::SASL2)
        .expect("a user agent");
    assert_eq!(agent.attr("id"), Some(plan.client.as_str()));
}

#[test]
fn a_token_that_knows_the_servers_offer_goes_ahead_of_the_features() {
    let tls13 = Bindings {
        exporter: Some(vec![1; 32]),
        end_point: Some(vec![2; 32]),
    };
    let offer = Offer {
        bind2: true,
        stream_management: true,
        carbons: true,
    };
    let known = Token {
        offer: Some(offer),
        ..token("HT-SHA-256-EXPR")
    };
    let unknown = token("HT-SHA-256-EXPR");
    let unbound = Token {
        offer: Some(offer),
        ..token("HT-SHA-256-NONE")
    };
    let wants = |token, bind| Wants {
        token,
        bind,
        now: 1_000,
    };
    let first = plan_ahead(&tls13, &who(None), &wants(Some(&known), true)).expect("ahead");
    assert_eq!(
        said(&first),
        ("HT-SHA-256-EXPR".into(), Some((true, true)), None)
    );
    assert!(first.opening(&tls13, &who(None)).is_some());
    let again = plan_ahead(&tls13, &who(None), &wants(Some(&known), false)).expect("ahead");
    assert_eq!(
        said(&again).1,
        None,
        "a reconnection that may resume binds no new resource"
    );
    // Not without knowing the offer, not below the floor, not without the binding, not late.
    assert!(plan_ahead(&tls13, &who(None), &wants(Some(&unknown), true)).is_none());
    let floor = who(Some(AuthMethod::ScramBound));
    assert!(plan_ahead(&tls13, &floor, &wants(Some(&unbound), true)).is_none());
    let tls12 = Bindings {
        exporter: None,
        ..tls13.clone()
    };
    assert!(plan_ahead(&tls12, &who(None), &wants(Some(&known), true)).is_none());
    let late = Wants {
        now: 2_100_000_000,
        ..wants(Some(&known), true)
    };
    assert!(plan_ahead(&tls13, &who(None), &late).is_none());
}
