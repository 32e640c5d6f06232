//! What the client tells the application.

use bytes::Bytes;

use crate::types::{Atom, BodyItem, Code, Data, FetchItem, StatusKind, Tag};

#[cfg(doc)]
use super::{Client, Options};

/// The session's state, as the server has confirmed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Waiting for the greeting.
    Greeting,
    /// Greeted, not logged in (RFC 9051 §3.1).
    NotAuthenticated,
    /// Logged in (§3.2).
    Authenticated,
    /// A mailbox is selected (§3.3).
    Selected,
    /// The session is over (§3.4).
    Logout,
}

/// What the client tells the application.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting: `OK`, `PREAUTH` (already logged in) or `BYE`
    /// (refused; [`Closed`](Self::Closed) follows).
    GreetingReceived {
        /// `OK`, `PREAUTH` or `BYE`.
        kind: StatusKind,
        /// Its response code (often `CAPABILITY`).
        code: Option<Code<'static>>,
        /// Its text.
        text: String,
    },
    /// Untagged data: status responses, CAPABILITY, LIST, EXISTS, FETCH,
    /// SEARCH, ... Literals inside are slices of the input, not copies.
    DataReceived {
        /// The data.
        data: Data<'static>,
    },
    /// The server's capabilities changed: from the greeting, a CAPABILITY
    /// response, or a login's `OK [CAPABILITY ...]`.
    CapabilitiesChanged {
        /// The capabilities, as the server listed them.
        capabilities: Vec<Atom<'static>>,
    },
    /// A SASL challenge for an AUTHENTICATE the application runs: answer
    /// with [`Client::sasl_respond`] or [`Client::sasl_cancel`].
    ChallengeReceived {
        /// The AUTHENTICATE command's tag.
        tag: Tag<'static>,
        /// The challenge, decoded from base64.
        challenge: Vec<u8>,
    },
    /// The server accepted IDLE (`+ idling`): updates arrive as
    /// [`DataReceived`](Self::DataReceived) until [`Client::idle_done`].
    IdleStarted {
        /// The IDLE command's tag.
        tag: Tag<'static>,
    },
    /// A FETCH response whose body item is large: the items before it, and
    /// the body's size. Its octets follow as
    /// [`FetchBodyChunk`](Self::FetchBodyChunk)s, then
    /// [`FetchBodyEnded`](Self::FetchBodyEnded) or another
    /// [`FetchBodyStarted`](Self::FetchBodyStarted) for a further body of the
    /// same response.
    FetchBodyStarted {
        /// The message sequence number.
        seq: u32,
        /// The items before the body in the response.
        items: Vec<FetchItem<'static>>,
        /// Which body.
        body: BodyItem<'static>,
        /// Its size in octets.
        size: u64,
    },
    /// The next octets of a streamed body: a slice of the input, not a copy.
    FetchBodyChunk {
        /// The message sequence number.
        seq: u32,
        /// The octets.
        data: Bytes,
    },
    /// The end of a FETCH response with streamed bodies.
    FetchBodyEnded {
        /// The message sequence number.
        seq: u32,
        /// The items after the last body.
        items: Vec<FetchItem<'static>>,
    },
    /// A command's completion: `OK`, `NO` or `BAD`.
    Completed {
        /// The command's tag.
        tag: Tag<'static>,
        /// `OK`, `NO` or `BAD`.
        kind: StatusKind,
        /// The response code.
        code: Option<Code<'static>>,
        /// The text.
        text: String,
    },
    /// A command issued by the application was never sent, and never will
    /// be: it has no completion.
    CommandCancelled {
        /// The tag the command was given.
        tag: Tag<'static>,
        /// Why.
        reason: CancelReason,
    },
    /// STARTTLS succeeded: start the TLS handshake now, and call
    /// [`Client::tls_started`] once it is done; nothing is sent until then.
    /// The capabilities are forgotten (RFC 9051 §6.2.1).
    TlsRequested {
        /// The STARTTLS command's tag.
        tag: Tag<'static>,
    },
    /// COMPRESS succeeded: deflate everything sent from now on and inflate
    /// everything received (RFC 4978 §3); call [`Client::compression_started`]
    /// once the layer is in place, nothing is sent until then.
    CompressionStarted {
        /// The COMPRESS command's tag.
        tag: Tag<'static>,
        /// Octets the server sent after its `OK`, already compressed: inflate
        /// them and hand them back with `handle_input`.
        input: Bytes,
    },
    /// The session is over.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// Why a command was not sent ([`Event::CommandCancelled`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CancelReason {
    /// It was issued after a STARTTLS, which failed: what was meant for the
    /// TLS session (a password above all) never goes in the clear.
    StartTlsFailed,
    /// LOGIN, and the server advertises LOGINDISABLED (RFC 9051 §6.2.3: "A
    /// client implementation MUST NOT send a LOGIN command if the
    /// LOGINDISABLED capability is advertised"), as it still did when the
    /// LOGIN's turn came (after STARTTLS, say).
    LoginDisabled,
    /// It cannot be encoded in the grammar the session switched to after it
    /// was issued (ENABLE IMAP4rev2, say).
    Unencodable,
}

/// Why the client session closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// LOGOUT completed.
    Logout,
    /// The server greeted with `BYE`.
    GreetingRejected,
    /// The server said `BYE` (shutting down, autologout).
    ServerBye,
    /// The server broke the protocol: a response that does not decode (a
    /// NUL in a `literal` included, unless
    /// [`Quirks::nul_in_literal`](crate::Quirks::nul_in_literal)), a
    /// completion or continuation for no command. The session cannot be
    /// resynchronised.
    ProtocolError,
    /// Octets followed the `OK` to STARTTLS before the TLS handshake: a man
    /// in the middle injecting responses, which would otherwise be read as if
    /// they came over TLS.
    ResponseInjection,
    /// A literal larger than [`Options::max_literal`] that cannot be streamed.
    LiteralTooLarge,
    /// No response within [`Options::timeout`].
    TimedOut,
}
