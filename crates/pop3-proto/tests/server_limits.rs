//! The server's limits and how sessions end: bad-command counts, input
//! floods while the application decides, the autologout timer, over-long
//! SASL lines, and sessions that end without QUIT.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use common::plaintext_options;
use common::{ServerHarness, closed_reason, logged_in, logged_in_with, maildrop, message};
use pop3_proto::MessageNumber;
use pop3_proto::server::{BodyDemand, BodyFailure, CloseReason, Credentials, Event, Options};

fn has_update(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, Event::UpdateRequested { .. }))
}

/// Dovecot's pop3-login (src/pop3-login/client.c) closes when
/// `++bad_counter >= CLIENT_MAX_BAD_COMMANDS` (3), after the bad command's
/// own reply, with `-ERR Too many invalid bad commands.`
#[test]
fn three_bad_commands_before_login_close_the_session() {
    let mut h = ServerHarness::new(Options::default());
    h.output();
    assert_eq!(h.send("XTND\r\n"), "-ERR Unknown command.\r\n");
    assert_eq!(h.send("STAT\r\n"), "-ERR Unknown command.\r\n");
    // A good command starts the count again.
    assert_eq!(h.send("CAPA\r\n").lines().next(), Some("+OK"));
    assert_eq!(
        h.send("FOO\r\nBAR\r\n"),
        "-ERR Unknown command.\r\n-ERR Unknown command.\r\n"
    );
    assert!(!h.server.is_closed());
    assert_eq!(
        h.send("BAZ\r\nNOOP\r\n"),
        "-ERR Unknown command.\r\n-ERR Too many invalid bad commands.\r\n"
    );
    assert!(h.server.is_closed());
    assert_eq!(
        closed_reason(&h.take_events()),
        Some(CloseReason::TooManyBadCommands)
    );
    assert_eq!(h.send("NOOP\r\n"), "");
}

/// Dovecot's pop3 (src/pop3/pop3-client.c) closes when
/// `++bad_counter > CLIENT_MAX_BAD_COMMANDS` (20): the 20th bad command in a
/// row is still answered, the 21st closes. A failed message lookup counts.
#[test]
fn the_twenty_first_bad_command_after_login_closes_the_session() {
    let mut h = logged_in(&[1]);
    for _ in 0..19 {
        assert_eq!(h.send("RETR 9\r\n"), "-ERR There's no message 9.\r\n");
    }
    assert_eq!(h.send("FROB\r\n"), "-ERR Unknown command: FROB\r\n");
    assert!(!h.server.is_closed());
    // A good command starts the count again.
    assert_eq!(h.send("NOOP\r\n"), "+OK\r\n");
    for _ in 0..20 {
        assert_eq!(h.send("DELE 0\r\n"), "-ERR There's no message 0.\r\n");
    }
    assert!(!h.server.is_closed());
    assert_eq!(
        h.send("FROB\r\n"),
        "-ERR Unknown command: FROB\r\n-ERR Too many bad commands.\r\n"
    );
    assert!(h.server.is_closed());
    let events = h.take_events();
    assert_eq!(
        closed_reason(&events),
        Some(CloseReason::TooManyBadCommands)
    );
    // Closing this way is not QUIT: nothing is expunged.
    assert!(!has_update(&events));
}

/// While a decision is pending the server reads ahead only so far: then
/// `wants_read` turns false, and the backlog is answered after the decision.
#[test]
fn pipelined_input_is_bounded() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER a\r\nPASS b\r\n");
    assert!(h.server.wants_read());
    let noops = "NOOP\r\n".repeat(1000);
    let mut sent = 0;
    while h.server.wants_read() {
        h.server.handle_input(noops.as_bytes());
        sent += noops.len();
    }
    assert!((64 * 1024..64 * 1024 + 6000).contains(&sent), "{sent}");
    // Decide, and the backlog is answered.
    h.take_events();
    h.server.login_succeeded(maildrop(&[])).unwrap();
    let out = h.output();
    assert_eq!(out.matches("+OK\r\n").count(), sent / 6);
    assert!(h.server.wants_read());
    assert!(!h.server.is_closed());
}

