//! A whole server session fed random bytes in random chunk sizes, with an
//! application answering every event (recipients accepted or refused,
//! messages stored or not, logins, TLS), a clock that jumps, and now and
//! then a refused greeting or a shutdown.

#![no_main]

use std::time::{Duration, Instant};

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use smtp_proto::framing::BareLineEndings;
use smtp_proto::server::{Event, Options, Server, Vrfy};
use smtp_proto::Reply;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut options = Options::default();
    options.auth_without_tls = flags & 1 != 0;
    let lmtp = flags & 2 != 0;
    options.lmtp = lmtp;
    options.forbid_unauth_pipelining = flags & 4 != 0;
    options.bare_line_endings = match (flags & 8 != 0, flags & 128 != 0) {
        (true, _) => BareLineEndings::Normalize,
        (false, true) => BareLineEndings::Allow,
        (false, false) => BareLineEndings::Reject,
    };
    options.dsn = flags & 16 != 0;
    options.binary_mime = flags & 32 != 0;
    options.vrfy = if flags & 64 != 0 { Vrfy::Application } else { Vrfy::CannotVerify };
    options.max_message_size = 2000;
    options.max_recipients = 5;
    options.max_buffered_input = 4096;
    options.max_output = 1024;
    options.soft_error_limit = 5;
    options.hard_error_limit = 30;
    let mut now = Instant::now();
    let mut server = Server::new(options, now);
    // Now and then, a connection refused at the greeting (RFC 5321 §3.1:
    // the 554 waits for QUIT).
    if rest.first() == Some(&0xfe) {
        server.refuse(Reply::NO_SERVICE).expect("before the greeting");
    }
    let mut decision = flags;
    let mut out = BytesMut::new();
    while let Some((&control, tail)) = rest.split_first() {
        let len = usize::from(control & 0x3f).min(tail.len());
        let (chunk, tail) = tail.split_at(len);
        rest = tail;
        if server.wants_read() || control & 0x40 != 0 {
            server.handle_input(chunk);
        }
        if control & 0x80 != 0 {
            now += Duration::from_secs(u64::from(control & 0x3f) * 10);
            server.handle_timeout(now);
        }
        // Drain and answer, as the drive loop does.
        for _ in 0..10_000 {
            let mut moved = false;
            out.clear();
            if server.poll_transmit(&mut out) > 0 {
                assert!(out.ends_with(b"\r\n"));
                moved = true;
            }
            while let Some(event) = server.poll_event() {
                moved = true;
                decision = decision.rotate_left(1) ^ 0x5a;
                let result = match event {
                    Event::AuthRequested { .. } => match decision % 3 {
                        0 => server.auth_failed(Reply::AUTH_INVALID_CREDENTIALS),
                        _ => server.auth_succeeded(),
                    },
                    Event::MailRequested { txn, .. } => match decision % 4 {
                        0 => server.reject_mail(txn, Reply::AUTH_REQUIRED),
                        _ => server.accept_mail(txn),
                    },
                    Event::RcptRequested { id, .. } => match decision % 3 {
                        0 => server.reject_rcpt(id, Reply::RELAY_DENIED),
                        _ => server.accept_rcpt(id),
                    },
                    Event::BodyChunkReceived { data, .. } => {
                        assert!(!data.is_empty());
                        Ok(())
                    }
                    Event::MessageReceived {
                        txn,
                        size,
                        recipients,
                    } => {
                        assert!(size <= 2000);
                        // Now and then the server stops while the message
                        // is being stored: its reply must still go.
                        if decision % 7 == 3 {
                            server.shutdown();
                        }
                        match decision % 5 {
                            0 => server.message_stored(txn, Err(Reply::STORE_FAILED)),
                            // LMTP: the first recipient's result alone, then
                            // the rest's.
                            1 if lmtp && recipients.len() > 1 => server
                                .recipient_stored(txn, recipients[0], Ok(()))
                                .and_then(|()| server.message_stored(txn, Ok(()))),
                            _ => server.message_stored(txn, Ok(())),
                        }
                    }
                    Event::VrfyRequested { .. } => server.vrfy_answered(Reply::OK),
                    Event::TlsRequested => server.tls_established(),
                    _ => Ok(()),
                };
                assert!(result.is_ok(), "{result:?}");
            }
            if !moved {
                break;
            }
        }
        // Now and then the server stops between commands.
        if control == 0x7f {
            server.shutdown();
            out.clear();
            while server.poll_transmit(&mut out) > 0 {}
            while server.poll_event().is_some() {}
        }
        if server.is_closed() {
            out.clear();
            while server.poll_transmit(&mut out) > 0 {
                out.clear();
            }
            server.handle_input(b"NOOP\r\n");
            assert_eq!(server.poll_transmit(&mut out), 0);
            assert!(server.poll_event().is_none());
            return;
        }
    }
});
