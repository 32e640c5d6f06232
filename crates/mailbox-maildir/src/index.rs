//! A folder's state, as its journal replays to.

use mailbox_traits::{Change, InternalDate, MessageMeta, ModSeq, Uid, UidValidity};

use crate::filename::KeywordTable;
use crate::journal::Record;

/// Which Maildir subdirectory a message file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sub {
    /// `new/`: delivered, not yet seen by any session.
    New,
    /// `cur/`: seen, with flags in its name.
    Cur,
}

impl Sub {
    pub(crate) fn dir(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Cur => "cur",
        }
    }
}

/// Where a message file is, as the last directory scan found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileLoc {
    pub(crate) sub: Sub,
    pub(crate) name: String,
}

/// One message of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) uid: Uid,
    pub(crate) modseq: ModSeq,
    pub(crate) date: InternalDate,
    pub(crate) size: u64,
    /// Its flags as info letters, as journaled.
    pub(crate) info: String,
    /// Its file name before `:2,`.
    pub(crate) base: String,
    /// Its file, once a scan has found it.
    pub(crate) file: Option<FileLoc>,
}

/// A folder's replayed state.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    pub(crate) validity: UidValidity,
    pub(crate) uid_next: Uid,
    pub(crate) highest_modseq: ModSeq,
    pub(crate) first_unclaimed: Uid,
    pub(crate) keywords: KeywordTable,
    /// Ascending by UID.
    pub(crate) messages: Vec<Entry>,
}

impl Index {
    pub(crate) fn new(validity: UidValidity) -> Self {
        Self {
            validity,
            uid_next: Uid::MIN,
            highest_modseq: ModSeq::MIN,
            first_unclaimed: Uid::MIN,
            keywords: KeywordTable::default(),
            messages: Vec::new(),
        }
    }

    pub(crate) fn position(&self, uid: Uid) -> Option<usize> {
        self.messages.binary_search_by_key(&uid, |e| e.uid).ok()
    }

    pub(crate) fn meta(&self, e: &Entry) -> MessageMeta {
        MessageMeta {
            uid: e.uid,
            flags: self.keywords.flags(&e.info),
            size: e.size,
            internal_date: e.date,
            modseq: e.modseq,
            recent: false,
        }
    }

    /// The next mod-sequence, which the caller must journal.
    pub(crate) fn next_modseq(&self) -> Option<ModSeq> {
        self.highest_modseq.next()
    }

    /// Applies one record; returns the change it makes, if any.
    pub(crate) fn apply(&mut self, record: Record) -> Result<Option<Change>, String> {
        let bump = |index: &mut Self, m: ModSeq| index.highest_modseq = index.highest_modseq.max(m);
        Ok(match record {
            Record::State {
                uid_next,
                highest_modseq,
                first_unclaimed,
            } => {
                self.uid_next = uid_next;
                self.highest_modseq = highest_modseq;
                self.first_unclaimed = first_unclaimed;
                None
            }
            Record::Keyword { index, keyword } => {
                self.keywords.define(index, keyword)?;
                None
            }
            Record::Append {
                uid,
                modseq,
                date,
                size,
                info,
                base,
            } => {
                if uid < self.uid_next {
                    return Err(format!(
                        "UID {uid} appended below UIDNEXT {}",
                        self.uid_next
                    ));
                }
                self.uid_next = uid.next().ok_or("UIDs exhausted")?;
                bump(self, modseq);
                let entry = Entry {
                    uid,
                    modseq,
                    date,
                    size,
                    info,
                    base,
                    file: None,
                };
                let meta = self.meta(&entry);
                self.messages.push(entry);
                Some(Change::Appended(meta))
            }
            Record::Flags { uid, modseq, info } => {
                bump(self, modseq);
                let Some(i) = self.position(uid) else {
                    return Ok(None);
                };
                let flags = self.keywords.flags(&info);
                let e = &mut self.messages[i];
                e.info = info;
                e.modseq = modseq;
                Some(Change::FlagsChanged { uid, flags, modseq })
            }
            Record::Expunge { modseq, uids } => {
                bump(self, modseq);
                let mut gone = Vec::with_capacity(uids.len());
                self.messages.retain(|e| {
                    let hit = uids.binary_search(&e.uid).is_ok();
                    if hit {
                        gone.push(e.uid);
                    }
                    !hit
                });
                (!gone.is_empty()).then_some(Change::Expunged { uids: gone, modseq })
            }
            Record::Claim { first_unclaimed } => {
                self.first_unclaimed = self.first_unclaimed.max(first_unclaimed);
                None
            }
        })
    }

    /// The records that rebuild this state: what a compaction writes, the
    /// keywords, one append per message, then the counters.
    pub(crate) fn compacted(&self) -> Vec<Record> {
        let mut records = Vec::with_capacity(self.messages.len() + self.keywords.names().len() + 1);
        for (index, keyword) in self.keywords.names().iter().enumerate() {
            records.push(Record::Keyword {
                index,
                keyword: keyword.clone(),
            });
        }
        for e in &self.messages {
            records.push(Record::Append {
                uid: e.uid,
                modseq: e.modseq,
                date: e.date,
                size: e.size,
                info: e.info.clone(),
                base: e.base.clone(),
            });
        }
        // Last, so replaying the appends before it leaves UIDNEXT where it was
        // (above every UID, expunged ones too).
        records.push(Record::State {
            uid_next: self.uid_next,
            highest_modseq: self.highest_modseq,
            first_unclaimed: self.first_unclaimed,
        });
        records
    }

    /// What changed from `old` to `self`, for watchers, when a journal was
    /// reloaded whole rather than read record by record.
    pub(crate) fn diff(&self, old: &Self) -> Vec<Change> {
        if self.validity != old.validity {
            return vec![Change::Lagged];
        }
        let mut changes = Vec::new();
        let gone: Vec<Uid> = old
            .messages
            .iter()
            .filter(|e| self.position(e.uid).is_none())
            .map(|e| e.uid)
            .collect();
        if !gone.is_empty() {
            changes.push(Change::Expunged {
                uids: gone,
                modseq: self.highest_modseq,
            });
        }
        for e in &self.messages {
            match old.position(e.uid) {
                None => changes.push(Change::Appended(self.meta(e))),
                Some(i) if old.messages[i].modseq != e.modseq => {
                    changes.push(Change::FlagsChanged {
                        uid: e.uid,
                        flags: self.keywords.flags(&e.info),
                        modseq: e.modseq,
                    })
                }
                Some(_) => {}
            }
        }
        changes.sort_by_key(Change::modseq);
        changes
    }
}
