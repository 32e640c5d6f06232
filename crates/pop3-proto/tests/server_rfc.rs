//! The server replayed against the RFCs' examples, byte for byte.
//!
//! Where an RFC fixes the bytes (status indicators, drop and scan listings,
//! unique-id listings, `N octets` after RETR, capability lines, challenges)
//! the server sends exactly the RFC's bytes. Where the RFC's text is an
//! example of free text ("+OK mrose's maildrop has 2 messages (320 octets)")
//! the server sends Dovecot's text instead, and the comment quotes the RFC.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]

mod common;

use bytes::Bytes;
use common::{ServerHarness, maildrop, message, plaintext_options};
use pop3_proto::server::{Credentials, Event, LoginFailure, Options};
use pop3_proto::{Mechanism, MessageNumber, Secret};

/// MD5("<1896.697170952@dbc.mtview.ca.us>tanstaaf"), RFC 1939 §7.
const RFC1939_DIGEST: [u8; 16] = [
    0xc4, 0xc9, 0x33, 0x4b, 0xac, 0x56, 0x0e, 0xcc, 0x97, 0x9e, 0x58, 0x00, 0x1b, 0x3e, 0x22, 0xfb,
];

fn n(n: u32) -> MessageNumber {
    MessageNumber::new(n).unwrap()
}

/// Answers an APOP login as an application with the shared secret would:
/// the digest must be MD5(timestamp + secret).
fn answer_apop(h: &mut ServerHarness, sizes: &[u64]) {
    let events = h.take_events();
    let [Event::LoginRequested { credentials }] = &events[..] else {
        panic!("{events:?}");
    };
    let Credentials::Apop {
        user,
        digest,
        timestamp,
    } = credentials
    else {
        panic!("{credentials:?}");
    };
    assert_eq!(user, "mrose");
    assert_eq!(
        timestamp.digest_input(b"tanstaaf"),
        b"<1896.697170952@dbc.mtview.ca.us>tanstaaf"
    );
    assert!(digest.matches(&RFC1939_DIGEST));
    h.server.login_succeeded(maildrop(sizes)).unwrap();
}

/// RFC 1939 §10, the example POP3 session.
#[test]
fn rfc1939_section_10_example_session() {
    let mut h = ServerHarness::with_apop(Options::default(), "<1896.697170952@dbc.mtview.ca.us>");
    // S:    +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
    assert_eq!(
        h.output(),
        "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n"
    );
    // C:    APOP mrose c4c9334bac560ecc979e58001b3e22fb
    assert_eq!(
        h.send("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
        ""
    );
    answer_apop(&mut h, &[120, 200]);
    // RFC: +OK mrose's maildrop has 2 messages (320 octets)
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    // C:    STAT
    // S:    +OK 2 320
    assert_eq!(h.send("STAT\r\n"), "+OK 2 320\r\n");
    // C:    LIST
    // S:    +OK 2 messages (320 octets)   (Dovecot: "+OK 2 messages:")
    // S:    1 120
    // S:    2 200
    // S:    .
    assert_eq!(
        h.send("LIST\r\n"),
        "+OK 2 messages:\r\n1 120\r\n2 200\r\n.\r\n"
    );
    // C:    RETR 1
    // S:    +OK 120 octets
    // S:    <the POP3 server sends message 1>
    // S:    .
    assert_eq!(h.send("RETR 1\r\n"), "");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::BodyRequested { message, lines: None }] if *message == n(1)
    ));
    let first = message(120);
    h.server.send_body(first.clone()).unwrap();
    let expected = format!(
        "+OK 120 octets\r\n{}.\r\n",
        std::str::from_utf8(&first).unwrap()
    );
    assert_eq!(h.output(), expected);
    // C:    DELE 1
    // S:    +OK message 1 deleted   (Dovecot: "+OK Marked to be deleted.")
    assert_eq!(h.send("DELE 1\r\n"), "+OK Marked to be deleted.\r\n");
    // C:    RETR 2
    // S:    +OK 200 octets
    assert_eq!(h.send("RETR 2\r\n"), "");
    h.take_events();
    let second = message(200);
    h.server.send_body(second.clone()).unwrap();
    let expected = format!(
        "+OK 200 octets\r\n{}.\r\n",
        std::str::from_utf8(&second).unwrap()
    );
    assert_eq!(h.output(), expected);
    // C:    DELE 2
    assert_eq!(h.send("DELE 2\r\n"), "+OK Marked to be deleted.\r\n");
    // C:    QUIT
    // S:    +OK dewey POP3 server signing off (maildrop empty)
    //       (Dovecot: "+OK Logging out, messages deleted.")
    assert_eq!(h.send("QUIT\r\n"), "");
    let events = h.take_events();
    let [Event::UpdateRequested { deleted }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(deleted, &[n(1), n(2)]);
    h.server.update_succeeded().unwrap();
    assert_eq!(h.output(), "+OK Logging out, messages deleted.\r\n");
    assert!(h.server.is_closed());
    assert!(matches!(&h.take_events()[..], [Event::Closed { .. }]));
}

