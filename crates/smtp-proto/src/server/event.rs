//! What the server tells the application, and the ids its answers carry.

use std::fmt;

use bytes::Bytes;

use crate::{ForwardPath, Host, MailParameters, RcptParameters, Reply, ReversePath, Secret};

#[cfg(doc)]
use super::{Options, Server};

/// The session's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Greeted the client; no HELO, EHLO or LHLO yet (or not since
    /// STARTTLS).
    Connected,
    /// Between transactions.
    Ready,
    /// A MAIL command is being decided or was accepted; recipients follow.
    Transaction,
    /// A message body is arriving (DATA, or between BDAT chunks), or waits
    /// to be stored.
    Data,
    /// STARTTLS was accepted: the driver runs the TLS handshake and calls
    /// [`Server::tls_established`].
    TlsHandshake,
    /// The session is over; send what is left and close.
    Closed,
}

/// A mail transaction: from MAIL to the end of its message, RSET or the end
/// of the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TxnId(pub(super) u64);

impl fmt::Display for TxnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "txn-{}", self.0)
    }
}

/// A recipient of a transaction, unique within the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RcptId(pub(super) u64);

impl fmt::Display for RcptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rcpt-{}", self.0)
    }
}

/// Which greeting command the client used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HelloKind {
    /// `HELO` (RFC 5321 §4.1.1.1): no extensions.
    Helo,
    /// `EHLO`.
    Ehlo,
    /// `LHLO` (RFC 2033).
    Lhlo,
}

/// What the server tells the application. Events that ask a question are
/// answered by a decision method; until then the server reads no further
/// command, so replies stay in order.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The client said HELO, EHLO or LHLO; the server has answered. The name
    /// is for the `Received:` header field (RFC 5321 §4.4).
    HelloReceived {
        /// Which command.
        kind: HelloKind,
        /// The name the client gave.
        host: Host<'static>,
    },
    /// AUTH: check the credentials, then call [`Server::auth_succeeded`] or
    /// [`Server::auth_failed`] (after a delay, as Dovecot's
    /// `auth_failure_delay` does, if you like).
    AuthRequested {
        /// What the client sent.
        credentials: Credentials,
    },
    /// MAIL FROM: accept the sender with [`Server::accept_mail`] or refuse it
    /// with [`Server::reject_mail`]. Parameters of extensions the server did
    /// not announce were already refused.
    MailRequested {
        /// The transaction this opens.
        txn: TxnId,
        /// The sender, or `<>`.
        from: ReversePath<'static>,
        /// The parameters.
        params: MailParameters<'static>,
    },
    /// RCPT TO: accept the recipient with [`Server::accept_rcpt`] or refuse
    /// it with [`Server::reject_rcpt`] (a relay attempt gets
    /// [`Reply::RELAY_DENIED`], an unknown user [`Reply::USER_UNKNOWN`]).
    RcptRequested {
        /// The transaction.
        txn: TxnId,
        /// The recipient's id, for the decision and the LMTP result.
        id: RcptId,
        /// The recipient, or `<Postmaster>`.
        to: ForwardPath<'static>,
        /// The parameters.
        params: RcptParameters<'static>,
    },
    /// VRFY, with [`Options::vrfy`] set to ask: answer with
    /// [`Server::vrfy_answered`].
    VrfyRequested {
        /// What the client asks about.
        argument: String,
    },
    /// The next octets of the message, dot-unstuffed: a slice of the input,
    /// not a copy. Chunks arrive as the client sends them; the message is
    /// never held whole.
    BodyChunkReceived {
        /// The transaction.
        txn: TxnId,
        /// The octets.
        data: Bytes,
    },
    /// The message is complete. Make it durable, then call
    /// [`Server::message_stored`] (in LMTP, or
    /// [`Server::recipient_stored`] for each recipient): the client gets
    /// `250` only then (RFC 5321 §6.1).
    MessageReceived {
        /// The transaction.
        txn: TxnId,
        /// The message's size in octets.
        size: u64,
        /// The accepted recipients, in order.
        recipients: Vec<RcptId>,
    },
    /// A transaction the application saw ended without a complete message:
    /// drop what was received of it.
    TransactionAborted {
        /// The transaction.
        txn: TxnId,
        /// Why.
        reason: AbortReason,
    },
    /// STARTTLS was accepted and its `220` has been handed to
    /// `poll_transmit` (write it out first): run the TLS handshake, then
    /// call [`Server::tls_established`] and feed the decrypted bytes from
    /// then on. The handshake has [`Options::tls_handshake_timeout`]. Every plaintext byte the client sent
    /// after STARTTLS has been discarded, and the session starts over (RFC
    /// 3207 §4.2).
    TlsRequested,
    /// The server answered a command with an error on its own: unknown,
    /// out of sequence, malformed, refused by policy. For logs.
    CommandRejected {
        /// The reply sent.
        reply: Reply,
    },
    /// The client pipelined commands where RFC 2920 does not allow it, and
    /// [`Options::forbid_unauth_pipelining`] is off (Postfix logs "improper
    /// command pipelining"). Reported once per session.
    ImproperPipelining {
        /// The command that had more input behind it.
        after: &'static str,
    },
    /// The session is over; the server reads no more input.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// What a client presented to AUTH.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// PLAIN (RFC 4616 §2).
    Plain {
        /// The authorization identity, when given and not empty.
        authzid: Option<String>,
        /// The authentication identity.
        authcid: String,
        /// The password.
        password: Secret<Vec<u8>>,
    },
    /// LOGIN: the answers to `Username:` and `Password:`.
    Login {
        /// The user name.
        username: String,
        /// The password.
        password: Secret<Vec<u8>>,
    },
}

