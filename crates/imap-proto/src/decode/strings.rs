//! The string terminals: quoted strings, literals, astrings, text
//! (RFC 9051 §4.3, §9).

use std::num::NonZeroUsize;

use super::{INCOMPLETE, PResult, Parser, look_mask};
use crate::error::{DecodeError, ErrorKind};
use crate::types::{self, AString, AtomExt, IString, Literal, Mailbox, Quoted, Text};

impl<'a> Parser<'a> {
    /// `quoted`, unescaped; borrowed when there is no backslash. One pass
    /// over plain octets; escapes, 8-bit text and errors take the slow path.
    #[inline(always)]
    pub(crate) fn quoted(&mut self) -> PResult<Quoted<'a>> {
        self.expect(b'"', "DQUOTE")?;
        let buf = self.buf;
        let start = self.pos;
        let mut i = start;
        // Eight octets at a time to the first one that needs a look; then
        // that octet decides: the closing quote, or the slow path.
        while let Some(chunk) = buf.get(i..i + 8) {
            let mask = look_mask(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
            if mask != 0 {
                i += (mask.trailing_zeros() / 8) as usize;
                return self.quoted_end(start, i);
            }
            i += 8;
        }
        while let Some(&b) = buf.get(i) {
            if types::is_quoted_plain(b) {
                i += 1;
            } else {
                return self.quoted_end(start, i);
            }
        }
        Err(INCOMPLETE)
    }