fn logged_in(sizes: &[u64]) -> ServerHarness {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER mrose\r\nPASS secret\r\n");
    let events = h.take_events();
    assert!(
        matches!(&events[..], [Event::LoginRequested { .. }]),
        "{events:?}"
    );
    h.server.login_succeeded(maildrop(sizes)).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    h
}

/// RFC 1939 §4, QUIT in the AUTHORIZATION state: no UPDATE state.
#[test]
fn rfc1939_quit_in_authorization() {
    let mut h = ServerHarness::new(Options::default());
    h.output();
    // S: +OK dewey POP3 server signing off   (Dovecot: "+OK Logging out")
    assert_eq!(h.send("QUIT\r\n"), "+OK Logging out\r\n");
    assert!(h.server.is_closed());
    let events = h.take_events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::UpdateRequested { .. })),
        "{events:?}"
    );
}

/// RFC 1939 §5, STAT and LIST examples.
#[test]
fn rfc1939_stat_and_list() {
    let mut h = logged_in(&[120, 200]);
    assert_eq!(h.send("STAT\r\n"), "+OK 2 320\r\n");
    assert_eq!(
        h.send("LIST\r\n"),
        "+OK 2 messages:\r\n1 120\r\n2 200\r\n.\r\n"
    );
    // C: LIST 2
    // S: +OK 2 200
    assert_eq!(h.send("LIST 2\r\n"), "+OK 2 200\r\n");
    // C: LIST 3
    // S: -ERR no such message, only 2 messages in maildrop
    assert_eq!(h.send("LIST 3\r\n"), "-ERR There's no message 3.\r\n");
}

/// RFC 1939 §5: an empty maildrop lists nothing, with a positive response.
#[test]
fn rfc1939_list_of_an_empty_maildrop() {
    let mut h = logged_in(&[]);
    assert_eq!(h.send("STAT\r\n"), "+OK 0 0\r\n");
    assert_eq!(h.send("LIST\r\n"), "+OK 0 messages:\r\n.\r\n");
    assert_eq!(h.send("UIDL\r\n"), "+OK\r\n.\r\n");
}

/// RFC 1939 §5, DELE, NOOP and RSET examples; deleted messages leave STAT
/// and LIST, and RSET brings them back.
#[test]
fn rfc1939_dele_noop_rset() {
    let mut h = logged_in(&[120, 200]);
    // C: DELE 1
    // S: +OK message 1 deleted
    assert_eq!(h.send("DELE 1\r\n"), "+OK Marked to be deleted.\r\n");
    // C: DELE 2 ... on a deleted message:
    // S: -ERR message 2 already deleted
    assert_eq!(h.send("DELE 1\r\n"), "-ERR Message is deleted.\r\n");
    assert_eq!(h.send("STAT\r\n"), "+OK 1 200\r\n");
    assert_eq!(h.send("LIST\r\n"), "+OK 1 messages:\r\n2 200\r\n.\r\n");
    assert_eq!(h.send("LIST 1\r\n"), "-ERR Message is deleted.\r\n");
    assert_eq!(h.send("UIDL\r\n"), "+OK\r\n2 uid2\r\n.\r\n");
    assert_eq!(h.send("RETR 1\r\n"), "-ERR Message is deleted.\r\n");
    assert_eq!(h.send("TOP 1 0\r\n"), "-ERR Message is deleted.\r\n");
    // C: NOOP
    // S: +OK
    assert_eq!(h.send("NOOP\r\n"), "+OK\r\n");
    // C: RSET
    // S: +OK maildrop has 2 messages (320 octets)   (Dovecot: "+OK")
    assert_eq!(h.send("RSET\r\n"), "+OK\r\n");
    assert_eq!(h.send("STAT\r\n"), "+OK 2 320\r\n");
    // Message numbers never moved.
    assert_eq!(h.send("LIST 2\r\n"), "+OK 2 200\r\n");
}

