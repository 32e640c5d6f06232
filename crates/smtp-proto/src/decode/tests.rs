//! The command and reply grammar as tables: input, value, and the bytes the
//! value encodes back to.

use bytes::BytesMut;

use super::*;
use crate::{
    Body, EnhancedCode, ForwardPath, Mailbox, Notify, Orcpt, Parameter, Reply, ReplyCode, Ret,
    ReversePath,
};

fn encoded(cmd: &Command<'_>) -> String {
    let mut out = BytesMut::new();
    crate::encode::command(cmd, &mut out);
    String::from_utf8(out.to_vec()).unwrap()
}

fn parse(line: &str) -> Command<'_> {
    command_line(line.as_bytes()).unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

fn fails(line: &[u8]) -> (usize, ErrorKind) {
    match command_line(line) {
        Err(DecodeError::Invalid { offset, kind }) => (offset, kind),
        other => panic!("{:?}: {other:?}", String::from_utf8_lossy(line)),
    }
}

/// What Postfix takes by default and RFC 5321 does not: taken by
/// `command_line`, refused by `command_line_strict`; the strict grammar's
/// own lines are taken by both.
#[test]
fn postfix_envelope_forms_and_strict_ones() {
    for (line, value, canonical, strict_at) in [
        (
            "MAIL FROM:<postmaster>",
            Some(ReversePath::Postmaster),
            "MAIL FROM:<Postmaster>",
            10,
        ),
        (
            "MAIL FROM:<@a.b:postmaster>",
            Some(ReversePath::Postmaster),
            "MAIL FROM:<Postmaster>",
            26,
        ),
        (
            "RCPT TO:<@a,@b.c:POSTMASTER>",
            None,
            "RCPT TO:<Postmaster>",
            27,
        ),
        ("MAIL FROM:a@b.c", None, "MAIL FROM:<a@b.c>", 10),
        (
            "MAIL FROM:<a@my_host.example>",
            None,
            "MAIL FROM:<a@my_host.example>",
            15,
        ),
        ("RCPT TO:<@x_y.z:a@b.c>", None, "RCPT TO:<a@b.c>", 11),
    ] {
        let cmd = parse(line);
        if let (Some(value), Command::Mail { from, .. }) = (&value, &cmd) {
            assert_eq!(from, value, "{line}");
        }
        assert_eq!(encoded(&cmd), format!("{canonical}\r\n"), "{line}");
        match command_line_strict(line.as_bytes()) {
            Err(e) => assert_eq!(e.offset(), Some(strict_at), "{line}: {e}"),
            Ok(cmd) => panic!("{line}: strict took {cmd:?}"),
        }
    }
    for line in [
        "MAIL FROM:<a@b.c>",
        "RCPT TO:<Postmaster>",
        "RCPT TO:<@a.b:c@d.e>",
        "MAIL FROM:<>",
    ] {
        assert_eq!(
            command_line_strict(line.as_bytes()),
            command_line(line.as_bytes()),
            "{line}"
        );
    }
    // EHLO with several words: Postfix joins them with single spaces.
    let Command::Ehlo { host } = parse("EHLO my   pc  name") else {
        panic!()
    };
    assert_eq!(host.as_str(), "my pc name");
    assert!(!host.is_valid());
    assert_eq!(encoded(&Command::Ehlo { host }), "EHLO my pc name\r\n");
}

