//! Outbound delivery: a durable queue in the data directory, sending to
//! other domains with smtp-proto's client machine.
//!
//! - An authenticated client's mail for other domains is written to the
//!   queue (a message file and an envelope file per message,
//!   each written to `tmp/`, fsynced, renamed and the directory fsynced)
//!   before the client hears `250`.
//! - The queue runner picks up what is due, finds where each recipient's
//!   domain takes mail (a static route, a smarthost, or MX
//!   records with the A/AAAA fallback and null MX of RFC 7505) and sends
//!   each destination one transaction with all its recipients. A host that
//!   cannot be reached or refuses the session passes them to the next; one
//!   that defers them (`4xx`) too, once per round (Postfix's
//!   `smtp_mx_session_limit` of 2 sessions).
//! - Each recipient's outcome is written to its envelope as soon as the
//!   server's reply to the message arrives, before QUIT. A recipient that
//!   was accepted is never sent again, across restarts and crashes too;
//!   the one window left is between the server's `250` and that write (RFC
//!   5321 §6.1 accepts it: a crash there sends the message again once).
//! - A `4xx`, a refused connection, a refused greeting (even `5xx`, as
//!   Postfix's `smtp_skip_5xx_greeting` has it) or a timeout is tried again
//!   after a backoff that doubles from [`QueueSettings::minimal_backoff`] to
//!   [`QueueSettings::maximal_backoff`], for [`QueueSettings::lifetime`]; a
//!   `5xx` or the end of the lifetime sends the sender a delivery status
//!   notification (RFC 3464), never for a bounce (the null sender).
//!
//! A server that delivers its authenticated users' mail to other domains:
//! through a static route for one domain, a smarthost for the rest.
//!
//! ```
//! use mail_server::MailServer;
//! use mail_server::queue::{QueueSettings, Relay, list_queue};
//! use mailbox_traits::memory::MemoryStore;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let data = tempfile::tempdir()?;
//! let store = MemoryStore::new();
//! store.add_user("alice", "wonderland")?;
//! let mut queue = QueueSettings::new(data.path().join("queue"));
//! queue.routes.push(("example.net".into(), Relay::new("127.0.0.1", 2526)));
//! queue.smarthost = Some(Relay::new("smtp.example.com", 587).with_auth("me", "secret"));
//! let server = MailServer::builder(store.clone(), store)
//!     .hostname("mail.example.org")
//!     .local_domains(["example.org"])
//!     .smtp("127.0.0.1:0".parse()?)
//!     .submission("127.0.0.1:0".parse()?)
//!     .outbound(queue)
//!     .start()
//!     .await?;
//! // What `mail-server queue list` shows: nothing queued yet.
//! assert!(list_queue(&data.path().join("queue"))?.is_empty());
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod dns;
mod dsn;
mod files;
mod route;
mod runner;
mod send;
mod tls;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use tokio::sync::Notify;

pub use dns::SystemResolver;
pub use files::{Attempt, QueuedMessage, QueuedRecipient, RecipientState};
pub use route::{MxResolver, Relay, ResolveError};
pub(crate) use runner::spawn_runner;

use files::QueueDir;

