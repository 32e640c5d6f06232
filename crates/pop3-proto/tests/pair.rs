//! A client and a server joined in memory, driven to idle with a fake clock,
//! the bytes between them cut into pseudo-random pieces.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use pop3_proto::client::{self, Client};
use pop3_proto::server::{
    self, BodyDemand, Credentials, LoginFailure, Maildrop, MaildropEntry, Server,
};
use pop3_proto::{ApopDigest, MessageNumber, UniqueId};

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

/// The application behind the server: one user, a maildrop, a record of
/// what was expunged.
struct Store {
    messages: Vec<Bytes>,
    expunged: Option<Vec<MessageNumber>>,
    /// Hand bodies over in chunks of this size, paced by `body_demand`.
    chunk: usize,
    logins: usize,
    /// Bodies being streamed: message index and offset.
    streaming: Option<(usize, usize)>,
}

impl Store {
    fn new(messages: Vec<Bytes>, chunk: usize) -> Self {
        Self {
            messages,
            expunged: None,
            chunk,
            logins: 0,
            streaming: None,
        }
    }

    fn maildrop(&self) -> Maildrop {
        self.messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                MaildropEntry::new(
                    m.len() as u64,
                    UniqueId::try_from(format!("<{i}@uid>")).unwrap(),
                )
            })
            .collect()
    }

    fn answer(&mut self, server: &mut Server, event: server::Event) {
        match event {
            server::Event::LoginRequested { credentials } => {
                let ok = match credentials {
                    Credentials::User { user, password } => {
                        user == "alice" && password.expose() == b"open sesame"
                    }
                    Credentials::Plain {
                        authcid, password, ..
                    } => authcid == "alice" && password.expose() == b"open sesame",
                    Credentials::Apop {
                        user,
                        digest,
                        timestamp,
                    } => {
                        // MD5(timestamp + "tanstaaf") for RFC 1939's
                        // timestamp; the application would compute it.
                        assert_eq!(timestamp.as_str(), "<1896.697170952@dbc.mtview.ca.us>");
                        let expected: ApopDigest =
                            "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap();
                        user == "mrose" && digest.matches(expected.octets())
                    }
                    _ => false,
                };
                if ok {
                    self.logins += 1;
                    server.login_succeeded(self.maildrop()).unwrap();
                } else {
                    server
                        .login_failed(LoginFailure::InvalidCredentials)
                        .unwrap();
                }
            }
            server::Event::BodyRequested { message, .. } => {
                self.streaming = Some((message.index(), 0));
                self.feed(server);
            }
            server::Event::UpdateRequested { deleted } => {
                self.expunged = Some(deleted);
                server.update_succeeded().unwrap();
            }
            _ => {}
        }
    }

    /// Hands over body chunks as far as the server wants them.
    fn feed(&mut self, server: &mut Server) {
        while let Some((index, offset)) = self.streaming {
            match server.body_demand() {
                Some(BodyDemand::More) => {
                    let body = &self.messages[index];
                    if offset == body.len() {
                        server.body_end().unwrap();
                        self.streaming = None;
                    } else {
                        let end = (offset + self.chunk).min(body.len());
                        server.body_chunk(body.slice(offset..end)).unwrap();
                        self.streaming = Some((index, end));
                    }
                }
                Some(BodyDemand::Enough) => {
                    server.body_end().unwrap();
                    self.streaming = None;
                }
                Some(BodyDemand::Full) => return,
                None => {
                    self.streaming = None;
                }
            }
        }
    }
}

/// Both ends, the wire between them, and a clock.
struct Pair {
    client: Client,
    server: Server,
    store: Store,
    rng: Rng,
    now: Instant,
    to_client: Vec<u8>,
    to_server: Vec<u8>,
    client_events: Vec<client::Event>,
}

impl Pair {
    fn new(
        server_options: server::Options,
        client_options: client::Options,
        store: Store,
        seed: u64,
    ) -> Self {
        let now = Instant::now();
        Self {
            client: Client::new(client_options, now),
            server: Server::new(server_options, now),
            store,
            rng: Rng(seed | 1),
            now,
            to_client: Vec::new(),
            to_server: Vec::new(),
            client_events: Vec::new(),
        }
    }

