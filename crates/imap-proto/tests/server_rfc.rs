//! The §8 transcripts of RFC 3501 and RFC 9051 replayed through the server
//! machine: the client's lines go in, the application answers with typed
//! calls, and the server's output is compared with the RFC's `S:` lines.
//!
//! Lines the application writes (data and the completions it gives) must be
//! the RFC's byte for byte. Lines the server writes on its own (the LOGIN and
//! LOGOUT completions, STARTTLS's `OK`, ENABLE's `OK`) carry Dovecot's
//! human-readable text instead of the RFC's example text, which RFC 9051 §7.1
//! leaves free; those are compared by tag, status and response code. RFC
//! 9051's greeting lists its capabilities in another order than ours (versions
//! first, as both RFCs' §6.1.1 examples do); it is compared as a set.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use std::collections::BTreeSet;

use bytes::Bytes;
use common::server::{Harness, plaintext_options};
use imap_proto::server::{Completion, Credentials, Event, LiteralExtension, Options};
use imap_proto::types::{
    Atom, BodyItem, Code, Data, Response, Section, SectionText, StatusKind, Tagged,
};
use imap_proto::{Mode, decode};

const HEADER_342: &str = "Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\r\n\
From: Terry Gray <gray@cac.washington.edu>\r\n\
Subject: IMAP4rev1 WG mtg summary and minutes\r\n\
To: imap@cac.washington.edu\r\n\
cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>\r\n\
Message-Id: <B27397-0100000@cac.washington.edu>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\
\r\n";

/// RFC 3501 §8's FETCH response, its editorial line breaks joined.
const FETCH_FULL: &str = "* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")\
(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 \
92))";

/// The untagged data of an RFC line, as the application would build it.
fn data(line: &str, mode: Mode) -> Data<'static> {
    let input = Bytes::from(format!("{line}\r\n"));
    let (r, _) = decode::response(&input, &imap_proto::Options::with_mode(mode)).unwrap();
    let Response::Data(d) = r else {
        panic!("{line}")
    };
    imap_proto::types::IntoStatic::into_static(d)
}

/// A status line, decoded: tag, status, code.
fn status(line: &str) -> (Option<String>, StatusKind, Option<Code<'static>>) {
    let input = Bytes::from(format!("{line}\r\n"));
    let (r, _) = decode::response(&input, &imap_proto::Options::with_mode(Mode::Imap4rev2))
        .unwrap_or_else(|e| panic!("{e}: {line}"));
    let r = imap_proto::types::IntoStatic::into_static(r);
    match r {
        Response::Tagged(Tagged { tag, kind, text }) => {
            (Some(tag.as_str().to_owned()), kind, text.code)
        }
        Response::Data(Data::Status { kind, text }) => (None, kind, text.code),
        other => panic!("{other:?}"),
    }
}

/// Compares the server's output with `S:` lines: `=` lines byte for byte,
/// `~` lines by tag, status and code (capabilities as a set).
fn expect(actual: &str, lines: &[(&str, &str)]) {
    let got: Vec<&str> = actual
        .strip_suffix("\r\n")
        .unwrap_or_else(|| panic!("{actual:?}"))
        .split("\r\n")
        .collect();
    assert_eq!(got.len(), lines.len(), "{actual}");
    for (got, (how, want)) in got.iter().zip(lines) {
        match *how {
            "=" => assert_eq!(got, want),
            "~" => {
                let (gt, gk, gc) = status(got);
                let (wt, wk, wc) = status(want);
                assert_eq!((gt, gk), (wt, wk), "{got} vs {want}");
                match (gc, wc) {
                    (Some(Code::Capability(g)), Some(Code::Capability(w))) => {
                        let set = |v: Vec<Atom<'_>>| {
                            v.iter()
                                .map(|a| a.as_str().to_ascii_uppercase())
                                .collect::<BTreeSet<_>>()
                        };
                        assert_eq!(set(g), set(w), "{got} vs {want}");
                    }
                    // A login's OK carries the capabilities (Dovecot), the
                    // RFC's example none.
                    (Some(Code::Capability(_)), None) => {}
                    (g, w) => assert_eq!(g, w, "{got} vs {want}"),
                }
            }
            other => panic!("{other}"),
        }
    }
}

