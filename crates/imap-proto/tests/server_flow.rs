//! The server machine's flow control towards the application: output
//! backpressure for bodies and mailbox updates, the signal that updates may
//! go out again, what is announced before login, and CONDSTORE enabled by
//! use (RFC 7162 §3.1).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

mod common;

use bytes::Bytes;
use common::server::{Harness, plaintext_options};
use imap_proto::ServerError;
use imap_proto::server::{BodyDemand, Event, Updates};
use imap_proto::types::{Atom, BodyItem, CommandBody, Data, Section};

fn atoms(names: &[&str]) -> Vec<Atom<'static>> {
    names
        .iter()
        .map(|n| Atom::new(n.to_string()).unwrap())
        .collect()
}

#[test]
fn a_body_chunk_past_full_is_refused() {
    // The reviewer's case: 10 MB queued past BodyDemand::Full.
    let mut h = Harness::selected(plaintext_options());
    h.send("f1 FETCH 1 BODY[]\r\n");
    let c = h.command();
    h.server.fetch_begin(&c.tag, 1).unwrap();
    let item = BodyItem::Section {
        section: Section::default(),
        origin: None,
    };
    h.server.fetch_body(&c.tag, &item, 10_000_000).unwrap();
    let chunk = Bytes::from(vec![b'm'; 10_000]);
    let mut handed = 0;
    while h.server.body_demand() == Some(BodyDemand::More) {
        h.server.body_chunk(chunk.clone()).unwrap();
        handed += 1;
    }
    assert_eq!(h.server.body_demand(), Some(BodyDemand::Full));
    assert_eq!(
        h.server.body_chunk(chunk.clone()),
        Err(ServerError::Backpressure)
    );
    // Bounded by the buffer and one chunk.
    assert!(h.server.backlog() < 64 * 1024 + 10_000);
    assert_eq!(handed, 7);
    // Once the client reads, more.
    h.output();
    assert_eq!(h.server.body_demand(), Some(BodyDemand::More));
    h.server.body_chunk(chunk).unwrap();
}

