//! Outbound delivery: the queue sends an authenticated user's mail for
//! other domains to the next server, with smtp-proto's client, retries,
//! and bounces. Two instances of the server with a static route between
//! them, and scripted peers on 127.0.0.1.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

#[path = "../common/mod.rs"]
mod common;
mod peer;

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use mail_parser::MimeHeaders;
use mail_server::queue::{OutboundTls, QueueSettings, Relay, list_queue};
use mail_server::{MailServer, Protocol, RunningServer, Security, TlsSource, Users};
use mailbox_maildir::MaildirStore;

use common::{inbox_of, poplib_at, smtplib, split_received};
use peer::{Peer, Script};

/// One instance: `domain`'s users, on a Maildir in `dir`, with SMTP and
/// POP3 on 127.0.0.1, STARTTLS with a self-signed certificate, and an
/// outbound queue with `routes`.
struct Instance {
    server: RunningServer,
    store: MaildirStore,
    smtp: SocketAddr,
    pop3: SocketAddr,
    submission: SocketAddr,
    queue: std::path::PathBuf,
}

/// Queue settings for tests: no fsync, short backoffs, a fast scan.
fn queue_settings(dir: &Path, routes: &[(&str, SocketAddr)]) -> QueueSettings {
    let mut q = QueueSettings::new(dir.join("queue"));
    q.fsync = false;
    q.minimal_backoff = Duration::from_millis(200);
    q.maximal_backoff = Duration::from_millis(400);
    q.scan_interval = Duration::from_millis(50);
    q.connect_timeout = Duration::from_secs(5);
    for (domain, addr) in routes {
        q.routes.push((
            (*domain).to_owned(),
            Relay::new(addr.ip().to_string(), addr.port()),
        ));
    }
    q
}

async fn instance(
    dir: &Path,
    domain: &str,
    users: &[(&str, &str)],
    queue: QueueSettings,
) -> Instance {
    instance_with(dir, domain, users, queue, false).await
}

/// [`instance`], with Postfix's `reject_sender_login_mismatch` if
/// `sender_login_match`.
async fn instance_with(
    dir: &Path,
    domain: &str,
    users: &[(&str, &str)],
    queue: QueueSettings,
    sender_login_match: bool,
) -> Instance {
    let store = common::store(dir);
    let mut auth = Users::new([domain]);
    for (name, password) in users {
        auth.add_password(name, password.as_bytes()).unwrap();
        store.create_user(name).await.unwrap();
    }
    let localhost: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let queue_dir = queue.dir.clone();
    let server = MailServer::builder(store.clone(), auth)
        .hostname(format!("mail.{domain}"))
        .local_domains([domain])
        .tls(TlsSource::self_signed(dir.join("tls"), "localhost"))
        .auth_failure_delay(Duration::from_millis(10))
        .shutdown_grace(Duration::from_secs(2))
        .smtp(localhost)
        .pop3(localhost)
        .submission(localhost)
        .sender_login_match(sender_login_match)
        .outbound(queue)
        .start()
        .await
        .unwrap();
    Instance {
        smtp: server.local_addr(Protocol::Smtp, Security::Plain).unwrap(),
        pop3: server.local_addr(Protocol::Pop3, Security::Plain).unwrap(),
        submission: server
            .local_addr(Protocol::Submission, Security::Plain)
            .unwrap(),
        server,
        store,
        queue: queue_dir,
    }
}

