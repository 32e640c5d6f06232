//! The server beyond the RFC examples: what real clients send, limits, STLS,
//! timers, pipelining, and bodies streamed with backpressure.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use bytes::{Bytes, BytesMut};
use common::{
    ServerHarness, closed_reason, logged_in, logged_in_with, maildrop, message, plaintext_options,
};
use pop3_proto::server::{
    BodyDemand, BodyFailure, CloseReason, Credentials, Event, Options, Server,
};
use pop3_proto::{MessageNumber, Secret, ServerError};

/// RFC 2449 §6.6: a client sends a batch without waiting; the replies come
/// back in order, the login decision and the RETR body included.
#[test]
fn pipelined_commands_are_answered_in_order() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    let out = h.send("USER mrose\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nDELE 1\r\nLIST\r\nQUIT\r\n");
    // Nothing after USER's +OK until the login is decided.
    assert_eq!(out, "+OK\r\n");
    h.take_events();
    h.server.login_succeeded(maildrop(&[5, 7])).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n+OK 2 12\r\n");
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::BodyRequested { .. }]),
        "{events:?}"
    );
    h.server.send_body(Bytes::from_static(b"abc\r\n")).unwrap();
    assert_eq!(
        h.output(),
        "+OK 5 octets\r\nabc\r\n.\r\n+OK Marked to be deleted.\r\n+OK 1 messages:\r\n2 7\r\n.\r\n"
    );
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::UpdateRequested { deleted }] if deleted == &[MessageNumber::MIN])
    );
}

/// Thunderbird sends NOOPs to keep the connection alive while a long
/// listing is still coming; they are answered after it, in order.
#[test]
fn thunderbird_noop_keepalives_during_a_long_listing() {
    let mut options = plaintext_options();
    options.max_transmit = 1024;
    let sizes = vec![1000u64; 5000];
    let mut h = logged_in_with(options, &sizes);
    h.server.handle_input(b"UIDL\r\n");
    let mut wire = Vec::new();
    let mut buf = BytesMut::new();
    // The client reads a little of the listing, then sends keep-alives.
    for _ in 0..3 {
        let n = h.server.poll_transmit(&mut buf);
        assert!((1024..1024 + 16).contains(&n), "{n}");
    }
    h.server.handle_input(b"NOOP\r\n");
    h.server.handle_input(b"NOOP\r\n");
    wire.extend_from_slice(&buf);
    wire.extend_from_slice(&h.output_bytes());
    let text = String::from_utf8(wire).unwrap();
    let mut expected = String::from("+OK\r\n");
    for i in 1..=5000 {
        expected.push_str(&format!("{i} uid{i}\r\n"));
    }
    expected.push_str(".\r\n+OK\r\n+OK\r\n");
    assert_eq!(text, expected);
}

/// The listing is generated as the client reads it, not all at once.
#[test]
fn listings_stream_within_the_transmit_budget() {
    let mut options = plaintext_options();
    options.max_transmit = 4096;
    let mut h = logged_in_with(options, &vec![123_456; 100_000]);
    h.server.handle_input(b"LIST\r\n");
    let mut buf = BytesMut::new();
    let mut total = 0;
    let mut calls = 0;
    loop {
        let n = h.server.poll_transmit(&mut buf);
        if n == 0 {
            break;
        }
        // One line may overshoot the budget.
        assert!(n <= 4096 + 32, "{n}");
        total += n;
        calls += 1;
        buf.clear();
    }
    assert!(calls > 300, "{calls}");
    assert_eq!(
        total,
        "+OK 100000 messages:\r\n".len() + 100_000 * 9 + 488_895 + 3
    );
}

