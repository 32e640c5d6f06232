//! SASL mechanism names.

use std::borrow::Cow;
use std::fmt;

use crate::ValueError;

/// The name of a SASL mechanism, as AUTH and the AUTH EHLO keyword carry it
/// (RFC 4954 §3, §4):
///
/// ```text
/// sasl-mech = 1*20mech-char            ; RFC 4422 §3.1
/// mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
/// ```
///
/// Names arrive in any case (RFC 4954 §8: "Implementations MUST accept these
/// strings in a case-insensitive fashion") and are kept upper-cased, so they
/// compare as the RFC means them.
///
/// ```
/// use smtp_proto::Mechanism;
///
/// assert_eq!(Mechanism::new("login")?, Mechanism::LOGIN);
/// assert_eq!(Mechanism::new("SCRAM-SHA-256")?.as_str(), "SCRAM-SHA-256");
/// assert!(Mechanism::new("NO SPACE").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mechanism(Cow<'static, str>);

impl Mechanism {
    /// `PLAIN` (RFC 4616).
    pub const PLAIN: Self = Self(Cow::Borrowed("PLAIN"));
    /// `LOGIN` (draft-murchison-sasl-login): username and password prompts,
    /// still what Outlook uses.
    pub const LOGIN: Self = Self(Cow::Borrowed("LOGIN"));
    /// `CRAM-MD5` (RFC 2195).
    pub const CRAM_MD5: Self = Self(Cow::Borrowed("CRAM-MD5"));
    /// `EXTERNAL` (RFC 4422 appendix A): credentials from TLS.
    pub const EXTERNAL: Self = Self(Cow::Borrowed("EXTERNAL"));
    /// `XOAUTH2`, the OAuth 2.0 bearer mechanism of the big mail providers.
    pub const XOAUTH2: Self = Self(Cow::Borrowed("XOAUTH2"));
    /// `OAUTHBEARER` (RFC 7628).
    pub const OAUTHBEARER: Self = Self(Cow::Borrowed("OAUTHBEARER"));
    /// `SCRAM-SHA-1` (RFC 5802).
    pub const SCRAM_SHA_1: Self = Self(Cow::Borrowed("SCRAM-SHA-1"));
    /// `SCRAM-SHA-256` (RFC 7677).
    pub const SCRAM_SHA_256: Self = Self(Cow::Borrowed("SCRAM-SHA-256"));

    /// The longest name, in octets (RFC 4422 §3.1).
    pub const MAX_LEN: usize = 20;

    const KNOWN: [Self; 8] = [
        Self::PLAIN,
        Self::LOGIN,
        Self::CRAM_MD5,
        Self::EXTERNAL,
        Self::XOAUTH2,
        Self::OAUTHBEARER,
        Self::SCRAM_SHA_1,
        Self::SCRAM_SHA_256,
    ];

    /// A mechanism from its name, in any case.
    pub fn new(name: &str) -> Result<Self, ValueError> {
        Self::try_from(name.as_bytes())
    }

    /// The name, upper-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the mechanism sends the password in the clear, so RFC 4954
    /// §4 keeps it off unprotected connections.
    pub fn is_plaintext(&self) -> bool {
        *self == Self::PLAIN || *self == Self::LOGIN
    }
}

impl TryFrom<&[u8]> for Mechanism {
    type Error = ValueError;

    fn try_from(name: &[u8]) -> Result<Self, Self::Error> {
        if name.is_empty() {
            return Err(ValueError::Empty);
        }
        if name.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong);
        }
        if let Some(&b) = name
            .iter()
            .find(|b| !(b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_'))
        {
            return Err(ValueError::InvalidOctet(b));
        }
        // The known names without an allocation.
        if let Some(known) = Self::KNOWN
            .iter()
            .find(|k| k.0.as_bytes().eq_ignore_ascii_case(name))
        {
            return Ok(known.clone());
        }
        let upper = name.to_ascii_uppercase();
        Ok(Self(Cow::Owned(
            String::from_utf8_lossy(&upper).into_owned(),
        )))
    }
}

impl TryFrom<&str> for Mechanism {
    type Error = ValueError;

    fn try_from(name: &str) -> Result<Self, Self::Error> {
        Self::try_from(name.as_bytes())
    }
}

impl fmt::Debug for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mechanism({})", self.0)
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(Mechanism::new("plain").unwrap(), Mechanism::PLAIN);
        assert!(matches!(
            Mechanism::new("Plain").unwrap().0,
            Cow::Borrowed(_)
        ));
        assert_eq!(Mechanism::new("x-custom_1").unwrap().as_str(), "X-CUSTOM_1");
        assert_eq!(Mechanism::new(""), Err(ValueError::Empty));
        assert_eq!(
            Mechanism::new("ABCDEFGHIJKLMNOPQRSTU"),
            Err(ValueError::TooLong)
        );
        assert_eq!(Mechanism::new("A=B"), Err(ValueError::InvalidOctet(b'=')));
        assert!(Mechanism::LOGIN.is_plaintext());
        assert!(!Mechanism::CRAM_MD5.is_plaintext());
    }
}
