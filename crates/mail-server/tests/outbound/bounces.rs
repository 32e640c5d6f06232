//! Permanent failures and expiry: RFC 3464 reports to the sender, in its
//! mailbox or queued to its address, and none for a bounce.

use mail_server::queue::RecipientState;

use super::*;

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
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    submit_queued(&a, tmp.path(), &["carol@c.test", "gone@c.test"]).await;
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
            "<gone@c.test>: host 127.0.0.1 said: 550 5.1.1 <gone@c.test>: Recipient address\r\n \
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
            "Diagnostic-Code: smtp; 550 5.1.1 <gone@c.test>: Recipient address rejected:",
            " User unknown in local recipient table",
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

/// Breaks alice's Maildir under `dir`: its `tmp` becomes a file, so no
/// message can be stored. Returns that path, for [`mend_maildir`].
fn break_maildir(dir: &Path) -> std::path::PathBuf {
    let tmp = dir.join("mail").join("alice").join("tmp");
    std::fs::remove_dir(&tmp).unwrap();
    std::fs::write(&tmp, b"").unwrap();
    tmp
}

/// Undoes [`break_maildir`].
fn mend_maildir(tmp: &Path) {
    std::fs::remove_file(tmp).unwrap();
    std::fs::create_dir(tmp).unwrap();
}

