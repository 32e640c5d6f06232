//! What runs before the grammar: command lines and their limits, the DATA
//! body's end and its dot-stuffing (RFC 5321 §4.5.2), and BDAT chunks
//! (RFC 3030 §2), each as a stream that may be cut anywhere.
//!
//! The end of DATA is the one place SMTP is easy to get wrong in a way that
//! matters: a server that ends a message at `<LF>.<LF>` or `<LF>.<CR><LF>`
//! while the server before it did not lets a sender smuggle a second message
//! through ("SMTP smuggling", 2023). [`DotUnstuffer`] ends the body only at
//! `<CR><LF>.<CR><LF>`, and a bare CR or LF anywhere in the body is either
//! refused (the default, [`BareLineEndings::Reject`]) or turned into CRLF
//! ([`BareLineEndings::Normalize`], Postfix's `smtpd_forbid_bare_newline =
//! normalize`), never taken for a line end that could end the data.
//!
//! Bodies never pass through here whole. The readers hand out [`Bytes`]
//! slices of the input buffer without copying; [`BodyEncoder`] hands out
//! slices of the caller's chunks with the stuffed dots and line ends as
//! separate pieces.
//!
//! ```
//! use bytes::BytesMut;
//! use smtp_proto::framing::{BareLineEndings, BodyEncoder, DataFrame, DotUnstuffer};
//!
//! let mut wire = BytesMut::new();
//! let mut encoder = BodyEncoder::data();
//! encoder.encode(b"Subject: dots\r\n\r\n.hidden\n", &mut wire);
//! encoder.finish(&mut wire);
//! // The bare LF became CRLF, the dot was doubled, the end was added.
//! assert_eq!(&wire[..], b"Subject: dots\r\n\r\n..hidden\r\n.\r\n");
//!
//! let mut unstuffer = DotUnstuffer::new(BareLineEndings::Reject);
//! let mut body = Vec::new();
//! while let Some(frame) = unstuffer.decode(&mut wire) {
//!     match frame {
//!         DataFrame::Data(chunk) => body.extend_from_slice(&chunk),
//!         DataFrame::End => break,
//!     }
//! }
//! assert_eq!(body, b"Subject: dots\r\n\r\n.hidden\r\n");
//! ```

use std::sync::LazyLock;

use bytes::{Buf, Bytes, BytesMut};
use memchr::memmem::Finder;
use multiversion::multiversion;

/// The end of DATA: `<CR><LF>.<CR><LF>` (RFC 5321 §4.1.1.4).
const TERMINATOR: &[u8; 5] = b"\r\n.\r\n";

static FIND_TERMINATOR: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(TERMINATOR));

/// `"\n."`: where a line starts with a dot (the end, or a stuffed dot).
static LINE_DOT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n."));

const CRLF: Bytes = Bytes::from_static(b"\r\n");
const DOT: Bytes = Bytes::from_static(b".");

/// A line was longer than the limit in force. The reader has dropped what it
/// had of it and skips the rest, up to and including its LF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line longer than {limit} octets")]
pub struct LineTooLong {
    /// The limit, line end included.
    pub limit: usize,
}

/// Splits a buffer into command lines (CRLF, or a bare LF as Postfix and
/// Dovecot take), none longer than a limit, line end included (RFC 5321
/// §4.5.3.1.4 counts it).
///
/// AUTH lines get a longer limit than other commands: RFC 4954 §4 wants
/// room for a 12 288-octet initial response. A line is an AUTH line when
/// the buffer holding its start begins with `AUTH ` (any case), so the
/// limit is chosen before the line is whole.
///
/// A line over its limit is reported once, as soon as the limit is passed,
/// and its octets are dropped as they arrive, so the buffer never holds more
/// than the limit of it. The next line is read normally.
///
/// ```
/// use bytes::BytesMut;
/// use smtp_proto::framing::{LineReader, LineTooLong};
///
/// let mut reader = LineReader::new(8, 64);
/// let mut buf = BytesMut::from(&b"NOOP\r\nHELO example.org\r\nQUIT\n"[..]);
/// assert_eq!(reader.read_line(&mut buf).unwrap().unwrap(), "NOOP");
/// assert_eq!(reader.read_line(&mut buf), Some(Err(LineTooLong { limit: 8 })));
/// assert_eq!(reader.read_line(&mut buf).unwrap().unwrap(), "QUIT");
/// assert_eq!(reader.read_line(&mut buf), None);
/// ```
#[derive(Clone, Debug)]
pub struct LineReader {
    limit: usize,
    auth_limit: usize,
    discarding: bool,
}

