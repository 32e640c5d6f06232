//! The builder and the settings.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use mailbox_traits::{Authenticator, MailStore};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::connection::Connection;
use crate::driver::DriverLimits;
use crate::pop3::{self, Pop3Locks};
use crate::running::{Listening, RunningServer};
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
    /// server sets `implicit_tls` and `allow_plaintext_without_tls` per
    /// connection, and turns `stls` off where there is no certificate or
    /// TLS is already on.
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
pub(crate) type Serve<S, A> = fn(Arc<Shared<S, A>>, Connection) -> BoxFuture<'static, ()>;

/// A listener bound by [`MailServerBuilder::start`].
pub(crate) struct Bound<S, A> {
    pub(crate) listener: TcpListener,
    pub(crate) listening: Listening,
    pub(crate) serve: Serve<S, A>,
}

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
            bound.push(Bound {
                listening: Listening {
                    protocol: spec.protocol,
                    security: spec.security,
                    addr: listener.local_addr()?,
                },
                listener,
                serve: spec.serve,
            });
        }

        let shared = Arc::new(Shared {
            store: self.store,
            auth: self.auth,
            tls,
            pop3_locks: Pop3Locks::default(),
            settings: self.settings,
        });
        Ok(RunningServer::launch(shared, bound))
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
