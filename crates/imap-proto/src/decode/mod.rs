//! Decoding: the grammar read from borrowed input.
//!
//! [`command`] and [`response`] decode one complete command or response from
//! the start of a `Bytes` buffer and say how many octets it took. Strings
//! borrow the buffer; literals are `Bytes` slices of it, so a message body is
//! never copied. A buffer that ends early gives [`DecodeError::Incomplete`]
//! (with the missing octet count when a literal says it); bad input gives
//! [`DecodeError::Invalid`] with the offset of the first octet that does not
//! fit.
//!
//! A server sees a literal's announcement before its octets through
//! [`Framer`], which finds where a command ends across its literals so the
//! server can send `+` (or refuse) first; a client frames responses with
//! [`Framer::responses`], which agrees with [`response`] that a status
//! response or a continuation request never carries a literal.
//!
//! [`command`] and [`response`] expect framed input: the [`Framer`] has
//! already checked every literal octet for NUL as it arrived (RFC 9051 §9
//! `CHAR8`), so they do not scan literal contents again, and decoding a
//! 1 MiB literal costs what a 1 KiB one does. For input that did not go
//! through a framer, [`command_checked`] and [`response_checked`] check the
//! literals themselves.

use std::num::NonZeroUsize;

use bytes::Bytes;

use crate::error::{DecodeError, ErrorKind};
use crate::types::{self, Atom, AuthenticateData, Command, Response, Secret, Tag};
use crate::{Mode, Options};

mod body;
mod command;
mod fetch;
mod framing;
mod response;
mod search;
mod strings;
mod values;

pub(crate) use self::command::AppendAnnounced;
pub(crate) use self::framing::literal_at_end;
pub use self::framing::{Frame, Framer, LiteralAnnouncement};

/// Decodes one command from the start of `input`; returns it and the number
/// of octets it took (its CRLF included).
///
/// The input is expected to be framed by a [`Framer`], which checked the
/// octets of each literal for NUL as they arrived: they are not scanned
/// again (use [`command_checked`] for input that was not framed).
///
/// ```
/// use bytes::Bytes;
/// use imap_proto::{Options, decode, types::CommandBody};
///
/// let input = Bytes::from_static(b"a001 LOGIN SMITH SESAME\r\n");
/// let (command, used) = decode::command(&input, &Options::default()).unwrap();
/// assert_eq!(command.tag.as_str(), "a001");
/// assert!(matches!(command.body, CommandBody::Login { .. }));
/// assert_eq!(used, input.len());
/// ```
pub fn command<'a>(
    input: &'a Bytes,
    options: &Options,
) -> Result<(Command<'a>, usize), DecodeError> {
    let mut p = Parser::new(input, options, true);
    let command = p.command()?;
    Ok((command, p.pos))
}

/// As [`command`], for input that did not go through a [`Framer`]: the
/// octets of every `literal` are also checked for NUL (RFC 9051 §9), once,
/// unless [`Quirks::nul_in_literal`](crate::Quirks::nul_in_literal).
///
/// ```
/// use bytes::Bytes;
/// use imap_proto::{DecodeError, ErrorKind, Options, decode};
///
/// let input = Bytes::from_static(b"a APPEND INBOX {3}\r\na\0b\r\n");
/// assert_eq!(
///     decode::command_checked(&input, &Options::default()).unwrap_err(),
///     DecodeError::Invalid { offset: 21, kind: ErrorKind::Nul }
/// );
/// ```
pub fn command_checked<'a>(
    input: &'a Bytes,
    options: &Options,
) -> Result<(Command<'a>, usize), DecodeError> {
    let mut p = Parser::unframed(input, options, true);
    let command = p.command()?;
    Ok((command, p.pos))
}

/// Decodes one response (untagged data, a continuation request or a tagged
/// completion) from the start of `input`; returns it and the octets it took.
///
/// The input is expected to be framed by [`Framer::responses`], which
/// checked literal octets for NUL as they arrived: they are not scanned again
/// (use [`response_checked`] for input that was not framed).
///
/// ```
/// use bytes::Bytes;
/// use imap_proto::{Options, decode, types::{Data, Response}};
///
/// let input = Bytes::from_static(b"* 172 EXISTS\r\n");
/// let (response, _) = decode::response(&input, &Options::default()).unwrap();
/// assert_eq!(response, Response::Data(Data::Exists(172)));
/// ```
pub fn response<'a>(
    input: &'a Bytes,
    options: &Options,
) -> Result<(Response<'a>, usize), DecodeError> {
    let mut p = Parser::new(input, options, false);
    let response = p.response()?;
    Ok((response, p.pos))
}

