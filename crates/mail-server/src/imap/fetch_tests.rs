//! FETCH item by item: the RFC's examples and rules, exact bytes.

use bytes::{Bytes, BytesMut};
use imap_proto::types::{CommandBody, Data, FetchAttr, IntoStatic, Response};
use imap_proto::{Options, decode, encode};
use mailbox_traits::{Civil, Flag, Flags, InternalDate, Keyword, MessageMeta, ModSeq, Uid};

use super::fetch::{self, Answer, FetchError, FetchOptions};

/// The attributes of `FETCH 1 <text>`, macros expanded.
fn attrs(text: &str) -> Vec<FetchAttr<'static>> {
    let input = Bytes::from(format!("t FETCH 1 {text}\r\n"));
    let (command, _) = decode::command(&input, &Options::default()).unwrap();
    let CommandBody::Fetch { attrs, .. } = command.body else {
        panic!("{text}");
    };
    attrs.expand().into_static()
}

/// RFC 3501 §8's message 12: `\Seen`, received 17-Jul-1996 02:44:25 -0700.
fn meta(size: usize) -> MessageMeta {
    let civil = Civil {
        year: 1996,
        month: 7,
        day: 17,
        hour: 2,
        minute: 44,
        second: 25,
    };
    MessageMeta {
        uid: Uid::new(7).unwrap(),
        flags: Flags::from([
            Flag::Seen,
            Flag::Keyword(Keyword::new("$Forwarded").unwrap()),
            Flag::Answered,
        ]),
        size: size as u64,
        internal_date: InternalDate::from_civil(civil, -7 * 60).unwrap(),
        modseq: ModSeq::new(12_121_231_000).unwrap(),
        recent: true,
    }
}

/// `* 12 FETCH (...)` as the session writes it.
fn written(answers: Vec<Answer<'static>>) -> String {
    let items = answers.into_iter().map(Answer::into_item).collect();
    let mut out = BytesMut::new();
    let response = Response::Data(Data::Fetch { seq: 12, items });
    encode::response(&response, &mut out, &Options::default()).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn fetch_text(raw: &'static [u8], text: &str) -> Result<String, FetchError> {
    let raw = Bytes::from_static(raw);
    let answers = fetch::fetch(
        &attrs(text),
        &meta(raw.len()),
        Some(&raw),
        FetchOptions { recent: true },
    )?;
    Ok(written(answers.answers))
}

const SECTIONS: &[u8] = include_bytes!("../../tests/dovecot_imap/messages/sections.eml");

#[test]
fn the_rfc_3501_part_table() {
    // RFC 3501 §6.4.5, verbatim; sections.eml is built to its shape.
    const TABLE: &str = "\
       HEADER     ([RFC-2822] header of the message)
       TEXT       ([RFC-2822] text body of the message) MULTIPART/MIXED
       1          TEXT/PLAIN
       2          APPLICATION/OCTET-STREAM
       3          MESSAGE/RFC822
       3.HEADER   ([RFC-2822] header of the message)
       3.TEXT     ([RFC-2822] text body of the message) MULTIPART/MIXED
       3.1        TEXT/PLAIN
       3.2        APPLICATION/OCTET-STREAM
       4          MULTIPART/MIXED
       4.1        IMAGE/GIF
       4.1.MIME   ([MIME-IMB] header for the IMAGE/GIF)
       4.2        MESSAGE/RFC822
       4.2.HEADER ([RFC-2822] header of the message)
       4.2.TEXT   ([RFC-2822] text body of the message) MULTIPART/MIXED
       4.2.1      TEXT/PLAIN
       4.2.2      MULTIPART/ALTERNATIVE
       4.2.2.1    TEXT/PLAIN
       4.2.2.2    TEXT/RICHTEXT";
    let raw = Bytes::from_static(SECTIONS);
    let body = |section: &str| -> Bytes {
        let fetched = fetch::fetch(
            &attrs(&format!("BODY.PEEK[{section}]")),
            &meta(raw.len()),
            Some(&raw),
            FetchOptions::default(),
        )
        .unwrap();
        match fetched.answers.into_iter().next() {
            Some(Answer::Body(_, data)) => data,
            other => panic!("{section}: {other:?}"),
        }
    };
    for line in TABLE.lines() {
        let (spec, what) = line.trim().split_once(' ').unwrap();
        let what = what.trim();
        let data = body(spec);
        if what.contains("header of the message") {
            assert!(data.starts_with(b"From: "), "{spec}");
            assert!(data.ends_with(b"\r\n\r\n"), "{spec}");
        } else if let Some(kind) = what.strip_prefix("([MIME-IMB] header for the ") {
            let kind = kind.trim_end_matches(')');
            let expected = format!("Content-Type: {kind}\r\n");
            assert!(data.starts_with(expected.as_bytes()), "{spec}");
        } else if let Some(kind) = what.strip_prefix("([RFC-2822] text body of the message) ") {
            // The text of a multipart message starts with its boundary (or
            // its preamble, at the top).
            assert!(kind.starts_with("MULTIPART"));
            assert!(
                data.starts_with(b"--b") || data.starts_with(b"Top prologue"),
                "{spec}"
            );
        } else {
            // A part: its MIME header names the type the table gives.
            let expected = format!("Content-Type: {what}");
            let mime = body(&format!("{spec}.MIME"));
            assert!(mime.starts_with(expected.as_bytes()), "{spec}");
            if what.starts_with("TEXT/") {
                assert!(
                    data.starts_with(b"Part ") || data.starts_with(b"<bold>Part "),
                    "{spec}"
                );
            }
        }
    }
    assert_eq!(&body("4.2.2.1")[..], b"Part 4.2.2.1 text.");
    assert_eq!(
        &body("3.HEADER.FIELDS (SUBJECT)")[..],
        b"Subject: part three\r\n\r\n"
    );
}

#[test]
fn rfc_3501_section_8_items_from_metadata_alone() {
    // RFC 3501 §8: "S: * 12 FETCH (FLAGS (\Seen) INTERNALDATE
    // "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 ...": no message bytes
    // are needed for these, nor for UID and MODSEQ.
    let want = attrs("(FLAGS INTERNALDATE RFC822.SIZE UID MODSEQ)");
    let plan = fetch::plan(&want);
    assert!(!plan.needs_bytes && !plan.sets_seen);
    let fetched = fetch::fetch(&want, &meta(4286), None, FetchOptions { recent: false }).unwrap();
    assert_eq!(
        written(fetched.answers),
        "* 12 FETCH (FLAGS (\\Answered \\Seen $Forwarded) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
         RFC822.SIZE 4286 UID 7 MODSEQ (12121231000))\r\n"
    );
    // \Recent only where the session shows it (IMAP4rev1).
    let flags = fetch::fetch(
        &attrs("FLAGS"),
        &meta(1),
        None,
        FetchOptions { recent: true },
    );
    assert_eq!(
        written(flags.unwrap().answers),
        "* 12 FETCH (FLAGS (\\Answered \\Seen \\Recent $Forwarded))\r\n"
    );
    // Anything else needs the bytes.
    for text in [
        "ENVELOPE",
        "BODY",
        "BODY.PEEK[]",
        "RFC822.HEADER",
        "BINARY.SIZE[1]",
        "ALL",
    ] {
        let a = attrs(text);
        assert!(fetch::plan(&a).needs_bytes, "{text}");
        assert_eq!(
            fetch::fetch(&a, &meta(1), None, FetchOptions::default()),
            Err(FetchError::NeedsBytes)
        );
    }
}