/// fetchmail asks for a whole message with `TOP n 99999999`.
#[test]
fn fetchmail_top_with_a_huge_line_count() {
    let mut h = logged_in(&[300]);
    assert_eq!(h.send("TOP 1 99999999\r\n"), "");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::BodyRequested {
            lines: Some(99_999_999),
            ..
        }]
    ));
    let body = message(300);
    h.server.send_body(body.clone()).unwrap();
    assert_eq!(
        h.output(),
        format!("+OK\r\n{}.\r\n", std::str::from_utf8(&body).unwrap())
    );
}

/// TOP asks for no more than it needs: once the lines are out, the
/// application is told so, and the rest of the message is never sent.
#[test]
fn top_says_when_it_has_enough() {
    let mut h = logged_in(&[1000]);
    h.send("TOP 1 1\r\n");
    h.take_events();
    assert_eq!(h.server.body_demand(), Some(BodyDemand::More));
    h.server
        .body_chunk(Bytes::from_static(b"Subject: x\r\n\r\nfirst\r\nsecond\r\n"))
        .unwrap();
    assert_eq!(h.server.body_demand(), Some(BodyDemand::More));
    let out = h.output();
    assert_eq!(out, "+OK\r\nSubject: x\r\n\r\nfirst\r\n.\r\n");
    assert_eq!(h.server.body_demand(), Some(BodyDemand::Enough));
    // Later chunks are dropped; the next command waits for body_end.
    h.server
        .body_chunk(Bytes::from_static(b"third\r\n"))
        .unwrap();
    assert_eq!(h.send("NOOP\r\n"), "");
    h.server.body_end().unwrap();
    assert_eq!(h.server.body_demand(), None);
    assert_eq!(h.output(), "+OK\r\n");
}

/// Outlook and old Thunderbird send a bare AUTH to list mechanisms (RFC
/// 1734's discovery); Dovecot answers with one per line.
#[test]
fn bare_auth_lists_the_mechanisms() {
    let mut options = plaintext_options();
    options.sasl_mechanisms = vec![pop3_proto::Mechanism::PLAIN, pop3_proto::Mechanism::LOGIN];
    let mut h = ServerHarness::new(options);
    h.output();
    assert_eq!(h.send("AUTH\r\n"), "+OK\r\nPLAIN\r\nLOGIN\r\n.\r\n");
    // Without TLS and without the plaintext opt-in, none is offered.
    let mut h = ServerHarness::new(Options::default());
    h.output();
    assert_eq!(h.send("AUTH\r\n"), "+OK\r\n.\r\n");
}

/// RFC 1939 §7: "a POP3 server may treat spaces in the argument as part of
/// the password".
#[test]
fn a_password_with_spaces() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER mrose\r\nPASS  correct horse battery staple \r\n");
    let events = h.take_events();
    let [Event::LoginRequested { credentials }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(
        credentials,
        &Credentials::User {
            user: "mrose".into(),
            password: Secret::new(b" correct horse battery staple ".to_vec()),
        }
    );
}

/// RFC 1939 §3: a line that starts with "." is stuffed, at the very start of
/// the body and wherever a chunk boundary falls.
#[test]
fn dot_lines_at_the_body_start_and_at_chunk_boundaries() {
    let body: &[u8] = b".starts with a dot\r\n.\r\n..\r\nmiddle\r\n.end\r\n";
    let wire = "..starts with a dot\r\n..\r\n...\r\nmiddle\r\n..end\r\n.\r\n";
    for split in 0..=body.len() {
        let mut h = logged_in(&[body.len() as u64]);
        h.send("RETR 1\r\n");
        h.take_events();
        h.server
            .body_chunk(Bytes::copy_from_slice(&body[..split]))
            .unwrap();
        h.server
            .body_chunk(Bytes::copy_from_slice(&body[split..]))
            .unwrap();
        h.server.body_end().unwrap();
        assert_eq!(
            h.output(),
            format!("+OK {} octets\r\n{wire}", body.len()),
            "split at {split}"
        );
    }
    // One octet at a time.
    let mut h = logged_in(&[body.len() as u64]);
    h.send("RETR 1\r\n");
    h.take_events();
    for b in body {
        h.server.body_chunk(Bytes::copy_from_slice(&[*b])).unwrap();
        h.output();
    }
}

