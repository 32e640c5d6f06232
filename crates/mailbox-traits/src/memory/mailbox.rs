//! One mailbox: its messages, counters and change feed.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use futures::stream;
use tokio::sync::broadcast;

use super::{Shared, lock};
use crate::{
    Access, Appended, Change, ChangeStream, Copied, Expunged, FlagOp, Flags, FlagsUpdated,
    InternalDate, Mailbox, MailboxStatus, MessageMeta, ModSeq, Snapshot, StoreError, Uid,
    UidValidity, UpdatedFlags,
};

/// The shared state of one mailbox; handles and the hierarchy point at it.
#[derive(Debug)]
pub(super) struct Cell {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    uid_validity: UidValidity,
    uid_next: Uid,
    highest_modseq: ModSeq,
    /// Messages from this UID on have not been claimed as recent.
    first_unclaimed: Uid,
    /// Ascending by UID.
    messages: Vec<Stored>,
    feed: Feed,
    /// Set when the mailbox is deleted: every later operation fails.
    closed: bool,
}

#[derive(Clone, Debug)]
struct Stored {
    meta: MessageMeta,
    body: Bytes,
}

/// The change feed exists only while someone watches.
#[derive(Debug)]
enum Feed {
    Idle,
    Open(broadcast::Sender<Change>),
}

impl Cell {
    pub(super) fn new(uid_validity: UidValidity) -> Self {
        Self {
            state: Mutex::new(State {
                uid_validity,
                uid_next: Uid::MIN,
                highest_modseq: ModSeq::MIN,
                first_unclaimed: Uid::MIN,
                messages: Vec::new(),
                feed: Feed::Idle,
                closed: false,
            }),
        }
    }

    /// Moves every message into a new mailbox with a new UIDVALIDITY and
    /// the same UIDs, leaving this one empty: RENAME of INBOX.
    pub(super) fn take_all(&self, uid_validity: UidValidity) -> Self {
        let mut st = lock(&self.state);
        let messages = std::mem::take(&mut st.messages);
        if !messages.is_empty()
            && let Ok(modseq) = st.next_modseq()
        {
            let uids = messages.iter().map(|m| m.meta.uid).collect();
            st.emit(Change::Expunged { uids, modseq });
        }
        Self {
            state: Mutex::new(State {
                uid_validity,
                uid_next: st.uid_next,
                highest_modseq: st.highest_modseq,
                first_unclaimed: st.first_unclaimed,
                messages,
                feed: Feed::Idle,
                closed: false,
            }),
        }
    }

    /// Deletes the mailbox under every handle, and ends its feeds.
    pub(super) fn close(&self) {
        let mut st = lock(&self.state);
        st.closed = true;
        st.messages = Vec::new();
        st.feed = Feed::Idle;
    }
}

impl State {
    fn check_open(&self) -> Result<(), StoreError> {
        if self.closed {
            Err(StoreError::NoSuchMailbox)
        } else {
            Ok(())
        }
    }

    fn next_modseq(&mut self) -> Result<ModSeq, StoreError> {
        let next = self
            .highest_modseq
            .next()
            .ok_or(StoreError::UidsExhausted)?;
        self.highest_modseq = next;
        Ok(next)
    }

    /// Gives out the next UID. `Uid::MAX` is never given, so `uid_next`
    /// always has a value.
    fn next_uid(&mut self, shared: &Shared) -> Result<Uid, StoreError> {
        #[cfg(test)]
        if shared.faults.reuse_uids {
            let uid = self
                .messages
                .last()
                .and_then(|m| m.meta.uid.next())
                .unwrap_or(Uid::MIN);
            self.uid_next = uid.next().unwrap_or(Uid::MAX);
            return Ok(uid);
        }
        let _ = shared;
        let uid = self.uid_next;
        self.uid_next = uid
            .next()
            .filter(|&n| n != Uid::MAX)
            .ok_or(StoreError::UidsExhausted)?;
        Ok(uid)
    }

    fn index(&self, uid: Uid) -> Option<usize> {
        self.messages
            .binary_search_by_key(&uid, |m| m.meta.uid)
            .ok()
    }

    /// Stores a message in UID order; a message of the same UID is replaced
    /// (only a faulty UID allocator makes one).
    fn insert(&mut self, stored: Stored) {
        match self
            .messages
            .binary_search_by_key(&stored.meta.uid, |m| m.meta.uid)
        {
            Ok(i) => self.messages[i] = stored,
            Err(i) => self.messages.insert(i, stored),
        }
    }

    fn emit(&mut self, change: Change) {
        if let Feed::Open(tx) = &self.feed
            && tx.send(change).is_err()
        {
            // Every watcher is gone: free the buffer until the next one.
            self.feed = Feed::Idle;
        }
    }

    fn append(
        &mut self,
        shared: &Shared,
        mut stored: Stored,
        modseq: ModSeq,
    ) -> Result<Uid, StoreError> {
        let uid = self.next_uid(shared)?;
        stored.meta.uid = uid;
        stored.meta.modseq = modseq;
        stored.meta.recent = false;
        self.emit(Change::Appended(stored.meta.clone()));
        self.insert(stored);
        Ok(uid)
    }

