//! SEARCH keys and return options (RFC 9051 §6.4.4, RFC 4731, RFC 5182,
//! RFC 7162 §3.1.5, RFC 5032).

use super::core::{AString, Atom, IntoStatic};
use super::datetime::Date;
use super::sequence::SequenceSet;

/// A search key (RFC 9051 §6.4.4, §9).
///
/// ```text
/// search-key      = "ALL" / "ANSWERED" / "BCC" SP astring /
///                   "BEFORE" SP date / "BODY" SP astring /
///                   "CC" SP astring / "DELETED" / "FLAGGED" /
///                   "FROM" SP astring / "KEYWORD" SP flag-keyword /
///                   "ON" SP date / "SEEN" / "SINCE" SP date /
///                   "SUBJECT" SP astring / "TEXT" SP astring /
///                   "TO" SP astring / "UNANSWERED" / "UNDELETED" /
///                   "UNFLAGGED" / "UNKEYWORD" SP flag-keyword /
///                   "UNSEEN" / "DRAFT" / "HEADER" SP header-fld-name SP astring /
///                   "LARGER" SP number64 / "NOT" SP search-key /
///                   "OR" SP search-key SP search-key /
///                   "SENTBEFORE" SP date / "SENTON" SP date /
///                   "SENTSINCE" SP date / "SMALLER" SP number64 /
///                   "UID" SP sequence-set / "UNDRAFT" / sequence-set /
///                   "(" search-key *(SP search-key) ")"
/// search-key      =/ "NEW" / "OLD" / "RECENT"              ; RFC 3501
/// search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer
///                                                         ; RFC 7162
/// search-key      =/ ( "OLDER" / "YOUNGER" ) SP nz-number  ; RFC 5032
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SearchKey<'a> {
    /// `ALL`.
    All,
    /// `ANSWERED`.
    Answered,
    /// `BCC`.
    Bcc(AString<'a>),
    /// `BEFORE`.
    Before(Date),
    /// `BODY`.
    Body(AString<'a>),
    /// `CC`.
    Cc(AString<'a>),
    /// `DELETED`.
    Deleted,
    /// `DRAFT`.
    Draft,
    /// `FLAGGED`.
    Flagged,
    /// `FROM`.
    From(AString<'a>),
    /// `HEADER name value`.
    Header(AString<'a>, AString<'a>),
    /// `KEYWORD`.
    Keyword(Atom<'a>),
    /// `LARGER`.
    Larger(u64),
    /// `NEW` (RFC 3501).
    New,
    /// `NOT key`.
    Not(Box<Self>),
    /// `OLD` (RFC 3501).
    Old,
    /// `OLDER n` (RFC 5032).
    Older(u32),
    /// `ON`.
    On(Date),
    /// `OR a b`.
    Or(Box<Self>, Box<Self>),
    /// `RECENT` (RFC 3501).
    Recent,
    /// `SEEN`.
    Seen,
    /// `SENTBEFORE`.
    SentBefore(Date),
    /// `SENTON`.
    SentOn(Date),
    /// `SENTSINCE`.
    SentSince(Date),
    /// `SINCE`.
    Since(Date),
    /// `SMALLER`.
    Smaller(u64),
    /// `SUBJECT`.
    Subject(AString<'a>),
    /// `TEXT`.
    Text(AString<'a>),
    /// `TO`.
    To(AString<'a>),
    /// `UID set`.
    Uid(SequenceSet),
    /// `UNANSWERED`.
    Unanswered,
    /// `UNDELETED`.
    Undeleted,
    /// `UNDRAFT`.
    Undraft,
    /// `UNFLAGGED`.
    Unflagged,
    /// `UNKEYWORD`.
    Unkeyword(Atom<'a>),
    /// `UNSEEN`.
    Unseen,
    /// `YOUNGER n` (RFC 5032).
    Younger(u32),
    /// A message sequence set.
    SequenceSet(SequenceSet),
    /// `( key key ... )`: all of them, at least one.
    And(Vec<Self>),
    /// `MODSEQ ["/flags/name" type] n` (RFC 7162 §3.1.5).
    ModSeq {
        /// The metadata item and its type, e.g. `"/flags/\\draft" all`.
        entry: Option<(AString<'a>, EntryType)>,
        /// The least mod-sequence.
        modseq: u64,
    },
}

/// `entry-type-req` of a MODSEQ search (RFC 7162 §3.1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryType {
    /// `priv`.
    Private,
    /// `shared`.
    Shared,
    /// `all`.
    All,
}

/// What an extended SEARCH returns (RFC 4731 §3.1, RFC 5182, RFC 9051 §6.4.4).
///
/// ```text
/// search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SearchReturn {
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
    /// `ALL`.
    All,
    /// `COUNT`.
    Count,
    /// `SAVE` (RFC 5182).
    Save,
}

impl SearchKey<'_> {
    /// Whether any of `keys`, at any depth (inside `NOT`, `OR` and
    /// parentheses), is one that `f` picks; a loop, not recursion, so a deep
    /// key costs no stack.
    pub(crate) fn any_in(keys: &[Self], f: impl Fn(&Self) -> bool) -> bool {
        let mut stack: Vec<&Self> = keys.iter().collect();
        while let Some(key) = stack.pop() {
            if f(key) {
                return true;
            }
            match key {
                Self::Not(k) => stack.push(k),
                Self::Or(a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                Self::And(keys) => stack.extend(keys),
                _ => {}
            }
        }
        false
    }
}

impl IntoStatic for EntryType {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for SearchReturn {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for Date {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for super::DateTime {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for SearchKey<'_> {
    type Static = SearchKey<'static>;
    fn into_static(self) -> SearchKey<'static> {
        use SearchKey as K;
        match self {
            Self::All => K::All,
            Self::Answered => K::Answered,
            Self::Bcc(s) => K::Bcc(s.into_static()),
            Self::Before(d) => K::Before(d),
            Self::Body(s) => K::Body(s.into_static()),
            Self::Cc(s) => K::Cc(s.into_static()),
            Self::Deleted => K::Deleted,
            Self::Draft => K::Draft,
            Self::Flagged => K::Flagged,
            Self::From(s) => K::From(s.into_static()),
            Self::Header(a, b) => K::Header(a.into_static(), b.into_static()),
            Self::Keyword(a) => K::Keyword(a.into_static()),
            Self::Larger(n) => K::Larger(n),
            Self::New => K::New,
            Self::Not(k) => K::Not(k.into_static()),
            Self::Old => K::Old,
            Self::Older(n) => K::Older(n),
            Self::On(d) => K::On(d),
            Self::Or(a, b) => K::Or(a.into_static(), b.into_static()),
            Self::Recent => K::Recent,
            Self::Seen => K::Seen,
            Self::SentBefore(d) => K::SentBefore(d),
            Self::SentOn(d) => K::SentOn(d),
            Self::SentSince(d) => K::SentSince(d),
            Self::Since(d) => K::Since(d),
            Self::Smaller(n) => K::Smaller(n),
            Self::Subject(s) => K::Subject(s.into_static()),
            Self::Text(s) => K::Text(s.into_static()),
            Self::To(s) => K::To(s.into_static()),
            Self::Uid(s) => K::Uid(s),
            Self::Unanswered => K::Unanswered,
            Self::Undeleted => K::Undeleted,
            Self::Undraft => K::Undraft,
            Self::Unflagged => K::Unflagged,
            Self::Unkeyword(a) => K::Unkeyword(a.into_static()),
            Self::Unseen => K::Unseen,
            Self::Younger(n) => K::Younger(n),
            Self::SequenceSet(s) => K::SequenceSet(s),
            Self::And(v) => K::And(v.into_static()),
            Self::ModSeq { entry, modseq } => K::ModSeq {
                entry: entry.into_static(),
                modseq,
            },
        }
    }
}
