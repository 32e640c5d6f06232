//! No value can make the encoder write bytes outside the grammar: every type
//! written as is refuses CR, LF, NUL and out-of-grammar octets when built,
//! and what only the encoder can judge (a literal8 outside APPEND and
//! BINARY, a zero where `nz-number` is required) is an encoding error.

use bytes::BytesMut;
use imap_proto::types::*;
use imap_proto::{EncodeError, Mode, Options, ValueError, encode};

const BAD: [&str; 4] = ["a\rb", "a\nb", "a\0b", "a\r\nb"];

fn refused<T: std::fmt::Debug>(r: Result<T, ValueError>, what: &str) {
    assert!(
        matches!(r, Err(ValueError::Octet(_) | ValueError::Empty)),
        "{what}: {r:?}"
    );
}

#[test]
fn atoms_tags_and_flags() {
    for s in BAD
        .iter()
        .chain(&["a b", "a(", "a{", "a\"", "a%", "a*", "a]", ""])
    {
        refused(Atom::new(*s), "atom");
        refused(Flag::keyword(*s), "flag keyword");
        // Capability names, mailbox attributes, flag extensions, COMPRESS
        // and SASL mechanism names, search keywords are all atoms.
        refused(Atom::new(*s).map(MailboxAttr::new), "mailbox attribute");
    }
    for s in BAD.iter().chain(&["a b", "a+", "a\"", ""]) {
        refused(Tag::new(*s), "tag");
    }
    for s in BAD.iter().chain(&["a b", "a{", "a\"", ""]) {
        refused(AtomExt::new(*s), "astring atom");
    }
}

#[test]
fn list_mailbox_tokens() {
    // The hole the review found: a LIST pattern token is now validated.
    for s in BAD.iter().chain(&["a b", "a{5}", "a\"", "(a", ""]) {
        refused(ListToken::new(*s), "list-mailbox");
    }
    let t = ListToken::new("~/Mail/%").unwrap();
    let c = Command::new(
        Tag::new("a").unwrap(),
        CommandBody::List {
            selection: None,
            reference: Mailbox::from_name("", Mode::Imap4rev1),
            patterns: ListPatterns::Single(ListMailbox::Token(t)),
            returns: None,
        },
    );
    let mut out = BytesMut::new();
    encode::command(&c, &mut out, &Options::default()).unwrap();
    assert_eq!(&out[..], b"a LIST \"\" ~/Mail/%\r\n");
}

#[test]
fn text_quoted_and_literals() {
    for s in BAD {
        refused(Text::new(s), "resp-text text");
        refused(Quoted::new(s.as_bytes()), "quoted");
    }
    refused(Text::new("[ALERT] x"), "text that reads as a code");
    assert_eq!(Quoted::new(&b"\xff"[..]), Err(ValueError::NotUtf8));
    assert_eq!(Literal::new(&b"a\0b"[..]), Err(ValueError::Octet(0)));
}

/// What the encoder alone can judge.
#[test]
fn the_encoder_refuses_what_the_grammar_cannot_carry() {
    let o = Options::default();
    let response = |r: &Response<'_>| encode::response(r, &mut BytesMut::new(), &o);
    let command = |c: CommandBody<'_>| {
        encode::command(
            &Command::new(Tag::new("a").unwrap(), c),
            &mut BytesMut::new(),
            &o,
        )
    };
    // A response code's text: atom [SP 1*<any TEXT-CHAR except "]">].
    let code_text = |t: &str| {
        Response::Tagged(Tagged {
            tag: Tag::new("a").unwrap(),
            kind: StatusKind::Ok,
            text: RespText {
                code: Some(Code::Other(
                    Atom::new("X").unwrap(),
                    Some(Text::new(t.to_owned()).unwrap()),
                )),
                text: Text::new("x").unwrap(),
            },
        })
    };
    assert!(matches!(
        response(&code_text("a]b")),
        Err(EncodeError::Invalid(_))
    ));
    // A charset is an atom or a quoted string (RFC 9051 §9): never a literal.
    let bad_charset = Response::Tagged(Tagged {
        tag: Tag::new("a").unwrap(),
        kind: StatusKind::No,
        text: RespText {
            code: Some(Code::BadCharset(vec![AString::String(
                Literal::new(&b"UTF\r\n8"[..]).unwrap().into(),
            )])),
            text: Text::new("x").unwrap(),
        },
    });
    assert!(matches!(
        response(&bad_charset),
        Err(EncodeError::Invalid(_))
    ));
    // A hierarchy delimiter is one QUOTED-CHAR.
    let list = |d: char| {
        Response::Data(Data::List(ListItem {
            attrs: vec![],
            delimiter: Some(d),
            mailbox: Mailbox::inbox(),
            extended: None,
        }))
    };
    for d in ['\r', '\n', '\0'] {
        assert!(response(&list(d)).is_err(), "{d:?}");
    }
    // A section part and a sequence number are nz-numbers.
    let fetch = |part: Vec<u32>, set: SequenceSet| CommandBody::Fetch {
        uid: false,
        set,
        attrs: FetchAttrs::Single(FetchAttr::BodySection {
            peek: false,
            section: Section { part, text: None },
            partial: None,
        }),
        modifiers: vec![],
    };
    assert!(command(fetch(vec![1, 0], SequenceSet::all())).is_err());
    let zero = SequenceSet::Set(vec![Sequence::Single(SeqNumber::Value(0))]);
    assert!(command(fetch(vec![1], zero)).is_err());
    // Numbers are at most 2^63 - 1 (number64).
    let big = Response::Data(Data::Fetch {
        seq: 1,
        items: vec![FetchItem::Rfc822Size(u64::MAX)],
    });
    assert!(matches!(response(&big), Err(EncodeError::Invalid(_))));
    // ID parameters and every other string are `Quoted` or `Literal`, checked above.
    let id = CommandBody::Id(Some(vec![(
        IString::from_bytes(&b"name\r\n"[..], Mode::Imap4rev1),
        None,
    )]));
    let mut out = BytesMut::new();
    encode::command(&Command::new(Tag::new("a").unwrap(), id), &mut out, &o).unwrap();
    assert_eq!(
        &out[..],
        b"a ID ({6}\r\nname\r\n NIL)\r\n",
        "a line break makes a literal"
    );
}

