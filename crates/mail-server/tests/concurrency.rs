//! Fifty clients at once, each sending over SMTP to the next one's address
//! and downloading its own mail over POP3 while the others still send:
//! every message arrives exactly once.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;

const CLIENTS: usize = 50;
const MESSAGES: usize = 5;

/// Sends `MESSAGES` messages from `user{from}` to `user{to}` in one
/// session; returns their Message-IDs.
async fn send(addr: SocketAddr, from: usize, to: usize) -> Vec<String> {
    let mut raw = Raw::connect(addr).await;
    assert!(raw.reply().await.unwrap().starts_with("220 "));
    assert!(
        raw.smtp(&format!("EHLO client{from}.example"))
            .await
            .starts_with("250-")
    );
    let mut ids = Vec::new();
    for n in 0..MESSAGES {
        let id = format!("{from}.{n}");
        assert_eq!(
            raw.smtp(&format!("MAIL FROM:<user{from}@example.org>"))
                .await,
            "250 2.1.0 Ok"
        );
        assert_eq!(
            raw.smtp(&format!("RCPT TO:<user{to}@example.org>")).await,
            "250 2.1.5 Ok"
        );
        assert_eq!(
            raw.smtp("DATA").await,
            "354 End data with <CR><LF>.<CR><LF>"
        );
        let mut message = message_with_id(&id, &format!(".message {n} of user{from}"));
        message.extend_from_slice(b".\r\n");
        raw.send(&message).await;
        assert_eq!(raw.reply().await.unwrap(), "250 2.0.0 Ok: queued");
        ids.push(format!("<{id}@test.example>"));
    }
    assert_eq!(raw.smtp("QUIT").await, "221 2.0.0 Bye");
    ids
}

/// One POP3 session of `user{n}`: RETR and DELE every message, QUIT;
/// returns the Message-IDs read.
async fn download(addr: SocketAddr, n: usize) -> Vec<String> {
    let mut raw = Raw::connect(addr).await;
    raw.line().await.unwrap();
    assert_eq!(
        raw.login((&format!("user{n}"), "pw")).await,
        "+OK Logged in."
    );
    let stat = raw.command("STAT").await;
    let count: usize = stat.split(' ').nth(1).unwrap().parse().unwrap();
    let mut ids = Vec::new();
    for i in 1..=count {
        let ok = raw.command(&format!("RETR {i}")).await;
        assert!(ok.starts_with("+OK "), "{ok}");
        loop {
            let line = raw.line().await.unwrap();
            if line == "." {
                break;
            }
            if let Some(id) = line.strip_prefix("Message-ID: ") {
                ids.push(id.to_owned());
            }
        }
        assert_eq!(
            raw.command(&format!("DELE {i}")).await,
            "+OK Marked to be deleted."
        );
    }
    let quit = raw.command("QUIT").await;
    let expected = if count == 0 {
        "+OK Logging out."
    } else {
        "+OK Logging out, messages deleted."
    };
    assert_eq!(quit, expected);
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_sending_and_reading_get_every_message_once() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        extra_users: CLIENTS,
        pop3s: false,
        smtps: false,
        lmtp: false,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let (smtp, pop3) = (server.smtp, server.pop3);
    let started = Instant::now();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            tokio::spawn(async move {
                let to = (i + 1) % CLIENTS;
                let sending = tokio::spawn(send(smtp, i, to));
                // Read while this client and the others send.
                let mut received = Vec::new();
                let deadline = Instant::now() + Duration::from_secs(60);
                while received.len() < MESSAGES {
                    assert!(Instant::now() < deadline, "user{i} got {received:?}");
                    received.extend(download(pop3, i).await);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                (to, sending.await.unwrap(), i, received)
            })
        })
        .collect();

    let mut sent: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut received: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for client in clients {
        let (to, ids, me, got) = client.await.unwrap();
        sent.insert(to, ids);
        received.insert(me, got);
    }
    // Exactly once: nothing missing, nothing twice, nothing left over.
    for (user, mut got) in received {
        got.sort();
        let mut expected = sent[&user].clone();
        expected.sort();
        assert_eq!(got, expected, "user{user}");
        assert!(
            server
                .inbox(&format!("user{user}"))
                .await
                .messages
                .is_empty()
        );
    }
    assert!(started.elapsed() < Duration::from_secs(60));
}
