//! The server machine's protocol switches and exchanges: STARTTLS (RFC 9051
//! §6.2.1), LOGINDISABLED (RFC 2595 §3.2), LOGIN and AUTHENTICATE with
//! SASL-IR (RFC 4959), COMPRESS (RFC 4978), ENABLE (RFC 5161), IDLE (RFC
//! 2177), with the exact bytes of each.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use std::time::Duration;

use bytes::BytesMut;
use common::server::{Harness, plaintext_options, tag};
use imap_proto::server::{CloseReason, Credentials, Event, LoginFailure, Options, State, Updates};
use imap_proto::types::{Atom, CommandBody, Data, FetchItem, Flag, Mailbox};
use imap_proto::{Mode, ServerError};

fn atoms(names: &[&str]) -> Vec<Atom<'static>> {
    names
        .iter()
        .map(|n| Atom::new(n.to_string()).unwrap())
        .collect()
}

#[test]
fn login_is_disabled_before_tls_and_allowed_after() {
    let mut h = Harness::greeted(Options::default());
    // Dovecot's words, with RFC 5530's code.
    assert_eq!(
        h.send("a1 LOGIN fred secret\r\n"),
        "* BAD [ALERT] Plaintext authentication not allowed without SSL/TLS, but your client \
         did it anyway. If anyone was listening, the password was exposed.\r\n\
         a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) \
         connections.\r\n"
    );
    assert_eq!(
        h.send("a2 AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0\r\n"),
        "a2 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) \
         connections.\r\n"
    );
    assert_eq!(h.server.state(), State::NotAuthenticated);
}

#[test]
fn starttls_drops_pipelined_plaintext_and_switches_after_its_ok() {
    let mut h = Harness::greeted(Options::default());
    // An attacker's command pipelined after STARTTLS must not run over TLS.
    h.server
        .handle_input(b"a1 STARTTLS\r\na2 LOGIN fred secret\r\n");
    // The switch point is exact: no event before the OK has left.
    assert!(h.server.poll_event().is_none());
    // Plaintext arriving before the handshake is dropped too.
    h.server.handle_input(b"a3 LOGIN fred secret\r\n");
    let mut out = BytesMut::new();
    h.server.poll_transmit(&mut out);
    assert_eq!(&out[..], b"a1 OK Begin TLS negotiation now.\r\n");
    out.clear();
    assert_eq!(h.server.poll_transmit(&mut out), 0);
    assert!(matches!(h.server.poll_event(), Some(Event::TlsRequested)));
    assert!(h.server.poll_event().is_none());
    assert!(h.server.is_tls());
    // Over TLS: the capabilities are announced anew.
    assert_eq!(
        h.send("b1 CAPABILITY\r\n"),
        "* CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=PLAIN SASL-IR ENABLE IDLE LITERAL+\r\n\
         b1 OK Pre-login capabilities listed, post-login capabilities have more.\r\n"
    );
    assert_eq!(
        h.send("b2 STARTTLS\r\n"),
        "b2 BAD TLS is already active.\r\n"
    );
    h.send("b3 LOGIN fred secret\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandRejected { .. }, Event::LoginRequested { tag, .. }] if tag.as_str() == "b3"
    ));
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("c1 STARTTLS\r\n"),
        "c1 BAD TLS support isn't enabled.\r\n"
    );
}

#[test]
fn login_decisions_and_the_capabilities_after_login() {
    let mut o = plaintext_options();
    o.extensions = atoms(&["UIDPLUS", "MOVE"]);
    o.compress = true;
    let mut h = Harness::greeted(o);
    h.send("a1 LOGIN \"fred\" {6}\r\n");
    h.send("secret\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::LoginRequested { credentials: Credentials::Login { username, password }, .. }]
            if username == "fred" && password.expose() == b"secret"
    ));
    // The decision is keyed to the pending login.
    h.server
        .login_failed(LoginFailure::InvalidCredentials)
        .unwrap();
    assert_eq!(
        h.output(),
        "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
    );
    assert_eq!(h.server.login_succeeded(), Err(ServerError::NoLoginPending));
    h.send("a2 LOGIN fred right\r\n");
    h.take_events();
    h.server.login_succeeded().unwrap();
    assert_eq!(
        h.output(),
        "a2 OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+ COMPRESS=DEFLATE \
         UIDPLUS MOVE] Logged in\r\n"
    );
    assert_eq!(h.server.state(), State::Authenticated);
    for (reason, line) in [
        (
            LoginFailure::AuthorizationFailed,
            "NO [AUTHORIZATIONFAILED] Authorization failed.",
        ),
        (LoginFailure::Expired, "NO [EXPIRED] Password expired."),
        (
            LoginFailure::Unavailable,
            "NO [UNAVAILABLE] Temporary authentication failure.",
        ),
    ] {
        let mut h = Harness::greeted(plaintext_options());
        h.send("x LOGIN a b\r\n");
        h.take_events();
        h.server.login_failed(reason).unwrap();
        assert_eq!(h.output(), format!("x {line}\r\n"));
    }
}