/// Lines in canonical form: decoded and encoded again, byte for byte.
#[test]
fn canonical_commands_round_trip() {
    for line in [
        "HELO dbc.mtview.ca.us",
        "EHLO bar.com",
        "EHLO [192.0.2.1]",
        "EHLO [IPv6:2001:db8::1]",
        "LHLO foo.edu",
        "MAIL FROM:<Smith@bar.com>",
        "MAIL FROM:<>",
        "MAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME",
        "MAIL FROM:<a@b.c> SIZE=10240000 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ314159 AUTH=e+3Dmc2@example.com REQUIRETLS MT-PRIORITY=-3 X-UNKNOWN X-VAL=1",
        "MAIL FROM:<jöran@bücher.de> SMTPUTF8",
        "MAIL FROM:<\"a b\"@c.d>",
        "MAIL FROM:<\"a\\\"b\"@c.d>",
        "MAIL FROM:<a@[127.0.0.1]>",
        "RCPT TO:<Jones@foo.com>",
        "RCPT TO:<Postmaster>",
        "RCPT TO:<Postmaster@foo.com>",
        "RCPT TO:<a@b.c> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Example.COM",
        "RCPT TO:<a@b.c> NOTIFY=NEVER",
        "RCPT TO:<a@b.c> ORCPT=utf-8;j\\x{F6}ran@x.y",
        "RCPT TO:<a@[IPv6:::1]> X-FOO=bar",
        "DATA",
        "BDAT 86 LAST",
        "BDAT 0 LAST",
        "BDAT 100000",
        "BDAT 18446744073709551615",
        "RSET",
        "VRFY Crispin",
        "VRFY <Smith@bar.com>",
        "EXPN Example-People",
        "HELP",
        "HELP MAIL",
        "NOOP",
        "NOOP just checking",
        "QUIT",
        "STARTTLS",
        "AUTH PLAIN",
        "AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=",
        "AUTH EXTERNAL =",
        "AUTH LOGIN",
        "AUTH CRAM-MD5",
        "AUTH X-CUSTOM_MECH",
    ] {
        let cmd = parse(line);
        assert_eq!(encoded(&cmd), format!("{line}\r\n"), "{line}");
        assert_eq!(cmd.clone().into_owned(), cmd);
    }
}

/// Lines that decode to a value which encodes in the canonical form.
#[test]
fn lenient_forms_normalize() {
    for (line, canonical) in [
        // Verbs and keywords in any case (Python's smtplib: `mail FROM:`).
        ("mail FROM:<a@b.c> size=12", "MAIL FROM:<a@b.c> SIZE=12"),
        (
            "MaIl fRoM:<a@b.c> body=8bitmime",
            "MAIL FROM:<a@b.c> BODY=8BITMIME",
        ),
        ("rcpt to:<postmaster>", "RCPT TO:<Postmaster>"),
        ("rcpt to:<POSTMASTER>", "RCPT TO:<Postmaster>"),
        ("starttls", "STARTTLS"),
        ("bdat 5 last", "BDAT 5 LAST"),
        ("auth plain =", "AUTH PLAIN ="),
        // A space after the colon, as Postfix allows.
        ("MAIL FROM: <a@b.c>", "MAIL FROM:<a@b.c>"),
        ("RCPT TO:  <a@b.c>", "RCPT TO:<a@b.c>"),
        // No angle brackets, as Postfix allows.
        ("MAIL FROM:a@b.c SIZE=1", "MAIL FROM:<a@b.c> SIZE=1"),
        // Source routes are accepted and dropped (RFC 5321 appendix C).
        (
            "RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>",
            "RCPT TO:<userc@d.bar.org>",
        ),
        ("MAIL FROM:<@a.b:c@d.e>", "MAIL FROM:<c@d.e>"),
        // Trailing and repeated spaces.
        ("QUIT ", "QUIT"),
        ("MAIL FROM:<a@b.c>  SIZE=1  ", "MAIL FROM:<a@b.c> SIZE=1"),
        // Values keep their meaning, not their spelling.
        (
            "RCPT TO:<a@b.c> NOTIFY=delay,success",
            "RCPT TO:<a@b.c> NOTIFY=SUCCESS,DELAY",
        ),
        (
            "MAIL FROM:<a@b.c> MT-PRIORITY=+4",
            "MAIL FROM:<a@b.c> MT-PRIORITY=4",
        ),
        ("MAIL FROM:<a@b.c> ret=full", "MAIL FROM:<a@b.c> RET=FULL"),
        ("NOOP ", "NOOP"),
    ] {
        assert_eq!(encoded(&parse(line)), format!("{canonical}\r\n"), "{line}");
    }
}

