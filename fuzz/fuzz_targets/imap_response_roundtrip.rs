//! Decode a response, encode it, decode that: the same response comes back,
//! and encoding what was encoded gives the same bytes.
#![no_main]

use bytes::BytesMut;
use imap_proto::{Mode, Options, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else { return };
    let options = Options::with_mode([Mode::Imap4rev1, Mode::Utf8Accept, Mode::Imap4rev2][usize::from(selector % 3)]);
    let input = bytes::Bytes::copy_from_slice(data);
    let Ok((response, _)) = decode::response(&input, &options) else { return };
    let mut out = BytesMut::new();
    if encode::response(&response, &mut out, &options).is_err() {
        return;
    }
    let first = out.clone().freeze();
    let (again, used) = decode::response(&first, &options).expect("encoded response decodes");
    assert_eq!(used, first.len());
    assert_eq!(again, response);
    let mut out2 = BytesMut::new();
    encode::response(&again, &mut out2, &options).expect("encodes again");
    assert_eq!(&out2[..], &first[..]);
});
