//! What the Mailbox trait asks of a folder, on a locked folder.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::PathBuf;

use bytes::Bytes;
use mailbox_traits::{
    Access, Appended, Copied, Expunged, FlagOp, Flags, FlagsUpdated, InternalDate, MailboxStatus,
    MessageMeta, Snapshot, StoreError, Uid, UpdatedFlags,
};

use super::{Folder, Locked};
use crate::filename::{self, FileName};
use crate::index::{FileLoc, Sub};
use crate::journal::Record;
use crate::layout::KEYWORDS;

/// A message written to `tmp/` and synced, waiting for its rename.
#[derive(Debug)]
pub(crate) struct Staged {
    path: PathBuf,
    base: String,
    size: u64,
}

impl Folder {
    /// The first half of an append, done without the lock so appends from
    /// many sessions sync their bytes in parallel: write the message to
    /// `tmp/`, sync it, and set its time to the internal date.
    pub(crate) fn stage(&self, message: &Bytes, date: InternalDate) -> Result<Staged, StoreError> {
        let size = message.len() as u64;
        let base = filename::unique_base(&self.options.hostname, size);
        let path = self.dir.join("tmp").join(&base);
        let mut file = match File::create_new(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(StoreError::NoSuchMailbox),
            Err(e) => return Err(e.into()),
        };
        let written = file
            .write_all(message)
            .and_then(|()| file.set_modified(date.into()))
            .and_then(|()| {
                if self.options.fsync {
                    file.sync_all()
                } else {
                    Ok(())
                }
            });
        if let Err(e) = written {
            let _ = fs::remove_file(&path);
            return Err(e.into());
        }
        Ok(Staged { path, base, size })
    }
}

