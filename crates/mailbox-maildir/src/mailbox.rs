//! A handle on one open folder.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures::stream;
use mailbox_traits::{
    Access, Appended, Change, ChangeStream, Copied, Expunged, FlagOp, Flags, FlagsUpdated,
    InternalDate, Mailbox, MailboxStatus, Snapshot, StoreError, Uid,
};
use tokio::sync::broadcast;
use tokio::time::{self, MissedTickBehavior};

use crate::blocking;
use crate::folder::Folder;

/// A handle on a folder of a [`MaildirStore`](crate::MaildirStore).
#[derive(Clone, Debug)]
pub struct MaildirMailbox {
    folder: Arc<Folder>,
}

impl MaildirMailbox {
    pub(crate) fn new(folder: Arc<Folder>) -> Self {
        Self { folder }
    }

    /// Runs `f` on a blocking thread with the folder locked and fresh.
    async fn locked<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut crate::folder::Locked<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let folder = self.folder.clone();
        blocking(move || f(&mut folder.lock()?)).await
    }

    /// Copies or moves into `target`, with both folders locked in one order
    /// (by path) so opposite transfers cannot deadlock.
    async fn transfer(
        &self,
        uids: &[Uid],
        target: &Self,
        moving: bool,
    ) -> Result<Copied, StoreError> {
        let (source, target) = (self.folder.clone(), target.folder.clone());
        let uids = sorted(uids);
        blocking(move || {
            if Arc::ptr_eq(&source, &target) {
                return source.lock()?.receive(None, &uids, moving);
            }
            if source.dir < target.dir {
                let mut src = source.lock()?;
                let mut dst = target.lock()?;
                dst.receive(Some(&mut src), &uids, moving)
            } else {
                let mut dst = target.lock()?;
                let mut src = source.lock()?;
                dst.receive(Some(&mut src), &uids, moving)
            }
        })
        .await
    }
}

fn sorted(uids: &[Uid]) -> Vec<Uid> {
    let mut v = uids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

impl Mailbox for MaildirMailbox {
    async fn snapshot(&self, access: Access) -> Result<Snapshot, StoreError> {
        self.locked(move |f| f.snapshot(access)).await
    }

    async fn status(&self) -> Result<MailboxStatus, StoreError> {
        self.locked(|f| Ok(f.status())).await
    }

    async fn read(&self, uid: Uid) -> Result<Bytes, StoreError> {
        self.locked(move |f| {
            if let Some(bytes) = f.read(uid)? {
                return Ok(bytes);
            }
            // Renamed or removed by another process: rescan, then try again.
            f.force_rescan();
            f.refresh_now()?;
            f.read(uid)?.ok_or(StoreError::NoSuchMessage)
        })
        .await
    }

    async fn append(
        &self,
        message: Bytes,
        flags: &Flags,
        internal_date: InternalDate,
    ) -> Result<Appended, StoreError> {
        let (folder, flags) = (self.folder.clone(), flags.clone());
        blocking(move || {
            let staged = folder.stage(&message, internal_date)?;
            folder.lock()?.commit(staged, &flags, internal_date)
        })
        .await
    }

    async fn update_flags(
        &self,
        uids: &[Uid],
        op: FlagOp,
        flags: &Flags,
        unchanged_since: Option<u64>,
    ) -> Result<FlagsUpdated, StoreError> {
        let (uids, flags) = (sorted(uids), flags.clone());
        self.locked(move |f| f.update_flags(&uids, op, &flags, unchanged_since))
            .await
    }

    async fn expunge(&self, uids: &[Uid]) -> Result<Expunged, StoreError> {
        let uids = sorted(uids);
        self.locked(move |f| f.expunge(&uids)).await
    }

    async fn copy_to(&self, uids: &[Uid], target: &Self) -> Result<Copied, StoreError> {
        self.transfer(uids, target, false).await
    }

    async fn move_to(&self, uids: &[Uid], target: &Self) -> Result<Copied, StoreError> {
        self.transfer(uids, target, true).await
    }

    /// Changes made in this process arrive at once; changes by other
    /// processes and programs arrive when anything here locks the folder,
    /// and at the latest after [`Options::watch_interval`](crate::Options::watch_interval).
    async fn watch(&self) -> Result<ChangeStream, StoreError> {
        let rx = self.folder.subscribe()?;
        let mut ticker = time::interval(
            self.folder
                .options()
                .watch_interval
                .max(Duration::from_millis(10)),
        );
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let folder = self.folder.clone();
        let polling = Arc::new(AtomicBool::new(false));
        Ok(Box::pin(stream::unfold(
            (rx, ticker, folder, polling),
            |(mut rx, mut ticker, folder, polling)| async move {
                loop {
                    tokio::select! {
                        received = rx.recv() => {
                            let change = match received {
                                Ok(change) => change,
                                Err(broadcast::error::RecvError::Lagged(_)) => Change::Lagged,
                                Err(broadcast::error::RecvError::Closed) => return None,
                            };
                            return Some((change, (rx, ticker, folder, polling)));
                        }
                        _ = ticker.tick() => {
                            if folder.is_closed() {
                                return None;
                            }
                            // The look at the disk runs on its own, one at a
                            // time: what it finds comes through the channel,
                            // and changes made in this process meanwhile are
                            // handed out at once, not after it.
                            if !polling.swap(true, Ordering::AcqRel) {
                                let (f, done) = (folder.clone(), polling.clone());
                                drop(tokio::task::spawn_blocking(move || {
                                    f.poll_changes();
                                    done.store(false, Ordering::Release);
                                }));
                            }
                        }
                    }
                }
            },
        )))
    }
}
