//! The server machine's core rules, each with the exact bytes it sends:
//! states (RFC 9051 §3, §6), tags, the literal flow (RFC 9051 §4.3, RFC 7888),
//! pipelining (§5.5), the EXPUNGE rule (§7.5.1), the typed responders, bodies
//! streamed with backpressure, the selected mailbox, and the timers.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use std::time::Duration;

use bytes::Bytes;
use common::server::{Harness, plaintext_options, tag};
use imap_proto::server::{
    BodyDemand, CloseReason, Completion, Event, LiteralExtension, Options, Server, State, Updates,
};
use imap_proto::types::{
    Atom, BodyItem, Code, CommandBody, Data, FetchItem, Flag, Section, SeqNumber, Sequence,
};
use imap_proto::{EncodeError, Mode, ServerError};

fn closed(events: &[Event]) -> Option<CloseReason> {
    events.iter().find_map(|e| match e {
        Event::Closed { reason } => Some(*reason),
        _ => None,
    })
}

#[test]
fn greeting_announces_what_the_session_offers() {
    let mut h = Harness::new(Options::default());
    assert_eq!(
        h.output(),
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 STARTTLS LOGINDISABLED SASL-IR ENABLE IDLE \
         LITERAL+] IMAP4rev1 Service Ready\r\n"
    );
    assert_eq!(h.server.state(), State::NotAuthenticated);
    assert_eq!(h.server.mode(), Mode::Imap4rev1);
    // Plaintext allowed: no LOGINDISABLED, AUTH=PLAIN shown; no capability
    // code when asked not to.
    let mut o = plaintext_options();
    o.greeting_capabilities = false;
    o.greeting = "Dovecot ready.".into();
    assert_eq!(Harness::new(o).output(), "* OK Dovecot ready.\r\n");
    let mut h = Harness::new(plaintext_options());
    assert_eq!(
        h.output(),
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=PLAIN SASL-IR ENABLE IDLE LITERAL+] \
         IMAP4rev1 Service Ready\r\n"
    );
    // A server of IMAP4rev2 alone starts in it and lists what rev2 lacks.
    let mut o = plaintext_options();
    o.imap4rev1 = false;
    o.literal = LiteralExtension::Minus;
    let mut h = Harness::new(o);
    assert_eq!(
        h.output(),
        "* OK [CAPABILITY IMAP4rev2 AUTH=PLAIN] IMAP4rev1 Service Ready\r\n"
    );
    assert_eq!(h.server.mode(), Mode::Imap4rev2);
}

#[test]
fn preauth_greeting_starts_authenticated() {
    let now = std::time::Instant::now();
    let mut o = plaintext_options();
    o.greeting = "IMAP4rev1 server logged in as Smith".into();
    let mut server = Server::preauthenticated(o, now);
    let mut out = bytes::BytesMut::new();
    server.poll_transmit(&mut out);
    assert_eq!(
        &out[..],
        b"* PREAUTH [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+] IMAP4rev1 \
          server logged in as Smith\r\n"
    );
    assert_eq!(server.state(), State::Authenticated);
}

#[test]
fn commands_out_of_their_state_are_refused_and_the_session_goes_on() {
    // Before login: Dovecot's login process knows none of them.
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("a1 SELECT INBOX\r\na2 FETCH 1 FLAGS\r\na3 NOOP\r\n"),
        "a1 BAD Error in IMAP command received by server.\r\n\
         a2 BAD Error in IMAP command received by server.\r\n\
         a3 OK NOOP completed.\r\n"
    );
    let events = h.take_events();
    assert!(matches!(
        &events[0],
        Event::CommandRejected { tag: Some(t), reply }
            if t.as_str() == "a1" && reply == "BAD Error in IMAP command received by server."
    ));
    // After login.
    let mut h = Harness::logged_in(plaintext_options());
    assert_eq!(
        h.send("b1 FETCH 1 FLAGS\r\nb2 UID STORE 1 +FLAGS (\\Seen)\r\nb3 LOGIN a b\r\nb4 FROB\r\n"),
        "b1 BAD No mailbox selected.\r\n\
         b2 BAD No mailbox selected.\r\n\
         b3 BAD Error in IMAP command LOGIN: Unknown command.\r\n\
         b4 BAD Error in IMAP command FROB: Unknown command.\r\n"
    );
    assert!(
        h.take_events()
            .iter()
            .all(|e| matches!(e, Event::CommandRejected { .. }))
    );
    // Selected: ENABLE belongs before SELECT (RFC 5161 §3.1).
    let mut h = Harness::selected(plaintext_options());
    assert_eq!(
        h.send("c1 ENABLE CONDSTORE\r\nc2 STARTTLS\r\n"),
        "c1 BAD ENABLE is only valid before a mailbox is selected.\r\n\
         c2 BAD Error in IMAP command STARTTLS: Unknown command.\r\n"
    );
    h.send("c3 CHECK\r\n");
    assert!(matches!(h.command().body, CommandBody::Check));
}

