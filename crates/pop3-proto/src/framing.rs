//! What runs before the grammar: lines and their length limits, and the
//! dot-stuffing of multi-line responses (RFC 1939 §3), both ways, as streams
//! of chunks that may split anywhere.
//!
//! > If any line of the multi-line response begins with the termination
//! > octet, the line is "byte-stuffed" by pre-pending the termination octet
//! > to that line of the response. Hence a multi-line response is terminated
//! > with the five octets "CRLF.CRLF".
//!
//! Bodies never pass through here whole. [`DotStuffer`] copies each chunk
//! once, adding a `.` where a line starts with one; [`DotUnstuffer`] hands out
//! [`Bytes`] slices of the input buffer without copying, dropping the stuffed
//! dots between them. Both find the lines that start with `.` in one vector
//! scan for `"\n."`, so a body costs about one pass over its octets.
//!
//! ```
//! use bytes::BytesMut;
//! use pop3_proto::framing::{BodyFrame, DotStuffer, DotUnstuffer};
//!
//! let mut wire = BytesMut::new();
//! let mut stuffer = DotStuffer::new();
//! stuffer.encode(b"Subject: dots\r\n\r\n.hidden\r\n", &mut wire);
//! stuffer.encode(b"..two\r\n.", &mut wire);
//! stuffer.finish(&mut wire);
//! assert_eq!(&wire[..], b"Subject: dots\r\n\r\n..hidden\r\n...two\r\n..\r\n.\r\n");
//!
//! let mut unstuffer = DotUnstuffer::new();
//! let mut body = Vec::new();
//! while let Some(frame) = unstuffer.decode(&mut wire) {
//!     match frame {
//!         BodyFrame::Data(chunk) => body.extend_from_slice(&chunk),
//!         BodyFrame::End => break,
//!     }
//! }
//! assert_eq!(body, b"Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\n");
//! ```

use bytes::{Buf, Bytes, BytesMut};

use crate::scan::{find_line_dot, line_dots};

/// A line was longer than the limit in force. The reader has dropped what it
/// had of it and skips the rest, up to and including its LF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line longer than {limit} octets")]
pub struct LineTooLong {
    /// The limit, line end included.
    pub limit: usize,
}

/// Splits a buffer into lines, CRLF or bare LF, none longer than a limit
/// (the line end included, as RFC 2449 §4 counts). A bare LF ends a line as
/// it does for Dovecot, whose `i_stream_next_line` ends a line at LF and
/// drops a CR before it.
///
/// A line over the limit is reported once, as soon as the limit is passed,
/// and its octets are dropped as they arrive, so the buffer never holds more
/// than the limit of it: a peer cannot make the reader allocate without
/// bound. The next line is read normally.
///
/// ```
/// use bytes::BytesMut;
/// use pop3_proto::framing::{LineReader, LineTooLong};
///
/// let mut reader = LineReader::new(8);
/// let mut buf = BytesMut::from(&b"NOOP\r\nLIST 1234\r\nSTAT\n"[..]);
/// assert_eq!(reader.read_line(&mut buf).unwrap().unwrap(), "NOOP");
/// assert_eq!(reader.read_line(&mut buf), Some(Err(LineTooLong { limit: 8 })));
/// assert_eq!(reader.read_line(&mut buf).unwrap().unwrap(), "STAT");
/// assert_eq!(reader.read_line(&mut buf), None);
/// ```
#[derive(Clone, Debug)]
pub struct LineReader {
    limit: usize,
    discarding: bool,
}

