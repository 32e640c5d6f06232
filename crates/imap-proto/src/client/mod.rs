//! The IMAP client state machine.
//!
//! [`Client`] does no I/O. Its methods queue commands and return the tag
//! their completion will carry ([`Event::Completed`]); untagged data comes
//! out as [`Event::DataReceived`], large FETCH bodies as [`Bytes`](bytes::Bytes) chunks
//! that are slices of the input, never gathered whole.
//!
//! Commands are pipelined (RFC 9051 §5.5) except where the RFC forbids it:
//! nothing follows STARTTLS, AUTHENTICATE, IDLE or COMPRESS until they are
//! done, a command with message sequence numbers (a `UID SEARCH` with a
//! sequence-set key among them) waits for every command before it that is
//! not a FETCH, STORE or SEARCH, and a synchronizing
//! literal waits for the server's `+`. Literals go `{n+}` when the server
//! offers LITERAL+ (or LITERAL- up to 4096 octets, RFC 7888). The
//! capabilities are tracked from the greeting, CAPABILITY responses and
//! response codes, forgotten after STARTTLS and asked for again.
//!
//! Every octet the server sends after its `OK` to STARTTLS and before the
//! TLS handshake is a man in the middle's: the client closes the session
//! instead of reading it as if it came over TLS. Commands issued after a
//! STARTTLS wait for its outcome; if it fails they are cancelled
//! ([`Event::CommandCancelled`]), never sent in the clear. LOGIN is never
//! sent while the server advertises LOGINDISABLED (RFC 9051 §6.2.3).
//!
//! # The drive loop
//!
//! After every `handle_*` call or command, drain [`Client::poll_transmit`]
//! and [`Client::poll_event`]; then wait for input or
//! [`Client::poll_timeout`], and pass the time to [`Client::handle_timeout`]
//! when it comes. After input or output the deadline is due at once: that
//! call tells the client when the activity was, and the timeout runs exactly
//! from it (the server's contract, and `pop3-proto`'s).
//!
//! ```no_run
//! use std::time::Instant;
//! use bytes::BytesMut;
//! use imap_proto::client::{Client, Event, Options};
//! use imap_proto::types::{CommandBody, Data, FetchAttr, FetchAttrs, Mailbox, SequenceSet};
//!
//! # fn read_socket() -> Vec<u8> { Vec::new() }
//! # fn write_socket(_: &[u8]) {}
//! # fn now() -> Instant { unimplemented!() }
//! # fn store(_: &[u8]) {}
//! let mut client = Client::new(Options::default(), now());
//! let mut out = BytesMut::new();
//! client.login("alice", b"correct horse battery staple")?;
//! client.select(Mailbox::inbox())?;
//! client.command(CommandBody::Fetch {
//!     uid: true,
//!     set: SequenceSet::all(),
//!     attrs: FetchAttrs::List(vec![FetchAttr::Uid, FetchAttr::Flags]),
//!     modifiers: vec![],
//! })?;
//! client.logout()?;
//! loop {
//!     while client.poll_transmit(&mut out) > 0 {
//!         write_socket(&out);
//!         out.clear();
//!     }
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             Event::DataReceived { data: Data::Fetch { seq, items } } => {
//!                 let _ = (seq, items);
//!             }
//!             Event::FetchBodyChunk { data, .. } => store(&data),
//!             _ => {}
//!         }
//!     }
//!     if client.is_closed() {
//!         break;
//!     }
//!     // Wait for input or the deadline (a real driver waits for both).
//!     if client.poll_timeout().is_some_and(|deadline| deadline <= now()) {
//!         client.handle_timeout(now());
//!     } else {
//!         client.handle_input(&read_socket());
//!     }
//! }
//! # Ok::<(), imap_proto::ClientError>(())
//! ```

mod commands;
mod event;
mod options;
mod responses;
mod stream;

pub use event::{CancelReason, CloseReason, Event, State};
pub use options::Options;

use std::collections::VecDeque;
use std::time::Instant;

use bytes::BytesMut;

use crate::decode::Framer;
use crate::types::{Atom, CommandBody, Secret, Tag};
use crate::{LiteralPolicy, Mode};

use responses::Reading;

/// Makes the tag of the next command.
pub type TagGenerator = Box<dyn FnMut() -> Tag<'static> + Send>;

/// What a command's completion does to the session.
#[derive(Clone, Debug)]
enum Expect {
    Plain,
    Login,
    /// AUTHENTICATE PLAIN; the response to send at the server's `+` when it
    /// did not go on the command line.
    AuthPlain {
        response: Option<Secret<Vec<u8>>>,
    },
    /// AUTHENTICATE run by the application.
    Sasl,
    Select,
    Close,
    Logout,
    StartTls,
    Compress,
    Idle,
}

impl Expect {
    /// Nothing may be sent after this command before its completion: STARTTLS
    /// (RFC 9051 §6.2.1), COMPRESS (RFC 4978 §3), IDLE (RFC 2177), and
    /// AUTHENTICATE, whose lines follow it.
    fn is_barrier(&self) -> bool {
        matches!(
            self,
            Self::AuthPlain { .. } | Self::Sasl | Self::StartTls | Self::Compress | Self::Idle
        )
    }

    fn is_login(&self) -> bool {
        matches!(self, Self::Login | Self::AuthPlain { .. } | Self::Sasl)
    }
}

/// A command not sent yet.
#[derive(Debug)]
struct Queued {
    tag: Tag<'static>,
    body: CommandBody<'static>,
    expect: Expect,
    /// Issued by the client itself: no [`Event::Completed`].
    internal: bool,
}

/// A command sent (at least its first line), awaiting its completion.
#[derive(Debug)]
struct InFlight {
    tag: Tag<'static>,
    /// A non-UID FETCH, STORE or SEARCH: no EXPUNGE can come while it runs,
    /// so commands with sequence numbers may follow it (RFC 9051 §5.5).
    safe_before_seqs: bool,
    expect: Expect,
    internal: bool,
    /// The octets after a synchronizing literal's announcement, and where
    /// further ones stop, relative to them: sent at each `+`.
    rest: Option<(BytesMut, VecDeque<usize>)>,
}

/// IDLE as the client runs it.
#[derive(Clone, Debug)]
struct Idling {
    tag: Tag<'static>,
    /// The server sent `+ idling`.
    started: bool,
    /// DONE is asked for (sent once IDLE started).
    done: bool,
    /// After this IDLE completes, start another (the refresh timer).
    renew: bool,
    /// When the refresh is due, once started.
    refresh_at: Option<Instant>,
}

/// A transport switch the driver has to confirm before output goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Paused {
    Tls,
    Compress,
}

