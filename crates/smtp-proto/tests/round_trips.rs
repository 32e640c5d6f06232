//! Property tests: any command, reply or EHLO reply the crate can build
//! encodes to bytes that decode to the same value, and any body survives
//! DATA's stuffing and BDAT's chunking, cut anywhere.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};
use proptest::prelude::*;
use smtp_proto::framing::{BareLineEndings, BodyEncoder, ChunkReader, DataFrame, DotUnstuffer};
use smtp_proto::{
    Body, Capability, Command, EhloReply, EnhancedCode, ForwardPath, Host, MailParameters, Mailbox,
    Mechanism, Notify, Orcpt, Parameter, RcptParameters, Reply, ReplyCode, Ret, ReversePath,
    Secret, Text, Word, XText, decode, encode,
};

fn label() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?"
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(label(), 1..4).prop_map(|l| l.join(".")),
        1 => "(bücher|δοκιμή|例え)\\.[a-z]{2,3}",
    ]
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| format!("[{}.{}.{}.{}]", o[0], o[1], o[2], o[3])),
        any::<[u16; 8]>().prop_map(|s| format!("[IPv6:{}]", std::net::Ipv6Addr::from(s))),
        "\\[x-[a-z]{1,5}:[!-Z^-~]{1,10}\\]",
    ]
}

fn local_part() -> impl Strategy<Value = String> {
    let atom = "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,8}";
    prop_oneof![
        4 => prop::collection::vec(atom, 1..4).prop_map(|a| a.join(".")),
        2 => "\"([ !#-\\[\\]-~]|\\\\[ -~]){0,10}\"",
        1 => "(jöran|δοκιμή)",
    ]
}

fn mailbox() -> impl Strategy<Value = Mailbox<'static>> {
    (local_part(), prop_oneof![3 => domain(), 1 => literal()])
        .prop_map(|(l, d)| Mailbox::try_from(format!("{l}@{d}")).unwrap())
}

fn host() -> impl Strategy<Value = Host<'static>> {
    prop_oneof![domain(), literal(), "[!-~]{1,20}"].prop_map(|h| Host::try_from(h).unwrap())
}

fn xtext() -> impl Strategy<Value = XText<'static>> {
    prop::collection::vec(any::<u8>(), 1..20).prop_map(|b| XText::encode(&b).unwrap())
}

/// Parameters this crate has no type for: `X-` keywords, so none is taken
/// for a known one.
fn other() -> impl Strategy<Value = Vec<Parameter<'static>>> {
    prop::collection::vec(
        ("X-[A-Z0-9]{1,6}", prop::option::of("[!-<>-~]{1,10}"))
            .prop_map(|(k, v)| Parameter::new(Cow::Owned(k), v.map(Cow::Owned)).unwrap()),
        0..3,
    )
}

fn mail_parameters() -> impl Strategy<Value = MailParameters<'static>> {
    (
        prop::option::of(any::<u64>()),
        prop::option::of(prop_oneof![
            Just(Body::SevenBit),
            Just(Body::EightBitMime),
            Just(Body::BinaryMime)
        ]),
        any::<bool>(),
        prop::option::of(prop_oneof![Just(Ret::Full), Just(Ret::Headers)]),
        prop::option::of(xtext()),
        prop::option::of(xtext()),
        any::<bool>(),
        prop::option::of(-9i8..=9),
        other(),
    )
        .prop_map(
            |(size, body, smtputf8, ret, envid, auth, requiretls, mt_priority, other)| {
                let mut p = MailParameters::default();
                p.size = size;
                p.body = body;
                p.smtputf8 = smtputf8;
                p.ret = ret;
                p.envid = envid;
                p.auth = auth;
                p.requiretls = requiretls;
                p.mt_priority = mt_priority;
                p.other = other;
                p
            },
        )
}