impl LineReader {
    /// A reader of command lines up to `limit` octets and AUTH lines up to
    /// `auth_limit`, line ends included. Limits below 6 (`AUTH ` and a
    /// line end) are raised to 6.
    pub fn new(limit: usize, auth_limit: usize) -> Self {
        Self {
            limit: limit.max(6),
            auth_limit: auth_limit.max(6),
            discarding: false,
        }
    }

    /// The next whole line in `buf` without its line end, taken out of `buf`
    /// without copying; `None` when `buf` holds no whole line yet.
    pub fn read_line(&mut self, buf: &mut BytesMut) -> Option<Result<Bytes, LineTooLong>> {
        let limit = if crate::decode::is_auth_line(buf) {
            self.auth_limit
        } else {
            self.limit
        };
        self.read_line_within(buf, limit)
    }

    /// The next line, with the AUTH limit whatever it holds: for the
    /// client's responses in an AUTH exchange (RFC 4954 §4).
    pub fn read_auth_line(&mut self, buf: &mut BytesMut) -> Option<Result<Bytes, LineTooLong>> {
        self.read_line_within(buf, self.auth_limit)
    }

    /// Forgets a line being skipped (after the buffer was discarded, as
    /// STARTTLS does).
    pub fn reset(&mut self) {
        self.discarding = false;
    }

    /// Whether the reader is skipping the rest of a line that was too long.
    pub fn is_discarding(&self) -> bool {
        self.discarding
    }

    fn read_line_within(
        &mut self,
        buf: &mut BytesMut,
        limit: usize,
    ) -> Option<Result<Bytes, LineTooLong>> {
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
        let window = &buf[..buf.len().min(limit)];
        match memchr::memchr(b'\n', window) {
            Some(lf) => {
                let mut line = buf.split_to(lf + 1);
                line.truncate(lf);
                if line.last() == Some(&b'\r') {
                    line.truncate(lf - 1);
                }
                Some(Ok(line.freeze()))
            }
            None if buf.len() >= limit => {
                match memchr::memchr(b'\n', &buf[limit..]) {
                    // The whole of the long line is here: skip it.
                    Some(lf) => buf.advance(limit + lf + 1),
                    None => {
                        buf.clear();
                        self.discarding = true;
                    }
                }
                Some(Err(LineTooLong { limit }))
            }
            None => None,
        }
    }
}

/// What to do with a CR or LF in a DATA body that is not part of a CRLF
/// (RFC 5321 §2.3.8: "SMTP client implementations MUST NOT transmit these
/// characters except when they are intended as line terminators").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum BareLineEndings {
    /// Refuse the message: read on to the real end of the data, then reply
    /// `550 5.5.2`. The default: nothing ambiguous goes further.
    #[default]
    Reject,
    /// Take each bare CR or LF as a CRLF, as Postfix's
    /// `smtpd_forbid_bare_newline = normalize` does for LF. The data still
    /// ends only at `<CR><LF>.<CR><LF>`.
    Normalize,
    /// Pass bare CR and LF through as they are, as Postfix's
    /// `smtpd_forbid_bare_newline = no` does (and Stalwart's reader). The
    /// data still ends only at `<CR><LF>.<CR><LF>`, but a message relayed
    /// onward may carry what a lax next hop takes for its end: a quirk for
    /// stores that deliver locally, not for relays.
    Allow,
}

