//! The IMAP server state machine: the four states of RFC 9051 §3 (and RFC
//! 3501 §3), literals, AUTHENTICATE, STARTTLS, COMPRESS, ENABLE, IDLE and
//! pipelining.
//!
//! [`Server`] does no I/O. It frames the commands it is handed, sends `+`
//! for a synchronizing literal only once its size passes the limits, checks
//! every command against the session's state, answers by itself what is pure
//! protocol (CAPABILITY, NOOP before login, LOGOUT, STARTTLS, ENABLE, IDLE,
//! COMPRESS, the AUTHENTICATE exchange, bad tags and bad commands), and hands
//! the rest to the application as [`Event`]s. The application answers with
//! typed calls keyed by the command's tag: untagged [`Data`](crate::types::Data)
//! with [`Server::data`], bodies streamed with [`Server::fetch_begin`] and
//! [`Server::body_chunk`], and the completion with [`Server::ok`] or
//! [`Server::complete`]. Nothing it is given can break the grammar: values
//! are encoded by the crate's encoder, texts are made safe for the line.
//!
//! APPEND streams the other way: each message is announced before its
//! octets ([`Event::AppendRequested`]) for the application to accept or
//! refuse ([`Server::accept_append`], [`Server::reject_append`]) before the
//! client uploads anything, then its octets come as [`Event::AppendChunk`]s
//! as they arrive, and the application completes the command once
//! [`Event::AppendReceived`] says it is all in. The server never holds a
//! message.
//!
//! One command is with the application at a time: the next is read only once
//! the last is complete, so responses keep the order of the commands
//! (RFC 9051 §5.5) and each command is checked against the state the ones
//! before it left. Mailbox changes go out with [`Server::update`] when
//! [`Server::updates`] allows them: never an EXPUNGE while a FETCH, STORE or
//! SEARCH is in progress, nor when none is (RFC 9051 §7.5.1), but any time
//! during IDLE; nor while the client is not reading
//! ([`ServerError::Backpressure`](crate::ServerError::Backpressure)). An
//! update refused is kept by the application until
//! [`Event::UpdatesAllowed`] says it may go.
//!
//! STARTTLS and COMPRESS switch the transport right after their `OK`. From
//! the moment the `OK` is queued until it has left and the server reports
//! [`Event::TlsRequested`] or [`Event::CompressionStarted`], nothing else
//! can be written ([`ServerError::SwitchPending`](crate::ServerError::SwitchPending),
//! [`Server::updates`] says `None`) and nothing is read
//! ([`Server::wants_read`] is false): no octet can land between the `OK`
//! and the switch. From the event on, everything written belongs to the new
//! layer.
//!
//! The replies the server writes itself follow Dovecot's wording where the
//! RFCs leave the text free.
//!
//! # The drive loop
//!
//! After every `handle_*` call or decision, drain [`Server::poll_transmit`]
//! and [`Server::poll_event`] until both are empty, answering events as they
//! come; then wait for input (while [`Server::wants_read`]) or for
//! [`Server::poll_timeout`], and pass the time to [`Server::handle_timeout`]
//! when it comes. After input or output the deadline is due at once: that
//! call tells the server when the activity was, and the autologout runs
//! exactly from it (the same contract as `pop3-proto`'s, so one driver loop
//! serves both). Once [`Server::is_closed`], send what `poll_transmit` still
//! has and close the connection.
//!
//! ```no_run
//! use std::time::Instant;
//! use bytes::BytesMut;
//! use imap_proto::server::{Completion, Credentials, Event, LoginFailure, Options, Server};
//! use imap_proto::types::{CommandBody, Data};
//!
//! # fn read_socket() -> Vec<u8> { Vec::new() }
//! # fn write_socket(_: &[u8]) {}
//! # fn start_tls() {}
//! # fn now() -> Instant { unimplemented!() }
//! # fn check_password(_: &Credentials) -> bool { true }
//! let mut server = Server::new(Options::default(), now());
//! let mut out = BytesMut::new();
//! loop {
//!     // Drain: bytes to send and events to answer, until both are empty.
//!     loop {
//!         while server.poll_transmit(&mut out) > 0 {
//!             write_socket(&out);
//!             out.clear();
//!         }
//!         let Some(event) = server.poll_event() else { break };
//!         match event {
//!             Event::LoginRequested { credentials, .. } => {
//!                 if check_password(&credentials) {
//!                     server.login_succeeded()?;
//!                 } else {
//!                     server.login_failed(LoginFailure::InvalidCredentials)?;
//!                 }
//!             }
//!             Event::TlsRequested => start_tls(),
//!             Event::CommandReceived { command } => match command.body {
//!                 CommandBody::Select { .. } => {
//!                     server.data(&command.tag, &Data::Exists(0))?;
//!                     server.ok(&command.tag)?;
//!                 }
//!                 _ => server.complete(&command.tag, Completion::bad("Not implemented."))?,
//!             },
//!             _ => {}
//!         }
//!     }
//!     if server.is_closed() {
//!         break;
//!     }
//!     // Wait for input or the deadline (a real driver waits for both; the
//!     // deadline is already due after activity).
//!     if server.poll_timeout().is_some_and(|deadline| deadline <= now()) {
//!         server.handle_timeout(now());
//!     } else if server.wants_read() {
//!         server.handle_input(&read_socket());
//!     }
//! }
//! # Ok::<(), imap_proto::ServerError>(())
//! ```

