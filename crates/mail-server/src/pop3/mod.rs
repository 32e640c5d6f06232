//! The POP3 session driver: pop3-proto's server machine over each user's
//! INBOX.
//!
//! What the machine asks, answered from the store:
//!
//! - a login: the [`Authenticator`] checks it (a failure waits
//!   [`Settings::auth_failure_delay`](crate::Settings) before its reply), the
//!   server takes the user's maildrop lock (`-ERR [IN-USE]` if another POP3
//!   session has it), and a snapshot of INBOX becomes the listing, with
//!   sizes as stored (CRLF octets) and UIDL from UID and UIDVALIDITY;
//! - RETR and TOP: the message's [`Bytes`](bytes::Bytes) from the store,
//!   handed to the machine without a copy;
//! - QUIT: the messages marked by DELE are expunged by UID, and only then
//!   does the client get `+OK`. A session that ends any other way expunges
//!   nothing (RFC 1939 §6);
//! - `\Seen`: as Dovecot (`pop3_no_flag_updates = no`), a RETR marks its
//!   message read at the end of the session, in one store update: at QUIT
//!   for the messages not deleted, and also when the connection drops,
//!   since the client did download them (TOP marks nothing);
//! - STLS: the driver upgrades the socket.

mod lock;
mod maildrop;

use std::sync::Arc;
use std::time::Instant;

use futures::future::BoxFuture;
use mailbox_traits::{
    Access, Account, Authenticator, Flag, FlagOp, Flags, MailStore, Mailbox, MailboxName, Password,
    Snapshot, StoreError, Uid, UserId,
};
use pop3_proto::MessageNumber;
use pop3_proto::server::{BodyFailure, Credentials, Event, LoginFailure, Server};
use tracing::{debug, info, warn};

use crate::connection::Connection;
use crate::driver::{self, End, Handler, Step};
use crate::login::{Attempt, Verdict};
use crate::server::Shared;

use lock::Pop3Lock;
pub(crate) use lock::Pop3Locks;

driver::machine_by_bytes!(Server, Event);

/// The driver's entry point for one accepted connection.
pub(crate) fn serve<S: MailStore, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    conn: Connection,
) -> BoxFuture<'static, ()> {
    Box::pin(session(shared, conn))
}

async fn session<S: MailStore, A: Authenticator>(shared: Arc<Shared<S, A>>, mut conn: Connection) {
    let mut options = shared.settings.pop3.clone();
    options.implicit_tls = conn.is_tls();
    options.stls &= shared.tls.is_some() && !conn.is_tls();
    options.allow_plaintext_without_tls = shared
        .settings
        .plaintext_auth
        .allows_without_tls(conn.peer().ip());
    // No APOP: it needs each user's password in the clear, and the users
    // have argon2 hashes; the greeting carries no timestamp.
    let mut machine = Server::new(options, Instant::now());
    let limits = shared.driver_limits();
    let tls = shared.tls.clone();
    debug!(local = %conn.local(), tls = conn.is_tls(), "connected");
    let mut handler = Pop3Handler {
        shared,
        maildrop: None,
        stats: Stats::default(),
    };
    let end = driver::drive(&mut conn, &mut machine, &mut handler, tls.as_ref(), &limits).await;
    // A session that ended without UPDATE still marks what it downloaded
    // (Dovecot's client_destroy does the same).
    handler.mark_seen(&[]).await;
    let how = End::describe(&end);
    // One line per session, as Dovecot's "Disconnected: Logged out
    // top=0/0, retr=1/120, del=0/1".
    let s = &handler.stats;
    match &handler.maildrop {
        Some(drop) => info!(
            user = %drop.user, end = %how, retr = s.retr, retr_octets = s.retr_octets,
            top = s.top, deleted = s.deleted, "session ended"
        ),
        None => debug!(end = %how, "session ended before login"),
    }
}

/// What a session did, for its last log line.
#[derive(Debug, Default)]
struct Stats {
    retr: u32,
    retr_octets: u64,
    top: u32,
    /// Messages expunged at QUIT.
    deleted: usize,
}