/// A piece of a DATA body, as [`DotUnstuffer`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataFrame {
    /// Body octets, unstuffed: a slice of the input buffer (under
    /// [`BareLineEndings::Normalize`], for a stretch with bare line endings,
    /// a copy with each made a CRLF), never empty.
    Data(Bytes),
    /// `<CR><LF>.<CR><LF>`: the body is complete. Its first CRLF ended the
    /// body's last line and was handed out as data.
    End,
}

/// Reads a DATA body as it arrives (RFC 5321 §4.5.2), removing the dot that
/// stuffs a line starting with `.` and stopping at `<CR><LF>.<CR><LF>`, and
/// at nothing else.
///
/// > When a line of mail text is received by the SMTP server, it checks the
/// > line. If the line is composed of a single period, it is treated as the
/// > end of mail indicator. If the first character is a period and there
/// > are other characters on the line, the first character is deleted.
///
/// Lines end in CRLF. With [`BareLineEndings::Reject`] the first bare CR or
/// LF makes the reader discard the rest of the body (only looking for its
/// end) and [`saw_bare_line_ending`](Self::saw_bare_line_ending) turns true;
/// with [`BareLineEndings::Normalize`] each becomes a CRLF in the output and
/// ends a line for dot-unstuffing, but a `.` line after it does not end the
/// data. The body starts just after the CRLF of DATA, so `.` CRLF at once is
/// an empty body.
///
/// At most the four octets of a possible end (`<CR><LF>.<CR>`) stay in the
/// buffer between calls; every other octet leaves at once.
#[derive(Clone, Debug)]
pub struct DotUnstuffer {
    mode: BareLineEndings,
    /// The next octet starts a line (for dot-unstuffing).
    line_start: bool,
    /// What was consumed ends with a real CRLF (or nothing was): a `.`
    /// CRLF here is the end.
    crlf_before: bool,
    discarding: bool,
    bare: bool,
    done: bool,
    /// The last octet handed out was a CR (for [`BareLineEndings::Allow`]).
    prev_cr: bool,
}

impl DotUnstuffer {
    /// A reader at the start of a body.
    pub fn new(mode: BareLineEndings) -> Self {
        Self {
            mode,
            line_start: true,
            crlf_before: true,
            discarding: false,
            bare: false,
            done: false,
            prev_cr: false,
        }
    }