/// A message that does not end in CRLF gets one before the terminator, as
/// Dovecot adds it; an empty message is just the terminator.
#[test]
fn bodies_without_a_final_line_end() {
    let mut h = logged_in(&[3, 0]);
    h.send("RETR 1\r\n");
    h.take_events();
    h.server.send_body(Bytes::from_static(b"abc")).unwrap();
    assert_eq!(h.output(), "+OK 3 octets\r\nabc\r\n.\r\n");
    h.send("RETR 2\r\n");
    h.take_events();
    h.server.body_end().unwrap();
    assert_eq!(h.output(), "+OK 0 octets\r\n.\r\n");
}

/// A 10 MiB message goes out in pieces of at most `max_transmit` octets;
/// a streaming application is paced by `body_demand`, so the server never
/// holds more than `body_buffer` of it.
#[test]
fn a_large_body_streams_with_backpressure() {
    let size = 10 << 20;
    let body = message(size);
    let mut h = logged_in(&[size as u64]);
    h.send("RETR 1\r\n");
    h.take_events();
    let header_len = format!("+OK {size} octets\r\n").len();
    let mut wire = Vec::with_capacity(size + 64);
    let mut buf = BytesMut::new();
    let mut fed = 0;
    let mut full = 0;
    loop {
        // What the server holds: handed over, not yet sent.
        let held = fed - wire.len().saturating_sub(header_len).min(fed);
        match h.server.body_demand() {
            Some(BodyDemand::More) if fed < size => {
                assert!(held < 64 * 1024, "{held}");
                let end = (fed + 8192).min(size);
                h.server.body_chunk(body.slice(fed..end)).unwrap();
                fed = end;
                continue;
            }
            Some(BodyDemand::More) => h.server.body_end().unwrap(),
            Some(BodyDemand::Full) => {
                assert!(held >= 64 * 1024);
                full += 1;
            }
            Some(BodyDemand::Enough) => unreachable!("RETR"),
            None => {}
        }
        let n = h.server.poll_transmit(&mut buf);
        assert!(n <= 64 * 1024 + 8, "{n}");
        if n == 0 && h.server.body_demand().is_none() {
            break;
        }
        wire.extend_from_slice(&buf);
        buf.clear();
    }
    assert!(full > 100, "{full}");
    let header = format!("+OK {size} octets\r\n");
    assert_eq!(&wire[..header.len()], header.as_bytes());
    assert_eq!(&wire[header.len()..header.len() + size], &body[..]);
    assert_eq!(&wire[header.len() + size..], b".\r\n");
}

/// The whole message handed over at once is still sent in pieces.
#[test]
fn send_body_sends_in_pieces() {
    let size = 1 << 20;
    let body = message(size);
    let mut h = logged_in(&[size as u64]);
    h.send("RETR 1\r\n");
    h.take_events();
    h.server.send_body(body).unwrap();
    let mut buf = BytesMut::new();
    let mut pieces = 0;
    while h.server.poll_transmit(&mut buf) > 0 {
        assert!(buf.len() <= 64 * 1024);
        buf.clear();
        pieces += 1;
    }
    assert_eq!(pieces, 17);
}

#[test]
fn a_body_that_cannot_be_read() {
    let mut h = logged_in(&[10, 10]);
    h.send("RETR 1\r\nNOOP\r\n");
    h.take_events();
    h.server.body_failed(BodyFailure::Expunged).unwrap();
    // The session goes on.
    assert_eq!(h.output(), "-ERR Message 1 expunged.\r\n+OK\r\n");
    h.send("RETR 2\r\n");
    h.take_events();
    h.server.body_failed(BodyFailure::TemporaryFailure).unwrap();
    assert_eq!(h.output(), "-ERR [SYS/TEMP] Message could not be read.\r\n");
    // Once part of it went out, the response cannot be ended: close.
    h.send("RETR 2\r\n");
    h.take_events();
    h.server.body_chunk(Bytes::from_static(b"half")).unwrap();
    h.server.body_failed(BodyFailure::TemporaryFailure).unwrap();
    assert!(h.server.is_closed());
    assert_eq!(
        closed_reason(&h.take_events()),
        Some(CloseReason::BodyFailed)
    );
}

