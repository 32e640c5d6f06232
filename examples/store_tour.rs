//! A tour of `mailbox-traits` on the in-memory store.
//!
//! Delivers a message as SMTP would, then has two sessions on the same INBOX:
//! one watches the change feed (as an IMAP session in IDLE does) while the
//! other reads the message, flags it and expunges it.
//!
//! ```text
//! cargo run --example store-tour
//! ```

#![allow(
    clippy::print_stdout,
    reason = "an example shows what happens on standard output"
)]

use futures::StreamExt;
use mailbox_traits::memory::MemoryStore;
use mailbox_traits::{
    Access, Account, Change, Flag, FlagOp, Flags, InternalDate, LocalDelivery, MailStore, Mailbox,
    MailboxName, StoreError,
};

#[tokio::main]
async fn main() -> Result<(), StoreError> {
    let store = MemoryStore::new();
    let alice = store.add_user("alice", "wonderland")?;

    // The watching session: subscribe first, then take the snapshot, so no
    // change falls between the two.
    let watcher = store
        .account(&alice)
        .await?
        .open_mailbox(&MailboxName::inbox())
        .await?;
    let mut feed = watcher.watch().await?;
    let snapshot = watcher.snapshot(Access::ReadWrite).await?;
    println!(
        "INBOX: UIDVALIDITY {}, {} messages",
        snapshot.uid_validity,
        snapshot.messages.len()
    );
    let idle = tokio::spawn(async move {
        while let Some(change) = feed.next().await {
            match change {
                Change::Appended(m) => println!("  * EXISTS: UID {} ({} octets)", m.uid, m.size),
                Change::FlagsChanged { uid, flags, modseq } => {
                    println!("  * FETCH: UID {uid} FLAGS {flags:?} MODSEQ {modseq}");
                }
                Change::Expunged { uids, .. } => {
                    println!("  * EXPUNGE: UIDs {uids:?}");
                    break;
                }
                other => println!("  * {other:?}"),
            }
        }
    });

    // SMTP hands a message to local delivery.
    let recipient = store
        .resolve_recipient("alice@example.org")
        .await?
        .ok_or(StoreError::NoSuchUser)?;
    let message =
        "From: bob@example.org\r\nTo: alice@example.org\r\nSubject: Tea?\r\n\r\nAt four.\r\n";
    let delivered = store
        .deliver(message.into(), &[recipient], InternalDate::now())
        .await?;
    let uid = delivered
        .into_iter()
        .next()
        .ok_or(StoreError::NoSuchMessage)??
        .uid;
    println!("delivered as UID {uid}");

    // Another session reads it, marks it seen, then deletes it.
    let reader = store
        .account(&alice)
        .await?
        .open_mailbox(&MailboxName::inbox())
        .await?;
    let body = reader.read(uid).await?;
    println!(
        "read {} octets: {:?}",
        body.len(),
        String::from_utf8_lossy(&body[..body.len().min(22)])
    );
    reader
        .update_flags(&[uid], FlagOp::Add, &Flags::from([Flag::Seen]), None)
        .await?;
    reader
        .update_flags(&[uid], FlagOp::Add, &Flags::from([Flag::Deleted]), None)
        .await?;
    reader.expunge(&[uid]).await?;

    idle.await.map_err(|e| StoreError::Backend(e.into()))?;
    let status = reader.status().await?;
    println!(
        "INBOX now: {} messages, UIDNEXT {}, HIGHESTMODSEQ {}",
        status.messages, status.uid_next, status.highest_modseq
    );
    Ok(())
}
