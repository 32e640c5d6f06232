//! Encode-then-decode round trips: responses, capabilities, and message
//! bodies dot-stuffed and unstuffed in chunks cut by the input itself.

#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use pop3_proto::framing::{BodyFrame, DotStuffer, DotUnstuffer};
use pop3_proto::{Capability, ResponseLine, decode, encode};

fuzz_target!(|data: &[u8]| {
    let Some((&cuts, rest)) = data.split_first() else {
        return;
    };
    // Responses and capabilities: decode, encode, decode again.
    for line in rest.split(|&b| b == b'\n') {
        if let Ok(ResponseLine::Status(r)) = decode::response_line(line) {
            let mut out = BytesMut::new();
            encode::response(&r, &mut out).expect("a decoded response encodes");
            let (again, _) = decode::response(&out).expect("re-encoded response decodes");
            let ResponseLine::Status(again) = again else {
                panic!("status became a challenge");
            };
            // The encoder writes text as it is or refuses it: all of the
            // response survives.
            assert_eq!(again, r);
        }
        if let Ok(cap) = Capability::decode(line) {
            let mut out = BytesMut::new();
            cap.encode(&mut out);
            let again = Capability::decode(&out[..out.len() - 2]).expect("capability decodes");
            assert_eq!(again, cap);
        }
    }
    // The body: stuffed in pieces of one size, read in pieces of another.
    let write = usize::from(cuts & 0x0f) + 1;
    let read = usize::from(cuts >> 4) + 1;
    let mut wire = BytesMut::new();
    let mut stuffer = DotStuffer::new();
    for (i, piece) in rest.chunks(write).enumerate() {
        if i % 2 == 0 {
            stuffer.encode(piece, &mut wire);
        } else {
            stuffer.encode_bytes(Bytes::copy_from_slice(piece), |b| wire.extend_from_slice(&b));
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
});