/// RFC 2449 §4: commands are up to 255 octets; a longer line is an error
/// reply and the session goes on.
#[test]
fn a_too_long_line_is_refused_and_the_session_goes_on() {
    let mut h = logged_in(&[1]);
    let long = format!("LIST {}\r\nNOOP\r\n", "1".repeat(300));
    assert_eq!(h.send(&long), "-ERR Input line too long.\r\n+OK\r\n");
    // Exactly 255 octets with CRLF is fine.
    let longest = format!("NOOP {}\r\n", "x".repeat(255 - 7));
    assert_eq!(longest.len(), 255);
    assert_eq!(h.send(&longest), "+OK\r\n");
    // The limit is an option.
    let mut options = plaintext_options();
    options.max_command_line = 512;
    let mut h = logged_in_with(options, &[1]);
    let long = format!("NOOP {}\r\n", "x".repeat(400));
    assert_eq!(h.send(&long), "+OK\r\n");
}

/// RFC 1939 §3: "Keywords and arguments are each separated by a single
/// SPACE character." Dovecot's get_msgnum (src/pop3/pop3-commands.c) wants
/// a digit first and answers with the rest of the line; the `extra_spaces`
/// quirk takes runs of spaces instead.
#[test]
fn a_space_before_a_message_number_is_refused_as_dovecot_does() {
    let mut h = logged_in(&[120, 200]);
    assert_eq!(h.send("LIST  2\r\n"), "-ERR Invalid message number:  2\r\n");
    assert_eq!(h.send("RETR  1\r\n"), "-ERR Invalid message number:  1\r\n");
    assert_eq!(h.send("TOP 1  0\r\n"), "-ERR Invalid size:  0\r\n");
    // "LIST " with its one space is LIST (Dovecot's args are empty).
    assert_eq!(
        h.send("LIST \r\n"),
        "+OK 2 messages:\r\n1 120\r\n2 200\r\n.\r\n"
    );
    let mut options = plaintext_options();
    options.quirks.extra_spaces = true;
    let mut h = logged_in_with(options, &[120, 200]);
    assert_eq!(h.send("LIST  2\r\n"), "+OK 2 200\r\n");
    assert_eq!(h.send("UIDL   1\r\n"), "+OK 1 uid1\r\n");
}

/// Bare LF line ends are read as Dovecot reads them: its
/// `i_stream_next_line` ends a line at LF and drops a CR before it.
#[test]
fn bare_lf_line_ends_are_read_as_dovecot_does() {
    let mut h = logged_in(&[120]);
    assert_eq!(
        h.send("STAT\nLIST 1\nNOOP\r\n"),
        "+OK 1 120\r\n+OK 1 120\r\n+OK\r\n"
    );
}

/// Numbers that overflow are errors, never wrapped.
#[test]
fn numbers_that_overflow_are_errors() {
    let mut h = logged_in(&[1]);
    assert_eq!(
        h.send("RETR 4294967297\r\n"),
        "-ERR Message number too large: 4294967297\r\n"
    );
    assert_eq!(
        h.send("LIST 99999999999999999999\r\n"),
        "-ERR Message number too large: 99999999999999999999\r\n"
    );
    assert_eq!(
        h.send("TOP 1 18446744073709551616\r\n"),
        "-ERR Size too large: 18446744073709551616\r\n"
    );
    assert_eq!(h.send("DELE 0\r\n"), "-ERR There's no message 0.\r\n");
    assert_eq!(h.send("DELE -1\r\n"), "-ERR Invalid message number: -1\r\n");
    assert_eq!(
        h.send("RETR 1x\r\n"),
        "-ERR Noise after message number: x\r\n"
    );
    assert_eq!(h.send("TOP 1 x\r\n"), "-ERR Invalid size: x\r\n");
    assert_eq!(h.send("STAT\r\n"), "+OK 1 1\r\n");
}

