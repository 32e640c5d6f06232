//! The client's rules: the HELO fallback, refusals, the STARTTLS injection
//! guard, AUTH, what it will not send without the server's extension, RSET
//! after a failed transaction, backpressure, timeouts, broken servers.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use common::{ClientHarness, envelope, ready};
use smtp_proto::client::{BodyDemand, CloseReason, Envelope, Event, Options, State};
use smtp_proto::{ClientError, ReversePath};

#[test]
fn helo_fallback_and_refusals() {
    // RFC 5321 §3.2: EHLO refused, HELO instead.
    let mut c = ClientHarness::new(Options::default());
    c.feed("220 old.example.org SMTP\r\n");
    assert_eq!(
        c.feed("502 5.5.1 Command not implemented\r\n"),
        "HELO localhost\r\n"
    );
    c.feed("250 old.example.org\r\n");
    let events = c.take_events();
    assert!(
        matches!(&events[1], Event::Ready { esmtp: false, capabilities } if capabilities.domain() == "old.example.org")
    );
    // Without EHLO, no extension: no SIZE parameter (dropped, as Postfix
    // does).
    let mut env = envelope("a@example.org", &["b@example.org"]);
    env.params.size = Some(10);
    c.client.send_mail(env).unwrap();
    assert_eq!(c.output(), "MAIL FROM:<a@example.org>\r\n");

    // RFC 5321 §3.1: a 554 greeting: QUIT, and the session is over.
    let mut c = ClientHarness::new(Options::default());
    assert_eq!(c.feed("554 5.7.1 No SMTP service here\r\n"), "QUIT\r\n");
    assert!(c.client.is_closed());
    assert!(
        matches!(&c.take_events()[..], [Event::Closed { reason: CloseReason::Rejected(r) }] if r.code().get() == 554)
    );

    // 421 at any time.
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client.noop().unwrap();
    c.output();
    c.feed("421 4.4.2 mx.example.org Error: timeout exceeded\r\n");
    assert!(matches!(
        &c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::ServiceNotAvailable(_)
        }]
    ));
}

#[test]
fn starttls_guard_against_injected_replies() {
    // CVE-2011-0411's client side: replies after the 220, before TLS.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    assert_eq!(c.output(), "STARTTLS\r\n");
    c.feed("220 2.0.0 Ready to start TLS\r\n250 2.1.0 injected\r\n");
    assert!(c.client.is_closed());
    assert!(matches!(
        c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::TlsInjection
        }]
    ));
    // Split across reads: the bytes arrive during the handshake.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    c.output();
    c.feed("220 2.0.0 Ready to start TLS\r\n");
    assert_eq!(c.client.state(), State::TlsHandshake);
    assert!(!c.client.wants_read());
    c.feed("250 injected\r\n");
    assert!(matches!(
        c.take_events()[..],
        [
            Event::TlsRequested,
            Event::Closed {
                reason: CloseReason::TlsInjection
            }
        ]
    ));
    // Refused: the session goes on in plaintext.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    c.output();
    c.feed("454 4.7.0 TLS not available\r\n");
    assert!(matches!(
        &c.take_events()[..],
        [Event::CommandFailed {
            verb: "STARTTLS",
            ..
        }]
    ));
    assert_eq!(c.client.state(), State::Ready);
    // Not offered, or TLS active.
    let mut c = ready(&[], Options::default());
    assert_eq!(
        c.client.starttls(),
        Err(ClientError::NotOffered("STARTTLS".into()))
    );
    let mut o = Options::default();
    o.implicit_tls = true;
    let mut c = ready(&["STARTTLS"], o);
    assert_eq!(c.client.starttls(), Err(ClientError::TlsActive));
}

