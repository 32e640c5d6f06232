//! Framing: where a command or response ends, across its literals, before
//! the grammar runs (RFC 9051 §4.3, RFC 7888).

use std::num::NonZeroUsize;

use crate::Options;
use crate::error::{DecodeError, ErrorKind};

/// A literal announced at the end of a line, before its octets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiteralAnnouncement {
    /// The octet count.
    pub length: u64,
    /// `{n+}`: the client sends the octets without waiting (RFC 7888).
    pub non_sync: bool,
    /// `~{n}`: a `literal8` (RFC 3516).
    pub binary: bool,
    /// Where the octets start, from the start of the buffer.
    pub data_offset: usize,
}

/// What [`Framer::next`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// More input is needed; `needed` is how much is known to be missing.
    Incomplete {
        /// Octets known to be missing, at least.
        needed: Option<NonZeroUsize>,
    },
    /// A line ended with a literal's announcement. For a synchronizing
    /// literal a server sends `+` now (RFC 9051 §7.6), or refuses with
    /// [`Framer::discard`] and a tagged `NO`/`BAD`. Calling
    /// [`Framer::next`] again goes on past it.
    Literal(LiteralAnnouncement),
    /// The first `len` octets hold one whole command or response: decode them.
    Complete {
        /// Its length, literals and final CRLF included.
        len: usize,
    },
    /// After [`Framer::discard`], the first `len` octets are the refused
    /// command: drop them.
    Discarded {
        /// The octets to drop.
        len: usize,
    },
}

/// Finds where a command (or response) ends in a growing buffer, reporting
/// each literal's announcement once, before its octets.
///
/// It scans each octet once however the input is split: feed it the same
/// buffer, grown, until it says [`Frame::Complete`], then split that many
/// octets off, decode them, and call [`Framer::reset`].
///
/// A server frames commands with [`Framer::new`]; a client frames responses
/// with [`Framer::responses`], which knows that a status response or a
/// continuation request cannot carry a literal (RFC 9051 §9: `resp-text`
/// runs to CRLF), so `* OK hello {5}` ends at its CRLF, as the decoder reads it.
///
/// A literal larger than [`Options::max_literal`] is refused here, before its
/// octets: [`Framer::next`] says [`ErrorKind::LiteralTooLarge`] at the
/// offset of its size, and the caller answers (`tag NO`, found with
/// [`tag_of`](super::tag_of)) and goes on with [`Framer::discard`], or closes.
///
/// The octets of a `literal` are checked for NUL as they arrive, each once
/// (`CHAR8 = %x01-ff`, RFC 9051 §9; only a `literal8` may carry NUL, RFC
/// 3516 §4.3): a NUL is [`ErrorKind::Nul`] at its offset, and the caller
/// refuses the command and goes on with [`Framer::discard`]. This is why
/// [`command`](super::command) and [`response`](super::response), which
/// expect framed input, do not scan literals again; [`Quirks::nul_in_literal`]
/// turns the check off for peers that send NUL anyway.
///
/// [`Quirks::nul_in_literal`]: crate::Quirks::nul_in_literal
///
/// ```
/// use imap_proto::Options;
/// use imap_proto::decode::{Frame, Framer, LiteralAnnouncement};
///
/// let mut framer = Framer::new(&Options::default());
/// let mut buf = b"A003 APPEND saved-messages (\\Seen) {5}\r\n".to_vec();
/// let Frame::Literal(LiteralAnnouncement { length: 5, non_sync: false, .. }) = framer.next(&buf).unwrap() else {
///     panic!()
/// };
/// // The server sends "+ Ready for literal data" here.
/// assert!(matches!(framer.next(&buf).unwrap(), Frame::Incomplete { .. }));
/// buf.extend_from_slice(b"hello\r\n");
/// assert_eq!(framer.next(&buf).unwrap(), Frame::Complete { len: buf.len() });
/// ```
#[derive(Clone, Debug)]
pub struct Framer {
    max_line: usize,
    max_literal: u64,
    /// Framing responses: status responses and continuations have no literal.
    responses: bool,
    /// Literal octets are checked for NUL.
    check_nul: bool,
    /// Where scanning resumes.
    scanned: usize,
    /// Where the current line started.
    line_start: usize,
    /// Line octets of this command so far, without literal data.
    line_octets: usize,
    /// The end of the literal being received.
    literal_end: Option<usize>,
    /// How far the octets of the literal being received were checked for
    /// NUL; `None` when they are not checked (a `literal8`, a literal being
    /// discarded).
    literal_checked: Option<usize>,
    /// The last announcement was reported and not yet passed.
    announced: Option<LiteralAnnouncement>,
    /// Whether the first line of this command or response was seen.
    first_line_seen: bool,
    discarding: bool,
}

