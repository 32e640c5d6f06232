//! `smtp-proto` beside Stalwart's `smtp-proto` (renamed
//! `stalwart-smtp-proto`), in the same run:
//!
//! - command parsing: EHLO, MAIL FROM with parameters, RCPT TO (plain and
//!   with DSN parameters), DATA;
//! - DATA bodies of 1 KiB, 64 KiB and 10 MiB read back from the wire
//!   (dot-unstuffed, ending at CRLF.CRLF), against Stalwart's
//!   `DataReceiver` and a plain `memchr` scan of the same bytes for LF (the
//!   limit: any reader must at least find the line ends).
//!
//! Ours is measured zero-copy (the read buffer handed over, chunks sliced
//! out of it: `DotUnstuffer` on a `BytesMut`, `Server::handle_input_buf`)
//! and copying once (the bytes copied into the reader's buffer first, as
//! `Server::handle_input` does); Stalwart's `DataReceiver` copies the body
//! into a `Vec<u8>`, which the bench reuses. Ours checks every CR and LF
//! for bare line endings by default (`BareLineEndings::Reject`); Stalwart's
//! reader does not, so `BareLineEndings::Allow`, which does not either, is
//! measured too.

#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a bench starts its machines at any instant"
)]

use std::hint::black_box;
use std::time::Instant;

use benches::{bench_harness, hot, shared};
use bytes::{Bytes, BytesMut};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smtp_proto::decode;
use smtp_proto::framing::{BareLineEndings, BodyEncoder, DataFrame, DotUnstuffer};
use smtp_proto::server::{Event, Options, Server};
use stalwart_smtp_proto::Request;
use stalwart_smtp_proto::request::receiver::DataReceiver;

/// A mail-like body: header, then 72-column text lines, one line in 200
/// starting with a dot (so the stuffing paths run, rarely, as in real mail).
fn body(len: usize) -> Bytes {
    const WORDS: [&str; 16] = [
        "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog.", "Mail", "is", "old,",
        "and", "SMTP", "older;", "still",
    ];
    let mut out = Vec::with_capacity(len + 128);
    out.extend_from_slice(
        b"From: alice@example.org\r\nTo: bob@example.org\r\nSubject: bench\r\n\r\n",
    );
    let (mut word, mut line) = (0usize, 0usize);
    while out.len() < len {
        line += 1;
        if line % 200 == 0 {
            out.extend_from_slice(b".");
        }
        let start = out.len();
        while out.len() - start < 70 {
            out.extend_from_slice(WORDS[word % WORDS.len()].as_bytes());
            out.push(b' ');
            word = word.wrapping_mul(7).wrapping_add(3);
        }
        out.extend_from_slice(b"\r\n");
    }
    out.truncate(len - 2);
    out.extend_from_slice(b"\r\n");
    Bytes::from(out)
}

/// The body as DATA sends it: dot-stuffed, `.` CRLF at the end.
fn stuffed(body: &Bytes) -> Bytes {
    let mut wire = BytesMut::with_capacity(body.len() + body.len() / 64 + 8);
    let mut e = BodyEncoder::data();
    e.encode(body, &mut wire);
    e.finish(&mut wire);
    wire.freeze()
}

