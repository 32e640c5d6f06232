//! The client replayed against the RFCs' example sessions, byte for byte:
//! the server's lines are the RFC's, and so are the client's, from RFC 5321
//! appendix D, RFC 2920 §4, RFC 3030 §4 and RFC 4954 §4.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use bytes::Bytes;
use common::ClientHarness;
use smtp_proto::client::{CloseReason, Envelope, Event, Options, State};
use smtp_proto::{Body, ForwardPath, Host, Mailbox, ReplyCode, ReversePath};

fn options(host: &str) -> Options {
    let mut o = Options::default();
    o.hostname = Host::try_from(host.to_owned()).unwrap();
    o
}

fn mailbox(m: &str) -> Mailbox<'static> {
    Mailbox::try_from(m.to_owned()).unwrap()
}

fn envelope(from: &str, to: &[&str]) -> Envelope<'static> {
    to.iter().fold(
        Envelope::new(ReversePath::Mailbox(mailbox(from))),
        |e, t| e.to(ForwardPath::Mailbox(mailbox(t))),
    )
}

const FOO_COM_EHLO: &str =
    "250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n";

/// Greeting and EHLO of appendix D's foo.com.
fn foo_com() -> ClientHarness {
    let mut c = ClientHarness::new(options("bar.com"));
    assert_eq!(c.client.state(), State::Connecting);
    // S: 220 foo.com Simple Mail Transfer Service Ready
    // C: EHLO bar.com
    assert_eq!(
        c.feed("220 foo.com Simple Mail Transfer Service Ready\r\n"),
        "EHLO bar.com\r\n"
    );
    assert_eq!(c.feed(FOO_COM_EHLO), "");
    let events = c.take_events();
    assert!(
        matches!(&events[0], Event::GreetingReceived { reply } if reply.code() == ReplyCode::READY)
    );
    let Event::Ready {
        capabilities,
        esmtp,
    } = &events[1]
    else {
        panic!("{events:?}")
    };
    assert!(esmtp);
    assert_eq!(capabilities.domain(), "foo.com");
    assert_eq!(capabilities.capabilities().len(), 4);
    assert_eq!(c.client.state(), State::Ready);
    c
}

/// RFC 5321 appendix D.1, from the client's side.
#[test]
fn rfc5321_d1_typical_transaction() {
    let mut c = foo_com();
    let txn = c
        .client
        .send_mail(envelope(
            "Smith@bar.com",
            &["Jones@foo.com", "Green@foo.com", "Brown@foo.com"],
        ))
        .unwrap();
    c.client
        .body_chunk(Bytes::from_static(
            b"Blah blah blah...\r\n..etc. etc. etc.\r\n",
        ))
        .unwrap();
    c.client.body_end().unwrap();
    // No PIPELINING: one command at a time.
    assert_eq!(c.output(), "MAIL FROM:<Smith@bar.com>\r\n");
    assert_eq!(c.feed("250 OK\r\n"), "RCPT TO:<Jones@foo.com>\r\n");
    assert_eq!(c.feed("250 OK\r\n"), "RCPT TO:<Green@foo.com>\r\n");
    assert_eq!(
        c.feed("550 No such user here\r\n"),
        "RCPT TO:<Brown@foo.com>\r\n"
    );
    assert_eq!(c.feed("250 OK\r\n"), "DATA\r\n");
    // C: Blah blah blah...
    // C: ...etc. etc. etc.
    // C: .
    assert_eq!(
        c.feed("354 Start mail input; end with <CRLF>.<CRLF>\r\n"),
        "Blah blah blah...\r\n...etc. etc. etc.\r\n.\r\n"
    );
    assert_eq!(c.feed("250 OK\r\n"), "");
    let events = c.take_events();
    assert!(matches!(events[0], Event::RcptAccepted { index: 0, .. }));
    assert!(
        matches!(&events[1], Event::RcptRejected { index: 1, reply, .. } if reply.first_line() == "No such user here")
    );
    assert!(matches!(events[2], Event::RcptAccepted { index: 2, .. }));
    assert!(matches!(events[3], Event::DataStarted { .. }));
    assert!(matches!(&events[4], Event::MessageAccepted { txn: t, .. } if *t == txn));
    c.client.quit().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
    c.feed("221 foo.com Service closing transmission channel\r\n");
    assert!(matches!(
        c.take_events()[..],
        [Event::Closed {
            reason: CloseReason::Quit
        }]
    ));
}

