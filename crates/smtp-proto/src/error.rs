//! Errors, by who is at fault.
//!
//! - Bytes from the peer that do not parse are a [`DecodeError`]. The state
//!   machines never hand those to the caller as an `Err`: they answer the peer
//!   (`500 5.5.2`, `501 5.5.4`, ...) or close, and report it as an event.
//! - A value built by the caller that breaks the grammar (a reply text with a
//!   line break, a mailbox with a space) is a [`ValueError`].
//! - A caller that uses an API out of turn gets a [`ServerError`] or a
//!   [`ClientError`] that says what to do instead.

use std::fmt;

/// Why bytes are not a valid command or reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends before the line (or reply) does: read more and try
    /// again.
    #[error("incomplete input")]
    Incomplete,
    /// The input is invalid at byte `offset` of the line.
    #[error("{kind} at offset {offset}")]
    Invalid {
        /// Where the line stops making sense, counted from its first byte.
        offset: usize,
        /// What is wrong there.
        kind: ErrorKind,
    },
}

impl DecodeError {
    pub(crate) const fn at(offset: usize, kind: ErrorKind) -> Self {
        Self::Invalid { offset, kind }
    }

    /// What is wrong, unless the input was only incomplete.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Self::Incomplete => None,
            Self::Invalid { kind, .. } => Some(*kind),
        }
    }

    /// Where the input is wrong, unless it was only incomplete.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Self::Incomplete => None,
            Self::Invalid { offset, .. } => Some(*offset),
        }
    }

    /// The same error, `by` octets further into the line.
    pub(crate) fn shift(self, by: usize) -> Self {
        match self {
            Self::Incomplete => Self::Incomplete,
            Self::Invalid { offset, kind } => Self::Invalid {
                offset: offset + by,
                kind,
            },
        }
    }
}

/// What is wrong with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The line is longer than the limit in force (RFC 5321 §4.5.3.1.4).
    LineTooLong,
    /// The line is empty.
    EmptyLine,
    /// The verb is not an SMTP or LMTP command this crate knows.
    UnknownCommand,
    /// A required argument is missing.
    MissingArgument,
    /// The command takes no argument (or no more arguments) here.
    UnexpectedArgument,
    /// `FROM:` or `TO:` is missing after MAIL or RCPT.
    MissingFromTo,
    /// A path is not `<` mailbox `>` (RFC 5321 §4.1.2).
    InvalidPath,
    /// A local part is neither a dot-string nor a quoted string.
    InvalidLocalPart,
    /// A domain is not a sequence of letter-digit-hyphen labels.
    InvalidDomain,
    /// An address literal is not `[IPv4]`, `[IPv6:...]` or `[tag:content]`
    /// (RFC 5321 §4.1.3).
    InvalidAddressLiteral,
    /// The EHLO, HELO or LHLO argument holds a control octet or a space.
    InvalidHost,
    /// An ESMTP parameter is not `keyword[=value]` (RFC 5321 §4.1.2).
    InvalidParameter,
    /// The same ESMTP parameter appears twice.
    DuplicateParameter,
    /// A number is not a run of decimal digits.
    InvalidNumber,
    /// A number does not fit its type: never wrapped or truncated.
    NumberTooLarge,
    /// `BODY=` is not `7BIT`, `8BITMIME` or `BINARYMIME` (RFC 6152, RFC 3030).
    InvalidBody,
    /// `RET=` is not `FULL` or `HDRS` (RFC 3461 §4.3).
    InvalidRet,
    /// `NOTIFY=` is not `NEVER` or a list of `SUCCESS`, `FAILURE` and `DELAY`
    /// (RFC 3461 §4.1).
    InvalidNotify,
    /// `ORCPT=` is not `addr-type;address` (RFC 3461 §4.2, RFC 6533).
    InvalidOrcpt,
    /// A value is not xtext (RFC 3461 §4).
    InvalidXtext,
    /// `MT-PRIORITY=` is not a priority from -9 to 9 (RFC 6710).
    InvalidPriority,
    /// A SASL mechanism name is not 1 to 20 of `A-Z 0-9 - _` (RFC 4422 §3.1).
    InvalidMechanism,
    /// SASL data is not strict base64 (RFC 4954 §4).
    InvalidBase64,
    /// Text that must be UTF-8 is not.
    InvalidUtf8,
    /// A control octet or another octet where the grammar allows none.
    InvalidCharacter,
    /// A reply code is not three digits from `200` to `559` (RFC 5321 §4.2).
    InvalidReplyCode,
    /// A reply line's code is followed by neither a space, a hyphen nor the
    /// end of the line.
    InvalidReplySeparator,
    /// The lines of a multi-line reply carry different codes.
    ReplyCodeMismatch,
    /// A reply has more lines or octets than the limit in force.
    ReplyTooLong,
    /// An EHLO keyword line is malformed (RFC 5321 §4.1.1.1).
    InvalidEhloLine,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LineTooLong => "line too long",
            Self::EmptyLine => "empty line",
            Self::UnknownCommand => "unknown command",
            Self::MissingArgument => "missing argument",
            Self::UnexpectedArgument => "unexpected argument",
            Self::MissingFromTo => "missing FROM: or TO:",
            Self::InvalidPath => "invalid path",
            Self::InvalidLocalPart => "invalid local part",
            Self::InvalidDomain => "invalid domain",
            Self::InvalidAddressLiteral => "invalid address literal",
            Self::InvalidHost => "invalid host name",
            Self::InvalidParameter => "invalid parameter",
            Self::DuplicateParameter => "duplicate parameter",
            Self::InvalidNumber => "invalid number",
            Self::NumberTooLarge => "number too large",
            Self::InvalidBody => "invalid BODY value",
            Self::InvalidRet => "invalid RET value",
            Self::InvalidNotify => "invalid NOTIFY value",
            Self::InvalidOrcpt => "invalid ORCPT value",
            Self::InvalidXtext => "invalid xtext",
            Self::InvalidPriority => "invalid MT-PRIORITY value",
            Self::InvalidMechanism => "invalid SASL mechanism name",
            Self::InvalidBase64 => "invalid base64",
            Self::InvalidUtf8 => "invalid UTF-8",
            Self::InvalidCharacter => "invalid character",
            Self::InvalidReplyCode => "invalid reply code",
            Self::InvalidReplySeparator => "invalid reply separator",
            Self::ReplyCodeMismatch => "reply lines with different codes",
            Self::ReplyTooLong => "reply too long",
            Self::InvalidEhloLine => "invalid EHLO line",
        })
    }
}