#[test]
fn an_invalid_tag_gets_untagged_bad() {
    let mut h = Harness::logged_in(plaintext_options());
    assert_eq!(
        h.send("+1 NOOP\r\n* NOOP\r\n\r\nfoo\r\na(b NOOP\r\nok CAPABILITY\r\n"),
        "* BAD Error in IMAP command received by server.\r\n\
         * BAD Error in IMAP command received by server.\r\n\
         * BAD Error in IMAP command received by server.\r\n\
         * BAD Error in IMAP command received by server.\r\n\
         * BAD Error in IMAP command received by server.\r\n\
         * CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+\r\n\
         ok OK Capability completed.\r\n"
    );
    assert!(matches!(
        h.take_events()[0],
        Event::CommandRejected { tag: None, .. }
    ));
}

#[test]
fn malformed_commands_say_why() {
    let mut h = Harness::selected(plaintext_options());
    assert_eq!(
        h.send("a1 FETCH 0 FLAGS\r\na2 UID FETCH 1 (FLAGS\r\na3 STORE 1 FLAGS.LOUD x\r\n"),
        "a1 BAD Error in IMAP command FETCH: Invalid arguments.\r\n\
         a2 BAD Error in IMAP command UID FETCH: Invalid arguments.\r\n\
         a3 BAD Error in IMAP command STORE: Invalid arguments.\r\n"
    );
    // A bare LF ends nothing: the line is refused.
    assert_eq!(
        h.send("a4 NOOP\na5 CAPABILITY\r\n"),
        "a4 BAD Error in IMAP command NOOP: Invalid line ending.\r\n\
         * CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+\r\n\
         a5 OK Capability completed.\r\n"
    );
}

#[test]
fn too_many_bad_commands_close_the_session() {
    // Dovecot's imap-login: three.
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("a FROB\r\nb FROB\r\nc FROB\r\nd NOOP\r\n"),
        "a BAD Error in IMAP command received by server.\r\n\
         b BAD Error in IMAP command received by server.\r\n\
         c BAD Error in IMAP command received by server.\r\n\
         * BYE Too many invalid IMAP commands.\r\n"
    );
    assert_eq!(
        closed(&h.take_events()),
        Some(CloseReason::TooManyBadCommands)
    );
    assert!(h.server.is_closed() && !h.server.wants_read());
    assert_eq!(h.server.poll_timeout(), None);
    // A good command in between starts the count again; after login, twenty.
    let mut h = Harness::logged_in(plaintext_options());
    let mut input = String::new();
    for i in 0..19 {
        input.push_str(&format!("x{i} FROB\r\n"));
    }
    input.push_str("y CAPABILITY\r\n");
    for i in 0..19 {
        input.push_str(&format!("z{i} FROB\r\n"));
    }
    let out = h.send(&input);
    assert!(!out.contains("BYE"), "{out}");
    assert_eq!(
        h.send("last FROB\r\n"),
        "last BAD Error in IMAP command FROB: Unknown command.\r\n\
         * BYE Too many invalid IMAP commands.\r\n"
    );
}

#[test]
fn a_synchronizing_literal_gets_its_continuation_only_once_accepted() {
    let mut h = Harness::greeted(plaintext_options());
    // RFC 9051 §4.3's LOGIN with literals: `+` for each, in turn.
    assert_eq!(h.send("a1 LOGIN {4}\r\n"), "+ OK\r\n");
    assert_eq!(h.send("fred {6}\r\n"), "+ OK\r\n");
    assert_eq!(h.send("secret\r\n"), "");
    let events = h.take_events();
    let [Event::LoginRequested { tag, credentials }] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(tag.as_str(), "a1");
    assert!(matches!(
        credentials,
        imap_proto::server::Credentials::Login { username, password }
            if username == "fred" && password.expose() == b"secret"
    ));
    // Refused before `+`: a command its state does not take...
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("a2 APPEND INBOX {5}\r\n"),
        "a2 BAD Error in IMAP command received by server.\r\n"
    );
    // ...an invalid tag...
    assert_eq!(
        h.send("* LOGIN {3}\r\n"),
        "* BAD Error in IMAP command received by server.\r\n"
    );
    // ...and a literal larger than the limit; the client sends nothing more
    // of it, and the next command is read.
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("a3 LOGIN {65537}\r\na4 NOOP\r\n"),
        "a3 NO [TOOBIG] Literal too large.\r\na4 OK NOOP completed.\r\n"
    );
}

