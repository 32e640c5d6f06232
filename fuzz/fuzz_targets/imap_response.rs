//! Any bytes, decoded as IMAP responses in every mode with and without the
//! quirks: no panic, and errors point inside the input.
#![no_main]

use bytes::{Bytes, BytesMut};
use imap_proto::decode::{Frame, Framer};
use imap_proto::{DecodeError, Mode, Options, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else { return };
    let mut options = Options::with_mode([Mode::Imap4rev1, Mode::Utf8Accept, Mode::Imap4rev2][usize::from(selector % 3)]);
    options.max_depth = usize::from(selector >> 3) * 8;
    let quirks = selector & 4 != 0;
    options.quirks.trailing_space = quirks;
    options.quirks.bare_continuation = quirks;
    options.quirks.nil_as_string = quirks;
    let input = Bytes::copy_from_slice(data);
    match decode::response(&input, &options) {
        Ok((response, used)) => {
            assert!(used <= input.len());
            let _ = encode::response(&response, &mut BytesMut::new(), &options);
        }
        Err(DecodeError::Invalid { offset, .. }) => assert!(offset <= input.len()),
        Err(_) => {}
    }
    // The checked decoder, for unframed input, refuses only more: what it
    // takes, the framed one takes the same.
    options.quirks.nul_in_literal = selector & 64 != 0;
    if let Ok(checked) = decode::response_checked(&input, &options) {
        assert_eq!(decode::response(&input, &options).ok(), Some(checked));
    }
    // A client's framer agrees with the decoder on where a response ends.
    let mut framer = Framer::responses(&options);
    loop {
        match framer.next(data) {
            Ok(Frame::Literal(a)) => assert!(a.data_offset <= data.len()),
            Ok(Frame::Complete { len }) => {
                assert!(len <= data.len());
                let whole = input.slice(..len);
                if let Ok((_, used)) = decode::response(&whole, &options) {
                    assert_eq!(used, len, "the framer and the decoder agree");
                }
                return;
            }
            Ok(_) | Err(_) => return,
        }
    }
});
