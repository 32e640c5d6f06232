//! UIDs and UIDVALIDITY: ascending, never reused, stable, and safe under concurrent appends.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use futures::future::BoxFuture;

use super::{Check, Context, date, message, name, open, uids_of};
use crate::testkit::Harness;
use crate::{
    Access, Account, Flag, FlagOp, Flags, MailStore, Mailbox, MailboxName, Uid, UidValidity,
};

/// What one task of [`concurrent_appends`] appended: the message's number and UID.
type Appended = Result<(usize, Uid), String>;

/// Each new message gets a UID above every earlier one and at least the
/// `uid_next` announced before it; snapshots list messages by ascending UID.
pub async fn uids_strictly_increase<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let mut last: Option<Uid> = None;
    for i in 0..5 {
        let before = inbox.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
        let appended = inbox
            .append(message("up", i), &Flags::new(), date(i as i64)?)
            .await
            .ctx("append")?;
        ensure!(
            appended.uid >= before.uid_next,
            "append {i} got UID {} below the announced UIDNEXT {}",
            appended.uid,
            before.uid_next
        );
        ensure!(
            last.is_none_or(|l| appended.uid > l),
            "append {i} got UID {} after {last:?}",
            appended.uid
        );
        ensure!(
            appended.uid_validity == before.uid_validity,
            "append reported UIDVALIDITY {} but the mailbox has {}",
            appended.uid_validity,
            before.uid_validity
        );
        last = Some(appended.uid);
    }
    let snapshot = inbox.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    let uids: Vec<Uid> = snapshot.messages.iter().map(|m| m.uid).collect();
    ensure!(uids.len() == 5, "5 appends left {} messages", uids.len());
    ensure!(
        uids.windows(2).all(|w| w[0] < w[1]),
        "snapshot UIDs are not ascending: {uids:?}"
    );
    ensure!(
        last.is_some_and(|l| snapshot.uid_next > l),
        "UIDNEXT {} is not above the last UID {last:?}",
        snapshot.uid_next
    );
    Ok(())
}
/// A UID is never given out twice: not after the messages holding it are
/// expunged, not in a new session, and not after the mailbox is deleted and
/// created again unless its UIDVALIDITY changed.
pub async fn uids_never_reused<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let mut uids = Vec::new();
    for i in 0..3 {
        uids.push(
            inbox
                .append(message("reuse", i), &Flags::new(), date(0)?)
                .await
                .ctx("append")?
                .uid,
        );
    }
    inbox
        .expunge(&uids[1..])
        .await
        .ctx("expunge the last two")?;
    let next = inbox
        .append(message("reuse", 3), &Flags::new(), date(0)?)
        .await
        .ctx("append")?
        .uid;
    ensure!(
        next > uids[2],
        "after expunging UIDs {:?}, an append reused UID {next}",
        &uids[1..]
    );

    inbox.expunge(&[uids[0], next]).await.ctx("expunge all")?;
    let reopened = open::<H>(&store, &user, "INBOX").await?;
    let after = reopened
        .append(message("reuse", 4), &Flags::new(), date(0)?)
        .await
        .ctx("append")?
        .uid;
    ensure!(
        after > next,
        "in a new session of an emptied mailbox, an append reused UID {after} (had {next})"
    );

    let account = store.account(&user).await.ctx("open the account")?;
    let reborn = name("Reborn")?;
    account
        .create_mailbox(&reborn, None)
        .await
        .ctx("create Reborn")?;
    let first = account.open_mailbox(&reborn).await.ctx("open Reborn")?;
    let mut highest = None;
    for i in 0..3 {
        highest = Some(
            first
                .append(message("reborn", i), &Flags::new(), date(0)?)
                .await
                .ctx("append")?,
        );
    }
    let Some(highest) = highest else {
        return Err("kit bug: no appends".into());
    };
    account.delete_mailbox(&reborn).await.ctx("delete Reborn")?;
    account
        .create_mailbox(&reborn, None)
        .await
        .ctx("create Reborn again")?;
    let second = account
        .open_mailbox(&reborn)
        .await
        .ctx("open Reborn again")?;
    let fresh = second
        .append(message("reborn", 9), &Flags::new(), date(0)?)
        .await
        .ctx("append")?;
    ensure!(
        fresh.uid_validity != highest.uid_validity || fresh.uid > highest.uid,
        "a mailbox deleted and created again kept UIDVALIDITY {} and reused UID {} (the old one reached {})",
        fresh.uid_validity,
        fresh.uid,
        highest.uid
    );
    Ok(())
}
/// UIDVALIDITY stays the same across handles, sessions and every kind of
/// change to the mailbox and its neighbours.
pub async fn uid_validity_stable<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let start = inbox
        .snapshot(Access::ReadOnly)
        .await
        .ctx("snapshot")?
        .uid_validity;
    let check = |step: &str, v: UidValidity| {
        if v == start {
            Ok(())
        } else {
            Err(format!("UIDVALIDITY went from {start} to {v} after {step}"))
        }
    };
    let a = inbox
        .append(message("validity", 0), &Flags::new(), date(0)?)
        .await
        .ctx("append")?;
    check("an append", a.uid_validity)?;
    inbox
        .update_flags(&[a.uid], FlagOp::Add, &Flags::from([Flag::Seen]), None)
        .await
        .ctx("flag")?;
    check(
        "a flag change",
        inbox.status().await.ctx("status")?.uid_validity,
    )?;
    inbox.expunge(&[a.uid]).await.ctx("expunge")?;
    check(
        "an expunge",
        inbox
            .snapshot(Access::ReadWrite)
            .await
            .ctx("snapshot")?
            .uid_validity,
    )?;
    let account = store.account(&user).await.ctx("open the account")?;
    account
        .create_mailbox(&name("Neighbour")?, None)
        .await
        .ctx("create a neighbour")?;
    account
        .delete_mailbox(&name("Neighbour")?)
        .await
        .ctx("delete the neighbour")?;
    let other = open::<H>(&store, &user, "INBOX").await?;
    check(
        "a new session",
        other
            .snapshot(Access::ReadOnly)
            .await
            .ctx("snapshot")?
            .uid_validity,
    )?;
    check(
        "a new session's status",
        other.status().await.ctx("status")?.uid_validity,
    )?;
    Ok(())
}
/// Many tasks, each with its own session, append at once: every message is
/// stored once, under its own UID, with its own bytes.
pub async fn concurrent_appends<H: Harness>(harness: &H) -> Check {
    const TASKS: usize = 8;
    const EACH: usize = 25;
    let (store, user) = harness.fresh().await;
    let store = Arc::new(store);
    let results: Arc<Mutex<Vec<Appended>>> = Arc::default();
    let mut tasks: Vec<BoxFuture<'static, ()>> = Vec::with_capacity(TASKS);
    for t in 0..TASKS {
        let (store, user, results) = (store.clone(), user.clone(), results.clone());
        tasks.push(Box::pin(async move {
            let outcome = async {
                let account = store.account(&user).await.ctx("open the account")?;
                let inbox = account
                    .open_mailbox(&MailboxName::inbox())
                    .await
                    .ctx("open INBOX")?;
                let mut got = Vec::with_capacity(EACH);
                for i in 0..EACH {
                    let n = t * EACH + i;
                    let a = inbox
                        .append(message("race", n), &Flags::new(), date(0)?)
                        .await
                        .ctx("append")?;
                    got.push((n, a.uid));
                }
                Ok::<_, String>(got)
            };
            let outcome = outcome.await;
            let mut results = results.lock().unwrap_or_else(PoisonError::into_inner);
            match outcome {
                Ok(got) => results.extend(got.into_iter().map(Ok)),
                Err(e) => results.push(Err(e)),
            }
        }));
    }
    harness.run_parallel(tasks).await;

    let results = std::mem::take(&mut *results.lock().unwrap_or_else(PoisonError::into_inner));
    let appended: Vec<(usize, Uid)> = results.into_iter().collect::<Result<_, _>>()?;
    ensure!(
        appended.len() == TASKS * EACH,
        "{} of {} appends completed",
        appended.len(),
        TASKS * EACH
    );
    let distinct: BTreeSet<Uid> = appended.iter().map(|a| a.1).collect();
    ensure!(
        distinct.len() == appended.len(),
        "{} appends shared {} UIDs",
        appended.len(),
        distinct.len()
    );

    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let stored: BTreeSet<Uid> = uids_of(&inbox).await?.into_iter().collect();
    ensure!(
        stored == distinct,
        "the mailbox holds {} messages, the appends returned {} UIDs",
        stored.len(),
        distinct.len()
    );
    for (n, uid) in appended {
        let body = inbox.read(uid).await.ctx("read")?;
        ensure!(
            body == message("race", n),
            "UID {uid} holds other bytes than append {n} stored"
        );
    }
    Ok(())
}
