//! What a Maildir store must do beyond the conformance kit: files other
//! programs can read, recovery from crashes and damage, and sharing a
//! Maildir with other processes and programs.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use futures::StreamExt;
use mailbox_maildir::{MaildirMailbox, MaildirStore, Options};
use mailbox_traits::{
    Access, Account, Change, Flag, FlagOp, Flags, InternalDate, Keyword, MailStore, Mailbox,
    MailboxName, Uid,
};

fn message(i: usize) -> Bytes {
    format!("From: a@example.org\r\nSubject: {i}\r\n\r\nbody {i}\r\n").into()
}

fn date() -> InternalDate {
    InternalDate::new(1_700_000_000, 60).expect("date")
}

fn kw(s: &str) -> Flag {
    Flag::Keyword(Keyword::new(s).expect("keyword"))
}

async fn inbox(store: &MaildirStore) -> MaildirMailbox {
    let user = store.create_user("alice").await.expect("user");
    store
        .account(&user)
        .await
        .expect("account")
        .open_mailbox(&MailboxName::inbox())
        .await
        .expect("inbox")
}

/// The file names in one subdirectory of alice's INBOX.
fn files(root: &Path, sub: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("alice").join(sub))
        .expect("directory")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    names.sort();
    names
}

fn index_path(root: &Path) -> PathBuf {
    root.join("alice/mail-proto-index")
}

#[tokio::test]
async fn files_are_plain_maildir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MaildirStore::open(dir.path()).expect("store");
    let inbox = inbox(&store).await;
    let plain = inbox
        .append(message(1), &Flags::new(), date())
        .await
        .expect("append");
    let flagged = Flags::from([Flag::Seen, Flag::Flagged, kw("$Forwarded"), kw("Work")]);
    inbox
        .append(message(2), &flagged, date())
        .await
        .expect("append");

    // Unflagged mail waits in new/ with no info; flagged mail goes to cur/
    // with the spec's letters in ASCII order, keywords as a, b, ...
    let new = files(dir.path(), "new");
    let cur = files(dir.path(), "cur");
    assert_eq!(new.len(), 1);
    assert!(
        !new[0].contains(':') && new[0].ends_with(&format!(",S={}", message(1).len())),
        "{new:?}"
    );
    assert_eq!(cur.len(), 1);
    assert!(cur[0].ends_with(":2,FSab"), "{cur:?}");
    assert_eq!(
        fs::read(dir.path().join("alice/cur").join(&cur[0])).expect("read"),
        message(2)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("alice/dovecot-keywords")).expect("keywords"),
        "0 $Forwarded\n1 Work\n"
    );
    // The internal date is the file's time, as Dovecot and mutt read it.
    let mtime = fs::metadata(dir.path().join("alice/new").join(&new[0]))
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(mtime, SystemTime::from(date()));

    // Setting a flag moves the file to cur/ and renames it.
    inbox
        .update_flags(
            &[plain.uid],
            FlagOp::Add,
            &Flags::from([Flag::Answered, Flag::Deleted]),
            None,
        )
        .await
        .expect("flags");
    assert!(files(dir.path(), "new").is_empty());
    assert!(
        files(dir.path(), "cur")
            .iter()
            .any(|n| n.ends_with(":2,RT"))
    );

    // A read-write view claims \Recent and moves claimed files to cur/.
    let third = inbox
        .append(message(3), &Flags::new(), date())
        .await
        .expect("append");
    let snapshot = inbox.snapshot(Access::ReadWrite).await.expect("snapshot");
    assert!(snapshot.get(third.uid).is_some_and(|m| m.recent));
    assert!(files(dir.path(), "new").is_empty());
    assert!(files(dir.path(), "cur").iter().any(|n| n.ends_with(":2,")));
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (validity, uids, modseq) = {
        let store = MaildirStore::open(dir.path()).expect("store");
        let inbox = inbox(&store).await;
        let mut uids = Vec::new();
        for i in 0..3 {
            uids.push(
                inbox
                    .append(message(i), &Flags::new(), date())
                    .await
                    .expect("append")
                    .uid,
            );
        }
        inbox
            .update_flags(
                &uids[1..2],
                FlagOp::Add,
                &Flags::from([Flag::Seen, kw("Later")]),
                None,
            )
            .await
            .expect("flags");
        inbox.expunge(&uids[..1]).await.expect("expunge");
        let status = inbox.status().await.expect("status");
        (status.uid_validity, uids, status.highest_modseq)
    };
    let store = MaildirStore::open(dir.path()).expect("store");
    let inbox = inbox(&store).await;
    let snapshot = inbox.snapshot(Access::ReadOnly).await.expect("snapshot");
    assert_eq!(snapshot.uid_validity, validity);
    assert_eq!(snapshot.highest_modseq, modseq);
    assert_eq!(
        snapshot.messages.iter().map(|m| m.uid).collect::<Vec<_>>(),
        &uids[1..]
    );
    assert_eq!(
        snapshot.messages[0].flags,
        Flags::from([Flag::Seen, kw("Later")])
    );
    let next = inbox
        .append(message(9), &Flags::new(), date())
        .await
        .expect("append");
    assert!(
        next.uid > uids[2],
        "UID {} reused after a restart",
        next.uid
    );
    assert_eq!(inbox.read(uids[2]).await.expect("read"), message(2));
}

