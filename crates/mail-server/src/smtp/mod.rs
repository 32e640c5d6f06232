//! The SMTP and LMTP session driver: smtp-proto's server machine, with its
//! questions answered from the store.
//!
//! What the machine asks, answered here:
//!
//! - AUTH: the credentials go to the [`Authenticator`] (PLAIN with its
//!   authorization identity, LOGIN); a failure waits
//!   [`Settings::auth_failure_delay`](crate::Settings) before its `535`.
//!   The machine offers AUTH only over TLS or where
//!   [`PlaintextAuth`](crate::PlaintextAuth) allows it without;
//! - MAIL: any sender, the null one included;
//! - RCPT: the recipient policy of [`recipients`]: local users of the local
//!   domains, no relaying;
//! - the message: its octets go into one buffer after the `Received:`
//!   field ([`trace`]); at its end [`LocalDelivery::deliver`] gets it for
//!   each user once, and the client gets `250` only when the store said
//!   every copy is durable. A failure for any recipient is `451 4.3.0` for
//!   the whole transaction in SMTP (the client tries again), and a reply per
//!   recipient in LMTP (RFC 2033 §4.2);
//! - STARTTLS: the driver upgrades the socket.

mod incoming;
mod recipients;
mod submission;
mod trace;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use bytes::BytesMut;
use futures::future::BoxFuture;
use mailbox_traits::{Authenticator, InternalDate, LocalDelivery, MailStore, Password, UserId};
use smtp_proto::server::{Credentials, Event, Options, RcptId, Server, TxnId};
use smtp_proto::{ForwardPath, Reply, ReplyCode};
use tracing::{debug, info, warn};

use crate::Settings;
use crate::connection::{Connection, Outbox};
use crate::driver::{self, End, Handler, Machine, Step};
use crate::login::{Attempt, Verdict};
use crate::server::Shared;

use incoming::{Failure, Incoming};
use recipients::{Client, Route};
pub(crate) use trace::{QueueIds, rfc5322_date};

/// smtp-proto's server, with a buffer its replies are written into and
/// handed to the connection from.
struct SmtpMachine {
    server: Server,
    out: BytesMut,
}

impl Machine for SmtpMachine {
    type Event = Event;

    fn handle_input(&mut self, data: &[u8]) {
        self.server.handle_input(data);
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.server.handle_timeout(now);
    }

    fn poll_transmit(&mut self, out: &mut Outbox) -> bool {
        if self.server.poll_transmit(&mut self.out) == 0 {
            return false;
        }
        out.push(self.out.split().freeze());
        true
    }

    fn poll_event(&mut self) -> Option<Event> {
        self.server.poll_event()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.server.poll_timeout()
    }

    fn wants_read(&self) -> bool {
        self.server.wants_read()
    }

    fn is_closed(&self) -> bool {
        self.server.is_closed()
    }

    fn tls_started(&mut self) {
        if let Err(e) = self.server.tls_established() {
            warn!(error = %e, "the SMTP machine refused the end of the TLS handshake");
        }
    }
}

/// Which service a listener gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// SMTP: mail from anyone for the local domains, relaying after AUTH.
    Smtp,
    /// Message submission (RFC 6409): AUTH before MAIL, `Date` and
    /// `Message-ID` added when missing.
    Submission,
    /// LMTP (RFC 2033).
    Lmtp,
}

/// The SMTP driver's entry point for one accepted connection.
pub(crate) fn serve_smtp<S: MailStore + LocalDelivery, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    conn: Connection,
) -> BoxFuture<'static, ()> {
    Box::pin(session(shared, conn, Mode::Smtp))
}

/// The submission driver's entry point for one accepted connection.
pub(crate) fn serve_submission<S: MailStore + LocalDelivery, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    conn: Connection,
) -> BoxFuture<'static, ()> {
    Box::pin(session(shared, conn, Mode::Submission))
}

