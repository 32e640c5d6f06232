//! SASL mechanism names.

use std::borrow::Cow;
use std::fmt;

use crate::ValueError;

/// The name of a SASL mechanism, as AUTH and the SASL capability carry it
/// (RFC 5034 §4, RFC 2449 §6.3).
///
/// ```text
/// sasl-mech = 1*20mech-char            ; RFC 4422 §3.1
/// mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
/// ```
///
/// Names arrive in any case and are kept upper-cased, so they compare as the
/// RFC means them.
///
/// ```
/// use pop3_proto::Mechanism;
///
/// assert_eq!(Mechanism::new("plain")?, Mechanism::PLAIN);
/// assert_eq!(Mechanism::new("SCRAM-SHA-256")?.as_str(), "SCRAM-SHA-256");
/// assert!(Mechanism::new("NO SPACE").is_err());
/// # Ok::<(), pop3_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mechanism(Cow<'static, str>);

impl Mechanism {
    /// `PLAIN` (RFC 4616): the one mechanism every POP3 AUTH implementation
    /// must have (RFC 5034 §4).
    pub const PLAIN: Self = Self(Cow::Borrowed("PLAIN"));
    /// `LOGIN` (draft-murchison-sasl-login), still common.
    pub const LOGIN: Self = Self(Cow::Borrowed("LOGIN"));
    /// `EXTERNAL` (RFC 4422 appendix A): credentials from TLS.
    pub const EXTERNAL: Self = Self(Cow::Borrowed("EXTERNAL"));
    /// `XOAUTH2`, the OAuth 2.0 bearer mechanism of the big mail providers.
    pub const XOAUTH2: Self = Self(Cow::Borrowed("XOAUTH2"));
    /// `OAUTHBEARER` (RFC 7628).
    pub const OAUTHBEARER: Self = Self(Cow::Borrowed("OAUTHBEARER"));
    /// `SCRAM-SHA-256` (RFC 7677).
    pub const SCRAM_SHA_256: Self = Self(Cow::Borrowed("SCRAM-SHA-256"));

    /// The longest name, in octets (RFC 4422 §3.1).
    pub const MAX_LEN: usize = 20;

    /// A mechanism from its name, in any case.
    pub fn new(name: &str) -> Result<Self, ValueError> {
        Self::try_from(name.as_bytes())
    }

    /// The name, upper-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the mechanism sends the password in the clear, so RFC 5034
    /// §4 and RFC 2595 §2.2 keep it off unprotected connections.
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
        let upper = name.to_ascii_uppercase();
        for known in [
            Self::PLAIN,
            Self::LOGIN,
            Self::EXTERNAL,
            Self::XOAUTH2,
            Self::OAUTHBEARER,
            Self::SCRAM_SHA_256,
        ] {
            if known.0.as_bytes() == upper.as_slice() {
                return Ok(known);
            }
        }
        Ok(Self(Cow::Owned(
            String::from_utf8_lossy(&upper).into_owned(),
        )))
    }
}

impl TryFrom<&str> for Mechanism {
    type Error = ValueError;

    fn try_from(name: &str) -> Result<Self, Self::Error> {
        Self::new(name)
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
    fn names_of_rfc4422() {
        assert_eq!(Mechanism::new("Plain").unwrap(), Mechanism::PLAIN);
        assert_eq!(Mechanism::new("digest-md5").unwrap().as_str(), "DIGEST-MD5");
        assert_eq!(
            Mechanism::new("KERBEROS_V4").unwrap().as_str(),
            "KERBEROS_V4"
        );
        assert_eq!(Mechanism::new(&"A".repeat(20)).unwrap().as_str().len(), 20);
        assert_eq!(Mechanism::new(&"A".repeat(21)), Err(ValueError::TooLong));
        assert_eq!(Mechanism::new(""), Err(ValueError::Empty));
        assert_eq!(Mechanism::new("A=B"), Err(ValueError::InvalidOctet(b'=')));
        assert!(Mechanism::PLAIN.is_plaintext());
        assert!(Mechanism::LOGIN.is_plaintext());
        assert!(!Mechanism::SCRAM_SHA_256.is_plaintext());
    }
}
