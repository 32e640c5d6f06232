//! The server replayed against the RFCs' example sessions: RFC 5321
//! appendix D, RFC 2920 §4, RFC 3030 §4 and RFC 4954 §4.
//!
//! The client's lines are the RFC's, byte for byte. Where the RFC fixes the
//! server's bytes (reply codes, the EHLO keywords, `334` challenges, replies
//! the application supplies) the server sends exactly those; where the
//! RFC's text is an example of free text ("250 OK", "354 Start mail input")
//! the server sends Postfix's text, and the comment quotes the RFC.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::{Answers, Harness};
use smtp_proto::server::{Credentials, Event, Options};
use smtp_proto::{Capability, ForwardPath, Reply, ReplyCode, ReversePath};

/// The server of appendix D: foo.com, with 8BITMIME, SIZE, DSN and HELP,
/// and plain reply codes (no ENHANCEDSTATUSCODES).
fn foo_com() -> Options {
    let mut o = Options::default();
    o.hostname = smtp_proto::Domain::from_static("foo.com");
    o.greeting = smtp_proto::Text::from_static("Simple Mail Transfer Service Ready");
    o.pipelining = false;
    o.chunking = false;
    o.smtputf8 = false;
    o.starttls = false;
    o.auth_mechanisms.clear();
    o.enhanced_status_codes = false;
    o.dsn = true;
    o.max_message_size = 0;
    o.extra_capabilities = vec![Capability::Size(None), Capability::Help];
    o
}

fn no_such_user() -> Reply {
    Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, None, "No such user here").unwrap()
}