/// RFC 1939 §6, QUIT in the TRANSACTION state with nothing deleted.
#[test]
fn rfc1939_quit_with_messages_left() {
    let mut h = logged_in(&[120, 200]);
    assert_eq!(h.send("QUIT\r\n"), "");
    let events = h.take_events();
    assert!(matches!(&events[..], [Event::UpdateRequested { deleted }] if deleted.is_empty()));
    h.server.update_succeeded().unwrap();
    // S: +OK dewey POP3 server signing off (2 messages left)
    assert_eq!(h.output(), "+OK Logging out.\r\n");
}

/// RFC 1939 §6: "-ERR some deleted messages not removed".
#[test]
fn rfc1939_quit_when_the_expunge_fails() {
    let mut h = logged_in(&[120, 200]);
    h.send("DELE 2\r\nQUIT\r\n");
    h.server.update_failed().unwrap();
    assert_eq!(
        h.output(),
        "-ERR [SYS/TEMP] Some deleted messages were not removed.\r\n"
    );
    assert!(h.server.is_closed());
}

/// RFC 1939 §7, TOP examples.
#[test]
fn rfc1939_top() {
    let mut h = logged_in(&[120]);
    // C: TOP 1 10
    // S: +OK
    // S: <the headers, a blank line, and the first 10 lines of the body>
    // S: .
    assert_eq!(h.send("TOP 1 10\r\n"), "");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::BodyRequested { message, lines: Some(10) }] if *message == n(1)
    ));
    let mut body = String::from("From: a\r\nSubject: b\r\n\r\n");
    for i in 1..=12 {
        body.push_str(&format!("line {i}\r\n"));
    }
    h.server.send_body(Bytes::from(body)).unwrap();
    let mut expected = String::from("+OK\r\nFrom: a\r\nSubject: b\r\n\r\n");
    for i in 1..=10 {
        expected.push_str(&format!("line {i}\r\n"));
    }
    expected.push_str(".\r\n");
    assert_eq!(h.output(), expected);
    // C: TOP 100 3
    // S: -ERR no such message
    assert_eq!(h.send("TOP 100 3\r\n"), "-ERR There's no message 100.\r\n");
}

/// RFC 1939 §7, UIDL examples.
#[test]
fn rfc1939_uidl() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    h.send("USER mrose\r\nPASS secret\r\n");
    h.take_events();
    h.server
        .login_succeeded(
            [
                (120, "whqtswO00WBw418f9t5JxYwZ"),
                (200, "QhdPYR:00WBw1Ph7x7"),
            ]
            .into_iter()
            .map(|(size, uid)| {
                pop3_proto::server::MaildropEntry::new(size, uid.try_into().unwrap())
            })
            .collect(),
        )
        .unwrap();
    h.output();
    // C: UIDL
    // S: +OK
    // S: 1 whqtswO00WBw418f9t5JxYwZ
    // S: 2 QhdPYR:00WBw1Ph7x7
    // S: .
    assert_eq!(
        h.send("UIDL\r\n"),
        "+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n"
    );
    // C: UIDL 2
    // S: +OK 2 QhdPYR:00WBw1Ph7x7
    assert_eq!(h.send("UIDL 2\r\n"), "+OK 2 QhdPYR:00WBw1Ph7x7\r\n");
    // C: UIDL 3
    // S: -ERR no such message, only 2 messages in maildrop
    assert_eq!(h.send("UIDL 3\r\n"), "-ERR There's no message 3.\r\n");
}

