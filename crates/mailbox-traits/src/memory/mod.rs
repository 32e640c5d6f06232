//! [`MemoryStore`]: every trait of this crate, in memory.

mod account;
mod mailbox;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use bytes::Bytes;

use crate::{
    Appended, Authenticator, InternalDate, LocalDelivery, MailStore, Password, StoreError,
    UidValidity, UserId, deliver_to_inboxes,
};

pub use account::MemoryAccount;
pub use mailbox::MemoryMailbox;

use account::Tree;

/// A complete mail store in memory: accounts with passwords, mailboxes,
/// messages as [`Bytes`], and change feeds.
///
/// It is the reference implementation of this crate's traits and passes the
/// conformance kit; use it in tests, examples and for mail that may vanish
/// with the process. Cloning gives another handle on the same store.
///
/// Concurrency: each mailbox has its own lock, held only for the few
/// microseconds an operation takes and never across an `.await`; the
/// hierarchy of each account has another, always taken before a mailbox's.
/// Appends to one mailbox from many tasks are serialized; everything else
/// runs in parallel.
///
/// ```
/// use mailbox_traits::{Account, Access, Flags, InternalDate, MailStore, Mailbox, MailboxName};
/// use mailbox_traits::memory::MemoryStore;
///
/// # futures::executor::block_on(async {
/// let store = MemoryStore::new();
/// let alice = store.add_user("alice", "secret")?;
/// let inbox = store.account(&alice).await?.open_mailbox(&MailboxName::inbox()).await?;
/// let date = InternalDate::from_unix(1_700_000_000)?;
/// let appended = inbox.append("Subject: hi\r\n\r\nhello\r\n".into(), &Flags::new(), date).await?;
/// assert_eq!(appended.uid.get(), 1);
/// assert_eq!(inbox.snapshot(Access::ReadOnly).await?.status().messages, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    shared: Arc<Shared>,
}

/// Settings of a [`MemoryStore`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemoryOptions {
    /// The UIDVALIDITY of the first mailbox created; each later mailbox gets
    /// the next value. Inject it to make runs deterministic. Default 1.
    pub first_uid_validity: UidValidity,
    /// How many changes a mailbox's feed buffers for a watcher that has not
    /// read them; past that the watcher gets [`Change::Lagged`](crate::Change::Lagged).
    /// The buffer exists only while someone watches. Default 256.
    pub feed_capacity: usize,
}

impl Default for MemoryOptions {
    fn default() -> Self {
        Self {
            first_uid_validity: MIN_UID_VALIDITY,
            feed_capacity: 256,
        }
    }
}

const MIN_UID_VALIDITY: UidValidity = match UidValidity::new(1) {
    Some(v) => v,
    None => unreachable!(),
};

#[derive(Debug)]
struct Shared {
    users: RwLock<HashMap<String, Arc<User>>>,
    next_uid_validity: AtomicU32,
    feed_capacity: usize,
    #[cfg(test)]
    faults: Faults,
}

impl Default for Shared {
    fn default() -> Self {
        Self::new(MemoryOptions::default())
    }
}

impl Shared {
    fn new(options: MemoryOptions) -> Self {
        Self {
            users: RwLock::default(),
            next_uid_validity: AtomicU32::new(options.first_uid_validity.get()),
            feed_capacity: options.feed_capacity.max(1),
            #[cfg(test)]
            faults: Faults::default(),
        }
    }

    /// A UIDVALIDITY no mailbox of this store had before.
    fn new_uid_validity(&self) -> UidValidity {
        #[cfg(test)]
        if self.faults.constant_uid_validity {
            return MIN_UID_VALIDITY;
        }
        // Skips 0 when the counter wraps, after four billion mailboxes.
        loop {
            let v = self.next_uid_validity.fetch_add(1, Ordering::Relaxed);
            if let Some(v) = UidValidity::new(v) {
                return v;
            }
        }
    }

    fn user(&self, name: &str) -> Option<Arc<User>> {
        read(&self.users).get(&name.to_ascii_lowercase()).cloned()
    }
}

