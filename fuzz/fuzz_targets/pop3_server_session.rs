//! A whole server session fed random bytes in random chunk sizes, with an
//! application answering every event (logins accepted or refused, bodies
//! streamed as asked, expunges done or failed) and a clock that jumps.

#![no_main]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use pop3_proto::server::{
    BodyDemand, BodyFailure, Event, LoginFailure, Maildrop, MaildropEntry, Options, Server,
};
use pop3_proto::{Mechanism, UniqueId};

const BODY: &[u8] = b".dot first\r\nSubject: x\r\n\r\n.\r\n..\r\nline\r\n.last";

fn maildrop() -> Maildrop {
    (0..4u64)
        .map(|i| {
            let uid = UniqueId::try_from(format!("uid-{i}")).expect("uid");
            MaildropEntry::new(BODY.len() as u64 * (i + 1), uid)
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let mut options = Options::default();
    options.allow_plaintext_without_tls = flags & 1 != 0;
    options.utf8 = flags & 2 != 0;
    options.max_transmit = 300;
    options.body_buffer = 100;
    options.max_buffered_input = 2048;
    options.sasl_mechanisms = vec![Mechanism::PLAIN, Mechanism::SCRAM_SHA_256];
    let mut now = Instant::now();
    let mut server = if flags & 4 != 0 {
        Server::with_apop(options, "<1.2@fuzz>".try_into().expect("timestamp"), now)
    } else {
        Server::new(options, now)
    };
    let mut decision = flags >> 3;
    let mut streaming: Option<(usize, usize)> = None;
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
        // Drain and answer, as the drive loop does.
        for _ in 0..10_000 {
            let mut moved = false;
            loop {
                out.clear();
                let n = server.poll_transmit(&mut out);
                assert!(n <= 300 + 128, "{n}");
                if n == 0 {
                    break;
                }
                moved = true;
            }
            while let Some(event) = server.poll_event() {
                moved = true;
                decision = decision.rotate_left(1) ^ 0x5a;
                let result = match event {
                    Event::LoginRequested { .. } => match decision % 4 {
                        0 => server.login_failed(LoginFailure::InvalidCredentials),
                        1 => server.login_failed(LoginFailure::InUse),
                        _ => server.login_succeeded(maildrop()),
                    },
                    Event::SaslStarted { .. } | Event::SaslResponseReceived { .. } => {
                        match decision % 3 {
                            0 => server.sasl_challenge(b"challenge"),
                            1 => server.login_failed(LoginFailure::TemporaryFailure),
                            _ => server.login_succeeded(maildrop()),
                        }
                    }
                    Event::BodyRequested { message, .. } => {
                        if decision % 5 == 0 {
                            server.body_failed(BodyFailure::Expunged)
                        } else {
                            streaming = Some((message.index() + 1, 0));
                            Ok(())
                        }
                    }
                    Event::UpdateRequested { .. } => {
                        if decision % 2 == 0 {
                            server.update_succeeded()
                        } else {
                            server.update_failed()
                        }
                    }
                    _ => Ok(()),
                };
                assert!(result.is_ok(), "{result:?}");
            }
            if let Some((copies, offset)) = streaming {
                let total = BODY.len() * copies;
                match server.body_demand() {
                    Some(BodyDemand::More) if offset < total => {
                        let at = offset % BODY.len();
                        let end = (at + 7).min(BODY.len());
                        server
                            .body_chunk(Bytes::copy_from_slice(&BODY[at..end]))
                            .expect("chunk");
                        streaming = Some((copies, offset + end - at));
                        moved = true;
                    }
                    Some(BodyDemand::More | BodyDemand::Enough) => {
                        server.body_end().expect("end");
                        streaming = None;
                        moved = true;
                    }
                    Some(BodyDemand::Full) => {}
                    None => streaming = None,
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
            server.handle_input(b"NOOP\r\n");
            assert_eq!(server.poll_transmit(&mut out), 0);
            return;
        }
    }
});
