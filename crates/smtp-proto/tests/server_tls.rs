//! The server's STARTTLS (RFC 3207): the `220` leaves before the driver is
//! told to start TLS, even when replies are held past the soft error limit,
//! and a handshake that never ends times out.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use bytes::BytesMut;
use common::{Answers, Harness, options};
use smtp_proto::server::{CloseReason, Event, Options, State};

/// What the server says and does, in order: each output as `>` text, each
/// event by name.
fn transcript(h: &mut Harness, log: &mut Vec<String>) {
    let mut out = BytesMut::new();
    loop {
        let mut moved = false;
        while h.server.poll_transmit(&mut out) > 0 {
            log.push(format!("> {}", String::from_utf8_lossy(&out)));
            out.clear();
            moved = true;
        }
        while let Some(event) = h.server.poll_event() {
            moved = true;
            log.push(match &event {
                Event::TlsRequested => "TlsRequested".to_owned(),
                Event::CommandRejected { .. } => "CommandRejected".to_owned(),
                other => format!("{other:?}"),
            });
        }
        if !moved {
            return;
        }
    }
}

fn tls_options() -> Options {
    let mut o = options();
    o.starttls = true;
    o
}

#[test]
fn starttls_past_the_soft_error_limit_sends_220_before_tls_requested() {
    // The review's case, with the default limits: EHLO, ten unknown
    // commands (the soft limit, Postfix's smtpd_soft_error_limit = 10), then
    // STARTTLS, whose 220 is held for smtpd_error_sleep_time.
    let mut h = Harness::ready(tls_options(), Answers::Manual);
    let mut log = Vec::new();
    for _ in 0..10 {
        h.server.handle_input(b"FROB\r\n");
        transcript(&mut h, &mut log);
    }
    assert_eq!(log.len(), 20);
    log.clear();
    h.server.handle_input(b"STARTTLS\r\n");
    transcript(&mut h, &mut log);
    // Held: nothing goes, and the driver is not told to start TLS (it would
    // then write the 220 inside TLS).
    assert!(log.is_empty(), "{log:?}");
    assert_eq!(h.server.poll_transmit(&mut BytesMut::new()), 0);
    assert_eq!(h.server.state(), State::TlsHandshake);
    assert!(!h.server.wants_read());
    assert_eq!(
        h.server.tls_established(),
        Err(smtp_proto::ServerError::NoTlsPending)
    );
    // The delay runs; then the 220 leaves, and only then TlsRequested.
    h.now += Duration::ZERO;
    h.server.handle_timeout(h.now);
    transcript(&mut h, &mut log);
    assert!(log.is_empty(), "{log:?}");
    h.now += Duration::from_secs(1);
    h.server.handle_timeout(h.now);
    transcript(&mut h, &mut log);
    assert_eq!(
        log,
        ["> 220 2.0.0 Ready to start TLS\r\n", "TlsRequested"],
        "the 220 in plaintext, then the handshake"
    );
    h.server.tls_established().unwrap();
    assert!(h.server.is_tls());
    assert_eq!(h.server.state(), State::Connected);
}

#[test]
fn starttls_without_a_hold_still_orders_220_before_the_event() {
    let mut h = Harness::ready(tls_options(), Answers::Manual);
    let mut log = Vec::new();
    h.server.handle_input(b"STARTTLS\r\n");
    // Events alone, before the output is drained: none yet.
    assert!(h.server.poll_event().is_none());
    transcript(&mut h, &mut log);
    assert_eq!(log, ["> 220 2.0.0 Ready to start TLS\r\n", "TlsRequested"]);
}

#[test]
fn a_tls_handshake_that_never_ends_times_out() {
    // Postfix's smtpd_starttls_timeout: 300 s.
    let mut h = Harness::ready(tls_options(), Answers::Manual);
    h.send("STARTTLS\r\n");
    assert!(matches!(h.take_events()[..], [Event::TlsRequested]));
    let five = Duration::from_secs(300);
    assert_eq!(h.server.poll_timeout(), Some(h.now + five));
    assert_eq!(h.advance(five - Duration::from_secs(1)), "");
    assert!(!h.server.is_closed());
    // No 421: the peer expects TLS records now, not plaintext.
    assert_eq!(h.advance(Duration::from_secs(1)), "");
    assert!(h.server.is_closed());
    assert!(matches!(
        h.take_events()[..],
        [Event::Closed {
            reason: CloseReason::TlsHandshakeTimedOut
        }]
    ));
    assert_eq!(h.server.poll_timeout(), None);

    // A shorter limit by option; once TLS is up, the command timeout is
    // back.
    let mut o = tls_options();
    o.tls_handshake_timeout = Duration::from_secs(10);
    let mut h = Harness::ready(o, Answers::Manual);
    h.send("STARTTLS\r\n");
    h.take_events();
    assert_eq!(
        h.server.poll_timeout(),
        Some(h.now + Duration::from_secs(10))
    );
    h.server.tls_established().unwrap();
    assert_eq!(
        h.server.poll_timeout(),
        Some(h.now + Duration::from_secs(300))
    );
}

#[test]
fn shutdown_during_the_handshake_sends_no_plaintext() {
    let mut h = Harness::ready(tls_options(), Answers::Manual);
    h.send("STARTTLS\r\n");
    h.take_events();
    h.server.shutdown();
    assert_eq!(h.output(), "");
    assert!(h.server.is_closed());
}