/// A driver that feeds input regardless of `wants_read` while a login is
/// pending cannot tear the login down: input beyond twice the bound is
/// dropped, `login_succeeded` succeeds, the commands kept are answered, and
/// only then does the session close.
#[test]
fn a_flood_during_a_login_decision_leaves_the_decision_standing() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER a\r\nPASS b\r\n");
    let noops = "NOOP\r\n".repeat(1000);
    for _ in 0..30 {
        h.server.handle_input(noops.as_bytes());
    }
    assert!(!h.server.is_closed());
    assert!(!h.server.wants_read());
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::LoginRequested { .. }]),
        "{events:?}"
    );
    h.server.login_succeeded(maildrop(&[])).unwrap();
    // 128 KiB kept: 21 845 whole NOOPs, and the start of one more.
    let kept = 2 * 64 * 1024 / 6;
    let mut expected = String::from("+OK Logged in.\r\n");
    expected.push_str(&"+OK\r\n".repeat(kept));
    expected.push_str("-ERR Too much pipelined input.\r\n");
    assert_eq!(h.output(), expected);
    assert_eq!(
        closed_reason(&h.take_events()),
        Some(CloseReason::InputOverflow)
    );
}

/// After QUIT nothing is read: a flood while the expunge is with the
/// application is discarded, `update_succeeded` succeeds and QUIT's `+OK`
/// goes out.
#[test]
fn a_flood_after_quit_is_discarded() {
    let mut h = logged_in(&[1, 2]);
    assert_eq!(
        h.send("DELE 1\r\nQUIT\r\n"),
        "+OK Marked to be deleted.\r\n"
    );
    assert!(!h.server.wants_read());
    let noops = "NOOP\r\n".repeat(1000);
    for _ in 0..30 {
        h.server.handle_input(noops.as_bytes());
    }
    assert!(!h.server.is_closed());
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::UpdateRequested { deleted }] if deleted == &[MessageNumber::MIN])
    );
    h.server.update_succeeded().unwrap();
    assert_eq!(h.output(), "+OK Logging out, messages deleted.\r\n");
    assert_eq!(closed_reason(&h.take_events()), Some(CloseReason::Quit));
}

/// A body the application is still handing over is not torn down by a
/// flood either: the body goes out whole, then the kept commands' replies.
#[test]
fn a_flood_while_a_body_streams_leaves_the_body_whole() {
    let mut options = plaintext_options();
    options.max_buffered_input = 60;
    let mut h = logged_in_with(options, &[5]);
    h.send("RETR 1\r\n");
    assert!(matches!(
        &h.take_events()[..],
        [Event::BodyRequested { .. }]
    ));
    for _ in 0..10 {
        h.server.handle_input(b"NOOP\r\nNOOP\r\nNOOP\r\n");
    }
    assert!(!h.server.is_closed());
    h.server.body_chunk(Bytes::from_static(b"abc\r\n")).unwrap();
    h.server.body_end().unwrap();
    // 120 octets kept: 20 NOOPs.
    let mut expected = String::from("+OK 5 octets\r\nabc\r\n.\r\n");
    expected.push_str(&"+OK\r\n".repeat(20));
    expected.push_str("-ERR Too much pipelined input.\r\n");
    assert_eq!(h.output(), expected);
    assert_eq!(
        closed_reason(&h.take_events()),
        Some(CloseReason::InputOverflow)
    );
}