/// RFC 5321 appendix D.2: the client abandons the transaction with RSET.
#[test]
fn rfc5321_d2_aborted_transaction() {
    let mut c = foo_com();
    c.client
        .send_mail(envelope(
            "Smith@bar.com",
            &["Jones@foo.com", "Green@foo.com"],
        ))
        .unwrap();
    assert_eq!(c.output(), "MAIL FROM:<Smith@bar.com>\r\n");
    assert_eq!(c.feed("250 OK\r\n"), "RCPT TO:<Jones@foo.com>\r\n");
    assert_eq!(c.feed("250 OK\r\n"), "RCPT TO:<Green@foo.com>\r\n");
    // No body offered yet: DATA waits, so the client can still give up.
    assert_eq!(c.feed("550 No such user here\r\n"), "");
    c.client.rset().unwrap();
    assert_eq!(c.output(), "RSET\r\n");
    assert_eq!(c.client.state(), State::Ready);
    assert_eq!(c.feed("250 OK\r\n"), "");
    c.client.quit().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
}

/// RFC 5321 appendix D.3, both steps; in the second the EHLO reply has no
/// keyword.
#[test]
fn rfc5321_d3_relayed_mail() {
    let message = "Date: Thu, 21 May 1998 05:33:29 -0700\r\n\
                   From: John Q. Public <JQP@bar.com>\r\n\
                   Subject: The Next Meeting of the Board\r\n\
                   To: Jones@xyz.com\r\n\
                   \r\n\
                   Bill:\r\n\
                   The next meeting of the board of directors will be\r\n\
                   on Tuesday.\r\n\
                   John.\r\n";
    let mut c = foo_com();
    c.client
        .send_mail(envelope("JQP@bar.com", &["Jones@XYZ.COM"]))
        .unwrap();
    c.client
        .body_chunk(Bytes::from_static(message.as_bytes()))
        .unwrap();
    c.client.body_end().unwrap();
    assert_eq!(c.output(), "MAIL FROM:<JQP@bar.com>\r\n");
    assert_eq!(c.feed("250 OK\r\n"), "RCPT TO:<Jones@XYZ.COM>\r\n");
    assert_eq!(c.feed("250 OK\r\n"), "DATA\r\n");
    assert_eq!(
        c.feed("354 Start mail input; end with <CRLF>.<CRLF>\r\n"),
        format!("{message}.\r\n")
    );

    // Step 2: foo.com to xyz.com.
    let mut c = ClientHarness::new(options("foo.com"));
    assert_eq!(
        c.feed("220 xyz.com Simple Mail Transfer Service Ready\r\n"),
        "EHLO foo.com\r\n"
    );
    c.feed("250 xyz.com is on the air\r\n");
    let events = c.take_events();
    let Event::Ready { capabilities, .. } = &events[1] else {
        panic!("{events:?}")
    };
    assert_eq!(capabilities.domain(), "xyz.com");
    assert!(capabilities.capabilities().is_empty());
    c.client
        .send_mail(envelope("JQP@bar.com", &["Jones@XYZ.COM"]))
        .unwrap();
    assert_eq!(c.output(), "MAIL FROM:<JQP@bar.com>\r\n");
}

/// RFC 2920 §4: the pipelined dialogue, the message's end and QUIT in one
/// batch.
#[test]
fn rfc2920_pipelined() {
    let mut c = ClientHarness::new(options("dbc.mtview.ca.us"));
    assert_eq!(
        c.feed("220 innosoft.com SMTP service ready\r\n"),
        "EHLO dbc.mtview.ca.us\r\n"
    );
    c.feed("250-innosoft.com\r\n250 PIPELINING\r\n");
    assert!(c.client.is_pipelining());
    c.client
        .send_mail(envelope(
            "mrose@dbc.mtview.ca.us",
            &["ned@innosoft.com", "dan@innosoft.com", "kvc@innosoft.com"],
        ))
        .unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
         RCPT TO:<ned@innosoft.com>\r\n\
         RCPT TO:<dan@innosoft.com>\r\n\
         RCPT TO:<kvc@innosoft.com>\r\n\
         DATA\r\n"
    );
    c.client.body_chunk(Bytes::from_static(b"...\r\n")).unwrap();
    c.client.body_end().unwrap();
    // Nothing before the 354.
    assert_eq!(c.output(), "");
    c.client.handle_input(
        b"250 sender <mrose@dbc.mtview.ca.us> OK\r\n\
          250 recipient <ned@innosoft.com> OK\r\n\
          250 recipient <dan@innosoft.com> OK\r\n\
          250 recipient <kvc@innosoft.com> OK\r\n\
          354 enter mail, end with line containing only \".\"\r\n",
    );
    c.client.quit().unwrap();
    // C: ...
    // C: .
    // C: QUIT
    assert_eq!(c.output(), "....\r\n.\r\nQUIT\r\n");
    c.feed("250 message sent\r\n221 goodbye\r\n");
    let events = c.take_events();
    assert!(matches!(
        events[events.len() - 2],
        Event::MessageAccepted { .. }
    ));
    assert!(matches!(
        events[events.len() - 1],
        Event::Closed {
            reason: CloseReason::Quit
        }
    ));
}

