//! aiosmtpd (PyPI) as the receiving MTA: a server nobody here wrote.

use super::*;

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
    let a = alice_server(tmp.path(), &[("c.test", peer)]).await;
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
