//! ENVELOPE and BODYSTRUCTURE built from raw messages (feature `mime`),
//! checked against the strings Dovecot gives for them.
#![cfg(feature = "mime")]
#![allow(
    clippy::unwrap_used,
    reason = "a failed unwrap here is a failed test or bench"
)]

use bytes::BytesMut;
use imap_proto::types::{Data, FetchItem, Response};
use imap_proto::{Options, encode, mime};

/// The item as a server writes it, without `* 1 FETCH (` and `)`.
fn written(item: FetchItem<'static>) -> String {
    let mut out = BytesMut::new();
    encode::response(
        &Response::Data(Data::Fetch {
            seq: 1,
            items: vec![item],
        }),
        &mut out,
        &Options::default(),
    )
    .unwrap();
    let s = String::from_utf8(out.to_vec()).unwrap();
    s.strip_prefix("* 1 FETCH (")
        .unwrap()
        .strip_suffix(")\r\n")
        .unwrap()
        .to_owned()
}

fn bodystructure(raw: &[u8]) -> String {
    let s = written(FetchItem::BodyStructure(
        mime::body_structure(raw, true).unwrap(),
    ));
    s.strip_prefix("BODYSTRUCTURE ").unwrap().to_owned()
}

fn body(raw: &[u8]) -> String {
    let s = written(FetchItem::Body(mime::body_structure(raw, false).unwrap()));
    s.strip_prefix("BODY ").unwrap().to_owned()
}

fn envelope(raw: &[u8]) -> String {
    let s = written(FetchItem::Envelope(Box::new(mime::envelope(raw).unwrap())));
    s.strip_prefix("ENVELOPE ").unwrap().to_owned()
}

/// Dovecot's own test message and the strings its unit test expects
/// (dovecot/core `src/lib-imap/test-imap-bodystructure.c`: `testmsg`,
/// `testmsg_bodystructure`, `testmsg_body`). Line ends are LF there; sizes
/// count them as CRLF.
const DOVECOT_TESTMSG: &str = "From: user@domain.org\n\
Date: Sat, 24 Mar 2007 23:00:00 +0200\n\
Mime-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"foo\n bar\"\n\
\n\
Root MIME prologue\n\
\n\
--foo bar\n\
Content-Type: text/x-myown; charset=us-ascii; foo=\"quoted\\\"string\"\n\
Content-ID: <foo@example.com>\n\
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\n\
Content-Disposition: inline; foo=bar\n\
Content-Description: hellodescription\n\
Content-Language: en, fi, se\n\
Content-Location: http://example.com/test.txt\n\
\n\
hello\n\
\n\
--foo bar\n\
Content-Type: message/rfc822\n\
\n\
From: sub@domain.org\n\
To: sub-to1@domain.org, sub-to2@domain.org\n\
Date: Sun, 12 Aug 2012 12:34:56 +0300\n\
Subject: submsg\n\
Content-Type: multipart/alternative; boundary=\"sub1\"\n\
\n\
Sub MIME prologue\n\
--sub1\n\
Content-Type: text/html\n\
Content-Transfer-Encoding: 8bit\n\
\n\
<p>Hello world</p>\n\
\n\
--sub1\n\
Content-Type: text/plain\n\
Content-Transfer-Encoding: ?invalid\n\
\n\
Hello another world\n\
\n\
--sub1--\n\
Sub MIME epilogue\n\
\n\
--foo bar--\n\
Root MIME epilogue\n";

#[test]
fn dovecots_own_test_message() {
    let expected = "(\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\") \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"inline\" (\"foo\" \"bar\")) (\"en\" \"fi\" \"se\") \"http://example.com/test.txt\")(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 412 (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\" ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL) ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 20 1 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"sub1\") NIL NIL NIL) 21 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"foo bar\") NIL NIL NIL";
    assert_eq!(
        bodystructure(DOVECOT_TESTMSG.as_bytes()),
        format!("({expected})")
    );
    let expected_body = "(\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\") \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 412 (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\" ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL) ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 20 1)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1) \"alternative\") 21) \"mixed\"";
    assert_eq!(
        body(DOVECOT_TESTMSG.as_bytes()),
        format!("({expected_body})")
    );
}

// Real-shaped messages. The expected strings apply the Dovecot rules the
// module documents; each assertion names the rule it checks.

#[test]
fn alternative_with_encoded_words() {
    let raw = "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>\r\n\
To: \"Keld J\\\"rn\" <keld@dkuug.dk>, moore@cs.utk.edu\r\n\
Cc: Undisclosed recipients:;\r\n\
Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n  =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=\r\n\
Date: Mon, 21 Sep 2009 10:00:00 +0200\r\n\
Message-ID: <1234@example.org>\r\n\
In-Reply-To: <1233@example.org>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=\"ISO-8859-1\"\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Andr=E9\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Andr&eacute;</p>\r\n\
--b1--\r\n";
    // RFC 2047 words stay as sent; the folded subject is "for humans": the
    // line break goes, the run of spaces is one, and the change makes it a
    // literal (imap-quote.c). Sender and Reply-To repeat From
    // (imap-envelope.c). A group is (NIL NIL name NIL) ... (NIL NIL NIL NIL).
    assert_eq!(
        envelope(raw.as_bytes()),
        "(\"Mon, 21 Sep 2009 10:00:00 +0200\" {103}\r\n\
=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?= \
((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL \"PIRARD\" \"vm1.ulg.ac.be\")) \
((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL \"PIRARD\" \"vm1.ulg.ac.be\")) \
((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL \"PIRARD\" \"vm1.ulg.ac.be\")) \
(({9}\r\nKeld J\"rn NIL \"keld\" \"dkuug.dk\")(NIL NIL \"moore\" \"cs.utk.edu\")) \
((NIL NIL \"Undisclosed recipients\" NIL)(NIL NIL NIL NIL)) NIL \
\"<1233@example.org>\" \"<1234@example.org>\")"
    );
    // Parameters keep their case; text parts have their own charset, so no
    // default is added (imap-bodystructure.c). A body ends before the line
    // break that precedes its boundary (message-parser.c), so "Andr=E9" is
    // 7 octets and 0 lines.
    assert_eq!(
        bodystructure(raw.as_bytes()),
        "((\"text\" \"plain\" (\"charset\" \"ISO-8859-1\") NIL NIL \"quoted-printable\" 7 0 NIL NIL NIL NIL)\
(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 19 0 NIL NIL NIL NIL) \
\"alternative\" (\"boundary\" \"b1\") NIL NIL NIL)"
    );
}