#[test]
fn a_refused_non_synchronizing_literal_is_skipped_as_it_arrives() {
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(
        h.send("a1 LOGIN fred {1000000+}\r\n"),
        "a1 NO [TOOBIG] Literal too large.\r\n"
    );
    // A megabyte goes by without being held.
    let chunk = "z".repeat(10_000);
    for _ in 0..100 {
        assert!(h.server.wants_read());
        h.server.handle_input(chunk.as_bytes());
    }
    // The command goes on after the literal, with another one, then ends.
    assert_eq!(
        h.send(" {3+}\r\nabc\r\na2 NOOP\r\n"),
        "a2 OK NOOP completed.\r\n"
    );
}

#[test]
fn literal_minus_takes_at_most_4096_octets_unsynchronized() {
    let mut o = plaintext_options();
    o.literal = LiteralExtension::Minus;
    let mut h = Harness::greeted(o);
    // RFC 7888 §5: BAD with TOOBIG, and the octets read and dropped.
    let mut input = String::from("a1 LOGIN fred {4097+}\r\n");
    input.push_str(&"p".repeat(4097));
    input.push_str("\r\na2 LOGIN {4096+}\r\n");
    input.push_str(&"u".repeat(4096));
    input.push_str(" pass\r\n");
    assert_eq!(
        h.send(&input),
        "a1 BAD [TOOBIG] Non-synchronizing literal larger than 4096 octets.\r\n"
    );
    let events = h.take_events();
    assert!(
        matches!(events.last(), Some(Event::LoginRequested { tag, .. }) if tag.as_str() == "a2")
    );
    assert!(h.output().is_empty());
}

#[test]
fn a_line_too_long_is_refused_and_skipped() {
    let mut o = plaintext_options();
    o.codec.max_line = 100;
    let mut h = Harness::logged_in(o);
    let mut long = String::from("a1 LIST \"\" ");
    long.push_str(&"x".repeat(200));
    assert_eq!(
        h.send(&long),
        "a1 BAD Error in IMAP command LIST: Too long argument.\r\n"
    );
    // The rest of the line, with the non-synchronizing literal it announces,
    // is dropped.
    assert_eq!(h.send(&"y".repeat(300)), "");
    assert_eq!(h.send(" {4+}\r\nabcd\r\na2 NOOP\r\n"), "");
    assert!(matches!(h.command().body, CommandBody::Noop));
}

#[test]
fn pipelined_commands_go_to_the_application_one_at_a_time_in_order() {
    let mut h = Harness::selected(plaintext_options());
    // RFC 3501 §5.5's valid sequence: FETCH + STORE + SEARCH + CHECK.
    h.send("p1 FETCH 1 FLAGS\r\np2 STORE 1 +FLAGS (\\Seen)\r\np3 SEARCH UNSEEN\r\np4 CHECK\r\n");
    let c = h.command();
    assert_eq!(c.tag.as_str(), "p1");
    // Nothing of p2 before p1 completes.
    assert_eq!(
        h.server.complete(&tag("p2"), Completion::ok("no")),
        Err(ServerError::UnknownTag)
    );
    h.server
        .data(
            &c.tag,
            &Data::Fetch {
                seq: 1,
                items: vec![FetchItem::Flags(vec![])],
            },
        )
        .unwrap();
    h.server.ok(&c.tag).unwrap();
    for (t, data, text) in [
        ("p2", None, "p2 OK STORE completed\r\n"),
        (
            "p3",
            Some(Data::Search {
                ids: vec![1],
                modseq: None,
            }),
            "* SEARCH 1\r\np3 OK SEARCH completed\r\n",
        ),
        ("p4", None, "p4 OK CHECK completed\r\n"),
    ] {
        let out = h.output();
        let c = h.command();
        assert_eq!(c.tag.as_str(), t, "{out}");
        if let Some(d) = data {
            h.server.data(&c.tag, &d).unwrap();
        }
        h.server.ok(&c.tag).unwrap();
        assert!(h.output().ends_with(text));
    }
    assert_eq!(h.server.ok(&tag("p4")), Err(ServerError::NoCommandPending));
}

