//! The POP3 server state machine: AUTHORIZATION, TRANSACTION and UPDATE
//! (RFC 1939 §3), with STLS, SASL, PIPELINING and UTF8.
//!
//! [`Server`] does no I/O. It reads the commands it is handed, answers what it
//! can alone (CAPA, STAT, LIST, UIDL, DELE, RSET, NOOP, bad commands), and
//! asks the application, through [`Event`]s, for the rest: whether a login is
//! good and what the maildrop holds, each message body, and the expunge at
//! QUIT. It never sends a later reply before an earlier one, so pipelined
//! commands are answered in order (RFC 2449 §6.6).
//!
//! The replies follow Dovecot's wording where the RFC leaves the text free.
//!
//! # The drive loop
//!
//! After every `handle_*` call or decision, drain [`Server::poll_transmit`]
//! and [`Server::poll_event`] until both are empty, answering events as they
//! come; then wait for input (while [`Server::wants_read`]) or for
//! [`Server::poll_timeout`], and pass the time to [`Server::handle_timeout`]
//! when it comes. After input or output the deadline is due at once: that
//! call tells the server when the activity was, and the autologout runs
//! from it. Once [`Server::is_closed`], send what `poll_transmit` still has
//! and close the connection.
//!
//! ```no_run
//! use std::time::Instant;
//! use bytes::{Bytes, BytesMut};
//! use pop3_proto::UniqueId;
//! use pop3_proto::server::{Credentials, Event, LoginFailure, Maildrop, MaildropEntry, Options, Server};
//!
//! # fn read_socket() -> Vec<u8> { Vec::new() }
//! # fn write_socket(_: &[u8]) {}
//! # fn start_tls() {}
//! # fn now() -> Instant { unimplemented!() }
//! # fn check_password(_: &str, _: &[u8]) -> bool { true }
//! # fn load_message(_: u32) -> Bytes { Bytes::new() }
//! # fn expunge(_: &[pop3_proto::MessageNumber]) {}
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
//!             Event::LoginRequested { credentials: Credentials::User { user, password } } => {
//!                 if check_password(&user, password.expose()) {
//!                     let listing = Maildrop::from_iter([MaildropEntry::new(
//!                         120,
//!                         UniqueId::try_from("whqtswO00WBw418f9t5JxYwZ")?,
//!                     )]);
//!                     server.login_succeeded(listing)?;
//!                 } else {
//!                     server.login_failed(LoginFailure::InvalidCredentials)?;
//!                 }
//!             }
//!             Event::LoginRequested { .. } => server.login_failed(LoginFailure::InvalidCredentials)?,
//!             Event::TlsRequested => start_tls(),
//!             Event::BodyRequested { message, .. } => server.send_body(load_message(message.get()))?,
//!             Event::UpdateRequested { deleted } => {
//!                 expunge(&deleted);
//!                 server.update_succeeded()?;
//!             }
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod authorization;
mod event;
mod maildrop;
mod options;
mod replies;
mod transaction;
mod update;

use std::collections::VecDeque;
use std::time::Instant;

use bytes::{Buf, Bytes, BytesMut};

use crate::framing::{LineReader, LineTooLong};
use crate::{ApopTimestamp, Mechanism, decode};

pub use event::{BodyDemand, BodyFailure, CloseReason, Credentials, Event, LoginFailure, State};
pub use maildrop::{Maildrop, MaildropEntry};
pub use options::Options;

use maildrop::Session;
use transaction::Stream;

/// What the server waits for before it reads the next command.
#[derive(Debug)]
enum Pending {
    None,
    /// LoginRequested is with the application.
    Login,
    /// An application-run SASL exchange: its next step is awaited.
    SaslStep {
        mechanism: Mechanism,
    },
    /// The client's line of a SASL exchange is awaited (after `+ `).
    SaslLine {
        mechanism: Mechanism,
    },
    /// UpdateRequested is with the application.
    Update,
}

/// A POP3 server connection, sans I/O. See the [module docs](self) for the
/// drive loop.
#[derive(Debug)]
pub struct Server {
    options: Options,
    state: State,
    input: BytesMut,
    lines: LineReader,
    /// Output ready to go, oldest first: replies frozen out of `out`, and
    /// body pieces sliced from the application's chunks.
    queue: VecDeque<Bytes>,
    /// Replies written since, after everything in `queue`.
    out: BytesMut,
    stream: Option<Stream>,
    /// An empty chunk queue kept from the last body, for the next.
    spare_chunks: VecDeque<Bytes>,
    events: VecDeque<Event>,
    pending: Pending,
    /// After a successful USER: the name PASS completes.
    user: Option<String>,
    apop: Option<ApopTimestamp>,
    tls: bool,
    utf8: bool,
    session: Session,
    bad_commands: u32,
    /// The autologout in force: the option, clamped to RFC 1939 §3's least.
    autologout: std::time::Duration,
    /// When the autologout runs out, counted from `armed_at`.
    deadline: Instant,
    /// The latest time the server was told: when the deadline was set.
    armed_at: Instant,
    /// Input or output since the deadline was last set.
    active: bool,
    /// Input beyond twice [`Options::max_buffered_input`] was dropped: once
    /// the commands kept are answered, the session closes.
    overflowed: bool,
}

