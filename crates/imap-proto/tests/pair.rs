//! A client and a server machine joined in memory with a fake clock, driven
//! to idle, the bytes between them cut into pseudo-random pieces: every
//! command of the grammar goes through, pipelined, with literals, large
//! bodies both ways, IDLE with updates, and the STARTTLS and COMPRESS
//! switches (the transports here are the identity).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use imap_proto::client::{self, Client};
use imap_proto::server::{self, BodyDemand, Completion, Credentials, LoginFailure, Server};
use imap_proto::types::*;
use imap_proto::{LiteralPolicy, Mode, Options, decode, encode};

/// A tiny deterministic generator for chunk sizes.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The untagged data of a response line.
fn data(line: &str, mode: Mode) -> Data<'static> {
    let input = Bytes::from(format!("{line}\r\n"));
    let (r, _) = decode::response(&input, &Options::with_mode(mode)).unwrap();
    let Response::Data(d) = r else {
        panic!("{line}")
    };
    d.into_static()
}

/// The application behind the server: answers every command with data of
/// the command's kind, and records what it was given.
struct App {
    received: Vec<Command<'static>>,
    body: Bytes,
    /// A body being streamed: the command's tag and the offset.
    streaming: Option<(Tag<'static>, usize)>,
    chunk: usize,
    idle: Option<Tag<'static>>,
    /// APPENDs as received: the tag, the mailbox, each message's
    /// announcement and octets, and how many chunks brought them.
    appends: Vec<Appended>,
}

/// An APPEND command as the application received it, streamed.
#[derive(Debug, Default)]
struct Appended {
    tag: String,
    mailbox: Vec<u8>,
    messages: Vec<(server::AppendAnnouncement, Vec<u8>)>,
    chunks: usize,
    received: bool,
}

impl App {
    fn answer(&mut self, server: &mut Server, event: server::Event) {
        match event {
            server::Event::LoginRequested { credentials, .. } => {
                let ok = match credentials {
                    Credentials::Login { username, password } => {
                        username == "fred" && password.expose() == b"s3 cr\"t"
                    }
                    Credentials::Plain {
                        authcid, password, ..
                    } => authcid == "fred" && password.expose() == b"s3 cr\"t",
                    _ => false,
                };
                if ok {
                    server.login_succeeded().unwrap();
                } else {
                    server
                        .login_failed(LoginFailure::InvalidCredentials)
                        .unwrap();
                }
            }
            server::Event::IdleStarted { tag } => {
                self.idle = Some(tag);
                server.update(&Data::Exists(3)).unwrap();
                server.update(&Data::Expunge(1)).unwrap();
            }
            server::Event::CommandReceived { command } => {
                self.received.push(command.clone());
                self.command(server, command);
            }
            // APPEND comes streamed: accepted, its octets gathered here (a
            // real application writes them to its store as they come).
            server::Event::AppendRequested {
                tag,
                mailbox,
                message,
            } => {
                if message.index == 0 {
                    self.appends.push(Appended {
                        tag: tag.as_str().to_owned(),
                        mailbox: mailbox.as_bytes().to_vec(),
                        ..Appended::default()
                    });
                }
                let a = self.appends.last_mut().unwrap();
                a.messages.push((message, Vec::new()));
                server.accept_append(&tag).unwrap();
            }
            server::Event::AppendChunk { data, .. } => {
                let a = self.appends.last_mut().unwrap();
                a.messages.last_mut().unwrap().1.extend_from_slice(&data);
                a.chunks += 1;
            }
            server::Event::AppendReceived { tag, messages } => {
                let a = self.appends.last_mut().unwrap();
                assert_eq!((a.tag.as_str(), a.messages.len()), (tag.as_str(), messages));
                a.received = true;
                server
                    .complete(
                        &tag,
                        Completion::ok("APPEND completed").with_code(Code::AppendUid {
                            uid_validity: 38505,
                            uids: SequenceSet::single(3955).unwrap(),
                        }),
                    )
                    .unwrap();
            }
            _ => {}
        }
    }