#[tokio::test]
async fn a_missing_index_is_rebuilt_from_the_files_under_a_new_uidvalidity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old_validity = {
        let store = MaildirStore::open(dir.path()).expect("store");
        let inbox = inbox(&store).await;
        inbox
            .append(message(1), &Flags::new(), date())
            .await
            .expect("append");
        inbox
            .append(message(2), &Flags::from([Flag::Seen, kw("Work")]), date())
            .await
            .expect("append");
        inbox.status().await.expect("status").uid_validity
    };
    fs::remove_file(index_path(dir.path())).expect("remove the index");

    let store = MaildirStore::open(dir.path()).expect("store");
    let inbox = inbox(&store).await;
    let snapshot = inbox.snapshot(Access::ReadOnly).await.expect("snapshot");
    assert!(
        snapshot.uid_validity > old_validity,
        "{} not above {old_validity}",
        snapshot.uid_validity
    );
    assert_eq!(snapshot.messages.len(), 2);
    // Flags come back from the file names, keywords through dovecot-keywords.
    let flags: Vec<&Flags> = snapshot.messages.iter().map(|m| &m.flags).collect();
    assert!(
        flags.contains(&&Flags::from([Flag::Seen, kw("Work")])),
        "{flags:?}"
    );
    let mut bodies = Vec::new();
    for m in &snapshot.messages {
        bodies.push(inbox.read(m.uid).await.expect("read"));
        assert_eq!(m.internal_date.unix_timestamp(), date().unix_timestamp());
    }
    bodies.sort();
    assert_eq!(bodies, [message(1), message(2)]);
}

#[tokio::test]
async fn a_damaged_index_is_rebuilt_and_a_torn_last_line_is_not_damage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MaildirStore::open(dir.path()).expect("store");
    let validity = {
        let inbox = inbox(&store).await;
        inbox
            .append(message(1), &Flags::new(), date())
            .await
            .expect("append");
        inbox.status().await.expect("status").uid_validity
    };

    // A crash in the middle of a write leaves a line without its newline.
    let mut text = fs::read_to_string(index_path(dir.path())).expect("index");
    text.push_str("A 2 3 1700000000+0000 10 - torn");
    fs::write(index_path(dir.path()), &text).expect("write");
    let fresh = MaildirStore::open(dir.path()).expect("store");
    let reopened = inbox(&fresh).await;
    assert_eq!(
        reopened.status().await.expect("status").uid_validity,
        validity
    );
    let second = reopened
        .append(message(2), &Flags::new(), date())
        .await
        .expect("append");
    assert_eq!(second.uid.get(), 2);
    let journal = fs::read_to_string(index_path(dir.path())).expect("index");
    assert!(
        !journal.contains("torn"),
        "the torn line was not cut off:\n{journal}"
    );
    assert_eq!(reopened.status().await.expect("status").messages, 2);

    // A garbled line in the middle is damage: rebuild, new UIDVALIDITY.
    let garbled = journal.replacen("\nA 1 ", "\nA one ", 1);
    fs::write(index_path(dir.path()), garbled).expect("write");
    let fresh = MaildirStore::open(dir.path()).expect("store");
    let status = inbox(&fresh).await.status().await.expect("status");
    assert!(status.uid_validity > validity);
    assert_eq!(status.messages, 2);
}

