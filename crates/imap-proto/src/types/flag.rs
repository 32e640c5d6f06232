//! Message flags (RFC 9051 §2.3.2) and mailbox attributes (RFC 9051 §7.3.1,
//! RFC 6154, RFC 5258).

use std::borrow::Cow;

use super::core::{Atom, IntoStatic};
use crate::error::ValueError;

/// A message flag, as the grammar writes it in flag lists, FETCH `FLAGS`
/// and `PERMANENTFLAGS`.
///
/// ```text
/// flag            = "\Answered" / "\Flagged" / "\Deleted" /
///                   "\Seen" / "\Draft" / flag-keyword / flag-extension
/// flag-fetch      = flag / "\Recent"      ; \Recent: RFC 3501 only
/// flag-perm       = flag / "\*"
/// flag-extension  = "\" atom
/// ```
///
/// System flags compare without regard to case on the wire and are written
/// in the RFC's spelling.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Flag<'a> {
    /// `\Seen`.
    Seen,
    /// `\Answered`.
    Answered,
    /// `\Flagged`.
    Flagged,
    /// `\Deleted`.
    Deleted,
    /// `\Draft`.
    Draft,
    /// `\Recent` (RFC 3501 only; only in FETCH and FLAGS responses).
    Recent,
    /// `\*`: clients may create keywords (only in `PERMANENTFLAGS`).
    Wildcard,
    /// A keyword: `$Forwarded`, `$Junk`, `NonJunk`.
    Keyword(Atom<'a>),
    /// Another `\`-flag, without its backslash (`flag-extension`).
    Extension(Atom<'a>),
}

impl<'a> Flag<'a> {
    /// A keyword flag.
    pub fn keyword(name: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        Atom::new(name).map(Self::Keyword)
    }

    /// The flag named `\name` (without the backslash).
    pub(crate) fn system(name: Atom<'a>) -> Self {
        let s = name.as_str();
        if s.eq_ignore_ascii_case("Seen") {
            Self::Seen
        } else if s.eq_ignore_ascii_case("Answered") {
            Self::Answered
        } else if s.eq_ignore_ascii_case("Flagged") {
            Self::Flagged
        } else if s.eq_ignore_ascii_case("Deleted") {
            Self::Deleted
        } else if s.eq_ignore_ascii_case("Draft") {
            Self::Draft
        } else if s.eq_ignore_ascii_case("Recent") {
            Self::Recent
        } else {
            Self::Extension(name)
        }
    }

    /// The flag as written on the wire, without escaping.
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            Self::Seen => "\\Seen".into(),
            Self::Answered => "\\Answered".into(),
            Self::Flagged => "\\Flagged".into(),
            Self::Deleted => "\\Deleted".into(),
            Self::Draft => "\\Draft".into(),
            Self::Recent => "\\Recent".into(),
            Self::Wildcard => "\\*".into(),
            Self::Keyword(a) => a.as_str().into(),
            Self::Extension(a) => format!("\\{a}").into(),
        }
    }
}

impl IntoStatic for Flag<'_> {
    type Static = Flag<'static>;
    fn into_static(self) -> Flag<'static> {
        match self {
            Self::Seen => Flag::Seen,
            Self::Answered => Flag::Answered,
            Self::Flagged => Flag::Flagged,
            Self::Deleted => Flag::Deleted,
            Self::Draft => Flag::Draft,
            Self::Recent => Flag::Recent,
            Self::Wildcard => Flag::Wildcard,
            Self::Keyword(a) => Flag::Keyword(a.into_static()),
            Self::Extension(a) => Flag::Extension(a.into_static()),
        }
    }
}

/// A mailbox attribute in a LIST response, without its backslash: an open
/// set, with the names of RFC 9051 §7.3.1, RFC 5258 and RFC 6154 as
/// constants. Compared without regard to case and kept as spelled.
///
/// ```text
/// mbx-list-flags  = *(mbx-list-oflag SP) mbx-list-sflag *(SP mbx-list-oflag)
///                   / mbx-list-oflag *(SP mbx-list-oflag)
/// mbx-list-oflag  = "\Noinferiors" / child-mbox-flag / "\Subscribed" /
///                   "\Remote" / flag-extension
/// mbx-list-sflag  = "\NonExistent" / "\Noselect" / "\Marked" / "\Unmarked"
/// use-attr        = "\All" / "\Archive" / "\Drafts" / "\Flagged" /
///                   "\Junk" / "\Sent" / "\Trash" / use-attr-ext
/// ```
#[derive(Clone, Debug, Eq)]
pub struct MailboxAttr<'a>(Atom<'a>);

