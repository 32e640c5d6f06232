//! A whole client session: a scripted application issuing commands, the
//! server's side random bytes in random chunk sizes, a clock that jumps.

#![no_main]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use pop3_proto::client::{Client, Event, Options};
use pop3_proto::MessageNumber;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut options = Options::default();
    options.max_listing = 64;
    options.max_capabilities = 16;
    options.max_listing_bytes = 4096;
    let mut now = Instant::now();
    let mut client = Client::new(options, now);
    let mut out = BytesMut::new();
    let mut step = usize::from(flags);
    let one = MessageNumber::MIN;
    while let Some((&control, tail)) = rest.split_first() {
        let len = usize::from(control & 0x7f).min(tail.len());
        let (chunk, tail) = tail.split_at(len);
        rest = tail;
        // The application issues a command; errors (wrong state, closed)
        // are answers too.
        step = step.wrapping_add(usize::from(control));
        let _ = match step % 17 {
            0 => client.capa(),
            1 => client.user("alice"),
            2 => client.pass(b"open sesame"),
            3 => client.stat(),
            4 => client.list(None),
            5 => client.list(Some(one)),
            6 => client.uidl(None),
            7 => client.uidl(Some(one)),
            8 => client.retr(one),
            9 => client.top(one, 3),
            10 => client.dele(one),
            11 => client.noop(),
            12 => client.rset(),
            13 => client.stls(),
            14 => client.auth_plain(None, "alice", b"pw"),
            15 => client.apop("alice", [0u8; 16].into()),
            _ => client.utf8(),
        };
        client.handle_input(chunk);
        if control & 0x80 != 0 {
            now += Duration::from_secs(u64::from(control & 0x7f) * 10);
            client.handle_timeout(now);
        }
        out.clear();
        client.poll_transmit(&mut out);
        assert!(out.is_empty() || out.ends_with(b"\r\n"));
        while let Some(event) = client.poll_event() {
            if let Event::BodyChunkReceived { data, .. } = event {
                assert!(!data.is_empty());
            }
        }
        if client.is_closed() {
            client.handle_input(b"+OK\r\n");
            assert!(client.poll_event().is_none());
            return;
        }
    }
});
