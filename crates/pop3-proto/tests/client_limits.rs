//! What a hostile or slow server can make the client hold or wait for: CAPA
//! and listing limits, the memory a listing takes, SASL challenge lines,
//! and the response timeout.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use pop3_proto::client::{Client, CloseReason, Event, Options};
use pop3_proto::{ClientError, UidListing};

struct Harness {
    client: Client,
    now: Instant,
}

impl Harness {
    /// A client greeted, logged in unless `login` is false.
    fn new(options: Options, login: bool) -> Self {
        let now = Instant::now();
        let mut h = Self {
            client: Client::new(options, now),
            now,
        };
        h.server("+OK POP3 server ready\r\n");
        if login {
            h.client.user("mrose").unwrap();
            h.server("+OK\r\n");
            h.client.pass(b"secret").unwrap();
            h.server("+OK Logged in.\r\n");
        }
        h.events();
        h.sent();
        h
    }

    fn server(&mut self, text: &str) {
        self.client.handle_input(text.as_bytes());
    }

    fn sent(&mut self) -> String {
        let mut buf = BytesMut::new();
        self.client.poll_transmit(&mut buf);
        String::from_utf8(buf.to_vec()).unwrap()
    }

    fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.client.poll_event()).collect()
    }

    fn closed(&mut self) -> Option<CloseReason> {
        self.events().into_iter().find_map(|e| match e {
            Event::Closed { reason } => Some(reason),
            _ => None,
        })
    }

    /// What a driver does when `poll_timeout` comes due.
    fn advance(&mut self, by: Duration) {
        self.now += by;
        if self.client.poll_timeout().is_some_and(|t| t <= self.now) {
            self.client.handle_timeout(self.now);
        }
    }
}

/// CAPA has a limit of its own, far below a listing's: RFC 2449 §5 bounds
/// each line at 512 octets but not their count, and no real server sends
/// more than a few dozen lines.
#[test]
fn capa_has_its_own_small_limit() {
    assert_eq!(Options::default().max_capabilities, 64);
    let mut h = Harness::new(Options::default(), false);
    h.client.capa().unwrap();
    let mut lines = String::from("+OK\r\n");
    for i in 0..64 {
        lines.push_str(&format!("X-CAP-{i} {}\r\n", "p".repeat(400)));
    }
    lines.push_str(".\r\n");
    h.server(&lines);
    let events = h.events();
    assert!(
        matches!(&events[..], [Event::CapabilitiesReceived { capabilities, .. }] if capabilities.len() == 64)
    );
    // Line 65 closes the session, malformed lines (skipped) counted too.
    h.client.capa().unwrap();
    h.server("+OK\r\n");
    for i in 0..64 {
        h.server(&format!(".bad{i}\r\n"));
    }
    assert!(!h.client.is_closed());
    h.server("TOP\r\n");
    assert!(h.client.is_closed());
    assert_eq!(h.closed(), Some(CloseReason::ListingTooLong));
    // A LIST is not held to CAPA's limit.
    let mut h = Harness::new(Options::default(), true);
    h.client.list(None).unwrap();
    let mut listing = String::from("+OK\r\n");
    for i in 1..=1000 {
        listing.push_str(&format!("{i} 120\r\n"));
    }
    listing.push_str(".\r\n");
    h.server(&listing);
    assert!(
        matches!(&h.events()[..], [Event::ListReceived { listings, .. }] if listings.len() == 1000)
    );
}

/// The entries' memory is bounded, not only their count: a UIDL listing of
/// 70-octet unique-ids (RFC 1939 §7's longest) closes the session once its
/// entries would take more than `max_listing_bytes`.
#[test]
fn a_listing_s_memory_is_bounded() {
    let mut options = Options::default();
    options.max_listing_bytes = 20_000;
    let cost = size_of::<UidListing>() + 70;
    let fits = 20_000 / cost;
    let mut h = Harness::new(options.clone(), true);
    h.client.uidl(None).unwrap();
    h.server("+OK\r\n");
    for i in 1..=fits {
        h.server(&format!("{i} {}\r\n", "u".repeat(70)));
    }
    assert!(!h.client.is_closed());
    h.server(&format!("{} {}\r\n", fits + 1, "u".repeat(70)));
    assert!(h.client.is_closed());
    assert_eq!(h.closed(), Some(CloseReason::ListingTooLong));
    // A listing that fits arrives whole.
    let mut h = Harness::new(options, true);
    h.client.uidl(None).unwrap();
    let mut listing = String::from("+OK\r\n");
    for i in 1..=fits {
        listing.push_str(&format!("{i} {}\r\n", "u".repeat(70)));
    }
    listing.push_str(".\r\n");
    h.server(&listing);
    assert!(
        matches!(&h.events()[..], [Event::UidlReceived { listings, .. }] if listings.len() == fits)
    );
    // CAPA's entries count against the same memory bound.
    let mut options = Options::default();
    options.max_listing_bytes = 4096;
    let mut h = Harness::new(options, false);
    h.client.capa().unwrap();
    h.server("+OK\r\n");
    let sasl = format!("SASL{}\r\n", " M".repeat(250));
    h.server(&sasl);
    assert_eq!(h.closed(), Some(CloseReason::ListingTooLong));
}

