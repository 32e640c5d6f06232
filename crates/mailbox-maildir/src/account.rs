//! One user's Maildir: the folder hierarchy and subscriptions.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use mailbox_traits::{
    Account, MailboxInfo, MailboxName, SpecialUse, StoreError, UidValidity, UserId,
};

use crate::folder::Folder;
use crate::layout::{self, ACCOUNT_LOCK, SPECIAL_USE, SUBSCRIPTIONS, UIDVALIDITY};
use crate::mailbox::MaildirMailbox;
use crate::{Inner, blocking};

/// A user's account in a [`MaildirStore`](crate::MaildirStore).
#[derive(Clone, Debug)]
pub struct MaildirAccount {
    inner: Arc<Inner>,
    home: PathBuf,
}

impl MaildirAccount {
    pub(crate) fn new(inner: Arc<Inner>, home: PathBuf) -> Self {
        Self { inner, home }
    }

    /// Runs `f` on a blocking thread with the account locked.
    async fn locked<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner, &Path) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (inner, home) = (self.inner.clone(), self.home.clone());
        blocking(move || {
            let lock = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(home.join(ACCOUNT_LOCK))?;
            lock.lock()?;
            f(&inner, &home)
        })
        .await
    }
}

/// Gives out a UIDVALIDITY no folder of this account had: the current time
/// in seconds, or one more than the last given if that is not below it
/// (Dovecot keeps the same counter, in `dovecot-uidvalidity`).
pub(crate) fn allocate_validity(home: &Path) -> Result<UidValidity, StoreError> {
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(home.join(UIDVALIDITY))?;
    file.lock()?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    let last: u32 = text.trim().parse().unwrap_or(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let now = u32::try_from(now).unwrap_or(u32::MAX);
    let next = now.max(last.wrapping_add(1)).max(1);
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    writeln!(file, "{next}")?;
    file.sync_all()?;
    UidValidity::new(next).ok_or(StoreError::UidsExhausted)
}

/// Whether `dir` is a folder (it has `cur/`).
fn is_folder(dir: &Path) -> bool {
    dir.join("cur").is_dir()
}

/// Every folder of the account but INBOX, by name.
fn folders(home: &Path) -> Result<Vec<MailboxName>, StoreError> {
    let mut names = Vec::new();
    for entry in fs::read_dir(home)? {
        let entry = entry?;
        let Ok(file_name) = entry.file_name().into_string() else {
            continue;
        };
        if let Some(name) = layout::folder_name(&file_name)
            && is_folder(&entry.path())
        {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

fn special_use(dir: &Path) -> Option<SpecialUse> {
    fs::read_to_string(dir.join(SPECIAL_USE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Creates the folder `name` with a new UIDVALIDITY, and its special use.
fn create_folder(
    inner: &Inner,
    home: &Path,
    name: &MailboxName,
    use_: Option<SpecialUse>,
) -> Result<(), StoreError> {
    let dir = layout::folder_dir(home, name)?;
    Folder::create(&dir, allocate_validity(home)?, &inner.options)?;
    if let Some(u) = use_ {
        fs::write(dir.join(SPECIAL_USE), format!("{u}\n"))?;
    }
    if inner.options.fsync {
        File::open(home)?.sync_all()?;
    }
    Ok(())
}

fn create_ancestors(inner: &Inner, home: &Path, name: &MailboxName) -> Result<(), StoreError> {
    for parent in name.ancestors() {
        if !is_folder(&layout::folder_dir(home, &parent)?) {
            create_folder(inner, home, &parent, None)?;
        }
    }
    Ok(())
}

fn read_subscriptions(home: &Path) -> Result<Vec<MailboxName>, StoreError> {
    let text = match fs::read_to_string(home.join(SUBSCRIPTIONS)) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.into()),
    };
    let mut names: Vec<MailboxName> = text
        .lines()
        .filter_map(|l| MailboxName::new(l).ok())
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

fn write_subscriptions(home: &Path, names: &[MailboxName]) -> Result<(), StoreError> {
    let mut text = String::new();
    for n in names {
        text.push_str(n.as_str());
        text.push('\n');
    }
    let tmp = home.join(format!("{SUBSCRIPTIONS}.tmp"));
    fs::write(&tmp, text)?;
    fs::rename(tmp, home.join(SUBSCRIPTIONS))?;
    Ok(())
}

/// A directory name for a folder on its way out: not a folder name, so no
/// listing shows it while it is removed.
fn trash_name(home: &Path) -> PathBuf {
    home.join(format!(
        "mail-proto-trash.{}",
        crate::filename::unique_base("x", 0)
    ))
}

impl Account for MaildirAccount {
    type Mailbox = MaildirMailbox;

    async fn list_mailboxes(&self) -> Result<Vec<MailboxInfo>, StoreError> {
        let home = self.home.clone();
        blocking(move || {
            let mut list = vec![MailboxInfo {
                name: MailboxName::inbox(),
                special_use: special_use(&home),
            }];
            for name in folders(&home)? {
                let special_use = special_use(&layout::folder_dir(&home, &name)?);
                list.push(MailboxInfo { name, special_use });
            }
            list.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(list)
        })
        .await
    }

    async fn create_mailbox(
        &self,
        name: &MailboxName,
        special_use: Option<SpecialUse>,
    ) -> Result<(), StoreError> {
        let name = name.clone();
        self.locked(move |inner, home| {
            if is_folder(&layout::folder_dir(home, &name)?) {
                return Err(StoreError::AlreadyExists);
            }
            create_ancestors(inner, home, &name)?;
            create_folder(inner, home, &name, special_use)
        })
        .await
    }

    async fn delete_mailbox(&self, name: &MailboxName) -> Result<(), StoreError> {
        if name.is_inbox() {
            return Err(StoreError::NotPermitted("INBOX cannot be deleted"));
        }
        let name = name.clone();
        self.locked(move |inner, home| {
            let dir = layout::folder_dir(home, &name)?;
            if !is_folder(&dir) {
                return Err(StoreError::NoSuchMailbox);
            }
            if folders(home)?.iter().any(|n| n.is_descendant_of(&name)) {
                return Err(StoreError::HasChildren);
            }
            // Out of sight first, then removed: a crash in between leaves
            // only a directory no listing shows.
            let trash = trash_name(home);
            fs::rename(&dir, &trash)?;
            inner.close_folder(&dir);
            fs::remove_dir_all(&trash)?;
            Ok(())
        })
        .await
    }

    async fn rename_mailbox(&self, from: &MailboxName, to: &MailboxName) -> Result<(), StoreError> {
        let (from, to) = (from.clone(), to.clone());
        self.locked(move |inner, home| {
            let from_dir = layout::folder_dir(home, &from)?;
            if !is_folder(&from_dir) {
                return Err(StoreError::NoSuchMailbox);
            }
            if is_folder(&layout::folder_dir(home, &to)?) {
                return Err(StoreError::AlreadyExists);
            }
            if to.is_descendant_of(&from) {
                return Err(StoreError::NotPermitted(
                    "a mailbox cannot move below itself",
                ));
            }
            if from.is_inbox() {
                return rename_inbox(inner, home, &to);
            }
            let mut moving = vec![from.clone()];
            moving.extend(
                folders(home)?
                    .into_iter()
                    .filter(|n| n.is_descendant_of(&from)),
            );
            let mut plan = Vec::with_capacity(moving.len());
            for old in moving {
                let new = old.rebase(&from, &to).ok_or(StoreError::NotPermitted(
                    "a name would be too long after the rename",
                ))?;
                plan.push((
                    layout::folder_dir(home, &old)?,
                    layout::folder_dir(home, &new)?,
                    old,
                    new,
                ));
            }
            create_ancestors(inner, home, &to)?;
            for (old_dir, new_dir, ..) in &plan {
                fs::rename(old_dir, new_dir)?;
                inner.close_folder(old_dir);
            }
            let mut subs = read_subscriptions(home)?;
            for name in &mut subs {
                if let Some((.., new)) = plan.iter().find(|p| &p.2 == name) {
                    *name = new.clone();
                }
            }
            write_subscriptions(home, &subs)?;
            if inner.options.fsync {
                File::open(home)?.sync_all()?;
            }
            Ok(())
        })
        .await
    }

    async fn subscribe(&self, name: &MailboxName) -> Result<(), StoreError> {
        let name = name.clone();
        self.locked(move |_, home| {
            let mut subs = read_subscriptions(home)?;
            if !subs.contains(&name) {
                subs.push(name);
                write_subscriptions(home, &subs)?;
            }
            Ok(())
        })
        .await
    }

    async fn unsubscribe(&self, name: &MailboxName) -> Result<(), StoreError> {
        let name = name.clone();
        self.locked(move |_, home| {
            let mut subs = read_subscriptions(home)?;
            subs.retain(|n| n != &name);
            write_subscriptions(home, &subs)
        })
        .await
    }

    async fn subscriptions(&self) -> Result<Vec<MailboxName>, StoreError> {
        let home = self.home.clone();
        blocking(move || read_subscriptions(&home)).await
    }

    async fn open_mailbox(&self, name: &MailboxName) -> Result<MaildirMailbox, StoreError> {
        let dir = layout::folder_dir(&self.home, name)?;
        let (inner, home) = (self.inner.clone(), self.home.clone());
        blocking(move || {
            if !is_folder(&dir) {
                return Err(StoreError::NoSuchMailbox);
            }
            let folder = inner.folder(dir, home);
            // Load it now, so a damaged index shows up at open.
            drop(folder.lock()?);
            Ok(MaildirMailbox::new(folder))
        })
        .await
    }
}

/// RENAME of INBOX (RFC 9051 §6.3.6): a new folder takes INBOX's messages
/// under their UIDs and a new UIDVALIDITY; INBOX stays, empty.
fn rename_inbox(inner: &Inner, home: &Path, to: &MailboxName) -> Result<(), StoreError> {
    create_ancestors(inner, home, to)?;
    let target = layout::folder_dir(home, to)?;
    let validity = allocate_validity(home)?;
    Folder::create(&target, validity, &inner.options)?;
    let inbox = inner.folder(home.to_path_buf(), home.to_path_buf());
    let mut locked = inbox.lock()?;
    let records = locked.hand_over(&target)?;
    crate::folder::write_journal(&target, validity, &records, inner.options.fsync)
}

/// The user id of a home directory, for listings of users.
pub(crate) fn user_of(home: &Path) -> Option<UserId> {
    let name = home.file_name()?.to_str()?;
    layout::user_dir_name(name)
        .filter(|n| n == name)
        .map(|n| layout::user_id(&n))
}
