//! The session driver every protocol shares.
//!
//! A driver runs one sans-IO server machine against one [`Connection`]. It
//! holds no protocol logic: it moves bytes between the socket and the
//! machine, sleeps until the machine's `poll_timeout`, and hands each event
//! to the protocol's [`Handler`], which answers it from the store through
//! the machine's typed decision methods. SMTP, POP3 and IMAP each add a
//! [`Machine`] impl for their server and a [`Handler`]; the loop is this one.
//!
//! The loop, after the STYLE's drive-loop invariant:
//!
//! 1. pull output from the machine until it has none or the outbox is full,
//!    and hand every event to the handler (whose answers may make more
//!    output and events);
//! 2. if the handler asked for TLS: write everything out, run the handshake
//!    on the same socket, tell the machine, and go on;
//! 3. if the machine is closed: write what is left and close;
//! 4. otherwise wait for input (while the machine wants it), for room to
//!    write, or for the machine's deadline, and feed what came.

use std::future::Future;
use std::io;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;

use tokio_rustls::TlsAcceptor;

use crate::connection::{Connection, Io, Outbox};

/// A sans-IO server machine, as the driver sees it: the `handle_*` and
/// `poll_*` of STYLE.md's one vocabulary.
pub(crate) trait Machine: Send {
    /// What the machine reports or asks.
    type Event: Send;

    /// Bytes from the client.
    fn handle_input(&mut self, data: &[u8]);
    /// The time, when [`poll_timeout`](Self::poll_timeout) has passed.
    fn handle_timeout(&mut self, now: Instant);
    /// Moves some output into `out`; `false` when there is none now.
    fn poll_transmit(&mut self, out: &mut Outbox) -> bool;
    /// The next event.
    fn poll_event(&mut self) -> Option<Self::Event>;
    /// When to call [`handle_timeout`](Self::handle_timeout).
    fn poll_timeout(&self) -> Option<Instant>;
    /// Whether the machine reads input now.
    fn wants_read(&self) -> bool;
    /// Whether the session is over.
    fn is_closed(&self) -> bool;
    /// The TLS handshake the handler asked for has completed. Machines that
    /// switch to TLS as soon as they accept STARTTLS ignore it.
    fn tls_started(&mut self) {}
}

/// [`Machine`] for a server machine whose methods have the trait's names
/// and that hands its output out as `Bytes` (`poll_transmit_bytes`): the
/// message bodies of POP3 and IMAP leave as the store's own buffers,
/// without a copy.
macro_rules! machine_by_bytes {
    ($server:ty, $event:ty) => {
        impl $crate::driver::Machine for $server {
            type Event = $event;

            fn handle_input(&mut self, data: &[u8]) {
                Self::handle_input(self, data);
            }

            fn handle_timeout(&mut self, now: std::time::Instant) {
                Self::handle_timeout(self, now);
            }

            fn poll_transmit(&mut self, out: &mut $crate::connection::Outbox) -> bool {
                match self.poll_transmit_bytes() {
                    Some(piece) => {
                        out.push(piece);
                        true
                    }
                    None => false,
                }
            }

            fn poll_event(&mut self) -> Option<$event> {
                Self::poll_event(self)
            }

            fn poll_timeout(&self) -> Option<std::time::Instant> {
                Self::poll_timeout(self)
            }

            fn wants_read(&self) -> bool {
                Self::wants_read(self)
            }

            fn is_closed(&self) -> bool {
                Self::is_closed(self)
            }
        }
    };
}
pub(crate) use machine_by_bytes;

/// What the driver does after an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Go on.
    Continue,
    /// Send what the machine has queued, then start TLS on the socket.
    StartTls,
    /// Send what the machine has queued, then deflate both ways (RFC 4978);
    /// the octets are what the client sent compressed before the switch.
    StartDeflate(Bytes),
}

/// The protocol side of a driver: answers a machine's events.
pub(crate) trait Handler<M: Machine>: Send {
    /// Answers `event`, calling the machine's decision methods.
    fn on_event(&mut self, machine: &mut M, event: M::Event) -> impl Future<Output = Step> + Send;

