//! The SMTP and LMTP server state machine (RFC 5321, RFC 2033) with
//! PIPELINING, STARTTLS, AUTH, CHUNKING, SIZE, 8BITMIME, SMTPUTF8 and DSN.
//!
//! [`Server`] does no I/O. It reads the commands it is handed, answers what
//! it can alone (sequencing, syntax, limits, the extensions' rules), and
//! asks the application, through [`Event`]s, for the rest: whether a login
//! is good, a sender and each recipient acceptable, and whether a message is
//! stored. It hands the message body out as it arrives, in [`Bytes`] chunks,
//! and replies `250` only once the application says the message is durable.
//! It never sends a later reply before an earlier one, so pipelined commands
//! are answered in order (RFC 2920 §3.2).
//!
//! The replies follow Postfix's wording where the RFC leaves the text free,
//! and its defaults where it leaves the limits free ([`Options`]), its
//! envelope quirks included. The application can refuse a connection at the
//! greeting ([`Server::refuse`]) and shut a session down without losing a
//! message it is storing ([`Server::shutdown`]); the `220` to STARTTLS
//! always leaves before [`Event::TlsRequested`], and the handshake has a
//! deadline.
//!
//! # The drive loop
//!
//! After every `handle_*` call or decision, drain [`Server::poll_transmit`]
//! and [`Server::poll_event`] until both are empty, answering events as they
//! come; then wait for input (while [`Server::wants_read`]) or for
//! [`Server::poll_timeout`]. Once [`Server::is_closed`], send what
//! `poll_transmit` still has and close the connection.
//!
//! ```no_run
//! use std::time::Instant;
//! use bytes::BytesMut;
//! use smtp_proto::server::{Event, Options, Server};
//! use smtp_proto::Reply;
//!
//! # fn read_socket() -> Vec<u8> { Vec::new() }
//! # fn write_socket(_: &[u8]) {}
//! # fn start_tls() {}
//! # fn now() -> Instant { unimplemented!() }
//! # fn is_local(_: &str) -> bool { true }
//! # fn spool(_: &[u8]) {}
//! # fn fsync_spool() -> std::io::Result<()> { Ok(()) }
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
//!             Event::MailRequested { txn, .. } => server.accept_mail(txn)?,
//!             Event::RcptRequested { id, to, .. } => match to.mailbox() {
//!                 Some(m) if !is_local(m.domain()) => server.reject_rcpt(id, Reply::RELAY_DENIED)?,
//!                 _ => server.accept_rcpt(id)?,
//!             },
//!             Event::BodyChunkReceived { data, .. } => spool(&data),
//!             Event::MessageReceived { txn, .. } => match fsync_spool() {
//!                 Ok(()) => server.message_stored(txn, Ok(()))?,
//!                 Err(_) => server.message_stored(txn, Err(Reply::STORE_FAILED))?,
//!             },
//!             Event::TlsRequested => {
//!                 start_tls();
//!                 server.tls_established()?;
//!             }
//!             Event::AuthRequested { .. } => server.auth_failed(Reply::AUTH_INVALID_CREDENTIALS)?,
//!             _ => {}
//!         }
//!     }
//!     if server.is_closed() {
//!         break;
//!     }
//!     // Wait for input or the deadline (a real driver waits for both).
//!     if server.wants_read() {
//!         server.handle_input(&read_socket());
//!     }
//!     server.handle_timeout(now());
//! }
//! # Ok::<(), smtp_proto::ServerError>(())
//! ```

mod auth;
mod data;
mod event;
mod lifecycle;
mod options;
mod replies;
mod session;
mod transaction;

use std::collections::VecDeque;
use std::time::Instant;

use bytes::{Buf, Bytes, BytesMut};

use crate::framing::{DotUnstuffer, LineReader};
use crate::{Body, Command, Host, Reply, decode, encode};

pub use event::{
    AbortReason, AuthIdentity, CloseReason, Credentials, Event, HelloKind, RcptId, State, TxnId,
};
pub use options::{Options, Vrfy};

/// What the server reads next.
#[derive(Debug)]
enum Phase {
    /// Command lines.
    Command,
    /// A client line in an AUTH exchange.
    Sasl(auth::Sasl),
    /// A DATA body.
    Data(DotUnstuffer),
    /// A BDAT chunk.
    Bdat(data::Bdat),
    /// STARTTLS accepted: its `220` waits in the output (held back, maybe,
    /// past the soft error limit). The driver hears of TLS only once the
    /// `220` has gone through `poll_transmit`.
    TlsPending,
    /// The `220` is out and the driver was told: it runs the handshake.
    TlsHandshake,
    Closed,
}

