//! Helpers shared by the RFC example tests.
#![allow(dead_code, reason = "each test binary uses a part of the helpers")]

use bytes::{Bytes, BytesMut};
use imap_proto::types::{Command, IntoStatic, Response};
use imap_proto::{DecodeError, Options, decode, encode};

/// Decodes `wire` as a command, checks every shorter prefix is only
/// `Incomplete`, re-encodes it and compares with `expected`.
pub(crate) fn command(wire: &[u8], expected: &[u8], opts: &Options) -> Command<'static> {
    let input = Bytes::copy_from_slice(wire);
    let (c, used) = decode::command(&input, opts)
        .unwrap_or_else(|e| panic!("{e} in {:?}", String::from_utf8_lossy(wire)));
    assert_eq!(used, wire.len(), "{:?}", String::from_utf8_lossy(wire));
    for n in 0..wire.len() {
        let prefix = Bytes::copy_from_slice(&wire[..n]);
        match decode::command(&prefix, opts) {
            Err(DecodeError::Incomplete { .. }) => {}
            other => panic!(
                "prefix {n} of {:?}: {other:?}",
                String::from_utf8_lossy(wire)
            ),
        }
    }
    let mut out = BytesMut::new();
    encode::command(&c, &mut out, opts).expect("encodes");
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(expected)
    );
    c.into_static()
}

/// As [`command`], for a response.
pub(crate) fn response(wire: &[u8], expected: &[u8], opts: &Options) -> Response<'static> {
    let input = Bytes::copy_from_slice(wire);
    let (r, used) = decode::response(&input, opts)
        .unwrap_or_else(|e| panic!("{e} in {:?}", String::from_utf8_lossy(wire)));
    assert_eq!(used, wire.len(), "{:?}", String::from_utf8_lossy(wire));
    for n in 0..wire.len() {
        let prefix = Bytes::copy_from_slice(&wire[..n]);
        match decode::response(&prefix, opts) {
            Err(DecodeError::Incomplete { .. }) => {}
            other => panic!(
                "prefix {n} of {:?}: {other:?}",
                String::from_utf8_lossy(wire)
            ),
        }
    }
    let mut out = BytesMut::new();
    encode::response(&r, &mut out, opts).expect("encodes");
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(expected)
    );
    r.into_static()
}

/// A transcript line: `C: ` or `S: ` (or `S-` for a status response
/// without text, see below) and the wire text without CRLF; a
/// second text is what the encoder writes back when it differs (keywords
/// in upper case, flag lists in parentheses).
pub(crate) fn replay(lines: &[(&str, &str, Option<&str>)], opts: &Options) {
    for (dir, wire, expected) in lines {
        let wire = format!("{wire}\r\n");
        let expected = expected
            .map(|e| format!("{e}\r\n"))
            .unwrap_or_else(|| wire.clone());
        match *dir {
            "C" => {
                command(wire.as_bytes(), expected.as_bytes(), opts);
            }
            "S" => {
                response(wire.as_bytes(), expected.as_bytes(), opts);
            }
            // A status response whose code has no text after it, as several
            // RFC examples write it: outside RFC 3501's grammar (`text =
            // 1*TEXT-CHAR`), so IMAP4rev1 does not encode it; RFC 9051's
            // `"[" resp-text-code "]" SP [text]` writes it with the space.
            "S-" => {
                let mut rev2 = *opts;
                rev2.mode = imap_proto::Mode::Imap4rev2;
                let r = response(
                    wire.as_bytes(),
                    expected.replace("]\r\n", "] \r\n").as_bytes(),
                    &rev2,
                );
                let mut out = BytesMut::new();
                let mut rev1 = *opts;
                rev1.mode = imap_proto::Mode::Imap4rev1;
                assert!(
                    matches!(
                        encode::response(&r, &mut out, &rev1),
                        Err(imap_proto::EncodeError::Empty(_))
                    ),
                    "{wire:?} is not IMAP4rev1"
                );
            }
            other => panic!("direction {other}"),
        }
    }
}

#[allow(dead_code, reason = "each test binary uses a part of the helpers")]
pub(crate) mod server;