/// RFC 2920 §4: pipelined, every recipient refused, DATA refused.
#[test]
fn rfc2920_all_recipients_rejected() {
    let mut c = ClientHarness::new(options("dbc.mtview.ca.us"));
    c.feed("220 innosoft.com SMTP service ready\r\n");
    c.feed("250-innosoft.com\r\n250 PIPELINING\r\n");
    c.take_events();
    c.client
        .send_mail(envelope(
            "mrose@dbc.mtview.ca.us",
            &["nsb@thumper.bellcore.com", "galvin@tis.com"],
        ))
        .unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<mrose@dbc.mtview.ca.us>\r\n\
         RCPT TO:<nsb@thumper.bellcore.com>\r\n\
         RCPT TO:<galvin@tis.com>\r\n\
         DATA\r\n"
    );
    c.feed(
        "250 sender <mrose@dbc.mtview.ca.us> OK\r\n\
         550 remote mail to <nsb@thumper.bellore.com> not allowed\r\n\
         550 remote mail to <galvin@tis.com> not allowed\r\n\
         554 no valid recipients given\r\n",
    );
    let events = c.take_events();
    assert!(matches!(events[0], Event::RcptRejected { index: 0, .. }));
    assert!(matches!(events[1], Event::RcptRejected { index: 1, .. }));
    assert!(
        matches!(&events[2], Event::TransactionFailed { reply, .. } if reply.first_line() == "no valid recipients given")
    );
    assert_eq!(c.client.body_demand(), None);
    c.client.quit().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
}

/// RFC 2920 §4's last dialogue: a server that says 354 with no valid
/// recipient gets a single dot, and no message goes anywhere.
#[test]
fn rfc2920_354_without_recipients_gets_a_single_dot() {
    let mut c = ClientHarness::new(options("dbc.mtview.ca.us"));
    c.feed("220 innosoft.com SMTP service ready\r\n");
    c.feed("250-innosoft.com\r\n250 PIPELINING\r\n");
    c.take_events();
    c.client
        .send_mail(envelope(
            "mrose@dbc.mtview.ca.us",
            &["nsb@thumper.bellcore.com", "galvin@tis.com"],
        ))
        .unwrap();
    c.client
        .body_chunk(Bytes::from_static(b"secret\r\n"))
        .unwrap();
    c.output();
    // C: .
    assert_eq!(
        c.feed(
            "250 sender <mrose@dbc.mtview.ca.us> OK\r\n\
             550 remote mail to <nsb@thumper.bellore.com> not allowed\r\n\
             550 remote mail to <galvin@tis.com> not allowed\r\n\
             354 enter mail, end with line containing only \".\"\r\n"
        ),
        ".\r\n"
    );
    c.client.quit().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
    c.feed("554 no valid recipients\r\n221 goodbye\r\n");
    let events = c.take_events();
    assert!(
        matches!(&events[2], Event::TransactionFailed { reply, .. } if reply.first_line() == "remote mail to <galvin@tis.com> not allowed"),
        "{events:?}"
    );
}

/// RFC 3030 §4.1: simple chunking.
#[test]
fn rfc3030_simple_chunking() {
    let mut c = ClientHarness::new(options("ymir.claremont.edu"));
    assert_eq!(
        c.feed("220 cnri.reston.va.us SMTP service ready\r\n"),
        "EHLO ymir.claremont.edu\r\n"
    );
    c.feed("250-cnri.reston.va.us says hello\r\n250 CHUNKING\r\n");
    c.client
        .send_mail(envelope("Sam@Random.com", &["Susan@Random.com"]))
        .unwrap();
    let message = "To: Susan@random.com\r\n\
                   From: Sam@random.com\r\n\
                   Subject: This is a bodyless test message\r\n";
    c.client
        .body_chunk(Bytes::from_static(message.as_bytes()))
        .unwrap();
    c.client.body_end().unwrap();
    assert_eq!(c.output(), "MAIL FROM:<Sam@Random.com>\r\n");
    assert_eq!(
        c.feed("250 <Sam@Random.com> Sender ok\r\n"),
        "RCPT TO:<Susan@Random.com>\r\n"
    );
    // S: BDAT 86 LAST
    assert_eq!(
        c.feed("250 <Susan@random.com> Recipient ok\r\n"),
        format!("BDAT 86 LAST\r\n{message}")
    );
    c.feed("250 Message OK, 86 octets received\r\n");
    assert!(matches!(
        c.take_events().last(),
        Some(Event::MessageAccepted { .. })
    ));
    c.client.quit().unwrap();
    assert_eq!(c.output(), "QUIT\r\n");
}

