//! What a mail store is: accounts, mailboxes, messages and their changes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;
use futures::Stream;

use crate::{
    Appended, Copied, Expunged, FlagOp, Flags, FlagsUpdated, InternalDate, MailboxInfo,
    MailboxName, MailboxStatus, MessageMeta, ModSeq, Snapshot, SpecialUse, StoreError, Uid, UserId,
};

/// A mail store: the accounts of many users.
///
/// A server holds one store behind an `Arc` and opens an [`Account`] for each
/// session after login. Every method returns a `Send` future, so sessions can
/// run on a multi-threaded runtime.
pub trait MailStore: Send + Sync + 'static {
    /// One user's view of the store.
    type Account: Account;

    /// Opens the account of `user`. Each call gives an independent handle,
    /// one per session; they all see the same mailboxes.
    fn account(
        &self,
        user: &UserId,
    ) -> impl Future<Output = Result<Self::Account, StoreError>> + Send;
}

impl<S: MailStore> MailStore for Arc<S> {
    type Account = S::Account;

    fn account(
        &self,
        user: &UserId,
    ) -> impl Future<Output = Result<Self::Account, StoreError>> + Send {
        (**self).account(user)
    }
}

/// One user's mailboxes: the hierarchy, subscriptions, and opening a mailbox.
///
/// Every account has `INBOX`; it cannot be deleted. Names are
/// [`MailboxName`]s: the IMAP layer converts wire forms into them.
pub trait Account: Send + Sync + 'static {
    /// A handle on one open mailbox.
    type Mailbox: Mailbox;

    /// Every mailbox of the account, in name order.
    fn list_mailboxes(&self) -> impl Future<Output = Result<Vec<MailboxInfo>, StoreError>> + Send;

    /// Creates a mailbox, and any missing parents (RFC 9051 §6.3.4 says the
    /// server SHOULD), optionally with a special use (RFC 6154 §3).
    /// [`StoreError::AlreadyExists`] if it exists.
    fn create_mailbox(
        &self,
        name: &MailboxName,
        special_use: Option<SpecialUse>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Deletes a mailbox and its messages. INBOX cannot be deleted, nor can a
    /// mailbox with children ([`StoreError::HasChildren`], as Dovecot).
    /// Handles open on it fail from then on, and its change feeds end.
    fn delete_mailbox(
        &self,
        name: &MailboxName,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Renames a mailbox with all its children (RFC 9051 §6.3.6), creating
    /// missing parents of the new name. Whether handles open on a renamed
    /// mailbox keep working is up to the store; open it again by its new name.
    ///
    /// Renaming INBOX moves its messages into a new mailbox of the new name
    /// and leaves INBOX empty, its children where they are.
    fn rename_mailbox(
        &self,
        from: &MailboxName,
        to: &MailboxName,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Adds a name to the subscriptions (RFC 9051 §6.3.7). The mailbox need
    /// not exist.
    fn subscribe(&self, name: &MailboxName) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Removes a name from the subscriptions.
    fn unsubscribe(
        &self,
        name: &MailboxName,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The subscribed names, in name order.
    fn subscriptions(&self) -> impl Future<Output = Result<Vec<MailboxName>, StoreError>> + Send;

    /// Opens a mailbox. [`StoreError::NoSuchMailbox`] if it does not exist.
    fn open_mailbox(
        &self,
        name: &MailboxName,
    ) -> impl Future<Output = Result<Self::Mailbox, StoreError>> + Send;
}

/// Whether a view of a mailbox may change it: IMAP SELECT or EXAMINE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Read-write: the view claims the recent messages (RFC 3501 §2.3.2).
    ReadWrite,
    /// Read-only: nothing is claimed or changed by looking.
    ReadOnly,
}

/// A change to a mailbox, as its [feed](Mailbox::watch) reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// A message arrived (by delivery, append, copy or move).
    Appended(MessageMeta),
    /// A message's flags changed.
    FlagsChanged {
        /// The message.
        uid: Uid,
        /// Its flags now.
        flags: Flags,
        /// The mod-sequence of the change.
        modseq: ModSeq,
    },
    /// Messages were removed (by expunge or move).
    Expunged {
        /// The UIDs removed, ascending.
        uids: Vec<Uid>,
        /// The mod-sequence of the expunge.
        modseq: ModSeq,
    },
    /// The watcher fell behind and changes were dropped: take a new
    /// [`snapshot`](Mailbox::snapshot) and carry on from it.
    Lagged,
}

impl Change {
    /// The mod-sequence of the change; `None` for [`Change::Lagged`].
    pub fn modseq(&self) -> Option<ModSeq> {
        match self {
            Self::Appended(m) => Some(m.modseq),
            Self::FlagsChanged { modseq, .. } | Self::Expunged { modseq, .. } => Some(*modseq),
            Self::Lagged => None,
        }
    }
}

/// The changes to one mailbox, made by any session, in mod-sequence order.
/// The stream ends when the mailbox is deleted.
pub type ChangeStream = Pin<Box<dyn Stream<Item = Change> + Send>>;

/// A handle on one open mailbox.
///
/// UIDs name messages; sequence numbers are a session's business, built from
/// a [`Snapshot`] and kept up to date from the [change feed](Self::watch).
/// UIDs only ever grow within one [`UidValidity`](crate::UidValidity) and are
/// never given out twice, whatever is expunged.
pub trait Mailbox: Send + Sync + 'static {
    /// A consistent view of every message. A [`Access::ReadWrite`] view claims
    /// the messages no session has seen yet and marks them `recent`.
    fn snapshot(&self, access: Access)
    -> impl Future<Output = Result<Snapshot, StoreError>> + Send;

    /// The counts of the mailbox, without claiming anything.
    fn status(&self) -> impl Future<Output = Result<MailboxStatus, StoreError>> + Send;

    /// The whole message, exactly as stored.
    /// [`StoreError::NoSuchMessage`] if it was expunged.
    fn read(&self, uid: Uid) -> impl Future<Output = Result<Bytes, StoreError>> + Send;

    /// Stores a message with the given flags and internal date. When `Ok`
    /// returns, the message is durable and has the UID it names.
    fn append(
        &self,
        message: Bytes,
        flags: &Flags,
        internal_date: InternalDate,
    ) -> impl Future<Output = Result<Appended, StoreError>> + Send;

    /// Adds, removes or replaces flags on the messages `uids` (ascending)
    /// that exist. With `unchanged_since` (RFC 7162 §3.1.3), a message whose
    /// mod-sequence is greater is left alone and reported as modified, so
    /// `Some(0)` modifies nothing. A message whose flags end as they were
    /// keeps its mod-sequence; all that change get one new mod-sequence.
    fn update_flags(
        &self,
        uids: &[Uid],
        op: FlagOp,
        flags: &Flags,
        unchanged_since: Option<u64>,
    ) -> impl Future<Output = Result<FlagsUpdated, StoreError>> + Send;

    /// Removes exactly the messages `uids` (ascending) that exist, whatever
    /// their flags; the caller picks them (IMAP: those with `\Deleted`; POP3:
    /// those marked by DELE).
    fn expunge(&self, uids: &[Uid]) -> impl Future<Output = Result<Expunged, StoreError>> + Send;

    /// Copies the messages `uids` (ascending) that exist into `target`, with
    /// their flags and internal dates, and says which UIDs they got there.
    fn copy_to(
        &self,
        uids: &[Uid],
        target: &Self,
    ) -> impl Future<Output = Result<Copied, StoreError>> + Send;

    /// Moves the messages `uids` (ascending) that exist into `target` (RFC
    /// 6851): a copy, then an expunge here. A message is never lost: if the
    /// move fails midway, it is in the source, the target, or both.
    fn move_to(
        &self,
        uids: &[Uid],
        target: &Self,
    ) -> impl Future<Output = Result<Copied, StoreError>> + Send;

    /// A feed of every change made to this mailbox from now on, by any session
    /// including this one, in mod-sequence order.
    ///
    /// To follow a mailbox without a gap, call `watch` first and
    /// [`snapshot`](Self::snapshot) second, then skip changes whose
    /// mod-sequence is at most the snapshot's `highest_modseq`: the snapshot
    /// has them already.
    fn watch(&self) -> impl Future<Output = Result<ChangeStream, StoreError>> + Send;
}