/// RFC 1939 §7, USER and PASS examples (in the RFC's order: a failed PASS
/// first, then a successful one).
#[test]
fn rfc1939_user_and_pass() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    // C: USER mrose
    // S: +OK mrose is a real hoopy frood   (Dovecot: "+OK")
    assert_eq!(h.send("USER mrose\r\n"), "+OK\r\n");
    // C: PASS secret
    // S: -ERR maildrop already locked
    assert_eq!(h.send("PASS secret\r\n"), "");
    let events = h.take_events();
    let [Event::LoginRequested { credentials }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(
        credentials,
        &Credentials::User {
            user: "mrose".into(),
            password: Secret::new(b"secret".to_vec())
        }
    );
    h.server.login_failed(LoginFailure::InUse).unwrap();
    assert_eq!(
        h.output(),
        "-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n"
    );
    // C: USER mrose / PASS secret
    // S: +OK mrose's maildrop has 2 messages (320 octets)
    assert_eq!(h.send("USER mrose\r\n"), "+OK\r\n");
    h.send("PASS secret\r\n");
    h.take_events();
    h.server.login_succeeded(maildrop(&[120, 200])).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    // C: USER frated
    // S: -ERR sorry, no mailbox for frated here
    // (Dovecot never reveals whether a user exists at USER.)
}

/// RFC 1939 §7, APOP example.
#[test]
fn rfc1939_apop() {
    let mut h = ServerHarness::with_apop(Options::default(), "<1896.697170952@dbc.mtview.ca.us>");
    h.output();
    h.send("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    answer_apop(&mut h, &[369]);
    // S: +OK maildrop has 1 message (369 octets)
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    assert_eq!(h.send("STAT\r\n"), "+OK 1 369\r\n");
}

/// APOP without a timestamp in the greeting is refused, as Dovecot does.
#[test]
fn apop_needs_a_timestamp() {
    let mut h = ServerHarness::new(Options::default());
    assert_eq!(h.output(), "+OK POP3 server ready\r\n");
    assert_eq!(
        h.send("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"),
        "-ERR APOP not enabled.\r\n"
    );
}

/// RFC 2449 §8: `-ERR [IN-USE] ...` after APOP.
#[test]
fn rfc2449_in_use_response_code() {
    let mut h = ServerHarness::with_apop(Options::default(), "<1896.697170952@dbc.mtview.ca.us>");
    h.output();
    h.send("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    h.take_events();
    h.server.login_failed(LoginFailure::InUse).unwrap();
    let out = h.output();
    assert!(out.starts_with("-ERR [IN-USE] "), "{out}");
    // Every failure carries its RFC 2449/3206 code.
    for (reason, code) in [
        (
            LoginFailure::InvalidCredentials,
            "-ERR [AUTH] Authentication failed.\r\n",
        ),
        (LoginFailure::LoginDelay, "-ERR [LOGIN-DELAY] "),
        (LoginFailure::TemporaryFailure, "-ERR [SYS/TEMP] "),
        (LoginFailure::PermanentFailure, "-ERR [SYS/PERM] "),
    ] {
        h.send("APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
        h.take_events();
        h.server.login_failed(reason).unwrap();
        let out = h.output();
        assert!(out.starts_with(code), "{out}");
    }
}

/// RFC 2449 §5: the CAPA example's capabilities, as configured.
#[test]
fn rfc2449_capa() {
    let mut options = plaintext_options();
    options.sasl_mechanisms = vec![
        Mechanism::new("CRAM-MD5").unwrap(),
        Mechanism::new("KERBEROS_V4").unwrap(),
    ];
    options.login_delay = Some(900);
    options.expire = Some(pop3_proto::Expire::Days(60));
    options.implementation = Some("Shlemazle-Plotz-v302".into());
    let mut h = ServerHarness::new(options);
    h.output();
    // S: +OK Capability list follows   (Dovecot: "+OK")
    // S: TOP / USER / SASL CRAM-MD5 KERBEROS_V4 / RESP-CODES / LOGIN-DELAY 900 /
    //    PIPELINING / EXPIRE 60 / UIDL / IMPLEMENTATION Shlemazle-Plotz-v302
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n\
         EXPIRE 60\r\nLOGIN-DELAY 900\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\n\
         IMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n"
    );
}

/// CAPA lists what the state allows: USER and SASL only before login, as
/// Dovecot does (a departure from RFC 2449 §5, which wants the
/// AUTHORIZATION state's capabilities announced in both states).
#[test]
fn capa_after_login_drops_the_login_commands() {
    let mut h = logged_in(&[1]);
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n.\r\n"
    );
}

/// RFC 6856 §2: the UTF8 command is valid in the AUTHORIZATION state only.
/// After login the server refuses it, and CAPA no longer announces it, the
/// same way USER and SASL go.
#[test]
fn capa_after_login_drops_utf8_with_its_command() {
    let mut options = plaintext_options();
    options.utf8 = true;
    let mut h = ServerHarness::new(options);
    h.output();
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n\
         UTF8 USER\r\nUSER\r\nSASL PLAIN\r\n.\r\n"
    );
    h.send("USER mrose\r\nPASS secret\r\n");
    h.take_events();
    h.server.login_succeeded(maildrop(&[1])).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n.\r\n"
    );
    assert_eq!(h.send("UTF8\r\n"), "-ERR Unknown command: UTF8\r\n");
}

