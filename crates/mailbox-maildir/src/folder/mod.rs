//! One Maildir folder: its journal, its files, and the lock that keeps
//! sessions and processes from stepping on each other.
//!
//! Every operation runs on a blocking thread with the folder [`Locked`]:
//! the in-process mutex, then an exclusive `flock` on the folder's lock file
//! for other processes. Locking refreshes the cached state from disk first:
//! new journal lines from other processes, and, when `new/` or `cur/`
//! changed, a scan that adopts files delivered or renamed by other programs.

mod ops;

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use mailbox_traits::{Change, InternalDate, Keyword, StoreError, UidValidity};
use tokio::sync::broadcast;

use crate::filename::FileName;
use crate::index::{Entry, FileLoc, Index, Sub};
use crate::journal::{self, Record};
use crate::layout::{INDEX, INDEX_LOCK, KEYWORDS};
use crate::{Options, account};

/// A folder, shared by every handle on it in this process.
#[derive(Debug)]
pub(crate) struct Folder {
    /// The folder's directory.
    pub(crate) dir: PathBuf,
    /// The user's Maildir, where the UIDVALIDITY counter lives.
    home: PathBuf,
    options: Arc<Options>,
    /// The folder was deleted or renamed away.
    closed: AtomicBool,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The replayed journal; `None` until first loaded.
    index: Option<Index>,
    /// The journal file this state was read from: device and inode.
    journal_id: (u64, u64),
    /// How far the journal has been read: the end of its last whole line.
    journal_offset: u64,
    /// Lines in the journal, to know when to compact it.
    journal_lines: usize,
    /// The modification times of `new/` and `cur/` at the last scan.
    stamps: Option<(SystemTime, SystemTime)>,
    feed: Option<broadcast::Sender<Change>>,
}

/// The folder, locked against other sessions and processes, with its state
/// fresh from disk.
pub(crate) struct Locked<'a> {
    folder: &'a Folder,
    st: MutexGuard<'a, State>,
    _flock: File,
}

impl Folder {
    pub(crate) fn new(dir: PathBuf, home: PathBuf, options: Arc<Options>) -> Self {
        Self {
            dir,
            home,
            options,
            closed: AtomicBool::new(false),
            state: Mutex::new(State::default()),
        }
    }

    /// Locks the folder and brings its state up to date.
    pub(crate) fn lock(&self) -> Result<Locked<'_>, StoreError> {
        let st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if self.is_closed() {
            return Err(StoreError::NoSuchMailbox);
        }
        let flock = match OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(INDEX_LOCK))
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(StoreError::NoSuchMailbox),
            Err(e) => return Err(e.into()),
        };
        flock.lock()?;
        let mut locked = Locked {
            folder: self,
            st,
            _flock: flock,
        };
        locked.refresh()?;
        Ok(locked)
    }

    /// Marks the folder gone: every handle fails from now on, feeds end.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        st.feed = None;
        st.index = None;
    }

    pub(crate) fn options(&self) -> &Options {
        &self.options
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// A receiver of the folder's changes.
    pub(crate) fn subscribe(&self) -> Result<broadcast::Receiver<Change>, StoreError> {
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if self.is_closed() {
            return Err(StoreError::NoSuchMailbox);
        }
        Ok(match &st.feed {
            Some(tx) => tx.subscribe(),
            None => {
                let (tx, rx) = broadcast::channel(self.options.feed_capacity.max(1));
                st.feed = Some(tx);
                rx
            }
        })
    }

    /// Picks up changes other processes made, for watchers; closes the
    /// folder if it is gone.
    pub(crate) fn poll_changes(&self) {
        match self.lock() {
            Ok(_) => {}
            Err(StoreError::NoSuchMailbox) => self.close(),
            Err(e) => tracing::warn!(dir = %self.dir.display(), "checking for changes: {e}"),
        }
    }

    /// Creates a folder's directories and journal. The directory may exist
    /// already (a parent made by hand); the journal must not.
    pub(crate) fn create(
        dir: &Path,
        validity: UidValidity,
        options: &Options,
    ) -> Result<(), StoreError> {
        for sub in ["", "cur", "new", "tmp"] {
            match fs::create_dir(dir.join(sub)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e.into()),
            }
        }
        let state = Index::new(validity).compacted();
        write_journal(dir, validity, &state, options.fsync)?;
        Ok(())
    }
}

