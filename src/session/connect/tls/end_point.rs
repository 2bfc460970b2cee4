//! The `tls-server-end-point` channel binding (RFC 5929 §4): a hash of the server's
//! certificate, with the hash function of the certificate's own signature algorithm, and
//! SHA-256 where that is MD5 or SHA-1. Only the few DER fields that choose the hash are read;
//! rustls and webpki have checked the certificate itself before this runs.

use ring::digest;

/// The binding data for the server certificate `der`, or `None` when its signature algorithm
/// names no single hash this can compute (Ed25519, SHA-224) or the DER cannot be read: the
/// binding is then not offered to the server.
pub(in crate::session::connect) fn end_point_hash(der: &[u8]) -> Option<Vec<u8>> {
    let algorithm = hash_for(signature_algorithm(der)?)?;
    Some(digest::digest(algorithm, der).as_ref().to_vec())
}

/// The `signatureAlgorithm` of a Certificate: `SEQUENCE { tbsCertificate, signatureAlgorithm
/// AlgorithmIdentifier, signatureValue }`, as (OID, parameters).
fn signature_algorithm(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (certificate, _) = element(der, SEQUENCE)?;
    let (_tbs, rest) = element(certificate, SEQUENCE)?;
    let (algorithm, _) = element(rest, SEQUENCE)?;
    let (oid, parameters) = element(algorithm, OID)?;
    Some((oid, parameters))
}

const SEQUENCE: u8 = 0x30;
const OID: u8 = 0x06;
/// `[0]`, constructed: RSASSA-PSS-params' hashAlgorithm.
const EXPLICIT_0: u8 = 0xa0;

// The signature algorithms by their DER-encoded OIDs.
const MD5_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04];
const SHA1_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
const RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const SHA384_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
const SHA512_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
const SHA1_ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
const SHA256_ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const SHA384_ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
const SHA512_ECDSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
// The hash functions themselves (inside RSASSA-PSS parameters).
const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/// RFC 5929 §4.1: the signature's hash, except that MD5 and SHA-1 become SHA-256.
fn hash_for((oid, parameters): (&[u8], &[u8])) -> Option<&'static digest::Algorithm> {
    match oid {
        MD5_RSA | SHA1_RSA | SHA1_ECDSA | SHA256_RSA | SHA256_ECDSA => Some(&digest::SHA256),
        SHA384_RSA | SHA384_ECDSA => Some(&digest::SHA384),
        SHA512_RSA | SHA512_ECDSA => Some(&digest::SHA512),
        RSA_PSS => pss_hash(parameters),
        _ => None,
    }
}

/// RSASSA-PSS-params: `SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, … }`.
fn pss_hash(parameters: &[u8]) -> Option<&'static digest::Algorithm> {
    let (fields, _) = element(parameters, SEQUENCE)?;
    let hash = match element(fields, EXPLICIT_0) {
        Some((explicit, _)) => {
            let (identifier, _) = element(explicit, SEQUENCE)?;
            element(identifier, OID)?.0
        }
        None => SHA1,
    };
    match hash {
        SHA1 | SHA256 => Some(&digest::SHA256),
        SHA384 => Some(&digest::SHA384),
        SHA512 => Some(&digest::SHA512),
        _ => None,
    }
}

/// The first DER element of `input` when its tag is `tag`: its content and what follows it.
fn element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        // Long form: the low bits count the length bytes; four are plenty for a certificate.
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, rest) = rest.split_at(count);
        let len = bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
        (len, rest)
    };
    if rest.len() < len {
        return None;
    }
    Some(rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DER for `tag` around `content`.
    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            n if n < 0x80 => out.push(n as u8),
            n if n <= 0xff => out.extend([0x81, n as u8]),
            n => out.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        out.extend_from_slice(content);
        out
    }

    /// A certificate-shaped structure signed with `algorithm` (an AlgorithmIdentifier's
    /// content); the to-be-signed part is long enough to need a long-form length.
    fn certificate(algorithm: &[u8]) -> Vec<u8> {
        let tbs = der(SEQUENCE, &[0x02; 300]);
        let signature = der(0x03, &[0x00, 0x01, 0x02]);
        der(
            SEQUENCE,
            &[tbs, der(SEQUENCE, algorithm), signature].concat(),
        )
    }

    fn with_oid(oid: &[u8]) -> Vec<u8> {
        [der(OID, oid), vec![0x05, 0x00]].concat()
    }

    fn pss(hash: Option<&[u8]>) -> Vec<u8> {
        let fields = match hash {
            Some(hash) => der(EXPLICIT_0, &der(SEQUENCE, &der(OID, hash))),
            None => Vec::new(),
        };
        [der(OID, RSA_PSS), der(SEQUENCE, &fields)].concat()
    }

    #[test]
    fn the_hash_follows_the_signature_and_md5_or_sha1_become_sha256() {
        let sha256 = |der: &[u8]| digest::digest(&digest::SHA256, der).as_ref().to_vec();
        let sha384 = |der: &[u8]| digest::digest(&digest::SHA384, der).as_ref().to_vec();
        let sha512 = |der: &[u8]| digest::digest(&digest::SHA512, der).as_ref().to_vec();
        type Expected = fn(&[u8]) -> Vec<u8>;
        let cases: [(Vec<u8>, Expected); 13] = [
            (with_oid(MD5_RSA), sha256),
            (with_oid(SHA1_RSA), sha256),
            (with_oid(SHA1_ECDSA), sha256),
            (with_oid(SHA256_RSA), sha256),
            (with_oid(SHA256_ECDSA), sha256),
            (with_oid(SHA384_RSA), sha384),
            (with_oid(SHA384_ECDSA), sha384),
            (with_oid(SHA512_RSA), sha512),
            (with_oid(SHA512_ECDSA), sha512),
            (pss(Some(SHA384)), sha384),
            (pss(Some(SHA512)), sha512),
            (pss(Some(SHA1)), sha256),
            (pss(None), sha256),
        ];
        for (algorithm, expected) in cases {
            let cert = certificate(&algorithm);
            assert_eq!(
                end_point_hash(&cert),
                Some(expected(&cert)),
                "{algorithm:02x?}"
            );
        }
    }

    #[test]
    fn no_binding_without_a_single_known_hash_or_with_broken_der() {
        let ed25519 = [0x2b, 0x65, 0x70];
        let sha224_rsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e];
        let cases = [
            certificate(&der(OID, &ed25519)),
            certificate(&with_oid(&sha224_rsa)),
            certificate(&pss(Some(&[
                0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04,
            ]))),
            Vec::new(),
            vec![0x30],
            vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            vec![0x30, 0x85, 1, 1, 1, 1, 1],
            vec![0x31, 0x00],
        ];
        for cert in cases {
            assert_eq!(end_point_hash(&cert), None, "{cert:02x?}");
        }
        // Cut anywhere, a real certificate shape gives no binding and no panic.
        let whole = certificate(&with_oid(SHA256_ECDSA));
        for cut in 0..whole.len() {
            assert_eq!(end_point_hash(&whole[..cut]), None, "cut at {cut}");
        }
    }
}
