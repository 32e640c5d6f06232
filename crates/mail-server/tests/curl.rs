//! curl's POP3 client (`pop3://`, `pop3s://`, and `pop3://` with
//! `--ssl-reqd` for STLS) listing and retrieving from the server, and its
//! SMTP client (`smtp://`, `smtps://`, STARTTLS) sending through it, and its
//! IMAP client (`imap://`, `imaps://`, STARTTLS) fetching from it.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::net::SocketAddr;

use common::*;

fn url(scheme: &str, addr: SocketAddr, path: &str) -> String {
    format!("{scheme}://127.0.0.1:{}/{path}", addr.port())
}

fn credentials((user, password): (&str, &str)) -> String {
    format!("{user}:{password}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_lists_and_retrieves_over_pop3_and_pop3s() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let first = dotted_message("curl");
    let second = big_message(200_000);
    server.deliver("alice", &first).await;
    server.deliver("alice", &second).await;
    let user = credentials(ALICE);
    let pop3s = server.pop3s.unwrap();
    let cert = server.cert.to_str().unwrap().to_owned();

    // The URL without a message number is LIST.
    let list = run(
        "curl",
        &["-sS", "--user", &user, &url("pop3", server.pop3, "")],
    )
    .await;
    assert_eq!(
        String::from_utf8(list.stdout).unwrap(),
        format!("1 {}\r\n2 {}\r\n", first.len(), second.len())
    );

    // A custom command: UIDL.
    let uidl = run(
        "curl",
        &[
            "-sS",
            "--user",
            &user,
            "-X",
            "UIDL",
            &url("pop3", server.pop3, ""),
        ],
    )
    .await;
    let expected: String = expected_uidls(&server.inbox("alice").await)
        .iter()
        .map(|l| format!("{l}\r\n"))
        .collect();
    assert_eq!(String::from_utf8(uidl.stdout).unwrap(), expected);

    // RETR, unstuffed by curl back to the stored octets.
    for (number, message) in [(1, &first), (2, &second)] {
        let path = number.to_string();
        let plain = run(
            "curl",
            &["-sS", "--user", &user, &url("pop3", server.pop3, &path)],
        )
        .await;
        assert!(plain.stdout == *message, "pop3:// RETR {number} differs");

        let implicit = run(
            "curl",
            &[
                "-sS",
                "--insecure",
                "--user",
                &user,
                &url("pop3s", pop3s, &path),
            ],
        )
        .await;
        assert!(
            implicit.stdout == *message,
            "pop3s:// RETR {number} differs"
        );

        let stls = run(
            "curl",
            &[
                "-sS",
                "--ssl-reqd",
                "--cacert",
                &cert,
                "--user",
                &user,
                &url("pop3", server.pop3, &path),
            ],
        )
        .await;
        assert!(
            stls.stdout == *message,
            "pop3:// STLS RETR {number} differs"
        );
    }

    // curl's pop3s:// checks the certificate too, against the kept one.
    let verified = run(
        "curl",
        &[
            "-sS",
            "--cacert",
            &cert,
            "--user",
            &user,
            &url("pop3s", pop3s, ""),
        ],
    )
    .await;
    assert_eq!(
        String::from_utf8(verified.stdout).unwrap(),
        format!("1 {}\r\n2 {}\r\n", first.len(), second.len())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_with_a_wrong_password_is_denied() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let out = run_unchecked(
        "curl",
        &[
            "-sS",
            "--user",
            "alice:not-the-password",
            &url("pop3", server.pop3, ""),
        ],
    )
    .await;
    // CURLE_LOGIN_DENIED.
    assert_eq!(out.status.code(), Some(67), "{out:?}");
    assert!(out.stdout.is_empty());
}

/// Sends `file` with curl; returns curl's output.
async fn curl_send(args: &[&str], url: &str, file: &str, to: &[&str]) -> std::process::Output {
    let mut all = vec!["-sS", "--mail-from", "sender@example.org"];
    for rcpt in to {
        all.extend_from_slice(&["--mail-rcpt", rcpt]);
    }
    all.extend_from_slice(&["--upload-file", file]);
    all.extend_from_slice(args);
    all.push(url);
    run_unchecked("curl", &all).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_sends_over_smtp_starttls_and_smtps() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let cert = server.cert.to_str().unwrap().to_owned();
    let smtps = server.smtps.unwrap();
    // curl stuffs the dot lines itself; the message arrives as written.
    let message = dotted_message("curl smtp");
    let file = dir.path().join("m.eml");
    std::fs::write(&file, &message).unwrap();
    let file = file.to_str().unwrap();
    let user = credentials(ALICE);

    // Without AUTH, to a local user; the URL's path is the EHLO name.
    let plain = curl_send(
        &[],
        &url("smtp", server.smtp, "curl.example"),
        file,
        &["bob@example.org"],
    )
    .await;
    assert!(plain.status.success(), "{plain:?}");
    // STARTTLS required, checked against the kept certificate, with AUTH.
    let stls = curl_send(
        &["--ssl-reqd", "--cacert", &cert, "--user", &user],
        &url("smtp", server.smtp, "curl.example"),
        file,
        &["bob@example.org"],
    )
    .await;
    assert!(stls.status.success(), "{stls:?}");
    // Implicit TLS (SMTPS), AUTH, two recipients.
    let implicit = curl_send(
        &["--insecure", "--user", &user],
        &url("smtps", smtps, "curl.example"),
        file,
        &["bob@example.org", "alice@example.org"],
    )
    .await;
    assert!(implicit.status.success(), "{implicit:?}");

    let keywords = ["ESMTP", "ESMTPSA", "ESMTPSA"];
    for (n, keyword) in keywords.into_iter().enumerate() {
        let stored = server.stored("bob", n + 1).await;
        let (received, rest) = split_received(&stored);
        let rcpt = (n < 2).then_some("<bob@example.org>");
        check_received(&received, "curl.example", keyword, rcpt);
        assert!(rest == message, "message {} differs", n + 1);
    }
    assert_eq!(server.inbox("alice").await.messages.len(), 1);

    // Relaying: curl fails with the server's refusal, CURLE_SEND_ERROR.
    let relay = curl_send(
        &[],
        &url("smtp", server.smtp, ""),
        file,
        &["x@elsewhere.net"],
    )
    .await;
    assert_eq!(relay.status.code(), Some(55), "{relay:?}");
    assert!(
        String::from_utf8_lossy(&relay.stderr).contains("RCPT failed: 554"),
        "{relay:?}"
    );
    // A wrong password: CURLE_LOGIN_DENIED.
    let denied = curl_send(
        &["--insecure", "--user", "alice:wrong"],
        &url("smtps", smtps, ""),
        file,
        &["bob@example.org"],
    )
    .await;
    assert_eq!(denied.status.code(), Some(67), "{denied:?}");
    assert_eq!(server.inbox("bob").await.messages.len(), 3);
}

/// curl's IMAP client: a message by UID, a section, a partial, a search,
/// the mailbox list, over `imap://`, `imaps://` and `imap://` with
/// `--ssl-reqd` (STARTTLS).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_fetches_over_imap_and_imaps() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let first = message_with_id("curl-one", "Hello over IMAP.");
    let second = big_message(300_000);
    server.deliver("alice", &first).await;
    server.deliver("alice", &second).await;
    let user = credentials(ALICE);
    let cert = server.cert.to_str().unwrap().to_owned();
    let curl = async |args: &[&str]| -> Vec<u8> {
        let mut all = vec!["-sS", "--user", &user];
        all.extend_from_slice(args);
        run("curl", &all).await.stdout
    };

    // A whole message by UID (RFC 5092's `;UID=`), byte for byte.
    let got = curl(&[&url("imap", server.imap, "INBOX;UID=1")]).await;
    assert_eq!(got, first);
    let got = curl(&[&url("imap", server.imap, "INBOX;UID=2")]).await;
    assert_eq!(got, second);
    // A section, and a partial of one.
    let got = curl(&[&url(
        "imap",
        server.imap,
        "INBOX;UID=1;SECTION=HEADER.FIELDS%20(SUBJECT)",
    )])
    .await;
    assert_eq!(got, b"Subject: curl-one\r\n\r\n");
    let got = curl(&[&url(
        "imap",
        server.imap,
        "INBOX;UID=2;SECTION=TEXT;PARTIAL=0.30",
    )])
    .await;
    // The text starts after the 62-octet header.
    assert_eq!(got, second[62..92]);
    // A search (`?criteria`): the SEARCH response.
    let got = curl(&[&url("imap", server.imap, "INBOX?SUBJECT%20curl-one")]).await;
    assert_eq!(String::from_utf8(got).unwrap(), "* SEARCH 1\r\n");
    // No mailbox: LIST.
    let got = curl(&[&url("imap", server.imap, "")]).await;
    assert_eq!(
        String::from_utf8(got).unwrap(),
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n\
         * LIST (\\HasNoChildren \\Archive) \"/\" Archive\r\n\
         * LIST (\\HasNoChildren \\Drafts) \"/\" Drafts\r\n\
         * LIST (\\HasNoChildren \\Junk) \"/\" Junk\r\n\
         * LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n\
         * LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
    );
    // Implicit TLS, and STARTTLS.
    let got = curl(&[
        "--cacert",
        &cert,
        &url("imaps", server.imaps, "INBOX;UID=1"),
    ])
    .await;
    assert_eq!(got, first);
    let got = curl(&[
        "--ssl-reqd",
        "--cacert",
        &cert,
        &url("imap", server.imap, "INBOX;UID=1"),
    ])
    .await;
    assert_eq!(got, first);
    // curl fetched with BODY[], which set \Seen.
    assert!(server.inbox("alice").await.messages[0].flags.is_seen());
}