impl LineReader {
    /// A reader of lines up to `limit` octets, line end included. A limit
    /// below 3 (`X` CRLF) is raised to 3.
    pub fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(3),
            discarding: false,
        }
    }

    /// Changes the limit for the lines that follow (a SASL exchange allows
    /// longer lines than commands do).
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.max(3);
    }

    /// Forgets a line being skipped (after the buffer was discarded, as STLS
    /// does).
    pub fn reset(&mut self) {
        self.discarding = false;
    }

    /// The next whole line in `buf` without its line end, taken out of `buf`
    /// without copying; `None` when `buf` holds no whole line yet.
    pub fn read_line(&mut self, buf: &mut BytesMut) -> Option<Result<Bytes, LineTooLong>> {
        Some(self.next_line(buf)?.map(|line| {
            let mut octets = buf.split_to(line.end);
            octets.truncate(line.len);
            octets.freeze()
        }))
    }

    /// The next whole line in `buf`, found as [`read_line`](Self::read_line)
    /// finds it but left at the front of `buf`, for a caller that reads it in
    /// place (and so spares the shared buffer's count two atomic
    /// operations). What `read_line` takes out besides the line it takes out
    /// here too: the rest of a line found too long earlier, and a line too
    /// long now.
    pub(crate) fn next_line(&mut self, buf: &mut BytesMut) -> Option<Result<Line, LineTooLong>> {
        if self.discarding {
            match memchr::memchr(b'\n', buf) {
                Some(lf) => {
                    buf.advance(lf + 1);
                    self.discarding = false;
                }
                None => {
                    buf.clear();
                    return None;
                }
            }
        }
        let window = &buf[..buf.len().min(self.limit)];
        match memchr::memchr(b'\n', window) {
            Some(lf) => Some(Ok(Line {
                len: if lf > 0 && buf[lf - 1] == b'\r' {
                    lf - 1
                } else {
                    lf
                },
                end: lf + 1,
            })),
            None if buf.len() >= self.limit => {
                match memchr::memchr(b'\n', &buf[self.limit..]) {
                    // The whole of the long line is here: skip it.
                    Some(lf) => buf.advance(self.limit + lf + 1),
                    None => {
                        buf.clear();
                        self.discarding = true;
                    }
                }
                Some(Err(LineTooLong { limit: self.limit }))
            }
            None => None,
        }
    }

    /// Whether the reader is skipping the rest of a line that was too long.
    pub fn is_discarding(&self) -> bool {
        self.discarding
    }
}

/// Where [`LineReader::next_line`] found a line: at the front of the buffer,
/// `len` octets without the line end, `end` with it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    /// The line's length without its line end.
    pub(crate) len: usize,
    /// The line's length with its line end: how far to advance past it.
    pub(crate) end: usize,
}

/// Dot-stuffs a multi-line response as it is written, chunk by chunk
/// (RFC 1939 §3). Chunks may split anywhere, even between a line end and the
/// `.` after it.
///
/// [`finish`](Self::finish) ends the response: a CRLF if the body did not end
/// with one (as Dovecot adds), then `.` CRLF. A body that ends in a bare LF
/// gets a CRLF too, so the response still ends in the five octets CRLF `.`
/// CRLF that clients look for. Bare LFs elsewhere are left as they are:
/// stores keep CRLF line ends, and listed sizes count the octets as stored.
#[derive(Clone, Debug)]
pub struct DotStuffer {
    at_line_start: bool,
    /// Whether any body octet was written.
    written: bool,
    /// The last two octets of the body so far.
    tail: [u8; 2],
}

impl Default for DotStuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl DotStuffer {
    /// A stuffer at the start of a body.
    pub fn new() -> Self {
        Self {
            at_line_start: true,
            written: false,
            tail: [0; 2],
        }
    }

    /// Appends `chunk` to `out`, a `.` added before every `.` that starts a
    /// line.
    pub fn encode(&mut self, chunk: &[u8], out: &mut BytesMut) {
        let Some(&last) = chunk.last() else {
            return;
        };
        out.reserve(chunk.len() + 16);
        if self.at_line_start && chunk[0] == b'.' {
            out.extend_from_slice(b".");
        }
        let mut start = 0;
        for pos in line_dots(chunk) {
            out.extend_from_slice(&chunk[start..=pos]);
            out.extend_from_slice(b".");
            start = pos + 1;
        }
        out.extend_from_slice(&chunk[start..]);
        self.at_line_start = last == b'\n';
        self.written = true;
        self.tail = match chunk {
            [.., a, b] => [*a, *b],
            _ => [self.tail[1], last],
        };
    }

