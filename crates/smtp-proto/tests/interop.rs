//! What Postfix's smtpd takes by default and RFC 5321 does not, taken by
//! the server too (its `envelope_quirks`, on by default), and refused when
//! the quirk is off.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::{Answers, Harness, options};
use smtp_proto::server::Event;
use smtp_proto::{ForwardPath, ReversePath};

fn senders(h: &mut Harness) -> Vec<ReversePath<'static>> {
    h.take_events()
        .into_iter()
        .filter_map(|e| match e {
            Event::MailRequested { from, .. } => Some(from),
            _ => None,
        })
        .collect()
}

#[test]
fn postfix_envelope_forms_are_taken() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // An unqualified postmaster as the sender (Postfix qualifies it with
    // $myorigin).
    assert_eq!(h.send("MAIL FROM:<postmaster>\r\n"), "250 2.1.0 Ok\r\n");
    assert_eq!(senders(&mut h), [ReversePath::Postmaster]);
    // A source route before a bare postmaster: the route is dropped.
    assert_eq!(
        h.send("RCPT TO:<@relay.example:postmaster>\r\n"),
        "250 2.1.5 Ok\r\n"
    );
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::RcptRequested {
            to: ForwardPath::Postmaster,
            ..
        }
    )));
    h.send("RSET\r\n");
    // An underscore in the domain (a Windows host name as a sender's
    // domain), and a path without brackets.
    assert_eq!(
        h.send("MAIL FROM:user@my_pc.example.org\r\n"),
        "250 2.1.0 Ok\r\n"
    );
    let from = senders(&mut h);
    assert_eq!(from[0].mailbox().unwrap().domain(), "my_pc.example.org");
    h.send("RSET\r\n");

    // EHLO with several words: Postfix joins them (collapse_args); the name
    // is not a domain, which only reject_invalid_hello refuses.
    assert!(
        h.send("EHLO my pc\r\n")
            .starts_with("250-mx.example.org\r\n")
    );
    let hello = h.server.hello().unwrap().1.clone();
    assert_eq!(hello.as_str(), "my pc");
    assert!(!hello.is_valid());
    assert!(h.send("EHLO my_pc\r\n").starts_with("250-"));
}

#[test]
fn without_the_quirks_they_are_refused() {
    let mut o = options();
    o.envelope_quirks = false;
    o.reject_invalid_hello = true;
    let mut h = Harness::ready(o, Answers::Auto);
    for line in [
        "MAIL FROM:<postmaster>\r\n",
        "MAIL FROM:<@relay.example:postmaster>\r\n",
        "MAIL FROM:user@example.org\r\n",
        "MAIL FROM:<user@my_pc.example.org>\r\n",
    ] {
        assert_eq!(
            h.send(line),
            "501 5.1.7 Bad sender address syntax\r\n",
            "{line}"
        );
    }
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(
        h.send("RCPT TO:<@relay.example:postmaster>\r\n"),
        "501 5.1.3 Bad recipient address syntax\r\n"
    );
    // What RFC 5321 has is still taken.
    assert_eq!(h.send("RCPT TO:<Postmaster>\r\n"), "250 2.1.5 Ok\r\n");
    assert_eq!(
        h.send("EHLO my pc\r\n"),
        "501 5.5.2 <my pc>: Helo command rejected: Invalid name\r\n"
    );
}
