//! Sequence sets, flags, dates and delimiters (RFC 9051 §9).

use super::{FlagContext, INCOMPLETE, PResult, Parser};
use crate::error::ErrorKind;
use crate::types::{
    self, AString, AtomExt, Date, DateTime, Flag, IString, SeqNumber, Sequence, SequenceSet,
};

impl<'a> Parser<'a> {
    /// `sequence-set` (or `$` where `saved` allows it, RFC 5182), `uid-set`
    /// without `*` when `star` is false.
    pub(crate) fn sequence_set(&mut self, star: bool) -> PResult<SequenceSet> {
        self.sequence_set_with(star, star)
    }

    /// `sequence-set` with `*` where `star` allows it and `$` where `saved` does.
    pub(crate) fn sequence_set_with(&mut self, star: bool, saved: bool) -> PResult<SequenceSet> {
        if saved && self.peek()? == b'$' {
            self.pos += 1;
            return Ok(SequenceSet::Saved);
        }
        let mut v = Vec::new();
        loop {
            let a = self.seq_number(star)?;
            let s = if self.eat(b':')? {
                Sequence::Range(a, self.seq_number(star)?)
            } else {
                Sequence::Single(a)
            };
            v.push(s);
            if !self.eat(b',')? {
                return Ok(SequenceSet::Set(v));
            }
        }
    }

    fn seq_number(&mut self, star: bool) -> PResult<SeqNumber> {
        if star && self.eat(b'*')? {
            return Ok(SeqNumber::Last);
        }
        self.nz_number().map(SeqNumber::Value)
    }

    /// One flag; `\Recent` only in `flag-fetch`, `\*` only in `flag-perm`.
    pub(crate) fn flag(&mut self, ctx: FlagContext) -> PResult<Flag<'a>> {
        let start = self.pos;
        if self.eat(b'\\')? {
            if self.eat(b'*')? {
                return if ctx == FlagContext::Perm {
                    Ok(Flag::Wildcard)
                } else {
                    Err(self.err_at(start, ErrorKind::Expected("flag")))
                };
            }
            let flag = Flag::system(self.atom()?);
            if flag == Flag::Recent && ctx != FlagContext::Fetch {
                return Err(self.err_at(start, ErrorKind::Expected("flag")));
            }
            return Ok(flag);
        }
        self.atom().map(Flag::Keyword)
    }

    /// `"(" [flag *(SP flag)] ")"`.
    pub(crate) fn flag_list(&mut self, ctx: FlagContext) -> PResult<Vec<Flag<'a>>> {
        self.expect(b'(', "(")?;
        let mut v = Vec::new();
        if self.eat(b')')? {
            return Ok(v);
        }
        loop {
            v.push(self.flag(ctx)?);
            if self.eat(b')')? {
                return Ok(v);
            }
            self.sp()?;
        }
    }

    fn month(&mut self) -> PResult<u8> {
        let start = self.pos;
        let m = self.buf.get(start..start + 3).ok_or(INCOMPLETE)?;
        let month = month_number(m).ok_or(self.err_at(start, ErrorKind::Expected("date-month")))?;
        self.pos += 3;
        Ok(month)
    }

    fn digits(&mut self, n: usize) -> PResult<u32> {
        let start = self.pos;
        let d = self.buf.get(start..start + n).ok_or(INCOMPLETE)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return Err(self.expected("DIGIT"));
        }
        self.pos += n;
        Ok(d.iter().fold(0, |a, &b| a * 10 + u32::from(b - b'0')))
    }

    /// `date-time` (RFC 9051 §9). A well-formed one is read in one step from
    /// its fixed 28 octets; anything else (or a value out of range) takes
    /// the octet-by-octet path, which says where it is wrong.
    pub(crate) fn date_time(&mut self) -> PResult<DateTime> {
        if let Some(octets) = self.buf.get(self.pos..self.pos + 28)
            && let Some(dt) = date_time_fixed(octets)
        {
            self.pos += 28;
            return Ok(dt);
        }
        self.date_time_stepwise()
    }

    #[cold]
    pub(super) fn date_time_stepwise(&mut self) -> PResult<DateTime> {
        let start = self.pos;
        self.expect(b'"', "date-time")?;
        let day = if self.eat(b' ')? {
            self.digits(1)?
        } else {
            self.digits(2)?
        };
        self.expect(b'-', "-")?;
        let month = self.month()?;
        self.expect(b'-', "-")?;
        let year = self.digits(4)?;
        self.sp()?;
        let hour = self.digits(2)?;
        self.expect(b':', ":")?;
        let minute = self.digits(2)?;
        self.expect(b':', ":")?;
        let second = self.digits(2)?;
        self.sp()?;
        let sign = match self.peek()? {
            b'+' => 1,
            b'-' => -1,
            _ => return Err(self.expected("zone")),
        };
        self.pos += 1;
        let zone_at = self.pos;
        let zone = self.digits(4)?;
        // zone = ("+" / "-") 4DIGIT: hours and minutes, so minutes past 59
        // are refused rather than carried into the hours.
        if zone % 100 > 59 {
            return Err(self.err_at(zone_at + 2, ErrorKind::Expected("zone")));
        }
        self.expect(b'"', "DQUOTE")?;
        let zone = sign * ((zone / 100) * 60 + zone % 100) as i16;
        let date = Date::new(year as u16, month, day as u8)
            .map_err(|_| self.err_at(start, ErrorKind::Expected("date")))?;
        DateTime::new(date, hour as u8, minute as u8, second as u8, zone)
            .map_err(|_| self.err_at(start, ErrorKind::Expected("date-time")))
    }

    /// `date = date-text / DQUOTE date-text DQUOTE`.
    pub(crate) fn date(&mut self) -> PResult<Date> {
        let start = self.pos;
        let quoted = self.eat(b'"')?;
        let day = if self
            .buf
            .get(self.pos + 1)
            .ok_or(INCOMPLETE)?
            .is_ascii_digit()
        {
            self.digits(2)?
        } else {
            self.digits(1)?
        };
        self.expect(b'-', "-")?;
        let month = self.month()?;
        self.expect(b'-', "-")?;
        let year = self.digits(4)?;
        if quoted {
            self.expect(b'"', "DQUOTE")?;
        }
        Date::new(year as u16, month, day as u8)
            .map_err(|_| self.err_at(start, ErrorKind::Expected("date")))
    }

    /// `charset = atom / quoted` (RFC 9051 §9): BADCHARSET and SEARCH CHARSET.
    pub(crate) fn charset(&mut self) -> PResult<AString<'a>> {
        if self.peek()? == b'"' {
            return self.quoted().map(|q| AString::String(IString::Quoted(q)));
        }
        self.take1(types::is_atom_char, "charset")
            .map(|a| AString::Atom(AtomExt::unchecked(a)))
    }

    /// `DQUOTE QUOTED-CHAR DQUOTE / nil`: a hierarchy delimiter.
    pub(crate) fn delimiter(&mut self) -> PResult<Option<char>> {
        if self.peek_nil()? {
            self.pos += 3;
            return Ok(None);
        }
        let start = self.pos;
        let q = self.quoted()?;
        let s = std::str::from_utf8(q.as_bytes())
            .map_err(|_| self.err_at(start, ErrorKind::EightBit))?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(Some(c)),
            _ => Err(self.err_at(start, ErrorKind::Expected("QUOTED-CHAR"))),
        }
    }
}

