//! No value can make an encoder write a line break, a NUL or another octet
//! outside the grammar: every type the encoders write as is refuses them
//! when it is built (parse, don't validate). One test per type.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use bytes::BytesMut;
use smtp_proto::server::{Options, Server};
use smtp_proto::{
    Capability, Domain, EhloReply, Host, Mailbox, Mechanism, Orcpt, Parameter, Reply, ReplyCode,
    Text, ValueError, Word, XText, encode,
};

/// What must never get into a line.
const BREAKS: [&str; 5] = ["a\rb", "a\nb", "a\0b", "a\r\nb", "a\x1bb"];

fn refused<T: std::fmt::Debug>(r: Result<T, ValueError>, what: &str, input: &str) {
    assert!(r.is_err(), "{what} took {input:?}: {r:?}");
}

#[test]
fn the_forged_ehlo_line_of_the_review() {
    // `Options::hostname = "mx\r\n250 forged"` wrote a line of its own into
    // the EHLO reply. The name is a Domain now, and it refuses it.
    assert_eq!(
        Domain::try_from("mx\r\n250 forged"),
        Err(ValueError::InvalidOctet(b'\r'))
    );
    // EhloReply refuses it too, however it is built.
    assert!(EhloReply::parse_lines(["mx\r\n250 forged"]).is_err());
    assert!(Host::try_from("mx\r\n250 forged").is_err());
    // What a server with a good name sends: one line per keyword, no more.
    let mut o = Options::default();
    o.hostname = Domain::try_from("mx.example.org").unwrap().into_owned();
    o.starttls = false;
    let now = std::time::Instant::now();
    let mut server = Server::new(o, now);
    let mut out = BytesMut::new();
    server.poll_transmit(&mut out);
    assert_eq!(&out[..], b"220 mx.example.org ESMTP\r\n");
    out.clear();
    server.handle_input(b"EHLO c\r\n");
    server.poll_transmit(&mut out);
    let text = String::from_utf8(out.to_vec()).unwrap();
    assert!(text.starts_with("250-mx.example.org\r\n"), "{text}");
    assert!(text.lines().all(|l| l.starts_with("250")), "{text}");
}

#[test]
fn domains() {
    for s in BREAKS
        .iter()
        .chain(&["", "a b", "a..b", "-a", "a-", ".", "a_b", "[1.2.3.4]"])
    {
        refused(Domain::try_from(*s), "Domain", s);
    }
    assert!(Domain::try_from("mx.example.org").is_ok());
}

#[test]
fn hosts() {
    for s in BREAKS.iter().chain(&["", " a", "a ", "a  b"]) {
        refused(Host::try_from(*s), "Host", s);
    }
}

#[test]
fn texts() {
    for s in BREAKS.iter().chain(&["a\x7fb"]) {
        refused(Text::try_from(*s), "Text", s);
    }
    assert!(Text::try_from("tab\tand spaces").is_ok());
}

#[test]
fn words_and_capabilities() {
    for s in BREAKS.iter().chain(&["", "a b", "a\tb"]) {
        refused(Word::try_from(*s), "Word", s);
        refused(Capability::other(s, &[]), "Capability::other keyword", s);
        refused(Capability::other("X-K", &[s]), "Capability::other param", s);
    }
    for s in BREAKS {
        refused(Capability::parse(s), "Capability::parse", s);
        refused(
            Capability::parse(&format!("SIZE {s}")),
            "Capability::parse",
            s,
        );
    }
    // An EHLO keyword starts with a letter or digit (RFC 5321 §4.1.1.1).
    refused(Capability::other("-X", &[]), "Capability::other", "-X");
}

#[test]
fn ehlo_replies() {
    for s in BREAKS {
        refused(EhloReply::parse_lines([s]), "EhloReply domain", s);
        refused(
            EhloReply::parse_lines(["mx.example.org", s]),
            "EhloReply line",
            s,
        );
        let greeting = format!("mx.example.org {s}");
        refused(
            EhloReply::parse_lines([greeting.as_str()]),
            "EhloReply greeting",
            s,
        );
    }
}

#[test]
fn mailboxes() {
    for s in BREAKS {
        let addr = format!("{s}@example.org");
        refused(Mailbox::try_from(addr.as_str()), "Mailbox", &addr);
        let addr = format!("a@{s}");
        refused(Mailbox::try_from(addr.as_str()), "Mailbox domain", &addr);
        refused(Mailbox::new(s, "example.org"), "Mailbox::new", s);
        refused(Mailbox::new("a", s), "Mailbox::new domain", s);
    }
    for s in ["a b@c.d", "<a@b.c>", "a@b c", "a@", "@b"] {
        refused(Mailbox::try_from(s), "Mailbox", s);
    }
}

#[test]
fn parameters() {
    for s in BREAKS.iter().chain(&["", "a b", "a=b"]) {
        refused(Parameter::new(*s, None::<&str>), "Parameter keyword", s);
        refused(Parameter::new("X-K", Some(*s)), "Parameter value", s);
        refused(XText::try_from(*s), "XText", s);
        refused(Orcpt::new("rfc822", *s), "Orcpt address", s);
        refused(Orcpt::new(*s, "a@b.c"), "Orcpt type", s);
        refused(Orcpt::new("utf-8", *s), "Orcpt utf-8 address", s);
    }
}

#[test]
fn mechanisms() {
    for s in BREAKS
        .iter()
        .chain(&["", "A B", "A=B", "ABCDEFGHIJKLMNOPQRSTU"])
    {
        refused(Mechanism::new(s), "Mechanism", s);
    }
}

#[test]
fn replies() {
    for s in BREAKS {
        refused(Reply::new(ReplyCode::OK, None, s.to_owned()), "Reply", s);
        refused(
            Reply::multiline(ReplyCode::OK, None, ["ok", s]),
            "Reply line",
            s,
        );
    }
}

#[test]
fn what_exists_encodes_to_whole_lines() {
    // Each free value at its most awkward, encoded: every line ends in CRLF
    // and holds no other CR or LF.
    let mut out = BytesMut::new();
    let ehlo = EhloReply::new(
        Host::try_from("[IPv6:::1]").unwrap(),
        Text::try_from("hi\tthere ünïcode").unwrap(),
        vec![
            Capability::other("X-K", &["!\"#$%&'()*+,-./"]).unwrap(),
            Capability::MtPriority(Some(Word::try_from("MIXER").unwrap())),
        ],
    );
    encode::ehlo_reply(&ehlo, &mut out);
    let cmd = smtp_proto::Command::Vrfy {
        argument: Text::try_from("\"Smith, J\"\t<x>").unwrap(),
    };
    encode::command(&cmd, &mut out);
    for line in out.split_inclusive(|&b| b == b'\n') {
        assert!(line.ends_with(b"\r\n"), "{line:?}");
        let body = &line[..line.len() - 2];
        assert!(!body.contains(&b'\r') && !body.contains(&b'\n'), "{line:?}");
    }
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 4);
}
