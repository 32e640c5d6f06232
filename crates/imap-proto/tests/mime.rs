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
    check(raw, MIXED_ATTACHMENTS_ENVELOPE, MIXED_ATTACHMENTS_BODYSTRUCTURE, MIXED_ATTACHMENTS_BODY);
}

#[test]
fn alternative() {
    let raw = include_bytes!("dovecot/messages/alternative.eml");
    check(raw, ALTERNATIVE_ENVELOPE, ALTERNATIVE_BODYSTRUCTURE, ALTERNATIVE_BODY);
}

#[test]
fn related() {
    let raw = include_bytes!("dovecot/messages/related.eml");
    check(raw, RELATED_ENVELOPE, RELATED_BODYSTRUCTURE, RELATED_BODY);
}

#[test]
fn nested_rfc822() {
    let raw = include_bytes!("dovecot/messages/nested_rfc822.eml");
    check(raw, NESTED_RFC822_ENVELOPE, NESTED_RFC822_BODYSTRUCTURE, NESTED_RFC822_BODY);
}

#[test]
fn dsn() {
    let raw = include_bytes!("dovecot/messages/dsn.eml");
    check(raw, DSN_ENVELOPE, DSN_BODYSTRUCTURE, DSN_BODY);
}

#[test]
fn encoded_words() {
    let raw = include_bytes!("dovecot/messages/encoded_words.eml");
    check(raw, ENCODED_WORDS_ENVELOPE, ENCODED_WORDS_BODYSTRUCTURE, ENCODED_WORDS_BODY);
}

#[test]
fn rfc2231() {
    let raw = include_bytes!("dovecot/messages/rfc2231.eml");
    check(raw, RFC2231_ENVELOPE, RFC2231_BODYSTRUCTURE, RFC2231_BODY);
}

#[test]
fn no_content_type() {
    let raw = include_bytes!("dovecot/messages/no_content_type.eml");
    check(raw, NO_CONTENT_TYPE_ENVELOPE, NO_CONTENT_TYPE_BODYSTRUCTURE, NO_CONTENT_TYPE_BODY);
}

#[test]
fn not_mime() {
    let raw = include_bytes!("dovecot/messages/not_mime.eml");
    check(raw, NOT_MIME_ENVELOPE, NOT_MIME_BODYSTRUCTURE, NOT_MIME_BODY);
}

#[test]
fn deep150() {
    let raw = include_bytes!("dovecot/messages/deep150.eml");
    check(raw, DEEP150_ENVELOPE, DEEP150_BODYSTRUCTURE, DEEP150_BODY);
}

