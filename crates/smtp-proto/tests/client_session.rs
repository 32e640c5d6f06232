//! The client's session rules from the review: QUIT during STARTTLS or AUTH
//! waits and goes in the right context, replies a command cannot have are
//! protocol errors, deadlines bound a trickling server, a stalled send and
//! a TLS handshake, and a session cut off mid-transaction still gives every
//! recipient an outcome.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::{ClientHarness, envelope, ready};
use smtp_proto::client::{CloseReason, Event, Options, State};
use smtp_proto::{ClientError, ReplyCode};

/// The events' kinds and, for outcomes, index and code, in order.
fn outcomes(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Event::RcptAccepted { index, .. } => format!("accepted {index}"),
            Event::RcptRejected { index, reply, .. } => {
                format!("rejected {index} {}", reply.code())
            }
            Event::TransactionFailed { reply, .. } => format!("failed {reply}"),
            Event::MessageAccepted { .. } => "message accepted".to_owned(),
            Event::Closed { reason } => format!("closed {reason:?}"),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn quit_during_starttls_goes_under_tls() {
    // The review's case: quit() while STARTTLS is in flight. Before, QUIT
    // was written in plaintext right after the 220.
    let mut c = ready(&["STARTTLS", "PIPELINING"], Options::default());
    c.client.starttls().unwrap();
    assert_eq!(c.output(), "STARTTLS\r\n");
    c.client.quit().unwrap();
    assert_eq!(c.client.state(), State::Quitting);
    assert_eq!(c.output(), "");
    assert_eq!(c.feed("220 2.0.0 Ready to start TLS\r\n"), "");
    assert_eq!(c.client.state(), State::TlsHandshake);
    assert!(matches!(c.take_events()[..], [Event::TlsRequested]));
    // Under TLS: QUIT, and no EHLO before it.
    c.client.tls_established().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
    assert_eq!(c.client.state(), State::Quitting);
    assert_eq!(
        c.client
            .send_mail(envelope("a@example.org", &["b@example.org"])),
        Err(ClientError::Closed)
    );
    c.feed("221 2.0.0 Bye\r\n");
    assert!(c.client.is_closed());

    // STARTTLS refused: QUIT follows in plaintext, still nothing else.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    c.output();
    c.client.quit().unwrap();
    assert_eq!(c.feed("454 4.7.0 TLS not available\r\n"), "QUIT\r\n");
    assert_eq!(c.client.state(), State::Quitting);
    assert_eq!(
        c.client
            .send_mail(envelope("a@example.org", &["b@example.org"])),
        Err(ClientError::Closed)
    );

    // quit() during the handshake itself: QUIT once TLS is up.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    c.output();
    c.feed("220 2.0.0 Ready to start TLS\r\n");
    c.client.quit().unwrap();
    assert_eq!(c.client.state(), State::TlsHandshake);
    assert_eq!(c.output(), "");
    c.client.tls_established().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
}

#[test]
fn quit_during_auth_waits_and_nothing_follows() {
    // The review's case: AUTH's reply reset Quitting to Ready, so a
    // transaction could start after quit(): `QUIT\r\nMAIL FROM...`.
    let mut o = Options::default();
    o.allow_plaintext_auth = true;
    for reply in [
        "235 2.7.0 Authentication successful\r\n",
        "535 5.7.8 no\r\n",
    ] {
        let mut c = ready(&["AUTH PLAIN", "PIPELINING"], o.clone());
        c.client.auth_plain(None, "alice", b"pw").unwrap();
        assert_eq!(c.output(), "AUTH PLAIN AGFsaWNlAHB3\r\n");
        c.client.quit().unwrap();
        // QUIT waits for the exchange.
        assert_eq!(c.output(), "");
        assert_eq!(c.feed(reply), "QUIT\r\n");
        assert_eq!(c.client.state(), State::Quitting);
        assert_eq!(
            c.client
                .send_mail(envelope("a@example.org", &["b@example.org"])),
            Err(ClientError::Closed)
        );
        assert_eq!(c.client.noop(), Err(ClientError::Closed));
        assert_eq!(c.client.quit(), Err(ClientError::Closed));
        assert_eq!(c.output(), "");
        c.feed("221 2.0.0 Bye\r\n");
        assert!(c.client.is_closed());
    }
}

#[test]
fn quit_while_ehlo_fails_sends_no_helo() {
    let mut c = ClientHarness::new(Options::default());
    assert_eq!(c.feed("220 mx ESMTP\r\n"), "EHLO localhost\r\n");
    c.client.quit().unwrap();
    assert_eq!(c.feed("502 5.5.1 no EHLO\r\n"), "QUIT\r\n");
}

#[test]
fn replies_a_command_cannot_have_are_protocol_errors() {
    // The review's case: a 3xx to MAIL was taken for acceptance.
    let mut c = ready(&[], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    assert_eq!(c.output(), "MAIL FROM:<a@example.org>\r\n");
    assert_eq!(c.feed("354 go ahead\r\n"), "");
    assert!(c.client.is_closed());
    assert_eq!(
        outcomes(&c.take_events()),
        [
            "rejected 0 451",
            "failed 451 4.5.0 Protocol error: the server's reply does not fit",
            "closed ProtocolError"
        ]
    );
    // RFC 5321 §4.3.2, command by command.
    for (keywords, reply) in [
        // RCPT answered 354.
        (&["PIPELINING"][..], "250 2.1.0 Ok\r\n354 x\r\n"),
        // DATA answered 250 (only 354 starts the body).
        (&["PIPELINING"], "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 x\r\n"),
        // BDAT answered 354.
        (
            &["PIPELINING", "CHUNKING"],
            "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 x\r\n",
        ),
    ] {
        let mut c = ready(keywords, Options::default());
        c.client
            .send_mail(envelope("a@example.org", &["b@example.org"]))
            .unwrap();
        c.client.body_chunk(Bytes::from_static(b"hi\r\n")).unwrap();
        c.client.body_end().unwrap();
        c.output();
        c.feed(reply);
        assert!(c.client.is_closed(), "{reply:?}");
        let events = c.take_events();
        assert!(
            matches!(
                events.last(),
                Some(Event::Closed {
                    reason: CloseReason::ProtocolError
                })
            ),
            "{reply:?}: {events:?}"
        );
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::MessageAccepted { .. })),
            "{reply:?}"
        );
    }
    // A 250 to STARTTLS, a 3xx to EHLO, to RSET.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    c.output();
    c.feed("250 sure\r\n");
    assert!(c.client.is_closed());
    let mut c = ClientHarness::new(Options::default());
    c.feed("220 mx\r\n");
    c.feed("354 what\r\n");
    assert!(c.client.is_closed());
    let mut c = ready(&[], Options::default());
    c.client.rset().unwrap();
    c.output();
    c.feed("354 what\r\n");
    assert!(c.client.is_closed());
}

