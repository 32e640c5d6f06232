//! The builder and the settings.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use mailbox_traits::{Authenticator, LocalDelivery, MailStore};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::connection::Connection;
use crate::driver::DriverLimits;
use crate::imap;
use crate::pop3::{self, Pop3Locks};
use crate::queue::{Outbound, QueueSettings};
use crate::running::{Listening, RunningServer};
use crate::smtp::{self, QueueIds};
use crate::{Error, PlaintextAuth, TlsSource};

/// A mail protocol a listener serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// SMTP (RFC 5321): mail in from clients and other servers.
    Smtp,
    /// Message submission (RFC 6409): SMTP for mail clients, with
    /// authentication required.
    Submission,
    /// LMTP (RFC 2033): local delivery from another mail server on this
    /// host, one reply per recipient.
    Lmtp,
    /// POP3 (RFC 1939).
    Pop3,
    /// IMAP (RFC 9051 IMAP4rev2 and RFC 3501 IMAP4rev1).
    Imap,
}

impl Protocol {
    /// Its name in logs: `smtp`, `lmtp`, `pop3`, `imap`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Smtp => "smtp",
            Self::Submission => "submission",
            Self::Lmtp => "lmtp",
            Self::Pop3 => "pop3",
            Self::Imap => "imap",
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
    /// has a certificate (SMTP on 25 and 587, POP3 on 110, IMAP on 143).
    Plain,
    /// TLS from the first octet (SMTP submission on 465, POP3S on 995,
    /// IMAPS on 993).
    ImplicitTls,
}

/// The settings every session shares. Each default cites its source.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Settings {
    /// The server's host name: in the SMTP greeting and EHLO reply, and in
    /// the `Received:` header field it adds (`by <hostname>`). Default
    /// `localhost`; a server on the Internet sets its public name (Postfix's
    /// `myhostname`). It must be a domain name: [`MailServerBuilder::start`]
    /// refuses any other ([`Error::Hostname`]).
    pub hostname: String,
    /// The domains whose mail this server keeps: a recipient in one of them
    /// is looked up in the store, any other is relaying (Postfix's
    /// `mydestination`). Compared without regard to ASCII case. Default
    /// `["localhost"]`. The [`Users`](crate::Users) authenticator has its
    /// own list, for logins as `name@domain`; give both the same domains.
    pub local_domains: Vec<String>,
    /// The local user who gets the mail for `postmaster` (RFC 5321 §4.5.1:
    /// every server must take `<Postmaster>` and `postmaster@` its
    /// domains) when no user has that name: Postfix's `postmaster: root`
    /// alias. Default `None`: without a `postmaster` user such mail is
    /// refused as for any unknown user.
    pub postmaster: Option<String>,
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
    /// The SMTP sessions' options: limits (1000 recipients, 10 240 000-octet
    /// messages, error limits: Postfix's), extensions, timeouts. The server
    /// sets `hostname`, `implicit_tls` and `auth_without_tls` per connection,
    /// and turns `starttls` off where there is no certificate. A message is
    /// held in memory until the store has it, so `max_message_size` bounds
    /// what each session may hold; keep it set (0 lifts the bound).
    pub smtp: smtp_proto::server::Options,
    /// The LMTP sessions' options ([`smtp_proto::server::Options::lmtp`]);
    /// set per connection as for SMTP, with no AUTH: an LMTP client is a
    /// trusted mail server on this host.
    pub lmtp: smtp_proto::server::Options,
    /// The IMAP sessions' options: limits (64 KiB lines, 10 240 000-octet
    /// APPENDs), timers (30-minute autologout, a keepalive every 2 minutes
    /// in IDLE: Dovecot's), the capabilities the session implements, and
    /// COMPRESS=DEFLATE. The server sets `implicit_tls`,
    /// `allow_plaintext_without_tls` (LOGINDISABLED) per connection, and
    /// turns `starttls` off where there is no certificate. Remove an
    /// extension from `extensions` to stop announcing it.
    pub imap: imap_proto::server::Options,
    /// Refuse a logged-in client's MAIL FROM address in a local domain
    /// that is not its own user's (`553 5.7.1 ... not owned by user`), and
    /// any address elsewhere; the null sender passes. Postfix's
    /// `reject_sender_login_mismatch`, opt-in there too: default `false`,
    /// so users may send as their aliases and other addresses.
    pub sender_login_match: bool,
}

