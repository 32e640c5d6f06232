//! Property tests: what the crate writes, it reads back as the same value,
//! whatever the chunking.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};
use pop3_proto::framing::{BodyFrame, DotStuffer, DotUnstuffer, LineReader};
use pop3_proto::{
    Capability, Command, Mechanism, MessageNumber, Response, ResponseCode, ResponseLine, Secret,
    Status, decode, encode,
};
use proptest::prelude::*;

fn message_number() -> impl Strategy<Value = MessageNumber> {
    (1..=u32::MAX).prop_map(|n| MessageNumber::new(n).unwrap())
}

/// A name as USER and APOP carry it: printable, UTF-8, no controls.
fn name() -> impl Strategy<Value = String> {
    "[!-~][ -~é€]{0,40}"
}

fn mechanism() -> impl Strategy<Value = Mechanism> {
    "[A-Z0-9_-]{1,20}".prop_map(|m| Mechanism::new(&m).unwrap())
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        name().prop_map(|n| Command::User {
            name: Cow::Owned(n)
        }),
        proptest::collection::vec(
            any::<u8>().prop_filter("line safe", |b| !matches!(b, 0 | b'\n')),
            1..60
        )
        .prop_map(|p| Command::Pass {
            password: Secret::new(Cow::Owned(p))
        }),
        (name(), any::<[u8; 16]>()).prop_map(|(n, d)| Command::Apop {
            name: Cow::Owned(n),
            digest: d.into()
        }),
        (
            mechanism(),
            proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100))
        )
            .prop_map(|(mechanism, ir)| Command::Auth {
                mechanism,
                initial_response: ir.map(Secret::new)
            }),
        Just(Command::AuthList),
        Just(Command::Stat),
        proptest::option::of(message_number()).prop_map(|message| Command::List { message }),
        message_number().prop_map(|message| Command::Retr { message }),
        message_number().prop_map(|message| Command::Dele { message }),
        Just(Command::Noop),
        Just(Command::Rset),
        Just(Command::Quit),
        (message_number(), any::<u64>())
            .prop_map(|(message, lines)| Command::Top { message, lines }),
        proptest::option::of(message_number()).prop_map(|message| Command::Uidl { message }),
        Just(Command::Capa),
        Just(Command::Stls),
        Just(Command::Utf8),
    ]
}

fn response_code() -> impl Strategy<Value = ResponseCode> {
    "[!-.0-\\\\^-~]{1,10}(/[!-.0-\\\\^-~]{1,10}){0,2}".prop_map(|c| ResponseCode::new(&c).unwrap())
}

fn response() -> impl Strategy<Value = Response<'static>> {
    (
        prop_oneof![Just(Status::Ok), Just(Status::Err)],
        proptest::option::of(response_code()),
        // Text as servers write it: printable, not opening with "[", no
        // trailing space lost to the line.
        "([!-Z\\\\-~][ -~]{0,60})?",
    )
        .prop_map(|(status, code, text)| Response {
            status,
            code,
            text: Cow::Owned(text),
        })
}

