//! A whole client session: a scripted application issuing commands and
//! handing over a body, the server's side random bytes in random chunk
//! sizes, a clock that jumps.

#![no_main]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

use smtp_proto::client::{BodyDemand, Client, Envelope, Event, Options};
use smtp_proto::{ForwardPath, Mailbox, ReversePath};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut options = Options::default();
    options.allow_plaintext_auth = flags & 1 != 0;
    options.chunking = flags & 2 != 0;
    options.body_buffer = 64;
    options.max_reply_lines = 16;
    let mut now = Instant::now();
    let mut client = Client::new(options, now);
    let mut out = BytesMut::new();
    let mut step = usize::from(flags);
    let body = Bytes::from_static(b"Subject: fuzz\r\n\r\n.dot\nbare\rcr\r\n.\r\nend");
    let mut sent = 0usize;
    let from = ReversePath::Mailbox(Mailbox::try_from("a@example.org").expect("mailbox"));
    let to = ForwardPath::Mailbox(Mailbox::try_from("b@example.org").expect("mailbox"));
    // Each transaction ends once, each recipient is answered once.
    let mut ended = HashSet::new();
    let mut answered = HashSet::new();
    while let Some((&control, tail)) = rest.split_first() {
        let len = usize::from(control & 0x7f).min(tail.len());
        let (chunk, tail) = tail.split_at(len);
        rest = tail;
        // The application acts; errors (wrong state, not offered) are
        // answers too.
        step = step.wrapping_add(usize::from(control));
        let _ = match step % 9 {
            0 => client.starttls(),
            1 => client.tls_established(),
            2 => client.auth_plain(None, "alice", b"pw"),
            3 => client.auth_login("alice", b"pw"),
            4 => client
                .send_mail(Envelope::new(from.clone()).to(to.clone()).to(ForwardPath::Postmaster))
                .map(|_| ()),
            5 => client.rset(),
            6 => client.noop(),
            7 => client.quit(),
            _ => Ok(()),
        };
        while client.body_demand() == Some(BodyDemand::More) {
            if sent >= body.len() {
                client.body_end().expect("end");
                sent = 0;
                break;
            }
            let end = (sent + 7).min(body.len());
            client.body_chunk(body.slice(sent..end)).expect("chunk");
            sent = end;
        }
        client.handle_input(chunk);
        if control & 0x80 != 0 {
            now += Duration::from_secs(u64::from(control & 0x7f) * 10);
            client.handle_timeout(now);
        }
        out.clear();
        // Sometimes the driver takes the output piece by piece.
        if control & 0x40 != 0 {
            while let Some(piece) = client.poll_transmit_bytes() {
                out.extend_from_slice(&piece);
            }
        } else {
            client.poll_transmit(&mut out);
        }
        // Whatever the server says, no bare line ending leaves the client.
        for (i, &b) in out.iter().enumerate() {
            if b == b'\n' {
                assert!(i > 0 && out[i - 1] == b'\r', "bare LF");
            }
        }
        while let Some(event) = client.poll_event() {
            match event {
                Event::MessageAccepted { txn, .. } | Event::TransactionFailed { txn, .. } => {
                    assert!(ended.insert(txn), "{txn} ended twice");
                }
                Event::RcptAccepted { txn, index } | Event::RcptRejected { txn, index, .. } => {
                    assert!(answered.insert((txn, index)), "{txn} {index} answered twice");
                }
                _ => {}
            }
        }
        if client.is_closed() {
            client.handle_input(b"250 OK\r\n");
            assert!(client.poll_event().is_none());
            return;
        }
    }
});
