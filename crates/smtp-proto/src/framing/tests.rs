use super::*;

/// Feeds `wire` in pieces of `step` octets; returns the body, whether the
/// end was seen, whether a bare line ending was, and what is left.
fn unstuff(wire: &[u8], step: usize, mode: BareLineEndings) -> (Vec<u8>, bool, bool, Vec<u8>) {
    let mut u = DotUnstuffer::new(mode);
    let mut buf = BytesMut::new();
    let mut body = Vec::new();
    let mut ended = false;
    for piece in wire.chunks(step.max(1)) {
        buf.extend_from_slice(piece);
        while let Some(frame) = u.decode(&mut buf) {
            match frame {
                DataFrame::Data(d) => {
                    assert!(!d.is_empty());
                    assert!(!ended, "data after the end");
                    body.extend_from_slice(&d);
                }
                DataFrame::End => ended = true,
            }
        }
        assert!(ended || buf.len() <= 4, "{} octets held", buf.len());
    }
    (body, ended, u.saw_bare_line_ending(), buf.to_vec())
}

fn encode_data(chunks: &[&[u8]]) -> Vec<u8> {
    let mut out = BytesMut::new();
    let mut e = BodyEncoder::data();
    for c in chunks {
        e.encode(c, &mut out);
    }
    e.finish(&mut out);
    out.to_vec()
}

#[test]
fn unstuffing_at_every_split() {
    let wire = b"Subject: x\r\n\r\n..dot\r\n...two\r\n..\r\nend\r\n.\r\nQUIT\r\n";
    let body = b"Subject: x\r\n\r\n.dot\r\n..two\r\n.\r\nend\r\n";
    for mode in [
        BareLineEndings::Reject,
        BareLineEndings::Normalize,
        BareLineEndings::Allow,
    ] {
        for step in 1..=wire.len() {
            let (got, ended, bare, rest) = unstuff(wire, step, mode);
            assert_eq!(got, body, "step {step}");
            assert!(ended && !bare);
            assert_eq!(rest, b"QUIT\r\n");
        }
    }
}

#[test]
fn empty_bodies_and_first_lines() {
    // `.` CRLF right after DATA's CRLF: an empty body.
    let (body, ended, _, _) = unstuff(b".\r\n", 1, BareLineEndings::Reject);
    assert!(body.is_empty() && ended);
    // A stuffed dot on the first line.
    let (body, ended, _, _) = unstuff(b"..x\r\n.\r\n", 2, BareLineEndings::Reject);
    assert_eq!(body, b".x\r\n");
    assert!(ended);
    // An unstuffed dot followed by text: the dot goes (RFC 5321 §4.5.2).
    let (body, _, _, _) = unstuff(b".x\r\n.\r\n", 100, BareLineEndings::Reject);
    assert_eq!(body, b"x\r\n");
    // A body without a final line end never ends: `.` must start a line.
    let (body, ended, _, rest) = unstuff(b"abc.\r\n", 100, BareLineEndings::Reject);
    assert_eq!(body, b"abc.\r\n");
    assert!(!ended && rest.is_empty());
}

/// The SMTP smuggling inputs: none of these ends the data. Each is followed
/// by a smuggled command and then the real end.
#[test]
fn smuggling_inputs_never_end_data() {
    for smuggle in [
        &b"\n.\r\n"[..],
        b"\n.\n",
        b"\r.\r",
        b"\r\n.\n",
        b"\r\n.\r",
        b"\n.\r",
        b"\r.\n",
        b"\r.\r\n",
        b"\r\n.\rX",
        b"\n\n.\n\n",
        b"\r\r.\r\r",
    ] {
        let mut wire = b"Subject: smuggle\r\n\r\nbody".to_vec();
        wire.extend_from_slice(smuggle);
        wire.extend_from_slice(
            b"MAIL FROM:<evil@x.y>\r\nRCPT TO:<v@x.y>\r\nDATA\r\nforged\r\n.\r\n",
        );
        wire.extend_from_slice(b"QUIT\r\n");
        for step in [1, 2, 3, 7, wire.len()] {
            // Passed through: ends only at the real end.
            let (body, ended, bare, rest) = unstuff(&wire, step, BareLineEndings::Allow);
            assert!(ended && !bare, "{smuggle:?} step {step}");
            assert_eq!(rest, b"QUIT\r\n", "{smuggle:?} step {step}");
            assert!(body.ends_with(b"forged\r\n"));
            // Strict: the body is refused, and ends only at the real end.
            let (_, ended, bare, rest) = unstuff(&wire, step, BareLineEndings::Reject);
            assert!(ended, "{smuggle:?} step {step}");
            assert!(bare, "{smuggle:?}");
            assert_eq!(rest, b"QUIT\r\n", "{smuggle:?} step {step}");
            // Normalized: every bare ending is a CRLF in the body, the
            // smuggled command stays body text, the end is the real one.
            let (body, ended, bare, rest) = unstuff(&wire, step, BareLineEndings::Normalize);
            assert!(ended && !bare);
            assert_eq!(rest, b"QUIT\r\n");
            let text = String::from_utf8(body).unwrap();
            assert!(text.contains("MAIL FROM:<evil@x.y>\r\n"), "{text:?}");
            assert!(text.ends_with("forged\r\n"));
            assert!(
                !text.contains('\n') || text.matches('\n').count() == text.matches("\r\n").count()
            );
            assert!(!text.replace("\r\n", "").contains('\r'));
        }
    }
}