/// Waits until the first recipient of the one message in `queue` is
/// `bouncing`: refused for good, its bounce not made yet.
async fn wait_for_bouncing(queue: &Path) {
    let state = || {
        list_queue(queue)
            .unwrap()
            .first()
            .map(|m| m.recipients[0].state)
    };
    let start = Instant::now();
    while state() != Some(RecipientState::Bouncing) {
        assert!(start.elapsed() < Duration::from_secs(15), "{:?}", state());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the first recipient of the one message in `queue` has an
/// outcome recorded, and returns it; the message must stay queued.
async fn wait_for_outcome(queue: &Path) -> mail_server::queue::QueuedRecipient {
    let start = Instant::now();
    loop {
        let queued = list_queue(queue).unwrap();
        let Some(message) = queued.first() else {
            panic!("the message left the queue (bounced?)");
        };
        let r = message.recipients[0].clone();
        if r.last.is_some() {
            return r;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "{r:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A bounce that cannot be stored (alice's Maildir broken: its `tmp` a
/// file) leaves the recipient `bouncing` and is tried again after the
/// shortest backoff: once the Maildir is mended it arrives, with no
/// restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bounce_that_cannot_be_stored_is_tried_again() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RejectRcpt("gone")).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    let maildir_tmp = break_maildir(tmp.path());
    submit_queued(&a, tmp.path(), &["gone@c.test"]).await;
    wait_for_bouncing(&a.queue).await;
    // The next try, after a 200 ms backoff, fails as the first did: it
    // rewrites the envelope (once the first round's writes, a few
    // milliseconds apart, are over), still `bouncing`.
    let id = list_queue(&a.queue).unwrap()[0].id.clone();
    let envelope = a.queue.join(format!("{id}.env"));
    let written = || std::fs::metadata(&envelope).unwrap().modified().unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (first_round, start) = (written(), Instant::now());
    while written() == first_round {
        assert!(start.elapsed() < Duration::from_secs(15), "no second try");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        list_queue(&a.queue).unwrap()[0].recipients[0].state,
        RecipientState::Bouncing
    );
    mend_maildir(&maildir_tmp);
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    let (_, _, status, _) = dsn_of(&a.store).await;
    assert!(
        status.contains("\r\nFinal-Recipient: rfc822; gone@c.test\r\nAction: failed\r\n"),
        "{status}"
    );
    a.server.shutdown().await;
}

/// A `queue flush` tries a bounce not stored at once, as it does pending
/// recipients, whatever the backoff (a minute here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flush_tries_a_bounce_not_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RejectRcpt("gone")).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    retries_a_minute_away(&mut q);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    let maildir_tmp = break_maildir(tmp.path());
    submit_queued(&a, tmp.path(), &["gone@c.test"]).await;
    wait_for_bouncing(&a.queue).await;
    mend_maildir(&maildir_tmp);
    mail_server::queue::request_flush(&a.queue).unwrap();
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    a.server.shutdown().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expiry_bounces_and_a_bounce_never_bounces() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::AlwaysTempFail).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.lifetime = Duration::from_millis(500);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    assert!(peer.transactions().len() >= 2);
    let (_, human, status, _) = dsn_of(&a.store).await;
    assert!(
        human.contains(
            "<carol@c.test>: message expired; the last attempt: host 127.0.0.1 said: 451\r\n \
             4.3.0 Try again later\r\n"
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

/// The only host refuses the session with a `554` greeting: as Postfix's
/// default `smtp_skip_5xx_greeting = yes` has it, that counts as a `4xx`,
/// and the mail waits for a later try instead of bouncing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_greeting_from_the_last_hop_defers() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RefuseGreeting).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
    let recipient = wait_for_outcome(&a.queue).await;
    assert_eq!(recipient.state, RecipientState::Pending, "{recipient:?}");
    let last = recipient.last.unwrap();
    assert_eq!(last.status, "4.7.1");
    assert_eq!(last.text, "554 5.7.1 peer.test No SMTP service here");
    assert!(peer.transactions().is_empty());
    // Tried again after the backoff, still no bounce.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(list_queue(&a.queue).unwrap().len(), 1);
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}

/// The only (so the last) host greets, then refuses EHLO and HELO with a
/// `550`: Postfix bounces ("refused to talk to me"), it does not retry for
/// days.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_to_helo_from_the_last_hop_bounces() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RefuseHelo).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    assert!(peer.transactions().is_empty());
    let (_, human, status, _) = dsn_of(&a.store).await;
    assert!(human.contains("<carol@c.test>"), "{human}");
    let fields: Vec<&str> = status.split("\r\n").collect();
    assert_eq!(
        fields[4..7],
        [
            "Final-Recipient: rfc822; carol@c.test",
            "Action: failed",
            "Status: 5.7.1",
        ],
        "{status}"
    );
    assert!(
        status.contains("Diagnostic-Code: smtp; 550 5.7.1 peer.test Not talking to you\r\n"),
        "{status}"
    );
    a.server.shutdown().await;
}

/// What a crash between a permanent failure and its bounce leaves, written
/// by hand: a recipient `bouncing` (failed, the notice not stored yet), and
/// a message with nothing left to do. Neither has a recipient due; at start
/// the first one's DSN reaches the sender, once, and both are removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bounce_cut_off_by_a_crash_is_sent_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(0)).await;
    let settings = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    let dir = settings.dir.clone();
    std::fs::create_dir_all(&dir).unwrap();
    let write = |id: &str, rcpts: &str| {
        std::fs::write(dir.join(format!("{id}.msg")), MESSAGE).unwrap();
        let env = format!(
            "mail-server-queue 1\nid {id}\nfrom <alice@a.test>\narrival {}\n{rcpts}end\n",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis()
        );
        std::fs::write(dir.join(format!("{id}.env")), env).unwrap();
    };
    write(
        "6553F10000001",
        "rcpt bouncing 1 0 <gone@c.test>\n\
         reply 5.1.1 smtp 127.0.0.1 550 5.1.1 <gone@c.test>: Recipient address rejected: \
         User unknown in local recipient table\n",
    );
    write(
        "6553F10000002",
        "rcpt delivered 1 0 <carol@c.test>\n\
         reply 2.0.0 smtp 127.0.0.1 250 2.0.0 Ok: queued as PEER\n\
         rcpt failed 1 0 <dave@c.test>\n\
         reply 5.1.1 smtp 127.0.0.1 550 5.1.1 no\n",
    );
    assert_eq!(list_queue(&dir).unwrap().len(), 2);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], settings).await;
    wait_for_mail(&a.store, "alice", 1).await;
    wait_for_empty_queue(&a.queue).await;
    assert!(!dir.join("6553F10000001.msg").exists());
    assert!(!dir.join("6553F10000002.msg").exists());
    // Nothing was sent again.
    assert!(peer.transactions().is_empty());
    let (_, human, status, headers) = dsn_of(&a.store).await;
    assert!(
        human.contains("<gone@c.test>: host 127.0.0.1 said: 550 5.1.1"),
        "{human}"
    );
    assert!(
        !human.contains("carol") && !human.contains("dave"),
        "{human}"
    );
    assert!(
        status.contains(
            "\r\nFinal-Recipient: rfc822; gone@c.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        ),
        "{status}"
    );
    assert!(
        headers.ends_with("Message-ID: <across@a.test>\r\n"),
        "{headers}"
    );
    // One notice only.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(inbox_of(&a.store, "alice").await.messages.len(), 1);
    a.server.shutdown().await;
}

/// MX hosts from a table: `c.test` has two, by preference.
#[derive(Debug)]
struct TwoMx;

impl mail_server::queue::MxResolver for TwoMx {
    fn mx<'a>(
        &'a self,
        domain: &'a str,
    ) -> futures::future::BoxFuture<'a, Result<Vec<(u16, String)>, mail_server::queue::ResolveError>>
    {
        let answer = match domain {
            "c.test" => Ok(vec![(20, "mx2.c.test.".into()), (10, "mx1.c.test.".into())]),
            _ => Err(mail_server::queue::ResolveError::NotFound),
        };
        Box::pin(async move { answer })
    }

    fn addresses<'a>(
        &'a self,
        host: &'a str,
    ) -> futures::future::BoxFuture<
        'a,
        Result<Vec<std::net::IpAddr>, mail_server::queue::ResolveError>,
    > {
        let answer = match host {
            "mx1.c.test" => Ok(vec!["127.0.0.1".parse().unwrap()]),
            "mx2.c.test" => Ok(vec!["127.0.0.2".parse().unwrap()]),
            _ => Err(mail_server::queue::ResolveError::NotFound),
        };
        Box::pin(async move { answer })
    }
}

