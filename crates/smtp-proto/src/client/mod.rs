//! The SMTP client state machine (RFC 5321) with PIPELINING, STARTTLS, AUTH,
//! CHUNKING, SIZE, 8BITMIME and SMTPUTF8, for delivering mail.
//!
//! [`Client`] does no I/O. It greets the server on its own (EHLO, and HELO if
//! EHLO is refused), then takes the application's calls: [`Client::starttls`],
//! [`Client::auth_plain`] or [`Client::auth_login`], [`Client::send_mail`]
//! with an [`Envelope`] and the message body in [`Bytes`] chunks
//! ([`Client::body_chunk`], [`Client::body_end`]), [`Client::quit`]. The
//! server's replies come back as [`Event`]s: one per recipient, one for the
//! message.
//!
//! MAIL, RCPT and DATA (or the first BDAT chunk) go out in one batch when
//! the server offers PIPELINING (RFC 2920), one at a time otherwise. The
//! body is sent with BDAT when the server offers CHUNKING (RFC 3030), with
//! DATA otherwise, dot-stuffed as it streams; either way bare CR and LF
//! become CRLF, so the client never sends what SMTP smuggling needs.
//! Parameters of extensions the server lacks are dropped where Postfix drops
//! them, refused by name otherwise; [`BodyNeeds`] says what a message needs.
//! After a failed transaction the next one starts with RSET. STARTTLS is
//! never pipelined, and a server (or a man in the middle) that sends
//! anything after its `220` before the TLS handshake ends the session (RFC
//! 3207 §5). QUIT waits for an exchange in flight and nothing follows it.
//!
//! Every transaction ends with [`Event::MessageAccepted`] or
//! [`Event::TransactionFailed`], and every recipient gets an event, even
//! when the session closes first (a `421`, a timeout, a reply that does not
//! fit: then with [`CloseReason::reply`]). Replies are timed per request,
//! a stalled send and the TLS handshake too ([`Options`]).
//!
//! # The drive loop
//!
//! After every `handle_*` call or command, drain [`Client::poll_transmit`]
//! and [`Client::poll_event`]; then wait for input or
//! [`Client::poll_timeout`].
//!
//! ```no_run
//! use std::time::Instant;
//! use bytes::{Bytes, BytesMut};
//! use smtp_proto::client::{BodyDemand, Client, Envelope, Event, Options};
//! use smtp_proto::{ForwardPath, Mailbox, ReversePath};
//!
//! # fn read_socket() -> Vec<u8> { Vec::new() }
//! # fn write_socket(_: &[u8]) {}
//! # fn now() -> Instant { unimplemented!() }
//! # fn next_chunk() -> Option<Bytes> { None }
//! let mut client = Client::new(Options::default(), now());
//! let mut out = BytesMut::new();
//! let mut sending = false;
//! loop {
//!     while client.poll_transmit(&mut out) > 0 {
//!         write_socket(&out);
//!         out.clear();
//!     }
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             Event::Ready { .. } if !sending => {
//!                 let envelope = Envelope::new(ReversePath::Mailbox(Mailbox::try_from("a@example.org")?))
//!                     .to(ForwardPath::Mailbox(Mailbox::try_from("b@example.net")?));
//!                 client.send_mail(envelope)?;
//!                 sending = true;
//!             }
//!             Event::MessageAccepted { .. } | Event::TransactionFailed { .. } => client.quit()?,
//!             _ => {}
//!         }
//!     }
//!     // Feed the body as the client asks for it.
//!     while client.body_demand() == Some(BodyDemand::More) {
//!         match next_chunk() {
//!             Some(chunk) => client.body_chunk(chunk)?,
//!             None => client.body_end()?,
//!         }
//!     }
//!     if client.is_closed() {
//!         break;
//!     }
//!     client.handle_input(&read_socket());
//!     client.handle_timeout(now());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod event;
mod options;
mod params;
mod scan;
mod session;
mod transaction;

pub use event::{BodyDemand, CloseReason, Envelope, Event, State, TxnId};
pub use options::{Options, Pipelining};
pub use scan::{BodyNeeds, BodyScanner};

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};

