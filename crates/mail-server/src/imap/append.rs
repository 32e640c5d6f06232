//! APPEND and MULTIAPPEND (RFC 9051 §6.3.12, RFC 3502), streamed: each
//! message is decided on before the client sends it (a missing mailbox is
//! `NO [TRYCREATE]`; the machine refuses one over the size limit with
//! `NO [TOOBIG]`), its octets are gathered as they come, up to the size
//! the client announced, and it is stored with its flags and date as soon
//! as it is whole. The answer carries APPENDUID (RFC 4315 §3). A
//! MULTIAPPEND stores all its messages or none (RFC 3502 §3): if one
//! fails, those stored before it are expunged again.

use bytes::BytesMut;
use imap_proto::server::{AppendAnnouncement, Completion, Server};
use imap_proto::types::{Code, Mailbox as WireName, Tag};
use mailbox_traits::{
    Account, Authenticator, Flags, InternalDate, MailStore, Mailbox, MailboxName, StoreError, Uid,
    UidValidity,
};
use tracing::{debug, warn};

use super::convert;
use super::session::{Session, log_refusal, store_failure};
use super::sets;

/// An APPEND being received.
pub(super) struct AppendJob<M> {
    name: MailboxName,
    mailbox: M,
    /// The message coming in, and what to store it with.
    message: BytesMut,
    flags: Flags,
    date: Option<InternalDate>,
    /// The messages stored so far, for APPENDUID (and for taking back).
    stored: Vec<Uid>,
    uid_validity: Option<UidValidity>,
    /// Why a message could not be stored: the command fails.
    failed: Option<Completion<'static>>,
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// A message announced: refused if its mailbox does not exist or its
    /// flags cannot be stored, accepted otherwise.
    pub(super) async fn append_requested(
        &mut self,
        m: &mut Server,
        tag: Tag<'static>,
        wire: &WireName<'static>,
        message: AppendAnnouncement,
    ) {
        let flags = match convert::store_flags(message.flags.as_deref().unwrap_or_default()) {
            Ok(f) => f,
            Err(e) => {
                self.take_back().await;
                let c = Completion::bad(format!("Invalid flag {}", e.0));
                return log_refusal(m.reject_append(&tag, c));
            }
        };
        let date = message.date.map(convert::internal_date);
        // `size` is at most the machine's `max_append`: a bounded buffer.
        let capacity = usize::try_from(message.size).unwrap_or(0);
        if message.index > 0
            && let Some(job) = &mut self.append
        {
            job.message = BytesMut::with_capacity(capacity);
            job.flags = flags;
            job.date = date;
            return log_refusal(m.accept_append(&tag));
        }
        let mode = m.mode();
        let opened = match (&self.account, convert::store_name(wire, mode)) {
            (Some(account), Some(name)) => account.open_mailbox(&name).await.map(|m| (name, m)),
            _ => Err(StoreError::NoSuchMailbox),
        };
        match opened {
            Ok((name, mailbox)) => {
                self.append = Some(AppendJob {
                    name,
                    mailbox,
                    message: BytesMut::with_capacity(capacity),
                    flags,
                    date,
                    stored: Vec::new(),
                    uid_validity: None,
                    failed: None,
                });
                log_refusal(m.accept_append(&tag));
            }
            Err(StoreError::NoSuchMailbox) => {
                // RFC 9051 §6.3.12: TRYCREATE when creating it would help.
                let shown = wire.name(mode).map(|n| n.into_owned()).unwrap_or_default();
                let c = Completion::no(format!("Mailbox doesn't exist: {shown}"))
                    .with_code(Code::TryCreate);
                log_refusal(m.reject_append(&tag, c));
            }
            Err(e) => log_refusal(m.reject_append(&tag, store_failure(&e))),
        }
    }

    /// Octets of the message coming in.
    pub(super) fn append_chunk(&mut self, data: &[u8]) {
        if let Some(job) = &mut self.append {
            // The machine hands over exactly the octets announced, within
            // the capacity reserved for them.
            job.message.extend_from_slice(data);
        }
    }

    /// The message is whole: store it.
    pub(super) async fn append_message_ended(&mut self) {
        let Some(job) = &mut self.append else {
            return;
        };
        if job.failed.is_some() {
            return;
        }
        let message = std::mem::take(&mut job.message).freeze();
        let date = job.date.unwrap_or_else(InternalDate::now);
        match job.mailbox.append(message, &job.flags, date).await {
            Ok(done) => {
                job.stored.push(done.uid);
                job.uid_validity = Some(done.uid_validity);
                self.stats.appended += 1;
            }
            Err(e) => {
                warn!(error = %e, "APPEND: cannot store the message");
                job.failed = Some(store_failure(&e));
            }
        }
    }

    /// The command is complete: `OK [APPENDUID ...]`, or `NO` with every
    /// message of it taken back.
    pub(super) async fn append_received(&mut self, m: &mut Server, tag: &Tag<'_>, messages: usize) {
        let Some(job) = self.append.take() else {
            return log_refusal(m.complete(tag, Completion::no("Append failed.")));
        };
        if let Some(failed) = job.failed {
            if !job.stored.is_empty()
                && let Err(e) = job.mailbox.expunge(&job.stored).await
            {
                warn!(error = %e, "MULTIAPPEND: cannot take back the messages stored");
            }
            return self.finish(m, tag, failed).await;
        }
        debug!(messages, "appended");
        // Into the selected mailbox: the view takes the new messages in
        // before the answer, so the client can use the UIDs APPENDUID
        // gives at once (the EXISTS goes out first).
        if let Some(sel) = &mut self.selected
            && sel.name == job.name
        {
            sel.catch_up().await;
        }
        let c = Completion::ok("Append completed.");
        let c = match (job.uid_validity, sets::uid_set(&job.stored)) {
            (Some(validity), Some(uids)) => c.with_code(Code::AppendUid {
                uid_validity: validity.get(),
                uids,
            }),
            _ => c,
        };
        // Appended to the selected mailbox: its EXISTS goes out first.
        self.finish(m, tag, c).await;
    }

    /// The APPEND broke off (the machine answered it): take back what it
    /// stored.
    pub(super) async fn append_aborted(&mut self) {
        self.take_back().await;
    }

    async fn take_back(&mut self) {
        if let Some(job) = self.append.take()
            && !job.stored.is_empty()
            && let Err(e) = job.mailbox.expunge(&job.stored).await
        {
            warn!(error = %e, "APPEND: cannot take back the messages stored");
        }
    }
}
