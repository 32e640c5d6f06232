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

// Real-shaped messages in tests/dovecot/messages/, and the exact strings a
// real Dovecot returned for them to `UID FETCH n (ENVELOPE BODYSTRUCTURE
// BODY)` after an APPEND. tests/dovecot/regenerate.py starts a Dovecot,
// asks, and prints these constants; it is not run in CI (the recorded
// strings are the fixture).

fn check(raw: &[u8], envelope_: &str, bodystructure_: &str, body_: &str) {
    assert_eq!(envelope(raw), envelope_, "ENVELOPE");
    assert_eq!(bodystructure(raw), bodystructure_, "BODYSTRUCTURE");
    assert_eq!(body(raw), body_, "BODY");
}

#[test]
fn mixed_attachments() {
    let raw = include_bytes!("dovecot/messages/mixed_attachments.eml");
    check(
        raw,
        MIXED_ATTACHMENTS_ENVELOPE,
        MIXED_ATTACHMENTS_BODYSTRUCTURE,
        MIXED_ATTACHMENTS_BODY,
    );
}

#[test]
fn alternative() {
    let raw = include_bytes!("dovecot/messages/alternative.eml");
    check(
        raw,
        ALTERNATIVE_ENVELOPE,
        ALTERNATIVE_BODYSTRUCTURE,
        ALTERNATIVE_BODY,
    );
}

#[test]
fn related() {
    let raw = include_bytes!("dovecot/messages/related.eml");
    check(raw, RELATED_ENVELOPE, RELATED_BODYSTRUCTURE, RELATED_BODY);
}

#[test]
fn nested_rfc822() {
    let raw = include_bytes!("dovecot/messages/nested_rfc822.eml");
    check(
        raw,
        NESTED_RFC822_ENVELOPE,
        NESTED_RFC822_BODYSTRUCTURE,
        NESTED_RFC822_BODY,
    );
}

#[test]
fn dsn() {
    let raw = include_bytes!("dovecot/messages/dsn.eml");
    check(raw, DSN_ENVELOPE, DSN_BODYSTRUCTURE, DSN_BODY);
}

#[test]
fn encoded_words() {
    let raw = include_bytes!("dovecot/messages/encoded_words.eml");
    check(
        raw,
        ENCODED_WORDS_ENVELOPE,
        ENCODED_WORDS_BODYSTRUCTURE,
        ENCODED_WORDS_BODY,
    );
}

#[test]
fn rfc2231() {
    let raw = include_bytes!("dovecot/messages/rfc2231.eml");
    check(raw, RFC2231_ENVELOPE, RFC2231_BODYSTRUCTURE, RFC2231_BODY);
}

#[test]
fn no_content_type() {
    let raw = include_bytes!("dovecot/messages/no_content_type.eml");
    check(
        raw,
        NO_CONTENT_TYPE_ENVELOPE,
        NO_CONTENT_TYPE_BODYSTRUCTURE,
        NO_CONTENT_TYPE_BODY,
    );
}

#[test]
fn not_mime() {
    let raw = include_bytes!("dovecot/messages/not_mime.eml");
    check(
        raw,
        NOT_MIME_ENVELOPE,
        NOT_MIME_BODYSTRUCTURE,
        NOT_MIME_BODY,
    );
}

/// Dovecot keeps the case of types, subtypes, parameter names, encodings,
/// dispositions and languages, which `mail-parser` folds to lower case: the
/// reason `mime` reads these fields from the raw header itself.
#[test]
fn case_is_kept() {
    let raw = include_bytes!("dovecot/messages/case.eml");
    check(raw, CASE_ENVELOPE, CASE_BODYSTRUCTURE, CASE_BODY);
}

#[test]
fn deep_rfc822() {
    let raw = include_bytes!("dovecot/messages/deep_rfc822.eml");
    check(
        raw,
        DEEP_RFC822_ENVELOPE,
        DEEP_RFC822_BODYSTRUCTURE,
        DEEP_RFC822_BODY,
    );
}