impl Framer {
    /// A framer of commands (a server's), with the options' line and literal
    /// limits.
    pub fn new(options: &Options) -> Self {
        Self {
            max_line: options.max_line,
            max_literal: options.max_literal,
            responses: false,
            check_nul: !options.quirks.nul_in_literal,
            scanned: 0,
            line_start: 0,
            line_octets: 0,
            literal_end: None,
            literal_checked: None,
            announced: None,
            first_line_seen: false,
            discarding: false,
        }
    }

    /// A framer of responses (a client's): as [`Framer::new`], but a line
    /// that is a status response (`* OK`, `* NO`, `* BAD`, `* PREAUTH`,
    /// `* BYE`, `tag OK/NO/BAD`) or a continuation request (`+`) ends at its
    /// CRLF whatever its text ends with, since `resp-text` holds no literal.
    ///
    /// ```
    /// use imap_proto::Options;
    /// use imap_proto::decode::{Frame, Framer};
    ///
    /// let mut framer = Framer::responses(&Options::default());
    /// assert_eq!(framer.next(b"* OK hello {5}\r\n").unwrap(), Frame::Complete { len: 16 });
    /// ```
    pub fn responses(options: &Options) -> Self {
        Self {
            responses: true,
            ..Self::new(options)
        }
    }

    /// Starts on the next command, after the caller removed the last one.
    pub fn reset(&mut self) {
        *self = Self {
            max_line: self.max_line,
            max_literal: self.max_literal,
            responses: self.responses,
            check_nul: self.check_nul,
            ..Self::new(&Options::default())
        };
    }

    /// Goes on with the command after the caller took the octets of the
    /// literal just announced out of the buffer itself (a server streaming
    /// an APPEND message): the buffer now starts right after them. The
    /// line octets counted so far still count against the line limit, so a
    /// MULTIAPPEND's lines stay within it together.
    pub(crate) fn literal_taken(&mut self) {
        *self = Self {
            max_line: self.max_line,
            max_literal: self.max_literal,
            responses: self.responses,
            check_nul: self.check_nul,
            line_octets: self.line_octets,
            first_line_seen: true,
            ..Self::new(&Options::default())
        };
    }

    /// Refuses the command being framed: a synchronizing literal just
    /// announced will not be sent, so the command ends at that line; a
    /// non-synchronizing one is read and dropped with the rest of the
    /// command. [`Framer::next`] then reports [`Frame::Discarded`].
    pub fn discard(&mut self) {
        self.discarding = true;
    }

