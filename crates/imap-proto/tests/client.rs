//! The client machine against a scripted server, with the exact bytes it
//! sends: tags, the command queue and its pipelining rules (RFC 9051 §5.5),
//! literals (§4.3, RFC 7888), AUTHENTICATE with SASL-IR (RFC 4959), IDLE (RFC
//! 2177), STARTTLS and its response-injection guard, COMPRESS (RFC 4978),
//! capability tracking, and large FETCH bodies read as chunks.

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use imap_proto::client::{Client, CloseReason, Event, Options, State};
use imap_proto::types::{
    BodyItem, CommandBody, Data, FetchAttr, FetchAttrs, FetchItem, Flag, Mailbox, Section,
    SequenceSet, StatusKind, Tag,
};
use imap_proto::{ClientError, Mode};

struct Script {
    client: Client,
    now: Instant,
    events: Vec<Event>,
}

impl Script {
    fn new() -> Self {
        Self::with(Options::default())
    }

    fn with(options: Options) -> Self {
        let now = Instant::now();
        Self {
            client: Client::new(options, now),
            now,
            events: Vec::new(),
        }
    }

    /// Greeted with these capabilities.
    fn greeted(caps: &str) -> Self {
        let mut s = Self::new();
        s.server(&format!("* OK [CAPABILITY {caps}] ready\r\n"));
        s.take();
        s
    }

    /// Greeted with PREAUTH and these capabilities: already logged in.
    fn preauth(caps: &str) -> Self {
        let mut s = Self::new();
        s.server(&format!("* PREAUTH [CAPABILITY {caps}] ready\r\n"));
        s.take();
        s
    }

    /// What the client sends now.
    fn sent(&mut self) -> String {
        let mut out = BytesMut::new();
        self.client.poll_transmit(&mut out);
        String::from_utf8(out.to_vec()).unwrap()
    }

    fn server(&mut self, input: &str) {
        self.client.handle_input(input.as_bytes());
        while let Some(e) = self.client.poll_event() {
            self.events.push(e);
        }
    }

    fn take(&mut self) -> Vec<Event> {
        while let Some(e) = self.client.poll_event() {
            self.events.push(e);
        }
        std::mem::take(&mut self.events)
    }

    fn completed(&mut self) -> Vec<(String, StatusKind)> {
        self.take()
            .into_iter()
            .filter_map(|e| match e {
                Event::Completed { tag, kind, .. } => Some((tag.as_str().to_owned(), kind)),
                _ => None,
            })
            .collect()
    }
}

fn fetch(uid: bool, set: &str, attrs: Vec<FetchAttr<'static>>) -> CommandBody<'static> {
    let set = match set {
        "1" => SequenceSet::single(1).unwrap(),
        _ => SequenceSet::all(),
    };
    CommandBody::Fetch {
        uid,
        set,
        attrs: FetchAttrs::List(attrs),
        modifiers: vec![],
    }
}

#[test]
fn greeting_capabilities_and_tags() {
    let mut s = Script::new();
    // Queued before the greeting, sent after it.
    let t = s.client.capability().unwrap();
    assert_eq!(t.as_str(), "A1");
    assert_eq!(s.sent(), "");
    assert_eq!(s.client.state(), State::Greeting);
    s.server("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR] Dovecot ready.\r\n");
    let events = s.take();
    assert!(
        matches!(&events[0], Event::CapabilitiesChanged { capabilities } if capabilities.len() == 3)
    );
    assert!(
        matches!(&events[1], Event::GreetingReceived { kind: StatusKind::Ok, text, .. } if text == "Dovecot ready.")
    );
    assert_eq!(s.client.state(), State::NotAuthenticated);
    assert!(s.client.has_capability("literal+"));
    assert_eq!(s.sent(), "A1 CAPABILITY\r\n");
    s.server("* CAPABILITY IMAP4rev1 STARTTLS\r\nA1 OK done\r\n");
    assert!(!s.client.has_capability("LITERAL+") && s.client.has_capability("STARTTLS"));
    assert_eq!(s.completed(), vec![("A1".into(), StatusKind::Ok)]);
    // An injected tag scheme, deterministic.
    let mut n = 100;
    let mut c = Client::with_tag_generator(
        Options::default(),
        Instant::now(),
        Box::new(move || {
            n += 1;
            Tag::new(format!("x{n}")).unwrap()
        }),
    );
    assert_eq!(c.noop().unwrap().as_str(), "x101");
    assert_eq!(c.noop().unwrap().as_str(), "x102");
    // PREAUTH starts authenticated; BYE closes.
    let mut s = Script::new();
    s.server("* PREAUTH ready\r\n");
    assert_eq!(s.client.state(), State::Authenticated);
    let mut s = Script::new();
    s.server("* BYE too busy\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::GreetingRejected
        })
    ));
}