/// RFC 1939 §3: a command in the wrong state gets -ERR.
#[test]
fn commands_out_of_their_state() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    assert_eq!(h.send("STAT\r\n"), "-ERR Unknown command.\r\n");
    assert_eq!(h.send("RETR 0\r\n"), "-ERR Unknown command.\r\n");
    assert_eq!(h.send("PASS x\r\n"), "-ERR No username given.\r\n");
    assert_eq!(h.send("USER\r\n"), "-ERR No username given.\r\n");
    let mut h = logged_in(&[1]);
    assert_eq!(h.send("USER mrose\r\n"), "-ERR Unknown command: USER\r\n");
    assert_eq!(h.send("STLS\r\n"), "-ERR Unknown command: STLS\r\n");
    assert_eq!(h.send("apop x y\r\n"), "-ERR Unknown command: APOP\r\n");
    assert_eq!(h.send("\r\n"), "-ERR Unknown command: \r\n");
}

/// Options turn TOP and UIDL off; they become unknown commands.
#[test]
fn top_and_uidl_can_be_turned_off() {
    let mut options = plaintext_options();
    options.top = false;
    options.uidl = false;
    options.pipelining = false;
    let mut h = logged_in_with(options, &[1]);
    assert_eq!(h.send("TOP 1 1\r\n"), "-ERR Unknown command: TOP\r\n");
    assert_eq!(h.send("UIDL\r\n"), "-ERR Unknown command: UIDL\r\n");
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n.\r\n"
    );
}

/// RFC 2595 §4: after STLS's +OK every plaintext byte already received is
/// discarded, so a command injected after STLS never runs over TLS.
#[test]
fn stls_discards_pipelined_plaintext() {
    let mut h = ServerHarness::new(Options::default());
    h.output();
    assert_eq!(
        h.send("STLS\r\nUSER evil\r\nPASS injected\r\n"),
        "+OK Begin TLS negotiation now.\r\n"
    );
    let events = h.take_events();
    assert!(matches!(&events[..], [Event::TlsRequested]), "{events:?}");
    // Now under TLS: USER is offered and works; STLS is gone.
    let capa = h.send("CAPA\r\n");
    assert!(
        capa.contains("\r\nUSER\r\n") && !capa.contains("STLS"),
        "{capa}"
    );
    assert_eq!(h.send("USER mrose\r\n"), "+OK\r\n");
}

/// RFC 5034 §4: no plaintext password without TLS by default (Dovecot's
/// `disable_plaintext_auth`).
#[test]
fn plaintext_logins_need_tls() {
    let mut h = ServerHarness::new(Options::default());
    h.output();
    let refused =
        "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n";
    assert_eq!(h.send("USER mrose\r\n"), refused);
    assert_eq!(h.send("PASS secret\r\n"), refused);
    assert_eq!(h.send("AUTH PLAIN AGJvYgBwdw==\r\n"), refused);
    assert!(
        !h.take_events()
            .iter()
            .any(|e| matches!(e, Event::LoginRequested { .. }))
    );
    // Implicit TLS (port 995): allowed, and STLS is not offered.
    let mut options = Options::default();
    options.implicit_tls = true;
    let mut h = ServerHarness::new(options);
    h.output();
    assert_eq!(h.send("USER mrose\r\n"), "+OK\r\n");
    assert_eq!(h.send("STLS\r\n"), "-ERR TLS is already active.\r\n");
    let mut options = Options::default();
    options.stls = false;
    let mut h = ServerHarness::new(options);
    h.output();
    assert_eq!(h.send("STLS\r\n"), "-ERR TLS support isn't enabled.\r\n");
}