use crate::decode::ReplyAssembler;
use crate::framing::LineReader;
use crate::{Capability, EhloReply, Reply, ReplyCode, Secret, encode};

use transaction::Transaction;

/// A command awaiting its reply.
#[derive(Debug)]
enum Sent {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    /// AUTH PLAIN, and the response to send after `334` if it did not go as
    /// an initial response.
    AuthPlain(Option<Secret<Vec<u8>>>),
    /// AUTH LOGIN, and what is left to send: the user name, the password.
    AuthLogin(VecDeque<Secret<Vec<u8>>>),
    Mail(TxnId),
    Rcpt(TxnId, usize),
    Data(TxnId),
    /// The body's end, `.` CRLF.
    DataEnd(TxnId),
    Bdat {
        txn: TxnId,
        last: bool,
    },
    Rset,
    Noop,
    Quit,
}

impl Sent {
    /// Whether `code` is a reply this command can get (RFC 5321 §4.3.2):
    /// `354` or an error for DATA, any final reply for the others (`334`
    /// in AUTH is a challenge, read before this). QUIT takes anything.
    fn expects(&self, code: ReplyCode) -> bool {
        match self {
            Self::Quit => true,
            Self::Data(_) => code == ReplyCode::START_MAIL_INPUT || code.is_negative(),
            _ => !code.is_intermediate(),
        }
    }

    /// Whether nothing may follow before the reply: STARTTLS (RFC 3207 §4)
    /// and AUTH, whose next line answers a challenge (RFC 4954 §4).
    fn is_barrier(&self) -> bool {
        matches!(
            self,
            Self::StartTls | Self::AuthPlain(_) | Self::AuthLogin(_)
        )
    }
}

/// An SMTP client connection, sans I/O. See the [module docs](self) for the
/// drive loop.
#[derive(Debug)]
pub struct Client {
    options: Options,
    state: State,
    input: BytesMut,
    lines: LineReader,
    replies: ReplyAssembler,
    /// Output ready to go, oldest first.
    queue: VecDeque<Bytes>,
    /// Octets in `queue`.
    queued: usize,
    /// Commands written since the last piece went into `queue`.
    cmd: BytesMut,
    events: VecDeque<Event>,
    in_flight: VecDeque<Sent>,
    /// Command lines not written yet, waiting for earlier replies.
    waiting: VecDeque<(Sent, Bytes)>,
    capabilities: Option<EhloReply>,
    esmtp: bool,
    tls: bool,
    authenticated: bool,
    txn: Option<Transaction>,
    next_txn: u64,
    /// A transaction failed after MAIL was accepted: RSET before the next.
    need_rset: bool,
    /// QUIT was asked for: it waits for the exchange in flight, and nothing
    /// may follow it.
    quitting: bool,
    now: Instant,
    /// When the reply awaited (or the TLS handshake) is overdue.
    deadline: Instant,
    /// The command awaited changed: set the deadline at the next
    /// `handle_timeout`.
    rearm: bool,
    /// Input since the deadline was set.
    active: bool,
    /// When output that waits to be taken by `poll_transmit` is overdue
    /// (RFC 5321 §4.5.3.2.5); `None` until the time is known.
    send_deadline: Option<Instant>,
}

impl Client {
    /// A client that has just connected at `now`; the first thing it expects
    /// is the greeting.
    pub fn new(options: Options, now: Instant) -> Self {
        let mut in_flight = VecDeque::new();
        in_flight.push_back(Sent::Greeting);
        Self {
            lines: LineReader::new(options.max_reply_line, options.max_challenge_line),
            replies: ReplyAssembler::new(options.max_reply_lines, 64 * 1024),
            deadline: now + options.greeting_timeout,
            tls: options.implicit_tls,
            options,
            state: State::Connecting,
            input: BytesMut::new(),
            queue: VecDeque::new(),
            queued: 0,
            cmd: BytesMut::new(),
            events: VecDeque::new(),
            in_flight,
            waiting: VecDeque::new(),
            capabilities: None,
            esmtp: false,
            authenticated: false,
            txn: None,
            next_txn: 0,
            need_rset: false,
            quitting: false,
            now,
            rearm: false,
            active: false,
            send_deadline: None,
        }
    }

