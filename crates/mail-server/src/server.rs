//! The builder, the listeners, and the running server.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use mailbox_traits::{Authenticator, MailStore};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, info, info_span, warn};

use crate::connection::Connection;
use crate::driver::DriverLimits;
use crate::pop3::{self, Pop3Locks};
use crate::{Error, PlaintextAuth, TlsSource};

/// A mail protocol a listener serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// POP3 (RFC 1939).
    Pop3,
}

impl Protocol {
    /// Its name in logs: `pop3`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pop3 => "pop3",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a listener protects its connections (RFC 8314 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Security {
    /// Plain TCP; the client may upgrade with STARTTLS/STLS when the server
    /// has a certificate (POP3 on 110).
    Plain,
    /// TLS from the first octet (POP3S on 995).
    ImplicitTls,
}

/// The settings every session shares. Each default cites its source.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Settings {
    /// When passwords may cross without TLS. Default
    /// [`PlaintextAuth::TlsOrLoopback`], Dovecot's
    /// `disable_plaintext_auth = yes` with loopback counted as secure.
    pub plaintext_auth: PlaintextAuth,
    /// How long a failed login waits before its reply. Default 2 s,
    /// Dovecot's `auth_failure_delay`.
    pub auth_failure_delay: Duration,
    /// The most connections served at once, over all listeners; further
    /// clients wait, unanswered, until a session ends. Default 1000,
    /// Dovecot's `default_client_limit`.
    pub max_connections: usize,
    /// How long a TLS handshake may take. Default 30 s, this crate's choice
    /// (Dovecot allows a login process that long to finish one).
    pub tls_handshake_timeout: Duration,
    /// How long the last output of a closing session may take to drain.
    /// Default 10 s, this crate's choice.
    pub close_timeout: Duration,
    /// How long [`RunningServer::shutdown`] lets sessions finish before it
    /// closes them. Default 10 s, this crate's choice (Postfix waits for
    /// its daemons at `postfix stop` about as long).
    pub shutdown_grace: Duration,
    /// The POP3 sessions' options: limits, greeting, capabilities. The
    /// server sets `implicit_tls`, `stls` and `allow_plaintext_without_tls`
    /// per connection.
    pub pop3: pop3_proto::server::Options,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            plaintext_auth: PlaintextAuth::default(),
            auth_failure_delay: Duration::from_secs(2),
            max_connections: 1000,
            tls_handshake_timeout: Duration::from_secs(30),
            close_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
            pop3: pop3_proto::server::Options::default(),
        }
    }
}

/// What every session of a server shares.
pub(crate) struct Shared<S, A> {
    pub(crate) store: S,
    pub(crate) auth: A,
    pub(crate) settings: Settings,
    pub(crate) tls: Option<TlsAcceptor>,
    pub(crate) pop3_locks: Pop3Locks,
}

impl<S, A> Shared<S, A> {
    pub(crate) fn driver_limits(&self) -> DriverLimits {
        DriverLimits {
            handshake: self.settings.tls_handshake_timeout,
            close: self.settings.close_timeout,
        }
    }
}

/// A session driver's entry point.
type Serve<S, A> = fn(Arc<Shared<S, A>>, Connection) -> BoxFuture<'static, ()>;

struct ListenerSpec<S, A> {
    protocol: Protocol,
    security: Security,
    addr: SocketAddr,
    serve: Serve<S, A>,
}

/// Sets up a mail server over a store and an authenticator.
///
/// See the [crate docs](crate) for an example.
pub struct MailServerBuilder<S, A> {
    store: S,
    auth: A,
    settings: Settings,
    tls: Option<TlsSource>,
    listeners: Vec<ListenerSpec<S, A>>,
}

/// The entry point: [`MailServer::builder`].
#[derive(Debug)]
#[non_exhaustive]
pub struct MailServer;

impl MailServer {
    /// A server over `store` (the mailboxes) and `auth` (who may log in).
    /// One value may be both, as [`MemoryStore`] is; pass it twice, cloned.
    ///
    /// [`MemoryStore`]: mailbox_traits::memory::MemoryStore
    pub fn builder<S: MailStore, A: Authenticator>(store: S, auth: A) -> MailServerBuilder<S, A> {
        MailServerBuilder {
            store,
            auth,
            settings: Settings::default(),
            tls: None,
            listeners: Vec::new(),
        }
    }
}

impl<S: MailStore, A: Authenticator> MailServerBuilder<S, A> {
    /// Serves POP3 on `addr` (port 0 picks a free one): plain, with STLS
    /// once TLS is configured.
    pub fn pop3(mut self, addr: SocketAddr) -> Self {
        self.listen(Protocol::Pop3, Security::Plain, addr, pop3::serve::<S, A>);
        self
    }

