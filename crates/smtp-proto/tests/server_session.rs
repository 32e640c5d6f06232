//! The server outside transactions: greeting, EHLO/HELO/LHLO, sequencing,
//! RSET/NOOP/VRFY/QUIT, unknown commands, line limits, PIPELINING as
//! Postfix enforces it, STARTTLS, error limits, timeouts.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use std::time::Duration;

use common::{Answers, HOST, Harness, codes, options};
use smtp_proto::server::{CloseReason, Event, Options, State, Vrfy};

#[test]
fn greeting_and_ehlo() {
    let mut h = Harness::new(options(), Answers::Auto);
    assert_eq!(h.output(), "220 mx.example.org ESMTP\r\n");
    assert_eq!(h.server.state(), State::Connected);
    assert_eq!(
        h.send("EHLO client.example.net\r\n"),
        "250-mx.example.org\r\n\
         250-PIPELINING\r\n\
         250-SIZE 10240000\r\n\
         250-AUTH PLAIN LOGIN\r\n\
         250-ENHANCEDSTATUSCODES\r\n\
         250-8BITMIME\r\n\
         250-SMTPUTF8\r\n\
         250 CHUNKING\r\n"
    );
    assert_eq!(h.server.state(), State::Ready);
    let events = h.events.drain(..).collect::<Vec<_>>();
    assert!(matches!(
        &events[..],
        [Event::HelloReceived { kind: smtp_proto::server::HelloKind::Ehlo, host }]
            if host.as_str() == "client.example.net"
    ));
    // HELO: no extensions.
    assert_eq!(
        h.send("HELO client.example.net\r\n"),
        "250 mx.example.org\r\n"
    );
}

#[test]
fn default_options_offer_starttls_and_hide_auth_without_tls() {
    let mut o = Options::default();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    let ehlo = h.send("EHLO c\r\n");
    assert!(ehlo.contains("250-STARTTLS\r\n"), "{ehlo}");
    assert!(!ehlo.contains("AUTH"), "{ehlo}");
    // RFC 4954 §4: no plaintext password without TLS.
    assert_eq!(
        h.send("AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"),
        "503 5.5.1 Error: authentication not enabled\r\n"
    );
}

#[test]
fn sequencing_errors_are_503() {
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    // RFC 5321 §4.1.4: EHLO first.
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "503 5.5.1 Error: send HELO/EHLO first\r\n"
    );
    h.send("EHLO c\r\n");
    assert_eq!(
        h.send("RCPT TO:<a@example.org>\r\n"),
        "503 5.5.1 Error: need MAIL command\r\n"
    );
    assert_eq!(h.send("DATA\r\n"), "503 5.5.1 Error: need MAIL command\r\n");
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
    assert_eq!(h.server.state(), State::Transaction);
    assert_eq!(h.send("DATA\r\n"), "503 5.5.1 Error: need RCPT command\r\n");
    assert_eq!(
        h.send("MAIL FROM:<b@example.org>\r\n"),
        "503 5.5.1 Error: nested MAIL command\r\n"
    );
    assert_eq!(
        h.send("RCPT TO:<unknown@example.org>\r\n"),
        "550 5.1.1 Recipient address rejected: User unknown\r\n"
    );
    assert_eq!(
        h.send("DATA\r\n"),
        "554 5.5.1 Error: no valid recipients\r\n"
    );
    // Without helo_required, Postfix's default.
    let mut o = options();
    o.helo_required = false;
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
}

#[test]
fn rset_and_noop_anywhere() {
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    assert_eq!(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");
    assert_eq!(h.send("RSET\r\n"), "250 2.0.0 Ok\r\n");
    h.send("EHLO c\r\n");
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(h.send("NOOP hello there\r\n"), "250 2.0.0 Ok\r\n");
    assert_eq!(h.server.state(), State::Transaction);
    assert_eq!(h.send("RSET\r\n"), "250 2.0.0 Ok\r\n");
    assert_eq!(h.server.state(), State::Ready);
    assert_eq!(
        h.send("RCPT TO:<a@example.org>\r\n"),
        "503 5.5.1 Error: need MAIL command\r\n"
    );
    assert_eq!(h.send("RSET now\r\n"), "501 5.5.4 Syntax: RSET\r\n");
}

#[test]
fn vrfy_expn_help() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // RFC 5321 §3.5.3.
    assert_eq!(
        h.send("VRFY postmaster\r\n"),
        "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery\r\n"
    );
    assert_eq!(h.send("VRFY\r\n"), "501 5.5.4 Syntax: VRFY address\r\n");
    assert_eq!(
        h.send("EXPN staff\r\n"),
        "502 5.5.1 Error: command not implemented\r\n"
    );
    assert!(h.send("HELP\r\n").starts_with("214 2.0.0 "));
    let mut o = options();
    o.vrfy = Vrfy::Disabled;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("VRFY x\r\n"),
        "502 5.5.1 VRFY command is disabled\r\n"
    );
}