#[test]
fn auth_login_and_long_plain() {
    let mut o = Options::default();
    o.allow_plaintext_auth = true;
    let mut c = ready(&["AUTH PLAIN LOGIN"], o.clone());
    c.client.auth_login("alice", b"pw").unwrap();
    assert_eq!(c.output(), "AUTH LOGIN\r\n");
    assert_eq!(c.client.state(), State::Negotiating);
    assert_eq!(c.feed("334 VXNlcm5hbWU6\r\n"), "YWxpY2U=\r\n");
    assert_eq!(c.feed("334 UGFzc3dvcmQ6\r\n"), "cHc=\r\n");
    c.feed("535 5.7.8 Error: authentication failed\r\n");
    assert!(
        matches!(&c.take_events()[..], [Event::AuthFailed { reply }] if reply.code().get() == 535)
    );
    assert_eq!(c.client.state(), State::Ready);
    // PLAIN too long for an initial response: after an empty challenge
    // (RFC 4954 §4).
    let password = vec![b'x'; 600];
    c.client.auth_plain(None, "alice", &password).unwrap();
    assert_eq!(c.output(), "AUTH PLAIN\r\n");
    let mut message = b"\0alice\0".to_vec();
    message.extend_from_slice(&password);
    assert_eq!(
        c.feed("334 \r\n"),
        format!("{}\r\n", STANDARD.encode(&message))
    );
    c.feed("235 2.7.0 Authentication successful\r\n");
    assert!(c.client.is_authenticated());
    // A challenge with nothing left to answer: cancel.
    let mut c = ready(&["AUTH PLAIN"], o.clone());
    c.client.auth_plain(None, "a", b"b").unwrap();
    c.output();
    assert_eq!(c.feed("334 bW9yZT8=\r\n"), "*\r\n");
    // No password without TLS, unless allowed.
    let mut c = ready(&["AUTH PLAIN"], Options::default());
    assert_eq!(
        c.client.auth_plain(None, "a", b"b"),
        Err(ClientError::TlsRequired)
    );
    let mut c = ready(&["AUTH PLAIN"], o);
    assert_eq!(
        c.client.auth_login("a", b"b"),
        Err(ClientError::NotOffered("AUTH".into()))
    );
    assert_eq!(
        c.client.auth_plain(None, "a\0", b"b"),
        Err(ClientError::InvalidCredentials)
    );
}

#[test]
fn extensions_the_server_did_not_announce() {
    let mut c = ready(&["SIZE 1000"], Options::default());
    let mut env = envelope("a@example.org", &["b@example.org"]);
    env.params.body = Some(smtp_proto::Body::EightBitMime);
    assert_eq!(
        c.client.send_mail(env),
        Err(ClientError::NotOffered("BODY".into()))
    );
    assert_eq!(
        c.client
            .send_mail(envelope("jöran@example.org", &["b@example.org"])),
        Err(ClientError::NotOffered("SMTPUTF8".into()))
    );
    assert_eq!(
        c.client.send_mail(Envelope::new(ReversePath::Null)),
        Err(ClientError::NoRecipients)
    );
    // SMTPUTF8 is added when an address needs it.
    let mut c = ready(&["SMTPUTF8"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["δοκιμή@example.org"]))
        .unwrap();
    assert_eq!(c.output(), "MAIL FROM:<a@example.org> SMTPUTF8\r\n");
}

#[test]
fn rset_after_a_failed_transaction() {
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n550 5.1.1 No such user\r\n554 5.5.1 Error: no valid recipients\r\n");
    let events = c.take_events();
    assert!(matches!(
        events.last(),
        Some(Event::TransactionFailed { .. })
    ));
    // The server holds the transaction MAIL opened: RSET first.
    c.client
        .send_mail(envelope("a@example.org", &["c@example.org"]))
        .unwrap();
    assert_eq!(
        c.output(),
        "RSET\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n"
    );
    // MAIL refused: the recipients' 503s, then the failure; no RSET after.
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    c.feed("550 5.7.1 Sender refused\r\n503 5.5.1 Error: need MAIL command\r\n503 5.5.1 Error: need MAIL command\r\n");
    let events = c.take_events();
    assert!(
        matches!(&events[..], [Event::RcptRejected { .. }, Event::TransactionFailed { reply, .. }] if reply.first_line() == "Sender refused"),
        "{events:?}"
    );
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    assert!(c.output().starts_with("MAIL FROM"));
}

