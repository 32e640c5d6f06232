//! Mailboxes: the hierarchy, subscriptions and rename.

use super::{Check, Context, date, message, name, uids_of};
use crate::testkit::Harness;
use crate::{
    Access, Account, Flag, Flags, MailStore, Mailbox, MailboxInfo, MailboxName, SpecialUse,
    StoreError,
};

/// The hierarchy: INBOX exists, CREATE makes missing parents, DELETE refuses
/// INBOX and mailboxes with children, subscriptions keep any name, special
/// uses are listed, and a handle on a deleted mailbox fails.
pub async fn mailboxes<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let account = store.account(&user).await.ctx("open the account")?;
    let names = |list: &[MailboxInfo]| list.iter().map(|i| i.name.to_string()).collect::<Vec<_>>();

    let list = account.list_mailboxes().await.ctx("list")?;
    ensure!(
        names(&list) == ["INBOX"],
        "a fresh account lists {:?}, not just INBOX",
        names(&list)
    );

    account
        .create_mailbox(&name("Work")?, None)
        .await
        .ctx("create Work")?;
    let again = account.create_mailbox(&name("Work")?, None).await;
    ensure!(
        matches!(again, Err(StoreError::AlreadyExists)),
        "creating Work twice gave {again:?}, not AlreadyExists"
    );
    account
        .create_mailbox(&name("Projects/2024/Q1")?, None)
        .await
        .ctx("create Projects/2024/Q1")?;
    account
        .create_mailbox(&name("Sent Items")?, Some(SpecialUse::Sent))
        .await
        .ctx("create Sent Items")?;

    let list = account.list_mailboxes().await.ctx("list")?;
    let expected = [
        "INBOX",
        "Projects",
        "Projects/2024",
        "Projects/2024/Q1",
        "Sent Items",
        "Work",
    ];
    let mut got = names(&list);
    ensure!(
        got.windows(2).all(|w| w[0] < w[1]),
        "the list is not in name order: {got:?}"
    );
    got.sort();
    ensure!(
        got == expected,
        "after the creates the list is {got:?}, not {expected:?}"
    );
    let sent = list.iter().find(|i| i.name.as_str() == "Sent Items");
    ensure!(
        sent.is_some_and(|i| i.special_use == Some(SpecialUse::Sent)),
        "Sent Items lost its \\Sent special use: {sent:?}"
    );

    let missing = account.open_mailbox(&name("Nope")?).await.map(drop);
    ensure!(
        matches!(missing, Err(StoreError::NoSuchMailbox)),
        "opening a missing mailbox gave {missing:?}"
    );
    let missing = account.delete_mailbox(&name("Nope")?).await;
    ensure!(
        matches!(missing, Err(StoreError::NoSuchMailbox)),
        "deleting a missing mailbox gave {missing:?}"
    );
    ensure!(
        account.delete_mailbox(&MailboxName::inbox()).await.is_err(),
        "INBOX could be deleted"
    );
    ensure!(
        account.delete_mailbox(&name("Projects")?).await.is_err(),
        "a mailbox with children could be deleted"
    );
    account
        .delete_mailbox(&name("Projects/2024/Q1")?)
        .await
        .ctx("delete Projects/2024/Q1")?;
    let gone = account
        .open_mailbox(&name("Projects/2024/Q1")?)
        .await
        .map(drop);
    ensure!(
        matches!(gone, Err(StoreError::NoSuchMailbox)),
        "a deleted mailbox opens: {gone:?}"
    );

    account
        .subscribe(&name("Work")?)
        .await
        .ctx("subscribe Work")?;
    account
        .subscribe(&name("Not/There")?)
        .await
        .ctx("subscribe a missing mailbox")?;
    account
        .unsubscribe(&name("Work")?)
        .await
        .ctx("unsubscribe Work")?;
    let subs = account.subscriptions().await.ctx("subscriptions")?;
    ensure!(
        subs == [name("Not/There")?],
        "after subscribing Work and Not/There and unsubscribing Work, subscriptions are {subs:?}"
    );

    let work = account
        .open_mailbox(&name("Work")?)
        .await
        .ctx("open Work")?;
    work.append(message("work", 1), &Flags::new(), date(1)?)
        .await
        .ctx("append to Work")?;
    account
        .delete_mailbox(&name("Work")?)
        .await
        .ctx("delete Work")?;
    ensure!(
        work.snapshot(Access::ReadOnly).await.is_err(),
        "a handle on a deleted mailbox still reads"
    );
    let late = work
        .append(message("work", 2), &Flags::new(), date(2)?)
        .await;
    ensure!(
        late.is_err(),
        "a handle on a deleted mailbox still appends: {late:?}"
    );
    Ok(())
}
/// RENAME moves a mailbox with every child and message; it refuses a missing
/// source, an existing target and a move below itself; INBOX's rename moves
/// its messages and leaves it empty (RFC 9051 §6.3.6).
pub async fn rename_moves_children<H: Harness>(harness: &H) -> Check {
    let (store, user) = harness.fresh().await;
    let account = store.account(&user).await.ctx("open the account")?;
    account
        .create_mailbox(&name("a/b/c")?, None)
        .await
        .ctx("create a/b/c")?;
    account
        .create_mailbox(&name("a/d")?, None)
        .await
        .ctx("create a/d")?;
    account
        .create_mailbox(&name("ab")?, None)
        .await
        .ctx("create ab")?;
    let deep = account
        .open_mailbox(&name("a/b/c")?)
        .await
        .ctx("open a/b/c")?;
    deep.append(message("deep", 0), &Flags::from([Flag::Flagged]), date(0)?)
        .await
        .ctx("append")?;

    account
        .rename_mailbox(&name("a")?, &name("x/y")?)
        .await
        .ctx("rename a to x/y")?;
    let mut got: Vec<String> = account
        .list_mailboxes()
        .await
        .ctx("list")?
        .iter()
        .map(|i| i.name.to_string())
        .collect();
    got.sort();
    let expected = ["INBOX", "ab", "x", "x/y", "x/y/b", "x/y/b/c", "x/y/d"];
    ensure!(
        got == expected,
        "after renaming a to x/y the list is {got:?}, not {expected:?}"
    );
    let moved = account
        .open_mailbox(&name("x/y/b/c")?)
        .await
        .ctx("open x/y/b/c")?;
    let snapshot = moved.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    let [meta] = &snapshot.messages[..] else {
        return Err(format!(
            "x/y/b/c holds {} messages, not 1",
            snapshot.messages.len()
        ));
    };
    ensure!(
        meta.flags == Flags::from([Flag::Flagged]),
        "the renamed child's message lost its flags"
    );
    ensure!(
        moved.read(meta.uid).await.ctx("read")? == message("deep", 0),
        "the renamed child's message changed"
    );

    let r = account.rename_mailbox(&name("a")?, &name("z")?).await;
    ensure!(
        matches!(r, Err(StoreError::NoSuchMailbox)),
        "renaming a missing mailbox gave {r:?}"
    );
    let r = account
        .rename_mailbox(&name("x/y/d")?, &name("x/y/b")?)
        .await;
    ensure!(
        matches!(r, Err(StoreError::AlreadyExists)),
        "renaming onto an existing mailbox gave {r:?}"
    );
    let r = account
        .rename_mailbox(&name("x")?, &name("x/y/b/c/x")?)
        .await;
    ensure!(r.is_err(), "a mailbox was renamed below itself");

    account
        .create_mailbox(&name("INBOX/kid")?, None)
        .await
        .ctx("create INBOX/kid")?;
    let inbox = account
        .open_mailbox(&MailboxName::inbox())
        .await
        .ctx("open INBOX")?;
    for i in 0..2 {
        inbox
            .append(message("inbox", i), &Flags::new(), date(i as i64)?)
            .await
            .ctx("append")?;
    }
    account
        .rename_mailbox(&MailboxName::inbox(), &name("Old Mail")?)
        .await
        .ctx("rename INBOX")?;
    let old = account
        .open_mailbox(&name("Old Mail")?)
        .await
        .ctx("open Old Mail")?;
    let snapshot = old.snapshot(Access::ReadOnly).await.ctx("snapshot")?;
    ensure!(
        snapshot.messages.len() == 2,
        "renaming INBOX moved {} of 2 messages",
        snapshot.messages.len()
    );
    for (i, m) in snapshot.messages.iter().enumerate() {
        ensure!(
            old.read(m.uid).await.ctx("read")? == message("inbox", i),
            "a message from INBOX changed in the rename"
        );
    }
    let inbox = account
        .open_mailbox(&MailboxName::inbox())
        .await
        .ctx("INBOX after its rename")?;
    ensure!(
        uids_of(&inbox).await?.is_empty(),
        "INBOX is not empty after its rename"
    );
    let names: Vec<String> = account
        .list_mailboxes()
        .await
        .ctx("list")?
        .iter()
        .map(|i| i.name.to_string())
        .collect();
    ensure!(
        names.iter().any(|n| n == "INBOX/kid") && !names.iter().any(|n| n == "Old Mail/kid"),
        "renaming INBOX moved its children: {names:?}"
    );
    Ok(())
}
