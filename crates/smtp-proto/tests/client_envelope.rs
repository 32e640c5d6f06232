//! What the client puts on MAIL and RCPT for a server that lacks an
//! extension (Postfix drops what the message can do without), what a body
//! needs (8BITMIME, SMTPUTF8), and BDAT pipelined with the envelope.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use bytes::Bytes;
use common::{envelope, ready};
use smtp_proto::client::{BodyNeeds, Event, Options};
use smtp_proto::{
    Body, ClientError, ForwardPath, Mailbox, Notify, Orcpt, Parameter, RcptParameters, Ret, XText,
};

/// An envelope with every DSN parameter, SIZE and AUTH=.
fn dsn_envelope() -> smtp_proto::client::Envelope<'static> {
    let mut env = envelope("a@example.org", &[]);
    env.params.size = Some(1234);
    env.params.ret = Some(Ret::Headers);
    env.params.envid = Some(XText::encode(b"QQ314159").unwrap());
    env.params.auth = Some(XText::encode(b"<>").unwrap());
    let mut rcpt = RcptParameters::default();
    rcpt.notify = Some(Notify {
        success: true,
        failure: true,
        delay: false,
    });
    rcpt.orcpt = Some(Orcpt::rfc822("b@example.org").unwrap());
    env.to_with(
        ForwardPath::Mailbox(Mailbox::try_from("b@example.org").unwrap()),
        rcpt,
    )
}

#[test]
fn parameters_the_server_lacks_are_dropped_as_postfix_does() {
    // No DSN, SIZE or AUTH: Postfix sends none of their parameters (and
    // sends "relayed" DSNs itself).
    let mut c = ready(&["PIPELINING"], Options::default());
    c.client.send_mail(dsn_envelope()).unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
    );
    // A server with them gets them all.
    let mut c = ready(
        &["PIPELINING", "SIZE 10000", "DSN", "AUTH PLAIN"],
        Options::default(),
    );
    c.client.send_mail(dsn_envelope()).unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<a@example.org> SIZE=1234 RET=HDRS ENVID=QQ314159 AUTH=<>\r\n\
         RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.org\r\n\
         DATA\r\n"
    );
    // BODY=7BIT needs no label without 8BITMIME.
    let mut c = ready(&[], Options::default());
    let mut env = envelope("a@example.org", &["b@example.org"]);
    env.params.body = Some(Body::SevenBit);
    c.client.send_mail(env).unwrap();
    assert_eq!(c.output(), "MAIL FROM:<a@example.org>\r\n");
}

/// A change to an envelope.
type Edit = fn(&mut smtp_proto::client::Envelope<'static>);

#[test]
fn parameters_that_cannot_be_dropped_are_named() {
    let mut c = ready(&["PIPELINING"], Options::default());
    let cases: [(&str, Edit); 5] = [
        ("SMTPUTF8", |e| e.params.smtputf8 = true),
        ("REQUIRETLS", |e| e.params.requiretls = true),
        ("MT-PRIORITY", |e| e.params.mt_priority = Some(3)),
        ("BODY", |e| e.params.body = Some(Body::BinaryMime)),
        ("X-FOO", |e| {
            e.params
                .other
                .push(Parameter::new("X-FOO", Some("1")).unwrap());
        }),
    ];
    for (name, set) in cases {
        let mut env = envelope("a@example.org", &["b@example.org"]);
        set(&mut env);
        assert_eq!(
            c.client.send_mail(env),
            Err(ClientError::NotOffered(name.into())),
            "{name}"
        );
    }
    assert_eq!(c.output(), "");
    // By option, the droppable ones are refused too, each by name.
    let mut o = Options::default();
    o.drop_unoffered_parameters = false;
    let mut c = ready(&["PIPELINING"], o);
    assert_eq!(
        c.client.send_mail(dsn_envelope()),
        Err(ClientError::NotOffered("SIZE".into()))
    );
    let mut env = dsn_envelope();
    env.params.size = None;
    assert_eq!(
        c.client.send_mail(env),
        Err(ClientError::NotOffered("RET".into()))
    );
    let mut env = envelope("a@example.org", &[]);
    let mut rcpt = RcptParameters::default();
    rcpt.notify = Some(Notify::NEVER);
    env = env.to_with(ForwardPath::Postmaster, rcpt);
    assert_eq!(
        c.client.send_mail(env),
        Err(ClientError::NotOffered("NOTIFY".into()))
    );
}

#[test]
fn an_eight_bit_body_and_a_server_without_8bitmime() {
    let message = Bytes::from_static("Subject: caf\u{e9}\r\n\r\nna\u{ef}ve\r\n".as_bytes());
    let needs = BodyNeeds::of(&message);
    assert!(needs.eight_bit && needs.utf8_headers);
    let body_only = BodyNeeds::of("Subject: x\r\n\r\nna\u{ef}ve\r\n".as_bytes());
    assert!(body_only.eight_bit && !body_only.utf8_headers);
    // Refused by default: the application converts it (as Postfix would),
    // or sends it as is by option (Postfix's
    // disable_mime_output_conversion = yes).
    let mut c = ready(&["PIPELINING"], Options::default());
    let mut env = envelope("a@example.org", &["b@example.org"]);
    body_only.apply(&mut env.params);
    assert_eq!(env.params.body, Some(Body::EightBitMime));
    assert_eq!(
        c.client.send_mail(env.clone()),
        Err(ClientError::NotOffered("BODY".into()))
    );
    let mut o = Options::default();
    o.send_8bit_without_8bitmime = true;
    let mut c = ready(&["PIPELINING"], o);
    c.client.send_mail(env.clone()).unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n"
    );
    // With 8BITMIME: labelled.
    let mut c = ready(&["PIPELINING", "8BITMIME"], Options::default());
    c.client.send_mail(env).unwrap();
    assert!(
        c.output()
            .starts_with("MAIL FROM:<a@example.org> BODY=8BITMIME\r\n")
    );
    // UTF-8 headers need SMTPUTF8, which has no way down.
    let mut c = ready(&["PIPELINING", "8BITMIME"], Options::default());
    let mut env = envelope("a@example.org", &["b@example.org"]);
    needs.apply(&mut env.params);
    assert_eq!(
        c.client.send_mail(env),
        Err(ClientError::NotOffered("SMTPUTF8".into()))
    );
}