#[test]
fn a_synchronizing_literal_waits_for_the_continuation() {
    let mut s = Script::greeted("IMAP4rev1");
    s.client.login("fred", "p\u{e4}ss".as_bytes()).unwrap();
    s.client.noop().unwrap();
    // Up to the literal, then nothing until `+`.
    assert_eq!(s.sent(), "A1 LOGIN fred {5}\r\n");
    s.server("+ OK\r\n");
    assert_eq!(s.sent(), "p\u{e4}ss\r\nA2 NOOP\r\n");
    // With LITERAL+ it all goes at once (RFC 7888).
    let mut s = Script::greeted("IMAP4rev1 LITERAL+");
    s.client.login("fred", "p\u{e4}ss".as_bytes()).unwrap();
    assert_eq!(s.sent(), "A1 LOGIN fred {5+}\r\np\u{e4}ss\r\n");
    // LITERAL-: up to 4096 octets non-synchronizing, larger ones not.
    let mut s = Script::greeted("IMAP4rev1 LITERAL-");
    let small = Bytes::from(vec![b'a'; 4096]);
    let large = Bytes::from(vec![b'b'; 4097]);
    s.client.login("u", b"p").unwrap();
    s.client.append(Mailbox::inbox(), None, small).unwrap();
    s.client.append(Mailbox::inbox(), None, large).unwrap();
    let sent = s.sent();
    assert!(
        sent.starts_with("A1 LOGIN u p\r\nA2 APPEND INBOX {4096+}\r\naaa"),
        "{}",
        &sent[..40]
    );
    assert!(sent.ends_with("aaaa\r\nA3 APPEND INBOX {4097}\r\n"));
    s.server("+ Ready for literal data\r\n");
    assert_eq!(s.sent().len(), 4097 + 2);
}

#[test]
fn commands_are_pipelined_where_no_ambiguity_results() {
    let mut s = Script::greeted("IMAP4rev1");
    s.client.login("fred", b"secret").unwrap();
    s.client.select(Mailbox::inbox()).unwrap();
    // Sequence numbers wait for SELECT's completion (RFC 3501 §5.5).
    s.client
        .command(fetch(false, "1", vec![FetchAttr::Flags]))
        .unwrap();
    assert_eq!(s.sent(), "A1 LOGIN fred secret\r\nA2 SELECT INBOX\r\n");
    s.server("A1 OK [CAPABILITY IMAP4rev1] Logged in\r\n* 3 EXISTS\r\nA2 OK [READ-WRITE] done\r\n");
    assert_eq!(s.client.state(), State::Selected);
    assert_eq!(s.sent(), "A3 FETCH 1 (FLAGS)\r\n");
    // FETCH + STORE + SEARCH go together...
    s.client
        .command(CommandBody::Store {
            uid: false,
            set: SequenceSet::single(1).unwrap(),
            unchanged_since: None,
            kind: imap_proto::types::StoreKind::Add,
            silent: false,
            flags: vec![Flag::Seen],
        })
        .unwrap();
    assert_eq!(s.sent(), "A4 STORE 1 +FLAGS (\\Seen)\r\n");
    // ...but after a UID command a sequence-number command waits.
    s.client
        .command(fetch(true, "*", vec![FetchAttr::Uid]))
        .unwrap();
    s.client
        .command(fetch(false, "1", vec![FetchAttr::Uid]))
        .unwrap();
    assert_eq!(s.sent(), "A5 UID FETCH 1:* (UID)\r\n");
    // Completions come by tag, in any order.
    s.server("A5 OK a\r\nA3 OK b\r\n");
    assert_eq!(s.sent(), "A6 FETCH 1 (UID)\r\n");
    s.server("A4 OK c\r\nA6 OK d\r\n");
    assert_eq!(
        s.completed(),
        vec![
            ("A1".into(), StatusKind::Ok),
            ("A2".into(), StatusKind::Ok),
            ("A5".into(), StatusKind::Ok),
            ("A3".into(), StatusKind::Ok),
            ("A4".into(), StatusKind::Ok),
            ("A6".into(), StatusKind::Ok),
        ]
    );
    // State is checked against what the commands will have made it.
    let mut s = Script::greeted("IMAP4rev1");
    assert_eq!(
        s.client.command(fetch(false, "1", vec![FetchAttr::Flags])),
        Err(ClientError::WrongState(State::NotAuthenticated))
    );
    s.client.login("a", b"b").unwrap();
    assert!(s.client.examine(Mailbox::inbox()).is_ok());
    assert_eq!(
        s.client.enable(&["CONDSTORE"]),
        Err(ClientError::WrongState(State::NotAuthenticated))
    );
    s.client.logout().unwrap();
    assert_eq!(s.client.noop(), Err(ClientError::Closed));
}

