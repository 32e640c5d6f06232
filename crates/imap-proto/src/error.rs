//! Errors of the codec: decoding is `Incomplete` apart from `Invalid`, and
//! every invalid input carries the byte offset where parsing failed.

use std::num::NonZeroUsize;

/// Why bytes could not be decoded (yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends before the command or response does: read more and try
    /// again. `needed` is how many more octets are known to be required (the
    /// rest of a literal), `None` when it cannot be known (a line not yet
    /// ended).
    #[error("incomplete input ({} more octets needed)", needed.map_or(0, NonZeroUsize::get))]
    Incomplete {
        /// Octets known to be missing, at least.
        needed: Option<NonZeroUsize>,
    },
    /// The input is not valid: `offset` is the position, counted from the
    /// start of the input, of the first octet that does not fit the grammar.
    #[error("invalid input at offset {offset}: {kind}")]
    Invalid {
        /// Where parsing failed, from the start of the input.
        offset: usize,
        /// What was wrong there.
        kind: ErrorKind,
    },
}

impl DecodeError {
    /// The offset of an invalid input, `None` for `Incomplete`.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Self::Incomplete { .. } => None,
            Self::Invalid { offset, .. } => Some(*offset),
        }
    }

    /// Whether more input may make the decoding succeed.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, Self::Incomplete { .. })
    }
}

/// What was wrong at the offset of a [`DecodeError::Invalid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The grammar wanted something else here; the text names it (`"SP"`,
    /// `"nz-number"`, `"fetch-att"`).
    #[error("expected {0}")]
    Expected(&'static str),
    /// The command name is not one this crate knows.
    #[error("unknown command")]
    UnknownCommand,
    /// The response is not one this crate knows.
    #[error("unknown response")]
    UnknownResponse,
    /// A number does not fit its type, or is zero where `nz-number` is required.
    #[error("number out of range")]
    Number,
    /// Structures are nested deeper than [`Options::max_depth`](crate::Options::max_depth).
    #[error("nested too deeply")]
    TooDeep,
    /// A line (without its literals) is longer than [`Options::max_line`](crate::Options::max_line).
    #[error("line too long")]
    LineTooLong,
    /// A literal announces more octets than [`Options::max_literal`](crate::Options::max_literal).
    #[error("literal too large")]
    LiteralTooLarge,
    /// 8-bit text that is not UTF-8, or 8-bit text in an IMAP4rev1 session.
    #[error("invalid 8-bit text")]
    EightBit,
    /// A NUL octet, which IMAP never allows outside `literal8` (RFC 3516).
    #[error("NUL octet")]
    Nul,
    /// A line ended with a bare LF where CRLF is required.
    #[error("bare LF")]
    BareLf,
    /// A SASL response is not valid base64.
    #[error("invalid base64")]
    Base64,
    /// The item is not allowed in the session's [`Mode`](crate::Mode) (a
    /// `RECENT` or `SEARCH` response in IMAP4rev2).
    #[error("not allowed in this mode")]
    Mode,
}