#[test]
fn no_expunge_while_a_fetch_store_or_search_is_in_progress() {
    let mut h = Harness::selected(plaintext_options());
    // No command in progress: EXISTS yes, EXPUNGE no (RFC 9051 §7.5.1).
    assert_eq!(h.server.updates(), Updates::NoExpunge);
    assert_eq!(
        h.server.update(&Data::Expunge(3)),
        Err(ServerError::ExpungeNotAllowed)
    );
    h.server.update(&Data::Exists(4)).unwrap();
    assert_eq!(h.output(), "* 4 EXISTS\r\n");
    for (command, expunge) in [
        ("FETCH 1 FLAGS", false),
        ("STORE 1 -FLAGS (\\Seen)", false),
        ("SEARCH ALL", false),
        ("UID FETCH 1 FLAGS", true),
        ("UID STORE 1 -FLAGS (\\Seen)", true),
        ("UID SEARCH ALL", true),
        ("NOOP", true),
        ("COPY 1 Trash", true),
    ] {
        h.send(&format!("t {command}\r\n"));
        let c = h.command();
        let expected = if expunge {
            Updates::All
        } else {
            Updates::NoExpunge
        };
        assert_eq!(h.server.updates(), expected, "{command}");
        let result = h.server.data(&c.tag, &Data::Expunge(2));
        let update = h.server.update(&Data::Expunge(5));
        if expunge {
            assert_eq!((result, update), (Ok(()), Ok(())), "{command}");
            assert_eq!(h.output(), "* 2 EXPUNGE\r\n* 5 EXPUNGE\r\n");
        } else {
            assert_eq!(result, Err(ServerError::ExpungeNotAllowed), "{command}");
            assert_eq!(update, Err(ServerError::ExpungeNotAllowed), "{command}");
        }
        h.server.ok(&c.tag).unwrap();
        h.output();
    }
    // Mailbox data needs a selected mailbox.
    let mut h = Harness::logged_in(plaintext_options());
    assert_eq!(h.server.updates(), Updates::None);
    assert_eq!(
        h.server.update(&Data::Exists(1)),
        Err(ServerError::NotSelected)
    );
}

#[test]
fn responders_are_keyed_by_the_tag_and_refuse_what_breaks_the_grammar() {
    let mut h = Harness::selected(plaintext_options());
    h.send("a1 SEARCH ALL\r\n");
    let c = h.command();
    assert_eq!(
        h.server.data(&tag("zz"), &Data::Exists(1)),
        Err(ServerError::UnknownTag)
    );
    // Nothing is written for what cannot be encoded.
    assert_eq!(
        h.server.data(&c.tag, &Data::Expunge(0)),
        Err(ServerError::ExpungeNotAllowed)
    );
    assert_eq!(
        h.server.data(
            &c.tag,
            &Data::Fetch {
                seq: 0,
                items: vec![FetchItem::Uid(1)]
            }
        ),
        Err(ServerError::Encode(EncodeError::Invalid("nz-number 0")))
    );
    assert_eq!(
        h.server
            .complete(&c.tag, Completion::no("x").with_code(Code::UidNext(0))),
        Err(ServerError::Encode(EncodeError::Invalid("nz-number 0")))
    );
    assert_eq!(h.output(), "");
    // Text is made safe for the line.
    h.server
        .complete(
            &c.tag,
            Completion::no("bad\r\na2 OK injected").with_code(Code::Cannot),
        )
        .unwrap();
    assert_eq!(h.output(), "a1 NO [CANNOT] bad  a2 OK injected\r\n");
    h.send("a3 NOOP\r\n");
    let c = h.command();
    h.server
        .complete(&c.tag, Completion::ok("[not a code"))
        .unwrap();
    assert_eq!(h.output(), "a3 OK  [not a code\r\n");
}

#[test]
fn select_examine_close_track_the_selected_mailbox() {
    let mut o = plaintext_options();
    o.extensions = vec![Atom::new("CONDSTORE").unwrap()];
    let mut h = Harness::logged_in(o);
    h.send("a1 EXAMINE Archive\r\n");
    let c = h.command();
    h.server.data(&c.tag, &Data::Exists(2)).unwrap();
    h.server.ok(&c.tag).unwrap();
    assert_eq!(
        h.output(),
        "* 2 EXISTS\r\na1 OK [READ-ONLY] EXAMINE completed\r\n"
    );
    assert_eq!(h.server.state(), State::Selected);
    let m = h.server.mailbox().unwrap();
    assert!(m.is_read_only());
    assert_eq!(m.mailbox().as_bytes(), b"Archive");
    // Read-only: nothing may change (RFC 9051 §6.3.3).
    assert_eq!(
        h.send("a2 STORE 1 +FLAGS (\\Deleted)\r\na3 EXPUNGE\r\na4 UID MOVE 1 Trash\r\n"),
        "a2 NO Mailbox is read-only.\r\na3 NO Mailbox is read-only.\r\n\
         a4 NO Mailbox is read-only.\r\n"
    );
    // SELECT closes the old mailbox first, with CLOSED (RFC 7162 §3.2.11).
    assert_eq!(
        h.send("a5 SELECT Nope\r\n"),
        "* OK [CLOSED] Previous mailbox closed.\r\n"
    );
    assert_eq!(h.server.state(), State::Authenticated);
    let c = h.command();
    h.server
        .complete(
            &c.tag,
            Completion::no("Mailbox doesn't exist: Nope").with_code(Code::NonExistent),
        )
        .unwrap();
    assert_eq!(
        h.output(),
        "a5 NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n"
    );
    assert_eq!(h.server.state(), State::Authenticated);
    assert!(h.server.mailbox().is_none());
    // A SELECT answered [READ-ONLY] is read-only too.
    h.send("a6 SELECT INBOX\r\n");
    let c = h.command();
    h.server
        .complete(
            &c.tag,
            Completion::ok("SELECT completed").with_code(Code::ReadOnly),
        )
        .unwrap();
    assert!(h.server.mailbox().unwrap().is_read_only());
    h.output();
    h.send("a7 UNSELECT\r\n");
    let c = h.command();
    h.server.ok(&c.tag).unwrap();
    assert_eq!(h.output(), "a7 OK UNSELECT completed\r\n");
    assert_eq!(h.server.state(), State::Authenticated);
    // A failed CLOSE leaves the mailbox selected.
    let mut h = Harness::selected(plaintext_options());
    h.send("a8 CLOSE\r\n");
    let c = h.command();
    h.server
        .complete(&c.tag, Completion::no("Try later"))
        .unwrap();
    assert_eq!(h.server.state(), State::Selected);
    assert!(!h.server.mailbox().unwrap().is_read_only());
}

