//! The selected mailbox as the client knows it: message sequence numbers
//! and UIDs (RFC 9051 §2.3.1), kept in step with the store's change feed.
//!
//! Message `n` is `messages[n - 1]`; UIDs ascend. Changes from the feed (or
//! a fresh snapshot after the feed lagged) are not applied to the numbering
//! at once: new messages wait in `arrived` until an `EXISTS` announces them,
//! removed ones stay numbered until an `EXPUNGE` (or `VANISHED`) says they
//! are gone, and flag changes wait to go out as `FETCH`. So the client never
//! sees a sequence number it cannot know, and an expunge reaches it only
//! when RFC 9051 §7.5.1 allows (never during FETCH, STORE or SEARCH).
//!
//! A change this session made itself comes back through the feed too; it
//! is recognized by its mod-sequence (a message's flags are only ever
//! replaced by a later change) and by UID (an arrival already known, an
//! expunge already told) and dropped.

use std::collections::BTreeSet;

use imap_proto::types::{Data, FetchItem};
use mailbox_traits::{Change, MessageMeta, ModSeq, Snapshot, Uid, UidValidity};

use super::convert;
use super::sets;

/// How the session writes updates: the client's extensions and grammar.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Style {
    /// IMAP4rev1 grammar: `\Recent` and `* n RECENT` exist.
    pub(super) rev1: bool,
    /// CONDSTORE is on: FETCH updates carry UID and MODSEQ (RFC 7162 §3.2.4).
    pub(super) condstore: bool,
    /// QRESYNC is on: expunges are `VANISHED` (RFC 7162 §3.2.10).
    pub(super) qresync: bool,
}

/// The selected mailbox's messages as the client knows them, and what it
/// has not been told yet.
#[derive(Debug)]
pub(super) struct View {
    pub(super) uid_validity: UidValidity,
    /// The messages, in sequence order.
    pub(super) messages: Vec<MessageMeta>,
    /// The highest mod-sequence applied.
    pub(super) highest_modseq: ModSeq,
    /// The least UID the next message gets.
    pub(super) uid_next: Uid,
    /// New messages not announced yet, ascending.
    arrived: Vec<MessageMeta>,
    /// Messages removed from the store, still numbered for the client.
    expunged: BTreeSet<Uid>,
    /// Messages whose flags changed and were not sent.
    changed: BTreeSet<Uid>,
    /// `* n RECENT` is due (IMAP4rev1) after an EXISTS went out.
    recent_due: bool,
    /// The feed dropped changes: take a snapshot before the next update.
    pub(super) lagged: bool,
}

/// An update [`View::next_update`] offers; the caller sends it and, if the
/// machine took it, tells [`View::sent`].
#[derive(Debug)]
pub(super) struct Pending {
    pub(super) data: Data<'static>,
    what: Sent,
}

#[derive(Debug)]
enum Sent {
    Expunge(Uid),
    Vanished(Vec<Uid>),
    Exists,
    Recent,
    Flags(Uid),
}

impl View {
    /// The view of a snapshot.
    pub(super) fn new(snapshot: Snapshot) -> Self {
        Self {
            uid_validity: snapshot.uid_validity,
            messages: snapshot.messages,
            highest_modseq: snapshot.highest_modseq,
            uid_next: snapshot.uid_next,
            arrived: Vec::new(),
            expunged: BTreeSet::new(),
            changed: BTreeSet::new(),
            recent_due: false,
            lagged: false,
        }
    }

    /// Applies a change from the feed; the client hears of it later.
    pub(super) fn apply(&mut self, change: Change) {
        if let Some(m) = change.modseq() {
            self.highest_modseq = self.highest_modseq.max(m);
        }
        match change {
            Change::Appended(meta) => {
                if meta.uid > self.last_uid_known() {
                    self.uid_next = self.uid_next.max(meta.uid.next().unwrap_or(Uid::MAX));
                    self.arrived.push(meta);
                }
            }
            Change::FlagsChanged { uid, flags, modseq } => {
                if let Some(i) = self.index_of(uid) {
                    let meta = &mut self.messages[i];
                    if meta.modseq < modseq {
                        meta.flags = flags;
                        meta.modseq = modseq;
                        if !self.expunged.contains(&uid) {
                            self.changed.insert(uid);
                        }
                    }
                } else if let Ok(i) = self.arrived.binary_search_by_key(&uid, |m| m.uid) {
                    let meta = &mut self.arrived[i];
                    if meta.modseq < modseq {
                        meta.flags = flags;
                        meta.modseq = modseq;
                    }
                }
            }
            Change::Expunged { uids, .. } => self.remove(&uids),
            Change::Lagged => self.lagged = true,
            _ => self.lagged = true,
        }
    }