    fn command(&mut self, server: &mut Server, command: Command<'static>) {
        let t = &command.tag;
        let m = server.mode();
        let lines: &[&str] = match &command.body {
            CommandBody::Select { .. } | CommandBody::Examine { .. } => &[
                "* 2 EXISTS",
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [UIDVALIDITY 3857529045] UIDs valid",
            ],
            CommandBody::List { .. } => &["* LIST (\\HasNoChildren) \"/\" Sent"],
            CommandBody::Lsub { .. } => &["* LSUB () \"/\" Sent"],
            CommandBody::Namespace => &["* NAMESPACE ((\"\" \"/\")) NIL NIL"],
            CommandBody::Status { .. } => &["* STATUS Sent (MESSAGES 2 UIDNEXT 9)"],
            CommandBody::Search { .. } => &["* SEARCH 1 2"],
            CommandBody::Store { .. } => &["* 1 FETCH (FLAGS (\\Seen \\Deleted))"],
            CommandBody::Expunge | CommandBody::UidExpunge(_) => &["* 2 EXPUNGE"],
            CommandBody::Id(_) => &["* ID (\"name\" \"imap-proto\")"],
            CommandBody::GetQuota(_) => &["* QUOTA \"\" (STORAGE 10 512)"],
            CommandBody::GetQuotaRoot(_) => {
                &["* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 10 512)"]
            }
            CommandBody::Fetch { attrs, .. } => {
                let body = attrs
                    .expand()
                    .iter()
                    .any(|a| matches!(a, FetchAttr::BodySection { .. }));
                if body {
                    server.fetch_begin(t, 1).unwrap();
                    server.fetch_items(t, &[FetchItem::Uid(7)]).unwrap();
                    let item = BodyItem::Section {
                        section: Section::default(),
                        origin: None,
                    };
                    server.fetch_body(t, &item, self.body.len() as u64).unwrap();
                    self.streaming = Some((t.clone(), 0));
                    self.feed(server);
                    return;
                }
                &["* 1 FETCH (FLAGS (\\Seen) UID 7)"]
            }
            _ => &[],
        };
        for line in lines {
            server.data(t, &data(line, m)).unwrap();
        }
        let completion = match &command.body {
            CommandBody::Copy { .. } | CommandBody::Move { .. } => {
                Some(Completion::ok("Done").with_code(Code::CopyUid {
                    uid_validity: 1,
                    source: SequenceSet::single(1).unwrap(),
                    destination: SequenceSet::single(5).unwrap(),
                }))
            }
            _ => None,
        };
        match completion {
            Some(c) => server.complete(t, c).unwrap(),
            None => server.ok(t).unwrap(),
        }
    }

    /// The APPEND command `tag` as the application received it, streamed.
    fn appended(&self, tag: &Tag<'_>) -> Command<'static> {
        let a = self
            .appends
            .iter()
            .find(|a| a.tag == tag.as_str() && a.received)
            .unwrap_or_else(|| panic!("no APPEND {tag}"));
        let messages = a
            .messages
            .iter()
            .map(|(m, data)| AppendMessage {
                flags: m.flags.clone(),
                date: m.date,
                data: Literal::new(data.clone()).unwrap(),
                utf8: m.utf8,
            })
            .collect();
        Command::new(
            tag.clone().into_static(),
            CommandBody::Append {
                mailbox: Mailbox::from_name(&String::from_utf8_lossy(&a.mailbox), Mode::Imap4rev1),
                messages,
            },
        )
    }

    /// Hands over body chunks as far as the server wants them.
    fn feed(&mut self, server: &mut Server) {
        while let Some((tag, offset)) = self.streaming.clone() {
            match server.body_demand() {
                Some(BodyDemand::More) => {
                    let end = (offset + self.chunk).min(self.body.len());
                    server.body_chunk(self.body.slice(offset..end)).unwrap();
                    self.streaming = Some((tag, end));
                }
                Some(BodyDemand::Full) => return,
                None => {
                    server
                        .fetch_items(&tag, &[FetchItem::Flags(vec![Flag::Seen])])
                        .unwrap();
                    server.fetch_end(&tag).unwrap();
                    server.ok(&tag).unwrap();
                    self.streaming = None;
                }
            }
        }
    }
}

struct Pair {
    client: Client,
    server: Server,
    app: App,
    rng: Rng,
    events: Vec<client::Event>,
    /// The largest piece one `poll_transmit` gave.
    largest: usize,
}

impl Pair {
    fn new(options: server::Options, seed: u64) -> Self {
        let now = Instant::now();
        let mut copts = client::Options::default();
        copts.stream_threshold = 10_000;
        Self {
            client: Client::new(copts, now),
            server: Server::new(options, now),
            app: App {
                received: Vec::new(),
                body: Bytes::new(),
                streaming: None,
                chunk: 4096,
                idle: None,
                appends: Vec::new(),
            },
            rng: Rng(seed),
            events: Vec::new(),
            largest: 0,
        }
    }

