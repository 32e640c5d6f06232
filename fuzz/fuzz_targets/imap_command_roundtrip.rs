//! Decode a command, encode it, decode that: the same command comes back,
//! and encoding what was encoded gives the same bytes.
#![no_main]

use bytes::BytesMut;
use imap_proto::{Mode, Options, decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, data)) = data.split_first() else { return };
    let options = Options::with_mode([Mode::Imap4rev1, Mode::Utf8Accept, Mode::Imap4rev2][usize::from(selector % 3)]);
    let input = bytes::Bytes::copy_from_slice(data);
    let Ok((command, _)) = decode::command(&input, &options) else { return };
    let mut out = BytesMut::new();
    if encode::command(&command, &mut out, &options).is_err() {
        return;
    }
    let first = out.clone().freeze();
    let (again, used) = decode::command(&first, &options).expect("encoded command decodes");
    assert_eq!(used, first.len());
    assert_eq!(again, command);
    let mut out2 = BytesMut::new();
    encode::command(&again, &mut out2, &options).expect("encodes again");
    assert_eq!(&out2[..], &first[..]);
});