#[test]
fn non_peek_bodies_set_seen() {
    // RFC 3501 §6.4.5: BODY[], BINARY[], RFC822 and RFC822.TEXT set \Seen;
    // BODY.PEEK, BINARY.PEEK and RFC822.HEADER do not.
    for (text, seen) in [
        ("BODY[]", true),
        ("BODY[1]<0.1>", true),
        ("BINARY[1]", true),
        ("RFC822", true),
        ("RFC822.TEXT", true),
        ("(FLAGS BODY.PEEK[] BINARY.PEEK[1] BINARY.SIZE[1])", false),
        ("RFC822.HEADER", false),
        ("FULL", false),
    ] {
        let raw = Bytes::from_static(SECTIONS);
        let a = attrs(text);
        assert_eq!(fetch::plan(&a).sets_seen, seen, "{text}");
        let fetched = fetch::fetch(&a, &meta(raw.len()), Some(&raw), FetchOptions::default());
        assert_eq!(fetched.unwrap().sets_seen, seen, "{text}");
    }
}

#[test]
fn bodies_are_slices_of_the_stored_message() {
    let raw = Bytes::from_static(SECTIONS);
    let range = raw.as_ptr() as usize..raw.as_ptr() as usize + raw.len();
    let a = attrs(
        "(BODY.PEEK[] BODY.PEEK[TEXT] BODY.PEEK[4.2.2.1] BODY.PEEK[3.HEADER] BODY.PEEK[4.1.MIME] BODY.PEEK[3.TEXT]<4.10> RFC822.HEADER)",
    );
    let fetched = fetch::fetch(&a, &meta(raw.len()), Some(&raw), FetchOptions::default()).unwrap();
    assert_eq!(fetched.answers.len(), 7);
    for answer in fetched.answers {
        let Answer::Body(item, data) = answer else {
            panic!("not a body");
        };
        assert!(
            range.contains(&(data.as_ptr() as usize)),
            "{item:?} was copied"
        );
    }
}

