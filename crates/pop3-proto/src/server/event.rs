//! What the server tells the application, and the typed answers.

use crate::{ApopDigest, ApopTimestamp, Mechanism, MessageNumber, Secret};

#[cfg(doc)]
use super::{Options, Server};

/// The session's state (RFC 1939 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Before login.
    Authorization,
    /// Logged in, the maildrop listed.
    Transaction,
    /// QUIT from TRANSACTION: the marked messages are being expunged.
    Update,
    /// The session is over; send what is left and close.
    Closed,
}

/// What the server tells the application. Events that ask a question are
/// answered by a decision method; until then the server sends no later reply.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// A client presented credentials. Answer with
    /// [`Server::login_succeeded`] and the maildrop's listing, or
    /// [`Server::login_failed`].
    LoginRequested {
        /// What the client sent.
        credentials: Credentials,
    },
    /// A client began an AUTH exchange with a mechanism other than PLAIN.
    /// Answer with [`Server::sasl_challenge`], [`Server::login_succeeded`] or
    /// [`Server::login_failed`].
    SaslStarted {
        /// The mechanism, one of [`Options::sasl_mechanisms`].
        mechanism: Mechanism,
        /// The initial response, if the client sent one (`=` is empty).
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// The client answered a challenge of [`Server::sasl_challenge`]. Answer
    /// as for [`SaslStarted`](Self::SaslStarted).
    SaslResponseReceived {
        /// The response, decoded.
        response: Secret<Vec<u8>>,
    },
    /// STLS was accepted: send what `poll_transmit` holds, then start the TLS
    /// handshake and feed the decrypted bytes from then on. Every byte the
    /// client sent after STLS in plaintext has been discarded.
    TlsRequested,
    /// RETR or TOP: hand over the message's octets with
    /// [`Server::send_body`], or with [`Server::body_chunk`] and
    /// [`Server::body_end`] as [`Server::body_demand`] asks; or refuse with
    /// [`Server::body_failed`].
    BodyRequested {
        /// The message.
        message: MessageNumber,
        /// `None` for RETR; for TOP, the body lines asked for. Hand over the
        /// whole message either way: the server cuts it.
        lines: Option<u64>,
    },
    /// QUIT in the TRANSACTION state: expunge these messages (possibly none),
    /// then call [`Server::update_succeeded`] or [`Server::update_failed`].
    UpdateRequested {
        /// The messages marked by DELE, in order.
        deleted: Vec<MessageNumber>,
    },
    /// RSET: the DELE marks are gone (the server has done that). An
    /// application that marks what RETR downloaded as read when the
    /// session ends, as Dovecot does, forgets those marks too. For
    /// information: nothing to answer.
    Reset,
    /// The server answered a command with `-ERR` on its own: unknown, out of
    /// state, malformed, or naming no message. For logs.
    CommandRejected {
        /// The reply sent, without `-ERR`.
        reply: String,
    },
    /// The session is over; the server reads no more input.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// What a client presented to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// USER then PASS (RFC 1939 §7).
    User {
        /// The USER argument.
        user: String,
        /// The PASS argument, spaces included.
        password: Secret<Vec<u8>>,
    },
    /// APOP (RFC 1939 §7). The application checks that `digest` is MD5 of
    /// `timestamp.digest_input(shared_secret)`, with
    /// [`ApopDigest::matches`].
    Apop {
        /// The mailbox name.
        user: String,
        /// What the client sent.
        digest: ApopDigest,
        /// The greeting's timestamp.
        timestamp: ApopTimestamp,
    },
    /// AUTH PLAIN (RFC 4616, RFC 5034).
    Plain {
        /// The authorization identity, when given and not empty.
        authzid: Option<String>,
        /// The authentication identity.
        authcid: String,
        /// The password.
        password: Secret<Vec<u8>>,
    },
}

/// Why a login failed, as [`Server::login_failed`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginFailure {
    /// Wrong user or password: `-ERR [AUTH] Authentication failed.`
    /// (RFC 3206 §5, Dovecot's text).
    InvalidCredentials,
    /// The maildrop is locked by another session: `-ERR [IN-USE] ...`
    /// (RFC 2449 §8.1.2).
    InUse,
    /// The user logged in too recently: `-ERR [LOGIN-DELAY] ...`
    /// (RFC 2449 §8.1.1).
    LoginDelay,
    /// A temporary failure, try later: `-ERR [SYS/TEMP] ...` (RFC 3206 §4).
    TemporaryFailure,
    /// A permanent failure: `-ERR [SYS/PERM] ...` (RFC 3206 §4).
    PermanentFailure,
}

/// Why a message body cannot be sent, as [`Server::body_failed`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyFailure {
    /// The message is gone from the store: `-ERR Message n expunged.`
    /// (Dovecot's text).
    Expunged,
    /// The store failed: `-ERR [SYS/TEMP] ...`.
    TemporaryFailure,
    /// The message needs UTF-8 mode, which the client did not enable:
    /// `-ERR [UTF8] ...` (RFC 6856 §2).
    Utf8Required,
}

/// What the server wants of an open message body ([`Server::body_demand`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyDemand {
    /// Hand over the next chunk, or call [`Server::body_end`].
    More,
    /// Enough is buffered: send what `poll_transmit` has, then ask again.
    Full,
    /// TOP has all the lines it needs: call [`Server::body_end`].
    Enough,
}

/// Why the session closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent QUIT.
    Quit,
    /// Too many bad commands in a row.
    TooManyBadCommands,
    /// The autologout timer expired (RFC 1939 §3): nothing was expunged.
    TimedOut,
    /// The client sent far more pipelined input than the server reads ahead.
    InputOverflow,
    /// A message body failed after part of it was sent.
    BodyFailed,
}