/// The logged-in user's INBOX, as the session sees it.
struct OpenMaildrop<M> {
    user: UserId,
    mailbox: M,
    /// The UID of message number `n` at index `n - 1`.
    uids: Vec<Uid>,
    /// Whether message `n` has `\Seen` (as of login, or set since).
    seen: Vec<bool>,
    /// Messages RETR'd that are to get `\Seen` at the end of the session.
    retrieved: Vec<Uid>,
    _lock: Pop3Lock,
}

type MailboxOf<S> = <<S as MailStore>::Account as Account>::Mailbox;

struct Pop3Handler<S: MailStore, A> {
    shared: Arc<Shared<S, A>>,
    maildrop: Option<OpenMaildrop<MailboxOf<S>>>,
    stats: Stats,
}

impl<S: MailStore, A: Authenticator> Handler<Server> for Pop3Handler<S, A> {
    async fn on_event(&mut self, machine: &mut Server, event: Event) -> Step {
        let answered = match event {
            Event::LoginRequested { credentials } => self.login(machine, credentials).await,
            Event::SaslStarted { .. } | Event::SaslResponseReceived { .. } => {
                // Only PLAIN is offered, and the machine decodes it itself.
                machine.login_failed(LoginFailure::InvalidCredentials)
            }
            Event::TlsRequested => {
                debug!("STLS: starting TLS");
                return Step::StartTls;
            }
            Event::BodyRequested { message, lines } => self.body(machine, message, lines).await,
            Event::UpdateRequested { deleted } => self.update(machine, &deleted).await,
            Event::Reset => {
                // Dovecot's RSET forgets the session's \Seen marks too.
                if let Some(drop) = &mut self.maildrop {
                    drop.retrieved.clear();
                }
                Ok(())
            }
            Event::CommandRejected { reply } => {
                debug!(%reply, "command rejected");
                Ok(())
            }
            Event::Closed { reason } => {
                debug!(?reason, "POP3 session closed");
                Ok(())
            }
            _ => Ok(()),
        };
        driver::log_refused("POP3", answered);
        Step::Continue
    }
}

impl<S: MailStore, A: Authenticator> Pop3Handler<S, A> {
    async fn login(
        &mut self,
        machine: &mut Server,
        credentials: Credentials,
    ) -> Result<(), pop3_proto::ServerError> {
        let attempt = match credentials {
            Credentials::User { user, password } => Attempt::Password {
                login: user,
                password: Password::new(password.into_inner()),
            },
            Credentials::Plain {
                authzid,
                authcid,
                password,
            } => Attempt::Plain {
                authzid,
                authcid,
                password: Password::new(password.into_inner()),
            },
            Credentials::Apop { user, .. } => Attempt::Unverifiable { login: user },
            _ => Attempt::Unverifiable {
                login: String::new(),
            },
        };
        let user = match self.shared.verify(attempt).await {
            Verdict::User(user) => user,
            Verdict::Refused => return machine.login_failed(LoginFailure::InvalidCredentials),
            Verdict::Unavailable => return machine.login_failed(LoginFailure::TemporaryFailure),
        };
        let Some(lock) = self.shared.pop3_locks.try_lock(&user) else {
            info!(%user, "login refused: maildrop in use");
            return machine.login_failed(LoginFailure::InUse);
        };
        match self.open(&user).await {
            Ok((mailbox, listing, snapshot)) => {
                let (uids, seen) = snapshot
                    .messages
                    .iter()
                    .map(|m| (m.uid, m.flags.is_seen()))
                    .unzip();
                info!(%user, messages = listing.len(), octets = listing.size(), "logged in");
                self.maildrop = Some(OpenMaildrop {
                    user,
                    mailbox,
                    uids,
                    seen,
                    retrieved: Vec::new(),
                    _lock: lock,
                });
                machine.login_succeeded(listing)
            }
            Err(e) => {
                warn!(%user, error = %e, "cannot open the maildrop");
                machine.login_failed(if e.is_temporary() {
                    LoginFailure::TemporaryFailure
                } else {
                    LoginFailure::PermanentFailure
                })
            }
        }
    }