    /// Scans `buf` (the same buffer as before, grown) for the end of the
    /// command. A line longer than the options allow is
    /// [`ErrorKind::LineTooLong`]; a bare LF is [`ErrorKind::BareLf`]; a
    /// literal larger than [`Options::max_literal`] is
    /// [`ErrorKind::LiteralTooLarge`] and a NUL in a `literal`'s octets
    /// [`ErrorKind::Nul`] (call [`Framer::discard`] to drop the command and
    /// go on).
    ///
    /// While discarding, the non-synchronizing literals of the refused
    /// command are passed over in a loop: however many the buffer holds,
    /// the stack does not grow.
    pub fn next(&mut self, buf: &[u8]) -> Result<Frame, DecodeError> {
        loop {
            if let Some(a) = self.announced.take() {
                if self.discarding && !a.non_sync {
                    return Ok(Frame::Discarded { len: a.data_offset });
                }
                if !self.discarding && a.length > self.max_literal {
                    // Still refused until the caller discards the command.
                    self.announced = Some(a);
                    return Err(DecodeError::Invalid {
                        offset: size_offset(buf, a.data_offset),
                        kind: ErrorKind::LiteralTooLarge,
                    });
                }
                let end = a
                    .data_offset
                    .checked_add(usize::try_from(a.length).unwrap_or(usize::MAX));
                self.literal_end = Some(end.unwrap_or(usize::MAX));
                self.literal_checked =
                    (self.check_nul && !a.binary && !self.discarding).then_some(a.data_offset);
            }
            if let Some(end) = self.literal_end {
                if self.discarding {
                    self.literal_checked = None;
                }
                if let Some(from) = self.literal_checked {
                    // Each octet once, as it arrives.
                    let to = buf.len().min(end);
                    if let Some(at) = memchr::memchr(0, &buf[from.min(to)..to]) {
                        return Err(DecodeError::Invalid {
                            offset: from + at,
                            kind: ErrorKind::Nul,
                        });
                    }
                    self.literal_checked = Some(to.max(from));
                }
                if buf.len() < end {
                    return Ok(Frame::Incomplete {
                        needed: NonZeroUsize::new(end - buf.len()),
                    });
                }
                self.literal_end = None;
                self.literal_checked = None;
                self.scanned = end;
                self.line_start = end;
            }
            let Some(i) = memchr::memchr(b'\n', &buf[self.scanned..]) else {
                self.scanned = buf.len();
                if self.line_octets + (buf.len() - self.line_start) > self.max_line {
                    return Err(DecodeError::Invalid {
                        offset: self.line_start,
                        kind: ErrorKind::LineTooLong,
                    });
                }
                return Ok(Frame::Incomplete { needed: None });
            };
            let nl = self.scanned + i;
            self.line_octets += nl + 1 - self.line_start;
            if self.line_octets > self.max_line {
                return Err(DecodeError::Invalid {
                    offset: self.line_start,
                    kind: ErrorKind::LineTooLong,
                });
            }
            // The CR must be on this line: a literal's last octet does not count.
            if nl == self.line_start || buf[nl - 1] != b'\r' {
                return Err(DecodeError::Invalid {
                    offset: nl,
                    kind: ErrorKind::BareLf,
                });
            }
            let line = &buf[self.line_start..nl - 1];
            let first = !self.first_line_seen;
            self.first_line_seen = true;
            self.scanned = nl + 1;
            self.line_start = nl + 1;
            let literal = if self.responses && first && no_literal_response(line) {
                None
            } else {
                literal_at_end(line)
            };
            match literal {
                Some((length, non_sync, binary)) => {
                    let a = LiteralAnnouncement {
                        length,
                        non_sync,
                        binary,
                        data_offset: nl + 1,
                    };
                    if self.discarding {
                        if !non_sync {
                            return Ok(Frame::Discarded { len: nl + 1 });
                        }
                        // Its octets go with the command: on to the next line.
                        self.announced = Some(a);
                        continue;
                    }
                    self.announced = Some(a);
                    if length > self.max_literal {
                        return Err(DecodeError::Invalid {
                            offset: size_offset(buf, a.data_offset),
                            kind: ErrorKind::LiteralTooLarge,
                        });
                    }
                    return Ok(Frame::Literal(a));
                }
                None if self.discarding => return Ok(Frame::Discarded { len: nl + 1 }),
                None => return Ok(Frame::Complete { len: nl + 1 }),
            }
        }
    }
}