#[test]
fn partials_at_the_edges() {
    // RFC 9051 §6.4.5: "BODY[]<0.2048> of a 1500-octet message will return
    // BODY[]<0> with a literal of size 1500, not BODY[]."
    let raw: &'static [u8] = b"Subject: x\r\n\r\n0123456789\r\n";
    assert_eq!(
        fetch_text(raw, "BODY.PEEK[TEXT]<0.2048>").unwrap(),
        "* 12 FETCH (BODY[TEXT]<0> {12}\r\n0123456789\r\n)\r\n"
    );
    assert_eq!(
        fetch_text(raw, "BODY.PEEK[TEXT]<9.3>").unwrap(),
        "* 12 FETCH (BODY[TEXT]<9> {3}\r\n9\r\n)\r\n"
    );
    // "If the starting octet is beyond the end of the text, an empty string
    // is returned."
    assert_eq!(
        fetch_text(raw, "BODY.PEEK[TEXT]<12.1>").unwrap(),
        "* 12 FETCH (BODY[TEXT]<12> {0}\r\n)\r\n"
    );
    // The largest number64s the grammar allows do not overflow.
    let max = "BODY.PEEK[]<9223372036854775807.9223372036854775807>";
    assert_eq!(
        fetch_text(raw, max).unwrap(),
        "* 12 FETCH (BODY[]<9223372036854775807> {0}\r\n)\r\n"
    );
    // A partial of a HEADER.FIELDS subset "is calculated after subsetting".
    assert_eq!(
        fetch_text(raw, "BODY.PEEK[HEADER.FIELDS (subject)]<2.4>").unwrap(),
        "* 12 FETCH (BODY[HEADER.FIELDS (SUBJECT)]<2> {4}\r\nbjec)\r\n"
    );
}

#[test]
fn structure_items_in_the_order_asked() {
    // The example of imap_proto::mime, checked against Dovecot there.
    let raw: &'static [u8] =
        b"From: a@example.org\r\nSubject: hi\r\nMIME-Version: 1.0\r\n\r\nHello\r\n";
    assert_eq!(
        fetch_text(raw, "(BODYSTRUCTURE UID BODY ENVELOPE UID)").unwrap(),
        "* 12 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 7 1 NIL NIL NIL NIL) \
         UID 7 BODY (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 7 1) \
         ENVELOPE (NIL \"hi\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) \
         ((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL))\r\n"
    );
    // A message without any header field is Dovecot's empty text part.
    assert_eq!(
        fetch_text(b"", "BODY").unwrap(),
        "* 12 FETCH (BODY (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0))\r\n"
    );
}

#[test]
fn single_part_messages_have_a_part_1() {
    // RFC 9051 §6.4.5.1: "Every message has at least one part number.
    // Messages that do not use MIME ... only have a part 1."
    let raw: &'static [u8] = b"From: a@example.org\r\n\r\nJust text.\r\n";
    assert_eq!(
        fetch_text(raw, "(BODY.PEEK[1] BODY.PEEK[2] BODY.PEEK[1.MIME])").unwrap(),
        "* 12 FETCH (BODY[1] {12}\r\nJust text.\r\n BODY[2] {0}\r\n \
         BODY[1.MIME] {23}\r\nFrom: a@example.org\r\n\r\n)\r\n"
    );
    assert_eq!(
        fetch_text(raw, "(RFC822.HEADER RFC822.SIZE)").unwrap(),
        "* 12 FETCH (RFC822.HEADER {23}\r\nFrom: a@example.org\r\n\r\n RFC822.SIZE 35)\r\n"
    );
}

#[test]
fn binary_of_base64_and_quoted_printable() {
    // RFC 3516 §4.2 and §4.3: decoded octets, as literal8, with their size.
    let raw: &'static [u8] = b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAP8A\r\n\
--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
na=C3=AFve=\r\n text\r\n--b--\r\n";
    assert_eq!(
        fetch_text(
            raw,
            "(BINARY.SIZE[1] BINARY.PEEK[1] BINARY.PEEK[2] BINARY.SIZE[2])"
        )
        .unwrap(),
        // (0xFF shows as U+FFFD in this lossy text.)
        "* 12 FETCH (BINARY.SIZE[1] 3 BINARY[1] ~{3}\r\n\0\u{fffd}\0 \
         BINARY[2] ~{11}\r\nna\u{ef}ve text BINARY.SIZE[2] 11)\r\n"
    );
}
