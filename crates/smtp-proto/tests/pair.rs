//! A client and a server joined in memory, driven to idle with a fake clock,
//! the bytes between them cut into pseudo-random pieces: STARTTLS, AUTH,
//! transactions over DATA and BDAT, with and without PIPELINING.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use smtp_proto::client::{self, BodyDemand, Client, Envelope};
use smtp_proto::server::{self, Credentials, Server};
use smtp_proto::{ForwardPath, Mailbox, Reply, ReversePath};

/// A tiny deterministic generator for chunk sizes.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The mail store behind the server.
#[derive(Default)]
struct Store {
    body: Vec<u8>,
    stored: Vec<(Vec<String>, Vec<u8>)>,
    recipients: Vec<String>,
    aborted: usize,
}

impl Store {
    fn answer(&mut self, server: &mut Server, event: server::Event) {
        match event {
            server::Event::AuthRequested { credentials } => {
                if matches!(&credentials, Credentials::Plain { authcid, password, .. }
                    if authcid == "alice" && password.expose() == b"open sesame")
                {
                    server.auth_succeeded().unwrap();
                } else {
                    server.auth_failed(Reply::AUTH_INVALID_CREDENTIALS).unwrap();
                }
            }
            server::Event::MailRequested { txn, .. } => {
                self.recipients.clear();
                server.accept_mail(txn).unwrap();
            }
            server::Event::RcptRequested { id, to, .. } => {
                let to = to.to_string();
                if to.contains("nobody") {
                    server.reject_rcpt(id, Reply::USER_UNKNOWN).unwrap();
                } else {
                    self.recipients.push(to);
                    server.accept_rcpt(id).unwrap();
                }
            }
            server::Event::BodyChunkReceived { data, .. } => self.body.extend_from_slice(&data),
            server::Event::MessageReceived { txn, size, .. } => {
                assert_eq!(size as usize, self.body.len());
                let body = std::mem::take(&mut self.body);
                self.stored.push((self.recipients.clone(), body));
                server.message_stored(txn, Ok(())).unwrap();
            }
            server::Event::TransactionAborted { .. } => {
                self.aborted += 1;
                self.body.clear();
            }
            server::Event::TlsRequested => server.tls_established().unwrap(),
            _ => {}
        }
    }
}

/// The sending application: messages to send, what happened to them.
struct Sender {
    messages: Vec<(Envelope<'static>, Bytes)>,
    /// The message being sent and how far its body has gone.
    current: Option<(Bytes, usize)>,
    chunk: usize,
    results: Vec<Result<(), Reply>>,
    rejected: Vec<usize>,
    tls: bool,
    auth: bool,
    ready: usize,
}

impl Sender {
    fn act(&mut self, c: &mut Client, event: client::Event) {
        match event {
            client::Event::Ready { .. } => {
                self.ready += 1;
                if self.tls && !c.is_tls() {
                    c.starttls().unwrap();
                } else if self.auth && !c.is_authenticated() {
                    c.auth_plain(None, "alice", b"open sesame").unwrap();
                } else {
                    self.next(c);
                }
            }
            client::Event::TlsRequested => c.tls_established().unwrap(),
            client::Event::Authenticated => self.next(c),
            client::Event::RcptRejected { index, .. } => self.rejected.push(index),
            client::Event::MessageAccepted { .. } => {
                self.results.push(Ok(()));
                self.next(c);
            }
            client::Event::TransactionFailed { reply, .. } => {
                self.results.push(Err(reply));
                self.next(c);
            }
            _ => {}
        }
    }

    fn next(&mut self, c: &mut Client) {
        if self.messages.is_empty() {
            c.quit().unwrap();
            return;
        }
        let (envelope, body) = self.messages.remove(0);
        c.send_mail(envelope).unwrap();
        self.current = Some((body, 0));
    }

    /// Hands the client body chunks while it asks for them.
    fn feed_body(&mut self, c: &mut Client) {
        while c.body_demand() == Some(BodyDemand::More) {
            let Some((body, at)) = &mut self.current else {
                return;
            };
            if *at == body.len() {
                c.body_end().unwrap();
                self.current = None;
                return;
            }
            let end = (*at + self.chunk).min(body.len());
            c.body_chunk(body.slice(*at..end)).unwrap();
            *at = end;
        }
    }
}

fn mailbox(m: &str) -> Mailbox<'static> {
    Mailbox::try_from(m.to_owned()).unwrap()
}

fn message(size: usize, seed: usize) -> Bytes {
    let mut m = b"From: alice@example.org\r\nSubject: pair\r\n\r\n".to_vec();
    let mut i = seed;
    while m.len() < size {
        // Lines with leading dots, bare LFs, a lone dot: all must arrive as
        // CRLF text with the dots intact.
        match i % 7 {
            0 => m.extend_from_slice(b".leading dot\r\n"),
            1 => m.extend_from_slice(b"bare lf\n"),
            2 => m.extend_from_slice(b".\r\n"),
            _ => m.extend_from_slice(format!("line {i} of the body\r\n").as_bytes()),
        }
        i += 1;
    }
    Bytes::from(m)
}