macro_rules! attrs {
    ($($(#[$doc:meta])* $name:ident = $text:literal;)*) => {
        impl MailboxAttr<'static> {
            $($(#[$doc])* pub const $name: Self = Self(Atom::from_static($text));)*
        }
    };
}

attrs! {
    /// `\Noinferiors`: no child mailbox can exist.
    NOINFERIORS = "Noinferiors";
    /// `\Noselect`: the name cannot be selected.
    NOSELECT = "Noselect";
    /// `\Marked`: messages have arrived since it was last selected.
    MARKED = "Marked";
    /// `\Unmarked`: no new messages since.
    UNMARKED = "Unmarked";
    /// `\HasChildren` (RFC 5258 §4, RFC 9051).
    HAS_CHILDREN = "HasChildren";
    /// `\HasNoChildren` (RFC 5258 §4, RFC 9051).
    HAS_NO_CHILDREN = "HasNoChildren";
    /// `\NonExistent` (RFC 5258 §3.4, RFC 9051).
    NONEXISTENT = "NonExistent";
    /// `\Subscribed` (RFC 5258 §3.4, RFC 9051).
    SUBSCRIBED = "Subscribed";
    /// `\Remote` (RFC 5258 §3.4, RFC 9051).
    REMOTE = "Remote";
    /// `\All` (RFC 6154 §2).
    ALL = "All";
    /// `\Archive` (RFC 6154 §2).
    ARCHIVE = "Archive";
    /// `\Drafts` (RFC 6154 §2).
    DRAFTS = "Drafts";
    /// `\Flagged` (RFC 6154 §2).
    FLAGGED = "Flagged";
    /// `\Junk` (RFC 6154 §2).
    JUNK = "Junk";
    /// `\Sent` (RFC 6154 §2).
    SENT = "Sent";
    /// `\Trash` (RFC 6154 §2).
    TRASH = "Trash";
}

impl<'a> MailboxAttr<'a> {
    /// The attribute `\name` (given without the backslash).
    pub fn new(name: Atom<'a>) -> Self {
        Self(name)
    }

    /// The name without the backslash.
    pub fn name(&self) -> &str {
        self.0.as_str()
    }

    /// Whether this is one of the special-use attributes of RFC 6154 §2.
    pub fn is_special_use(&self) -> bool {
        [
            MailboxAttr::ALL,
            MailboxAttr::ARCHIVE,
            MailboxAttr::DRAFTS,
            MailboxAttr::FLAGGED,
            MailboxAttr::JUNK,
            MailboxAttr::SENT,
            MailboxAttr::TRASH,
        ]
        .iter()
        .any(|a| a == self)
    }
}

impl PartialEq for MailboxAttr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str().eq_ignore_ascii_case(other.0.as_str())
    }
}

/// Ordered without regard to case, as equality compares.
impl PartialOrd for MailboxAttr<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MailboxAttr<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let a = self.0.as_str().bytes().map(|b| b.to_ascii_lowercase());
        let b = other.0.as_str().bytes().map(|b| b.to_ascii_lowercase());
        a.cmp(b)
    }
}

impl std::hash::Hash for MailboxAttr<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.as_str().bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
    }
}

super::core::into_static_newtype!(MailboxAttr);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_flags_ignore_case() {
        assert_eq!(Flag::system(Atom::new("SEEN").unwrap()), Flag::Seen);
        assert_eq!(Flag::system(Atom::new("recent").unwrap()), Flag::Recent);
        assert_eq!(
            Flag::system(Atom::new("Foo").unwrap()),
            Flag::Extension(Atom::new("Foo").unwrap())
        );
        assert_eq!(Flag::Extension(Atom::new("Foo").unwrap()).name(), "\\Foo");
        assert_eq!(Flag::keyword("$Forwarded").unwrap().name(), "$Forwarded");
        assert!(Flag::keyword("a b").is_err());
    }

    #[test]
    fn attributes_compare_without_case() {
        let a = MailboxAttr::new(Atom::new("NoSelect").unwrap());
        assert_eq!(a, MailboxAttr::NOSELECT);
        assert_eq!(a.name(), "NoSelect");
        assert!(MailboxAttr::new(Atom::new("sent").unwrap()).is_special_use());
        assert!(!MailboxAttr::MARKED.is_special_use());
    }

    #[test]
    fn attribute_order_agrees_with_equality() {
        use std::cmp::Ordering;
        let upper = MailboxAttr::new(Atom::new("NOSELECT").unwrap());
        assert_eq!(upper, MailboxAttr::NOSELECT);
        assert_eq!(upper.cmp(&MailboxAttr::NOSELECT), Ordering::Equal);
        // "marked" < "Noinferiors" without case ('m' > 'N' with it).
        let lower = MailboxAttr::new(Atom::new("marked").unwrap());
        assert_eq!(lower.cmp(&MailboxAttr::NOINFERIORS), Ordering::Less);
        let set: std::collections::BTreeSet<_> =
            [upper, MailboxAttr::NOSELECT, lower].into_iter().collect();
        assert_eq!(set.len(), 2);
    }
}