#[test]
fn paths() {
    let Command::Mail { from, params } = parse("MAIL FROM:<>") else {
        panic!()
    };
    assert_eq!(from, ReversePath::Null);
    assert!(params.is_empty());

    // `<postmaster>` is not a mailbox and not the null path.
    let Command::Rcpt { to, .. } = parse("RCPT TO:<postmaster>") else {
        panic!()
    };
    assert_eq!(to, ForwardPath::Postmaster);
    assert!(to.mailbox().is_none());
    let Command::Rcpt { to, .. } = parse("RCPT TO:<postmaster@foo.com>") else {
        panic!()
    };
    assert_eq!(
        to,
        ForwardPath::Mailbox(Mailbox::try_from("postmaster@foo.com").unwrap())
    );

    // Quoted local parts are kept byte for byte; `>` and `@` may hide inside.
    let Command::Mail { from, .. } = parse("MAIL FROM:<\"a b\"@c.d>") else {
        panic!()
    };
    let m = from.mailbox().unwrap();
    assert_eq!(m.local_part(), "\"a b\"");
    assert_eq!(m.local_part_unquoted(), "a b");
    let Command::Rcpt { to, .. } = parse("RCPT TO:<\"x>y@z\"@c.d>") else {
        panic!()
    };
    assert_eq!(to.mailbox().unwrap().local_part_unquoted(), "x>y@z");

    // Address literals.
    let Command::Mail { from, .. } = parse("MAIL FROM:<a@[127.0.0.1]>") else {
        panic!()
    };
    assert_eq!(
        from.mailbox()
            .unwrap()
            .address_literal()
            .and_then(|a| a.ip()),
        Some("127.0.0.1".parse().unwrap())
    );
    let Command::Rcpt { to, .. } = parse("RCPT TO:<a@[x-tag:a>b]>") else {
        panic!()
    };
    assert_eq!(to.mailbox().unwrap().domain(), "[x-tag:a>b]");

    // UTF-8 (RFC 6531 §3.3): the decoder accepts it; the server checks
    // SMTPUTF8.
    let Command::Rcpt { to, .. } = parse("RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>")
    else {
        panic!()
    };
    assert!(!to.is_ascii());
}

#[test]
fn parameters() {
    let Command::Mail { params, .. } = parse(
        "MAIL FROM:<a@b.c> SIZE=0 BODY=7BIT SMTPUTF8 RET=FULL ENVID=a+2Bb AUTH=<> REQUIRETLS MT-PRIORITY=9 X-A X-B=c",
    ) else {
        panic!()
    };
    assert_eq!(params.size, Some(0));
    assert_eq!(params.body, Some(Body::SevenBit));
    assert!(params.smtputf8 && params.requiretls);
    assert_eq!(params.ret, Some(Ret::Full));
    assert_eq!(params.envid.as_ref().unwrap().decode(), b"a+b");
    assert_eq!(params.auth.as_ref().unwrap().decode(), b"<>");
    assert_eq!(params.mt_priority, Some(9));
    assert_eq!(
        params.other,
        [
            Parameter::new("X-A", None::<&str>).unwrap(),
            Parameter::new("X-B", Some("c")).unwrap()
        ]
    );

    let Command::Rcpt { params, .. } =
        parse("RCPT TO:<a@b.c> NOTIFY=FAILURE ORCPT=rfc822;a+2Bb@c.d X-Y")
    else {
        panic!()
    };
    assert_eq!(
        params.notify,
        Some(Notify {
            failure: true,
            ..Notify::NEVER
        })
    );
    assert_eq!(
        params.orcpt,
        Some(Orcpt::new("rfc822", "a+2Bb@c.d").unwrap())
    );
    assert_eq!(params.other.len(), 1);
}

#[test]
fn commands_with_values() {
    assert_eq!(
        parse("BDAT 86 LAST"),
        Command::Bdat {
            size: 86,
            last: true
        }
    );
    let Command::Auth {
        mechanism,
        initial_response,
    } = parse("AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=")
    else {
        panic!()
    };
    assert_eq!(mechanism, Mechanism::PLAIN);
    assert_eq!(initial_response.unwrap().expose(), b"test\x00test\x001234");
    let Command::Auth {
        initial_response, ..
    } = parse("AUTH EXTERNAL =")
    else {
        panic!()
    };
    assert!(initial_response.unwrap().expose().is_empty());
    let Command::Ehlo { host } = parse("EHLO my_host") else {
        panic!()
    };
    // Postfix takes names outside the grammar; the server may insist.
    assert!(!host.is_valid());
}

