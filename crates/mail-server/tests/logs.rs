//! The logs: one span per session with the protocol and the peer, the
//! logins and their failures, and never a password, at any level.

mod common;

use base64::Engine;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_logged_without_passwords() {
    let captured = capture_logs();

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

    // SMTP: AUTH PLAIN with its blob, AUTH LOGIN with a wrong password,
    // and a message.
    let mut smtp = Raw::connect(server.smtp).await;
    smtp.reply().await.unwrap();
    smtp.smtp("EHLO client.example").await;
    let login = base64::engine::general_purpose::STANDARD;
    assert_eq!(
        smtp.smtp("AUTH LOGIN").await,
        "334 VXNlcm5hbWU6" // Username:
    );
    assert_eq!(smtp.smtp(&login.encode("alice")).await, "334 UGFzc3dvcmQ6");
    assert_eq!(
        smtp.smtp(&login.encode("wonderland-typo")).await,
        "535 5.7.8 Error: authentication failed"
    );
    assert_eq!(
        smtp.smtp(&format!("AUTH PLAIN {plain}")).await,
        "235 2.7.0 Authentication successful"
    );
    assert_eq!(
        smtp.smtp("MAIL FROM:<bob@example.org>").await,
        "250 2.1.0 Ok"
    );
    assert_eq!(
        smtp.smtp("RCPT TO:<alice@example.org>").await,
        "250 2.1.5 Ok"
    );
    assert_eq!(
        smtp.smtp("RCPT TO:<eve@elsewhere.net>").await.get(..9),
        Some("550 5.7.1")
    );
    assert_eq!(
        smtp.smtp("DATA").await,
        "354 End data with <CR><LF>.<CR><LF>"
    );
    assert_eq!(
        smtp.smtp("Subject: logged\r\n\r\nbody\r\n.").await,
        "250 2.0.0 Ok: queued"
    );
    assert_eq!(smtp.smtp("QUIT").await, "221 2.0.0 Bye");

    // IMAP: LOGIN with a wrong password, AUTHENTICATE PLAIN with SASL-IR,
    // and an APPEND whose octets must not reach the logs either.
    let mut imap = Raw::connect(server.imap).await;
    imap.imap_line().await.unwrap();
    assert_eq!(
        imap.imap("a", "LOGIN alice wonderland-typo").await,
        ["a NO [AUTHENTICATIONFAILED] Authentication failed."]
    );
    let lines = imap.imap("b", &format!("AUTHENTICATE PLAIN {plain}")).await;
    assert!(lines[0].ends_with("] Logged in"), "{lines:?}");
    let secret = "Subject: s\r\n\r\nliteral-octets-stay-private\r\n";
    imap.send(format!("c APPEND INBOX {{{}+}}\r\n{secret}\r\n", secret.len()).as_bytes())
        .await;
    let lines = imap.imap_response("c").await;
    assert!(lines[0].contains("Append completed."), "{lines:?}");
    imap.imap("d", "LOGOUT").await;
    server.wait_idle().await;

    let logs = captured.text();
    if std::env::var_os("SHOW_LOGS").is_some() {
        println!("{logs}");
    }
    let login_blobs = ["d29uZGVybGFuZC10eXBv", "YnVpbGRlcg"];
    for secret in [
        "wonderland",
        "builder",
        plain.as_str(),
        login_blobs[0],
        login_blobs[1],
        "literal-octets-stay-private",
    ] {
        assert!(!logs.contains(secret), "{secret:?} in the logs:\n{logs}");
    }
    // Each protocol's failed login is logged in its own session's span.
    for proto in ["pop3", "smtp"] {
        assert!(
            logs.lines()
                .any(|line| line.contains(&format!("proto=\"{proto}\""))
                    && line.contains("login failed login=\"alice\"")),
            "no failed {proto} login in the logs:\n{logs}"
        );
    }
    for expected in [
        "session{proto=\"pop3\" peer=127.0.0.1:",
        "login failed login=\"alice\"",
        "logged in user=alice messages=1",
        "logged in user=bob messages=0",
        "STLS: starting TLS",
        "session ended user=alice end=closed retr=0 retr_octets=0 top=0 deleted=0",
        "session ended user=bob end=closed",
        "session{proto=\"smtp\" peer=127.0.0.1:",
        "authenticated user=bob",
        "RCPT refused rcpt=<eve@elsewhere.net> reply=550 5.7.1",
        "message id=",
        "from=<bob@example.org> user=\"bob\" rcpts=1 size=25 octets=",
        "result=\"delivered\" failed=[]",
        "session ended end=closed messages=1",
        "session{proto=\"imap\" peer=127.0.0.1:",
        "logged in user=bob\n",
        "session ended user=bob end=closed commands=1 fetched=0 body_octets=0 appended=1 expunged=0",
    ] {
        assert!(
            logs.contains(expected),
            "{expected:?} not in the logs:\n{logs}"
        );
    }
}