#[test]
fn logout_says_bye_and_ends_the_session() {
    let mut h = Harness::selected(plaintext_options());
    assert_eq!(
        h.send("a1 LOGOUT\r\na2 NOOP\r\n"),
        "* BYE Logging out\r\na1 OK Logout completed.\r\n"
    );
    assert_eq!(closed(&h.take_events()), Some(CloseReason::Logout));
    assert_eq!(h.server.state(), State::Logout);
    h.server.handle_input(b"a3 NOOP\r\n");
    assert_eq!(h.output(), "");
    assert_eq!(h.server.update(&Data::Exists(1)), Err(ServerError::Closed));
}

#[test]
fn bodies_stream_in_the_applications_chunks() {
    let mut o = plaintext_options();
    o.body_buffer = 100;
    let mut h = Harness::selected(o);
    h.send("f1 UID FETCH 7 (UID BODY.PEEK[] FLAGS)\r\n");
    let c = h.command();
    let t = &c.tag;
    h.server.fetch_begin(t, 3).unwrap();
    // Nothing goes out before the first item.
    assert_eq!(h.output(), "");
    h.server.fetch_items(t, &[FetchItem::Uid(7)]).unwrap();
    let section = BodyItem::Section {
        section: Section::default(),
        origin: None,
    };
    h.server.fetch_body(t, &section, 250).unwrap();
    assert_eq!(h.server.body_demand(), Some(BodyDemand::More));
    // Between the items nothing else can be written.
    assert_eq!(
        h.server.data(t, &Data::Exists(9)),
        Err(ServerError::ResponseOpen)
    );
    assert_eq!(
        h.server.update(&Data::Exists(9)),
        Err(ServerError::ResponseOpen)
    );
    assert_eq!(h.server.updates(), Updates::None);
    assert_eq!(h.server.ok(t), Err(ServerError::ResponseOpen));
    assert_eq!(h.server.fetch_end(t), Err(ServerError::BodyIncomplete));
    let chunk = Bytes::from(vec![b'm'; 100]);
    h.server.body_chunk(chunk.clone()).unwrap();
    // The buffer is full: the application waits for the client to read.
    assert_eq!(h.server.body_demand(), Some(BodyDemand::Full));
    let first = h.output();
    assert_eq!(first.len(), 31 + 100);
    assert!(first.starts_with("* 3 FETCH (UID 7 BODY[] {250}\r\nmmm"));
    assert_eq!(h.server.body_demand(), Some(BodyDemand::More));
    h.server.body_chunk(chunk).unwrap();
    // Past Full a chunk is refused, not queued.
    assert_eq!(
        h.server.body_chunk(Bytes::from_static(b"x")),
        Err(ServerError::Backpressure)
    );
    let mut rest = h.output_bytes();
    // NUL cannot be in a literal: Dovecot's 0x80 instead.
    h.server
        .body_chunk(Bytes::from_static(&[b'a', 0, b'b']))
        .unwrap();
    assert_eq!(
        h.server.body_chunk(Bytes::from(vec![b'z'; 48])),
        Err(ServerError::BodyOverrun)
    );
    h.server.body_chunk(Bytes::from(vec![b'z'; 47])).unwrap();
    assert_eq!(h.server.body_demand(), None);
    h.server
        .fetch_items(t, &[FetchItem::Flags(vec![Flag::Seen])])
        .unwrap();
    h.server.fetch_end(t).unwrap();
    h.server.ok(t).unwrap();
    rest.extend_from_slice(&h.output_bytes());
    let mut expected = vec![b'm'; 100];
    expected.extend_from_slice(&[b'a', 0x80, b'b']);
    expected.extend_from_slice(&[b'z'; 47]);
    expected.extend_from_slice(b" FLAGS (\\Seen))\r\nf1 OK UID FETCH completed\r\n");
    assert_eq!(rest, expected);
}