    /// Hands the client bytes that arrived from the server.
    pub fn handle_input(&mut self, data: &[u8]) {
        if data.is_empty() || self.state == State::Closed {
            return;
        }
        self.input.extend_from_slice(data);
        self.after_input();
    }

    /// Like [`handle_input`](Self::handle_input), taking the bytes out of
    /// `data` without copying them. `data` is left empty.
    pub fn handle_input_buf(&mut self, data: &mut BytesMut) {
        if data.is_empty() || self.state == State::Closed {
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

    /// Tells the client the time. The session closes
    /// ([`CloseReason::TimedOut`]) when the reply awaited is overdue (its
    /// command's timeout, RFC 5321 §4.5.3.2, counted from when the command
    /// left: for the whole reply with
    /// [`Options::per_request_deadline`], since the last input without),
    /// when the TLS handshake is ([`Options::tls_handshake_timeout`]), or
    /// when output has waited to be taken for
    /// [`Options::data_block_timeout`].
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        if self.state == State::Closed {
            return;
        }
        if self.unsent() > 0 {
            match self.send_deadline {
                None => self.send_deadline = Some(now + self.options.data_block_timeout),
                Some(deadline) if now >= deadline => return self.close(CloseReason::TimedOut),
                Some(_) => {}
            }
        }
        if self.rearm {
            self.rearm = false;
            self.active = false;
            self.deadline = now + self.front_timeout();
            return;
        }
        if !self.awaiting() || now < self.deadline {
            return;
        }
        let per_read = !self.options.per_request_deadline && self.state != State::TlsHandshake;
        if self.active && per_read {
            self.active = false;
            self.deadline = now + self.front_timeout();
            return;
        }
        self.close(CloseReason::TimedOut);
    }

    /// Appends the bytes to send to `buf`; returns how many.
    pub fn poll_transmit(&mut self, buf: &mut BytesMut) -> usize {
        let start = buf.len();
        while let Some(piece) = self.queue.pop_front() {
            self.queued -= piece.len();
            buf.extend_from_slice(&piece);
        }
        buf.extend_from_slice(&self.cmd);
        self.cmd.clear();
        let n = buf.len() - start;
        self.sent(n);
        n
    }

    /// The next piece of output, without copying: body chunks leave as
    /// slices of the application's [`Bytes`]. An alternative to
    /// [`poll_transmit`](Self::poll_transmit); the two may be mixed. A
    /// driver that takes the output piece by piece as its writes complete
    /// lets the client see a peer that stops reading
    /// ([`Options::data_block_timeout`]).
    pub fn poll_transmit_bytes(&mut self) -> Option<Bytes> {
        let piece = if let Some(piece) = self.queue.pop_front() {
            self.queued -= piece.len();
            piece
        } else if self.cmd.is_empty() {
            return None;
        } else {
            let piece = Bytes::copy_from_slice(&self.cmd);
            self.cmd.clear();
            piece
        };
        self.sent(piece.len());
        Some(piece)
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next: while a
    /// reply is awaited, the TLS handshake runs, or output waits. When the
    /// command awaited has just changed, this is the last time the client
    /// was told (call it at once).
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Closed {
            return None;
        }
        let reply = self
            .awaiting()
            .then_some(if self.rearm { self.now } else { self.deadline });
        let send = (self.unsent() > 0).then(|| self.send_deadline.unwrap_or(self.now));
        match (reply, send) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The session's state.
    pub fn state(&self) -> State {
        match self.state {
            State::Closed | State::TlsHandshake => self.state,
            _ if self.quitting => State::Quitting,
            state => state,
        }
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Whether the client reads more input: until it is closed, and not
    /// during the TLS handshake.
    pub fn wants_read(&self) -> bool {
        !matches!(self.state, State::Closed | State::TlsHandshake)
    }

    /// The server's last EHLO reply (its name alone after HELO).
    pub fn capabilities(&self) -> Option<&EhloReply> {
        self.capabilities.as_ref()
    }

    /// Whether TLS is active (implicit, or after STARTTLS).
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether AUTH succeeded.
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// Whether commands go out without waiting for earlier replies.
    pub fn is_pipelining(&self) -> bool {
        self.options.pipelining == Pipelining::Auto && self.offers(&Capability::Pipelining)
    }

    /// Whether the server announced `capability` after EHLO.
    fn offers(&self, capability: &Capability) -> bool {
        self.esmtp
            && self
                .capabilities
                .as_ref()
                .is_some_and(|c| c.capabilities().iter().any(|k| same_keyword(k, capability)))
    }

    /// Whether a deadline runs for the peer: a reply awaited, or the TLS
    /// handshake.
    fn awaiting(&self) -> bool {
        !self.in_flight.is_empty() || self.state == State::TlsHandshake
    }

    /// `n` octets of output were taken: the reply awaited is timed from
    /// now, and the send deadline moves (RFC 5321 §4.5.3.2.5; Postfix's
    /// `smtp_min_data_rate` with per-request deadlines).
    fn sent(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        if self.awaiting() {
            self.rearm = true;
        }
        let limit = self.options.data_block_timeout;
        self.send_deadline = match self.send_deadline {
            _ if self.unsent() == 0 => None,
            Some(deadline) if self.options.per_request_deadline => {
                let rate = self.options.min_data_rate.max(1);
                let earned = Duration::from_millis((n as u64).saturating_mul(1000) / rate);
                Some((deadline + earned).min(self.now + limit))
            }
            // Per write: the next write has its own time.
            _ => None,
        };
    }

    fn after_input(&mut self) {
        self.active = true;
        if self.state == State::TlsHandshake {
            // Plaintext during the handshake: nothing may come now.
            self.close(CloseReason::TlsInjection);
            return;
        }
        self.process();
    }

    /// Reads replies as far as the input goes.
    fn process(&mut self) {
        while !matches!(self.state, State::Closed | State::TlsHandshake) {
            let auth = matches!(
                self.in_flight.front(),
                Some(Sent::AuthPlain(_) | Sent::AuthLogin(_))
            );
            let line = if auth {
                self.lines.read_auth_line(&mut self.input)
            } else {
                self.lines.read_line(&mut self.input)
            };
            let Some(line) = line else {
                return;
            };
            let Ok(line) = line else {
                return self.close(CloseReason::ProtocolError);
            };
            match self.replies.push(&line) {
                Err(_) => return self.close(CloseReason::ProtocolError),
                Ok(None) => {}
                Ok(Some(reply)) => self.reply(reply),
            }
        }
    }

    /// One whole reply, to the oldest command in flight.
    fn reply(&mut self, reply: Reply) {
        let code = reply.code();
        if code == ReplyCode::SERVICE_NOT_AVAILABLE
            && !matches!(self.in_flight.front(), Some(Sent::Quit))
        {
            return self.close(CloseReason::ServiceNotAvailable(reply));
        }
        if code == ReplyCode::AUTH_CONTINUE {
            return self.challenge(&reply);
        }
        let Some(sent) = self.in_flight.pop_front() else {
            return self.close(CloseReason::ProtocolError);
        };
        if !sent.expects(code) {
            // RFC 5321 §4.2, §4.3.2: a reply the command does not have
            // (a 3xx to MAIL, a 250 to DATA) leaves client and server out of
            // step; taking it for success could lose mail.
            return self.close(CloseReason::ProtocolError);
        }
        self.rearm = true;
        match sent {
            Sent::Greeting => self.on_greeting(reply),
            Sent::Ehlo => self.on_ehlo(reply),
            Sent::Helo => self.on_helo(reply),
            Sent::StartTls => self.on_starttls(reply),
            Sent::AuthPlain(_) | Sent::AuthLogin(_) => self.on_auth(reply),
            // Replies to an abandoned transaction's commands are dropped.
            Sent::Mail(txn)
            | Sent::Rcpt(txn, _)
            | Sent::Data(txn)
            | Sent::DataEnd(txn)
            | Sent::Bdat { txn, .. }
                if self.txn.as_ref().map(Transaction::id) != Some(txn) => {}
            Sent::Mail(_) => self.on_mail(reply),
            Sent::Rcpt(_, index) => self.on_rcpt(index, reply),
            Sent::Data(_) => self.on_data(reply),
            Sent::DataEnd(_) => self.on_data_end(reply),
            Sent::Bdat { last, .. } => self.on_bdat(last, reply),
            Sent::Rset => self.on_simple("RSET", reply),
            Sent::Noop => self.on_simple("NOOP", reply),
            Sent::Quit => self.close(CloseReason::Quit),
        }
        self.flush_commands();
        self.flush_body();
    }

    /// Writes a command line now and waits for its reply: for the lines
    /// that answer a reply (EHLO after the greeting, DATA after the
    /// envelope).
    fn send(&mut self, cmd: &crate::Command<'_>, sent: Sent) {
        encode::command(cmd, &mut self.cmd);
        self.expect(sent);
    }

    /// Queues a command line; it is written as soon as pipelining allows.
    fn queue_command(&mut self, cmd: &crate::Command<'_>, sent: Sent) {
        let mut line = BytesMut::new();
        encode::command(cmd, &mut line);
        self.waiting.push_back((sent, line.freeze()));
        self.flush_commands();
    }

    /// Writes waiting command lines: with nothing in flight, or, with
    /// PIPELINING, when neither the last one sent nor the next is a barrier.
    /// Nothing is written during the TLS handshake: it goes under TLS.
    fn flush_commands(&mut self) {
        if self.state == State::TlsHandshake {
            return;
        }
        while let Some((next, _)) = self.waiting.front() {
            let may = match self.in_flight.back() {
                None => true,
                Some(last) => {
                    self.is_pipelining()
                        && !last.is_barrier()
                        && !next.is_barrier()
                        && !matches!(last, Sent::Data(_))
                }
            };
            if !may || self.state == State::Closed {
                return;
            }
            let Some((sent, line)) = self.waiting.pop_front() else {
                return;
            };
            self.cmd.extend_from_slice(&line);
            self.expect(sent);
        }
    }

    /// Waits for the reply to a line already written.
    fn expect(&mut self, sent: Sent) {
        if self.in_flight.is_empty() {
            self.rearm = true;
        }
        self.in_flight.push_back(sent);
    }

    /// Puts a piece of body in the output, after the commands before it.
    fn push_piece(&mut self, piece: Bytes) {
        if !self.cmd.is_empty() {
            let cmd = self.cmd.split().freeze();
            self.queued += cmd.len();
            self.queue.push_back(cmd);
        }
        self.queued += piece.len();
        self.queue.push_back(piece);
    }

    /// Octets waiting in the output.
    fn unsent(&self) -> usize {
        self.queued + self.cmd.len()
    }

    /// The timeout of the reply awaited (RFC 5321 §4.5.3.2), or of the TLS
    /// handshake.
    fn front_timeout(&self) -> Duration {
        let o = &self.options;
        if self.state == State::TlsHandshake {
            return o.tls_handshake_timeout;
        }
        match self.in_flight.front() {
            Some(Sent::Greeting) => o.greeting_timeout,
            Some(Sent::Data(_)) => o.data_start_timeout,
            Some(Sent::DataEnd(_) | Sent::Bdat { last: true, .. }) => o.data_end_timeout,
            _ => o.command_timeout,
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.state == State::Closed {
            return;
        }
        // RFC 5321 §3.8: a transaction cut off is as if `451` had come.
        // Every recipient and the transaction get an outcome, so a queue
        // cannot miss one.
        self.cut_off_transaction(&reason);
        self.state = State::Closed;
        self.input.clear();
        self.in_flight.clear();
        self.waiting.clear();
        self.events.push_back(Event::Closed { reason });
    }
}

/// Whether two capabilities are the same extension, parameters aside.
fn same_keyword(a: &Capability, b: &Capability) -> bool {
    a.keyword().eq_ignore_ascii_case(b.keyword())
}