#[test]
fn authenticate_plain_with_and_without_an_initial_response() {
    // SASL-IR (RFC 4959): the response on the command line.
    let mut h = Harness::greeted(plaintext_options());
    h.send("a1 AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::LoginRequested { credentials: Credentials::Plain { authzid: None, authcid, password }, .. }]
            if authcid == "fred" && password.expose() == b"secret"
    ));
    h.server.login_succeeded().unwrap();
    assert!(h.output().starts_with("a1 OK [CAPABILITY IMAP4rev1 "));
    // Without it: an empty challenge, then the client's line.
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(h.send("a2 authenticate plain\r\n"), "+ \r\n");
    h.send("YWRtaW4AZnJlZABzZWNyZXQ=\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::LoginRequested { credentials: Credentials::Plain { authzid: Some(z), .. }, .. }]
            if z == "admin"
    ));
    // `*` cancels (RFC 9051 §6.2.2), bad base64 is refused; both go on.
    let mut h = Harness::greeted(plaintext_options());
    h.send("a3 AUTHENTICATE PLAIN\r\n");
    assert_eq!(
        h.send("*\r\n"),
        "a3 BAD Authentication aborted by client.\r\n"
    );
    h.send("a4 AUTHENTICATE PLAIN\r\n");
    assert_eq!(
        h.send("not base64!\r\na5 NOOP\r\n"),
        "a4 BAD Invalid base64 data in continued response.\r\na5 OK NOOP completed.\r\n"
    );
    // A malformed PLAIN message, and a mechanism not offered.
    assert_eq!(
        h.send("a6 AUTHENTICATE PLAIN =\r\na7 AUTHENTICATE CRAM-MD5\r\n"),
        "a6 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n\
         a7 NO Unsupported authentication mechanism.\r\n"
    );
    // A line longer than Dovecot's 8 KiB SASL buffer.
    h.send("a8 AUTHENTICATE PLAIN\r\n");
    let long = "QUFB".repeat(3000);
    assert_eq!(
        h.send(&long),
        "a8 BAD Authentication failed: response too long.\r\n"
    );
    assert_eq!(h.send("\r\na9 NOOP\r\n"), "a9 OK NOOP completed.\r\n");
}

#[test]
fn other_mechanisms_are_run_by_the_application() {
    let mut o = plaintext_options();
    o.sasl_mechanisms = atoms(&["PLAIN", "SCRAM-SHA-256"]);
    let mut h = Harness::greeted(o);
    h.send("A001 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\r\n");
    let events = h.take_events();
    let [
        Event::SaslStarted {
            tag,
            mechanism,
            initial_response: Some(ir),
        },
    ] = events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert_eq!(
        (tag.as_str(), mechanism.as_str()),
        ("A001", "SCRAM-SHA-256")
    );
    assert_eq!(ir.expose(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    h.server.sasl_challenge(b"r=abc,s=xyz,i=4096").unwrap();
    assert_eq!(h.output(), "+ cj1hYmMscz14eXosaT00MDk2\r\n");
    h.send("Yz1iaXdz\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::SaslResponseReceived { response, .. }] if response.expose() == b"c=biws"
    ));
    // The final server data, then an empty response ends the exchange.
    h.server.sasl_challenge(b"v=ok").unwrap();
    h.send("\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::SaslResponseReceived { response, .. }] if response.expose().is_empty()
    ));
    h.server.login_succeeded().unwrap();
    assert!(h.output().starts_with("A001 OK [CAPABILITY "));
    assert_eq!(
        h.server.sasl_challenge(b"x"),
        Err(ServerError::NoSaslPending)
    );
}

