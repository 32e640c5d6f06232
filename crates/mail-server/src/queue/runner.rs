//! The queue runner: picks up the recipients that are due, sends each
//! destination one transaction, records every outcome durably, and
//! bounces what failed for good.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use mailbox_traits::{Authenticator, InternalDate, LocalDelivery, MailStore};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{Instrument, debug, info, info_span, warn};

use super::dsn::Bounce;
use super::files::{Attempt, QueuedMessage, RecipientState};
use super::route::{self, Destination, Hop, MxResolver};
use super::send::{self, Session};
use super::{FLUSH_FILE, Outbound, now_ms};
use crate::server::Shared;

/// Sessions per destination and round: recipients one server defers go to
/// the next host once, as Postfix's `smtp_mx_session_limit` (2) allows.
const MX_SESSION_LIMIT: usize = 2;

/// What a delivery task needs besides the shared server state.
struct Runner<S, A> {
    shared: Arc<Shared<S, A>>,
    outbound: Arc<Outbound>,
    resolver: Arc<dyn MxResolver>,
    tls: Arc<rustls::ClientConfig>,
    /// One semaphore per destination domain.
    limits: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Deliveries in flight over all destinations
    /// ([`QueueSettings::delivery_concurrency`](super::QueueSettings::delivery_concurrency)).
    deliveries: Semaphore,
}

/// Starts the runner on `tasks`: it stops picking up messages when `stop`
/// is cancelled; deliveries under way finish, or are dropped (their
/// recipients left pending) when `close` is.
pub(crate) fn spawn_runner<S: MailStore + LocalDelivery, A: Authenticator>(
    shared: Arc<Shared<S, A>>,
    stop: CancellationToken,
    close: CancellationToken,
    tasks: &TaskTracker,
) -> Result<(), crate::Error> {
    let Some(outbound) = shared.outbound.clone() else {
        return Ok(());
    };
    let tls = super::tls::client_config(&outbound.settings.tls)
        .map_err(|e| crate::Error::Tls(e.to_string()))?;
    let resolver = outbound.resolver();
    let deliveries = Semaphore::new(outbound.settings.delivery_concurrency.max(1));
    let runner = Arc::new(Runner {
        shared,
        outbound,
        resolver,
        tls,
        limits: Mutex::new(HashMap::new()),
        deliveries,
    });
    let tracker = tasks.clone();
    tasks.spawn(async move { runner.run(stop, close, tracker).await });
    Ok(())
}

