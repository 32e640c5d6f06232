//! A whole IMAP client session: a scripted application issuing commands of
//! every kind and answering the client's events, the server's side random
//! bytes in random chunk sizes, a clock that jumps.

#![no_main]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use imap_proto::client::{Client, Event, Options};
use imap_proto::types::{CommandBody, FetchAttr, FetchAttrs, Mailbox, SequenceSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut options = Options::default();
    options.stream_threshold = u64::from(flags & 0x3f) + 1;
    options.max_literal = 256;
    options.codec.max_line = 512;
    let mut now = Instant::now();
    let mut client = Client::new(options, now);
    let mut out = BytesMut::new();
    let mut step = usize::from(flags);
    let mut streamed: Option<(u32, u64, u64)> = None;
    while let Some((&control, tail)) = rest.split_first() {
        let len = usize::from(control & 0x7f).min(tail.len());
        let (chunk, tail) = tail.split_at(len);
        rest = tail;
        // The application issues a command; errors (wrong state, closed,
        // already idling) are answers too.
        step = step.wrapping_add(usize::from(control));
        let _ = match step % 19 {
            0 => client.capability(),
            1 => client.login("fred", "p\u{e4}ss word".as_bytes()),
            2 => client.authenticate_plain(None, "fred", b"secret"),
            3 => client.authenticate("SCRAM-SHA-1", Some(b"n,,n=fred,r=x")),
            4 => client.starttls(),
            5 => client.select(Mailbox::inbox()),
            6 => client.examine(Mailbox::from_name("Entw\u{fc}rfe", client.mode())),
            7 => client.command(CommandBody::Fetch {
                uid: step % 2 == 0,
                set: SequenceSet::all(),
                attrs: FetchAttrs::List(vec![FetchAttr::Uid, FetchAttr::Rfc822]),
                modifiers: vec![],
            }),
            8 => client.idle(),
            9 => client
                .idle_done()
                .map(|()| imap_proto::types::Tag::new("x").expect("tag")),
            10 => client.append(
                Mailbox::inbox(),
                None,
                Bytes::from_static(b"Subject: a\r\n\r\nb\r\n"),
            ),
            11 => client.enable(&["IMAP4rev2", "UTF8=ACCEPT"]),
            12 => client.compress(),
            13 => client.noop(),
            14 => client.command(CommandBody::Close),
            15 => client
                .sasl_respond(b"c=biws")
                .map(|()| imap_proto::types::Tag::new("x").expect("tag")),
            16 => client.command(CommandBody::Expunge),
            17 => client.logout(),
            _ => client.command(CommandBody::Namespace),
        };
        client.handle_input(chunk);
        if control & 0x80 != 0 {
            now += Duration::from_secs(u64::from(control & 0x7f) * 30);
            client.handle_timeout(now);
        }
        out.clear();
        client.poll_transmit(&mut out);
        assert!(out.is_empty() || out.ends_with(b"\r\n"));
        while let Some(event) = client.poll_event() {
            match event {
                Event::TlsRequested { .. } => client.tls_started(),
                Event::CompressionStarted { input, .. } => {
                    client.compression_started();
                    client.handle_input(&input);
                }
                Event::FetchBodyStarted { seq, size, .. } => {
                    // A further body of the same response follows a whole one.
                    if let Some((s, size, got)) = streamed {
                        assert_eq!((s, got), (seq, size));
                    }
                    streamed = Some((seq, size, 0));
                }
                Event::FetchBodyChunk { seq, data } => {
                    let (s, size, got) = streamed.as_mut().expect("a body started");
                    assert_eq!(*s, seq);
                    assert!(!data.is_empty());
                    *got += data.len() as u64;
                    assert!(*got <= *size);
                }
                Event::FetchBodyEnded { seq, .. } => {
                    let (s, size, got) = streamed.take().unwrap_or((seq, 0, 0));
                    assert_eq!((s, got), (seq, size));
                }
                Event::ChallengeReceived { .. } => {
                    let _ = client.sasl_respond(b"c=biws,r=x");
                }
                _ => {}
            }
        }
        if client.is_closed() {
            client.handle_input(b"* OK\r\n");
            assert!(client.poll_event().is_none());
            return;
        }
    }
});
