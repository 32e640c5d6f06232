//! The message: DATA and BDAT, the body streamed in chunks, the size limit
//! on the fly, the end of data and SMTP smuggling, `250` only once stored,
//! and LMTP's reply per recipient.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use bytes::BytesMut;
use common::{Answers, HOST, Harness, codes, options};
use smtp_proto::framing::BareLineEndings;
use smtp_proto::server::{AbortReason, Event, Options, State};
use smtp_proto::{Reply, ServerError};

/// A harness in a transaction with two accepted recipients, after DATA's 354.
fn in_data(o: Options) -> Harness {
    let mut h = Harness::ready(o, Answers::Auto);
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");
    assert_eq!(codes(&out), [250, 250, 250, 354]);
    h.events.clear();
    h
}

fn chunks(h: &Harness) -> Vec<usize> {
    h.events
        .iter()
        .filter_map(|e| match e {
            Event::BodyChunkReceived { data, .. } => Some(data.len()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_body_streams_and_250_waits_for_storage() {
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    let events = h.take_events();
    let Event::MailRequested { txn, .. } = events[0] else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    let events = h.take_events();
    let Event::RcptRequested { id, .. } = events[0] else {
        panic!()
    };
    h.server.accept_rcpt(id).unwrap();
    assert_eq!(
        h.output(),
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    assert_eq!(h.server.state(), State::Data);
    // The body in pieces: each comes out as it arrives, unstuffed.
    let mut received = Vec::new();
    for piece in [
        "Subject: hi\r\n",
        "\r\n..dotted\r\n",
        "last line\r\n",
        ".\r\n",
    ] {
        assert_eq!(h.send(piece), "");
        for e in h.take_events() {
            match e {
                Event::BodyChunkReceived { txn: t, data } => {
                    assert_eq!(t, txn);
                    received.push(data);
                }
                Event::MessageReceived {
                    txn: t,
                    size,
                    recipients,
                } => {
                    assert_eq!((t, size), (txn, 35));
                    assert_eq!(recipients, [id]);
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(received.len() >= 3, "{received:?}");
    assert_eq!(
        received.concat(),
        b"Subject: hi\r\n\r\n.dotted\r\nlast line\r\n"
    );
    // No 250 until the application says the message is durable.
    assert_eq!(h.output(), "");
    assert_eq!(h.send("NOOP\r\n"), "");
    h.server.message_stored(txn, Ok(())).unwrap();
    assert_eq!(h.output(), "250 2.0.0 Ok: queued\r\n250 2.0.0 Ok\r\n");
    assert_eq!(
        h.server.message_stored(txn, Ok(())),
        Err(ServerError::NoMessagePending)
    );
    assert_eq!(h.server.state(), State::Ready);
}

#[test]
fn storage_failures_are_replied() {
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<a@example.org>\r\n");
    let Event::MailRequested { txn, .. } = h.take_events()[0] else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    h.send("RCPT TO:<b@example.org>\r\n");
    let Event::RcptRequested { id, .. } = h.take_events()[0] else {
        panic!()
    };
    h.server.accept_rcpt(id).unwrap();
    h.output();
    h.feed("DATA\r\n");
    h.feed("x\r\n.\r\n");
    h.take_events();
    assert_eq!(
        h.server.message_stored(txn, Err(Reply::OK)),
        Err(ServerError::WrongReplyCode)
    );
    h.server
        .message_stored(txn, Err(Reply::STORE_FAILED))
        .unwrap();
    assert_eq!(
        h.output(),
        "354 End data with <CR><LF>.<CR><LF>\r\n451 4.3.0 Error: queue file write error\r\n"
    );
}

#[test]
fn size_limit_on_the_fly() {
    let mut o = options();
    o.max_message_size = 100_000;
    let mut h = in_data(o);
    let line = format!("{}\r\n", "x".repeat(98));
    let mut out = String::new();
    // 10 MB through a 100 kB limit: read and discarded, never held.
    for _ in 0..1000 {
        let piece = line.repeat(100);
        h.server.handle_input(piece.as_bytes());
        out.push_str(&h.output());
        assert!(h.server.wants_read());
    }
    assert_eq!(out, "");
    let delivered: usize = chunks(&h).iter().sum();
    assert!(delivered <= 100_000, "{delivered}");
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::TransactionAborted {
            reason: AbortReason::MessageTooBig,
            ..
        }
    )));
    // RFC 1870 §6.3: 552 once the data has ended.
    assert_eq!(
        h.send(".\r\n"),
        "552 5.3.4 Message size exceeds fixed limit\r\n"
    );
    assert!(h.stored.is_empty());
    // The session goes on.
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
    assert_eq!(codes(&out), [250, 250, 354]);
    assert_eq!(h.send("small\r\n.\r\n"), "250 2.0.0 Ok: queued\r\n");
    assert_eq!(h.stored, [b"small\r\n".to_vec()]);
}

/// SMTP smuggling: a second message hidden behind an end of data that is
/// not `<CR><LF>.<CR><LF>`, in one packet as the attack sends it.
#[test]
fn smuggled_messages_stay_in_the_body() {
    for smuggle in ["\n.\r\n", "\n.\n", "\r.\r", "\r\n.\n", "\r\n.\r", "\r.\r\n"] {
        let attack = format!(
            "From: a@example.org\r\n\r\nhello{smuggle}MAIL FROM:<admin@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nFrom: admin@example.org\r\n\r\nforged\r\n.\r\n"
        );
        // Strict (the default): refused after the real end, nothing stored.
        let mut h = in_data(options());
        assert_eq!(
            h.send(&attack),
            "550 5.5.2 Error: bare <CR> or <LF> received\r\n",
            "{smuggle:?}"
        );
        assert!(h.stored.is_empty());
        assert!(
            h.events
                .iter()
                .all(|e| !matches!(e, Event::MailRequested { .. }))
        );
        assert!(h.events.iter().any(|e| matches!(
            e,
            Event::TransactionAborted {
                reason: AbortReason::BareLineEnding,
                ..
            }
        )));
        // Normalized: one message, with the forged one as its text.
        let mut o = options();
        o.bare_line_endings = BareLineEndings::Normalize;
        let mut h = in_data(o);
        assert_eq!(h.send(&attack), "250 2.0.0 Ok: queued\r\n", "{smuggle:?}");
        assert_eq!(h.stored.len(), 1);
        let body = String::from_utf8(h.stored[0].clone()).unwrap();
        assert!(
            body.contains("\r\nMAIL FROM:<admin@example.org>\r\n"),
            "{body:?}"
        );
        assert!(!body.replace("\r\n", "").contains(['\r', '\n']), "{body:?}");
        assert!(
            h.events
                .iter()
                .all(|e| !matches!(e, Event::MailRequested { .. }))
        );
    }
}

#[test]
fn a_large_read_of_body_is_fine() {
    // One read of 2 MB, far more than the read-ahead for commands.
    let mut o = options();
    o.max_message_size = 0;
    let mut h = in_data(o);
    let mut body =
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n".repeat(32 * 1024);
    body.push_str(".\r\n");
    assert_eq!(h.send(&body), "250 2.0.0 Ok: queued\r\n");
    assert_eq!(h.stored[0].len(), body.len() - 3);
}

#[test]
fn zero_copy_body_chunks() {
    let mut h = in_data(options());
    let mut read = BytesMut::with_capacity(1 << 16);
    read.extend_from_slice(b"Subject: zero copy\r\n\r\nbody\r\n");
    let start = read.as_ptr();
    h.server.handle_input_buf(&mut read);
    assert!(read.is_empty());
    let events = h.take_events();
    let Event::BodyChunkReceived { data, .. } = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(data.as_ptr(), start);
}

fn bdat_ready(o: Options) -> Harness {
    let mut h = Harness::ready(o, Answers::Auto);
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n");
    assert_eq!(codes(&out), [250, 250]);
    h
}

#[test]
fn bdat_counts_exactly() {
    let mut h = bdat_ready(options());
    // The chunk holds what would end DATA; BDAT does not care.
    let chunk = b"a\r\n.\r\nRSET\r\n\0\xff";
    let mut wire = format!("BDAT {}\r\n", chunk.len()).into_bytes();
    wire.extend_from_slice(chunk);
    assert_eq!(h.send_bytes(&wire), "250 2.0.0 Ok: 14 octets received\r\n");
    assert_eq!(h.server.state(), State::Data);
    // Split anywhere.
    let mut out = String::new();
    for piece in b"BDAT 3\r\nxyzBDAT 0 LAST\r\n".chunks(2) {
        out.push_str(&h.send_bytes(piece));
    }
    assert_eq!(
        out,
        "250 2.0.0 Ok: 3 octets received\r\n250 2.0.0 Ok: queued\r\n"
    );
    assert_eq!(h.stored, [[&chunk[..], b"xyz"].concat()]);
    // BDAT 0 LAST alone: an empty message.
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nBDAT 0 LAST\r\n");
    assert_eq!(codes(&out), [250, 250, 250]);
    assert_eq!(h.stored[1], b"");
}

#[test]
fn bdat_errors_discard_their_chunk() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // Without a transaction: 503, and the chunk is not read as commands.
    assert_eq!(
        h.send("BDAT 12\r\nRSET\r\nQUIT\r\nNOOP\r\n"),
        "503 5.5.1 Error: need MAIL command\r\n250 2.0.0 Ok\r\n"
    );
    // Over the size limit: read and discarded, then 552; the rest of the
    // pipeline's chunks get 503 (RFC 3030 §2).
    let mut o = options();
    o.max_message_size = 10;
    let mut h = bdat_ready(o);
    let out = h.send("BDAT 5\r\n12345BDAT 6\r\n123456BDAT 1 LAST\r\nx");
    assert_eq!(
        out,
        "250 2.0.0 Ok: 5 octets received\r\n\
         552 5.3.4 Message size exceeds fixed limit\r\n\
         503 5.5.1 Error: need MAIL command\r\n"
    );
    assert!(h.stored.is_empty());
    // DATA after BDAT, BINARYMIME with DATA.
    let mut h = bdat_ready(options());
    h.send("BDAT 1\r\nx");
    assert_eq!(
        h.send("DATA\r\n"),
        "503 5.5.1 Error: DATA and BDAT in one transaction\r\n"
    );
    assert_eq!(h.send("RSET\r\n"), "250 2.0.0 Ok\r\n");
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::TransactionAborted {
            reason: AbortReason::Reset,
            ..
        }
    )));
    let mut o = options();
    o.binary_mime = true;
    let mut h = Harness::ready(o, Answers::Auto);
    h.send("MAIL FROM:<a@example.org> BODY=BINARYMIME\r\nRCPT TO:<b@example.org>\r\n");
    assert_eq!(
        h.send("DATA\r\n"),
        "503 5.5.1 Error: BODY=BINARYMIME requires BDAT\r\n"
    );
    // Without CHUNKING: 502, the chunk still skipped.
    let mut o = options();
    o.chunking = false;
    let mut h = bdat_ready(o);
    assert_eq!(
        h.send("BDAT 6\r\nQUIT\r\nNOOP\r\n"),
        "502 5.5.1 Error: command not implemented\r\n250 2.0.0 Ok\r\n"
    );
}

#[test]
fn bdat_without_pipelining_waits_for_each_reply() {
    let mut o = options();
    o.pipelining = false;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
    assert_eq!(h.send("RCPT TO:<b@example.org>\r\n"), "250 2.1.5 Ok\r\n");
    assert_eq!(
        h.send("BDAT 2\r\nab"),
        "250 2.0.0 Ok: 2 octets received\r\n"
    );
    assert_eq!(
        h.send("BDAT 2\r\ncdBDAT 0 LAST\r\n"),
        "250 2.0.0 Ok: 2 octets received\r\n554 5.5.0 Error: SMTP protocol synchronization\r\n"
    );
}

#[test]
fn lmtp_replies_per_recipient() {
    let mut o = Options::lmtp();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    let mut h = Harness::new(o, Answers::Manual);
    h.output();
    h.send("LHLO c\r\n");
    h.send("MAIL FROM:<a@example.org>\r\n");
    let Event::MailRequested { txn, .. } = h.take_events()[0] else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    let mut ids = Vec::new();
    for to in ["b", "c", "d"] {
        h.feed(&format!("RCPT TO:<{to}@example.org>\r\n"));
        let Event::RcptRequested { id, .. } = h.take_events()[0] else {
            panic!()
        };
        h.server.accept_rcpt(id).unwrap();
        ids.push(id);
    }
    h.output();
    h.feed("DATA\r\n");
    h.feed("hello\r\n.\r\n");
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::BodyChunkReceived { .. }, Event::MessageReceived { recipients, .. }] if *recipients == ids)
    );
    assert_eq!(h.output(), "354 End data with <CR><LF>.<CR><LF>\r\n");
    // The third recipient's answer first: held until the first two are out.
    h.server
        .recipient_stored(txn, ids[2], Err(Reply::INSUFFICIENT_STORAGE))
        .unwrap();
    assert_eq!(h.output(), "");
    h.server.recipient_stored(txn, ids[0], Ok(())).unwrap();
    assert_eq!(h.output(), "250 2.0.0 <b@example.org> Ok: delivered\r\n");
    assert_eq!(
        h.server.recipient_stored(txn, ids[0], Ok(())),
        Err(ServerError::NoMessagePending)
    );
    h.server.message_stored(txn, Ok(())).unwrap();
    assert_eq!(
        h.output(),
        "250 2.0.0 <c@example.org> Ok: delivered\r\n452 4.3.1 Insufficient system storage\r\n"
    );
    assert_eq!(h.server.state(), State::Ready);
    // BDAT too.
    h.feed("MAIL FROM:<a@example.org>\r\n");
    let Event::MailRequested { txn, .. } = h.take_events()[0] else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    h.feed("RCPT TO:<b@example.org>\r\n");
    let Event::RcptRequested { id, .. } = h.take_events()[0] else {
        panic!()
    };
    h.server.accept_rcpt(id).unwrap();
    h.feed("BDAT 2 LAST\r\nhi");
    h.take_events();
    h.server.message_stored(txn, Ok(())).unwrap();
    assert_eq!(
        h.output(),
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 <b@example.org> Ok: delivered\r\n"
    );
    // SMTP has no per-recipient result.
    let mut h = in_data(options());
    h.answers = Answers::Manual;
    h.send("x\r\n.\r\n");
    let events = h.take_events();
    let Event::MessageReceived {
        txn, recipients, ..
    } = &events[1]
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        h.server.recipient_stored(*txn, recipients[0], Ok(())),
        Err(ServerError::NoMessagePending)
    );
}

#[test]
fn lmtp_with_many_recipients_in_one_batch() {
    let mut o = Options::lmtp();
    o.hostname = smtp_proto::Domain::from_static(HOST);
    let mut h = Harness::new(o, Answers::Auto);
    h.output();
    h.send("LHLO c\r\n");
    let out = h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<unknown@example.org>\r\nRCPT TO:<c@example.org>\r\nDATA\r\n");
    assert_eq!(codes(&out), [250, 250, 550, 250, 354]);
    // RFC 2033 §4.2: one reply per accepted recipient.
    assert_eq!(
        h.send("x\r\n.\r\n"),
        "250 2.0.0 <b@example.org> Ok: delivered\r\n250 2.0.0 <c@example.org> Ok: delivered\r\n"
    );
}