    /// The next frame, taken from the front of `buf`; `None` when `buf` does
    /// not hold enough to say, or while discarding, or once the body has
    /// ended.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Option<DataFrame> {
        if self.done || buf.is_empty() {
            return None;
        }
        if self.discarding {
            return self.skip(buf);
        }
        if self.line_start {
            if buf[0] == b'.' {
                if self.crlf_before {
                    match (buf.get(1), buf.get(2)) {
                        (None, _) | (Some(b'\r'), None) => return None,
                        (Some(b'\r'), Some(b'\n')) => {
                            buf.advance(3);
                            self.done = true;
                            return Some(DataFrame::End);
                        }
                        _ => {}
                    }
                }
                // A line of a single `.` that is not the end (after a bare
                // line ending, or ended by one) keeps its dot: RFC 5321
                // §4.5.2 deletes it only when other characters follow.
                let next = *buf.get(1)?;
                if next != b'\r' && next != b'\n' {
                    buf.advance(1);
                }
            }
            self.line_start = false;
            self.crlf_before = false;
            if buf.is_empty() {
                return None;
            }
        }
        self.scan(buf)
    }

    /// Reads on to the end of the body without handing out data: for a
    /// body over the size limit (RFC 1870 §6.3: the server reads and
    /// discards it, then replies `552`).
    pub fn discard_rest(&mut self) {
        self.discarding = true;
    }

    /// Whether the rest of the body is being discarded.
    pub fn is_discarding(&self) -> bool {
        self.discarding
    }

    /// Whether a bare CR or LF was seen, under [`BareLineEndings::Reject`].
    pub fn saw_bare_line_ending(&self) -> bool {
        self.bare
    }

    /// Whether the end of the data has been read.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Hands out the octets up to the next line that starts with a dot (or
    /// all there is), checked for bare line endings in one pass.
    fn scan(&mut self, buf: &mut BytesMut) -> Option<DataFrame> {
        if self.mode == BareLineEndings::Allow {
            return Some(self.scan_lax(buf));
        }
        let (end, bare) = clean_segment(buf);
        if end == 0 && !bare {
            return None;
        }
        if bare {
            return match self.mode {
                BareLineEndings::Reject => {
                    self.bare = true;
                    self.discarding = true;
                    self.skip(buf)
                }
                // (Allow never gets here: `scan_lax` checks nothing.)
                BareLineEndings::Normalize | BareLineEndings::Allow => self.scan_each(buf),
            };
        }
        // No bare line ending: a segment that ends with LF ends with CRLF.
        self.line_start = buf[end - 1] == b'\n';
        self.crlf_before = self.line_start;
        Some(DataFrame::Data(buf.split_to(end).freeze()))
    }

    /// [`BareLineEndings::Allow`]: the octets up to the next line that
    /// starts with a dot, or all there is, unchecked. A dot line is the end
    /// only after a real CRLF.
    fn scan_lax(&mut self, buf: &mut BytesMut) -> DataFrame {
        let end = LINE_DOT.find(buf).map_or(buf.len(), |lf| lf + 1);
        let cr_before_last = if end >= 2 {
            buf[end - 2] == b'\r'
        } else {
            self.prev_cr
        };
        self.line_start = buf[end - 1] == b'\n';
        self.crlf_before = self.line_start && cr_before_last;
        self.prev_cr = buf[end - 1] == b'\r';
        DataFrame::Data(buf.split_to(end).freeze())
    }

    /// [`BareLineEndings::Normalize`], for a segment with bare line endings:
    /// one frame, copied, with each bare CR or LF made a CRLF, up to the
    /// next line that starts with a dot (which the line-start logic reads:
    /// the end, or a dot to unstuff or keep) or all there is.
    fn scan_each(&mut self, buf: &mut BytesMut) -> Option<DataFrame> {
        let mut out = BytesMut::with_capacity(buf.len() + 16);
        let mut pos = 0;
        let mut line_start = false;
        let mut crlf_before = false;
        loop {
            let Some(i) = memchr::memchr2(b'\r', b'\n', &buf[pos..]) else {
                out.extend_from_slice(&buf[pos..]);
                pos = buf.len();
                line_start = false;
                crlf_before = false;
                break;
            };
            let p = pos + i;
            let (after, real) = match (buf[p], buf.get(p + 1)) {
                // A CR at the end: what it is depends on the next octet.
                (b'\r', None) => {
                    out.extend_from_slice(&buf[pos..p]);
                    if p > pos {
                        line_start = false;
                        crlf_before = false;
                    }
                    pos = p;
                    break;
                }
                (b'\r', Some(b'\n')) => (p + 2, true),
                _ => (p + 1, false),
            };
            out.extend_from_slice(&buf[pos..p]);
            out.extend_from_slice(b"\r\n");
            pos = after;
            line_start = true;
            crlf_before = real;
            if matches!(buf.get(pos), None | Some(b'.')) {
                break;
            }
        }
        buf.advance(pos);
        if out.is_empty() {
            return None;
        }
        self.line_start = line_start;
        self.crlf_before = crlf_before;
        Some(DataFrame::Data(out.freeze()))
    }

    /// Discarding: looks only for the end.
    fn skip(&mut self, buf: &mut BytesMut) -> Option<DataFrame> {
        if self.crlf_before {
            let n = buf.len().min(3);
            if buf[..n] == b".\r\n"[..n] {
                if n < 3 {
                    return None;
                }
                buf.advance(3);
                self.done = true;
                return Some(DataFrame::End);
            }
            self.crlf_before = false;
        }
        if let Some(p) = FIND_TERMINATOR.find(buf) {
            buf.advance(p + TERMINATOR.len());
            self.done = true;
            return Some(DataFrame::End);
        }
        // Keep what may be the start of the end.
        let keep = (1..TERMINATOR.len())
            .rev()
            .find(|&k| buf.ends_with(&TERMINATOR[..k]))
            .unwrap_or(0);
        let drop = buf.len() - keep;
        buf.advance(drop);
        None
    }
}