    /// Moves bytes and events until nothing moves.
    fn run(&mut self) {
        let mut buf = BytesMut::new();
        loop {
            let mut moved = false;
            while self.server.poll_transmit(&mut buf) > 0 {
                self.to_client.extend_from_slice(&buf);
                buf.clear();
                moved = true;
            }
            while let Some(event) = self.server.poll_event() {
                self.store.answer(&mut self.server, event);
                moved = true;
            }
            self.store.feed(&mut self.server);
            while self.client.poll_transmit(&mut buf) > 0 {
                self.to_server.extend_from_slice(&buf);
                buf.clear();
                moved = true;
            }
            // Deliver a random piece each way.
            if !self.to_client.is_empty() {
                let n = 1 + self.rng.below(self.to_client.len().min(3000));
                let piece: Vec<u8> = self.to_client.drain(..n).collect();
                self.client.handle_input(&piece);
                moved = true;
            }
            if !self.to_server.is_empty() && self.server.wants_read() {
                let n = 1 + self.rng.below(self.to_server.len().min(40));
                let piece: Vec<u8> = self.to_server.drain(..n).collect();
                self.server.handle_input(&piece);
                moved = true;
            }
            while let Some(event) = self.client.poll_event() {
                self.client_events.push(event);
                moved = true;
            }
            // A deadline due (at once, after activity) is passed on, as a
            // driver's timer would.
            if self.server.poll_timeout().is_some_and(|t| t <= self.now) {
                self.server.handle_timeout(self.now);
            }
            if self.client.poll_timeout().is_some_and(|t| t <= self.now) {
                self.client.handle_timeout(self.now);
            }
            if !moved {
                break;
            }
        }
    }

    fn advance(&mut self, by: Duration) {
        self.now += by;
        self.server.handle_timeout(self.now);
        self.client.handle_timeout(self.now);
        self.run();
    }

    fn take_events(&mut self) -> Vec<client::Event> {
        std::mem::take(&mut self.client_events)
    }
}

/// Messages with the awkward cases: dot lines first and last, a bare dot
/// line, no final CRLF, empty.
fn messages() -> Vec<Bytes> {
    let mut big = Vec::new();
    for i in 0..20_000 {
        if i % 97 == 0 {
            big.extend_from_slice(b".");
        }
        big.extend_from_slice(format!("line {i} of a long message\r\n").as_bytes());
    }
    vec![
        Bytes::from_static(b"Subject: one\r\n\r\nHello.\r\n"),
        Bytes::from_static(b".Subject: dot first\r\n\r\n.\r\n..\r\n.last\r\n"),
        Bytes::from(big),
        Bytes::from_static(b""),
        Bytes::from_static(b"Subject: no final line end\r\n\r\nabc"),
    ]
}

fn plain_server() -> server::Options {
    let mut o = server::Options::default();
    o.allow_plaintext_without_tls = true;
    o.stls = false;
    o
}

/// CAPA, a pipelined login, UIDL, LIST, every message retrieved, some
/// deleted, QUIT: the store expunges exactly those, and every body arrives
/// as it was.
#[test]
fn a_whole_session_in_random_pieces() {
    for seed in 1..=12u64 {
        let store = Store::new(messages(), 1 + (seed as usize * 777) % 9000);
        let mut p = Pair::new(plain_server(), client::Options::default(), store, seed);
        p.run();
        p.client.capa().unwrap();
        p.run();
        assert!(p.client.is_pipelining());
        p.client.user("alice").unwrap();
        p.client.pass(b"open sesame").unwrap();
        p.client.uidl(None).unwrap();
        p.client.list(None).unwrap();
        let mut retrs = Vec::new();
        for i in 1..=5 {
            retrs.push(p.client.retr(MessageNumber::new(i).unwrap()).unwrap());
        }
        p.client.dele(MessageNumber::new(2).unwrap()).unwrap();
        p.client.dele(MessageNumber::new(4).unwrap()).unwrap();
        p.client.stat().unwrap();
        p.client.quit().unwrap();
        p.run();
        let mut bodies = vec![Vec::new(); 5];
        let mut ended = BTreeSet::new();
        let mut stat = None;
        let mut uids = 0;
        for event in p.take_events() {
            match event {
                client::Event::BodyChunkReceived { id, data } => {
                    let i = retrs.iter().position(|r| *r == id).unwrap();
                    bodies[i].extend_from_slice(&data);
                }
                client::Event::BodyEnded { id } => {
                    ended.insert(id);
                }
                client::Event::StatReceived { listing, .. } => stat = Some(listing),
                client::Event::UidlReceived { listings, .. } => uids = listings.len(),
                client::Event::ErrReceived { text, .. } => panic!("seed {seed}: -ERR {text}"),
                _ => {}
            }
        }
        assert_eq!(uids, 5);
        assert_eq!(ended.len(), 5, "seed {seed}");
        for (got, want) in bodies.iter().zip(messages()) {
            // The server adds the CRLF a body lacks before the terminator.
            let mut want = want.to_vec();
            if !want.is_empty() && !want.ends_with(b"\r\n") {
                want.extend_from_slice(b"\r\n");
            }
            assert_eq!(got, &want, "seed {seed}");
        }
        let sizes: Vec<u64> = messages().iter().map(|m| m.len() as u64).collect();
        assert_eq!(
            stat,
            Some(pop3_proto::DropListing {
                count: 3,
                size: sizes[0] + sizes[2] + sizes[4]
            })
        );
        assert_eq!(
            p.store.expunged,
            Some(vec![
                MessageNumber::new(2).unwrap(),
                MessageNumber::new(4).unwrap()
            ])
        );
        assert!(p.client.is_closed() && p.server.is_closed());
    }
}