/// The application decision the server waits for before it reads on.
#[derive(Debug, PartialEq, Eq)]
enum Pending {
    None,
    Auth,
    Mail(TxnId),
    /// A recipient, and its path as text (for LMTP's replies).
    Rcpt(RcptId, String),
    Message(TxnId),
    Vrfy,
}

/// A transaction, from MAIL to the end of its message.
#[derive(Debug)]
struct Transaction {
    id: TxnId,
    /// The application saw MailRequested and has not seen the transaction
    /// end (MessageReceived, an abort, or its own rejection).
    announced: bool,
    body: Option<Body>,
    smtputf8: bool,
    /// RCPT commands seen, accepted or not.
    rcpt_attempts: usize,
    /// Recipients refused for the limit so far (Postfix's
    /// `rcpt_overshoot`).
    rcpt_overshoot: usize,
    /// Accepted recipients and their paths as text.
    recipients: Vec<(RcptId, String)>,
    /// Body octets so far.
    size: u64,
    /// A BDAT chunk was sent: DATA may no longer be.
    bdat: bool,
    /// The message cannot succeed any more: the rest is read and discarded.
    failed: Option<AbortReason>,
    /// LMTP: the results so far, by recipient, and the next to send.
    lmtp_results: Vec<Option<Result<(), Reply>>>,
    lmtp_sent: usize,
}

/// Replies held back past the soft error limit (Postfix's
/// `smtpd_error_sleep_time`).
#[derive(Debug)]
struct Hold {
    /// Output before this offset may go.
    from: usize,
    /// When the held output may go; `None` until the time is known.
    until: Option<Instant>,
}

/// An SMTP or LMTP server connection, sans I/O. See the [module
/// docs](self) for the drive loop.
#[derive(Debug)]
pub struct Server {
    options: Options,
    phase: Phase,
    input: BytesMut,
    lines: LineReader,
    out: BytesMut,
    events: VecDeque<Event>,
    pending: Pending,
    hello: Option<(HelloKind, Host<'static>)>,
    tls: bool,
    authenticated: bool,
    txn: Option<Transaction>,
    next_id: u64,
    errors: u32,
    junk: u32,
    pipelining_reported: bool,
    hold: Option<Hold>,
    now: Instant,
    deadline: Instant,
    /// Input or output since the deadline was set.
    active: bool,
    /// Output has been handed to the driver: the greeting is out.
    greeted: bool,
    /// The greeting was a `554` (RFC 5321 §3.1): every command but QUIT
    /// gets `503`.
    refused: bool,
    /// [`Server::shutdown`] waits for the message being stored.
    shutting_down: bool,
    /// Who AUTH authenticated, or (while the decision is pending) who
    /// asks to.
    identity: Option<AuthIdentity>,
}

impl Server {
    /// A server session that has just accepted a connection at `now`; its
    /// greeting (`220 hostname ESMTP`) is ready in
    /// [`poll_transmit`](Self::poll_transmit).
    pub fn new(options: Options, now: Instant) -> Self {
        let mut server = Self {
            lines: LineReader::new(options.max_line, options.max_auth_line),
            deadline: now + options.command_timeout,
            tls: options.implicit_tls,
            phase: Phase::Command,
            input: BytesMut::new(),
            out: BytesMut::new(),
            events: VecDeque::new(),
            pending: Pending::None,
            hello: None,
            authenticated: false,
            txn: None,
            next_id: 0,
            errors: 0,
            junk: 0,
            pipelining_reported: false,
            hold: None,
            now,
            active: false,
            greeted: false,
            refused: false,
            shutting_down: false,
            identity: None,
            options,
        };
        let greeting = format!("{} {}", server.options.hostname, server.options.greeting);
        let greeting = Reply::new(
            crate::ReplyCode::READY,
            None,
            greeting.trim_end().to_owned(),
        )
        .unwrap_or_else(|_| Reply::from_static(crate::ReplyCode::READY, None, "ESMTP"));
        encode::reply(&greeting, &mut server.out);
        server
    }

    /// Hands the server bytes that arrived from the client. Commands are
    /// read and answered as far as the session can go without a decision.
    pub fn handle_input(&mut self, data: &[u8]) {
        if !self.accepts_input() || data.is_empty() {
            return;
        }
        self.input.extend_from_slice(data);
        self.after_input();
    }

    /// Like [`handle_input`](Self::handle_input), taking the bytes out of
    /// `data` without copying them: the body chunks the server hands out are
    /// then slices of the caller's read buffer. `data` is left empty.
    pub fn handle_input_buf(&mut self, data: &mut BytesMut) {
        if !self.accepts_input() || data.is_empty() {
            data.clear();
            return;
        }
        let incoming = data.split();
        if self.input.is_empty() {
            self.input = incoming;
        } else {
            self.input.unsplit(incoming);
        }
        self.after_input();
    }

