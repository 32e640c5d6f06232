//! Response decoding: status lines, challenges, greetings, listings and
//! capability lines from any bytes, without panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pop3_proto::{Capability, decode};

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    while let Ok((_, used)) = decode::response(input) {
        assert!(used > 0 && used <= input.len());
        input = &input[used..];
    }
    for line in data.split(|&b| b == b'\n') {
        if let Ok(g) = decode::greeting(line) {
            if let Some(ts) = g.timestamp {
                assert!(ts.as_str().starts_with('<') && ts.as_str().ends_with('>'));
            }
        }
        let _ = decode::drop_listing(line);
        let _ = decode::scan_listing(line);
        if let Ok(uid) = decode::uid_listing(line) {
            assert!((1..=70).contains(&uid.uid.as_str().len()));
        }
        let _ = Capability::decode(line);
    }
});
