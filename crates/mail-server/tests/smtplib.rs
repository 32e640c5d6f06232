//! Python's smtplib, a client nobody here wrote, sending through the server
//! into a Maildir, and the mail read back over POP3: every reply checked
//! against RFC 5321, RFC 4954 and Postfix's texts.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::path::Path;
use std::time::Duration;

use common::*;
use mail_server::PlaintextAuth;

/// Writes `message` to `dir/name` for the client to send.
fn file(dir: &Path, name: &str, message: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, message).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The one message in `user`'s INBOX, read back over POP3 with poplib.
async fn read_back(server: &TestServer, dir: &Path, user: (&str, &str), n: usize) -> Vec<u8> {
    let out = dir.join(format!("{}-{n}.eml", user.0));
    let lines = server
        .poplib("retr", user, &[&n.to_string(), out.to_str().unwrap()])
        .await;
    assert!(value(&lines, "retr").starts_with("+OK "), "{lines:?}");
    std::fs::read(&out).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_without_auth_to_a_local_user_and_read_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let message = dotted_message("from smtplib");
    let path = file(dir.path(), "m.eml", &message);

    let lines = smtplib(
        server.smtp,
        "send",
        &[
            "--from",
            "someone@elsewhere.net",
            "--to",
            "alice@example.org",
            "--file",
            &path,
        ],
    )
    .await;

    assert_eq!(value(&lines, "ehlo"), "250");
    // From loopback AUTH is offered before TLS (Dovecot's rule); Postfix's
    // EHLO keywords and its 10 240 000-octet limit.
    assert_eq!(
        value(&lines, "features"),
        "8bitmime auth=PLAIN LOGIN chunking enhancedstatuscodes pipelining size=10240000 \
         smtputf8 starttls"
    );
    assert_eq!(value(&lines, "mail"), "250 2.1.0 Ok");
    assert_eq!(value(&lines, "rcpt"), "<alice@example.org> 250 2.1.5 Ok");
    assert_eq!(value(&lines, "data"), "250 2.0.0 Ok: queued");
    assert_eq!(value(&lines, "quit"), "221 2.0.0 Bye");

    let stored = read_back(&server, dir.path(), ALICE, 1).await;
    let (received, rest) = split_received(&stored);
    check_received(
        &received,
        "client.example",
        "ESMTP",
        Some("<alice@example.org>"),
    );
    assert!(
        rest == message,
        "the message differs after its Received field"
    );
    // The size POP3 gives is the stored message's, trace field included.
    assert_eq!(
        server.inbox("alice").await.messages[0].size,
        stored.len() as u64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_plain_and_auth_login() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let path = file(dir.path(), "m.eml", &message_with_id("auth", "hello"));

    for (mechanism, user) in [("PLAIN", ALICE), ("LOGIN", BOB)] {
        let lines = smtplib(
            server.smtp,
            "send",
            &[
                "--auth",
                mechanism,
                "--user",
                user.0,
                "--password",
                user.1,
                "--from",
                &format!("{}@example.org", user.0),
                "--to",
                "alice@example.org",
                "--file",
                &path,
            ],
        )
        .await;
        assert_eq!(
            value(&lines, "auth"),
            "235 2.7.0 Authentication successful",
            "{mechanism}"
        );
        assert_eq!(value(&lines, "data"), "250 2.0.0 Ok: queued");
    }
    // Log in as name@domain too.
    let lines = smtplib(
        server.smtp,
        "send",
        &[
            "--auth",
            "PLAIN",
            "--user",
            "Bob@Example.org",
            "--password",
            BOB.1,
        ],
    )
    .await;
    assert_eq!(value(&lines, "auth"), "235 2.7.0 Authentication successful");

    for n in [1, 2] {
        let stored = read_back(&server, dir.path(), ALICE, n).await;
        let (received, _) = split_received(&stored);
        // RFC 3848: ESMTPA, authenticated without TLS (loopback).
        check_received(
            &received,
            "client.example",
            "ESMTPA",
            Some("<alice@example.org>"),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_then_auth_when_passwords_need_tls() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        plaintext: PlaintextAuth::TlsOnly,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let cert = server.cert.to_str().unwrap().to_owned();
    let path = file(dir.path(), "m.eml", &message_with_id("tls", "over TLS"));

    // Before TLS: no AUTH offered, and AUTH refused.
    let lines = smtplib(
        server.smtp,
        "send",
        &["--auth", "PLAIN", "--user", ALICE.0, "--password", ALICE.1],
    )
    .await;
    assert!(!value(&lines, "features").contains("auth"), "{lines:?}");
    assert_eq!(
        value(&lines, "auth"),
        "503 5.5.1 Error: authentication not enabled"
    );

    let lines = smtplib(
        server.smtp,
        "send",
        &[
            "--tls",
            "starttls",
            "--cafile",
            &cert,
            "--auth",
            "LOGIN",
            "--user",
            ALICE.0,
            "--password",
            ALICE.1,
            "--from",
            "alice@example.org",
            "--to",
            "bob@example.org",
            "--file",
            &path,
        ],
    )
    .await;
    assert_eq!(
        value(&lines, "features"),
        "8bitmime chunking enhancedstatuscodes pipelining size=10240000 smtputf8 starttls"
    );
    assert_eq!(value(&lines, "starttls"), "220 2.0.0 Ready to start TLS");
    assert!(value(&lines, "tls").starts_with("TLSv1."));
    // Under TLS: AUTH, and no STARTTLS (RFC 3207 §4.2).
    assert_eq!(
        value(&lines, "features-tls"),
        "8bitmime auth=PLAIN LOGIN chunking enhancedstatuscodes pipelining size=10240000 smtputf8"
    );
    assert_eq!(value(&lines, "auth"), "235 2.7.0 Authentication successful");
    assert_eq!(value(&lines, "data"), "250 2.0.0 Ok: queued");

    // (POP3 would want TLS too: read it from the store.)
    let stored = server.stored("bob", 1).await;
    check_received(
        &split_received(&stored).0,
        "client.example",
        "ESMTPSA",
        Some("<bob@example.org>"),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_submission() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let cert = server.cert.to_str().unwrap().to_owned();
    let path = file(dir.path(), "m.eml", &message_with_id("smtps", "implicit"));

    let lines = smtplib(
        server.smtps.unwrap(),
        "send",
        &[
            "--tls",
            "implicit",
            "--cafile",
            &cert,
            "--auth",
            "PLAIN",
            "--user",
            BOB.0,
            "--password",
            BOB.1,
            "--from",
            "bob@example.org",
            "--to",
            "alice@example.org",
            "--to",
            "bob@example.org",
            "--file",
            &path,
        ],
    )
    .await;
    assert!(value(&lines, "tls").starts_with("TLSv1."));
    assert_eq!(
        value(&lines, "features"),
        "8bitmime auth=PLAIN LOGIN chunking enhancedstatuscodes pipelining size=10240000 smtputf8"
    );
    assert_eq!(value(&lines, "auth"), "235 2.7.0 Authentication successful");
    assert_eq!(
        values(&lines, "rcpt"),
        [
            "<alice@example.org> 250 2.1.5 Ok",
            "<bob@example.org> 250 2.1.5 Ok"
        ]
    );
    assert_eq!(value(&lines, "data"), "250 2.0.0 Ok: queued");

    // Two recipients: no `for` in the trace field; one id for both copies.
    let a = read_back(&server, dir.path(), ALICE, 1).await;
    let b = read_back(&server, dir.path(), BOB, 1).await;
    assert_eq!(a, b);
    check_received(&split_received(&a).0, "client.example", "ESMTPSA", None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_refused_after_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        failure_delay: Duration::from_millis(400),
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let lines = smtplib(
        server.smtp,
        "send",
        &["--auth", "PLAIN", "--user", ALICE.0, "--password", "not-it"],
    )
    .await;
    // RFC 4954 §6, Postfix's text.
    assert_eq!(
        value(&lines, "auth"),
        "535 5.7.8 Error: authentication failed"
    );
    let delay: u64 = value(&lines, "auth-ms").parse().unwrap();
    assert!((400..5_000).contains(&delay), "refused after {delay} ms");
    assert_eq!(value(&lines, "quit"), "221 2.0.0 Bye");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relaying_and_unknown_users_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let path = file(dir.path(), "m.eml", &message_with_id("relay", "no"));

    let lines = smtplib(
        server.smtp,
        "send",
        &[
            "--from",
            "spammer@elsewhere.net",
            "--to",
            "victim@elsewhere.net",
            "--to",
            "carol@example.org",
            "--to",
            "victim@[192.0.2.1]",
            "--file",
            &path,
        ],
    )
    .await;
    assert_eq!(
        values(&lines, "rcpt"),
        [
            "<victim@elsewhere.net> 554 5.7.1 <victim@elsewhere.net>: Relay access denied",
            "<carol@example.org> 550 5.1.1 <carol@example.org>: Recipient address rejected: \
             User unknown in local recipient table",
            "<victim@[192.0.2.1]> 554 5.7.1 <victim@[192.0.2.1]>: Relay access denied",
        ]
    );
    assert_eq!(
        value(&lines, "data"),
        "554 5.5.1 Error: no valid recipients"
    );

    // Authenticated: still refused, with the reason.
    let lines = smtplib(
        server.smtp,
        "send",
        &[
            "--auth",
            "PLAIN",
            "--user",
            ALICE.0,
            "--password",
            ALICE.1,
            "--from",
            "alice@example.org",
            "--to",
            "friend@elsewhere.net",
            "--to",
            "bob@example.org",
            "--file",
            &path,
        ],
    )
    .await;
    assert_eq!(
        values(&lines, "rcpt"),
        [
            "<friend@elsewhere.net> 550 5.7.1 <friend@elsewhere.net>: Recipient address \
             rejected: this server does not deliver to other domains (outbound delivery is not \
             enabled)",
            "<bob@example.org> 250 2.1.5 Ok",
        ]
    );
    assert_eq!(value(&lines, "data"), "250 2.0.0 Ok: queued");
    assert!(server.inbox("alice").await.messages.is_empty());
    assert_eq!(server.inbox("bob").await.messages.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_megabytes_with_dot_lines_then_dele_over_pop3() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let message = big_message(5 * 1024 * 1024);
    let path = file(dir.path(), "big.eml", &message);

    let lines = smtplib(
        server.smtp,
        "sendmail",
        &[
            "--from",
            "bob@example.org",
            "--to",
            "alice@example.org",
            "--file",
            &path,
        ],
    )
    .await;
    assert_eq!(value(&lines, "refused"), "[]");

    // Byte for byte over POP3, after the trace field.
    let stored = read_back(&server, dir.path(), ALICE, 1).await;
    let (received, rest) = split_received(&stored);
    check_received(
        &received,
        "client.example",
        "ESMTP",
        Some("<alice@example.org>"),
    );
    assert_eq!(rest.len(), message.len());
    assert!(rest == message, "the 5 MB message differs");

    // DELE and a dropped connection keep it; DELE and QUIT remove it.
    let lines = server.poplib("dele-drop", ALICE, &["1"]).await;
    assert_eq!(value(&lines, "dele"), "+OK Marked to be deleted.");
    server.wait_idle().await;
    assert_eq!(server.inbox("alice").await.messages.len(), 1);
    let lines = server.poplib("dele-quit", ALICE, &["1"]).await;
    assert_eq!(value(&lines, "quit"), "+OK Logging out, messages deleted.");
    assert!(server.inbox("alice").await.messages.is_empty());
}
