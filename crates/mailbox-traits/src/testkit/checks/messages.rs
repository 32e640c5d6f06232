//! Messages: flags, counts, expunge, copy and move.

use super::{Check, Context, date, keyword, message, name, open, uids_of};
use crate::testkit::Harness;
use crate::{
    Access, Account, Flag, FlagOp, Flags, MailStore, Mailbox, MailboxName, StoreError, Uid,
};

/// System flags and keywords are stored as given and changed as asked: add,
/// remove (keywords without regard to case), replace; a change gets a new
/// mod-sequence and a no-op keeps the old; UNCHANGEDSINCE refuses messages
/// changed later (RFC 7162 §3.1.3).
pub async fn flags_round_trip<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let all_system: Flags = Flag::SYSTEM
        .into_iter()
        .chain([keyword("$Forwarded")?, keyword("Work")?])
        .collect();
    let both = inbox
        .append(message("flags", 0), &all_system, date(0)?)
        .await
        .ctx("append")?;
    let initial = Flags::from([
        Flag::Seen,
        Flag::Draft,
        keyword("$Forwarded")?,
        keyword("Custom")?,
    ]);
    let a = inbox
        .append(message("flags", 1), &initial, date(1)?)
        .await
        .ctx("append")?;

    let other = open::<H>(&store, &user, "INBOX").await?;
    let snapshot = other.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    let stored = |uid| snapshot.get(uid).map(|m| m.flags.clone());
    ensure!(
        stored(both.uid) == Some(all_system.clone()),
        "stored {all_system:?}, read {:?}",
        stored(both.uid)
    );
    ensure!(
        stored(a.uid) == Some(initial.clone()),
        "stored {initial:?}, read {:?}",
        stored(a.uid)
    );

    let mut modseq = a.modseq;
    let steps = [
        (
            FlagOp::Add,
            Flags::from([Flag::Flagged, keyword("$Junk")?]),
            Flags::from([
                Flag::Seen,
                Flag::Draft,
                Flag::Flagged,
                keyword("$Forwarded")?,
                keyword("Custom")?,
                keyword("$Junk")?,
            ]),
        ),
        (
            FlagOp::Remove,
            Flags::from([Flag::Seen, keyword("CUSTOM")?]),
            Flags::from([
                Flag::Draft,
                Flag::Flagged,
                keyword("$Forwarded")?,
                keyword("$Junk")?,
            ]),
        ),
        (
            FlagOp::Replace,
            Flags::from([Flag::Answered, keyword("$MDNSent")?]),
            Flags::from([Flag::Answered, keyword("$MDNSent")?]),
        ),
    ];
    for (op, given, expected) in steps {
        let result = inbox
            .update_flags(&[a.uid], op, &given, None)
            .await
            .ctx("update flags")?;
        let Some(u) = result.updated.first() else {
            return Err(format!("{op:?} {given:?} updated nothing"));
        };
        ensure!(
            u.uid == a.uid && u.flags == expected,
            "{op:?} {given:?} gave {:?}, not {expected:?}",
            u.flags
        );
        ensure!(
            u.changed && u.modseq > modseq,
            "{op:?} changed flags but mod-sequence went {modseq} -> {}",
            u.modseq
        );
        modseq = u.modseq;
    }

    let noop = inbox
        .update_flags(&[a.uid], FlagOp::Add, &Flags::from([Flag::Answered]), None)
        .await
        .ctx("no-op")?;
    let u = noop
        .updated
        .first()
        .ok_or("a no-op update listed no message")?;
    ensure!(
        !u.changed && u.modseq == modseq,
        "a no-op update reported changed={} modseq {} (was {modseq})",
        u.changed,
        u.modseq
    );

    let seen = Flags::from([Flag::Seen]);
    let refused = inbox
        .update_flags(&[a.uid], FlagOp::Add, &seen, Some(modseq.get() - 1))
        .await
        .ctx("unchangedsince")?;
    ensure!(
        refused.modified == [a.uid] && refused.updated.is_empty(),
        "UNCHANGEDSINCE below the message's mod-sequence did not refuse it: {refused:?}"
    );
    let zero = inbox
        .update_flags(&[a.uid], FlagOp::Add, &seen, Some(0))
        .await
        .ctx("unchangedsince 0")?;
    ensure!(
        zero.modified == [a.uid],
        "UNCHANGEDSINCE 0 did not refuse the message: {zero:?}"
    );
    let allowed = inbox
        .update_flags(&[a.uid], FlagOp::Add, &seen, Some(modseq.get()))
        .await
        .ctx("unchangedsince")?;
    ensure!(
        allowed.modified.is_empty() && allowed.updated.first().is_some_and(|u| u.flags.is_seen()),
        "UNCHANGEDSINCE equal to the message's mod-sequence did not apply: {allowed:?}"
    );

    let final_flags = Flags::from([Flag::Seen, Flag::Answered, keyword("$MDNSent")?]);
    let snapshot = other.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    let got = snapshot.get(a.uid).map(|m| m.flags.clone());
    ensure!(
        got == Some(final_flags.clone()),
        "another session reads {got:?}, not {final_flags:?}"
    );
    Ok(())
}
/// Counts: messages, unseen and size; `\Recent` goes to the first read-write
/// view only, and read-only views claim nothing.
pub async fn status_counts<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let bodies = [
        message("status", 0),
        message("status-longer", 1),
        message("s", 2),
    ];
    let mut size = 0;
    for (i, body) in bodies.iter().enumerate() {
        let flags = if i == 1 {
            Flags::from([Flag::Seen])
        } else {
            Flags::new()
        };
        size += body.len() as u64;
        inbox
            .append(body.clone(), &flags, date(i as i64)?)
            .await
            .ctx("append")?;
    }
    let status = inbox.status().await.ctx("status")?;
    ensure!(
        (status.messages, status.unseen, status.size, status.recent) == (3, 2, size, 3),
        "status is {status:?}, expected 3 messages, 2 unseen, {size} octets, 3 recent"
    );
    let ro = inbox
        .snapshot(Access::ReadOnly)
        .await
        .ctx("read-only snapshot")?;
    ensure!(
        ro.messages.iter().all(|m| !m.recent),
        "a read-only view marked messages recent"
    );
    let ro_status = ro.status();
    ensure!(
        (ro_status.messages, ro_status.unseen, ro_status.size) == (3, 2, size),
        "the snapshot's status {ro_status:?} disagrees with the mailbox's {status:?}"
    );
    ensure!(
        inbox.status().await.ctx("status")?.recent == 3,
        "a read-only view claimed the recent messages"
    );

    let rw = inbox
        .snapshot(Access::ReadWrite)
        .await
        .ctx("read-write snapshot")?;
    ensure!(
        rw.messages.iter().all(|m| m.recent),
        "the first read-write view did not get \\Recent"
    );
    let second = open::<H>(&store, &user, "INBOX")
        .await?
        .snapshot(Access::ReadWrite)
        .await
        .ctx("snapshot")?;
    ensure!(
        second.messages.iter().all(|m| !m.recent),
        "a second read-write view got \\Recent again"
    );
    ensure!(
        inbox.status().await.ctx("status")?.recent == 0,
        "claimed messages still count as recent"
    );

    let late = inbox
        .append(message("status", 3), &Flags::new(), date(3)?)
        .await
        .ctx("append")?;
    ensure!(
        inbox.status().await.ctx("status")?.recent == 1,
        "a new message does not count as recent"
    );
    let third = inbox.snapshot(Access::ReadWrite).await.ctx("snapshot")?;
    let recent: Vec<Uid> = third
        .messages
        .iter()
        .filter(|m| m.recent)
        .map(|m| m.uid)
        .collect();
    ensure!(
        recent == [late.uid],
        "the next read-write view claimed {recent:?}, not just {}",
        late.uid
    );
    Ok(())
}
/// Expunge removes exactly the UIDs asked for that exist, whatever their
/// flags, and leaves every other message's bytes alone.
pub async fn expunge_removes_only_requested<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let inbox = open::<H>(&store, &user, "INBOX").await?;
    let mut uids = Vec::new();
    for i in 0..5 {
        // The first carries \Deleted but is not asked for: expunge goes by UID.
        let flags = if i == 0 {
            Flags::from([Flag::Deleted])
        } else {
            Flags::new()
        };
        uids.push(
            inbox
                .append(message("expunge", i), &flags, date(0)?)
                .await
                .ctx("append")?
                .uid,
        );
    }
    let before = inbox.status().await.ctx("status")?.highest_modseq;
    let absent = Uid::new(uids[4].get() + 100).ok_or("kit bug: UID overflow")?;
    let result = inbox
        .expunge(&[uids[1], uids[3], absent])
        .await
        .ctx("expunge")?;
    ensure!(
        result.uids == [uids[1], uids[3]],
        "expunging {:?} reported {:?}",
        [uids[1], uids[3], absent],
        result.uids
    );
    ensure!(
        result.modseq.is_some_and(|m| m > before),
        "the expunge's mod-sequence {:?} is not above {before}",
        result.modseq
    );
    let left = uids_of(&inbox).await?;
    ensure!(
        left == [uids[0], uids[2], uids[4]],
        "after the expunge, {left:?} remain"
    );
    for (i, &uid) in uids.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        let body = inbox.read(uid).await.ctx("read a kept message")?;
        ensure!(
            body == message("expunge", i),
            "message {uid} changed its bytes after another was expunged"
        );
    }
    let gone = inbox.read(uids[1]).await;
    ensure!(
        matches!(gone, Err(StoreError::NoSuchMessage)),
        "reading an expunged message gave {gone:?}"
    );
    let none = inbox.expunge(&[]).await.ctx("expunge nothing")?;
    ensure!(
        none.uids.is_empty() && none.modseq.is_none(),
        "expunging nothing reported {none:?}"
    );
    let again = inbox.expunge(&[uids[1]]).await.ctx("expunge again")?;
    ensure!(
        again.uids.is_empty(),
        "expunging a gone message reported {:?}",
        again.uids
    );
    Ok(())
}
/// Copy and move keep each message's bytes, flags and internal date, report
/// the target's UIDVALIDITY and a source-to-target UID map in source order,
/// and move removes the originals (RFC 4315 §3, RFC 6851 §3).
pub async fn copy_and_move<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let account = store.account(&user).await.ctx("open the account")?;
    account
        .create_mailbox(&name("Target")?, None)
        .await
        .ctx("create Target")?;
    let source = account
        .open_mailbox(&MailboxName::inbox())
        .await
        .ctx("open INBOX")?;
    let target = account
        .open_mailbox(&name("Target")?)
        .await
        .ctx("open Target")?;
    let flags = [
        Flags::from([Flag::Seen, keyword("$Label1")?]),
        Flags::from([Flag::Flagged]),
        Flags::new(),
    ];
    let mut uids = Vec::new();
    for (i, f) in flags.iter().enumerate() {
        uids.push(
            source
                .append(message("copy", i), f, date(i as i64 * 1000)?)
                .await
                .ctx("append")?
                .uid,
        );
    }
    let target_validity = target.status().await.ctx("status")?.uid_validity;
    let absent = Uid::new(uids[2].get() + 100).ok_or("kit bug: UID overflow")?;

    let copied = source
        .copy_to(&[uids[0], uids[2], absent], &target)
        .await
        .ctx("copy")?;
    ensure!(
        copied.uid_validity == target_validity,
        "COPYUID names UIDVALIDITY {}, the target has {target_validity}",
        copied.uid_validity
    );
    let sources: Vec<Uid> = copied.uids.iter().map(|p| p.0).collect();
    ensure!(
        sources == [uids[0], uids[2]],
        "the copy map's sources are {sources:?}"
    );
    ensure!(
        copied.uids[0].1 < copied.uids[1].1,
        "target UIDs are not in source order: {:?}",
        copied.uids
    );
    let snapshot = target.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    for &(from, to) in &copied.uids {
        let i = uids.iter().position(|&u| u == from).ok_or("kit bug")?;
        let meta = snapshot
            .get(to)
            .ok_or(format!("the map names target UID {to}, which is not there"))?;
        ensure!(
            meta.flags == flags[i],
            "the copy of {from} has flags {:?}, not {:?}",
            meta.flags,
            flags[i]
        );
        ensure!(
            meta.internal_date == date(i as i64 * 1000)?,
            "the copy of {from} has date {:?}",
            meta.internal_date
        );
        let body = target.read(to).await.ctx("read the copy")?;
        ensure!(
            body == message("copy", i),
            "the copy of {from} has other bytes"
        );
    }
    ensure!(uids_of(&source).await? == uids, "copy changed the source");

    let moved = source.move_to(&[uids[1]], &target).await.ctx("move")?;
    ensure!(
        moved.uid_validity == target_validity,
        "the move names UIDVALIDITY {}",
        moved.uid_validity
    );
    let [(from, to)] = moved.uids[..] else {
        return Err(format!("moving one message gave the map {:?}", moved.uids));
    };
    ensure!(
        from == uids[1] && to > copied.uids[1].1,
        "moving {} gave the pair ({from}, {to})",
        uids[1]
    );
    ensure!(
        uids_of(&source).await? == [uids[0], uids[2]],
        "the moved message is still in the source"
    );
    let body = target.read(to).await.ctx("read the moved message")?;
    ensure!(
        body == message("copy", 1),
        "the moved message has other bytes"
    );
    let meta = target
        .snapshot(Access::ReadOnly)
        .await
        .ctx("snapshot")?
        .get(to)
        .cloned();
    ensure!(
        meta.is_some_and(|m| m.flags == flags[1]),
        "the moved message lost its flags"
    );
    Ok(())
}