/// `+OK` to QUIT only after the application says the expunge is done; what
/// follows QUIT is never read.
#[test]
fn quit_waits_for_the_expunge() {
    let mut h = logged_in(&[1, 2]);
    assert_eq!(
        h.send("DELE 2\r\nQUIT\r\nDELE 1\r\n"),
        "+OK Marked to be deleted.\r\n"
    );
    let events = h.take_events();
    let [Event::UpdateRequested { deleted }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(deleted, &[MessageNumber::new(2).unwrap()]);
    assert_eq!(h.output(), "");
    assert_eq!(h.server.state(), pop3_proto::server::State::Update);
    h.server.update_succeeded().unwrap();
    assert_eq!(h.output(), "+OK Logging out, messages deleted.\r\n");
    assert_eq!(
        h.server.update_succeeded(),
        Err(ServerError::NoUpdatePending)
    );
}

/// Decisions out of turn are API errors, not protocol errors.
#[test]
fn decisions_out_of_turn() {
    let mut h = ServerHarness::new(plaintext_options());
    assert_eq!(
        h.server.login_succeeded(maildrop(&[])),
        Err(ServerError::NoLoginPending)
    );
    assert_eq!(
        h.server
            .login_failed(pop3_proto::server::LoginFailure::InvalidCredentials),
        Err(ServerError::NoLoginPending)
    );
    assert_eq!(
        h.server.sasl_challenge(b""),
        Err(ServerError::NoSaslPending)
    );
    assert_eq!(
        h.server.body_chunk(Bytes::new()),
        Err(ServerError::NoBodyPending)
    );
    assert_eq!(h.server.body_end(), Err(ServerError::NoBodyPending));
    assert_eq!(h.server.update_failed(), Err(ServerError::NoUpdatePending));
    let mut h = logged_in(&[1]);
    h.send("RETR 1\r\n");
    h.server.body_end().unwrap();
    assert_eq!(h.server.body_end(), Err(ServerError::NoBodyPending));
}

/// RFC 6856: UTF8 as configured.
#[test]
fn utf8_mode() {
    let mut options = plaintext_options();
    options.utf8 = true;
    let mut h = ServerHarness::new(options);
    h.output();
    assert!(h.send("CAPA\r\n").contains("\r\nUTF8 USER\r\n"));
    assert_eq!(h.send("UTF8\r\n"), "+OK UTF8 enabled.\r\n");
    assert!(h.server.is_utf8());
    h.send("USER jörg\r\nPASS pässwörd\r\n");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::LoginRequested { credentials: Credentials::User { user, .. } }] if user == "jörg"
    ));
    h.server.login_succeeded(maildrop(&[5])).unwrap();
    h.output();
    assert_eq!(h.send("UTF8\r\n"), "-ERR Unknown command: UTF8\r\n");
    h.send("RETR 1\r\n");
    h.take_events();
    h.server.body_failed(BodyFailure::Utf8Required).unwrap();
    assert_eq!(h.output(), "-ERR [UTF8] Message requires UTF-8 mode.\r\n");
    // Off by default.
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    assert_eq!(h.send("UTF8\r\n"), "-ERR Unknown command.\r\n");
}

/// A client may try again after a failed login (RFC 1939 §4).
#[test]
fn login_again_after_a_failure() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER a\r\nPASS wrong\r\n");
    h.take_events();
    h.server
        .login_failed(pop3_proto::server::LoginFailure::InvalidCredentials)
        .unwrap();
    assert_eq!(h.output(), "-ERR [AUTH] Authentication failed.\r\n");
    // USER is forgotten after PASS.
    assert_eq!(h.send("PASS right\r\n"), "-ERR No username given.\r\n");
    h.send("USER a\r\nPASS right\r\n");
    h.take_events();
    h.server.login_succeeded(maildrop(&[])).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
}