/// RFC 2595 §4: whatever the client sent after STLS in plaintext is gone,
/// however large the chunk it came in, and a partial line cut off by STLS is
/// not glued to the first line that comes over TLS.
#[test]
fn stls_drops_the_plaintext_after_it_however_it_arrives() {
    // A chunk far over the input bound: none of the plaintext after STLS
    // is read, not even the part beyond the first buffer's worth.
    let mut h = ServerHarness::new(Options::default());
    h.output();
    let mut chunk = b"STLS\r\n".to_vec();
    chunk.extend_from_slice("USER evil\r\nPASS injected\r\n".repeat(10_000).as_bytes());
    h.server.handle_input(&chunk);
    assert_eq!(h.output(), "+OK Begin TLS negotiation now.\r\n");
    assert!(matches!(&h.take_events()[..], [Event::TlsRequested]));
    assert!(h.server.wants_read());
    assert!(h.send("CAPA\r\n").starts_with("+OK\r\nTOP\r\n"));

    // A partial line: "USER ev" must not become "USER evCAPA".
    let mut h = ServerHarness::new(Options::default());
    h.output();
    assert_eq!(
        h.send("STLS\r\nUSER ev"),
        "+OK Begin TLS negotiation now.\r\n"
    );
    assert!(h.send("CAPA\r\n").starts_with("+OK\r\nTOP\r\n"));

    // A partial line over the command limit: the first TLS line is not
    // skipped as the rest of it, nor refused as too long.
    let mut h = ServerHarness::new(Options::default());
    h.output();
    let mut chunk = b"STLS\r\n".to_vec();
    chunk.extend_from_slice(&[b'A'; 300]);
    h.server.handle_input(&chunk);
    assert_eq!(h.output(), "+OK Begin TLS negotiation now.\r\n");
    assert!(h.send("CAPA\r\n").starts_with("+OK\r\nTOP\r\n"));
    assert!(
        !h.take_events()
            .iter()
            .any(|e| matches!(e, Event::CommandRejected { .. }))
    );
}

/// RFC 5034 §4 leaves a SASL line's length open; the server takes up to
/// `max_sasl_line` (Postfix's 12 288) and fails the exchange beyond it,
/// without counting a bad command, and the session goes on with the
/// command limit back.
#[test]
fn a_too_long_sasl_line_fails_the_exchange() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    // A PLAIN response of 9 213 octets is 12 284 in base64: under the limit.
    let mut message = b"\0mrose\0".to_vec();
    message.resize(9213, b'p');
    let line = base64_line(&message);
    assert_eq!(line.len(), 12_284);
    assert_eq!(h.send(&format!("{line}\r\n")), "");
    let events = h.take_events();
    let [
        Event::LoginRequested {
            credentials: Credentials::Plain {
                authcid, password, ..
            },
        },
    ] = &events[..]
    else {
        panic!("{events:?}");
    };
    assert_eq!(authcid, "mrose");
    assert_eq!(password.expose().len(), 9206);
    h.server
        .login_failed(pop3_proto::server::LoginFailure::InvalidCredentials)
        .unwrap();
    assert_eq!(h.output(), "-ERR [AUTH] Authentication failed.\r\n");

    // 12 288 octets with CRLF is the longest line read (and then refused
    // for its base64, which is how we know it was read).
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    assert_eq!(
        h.send(&format!("{}\r\n", "A".repeat(12_286))),
        "-ERR Invalid base64 data in continued response.\r\n"
    );

    // One octet more, arriving in pieces: refused as soon as 12 288 octets
    // hold no line end, the rest skipped up to its line end.
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    let long = "A".repeat(12_287);
    assert_eq!(h.send(&long[..6000]), "");
    assert_eq!(h.send(&long[6000..]), "");
    assert_eq!(
        h.send("A"),
        "-ERR Authentication failed: response too long.\r\n"
    );
    assert_eq!(h.send("AAAA\r\nCAPA\r\n").lines().next(), Some("+OK"));
    let events = h.take_events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::LoginRequested { .. }))
    );
    // The command limit is back: 255 octets.
    assert_eq!(
        h.send(&format!("NOOP {}\r\n", "x".repeat(300))),
        "-ERR Input line too long.\r\n"
    );
    // Neither counted against the three bad commands before login.
    assert!(!h.server.is_closed());
}

fn base64_line(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    assert_eq!(data.len() % 3, 0);
    data.chunks(3)
        .flat_map(|c| {
            let n = u32::from(c[0]) << 16 | u32::from(c[1]) << 8 | u32::from(c[2]);
            [18, 12, 6, 0].map(|shift| char::from(ALPHABET[(n >> shift & 63) as usize]))
        })
        .collect()
}

