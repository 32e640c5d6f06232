//! A durable Maildir++ store for the mail protocol crates.
//!
//! ```
//! use mailbox_maildir::MaildirStore;
//! use mailbox_traits::{Access, Account, Flags, InternalDate, MailStore, Mailbox, MailboxName};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let root = tempfile::tempdir()?;
//! let store = MaildirStore::open(root.path())?;
//! let alice = store.create_user("alice").await?;
//! let inbox = store.account(&alice).await?.open_mailbox(&MailboxName::inbox()).await?;
//!
//! let date = InternalDate::from_unix(1_700_000_000)?;
//! let appended = inbox.append("Subject: hi\r\n\r\nhello\r\n".into(), &Flags::new(), date).await?;
//! // Durable now: the file is synced in new/, and so is its UID in the journal.
//! assert!(std::fs::read_dir(root.path().join("alice/new"))?.next().is_some());
//! assert_eq!(inbox.snapshot(Access::ReadOnly).await?.messages[0].uid, appended.uid);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! [`MaildirStore`] implements [`MailStore`] and [`LocalDelivery`] of
//! `mailbox-traits` over Maildir++ directories that mutt reads as they are
//! and Dovecot reads with `mail_location = maildir:~/Maildir:UTF-8`:
//! messages in `cur/`, `new/` and `tmp/`, flags in file names (`:2,FRS`),
//! keywords as the letters `a` to `z` listed in `dovecot-keywords`, one
//! `.Name.Child` directory per folder. See the `layout` of files below.
//!
//! # Durability
//!
//! A message is stored when its append returns: its bytes are written to
//! `tmp/` and synced, the file is renamed into `new/` and the directory
//! synced, and its UID is written to the folder's journal and synced (see
//! `journal`). SMTP may say `250` then. A file half-written when the
//! process died stays in `tmp/`, which no listing shows, and is removed
//! after 36 hours.
//!
//! # Several sessions, several processes
//!
//! Each folder has a lock file; every change takes it (`flock`), re-reads
//! what others journaled, and only then gives out UIDs, so no two
//! processes ever give the same UID. Other programs that move files (mutt
//! setting a flag, an MDA delivering into `new/`) are noticed when the
//! directories change, and their work is journaled like anyone's.
//!
//! # Recovery
//!
//! A journal that is missing or damaged is rebuilt from the files under a
//! new UIDVALIDITY, so clients resynchronize rather than trust old UIDs.
//! UIDVALIDITY values come from a per-account counter, so a folder deleted
//! and created again never reuses one.
//!
//! # Layout
//!
//! ```text
//! <root>/<user>/                 the user's Maildir, and their INBOX
//!     cur/ new/ tmp/             INBOX's messages
//!     .Sent/                     the folder "Sent"
//!     .Work.2024/                the folder "Work/2024"
//!     subscriptions              subscribed names, one per line
//!     mail-proto-uidvalidity     the account's UIDVALIDITY counter
//! <folder>/mail-proto-index      the folder's journal of UIDs, flags and mod-sequences
//! ```
//!
//! The store does its file work on tokio's blocking threads: use it from
//! within a tokio runtime.

mod account;
mod filename;
mod folder;
mod index;
mod journal;
mod layout;
mod mailbox;

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use bytes::Bytes;
use mailbox_traits::{
    Appended, InternalDate, LocalDelivery, MailStore, StoreError, UserId, deliver_to_inboxes,
};

pub use account::MaildirAccount;
pub use mailbox::MaildirMailbox;

use folder::Folder;

/// A mail store of Maildir++ directories, one per user under a root.
#[derive(Clone, Debug)]
pub struct MaildirStore {
    inner: Arc<Inner>,
}

/// Settings of a [`MaildirStore`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Sync files and directories before an operation returns. Default
    /// `true`; turning it off gives up durability, for tests on throwaway
    /// directories only.
    pub fsync: bool,
    /// The host name in new file names (the Maildir spec's unique names).
    /// Default: the kernel's host name, or `localhost`.
    pub hostname: String,
    /// How many changes a folder's feed buffers for a slow watcher before
    /// it gets `Change::Lagged`. Default 256.
    pub feed_capacity: usize,
    /// How often a watched folder is checked for changes made by other
    /// processes. Default 30 seconds, Dovecot's `mailbox_idle_check_interval`.
    pub watch_interval: Duration,
}

