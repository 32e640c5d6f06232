//! Errors, by who is at fault.
//!
//! - Bytes from the peer that do not parse are a [`DecodeError`]. The state
//!   machines never hand those to the caller as an `Err`: they answer the peer
//!   (`-ERR ...`) or close, and report it as an event.
//! - A caller that uses an API out of turn gets a [`ServerError`] or a
//!   [`ClientError`] that says what to do instead.
//! - A value the encoder cannot write faithfully is an [`EncodeError`]: the
//!   encoder refuses it rather than alter it.

use std::fmt;

/// Why bytes are not a valid command, response or listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends before the line does: read more and try again.
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
}

/// What is wrong with a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The line is longer than the limit in force (RFC 2449 §4: 255 octets for
    /// a command, 512 for the first line of a response).
    LineTooLong,
    /// The line is empty.
    EmptyLine,
    /// The keyword is not a POP3 command this crate knows.
    UnknownCommand,
    /// A required argument is missing.
    MissingArgument,
    /// A message number is not a decimal number.
    InvalidMessageNumber,
    /// A message number does not fit 32 bits.
    MessageNumberTooLarge,
    /// Something follows a message number that should end the line.
    NoiseAfterMessageNumber,
    /// Message numbers start at 1 (RFC 1939 §4).
    ZeroMessageNumber,
    /// TOP's line count is not a decimal number.
    InvalidLineCount,
    /// TOP's line count does not fit 64 bits.
    LineCountTooLarge,
    /// Something follows TOP's line count.
    NoiseAfterLineCount,
    /// An octet count is not a decimal number, or does not fit 64 bits.
    InvalidSize,
    /// An APOP digest is not 32 hexadecimal digits.
    InvalidDigest,
    /// A SASL mechanism name is not 1 to 20 of `A-Z 0-9 - _` (RFC 4422 §3.1).
    InvalidMechanism,
    /// SASL data is not strict base64 (RFC 5034 §4).
    InvalidBase64,
    /// Text that must be UTF-8 is not.
    InvalidUtf8,
    /// A response does not start with `+OK`, `-ERR` or `+ `.
    InvalidStatus,
    /// A `[...]` response code is malformed (RFC 2449 §8).
    InvalidResponseCode,
    /// A unique-id is not 1 to 70 octets in 0x21..=0x7E (RFC 1939 §7).
    InvalidUniqueId,
    /// A capability line is malformed (RFC 2449 §3).
    InvalidCapability,
    /// An APOP timestamp is not `<` printable ASCII `>` (RFC 1939 §7).
    InvalidTimestamp,
    /// A control character or other octet where only printable text may go.
    InvalidCharacter,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::LineTooLong => "line too long",
            Self::EmptyLine => "empty line",
            Self::UnknownCommand => "unknown command",
            Self::MissingArgument => "missing argument",
            Self::InvalidMessageNumber => "invalid message number",
            Self::MessageNumberTooLarge => "message number too large",
            Self::NoiseAfterMessageNumber => "noise after message number",
            Self::ZeroMessageNumber => "message number 0",
            Self::InvalidLineCount => "invalid line count",
            Self::LineCountTooLarge => "line count too large",
            Self::NoiseAfterLineCount => "noise after line count",
            Self::InvalidSize => "invalid size",
            Self::InvalidDigest => "invalid APOP digest",
            Self::InvalidMechanism => "invalid SASL mechanism name",
            Self::InvalidBase64 => "invalid base64",
            Self::InvalidUtf8 => "invalid UTF-8",
            Self::InvalidStatus => "invalid status indicator",
            Self::InvalidResponseCode => "invalid response code",
            Self::InvalidUniqueId => "invalid unique-id",
            Self::InvalidCapability => "invalid capability",
            Self::InvalidTimestamp => "invalid APOP timestamp",
            Self::InvalidCharacter => "invalid character",
        })
    }
}