#[derive(Debug)]
struct User {
    id: UserId,
    password: Password,
    tree: RwLock<Tree>,
}

impl MemoryStore {
    /// An empty store with default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store with the given options.
    pub fn with_options(options: MemoryOptions) -> Self {
        Self {
            shared: Arc::new(Shared::new(options)),
        }
    }

    /// Adds a user with an INBOX. User names are unique without regard to
    /// ASCII case; [`StoreError::AlreadyExists`] if the name is taken.
    pub fn add_user(
        &self,
        name: &str,
        password: impl Into<Password>,
    ) -> Result<UserId, StoreError> {
        let mut users = write(&self.shared.users);
        let key = name.to_ascii_lowercase();
        if users.contains_key(&key) {
            return Err(StoreError::AlreadyExists);
        }
        let id = UserId::new(name);
        let tree = Tree::new(self.shared.new_uid_validity());
        let user = User {
            id: id.clone(),
            password: password.into(),
            tree: RwLock::new(tree),
        };
        users.insert(key, Arc::new(user));
        Ok(id)
    }

    /// The user of that name, if there is one.
    pub fn user(&self, name: &str) -> Option<UserId> {
        self.shared.user(name).map(|u| u.id.clone())
    }

    #[cfg(test)]
    pub(crate) fn with_faults(faults: Faults) -> Self {
        let mut shared = Shared::new(MemoryOptions::default());
        shared.faults = faults;
        Self {
            shared: Arc::new(shared),
        }
    }
}

impl MailStore for MemoryStore {
    type Account = MemoryAccount;

    async fn account(&self, user: &UserId) -> Result<MemoryAccount, StoreError> {
        let user = self
            .shared
            .user(user.as_str())
            .ok_or(StoreError::NoSuchUser)?;
        Ok(MemoryAccount::new(user, self.shared.clone()))
    }
}

impl Authenticator for MemoryStore {
    async fn verify_password(
        &self,
        username: &str,
        password: &Password,
    ) -> Result<Option<UserId>, StoreError> {
        Ok(self
            .shared
            .user(username)
            .filter(|u| u.password.matches(password.expose()))
            .map(|u| u.id.clone()))
    }
}

/// Resolves `user` and `user@any.domain` to the user of that name; the
/// server decides beforehand which domains are local.
impl LocalDelivery for MemoryStore {
    async fn resolve_recipient(&self, address: &str) -> Result<Option<UserId>, StoreError> {
        if let Some(user) = self.shared.user(address) {
            return Ok(Some(user.id.clone()));
        }
        let local = address.rsplit_once('@').map_or(address, |(local, _)| local);
        Ok(self.shared.user(local).map(|u| u.id.clone()))
    }

    async fn deliver(
        &self,
        message: Bytes,
        recipients: &[UserId],
        received: InternalDate,
    ) -> Result<Vec<Result<Appended, StoreError>>, StoreError> {
        Ok(deliver_to_inboxes(self, message, recipients, received).await)
    }
}

/// Faults the conformance kit's own tests switch on, one at a time, to show
/// that each check catches the class of bug it names.
#[cfg(test)]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Faults {
    /// A new UID is one past the highest present, so expunging the last
    /// message frees its UID for reuse.
    pub(crate) reuse_uids: bool,
    /// Every mailbox gets UIDVALIDITY 1, so a mailbox deleted and created
    /// again reuses UIDs under the same UIDVALIDITY.
    pub(crate) constant_uid_validity: bool,
    /// Expunge removes every message from the first UID asked for onward.
    pub(crate) expunge_tail: bool,
    /// Copies arrive without their flags.
    pub(crate) copy_drops_flags: bool,
    /// Rename moves the mailbox but not its children.
    pub(crate) rename_drops_children: bool,
    /// Flag changes are not reported on the feed.
    pub(crate) feed_drops_flag_changes: bool,
    /// Append reads the next UID, yields, then stores: concurrent appends
    /// take the same UID and overwrite each other.
    pub(crate) racy_append: bool,
    /// Keywords are lost on update.
    pub(crate) drop_keywords: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(PoisonError::into_inner)
}