impl<S: MailStore + LocalDelivery, A: Authenticator> Runner<S, A> {
    async fn run(
        self: Arc<Self>,
        stop: CancellationToken,
        close: CancellationToken,
        tasks: TaskTracker,
    ) {
        let interval = self.outbound.settings.scan_interval;
        loop {
            self.check_flush();
            for message in self.take_due() {
                let span = info_span!("delivery", id = %message.id);
                let runner = self.clone();
                let close = close.clone();
                tasks.spawn(
                    async move {
                        let id = message.id.clone();
                        let delivery = async {
                            // The body is read only with a slot.
                            match runner.deliveries.acquire().await {
                                Ok(_slot) => runner.deliver(message).await,
                                Err(_) => runner.outbound.unbusy(&message.id),
                            }
                        };
                        tokio::select! {
                            () = delivery => {}
                            () = close.cancelled() => {
                                info!("shutdown: delivery cut off, recipients left pending");
                                runner.outbound.unbusy(&id);
                            }
                        }
                    }
                    .instrument(span),
                );
            }
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = self.outbound.wake.notified() => {}
                () = stop.cancelled() => break,
            }
        }
        debug!("queue runner stopped");
    }

    /// A `flush` file in the queue directory: every pending recipient is
    /// due now.
    fn check_flush(&self) {
        let flag = self.outbound.dir.path().join(FLUSH_FILE);
        if std::fs::remove_file(&flag).is_ok() {
            info!("queue flush requested");
            for entry in self.outbound.lock().values_mut() {
                for r in &mut entry.message.recipients {
                    r.next_attempt = 0;
                }
                if entry.message.is_bouncing() {
                    entry.recover_at = Some(0);
                }
            }
        }
    }

    /// The messages with a recipient due, or to recover (a bounce not
    /// sent before a crash or not stored yet), marked busy.
    fn take_due(&self) -> Vec<QueuedMessage> {
        let now = now_ms();
        let mut due = Vec::new();
        for entry in self.outbound.lock().values_mut() {
            if entry.busy || entry.held {
                continue;
            }
            let ready = entry
                .message
                .recipients
                .iter()
                .any(|r| r.state == RecipientState::Pending && r.next_attempt <= now);
            let recover = entry.recover_at.is_some_and(|at| at <= now);
            if ready || recover {
                entry.recover_at = None;
                entry.busy = true;
                due.push(entry.message.clone());
            }
        }
        due.sort_by(|a, b| a.id.cmp(&b.id));
        due
    }

    /// One delivery round for a message: each destination domain with its
    /// due recipients, then expiry, bounces, and the message's new state.
    async fn deliver(&self, mut message: QueuedMessage) {
        let path = self.outbound.dir.message_path(&message.id);
        let body = match tokio::fs::read(&path).await {
            Ok(body) => Bytes::from(body),
            Err(e) => {
                warn!(error = %e, "queue: cannot read the message file; trying later");
                let now = now_ms();
                for r in &mut message.recipients {
                    if r.state == RecipientState::Pending {
                        r.next_attempt = now + backoff_ms(&self.outbound, r.attempts.max(1));
                    }
                }
                // No original to return: a bounce due waits for a later round.
                return self.finish(message, None).await;
            }
        };
        let now = now_ms();
        let mut by_domain: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, r) in message.recipients.iter().enumerate() {
            if r.state == RecipientState::Pending && r.next_attempt <= now {
                by_domain.entry(domain_of(&r.path)).or_default().push(i);
            }
        }
        for (domain, indices) in by_domain {
            let limit = self.limit(&domain);
            let Ok(permit) = limit.acquire().await else {
                continue;
            };
            let started = Instant::now();
            let span = info_span!("attempt", %domain, rcpts = indices.len());
            let destination =
                route::destination(&self.outbound.settings, self.resolver.as_ref(), &domain)
                    .instrument(span.clone())
                    .await;
            // Recipients a server deferred go to the next host in the same
            // round, as Postfix does, up to `MX_SESSION_LIMIT` sessions.
            let mut tried = indices;
            let (mut from_hop, mut sessions) = (0, 0);
            let mut last_relay = String::new();
            loop {
                let (relay, outcomes, session) = match &destination {
                    Destination::Fail(a) => ("none".to_owned(), vec![a.clone(); tried.len()], None),
                    Destination::Hosts(hops) => {
                        self.attempt(&hops[from_hop..], &message, &tried, &body)
                            .instrument(span.clone())
                            .await
                    }
                };
                let entered = span.enter();
                let Some((session, used)) = session else {
                    if sessions > 0 {
                        // No further host took a session: the recipients
                        // stay deferred with the reply of the server that
                        // deferred them (a HELO refused here bounces nothing).
                        info!(relay = %relay, "no other host took the session");
                        log_deferred(&message, &tried, &last_relay);
                        break;
                    }
                    self.record_outcomes(&mut message, &tried, outcomes, &relay, true, false);
                    debug!(elapsed = ?started.elapsed(), "attempt done");
                    drop(entered);
                    self.record(&message).await;
                    break;
                };
                sessions += 1;
                let next_hop = from_hop + used + 1;
                let again = sessions < MX_SESSION_LIMIT
                    && matches!(&destination, Destination::Hosts(hops) if next_hop < hops.len());
                let deferred = self.record_outcomes(
                    &mut message,
                    &tried,
                    outcomes,
                    &relay,
                    sessions == 1,
                    again,
                );
                debug!(elapsed = ?started.elapsed(), "attempt done");
                drop(entered);
                // The outcomes are durable before anything else happens: QUIT
                // waits for this write.
                self.record(&message).await;
                session.close().await;
                if !again || deferred.is_empty() {
                    break;
                }
                tried = deferred;
                from_hop = next_hop;
                last_relay = relay;
            }
            drop(permit);
            self.release_limit(&domain, limit);
        }
        // Expiry: what is still pending past the queue lifetime bounces.
        let lifetime =
            u64::try_from(self.outbound.settings.lifetime.as_millis()).unwrap_or(u64::MAX);
        let now = now_ms();
        if now >= message.arrival.saturating_add(lifetime) {
            for r in &mut message.recipients {
                if r.state == RecipientState::Pending {
                    r.state = RecipientState::Bouncing;
                    let last = r.last.get_or_insert_with(|| Attempt {
                        status: "4.4.7".into(),
                        smtp: false,
                        remote: None,
                        text: "delivery time expired".into(),
                    });
                    info!(
                        "to={}, status=expired, returned to sender ({})",
                        r.path, last.text
                    );
                }
            }
        }
        self.finish(message, Some(&body)).await;
    }

    /// Applies one session's (or the destination's) `outcomes` to the
    /// recipients `tried` of `message`, logging each, and returns those
    /// deferred. `first`: the round's first, which counts toward the
    /// backoff; `again`: a deferral goes to the next host, so it is logged as
    /// that server's reply rather than as a final status.
    fn record_outcomes(
        &self,
        message: &mut QueuedMessage,
        tried: &[usize],
        outcomes: Vec<Attempt>,
        relay: &str,
        first: bool,
        again: bool,
    ) -> Vec<usize> {
        let now = now_ms();
        let delay = now.saturating_sub(message.arrival) as f64 / 1000.0;
        let mut deferred = Vec::new();
        for (&i, outcome) in tried.iter().zip(outcomes) {
            let r = &mut message.recipients[i];
            if first {
                r.attempts += 1;
            }
            let status = if outcome.is_success() {
                r.state = RecipientState::Delivered;
                "sent"
            } else if outcome.is_permanent() {
                // Failed once the sender's notice is stored (`finish`).
                r.state = RecipientState::Bouncing;
                "bounced"
            } else {
                r.next_attempt = now + backoff_ms(&self.outbound, r.attempts);
                deferred.push(i);
                if again {
                    // Not the final word: Postfix logs the reply alone.
                    info!(
                        "to={}, host {relay} said: {} ({}); trying the next host",
                        r.path, outcome.status, outcome.text,
                    );
                    r.last = Some(outcome);
                    continue;
                }
                "deferred"
            };
            info!(
                "to={}, relay={relay}, delay={delay:.2}, dsn={}, status={status} ({})",
                r.path, outcome.status, outcome.text,
            );
            r.last = Some(outcome);
        }
        deferred
    }

    /// Sends `indices` of `message` to the first host that takes a session;
    /// the session comes back with where that host is in `hops`.
    async fn attempt(
        &self,
        hops: &[Hop],
        message: &QueuedMessage,
        indices: &[usize],
        body: &Bytes,
    ) -> (String, Vec<Attempt>, Option<(Session, usize)>) {
        let settings = &self.outbound.settings;
        let paths: Vec<String> = indices
            .iter()
            .map(|&i| message.recipients[i].path.clone())
            .collect();
        let mut last = None;
        let mut relay = "none".to_owned();
        for (at, hop) in hops.iter().enumerate() {
            match Session::open(
                hop,
                &settings.client,
                &settings.tls,
                &self.tls,
                settings.connect_timeout,
            )
            .await
            {
                Ok(mut session) => {
                    let outcomes = session.send(&message.from, &paths, body.clone()).await;
                    return (session.relay.clone(), outcomes, Some((session, at)));
                }
                // A hop that refused to talk (a greeting, counted as a 4xx,
                // or HELO refused), or could not be reached: the next one is
                // tried, and the last one's failure is the outcome (a 5xx to
                // HELO from the final server bounces, as Postfix does).
                Err(failure) => {
                    info!(host = %hop.host, "{}", failure.text);
                    relay = format!("{}:{}", hop.host, hop.port);
                    last = Some(failure);
                }
            }
        }
        let failure = last
            .unwrap_or_else(|| send::local_failure("4.4.1", "no host to connect to".into(), None));
        (relay, vec![failure; indices.len()], None)
    }

    /// After a round: the bounce for the recipients that failed for good
    /// (recorded as [`Bouncing`](RecipientState::Bouncing) first, so a
    /// crash before the bounce is stored does not lose it), then those
    /// marked failed; the message is removed when nothing is left to do
    /// for it, or recorded and put back otherwise.
    async fn finish(&self, mut message: QueuedMessage, body: Option<&[u8]>) {
        let failed: Vec<usize> = (0..message.recipients.len())
            .filter(|&i| message.recipients[i].state == RecipientState::Bouncing)
            .collect();
        if !failed.is_empty() {
            // Durable before the bounce is made (an expiry has not been
            // recorded yet).
            self.record(&message).await;
            let bounced = match body {
                Some(body) => self.bounce(&message, &failed, body).await,
                None => false,
            };
            if bounced {
                for &i in &failed {
                    message.recipients[i].state = RecipientState::Failed;
                }
            }
        }
        if !message.is_settled() {
            self.record(&message).await;
            // A bounce not made is tried again after a backoff that doubles
            // as the recipients' does (the recipients still bouncing on
            // disk are also picked up at the next start).
            let bouncing = message.is_bouncing();
            if let Some(entry) = self.outbound.lock().get_mut(&message.id) {
                entry.message = message;
                entry.busy = false;
                if bouncing {
                    entry.bounce_failures = entry.bounce_failures.saturating_add(1);
                    let wait = backoff_ms(&self.outbound, entry.bounce_failures);
                    entry.recover_at = Some(now_ms().saturating_add(wait));
                } else {
                    entry.bounce_failures = 0;
                }
            }
            return;
        }
        info!(id = %message.id, "removed");
        self.outbound.lock().remove(&message.id);
        let dir = self.outbound.dir.clone();
        let id = message.id.clone();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || dir.remove(&id)).await {
            warn!(error = %e, "queue: cannot remove a delivered message");
        }
    }

    /// Writes the message's state; a failure is logged (the state on disk
    /// is then older: a recipient may be tried once more after a crash).
    async fn record(&self, message: &QueuedMessage) {
        let dir = self.outbound.dir.clone();
        let copy = message.clone();
        match tokio::task::spawn_blocking(move || dir.write_envelope(&copy)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => warn!(error = %e, "queue: cannot record delivery state"),
            Err(e) => warn!(error = %e, "queue: recording task failed"),
        }
    }

    /// Tells the sender that `failed` could not be delivered: into the
    /// sender's mailbox when it is a local user, else queued to the
    /// sender's address. Never for a bounce. `false` when the notice could
    /// not be stored or queued (it is tried again after a backoff, at a
    /// flush, and at the next start).
    async fn bounce(&self, message: &QueuedMessage, failed: &[usize], body: &[u8]) -> bool {
        if message.from == "<>" {
            info!(id = %message.id, "bounce of a bounce: dropped");
            return true;
        }
        let date = InternalDate::now();
        let dsn = Bounce {
            hostname: &self.outbound.hostname,
            message,
            failed: failed.iter().map(|&i| &message.recipients[i]).collect(),
            original: body,
            date,
        }
        .render();
        let sender = message.from.trim_start_matches('<').trim_end_matches('>');
        let settings = &self.shared.settings;
        let domain = domain_of(&message.from);
        if settings.is_local_domain(&domain) {
            let local = sender.rsplit_once('@').map_or(sender, |(l, _)| l);
            let address = format!("{local}@{domain}");
            return match self.shared.store.resolve_recipient(&address).await {
                Ok(Some(user)) => {
                    let stored = self.shared.store.deliver(dsn.into(), &[user], date).await;
                    match stored.as_ref().map(|r| r.iter().all(Result::is_ok)) {
                        Ok(true) => {
                            info!(id = %message.id, to = %message.from, "sender notified of non-delivery");
                            true
                        }
                        _ => {
                            warn!(id = %message.id, "the bounce could not be stored");
                            false
                        }
                    }
                }
                Ok(None) => {
                    warn!(id = %message.id, from = %message.from, "bounce: the local sender does not exist; dropped");
                    true
                }
                Err(e) => {
                    warn!(id = %message.id, error = %e, "bounce: the local sender cannot be looked up");
                    false
                }
            };
        }
        let bounce_id = format!("{}B", message.id);
        match self
            .outbound
            .enqueue(
                &bounce_id,
                "<>".into(),
                vec![message.from.clone()],
                dsn.into(),
            )
            .await
        {
            Ok(held) => {
                info!(id = %message.id, bounce = %held.id(), "sender notified of non-delivery (queued)");
                held.release();
                true
            }
            Err(e) => {
                warn!(id = %message.id, error = %e, "the bounce could not be queued");
                false
            }
        }
    }

    /// Forgets a destination's semaphore when no task holds it, so the map
    /// does not grow with every domain ever sent to.
    fn release_limit(&self, domain: &str, limit: Arc<Semaphore>) {
        let mut limits = self
            .limits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Clones are made under this lock: the map's and this one left.
        if Arc::strong_count(&limit) == 2 {
            limits.remove(domain);
        }
    }

    /// The semaphore that caps connections to `domain`
    /// ([`QueueSettings::destination_concurrency`](super::QueueSettings::destination_concurrency)).
    fn limit(&self, domain: &str) -> Arc<Semaphore> {
        let mut limits = self
            .limits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        limits
            .entry(domain.to_owned())
            .or_insert_with(|| {
                Arc::new(Semaphore::new(
                    self.outbound.settings.destination_concurrency.max(1),
                ))
            })
            .clone()
    }
}

/// The domain of a path, lower case.
fn domain_of(path: &str) -> String {
    path.trim_start_matches('<')
        .trim_end_matches('>')
        .rsplit_once('@')
        .map_or_else(String::new, |(_, d)| d.to_ascii_lowercase())
}

/// Logs `tried` of `message` as deferred with their last outcome, by
/// `relay`: the final word of a round whose next host took no session.
fn log_deferred(message: &QueuedMessage, tried: &[usize], relay: &str) {
    let delay = now_ms().saturating_sub(message.arrival) as f64 / 1000.0;
    for &i in tried {
        let r = &message.recipients[i];
        let (dsn, text) = r.last.as_ref().map_or(("", ""), |a| (&*a.status, &*a.text));
        info!(
            "to={}, relay={relay}, delay={delay:.2}, dsn={dsn}, status=deferred ({text})",
            r.path,
        );
    }
}

fn backoff_ms(outbound: &Outbound, attempts: u32) -> u64 {
    u64::try_from(outbound.settings.backoff(attempts).as_millis()).unwrap_or(u64::MAX)
}