/// As [`response`], for input that did not go through a [`Framer`]: the
/// octets of every `literal` are also checked for NUL (RFC 9051 §9), once,
/// unless [`Quirks::nul_in_literal`](crate::Quirks::nul_in_literal).
pub fn response_checked<'a>(
    input: &'a Bytes,
    options: &Options,
) -> Result<(Response<'a>, usize), DecodeError> {
    let mut p = Parser::unframed(input, options, false);
    let response = p.response()?;
    Ok((response, p.pos))
}

/// An APPEND command's first line up to its first message's octets (which
/// `line` ends with the announcement of): the tag, the mailbox, the
/// message's options and size. The whole line must be used.
pub(crate) fn append_head<'a>(
    line: &'a Bytes,
    options: &Options,
) -> Result<command::AppendHead<'a>, DecodeError> {
    let mut p = Parser::new(line, options, true);
    let head = p.append_head().map_err(|e| whole(e, line.len()))?;
    whole_line(&p, line.len())?;
    Ok(head)
}

/// The line after an APPEND message's octets: the end of the command
/// (`None`), or the next message of a MULTIAPPEND up to its octets. The
/// whole line must be used.
pub(crate) fn append_next<'a>(
    line: &'a Bytes,
    options: &Options,
    utf8: bool,
) -> Result<Option<AppendAnnounced<'a>>, DecodeError> {
    let mut p = Parser::new(line, options, true);
    let next = p.append_next(utf8).map_err(|e| whole(e, line.len()))?;
    whole_line(&p, line.len())?;
    Ok(next)
}

/// A framed line that ends early is invalid where it ends.
fn whole(e: DecodeError, len: usize) -> DecodeError {
    match e {
        DecodeError::Incomplete { .. } => DecodeError::Invalid {
            offset: len,
            kind: ErrorKind::Expected("CRLF"),
        },
        e => e,
    }
}

fn whole_line(p: &Parser<'_>, len: usize) -> Result<(), DecodeError> {
    if p.pos == len {
        Ok(())
    } else {
        Err(DecodeError::Invalid {
            offset: p.pos,
            kind: ErrorKind::Expected("CRLF"),
        })
    }
}

/// The tag at the start of a command that may not be complete or valid,
/// so that a server can answer `tag BAD` or `tag NO` to a command it refuses
/// (a literal too large, a line too long). `None` when there is no valid tag
/// followed by a space.
///
/// ```
/// use imap_proto::decode;
/// assert_eq!(decode::tag_of(b"A003 APPEND inbox {99999999}\r\n").unwrap().as_str(), "A003");
/// assert!(decode::tag_of(b"+ x").is_none());
/// ```
pub fn tag_of(input: &[u8]) -> Option<Tag<'_>> {
    let end = input.iter().position(|&b| b == b' ')?;
    let tag = &input[..end];
    (!tag.is_empty() && tag.iter().all(|&b| types::is_tag_char(b))).then(|| Tag::unchecked(tag))
}

/// Decodes a client's line during AUTHENTICATE: base64, or `*` to cancel
/// (RFC 9051 §6.2.2). An empty line is an empty response.
pub fn authenticate_data(input: &[u8]) -> Result<(AuthenticateData, usize), DecodeError> {
    let Some(nl) = memchr::memchr(b'\n', input) else {
        return Err(DecodeError::Incomplete { needed: None });
    };
    if nl == 0 || input[nl - 1] != b'\r' {
        return Err(DecodeError::Invalid {
            offset: nl,
            kind: ErrorKind::BareLf,
        });
    }
    let line = &input[..nl - 1];
    if line == b"*" {
        return Ok((AuthenticateData::Cancel, nl + 1));
    }
    let data = base64_decode(line).map_err(|offset| DecodeError::Invalid {
        offset,
        kind: ErrorKind::Base64,
    })?;
    Ok((AuthenticateData::Response(Secret::new(data)), nl + 1))
}

