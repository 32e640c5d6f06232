//! A mail transaction as the driver keeps it: the sender, the accepted
//! recipients and the users they resolved to, and the message, built in
//! one buffer with the `Received:` field in front.

use bytes::{Bytes, BytesMut};
use mailbox_traits::{InternalDate, StoreError, UserId};
use smtp_proto::ReversePath;
use smtp_proto::server::{RcptId, TxnId};

/// The most octets reserved up front for a message whose `SIZE=` the
/// client declared: a lying client cannot make the server allocate more
/// before it sends the octets.
const MAX_RESERVE: u64 = 1 << 20;

/// One transaction, from MAIL to the end of its message.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub(crate) txn: TxnId,
    pub(crate) from: ReversePath<'static>,
    /// `SIZE=` from MAIL, if given (RFC 1870): a hint for the buffer.
    size_hint: Option<u64>,
    /// Accepted recipients: the machine's id, the path as sent, the user.
    recipients: Vec<(RcptId, String, UserId)>,
    /// Accepted recipients in other domains, for the outbound queue: the
    /// path as sent.
    remote: Vec<String>,
    /// The message so far, trace field first; `None` until the first
    /// octets (the trace field is written then).
    message: Option<BytesMut>,
    /// When the message began to arrive.
    date: Option<InternalDate>,
    /// Its queue id, once it began.
    id: String,
    /// The length of the trace field at the message's start.
    trace_len: usize,
}

impl Incoming {
    pub(crate) fn new(txn: TxnId, from: ReversePath<'static>, size_hint: Option<u64>) -> Self {
        Self {
            txn,
            from,
            size_hint,
            recipients: Vec::new(),
            remote: Vec::new(),
            message: None,
            date: None,
            id: String::new(),
            trace_len: 0,
        }
    }

    /// A recipient the policy accepted.
    pub(crate) fn add_recipient(&mut self, id: RcptId, path: String, user: UserId) {
        self.recipients.push((id, path, user));
    }

    /// A recipient in another domain, for the outbound queue; one already
    /// in the transaction is kept once, as Postfix's cleanup drops
    /// duplicates (the client still gets its 250).
    pub(crate) fn add_remote(&mut self, path: String) {
        if !self.remote.iter().any(|p| same_address(p, &path)) {
            self.remote.push(path);
        }
    }

    /// The recipients for the outbound queue, in order.
    pub(crate) fn remote(&self) -> &[String] {
        &self.remote
    }

    /// The path of the only recipient, for the trace field's `for`.
    pub(crate) fn single_recipient(&self) -> Option<&str> {
        match (self.recipients.as_slice(), self.remote.as_slice()) {
            ([(_, path, _)], []) => Some(path),
            ([], [path]) => Some(path),
            _ => None,
        }
    }

    /// How many recipients were accepted.
    pub(crate) fn recipient_count(&self) -> usize {
        self.recipients.len() + self.remote.len()
    }

    /// Whether the message has begun (its trace field is written).
    pub(crate) fn started(&self) -> bool {
        self.message.is_some()
    }

    /// The length of the trace field written at [`start`](Self::start).
    pub(crate) fn trace_len(&self) -> usize {
        self.trace_len
    }

    /// The queue id given at [`start`](Self::start).
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// Begins the message `id` at `date` with its trace field, written by
    /// `trace` into a buffer sized for what the client announced.
    pub(crate) fn start(
        &mut self,
        date: InternalDate,
        id: String,
        trace: impl FnOnce(&mut BytesMut),
    ) {
        let reserve = self.size_hint.unwrap_or(0).min(MAX_RESERVE);
        let mut message = BytesMut::with_capacity(512 + usize::try_from(reserve).unwrap_or(0));
        trace(&mut message);
        self.trace_len = message.len();
        self.message = Some(message);
        self.date = Some(date);
        self.id = id;
    }

    /// The next octets of the body. The machine hands out no more than its
    /// size limit, so the buffer is bounded by it.
    pub(crate) fn extend(&mut self, data: &[u8]) {
        if let Some(message) = &mut self.message {
            message.extend_from_slice(data);
        }
    }

    /// The message, whole, and when it arrived; the transaction keeps its
    /// recipients for the results.
    pub(crate) fn take_message(&mut self) -> (Bytes, InternalDate) {
        let message = self.message.take().unwrap_or_default().freeze();
        (message, self.date.unwrap_or_else(InternalDate::now))
    }

    /// The users to deliver to, each once, in the order first named.
    pub(crate) fn users(&self) -> Vec<UserId> {
        let mut users: Vec<UserId> = Vec::with_capacity(self.recipients.len());
        let mut seen = std::collections::HashSet::with_capacity(self.recipients.len());
        for (_, _, user) in &self.recipients {
            if seen.insert(user) {
                users.push(user.clone());
            }
        }
        users
    }

    /// Each recipient with the outcome of the delivery to its user:
    /// `outcomes` in the order of [`users`](Self::users); a user without
    /// one counts as a temporary failure.
    pub(crate) fn results<'a>(
        &'a self,
        users: &'a [UserId],
        outcomes: &'a [Result<(), Failure>],
    ) -> impl Iterator<Item = (RcptId, &'a str, Result<(), Failure>)> + 'a {
        self.recipients.iter().map(move |(id, path, user)| {
            let outcome = users
                .iter()
                .position(|u| u == user)
                .and_then(|i| outcomes.get(i).copied())
                .unwrap_or(Err(Failure::Temporary));
            (*id, path.as_str(), outcome)
        })
    }
}