#[test]
fn normalizing_bare_line_endings() {
    for (wire, body) in [
        (&b"a\nb\r\n.\r\n"[..], &b"a\r\nb\r\n"[..]),
        (b"a\rb\r\n.\r\n", b"a\r\nb\r\n"),
        (b"a\r\rb\r\n.\r\n", b"a\r\n\r\nb\r\n"),
        // A dot after a bare LF starts a line: unstuffed.
        (b"a\n..b\r\n.\r\n", b"a\r\n.b\r\n"),
        // A lone dot after a bare LF is not the end and keeps its dot.
        (b"a\n.\r\nb\r\n.\r\n", b"a\r\n.\r\nb\r\n"),
        (b"a\r\n.\nb\r\n.\r\n", b"a\r\n.\r\nb\r\n"),
    ] {
        for step in 1..=wire.len() {
            let (got, ended, bare, _) = unstuff(wire, step, BareLineEndings::Normalize);
            assert_eq!(got, body, "{wire:?} step {step}");
            assert!(ended && !bare);
        }
    }
}

#[test]
fn normalizing_coalesces_bare_line_endings() {
    // The review's case: 64 KiB of bare LFs made two frames per LF (~128K
    // events). Each read now gives one frame, the bare endings made CRLF.
    let mut wire = vec![b'\n'; 64 * 1024];
    wire.extend_from_slice(b"\r\n.\r\n");
    let mut buf = BytesMut::from(&wire[..]);
    let mut u = DotUnstuffer::new(BareLineEndings::Normalize);
    let mut frames = 0;
    let mut body = Vec::new();
    while let Some(frame) = u.decode(&mut buf) {
        match frame {
            DataFrame::Data(d) => {
                frames += 1;
                body.extend_from_slice(&d);
            }
            DataFrame::End => break,
        }
    }
    assert!(frames <= 2, "{frames} frames");
    assert_eq!(body.len(), 64 * 1024 * 2 + 2);
    assert!(body.chunks(2).all(|c| c == b"\r\n"));
    // Mixed text, bare CRs and LFs, real CRLFs: one frame until a line
    // that starts with a dot.
    let mut buf = BytesMut::from(&b"a\nb\rc\r\nd\n\re\n.f\r\n.\r\n"[..]);
    let mut u = DotUnstuffer::new(BareLineEndings::Normalize);
    let mut frames = Vec::new();
    while let Some(DataFrame::Data(d)) = u.decode(&mut buf) {
        frames.push(d);
    }
    assert_eq!(frames, [&b"a\r\nb\r\nc\r\nd\r\n\r\ne\r\n"[..], b"f\r\n"]);
}

#[test]
fn allowing_bare_line_endings() {
    for (wire, body) in [
        (&b"a\nb\r\n.\r\n"[..], &b"a\nb\r\n"[..]),
        (b"a\rb\r\n..c\r\n.\r\n", b"a\rb\r\n.c\r\n"),
        // A dot after a bare LF is unstuffed, but ends nothing.
        (b"a\n..b\r\n.\r\n", b"a\n.b\r\n"),
        (b"a\n.\r\nb\r\n.\r\n", b"a\n.\r\nb\r\n"),
        (b"a\r\n.\nb\r\n.\r\n", b"a\r\n.\nb\r\n"),
        (b"\r\r\n.\r\n", b"\r\r\n"),
    ] {
        for step in 1..=wire.len() {
            let (got, ended, bare, rest) = unstuff(wire, step, BareLineEndings::Allow);
            assert_eq!(got, body, "{wire:?} step {step}");
            assert!(ended && !bare && rest.is_empty(), "{wire:?} step {step}");
        }
    }
}