/// How the queue sends, retries and gives up. Each default cites its
/// source.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct QueueSettings {
    /// The queue directory (a `queue/` in the server's data directory).
    pub dir: PathBuf,
    /// The first wait after a temporary failure; each later one doubles.
    /// Default 300 s, Postfix's `minimal_backoff_time`.
    pub minimal_backoff: Duration,
    /// The longest wait between attempts. Default 4000 s, Postfix's
    /// `maximal_backoff_time`.
    pub maximal_backoff: Duration,
    /// How long a message is tried before it bounces. Default 5 days,
    /// Postfix's `maximal_queue_lifetime`.
    pub lifetime: Duration,
    /// Connections to one destination at once. Default 20, Postfix's
    /// `default_destination_concurrency_limit`.
    pub destination_concurrency: usize,
    /// Messages being delivered at once, over every destination; a message's
    /// file is read only once it has its slot, so a flush of a long queue
    /// holds this many bodies at most. Default 100, Postfix's
    /// `default_process_limit`.
    pub delivery_concurrency: usize,
    /// Static routes: mail for a domain goes to this relay, without DNS
    /// (Postfix's `transport_maps` with `smtp:[host]:port`).
    pub routes: Vec<(String, Relay)>,
    /// Mail for every other domain goes to this relay, without DNS
    /// (Postfix's `relayhost`).
    pub smarthost: Option<Relay>,
    /// Whether STARTTLS is used, and whether it is required. Default
    /// [`OutboundTls::Opportunistic`].
    pub tls: OutboundTls,
    /// How long a connection may take to open. Default 30 s, Postfix's
    /// `smtp_connect_timeout`.
    pub connect_timeout: Duration,
    /// The port MX hosts and address literals are reached on (not static
    /// routes, which name theirs). Default 25, Postfix's `smtp_tcp_port`.
    pub smtp_port: u16,
    /// The client machine's options: timeouts, chunking, pipelining. The
    /// server sets the EHLO name to its host name. Default: smtp-proto's,
    /// but an 8-bit message goes as it is to a server without 8BITMIME
    /// (`send_8bit_without_8bitmime`: Postfix would convert it to 7 bits,
    /// which this crate does not do; bouncing it would lose mail that
    /// nearly every server takes). A message with UTF-8 addresses for a
    /// server without SMTPUTF8 bounces with `5.6.7`, as in Postfix; UTF-8
    /// in header fields alone does not ask for SMTPUTF8.
    pub client: smtp_proto::client::Options,
    /// How often the queue is checked for due messages and a flush request.
    /// Default 1 s, this crate's choice (Postfix's `queue_run_delay` is 300
    /// s, but this queue keeps each recipient's own due time).
    pub scan_interval: Duration,
    /// fsync queue files and the directory. Default `true`; turn it off
    /// only in tests.
    pub fsync: bool,
    /// The MX resolver; `None` uses the system's DNS configuration
    /// (hickory-resolver). Tests pass a fake one.
    pub resolver: Option<Arc<dyn MxResolver>>,
}

/// STARTTLS on outbound connections.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum OutboundTls {
    /// Used when the server offers it, with any certificate; plaintext
    /// otherwise. Postfix's `smtp_tls_security_level = may`: encryption
    /// against passive eavesdroppers, no authentication (RFC 7435).
    #[default]
    Opportunistic,
    /// Required, with the server's certificate verified against these
    /// roots and its host name (Postfix's `secure`); a server that does not
    /// offer STARTTLS, or whose certificate fails, is a temporary failure.
    Required(Arc<rustls::RootCertStore>),
    /// Never (Postfix's `none`).
    Disabled,
}

impl OutboundTls {
    /// Required TLS, verified against the certificates of a PEM bundle
    /// (the system's is `/etc/ssl/certs/ca-certificates.crt` on Debian).
    pub fn required_from_pem(bundle: &Path) -> Result<Self, crate::Error> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let tls_error =
            |e: &dyn std::fmt::Display| crate::Error::Tls(format!("{}: {e}", bundle.display()));
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(bundle).map_err(|e| tls_error(&e))? {
            roots
                .add(cert.map_err(|e| tls_error(&e))?)
                .map_err(|e| tls_error(&e))?;
        }
        if roots.is_empty() {
            return Err(tls_error(&"no certificate in the file"));
        }
        Ok(Self::Required(Arc::new(roots)))
    }
}

impl QueueSettings {
    /// Settings with the defaults, keeping the queue in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            minimal_backoff: Duration::from_secs(300),
            maximal_backoff: Duration::from_secs(4000),
            lifetime: Duration::from_secs(5 * 24 * 3600),
            destination_concurrency: 20,
            delivery_concurrency: 100,
            routes: Vec::new(),
            smarthost: None,
            tls: OutboundTls::default(),
            connect_timeout: Duration::from_secs(30),
            smtp_port: 25,
            client: {
                let mut client = smtp_proto::client::Options::default();
                client.send_8bit_without_8bitmime = true;
                client
            },
            scan_interval: Duration::from_secs(1),
            fsync: true,
            resolver: None,
        }
    }

    /// The wait before attempt `attempts + 1`, after `attempts` failed:
    /// the minimal backoff, doubled for each attempt after the first, at
    /// most the maximal one (Postfix's qmgr).
    pub fn backoff(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(32);
        self.minimal_backoff
            .saturating_mul(1u32 << doublings.min(31))
            .min(self.maximal_backoff)
            .max(self.minimal_backoff.min(self.maximal_backoff))
    }
}

/// The queued messages in a queue directory, oldest first: what `queue
/// list` shows. Works on a directory a running server uses.
pub fn list_queue(dir: &Path) -> std::io::Result<Vec<QueuedMessage>> {
    files::scan(dir)
}

/// Asks the server running on a queue directory to try every pending
/// recipient now: a `flush` file the runner looks for at each scan.
pub fn request_flush(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(FLUSH_FILE), b"")
}

