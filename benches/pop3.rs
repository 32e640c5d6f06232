//! `pop3-proto`: command parsing, and RETR bodies of 4 KiB, 64 KiB and
//! 10 MiB through dot-stuffing (server side) and unstuffing (client side),
//! with a `memcpy` and a `memchr` scan of the same bytes as the limits. The
//! decoders work on read buffers written just before, as a client's are
//! after each read; `limit: memcpy from the same hot inputs` copies those same
//! buffers, through the same harness, beside the plain `memcpy` of one hot
//! buffer.
//!
//! Each path is measured zero-copy (the body's `Bytes` sliced around the
//! stuffed dots: `DotStuffer::encode_bytes`, `DotUnstuffer`,
//! `Server::poll_transmit_bytes`, `Client::handle_input_buf`) and copying
//! (`DotStuffer::encode` into a `BytesMut`, `Server::poll_transmit` into the
//! caller's buffer, `Client::handle_input` from the caller's slice), framing
//! alone and through the state machines.

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

use benches::{bench_harness, bench_memcpy_hot, hot, shared};
use bytes::{Bytes, BytesMut};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use memchr::memmem::Finder;
use pop3_proto::framing::{BodyFrame, DotStuffer, DotUnstuffer};
use pop3_proto::server::{Event, Maildrop, MaildropEntry, Options, Server};
use pop3_proto::{MessageNumber, UniqueId, client, decode};

