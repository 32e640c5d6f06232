//! The POP3 client state machine.
//!
//! [`Client`] does no I/O. Its methods queue commands ([`Client::retr`],
//! [`Client::dele`], ...) and return a [`CommandId`]; the server's responses
//! come back as [`Event`]s carrying that id, in order. Message bodies arrive
//! as [`Bytes`] chunks, unstuffed, never gathered whole.
//!
//! Commands are pipelined (RFC 2449 §6.6) once the server's CAPA lists
//! PIPELINING, and sent one at a time until then. STLS is never pipelined, and
//! every byte the server sends after its `+OK` to STLS is discarded, so a
//! man in the middle cannot inject responses that would be read as coming
//! over TLS.
//!
//! # The drive loop
//!
//! After every `handle_*` call or command, drain [`Client::poll_transmit`]
//! and [`Client::poll_event`]; then wait for input or
//! [`Client::poll_timeout`], and pass the time to [`Client::handle_timeout`]
//! when it comes. After input or output the deadline is due at once: that
//! call tells the client when the activity was, and the timeout runs from
//! it.
//!
//! ```no_run
//! use std::time::Instant;
//! use bytes::BytesMut;
//! use pop3_proto::client::{Client, Event, Options};
//!
//! # fn read_socket() -> Vec<u8> { Vec::new() }
//! # fn write_socket(_: &[u8]) {}
//! # fn now() -> Instant { unimplemented!() }
//! # fn store(_: &[u8]) {}
//! let mut client = Client::new(Options::default(), now());
//! let mut out = BytesMut::new();
//! loop {
//!     while client.poll_transmit(&mut out) > 0 {
//!         write_socket(&out);
//!         out.clear();
//!     }
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             Event::GreetingReceived { .. } => {
//!                 client.user("alice")?;
//!                 client.pass(b"correct horse battery staple")?;
//!             }
//!             Event::LoggedIn { .. } => {
//!                 client.retr(pop3_proto::MessageNumber::MIN)?;
//!                 client.quit()?;
//!             }
//!             Event::BodyChunkReceived { data, .. } => store(&data),
//!             _ => {}
//!         }
//!     }
//!     if client.is_closed() {
//!         break;
//!     }
//!     client.handle_input(&read_socket());
//!     client.handle_timeout(now());
//! }
//! # Ok::<(), pop3_proto::ClientError>(())
//! ```

mod commands;
mod event;
mod options;
mod responses;

pub use event::{CloseReason, CommandId, Event, State};
pub use options::{Options, Pipelining};

use std::collections::VecDeque;
use std::time::Instant;

use bytes::{Bytes, BytesMut};

use crate::framing::{DotUnstuffer, LineReader};
use crate::{ApopTimestamp, Capability, ScanListing, Secret, UidListing};

/// The response a command waits for.
#[derive(Debug)]
enum Expect {
    /// USER, DELE, RSET, NOOP, UTF8.
    Simple,
    /// PASS, APOP.
    Login,
    /// AUTH PLAIN; the response to send after an empty challenge when it did
    /// not go as an initial response.
    AuthPlain {
        response: Option<Secret<Vec<u8>>>,
    },
    Capa,
    Stat,
    List {
        all: bool,
    },
    Uidl {
        all: bool,
    },
    Body,
    Stls,
    Quit,
}

impl Expect {
    /// Whether nothing may be sent after this command before its response:
    /// STLS (RFC 2595 §4), and AUTH whose next line is a SASL response.
    fn is_barrier(&self) -> bool {
        matches!(self, Self::Stls | Self::AuthPlain { response: Some(_) })
    }

    fn is_login(&self) -> bool {
        matches!(self, Self::Login | Self::AuthPlain { .. })
    }
}

/// A command sent, or to be sent, and what its response will be.
#[derive(Debug)]
struct Command {
    id: CommandId,
    expect: Expect,
}

/// A command waiting to be sent, with its line (dropped once sent).
#[derive(Debug)]
struct Queued {
    command: Command,
    line: Bytes,
}

#[derive(Debug)]
enum Reading {
    Greeting,
    /// The first line of the front command's response.
    Status,
    /// The lines of a multi-line listing.
    Lines(Gathered),
    /// A RETR or TOP body.
    Body(DotUnstuffer),
}

/// A multi-line listing so far, with what it costs.
#[derive(Debug)]
struct Gathered {
    listing: Listing,
    /// Lines read, the malformed CAPA lines that were skipped included.
    lines: usize,
    /// The memory the entries take, as [`Options::max_listing_bytes`]
    /// counts it.
    bytes: usize,
}

impl Gathered {
    fn new(listing: Listing) -> Self {
        Self {
            listing,
            lines: 0,
            bytes: 0,
        }
    }
}

#[derive(Debug)]
enum Listing {
    Capa(Vec<Capability>),
    Scan(Vec<ScanListing>),
    Uid(Vec<UidListing>),
}

/// A POP3 client connection, sans I/O. See the [module docs](self) for the
/// drive loop.
#[derive(Debug)]
pub struct Client {
    options: Options,
    state: State,
    input: BytesMut,
    lines: LineReader,
    /// The line being read, copied out of `input`; kept for its capacity,
    /// which the longest line limit bounds.
    line_buf: Vec<u8>,
    reading: Reading,
    out: BytesMut,
    events: VecDeque<Event>,
    /// Sent, awaiting a response, oldest first.
    in_flight: VecDeque<Command>,
    /// Not sent yet: waiting for the greeting, pipelining or a barrier.
    queued: VecDeque<Queued>,
    next_id: u64,
    capabilities: Option<Vec<Capability>>,
    timestamp: Option<ApopTimestamp>,
    tls: bool,
    /// PASS, APOP or AUTH issued and not yet answered.
    logins: usize,
    quit: bool,
    /// When the timeout runs out, counted from `armed_at`.
    deadline: Instant,
    /// The latest time the client was told: when the deadline was set.
    armed_at: Instant,
    /// Input or output since the deadline was last set.
    active: bool,
}

impl Client {
    /// A client that has just connected at `now`; the first thing it expects
    /// is the greeting.
    pub fn new(options: Options, now: Instant) -> Self {
        Self {
            lines: LineReader::new(options.max_response_line),
            line_buf: Vec::new(),
            deadline: now + options.timeout,
            armed_at: now,
            tls: options.implicit_tls,
            options,
            state: State::Greeting,
            input: BytesMut::new(),
            reading: Reading::Greeting,
            out: BytesMut::new(),
            events: VecDeque::new(),
            in_flight: VecDeque::new(),
            queued: VecDeque::new(),
            next_id: 0,
            capabilities: None,
            timestamp: None,
            logins: 0,
            quit: false,
            active: false,
        }
    }

    /// Hands the client bytes that arrived from the server.
    pub fn handle_input(&mut self, data: &[u8]) {
        if self.state == State::Closed || data.is_empty() {
            return;
        }
        self.active = true;
        self.input.extend_from_slice(data);
        self.process();
    }

    /// Like [`handle_input`](Self::handle_input), taking the bytes out of
    /// `data` without copying them: the body chunks the client hands out are
    /// then slices of the caller's read buffer. `data` is left empty.
    pub fn handle_input_buf(&mut self, data: &mut BytesMut) {
        if self.state == State::Closed || data.is_empty() {
            data.clear();
            return;
        }
        self.active = true;
        let incoming = data.split();
        if self.input.is_empty() {
            self.input = incoming;
        } else {
            self.input.unsplit(incoming);
        }
        self.process();
    }

    /// Tells the client the time. After input or output, this call stamps
    /// it: the timeout runs [`Options::timeout`] from `now`. When a response
    /// is outstanding and the timeout has run out with nothing since, the
    /// session closes.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Closed {
            return;
        }
        if self.active || !self.is_waiting() {
            self.active = false;
            self.armed_at = self.armed_at.max(now);
            self.deadline = self.armed_at + self.options.timeout;
            return;
        }
        if now >= self.deadline {
            self.close(CloseReason::TimedOut);
        }
    }

    /// Appends the commands to send to `buf`; returns how many octets.
    pub fn poll_transmit(&mut self, buf: &mut BytesMut) -> usize {
        let n = self.out.len();
        buf.extend_from_slice(&self.out);
        self.out.clear();
        n
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next: only while
    /// a response is outstanding. After input or output it is an instant
    /// already past (the last one the client was told), so that the driver's
    /// next `handle_timeout` tells the client when the activity was: the
    /// session then times out exactly [`Options::timeout`] after its last
    /// activity.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Closed || !self.is_waiting() {
            return None;
        }
        Some(if self.active {
            self.armed_at
        } else {
            self.deadline
        })
    }

    /// The session's state as confirmed by the server.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Whether the client reads more input: until it is closed.
    pub fn wants_read(&self) -> bool {
        self.state != State::Closed
    }

    /// The capabilities of the last CAPA, unless STLS made them stale.
    pub fn capabilities(&self) -> Option<&[Capability]> {
        self.capabilities.as_deref()
    }

    /// The greeting's APOP timestamp, for [`apop`](Self::apop).
    pub fn apop_timestamp(&self) -> Option<&ApopTimestamp> {
        self.timestamp.as_ref()
    }

    /// Whether TLS is active (implicit, or after STLS).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether commands go out without waiting for earlier responses.
    pub fn is_pipelining(&self) -> bool {
        match self.options.pipelining {
            Pipelining::Always => true,
            Pipelining::Never => false,
            Pipelining::Auto => self
                .capabilities
                .as_ref()
                .is_some_and(|caps| caps.contains(&Capability::Pipelining)),
        }
    }

    /// Whether the client expects something from the server.
    fn is_waiting(&self) -> bool {
        self.state == State::Greeting || !self.in_flight.is_empty()
    }

    fn close(&mut self, reason: CloseReason) {
        if self.state == State::Closed {
            return;
        }
        self.state = State::Closed;
        self.input.clear();
        self.queued.clear();
        self.events.push_back(Event::Closed { reason });
    }

    /// Sends queued commands as far as pipelining and barriers allow.
    fn flush(&mut self) {
        while let Some(next) = self.queued.front() {
            if !self.may_send(&next.command.expect) {
                break;
            }
            let Some(Queued { command, line }) = self.queued.pop_front() else {
                break;
            };
            self.out.extend_from_slice(&line);
            self.in_flight.push_back(command);
        }
    }

    /// Whether a command answered by `next` may follow those in flight now:
    /// after none, or pipelined with no barrier on either side.
    fn may_send(&self, next: &Expect) -> bool {
        match self.in_flight.back() {
            None => true,
            Some(last) => self.is_pipelining() && !last.expect.is_barrier() && !next.is_barrier(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barriers() {
        assert!(Expect::Stls.is_barrier());
        assert!(
            Expect::AuthPlain {
                response: Some(Secret::new(vec![]))
            }
            .is_barrier()
        );
        assert!(!Expect::AuthPlain { response: None }.is_barrier());
        assert!(!Expect::Body.is_barrier());
        assert!(Expect::Login.is_login());
    }
}