/// The LMTP driver's entry point for one accepted connection.
pub(crate) fn serve_lmtp<S: MailStore + LocalDelivery, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    conn: Connection,
) -> BoxFuture<'static, ()> {
    Box::pin(session(shared, conn, Mode::Lmtp))
}

/// The machine's options for one connection: the configured ones (the
/// server's name set at start), with the connection's TLS state, and the
/// password policy for the client's address. LMTP takes no AUTH;
/// submission requires it before MAIL.
fn session_options(
    settings: &Settings,
    mode: Mode,
    peer: IpAddr,
    tls_configured: bool,
    tls_active: bool,
) -> Options {
    let lmtp = mode == Mode::Lmtp;
    let mut options = if lmtp {
        settings.lmtp.clone()
    } else {
        settings.smtp.clone()
    };
    options.auth_required |= mode == Mode::Submission;
    options.lmtp = lmtp;
    options.implicit_tls = tls_active;
    options.starttls &= tls_configured && !tls_active;
    options.auth_without_tls = settings.plaintext_auth.allows_without_tls(peer);
    if lmtp {
        options.auth_mechanisms.clear();
    }
    options
}

async fn session<S: MailStore + LocalDelivery, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    mut conn: Connection,
    mode: Mode,
) {
    let options = session_options(
        &shared.settings,
        mode,
        conn.peer().ip(),
        shared.tls.is_some(),
        conn.is_tls(),
    );
    let mut machine = SmtpMachine {
        server: Server::new(options, Instant::now()),
        out: BytesMut::new(),
    };
    let limits = shared.driver_limits();
    let tls = shared.tls.clone();
    debug!(local = %conn.local(), tls = conn.is_tls(), "connected");
    let mut handler = SmtpHandler {
        shared,
        peer: conn.peer(),
        lmtp: mode == Mode::Lmtp,
        submission: mode == Mode::Submission,
        user: None,
        incoming: None,
        delivered: 0,
    };
    let end = driver::drive(&mut conn, &mut machine, &mut handler, tls.as_ref(), &limits).await;
    let how = End::describe(&end);
    if let Some(t) = &handler.incoming {
        info!(from = %t.from, rcpts = t.recipient_count(), "transaction abandoned");
    }
    info!(end = %how, messages = handler.delivered, "session ended");
}

struct SmtpHandler<S, A> {
    shared: Arc<Shared<S, A>>,
    peer: SocketAddr,
    lmtp: bool,
    /// A submission listener (RFC 6409).
    submission: bool,
    /// Who authenticated, for the logs (Postfix's `sasl_username`).
    user: Option<UserId>,
    /// The open transaction.
    incoming: Option<Incoming>,
    /// Messages taken in this session.
    delivered: usize,
}

