//! SIGTERM: `run_until_signal` stops accepting and shuts down gracefully.
//! Alone in its test binary, as the signal goes to the whole process.

mod common;

use std::time::Duration;

use common::*;

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), Setup::default()).await;
    server.deliver("alice", b"Subject: x\r\n\r\nkept\r\n").await;
    let mut session = Raw::connect(server.pop3).await;
    session.line().await.unwrap();
    assert_eq!(session.login(ALICE).await, "+OK Logged in.");

    let running = server.server.take().unwrap();
    let stopped = tokio::spawn(running.run_until_signal());
    // Let the task install its handler (tokio's replaces the default action,
    // which would end the test process).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = std::process::id().to_string();
    run("kill", &["-TERM", &pid]).await;

    // No new clients; the open one finishes its work.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(server.pop3).await.is_ok() {
        assert!(std::time::Instant::now() < deadline, "still accepting");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(session.command("DELE 1").await, "+OK Marked to be deleted.");
    assert_eq!(
        session.command("QUIT").await,
        "+OK Logging out, messages deleted."
    );
    let report = tokio::time::timeout(Duration::from_secs(5), stopped)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(report.closed_at_deadline, 0);
    assert!(server.inbox("alice").await.messages.is_empty());
}
