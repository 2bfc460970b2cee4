//! SCRAM as a client (RFC 5802, RFC 7677, with SHA-512 the same way): the messages, the proof,
//! and the check of the server's signature. Pure: the caller moves the bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::{digest, hmac, pbkdf2};

use super::AuthProblem;

/// More iterations than this are refused: a server (or someone posing as one) could otherwise
/// make Natter spend seconds of CPU per sign-in. Servers use 4,096 to some tens of thousands;
/// a million SHA-512 rounds take about a second on the project's machines.
const MAX_ITERATIONS: u32 = 1_000_000;

/// The hash functions of the SCRAM mechanisms Natter speaks, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::session::connect) enum Hash {
    Sha512,
    Sha256,
    Sha1,
}

impl Hash {
    /// In the order Natter prefers them.
    pub(super) const PREFERRED: [Hash; 3] = [Hash::Sha512, Hash::Sha256, Hash::Sha1];

    /// The SASL mechanism name, with or without channel binding.
    pub(super) fn mechanism(self, plus: bool) -> &'static str {
        match (self, plus) {
            (Hash::Sha512, false) => "SCRAM-SHA-512",
            (Hash::Sha512, true) => "SCRAM-SHA-512-PLUS",
            (Hash::Sha256, false) => "SCRAM-SHA-256",
            (Hash::Sha256, true) => "SCRAM-SHA-256-PLUS",
            (Hash::Sha1, false) => "SCRAM-SHA-1",
            (Hash::Sha1, true) => "SCRAM-SHA-1-PLUS",
        }
    }

    fn digest(self) -> &'static digest::Algorithm {
        match self {
            Hash::Sha512 => &digest::SHA512,
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        }
    }

    fn hmac(self) -> hmac::Algorithm {
        match self {
            Hash::Sha512 => hmac::HMAC_SHA512,
            Hash::Sha256 => hmac::HMAC_SHA256,
            Hash::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        }
    }

    fn pbkdf2(self) -> pbkdf2::Algorithm {
        match self {
            Hash::Sha512 => pbkdf2::PBKDF2_HMAC_SHA512,
            Hash::Sha256 => pbkdf2::PBKDF2_HMAC_SHA256,
            Hash::Sha1 => pbkdf2::PBKDF2_HMAC_SHA1,
        }
    }
}

/// The GS2 header's channel-binding flag (RFC 5802 §6) and, when bound, the binding itself.
#[derive(Clone, PartialEq, Eq)]
pub(in crate::session::connect) enum Gs2 {
    /// `n`: no channel binding this time; the server did offer SCRAM-*-PLUS, but with no
    /// binding type Natter can compute, so it must not suspect a downgrade.
    Unbound,
    /// `y`: Natter could bind, but the server offered no SCRAM-*-PLUS; a server that does
    /// support it fails the sign-in, so someone who stripped the -PLUS offer is noticed.
    ServerCannot,
    /// `p=<name>`: bound to this TLS connection.
    Bound { name: &'static str, data: Vec<u8> },
}

impl Gs2 {
    fn header(&self) -> String {
        match self {
            Gs2::Unbound => "n,,".to_owned(),
            Gs2::ServerCannot => "y,,".to_owned(),
            Gs2::Bound { name, .. } => format!("p={name},,"),
        }
    }

    fn data(&self) -> &[u8] {
        match self {
            Gs2::Bound { data, .. } => data,
            Gs2::Unbound | Gs2::ServerCannot => &[],
        }
    }
}

impl std::fmt::Debug for Gs2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.header())
    }
}

/// One SCRAM exchange, before the server's first message. Holds the password: no `Debug`.
pub(in crate::session::connect) struct ScramClient {
    hash: Hash,
    gs2: Gs2,
    password: String,
    nonce: String,
    first_bare: String,
}

impl ScramClient {
    /// `nonce` must be printable ASCII without commas (`nonce()` makes one).
    pub(super) fn new(hash: Hash, username: &str, password: &str, gs2: Gs2, nonce: String) -> Self {
        let first_bare = format!("n={},r={nonce}", sasl_name(username));
        ScramClient {
            hash,
            gs2,
            password: prepared(password),
            nonce,
            first_bare,
        }
    }

    /// The client-first message, the content of `<auth/>`.
    pub(super) fn first_message(&self) -> Vec<u8> {
        format!("{}{}", self.gs2.header(), self.first_bare).into_bytes()
    }