impl<S: MailStore + LocalDelivery, A: Authenticator> Handler<SmtpMachine> for SmtpHandler<S, A> {
    async fn on_event(&mut self, machine: &mut SmtpMachine, event: Event) -> Step {
        let m = &mut machine.server;
        let answered = match event {
            Event::HelloReceived { kind, host } => {
                debug!(?kind, host = ?host.as_str(), "hello");
                Ok(())
            }
            Event::AuthRequested { credentials } => self.auth(m, credentials).await,
            Event::MailRequested { txn, from, params } => {
                debug!(%txn, %from, "MAIL");
                if let Some(reply) = self.sender_not_owned(&from).await {
                    info!(%from, %reply, "MAIL refused");
                    m.reject_mail(txn, reply)
                } else {
                    self.incoming = Some(Incoming::new(txn, from, params.size));
                    m.accept_mail(txn)
                }
            }
            Event::RcptRequested { txn, id, to, .. } => self.rcpt(m, txn, id, &to).await,
            Event::BodyChunkReceived { txn, data } => {
                self.start_message(m, txn);
                if let Some(t) = &mut self.incoming {
                    t.extend(&data);
                }
                Ok(())
            }
            Event::MessageReceived { txn, size, .. } => self.deliver(m, txn, size).await,
            Event::TransactionAborted { txn, reason } => {
                if self.incoming.as_ref().is_some_and(|t| t.txn == txn) {
                    let t = self.incoming.take();
                    info!(
                        %txn, from = %t.map_or_else(String::new, |t| t.from.to_string()),
                        ?reason, "transaction aborted"
                    );
                }
                Ok(())
            }
            Event::VrfyRequested { .. } => m.vrfy_answered(Reply::from_static(
                ReplyCode::CANNOT_VRFY,
                Some(smtp_proto::EnhancedCode::OK),
                "Cannot VRFY user, but will accept message and attempt delivery",
            )),
            Event::TlsRequested => {
                debug!("STARTTLS: starting TLS");
                // RFC 3207 §4.2: the session starts over, unauthenticated.
                self.user = None;
                return Step::StartTls;
            }
            Event::CommandRejected { reply } => {
                debug!(%reply, "command rejected");
                Ok(())
            }
            Event::ImproperPipelining { after } => {
                info!(after, "improper command pipelining");
                Ok(())
            }
            Event::Closed { reason } => {
                debug!(?reason, "SMTP session closed");
                Ok(())
            }
            _ => Ok(()),
        };
        driver::log_refused("SMTP", answered);
        Step::Continue
    }
}

impl<S: MailStore + LocalDelivery, A: Authenticator> SmtpHandler<S, A> {
    async fn auth(
        &mut self,
        m: &mut Server,
        credentials: Credentials,
    ) -> Result<(), smtp_proto::ServerError> {
        let attempt = match credentials {
            Credentials::Plain {
                authzid,
                authcid,
                password,
            } => Attempt::Plain {
                authzid,
                authcid,
                password: Password::new(password.into_inner()),
            },
            Credentials::Login { username, password } => Attempt::Password {
                login: username,
                password: Password::new(password.into_inner()),
            },
            _ => Attempt::Unverifiable {
                login: String::new(),
            },
        };
        match self.shared.verify(attempt).await {
            Verdict::User(user) => {
                info!(%user, "authenticated");
                self.user = Some(user);
                m.auth_succeeded()
            }
            Verdict::Refused => m.auth_failed(Reply::AUTH_INVALID_CREDENTIALS),
            Verdict::Unavailable => m.auth_failed(Reply::AUTH_TEMPORARY_FAILURE),
        }
    }

    async fn rcpt(
        &mut self,
        m: &mut Server,
        txn: TxnId,
        id: RcptId,
        to: &ForwardPath<'static>,
    ) -> Result<(), smtp_proto::ServerError> {
        let client = Client {
            lmtp: self.lmtp,
            authenticated: m.is_authenticated(),
            outbound: self.shared.outbound.is_some(),
        };
        let route = recipients::route(&self.shared.store, &self.shared.settings, client, to).await;
        match (route, &mut self.incoming) {
            (Route::Local(user), Some(t)) if t.txn == txn => {
                debug!(rcpt = %to, %user, "RCPT accepted");
                t.add_recipient(id, to.to_string(), user);
                m.accept_rcpt(id)
            }
            (Route::Queue, Some(t)) if t.txn == txn => {
                debug!(rcpt = %to, "RCPT accepted for the outbound queue");
                t.add_remote(to.to_string());
                m.accept_rcpt(id)
            }
            (Route::Local(_) | Route::Queue, _) => m.reject_rcpt(id, Reply::STORE_FAILED),
            (Route::Refused(reply), _) => {
                info!(rcpt = %to, %reply, "RCPT refused");
                m.reject_rcpt(id, reply)
            }
        }
    }