    /// Serves POP3 with implicit TLS (POP3S, RFC 8314 §3.3) on `addr`.
    /// Needs [`tls`](Self::tls).
    pub fn pop3s(mut self, addr: SocketAddr) -> Self {
        self.listen(
            Protocol::Pop3,
            Security::ImplicitTls,
            addr,
            pop3::serve::<S, A>,
        );
        self
    }

    /// The certificate for implicit-TLS listeners and STARTTLS/STLS.
    pub fn tls(mut self, source: TlsSource) -> Self {
        self.tls = Some(source);
        self
    }

    /// Replaces all settings.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// When passwords may cross without TLS.
    pub fn plaintext_auth(mut self, policy: PlaintextAuth) -> Self {
        self.settings.plaintext_auth = policy;
        self
    }

    /// How long a failed login waits (tests make it short).
    pub fn auth_failure_delay(mut self, delay: Duration) -> Self {
        self.settings.auth_failure_delay = delay;
        self
    }

    /// The most connections served at once.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.settings.max_connections = max;
        self
    }

    /// How long shutdown lets sessions finish.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.settings.shutdown_grace = grace;
        self
    }

    /// The POP3 sessions' options.
    pub fn pop3_options(mut self, options: pop3_proto::server::Options) -> Self {
        self.settings.pop3 = options;
        self
    }

    fn listen(
        &mut self,
        protocol: Protocol,
        security: Security,
        addr: SocketAddr,
        serve: Serve<S, A>,
    ) {
        self.listeners.push(ListenerSpec {
            protocol,
            security,
            addr,
            serve,
        });
    }

    /// Prepares TLS, binds every listener and starts accepting. Must be
    /// called within a tokio runtime.
    pub async fn start(self) -> Result<RunningServer, Error> {
        let tls = match &self.tls {
            Some(source) => Some(source.acceptor()?),
            None => None,
        };
        if tls.is_none()
            && self
                .listeners
                .iter()
                .any(|l| l.security == Security::ImplicitTls)
        {
            return Err(Error::NoTls);
        }
        let mut bound = Vec::with_capacity(self.listeners.len());
        for spec in self.listeners {
            let listener = TcpListener::bind(spec.addr)
                .await
                .map_err(|source| Error::Bind {
                    addr: spec.addr,
                    source,
                })?;
            let addr = listener.local_addr()?;
            bound.push((listener, spec, addr));
        }

        let shared = Arc::new(Shared {
            store: self.store,
            auth: self.auth,
            tls,
            pop3_locks: Pop3Locks::default(),
            settings: self.settings,
        });
        let running = RunningServer {
            listeners: bound
                .iter()
                .map(|(_, spec, addr)| Listening {
                    protocol: spec.protocol,
                    security: spec.security,
                    addr: *addr,
                })
                .collect(),
            stop_accepting: CancellationToken::new(),
            close_sessions: CancellationToken::new(),
            sessions: TaskTracker::new(),
            grace: shared.settings.shutdown_grace,
        };
        let permits = Arc::new(Semaphore::new(shared.settings.max_connections.max(1)));
        for (listener, spec, addr) in bound {
            info!(protocol = %spec.protocol, security = ?spec.security, %addr, "listening");
            let accept = Acceptor {
                listener,
                protocol: spec.protocol,
                security: spec.security,
                serve: spec.serve,
                shared: shared.clone(),
                permits: permits.clone(),
                stop: running.stop_accepting.clone(),
                close: running.close_sessions.clone(),
                sessions: running.sessions.clone(),
            };
            tokio::spawn(accept.run());
        }
        Ok(running)
    }
}

impl<S, A> fmt::Debug for MailServerBuilder<S, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listeners: Vec<_> = self
            .listeners
            .iter()
            .map(|l| (l.protocol, l.security, l.addr))
            .collect();
        f.debug_struct("MailServerBuilder")
            .field("settings", &self.settings)
            .field("tls", &self.tls)
            .field("listeners", &listeners)
            .finish_non_exhaustive()
    }
}

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
    pub async fn shutdown(self) -> ShutdownReport {
        let grace = self.grace;
        self.shutdown_within(grace).await
    }

    /// [`shutdown`](Self::shutdown) with another grace period.
    pub async fn shutdown_within(self, grace: Duration) -> ShutdownReport {
        self.stop_accepting.cancel();
        self.sessions.close();
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
        if tokio::time::timeout(grace, self.sessions.wait())
            .await
            .is_err()
        {
            report.closed_at_deadline = self.sessions.len();
            warn!(
                sessions = report.closed_at_deadline,
                "shutdown deadline: closing the remaining sessions"
            );
            self.close_sessions.cancel();
            self.sessions.wait().await;
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
