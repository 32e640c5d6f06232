//! AUTH (RFC 4954): PLAIN and LOGIN run by the server, credentials decided
//! by the application, the exchange's errors, and the policy options.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answers, Harness, options};
use smtp_proto::server::{Credentials, Event};
use smtp_proto::{Reply, ReplyCode, ServerError};

fn b64(data: &[u8]) -> String {
    STANDARD.encode(data)
}

fn credentials(h: &mut Harness) -> Credentials {
    let events = h.take_events();
    match events.into_iter().next() {
        Some(Event::AuthRequested { credentials }) => credentials,
        other => panic!("{other:?}"),
    }
}

#[test]
fn login_prompts_and_credentials() {
    let mut h = Harness::ready(options(), Answers::Manual);
    // LOGIN's prompts: "Username:" and "Password:" in base64.
    assert_eq!(h.send("AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(
        h.send(&format!("{}\r\n", b64(b"alice"))),
        "334 UGFzc3dvcmQ6\r\n"
    );
    assert_eq!(h.send(&format!("{}\r\n", b64(b"pass word"))), "");
    let Credentials::Login { username, password } = credentials(&mut h) else {
        panic!()
    };
    assert_eq!(username, "alice");
    assert_eq!(password.expose(), b"pass word");
    h.server.auth_succeeded().unwrap();
    assert_eq!(h.output(), "235 2.7.0 Authentication successful\r\n");
    // RFC 4954 §4: no AUTH after a successful one.
    assert_eq!(
        h.send("AUTH LOGIN\r\n"),
        "503 5.5.1 Error: already authenticated\r\n"
    );
    // With the user name as an initial response.
    let mut h = Harness::ready(options(), Answers::Auto);
    assert_eq!(
        h.send(&format!("AUTH LOGIN {}\r\n", b64(b"bob"))),
        "334 UGFzc3dvcmQ6\r\n"
    );
    assert_eq!(
        h.send(&format!("{}\r\n", b64(b"secret"))),
        "235 2.7.0 Authentication successful\r\n"
    );
}

#[test]
fn plain_credentials() {
    let mut h = Harness::ready(options(), Answers::Manual);
    h.send(&format!("auth plain {}\r\n", b64(b"admin\0alice\0pw")));
    let Credentials::Plain {
        authzid,
        authcid,
        password,
    } = credentials(&mut h)
    else {
        panic!()
    };
    assert_eq!(
        (authzid.as_deref(), authcid.as_str()),
        (Some("admin"), "alice")
    );
    assert_eq!(password.expose(), b"pw");
    // A login refused: the client may try again.
    h.server
        .auth_failed(Reply::AUTH_INVALID_CREDENTIALS)
        .unwrap();
    assert_eq!(h.output(), "535 5.7.8 Error: authentication failed\r\n");
    assert!(!h.server.is_authenticated());
    h.send(&format!("AUTH PLAIN {}\r\n", b64(b"\0alice\0pw2")));
    assert!(matches!(
        credentials(&mut h),
        Credentials::Plain { authzid: None, .. }
    ));
    h.server.auth_failed(Reply::AUTH_TEMPORARY_FAILURE).unwrap();
    assert_eq!(h.output(), "454 4.7.0 Temporary authentication failure\r\n");
    // Passwords stay out of logs.
    h.send(&format!("AUTH PLAIN {}\r\n", b64(b"\0alice\0hunter2")));
    let logged = format!("{:?}", h.take_events());
    assert!(
        !logged.contains("hunter2") && logged.contains("<redacted>"),
        "{logged}"
    );
}

#[test]
fn malformed_plain_messages_fail() {
    for message in [
        &b""[..],
        b"alice",
        b"\0alice",
        b"\0\0pw",
        b"\0alice\0",
        b"\0al\xffce\0pw",
    ] {
        let mut h = Harness::ready(options(), Answers::Manual);
        let ir = if message.is_empty() {
            "=".to_owned()
        } else {
            b64(message)
        };
        assert_eq!(
            h.send(&format!("AUTH PLAIN {ir}\r\n")),
            "535 5.7.8 Error: authentication failed\r\n",
            "{message:?}"
        );
        assert!(
            h.take_events()
                .iter()
                .all(|e| !matches!(e, Event::AuthRequested { .. }))
        );
    }
}

#[test]
fn cancel_and_bad_base64() {
    let mut h = Harness::ready(options(), Answers::Auto);
    h.send("AUTH LOGIN\r\n");
    // RFC 4954 §4: "*" cancels with 501.
    assert_eq!(h.send("*\r\n"), "501 5.7.0 Authentication aborted\r\n");
    h.send("AUTH PLAIN\r\n");
    // RFC 4954 §4: undecodable base64 is 501 5.5.2.
    assert_eq!(
        h.send("not base64!\r\n"),
        "501 5.5.2 Cannot decode response\r\n"
    );
    assert_eq!(
        h.send("AUTH PLAIN =AAA\r\n"),
        "501 5.5.2 Cannot decode response\r\n"
    );
    // The session goes on.
    assert_eq!(
        h.send(&format!("AUTH PLAIN {}\r\n", b64(b"\0u\0secret"))),
        "235 2.7.0 Authentication successful\r\n"
    );
}

#[test]
fn long_responses() {
    // A 12 000-octet AUTH command line (RFC 4954 §4: 12 288 octets suffice).
    let mut password = vec![b'p'; 8990];
    password.splice(0..0, b"\0user\0".iter().copied());
    let line = format!("AUTH PLAIN {}\r\n", b64(&password));
    assert!(line.len() > 12_000 && line.len() < 12_288, "{}", line.len());
    let mut h = Harness::ready(options(), Answers::Manual);
    assert_eq!(h.send(&line), "");
    assert_eq!(credentials(&mut h).password().expose().len(), 8990);
    // And as a continuation line, which the server says it expects.
    let mut h = Harness::ready(options(), Answers::Manual);
    assert!(!h.server.expects_auth_response());
    h.send("AUTH PLAIN\r\n");
    assert!(h.server.expects_auth_response());
    assert_eq!(h.send(&line[11..]), "");
    assert!(!h.server.expects_auth_response());
    assert!(matches!(credentials(&mut h), Credentials::Plain { .. }));
    // Longer than that: 500 5.5.6 (RFC 4954 §4), the session goes on.
    let mut h = Harness::ready(options(), Answers::Auto);
    h.send("AUTH PLAIN\r\n");
    assert_eq!(
        h.send(&format!("{}\r\nNOOP\r\n", "A".repeat(13_000))),
        "500 5.5.6 Authentication Exchange line is too long\r\n250 2.0.0 Ok\r\n"
    );
    // Other commands keep the 2048 limit.
    assert_eq!(
        h.send(&format!("NOOP {}\r\n", "x".repeat(3000))),
        "500 5.5.2 Error: line too long\r\n"
    );
}

#[test]
fn refusals_by_state_and_mechanism() {
    let mut h = Harness::ready(options(), Answers::Auto);
    assert_eq!(
        h.send("AUTH CRAM-MD5\r\n"),
        "504 5.5.4 Unrecognized authentication type\r\n"
    );
    assert_eq!(h.send("AUTH\r\n"), "501 5.5.4 Syntax: AUTH mechanism\r\n");
    h.send("MAIL FROM:<a@example.org>\r\n");
    // RFC 4954 §4: not during a transaction.
    assert_eq!(
        h.send("AUTH PLAIN\r\n"),
        "503 5.5.1 Error: MAIL transaction in progress\r\n"
    );
    // Not after HELO, which announces no extension.
    let mut h = Harness::new(options(), Answers::Auto);
    h.output();
    h.send("HELO c\r\n");
    assert_eq!(
        h.send("AUTH PLAIN\r\n"),
        "503 5.5.1 Error: authentication not enabled\r\n"
    );
    // Not at all when no mechanism is configured.
    let mut o = options();
    o.auth_mechanisms.clear();
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("AUTH PLAIN\r\n"),
        "503 5.5.1 Error: authentication not enabled\r\n"
    );
    // Only the configured ones.
    let mut o = options();
    o.auth_mechanisms = vec![smtp_proto::Mechanism::PLAIN];
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("AUTH LOGIN\r\n"),
        "504 5.5.4 Unrecognized authentication type\r\n"
    );
}

