//! Commands (RFC 5321 §4.1, RFC 2033, RFC 3030, RFC 3207, RFC 4954).

use crate::{
    ForwardPath, Host, MailParameters, Mechanism, Params, RcptParameters, ReversePath, Secret, Text,
};

/// An SMTP or LMTP command (RFC 5321 §4.1.1):
///
/// ```text
/// command = verb [SP arguments] CRLF     ; verbs in any case
/// ```
///
/// Parse with [`decode::command`] (borrowing from the input), write with
/// [`encode::command`]. Borrowed text is kept as sent, so a command
/// re-encodes to the octets it came from, save for the normalizations each
/// variant names.
///
/// [`decode::command`]: crate::decode::command
/// [`encode::command`]: crate::encode::command
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `HELO domain` (RFC 5321 §4.1.1.1): a client without extensions.
    Helo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `EHLO domain` (RFC 5321 §4.1.1.1): the server answers with its
    /// extensions.
    Ehlo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `LHLO domain` (RFC 2033 §4.1): EHLO in LMTP.
    Lhlo {
        /// The client's name.
        host: Host<'a>,
    },
    /// `MAIL FROM:<reverse-path> [params]` (RFC 5321 §4.1.1.2). A source
    /// route before the mailbox is accepted and dropped (§4.1.2, appendix
    /// C).
    Mail {
        /// The sender, or `<>`.
        from: ReversePath<'a>,
        /// The ESMTP parameters (boxed, when there are any).
        params: Params<MailParameters<'a>>,
    },
    /// `RCPT TO:<forward-path> [params]` (RFC 5321 §4.1.1.3).
    Rcpt {
        /// The recipient, or `<Postmaster>`.
        to: ForwardPath<'a>,
        /// The ESMTP parameters (boxed, when there are any).
        params: Params<RcptParameters<'a>>,
    },
    /// `DATA` (RFC 5321 §4.1.1.4).
    Data,
    /// `BDAT size [LAST]` (RFC 3030 §2): `size` octets of the message follow
    /// the command line at once.
    Bdat {
        /// The chunk's exact length in octets.
        size: u64,
        /// `LAST`: the message ends with this chunk.
        last: bool,
    },
    /// `RSET` (RFC 5321 §4.1.1.5).
    Rset,
    /// `VRFY string` (RFC 5321 §4.1.1.6).
    Vrfy {
        /// What to verify: a user name or mailbox, as sent.
        argument: Text<'a>,
    },
    /// `EXPN string` (RFC 5321 §4.1.1.7).
    Expn {
        /// The mailing list, as sent.
        argument: Text<'a>,
    },
    /// `HELP [string]` (RFC 5321 §4.1.1.8).
    Help {
        /// The topic, if any.
        topic: Option<Text<'a>>,
    },
    /// `NOOP [string]` (RFC 5321 §4.1.1.9); the argument is ignored.
    Noop {
        /// The argument, if any.
        argument: Option<Text<'a>>,
    },
    /// `QUIT` (RFC 5321 §4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207 §4).
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954 §4). An initial
    /// response of `=` is the empty response.
    Auth {
        /// The SASL mechanism.
        mechanism: Mechanism,
        /// The initial client response, base64-decoded.
        initial_response: Option<Secret<Vec<u8>>>,
    },
}

impl Command<'_> {
    /// The command's verb, upper-cased.
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Helo { .. } => "HELO",
            Self::Ehlo { .. } => "EHLO",
            Self::Lhlo { .. } => "LHLO",
            Self::Mail { .. } => "MAIL",
            Self::Rcpt { .. } => "RCPT",
            Self::Data => "DATA",
            Self::Bdat { .. } => "BDAT",
            Self::Rset => "RSET",
            Self::Vrfy { .. } => "VRFY",
            Self::Expn { .. } => "EXPN",
            Self::Help { .. } => "HELP",
            Self::Noop { .. } => "NOOP",
            Self::Quit => "QUIT",
            Self::StartTls => "STARTTLS",
            Self::Auth { .. } => "AUTH",
        }
    }

    /// The command with its borrowed parts copied, free of the input buffer.
    pub fn into_owned(self) -> Command<'static> {
        match self {
            Self::Helo { host } => Command::Helo {
                host: host.into_owned(),
            },
            Self::Ehlo { host } => Command::Ehlo {
                host: host.into_owned(),
            },
            Self::Lhlo { host } => Command::Lhlo {
                host: host.into_owned(),
            },
            Self::Mail { from, params } => Command::Mail {
                from: from.into_owned(),
                params: params.into_owned(),
            },
            Self::Rcpt { to, params } => Command::Rcpt {
                to: to.into_owned(),
                params: params.into_owned(),
            },
            Self::Data => Command::Data,
            Self::Bdat { size, last } => Command::Bdat { size, last },
            Self::Rset => Command::Rset,
            Self::Vrfy { argument } => Command::Vrfy {
                argument: argument.into_owned(),
            },
            Self::Expn { argument } => Command::Expn {
                argument: argument.into_owned(),
            },
            Self::Help { topic } => Command::Help {
                topic: topic.map(Text::into_owned),
            },
            Self::Noop { argument } => Command::Noop {
                argument: argument.map(Text::into_owned),
            },
            Self::Quit => Command::Quit,
            Self::StartTls => Command::StartTls,
            Self::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism,
                initial_response,
            },
        }
    }
}

/// A client's line in an AUTH exchange, after a `334` challenge (RFC 4954
/// §4):
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
