//! Inputs that made a fuzz target fail, replayed as the target runs them.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use bytes::{Bytes, BytesMut};
use pop3_proto::framing::{BodyFrame, DotStuffer, DotUnstuffer};

/// `pop3_roundtrip`'s body check: stuffed in pieces of one size (copying and
/// zero-copy in turn), unstuffed in pieces of another.
fn body_round_trip(data: &[u8]) {
    let (&cuts, rest) = data.split_first().unwrap();
    let write = usize::from(cuts & 0x0f) + 1;
    let read = usize::from(cuts >> 4) + 1;
    let mut wire = BytesMut::new();
    let mut stuffer = DotStuffer::new();
    for (i, piece) in rest.chunks(write).enumerate() {
        if i % 2 == 0 {
            stuffer.encode(piece, &mut wire);
        } else {
            stuffer.encode_bytes(Bytes::copy_from_slice(piece), |b| {
                wire.extend_from_slice(&b)
            });
        }
    }
    stuffer.finish(&mut wire);
    let mut expected = rest.to_vec();
    if !expected.is_empty() && !expected.ends_with(b"\r\n") {
        expected.extend_from_slice(b"\r\n");
    }
    let mut unstuffer = DotUnstuffer::new();
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    let mut ended = false;
    for piece in wire.chunks(read) {
        buf.extend_from_slice(piece);
        while let Some(frame) = unstuffer.decode(&mut buf) {
            match frame {
                BodyFrame::Data(d) => got.extend_from_slice(&d),
                BodyFrame::End => ended = true,
            }
        }
    }
    assert!(ended);
    assert!(buf.is_empty());
    assert_eq!(got, expected);
}

/// crash-97504204472973f756aef2e0e5fb3665988a6b44: a body ending in two NUL
/// octets was taken for an empty body, so no CRLF went before the `.` line
/// and the client never saw the end.
#[test]
fn body_ending_in_two_nuls() {
    let mut input = b"+4OKz [".to_vec();
    input.extend_from_slice(&[0; 49]);
    body_round_trip(&input);
}