    /// The client-final message for the server-first message `challenge`, and what the
    /// server must then prove. Runs PBKDF2: up to a second of CPU (see [`MAX_ITERATIONS`]).
    pub(super) fn answer(self, challenge: &[u8]) -> Result<(Vec<u8>, ServerProof), AuthProblem> {
        let server_first = std::str::from_utf8(challenge)
            .map_err(|_| AuthProblem::Malformed("server-first-message".into()))?;
        let first = ServerFirst::parse(server_first, &self.nonce)?;

        let mut binding = self.gs2.header().into_bytes();
        binding.extend_from_slice(self.gs2.data());
        let without_proof = format!("c={},r={}", BASE64.encode(&binding), first.nonce);
        let auth_message = format!("{},{server_first},{without_proof}", self.first_bare);

        let mut salted = vec![0u8; self.hash.digest().output_len()];
        pbkdf2::derive(
            self.hash.pbkdf2(),
            first.iterations,
            &first.salt,
            self.password.as_bytes(),
            &mut salted,
        );
        let salted = hmac::Key::new(self.hash.hmac(), &salted);
        let client_key = hmac::sign(&salted, b"Client Key");
        let stored_key = digest::digest(self.hash.digest(), client_key.as_ref());
        let stored_key = hmac::Key::new(self.hash.hmac(), stored_key.as_ref());
        let signature = hmac::sign(&stored_key, auth_message.as_bytes());
        let proof: Vec<u8> = client_key
            .as_ref()
            .iter()
            .zip(signature.as_ref())
            .map(|(k, s)| k ^ s)
            .collect();
        let server_key = hmac::sign(&salted, b"Server Key");

        let message = format!("{without_proof},p={}", BASE64.encode(proof));
        let proof = ServerProof {
            key: hmac::Key::new(self.hash.hmac(), server_key.as_ref()),
            auth_message: auth_message.into_bytes(),
        };
        Ok((message.into_bytes(), proof))
    }
}

/// What the server must show in its final message: that it knows the password too (or a
/// key made from it), for this very exchange.
pub(in crate::session::connect) struct ServerProof {
    key: hmac::Key,
    auth_message: Vec<u8>,
}

impl ServerProof {
    /// Checks the server-final message: `v=` with the right signature, or `e=` with the
    /// server's reason for failing the exchange.
    pub(super) fn check(&self, server_final: &[u8]) -> Result<(), AuthProblem> {
        if server_final.is_empty() {
            return Err(AuthProblem::NoSignature);
        }
        let text = std::str::from_utf8(server_final)
            .map_err(|_| AuthProblem::Malformed("server-final-message".into()))?;
        let first = text.split(',').next().unwrap_or_default();
        if let Some(error) = first.strip_prefix("e=") {
            let error: String = error.chars().take(100).collect();
            return Err(AuthProblem::ServerError(error));
        }
        let Some(signature) = first.strip_prefix("v=") else {
            return Err(AuthProblem::NoSignature);
        };
        let signature = BASE64
            .decode(signature)
            .map_err(|_| AuthProblem::Malformed("v=".into()))?;
        // Constant time: the comparison must not tell a forger how much of it was right.
        hmac::verify(&self.key, &self.auth_message, &signature)
            .map_err(|_| AuthProblem::WrongSignature)
    }
}

/// The server-first message: `[m=…,]r=nonce,s=salt,i=count[,extensions]`.
struct ServerFirst<'a> {
    nonce: &'a str,
    salt: Vec<u8>,
    iterations: std::num::NonZeroU32,
}

impl<'a> ServerFirst<'a> {
    fn parse(text: &'a str, client_nonce: &str) -> Result<Self, AuthProblem> {
        let malformed = |what: &str| AuthProblem::Malformed(what.to_owned());
        let mut parts = text.split(',');
        let mut next = |key: &str| {
            parts
                .next()
                .and_then(|part| part.strip_prefix(key))
                .ok_or_else(|| malformed(key))
        };
        if text.starts_with("m=") {
            // A mandatory extension Natter does not know: RFC 5802 says to fail.
            return Err(malformed("m="));
        }
        let nonce = next("r=")?;
        let ours = nonce.len() > client_nonce.len() && nonce.starts_with(client_nonce);
        if !ours || !nonce.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
            return Err(AuthProblem::Malformed("r=".into()));
        }
        let salt = BASE64
            .decode(next("s=")?)
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| malformed("s="))?;
        let iterations = next("i=")?
            .parse::<u32>()
            .ok()
            .filter(|&i| i <= MAX_ITERATIONS)
            .and_then(std::num::NonZeroU32::new)
            .ok_or_else(|| malformed("i="))?;
        Ok(ServerFirst {
            nonce,
            salt,
            iterations,
        })
    }
}

/// A fresh client nonce: 24 random bytes in base64 (printable, no commas).
pub(super) fn nonce() -> Result<String, AuthProblem> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|_| AuthProblem::NoRandomness)?;
    Ok(BASE64.encode(bytes))
}

/// The username as a SCRAM `saslname`: `,` and `=` escaped (RFC 5802 §5.1).
fn sasl_name(username: &str) -> String {
    username.replace('=', "=3D").replace(',', "=2C")
}

/// The password after SASLprep (RFC 4013), as RFC 5802 asks and servers store it; one that
/// SASLprep refuses (unassigned or prohibited characters) is used as it is, which is what
/// Natter did before and what a server that never checked will have stored.
fn prepared(password: &str) -> String {
    stringprep::saslprep(password)
        .map(|p| p.into_owned())
        .unwrap_or_else(|_| password.to_owned())
}

#[cfg(test)]
mod tests;