#[test]
fn unknown_and_malformed_commands_leave_the_session_usable() {
    let mut h = Harness::ready(options(), Answers::Auto);
    assert_eq!(
        h.send("FROB\r\n"),
        "500 5.5.2 Error: command not recognized\r\n"
    );
    assert_eq!(h.send("\r\n"), "500 5.5.2 Error: bad syntax\r\n");
    assert_eq!(
        h.send("MAIL\r\n"),
        "501 5.5.4 Syntax: MAIL FROM:<address>\r\n"
    );
    assert_eq!(h.send("DATA now\r\n"), "501 5.5.4 Syntax: DATA\r\n");
    assert_eq!(h.send("QUIT now\r\n"), "501 5.5.4 Syntax: QUIT\r\n");
    assert_eq!(h.send("EHLO\r\n"), "501 5.5.4 Syntax: EHLO hostname\r\n");
    assert_eq!(h.send("NOOP \u{e9}\r\n"), "250 2.0.0 Ok\r\n");
    assert_eq!(
        h.send_bytes(b"NOOP \xff\r\n"),
        "500 5.5.2 Error: bad UTF-8 syntax\r\n"
    );
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
    let rejected = h
        .events
        .iter()
        .filter(|e| matches!(e, Event::CommandRejected { .. }))
        .count();
    assert_eq!(rejected, 7);
}

#[test]
fn quit_closes() {
    let mut h = Harness::ready(options(), Answers::Auto);
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(h.send("QUIT\r\nNOOP\r\n"), "221 2.0.0 Bye\r\n");
    assert!(h.server.is_closed());
    assert!(!h.server.wants_read());
    assert_eq!(h.server.poll_timeout(), None);
    assert_eq!(h.send("NOOP\r\n"), "");
    let events = h.take_events();
    assert!(
        matches!(
            &events[..],
            [
                Event::MailRequested { .. },
                Event::TransactionAborted {
                    reason: smtp_proto::server::AbortReason::Closed,
                    ..
                },
                Event::Closed {
                    reason: CloseReason::Quit
                }
            ]
        ),
        "{events:?}"
    );
}

#[test]
fn overlong_lines_get_500_and_the_rest_is_discarded() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // 2048 octets with CRLF is the longest line (Postfix's line_length_limit).
    let longest = format!("NOOP {}\r\n", "x".repeat(2048 - 7));
    assert_eq!(longest.len(), 2048);
    assert_eq!(h.send(&longest), "250 2.0.0 Ok\r\n");
    let long = format!("NOOP {}\r\nNOOP\r\n", "x".repeat(2048 - 6));
    assert_eq!(
        h.send(&long),
        "500 5.5.2 Error: line too long\r\n250 2.0.0 Ok\r\n"
    );
    // The rest of a long line arrives in pieces and is dropped as it comes.
    assert_eq!(
        h.send(&"y".repeat(3000)),
        "500 5.5.2 Error: line too long\r\n"
    );
    for _ in 0..100 {
        assert_eq!(h.send(&"y".repeat(1000)), "");
    }
    assert_eq!(h.send("yyy\r\nRSET\r\n"), "250 2.0.0 Ok\r\n");
}