fn rcpt_parameters() -> impl Strategy<Value = RcptParameters<'static>> {
    (
        prop::option::of((any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |(success, failure, delay)| Notify {
                success,
                failure,
                delay,
            },
        )),
        // (No surrogate in an escape: `\x{D800}` is not a character.)
        prop::option::of(prop_oneof![
            "[!-~]{1,20}".prop_map(|a| Orcpt::rfc822(&a).unwrap()),
            "[a-z]{1,5}(\\\\x\\{[1-9A-C][0-9A-F]{1,3}\\}|ö)@[a-z]{1,5}"
                .prop_map(|a| Orcpt::new("utf-8", a).unwrap()),
        ]),
        other(),
    )
        .prop_map(|(notify, orcpt, other)| {
            let mut p = RcptParameters::default();
            p.notify = notify;
            p.orcpt = orcpt;
            p.other = other;
            p
        })
}

fn text() -> impl Strategy<Value = Option<Text<'static>>> {
    prop::option::of("[!-~]([ -~]{0,20}[!-~])?".prop_map(|t| Text::try_from(t).unwrap()))
}

fn command() -> impl Strategy<Value = Command<'static>> {
    prop_oneof![
        host().prop_map(|host| Command::Helo { host }),
        host().prop_map(|host| Command::Ehlo { host }),
        host().prop_map(|host| Command::Lhlo { host }),
        (
            prop_oneof![
                1 => Just(ReversePath::Null),
                4 => mailbox().prop_map(ReversePath::Mailbox)
            ],
            mail_parameters()
        )
            .prop_map(|(from, params)| Command::Mail {
                from,
                params: params.into()
            }),
        (
            prop_oneof![
                1 => Just(ForwardPath::Postmaster),
                4 => mailbox().prop_map(ForwardPath::Mailbox)
            ],
            rcpt_parameters()
        )
            .prop_map(|(to, params)| Command::Rcpt {
                to,
                params: params.into()
            }),
        Just(Command::Data),
        (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
        Just(Command::Rset),
        text()
            .prop_filter_map("an argument", |a| a)
            .prop_map(|argument| Command::Vrfy { argument }),
        text()
            .prop_filter_map("an argument", |a| a)
            .prop_map(|argument| Command::Expn { argument }),
        text().prop_map(|topic| Command::Help { topic }),
        text().prop_map(|argument| Command::Noop { argument }),
        Just(Command::Quit),
        Just(Command::StartTls),
        (
            "[A-Z0-9_-]{1,20}".prop_map(|m| Mechanism::new(&m).unwrap()),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..40).prop_map(Secret::new)),
        )
            .prop_map(|(mechanism, initial_response)| Command::Auth {
                mechanism,
                initial_response
            }),
    ]
}

fn reply() -> impl Strategy<Value = Reply> {
    let line = "[a-zA-Z]([ -~\t]{0,30})?";
    (
        (2u16..=5, 0u16..=5, 0u16..=9)
            .prop_map(|(a, b, c)| ReplyCode::new(a * 100 + b * 10 + c).unwrap()),
        any::<bool>(),
        (0u16..1000, 0u16..1000),
        prop::collection::vec(line, 1..5),
    )
        .prop_map(|(code, with, (s, d), lines)| {
            // An enhanced code's class is the reply's first digit (RFC 3463
            // §2); a 3xx reply has none.
            let class = (code.get() / 100) as u8;
            let enhanced = (with && class != 3).then(|| EnhancedCode::new(class, s, d).unwrap());
            Reply::multiline(code, enhanced, lines).unwrap()
        })
}

fn capability() -> impl Strategy<Value = Capability> {
    prop_oneof![
        Just(Capability::EightBitMime),
        prop::collection::vec("[A-Z0-9_-]{1,20}", 0..4)
            .prop_map(|m| Capability::Auth(m.iter().map(|m| Mechanism::new(m).unwrap()).collect())),
        Just(Capability::BinaryMime),
        Just(Capability::Chunking),
        Just(Capability::Dsn),
        Just(Capability::EnhancedStatusCodes),
        Just(Capability::Pipelining),
        prop::option::of(any::<u64>()).prop_map(Capability::Size),
        Just(Capability::SmtpUtf8),
        Just(Capability::StartTls),
        prop::option::of("[A-Z]{1,8}".prop_map(|w| Word::try_from(w).unwrap()))
            .prop_map(Capability::MtPriority),
        ("X-[A-Z0-9]{1,8}", prop::collection::vec("[!-~]{1,8}", 0..3)).prop_map(|(k, p)| {
            let p: Vec<&str> = p.iter().map(String::as_str).collect();
            Capability::other(&k, &p).unwrap()
        }),
    ]
}