/// Peers for [`TwoMx`]'s hosts, `mx1` on 127.0.0.1 and `mx2` on 127.0.0.2,
/// on one port, and queue settings in `dir` that send `c.test` to them.
async fn two_mx(dir: &Path, mx1: Script, mx2: Script) -> (Peer, Peer, QueueSettings) {
    let mut tries = 0;
    let (first, second) = loop {
        let first = Peer::start(mx1).await;
        let at = SocketAddr::new("127.0.0.2".parse().unwrap(), first.addr.port());
        match Peer::start_at(at, mx2).await {
            Ok(second) => break (first, second),
            Err(e) => {
                tries += 1;
                assert!(tries < 10, "{e}");
            }
        }
    };
    let mut settings = queue_settings(dir, &[]);
    settings.smtp_port = first.addr.port();
    settings.resolver = Some(std::sync::Arc::new(TwoMx));
    (first, second, settings)
}

/// Retries a minute away: what a test sees within seconds happened in the
/// first round.
fn retries_a_minute_away(settings: &mut QueueSettings) {
    settings.minimal_backoff = Duration::from_secs(60);
    settings.maximal_backoff = Duration::from_secs(60);
}

/// The preferred MX refuses the session with a 5xx greeting: not the last
/// hop, so the next MX is tried (Postfix), and it takes the message; no
/// bounce.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_5xx_greeting_from_an_earlier_mx_tries_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let (refusing, accepting, settings) =
        two_mx(tmp.path(), Script::RefuseGreeting, Script::TempFailFirst(0)).await;
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], settings).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
    wait_for_empty_queue(&a.queue).await;
    assert!(refusing.transactions().is_empty());
    let seen = accepting.transactions();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].rcpts, ["<carol@c.test>"]);
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}

/// The preferred MX defers the message (`451` after the data): its
/// recipients go to the next MX in the same round, as Postfix's
/// `smtp_mx_session_limit` allows, and it takes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_from_an_earlier_mx_tries_the_next_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (deferring, accepting, mut settings) =
        two_mx(tmp.path(), Script::AlwaysTempFail, Script::TempFailFirst(0)).await;
    // Only the same round delivers in time.
    retries_a_minute_away(&mut settings);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], settings).await;
    submit_queued(&a, tmp.path(), &["carol@c.test", "dave@c.test"]).await;
    wait_for_empty_queue(&a.queue).await;
    let deferred = deferring.transactions();
    assert_eq!(deferred.len(), 1, "{deferred:?}");
    assert!(deferred[0].result.starts_with("451"), "{deferred:?}");
    let seen = accepting.transactions();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].rcpts, ["<carol@c.test>", "<dave@c.test>"]);
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}

/// The preferred MX defers the message and the next refuses EHLO and HELO
/// with a `550`: the recipient stays deferred with the first server's `451`
/// (the host tried after a deferral bounces nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_helo_after_a_4xx_bounces_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (deferring, refusing, mut settings) =
        two_mx(tmp.path(), Script::AlwaysTempFail, Script::RefuseHelo).await;
    retries_a_minute_away(&mut settings);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], settings).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
    wait_for_outcome(&a.queue).await;
    // Both sessions and their records are done a moment later.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let recipient = list_queue(&a.queue).unwrap()[0].recipients[0].clone();
    assert_eq!(recipient.state, RecipientState::Pending, "{recipient:?}");
    let last = recipient.last.unwrap();
    assert!(last.status.starts_with("4."), "{last:?}");
    assert!(last.text.starts_with("451"), "{last:?}");
    assert_eq!(deferring.transactions().len(), 1);
    assert!(refusing.transactions().is_empty());
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}