#[test]
fn compress_switches_right_after_its_ok() {
    let mut o = plaintext_options();
    o.compress = true;
    let mut h = Harness::logged_in(o);
    // Octets after the command are already compressed: they go back to the
    // driver with the event.
    h.server
        .handle_input(b"c1 COMPRESS DEFLATE\r\n\x78\x9c\x01");
    assert!(h.server.poll_event().is_none());
    h.server.handle_input(b"\x02");
    let mut out = BytesMut::new();
    h.server.poll_transmit(&mut out);
    assert_eq!(&out[..], b"c1 OK DEFLATE active\r\n");
    out.clear();
    assert_eq!(h.server.poll_transmit(&mut out), 0);
    let Some(Event::CompressionStarted { input }) = h.server.poll_event() else {
        panic!()
    };
    assert_eq!(&input[..], b"\x78\x9c\x01\x02");
    assert!(h.server.is_compressing());
    // RFC 4978 §3: a second COMPRESS is BAD, as is an unknown mechanism.
    assert_eq!(
        h.send("c2 COMPRESS DEFLATE\r\n"),
        "c2 BAD Compression already active.\r\n"
    );
    let mut o = plaintext_options();
    o.compress = true;
    let mut h = Harness::logged_in(o);
    assert_eq!(
        h.send("c3 COMPRESS LZMA\r\n"),
        "c3 BAD Unknown compression mechanism.\r\n"
    );
    // Not offered: unknown, as Dovecot without its zlib plugin.
    let mut h = Harness::logged_in(plaintext_options());
    assert_eq!(
        h.send("c4 COMPRESS DEFLATE\r\n"),
        "c4 BAD Error in IMAP command COMPRESS: Unknown command.\r\n"
    );
}

#[test]
fn enable_turns_on_what_is_offered_and_switches_the_grammar() {
    let mut o = plaintext_options();
    o.extensions = atoms(&["CONDSTORE", "QRESYNC", "UTF8=ACCEPT"]);
    let mut h = Harness::logged_in(o);
    // RFC 5161 §3.2: unknown ones are ignored.
    assert_eq!(
        h.send("e1 ENABLE CONDSTORE X-GOOD-IDEA\r\n"),
        "* ENABLED CONDSTORE\r\ne1 OK Enabled.\r\n"
    );
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::Enabled { capabilities }] if capabilities == &atoms(&["CONDSTORE"])
    ));
    // Already on: not named again; QRESYNC implies CONDSTORE.
    assert_eq!(
        h.send("e2 ENABLE CONDSTORE QRESYNC\r\n"),
        "* ENABLED QRESYNC\r\ne2 OK Enabled.\r\n"
    );
    let e = h.server.enabled();
    assert!(e.condstore && e.qresync && !e.utf8_accept && !e.imap4rev2);
    // UTF8=ACCEPT (RFC 6855 §3): quoted UTF-8 is taken from now on.
    assert_eq!(h.server.mode(), Mode::Imap4rev1);
    h.send("e3 SELECT \"Entw\u{fc}rfe\"\r\n");
    assert!(
        h.take_events()
            .iter()
            .any(|e| matches!(e, Event::CommandRejected { .. }))
    );
    h.output();
    assert_eq!(
        h.send("e4 ENABLE UTF8=ACCEPT\r\n"),
        "* ENABLED UTF8=ACCEPT\r\ne4 OK Enabled.\r\n"
    );
    assert_eq!(h.server.mode(), Mode::Utf8Accept);
    h.send("e5 SELECT \"Entw\u{fc}rfe\"\r\n");
    let c = h.command();
    let CommandBody::Select { mailbox, .. } = &c.body else {
        panic!()
    };
    assert_eq!(
        mailbox,
        &Mailbox::from_name("Entw\u{fc}rfe", Mode::Utf8Accept)
    );
}