#[test]
fn a_trickling_server_cannot_hold_a_reply_forever() {
    // The review's case: one octet every four minutes restarted the
    // five-minute reply timeout each time.
    let mut c = ClientHarness::new(Options::default());
    c.client.handle_timeout(c.now);
    let start = c.now;
    for octet in ["2", "2", "0"] {
        c.now += Duration::from_secs(4 * 60);
        c.client.handle_timeout(c.now);
        if c.client.is_closed() {
            break;
        }
        c.feed(octet);
    }
    // Closed at five minutes after the start, not at twelve.
    assert!(c.client.is_closed());
    assert!(c.now - start <= Duration::from_secs(8 * 60));
    assert!(matches!(
        c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::TimedOut
        }]
    ));
    // Exactly at the deadline.
    let mut c = ClientHarness::new(Options::default());
    c.client.handle_timeout(c.now);
    c.feed("2");
    assert_eq!(
        c.client.poll_timeout(),
        Some(c.now + Duration::from_secs(300))
    );

    // Postfix's own default (per read): each input restarts it.
    let mut o = Options::default();
    o.per_request_deadline = false;
    let mut c = ClientHarness::new(o);
    c.client.handle_timeout(c.now);
    for octet in ["2", "2", "0", " ", "x"] {
        c.now += Duration::from_secs(4 * 60);
        c.client.handle_timeout(c.now);
        c.feed(octet);
    }
    assert!(!c.client.is_closed());
    assert_eq!(c.feed("\r\n"), "EHLO localhost\r\n");
}