/// 150 nested multiparts: Dovecot reports 100 levels, the 100th as an
/// unparsed `application/octet-stream`, so the result encodes with the
/// default `Options::max_depth`.
#[test]
fn deep150() {
    let raw = include_bytes!("dovecot/messages/deep150.eml");
    check(raw, DEEP150_ENVELOPE, DEEP150_BODYSTRUCTURE, DEEP150_BODY);
}

// Recorded from Dovecot 2.3.19.1 (9b53102964) by tests/dovecot/regenerate.py.
const ALTERNATIVE_ENVELOPE: &str = "(\"Wed, 03 Apr 2024 18:00:00 -0000\" \"Your ticket #4711\" ((\"Support Team\" NIL \"support\" \"example.com\")) ((\"Support Team\" NIL \"support\" \"example.com\")) ((\"Support Team\" NIL \"support\" \"example.com\")) ((NIL NIL \"customer\" \"example.net\")) ((NIL NIL \"Team\" NIL)(NIL NIL \"one\" \"example.com\")(NIL NIL \"two\" \"example.com\")(NIL NIL NIL NIL)) NIL \"<question@example.net>\" \"<ticket-4711@example.com>\")";
const ALTERNATIVE_BODYSTRUCTURE: &str = "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 27 1 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"quoted-printable\" 63 2 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"alt-boundary\") NIL NIL NIL)";
const ALTERNATIVE_BODY: &str = "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 27 1)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"quoted-printable\" 63 2) \"alternative\")";
const CASE_ENVELOPE: &str = "(NIL \"case\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL)";
const CASE_BODYSTRUCTURE: &str = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"Format\" \"Flowed\") NIL NIL \"7BIT\" 7 1 NIL (\"INLINE\" (\"FileName\" \"a.txt\")) (\"EN-us\") NIL)";
const CASE_BODY: &str =
    "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"Format\" \"Flowed\") NIL NIL \"7BIT\" 7 1)";