#[test]
fn enable_imap4rev2_changes_what_may_be_sent() {
    let mut h = Harness::logged_in(plaintext_options());
    // Nothing offered: nothing enabled, and ENABLED is sent all the same.
    assert_eq!(
        h.send("e1 ENABLE CONDSTORE\r\n"),
        "* ENABLED\r\ne1 OK Enabled.\r\n"
    );
    assert_eq!(
        h.send("e2 ENABLE IMAP4rev2\r\n"),
        "* ENABLED IMAP4rev2\r\ne2 OK Enabled.\r\n"
    );
    assert_eq!(h.server.mode(), Mode::Imap4rev2);
    // RFC 9051 removed LSUB; SEARCH is answered with ESEARCH.
    assert_eq!(
        h.send("e3 LSUB \"\" *\r\n"),
        "e3 BAD Error in IMAP command LSUB: Unknown command.\r\n"
    );
    h.send("e4 STATUS INBOX (MESSAGES)\r\n");
    let c = h.command();
    let lsub = bytes::Bytes::from_static(b"* LSUB () \"/\" foo\r\n");
    let (lsub, _) = imap_proto::decode::response(&lsub, &imap_proto::Options::default()).unwrap();
    let imap_proto::types::Response::Data(lsub) = lsub else {
        panic!("LSUB is data")
    };
    assert!(matches!(
        h.server.data(&c.tag, &lsub),
        Err(ServerError::Encode(imap_proto::EncodeError::NotInRev2(_)))
    ));
    // ENABLE is for the authenticated state (RFC 5161 §3.1).
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("e5 ENABLE IMAP4rev2\r\n"),
        "e5 BAD Error in IMAP command received by server.\r\n"
    );
}

#[test]
fn idle_sends_updates_as_they_come_until_done() {
    let mut h = Harness::selected(plaintext_options());
    // RFC 2177's example: `+ idling`, EXISTS and EXPUNGE at any time.
    assert_eq!(h.send("A002 IDLE\r\n"), "+ idling\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::IdleStarted { tag }] if tag.as_str() == "A002"
    ));
    assert_eq!(h.server.updates(), Updates::All);
    h.server.update(&Data::Exists(4)).unwrap();
    assert_eq!(h.output(), "* 4 EXISTS\r\n");
    h.server.update(&Data::Expunge(2)).unwrap();
    h.server
        .update(&Data::Fetch {
            seq: 1,
            items: vec![FetchItem::Uid(5), FetchItem::Flags(vec![Flag::Seen])],
        })
        .unwrap();
    assert_eq!(
        h.output(),
        "* 2 EXPUNGE\r\n* 1 FETCH (UID 5 FLAGS (\\Seen))\r\n"
    );
    // A command while idling is not read as one.
    assert_eq!(h.send("DO"), "");
    assert_eq!(h.send("NE\r\nA003 NOOP\r\n"), "A002 OK Idle completed.\r\n");
    let events = h.take_events();
    assert!(matches!(&events[0], Event::IdleEnded { tag } if tag.as_str() == "A002"));
    assert!(
        matches!(&events[1], Event::CommandReceived { command } if command.tag.as_str() == "A003")
    );
    assert_eq!(h.server.updates(), Updates::All);
    // Anything but DONE ends IDLE with BAD, and is dropped.
    let mut h = Harness::selected(plaintext_options());
    h.send("A004 IDLE\r\n");
    assert_eq!(
        h.send("A005 NOOP\r\nA006 CAPABILITY\r\n"),
        "A004 BAD Expected DONE.\r\n\
         * CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+\r\n\
         A006 OK Capability completed.\r\n"
    );
    assert_eq!(h.server.updates(), Updates::NoExpunge);
}

#[test]
fn idle_keepalives_and_the_autologout_timer() {
    let mut h = Harness::logged_in(plaintext_options());
    h.send("i1 IDLE\r\n");
    h.take_events();
    // The keepalive is scheduled at the first look at the clock.
    assert_eq!(h.server.poll_timeout(), Some(h.now));
    h.advance(Duration::ZERO);
    assert_eq!(
        h.server.poll_timeout(),
        Some(h.now + Duration::from_secs(120))
    );
    h.advance(Duration::from_secs(119));
    assert_eq!(h.output(), "");
    h.advance(Duration::from_secs(1));
    assert_eq!(h.output(), "* OK Still here\r\n");
    // Keepalives do not keep an idling client alive: after 30 minutes
    // without input it is logged out (RFC 2177: re-issue IDLE every 29).
    for _ in 0..31 {
        h.advance(Duration::from_secs(120));
    }
    assert!(
        h.output()
            .ends_with("* BYE Disconnected for inactivity.\r\n")
    );
    assert!(h.take_events().iter().any(|e| matches!(
        e,
        Event::Closed {
            reason: CloseReason::TimedOut
        }
    )));
    // DONE stops the keepalives.
    let mut h = Harness::logged_in(plaintext_options());
    h.send("i2 IDLE\r\n");
    h.advance(Duration::ZERO);
    h.send("DONE\r\n");
    h.advance(Duration::from_secs(120));
    assert_eq!(h.output(), "");
    let _ = tag("x");
}

