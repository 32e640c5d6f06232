//! MAIL and RCPT: what reaches the application, the parameters of the
//! extensions, the recipient limit, SMTPUTF8, and the decisions' API.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use common::{Answers, Harness, options};
use smtp_proto::server::Event;
use smtp_proto::{AddressLiteral, ForwardPath, Notify, Reply, ReplyCode, ServerError};

fn mail_event(h: &mut Harness) -> Event {
    let mut events = h.take_events();
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

#[test]
fn parameters_reach_the_application() {
    let mut o = options();
    o.dsn = true;
    let mut h = Harness::ready(o, Answers::Manual);
    h.send("MAIL FROM:<a@example.org> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ314159\r\n");
    let Event::MailRequested { txn, from, params } = mail_event(&mut h) else {
        panic!()
    };
    assert_eq!(from.to_string(), "<a@example.org>");
    assert_eq!(params.size, Some(1000));
    assert_eq!(params.envid.unwrap().decode(), b"QQ314159");
    h.server.accept_mail(txn).unwrap();
    h.send("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.org\r\n");
    let Event::RcptRequested {
        txn: rcpt_txn,
        params,
        ..
    } = mail_event(&mut h)
    else {
        panic!()
    };
    assert_eq!(rcpt_txn, txn);
    assert_eq!(
        params.notify,
        Some(Notify {
            success: true,
            failure: true,
            delay: false
        })
    );
    assert_eq!(
        params.orcpt.unwrap().decoded_address().as_deref(),
        Some("b@example.org")
    );
}

#[test]
fn parameters_of_unannounced_extensions_get_555() {
    let mut h = Harness::ready(options(), Answers::Auto);
    for (line, keyword) in [
        ("MAIL FROM:<a@example.org> RET=FULL", "RET"),
        ("MAIL FROM:<a@example.org> ENVID=x", "ENVID"),
        ("MAIL FROM:<a@example.org> BODY=BINARYMIME", "BODY"),
        ("MAIL FROM:<a@example.org> REQUIRETLS", "REQUIRETLS"),
        ("MAIL FROM:<a@example.org> MT-PRIORITY=3", "MT-PRIORITY"),
        ("MAIL FROM:<a@example.org> X-FOO=bar", "X-FOO"),
    ] {
        assert_eq!(
            h.send(&format!("{line}\r\n")),
            format!("555 5.5.4 Unsupported option: {keyword}\r\n"),
            "{line}"
        );
    }
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(
        h.send("RCPT TO:<b@example.org> NOTIFY=NEVER\r\n"),
        "555 5.5.4 Unsupported option: NOTIFY\r\n"
    );
    assert_eq!(
        h.send("RCPT TO:<b@example.org> X-BAR\r\n"),
        "555 5.5.4 Unsupported option: X-BAR\r\n"
    );
    // After HELO, no parameter at all (RFC 5321 §4.1.1.11).
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    h.send("HELO c\r\n");
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> SIZE=10\r\n"),
        "555 5.5.4 Unsupported option: SIZE\r\n"
    );
    // Parameters the application declares pass through.
    let mut o = options();
    o.extra_parameters = vec!["X-FOO".into()];
    o.mt_priority = true;
    let mut h = Harness::ready(o, Answers::Manual);
    h.send("MAIL FROM:<a@example.org> x-foo=bar MT-PRIORITY=-2\r\n");
    let Event::MailRequested { params, .. } = mail_event(&mut h) else {
        panic!()
    };
    assert_eq!(params.other[0].keyword(), "x-foo");
    assert_eq!(params.mt_priority, Some(-2));
}

#[test]
fn size_declarations() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // RFC 1870 §6.1: over the fixed limit, 552 5.3.4.
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> SIZE=10240001\r\n"),
        "552 5.3.4 Message size exceeds fixed limit\r\n"
    );
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> SIZE=10240000\r\n"),
        "250 2.1.0 Ok\r\n"
    );
    h.send("RSET\r\n");
    // A number that does not fit is a syntax error, never wrapped.
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> SIZE=1234567890123456789012345\r\n"),
        "501 5.5.4 Bad message size syntax\r\n"
    );
    assert_eq!(
        h.send("MAIL FROM:<a@example.org> SIZE=18446744073709551616\r\n"),
        "501 5.5.4 Bad message size syntax\r\n"
    );
}

