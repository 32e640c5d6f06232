//! The running server: one accept loop per listener, the sessions, and
//! the graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mailbox_traits::{Authenticator, MailStore};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::connection::Connection;
use crate::server::{Bound, Protocol, Security, Serve, Shared};

/// One listener's accept loop.
struct Acceptor<S, A> {
    listener: TcpListener,
    protocol: Protocol,
    security: Security,
    serve: Serve<S, A>,
    shared: Arc<Shared<S, A>>,
    permits: Arc<Semaphore>,
    stop: CancellationToken,
    close: CancellationToken,
    sessions: TaskTracker,
}

impl<S: MailStore, A: Authenticator> Acceptor<S, A> {
    async fn run(self) {
        loop {
            let accepted = tokio::select! {
                accepted = self.listener.accept() => accepted,
                () = self.stop.cancelled() => break,
            };
            let (tcp, peer) = match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, most likely: wait a little
                    // rather than spin.
                    warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            // The cap: past it, the client just accepted waits unanswered
            // for a free slot, and this listener accepts no one else
            // meanwhile; later clients wait in the kernel's listen queue.
            let permit = match self.permits.clone().try_acquire_owned() {
                Ok(permit) => permit,
                Err(_) => {
                    debug!(%peer, "connection cap reached: the client waits");
                    tokio::select! {
                        permit = self.permits.clone().acquire_owned() => match permit {
                            Ok(permit) => permit,
                            Err(_) => break,
                        },
                        () = self.stop.cancelled() => break,
                    }
                }
            };
            let span = info_span!("session", proto = self.protocol.name(), %peer);
            let shared = self.shared.clone();
            let close = self.close.clone();
            let (security, serve) = (self.security, self.serve);
            self.sessions.spawn(
                async move {
                    let _permit = permit;
                    tokio::select! {
                        () = open(shared, tcp, peer, security, serve) => {}
                        () = close.cancelled() => info!("closed at shutdown"),
                    }
                }
                .instrument(span),
            );
        }
        debug!(protocol = %self.protocol, "stopped accepting");
    }
}

/// Sets a connection up (the implicit-TLS handshake) and runs its driver.
async fn open<S: MailStore, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    security: Security,
    serve: Serve<S, A>,
) {
    let mut conn = match Connection::new(tcp, peer) {
        Ok(conn) => conn,
        Err(e) => return debug!(error = %e, "connection lost at accept"),
    };
    if security == Security::ImplicitTls {
        let Some(acceptor) = &shared.tls else {
            return;
        };
        if let Err(e) = conn
            .start_tls(acceptor, shared.settings.tls_handshake_timeout)
            .await
        {
            return info!(error = %e, "TLS handshake failed");
        }
    }
    serve(shared, conn).await;
}

/// A listener of a running server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listening {
    /// What it serves.
    pub protocol: Protocol,
    /// Plain or implicit TLS.
    pub security: Security,
    /// The address it is bound to (with the port picked for port 0).
    pub addr: SocketAddr,
}

/// A started server. Dropping it stops accepting and closes every session
/// at once; [`shutdown`](Self::shutdown) is the graceful way.
#[derive(Debug)]
pub struct RunningServer {
    listeners: Vec<Listening>,
    stop_accepting: CancellationToken,
    close_sessions: CancellationToken,
    sessions: TaskTracker,
    /// The outbound queue's runner and its deliveries.
    queue: TaskTracker,
    grace: Duration,
}

/// How a graceful shutdown went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Sessions still open at the deadline, which were closed.
    pub closed_at_deadline: usize,
}

impl RunningServer {
    /// Starts an accept loop per bound listener.
    pub(crate) fn launch<S: MailStore, A: Authenticator>(
        shared: Arc<Shared<S, A>>,
        bound: Vec<Bound<S, A>>,
    ) -> Self {
        let running = Self {
            listeners: bound.iter().map(|b| b.listening).collect(),
            stop_accepting: CancellationToken::new(),
            close_sessions: CancellationToken::new(),
            sessions: TaskTracker::new(),
            queue: TaskTracker::new(),
            grace: shared.settings.shutdown_grace,
        };
        let permits = Arc::new(Semaphore::new(shared.settings.max_connections.max(1)));
        for b in bound {
            let l = b.listening;
            info!(protocol = %l.protocol, security = ?l.security, addr = %l.addr, "listening");
            let accept = Acceptor {
                listener: b.listener,
                protocol: l.protocol,
                security: l.security,
                serve: b.serve,
                shared: shared.clone(),
                permits: permits.clone(),
                stop: running.stop_accepting.clone(),
                close: running.close_sessions.clone(),
                sessions: running.sessions.clone(),
            };
            tokio::spawn(accept.run());
        }
        running
    }

    /// What the queue runner runs under: its stop and close tokens and its
    /// task tracker.
    pub(crate) fn queue_handles(&self) -> (CancellationToken, CancellationToken, &TaskTracker) {
        (
            self.stop_accepting.clone(),
            self.close_sessions.clone(),
            &self.queue,
        )
    }

    /// The listeners, in the order they were added.
    pub fn listeners(&self) -> &[Listening] {
        &self.listeners
    }

    /// The address of the first listener for `protocol` with `security`.
    pub fn local_addr(&self, protocol: Protocol, security: Security) -> Option<SocketAddr> {
        self.listeners
            .iter()
            .find(|l| l.protocol == protocol && l.security == security)
            .map(|l| l.addr)
    }

    /// Sessions open now.
    pub fn sessions(&self) -> usize {
        self.sessions.len()
    }

    /// Graceful shutdown: stops accepting at once, lets open sessions finish
    /// for the grace period ([`Settings::shutdown_grace`]), then closes the
    /// rest. A POP3 session closed this way never reached UPDATE, so it
    /// deletes nothing (RFC 1939 §6).
    ///
    /// [`Settings::shutdown_grace`]: crate::Settings::shutdown_grace
    pub async fn shutdown(self) -> ShutdownReport {
        let grace = self.grace;
        self.shutdown_within(grace).await
    }

    /// [`shutdown`](Self::shutdown) with another grace period.
    pub async fn shutdown_within(self, grace: Duration) -> ShutdownReport {
        self.stop_accepting.cancel();
        self.sessions.close();
        self.queue.close();
        let open = self.sessions.len();
        if open > 0 {
            info!(
                sessions = open,
                ?grace,
                "shutting down: waiting for sessions"
            );
        }
        let mut report = ShutdownReport {
            closed_at_deadline: 0,
        };
        let both = async {
            self.sessions.wait().await;
            self.queue.wait().await;
        };
        if tokio::time::timeout(grace, both).await.is_err() {
            report.closed_at_deadline = self.sessions.len();
            warn!(
                sessions = report.closed_at_deadline,
                deliveries = self.queue.len(),
                "shutdown deadline: closing the remaining sessions and deliveries"
            );
            self.close_sessions.cancel();
            self.sessions.wait().await;
            self.queue.wait().await;
        }
        info!("shut down");
        report
    }

    /// Serves until Ctrl-C or SIGTERM, then shuts down gracefully; a second
    /// signal during the grace period closes every session at once.
    pub async fn run_until_signal(self) -> std::io::Result<ShutdownReport> {
        wait_for_signal().await?;
        info!("signal received: stopping");
        let close = self.close_sessions.clone();
        let second = tokio::spawn(async move {
            if wait_for_signal().await.is_ok() {
                warn!("second signal: closing every session now");
                close.cancel();
            }
        });
        let report = self.shutdown().await;
        second.abort();
        Ok(report)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.stop_accepting.cancel();
        self.close_sessions.cancel();
    }
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn wait_for_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