#[test]
fn rejecting_reads_to_the_real_end() {
    let wire = b"ok line\r\nbad\nline\r\n..\r\n.\r\nNEXT";
    for step in 1..=wire.len() {
        let (body, ended, bare, rest) = unstuff(wire, step, BareLineEndings::Reject);
        assert!(ended && bare, "step {step}");
        assert_eq!(rest, b"NEXT");
        // Nothing after the bare LF is handed out.
        assert!(b"ok line\r\nbad".starts_with(&body), "{body:?}");
    }
}

#[test]
fn discarding_costs_no_memory() {
    let mut u = DotUnstuffer::new(BareLineEndings::Reject);
    let mut buf = BytesMut::from(&b"first\r\n"[..]);
    assert_eq!(
        u.decode(&mut buf),
        Some(DataFrame::Data(Bytes::from_static(b"first\r\n")))
    );
    u.discard_rest();
    assert!(u.is_discarding());
    for _ in 0..10_000 {
        buf.extend_from_slice(b"line of a huge body, discarded\r\n..stuffed\r\n");
        assert_eq!(u.decode(&mut buf), None);
        assert!(buf.len() <= 4);
    }
    buf.extend_from_slice(b".");
    assert_eq!(u.decode(&mut buf), None);
    buf.extend_from_slice(b"\r");
    assert_eq!(u.decode(&mut buf), None);
    buf.extend_from_slice(b"\nRSET\r\n");
    assert_eq!(u.decode(&mut buf), Some(DataFrame::End));
    assert!(u.is_done() && !u.saw_bare_line_ending());
    assert_eq!(&buf[..], b"RSET\r\n");
    // Discarding from the very start: `.` CRLF at once.
    let mut u = DotUnstuffer::new(BareLineEndings::Reject);
    u.discard_rest();
    let mut buf = BytesMut::from(&b".\r\n"[..]);
    assert_eq!(u.decode(&mut buf), Some(DataFrame::End));
}

#[test]
fn unstuffed_chunks_share_the_input_buffer() {
    let mut buf = BytesMut::from(&b"hello\r\nworld\r\n"[..]);
    let ptr = buf.as_ptr();
    let mut u = DotUnstuffer::new(BareLineEndings::Reject);
    let Some(DataFrame::Data(d)) = u.decode(&mut buf) else {
        panic!("data expected");
    };
    assert_eq!(d.as_ptr(), ptr);
    assert_eq!(&d[..], b"hello\r\nworld\r\n");
}

#[test]
fn encoding_stuffs_dots_and_normalizes() {
    assert_eq!(encode_data(&[b"a\r\n.b\r\n"]), b"a\r\n..b\r\n.\r\n");
    assert_eq!(encode_data(&[b".\r\n"]), b"..\r\n.\r\n");
    assert_eq!(encode_data(&[b".start"]), b"..start\r\n.\r\n");
    assert_eq!(encode_data(&[b"a.b\r\n"]), b"a.b\r\n.\r\n");
    assert_eq!(encode_data(&[]), b".\r\n");
    assert_eq!(encode_data(&[b""]), b".\r\n");
    assert_eq!(encode_data(&[b"no end"]), b"no end\r\n.\r\n");
    // Bare line endings become CRLF, whatever the split.
    assert_eq!(encode_data(&[b"a\nb\rc"]), b"a\r\nb\r\nc\r\n.\r\n");
    assert_eq!(encode_data(&[b"a\r", b"\nb"]), b"a\r\nb\r\n.\r\n");
    assert_eq!(encode_data(&[b"a\r", b"b"]), b"a\r\nb\r\n.\r\n");
    assert_eq!(encode_data(&[b"a\r"]), b"a\r\n.\r\n");
    assert_eq!(encode_data(&[b"a\r", b".b"]), b"a\r\n..b\r\n.\r\n");
    assert_eq!(encode_data(&[b"a\r", b"\n.b"]), b"a\r\n..b\r\n.\r\n");
    assert_eq!(encode_data(&[b"a\n.\n"]), b"a\r\n..\r\n.\r\n");
    // The smuggling sequences go out harmless.
    assert_eq!(
        encode_data(&[b"x\n.\r\nMAIL FROM:<e@v.l>\r\n"]),
        b"x\r\n..\r\nMAIL FROM:<e@v.l>\r\n.\r\n"
    );
}