#[tokio::test]
async fn half_written_files_in_tmp_are_never_shown_nor_swept_while_fresh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MaildirStore::open(dir.path()).expect("store");
    inbox(&store).await;
    let tmp = dir.path().join("alice/tmp");
    fs::write(tmp.join("1700000000.M1P1Q1.crashed"), "From: half").expect("write");
    // A delivery in progress elsewhere, its time already set to an old
    // internal date: the sweep of stale files must leave it alone.
    let staged = tmp.join("1700000001.M1P2Q1.staging");
    fs::write(&staged, "From: in flight").expect("write");
    let old = SystemTime::now() - Duration::from_secs(5 * 365 * 86400);
    fs::File::options()
        .write(true)
        .open(&staged)
        .and_then(|f| f.set_modified(old))
        .expect("age it");

    let fresh = MaildirStore::open(dir.path()).expect("store");
    let inbox = inbox(&fresh).await;
    assert_eq!(
        inbox
            .snapshot(Access::ReadOnly)
            .await
            .expect("snapshot")
            .messages
            .len(),
        0
    );
    assert!(tmp.join("1700000000.M1P1Q1.crashed").exists());
    assert!(
        staged.exists(),
        "a staged file was swept for its old internal date"
    );
}

#[tokio::test]
async fn other_programs_deliver_rename_and_delete_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut options = Options::default();
    options.watch_interval = Duration::from_millis(50);
    let store = MaildirStore::with_options(dir.path(), options).expect("store");
    let inbox = inbox(&store).await;
    let first = inbox
        .append(message(1), &Flags::from([Flag::Seen]), date())
        .await
        .expect("append");
    let mut feed = inbox.watch().await.expect("watch");
    let before = inbox
        .snapshot(Access::ReadOnly)
        .await
        .expect("snapshot")
        .highest_modseq;

    // An MDA delivers into new/ (through tmp/, as the spec says).
    let tmp = dir.path().join("alice/tmp/1800000000.M1P99Q1.mda");
    fs::write(&tmp, message(2)).expect("deliver");
    fs::rename(&tmp, dir.path().join("alice/new/1800000000.M1P99Q1.mda")).expect("deliver");
    let change = tokio::time::timeout(Duration::from_secs(5), feed.next())
        .await
        .expect("in time");
    let Some(Change::Appended(meta)) = change else {
        panic!("expected an append, got {change:?}")
    };
    assert!(meta.uid > first.uid && meta.modseq > before);
    assert_eq!(inbox.read(meta.uid).await.expect("read"), message(2));

    // mutt marks the first message flagged by renaming its file.
    let cur = files(dir.path(), "cur");
    let name = cur
        .iter()
        .find(|n| n.ends_with(":2,S"))
        .expect("the seen message");
    let renamed = name.replace(":2,S", ":2,FS");
    fs::rename(
        dir.path().join("alice/cur").join(name),
        dir.path().join("alice/cur").join(&renamed),
    )
    .expect("rename");
    let snapshot = inbox.snapshot(Access::ReadOnly).await.expect("snapshot");
    let meta = snapshot.get(first.uid).expect("still there");
    assert_eq!(meta.flags, Flags::from([Flag::Seen, Flag::Flagged]));
    assert!(meta.modseq > before);

    // ... and deletes it.
    fs::remove_file(dir.path().join("alice/cur").join(&renamed)).expect("remove");
    let snapshot = inbox.snapshot(Access::ReadOnly).await.expect("snapshot");
    assert!(snapshot.get(first.uid).is_none());
    let mut saw = Vec::new();
    while let Ok(Some(c)) = tokio::time::timeout(Duration::from_millis(200), feed.next()).await {
        saw.push(c);
    }
    assert!(
        saw.iter()
            .any(|c| matches!(c, Change::FlagsChanged { uid, .. } if *uid == first.uid))
            && saw
                .iter()
                .any(|c| matches!(c, Change::Expunged { uids, .. } if uids[..] == [first.uid])),
        "{saw:?}"
    );
}