#[test]
fn bdat_goes_in_the_batch_with_mail_and_rcpt() {
    // PIPELINING and CHUNKING: one round trip for the whole message.
    let mut c = ready(&["PIPELINING", "CHUNKING"], Options::default());
    c.client
        .send_mail(envelope(
            "a@example.org",
            &["b@example.org", "c@example.org"],
        ))
        .unwrap();
    assert!(matches!(c.take_events()[..], [Event::DataStarted { .. }]));
    c.client
        .body_chunk(Bytes::from_static(b"Subject: hi\r\n\r\nhello\r\n"))
        .unwrap();
    c.client.body_end().unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<a@example.org>\r\n\
         RCPT TO:<b@example.org>\r\n\
         RCPT TO:<c@example.org>\r\n\
         BDAT 22 LAST\r\n\
         Subject: hi\r\n\r\nhello\r\n"
    );
    c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 unknown\r\n250 2.0.0 Ok: queued\r\n");
    let events = c.take_events();
    assert!(
        matches!(
            &events[..],
            [
                Event::RcptAccepted { index: 0, .. },
                Event::RcptRejected { index: 1, .. },
                Event::MessageAccepted { .. }
            ]
        ),
        "{events:?}"
    );

    // Every recipient refused, the chunk already out: the server discards
    // it (RFC 3030 §2); the transaction fails with the recipients' reason,
    // and the next one starts with RSET.
    let mut c = ready(&["PIPELINING", "CHUNKING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.client.body_chunk(Bytes::from_static(b"x\r\n")).unwrap();
    c.client.body_end().unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n550 5.1.1 unknown\r\n554 5.5.1 Error: no valid recipients\r\n");
    let events = c.take_events();
    assert!(
        matches!(events.last(), Some(Event::TransactionFailed { reply, .. }) if reply.first_line() == "unknown"),
        "{events:?}"
    );
    c.client
        .send_mail(envelope("a@example.org", &["c@example.org"]))
        .unwrap();
    assert!(c.output().starts_with("RSET\r\nMAIL FROM:"));

    // Refused before any chunk went: it ends there, and the body is not
    // wanted.
    let mut c = ready(&["PIPELINING", "CHUNKING"], Options::default());
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.output();
    c.feed("250 2.1.0 Ok\r\n550 5.1.1 unknown\r\n");
    assert!(matches!(
        c.take_events().last(),
        Some(Event::TransactionFailed { .. })
    ));
    assert_eq!(c.client.body_demand(), None);
    assert_eq!(
        c.client.body_chunk(Bytes::from_static(b"x")),
        Err(ClientError::NoBodyPending)
    );
    assert_eq!(c.output(), "");

    // By option, the chunk waits for the envelope's replies.
    let mut o = Options::default();
    o.pipeline_bdat = false;
    let mut c = ready(&["PIPELINING", "CHUNKING"], o);
    c.client
        .send_mail(envelope("a@example.org", &["b@example.org"]))
        .unwrap();
    c.client.body_chunk(Bytes::from_static(b"x\r\n")).unwrap();
    c.client.body_end().unwrap();
    assert_eq!(
        c.output(),
        "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\n"
    );
    assert_eq!(
        c.feed("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"),
        "BDAT 3 LAST\r\nx\r\n"
    );
}