/// The body segment at the start of `buf`, which starts a line: up to just
/// after the first LF that a `.` follows (a line the caller unstuffs or
/// ends the data at), or to the end of `buf` but a last CR (whose LF may
/// come next). Returns its end, and whether a bare CR or LF comes first.
///
/// Each pair of neighbouring octets is looked at once for anything but a
/// clean CRLF or a dot after one: "this is CR" and "the next is LF"
/// disagree (a bare CR or LF), or an LF is followed by a dot. The test is
/// written so the compiler makes vector compares of it, with one branch per
/// 256 octets, then per 64 and per 16 where something showed, and a last
/// window of 16 that overlaps the rest; only the octets where something
/// showed, or the last two, are read one by one.
///
/// `multiversion` builds it again for AVX2 and for AVX-512 and picks, once,
/// the widest the CPU has, so the same loops compare 32 or 64 octets at a
/// time instead of SSE2's 16. (The workspace forbids `unsafe`; calling code
/// compiled for features the build does not assume needs it, and the call is
/// made by `multiversion`'s dispatcher after detecting them.)
#[multiversion(targets("x86_64+avx512f+avx512bw+avx512vl+avx2", "x86_64+avx2"))]
fn clean_segment(buf: &[u8]) -> (usize, bool) {
    let Some(&first) = buf.first() else {
        return (0, false);
    };
    if first == b'\n' {
        return (0, true);
    }
    let mut i = 0;
    while i + 256 + 2 <= buf.len() && !odd_pairs::<256>(buf, i) {
        i += 256;
    }
    while i + 64 + 2 <= buf.len() && !odd_pairs::<64>(buf, i) {
        i += 64;
    }
    while i + 16 + 2 <= buf.len() && !odd_pairs::<16>(buf, i) {
        i += 16;
    }
    // Fewer than 18 octets left, none odd yet: the last 16 pairs at once,
    // overlapping what was checked, leave two octets to read.
    if i + 16 + 2 > buf.len() && buf.len() >= 16 + 2 && !odd_pairs::<16>(buf, buf.len() - 18) {
        i = buf.len() - 2;
    }
    // One by one from here: the pairs before `i` are clean.
    while let Some(&b) = buf.get(i) {
        match b {
            b'\r' => match buf.get(i + 1) {
                None => return (i, false),
                Some(b'\n') => {}
                Some(_) => return (0, true),
            },
            b'\n' => {
                if i == 0 || buf[i - 1] != b'\r' {
                    return (0, true);
                }
                if buf.get(i + 1) == Some(&b'.') {
                    return (i + 1, false);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (buf.len(), false)
}

/// Whether, among the `N` pairs of neighbours from `at`, a CR is not
/// followed by LF, an LF not preceded by CR, or an LF followed by a dot
/// (`buf` holds `at + N + 2` octets).
#[inline(always)]
fn odd_pairs<const N: usize>(buf: &[u8], at: usize) -> bool {
    let this = &buf[at..at + N];
    let next = &buf[at + 1..at + 1 + N];
    let after = &buf[at + 2..at + 2 + N];
    let mut odd = 0u8;
    for ((&a, &b), &c) in this.iter().zip(next).zip(after) {
        let lf = b == b'\n';
        odd |= u8::from((a == b'\r') ^ lf) | u8::from(lf & (c == b'.'));
    }
    odd != 0
}

/// Reads the octets of one BDAT chunk (RFC 3030 §2): exactly as many as the
/// command said, as slices of the input buffer, whatever they hold.
///
/// ```
/// use bytes::BytesMut;
/// use smtp_proto::framing::ChunkReader;
///
/// let mut chunk = ChunkReader::new(5);
/// let mut buf = BytesMut::from(&b"abc"[..]);
/// assert_eq!(chunk.decode(&mut buf).unwrap(), "abc");
/// buf.extend_from_slice(b"de\r\nQUIT\r\n");
/// assert_eq!(chunk.decode(&mut buf).unwrap(), "de");
/// assert!(chunk.is_done());
/// assert_eq!(&buf[..], b"\r\nQUIT\r\n");
/// ```
#[derive(Clone, Debug)]
pub struct ChunkReader {
    remaining: u64,
}

impl ChunkReader {
    /// A reader of `size` octets.
    pub fn new(size: u64) -> Self {
        Self { remaining: size }
    }

    /// The next octets of the chunk from the front of `buf`; `None` when
    /// `buf` is empty or the chunk is complete.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Option<Bytes> {
        if self.remaining == 0 || buf.is_empty() {
            return None;
        }
        let n = usize::try_from(self.remaining).map_or(buf.len(), |r| r.min(buf.len()));
        self.remaining -= n as u64;
        Some(buf.split_to(n).freeze())
    }

    /// Drops the next octets of the chunk from `buf`; returns how many.
    pub fn skip(&mut self, buf: &mut BytesMut) -> usize {
        self.decode(buf).map_or(0, |b| b.len())
    }

    /// The octets still to come.
    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Whether the whole chunk has been read.
    pub fn is_done(&self) -> bool {
        self.remaining == 0
    }
}

/// Writes a message body as it streams, chunk by chunk, for DATA or BDAT.
///
/// - Line ends become CRLF: a bare CR or LF from the application would be
///   exactly what SMTP smuggling rides on (RFC 5321 §2.3.8), so the client
///   never sends one.
/// - For DATA, a `.` that starts a line is doubled (RFC 5321 §4.5.2), and
///   [`finish`](Self::finish) ends the body with CRLF (if it did not end
///   with one) and `.` CRLF.
/// - For BINARYMIME ([`binary`](Self::binary)), octets pass unchanged.
///
/// Chunks may split anywhere, even inside a CRLF. The zero-copy path
/// ([`encode_bytes`](Self::encode_bytes)) hands out slices of the chunk, with
/// the added dots and CRLFs as separate shared pieces.
#[derive(Clone, Debug)]
pub struct BodyEncoder {
    stuff_dots: bool,
    normalize: bool,
    line_start: bool,
    /// The last chunk ended with a CR, held back until the next octet says
    /// whether it is a line end.
    pending_cr: bool,
    written: bool,
    /// The output so far ends with CRLF.
    ends_crlf: bool,
}

/// A piece of output: a range of the chunk, or a static.
enum Piece {
    Range(usize, usize),
    Static(Bytes),
}

impl BodyEncoder {
    /// For DATA: dots stuffed, line ends normalized, a terminator at the end.
    pub fn data() -> Self {
        Self::with(true, true)
    }

    /// For BDAT with a text body: line ends normalized, no dots, no
    /// terminator (the chunk sizes frame the body).
    pub fn bdat() -> Self {
        Self::with(false, true)
    }

    /// For BDAT with `BODY=BINARYMIME`: every octet as it is.
    pub fn binary() -> Self {
        Self::with(false, false)
    }

    fn with(stuff_dots: bool, normalize: bool) -> Self {
        Self {
            stuff_dots,
            normalize,
            line_start: true,
            pending_cr: false,
            written: false,
            ends_crlf: false,
        }
    }

    /// Appends `chunk`, encoded, to `out`.
    pub fn encode(&mut self, chunk: &[u8], out: &mut BytesMut) {
        out.reserve(chunk.len() + 8);
        self.pieces(chunk, |piece| match piece {
            Piece::Range(a, b) => out.extend_from_slice(&chunk[a..b]),
            Piece::Static(s) => out.extend_from_slice(&s),
        });
    }

    /// Like [`encode`](Self::encode), without copying: hands `emit` slices
    /// of `chunk` and shared static pieces. A chunk that needs no change
    /// goes out as it came.
    pub fn encode_bytes(&mut self, chunk: Bytes, mut emit: impl FnMut(Bytes)) {
        if !self.normalize {
            self.written |= !chunk.is_empty();
            if !chunk.is_empty() {
                emit(chunk);
            }
            return;
        }
        let len = chunk.len();
        self.pieces(&chunk, |piece| match piece {
            Piece::Range(0, b) if b == len => emit(chunk.clone()),
            Piece::Range(a, b) => emit(chunk.slice(a..b)),
            Piece::Static(s) => emit(s),
        });
    }

    /// The end of the body: a held-back CR as CRLF, then for DATA a CRLF if
    /// the body does not end with one, and `.` CRLF. The encoder is ready
    /// for the next body.
    pub fn finish(&mut self, out: &mut BytesMut) {
        self.finish_bytes(|piece| out.extend_from_slice(&piece));
    }

    /// [`finish`](Self::finish), as shared static pieces.
    pub fn finish_bytes(&mut self, mut emit: impl FnMut(Bytes)) {
        if self.pending_cr {
            emit(CRLF);
            self.ends_crlf = true;
        }
        if self.stuff_dots {
            if self.written && !self.ends_crlf {
                emit(Bytes::from_static(b"\r\n.\r\n"));
            } else {
                emit(Bytes::from_static(b".\r\n"));
            }
        }
        *self = Self::with(self.stuff_dots, self.normalize);
    }

    /// Whether nothing has been written since the start.
    pub fn is_empty(&self) -> bool {
        !self.written && !self.pending_cr
    }

    fn pieces(&mut self, chunk: &[u8], mut emit: impl FnMut(Piece)) {
        if chunk.is_empty() {
            return;
        }
        if !self.normalize {
            emit(Piece::Range(0, chunk.len()));
            self.written = true;
            return;
        }
        let mut start = 0;
        let mut pos = 0;
        if self.pending_cr {
            self.pending_cr = false;
            emit(Piece::Static(CRLF));
            if chunk[0] == b'\n' {
                start = 1;
                pos = 1;
            }
            self.line_start = true;
        }
        if self.line_start && self.stuff_dots && chunk.get(pos) == Some(&b'.') {
            emit(Piece::Static(DOT));
        }
        while let Some(i) = memchr::memchr2(b'\r', b'\n', &chunk[pos..]) {
            let p = pos + i;
            let after = if chunk[p] == b'\r' {
                match chunk.get(p + 1) {
                    None => {
                        // Held back: the next chunk says what it is.
                        if p > start {
                            emit(Piece::Range(start, p));
                        }
                        self.pending_cr = true;
                        start = chunk.len();
                        break;
                    }
                    Some(b'\n') => p + 2,
                    Some(_) => {
                        if p > start {
                            emit(Piece::Range(start, p));
                        }
                        emit(Piece::Static(CRLF));
                        start = p + 1;
                        p + 1
                    }
                }
            } else {
                if p > start {
                    emit(Piece::Range(start, p));
                }
                emit(Piece::Static(CRLF));
                start = p + 1;
                p + 1
            };
            if self.stuff_dots && chunk.get(after) == Some(&b'.') {
                if after > start {
                    emit(Piece::Range(start, after));
                }
                emit(Piece::Static(DOT));
                start = after;
            }
            pos = after;
        }
        if start < chunk.len() {
            emit(Piece::Range(start, chunk.len()));
        }
        let last = chunk[chunk.len() - 1];
        self.line_start = last == b'\n';
        self.ends_crlf = last == b'\n';
        self.written = true;
    }
}

#[cfg(test)]
mod tests;