    /// Whether the handler has work in progress to go on with once the
    /// connection takes more output (a large response written a part at a
    /// time, so that no session buffers it whole).
    fn busy(&self) -> bool {
        false
    }

    /// Goes on with the work in progress, or with what
    /// [`poll_wake`](Self::poll_wake) woke the handler for; returns with
    /// some progress made.
    fn resume(&mut self, machine: &mut M) -> impl Future<Output = Step> + Send {
        let _ = machine;
        async { Step::Continue }
    }

    /// Polled while the driver waits on the connection: ready when
    /// something outside it needs [`resume`](Self::resume), such as a
    /// change to the selected mailbox made by another session.
    fn poll_wake(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let _ = cx;
        Poll::Pending
    }
}

/// Timeouts of the driver itself; the protocol's own live in its machine.
#[derive(Clone, Debug)]
pub(crate) struct DriverLimits {
    /// A TLS handshake.
    pub(crate) handshake: Duration,
    /// Writing the last output of a closed session.
    pub(crate) close: Duration,
}

/// How a session ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// The machine closed the session, and its last output went out.
    Closed,
    /// The client went away first.
    ClientGone,
}

impl End {
    /// How a session ended, for its last log line: `closed`, `client left`
    /// or `connection lost: <error>`.
    pub(crate) fn describe(end: &io::Result<Self>) -> String {
        match end {
            Ok(Self::Closed) => "closed".to_owned(),
            Ok(Self::ClientGone) => "client left".to_owned(),
            Err(e) => format!("connection lost: {e}"),
        }
    }
}

/// Logs a decision the machine refused. Each handler answers an event with
/// the decision it asks for, so the machine cannot refuse it; if it does,
/// the bug is logged, not hidden.
pub(crate) fn log_refused<E: std::fmt::Display>(protocol: &str, result: Result<(), E>) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "the {protocol} machine refused a decision");
    }
}

/// Runs `machine` on `conn` until the session ends.
pub(crate) async fn drive<M: Machine, H: Handler<M>>(
    conn: &mut Connection,
    machine: &mut M,
    handler: &mut H,
    tls: Option<&TlsAcceptor>,
    limits: &DriverLimits,
) -> io::Result<End> {
    let mut eof = false;
    loop {
        let mut switch = None;
        loop {
            while conn.outbox().has_room() && machine.poll_transmit(conn.outbox()) {}
            let step = if let Some(event) = machine.poll_event() {
                handler.on_event(machine, event).await
            } else if handler.busy() && conn.outbox().has_room() {
                handler.resume(machine).await
            } else {
                break;
            };
            if step != Step::Continue {
                switch = Some(step);
            }
        }
        if let Some(step) = switch {
            while machine.poll_transmit(conn.outbox()) {}
            conn.flush_all(limits.close).await?;
            match step {
                Step::StartTls => {
                    let Some(acceptor) = tls else {
                        return Err(io::Error::other("STARTTLS accepted with no TLS configured"));
                    };
                    conn.start_tls(acceptor, limits.handshake).await?;
                    machine.tls_started();
                }
                Step::StartDeflate(input) => conn.start_deflate(&input)?,
                Step::Continue => {}
            }
            continue;
        }
        if machine.is_closed() {
            loop {
                while conn.outbox().has_room() && machine.poll_transmit(conn.outbox()) {}
                if !conn.has_output() {
                    break;
                }
                conn.flush_all(limits.close).await?;
            }
            conn.close(limits.close).await?;
            return Ok(End::Closed);
        }
        if eof && !conn.has_output() {
            // Nothing more can come in, and the machine has nothing to say.
            return Ok(End::ClientGone);
        }
        let read = !eof && machine.wants_read();
        let io = conn
            .exchange(read, machine.poll_timeout(), &mut |cx| {
                handler.poll_wake(cx)
            })
            .await?;
        match io {
            Io::Input(n) => machine.handle_input(conn.input(n)),
            Io::Eof => eof = true,
            Io::Wrote => {}
            Io::Deadline => machine.handle_timeout(Instant::now()),
            Io::Woken => {
                if handler.resume(machine).await != Step::Continue {
                    // Only events switch transports.
                    debug_assert!(false, "resume asked for a transport switch");
                }
            }
        }
    }
}
