//! Sequence sets (RFC 9051 §9, RFC 5182 `$`).

use crate::error::ValueError;

/// A message sequence number or UID in a set: a number or `*`, the largest
/// in use (RFC 9051 §9).
///
/// ```text
/// seq-number      = nz-number / "*"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeqNumber {
    /// A number, at least 1.
    Value(u32),
    /// `*`: the last message (or the largest UID) in the mailbox.
    Last,
}

impl SeqNumber {
    /// The number, with `last` standing for `*`.
    pub fn resolve(self, last: u32) -> u32 {
        match self {
            Self::Value(n) => n,
            Self::Last => last,
        }
    }
}

/// One element of a sequence set: a number or a range.
///
/// ```text
/// seq-range       = seq-number ":" seq-number
/// ```
///
/// A range is kept as written: RFC 9051 §9 says `4:2` and `2:4` are the
/// same messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sequence {
    /// One number.
    Single(SeqNumber),
    /// A range, both ends included, in either order.
    Range(SeqNumber, SeqNumber),
}

impl Sequence {
    /// Whether `n` is in this element when the largest number in use is `last`.
    pub fn contains(self, n: u32, last: u32) -> bool {
        match self {
            Self::Single(s) => s.resolve(last) == n,
            Self::Range(a, b) => {
                let (a, b) = (a.resolve(last), b.resolve(last));
                (a.min(b)..=a.max(b)).contains(&n)
            }
        }
    }
}

/// A set of message numbers or UIDs (RFC 9051 §9), or `$`, the result saved
/// by the last `SEARCH RETURN (SAVE)` (RFC 5182, RFC 9051 §6.4.4.1).
///
/// ```text
/// sequence-set    = (seq-number / seq-range) ["," sequence-set]
/// sequence-set    =/ seq-last-command
/// seq-last-command = "$"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SequenceSet {
    /// Numbers and ranges, at least one, in the order written.
    Set(Vec<Sequence>),
    /// `$`: the saved search result.
    Saved,
}

impl SequenceSet {
    /// A set of the given elements; at least one.
    pub fn new(elements: Vec<Sequence>) -> Result<Self, ValueError> {
        if elements.is_empty() {
            return Err(ValueError::Empty);
        }
        if elements.iter().any(|s| match *s {
            Sequence::Single(a) => a == SeqNumber::Value(0),
            Sequence::Range(a, b) => a == SeqNumber::Value(0) || b == SeqNumber::Value(0),
        }) {
            return Err(ValueError::Range);
        }
        Ok(Self::Set(elements))
    }

    /// The range `first:last`.
    pub fn range(first: u32, last: u32) -> Result<Self, ValueError> {
        Self::new(vec![Sequence::Range(
            SeqNumber::Value(first),
            SeqNumber::Value(last),
        )])
    }

    /// The single number `n`.
    pub fn single(n: u32) -> Result<Self, ValueError> {
        Self::new(vec![Sequence::Single(SeqNumber::Value(n))])
    }

    /// `1:*`: every message.
    pub fn all() -> Self {
        Self::Set(vec![Sequence::Range(SeqNumber::Value(1), SeqNumber::Last)])
    }

    /// Whether the set holds `*` anywhere (RFC 4315 §3 forbids it in a uid-set).
    pub fn has_last(&self) -> bool {
        match self {
            Self::Saved => false,
            Self::Set(v) => v.iter().any(|s| match *s {
                Sequence::Single(a) => a == SeqNumber::Last,
                Sequence::Range(a, b) => a == SeqNumber::Last || b == SeqNumber::Last,
            }),
        }
    }

    /// Whether `n` is in the set when the largest number in use is `last`;
    /// `$` holds nothing here (the caller keeps the saved result).
    pub fn contains(&self, n: u32, last: u32) -> bool {
        match self {
            Self::Saved => false,
            Self::Set(v) => v.iter().any(|s| s.contains(n, last)),
        }
    }
}

impl crate::types::IntoStatic for SequenceSet {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_are_non_empty_and_non_zero() {
        assert_eq!(SequenceSet::new(vec![]), Err(ValueError::Empty));
        assert_eq!(SequenceSet::single(0), Err(ValueError::Range));
        assert!(SequenceSet::range(2, 4).is_ok());
    }

    #[test]
    fn membership_resolves_star_and_reversed_ranges() {
        // RFC 9051 §9: "*:4" and "4:*" are the same in a mailbox of 15.
        let set =
            SequenceSet::new(vec![Sequence::Range(SeqNumber::Last, SeqNumber::Value(4))]).unwrap();
        assert!(set.contains(4, 15) && set.contains(15, 15) && !set.contains(3, 15));
        assert!(SequenceSet::all().has_last());
        assert!(!SequenceSet::Saved.contains(1, 1));
    }
}