impl Default for Options {
    fn default() -> Self {
        let hostname = fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "localhost".to_owned());
        Self {
            fsync: true,
            hostname,
            feed_capacity: 256,
            watch_interval: Duration::from_secs(30),
        }
    }
}

#[derive(Debug)]
struct Inner {
    root: PathBuf,
    options: Arc<Options>,
    /// The folders open in this process, so every handle on one shares its
    /// state and change feed.
    folders: Mutex<HashMap<PathBuf, Weak<Folder>>>,
}

impl Inner {
    /// The shared folder at `dir`.
    fn folder(&self, dir: PathBuf, home: PathBuf) -> Arc<Folder> {
        let mut folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(f) = folders
            .get(&dir)
            .and_then(Weak::upgrade)
            .filter(|f| !f.is_closed())
        {
            return f;
        }
        if folders.len() >= 64 && folders.len().is_power_of_two() {
            folders.retain(|_, f| f.strong_count() > 0);
        }
        let folder = Arc::new(Folder::new(dir.clone(), home, self.options.clone()));
        folders.insert(dir, Arc::downgrade(&folder));
        folder
    }

    /// Ends every handle on the folder at `dir`: it was deleted or renamed.
    fn close_folder(&self, dir: &Path) {
        let mut folders = self.folders.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(f) = folders.remove(dir).and_then(|f| f.upgrade()) {
            f.close();
        }
    }
}

impl MaildirStore {
    /// A store under `root` with default options, creating `root` if needed.
    pub fn open(root: impl Into<PathBuf>) -> io::Result<Self> {
        Self::with_options(root, Options::default())
    }

    /// A store under `root` with the given options.
    pub fn with_options(root: impl Into<PathBuf>, options: Options) -> io::Result<Self> {
        let root = root.into();
        fs::create_dir_all(&root)?;
        Ok(Self {
            inner: Arc::new(Inner {
                root,
                options: Arc::new(options),
                folders: Mutex::default(),
            }),
        })
    }

    /// The directory the store lives in.
    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    /// Creates a user's Maildir with its INBOX, or does nothing if it
    /// exists. Names are case-insensitive and kept in lower case: ASCII
    /// letters, digits, `.`, `_`, `+` and `-`, at most 64, not starting
    /// with `.`.
    pub async fn create_user(&self, name: &str) -> Result<UserId, StoreError> {
        let dir_name =
            layout::user_dir_name(name).ok_or(StoreError::NotPermitted("invalid user name"))?;
        let home = self.inner.root.join(&dir_name);
        let options = self.inner.options.clone();
        blocking(move || {
            if !home.join("cur").is_dir() {
                fs::create_dir_all(&home)?;
                Folder::create(&home, account::allocate_validity(&home)?, &options)?;
            }
            Ok(layout::user_id(&dir_name))
        })
        .await
    }

    /// Every user with a Maildir under the root.
    pub async fn users(&self) -> Result<Vec<UserId>, StoreError> {
        let root = self.inner.root.clone();
        blocking(move || {
            let mut users: Vec<UserId> = fs::read_dir(&root)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("cur").is_dir())
                .filter_map(|p| account::user_of(&p))
                .collect();
            users.sort();
            Ok(users)
        })
        .await
    }

    fn home(&self, user: &str) -> Result<PathBuf, StoreError> {
        layout::user_home(&self.inner.root, user)
    }
}

impl MailStore for MaildirStore {
    type Account = MaildirAccount;

    async fn account(&self, user: &UserId) -> Result<MaildirAccount, StoreError> {
        let home = self.home(user.as_str())?;
        let exists = {
            let home = home.clone();
            blocking(move || Ok(home.join("cur").is_dir())).await?
        };
        if !exists {
            return Err(StoreError::NoSuchUser);
        }
        Ok(MaildirAccount::new(self.inner.clone(), home))
    }
}

/// Resolves `name@any.domain` (and a bare `name`) to the user whose
/// Maildir is `<root>/name`; the server decides beforehand which domains
/// are local.
impl LocalDelivery for MaildirStore {
    async fn resolve_recipient(&self, address: &str) -> Result<Option<UserId>, StoreError> {
        let local = address.rsplit_once('@').map_or(address, |(local, _)| local);
        let Some(dir_name) = layout::user_dir_name(local) else {
            return Ok(None);
        };
        let home = self.inner.root.join(&dir_name);
        let exists = blocking(move || Ok(home.join("cur").is_dir())).await?;
        Ok(exists.then(|| layout::user_id(&dir_name)))
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

/// Runs file work on tokio's blocking threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Backend(e.into()))?
}