/// RFC 5034 §6, first example: AUTH PLAIN with an initial response, after
/// STLS.
#[test]
fn rfc5034_auth_plain_with_initial_response() {
    let mut options = Options::default();
    options.implementation = Some("BlurdyBlurp POP3 server".into());
    let mut h = ServerHarness::new(options);
    h.output();
    // Before TLS: no USER, no plaintext mechanism (RFC 5034 §4), STLS.
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\n\
         IMPLEMENTATION BlurdyBlurp POP3 server\r\n.\r\n"
    );
    // C: STLS
    // S: +OK Begin TLS negotiation now
    assert_eq!(h.send("STLS\r\n"), "+OK Begin TLS negotiation now.\r\n");
    assert!(matches!(&h.take_events()[..], [Event::TlsRequested]));
    // After TLS the list may differ (RFC 2595 §4): STLS is gone, PLAIN is in.
    assert_eq!(
        h.send("CAPA\r\n"),
        "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n\
         SASL PLAIN\r\nIMPLEMENTATION BlurdyBlurp POP3 server\r\n.\r\n"
    );
    // C: AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=
    assert_eq!(h.send("AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n"), "");
    let events = h.take_events();
    let [Event::LoginRequested { credentials }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(
        credentials,
        &Credentials::Plain {
            authzid: Some("test".into()),
            authcid: "test".into(),
            password: Secret::new(b"test".to_vec()),
        }
    );
    h.server.login_succeeded(maildrop(&[])).unwrap();
    // S: +OK Maildrop locked and ready   (Dovecot: "+OK Logged in.")
    assert_eq!(h.output(), "+OK Logged in.\r\n");
}

/// RFC 5034 §6, second example: AUTH PLAIN without an initial response; the
/// server sends an empty challenge, "+" and a space.
#[test]
fn rfc5034_auth_plain_after_empty_challenge() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    // C: AUTH PLAIN
    // S: +
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    // C: dGVzdAB0ZXN0AHRlc3Q=
    assert_eq!(h.send("dGVzdAB0ZXN0AHRlc3Q=\r\n"), "");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::LoginRequested { credentials: Credentials::Plain { authcid, .. } }] if authcid == "test"
    ));
    h.server.login_succeeded(maildrop(&[])).unwrap();
    assert_eq!(h.output(), "+OK Logged in.\r\n");
}