#[test]
fn encoding_without_copies_matches_encoding_with() {
    let body: &[u8] = b".a\r\n.\r\nb\r\n..c\n.d.\r\n\r\n.\rx\r";
    for encoder in [BodyEncoder::data, BodyEncoder::bdat, BodyEncoder::binary] {
        for step in 1..=body.len() {
            let mut copied = BytesMut::new();
            let mut c = encoder();
            let mut sliced = Vec::new();
            let mut z = encoder();
            for piece in body.chunks(step) {
                c.encode(piece, &mut copied);
                z.encode_bytes(Bytes::copy_from_slice(piece), |b| {
                    assert!(!b.is_empty());
                    sliced.extend_from_slice(&b);
                });
            }
            c.finish(&mut copied);
            z.finish_bytes(|b| sliced.extend_from_slice(&b));
            assert_eq!(sliced, copied.to_vec(), "step {step}");
        }
    }
    // A chunk that needs no change is not split, not copied.
    let chunk = Bytes::from_static(b"plain\r\ntext\r\n");
    let mut out = Vec::new();
    BodyEncoder::data().encode_bytes(chunk.clone(), |b| out.push(b));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].as_ptr(), chunk.as_ptr());
}

#[test]
fn bdat_encodings() {
    let mut out = BytesMut::new();
    let mut e = BodyEncoder::bdat();
    e.encode(b".a\nb\r", &mut out);
    e.encode(b"\n.c", &mut out);
    e.finish(&mut out);
    assert_eq!(&out[..], b".a\r\nb\r\n.c");
    let mut out = BytesMut::new();
    let mut e = BodyEncoder::binary();
    e.encode(b"\0\r.\n\xff", &mut out);
    e.finish(&mut out);
    assert_eq!(&out[..], b"\0\r.\n\xff");
}

#[test]
fn round_trips_at_every_split() {
    let bodies: [&[u8]; 5] = [
        b"From: a\r\n\r\n.\r\n..\r\n.x\r\n",
        b"no final line end",
        b".\r\n",
        b"\r\n\r\n",
        b"mixed\nline\rends\r\n.\n..",
    ];
    for body in bodies {
        // What the receiver sees: line ends normalized, a final CRLF.
        let mut expected = body.to_vec();
        let mut normal = Vec::new();
        let mut i = 0;
        while i < expected.len() {
            match expected[i] {
                b'\r' if expected.get(i + 1) == Some(&b'\n') => {
                    normal.extend_from_slice(b"\r\n");
                    i += 2;
                }
                b'\r' | b'\n' => {
                    normal.extend_from_slice(b"\r\n");
                    i += 1;
                }
                b => {
                    normal.push(b);
                    i += 1;
                }
            }
        }
        if !normal.is_empty() && !normal.ends_with(b"\r\n") {
            normal.extend_from_slice(b"\r\n");
        }
        expected = normal;
        for write in 1..=body.len().max(1) {
            let chunks: Vec<&[u8]> = body.chunks(write).collect();
            let wire = encode_data(&chunks);
            for read in [1, 2, 5, wire.len()] {
                let (got, ended, bare, rest) = unstuff(&wire, read, BareLineEndings::Reject);
                assert!(ended && !bare && rest.is_empty());
                assert_eq!(got, expected, "{body:?} write {write} read {read}");
            }
        }
    }
}

#[test]
fn lines_and_limits() {
    let mut r = LineReader::new(2048, 12_288);
    let mut buf = BytesMut::from(&b"EHLO a\r\nMAIL FROM:<>\nNOOP"[..]);
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "EHLO a");
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "MAIL FROM:<>");
    assert_eq!(r.read_line(&mut buf), None);
    buf.extend_from_slice(b"\r\n");
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "NOOP");

    // 2048 octets including CRLF is the longest command; one more is not.
    let mut longest = vec![b'a'; 2046];
    longest.extend_from_slice(b"\r\n");
    let mut buf = BytesMut::from(&longest[..]);
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap().len(), 2046);
    let mut too_long = vec![b'a'; 2047];
    too_long.extend_from_slice(b"\r\nNOOP\r\n");
    let mut buf = BytesMut::from(&too_long[..]);
    assert_eq!(
        r.read_line(&mut buf),
        Some(Err(LineTooLong { limit: 2048 }))
    );
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "NOOP");

    // AUTH lines may be 12 288 octets (RFC 4954 §4).
    let mut auth = b"auth PLAIN ".to_vec();
    auth.resize(12_000, b'A');
    auth.extend_from_slice(b"\r\n");
    let mut buf = BytesMut::from(&auth[..]);
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap().len(), 12_000);
    let mut buf = BytesMut::from(&vec![b'A'; 12_300][..]);
    assert_eq!(
        r.read_auth_line(&mut buf),
        Some(Err(LineTooLong { limit: 12_288 }))
    );
    assert!(r.is_discarding());
    r.reset();

    // The rest of a long line, in pieces, is dropped as it arrives.
    let mut r = LineReader::new(10, 10);
    let mut buf = BytesMut::new();
    let mut errors = 0;
    for _ in 0..1000 {
        buf.extend_from_slice(b"xxxxxxxxxxxxxxxx");
        while let Some(line) = r.read_line(&mut buf) {
            assert!(line.is_err());
            errors += 1;
        }
        assert!(buf.len() <= 16);
    }
    assert_eq!(errors, 1);
    buf.extend_from_slice(b"x\r\nQUIT\r\n");
    assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "QUIT");
}