/// RFC 1939 §3: the autologout timer is at least 10 minutes, and "the
/// receipt of any command from the client during that interval should
/// suffice to reset" it. The session ends exactly 10 minutes after its last
/// activity, not up to twice that; without entering UPDATE.
#[test]
fn autologout_runs_from_the_last_activity() {
    let mut h = logged_in(&[1, 2]);
    let start = h.now;
    assert_eq!(
        h.server.poll_timeout(),
        Some(start + Duration::from_secs(600))
    );
    h.advance(Duration::from_secs(540));
    assert_eq!(h.send("DELE 1\r\n"), "+OK Marked to be deleted.\r\n");
    let deadline = start + Duration::from_secs(540 + 600);
    assert_eq!(h.server.poll_timeout(), Some(deadline));
    h.advance(Duration::from_secs(599));
    assert!(!h.server.is_closed());
    h.advance(Duration::from_secs(1));
    assert_eq!(h.now, deadline);
    assert!(h.server.is_closed());
    // Dovecot says why.
    assert_eq!(h.output(), "-ERR Disconnected for inactivity.\r\n");
    let events = h.take_events();
    assert_eq!(closed_reason(&events), Some(CloseReason::TimedOut));
    assert!(!has_update(&events));
    assert_eq!(h.server.poll_timeout(), None);
}

/// Output is activity too (Dovecot resets its idle timer when the client
/// reads): a client that reads a long listing slowly is not logged out.
/// After activity the deadline is due at once, so the driver's next
/// `handle_timeout` says when the activity was.
#[test]
fn reading_output_is_activity() {
    let mut options = plaintext_options();
    options.max_transmit = 100;
    let mut h = logged_in_with(options, &vec![1; 1000]);
    h.server.handle_input(b"LIST\r\n");
    let mut buf = BytesMut::new();
    for _ in 0..3 {
        h.now += Duration::from_secs(500);
        assert!(h.server.poll_transmit(&mut buf) > 0);
        let due = h.server.poll_timeout().unwrap();
        assert!(due <= h.now);
        h.server.handle_timeout(h.now);
        assert_eq!(
            h.server.poll_timeout(),
            Some(h.now + Duration::from_secs(600))
        );
    }
    assert!(!h.server.is_closed());
}

/// RFC 1939 §3: "Such a timer MUST be of at least 10 minutes' duration." A
/// shorter option is raised to 10 minutes, unless the test-and-private
/// opt-out says otherwise.
#[test]
fn autologout_is_at_least_ten_minutes() {
    let mut options = plaintext_options();
    options.autologout = Duration::from_secs(60);
    assert_eq!(options.effective_autologout(), Duration::from_secs(600));
    let mut h = ServerHarness::new(options.clone());
    h.output();
    assert_eq!(
        h.server.poll_timeout(),
        Some(h.now + Duration::from_secs(600))
    );
    h.advance(Duration::from_secs(60));
    h.advance(Duration::from_secs(539));
    assert!(!h.server.is_closed());
    h.advance(Duration::from_secs(1));
    assert!(h.server.is_closed());

    options.allow_short_autologout = true;
    let mut h = ServerHarness::new(options);
    h.output();
    h.advance(Duration::from_secs(59));
    assert!(!h.server.is_closed());
    h.advance(Duration::from_secs(1));
    assert!(h.server.is_closed());
}

/// The autologout timer is for an idle client: while the application has a
/// decision to make, the session waits for it.
#[test]
fn the_timer_waits_for_the_application() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER a\r\nPASS b\r\n");
    h.take_events();
    h.advance(Duration::from_secs(600));
    h.advance(Duration::from_secs(600));
    h.advance(Duration::from_secs(600));
    assert!(!h.server.is_closed());
    h.server.login_succeeded(maildrop(&[1, 1 << 20])).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    // A body the application is still reading from its store.
    h.send("RETR 1\r\n");
    h.advance(Duration::from_secs(600));
    h.advance(Duration::from_secs(600));
    assert!(!h.server.is_closed());
    h.server.send_body(Bytes::from_static(b"x\r\n")).unwrap();
    assert_eq!(h.output(), "+OK 1 octets\r\nx\r\n.\r\n");
    h.send("QUIT\r\n");
    h.advance(Duration::from_secs(600));
    h.advance(Duration::from_secs(600));
    assert!(!h.server.is_closed());
    h.server.update_succeeded().unwrap();
    assert_eq!(h.output(), "+OK Logging out.\r\n");
}