#[test]
fn a_send_that_stalls_times_out() {
    // RFC 5321 §4.5.3.2.5: three minutes for each data block. The output
    // the driver does not take is the client's view of a send that does
    // not complete.
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
    c.take_events();
    c.client.body_chunk(Bytes::from(vec![b'x'; 1000])).unwrap();
    c.client.body_chunk(Bytes::from(vec![b'y'; 1000])).unwrap();
    // The client asks for the time at once, then gives three minutes.
    assert_eq!(c.client.poll_timeout(), Some(c.now));
    c.client.handle_timeout(c.now);
    let start = c.now;
    let three = Duration::from_secs(180);
    assert_eq!(c.client.poll_timeout(), Some(start + three));
    // 100 s on, the driver takes one piece: with per-request deadlines,
    // 1000 octets at Postfix's smtp_min_data_rate of 500 octets/s earn two
    // seconds (up to three minutes from now).
    c.now += Duration::from_secs(100);
    c.client.handle_timeout(c.now);
    assert_eq!(c.client.poll_transmit_bytes().unwrap().len(), 1000);
    assert_eq!(
        c.client.poll_timeout(),
        Some(start + three + Duration::from_secs(2))
    );
    c.now = start + Duration::from_secs(181);
    c.client.handle_timeout(c.now);
    assert!(!c.client.is_closed());
    c.now += Duration::from_secs(1);
    c.client.handle_timeout(c.now);
    assert!(c.client.is_closed());
    assert_eq!(
        outcomes(&c.take_events()),
        ["failed 451 4.4.2 Timed out", "closed TimedOut"]
    );

    // Per write (Postfix's default): each piece taken gives the next three
    // minutes.
    let mut o = Options::default();
    o.per_request_deadline = false;
    let mut c = ready(&["PIPELINING"], o);
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
    c.client.body_chunk(Bytes::from(vec![b'x'; 1000])).unwrap();
    c.client.body_chunk(Bytes::from(vec![b'y'; 1000])).unwrap();
    c.client.handle_timeout(c.now);
    c.now += Duration::from_secs(100);
    c.client.handle_timeout(c.now);
    c.client.poll_transmit_bytes().unwrap();
    c.client.handle_timeout(c.now);
    assert_eq!(c.client.poll_timeout(), Some(c.now + three));
}

#[test]
fn a_tls_handshake_that_never_ends_times_out() {
    // Postfix's smtp_starttls_timeout: 300 s.
    let mut c = ready(&["STARTTLS"], Options::default());
    c.client.starttls().unwrap();
    c.output();
    c.feed("220 2.0.0 go\r\n");
    c.take_events();
    c.client.handle_timeout(c.now);
    assert_eq!(
        c.client.poll_timeout(),
        Some(c.now + Duration::from_secs(300))
    );
    c.now += Duration::from_secs(299);
    c.client.handle_timeout(c.now);
    assert!(!c.client.is_closed());
    c.now += Duration::from_secs(1);
    c.client.handle_timeout(c.now);
    assert!(c.client.is_closed());
    assert!(matches!(
        c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::TimedOut
        }]
    ));
}

#[test]
fn a_session_cut_off_gives_every_recipient_an_outcome() {
    // The review's case: 421 in the middle of a pipelined envelope. Each
    // recipient without a reply, and the transaction, get the 421.
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope(
            "a@example.org",
            &["b@example.org", "c@example.org", "d@example.org"],
        ))
        .unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n421 4.3.2 mx Service shutting down\r\n");
    assert_eq!(
        outcomes(&c.take_events()),
        [
            "accepted 0",
            "rejected 1 421",
            "rejected 2 421",
            "failed 421 4.3.2 mx Service shutting down",
            "closed ServiceNotAvailable(Reply(421 4.3.2 mx Service shutting down))"
        ]
    );

    // A timeout after the body: the transaction is deferred (451 4.4.2);
    // the recipients already had theirs.
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.client.body_end().unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
    c.output();
    c.client.handle_timeout(c.now);
    c.now += Duration::from_secs(600);
    c.client.handle_timeout(c.now);
    let events = c.take_events();
    assert_eq!(
        outcomes(&events),
        [
            "accepted 0",
            "DataStarted { txn: TxnId(1) }",
            "failed 451 4.4.2 Timed out",
            "closed TimedOut"
        ]
    );
    let Event::TransactionFailed { reply, .. } = &events[2] else {
        panic!()
    };
    assert_eq!(reply.code(), ReplyCode::LOCAL_ERROR);

    // Without pipelining, recipients not even sent when MAIL is refused get
    // MAIL's reply.
    let mut c = ready(&[], Options::default());
    c.client
        .send_mail(envelope(
            "a@example.org",
            &["b@example.org", "c@example.org"],
        ))
        .unwrap();
    c.output();
    c.feed("550 5.7.1 Sender refused\r\n");
    assert_eq!(
        outcomes(&c.take_events()),
        [
            "rejected 0 550",
            "rejected 1 550",
            "failed 550 5.7.1 Sender refused"
        ]
    );
}
