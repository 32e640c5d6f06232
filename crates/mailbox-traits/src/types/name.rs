//! Mailbox names and special-use attributes.

use std::fmt;
use std::str::FromStr;

use crate::error::NameError;

/// The name of a mailbox: UTF-8, with `/` as the one hierarchy delimiter.
///
/// RFC 9051 §5.1 makes `INBOX` case-insensitive and leaves the rest to the
/// server; here `INBOX` in any case, as the whole name or as its first level
/// (`inbox/Lists`), is kept as `INBOX`, and every other level is
/// case-sensitive, as Dovecot does. The name is a store's name, not a wire
/// form: the IMAP layer converts modified UTF-7 (RFC 3501 §5.1.3) or UTF-8
/// (RFC 6855) into it.
///
/// A valid name has no empty level (no leading, trailing or doubled `/`), no
/// level `.` or `..`, no control character, and neither of IMAP's list
/// wildcards `%` and `*` (RFC 9051 §5.1 asks clients not to create them, and
/// a name holding them cannot be listed unambiguously). Levels are at most
/// [`MailboxName::MAX_LEVEL_LEN`] octets and the name at most
/// [`MailboxName::MAX_LEN`].
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MailboxName(Box<str>);

impl MailboxName {
    /// The hierarchy delimiter.
    pub const DELIMITER: char = '/';
    /// The longest name accepted, in octets.
    pub const MAX_LEN: usize = 1024;
    /// The longest level accepted, in octets (a file name on most systems).
    pub const MAX_LEVEL_LEN: usize = 255;
    const INBOX: &'static str = "INBOX";

    /// Validates and normalizes a name.
    pub fn new(name: &str) -> Result<Self, NameError> {
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.len() > Self::MAX_LEN {
            return Err(NameError::TooLong);
        }
        for level in name.split(Self::DELIMITER) {
            match level {
                "" => return Err(NameError::EmptyLevel),
                "." | ".." => return Err(NameError::DotLevel),
                l if l.len() > Self::MAX_LEVEL_LEN => return Err(NameError::TooLong),
                _ => {}
            }
        }
        if let Some(c) = name
            .chars()
            .find(|&c| c.is_control() || c == '%' || c == '*')
        {
            return Err(NameError::InvalidChar(c));
        }
        let first = name.split(Self::DELIMITER).next().unwrap_or(name);
        if first != Self::INBOX && first.eq_ignore_ascii_case(Self::INBOX) {
            let mut normal = String::with_capacity(name.len());
            normal.push_str(Self::INBOX);
            normal.push_str(&name[Self::INBOX.len()..]);
            return Ok(Self(normal.into()));
        }
        Ok(Self(name.into()))
    }

    /// `INBOX`, the user's primary mailbox.
    pub fn inbox() -> Self {
        Self(Self::INBOX.into())
    }

    /// The name as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `INBOX` itself (not a child of it).
    pub fn is_inbox(&self) -> bool {
        &*self.0 == Self::INBOX
    }

    /// The levels of the name, top first.
    pub fn levels(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.0.split(Self::DELIMITER)
    }

    /// The last level: `b` of `a/b`.
    pub fn leaf(&self) -> &str {
        self.levels().next_back().unwrap_or(&self.0)
    }

    /// The name one level up, or `None` at the top.
    pub fn parent(&self) -> Option<Self> {
        self.0
            .rfind(Self::DELIMITER)
            .map(|at| Self(self.0[..at].into()))
    }

    /// Every ancestor, nearest last: `a`, `a/b` for `a/b/c`.
    pub fn ancestors(&self) -> impl Iterator<Item = Self> + '_ {
        self.0
            .match_indices(Self::DELIMITER)
            .map(|(at, _)| Self(self.0[..at].into()))
    }

    /// Whether `self` lies strictly below `ancestor` in the hierarchy.
    pub fn is_descendant_of(&self, ancestor: &Self) -> bool {
        self.0.len() > ancestor.0.len()
            && self.0.starts_with(&*ancestor.0)
            && self.0[ancestor.0.len()..].starts_with(Self::DELIMITER)
    }

    /// A child of this mailbox: `self/level`.
    pub fn child(&self, level: &str) -> Result<Self, NameError> {
        Self::new(&format!("{}{}{level}", self.0, Self::DELIMITER))
    }

    /// This name with its ancestor `from` replaced by `to`, as a rename of
    /// `from` to `to` moves it; `None` if `self` is not `from` or below it.
    pub fn rebase(&self, from: &Self, to: &Self) -> Option<Self> {
        if self == from {
            return Some(to.clone());
        }
        if !self.is_descendant_of(from) {
            return None;
        }
        Self::new(&format!("{}{}", to.0, &self.0[from.0.len()..])).ok()
    }
}

impl TryFrom<&str> for MailboxName {
    type Error = NameError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::new(s)
    }
}

