//! mbsync (isync), a real synchronizing client, against the server: pull
//! INBOX into a local Maildir, change a flag and delete a message there,
//! push both back, and see them over IMAP; new mail comes down on the next
//! run. `.ci/run` installs isync; a machine without it skips this test
//! (and CI, where `CI` is set, fails instead).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use mailbox_traits::Flag;

/// The files of a Maildir folder, `cur/` and `new/`.
fn files(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["cur", "new"] {
        if let Ok(dir) = std::fs::read_dir(folder.join(sub)) {
            out.extend(dir.map(|e| e.unwrap().path()));
        }
    }
    out.sort();
    out
}

/// The local file mbsync keeps for remote UID `uid` (`...,U=<uid>...`).
fn file_of(folder: &Path, uid: u32) -> PathBuf {
    let tag = format!(",U={uid}:");
    let tag_end = format!(",U={uid}");
    files(folder)
        .into_iter()
        .find(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.contains(&tag) || name.ends_with(&tag_end)
        })
        .unwrap_or_else(|| panic!("no file for UID {uid} in {:?}", files(folder)))
}

/// A message as mbsync keeps it in a Maildir: LF line ends, and without
/// the `X-TUID:` field mbsync adds to find it again.
fn as_stored_locally(path: &Path) -> String {
    String::from_utf8(std::fs::read(path).unwrap())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("X-TUID: "))
        .map(|l| format!("{l}\r\n"))
        .collect()
}

async fn mbsync(config: &Path) -> String {
    let out = run("mbsync", &["-c", config.to_str().unwrap(), "-a"]).await;
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mbsync_round_trip() {
    let installed = std::process::Command::new("mbsync")
        .arg("--version")
        .output()
        .is_ok();
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "mbsync is missing: .ci/run installs isync"
        );
        eprintln!("mbsync is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    server
        .deliver("alice", &message_with_id("sync-one", "First."))
        .await;
    server
        .deliver("alice", &message_with_id("sync-two", "Second."))
        .await;
    let local = dir.path().join("local");
    std::fs::create_dir(&local).unwrap();
    let config = dir.path().join("mbsyncrc");
    std::fs::write(
        &config,
        format!(
            "IMAPAccount test\n\
             Host 127.0.0.1\n\
             Port {port}\n\
             User alice\n\
             Pass wonderland\n\
             SSLType None\n\
             AuthMechs LOGIN\n\
             \n\
             IMAPStore remote\n\
             Account test\n\
             \n\
             MaildirStore local\n\
             Path {local}/\n\
             Inbox {local}/INBOX\n\
             \n\
             Channel test\n\
             Far :remote:\n\
             Near :local:\n\
             Patterns INBOX\n\
             Create Near\n\
             Expunge Both\n\
             Sync All\n\
             SyncState *\n",
            port = server.imap.port(),
            local = local.display()
        ),
    )
    .unwrap();
    let inbox = local.join("INBOX");

    // Pull: both messages, as sent (mbsync keeps LF line ends).
    mbsync(&config).await;
    let pulled = files(&inbox);
    assert_eq!(pulled.len(), 2, "{pulled:?}");
    assert_eq!(
        as_stored_locally(&file_of(&inbox, 1)).into_bytes(),
        message_with_id("sync-one", "First.")
    );

    // Flag the first locally (Maildir `:2,FS`), delete the second, and push.
    let one = file_of(&inbox, 1);
    let name = one.file_name().unwrap().to_str().unwrap();
    let base = name.split(":2,").next().unwrap();
    std::fs::rename(&one, inbox.join("cur").join(format!("{base}:2,FS"))).unwrap();
    std::fs::remove_file(file_of(&inbox, 2)).unwrap();
    mbsync(&config).await;

    // Over IMAP the flags are set and the second message is gone.
    let remote = server.inbox("alice").await;
    assert_eq!(remote.messages.len(), 1);
    assert_eq!(remote.messages[0].uid.get(), 1);
    assert!(remote.messages[0].flags.contains(&Flag::Flagged));
    assert!(remote.messages[0].flags.is_seen());
    let lines = imaplib(server.imap, "flags", ALICE, &[]).await;
    assert_eq!(value(&lines, "flags"), r"1 (UID 1 FLAGS (\Flagged \Seen))");

    // New mail on the server comes down on the next run.
    server
        .deliver("alice", &message_with_id("sync-three", "Third."))
        .await;
    mbsync(&config).await;
    assert_eq!(files(&inbox).len(), 2);
    assert_eq!(
        as_stored_locally(&file_of(&inbox, 3)).into_bytes(),
        message_with_id("sync-three", "Third.")
    );
}