#[test]
fn authenticate_plain_uses_sasl_ir_when_offered() {
    let mut s = Script::greeted("IMAP4rev1 SASL-IR AUTH=PLAIN");
    s.client
        .authenticate_plain(None, "fred", b"secret")
        .unwrap();
    s.client.noop().unwrap();
    // Nothing after AUTHENTICATE until it completes.
    assert_eq!(s.sent(), "A1 AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0\r\n");
    s.server("A1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in\r\n");
    assert_eq!(s.client.state(), State::Authenticated);
    assert!(s.client.has_capability("IDLE"));
    assert_eq!(s.sent(), "A2 NOOP\r\n");
    // Without SASL-IR: the response after the empty challenge; and with no
    // capabilities in the OK, they are asked for again.
    let mut s = Script::greeted("IMAP4rev1 AUTH=PLAIN");
    s.client
        .authenticate_plain(Some("admin"), "fred", b"secret")
        .unwrap();
    assert_eq!(s.sent(), "A1 AUTHENTICATE PLAIN\r\n");
    s.server("+ \r\n");
    assert_eq!(s.sent(), "YWRtaW4AZnJlZABzZWNyZXQ=\r\n");
    s.server("A1 OK Logged in\r\n");
    assert!(s.client.capabilities().is_none());
    assert_eq!(s.sent(), "A2 CAPABILITY\r\n");
    s.server("* CAPABILITY IMAP4rev1 MOVE\r\nA2 OK done\r\n");
    // The client's own CAPABILITY is not reported as completed.
    assert_eq!(s.completed(), vec![("A1".into(), StatusKind::Ok)]);
    assert!(s.client.has_capability("MOVE"));
    // Other mechanisms are the application's.
    let mut s = Script::greeted("IMAP4rev1 SASL-IR");
    s.client
        .authenticate("SCRAM-SHA-256", Some(b"n,,n=user,r=x"))
        .unwrap();
    assert_eq!(
        s.sent(),
        "A1 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9eA==\r\n"
    );
    assert_eq!(s.client.sasl_respond(b"x"), Err(ClientError::NoChallenge));
    s.server("+ cj14eXo=\r\n");
    assert!(matches!(
        s.take().as_slice(),
        [Event::ChallengeReceived { challenge, .. }] if challenge == b"r=xyz"
    ));
    s.client.sasl_cancel().unwrap();
    assert_eq!(s.sent(), "*\r\n");
    s.server("A1 BAD Authentication aborted by client.\r\n");
    assert_eq!(s.client.state(), State::NotAuthenticated);
}