/// An IMAP client connection, sans I/O. See the [module docs](self) for the
/// drive loop.
pub struct Client {
    options: Options,
    /// The grammar's options, with the session's mode and literal policy.
    codec: crate::Options,
    state: State,
    input: BytesMut,
    framer: Framer,
    reading: Reading,
    /// Literal octets held in the response being framed.
    literal_total: u64,
    out: BytesMut,
    events: VecDeque<Event>,
    queued: VecDeque<Queued>,
    in_flight: VecDeque<InFlight>,
    tags: TagGenerator,
    capabilities: Option<Vec<Atom<'static>>>,
    tls: bool,
    compressing: bool,
    paused: Option<Paused>,
    idle: Option<Idling>,
    /// An AUTHENTICATE waits for the application's response to a challenge.
    challenged: bool,
    deadline: Instant,
    now: Instant,
    active: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("state", &self.state)
            .field("mode", &self.codec.mode)
            .field("queued", &self.queued)
            .field("in_flight", &self.in_flight)
            .field("capabilities", &self.capabilities)
            .field("tls", &self.tls)
            .field("idle", &self.idle)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client that has just connected at `now`; the first thing it expects
    /// is the greeting. Tags are [`Options::tag_prefix`] and a number.
    pub fn new(options: Options, now: Instant) -> Self {
        let prefix = options.tag_prefix.clone();
        let mut n = 0u64;
        let tags = Box::new(move || {
            n += 1;
            Tag::new(format!("{prefix}{n}")).unwrap_or_else(|_| Tag::number(n))
        });
        Self::with_tag_generator(options, now, tags)
    }

    /// A client whose tags come from `tags` (each must differ from the tags
    /// of commands still in flight, RFC 9051 §2.2.1).
    pub fn with_tag_generator(options: Options, now: Instant, tags: TagGenerator) -> Self {
        let codec = crate::Options {
            mode: Mode::Imap4rev1,
            literals: LiteralPolicy::AsGiven,
            ..options.codec
        };
        Self {
            framer: Framer::new(&codec),
            codec,
            state: State::Greeting,
            input: BytesMut::new(),
            reading: Reading::Responses { prefix: None },
            literal_total: 0,
            out: BytesMut::new(),
            events: VecDeque::new(),
            queued: VecDeque::new(),
            in_flight: VecDeque::new(),
            tags,
            capabilities: None,
            tls: options.implicit_tls,
            compressing: false,
            paused: None,
            idle: None,
            challenged: false,
            deadline: now + options.timeout,
            now,
            active: false,
            options,
        }
    }