    /// Like [`encode`](Self::encode), without copying: hands `emit` slices of
    /// `chunk`. Where a line starts with a dot, one slice ends with that dot
    /// and the next starts with it, so it goes out twice. A chunk with no
    /// line that starts with `.` goes out as it came.
    pub fn encode_bytes(&mut self, chunk: Bytes, mut emit: impl FnMut(Bytes)) {
        let Some(&last) = chunk.last() else {
            return;
        };
        let tail = match &chunk[..] {
            [.., a, b] => [*a, *b],
            _ => [self.tail[1], last],
        };
        if self.at_line_start && chunk[0] == b'.' {
            emit(chunk.slice(..1));
        }
        let mut start = 0;
        for pos in line_dots(&chunk) {
            emit(chunk.slice(start..pos + 2));
            start = pos + 1;
        }
        emit(if start == 0 {
            chunk
        } else {
            chunk.slice(start..)
        });
        self.at_line_start = last == b'\n';
        self.written = true;
        self.tail = tail;
    }

    /// Ends the response: CRLF if the body needs one, then `.` CRLF. The
    /// stuffer is ready for the next body.
    pub fn finish(&mut self, out: &mut BytesMut) {
        out.extend_from_slice(self.finish_bytes().as_ref());
    }

    /// [`finish`](Self::finish), as a shared static [`Bytes`].
    pub fn finish_bytes(&mut self) -> Bytes {
        let end = if self.written && self.tail != *b"\r\n" {
            Bytes::from_static(b"\r\n.\r\n")
        } else {
            Bytes::from_static(b".\r\n")
        };
        *self = Self::new();
        end
    }

    /// Whether no body octet has been written since the start.
    pub fn is_empty(&self) -> bool {
        !self.written
    }
}

/// A piece of a multi-line response body, as [`DotUnstuffer`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyFrame {
    /// Body octets, unstuffed: a slice of the input buffer, not a copy.
    Data(Bytes),
    /// The `.` CRLF line: the body is complete.
    End,
}

/// Reads a multi-line response body as it arrives, removing the stuffed dots
/// and stopping at the `.` CRLF line (RFC 1939 §3):
///
/// > When examining a multi-line response, the client checks to see if the
/// > line begins with the termination octet. If so and if octets other than
/// > CRLF follow, the first octet of the line (the termination octet) is
/// > stripped away. If so and if CRLF immediately follows the termination
/// > character, then the response from the POP server is ended and the line
/// > containing ".CRLF" is not considered part of the multi-line response.
///
/// The body includes the CRLF that ends its last line. A `.` and a bare LF
/// also ends it, for servers that write bare LFs.
#[derive(Clone, Debug)]
pub struct DotUnstuffer {
    at_line_start: bool,
    done: bool,
}

impl Default for DotUnstuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl DotUnstuffer {
    /// An unstuffer at the start of a body.
    pub fn new() -> Self {
        Self {
            at_line_start: true,
            done: false,
        }
    }

    /// The next frame, taken from the front of `buf`; `None` when `buf` does
    /// not hold enough to say (or the body has ended). At most the three
    /// octets of a possible `.` CRLF stay behind in `buf`; every other octet
    /// leaves as data at once.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Option<BodyFrame> {
        if self.done || buf.is_empty() {
            return None;
        }
        if self.at_line_start {
            if buf[0] == b'.' {
                match *buf.get(1)? {
                    b'\r' => {
                        if *buf.get(2)? == b'\n' {
                            buf.advance(3);
                            self.done = true;
                            return Some(BodyFrame::End);
                        }
                        buf.advance(1);
                    }
                    b'\n' => {
                        buf.advance(2);
                        self.done = true;
                        return Some(BodyFrame::End);
                    }
                    _ => buf.advance(1),
                }
            }
            self.at_line_start = false;
            if buf.is_empty() {
                return None;
            }
        }
        let data = match find_line_dot(buf) {
            Some(pos) => {
                self.at_line_start = true;
                buf.split_to(pos + 1)
            }
            None => {
                self.at_line_start = buf.last() == Some(&b'\n');
                buf.split()
            }
        };
        Some(BodyFrame::Data(data.freeze()))
    }

    /// Whether the `.` CRLF line has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

/// Cuts a message for `TOP msg n` as it streams past: the header, the blank
/// line, then `n` lines of the body (RFC 1939 §7). Like Dovecot, a CR or LF
/// at the start of a line ends the header; a message without a blank line is
/// all header and goes out whole.
#[derive(Clone, Debug)]
pub(crate) struct TopLimiter {
    state: TopState,
    lines: u64,
}

#[derive(Clone, Copy, Debug)]
enum TopState {
    Header { at_line_start: bool },
    Body { lines_left: u64 },
    Done,
}

