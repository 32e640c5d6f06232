//! Temporary failures: a retry after the backoff, and a flush.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_4xx_then_250_delivers_once() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(1)).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
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

/// RFC 2920 §3.1: greylisting's 451 at MAIL, with the pipelined RCPT
/// answered `503 5.5.1 need MAIL command`: the recipient is deferred with
/// the 451 (not bounced with the 503), and delivered once when the peer
/// takes the transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_451_to_mail_defers_then_delivers_once() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::GreylistMail(1)).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    submit_queued(&a, tmp.path(), &["carol@c.test", "dave@c.test"]).await;
    wait_for_empty_queue(&a.queue).await;
    // The refused transaction never reached the data; the retry did, once,
    // for both recipients.
    let seen = peer.transactions();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].result, "250 2.0.0 Ok: queued as PEER");
    assert_eq!(seen[0].rcpts, ["<carol@c.test>", "<dave@c.test>"]);
    assert!(seen[0].data.ends_with(MESSAGE.as_bytes()));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(peer.transactions().len(), 1);
    // No bounce for alice.
    assert!(inbox_of(&a.store, "alice").await.messages.is_empty());
    a.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flush_retries_now_and_list_shows_the_state() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::TempFailFirst(1)).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.minimal_backoff = Duration::from_secs(3600);
    q.maximal_backoff = Duration::from_secs(3600);
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
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
async fn shutdown_leaves_a_delivery_in_flight_pending() {
    let tmp = tempfile::tempdir().unwrap();
    let stall = Peer::start(Script::Stall).await;
    let a = alice_server(tmp.path(), &[("c.test", stall.addr)]).await;
    submit_queued(&a, tmp.path(), &["carol@c.test"]).await;
    let start = Instant::now();
    while stall.transactions().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the peer got nothing"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The peer never answers: shutdown waits its grace period, then cuts
    // the delivery off and leaves the recipient pending, not failed.
    let stopped = Instant::now();
    a.server.shutdown_within(Duration::from_millis(300)).await;
    assert!(stopped.elapsed() < Duration::from_secs(3));
    let queued = list_queue(&a.queue).unwrap();
    assert_eq!(queued.len(), 1);
    let r = &queued[0].recipients[0];
    assert_eq!(
        (r.state, r.attempts),
        (mail_server::queue::RecipientState::Pending, 0)
    );

    // After a restart, with a peer that answers, it goes out.
    let peer = Peer::start(Script::TempFailFirst(0)).await;
    let a = alice_server(tmp.path(), &[("c.test", peer.addr)]).await;
    wait_for_empty_queue(&a.queue).await;
    assert_eq!(peer.transactions().len(), 1);
    assert!(peer.transactions()[0].data.ends_with(MESSAGE.as_bytes()));
    a.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_to_a_destination_are_capped() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::Slow(300)).await;
    let mut q = queue_settings(tmp.path(), &[("c.test", peer.addr)]);
    q.destination_concurrency = 2;
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    // Six messages queued at once, each its own transaction.
    let mut raw = alice_session(a.smtp).await;
    for n in 0..6 {
        let message = format!("Message-ID: <{n}@a.test>\r\n\r\nhi\r\n.");
        send_one(&mut raw, "carol@c.test", &message).await;
    }
    wait_for_empty_queue(&a.queue).await;
    assert_eq!(peer.transactions().len(), 6);
    assert_eq!(peer.max_in_flight(), 2);
    a.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_in_flight_are_capped_over_all_destinations() {
    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::Slow(300)).await;
    // Three domains, one peer: the per-destination limit does not bind.
    let mut q = queue_settings(
        tmp.path(),
        &[
            ("c.test", peer.addr),
            ("d.test", peer.addr),
            ("e.test", peer.addr),
        ],
    );
    q.delivery_concurrency = 1;
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    let mut raw = alice_session(a.smtp).await;
    for (n, domain) in ["c.test", "d.test", "e.test"].iter().enumerate() {
        let message = format!("Message-ID: <{n}@a.test>\r\n\r\nhi\r\n.");
        send_one(&mut raw, &format!("carol@{domain}"), &message).await;
    }
    wait_for_empty_queue(&a.queue).await;
    assert_eq!(peer.transactions().len(), 3);
    assert_eq!(peer.max_in_flight(), 1);
    a.server.shutdown().await;
}