#[tokio::test]
async fn the_journal_is_compacted_and_still_replays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MaildirStore::open(dir.path()).expect("store");
    let mailbox = inbox(&store).await;
    let a = mailbox
        .append(message(1), &Flags::new(), date())
        .await
        .expect("append");
    let seen = Flags::from([Flag::Seen]);
    for i in 0..1100 {
        let op = if i % 2 == 0 {
            FlagOp::Add
        } else {
            FlagOp::Remove
        };
        mailbox
            .update_flags(&[a.uid], op, &seen, None)
            .await
            .expect("toggle");
    }
    let lines = fs::read_to_string(index_path(dir.path()))
        .expect("index")
        .lines()
        .count();
    assert!(
        lines < 200,
        "the journal has {lines} lines after compaction"
    );
    let status = mailbox.status().await.expect("status");
    let fresh = MaildirStore::open(dir.path()).expect("store");
    let reread = inbox(&fresh).await.status().await.expect("status");
    assert_eq!(reread, status);
    assert_eq!(status.unseen, 1);
}

/// Runs as a child process when `MAILDIR_CHILD_ROOT` is set: appends 40
/// messages to alice's INBOX and prints their UIDs.
#[tokio::test]
async fn child_appender() {
    let Ok(root) = std::env::var("MAILDIR_CHILD_ROOT") else {
        return;
    };
    let tag: usize = std::env::var("MAILDIR_CHILD_TAG")
        .expect("tag")
        .parse()
        .expect("number");
    let store = MaildirStore::open(root).expect("store");
    let inbox = inbox(&store).await;
    for i in 0..40 {
        let uid = inbox
            .append(message(tag * 1000 + i), &Flags::new(), date())
            .await
            .expect("append")
            .uid;
        println!("UID {} {}", tag * 1000 + i, uid);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_appending_at_once_share_no_uid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = MaildirStore::open(dir.path()).expect("store");
    let inbox = inbox(&store).await;
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = (1..=2)
        .map(|tag| {
            std::process::Command::new(&exe)
                .args([
                    "--exact",
                    "child_appender",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("MAILDIR_CHILD_ROOT", dir.path())
                .env("MAILDIR_CHILD_TAG", tag.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("spawn a child")
        })
        .collect();
    let mut expected: Vec<(usize, Uid)> = Vec::new();
    for i in 0..40 {
        expected.push((
            i,
            inbox
                .append(message(i), &Flags::new(), date())
                .await
                .expect("append")
                .uid,
        ));
    }
    for child in children {
        let out = child.wait_with_output().expect("child ran");
        assert!(out.status.success(), "a child failed");
        // libtest may print its own "test child_appender ... " on the first line.
        for line in String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split("UID ").nth(1))
        {
            let (n, uid) = line.split_once(' ').expect("two numbers");
            expected.push((
                n.parse().expect("n"),
                Uid::new(uid.parse().expect("uid")).expect("uid"),
            ));
        }
    }
    assert_eq!(expected.len(), 120);
    let mut uids: Vec<Uid> = expected.iter().map(|e| e.1).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 120, "processes gave out the same UID");
    let snapshot = inbox.snapshot(Access::ReadOnly).await.expect("snapshot");
    assert_eq!(
        snapshot.messages.iter().map(|m| m.uid).collect::<Vec<_>>(),
        uids
    );
    for (n, uid) in expected {
        assert_eq!(
            inbox.read(uid).await.expect("read"),
            message(n),
            "UID {uid}"
        );
    }
}