    async fn open(
        &self,
        user: &UserId,
    ) -> Result<(MailboxOf<S>, pop3_proto::server::Maildrop, Snapshot), StoreError> {
        let account = self.shared.store.account(user).await?;
        let mailbox = account.open_mailbox(&MailboxName::inbox()).await?;
        // Read-only: POP3 claims no \Recent, so IMAP clients still see new mail as new.
        let snapshot = mailbox.snapshot(Access::ReadOnly).await?;
        let listing = maildrop::listing(&snapshot);
        Ok((mailbox, listing, snapshot))
    }

    async fn body(
        &mut self,
        machine: &mut Server,
        message: MessageNumber,
        lines: Option<u64>,
    ) -> Result<(), pop3_proto::ServerError> {
        let Some(drop) = &mut self.maildrop else {
            return machine.body_failed(BodyFailure::TemporaryFailure);
        };
        let index = message.index();
        let Some(&uid) = drop.uids.get(index) else {
            return machine.body_failed(BodyFailure::Expunged);
        };
        match drop.mailbox.read(uid).await {
            Ok(bytes) => {
                debug!(%message, %uid, octets = bytes.len(), top = ?lines, "sending message");
                match lines {
                    None => {
                        self.stats.retr += 1;
                        self.stats.retr_octets += bytes.len() as u64;
                    }
                    Some(_) => self.stats.top += 1,
                }
                machine.send_body(bytes)?;
                // RETR marks the message read, at the end of the session;
                // TOP does not. A message read before costs no update.
                if lines.is_none() && !drop.seen[index] {
                    drop.seen[index] = true;
                    drop.retrieved.push(uid);
                }
                Ok(())
            }
            Err(StoreError::NoSuchMessage) => {
                info!(%message, %uid, "message expunged by another session");
                machine.body_failed(BodyFailure::Expunged)
            }
            Err(e) => {
                warn!(%message, %uid, error = %e, "cannot read the message");
                machine.body_failed(BodyFailure::TemporaryFailure)
            }
        }
    }

    async fn update(
        &mut self,
        machine: &mut Server,
        deleted: &[MessageNumber],
    ) -> Result<(), pop3_proto::ServerError> {
        let Some(drop) = &self.maildrop else {
            return machine.update_succeeded();
        };
        let uids: Vec<Uid> = deleted
            .iter()
            .filter_map(|n| drop.uids.get(n.index()).copied())
            .collect();
        self.mark_seen(&uids).await;
        let Some(drop) = &self.maildrop else {
            return machine.update_succeeded();
        };
        if uids.is_empty() {
            return machine.update_succeeded();
        }
        match drop.mailbox.expunge(&uids).await {
            Ok(expunged) => {
                self.stats.deleted = expunged.uids.len();
                debug!(deleted = self.stats.deleted, "QUIT: messages deleted");
                machine.update_succeeded()
            }
            Err(e) => {
                warn!(user = %drop.user, error = %e, "QUIT: expunge failed");
                machine.update_failed()
            }
        }
    }

    /// Sets `\Seen` on the messages RETR'd in this session, but those in
    /// `deleted`, in one store update; then forgets them.
    async fn mark_seen(&mut self, deleted: &[Uid]) {
        let Some(drop) = &mut self.maildrop else {
            return;
        };
        let mut uids = std::mem::take(&mut drop.retrieved);
        uids.retain(|uid| !deleted.contains(uid));
        if uids.is_empty() {
            return;
        }
        uids.sort_unstable();
        let seen = Flags::from([Flag::Seen]);
        match drop
            .mailbox
            .update_flags(&uids, FlagOp::Add, &seen, None)
            .await
        {
            Ok(_) => debug!(messages = uids.len(), "downloaded messages marked \\Seen"),
            // Gone meanwhile (another session's expunge) or unwritable: the
            // mail itself is safe; the flag is lost.
            Err(e) => warn!(user = %drop.user, error = %e, "cannot set \\Seen"),
        }
    }
}