#[test]
fn auth_required_before_mail() {
    let mut o = options();
    o.auth_required = true;
    let mut h = Harness::ready(o, Answers::Auto);
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "530 5.7.0 Authentication required\r\n"
    );
    assert_eq!(
        h.send("VRFY a\r\n"),
        "530 5.7.0 Authentication required\r\n"
    );
    assert_eq!(
        h.send(&format!("AUTH PLAIN {}\r\n", b64(b"\0u\0wrong"))),
        "535 5.7.8 Error: authentication failed\r\n"
    );
    assert_eq!(
        h.send("MAIL FROM:<a@example.org>\r\n"),
        "530 5.7.0 Authentication required\r\n"
    );
    h.send(&format!("AUTH PLAIN {}\r\n", b64(b"\0u\0secret")));
    assert_eq!(h.send("MAIL FROM:<a@example.org>\r\n"), "250 2.1.0 Ok\r\n");
}

#[test]
fn decisions_out_of_turn() {
    let mut h = Harness::ready(options(), Answers::Manual);
    assert_eq!(h.server.auth_succeeded(), Err(ServerError::NoAuthPending));
    h.send(&format!("AUTH PLAIN {}\r\n", b64(b"\0u\0p")));
    assert_eq!(
        h.server.auth_failed(Reply::OK),
        Err(ServerError::WrongReplyCode)
    );
    h.server
        .auth_failed(Reply::new(ReplyCode::AUTH_TOO_WEAK, None, "too weak").unwrap())
        .unwrap();
    assert_eq!(h.output(), "534 too weak\r\n");
    assert_eq!(
        h.server.auth_failed(Reply::AUTH_INVALID_CREDENTIALS),
        Err(ServerError::NoAuthPending)
    );
}
