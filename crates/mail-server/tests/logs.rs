//! The logs: one span per session with the protocol and the peer, the
//! logins and their failures, and never a password, at any level.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine;
use common::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_logged_without_passwords() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    server.deliver("alice", &dotted_message("logs")).await;

    // USER/PASS wrong then right, AUTH PLAIN, and STLS then USER/PASS.
    let mut raw = Raw::connect(server.pop3).await;
    raw.line().await.unwrap();
    raw.command("USER alice").await;
    assert_eq!(
        raw.command("PASS wonderland-typo").await,
        "-ERR [AUTH] Authentication failed."
    );
    assert_eq!(raw.login(ALICE).await, "+OK Logged in.");
    assert_eq!(raw.command("QUIT").await, "+OK Logging out.");
    let plain = base64::engine::general_purpose::STANDARD.encode("\0bob\0builder");
    let mut raw = Raw::connect(server.pop3).await;
    raw.line().await.unwrap();
    assert_eq!(
        raw.command(&format!("AUTH PLAIN {plain}")).await,
        "+OK Logged in."
    );
    assert_eq!(raw.command("QUIT").await, "+OK Logging out.");
    let cert = server.cert.to_str().unwrap().to_owned();
    server.poplib("stls", ALICE, &[&cert]).await;
    server.wait_idle().await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SHOW_LOGS").is_some() {
        println!("{logs}");
    }
    for secret in ["wonderland", "builder", plain.as_str()] {
        assert!(!logs.contains(secret), "{secret:?} in the logs:\n{logs}");
    }
    for expected in [
        "session{proto=\"pop3\" peer=127.0.0.1:",
        "login failed login=\"alice\"",
        "logged in user=alice messages=1",
        "logged in user=bob messages=0",
        "STLS: starting TLS",
        "session ended user=alice end=closed retr=0 retr_octets=0 top=0 deleted=0",
        "session ended user=bob end=closed",
    ] {
        assert!(
            logs.contains(expected),
            "{expected:?} not in the logs:\n{logs}"
        );
    }
}