    /// Moves bytes and events until neither side has anything to do.
    fn run(&mut self) {
        for _ in 0..1_000_000 {
            let mut moved = false;
            let mut wire = BytesMut::new();
            loop {
                let n = self.server.poll_transmit(&mut wire);
                if n == 0 {
                    break;
                }
                self.largest = self.largest.max(n);
            }
            // In pieces of any size.
            while !wire.is_empty() {
                let n = (1 + self.rng.below(3000)).min(wire.len());
                let piece = wire.split_to(n);
                self.client.handle_input(&piece);
                moved = true;
            }
            let mut out = BytesMut::new();
            self.client.poll_transmit(&mut out);
            while !out.is_empty() {
                let n = (1 + self.rng.below(3000)).min(out.len());
                let piece = out.split_to(n);
                self.server.handle_input(&piece);
                moved = true;
            }
            while let Some(e) = self.server.poll_event() {
                moved = true;
                match e {
                    server::Event::TlsRequested | server::Event::CompressionStarted { .. } => {
                        if let server::Event::CompressionStarted { input } = e {
                            // The identity "compression": the octets are
                            // already plain.
                            self.server.handle_input(&input);
                        }
                    }
                    e => self.app.answer(&mut self.server, e),
                }
            }
            if self.app.streaming.is_some() {
                let before = self.server.backlog();
                self.app.feed(&mut self.server);
                moved |= self.server.backlog() != before;
            }
            while let Some(e) = self.client.poll_event() {
                moved = true;
                match e {
                    client::Event::TlsRequested { .. } => self.client.tls_started(),
                    client::Event::CompressionStarted { ref input, .. } => {
                        let input = input.clone();
                        self.events.push(e);
                        self.client.compression_started();
                        self.client.handle_input(&input);
                        continue;
                    }
                    _ => {}
                }
                self.events.push(e);
            }
            if !moved {
                return;
            }
        }
        panic!("the pair never settled");
    }

    fn login(&mut self) {
        self.client.login("fred", b"s3 cr\"t").unwrap();
        self.run();
        assert_eq!(self.client.state(), client::State::Authenticated);
        self.events.clear();
    }