impl Server {
    /// A server session that has just accepted a connection at `now`; its
    /// greeting is ready in [`poll_transmit`](Self::poll_transmit).
    pub fn new(options: Options, now: Instant) -> Self {
        Self::start(options, None, now)
    }

    /// A server session that offers APOP: `timestamp` goes in the greeting
    /// (RFC 1939 §7) and must differ for every connection.
    pub fn with_apop(options: Options, timestamp: ApopTimestamp, now: Instant) -> Self {
        Self::start(options, Some(timestamp), now)
    }

    fn start(options: Options, apop: Option<ApopTimestamp>, now: Instant) -> Self {
        let autologout = options.effective_autologout();
        let mut server = Self {
            lines: LineReader::new(options.max_command_line),
            autologout,
            deadline: now + autologout,
            armed_at: now,
            tls: options.implicit_tls,
            state: State::Authorization,
            input: BytesMut::new(),
            queue: VecDeque::new(),
            out: BytesMut::new(),
            stream: None,
            spare_chunks: VecDeque::new(),
            events: VecDeque::new(),
            pending: Pending::None,
            user: None,
            apop,
            utf8: false,
            session: Session::default(),
            bad_commands: 0,
            active: false,
            overflowed: false,
            options,
        };
        let mut greeting = server.options.greeting.clone();
        if let Some(ts) = &server.apop {
            greeting.push(' ');
            greeting.push_str(ts.as_str());
        }
        server.ok(&greeting);
        server
    }

    /// Hands the server bytes that arrived from the client. Commands are
    /// read and answered as far as the session can go without a decision.
    ///
    /// Input is buffered up to twice [`Options::max_buffered_input`] while
    /// the server cannot read it (a decision pending, a response streaming,
    /// output piling up); [`wants_read`](Self::wants_read) turns false at
    /// once that much. Input beyond twice the bound is dropped, never
    /// allocated: the session then answers the commands it kept, after the
    /// pending decision, and closes with `-ERR Too much pipelined input.` and
    /// [`CloseReason::InputOverflow`]. A flood never tears down a pending
    /// exchange, so the decision call that answers it succeeds. After QUIT
    /// nothing more is read: input is discarded.
    pub fn handle_input(&mut self, mut data: &[u8]) {
        if self.state == State::Closed || data.is_empty() {
            return;
        }
        // Dropped input is no activity: a driver that keeps feeding a
        // session that stopped reading does not hold it open.
        if self.state == State::Update || self.overflowed {
            return;
        }
        self.active = true;
        let cap = self.options.max_buffered_input.saturating_mul(2).max(1);
        let tls = self.tls;
        while !data.is_empty() {
            let room = cap.saturating_sub(self.input.len());
            if room == 0 {
                self.overflowed = true;
                break;
            }
            let (now, later) = data.split_at(room.min(data.len()));
            self.input.extend_from_slice(now);
            data = later;
            self.process();
            // After QUIT nothing is read; after STLS the rest of `data` is
            // plaintext sent before the handshake (RFC 2595 §4), dropped.
            if matches!(self.state, State::Closed | State::Update) || self.tls != tls {
                break;
            }
        }
    }