#[test]
fn chunks_are_counted_exactly() {
    let mut c = ChunkReader::new(0);
    assert!(c.is_done());
    let mut buf = BytesMut::from(&b"QUIT\r\n"[..]);
    assert_eq!(c.decode(&mut buf), None);
    assert_eq!(&buf[..], b"QUIT\r\n");
    let mut c = ChunkReader::new(7);
    let mut buf = BytesMut::from(&b"\r\n.\r\n"[..]);
    assert_eq!(c.skip(&mut buf), 5);
    assert_eq!(c.remaining(), 2);
    buf.extend_from_slice(b"\0\xffRSET\r\n");
    assert_eq!(c.decode(&mut buf).unwrap(), &b"\0\xff"[..]);
    assert!(c.is_done());
    assert_eq!(&buf[..], b"RSET\r\n");
}

/// The body a reader must hand out for `wire` (which holds its end), read
/// octet by octet: the reference for the vectorized scan. Also whether a
/// bare line ending was in it, and where the data ended.
fn reference(wire: &[u8], mode: BareLineEndings) -> (Vec<u8>, bool, usize) {
    let mut body = Vec::new();
    let mut bare = false;
    let mut i = 0;
    // At a line start, and whether a real CRLF ended the line before.
    let (mut start, mut crlf) = (true, true);
    while i < wire.len() {
        if start {
            if crlf && wire[i..].starts_with(b".\r\n") {
                return (body, bare, i + 3);
            }
            if wire[i] == b'.' && !matches!(wire.get(i + 1), Some(b'\r' | b'\n')) {
                i += 1;
            }
        }
        let b = wire[i];
        let (ending, real, len) = match (b, wire.get(i + 1)) {
            (b'\r', Some(b'\n')) => (true, true, 2),
            (b'\r' | b'\n', _) => (true, false, 1),
            _ => (false, false, 1),
        };
        if ending && !real {
            bare = true;
        }
        if !(bare && mode == BareLineEndings::Reject) {
            if ending {
                body.extend_from_slice(b"\r\n");
            } else {
                body.push(b);
            }
        }
        start = ending;
        crlf = real;
        i += len;
    }
    panic!("no end in {wire:?}");
}

#[test]
fn long_segments_at_every_offset_around_the_blocks() {
    // Clean 68-octet lines over several 256-octet blocks, then one odd
    // thing put at each offset: a bare LF, a bare CR, a dot line, a lone
    // dot after a bare LF (or, where it falls after a CR, the real end). The vectorized scan and the reference agree,
    // whatever the read size.
    let mut clean = Vec::new();
    while clean.len() < 900 {
        clean.extend_from_slice(
            b"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123\r\n",
        );
    }
    for odd in [&b"\n"[..], b"\r", b"\r\n..x", b"\n.\r\n", b"\r\n.\r"] {
        for at in (240..275).chain(500..530).chain(880..900) {
            let mut wire = clean[..at].to_vec();
            wire.extend_from_slice(odd);
            wire.extend_from_slice(&clean[at..]);
            wire.extend_from_slice(b".\r\n");
            for mode in [BareLineEndings::Reject, BareLineEndings::Normalize] {
                let (want, want_bare, end) = reference(&wire, mode);
                for step in [wire.len(), 300, 97] {
                    let (got, ended, bare, rest) = unstuff(&wire, step, mode);
                    assert!(ended, "{odd:?} at {at} step {step}");
                    assert_eq!(wire.len() - rest.len(), end, "{odd:?} at {at} step {step}");
                    assert_eq!(
                        bare,
                        want_bare && mode == BareLineEndings::Reject,
                        "{odd:?} at {at}"
                    );
                    if mode == BareLineEndings::Normalize {
                        assert_eq!(got, want, "{odd:?} at {at} step {step}");
                    } else {
                        assert!(want.starts_with(&got), "{odd:?} at {at} step {step}");
                        if !want_bare {
                            assert_eq!(got, want, "{odd:?} at {at} step {step}");
                        }
                    }
                }
            }
        }
    }
}
