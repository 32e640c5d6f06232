//! Changes reaching other sessions, and local delivery.

use futures::StreamExt;

use super::{Check, Context, date, message, name, open};
use crate::testkit::{Harness, within};
use crate::{Access, Account, Change, Flag, FlagOp, Flags, LocalDelivery, MailStore, Mailbox};

/// A session watching a mailbox sees every change by another session and by
/// itself, each once, in mod-sequence order, after its snapshot; the feed
/// ends when the mailbox is deleted.
pub async fn change_feed_in_order<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let watcher = open::<H>(&store, &user, "INBOX").await?;
    let writer = open::<H>(&store, &user, "INBOX").await?;
    let mut feed = watcher.watch().await.ctx("watch")?;
    let snapshot = watcher.snapshot(Access::ReadOnly).await.ctx("snapshot")?;

    let m1 = writer
        .append(message("feed", 1), &Flags::new(), date(1)?)
        .await
        .ctx("append")?;
    let seen = writer
        .update_flags(&[m1.uid], FlagOp::Add, &Flags::from([Flag::Seen]), None)
        .await
        .ctx("flag")?;
    let seen_modseq = seen
        .updated
        .first()
        .map(|u| u.modseq)
        .ok_or("the flag update listed no message")?;
    let m2 = writer
        .append(message("feed", 2), &Flags::new(), date(2)?)
        .await
        .ctx("append")?;
    let gone = writer.expunge(&[m1.uid]).await.ctx("expunge")?;
    let own = watcher
        .append(message("feed", 3), &Flags::new(), date(3)?)
        .await
        .ctx("append")?;

    let mut changes = Vec::new();
    while changes.len() < 5 {
        let next = within(
            harness,
            &format!("change {} of 5", changes.len() + 1),
            feed.next(),
        )
        .await?;
        match next {
            None => {
                return Err(format!(
                    "the feed ended after {} of 5 changes",
                    changes.len()
                ));
            }
            Some(Change::Lagged) => return Err("the feed lagged on 5 changes".into()),
            Some(c) if c.modseq().is_some_and(|m| m <= snapshot.highest_modseq) => {}
            Some(c) => changes.push(c),
        }
    }
    let expected = [
        ("Appended", m1.uid, m1.modseq),
        ("FlagsChanged", m1.uid, seen_modseq),
        ("Appended", m2.uid, m2.modseq),
        (
            "Expunged",
            m1.uid,
            gone.modseq.ok_or("the expunge reported no mod-sequence")?,
        ),
        ("Appended", own.uid, own.modseq),
    ];
    for (i, (change, (kind, uid, modseq))) in changes.iter().zip(expected).enumerate() {
        let ok = match change {
            Change::Appended(meta) => {
                kind == "Appended" && meta.uid == uid && meta.modseq == modseq
            }
            Change::FlagsChanged {
                uid: u,
                flags,
                modseq: m,
            } => kind == "FlagsChanged" && *u == uid && flags.is_seen() && *m == modseq,
            Change::Expunged { uids, modseq: m } => {
                kind == "Expunged" && uids[..] == [uid] && *m == modseq
            }
            Change::Lagged => false,
        };
        ensure!(
            ok,
            "change {} is {change:?}, expected {kind} of UID {uid} at mod-sequence {modseq}",
            i + 1
        );
    }

    let account = store.account(&user).await.ctx("open the account")?;
    let doomed = name("Doomed")?;
    account
        .create_mailbox(&doomed, None)
        .await
        .ctx("create Doomed")?;
    let mut feed = account
        .open_mailbox(&doomed)
        .await
        .ctx("open Doomed")?
        .watch()
        .await
        .ctx("watch Doomed")?;
    account.delete_mailbox(&doomed).await.ctx("delete Doomed")?;
    let end = within(harness, "the end of a deleted mailbox's feed", feed.next()).await?;
    ensure!(
        end.is_none(),
        "a deleted mailbox's feed gave {end:?} instead of ending"
    );
    Ok(())
}
/// Local delivery: an address resolves to its user, an unknown one to none,
/// and a delivered message is in the INBOX with its bytes and date.
pub async fn local_delivery<H>(harness: &H) -> Check
where
    H: Harness,
    H::Store: LocalDelivery,
{
    let (store, user) = harness.fresh().await;
    let address = format!("{user}@example.org");
    let resolved = store.resolve_recipient(&address).await.ctx("resolve")?;
    ensure!(
        resolved.as_ref() == Some(&user),
        "{address} resolved to {resolved:?}"
    );
    let unknown = store
        .resolve_recipient("no-such-user-at-all@example.org")
        .await
        .ctx("resolve")?;
    ensure!(
        unknown.is_none(),
        "an unknown address resolved to {unknown:?}"
    );

    let received = date(42)?;
    let results = store
        .deliver(
            message("delivered", 0),
            std::slice::from_ref(&user),
            received,
        )
        .await
        .ctx("deliver")?;
    let [Ok(appended)] = &results[..] else {
        return Err(format!("delivery to one recipient gave {results:?}"));
    };
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let meta = inbox
        .snapshot(Access::ReadOnly)
        .await
        .ctx("snapshot")?
        .get(appended.uid)
        .cloned();
    ensure!(
        meta.is_some_and(|m| m.internal_date == received && m.flags.is_empty()),
        "the delivered message is not in INBOX with its date and no flags"
    );
    let body = inbox.read(appended.uid).await.ctx("read")?;
    ensure!(
        body == message("delivered", 0),
        "the delivered message has other bytes"
    );
    Ok(())
}
