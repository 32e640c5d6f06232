//! Responses (RFC 9051 §7, RFC 3501 §7, and the extensions' sections).

use super::command::StatusAttr;
use super::core::{AString, Atom, IString, IntoStatic, NString, Tag, Text, into_static_struct};
use super::fetch::FetchItem;
use super::flag::{Flag, MailboxAttr};
use super::mailbox::Mailbox;
use super::sequence::SequenceSet;

/// Anything a server sends (RFC 9051 §7).
///
/// ```text
/// response        = *(continue-req / response-data) response-done
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response<'a> {
    /// `+ ...`: a continuation request (§7.6).
    Continuation(Continuation<'a>),
    /// `* ...`: untagged data or status (§7.1 to §7.5).
    Data(Data<'a>),
    /// `tag OK/NO/BAD ...`: a command's completion (§7.1).
    Tagged(Tagged<'a>),
}

/// `+ [code] text` (RFC 9051 §7.6); a SASL challenge is base64 text.
///
/// ```text
/// continue-req    = "+" SP (resp-text / base64) CRLF
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Continuation<'a> {
    /// A response code.
    pub code: Option<Code<'a>>,
    /// The text (or base64 challenge); may be empty.
    pub text: Text<'a>,
}

impl Continuation<'static> {
    /// A continuation carrying a SASL challenge, base64-encoded.
    pub fn challenge(data: &[u8]) -> Self {
        use base64::Engine;
        let text = base64::engine::general_purpose::STANDARD.encode(data);
        Self {
            code: None,
            text: Text::unchecked_owned(text),
        }
    }
}

impl Continuation<'_> {
    /// The text decoded as a base64 SASL challenge.
    pub fn decode_challenge(&self) -> Option<Vec<u8>> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(self.text.as_str())
            .ok()
    }
}

/// A command's completion (RFC 9051 §7.1).
///
/// ```text
/// response-tagged = tag SP resp-cond-state CRLF
/// resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tagged<'a> {
    /// The command's tag.
    pub tag: Tag<'a>,
    /// `OK`, `NO` or `BAD`.
    pub kind: StatusKind,
    /// Code and text.
    pub text: RespText<'a>,
}

/// `OK`, `NO`, `BAD`, and in untagged responses `PREAUTH` and `BYE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusKind {
    /// `OK`.
    Ok,
    /// `NO`.
    No,
    /// `BAD`.
    Bad,
    /// `PREAUTH` (greeting only).
    PreAuth,
    /// `BYE`.
    Bye,
}

impl StatusKind {
    /// The keyword.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::No => "NO",
            Self::Bad => "BAD",
            Self::PreAuth => "PREAUTH",
            Self::Bye => "BYE",
        }
    }
}

/// A response code and text.
///
/// ```text
/// resp-text       = ["[" resp-text-code "]" SP] [text]
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RespText<'a> {
    /// The code in brackets.
    pub code: Option<Code<'a>>,
    /// The text.
    pub text: Text<'a>,
}

