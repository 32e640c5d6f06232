//! What the client tells the application, and what it takes from it.

use std::fmt;

use crate::{
    EhloReply, EnhancedCode, ForwardPath, MailParameters, RcptParameters, Reply, ReplyCode,
    ReversePath,
};

#[cfg(doc)]
use super::{Client, Options};

/// The session's state, as the client has seen it confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Waiting for the server's greeting, or for the reply to EHLO or HELO.
    Connecting,
    /// Greeted and idle: STARTTLS, AUTH or a transaction may start.
    Ready,
    /// STARTTLS or AUTH is under way.
    Negotiating,
    /// The server said `220` to STARTTLS: the driver runs the TLS handshake
    /// and calls [`Client::tls_established`].
    TlsHandshake,
    /// A mail transaction is under way.
    Transaction,
    /// QUIT was sent.
    Quitting,
    /// The session is over.
    Closed,
}

/// A mail transaction, from [`Client::send_mail`] to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TxnId(pub(super) u64);

impl fmt::Display for TxnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "txn-{}", self.0)
    }
}

/// The sender and recipients of one message, with their parameters.
///
/// ```
/// use smtp_proto::client::Envelope;
/// use smtp_proto::{ForwardPath, Mailbox, ReversePath};
///
/// let envelope = Envelope::new(ReversePath::Mailbox(Mailbox::try_from("a@example.org")?))
///     .to(ForwardPath::Mailbox(Mailbox::try_from("b@example.net")?))
///     .to(ForwardPath::Mailbox(Mailbox::try_from("c@example.net")?));
/// assert_eq!(envelope.recipients.len(), 2);
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope<'a> {
    /// MAIL FROM's path.
    pub from: ReversePath<'a>,
    /// MAIL FROM's parameters. The client sets SMTPUTF8 itself when an
    /// address needs it.
    pub params: MailParameters<'a>,
    /// The recipients, in order; events name them by their index here.
    pub recipients: Vec<(ForwardPath<'a>, RcptParameters<'a>)>,
}

impl<'a> Envelope<'a> {
    /// An envelope from `from`, with no parameter and no recipient yet.
    pub fn new(from: ReversePath<'a>) -> Self {
        Self {
            from,
            params: MailParameters::default(),
            recipients: Vec::new(),
        }
    }

    /// Adds a recipient without parameters.
    pub fn to(mut self, to: ForwardPath<'a>) -> Self {
        self.recipients.push((to, RcptParameters::default()));
        self
    }

    /// Adds a recipient with parameters.
    pub fn to_with(mut self, to: ForwardPath<'a>, params: RcptParameters<'a>) -> Self {
        self.recipients.push((to, params));
        self
    }
}

/// What the client wants of the message body ([`Client::body_demand`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyDemand {
    /// Hand over the next chunk, or call [`Client::body_end`].
    More,
    /// Enough is waiting to be sent: send what `poll_transmit` has, then
    /// ask again.
    Full,
}

/// What the client tells the application.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The server's `220` greeting. The client says EHLO on its own.
    GreetingReceived {
        /// The greeting.
        reply: Reply,
    },
    /// The server answered EHLO (or, after EHLO failed, HELO): the session
    /// is [`State::Ready`]. Sent again after STARTTLS, with what the server
    /// offers under TLS.
    Ready {
        /// The EHLO reply; after HELO, the server's name and no keyword.
        capabilities: EhloReply,
        /// Whether EHLO worked (extensions are available).
        esmtp: bool,
    },
    /// `220` to STARTTLS: run the TLS handshake now, sending nothing else,
    /// then call [`Client::tls_established`].
    TlsRequested,
    /// The server refused STARTTLS, RSET or NOOP.
    CommandFailed {
        /// The command's verb.
        verb: &'static str,
        /// The reply.
        reply: Reply,
    },
    /// `235`: authenticated.
    Authenticated,
    /// AUTH failed.
    AuthFailed {
        /// The server's reply (`535 5.7.8`, `454 4.7.0`, ...).
        reply: Reply,
    },
    /// A recipient was accepted.
    RcptAccepted {
        /// The transaction.
        txn: TxnId,
        /// The recipient's index in the envelope.
        index: usize,
    },
    /// A recipient was refused: by the server, or, when the session closed
    /// before its answer, with [`CloseReason::reply`] (a `4xx`: try it
    /// again later). When MAIL was refused, every recipient gets MAIL's
    /// reply, whatever the server answered to its RCPT (RFC 2920 §3.1).
    RcptRejected {
        /// The transaction.
        txn: TxnId,
        /// The recipient's index in the envelope.
        index: usize,
        /// The server's reply.
        reply: Reply,
    },
    /// The server takes the body now (`354`, or the recipients are in for
    /// BDAT): chunks handed over flow out.
    DataStarted {
        /// The transaction.
        txn: TxnId,
    },
    /// The server accepted the message: it is responsible for it for every
    /// accepted recipient.
    MessageAccepted {
        /// The transaction.
        txn: TxnId,
        /// The final reply.
        reply: Reply,
    },
    /// The transaction failed: MAIL refused, every recipient refused, DATA
    /// or the message refused, or the session closed before the message was
    /// accepted (then with [`CloseReason::reply`]: the server's `421`, or a
    /// `451` of the client's, RFC 5321 §3.8). Every recipient not accepted
    /// before got its own event; none of them gets the message. Each
    /// transaction ends with this or [`Event::MessageAccepted`], unless the
    /// application abandoned it ([`Client::rset`], [`Client::quit`]).
    TransactionFailed {
        /// The transaction.
        txn: TxnId,
        /// The reply that ended it.
        reply: Reply,
    },
    /// The session is over.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// Why the client session closed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The server answered QUIT.
    Quit,
    /// The server refused the session (a `554` greeting, or HELO refused);
    /// the client said QUIT.
    Rejected(Reply),
    /// The server said `421`: it is closing the channel.
    ServiceNotAvailable(Reply),
    /// The server broke the protocol: a malformed or overlong reply, or a
    /// reply to no command. The session cannot be resynchronised.
    ProtocolError,
    /// Bytes followed the server's `220` to STARTTLS before the TLS
    /// handshake: a man in the middle may have injected them (RFC 3207 §5).
    TlsInjection,
    /// No reply within the timeout for the command (RFC 5321 §4.5.3.2), a
    /// TLS handshake that did not end, or output the driver did not take.
    TimedOut,
}

impl CloseReason {
    /// The reply a transaction cut off by this close is failed with, and
    /// each of its recipients that had no answer: the server's `421`, or a
    /// `451` the client makes up, as RFC 5321 §3.8 tells a client to treat a
    /// lost connection (Postfix defers with a status of its own too), with
    /// an enhanced code for the cause.
    pub fn reply(&self) -> Reply {
        let local = |enhanced: EnhancedCode, text: &'static str| {
            Reply::from_static(ReplyCode::LOCAL_ERROR, Some(enhanced), text)
        };
        match self {
            Self::Rejected(reply) | Self::ServiceNotAvailable(reply) => reply.clone(),
            Self::Quit => local(EnhancedCode::OTHER_NETWORK, "Session ended by the server"),
            Self::ProtocolError => local(
                EnhancedCode::OTHER_PROTOCOL,
                "Protocol error: the server's reply does not fit",
            ),
            Self::TlsInjection => local(
                EnhancedCode::SECURITY_TRANSIENT,
                "Plaintext after the STARTTLS reply: possible injection",
            ),
            Self::TimedOut => local(EnhancedCode::BAD_CONNECTION, "Timed out"),
        }
    }
}
