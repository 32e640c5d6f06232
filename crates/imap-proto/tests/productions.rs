//! A table per production of RFC 9051 §9 (and the extensions'): input, the
//! value it decodes to, the bytes it encodes back to, and inputs the
//! production rejects, with the offset of the first bad octet.
//!
//! Each production is reached through the smallest command or response
//! that carries it; the table gives only the production's own text.

use bytes::{Bytes, BytesMut};
use imap_proto::types::*;
use imap_proto::{DecodeError, ErrorKind, Mode, Options, decode, encode};

/// Decodes `prefix + input + suffix` as a command, checks the value with
/// `check`, and that it encodes back to `prefix + reencoded + suffix`.
fn command_case(
    prefix: &str,
    input: &str,
    suffix: &str,
    reencoded: &str,
    check: impl Fn(&CommandBody<'_>),
) {
    let wire = Bytes::from(format!("{prefix}{input}{suffix}\r\n"));
    let (c, used) =
        decode::command(&wire, &Options::default()).unwrap_or_else(|e| panic!("{e}: {input:?}"));
    assert_eq!(used, wire.len());
    check(&c.body);
    let mut out = BytesMut::new();
    encode::command(&c, &mut out, &Options::default()).expect("encodes");
    assert_eq!(
        String::from_utf8_lossy(&out),
        format!("{prefix}{reencoded}{suffix}\r\n"),
        "{input:?}"
    );
}

/// The tables' inputs are not framed: the checked decoders also look for
/// NUL in literals, which the Framer does for framed input.
fn command_reject(prefix: &str, input: &str, suffix: &str, at: usize) {
    let wire = Bytes::from(format!("{prefix}{input}{suffix}\r\n"));
    match decode::command_checked(&wire, &Options::default()) {
        Err(DecodeError::Invalid { offset, .. }) => {
            assert_eq!(offset, prefix.len() + at, "{input:?}")
        }
        other => panic!("{input:?} gave {other:?}"),
    }
}

fn response_case(
    prefix: &str,
    input: &str,
    suffix: &str,
    reencoded: &str,
    check: impl Fn(&Response<'_>),
) {
    let wire = Bytes::from(format!("{prefix}{input}{suffix}\r\n"));
    let (r, used) =
        decode::response(&wire, &Options::default()).unwrap_or_else(|e| panic!("{e}: {input:?}"));
    assert_eq!(used, wire.len());
    check(&r);
    let mut out = BytesMut::new();
    encode::response(&r, &mut out, &Options::default()).expect("encodes");
    assert_eq!(
        String::from_utf8_lossy(&out),
        format!("{prefix}{reencoded}{suffix}\r\n"),
        "{input:?}"
    );
}

fn response_reject(prefix: &str, input: &str, suffix: &str, at: usize) {
    let wire = Bytes::from(format!("{prefix}{input}{suffix}\r\n"));
    match decode::response_checked(&wire, &Options::default()) {
        Err(DecodeError::Invalid { offset, .. }) => {
            assert_eq!(offset, prefix.len() + at, "{input:?}")
        }
        other => panic!("{input:?} gave {other:?}"),
    }
}

fn login_user(body: &CommandBody<'_>) -> Vec<u8> {
    match body {
        CommandBody::Login { username, .. } => username.as_bytes().to_vec(),
        other => panic!("{other:?}"),
    }
}

/// `astring = 1*ASTRING-CHAR / string`, `string = quoted / literal`.
#[test]
fn astring_quoted_literal() {
    for (input, value, re) in [
        ("fred", "fred", "fred"),
        ("a]b", "a]b", "a]b"),
        ("\"fred smith\"", "fred smith", "\"fred smith\""),
        ("\"\"", "", "\"\""),
        ("\"a\\\"b\\\\c\"", "a\"b\\c", "\"a\\\"b\\\\c\""),
        ("{3}\r\na b", "a b", "{3}\r\na b"),
        ("{0}\r\n", "", "{0}\r\n"),
        ("{2+}\r\nab", "ab", "{2+}\r\nab"),
    ] {
        command_case("a LOGIN ", input, " x", re, |b| {
            assert_eq!(login_user(b), value.as_bytes())
        });
    }
    for (input, at) in [
        ("\"a\\nb\"", 3),   // only \" and \\ escape
        ("\"a\rb\"", 2),    // no CR in quoted
        ("a(b", 1),         // atom-specials end the atom
        ("{3x}\r\nabc", 2), // literal size
        ("~{1}\r\na", 0),   // literal8 only in APPEND and BINARY
        ("(a", 0),
        ("{3}\r\na\0b", 6), // CHAR8 has no NUL (RFC 9051 §9)
        ("{1+}\r\n\0", 6),
    ] {
        command_reject("a LOGIN ", input, " x", at);
    }
}

/// `sequence-set` and RFC 5182's `$`.
#[test]
fn sequence_set() {
    for (input, re) in [
        ("1", "1"),
        ("1:*", "1:*"),
        ("*:4,7,9:10", "*:4,7,9:10"),
        ("$", "$"),
        ("4294967295", "4294967295"),
    ] {
        command_case("a FETCH ", input, " FLAGS", re, |_| {});
    }
    for (input, at) in [
        ("0", 0),
        ("1:0", 2),
        ("1,", 2),
        ("4294967296", 0),
        (":1", 0),
        ("1::2", 2),
    ] {
        command_reject("a FETCH ", input, " FLAGS", at);
    }
}

/// `flag-list` in STORE and `flag-fetch` in FETCH responses.
#[test]
fn flags() {
    for (input, re, value) in [
        ("(\\Seen)", "(\\Seen)", vec![Flag::Seen]),
        (
            "(\\sEEN \\Draft)",
            "(\\Seen \\Draft)",
            vec![Flag::Seen, Flag::Draft],
        ),
        (
            "($Forwarded \\X-Ext)",
            "($Forwarded \\X-Ext)",
            vec![
                Flag::keyword("$Forwarded").unwrap(),
                Flag::Extension(Atom::new("X-Ext").unwrap()),
            ],
        ),
        ("()", "()", vec![]),
    ] {
        command_case("a STORE 1 FLAGS ", input, "", re, |b| match b {
            CommandBody::Store { flags, .. } => assert_eq!(flags, &value),
            other => panic!("{other:?}"),
        });
    }
    for (input, at) in [
        ("(\\Recent)", 1),
        ("(\\*)", 1),
        ("(\\)", 2),
        ("(a b", 4),
        ("(a  b)", 3),
    ] {
        command_reject("a STORE 1 FLAGS ", input, "", at);
    }
    response_case(
        "* 1 FETCH (FLAGS ",
        "(\\Recent \\Seen)",
        ")",
        "(\\Recent \\Seen)",
        |_| {},
    );
}

/// `date-time` (APPEND) and `date` (SEARCH).
#[test]
fn dates() {
    for (input, re) in [
        (
            "\"17-Jul-1996 02:44:25 -0700\"",
            "\"17-Jul-1996 02:44:25 -0700\"",
        ),
        (
            "\" 7-Feb-1994 21:52:25 +0130\"",
            "\" 7-Feb-1994 21:52:25 +0130\"",
        ),
        (
            "\"07-feb-1994 21:52:25 -0000\"",
            "\" 7-Feb-1994 21:52:25 +0000\"",
        ),
        (
            "\" 7-Feb-1994 21:52:25 +9959\"",
            "\" 7-Feb-1994 21:52:25 +9959\"",
        ),
        (
            "\" 7-Feb-1994 21:52:25 -0159\"",
            "\" 7-Feb-1994 21:52:25 -0159\"",
        ),
    ] {
        command_case("a APPEND x ", input, " {1}\r\nz", re, |_| {});
    }
    for (input, at) in [
        ("\"7-Feb-1994 21:52:25 +0130\"", 1),
        ("\"30-Feb-1994 21:52:25 +0130\"", 0),
        ("\" 7-Fev-1994 21:52:25 +0130\"", 4),
        ("\" 7-Feb-1994 24:52:25 +0130\"", 0),
        ("\" 7-Feb-1994 21:52:25 0130\"", 22),
        // zone = ("+" / "-") 4DIGIT, hours and minutes: minutes past 59
        // are refused, not carried into the hours.
        ("\" 7-Feb-1994 21:52:25 +0199\"", 25),
        ("\" 7-Feb-1994 21:52:25 +9999\"", 25),
        ("\" 7-Feb-1994 21:52:25 -0060\"", 25),
    ] {
        command_reject("a APPEND x ", input, " {1}\r\nz", at);
    }
    // 1-Feb-9400 was found by fuzzing the encode-then-decode round trip.
    for (input, re) in [
        ("1-Feb-1994", "1-Feb-1994"),
        ("\"01-Feb-1994\"", "1-Feb-1994"),
        ("28-feb-2024", "28-Feb-2024"),
        ("1-Feb-9400", "1-Feb-9400"),
    ] {
        command_case("a SEARCH SINCE ", input, "", re, |_| {});
    }
    for (input, at) in [("1-Feb-94", 6), ("32-Jan-1994", 0), ("1 Feb 1994", 1)] {
        command_reject("a SEARCH SINCE ", input, "", at);
    }
}

/// `fetch-att` and `section`.
#[test]
fn fetch_att_and_section() {
    for (input, re) in [
        ("ALL", "ALL"),
        ("fast", "FAST"),
        ("body[]", "BODY[]"),
        ("BODY.PEEK[1.2.3]<10.20>", "BODY.PEEK[1.2.3]<10.20>"),
        (
            "BODY[HEADER.FIELDS (From \"To\")]",
            "BODY[HEADER.FIELDS (From \"To\")]",
        ),
        (
            "(UID RFC822.SIZE BINARY.PEEK[1]<0.1> BINARY.SIZE[2] MODSEQ)",
            "(UID RFC822.SIZE BINARY.PEEK[1]<0.1> BINARY.SIZE[2] MODSEQ)",
        ),
        (
            "(RFC822 RFC822.HEADER RFC822.TEXT BODY BODYSTRUCTURE ENVELOPE INTERNALDATE)",
            "(RFC822 RFC822.HEADER RFC822.TEXT BODY BODYSTRUCTURE ENVELOPE INTERNALDATE)",
        ),
    ] {
        command_case("a FETCH 1 ", input, "", re, |_| {});
    }
    for (input, at) in [
        ("BODY[MIME]", 5),
        ("BODY[0]", 5),
        ("BODY[1.]", 7),
        ("BODY[HEADER.FIELDS ()]", 20),
        ("BODY[]<1.0>", 9),
        ("BODY.PEEK", 9),
        ("()", 1),
        ("FLAG", 0),
    ] {
        command_reject("a FETCH 1 ", input, "", at);
    }
}

/// `search-key`: one of each shape.
#[test]
fn search_keys() {
    for (input, re) in [
        ("all", "ALL"),
        ("HEADER Message-ID \"<a@b>\"", "HEADER Message-ID \"<a@b>\""),
        ("OR (SEEN FLAGGED) NOT 2:4", "OR (SEEN FLAGGED) NOT 2:4"),
        (
            "KEYWORD $Junk LARGER 10 SMALLER 9223372036854775807",
            "KEYWORD $Junk LARGER 10 SMALLER 9223372036854775807",
        ),
        ("YOUNGER 3600 OLDER 1", "YOUNGER 3600 OLDER 1"),
        ("MODSEQ 5", "MODSEQ 5"),
        ("UID $", "UID $"),
    ] {
        command_case("a SEARCH ", input, "", re, |_| {});
    }
    // search-program = ["CHARSET" SP charset SP] ...; charset = atom / quoted.
    for (input, re) in [
        ("CHARSET UTF-8 ALL", "CHARSET UTF-8 ALL"),
        ("CHARSET \"UTF-8\" ALL", "CHARSET \"UTF-8\" ALL"),
    ] {
        command_case("a SEARCH ", input, "", re, |b| match b {
            CommandBody::Search {
                charset: Some(c), ..
            } => assert_eq!(c.as_bytes(), b"UTF-8"),
            other => panic!("{other:?}"),
        });
    }
    command_reject("a SEARCH ", "CHARSET {5}\r\nUTF-8 ALL", "", 8);
    for (input, at) in [
        ("()", 1),
        ("OR SEEN", 7),
        ("LARGER -1", 7),
        ("UNKNOWN", 0),
        ("KEYWORD \\Seen", 8),
    ] {
        command_reject("a SEARCH ", input, "", at);
    }
}

/// `mailbox` in the modes: modified UTF-7 names decode with `name`.
#[test]
fn mailbox_names() {
    command_case(
        "a SELECT ",
        "Entw&APw-rfe",
        "",
        "Entw&APw-rfe",
        |b| match b {
            CommandBody::Select { mailbox, .. } => {
                assert_eq!(mailbox.name(Mode::Imap4rev1).unwrap(), "Entw\u{fc}rfe")
            }
            other => panic!("{other:?}"),
        },
    );
    command_case("a SELECT ", "inbox", "", "inbox", |b| match b {
        CommandBody::Select { mailbox, .. } => assert!(mailbox.is_inbox()),
        other => panic!("{other:?}"),
    });
    command_reject("a SELECT ", "\"Entw\u{fc}rfe\"", "", 5);
}

fn code_of(r: &Response<'_>) -> Option<Code<'static>> {
    match r {
        Response::Tagged(t) => t.text.code.clone().map(IntoStatic::into_static),
        other => panic!("{other:?}"),
    }
}

fn astr(s: &str) -> AString<'static> {
    AString::from_bytes(s.as_bytes().to_vec(), Mode::Imap4rev1)
}

/// `resp-text-code`: one of each argument shape, and the value it is.
#[test]
fn response_codes() {
    let other = |a: &str, t: Option<&str>| {
        Code::Other(
            Atom::new(a.to_owned()).unwrap(),
            t.map(|t| Text::new(t.to_owned()).unwrap()),
        )
    };
    let seq = |a: u32, b: u32| SequenceSet::range(a, b).unwrap();
    for (input, re, value) in [
        ("[ALERT] x", "[ALERT] x", Some(Code::Alert)),
        (
            "[BADCHARSET (UTF-8 \"US-ASCII\")] x",
            "[BADCHARSET (UTF-8 \"US-ASCII\")] x",
            Some(Code::BadCharset(vec![
                astr("UTF-8"),
                AString::String(IString::Quoted(Quoted::new(&b"US-ASCII"[..]).unwrap())),
            ])),
        ),
        (
            "[BADCHARSET] x",
            "[BADCHARSET] x",
            Some(Code::BadCharset(vec![])),
        ),
        // RFC 9051 §6.4.4's example: the generic `atom SP text` form.
        (
            "[BADCHARSET UTF-8] x",
            "[BADCHARSET UTF-8] x",
            Some(other("BADCHARSET", Some("UTF-8"))),
        ),
        (
            "[ALERT foo] x",
            "[ALERT foo] x",
            Some(other("ALERT", Some("foo"))),
        ),
        (
            "[UIDNEXT x] y",
            "[UIDNEXT x] y",
            Some(other("UIDNEXT", Some("x"))),
        ),
        (
            "[APPENDUID 1 *] y",
            "[APPENDUID 1 *] y",
            Some(other("APPENDUID", Some("1 *"))),
        ),
        (
            "[PERMANENTFLAGS (\\Seen \\*)] x",
            "[PERMANENTFLAGS (\\Seen \\*)] x",
            Some(Code::PermanentFlags(vec![Flag::Seen, Flag::Wildcard])),
        ),
        (
            "[APPENDUID 1 2:4] x",
            "[APPENDUID 1 2:4] x",
            Some(Code::AppendUid {
                uid_validity: 1,
                uids: seq(2, 4),
            }),
        ),
        (
            "[COPYUID 9 1:2 3:4] x",
            "[COPYUID 9 1:2 3:4] x",
            Some(Code::CopyUid {
                uid_validity: 9,
                source: seq(1, 2),
                destination: seq(3, 4),
            }),
        ),
        (
            "[HIGHESTMODSEQ 9223372036854775807] x",
            "[HIGHESTMODSEQ 9223372036854775807] x",
            Some(Code::HighestModSeq(9223372036854775807)),
        ),
        (
            "[MODIFIED 1:*] x",
            "[MODIFIED 1:*] x",
            Some(Code::Modified(SequenceSet::all())),
        ),
        ("[UIDNEXT 7] x", "[UIDNEXT 7] x", Some(Code::UidNext(7))),
        (
            "[UIDVALIDITY 7] x",
            "[UIDVALIDITY 7] x",
            Some(Code::UidValidity(7)),
        ),
        ("[UNSEEN 7] x", "[UNSEEN 7] x", Some(Code::Unseen(7))),
        (
            "[CAPABILITY IMAP4rev1 IDLE] x",
            "[CAPABILITY IMAP4rev1 IDLE] x",
            Some(Code::Capability(vec![
                Atom::new("IMAP4rev1").unwrap(),
                Atom::new("IDLE").unwrap(),
            ])),
        ),
        (
            "[X-SOMETHING some text] x",
            "[X-SOMETHING some text] x",
            Some(other("X-SOMETHING", Some("some text"))),
        ),
        ("[X-BARE] x", "[X-BARE] x", Some(other("X-BARE", None))),
        ("[read-only] x", "[READ-ONLY] x", Some(Code::ReadOnly)),
        ("no code", "no code", None),
    ] {
        response_case("a OK ", input, "", re, |r| {
            assert_eq!(code_of(r), value, "{input}")
        });
    }
    // Every code without arguments, by its name (RFC 9051 §7.1, RFC 5530,
    // RFC 4315, RFC 7162, RFC 4978, RFC 6154), decodes to its own variant.
    for (name, value) in [
        ("ALERT", Code::Alert),
        ("PARSE", Code::Parse),
        ("READ-ONLY", Code::ReadOnly),
        ("READ-WRITE", Code::ReadWrite),
        ("TRYCREATE", Code::TryCreate),
        ("UIDNOTSTICKY", Code::UidNotSticky),
        ("NOMODSEQ", Code::NoModSeq),
        ("CLOSED", Code::Closed),
        ("COMPRESSIONACTIVE", Code::CompressionActive),
        ("USEATTR", Code::UseAttr),
        ("UNAVAILABLE", Code::Unavailable),
        ("AUTHENTICATIONFAILED", Code::AuthenticationFailed),
        ("AUTHORIZATIONFAILED", Code::AuthorizationFailed),
        ("EXPIRED", Code::Expired),
        ("PRIVACYREQUIRED", Code::PrivacyRequired),
        ("CONTACTADMIN", Code::ContactAdmin),
        ("NOPERM", Code::NoPerm),
        ("INUSE", Code::InUse),
        ("EXPUNGEISSUED", Code::ExpungeIssued),
        ("CORRUPTION", Code::Corruption),
        ("SERVERBUG", Code::ServerBug),
        ("CLIENTBUG", Code::ClientBug),
        ("CANNOT", Code::Cannot),
        ("LIMIT", Code::Limit),
        ("OVERQUOTA", Code::OverQuota),
        ("ALREADYEXISTS", Code::AlreadyExists),
        ("NONEXISTENT", Code::NonExistent),
        ("NOTSAVED", Code::NotSaved),
        ("HASCHILDREN", Code::HasChildren),
        ("UNKNOWN-CTE", Code::UnknownCte),
    ] {
        let line = format!("[{name}] x");
        response_case("a NO ", &line, "", &line, |r| {
            assert_eq!(code_of(r), Some(value.clone()), "{name}")
        });
    }
    for (input, at) in [
        ("[ALERT x", 8),
        ("[X-A ] y", 5),
        ("[X-A a\0b] y", 6),
        ("[]", 1),
    ] {
        response_reject("a OK ", input, "", at);
    }
}

/// `envelope` and `address`.
#[test]
fn envelope_and_address() {
    let env = "(NIL \"s\" ((\"n\" NIL \"m\" \"h\")) NIL NIL ((NIL NIL \"g\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL {3}\r\n<i>)";
    response_case("* 1 FETCH (ENVELOPE ", env, ")", env, |r| {
        let Response::Data(Data::Fetch { items, .. }) = r else {
            panic!()
        };
        let FetchItem::Envelope(e) = &items[0] else {
            panic!()
        };
        assert_eq!(e.from()[0].host.as_ref().unwrap().as_bytes(), b"h");
        assert_eq!(e.to().len(), 2);
        assert_eq!(e.message_id.as_ref().unwrap().as_bytes(), b"<i>");
    });
    for (input, at) in [
        ("(NIL NIL () NIL NIL NIL NIL NIL NIL NIL)", 10),
        ("(NIL NIL ((NIL NIL NIL)) NIL NIL NIL NIL NIL NIL NIL)", 22),
        ("(NIL NIL NIL NIL NIL NIL NIL NIL NIL)", 36),
        (
            "(NIL NIL ((NIL NIL NIL NIL) ) NIL NIL NIL NIL NIL NIL NIL)",
            27,
        ),
    ] {
        response_reject("* 1 FETCH (ENVELOPE ", input, ")", at);
    }
}

/// `body`: basic, text, message/rfc822, multipart, and the extension tails.
#[test]
fn body_structure() {
    for input in [
        "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)",
        "(\"IMAGE\" \"GIF\" NIL \"<id>\" \"d\" \"BASE64\" 10)",
        "(\"APPLICATION\" \"PDF\" NIL NIL NIL \"BASE64\" 10 \"md5\")",
        "(\"APPLICATION\" \"PDF\" NIL NIL NIL \"BASE64\" 10 NIL (\"attachment\" (\"filename\" \"a.pdf\")) \"en\" \"loc\" 1 (2 \"x\"))",
        "((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 1 1) \"ALTERNATIVE\")",
        "((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) \"MIXED\" (\"BOUNDARY\" \"b\") NIL (\"de\" \"en\") NIL)",
        "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) 2)",
        "(\"MESSAGE\" \"GLOBAL\" NIL NIL NIL \"8BIT\" 9 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) 2)",
    ] {
        response_case("* 1 FETCH (BODYSTRUCTURE ", input, ")", input, |_| {});
    }
    for (input, at) in [
        ("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1)", 36), // text needs lines
        ("(\"TEXT\" \"PLAIN\" () NIL NIL \"7BIT\" 1 1)", 17), // params are NIL or 1+ pairs
        ("((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1))", 40), // multipart needs a subtype
        ("()", 1),
        ("(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 9 2)", 41),
    ] {
        response_reject("* 1 FETCH (BODYSTRUCTURE ", input, ")", at);
    }
}

/// `mailbox-list`, `status-att-list`, `esearch-response`, `namespace-response`.
#[test]
fn mailbox_data() {
    for line in [
        "LIST (\\HasNoChildren \\Sent) \"/\" Sent",
        "LIST () NIL flat",
        "LIST () \"\\\\\" \"a b\"",
        "STATUS INBOX ()",
        "STATUS \"a b\" (MESSAGES 1 RECENT 0 UIDNEXT 2 UIDVALIDITY 3 UNSEEN 0 DELETED 0 SIZE 9 HIGHESTMODSEQ 7)",
        "ESEARCH",
        "ESEARCH UID COUNT 0",
        // "ALL" SP sequence-set: `*` is legal there (RFC 4731, RFC 9051 §9).
        "ESEARCH ALL 1:*",
        "ESEARCH (TAG \"a\") UID ALL 3,5:*",
        "NAMESPACE NIL NIL NIL",
        "VANISHED (EARLIER) 1:3",
        "QUOTAROOT INBOX",
        "ID (\"name\" NIL)",
    ] {
        response_case("* ", line, "", line, |_| {});
    }
    for (line, at) in [
        ("LIST () \"ab\" x", 8),
        ("LIST (Noselect) \"/\" x", 6),
        ("STATUS INBOX (MESSAGES)", 22),
        ("ESEARCH MIN 0", 12),
        ("ESEARCH ALL $", 12), // "$" is not allowed after ALL (RFC 9051 §9)
        ("NAMESPACE () NIL NIL", 11),
        ("VANISHED 1:*", 11),
    ] {
        response_reject("* ", line, "", at);
    }
}

/// Errors point at the offending octet even deep inside a long response.
#[test]
fn offsets_are_exact() {
    let wire = Bytes::from_static(b"* 12 FETCH (FLAGS (\\Seen) UID 0)\r\n");
    assert_eq!(
        decode::response(&wire, &Options::default()),
        Err(DecodeError::Invalid {
            offset: 30,
            kind: ErrorKind::Number
        })
    );
}

/// `list-mailbox = 1*list-char / string` (LIST, LSUB).
#[test]
fn list_mailbox() {
    for (input, re, value) in [
        ("%", "%", "%"),
        ("~/Mail/*", "~/Mail/*", "~/Mail/*"),
        ("foo]bar", "foo]bar", "foo]bar"),
        ("\"a b%\"", "\"a b%\"", "a b%"),
        ("{3}\r\na*b", "{3}\r\na*b", "a*b"),
        ("\"\"", "\"\"", ""),
    ] {
        command_case("a LIST \"\" ", input, "", re, |b| match b {
            CommandBody::List {
                patterns: ListPatterns::Single(p),
                ..
            } => assert_eq!(p.as_bytes(), value.as_bytes()),
            other => panic!("{other:?}"),
        });
    }
    command_case("a LIST \"\" ", "(% \"b c\")", "", "(% \"b c\")", |b| {
        let CommandBody::List {
            patterns: ListPatterns::Multiple(v),
            ..
        } = b
        else {
            panic!("{b:?}")
        };
        assert_eq!(v[0], ListMailbox::Token(ListToken::new("%").unwrap()));
    });
    for (input, at) in [("a{b", 1), ("\"a", 2), ("()", 1), ("a\"b", 1)] {
        command_reject("a LIST \"\" ", input, "", at);
    }
}

/// `store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))`.
#[test]
fn store_att_flags() {
    for (input, re, kind, silent, flags) in [
        (
            "FLAGS (\\Seen)",
            "FLAGS (\\Seen)",
            StoreKind::Replace,
            false,
            vec![Flag::Seen],
        ),
        (
            "+FLAGS.SILENT \\Draft",
            "+FLAGS.SILENT (\\Draft)",
            StoreKind::Add,
            true,
            vec![Flag::Draft],
        ),
        (
            "-flags $Junk \\Deleted",
            "-FLAGS ($Junk \\Deleted)",
            StoreKind::Remove,
            false,
            vec![Flag::keyword("$Junk").unwrap(), Flag::Deleted],
        ),
        ("FLAGS ()", "FLAGS ()", StoreKind::Replace, false, vec![]),
    ] {
        command_case("a STORE 1 ", input, "", re, |b| match b {
            CommandBody::Store {
                kind: k,
                silent: s,
                flags: f,
                ..
            } => assert_eq!((k, s, f), (&kind, &silent, &flags)),
            other => panic!("{other:?}"),
        });
    }
    for (input, at) in [
        ("*FLAGS (\\Seen)", 0),
        ("FLAGS.LOUD (\\Seen)", 0),
        ("FLAGS (\\Recent)", 7),
        ("FLAGS", 5),
        ("(UNCHANGEDSINCE x) FLAGS ()", 16),
    ] {
        command_reject("a STORE 1 ", input, "", at);
    }
}

/// `select-param` (RFC 7162 §7): CONDSTORE and QRESYNC.
#[test]
fn select_param() {
    let set = |s: &str| {
        let b = Bytes::from(format!("a UID EXPUNGE {s}\r\n"));
        match decode::command(&b, &Options::default()).unwrap().0.body {
            CommandBody::UidExpunge(s) => s,
            other => panic!("{other:?}"),
        }
    };
    for (input, re, value) in [
        ("(CONDSTORE)", "(CONDSTORE)", vec![SelectParam::CondStore]),
        ("(condstore)", "(CONDSTORE)", vec![SelectParam::CondStore]),
        (
            "(QRESYNC (1 2))",
            "(QRESYNC (1 2))",
            vec![SelectParam::QResync {
                uid_validity: 1,
                modseq: 2,
                known_uids: None,
                seq_match: None,
            }],
        ),
        (
            "(QRESYNC (1 2 3:4 (1,5 7,9)) CONDSTORE)",
            "(QRESYNC (1 2 3:4 (1,5 7,9)) CONDSTORE)",
            vec![
                SelectParam::QResync {
                    uid_validity: 1,
                    modseq: 2,
                    known_uids: Some(set("3:4")),
                    seq_match: Some((set("1,5"), set("7,9"))),
                },
                SelectParam::CondStore,
            ],
        ),
    ] {
        command_case("a SELECT INBOX ", input, "", re, |b| match b {
            CommandBody::Select { params, .. } => assert_eq!(params, &value),
            other => panic!("{other:?}"),
        });
    }
    for (input, at) in [
        ("()", 1),
        ("(QRESYNC (0 2))", 10),
        ("(QRESYNC (1 0))", 12),
        ("(QRESYNC (1 2 1:*))", 16), // known-uids has no "*"
        ("(FOO)", 1),
    ] {
        command_reject("a SELECT INBOX ", input, "", at);
    }
}

/// `fetch-modifier` (RFC 7162 §7): CHANGEDSINCE and VANISHED.
#[test]
fn fetch_modifier() {
    for (input, re, value) in [
        (
            " (CHANGEDSINCE 5)",
            " (CHANGEDSINCE 5)",
            vec![FetchModifier::ChangedSince(5)],
        ),
        (
            " (changedsince 5 vanished)",
            " (CHANGEDSINCE 5 VANISHED)",
            vec![FetchModifier::ChangedSince(5), FetchModifier::Vanished],
        ),
        ("", "", vec![]),
    ] {
        command_case("a UID FETCH 1:* FLAGS", input, "", re, |b| match b {
            CommandBody::Fetch { modifiers, .. } => assert_eq!(modifiers, &value),
            other => panic!("{other:?}"),
        });
    }
    for (input, at) in [(" ()", 2), (" (CHANGEDSINCE 0)", 15), (" (SINCE 1)", 2)] {
        command_reject("a UID FETCH 1:* FLAGS", input, "", at);
    }
}

/// `append` (RFC 9051 §9, RFC 3502 MULTIAPPEND, RFC 3516, RFC 6855).
#[test]
fn append() {
    for (input, re, count) in [
        ("{1}\r\nx", "{1}\r\nx", 1),
        ("(\\Seen) {1}\r\nx", "(\\Seen) {1}\r\nx", 1),
        (
            "\" 1-Jan-2000 00:00:00 +0000\" {1+}\r\nx",
            "\" 1-Jan-2000 00:00:00 +0000\" {1+}\r\nx",
            1,
        ),
        ("~{2}\r\n\0y", "~{2}\r\n\0y", 1),
        ("UTF8 (~{1}\r\nx)", "UTF8 (~{1}\r\nx)", 1),
        ("{1}\r\nx () {1}\r\ny", "{1}\r\nx () {1}\r\ny", 2),
    ] {
        command_case("a APPEND INBOX ", input, "", re, |b| match b {
            CommandBody::Append { messages, .. } => assert_eq!(messages.len(), count),
            other => panic!("{other:?}"),
        });
    }
    for (input, at) in [
        ("\"x\"", 1),               // a date-time, or the message: a literal
        ("(\\Recent) {1}\r\nx", 1), // \Recent cannot be set
        ("UTF8 ({1}\r\nx)", 6),     // UTF8 takes a literal8
        ("{2}\r\nx\0", 6),          // NUL only in literal8
        ("{1}\r\nx{1}\r\ny", 6),    // MULTIAPPEND: SP between messages
    ] {
        command_reject("a APPEND INBOX ", input, "", at);
    }
}

/// `authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]` (RFC 4959).
#[test]
fn authenticate() {
    for (input, re, ir) in [
        ("PLAIN", "PLAIN", None),
        ("plain =", "plain =", Some(vec![])),
        (
            "XOAUTH2 dGVzdA==",
            "XOAUTH2 dGVzdA==",
            Some(b"test".to_vec()),
        ),
    ] {
        command_case("a AUTHENTICATE ", input, "", re, |b| match b {
            CommandBody::Authenticate {
                initial_response, ..
            } => assert_eq!(initial_response.as_ref().map(|r| r.expose().clone()), ir),
            other => panic!("{other:?}"),
        });
    }
    for (input, at) in [
        ("", 0),
        ("PLAIN dGVzdA=", 12),
        ("PLAIN *", 6),
        ("(PLAIN)", 0),
    ] {
        command_reject("a AUTHENTICATE ", input, "", at);
    }
}

/// `namespace-descr` (RFC 2342 §5, RFC 9051 §9).
#[test]
fn namespace_descr() {
    for line in [
        "NAMESPACE ((\"\" \"/\")) NIL NIL",
        "NAMESPACE ((\"INBOX.\" \".\")(\"#mh/\" NIL)) ((\"~\" \"/\")) NIL",
        "NAMESPACE NIL NIL ((\"#shared/\" \"/\" \"X-PARAM\" (\"a\" \"b\")))",
    ] {
        response_case("* ", line, "", line, |r| {
            let Response::Data(Data::Namespace { personal, .. }) = r else {
                panic!("{r:?}")
            };
            if let Some(d) = personal.first() {
                assert!(d.delimiter.is_none() || d.prefix.as_bytes().len() < 8);
            }
        });
    }
    for (line, at) in [
        ("NAMESPACE (\"\" \"/\") NIL NIL", 11),
        ("NAMESPACE ((\"\" \"ab\")) NIL NIL", 15),
        ("NAMESPACE ((\"\" \"/\" \"X\" ())) NIL NIL", 24),
        ("NAMESPACE NIL NIL", 17),
    ] {
        response_reject("* ", line, "", at);
    }
}

/// `continue-req = "+" SP (resp-text / base64)`.
#[test]
fn continue_req() {
    for (input, text, code) in [
        ("+ Ready for literal data", "Ready for literal data", None),
        ("+ dGVzdA==", "dGVzdA==", None),
        ("+ ", "", None),
        ("+ [ALERT] go on", "go on", Some(Code::Alert)),
    ] {
        response_case("", input, "", input, |r| {
            let Response::Continuation(c) = r else {
                panic!("{r:?}")
            };
            assert_eq!((c.text.as_str(), &c.code), (text, &code));
        });
    }
    for (input, at) in [("+", 1), ("+x", 1), ("+ a\0b", 3)] {
        response_reject("", input, "", at);
    }
}

/// `capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev2" *(SP capability)`.
#[test]
fn capability_data() {
    for (line, count) in [
        ("CAPABILITY IMAP4rev1", 1),
        ("CAPABILITY IMAP4rev2 AUTH=PLAIN LITERAL+ X-Y=z", 4),
    ] {
        response_case("* ", line, "", line, |r| {
            let Response::Data(Data::Capability(caps)) = r else {
                panic!("{r:?}")
            };
            assert_eq!(caps.len(), count);
        });
    }
    for (line, at) in [
        ("CAPABILITY", 10),
        ("CAPABILITY IMAP4rev1 ", 21),
        ("CAPABILITY (IMAP4rev1)", 11),
        ("CAPABILITY IMAP4rev1  IDLE", 21),
    ] {
        response_reject("* ", line, "", at);
    }
}

/// `quota-response` and `quotaroot-response` (RFC 9208 §5), and the commands.
#[test]
fn quota() {
    for (line, resources) in [
        ("QUOTA \"\" (STORAGE 10 512)", 1),
        ("QUOTA root (STORAGE 10 512 MESSAGE 1 2)", 2),
        ("QUOTA root ()", 0),
    ] {
        response_case("* ", line, "", line, |r| {
            let Response::Data(Data::Quota { resources: v, .. }) = r else {
                panic!("{r:?}")
            };
            assert_eq!(v.len(), resources);
        });
    }
    response_case(
        "* ",
        "QUOTAROOT INBOX \"\" r2",
        "",
        "QUOTAROOT INBOX \"\" r2",
        |r| {
            let Response::Data(Data::QuotaRoot { roots, .. }) = r else {
                panic!("{r:?}")
            };
            assert_eq!(roots.len(), 2);
        },
    );
    for (line, at) in [
        ("QUOTA root (STORAGE 10)", 22),
        ("QUOTA root (STORAGE x 1)", 20),
        ("QUOTA root STORAGE 1 2", 11),
    ] {
        response_reject("* ", line, "", at);
    }
    command_case(
        "a ",
        "SETQUOTA \"\" (STORAGE 512)",
        "",
        "SETQUOTA \"\" (STORAGE 512)",
        |b| assert!(matches!(b, CommandBody::SetQuota { limits, .. } if limits.len() == 1)),
    );
    command_reject("a ", "SETQUOTA \"\" (STORAGE)", "", 20);
}
