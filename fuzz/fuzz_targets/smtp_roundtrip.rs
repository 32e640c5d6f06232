//! Encode-then-decode round trips of message bodies: DATA's dot-stuffing
//! and end, and BDAT's chunks, written in pieces of one size and read in
//! pieces of another; and the strict and normalizing readers fed the raw
//! bytes, which may end data only at CRLF.CRLF.

#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use memchr::memmem;
use smtp_proto::framing::{BareLineEndings, BodyEncoder, ChunkReader, DataFrame, DotUnstuffer};

/// What a receiver must get of `body`: line ends as CRLF, a final CRLF.
fn normalized(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 2);
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\r' if body.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 2;
            }
            b'\r' | b'\n' => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn read_data(wire: &[u8], read: usize, mode: BareLineEndings) -> (Vec<u8>, bool, bool, usize) {
    let mut unstuffer = DotUnstuffer::new(mode);
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    let mut ended = false;
    let mut consumed = 0;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        consumed += piece.len();
        while let Some(frame) = unstuffer.decode(&mut buf) {
            match frame {
                DataFrame::Data(d) => {
                    assert!(!d.is_empty());
                    assert!(!ended);
                    got.extend_from_slice(&d);
                }
                DataFrame::End => ended = true,
            }
        }
        if ended {
            consumed -= buf.len();
            break;
        }
        assert!(buf.len() <= 4, "{} octets held", buf.len());
    }
    (got, ended, unstuffer.saw_bare_line_ending(), consumed)
}

fuzz_target!(|data: &[u8]| {
    let Some((&cuts, body)) = data.split_first() else {
        return;
    };
    let write = usize::from(cuts & 0x0f) + 1;
    let read = usize::from(cuts >> 4) + 1;

    // DATA: encoded, then read back exactly.
    let mut wire = BytesMut::new();
    let mut encoder = BodyEncoder::data();
    for (i, piece) in body.chunks(write).enumerate() {
        if i % 2 == 0 {
            encoder.encode(piece, &mut wire);
        } else {
            encoder.encode_bytes(Bytes::copy_from_slice(piece), |b| wire.extend_from_slice(&b));
        }
    }
    encoder.finish(&mut wire);
    let (got, ended, bare, consumed) = read_data(&wire, read, BareLineEndings::Reject);
    assert!(ended && !bare);
    assert_eq!(consumed, wire.len());
    assert_eq!(got, normalized(body));

    // The raw bytes as a DATA body: the end, if any, is the first CRLF.CRLF
    // (or a leading .CRLF), in both modes.
    let end = if body.starts_with(b".\r\n") {
        Some(3)
    } else {
        memmem::find(body, b"\r\n.\r\n").map(|p| p + 5)
    };
    for mode in [
        BareLineEndings::Reject,
        BareLineEndings::Normalize,
        BareLineEndings::Allow,
    ] {
        let (got, ended, bare, consumed) = read_data(body, read, mode);
        assert_eq!(ended, end.is_some());
        if let Some(end) = end {
            assert_eq!(consumed, end);
        }
        if mode == BareLineEndings::Normalize {
            assert!(!bare);
            // No bare CR or LF comes out.
            let text = got.windows(2).filter(|w| w == b"\r\n").count();
            let lf = got.iter().filter(|&&b| b == b'\n').count();
            let cr = got.iter().filter(|&&b| b == b'\r').count();
            assert!(lf == text && cr == text);
        }
    }

    // BDAT with BINARYMIME: the octets exactly.
    let mut encoder = BodyEncoder::binary();
    let mut wire = BytesMut::new();
    for piece in body.chunks(write) {
        encoder.encode_bytes(Bytes::copy_from_slice(piece), |b| wire.extend_from_slice(&b));
    }
    encoder.finish(&mut wire);
    assert_eq!(&wire[..], body);
    let mut reader = ChunkReader::new(body.len() as u64);
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        while let Some(d) = reader.decode(&mut buf) {
            got.extend_from_slice(&d);
        }
    }
    assert!(reader.is_done());
    assert_eq!(got, body);
});
