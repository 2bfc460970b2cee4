//! SCRAM against the RFC's test vectors; SHA-512 and channel-bound vectors computed with
//! Python's hashlib and hmac (an implementation of its own, which gives the RFC vectors too).

use super::*;

struct Vector {
    hash: Hash,
    gs2: Gs2,
    password: &'static str,
    client_nonce: &'static str,
    client_first: &'static str,
    server_first: &'static str,
    client_final: &'static str,
    server_final: &'static str,
}

fn vectors() -> Vec<Vector> {
    vec![
        // RFC 5802 §5.
        Vector {
            hash: Hash::Sha1,
            gs2: Gs2::Unbound,
            password: "pencil",
            client_nonce: "fyko+d2lbbFgONRv9qkxdawL",
            client_first: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
            server_first: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
            client_final: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,\
                           p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
            server_final: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
        },
        // RFC 7677 §3.
        Vector {
            hash: Hash::Sha256,
            gs2: Gs2::Unbound,
            password: "pencil",
            client_nonce: "rOprNGfwEbeRWgbNEkqO",
            client_first: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
            server_first: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                           s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            client_final: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                           p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
            server_final: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
        },
        Vector {
            hash: Hash::Sha512,
            gs2: Gs2::Unbound,
            password: "pencil",
            client_nonce: "rOprNGfwEbeRWgbNEkqO",
            client_first: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
            server_first: "r=rOprNGfwEbeRWgbNEkqO02e8bc5b-0c5c-4ee4,\
                           s=Yin2FuHTt/M0kJWb0t9OI32n2VmOGi3m,i=4096",
            client_final: "c=biws,r=rOprNGfwEbeRWgbNEkqO02e8bc5b-0c5c-4ee4,\
                           p=M8NZH9AlUIPKJcLpIhy5FkqlImajoRLJbV5yd0cWNrrRZSghlwqINU/G0IwD2jRHCyp\
                           gPkLB1cn7zdw+LUNfIA==",
            server_final: "v=u+WdtTlV8nYId6CZs7LTSN8WTpFvoyYYuuHxlDqdyaJZd7npZOzsn9ZGtR828MGrPMf\
                           UzRPXTHD2Ps0u+B8gtA==",
        },
        // RFC 7677's exchange bound with tls-exporter data 00 01 … 1f.
        Vector {
            hash: Hash::Sha256,
            gs2: Gs2::Bound {
                name: "tls-exporter",
                data: (0u8..32).collect(),
            },
            password: "pencil",
            client_nonce: "rOprNGfwEbeRWgbNEkqO",
            client_first: "p=tls-exporter,,n=user,r=rOprNGfwEbeRWgbNEkqO",
            server_first: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                           s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            client_final: "c=cD10bHMtZXhwb3J0ZXIsLAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f,\
                           r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                           p=QC6CS20quADQRb3mT99YUH+n3VJxUvzuK0K0E1Vrs2M=",
            server_final: "v=2GiAgapEppLVlUXbxUDksL3VgYHzuqiK5tR4mhJGgvs=",
        },
    ]
}

fn client(v: &Vector) -> ScramClient {
    ScramClient::new(
        v.hash,
        "user",
        v.password,
        v.gs2.clone(),
        v.client_nonce.into(),
    )
}

#[test]
fn the_messages_and_the_server_signature_match_the_test_vectors() {
    for v in vectors() {
        let scram = client(&v);
        assert_eq!(
            String::from_utf8(scram.first_message()).unwrap(),
            v.client_first
        );
        let (answer, proof) = scram.answer(v.server_first.as_bytes()).expect("an answer");
        assert_eq!(String::from_utf8(answer).unwrap(), v.client_final);
        assert_eq!(
            proof.check(v.server_final.as_bytes()),
            Ok(()),
            "{:?}",
            v.hash
        );
    }
}