#[test]
fn a_streamed_fetch_can_start_with_its_body_and_binary_keeps_nul() {
    let mut h = Harness::selected(plaintext_options());
    h.send("f2 FETCH 1 BINARY.PEEK[1]\r\n");
    let c = h.command();
    let t = &c.tag;
    h.server.fetch_begin(t, 1).unwrap();
    h.server
        .fetch_body(t, &BodyItem::Binary { part: vec![1] }, 3)
        .unwrap();
    h.server.body_chunk(Bytes::from_static(&[0, 1, 2])).unwrap();
    h.server.fetch_end(t).unwrap();
    assert_eq!(
        h.output_bytes(),
        b"* 1 FETCH (BINARY[1] ~{3}\r\n\x00\x01\x02)\r\n"
    );
    // A response without items is not sent at all.
    h.server.fetch_begin(t, 2).unwrap();
    assert_eq!(h.server.fetch_end(t), Err(ServerError::EmptyFetch));
    assert_eq!(h.server.fetch_begin(t, 0).map_err(|_| ()), Err(()));
    assert_eq!(h.output(), "");
    h.server.ok(t).unwrap();
    assert_eq!(h.output(), "f2 OK FETCH completed\r\n");
    // A body that fails midway cannot be ended honestly: the session closes.
    h.send("f3 FETCH 1 BODY[]\r\n");
    let c = h.command();
    h.server.fetch_begin(&c.tag, 1).unwrap();
    h.server
        .fetch_body(
            &c.tag,
            &BodyItem::Section {
                section: Section::default(),
                origin: Some(0),
            },
            10,
        )
        .unwrap();
    h.server.body_chunk(Bytes::from_static(b"12345")).unwrap();
    h.server.body_failed().unwrap();
    assert_eq!(h.output(), "* 1 FETCH (BODY[]<0> {10}\r\n12345");
    assert_eq!(closed(&h.take_events()), Some(CloseReason::BodyFailed));
}

#[test]
fn the_autologout_timer_waits_for_the_client_not_the_application() {
    let mut h = Harness::logged_in(plaintext_options());
    h.settle();
    let deadline = h.server.poll_timeout().unwrap();
    assert_eq!(deadline - h.now, Duration::from_secs(30 * 60));
    // Input resets it (RFC 3501 §5.4).
    h.advance(Duration::from_secs(20 * 60));
    h.send("a1 NOOP\r\n");
    h.settle();
    let c = h.command();
    h.advance(Duration::from_secs(10 * 60));
    assert!(!h.server.is_closed());
    // A decision of the application's holds it.
    h.advance(Duration::from_secs(60 * 60));
    assert!(!h.server.is_closed());
    h.server.ok(&c.tag).unwrap();
    h.output();
    h.settle();
    h.advance(Duration::from_secs(30 * 60 - 1));
    assert!(!h.server.is_closed());
    h.advance(Duration::from_secs(1));
    assert_eq!(h.output(), "* BYE Disconnected for inactivity.\r\n");
    assert_eq!(closed(&h.take_events()), Some(CloseReason::TimedOut));
}

#[test]
fn the_autologout_runs_exactly_from_the_last_activity() {
    // The reviewer's case: input at minute 1 gave a logout at minute 60.
    // After activity the deadline is due at once (an instant already
    // past); the driver's `handle_timeout` stamps the activity, and the
    // logout comes 30 minutes after it, as in pop3-proto.
    let mut h = Harness::logged_in(plaintext_options());
    h.settle();
    let start = h.now;
    h.advance(Duration::from_secs(60));
    h.send("a1 CAPABILITY\r\n");
    assert!(h.server.poll_timeout().unwrap() <= h.now);
    h.settle();
    assert_eq!(
        h.server.poll_timeout(),
        Some(start + Duration::from_secs(31 * 60))
    );
    h.advance(Duration::from_secs(30 * 60 - 1));
    assert!(!h.server.is_closed());
    h.advance(Duration::from_secs(1));
    assert_eq!(h.now - start, Duration::from_secs(31 * 60));
    assert_eq!(closed(&h.take_events()), Some(CloseReason::TimedOut));
    // During IDLE, DONE is the activity; pushed updates are not.
    let mut h = Harness::selected(plaintext_options());
    h.send("i1 IDLE\r\n");
    h.settle();
    let start = h.now;
    h.advance(Duration::from_secs(5 * 60));
    h.server.update(&Data::Exists(3)).unwrap();
    h.output();
    h.settle();
    h.advance(Duration::from_secs(25 * 60 - 1));
    assert!(!h.server.is_closed());
    h.advance(Duration::from_secs(1));
    assert_eq!(h.now - start, Duration::from_secs(30 * 60));
    assert!(h.server.is_closed());
}

