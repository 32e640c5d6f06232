//! What the client tells the application.

use bytes::Bytes;

use crate::{ApopTimestamp, Capability, DropListing, ResponseCode, ScanListing, UidListing};

#[cfg(doc)]
use super::{Client, Options};

/// The session's state, as the client has seen it confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Waiting for the greeting.
    Greeting,
    /// Greeted, not logged in (RFC 1939 §4).
    Authorization,
    /// Logged in (RFC 1939 §5).
    Transaction,
    /// The session is over.
    Closed,
}

/// Which command a response answers: the order in which the client issued
/// them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommandId(pub(super) u64);

/// What the client tells the application.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// The server's greeting (RFC 1939 §4). A `-ERR` greeting is followed by
    /// [`Closed`](Self::Closed).
    GreetingReceived {
        /// Whether it was `+OK`.
        ok: bool,
        /// Its response code, if any.
        code: Option<ResponseCode>,
        /// Its text.
        text: String,
        /// The APOP timestamp, if the server offers APOP.
        timestamp: Option<ApopTimestamp>,
    },
    /// `+OK` to USER, DELE, RSET, NOOP, UTF8 or QUIT.
    OkReceived {
        /// The command.
        id: CommandId,
        /// The response code, if any.
        code: Option<ResponseCode>,
        /// The text.
        text: String,
    },
    /// `-ERR` to any command.
    ErrReceived {
        /// The command.
        id: CommandId,
        /// The response code, if any (`[IN-USE]`, `[AUTH]`, `[SYS/TEMP]`...).
        code: Option<ResponseCode>,
        /// The text.
        text: String,
    },
    /// `+OK` to PASS, APOP or AUTH: the session is in the TRANSACTION state.
    LoggedIn {
        /// The command.
        id: CommandId,
    },
    /// CAPA's list (RFC 2449 §5).
    CapabilitiesReceived {
        /// The command.
        id: CommandId,
        /// The capabilities, in the server's order.
        capabilities: Vec<Capability>,
    },
    /// STAT's drop listing.
    StatReceived {
        /// The command.
        id: CommandId,
        /// Messages and octets.
        listing: DropListing,
    },
    /// LIST's scan listings: one for `LIST msg`, all for `LIST`.
    ListReceived {
        /// The command.
        id: CommandId,
        /// The listings.
        listings: Vec<ScanListing>,
    },
    /// UIDL's unique-id listings: one for `UIDL msg`, all for `UIDL`.
    UidlReceived {
        /// The command.
        id: CommandId,
        /// The listings.
        listings: Vec<UidListing>,
    },
    /// The next octets of a RETR or TOP body, unstuffed: a slice of the
    /// input, not a copy.
    BodyChunkReceived {
        /// The command.
        id: CommandId,
        /// The octets.
        data: Bytes,
    },
    /// The RETR or TOP body is complete.
    BodyEnded {
        /// The command.
        id: CommandId,
    },
    /// `+OK` to STLS: start the TLS handshake now, before sending anything
    /// else, and feed the decrypted bytes from then on. Cached capabilities
    /// are forgotten (RFC 2595 §4): issue CAPA again.
    TlsRequested {
        /// The command.
        id: CommandId,
    },
    /// The session is over.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// Why the client session closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The server answered QUIT.
    Quit,
    /// The server greeted with `-ERR`.
    GreetingRejected,
    /// The server broke the protocol: a malformed or overlong line, or a
    /// response to no command. The session cannot be resynchronised.
    ProtocolError,
    /// The server sent `-ERR` with no command outstanding, as servers do
    /// before they drop a connection (Dovecot: `-ERR Disconnected for
    /// inactivity.`).
    ServerClosed,
    /// A LIST or UIDL listing longer than [`Options::max_listing`], a CAPA
    /// response longer than [`Options::max_capabilities`], or either over
    /// [`Options::max_listing_bytes`] of memory.
    ListingTooLong,
    /// No response within [`Options::timeout`].
    TimedOut,
}
