//! Outbound delivery: the queue sends an authenticated user's mail for
//! other domains to the next server, with smtp-proto's client, retries,
//! and bounces. Two instances of the server with a static route between
//! them, and scripted peers on 127.0.0.1.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

#[path = "../common/mod.rs"]
mod common;
mod peer;

mod aiosmtpd;
mod bounces;
mod load;
mod logs;
mod retries;
mod submission;

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

/// A server for alice@a.test with these static routes.
async fn alice_server(dir: &Path, routes: &[(&str, SocketAddr)]) -> Instance {
    instance(
        dir,
        "a.test",
        &[("alice", "wonderland")],
        queue_settings(dir, routes),
    )
    .await
}

/// Alice submits [`MESSAGE`] to `to` through `a`; it must be queued.
async fn submit_queued(a: &Instance, dir: &Path, to: &[&str]) {
    let lines = submit(a.smtp, dir, "alice@a.test", to, MESSAGE).await;
    assert!(
        lines.contains(&"data: 250 2.0.0 Ok: queued".to_owned()),
        "{lines:?}"
    );
}

/// Alice on a bare SMTP session of `smtp`, past EHLO and AUTH PLAIN.
async fn alice_session(smtp: SocketAddr) -> common::Raw {
    let mut raw = common::Raw::connect(smtp).await;
    raw.reply().await.unwrap();
    raw.smtp("EHLO alice.test").await;
    // "\0alice\0wonderland"
    assert!(
        raw.smtp("AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=")
            .await
            .starts_with("235")
    );
    raw
}

/// One transaction on `raw`: from Alice to `to`, with `message` (its last
/// line the lone dot); each reply must be positive.
async fn send_one(raw: &mut common::Raw, to: &str, message: &str) {
    assert!(
        raw.smtp("MAIL FROM:<alice@a.test>")
            .await
            .starts_with("250")
    );
    assert!(
        raw.smtp(&format!("RCPT TO:<{to}>"))
            .await
            .starts_with("250")
    );
    assert!(raw.smtp("DATA").await.starts_with("354"));
    assert!(raw.smtp(message).await.starts_with("250"));
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

/// Message `n` (from 1) of `user`'s INBOX.
async fn stored(store: &MaildirStore, user: &str, n: usize) -> bytes::Bytes {
    use mailbox_traits::{Access, Account, MailStore, Mailbox, MailboxName, UserId};
    let account = store.account(&UserId::new(user)).await.unwrap();
    let inbox = account.open_mailbox(&MailboxName::inbox()).await.unwrap();
    let snapshot = inbox.snapshot(Access::ReadOnly).await.unwrap();
    inbox.read(snapshot.messages[n - 1].uid).await.unwrap()
}

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
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
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