#[test]
fn select_while_selected_says_closed_in_imap4rev2() {
    // RFC 9051 §6.3.2: "When deselecting a selected mailbox, the server MUST
    // return an untagged OK response with the "[CLOSED]" response code"
    // (Dovecot's text).
    let select = |h: &mut Harness, t: &str| {
        let out = h.send(&format!("{t} SELECT INBOX\r\n"));
        let c = h.command();
        h.server.ok(&c.tag).unwrap();
        out + &h.output()
    };
    // A session in IMAP4rev2 after ENABLE, nothing else offered.
    let mut h = Harness::logged_in(plaintext_options());
    h.send("e1 ENABLE IMAP4rev2\r\n");
    assert_eq!(
        select(&mut h, "s1"),
        "s1 OK [READ-WRITE] SELECT completed\r\n"
    );
    assert_eq!(
        select(&mut h, "s2"),
        "* OK [CLOSED] Previous mailbox closed.\r\ns2 OK [READ-WRITE] SELECT completed\r\n"
    );
    // A server of IMAP4rev2 alone.
    let mut o = plaintext_options();
    o.imap4rev1 = false;
    let mut h = Harness::logged_in(o);
    select(&mut h, "s1");
    assert!(select(&mut h, "s2").starts_with("* OK [CLOSED] "));
    // IMAP4rev1 without CONDSTORE or QRESYNC offered: no CLOSED (RFC 3501
    // has no such code); with CONDSTORE offered, RFC 7162 §3.2.11's.
    let mut h = Harness::logged_in(plaintext_options());
    select(&mut h, "s1");
    assert_eq!(
        select(&mut h, "s2"),
        "s2 OK [READ-WRITE] SELECT completed\r\n"
    );
    let mut o = plaintext_options();
    o.extensions = atoms(&["CONDSTORE"]);
    let mut h = Harness::logged_in(o);
    select(&mut h, "s1");
    assert!(select(&mut h, "s2").starts_with("* OK [CLOSED] "));
}

#[test]
fn after_enable_qresync_expunges_are_vanished() {
    // RFC 7162 §3.2.10: once QRESYNC is enabled "the server MUST use the
    // VANISHED response without the EARLIER tag instead of the EXPUNGE
    // response for all mailboxes that don't return NOMODSEQ when selected".
    let mut o = plaintext_options();
    o.extensions = atoms(&["CONDSTORE", "QRESYNC"]);
    let mut h = Harness::logged_in(o);
    // Before ENABLE QRESYNC the client does not know VANISHED.
    h.send("s0 SELECT INBOX\r\n");
    let c = h.command();
    h.server.ok(&c.tag).unwrap();
    h.send("n0 NOOP\r\n");
    let c = h.command();
    let vanished = Data::Vanished {
        earlier: false,
        uids: imap_proto::types::SequenceSet::single(7).unwrap(),
    };
    assert_eq!(
        h.server.data(&c.tag, &vanished),
        Err(ServerError::QresyncNotEnabled)
    );
    assert_eq!(
        h.server.update(&vanished),
        Err(ServerError::QresyncNotEnabled)
    );
    h.server.data(&c.tag, &Data::Expunge(1)).unwrap();
    h.server.ok(&c.tag).unwrap();
    h.send("u0 UNSELECT\r\n");
    let c = h.command();
    h.server.ok(&c.tag).unwrap();
    h.output();
    assert_eq!(
        h.send("e1 ENABLE QRESYNC\r\n"),
        "* ENABLED QRESYNC\r\ne1 OK Enabled.\r\n"
    );
    h.send("s1 SELECT INBOX\r\n");
    let c = h.command();
    h.server.ok(&c.tag).unwrap();
    h.output();
    // VANISHED follows the rules of EXPUNGE (RFC 9051 §7.5.1), but
    // VANISHED (EARLIER) answers a FETCH and expunges nothing now.
    h.send("f1 FETCH 1 FLAGS\r\n");
    let c = h.command();
    assert_eq!(
        h.server.update(&vanished),
        Err(ServerError::ExpungeNotAllowed)
    );
    let earlier = Data::Vanished {
        earlier: true,
        uids: imap_proto::types::SequenceSet::single(9).unwrap(),
    };
    h.server.data(&c.tag, &earlier).unwrap();
    h.server.ok(&c.tag).unwrap();
    assert_eq!(
        h.output(),
        "* VANISHED (EARLIER) 9\r\nf1 OK FETCH completed\r\n"
    );
    h.send("x1 EXPUNGE\r\n");
    let c = h.command();
    assert_eq!(
        h.server.data(&c.tag, &Data::Expunge(1)),
        Err(ServerError::VanishedRequired)
    );
    h.server.data(&c.tag, &vanished).unwrap();
    h.server.ok(&c.tag).unwrap();
    assert_eq!(h.output(), "* VANISHED 7\r\nx1 OK EXPUNGE completed\r\n");
    // Updates too, during IDLE.
    h.send("i1 IDLE\r\n");
    h.take_events();
    assert_eq!(
        h.server.update(&Data::Expunge(1)),
        Err(ServerError::VanishedRequired)
    );
    h.server.update(&vanished).unwrap();
    h.send("DONE\r\n");
    // A mailbox without mod-sequences keeps EXPUNGE.
    h.send("s2 SELECT Legacy\r\n");
    let c = h.command();
    h.server
        .data(
            &c.tag,
            &Data::Status {
                kind: imap_proto::types::StatusKind::Ok,
                text: imap_proto::types::RespText {
                    code: Some(imap_proto::types::Code::NoModSeq),
                    text: imap_proto::types::Text::new("No mod-sequences").unwrap(),
                },
            },
        )
        .unwrap();
    h.server.ok(&c.tag).unwrap();
    assert!(!h.server.mailbox().unwrap().has_mod_sequences());
    h.send("x2 EXPUNGE\r\n");
    let c = h.command();
    h.server.data(&c.tag, &Data::Expunge(1)).unwrap();
}

