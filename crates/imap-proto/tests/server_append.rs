//! APPEND and MULTIAPPEND through the server machine, streamed (RFC 9051
//! §6.3.12, RFC 3502, RFC 3516, RFC 6855 §4, RFC 7888): the application's
//! decision before the client uploads anything, the octets handed over as
//! they arrive, and the completion the application gives.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use std::time::Duration;

use bytes::BytesMut;
use common::server::{Harness, plaintext_options, tag};
use imap_proto::ServerError;
use imap_proto::server::{
    AppendAnnouncement, CloseReason, Completion, Event, LiteralExtension, Updates,
};
use imap_proto::types::{Code, Date, DateTime, Flag, SequenceSet};

/// RFC 9051 §6.3.12's example message, 326 octets.
const RFC9051_MESSAGE: &str = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n\
From: Fred Foobar <foobar@Blurdybloop.example>\r\n\
Subject: afternoon meeting\r\n\
To: mooch@owatagu.siam.edu.example\r\n\
Message-Id: <B27397-0100000@Blurdybloop.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n\
Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";

/// The events so far, the octets of the chunks joined.
fn chunks(events: &[Event]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::AppendChunk { data, .. } => Some(data.to_vec()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn requested(events: &[Event]) -> Vec<(String, String, AppendAnnouncement)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::AppendRequested {
                tag,
                mailbox,
                message,
            } => Some((
                tag.as_str().to_owned(),
                String::from_utf8_lossy(mailbox.as_bytes()).into_owned(),
                message.clone(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn rfc9051_examples_decision_first_then_octets_as_they_arrive() {
    assert_eq!(RFC9051_MESSAGE.len(), 326);
    let mut h = Harness::logged_in(plaintext_options());
    // RFC 9051 §6.3.12, first example: the decision comes before `+`.
    assert_eq!(h.send("A003 APPEND saved-messages (\\Seen) {326}\r\n"), "");
    let events = h.take_events();
    let [(t, mailbox, message)] = requested(&events).try_into().unwrap();
    assert_eq!((t.as_str(), mailbox.as_str()), ("A003", "saved-messages"));
    assert_eq!(message.index, 0);
    assert_eq!(message.flags, Some(vec![Flag::Seen]));
    assert_eq!((message.date, message.size), (None, 326));
    assert!(!message.binary && !message.utf8);
    assert_eq!(events.len(), 1);
    // Nothing else is read meanwhile, and no completion is possible yet.
    assert_eq!(
        h.server.ok(&tag("A003")),
        Err(ServerError::NoCommandPending)
    );
    h.server.accept_append(&tag("A003")).unwrap();
    assert_eq!(h.output(), "+ OK\r\n");
    // The octets come out as they arrive, never gathered.
    let (a, b) = RFC9051_MESSAGE.split_at(100);
    h.send(a);
    let events = h.take_events();
    assert_eq!(chunks(&events), a.as_bytes());
    h.send(b);
    h.send("\r\n");
    let events = h.take_events();
    assert_eq!(chunks(&events), b.as_bytes());
    assert!(matches!(
        &events[events.len() - 2..],
        [
            Event::AppendMessageEnded { .. },
            Event::AppendReceived { messages: 1, .. }
        ]
    ));
    // The application decides the completion.
    h.server.ok(&tag("A003")).unwrap();
    assert_eq!(h.output(), "A003 OK APPEND completed\r\n");

    // The second example: LITERAL+ (RFC 7888), and UIDPLUS's APPENDUID (RFC
    // 4315). The decision still comes first; the octets wait for it.
    let message = RFC9051_MESSAGE
        .replace("Blurdybloop.example", "example.com")
        .replace("owatagu.siam.edu.example", "example.com");
    assert_eq!(message.len(), 297);
    let input = format!("A003 APPEND saved-messages (\\Seen) {{297+}}\r\n{message}\r\n");
    assert_eq!(h.send(&input), "");
    let events = h.take_events();
    assert_eq!(requested(&events)[0].2.size, 297);
    assert_eq!(events.len(), 1);
    h.server.accept_append(&tag("A003")).unwrap();
    let events = h.take_events();
    assert_eq!(chunks(&events), message.as_bytes());
    assert!(matches!(
        events.last(),
        Some(Event::AppendReceived { messages: 1, .. })
    ));
    h.server
        .complete(
            &tag("A003"),
            Completion::ok("APPEND completed").with_code(Code::AppendUid {
                uid_validity: 38505,
                uids: SequenceSet::single(3955).unwrap(),
            }),
        )
        .unwrap();
    assert_eq!(
        h.output(),
        "A003 OK [APPENDUID 38505 3955] APPEND completed\r\n"
    );
}

#[test]
fn a_refused_message_is_never_uploaded() {
    let mut h = Harness::logged_in(plaintext_options());
    // Dovecot's answer for a missing mailbox, before any octet.
    h.send("a1 APPEND Nope {310}\r\n");
    h.take_events();
    assert_eq!(
        h.server.reject_append(&tag("a1"), Completion::ok("no")),
        Err(ServerError::InvalidStatus)
    );
    assert_eq!(
        h.server.accept_append(&tag("zz")),
        Err(ServerError::UnknownTag)
    );
    h.server
        .reject_append(
            &tag("a1"),
            Completion::no("Mailbox doesn't exist: Nope").with_code(Code::TryCreate),
        )
        .unwrap();
    assert_eq!(
        h.output(),
        "a1 NO [TRYCREATE] Mailbox doesn't exist: Nope\r\n"
    );
    assert_eq!(
        h.server.accept_append(&tag("a1")),
        Err(ServerError::NoAppendPending)
    );
    // The client sends nothing of it; the next command is read.
    h.send("a2 NOOP\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandReceived { .. }]
    ));
    h.server.ok(&tag("a2")).unwrap();
    h.output();
    // A non-synchronizing one is on its way: dropped as it arrives, held
    // nowhere, and the application hears no chunk of it.
    h.server.handle_input(b"a3 APPEND Nope {100000+}\r\n");
    h.take_events();
    h.server
        .reject_append(
            &tag("a3"),
            Completion::no("Quota exceeded").with_code(Code::OverQuota),
        )
        .unwrap();
    assert_eq!(h.output(), "a3 NO [OVERQUOTA] Quota exceeded\r\n");
    for _ in 0..100 {
        assert!(h.server.wants_read());
        h.server.handle_input(&[b'x'; 1000]);
    }
    h.server.handle_input(b"\r\na4 NOOP\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandReceived { .. }]
    ));
}

#[test]
fn multiappend_decides_and_streams_each_message() {
    // RFC 3502: messages one after the other in one command.
    let mut h = Harness::logged_in(plaintext_options());
    h.send("m1 APPEND INBOX {3}\r\n");
    h.take_events();
    h.server.accept_append(&tag("m1")).unwrap();
    assert_eq!(h.output(), "+ OK\r\n");
    h.send("abc (\\Flagged) \" 7-Feb-1994 21:52:25 -0800\" {2}\r\n");
    let events = h.take_events();
    assert_eq!(chunks(&events), b"abc");
    assert!(matches!(events[1], Event::AppendMessageEnded { .. }));
    let [(_, mailbox, message)] = requested(&events).try_into().unwrap();
    assert_eq!(mailbox, "INBOX");
    assert_eq!(message.index, 1);
    assert_eq!(message.flags, Some(vec![Flag::Flagged]));
    let date = message.date.unwrap();
    assert_eq!(
        date,
        DateTime::new(Date::new(1994, 2, 7).unwrap(), 21, 52, 25, -8 * 60).unwrap()
    );
    h.server.accept_append(&tag("m1")).unwrap();
    assert_eq!(h.output(), "+ OK\r\n");
    h.send("de\r\n");
    let events = h.take_events();
    assert_eq!(chunks(&events), b"de");
    assert!(matches!(
        events.last(),
        Some(Event::AppendReceived { messages: 2, .. })
    ));
    h.server.ok(&tag("m1")).unwrap();
    assert_eq!(h.output(), "m1 OK APPEND completed\r\n");
    // Refusing a later message refuses the command; the client stops.
    h.send("m2 APPEND INBOX {1}\r\n");
    h.take_events();
    h.server.accept_append(&tag("m2")).unwrap();
    assert_eq!(h.output(), "+ OK\r\n");
    h.send("x {1}\r\n");
    h.take_events();
    h.server
        .reject_append(&tag("m2"), Completion::no("Out of space"))
        .unwrap();
    assert_eq!(h.output(), "m2 NO Out of space\r\n");
    h.send("m3 NOOP\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandReceived { .. }]
    ));
}

#[test]
fn max_append_is_per_message() {
    let mut o = plaintext_options();
    o.max_append = 1000;
    let mut h = Harness::logged_in(o);
    // Refused by the server before the application hears of it.
    assert_eq!(
        h.send("a1 APPEND INBOX {1001}\r\n"),
        "a1 NO [TOOBIG] Message too large.\r\n"
    );
    assert!(requested(&h.take_events()).is_empty());
    // Two messages of 600: each within the limit, as its doc says.
    h.send("a2 APPEND INBOX {600}\r\n");
    h.take_events();
    h.server.accept_append(&tag("a2")).unwrap();
    h.send(&"y".repeat(600));
    h.send(" {600}\r\n");
    h.take_events();
    h.server.accept_append(&tag("a2")).unwrap();
    h.send(&"z".repeat(600));
    h.send("\r\n");
    assert!(matches!(
        h.take_events().last(),
        Some(Event::AppendReceived { messages: 2, .. })
    ));
    h.server.ok(&tag("a2")).unwrap();
    h.output();
    // A later message past it ends the command; the application, which
    // holds the first, hears that it broke off.
    h.send("a3 APPEND INBOX {1}\r\n");
    h.take_events();
    h.server.accept_append(&tag("a3")).unwrap();
    assert_eq!(
        h.send("x {5000}\r\n"),
        "+ OK\r\na3 NO [TOOBIG] Message too large.\r\n"
    );
    assert!(
        h.take_events()
            .iter()
            .any(|e| matches!(e, Event::AppendAborted { tag } if tag.as_str() == "a3"))
    );
}

#[test]
fn a_large_message_streams_through_a_bounded_server() {
    // 1.5 MB in 64 KiB reads, as a socket gives them: every chunk is a
    // piece of a read, the server never holds more than a read.
    let mut o = plaintext_options();
    o.max_append = 2_000_000;
    let mut h = Harness::logged_in(o);
    let message: Vec<u8> = (0..1_500_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    h.send("b1 APPEND INBOX {1500000}\r\n");
    h.take_events();
    h.server.accept_append(&tag("b1")).unwrap();
    h.output();
    let mut got = Vec::new();
    let mut pieces = 0;
    for read in message.chunks(64 * 1024) {
        assert!(h.server.wants_read());
        // The driver's own buffer: the chunk is a slice of it.
        let mut buf = BytesMut::from(read);
        let at = buf.as_ptr();
        h.server.handle_input_buf(&mut buf);
        let events = h.take_events();
        let Some(Event::AppendChunk { data, .. }) = events.first() else {
            panic!("{} events", events.len())
        };
        assert_eq!(data.as_ptr(), at, "not a copy");
        assert_eq!(data.len(), read.len());
        got.extend_from_slice(data);
        pieces += 1;
    }
    h.send("\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::AppendReceived { messages: 1, .. }]
    ));
    assert!(got == message);
    assert_eq!(pieces, 23);
}

#[test]
fn nul_needs_a_literal8() {
    let mut h = Harness::logged_in(plaintext_options());
    // CHAR8 has no NUL (RFC 9051 §9): found as the octets arrive.
    h.send("n1 APPEND INBOX {10}\r\n");
    h.take_events();
    h.server.accept_append(&tag("n1")).unwrap();
    h.output();
    assert_eq!(
        h.send("ab\0de"),
        "n1 BAD Error in IMAP command APPEND: Literal contains a NUL octet.\r\n"
    );
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandRejected { .. }, Event::AppendAborted { .. }]
    ));
    // The rest of the literal is dropped.
    h.send("fghij\r\nn2 NOOP\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandReceived { .. }]
    ));
    h.server.ok(&tag("n2")).unwrap();
    h.output();
    // A literal8 (RFC 3516 §4.4) carries it, and so does UTF8's (RFC 6855).
    h.send("n3 APPEND INBOX ~{3}\r\n");
    let events = h.take_events();
    assert!(requested(&events)[0].2.binary);
    h.server.accept_append(&tag("n3")).unwrap();
    h.send("\0\0\0\r\n");
    let events = h.take_events();
    assert_eq!(chunks(&events), b"\0\0\0");
    h.server.ok(&tag("n3")).unwrap();
    h.output();
    h.send("n4 APPEND INBOX UTF8 (~{4+}\r\nabcd)\r\n");
    let events = h.take_events();
    let message = &requested(&events)[0].2;
    assert!(message.utf8 && message.binary);
    h.server.accept_append(&tag("n4")).unwrap();
    let events = h.take_events();
    assert_eq!(chunks(&events), b"abcd");
    assert!(matches!(
        events.last(),
        Some(Event::AppendReceived { messages: 1, .. })
    ));
}

