//! Helpers shared by the integration tests: a server driven byte for byte.

#![allow(dead_code, reason = "each test binary uses a different subset")]
#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use pop3_proto::UniqueId;
use pop3_proto::server::{CloseReason, Event, Maildrop, MaildropEntry, Options, Server};

/// Options for tests on a plain connection that allow USER/PASS, as a
/// server on localhost or behind implicit TLS would.
pub(crate) fn plaintext_options() -> Options {
    let mut options = Options::default();
    options.allow_plaintext_without_tls = true;
    options.stls = false;
    options
}

/// A server and its fake clock.
pub(crate) struct ServerHarness {
    pub(crate) server: Server,
    pub(crate) now: Instant,
    pub(crate) events: Vec<Event>,
}

impl ServerHarness {
    pub(crate) fn new(options: Options) -> Self {
        let now = Instant::now();
        Self {
            server: Server::new(options, now),
            now,
            events: Vec::new(),
        }
    }

    pub(crate) fn with_apop(options: Options, timestamp: &str) -> Self {
        let now = Instant::now();
        Self {
            server: Server::with_apop(options, timestamp.try_into().unwrap(), now),
            now,
            events: Vec::new(),
        }
    }

    /// Everything the server has to send now, as text.
    pub(crate) fn output(&mut self) -> String {
        String::from_utf8(self.output_bytes()).unwrap()
    }

    pub(crate) fn output_bytes(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        let mut buf = BytesMut::new();
        loop {
            let n = self.server.poll_transmit(&mut buf);
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf);
            buf.clear();
        }
        while let Some(e) = self.server.poll_event() {
            self.events.push(e);
        }
        self.stamp();
        all
    }

    /// What a driver does when `poll_timeout` comes due: after activity it
    /// is due at once, and this tells the server when the activity was.
    pub(crate) fn stamp(&mut self) {
        if self.server.poll_timeout().is_some_and(|t| t <= self.now) {
            self.server.handle_timeout(self.now);
        }
    }

    /// Feeds `input` and returns what the server sends back.
    pub(crate) fn send(&mut self, input: &str) -> String {
        self.server.handle_input(input.as_bytes());
        self.output()
    }

    /// The events so far, taken.
    pub(crate) fn take_events(&mut self) -> Vec<Event> {
        self.output_bytes();
        std::mem::take(&mut self.events)
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.now += by;
        self.server.handle_timeout(self.now);
    }
}

/// A session logged in with USER/PASS to a maildrop of these sizes.
pub(crate) fn logged_in_with(options: Options, sizes: &[u64]) -> ServerHarness {
    let mut h = ServerHarness::new(options);
    h.output();
    h.send("USER mrose\r\nPASS secret\r\n");
    h.take_events();
    h.server.login_succeeded(maildrop(sizes)).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    h
}

/// [`logged_in_with`] the plaintext options.
pub(crate) fn logged_in(sizes: &[u64]) -> ServerHarness {
    logged_in_with(plaintext_options(), sizes)
}

/// Why the session closed, if it did.
pub(crate) fn closed_reason(events: &[Event]) -> Option<CloseReason> {
    events.iter().find_map(|e| match e {
        Event::Closed { reason } => Some(*reason),
        _ => None,
    })
}

/// A listing of messages with these sizes, unique-ids `uid1`, `uid2`, ...
pub(crate) fn maildrop(sizes: &[u64]) -> Maildrop {
    sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            MaildropEntry::new(size, UniqueId::try_from(format!("uid{}", i + 1)).unwrap())
        })
        .collect()
}

/// A message of exactly `size` octets, CRLF lines of text.
pub(crate) fn message(size: usize) -> Bytes {
    let mut m = b"From: alice@example.org\r\nSubject: test\r\n\r\n".to_vec();
    let mut i = 0u32;
    while m.len() < size {
        m.extend_from_slice(format!("line {i} of the body, with some text.\r\n").as_bytes());
        i += 1;
    }
    m.truncate(size);
    if size >= 2 {
        m[size - 2] = b'\r';
        m[size - 1] = b'\n';
    }
    Bytes::from(m)
}
