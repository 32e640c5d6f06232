//! The ends of a server session the drivers need: refusing a connection at
//! the greeting, shutting down without losing a message being stored, and
//! the identity an AUTH established.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answers, Harness, codes, options};
use smtp_proto::server::{CloseReason, Event, State};
use smtp_proto::{Reply, ServerError};

#[test]
fn refused_with_421_at_the_greeting() {
    // Postfix's anvil text when a client has too many connections.
    let mut h = Harness::new(options(), Answers::Auto);
    h.server.refuse(Reply::TOO_MANY_CONNECTIONS).unwrap();
    assert_eq!(
        h.output(),
        "421 4.7.0 mx.example.org Error: too many connections\r\n"
    );
    assert!(h.server.is_closed());
    assert!(matches!(
        h.take_events()[..],
        [Event::Closed {
            reason: CloseReason::Refused
        }]
    ));
    // postscreen's, when every smtpd is busy.
    let mut h = Harness::new(options(), Answers::Auto);
    h.server.refuse(Reply::ALL_PORTS_BUSY).unwrap();
    assert_eq!(
        h.output(),
        "421 4.3.2 mx.example.org All server ports are busy\r\n"
    );
}

#[test]
fn refused_with_554_waits_for_quit() {
    // RFC 5321 §3.1: after a 554 greeting the server "MUST still wait for
    // the client to send a QUIT ... and SHOULD respond to any intervening
    // commands with 503" (Postfix: 503 5.7.0 Error: access denied).
    let mut h = Harness::new(options(), Answers::Auto);
    h.server.refuse(Reply::NO_SERVICE).unwrap();
    assert_eq!(
        h.output(),
        "554 5.3.2 mx.example.org Service currently unavailable\r\n"
    );
    assert!(!h.server.is_closed());
    assert_eq!(
        h.send("EHLO client.example.net\r\n"),
        "503 5.7.0 Error: access denied\r\n"
    );
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "503 5.7.0 Error: access denied\r\n"
    );
    assert_eq!(h.send("QUIT\r\n"), "221 2.0.0 Bye\r\n");
    assert!(h.server.is_closed());
    let events = h.take_events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::HelloReceived { .. } | Event::MailRequested { .. })),
        "{events:?}"
    );
}

#[test]
fn refusal_only_before_the_greeting_and_only_421_or_554() {
    let mut h = Harness::new(options(), Answers::Auto);
    assert_eq!(h.server.refuse(Reply::OK), Err(ServerError::WrongReplyCode));
    assert_eq!(
        h.server.refuse(Reply::USER_UNKNOWN),
        Err(ServerError::WrongReplyCode)
    );
    h.output();
    assert_eq!(
        h.server.refuse(Reply::TOO_MANY_CONNECTIONS),
        Err(ServerError::GreetingSent)
    );
    assert_eq!(h.send("NOOP\r\n"), "250 2.0.0 Ok\r\n");
}

/// A session with a message received and waiting to be stored, the
/// application answering by hand.
fn message_waiting(
    lmtp: bool,
) -> (
    Harness,
    smtp_proto::server::TxnId,
    Vec<smtp_proto::server::RcptId>,
) {
    let mut o = if lmtp {
        let mut o = smtp_proto::server::Options::lmtp();
        o.hostname = smtp_proto::Domain::from_static(common::HOST);
        o
    } else {
        options()
    };
    o.forbid_unauth_pipelining = false;
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    h.send(if lmtp { "LHLO c\r\n" } else { "EHLO c\r\n" });
    h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");
    let (txn, recipients) = h.message_waiting("hi\r\n.\r\n");
    (h, txn, recipients)
}

#[test]
fn shutdown_lets_the_message_being_stored_finish() {
    // The review's case: shutdown() while the application stores a message
    // aborted it, and message_stored then failed: the client never heard
    // 250 for a message that was stored, and sends it again.
    let (mut h, txn, _) = message_waiting(false);
    h.server.shutdown();
    // Nothing yet: the decision is pending; no input is read meanwhile.
    assert_eq!(h.output(), "");
    assert!(!h.server.wants_read());
    assert!(!h.server.is_closed());
    h.server.handle_input(b"MAIL FROM:<x@example.org>\r\n");
    h.server.message_stored(txn, Ok(())).unwrap();
    assert_eq!(
        h.output(),
        "250 2.0.0 Ok: queued\r\n421 4.3.2 mx.example.org Service shutting down\r\n"
    );
    assert!(h.server.is_closed());
    let events = h.take_events();
    assert!(
        matches!(
            &events[..],
            [Event::Closed {
                reason: CloseReason::Shutdown
            }]
        ),
        "{events:?}"
    );

    // LMTP: every recipient's reply, then 421.
    let (mut h, txn, rcpts) = message_waiting(true);
    h.server.shutdown();
    h.server.recipient_stored(txn, rcpts[0], Ok(())).unwrap();
    assert_eq!(h.output(), "250 2.0.0 <b@example.org> Ok: delivered\r\n");
    assert!(!h.server.is_closed());
    h.server
        .recipient_stored(txn, rcpts[1], Err(Reply::INSUFFICIENT_STORAGE))
        .unwrap();
    assert_eq!(
        codes(&h.output()),
        [452, 421],
        "the last reply, then the shutdown"
    );
    assert!(h.server.is_closed());

    // With no message pending, shutdown is at once, as before.
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<a@example.org>\r\n");
    h.server.shutdown();
    assert_eq!(
        h.output(),
        "421 4.3.2 mx.example.org Service shutting down\r\n"
    );
    assert!(h.server.is_closed());
}

#[test]
fn the_authenticated_identity() {
    let mut h = Harness::ready(options(), Answers::Auto);
    assert!(h.server.auth_identity().is_none());
    // PLAIN with an authorization identity (RFC 4616 §2).
    let ir = STANDARD.encode(b"admin\0alice\0secret");
    assert_eq!(
        h.send(&format!("AUTH PLAIN {ir}\r\n")),
        "235 2.7.0 Authentication successful\r\n"
    );
    let id = h.server.auth_identity().unwrap();
    assert_eq!(id.authcid(), "alice");
    assert_eq!(id.authzid(), Some("admin"));
    assert!(h.server.is_authenticated());

    // LOGIN: the user name; a failure leaves none.
    let mut h = Harness::ready(options(), Answers::Auto);
    h.send("AUTH LOGIN\r\n");
    h.send(&format!("{}\r\n", STANDARD.encode("bob")));
    assert_eq!(
        h.send(&format!("{}\r\n", STANDARD.encode("wrong"))),
        "535 5.7.8 Error: authentication failed\r\n"
    );
    assert!(h.server.auth_identity().is_none());
    h.send("AUTH LOGIN\r\n");
    h.send(&format!("{}\r\n", STANDARD.encode("bob")));
    h.send(&format!("{}\r\n", STANDARD.encode("secret")));
    let id = h.server.auth_identity().unwrap();
    assert_eq!((id.authcid(), id.authzid()), ("bob", None));

    // STARTTLS forgets it with the rest (RFC 3207 §4.2).
    let mut o = options();
    o.starttls = true;
    let mut h = Harness::ready(o, Answers::Auto);
    h.send(&format!(
        "AUTH PLAIN {}\r\n",
        STANDARD.encode(b"\0carol\0secret")
    ));
    assert_eq!(h.server.auth_identity().unwrap().authcid(), "carol");
    h.send("STARTTLS\r\n");
    assert_eq!(h.server.state(), State::Connected);
    assert!(h.server.auth_identity().is_none());
}
