//! Command decoding: any bytes, no panic; what decodes re-encodes to a line
//! that decodes the same.

#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use pop3_proto::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let _ = decode::sasl_response(data);
    let mut input = data;
    while let Ok((cmd, used)) = decode::command(input) {
        assert!(used > 0 && used <= input.len());
        let mut out = BytesMut::new();
        encode::command(&cmd, &mut out).expect("a decoded command encodes");
        let (again, again_used) = decode::command(&out).expect("re-encoded command decodes");
        assert_eq!(again_used, out.len());
        // Encoding normalises (keyword case, spaces, leading zeros): the
        // value is what must survive.
        assert_eq!(again, cmd);
        input = &input[used..];
    }
});