/// Decodes the `DONE` that ends IDLE (RFC 2177, RFC 9051 §6.3.13), in any
/// case; returns the octets it took.
pub fn idle_done(input: &[u8]) -> Result<usize, DecodeError> {
    const DONE: &[u8] = b"DONE\r\n";
    let n = input.len().min(DONE.len());
    if !input[..n].eq_ignore_ascii_case(&DONE[..n]) {
        let offset = input
            .iter()
            .zip(DONE)
            .position(|(a, b)| !a.eq_ignore_ascii_case(b))
            .unwrap_or(0);
        return Err(DecodeError::Invalid {
            offset,
            kind: ErrorKind::Expected("DONE"),
        });
    }
    if n < DONE.len() {
        return Err(DecodeError::Incomplete {
            needed: NonZeroUsize::new(DONE.len() - n),
        });
    }
    Ok(DONE.len())
}

/// Strict base64 (RFC 4648 §4, padded), or the offset of the first bad octet.
pub(crate) fn base64_decode(data: &[u8]) -> Result<Vec<u8>, usize> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|e| match e {
            base64::DecodeError::InvalidByte(at, _)
            | base64::DecodeError::InvalidLastSymbol(at, _) => at,
            _ => data.len().saturating_sub(1),
        })
}

pub(crate) type PResult<T> = Result<T, DecodeError>;

const INCOMPLETE: DecodeError = DecodeError::Incomplete { needed: None };

/// Where a flag appears, which decides whether `\Recent` and `\*` are allowed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagContext {
    /// `flag`: STORE, APPEND.
    Plain,
    /// `flag-fetch`: FETCH FLAGS, the FLAGS response.
    Fetch,
    /// `flag-perm`: PERMANENTFLAGS.
    Perm,
}

