//! What a store knows of a message and a mailbox.

use crate::{Flags, InternalDate, MailboxName, ModSeq, SpecialUse, Uid, UidValidity};

/// A message's metadata, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageMeta {
    /// Its UID in the mailbox.
    pub uid: Uid,
    /// Its flags.
    pub flags: Flags,
    /// Its size in octets, exactly as stored (and as IMAP `RFC822.SIZE` and
    /// POP3 `LIST` report it: the protocol layers store CRLF line endings).
    pub size: u64,
    /// When it was received.
    pub internal_date: InternalDate,
    /// The mod-sequence of its last change (RFC 7162 §3).
    pub modseq: ModSeq,
    /// Whether this session is the first to see it (`\Recent`, RFC 3501
    /// §2.3.2). Only a read-write [`snapshot`](crate::Mailbox::snapshot)
    /// claims recent messages; every other view says `false`.
    pub recent: bool,
}

/// The counts and identifiers of a mailbox, as IMAP STATUS (RFC 9051 §6.3.11,
/// RFC 7162, RFC 8438) and SELECT report them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailboxStatus {
    /// How many messages the mailbox holds.
    pub messages: u32,
    /// How many of them no session has claimed as recent yet.
    pub recent: u32,
    /// How many have no `\Seen` flag.
    pub unseen: u32,
    /// The UID the next message will get at least.
    pub uid_next: Uid,
    /// The mailbox's UIDVALIDITY.
    pub uid_validity: UidValidity,
    /// The highest mod-sequence of any change in the mailbox.
    pub highest_modseq: ModSeq,
    /// The sum of the messages' sizes in octets.
    pub size: u64,
}

/// A consistent view of a mailbox at one mod-sequence: every message it
/// holds, in ascending UID order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The mailbox's UIDVALIDITY.
    pub uid_validity: UidValidity,
    /// The UID the next message will get at least.
    pub uid_next: Uid,
    /// The highest mod-sequence of any change the view includes.
    pub highest_modseq: ModSeq,
    /// The messages, in ascending UID order.
    pub messages: Vec<MessageMeta>,
}

impl Snapshot {
    /// The status of the mailbox as this view has it. `recent` counts the
    /// messages this view claimed.
    pub fn status(&self) -> MailboxStatus {
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
            status.recent += u32::from(m.recent);
            status.unseen += u32::from(!m.flags.is_seen());
            status.size += m.size;
        }
        status
    }

    /// The message with this UID.
    pub fn get(&self, uid: Uid) -> Option<&MessageMeta> {
        self.messages
            .binary_search_by_key(&uid, |m| m.uid)
            .ok()
            .map(|i| &self.messages[i])
    }
}

/// A mailbox as a listing shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxInfo {
    /// Its name.
    pub name: MailboxName,
    /// What it is for, if it has a special use (RFC 6154).
    pub special_use: Option<SpecialUse>,
}

/// What an append gave the message (the `APPENDUID` of RFC 4315 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    /// The mailbox's UIDVALIDITY.
    pub uid_validity: UidValidity,
    /// The new message's UID.
    pub uid: Uid,
    /// The mod-sequence of the append.
    pub modseq: ModSeq,
}

/// The flags of one message after an update.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdatedFlags {
    /// The message.
    pub uid: Uid,
    /// Its flags now.
    pub flags: Flags,
    /// Its mod-sequence now: new if the flags changed, as before if not.
    pub modseq: ModSeq,
    /// Whether the update changed its flags.
    pub changed: bool,
}

/// The result of a flag update.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagsUpdated {
    /// Every message that exists and passed the unchanged-since test, in
    /// ascending UID order.
    pub updated: Vec<UpdatedFlags>,
    /// The messages left alone because they changed after the given
    /// unchanged-since mod-sequence (RFC 7162 §3.1.3, the `MODIFIED`
    /// response code), in ascending UID order.
    pub modified: Vec<Uid>,
}

/// The result of an expunge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expunged {
    /// The UIDs that were removed, in ascending order. UIDs asked for that
    /// did not exist are not here.
    pub uids: Vec<Uid>,
    /// The mod-sequence of the expunge, `None` if nothing was removed.
    pub modseq: Option<ModSeq>,
}

/// Where a copy or move put each message (the `COPYUID` of RFC 4315 §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    /// The target mailbox's UIDVALIDITY.
    pub uid_validity: UidValidity,
    /// Pairs of source UID and target UID, in ascending source order. UIDs
    /// asked for that did not exist are not here.
    pub uids: Vec<(Uid, Uid)>,
}