    /// The first octets of the message: the trace field goes first.
    fn start_message(&mut self, m: &Server, txn: TxnId) {
        let Some(t) = &mut self.incoming else {
            return;
        };
        if t.txn != txn || t.started() {
            return;
        }
        let date = InternalDate::now();
        let id = self.shared.queue_ids.next(date);
        let hello = m.hello();
        let recipient = t.single_recipient().map(str::to_owned);
        let trace = trace::Trace {
            helo: hello.map(|(_, host)| host.as_str()),
            peer: self.peer.ip(),
            hostname: &self.shared.settings.hostname,
            with: trace::with_keyword(hello.map(|(k, _)| k), m.is_tls(), m.is_authenticated()),
            id: &id,
            recipient: recipient.as_deref(),
            date,
        };
        t.start(date, id.clone(), |out| trace.write(out));
    }

    /// The message is complete: deliver it, then answer.
    async fn deliver(
        &mut self,
        m: &mut Server,
        txn: TxnId,
        size: u64,
    ) -> Result<(), smtp_proto::ServerError> {
        self.start_message(m, txn);
        let Some(mut t) = self.incoming.take().filter(|t| t.txn == txn) else {
            return m.message_stored(txn, Err(Reply::STORE_FAILED));
        };
        let (mut message, date) = t.take_message();
        if self.submission {
            let missing = submission::Missing::of(&message, t.trace_len());
            if missing.any() {
                debug!(
                    ?missing,
                    "adding the header fields an MSA adds (RFC 6409 §8)"
                );
                message = submission::add_fields(
                    &message,
                    t.trace_len(),
                    missing,
                    &rfc5322_date(date),
                    &submission::message_id_left(t.id()),
                    &self.shared.settings.hostname,
                );
            }
        }
        let octets = message.len();
        let users = t.users();
        // Other domains' recipients first: queued durably, held until the
        // local copies are durable too.
        let queued = match self.enqueue(&t, &message).await {
            Ok(queued) => queued,
            Err(()) => return m.message_stored(txn, Err(Reply::STORE_FAILED)),
        };
        let outcomes: Vec<Result<(), Failure>> = if users.is_empty() {
            Vec::new()
        } else {
            match self.shared.store.deliver(message, &users, date).await {
                Ok(results) => results
                    .iter()
                    .map(|r| r.as_ref().map(|_| ()).map_err(Failure::from))
                    .collect(),
                Err(e) => {
                    warn!(error = %e, "delivery failed");
                    vec![Err(Failure::Temporary); users.len()]
                }
            }
        };
        let id = t.id().to_owned();
        let failed: Vec<&str> = t
            .results(&users, &outcomes)
            .filter(|(_, _, o)| o.is_err())
            .map(|(_, path, _)| path)
            .collect();
        // One line per message, as Postfix's "qmgr: ID: from=<>, size=N,
        // nrcpt=N" and "status=sent".
        info!(
            %id, from = %t.from, user = self.user.as_ref().map_or("", UserId::as_str),
            rcpts = t.recipient_count(), size, octets,
            result = if failed.is_empty() { "delivered" } else { "failed" },
            failed = ?failed, "message"
        );
        if self.lmtp {
            if outcomes.iter().any(Result::is_ok) {
                self.delivered += 1;
            }
            for (rcpt, path, outcome) in t.results(&users, &outcomes) {
                let result = outcome.map_err(|f| recipients::lmtp_failure(path, f));
                m.recipient_stored(txn, rcpt, result)?;
            }
            return Ok(());
        }
        if let Some(queued) = queued {
            if failed.is_empty() {
                info!(%id, queued = %queued.id(), remote = t.remote().len(), "queued for delivery");
                queued.release();
            } else {
                queued.discard().await;
            }
        }
        if failed.is_empty() {
            self.delivered += 1;
            m.message_stored(txn, Ok(()))
        } else {
            // SMTP has one reply for the transaction: the client keeps the
            // message and tries again (RFC 5321 §4.2.5).
            m.message_stored(txn, Err(Reply::STORE_FAILED))
        }
    }
}