const DEEP150_ENVELOPE: &str = "(NIL \"deep\" ((NIL NIL \"deep\" \"example.org\")) ((NIL NIL \"deep\" \"example.org\")) ((NIL NIL \"deep\" \"example.org\")) NIL NIL NIL NIL NIL)";
const DEEP150_BODYSTRUCTURE: &str = "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\"application\" \"octet-stream\" (\"boundary\" \"bnd099\") NIL NIL \"7bit\" 3833 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd098\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd097\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd096\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd095\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd094\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd093\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd092\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd091\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd090\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd089\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd088\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd087\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd086\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd085\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd084\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd083\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd082\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd081\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd080\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd079\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd078\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd077\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd076\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd075\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd074\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd073\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd072\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd071\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd070\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd069\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd068\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd067\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd066\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd065\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd064\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd063\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd062\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd061\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd060\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd059\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd058\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd057\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd056\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd055\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd054\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd053\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd052\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd051\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd050\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd049\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd048\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd047\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd046\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd045\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd044\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd043\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd042\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd041\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd040\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd039\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd038\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd037\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd036\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd035\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd034\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd033\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd032\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd031\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd030\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd029\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd028\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd027\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd026\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd025\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd024\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd023\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd022\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd021\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd020\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd019\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd018\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd017\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd016\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd015\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd014\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd013\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd012\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd011\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd010\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd009\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd008\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd007\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd006\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd005\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd004\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd003\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd002\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd001\") NIL NIL NIL) \"mixed\" (\"boundary\" \"bnd000\") NIL NIL NIL)";
const DEEP150_BODY: &str = "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((\"application\" \"octet-stream\" (\"boundary\" \"bnd099\") NIL NIL \"7bit\" 3833) \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\") \"mixed\")";
const DEEP_RFC822_ENVELOPE: &str = "(NIL \"level 0\" ((NIL NIL \"outer\" \"example.org\")) ((NIL NIL \"outer\" \"example.org\")) ((NIL NIL \"outer\" \"example.org\")) NIL NIL NIL NIL NIL)";
const DEEP_RFC822_BODYSTRUCTURE: &str = "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7664 (NIL \"level 1\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7595 (NIL \"level 2\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7526 (NIL \"level 3\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7457 (NIL \"level 4\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7388 (NIL \"level 5\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7319 (NIL \"level 6\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7250 (NIL \"level 7\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7181 (NIL \"level 8\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7112 (NIL \"level 9\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7043 (NIL \"level 10\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6973 (NIL \"level 11\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6903 (NIL \"level 12\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6833 (NIL \"level 13\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6763 (NIL \"level 14\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6693 (NIL \"level 15\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6623 (NIL \"level 16\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6553 (NIL \"level 17\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6483 (NIL \"level 18\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6413 (NIL \"level 19\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6343 (NIL \"level 20\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6273 (NIL \"level 21\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6203 (NIL \"level 22\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6133 (NIL \"level 23\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6063 (NIL \"level 24\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5993 (NIL \"level 25\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5923 (NIL \"level 26\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5853 (NIL \"level 27\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5783 (NIL \"level 28\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5713 (NIL \"level 29\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5643 (NIL \"level 30\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5573 (NIL \"level 31\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5503 (NIL \"level 32\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5433 (NIL \"level 33\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5363 (NIL \"level 34\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5293 (NIL \"level 35\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5223 (NIL \"level 36\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5153 (NIL \"level 37\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5083 (NIL \"level 38\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5013 (NIL \"level 39\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4943 (NIL \"level 40\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4873 (NIL \"level 41\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4803 (NIL \"level 42\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4733 (NIL \"level 43\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4663 (NIL \"level 44\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4593 (NIL \"level 45\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4523 (NIL \"level 46\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4453 (NIL \"level 47\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4383 (NIL \"level 48\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4313 (NIL \"level 49\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4243 (NIL \"level 50\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4173 (NIL \"level 51\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4103 (NIL \"level 52\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4033 (NIL \"level 53\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3963 (NIL \"level 54\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3893 (NIL \"level 55\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3823 (NIL \"level 56\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3753 (NIL \"level 57\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3683 (NIL \"level 58\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3613 (NIL \"level 59\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3543 (NIL \"level 60\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3473 (NIL \"level 61\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3403 (NIL \"level 62\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3333 (NIL \"level 63\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3263 (NIL \"level 64\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3193 (NIL \"level 65\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3123 (NIL \"level 66\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3053 (NIL \"level 67\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2983 (NIL \"level 68\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2913 (NIL \"level 69\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2843 (NIL \"level 70\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2773 (NIL \"level 71\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2703 (NIL \"level 72\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2633 (NIL \"level 73\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2563 (NIL \"level 74\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2493 (NIL \"level 75\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2423 (NIL \"level 76\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2353 (NIL \"level 77\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2283 (NIL \"level 78\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2213 (NIL \"level 79\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2143 (NIL \"level 80\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2073 (NIL \"level 81\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2003 (NIL \"level 82\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1933 (NIL \"level 83\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1863 (NIL \"level 84\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1793 (NIL \"level 85\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1723 (NIL \"level 86\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1653 (NIL \"level 87\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1583 (NIL \"level 88\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1513 (NIL \"level 89\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1443 (NIL \"level 90\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1373 (NIL \"level 91\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1303 (NIL \"level 92\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1233 (NIL \"level 93\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1163 (NIL \"level 94\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1093 (NIL \"level 95\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1023 (NIL \"level 96\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 953 (NIL \"level 97\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 883 (NIL \"level 98\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 813 (NIL \"level 99\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"application\" \"octet-stream\" NIL NIL NIL \"7bit\" 743 NIL NIL NIL NIL) 47 NIL NIL NIL NIL) 51 NIL NIL NIL NIL) 55 NIL NIL NIL NIL) 59 NIL NIL NIL NIL) 63 NIL NIL NIL NIL) 67 NIL NIL NIL NIL) 71 NIL NIL NIL NIL) 75 NIL NIL NIL NIL) 79 NIL NIL NIL NIL) 83 NIL NIL NIL NIL) 87 NIL NIL NIL NIL) 91 NIL NIL NIL NIL) 95 NIL NIL NIL NIL) 99 NIL NIL NIL NIL) 103 NIL NIL NIL NIL) 107 NIL NIL NIL NIL) 111 NIL NIL NIL NIL) 115 NIL NIL NIL NIL) 119 NIL NIL NIL NIL) 123 NIL NIL NIL NIL) 127 NIL NIL NIL NIL) 131 NIL NIL NIL NIL) 135 NIL NIL NIL NIL) 139 NIL NIL NIL NIL) 143 NIL NIL NIL NIL) 147 NIL NIL NIL NIL) 151 NIL NIL NIL NIL) 155 NIL NIL NIL NIL) 159 NIL NIL NIL NIL) 163 NIL NIL NIL NIL) 167 NIL NIL NIL NIL) 171 NIL NIL NIL NIL) 175 NIL NIL NIL NIL) 179 NIL NIL NIL NIL) 183 NIL NIL NIL NIL) 187 NIL NIL NIL NIL) 191 NIL NIL NIL NIL) 195 NIL NIL NIL NIL) 199 NIL NIL NIL NIL) 203 NIL NIL NIL NIL) 207 NIL NIL NIL NIL) 211 NIL NIL NIL NIL) 215 NIL NIL NIL NIL) 219 NIL NIL NIL NIL) 223 NIL NIL NIL NIL) 227 NIL NIL NIL NIL) 231 NIL NIL NIL NIL) 235 NIL NIL NIL NIL) 239 NIL NIL NIL NIL) 243 NIL NIL NIL NIL) 247 NIL NIL NIL NIL) 251 NIL NIL NIL NIL) 255 NIL NIL NIL NIL) 259 NIL NIL NIL NIL) 263 NIL NIL NIL NIL) 267 NIL NIL NIL NIL) 271 NIL NIL NIL NIL) 275 NIL NIL NIL NIL) 279 NIL NIL NIL NIL) 283 NIL NIL NIL NIL) 287 NIL NIL NIL NIL) 291 NIL NIL NIL NIL) 295 NIL NIL NIL NIL) 299 NIL NIL NIL NIL) 303 NIL NIL NIL NIL) 307 NIL NIL NIL NIL) 311 NIL NIL NIL NIL) 315 NIL NIL NIL NIL) 319 NIL NIL NIL NIL) 323 NIL NIL NIL NIL) 327 NIL NIL NIL NIL) 331 NIL NIL NIL NIL) 335 NIL NIL NIL NIL) 339 NIL NIL NIL NIL) 343 NIL NIL NIL NIL) 347 NIL NIL NIL NIL) 351 NIL NIL NIL NIL) 355 NIL NIL NIL NIL) 359 NIL NIL NIL NIL) 363 NIL NIL NIL NIL) 367 NIL NIL NIL NIL) 371 NIL NIL NIL NIL) 375 NIL NIL NIL NIL) 379 NIL NIL NIL NIL) 383 NIL NIL NIL NIL) 387 NIL NIL NIL NIL) 391 NIL NIL NIL NIL) 395 NIL NIL NIL NIL) 399 NIL NIL NIL NIL) 403 NIL NIL NIL NIL) 407 NIL NIL NIL NIL) 411 NIL NIL NIL NIL) 415 NIL NIL NIL NIL) 419 NIL NIL NIL NIL) 423 NIL NIL NIL NIL) 427 NIL NIL NIL NIL) 431 NIL NIL NIL NIL) 435 NIL NIL NIL NIL) 439 NIL NIL NIL NIL)";
const DEEP_RFC822_BODY: &str = "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7664 (NIL \"level 1\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7595 (NIL \"level 2\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7526 (NIL \"level 3\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7457 (NIL \"level 4\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7388 (NIL \"level 5\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7319 (NIL \"level 6\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7250 (NIL \"level 7\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7181 (NIL \"level 8\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7112 (NIL \"level 9\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 7043 (NIL \"level 10\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6973 (NIL \"level 11\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6903 (NIL \"level 12\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6833 (NIL \"level 13\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6763 (NIL \"level 14\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6693 (NIL \"level 15\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6623 (NIL \"level 16\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6553 (NIL \"level 17\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6483 (NIL \"level 18\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6413 (NIL \"level 19\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6343 (NIL \"level 20\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6273 (NIL \"level 21\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6203 (NIL \"level 22\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6133 (NIL \"level 23\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 6063 (NIL \"level 24\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5993 (NIL \"level 25\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5923 (NIL \"level 26\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5853 (NIL \"level 27\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5783 (NIL \"level 28\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5713 (NIL \"level 29\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5643 (NIL \"level 30\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5573 (NIL \"level 31\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5503 (NIL \"level 32\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5433 (NIL \"level 33\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5363 (NIL \"level 34\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5293 (NIL \"level 35\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5223 (NIL \"level 36\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5153 (NIL \"level 37\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5083 (NIL \"level 38\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 5013 (NIL \"level 39\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4943 (NIL \"level 40\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4873 (NIL \"level 41\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4803 (NIL \"level 42\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4733 (NIL \"level 43\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4663 (NIL \"level 44\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4593 (NIL \"level 45\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4523 (NIL \"level 46\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4453 (NIL \"level 47\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4383 (NIL \"level 48\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4313 (NIL \"level 49\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4243 (NIL \"level 50\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4173 (NIL \"level 51\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4103 (NIL \"level 52\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 4033 (NIL \"level 53\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3963 (NIL \"level 54\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3893 (NIL \"level 55\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3823 (NIL \"level 56\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3753 (NIL \"level 57\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3683 (NIL \"level 58\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3613 (NIL \"level 59\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3543 (NIL \"level 60\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3473 (NIL \"level 61\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3403 (NIL \"level 62\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3333 (NIL \"level 63\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3263 (NIL \"level 64\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3193 (NIL \"level 65\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3123 (NIL \"level 66\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 3053 (NIL \"level 67\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2983 (NIL \"level 68\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2913 (NIL \"level 69\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2843 (NIL \"level 70\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2773 (NIL \"level 71\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2703 (NIL \"level 72\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2633 (NIL \"level 73\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2563 (NIL \"level 74\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2493 (NIL \"level 75\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2423 (NIL \"level 76\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2353 (NIL \"level 77\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2283 (NIL \"level 78\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2213 (NIL \"level 79\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2143 (NIL \"level 80\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2073 (NIL \"level 81\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 2003 (NIL \"level 82\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1933 (NIL \"level 83\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1863 (NIL \"level 84\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1793 (NIL \"level 85\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1723 (NIL \"level 86\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1653 (NIL \"level 87\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1583 (NIL \"level 88\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1513 (NIL \"level 89\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1443 (NIL \"level 90\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1373 (NIL \"level 91\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1303 (NIL \"level 92\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1233 (NIL \"level 93\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1163 (NIL \"level 94\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1093 (NIL \"level 95\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 1023 (NIL \"level 96\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 953 (NIL \"level 97\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 883 (NIL \"level 98\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 813 (NIL \"level 99\" NIL NIL NIL NIL NIL NIL NIL NIL) (\"application\" \"octet-stream\" NIL NIL NIL \"7bit\" 743) 47) 51) 55) 59) 63) 67) 71) 75) 79) 83) 87) 91) 95) 99) 103) 107) 111) 115) 119) 123) 127) 131) 135) 139) 143) 147) 151) 155) 159) 163) 167) 171) 175) 179) 183) 187) 191) 195) 199) 203) 207) 211) 215) 219) 223) 227) 231) 235) 239) 243) 247) 251) 255) 259) 263) 267) 271) 275) 279) 283) 287) 291) 295) 299) 303) 307) 311) 315) 319) 323) 327) 331) 335) 339) 343) 347) 351) 355) 359) 363) 367) 371) 375) 379) 383) 387) 391) 395) 399) 403) 407) 411) 415) 419) 423) 427) 431) 435) 439)";
const DSN_ENVELOPE: &str = "(\"Sat, 06 Apr 2024 03:04:05 +0000\" \"Undelivered Mail Returned to Sender\" ((\"Mail Delivery System\" NIL \"MAILER-DAEMON\" \"mx.example.org\")) ((\"Mail Delivery System\" NIL \"MAILER-DAEMON\" \"mx.example.org\")) ((\"Mail Delivery System\" NIL \"MAILER-DAEMON\" \"mx.example.org\")) ((NIL NIL \"sender\" \"example.org\")) NIL NIL NIL \"<20240406030405.B5@mx.example.org>\")";
const DSN_BODYSTRUCTURE: &str = "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL \"Notification\" \"7bit\" 102 2 NIL NIL NIL NIL)(\"message\" \"delivery-status\" NIL NIL \"Delivery report\" \"7bit\" 208 NIL NIL NIL NIL)(\"text\" \"rfc822-headers\" (\"charset\" \"us-ascii\") NIL \"Undelivered Message Headers\" \"7bit\" 66 3 NIL NIL NIL NIL) \"report\" (\"report-type\" \"delivery-status\" \"boundary\" \"B5.1712372645/mx.example.org\") NIL NIL NIL)";
const DSN_BODY: &str = "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL \"Notification\" \"7bit\" 102 2)(\"message\" \"delivery-status\" NIL NIL \"Delivery report\" \"7bit\" 208)(\"text\" \"rfc822-headers\" (\"charset\" \"us-ascii\") NIL \"Undelivered Message Headers\" \"7bit\" 66 3) \"report\")";
const ENCODED_WORDS_ENVELOPE: &str = "(\"Mon, 21 Sep 2009 10:00:00 +0200\" {103}\r\n=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?= ((\"=?ISO-8859-1?Q?Andr=E9?= Pirard\" NIL \"PIRARD\" \"vm1.ulg.ac.be\")) ((\"=?UTF-8?B?0JDQvdC90LA=?=\" NIL \"anna\" \"example.ru\")) ((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"joerg\" \"example.de\")) (({9}\r\nKeld J\"rn NIL \"keld\" \"dkuug.dk\")(NIL NIL \"moore\" \"cs.utk.edu\")) ((NIL NIL \"Undisclosed recipients\" NIL)(NIL NIL NIL NIL)) NIL \"<1233@example.org>\" \"<1234@example.org>\")";
const ENCODED_WORDS_BODYSTRUCTURE: &str = "(\"text\" \"plain\" (\"charset\" \"ISO-8859-1\") NIL NIL \"quoted-printable\" 9 1 NIL NIL NIL NIL)";
const ENCODED_WORDS_BODY: &str =
    "(\"text\" \"plain\" (\"charset\" \"ISO-8859-1\") NIL NIL \"quoted-printable\" 9 1)";