impl Locked<'_> {
    pub(crate) fn index(&self) -> &Index {
        // `lock` loaded it, and nothing unloads it while locked.
        self.st
            .index
            .as_ref()
            .unwrap_or_else(|| unreachable!("a locked folder has an index"))
    }

    fn index_mut(&mut self) -> &mut Index {
        self.st
            .index
            .as_mut()
            .unwrap_or_else(|| unreachable!("a locked folder has an index"))
    }

    fn path(&self, loc: &FileLoc) -> PathBuf {
        self.folder.dir.join(loc.sub.dir()).join(&loc.name)
    }

    fn fsync_dir(&self, sub: &str) -> Result<(), StoreError> {
        if self.folder.options.fsync {
            File::open(self.folder.dir.join(sub))?.sync_all()?;
        }
        Ok(())
    }

    /// Brings the state up to date with the journal and the directories.
    pub(crate) fn refresh_now(&mut self) -> Result<(), StoreError> {
        self.refresh()
    }

    fn refresh(&mut self) -> Result<(), StoreError> {
        let jpath = self.folder.dir.join(INDEX);
        match fs::metadata(&jpath) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if !self.folder.dir.join("cur").is_dir() {
                    return Err(StoreError::NoSuchMailbox);
                }
                self.rebuild("the journal is missing")?;
            }
            Err(e) => return Err(e.into()),
            Ok(meta) => {
                let id = (meta.dev(), meta.ino());
                if self.st.index.is_none() || id != self.st.journal_id {
                    self.load()?;
                } else if meta.len() > self.st.journal_offset {
                    self.read_tail()?;
                }
            }
        }
        self.scan_if_changed()
    }

    /// Reads the whole journal.
    fn load(&mut self) -> Result<(), StoreError> {
        let mut file = File::open(self.folder.dir.join(INDEX))?;
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        let (lines, end) = journal::complete_lines(&bytes);
        let replayed = lines
            .split_first()
            .ok_or("empty journal".to_owned())
            .and_then(|(header, records)| {
                let header = std::str::from_utf8(header).map_err(|e| e.to_string())?;
                let validity =
                    journal::parse_header(header).ok_or("bad journal header".to_owned())?;
                let mut index = Index::new(validity);
                for line in records {
                    let line = std::str::from_utf8(line).map_err(|e| e.to_string())?;
                    index.apply(Record::parse(line)?)?;
                }
                Ok((index, records.len()))
            });
        let (index, count) = match replayed {
            Ok(r) => r,
            Err(why) => return self.rebuild(&why),
        };
        let changes = self
            .st
            .index
            .as_ref()
            .map(|old| index.diff(old))
            .unwrap_or_default();
        self.st.index = Some(index);
        self.st.journal_id = (meta.dev(), meta.ino());
        self.st.journal_offset = end as u64;
        self.st.journal_lines = count;
        self.st.stamps = None;
        self.remove_stale_tmp();
        self.emit(changes);
        Ok(())
    }

    /// Reads the lines other processes appended since the last read.
    fn read_tail(&mut self) -> Result<(), StoreError> {
        let mut file = File::open(self.folder.dir.join(INDEX))?;
        file.seek(SeekFrom::Start(self.st.journal_offset))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let (lines, end) = journal::complete_lines(&bytes);
        let mut changes = Vec::with_capacity(lines.len());
        for line in &lines {
            let applied = std::str::from_utf8(line)
                .map_err(|e| e.to_string())
                .and_then(Record::parse)
                .and_then(|r| self.index_mut().apply(r));
            match applied {
                Ok(change) => changes.extend(change),
                Err(why) => return self.rebuild(&why),
            }
        }
        self.st.journal_offset += end as u64;
        self.st.journal_lines += lines.len();
        self.emit(changes);
        Ok(())
    }

    /// Recreates a missing or damaged journal from the message files, under
    /// a new UIDVALIDITY: the old UIDs cannot be trusted any more.
    fn rebuild(&mut self, why: &str) -> Result<(), StoreError> {
        let validity = account::allocate_validity(&self.folder.home)?;
        tracing::warn!(dir = %self.folder.dir.display(), %validity, "rebuilding the folder index: {why}");
        let mut index = Index::new(validity);
        // Keyword letters mean what Dovecot's file says they mean.
        if let Ok(text) = fs::read_to_string(self.folder.dir.join(KEYWORDS)) {
            for (i, line) in text.lines().enumerate() {
                let keyword = line
                    .split_once(' ')
                    .filter(|(n, _)| n.parse() == Ok(i))
                    .and_then(|(_, k)| Keyword::new(k).ok());
                if keyword.is_none_or(|k| index.keywords.define(i, k).is_err()) {
                    break;
                }
            }
        }
        let mut files: Vec<(String, FileLoc)> = self.list_files()?.into_iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let modseq = index
            .highest_modseq
            .next()
            .ok_or(StoreError::UidsExhausted)?;
        for (base, loc) in files {
            let Ok(meta) = fs::metadata(self.path(&loc)) else {
                continue;
            };
            let info = FileName::parse(&loc.name).info;
            let flags = index.keywords.flags(info);
            let info = index.keywords.info(&flags);
            let date = meta
                .modified()
                .map(InternalDate::from)
                .unwrap_or_else(|_| InternalDate::now());
            let uid = index.uid_next;
            let record = Record::Append {
                uid,
                modseq,
                date,
                size: meta.len(),
                info,
                base,
            };
            index
                .apply(record)
                .map_err(|e| StoreError::Backend(e.into()))?;
        }
        let records = index.compacted();
        write_journal(
            &self.folder.dir,
            validity,
            &records,
            self.folder.options.fsync,
        )?;
        let meta = fs::metadata(self.folder.dir.join(INDEX))?;
        let had_index = self.st.index.is_some();
        self.st.index = Some(index);
        self.st.journal_id = (meta.dev(), meta.ino());
        self.st.journal_offset = meta.len();
        self.st.journal_lines = records.len();
        self.st.stamps = None;
        self.remove_stale_tmp();
        if had_index {
            self.emit(vec![Change::Lagged]);
        }
        Ok(())
    }

    /// Every message file in `new/` and `cur/`, by base name.
    fn list_files(&self) -> Result<HashMap<String, FileLoc>, StoreError> {
        let mut files = HashMap::new();
        for sub in [Sub::New, Sub::Cur] {
            for entry in fs::read_dir(self.folder.dir.join(sub.dir()))? {
                let entry = entry?;
                let Ok(name) = entry.file_name().into_string() else {
                    continue;
                };
                if name.starts_with('.') {
                    continue;
                }
                let base = FileName::parse(&name).base.to_owned();
                files.insert(base, FileLoc { sub, name });
            }
        }
        Ok(files)
    }

    fn dir_stamps(&self) -> Result<(SystemTime, SystemTime), StoreError> {
        let new = fs::metadata(self.folder.dir.join("new"))?.modified()?;
        let cur = fs::metadata(self.folder.dir.join("cur"))?.modified()?;
        Ok((new, cur))
    }

    /// Scans `new/` and `cur/` if they changed since the last scan, and
    /// journals what other programs did: files added (new messages), renamed
    /// (flag changes) and removed (expunges).
    fn scan_if_changed(&mut self) -> Result<(), StoreError> {
        let stamps = self.dir_stamps()?;
        if self.st.stamps == Some(stamps) {
            return Ok(());
        }
        let mut files = self.list_files()?;
        let mut records = Vec::new();
        let mut gone = Vec::new();
        let index = self.index_mut();
        let Some(modseq) = index.next_modseq() else {
            return Err(StoreError::UidsExhausted);
        };
        for e in &mut index.messages {
            match files.remove(&e.base) {
                Some(loc) => {
                    let on_disk = index.keywords.flags(FileName::parse(&loc.name).info);
                    if loc.sub == Sub::Cur && on_disk != index.keywords.flags(&e.info) {
                        records.push(Record::Flags {
                            uid: e.uid,
                            modseq,
                            info: index.keywords.info(&on_disk),
                        });
                    }
                    e.file = Some(loc);
                }
                None => gone.push(e.uid),
            }
        }
        if !gone.is_empty() {
            records.push(Record::Expunge { modseq, uids: gone });
        }
        let mut arrived: Vec<(String, FileLoc)> = files.into_iter().collect();
        arrived.sort_by(|a, b| a.0.cmp(&b.0));
        let mut uid = index.uid_next;
        let mut located = Vec::with_capacity(arrived.len());
        for (base, loc) in arrived {
            let Ok(meta) = fs::metadata(self.folder.dir.join(loc.sub.dir()).join(&loc.name)) else {
                continue;
            };
            let index = self.index();
            let info = index
                .keywords
                .info(&index.keywords.flags(FileName::parse(&loc.name).info));
            let date = meta
                .modified()
                .map(InternalDate::from)
                .unwrap_or_else(|_| InternalDate::now());
            records.push(Record::Append {
                uid,
                modseq,
                date,
                size: meta.len(),
                info,
                base,
            });
            located.push((uid, loc));
            uid = uid.next().ok_or(StoreError::UidsExhausted)?;
        }
        if !records.is_empty() {
            tracing::debug!(dir = %self.folder.dir.display(), changes = records.len(), "adopting changes made outside the journal");
            self.write(records)?;
            for (uid, loc) in located {
                self.locate(uid, loc);
            }
        }
        self.st.stamps = Some(stamps);
        Ok(())
    }

    /// Records where a message's file now is.
    fn locate(&mut self, uid: mailbox_traits::Uid, loc: FileLoc) {
        let index = self.index_mut();
        if let Some(i) = index.position(uid) {
            index.messages[i].file = Some(loc);
        }
    }

    /// After an operation of ours changed the directories: take their new
    /// times as seen, so the next lock does not rescan for nothing.
    fn restamp(&mut self) -> Result<(), StoreError> {
        if self.st.stamps.is_some() {
            self.st.stamps = Some(self.dir_stamps()?);
        }
        Ok(())
    }

    /// Appends records to the journal durably, applies them, and tells
    /// watchers.
    fn write(&mut self, records: Vec<Record>) -> Result<(), StoreError> {
        let mut text = String::with_capacity(records.len() * 96);
        for r in &records {
            text.push_str(&r.to_string());
        }
        let mut file = OpenOptions::new()
            .write(true)
            .open(self.folder.dir.join(INDEX))?;
        // Cut off a line a crash left torn, then write after the last whole one.
        if file.metadata()?.len() != self.st.journal_offset {
            file.set_len(self.st.journal_offset)?;
        }
        file.seek(SeekFrom::Start(self.st.journal_offset))?;
        file.write_all(text.as_bytes())?;
        if self.folder.options.fsync {
            file.sync_data()?;
        }
        self.st.journal_offset += text.len() as u64;
        self.st.journal_lines += records.len();
        let mut changes = Vec::with_capacity(records.len());
        for r in records {
            changes.extend(
                self.index_mut()
                    .apply(r)
                    .map_err(|e| StoreError::Backend(e.into()))?,
            );
        }
        self.emit(changes);
        self.maybe_compact()
    }

    /// Rewrites the journal to its state once dead lines outnumber live ones.
    fn maybe_compact(&mut self) -> Result<(), StoreError> {
        let live = self.index().messages.len() + self.index().keywords.names().len() + 1;
        if self.st.journal_lines <= 2 * live + 1024 {
            return Ok(());
        }
        let (validity, records) = (self.index().validity, self.index().compacted());
        write_journal(
            &self.folder.dir,
            validity,
            &records,
            self.folder.options.fsync,
        )?;
        let meta = fs::metadata(self.folder.dir.join(INDEX))?;
        self.st.journal_id = (meta.dev(), meta.ino());
        self.st.journal_offset = meta.len();
        self.st.journal_lines = records.len();
        Ok(())
    }

    fn emit(&mut self, changes: Vec<Change>) {
        if let Some(tx) = &self.st.feed {
            for change in changes {
                if tx.send(change).is_err() {
                    // No one watches any more: drop the buffer until someone does.
                    self.st.feed = None;
                    break;
                }
            }
        }
    }

    /// Deletes files in `tmp/` untouched for 36 hours (the Maildir spec's
    /// advice): deliveries that crashed before their rename.
    fn remove_stale_tmp(&self) {
        let Ok(entries) = fs::read_dir(self.folder.dir.join("tmp")) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            if entry.metadata().is_ok_and(|m| is_stale(&m, now)) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// The entry of a message, if it exists.
    pub(crate) fn entry(&self, uid: mailbox_traits::Uid) -> Option<&Entry> {
        let index = self.index();
        index.position(uid).map(|i| &index.messages[i])
    }
}