    fn completion(&mut self, tag: &Tag<'_>) -> (StatusKind, Option<Code<'static>>) {
        self.events
            .iter()
            .find_map(|e| match e {
                client::Event::Completed {
                    tag: t, kind, code, ..
                } if t.as_str() == tag.as_str() => Some((*kind, code.clone())),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no completion for {tag}: {:?}", self.events))
    }

    fn data_count(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, client::Event::DataReceived { .. }))
            .count()
    }
}

/// How a command looks on the wire, literals written one way, so that a
/// command and its decoded copy compare.
fn wire(c: &Command<'_>, mode: Mode) -> Vec<u8> {
    let mut o = Options::with_mode(mode);
    o.literals = LiteralPolicy::LiteralPlus;
    let mut out = BytesMut::new();
    encode::command(c, &mut out, &o).unwrap();
    out.to_vec()
}

fn plain_options() -> server::Options {
    let mut o = server::Options::default();
    o.allow_plaintext_without_tls = true;
    o.extensions = [
        "UIDPLUS",
        "MOVE",
        "NAMESPACE",
        "ID",
        "QUOTA",
        "UNSELECT",
        "CONDSTORE",
    ]
    .iter()
    .map(|c| Atom::new(*c).unwrap())
    .collect();
    o.compress = true;
    o
}

fn mailbox(name: &str) -> Mailbox<'static> {
    Mailbox::from_name(name, Mode::Imap4rev1)
}

fn seqs(s: &str) -> SequenceSet {
    let input = Bytes::from(format!("a FETCH {s} FLAGS\r\n"));
    let (c, _) = decode::command(&input, &Options::default()).unwrap();
    let CommandBody::Fetch { set, .. } = c.body else {
        panic!()
    };
    set
}

#[test]
fn every_command_goes_through() {
    for seed in [1, 7, 4242] {
        let mut p = Pair::new(plain_options(), seed);
        p.login();
        let authenticated: Vec<(CommandBody<'static>, usize)> = vec![
            (CommandBody::Capability, 1),
            (CommandBody::Noop, 0),
            (
                CommandBody::Enable(vec![Atom::new("CONDSTORE").unwrap()]),
                1,
            ),
            (
                CommandBody::Create {
                    mailbox: mailbox("Archive/2024"),
                    special_use: Some(vec![MailboxAttr::ARCHIVE]),
                },
                0,
            ),
            (CommandBody::Delete(mailbox("Old")), 0),
            (
                CommandBody::Rename {
                    from: mailbox("Old"),
                    to: mailbox("Entw\u{fc}rfe"),
                },
                0,
            ),
            (CommandBody::Subscribe(mailbox("Sent")), 0),
            (CommandBody::Unsubscribe(mailbox("Sent")), 0),
            (
                CommandBody::List {
                    selection: Some(vec![ListSelect::SpecialUse]),
                    reference: mailbox(""),
                    patterns: ListPatterns::Single(ListMailbox::Token(
                        ListToken::new("*").unwrap(),
                    )),
                    returns: Some(vec![ListReturn::Status(vec![StatusAttr::Messages])]),
                },
                1,
            ),
            (
                CommandBody::Lsub {
                    reference: mailbox(""),
                    pattern: ListMailbox::Token(ListToken::new("%").unwrap()),
                },
                1,
            ),
            (CommandBody::Namespace, 1),
            (
                CommandBody::Status {
                    mailbox: mailbox("Sent"),
                    attrs: vec![StatusAttr::Messages, StatusAttr::UidNext],
                },
                1,
            ),
            (
                CommandBody::Append {
                    mailbox: mailbox("Sent"),
                    messages: vec![AppendMessage {
                        flags: Some(vec![Flag::Seen, Flag::keyword("$Forwarded").unwrap()]),
                        date: None,
                        data: Literal::new(&b"Subject: hi\r\n\r\nbody\r\n"[..]).unwrap(),
                        utf8: false,
                    }],
                },
                0,
            ),
            (
                CommandBody::Id(Some(vec![(
                    IString::from_bytes(&b"name"[..], Mode::Imap4rev1),
                    Some(IString::from_bytes(&b"pair"[..], Mode::Imap4rev1)),
                )])),
                1,
            ),
            (
                CommandBody::GetQuota(AString::from_bytes(&b""[..], Mode::Imap4rev1)),
                1,
            ),
            (CommandBody::GetQuotaRoot(Mailbox::inbox()), 2),
            (
                CommandBody::SetQuota {
                    root: AString::from_bytes(&b""[..], Mode::Imap4rev1),
                    limits: vec![(Atom::new("STORAGE").unwrap(), 512)],
                },
                0,
            ),
            (
                CommandBody::Examine {
                    mailbox: mailbox("Sent"),
                    params: vec![SelectParam::CondStore],
                },
                3,
            ),
            (
                CommandBody::Select {
                    mailbox: Mailbox::inbox(),
                    params: vec![],
                },
                // With CONDSTORE offered, `* OK [CLOSED]` ends the examined
                // mailbox's responses first (RFC 7162 §3.2.11).
                4,
            ),
        ];
        let selected: Vec<(CommandBody<'static>, usize)> = vec![
            (CommandBody::Check, 0),
            (
                CommandBody::Search {
                    uid: false,
                    returns: None,
                    charset: None,
                    criteria: vec![SearchKey::Unseen, SearchKey::Larger(100)],
                },
                1,
            ),
            (
                CommandBody::Fetch {
                    uid: true,
                    set: seqs("1:*"),
                    attrs: FetchAttrs::List(vec![FetchAttr::Flags, FetchAttr::Uid]),
                    modifiers: vec![FetchModifier::ChangedSince(5)],
                },
                1,
            ),
            (
                CommandBody::Store {
                    uid: false,
                    set: seqs("1"),
                    unchanged_since: Some(9),
                    kind: StoreKind::Add,
                    silent: false,
                    flags: vec![Flag::Deleted],
                },
                1,
            ),
            (
                CommandBody::Copy {
                    uid: false,
                    set: seqs("1:2"),
                    mailbox: mailbox("Trash"),
                },
                0,
            ),
            (
                CommandBody::Move {
                    uid: true,
                    set: seqs("7"),
                    mailbox: mailbox("Trash"),
                },
                0,
            ),
            (CommandBody::Expunge, 1),
            (CommandBody::UidExpunge(seqs("3:4")), 1),
            (CommandBody::Unselect, 0),
            (
                CommandBody::Select {
                    mailbox: Mailbox::inbox(),
                    params: vec![],
                },
                3,
            ),
            (CommandBody::Close, 0),
        ];
        for (body, data) in authenticated.into_iter().chain(selected) {
            let before = p.app.received.len();
            let tag = p.client.command(body.clone()).unwrap();
            p.run();
            let (kind, _) = p.completion(&tag);
            assert_eq!(kind, StatusKind::Ok, "{}", body.name());
            // What the server decoded is what the client issued.
            let sent = Command::new(tag.clone(), body.clone());
            let streamed;
            let got = match p.app.received.get(before) {
                Some(got) => got,
                // APPEND comes streamed: put back together to compare.
                None if matches!(body, CommandBody::Append { .. }) => {
                    streamed = p.app.appended(&tag);
                    &streamed
                }
                None => {
                    // ENABLE is answered by the server itself.
                    assert!(matches!(
                        body,
                        CommandBody::Enable(_) | CommandBody::Capability
                    ));
                    &sent
                }
            };
            assert_eq!(wire(got, Mode::Imap4rev1), wire(&sent, Mode::Imap4rev1));
            assert_eq!(p.data_count(), data, "{}", body.name());
            p.events.clear();
        }
        assert_eq!(p.client.state(), client::State::Authenticated);
        assert_eq!(p.server.state(), server::State::Authenticated);
        let tag = p.client.logout().unwrap();
        p.run();
        assert_eq!(p.completion(&tag).0, StatusKind::Ok);
        assert!(p.client.is_closed() && p.server.is_closed());
    }
}

#[test]
fn login_starttls_authenticate_and_compress() {
    let mut o = plain_options();
    o.allow_plaintext_without_tls = false;
    let mut p = Pair::new(o, 99);
    p.run();
    assert!(p.client.has_capability("LOGINDISABLED"));
    let tls = p.client.starttls().unwrap();
    p.run();
    assert_eq!(p.completion(&tls).0, StatusKind::Ok);
    assert!(p.client.is_tls() && p.server.is_tls());
    // Re-announced over TLS: PLAIN usable.
    assert!(p.client.has_capability("AUTH=PLAIN") && !p.client.has_capability("STARTTLS"));
    let auth = p
        .client
        .authenticate_plain(None, "fred", b"s3 cr\"t")
        .unwrap();
    p.run();
    assert_eq!(p.completion(&auth).0, StatusKind::Ok);
    assert_eq!(p.server.state(), server::State::Authenticated);
    // The login's OK listed the capabilities after login.
    assert!(p.client.has_capability("COMPRESS=DEFLATE"));
    let z = p.client.compress().unwrap();
    let n = p.client.noop().unwrap();
    p.run();
    assert_eq!(p.completion(&z).0, StatusKind::Ok);
    assert_eq!(p.completion(&n).0, StatusKind::Ok);
    assert!(p.client.is_compressing() && p.server.is_compressing());
    // A wrong password is refused, and the session goes on.
    let mut p = Pair::new(plain_options(), 5);
    let bad = p.client.login("fred", b"wrong").unwrap();
    p.run();
    assert_eq!(
        p.completion(&bad),
        (StatusKind::No, Some(Code::AuthenticationFailed))
    );
    assert_eq!(p.client.state(), client::State::NotAuthenticated);
}

#[test]
fn pipelined_commands_complete_in_order() {
    let mut p = Pair::new(plain_options(), 3);
    p.client.login("fred", b"s3 cr\"t").unwrap();
    p.client.select(Mailbox::inbox()).unwrap();
    let mut tags = Vec::new();
    for _ in 0..20 {
        tags.push(
            p.client
                .command(CommandBody::Fetch {
                    uid: false,
                    set: seqs("1"),
                    attrs: FetchAttrs::Single(FetchAttr::Flags),
                    modifiers: vec![],
                })
                .unwrap(),
        );
        tags.push(p.client.noop().unwrap());
    }
    p.run();
    let done: Vec<_> = p
        .events
        .iter()
        .filter_map(|e| match e {
            client::Event::Completed { tag, .. } => Some(tag.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(done[2..], tags[..]);
}

#[test]
fn large_bodies_both_ways() {
    let mut o = plain_options();
    o.max_append = 2_000_000;
    o.body_buffer = 32 * 1024;
    o.max_transmit = 16 * 1024;
    // Without LITERAL+, APPEND waits for `+`.
    o.literal = server::LiteralExtension::Minus;
    o.imap4rev2 = false;
    let mut p = Pair::new(o, 11);
    p.login();
    let message: Bytes = (0..1_500_000u32)
        .map(|i| {
            if i % 80 == 79 {
                b'\n'
            } else {
                b'a' + (i % 23) as u8
            }
        })
        .collect::<Vec<u8>>()
        .into();
    let append = p
        .client
        .append(Mailbox::inbox(), Some(vec![Flag::Seen]), message.clone())
        .unwrap();
    p.run();
    // Streamed to the application as it arrived, never held whole.
    let (kind, code) = p.completion(&append);
    assert_eq!(kind, StatusKind::Ok);
    assert!(matches!(
        code,
        Some(Code::AppendUid {
            uid_validity: 38505,
            ..
        })
    ));
    let appended = &p.app.appends[0];
    assert_eq!(appended.messages[0].0.size, 1_500_000);
    assert_eq!(appended.messages[0].0.flags, Some(vec![Flag::Seen]));
    assert!(appended.messages[0].1 == message[..]);
    assert!(appended.chunks > 100, "{} chunks", appended.chunks);
    // And back, streamed in the application's chunks, read in the client's.
    p.app.body = message.clone();
    p.client.select(Mailbox::inbox()).unwrap();
    let fetch = p
        .client
        .command(CommandBody::Fetch {
            uid: true,
            set: seqs("7"),
            attrs: FetchAttrs::List(vec![FetchAttr::BodySection {
                peek: true,
                section: Section::default(),
                partial: None,
            }]),
            modifiers: vec![],
        })
        .unwrap();
    p.run();
    assert_eq!(p.completion(&fetch).0, StatusKind::Ok);
    let mut got = Vec::new();
    let mut chunks = 0;
    for e in &p.events {
        match e {
            client::Event::FetchBodyStarted {
                seq: 1,
                items,
                size,
                ..
            } => {
                assert_eq!(
                    (items.as_slice(), *size),
                    (&[FetchItem::Uid(7)][..], 1_500_000)
                );
            }
            client::Event::FetchBodyChunk { data, .. } => {
                got.extend_from_slice(data);
                chunks += 1;
            }
            client::Event::FetchBodyEnded { items, .. } => {
                assert_eq!(items, &vec![FetchItem::Flags(vec![Flag::Seen])]);
            }
            _ => {}
        }
    }
    assert!(got == message[..], "{} octets", got.len());
    assert!(chunks > 10);
    // The server never held more than its transmit budget at once.
    assert!(p.largest <= 16 * 1024);
}

#[test]
fn idle_with_updates() {
    let mut p = Pair::new(plain_options(), 21);
    p.login();
    p.client.select(Mailbox::inbox()).unwrap();
    p.run();
    p.events.clear();
    let idle = p.client.idle().unwrap();
    p.run();
    assert!(matches!(&p.events[0], client::Event::IdleStarted { tag } if tag == &idle));
    assert!(matches!(
        &p.events[1],
        client::Event::DataReceived {
            data: Data::Exists(3)
        }
    ));
    assert!(matches!(
        &p.events[2],
        client::Event::DataReceived {
            data: Data::Expunge(1)
        }
    ));
    // Another change while idling.
    p.server.update(&Data::Recent(1)).unwrap();
    p.run();
    assert!(matches!(
        &p.events[3],
        client::Event::DataReceived {
            data: Data::Recent(1)
        }
    ));
    p.client.idle_done().unwrap();
    p.run();
    assert_eq!(p.completion(&idle).0, StatusKind::Ok);
    assert!(!p.client.is_idling());
    assert_eq!(p.app.idle.as_ref(), Some(&idle));
}