/// What the server stores of a body the client sent: line ends as CRLF,
/// a final CRLF.
fn normalized(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    let mut out = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn run(
    server_options: server::Options,
    client_options: client::Options,
    sender: &mut Sender,
    seed: u64,
) -> Store {
    let now = Instant::now();
    let mut server = Server::new(server_options, now);
    let mut client = Client::new(client_options, now);
    let mut store = Store::default();
    let mut rng = Rng(seed);
    let mut to_client = BytesMut::new();
    let mut to_server = BytesMut::new();
    for _ in 0..100_000 {
        let mut moved = false;
        while server.poll_transmit(&mut to_client) > 0 {}
        while client.poll_transmit(&mut to_server) > 0 {}
        // Deliver a random piece each way.
        if !to_client.is_empty() {
            let n = 1 + rng.below(to_client.len().min(4096));
            let piece = to_client.split_to(n);
            client.handle_input(&piece);
            moved = true;
        }
        if !to_server.is_empty() && server.wants_read() {
            let n = 1 + rng.below(to_server.len().min(64 * 1024));
            let mut piece = to_server.split_to(n);
            server.handle_input_buf(&mut piece);
            moved = true;
        }
        while let Some(e) = server.poll_event() {
            store.answer(&mut server, e);
            moved = true;
        }
        while let Some(e) = client.poll_event() {
            sender.act(&mut client, e);
            moved = true;
        }
        sender.feed_body(&mut client);
        if client.is_closed() && to_client.is_empty() && to_server.is_empty() {
            assert!(server.is_closed());
            return store;
        }
        if !moved && to_client.is_empty() && to_server.is_empty() {
            let mut peek = BytesMut::new();
            if client.poll_transmit(&mut peek) == 0 && server.poll_transmit(&mut peek) == 0 {
                panic!(
                    "stalled: client {:?}, server {:?}",
                    client.state(),
                    server.state()
                );
            }
            to_server.extend_from_slice(&peek);
        }
    }
    panic!("no end");
}

fn scenario(pipelining: bool, chunking: bool, seed: u64) {
    let mut so = server::Options::default();
    so.hostname = smtp_proto::Domain::from_static("mx.example.org");
    so.pipelining = pipelining;
    so.chunking = chunking;
    so.max_message_size = 1 << 20;
    let mut co = client::Options::default();
    co.body_buffer = 8192;
    let bodies = [message(40, 1), message(300_000, 2), message(1000, 3)];
    let envelopes = [
        Envelope::new(ReversePath::Mailbox(mailbox("alice@example.org")))
            .to(ForwardPath::Mailbox(mailbox("bob@example.org")))
            .to(ForwardPath::Mailbox(mailbox("nobody@example.org")))
            .to(ForwardPath::Postmaster),
        Envelope::new(ReversePath::Null).to(ForwardPath::Mailbox(mailbox("carol@example.org"))),
        Envelope::new(ReversePath::Mailbox(mailbox("alice@example.org")))
            .to(ForwardPath::Mailbox(mailbox("nobody@example.org"))),
    ];
    let mut sender = Sender {
        messages: envelopes.into_iter().zip(bodies.iter().cloned()).collect(),
        current: None,
        chunk: 1000 + seed as usize * 37,
        results: Vec::new(),
        rejected: Vec::new(),
        tls: true,
        auth: true,
        ready: 0,
    };
    let store = run(so, co, &mut sender, seed);
    // EHLO twice: before and after STARTTLS.
    assert_eq!(sender.ready, 2);
    assert_eq!(sender.results.len(), 3);
    assert!(sender.results[0].is_ok() && sender.results[1].is_ok());
    let Err(reply) = &sender.results[2] else {
        panic!("{:?}", sender.results)
    };
    assert!(reply.code().is_permanent(), "{reply}");
    assert_eq!(sender.rejected, [1, 0]);
    assert_eq!(store.stored.len(), 2);
    assert_eq!(store.stored[0].0, ["<bob@example.org>", "<Postmaster>"]);
    assert_eq!(store.stored[0].1, normalized(&bodies[0]));
    assert_eq!(store.stored[1].0, ["<carol@example.org>"]);
    assert_eq!(store.stored[1].1, normalized(&bodies[1]));
}

#[test]
fn pipelined_data() {
    for seed in 1..6 {
        scenario(true, false, seed);
    }
}

#[test]
fn pipelined_bdat() {
    for seed in 1..6 {
        scenario(true, true, seed);
    }
}

#[test]
fn lockstep_data() {
    for seed in 1..4 {
        scenario(false, false, seed);
    }
}

#[test]
fn lockstep_bdat() {
    for seed in 1..4 {
        scenario(false, true, seed);
    }
}

#[test]
fn too_big_for_the_server() {
    let mut so = server::Options::default();
    so.max_message_size = 10_000;
    for chunking in [false, true] {
        so.chunking = chunking;
        let mut sender = Sender {
            messages: vec![
                (
                    Envelope::new(ReversePath::Null).to(ForwardPath::Postmaster),
                    message(50_000, 0),
                ),
                (
                    Envelope::new(ReversePath::Null).to(ForwardPath::Postmaster),
                    message(100, 0),
                ),
            ],
            current: None,
            chunk: 4096,
            results: Vec::new(),
            rejected: Vec::new(),
            tls: false,
            auth: false,
            ready: 0,
        };
        let mut co = client::Options::default();
        co.body_buffer = 4096;
        let store = run(so.clone(), co, &mut sender, 7);
        let Err(reply) = &sender.results[0] else {
            panic!("{:?}", sender.results)
        };
        assert_eq!(reply.code().get(), 552);
        assert!(sender.results[1].is_ok());
        assert_eq!(store.stored.len(), 1);
        assert_eq!(store.aborted, 1);
    }
}