impl Settings {
    /// Whether mail for `domain` is kept here (one of
    /// [`local_domains`](Self::local_domains)).
    pub fn is_local_domain(&self, domain: &str) -> bool {
        self.local_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            hostname: "localhost".to_owned(),
            local_domains: vec!["localhost".to_owned()],
            postmaster: None,
            plaintext_auth: PlaintextAuth::default(),
            auth_failure_delay: Duration::from_secs(2),
            max_connections: 1000,
            tls_handshake_timeout: Duration::from_secs(30),
            close_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
            pop3: pop3_proto::server::Options::default(),
            smtp: smtp_proto::server::Options::default(),
            lmtp: smtp_proto::server::Options::lmtp(),
            imap: imap::default_options(),
            sender_login_match: false,
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
    pub(crate) queue_ids: QueueIds,
    /// The outbound queue, when the server delivers to other domains.
    pub(crate) outbound: Option<Arc<Outbound>>,
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

/// Starts the outbound queue's runner: stop picking up work on the first
/// token, drop deliveries under way on the second.
pub(crate) type StartRunner<S, A> = fn(
    Arc<Shared<S, A>>,
    tokio_util::sync::CancellationToken,
    tokio_util::sync::CancellationToken,
    &tokio_util::task::TaskTracker,
) -> Result<(), Error>;

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
    outbound: Option<(QueueSettings, StartRunner<S, A>)>,
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
            outbound: None,
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

    /// Serves IMAP on `addr` (port 0 picks a free one): plain, with
    /// STARTTLS once TLS is configured; port 143 on a real server.
    pub fn imap(mut self, addr: SocketAddr) -> Self {
        self.listen(Protocol::Imap, Security::Plain, addr, imap::serve::<S, A>);
        self
    }

    /// Serves IMAP with implicit TLS (IMAPS, RFC 8314 §3.3) on `addr`; port
    /// 993 on a real server. Needs [`tls`](Self::tls).
    pub fn imaps(mut self, addr: SocketAddr) -> Self {
        self.listen(
            Protocol::Imap,
            Security::ImplicitTls,
            addr,
            imap::serve::<S, A>,
        );
        self
    }

    /// Who gets the mail for `postmaster` ([`Settings::postmaster`]).
    pub fn postmaster(mut self, user: impl Into<String>) -> Self {
        self.settings.postmaster = Some(user.into());
        self
    }

    /// The server's host name ([`Settings::hostname`]).
    pub fn hostname(mut self, hostname: impl Into<String>) -> Self {
        self.settings.hostname = hostname.into();
        self
    }

    /// The domains whose mail this server keeps
    /// ([`Settings::local_domains`]).
    pub fn local_domains<D: AsRef<str>>(mut self, domains: impl IntoIterator<Item = D>) -> Self {
        self.settings.local_domains = domains
            .into_iter()
            .map(|d| d.as_ref().to_ascii_lowercase())
            .collect();
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

    /// Refuse a logged-in client's sender addresses it does not own
    /// ([`Settings::sender_login_match`]).
    pub fn sender_login_match(mut self, on: bool) -> Self {
        self.settings.sender_login_match = on;
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

    /// The SMTP sessions' options.
    pub fn smtp_options(mut self, options: smtp_proto::server::Options) -> Self {
        self.settings.smtp = options;
        self
    }

    /// The LMTP sessions' options.
    pub fn lmtp_options(mut self, options: smtp_proto::server::Options) -> Self {
        self.settings.lmtp = options;
        self
    }

    /// The IMAP sessions' options ([`Settings::imap`]).
    pub fn imap_options(mut self, options: imap_proto::server::Options) -> Self {
        self.settings.imap = options;
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
    pub async fn start(mut self) -> Result<RunningServer, Error> {
        let hostname = smtp_proto::Domain::try_from(self.settings.hostname.clone())
            .map_err(|err| Error::Hostname(self.settings.hostname.clone(), err))?;
        self.settings.smtp.hostname = hostname.clone();
        self.settings.lmtp.hostname = hostname;
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

        let (outbound, start_runner) = match self.outbound {
            Some((queue, start)) => {
                let dir = queue.dir.clone();
                let outbound = Outbound::open(queue, &self.settings.hostname)
                    .map_err(|e| Error::io(&dir, e))?;
                (Some(Arc::new(outbound)), Some(start))
            }
            None => (None, None),
        };
        let shared = Arc::new(Shared {
            store: self.store,
            auth: self.auth,
            tls,
            pop3_locks: Pop3Locks::default(),
            queue_ids: QueueIds::default(),
            settings: self.settings,
            outbound,
        });
        let running = RunningServer::launch(shared.clone(), bound);
        if let Some(start) = start_runner {
            let (stop, close, tasks) = running.queue_handles();
            start(shared, stop, close, tasks)?;
        }
        Ok(running)
    }
}

/// The listeners that deliver mail: the store must take it
/// ([`LocalDelivery`]).
impl<S: MailStore + LocalDelivery, A: Authenticator> MailServerBuilder<S, A> {
    /// Serves SMTP on `addr` (port 0 picks a free one): mail for the local
    /// domains from anyone, AUTH (PLAIN, LOGIN) over TLS or from loopback,
    /// STARTTLS once TLS is configured. The MX port 25, or submission 587.
    pub fn smtp(mut self, addr: SocketAddr) -> Self {
        self.listen(
            Protocol::Smtp,
            Security::Plain,
            addr,
            smtp::serve_smtp::<S, A>,
        );
        self
    }

    /// Serves message submission (RFC 6409) on `addr`: SMTP for mail
    /// clients (port 587 on a real server), with AUTH required before MAIL
    /// (`530 5.7.0 Authentication required`), STARTTLS once TLS is
    /// configured, and the `Date` and `Message-ID` fields added to a
    /// message without them (RFC 6409 §8).
    pub fn submission(mut self, addr: SocketAddr) -> Self {
        self.listen(
            Protocol::Submission,
            Security::Plain,
            addr,
            smtp::serve_submission::<S, A>,
        );
        self
    }

    /// Serves SMTP with implicit TLS on `addr`: submission over TLS
    /// (RFC 8314 §3.3, port 465). Needs [`tls`](Self::tls).
    pub fn smtps(mut self, addr: SocketAddr) -> Self {
        self.listen(
            Protocol::Smtp,
            Security::ImplicitTls,
            addr,
            smtp::serve_smtp::<S, A>,
        );
        self
    }

    /// Delivers mail for other domains: an authenticated client's
    /// recipients outside the local domains are queued durably in
    /// [`QueueSettings::dir`] and sent on (see [`queue`](crate::queue));
    /// without this, they are refused with `550 5.7.1`. Messages queued
    /// before a restart are found and sent.
    pub fn outbound(mut self, settings: QueueSettings) -> Self {
        self.outbound = Some((settings, crate::queue::spawn_runner::<S, A>));
        self
    }

    /// Serves LMTP (RFC 2033) on `addr`: local delivery for another mail
    /// server on this host (a Postfix `lmtp:` transport), with a reply per
    /// recipient and no authentication. Bind it to loopback: any client
    /// that reaches it may deliver to every local user.
    pub fn lmtp(mut self, addr: SocketAddr) -> Self {
        self.listen(
            Protocol::Lmtp,
            Security::Plain,
            addr,
            smtp::serve_lmtp::<S, A>,
        );
        self
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