/// Why a value could not be encoded in the session's mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// IMAP4rev2 removed this command, response or item (RFC 9051 appendix
    /// E), and its grammar has no obsolete form of it: `LSUB`, `CHECK`,
    /// `STATUS RECENT`, the `NEW`, `OLD` and `RECENT` search keys, the
    /// `UNSEEN` response code. (`RECENT`, `SEARCH` and `\Recent` remain as
    /// RFC 9051 §9's `obsolete-*` productions.)
    #[error("{0} does not exist in IMAP4rev2")]
    NotInRev2(&'static str),
    /// A mailbox name holds 8-bit UTF-8, which needs UTF8=ACCEPT or IMAP4rev2
    /// (RFC 6855 §3); build it with [`Mailbox::from_name`](crate::types::Mailbox::from_name).
    #[error("8-bit mailbox name without UTF8=ACCEPT")]
    Utf8Name,
    /// A list that the grammar requires to be non-empty is empty (`ENABLE`,
    /// `STATUS` attributes, a search program, `APPEND` messages).
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A value the grammar cannot carry (a base64 response to an
    /// AUTHENTICATE that is empty on a line of its own, a body nested deeper
    /// than the options allow).
    #[error("cannot encode {0}")]
    Invalid(&'static str),
}

/// Why a value cannot be built from the given parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value is empty where the grammar needs at least one octet.
    #[error("empty")]
    Empty,
    /// The octet is not allowed in this kind of value.
    #[error("octet {0:#04x} not allowed")]
    Octet(u8),
    /// The value is not valid UTF-8 where text is required.
    #[error("not UTF-8")]
    NotUtf8,
    /// A number or date is out of range.
    #[error("out of range")]
    Range,
    /// A mailbox name is not valid modified UTF-7 (RFC 3501 §5.1.3).
    #[error("invalid modified UTF-7 at octet {0}")]
    ModifiedUtf7(usize),
}

/// The server's caller used an API out of turn, or with a value the session
/// cannot send now. Nothing was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// No command is with the application: answer only what
    /// [`Event::CommandReceived`](crate::server::Event::CommandReceived)
    /// handed over, once.
    #[error("no command is waiting for an answer")]
    NoCommandPending,
    /// A command is with the application, but its tag is another.
    #[error("the command with this tag is not the one waiting for an answer")]
    UnknownTag,
    /// `login_succeeded`/`login_failed` without a login waiting for a
    /// decision.
    #[error("no login is waiting for a decision")]
    NoLoginPending,
    /// `sasl_challenge` without a SASL exchange waiting for its next step.
    #[error("no SASL exchange is waiting for a challenge")]
    NoSaslPending,
    /// `accept_append`/`reject_append` without an APPEND message waiting
    /// for a decision.
    #[error("no APPEND message is waiting for a decision")]
    NoAppendPending,
    /// A FETCH response is open: end it with `fetch_end` first.
    #[error("a FETCH response is open")]
    ResponseOpen,
    /// A FETCH call without `fetch_begin`.
    #[error("no FETCH response is open")]
    NoFetchOpen,
    /// A FETCH item or the end while a body's octets are still due.
    #[error("the body being streamed is not complete")]
    BodyIncomplete,
    /// `body_chunk` or `body_failed` without a body being streamed.
    #[error("no body is being streamed")]
    NoBodyPending,
    /// The output not yet taken by the client is over its bound: a body
    /// chunk while [`BodyDemand::Full`](crate::server::BodyDemand::Full), an
    /// update while the backlog is at
    /// [`Options::max_transmit`](crate::server::Options::max_transmit).
    /// Nothing was queued: hand it over once the client has read (for an
    /// update, [`Event::UpdatesAllowed`](crate::server::Event::UpdatesAllowed)
    /// says when).
    #[error("the client is not reading: output is at its bound")]
    Backpressure,
    /// More body octets than `fetch_body` announced.
    #[error("more body octets than announced")]
    BodyOverrun,
    /// `fetch_end` on a FETCH response without any item, which the grammar
    /// does not allow; nothing was sent.
    #[error("a FETCH response needs at least one item")]
    EmptyFetch,
    /// An EXPUNGE or VANISHED now would break RFC 9051 §7.5.1: no command is
    /// in progress, or a FETCH, STORE or SEARCH is. Keep it for later.
    #[error("EXPUNGE is not allowed now")]
    ExpungeNotAllowed,
    /// An EXPUNGE after the client enabled QRESYNC: RFC 7162 §3.2.10 wants
    /// `VANISHED` with the message's UID instead, unless the mailbox was
    /// selected with `[NOMODSEQ]`.
    #[error("QRESYNC is enabled: send VANISHED instead of EXPUNGE")]
    VanishedRequired,
    /// A VANISHED response without QRESYNC enabled (RFC 7162 §3.2.10): send
    /// EXPUNGE.
    #[error("QRESYNC is not enabled: VANISHED cannot be sent")]
    QresyncNotEnabled,
    /// STARTTLS or COMPRESS was accepted and its `OK` is on its way: nothing
    /// more may be written in the old layer. Keep it until
    /// [`Event::TlsRequested`](crate::server::Event::TlsRequested) or
    /// [`Event::CompressionStarted`](crate::server::Event::CompressionStarted);
    /// from then on output goes through the new layer.
    #[error("a STARTTLS or COMPRESS switch is pending")]
    SwitchPending,
    /// Mailbox data without a selected mailbox.
    #[error("no mailbox is selected")]
    NotSelected,
    /// A tagged completion must be OK, NO or BAD; untagged PREAUTH only
    /// greets and BYE goes through `bye`.
    #[error("status not allowed here")]
    InvalidStatus,
    /// The value cannot be encoded in the session's mode.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The session is over.
    #[error("the session is closed")]
    Closed,
}

/// The client's caller issued a command the session cannot take now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The command is not valid in the session's state, once every command
    /// already issued succeeds: log in, or select a mailbox, first.
    #[error("command not valid in the {0:?} state")]
    WrongState(crate::client::State),
    /// LOGIN while the server advertises LOGINDISABLED (RFC 9051 §6.2.3),
    /// with no STARTTLS on the way that could lift it: use STARTTLS first,
    /// or AUTHENTICATE.
    #[error("the server advertises LOGINDISABLED")]
    LoginDisabled,
    /// STARTTLS with TLS active or already asked for.
    #[error("TLS is already active")]
    TlsActive,
    /// COMPRESS with compression active or already asked for.
    #[error("compression is already active")]
    CompressionActive,
    /// IDLE while an IDLE runs.
    #[error("IDLE is already running")]
    Idling,
    /// `idle_done` without an IDLE.
    #[error("no IDLE is running")]
    NotIdling,
    /// `sasl_respond` or `sasl_cancel` without a challenge to answer.
    #[error("no SASL challenge is waiting for a response")]
    NoChallenge,
    /// An argument the command cannot carry: an empty SASL identity or
    /// password, NUL in one, a mechanism or capability that is not an atom.
    #[error("invalid argument")]
    InvalidArgument,
    /// The command cannot be encoded in the session's mode.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The session is closed, or LOGOUT was issued.
    #[error("the session is closed")]
    Closed,
}