/// Untagged data (RFC 9051 §7.2 to §7.5 and the extensions).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Data<'a> {
    /// `* OK/NO/BAD/PREAUTH/BYE [code] text` (§7.1).
    Status {
        /// The condition.
        kind: StatusKind,
        /// Code and text.
        text: RespText<'a>,
    },
    /// `* CAPABILITY ...` (§7.2.2).
    Capability(Vec<Atom<'a>>),
    /// `* ENABLED ...` (RFC 5161 §3.2).
    Enabled(Vec<Atom<'a>>),
    /// `* FLAGS (...)` (§7.3.5).
    Flags(Vec<Flag<'a>>),
    /// `* LIST ...` (§7.3.1).
    List(ListItem<'a>),
    /// `* LSUB ...` (RFC 3501 §7.2.3).
    Lsub(ListItem<'a>),
    /// `* STATUS mailbox (...)` (§7.3.2).
    MailboxStatus {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Attributes and values.
        items: Vec<(StatusAttr, u64)>,
    },
    /// `* SEARCH n...` (RFC 3501 §7.2.5), with CONDSTORE's `(MODSEQ n)`.
    Search {
        /// The matching numbers or UIDs.
        ids: Vec<u32>,
        /// The highest mod-sequence of those (RFC 7162 §3.1.5).
        modseq: Option<u64>,
    },
    /// `* ESEARCH ...` (RFC 4731 §3.2, RFC 9051 §7.3.4).
    ESearch {
        /// `(TAG "a1")`: the command this answers.
        tag: Option<Tag<'a>>,
        /// `UID`: the numbers are UIDs.
        uid: bool,
        /// The returned data.
        items: Vec<ESearchItem<'a>>,
    },
    /// `* n EXISTS` (§7.4.1).
    Exists(u32),
    /// `* n RECENT` (RFC 3501 §7.3.2).
    Recent(u32),
    /// `* n EXPUNGE` (§7.5.1).
    Expunge(u32),
    /// `* n FETCH (...)` (§7.5.2).
    Fetch {
        /// The message sequence number.
        seq: u32,
        /// The items, at least one.
        items: Vec<FetchItem<'a>>,
    },
    /// `* NAMESPACE personal other shared` (RFC 2342 §5, §7.3.3).
    Namespace {
        /// Personal namespaces; empty is `NIL`.
        personal: Vec<NamespaceDescr<'a>>,
        /// Other users' namespaces.
        other: Vec<NamespaceDescr<'a>>,
        /// Shared namespaces.
        shared: Vec<NamespaceDescr<'a>>,
    },
    /// `* ID (...) / NIL` (RFC 2971 §3.2).
    Id(Option<Vec<(IString<'a>, NString<'a>)>>),
    /// `* QUOTA root (resource usage limit ...)` (RFC 9208 §5.1).
    Quota {
        /// The quota root.
        root: AString<'a>,
        /// The resources.
        resources: Vec<QuotaResource<'a>>,
    },
    /// `* QUOTAROOT mailbox root...` (RFC 9208 §5.2).
    QuotaRoot {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Its quota roots.
        roots: Vec<AString<'a>>,
    },
    /// `* VANISHED [(EARLIER)] uids` (RFC 7162 §3.2.10).
    Vanished {
        /// `(EARLIER)`: an answer to a FETCH or SELECT, not a live expunge.
        earlier: bool,
        /// The UIDs.
        uids: SequenceSet,
    },
}

/// One LIST or LSUB answer (RFC 9051 §7.3.1, RFC 5258 §9).
///
/// ```text
/// mailbox-list    = "(" [mbx-list-flags] ")" SP
///                   (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
///                   [SP mbox-list-extended]
/// mbox-list-extended = "(" [mbox-list-extended-item
///                      *(SP mbox-list-extended-item)] ")"
/// mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem<'a> {
    /// The attributes.
    pub attrs: Vec<MailboxAttr<'a>>,
    /// The hierarchy delimiter; `None` is `NIL` (a flat name).
    pub delimiter: Option<char>,
    /// The mailbox.
    pub mailbox: Mailbox<'a>,
    /// Extended data: `CHILDINFO`, `OLDNAME`; `None` when absent.
    pub extended: Option<Vec<(AString<'a>, ExtValue<'a>)>>,
}

/// A `tagged-ext-val` (RFC 4466 §2.1), for data this crate does not model.
///
/// ```text
/// tagged-ext-val  = tagged-ext-simple / "(" [tagged-ext-comp] ")"
/// tagged-ext-comp = astring / tagged-ext-comp *(SP tagged-ext-comp) /
///                   "(" tagged-ext-comp ")"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExtValue<'a> {
    /// A number, sequence set or astring.
    Value(AString<'a>),
    /// A parenthesised list (possibly empty).
    List(Vec<Self>),
}

/// One item of an ESEARCH response (RFC 4731 §3.2, RFC 7162 §3.1.5).
///
/// ```text
/// search-return-data = "MIN" SP nz-number / "MAX" SP nz-number /
///                      "ALL" SP sequence-set / "COUNT" SP number /
///                      "MODSEQ" SP mod-sequence-value / search-ret-data-ext
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ESearchItem<'a> {
    /// `MIN n`.
    Min(u32),
    /// `MAX n`.
    Max(u32),
    /// `ALL set`.
    All(SequenceSet),
    /// `COUNT n`.
    Count(u32),
    /// `MODSEQ n`.
    ModSeq(u64),
    /// Another item (`PARTIAL`, `RELEVANCY`).
    Other(Atom<'a>, ExtValue<'a>),
}

/// A namespace (RFC 2342 §5, RFC 9051 §7.3.3).
///
/// ```text
/// namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil)
///                   [namespace-response-extensions] ")"
/// namespace-response-extension = SP string SP
///                   "(" string *(SP string) ")"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceDescr<'a> {
    /// The prefix.
    pub prefix: IString<'a>,
    /// The hierarchy delimiter; `None` is `NIL`.
    pub delimiter: Option<char>,
    /// Extensions: a name and its values.
    pub extensions: Vec<(IString<'a>, Vec<IString<'a>>)>,
}

/// One resource of a QUOTA response (RFC 9208 §5.1).
///
/// ```text
/// quota-resource  = resource-name SP resource-usage SP resource-limit
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaResource<'a> {
    /// `STORAGE`, `MESSAGE`, `MAILBOX`, `ANNOTATION-STORAGE`.
    pub name: Atom<'a>,
    /// The usage (STORAGE in KiB).
    pub usage: u64,
    /// The limit.
    pub limit: u64,
}