#[test]
fn starttls_stops_output_and_refuses_injected_responses() {
    let mut s = Script::greeted("IMAP4rev1 STARTTLS LOGINDISABLED");
    s.client.starttls().unwrap();
    s.client.login("fred", b"secret").unwrap();
    assert_eq!(s.sent(), "A1 STARTTLS\r\n");
    s.server("A1 OK Begin TLS negotiation now.\r\n");
    let events = s.take();
    assert!(matches!(events.last(), Some(Event::TlsRequested { tag }) if tag.as_str() == "A1"));
    // The capabilities are stale (RFC 9051 §6.2.1); nothing goes in the clear.
    assert!(s.client.capabilities().is_none());
    assert_eq!(s.sent(), "");
    s.client.tls_started();
    // The capabilities first: how the rest is written depends on them.
    assert_eq!(s.sent(), "A3 CAPABILITY\r\n");
    s.server("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA3 OK done\r\n");
    assert_eq!(s.sent(), "A2 LOGIN fred secret\r\n");
    assert!(s.client.is_tls());
    assert_eq!(s.client.starttls(), Err(ClientError::TlsActive));
    // A response in the same read as the OK is a man in the middle's.
    let mut s = Script::greeted("IMAP4rev1 STARTTLS");
    s.client.starttls().unwrap();
    s.sent();
    s.server("A1 OK Begin TLS negotiation now.\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
    let events = s.take();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::TlsRequested { .. }))
    );
    assert!(matches!(
        events.last(),
        Some(Event::Closed {
            reason: CloseReason::ResponseInjection
        })
    ));
    // So is one arriving after it, before the handshake.
    let mut s = Script::greeted("IMAP4rev1 STARTTLS");
    s.client.starttls().unwrap();
    s.sent();
    s.server("A1 OK go\r\n");
    s.server("A9 OK injected\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::ResponseInjection
        })
    ));
}

#[test]
fn idle_runs_until_done_and_refreshes_itself() {
    let mut s = Script::preauth("IMAP4rev1 IDLE");
    let t = s.client.idle().unwrap();
    assert_eq!(s.client.idle(), Err(ClientError::Idling));
    s.client.noop().unwrap();
    assert_eq!(s.sent(), "A1 IDLE\r\n");
    s.server("+ idling\r\n* 4 EXISTS\r\n");
    let events = s.take();
    assert!(matches!(&events[0], Event::IdleStarted { tag } if tag == &t));
    assert!(matches!(
        &events[1],
        Event::DataReceived {
            data: Data::Exists(4)
        }
    ));
    // Commands wait for IDLE to end.
    assert_eq!(s.sent(), "");
    s.client.idle_done().unwrap();
    assert_eq!(s.sent(), "DONE\r\n");
    s.server("A1 OK Idle completed.\r\n");
    assert_eq!(s.sent(), "A2 NOOP\r\n");
    assert_eq!(s.client.idle_done(), Err(ClientError::NotIdling));
    // DONE asked for before `+ idling` goes right after it.
    let mut s = Script::preauth("IMAP4rev1 IDLE");
    s.client.idle().unwrap();
    s.client.idle_done().unwrap();
    assert_eq!(s.sent(), "A1 IDLE\r\n");
    s.server("+ idling\r\n");
    assert_eq!(s.sent(), "DONE\r\n");
    // Every 29 minutes the client ends IDLE and starts another.
    let mut s = Script::preauth("IMAP4rev1 IDLE");
    s.client.idle().unwrap();
    s.sent();
    s.server("+ idling\r\n");
    s.take();
    // No response is outstanding while idling, only the refresh.
    assert_eq!(s.client.poll_timeout(), Some(s.now));
    s.client.handle_timeout(s.now);
    let due = s.client.poll_timeout().unwrap();
    assert_eq!(due - s.now, Duration::from_secs(29 * 60));
    s.client.handle_timeout(due);
    assert_eq!(s.sent(), "DONE\r\n");
    s.server("A1 OK Idle completed.\r\n");
    assert_eq!(s.sent(), "A2 IDLE\r\n");
    assert!(s.client.is_idling());
}