/// RFC 5034 §4 leaves a challenge's length open: while AUTH waits, the
/// client reads lines up to `max_challenge_line` (12 288 by default, not
/// the 512 of other responses) and closes on longer ones.
#[test]
fn challenge_lines_have_their_own_limit() {
    // 1 000 octets: read, and answered (PLAIN cancels a challenge it does
    // not expect).
    let mut h = Harness::new(Options::default(), false);
    h.client.auth_plain(None, "mrose", b"secret").unwrap();
    h.sent();
    h.server(&format!("+ {}\r\n", "QUFB".repeat(250)));
    assert_eq!(h.sent(), "*\r\n");
    h.server("-ERR Authentication aborted by client.\r\n");
    assert!(matches!(&h.events()[..], [Event::ErrReceived { .. }]));
    assert!(!h.client.is_closed());
    // 12 288 octets with CRLF is still read.
    h.client.auth_plain(None, "mrose", b"secret").unwrap();
    h.sent();
    h.server(&format!("+ {}\r\n", "QUFB".repeat(3071)));
    assert_eq!(h.sent(), "*\r\n");
    // Over the limit: the server broke the protocol.
    h.server("-ERR Authentication aborted by client.\r\n");
    h.events();
    h.client.auth_plain(None, "mrose", b"secret").unwrap();
    h.sent();
    h.server(&format!("+ {}", "QUFB".repeat(3072)));
    assert!(h.client.is_closed());
    assert_eq!(h.closed(), Some(CloseReason::ProtocolError));
    // Outside AUTH, responses keep RFC 1939 §3's 512 octets.
    let mut h = Harness::new(Options::default(), true);
    h.client.noop().unwrap();
    h.server(&format!("+OK {}\r\n", "x".repeat(600)));
    assert_eq!(h.closed(), Some(CloseReason::ProtocolError));
}

/// The response timeout runs from the last activity: a command issued five
/// minutes into an idle session times out ten minutes after it, not ten
/// minutes after the earlier deadline came round.
#[test]
fn the_timeout_runs_from_the_last_activity() {
    let mut h = Harness::new(Options::default(), true);
    let start = h.now;
    assert_eq!(h.client.poll_timeout(), None);
    h.advance(Duration::from_secs(300));
    h.client.noop().unwrap();
    h.advance(Duration::ZERO);
    let deadline = start + Duration::from_secs(300 + 600);
    assert_eq!(h.client.poll_timeout(), Some(deadline));
    h.advance(Duration::from_secs(599));
    assert!(!h.client.is_closed());
    h.advance(Duration::from_secs(1));
    assert_eq!(h.now, deadline);
    assert!(h.client.is_closed());
    assert_eq!(h.closed(), Some(CloseReason::TimedOut));
}

/// A name or password the encoder cannot write as it is is refused before
/// anything is sent, never sent altered (a TAB in a name used to go out as
/// `?`, a different name).
#[test]
fn arguments_the_encoder_refuses_are_api_errors() {
    let mut h = Harness::new(Options::default(), false);
    assert_eq!(h.client.user("a\tb"), Err(ClientError::InvalidArgument));
    assert_eq!(
        h.client.apop(
            "mr\x7fse",
            "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap()
        ),
        Err(ClientError::InvalidArgument)
    );
    assert_eq!(h.client.pass(b"nul\0"), Err(ClientError::InvalidArgument));
    assert_eq!(h.sent(), "");
    // The session is untouched: the next command goes out.
    h.client.user("mrose").unwrap();
    assert_eq!(h.sent(), "USER mrose\r\n");

    // Before the greeting, when commands wait to be sent, the same.
    let mut client = Client::new(Options::default(), Instant::now());
    assert_eq!(client.user("a\tb"), Err(ClientError::InvalidArgument));
    client.capa().unwrap();
    client.handle_input(b"+OK POP3 server ready\r\n");
    let mut out = BytesMut::new();
    client.poll_transmit(&mut out);
    assert_eq!(&out[..], b"CAPA\r\n");
}
