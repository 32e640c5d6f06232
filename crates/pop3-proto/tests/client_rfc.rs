//! The client replayed against the RFCs' examples: the server's lines are
//! fed byte for byte as the RFCs print them, and the client must send the
//! RFCs' client lines byte for byte and read the right values.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use pop3_proto::client::{Client, CloseReason, Event, Options, Pipelining, State};
use pop3_proto::{
    ApopDigest, Capability, ClientError, DropListing, Expire, Mechanism, MessageNumber,
    ResponseCode, ScanListing, UidListing, UniqueId,
};

struct Harness {
    client: Client,
    now: Instant,
}

impl Harness {
    fn new(options: Options) -> Self {
        let now = Instant::now();
        Self {
            client: Client::new(options, now),
            now,
        }
    }

    /// A client greeted with `greeting`.
    fn greeted(greeting: &str) -> Self {
        let mut h = Self::new(Options::default());
        h.server(greeting);
        assert!(matches!(
            &h.events()[..],
            [Event::GreetingReceived { ok: true, .. }]
        ));
        h
    }

    /// What the client sends.
    fn sent(&mut self) -> String {
        let mut buf = BytesMut::new();
        self.client.poll_transmit(&mut buf);
        String::from_utf8(buf.to_vec()).unwrap()
    }

    /// Feeds the server's bytes.
    fn server(&mut self, text: &str) {
        self.client.handle_input(text.as_bytes());
    }

    fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.client.poll_event()).collect()
    }

    /// A body's chunks, joined, and whether it ended.
    fn body(&mut self) -> (Vec<u8>, bool) {
        let mut body = Vec::new();
        let mut ended = false;
        for e in self.events() {
            match e {
                Event::BodyChunkReceived { data, .. } => body.extend_from_slice(&data),
                Event::BodyEnded { .. } => ended = true,
                other => panic!("{other:?}"),
            }
        }
        (body, ended)
    }
}

fn n(n: u32) -> MessageNumber {
    MessageNumber::new(n).unwrap()
}

fn body_of(size: usize) -> String {
    let mut m = String::from("Subject: x\r\n\r\n");
    while m.len() + 6 <= size {
        m.push_str("text\r\n");
    }
    while m.len() < size - 2 {
        m.insert(m.len() - 2, 'y');
    }
    while m.len() < size {
        m.push_str("\r\n");
    }
    assert_eq!(m.len(), size);
    m
}