/// The file that asks for a flush.
const FLUSH_FILE: &str = "flush";

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A message in the runner's hands.
#[derive(Debug)]
struct Entry {
    message: QueuedMessage,
    /// A delivery task has it.
    busy: bool,
    /// Queued but not released: its SMTP transaction has not answered yet.
    held: bool,
    /// When the runner takes it once more, whatever its recipients' times
    /// (milliseconds since the epoch): at start for a bounce not sent or
    /// nothing left to do (what a crash between a permanent failure and its
    /// bounce leaves), at a flush, and a backoff after a bounce that could
    /// not be stored or queued.
    recover_at: Option<u64>,
    /// Bounces not made in a row: the backoff before the next doubles with
    /// them, from [`QueueSettings::minimal_backoff`] to
    /// [`QueueSettings::maximal_backoff`].
    bounce_failures: u32,
}

/// A message queued by a transaction that has not answered yet: it is
/// [`release`](Self::release)d to the runner with the `250`, or
/// [`discard`](Self::discard)ed with a failure. Dropped without either
/// (the session was cut off before its reply, so the client will send it
/// again), it is discarded.
#[derive(Debug)]
pub(crate) struct Held {
    outbound: Arc<Outbound>,
    id: String,
    settled: bool,
}

impl Held {
    /// The queue id.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The transaction succeeded: the runner may send the message.
    pub(crate) fn release(mut self) {
        self.settled = true;
        self.outbound.release(&self.id);
    }

    /// The transaction failed: the message is removed.
    pub(crate) async fn discard(mut self) {
        self.settled = true;
        self.outbound.discard(&self.id).await;
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        tracing::info!(id = %self.id, "queue: the transaction ended without a reply; discarded");
        self.outbound.lock().remove(&self.id);
        if let Err(e) = self.outbound.dir.remove(&self.id) {
            tracing::warn!(error = %e, "queue: cannot remove a discarded message");
        }
    }
}

/// The queue as the server's sessions and the runner share it.
#[derive(Debug)]
pub(crate) struct Outbound {
    settings: QueueSettings,
    dir: QueueDir,
    entries: Mutex<HashMap<String, Entry>>,
    wake: Notify,
    hostname: String,
}

impl Outbound {
    /// Opens the queue directory, clears what a crash left, and loads what
    /// is queued.
    pub(crate) fn open(mut settings: QueueSettings, hostname: &str) -> std::io::Result<Self> {
        let dir = QueueDir::open(&settings.dir, settings.fsync)?;
        let mut entries = HashMap::new();
        for message in dir.scan()? {
            tracing::info!(id = %message.id, from = %message.from, "queue: message found at start");
            let recover = message.is_bouncing() || message.is_settled();
            entries.insert(
                message.id.clone(),
                Entry {
                    message,
                    busy: false,
                    held: false,
                    recover_at: recover.then_some(0),
                    bounce_failures: 0,
                },
            );
        }
        if let Ok(host) = smtp_proto::Host::try_from(hostname.to_owned()) {
            settings.client.hostname = host;
        }
        Ok(Self {
            settings,
            dir,
            entries: Mutex::new(entries),
            wake: Notify::new(),
            hostname: hostname.to_owned(),
        })
    }

    /// Queues `message` from `from` (a reverse path, `<>` for a bounce) to
    /// `recipients` (forward paths), durably, under `id` or a variant of it
    /// if that is taken. It is held until [`Held::release`]d.
    pub(crate) async fn enqueue(
        self: &Arc<Self>,
        id: &str,
        from: String,
        recipients: Vec<String>,
        message: Bytes,
    ) -> std::io::Result<Held> {
        let now = now_ms();
        let id = self.fresh_id(id);
        let queued = QueuedMessage {
            id: id.clone(),
            from,
            arrival: now,
            recipients: recipients
                .into_iter()
                .map(|path| QueuedRecipient {
                    path,
                    state: RecipientState::Pending,
                    attempts: 0,
                    next_attempt: now,
                    last: None,
                })
                .collect(),
        };
        self.lock().insert(
            id.clone(),
            Entry {
                message: queued.clone(),
                busy: false,
                held: true,
                recover_at: None,
                bounce_failures: 0,
            },
        );
        let dir = self.dir.clone();
        let written = tokio::task::spawn_blocking(move || {
            dir.write_message(&queued.id, &message)?;
            dir.write_envelope(&queued)
        })
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        if let Err(e) = written {
            self.lock().remove(&id);
            let _ = self.dir.remove(&id);
            return Err(e);
        }
        Ok(Held {
            outbound: self.clone(),
            id,
            settled: false,
        })
    }