#[test]
fn one_large_read_of_pipelined_commands_is_read_whole() {
    // The reviewer's case: one 140 KB read of pipelined CAPABILITY commands
    // got `* BYE Too much pipelined input.` A read the server wanted is
    // kept whole, however large the driver's buffer (256 KiB here); the
    // server then stops reading until it has caught up.
    let mut h = Harness::logged_in(plaintext_options());
    let n = 256 * 1024 / 14;
    let input = "c CAPABILITY\r\n".repeat(n);
    assert!(input.len() > 250_000);
    assert!(h.server.wants_read());
    h.server.handle_input(input.as_bytes());
    assert!(!h.server.wants_read());
    let out = h.output();
    assert_eq!(out.matches("c OK Capability completed.\r\n").count(), n);
    assert!(!out.contains("BYE"));
    assert!(h.server.wants_read());
    assert!(!h.server.is_closed());
}

#[test]
fn a_flood_past_the_read_ahead_ends_the_session_after_what_was_kept() {
    // A driver that feeds the server while `wants_read` is false: input is
    // kept up to twice the bound, the rest dropped. The pending exchange is
    // not torn down: its decision is taken, the commands kept are answered,
    // and then the session closes.
    let mut o = plaintext_options();
    o.max_buffered_input = 1000;
    let mut h = Harness::greeted(o);
    h.send("l1 LOGIN fred secret\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::LoginRequested { .. }]
    ));
    let noops = "a2 NOOP\r\n".repeat(400);
    h.server.handle_input(&noops.as_bytes()[..999]);
    assert!(h.server.wants_read());
    h.server.handle_input(&noops.as_bytes()[999..1000]);
    assert!(!h.server.wants_read());
    h.server.handle_input(&noops.as_bytes()[1000..2000]);
    assert_eq!(h.output(), "");
    h.server.handle_input(&noops.as_bytes()[2000..]);
    assert_eq!(h.output(), "");
    assert!(!h.server.wants_read() && !h.server.is_closed());
    h.server.login_succeeded().unwrap();
    let mut answered = 0;
    let mut all = String::new();
    loop {
        all.push_str(&h.output());
        let events = std::mem::take(&mut h.events);
        let mut held = None;
        for e in &events {
            if let Event::CommandReceived { command } = e {
                held = Some(command.tag.clone());
            }
        }
        match held {
            Some(t) => {
                h.server.ok(&t).unwrap();
                answered += 1;
            }
            None => {
                assert_eq!(closed(&events), Some(CloseReason::InputOverflow));
                break;
            }
        }
    }
    // 2000 octets kept: 222 whole commands and a piece of one.
    assert_eq!(answered, 222);
    assert!(all.starts_with("l1 OK [CAPABILITY "), "{all}");
    assert!(
        all.ends_with("a2 OK NOOP completed\r\n* BYE Too much pipelined input.\r\n"),
        "{all}"
    );
}

#[test]
fn output_is_paced_by_the_transmit_budget() {
    let mut o = plaintext_options();
    o.max_transmit = 200;
    let mut h = Harness::logged_in(o);
    // Many pipelined CAPABILITYs are answered as the output is taken.
    h.server
        .handle_input("c CAPABILITY\r\n".repeat(50).as_bytes());
    assert!(h.server.backlog() < 400);
    let mut buf = bytes::BytesMut::new();
    assert!(h.server.poll_transmit(&mut buf) <= 200);
    let mut all = String::from_utf8(buf.to_vec()).unwrap();
    all.push_str(&h.output());
    assert_eq!(
        all,
        "* CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR ENABLE IDLE LITERAL+\r\nc OK Capability completed.\r\n"
            .repeat(50)
    );
}