impl TopLimiter {
    pub(crate) fn new(lines: u64) -> Self {
        Self {
            state: TopState::Header {
                at_line_start: true,
            },
            lines,
        }
    }

    /// How many octets at the front of `chunk` belong to the output. Once
    /// [`is_done`](Self::is_done), none do.
    pub(crate) fn take(&mut self, chunk: &[u8]) -> usize {
        let mut i = 0;
        loop {
            match self.state {
                TopState::Done => return i,
                TopState::Header { at_line_start } => {
                    if at_line_start {
                        match chunk.get(i) {
                            None => return i,
                            Some(b'\r' | b'\n') => {
                                // The blank line's own LF counts as one line.
                                self.state = TopState::Body {
                                    lines_left: self.lines.saturating_add(1),
                                };
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    match memchr::memchr(b'\n', &chunk[i..]) {
                        Some(lf) => {
                            i += lf + 1;
                            self.state = TopState::Header {
                                at_line_start: true,
                            };
                        }
                        None => {
                            self.state = TopState::Header {
                                at_line_start: false,
                            };
                            return chunk.len();
                        }
                    }
                }
                TopState::Body { mut lines_left } => {
                    for lf in memchr::memchr_iter(b'\n', &chunk[i..]) {
                        lines_left -= 1;
                        if lines_left == 0 {
                            self.state = TopState::Done;
                            return i + lf + 1;
                        }
                    }
                    self.state = TopState::Body { lines_left };
                    return chunk.len();
                }
            }
        }
    }

    /// Whether the header and the lines asked for are all out.
    pub(crate) fn is_done(&self) -> bool {
        matches!(self.state, TopState::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stuff(chunks: &[&[u8]]) -> Vec<u8> {
        let mut out = BytesMut::new();
        let mut s = DotStuffer::new();
        for c in chunks {
            s.encode(c, &mut out);
        }
        s.finish(&mut out);
        out.to_vec()
    }

    /// Feeds `wire` in pieces of `step` octets; returns the body, whether the
    /// end was seen, and what is left in the buffer.
    fn unstuff(wire: &[u8], step: usize) -> (Vec<u8>, bool, Vec<u8>) {
        let mut u = DotUnstuffer::new();
        let mut buf = BytesMut::new();
        let mut body = Vec::new();
        let mut ended = false;
        for piece in wire.chunks(step.max(1)) {
            buf.extend_from_slice(piece);
            while let Some(frame) = u.decode(&mut buf) {
                match frame {
                    BodyFrame::Data(d) => {
                        assert!(!d.is_empty());
                        body.extend_from_slice(&d);
                    }
                    BodyFrame::End => ended = true,
                }
            }
        }
        (body, ended, buf.to_vec())
    }

    #[test]
    fn stuffing_dots_at_line_starts() {
        assert_eq!(stuff(&[b"a\r\n.b\r\n"]), b"a\r\n..b\r\n.\r\n");
        assert_eq!(stuff(&[b".\r\n"]), b"..\r\n.\r\n");
        assert_eq!(stuff(&[b"..\r\n"]), b"...\r\n.\r\n");
        assert_eq!(stuff(&[b"a.b\r\n"]), b"a.b\r\n.\r\n");
        // Split between the line end and the dot.
        assert_eq!(stuff(&[b"a\r\n", b".b\r\n"]), b"a\r\n..b\r\n.\r\n");
        assert_eq!(
            stuff(&[b"a\r", b"\n", b".", b"b\r\n"]),
            b"a\r\n..b\r\n.\r\n"
        );
        // A dot at the very start of the body.
        assert_eq!(stuff(&[b".start\r\n"]), b"..start\r\n.\r\n");
        assert_eq!(stuff(&[b"", b".start\r\n"]), b"..start\r\n.\r\n");
    }

    #[test]
    fn stuffing_without_copies_matches_stuffing_with() {
        let body: &[u8] = b".a\r\n.\r\nb\r\n..c\n.d.\r\n\r\n.";
        for step in 1..=body.len() {
            let mut copied = BytesMut::new();
            let mut s = DotStuffer::new();
            let mut sliced = Vec::new();
            let mut z = DotStuffer::new();
            for piece in body.chunks(step) {
                s.encode(piece, &mut copied);
                z.encode_bytes(Bytes::copy_from_slice(piece), |b| {
                    sliced.extend_from_slice(&b)
                });
            }
            s.finish(&mut copied);
            sliced.extend_from_slice(&z.finish_bytes());
            assert_eq!(sliced, copied.to_vec(), "step {step}");
        }
        // A chunk with no dot line is not split, not copied.
        let chunk = Bytes::from_static(b"plain\r\ntext\r\n");
        let mut out = Vec::new();
        DotStuffer::new().encode_bytes(chunk.clone(), |b| out.push(b));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ptr(), chunk.as_ptr());
    }

    #[test]
    fn finishing_adds_a_line_end_where_missing() {
        assert_eq!(stuff(&[]), b".\r\n");
        assert_eq!(stuff(&[b""]), b".\r\n");
        assert_eq!(stuff(&[b"no end"]), b"no end\r\n.\r\n");
        assert_eq!(stuff(&[b"cr only\r"]), b"cr only\r\r\n.\r\n");
        assert_eq!(stuff(&[b"bare lf\n"]), b"bare lf\n\r\n.\r\n");
        assert_eq!(stuff(&[b"split\r", b"\n"]), b"split\r\n.\r\n");
        assert_eq!(stuff(&[b"\r", b"\n"]), b"\r\n.\r\n");
        assert_eq!(stuff(&[b"\n"]), b"\n\r\n.\r\n");
        // Found by fuzzing (pop3_roundtrip): a body ending in two NULs was
        // taken for an empty one and lost its line end.
        assert_eq!(stuff(&[b"a\0\0"]), b"a\0\0\r\n.\r\n");
        assert_eq!(stuff(&[b"\0", b"\0"]), b"\0\0\r\n.\r\n");
        let mut z = DotStuffer::new();
        let mut out = Vec::new();
        z.encode_bytes(Bytes::from_static(b"\0\0"), |b| out.extend_from_slice(&b));
        out.extend_from_slice(&z.finish_bytes());
        assert_eq!(out, b"\0\0\r\n.\r\n");
    }

    #[test]
    fn unstuffing_at_every_split() {
        let wire = b"Subject: x\r\n\r\n..dot\r\n...two\r\n..\r\nend\r\n.\r\n";
        let body = b"Subject: x\r\n\r\n.dot\r\n..two\r\n.\r\nend\r\n";
        for step in 1..=wire.len() {
            let (got, ended, rest) = unstuff(wire, step);
            assert_eq!(got, body, "step {step}");
            assert!(ended);
            assert!(rest.is_empty());
        }
    }

    #[test]
    fn unstuffing_stops_at_the_terminator() {
        let (body, ended, rest) = unstuff(b"a\r\n.\r\n+OK next\r\n", 100);
        assert_eq!(body, b"a\r\n");
        assert!(ended);
        assert_eq!(rest, b"+OK next\r\n");
        // An empty body.
        let (body, ended, _) = unstuff(b".\r\n", 1);
        assert!(body.is_empty() && ended);
        // Bare LF terminator from a lax server.
        let (body, ended, _) = unstuff(b"a\n.\n", 1);
        assert_eq!(body, b"a\n");
        assert!(ended);
        // RFC 1939 §3: a dot followed by other octets is stripped even when
        // the server failed to stuff it.
        let (body, _, _) = unstuff(b".x\r\n.\rz\r\n.\r\n", 3);
        assert_eq!(body, b"x\r\n\rz\r\n");
        // Incomplete: the possible terminator stays in the buffer.
        let (body, ended, rest) = unstuff(b"a\r\n.\r", 100);
        assert_eq!(body, b"a\r\n");
        assert!(!ended);
        assert_eq!(rest, b".\r");
    }

    #[test]
    fn unstuffed_chunks_share_the_input_buffer() {
        let mut buf = BytesMut::from(&b"hello\r\nworld\r\n"[..]);
        let ptr = buf.as_ptr();
        let mut u = DotUnstuffer::new();
        let Some(BodyFrame::Data(d)) = u.decode(&mut buf) else {
            panic!("data expected");
        };
        assert_eq!(d.as_ptr(), ptr);
        assert_eq!(&d[..], b"hello\r\nworld\r\n");
    }

    #[test]
    fn lines_and_limits() {
        let mut r = LineReader::new(255);
        let mut buf = BytesMut::from(&b"USER a\r\nPASS b\nNOOP"[..]);
        assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "USER a");
        assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "PASS b");
        assert_eq!(r.read_line(&mut buf), None);
        buf.extend_from_slice(b"\r\n");
        assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "NOOP");

        // RFC 2449 §4: 255 octets including CRLF is the largest command.
        let mut r = LineReader::new(255);
        let mut longest = vec![b'a'; 253];
        longest.extend_from_slice(b"\r\n");
        let mut buf = BytesMut::from(&longest[..]);
        assert_eq!(r.read_line(&mut buf).unwrap().unwrap().len(), 253);
        // Over the limit by one, the rest of the line in the same buffer.
        let mut too_long = vec![b'a'; 254];
        too_long.extend_from_slice(b"\r\nNOOP\r\n");
        let mut buf = BytesMut::from(&too_long[..]);
        assert_eq!(r.read_line(&mut buf), Some(Err(LineTooLong { limit: 255 })));
        assert!(!r.is_discarding());
        assert_eq!(r.read_line(&mut buf).unwrap().unwrap(), "NOOP");
        // The rest of the line still to come, in pieces.
        let mut buf = BytesMut::from(&[b'a'; 300][..]);
        assert_eq!(r.read_line(&mut buf), Some(Err(LineTooLong { limit: 255 })));
        assert!(r.is_discarding());
        assert!(buf.is_empty());
        let mut lines = Vec::new();
        for piece in [&b"aaa"[..], b"a\r", b"\nNO", b"OP\r\n"] {
            buf.extend_from_slice(piece);
            while let Some(line) = r.read_line(&mut buf) {
                lines.push(line);
            }
        }
        assert_eq!(lines, vec![Ok(Bytes::from_static(b"NOOP"))]);
        // A long line is dropped as it arrives, never buffered whole.
        let mut r = LineReader::new(10);
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
    }

    /// STLS drops the buffer: a reader that was skipping the rest of a long
    /// line must not skip the first line that comes over TLS as that rest.
    #[test]
    fn reset_forgets_a_line_being_skipped() {
        let mut r = LineReader::new(8);
        let mut buf = BytesMut::from(&b"XXXXXXXXXXXX"[..]);
        assert_eq!(r.read_line(&mut buf), Some(Err(LineTooLong { limit: 8 })));
        assert!(r.is_discarding());
        // Without a reset, the next line would be taken for the rest.
        let mut skipping = r.clone();
        let mut next = BytesMut::from(&b"CAPA\r\n"[..]);
        assert_eq!(skipping.read_line(&mut next), None);
        // The buffer is discarded (as STLS does), then the reader reset.
        buf.clear();
        r.reset();
        assert!(!r.is_discarding());
        let mut next = BytesMut::from(&b"CAPA\r\n"[..]);
        assert_eq!(r.read_line(&mut next).unwrap().unwrap(), "CAPA");
    }

    fn top(message: &[u8], lines: u64, step: usize) -> Vec<u8> {
        let mut t = TopLimiter::new(lines);
        let mut out = Vec::new();
        for piece in message.chunks(step) {
            let n = t.take(piece);
            out.extend_from_slice(&piece[..n]);
        }
        out
    }

    #[test]
    fn top_cuts_after_the_header_and_n_lines() {
        let msg = b"From: a\r\nSubject: b\r\n\r\nline 1\r\nline 2\r\nline 3\r\n";
        for step in 1..=msg.len() {
            assert_eq!(
                top(msg, 0, step),
                b"From: a\r\nSubject: b\r\n\r\n",
                "step {step}"
            );
            assert_eq!(
                top(msg, 2, step),
                b"From: a\r\nSubject: b\r\n\r\nline 1\r\nline 2\r\n"
            );
            assert_eq!(top(msg, 99_999_999, step), msg);
            assert_eq!(top(msg, u64::MAX, step), msg);
        }
        // No blank line: all header.
        assert_eq!(
            top(b"From: a\r\nSubject: b\r\n", 0, 4),
            b"From: a\r\nSubject: b\r\n"
        );
        // No header at all.
        assert_eq!(top(b"\r\nbody 1\r\nbody 2\r\n", 1, 3), b"\r\nbody 1\r\n");
        // Bare LFs.
        assert_eq!(top(b"A: b\n\nx\ny\n", 1, 2), b"A: b\n\nx\n");
    }
}