/// A response code (RFC 9051 §7.1, RFC 5530, RFC 4315, RFC 7162, RFC 4978,
/// RFC 6154, RFC 9208).
///
/// ```text
/// resp-text-code  = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")"] /
///                   capability-data / "PARSE" /
///                   "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
///                   "READ-ONLY" / "READ-WRITE" / "TRYCREATE" /
///                   "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
///                   resp-code-apnd / resp-code-copy / "UIDNOTSTICKY" /
///                   "UNAVAILABLE" / "AUTHENTICATIONFAILED" / "AUTHORIZATIONFAILED" /
///                   "EXPIRED" / "PRIVACYREQUIRED" / "CONTACTADMIN" / "NOPERM" /
///                   "INUSE" / "EXPUNGEISSUED" / "CORRUPTION" / "SERVERBUG" /
///                   "CLIENTBUG" / "CANNOT" / "LIMIT" / "OVERQUOTA" /
///                   "ALREADYEXISTS" / "NONEXISTENT" / "NOTSAVED" /
///                   "HASCHILDREN" / "CLOSED" / "UNKNOWN-CTE" /
///                   atom [SP 1*<any TEXT-CHAR except "]">]
/// resp-text-code  =/ "UNSEEN" SP nz-number                  ; RFC 3501
/// resp-text-code  =/ "HIGHESTMODSEQ" SP mod-sequence-value /
///                    "NOMODSEQ" / "MODIFIED" SP sequence-set ; RFC 7162
/// resp-text-code  =/ "COMPRESSIONACTIVE"                     ; RFC 4978
/// resp-text-code  =/ "USEATTR"                               ; RFC 6154
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code<'a> {
    /// `ALERT`.
    Alert,
    /// `BADCHARSET [(charsets)]`.
    BadCharset(Vec<AString<'a>>),
    /// `CAPABILITY ...`.
    Capability(Vec<Atom<'a>>),
    /// `PARSE`.
    Parse,
    /// `PERMANENTFLAGS (...)`.
    PermanentFlags(Vec<Flag<'a>>),
    /// `READ-ONLY`.
    ReadOnly,
    /// `READ-WRITE`.
    ReadWrite,
    /// `TRYCREATE`.
    TryCreate,
    /// `UIDNEXT n`.
    UidNext(u32),
    /// `UIDVALIDITY n`.
    UidValidity(u32),
    /// `UNSEEN n` (RFC 3501).
    Unseen(u32),
    /// `APPENDUID validity uids` (RFC 4315 §3).
    AppendUid {
        /// The mailbox's UIDVALIDITY.
        uid_validity: u32,
        /// The new UIDs (several with MULTIAPPEND).
        uids: SequenceSet,
    },
    /// `COPYUID validity source destination` (RFC 4315 §3).
    CopyUid {
        /// The destination's UIDVALIDITY.
        uid_validity: u32,
        /// The source UIDs.
        source: SequenceSet,
        /// Their new UIDs, in the same order.
        destination: SequenceSet,
    },
    /// `UIDNOTSTICKY` (RFC 4315 §3).
    UidNotSticky,
    /// `HIGHESTMODSEQ n` (RFC 7162 §3.1.2.1).
    HighestModSeq(u64),
    /// `NOMODSEQ` (RFC 7162 §3.1.2.2).
    NoModSeq,
    /// `MODIFIED set` (RFC 7162 §3.1.3).
    Modified(SequenceSet),
    /// `CLOSED` (RFC 7162 §3.2.11).
    Closed,
    /// `COMPRESSIONACTIVE` (RFC 4978 §3).
    CompressionActive,
    /// `USEATTR` (RFC 6154 §6).
    UseAttr,
    /// `UNAVAILABLE` (RFC 5530).
    Unavailable,
    /// `AUTHENTICATIONFAILED` (RFC 5530).
    AuthenticationFailed,
    /// `AUTHORIZATIONFAILED` (RFC 5530).
    AuthorizationFailed,
    /// `EXPIRED` (RFC 5530).
    Expired,
    /// `PRIVACYREQUIRED` (RFC 5530).
    PrivacyRequired,
    /// `CONTACTADMIN` (RFC 5530).
    ContactAdmin,
    /// `NOPERM` (RFC 5530).
    NoPerm,
    /// `INUSE` (RFC 5530).
    InUse,
    /// `EXPUNGEISSUED` (RFC 5530).
    ExpungeIssued,
    /// `CORRUPTION` (RFC 5530).
    Corruption,
    /// `SERVERBUG` (RFC 5530).
    ServerBug,
    /// `CLIENTBUG` (RFC 5530).
    ClientBug,
    /// `CANNOT` (RFC 5530).
    Cannot,
    /// `LIMIT` (RFC 5530).
    Limit,
    /// `OVERQUOTA` (RFC 5530).
    OverQuota,
    /// `ALREADYEXISTS` (RFC 5530).
    AlreadyExists,
    /// `NONEXISTENT` (RFC 5530).
    NonExistent,
    /// `NOTSAVED` (RFC 9051).
    NotSaved,
    /// `HASCHILDREN` (RFC 9051).
    HasChildren,
    /// `UNKNOWN-CTE` (RFC 3516, RFC 9051).
    UnknownCte,
    /// Any other code: its atom and the text after it.
    Other(Atom<'a>, Option<Text<'a>>),
}

impl Code<'_> {
    /// The name of a code that takes no argument, or `None`.
    pub(crate) fn simple_name(&self) -> Option<&'static str> {
        Some(match self {
            Self::Alert => "ALERT",
            Self::Parse => "PARSE",
            Self::ReadOnly => "READ-ONLY",
            Self::ReadWrite => "READ-WRITE",
            Self::TryCreate => "TRYCREATE",
            Self::UidNotSticky => "UIDNOTSTICKY",
            Self::NoModSeq => "NOMODSEQ",
            Self::Closed => "CLOSED",
            Self::CompressionActive => "COMPRESSIONACTIVE",
            Self::UseAttr => "USEATTR",
            Self::Unavailable => "UNAVAILABLE",
            Self::AuthenticationFailed => "AUTHENTICATIONFAILED",
            Self::AuthorizationFailed => "AUTHORIZATIONFAILED",
            Self::Expired => "EXPIRED",
            Self::PrivacyRequired => "PRIVACYREQUIRED",
            Self::ContactAdmin => "CONTACTADMIN",
            Self::NoPerm => "NOPERM",
            Self::InUse => "INUSE",
            Self::ExpungeIssued => "EXPUNGEISSUED",
            Self::Corruption => "CORRUPTION",
            Self::ServerBug => "SERVERBUG",
            Self::ClientBug => "CLIENTBUG",
            Self::Cannot => "CANNOT",
            Self::Limit => "LIMIT",
            Self::OverQuota => "OVERQUOTA",
            Self::AlreadyExists => "ALREADYEXISTS",
            Self::NonExistent => "NONEXISTENT",
            Self::NotSaved => "NOTSAVED",
            Self::HasChildren => "HASCHILDREN",
            Self::UnknownCte => "UNKNOWN-CTE",
            _ => return None,
        })
    }
}