fn login(h: &mut Harness) {
    let events = h.take_events();
    assert!(
        matches!(
            events.as_slice(),
            [Event::LoginRequested { credentials: Credentials::Login { username, password }, .. }]
                if username == "mrc" && password.expose() == b"secret"
        ),
        "{events:?}"
    );
    h.server.login_succeeded().unwrap();
}

/// From `a002 select inbox` on, the two transcripts are the same but for
/// the mode and RFC 9051's RECENT-less SELECT.
fn select_fetch_store_logout(h: &mut Harness, rev2: bool) {
    let mode = if rev2 {
        Mode::Imap4rev2
    } else {
        Mode::Imap4rev1
    };
    h.send("a002 select inbox\r\n");
    let c = h.command();
    let mut lines = vec![
        "* 18 EXISTS",
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
    ];
    if rev2 {
        lines.extend([
            "* OK [UIDVALIDITY 3857529045] UIDs valid",
            "* LIST () \"/\" INBOX (\"OLDNAME\" (\"inbox\"))",
        ]);
    } else {
        lines.extend([
            "* 2 RECENT",
            "* OK [UNSEEN 17] Message 17 is the first unseen message",
            "* OK [UIDVALIDITY 3857529045] UIDs valid",
        ]);
    }
    for line in &lines {
        h.server.data(&c.tag, &data(line, mode)).unwrap();
    }
    h.server.ok(&c.tag).unwrap();
    lines.push("a002 OK [READ-WRITE] SELECT completed");
    let expected: Vec<_> = lines.iter().map(|l| ("=", *l)).collect();
    expect(&h.output(), &expected);

    let full = if rev2 {
        FETCH_FULL
            .replace("IMAP4rev1 WG", "IMAP4rev2 WG")
            .replace("cac.washington.edu>\")", "cac.washington.ed>\")")
    } else {
        FETCH_FULL.to_owned()
    };
    h.send("a003 fetch 12 full\r\n");
    let c = h.command();
    h.server.data(&c.tag, &data(&full, mode)).unwrap();
    h.server.ok(&c.tag).unwrap();
    expect(
        &h.output(),
        &[("=", &full), ("=", "a003 OK FETCH completed")],
    );

    // The header goes out as a stream of the application's chunks.
    let header = if rev2 {
        HEADER_342.replace("IMAP4rev1 WG", "IMAP4rev2 WG")
    } else {
        HEADER_342.to_owned()
    };
    h.send("a004 fetch 12 body[header]\r\n");
    let c = h.command();
    h.server.fetch_begin(&c.tag, 12).unwrap();
    let item = BodyItem::Section {
        section: Section {
            part: vec![],
            text: Some(SectionText::Header),
        },
        origin: None,
    };
    h.server.fetch_body(&c.tag, &item, 342).unwrap();
    for piece in header.as_bytes().chunks(100) {
        h.server.body_chunk(Bytes::copy_from_slice(piece)).unwrap();
    }
    h.server.fetch_end(&c.tag).unwrap();
    h.server.ok(&c.tag).unwrap();
    assert_eq!(
        h.output(),
        format!("* 12 FETCH (BODY[HEADER] {{342}}\r\n{header})\r\na004 OK FETCH completed\r\n")
    );

    h.send("a005 store 12 +flags \\deleted\r\n");
    let c = h.command();
    h.server
        .data(&c.tag, &data("* 12 FETCH (FLAGS (\\Seen \\Deleted))", mode))
        .unwrap();
    h.server
        .complete(&c.tag, Completion::ok("+FLAGS completed"))
        .unwrap();
    expect(
        &h.output(),
        &[
            ("=", "* 12 FETCH (FLAGS (\\Seen \\Deleted))"),
            ("=", "a005 OK +FLAGS completed"),
        ],
    );

    let bye = if rev2 {
        "* BYE IMAP4rev2 server terminating connection"
    } else {
        "* BYE IMAP4rev1 server terminating connection"
    };
    expect(
        &h.send("a006 logout\r\n"),
        &[("~", bye), ("~", "a006 OK LOGOUT completed")],
    );
    assert!(h.server.is_closed());
}

#[test]
fn rfc3501_section_8() {
    let mut o = plaintext_options();
    o.greeting_capabilities = false;
    let mut h = Harness::new(o);
    expect(&h.output(), &[("=", "* OK IMAP4rev1 Service Ready")]);
    h.send("a001 login mrc secret\r\n");
    login(&mut h);
    expect(&h.output(), &[("~", "a001 OK LOGIN completed")]);
    select_fetch_store_logout(&mut h, false);
}

