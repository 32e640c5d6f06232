//! What a mail store is: the storage side of the mail protocol crates.
//!
//! ```
//! use mailbox_traits::memory::MemoryStore;
//! use mailbox_traits::{Access, Account, Flag, Flags, InternalDate, MailStore, Mailbox, MailboxName};
//!
//! # futures::executor::block_on(async {
//! let store = MemoryStore::new();
//! let alice = store.add_user("alice", "correct horse")?;
//!
//! // A session opens the account and a mailbox, and appends a message.
//! let account = store.account(&alice).await?;
//! let inbox = account.open_mailbox(&MailboxName::inbox()).await?;
//! let message = "From: bob@example.org\r\nSubject: lunch?\r\n\r\nAt noon.\r\n";
//! let date = InternalDate::from_unix(1_700_000_000)?;
//! let appended = inbox.append(message.into(), &Flags::from([Flag::Seen]), date).await?;
//!
//! // Any session sees it by UID, with its flags, size and mod-sequence.
//! let snapshot = inbox.snapshot(Access::ReadOnly).await?;
//! assert_eq!(snapshot.messages[0].uid, appended.uid);
//! assert_eq!(snapshot.messages[0].size, message.len() as u64);
//! assert_eq!(&inbox.read(appended.uid).await?[..], message.as_bytes());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! This crate knows nothing of wire formats. It says what a mail store holds
//! and does, in terms every protocol shares, so that one store serves SMTP
//! delivery, POP3 and IMAP alike:
//!
//! - the vocabulary: [`Uid`], [`UidValidity`], [`ModSeq`], [`Flag`] and
//!   [`Flags`], [`MailboxName`], [`SpecialUse`], [`InternalDate`],
//!   [`MessageMeta`], [`MailboxStatus`], [`Snapshot`];
//! - the traits, all with `Send` futures so a multi-threaded server can hold
//!   them behind an `Arc`: [`Authenticator`] (passwords and SASL PLAIN
//!   identities), [`MailStore`] → [`Account`] → [`Mailbox`] (hierarchy,
//!   subscriptions, messages, flags with mod-sequences, expunge, copy and
//!   move with UID maps, and a [`ChangeStream`] of every session's changes
//!   for IMAP IDLE), and [`LocalDelivery`] (SMTP's hand-off to local users);
//! - [`memory::MemoryStore`], which implements all of them;
//! - [`testkit`] (feature `testkit`), the conformance checks every store runs
//!   on itself: UIDs strictly increase and are never reused, UIDVALIDITY is
//!   stable, flags round-trip, expunge removes only what was asked, copy and
//!   move keep bytes, rename moves children, the change feed is complete and
//!   ordered, and concurrent appends lose nothing.
//!
//! # Serving your own data
//!
//! A main use of these crates is to put an IMAP or POP3 endpoint in front of
//! an application's own data. Implement the traits over it; the server layer
//! does the rest. Here an application's notifications table becomes each
//! user's INBOX: the table's ever-increasing primary key is the UID, its
//! `read` column the `\Seen` flag, and mailboxes cannot be created.
//!
//! ```
//! use std::collections::HashMap;
//! use std::sync::{Arc, Mutex};
//!
//! use bytes::Bytes;
//! use mailbox_traits::*;
//!
//! /// The application's data: a notifications table per user.
//! #[derive(Default)]
//! struct AppDb {
//!     notices: Mutex<HashMap<String, Vec<Notice>>>,
//! }
//!
//! struct Notice {
//!     id: u32, // an auto-increment key: it only grows and is never reused
//!     subject: String,
//!     text: String,
//!     created: i64,
//!     read: bool,
//! }
//!
//! impl Notice {
//!     fn to_message(&self) -> Bytes {
//!         format!("From: app@example.org\r\nSubject: {}\r\n\r\n{}\r\n", self.subject, self.text)
//!             .into()
//!     }
//! }
//!
//! struct AppStore(Arc<AppDb>);
//! struct AppAccount(Arc<AppDb>, UserId);
//! struct AppInbox(Arc<AppDb>, UserId);
//!
//! impl MailStore for AppStore {
//!     type Account = AppAccount;
//!
//!     async fn account(&self, user: &UserId) -> Result<AppAccount, StoreError> {
//!         Ok(AppAccount(self.0.clone(), user.clone()))
//!     }
//! }
//!
//! impl Account for AppAccount {
//!     type Mailbox = AppInbox;
//!
//!     async fn list_mailboxes(&self) -> Result<Vec<MailboxInfo>, StoreError> {
//!         Ok(vec![MailboxInfo { name: MailboxName::inbox(), special_use: None }])
//!     }
//!     async fn create_mailbox(&self, _: &MailboxName, _: Option<SpecialUse>) -> Result<(), StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn delete_mailbox(&self, _: &MailboxName) -> Result<(), StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn rename_mailbox(&self, _: &MailboxName, _: &MailboxName) -> Result<(), StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn subscribe(&self, _: &MailboxName) -> Result<(), StoreError> {
//!         Ok(())
//!     }
//!     async fn unsubscribe(&self, _: &MailboxName) -> Result<(), StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn subscriptions(&self) -> Result<Vec<MailboxName>, StoreError> {
//!         Ok(vec![MailboxName::inbox()])
//!     }
//!     async fn open_mailbox(&self, name: &MailboxName) -> Result<AppInbox, StoreError> {
//!         match name.is_inbox() {
//!             true => Ok(AppInbox(self.0.clone(), self.1.clone())),
//!             false => Err(StoreError::NoSuchMailbox),
//!         }
//!     }
//! }
//!
//! // Never changes: the application has one UID space and keeps it.
//! const VALIDITY: UidValidity = match UidValidity::new(1) {
//!     Some(v) => v,
//!     None => unreachable!(),
//! };
//!
//! impl AppInbox {
//!     fn with_notices<T>(&self, f: impl FnOnce(&mut Vec<Notice>) -> T) -> T {
//!         let mut db = self.0.notices.lock().unwrap();
//!         f(db.entry(self.1.to_string()).or_default())
//!     }
//!
//!     fn meta(n: &Notice) -> MessageMeta {
//!         MessageMeta {
//!             uid: Uid::new(n.id).unwrap(),
//!             flags: if n.read { Flags::from([Flag::Seen]) } else { Flags::new() },
//!             size: n.to_message().len() as u64,
//!             internal_date: InternalDate::from_unix(n.created).unwrap(),
//!             modseq: ModSeq::MIN, // no CONDSTORE here: every message at 1
//!             recent: false,
//!         }
//!     }
//! }
//!
//! impl Mailbox for AppInbox {
//!     async fn snapshot(&self, _: Access) -> Result<Snapshot, StoreError> {
//!         Ok(self.with_notices(|notices| {
//!             let last = notices.last().map_or(0, |n| n.id);
//!             Snapshot {
//!                 uid_validity: VALIDITY,
//!                 uid_next: Uid::new(last + 1).unwrap(),
//!                 highest_modseq: ModSeq::MIN,
//!                 messages: notices.iter().map(Self::meta).collect(),
//!             }
//!         }))
//!     }
//!     async fn status(&self) -> Result<MailboxStatus, StoreError> {
//!         Ok(self.snapshot(Access::ReadOnly).await?.status())
//!     }
//!     async fn read(&self, uid: Uid) -> Result<Bytes, StoreError> {
//!         self.with_notices(|notices| {
//!             let n = notices.iter().find(|n| n.id == uid.get());
//!             n.map(Notice::to_message).ok_or(StoreError::NoSuchMessage)
//!         })
//!     }
//!     async fn append(&self, _: Bytes, _: &Flags, _: InternalDate) -> Result<Appended, StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn update_flags(
//!         &self,
//!         uids: &[Uid],
//!         op: FlagOp,
//!         flags: &Flags,
//!         _unchanged_since: Option<u64>,
//!     ) -> Result<FlagsUpdated, StoreError> {
//!         Ok(self.with_notices(|notices| {
//!             let mut result = FlagsUpdated::default();
//!             for n in notices.iter_mut().filter(|n| uids.contains(&Uid::new(n.id).unwrap())) {
//!                 let mut now = Self::meta(n).flags;
//!                 now.apply(op, flags);
//!                 let changed = now.is_seen() != n.read;
//!                 n.read = now.is_seen(); // only \Seen is kept
//!                 let meta = Self::meta(n);
//!                 result.updated.push(UpdatedFlags { uid: meta.uid, flags: meta.flags, modseq: meta.modseq, changed });
//!             }
//!             result
//!         }))
//!     }
//!     async fn expunge(&self, uids: &[Uid]) -> Result<Expunged, StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn copy_to(&self, _: &[Uid], _: &Self) -> Result<Copied, StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn move_to(&self, _: &[Uid], _: &Self) -> Result<Copied, StoreError> {
//!         Err(StoreError::Unsupported)
//!     }
//!     async fn watch(&self) -> Result<ChangeStream, StoreError> {
//!         Ok(Box::pin(futures::stream::pending())) // this app pushes no changes
//!     }
//! }
//!
//! # futures::executor::block_on(async {
//! let db = Arc::new(AppDb::default());
//! db.notices.lock().unwrap().insert("carol".into(), vec![Notice {
//!     id: 7, subject: "Your invoice".into(), text: "Paid, thanks.".into(), created: 1_700_000_000, read: false,
//! }]);
//! let store = AppStore(db);
//! let inbox = store.account(&UserId::new("carol")).await?.open_mailbox(&MailboxName::inbox()).await?;
//! let uid = Uid::new(7).unwrap();
//! inbox.update_flags(&[uid], FlagOp::Add, &Flags::from([Flag::Seen]), None).await?;
//! let snapshot = inbox.snapshot(Access::ReadWrite).await?;
//! assert!(snapshot.messages[0].flags.is_seen());
//! assert!(inbox.read(uid).await?.starts_with(b"From: app@example.org\r\n"));
//! # Ok::<(), StoreError>(())
//! # }).unwrap();
//! ```

mod auth;
mod delivery;
mod error;
pub mod memory;
mod store;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
mod types;

pub use auth::{Authenticator, Password, UserId};
pub use delivery::{LocalDelivery, deliver_to_inboxes};
pub use error::{FlagError, NameError, StoreError, ValueError};
pub use store::{Access, Account, Change, ChangeStream, MailStore, Mailbox};
pub use types::*;