    /// Messages removed from the store (by this session or another): the
    /// client hears of them at the next update that may carry expunges.
    pub(super) fn remove(&mut self, uids: &[Uid]) {
        for &uid in uids {
            if self.index_of(uid).is_some() {
                self.expunged.insert(uid);
                self.changed.remove(&uid);
            } else if let Ok(i) = self.arrived.binary_search_by_key(&uid, |m| m.uid) {
                self.arrived.remove(i);
            }
        }
    }

    /// Brings the view to `snapshot` after the feed lagged: what vanished is
    /// expunged, what is new arrives, flags that differ are changed.
    pub(super) fn resync(&mut self, snapshot: Snapshot) {
        self.lagged = false;
        if snapshot.uid_validity != self.uid_validity {
            // Every UID the client has is void; nothing can reconcile
            // that within the session (RFC 9051 §2.3.1.1).
            self.expunged.extend(self.messages.iter().map(|m| m.uid));
            self.arrived.clear();
            return;
        }
        let last = self.last_uid_known();
        let mut now = snapshot.messages.iter().peekable();
        for meta in &mut self.messages {
            while now.next_if(|m| m.uid < meta.uid).is_some() {}
            match now.next_if(|m| m.uid == meta.uid) {
                Some(m) => {
                    if m.modseq > meta.modseq && m.flags != meta.flags {
                        meta.flags = m.flags.clone();
                        if !self.expunged.contains(&meta.uid) {
                            self.changed.insert(meta.uid);
                        }
                    }
                    meta.modseq = meta.modseq.max(m.modseq);
                }
                None => {
                    self.expunged.insert(meta.uid);
                    self.changed.remove(&meta.uid);
                }
            }
        }
        self.arrived.retain(|a| snapshot.get(a.uid).is_some());
        for m in &snapshot.messages {
            if m.uid > last {
                self.arrived.push(m.clone());
            }
        }
        self.highest_modseq = self.highest_modseq.max(snapshot.highest_modseq);
        self.uid_next = self.uid_next.max(snapshot.uid_next);
    }

    /// The next update the client may hear, `expunges` allowing EXPUNGE or
    /// VANISHED: expunges first (so the numbers after them are right), then
    /// new messages, then flag changes.
    pub(super) fn next_update(&self, expunges: bool, style: Style) -> Option<Pending> {
        if expunges && let Some(&uid) = self.expunged.first() {
            if style.qresync {
                let uids: Vec<Uid> = self.expunged.iter().copied().collect();
                let set = sets::uid_set(&uids)?;
                return Some(Pending {
                    data: Data::Vanished {
                        earlier: false,
                        uids: set,
                    },
                    what: Sent::Vanished(uids),
                });
            }
            let seq = self.index_of(uid)? + 1;
            return Some(Pending {
                data: Data::Expunge(seq as u32),
                what: Sent::Expunge(uid),
            });
        }
        if !self.arrived.is_empty() {
            let exists = self.messages.len() + self.arrived.len();
            return Some(Pending {
                data: Data::Exists(exists as u32),
                what: Sent::Exists,
            });
        }
        if self.recent_due && style.rev1 {
            return Some(Pending {
                data: Data::Recent(self.recent()),
                what: Sent::Recent,
            });
        }
        let &uid = self.changed.first()?;
        let i = self.index_of(uid)?;
        let meta = &self.messages[i];
        Some(Pending {
            data: Data::Fetch {
                seq: i as u32 + 1,
                items: flags_items(meta, style, false),
            },
            what: Sent::Flags(uid),
        })
    }