/// A cursor over the input with the grammar's terminals.
pub(crate) struct Parser<'a> {
    input: &'a Bytes,
    buf: &'a [u8],
    pub(crate) pos: usize,
    opts: Options,
    depth: usize,
    /// Decoding commands (client to server): `{n+}` is allowed.
    commands: bool,
    /// `~{n}` is allowed at this point (APPEND data, BINARY items).
    literal8: bool,
    /// Literal octets are checked for NUL here: the input was not framed.
    check_nul: bool,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(input: &'a Bytes, opts: &Options, commands: bool) -> Self {
        Self {
            input,
            buf: input,
            pos: 0,
            opts: *opts,
            depth: 0,
            commands,
            literal8: false,
            check_nul: false,
        }
    }

    /// A parser of input that did not go through [`Framer`]: it checks
    /// literal octets for NUL itself, unless the quirks allow them.
    pub(crate) fn unframed(input: &'a Bytes, opts: &Options, commands: bool) -> Self {
        Self {
            check_nul: !opts.quirks.nul_in_literal,
            ..Self::new(input, opts, commands)
        }
    }

    pub(crate) fn mode(&self) -> Mode {
        self.opts.mode
    }

    pub(crate) fn quirks(&self) -> crate::Quirks {
        self.opts.quirks
    }

    pub(crate) fn err(&self, kind: ErrorKind) -> DecodeError {
        DecodeError::Invalid {
            offset: self.pos,
            kind,
        }
    }

    pub(crate) fn err_at(&self, offset: usize, kind: ErrorKind) -> DecodeError {
        DecodeError::Invalid { offset, kind }
    }

    pub(crate) fn expected(&self, what: &'static str) -> DecodeError {
        self.err(ErrorKind::Expected(what))
    }

    /// Goes one level deeper, or fails past the depth limit.
    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > self.opts.depth_limit() {
            return Err(self.err(ErrorKind::TooDeep));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    #[inline]
    pub(crate) fn peek(&self) -> PResult<u8> {
        self.buf.get(self.pos).copied().ok_or(INCOMPLETE)
    }

    /// Consumes `b` if it is next.
    #[inline]
    pub(crate) fn eat(&mut self, b: u8) -> PResult<bool> {
        if self.peek()? == b {
            self.pos += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    #[inline]
    pub(crate) fn expect(&mut self, b: u8, what: &'static str) -> PResult<()> {
        if self.eat(b)? {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    #[inline]
    pub(crate) fn sp(&mut self) -> PResult<()> {
        self.expect(b' ', "SP")
    }

    /// Whether the next octets end the line (CR, or a bare LF that `crlf` rejects).
    #[inline]
    pub(crate) fn at_eol(&self) -> PResult<bool> {
        let b = self.peek()?;
        Ok(b == b'\r' || b == b'\n')
    }

    /// `CRLF`, with the trailing-space quirk when `lenient` (list responses).
    pub(crate) fn crlf_lenient(&mut self, lenient: bool) -> PResult<()> {
        if lenient && self.quirks().trailing_space && self.peek()? == b' ' {
            self.pos += 1;
        }
        self.crlf()
    }

    pub(crate) fn crlf(&mut self) -> PResult<()> {
        match self.peek()? {
            b'\r' => {
                self.pos += 1;
                match self.peek()? {
                    b'\n' => {
                        self.pos += 1;
                        Ok(())
                    }
                    _ => Err(self.expected("LF")),
                }
            }
            b'\n' => Err(self.err(ErrorKind::BareLf)),
            _ => Err(self.expected("CRLF")),
        }
    }

    /// Octets while `f` holds, at least one. Reaching the end of the input is
    /// `Incomplete`: the token may go on.
    #[inline]
    pub(crate) fn take1(
        &mut self,
        f: impl Fn(u8) -> bool,
        what: &'static str,
    ) -> PResult<&'a [u8]> {
        let start = self.pos;
        let rest = &self.buf[start..];
        match rest.iter().position(|&b| !f(b)) {
            Some(0) => Err(self.expected(what)),
            Some(n) => {
                self.pos += n;
                Ok(&rest[..n])
            }
            None => Err(INCOMPLETE),
        }
    }

    /// Whether the next octets are `word` (any case) followed by a non-name octet.
    /// At the end of the input, a prefix of `word` is `Incomplete`.
    pub(crate) fn peek_word(&self, word: &[u8]) -> PResult<bool> {
        let rest = &self.buf[self.pos..];
        let n = rest.len().min(word.len());
        if !rest[..n].eq_ignore_ascii_case(&word[..n]) {
            return Ok(false);
        }
        if rest.len() <= word.len() {
            return Err(INCOMPLETE);
        }
        Ok(!types::is_name_char(rest[word.len()]))
    }

    /// A keyword made of letters, digits, `.`, `-` and `=`.
    #[inline]
    pub(crate) fn word(&mut self) -> PResult<&'a [u8]> {
        self.take1(types::is_name_char, "keyword")
    }

    /// Consumes `word` (any case), or fails.
    pub(crate) fn keyword(&mut self, word: &'static str) -> PResult<()> {
        let start = self.pos;
        let w = self.word()?;
        if w.eq_ignore_ascii_case(word.as_bytes()) {
            Ok(())
        } else {
            Err(self.err_at(start, ErrorKind::Expected(word)))
        }
    }

    pub(crate) fn number(&mut self) -> PResult<u32> {
        let start = self.pos;
        let n = self.number64()?;
        u32::try_from(n).map_err(|_| self.err_at(start, ErrorKind::Number))
    }

    pub(crate) fn nz_number(&mut self) -> PResult<u32> {
        let start = self.pos;
        match self.number()? {
            0 => Err(self.err_at(start, ErrorKind::Number)),
            n => Ok(n),
        }
    }

    /// `number64 = 1*DIGIT`, at most 2^63 - 1 (RFC 9051 §9).
    pub(crate) fn number64(&mut self) -> PResult<u64> {
        let start = self.pos;
        let digits = self.take1(|b| b.is_ascii_digit(), "number")?;
        let mut n: u64 = 0;
        for &d in digits {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .filter(|&n| n <= i64::MAX as u64)
                .ok_or(self.err_at(start, ErrorKind::Number))?;
        }
        Ok(n)
    }

    pub(crate) fn nz_number64(&mut self) -> PResult<u64> {
        let start = self.pos;
        match self.number64()? {
            0 => Err(self.err_at(start, ErrorKind::Number)),
            n => Ok(n),
        }
    }

    pub(crate) fn atom(&mut self) -> PResult<Atom<'a>> {
        self.take1(types::is_atom_char, "atom").map(Atom::unchecked)
    }

    pub(crate) fn tag(&mut self) -> PResult<Tag<'a>> {
        self.take1(types::is_tag_char, "tag").map(Tag::unchecked)
    }

    /// Runs `f` with `literal8` allowed.
    pub(crate) fn with_literal8<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let before = self.literal8;
        self.literal8 = true;
        let r = f(self);
        self.literal8 = before;
        r
    }

    /// A space-separated list in parentheses, at least `min` items.
    pub(crate) fn paren_list<T>(
        &mut self,
        min: usize,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.expect(b'(', "(")?;
        let mut v = Vec::new();
        if v.len() >= min && self.eat(b')')? {
            return Ok(v);
        }
        loop {
            v.push(item(self)?);
            if self.eat(b')')? {
                return Ok(v);
            }
            self.sp()?;
        }
    }
}