/// RFC 2920 §3.1: with MAIL refused, the pipelined RCPTs' replies are the
/// server's complaint about the missing MAIL (Postfix: `503 5.5.1 Error:
/// need MAIL command`); each recipient's outcome is MAIL's reply, so a
/// greylisting 451 stays a 451 and is never a 5.5.1 bounce, and a broken
/// server's 250 to RCPT is never a delivery.
#[test]
fn mail_refused_gives_every_recipient_its_reply() {
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope(
            "a@example.org",
            &["b@example.org", "c@example.org", "d@example.org"],
        ))
        .unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n\
         RCPT TO:<c@example.org>\r\nRCPT TO:<d@example.org>\r\nDATA\r\n"
    );
    c.feed(
        "451 4.7.1 <a@example.org>: Sender address rejected: Greylisted\r\n\
         503 5.5.1 Error: need MAIL command\r\n\
         250 2.1.5 Ok\r\n\
         503 5.5.1 Error: need MAIL command\r\n\
         503 5.5.1 Error: need MAIL command\r\n",
    );
    let events = c.take_events();
    assert_eq!(events.len(), 4, "{events:?}");
    for (i, event) in events[..3].iter().enumerate() {
        match event {
            Event::RcptRejected { index, reply, .. } => {
                assert_eq!(*index, i);
                assert_eq!(reply.code().get(), 451);
                assert_eq!(
                    reply.first_line(),
                    "<a@example.org>: Sender address rejected: Greylisted"
                );
            }
            other => panic!("recipient {i}: {other:?}"),
        }
    }
    assert!(
        matches!(&events[3], Event::TransactionFailed { reply, .. } if reply.code().get() == 451),
        "{events:?}"
    );
    // MAIL was refused: no transaction is open on the server, no RSET.
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    assert!(c.output().starts_with("MAIL FROM"));
}

