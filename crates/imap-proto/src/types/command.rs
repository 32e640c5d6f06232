//! Commands (RFC 9051 §6, RFC 3501 §6, and the extensions' sections).

use std::borrow::Cow;

use super::core::{
    AString, Atom, IString, IntoStatic, Literal, NString, Secret, Tag, into_static_struct,
};
use super::datetime::DateTime;
use super::fetch::{FetchAttrs, FetchModifier};
use super::flag::{Flag, MailboxAttr};
use super::mailbox::Mailbox;
use super::search::{SearchKey, SearchReturn};
use super::sequence::SequenceSet;
use crate::error::ValueError;

/// A tagged command (RFC 9051 §2.2.1).
///
/// ```text
/// command         = tag SP (command-any / command-auth /
///                   command-nonauth / command-select) CRLF
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command<'a> {
    /// The client's tag.
    pub tag: Tag<'a>,
    /// The command.
    pub body: CommandBody<'a>,
}

impl<'a> Command<'a> {
    /// A command with this tag.
    pub fn new(tag: Tag<'a>, body: CommandBody<'a>) -> Self {
        Self { tag, body }
    }
}

/// What a command asks. Each variant cites the section that defines it;
/// `uid` fields stand for the `UID` prefix (RFC 9051 §6.4.9).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandBody<'a> {
    /// `CAPABILITY` (§6.1.1).
    Capability,
    /// `NOOP` (§6.1.2).
    Noop,
    /// `LOGOUT` (§6.1.3).
    Logout,
    /// `STARTTLS` (§6.2.1).
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]` (§6.2.2, RFC 4959 SASL-IR).
    ///
    /// ```text
    /// authenticate    = "AUTHENTICATE" SP auth-type [SP initial-resp]
    /// initial-resp    = (base64 / "=")
    /// ```
    Authenticate {
        /// The SASL mechanism (`PLAIN`, `XOAUTH2`).
        mechanism: Atom<'a>,
        /// The decoded initial response; `Some` of empty for `=`.
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// `LOGIN user password` (§6.2.3).
    Login {
        /// `userid = astring`.
        username: AString<'a>,
        /// `password = astring`.
        password: Secret<AString<'a>>,
    },
    /// `ENABLE cap...` (RFC 5161, §6.3.1).
    Enable(Vec<Atom<'a>>),
    /// `SELECT mailbox [(params)]` (§6.3.2, RFC 7162 CONDSTORE/QRESYNC).
    Select {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// `select-param`s; empty when none were given.
        params: Vec<SelectParam>,
    },
    /// `EXAMINE mailbox [(params)]` (§6.3.3).
    Examine {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// `select-param`s.
        params: Vec<SelectParam>,
    },
    /// `CREATE mailbox [(USE (attrs))]` (§6.3.4, RFC 6154 §5.2).
    Create {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The special-use attributes asked for, when `USE` was given.
        special_use: Option<Vec<MailboxAttr<'a>>>,
    },
    /// `DELETE mailbox` (§6.3.5).
    Delete(Mailbox<'a>),
    /// `RENAME from to` (§6.3.6).
    Rename {
        /// The existing name.
        from: Mailbox<'a>,
        /// The new name.
        to: Mailbox<'a>,
    },
    /// `SUBSCRIBE mailbox` (§6.3.7).
    Subscribe(Mailbox<'a>),
    /// `UNSUBSCRIBE mailbox` (§6.3.8).
    Unsubscribe(Mailbox<'a>),
    /// `LIST` with the LIST-EXTENDED options (§6.3.9, RFC 5258, RFC 5819
    /// LIST-STATUS, RFC 6154 SPECIAL-USE).
    ///
    /// ```text
    /// list            = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat
    ///                   [SP list-return-opts]
    /// mbox-or-pat     = list-mailbox / patterns
    /// patterns        = "(" list-mailbox *(SP list-mailbox) ")"
    /// ```
    List {
        /// `(SUBSCRIBED ...)`; `None` when absent.
        selection: Option<Vec<ListSelect<'a>>>,
        /// The reference name.
        reference: Mailbox<'a>,
        /// One pattern, or a parenthesised list of them.
        patterns: ListPatterns<'a>,
        /// `RETURN (...)`; `None` when absent.
        returns: Option<Vec<ListReturn<'a>>>,
    },
    /// `LSUB reference pattern` (RFC 3501 §6.3.9).
    Lsub {
        /// The reference name.
        reference: Mailbox<'a>,
        /// The pattern.
        pattern: ListMailbox<'a>,
    },
    /// `NAMESPACE` (RFC 2342, §6.3.10).
    Namespace,
    /// `STATUS mailbox (attrs)` (§6.3.11).
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// What to report, at least one.
        attrs: Vec<StatusAttr>,
    },
    /// `APPEND mailbox message...` (§6.3.12, RFC 3502 MULTIAPPEND, RFC 3516, RFC 6855).
    ///
    /// ```text
    /// append          = "APPEND" SP mailbox 1*append-message
    /// append-message  = append-opts SP append-data
    /// append-opts     = [SP flag-list] [SP date-time]
    /// append-data     = literal / literal8 / "UTF8" SP "(" literal8 ")"
    /// ```
    Append {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// The messages, at least one.
        messages: Vec<AppendMessage<'a>>,
    },
    /// `IDLE` (RFC 2177, §6.3.13); ended by `DONE`.
    Idle,
    /// `CHECK` (RFC 3501 §6.4.1).
    Check,
    /// `CLOSE` (§6.4.1).
    Close,
    /// `UNSELECT` (RFC 3691, §6.4.2).
    Unselect,
    /// `EXPUNGE` (§6.4.3).
    Expunge,
    /// `UID EXPUNGE set` (RFC 4315 §2.1, §6.4.9).
    UidExpunge(SequenceSet),
    /// `[UID] SEARCH` (§6.4.4, RFC 4731 ESEARCH, RFC 5182 SEARCHRES).
    ///
    /// ```text
    /// search          = "SEARCH" [search-return-opts] SP search-program
    /// search-program  = ["CHARSET" SP charset SP] search-key *(SP search-key)
    /// ```
    Search {
        /// `UID SEARCH`.
        uid: bool,
        /// `RETURN (...)`; `None` when absent.
        returns: Option<Vec<SearchReturn>>,
        /// `CHARSET`.
        charset: Option<AString<'a>>,
        /// The keys, all of which must match; at least one.
        criteria: Vec<SearchKey<'a>>,
    },
    /// `[UID] FETCH set attrs [(modifiers)]` (§6.4.5, RFC 7162).
    Fetch {
        /// `UID FETCH`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// What to fetch.
        attrs: FetchAttrs<'a>,
        /// `(CHANGEDSINCE n VANISHED)`; empty when absent.
        modifiers: Vec<FetchModifier>,
    },
    /// `[UID] STORE set [(UNCHANGEDSINCE n)] [+-]FLAGS[.SILENT] (flags)` (§6.4.6, RFC 7162).
    Store {
        /// `UID STORE`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// `UNCHANGEDSINCE` (RFC 7162 §3.1.3).
        unchanged_since: Option<u64>,
        /// Replace, add or remove.
        kind: StoreKind,
        /// `.SILENT`.
        silent: bool,
        /// The flags.
        flags: Vec<Flag<'a>>,
    },
    /// `[UID] COPY set mailbox` (§6.4.7).
    Copy {
        /// `UID COPY`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// The destination.
        mailbox: Mailbox<'a>,
    },
    /// `[UID] MOVE set mailbox` (RFC 6851, §6.4.8).
    Move {
        /// `UID MOVE`.
        uid: bool,
        /// The messages.
        set: SequenceSet,
        /// The destination.
        mailbox: Mailbox<'a>,
    },
    /// `ID (params) / NIL` (RFC 2971 §3.1).
    Id(Option<Vec<(IString<'a>, NString<'a>)>>),
    /// `GETQUOTA root` (RFC 9208 §4.2).
    GetQuota(AString<'a>),
    /// `GETQUOTAROOT mailbox` (RFC 9208 §4.3).
    GetQuotaRoot(Mailbox<'a>),
    /// `SETQUOTA root (resource limit ...)` (RFC 9208 §4.4).
    SetQuota {
        /// The quota root.
        root: AString<'a>,
        /// Resource names and limits.
        limits: Vec<(Atom<'a>, u64)>,
    },
    /// `COMPRESS algorithm` (RFC 4978 §3).
    Compress(Atom<'a>),
}

impl CommandBody<'_> {
    /// The command's name as written on the wire (`UID FETCH` for a UID one).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Capability => "CAPABILITY",
            Self::Noop => "NOOP",
            Self::Logout => "LOGOUT",
            Self::StartTls => "STARTTLS",
            Self::Authenticate { .. } => "AUTHENTICATE",
            Self::Login { .. } => "LOGIN",
            Self::Enable(_) => "ENABLE",
            Self::Select { .. } => "SELECT",
            Self::Examine { .. } => "EXAMINE",
            Self::Create { .. } => "CREATE",
            Self::Delete(_) => "DELETE",
            Self::Rename { .. } => "RENAME",
            Self::Subscribe(_) => "SUBSCRIBE",
            Self::Unsubscribe(_) => "UNSUBSCRIBE",
            Self::List { .. } => "LIST",
            Self::Lsub { .. } => "LSUB",
            Self::Namespace => "NAMESPACE",
            Self::Status { .. } => "STATUS",
            Self::Append { .. } => "APPEND",
            Self::Idle => "IDLE",
            Self::Check => "CHECK",
            Self::Close => "CLOSE",
            Self::Unselect => "UNSELECT",
            Self::Expunge => "EXPUNGE",
            Self::UidExpunge(_) => "UID EXPUNGE",
            Self::Search { uid: true, .. } => "UID SEARCH",
            Self::Search { .. } => "SEARCH",
            Self::Fetch { uid: true, .. } => "UID FETCH",
            Self::Fetch { .. } => "FETCH",
            Self::Store { uid: true, .. } => "UID STORE",
            Self::Store { .. } => "STORE",
            Self::Copy { uid: true, .. } => "UID COPY",
            Self::Copy { .. } => "COPY",
            Self::Move { uid: true, .. } => "UID MOVE",
            Self::Move { .. } => "MOVE",
            Self::Id(_) => "ID",
            Self::GetQuota(_) => "GETQUOTA",
            Self::GetQuotaRoot(_) => "GETQUOTAROOT",
            Self::SetQuota { .. } => "SETQUOTA",
            Self::Compress(_) => "COMPRESS",
        }
    }
}

/// A `select-param` of SELECT and EXAMINE (RFC 7162 §3.1.8, §3.2.5).
///
/// ```text
/// select-param    = "CONDSTORE" /
///                   "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
///                   [SP known-uids] [SP seq-match-data] ")"
/// seq-match-data  = "(" known-sequence-set SP known-uid-set ")"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectParam {
    /// `CONDSTORE`.
    CondStore,
    /// `QRESYNC (...)`.
    QResync {
        /// The UIDVALIDITY the client knows.
        uid_validity: u32,
        /// The last mod-sequence it knows.
        modseq: u64,
        /// The UIDs it knows.
        known_uids: Option<SequenceSet>,
        /// Message numbers and their UIDs, for the server to find what vanished.
        seq_match: Option<(SequenceSet, SequenceSet)>,
    },
}

/// A LIST selection option (RFC 5258 §3.1, RFC 6154 §5.1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListSelect<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `REMOTE`.
    Remote,
    /// `RECURSIVEMATCH`.
    RecursiveMatch,
    /// `SPECIAL-USE` (RFC 6154).
    SpecialUse,
    /// Another option.
    Other(Atom<'a>),
}

/// A LIST return option (RFC 5258 §3.2, RFC 5819, RFC 6154 §5.1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListReturn<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `CHILDREN`.
    Children,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// `STATUS (attrs)` (RFC 5819 LIST-STATUS).
    Status(Vec<StatusAttr>),
    /// Another option.
    Other(Atom<'a>),
}

/// The pattern(s) of a LIST.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListPatterns<'a> {
    /// One pattern.
    Single(ListMailbox<'a>),
    /// `(p1 p2 ...)` (RFC 5258), at least one.
    Multiple(Vec<ListMailbox<'a>>),
}

/// A LIST pattern, wildcards allowed (RFC 9051 §6.3.9).
///
/// ```text
/// list-mailbox    = 1*list-char / string
/// list-char       = ATOM-CHAR / list-wildcards / resp-specials
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListMailbox<'a> {
    /// The unquoted form.
    Token(ListToken<'a>),
    /// A string.
    String(IString<'a>),
}

impl ListMailbox<'_> {
    /// The pattern's octets.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Token(t) => t.as_str().as_bytes(),
            Self::String(s) => s.as_bytes(),
        }
    }
}

/// The unquoted form of a LIST pattern: `1*list-char` (RFC 9051 §9),
/// validated when built, so it is written as is.
///
/// ```
/// use imap_proto::types::ListToken;
/// assert!(ListToken::new("INBOX/%").is_ok());
/// assert!(ListToken::new("a\r\nb").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListToken<'a>(Cow<'a, str>);

impl<'a> ListToken<'a> {
    /// Validates `1*list-char`: atom characters, `%`, `*` and `]`.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        if s.is_empty() {
            return Err(ValueError::Empty);
        }
        match s.bytes().find(|&b| !super::chars::is_list_char(b)) {
            Some(b) => Err(ValueError::Octet(b)),
            None => Ok(Self(s)),
        }
    }

    /// A token the decoder has already checked.
    pub(crate) fn unchecked(bytes: &'a [u8]) -> Self {
        Self(Cow::Borrowed(
            std::str::from_utf8(bytes).unwrap_or_default(),
        ))
    }

    /// The pattern.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::core::into_static_newtype!(ListToken);

/// A STATUS attribute (RFC 9051 §6.3.11, RFC 7162, RFC 8438).
///
/// ```text
/// status-att      = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" /
///                   "UNSEEN" / "DELETED" / "SIZE"
/// status-att      =/ "RECENT"            ; RFC 3501
/// status-att      =/ "HIGHESTMODSEQ"     ; RFC 7162
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusAttr {
    /// `MESSAGES`.
    Messages,
    /// `RECENT` (RFC 3501).
    Recent,
    /// `UIDNEXT`.
    UidNext,
    /// `UIDVALIDITY`.
    UidValidity,
    /// `UNSEEN`.
    Unseen,
    /// `DELETED` (RFC 9051).
    Deleted,
    /// `SIZE` (RFC 8438 STATUS=SIZE, RFC 9051).
    Size,
    /// `HIGHESTMODSEQ` (RFC 7162).
    HighestModSeq,
}

impl StatusAttr {
    /// The name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Self::Messages => "MESSAGES",
            Self::Recent => "RECENT",
            Self::UidNext => "UIDNEXT",
            Self::UidValidity => "UIDVALIDITY",
            Self::Unseen => "UNSEEN",
            Self::Deleted => "DELETED",
            Self::Size => "SIZE",
            Self::HighestModSeq => "HIGHESTMODSEQ",
        }
    }
}

