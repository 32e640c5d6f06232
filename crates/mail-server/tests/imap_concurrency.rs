//! Fifty IMAP sessions on one INBOX at once, appending, flagging and
//! expunging: every session's view stays consistent (its count follows
//! EXISTS and EXPUNGE exactly, no response names a message it cannot
//! know), and UIDs are never given twice.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::*;
use tokio::sync::Barrier;

const CLIENTS: usize = 50;
const ROUNDS: usize = 8;

/// What one session saw.
struct Seen {
    /// UIDs its APPENDs got.
    appended: Vec<u32>,
    /// UIDs it expunged.
    expunged: Vec<u32>,
    /// Its message count at the end, from EXISTS and EXPUNGE alone.
    count: usize,
    /// `UID SEARCH ALL` at the end.
    uids: Vec<u32>,
}

/// Tracks the message count from untagged responses, checking each.
fn track(count: &mut usize, lines: &[String], who: usize) {
    for line in lines {
        let words: Vec<&str> = line.split(' ').collect();
        if words.first() != Some(&"*") || words.len() < 3 {
            continue;
        }
        let Ok(n) = words[1].parse::<usize>() else {
            continue;
        };
        match words[2] {
            "EXISTS" => {
                // EXISTS only grows the count between expunges it has
                // heard of (RFC 9051 §7.4.1).
                assert!(n >= *count, "client {who}: EXISTS {n} after {count}");
                *count = n;
            }
            "EXPUNGE" => {
                assert!(
                    n >= 1 && n <= *count,
                    "client {who}: EXPUNGE {n} of {count}"
                );
                *count -= 1;
            }
            "FETCH" => assert!(n >= 1 && n <= *count, "client {who}: FETCH {n} of {count}"),
            _ => {}
        }
    }
}

async fn client(server_addr: std::net::SocketAddr, who: usize, barrier: Arc<Barrier>) -> Seen {
    let mut c = Raw::connect(server_addr).await;
    c.imap_line().await.unwrap();
    c.imap("l", "LOGIN alice wonderland").await;
    let mut count = 0;
    let select = c.imap("s", "SELECT INBOX").await;
    track(&mut count, &select, who);
    let mut seen = Seen {
        appended: Vec::new(),
        expunged: Vec::new(),
        count: 0,
        uids: Vec::new(),
    };
    for round in 0..ROUNDS {
        let body = format!("Subject: client {who} round {round}\r\n\r\nhello\r\n");
        c.send(format!("a APPEND INBOX {{{}+}}\r\n{body}\r\n", body.len()).as_bytes())
            .await;
        let lines = c.imap_response("a").await;
        track(&mut count, &lines, who);
        let done = lines.last().unwrap();
        // `a OK [APPENDUID validity uid] Append completed.`
        let uid: u32 = done
            .split(' ')
            .nth(4)
            .and_then(|u| u.strip_suffix(']'))
            .and_then(|u| u.parse().ok())
            .unwrap_or_else(|| panic!("client {who}: {done}"));
        seen.appended.push(uid);
        let lines = c
            .imap("f", &format!("UID STORE {uid} +FLAGS (\\Flagged)"))
            .await;
        track(&mut count, &lines, who);
        assert!(lines.last().unwrap().starts_with("f OK"), "{lines:?}");
        let lines = c.imap("n", "NOOP").await;
        track(&mut count, &lines, who);
        if round % 2 == 1 {
            // Expunge this round's message; the one before stays.
            let lines = c
                .imap("d", &format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"))
                .await;
            track(&mut count, &lines, who);
            let lines = c.imap("x", &format!("UID EXPUNGE {uid}")).await;
            track(&mut count, &lines, who);
            assert_eq!(lines.last().unwrap(), "x OK Expunge completed.");
            seen.expunged.push(uid);
        }
        let lines = c.imap("q", "FETCH 1:* (FLAGS)").await;
        track(&mut count, &lines, who);
    }
    // Everyone is done: a last NOOP brings each view up to date.
    barrier.wait().await;
    let lines = c.imap("n", "NOOP").await;
    track(&mut count, &lines, who);
    let lines = c.imap("u", "UID SEARCH ALL").await;
    track(&mut count, &lines, who);
    seen.uids = lines[0]
        .strip_prefix("* SEARCH")
        .unwrap()
        .split_whitespace()
        .map(|u| u.parse().unwrap())
        .collect();
    seen.count = count;
    c.imap("o", "LOGOUT").await;
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_sessions_on_one_inbox_stay_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 0..5 {
        server
            .deliver("alice", &message_with_id(&format!("before{i}"), "x"))
            .await;
    }
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|who| tokio::spawn(client(server.imap, who, barrier.clone())))
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.push(t.await.unwrap());
    }

    // No UID was given twice.
    let appended: Vec<u32> = all.iter().flat_map(|s| s.appended.clone()).collect();
    let distinct: BTreeSet<u32> = appended.iter().copied().collect();
    assert_eq!(distinct.len(), CLIENTS * ROUNDS, "a UID was given twice");
    assert!(appended.iter().all(|&u| u > 5));
    let expunged: BTreeSet<u32> = all.iter().flat_map(|s| s.expunged.clone()).collect();
    let inbox = server.inbox("alice").await;
    let stored: Vec<u32> = inbox.messages.iter().map(|m| m.uid.get()).collect();
    // What is left: the five from before and every message not expunged.
    let expected: Vec<u32> = (1..=5)
        .chain(distinct.difference(&expunged).copied())
        .collect();
    assert_eq!(stored, expected);
    assert_eq!(stored.len(), 5 + CLIENTS * ROUNDS / 2);
    assert!(
        inbox
            .messages
            .iter()
            .filter(|m| m.uid.get() > 5)
            .all(|m| m.flags.contains(&mailbox_traits::Flag::Flagged))
    );
    // Every session's count, kept from EXISTS and EXPUNGE alone, adds up
    // to the mailbox, and its UIDs are the store's.
    for (who, s) in all.iter().enumerate() {
        assert_eq!(s.count, stored.len(), "client {who}");
        assert_eq!(s.uids, stored, "client {who}");
    }
}
