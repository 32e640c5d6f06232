//! ENVELOPE and BODYSTRUCTURE built from raw messages (feature `mime`),
//! checked against the strings Dovecot gives for them.
#![cfg(feature = "mime")]

use bytes::BytesMut;
use imap_proto::types::{Data, FetchItem, Response};
use imap_proto::{Options, encode, mime};

/// The item as a server writes it, without `* 1 FETCH (` and `)`.
fn written(item: FetchItem<'static>) -> String {
    let mut out = BytesMut::new();
    encode::response(&Response::Data(Data::Fetch { seq: 1, items: vec![item] }), &mut out, &Options::default()).unwrap();
    let s = String::from_utf8(out.to_vec()).unwrap();
    s.strip_prefix("* 1 FETCH (").unwrap().strip_suffix(")\r\n").unwrap().to_owned()
}

fn bodystructure(raw: &[u8]) -> String {
    let s = written(FetchItem::BodyStructure(mime::body_structure(raw, true).unwrap()));
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
    assert_eq!(bodystructure(DOVECOT_TESTMSG.as_bytes()), format!("({expected})"));
    let expected_body = "(\"text\" \"x-myown\" (\"charset\" \"us-ascii\" \"foo\" \"quoted\\\"string\") \"<foo@example.com>\" \"hellodescription\" \"7bit\" 7 1)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 412 (\"Sun, 12 Aug 2012 12:34:56 +0300\" \"submsg\" ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub\" \"domain.org\")) ((NIL NIL \"sub-to1\" \"domain.org\")(NIL NIL \"sub-to2\" \"domain.org\")) NIL NIL NIL NIL) ((\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"8bit\" 20 1)(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 1) \"alternative\") 21) \"mixed\"";
    assert_eq!(body(DOVECOT_TESTMSG.as_bytes()), format!("({expected_body})"));
}