    /// Clones of the messages `uids` that exist, in UID order.
    fn pick(&self, uids: &[Uid]) -> Vec<Stored> {
        sorted(uids)
            .iter()
            .filter_map(|&uid| self.index(uid))
            .map(|i| self.messages[i].clone())
            .collect()
    }

    fn remove(&mut self, uids: &[Uid], shared: &Shared) -> Result<Expunged, StoreError> {
        let wanted = sorted(uids);
        let mut removed = Vec::new();
        #[cfg(test)]
        let tail_from = wanted
            .first()
            .copied()
            .filter(|_| shared.faults.expunge_tail);
        #[cfg(not(test))]
        let tail_from: Option<Uid> = None;
        let _ = shared;
        self.messages.retain(|m| {
            let uid = m.meta.uid;
            let gone = wanted.binary_search(&uid).is_ok() || tail_from.is_some_and(|t| uid >= t);
            if gone {
                removed.push(uid);
            }
            !gone
        });
        if removed.is_empty() {
            return Ok(Expunged::default());
        }
        let modseq = self.next_modseq()?;
        self.emit(Change::Expunged {
            uids: removed.clone(),
            modseq,
        });
        Ok(Expunged {
            uids: removed,
            modseq: Some(modseq),
        })
    }

    fn status(&self) -> MailboxStatus {
        let mut status = MailboxStatus {
            messages: 0,
            recent: 0,
            unseen: 0,
            uid_next: self.uid_next,
            uid_validity: self.uid_validity,
            highest_modseq: self.highest_modseq,
            size: 0,
        };
        for m in &self.messages {
            status.messages += 1;
            status.recent += u32::from(m.meta.uid >= self.first_unclaimed);
            status.unseen += u32::from(!m.meta.flags.is_seen());
            status.size += m.meta.size;
        }
        status
    }
}

/// `uids` ascending and without repeats, copied only if they are not already.
fn sorted(uids: &[Uid]) -> Cow<'_, [Uid]> {
    if uids.windows(2).all(|w| w[0] < w[1]) {
        Cow::Borrowed(uids)
    } else {
        let mut v = uids.to_vec();
        v.sort_unstable();
        v.dedup();
        Cow::Owned(v)
    }
}

/// A handle on a mailbox of a [`MemoryStore`](super::MemoryStore).
#[derive(Clone, Debug)]
pub struct MemoryMailbox {
    cell: Arc<Cell>,
    shared: Arc<Shared>,
}

impl MemoryMailbox {
    pub(super) fn new(cell: Arc<Cell>, shared: Arc<Shared>) -> Self {
        Self { cell, shared }
    }

    fn state(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        let st = lock(&self.cell.state);
        st.check_open()?;
        Ok(st)
    }

    /// Copies into `target`, and with `expunge` removes the originals, all
    /// under both mailboxes' locks, so no one sees a message in neither.
    fn transfer(&self, uids: &[Uid], target: &Self, expunge: bool) -> Result<Copied, StoreError> {
        let same = Arc::ptr_eq(&self.cell, &target.cell);
        // Lock in address order so two transfers in opposite directions
        // cannot deadlock.
        let (mut src, mut dst) = if same {
            (self.state()?, None)
        } else if Arc::as_ptr(&self.cell) < Arc::as_ptr(&target.cell) {
            let src = self.state()?;
            (src, Some(target.state()?))
        } else {
            let dst = target.state()?;
            (self.state()?, Some(dst))
        };
        let picked = src.pick(uids);
        let dst_state: &mut State = match dst.as_mut() {
            Some(d) => d,
            None => &mut src,
        };
        let mut copied = Copied {
            uid_validity: dst_state.uid_validity,
            uids: Vec::with_capacity(picked.len()),
        };
        if picked.is_empty() {
            return Ok(copied);
        }
        let modseq = dst_state.next_modseq()?;
        let mut sources = Vec::with_capacity(picked.len());
        for stored in picked {
            #[cfg(test)]
            let stored = self.fault_copy_drops_flags(stored);
            let from = stored.meta.uid;
            let to = dst_state.append(&self.shared, stored, modseq)?;
            copied.uids.push((from, to));
            sources.push(from);
        }
        if expunge {
            src.remove(&sources, &self.shared)?;
        }
        Ok(copied)
    }
}

impl Mailbox for MemoryMailbox {
    async fn snapshot(&self, access: Access) -> Result<Snapshot, StoreError> {
        let mut st = self.state()?;
        let first_unclaimed = st.first_unclaimed;
        let claim = access == Access::ReadWrite;
        let messages = st
            .messages
            .iter()
            .map(|m| MessageMeta {
                recent: claim && m.meta.uid >= first_unclaimed,
                ..m.meta.clone()
            })
            .collect();
        if claim {
            st.first_unclaimed = st.uid_next;
        }
        Ok(Snapshot {
            uid_validity: st.uid_validity,
            uid_next: st.uid_next,
            highest_modseq: st.highest_modseq,
            messages,
        })
    }

