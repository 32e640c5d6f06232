//! One user's hierarchy of mailboxes.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use super::mailbox::{Cell, MemoryMailbox};
use super::{Shared, User, read, write};
use crate::{Account, MailboxInfo, MailboxName, SpecialUse, StoreError, UidValidity};

/// The mailboxes and subscriptions of one user.
#[derive(Debug)]
pub(super) struct Tree {
    boxes: BTreeMap<MailboxName, Entry>,
    subscriptions: BTreeSet<MailboxName>,
}

#[derive(Debug)]
struct Entry {
    cell: Arc<Cell>,
    special_use: Option<SpecialUse>,
}

impl Tree {
    pub(super) fn new(inbox_validity: UidValidity) -> Self {
        let mut boxes = BTreeMap::new();
        let inbox = Entry {
            cell: Arc::new(Cell::new(inbox_validity)),
            special_use: None,
        };
        boxes.insert(MailboxName::inbox(), inbox);
        Self {
            boxes,
            subscriptions: BTreeSet::new(),
        }
    }

    fn has_children(&self, name: &MailboxName) -> bool {
        self.descendants(name).next().is_some()
    }

    /// Every mailbox below `name`: a contiguous run of the map, the names
    /// that start with `name/`.
    fn descendants(&self, name: &MailboxName) -> impl Iterator<Item = &MailboxName> {
        let prefix = format!("{name}{}", MailboxName::DELIMITER);
        self.boxes
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .map(|(n, _)| n)
            .take_while(move |n| n.as_str().starts_with(&prefix))
    }

    /// Creates `name`'s missing ancestors, plain mailboxes.
    fn create_ancestors(&mut self, name: &MailboxName, shared: &Shared) {
        for parent in name.ancestors() {
            self.boxes.entry(parent).or_insert_with(|| Entry {
                cell: Arc::new(Cell::new(shared.new_uid_validity())),
                special_use: None,
            });
        }
    }
}

/// A user's account in a [`MemoryStore`](super::MemoryStore).
#[derive(Clone, Debug)]
pub struct MemoryAccount {
    user: Arc<User>,
    shared: Arc<Shared>,
}

impl MemoryAccount {
    pub(super) fn new(user: Arc<User>, shared: Arc<Shared>) -> Self {
        Self { user, shared }
    }

    fn rename_inbox(&self, tree: &mut Tree, to: &MailboxName) -> Result<(), StoreError> {
        let inbox = tree
            .boxes
            .get(&MailboxName::inbox())
            .ok_or(StoreError::NoSuchMailbox)?;
        let moved = inbox.cell.take_all(self.shared.new_uid_validity());
        tree.create_ancestors(to, &self.shared);
        tree.boxes.insert(
            to.clone(),
            Entry {
                cell: Arc::new(moved),
                special_use: None,
            },
        );
        Ok(())
    }
}

impl Account for MemoryAccount {
    type Mailbox = MemoryMailbox;

    async fn list_mailboxes(&self) -> Result<Vec<MailboxInfo>, StoreError> {
        let tree = read(&self.user.tree);
        Ok(tree
            .boxes
            .iter()
            .map(|(name, e)| MailboxInfo {
                name: name.clone(),
                special_use: e.special_use,
            })
            .collect())
    }

    async fn create_mailbox(
        &self,
        name: &MailboxName,
        special_use: Option<SpecialUse>,
    ) -> Result<(), StoreError> {
        let mut tree = write(&self.user.tree);
        if tree.boxes.contains_key(name) {
            return Err(StoreError::AlreadyExists);
        }
        tree.create_ancestors(name, &self.shared);
        let cell = Arc::new(Cell::new(self.shared.new_uid_validity()));
        tree.boxes.insert(name.clone(), Entry { cell, special_use });
        Ok(())
    }

    async fn delete_mailbox(&self, name: &MailboxName) -> Result<(), StoreError> {
        if name.is_inbox() {
            return Err(StoreError::NotPermitted("INBOX cannot be deleted"));
        }
        let mut tree = write(&self.user.tree);
        if !tree.boxes.contains_key(name) {
            return Err(StoreError::NoSuchMailbox);
        }
        if tree.has_children(name) {
            return Err(StoreError::HasChildren);
        }
        if let Some(entry) = tree.boxes.remove(name) {
            entry.cell.close();
        }
        Ok(())
    }

    async fn rename_mailbox(&self, from: &MailboxName, to: &MailboxName) -> Result<(), StoreError> {
        let mut tree = write(&self.user.tree);
        if !tree.boxes.contains_key(from) {
            return Err(StoreError::NoSuchMailbox);
        }
        if tree.boxes.contains_key(to) {
            return Err(StoreError::AlreadyExists);
        }
        if to.is_descendant_of(from) {
            return Err(StoreError::NotPermitted(
                "a mailbox cannot move below itself",
            ));
        }
        if from.is_inbox() {
            return self.rename_inbox(&mut tree, to);
        }
        let mut moving: Vec<MailboxName> = vec![from.clone()];
        #[cfg(test)]
        let drop_children = self.shared.faults.rename_drops_children;
        #[cfg(not(test))]
        let drop_children = false;
        if !drop_children {
            moving.extend(tree.descendants(from).cloned());
        }
        let renamed: Vec<(MailboxName, MailboxName)> = moving
            .into_iter()
            .map(|old| match old.rebase(from, to) {
                Some(new) => Ok((old, new)),
                None => Err(StoreError::NotPermitted(
                    "a name would be too long after the rename",
                )),
            })
            .collect::<Result<_, _>>()?;
        // The children's new names cannot exist: they lie below `to`, which does not.
        for (old, new) in &renamed {
            if let Some(entry) = tree.boxes.remove(old) {
                tree.boxes.insert(new.clone(), entry);
            }
            if tree.subscriptions.remove(old) {
                tree.subscriptions.insert(new.clone());
            }
        }
        tree.create_ancestors(to, &self.shared);
        Ok(())
    }

    async fn subscribe(&self, name: &MailboxName) -> Result<(), StoreError> {
        write(&self.user.tree).subscriptions.insert(name.clone());
        Ok(())
    }

    async fn unsubscribe(&self, name: &MailboxName) -> Result<(), StoreError> {
        write(&self.user.tree).subscriptions.remove(name);
        Ok(())
    }

    async fn subscriptions(&self) -> Result<Vec<MailboxName>, StoreError> {
        Ok(read(&self.user.tree)
            .subscriptions
            .iter()
            .cloned()
            .collect())
    }

    async fn open_mailbox(&self, name: &MailboxName) -> Result<MemoryMailbox, StoreError> {
        let tree = read(&self.user.tree);
        let entry = tree.boxes.get(name).ok_or(StoreError::NoSuchMailbox)?;
        Ok(MemoryMailbox::new(entry.cell.clone(), self.shared.clone()))
    }
}