/// Waits until `user` has `n` messages.
async fn wait_for_mail(store: &MaildirStore, user: &str, n: usize) {
    let start = Instant::now();
    while inbox_of(store, user).await.messages.len() < n {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "no mail for {user}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the queue in `dir` is empty.
async fn wait_for_empty_queue(dir: &Path) {
    let start = Instant::now();
    while !list_queue(dir).unwrap().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "queue not empty: {:?}",
            list_queue(dir)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// alice@a.test submits with AUTH through smtplib; returns its lines.
async fn submit(
    smtp: SocketAddr,
    dir: &Path,
    from: &str,
    to: &[&str],
    message: &str,
) -> Vec<String> {
    let file = dir.join("message.eml");
    std::fs::write(&file, message).unwrap();
    let mut args = vec![
        "--auth",
        "PLAIN",
        "--user",
        "alice",
        "--password",
        "wonderland",
        "--from",
        from,
        "--file",
        file.to_str().unwrap(),
    ];
    for t in to {
        args.extend(["--to", t]);
    }
    smtplib(smtp, "send", &args).await
}

const MESSAGE: &str = "From: alice@a.test\r\nTo: bob@b.test\r\nSubject: across\r\n\
                       Message-ID: <across@a.test>\r\n\r\nHello, Bob.\r\n.dot line\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_with_a_static_route() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tmp.path().join("a"), tmp.path().join("b"));
    let b = instance(
        &dir_b,
        "b.test",
        &[("bob", "builder")],
        queue_settings(&dir_b, &[]),
    )
    .await;
    let a = instance(
        &dir_a,
        "a.test",
        &[("alice", "wonderland")],
        queue_settings(&dir_a, &[("b.test", b.smtp)]),
    )
    .await;

    // Bob in the other domain, and alice herself: one message, both
    // durable before the 250.
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["bob@b.test", "alice@a.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"auth: 235 2.7.0 Authentication successful".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"rcpt: <bob@b.test> 250 2.1.5 Ok".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );

    assert_eq!(inbox_of(&a.store, "alice").await.messages.len(), 1);
    wait_for_mail(&b.store, "bob", 1).await;
    wait_for_empty_queue(&a.queue).await;
    // Bob reads it over POP3.
    let out = tmp.path().join("retr.eml");
    let lines = poplib_at(
        b.pop3,
        "retr",
        ("bob", "builder"),
        &["1", out.to_str().unwrap()],
    )
    .await;
    assert!(
        lines.iter().any(|l| l.starts_with("retr: +OK")),
        "{lines:?}"
    );
    let stored = std::fs::read(&out).unwrap();
    // B's trace field, over TLS from A; then A's, from the submitting
    // client with AUTH; then the message as sent.
    let (hop2, rest) = split_received(&stored);
    let (hop1, rest) = split_received(rest);
    assert!(
        hop2.starts_with(
            "Received: from mail.a.test ([127.0.0.1])\r\n\tby mail.b.test with ESMTPS id "
        ),
        "{hop2:?}"
    );
    assert!(hop2.contains("\r\n\tfor <bob@b.test>; "), "{hop2:?}");
    assert!(!hop1.contains("\tfor "), "two recipients: {hop1:?}");
    assert!(
        hop1.starts_with(
            "Received: from client.example ([127.0.0.1])\r\n\tby mail.a.test with ESMTPA id "
        ),
        "{hop1:?}"
    );
    assert_eq!(rest, MESSAGE.as_bytes());
    a.server.shutdown().await;
    b.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_then_250_delivers_once() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(1)).await;
    let a = instance(
        tmp.path(),
        "a.test",
        &[("alice", "wonderland")],
        queue_settings(tmp.path(), &[("c.test", peer.addr)]),
    )
    .await;
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["carol@c.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    wait_for_empty_queue(&a.queue).await;
    let seen = peer.transactions();
    // The first transaction was refused with 451 at the end of the data;
    // the second, after the backoff, accepted; no third.
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].result, "451 4.3.0 Try again later");
    assert_eq!(seen[1].result, "250 2.0.0 Ok: queued as PEER");
    assert_eq!(seen[1].rcpts, ["<carol@c.test>"]);
    assert_eq!(seen[1].from, "<alice@a.test>");
    assert!(seen[1].data.ends_with(MESSAGE.as_bytes()));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(peer.transactions().len(), 2);
    // Nothing came back to alice.
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}

/// Message `n` (from 1) of `user`'s INBOX.
async fn stored(store: &MaildirStore, user: &str, n: usize) -> bytes::Bytes {
    use mailbox_traits::{Access, Account, MailStore, Mailbox, MailboxName, UserId};
    let account = store.account(&UserId::new(user)).await.unwrap();
    let inbox = account.open_mailbox(&MailboxName::inbox()).await.unwrap();
    let snapshot = inbox.snapshot(Access::ReadOnly).await.unwrap();
    inbox.read(snapshot.messages[n - 1].uid).await.unwrap()
}

/// The DSN in alice's INBOX: its parts, parsed with mail-parser.
async fn dsn_of(store: &MaildirStore) -> (String, String, String, String) {
    let stored = stored(store, "alice", 1).await;
    let parsed = mail_parser::MessageParser::default()
        .parse(&stored[..])
        .unwrap();
    assert_eq!(
        parsed.from().unwrap().first().unwrap().address(),
        Some("MAILER-DAEMON@mail.a.test")
    );
    assert_eq!(
        parsed.subject(),
        Some("Undelivered Mail Returned to Sender")
    );
    let ct = parsed.content_type().unwrap();
    assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("report")));
    assert_eq!(ct.attribute("report-type"), Some("delivery-status"));
    let part = |i: usize| {
        let p = &parsed.parts[i];
        let raw = &stored[p.offset_body as usize..p.offset_end as usize];
        String::from_utf8_lossy(raw).into_owned()
    };
    let types: Vec<String> = parsed.parts[1..]
        .iter()
        .map(|p| {
            let ct = p.content_type().unwrap();
            format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or(""))
        })
        .collect();
    assert_eq!(
        types,
        [
            "text/plain",
            "message/delivery-status",
            "text/rfc822-headers"
        ]
    );
    (
        String::from_utf8_lossy(&stored).into_owned(),
        part(1),
        part(2),
        part(3),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_for_one_of_two_bounces_that_one() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RejectRcpt("gone")).await;
    let a = instance(
        tmp.path(),
        "a.test",
        &[("alice", "wonderland")],
        queue_settings(tmp.path(), &[("c.test", peer.addr)]),
    )
    .await;
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["carol@c.test", "gone@c.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    // Carol got it, in one transaction for both.
    let seen = peer.transactions();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].rcpts, ["<carol@c.test>"]);
    let (whole, human, status, headers) = dsn_of(&a.store).await;
    assert!(whole.contains("\r\nTo: <alice@a.test>\r\n"));
    assert!(
        human.contains(
            "<gone@c.test>: host 127.0.0.1 said: 550 5.1.1 <gone@c.test>: Recipient address \
             rejected: User unknown in local recipient table\r\n"
        ),
        "{human}"
    );
    assert!(!human.contains("carol"));
    let fields: Vec<&str> = status.split("\r\n").collect();
    assert_eq!(fields[0], "Reporting-MTA: dns; mail.a.test");
    assert!(fields[2].starts_with("Arrival-Date: "), "{status}");
    assert_eq!(
        fields[3..],
        [
            "",
            "Final-Recipient: rfc822; gone@c.test",
            "Action: failed",
            "Status: 5.1.1",
            "Remote-MTA: dns; 127.0.0.1",
            "Diagnostic-Code: smtp; 550 5.1.1 <gone@c.test>: Recipient address rejected: User \
             unknown in local recipient table",
            "",
        ],
        "{status}"
    );
    // The original header section, as queued (with A's trace field).
    assert!(
        headers.starts_with("Received: from client.example"),
        "{headers}"
    );
    assert!(
        headers.ends_with("Message-ID: <across@a.test>\r\n"),
        "{headers}"
    );
    a.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_bounces_and_a_bounce_never_bounces() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::AlwaysTempFail).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.lifetime = Duration::from_millis(500);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["carol@c.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    assert!(peer.transactions().len() >= 2);
    let (_, human, status, _) = dsn_of(&a.store).await;
    assert!(
        human.contains(
            "<carol@c.test>: message expired; the last attempt: host 127.0.0.1 said: 451 4.3.0 Try \
         again later"
        ),
        "{human}"
    );
    assert!(
        status.contains(
            "\r\nFinal-Recipient: rfc822; carol@c.test\r\nAction: failed\r\nStatus: 4.3.0\r\n"
        ),
        "{status}"
    );

    // From the null sender: the same failure, and no DSN.
    let lines = submit(a.smtp, tmp.path(), "", &["carol@c.test"], MESSAGE).await;
    assert!(
        lines.contains(&"mail: 250 2.1.0 Ok".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    wait_for_empty_queue(&a.queue).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(inbox_of(&a.store, "alice").await.messages.len(), 1);
    assert!(peer.transactions().iter().any(|t| t.from == "<>"));
    a.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aiosmtpd_receives_what_the_queue_sends() {
    use base64::Engine;
    use tokio::io::AsyncBufReadExt;

    let tmp = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/aiosmtpd_peer.py");
    let mut python = tokio::process::Command::new("python3")
        .arg(&script)
        .arg(port.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(python.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await;
    assert_eq!(
        line.unwrap().unwrap().as_deref(),
        Some("ready"),
        "is aiosmtpd installed?"
    );

    let peer: SocketAddr = ([127, 0, 0, 1], port).into();
    let a = instance(
        tmp.path(),
        "a.test",
        &[("alice", "wonderland")],
        queue_settings(tmp.path(), &[("c.test", peer)]),
    )
    .await;
    // An 8-bit body: sent with BODY=8BITMIME, which aiosmtpd offers.
    let message = "From: alice@a.test\r\nTo: carol@c.test\r\nSubject: 8 bits\r\n\
                   Content-Type: text/plain; charset=utf-8\r\n\r\nGr\u{fc}\u{df}e, Carol.\r\n.dot\r\n";
    let lines_sent = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["carol@c.test", "dave@c.test"],
        message,
    )
    .await;
    assert!(
        lines_sent.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines_sent:?}"
    );

    let mut got = Vec::new();
    loop {
        let line = tokio::time::timeout(Duration::from_secs(15), lines.next_line())
            .await
            .expect("aiosmtpd got nothing")
            .unwrap()
            .unwrap();
        if line == "end" {
            break;
        }
        got.push(line);
    }
    wait_for_empty_queue(&a.queue).await;
    assert_eq!(got[0], "from: alice@a.test");
    assert_eq!(got[1..3], ["rcpt: carol@c.test", "rcpt: dave@c.test"]);
    let options: Vec<&str> = got
        .iter()
        .filter_map(|l| l.strip_prefix("option: "))
        .collect();
    assert!(options.contains(&"BODY=8BITMIME"), "{options:?}");
    let data = got.iter().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let data = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    let (trace, rest) = split_received(&data);
    assert!(
        trace.contains("by mail.a.test with ESMTPA id "),
        "{trace:?}"
    );
    assert_eq!(rest, message.as_bytes());
    assert!(
        options.iter().any(|o| *o == format!("SIZE={}", data.len())),
        "{options:?}"
    );
    drop(python.stdin.take());
    let _ = tokio::time::timeout(Duration::from_secs(10), python.wait()).await;
    a.server.shutdown().await;
}

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
    assert_eq!(
        rest,
        format!("Message-ID: <{id}@mail.a.test>\r\n{bare}"),
        "the fields go after the trace field"
    );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_smarthost_with_auth_over_starttls() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir_a, dir_b) = (tmp.path().join("a"), tmp.path().join("b"));
    let peer = Peer::start(Script::TempFailFirst(0)).await;
    // B relays for its authenticated users to c.test's peer.
    let b = instance(
        &dir_b,
        "b.test",
        &[("bob", "builder")],
        queue_settings(&dir_b, &[("c.test", peer.addr)]),
    )
    .await;
    // A sends everything through B, logging in as bob: STARTTLS first
    // (B's certificate is self-signed: opportunistic TLS takes it), then
    // AUTH PLAIN, which the client never sends in plaintext.
    let mut q = queue_settings(&dir_a, &[]);
    q.smarthost = Some(Relay::new("127.0.0.1", b.smtp.port()).with_auth("bob", "builder"));
    let a = instance(&dir_a, "a.test", &[("alice", "wonderland")], q).await;
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["carol@c.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    wait_for_empty_queue(&a.queue).await;
    wait_for_empty_queue(&b.queue).await;
    let seen = peer.transactions();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (hop2, rest) = split_received(&seen[0].data);
    let (hop1, _) = split_received(rest);
    assert!(
        hop2.starts_with(
            "Received: from mail.a.test ([127.0.0.1])\r\n\tby mail.b.test with ESMTPSA id "
        ),
        "{hop2:?}"
    );
    assert!(hop1.contains("by mail.a.test with ESMTPA id "), "{hop1:?}");
    a.server.shutdown().await;
    b.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flush_retries_now_and_list_shows_the_state() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(1)).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.minimal_backoff = Duration::from_secs(3600);
    q.maximal_backoff = Duration::from_secs(3600);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@a.test",
        &["carol@c.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    // Deferred for an hour after the first 451.
    let start = Instant::now();
    let queued = loop {
        let q = list_queue(&a.queue).unwrap();
        if q.len() == 1 && q[0].recipients[0].attempts == 1 {
            break q;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{q:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let r = &queued[0].recipients[0];
    assert_eq!(queued[0].from, "<alice@a.test>");
    assert_eq!(
        (r.path.as_str(), r.state),
        (
            "<carol@c.test>",
            mail_server::queue::RecipientState::Pending
        )
    );
    assert!(r.next_attempt > queued[0].arrival + 3_500_000);
    let last = r.last.as_ref().unwrap();
    assert_eq!(
        (last.status.as_str(), last.text.as_str()),
        ("4.3.0", "451 4.3.0 Try again later")
    );
    assert_eq!(last.remote.as_deref(), Some("127.0.0.1"));
    // A flush: the runner tries it at once.
    mail_server::queue::request_flush(&a.queue).unwrap();
    wait_for_empty_queue(&a.queue).await;
    assert_eq!(peer.transactions().len(), 2);
    a.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn required_tls_verifies_the_certificate() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir_a, dir_b, dir_c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let b = instance(
        &dir_b,
        "b.test",
        &[("bob", "builder")],
        queue_settings(&dir_b, &[]),
    )
    .await;
    // A trusts B's self-signed certificate (made for `localhost`) and
    // names B as `localhost`: verified, delivered.
    let mut q = queue_settings(&dir_a, &[]);
    q.routes
        .push(("b.test".into(), Relay::new("localhost", b.smtp.port())));
    q.tls = OutboundTls::required_from_pem(&dir_b.join("tls/cert.pem")).unwrap();
    let a = instance(&dir_a, "a.test", &[("alice", "wonderland")], q).await;
    let lines = submit(a.smtp, tmp.path(), "alice@a.test", &["bob@b.test"], MESSAGE).await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    wait_for_mail(&b.store, "bob", 1).await;
    wait_for_empty_queue(&a.queue).await;
    a.server.shutdown().await;

    // C trusts only its own certificate: B's fails, and the message waits
    // (a temporary failure, never a fallback to plaintext).
    let mut q = queue_settings(&dir_c, &[]);
    q.routes
        .push(("b.test".into(), Relay::new("localhost", b.smtp.port())));
    q.minimal_backoff = Duration::from_secs(3600);
    q.maximal_backoff = Duration::from_secs(3600);
    TlsSource::self_signed(dir_c.join("tls"), "localhost")
        .server_config()
        .unwrap();
    q.tls = OutboundTls::required_from_pem(&dir_c.join("tls/cert.pem")).unwrap();
    let c = instance(&dir_c, "c.test", &[("alice", "wonderland")], q).await;
    let lines = submit(c.smtp, tmp.path(), "alice@c.test", &["bob@b.test"], MESSAGE).await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    let start = Instant::now();
    let last = loop {
        let q = list_queue(&c.queue).unwrap();
        if let Some(last) = q.first().and_then(|m| m.recipients[0].last.clone()) {
            break last;
        }
        assert!(start.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(last.status, "4.7.5", "{last:?}");
    assert!(
        last.text
            .starts_with("TLS handshake with localhost[127.0.0.1]:"),
        "{last:?}"
    );
    assert_eq!(inbox_of(&b.store, "bob").await.messages.len(), 1);
    c.server.shutdown().await;
    b.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_sender_gets_its_bounce_queued_with_the_null_sender() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RejectRcpt("gone")).await;
    let sender_mx = Peer::start(Script::TempFailFirst(0)).await;
    let a = instance(
        tmp.path(),
        "a.test",
        &[("alice", "wonderland")],
        queue_settings(
            tmp.path(),
            &[("c.test", peer.addr), ("elsewhere.test", sender_mx.addr)],
        ),
    )
    .await;
    let lines = submit(
        a.smtp,
        tmp.path(),
        "alice@elsewhere.test",
        &["gone@c.test"],
        MESSAGE,
    )
    .await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
    let start = Instant::now();
    while sender_mx.transactions().is_empty() {
        assert!(start.elapsed() < Duration::from_secs(10), "no bounce");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    wait_for_empty_queue(&a.queue).await;
    let bounce = &sender_mx.transactions()[0];
    assert_eq!(bounce.from, "<>");
    assert_eq!(bounce.rcpts, ["<alice@elsewhere.test>"]);
    let parsed = mail_parser::MessageParser::default()
        .parse(&bounce.data[..])
        .unwrap();
    assert_eq!(
        parsed.content_type().unwrap().attribute("report-type"),
        Some("delivery-status")
    );
    let text = String::from_utf8_lossy(&bounce.data);
    assert!(text.contains(
        "\r\nFinal-Recipient: rfc822; gone@c.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    ));
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}

/// A load figure, not run by default (`cargo test --release -p mail-server
/// --test outbound -- --ignored --nocapture`): 10 clients submit 5 KB
/// messages for another domain, with fsync on; the queue sends them to a
/// scripted peer. Every message arrives once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a load measurement; run it with --release"]
async fn queue_throughput() {
    const CLIENTS: usize = 10;
    const EACH: usize = 50;
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(0)).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.fsync = true;
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    let body = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n".repeat(80);
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (addr, body) = (a.smtp, body.clone());
            tokio::spawn(async move {
                let mut raw = common::Raw::connect(addr).await;
                raw.reply().await.unwrap();
                raw.smtp("EHLO load.test").await;
                // "\0alice\0wonderland"
                assert!(
                    raw.smtp("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=")
                        .await
                        .starts_with("235")
                );
                for n in 0..EACH {
                    assert!(
                        raw.smtp("MAIL FROM:<alice@a.test>")
                            .await
                            .starts_with("250")
                    );
                    assert!(raw.smtp("RCPT TO:<carol@c.test>").await.starts_with("250"));
                    assert!(raw.smtp("DATA").await.starts_with("354"));
                    let message = format!("Message-ID: <{c}.{n}@a.test>\r\n\r\n{body}.");
                    assert!(raw.smtp(&message).await.starts_with("250"));
                }
            })
        })
        .collect();
    for c in clients {
        c.await.unwrap();
    }
    let accepted = started.elapsed();
    wait_for_empty_queue(&a.queue).await;
    let drained = started.elapsed();
    let seen = peer.transactions();
    let total = CLIENTS * EACH;
    assert_eq!(seen.len(), total);
    let mut ids: Vec<&[u8]> = seen.iter().map(|t| &t.data[..]).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "a message sent twice");
    println!(
        "{total} messages of 5 KB, {CLIENTS} clients: queued durably in {:.2} s ({:.0}/s), \
         all delivered in {:.2} s ({:.0}/s)",
        accepted.as_secs_f64(),
        total as f64 / accepted.as_secs_f64(),
        drained.as_secs_f64(),
        total as f64 / drained.as_secs_f64()
    );
    a.server.shutdown().await;
}