/// One message of an APPEND.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendMessage<'a> {
    /// `flag-list`, when given.
    pub flags: Option<Vec<Flag<'a>>>,
    /// The internal date, when given.
    pub date: Option<DateTime>,
    /// The message: a `literal`, a `literal8` (RFC 3516 §4.4), or, with
    /// `utf8`, `UTF8 (~{n}...)` (RFC 6855 §4).
    pub data: Literal,
    /// Written as `UTF8 (literal8)`.
    pub utf8: bool,
}

/// How STORE changes flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreKind {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// A client's line during AUTHENTICATE (RFC 9051 §6.2.2).
///
/// ```text
/// authenticate    = "AUTHENTICATE" SP auth-type [SP initial-resp]
///                   *(CRLF base64)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthenticateData {
    /// The decoded response.
    Response(Secret<Vec<u8>>),
    /// `*`: the client cancels.
    Cancel,
}

into_static_struct!(Command { tag, body });
into_static_struct!(AppendMessage {
    flags,
    date,
    data,
    utf8
});

impl IntoStatic for SelectParam {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for StatusAttr {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for StoreKind {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for ListSelect<'_> {
    type Static = ListSelect<'static>;
    fn into_static(self) -> ListSelect<'static> {
        match self {
            Self::Subscribed => ListSelect::Subscribed,
            Self::Remote => ListSelect::Remote,
            Self::RecursiveMatch => ListSelect::RecursiveMatch,
            Self::SpecialUse => ListSelect::SpecialUse,
            Self::Other(a) => ListSelect::Other(a.into_static()),
        }
    }
}

impl IntoStatic for ListReturn<'_> {
    type Static = ListReturn<'static>;
    fn into_static(self) -> ListReturn<'static> {
        match self {
            Self::Subscribed => ListReturn::Subscribed,
            Self::Children => ListReturn::Children,
            Self::SpecialUse => ListReturn::SpecialUse,
            Self::Status(v) => ListReturn::Status(v),
            Self::Other(a) => ListReturn::Other(a.into_static()),
        }
    }
}