mod append;
mod auth;
mod capabilities;
mod commands;
mod event;
mod fetch;
mod idle;
mod input;
mod options;
mod output;
mod respond;
mod timers;

use std::collections::VecDeque;
use std::time::Instant;

use bytes::{Buf, Bytes, BytesMut};

use crate::decode::Framer;
use crate::types::{Atom, StatusKind, Tag};
use crate::{Mode, encode};

pub use event::{
    AppendAnnouncement, BodyDemand, CloseReason, Completion, Credentials, Enabled, Event,
    LoginFailure, SelectedMailbox, State, Updates,
};
pub use options::{LiteralExtension, Options};

use capabilities::is_plaintext;
use fetch::FetchStream;
use input::Reading;
use output::printable;

/// What the server waits for before it reads the next command.
#[derive(Debug)]
enum Pending {
    None,
    /// A command is with the application.
    Command {
        tag: Tag<'static>,
        kind: Kind,
    },
    /// LoginRequested is with the application.
    Login {
        tag: Tag<'static>,
    },
    /// An application-run SASL exchange: its next step is awaited.
    SaslStep {
        tag: Tag<'static>,
        mechanism: Atom<'static>,
    },
    /// AppendRequested is with the application.
    Append(append::Deciding),
    /// An APPEND message's octets, or the line after them, are being read:
    /// the command is in progress, and input is read.
    Appending,
}

/// What a command with the application is, for the rules that depend on it.
#[derive(Clone, Debug)]
struct Kind {
    /// The command's name as written (`UID FETCH`), for [`Server::ok`].
    name: &'static str,
    role: Role,
}

#[derive(Clone, Debug)]
enum Role {
    /// SELECT or EXAMINE: an `OK` selects the mailbox.
    Select {
        mailbox: crate::types::Mailbox<'static>,
        examine: bool,
        /// Its responses said `[NOMODSEQ]`.
        no_modseq: bool,
    },
    /// CLOSE or UNSELECT: an `OK` leaves the selected state.
    Close,
    /// FETCH, STORE or SEARCH: no EXPUNGE while it runs (RFC 9051 §7.5.1).
    NoExpunge,
    Other,
}

/// A transport switch waiting for its `OK` to leave.
#[derive(Debug)]
enum Switch {
    Tls,
    Compress(BytesMut),
}

/// When the next `* OK Still here` goes to an idling client.
#[derive(Clone, Copy, Debug)]
enum Keepalive {
    Off,
    /// IDLE just began: scheduled at the next `handle_timeout`.
    Unscheduled,
    At(Instant),
}

/// An IMAP server connection, sans I/O. See the [module docs](self) for the
/// drive loop.
#[derive(Debug)]
pub struct Server {
    options: Options,
    /// The grammar's options, with the session's mode.
    codec: crate::Options,
    state: State,
    input: BytesMut,
    framer: Framer,
    reading: Reading,
    /// Output ready to go, oldest first: text frozen out of `out`, and body
    /// chunks as the application handed them over.
    queue: VecDeque<Bytes>,
    /// Octets in `queue`.
    queued: usize,
    /// Text written since, after everything in `queue`.
    out: BytesMut,
    events: VecDeque<Event>,
    pending: Pending,
    fetch: Option<FetchStream>,
    selected: Option<SelectedMailbox>,
    enabled: Enabled,
    tls: bool,
    compressing: bool,
    switch: Option<Switch>,
    /// Where the literal being received ends in `input`, once accepted.
    literal_end: usize,
    /// Literal octets announced so far in the command being framed.
    literal_total: u64,
    bad_commands: u32,
    deadline: Instant,
    keepalive: Keepalive,
    /// The latest time the caller told.
    now: Instant,
    /// Input, or output outside IDLE, since the deadline was last set: the
    /// next `handle_timeout` stamps it.
    active: bool,
    /// Input fed past the read-ahead bound was dropped: once the commands
    /// kept are answered, the session closes.
    overflowed: bool,
    /// `update` refused an update at this level of [`Server::updates`]:
    /// [`Event::UpdatesAllowed`] is due once it rises.
    refused: Option<Updates>,
}