/// Why a value is not valid for its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value is empty.
    #[error("empty value")]
    Empty,
    /// The value is longer than its type allows.
    #[error("too long")]
    TooLong,
    /// The value holds an octet its type does not allow (a CR or LF in reply
    /// text, a space in a mailbox).
    #[error("invalid octet {0:#04x}")]
    InvalidOctet(u8),
    /// A number is outside the type's range.
    #[error("out of range")]
    OutOfRange,
    /// The value does not follow its grammar.
    #[error("invalid syntax at offset {0}")]
    Syntax(usize),
}

/// The server's caller answered a question that was not asked, or answered it
/// twice. Each variant says which call was out of turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// `auth_succeeded`/`auth_failed` without an
    /// [`Event::AuthRequested`](crate::server::Event::AuthRequested) waiting
    /// for it.
    #[error("no authentication is waiting for a decision")]
    NoAuthPending,
    /// `accept_mail`/`reject_mail` without that transaction's
    /// [`Event::MailRequested`](crate::server::Event::MailRequested) waiting.
    #[error("no MAIL command is waiting for a decision")]
    NoMailPending,
    /// `accept_rcpt`/`reject_rcpt` without that recipient's
    /// [`Event::RcptRequested`](crate::server::Event::RcptRequested) waiting.
    #[error("no RCPT command is waiting for a decision")]
    NoRcptPending,
    /// `message_stored`/`recipient_stored` without that transaction's
    /// [`Event::MessageReceived`](crate::server::Event::MessageReceived)
    /// waiting, or for a recipient already answered or not accepted.
    #[error("no message is waiting to be stored")]
    NoMessagePending,
    /// `vrfy_answered` without an
    /// [`Event::VrfyRequested`](crate::server::Event::VrfyRequested).
    #[error("no VRFY is waiting for an answer")]
    NoVrfyPending,
    /// `tls_established` without an
    /// [`Event::TlsRequested`](crate::server::Event::TlsRequested).
    #[error("no STARTTLS handshake is expected")]
    NoTlsPending,
    /// A rejection with a positive reply, or an acceptance with a negative
    /// one: rejections take a `4xx` or `5xx` reply (a refused greeting a
    /// `421` or `554`).
    #[error("the reply's code does not fit the decision")]
    WrongReplyCode,
    /// `refuse` after the greeting went out: call it before the first
    /// `poll_transmit`.
    #[error("the greeting was already sent")]
    GreetingSent,
}

/// The client's caller issued a command the session cannot take now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The session is not ready for this: wait for
    /// [`Event::Ready`](crate::client::Event::Ready), or for the transaction
    /// or exchange in progress to end.
    #[error("command not valid in the {0:?} state")]
    WrongState(crate::client::State),
    /// The server did not announce the extension this needs: the command
    /// (`STARTTLS`, `AUTH`), or the MAIL or RCPT parameter (`SMTPUTF8` for
    /// a non-ASCII address, `BODY`, `REQUIRETLS`, an unknown parameter's
    /// keyword, ...).
    #[error("the server does not offer {0}")]
    NotOffered(std::borrow::Cow<'static, str>),
    /// STARTTLS once TLS is active.
    #[error("TLS is already active")]
    TlsActive,
    /// AUTH with a plaintext mechanism over a connection without TLS, which
    /// [`Options::allow_plaintext_auth`](crate::client::Options::allow_plaintext_auth)
    /// does not allow.
    #[error("plaintext authentication needs TLS")]
    TlsRequired,
    /// A transaction needs at least one recipient.
    #[error("no recipients")]
    NoRecipients,
    /// A body call without a transaction that takes its body now, or after
    /// `body_end`.
    #[error("no message body is being sent")]
    NoBodyPending,
    /// A credential holds a NUL octet (RFC 4616 §2) or is empty.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The session is closed, or QUIT was sent.
    #[error("the session is closed")]
    Closed,
}
