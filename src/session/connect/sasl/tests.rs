//! Choosing the mechanism: one row per offer.

use super::*;

use AuthMethod::{Plain as P, Scram as S, ScramBound as B};
use BindingType::{TlsExporter as Exporter, TlsServerEndPoint as EndPoint, TlsUnique as Unique};

fn offer(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// What this connection can bind with: exporter (TLS 1.3) and/or end-point.
fn ours(exporter: bool, end_point: bool) -> Bindings {
    Bindings {
        exporter: exporter.then(|| vec![1; 32]),
        end_point: end_point.then(|| vec![2; 32]),
    }
}

/// A plan in the words of the wire: the mechanism and the GS2 header's binding part.
fn said(plan: &Plan) -> (&'static str, String) {
    let flag = match plan {
        Plan::Scram { gs2, .. } => format!("{gs2:?}"),
        Plan::Plain => String::new(),
    };
    (plan.mechanism(), flag)
}

#[test]
fn the_strongest_offer_the_connection_can_bind_is_chosen() {
    let tls13 = ours(true, true);
    let tls12 = ours(false, true);
    let no_end_point = ours(true, false);
    let ejabberd_23 = offer(&["PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "X-OAUTH2"]);
    type Case<'a> = (
        BTreeSet<String>,
        &'a [BindingType],
        &'a Bindings,
        (&'a str, &'a str),
    );
    let cases: Vec<Case> = vec![
        // ejabberd 23.01: -PLUS without an XEP-0440 list (tls-unique implied): no binding in
        // common, and the server must not think the -PLUS offer was stripped.
        (ejabberd_23.clone(), &[], &tls13, ("SCRAM-SHA-1", "n,,")),
        (
            ejabberd_23.clone(),
            &[Unique],
            &tls13,
            ("SCRAM-SHA-1", "n,,"),
        ),
        (
            ejabberd_23,
            &[Exporter],
            &tls13,
            ("SCRAM-SHA-1-PLUS", "p=tls-exporter,,"),
        ),
        // Prosody 0.12 on TLS 1.3: no -PLUS at all, so `y`.
        (
            offer(&["PLAIN", "SCRAM-SHA-1"]),
            &[],
            &tls13,
            ("SCRAM-SHA-1", "y,,"),
        ),
        // The exporter only on TLS 1.3; the end-point on any version.
        (
            offer(&["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]),
            &[Exporter, EndPoint],
            &tls13,
            ("SCRAM-SHA-256-PLUS", "p=tls-exporter,,"),
        ),
        (
            offer(&["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]),
            &[Exporter, EndPoint],
            &tls12,
            ("SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,"),
        ),
        (
            offer(&["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]),
            &[Exporter],
            &tls12,
            ("SCRAM-SHA-256", "n,,"),
        ),
        (
            offer(&["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]),
            &[EndPoint],
            &no_end_point,
            ("SCRAM-SHA-256", "n,,"),
        ),
        // SHA-512, 256, 1 in that order, binding first.
        (
            offer(&["SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"]),
            &[],
            &tls13,
            ("SCRAM-SHA-512", "y,,"),
        ),
        (
            offer(&["SCRAM-SHA-1-PLUS", "SCRAM-SHA-512", "SCRAM-SHA-256-PLUS"]),
            &[EndPoint],
            &tls13,
            ("SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,"),
        ),
        // PLAIN last.
        (
            offer(&["PLAIN", "X-OAUTH2"]),
            &[Exporter],
            &tls13,
            ("PLAIN", ""),
        ),
    ];
    for (offered, named, bindings, expected) in cases {
        let plan = plan(&offered, named, bindings, None, "a@b").expect("a plan");
        let (mechanism, flag) = said(&plan);
        assert_eq!(
            (mechanism, flag.as_str()),
            expected,
            "{offered:?} {named:?} {bindings:?}"
        );
        if let Plan::Scram {
            gs2: Gs2::Bound { name, data },
            ..
        } = &plan
        {
            let ours = if *name == "tls-exporter" {
                &bindings.exporter
            } else {
                &bindings.end_point
            };
            assert_eq!(Some(data), ours.as_ref());
        }
    }
}

#[test]
fn nothing_in_common_is_said_so() {
    for offered in [offer(&[]), offer(&["X-OAUTH2", "ANONYMOUS", "DIGEST-MD5"])] {
        assert_eq!(
            plan(&offered, &[Exporter], &ours(true, true), None, "a@b"),
            Err(AuthProblem::NoMechanism)
        );
    }
}

#[test]
fn a_weaker_offer_than_what_worked_before_is_refused_unless_allowed() {
    let bound = (
        offer(&["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN"]),
        vec![Exporter],
    );
    let unbound = (offer(&["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN"]), vec![]);
    let stripped = (offer(&["SCRAM-SHA-1", "PLAIN"]), vec![]);
    let plain_only = (offer(&["PLAIN"]), vec![]);
    let cases = [
        // (offer, floor, the method used or the refusal's "offered")
        (&bound, Some(B), Ok(B)),
        (&unbound, Some(B), Err(S)),
        (&stripped, Some(B), Err(S)),
        (&plain_only, Some(B), Err(P)),
        (&stripped, Some(S), Ok(S)),
        (&plain_only, Some(S), Err(P)),
        (&plain_only, Some(P), Ok(P)),
        (&bound, Some(P), Ok(B)),
        // Nothing remembered, or the person allowed anything: whatever is best.
        (&plain_only, None, Ok(P)),
        (&stripped, None, Ok(S)),
    ];
    for ((offered, named), floor, expected) in cases {
        let result = plan(offered, named, &ours(true, true), floor, "a@b").map(|p| p.method());
        let expected = expected.map_err(|offered| AuthProblem::Downgrade {
            jid: "a@b".into(),
            before: floor.expect("a refusal has a floor"),
            offered,
        });
        assert_eq!(result, expected, "{offered:?} {named:?} floor {floor:?}");
    }
}

#[test]
fn a_refusal_says_what_happened_and_how_to_allow_it() {
    let text = AuthProblem::Downgrade {
        jid: "alice@example.org".into(),
        before: B,
        offered: P,
    }
    .to_string();
    for words in [
        "SCRAM with channel binding",
        "PLAIN",
        "natter account add alice@example.org --allow-plain",
        "Allow weaker sign-in methods",
    ] {
        assert!(text.contains(words), "“{text}” should say “{words}”");
    }
    let refused = AuthProblem::Refused {
        condition: "not-authorized".into(),
        text: Some("Invalid channel binding".into()),
    };
    assert_eq!(
        refused.to_string(),
        "the server refused the password (not-authorized: Invalid channel binding)"
    );
    assert!(
        AuthProblem::WrongSignature
            .to_string()
            .contains("could not prove that it knows your password")
    );
}
