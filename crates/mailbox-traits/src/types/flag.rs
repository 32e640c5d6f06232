//! Message flags: the system flags and keywords.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::FlagError;

/// A flag a store keeps on a message (RFC 9051 §2.3.2).
///
/// The system flags are variants; anything else is a [`Keyword`]. `\Recent`
/// is not here: it is not stored with a message but given to the first session
/// that sees it (see [`MessageMeta::recent`](crate::MessageMeta::recent)), and
/// IMAP4rev2 deprecates it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flag {
    /// `\Seen`: the message has been read.
    Seen,
    /// `\Answered`: the message has been answered.
    Answered,
    /// `\Flagged`: the message is flagged for urgent or special attention.
    Flagged,
    /// `\Deleted`: the message is marked for removal by a later expunge.
    Deleted,
    /// `\Draft`: the message has not completed composition.
    Draft,
    /// A keyword such as `$Forwarded` or `$Junk`, defined by clients.
    Keyword(Keyword),
}

impl Flag {
    /// The system flags, in the order this crate lists them.
    pub const SYSTEM: [Self; 5] = [
        Self::Seen,
        Self::Answered,
        Self::Flagged,
        Self::Deleted,
        Self::Draft,
    ];

    /// The flag's name as IMAP writes it: `\Seen`, or the keyword itself.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Seen => "\\Seen",
            Self::Answered => "\\Answered",
            Self::Flagged => "\\Flagged",
            Self::Deleted => "\\Deleted",
            Self::Draft => "\\Draft",
            Self::Keyword(k) => k.as_str(),
        }
    }

    /// Whether this is one of the five system flags.
    pub fn is_system(&self) -> bool {
        !matches!(self, Self::Keyword(_))
    }

    fn bit(&self) -> u8 {
        match self {
            Self::Seen => 1,
            Self::Answered => 2,
            Self::Flagged => 4,
            Self::Deleted => 8,
            Self::Draft => 16,
            Self::Keyword(_) => 0,
        }
    }
}

/// Parses `\Seen` (any case) and the other system flags, or a keyword.
/// `\Recent` and unknown `\`-names are refused: they cannot be stored.
impl FromStr for Flag {
    type Err = FlagError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(name) = s.strip_prefix('\\') {
            return Self::SYSTEM
                .into_iter()
                .find(|f| f.as_str()[1..].eq_ignore_ascii_case(name))
                .ok_or(FlagError::UnknownSystemFlag);
        }
        Keyword::new(s).map(Self::Keyword)
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Keyword> for Flag {
    fn from(k: Keyword) -> Self {
        Self::Keyword(k)
    }
}

/// A keyword: a flag defined by clients rather than by the protocol.
///
/// RFC 9051 §9 makes a keyword an atom, so it can be named on the wire:
///
/// ```text
/// flag-keyword    = "$MDNSent" / "$Forwarded" / "$Junk" /
///                   "$NotJunk" / "$Phishing" / atom
/// atom            = 1*ATOM-CHAR
/// ATOM-CHAR       = <any CHAR except atom-specials>
/// atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards /
///                   quoted-specials / resp-specials
/// ```
///
/// Keywords compare, order and hash without regard to ASCII case, as Dovecot
/// treats them; the spelling given first is the one kept. This crate bounds a
/// keyword at [`Keyword::MAX_LEN`] octets.
#[derive(Clone)]
pub struct Keyword(Box<str>);

impl Keyword {
    /// The longest keyword accepted, in octets.
    pub const MAX_LEN: usize = 255;