/// Why a delivery to one user failed, as far as the reply cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The user's quota is full.
    OverQuota,
    /// The user is gone since the recipient was accepted.
    NoSuchUser,
    /// Anything else: the client should try again later.
    Temporary,
}

impl From<&StoreError> for Failure {
    fn from(e: &StoreError) -> Self {
        match e {
            StoreError::OverQuota => Self::OverQuota,
            StoreError::NoSuchUser | StoreError::NoSuchMailbox => Self::NoSuchUser,
            _ => Self::Temporary,
        }
    }
}

/// Whether two paths (`<local@domain>`) name the same mailbox: the local
/// part compared exactly (RFC 5321 §2.4: only its owner may fold case),
/// the domain without regard to case.
fn same_address(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((local_a, domain_a)), Some((local_b, domain_b))) => {
            local_a == local_b && domain_a.eq_ignore_ascii_case(domain_b)
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use smtp_proto::server::{Event, Options, Server};

    /// A machine in a transaction, and its id: ids come from machines.
    fn transaction() -> (Server, TxnId) {
        let mut server = Server::new(Options::default(), std::time::Instant::now());
        let mut out = BytesMut::new();
        for line in [&b"EHLO c\r\n"[..], b"MAIL FROM:<>\r\n"] {
            server.handle_input(line);
            while server.poll_transmit(&mut out) > 0 {}
        }
        let txn = std::iter::from_fn(|| server.poll_event())
            .find_map(|e| match e {
                Event::MailRequested { txn, .. } => Some(txn),
                _ => None,
            })
            .unwrap();
        server.accept_mail(txn).unwrap();
        (server, txn)
    }

    fn incoming() -> Incoming {
        Incoming::new(transaction().1, ReversePath::Null, Some(u64::MAX))
    }

    fn rcpt_ids(n: usize) -> Vec<RcptId> {
        let (mut server, _) = transaction();
        let mut out = BytesMut::new();
        let mut ids = Vec::new();
        while ids.len() < n {
            server.handle_input(b"RCPT TO:<a@b>\r\n");
            while server.poll_transmit(&mut out) > 0 {}
            while let Some(event) = server.poll_event() {
                if let Event::RcptRequested { id, .. } = event {
                    ids.push(id);
                    server.accept_rcpt(id).unwrap();
                }
            }
        }
        ids
    }

    #[test]
    fn a_remote_recipient_is_queued_once() {
        let mut t = incoming();
        t.add_remote("<carol@c.test>".into());
        t.add_remote("<carol@C.Test>".into());
        t.add_remote("<Carol@c.test>".into());
        t.add_remote("<carol@c.test>".into());
        t.add_remote("<\"a@b\"@c.test>".into());
        t.add_remote("<\"a@b\"@C.TEST>".into());
        assert_eq!(
            t.remote(),
            ["<carol@c.test>", "<Carol@c.test>", "<\"a@b\"@c.test>"]
        );
        assert_eq!(t.recipient_count(), 3);
    }

    #[test]
    fn message_is_one_buffer_with_the_trace_first() {
        let mut t = incoming();
        assert!(!t.started());
        let date = InternalDate::from_unix(1_700_000_000).unwrap();
        t.start(date, "A1".into(), |out| {
            out.extend_from_slice(b"Received: x\r\n")
        });
        assert_eq!(t.id(), "A1");
        assert_eq!(t.trace_len(), 13);
        assert!(t.started());
        t.extend(b"Subject: a\r\n");
        t.extend(b"\r\nbody\r\n");
        let (message, when) = t.take_message();
        assert_eq!(&message[..], b"Received: x\r\nSubject: a\r\n\r\nbody\r\n");
        assert_eq!(when, date);
    }

    #[test]
    fn users_are_delivered_once_and_results_fan_out() {
        let mut t = incoming();
        let ids = rcpt_ids(3);
        let (alice, bob) = (UserId::new("alice"), UserId::new("bob"));
        t.add_recipient(ids[0], "<alice@a.test>".into(), alice.clone());
        assert_eq!(t.single_recipient(), Some("<alice@a.test>"));
        t.add_recipient(ids[1], "<bob@a.test>".into(), bob.clone());
        t.add_recipient(ids[2], "<Alice@b.test>".into(), alice.clone());
        assert_eq!(t.single_recipient(), None);
        assert_eq!(t.recipient_count(), 3);
        t.add_remote("<carol@elsewhere.test>".into());
        assert_eq!(t.recipient_count(), 4);
        assert_eq!(t.remote(), ["<carol@elsewhere.test>"]);
        let users = t.users();
        assert_eq!(users, [alice, bob]);
        let outcomes = [Ok(()), Err(Failure::OverQuota)];
        let out: Vec<_> = t
            .results(&users, &outcomes)
            .map(|(id, path, outcome)| (id, path.to_owned(), outcome))
            .collect();
        assert_eq!(
            out,
            [
                (ids[0], "<alice@a.test>".to_owned(), Ok(())),
                (ids[1], "<bob@a.test>".to_owned(), Err(Failure::OverQuota)),
                (ids[2], "<Alice@b.test>".to_owned(), Ok(())),
            ]
        );
        // A store that answered for fewer users than asked.
        let short = [Ok(())];
        let missing: Vec<_> = t.results(&users, &short).map(|(_, _, o)| o).collect();
        assert_eq!(missing, [Ok(()), Err(Failure::Temporary), Ok(())]);
        assert_eq!(Failure::from(&StoreError::NoSuchUser), Failure::NoSuchUser);
        assert_eq!(
            Failure::from(&StoreError::Io(std::io::ErrorKind::Other.into())),
            Failure::Temporary
        );
    }
}