/// Where the size of the literal whose octets start at `data_offset` is
/// written: after its `{`.
fn size_offset(buf: &[u8], data_offset: usize) -> usize {
    let line = &buf[..data_offset.saturating_sub(2).min(buf.len())];
    line.iter().rposition(|&b| b == b'{').map_or(0, |i| i + 1)
}

/// Whether a response line is one whose grammar has no literal: a status
/// response or a continuation request (RFC 9051 §9 `resp-cond-state`,
/// `resp-cond-bye`, `resp-cond-auth`, `continue-req`, whose `resp-text`
/// runs to CRLF and whose codes carry atoms, quoted strings and numbers only).
fn no_literal_response(line: &[u8]) -> bool {
    if line.first() == Some(&b'+') {
        return true;
    }
    let Some(sp) = line.iter().position(|&b| b == b' ') else {
        return false;
    };
    let rest = &line[sp + 1..];
    let word_end = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
    let word = &rest[..word_end];
    let status = |w: &[u8]| {
        [&b"OK"[..], b"NO", b"BAD"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(w))
    };
    if &line[..sp] == b"*" {
        status(word) || word.eq_ignore_ascii_case(b"PREAUTH") || word.eq_ignore_ascii_case(b"BYE")
    } else {
        status(word)
    }
}

