//! The writing side: values built by a caller, the bytes they become.

use bytes::BytesMut;

use super::*;
use crate::{
    Capability, Host, Mailbox, Mechanism, Notify, Orcpt, RcptParameters, Secret, Text, XText,
};

fn line(cmd: Command<'_>) -> String {
    let mut out = BytesMut::new();
    command(&cmd, &mut out);
    String::from_utf8(out.to_vec()).unwrap()
}

#[test]
fn commands_from_values() {
    assert_eq!(
        line(Command::Ehlo {
            host: Host::try_from("bar.com").unwrap()
        }),
        "EHLO bar.com\r\n"
    );
    assert_eq!(
        line(Command::Rcpt {
            to: ForwardPath::Mailbox(Mailbox::new("Joe,Smith", "x.y").unwrap()),
            params: RcptParameters::default().into(),
        }),
        "RCPT TO:<\"Joe,Smith\"@x.y>\r\n"
    );
    let params = RcptParameters {
        notify: Some(Notify::NEVER),
        orcpt: Some(Orcpt::rfc822("a+b@x.y").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        line(Command::Rcpt {
            to: ForwardPath::Postmaster,
            params: params.into(),
        }),
        "RCPT TO:<Postmaster> NOTIFY=NEVER ORCPT=rfc822;a+2Bb@x.y\r\n"
    );
    let params = MailParameters {
        mt_priority: Some(-9),
        auth: Some(XText::encode(b"<>").unwrap()),
        ..Default::default()
    };
    assert_eq!(
        line(Command::Mail {
            from: ReversePath::Null,
            params: params.into()
        }),
        "MAIL FROM:<> AUTH=<> MT-PRIORITY=-9\r\n"
    );
    assert_eq!(
        line(Command::Auth {
            mechanism: Mechanism::PLAIN,
            initial_response: Some(Secret::new(b"\0user\0pass".to_vec())),
        }),
        "AUTH PLAIN AHVzZXIAcGFzcw==\r\n"
    );
    assert_eq!(
        line(Command::Auth {
            mechanism: Mechanism::EXTERNAL,
            initial_response: Some(Secret::new(vec![])),
        }),
        "AUTH EXTERNAL =\r\n"
    );
    assert_eq!(
        line(Command::Noop {
            argument: Some(Text::default())
        }),
        "NOOP\r\n"
    );
}

#[test]
fn free_text_cannot_inject_a_command() {
    // The argument is a Text: a line break cannot get into one.
    assert!(Text::try_from("x\r\nRSET").is_err());
    assert_eq!(
        line(Command::Vrfy {
            argument: Text::try_from("Smith").unwrap()
        }),
        "VRFY Smith\r\n"
    );
    assert_eq!(
        line(Command::Help {
            topic: Some(Text::from_static("a\tb"))
        }),
        "HELP a\tb\r\n"
    );
}

#[test]
fn replies() {
    let mut out = BytesMut::new();
    reply(&Reply::RECIPIENT_OK, &mut out);
    reply_plain(&Reply::RECIPIENT_OK, &mut out);
    challenge(b"Username:", &mut out);
    challenge(b"", &mut out);
    sasl_response(&SaslResponse::Cancel, &mut out);
    sasl_response(&SaslResponse::Data(Secret::new(b"x".to_vec())), &mut out);
    assert_eq!(
        &out[..],
        b"250 2.1.5 Ok\r\n250 Ok\r\n334 VXNlcm5hbWU6\r\n334 \r\n*\r\neA==\r\n"
    );
    let r = Reply::multiline(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        Some(EnhancedCode::SYSTEM_NOT_ACCEPTING),
        ["mail.example.org", "Service shutting down"],
    )
    .unwrap();
    let mut out = BytesMut::new();
    reply(&r, &mut out);
    assert_eq!(
        &out[..],
        b"421-4.3.2 mail.example.org\r\n421 4.3.2 Service shutting down\r\n"
    );
}

#[test]
fn ehlo_replies() {
    let ehlo = EhloReply::new(
        Host::try_from("foo.com").unwrap(),
        Text::from_static("greets bar.com"),
        vec![
            Capability::EightBitMime,
            Capability::Size(None),
            Capability::Dsn,
            Capability::Help,
        ],
    );
    let mut out = BytesMut::new();
    ehlo_reply(&ehlo, &mut out);
    // RFC 5321 appendix D.1, byte for byte.
    assert_eq!(
        &out[..],
        b"250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n"
    );
}