    /// The transaction that queued `id` answered `250`: the runner may send
    /// it.
    fn release(&self, id: &str) {
        if let Some(entry) = self.lock().get_mut(id) {
            entry.held = false;
        }
        self.wake.notify_one();
    }

    /// The transaction that queued `id` failed after all: it is removed.
    async fn discard(&self, id: &str) {
        self.lock().remove(id);
        let dir = self.dir.clone();
        let id = id.to_owned();
        let removed = tokio::task::spawn_blocking(move || dir.remove(&id)).await;
        if let Ok(Err(e)) = removed {
            tracing::warn!(error = %e, "queue: cannot remove a discarded message");
        }
    }

    /// A delivery task let go of `id` without finishing its round.
    fn unbusy(&self, id: &str) {
        if let Some(entry) = self.lock().get_mut(id) {
            entry.busy = false;
        }
    }

    /// The resolver the settings name, or the system's.
    pub(crate) fn resolver(&self) -> Arc<dyn MxResolver> {
        if let Some(resolver) = &self.settings.resolver {
            return resolver.clone();
        }
        match SystemResolver::new() {
            Ok(resolver) => Arc::new(resolver),
            Err(e) => {
                tracing::warn!(error = %e, "queue: no DNS resolver; MX lookups fail for now");
                Arc::new(route::Unavailable(e.to_string()))
            }
        }
    }

    fn fresh_id(&self, id: &str) -> String {
        let entries = self.lock();
        let taken = |candidate: &str| {
            entries.contains_key(candidate) || self.dir.message_path(candidate).exists()
        };
        if !taken(id) {
            return id.to_owned();
        }
        (1u32..)
            .map(|n| format!("{id}-{n}"))
            .find(|c| !taken(c))
            .unwrap_or_else(|| id.to_owned())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while the lock was held cannot leave the map half
        // changed: every change is one insert, remove or field write.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_message_is_released_discarded_or_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let outbound =
            Arc::new(Outbound::open(QueueSettings::new(dir.path()), "mx.a.test").unwrap());
        let queue = |o: &Outbound| {
            let mut ids: Vec<(String, bool)> = o
                .lock()
                .iter()
                .map(|(id, e)| (id.clone(), e.held))
                .collect();
            ids.sort();
            ids
        };
        rt.block_on(async {
            let enqueue = |id: &'static str| {
                outbound.enqueue(
                    id,
                    "<a@a.test>".into(),
                    vec!["<b@b.test>".into()],
                    "x".into(),
                )
            };
            let released = enqueue("A").await.unwrap();
            let discarded = enqueue("B").await.unwrap();
            let dropped = enqueue("C").await.unwrap();
            // The same id again: another name, not the first's files.
            let again = enqueue("A").await.unwrap();
            assert_eq!(again.id(), "A-1");
            assert_eq!(list_queue(dir.path()).unwrap().len(), 4);
            released.release();
            discarded.discard().await;
            drop(dropped);
            again.release();
        });
        assert_eq!(
            queue(&outbound),
            [("A".into(), false), ("A-1".into(), false)]
        );
        let on_disk: Vec<String> = list_queue(dir.path())
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(on_disk, ["A", "A-1"]);
        // A restart finds what was queued.
        drop(outbound);
        let reopened = Outbound::open(QueueSettings::new(dir.path()), "mx.a.test").unwrap();
        assert_eq!(
            queue(&reopened),
            [("A".into(), false), ("A-1".into(), false)]
        );
    }

    #[test]
    fn backoff_doubles_between_postfix_limits() {
        let s = QueueSettings::new("q");
        let secs: Vec<u64> = (1..=7).map(|n| s.backoff(n).as_secs()).collect();
        // 300, 600, 1200, 2400, then maximal_backoff_time.
        assert_eq!(secs, [300, 600, 1200, 2400, 4000, 4000, 4000]);
        assert_eq!(s.backoff(0).as_secs(), 300);
        assert_eq!(s.backoff(u32::MAX).as_secs(), 4000);
        assert_eq!(s.lifetime.as_secs(), 432_000);
        let mut short = QueueSettings::new("q");
        short.minimal_backoff = Duration::from_millis(100);
        short.maximal_backoff = Duration::from_millis(250);
        let ms: Vec<u128> = (1..=4).map(|n| short.backoff(n).as_millis()).collect();
        assert_eq!(ms, [100, 200, 250, 250]);
    }
}