    /// Validates a keyword: a non-empty IMAP atom that does not start with `\`.
    pub fn new(s: &str) -> Result<Self, FlagError> {
        if s.is_empty() {
            return Err(FlagError::Empty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(FlagError::TooLong);
        }
        if let Some(b) = s.bytes().find(|&b| !is_atom_char(b)) {
            return Err(FlagError::InvalidChar(b));
        }
        Ok(Self(s.into()))
    }

    /// The keyword as it was first spelled.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// RFC 9051 §9 ATOM-CHAR: printable ASCII but the atom-specials.
fn is_atom_char(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) && !matches!(b, b'(' | b')' | b'{' | b'%' | b'*' | b'"' | b'\\' | b']')
}

impl TryFrom<&str> for Keyword {
    type Error = FlagError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl FromStr for Keyword {
    type Err = FlagError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl PartialEq for Keyword {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Keyword {}

impl Ord for Keyword {
    fn cmp(&self, other: &Self) -> Ordering {
        let a = self.0.bytes().map(|b| b.to_ascii_lowercase());
        let b = other.0.bytes().map(|b| b.to_ascii_lowercase());
        a.cmp(b)
    }
}

impl PartialOrd for Keyword {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for Keyword {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

impl Borrow<str> for Keyword {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keyword({:?})", self.0)
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a flag update combines with the flags a message has
/// (IMAP `+FLAGS`, `-FLAGS` and `FLAGS`, RFC 9051 §6.4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagOp {
    /// Add the given flags to those the message has.
    Add,
    /// Remove the given flags from those the message has.
    Remove,
    /// Replace the message's flags with the given ones.
    Replace,
}

/// The set of flags on one message: the system flags as bits, the keywords
/// sorted without regard to case.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Flags {
    system: u8,
    keywords: Vec<Keyword>,
}

impl Flags {
    /// No flags.
    pub const fn new() -> Self {
        Self {
            system: 0,
            keywords: Vec::new(),
        }
    }

    /// Adds a flag; returns whether it was absent.
    pub fn insert(&mut self, flag: Flag) -> bool {
        match flag {
            Flag::Keyword(k) => match self.keywords.binary_search(&k) {
                Ok(_) => false,
                Err(at) => {
                    self.keywords.insert(at, k);
                    true
                }
            },
            system => {
                let had = self.system & system.bit() != 0;
                self.system |= system.bit();
                !had
            }
        }
    }

    /// Removes a flag; returns whether it was present.
    pub fn remove(&mut self, flag: &Flag) -> bool {
        match flag {
            Flag::Keyword(k) => match self.keywords.binary_search(k) {
                Ok(at) => {
                    self.keywords.remove(at);
                    true
                }
                Err(_) => false,
            },
            system => {
                let had = self.system & system.bit() != 0;
                self.system &= !system.bit();
                had
            }
        }
    }

    /// Combines `other` into these flags as `op` says.
    pub fn apply(&mut self, op: FlagOp, other: &Self) {
        match op {
            FlagOp::Add => {
                self.system |= other.system;
                for k in &other.keywords {
                    self.insert(Flag::Keyword(k.clone()));
                }
            }
            FlagOp::Remove => {
                self.system &= !other.system;
                self.keywords
                    .retain(|k| other.keywords.binary_search(k).is_err());
            }
            FlagOp::Replace => self.clone_from(other),
        }
    }

    /// Whether the flag is set.
    pub fn contains(&self, flag: &Flag) -> bool {
        match flag {
            Flag::Keyword(k) => self.keywords.binary_search(k).is_ok(),
            system => self.system & system.bit() != 0,
        }
    }

    /// Whether `\Seen` is set.
    pub fn is_seen(&self) -> bool {
        self.contains(&Flag::Seen)
    }

    /// Whether `\Deleted` is set.
    pub fn is_deleted(&self) -> bool {
        self.contains(&Flag::Deleted)
    }

    /// The keywords, sorted without regard to case.
    pub fn keywords(&self) -> &[Keyword] {
        &self.keywords
    }

    /// Every flag: the system flags in [`Flag::SYSTEM`] order, then the keywords.
    pub fn iter(&self) -> impl Iterator<Item = Flag> + '_ {
        Flag::SYSTEM
            .into_iter()
            .filter(|f| self.system & f.bit() != 0)
            .chain(self.keywords.iter().cloned().map(Flag::Keyword))
    }

    /// How many flags are set.
    pub fn len(&self) -> usize {
        self.system.count_ones() as usize + self.keywords.len()
    }

    /// Whether no flag is set.
    pub fn is_empty(&self) -> bool {
        self.system == 0 && self.keywords.is_empty()
    }
}

impl FromIterator<Flag> for Flags {
    fn from_iter<I: IntoIterator<Item = Flag>>(iter: I) -> Self {
        let mut flags = Self::new();
        flags.extend(iter);
        flags
    }
}

impl Extend<Flag> for Flags {
    fn extend<I: IntoIterator<Item = Flag>>(&mut self, iter: I) {
        for f in iter {
            self.insert(f);
        }
    }
}

impl<const N: usize> From<[Flag; N]> for Flags {
    fn from(flags: [Flag; N]) -> Self {
        flags.into_iter().collect()
    }
}

impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(|flag| flag.to_string()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(s: &str) -> Flag {
        Flag::Keyword(Keyword::new(s).expect("valid keyword"))
    }

    #[test]
    fn parses_system_flags_in_any_case() {
        assert_eq!("\\Seen".parse(), Ok(Flag::Seen));
        assert_eq!("\\sEEN".parse(), Ok(Flag::Seen));
        assert_eq!("\\Draft".parse(), Ok(Flag::Draft));
        assert_eq!(
            "\\Recent".parse::<Flag>(),
            Err(FlagError::UnknownSystemFlag)
        );
        assert_eq!("\\Foo".parse::<Flag>(), Err(FlagError::UnknownSystemFlag));
        assert_eq!("$Forwarded".parse(), Ok(kw("$Forwarded")));
    }

    #[test]
    fn keywords_are_atoms() {
        for bad in [
            "",
            "a b",
            "a(b",
            "x)",
            "{1}",
            "a%",
            "a*",
            "q\"",
            "back\\slash",
            "br]",
            "\u{e9}",
        ] {
            assert!(Keyword::new(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Keyword::new(&"k".repeat(256)), Err(FlagError::TooLong));
        assert!(Keyword::new(&"k".repeat(255)).is_ok());
        assert!(Keyword::new("$MDNSent").is_ok());
        assert!(Keyword::new("NonJunk").is_ok());
    }

    #[test]
    fn keywords_ignore_case_and_keep_first_spelling() {
        let mut flags = Flags::new();
        assert!(flags.insert(kw("$Junk")));
        assert!(!flags.insert(kw("$JUNK")));
        assert_eq!(flags.keywords()[0].as_str(), "$Junk");
        assert!(flags.contains(&kw("$junk")));
        assert!(flags.remove(&kw("$jUnK")));
        assert!(flags.is_empty());
    }

    #[test]
    fn apply_add_remove_replace() {
        let mut flags = Flags::from([Flag::Seen, kw("a")]);
        flags.apply(FlagOp::Add, &Flags::from([Flag::Flagged, kw("b"), kw("A")]));
        assert_eq!(
            flags,
            Flags::from([Flag::Seen, Flag::Flagged, kw("a"), kw("b")])
        );
        flags.apply(FlagOp::Remove, &Flags::from([Flag::Seen, kw("B")]));
        assert_eq!(flags, Flags::from([Flag::Flagged, kw("a")]));
        flags.apply(FlagOp::Replace, &Flags::from([Flag::Deleted]));
        assert_eq!(flags, Flags::from([Flag::Deleted]));
        assert_eq!(flags.len(), 1);
        assert!(flags.is_deleted() && !flags.is_seen());
    }

    #[test]
    fn iterates_system_flags_then_keywords() {
        let flags = Flags::from([kw("zz"), Flag::Draft, kw("$A"), Flag::Seen]);
        let names: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
        assert_eq!(names, ["\\Seen", "\\Draft", "$A", "zz"]);
        assert_eq!(format!("{flags:?}"), r#"{"\\Seen", "\\Draft", "$A", "zz"}"#);
    }
}