#[test]
fn pipelining_after_a_group_ending_command_disconnects() {
    // Postfix (smtpd_forbid_unauth_pipelining = yes): commands sent after
    // EHLO before its reply get 554 5.5.0 and the connection closes.
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    assert_eq!(
        h.send("EHLO c\r\nMAIL FROM:<a@example.org>\r\n"),
        "554 5.5.0 Error: SMTP protocol synchronization\r\n"
    );
    assert!(h.server.is_closed());
    assert!(matches!(
        h.events.last(),
        Some(Event::Closed {
            reason: CloseReason::ImproperPipelining
        })
    ));

    // The body sent with DATA, before the 354.
    for batch in [
        "DATA\r\nSubject: x\r\n\r\nhi\r\n.\r\n",
        "NOOP\r\nRSET\r\n",
        "VRFY a\r\nRSET\r\n",
        "AUTH LOGIN\r\ndXNlcg==\r\n",
        "HELP\r\nNOOP\r\n",
        "EHLO again\r\nNOOP\r\n",
    ] {
        let mut h = Harness::ready(options(), Answers::Auto);
        h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
        let out = h.send(batch);
        assert!(
            out.ends_with("554 5.5.0 Error: SMTP protocol synchronization\r\n"),
            "{batch:?}: {out}"
        );
        assert!(h.server.is_closed());
        assert!(h.stored.is_empty());
    }
}

#[test]
fn pipelining_in_groups_is_fine() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // RSET, MAIL and RCPT may go anywhere in a group, DATA last; the body and
    // the next group may follow the end of data (RFC 2920 §3.1).
    let out = h.send(
        "RSET\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n",
    );
    assert_eq!(codes(&out), [250, 250, 250, 250, 354]);
    let out = h.send("hi\r\n.\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nQUIT\r\n");
    assert_eq!(codes(&out), [250, 250, 250, 221]);
    assert_eq!(h.stored, [b"hi\r\n".to_vec()]);
    // AUTH PLAIN with an initial response may be followed (RFC 4954 §4).
    let mut h = Harness::ready(options(), Answers::Auto);
    let out = h.send("AUTH PLAIN AHVzZXIAc2VjcmV0\r\nMAIL FROM:<a@example.org>\r\n");
    assert_eq!(codes(&out), [235, 250]);
}

#[test]
fn pipelining_without_pipelining_offered() {
    // After HELO (no PIPELINING) any batch is improper.
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    h.send("HELO c\r\n");
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
    assert_eq!(out, "554 5.5.0 Error: SMTP protocol synchronization\r\n");
    // Nor with PIPELINING turned off.
    let mut o = options();
    o.pipelining = false;
    let mut h = Harness::ready(o, Answers::Auto);
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
    assert_eq!(out, "554 5.5.0 Error: SMTP protocol synchronization\r\n");
    // One command at a time is fine.
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    h.send("HELO c\r\n");
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
    assert_eq!(h.send("RCPT TO:<b@example.org>\r\n"), "250 2.1.5 Ok\r\n");
}

#[test]
fn improper_pipelining_tolerated_when_not_forbidden() {
    let mut o = options();
    o.forbid_unauth_pipelining = false;
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    let out = h.send("EHLO c\r\nMAIL FROM:<a@example.org>\r\nNOOP\r\nRSET\r\n");
    assert_eq!(codes(&out), [250, 250, 250, 250]);
    let reports = h
        .events
        .iter()
        .filter(|e| matches!(e, Event::ImproperPipelining { after: "EHLO" }))
        .count();
    assert_eq!(reports, 1);
    assert!(!h.server.is_closed());
}

#[test]
fn starttls_discards_plaintext_and_resets() {
    let mut o = options();
    o.starttls = true;
    o.auth_without_tls = false;
    o.forbid_unauth_pipelining = false;
    let mut h = Harness::new(o, Answers::Manual);
    h.output();
    h.send("EHLO c\r\n");
    // Commands injected after STARTTLS in the same packet (CVE-2011-0411).
    assert_eq!(
        h.send("STARTTLS\r\nMAIL FROM:<evil@x.y>\r\n"),
        "220 2.0.0 Ready to start TLS\r\n"
    );
    assert!(matches!(
        h.take_events()[..],
        [
            Event::ImproperPipelining { after: "STARTTLS" },
            Event::TlsRequested
        ]
    ));
    assert_eq!(h.server.state(), State::TlsHandshake);
    assert!(!h.server.wants_read());
    // Nothing fed during the handshake is read.
    h.server.handle_input(b"RSET\r\n");
    assert_eq!(h.output(), "");
    h.server.tls_established().unwrap();
    assert!(h.server.is_tls());
    assert_eq!(h.server.state(), State::Connected);
    assert_eq!(h.output(), "");
    assert!(h.take_events().is_empty());
    // The session starts over: EHLO again; STARTTLS is gone, AUTH appears.
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "503 5.5.1 Error: send HELO/EHLO first\r\n"
    );
    let ehlo = h.send("EHLO c\r\n");
    assert!(
        !ehlo.contains("STARTTLS") && ehlo.contains("AUTH PLAIN LOGIN"),
        "{ehlo}"
    );
    // STARTTLS inside TLS.
    assert_eq!(
        h.send("STARTTLS\r\n"),
        "554 5.5.1 Error: TLS already active\r\n"
    );
    assert_eq!(
        h.server.tls_established(),
        Err(smtp_proto::ServerError::NoTlsPending)
    );
}