/// The octets of `v` (eight, little-endian) that a quoted string's fast path
/// stops at: `"`, `\\`, a control, DEL or 8-bit. Each shows as the high bit
/// of its byte in the result, and the lowest set bit is exact, so
/// `trailing_zeros() / 8` is the index of the first (SWAR, as in "Bit
/// Twiddling Hacks": a zero byte shows as a set high bit of
/// `x - 0x01..01 & !x`; the borrow can only mark bytes above a real hit).
#[inline]
pub(crate) fn look_mask(v: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x;
    let control = v.wrapping_sub(LO * 0x20) & !v;
    (v | control
        | has_zero(v ^ (LO * u64::from(b'"')))
        | has_zero(v ^ (LO * u64::from(b'\\')))
        | has_zero(v ^ (LO * 0x7f)))
        & HI
}

/// Uppercases a keyword into `buf` for matching; empty if it does not fit.
#[inline]
pub(crate) fn upper<'b>(word: &[u8], buf: &'b mut [u8; 24]) -> &'b [u8] {
    if word.len() > buf.len() {
        return &[];
    }
    for (out, b) in buf.iter_mut().zip(word) {
        *out = b.to_ascii_uppercase();
    }
    &buf[..word.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Date, SeqNumber, Sequence, SequenceSet};

    fn p(s: &'static [u8]) -> (Bytes, Options) {
        (Bytes::from_static(s), Options::default())
    }

    #[test]
    fn strings_and_their_errors() {
        let (b, o) = p(b"\"a\\\"b\" ");
        let mut parser = Parser::new(&b, &o, true);
        assert_eq!(parser.quoted().unwrap().as_bytes(), b"a\"b");
        let (b, o) = p(b"\"ab\\n\"");
        assert_eq!(
            Parser::new(&b, &o, true).quoted(),
            Err(DecodeError::Invalid {
                offset: 4,
                kind: ErrorKind::Expected("quoted-specials")
            })
        );
        let (b, o) = p(b"\"ab\r\n\"");
        assert_eq!(
            Parser::new(&b, &o, true).quoted().unwrap_err().offset(),
            Some(3)
        );
        let (b, o) = p(b"\"ab");
        assert!(
            Parser::new(&b, &o, true)
                .quoted()
                .unwrap_err()
                .is_incomplete()
        );
        let (b, o) = p(b"\"caf\xc3\xa9\"");
        assert_eq!(
            Parser::new(&b, &o, true).quoted(),
            Err(DecodeError::Invalid {
                offset: 4,
                kind: ErrorKind::EightBit
            })
        );
        let o = Options::with_mode(Mode::Utf8Accept);
        assert_eq!(
            Parser::new(&b, &o, true).quoted().unwrap().as_bytes(),
            "caf\u{e9}".as_bytes()
        );
    }

    #[test]
    fn literals_are_slices_and_say_what_they_need() {
        let (b, o) = p(b"{5}\r\nhel");
        assert_eq!(
            Parser::new(&b, &o, true).literal(),
            Err(DecodeError::Incomplete {
                needed: NonZeroUsize::new(2)
            })
        );
        let (b, o) = p(b"{5+}\r\nhello");
        let lit = Parser::new(&b, &o, true).literal().unwrap();
        assert!(lit.is_non_sync());
        assert_eq!(
            lit.data().as_ptr(),
            b[6..].as_ptr(),
            "a slice of the input, not a copy"
        );
        // Servers never send non-synchronizing literals (RFC 7888 §3).
        assert_eq!(
            Parser::new(&b, &o, false).literal().unwrap_err().offset(),
            Some(2)
        );
        let (b, o) = p(b"~{1}\r\n\0");
        assert!(Parser::new(&b, &o, true).literal().is_err());
        assert!(
            Parser::unframed(&b"{1}\r\n\0".to_vec().into(), &o, true)
                .literal()
                .is_err()
        );
        let mut parser = Parser::new(&b, &o, true);
        assert!(parser.with_literal8(|p| p.literal()).unwrap().is_binary());
        let small = Options {
            max_literal: 4,
            ..Options::default()
        };
        let (b, _) = p(b"{5}\r\nhello");
        assert_eq!(
            Parser::new(&b, &small, true).literal(),
            Err(DecodeError::Invalid {
                offset: 1,
                kind: ErrorKind::LiteralTooLarge
            })
        );
    }

    #[test]
    fn framed_input_is_not_scanned_again_and_unframed_input_is() {
        // The Framer checked the octets as they arrived; the decoder of
        // framed input does not look at them again.
        let (b, o) = p(b"* 1 FETCH (BODY[] {3}\r\na\0b)\r\n");
        assert!(response(&b, &o).is_ok());
        assert_eq!(
            response_checked(&b, &o).unwrap_err(),
            DecodeError::Invalid {
                offset: 24,
                kind: ErrorKind::Nul
            }
        );
        let (b, o) = p(b"a LOGIN {3}\r\na\0b x\r\n");
        assert!(command(&b, &o).is_ok());
        assert_eq!(command_checked(&b, &o).unwrap_err().offset(), Some(14));
        // literal8 and the quirk let NUL through the checked decoders too.
        let (b, o) = p(b"a APPEND x ~{1}\r\n\0\r\n");
        assert!(command_checked(&b, &o).is_ok());
        let (b, mut o) = p(b"a LOGIN {3}\r\na\0b x\r\n");
        o.quirks.nul_in_literal = true;
        assert!(command_checked(&b, &o).is_ok());
    }

    #[test]
    fn numbers_are_bounded() {
        let (b, o) = p(b"4294967296 ");
        assert_eq!(
            Parser::new(&b, &o, true).number(),
            Err(DecodeError::Invalid {
                offset: 0,
                kind: ErrorKind::Number
            })
        );
        let (b, o) = p(b"9223372036854775808 ");
        assert!(Parser::new(&b, &o, true).number64().is_err());
        let (b, o) = p(b"0 ");
        assert!(Parser::new(&b, &o, true).nz_number().is_err());
        let (b, o) = p(b"12");
        assert!(
            Parser::new(&b, &o, true)
                .number()
                .unwrap_err()
                .is_incomplete()
        );
    }

    #[test]
    fn sequence_sets() {
        let (b, o) = p(b"1:4,7,*:9 ");
        let set = Parser::new(&b, &o, true).sequence_set(true).unwrap();
        assert_eq!(
            set,
            SequenceSet::Set(vec![
                Sequence::Range(SeqNumber::Value(1), SeqNumber::Value(4)),
                Sequence::Single(SeqNumber::Value(7)),
                Sequence::Range(SeqNumber::Last, SeqNumber::Value(9)),
            ])
        );
        let (b, o) = p(b"1:* ");
        assert_eq!(
            Parser::new(&b, &o, true)
                .sequence_set(false)
                .unwrap_err()
                .offset(),
            Some(2)
        );
        let (b, o) = p(b"$ ");
        assert_eq!(
            Parser::new(&b, &o, true).sequence_set(true).unwrap(),
            SequenceSet::Saved
        );
    }

    #[test]
    fn dates() {
        let (b, o) = p(b"\" 1-Jul-1996 02:44:25 -0700\"");
        let d = Parser::new(&b, &o, true).date_time().unwrap();
        assert_eq!(d.zone_minutes(), -420);
        assert_eq!(d.date().day(), 1);
        let (b, o) = p(b"\"31-Feb-1996 02:44:25 -0700\"");
        assert_eq!(
            Parser::new(&b, &o, true).date_time().unwrap_err().offset(),
            Some(0)
        );
        let (b, o) = p(b"1-Feb-1994 ");
        assert_eq!(
            Parser::new(&b, &o, true).date().unwrap(),
            Date::new(1994, 2, 1).unwrap()
        );
    }

    #[test]
    fn date_times_read_whole_and_stepwise_agree() {
        let bases: [&[u8]; 3] = [
            b"\"17-Jul-1996 02:44:25 -0700\" ",
            b"\" 1-Feb-2024 23:59:60 +9959\" ",
            b"\"29-feb-2023 00:00:00 +0000\" ",
        ];
        for base in bases {
            for at in 0..base.len() {
                for b in *b" 09-+:\"aJx\r" {
                    let mut input = base.to_vec();
                    input[at] = b;
                    let (buf, o) = (Bytes::from(input), Options::default());
                    let (mut whole, mut stepwise) =
                        (Parser::new(&buf, &o, true), Parser::new(&buf, &o, true));
                    let (a, b) = (whole.date_time(), stepwise.date_time_stepwise());
                    assert_eq!(a, b, "{:?}", String::from_utf8_lossy(&buf));
                    assert_eq!(whole.pos, stepwise.pos);
                }
            }
        }
    }

    #[test]
    fn upper_is_ascii_uppercase() {
        for b in 0u8..=255 {
            for at in 0..24 {
                let mut word = *b"fetch-att.Name=x0123456z";
                word[at] = b;
                let mut buf = [0u8; 24];
                assert_eq!(
                    upper(&word, &mut buf),
                    word.to_ascii_uppercase(),
                    "{b:#x} at {at}"
                );
                let short = &word[..=at];
                let mut buf = [0u8; 24];
                assert_eq!(upper(short, &mut buf), short.to_ascii_uppercase(), "{b:#x}");
            }
        }
        assert_eq!(upper(&[b'a'; 25], &mut [0; 24]), b"");
    }

    #[test]
    fn the_fast_path_stops_where_it_must() {
        for b in 0u8..=255 {
            let stop = !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\';
            // Conservative: every octet the fast path must not pass is seen.
            assert!(types::is_quoted_plain(b) || stop, "{b:#x}");
            for at in 0..8 {
                let mut octets = *b"abcdefgh";
                octets[at] = b;
                let mask = look_mask(u64::from_le_bytes(octets));
                if stop {
                    // The first stop is found exactly where it is.
                    assert_eq!(mask.trailing_zeros() / 8, at as u32, "{b:#x} at {at}");
                } else {
                    assert_eq!(mask, 0, "{b:#x} at {at}");
                }
            }
            // A stop after another is not reported before it.
            let mut octets = *b"ab\"cdefg";
            octets[5] = b;
            assert_eq!(
                look_mask(u64::from_le_bytes(octets)).trailing_zeros() / 8,
                2
            );
        }
    }

    #[test]
    fn authenticate_lines_and_done() {
        let (data, n) = authenticate_data(b"dGVzdA==\r\n").unwrap();
        assert_eq!(
            data,
            AuthenticateData::Response(Secret::new(b"test".to_vec()))
        );
        assert_eq!(n, 10);
        assert_eq!(
            authenticate_data(b"*\r\n").unwrap().0,
            AuthenticateData::Cancel
        );
        assert_eq!(
            authenticate_data(b"dGV*dA==\r\n").unwrap_err().offset(),
            Some(3)
        );
        assert!(authenticate_data(b"dGVz").unwrap_err().is_incomplete());
        assert_eq!(idle_done(b"done\r\n"), Ok(6));
        assert_eq!(
            idle_done(b"DO"),
            Err(DecodeError::Incomplete {
                needed: NonZeroUsize::new(4)
            })
        );
        assert_eq!(idle_done(b"DONX\r\n").unwrap_err().offset(), Some(3));
    }
}