#[test]
fn a_wrong_missing_or_refusing_server_final_fails_the_sign_in() {
    for v in vectors() {
        let (_, proof) = client(&v).answer(v.server_first.as_bytes()).unwrap();
        // The right signature for another exchange: the other vectors'.
        for other in vectors()
            .iter()
            .filter(|o| o.server_final != v.server_final)
        {
            assert_eq!(
                proof.check(other.server_final.as_bytes()),
                Err(AuthProblem::WrongSignature)
            );
        }
        let mut flipped = BASE64.decode(&v.server_final[2..]).unwrap();
        flipped[0] ^= 1;
        let flipped = format!("v={}", BASE64.encode(flipped));
        let cases: [(&[u8], AuthProblem); 7] = [
            (flipped.as_bytes(), AuthProblem::WrongSignature),
            (b"v=", AuthProblem::WrongSignature),
            (b"", AuthProblem::NoSignature),
            (b"x=1", AuthProblem::NoSignature),
            (b"v=***", AuthProblem::Malformed("v=".into())),
            (
                b"\xff\xfe",
                AuthProblem::Malformed("server-final-message".into()),
            ),
            (
                b"e=channel-bindings-dont-match",
                AuthProblem::ServerError("channel-bindings-dont-match".into()),
            ),
        ];
        for (server_final, expected) in cases {
            assert_eq!(proof.check(server_final), Err(expected));
        }
    }
}

#[test]
fn a_server_first_message_that_does_not_fit_is_refused_before_any_work() {
    let v = &vectors()[0];
    let nonce = "r=fyko+d2lbbFgONRv9qkxdawL3rfc";
    let cases = [
        (
            "m=ext,r=fyko+d2lbbFgONRv9qkxdawL3rfc,s=QSXCR+Q6sek8bf92,i=4096",
            "m=",
        ),
        // Not our nonce, or only our nonce: a replay, or no server part.
        ("r=someone-else,s=QSXCR+Q6sek8bf92,i=4096", "r="),
        ("r=fyko+d2lbbFgONRv9qkxdawL,s=QSXCR+Q6sek8bf92,i=4096", "r="),
        (
            "r=fyko+d2lbbFgONRv9qkxdawL\u{7f},s=QSXCR+Q6sek8bf92,i=4096",
            "r=",
        ),
        ("s=QSXCR+Q6sek8bf92,i=4096", "r="),
        (&format!("{nonce},i=4096"), "s="),
        (&format!("{nonce},s=,i=4096"), "s="),
        (&format!("{nonce},s=not base64,i=4096"), "s="),
        (&format!("{nonce},s=QSXCR+Q6sek8bf92"), "i="),
        (&format!("{nonce},s=QSXCR+Q6sek8bf92,i=0"), "i="),
        (&format!("{nonce},s=QSXCR+Q6sek8bf92,i=-1"), "i="),
        (&format!("{nonce},s=QSXCR+Q6sek8bf92,i=1000001"), "i="),
        (&format!("{nonce},s=QSXCR+Q6sek8bf92,i=99999999999"), "i="),
    ];
    for (server_first, what) in cases {
        let result = client(v).answer(server_first.as_bytes()).map(|(m, _)| m);
        assert_eq!(
            result,
            Err(AuthProblem::Malformed(what.into())),
            "{server_first}"
        );
    }
    let result = client(v).answer(b"\xff").map(|(m, _)| m);
    assert_eq!(
        result,
        Err(AuthProblem::Malformed("server-first-message".into()))
    );
    // Extensions after the count are allowed.
    let with_extension = format!("{nonce},s=QSXCR+Q6sek8bf92,i=4096,x=later");
    assert!(client(v).answer(with_extension.as_bytes()).is_ok());
}

#[test]
fn names_are_escaped_and_passwords_prepared_as_the_rfcs_say() {
    let scram = ScramClient::new(Hash::Sha1, "a,b=c", "pw", Gs2::ServerCannot, "N".into());
    assert_eq!(scram.first_message(), b"y,,n=a=2Cb=3Dc,r=N");
    // SASLprep maps a soft hyphen to nothing and a no-break space to a space (RFC 4013).
    let v = &vectors()[0];
    let plain = client(v).answer(v.server_first.as_bytes()).unwrap().0;
    let hyphen = ScramClient::new(
        v.hash,
        "user",
        "pen\u{ad}cil",
        Gs2::Unbound,
        v.client_nonce.into(),
    );
    assert_eq!(hyphen.answer(v.server_first.as_bytes()).unwrap().0, plain);
    assert_eq!(prepared("a\u{a0}b"), "a b");
    // What SASLprep refuses (a control character) goes as typed rather than not at all.
    assert_eq!(prepared("a\u{7}b"), "a\u{7}b");
}

#[test]
fn nonces_are_fresh_printable_and_free_of_commas() {
    let a = nonce().unwrap();
    let b = nonce().unwrap();
    assert_ne!(a, b);
    assert_eq!(a.len(), 32);
    assert!(a.bytes().all(|c| (0x21..=0x7e).contains(&c) && c != b','));
}
