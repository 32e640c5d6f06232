//! Whole IMAP sessions through `imap-proto`'s state machines: LOGIN, SELECT
//! of a 1000-message mailbox, `UID FETCH 1:1000 (FLAGS UID RFC822.SIZE)` and
//! LOGOUT, the application answering with typed calls. Throughput is the
//! octets the server sends per second.
//!
//! - `server`: the server machine reading the commands (pipelined in one
//!   read), the application's answers encoded, and the output drained;
//! - `client`: the client machine issuing the same commands and reading that
//!   output (in 16 KiB reads) into events.

#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]
#![allow(
    clippy::disallowed_methods,
    reason = "a bench starts its machines at any instant"
)]

use std::hint::black_box;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imap_proto::client::{self, Client};
use imap_proto::server::{self, Server};
use imap_proto::types::{
    Code, CommandBody, Data, FetchAttr, FetchAttrs, FetchItem, Flag, Mailbox, RespText, SeqNumber,
    Sequence, SequenceSet, StatusKind, Text,
};

const MESSAGES: u32 = 1000;

const INPUT: &[u8] = b"a1 LOGIN fred secret\r\n\
a2 SELECT INBOX\r\n\
a3 UID FETCH 1:1000 (FLAGS UID RFC822.SIZE)\r\n\
a4 LOGOUT\r\n";

fn options() -> server::Options {
    let mut o = server::Options::default();
    o.allow_plaintext_without_tls = true;
    o.max_transmit = 256 * 1024;
    o
}

/// The application's answers to the session's commands.
fn answer(server: &mut Server, event: server::Event) {
    match event {
        server::Event::LoginRequested { .. } => server.login_succeeded().expect("login"),
        server::Event::CommandReceived { command } => {
            let t = &command.tag;
            match command.body {
                CommandBody::Select { .. } => {
                    server.data(t, &Data::Exists(MESSAGES)).expect("exists");
                    server
                        .data(
                            t,
                            &Data::Flags(vec![
                                Flag::Answered,
                                Flag::Flagged,
                                Flag::Deleted,
                                Flag::Seen,
                                Flag::Draft,
                            ]),
                        )
                        .expect("flags");
                    server
                        .data(
                            t,
                            &Data::Status {
                                kind: StatusKind::Ok,
                                text: RespText {
                                    code: Some(Code::UidValidity(3_857_529_045)),
                                    text: Text::new("UIDs valid").expect("text"),
                                },
                            },
                        )
                        .expect("uidvalidity");
                }
                CommandBody::Fetch { .. } => {
                    for uid in 1..=MESSAGES {
                        let flags = if uid % 3 == 0 {
                            vec![Flag::Seen, Flag::Answered]
                        } else {
                            vec![Flag::Seen]
                        };
                        let data = Data::Fetch {
                            seq: uid,
                            items: vec![
                                FetchItem::Flags(flags),
                                FetchItem::Uid(uid),
                                FetchItem::Rfc822Size(2_000 + u64::from(uid) * 7),
                            ],
                        };
                        server.data(t, &data).expect("fetch");
                    }
                }
                _ => {}
            }
            server.ok(t).expect("ok");
        }
        _ => {}
    }
}

/// One whole server session; returns what it sent.
fn server_session(out: &mut BytesMut) -> usize {
    let mut server = Server::new(options(), Instant::now());
    server.handle_input(INPUT);
    let mut total = 0;
    loop {
        let n = server.poll_transmit(out);
        total += n;
        out.clear();
        if n > 0 {
            continue;
        }
        let Some(event) = server.poll_event() else {
            break;
        };
        answer(&mut server, event);
    }
    assert!(server.is_closed());
    total
}

/// The server's output of one session, for the client to read.
fn recorded() -> Bytes {
    let mut server = Server::new(options(), Instant::now());
    server.handle_input(INPUT);
    let mut all = BytesMut::new();
    loop {
        if server.poll_transmit(&mut all) > 0 {
            continue;
        }
        let Some(event) = server.poll_event() else {
            break;
        };
        answer(&mut server, event);
    }
    all.freeze()
}

fn client_session(wire: &Bytes) -> usize {
    let mut o = client::Options::default();
    // The tags the recorded session answers.
    o.tag_prefix = "a".into();
    let mut client = Client::new(o, Instant::now());
    client.login("fred", b"secret").expect("login");
    client.select(Mailbox::inbox()).expect("select");
    client
        .command(CommandBody::Fetch {
            uid: true,
            set: SequenceSet::Set(vec![Sequence::Range(
                SeqNumber::Value(1),
                SeqNumber::Value(MESSAGES),
            )]),
            attrs: FetchAttrs::List(vec![
                FetchAttr::Flags,
                FetchAttr::Uid,
                FetchAttr::Rfc822Size,
            ]),
            modifiers: vec![],
        })
        .expect("fetch");
    client.logout().expect("logout");
    let mut out = BytesMut::new();
    let mut fetched = 0;
    for read in wire.chunks(16 * 1024) {
        client.handle_input(read);
        client.poll_transmit(&mut out);
        out.clear();
        while let Some(event) = client.poll_event() {
            if let client::Event::DataReceived {
                data: Data::Fetch { .. },
            } = event
            {
                fetched += 1;
            }
        }
    }
    assert!(client.is_closed());
    fetched
}

fn sessions(c: &mut Criterion) {
    let mut out = BytesMut::with_capacity(256 * 1024);
    let sent = server_session(&mut out);
    let wire = recorded();
    assert_eq!(wire.len(), sent);
    let mut group = c.benchmark_group("imap_session");
    group.throughput(Throughput::Bytes(sent as u64));
    group.bench_function("server", |b| b.iter(|| black_box(server_session(&mut out))));
    group.bench_function("client", |b| {
        b.iter(|| {
            let fetched = client_session(black_box(&wire));
            assert_eq!(fetched, MESSAGES as usize);
        });
    });
    group.finish();
}

criterion_group!(benches, sessions);
criterion_main!(benches);