/// Every reject with the offset where the line stops making sense.
#[test]
fn rejects_with_offsets() {
    for (line, offset, kind) in [
        (&b""[..], 0, ErrorKind::EmptyLine),
        (b"   ", 0, ErrorKind::EmptyLine),
        (b"FOO", 0, ErrorKind::UnknownCommand),
        (b"MAILX FROM:<>", 0, ErrorKind::UnknownCommand),
        (b"SEND FROM:<>", 0, ErrorKind::UnknownCommand),
        (b"EHLO", 4, ErrorKind::MissingArgument),
        // NUL in EHLO.
        (b"EHLO a\0b", 6, ErrorKind::InvalidHost),
        (b"EHLO a\tb", 6, ErrorKind::InvalidHost),
        (b"EHLO \xff", 5, ErrorKind::InvalidUtf8),
        (b"EHLO \xc3", 5, ErrorKind::InvalidUtf8),
        (b"MAIL TO:<>", 5, ErrorKind::MissingFromTo),
        (b"MAIL FROM <>", 5, ErrorKind::MissingFromTo),
        (b"MAIL FROM:", 10, ErrorKind::InvalidPath),
        (b"MAIL FROM:<", 11, ErrorKind::InvalidPath),
        (b"MAIL FROM:<a@b.c", 16, ErrorKind::InvalidPath),
        (b"MAIL FROM:<a@b.c>x", 17, ErrorKind::InvalidPath),
        (b"MAIL FROM:<a b@c>", 12, ErrorKind::InvalidLocalPart),
        (b"MAIL FROM:<a@b..c>", 15, ErrorKind::InvalidDomain),
        (
            b"MAIL FROM:<a@[1.2.3.999]>",
            20,
            ErrorKind::InvalidAddressLiteral,
        ),
        (b"MAIL FROM:<@a..b:c@d>", 14, ErrorKind::InvalidDomain),
        (b"MAIL FROM:<@a.b;c@d>", 15, ErrorKind::InvalidDomain),
        (b"RCPT TO:<>", 8, ErrorKind::InvalidPath),
        (
            b"RCPT TO:<\"unterminated@x>",
            25,
            ErrorKind::InvalidLocalPart,
        ),
        // A number that does not fit is an error, never wrapped.
        (
            b"MAIL FROM:<a@b.c> SIZE=1234567890123456789012345",
            23,
            ErrorKind::NumberTooLarge,
        ),
        (b"MAIL FROM:<a@b.c> SIZE=12k", 25, ErrorKind::InvalidNumber),
        (b"MAIL FROM:<a@b.c> SIZE", 18, ErrorKind::InvalidParameter),
        (b"MAIL FROM:<a@b.c> SIZE=", 23, ErrorKind::InvalidParameter),
        // `BODY=` twice, and empty.
        (
            b"MAIL FROM:<a@b.c> BODY=8BITMIME BODY=7BIT",
            32,
            ErrorKind::DuplicateParameter,
        ),
        (b"MAIL FROM:<a@b.c> BODY=", 23, ErrorKind::InvalidParameter),
        (b"MAIL FROM:<a@b.c> BODY=8BIT", 23, ErrorKind::InvalidBody),
        (
            b"MAIL FROM:<a@b.c> SMTPUTF8=yes",
            18,
            ErrorKind::InvalidParameter,
        ),
        (
            b"MAIL FROM:<a@b.c> SMTPUTF8 smtputf8",
            27,
            ErrorKind::DuplicateParameter,
        ),
        (b"MAIL FROM:<a@b.c> RET=ALL", 22, ErrorKind::InvalidRet),
        (b"MAIL FROM:<a@b.c> ENVID=a+zz", 26, ErrorKind::InvalidXtext),
        (b"MAIL FROM:<a@b.c> AUTH=a=b", 24, ErrorKind::InvalidXtext),
        (
            b"MAIL FROM:<a@b.c> MT-PRIORITY=10",
            30,
            ErrorKind::InvalidPriority,
        ),
        (b"MAIL FROM:<a@b.c> X_Y=1", 19, ErrorKind::InvalidParameter),
        (b"MAIL FROM:<a@b.c> =1", 18, ErrorKind::InvalidParameter),
        (b"MAIL FROM:<a@b.c> X=\x01", 20, ErrorKind::InvalidParameter),
        // RFC 3461 §4.1: NEVER must stand alone.
        (
            b"RCPT TO:<a@b.c> NOTIFY=NEVER,SUCCESS",
            23,
            ErrorKind::InvalidNotify,
        ),
        (b"RCPT TO:<a@b.c> ORCPT=a@b.c", 22, ErrorKind::InvalidOrcpt),
        (
            b"RCPT TO:<a@b.c> ORCPT=rfc822;",
            29,
            ErrorKind::InvalidOrcpt,
        ),
        (
            b"RCPT TO:<a@b.c> ORCPT=rfc822;a+b",
            31,
            ErrorKind::InvalidOrcpt,
        ),
        (b"DATA x", 5, ErrorKind::UnexpectedArgument),
        (b"RSET now", 5, ErrorKind::UnexpectedArgument),
        (b"QUIT please", 5, ErrorKind::UnexpectedArgument),
        // RFC 3207 §4: "501 Syntax error (no parameters allowed)".
        (b"STARTTLS extra", 9, ErrorKind::UnexpectedArgument),
        (b"BDAT", 4, ErrorKind::MissingArgument),
        (b"BDAT x", 5, ErrorKind::InvalidNumber),
        (b"BDAT -1", 5, ErrorKind::InvalidNumber),
        (b"BDAT 1 FIRST", 7, ErrorKind::UnexpectedArgument),
        (b"BDAT 1 LAST x", 7, ErrorKind::UnexpectedArgument),
        (b"BDAT 18446744073709551616", 5, ErrorKind::NumberTooLarge),
        (b"VRFY", 4, ErrorKind::MissingArgument),
        (b"VRFY a\x01b", 6, ErrorKind::InvalidCharacter),
        (b"AUTH", 4, ErrorKind::MissingArgument),
        (b"AUTH PL@IN", 7, ErrorKind::InvalidMechanism),
        (b"AUTH PLAIN !!!!", 11, ErrorKind::InvalidBase64),
        (b"AUTH PLAIN =AAA", 11, ErrorKind::InvalidBase64),
        (b"AUTH PLAIN AAA=BBB", 14, ErrorKind::InvalidBase64),
    ] {
        assert_eq!(
            fails(line),
            (offset, kind),
            "{:?}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn long_auth_responses_decode() {
    // A 12 000-octet AUTH response (RFC 4954 §4 allows 12 288-octet lines).
    let secret = vec![b'x'; 9000];
    let mut line = b"AUTH PLAIN ".to_vec();
    line.extend_from_slice(STANDARD.encode(&secret).as_bytes());
    assert_eq!(line.len(), 12_011);
    let Command::Auth {
        initial_response, ..
    } = command_line(&line).unwrap()
    else {
        panic!()
    };
    assert_eq!(initial_response.unwrap().expose(), &secret);
}

#[test]
fn buffers_and_verbs() {
    assert_eq!(command(b"NOOP"), Err(DecodeError::Incomplete));
    assert_eq!(command(b"NOOP\n").unwrap().1, 5);
    assert_eq!(command(b"QUIT\r\nRSET\r\n").unwrap(), (Command::Quit, 6));
    assert_eq!(verb_of(b"mail from:<<<"), Some("MAIL"));
    assert_eq!(verb_of(b"StartTLS x"), Some("STARTTLS"));
    assert_eq!(verb_of(b"FROB"), None);
    assert!(is_auth_line(b"auth plain"));
    assert!(!is_auth_line(b"AUTHX"));
    assert_eq!(sasl_response(b"*").unwrap(), SaslResponse::Cancel);
    assert_eq!(
        sasl_response(b"").unwrap(),
        SaslResponse::Data(Secret::new(vec![]))
    );
    assert_eq!(
        sasl_response(b"dXNlcm5hbWU=").unwrap(),
        SaslResponse::Data(Secret::new(b"username".to_vec()))
    );
    assert_eq!(
        sasl_response(b"dXNlcm5hbWU").unwrap_err().kind(),
        Some(ErrorKind::InvalidBase64)
    );
    assert_eq!(challenge(b"VXNlcm5hbWU6").unwrap().expose(), b"Username:");
}

#[test]
fn reply_lines() {
    assert_eq!(
        reply_line(b"250-foo.com greets bar.com").unwrap(),
        ReplyLine {
            code: ReplyCode::OK,
            last: false,
            text: "foo.com greets bar.com"
        }
    );
    // RFC 5321 §4.2: a code alone, with or without its space.
    for line in [&b"334"[..], b"334 "] {
        let l = reply_line(line).unwrap();
        assert!(l.last && l.text.is_empty());
    }
    assert_eq!(
        reply_line(b"250\tx").unwrap_err(),
        DecodeError::at(3, ErrorKind::InvalidReplySeparator)
    );
    assert_eq!(
        reply_line(b"25").unwrap_err().kind(),
        Some(ErrorKind::InvalidReplyCode)
    );
    assert_eq!(
        reply_line(b"600 x").unwrap_err().kind(),
        Some(ErrorKind::InvalidReplyCode)
    );
    assert_eq!(
        reply_line(b"260 x").unwrap_err().kind(),
        Some(ErrorKind::InvalidReplyCode)
    );
    // Reply text with a CR in it.
    assert_eq!(
        reply_line(b"250 a\rb").unwrap_err(),
        DecodeError::at(5, ErrorKind::InvalidCharacter)
    );
    assert_eq!(reply_line("250 grüße".as_bytes()).unwrap().text, "grüße");
}

fn wire(reply: &Reply) -> String {
    let mut out = BytesMut::new();
    crate::encode::reply(reply, &mut out);
    String::from_utf8(out.to_vec()).unwrap()
}

#[test]
fn whole_replies() {
    for (input, code, enhanced, lines, canonical) in [
        ("250 OK\r\n", 250, None, &["OK"][..], "250 OK\r\n"),
        (
            "550 5.1.1 No such user here\r\n",
            550,
            Some("5.1.1"),
            &["No such user here"],
            "550 5.1.1 No such user here\r\n",
        ),
        // RFC 2034 §4: the same code begins each line of a multi-line
        // reply, and comes out of each.
        (
            "250-2.1.5 one\r\n250-2.1.5 two\r\n250 2.1.5 three\r\n",
            250,
            Some("2.1.5"),
            &["one", "two", "three"],
            "250-2.1.5 one\r\n250-2.1.5 two\r\n250 2.1.5 three\r\n",
        ),
        // A line without it: no code, and every line as it came (the
        // fuzzer's EHLO reply from a server named 2.0.0 with a keyword line
        // that starts 2.0.0 too).
        (
            "250-2.1.5 one\r\n250-two\r\n250 2.1.5 three\r\n",
            250,
            None,
            &["2.1.5 one", "two", "2.1.5 three"],
            "250-2.1.5 one\r\n250-two\r\n250 2.1.5 three\r\n",
        ),
        // A class that does not match the code is text, not a status.
        (
            "250 5.0.0 x\r\n",
            250,
            None,
            &["5.0.0 x"],
            "250 5.0.0 x\r\n",
        ),
        ("334 \r\n", 334, None, &[""], "334 \r\n"),
        ("221\n", 221, None, &[""], "221 \r\n"),
        (
            "250-foo.com\r\n250-\r\n250 HELP\r\n",
            250,
            None,
            &["foo.com", "", "HELP"],
            "250-foo.com\r\n250-\r\n250 HELP\r\n",
        ),
        ("235 2.7.0\r\n", 235, Some("2.7.0"), &[""], "235 2.7.0\r\n"),
    ] {
        let (r, used) = reply(input.as_bytes()).unwrap();
        assert_eq!(used, input.len());
        assert_eq!(r.code().get(), code, "{input:?}");
        assert_eq!(
            r.enhanced(),
            enhanced.map(|e| e.parse::<EnhancedCode>().unwrap())
        );
        assert_eq!(r.lines().collect::<Vec<_>>(), lines, "{input:?}");
        assert_eq!(wire(&r), canonical);
    }
    assert_eq!(reply(b"250-a\r\n250 b"), Err(DecodeError::Incomplete));
    assert_eq!(
        reply(b"250-a\r\n251 b\r\n"),
        Err(DecodeError::at(7, ErrorKind::ReplyCodeMismatch))
    );
    assert_eq!(
        reply(b"250-a\r\n25x b\r\n"),
        Err(DecodeError::at(9, ErrorKind::InvalidReplyCode))
    );
}

#[test]
fn assembler_limits_and_recovers() {
    let mut r = ReplyAssembler::new(2, 100);
    assert_eq!(r.push(b"250-a").unwrap(), None);
    assert_eq!(r.push(b"250-b").unwrap(), None);
    assert!(r.is_partial());
    assert_eq!(
        r.push(b"250-c"),
        Err(DecodeError::at(0, ErrorKind::ReplyTooLong))
    );
    assert!(!r.is_partial());
    let reply = r.push(b"221 bye").unwrap().unwrap();
    assert_eq!(reply.code(), ReplyCode::CLOSING);
    let mut r = ReplyAssembler::new(10, 10);
    assert_eq!(
        r.push(b"250 01234567890"),
        Err(DecodeError::at(0, ErrorKind::ReplyTooLong))
    );
}

#[test]
fn ehlo_reply_without_keywords() {
    let (r, _) = reply(b"250 xyz.com is on the air\r\n").unwrap();
    let ehlo = crate::EhloReply::from_reply(&r).unwrap();
    assert_eq!(ehlo.domain(), "xyz.com");
    assert_eq!(ehlo.greeting(), "is on the air");
    assert!(ehlo.capabilities().is_empty());
    let mut out = BytesMut::new();
    crate::encode::ehlo_reply(&ehlo, &mut out);
    assert_eq!(&out[..], b"250 xyz.com is on the air\r\n");
}