/// `{n}`, `{n+}`, `~{n}` or `~{n+}` at the end of a line.
pub(crate) fn literal_at_end(line: &[u8]) -> Option<(u64, bool, bool)> {
    let rest = line.strip_suffix(b"}")?;
    let (rest, non_sync) = match rest.strip_suffix(b"+") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let open = rest.iter().rposition(|&b| b == b'{')?;
    let digits = &rest[open + 1..];
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits.iter().try_fold(0u64, |a, &d| {
        a.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })?;
    let binary = open > 0 && rest[open - 1] == b'~';
    Some((n, non_sync, binary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_come_once_and_before_the_data() {
        let mut f = Framer::new(&Options::default());
        let full = b"a APPEND x {3}\r\nabc ~{2+}\r\nde\r\n";
        let mut seen = Vec::new();
        // Any split of the input gives the same frames.
        for end in 0..=full.len() {
            loop {
                match f.next(&full[..end]).unwrap() {
                    Frame::Literal(a) => seen.push(a),
                    Frame::Incomplete { .. } => break,
                    Frame::Complete { len } => {
                        assert_eq!(len, full.len());
                        seen.push(LiteralAnnouncement {
                            length: 0,
                            non_sync: false,
                            binary: false,
                            data_offset: 0,
                        });
                        break;
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
        assert_eq!(
            seen,
            vec![
                LiteralAnnouncement {
                    length: 3,
                    non_sync: false,
                    binary: false,
                    data_offset: 16
                },
                LiteralAnnouncement {
                    length: 2,
                    non_sync: true,
                    binary: true,
                    data_offset: 27
                },
                LiteralAnnouncement {
                    length: 0,
                    non_sync: false,
                    binary: false,
                    data_offset: 0
                },
            ]
        );
    }

    #[test]
    fn refusing_a_literal() {
        // Synchronizing: the client sends nothing more of this command.
        let mut f = Framer::new(&Options::default());
        let buf = b"a APPEND x {99999}\r\nb NOOP\r\n";
        assert!(matches!(f.next(buf).unwrap(), Frame::Literal(_)));
        f.discard();
        assert_eq!(f.next(buf).unwrap(), Frame::Discarded { len: 20 });
        // Non-synchronizing: its octets and the rest of the command go too.
        let mut f = Framer::new(&Options::default());
        let buf = b"a APPEND x {3+}\r\nabc {2+}\r\nde\r\nb NOOP\r\n";
        assert!(matches!(f.next(buf).unwrap(), Frame::Literal(_)));
        f.discard();
        assert_eq!(f.next(buf).unwrap(), Frame::Discarded { len: 31 });
    }

    #[test]
    fn discarding_many_non_sync_literals_does_not_grow_the_stack() {
        // A hostile client: a command refused at its first literal, then
        // 10 000 empty non-synchronizing literals, all within the 64 KiB
        // line limit. Before the fix, each one was a recursive call.
        let mut buf = b"a APPEND x {0+}\r\n".to_vec();
        for _ in 0..10_000 {
            buf.extend_from_slice(b"{0+}\r\n");
        }
        buf.extend_from_slice(b"\r\n");
        assert!(buf.len() <= Options::default().max_line);
        let len = buf.len();
        let frames = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let mut f = Framer::new(&Options::default());
                let first = f.next(&buf).unwrap();
                f.discard();
                (first, f.next(&buf).unwrap())
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(matches!(frames.0, Frame::Literal(_)));
        assert_eq!(frames.1, Frame::Discarded { len });
    }

    #[test]
    fn responses_without_literals_end_at_their_line() {
        // resp-text runs to CRLF (RFC 9051 §9): no literal in a status
        // response or a continuation request, whatever the text ends with.
        for line in [
            &b"* OK hello {5}\r\n"[..],
            b"* bye {5}\r\n",
            b"* PREAUTH x {5}\r\n",
            b"a1 NO [ALERT] {5}\r\n",
            b"a1 bad {5}\r\n",
            b"+ {5}\r\n",
        ] {
            let mut f = Framer::responses(&Options::default());
            assert_eq!(
                f.next(line).unwrap(),
                Frame::Complete { len: line.len() },
                "{line:?}"
            );
            let input = bytes::Bytes::copy_from_slice(line);
            let (_, used) = crate::decode::response(&input, &Options::default()).unwrap();
            assert_eq!(used, line.len(), "the decoder agrees");
        }
        // Data responses do carry literals.
        let mut f = Framer::responses(&Options::default());
        assert!(matches!(
            f.next(b"* 1 FETCH (BODY[] {5}\r\n").unwrap(),
            Frame::Literal(LiteralAnnouncement { length: 5, .. })
        ));
        // The framer of commands has no such lines.
        let mut f = Framer::new(&Options::default());
        assert!(matches!(
            f.next(b"a LOGIN {5}\r\n").unwrap(),
            Frame::Literal(_)
        ));
    }

    #[test]
    fn literals_larger_than_the_limit_are_refused_before_their_octets() {
        let o = Options {
            max_literal: 10,
            ..Options::default()
        };
        let buf = b"a APPEND x {11}\r\nb NOOP\r\n";
        let mut f = Framer::new(&o);
        let e = DecodeError::Invalid {
            offset: 12,
            kind: ErrorKind::LiteralTooLarge,
        };
        assert_eq!(f.next(buf), Err(e));
        assert_eq!(f.next(buf), Err(e), "until the command is discarded");
        f.discard();
        assert_eq!(f.next(buf).unwrap(), Frame::Discarded { len: 17 });
        // A non-synchronizing one is read and dropped.
        let buf = b"a APPEND x {11+}\r\nhello world\r\nb NOOP\r\n";
        let mut f = Framer::new(&o);
        assert_eq!(f.next(buf).unwrap_err().offset(), Some(12));
        f.discard();
        assert_eq!(f.next(buf).unwrap(), Frame::Discarded { len: 31 });
        // At the limit is fine.
        let mut f = Framer::new(&o);
        assert!(matches!(
            f.next(b"a APPEND x {10}\r\n").unwrap(),
            Frame::Literal(_)
        ));
    }

    #[test]
    fn nul_in_a_literal_is_found_as_it_arrives() {
        // CHAR8 = %x01-ff (RFC 9051 §9): the octet's offset, however the
        // input is split, and each octet scanned once.
        let full = b"a LOGIN {5}\r\nab\0de {2}\r\nxy\r\n";
        for split in 0..=full.len() {
            let mut f = Framer::new(&Options::default());
            let mut got = None;
            for end in [split, full.len()] {
                loop {
                    match f.next(&full[..end]) {
                        Ok(Frame::Literal(_)) => continue,
                        Ok(Frame::Incomplete { .. }) => break,
                        Ok(other) => panic!("{other:?}"),
                        Err(e) => {
                            got = Some(e);
                            break;
                        }
                    }
                }
                if got.is_some() {
                    break;
                }
            }
            assert_eq!(
                got,
                Some(DecodeError::Invalid {
                    offset: 15,
                    kind: ErrorKind::Nul
                }),
                "split at {split}"
            );
        }
        // Refused until discarded; then the rest of the command goes.
        let mut f = Framer::new(&Options::default());
        assert!(matches!(f.next(full).unwrap(), Frame::Literal(_)));
        assert!(f.next(full).is_err());
        assert!(f.next(full).is_err());
        f.discard();
        assert_eq!(f.next(full).unwrap(), Frame::Discarded { len: 24 });
        // A literal8 may carry NUL (RFC 3516), and so may any literal with
        // the quirk.
        let binary = b"a APPEND x ~{3}\r\n\0\0\0\r\n";
        let mut f = Framer::new(&Options::default());
        assert!(matches!(f.next(binary).unwrap(), Frame::Literal(_)));
        assert_eq!(
            f.next(binary).unwrap(),
            Frame::Complete { len: binary.len() }
        );
        let mut o = Options::default();
        o.quirks.nul_in_literal = true;
        let mut f = Framer::new(&o);
        assert!(matches!(f.next(full).unwrap(), Frame::Literal(_)));
        assert!(matches!(f.next(full).unwrap(), Frame::Literal(_)));
        assert_eq!(f.next(full).unwrap(), Frame::Complete { len: full.len() });
        // The framer of responses checks too.
        let fetch = b"* 1 FETCH (BODY[] {3}\r\na\0b)\r\n";
        let mut f = Framer::responses(&Options::default());
        assert!(matches!(f.next(fetch).unwrap(), Frame::Literal(_)));
        assert_eq!(
            f.next(fetch).unwrap_err(),
            DecodeError::Invalid {
                offset: 24,
                kind: ErrorKind::Nul
            }
        );
    }

    #[test]
    fn limits() {
        let mut o = Options {
            max_line: 10,
            ..Options::default()
        };
        let mut f = Framer::new(&o);
        assert_eq!(
            f.next(b"a NOOP").unwrap(),
            Frame::Incomplete { needed: None }
        );
        assert_eq!(
            f.next(b"a NOOP NOOP NOOP").unwrap_err(),
            DecodeError::Invalid {
                offset: 0,
                kind: ErrorKind::LineTooLong
            }
        );
        let mut f = Framer::new(&Options::default());
        assert_eq!(
            f.next(b"a NOOP\n").unwrap_err(),
            DecodeError::Invalid {
                offset: 6,
                kind: ErrorKind::BareLf
            }
        );
        // A literal's octets do not count against the line limit.
        o.max_line = 12;
        let mut f = Framer::new(&o);
        let mut buf = b"a X {20}\r\n".to_vec();
        buf.extend_from_slice(&[b'x'; 20]);
        buf.extend_from_slice(b"\r\n");
        assert!(matches!(f.next(&buf).unwrap(), Frame::Literal(_)));
        assert_eq!(f.next(&buf).unwrap(), Frame::Complete { len: buf.len() });
        assert_eq!(literal_at_end(b"{99999999999999999999}"), None);
        // Found by fuzzing: a literal ending in CR, then a bare LF.
        let mut f = Framer::new(&Options::default());
        let buf = b"a X {1}\r\n\r\n";
        assert!(matches!(f.next(buf).unwrap(), Frame::Literal(_)));
        assert_eq!(
            f.next(buf).unwrap_err(),
            DecodeError::Invalid {
                offset: 10,
                kind: ErrorKind::BareLf
            }
        );
        assert_eq!(literal_at_end(b"\"{5}"), Some((5, false, false)));
    }
}
