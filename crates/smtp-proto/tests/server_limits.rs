//! What counts against a client, as Postfix counts it: recipients over the
//! limit only past the overshoot (`smtpd_recipient_overshoot_limit`), and
//! never the application's failure to store a message.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::{Answers, HOST, Harness, codes, options};
use smtp_proto::server::{CloseReason, Event, Options, State};
use smtp_proto::{EnhancedCode, Reply, ReplyCode};

#[test]
fn recipients_over_the_limit_are_not_errors_within_the_overshoot() {
    // The review's case, with Postfix's defaults: 1030 pipelined RCPTs. The
    // first 1000 are taken, the other 30 get 452 4.5.3, and the transaction
    // goes on (before, each 452 counted: the 20th was the hard limit, 421,
    // and the 1000-recipient transaction was lost).
    let mut h = Harness::ready(options(), Answers::Auto);
    let mut batch = String::from("MAIL FROM:<a@example.org>\r\n");
    for i in 0..1030 {
        batch.push_str(&format!("RCPT TO:<r{i}@example.org>\r\n"));
    }
    batch.push_str("DATA\r\n");
    let out = h.send(&batch);
    let codes = codes(&out);
    assert_eq!(codes.len(), 1 + 1030 + 1);
    assert!(codes[1..1001].iter().all(|&c| c == 250));
    assert!(codes[1001..1031].iter().all(|&c| c == 452));
    assert!(out.contains("452 4.5.3 Error: too many recipients\r\n"));
    assert_eq!(codes[1031], 354);
    assert_eq!(h.send("hi\r\n.\r\n"), "250 2.0.0 Ok: queued\r\n");
    assert!(!h.server.is_closed());
    let Some(Event::MessageReceived { recipients, .. }) = h
        .events
        .iter()
        .find(|e| matches!(e, Event::MessageReceived { .. }))
    else {
        panic!("no message")
    };
    assert_eq!(recipients.len(), 1000);
    assert_eq!(Options::default().recipient_overshoot_limit, 1000);
}

#[test]
fn recipients_past_the_overshoot_count() {
    let mut o = options();
    o.max_recipients = 2;
    o.recipient_overshoot_limit = 3;
    o.soft_error_limit = 100;
    o.hard_error_limit = 2;
    let mut h = Harness::ready(o, Answers::Auto);
    h.send("MAIL FROM:<a@example.org>\r\n");
    let mut batch = String::new();
    for i in 0..7 {
        batch.push_str(&format!("RCPT TO:<r{i}@example.org>\r\n"));
    }
    // Two taken, three over the limit uncounted, two counted: the hard
    // limit.
    assert_eq!(
        codes(&h.send(&batch)),
        [250, 250, 452, 452, 452, 452, 452, 421]
    );
    assert!(matches!(
        h.events.last(),
        Some(Event::Closed {
            reason: CloseReason::TooManyErrors
        })
    ));
    // The overshoot is per transaction, as Postfix resets it with the
    // recipients.
    let mut o = options();
    o.max_recipients = 1;
    o.recipient_overshoot_limit = 1;
    o.hard_error_limit = 2;
    let mut h = Harness::ready(o, Answers::Auto);
    for _ in 0..3 {
        let out = h.send(
            "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nRSET\r\n",
        );
        assert_eq!(codes(&out), [250, 250, 452, 250]);
    }
    assert!(!h.server.is_closed());
}

/// An LMTP session past LHLO with `n` recipients accepted and a message
/// received, answered by hand.
fn lmtp_message(
    n: usize,
    o: Options,
) -> (
    Harness,
    smtp_proto::server::TxnId,
    Vec<smtp_proto::server::RcptId>,
) {
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    h.send("LHLO c\r\n");
    let mut batch = String::from("MAIL FROM:<a@example.org>\r\n");
    for i in 0..n {
        batch.push_str(&format!("RCPT TO:<r{i}@example.org>\r\n"));
    }
    batch.push_str("DATA\r\n");
    h.send(&batch);
    let (txn, recipients) = h.message_waiting("hello\r\n.\r\n");
    (h, txn, recipients)
}

#[test]
fn lmtp_storage_failures_are_not_client_errors() {
    // The review's case: 30 recipients whose storage fails. Each gets its
    // reply; the hard error limit (20) is not reached, and no
    // recipient_stored call is refused (a refusal left the client to retry
    // recipients already stored: duplicates).
    let mut o = Options::lmtp();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    let (mut h, txn, rcpts) = lmtp_message(30, o);
    assert_eq!(rcpts.len(), 30);
    let full = Reply::new(
        ReplyCode::INSUFFICIENT_STORAGE,
        Some(EnhancedCode::new(4, 2, 2).unwrap()),
        "Mailbox full",
    )
    .unwrap();
    for rcpt in &rcpts {
        h.server
            .recipient_stored(txn, *rcpt, Err(full.clone()))
            .unwrap();
    }
    let out = h.output();
    assert_eq!(codes(&out), vec![452; 30]);
    assert!(!h.server.is_closed());
    assert_eq!(h.server.state(), State::Ready);
    // Past the soft limit replies would be delayed: they were not.
    assert_eq!(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");

    // message_stored for all of them at once, too.
    let mut o = Options::lmtp();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    o.hard_error_limit = 1;
    let (mut h, txn, _) = lmtp_message(3, o);
    h.server
        .message_stored(txn, Err(Reply::STORE_FAILED))
        .unwrap();
    assert_eq!(codes(&h.output()), [451, 451, 451]);
    assert!(!h.server.is_closed());
}

#[test]
fn smtp_storage_failures_are_not_client_errors() {
    let mut o = options();
    o.hard_error_limit = 2;
    let mut h = Harness::ready(o, Answers::Auto);
    for _ in 0..3 {
        h.answers = Answers::Auto;
        h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
        h.answers = Answers::Manual;
        h.events.clear();
        h.send("x\r\n.\r\n");
        let events = h.take_events();
        let Some(Event::MessageReceived { txn, .. }) = events.last() else {
            panic!("{events:?}")
        };
        h.server
            .message_stored(*txn, Err(Reply::STORE_FAILED))
            .unwrap();
        assert_eq!(h.output(), "451 4.3.0 Error: queue file write error\r\n");
    }
    assert!(!h.server.is_closed());
}