/// STLS, then AUTH PLAIN (TLS itself is the driver's; here both sides just
/// carry on, as they would over the TLS stream).
#[test]
fn stls_then_auth_plain() {
    let store = Store::new(messages(), 4096);
    let mut p = Pair::new(
        server::Options::default(),
        client::Options::default(),
        store,
        7,
    );
    p.run();
    p.client.stls().unwrap();
    p.run();
    assert!(p.client.is_tls() && p.server.is_tls());
    assert!(
        p.take_events()
            .iter()
            .any(|e| matches!(e, client::Event::TlsRequested { .. }))
    );
    p.client.capa().unwrap();
    p.run();
    let caps = p.client.capabilities().unwrap().to_vec();
    assert!(caps.contains(&pop3_proto::Capability::Sasl(vec![
        pop3_proto::Mechanism::PLAIN
    ])));
    assert!(!caps.contains(&pop3_proto::Capability::Stls));
    p.client.auth_plain(None, "alice", b"open sesame").unwrap();
    p.client.top(MessageNumber::new(3).unwrap(), 2).unwrap();
    p.run();
    let mut body = Vec::new();
    for e in p.take_events() {
        if let client::Event::BodyChunkReceived { data, .. } = e {
            body.extend_from_slice(&data);
        }
    }
    // The long message has no header block: every line is "header", so TOP
    // sends it whole up to its first blank line, which it lacks.
    assert_eq!(body.len(), messages()[2].len());
    assert_eq!(p.client.state(), client::State::Transaction);
}

/// APOP with the greeting's timestamp, injected by the application.
#[test]
fn apop_login() {
    let store = Store::new(messages(), 100);
    let now = Instant::now();
    let mut p = Pair::new(plain_server(), client::Options::default(), store, 3);
    p.server = Server::with_apop(
        plain_server(),
        "<1896.697170952@dbc.mtview.ca.us>".try_into().unwrap(),
        now,
    );
    p.run();
    let ts = p.client.apop_timestamp().unwrap().clone();
    assert_eq!(ts.as_str(), "<1896.697170952@dbc.mtview.ca.us>");
    // MD5(ts.digest_input(b"tanstaaf")), RFC 1939 §7.
    let digest: ApopDigest = "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap();
    p.client.apop("mrose", digest).unwrap();
    p.run();
    assert!(
        p.take_events()
            .iter()
            .any(|e| matches!(e, client::Event::LoggedIn { .. }))
    );
    assert_eq!(p.store.logins, 1);
}

/// The fake clock: an idle client is logged out after ten minutes, deletes
/// nothing, and sees the server's parting `-ERR`.
#[test]
fn autologout_with_a_fake_clock() {
    let store = Store::new(messages(), 100);
    let mut p = Pair::new(plain_server(), client::Options::default(), store, 5);
    p.run();
    p.client.user("alice").unwrap();
    p.client.pass(b"open sesame").unwrap();
    p.client.dele(MessageNumber::MIN).unwrap();
    p.run();
    p.take_events();
    // Keep-alives hold the session open.
    for _ in 0..5 {
        p.advance(Duration::from_secs(540));
        p.client.noop().unwrap();
        p.run();
    }
    assert!(!p.server.is_closed());
    // Ten minutes after the last keep-alive, to the second.
    p.advance(Duration::from_secs(599));
    assert!(!p.server.is_closed());
    p.advance(Duration::from_secs(1));
    assert!(p.server.is_closed());
    assert!(p.client.is_closed());
    assert!(matches!(
        p.take_events().last(),
        Some(client::Event::Closed {
            reason: client::CloseReason::ServerClosed
        })
    ));
    assert_eq!(p.store.expunged, None);
}

/// A wrong password, then the right one.
#[test]
fn a_failed_login_then_a_good_one() {
    let store = Store::new(messages(), 100);
    let mut p = Pair::new(plain_server(), client::Options::default(), store, 9);
    p.run();
    p.client.user("alice").unwrap();
    p.client.pass(b"wrong").unwrap();
    p.run();
    let events = p.take_events();
    assert!(matches!(
        events.last(),
        Some(client::Event::ErrReceived { code: Some(code), .. }) if *code == pop3_proto::ResponseCode::AUTH
    ));
    assert_eq!(p.client.state(), client::State::Authorization);
    p.client.user("alice").unwrap();
    p.client.pass(b"open sesame").unwrap();
    p.run();
    assert_eq!(p.client.state(), client::State::Transaction);
    assert_eq!(p.server.state(), server::State::Transaction);
}