fn commands(c: &mut Criterion) {
    let lines: [(&str, &[u8]); 5] = [
        ("EHLO", b"EHLO mail.example.org\r\n"),
        (
            "MAIL FROM with parameters",
            b"MAIL FROM:<john.doe@example.org> SIZE=1024000 BODY=8BITMIME RET=HDRS ENVID=QQ314159\r\n",
        ),
        ("RCPT TO", b"RCPT TO:<jane.roe@example.net>\r\n"),
        (
            "RCPT TO with DSN parameters",
            b"RCPT TO:<jane.roe@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;jane.roe@example.net\r\n",
        ),
        ("DATA", b"DATA\r\n"),
    ];
    for (name, line) in lines {
        // Both parse the same thing the same way.
        assert!(decode::command(line).is_ok(), "{name}");
        assert!(Request::parse(&mut line.iter()).is_ok(), "{name}");
        let mut group = c.benchmark_group(format!("smtp/parse {name}"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("smtp-proto", |b| {
            b.iter(|| black_box(decode::command(black_box(line)).ok()));
        });
        group.bench_function("stalwart smtp-proto", |b| {
            b.iter(|| black_box(Request::parse(&mut black_box(line).iter()).ok()));
        });
        group.finish();
    }
}

/// A server in the middle of a session: one small message already received
/// (so its buffers are warm), a second transaction's DATA accepted.
fn server_in_data(size: usize) -> Server {
    let mut options = Options::default();
    options.max_message_size = size as u64 * 2;
    let mut server = Server::new(options, Instant::now());
    let mut sink = BytesMut::new();
    let mut drain = |server: &mut Server| {
        while server.poll_transmit(&mut sink) > 0 {}
        while let Some(e) = server.poll_event() {
            let r = match e {
                Event::MailRequested { txn, .. } => server.accept_mail(txn),
                Event::RcptRequested { id, .. } => server.accept_rcpt(id),
                Event::MessageReceived { txn, .. } => server.message_stored(txn, Ok(())),
                _ => Ok(()),
            };
            r.expect("decision");
        }
        sink.clear();
    };
    for input in [
        &b"EHLO client.example.org\r\n"[..],
        b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n",
        b"Subject: first\r\n\r\nhi\r\n.\r\n",
        b"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n",
    ] {
        server.handle_input(input);
        drain(&mut server);
        drain(&mut server);
    }
    server
}

fn data(c: &mut Criterion) {
    for (name, size) in [
        ("1 KiB", 1 << 10),
        ("64 KiB", 64 << 10),
        ("10 MiB", 10 << 20),
    ] {
        let body = body(size);
        let wire = stuffed(&body);
        let mut group = c.benchmark_group(format!("smtp/data {name}"));
        group.throughput(Throughput::Bytes(wire.len() as u64));
        if size > 1 << 20 {
            group.sample_size(20);
        }

        // Both read the same body back.
        let mut receiver = DataReceiver::new();
        let mut sink = Vec::new();
        assert!(receiver.ingest(&mut wire.iter(), &mut sink));
        assert_eq!(sink, body);

        // The limit: finding every line end once.
        group.bench_function("limit: memchr scan for LF", |b| {
            b.iter(|| black_box(memchr::memchr_iter(b'\n', black_box(&wire)).count()));
        });

        bench_harness(&mut group, size, &wire);
        // Stalwart: into a reused Vec.
        let mut out = Vec::with_capacity(wire.len());
        group.bench_function("stalwart DataReceiver (copy into Vec)", |b| {
            b.iter(|| {
                out.clear();
                let mut r = DataReceiver::new();
                let done = r.ingest(&mut black_box(&wire).iter(), &mut out);
                black_box((done, out.len()))
            });
        });

        // Ours, zero-copy: the read buffer is already shared (as a
        // reader's is after its first read), chunks are slices of it.
        group.bench_function("smtp-proto DotUnstuffer (zero-copy Bytes)", |b| {
            hot(
                b,
                size,
                || (shared(&wire), Vec::with_capacity(8)),
                |(buf, chunks)| {
                    let mut u = DotUnstuffer::new(BareLineEndings::Reject);
                    while let Some(frame) = u.decode(buf) {
                        match frame {
                            DataFrame::Data(d) => chunks.push(d),
                            DataFrame::End => break,
                        }
                    }
                },
            );
        });
        // Ours, zero-copy, with bare CR and LF passed through unchecked: the
        // work Stalwart's reader does.
        group.bench_function(
            "smtp-proto DotUnstuffer Allow (zero-copy, no bare CR/LF check)",
            |b| {
                hot(
                    b,
                    size,
                    || (shared(&wire), Vec::with_capacity(8)),
                    |(buf, chunks)| {
                        let mut u = DotUnstuffer::new(BareLineEndings::Allow);
                        while let Some(frame) = u.decode(buf) {
                            match frame {
                                DataFrame::Data(d) => chunks.push(d),
                                DataFrame::End => break,
                            }
                        }
                    },
                );
            },
        );
        // Ours, copying the input once into the reader's buffer.
        let mut scratch = BytesMut::with_capacity(wire.len());
        group.bench_function("smtp-proto DotUnstuffer (copy in, Bytes out)", |b| {
            b.iter(|| {
                scratch.clear();
                scratch.reserve(wire.len());
                scratch.extend_from_slice(black_box(&wire));
                let mut u = DotUnstuffer::new(BareLineEndings::Reject);
                let mut n = 0;
                while let Some(frame) = u.decode(&mut scratch) {
                    match frame {
                        DataFrame::Data(d) => n += d.len(),
                        DataFrame::End => break,
                    }
                }
                black_box(n)
            });
        });
        // Through the server machine, body chunks as events.
        group.bench_function("smtp-proto Server handle_input_buf", |b| {
            hot(
                b,
                size,
                || (server_in_data(size), shared(&wire), Vec::with_capacity(8)),
                |(server, read, chunks)| {
                    server.handle_input_buf(read);
                    while let Some(event) = server.poll_event() {
                        if let Event::BodyChunkReceived { data, .. } = event {
                            chunks.push(data);
                        }
                    }
                },
            );
        });
        group.finish();
    }
}

criterion_group!(benches, commands, data);
criterion_main!(benches);