impl<S: MailStore + LocalDelivery, A> SmtpHandler<S, A> {
    /// With [`Settings::sender_login_match`], the refusal of a sender
    /// address in a local domain that is not the logged-in user's
    /// (Postfix's `reject_sender_login_mismatch`); the null sender passes.
    async fn sender_not_owned(&self, from: &smtp_proto::ReversePath<'_>) -> Option<Reply> {
        let user = self.user.as_ref()?;
        if !self.shared.settings.sender_login_match {
            return None;
        }
        let mailbox = from.mailbox()?;
        let address = format!(
            "{}@{}",
            mailbox.local_part_unquoted(),
            mailbox.domain().to_ascii_lowercase()
        );
        let owner = if self.shared.settings.is_local_domain(mailbox.domain()) {
            self.shared
                .store
                .resolve_recipient(&address)
                .await
                .ok()
                .flatten()
        } else {
            None
        };
        (owner.as_ref() != Some(user))
            .then(|| submission::not_owned(&from.to_string(), user.as_str()))
    }

    /// Queues the message for the transaction's recipients in other
    /// domains; `Ok(None)` when there are none. Held until released.
    async fn enqueue(
        &self,
        t: &Incoming,
        message: &bytes::Bytes,
    ) -> Result<Option<crate::queue::Held>, ()> {
        let (Some(queue), false) = (&self.shared.outbound, t.remote().is_empty()) else {
            return Ok(None);
        };
        let queued = queue
            .enqueue(
                t.id(),
                t.from.to_string(),
                t.remote().to_vec(),
                message.clone(),
            )
            .await;
        match queued {
            Ok(held) => Ok(Some(held)),
            Err(e) => {
                warn!(id = t.id(), error = %e, "cannot queue the message");
                Err(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use smtp_proto::Mechanism;

    use super::*;
    use crate::PlaintextAuth;

    #[test]
    fn options_per_connection() {
        let settings = Settings::default();
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let remote: IpAddr = "192.0.2.7".parse().unwrap();

        let o = session_options(&settings, Mode::Smtp, loopback, true, false);
        assert!(o.starttls && !o.implicit_tls && !o.lmtp);
        // Loopback counts as secure: AUTH before TLS (Dovecot's rule).
        assert!(o.auth_without_tls);
        assert_eq!(o.auth_mechanisms, [Mechanism::PLAIN, Mechanism::LOGIN]);
        // From elsewhere, passwords wait for TLS.
        let o = session_options(&settings, Mode::Smtp, remote, true, false);
        assert!(!o.auth_without_tls && o.starttls);
        // Implicit TLS: no STARTTLS to offer.
        let o = session_options(&settings, Mode::Smtp, remote, true, true);
        assert!(o.implicit_tls && !o.starttls);
        // No certificate: no STARTTLS.
        let o = session_options(&settings, Mode::Smtp, remote, false, false);
        assert!(!o.starttls);
        // TlsOnly: not even loopback.
        let strict = Settings {
            plaintext_auth: PlaintextAuth::TlsOnly,
            ..Settings::default()
        };
        assert!(!session_options(&strict, Mode::Smtp, loopback, true, false).auth_without_tls);
        // LMTP: LHLO, no AUTH.
        let o = session_options(&settings, Mode::Lmtp, loopback, true, false);
        assert!(o.lmtp && o.auth_mechanisms.is_empty());
        assert_eq!(o.greeting, "LMTP");
        assert_eq!(o.max_recipients, 1000);
        assert_eq!(o.max_message_size, 10_240_000);
        // Submission: AUTH before MAIL (RFC 6409 §4.3).
        let o = session_options(&settings, Mode::Submission, remote, true, false);
        assert!(o.auth_required && o.starttls && !o.lmtp);
        assert!(!session_options(&settings, Mode::Smtp, remote, true, false).auth_required);
    }
}