impl Code<'static> {
    /// The codes that take no argument, as [`simple_name`](Code::simple_name) names them.
    pub(crate) const SIMPLE: [Self; 30] = [
        Code::Alert,
        Code::Parse,
        Code::ReadOnly,
        Code::ReadWrite,
        Code::TryCreate,
        Code::UidNotSticky,
        Code::NoModSeq,
        Code::Closed,
        Code::CompressionActive,
        Code::UseAttr,
        Code::Unavailable,
        Code::AuthenticationFailed,
        Code::AuthorizationFailed,
        Code::Expired,
        Code::PrivacyRequired,
        Code::ContactAdmin,
        Code::NoPerm,
        Code::InUse,
        Code::ExpungeIssued,
        Code::Corruption,
        Code::ServerBug,
        Code::ClientBug,
        Code::Cannot,
        Code::Limit,
        Code::OverQuota,
        Code::AlreadyExists,
        Code::NonExistent,
        Code::NotSaved,
        Code::HasChildren,
        Code::UnknownCte,
    ];
}

impl Text<'static> {
    pub(crate) fn unchecked_owned(s: String) -> Self {
        Self::from_cow(std::borrow::Cow::Owned(s))
    }
}

into_static_struct!(Continuation { code, text });
into_static_struct!(Tagged { tag, kind, text });
into_static_struct!(RespText { code, text });
into_static_struct!(ListItem {
    attrs,
    delimiter,
    mailbox,
    extended
});
into_static_struct!(NamespaceDescr {
    prefix,
    delimiter,
    extensions
});
into_static_struct!(QuotaResource { name, usage, limit });