/// literal8 (`~{n}`) exists only in APPEND data and BINARY items (RFC 3516
/// §4): a NUL anywhere else cannot be sent, so the encoder refuses it
/// rather than write bytes its own decoder refuses.
#[test]
fn literal8_only_where_the_grammar_has_it() {
    let o = Options::default();
    let nul = AString::from_bytes(&b"fr\0ed"[..], Mode::Imap4rev1);
    let login = Command::new(
        Tag::new("a").unwrap(),
        CommandBody::Login {
            username: nul.clone(),
            password: Secret::new(AString::from_bytes(&b"x"[..], Mode::Imap4rev1)),
        },
    );
    let mut out = BytesMut::from(&b"kept"[..]);
    assert!(matches!(
        encode::command(&login, &mut out, &o),
        Err(EncodeError::Invalid(_))
    ));
    assert_eq!(&out[..], b"kept", "nothing is left behind");
    let append = Command::new(
        Tag::new("a").unwrap(),
        CommandBody::Append {
            mailbox: Mailbox::inbox(),
            messages: vec![AppendMessage {
                flags: None,
                date: None,
                data: Literal::binary(&b"a\0b"[..]),
                utf8: false,
            }],
        },
    );
    let mut out = BytesMut::new();
    encode::command(&append, &mut out, &o).unwrap();
    assert_eq!(&out[..], b"a APPEND INBOX ~{3}\r\na\0b\r\n");
    let binary = Response::Data(Data::Fetch {
        seq: 1,
        items: vec![FetchItem::Binary {
            part: vec![1],
            data: Some(Literal::binary(&b"\0"[..]).into()),
        }],
    });
    let mut out = BytesMut::new();
    encode::response(&binary, &mut out, &o).unwrap();
    assert_eq!(&out[..], b"* 1 FETCH (BINARY[1] ~{1}\r\n\0)\r\n");
    let body = Response::Data(Data::Fetch {
        seq: 1,
        items: vec![FetchItem::BodySection {
            section: Section::default(),
            origin: None,
            data: Some(Literal::binary(&b"\0"[..]).into()),
        }],
    });
    assert!(encode::response(&body, &mut BytesMut::new(), &o).is_err());
}

/// RFC 3501 §9: `resp-text = ["[" resp-text-code "]" SP] text`, `text =
/// 1*TEXT-CHAR`; RFC 9051 §9: `resp-text = ["[" resp-text-code "]" SP] [text]`.
#[test]
fn resp_text_per_revision() {
    let ok = |code: Option<Code<'static>>| {
        Response::Tagged(Tagged {
            tag: Tag::new("a").unwrap(),
            kind: StatusKind::Ok,
            text: RespText {
                code,
                text: Text::new("").unwrap(),
            },
        })
    };
    let alert = Response::Data(Data::Status {
        kind: StatusKind::Ok,
        text: RespText {
            code: Some(Code::Alert),
            text: Text::new("").unwrap(),
        },
    });
    for mode in [Mode::Imap4rev1, Mode::Utf8Accept] {
        let o = Options::with_mode(mode);
        for r in [&ok(None), &ok(Some(Code::ReadWrite)), &alert] {
            assert!(
                matches!(
                    encode::response(r, &mut BytesMut::new(), &o),
                    Err(EncodeError::Empty(_))
                ),
                "{mode:?} {r:?}"
            );
        }
    }
    let rev2 = Options::with_mode(Mode::Imap4rev2);
    for (r, wire) in [
        (ok(None), &b"a OK \r\n"[..]),
        (ok(Some(Code::ReadWrite)), b"a OK [READ-WRITE] \r\n"),
        (alert, b"* OK [ALERT] \r\n"),
    ] {
        let mut out = BytesMut::new();
        encode::response(&r, &mut out, &rev2).unwrap();
        assert_eq!(&out[..], wire);
        let b = bytes::Bytes::copy_from_slice(wire);
        assert_eq!(imap_proto::decode::response(&b, &rev2).unwrap().0, r);
    }
    // A continuation's empty text is an empty base64 in both.
    let plus = Response::Continuation(Continuation::challenge(b""));
    let mut out = BytesMut::new();
    encode::response(&plus, &mut out, &Options::default()).unwrap();
    assert_eq!(&out[..], b"+ \r\n");
}
