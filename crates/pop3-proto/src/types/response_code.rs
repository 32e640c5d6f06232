//! Extended response codes (RFC 2449 §8, RFC 3206, RFC 6856).

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::ValueError;

/// An extended response code: the `[...]` that may open the text of a `+OK`
/// or `-ERR` (RFC 2449 §8).
///
/// ```text
/// resp-code  = "[" resp-level *("/" resp-level) "]"
/// resp-level = 1*rchar
/// rchar      = %x21-2E / %x30-5C / %x5E-7F
///                 ;printable ASCII, excluding "/" and "]"
/// ```
///
/// The space is open (an IANA registry), so this is a newtype with constants
/// for the registered codes. Codes compare without regard to ASCII case, as
/// RFC 2449 §8 says clients read them, and are hierarchical: a client that
/// knows `SYS` treats `SYS/TEMP` as a `SYS` ([`is_within`](Self::is_within)).
///
/// ```
/// use pop3_proto::ResponseCode;
///
/// let code = ResponseCode::new("sys/temp")?;
/// assert_eq!(code, ResponseCode::SYS_TEMP);
/// assert!(code.is_within(&ResponseCode::new("SYS")?));
/// assert_eq!(code.levels().collect::<Vec<_>>(), ["sys", "temp"]);
/// # Ok::<(), pop3_proto::ValueError>(())
/// ```
#[derive(Clone)]
pub struct ResponseCode(Cow<'static, str>);

impl ResponseCode {
    /// `[IN-USE]` (RFC 2449 §8.1.2): the credentials were right but the
    /// maildrop is in use, probably by another POP3 session.
    pub const IN_USE: Self = Self(Cow::Borrowed("IN-USE"));
    /// `[LOGIN-DELAY]` (RFC 2449 §8.1.1): the user logged in too recently.
    pub const LOGIN_DELAY: Self = Self(Cow::Borrowed("LOGIN-DELAY"));
    /// `[SYS/TEMP]` (RFC 3206 §4): a temporary system failure; try later.
    pub const SYS_TEMP: Self = Self(Cow::Borrowed("SYS/TEMP"));
    /// `[SYS/PERM]` (RFC 3206 §4): a permanent system failure; trying again
    /// will not help.
    pub const SYS_PERM: Self = Self(Cow::Borrowed("SYS/PERM"));
    /// `[AUTH]` (RFC 3206 §5): the failure is due to the credentials.
    pub const AUTH: Self = Self(Cow::Borrowed("AUTH"));
    /// `[UTF8]` (RFC 6856 §2): the command needs UTF-8 mode.
    pub const UTF8: Self = Self(Cow::Borrowed("UTF8"));

    /// The longest code this crate accepts, in octets. RFC 2449 sets none;
    /// a code must fit a 512-octet response line.
    pub const MAX_LEN: usize = 128;

    /// A code from its text without brackets, checked against the ABNF.
    pub fn new(code: &str) -> Result<Self, ValueError> {
        Self::validate(code.as_bytes())?;
        Ok(Self(Cow::Owned(code.to_owned())))
    }

    /// The code without brackets, as it was written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The levels of the hierarchy, most general first.
    pub fn levels(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// Whether this code is `parent` or one of its sub-codes:
    /// `SYS/TEMP` is within `SYS`, `SYS` is not within `SYS/TEMP`.
    pub fn is_within(&self, parent: &Self) -> bool {
        let mut mine = self.levels();
        parent
            .levels()
            .all(|level| mine.next().is_some_and(|m| m.eq_ignore_ascii_case(level)))
    }

    /// Checks a code without its brackets.
    pub(crate) fn validate(code: &[u8]) -> Result<(), ValueError> {
        if code.is_empty() {
            return Err(ValueError::Empty);
        }
        if code.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong);
        }
        for level in code.split(|&b| b == b'/') {
            if level.is_empty() {
                return Err(ValueError::InvalidOctet(b'/'));
            }
            if let Some(&b) = level.iter().find(|&&b| !is_rchar(b)) {
                return Err(ValueError::InvalidOctet(b));
            }
        }
        Ok(())
    }

    /// A code from octets already checked by [`validate`](Self::validate).
    pub(crate) fn from_checked(code: &[u8]) -> Self {
        Self(Cow::Owned(String::from_utf8_lossy(code).into_owned()))
    }
}

/// `rchar` of RFC 2449 §3.
const fn is_rchar(b: u8) -> bool {
    matches!(b, 0x21..=0x2e | 0x30..=0x5c | 0x5e..=0x7f)
}

impl PartialEq for ResponseCode {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for ResponseCode {}

impl Hash for ResponseCode {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_uppercase());
        }
    }
}

impl TryFrom<&str> for ResponseCode {
    type Error = ValueError;

    fn try_from(code: &str) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl fmt::Debug for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseCode({})", self.0)
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_codes_are_valid() {
        for code in [
            ResponseCode::IN_USE,
            ResponseCode::LOGIN_DELAY,
            ResponseCode::SYS_TEMP,
            ResponseCode::SYS_PERM,
            ResponseCode::AUTH,
            ResponseCode::UTF8,
        ] {
            assert_eq!(ResponseCode::new(code.as_str()).unwrap(), code);
        }
    }

    #[test]
    fn codes_compare_without_case_and_nest() {
        assert_eq!(ResponseCode::new("in-use").unwrap(), ResponseCode::IN_USE);
        assert_eq!(ResponseCode::SYS_TEMP.to_string(), "[SYS/TEMP]");
        let sys = ResponseCode::new("SYS").unwrap();
        assert!(ResponseCode::SYS_TEMP.is_within(&sys));
        assert!(ResponseCode::SYS_TEMP.is_within(&ResponseCode::SYS_TEMP));
        assert!(!sys.is_within(&ResponseCode::SYS_TEMP));
        assert!(!ResponseCode::AUTH.is_within(&sys));
    }

    #[test]
    fn abnf_of_rfc2449_section_3() {
        assert_eq!(ResponseCode::new(""), Err(ValueError::Empty));
        assert_eq!(ResponseCode::new("A]"), Err(ValueError::InvalidOctet(b']')));
        assert_eq!(
            ResponseCode::new("A B"),
            Err(ValueError::InvalidOctet(b' '))
        );
        assert_eq!(
            ResponseCode::new("SYS/"),
            Err(ValueError::InvalidOctet(b'/'))
        );
        assert_eq!(
            ResponseCode::new("/SYS"),
            Err(ValueError::InvalidOctet(b'/'))
        );
        assert_eq!(
            ResponseCode::new("A//B"),
            Err(ValueError::InvalidOctet(b'/'))
        );
        assert!(ResponseCode::new("X-[ODD]-NAME.1").is_err());
        assert!(ResponseCode::new("X-ODD.NAME").is_ok());
        assert_eq!(
            ResponseCode::new(&"A".repeat(129)),
            Err(ValueError::TooLong)
        );
    }
}