#[test]
fn noop_after_login_goes_to_the_application_for_its_updates() {
    let mut h = Harness::selected(plaintext_options());
    h.send("n1 NOOP\r\n");
    let c = h.command();
    assert_eq!(h.server.updates(), Updates::All);
    h.server.update(&Data::Expunge(1)).unwrap();
    h.server.update(&Data::Exists(5)).unwrap();
    h.server
        .update(&Data::Fetch {
            seq: 2,
            items: vec![FetchItem::Uid(9), FetchItem::Flags(vec![Flag::Flagged])],
        })
        .unwrap();
    h.server.ok(&c.tag).unwrap();
    assert_eq!(
        h.output(),
        "* 1 EXPUNGE\r\n* 5 EXISTS\r\n* 2 FETCH (UID 9 FLAGS (\\Flagged))\r\nn1 OK NOOP completed\r\n"
    );
    // An untagged BYE goes through `bye`, not `data`.
    h.send("n2 NOOP\r\n");
    let c = h.command();
    assert_eq!(
        h.server.data(
            &c.tag,
            &Data::Status {
                kind: imap_proto::types::StatusKind::Bye,
                text: imap_proto::types::RespText {
                    code: None,
                    text: imap_proto::types::Text::new("x").unwrap()
                }
            }
        ),
        Err(ServerError::InvalidStatus)
    );
    h.server.bye("Server shutting down.");
    assert_eq!(h.output(), "* BYE Server shutting down.\r\n");
    assert_eq!(closed(&h.take_events()), Some(CloseReason::Bye));
    let _ = Sequence::Single(SeqNumber::Last);
}

#[test]
fn an_accepted_literal_may_exceed_the_read_ahead_limit() {
    let mut o = plaintext_options();
    o.max_buffered_input = 1000;
    let mut h = Harness::logged_in(o);
    assert_eq!(h.send("a1 LIST \"\" {30000}\r\n"), "+ OK\r\n");
    // The server keeps reading until the literal it asked for is in.
    let chunk = vec![b'q'; 1000];
    for _ in 0..30 {
        assert!(h.server.wants_read());
        h.server.handle_input(&chunk);
    }
    h.server.handle_input(b"\r\n");
    let c = h.command();
    let CommandBody::List { patterns, .. } = &c.body else {
        panic!()
    };
    let imap_proto::types::ListPatterns::Single(pattern) = patterns else {
        panic!()
    };
    assert_eq!(pattern.as_bytes().len(), 30_000);
    assert!(h.take_events().is_empty());
}

#[test]
fn bodies_leave_as_the_applications_own_bytes() {
    let mut h = Harness::selected(plaintext_options());
    h.send("f1 FETCH 1 BODY.PEEK[]\r\n");
    let c = h.command();
    let body = Bytes::from(vec![b'b'; 5000]);
    h.server.fetch_begin(&c.tag, 1).unwrap();
    let item = BodyItem::Section {
        section: Section::default(),
        origin: None,
    };
    h.server.fetch_body(&c.tag, &item, 5000).unwrap();
    h.server.body_chunk(body.clone()).unwrap();
    h.server.fetch_end(&c.tag).unwrap();
    h.server.ok(&c.tag).unwrap();
    let head = h.server.poll_transmit_bytes().unwrap();
    assert_eq!(&head[..], b"* 1 FETCH (BODY[] {5000}\r\n");
    // Not a copy: the very octets handed over.
    let piece = h.server.poll_transmit_bytes().unwrap();
    assert_eq!(piece.as_ptr(), body.as_ptr());
    assert_eq!(piece.len(), 5000);
    let tail = h.server.poll_transmit_bytes().unwrap();
    assert_eq!(&tail[..], b")\r\nf1 OK FETCH completed\r\n");
    assert!(h.server.poll_transmit_bytes().is_none());
}

#[test]
fn a_nul_in_a_literal_is_refused_and_the_rest_dropped_as_it_arrives() {
    // CHAR8 = %x01-ff (RFC 9051 §9): the Framer finds the NUL as the octets
    // arrive; the command gets BAD and the session goes on.
    let mut h = Harness::greeted(plaintext_options());
    assert_eq!(h.send("a1 LOGIN {5}\r\n"), "+ OK\r\n");
    assert_eq!(
        h.send("fr\0ed {6}\r\n"),
        "a1 BAD Error in IMAP command received by server.\r\n"
    );
    assert_eq!(h.send("a2 NOOP\r\n"), "a2 OK NOOP completed.\r\n");
    // After login the reply names the command; a large non-synchronizing
    // literal's rest is dropped as it comes, never held.
    let mut h = Harness::logged_in(plaintext_options());
    h.server.handle_input(b"a3 LIST \"\" {60000+}\r\n");
    h.server.handle_input(&[b'x'; 1000]);
    assert_eq!(h.output(), "");
    h.server.handle_input(b"x\0x");
    assert_eq!(
        h.output(),
        "a3 BAD Error in IMAP command LIST: Literal contains a NUL octet.\r\n"
    );
    for _ in 0..59 {
        assert!(h.server.wants_read());
        h.server.handle_input(&[b'y'; 1000]);
    }
    h.server.handle_input(b"\r\na4 NOOP\r\n");
    assert!(matches!(h.command().body, CommandBody::Noop));
}