    /// Tells the server the time. After input or output, this call stamps
    /// it: the autologout timer runs [`Options::autologout`] from `now`.
    /// When the timer has run out with nothing since, and no decision of the
    /// application's pending, the session closes without entering UPDATE
    /// (RFC 1939 §3). Calling it early is harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Closed {
            return;
        }
        // The timer is for an idle client, not a slow application: while a
        // decision is pending (a login, an expunge) the session waits.
        let deciding = matches!(
            self.pending,
            Pending::Login | Pending::SaslStep { .. } | Pending::Update
        ) || matches!(
            self.body_demand(),
            Some(BodyDemand::More | BodyDemand::Enough)
        );
        if self.active || deciding {
            self.active = false;
            self.armed_at = self.armed_at.max(now);
            self.deadline = self.armed_at + self.autologout;
            return;
        }
        if now < self.deadline {
            return;
        }
        // Dovecot tells an idle client why, unless it is in the middle of a
        // response the client is not reading.
        let mid_response = self.stream.is_some();
        self.queue.clear();
        self.out.clear();
        self.stream = None;
        if !mid_response {
            self.err("Disconnected for inactivity.");
        }
        self.close(CloseReason::TimedOut);
    }

    /// Appends bytes to send to `buf`, at most
    /// [`Options::max_transmit`]; returns how many. Sending them may let the
    /// server read further pipelined commands, so events can follow.
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
            if !self.refill(room) {
                break;
            }
        }
        let written = buf.len() - start;
        if written > 0 {
            self.active = true;
        }
        written
    }

    /// The next piece of output, without copying: message bodies leave as
    /// slices of the application's [`Bytes`], with the stuffed dots as
    /// separate pieces. An alternative to
    /// [`poll_transmit`](Self::poll_transmit) for drivers that write
    /// [`Bytes`] (or gather them into vectored writes); the two may be mixed.
    pub fn poll_transmit_bytes(&mut self) -> Option<Bytes> {
        loop {
            if let Some(piece) = self.queue.pop_front() {
                self.active = true;
                return Some(piece);
            }
            if !self.out.is_empty() {
                self.active = true;
                // Replies are short: a copy keeps `out`'s buffer for reuse,
                // where splitting it off would cost a new one each time.
                let piece = Bytes::copy_from_slice(&self.out);
                self.out.clear();
                return Some(piece);
            }
            if !self.refill(self.options.max_transmit.max(1)) {
                return None;
            }
        }
    }

    /// With `queue` and `out` empty: generates up to `room` octets of the
    /// open multi-line response, or reads further commands. Returns whether
    /// anything changed.
    fn refill(&mut self, room: usize) -> bool {
        if self.stream.is_some() {
            self.generate(room)
        } else {
            self.process()
        }
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next; `None` once
    /// closed. After input or output it is an instant already past (the last
    /// one the server was told), so that the driver's next `handle_timeout`
    /// tells the server when the activity was: the session is then logged
    /// out exactly [`Options::autologout`] after its last activity.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Closed {
            return None;
        }
        Some(if self.active {
            self.armed_at
        } else {
            self.deadline
        })
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
        self.state == State::Closed
    }

    /// Whether the server takes more input now. It stops reading while it
    /// holds [`Options::max_buffered_input`] octets of unread commands, after
    /// QUIT, and once input overflowed.
    pub fn wants_read(&self) -> bool {
        !matches!(self.state, State::Closed | State::Update)
            && !self.overflowed
            && self.input.len() < self.options.max_buffered_input
    }

    /// Whether TLS is active (implicit, or after STLS).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the client enabled UTF-8 mode (RFC 6856): UTF-8 may be sent
    /// in headers.
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// Reads and answers commands until a decision is needed, a response is
    /// streaming, output is full or input is exhausted. Returns whether it
    /// produced anything.
    fn process(&mut self) -> bool {
        let before = (
            self.queue.len(),
            self.out.len(),
            self.events.len(),
            self.stream.is_some(),
        );
        loop {
            if self.state == State::Closed
                || !matches!(self.pending, Pending::None | Pending::SaslLine { .. })
                || self.stream.is_some()
                || self.out.len() >= self.options.max_transmit
            {
                break;
            }
            let Some(line) = self.lines.read_line(&mut self.input) else {
                if self.overflowed {
                    // Every whole command before the dropped input is
                    // answered; what follows it cannot be trusted.
                    self.input.clear();
                    self.err("Too much pipelined input.");
                    self.close(CloseReason::InputOverflow);
                }
                break;
            };
            match line {
                Ok(line) => self.line(line),
                Err(LineTooLong { .. }) => {
                    if matches!(self.pending, Pending::SaslLine { .. }) {
                        self.pending = Pending::None;
                        self.lines.set_limit(self.options.max_command_line);
                        self.reject("Authentication failed: response too long.");
                    } else {
                        self.bad("Input line too long.");
                    }
                }
            }
        }
        before
            != (
                self.queue.len(),
                self.out.len(),
                self.events.len(),
                self.stream.is_some(),
            )
    }

    /// One whole line from the client.
    fn line(&mut self, line: Bytes) {
        if let Pending::SaslLine { mechanism } = &self.pending {
            let mechanism = mechanism.clone();
            self.pending = Pending::None;
            self.lines.set_limit(self.options.max_command_line);
            self.sasl_line(mechanism, &line);
            return;
        }
        match decode::command_line_with(&line, self.options.quirks) {
            Ok(cmd) => match self.state {
                State::Authorization => self.authorization(cmd),
                State::Transaction => self.transaction(cmd),
                State::Update | State::Closed => {}
            },
            Err(e) => {
                // A command out of its state is unknown there, whatever its
                // arguments.
                let keyword = &line[..memchr::memchr(b' ', &line).unwrap_or(line.len())];
                if self.knows(keyword) {
                    self.invalid(&line, e);
                } else {
                    self.unknown(keyword);
                }
            }
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.state == State::Closed {
            return;
        }
        self.state = State::Closed;
        self.pending = Pending::None;
        self.input.clear();
        self.events.push_back(Event::Closed { reason });
    }
}