impl FromStr for MailboxName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

/// Names order and compare as their strings do, so a map keyed by names can
/// be searched by string prefix.
impl std::borrow::Borrow<str> for MailboxName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for MailboxName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MailboxName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MailboxName({:?})", self.0)
    }
}

impl fmt::Display for MailboxName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a mailbox is for, so clients can find it whatever its name
/// (RFC 6154 §2, and RFC 9051 §7.3.1 which adopts them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpecialUse {
    /// `\All`: presents every message in the user's store.
    All,
    /// `\Archive`: used to archive messages.
    Archive,
    /// `\Drafts`: holds draft messages.
    Drafts,
    /// `\Flagged`: presents every `\Flagged` message.
    Flagged,
    /// `\Junk`: holds messages deemed junk.
    Junk,
    /// `\Sent`: holds copies of messages the user sent.
    Sent,
    /// `\Trash`: holds messages the user deleted.
    Trash,
}

impl SpecialUse {
    /// Every special use, in RFC 6154 §2 order.
    pub const ALL: [Self; 7] = [
        Self::All,
        Self::Archive,
        Self::Drafts,
        Self::Flagged,
        Self::Junk,
        Self::Sent,
        Self::Trash,
    ];

    /// The attribute as RFC 6154 names it: `\Sent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "\\All",
            Self::Archive => "\\Archive",
            Self::Drafts => "\\Drafts",
            Self::Flagged => "\\Flagged",
            Self::Junk => "\\Junk",
            Self::Sent => "\\Sent",
            Self::Trash => "\\Trash",
        }
    }
}

/// Parses `\Sent` and the others, in any case.
impl FromStr for SpecialUse {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(s))
            .ok_or(NameError::UnknownSpecialUse)
    }
}

impl fmt::Display for SpecialUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> MailboxName {
        MailboxName::new(s).expect("valid name")
    }

    #[test]
    fn inbox_is_case_insensitive_at_the_top_only() {
        assert_eq!(name("inbox").as_str(), "INBOX");
        assert_eq!(name("InBoX").as_str(), "INBOX");
        assert!(name("Inbox").is_inbox());
        assert_eq!(name("inbox/Lists").as_str(), "INBOX/Lists");
        assert_eq!(name("Archive/inbox").as_str(), "Archive/inbox");
        assert_eq!(name("INBOXES").as_str(), "INBOXES");
        assert!(!name("INBOX/x").is_inbox());
    }

    #[test]
    fn rejects_bad_names() {
        let cases = [
            ("", NameError::Empty),
            ("/a", NameError::EmptyLevel),
            ("a/", NameError::EmptyLevel),
            ("a//b", NameError::EmptyLevel),
            ("a/../b", NameError::DotLevel),
            (".", NameError::DotLevel),
            ("a\u{0}b", NameError::InvalidChar('\0')),
            ("a\r\nb", NameError::InvalidChar('\r')),
            ("news*", NameError::InvalidChar('*')),
            ("50%", NameError::InvalidChar('%')),
        ];
        for (input, err) in cases {
            assert_eq!(MailboxName::new(input), Err(err), "{input:?}");
        }
        assert_eq!(MailboxName::new(&"x".repeat(256)), Err(NameError::TooLong));
        assert_eq!(
            MailboxName::new(&["y"; 600].join("/")),
            Err(NameError::TooLong)
        );
        assert_eq!(name("Entw\u{fc}rfe/\u{65e5}\u{672c}").levels().count(), 2);
        assert_eq!(name(".hidden").as_str(), ".hidden");
    }

    #[test]
    fn hierarchy() {
        let n = name("a/b/c");
        assert_eq!(n.parent(), Some(name("a/b")));
        assert_eq!(n.leaf(), "c");
        assert_eq!(n.ancestors().collect::<Vec<_>>(), [name("a"), name("a/b")]);
        assert!(n.is_descendant_of(&name("a")));
        assert!(!n.is_descendant_of(&n));
        assert!(!name("ab/c").is_descendant_of(&name("a")));
        assert_eq!(name("a").parent(), None);
        assert_eq!(name("a").child("x"), Ok(name("a/x")));
        assert_eq!(n.rebase(&name("a"), &name("z/y")), Some(name("z/y/b/c")));
        assert_eq!(n.rebase(&name("a/b/c"), &name("q")), Some(name("q")));
        assert_eq!(n.rebase(&name("b"), &name("q")), None);
    }

    #[test]
    fn special_use_names() {
        assert_eq!("\\sent".parse(), Ok(SpecialUse::Sent));
        assert_eq!(SpecialUse::Junk.to_string(), "\\Junk");
        assert_eq!(
            "\\Spam".parse::<SpecialUse>(),
            Err(NameError::UnknownSpecialUse)
        );
        for u in SpecialUse::ALL {
            assert_eq!(u.as_str().parse(), Ok(u));
        }
    }
}
