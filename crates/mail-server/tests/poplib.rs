//! Python's poplib, a client nobody here wrote, against the server on a
//! Maildir store: every line checked against RFC 1939 and Dovecot's replies.

mod common;

use std::time::Duration;

use common::*;
use mail_server::PlaintextAuth;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_pass_list_uidl_top_retr_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let first = dotted_message("dots");
    let second = b"Subject: second\r\n\r\nshort\r\n".to_vec();
    server.deliver("alice", &first).await;
    server.deliver("alice", &second).await;
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let lines = server
        .poplib("session", ALICE, &[out.to_str().unwrap()])
        .await;

    assert_eq!(value(&lines, "welcome"), "+OK POP3 server ready");
    // From loopback USER is offered before TLS (Dovecot counts it secure);
    // STLS too, as a certificate is configured.
    assert_eq!(
        value(&lines, "capa"),
        "AUTH-RESP-CODE PIPELINING RESP-CODES SASL STLS TOP UIDL USER"
    );
    assert_eq!(value(&lines, "user"), "+OK");
    assert_eq!(value(&lines, "pass"), "+OK Logged in.");
    let total = first.len() + second.len();
    assert_eq!(value(&lines, "stat"), format!("2 {total}"));
    assert_eq!(
        values(&lines, "list"),
        [format!("1 {}", first.len()), format!("2 {}", second.len())]
    );
    let inbox = server.inbox("alice").await;
    assert_eq!(values(&lines, "uidl"), expected_uidls(&inbox));
    // TOP 1 0: the header lines and the blank line (RFC 1939 §7).
    assert_eq!(value(&lines, "top"), "+OK 4 lines");
    assert_eq!(
        values(&lines, "retr"),
        [
            format!("+OK {} octets", first.len()),
            format!("+OK {} octets", second.len())
        ]
    );
    assert_eq!(std::fs::read(out.join("1.eml")).unwrap(), first);
    assert_eq!(std::fs::read(out.join("2.eml")).unwrap(), second);
    assert_eq!(value(&lines, "quit"), "+OK Logging out.");

    // RETR set \Seen; TOP did not count, and nothing was deleted.
    let inbox = server.inbox("alice").await;
    assert_eq!(inbox.messages.len(), 2);
    assert!(inbox.messages.iter().all(|m| m.flags.is_seen()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_megabyte_message_with_dot_lines() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let message = big_message(5 * 1024 * 1024);
    server.deliver("alice", &message).await;
    let file = dir.path().join("big.eml");

    let lines = server
        .poplib("retr", ALICE, &["1", file.to_str().unwrap()])
        .await;

    assert_eq!(value(&lines, "list"), format!("+OK 1 {}", message.len()));
    assert_eq!(
        value(&lines, "retr"),
        format!("+OK {} octets", message.len())
    );
    let received = std::fs::read(&file).unwrap();
    assert_eq!(received.len(), message.len());
    assert!(received == message, "the 5 MB message differs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stls_with_the_self_signed_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        plaintext: PlaintextAuth::TlsOnly,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    server.deliver("bob", &dotted_message("tls")).await;
    let cert = server.cert.to_str().unwrap().to_owned();

    let lines = server.poplib("stls", BOB, &[&cert]).await;

    // Before TLS: no USER, and USER refused as Dovecot words it.
    assert_eq!(
        value(&lines, "capa-before"),
        "AUTH-RESP-CODE PIPELINING RESP-CODES STLS TOP UIDL"
    );
    assert_eq!(
        value(&lines, "user-before"),
        "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections."
    );
    assert_eq!(value(&lines, "stls"), "+OK Begin TLS negotiation now.");
    assert!(value(&lines, "tls").starts_with("TLSv1."));
    assert_eq!(
        value(&lines, "capa-after"),
        "AUTH-RESP-CODE PIPELINING RESP-CODES SASL TOP UIDL USER"
    );
    assert_eq!(value(&lines, "pass"), "+OK Logged in.");
    assert_eq!(
        value(&lines, "stat"),
        format!("1 {}", dotted_message("tls").len())
    );
    assert_eq!(value(&lines, "quit"), "+OK Logging out.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apop_is_not_offered() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;

    let lines = server.poplib("apop", ALICE, &[]).await;

    // No timestamp in the greeting (RFC 1939 §7): the users have argon2
    // hashes, and APOP needs the password in the clear.
    assert_eq!(value(&lines, "welcome"), "+OK POP3 server ready");
    assert_eq!(
        value(&lines, "apop-client"),
        "-ERR APOP not supported by server"
    );
    assert_eq!(value(&lines, "apop-server"), "-ERR APOP not enabled.");
    assert_eq!(value(&lines, "quit"), "+OK Logging out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uidl_is_stable_across_sessions_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), Setup::default()).await;
    for i in 0..3 {
        server
            .deliver(
                "alice",
                format!("Subject: {i}\r\n\r\nbody {i}\r\n").as_bytes(),
            )
            .await;
    }
    let first = server.poplib("uidl", ALICE, &[]).await;
    let again = server.poplib("uidl", ALICE, &[]).await;
    assert_eq!(values(&first, "uidl"), values(&again, "uidl"));
    assert_eq!(
        values(&first, "uidl"),
        expected_uidls(&server.inbox("alice").await)
    );

    // A new process on the same Maildir: same unique-ids, and the next
    // message gets a new one.
    server.server.take().unwrap().shutdown().await;
    let server = start(dir.path(), Setup::default()).await;
    server
        .deliver("alice", b"Subject: 3\r\n\r\nbody 3\r\n")
        .await;
    let after = server.poplib("uidl", ALICE, &[]).await;
    let after = values(&after, "uidl");
    assert_eq!(after.len(), 4);
    assert_eq!(after[..3], values(&first, "uidl")[..]);
    assert_eq!(after, expected_uidls(&server.inbox("alice").await));
    assert!(!values(&first, "uidl").contains(&after[3]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dele_then_dropped_connection_keeps_dele_then_quit_removes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 0..2 {
        server
            .deliver(
                "alice",
                format!("Subject: {i}\r\n\r\nbody {i}\r\n").as_bytes(),
            )
            .await;
    }
    let before = server.inbox("alice").await;

    let lines = server.poplib("dele-drop", ALICE, &["1"]).await;
    assert_eq!(value(&lines, "dele"), "+OK Marked to be deleted.");
    server.wait_idle().await;
    // No QUIT, no UPDATE state: nothing deleted (RFC 1939 §6).
    assert_eq!(server.inbox("alice").await.messages, before.messages);

    let lines = server.poplib("dele-quit", ALICE, &["1"]).await;
    assert_eq!(value(&lines, "dele"), "+OK Marked to be deleted.");
    assert_eq!(
        value(&lines, "stat"),
        format!("1 {}", before.messages[1].size)
    );
    assert_eq!(value(&lines, "quit"), "+OK Logging out, messages deleted.");
    let after = server.inbox("alice").await;
    assert_eq!(after.messages.len(), 1);
    assert_eq!(after.messages[0].uid, before.messages[1].uid);

    // The survivor keeps its unique-id; its message number is now 1.
    let lines = server.poplib("uidl", ALICE, &[]).await;
    let kept = &expected_uidls(&before)[1][2..];
    assert_eq!(values(&lines, "uidl"), [format!("1 {kept}")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_refused_after_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        failure_delay: Duration::from_millis(400),
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;

    let lines = server.poplib("wrong", ALICE, &[]).await;

    assert_eq!(value(&lines, "wrong"), "-ERR [AUTH] Authentication failed.");
    let delay: u64 = value(&lines, "delay-ms").parse().unwrap();
    assert!(delay >= 400, "refused after {delay} ms");
    assert!(delay < 5_000, "refused after {delay} ms");
    // The session goes on in AUTHORIZATION (RFC 1939 §4).
    assert_eq!(value(&lines, "right"), "+OK Logged in.");
    assert_eq!(value(&lines, "quit"), "+OK Logging out.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_session_of_a_user_gets_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;

    let lines = server.poplib("in-use", BOB, &[]).await;

    assert_eq!(
        value(&lines, "second"),
        "-ERR [IN-USE] Mailbox is locked by another POP3 session."
    );
    assert_eq!(value(&lines, "first-quit"), "+OK Logging out.");
    assert_eq!(value(&lines, "second-retry"), "+OK Logged in.");
    assert_eq!(value(&lines, "second-quit"), "+OK Logging out.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_local_domain() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    server.deliver("alice", b"Subject: x\r\n\r\ny\r\n").await;

    let listed = server
        .poplib("uidl", ("Alice@Example.org", ALICE.1), &[])
        .await;
    assert_eq!(values(&listed, "uidl").len(), 1);

    let out = run_unchecked(
        "python3",
        &[
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/clients/poplib_client.py"
            ),
            "wrong",
            "127.0.0.1",
            &server.pop3.port().to_string(),
            "alice@elsewhere.net",
            ALICE.1,
        ],
    )
    .await;
    // Not a local domain: both the wrong and the right password fail.
    let seen = lines(&out);
    assert_eq!(value(&seen, "wrong"), "-ERR [AUTH] Authentication failed.");
    assert!(String::from_utf8_lossy(&out.stderr).contains("-ERR [AUTH] Authentication failed."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retr_marks_seen_at_the_end_of_the_session_as_dovecot_does() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    for i in 1..=3 {
        let m = format!("Subject: {i}\r\n\r\nbody {i}\r\n");
        server.deliver("alice", m.as_bytes()).await;
    }
    let seen = async || -> Vec<bool> {
        let inbox = server.inbox("alice").await;
        inbox.messages.iter().map(|m| m.flags.is_seen()).collect()
    };

    let mut pop = Raw::connect(server.pop3).await;
    pop.line().await.unwrap();
    assert_eq!(pop.login(ALICE).await, "+OK Logged in.");
    let (ok, lines) = pop.multiline("RETR 1").await;
    assert!(ok.starts_with("+OK ") && lines.contains(&"body 1".to_owned()));
    assert_eq!(pop.multiline("TOP 2 0").await.0, "+OK");
    assert!(pop.multiline("RETR 3").await.0.starts_with("+OK "));
    assert_eq!(pop.command("DELE 3").await, "+OK Marked to be deleted.");
    // Not yet: Dovecot sets the flags when the session ends.
    assert_eq!(seen().await, [false, false, false]);
    assert_eq!(
        pop.command("QUIT").await,
        "+OK Logging out, messages deleted."
    );
    // RETR marked; TOP did not; the deleted one is gone.
    assert_eq!(seen().await, [true, false]);

    // A dropped connection deletes nothing, but what the client downloaded
    // is marked read (Dovecot's client_destroy).
    let mut pop = Raw::connect(server.pop3).await;
    pop.line().await.unwrap();
    assert_eq!(pop.login(ALICE).await, "+OK Logged in.");
    assert!(pop.multiline("RETR 2").await.0.starts_with("+OK "));
    assert_eq!(pop.command("DELE 1").await, "+OK Marked to be deleted.");
    drop(pop);
    server.wait_idle().await;
    assert_eq!(seen().await, [true, true]);

    // RSET forgets the session's marks with its DELEs (Dovecot's cmd_rset
    // clears its seen bitmask): what was read before it stays unread.
    server
        .deliver("alice", b"Subject: 4\r\n\r\nbody 4\r\n")
        .await;
    let mut pop = Raw::connect(server.pop3).await;
    pop.line().await.unwrap();
    assert_eq!(pop.login(ALICE).await, "+OK Logged in.");
    assert!(pop.multiline("RETR 3").await.0.starts_with("+OK "));
    assert_eq!(pop.command("RSET").await, "+OK");
    assert!(pop.multiline("RETR 1").await.0.starts_with("+OK "));
    assert_eq!(pop.command("QUIT").await, "+OK Logging out.");
    assert_eq!(seen().await, [true, true, false]);
}
