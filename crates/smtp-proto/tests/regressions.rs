//! The inputs that trip other SMTP parsers, each through the server (and the
//! client where it reads them), with the reply it must get.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answers, ClientHarness, Harness, options};
use smtp_proto::server::Event;
use smtp_proto::{AddressLiteral, ForwardPath, Reply, ReplyCode, ValueError};

fn ready() -> Harness {
    let mut o = options();
    o.dsn = true;
    Harness::ready(o, Answers::Manual)
}

fn events(h: &mut Harness) -> Vec<Event> {
    h.take_events()
        .into_iter()
        .filter(|e| !matches!(e, Event::CommandRejected { .. }))
        .collect()
}

#[test]
fn size_that_does_not_fit() {
    let mut h = ready();
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> SIZE=1234567890123456789012345\r\n"),
        "501 5.5.4 Bad message size syntax\r\n"
    );
    assert!(events(&mut h).is_empty());
}

#[test]
fn ipv4_address_literal() {
    let mut h = ready();
    h.send("MAIL FROM:<a@[127.0.0.1]>\r\n");
    let events = events(&mut h);
    let [Event::MailRequested { from, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(from.to_string(), "<a@[127.0.0.1]>");
    assert_eq!(
        from.mailbox().unwrap().address_literal(),
        Some(AddressLiteral::Ipv4([127, 0, 0, 1].into()))
    );
}

#[test]
fn bare_postmaster() {
    let mut h = ready();
    h.send("MAIL FROM:<>\r\n");
    let [Event::MailRequested { txn, .. }] = events(&mut h)[..] else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    h.send("RCPT TO:<postmaster>\r\n");
    let events = events(&mut h);
    let [Event::RcptRequested { to, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(*to, ForwardPath::Postmaster);
}

#[test]
fn quoted_local_part_with_a_space() {
    let mut h = ready();
    h.send("MAIL FROM:<\"a b\"@c.d>\r\n");
    let events = events(&mut h);
    let [Event::MailRequested { from, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    let m = from.mailbox().unwrap();
    assert_eq!(m.as_str(), "\"a b\"@c.d");
    assert_eq!(m.local_part_unquoted(), "a b");
}

#[test]
fn ehlo_reply_with_no_keywords() {
    let mut c = ClientHarness::new(smtp_proto::client::Options::default());
    c.feed("220 mx.example.org ESMTP\r\n");
    c.feed("250 mx.example.org\r\n");
    let events = c.take_events();
    let smtp_proto::client::Event::Ready {
        capabilities,
        esmtp,
    } = &events[1]
    else {
        panic!("{events:?}")
    };
    assert!(esmtp);
    assert_eq!(capabilities.domain(), "mx.example.org");
    assert!(capabilities.capabilities().is_empty());
}

#[test]
fn reply_text_with_crlf() {
    // Cannot be built, so cannot be sent.
    assert_eq!(
        Reply::new(ReplyCode::OK, None, "Ok\r\n250 forged"),
        Err(ValueError::InvalidOctet(b'\r'))
    );
    // And is not taken from a server.
    let mut c = ClientHarness::new(smtp_proto::client::Options::default());
    c.feed("220 mx.example.org\rESMTP\r\n");
    assert!(c.client.is_closed());
}

#[test]
fn notify_never_with_success() {
    let mut h = ready();
    h.send("MAIL FROM:<a@example.org>\r\n");
    let [Event::MailRequested { txn, .. }] = events(&mut h)[..] else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    h.output();
    assert_eq!(
        h.send("RCPT TO:<b@example.org> NOTIFY=NEVER,SUCCESS\r\n"),
        "501 5.5.4 Bad NOTIFY parameter syntax\r\n"
    );
}

#[test]
fn body_parameter_twice() {
    let mut h = ready();
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> BODY=8BITMIME BODY=8BITMIME\r\n"),
        "501 5.5.4 Error: duplicate parameter\r\n"
    );
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> BODY=\r\n"),
        "501 5.5.4 Error: bad parameter syntax\r\n"
    );
}

#[test]
fn starttls_with_an_argument() {
    let mut o = options();
    o.starttls = true;
    let mut h = Harness::ready(o, Answers::Manual);
    assert_eq!(
        h.send("STARTTLS extra\r\n"),
        "501 5.5.4 Syntax: STARTTLS\r\n"
    );
    assert!(!h.server.is_tls());
    assert!(events(&mut h).is_empty());
}

#[test]
fn nul_in_ehlo() {
    let mut h = Harness::new(options(), Answers::Manual);
    h.output();
    assert_eq!(
        h.send_bytes(b"EHLO a\0b\r\n"),
        "501 5.5.4 Syntax: EHLO hostname\r\n"
    );
    assert!(h.server.hello().is_none());
    assert!(h.send("EHLO ab\r\n").starts_with("250-"));
}

#[test]
fn auth_response_of_12000_octets() {
    let mut message = b"\0alice\0".to_vec();
    message.resize(8993, b'p');
    let response = STANDARD.encode(&message);
    assert_eq!(response.len(), 11_992);
    let mut h = ready();
    // As a continuation line...
    assert_eq!(h.send("AUTH PLAIN\r\n"), "334 \r\n");
    assert_eq!(h.send(&format!("{response}\r\n")), "");
    let got = events(&mut h);
    assert!(
        matches!(&got[..], [Event::AuthRequested { credentials }] if credentials.password().expose().len() == 8986)
    );
    h.server
        .auth_failed(Reply::AUTH_INVALID_CREDENTIALS)
        .unwrap();
    h.output();
    // ...and as an initial response.
    assert_eq!(h.send(&format!("AUTH PLAIN {response}\r\n")), "");
    assert!(matches!(events(&mut h)[..], [Event::AuthRequested { .. }]));
}

/// Found by the `smtp_reply` fuzz target: an EHLO reply from a server named
/// `2.0.0`, one of whose later lines starts with `2.0.0` too. The code
/// is not on every line, so it is no code (RFC 2034 §4) and each line keeps
/// its text; the reply encodes and reads back the same.
#[test]
fn ehlo_reply_from_a_server_named_like_a_status_code() {
    let wire = b"250-2.0.0 greets you\r\n250-PIPELINING\r\n250 2.0.0 SIZE 100\r\n";
    let (reply, used) = smtp_proto::decode::reply(wire).unwrap();
    assert_eq!(used, wire.len());
    assert_eq!(reply.enhanced(), None);
    let ehlo = smtp_proto::EhloReply::from_reply(&reply).unwrap();
    assert_eq!(ehlo.domain(), "2.0.0");
    assert_eq!(ehlo.greeting(), "greets you");
    let lines: Vec<String> = ehlo
        .capabilities()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines, ["PIPELINING", "2.0.0 SIZE 100"]);

    let mut out = bytes::BytesMut::new();
    smtp_proto::encode::ehlo_reply(&ehlo, &mut out);
    assert_eq!(&out[..], &wire[..]);
    let (again, _) = smtp_proto::decode::reply(&out).unwrap();
    assert_eq!(smtp_proto::EhloReply::from_reply(&again).unwrap(), ehlo);
}