    /// The end of a quoted string's plain octets at `i`: the closing quote,
    /// or an escape, 8-bit text or an error for the slow path.
    #[inline(always)]
    fn quoted_end(&mut self, start: usize, i: usize) -> PResult<Quoted<'a>> {
        let buf = self.buf;
        if buf[i] == b'"' {
            self.pos = i + 1;
            Ok(Quoted::unchecked(std::borrow::Cow::Borrowed(
                &buf[start..i],
            )))
        } else {
            self.quoted_slow(start, i)
        }
    }

    #[cold]
    fn quoted_slow(&mut self, start: usize, mut i: usize) -> PResult<Quoted<'a>> {
        let buf = self.buf;
        let mut owned: Option<Vec<u8>> = None;
        let mut chunk_start = start;
        let mut eight_bit = None;
        loop {
            let b = *buf.get(i).ok_or(INCOMPLETE)?;
            match b {
                b'"' => break,
                b'\\' => {
                    let escaped = *buf.get(i + 1).ok_or(INCOMPLETE)?;
                    if escaped != b'"' && escaped != b'\\' {
                        return Err(self.err_at(i + 1, ErrorKind::Expected("quoted-specials")));
                    }
                    let v = owned.get_or_insert_with(Vec::new);
                    v.extend_from_slice(&buf[chunk_start..i]);
                    v.push(escaped);
                    i += 2;
                    chunk_start = i;
                }
                0x80..=0xff => {
                    eight_bit.get_or_insert(i);
                    i += 1;
                }
                _ if types::is_quoted_plain(b) => i += 1,
                0 => return Err(self.err_at(i, ErrorKind::Nul)),
                _ => return Err(self.err_at(i, ErrorKind::Expected("QUOTED-CHAR"))),
            }
        }
        if let Some(at) = eight_bit {
            if !self.mode().utf8() {
                return Err(self.err_at(at, ErrorKind::EightBit));
            }
            if let Err(e) = std::str::from_utf8(&buf[start..i]) {
                return Err(self.err_at(start + e.valid_up_to(), ErrorKind::EightBit));
            }
        }
        self.pos = i + 1;
        let content = match owned {
            None => std::borrow::Cow::Borrowed(&buf[start..i]),
            Some(mut v) => {
                v.extend_from_slice(&buf[chunk_start..i]);
                std::borrow::Cow::Owned(v)
            }
        };
        Ok(Quoted::unchecked(content))
    }

    /// 8-bit octets must be UTF-8, and only in UTF-8 modes.
    fn check_8bit(&self, from: usize, to: usize) -> PResult<()> {
        let s = &self.buf[from..to];
        if s.is_ascii() {
            return Ok(());
        }
        let first = s.iter().position(|&b| b >= 0x80).unwrap_or(0);
        if !self.mode().utf8() {
            return Err(self.err_at(from + first, ErrorKind::EightBit));
        }
        match std::str::from_utf8(s) {
            Ok(_) => Ok(()),
            // A sequence cut by the end of the input may still complete.
            Err(e) if e.error_len().is_none() && to == self.buf.len() => Err(INCOMPLETE),
            Err(e) => Err(self.err_at(from + e.valid_up_to(), ErrorKind::EightBit)),
        }
    }

    /// A literal's announcement up to its CRLF: `{n}`, `{n+}` in commands,
    /// and where allowed `~{n}`. Returns the size, where it is written,
    /// whether it is a `literal8` and whether it is non-synchronizing.
    pub(crate) fn literal_header(&mut self) -> PResult<(u64, usize, bool, bool)> {
        let binary = self.eat(b'~')?;
        if binary && !self.literal8 {
            return Err(self.err_at(self.pos - 1, ErrorKind::Expected("string")));
        }
        self.expect(b'{', "{")?;
        let size_at = self.pos;
        let size = self.number64()?;
        let non_sync = self.eat(b'+')?;
        if non_sync && !self.commands {
            return Err(self.err_at(self.pos - 1, ErrorKind::Expected("}")));
        }
        self.expect(b'}', "}")?;
        self.crlf()?;
        Ok((size, size_at, binary, non_sync))
    }

    /// `literal` (`{n}`, and `{n+}` in commands) or, where allowed, `literal8`.
    pub(crate) fn literal(&mut self) -> PResult<Literal> {
        let (size, size_at, binary, non_sync) = self.literal_header()?;
        if size > self.opts.max_literal {
            return Err(self.err_at(size_at, ErrorKind::LiteralTooLarge));
        }
        let available = self.buf.len() - self.pos;
        let size =
            usize::try_from(size).map_err(|_| self.err_at(size_at, ErrorKind::LiteralTooLarge))?;
        if available < size {
            return Err(DecodeError::Incomplete {
                needed: NonZeroUsize::new(size - available),
            });
        }
        // CHAR8 = %x01-ff: only a literal8 may carry NUL (RFC 9051 §9,
        // RFC 3516). Framed input was checked by the Framer as it arrived;
        // unframed input gets its one memchr pass here.
        if self.check_nul
            && !binary
            && let Some(at) = memchr::memchr(0, &self.buf[self.pos..self.pos + size])
        {
            return Err(self.err_at(self.pos + at, ErrorKind::Nul));
        }
        let data = self.input.slice(self.pos..self.pos + size);
        self.pos += size;
        Ok(Literal::decoded(data, binary, non_sync))
    }

    /// `string = quoted / literal`.
    #[inline(always)]
    pub(crate) fn string(&mut self) -> PResult<IString<'a>> {
        match self.peek()? {
            b'"' => self.quoted().map(IString::Quoted),
            b'{' | b'~' => self.literal().map(IString::from),
            b'N' | b'n' if self.quirks().nil_as_string && self.peek_word(b"NIL")? => {
                self.pos += 3;
                Ok(IString::Quoted(Quoted::unchecked(
                    std::borrow::Cow::Borrowed(&[]),
                )))
            }
            _ => Err(self.expected("string")),
        }
    }

    /// `nstring = string / nil`.
    #[inline(always)]
    pub(crate) fn nstring(&mut self) -> PResult<Option<IString<'a>>> {
        match self.peek()? {
            b'N' | b'n' => {
                self.nil()?;
                Ok(None)
            }
            _ => self.string().map(Some),
        }
    }

    #[inline]
    pub(crate) fn nil(&mut self) -> PResult<()> {
        if self.buf.get(self.pos..self.pos + 3) == Some(b"NIL") {
            self.pos += 3;
            return Ok(());
        }
        self.nil_any_case()
    }

    /// `nil` in another case than servers write it, or not there at all.
    #[cold]
    fn nil_any_case(&mut self) -> PResult<()> {
        let rest = &self.buf[self.pos..];
        if rest.len() < 3 {
            if b"NIL"[..rest.len()].eq_ignore_ascii_case(rest) {
                return Err(INCOMPLETE);
            }
            return Err(self.expected("NIL"));
        }
        if rest[..3].eq_ignore_ascii_case(b"NIL") {
            self.pos += 3;
            Ok(())
        } else {
            Err(self.expected("NIL"))
        }
    }

    /// Whether `NIL` is next (not consumed).
    pub(crate) fn peek_nil(&self) -> PResult<bool> {
        self.peek_word(b"NIL")
    }

    /// `astring = 1*ASTRING-CHAR / string`.
    pub(crate) fn astring(&mut self) -> PResult<AString<'a>> {
        let literal8 =
            self.peek()? == b'~' && *self.buf.get(self.pos + 1).ok_or(INCOMPLETE)? == b'{';
        match self.peek()? {
            b'"' | b'{' => self.string().map(AString::String),
            b'~' if literal8 => self.string().map(AString::String),
            _ => self
                .take1(types::is_astring_char, "astring")
                .map(|a| AString::Atom(AtomExt::unchecked(a))),
        }
    }

    pub(crate) fn mailbox(&mut self) -> PResult<Mailbox<'a>> {
        self.astring().map(Mailbox::from_wire)
    }

    /// `text` up to CR, possibly empty (RFC 9051 `resp-text`).
    pub(crate) fn text(&mut self) -> PResult<Text<'a>> {
        let start = self.pos;
        let rest = &self.buf[start..];
        let Some(i) = memchr::memchr(b'\r', rest) else {
            if let Some(j) = memchr::memchr2(b'\n', 0, rest) {
                let kind = if rest[j] == 0 {
                    ErrorKind::Nul
                } else {
                    ErrorKind::BareLf
                };
                return Err(self.err_at(start + j, kind));
            }
            return Err(INCOMPLETE);
        };
        let s = &rest[..i];
        if let Some(j) = s.iter().position(|&b| b < 0x80 && !types::is_text_char(b)) {
            let kind = if s[j] == 0 {
                ErrorKind::Nul
            } else {
                ErrorKind::BareLf
            };
            return Err(self.err_at(start + j, kind));
        }
        self.check_8bit(start, start + i)?;
        self.pos = start + i;
        Ok(Text::unchecked(std::str::from_utf8(s).unwrap_or_default()))
    }
}