proptest! {
    #[test]
    fn commands_round_trip(cmd in command()) {
        let mut out = BytesMut::new();
        encode::command(&cmd, &mut out).unwrap();
        prop_assert!(out.len() >= 6);
        let (back, used) = decode::command(&out).unwrap();
        prop_assert_eq!(used, out.len());
        prop_assert_eq!(back, cmd);
    }

    #[test]
    fn responses_round_trip(resp in response()) {
        let mut out = BytesMut::new();
        encode::response(&resp, &mut out).unwrap();
        let (back, used) = decode::response(&out).unwrap();
        prop_assert_eq!(used, out.len());
        prop_assert_eq!(back, ResponseLine::Status(resp));
    }

    /// The encoder writes what decodes back to the same value, or refuses
    /// and writes nothing: never a rewritten argument.
    #[test]
    fn any_argument_round_trips_or_is_refused(
        name in "[\\x00-\\x7f]{0,12}|\\PC{0,8}",
        password in proptest::collection::vec(
            prop_oneof![Just(0u8), Just(b'\n'), Just(b'\r'), Just(b' '), any::<u8>()],
            0..16,
        ),
        digest in any::<[u8; 16]>(),
    ) {
        let commands = [
            Command::User { name: Cow::Borrowed(name.as_str()) },
            Command::Apop { name: Cow::Borrowed(name.as_str()), digest: digest.into() },
            Command::Pass { password: Secret::new(Cow::Borrowed(password.as_slice())) },
        ];
        for cmd in commands {
            let mut out = BytesMut::new();
            match encode::command(&cmd, &mut out) {
                Ok(()) => {
                    let (back, used) = decode::command(&out).unwrap();
                    prop_assert_eq!(used, out.len());
                    prop_assert_eq!(back, cmd);
                }
                Err(_) => prop_assert!(out.is_empty()),
            }
        }
    }

    /// The same for a response's text: any text, with or without a code.
    #[test]
    fn any_response_text_round_trips_or_is_refused(
        status in prop_oneof![Just(Status::Ok), Just(Status::Err)],
        code in proptest::option::of(response_code()),
        text in "\\[?[\\x00-\\x7f]{0,30}|\\[[A-Z/-]{1,9}\\][ -~]{0,9}|\\PC{0,8}",
    ) {
        let resp = Response { status, code, text: Cow::Owned(text) };
        let mut out = BytesMut::new();
        match encode::response(&resp, &mut out) {
            Ok(()) => {
                let (back, used) = decode::response(&out).unwrap();
                prop_assert_eq!(used, out.len());
                prop_assert_eq!(back, ResponseLine::Status(resp));
            }
            Err(_) => prop_assert!(out.is_empty()),
        }
    }

    #[test]
    fn challenges_round_trip(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut out = BytesMut::new();
        encode::challenge(&data, &mut out);
        let (back, _) = decode::response(&out).unwrap();
        prop_assert_eq!(back, ResponseLine::Challenge(Secret::new(data)));
    }

    /// Any capability line that parses encodes to one that parses the same.
    #[test]
    fn capabilities_are_stable(line in "[!-~]{1,15}( [!-~]{1,10}){0,4}") {
        if let Ok(cap) = Capability::decode(line.as_bytes()) {
            let mut out = BytesMut::new();
            cap.encode(&mut out);
            let again = Capability::decode(&out[..out.len() - 2]).unwrap();
            prop_assert_eq!(again, cap);
        }
    }

    /// Any octets, stuffed in random pieces and unstuffed in random pieces,
    /// come back as they were (with the CRLF the stuffer adds to a body that
    /// lacks one), and the terminator is found exactly at the end.
    #[test]
    fn bodies_round_trip(
        body in proptest::collection::vec(prop_oneof![Just(b'.'), Just(b'\r'), Just(b'\n'), any::<u8>()], 0..400),
        split in 1usize..50,
        read in 1usize..50,
        zero_copy in any::<bool>(),
    ) {
        let mut wire = BytesMut::new();
        let mut stuffer = DotStuffer::new();
        for piece in body.chunks(split) {
            if zero_copy {
                stuffer.encode_bytes(Bytes::copy_from_slice(piece), |b| wire.extend_from_slice(&b));
            } else {
                stuffer.encode(piece, &mut wire);
            }
        }
        stuffer.finish(&mut wire);
        wire.extend_from_slice(b"+OK next\r\n");
        let mut expected = body.clone();
        if !expected.is_empty() && !expected.ends_with(b"\r\n") {
            expected.extend_from_slice(b"\r\n");
        }
        let mut unstuffer = DotUnstuffer::new();
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut ended = false;
        for piece in wire.chunks(read) {
            buf.extend_from_slice(piece);
            while !ended {
                match unstuffer.decode(&mut buf) {
                    Some(BodyFrame::Data(d)) => got.extend_from_slice(&d),
                    Some(BodyFrame::End) => ended = true,
                    None => break,
                }
            }
        }
        prop_assert!(ended);
        prop_assert_eq!(&got, &expected);
        prop_assert_eq!(&buf[..], b"+OK next\r\n");
    }

    /// Lines within the limit come out whole, in any chunking.
    #[test]
    fn lines_round_trip(
        lines in proptest::collection::vec("[ -~]{0,60}", 0..20),
        read in 1usize..40,
    ) {
        let wire: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        let mut reader = LineReader::new(64);
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        for piece in wire.as_bytes().chunks(read) {
            buf.extend_from_slice(piece);
            while let Some(line) = reader.read_line(&mut buf) {
                got.push(String::from_utf8(line.unwrap().to_vec()).unwrap());
            }
        }
        prop_assert_eq!(got, lines);
    }

    /// Arbitrary bytes never make the decoders panic.
    #[test]
    fn decoders_never_panic(line in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode::command_line(&line);
        let _ = decode::response_line(&line);
        let _ = decode::greeting(&line);
        let _ = decode::scan_listing(&line);
        let _ = decode::uid_listing(&line);
        let _ = decode::drop_listing(&line);
        let _ = decode::sasl_response(&line);
        let _ = Capability::decode(&line);
    }
}
