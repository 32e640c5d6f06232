//! A server machine driven byte for byte with a fake clock.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use imap_proto::server::{Event, Options, Server};
use imap_proto::types::Tag;

/// Options for tests on a plain connection that allow LOGIN, as a server on
/// localhost or behind implicit TLS would.
pub(crate) fn plaintext_options() -> Options {
    let mut options = Options::default();
    options.allow_plaintext_without_tls = true;
    options.starttls = false;
    options
}

/// A tag from a literal.
pub(crate) fn tag(s: &str) -> Tag<'static> {
    Tag::new(s.to_owned()).unwrap()
}

/// A server and its fake clock.
pub(crate) struct Harness {
    pub(crate) server: Server,
    pub(crate) now: Instant,
    pub(crate) events: Vec<Event>,
}

impl Harness {
    pub(crate) fn new(options: Options) -> Self {
        let now = Instant::now();
        Self {
            server: Server::new(options, now),
            now,
            events: Vec::new(),
        }
    }

    /// A harness past the greeting.
    pub(crate) fn greeted(options: Options) -> Self {
        let mut h = Self::new(options);
        h.output();
        h
    }

    /// A harness logged in as `fred`, its output and events drained.
    pub(crate) fn logged_in(options: Options) -> Self {
        let mut h = Self::greeted(options);
        h.send("l0 LOGIN fred secret\r\n");
        assert!(matches!(
            h.take_events().as_slice(),
            [Event::LoginRequested { .. }]
        ));
        h.server.login_succeeded().unwrap();
        h.output();
        h.events.clear();
        h
    }

    /// A harness with INBOX selected read-write.
    pub(crate) fn selected(options: Options) -> Self {
        let mut h = Self::logged_in(options);
        h.send("s0 SELECT INBOX\r\n");
        h.take_events();
        h.server.ok(&tag("s0")).unwrap();
        h.output();
        h.events.clear();
        h
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
        all
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

    /// The one command the application holds now.
    pub(crate) fn command(&mut self) -> imap_proto::types::Command<'static> {
        let events = self.take_events();
        let mut commands = events.into_iter().filter_map(|e| match e {
            Event::CommandReceived { command } => Some(command),
            _ => None,
        });
        let c = commands.next().expect("a command");
        assert!(commands.next().is_none());
        c
    }

    /// Time passes; the server hears of it.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.now += by;
        self.server.handle_timeout(self.now);
    }

    /// What a driver does after activity: `poll_timeout` says the deadline
    /// is due (an instant already past), and `handle_timeout` tells the
    /// server when the activity was.
    pub(crate) fn settle(&mut self) {
        if self
            .server
            .poll_timeout()
            .is_some_and(|deadline| deadline <= self.now)
        {
            self.server.handle_timeout(self.now);
        }
    }
}
