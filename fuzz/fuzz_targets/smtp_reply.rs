//! Reply decoding: any bytes, no panic; a reply that decodes re-encodes to
//! bytes that decode to the same reply; EHLO replies keep every line.

#![no_main]

use bytes::BytesMut;
use libfuzzer_sys::fuzz_target;
use smtp_proto::decode::ReplyAssembler;
use smtp_proto::{EhloReply, decode, encode};

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    while let Ok((reply, used)) = decode::reply(input) {
        assert!(used > 0 && used <= input.len());
        let mut out = BytesMut::new();
        encode::reply(&reply, &mut out);
        let (again, again_used) = decode::reply(&out).expect("re-encoded reply decodes");
        assert_eq!(again_used, out.len());
        assert_eq!(again, reply);
        if let Ok(ehlo) = EhloReply::from_reply(&reply) {
            let mut out = BytesMut::new();
            encode::ehlo_reply(&ehlo, &mut out);
            let (again, _) = decode::reply(&out).expect("EHLO reply decodes");
            assert_eq!(EhloReply::from_reply(&again).expect("still an EHLO reply"), ehlo);
        }
        input = &input[used..];
    }
    // Line by line, with limits: never more than the limit held.
    let mut assembler = ReplyAssembler::new(8, 512);
    for line in data.split(|&b| b == b'\n') {
        if let Ok(Some(reply)) = assembler.push(line) {
            assert!(reply.line_count() <= 8);
        }
    }
});