impl IntoStatic for char {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for StatusKind {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for Response<'_> {
    type Static = Response<'static>;
    fn into_static(self) -> Response<'static> {
        match self {
            Self::Continuation(c) => Response::Continuation(c.into_static()),
            Self::Data(d) => Response::Data(d.into_static()),
            Self::Tagged(t) => Response::Tagged(t.into_static()),
        }
    }
}

impl IntoStatic for ExtValue<'_> {
    type Static = ExtValue<'static>;
    fn into_static(self) -> ExtValue<'static> {
        match self {
            Self::Value(v) => ExtValue::Value(v.into_static()),
            Self::List(v) => ExtValue::List(v.into_static()),
        }
    }
}

impl IntoStatic for ESearchItem<'_> {
    type Static = ESearchItem<'static>;
    fn into_static(self) -> ESearchItem<'static> {
        match self {
            Self::Min(n) => ESearchItem::Min(n),
            Self::Max(n) => ESearchItem::Max(n),
            Self::All(s) => ESearchItem::All(s),
            Self::Count(n) => ESearchItem::Count(n),
            Self::ModSeq(n) => ESearchItem::ModSeq(n),
            Self::Other(a, v) => ESearchItem::Other(a.into_static(), v.into_static()),
        }
    }
}

impl IntoStatic for Code<'_> {
    type Static = Code<'static>;
    fn into_static(self) -> Code<'static> {
        use Code as C;
        match self {
            Self::BadCharset(v) => C::BadCharset(v.into_static()),
            Self::Capability(v) => C::Capability(v.into_static()),
            Self::PermanentFlags(v) => C::PermanentFlags(v.into_static()),
            Self::UidNext(n) => C::UidNext(n),
            Self::UidValidity(n) => C::UidValidity(n),
            Self::Unseen(n) => C::Unseen(n),
            Self::AppendUid { uid_validity, uids } => C::AppendUid { uid_validity, uids },
            Self::CopyUid {
                uid_validity,
                source,
                destination,
            } => C::CopyUid {
                uid_validity,
                source,
                destination,
            },
            Self::HighestModSeq(n) => C::HighestModSeq(n),
            Self::Modified(s) => C::Modified(s),
            Self::Other(a, t) => C::Other(a.into_static(), t.into_static()),
            simple => {
                let name = simple.simple_name();
                C::SIMPLE
                    .into_iter()
                    .find(|c| c.simple_name() == name)
                    .unwrap_or(C::Alert)
            }
        }
    }
}

impl IntoStatic for Data<'_> {
    type Static = Data<'static>;
    fn into_static(self) -> Data<'static> {
        use Data as D;
        match self {
            Self::Status { kind, text } => D::Status {
                kind,
                text: text.into_static(),
            },
            Self::Capability(v) => D::Capability(v.into_static()),
            Self::Enabled(v) => D::Enabled(v.into_static()),
            Self::Flags(v) => D::Flags(v.into_static()),
            Self::List(l) => D::List(l.into_static()),
            Self::Lsub(l) => D::Lsub(l.into_static()),
            Self::MailboxStatus { mailbox, items } => D::MailboxStatus {
                mailbox: mailbox.into_static(),
                items,
            },
            Self::Search { ids, modseq } => D::Search { ids, modseq },
            Self::ESearch { tag, uid, items } => D::ESearch {
                tag: tag.into_static(),
                uid,
                items: items.into_static(),
            },
            Self::Exists(n) => D::Exists(n),
            Self::Recent(n) => D::Recent(n),
            Self::Expunge(n) => D::Expunge(n),
            Self::Fetch { seq, items } => D::Fetch {
                seq,
                items: items.into_static(),
            },
            Self::Namespace {
                personal,
                other,
                shared,
            } => D::Namespace {
                personal: personal.into_static(),
                other: other.into_static(),
                shared: shared.into_static(),
            },
            Self::Id(v) => D::Id(v.into_static()),
            Self::Quota { root, resources } => D::Quota {
                root: root.into_static(),
                resources: resources.into_static(),
            },
            Self::QuotaRoot { mailbox, roots } => D::QuotaRoot {
                mailbox: mailbox.into_static(),
                roots: roots.into_static(),
            },
            Self::Vanished { earlier, uids } => D::Vanished { earlier, uids },
        }
    }
}