    /// The machine took `update`: the client knows it now.
    pub(super) fn sent(&mut self, update: Pending) {
        match update.what {
            Sent::Expunge(uid) => {
                self.expunged.remove(&uid);
                if let Some(i) = self.index_of(uid) {
                    self.messages.remove(i);
                }
            }
            Sent::Vanished(uids) => {
                for uid in &uids {
                    self.expunged.remove(uid);
                }
                self.messages
                    .retain(|m| uids.binary_search(&m.uid).is_err());
            }
            Sent::Exists => {
                self.messages.append(&mut self.arrived);
                self.recent_due = true;
            }
            Sent::Recent => self.recent_due = false,
            Sent::Flags(uid) => {
                self.changed.remove(&uid);
            }
        }
    }

    /// Forgets pending flag changes of `uid`: the command that made them
    /// answers with the flags itself.
    pub(super) fn told(&mut self, uid: Uid) {
        self.changed.remove(&uid);
    }

    /// The index of the message `uid` among the numbered ones.
    pub(super) fn index_of(&self, uid: Uid) -> Option<usize> {
        self.messages.binary_search_by_key(&uid, |m| m.uid).ok()
    }

    /// Whether `uid` is numbered but gone from the store.
    pub(super) fn is_expunged(&self, uid: Uid) -> bool {
        self.expunged.contains(&uid)
    }

    /// The `\Recent` messages among the numbered ones.
    pub(super) fn recent(&self) -> u32 {
        self.messages.iter().filter(|m| m.recent).count() as u32
    }

    /// The largest UID the view holds, announced or not.
    fn last_uid_known(&self) -> Uid {
        let announced = self.messages.last().map(|m| m.uid);
        let waiting = self.arrived.last().map(|m| m.uid);
        announced.max(waiting).unwrap_or(Uid::MIN).max(
            // Anything below the UIDNEXT at SELECT came in the snapshot.
            Uid::new(self.uid_next.get().saturating_sub(1)).unwrap_or(Uid::MIN),
        )
    }
}

/// `FLAGS`, and with CONDSTORE `UID` and `MODSEQ` (RFC 7162 §3.2.4), for a
/// flag update or a STORE's answer. `uid` adds UID anyway (UID STORE,
/// unsolicited updates under QRESYNC).
pub(super) fn flags_items(meta: &MessageMeta, style: Style, uid: bool) -> Vec<FetchItem<'static>> {
    let mut items = Vec::with_capacity(3);
    if uid || style.condstore {
        items.push(FetchItem::Uid(meta.uid.get()));
    }
    items.push(FetchItem::Flags(convert::wire_flags(
        &meta.flags,
        style.rev1 && meta.recent,
    )));
    if style.condstore {
        items.push(FetchItem::ModSeq(meta.modseq.get()));
    }
    items
}

#[cfg(test)]
mod tests {
    use imap_proto::types::SequenceSet;
    use mailbox_traits::{Flag, Flags, InternalDate};

    use super::*;

    fn meta(uid: u32, modseq: u64) -> MessageMeta {
        MessageMeta {
            uid: Uid::new(uid).unwrap(),
            flags: Flags::new(),
            size: 10,
            internal_date: InternalDate::from_unix(0).unwrap(),
            modseq: ModSeq::new(modseq).unwrap(),
            recent: false,
        }
    }

    fn view(uids: &[u32]) -> View {
        View::new(Snapshot {
            uid_validity: UidValidity::new(7).unwrap(),
            uid_next: Uid::new(uids.last().copied().unwrap_or(0) + 1).unwrap(),
            highest_modseq: ModSeq::new(uids.len() as u64 + 1).unwrap(),
            messages: uids.iter().map(|&u| meta(u, 1)).collect(),
        })
    }

