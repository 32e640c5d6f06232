//! The delivery logs: Postfix's `to=<...>, relay=host[ip]:port, delay=...,
//! dsn=..., status=...` line in a span per message and per attempt, and
//! never the smarthost's password.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_are_logged_as_postfix_does() {
    // The other tests of this binary log here too once it is set; this one
    // looks for its own lines.
    let captured = common::capture_logs();

    let tmp = tempfile::tempdir().unwrap();
    let peer = Peer::start(Script::RejectRcpt("gone")).await;
    let mut q = queue_settings(tmp.path(), &[]);
    q.smarthost =
        Some(Relay::new("127.0.0.1", peer.addr.port()).with_auth("relay", "hunter2-secret"));
    let a = instance(tmp.path(), "a.test", &[("alice", "wonderland")], q).await;
    // The peer offers neither STARTTLS nor AUTH: the password must not
    // cross, and the attempt is deferred.
    submit_queued(&a, tmp.path(), &["logs@d.test"]).await;
    let start = Instant::now();
    loop {
        let text = captured.text();
        if text.contains("to=<logs@d.test>") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{text}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.server.shutdown().await;

    let text = captured.text();
    let line = text
        .lines()
        .find(|l| l.contains("to=<logs@d.test>"))
        .unwrap();
    assert!(line.contains("delivery{id="), "{line}");
    assert!(line.contains("attempt{domain=d.test rcpts=1}"), "{line}");
    let port = peer.addr.port();
    let relay = format!("to=<logs@d.test>, relay=127.0.0.1:{port}, delay=");
    assert!(line.contains(&relay), "{line}");
    let status = format!(
        ", dsn=4.7.0, status=deferred (cannot set up the session with \
         127.0.0.1[127.0.0.1]:{port}: the server does not offer AUTH)"
    );
    assert!(line.ends_with(&status), "{line}");
    assert!(!text.contains("hunter2"), "the password was logged");
}
