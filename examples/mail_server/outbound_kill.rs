//! `kill -9` with messages in the outbound queue: after a restart they are
//! delivered, and none is sent twice, neither those still queued nor those
//! delivered before the kill.
//!
//! The server is the example in a process of its own (the pattern of
//! [`durability`](crate::durability)); the receiving MTA is a scripted
//! peer in this process that refuses with `451` while told to.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_server::queue::{RecipientState, list_queue};

use crate::durability::Server;

/// The peer: what it accepted (Message-ID, count), and whether it refuses.
#[derive(Default)]
struct PeerState {
    accepted: Mutex<BTreeMap<String, usize>>,
    refusing: AtomicBool,
}

#[test]
fn queued_mail_survives_kill_9_and_goes_out_once() {
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("mail-server-outbound-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let queue = dir.join("queue");
    let peer = Arc::new(PeerState::default());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let peer_addr = listener.local_addr().unwrap();
    {
        let peer = peer.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let peer = peer.clone();
                std::thread::spawn(move || serve_peer(stream, &peer));
            }
        });
    }

    let mut server = start(&dir, peer_addr);
    // Five messages go out at once.
    let mut client = Submit::connect(server.smtp);
    for n in 0..5 {
        client.send(&format!("early.{n}"));
    }
    wait(|| peer.accepted.lock().unwrap().len() == 5, "early mail");
    wait(|| list_queue(&queue).unwrap().is_empty(), "an empty queue");
    // Five more meet a peer that defers them; they stay queued.
    peer.refusing.store(true, Ordering::SeqCst);
    for n in 0..5 {
        client.send(&format!("late.{n}"));
    }
    wait(
        || {
            let q = list_queue(&queue).unwrap();
            q.len() == 5
                && q.iter().all(|m| {
                    m.recipients
                        .iter()
                        .all(|r| r.attempts >= 1 && r.state == RecipientState::Pending)
                })
        },
        "five deferred messages",
    );
    server.kill();
    assert_eq!(list_queue(&queue).unwrap().len(), 5);

    // The peer takes mail again; a new process finds the queue and sends.
    peer.refusing.store(false, Ordering::SeqCst);
    let mut server = start(&dir, peer_addr);
    wait(
        || list_queue(&queue).unwrap().is_empty(),
        "the queue to drain",
    );
    std::thread::sleep(Duration::from_millis(500));
    let accepted = peer.accepted.lock().unwrap().clone();
    let mut want: Vec<String> = (0..5)
        .map(|n| format!("<early.{n}@a.test>"))
        .chain((0..5).map(|n| format!("<late.{n}@a.test>")))
        .collect();
    want.sort();
    let got: Vec<String> = accepted.keys().cloned().collect();
    assert_eq!(got, want);
    let twice: Vec<_> = accepted.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    server.kill();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(started.elapsed() < Duration::from_secs(40));
}

/// The example with alice of a.test, its SMTP listener, and mail for
/// c.test routed to the peer, retried every 200 ms.
fn start(dir: &Path, peer: SocketAddr) -> Server {
    let route = format!("c.test={peer}");
    Server::spawn(&crate::test_args(
        dir.to_str().unwrap(),
        &[
            "--domain",
            "a.test",
            "--user",
            "alice:pw",
            "--relay-route",
            &route,
            "--min-backoff",
            "0.2",
            "--max-backoff",
            "0.4",
        ],
    ))
}

fn wait(mut done: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "waited too long for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A blocking submission client: AUTH PLAIN as alice, one message per call.
struct Submit {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Submit {
    fn connect(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut client = Self {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        };
        client.expect(None, "220");
        client.expect(Some("EHLO kill.test"), "250");
        // "\0alice\0pw"
        client.expect(Some("AUTH PLAIN AGFsaWNlAHB3"), "235");
        client
    }

    fn send(&mut self, id: &str) {
        self.expect(Some("MAIL FROM:<alice@a.test>"), "250");
        self.expect(Some("RCPT TO:<carol@c.test>"), "250");
        self.expect(Some("DATA"), "354");
        let message = format!("Message-ID: <{id}@a.test>\r\nSubject: {id}\r\n\r\nbody\r\n.");
        self.expect(Some(&message), "250");
    }

    fn expect(&mut self, line: Option<&str>, code: &str) {
        if let Some(line) = line {
            self.writer
                .write_all(format!("{line}\r\n").as_bytes())
                .unwrap();
        }
        loop {
            let mut reply = String::new();
            assert!(self.reader.read_line(&mut reply).unwrap() > 0);
            if reply.as_bytes().get(3) != Some(&b'-') {
                assert!(reply.starts_with(code), "{line:?}: {reply}");
                return;
            }
        }
    }
}

/// One SMTP session of the peer: no extensions, Postfix's replies, `451`
/// at the end of the data while refusing.
fn serve_peer(stream: TcpStream, peer: &PeerState) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut send = |s: &str| {
        let _ = writer.write_all(s.as_bytes());
    };
    send("220 peer.test ESMTP\r\n");
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => send("250 peer.test\r\n"),
            "MAIL" | "RCPT" | "RSET" | "NOOP" => send("250 2.0.0 Ok\r\n"),
            "DATA" => {
                send("354 End data with <CR><LF>.<CR><LF>\r\n");
                let mut id = None;
                loop {
                    let mut body = String::new();
                    if reader.read_line(&mut body).unwrap_or(0) == 0 {
                        return;
                    }
                    if body == ".\r\n" {
                        break;
                    }
                    if let Some(v) = body.strip_prefix("Message-ID: ") {
                        id = Some(v.trim_end().to_owned());
                    }
                }
                if peer.refusing.load(Ordering::SeqCst) {
                    send("451 4.3.0 Try again later\r\n");
                } else {
                    if let Some(id) = id {
                        *peer.accepted.lock().unwrap().entry(id).or_default() += 1;
                    }
                    send("250 2.0.0 Ok: queued\r\n");
                }
            }
            "QUIT" => {
                send("221 2.0.0 Bye\r\n");
                return;
            }
            _ => send("502 5.5.2 Error: command not recognized\r\n"),
        }
    }
}
