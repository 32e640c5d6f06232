//! Unique identifiers and mod-sequences.

use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use crate::error::ValueError;

/// The unique identifier of a message within one [`UidValidity`] of a mailbox.
///
/// RFC 9051 §2.3.1.1: "a 32-bit value assigned to each message, which when used
/// with the unique identifier validity value ... forms a 64-bit value that MUST NOT
/// refer to any other message in the mailbox or any subsequent mailbox with the
/// same name forever". UIDs are strictly ascending in a mailbox and never reused.
///
/// ```text
/// uniqueid        = nz-number
/// nz-number       = digit-nz *DIGIT
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uid(NonZeroU32);

impl Uid {
    /// The smallest UID, 1.
    pub const MIN: Self = Self(NonZeroU32::MIN);
    /// The largest UID, 4 294 967 295.
    pub const MAX: Self = Self(NonZeroU32::MAX);

    /// A UID from its value; `None` for 0, which is not a UID.
    pub const fn new(value: u32) -> Option<Self> {
        match NonZeroU32::new(value) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The UID that follows this one, or `None` past [`Uid::MAX`].
    pub const fn next(self) -> Option<Self> {
        match self.0.checked_add(1) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The numeric value.
    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl TryFrom<u32> for Uid {
    type Error = ValueError;

    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::new(value).ok_or(ValueError::Zero)
    }
}

impl From<Uid> for u32 {
    fn from(uid: Uid) -> Self {
        uid.get()
    }
}

impl fmt::Debug for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uid({})", self.0)
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The unique identifier validity value of a mailbox.
///
/// RFC 9051 §2.3.1.1: if UIDs from an earlier session fail to persist, the
/// UIDVALIDITY "MUST be greater than the one used in the earlier session". A
/// mailbox deleted and created again under the same name gets a new one.
///
/// ```text
/// uidvalidity     = nz-number
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UidValidity(NonZeroU32);

impl UidValidity {
    /// A UIDVALIDITY from its value; `None` for 0.
    pub const fn new(value: u32) -> Option<Self> {
        match NonZeroU32::new(value) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The numeric value.
    pub const fn get(self) -> u32 {
        self.0.get()
    }
}

impl TryFrom<u32> for UidValidity {
    type Error = ValueError;

    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Self::new(value).ok_or(ValueError::Zero)
    }
}

impl fmt::Debug for UidValidity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UidValidity({})", self.0)
    }
}

impl fmt::Display for UidValidity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A mod-sequence: the position of a change in a mailbox's history (RFC 7162 §3).
///
/// Every change to a message (append, flag change, expunge) gets a mod-sequence
/// greater than any the mailbox gave before; two separate operations never share
/// one (RFC 7162 §3.1: "each STORE command performed on the same mailbox ... will
/// get a different mod-sequence value").
///
/// ```text
/// mod-sequence-value  = 1*DIGIT
///                        ;; Positive unsigned 63-bit integer
///                        ;; (mod-sequence)
///                        ;; (1 <= n <= 9,223,372,036,854,775,807).
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModSeq(NonZeroU64);

impl ModSeq {
    /// The smallest mod-sequence, 1.
    pub const MIN: Self = Self(NonZeroU64::MIN);
    /// The largest mod-sequence RFC 7162 allows, 2^63 - 1.
    pub const MAX: Self = match NonZeroU64::new(i64::MAX as u64) {
        Some(v) => Self(v),
        None => unreachable!(),
    };

    /// A mod-sequence from its value; `None` for 0 or above 2^63 - 1.
    pub const fn new(value: u64) -> Option<Self> {
        if value > Self::MAX.get() {
            return None;
        }
        match NonZeroU64::new(value) {
            Some(v) => Some(Self(v)),
            None => None,
        }
    }

    /// The mod-sequence that follows this one, or `None` past [`ModSeq::MAX`].
    pub const fn next(self) -> Option<Self> {
        Self::new(self.get() + 1)
    }

    /// The numeric value.
    pub const fn get(self) -> u64 {
        self.0.get()
    }
}

impl TryFrom<u64> for ModSeq {
    type Error = ValueError;

    fn try_from(value: u64) -> Result<Self, Self::Error> {
        match value {
            0 => Err(ValueError::Zero),
            v => Self::new(v).ok_or(ValueError::TooLarge),
        }
    }
}

impl fmt::Debug for ModSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ModSeq({})", self.0)
    }
}

impl fmt::Display for ModSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_rejects_zero_and_stops_at_max() {
        assert_eq!(Uid::new(0), None);
        assert_eq!(Uid::try_from(0), Err(ValueError::Zero));
        assert_eq!(Uid::new(7).map(Uid::get), Some(7));
        assert_eq!(Uid::MIN.next(), Uid::new(2));
        assert_eq!(Uid::MAX.next(), None);
        assert_eq!(Uid::MAX.get(), u32::MAX);
    }

    #[test]
    fn modseq_is_63_bits() {
        assert_eq!(ModSeq::try_from(0), Err(ValueError::Zero));
        assert_eq!(ModSeq::MAX.get(), 9_223_372_036_854_775_807);
        assert_eq!(
            ModSeq::try_from(9_223_372_036_854_775_808),
            Err(ValueError::TooLarge)
        );
        assert_eq!(ModSeq::MAX.next(), None);
        assert_eq!(ModSeq::MIN.next().map(ModSeq::get), Some(2));
    }

    #[test]
    fn display_is_the_bare_number() {
        assert_eq!(Uid::new(42).map(|u| u.to_string()).as_deref(), Some("42"));
        assert_eq!(format!("{:?}", UidValidity::new(3)), "Some(UidValidity(3))");
    }
}
