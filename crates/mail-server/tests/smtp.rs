//! SMTP and LMTP on bare sockets, for what real clients do not send:
//! pipelined commands (RFC 2920's examples), LMTP's reply per recipient
//! (RFC 2033), a delivery that fails for one recipient, garbage and a DATA
//! that never ends.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use common::*;

/// Connects, reads the greeting and says EHLO (or LHLO); returns the
/// client and the EHLO reply.
async fn hello(addr: std::net::SocketAddr, verb: &str) -> (Raw, String) {
    let mut raw = Raw::connect(addr).await;
    let greeting = raw.reply().await.unwrap();
    let kind = if verb == "LHLO" { "LMTP" } else { "ESMTP" };
    assert_eq!(greeting, format!("220 {HOSTNAME} {kind}"));
    let ehlo = raw.smtp(&format!("{verb} client.example")).await;
    (raw, ehlo)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_commands_are_answered_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let (mut raw, ehlo) = hello(server.smtp, "EHLO").await;
    assert_eq!(
        ehlo,
        format!(
            "250-{HOSTNAME}\n250-PIPELINING\n250-SIZE 10240000\n250-STARTTLS\n\
             250-AUTH PLAIN LOGIN\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n250-SMTPUTF8\n\
             250 CHUNKING"
        )
    );

    // RFC 2920 §4's first example, with this server's users: the group up
    // to DATA in one write, then the message, its end and QUIT in another.
    raw.send(
        b"MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
          RCPT TO:<alice@example.org>\r\n\
          RCPT TO:<bob@example.org>\r\n\
          RCPT TO:<Alice@Example.org>\r\n\
          DATA\r\n",
    )
    .await;
    for expected in [
        "250 2.1.0 Ok",
        "250 2.1.5 Ok",
        "250 2.1.5 Ok",
        "250 2.1.5 Ok",
        "354 End data with <CR><LF>.<CR><LF>",
    ] {
        assert_eq!(raw.reply().await.unwrap(), expected);
    }
    let message = message_with_id("pipelined", "..leading dot, stuffed");
    let mut wire = message.clone();
    wire.extend_from_slice(b".\r\nQUIT\r\n");
    raw.send(&wire).await;
    assert_eq!(raw.reply().await.unwrap(), "250 2.0.0 Ok: queued");
    assert_eq!(raw.reply().await.unwrap(), "221 2.0.0 Bye");
    assert_eq!(raw.reply().await, None);

    // Alice named twice gets it once; dot-unstuffed as sent.
    let alice = server.inbox("alice").await;
    assert_eq!(alice.messages.len(), 1);
    let stored = server.stored("alice", 1).await;
    let (received, rest) = split_received(&stored);
    check_received(&received, "client.example", "ESMTP", None);
    let unstuffed = message_with_id("pipelined", ".leading dot, stuffed");
    assert!(rest == unstuffed, "{:?}", String::from_utf8_lossy(rest));
    assert_eq!(server.stored("bob", 1).await, stored);

    // The second example: every recipient refused, DATA refused in turn.
    let (mut raw, _) = hello(server.smtp, "EHLO").await;
    raw.send(
        b"MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
          RCPT TO:<nsb@thumper.bellcore.com>\r\n\
          RCPT TO:<galvin@tis.com>\r\n\
          DATA\r\n",
    )
    .await;
    for expected in [
        "250 2.1.0 Ok",
        "554 5.7.1 <nsb@thumper.bellcore.com>: Relay access denied",
        "554 5.7.1 <galvin@tis.com>: Relay access denied",
        "554 5.5.1 Error: no valid recipients",
    ] {
        assert_eq!(raw.reply().await.unwrap(), expected);
    }
    assert_eq!(raw.smtp("QUIT").await, "221 2.0.0 Bye");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bdat_chunks_and_the_null_sender() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let (mut raw, _) = hello(server.smtp, "EHLO").await;
    // RFC 3030 §4.2's shape: chunks pipelined after MAIL and RCPT.
    let first = b"Subject: chunked\r\n\r\n";
    let second = b".not stuffed in BDAT\r\n";
    let mut wire = b"MAIL FROM:<>\r\nRCPT TO:<bob@example.org>\r\n".to_vec();
    wire.extend_from_slice(format!("BDAT {}\r\n", first.len()).as_bytes());
    wire.extend_from_slice(first);
    wire.extend_from_slice(format!("BDAT {} LAST\r\n", second.len()).as_bytes());
    wire.extend_from_slice(second);
    raw.send(&wire).await;
    for expected in [
        "250 2.1.0 Ok",
        "250 2.1.5 Ok",
        &format!("250 2.0.0 Ok: {} octets received", first.len()),
        "250 2.0.0 Ok: queued",
    ] {
        assert_eq!(raw.reply().await.unwrap(), expected);
    }
    let stored = server.stored("bob", 1).await;
    let (received, rest) = split_received(&stored);
    check_received(
        &received,
        "client.example",
        "ESMTP",
        Some("<bob@example.org>"),
    );
    assert_eq!(rest, [&first[..], &second[..]].concat());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lmtp_replies_once_per_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let (mut raw, lhlo) = hello(server.lmtp.unwrap(), "LHLO").await;
    // No AUTH in LMTP; PIPELINING always (RFC 2033 §4.2).
    assert!(
        lhlo.starts_with(&format!("250-{HOSTNAME}\n250-PIPELINING\n")),
        "{lhlo}"
    );
    assert!(!lhlo.contains("AUTH"), "{lhlo}");

    raw.send(
        b"MAIL FROM:<sender@elsewhere.net>\r\n\
          RCPT TO:<alice@example.org>\r\n\
          RCPT TO:<nobody@example.org>\r\n\
          RCPT TO:<bob@example.org>\r\n\
          RCPT TO:<someone@elsewhere.net>\r\n\
          DATA\r\n",
    )
    .await;
    for expected in [
        "250 2.1.0 Ok",
        "250 2.1.5 Ok",
        "550 5.1.1 <nobody@example.org> User doesn't exist: nobody@example.org",
        "250 2.1.5 Ok",
        "550 5.1.1 <someone@elsewhere.net> User doesn't exist: someone@elsewhere.net",
        "354 End data with <CR><LF>.<CR><LF>",
    ] {
        assert_eq!(raw.reply().await.unwrap(), expected);
    }
    let message = message_with_id("lmtp", "for two");
    let mut wire = message.clone();
    wire.extend_from_slice(b".\r\n");
    raw.send(&wire).await;
    // RFC 2033 §4.2: one reply per accepted recipient, in RCPT order.
    assert_eq!(
        raw.reply().await.unwrap(),
        "250 2.0.0 <alice@example.org> Ok: delivered"
    );
    assert_eq!(
        raw.reply().await.unwrap(),
        "250 2.0.0 <bob@example.org> Ok: delivered"
    );
    for user in ["alice", "bob"] {
        let stored = server.stored(user, 1).await;
        let (received, rest) = split_received(&stored);
        check_received(&received, "client.example", "LMTP", None);
        assert!(rest == message);
    }

    // A recipient whose Maildir goes away before the message ends: its
    // own failure, the other recipient's success.
    raw.send(
        b"MAIL FROM:<>\r\nRCPT TO:<alice@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n",
    )
    .await;
    for expected in [
        "250 2.1.0 Ok",
        "250 2.1.5 Ok",
        "250 2.1.5 Ok",
        "354 End data with <CR><LF>.<CR><LF>",
    ] {
        assert_eq!(raw.reply().await.unwrap(), expected);
    }
    std::fs::remove_dir_all(dir.path().join("mail/bob")).unwrap();
    raw.send(b"Subject: second\r\n\r\nx\r\n.\r\n").await;
    assert_eq!(
        raw.reply().await.unwrap(),
        "250 2.0.0 <alice@example.org> Ok: delivered"
    );
    assert_eq!(
        raw.reply().await.unwrap(),
        "550 5.1.1 <bob@example.org> User doesn't exist: bob@example.org"
    );
    assert_eq!(raw.smtp("QUIT").await, "221 2.0.0 Bye");
    assert_eq!(server.inbox("alice").await.messages.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_for_one_recipient_defers_the_whole_smtp_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let (mut raw, _) = hello(server.smtp, "EHLO").await;
    assert_eq!(
        raw.smtp("MAIL FROM:<carol@elsewhere.net>").await,
        "250 2.1.0 Ok"
    );
    assert_eq!(
        raw.smtp("RCPT TO:<alice@example.org>").await,
        "250 2.1.5 Ok"
    );
    assert_eq!(raw.smtp("RCPT TO:<bob@example.org>").await, "250 2.1.5 Ok");
    assert_eq!(
        raw.smtp("DATA").await,
        "354 End data with <CR><LF>.<CR><LF>"
    );
    std::fs::remove_dir_all(dir.path().join("mail/bob")).unwrap();
    raw.send(b"Subject: x\r\n\r\ny\r\n.\r\n").await;
    // One reply for the transaction: try again later (Postfix's text).
    assert_eq!(
        raw.reply().await.unwrap(),
        "451 4.3.0 Error: queue file write error"
    );
    // The session goes on.
    assert_eq!(raw.smtp("RSET").await, "250 2.0.0 Ok");
    assert_eq!(raw.smtp("QUIT").await, "221 2.0.0 Bye");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_and_an_unterminated_data_do_not_hurt_other_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;

    // A DATA that never ends, left open.
    let (mut open, _) = hello(server.smtp, "EHLO").await;
    assert_eq!(
        open.smtp("MAIL FROM:<a@elsewhere.net>").await,
        "250 2.1.0 Ok"
    );
    assert_eq!(
        open.smtp("RCPT TO:<alice@example.org>").await,
        "250 2.1.5 Ok"
    );
    assert_eq!(
        open.smtp("DATA").await,
        "354 End data with <CR><LF>.<CR><LF>"
    );
    open.send(b"Subject: never ends\r\n\r\nhalf a message\r\n.")
        .await;
    // A DATA that is cut off.
    let (mut cut, _) = hello(server.smtp, "EHLO").await;
    cut.send(b"MAIL FROM:<>\r\n").await;
    assert_eq!(cut.reply().await.unwrap(), "250 2.1.0 Ok");
    cut.send(b"RCPT TO:<alice@example.org>\r\n").await;
    assert_eq!(cut.reply().await.unwrap(), "250 2.1.5 Ok");
    assert_eq!(
        cut.smtp("DATA").await,
        "354 End data with <CR><LF>.<CR><LF>"
    );
    cut.send(b"Subject: cut\r\n\r\npart").await;
    drop(cut);

    // Binary junk: each line refused (past the tenth, after a delay), until
    // Postfix's hard limit of 20 errors ends the session.
    let mut junk = Raw::connect(server.smtp).await;
    junk.reply().await.unwrap();
    let mut garbage = Vec::new();
    for i in 0..25u8 {
        garbage.extend_from_slice(&[0x16, 0x03, i, 0xff, 0x80]);
        garbage.extend_from_slice(b" GET / HTTP/1.1\r\n");
    }
    junk.send(&garbage).await;
    let mut replies = Vec::new();
    while let Some(reply) = junk.reply().await {
        replies.push(reply);
    }
    assert_eq!(replies.len(), 21, "{replies:?}");
    assert!(
        replies[..20]
            .iter()
            .all(|r| r == "500 5.5.2 Error: command not recognized"),
        "{replies:?}"
    );
    assert_eq!(
        replies[20],
        format!("421 4.7.0 {HOSTNAME} Error: too many errors")
    );

    // A line far over 2048 octets: refused, and the session goes on.
    let (mut long, _) = hello(server.smtp, "EHLO").await;
    let mut line = vec![b'A'; 100_000];
    line.extend_from_slice(b"\r\n");
    long.send(&line).await;
    assert_eq!(
        long.reply().await.unwrap(),
        "500 5.5.2 Error: line too long"
    );
    assert_eq!(long.smtp("NOOP").await, "250 2.0.0 Ok");

    // Meanwhile a real client sends, and its message arrives alone.
    let message = message_with_id("meanwhile", "still served");
    let path = dir.path().join("m.eml");
    std::fs::write(&path, &message).unwrap();
    let lines = smtplib(
        server.smtp,
        "sendmail",
        &[
            "--from",
            "bob@example.org",
            "--to",
            "alice@example.org",
            "--file",
            path.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(value(&lines, "refused"), "[]");
    let inbox = server.inbox("alice").await;
    assert_eq!(inbox.messages.len(), 1);
    assert!(split_received(&server.stored("alice", 1).await).1 == message);

    // The open DATA still holds nothing; when its client goes, nothing is
    // stored either.
    assert!(open.line_within(Duration::from_millis(200)).await.is_err());
    drop(open);
    drop(long);
    server.wait_idle().await;
    assert_eq!(server.inbox("alice").await.messages.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_pipelined_after_starttls_are_discarded() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    // A man in the middle appends an envelope to the client's STARTTLS
    // (RFC 3207 §4.2; CVE-2011-0411).
    let injected = b"STARTTLS\r\nMAIL FROM:<evil@elsewhere.net>\r\nRCPT TO:<alice@example.org>\r\n";
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    // Postfix's default: pipelining after STARTTLS ends the session.
    let (mut raw, _) = hello(server.smtp, "EHLO").await;
    raw.send(injected).await;
    assert_eq!(
        raw.reply().await.unwrap(),
        "554 5.5.0 Error: SMTP protocol synchronization"
    );
    assert_eq!(raw.reply().await, None);

    // With that check off, the plaintext after STARTTLS is dropped.
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        forbid_unauth_pipelining: false,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let (mut raw, _) = hello(server.smtp, "EHLO").await;
    raw.send(injected).await;
    assert_eq!(raw.reply().await.unwrap(), "220 2.0.0 Ready to start TLS");

    let tls = tls_client(&server.cert, raw.into_inner()).await;
    let (read, mut write) = tokio::io::split(tls);
    let mut read = BufReader::new(read);
    let mut exchange = async |command: &str| {
        write
            .write_all(format!("{command}\r\n").as_bytes())
            .await
            .unwrap();
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            read.read_line(&mut line).await.unwrap();
            reply.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    };
    // The session starts over: no MAIL was taken, EHLO comes first.
    assert_eq!(
        exchange("MAIL FROM:<bob@example.org>").await,
        "503 5.5.1 Error: send HELO/EHLO first\r\n"
    );
    assert!(
        exchange("EHLO client.example")
            .await
            .contains("250-AUTH PLAIN LOGIN\r\n")
    );
    assert_eq!(
        exchange("RCPT TO:<alice@example.org>").await,
        "503 5.5.1 Error: need MAIL command\r\n"
    );
    assert_eq!(exchange("QUIT").await, "221 2.0.0 Bye\r\n");
    assert!(server.inbox("alice").await.messages.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postfix_limits_on_size_and_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let (mut raw, _) = hello(server.smtp, "EHLO").await;
    // RFC 1870 §6.1: a declared size over message_size_limit.
    assert_eq!(
        raw.smtp("MAIL FROM:<bob@example.org> SIZE=10240001").await,
        "552 5.3.4 Message size exceeds fixed limit"
    );
    // smtpd_recipient_limit: 1000 taken, the next refused (RFC 5321
    // §4.5.3.1.10); the same user named 1000 times gets one copy.
    let mut wire = b"MAIL FROM:<bob@example.org> SIZE=100\r\n".to_vec();
    for _ in 0..1001 {
        wire.extend_from_slice(b"RCPT TO:<alice@example.org>\r\n");
    }
    raw.send(&wire).await;
    assert_eq!(raw.reply().await.unwrap(), "250 2.1.0 Ok");
    for _ in 0..1000 {
        assert_eq!(raw.reply().await.unwrap(), "250 2.1.5 Ok");
    }
    assert_eq!(
        raw.reply().await.unwrap(),
        "452 4.5.3 Error: too many recipients"
    );
    assert_eq!(
        raw.smtp("DATA").await,
        "354 End data with <CR><LF>.<CR><LF>"
    );
    assert_eq!(
        raw.smtp("Subject: many\r\n\r\nx\r\n.").await,
        "250 2.0.0 Ok: queued"
    );
    assert_eq!(server.inbox("alice").await.messages.len(), 1);
    assert_eq!(raw.smtp("QUIT").await, "221 2.0.0 Bye");
}
