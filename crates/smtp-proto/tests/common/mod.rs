//! Helpers shared by the integration tests: a server driven byte for byte,
//! and an application behind it that answers as a small mail store would.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use smtp_proto::client::Envelope;
use smtp_proto::server::{Credentials, Event, Options, Server};
use smtp_proto::{ForwardPath, Mailbox, Reply, ReversePath};

/// The name the test server goes by.
pub(crate) const HOST: &str = "mx.example.org";

/// Options for tests: a name, plaintext AUTH allowed (as for a loopback
/// client), no STARTTLS unless a test turns it on.
pub(crate) fn options() -> Options {
    let mut o = Options::default();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    o.auth_without_tls = true;
    o.starttls = false;
    o
}

/// How the application answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answers {
    /// The test answers each event itself.
    Manual,
    /// Accept senders; accept recipients unless their local part starts
    /// with `unknown` (`550 5.1.1`) or their domain is not `example.org`
    /// (`554 5.7.1`); store every message; accept the password `secret`;
    /// finish TLS handshakes.
    Auto,
}

/// A server, its fake clock, and the events it produced.
pub(crate) struct Harness {
    pub(crate) server: Server,
    pub(crate) now: Instant,
    pub(crate) events: Vec<Event>,
    pub(crate) answers: Answers,
    /// The bodies of stored messages.
    pub(crate) stored: Vec<Vec<u8>>,
    body: Vec<u8>,
    /// Output not yet taken by `output`.
    unread: Vec<u8>,
}

impl Harness {
    pub(crate) fn new(options: Options, answers: Answers) -> Self {
        let now = Instant::now();
        Self {
            server: Server::new(options, now),
            now,
            events: Vec::new(),
            answers,
            stored: Vec::new(),
            body: Vec::new(),
            unread: Vec::new(),
        }
    }

    /// A harness past the greeting and EHLO.
    pub(crate) fn ready(options: Options, answers: Answers) -> Self {
        let mut h = Self::new(options, answers);
        assert!(h.output().starts_with("220 "));
        let ehlo = h.send("EHLO client.example.net\r\n");
        assert!(ehlo.starts_with("250-mx.example.org\r\n"), "{ehlo}");
        h.events.clear();
        h
    }

    /// Everything the server has to send now, as text, with events
    /// answered (in `Auto`) and recorded.
    pub(crate) fn output(&mut self) -> String {
        String::from_utf8(self.output_bytes()).unwrap()
    }

    pub(crate) fn output_bytes(&mut self) -> Vec<u8> {
        self.pump();
        std::mem::take(&mut self.unread)
    }

    /// Drains the server: output into `unread`, events answered and kept.
    fn pump(&mut self) {
        let mut buf = BytesMut::new();
        loop {
            let mut moved = false;
            while self.server.poll_transmit(&mut buf) > 0 {
                self.unread.extend_from_slice(&buf);
                buf.clear();
                moved = true;
            }
            while let Some(event) = self.server.poll_event() {
                moved = true;
                self.answer(&event);
                self.events.push(event);
            }
            if !moved {
                return;
            }
        }
    }

    fn answer(&mut self, event: &Event) {
        if let Event::BodyChunkReceived { data, .. } = event {
            self.body.extend_from_slice(data);
        }
        if let Event::TransactionAborted { .. } = event {
            self.body.clear();
        }
        if self.answers == Answers::Manual {
            return;
        }
        let s = &mut self.server;
        let result = match event {
            Event::MailRequested { txn, .. } => s.accept_mail(*txn),
            Event::RcptRequested { id, to, .. } => match to {
                ForwardPath::Mailbox(m) if m.local_part().starts_with("unknown") => {
                    s.reject_rcpt(*id, Reply::USER_UNKNOWN)
                }
                ForwardPath::Mailbox(m) if !m.domain().eq_ignore_ascii_case("example.org") => {
                    s.reject_rcpt(*id, Reply::RELAY_DENIED)
                }
                _ => s.accept_rcpt(*id),
            },
            Event::MessageReceived { txn, .. } => {
                self.stored.push(std::mem::take(&mut self.body));
                s.message_stored(*txn, Ok(()))
            }
            Event::AuthRequested { credentials } => match credentials {
                Credentials::Plain { password, .. } | Credentials::Login { password, .. }
                    if password.expose() == b"secret" =>
                {
                    s.auth_succeeded()
                }
                _ => s.auth_failed(Reply::AUTH_INVALID_CREDENTIALS),
            },
            Event::VrfyRequested { .. } => s.vrfy_answered(Reply::OK),
            Event::TlsRequested => s.tls_established(),
            _ => Ok(()),
        };
        result.unwrap();
    }

