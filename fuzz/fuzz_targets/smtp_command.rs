//! Command decoding: any bytes, no panic; what decodes re-encodes to a line
//! that decodes to the same value.

#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use smtp_proto::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let _ = decode::sasl_response(data);
    let _ = decode::verb_of(data);
    for line in data.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(cmd) = decode::command_line(line) else {
            continue;
        };
        let mut out = BytesMut::new();
        encode::command(&cmd, &mut out);
        let (again, used) = decode::command(&out).expect("re-encoded command decodes");
        assert_eq!(used, out.len());
        // Encoding normalises (verb case, spaces after FROM:, source routes,
        // NOTIFY's order): the value is what must survive.
        assert_eq!(again, cmd);
        assert_eq!(again.into_owned(), cmd);
    }
});