/// A client that stops reading a body it asked for is logged out all the
/// same: a full buffer is the client's doing, not the application's.
#[test]
fn a_client_that_stops_reading_times_out() {
    let mut h = logged_in(&[1 << 20]);
    h.send("RETR 1\r\n");
    h.take_events();
    h.server.body_chunk(message(1 << 20)).unwrap();
    assert_eq!(h.server.body_demand(), Some(BodyDemand::Full));
    h.advance(Duration::from_secs(600));
    assert!(h.server.is_closed());
    // Mid-response, Dovecot sends no farewell: it would corrupt the body.
    let mut buf = BytesMut::new();
    assert_eq!(h.server.poll_transmit(&mut buf), 0);
    assert_eq!(closed_reason(&h.take_events()), Some(CloseReason::TimedOut));
}

/// RFC 1939 §6: "If a session terminates for some reason other than a
/// client-issued QUIT command, the POP3 session does NOT enter the UPDATE
/// state and MUST not remove any messages from the maildrop." Every way a
/// session with DELE marks can end without QUIT ends without
/// `UpdateRequested`; the same marks with QUIT do raise it.
#[test]
fn sessions_that_end_without_quit_delete_nothing() {
    type Ending = fn(&mut ServerHarness);
    let endings: [(&str, Ending, CloseReason); 4] = [
        (
            "autologout",
            |h| h.advance(Duration::from_secs(600)),
            CloseReason::TimedOut,
        ),
        (
            "bad commands",
            |h| {
                h.send(&"FROB\r\n".repeat(21));
            },
            CloseReason::TooManyBadCommands,
        ),
        (
            "input overflow",
            |h| {
                h.send("RETR 1\r\n");
                for _ in 0..30 {
                    h.server.handle_input("NOOP\r\n".repeat(1000).as_bytes());
                }
                h.server.body_chunk(Bytes::from_static(b"x\r\n")).unwrap();
                h.server.body_end().unwrap();
            },
            CloseReason::InputOverflow,
        ),
        (
            "body failure",
            |h| {
                h.send("RETR 1\r\n");
                h.server.body_chunk(Bytes::from_static(b"half")).unwrap();
                h.output();
                h.server.body_failed(BodyFailure::TemporaryFailure).unwrap();
            },
            CloseReason::BodyFailed,
        ),
    ];
    for (name, end, reason) in endings {
        let mut h = logged_in(&[3, 3, 3]);
        assert_eq!(
            h.send("DELE 2\r\nDELE 3\r\n"),
            "+OK Marked to be deleted.\r\n+OK Marked to be deleted.\r\n"
        );
        end(&mut h);
        h.output();
        assert!(h.server.is_closed(), "{name}");
        let events = h.take_events();
        assert_eq!(closed_reason(&events), Some(reason), "{name}");
        assert!(!has_update(&events), "{name}: {events:?}");
        // Nothing more is read, so no QUIT can come after.
        h.server.handle_input(b"QUIT\r\n");
        assert_eq!(h.output(), "", "{name}");
        assert!(h.take_events().is_empty(), "{name}");
    }
    // The control: the same marks, then QUIT.
    let mut h = logged_in(&[3, 3, 3]);
    h.send("DELE 2\r\nDELE 3\r\nQUIT\r\n");
    let events = h.take_events();
    let [Event::UpdateRequested { deleted }] = &events[..] else {
        panic!("{events:?}");
    };
    let n = |n| MessageNumber::new(n).unwrap();
    assert_eq!(deleted, &[n(2), n(3)]);
}