#[test]
fn large_fetch_bodies_arrive_in_chunks() {
    let mut s = Script::preauth("IMAP4rev1");
    let body: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let mut wire = format!("* 3 FETCH (UID 7 BODY[] {{{}}}\r\n", body.len()).into_bytes();
    wire.extend_from_slice(&body);
    wire.extend_from_slice(b" BODY[1] {70000}\r\n");
    wire.extend_from_slice(&vec![b'x'; 70_000]);
    wire.extend_from_slice(b" FLAGS (\\Seen))\r\n* 4 FETCH (BODY[HEADER] {5}\r\nhello)\r\n");
    // Fed in pieces, as a socket would.
    for piece in wire.chunks(7_919) {
        s.client.handle_input(piece);
    }
    let events = s.take();
    let mut got = Vec::new();
    let mut second = 0;
    let mut phase = 0;
    for e in &events {
        match e {
            Event::FetchBodyStarted {
                seq: 3,
                items,
                body:
                    BodyItem::Section {
                        section,
                        origin: None,
                    },
                size,
            } => {
                if phase == 0 {
                    assert_eq!(items, &vec![FetchItem::Uid(7)]);
                    assert_eq!((section, *size), (&Section::default(), 200_000));
                } else {
                    assert!(items.is_empty());
                    assert_eq!((section.part.as_slice(), *size), (&[1][..], 70_000));
                }
                phase += 1;
            }
            Event::FetchBodyChunk { seq: 3, data } if phase == 1 => got.extend_from_slice(data),
            Event::FetchBodyChunk { seq: 3, data } => second += data.len(),
            Event::FetchBodyEnded { seq: 3, items } => {
                assert_eq!(items, &vec![FetchItem::Flags(vec![Flag::Seen])]);
                phase += 1;
            }
            // A small body stays in its response.
            Event::DataReceived {
                data: Data::Fetch { seq: 4, items },
            } => {
                assert_eq!(
                    items[0].literal().unwrap().data(),
                    &Bytes::from_static(b"hello")
                );
                phase += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((phase, got == body, second), (4, true, 70_000));
    // No chunk was a copy gathered whole.
    assert!(
        events
            .iter()
            .filter(|e| matches!(e, Event::FetchBodyChunk { .. }))
            .count()
            > 20
    );
}

#[test]
fn a_literal_that_cannot_stream_is_bounded() {
    let mut o = Options::default();
    o.max_literal = 1000;
    o.stream_threshold = 500;
    let mut s = Script::with(o);
    s.server("* PREAUTH x\r\n");
    s.take();
    // A body ends the same way, streamed...
    s.server("* 1 FETCH (RFC822 {600}\r\n");
    assert!(matches!(
        s.take().as_slice(),
        [Event::FetchBodyStarted {
            body: BodyItem::Rfc822,
            size: 600,
            ..
        }]
    ));
    s.server(&"z".repeat(600));
    s.server(")\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::FetchBodyEnded { seq: 1, .. })
    ));
    // ...but a literal inside an envelope cannot be: held up to the limit.
    s.server("* 2 FETCH (ENVELOPE (NIL {1001}\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::LiteralTooLarge
        })
    ));
}

#[test]
fn enable_and_capabilities_switch_the_grammar() {
    let mut s = Script::preauth("IMAP4rev1 IMAP4rev2");
    s.client.enable(&["IMAP4rev2"]).unwrap();
    s.sent();
    assert_eq!(s.client.mode(), Mode::Imap4rev1);
    s.server("* ENABLED IMAP4rev2\r\nA1 OK done\r\n");
    assert_eq!(s.client.mode(), Mode::Imap4rev2);
    // In IMAP4rev2, LSUB does not exist (RFC 9051 appendix E).
    s.server("* LSUB () \"/\" foo\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError
        })
    ));
    // A server of IMAP4rev2 alone is spoken to in it at once.
    let s = Script::greeted("IMAP4rev2");
    assert_eq!(s.client.mode(), Mode::Imap4rev2);
}