impl Server {
    /// A server session that has just accepted a connection at `now`; its
    /// greeting (`* OK [CAPABILITY ...] text`) is ready in
    /// [`poll_transmit`](Self::poll_transmit).
    pub fn new(options: Options, now: Instant) -> Self {
        let mut server = Self::start(options, now, State::NotAuthenticated);
        server.greet(StatusKind::Ok);
        server
    }

    /// A server session whose client is authenticated by the connection
    /// itself (a local socket, a pre-authenticated tunnel): the greeting is
    /// `* PREAUTH` and the session starts in the authenticated state
    /// (RFC 9051 §7.1.4).
    pub fn preauthenticated(options: Options, now: Instant) -> Self {
        let mut server = Self::start(options, now, State::Authenticated);
        server.greet(StatusKind::PreAuth);
        server
    }

    fn start(options: Options, now: Instant, state: State) -> Self {
        let rev2_only = options.imap4rev2 && !options.imap4rev1;
        let mut codec = options.codec;
        codec.mode = if rev2_only {
            Mode::Imap4rev2
        } else {
            Mode::Imap4rev1
        };
        codec.max_literal = options.max_append.max(options.max_literal);
        Self {
            // The server checks literal sizes itself, per command, before `+`.
            framer: Framer::new(&crate::Options {
                max_literal: u64::MAX,
                ..codec
            }),
            codec,
            state,
            input: BytesMut::new(),
            reading: Reading::Commands,
            queue: VecDeque::new(),
            queued: 0,
            out: BytesMut::new(),
            events: VecDeque::new(),
            pending: Pending::None,
            fetch: None,
            selected: None,
            enabled: Enabled::default(),
            tls: options.implicit_tls,
            compressing: false,
            switch: None,
            literal_end: 0,
            literal_total: 0,
            bad_commands: 0,
            deadline: now + options.autologout,
            keepalive: Keepalive::Off,
            now,
            active: false,
            overflowed: false,
            refused: None,
            options,
        }
    }

    /// Hands the server bytes that arrived from the client. Commands are
    /// read and answered as far as the session can go without a decision.
    ///
    /// A read made while [`wants_read`](Self::wants_read) said yes is kept
    /// whole, however large the driver's buffer: the server then holds at
    /// most [`Options::max_buffered_input`] and one read, and
    /// `wants_read` stays false until it has caught up. Input fed while
    /// `wants_read` says no is kept up to twice the bound (or twice an
    /// accepted literal); beyond it input is dropped, never allocated, and
    /// once the commands kept are answered (after the decision pending, which
    /// still succeeds) the session closes with `* BYE Too much pipelined
    /// input.` and [`CloseReason::InputOverflow`], as `pop3-proto` does.
    pub fn handle_input(&mut self, data: &[u8]) {
        if self.state == State::Logout || data.is_empty() {
            return;
        }
        // Dropped input is no activity: a driver that keeps feeding a
        // session that stopped reading does not hold it open.
        if self.overflowed {
            return;
        }
        self.active = true;
        match &mut self.switch {
            // Plaintext after STARTTLS never reaches the TLS session.
            Some(Switch::Tls) => return,
            // Compressed octets, for the driver to inflate once it switches;
            // `wants_read` is false, so only a driver that ignores it gets
            // here, and the stash stays within the read-ahead bound.
            Some(Switch::Compress(stash)) => {
                if stash.len() + data.len() > self.options.max_buffered_input {
                    // Closed without BYE: the OK goes first, and plaintext
                    // after it would break the deflate stream.
                    self.close(CloseReason::InputOverflow);
                } else {
                    stash.extend_from_slice(data);
                }
                return;
            }
            None => {}
        }
        if self.wants_read() {
            // The driver bounds one read; the server stops reading after it.
            self.input.extend_from_slice(data);
        } else {
            let cap = self
                .options
                .max_buffered_input
                .max(self.literal_end)
                .saturating_mul(2);
            let room = cap.saturating_sub(self.input.len());
            self.input.extend_from_slice(&data[..room.min(data.len())]);
            self.overflowed = data.len() > room;
        }
        self.process();
    }

    /// Like [`handle_input`](Self::handle_input), taking the bytes out of
    /// `data` without copying them when the server holds no unread input:
    /// the APPEND chunks it hands out are then slices of the caller's read
    /// buffer. `data` is left empty.
    pub fn handle_input_buf(&mut self, data: &mut BytesMut) {
        let whole = self.input.is_empty()
            && !data.is_empty()
            && !self.overflowed
            && self.switch.is_none()
            && self.wants_read();
        if whole {
            self.active = true;
            self.input = data.split();
            self.process();
        } else {
            self.handle_input(data);
            data.clear();
        }
    }