    fn drain(v: &mut View, expunges: bool, style: Style) -> Vec<Data<'static>> {
        let mut out = Vec::new();
        while let Some(p) = v.next_update(expunges, style) {
            out.push(p.data.clone());
            v.sent(p);
        }
        out
    }

    #[test]
    fn rfc_3501_expunge_example_renumbers() {
        // RFC 3501 §6.4.3: expunging messages 3, 4, 7 and 11 of 11 gives
        // `* 3 EXPUNGE`, `* 3 EXPUNGE`, `* 5 EXPUNGE`, `* 8 EXPUNGE`.
        let mut v = view(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        let gone: Vec<Uid> = [3, 4, 7, 11].map(|u| Uid::new(u).unwrap()).to_vec();
        v.apply(Change::Expunged {
            uids: gone,
            modseq: ModSeq::new(20).unwrap(),
        });
        // Not while a FETCH, STORE or SEARCH runs.
        assert!(v.next_update(false, Style::default()).is_none());
        assert_eq!(
            drain(&mut v, true, Style::default()),
            [
                Data::Expunge(3),
                Data::Expunge(3),
                Data::Expunge(5),
                Data::Expunge(8)
            ]
        );
        assert_eq!(v.messages.len(), 7);
    }

    #[test]
    fn arrivals_wait_for_exists_and_echoes_are_dropped() {
        let mut v = view(&[1, 2]);
        let style = Style {
            rev1: true,
            ..Style::default()
        };
        v.apply(Change::Appended(meta(3, 5)));
        // The echo of an append the view has, and an old UID: dropped.
        v.apply(Change::Appended(meta(3, 5)));
        v.apply(Change::Appended(meta(2, 6)));
        assert_eq!(v.messages.len(), 2);
        assert_eq!(
            drain(&mut v, false, style),
            [Data::Exists(3), Data::Recent(0)]
        );
        // Flags: a later mod-sequence wins, an older one is an echo.
        let seen = Flags::from([Flag::Seen]);
        v.apply(Change::FlagsChanged {
            uid: Uid::new(1).unwrap(),
            flags: seen,
            modseq: ModSeq::new(9).unwrap(),
        });
        v.apply(Change::FlagsChanged {
            uid: Uid::new(1).unwrap(),
            flags: Flags::new(),
            modseq: ModSeq::new(8).unwrap(),
        });
        let out = drain(&mut v, false, style);
        assert_eq!(
            out,
            [Data::Fetch {
                seq: 1,
                items: vec![FetchItem::Flags(vec![imap_proto::types::Flag::Seen])]
            }]
        );
        assert_eq!(v.highest_modseq.get(), 9);
    }

    #[test]
    fn qresync_says_vanished_and_condstore_adds_modseq() {
        let mut v = view(&[4, 5, 6, 9]);
        let style = Style {
            rev1: false,
            condstore: true,
            qresync: true,
        };
        v.apply(Change::FlagsChanged {
            uid: Uid::new(9).unwrap(),
            flags: Flags::from([Flag::Flagged]),
            modseq: ModSeq::new(10).unwrap(),
        });
        v.apply(Change::Expunged {
            uids: [4, 5, 6].map(|u| Uid::new(u).unwrap()).to_vec(),
            modseq: ModSeq::new(11).unwrap(),
        });
        let out = drain(&mut v, true, style);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0],
            Data::Vanished {
                earlier: false,
                uids: SequenceSet::range(4, 6).unwrap()
            }
        );
        assert_eq!(
            out[1],
            Data::Fetch {
                seq: 1,
                items: vec![
                    FetchItem::Uid(9),
                    FetchItem::Flags(vec![imap_proto::types::Flag::Flagged]),
                    FetchItem::ModSeq(10)
                ]
            }
        );
    }

    #[test]
    fn resync_after_lag() {
        let mut v = view(&[1, 2, 3]);
        v.apply(Change::Lagged);
        assert!(v.lagged);
        let mut snap = Snapshot {
            uid_validity: UidValidity::new(7).unwrap(),
            uid_next: Uid::new(6).unwrap(),
            highest_modseq: ModSeq::new(30).unwrap(),
            messages: vec![meta(1, 1), meta(3, 25), meta(5, 26)],
        };
        snap.messages[1].flags = Flags::from([Flag::Answered]);
        v.resync(snap);
        let out = drain(&mut v, true, Style::default());
        assert_eq!(
            out,
            [
                Data::Expunge(2),
                Data::Exists(3),
                Data::Fetch {
                    seq: 2,
                    items: vec![FetchItem::Flags(vec![imap_proto::types::Flag::Answered])]
                }
            ]
        );
        assert_eq!(
            v.messages.iter().map(|m| m.uid.get()).collect::<Vec<_>>(),
            [1, 3, 5]
        );
    }
}
