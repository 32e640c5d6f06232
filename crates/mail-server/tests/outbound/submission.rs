//! The submission listener (RFC 6409).

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submission_requires_auth_and_adds_date_and_message_id() {
    let tmp = tempfile::tempdir().unwrap();
    let users = [("alice", "wonderland"), ("bob", "builder")];
    let a = instance_with(
        tmp.path(),
        "a.test",
        &users,
        queue_settings(tmp.path(), &[]),
        true,
    )
    .await;
    // No MAIL before AUTH on the submission port (RFC 6409 §4.3)...
    let mut raw = common::Raw::connect(a.submission).await;
    assert_eq!(raw.reply().await.unwrap(), "220 mail.a.test ESMTP");
    raw.smtp("EHLO client.example").await;
    assert_eq!(
        raw.smtp("MAIL FROM:<alice@a.test>").await,
        "530 5.7.0 Authentication required"
    );
    // ...and the same on the MX port is mail from anyone, for local users.
    let mut mx = common::Raw::connect(a.smtp).await;
    mx.reply().await.unwrap();
    mx.smtp("EHLO client.example").await;
    assert_eq!(
        mx.smtp("MAIL FROM:<x@elsewhere.test>").await,
        "250 2.1.0 Ok"
    );

    // Alice submits a message without Date and Message-ID to Bob.
    let bare = "From: alice@a.test\r\nTo: bob@a.test\r\nSubject: bare\r\n\r\nno date\r\n";
    let lines = submit(
        a.submission,
        tmp.path(),
        "alice@a.test",
        &["bob@a.test"],
        bare,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    let first = stored(&a.store, "bob", 1).await;
    let (trace, rest) = split_received(&first);
    let id = trace
        .split(" id ")
        .nth(1)
        .unwrap()
        .split([';', '\r'])
        .next()
        .unwrap();
    let rest = String::from_utf8(rest.to_vec()).unwrap();
    let (date, rest) = rest.split_once("\r\n").unwrap();
    assert!(
        date.starts_with("Date: ") && date.ends_with(" +0000"),
        "{date}"
    );
    // Postfix's form: the queue id, and (RFC 5322 §3.6.4) 64 random bits
    // so that a queue id reused after a restart makes a new identifier.
    let (field, rest) = rest.split_once("\r\n").unwrap();
    let left = field
        .strip_prefix(&format!("Message-ID: <{id}."))
        .and_then(|f| f.strip_suffix("@mail.a.test>"))
        .unwrap_or_else(|| panic!("{field}"));
    assert!(
        left.len() == 16 && left.bytes().all(|c| c.is_ascii_hexdigit()),
        "{field}"
    );
    assert_eq!(rest, bare, "the fields go after the trace field");
    // A message with both is left as it is.
    let lines = submit(
        a.submission,
        tmp.path(),
        "alice@a.test",
        &["bob@a.test"],
        MESSAGE_WITH_DATE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    let second = stored(&a.store, "bob", 2).await;
    let (_, rest) = split_received(&second);
    assert_eq!(rest, MESSAGE_WITH_DATE.as_bytes());

    // With sender_login_match, alice may not send as bob.
    let lines = submit(
        a.submission,
        tmp.path(),
        "bob@a.test",
        &["bob@a.test"],
        bare,
    )
    .await;
    assert!(
        lines.contains(
            &"mail: 553 5.7.1 <bob@a.test>: Sender address rejected: not owned by user alice"
                .to_owned()
        ),
        "{lines:?}"
    );
    a.server.shutdown().await;
}

const MESSAGE_WITH_DATE: &str = "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\
                                 Message-ID: <dated@a.test>\r\nSubject: dated\r\n\r\nhi\r\n";

/// The same recipient twice (the domain in another case): both RCPTs get
/// 250, the message is queued and sent once, as Postfix's cleanup keeps
/// one copy. A local part in another case is another mailbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_recipient_is_sent_once() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(0)).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    submit_queued(
        &a,
        tmp.path(),
        &["carol@c.test", "carol@C.TEST", "Carol@c.test"],
    )
    .await;
    wait_for_empty_queue(&a.queue).await;
    let seen = peer.transactions();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].rcpts, ["<carol@c.test>", "<Carol@c.test>"]);
    a.server.shutdown().await;
}