impl Locked<'_> {
    pub(crate) fn status(&self) -> MailboxStatus {
        let index = self.index();
        let mut status = MailboxStatus {
            messages: 0,
            recent: 0,
            unseen: 0,
            uid_next: index.uid_next,
            uid_validity: index.validity,
            highest_modseq: index.highest_modseq,
            size: 0,
        };
        for e in &index.messages {
            status.messages += 1;
            status.recent += u32::from(e.uid >= index.first_unclaimed);
            status.unseen += u32::from(!index.keywords.flags(&e.info).is_seen());
            status.size += e.size;
        }
        status
    }

    /// A view of the folder; a read-write one claims the recent messages
    /// and moves their files from `new/` to `cur/`, as Dovecot does.
    pub(crate) fn snapshot(&mut self, access: Access) -> Result<Snapshot, StoreError> {
        let index = self.index();
        let first_unclaimed = index.first_unclaimed;
        let claim = access == Access::ReadWrite;
        let messages: Vec<MessageMeta> = index
            .messages
            .iter()
            .map(|e| MessageMeta {
                recent: claim && e.uid >= first_unclaimed,
                ..index.meta(e)
            })
            .collect();
        let snapshot = Snapshot {
            uid_validity: index.validity,
            uid_next: index.uid_next,
            highest_modseq: index.highest_modseq,
            messages,
        };
        if claim && snapshot.uid_next > first_unclaimed {
            self.write(vec![Record::Claim {
                first_unclaimed: snapshot.uid_next,
            }])?;
            self.move_claimed_to_cur()?;
        }
        Ok(snapshot)
    }

    fn move_claimed_to_cur(&mut self) -> Result<(), StoreError> {
        let in_new: Vec<(Uid, FileLoc, String)> = self
            .index()
            .messages
            .iter()
            .filter_map(|e| match &e.file {
                Some(loc) if loc.sub == Sub::New => Some((e.uid, loc.clone(), e.info.clone())),
                _ => None,
            })
            .collect();
        if in_new.is_empty() {
            return Ok(());
        }
        for (uid, loc, info) in in_new {
            let to = FileLoc {
                sub: Sub::Cur,
                name: filename::with_info(FileName::parse(&loc.name).base, &info),
            };
            match fs::rename(self.path(&loc), self.path(&to)) {
                Ok(()) => self.locate(uid, to),
                // Someone else moved it: the next scan finds it.
                Err(e) if e.kind() == io::ErrorKind::NotFound => self.st.stamps = None,
                Err(e) => return Err(e.into()),
            }
        }
        self.restamp()
    }

    /// The message's bytes, or `None` if its file is not where the state
    /// says (another process renamed it): the caller rescans and retries.
    pub(crate) fn read(&self, uid: Uid) -> Result<Option<Bytes>, StoreError> {
        let entry = self.entry(uid).ok_or(StoreError::NoSuchMessage)?;
        let Some(loc) = &entry.file else {
            return Ok(None);
        };
        match fs::read(self.path(loc)) {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Forgets the directory times, so the next lock rescans.
    pub(crate) fn force_rescan(&mut self) {
        self.st.stamps = None;
    }

    /// The second half of an append: give the staged file its UID and
    /// rename it into `new/` (or `cur/` with flags), sync the directory,
    /// and journal it.
    pub(crate) fn commit(
        &mut self,
        staged: Staged,
        flags: &Flags,
        date: InternalDate,
    ) -> Result<Appended, StoreError> {
        let result = self.commit_staged(&staged, flags, date);
        if result.is_err() {
            let _ = fs::remove_file(&staged.path);
        }
        result
    }

    fn commit_staged(
        &mut self,
        staged: &Staged,
        flags: &Flags,
        date: InternalDate,
    ) -> Result<Appended, StoreError> {
        self.define_keywords(flags)?;
        let index = self.index();
        let uid = index.uid_next;
        uid.next()
            .filter(|&n| n != Uid::MAX)
            .ok_or(StoreError::UidsExhausted)?;
        let modseq = index.next_modseq().ok_or(StoreError::UidsExhausted)?;
        let info = index.keywords.info(flags);
        let loc = if info.is_empty() {
            FileLoc {
                sub: Sub::New,
                name: staged.base.clone(),
            }
        } else {
            FileLoc {
                sub: Sub::Cur,
                name: filename::with_info(&staged.base, &info),
            }
        };
        fs::rename(&staged.path, self.path(&loc))?;
        self.fsync_dir(loc.sub.dir())?;
        let validity = self.index().validity;
        self.write(vec![Record::Append {
            uid,
            modseq,
            date,
            size: staged.size,
            info,
            base: staged.base.clone(),
        }])?;
        self.locate(uid, loc);
        self.restamp()?;
        Ok(Appended {
            uid_validity: validity,
            uid,
            modseq,
        })
    }

    /// Journals the keywords of `flags` the folder does not know yet, and
    /// rewrites `dovecot-keywords` so Dovecot reads the same letters.
    fn define_keywords(&mut self, flags: &Flags) -> Result<(), StoreError> {
        let missing: Vec<_> = self.index().keywords.missing(flags).cloned().collect();
        if missing.is_empty() {
            return Ok(());
        }
        let mut table = self.index().keywords.clone();
        let mut records = Vec::with_capacity(missing.len());
        for keyword in missing {
            let index = table.add(keyword.clone())?;
            records.push(Record::Keyword { index, keyword });
        }
        self.write(records)?;
        let mut text = String::new();
        for (i, k) in self.index().keywords.names().iter().enumerate() {
            text.push_str(&format!("{i} {k}\n"));
        }
        let tmp = self.folder.dir.join(format!("{KEYWORDS}.tmp"));
        fs::write(&tmp, text)?;
        fs::rename(tmp, self.folder.dir.join(KEYWORDS))?;
        Ok(())
    }

    pub(crate) fn update_flags(
        &mut self,
        uids: &[Uid],
        op: FlagOp,
        flags: &Flags,
        unchanged_since: Option<u64>,
    ) -> Result<FlagsUpdated, StoreError> {
        if op != FlagOp::Remove {
            self.define_keywords(flags)?;
        }
        let modseq = self
            .index()
            .next_modseq()
            .ok_or(StoreError::UidsExhausted)?;
        let mut result = FlagsUpdated::default();
        let mut records = Vec::new();
        let mut moves = Vec::new();
        let index = self.index();
        for &uid in uids {
            let Some(e) = self.entry(uid) else { continue };
            if unchanged_since.is_some_and(|since| e.modseq.get() > since) {
                result.modified.push(uid);
                continue;
            }
            let before = index.keywords.flags(&e.info);
            let mut after = before.clone();
            after.apply(op, flags);
            let changed = after != before;
            if changed {
                let info = index.keywords.info(&after);
                if let Some(loc) = &e.file {
                    let foreign =
                        filename::foreign_letters(FileName::parse(&loc.name).info, &index.keywords);
                    let name = filename::with_info(&e.base, &filename::merge_info(&info, &foreign));
                    moves.push((
                        uid,
                        loc.clone(),
                        FileLoc {
                            sub: Sub::Cur,
                            name,
                        },
                    ));
                }
                records.push(Record::Flags { uid, modseq, info });
            }
            let m = if changed { modseq } else { e.modseq };
            result.updated.push(UpdatedFlags {
                uid,
                flags: after,
                modseq: m,
                changed,
            });
        }
        // Rename first, journal second: after a crash in between, the scan
        // finds the new names and journals them as a change.
        for (uid, from, to) in moves {
            match fs::rename(self.path(&from), self.path(&to)) {
                Ok(()) => self.locate(uid, to),
                Err(e) if e.kind() == io::ErrorKind::NotFound => self.st.stamps = None,
                Err(e) => return Err(e.into()),
            }
        }
        if !records.is_empty() {
            self.write(records)?;
            self.restamp()?;
        }
        Ok(result)
    }

    /// Unlinks the files of `uids` and journals their expunge.
    pub(crate) fn expunge(&mut self, uids: &[Uid]) -> Result<Expunged, StoreError> {
        let mut gone = Vec::new();
        for &uid in uids {
            let Some(e) = self.entry(uid) else { continue };
            if let Some(loc) = &e.file {
                match fs::remove_file(self.path(loc)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
            gone.push(uid);
        }
        if gone.is_empty() {
            return Ok(Expunged::default());
        }
        let modseq = self
            .index()
            .next_modseq()
            .ok_or(StoreError::UidsExhausted)?;
        self.write(vec![Record::Expunge {
            modseq,
            uids: gone.clone(),
        }])?;
        self.restamp()?;
        Ok(Expunged {
            uids: gone,
            modseq: Some(modseq),
        })
    }

    /// Puts the messages `uids` of `source` into this folder: hard links for
    /// a copy (Dovecot does the same: no byte is copied), renames for a move.
    /// `source` is `None` when the source is this folder.
    pub(crate) fn receive(
        &mut self,
        source: Option<&mut Locked<'_>>,
        uids: &[Uid],
        moving: bool,
    ) -> Result<Copied, StoreError> {
        let picked: Vec<(Uid, MessageMeta, String, FileLoc)> = {
            let src: &Locked<'_> = source.as_deref().unwrap_or(self);
            let index = src.index();
            uids.iter()
                .filter_map(|&uid| src.entry(uid))
                .filter_map(|e| Some((e.uid, index.meta(e), e.base.clone(), e.file.clone()?)))
                .collect()
        };
        let mut copied = Copied {
            uid_validity: self.index().validity,
            uids: Vec::with_capacity(picked.len()),
        };
        if picked.is_empty() {
            return Ok(copied);
        }
        let all_flags: Flags = picked.iter().flat_map(|p| p.1.flags.iter()).collect();
        self.define_keywords(&all_flags)?;
        let modseq = self
            .index()
            .next_modseq()
            .ok_or(StoreError::UidsExhausted)?;
        let mut uid = self.index().uid_next;
        let mut records = Vec::with_capacity(picked.len());
        let mut located = Vec::with_capacity(picked.len());
        let mut moved = Vec::new();
        for (from, meta, _, loc) in picked {
            let src_path = source.as_deref().unwrap_or(self).path(&loc);
            let base = filename::unique_base(&self.folder.options.hostname, meta.size);
            let info = self.index().keywords.info(&meta.flags);
            let to = FileLoc {
                sub: Sub::Cur,
                name: filename::with_info(&base, &info),
            };
            let placed = if moving {
                fs::rename(&src_path, self.path(&to))
            } else {
                link_or_copy(&src_path, &self.path(&to), self.folder.options.fsync)
            };
            match placed {
                Ok(()) => {}
                // Expunged by another process since the scan: skip it.
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            }
            records.push(Record::Append {
                uid,
                modseq,
                date: meta.internal_date,
                size: meta.size,
                info,
                base,
            });
            located.push((uid, to));
            copied.uids.push((from, uid));
            moved.push(from);
            uid = uid.next().ok_or(StoreError::UidsExhausted)?;
        }
        self.fsync_dir("cur")?;
        self.write(records)?;
        for (uid, loc) in located {
            self.locate(uid, loc);
        }
        self.restamp()?;
        if moving {
            match source {
                Some(src) => {
                    let m = src.index().next_modseq().ok_or(StoreError::UidsExhausted)?;
                    src.write(vec![Record::Expunge {
                        modseq: m,
                        uids: moved,
                    }])?;
                    src.restamp()?;
                }
                None => {
                    let m = self
                        .index()
                        .next_modseq()
                        .ok_or(StoreError::UidsExhausted)?;
                    self.write(vec![Record::Expunge {
                        modseq: m,
                        uids: moved,
                    }])?;
                }
            }
        }
        Ok(copied)
    }

    /// Everything a new folder needs to take over this one's messages under
    /// the same UIDs: RENAME of INBOX. Moves the files into `target`'s
    /// directories, journals their expunge here, and returns the records
    /// the target's journal starts with.
    pub(crate) fn hand_over(
        &mut self,
        target: &std::path::Path,
    ) -> Result<Vec<Record>, StoreError> {
        let index = self.index().clone();
        let mut records = index.compacted();
        let mut moved = Vec::with_capacity(index.messages.len());
        for e in &index.messages {
            let Some(loc) = &e.file else { continue };
            let to = target.join(loc.sub.dir()).join(&loc.name);
            match fs::rename(self.path(loc), to) {
                Ok(()) => moved.push(e.uid),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) => return Err(err.into()),
            }
        }
        // `moved` is ascending: the messages are.
        records.retain(
            |r| !matches!(r, Record::Append { uid, .. } if moved.binary_search(uid).is_err()),
        );
        if !moved.is_empty() {
            let modseq = index.next_modseq().ok_or(StoreError::UidsExhausted)?;
            self.write(vec![Record::Expunge {
                modseq,
                uids: moved,
            }])?;
            self.restamp()?;
        }
        Ok(records)
    }
}

/// A hard link at `to` for the file at `from`, or a synced copy where the
/// file system cannot link.
fn link_or_copy(from: &std::path::Path, to: &std::path::Path, fsync: bool) -> io::Result<()> {
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(e),
        Err(_) => {
            fs::copy(from, to)?;
            if fsync {
                File::open(to)?.sync_all()?;
            }
            Ok(())
        }
    }
}