#[test]
fn body_backpressure_and_zero_copy() {
    let mut o = Options::default();
    o.body_buffer = 100;
    let mut c = ready(&["PIPELINING"], o);
    assert_eq!(c.client.body_demand(), None);
    assert_eq!(
        c.client.body_chunk(Bytes::new()),
        Err(ClientError::NoBodyPending)
    );
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    // Before 354 the chunks wait, up to the buffer.
    let chunk = Bytes::from(vec![b'x'; 60]);
    assert_eq!(c.client.body_demand(), Some(BodyDemand::More));
    c.client.body_chunk(chunk.clone()).unwrap();
    assert_eq!(c.client.body_demand(), Some(BodyDemand::More));
    c.client.body_chunk(chunk.clone()).unwrap();
    assert_eq!(c.client.body_demand(), Some(BodyDemand::Full));
    c.client
        .handle_input(b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n");
    // Out without copies: the application's own buffers.
    let mut pieces = Vec::new();
    while let Some(p) = c.client.poll_transmit_bytes() {
        pieces.push(p);
    }
    assert_eq!(pieces.len(), 2);
    assert_eq!(pieces[0].as_ptr(), chunk.as_ptr());
    assert_eq!(c.client.body_demand(), Some(BodyDemand::More));
    c.client.body_end().unwrap();
    assert_eq!(c.client.body_demand(), None);
    assert_eq!(c.client.body_end(), Err(ClientError::NoBodyPending));
    assert_eq!(c.output(), "\r\n.\r\n");
}

#[test]
fn quit_while_a_body_streams_is_refused() {
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    // DATA is out: QUIT would become part of the body.
    assert_eq!(
        c.client.quit(),
        Err(ClientError::WrongState(State::Transaction))
    );
    assert_eq!(
        c.client.rset(),
        Err(ClientError::WrongState(State::Transaction))
    );
    // Without pipelining, before the body starts, QUIT abandons it.
    let mut c = ready(&[], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    assert_eq!(c.output(), "MAIL FROM:<a@example.org>\r\n");
    c.client.quit().unwrap();
    // QUIT waits for MAIL's reply; RCPT is never sent.
    assert_eq!(c.output(), "");
    assert_eq!(c.feed("250 2.1.0 Ok\r\n"), "QUIT\r\n");
    c.feed("221 2.0.0 Bye\r\n");
    assert!(c.client.is_closed());
}

#[test]
fn quit_before_the_greeting() {
    let mut c = ClientHarness::new(Options::default());
    c.client.quit().unwrap();
    assert_eq!(c.output(), "");
    // No EHLO: QUIT once the server has spoken.
    assert_eq!(c.feed("220 mx.example.org ESMTP\r\n"), "QUIT\r\n");
    assert_eq!(c.client.state(), State::Quitting);
    c.feed("221 2.0.0 Bye\r\n");
    assert!(c.client.is_closed());
}

#[test]
fn broken_servers_close_the_session() {
    // A reply to no command.
    let mut c = ready(&[], Options::default());
    c.feed("250 2.0.0 Ok\r\n");
    assert!(matches!(
        c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::ProtocolError
        }]
    ));
    // A malformed reply line.
    let mut c = ClientHarness::new(Options::default());
    c.feed("hello\r\n");
    assert!(c.client.is_closed());
    // A multi-line reply whose codes differ.
    let mut c = ClientHarness::new(Options::default());
    c.feed("220-a\r\n250 b\r\n");
    assert!(c.client.is_closed());
    // A reply line over the limit.
    let mut c = ClientHarness::new(Options::default());
    c.feed(&format!("220 {}\r\n", "x".repeat(3000)));
    assert!(c.client.is_closed());
    // Reply text with a CR in it.
    let mut c = ClientHarness::new(Options::default());
    c.feed("220 a\rb\r\n");
    assert!(c.client.is_closed());
    // An endless multi-line reply.
    let mut c = ClientHarness::new(Options::default());
    for _ in 0..300 {
        c.client.handle_input(b"220-more\r\n");
    }
    assert!(c.client.is_closed());
}

#[test]
fn timeouts_per_command() {
    let mut c = ClientHarness::new(Options::default());
    // RFC 5321 §4.5.3.2.1: five minutes for the greeting.
    assert_eq!(
        c.client.poll_timeout(),
        Some(c.now + Duration::from_secs(300))
    );
    c.now += Duration::from_secs(300);
    c.client.handle_timeout(c.now);
    assert!(matches!(
        c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::TimedOut
        }]
    ));

    let mut c = ready(&["PIPELINING"], Options::default());
    assert_eq!(c.client.poll_timeout(), None);
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    // The command changed: the client asks for the time at once.
    assert_eq!(c.client.poll_timeout(), Some(c.now));
    c.client.handle_timeout(c.now);
    assert_eq!(
        c.client.poll_timeout(),
        Some(c.now + Duration::from_secs(300))
    );
    c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
    // §4.5.3.2.4: two minutes for the 354.
    c.client.handle_timeout(c.now);
    assert_eq!(
        c.client.poll_timeout(),
        Some(c.now + Duration::from_secs(120))
    );
    c.feed("354 go\r\n");
    c.client.body_end().unwrap();
    c.output();
    // §4.5.3.2.6: ten minutes after the end of the data.
    c.client.handle_timeout(c.now);
    assert_eq!(
        c.client.poll_timeout(),
        Some(c.now + Duration::from_secs(600))
    );
    c.now += Duration::from_secs(599);
    c.client.handle_timeout(c.now);
    assert!(!c.client.is_closed());
    c.now += Duration::from_secs(1);
    c.client.handle_timeout(c.now);
    assert!(c.client.is_closed());
}