const MIXED_ATTACHMENTS_ENVELOPE: &str = "(\"Tue, 02 Apr 2024 09:15:00 +0200\" \"Quarterly report\" ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Bob\" NIL \"bob\" \"example.net\")) NIL NIL NIL \"<report-1@example.org>\")";
const MIXED_ATTACHMENTS_BODYSTRUCTURE: &str = "((\"text\" \"plain\" (\"charset\" \"utf-8\" \"format\" \"flowed\") NIL NIL \"8bit\" 32 1 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL \"Q1 report\" \"base64\" 28 NIL (\"attachment\" (\"filename\" \"report.pdf\" \"size\" \"16\")) NIL NIL)(\"image\" \"png\" NIL \"<chart@example.org>\" NIL \"base64\" 98 \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"inline\" NIL) NIL NIL) \"mixed\" (\"boundary\" \"=_mixed_01\") NIL NIL NIL)";
const MIXED_ATTACHMENTS_BODY: &str = "((\"text\" \"plain\" (\"charset\" \"utf-8\" \"format\" \"flowed\") NIL NIL \"8bit\" 32 1)(\"application\" \"pdf\" (\"name\" \"report.pdf\") NIL \"Q1 report\" \"base64\" 28)(\"image\" \"png\" NIL \"<chart@example.org>\" NIL \"base64\" 98) \"mixed\")";
const NESTED_RFC822_ENVELOPE: &str = "(\"Fri, 05 Apr 2024 12:00:00 +0100\" \"Fwd: Fwd: lunch\" ((NIL NIL \"forwarder\" \"example.org\")) ((NIL NIL \"forwarder\" \"example.org\")) ((NIL NIL \"forwarder\" \"example.org\")) ((NIL NIL \"archive\" \"example.org\")) NIL NIL NIL NIL)";
const NESTED_RFC822_BODYSTRUCTURE: &str = "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL \"forwarded message\" \"7bit\" 463 (\"Thu, 04 Apr 2024 11:00:00 +0100\" \"Fwd: lunch\" ((NIL NIL \"middle\" \"example.net\")) ((NIL NIL \"middle\" \"example.net\")) ((NIL NIL \"middle\" \"example.net\")) ((NIL NIL \"forwarder\" \"example.org\")) NIL NIL NIL NIL) ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 154 (\"Wed, 03 Apr 2024 10:00:00 +0100\" \"lunch\" ((NIL NIL \"origin\" \"example.com\")) ((NIL NIL \"origin\" \"example.com\")) ((NIL NIL \"origin\" \"example.com\")) ((NIL NIL \"middle\" \"example.net\")) NIL NIL NIL \"<lunch@example.com>\") (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 14 0 NIL NIL NIL NIL) 6 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"middle\") NIL NIL NIL) 22 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)";
const NESTED_RFC822_BODY: &str = "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0)(\"message\" \"rfc822\" NIL NIL \"forwarded message\" \"7bit\" 463 (\"Thu, 04 Apr 2024 11:00:00 +0100\" \"Fwd: lunch\" ((NIL NIL \"middle\" \"example.net\")) ((NIL NIL \"middle\" \"example.net\")) ((NIL NIL \"middle\" \"example.net\")) ((NIL NIL \"forwarder\" \"example.org\")) NIL NIL NIL NIL) ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 154 (\"Wed, 03 Apr 2024 10:00:00 +0100\" \"lunch\" ((NIL NIL \"origin\" \"example.com\")) ((NIL NIL \"origin\" \"example.com\")) ((NIL NIL \"origin\" \"example.com\")) ((NIL NIL \"middle\" \"example.net\")) NIL NIL NIL \"<lunch@example.com>\") (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 14 0) 6) \"mixed\") 22) \"mixed\")";
const NO_CONTENT_TYPE_ENVELOPE: &str = "(\"Sun, 07 Apr 2024 08:00:00 +0000\" \"no type\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"b\" \"example.org\")) NIL NIL NIL NIL)";
const NO_CONTENT_TYPE_BODYSTRUCTURE: &str = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 45 1 NIL (\"inline\" NIL) NIL NIL)";
const NO_CONTENT_TYPE_BODY: &str =
    "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 45 1)";
const NOT_MIME_ENVELOPE: &str = "(NIL \"plain\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) NIL NIL NIL NIL NIL)";
const NOT_MIME_BODYSTRUCTURE: &str =
    "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"base64\" 20 2 NIL NIL NIL NIL)";
const NOT_MIME_BODY: &str =
    "(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"base64\" 20 2)";
const RELATED_ENVELOPE: &str = "(\"Thu, 04 Apr 2024 07:00:00 +0000\" \"Newsletter\" ((NIL NIL \"news\" \"example.org\")) ((NIL NIL \"news\" \"example.org\")) ((NIL NIL \"news\" \"example.org\")) ((NIL NIL \"reader\" \"example.net\")) NIL NIL NIL NIL)";
const RELATED_BODYSTRUCTURE: &str = "((\"text\" \"html\" (\"charset\" \"iso-8859-1\") NIL NIL \"quoted-printable\" 48 0 NIL NIL (\"en\" \"de\") NIL)(\"image\" \"gif\" (\"name\" \"logo.gif\") \"<logo@example.org>\" NIL \"base64\" 20 NIL NIL NIL \"http://example.org/logo.gif\") \"related\" (\"boundary\" \"rel\" \"type\" \"text/html\") NIL NIL NIL)";
const RELATED_BODY: &str = "((\"text\" \"html\" (\"charset\" \"iso-8859-1\") NIL NIL \"quoted-printable\" 48 0)(\"image\" \"gif\" (\"name\" \"logo.gif\") \"<logo@example.org>\" NIL \"base64\" 20) \"related\")";
const RFC2231_ENVELOPE: &str = "(NIL \"parameters\" ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"a\" \"example.org\")) ((NIL NIL \"b\" \"example.org\")) NIL NIL NIL NIL)";
const RFC2231_BODYSTRUCTURE: &str = "((\"application\" \"x-stuff\" (\"title*\" \"us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn't it!\") NIL NIL \"7bit\" 4 NIL (\"attachment\" (\"size\" \"12\" \"filename*\" \"UTF-8''%E2%82%AC%20rates.pdf\")) NIL NIL)(\"application\" \"pdf\" (\"name\" \"long file name.pdf\") NIL NIL \"base64\" 8 NIL (\"attachment\" (\"filename\" \"long file name.pdf\")) NIL NIL)(\"text\" \"plain\" (\"format\" \"flowed\" \"charset*\" \"utf-8'de'%C3%BC\" \"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)";
const RFC2231_BODY: &str = "((\"application\" \"x-stuff\" (\"title*\" \"us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn't it!\") NIL NIL \"7bit\" 4)(\"application\" \"pdf\" (\"name\" \"long file name.pdf\") NIL NIL \"base64\" 8)(\"text\" \"plain\" (\"format\" \"flowed\" \"charset*\" \"utf-8'de'%C3%BC\" \"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 0) \"mixed\")";

/// Whatever the message holds, the result encodes with the default options:
/// a NUL in a header is 0x80 (no literal8 in a FETCH ENVELOPE or
/// BODYSTRUCTURE), and nesting stops at Dovecot's 100 levels.
#[test]
fn any_message_encodes() {
    let raw = b"From: a\0b <a@example.org>\r\nSubject: x\0y\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; name=\"a\0b\"\r\nContent-ID: <\0>\r\n\r\nbody\r\n";
    let items = vec![
        FetchItem::Envelope(Box::new(mime::envelope(raw).unwrap())),
        FetchItem::BodyStructure(mime::body_structure(raw, true).unwrap()),
        FetchItem::Body(mime::body_structure(raw, false).unwrap()),
    ];
    let mut out = BytesMut::new();
    encode::response(
        &Response::Data(Data::Fetch { seq: 1, items }),
        &mut out,
        &Options::default(),
    )
    .unwrap();
    assert!(memchr_nul(&out).is_none());
    assert!(
        out.windows(5).any(|w| w == b"{3}\r\n"),
        "x 0x80 y is a literal"
    );
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == 0)
}