#[test]
fn the_server_breaking_the_protocol_closes_the_session() {
    for input in [
        "Z9 OK no such command\r\n",
        "+ nobody asked\r\n",
        "* 1 FROB\r\n",
        "* OK [CAPABILITY IMAP4rev1] twice\r\n)))\r\n",
    ] {
        let mut s = Script::greeted("IMAP4rev1");
        s.server(input);
        assert!(
            matches!(
                s.take().last(),
                Some(Event::Closed {
                    reason: CloseReason::ProtocolError
                })
            ),
            "{input}"
        );
    }
    // An unsolicited BYE ends it too; one before LOGOUT's OK is LOGOUT's.
    let mut s = Script::greeted("IMAP4rev1");
    s.server("* BYE Server shutting down.\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::ServerBye
        })
    ));
    let mut s = Script::greeted("IMAP4rev1");
    s.client.logout().unwrap();
    s.server("* BYE Logging out\r\n");
    assert!(!s.client.is_closed());
    s.server("A1 OK Logout completed.\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::Logout
        })
    ));
}

#[test]
fn compress_hands_back_what_followed_its_ok() {
    let mut s = Script::preauth("IMAP4rev1 COMPRESS=DEFLATE");
    s.client.compress().unwrap();
    s.client.noop().unwrap();
    assert_eq!(s.sent(), "A1 COMPRESS DEFLATE\r\n");
    s.client.handle_input(b"A1 OK DEFLATE active\r\n\x78\x9c");
    let events = s.take();
    assert!(matches!(
        events.last(),
        Some(Event::CompressionStarted { input, .. }) if &input[..] == b"\x78\x9c"
    ));
    assert_eq!(s.sent(), "");
    s.client.compression_started();
    assert_eq!(s.sent(), "A2 NOOP\r\n");
    assert_eq!(s.client.compress(), Err(ClientError::CompressionActive));
}

#[test]
fn an_unanswered_command_times_out() {
    let mut s = Script::greeted("IMAP4rev1");
    // The greeting was activity: its time is stamped at once.
    assert_eq!(s.client.poll_timeout(), Some(s.now));
    s.client.handle_timeout(s.now);
    assert_eq!(s.client.poll_timeout(), None);
    // The reviewer's case: a command at minute 5 timed out at minute 20.
    s.now += Duration::from_secs(5 * 60);
    s.client.noop().unwrap();
    assert!(s.client.poll_timeout().unwrap() <= s.now);
    s.client.handle_timeout(s.now);
    let deadline = s.client.poll_timeout().unwrap();
    assert_eq!(deadline - s.now, Duration::from_secs(10 * 60));
    s.now = deadline - Duration::from_secs(1);
    s.client.handle_timeout(s.now);
    assert!(!s.client.is_closed());
    // Input is activity; the deadline runs from it.
    s.server("* 3 EXISTS\r\n");
    assert!(s.client.poll_timeout().unwrap() <= s.now);
    s.client.handle_timeout(s.now);
    let deadline = s.client.poll_timeout().unwrap();
    assert_eq!(deadline - s.now, Duration::from_secs(10 * 60));
    s.client.handle_timeout(deadline);
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::TimedOut
        })
    ));
}

#[test]
fn streamed_chunks_are_slices_of_the_callers_buffer() {
    let mut s = Script::preauth("IMAP4rev1");
    let mut buf = BytesMut::new();
    buf.extend_from_slice(b"* 1 FETCH (BODY[] {100000}\r\n");
    buf.extend_from_slice(&vec![b'z'; 100_000]);
    buf.extend_from_slice(b")\r\n");
    let start = buf.as_ptr() as usize;
    let range = start..start + buf.len();
    s.client.handle_input_buf(&mut buf);
    assert!(buf.is_empty());
    let events = s.take();
    let chunks: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::FetchBodyChunk { data, .. } => Some(data),
            _ => None,
        })
        .collect();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].len(), 100_000);
    assert!(range.contains(&(chunks[0].as_ptr() as usize)));
    assert!(matches!(
        events.last(),
        Some(Event::FetchBodyEnded { seq: 1, .. })
    ));
}