/// RFC 5034 §6, third example: a mechanism whose exchange the application
/// runs, challenge by challenge, with lines longer than 255 octets.
#[test]
fn rfc5034_auth_digest_md5_exchange() {
    let mut options = Options::default();
    options.sasl_mechanisms = vec![Mechanism::new("DIGEST-MD5").unwrap()];
    let mut h = ServerHarness::new(options);
    h.output();
    assert_eq!(h.send("AUTH DIGEST-MD5\r\n"), "");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::SaslStarted { mechanism, initial_response: None }] if mechanism.as_str() == "DIGEST-MD5"
    ));
    let challenge = b"realm=\"elwood.innosoft.com\",nonce=\"OA6MG9tEQGm2hh\",qop=\"auth\",\
algorithm=md5-sess,charset=utf-8";
    h.server.sasl_challenge(challenge).unwrap();
    // S: + cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0
    //      RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hh
    //      cnNldD11dGYtOA==   (one line; broken in the RFC for clarity)
    assert_eq!(
        h.output(),
        "+ cmVhbG09ImVsd29vZC5pbm5vc29mdC5jb20iLG5vbmNlPSJPQTZNRzl0RVFHbTJoaCIscW9wPSJhdXRoIixhbGdvcml0aG09bWQ1LXNlc3MsY2hhcnNldD11dGYtOA==\r\n"
    );
    let response = "Y2hhcnNldD11dGYtOCx1c2VybmFtZT0iY2hyaXMiLHJlYWxtPSJlbHdvb2QuaW5ub3NvZnQuY29tIixub25jZT0iT0E2TUc5dEVRR20yaGgiLG5jPTAwMDAwMDAxLGNub25jZT0iT0E2TUhYaDZWcVRyUmsiLGRpZ2VzdC11cmk9InBvcC9lbHdvb2QuaW5ub3NvZnQuY29tIixyZXNwb25zZT1iMGQ1NmQyZjA1NGMyNGI2MjA3MjMyMjEwNjQ2OGRiOSxxb3A9YXV0aA==";
    assert!(response.len() > 255);
    assert_eq!(h.send(&format!("{response}\r\n")), "");
    let events = h.take_events();
    let [Event::SaslResponseReceived { response }] = &events[..] else {
        panic!("{events:?}");
    };
    assert!(
        response
            .expose()
            .starts_with(b"charset=utf-8,username=\"chris\"")
    );
    h.server
        .sasl_challenge(b"rspauth=0b971462cef5e8f930db9a33b02fc9a0")
        .unwrap();
    // S: + cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA==
    assert_eq!(
        h.output(),
        "+ cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA==\r\n"
    );
    // C: (an empty line)
    assert_eq!(h.send("\r\n"), "");
    let events = h.take_events();
    assert!(matches!(
        &events[..],
        [Event::SaslResponseReceived { response }] if response.expose().is_empty()
    ));
    h.server.login_succeeded(maildrop(&[])).unwrap();
    // S: +OK Maildrop locked and ready
    assert_eq!(h.output(), "+OK Logged in.\r\n");
}

/// RFC 5034 §4: `*` cancels, `=` is an empty initial response, bad base64 is
/// refused, and AUTH after login is an error.
#[test]
fn rfc5034_cancel_empty_and_bad_base64() {
    let mut h = ServerHarness::new(plaintext_options());
    h.output();
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    assert_eq!(
        h.send("*\r\n"),
        "-ERR Authentication aborted by client.\r\n"
    );
    assert_eq!(h.send("AUTH PLAIN\r\n"), "+ \r\n");
    assert_eq!(
        h.send("not base64!\r\n"),
        "-ERR Invalid base64 data in continued response.\r\n"
    );
    // An empty PLAIN message cannot name a user.
    assert_eq!(
        h.send("AUTH PLAIN =\r\n"),
        "-ERR [AUTH] Authentication failed.\r\n"
    );
    assert_eq!(
        h.send("AUTH PLAIN =AAA\r\n"),
        "-ERR Invalid base64 data in initial response.\r\n"
    );
    assert_eq!(
        h.send("AUTH CRAM-MD5\r\n"),
        "-ERR Unsupported authentication mechanism.\r\n"
    );
    // The session is still usable.
    h.send("AUTH PLAIN AGJvYgBwdw==\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.last(),
        Some(Event::LoginRequested { credentials: Credentials::Plain { authzid: None, authcid, .. } }) if authcid == "bob"
    ));
    h.server.login_succeeded(maildrop(&[])).unwrap();
    h.output();
    // "After a successful AUTH command completes, a server MUST reject any
    // further AUTH commands with an -ERR reply."
    assert_eq!(
        h.send("AUTH PLAIN AGJvYgBwdw==\r\n"),
        "-ERR Unknown command: AUTH\r\n"
    );
}

/// RFC 2595 §4, STLS examples.
#[test]
fn rfc2595_stls() {
    let mut h = ServerHarness::new(Options::default());
    h.output();
    // C: STLS
    // S: +OK Begin TLS negotiation
    assert_eq!(h.send("STLS\r\n"), "+OK Begin TLS negotiation now.\r\n");
    assert!(h.server.is_tls());
    // C: STLS
    // S: -ERR Command not permitted when TLS active
    assert_eq!(h.send("STLS\r\n"), "-ERR TLS is already active.\r\n");
}