impl IntoStatic for ListPatterns<'_> {
    type Static = ListPatterns<'static>;
    fn into_static(self) -> ListPatterns<'static> {
        match self {
            Self::Single(p) => ListPatterns::Single(p.into_static()),
            Self::Multiple(v) => ListPatterns::Multiple(v.into_static()),
        }
    }
}

impl IntoStatic for ListMailbox<'_> {
    type Static = ListMailbox<'static>;
    fn into_static(self) -> ListMailbox<'static> {
        match self {
            Self::Token(t) => ListMailbox::Token(t.into_static()),
            Self::String(s) => ListMailbox::String(s.into_static()),
        }
    }
}

impl IntoStatic for CommandBody<'_> {
    type Static = CommandBody<'static>;
    fn into_static(self) -> CommandBody<'static> {
        use CommandBody as C;
        match self {
            Self::Capability => C::Capability,
            Self::Noop => C::Noop,
            Self::Logout => C::Logout,
            Self::StartTls => C::StartTls,
            Self::Authenticate {
                mechanism,
                initial_response,
            } => C::Authenticate {
                mechanism: mechanism.into_static(),
                initial_response: initial_response.into_static(),
            },
            Self::Login { username, password } => C::Login {
                username: username.into_static(),
                password: password.into_static(),
            },
            Self::Enable(v) => C::Enable(v.into_static()),
            Self::Select { mailbox, params } => C::Select {
                mailbox: mailbox.into_static(),
                params,
            },
            Self::Examine { mailbox, params } => C::Examine {
                mailbox: mailbox.into_static(),
                params,
            },
            Self::Create {
                mailbox,
                special_use,
            } => C::Create {
                mailbox: mailbox.into_static(),
                special_use: special_use.into_static(),
            },
            Self::Delete(m) => C::Delete(m.into_static()),
            Self::Rename { from, to } => C::Rename {
                from: from.into_static(),
                to: to.into_static(),
            },
            Self::Subscribe(m) => C::Subscribe(m.into_static()),
            Self::Unsubscribe(m) => C::Unsubscribe(m.into_static()),
            Self::List {
                selection,
                reference,
                patterns,
                returns,
            } => C::List {
                selection: selection.into_static(),
                reference: reference.into_static(),
                patterns: patterns.into_static(),
                returns: returns.into_static(),
            },
            Self::Lsub { reference, pattern } => C::Lsub {
                reference: reference.into_static(),
                pattern: pattern.into_static(),
            },
            Self::Namespace => C::Namespace,
            Self::Status { mailbox, attrs } => C::Status {
                mailbox: mailbox.into_static(),
                attrs,
            },
            Self::Append { mailbox, messages } => C::Append {
                mailbox: mailbox.into_static(),
                messages: messages.into_static(),
            },
            Self::Idle => C::Idle,
            Self::Check => C::Check,
            Self::Close => C::Close,
            Self::Unselect => C::Unselect,
            Self::Expunge => C::Expunge,
            Self::UidExpunge(s) => C::UidExpunge(s),
            Self::Search {
                uid,
                returns,
                charset,
                criteria,
            } => C::Search {
                uid,
                returns,
                charset: charset.into_static(),
                criteria: criteria.into_static(),
            },
            Self::Fetch {
                uid,
                set,
                attrs,
                modifiers,
            } => C::Fetch {
                uid,
                set,
                attrs: attrs.into_static(),
                modifiers,
            },
            Self::Store {
                uid,
                set,
                unchanged_since,
                kind,
                silent,
                flags,
            } => C::Store {
                uid,
                set,
                unchanged_since,
                kind,
                silent,
                flags: flags.into_static(),
            },
            Self::Copy { uid, set, mailbox } => C::Copy {
                uid,
                set,
                mailbox: mailbox.into_static(),
            },
            Self::Move { uid, set, mailbox } => C::Move {
                uid,
                set,
                mailbox: mailbox.into_static(),
            },
            Self::Id(v) => C::Id(v.into_static()),
            Self::GetQuota(r) => C::GetQuota(r.into_static()),
            Self::GetQuotaRoot(m) => C::GetQuotaRoot(m.into_static()),
            Self::SetQuota { root, limits } => C::SetQuota {
                root: root.into_static(),
                limits: limits.into_static(),
            },
            Self::Compress(a) => C::Compress(a.into_static()),
        }
    }
}
