//! A whole IMAP server session fed random bytes in random chunk sizes, with
//! an application answering every event (logins accepted or refused, SASL
//! steps, data and completions of every kind, bodies streamed as asked,
//! updates pushed when allowed) and a clock that jumps. Everything the server
//! sends must decode as responses: nothing it is given can break the
//! grammar.

#![no_main]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use imap_proto::Mode;
use imap_proto::decode::{self, Frame, Framer};
use imap_proto::server::{
    BodyDemand, Completion, Event, LiteralExtension, LoginFailure, Options, Server, Updates,
};
use imap_proto::types::{
    Atom, BodyItem, Code, Data, FetchItem, Flag, IString, ListItem, Mailbox, Section, SequenceSet,
    StatusAttr, Tag,
};
use libfuzzer_sys::fuzz_target;

const BODY: &[u8] = b"Subject: x\r\n\r\nline\0 with NUL\r\n)\r\n* BYE fake\r\n";

/// Checks that `out` is a sequence of whole responses in some mode the
/// session may be in; returns how much it used.
fn check(out: &[u8]) -> usize {
    let mut used = 0;
    loop {
        let rest = Bytes::copy_from_slice(&out[used..]);
        if rest.is_empty() {
            return used;
        }
        let mut framer = Framer::new(&imap_proto::Options::default());
        let len = loop {
            match framer.next(&rest) {
                Ok(Frame::Literal(_)) => continue,
                Ok(Frame::Complete { len }) => break len,
                Ok(_) => return used,
                Err(e) => panic!("{e}: {:?}", String::from_utf8_lossy(&rest)),
            }
        };
        let line = rest.slice(..len);
        let ok = [Mode::Utf8Accept, Mode::Imap4rev2].iter().any(|&m| {
            decode::response(&line, &imap_proto::Options::with_mode(m)).is_ok_and(|(_, n)| n == len)
        });
        assert!(ok, "not a response: {:?}", String::from_utf8_lossy(&line));
        used += len;
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut options = Options::default();
    options.allow_plaintext_without_tls = flags & 1 != 0;
    options.imap4rev1 = flags & 2 == 0;
    options.literal = if flags & 4 != 0 {
        LiteralExtension::Minus
    } else {
        LiteralExtension::Plus
    };
    options.compress = flags & 8 != 0;
    options.extensions = ["CONDSTORE", "QRESYNC", "UTF8=ACCEPT"]
        .iter()
        .map(|c| Atom::new(*c).expect("atom"))
        .collect();
    options.sasl_mechanisms = ["PLAIN", "SCRAM-SHA-1"]
        .iter()
        .map(|c| Atom::new(*c).expect("atom"))
        .collect();
    options.max_transmit = 300;
    options.body_buffer = 100;
    options.max_buffered_input = 2048;
    options.max_literal = 600;
    options.max_append = 3000;
    options.codec.max_line = 500;
    let mut now = Instant::now();
    let mut server = if flags & 16 != 0 {
        Server::preauthenticated(options, now)
    } else {
        Server::new(options, now)
    };
    let mut decision = flags >> 5;
    // A command with the application, and a body being streamed for it.
    let mut held: Option<Tag<'static>> = None;
    let mut streaming: Option<(Tag<'static>, usize)> = None;
    let mut out = BytesMut::new();
    let mut sent = Vec::new();
    while let Some((&control, tail)) = rest.split_first() {
        let len = usize::from(control & 0x3f).min(tail.len());
        let (chunk, tail) = tail.split_at(len);
        rest = tail;
        if server.wants_read() || control & 0x40 != 0 {
            server.handle_input(chunk);
        }
        if control & 0x80 != 0 {
            now += Duration::from_secs(u64::from(control & 0x3f) * 60);
            server.handle_timeout(now);
        }
        for _ in 0..10_000 {
            let mut moved = false;
            loop {
                out.clear();
                let n = server.poll_transmit(&mut out);
                assert!(n <= 300, "{n}");
                if n == 0 {
                    break;
                }
                sent.extend_from_slice(&out);
                moved = true;
            }
            let used = check(&sent);
            sent.drain(..used);
            while let Some(event) = server.poll_event() {
                moved = true;
                decision = decision.rotate_left(1) ^ 0x5a;
                match event {
                    Event::LoginRequested { .. } => {
                        let r = if decision % 3 == 0 {
                            server.login_failed(LoginFailure::InvalidCredentials)
                        } else {
                            server.login_succeeded()
                        };
                        assert!(r.is_ok(), "{r:?}");
                    }
                    Event::SaslStarted { .. } | Event::SaslResponseReceived { .. } => {
                        let r = match decision % 3 {
                            0 => server.sasl_challenge(b"r=nonce,s=salt,i=4096"),
                            1 => server.login_failed(LoginFailure::Unavailable),
                            _ => server.login_succeeded(),
                        };
                        assert!(r.is_ok(), "{r:?}");
                    }
                    Event::CompressionStarted { input } => server.handle_input(&input),
                    Event::IdleStarted { .. } => {
                        // The IDLE may be over already (DONE in the same
                        // input): the update is refused then. After ENABLE
                        // QRESYNC an expunge is VANISHED.
                        let all = server.updates() == Updates::All;
                        let r = server.update(&Data::Expunge(2));
                        if !all {
                            assert!(r.is_err());
                        } else if !server.enabled().qresync {
                            assert_eq!(r, Ok(()));
                        }
                        let _ = server.update(&Data::Exists(7));
                    }
                    Event::CommandReceived { command } => held = Some(command.tag),
                    // APPEND streams: a decision per message, then chunks.
                    Event::AppendRequested { tag, message, .. } => {
                        let r = if decision % 4 == 0 {
                            server.reject_append(
                                &tag,
                                Completion::no("No such mailbox").with_code(Code::TryCreate),
                            )
                        } else {
                            server.accept_append(&tag)
                        };
                        assert!(r.is_ok(), "{r:?}");
                        assert!(message.size <= 3000);
                    }
                    Event::AppendChunk { data, .. } => assert!(!data.is_empty()),
                    Event::AppendReceived { tag, messages } => {
                        assert!(messages > 0);
                        held = Some(tag);
                    }
                    Event::Closed { .. } => {}
                    _ => {}
                }
            }
            if let Some(tag) = held.take() {
                moved = true;
                answer(&mut server, &tag, decision, &mut streaming);
            }
            if let Some((tag, offset)) = streaming.take() {
                match server.body_demand() {
                    Some(BodyDemand::More) => {
                        let end = (offset + 7).min(BODY.len());
                        server
                            .body_chunk(Bytes::copy_from_slice(&BODY[offset..end]))
                            .expect("chunk");
                        streaming = Some((tag, end));
                        moved = true;
                    }
                    Some(BodyDemand::Full) => streaming = Some((tag, offset)),
                    None => {
                        if !server.is_closed() {
                            server
                                .fetch_items(&tag, &[FetchItem::Flags(vec![Flag::Seen])])
                                .expect("items");
                            server.fetch_end(&tag).expect("end");
                            server.ok(&tag).expect("ok");
                        }
                        moved = true;
                    }
                }
            }
            if !moved {
                break;
            }
        }
        if server.is_closed() {
            out.clear();
            while server.poll_transmit(&mut out) > 0 {
                out.clear();
            }
            server.handle_input(b"a NOOP\r\n");
            assert_eq!(server.poll_transmit(&mut out), 0);
            return;
        }
    }
});

/// The application's answer to a command: data of some kind, a streamed
/// body, updates, and a completion.
fn answer(
    server: &mut Server,
    tag: &Tag<'static>,
    decision: u8,
    streaming: &mut Option<(Tag<'static>, usize)>,
) {
    let mode = server.mode();
    let _ = server.data(tag, &Data::Exists(3));
    let _ = server.data(tag, &Data::Recent(1));
    let _ = server.data(tag, &Data::Expunge(1));
    let _ = server.data(
        tag,
        &Data::Search {
            ids: vec![1, 2],
            modseq: None,
        },
    );
    let _ = server.data(
        tag,
        &Data::List(ListItem {
            attrs: vec![],
            delimiter: Some('/'),
            mailbox: Mailbox::from_name("Entw\u{fc}rfe", mode),
            extended: None,
        }),
    );
    let _ = server.data(
        tag,
        &Data::MailboxStatus {
            mailbox: Mailbox::inbox(),
            items: vec![(StatusAttr::Messages, 3)],
        },
    );
    let _ = server.data(
        tag,
        &Data::Fetch {
            seq: 1,
            items: vec![
                FetchItem::Uid(9),
                FetchItem::BodySection {
                    section: Section::default(),
                    origin: None,
                    data: Some(IString::from_bytes(&b"a\r\nb"[..], mode)),
                },
            ],
        },
    );
    let _ = server.update(&Data::Vanished {
        earlier: false,
        uids: SequenceSet::single(4).expect("set"),
    });
    match decision % 5 {
        0 => {
            if server.fetch_begin(tag, 1).is_ok() {
                let item = BodyItem::Section {
                    section: Section::default(),
                    origin: Some(0),
                };
                server
                    .fetch_body(tag, &item, BODY.len() as u64)
                    .expect("body");
                *streaming = Some((tag.clone(), 0));
            }
        }
        1 => {
            let _ = server.complete(
                tag,
                Completion::no("No such\r\nmailbox [x]").with_code(Code::NonExistent),
            );
        }
        2 => {
            let _ = server.complete(tag, Completion::bad("[bad"));
        }
        3 => {
            let _ = server.complete(tag, Completion::ok("caf\u{e9}").with_code(Code::ReadOnly));
        }
        _ => {
            let _ = server.ok(tag);
        }
    }
}