    async fn status(&self) -> Result<MailboxStatus, StoreError> {
        Ok(self.state()?.status())
    }

    async fn read(&self, uid: Uid) -> Result<Bytes, StoreError> {
        let st = self.state()?;
        let i = st.index(uid).ok_or(StoreError::NoSuchMessage)?;
        Ok(st.messages[i].body.clone())
    }

    async fn append(
        &self,
        message: Bytes,
        flags: &Flags,
        internal_date: InternalDate,
    ) -> Result<Appended, StoreError> {
        let meta = MessageMeta {
            uid: Uid::MIN,
            flags: flags.clone(),
            size: message.len() as u64,
            internal_date,
            modseq: ModSeq::MIN,
            recent: false,
        };
        let stored = Stored {
            meta,
            body: message,
        };
        #[cfg(test)]
        if self.shared.faults.racy_append {
            return self.racy_append(stored).await;
        }
        let mut st = self.state()?;
        let modseq = st.next_modseq()?;
        let uid = st.append(&self.shared, stored, modseq)?;
        Ok(Appended {
            uid_validity: st.uid_validity,
            uid,
            modseq,
        })
    }

    async fn update_flags(
        &self,
        uids: &[Uid],
        op: FlagOp,
        flags: &Flags,
        unchanged_since: Option<u64>,
    ) -> Result<FlagsUpdated, StoreError> {
        let mut st = self.state()?;
        let mut result = FlagsUpdated::default();
        let mut op_modseq = None;
        for &uid in sorted(uids).iter() {
            let Some(i) = st.index(uid) else { continue };
            let current = &st.messages[i].meta;
            if unchanged_since.is_some_and(|since| current.modseq.get() > since) {
                result.modified.push(uid);
                continue;
            }
            let mut new = current.flags.clone();
            new.apply(op, flags);
            #[cfg(test)]
            if self.shared.faults.drop_keywords {
                new = new.iter().filter(crate::Flag::is_system).collect();
            }
            let changed = new != current.flags;
            if changed {
                let modseq = match op_modseq {
                    Some(m) => m,
                    None => *op_modseq.insert(st.next_modseq()?),
                };
                let meta = &mut st.messages[i].meta;
                meta.flags = new;
                meta.modseq = modseq;
                let change = Change::FlagsChanged {
                    uid,
                    flags: meta.flags.clone(),
                    modseq,
                };
                #[cfg(test)]
                let change = Some(change).filter(|_| !self.shared.faults.feed_drops_flag_changes);
                #[cfg(not(test))]
                let change = Some(change);
                if let Some(change) = change {
                    st.emit(change);
                }
            }
            let meta = &st.messages[i].meta;
            result.updated.push(UpdatedFlags {
                uid,
                flags: meta.flags.clone(),
                modseq: meta.modseq,
                changed,
            });
        }
        Ok(result)
    }

    async fn expunge(&self, uids: &[Uid]) -> Result<Expunged, StoreError> {
        self.state()?.remove(uids, &self.shared)
    }

    async fn copy_to(&self, uids: &[Uid], target: &Self) -> Result<Copied, StoreError> {
        self.transfer(uids, target, false)
    }

    async fn move_to(&self, uids: &[Uid], target: &Self) -> Result<Copied, StoreError> {
        self.transfer(uids, target, true)
    }

    async fn watch(&self) -> Result<ChangeStream, StoreError> {
        let mut st = self.state()?;
        let rx = match &st.feed {
            Feed::Open(tx) => tx.subscribe(),
            Feed::Idle => {
                let (tx, rx) = broadcast::channel(self.shared.feed_capacity);
                st.feed = Feed::Open(tx);
                rx
            }
        };
        Ok(Box::pin(stream::unfold(rx, |mut rx| async move {
            match rx.recv().await {
                Ok(change) => Some((change, rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => Some((Change::Lagged, rx)),
                Err(broadcast::error::RecvError::Closed) => None,
            }
        })))
    }
}

#[cfg(test)]
impl MemoryMailbox {
    /// The fault `copy_drops_flags`.
    fn fault_copy_drops_flags(&self, mut stored: Stored) -> Stored {
        if self.shared.faults.copy_drops_flags {
            stored.meta.flags = Flags::new();
        }
        stored
    }

    /// The fault `racy_append`: read the next UID, yield, then store under
    /// it, so concurrent appends collide.
    async fn racy_append(&self, mut stored: Stored) -> Result<Appended, StoreError> {
        let uid = self.state()?.uid_next;
        YieldNow(false).await;
        let mut st = self.state()?;
        let modseq = st.next_modseq()?;
        st.uid_next = uid.next().unwrap_or(Uid::MAX);
        stored.meta.uid = uid;
        stored.meta.modseq = modseq;
        st.emit(Change::Appended(stored.meta.clone()));
        st.insert(stored);
        Ok(Appended {
            uid_validity: st.uid_validity,
            uid,
            modseq,
        })
    }
}

/// Returns `Pending` once, so other futures on the same task run first.
#[cfg(test)]
struct YieldNow(bool);

#[cfg(test)]
impl Future for YieldNow {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}