#[test]
fn syntax_errors_by_part() {
    let mut h = Harness::ready(options(), Answers::Auto);
    for (line, reply) in [
        ("MAIL FROM:<a b@c>", "501 5.1.7 Bad sender address syntax"),
        // (`<postmaster>` as a sender is Postfix's quirk: tests/interop.rs.)
        ("MAIL FROM:<a@b..c>", "501 5.1.7 Bad sender address syntax"),
        ("MAIL FROM <a@b.c>", "501 5.5.4 Syntax: MAIL FROM:<address>"),
        (
            "MAIL FROM:<a@b.c> BODY=8BITMIME BODY=7BIT",
            "501 5.5.4 Error: duplicate parameter",
        ),
        (
            "MAIL FROM:<a@b.c> BODY=",
            "501 5.5.4 Error: bad parameter syntax",
        ),
        (
            "MAIL FROM:<a@b.c> BODY=9BIT",
            "501 5.5.4 Bad BODY keyword value",
        ),
    ] {
        assert_eq!(
            h.send(&format!("{line}\r\n")),
            format!("{reply}\r\n"),
            "{line}"
        );
    }
    h.send("MAIL FROM:<a@example.org>\r\n");
    for (line, reply) in [
        ("RCPT TO:<>", "501 5.1.3 Bad recipient address syntax"),
        ("RCPT TO:<@x>", "501 5.1.3 Bad recipient address syntax"),
        ("RCPT TO <a@b.c>", "501 5.5.4 Syntax: RCPT TO:<address>"),
        (
            "RCPT TO:<b@example.org> NOTIFY=NEVER,SUCCESS",
            "501 5.5.4 Bad NOTIFY parameter syntax",
        ),
    ] {
        assert_eq!(
            h.send(&format!("{line}\r\n")),
            format!("{reply}\r\n"),
            "{line}"
        );
    }
}

#[test]
fn addresses_reach_the_application_intact() {
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<a@[127.0.0.1]>\r\n");
    let Event::MailRequested { txn, from, .. } = mail_event(&mut h) else {
        panic!()
    };
    assert_eq!(
        from.mailbox().unwrap().address_literal(),
        Some(AddressLiteral::Ipv4([127, 0, 0, 1].into()))
    );
    h.server.accept_mail(txn).unwrap();
    for (line, check) in [
        ("RCPT TO:<postmaster>", "<Postmaster>"),
        ("RCPT TO:<\"a b\"@example.org>", "<\"a b\"@example.org>"),
        ("RCPT TO:<@relay.example:c@example.org>", "<c@example.org>"),
        ("RCPT TO:<d@[IPv6:2001:db8::1]>", "<d@[IPv6:2001:db8::1]>"),
    ] {
        h.feed(&format!("{line}\r\n"));
        let Event::RcptRequested { id, to, .. } = mail_event(&mut h) else {
            panic!()
        };
        assert_eq!(to.to_string(), check);
        if line.contains("postmaster") {
            assert_eq!(to, ForwardPath::Postmaster);
        }
        h.server.accept_rcpt(id).unwrap();
    }
    assert_eq!(
        h.output(),
        "250 2.1.0 Ok\r\n".to_owned() + &"250 2.1.5 Ok\r\n".repeat(4)
    );
}

