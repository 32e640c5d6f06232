//! The maildrop as the session sees it: fixed message numbers, sizes,
//! unique-ids, and the DELE marks.

use crate::{MessageNumber, ServerError, UniqueId};

/// One message of the maildrop listing the application hands over at login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaildropEntry {
    /// The exact size in octets, CRLF line ends counted as two, as LIST and
    /// STAT report it (RFC 1939 §11) and as RETR will send it.
    pub size: u64,
    /// The message's unique-id for UIDL (RFC 1939 §7).
    pub uid: UniqueId,
}

impl MaildropEntry {
    /// An entry.
    pub fn new(size: u64, uid: UniqueId) -> Self {
        Self { size, uid }
    }
}

/// The maildrop's listing at login: message `n` is the `n`-th entry
/// (RFC 1939 §4), and stays so for the whole session.
///
/// ```
/// use pop3_proto::UniqueId;
/// use pop3_proto::server::{Maildrop, MaildropEntry};
///
/// let maildrop: Maildrop = [(120, "a1"), (200, "b2")]
///     .into_iter()
///     .map(|(size, uid)| MaildropEntry::new(size, UniqueId::try_from(uid).unwrap()))
///     .collect();
/// assert_eq!(maildrop.len(), 2);
/// assert_eq!(maildrop.size(), 320);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maildrop {
    entries: Vec<MaildropEntry>,
}

impl Maildrop {
    /// A listing from its entries, in message-number order.
    pub fn new(entries: Vec<MaildropEntry>) -> Self {
        Self { entries }
    }

    /// How many messages.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the maildrop is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The total size in octets.
    pub fn size(&self) -> u64 {
        self.entries
            .iter()
            .fold(0u64, |sum, e| sum.saturating_add(e.size))
    }

    /// The entries, in message-number order.
    pub fn entries(&self) -> &[MaildropEntry] {
        &self.entries
    }
}

impl FromIterator<MaildropEntry> for Maildrop {
    fn from_iter<I: IntoIterator<Item = MaildropEntry>>(iter: I) -> Self {
        Self::new(iter.into_iter().collect())
    }
}

impl From<Vec<MaildropEntry>> for Maildrop {
    fn from(entries: Vec<MaildropEntry>) -> Self {
        Self::new(entries)
    }
}

/// The session's view: the listing, and which messages DELE marked.
#[derive(Debug, Default)]
pub(super) struct Session {
    entries: Vec<MaildropEntry>,
    deleted: Vec<bool>,
    count: u32,
    live_count: u32,
    live_size: u64,
}

/// Why a message number names no message the command may use.
#[derive(Debug)]
pub(super) enum Lookup {
    /// Beyond the listing.
    NoSuchMessage,
    /// Marked by DELE.
    Deleted,
}

impl Session {
    pub(super) fn new(maildrop: Maildrop) -> Result<Self, ServerError> {
        let live_count =
            u32::try_from(maildrop.entries.len()).map_err(|_| ServerError::TooManyMessages)?;
        Ok(Self {
            live_size: maildrop.size(),
            deleted: vec![false; maildrop.entries.len()],
            entries: maildrop.entries,
            count: live_count,
            live_count,
        })
    }

    /// The entry for `message`, unless it does not exist or is deleted.
    pub(super) fn get(&self, message: MessageNumber) -> Result<&MaildropEntry, Lookup> {
        let index = message.index();
        match self.deleted.get(index) {
            None => Err(Lookup::NoSuchMessage),
            Some(true) => Err(Lookup::Deleted),
            Some(false) => Ok(&self.entries[index]),
        }
    }

    /// The entry at `index` unless it is deleted.
    pub(super) fn live_at(&self, index: usize) -> Option<&MaildropEntry> {
        match self.deleted.get(index) {
            Some(false) => self.entries.get(index),
            _ => None,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Marks `message` deleted; it must be live.
    pub(super) fn delete(&mut self, message: MessageNumber) {
        let index = message.index();
        if let Some(mark @ false) = self.deleted.get_mut(index) {
            *mark = true;
            self.live_count -= 1;
            self.live_size = self.live_size.saturating_sub(self.entries[index].size);
        }
    }

    /// RSET: unmarks every message.
    pub(super) fn undelete_all(&mut self) {
        self.deleted.iter_mut().for_each(|d| *d = false);
        self.live_count = self.count;
        self.live_size = self
            .entries
            .iter()
            .fold(0u64, |sum, e| sum.saturating_add(e.size));
    }

    /// The messages marked deleted, in order.
    pub(super) fn deleted(&self) -> Vec<MessageNumber> {
        self.deleted
            .iter()
            .enumerate()
            .filter(|(_, d)| **d)
            .filter_map(|(i, _)| MessageNumber::from_index(i))
            .collect()
    }

    /// Messages not deleted, and their total size: STAT's drop listing.
    pub(super) fn live(&self) -> (u32, u64) {
        (self.live_count, self.live_size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maildrop(sizes: &[u64]) -> Maildrop {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &s)| MaildropEntry::new(s, UniqueId::try_from(format!("u{i}")).unwrap()))
            .collect()
    }

    #[test]
    fn deletion_marks_and_counts() {
        let mut s = Session::new(maildrop(&[120, 200, 5])).unwrap();
        assert_eq!(s.live(), (3, 325));
        let two = MessageNumber::new(2).unwrap();
        s.delete(two);
        s.delete(two);
        assert_eq!(s.live(), (2, 125));
        assert!(matches!(s.get(two), Err(Lookup::Deleted)));
        assert!(matches!(
            s.get(MessageNumber::new(4).unwrap()),
            Err(Lookup::NoSuchMessage)
        ));
        assert_eq!(s.deleted(), vec![two]);
        assert!(s.live_at(1).is_none());
        s.undelete_all();
        assert_eq!(s.live(), (3, 325));
        assert!(s.deleted().is_empty());
        assert_eq!(s.get(two).unwrap().size, 200);
    }
}