/// Answers the next event, which must be MAIL from `from`.
fn accept_mail(h: &mut Harness, from: &str) {
    let events = h.take_events();
    let [Event::MailRequested { txn, from: got, .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(got.to_string(), from);
    h.server.accept_mail(*txn).unwrap();
}

/// Answers the next event, which must be RCPT to `to`.
fn answer_rcpt(h: &mut Harness, to: &str, reply: Option<Reply>) {
    let events = h.take_events();
    let [Event::RcptRequested { id, to: got, .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(got.to_string(), to);
    match reply {
        None => h.server.accept_rcpt(*id).unwrap(),
        Some(r) => h.server.reject_rcpt(*id, r).unwrap(),
    }
}

/// Answers MessageReceived: stores the body, which must be `body`.
fn store(h: &mut Harness, body: &[u8]) {
    let events = h.take_events();
    let mut got = Vec::new();
    let mut stored = None;
    for e in &events {
        match e {
            Event::BodyChunkReceived { data, .. } => got.extend_from_slice(data),
            Event::MessageReceived { txn, size, .. } => {
                assert_eq!(*size as usize, body.len());
                stored = Some(*txn);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(got, body);
    h.server.message_stored(stored.unwrap(), Ok(())).unwrap();
}

/// RFC 5321 appendix D.1, a typical SMTP transaction.
#[test]
fn rfc5321_d1_typical_transaction() {
    let mut h = Harness::new(foo_com(), Answers::Manual);
    // S: 220 foo.com Simple Mail Transfer Service Ready
    assert_eq!(
        h.output(),
        "220 foo.com Simple Mail Transfer Service Ready\r\n"
    );
    // C: EHLO bar.com
    // S: 250-foo.com greets bar.com
    // S: 250-8BITMIME
    // S: 250-SIZE
    // S: 250-DSN
    // S: 250 HELP
    assert_eq!(
        h.send("EHLO bar.com\r\n"),
        "250-foo.com\r\n250-8BITMIME\r\n250-DSN\r\n250-SIZE\r\n250 HELP\r\n"
    );
    // C: MAIL FROM:<Smith@bar.com>
    // S: 250 OK
    assert_eq!(h.send("MAIL FROM:<Smith@bar.com>\r\n"), "");
    accept_mail(&mut h, "<Smith@bar.com>");
    assert_eq!(h.output(), "250 Ok\r\n");
    // C: RCPT TO:<Jones@foo.com>
    // S: 250 OK
    h.feed("RCPT TO:<Jones@foo.com>\r\n");
    answer_rcpt(&mut h, "<Jones@foo.com>", None);
    assert_eq!(h.output(), "250 Ok\r\n");
    // C: RCPT TO:<Green@foo.com>
    // S: 550 No such user here
    h.feed("RCPT TO:<Green@foo.com>\r\n");
    answer_rcpt(&mut h, "<Green@foo.com>", Some(no_such_user()));
    assert_eq!(h.output(), "550 No such user here\r\n");
    // C: RCPT TO:<Brown@foo.com>
    // S: 250 OK
    h.feed("RCPT TO:<Brown@foo.com>\r\n");
    answer_rcpt(&mut h, "<Brown@foo.com>", None);
    assert_eq!(h.output(), "250 Ok\r\n");
    // C: DATA
    // S: 354 Start mail input; end with <CRLF>.<CRLF>
    assert_eq!(
        h.send("DATA\r\n"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    // C: Blah blah blah...
    // C: ...etc. etc. etc.
    // C: .
    // S: 250 OK
    assert_eq!(
        h.send("Blah blah blah...\r\n...etc. etc. etc.\r\n.\r\n"),
        ""
    );
    store(&mut h, b"Blah blah blah...\r\n..etc. etc. etc.\r\n");
    assert_eq!(h.output(), "250 Ok: queued\r\n");
    // C: QUIT
    // S: 221 foo.com Service closing transmission channel
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
    assert!(h.server.is_closed());
}

/// RFC 5321 appendix D.2, an aborted transaction.
#[test]
fn rfc5321_d2_aborted_transaction() {
    let mut h = Harness::new(foo_com(), Answers::Manual);
    h.output();
    h.send("EHLO bar.com\r\n");
    h.feed("MAIL FROM:<Smith@bar.com>\r\n");
    accept_mail(&mut h, "<Smith@bar.com>");
    h.feed("RCPT TO:<Jones@foo.com>\r\n");
    answer_rcpt(&mut h, "<Jones@foo.com>", None);
    h.feed("RCPT TO:<Green@foo.com>\r\n");
    answer_rcpt(&mut h, "<Green@foo.com>", Some(no_such_user()));
    assert_eq!(h.output(), "250 Ok\r\n250 Ok\r\n550 No such user here\r\n");
    // C: RSET
    // S: 250 OK
    assert_eq!(h.send("RSET\r\n"), "250 Ok\r\n");
    let events = h.take_events();
    assert!(matches!(
        events[..],
        [Event::TransactionAborted {
            reason: smtp_proto::server::AbortReason::Reset,
            ..
        }]
    ));
    // C: QUIT
    // S: 221 foo.com Service closing transmission channel
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
}

/// RFC 5321 appendix D.3, relayed mail, both steps: the relay host's session
/// with the source host, then the destination's (whose EHLO reply has no
/// keyword).
#[test]
fn rfc5321_d3_relayed_mail() {
    let mut h = Harness::new(foo_com(), Answers::Manual);
    h.output();
    h.send("EHLO bar.com\r\n");
    h.feed("MAIL FROM:<JQP@bar.com>\r\n");
    accept_mail(&mut h, "<JQP@bar.com>");
    h.feed("RCPT TO:<Jones@XYZ.COM>\r\n");
    answer_rcpt(&mut h, "<Jones@XYZ.COM>", None);
    assert_eq!(h.output(), "250 Ok\r\n250 Ok\r\n");
    assert_eq!(
        h.send("DATA\r\n"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    let message = "Date: Thu, 21 May 1998 05:33:29 -0700\r\n\
                   From: John Q. Public <JQP@bar.com>\r\n\
                   Subject: The Next Meeting of the Board\r\n\
                   To: Jones@xyz.com\r\n\
                   \r\n\
                   Bill:\r\n\
                   The next meeting of the board of directors will be\r\n\
                   on Tuesday.\r\n\
                   John.\r\n";
    h.feed(message);
    h.feed(".\r\n");
    store(&mut h, message.as_bytes());
    assert_eq!(h.output(), "250 Ok: queued\r\n");
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");

    // Step 2: xyz.com announces no extension.
    let mut o = foo_com();
    o.hostname = smtp_proto::Domain::from_static("xyz.com");
    o.eight_bit_mime = false;
    o.dsn = false;
    o.extra_capabilities.clear();
    o.max_message_size = 0;
    let mut h = Harness::new(o, Answers::Auto);
    assert_eq!(
        h.output(),
        "220 xyz.com Simple Mail Transfer Service Ready\r\n"
    );
    // S: 250 xyz.com is on the air
    assert_eq!(h.send("EHLO foo.com\r\n"), "250 xyz.com\r\n");
}

/// RFC 5321 appendix D.4, verifying and sending, with the application
/// answering VRFY.
#[test]
fn rfc5321_d4_verifying_and_sending() {
    let mut o = foo_com();
    o.vrfy = smtp_proto::server::Vrfy::Application;
    let mut h = Harness::new(o, Answers::Manual);
    h.output();
    assert_eq!(
        h.send("EHLO bar.com\r\n"),
        "250-foo.com\r\n250-VRFY\r\n250-8BITMIME\r\n250-DSN\r\n250-SIZE\r\n250 HELP\r\n"
    );
    // C: VRFY Crispin
    // S: 250 Mark Crispin <Admin.MRC@foo.com>
    assert_eq!(h.send("VRFY Crispin\r\n"), "");
    let events = h.take_events();
    assert!(matches!(&events[..], [Event::VrfyRequested { argument }] if argument == "Crispin"));
    h.server
        .vrfy_answered(Reply::new(ReplyCode::OK, None, "Mark Crispin <Admin.MRC@foo.com>").unwrap())
        .unwrap();
    assert_eq!(h.output(), "250 Mark Crispin <Admin.MRC@foo.com>\r\n");
    h.feed("MAIL FROM:<EAK@bar.com>\r\n");
    accept_mail(&mut h, "<EAK@bar.com>");
    h.feed("RCPT TO:<Admin.MRC@foo.com>\r\n");
    answer_rcpt(&mut h, "<Admin.MRC@foo.com>", None);
    assert_eq!(h.output(), "250 Ok\r\n250 Ok\r\n");
    assert_eq!(
        h.send("DATA\r\n"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    h.feed("Blah blah blah...\r\n...etc. etc. etc.\r\n.\r\n");
    store(&mut h, b"Blah blah blah...\r\n..etc. etc. etc.\r\n");
    assert_eq!(h.output(), "250 Ok: queued\r\n");
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
}

fn innosoft() -> Options {
    let mut o = Options::default();
    o.hostname = smtp_proto::Domain::from_static("innosoft.com");
    o.greeting = smtp_proto::Text::from_static("SMTP service ready");
    o.max_message_size = 0;
    o.starttls = false;
    o.chunking = false;
    o.smtputf8 = false;
    o.eight_bit_mime = false;
    o.auth_mechanisms.clear();
    o.enhanced_status_codes = false;
    o
}

/// RFC 2920 §4, the dialogue without pipelining (HELO).
#[test]
fn rfc2920_without_pipelining() {
    let mut h = Harness::new(innosoft(), Answers::Manual);
    assert_eq!(h.output(), "220 innosoft.com SMTP service ready\r\n");
    // S: 250 Innosoft.com
    assert_eq!(h.send("HELO dbc.mtview.ca.us\r\n"), "250 innosoft.com\r\n");
    h.feed("MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n");
    accept_mail(&mut h, "<mrose@dbc.mtview.ca.us>");
    for rcpt in ["ned@innosoft.com", "dan@innosoft.com", "kvc@innosoft.com"] {
        h.feed(&format!("RCPT TO:<{rcpt}>\r\n"));
        answer_rcpt(&mut h, &format!("<{rcpt}>"), None);
    }
    assert_eq!(h.output(), "250 Ok\r\n".repeat(4));
    assert_eq!(
        h.send("DATA\r\n"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    h.feed(".\r\n");
    store(&mut h, b"");
    // S: 250 message sent
    assert_eq!(h.output(), "250 Ok: queued\r\n");
    // S: 221 goodbye
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
}

/// RFC 2920 §4, the pipelined dialogue: one batch of MAIL, three RCPT and
/// DATA; the replies come in order, each held until the application
/// decides; then the message and QUIT in one batch.
#[test]
fn rfc2920_pipelined() {
    let mut h = Harness::new(innosoft(), Answers::Manual);
    h.output();
    // S: 250-innosoft.com
    // S: 250 PIPELINING
    assert_eq!(
        h.send("EHLO dbc.mtview.ca.us\r\n"),
        "250-innosoft.com\r\n250 PIPELINING\r\n"
    );
    h.take_events();
    let out = h.send(
        "MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
         RCPT TO:<ned@innosoft.com>\r\n\
         RCPT TO:<dan@innosoft.com>\r\n\
         RCPT TO:<kvc@innosoft.com>\r\n\
         DATA\r\n",
    );
    // A decision pending holds every later reply.
    assert_eq!(out, "");
    accept_mail(&mut h, "<mrose@dbc.mtview.ca.us>");
    let mut all = h.output();
    for rcpt in ["ned@innosoft.com", "dan@innosoft.com", "kvc@innosoft.com"] {
        answer_rcpt(&mut h, &format!("<{rcpt}>"), None);
        all.push_str(&h.output());
    }
    // S: 250 sender <mrose@dbc.mtview.ca.us> OK
    // S: 250 recipient <ned@innosoft.com> OK
    // S: 250 recipient <dan@innosoft.com> OK
    // S: 250 recipient <kvc@innosoft.com> OK
    // S: 354 enter mail, end with line containing only "."
    assert_eq!(
        all,
        "250 Ok\r\n250 Ok\r\n250 Ok\r\n250 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    // C: .
    // C: QUIT
    assert_eq!(h.send(".\r\nQUIT\r\n"), "");
    store(&mut h, b"");
    // S: 250 message sent
    // S: 221 goodbye
    assert_eq!(h.output(), "250 Ok: queued\r\n221 Bye\r\n");
}

/// RFC 2920 §4, pipelined with every recipient refused: DATA gets 554.
#[test]
fn rfc2920_all_recipients_rejected() {
    let mut h = Harness::new(innosoft(), Answers::Manual);
    h.output();
    h.send("EHLO dbc.mtview.ca.us\r\n");
    h.take_events();
    h.feed(
        "MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
         RCPT TO:<nsb@thumper.bellcore.com>\r\n\
         RCPT TO:<galvin@tis.com>\r\n\
         DATA\r\n",
    );
    accept_mail(&mut h, "<mrose@dbc.mtview.ca.us>");
    let mut all = h.output();
    for rcpt in ["nsb@thumper.bellcore.com", "galvin@tis.com"] {
        let text = format!("remote mail to <{rcpt}> not allowed");
        answer_rcpt(
            &mut h,
            &format!("<{rcpt}>"),
            Some(Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, None, text).unwrap()),
        );
        all.push_str(&h.output());
    }
    // S: 250 sender <mrose@dbc.mtview.ca.us> OK
    // S: 550 remote mail to <nsb@thumper.bellore.com> not allowed
    // S: 550 remote mail to <galvin@tis.com> not allowed
    // S: 554 no valid recipients given
    assert_eq!(
        all,
        "250 Ok\r\n\
         550 remote mail to <nsb@thumper.bellcore.com> not allowed\r\n\
         550 remote mail to <galvin@tis.com> not allowed\r\n\
         554 Error: no valid recipients\r\n"
    );
    // C: QUIT
    // S: 221 goodbye
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
}

fn cnri() -> Options {
    let mut o = innosoft();
    o.hostname = smtp_proto::Domain::from_static("cnri.reston.va.us");
    o.pipelining = false;
    o.chunking = true;
    o
}

/// RFC 3030 §4.1, simple chunking: `BDAT 86 LAST` and the 86 octets.
#[test]
fn rfc3030_simple_chunking() {
    let mut h = Harness::new(cnri(), Answers::Manual);
    // R: 220 cnri.reston.va.us SMTP service ready
    assert_eq!(h.output(), "220 cnri.reston.va.us SMTP service ready\r\n");
    // R: 250-cnri.reston.va.us says hello
    // R: 250 CHUNKING
    assert_eq!(
        h.send("EHLO ymir.claremont.edu\r\n"),
        "250-cnri.reston.va.us\r\n250 CHUNKING\r\n"
    );
    h.feed("MAIL FROM:<Sam@Random.com>\r\n");
    accept_mail(&mut h, "<Sam@Random.com>");
    h.feed("RCPT TO:<Susan@Random.com>\r\n");
    answer_rcpt(&mut h, "<Susan@Random.com>", None);
    // R: 250 <Sam@Random.com> Sender ok
    // R: 250 <Susan@random.com> Recipient ok
    assert_eq!(h.output(), "250 Ok\r\n250 Ok\r\n");
    let message = "To: Susan@random.com\r\n\
                   From: Sam@random.com\r\n\
                   Subject: This is a bodyless test message\r\n";
    assert_eq!(message.len(), 86);
    assert_eq!(h.send(&format!("BDAT 86 LAST\r\n{message}")), "");
    store(&mut h, message.as_bytes());
    // R: 250 Message OK, 86 octets received
    assert_eq!(h.output(), "250 Ok: queued\r\n");
    // R: 221 Goodbye
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
}

/// RFC 3030 §4.2, pipelining BINARYMIME: three BDATs in one batch, the last
/// `BDAT 0 LAST`.
#[test]
fn rfc3030_pipelining_binarymime() {
    let mut o = cnri();
    o.pipelining = true;
    o.binary_mime = true;
    let mut h = Harness::new(o, Answers::Manual);
    h.output();
    // R: 250-cnri.reston.va.us says hello
    // R: 250-PIPELINING
    // R: 250-BINARYMIME
    // R: 250 CHUNKING
    assert_eq!(
        h.send("EHLO ymir.claremont.edu\r\n"),
        "250-cnri.reston.va.us\r\n250-PIPELINING\r\n250-BINARYMIME\r\n250 CHUNKING\r\n"
    );
    h.take_events();
    h.feed(
        "MAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME\r\n\
         RCPT TO:<gvaudre@cnri.reston.va.us>\r\n\
         RCPT TO:<jstewart@cnri.reston.va.us>\r\n",
    );
    let events = h.take_events();
    let [Event::MailRequested { txn, params, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(params.body, Some(smtp_proto::Body::BinaryMime));
    h.server.accept_mail(*txn).unwrap();
    answer_rcpt(&mut h, "<gvaudre@cnri.reston.va.us>", None);
    answer_rcpt(&mut h, "<jstewart@cnri.reston.va.us>", None);
    // R: 250 <ned@ymir.claremont.edu>... Sender and BINARYMIME ok
    // R: 250 <gvaudre@cnri.reston.va.us>... Recipient ok
    // R: 250 <jstewart@cnri.reston.va.us>... Recipient ok
    assert_eq!(h.output(), "250 Ok\r\n250 Ok\r\n250 Ok\r\n");
    // S: BDAT 100000
    // S: (First 10000 octets of canonical MIME message data)
    // S: BDAT 324
    // S: (Remaining 324 octets of canonical MIME message data)
    // S: BDAT 0 LAST
    let first: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let rest: Vec<u8> = (0..324u32).map(|i| (i * 7 % 256) as u8).collect();
    let mut wire = b"BDAT 100000\r\n".to_vec();
    wire.extend_from_slice(&first);
    wire.extend_from_slice(b"BDAT 324\r\n");
    wire.extend_from_slice(&rest);
    wire.extend_from_slice(b"BDAT 0 LAST\r\n");
    let mut out = String::new();
    for piece in wire.chunks(4096) {
        out.push_str(&h.send_bytes(piece));
    }
    // R: 250 100000 octets received
    // R: 250 324 octets received
    assert_eq!(
        out,
        "250 Ok: 100000 octets received\r\n250 Ok: 324 octets received\r\n"
    );
    let mut body = first.clone();
    body.extend_from_slice(&rest);
    store(&mut h, &body);
    // R: 250 Message OK, 100324 octets received
    assert_eq!(h.output(), "250 Ok: queued\r\n");
    assert_eq!(h.send("QUIT\r\n"), "221 Bye\r\n");
}

/// RFC 4954 §4's examples of AUTH PLAIN under TLS: with an initial response,
/// and after an empty `334 ` challenge.
#[test]
fn rfc4954_auth_plain_examples() {
    for with_initial_response in [true, false] {
        let mut o = Options::default();
        o.hostname = smtp_proto::Domain::from_static("smtp.example.com");
        o.implicit_tls = true;
        let mut h = Harness::new(o, Answers::Manual);
        h.output();
        let ehlo = h.send("EHLO client.example.com\r\n");
        assert!(ehlo.contains("\r\n250-AUTH PLAIN LOGIN\r\n"), "{ehlo}");
        h.take_events();
        if with_initial_response {
            // C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=
            assert_eq!(h.send("AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\n"), "");
        } else {
            // C: AUTH PLAIN
            // S: 334
            // C: dGVzdAB0ZXN0ADEyMzQ=
            assert_eq!(h.send("AUTH PLAIN\r\n"), "334 \r\n");
            assert_eq!(h.send("dGVzdAB0ZXN0ADEyMzQ=\r\n"), "");
        }
        let events = h.take_events();
        let [Event::AuthRequested { credentials }] = &events[..] else {
            panic!("{events:?}")
        };
        let Credentials::Plain {
            authzid,
            authcid,
            password,
        } = credentials
        else {
            panic!("{credentials:?}")
        };
        assert_eq!(authzid.as_deref(), Some("test"));
        assert_eq!(authcid, "test");
        assert_eq!(password.expose(), b"1234");
        h.server.auth_succeeded().unwrap();
        // S: 235 2.7.0 Authentication successful
        assert_eq!(h.output(), "235 2.7.0 Authentication successful\r\n");
        assert!(h.server.is_authenticated());
    }
}

/// The null reverse path and `<Postmaster>`, as a bounce would send them.
#[test]
fn bounce_to_postmaster() {
    let mut h = Harness::ready(common::options(), Answers::Manual);
    h.feed("MAIL FROM:<>\r\nRCPT TO:<Postmaster>\r\n");
    let events = h.take_events();
    let [Event::MailRequested { txn, from, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(*from, ReversePath::Null);
    h.server.accept_mail(*txn).unwrap();
    let events = h.take_events();
    let [Event::RcptRequested { to, id, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(*to, ForwardPath::Postmaster);
    h.server.accept_rcpt(*id).unwrap();
    assert_eq!(h.output(), "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
}