#[test]
fn a_literal_refused_before_its_continuation_is_never_sent() {
    let mut s = Script::preauth("IMAP4rev1");
    let big = Bytes::from(vec![b'm'; 20_000]);
    let append = s.client.append(Mailbox::inbox(), None, big).unwrap();
    s.client.noop().unwrap();
    assert_eq!(s.sent(), "A1 APPEND INBOX {20000}\r\n");
    // RFC 9051 §7.5: a tagged response instead of `+` ends the command.
    s.server("A1 NO [TOOBIG] Message too large.\r\n");
    assert_eq!(s.sent(), "A2 NOOP\r\n");
    assert_eq!(
        s.completed(),
        vec![(append.as_str().to_owned(), StatusKind::No)]
    );
    // A later `+` finds no command waiting for it.
    s.server("+ OK\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError
        })
    ));
}

#[test]
fn a_nul_in_a_servers_literal_breaks_the_protocol_unless_a_quirk_allows_it() {
    // Held literal, found by the Framer.
    let mut s = Script::preauth("IMAP4rev1");
    s.server("* 1 FETCH (BODY[] {3}\r\na\0b)\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError
        })
    ));
    // Streamed body, found in the chunk as it arrives.
    let mut o = Options::default();
    o.stream_threshold = 10;
    let mut s = Script::with(o.clone());
    s.server("* PREAUTH x\r\n");
    s.server("* 1 FETCH (BODY[] {20}\r\n0123456789");
    s.take();
    s.server("01234\x005678)\r\n");
    assert!(matches!(
        s.take().last(),
        Some(Event::Closed {
            reason: CloseReason::ProtocolError
        })
    ));
    // A literal8 (BINARY, RFC 3516) carries NUL.
    let mut s = Script::with(o.clone());
    s.server("* PREAUTH x\r\n");
    s.server(
        "* 1 FETCH (BINARY[] ~{12}\r\n0123456789\0\0)\r\n* 2 FETCH (BINARY[] ~{2}\r\n\0\0)\r\n",
    );
    let events = s.take();
    assert!(
        !events.iter().any(|e| matches!(e, Event::Closed { .. })),
        "{events:?}"
    );
    // The quirk lets a server's NUL through, held or streamed.
    o.codec.quirks.nul_in_literal = true;
    let mut s = Script::with(o);
    s.server("* PREAUTH x\r\n");
    s.server("* 1 FETCH (BODY[] {3}\r\na\0b)\r\n* 2 FETCH (BODY[] {12}\r\n0123456789\0\0)\r\n");
    let events = s.take();
    assert!(
        !events.iter().any(|e| matches!(e, Event::Closed { .. })),
        "{events:?}"
    );
    let chunk: Vec<u8> = events
        .iter()
        .filter_map(|e| match e {
            Event::FetchBodyChunk { data, .. } => Some(data.to_vec()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(chunk, b"0123456789\0\0");
}

/// `UID SEARCH` with these criteria.
fn uid_search(criteria: Vec<imap_proto::types::SearchKey<'static>>) -> CommandBody<'static> {
    CommandBody::Search {
        uid: true,
        returns: None,
        charset: None,
        criteria,
    }
}

#[test]
fn a_uid_search_with_sequence_numbers_waits_for_expunges() {
    use imap_proto::types::SearchKey;
    // RFC 9051 §5.5: after a command other than FETCH, STORE or SEARCH, "a
    // command that uses message sequence numbers (this may include UID
    // SEARCH)" waits: NOOP may bring an EXPUNGE that renumbers them.
    let mut s = Script::preauth("IMAP4rev1");
    s.client.select(Mailbox::inbox()).unwrap();
    s.sent();
    s.server("A1 OK [READ-WRITE] done\r\n");
    s.client.noop().unwrap();
    s.client
        .command(uid_search(vec![
            SearchKey::Unseen,
            SearchKey::Not(Box::new(SearchKey::SequenceSet(
                SequenceSet::single(4).unwrap(),
            ))),
        ]))
        .unwrap();
    assert_eq!(s.sent(), "A2 NOOP\r\n");
    s.server("* 2 EXPUNGE\r\nA2 OK done\r\n");
    assert_eq!(s.sent(), "A3 UID SEARCH UNSEEN NOT 4\r\n");
    s.server("* SEARCH 3\r\nA3 OK done\r\n");
    // Without sequence numbers a UID SEARCH goes at once...
    s.client.noop().unwrap();
    s.client
        .command(uid_search(vec![SearchKey::Uid(SequenceSet::all())]))
        .unwrap();
    assert_eq!(s.sent(), "A4 NOOP\r\nA5 UID SEARCH UID 1:*\r\n");
    // ...and "UID SEARCH + UID SEARCH may be valid or invalid ... depending
    // upon whether or not the second UID SEARCH contains message sequence
    // numbers".
    s.client
        .command(uid_search(vec![SearchKey::Or(
            Box::new(SearchKey::Seen),
            Box::new(SearchKey::And(vec![SearchKey::SequenceSet(
                SequenceSet::all(),
            )])),
        )]))
        .unwrap();
    assert_eq!(s.sent(), "");
    s.server("A4 OK done\r\n* SEARCH 9\r\nA5 OK done\r\n");
    assert_eq!(s.sent(), "A6 UID SEARCH OR SEEN (1:*)\r\n");
}

#[test]
fn commands_behind_a_failed_starttls_are_cancelled_never_sent_in_the_clear() {
    use imap_proto::client::CancelReason;
    // The reviewer's case: LOGIN queued behind STARTTLS, which fails.
    let mut s = Script::greeted("IMAP4rev1 STARTTLS LOGINDISABLED");
    s.client.starttls().unwrap();
    let login = s.client.login("fred", b"secret").unwrap();
    let noop = s.client.noop().unwrap();
    assert_eq!(s.sent(), "A1 STARTTLS\r\n");
    s.server("A1 BAD TLS support isn't enabled.\r\n");
    assert_eq!(s.sent(), "", "no password in the clear");
    let events = s.take();
    let cancelled: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::CommandCancelled { tag, reason } => Some((tag.clone(), *reason)),
            _ => None,
        })
        .collect();
    assert_eq!(
        cancelled,
        vec![
            (login, CancelReason::StartTlsFailed),
            (noop, CancelReason::StartTlsFailed)
        ]
    );
    assert!(!s.client.is_tls());
    // LOGINDISABLED still stands: LOGIN is an API error now (RFC 9051
    // §6.2.3: "A client implementation MUST NOT send a LOGIN command if the
    // LOGINDISABLED capability is advertised").
    assert_eq!(
        s.client.login("fred", b"secret"),
        Err(ClientError::LoginDisabled)
    );
    // Commands issued after the failure are the application's to make.
    s.client.noop().unwrap();
    assert_eq!(s.sent(), "A4 NOOP\r\n");
    // LOGINDISABLED forbids LOGIN only; AUTHENTICATE is governed by the
    // mechanisms the server offers.
    s.client
        .authenticate("SCRAM-SHA-256", Some(b"n,,n=fred,r=x"))
        .unwrap();
}

#[test]
fn login_waits_for_the_capabilities_after_tls() {
    use imap_proto::client::CancelReason;
    // Over TLS the server no longer says LOGINDISABLED: LOGIN goes.
    let mut s = Script::greeted("IMAP4rev1 STARTTLS LOGINDISABLED");
    s.client.starttls().unwrap();
    s.client.login("fred", b"secret").unwrap();
    s.sent();
    s.server("A1 OK Begin TLS negotiation now.\r\n");
    s.client.tls_started();
    assert_eq!(s.sent(), "A3 CAPABILITY\r\n");
    s.server("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA3 OK done\r\n");
    assert_eq!(s.sent(), "A2 LOGIN fred secret\r\n");
    // A server that still says LOGINDISABLED over TLS gets no LOGIN.
    let mut s = Script::greeted("IMAP4rev1 STARTTLS LOGINDISABLED");
    s.client.starttls().unwrap();
    let login = s.client.login("fred", b"secret").unwrap();
    s.sent();
    s.server("A1 OK Begin TLS negotiation now.\r\n");
    s.client.tls_started();
    assert_eq!(s.sent(), "A3 CAPABILITY\r\n");
    s.server("* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN\r\nA3 OK done\r\n");
    assert_eq!(s.sent(), "");
    assert!(s.take().iter().any(|e| matches!(
        e,
        Event::CommandCancelled { tag, reason: CancelReason::LoginDisabled } if *tag == login
    )));
}