/// RFC 3030 §4.2: pipelining BINARYMIME, chunks of 100 000 and 324 octets
/// and `BDAT 0 LAST`.
#[test]
fn rfc3030_pipelining_binarymime() {
    let mut o = options("ymir.claremont.edu");
    o.body_buffer = 324;
    let mut c = ClientHarness::new(o);
    c.feed("220 cnri.reston.va.us SMTP service ready\r\n");
    c.feed(
        "250-cnri.reston.va.us says hello\r\n250-PIPELINING\r\n250-BINARYMIME\r\n250 CHUNKING\r\n",
    );
    let mut env = envelope(
        "ned@ymir.claremont.edu",
        &["gvaudre@cnri.reston.va.us", "jstewart@cnri.reston.va.us"],
    );
    env.params.body = Some(Body::BinaryMime);
    c.client.send_mail(env).unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME\r\n\
         RCPT TO:<gvaudre@cnri.reston.va.us>\r\n\
         RCPT TO:<jstewart@cnri.reston.va.us>\r\n"
    );
    c.feed(
        "250 <ned@ymir.claremont.edu>... Sender and BINARYMIME ok\r\n\
         250 <gvaudre@cnri.reston.va.us>... Recipient ok\r\n\
         250 <jstewart@cnri.reston.va.us>... Recipient ok\r\n",
    );
    let first: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let rest: Vec<u8> = (0..324u32).map(|i| (i * 7 % 256) as u8).collect();
    c.client.body_chunk(Bytes::from(first.clone())).unwrap();
    c.client.body_chunk(Bytes::from(rest.clone())).unwrap();
    c.client.body_end().unwrap();
    let mut expected = b"BDAT 100000\r\n".to_vec();
    expected.extend_from_slice(&first);
    expected.extend_from_slice(b"BDAT 324\r\n");
    expected.extend_from_slice(&rest);
    expected.extend_from_slice(b"BDAT 0 LAST\r\n");
    assert_eq!(c.output_bytes(), expected);
    c.feed("250 100000 octets received\r\n250 324 octets received\r\n250 Message OK, 100324 octets received\r\n");
    let events = c.take_events();
    assert!(
        matches!(events.last(), Some(Event::MessageAccepted { reply, .. }) if reply.first_line() == "Message OK, 100324 octets received")
    );
}

/// RFC 4954 §4: STARTTLS, EHLO again under TLS, AUTH PLAIN with an initial
/// response.
#[test]
fn rfc4954_starttls_then_auth_plain() {
    let mut c = ClientHarness::new(options("client.example.com"));
    c.feed("220 smtp.example.com ESMTP Server\r\n");
    c.feed("250-smtp.example.com Hello client.example.com\r\n250-AUTH GSSAPI DIGEST-MD5\r\n250-ENHANCEDSTATUSCODES\r\n250 STARTTLS\r\n");
    assert_eq!(
        c.client.auth_plain(None, "test", b"1234"),
        Err(smtp_proto::ClientError::NotOffered("AUTH".into()))
    );
    c.client.starttls().unwrap();
    assert_eq!(c.output(), "STARTTLS\r\n");
    c.feed("220 Ready to start TLS\r\n");
    assert!(matches!(c.take_events().last(), Some(Event::TlsRequested)));
    assert_eq!(c.client.state(), State::TlsHandshake);
    c.client.tls_established().unwrap();
    assert_eq!(c.output(), "EHLO client.example.com\r\n");
    c.feed("250-smtp.example.com Hello client.example.com\r\n250 AUTH GSSAPI DIGEST-MD5 PLAIN\r\n");
    c.client.auth_plain(Some("test"), "test", b"1234").unwrap();
    assert_eq!(c.output(), "AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\n");
    c.feed("235 2.7.0 Authentication successful\r\n");
    assert!(matches!(c.take_events().last(), Some(Event::Authenticated)));
    assert!(c.client.is_authenticated() && c.client.is_tls());
}
