//! Any bytes, decoded as IMAP commands in every mode and framed in any
//! chunking: no panic, and errors point inside the input.
#![no_main]

use bytes::{Bytes, BytesMut};
use imap_proto::decode::{Frame, Framer};
use imap_proto::{DecodeError, ErrorKind, Mode, Options, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else { return };
    let mut options = Options::with_mode([Mode::Imap4rev1, Mode::Utf8Accept, Mode::Imap4rev2][usize::from(selector % 3)]);
    options.max_depth = usize::from(selector >> 2);
    // Small literal limits now and then, so that refusals are exercised.
    options.max_literal = if selector & 8 != 0 { u64::from(selector) } else { u64::MAX };
    let input = Bytes::copy_from_slice(data);
    match decode::command(&input, &options) {
        Ok((command, used)) => {
            assert!(used <= input.len());
            let _ = encode::command(&command, &mut BytesMut::new(), &options);
        }
        Err(DecodeError::Invalid { offset, .. }) => assert!(offset <= input.len()),
        Err(_) => {}
    }
    // The checked decoder, for unframed input, refuses only more: what it
    // takes, the framed one takes the same.
    if let Ok(checked) = decode::command_checked(&input, &options) {
        assert_eq!(decode::command(&input, &options).ok(), Some(checked));
    }
    let _ = decode::authenticate_data(data);
    let _ = decode::idle_done(data);
    // The framer, fed growing prefixes, as a server runs it: some literals
    // are refused (`discard`), as a server does past its size limit.
    let mut framer = Framer::new(&options);
    let step = usize::from(selector % 7) + 1;
    let refuse_at = usize::from(selector >> 5);
    let mut literals = 0;
    let mut end = 0;
    while end < data.len() {
        end = (end + step).min(data.len());
        loop {
            match framer.next(&data[..end]) {
                Ok(Frame::Literal(a)) => {
                    assert!(a.data_offset <= end);
                    literals += 1;
                    if literals == refuse_at {
                        framer.discard();
                    }
                }
                Ok(Frame::Complete { len }) | Ok(Frame::Discarded { len }) => {
                    assert!(len <= end);
                    return;
                }
                Ok(_) => break,
                Err(DecodeError::Invalid { kind: ErrorKind::LiteralTooLarge | ErrorKind::Nul, offset }) => {
                    assert!(offset <= end);
                    framer.discard();
                }
                Err(_) => return,
            }
        }
    }
});