/// RFC 1939 §10, the example POP3 session, from the client's side.
#[test]
fn rfc1939_section_10_example_session() {
    let mut h = Harness::new(Options::default());
    // S:    +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
    h.server("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
    let events = h.events();
    let [
        Event::GreetingReceived {
            ok: true,
            timestamp: Some(ts),
            ..
        },
    ] = &events[..]
    else {
        panic!("{events:?}");
    };
    assert_eq!(ts.as_str(), "<1896.697170952@dbc.mtview.ca.us>");
    assert_eq!(h.client.apop_timestamp(), Some(ts));
    // C:    APOP mrose c4c9334bac560ecc979e58001b3e22fb
    let digest: ApopDigest = "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap();
    let apop = h.client.apop("mrose", digest).unwrap();
    assert_eq!(h.sent(), "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    // S:    +OK mrose's maildrop has 2 messages (320 octets)
    h.server("+OK mrose's maildrop has 2 messages (320 octets)\r\n");
    assert!(matches!(&h.events()[..], [Event::LoggedIn { id }] if *id == apop));
    assert_eq!(h.client.state(), State::Transaction);
    // C:    STAT
    // S:    +OK 2 320
    h.client.stat().unwrap();
    assert_eq!(h.sent(), "STAT\r\n");
    h.server("+OK 2 320\r\n");
    assert!(matches!(
        &h.events()[..],
        [Event::StatReceived {
            listing: DropListing {
                count: 2,
                size: 320
            },
            ..
        }]
    ));
    // C:    LIST
    // S:    +OK 2 messages (320 octets)
    // S:    1 120
    // S:    2 200
    // S:    .
    h.client.list(None).unwrap();
    assert_eq!(h.sent(), "LIST\r\n");
    h.server("+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n");
    let events = h.events();
    let [Event::ListReceived { listings, .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(
        listings,
        &[
            ScanListing {
                message: n(1),
                size: 120
            },
            ScanListing {
                message: n(2),
                size: 200
            }
        ]
    );
    for (msg, size) in [(1, 120), (2, 200)] {
        // C:    RETR 1
        // S:    +OK 120 octets
        // S:    <the POP3 server sends message 1>
        // S:    .
        h.client.retr(n(msg)).unwrap();
        assert_eq!(h.sent(), format!("RETR {msg}\r\n"));
        let body = body_of(size);
        h.server(&format!("+OK {size} octets\r\n{body}.\r\n"));
        let (got, ended) = h.body();
        assert_eq!(got, body.as_bytes());
        assert!(ended);
        // C:    DELE 1
        // S:    +OK message 1 deleted
        let dele = h.client.dele(n(msg)).unwrap();
        assert_eq!(h.sent(), format!("DELE {msg}\r\n"));
        h.server(&format!("+OK message {msg} deleted\r\n"));
        let events = h.events();
        assert!(matches!(
            &events[..],
            [Event::OkReceived { id, text, .. }] if *id == dele && *text == format!("message {msg} deleted")
        ));
    }
    // C:    QUIT
    // S:    +OK dewey POP3 server signing off (maildrop empty)
    h.client.quit().unwrap();
    assert_eq!(h.sent(), "QUIT\r\n");
    h.server("+OK dewey POP3 server signing off (maildrop empty)\r\n");
    let events = h.events();
    assert!(matches!(
        &events[..],
        [
            Event::OkReceived { .. },
            Event::Closed {
                reason: CloseReason::Quit
            }
        ]
    ));
    assert!(h.client.is_closed());
}

fn logged_in() -> Harness {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.user("mrose").unwrap();
    h.server("+OK mrose is a real hoopy frood\r\n");
    h.client.pass(b"secret").unwrap();
    h.server("+OK mrose's maildrop has 2 messages (320 octets)\r\n");
    h.sent();
    h.events();
    h
}

/// RFC 1939 §5, LIST with an argument, and its error.
#[test]
fn rfc1939_list_examples() {
    let mut h = logged_in();
    h.client.list(Some(n(2))).unwrap();
    assert_eq!(h.sent(), "LIST 2\r\n");
    h.server("+OK 2 200\r\n");
    assert!(matches!(
        &h.events()[..],
        [Event::ListReceived { listings, .. }] if listings == &[ScanListing { message: n(2), size: 200 }]
    ));
    h.client.list(Some(n(3))).unwrap();
    assert_eq!(h.sent(), "LIST 3\r\n");
    h.server("-ERR no such message, only 2 messages in maildrop\r\n");
    assert!(matches!(
        &h.events()[..],
        [Event::ErrReceived { code: None, text, .. }] if text == "no such message, only 2 messages in maildrop"
    ));
}

/// RFC 1939 §5, NOOP, RSET and DELE's error.
#[test]
fn rfc1939_noop_rset_dele() {
    let mut h = logged_in();
    h.client.noop().unwrap();
    assert_eq!(h.sent(), "NOOP\r\n");
    h.server("+OK\r\n");
    assert!(matches!(&h.events()[..], [Event::OkReceived { text, .. }] if text.is_empty()));
    h.client.dele(n(2)).unwrap();
    assert_eq!(h.sent(), "DELE 2\r\n");
    h.server("-ERR message 2 already deleted\r\n");
    assert!(matches!(&h.events()[..], [Event::ErrReceived { .. }]));
    h.client.rset().unwrap();
    assert_eq!(h.sent(), "RSET\r\n");
    h.server("+OK maildrop has 2 messages (320 octets)\r\n");
    assert!(matches!(&h.events()[..], [Event::OkReceived { .. }]));
}

/// RFC 1939 §7, TOP examples.
#[test]
fn rfc1939_top_examples() {
    let mut h = logged_in();
    h.client.top(n(1), 10).unwrap();
    assert_eq!(h.sent(), "TOP 1 10\r\n");
    h.server("+OK\r\nSubject: x\r\n\r\nline\r\n.\r\n");
    let (body, ended) = h.body();
    assert_eq!(body, b"Subject: x\r\n\r\nline\r\n");
    assert!(ended);
    h.client.top(n(100), 3).unwrap();
    assert_eq!(h.sent(), "TOP 100 3\r\n");
    h.server("-ERR no such message\r\n");
    assert!(matches!(&h.events()[..], [Event::ErrReceived { .. }]));
}

/// RFC 1939 §7, UIDL examples.
#[test]
fn rfc1939_uidl_examples() {
    let mut h = logged_in();
    h.client.uidl(None).unwrap();
    assert_eq!(h.sent(), "UIDL\r\n");
    h.server("+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n");
    let events = h.events();
    let [Event::UidlReceived { listings, .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(
        listings,
        &[
            UidListing {
                message: n(1),
                uid: UniqueId::try_from("whqtswO00WBw418f9t5JxYwZ").unwrap()
            },
            UidListing {
                message: n(2),
                uid: UniqueId::try_from("QhdPYR:00WBw1Ph7x7").unwrap()
            },
        ]
    );
    h.client.uidl(Some(n(2))).unwrap();
    assert_eq!(h.sent(), "UIDL 2\r\n");
    h.server("+OK 2 QhdPYR:00WBw1Ph7x7\r\n");
    assert!(matches!(
        &h.events()[..],
        [Event::UidlReceived { listings, .. }] if listings[0].uid.as_str() == "QhdPYR:00WBw1Ph7x7"
    ));
    h.client.uidl(Some(n(3))).unwrap();
    h.server("-ERR no such message, only 2 messages in maildrop\r\n");
    assert!(matches!(&h.events()[..], [Event::ErrReceived { .. }]));
}

/// RFC 1939 §7, USER and PASS examples.
#[test]
fn rfc1939_user_and_pass_examples() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.user("frated").unwrap();
    assert_eq!(h.sent(), "USER frated\r\n");
    h.server("-ERR sorry, no mailbox for frated here\r\n");
    assert!(matches!(&h.events()[..], [Event::ErrReceived { .. }]));
    h.client.user("mrose").unwrap();
    assert_eq!(h.sent(), "USER mrose\r\n");
    h.server("+OK mrose is a real hoopy frood\r\n");
    h.client.pass(b"secret").unwrap();
    assert_eq!(h.sent(), "PASS secret\r\n");
    h.server("-ERR maildrop already locked\r\n");
    assert!(matches!(
        &h.events()[..],
        [Event::OkReceived { .. }, Event::ErrReceived { .. }]
    ));
    assert_eq!(h.client.state(), State::Authorization);
    h.client.user("mrose").unwrap();
    h.server("+OK mrose is a real hoopy frood\r\n");
    h.client.pass(b"secret").unwrap();
    h.server("+OK mrose's maildrop has 2 messages (320 octets)\r\n");
    assert_eq!(h.sent(), "USER mrose\r\nPASS secret\r\n");
    assert!(matches!(
        &h.events()[..],
        [Event::OkReceived { .. }, Event::LoggedIn { .. }]
    ));
}

/// RFC 1939 §4: QUIT before login.
#[test]
fn rfc1939_quit_in_authorization() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.quit().unwrap();
    assert_eq!(h.sent(), "QUIT\r\n");
    h.server("+OK dewey POP3 server signing off\r\n");
    assert!(h.client.is_closed());
}

/// RFC 2449 §5, the CAPA example; PIPELINING turns pipelining on.
#[test]
fn rfc2449_capa_example() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.capa().unwrap();
    assert_eq!(h.sent(), "CAPA\r\n");
    h.server(
        "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL CRAM-MD5 KERBEROS_V4\r\nRESP-CODES\r\n\
         LOGIN-DELAY 900\r\nPIPELINING\r\nEXPIRE 60\r\nUIDL\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\n.\r\n",
    );
    let events = h.events();
    let [Event::CapabilitiesReceived { capabilities, .. }] = &events[..] else {
        panic!("{events:?}");
    };
    assert_eq!(
        capabilities,
        &[
            Capability::Top,
            Capability::User,
            Capability::Sasl(vec![
                Mechanism::new("CRAM-MD5").unwrap(),
                Mechanism::new("KERBEROS_V4").unwrap()
            ]),
            Capability::RespCodes,
            Capability::LoginDelay {
                seconds: 900,
                per_user: false
            },
            Capability::Pipelining,
            Capability::Expire {
                policy: Expire::Days(60),
                per_user: false
            },
            Capability::Uidl,
            Capability::Implementation("Shlemazle-Plotz-v302".into()),
        ]
    );
    assert!(h.client.is_pipelining());
    // Now USER and PASS go out together.
    h.client.user("mrose").unwrap();
    h.client.pass(b"secret").unwrap();
    h.client.stat().unwrap();
    assert_eq!(h.sent(), "USER mrose\r\nPASS secret\r\nSTAT\r\n");
    h.server("+OK\r\n+OK Logged in.\r\n+OK 0 0\r\n");
    assert!(matches!(
        &h.events()[..],
        [
            Event::OkReceived { .. },
            Event::LoggedIn { .. },
            Event::StatReceived { .. }
        ]
    ));
}

/// RFC 2449 §8's example of a response code.
#[test]
fn rfc2449_in_use_response_code() {
    let mut h = Harness::greeted("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n");
    h.client
        .apop("mrose", "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap())
        .unwrap();
    assert_eq!(h.sent(), "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
    h.server("-ERR [IN-USE] Do you have another POP session running?\r\n");
    let events = h.events();
    assert!(matches!(
        &events[..],
        [Event::ErrReceived { code: Some(code), text, .. }]
            if *code == ResponseCode::IN_USE && text == "Do you have another POP session running?"
    ));
    assert_eq!(h.client.state(), State::Authorization);
}

/// RFC 5034 §6, first example: CAPA, STLS, CAPA again, AUTH PLAIN with an
/// initial response.
#[test]
fn rfc5034_example_with_initial_response() {
    let mut h = Harness::greeted("+OK pop.example.com BlurdyBlurp POP3 server ready\r\n");
    h.client.capa().unwrap();
    assert_eq!(h.sent(), "CAPA\r\n");
    h.server(
        "+OK List of capabilities follows\r\nSASL DIGEST-MD5 GSSAPI ANONYMOUS\r\nSTLS\r\n\
         IMPLEMENTATION BlurdyBlurp POP3 server\r\n.\r\n",
    );
    h.events();
    assert!(h.client.capabilities().unwrap().contains(&Capability::Stls));
    let stls = h.client.stls().unwrap();
    assert_eq!(h.sent(), "STLS\r\n");
    h.server("+OK Begin TLS negotiation now\r\n");
    assert!(matches!(&h.events()[..], [Event::TlsRequested { id }] if *id == stls));
    // RFC 2595 §4: cached capabilities are forgotten.
    assert!(h.client.capabilities().is_none());
    assert!(h.client.is_tls());
    h.client.capa().unwrap();
    assert_eq!(h.sent(), "CAPA\r\n");
    h.server(
        "+OK List of capabilities follows\r\nSASL PLAIN DIGEST-MD5 GSSAPI ANONYMOUS\r\n\
         IMPLEMENTATION BlurdyBlurp POP3 server\r\n.\r\n",
    );
    h.events();
    h.client.auth_plain(Some("test"), "test", b"test").unwrap();
    assert_eq!(h.sent(), "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n");
    h.server("+OK Maildrop locked and ready\r\n");
    assert!(matches!(&h.events()[..], [Event::LoggedIn { .. }]));
}

/// RFC 5034 §4 and §6, second example: a response that does not fit the
/// 255-octet command goes after the server's empty challenge.
#[test]
fn rfc5034_example_without_initial_response() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    let password = "p".repeat(200);
    h.client
        .auth_plain(None, "test", password.as_bytes())
        .unwrap();
    assert_eq!(h.sent(), "AUTH PLAIN\r\n");
    // S: +   (a plus and a space)
    h.server("+ \r\n");
    let sent = h.sent();
    assert!(sent.starts_with("AHRlc3QAcHBw"), "{sent}");
    assert!(sent.len() > 255);
    h.server("+OK Maildrop locked and ready\r\n");
    assert!(matches!(&h.events()[..], [Event::LoggedIn { .. }]));
}

/// A challenge PLAIN cannot answer is cancelled with `*` (RFC 5034 §4).
#[test]
fn unexpected_challenges_are_cancelled() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.auth_plain(None, "a", b"b").unwrap();
    h.sent();
    h.server("+ Z2FyYmFnZQ==\r\n");
    assert_eq!(h.sent(), "*\r\n");
    h.server("-ERR Authentication aborted by client.\r\n");
    assert!(matches!(&h.events()[..], [Event::ErrReceived { .. }]));
}

/// STLS response injection: whatever follows the server's +OK in plaintext
/// is discarded, never read as a response over TLS.
#[test]
fn stls_discards_what_follows_the_ok() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.stls().unwrap();
    h.sent();
    h.server("+OK Begin TLS negotiation now\r\n+OK Logged in.\r\n+OK 1 1\r\n");
    assert!(matches!(&h.events()[..], [Event::TlsRequested { .. }]));
    // (TLS handshake.) The real answer to CAPA follows.
    h.client.capa().unwrap();
    h.server("+OK\r\nUSER\r\n.\r\n");
    let events = h.events();
    assert!(
        matches!(&events[..], [Event::CapabilitiesReceived { capabilities, .. }] if capabilities == &[Capability::User]),
        "{events:?}"
    );
    assert!(!h.client.is_closed());
}

/// STLS is never pipelined (RFC 2595 §4), and not twice.
#[test]
fn stls_must_be_alone() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    h.client.capa().unwrap();
    assert_eq!(h.client.stls(), Err(ClientError::StlsPipelined));
    h.server("+OK\r\n.\r\n");
    h.client.stls().unwrap();
    assert_eq!(h.client.user("a"), Err(ClientError::StlsPipelined));
    h.server("+OK\r\n");
    assert_eq!(h.client.stls(), Err(ClientError::TlsActive));
    let mut options = Options::default();
    options.implicit_tls = true;
    let mut h = Harness::new(options);
    assert_eq!(h.client.stls(), Err(ClientError::TlsActive));
}

/// Commands out of their state are refused before they are sent.
#[test]
fn commands_out_of_state_are_refused() {
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    assert_eq!(
        h.client.stat(),
        Err(ClientError::WrongState(State::Authorization))
    );
    h.client.user("a").unwrap();
    h.client.pass(b"b").unwrap();
    // After PASS is issued, the session is assumed logged in.
    assert_eq!(
        h.client.user("c"),
        Err(ClientError::WrongState(State::Transaction))
    );
    h.client.stat().unwrap();
    let mut h = Harness::greeted("+OK POP3 server ready\r\n");
    assert_eq!(
        h.client.user("a\r\nQUIT"),
        Err(ClientError::InvalidArgument)
    );
    assert_eq!(h.client.pass(b""), Err(ClientError::InvalidArgument));
    assert_eq!(
        h.client.auth_plain(Some("a\0b"), "c", b"d"),
        Err(ClientError::NulInCredentials)
    );
    h.client.quit().unwrap();
    assert_eq!(h.client.noop(), Err(ClientError::Closed));
}

/// Without PIPELINING the client waits for each response; commands issued
/// before the greeting wait for it.
#[test]
fn one_command_at_a_time_until_pipelining_is_known() {
    let mut h = Harness::new(Options::default());
    h.client.user("a").unwrap();
    h.client.pass(b"b").unwrap();
    assert_eq!(h.sent(), "");
    h.server("+OK ready\r\n");
    assert_eq!(h.sent(), "USER a\r\n");
    h.server("+OK\r\n");
    assert_eq!(h.sent(), "PASS b\r\n");
    let mut options = Options::default();
    options.pipelining = Pipelining::Always;
    let mut h = Harness::new(options);
    h.server("+OK ready\r\n");
    h.client.user("a").unwrap();
    h.client.pass(b"b").unwrap();
    assert_eq!(h.sent(), "USER a\r\nPASS b\r\n");
}

/// A server that breaks the protocol closes the session: a client cannot
/// resynchronise.
#[test]
fn protocol_errors_close_the_session() {
    let close_reason = |h: &mut Harness| {
        h.events().into_iter().find_map(|e| match e {
            Event::Closed { reason } => Some(reason),
            _ => None,
        })
    };
    // A response to no command.
    let mut h = Harness::greeted("+OK ready\r\n");
    h.server("+OK surprise\r\n");
    assert_eq!(close_reason(&mut h), Some(CloseReason::ProtocolError));
    // A server's parting words, as Dovecot's on autologout.
    let mut h = Harness::greeted("+OK ready\r\n");
    h.server("-ERR Disconnected for inactivity.\r\n");
    assert_eq!(close_reason(&mut h), Some(CloseReason::ServerClosed));
    // A first line over 512 octets.
    let mut h = Harness::greeted("+OK ready\r\n");
    h.client.noop().ok();
    h.client.user("a").unwrap();
    h.server(&format!("+OK {}\r\n", "x".repeat(600)));
    assert_eq!(close_reason(&mut h), Some(CloseReason::ProtocolError));
    // Garbage instead of a status.
    let mut h = Harness::greeted("+OK ready\r\n");
    h.client.user("a").unwrap();
    h.server("* OK IMAP4rev1\r\n");
    assert_eq!(close_reason(&mut h), Some(CloseReason::ProtocolError));
    // A bad scan listing.
    let mut h = logged_in();
    h.client.list(None).unwrap();
    h.server("+OK\r\n1 12x\r\n.\r\n");
    assert_eq!(close_reason(&mut h), Some(CloseReason::ProtocolError));
    // A -ERR greeting.
    let mut h = Harness::new(Options::default());
    h.server("-ERR [SYS/TEMP] too busy\r\n");
    let events = h.events();
    assert!(matches!(
        &events[..],
        [
            Event::GreetingReceived { ok: false, .. },
            Event::Closed {
                reason: CloseReason::GreetingRejected
            }
        ]
    ));
}

/// A listing longer than the client's bound closes the session.
#[test]
fn listings_are_bounded() {
    let mut options = Options::default();
    options.max_listing = 3;
    let mut h = Harness::new(options);
    h.server("+OK\r\n");
    h.client.user("a").unwrap();
    h.server("+OK\r\n");
    h.client.pass(b"b").unwrap();
    h.server("+OK\r\n");
    h.client.list(None).unwrap();
    h.server("+OK\r\n1 1\r\n2 2\r\n3 3\r\n");
    assert!(!h.client.is_closed());
    h.server("4 4\r\n.\r\n");
    assert!(h.client.is_closed());
}

/// The client gives up on a server that does not answer.
#[test]
fn responses_time_out() {
    let mut h = Harness::greeted("+OK ready\r\n");
    assert_eq!(h.client.poll_timeout(), None);
    h.client.noop().ok();
    h.client.user("a").unwrap();
    let deadline = h.client.poll_timeout().unwrap();
    h.now = deadline;
    h.client.handle_timeout(h.now);
    // Issuing the command was activity: the deadline moves on.
    assert!(!h.client.is_closed());
    h.now += Duration::from_secs(600);
    h.client.handle_timeout(h.now);
    assert!(h.client.is_closed());
    assert!(matches!(
        h.events().last(),
        Some(Event::Closed {
            reason: CloseReason::TimedOut
        })
    ));
}

/// Dots at the start of the body and at every possible chunk boundary.
#[test]
fn bodies_split_anywhere() {
    let wire = "+OK 40 octets\r\n..dot first\r\n..\r\n...\r\nplain\r\n..end\r\n.\r\n+OK\r\n";
    let body = b".dot first\r\n.\r\n..\r\nplain\r\n.end\r\n";
    for step in 1..=wire.len() {
        let mut h = logged_in();
        let retr = h.client.retr(n(1)).unwrap();
        let noop = h.client.noop().unwrap();
        let mut got = Vec::new();
        let mut order = Vec::new();
        for piece in wire.as_bytes().chunks(step) {
            h.client.handle_input(piece);
            for e in h.events() {
                match e {
                    Event::BodyChunkReceived { id, data } => {
                        assert_eq!(id, retr);
                        assert!(!data.is_empty());
                        got.extend_from_slice(&data);
                    }
                    Event::BodyEnded { id } => order.push(id),
                    Event::OkReceived { id, .. } => order.push(id),
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(got, body, "step {step}");
        assert_eq!(order, vec![retr, noop]);
    }
}

/// `handle_input_buf` takes the caller's read buffer without copying: the
/// body chunks are slices of it.
#[test]
fn bodies_arrive_without_copies() {
    let mut h = logged_in();
    h.client.retr(n(1)).unwrap();
    let mut read = BytesMut::with_capacity(1 << 16);
    read.extend_from_slice(b"+OK 12 octets\r\n");
    h.client.handle_input_buf(&mut read);
    assert!(read.is_empty());
    read.extend_from_slice(b"hello\r\n..world\r\n.\r\n");
    let range = read.as_ptr() as usize..read.as_ptr() as usize + read.len();
    h.client.handle_input_buf(&mut read);
    let mut body = Vec::new();
    for e in h.events() {
        if let Event::BodyChunkReceived { data, .. } = e {
            assert!(range.contains(&(data.as_ptr() as usize)));
            body.extend_from_slice(&data);
        }
    }
    assert_eq!(body, b"hello\r\n.world\r\n");
}