/// `date-month` in any case: 1 to 12.
#[inline]
fn month_number(m: &[u8]) -> Option<u8> {
    let &[a, b, c] = m else { return None };
    let key = [
        a.to_ascii_lowercase(),
        b.to_ascii_lowercase(),
        c.to_ascii_lowercase(),
    ];
    Some(match &key {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    })
}

/// `DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone
/// DQUOTE`, 28 octets, when every one is where it belongs and the values
/// are in range; `None` sends the caller to the stepwise parser.
#[inline]
fn date_time_fixed(s: &[u8]) -> Option<DateTime> {
    let digit = |i: usize| s[i].is_ascii_digit().then(|| u32::from(s[i] - b'0'));
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let four = |i: usize| Some(two(i)? * 100 + two(i + 2)?);
    if s.len() != 28
        || s[0] != b'"'
        || s[3] != b'-'
        || s[7] != b'-'
        || s[12] != b' '
        || s[15] != b':'
        || s[18] != b':'
        || s[21] != b' '
        || s[27] != b'"'
    {
        return None;
    }
    let day = if s[1] == b' ' { digit(2)? } else { two(1)? };
    let month = month_number(&s[4..7])?;
    let sign = match s[22] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let zone = four(23)?;
    if zone % 100 > 59 {
        return None;
    }
    let date = Date::new(four(8)? as u16, month, day as u8).ok()?;
    DateTime::new(
        date,
        two(13)? as u8,
        two(16)? as u8,
        two(19)? as u8,
        sign * ((zone / 100) * 60 + zone % 100) as i16,
    )
    .ok()
}