#[test]
fn starttls_refusals() {
    let mut o = options();
    o.starttls = true;
    let mut h = Harness::ready(o, Answers::Auto);
    // RFC 3207 §4: "501 Syntax error (no parameters allowed)".
    assert_eq!(
        h.send("STARTTLS extra\r\n"),
        "501 5.5.4 Syntax: STARTTLS\r\n"
    );
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(
        h.send("STARTTLS\r\n"),
        "503 5.5.1 Error: MAIL transaction in progress\r\n"
    );
    let mut h = Harness::ready(options(), Answers::Auto);
    assert_eq!(
        h.send("STARTTLS\r\n"),
        "502 5.5.1 Error: command not implemented\r\n"
    );
}

#[test]
fn require_tls_before_mail() {
    let mut o = options();
    o.starttls = true;
    o.require_tls = true;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "530 5.7.0 Must issue a STARTTLS command first\r\n"
    );
    h.send("STARTTLS\r\n");
    h.send("EHLO c\r\n");
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
}

#[test]
fn soft_error_limit_delays_and_hard_limit_closes() {
    let mut o = options();
    o.soft_error_limit = 2;
    o.hard_error_limit = 4;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("FROB\r\n"),
        "500 5.5.2 Error: command not recognized\r\n"
    );
    assert_eq!(
        h.send("FROB\r\n"),
        "500 5.5.2 Error: command not recognized\r\n"
    );
    // Past the soft limit every reply waits for error_delay (Postfix's
    // smtpd_error_sleep_time), even a good one.
    assert_eq!(h.send("NOOP\r\n"), "");
    // The server asks for the time at once, then for a second later.
    assert_eq!(h.server.poll_timeout(), Some(h.now));
    assert_eq!(h.advance(Duration::ZERO), "");
    assert_eq!(
        h.server.poll_timeout(),
        Some(h.now + Duration::from_secs(1))
    );
    assert_eq!(h.advance(Duration::from_millis(999)), "");
    assert_eq!(h.advance(Duration::from_millis(1)), "250 2.0.0 Ok\r\n");
    // Commands keep queuing meanwhile, answered one delay at a time.
    assert_eq!(h.send("FROB\r\nFROB\r\n"), "");
    h.advance(Duration::ZERO);
    // The fourth error: 421 and close at once (Postfix's
    // smtpd_hard_error_limit).
    assert_eq!(
        h.advance(Duration::from_secs(1)),
        "500 5.5.2 Error: command not recognized\r\n\
         500 5.5.2 Error: command not recognized\r\n\
         421 4.7.0 mx.example.org Error: too many errors\r\n"
    );
    assert!(h.server.is_closed());
    assert!(matches!(
        h.events.last(),
        Some(Event::Closed {
            reason: CloseReason::TooManyErrors
        })
    ));
}

#[test]
fn delivering_mail_resets_the_error_count() {
    let mut o = options();
    o.hard_error_limit = 3;
    let mut h = Harness::ready(o, Answers::Auto);
    h.send("FROB\r\n");
    h.send("FROB\r\n");
    h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    h.send("x\r\n.\r\n");
    h.send("FROB\r\n");
    assert_eq!(
        h.send("FROB\r\n"),
        "500 5.5.2 Error: command not recognized\r\n"
    );
    assert!(!h.server.is_closed());
}