#[test]
fn rfc9051_section_8() {
    let mut o = Options::default();
    o.imap4rev1 = false;
    o.greeting = "IMAP4rev2 Service Ready".into();
    o.literal = LiteralExtension::Minus;
    o.sasl_mechanisms = vec![Atom::new("SCRAM-SHA-256").unwrap()];
    let mut h = Harness::new(o);
    expect(
        &h.output(),
        &[(
            "~",
            "* OK [CAPABILITY STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED IMAP4rev2] IMAP4rev2 \
             Service Ready",
        )],
    );
    expect(
        &h.send("a000 starttls\r\n"),
        &[("~", "a000 OK Proceed with TLS negotiation")],
    );
    assert!(matches!(h.take_events().as_slice(), [Event::TlsRequested]));
    h.send("A001 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\r\n");
    let events = h.take_events();
    let [
        Event::SaslStarted {
            initial_response: Some(ir),
            ..
        },
    ] = events.as_slice()
    else {
        panic!("{events:?}")
    };
    assert_eq!(ir.expose(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    let server_first = "cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=";
    // The application's SCRAM state would compute these; here they are the
    // RFC's, decoded from its base64.
    let decode64 = |s: &str| {
        let input = Bytes::from(format!("+ {s}\r\n"));
        let (r, _) = decode::response(&input, &imap_proto::Options::default()).unwrap();
        let Response::Continuation(c) = r else {
            panic!()
        };
        c.decode_challenge().unwrap()
    };
    h.server.sasl_challenge(&decode64(server_first)).unwrap();
    expect(&h.output(), &[("=", &format!("+ {server_first}"))]);
    h.send("Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==\r\n");
    let events = h.take_events();
    let [Event::SaslResponseReceived { response, .. }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert!(
        response
            .expose()
            .starts_with(b"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=")
    );
    let server_final = "dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==";
    h.server.sasl_challenge(&decode64(server_final)).unwrap();
    expect(&h.output(), &[("=", &format!("+ {server_final}"))]);
    h.send("\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::SaslResponseReceived { response, .. }] if response.expose().is_empty()
    ));
    h.server.login_succeeded().unwrap();
    expect(
        &h.output(),
        &[("~", "A001 OK SCRAM-SHA-256 authentication successful")],
    );
    expect(
        &h.send("babc ENABLE IMAP4rev2\r\n"),
        &[
            ("=", "* ENABLED IMAP4rev2"),
            ("~", "babc OK Some capabilities enabled"),
        ],
    );
    assert_eq!(h.server.mode(), Mode::Imap4rev2);
    h.take_events();
    select_fetch_store_logout(&mut h, true);
}

/// RFC 9051 §6.2.2's AUTHENTICATE examples under TLS: PLAIN with and
/// without the initial response (the `+` followed by a space, as the RFC
/// notes), and EXTERNAL with an empty one.
#[test]
fn rfc9051_section_6_2_2_examples() {
    let mut o = Options::default();
    o.implicit_tls = true;
    o.imap4rev1 = false;
    o.sasl_mechanisms = vec![Atom::new("PLAIN").unwrap(), Atom::new("EXTERNAL").unwrap()];
    let mut h = Harness::new(o);
    h.output();
    let test = |h: &mut Harness| {
        let events = h.take_events();
        assert!(
            matches!(
                events.as_slice(),
                [Event::LoginRequested { credentials: Credentials::Plain { authzid: Some(z), authcid, password }, .. }]
                    if z == "test" && authcid == "test" && password.expose() == b"test"
            ),
            "{events:?}"
        );
        h.server
            .login_failed(imap_proto::server::LoginFailure::InvalidCredentials)
            .unwrap();
        h.output();
    };
    h.send("A03 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n");
    test(&mut h);
    expect(&h.send("A01 AUTHENTICATE PLAIN\r\n"), &[("=", "+ ")]);
    h.send("dGVzdAB0ZXN0AHRlc3Q=\r\n");
    test(&mut h);
    h.send("A01 AUTHENTICATE EXTERNAL =\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [Event::SaslStarted { mechanism, initial_response: Some(r), .. }]
            if mechanism.as_str() == "EXTERNAL" && r.expose().is_empty()
    ));
    h.server.login_succeeded().unwrap();
    expect(&h.output(), &[("~", "A01 OK Success (tls protection)")]);
}