/// Why [`encode`](crate::encode) refused a value: written as it is, it would
/// not decode back to itself (or would not decode at all). Nothing is written
/// when the encoder refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A USER or APOP name, or a PASS password, is empty: RFC 1939 §7 gives
    /// each command its argument, and an empty one reads as none.
    #[error("empty argument")]
    EmptyArgument,
    /// An argument or a response's text holds an octet its place cannot
    /// carry: a LF anywhere (it ends the line), a NUL in a password (RFC 1939
    /// §3 keeps NUL out of commands), any control character in a name.
    /// `offset` counts from the start of the argument or text.
    #[error("octet {octet:#04x} at offset {offset} cannot be encoded")]
    InvalidOctet {
        /// Where in the argument or text.
        offset: usize,
        /// The octet.
        octet: u8,
    },
    /// A response without a response code whose text opens with a valid
    /// `[code]`: a client would read that as the code (RFC 2449 §8). Give
    /// the response its code, or text that does not open with one.
    #[error("response text opens with what reads as a response code")]
    TextReadsAsCode,
}

/// Why a value is not a valid [`UniqueId`](crate::UniqueId),
/// [`ResponseCode`](crate::ResponseCode), [`Mechanism`](crate::Mechanism) or
/// [`ApopTimestamp`](crate::ApopTimestamp).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The value is empty.
    #[error("empty value")]
    Empty,
    /// Zero, where numbering starts at 1.
    #[error("zero is not allowed")]
    Zero,
    /// The value is longer than its type allows.
    #[error("too long")]
    TooLong,
    /// The value holds an octet its type does not allow.
    #[error("invalid octet {0:#04x}")]
    InvalidOctet(u8),
    /// The value lacks its delimiters (an APOP timestamp's `<` and `>`).
    #[error("missing delimiter")]
    MissingDelimiter,
}

/// The server's caller answered a question that was not asked, or answered it
/// twice. Each variant says which call was out of turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// `login_succeeded`/`login_failed` without an
    /// [`Event::LoginRequested`](crate::server::Event::LoginRequested) or
    /// `SaslResponseReceived` waiting for it.
    #[error("no login is waiting for a decision")]
    NoLoginPending,
    /// `sasl_challenge` without an
    /// [`Event::SaslResponseReceived`](crate::server::Event::SaslResponseReceived)
    /// waiting for it.
    #[error("no SASL exchange is waiting for a challenge")]
    NoSaslPending,
    /// A body call without an
    /// [`Event::BodyRequested`](crate::server::Event::BodyRequested) open, or
    /// after `body_end`.
    #[error("no message body is being sent")]
    NoBodyPending,
    /// `update_succeeded`/`update_failed` without an
    /// [`Event::UpdateRequested`](crate::server::Event::UpdateRequested).
    #[error("no UPDATE state is waiting for the expunge")]
    NoUpdatePending,
    /// The maildrop holds more messages than POP3 message numbers can count
    /// (2^32 - 1).
    #[error("too many messages in the maildrop")]
    TooManyMessages,
}

/// The client's caller issued a command the session cannot take now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The command is not valid in the session's state (after every command
    /// already issued succeeds): wait for the login, or log in first.
    #[error("command not valid in the {0:?} state")]
    WrongState(crate::client::State),
    /// STLS must be the only command in flight: wait for earlier replies
    /// before STLS, and for STLS's reply (and TLS) before the next command.
    #[error("STLS must not be pipelined")]
    StlsPipelined,
    /// STLS once TLS is active (RFC 2595 §4).
    #[error("TLS is already active")]
    TlsActive,
    /// A SASL PLAIN identity or password holds a NUL octet (RFC 4616 §2).
    #[error("NUL in a SASL PLAIN identity or password")]
    NulInCredentials,
    /// A user name or password would break the command line: it is empty or
    /// holds CR or LF.
    #[error("empty argument, or CR or LF in an argument")]
    InvalidArgument,
    /// The session is closed.
    #[error("the session is closed")]
    Closed,
}