#[test]
fn updates_to_a_client_that_does_not_read_are_bounded() {
    // The reviewer's case: 200 000 updates during IDLE to a client not
    // reading built a 3.3 MB backlog.
    let mut h = Harness::selected(plaintext_options());
    h.send("i1 IDLE\r\n");
    h.take_events();
    let mut sent = 0u32;
    let mut refused = 0u32;
    for n in 1..=200_000u32 {
        match h.server.update(&Data::Exists(n)) {
            Ok(()) => sent += 1,
            Err(ServerError::Backpressure) => refused += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(sent + refused, 200_000);
    assert!(refused > 190_000, "{refused}");
    assert!(
        h.server.backlog() < 64 * 1024 + 32,
        "{}",
        h.server.backlog()
    );
    assert_eq!(h.server.updates(), Updates::None);
    // The client reads: the driver hears it may go on, without polling.
    let out = h.output();
    assert!(out.starts_with("* 1 EXISTS\r\n* 2 EXISTS\r\n"));
    let events = std::mem::take(&mut h.events);
    assert!(
        matches!(
            events.as_slice(),
            [Event::UpdatesAllowed {
                updates: Updates::All
            }]
        ),
        "{events:?}"
    );
    h.server.update(&Data::Exists(200_001)).unwrap();
}

#[test]
fn the_application_hears_when_updates_it_kept_may_go_out() {
    let mut h = Harness::selected(plaintext_options());
    // An EXPUNGE during FETCH is kept (RFC 9051 §7.5.1)...
    h.send("f1 FETCH 1 FLAGS\r\n");
    let c = h.command();
    assert_eq!(
        h.server.update(&Data::Expunge(3)),
        Err(ServerError::ExpungeNotAllowed)
    );
    h.server.ok(&c.tag).unwrap();
    // ...no signal while EXPUNGE is still not allowed...
    assert!(
        !h.take_events()
            .iter()
            .any(|e| matches!(e, Event::UpdatesAllowed { .. }))
    );
    // ...and one as soon as it is: IDLE started.
    h.send("i1 IDLE\r\n");
    let events = h.take_events();
    assert!(matches!(
        events.as_slice(),
        [
            Event::IdleStarted { .. },
            Event::UpdatesAllowed {
                updates: Updates::All
            }
        ]
    ));
    h.server.update(&Data::Expunge(3)).unwrap();
    h.send("DONE\r\n");
    h.take_events();
    // A command that lets an EXPUNGE out: the signal comes before it, while
    // the window is open.
    h.send("f3 FETCH 1 FLAGS\r\n");
    let c = h.command();
    assert!(h.server.update(&Data::Expunge(2)).is_err());
    h.server.ok(&c.tag).unwrap();
    h.send("n1 NOOP\r\n");
    let events = h.take_events();
    assert!(
        matches!(
            events.as_slice(),
            [
                Event::UpdatesAllowed {
                    updates: Updates::All
                },
                Event::CommandReceived { .. }
            ]
        ),
        "{events:?}"
    );
    h.server.update(&Data::Expunge(2)).unwrap();
    h.server
        .ok(&imap_proto::types::Tag::new("n1").unwrap())
        .unwrap();
    assert_eq!(h.output(), "* 2 EXPUNGE\r\nn1 OK NOOP completed\r\n");
    // Refused while a FETCH response is open: allowed again at its end.
    h.send("f2 FETCH 1 BODY[]\r\n");
    let c = h.command();
    h.server.fetch_begin(&c.tag, 1).unwrap();
    assert_eq!(
        h.server.update(&Data::Exists(9)),
        Err(ServerError::ResponseOpen)
    );
    h.server
        .fetch_items(&c.tag, &[imap_proto::types::FetchItem::Uid(4)])
        .unwrap();
    h.server.fetch_end(&c.tag).unwrap();
    assert!(matches!(
        h.server.poll_event(),
        Some(Event::UpdatesAllowed {
            updates: Updates::NoExpunge
        })
    ));
    // Said once per refusal.
    assert!(h.server.poll_event().is_none());
}

#[test]
fn what_is_announced_before_login_is_the_applications_choice() {
    // Dovecot announces ID before login, and the full list after.
    let mut o = plaintext_options();
    o.pre_login_extensions = atoms(&["ID"]);
    o.extensions = atoms(&["ID", "UIDPLUS", "MOVE"]);
    let mut h = Harness::new(o);
    assert_eq!(
        h.output(),
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=PLAIN SASL-IR ENABLE IDLE LITERAL+ ID] \
         IMAP4rev1 Service Ready\r\n"
    );
    assert_eq!(
        h.send("c1 CAPABILITY\r\n"),
        "* CAPABILITY IMAP4rev1 IMAP4rev2 AUTH=PLAIN SASL-IR ENABLE IDLE LITERAL+ ID\r\n\
         c1 OK Pre-login capabilities listed, post-login capabilities have more.\r\n"
    );
    // ID is valid in any state: the application answers it before login.
    h.send("i1 ID NIL\r\n");
    assert!(matches!(h.command().body, CommandBody::Id(None)));
}

#[test]
fn condstore_is_enabled_by_its_commands() {
    // RFC 7162 §3.1's "CONDSTORE enabling commands", each in a session of
    // its own; the application hears it before the command.
    let cases: &[(&str, bool)] = &[
        ("SELECT INBOX (CONDSTORE)", false),
        ("STATUS INBOX (HIGHESTMODSEQ)", false),
        ("FETCH 1 (FLAGS MODSEQ)", true),
        ("UID FETCH 1 (FLAGS) (CHANGEDSINCE 5)", true),
        ("SEARCH MODSEQ 5", true),
        ("UID SEARCH OR SEEN MODSEQ 5", true),
        ("STORE 1 (UNCHANGEDSINCE 9) +FLAGS (\\Seen)", true),
    ];
    for &(command, selected) in cases {
        let mut o = plaintext_options();
        o.extensions = atoms(&["CONDSTORE"]);
        let mut h = if selected {
            Harness::selected(o)
        } else {
            Harness::logged_in(o)
        };
        assert!(!h.server.enabled().condstore);
        h.send(&format!("t {command}\r\n"));
        let events = h.take_events();
        assert!(
            matches!(
                events.as_slice(),
                [Event::Enabled { capabilities }, Event::CommandReceived { .. }]
                    if capabilities == &atoms(&["CONDSTORE"])
            ),
            "{command}: {events:?}"
        );
        assert!(h.server.enabled().condstore, "{command}");
    }
    // Not offered: nothing enabled.
    let mut h = Harness::selected(plaintext_options());
    h.send("t FETCH 1 (FLAGS MODSEQ)\r\n");
    h.command();
    assert!(!h.server.enabled().condstore);
    // Once is enough.
    let mut o = plaintext_options();
    o.extensions = atoms(&["CONDSTORE"]);
    let mut h = Harness::selected(o);
    h.send("t FETCH 1 (MODSEQ)\r\n");
    let c = h.command();
    h.server.ok(&c.tag).unwrap();
    h.send("t FETCH 1 (MODSEQ)\r\n");
    assert!(matches!(
        h.take_events().as_slice(),
        [Event::CommandReceived { .. }]
    ));
}
