//! The server layer itself: implicit TLS and the kept certificate, the
//! STLS switch, graceful shutdown, the connection cap, and sessions that
//! send garbage.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_with_a_certificate_kept_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), Setup::default()).await;
    let message = dotted_message("pop3s");
    server.deliver("alice", &message).await;
    let cert = server.cert.clone();
    let made = std::fs::read(&cert).unwrap();
    let key = std::fs::read(dir.path().join("tls/key.pem")).unwrap();

    let cert_arg = cert.to_str().unwrap();
    let lines = poplib_at(server.pop3s.unwrap(), "pop3s", ALICE, &[cert_arg]).await;
    assert_eq!(value(&lines, "cert"), "same");
    assert_eq!(value(&lines, "welcome"), "+OK POP3 server ready");
    // Implicit TLS: USER and SASL PLAIN offered, STLS not (RFC 2595 §4).
    assert_eq!(
        value(&lines, "capa"),
        "AUTH-RESP-CODE PIPELINING RESP-CODES SASL TOP UIDL USER"
    );
    assert_eq!(value(&lines, "pass"), "+OK Logged in.");
    assert_eq!(value(&lines, "stat"), format!("1 {}", message.len()));

    server.server.take().unwrap().shutdown().await;
    let server = start(dir.path(), Setup::default()).await;
    assert_eq!(std::fs::read(&cert).unwrap(), made);
    assert_eq!(std::fs::read(dir.path().join("tls/key.pem")).unwrap(), key);
    let lines = poplib_at(server.pop3s.unwrap(), "pop3s", ALICE, &[cert_arg]).await;
    assert_eq!(value(&lines, "cert"), "same");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plaintext_pipelined_after_stls_is_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let mut raw = Raw::connect(server.pop3).await;
    assert_eq!(raw.line().await.unwrap(), "+OK POP3 server ready");
    // A man in the middle appends a command to the client's STLS.
    raw.send(b"STLS\r\nUSER alice\r\n").await;
    assert_eq!(raw.line().await.unwrap(), "+OK Begin TLS negotiation now.");

    let tls = tls_client(&server.cert, raw.into_inner()).await;
    let (read, mut write) = tokio::io::split(tls);
    let mut read = BufReader::new(read);
    let mut exchange = async |command: &str| {
        write
            .write_all(format!("{command}\r\n").as_bytes())
            .await
            .unwrap();
        let mut line = String::new();
        read.read_line(&mut line).await.unwrap();
        line
    };
    // The USER never reached the session.
    assert_eq!(
        exchange("PASS wonderland").await,
        "-ERR No username given.\r\n"
    );
    assert_eq!(exchange("USER alice").await, "+OK\r\n");
    assert_eq!(exchange("PASS wonderland").await, "+OK Logged in.\r\n");
    assert_eq!(exchange("QUIT").await, "+OK Logging out.\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_open_sessions_finish_and_refuses_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = start(dir.path(), Setup::default()).await;
    for i in 0..2 {
        let m = format!("Subject: {i}\r\n\r\nbody\r\n");
        server.deliver("alice", m.as_bytes()).await;
    }
    let second_size = server.inbox("alice").await.messages[1].size;
    let mut session = Raw::connect(server.pop3).await;
    session.line().await.unwrap();
    assert_eq!(session.login(ALICE).await, "+OK Logged in.");
    assert_eq!(session.command("DELE 1").await, "+OK Marked to be deleted.");

    let running = server.server.take().unwrap();
    let started = Instant::now();
    let shutdown = tokio::spawn(running.shutdown());

    // New clients are refused once the listeners are gone.
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(server.pop3).await.is_ok() {
        assert!(Instant::now() < deadline, "still accepting");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The open session goes on to its end, QUIT included.
    assert_eq!(
        session.command("STAT").await,
        format!("+OK 1 {second_size}")
    );
    assert_eq!(
        session.command("QUIT").await,
        "+OK Logging out, messages deleted."
    );
    let report = tokio::time::timeout(Duration::from_secs(5), shutdown)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.closed_at_deadline, 0);
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(server.inbox("alice").await.messages.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_sessions_left_at_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        grace: Duration::from_millis(300),
        ..Setup::default()
    };
    let mut server = start(dir.path(), setup).await;
    server
        .deliver("alice", b"Subject: x\r\n\r\nkeep me\r\n")
        .await;
    let mut idle = Raw::connect(server.pop3).await;
    idle.line().await.unwrap();
    assert_eq!(idle.login(ALICE).await, "+OK Logged in.");
    assert_eq!(idle.command("DELE 1").await, "+OK Marked to be deleted.");
    let mut greeted = Raw::connect(server.pop3).await;
    greeted.line().await.unwrap();

    let started = Instant::now();
    let report = server.server.take().unwrap().shutdown().await;
    let took = started.elapsed();

    assert_eq!(report.closed_at_deadline, 2);
    assert!(took >= Duration::from_millis(300), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert_eq!(idle.line().await, None);
    assert_eq!(greeted.line().await, None);
    // Closed without QUIT: the DELE was never applied.
    assert_eq!(server.inbox("alice").await.messages.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_cap_holds_further_clients_until_a_slot_frees() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup {
        max_connections: 2,
        ..Setup::default()
    };
    let server = start(dir.path(), setup).await;
    let mut first = Raw::connect(server.pop3).await;
    assert_eq!(first.line().await.unwrap(), "+OK POP3 server ready");
    // An idle listener holds no slot: a second POP3 client is served.
    let mut second = Raw::connect(server.pop3).await;
    assert_eq!(second.line().await.unwrap(), "+OK POP3 server ready");
    // The cap is over all listeners: POP3S waits too.
    let tls_waiting = tokio::net::TcpStream::connect(server.pop3s.unwrap())
        .await
        .unwrap();
    let mut waiting = Raw::connect(server.pop3).await;
    assert!(
        waiting
            .line_within(Duration::from_millis(300))
            .await
            .is_err(),
        "a third client was served past the cap of two"
    );
    // Slots go to waiting clients first come, first served: the POP3S
    // client, then the POP3 one.
    assert_eq!(first.command("QUIT").await, "+OK Logging out");
    let tls = tls_client(&server.cert, tls_waiting).await;
    let mut tls = BufReader::new(tls);
    let mut greeting = String::new();
    tls.read_line(&mut greeting).await.unwrap();
    assert_eq!(greeting, "+OK POP3 server ready\r\n");
    assert!(
        waiting
            .line_within(Duration::from_millis(300))
            .await
            .is_err()
    );
    assert_eq!(second.command("QUIT").await, "+OK Logging out");
    assert_eq!(waiting.line().await.unwrap(), "+OK POP3 server ready");
    drop(tls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_does_not_hurt_other_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), Setup::default()).await;
    let message = big_message(1024 * 1024);
    server.deliver("bob", &message).await;
    let file = dir.path().join("bob.eml");
    let file_arg = file.to_str().unwrap().to_owned();
    let addr = server.pop3;
    let reader = tokio::spawn(async move { poplib_at(addr, "retr", BOB, &["1", &file_arg]).await });

    // Binary junk: unknown commands, then the pre-login limit (Dovecot's
    // three) closes the session.
    let mut junk = Raw::connect(server.pop3).await;
    junk.line().await.unwrap();
    junk.send(b"\x00\xff\xfe\x16\x03\x01\r\n\x80\x80\r\nGET / HTTP/1.1\r\n")
        .await;
    for _ in 0..3 {
        assert_eq!(junk.line().await.unwrap(), "-ERR Unknown command.");
    }
    assert_eq!(
        junk.line().await.unwrap(),
        "-ERR Too many invalid bad commands."
    );
    assert_eq!(junk.line().await, None);

    // A line far over 255 octets is refused, and the session goes on.
    let mut long = Raw::connect(server.pop3).await;
    long.line().await.unwrap();
    let mut line = vec![b'A'; 100_000];
    line.extend_from_slice(b"\r\nCAPA\r\n");
    long.send(&line).await;
    assert_eq!(long.line().await.unwrap(), "-ERR Input line too long.");
    assert_eq!(long.line().await.unwrap(), "+OK");

    // A TLS handshake on the implicit-TLS port that never finishes, and a
    // client that connects and leaves.
    let mut half = tokio::net::TcpStream::connect(server.pop3s.unwrap())
        .await
        .unwrap();
    half.write_all(b"\x16\x03\x01\x00\xff").await.unwrap();
    drop(tokio::net::TcpStream::connect(server.pop3).await.unwrap());

    // After login, bad commands count up to twenty.
    let mut other = Raw::connect(server.pop3).await;
    other.line().await.unwrap();
    other.send(b"USER alice\r\nPASS wonderland\r\n").await;
    assert_eq!(other.line().await.unwrap(), "+OK");
    assert_eq!(other.line().await.unwrap(), "+OK Logged in.");
    assert_eq!(
        other.command("RETR 99").await,
        "-ERR There's no message 99."
    );
    assert_eq!(
        other.command("LIST x").await,
        "-ERR Invalid message number: x"
    );
    assert_eq!(other.command("STAT").await, "+OK 0 0");

    let lines = reader.await.unwrap();
    assert_eq!(
        value(&lines, "retr"),
        format!("+OK {} octets", message.len())
    );
    assert!(std::fs::read(&file).unwrap() == message);
    drop(half);
}

#[tokio::test]
async fn a_host_name_that_is_no_domain_name_is_refused_at_start() {
    // The name goes raw into the greeting and the EHLO reply: a CR LF in it
    // would forge a reply line, a space would split it.
    for bad in ["mx\r\n250 forged", "two words", "", "-lead.example"] {
        let dir = tempfile::tempdir().unwrap();
        let result = mail_server::MailServer::builder(
            store(dir.path()),
            mail_server::Users::new(["example.org"]),
        )
        .hostname(bad)
        .smtp("127.0.0.1:0".parse().unwrap())
        .start()
        .await;
        match result {
            Err(mail_server::Error::Hostname(name, _)) => assert_eq!(name, bad),
            Err(other) => panic!("{bad:?}: {other}"),
            Ok(_) => panic!("{bad:?} started"),
        }
    }
}
