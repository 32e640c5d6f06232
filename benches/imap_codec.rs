//! The IMAP grammar: `imap-proto` beside `imap-codec` and djc's `imap-proto`,
//! in one run. Decoding takes a `Bytes` buffer for us (literals become slices
//! of it) and a `&[u8]` for the peers; encoding writes into a reused buffer.
//! `memcpy` of the same bytes is the floor for the literal cases. Our
//! `decode::response` expects framed input, whose literals the `Framer`
//! checked for NUL as they arrived, so a literal costs nothing to decode;
//! `imap-proto checked` is the entry point for unframed input, with its one
//! scan of the literal.
#![allow(
    clippy::unwrap_used,
    reason = "a failed unwrap here is a failed test or bench"
)]

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use imap_codec::decode::Decoder;
use imap_codec::encode::Encoder;
use imap_codec::{CommandCodec, ResponseCodec};
use imap_proto::{Options, decode, encode};

/// RFC 3501 §8's FETCH response: FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE
/// and, as the issue asks, a BODYSTRUCTURE with extension data.
const FETCH_RFC3501: &[u8] = b"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92 NIL NIL NIL NIL))\r\n";

const UID_FETCH: &[u8] =
    b"A654 UID FETCH 1:*,7,9:12 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE \
BODY.PEEK[HEADER.FIELDS (DATE FROM TO CC SUBJECT MESSAGE-ID IN-REPLY-TO REFERENCES CONTENT-TYPE)] \
BODY.PEEK[1.2.MIME] BODY.PEEK[TEXT]<0.2048> BODY[2])\r\n";

const UID_SEARCH: &[u8] =
    b"A282 UID SEARCH CHARSET UTF-8 OR (FLAGGED SINCE 1-Feb-1994) NOT FROM \"Smith\" UNDELETED UID 1:4000 LARGER 1024 SUBJECT \"lunch\"\r\n";

fn fetch_body(size: usize) -> Vec<u8> {
    let mut v = format!("* 1 FETCH (UID 4827313 BODY[] {{{size}}}\r\n").into_bytes();
    v.extend((0..size).map(|i| b"abcdefghijklmnopqrstuvwxyz0123456789\r\n"[i % 38]));
    v.extend_from_slice(b")\r\n");
    v
}

fn decode_responses(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("decode FETCH RFC 3501 §8");
    g.throughput(Throughput::Bytes(FETCH_RFC3501.len() as u64));
    let input = Bytes::from_static(FETCH_RFC3501);
    g.bench_function("imap-proto", |b| {
        b.iter(|| decode::response(black_box(&input), &opts).unwrap())
    });
    g.bench_function("imap-codec", |b| {
        b.iter(|| {
            ResponseCodec::default()
                .decode(black_box(FETCH_RFC3501))
                .unwrap()
        })
    });
    g.bench_function("djc-imap-proto", |b| {
        b.iter(|| djc_imap_proto::Response::parse(black_box(FETCH_RFC3501)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("decode FETCH BODY[]");
    for size in [1 << 10, 64 << 10, 1 << 20] {
        let wire = fetch_body(size);
        let input = Bytes::from(wire.clone());
        g.throughput(Throughput::Bytes(wire.len() as u64));
        g.bench_with_input(BenchmarkId::new("imap-proto", size), &input, |b, i| {
            b.iter(|| decode::response(black_box(i), &opts).unwrap())
        });
        // Unframed input: the literal's one NUL scan, which the Framer does
        // as the octets arrive for framed input.
        g.bench_with_input(
            BenchmarkId::new("imap-proto checked", size),
            &input,
            |b, i| b.iter(|| decode::response_checked(black_box(i), &opts).unwrap()),
        );
        g.bench_with_input(BenchmarkId::new("imap-codec", size), &wire, |b, i| {
            b.iter(|| ResponseCodec::default().decode(black_box(i)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("djc-imap-proto", size), &wire, |b, i| {
            b.iter(|| djc_imap_proto::Response::parse(black_box(i)).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("memcpy", size), &wire, |b, i| {
            let mut dst = vec![0u8; i.len()];
            b.iter(|| dst.copy_from_slice(black_box(i)))
        });
    }
    g.finish();
}

fn decode_commands(c: &mut Criterion) {
    let opts = Options::default();
    for (name, wire) in [
        ("decode UID FETCH", UID_FETCH),
        ("decode UID SEARCH", UID_SEARCH),
    ] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(wire.len() as u64));
        let input = Bytes::from_static(wire);
        g.bench_function("imap-proto", |b| {
            b.iter(|| decode::command(black_box(&input), &opts).unwrap())
        });
        g.bench_function("imap-codec", |b| {
            b.iter(|| CommandCodec::default().decode(black_box(wire)).unwrap())
        });
        g.finish();
    }
}

fn encode_all(c: &mut Criterion) {
    let opts = Options::default();
    let mut g = c.benchmark_group("encode FETCH RFC 3501 §8");
    let input = Bytes::from_static(FETCH_RFC3501);
    let (ours, _) = decode::response(&input, &opts).unwrap();
    let (_, theirs) = ResponseCodec::default().decode(FETCH_RFC3501).unwrap();
    let mut out = BytesMut::with_capacity(4096);
    g.bench_function("imap-proto", |b| {
        b.iter(|| {
            out.clear();
            encode::response(black_box(&ours), &mut out, &opts).unwrap();
        })
    });
    g.bench_function("imap-codec", |b| {
        b.iter(|| ResponseCodec::default().encode(black_box(&theirs)).dump())
    });
    g.finish();

    for (name, wire) in [
        ("encode UID FETCH", UID_FETCH),
        ("encode UID SEARCH", UID_SEARCH),
    ] {
        let mut g = c.benchmark_group(name);
        let input = Bytes::from_static(wire);
        let (ours, _) = decode::command(&input, &opts).unwrap();
        let (_, theirs) = CommandCodec::default().decode(wire).unwrap();
        let mut out = BytesMut::with_capacity(4096);
        g.bench_function("imap-proto", |b| {
            b.iter(|| {
                out.clear();
                encode::command(black_box(&ours), &mut out, &opts).unwrap();
            })
        });
        g.bench_function("imap-codec", |b| {
            b.iter(|| CommandCodec::default().encode(black_box(&theirs)).dump())
        });
        g.finish();
    }

    let mut g = c.benchmark_group("encode FETCH BODY[]");
    for size in [1 << 10, 64 << 10, 1 << 20] {
        let wire = fetch_body(size);
        let input = Bytes::from(wire.clone());
        let (ours, _) = decode::response(&input, &opts).unwrap();
        let (_, theirs) = ResponseCodec::default().decode(&wire).unwrap();
        g.throughput(Throughput::Bytes(wire.len() as u64));
        let mut out = BytesMut::with_capacity(wire.len() + 64);
        g.bench_function(BenchmarkId::new("imap-proto", size), |b| {
            b.iter(|| {
                out.clear();
                encode::response(black_box(&ours), &mut out, &opts).unwrap();
            })
        });
        g.bench_function(BenchmarkId::new("imap-codec", size), |b| {
            b.iter(|| ResponseCodec::default().encode(black_box(&theirs)).dump())
        });
        g.bench_with_input(BenchmarkId::new("memcpy", size), &wire, |b, i| {
            let mut dst = Vec::with_capacity(i.len());
            b.iter(|| {
                dst.clear();
                dst.extend_from_slice(black_box(i));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, decode_responses, decode_commands, encode_all);
criterion_main!(benches);