#[test]
fn nothing_slips_between_a_switchs_ok_and_the_switch() {
    // The reviewer's case: after `z COMPRESS DEFLATE`, an update went out
    // in the clear after the OK, corrupting the deflate stream.
    let mut o = plaintext_options();
    o.compress = true;
    let mut h = Harness::selected(o);
    h.server.handle_input(b"z COMPRESS DEFLATE\r\n");
    assert_eq!(h.server.updates(), Updates::None);
    assert_eq!(
        h.server.update(&Data::Exists(7)),
        Err(ServerError::SwitchPending)
    );
    // And the server reads nothing until the driver switches.
    assert!(!h.server.wants_read());
    let mut out = BytesMut::new();
    h.server.poll_transmit(&mut out);
    assert_eq!(&out[..], b"z OK DEFLATE active\r\n");
    out.clear();
    assert_eq!(h.server.poll_transmit(&mut out), 0);
    assert!(matches!(
        h.server.poll_event(),
        Some(Event::CompressionStarted { .. })
    ));
    // From the event on, output belongs to the new layer.
    assert!(h.server.wants_read());
    assert_eq!(h.server.updates(), Updates::NoExpunge);
    h.server.update(&Data::Exists(7)).unwrap();
    assert_eq!(h.output(), "* 7 EXISTS\r\n");
    // STARTTLS: no update, and a BYE cannot be sent in the clear either:
    // the session just closes once the OK has left.
    let mut h = Harness::greeted(Options::default());
    h.server.handle_input(b"t STARTTLS\r\n");
    assert_eq!(
        h.server.update(&Data::Status {
            kind: imap_proto::types::StatusKind::Ok,
            text: imap_proto::types::RespText {
                code: Some(imap_proto::types::Code::Alert),
                text: imap_proto::types::Text::new("Maintenance at noon").unwrap(),
            },
        }),
        Err(ServerError::SwitchPending)
    );
    h.server.bye("Server shutting down.");
    assert_eq!(h.output(), "t OK Begin TLS negotiation now.\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::Closed {
            reason: CloseReason::Bye
        }]
    ));
}

#[test]
fn compressed_input_before_the_switch_is_bounded() {
    // The reviewer's case: 200 MiB stashed while the OK was not taken.
    let mut o = plaintext_options();
    o.compress = true;
    o.max_buffered_input = 1000;
    let mut h = Harness::logged_in(o);
    h.server.handle_input(b"z COMPRESS DEFLATE\r\n");
    assert!(!h.server.wants_read());
    // A driver that feeds it anyway: up to the bound, kept for the switch...
    h.server.handle_input(&[7u8; 1000]);
    assert!(!h.server.is_closed());
    // ...and beyond it the session closes, with no plaintext after the OK.
    h.server.handle_input(&[7u8; 1]);
    assert!(h.server.is_closed());
    assert_eq!(h.output(), "z OK DEFLATE active\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::Closed {
            reason: CloseReason::InputOverflow
        }]
    ));
}
