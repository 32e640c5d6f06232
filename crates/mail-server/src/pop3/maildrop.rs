//! A user's INBOX as a POP3 maildrop: the listing at login, and the UIDs
//! behind the message numbers.

use mailbox_traits::{Snapshot, Uid, UidValidity};
use pop3_proto::UniqueId;
use pop3_proto::server::{Maildrop, MaildropEntry};

/// The unique-id UIDL gives a message: its UID and its mailbox's
/// UIDVALIDITY as eight upper-case hexadecimal digits each, Dovecot's
/// `pop3_uidl_format = %08Xu%08Xv`.
///
/// It persists across sessions and restarts as long as the store keeps
/// the UID (RFC 1939 §7), and changes when the store starts a new
/// UIDVALIDITY, so a client then downloads again rather than skip mail.
pub(crate) fn unique_id(uid: Uid, validity: UidValidity) -> UniqueId {
    let text = format!("{:08X}{:08X}", uid.get(), validity.get());
    // Sixteen hexadecimal digits are always a valid unique-id.
    UniqueId::try_from(text.as_str()).unwrap_or_else(|_| unreachable!("hex unique-id"))
}

/// The listing handed to the POP3 machine at login, from a snapshot of
/// INBOX: message `n` is the snapshot's `n`-th message, in UID order.
pub(crate) fn listing(snapshot: &Snapshot) -> Maildrop {
    snapshot
        .messages
        .iter()
        .map(|m| MaildropEntry::new(m.size, unique_id(m.uid, snapshot.uid_validity)))
        .collect()
}

#[cfg(test)]
mod tests {
    use mailbox_traits::{Flags, InternalDate, MessageMeta, ModSeq};

    use super::*;

    #[test]
    fn dovecot_uidl_format() {
        let uid = Uid::new(0x2a).unwrap();
        let validity = UidValidity::new(1_700_000_000).unwrap();
        assert_eq!(unique_id(uid, validity).as_str(), "0000002A6553F100");
        let max = unique_id(Uid::MAX, UidValidity::new(u32::MAX).unwrap());
        assert_eq!(max.as_str(), "FFFFFFFFFFFFFFFF");
    }

    #[test]
    fn listing_keeps_snapshot_order_and_sizes() {
        let meta = |uid: u32, size: u64| MessageMeta {
            uid: Uid::new(uid).unwrap(),
            flags: Flags::new(),
            size,
            internal_date: InternalDate::from_unix(1_700_000_000).unwrap(),
            modseq: ModSeq::MIN,
            recent: false,
        };
        let snapshot = Snapshot {
            uid_validity: UidValidity::new(7).unwrap(),
            uid_next: Uid::new(10).unwrap(),
            highest_modseq: ModSeq::MIN,
            messages: vec![meta(3, 120), meta(9, 5)],
        };
        let maildrop = listing(&snapshot);
        assert_eq!(maildrop.size(), 125);
        let ids: Vec<&str> = maildrop.entries().iter().map(|e| e.uid.as_str()).collect();
        assert_eq!(ids, ["0000000300000007", "0000000900000007"]);
    }
}