/// Whether a file in `tmp/` is left over from a crash: its status changed
/// more than 36 hours ago. Not its modification time: a staged message's
/// is set to its internal date, which may be years old.
fn is_stale(meta: &fs::Metadata, now: SystemTime) -> bool {
    let changed =
        std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(meta.ctime()).unwrap_or(0));
    now.duration_since(changed)
        .is_ok_and(|age| age > Duration::from_secs(36 * 3600))
}

/// Writes a whole journal atomically: to a temporary file, synced, renamed
/// over the old one, and the directory synced.
pub(crate) fn write_journal(
    dir: &Path,
    validity: UidValidity,
    records: &[Record],
    fsync: bool,
) -> Result<(), StoreError> {
    let mut text = journal::header(validity);
    for r in records {
        text.push_str(&r.to_string());
    }
    let tmp = dir.join(format!("{INDEX}.tmp"));
    let mut file = File::create(&tmp)?;
    file.write_all(text.as_bytes())?;
    if fsync {
        file.sync_all()?;
    }
    fs::rename(&tmp, dir.join(INDEX))?;
    if fsync {
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmp_files_go_stale_by_status_change_not_by_date() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("staged");
        let file = File::create(&path).expect("create");
        // A message being appended with an internal date of 2001.
        file.set_modified(std::time::UNIX_EPOCH + Duration::from_secs(1_000_000_000))
            .expect("mtime");
        let meta = fs::metadata(&path).expect("metadata");
        assert!(!is_stale(&meta, SystemTime::now()));
        assert!(!is_stale(
            &meta,
            SystemTime::now() + Duration::from_secs(35 * 3600)
        ));
        assert!(is_stale(
            &meta,
            SystemTime::now() + Duration::from_secs(37 * 3600)
        ));
    }
}