#[test]
fn junk_commands_count_past_their_limit() {
    let mut o = options();
    o.junk_command_limit = 3;
    o.hard_error_limit = 2;
    let mut h = Harness::ready(o, Answers::Auto);
    for _ in 0..4 {
        assert_eq!(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");
    }
    assert_eq!(
        h.send("RSET\r\n"),
        "250 2.0.0 Ok\r\n421 4.7.0 mx.example.org Error: too many errors\r\n"
    );
}

#[test]
fn idle_clients_time_out() {
    let mut h = Harness::ready(options(), Answers::Manual);
    let five = Duration::from_secs(5 * 60);
    // RFC 5321 §4.5.3.2.7: at least five minutes.
    assert_eq!(h.server.poll_timeout(), Some(h.now + five));
    assert_eq!(h.advance(five - Duration::from_secs(1)), "");
    // There was input since the timer was set: it starts again.
    assert_eq!(h.advance(Duration::from_secs(1)), "");
    assert!(!h.server.is_closed());
    assert_eq!(
        h.advance(five),
        "421 4.4.2 mx.example.org Error: timeout exceeded\r\n"
    );
    assert!(h.server.is_closed());

    // A decision of the application's pending does not time the client out.
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<a@example.org>\r\n");
    for _ in 0..5 {
        assert_eq!(h.advance(five), "");
    }
    assert!(!h.server.is_closed());
    let events = h.take_events();
    let [Event::MailRequested { txn, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    h.server.accept_mail(*txn).unwrap();
    assert_eq!(h.output(), "250 2.1.0 Ok\r\n");
}

#[test]
fn shutdown_says_421() {
    let mut h = Harness::ready(options(), Answers::Auto);
    h.server.shutdown();
    assert_eq!(
        h.output(),
        "421 4.3.2 mx.example.org Service shutting down\r\n"
    );
    assert!(h.server.is_closed());
}

#[test]
fn lmtp_takes_lhlo_only() {
    let mut o = Options::lmtp();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    let mut h = Harness::new(o, Answers::Auto);
    assert_eq!(h.output(), "220 mx.example.org LMTP\r\n");
    assert_eq!(
        h.send("EHLO c\r\n"),
        "500 5.5.1 Error: LMTP clients send LHLO\r\n"
    );
    assert_eq!(
        h.send("HELO c\r\n"),
        "500 5.5.1 Error: LMTP clients send LHLO\r\n"
    );
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "503 5.5.1 Error: send LHLO first\r\n"
    );
    let lhlo = h.send("LHLO c\r\n");
    assert!(
        lhlo.starts_with("250-mx.example.org\r\n250-PIPELINING\r\n"),
        "{lhlo}"
    );
    // And SMTP does not take LHLO.
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    assert_eq!(
        h.send("LHLO c\r\n"),
        "500 5.5.2 Error: command not recognized\r\n"
    );
}

#[test]
fn without_enhanced_status_codes() {
    let mut o = options();
    o.enhanced_status_codes = false;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(h.send("NOOP\r\n"), "250 Ok\r\n");
    assert_eq!(h.send("FROB\r\n"), "500 Error: command not recognized\r\n");
}

#[test]
fn invalid_hello_names() {
    // Postfix takes them by default.
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    assert!(h.send("EHLO my_pc\r\n").starts_with("250-"));
    let mut o = options();
    o.reject_invalid_hello = true;
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    assert_eq!(
        h.send("EHLO my_pc\r\n"),
        "501 5.5.2 <my_pc>: Helo command rejected: Invalid name\r\n"
    );
    assert!(h.send("EHLO [192.0.2.1]\r\n").starts_with("250-"));
}

#[test]
fn input_beyond_the_read_ahead_closes() {
    let mut o = options();
    o.max_buffered_input = 1024;
    let mut h = Harness::ready(o, Answers::Manual);
    h.send("MAIL FROM:<a@example.org>\r\n");
    // The application has not decided; the client floods.
    let flood = "RCPT TO:<b@example.org>\r\n".repeat(50);
    h.server.handle_input(flood.as_bytes());
    assert!(!h.server.wants_read());
    h.server.handle_input(flood.as_bytes());
    assert!(h.server.is_closed());
    assert_eq!(
        h.output(),
        "421 4.7.0 mx.example.org Error: too much pipelined input\r\n"
    );
}