    /// Tells the server the time. It releases replies held past the soft
    /// error limit, and closes a session whose client has sent nothing for
    /// [`Options::command_timeout`] (`421 4.4.2`, RFC 5321 §4.5.3.2.7) while
    /// no decision of the application's is pending. Calling it early is
    /// harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        if self.phase_is_closed() {
            return;
        }
        if let Some(hold) = &mut self.hold {
            match hold.until {
                None => hold.until = Some(now + self.options.error_delay),
                Some(until) if now >= until => {
                    self.hold = None;
                    self.active = true;
                    self.process();
                }
                Some(_) => {}
            }
        }
        if now < self.deadline {
            return;
        }
        if matches!(self.phase, Phase::TlsHandshake) {
            // The peer expects TLS records now: no plaintext 421.
            self.close(CloseReason::TlsHandshakeTimedOut);
            return;
        }
        let waiting = self.pending != Pending::None
            || self.hold.is_some()
            || matches!(self.phase, Phase::TlsPending);
        if self.active || waiting {
            self.active = false;
            self.deadline = now + self.options.command_timeout;
            return;
        }
        let reply = replies::with_hostname(
            crate::ReplyCode::SERVICE_NOT_AVAILABLE,
            crate::EnhancedCode::BAD_CONNECTION,
            self.options.hostname.as_str(),
            "Error: timeout exceeded",
        );
        self.send_final(&reply);
        self.close(CloseReason::TimedOut);
    }

    /// Appends the bytes to send to `buf`; returns how many. Replies held
    /// past the soft error limit stay until their time.
    pub fn poll_transmit(&mut self, buf: &mut BytesMut) -> usize {
        let ready = self.hold.as_ref().map_or(self.out.len(), |h| h.from);
        if ready == 0 {
            return 0;
        }
        buf.extend_from_slice(&self.out[..ready]);
        self.out.advance(ready);
        self.greeted = true;
        if let Some(hold) = &mut self.hold {
            hold.from = 0;
        }
        self.active = true;
        if self.out.is_empty() {
            if matches!(self.phase, Phase::TlsPending) {
                // The 220 is on its way: now the handshake may start.
                self.phase = Phase::TlsHandshake;
                self.deadline = self.now + self.options.tls_handshake_timeout;
                self.events.push_back(Event::TlsRequested);
            } else {
                // Room in the output may let pipelined commands be read.
                self.process();
            }
        }
        ready
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next; `None` once
    /// closed. While replies are held and the server does not yet know the
    /// time, this is the last time it was told (call it at once).
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.phase_is_closed() {
            return None;
        }
        Some(match &self.hold {
            Some(Hold { until: None, .. }) => self.now,
            Some(Hold {
                until: Some(until), ..
            }) => (*until).min(self.deadline),
            None => self.deadline,
        })
    }

    /// The session's state.
    pub fn state(&self) -> State {
        match &self.phase {
            Phase::Closed => State::Closed,
            Phase::TlsPending | Phase::TlsHandshake => State::TlsHandshake,
            Phase::Data(_) | Phase::Bdat(_) => State::Data,
            Phase::Command | Phase::Sasl(_) => match &self.txn {
                Some(t) if t.bdat || matches!(self.pending, Pending::Message(_)) => State::Data,
                Some(_) => State::Transaction,
                None if self.hello.is_some() => State::Ready,
                None => State::Connected,
            },
        }
    }

    /// Whether the session is over. Send what [`poll_transmit`] still has,
    /// then close the connection.
    ///
    /// [`poll_transmit`]: Self::poll_transmit
    pub fn is_closed(&self) -> bool {
        self.phase_is_closed()
    }

    /// Whether the server takes more input now: not once closed, not during
    /// the TLS handshake, and not while it holds
    /// [`Options::max_buffered_input`] octets of unread commands.
    pub fn wants_read(&self) -> bool {
        self.accepts_input() && self.input.len() < self.options.max_buffered_input
    }

    /// Whether the next line the server reads is the client's answer to a
    /// `334` challenge (RFC 4954 §4), read with
    /// [`Options::max_auth_line`]: what a driver framing lines itself (the
    /// `tokio` feature's `CommandCodec::expect_auth_response`) needs to
    /// know.
    pub fn expects_auth_response(&self) -> bool {
        matches!(self.phase, Phase::Sasl(_))
    }

    /// Whether TLS is active (implicit, or after STARTTLS).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the client has authenticated.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// Who the client authenticated as, after
    /// [`auth_succeeded`](Self::auth_succeeded) (for the `Received:` field's
    /// `with ESMTPA`, the sender policy, the logs); `None` before, after a
    /// failure, and after STARTTLS.
    pub fn auth_identity(&self) -> Option<&AuthIdentity> {
        self.identity.as_ref().filter(|_| self.authenticated)
    }

    /// The client's HELO, EHLO or LHLO, for the `Received:` header field.
    pub fn hello(&self) -> Option<(HelloKind, &Host<'static>)> {
        self.hello.as_ref().map(|(kind, host)| (*kind, host))
    }

    fn phase_is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    fn accepts_input(&self) -> bool {
        !self.shutting_down
            && !matches!(
                self.phase,
                Phase::Closed | Phase::TlsPending | Phase::TlsHandshake
            )
    }

    fn after_input(&mut self) {
        self.active = true;
        self.process();
        // A body is read as it comes, whatever the size of the read; only
        // commands the server cannot get to pile up.
        if self.input.len() > self.options.max_buffered_input.saturating_mul(2) {
            self.input.clear();
            let reply = replies::with_hostname(
                crate::ReplyCode::SERVICE_NOT_AVAILABLE,
                crate::EnhancedCode::SECURITY_TRANSIENT,
                self.options.hostname.as_str(),
                "Error: too much pipelined input",
            );
            self.send_final(&reply);
            self.close(CloseReason::InputOverflow);
        }
    }

    /// Reads and answers commands until a decision is needed, replies are
    /// held or pile up, or input runs out.
    fn process(&mut self) {
        loop {
            if self.shutting_down
                || self.pending != Pending::None
                || self.hold.is_some()
                || self.out.len() >= self.options.max_output
            {
                return;
            }
            let progressed = match &self.phase {
                Phase::Command => match self.lines.read_line(&mut self.input) {
                    None => false,
                    Some(Ok(line)) => {
                        self.command(line);
                        true
                    }
                    Some(Err(_)) => {
                        self.fail(replies::LINE_TOO_LONG);
                        true
                    }
                },
                Phase::Sasl(_) => match self.lines.read_auth_line(&mut self.input) {
                    None => false,
                    Some(Ok(line)) => {
                        self.sasl_line(&line);
                        true
                    }
                    Some(Err(_)) => {
                        self.phase = Phase::Command;
                        self.fail(replies::AUTH_LINE_TOO_LONG);
                        true
                    }
                },
                Phase::Data(_) => self.data_step(),
                Phase::Bdat(_) => self.bdat_step(),
                Phase::TlsPending | Phase::TlsHandshake | Phase::Closed => false,
            };
            if !progressed {
                return;
            }
        }
    }

    /// One command line.
    fn command(&mut self, line: Bytes) {
        if self.refused {
            return self.refused_command(&line);
        }
        let parsed = if self.options.envelope_quirks {
            decode::command_line(&line)
        } else {
            decode::command_line_strict(&line)
        };
        let cmd = match parsed {
            Ok(cmd) => cmd,
            Err(e) => {
                let reply = replies::for_decode_error(decode::verb_of(&line), e.kind());
                return self.fail(reply);
            }
        };
        if self.improper_pipelining(&cmd) {
            return;
        }
        match cmd {
            Command::Helo { host } => self.greet(HelloKind::Helo, host),
            Command::Ehlo { host } => self.greet(HelloKind::Ehlo, host),
            Command::Lhlo { host } => self.greet(HelloKind::Lhlo, host),
            Command::Mail { from, params } => self.mail(from, params.into_inner()),
            Command::Rcpt { to, params } => self.rcpt(to, params.into_inner()),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => self.rset(),
            Command::Noop { .. } => self.noop(),
            Command::Quit => self.quit(),
            Command::Vrfy { argument } => self.vrfy(argument.as_str()),
            Command::Expn { .. } => self.fail(replies::NOT_IMPLEMENTED),
            Command::Help { .. } => self.send(&replies::HELP),
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(mechanism, initial_response),
        }
    }

    /// Whether `cmd` came with more input behind it where RFC 2920 does not
    /// allow that (Postfix's check): with `forbid_unauth_pipelining`, the
    /// session is closed and this returns true.
    fn improper_pipelining(&mut self, cmd: &Command<'_>) -> bool {
        if self.input.is_empty() || matches!(cmd, Command::Bdat { .. } | Command::Quit) {
            return false;
        }
        if self.pipelining_offered() && !ends_group(cmd) {
            return false;
        }
        self.pipelining_violation(cmd.verb())
    }

    /// Reports or punishes pipelining after `verb`; true if the session
    /// closed.
    fn pipelining_violation(&mut self, verb: &'static str) -> bool {
        if self.options.forbid_unauth_pipelining {
            self.send_final(&replies::PIPELINING_VIOLATION);
            self.close(CloseReason::ImproperPipelining);
            return true;
        }
        if !self.pipelining_reported {
            self.pipelining_reported = true;
            self.events
                .push_back(Event::ImproperPipelining { after: verb });
        }
        false
    }

    /// Whether the client may pipeline: it said EHLO (or LHLO) and was told
    /// PIPELINING.
    fn pipelining_offered(&self) -> bool {
        matches!(self.hello, Some((HelloKind::Ehlo | HelloKind::Lhlo, _)))
            && (self.options.pipelining || self.options.lmtp)
    }

    /// Whether the client said EHLO or LHLO (and may use extensions).
    fn esmtp(&self) -> bool {
        matches!(self.hello, Some((HelloKind::Ehlo | HelloKind::Lhlo, _)))
    }

    /// Writes a reply; past the soft error limit it is held back for
    /// [`Options::error_delay`].
    fn send(&mut self, reply: &Reply) {
        self.before_reply();
        self.write_reply(reply);
    }

    /// Writes the reply that ends the session: nothing is held back any
    /// more.
    fn send_final(&mut self, reply: &Reply) {
        self.hold = None;
        self.write_reply(reply);
    }

    fn write_reply(&mut self, reply: &Reply) {
        if self.options.enhanced_status_codes {
            encode::reply(reply, &mut self.out);
        } else {
            encode::reply_plain(reply, &mut self.out);
        }
    }

    /// Past the soft error limit, holds back the reply about to be written.
    fn before_reply(&mut self) {
        if self.hold.is_none()
            && !self.phase_is_closed()
            && self.errors >= self.options.soft_error_limit
            && !self.options.error_delay.is_zero()
        {
            self.hold = Some(Hold {
                from: self.out.len(),
                until: None,
            });
        }
    }

    /// A negative reply of the server's own: sent, reported, counted.
    fn fail(&mut self, reply: Reply) {
        self.send(&reply);
        self.events.push_back(Event::CommandRejected { reply });
        self.count_error();
    }

    /// One more error; at the hard limit, `421 4.7.0` and close.
    fn count_error(&mut self) {
        self.errors += 1;
        if self.errors >= self.options.hard_error_limit.max(1) {
            let reply = replies::with_hostname(
                crate::ReplyCode::SERVICE_NOT_AVAILABLE,
                crate::EnhancedCode::SECURITY_TRANSIENT,
                self.options.hostname.as_str(),
                "Error: too many errors",
            );
            self.send_final(&reply);
            self.close(CloseReason::TooManyErrors);
        }
    }

    /// NOOP, RSET, VRFY: past the junk limit each counts as an error.
    fn count_junk(&mut self) {
        self.junk += 1;
        if self.junk > self.options.junk_command_limit {
            self.count_error();
        }
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Ends the transaction; reports it if the application saw it.
    fn abort_transaction(&mut self, reason: AbortReason) {
        if let Some(txn) = self.txn.take()
            && txn.announced
        {
            self.events.push_back(Event::TransactionAborted {
                txn: txn.id,
                reason,
            });
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.phase_is_closed() {
            return;
        }
        self.phase = Phase::Closed;
        self.pending = Pending::None;
        self.input.clear();
        self.abort_transaction(AbortReason::Closed);
        self.events.push_back(Event::Closed { reason });
    }
}

/// Whether a command must be the last of a pipelined group (RFC 2920 §3.1:
/// EHLO, DATA, VRFY, EXPN, TURN, QUIT and NOOP; RFC 3207 §4: STARTTLS; RFC
/// 4954 §4: AUTH, unless its initial response completes a one-round-trip
/// mechanism).
fn ends_group(cmd: &Command<'_>) -> bool {
    match cmd {
        Command::Helo { .. }
        | Command::Ehlo { .. }
        | Command::Lhlo { .. }
        | Command::Data
        | Command::Vrfy { .. }
        | Command::Expn { .. }
        | Command::Noop { .. }
        | Command::Help { .. }
        | Command::Quit
        | Command::StartTls => true,
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            initial_response.is_none()
                || !(*mechanism == crate::Mechanism::PLAIN
                    || *mechanism == crate::Mechanism::EXTERNAL)
        }
        Command::Mail { .. } | Command::Rcpt { .. } | Command::Rset | Command::Bdat { .. } => false,
    }
}