#[test]
fn a_broken_append_line_is_refused_and_the_application_told() {
    let mut h = Harness::logged_in(plaintext_options());
    // Before the application heard of it: plain refusal.
    assert_eq!(
        h.send("e1 APPEND \"unterminated {3}\r\n"),
        "e1 BAD Error in IMAP command APPEND: Invalid arguments.\r\n"
    );
    assert!(requested(&h.take_events()).is_empty());
    // After: the application drops what it got.
    h.send("e2 APPEND INBOX {3}\r\n");
    h.take_events();
    h.server.accept_append(&tag("e2")).unwrap();
    assert_eq!(
        h.send("abc garbage\r\n"),
        "+ OK\r\ne2 BAD Error in IMAP command APPEND: Invalid arguments.\r\n"
    );
    assert!(matches!(
        h.take_events().last(),
        Some(Event::AppendAborted { .. })
    ));
    h.send("e3 NOOP\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandReceived { .. }]
    ));
    // LITERAL- (RFC 7888 §5): BAD [TOOBIG], before the application hears.
    let mut o = plaintext_options();
    o.literal = LiteralExtension::Minus;
    let mut h = Harness::logged_in(o);
    let mut input = String::from("e4 APPEND INBOX {4097+}\r\n");
    input.push_str(&"p".repeat(4097));
    input.push_str("\r\ne5 NOOP\r\n");
    assert_eq!(
        h.send(&input),
        "e4 BAD [TOOBIG] Non-synchronizing literal larger than 4096 octets.\r\n"
    );
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandRejected { .. }, Event::CommandReceived { .. }]
    ));
}

#[test]
fn append_in_progress_and_the_timers() {
    let mut h = Harness::selected(plaintext_options());
    h.send("t1 APPEND INBOX {10}\r\n");
    h.take_events();
    // While the application decides, no EXPUNGE, and the timer waits for it.
    assert_eq!(h.server.updates(), Updates::NoExpunge);
    h.advance(Duration::from_secs(40 * 60));
    assert!(!h.server.is_closed());
    h.server.accept_append(&tag("t1")).unwrap();
    h.output();
    h.settle();
    // A client that stops in the middle of its upload is logged out.
    h.send("abc");
    h.settle();
    h.advance(Duration::from_secs(30 * 60));
    assert!(h.server.is_closed());
    assert!(h.take_events().iter().any(|e| matches!(
        e,
        Event::Closed {
            reason: CloseReason::TimedOut
        }
    )));
}