#[test]
fn mixed_with_rfc2231_attachment_and_related_html() {
    let raw = "From: a@example.org\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=outer\r\n\
\r\n\
--outer\r\n\
Content-Type: multipart/related; boundary=\"inner\"; type=\"text/html\"\r\n\
\r\n\
--inner\r\n\
Content-Type: text/html\r\n\
\r\n\
<img src=\"cid:logo@x\">\r\n\
--inner\r\n\
Content-Type: image/png\r\n\
Content-ID: <logo@x>\r\n\
Content-Location: logo.png\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgo=\r\n\
--inner--\r\n\
--outer\r\n\
Content-Type: application/pdf;\r\n name*0=\"long file \"; name*1=\"name.pdf\"\r\n\
Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf; size=12\r\n\
Content-Transfer-Encoding: base64\r\n\
Content-Language: de-CH\r\n\
\r\n\
JVBERi0=\r\n\
--outer--\r\n";
    // `name*0`, `name*1` join into `name`; the extended `filename*` keeps its
    // star and its undecoded value, after the plain `size`
    // (rfc2231-parser.c). A missing charset on text/html is "us-ascii".
    // Only text/* and message/rfc822 parts have a line count.
    assert_eq!(
        bodystructure(raw.as_bytes()),
        "(((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 22 0 NIL NIL NIL NIL)\
(\"image\" \"png\" NIL \"<logo@x>\" NIL \"base64\" 12 NIL NIL NIL \"logo.png\") \
\"related\" (\"boundary\" \"inner\" \"type\" \"text/html\") NIL NIL NIL)\
(\"application\" \"pdf\" (\"name\" \"long file name.pdf\") NIL NIL \"base64\" 8 NIL \
(\"attachment\" (\"size\" \"12\" \"filename*\" \"UTF-8''%E2%82%AC%20rates.pdf\")) (\"de-CH\") NIL) \
\"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)"
    );
}

#[test]
fn delivery_status_report() {
    let raw = "From: MAILER-DAEMON@example.org\r\n\
To: a@example.org\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"B5\"\r\n\
\r\n\
This is a MIME-encapsulated message.\r\n\
\r\n\
--B5\r\n\
Content-Description: Notification\r\n\
Content-Type: text/plain; charset=us-ascii\r\n\
\r\n\
I'm sorry.\r\n\
--B5\r\n\
Content-Description: Delivery report\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.example.org\r\n\
\r\n\
Final-Recipient: rfc822; b@example.net\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
--B5\r\n\
Content-Description: Undelivered Message\r\n\
Content-Type: message/rfc822\r\n\
\r\n\
From: a@example.org\r\n\
To: b@example.net\r\n\
Subject: hi\r\n\
\r\n\
Hello\r\n\
--B5--\r\n";
    // Sizes and lines: "Reporting-MTA..." to "Status: 5.1.1" is 107 octets,
    // the enclosed message 60 octets in 4 lines, its body "Hello" 5 and 0.
    // message/delivery-status is a basic part (no line count); the enclosed
    // message/rfc822 has no Content-Type, so it is text/plain with the
    // default charset, and its envelope gets Sender and Reply-To from From.
    assert_eq!(
        bodystructure(raw.as_bytes()),
        "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL \"Notification\" \"7bit\" 10 0 NIL NIL NIL NIL)\
(\"message\" \"delivery-status\" NIL NIL \"Delivery report\" \"7bit\" 107 NIL NIL NIL NIL)\
(\"message\" \"rfc822\" NIL NIL \"Undelivered Message\" \"7bit\" 60 \
(NIL \"hi\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) \
((NIL NIL \"b\" \"example.net\")) NIL NIL NIL NIL) \
(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 5 0 NIL NIL NIL NIL) 4 NIL NIL NIL NIL) \
\"report\" (\"report-type\" \"delivery-status\" \"boundary\" \"B5\") NIL NIL NIL)"
    );
}

#[test]
fn plain_message_without_mime() {
    // No MIME-Version and no Content-Type: Content-* fields do not count,
    // and the body is text/plain us-ascii 7bit (message-parser.c).
    let raw =
        b"From: a@example.org\r\nContent-Transfer-Encoding: base64\r\n\r\nline one\r\nline two\r\n";
    assert_eq!(
        body(raw),
        "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 20 2)"
    );
    assert_eq!(
        envelope(raw),
        "(NIL NIL ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL)"
    );
}