#[test]
fn utf8_addresses_need_smtputf8() {
    let mut h = Harness::ready(options(), Answers::Auto);
    // RFC 6531 §3.5: 550 for MAIL, 553 for RCPT, with 5.6.7.
    assert_eq!(
        h.send("MAIL FROM:<jöran@example.org>\r\n"),
        "550 5.6.7 Must declare SMTPUTF8 to send unicode address\r\n"
    );
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(
        h.send("RCPT TO:<δοκιμή@example.org>\r\n"),
        "553 5.6.7 Must declare SMTPUTF8 to send unicode address\r\n"
    );
    h.send("RSET\r\n");
    assert_eq!(
        h.send("MAIL FROM:<jöran@example.org> SMTPUTF8\r\n"),
        "250 2.1.0 Ok\r\n"
    );
    assert_eq!(
        h.send("RCPT TO:<δοκιμή@example.org>\r\n"),
        "250 2.1.5 Ok\r\n"
    );
    // Without SMTPUTF8 announced, the parameter itself is refused.
    let mut o = options();
    o.smtputf8 = false;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("MAIL FROM:<jöran@example.org> SMTPUTF8\r\n"),
        "555 5.5.4 Unsupported option: SMTPUTF8\r\n"
    );
}

#[test]
fn recipient_limit() {
    let mut o = options();
    o.max_recipients = 2;
    let mut h = Harness::ready(o, Answers::Auto);
    h.send("MAIL FROM:<a@example.org>\r\n");
    assert_eq!(h.send("RCPT TO:<b@example.org>\r\n"), "250 2.1.5 Ok\r\n");
    assert_eq!(
        h.send("RCPT TO:<unknown@example.org>\r\n"),
        "550 5.1.1 Recipient address rejected: User unknown\r\n"
    );
    assert_eq!(h.send("RCPT TO:<c@example.org>\r\n"), "250 2.1.5 Ok\r\n");
    // RFC 5321 §4.5.3.1.10: 452, not 552.
    assert_eq!(
        h.send("RCPT TO:<d@example.org>\r\n"),
        "452 4.5.3 Error: too many recipients\r\n"
    );
    // The default is Postfix's 1000.
    assert_eq!(smtp_proto::server::Options::default().max_recipients, 1000);
}

#[test]
fn rejected_mail_ends_the_transaction() {
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<spammer@example.com>\r\n");
    let Event::MailRequested { txn, .. } = mail_event(&mut h) else {
        panic!()
    };
    let reply = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, None, "Sender rejected").unwrap();
    let foreign = foreign_rcpt();
    assert_eq!(
        h.server.accept_rcpt(foreign),
        Err(ServerError::NoRcptPending)
    );
    assert_eq!(
        h.server.reject_mail(txn, Reply::OK),
        Err(ServerError::WrongReplyCode)
    );
    h.server.reject_mail(txn, reply).unwrap();
    assert_eq!(h.output(), "550 Sender rejected\r\n");
    assert_eq!(h.server.accept_mail(txn), Err(ServerError::NoMailPending));
    assert_eq!(
        h.send("RCPT TO:<b@example.org>\r\n"),
        "503 5.5.1 Error: need MAIL command\r\n"
    );
}

/// An id of a recipient that is not pending: one from another session.
fn foreign_rcpt() -> smtp_proto::server::RcptId {
    let mut other = Harness::ready(options(), Answers::Manual);
    other.send("MAIL FROM:<a@example.org>\r\n");
    let Event::MailRequested { txn, .. } = mail_event(&mut other) else {
        panic!()
    };
    other.server.accept_mail(txn).unwrap();
    other.send("RCPT TO:<b@example.org>\r\n");
    let Event::RcptRequested { id, .. } = mail_event(&mut other) else {
        panic!()
    };
    id
}

#[test]
fn recipient_decisions() {
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n");
    let Event::MailRequested { txn, .. } = mail_event(&mut h) else {
        panic!()
    };
    h.server.accept_mail(txn).unwrap();
    let Event::RcptRequested { id, .. } = mail_event(&mut h) else {
        panic!()
    };
    assert_eq!(
        h.server.reject_rcpt(id, Reply::OK),
        Err(ServerError::WrongReplyCode)
    );
    h.server.reject_rcpt(id, Reply::RELAY_DENIED).unwrap();
    assert_eq!(h.server.accept_rcpt(id), Err(ServerError::NoRcptPending));
    assert_eq!(
        h.output(),
        "250 2.1.0 Ok\r\n554 5.7.1 Relay access denied\r\n"
    );
}