/// The greeting: RFC 1939 §4's example text, the APOP timestamp after it.
#[test]
fn greetings() {
    let now = std::time::Instant::now();
    let mut server = Server::new(Options::default(), now);
    let mut buf = BytesMut::new();
    server.poll_transmit(&mut buf);
    assert_eq!(&buf[..], b"+OK POP3 server ready\r\n");
    let mut options = Options::default();
    options.greeting = "Dovecot ready.".into();
    let mut server = Server::with_apop(options, "<a.b@c>".try_into().unwrap(), now);
    buf.clear();
    server.poll_transmit(&mut buf);
    assert_eq!(&buf[..], b"+OK Dovecot ready. <a.b@c>\r\n");
}

/// `poll_transmit_bytes` hands out the body as slices of the application's
/// `Bytes`, the stuffed dots as their own pieces: no copy of the message.
#[test]
fn bodies_go_out_without_copies() {
    let body = Bytes::from(format!(
        "{}\r\n.dot\r\n{}\r\n",
        "a".repeat(100_000),
        "b".repeat(100_000)
    ));
    let mut h = logged_in(&[body.len() as u64]);
    h.send("RETR 1\r\n");
    h.take_events();
    h.server.send_body(body.clone()).unwrap();
    let range = body.as_ptr() as usize..body.as_ptr() as usize + body.len();
    let mut wire = Vec::new();
    let mut borrowed = 0;
    while let Some(piece) = h.server.poll_transmit_bytes() {
        if range.contains(&(piece.as_ptr() as usize)) {
            borrowed += piece.len();
        }
        wire.extend_from_slice(&piece);
    }
    // Every octet is the body's own; the stuffed dot is its dot, sent twice.
    assert_eq!(borrowed, body.len() + 1);
    let expected = format!(
        "+OK {} octets\r\n{}\r\n..dot\r\n{}\r\n.\r\n",
        body.len(),
        "a".repeat(100_000),
        "b".repeat(100_000)
    );
    assert_eq!(String::from_utf8(wire).unwrap(), expected);
    // Both ways of draining may be mixed.
    h.server.handle_input(b"LIST\r\nNOOP\r\n");
    let first = h.server.poll_transmit_bytes().unwrap();
    let rest = h.output();
    assert_eq!(
        format!("{}{rest}", std::str::from_utf8(&first).unwrap()),
        format!("+OK 1 messages:\r\n1 {}\r\n.\r\n+OK\r\n", body.len())
    );
}

/// Every refusal the server makes alone is reported for logs.
#[test]
fn refusals_are_reported() {
    let mut h = logged_in(&[1]);
    h.send("RETR 7\r\nFROB\r\n");
    let replies: Vec<String> = h
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::CommandRejected { reply } => Some(reply),
            _ => None,
        })
        .collect();
    assert_eq!(replies, ["There's no message 7.", "Unknown command: FROB"]);
}

/// RSET (RFC 1939 §5) unmarks every DELE, and tells the application, which
/// may hold marks of its own for the session (Dovecot forgets the \Seen
/// flags RETR would set).
#[test]
fn rset_unmarks_and_reports_it() {
    let mut h = logged_in(&[5, 7]);
    h.take_events();
    assert_eq!(h.send("DELE 1\r\n"), "+OK Marked to be deleted.\r\n");
    assert_eq!(h.send("STAT\r\n"), "+OK 1 7\r\n");
    assert!(h.take_events().is_empty());
    assert_eq!(h.send("RSET\r\n"), "+OK\r\n");
    assert!(matches!(&h.take_events()[..], [Event::Reset]));
    assert_eq!(h.send("STAT\r\n"), "+OK 2 12\r\n");
}