    /// Appends bytes to send to `buf`, at most [`Options::max_transmit`];
    /// returns how many. Sending them may let the server read further
    /// pipelined commands, so events can follow.
    pub fn poll_transmit(&mut self, buf: &mut BytesMut) -> usize {
        let start = buf.len();
        let budget = self.options.max_transmit.max(1);
        loop {
            let room = budget.saturating_sub(buf.len() - start);
            if room == 0 {
                break;
            }
            if let Some(front) = self.queue.front_mut() {
                let n = front.len().min(room);
                buf.extend_from_slice(&front[..n]);
                self.queued -= n;
                if n == front.len() {
                    self.queue.pop_front();
                } else {
                    front.advance(n);
                }
                continue;
            }
            if !self.out.is_empty() {
                let n = self.out.len().min(room);
                buf.extend_from_slice(&self.out[..n]);
                self.out.advance(n);
                continue;
            }
            if !self.refill() {
                break;
            }
        }
        let written = buf.len() - start;
        self.transmitted(written);
        written
    }

    /// The next piece of output, without copying: streamed bodies leave as
    /// the application's own [`Bytes`]. An alternative to
    /// [`poll_transmit`](Self::poll_transmit) for drivers that write `Bytes`
    /// (or gather them into vectored writes); the two may be mixed.
    pub fn poll_transmit_bytes(&mut self) -> Option<Bytes> {
        loop {
            if let Some(piece) = self.queue.pop_front() {
                self.queued -= piece.len();
                self.transmitted(piece.len());
                return Some(piece);
            }
            if !self.out.is_empty() {
                // Responses are short: a copy keeps `out`'s buffer for reuse.
                let piece = Bytes::copy_from_slice(&self.out);
                self.out.clear();
                self.transmitted(piece.len());
                return Some(piece);
            }
            if !self.refill() {
                return None;
            }
        }
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.check_updates();
        self.events.pop_front()
    }

    /// The session's state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session is over. Send what [`poll_transmit`] still has,
    /// then close the connection.
    ///
    /// [`poll_transmit`]: Self::poll_transmit
    pub fn is_closed(&self) -> bool {
        self.state == State::Logout
    }

    /// Whether the server takes more input now. It stops reading while it
    /// holds [`Options::max_buffered_input`] octets of unread commands, unless
    /// they are a literal it accepted, once input overflowed, and from the
    /// `OK` to STARTTLS or
    /// COMPRESS until the switch ([`Event::TlsRequested`],
    /// [`Event::CompressionStarted`]): what follows must be read through the
    /// new layer.
    pub fn wants_read(&self) -> bool {
        self.state != State::Logout
            && self.switch.is_none()
            && !self.overflowed
            && self.input.len() < self.options.max_buffered_input.max(self.literal_end)
    }

    /// The selected mailbox, in the selected state.
    pub fn mailbox(&self) -> Option<&SelectedMailbox> {
        self.selected.as_ref()
    }

    /// The extensions the client has enabled.
    pub fn enabled(&self) -> Enabled {
        self.enabled
    }

    /// The session's grammar: IMAP4rev1, or UTF8=ACCEPT or IMAP4rev2 once
    /// enabled.
    pub fn mode(&self) -> Mode {
        self.codec.mode
    }

    /// Whether TLS is active (implicit, or after STARTTLS).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether COMPRESS=DEFLATE is active.
    pub fn is_compressing(&self) -> bool {
        self.compressing
    }

    /// Octets of output not yet taken by `poll_transmit`: an application
    /// answering a large command may pace itself on it.
    pub fn backlog(&self) -> usize {
        self.queued + self.out.len()
    }

    /// With `queue` and `out` empty: fires a transport switch whose `OK` has
    /// left, or reads further commands. Returns whether anything changed.
    fn refill(&mut self) -> bool {
        if let Some(switch) = self.switch.take() {
            match switch {
                Switch::Tls => self.events.push_back(Event::TlsRequested),
                Switch::Compress(stash) => {
                    self.compressing = true;
                    self.events.push_back(Event::CompressionStarted {
                        input: stash.freeze(),
                    });
                }
            }
            // Whatever follows is read and written through the new layer.
            self.process();
            return true;
        }
        self.process()
    }

    /// Output left: the client is reading what a command produces.
    fn transmitted(&mut self, n: usize) {
        if n > 0 && !matches!(self.reading, Reading::Idle { .. }) {
            self.active = true;
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.state == State::Logout {
            return;
        }
        self.state = State::Logout;
        self.pending = Pending::None;
        self.selected = None;
        self.switch = None;
        self.keepalive = Keepalive::Off;
        self.input.clear();
        self.events.push_back(Event::Closed { reason });
    }
}