    /// Feeds `input` and returns what the server sends back.
    pub(crate) fn send(&mut self, input: &str) -> String {
        self.server.handle_input(input.as_bytes());
        self.output()
    }

    /// Feeds `input`; the output stays for `output`.
    pub(crate) fn feed(&mut self, input: &str) {
        self.server.handle_input(input.as_bytes());
        self.pump();
    }

    pub(crate) fn send_bytes(&mut self, input: &[u8]) -> String {
        self.server.handle_input(input);
        self.output()
    }

    /// The events so far (but HelloReceived), taken; the output stays for
    /// `output`.
    pub(crate) fn take_events(&mut self) -> Vec<Event> {
        self.pump();
        std::mem::take(&mut self.events)
            .into_iter()
            .filter(|e| !matches!(e, Event::HelloReceived { .. }))
            .collect()
    }

    /// Sends the last of a body with the application answering by hand
    /// from now on; returns the transaction and recipients of the
    /// `MessageReceived` that waits for its answer.
    pub(crate) fn message_waiting(
        &mut self,
        body_end: &str,
    ) -> (smtp_proto::server::TxnId, Vec<smtp_proto::server::RcptId>) {
        self.answers = Answers::Manual;
        self.events.clear();
        self.send(body_end);
        let events = self.take_events();
        let Some(Event::MessageReceived {
            txn, recipients, ..
        }) = events.last()
        else {
            panic!("{events:?}")
        };
        (*txn, recipients.clone())
    }

    pub(crate) fn advance(&mut self, by: Duration) -> String {
        self.now += by;
        self.server.handle_timeout(self.now);
        self.output()
    }
}

/// The reply codes in `output`, one per reply (continuation lines
/// skipped).
pub(crate) fn codes(output: &str) -> Vec<u16> {
    output
        .split("\r\n")
        .filter(|l| l.len() >= 4 && l.as_bytes()[3] == b' ' || l.len() == 3)
        .map(|l| l[..3].parse().unwrap())
        .collect()
}

/// A client, its fake clock, and the events it produced.
pub(crate) struct ClientHarness {
    pub(crate) client: smtp_proto::client::Client,
    pub(crate) now: Instant,
    pub(crate) events: Vec<smtp_proto::client::Event>,
}

impl ClientHarness {
    pub(crate) fn new(options: smtp_proto::client::Options) -> Self {
        let now = Instant::now();
        Self {
            client: smtp_proto::client::Client::new(options, now),
            now,
            events: Vec::new(),
        }
    }

    /// What the client sends now, as text (lossy for binary bodies).
    pub(crate) fn output(&mut self) -> String {
        String::from_utf8_lossy(&self.output_bytes()).into_owned()
    }

    pub(crate) fn output_bytes(&mut self) -> Vec<u8> {
        let mut buf = BytesMut::new();
        self.client.poll_transmit(&mut buf);
        while let Some(e) = self.client.poll_event() {
            self.events.push(e);
        }
        buf.to_vec()
    }

    /// Feeds what the server says; returns what the client sends back.
    pub(crate) fn feed(&mut self, input: &str) -> String {
        self.client.handle_input(input.as_bytes());
        self.output()
    }

    /// The events so far, taken; the output stays.
    pub(crate) fn take_events(&mut self) -> Vec<smtp_proto::client::Event> {
        while let Some(e) = self.client.poll_event() {
            self.events.push(e);
        }
        std::mem::take(&mut self.events)
    }
}

pub(crate) fn envelope(from: &str, to: &[&str]) -> Envelope<'static> {
    to.iter().fold(
        Envelope::new(ReversePath::Mailbox(
            Mailbox::try_from(from.to_owned()).unwrap(),
        )),
        |e, t| {
            e.to(ForwardPath::Mailbox(
                Mailbox::try_from((*t).to_owned()).unwrap(),
            ))
        },
    )
}

/// A client greeted by a server with these EHLO keywords, its events
/// taken.
pub(crate) fn ready(keywords: &[&str], options: smtp_proto::client::Options) -> ClientHarness {
    let mut c = ClientHarness::new(options);
    assert_eq!(c.feed("220 mx.example.org ESMTP\r\n"), "EHLO localhost\r\n");
    let mut ehlo = String::from("250");
    ehlo.push(if keywords.is_empty() { ' ' } else { '-' });
    ehlo.push_str("mx.example.org\r\n");
    for (i, k) in keywords.iter().enumerate() {
        let sep = if i + 1 == keywords.len() { ' ' } else { '-' };
        ehlo.push_str(&format!("250{sep}{k}\r\n"));
    }
    c.feed(&ehlo);
    assert_eq!(c.client.state(), smtp_proto::client::State::Ready);
    c.take_events();
    c
}