/// Who a client authenticated as ([`Server::auth_identity`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthIdentity {
    authcid: String,
    authzid: Option<String>,
}

impl AuthIdentity {
    /// The authentication identity: PLAIN's authcid, LOGIN's user name.
    pub fn authcid(&self) -> &str {
        &self.authcid
    }

    /// The authorization identity PLAIN asked for, when not empty (RFC
    /// 4616 §2): the application's `auth_succeeded` accepted it.
    pub fn authzid(&self) -> Option<&str> {
        self.authzid.as_deref()
    }
}

impl Credentials {
    /// The identities, without the password.
    pub(super) fn identity(&self) -> AuthIdentity {
        match self {
            Self::Plain {
                authzid, authcid, ..
            } => AuthIdentity {
                authcid: authcid.clone(),
                authzid: authzid.clone(),
            },
            Self::Login { username, .. } => AuthIdentity {
                authcid: username.clone(),
                authzid: None,
            },
        }
    }

    /// The name to log in as: LOGIN's user name, PLAIN's authentication
    /// identity.
    pub fn username(&self) -> &str {
        match self {
            Self::Plain { authcid, .. } => authcid,
            Self::Login { username, .. } => username,
        }
    }

    /// The password.
    pub fn password(&self) -> &Secret<Vec<u8>> {
        match self {
            Self::Plain { password, .. } | Self::Login { password, .. } => password,
        }
    }
}

/// Why a transaction ended without its message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AbortReason {
    /// RSET.
    Reset,
    /// HELO, EHLO or LHLO again.
    Hello,
    /// The message was larger than [`Options::max_message_size`]: the rest
    /// is read and discarded, then `552 5.3.4`.
    MessageTooBig,
    /// A bare CR or LF in the body: the rest is read and discarded, then
    /// `550 5.5.2`.
    BareLineEnding,
    /// A BDAT chunk came after the transaction failed, or DATA after BDAT.
    BadSequence,
    /// The session closed (QUIT, a timeout, too many errors, shutdown).
    Closed,
}

/// Why the session closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent QUIT.
    Quit,
    /// Too many errors (`421 4.7.0`, [`Options::hard_error_limit`]).
    TooManyErrors,
    /// No command within [`Options::command_timeout`] (`421 4.4.2`).
    TimedOut,
    /// Pipelining where it is not allowed (`554 5.5.0`,
    /// [`Options::forbid_unauth_pipelining`]).
    ImproperPipelining,
    /// The client sent far more input than the server reads ahead.
    InputOverflow,
    /// The application called [`Server::shutdown`] (`421 4.3.2`).
    Shutdown,
    /// The application refused the connection at the greeting with a `421`
    /// ([`Server::refuse`]).
    Refused,
    /// The TLS handshake after STARTTLS did not end within
    /// [`Options::tls_handshake_timeout`]; no reply was sent (the client
    /// expects TLS records, not plaintext).
    TlsHandshakeTimedOut,
}
