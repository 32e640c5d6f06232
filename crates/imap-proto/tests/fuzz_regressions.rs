//! Inputs that made a fuzz target fail, replayed as the target runs them
//! (with a simpler application: it accepts logins and completes commands).

#![allow(clippy::unwrap_used, reason = "a failed unwrap is a failed test")]
#![allow(
    clippy::disallowed_methods,
    reason = "a fake clock starts at any instant"
)]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use imap_proto::server::{Event, LiteralExtension, Options, Server};
use imap_proto::types::Atom;

/// `imap_server_session`'s input format: a flags octet, then chunks each
/// after a control octet (its low six bits the length, 0x40 to feed even
/// when the server does not want to read, 0x80 a jump of the clock).
fn server_session(data: &[u8]) -> Vec<u8> {
    let (&flags, mut rest) = data.split_first().unwrap();
    let mut options = Options::default();
    options.allow_plaintext_without_tls = flags & 1 != 0;
    options.imap4rev1 = flags & 2 == 0;
    if flags & 4 != 0 {
        options.literal = LiteralExtension::Minus;
    }
    options.compress = flags & 8 != 0;
    options.extensions = ["CONDSTORE", "QRESYNC", "UTF8=ACCEPT"]
        .iter()
        .map(|c| Atom::new(*c).unwrap())
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
    let mut sent = Vec::new();
    let mut out = BytesMut::new();
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
        loop {
            while server.poll_transmit(&mut out) > 0 {
                sent.extend_from_slice(&out);
                out.clear();
            }
            let Some(event) = server.poll_event() else {
                break;
            };
            match event {
                Event::LoginRequested { .. } => server.login_succeeded().unwrap(),
                Event::CommandReceived { command } => server.ok(&command.tag).unwrap(),
                _ => {}
            }
        }
    }
    sent
}

/// crash-4b0f2b16db7b4267cdc0f7d0188e54d703a7cc5d: refusing a literal of a
/// command that was the bad command too many closed the session, and the
/// server then dropped the literal's line from an input already cleared.
#[test]
fn a_refused_literal_that_ends_the_session() {
    let input = b"\x01\x0ea1 LOGIN {4}\r\n\nfred {}6\r\n\x08secret\r\n\
        +a2 APPEND INBOX (\\Seen) {10+}\r\n0123456789\r\n\
        \x18a3 APPEND INBOX {5000}\r\n?a4 LOGIN x {700+}\r\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\
        zzzzzzzzzzzzzzzzzzzzzzzzzzz:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\
        zzzzzzzzzzz\r\n\x0fa5 SELECT {5}\r\n\x07INBOX\r\n";
    let sent = server_session(input);
    let text = String::from_utf8(sent).unwrap();
    assert!(
        text.ends_with("* BYE Too many invalid IMAP commands.\r\n"),
        "{text}"
    );
}