proptest! {
    #[test]
    fn commands_round_trip(cmd in command()) {
        let mut out = BytesMut::new();
        encode::command(&cmd, &mut out);
        let (again, used) = decode::command(&out).unwrap();
        prop_assert_eq!(used, out.len());
        prop_assert_eq!(again, cmd);
    }

    #[test]
    fn replies_round_trip(reply in reply()) {
        let mut out = BytesMut::new();
        encode::reply(&reply, &mut out);
        let (again, used) = decode::reply(&out).unwrap();
        prop_assert_eq!(used, out.len());
        prop_assert_eq!(again, reply);
    }

    #[test]
    fn ehlo_replies_round_trip(
        domain in domain(),
        greeting in "([a-zA-Z][ -~]{0,20})?",
        caps in prop::collection::vec(capability(), 0..8),
    ) {
        let ehlo = EhloReply::new(
            Host::try_from(domain).unwrap(),
            Text::try_from(greeting.trim_end().to_owned()).unwrap(),
            caps,
        );
        let mut out = BytesMut::new();
        encode::ehlo_reply(&ehlo, &mut out);
        let (reply, _) = decode::reply(&out).unwrap();
        prop_assert_eq!(EhloReply::from_reply(&reply).unwrap(), ehlo);
    }

    /// DATA: a body of any octets, stuffed in pieces of one size and read in
    /// pieces of another, arrives with its line ends as CRLF and a final
    /// CRLF, whatever bare CR and LF it held.
    #[test]
    fn data_bodies_round_trip(
        body in prop::collection::vec(prop_oneof![3 => any::<u8>(), 1 => Just(b'\r'), 1 => Just(b'\n'), 1 => Just(b'.')], 0..400),
        write in 1usize..50,
        read in 1usize..50,
    ) {
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
        let mut expected = Vec::new();
        let mut i = 0;
        while i < body.len() {
            match body[i] {
                b'\r' if body.get(i + 1) == Some(&b'\n') => { expected.extend_from_slice(b"\r\n"); i += 2; }
                b'\r' | b'\n' => { expected.extend_from_slice(b"\r\n"); i += 1; }
                b => { expected.push(b); i += 1; }
            }
        }
        if !expected.is_empty() && !expected.ends_with(b"\r\n") {
            expected.extend_from_slice(b"\r\n");
        }
        let mut unstuffer = DotUnstuffer::new(BareLineEndings::Reject);
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut ended = false;
        for piece in wire.chunks(read) {
            buf.extend_from_slice(piece);
            while let Some(frame) = unstuffer.decode(&mut buf) {
                match frame {
                    DataFrame::Data(d) => got.extend_from_slice(&d),
                    DataFrame::End => ended = true,
                }
            }
        }
        prop_assert!(ended);
        prop_assert!(!unstuffer.saw_bare_line_ending());
        prop_assert!(buf.is_empty());
        prop_assert_eq!(got, expected);
    }

    /// BINARYMIME through BDAT: the octets exactly, chunk by chunk.
    #[test]
    fn bdat_chunks_round_trip(
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..100), 1..6),
        read in 1usize..64,
    ) {
        let mut wire = BytesMut::new();
        for (i, chunk) in chunks.iter().enumerate() {
            encode::command(&Command::Bdat { size: chunk.len() as u64, last: i + 1 == chunks.len() }, &mut wire);
            wire.extend_from_slice(chunk);
        }
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut reader: Option<ChunkReader> = None;
        let mut last = false;
        for piece in wire.chunks(read) {
            buf.extend_from_slice(piece);
            loop {
                if let Some(r) = &mut reader {
                    match r.decode(&mut buf) {
                        Some(d) => got.push(d),
                        None if r.is_done() => reader = None,
                        None => break,
                    }
                    continue;
                }
                let Ok((cmd, used)) = decode::command(&buf) else { break };
                let Command::Bdat { size, last: l } = cmd else { panic!("{cmd:?}") };
                let _ = buf.split_to(used);
                reader = Some(ChunkReader::new(size));
                last = l;
            }
        }
        prop_assert!(last && reader.is_none_or(|r| r.is_done()));
        prop_assert_eq!(got.concat(), chunks.concat());
    }
}
