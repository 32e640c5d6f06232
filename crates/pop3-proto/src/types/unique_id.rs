//! UIDL's unique-ids.

use std::fmt;

use crate::ValueError;

/// A message's unique-id, as UIDL lists it (RFC 1939 §7).
///
/// > The unique-id of a message is an arbitrary server-determined string,
/// > consisting of one to 70 characters in the range 0x21 to 0x7E, which
/// > uniquely identifies a message within a maildrop and which persists
/// > across sessions.
///
/// ```
/// use pop3_proto::UniqueId;
///
/// let uid = UniqueId::try_from("whqtswO00WBw418f9t5JxYwZ")?;
/// assert_eq!(uid.as_str(), "whqtswO00WBw418f9t5JxYwZ");
/// assert!(UniqueId::try_from("has space").is_err());
/// # Ok::<(), pop3_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UniqueId(Box<str>);

impl UniqueId {
    /// The longest unique-id RFC 1939 §7 allows, in octets.
    pub const MAX_LEN: usize = 70;

    /// The unique-id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks `bytes` against RFC 1939 §7.
    pub(crate) fn validate(bytes: &[u8]) -> Result<(), ValueError> {
        if bytes.is_empty() {
            return Err(ValueError::Empty);
        }
        if bytes.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong);
        }
        match bytes.iter().find(|b| !(0x21..=0x7e).contains(*b)) {
            Some(&b) => Err(ValueError::InvalidOctet(b)),
            None => Ok(()),
        }
    }

    /// A unique-id from octets already checked by [`validate`](Self::validate).
    pub(crate) fn from_checked(bytes: &[u8]) -> Self {
        // Printable ASCII is UTF-8; `validate` guarantees it.
        Self(String::from_utf8_lossy(bytes).into())
    }
}

impl TryFrom<&str> for UniqueId {
    type Error = ValueError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::validate(s.as_bytes())?;
        Ok(Self(s.into()))
    }
}

impl TryFrom<String> for UniqueId {
    type Error = ValueError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::validate(s.as_bytes())?;
        Ok(Self(s.into_boxed_str()))
    }
}

impl TryFrom<&[u8]> for UniqueId {
    type Error = ValueError;

    fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
        Self::validate(bytes)?;
        Ok(Self::from_checked(bytes))
    }
}

impl AsRef<str> for UniqueId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UniqueId({:?})", self.0)
    }
}

impl fmt::Display for UniqueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1939_examples_are_valid() {
        for uid in ["whqtswO00WBw418f9t5JxYwZ", "QhdPYR:00WBw1Ph7x7"] {
            assert_eq!(UniqueId::try_from(uid).unwrap().as_str(), uid);
        }
    }

    #[test]
    fn limits_of_rfc1939_section_7() {
        let longest = "~".repeat(70);
        assert!(UniqueId::try_from(longest.as_str()).is_ok());
        assert_eq!(UniqueId::try_from("~".repeat(71)), Err(ValueError::TooLong));
        assert_eq!(UniqueId::try_from(""), Err(ValueError::Empty));
        assert_eq!(
            UniqueId::try_from("a b"),
            Err(ValueError::InvalidOctet(b' '))
        );
        assert_eq!(
            UniqueId::try_from(&b"a\x7f"[..]),
            Err(ValueError::InvalidOctet(0x7f))
        );
        assert_eq!(UniqueId::try_from("é"), Err(ValueError::InvalidOctet(0xc3)));
        assert!(UniqueId::try_from("!").is_ok());
    }
}