// Recorded from Dovecot 2.3.19.1 (9b53102964) by tests/dovecot/regenerate.py.
const ALTERNATIVE_ENVELOPE: &str = r####"("Wed, 03 Apr 2024 18:00:00 -0000" "Your ticket #4711" (("Support Team" NIL "support" "example.com")) (("Support Team" NIL "support" "example.com")) (("Support Team" NIL "support" "example.com")) ((NIL NIL "customer" "example.net")) ((NIL NIL "Team" NIL)(NIL NIL "one" "example.com")(NIL NIL "two" "example.com")(NIL NIL NIL NIL)) NIL "<question@example.net>" "<ticket-4711@example.com>")"####;
const ALTERNATIVE_BODYSTRUCTURE: &str = r####"(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 27 1 NIL NIL NIL NIL)("text" "html" ("charset" "us-ascii") NIL NIL "quoted-printable" 63 2 NIL NIL NIL NIL) "alternative" ("boundary" "alt-boundary") NIL NIL NIL)"####;
const ALTERNATIVE_BODY: &str = r####"(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 27 1)("text" "html" ("charset" "us-ascii") NIL NIL "quoted-printable" 63 2) "alternative")"####;
const DEEP150_ENVELOPE: &str = r####"(NIL "deep" ((NIL NIL "deep" "example.org")) ((NIL NIL "deep" "example.org")) ((NIL NIL "deep" "example.org")) NIL NIL NIL NIL NIL)"####;
const DEEP150_BODYSTRUCTURE: &str = r####"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("application" "octet-stream" ("boundary" "b99") NIL NIL "7bit" 0 NIL NIL NIL NIL) "mixed" ("boundary" "b98") NIL NIL NIL) "mixed" ("boundary" "b97") NIL NIL NIL) "mixed" ("boundary" "b96") NIL NIL NIL) "mixed" ("boundary" "b95") NIL NIL NIL) "mixed" ("boundary" "b94") NIL NIL NIL) "mixed" ("boundary" "b93") NIL NIL NIL) "mixed" ("boundary" "b92") NIL NIL NIL) "mixed" ("boundary" "b91") NIL NIL NIL) "mixed" ("boundary" "b90") NIL NIL NIL) "mixed" ("boundary" "b89") NIL NIL NIL) "mixed" ("boundary" "b88") NIL NIL NIL) "mixed" ("boundary" "b87") NIL NIL NIL) "mixed" ("boundary" "b86") NIL NIL NIL) "mixed" ("boundary" "b85") NIL NIL NIL) "mixed" ("boundary" "b84") NIL NIL NIL) "mixed" ("boundary" "b83") NIL NIL NIL) "mixed" ("boundary" "b82") NIL NIL NIL) "mixed" ("boundary" "b81") NIL NIL NIL) "mixed" ("boundary" "b80") NIL NIL NIL) "mixed" ("boundary" "b79") NIL NIL NIL) "mixed" ("boundary" "b78") NIL NIL NIL) "mixed" ("boundary" "b77") NIL NIL NIL) "mixed" ("boundary" "b76") NIL NIL NIL) "mixed" ("boundary" "b75") NIL NIL NIL) "mixed" ("boundary" "b74") NIL NIL NIL) "mixed" ("boundary" "b73") NIL NIL NIL) "mixed" ("boundary" "b72") NIL NIL NIL) "mixed" ("boundary" "b71") NIL NIL NIL) "mixed" ("boundary" "b70") NIL NIL NIL) "mixed" ("boundary" "b69") NIL NIL NIL) "mixed" ("boundary" "b68") NIL NIL NIL) "mixed" ("boundary" "b67") NIL NIL NIL) "mixed" ("boundary" "b66") NIL NIL NIL) "mixed" ("boundary" "b65") NIL NIL NIL) "mixed" ("boundary" "b64") NIL NIL NIL) "mixed" ("boundary" "b63") NIL NIL NIL) "mixed" ("boundary" "b62") NIL NIL NIL) "mixed" ("boundary" "b61") NIL NIL NIL) "mixed" ("boundary" "b60") NIL NIL NIL) "mixed" ("boundary" "b59") NIL NIL NIL) "mixed" ("boundary" "b58") NIL NIL NIL) "mixed" ("boundary" "b57") NIL NIL NIL) "mixed" ("boundary" "b56") NIL NIL NIL) "mixed" ("boundary" "b55") NIL NIL NIL) "mixed" ("boundary" "b54") NIL NIL NIL) "mixed" ("boundary" "b53") NIL NIL NIL) "mixed" ("boundary" "b52") NIL NIL NIL) "mixed" ("boundary" "b51") NIL NIL NIL) "mixed" ("boundary" "b50") NIL NIL NIL) "mixed" ("boundary" "b49") NIL NIL NIL) "mixed" ("boundary" "b48") NIL NIL NIL) "mixed" ("boundary" "b47") NIL NIL NIL) "mixed" ("boundary" "b46") NIL NIL NIL) "mixed" ("boundary" "b45") NIL NIL NIL) "mixed" ("boundary" "b44") NIL NIL NIL) "mixed" ("boundary" "b43") NIL NIL NIL) "mixed" ("boundary" "b42") NIL NIL NIL) "mixed" ("boundary" "b41") NIL NIL NIL) "mixed" ("boundary" "b40") NIL NIL NIL) "mixed" ("boundary" "b39") NIL NIL NIL) "mixed" ("boundary" "b38") NIL NIL NIL) "mixed" ("boundary" "b37") NIL NIL NIL) "mixed" ("boundary" "b36") NIL NIL NIL) "mixed" ("boundary" "b35") NIL NIL NIL) "mixed" ("boundary" "b34") NIL NIL NIL) "mixed" ("boundary" "b33") NIL NIL NIL) "mixed" ("boundary" "b32") NIL NIL NIL) "mixed" ("boundary" "b31") NIL NIL NIL) "mixed" ("boundary" "b30") NIL NIL NIL) "mixed" ("boundary" "b29") NIL NIL NIL) "mixed" ("boundary" "b28") NIL NIL NIL) "mixed" ("boundary" "b27") NIL NIL NIL) "mixed" ("boundary" "b26") NIL NIL NIL) "mixed" ("boundary" "b25") NIL NIL NIL) "mixed" ("boundary" "b24") NIL NIL NIL) "mixed" ("boundary" "b23") NIL NIL NIL) "mixed" ("boundary" "b22") NIL NIL NIL) "mixed" ("boundary" "b21") NIL NIL NIL) "mixed" ("boundary" "b20") NIL NIL NIL) "mixed" ("boundary" "b19") NIL NIL NIL) "mixed" ("boundary" "b18") NIL NIL NIL) "mixed" ("boundary" "b17") NIL NIL NIL) "mixed" ("boundary" "b16") NIL NIL NIL) "mixed" ("boundary" "b15") NIL NIL NIL) "mixed" ("boundary" "b14") NIL NIL NIL) "mixed" ("boundary" "b13") NIL NIL NIL) "mixed" ("boundary" "b12") NIL NIL NIL) "mixed" ("boundary" "b11") NIL NIL NIL) "mixed" ("boundary" "b10") NIL NIL NIL)(((((((((((((((((((((((((((((((((((((((((((((((((((("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 9 0 NIL NIL NIL NIL) "mixed" ("boundary" "b150") NIL NIL NIL) "mixed" ("boundary" "b149") NIL NIL NIL) "mixed" ("boundary" "b148") NIL NIL NIL) "mixed" ("boundary" "b147") NIL NIL NIL) "mixed" ("boundary" "b146") NIL NIL NIL) "mixed" ("boundary" "b145") NIL NIL NIL) "mixed" ("boundary" "b144") NIL NIL NIL) "mixed" ("boundary" "b143") NIL NIL NIL) "mixed" ("boundary" "b142") NIL NIL NIL) "mixed" ("boundary" "b141") NIL NIL NIL) "mixed" ("boundary" "b140") NIL NIL NIL) "mixed" ("boundary" "b139") NIL NIL NIL) "mixed" ("boundary" "b138") NIL NIL NIL) "mixed" ("boundary" "b137") NIL NIL NIL) "mixed" ("boundary" "b136") NIL NIL NIL) "mixed" ("boundary" "b135") NIL NIL NIL) "mixed" ("boundary" "b134") NIL NIL NIL) "mixed" ("boundary" "b133") NIL NIL NIL) "mixed" ("boundary" "b132") NIL NIL NIL) "mixed" ("boundary" "b131") NIL NIL NIL) "mixed" ("boundary" "b130") NIL NIL NIL) "mixed" ("boundary" "b129") NIL NIL NIL) "mixed" ("boundary" "b128") NIL NIL NIL) "mixed" ("boundary" "b127") NIL NIL NIL) "mixed" ("boundary" "b126") NIL NIL NIL) "mixed" ("boundary" "b125") NIL NIL NIL) "mixed" ("boundary" "b124") NIL NIL NIL) "mixed" ("boundary" "b123") NIL NIL NIL) "mixed" ("boundary" "b122") NIL NIL NIL) "mixed" ("boundary" "b121") NIL NIL NIL) "mixed" ("boundary" "b120") NIL NIL NIL) "mixed" ("boundary" "b119") NIL NIL NIL) "mixed" ("boundary" "b118") NIL NIL NIL) "mixed" ("boundary" "b117") NIL NIL NIL) "mixed" ("boundary" "b116") NIL NIL NIL) "mixed" ("boundary" "b115") NIL NIL NIL) "mixed" ("boundary" "b114") NIL NIL NIL) "mixed" ("boundary" "b113") NIL NIL NIL) "mixed" ("boundary" "b112") NIL NIL NIL) "mixed" ("boundary" "b111") NIL NIL NIL) "mixed" ("boundary" "b110") NIL NIL NIL) "mixed" ("boundary" "b109") NIL NIL NIL) "mixed" ("boundary" "b108") NIL NIL NIL) "mixed" ("boundary" "b107") NIL NIL NIL) "mixed" ("boundary" "b106") NIL NIL NIL) "mixed" ("boundary" "b105") NIL NIL NIL) "mixed" ("boundary" "b104") NIL NIL NIL) "mixed" ("boundary" "b103") NIL NIL NIL) "mixed" ("boundary" "b102") NIL NIL NIL) "mixed" ("boundary" "b101") NIL NIL NIL) "mixed" ("boundary" "b100") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b9") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b8") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b7") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b6") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b5") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b4") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b3") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b2") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "b1") NIL NIL NIL) "mixed" ("boundary" "b0") NIL NIL NIL)"####;
const DEEP150_BODY: &str = r####"(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("application" "octet-stream" ("boundary" "b99") NIL NIL "7bit" 0) "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed")(((((((((((((((((((((((((((((((((((((((((((((((((((("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 9 0) "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed") "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed")("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0) "mixed") "mixed")"####;
const DSN_ENVELOPE: &str = r####"("Sat, 06 Apr 2024 03:04:05 +0000" "Undelivered Mail Returned to Sender" (("Mail Delivery System" NIL "MAILER-DAEMON" "mx.example.org")) (("Mail Delivery System" NIL "MAILER-DAEMON" "mx.example.org")) (("Mail Delivery System" NIL "MAILER-DAEMON" "mx.example.org")) ((NIL NIL "sender" "example.org")) NIL NIL NIL "<20240406030405.B5@mx.example.org>")"####;
const DSN_BODYSTRUCTURE: &str = r####"(("text" "plain" ("charset" "us-ascii") NIL "Notification" "7bit" 102 2 NIL NIL NIL NIL)("message" "delivery-status" NIL NIL "Delivery report" "7bit" 208 NIL NIL NIL NIL)("text" "rfc822-headers" ("charset" "us-ascii") NIL "Undelivered Message Headers" "7bit" 66 3 NIL NIL NIL NIL) "report" ("report-type" "delivery-status" "boundary" "B5.1712372645/mx.example.org") NIL NIL NIL)"####;
const DSN_BODY: &str = r####"(("text" "plain" ("charset" "us-ascii") NIL "Notification" "7bit" 102 2)("message" "delivery-status" NIL NIL "Delivery report" "7bit" 208)("text" "rfc822-headers" ("charset" "us-ascii") NIL "Undelivered Message Headers" "7bit" 66 3) "report")"####;
const ENCODED_WORDS_ENVELOPE: &str = r####"("Mon, 21 Sep 2009 10:00:00 +0200" {103}
=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?= (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) (("=?UTF-8?B?0JDQvdC90LA=?=" NIL "anna" "example.ru")) (("=?utf-8?q?J=C3=B6rg?=" NIL "joerg" "example.de")) (({9}
Keld J"rn NIL "keld" "dkuug.dk")(NIL NIL "moore" "cs.utk.edu")) ((NIL NIL "Undisclosed recipients" NIL)(NIL NIL NIL NIL)) NIL "<1233@example.org>" "<1234@example.org>")"####;
const ENCODED_WORDS_BODYSTRUCTURE: &str = r####"("text" "plain" ("charset" "ISO-8859-1") NIL NIL "quoted-printable" 9 1 NIL NIL NIL NIL)"####;
const ENCODED_WORDS_BODY: &str = r####"("text" "plain" ("charset" "ISO-8859-1") NIL NIL "quoted-printable" 9 1)"####;
const MIXED_ATTACHMENTS_ENVELOPE: &str = r####"("Tue, 02 Apr 2024 09:15:00 +0200" "Quarterly report" (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Alice Example" NIL "alice" "example.org")) (("Bob" NIL "bob" "example.net")) NIL NIL NIL "<report-1@example.org>")"####;
const MIXED_ATTACHMENTS_BODYSTRUCTURE: &str = r####"(("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "8bit" 32 1 NIL NIL NIL NIL)("application" "pdf" ("name" "report.pdf") NIL "Q1 report" "base64" 28 NIL ("attachment" ("filename" "report.pdf" "size" "16")) NIL NIL)("image" "png" NIL "<chart@example.org>" NIL "base64" 98 "Q2hlY2sgSW50ZWdyaXR5IQ==" ("inline" NIL) NIL NIL) "mixed" ("boundary" "=_mixed_01") NIL NIL NIL)"####;
const MIXED_ATTACHMENTS_BODY: &str = r####"(("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "8bit" 32 1)("application" "pdf" ("name" "report.pdf") NIL "Q1 report" "base64" 28)("image" "png" NIL "<chart@example.org>" NIL "base64" 98) "mixed")"####;
const NESTED_RFC822_ENVELOPE: &str = r####"("Fri, 05 Apr 2024 12:00:00 +0100" "Fwd: Fwd: lunch" ((NIL NIL "forwarder" "example.org")) ((NIL NIL "forwarder" "example.org")) ((NIL NIL "forwarder" "example.org")) ((NIL NIL "archive" "example.org")) NIL NIL NIL NIL)"####;
const NESTED_RFC822_BODYSTRUCTURE: &str = r####"(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 0 NIL NIL NIL NIL)("message" "rfc822" NIL NIL "forwarded message" "7bit" 463 ("Thu, 04 Apr 2024 11:00:00 +0100" "Fwd: lunch" ((NIL NIL "middle" "example.net")) ((NIL NIL "middle" "example.net")) ((NIL NIL "middle" "example.net")) ((NIL NIL "forwarder" "example.org")) NIL NIL NIL NIL) (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 0 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 154 ("Wed, 03 Apr 2024 10:00:00 +0100" "lunch" ((NIL NIL "origin" "example.com")) ((NIL NIL "origin" "example.com")) ((NIL NIL "origin" "example.com")) ((NIL NIL "middle" "example.net")) NIL NIL NIL "<lunch@example.com>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 14 0 NIL NIL NIL NIL) 6 NIL NIL NIL NIL) "mixed" ("boundary" "middle") NIL NIL NIL) 22 NIL NIL NIL NIL) "mixed" ("boundary" "outer") NIL NIL NIL)"####;
const NESTED_RFC822_BODY: &str = r####"(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 0)("message" "rfc822" NIL NIL "forwarded message" "7bit" 463 ("Thu, 04 Apr 2024 11:00:00 +0100" "Fwd: lunch" ((NIL NIL "middle" "example.net")) ((NIL NIL "middle" "example.net")) ((NIL NIL "middle" "example.net")) ((NIL NIL "forwarder" "example.org")) NIL NIL NIL NIL) (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 0)("message" "rfc822" NIL NIL NIL "7bit" 154 ("Wed, 03 Apr 2024 10:00:00 +0100" "lunch" ((NIL NIL "origin" "example.com")) ((NIL NIL "origin" "example.com")) ((NIL NIL "origin" "example.com")) ((NIL NIL "middle" "example.net")) NIL NIL NIL "<lunch@example.com>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 14 0) 6) "mixed") 22) "mixed")"####;
const NO_CONTENT_TYPE_ENVELOPE: &str = r####"("Sun, 07 Apr 2024 08:00:00 +0000" "no type" ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) ((NIL NIL "b" "example.org")) NIL NIL NIL NIL)"####;
const NO_CONTENT_TYPE_BODYSTRUCTURE: &str = r####"("text" "plain" ("charset" "us-ascii") NIL NIL "8bit" 45 1 NIL ("inline" NIL) NIL NIL)"####;
const NO_CONTENT_TYPE_BODY: &str = r####"("text" "plain" ("charset" "us-ascii") NIL NIL "8bit" 45 1)"####;
const NOT_MIME_ENVELOPE: &str = r####"(NIL "plain" ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) NIL NIL NIL NIL NIL)"####;
const NOT_MIME_BODYSTRUCTURE: &str = r####"("text" "html" ("charset" "us-ascii") NIL NIL "base64" 20 2 NIL NIL NIL NIL)"####;
const NOT_MIME_BODY: &str = r####"("text" "html" ("charset" "us-ascii") NIL NIL "base64" 20 2)"####;
const RELATED_ENVELOPE: &str = r####"("Thu, 04 Apr 2024 07:00:00 +0000" "Newsletter" ((NIL NIL "news" "example.org")) ((NIL NIL "news" "example.org")) ((NIL NIL "news" "example.org")) ((NIL NIL "reader" "example.net")) NIL NIL NIL NIL)"####;
const RELATED_BODYSTRUCTURE: &str = r####"(("text" "html" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 48 0 NIL NIL ("en" "de") NIL)("image" "gif" ("name" "logo.gif") "<logo@example.org>" NIL "base64" 20 NIL NIL NIL "http://example.org/logo.gif") "related" ("boundary" "rel" "type" "text/html") NIL NIL NIL)"####;
const RELATED_BODY: &str = r####"(("text" "html" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 48 0)("image" "gif" ("name" "logo.gif") "<logo@example.org>" NIL "base64" 20) "related")"####;
const RFC2231_ENVELOPE: &str = r####"(NIL "parameters" ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) ((NIL NIL "a" "example.org")) ((NIL NIL "b" "example.org")) NIL NIL NIL NIL)"####;
const RFC2231_BODYSTRUCTURE: &str = r####"(("application" "x-stuff" ("title*" "us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn't it!") NIL NIL "7bit" 4 NIL ("attachment" ("size" "12" "filename*" "UTF-8''%E2%82%AC%20rates.pdf")) NIL NIL)("application" "pdf" ("name" "long file name.pdf") NIL NIL "base64" 8 NIL ("attachment" ("filename" "long file name.pdf")) NIL NIL)("text" "plain" ("format" "flowed" "charset*" "utf-8'de'%C3%BC" "charset" "us-ascii") NIL NIL "7bit" 4 0 NIL NIL NIL NIL) "mixed" ("boundary" "outer") NIL NIL NIL)"####;
const RFC2231_BODY: &str = r####"(("application" "x-stuff" ("title*" "us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn't it!") NIL NIL "7bit" 4)("application" "pdf" ("name" "long file name.pdf") NIL NIL "base64" 8)("text" "plain" ("format" "flowed" "charset*" "utf-8'de'%C3%BC" "charset" "us-ascii") NIL NIL "7bit" 4 0) "mixed")"####;
