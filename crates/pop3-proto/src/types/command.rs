//! Commands (RFC 1939, RFC 2449, RFC 2595, RFC 5034, RFC 6856).

use std::borrow::Cow;

use crate::{ApopDigest, Mechanism, MessageNumber, Secret};

/// A POP3 command (RFC 2449 §3):
///
/// ```text
/// command = keyword *(SP param) CRLF    ;255 octets maximum
/// keyword = 3*4VCHAR
/// param   = 1*VCHAR
/// ```
///
/// Keywords are case-insensitive. Parse with [`decode::command`] (borrowing
/// from the input), write with [`encode::command`].
///
/// [`decode::command`]: crate::decode::command
/// [`encode::command`]: crate::encode::command
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `USER name` (RFC 1939 §7), AUTHORIZATION state.
    User {
        /// The mailbox name, as sent after the first space.
        name: Cow<'a, str>,
    },
    /// `PASS string` (RFC 1939 §7), right after USER. The password is
    /// everything after the first space, spaces included:
    ///
    /// > Since the PASS command has exactly one argument, a POP3 server may
    /// > treat spaces in the argument as part of the password
    Pass {
        /// The password's octets.
        password: Secret<Cow<'a, [u8]>>,
    },
    /// `APOP name digest` (RFC 1939 §7), AUTHORIZATION state.
    Apop {
        /// The mailbox name.
        name: Cow<'a, str>,
        /// MD5 of the greeting's timestamp and the shared secret.
        digest: ApopDigest,
    },
    /// `AUTH mechanism [initial-response]` (RFC 5034 §4), AUTHORIZATION
    /// state. An initial response of `=` is the empty response.
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism,
        /// The initial client response, base64-decoded.
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// A bare `AUTH`: list the SASL mechanisms. It predates CAPA (RFC 1734's
    /// discovery); Outlook and old Thunderbird still send it, and Dovecot
    /// answers it with a multi-line list.
    AuthList,
    /// `STAT` (RFC 1939 §5): the drop listing.
    Stat,
    /// `LIST [msg]` (RFC 1939 §5): scan listings.
    List {
        /// One message, or all of them.
        message: Option<MessageNumber>,
    },
    /// `RETR msg` (RFC 1939 §5): a whole message.
    Retr {
        /// The message.
        message: MessageNumber,
    },
    /// `DELE msg` (RFC 1939 §5): mark a message deleted.
    Dele {
        /// The message.
        message: MessageNumber,
    },
    /// `NOOP` (RFC 1939 §5).
    Noop,
    /// `RSET` (RFC 1939 §5): unmark every deleted message.
    Rset,
    /// `QUIT` (RFC 1939 §4, §6).
    Quit,
    /// `TOP msg n` (RFC 1939 §7): the header and the first `n` lines of the
    /// body. Any `n` is valid; fetchmail sends `TOP n 99999999` to mean all.
    Top {
        /// The message.
        message: MessageNumber,
        /// How many body lines.
        lines: u64,
    },
    /// `UIDL [msg]` (RFC 1939 §7): unique-id listings.
    Uidl {
        /// One message, or all of them.
        message: Option<MessageNumber>,
    },
    /// `CAPA` (RFC 2449 §5): the capability list.
    Capa,
    /// `STLS` (RFC 2595 §4): start TLS, AUTHORIZATION state only.
    Stls,
    /// `UTF8` (RFC 6856 §2): enable UTF-8 mode, AUTHORIZATION state only.
    Utf8,
}

impl Command<'_> {
    /// The command's keyword, upper-cased.
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::User { .. } => "USER",
            Self::Pass { .. } => "PASS",
            Self::Apop { .. } => "APOP",
            Self::Auth { .. } | Self::AuthList => "AUTH",
            Self::Stat => "STAT",
            Self::List { .. } => "LIST",
            Self::Retr { .. } => "RETR",
            Self::Dele { .. } => "DELE",
            Self::Noop => "NOOP",
            Self::Rset => "RSET",
            Self::Quit => "QUIT",
            Self::Top { .. } => "TOP",
            Self::Uidl { .. } => "UIDL",
            Self::Capa => "CAPA",
            Self::Stls => "STLS",
            Self::Utf8 => "UTF8",
        }
    }

    /// The command with its borrowed parts copied, free of the input buffer.
    pub fn into_owned(self) -> Command<'static> {
        match self {
            Self::User { name } => Command::User {
                name: Cow::Owned(name.into_owned()),
            },
            Self::Pass { password } => Command::Pass {
                password: Secret::new(Cow::Owned(password.into_inner().into_owned())),
            },
            Self::Apop { name, digest } => Command::Apop {
                name: Cow::Owned(name.into_owned()),
                digest,
            },
            Self::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism,
                initial_response,
            },
            Self::AuthList => Command::AuthList,
            Self::Stat => Command::Stat,
            Self::List { message } => Command::List { message },
            Self::Retr { message } => Command::Retr { message },
            Self::Dele { message } => Command::Dele { message },
            Self::Noop => Command::Noop,
            Self::Rset => Command::Rset,
            Self::Quit => Command::Quit,
            Self::Top { message, lines } => Command::Top { message, lines },
            Self::Uidl { message } => Command::Uidl { message },
            Self::Capa => Command::Capa,
            Self::Stls => Command::Stls,
            Self::Utf8 => Command::Utf8,
        }
    }
}

/// A client's line in a SASL exchange, after a `+ ` challenge (RFC 5034 §4,
/// §5):
///
/// ```text
/// auth-command    = "AUTH" SP sasl-mech [SP initial-response]
///                   *(CRLF [base64]) [CRLF cancel-response] CRLF
/// cancel-response = "*"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaslResponse {
    /// The response, base64-decoded (an empty line is the empty response).
    Data(Secret<Vec<u8>>),
    /// `*`: the client cancels the exchange.
    Cancel,
}