/// A mail-like body: header, then 72-column text lines, one line in 200
/// starting with a dot (so the stuffing paths run, rarely, as in real mail).
fn body(len: usize) -> Bytes {
    const WORDS: [&str; 16] = [
        "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog.", "Mail", "is", "old,",
        "and", "POP3", "older;", "still",
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

fn stuffed(body: &Bytes) -> Bytes {
    let mut wire = BytesMut::with_capacity(body.len() + body.len() / 64 + 8);
    let mut s = DotStuffer::new();
    s.encode(body, &mut wire);
    s.finish(&mut wire);
    wire.freeze()
}

fn commands(c: &mut Criterion) {
    let lines: [&[u8]; 10] = [
        b"USER mrose\r\n",
        b"PASS correct horse battery staple\r\n",
        b"STAT\r\n",
        b"LIST 2\r\n",
        b"UIDL\r\n",
        b"RETR 1\r\n",
        b"TOP 1 99999999\r\n",
        b"DELE 12345\r\n",
        b"AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n",
        b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n",
    ];
    let mut group = c.benchmark_group("pop3/parse");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("10 commands", |b| {
        b.iter(|| {
            for line in &lines {
                black_box(decode::command(black_box(line)).ok());
            }
        });
    });
    let responses: [&[u8]; 5] = [
        b"+OK 2 320",
        b"-ERR [IN-USE] Do you have another POP session running?",
        b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>",
        b"+ cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA==",
        b"+OK 120 octets",
    ];
    group.throughput(Throughput::Elements(responses.len() as u64));
    group.bench_function("5 response lines", |b| {
        b.iter(|| {
            for line in &responses {
                black_box(decode::response_line(black_box(line)).ok());
            }
        });
    });
    group.throughput(Throughput::Elements(100));
    let listing: Vec<Vec<u8>> = (1..=100)
        .map(|i| format!("{i} {}", 1000 + i * 37).into_bytes())
        .collect();
    group.bench_function("100 scan listings", |b| {
        b.iter(|| {
            for line in &listing {
                black_box(decode::scan_listing(black_box(line)).ok());
            }
        });
    });
    group.finish();
}

/// A server in the middle of a session: logged in, one small message
/// already retrieved (so its buffers are warm, as they are for every message
/// after the first), `RETR 2` received and its body requested.
fn server_at_retr(size: usize) -> Server {
    let mut options = Options::default();
    options.allow_plaintext_without_tls = true;
    let mut server = Server::new(options, Instant::now());
    server.handle_input(b"USER a\r\nPASS b\r\n");
    let mut sink = BytesMut::new();
    while server.poll_transmit(&mut sink) > 0 {}
    while server.poll_event().is_some() {}
    let first = Bytes::from_static(b"Subject: first\r\n\r\nhi\r\n");
    let uid = |u: &str| UniqueId::try_from(u).expect("uid");
    server
        .login_succeeded(Maildrop::from_iter([
            MaildropEntry::new(first.len() as u64, uid("a")),
            MaildropEntry::new(size as u64, uid("b")),
        ]))
        .expect("login");
    server.handle_input(b"RETR 1\r\n");
    while server.poll_transmit(&mut sink) > 0 {}
    while server.poll_event().is_some() {}
    server.send_body(first).expect("first body");
    while server.poll_transmit_bytes().is_some() {}
    server.handle_input(b"RETR 2\r\n");
    while server.poll_transmit(&mut sink) > 0 {}
    assert!(matches!(
        server.poll_event(),
        Some(Event::BodyRequested { .. })
    ));
    server
}

/// A client in the middle of a session: logged in, one small message already
/// retrieved, `RETR 2` sent and waiting for the response. The read buffer of
/// the earlier responses comes along, so the bench drops it untimed.
fn client_at_retr() -> (client::Client, BytesMut) {
    let mut c = client::Client::new(client::Options::default(), Instant::now());
    let mut read = BytesMut::with_capacity(1 << 10);
    let mut feed = |c: &mut client::Client, bytes: &[u8]| {
        read.extend_from_slice(bytes);
        c.handle_input_buf(&mut read);
    };
    feed(&mut c, b"+OK ready\r\n");
    c.user("a").expect("user");
    feed(&mut c, b"+OK\r\n");
    c.pass(b"b").expect("pass");
    feed(&mut c, b"+OK\r\n");
    c.retr(MessageNumber::MIN).expect("retr");
    feed(
        &mut c,
        b"+OK 25 octets\r\nSubject: first\r\n\r\nhi\r\n.\r\n",
    );
    c.retr(MessageNumber::new(2).expect("2")).expect("retr");
    let mut sink = BytesMut::new();
    c.poll_transmit(&mut sink);
    while c.poll_event().is_some() {}
    (c, read)
}

fn retr(c: &mut Criterion) {
    let finder = Finder::new(b"\n.");
    for (name, size) in [
        ("4 KiB", 4 << 10),
        ("64 KiB", 64 << 10),
        ("10 MiB", 10 << 20),
    ] {
        let body = body(size);
        let wire = stuffed(&body);
        let mut group = c.benchmark_group(format!("pop3/retr {name}"));
        group.throughput(Throughput::Bytes(size as u64));
        if size > 1 << 20 {
            group.sample_size(20);
        }

        // The limits: copying the bytes once, scanning them once.
        let mut dst = vec![0u8; size];
        group.bench_function("limit: memcpy", |b| {
            b.iter(|| {
                dst.copy_from_slice(black_box(&body));
                black_box(&dst);
            });
        });
        group.bench_function("limit: memmem scan", |b| {
            b.iter(|| black_box(finder.find_iter(black_box(&body)).count()));
        });

        // Server side: dot-stuffing. Each routine leaves what it made in its
        // input, dropped outside the timing, as nothing is for the memcpy.
        // Its inputs share the one body, hot in the cache as the memcpy's
        // source is: each is a handle and a chunk list, so a batch holds as
        // many as [`hot`] allows.
        let handles = size_of::<(Bytes, Vec<Bytes>)>() + 8 * size_of::<Bytes>();
        group.bench_function("encode: zero-copy Bytes slices", |b| {
            hot(
                b,
                handles,
                || (body.clone(), Vec::with_capacity(8)),
                |(body, out)| {
                    let mut s = DotStuffer::new();
                    s.encode_bytes(std::mem::take(body), |piece| out.push(piece));
                    out.push(s.finish_bytes());
                },
            );
        });
        let mut buf = BytesMut::with_capacity(wire.len() + 64);
        group.bench_function("encode: copy into BytesMut", |b| {
            b.iter(|| {
                buf.clear();
                let mut s = DotStuffer::new();
                s.encode(black_box(&body), &mut buf);
                s.finish(&mut buf);
                black_box(&buf);
            });
        });
        group.bench_function("encode: Server send_body, poll_transmit_bytes", |b| {
            hot(
                b,
                size,
                || (server_at_retr(size), body.clone(), Vec::with_capacity(8)),
                |(server, body, out)| {
                    server.send_body(std::mem::take(body)).expect("body");
                    while let Some(piece) = server.poll_transmit_bytes() {
                        out.push(piece);
                    }
                },
            );
        });
        let mut out = BytesMut::with_capacity(128 << 10);
        group.bench_function("encode: Server send_body, poll_transmit (copy)", |b| {
            hot(
                b,
                size,
                || (server_at_retr(size), body.clone(), 0),
                |(server, body, total)| {
                    server.send_body(std::mem::take(body)).expect("body");
                    loop {
                        out.clear();
                        let n = server.poll_transmit(&mut out);
                        if n == 0 {
                            break;
                        }
                        *total += n;
                    }
                },
            );
        });

        // Client side: unstuffing, from a read buffer as a client's is after
        // its first read (`benches::shared`).
        bench_harness(&mut group, size, &wire);
        bench_memcpy_hot(&mut group, size, &wire);
        group.bench_function("decode: zero-copy from BytesMut", |b| {
            hot(
                b,
                size,
                || (shared(&wire), Vec::with_capacity(8)),
                |(buf, chunks)| {
                    let mut u = DotUnstuffer::new();
                    while let Some(frame) = u.decode(buf) {
                        match frame {
                            BodyFrame::Data(d) => chunks.push(d),
                            BodyFrame::End => break,
                        }
                    }
                },
            );
        });
        let mut response = BytesMut::from(&format!("+OK {size} octets\r\n")[..]);
        response.extend_from_slice(&wire);
        let response = response.freeze();
        group.bench_function("decode: Client handle_input_buf", |b| {
            hot(
                b,
                size,
                || (client_at_retr(), shared(&response), Vec::with_capacity(8)),
                |((client, _earlier), read, chunks)| {
                    client.handle_input_buf(read);
                    while let Some(event) = client.poll_event() {
                        if let client::Event::BodyChunkReceived { data, .. } = event {
                            chunks.push(data);
                        }
                    }
                },
            );
        });
        group.bench_function("decode: Client handle_input (copy), 64 KiB reads", |b| {
            hot(
                b,
                size,
                || (client_at_retr(), Vec::with_capacity(256)),
                |((client, _earlier), chunks)| {
                    for read in response.chunks(64 << 10) {
                        client.handle_input(read);
                        while let Some(event) = client.poll_event() {
                            if let client::Event::BodyChunkReceived { data, .. } = event {
                                chunks.push(data);
                            }
                        }
                    }
                },
            );
        });
        group.finish();
    }
}

criterion_group!(benches, commands, retr);
criterion_main!(benches);