    /// Hands the client bytes that arrived from the server.
    pub fn handle_input(&mut self, data: &[u8]) {
        if self.state == State::Logout || data.is_empty() {
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
        if self.state == State::Logout || data.is_empty() {
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

    /// Tells the client the time. After activity (input, or a command
    /// sent) this call stamps it: the timeout runs [`Options::timeout`] from
    /// `now`. An IDLE running for [`Options::idle_refresh`] is ended and
    /// started again; a response outstanding for [`Options::timeout`] since
    /// the last activity closes the session. Calling it early is harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Logout {
            return;
        }
        self.now = self.now.max(now);
        self.idle_timer(now);
        if self.active {
            self.active = false;
            self.deadline = self.now + self.options.timeout;
            return;
        }
        if now < self.deadline || !self.is_waiting() {
            return;
        }
        self.close(CloseReason::TimedOut);
    }

    /// Appends the commands to send to `buf`; returns how many octets. An
    /// empty `buf` takes the client's buffer whole, so a message being
    /// appended is not copied again.
    pub fn poll_transmit(&mut self, buf: &mut BytesMut) -> usize {
        let n = self.out.len();
        if n > 0 {
            self.active = true;
        }
        if buf.is_empty() {
            std::mem::swap(buf, &mut self.out);
        } else {
            buf.extend_from_slice(&self.out);
        }
        self.out.clear();
        n
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) next: while a
    /// response is outstanding, and for the IDLE refresh. After activity it
    /// is an instant already past (the last one the client was told), so
    /// that the driver's next `handle_timeout` stamps the activity and the
    /// timeout runs exactly from it.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Logout {
            return None;
        }
        if self.active {
            return Some(self.now);
        }
        let refresh = self.idle.as_ref().and_then(|i| match i.refresh_at {
            None if i.started => Some(self.now),
            at => at,
        });
        let wait = self.is_waiting().then_some(self.deadline);
        match (wait, refresh) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The session's state as the server confirmed it.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.state == State::Logout
    }

    /// Whether the client reads more input: until it is closed.
    pub fn wants_read(&self) -> bool {
        self.state != State::Logout
    }

    /// The server's capabilities as last announced; `None` when unknown (not
    /// yet announced, or forgotten after STARTTLS).
    pub fn capabilities(&self) -> Option<&[Atom<'static>]> {
        self.capabilities.as_deref()
    }

    /// Whether the server announced `name` (without regard to case).
    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities
            .as_ref()
            .is_some_and(|caps| caps.iter().any(|c| c.is(name)))
    }

    /// The session's grammar: IMAP4rev1 until the server enables UTF8=ACCEPT
    /// or IMAP4rev2 (or offers IMAP4rev2 alone).
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

    /// Whether IDLE runs (sent, and not yet completed).
    pub fn is_idling(&self) -> bool {
        self.idle.is_some()
    }

    /// The driver finished the TLS handshake that [`Event::TlsRequested`]
    /// asked for: queued commands go out, the first a CAPABILITY when
    /// [`Options::refresh_capabilities`].
    pub fn tls_started(&mut self) {
        if self.paused == Some(Paused::Tls) {
            self.paused = None;
            self.refresh_capabilities();
            self.flush();
        }
    }

    /// The driver put the compression layer that
    /// [`Event::CompressionStarted`] asked for in place: queued commands go
    /// out.
    pub fn compression_started(&mut self) {
        if self.paused == Some(Paused::Compress) {
            self.paused = None;
            self.flush();
        }
    }

    /// Whether the client expects something from the server: the greeting,
    /// or a completion (an IDLE's once it started is not expected).
    fn is_waiting(&self) -> bool {
        self.state == State::Greeting
            || self.in_flight.iter().any(|c| {
                !matches!(c.expect, Expect::Idle)
                    || self
                        .idle
                        .as_ref()
                        .is_some_and(|i| i.tag == c.tag && (!i.started || i.done))
            })
    }

    /// Asks for the capabilities again, once, if they are unknown.
    fn refresh_capabilities(&mut self) {
        if !self.options.refresh_capabilities || self.capabilities.is_some() {
            return;
        }
        let asked = self
            .in_flight
            .iter()
            .map(|c| (&c.expect, c.internal))
            .chain(self.queued.iter().map(|c| (&c.expect, c.internal)))
            .any(|(_, internal)| internal);
        if !asked {
            let tag = (self.tags)();
            self.queued.push_front(Queued {
                tag,
                body: CommandBody::Capability,
                expect: Expect::Plain,
                internal: true,
            });
        }
    }

    fn close(&mut self, reason: CloseReason) {
        if self.state == State::Logout {
            return;
        }
        self.state = State::Logout;
        self.input.clear();
        self.queued.clear();
        self.idle = None;
        self.events.push_back(Event::Closed { reason });
    }
}
