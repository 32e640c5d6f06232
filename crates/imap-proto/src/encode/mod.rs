//! Encoding: the grammar written into a caller's `BytesMut`.
//!
//! Values keep the form they were decoded in, so decoding and encoding gives
//! back the same bytes. Where a form cannot be written in the session's mode
//! (a quoted string with 8-bit text in IMAP4rev1) a literal is written
//! instead. A literal's octets are copied once, into the output.
//!
//! A client must not send a synchronizing literal's octets before the
//! server's `+` (RFC 9051 §4.3): [`command`] returns the offsets in the
//! output where it must stop and wait.

use bytes::{BufMut, BytesMut};

use crate::error::EncodeError;
use crate::types::{
    self, AString, AuthenticateData, BodyItem, Command, Data, Date, DateTime, FetchItem, Flag,
    IString, Literal, Mailbox, Quoted, Response, SeqNumber, Sequence, SequenceSet, Tag, Text,
};
use crate::{LiteralPolicy, Options};

mod command;
mod response;

/// Where a client must wait for a continuation request before sending on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiteralWaits(Vec<usize>);

impl LiteralWaits {
    /// Offsets in the output buffer (from its start) right after each
    /// synchronizing literal's `{n}CRLF`: send up to the first, wait for `+`,
    /// send up to the next, and so on. Empty when the command can go at once.
    pub fn literal_waits(&self) -> &[usize] {
        &self.0
    }

    /// Whether the command can be sent without waiting.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Encodes a command, as a client sends it.
///
/// ```
/// use bytes::BytesMut;
/// use imap_proto::types::{Command, CommandBody, Tag};
/// use imap_proto::{Options, encode};
///
/// let mut out = BytesMut::new();
/// encode::command(&Command::new(Tag::new("a1")?, CommandBody::Noop), &mut out, &Options::default())?;
/// assert_eq!(&out[..], b"a1 NOOP\r\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn command(
    command: &Command<'_>,
    out: &mut BytesMut,
    options: &Options,
) -> Result<LiteralWaits, EncodeError> {
    let mut w = Writer::new(out, options, true);
    let start = w.out.len();
    match w
        .command(command)
        .and_then(|()| w.error.map_or(Ok(()), Err))
    {
        Ok(()) => {
            w.flush();
            Ok(LiteralWaits(w.waits))
        }
        Err(e) => {
            // Nothing of a command that cannot be encoded is left behind.
            w.out.truncate(start);
            Err(e)
        }
    }
}

/// Encodes a response, as a server sends it.
pub fn response(
    response: &Response<'_>,
    out: &mut BytesMut,
    options: &Options,
) -> Result<(), EncodeError> {
    let mut w = Writer::new(out, options, false);
    let start = w.out.len();
    match w
        .response(response)
        .and_then(|()| w.error.map_or(Ok(()), Err))
    {
        Ok(()) => {
            w.flush();
            Ok(())
        }
        Err(e) => {
            w.out.truncate(start);
            Err(e)
        }
    }
}

/// Encodes a client's line during AUTHENTICATE: base64 (an empty response
/// is an empty line, RFC 9051 §6.2.2) or `*`.
pub fn authenticate_data(data: &AuthenticateData, out: &mut BytesMut) {
    use base64::Engine;
    match data {
        AuthenticateData::Cancel => out.put_slice(b"*"),
        AuthenticateData::Response(r) => {
            out.put_slice(
                base64::engine::general_purpose::STANDARD
                    .encode(r.expose())
                    .as_bytes(),
            );
        }
    }
    out.put_slice(b"\r\n");
}

/// Encodes the `DONE` that ends IDLE (RFC 2177).
pub fn idle_done(out: &mut BytesMut) {
    out.put_slice(b"DONE\r\n");
}

/// Encodes untagged data, `* ...` CRLF, as a server sends it.
pub(crate) fn data(
    data: &Data<'_>,
    out: &mut BytesMut,
    options: &Options,
) -> Result<(), EncodeError> {
    let w = Writer::new(out, options, false);
    finish(w, |w| {
        w.raw(b"* ");
        w.data(data)?;
        w.crlf();
        Ok(())
    })
}

/// Writes the opening of a FETCH response that is sent in parts (a server
/// streaming a body): `* seq FETCH (` and `items`, space-separated.
pub(crate) fn fetch_open(
    seq: u32,
    items: &[FetchItem<'_>],
    out: &mut BytesMut,
    options: &Options,
) -> Result<(), EncodeError> {
    if seq == 0 {
        return Err(EncodeError::Invalid("message number 0"));
    }
    let mut w = Writer::new(out, options, false);
    w.raw(b"* ");
    w.num(u64::from(seq));
    w.raw(b" FETCH (");
    finish(w, |w| w.fetch_items(items, true))
}

/// Writes more items of an open FETCH response, each after a space unless
/// `first` (nothing written after the parenthesis yet).
pub(crate) fn fetch_items(
    items: &[FetchItem<'_>],
    first: bool,
    out: &mut BytesMut,
    options: &Options,
) -> Result<(), EncodeError> {
    let w = Writer::new(out, options, false);
    finish(w, |w| w.fetch_items(items, first))
}

/// Writes the head of a body item whose octets follow in pieces:
/// `BODY[section]<origin> {size}` CRLF, or `BINARY[part] ~{size}` CRLF
/// (RFC 3516 §4.3: a `literal8` may hold any octet).
pub(crate) fn fetch_body_head(
    item: &BodyItem<'_>,
    size: u64,
    first: bool,
    out: &mut BytesMut,
    options: &Options,
) -> Result<(), EncodeError> {
    let w = Writer::new(out, options, false);
    finish(w, |w| {
        if !first {
            w.sp();
        }
        let binary = match item {
            BodyItem::Section { section, origin } => {
                w.raw(b"BODY");
                w.section(section)?;
                if let Some(o) = origin {
                    w.buf.push(b'<');
                    w.num(*o);
                    w.buf.push(b'>');
                }
                false
            }
            BodyItem::Binary { part } => {
                w.raw(b"BINARY");
                w.section_binary(part)?;
                true
            }
            BodyItem::Rfc822 => {
                w.raw(b"RFC822");
                false
            }
            BodyItem::Rfc822Header => {
                w.raw(b"RFC822.HEADER");
                false
            }
            BodyItem::Rfc822Text => {
                w.raw(b"RFC822.TEXT");
                false
            }
        };
        w.raw(if binary { b" ~{" } else { b" {" });
        w.num(size);
        w.raw(b"}\r\n");
        Ok(())
    })
}

/// Runs `f` on the writer and flushes it, or leaves nothing behind.
fn finish(
    mut w: Writer<'_>,
    f: impl FnOnce(&mut Writer<'_>) -> EResult,
) -> Result<(), EncodeError> {
    let start = w.out.len();
    match f(&mut w) {
        Ok(()) => {
            w.flush();
            Ok(())
        }
        Err(e) => {
            w.out.truncate(start);
            Err(e)
        }
    }
}

pub(crate) type EResult = Result<(), EncodeError>;

/// Writes terminals into a scratch vector (small writes inline there), which
/// goes into the caller's buffer in one copy; a large literal's octets go
/// straight into the caller's buffer, so they are copied once.
pub(crate) struct Writer<'o> {
    pub(crate) out: &'o mut BytesMut,
    pub(crate) buf: Vec<u8>,
    pub(crate) opts: Options,
    waits: Vec<usize>,
    /// Writing a command (literals may make the client wait).
    commands: bool,
    /// A `literal8` may be written here (APPEND data, a BINARY item).
    literal8: bool,
    depth: usize,
    /// The first value found that the grammar cannot carry (a number out
    /// of range, a literal8 where only a literal may go), for terminals that
    /// do not return a result; the whole command or response then fails.
    pub(crate) error: Option<EncodeError>,
}

impl<'o> Writer<'o> {
    fn new(out: &'o mut BytesMut, opts: &Options, commands: bool) -> Self {
        Self {
            out,
            buf: Vec::with_capacity(1024),
            opts: *opts,
            waits: Vec::new(),
            commands,
            literal8: false,
            depth: 0,
            error: None,
        }
    }

    /// Records that the value cannot be encoded; the first such error wins.
    pub(crate) fn fail(&mut self, e: EncodeError) {
        self.error.get_or_insert(e);
    }

    /// Runs `f` with `literal8` allowed (RFC 3516: APPEND data, BINARY items).
    pub(crate) fn with_literal8<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.literal8;
        self.literal8 = true;
        let r = f(self);
        self.literal8 = before;
        r
    }

    /// Moves the scratch vector into the output.
    pub(crate) fn flush(&mut self) {
        self.out.extend_from_slice(&self.buf);
        self.buf.clear();
    }

    /// The offset in the output of what is written next.
    fn position(&self) -> usize {
        self.out.len() + self.buf.len()
    }

    pub(crate) fn rev2(&self) -> bool {
        self.opts.mode.rev2()
    }

    /// Goes one level deeper, or fails past the depth limit.
    pub(crate) fn enter(&mut self) -> EResult {
        self.depth += 1;
        if self.depth > self.opts.depth_limit() {
            return Err(EncodeError::Invalid(
                "structure nested deeper than Options::max_depth",
            ));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    #[inline]
    pub(crate) fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    #[inline]
    pub(crate) fn sp(&mut self) {
        self.buf.push(b' ');
    }

    #[inline]
    pub(crate) fn crlf(&mut self) {
        self.buf.extend_from_slice(b"\r\n");
    }

    /// `number64`, at most 2^63 - 1 (RFC 9051 §9); every number of the
    /// grammar fits it, so a larger one is refused.
    #[inline]
    pub(crate) fn num(&mut self, n: u64) {
        if n > i64::MAX as u64 {
            self.fail(EncodeError::Invalid("number above 2^63 - 1"));
        }
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&buf[i..]);
    }

    /// `nz-number` / `nz-number64`: zero is refused.
    pub(crate) fn nz(&mut self, n: u64) {
        if n == 0 {
            self.fail(EncodeError::Invalid("zero where nz-number is required"));
        }
        self.num(n);
    }

    pub(crate) fn tag(&mut self, t: &Tag<'_>) {
        self.raw(t.as_str().as_bytes());
    }

    pub(crate) fn text(&mut self, t: &Text<'_>) -> EResult {
        if !t.as_str().is_ascii() && !self.opts.mode.utf8() {
            return Err(EncodeError::Invalid("8-bit text in IMAP4rev1"));
        }
        self.raw(t.as_str().as_bytes());
        Ok(())
    }

    pub(crate) fn literal(&mut self, l: &Literal) {
        let data = l.data();
        if l.is_binary() {
            // literal8 exists only in APPEND and BINARY (RFC 3516 §4); a
            // NUL cannot be sent anywhere else.
            if !self.literal8 {
                self.fail(EncodeError::Invalid(
                    "literal8 (NUL octets) outside APPEND data and BINARY items",
                ));
            }
            self.buf.push(b'~');
        }
        self.buf.push(b'{');
        self.num(data.len() as u64);
        let non_sync = self.commands
            && match self.opts.literals {
                LiteralPolicy::AsGiven => l.is_non_sync(),
                LiteralPolicy::LiteralPlus => true,
                // RFC 7888 §4: LITERAL- allows {n+} up to 4096 octets.
                LiteralPolicy::LiteralMinus => data.len() <= 4096,
            };
        if non_sync {
            self.buf.extend_from_slice(b"+}\r\n");
        } else {
            self.buf.extend_from_slice(b"}\r\n");
            if self.commands {
                let at = self.position();
                self.waits.push(at);
            }
        }
        if data.len() > 512 {
            self.flush();
            self.out.extend_from_slice(data);
        } else {
            self.buf.extend_from_slice(data);
        }
    }

    /// A quoted string, or a literal where the mode cannot quote it.
    pub(crate) fn quoted(&mut self, q: &Quoted<'_>) {
        let s = q.as_bytes();
        // The common case: 7-bit text with nothing to escape.
        if s.iter().all(|&b| types::is_quoted_plain(b)) {
            self.buf.reserve(s.len() + 2);
            self.buf.push(b'"');
            self.buf.extend_from_slice(s);
            self.buf.push(b'"');
            return;
        }
        if !types::quotable(s, self.opts.mode) {
            let data = bytes::Bytes::copy_from_slice(s);
            let lit = Literal::new(data.clone()).unwrap_or_else(|_| Literal::binary(data));
            return self.literal(&lit);
        }
        self.buf.reserve(s.len() + 2);
        self.buf.push(b'"');
        let mut rest = s;
        while let Some(i) = memchr::memchr2(b'"', b'\\', rest) {
            self.buf.extend_from_slice(&rest[..i]);
            self.buf.push(b'\\');
            self.buf.push(rest[i]);
            rest = &rest[i + 1..];
        }
        self.buf.extend_from_slice(rest);
        self.buf.push(b'"');
    }

    pub(crate) fn string(&mut self, s: &IString<'_>) {
        match s {
            IString::Quoted(q) => self.quoted(q),
            IString::Literal(l) => self.literal(l),
        }
    }

    pub(crate) fn nstring(&mut self, s: &Option<IString<'_>>) {
        match s {
            None => self.raw(b"NIL"),
            Some(s) => self.string(s),
        }
    }

    pub(crate) fn astring(&mut self, s: &AString<'_>) {
        match s {
            AString::Atom(a) => self.raw(a.as_str().as_bytes()),
            AString::String(s) => self.string(s),
        }
    }

    pub(crate) fn mailbox(&mut self, m: &Mailbox<'_>) -> EResult {
        if !self.opts.mode.utf8() && !m.as_bytes().is_ascii() {
            return Err(EncodeError::Utf8Name);
        }
        self.astring(m.as_astring());
        Ok(())
    }

    pub(crate) fn flag(&mut self, f: &Flag<'_>) -> EResult {
        let s: &[u8] = match f {
            Flag::Seen => b"\\Seen",
            Flag::Answered => b"\\Answered",
            Flag::Flagged => b"\\Flagged",
            Flag::Deleted => b"\\Deleted",
            Flag::Draft => b"\\Draft",
            // `obsolete-flag-recent` is in RFC 9051's grammar too.
            Flag::Recent => b"\\Recent",
            Flag::Wildcard => b"\\*",
            Flag::Keyword(a) => a.as_str().as_bytes(),
            Flag::Extension(a) => {
                self.buf.push(b'\\');
                a.as_str().as_bytes()
            }
        };
        self.raw(s);
        Ok(())
    }

    pub(crate) fn flag_list(&mut self, flags: &[Flag<'_>]) -> EResult {
        self.list(flags, Self::flag)
    }

    /// `"(" item *(SP item) ")"`.
    pub(crate) fn list<T>(
        &mut self,
        items: &[T],
        mut f: impl FnMut(&mut Self, &T) -> EResult,
    ) -> EResult {
        self.buf.push(b'(');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.sp();
            }
            f(self, item)?;
        }
        self.buf.push(b')');
        Ok(())
    }

    /// A list that must not be empty.
    pub(crate) fn list1<T>(
        &mut self,
        what: &'static str,
        items: &[T],
        f: impl FnMut(&mut Self, &T) -> EResult,
    ) -> EResult {
        if items.is_empty() {
            return Err(EncodeError::Empty(what));
        }
        self.list(items, f)
    }

    pub(crate) fn seq_number(&mut self, n: SeqNumber) {
        match n {
            SeqNumber::Value(v) => self.nz(u64::from(v)),
            SeqNumber::Last => self.buf.push(b'*'),
        }
    }

    pub(crate) fn sequence_set(&mut self, s: &SequenceSet) -> EResult {
        match s {
            SequenceSet::Saved => self.buf.push(b'$'),
            SequenceSet::Set(v) => {
                if v.is_empty() {
                    return Err(EncodeError::Empty("sequence-set"));
                }
                for (i, s) in v.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(b',');
                    }
                    match *s {
                        Sequence::Single(a) => self.seq_number(a),
                        Sequence::Range(a, b) => {
                            self.seq_number(a);
                            self.buf.push(b':');
                            self.seq_number(b);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn two(&mut self, n: u8) {
        self.buf.extend_from_slice(&[b'0' + n / 10, b'0' + n % 10]);
    }

    /// `date-year = 4DIGIT`.
    fn year(&mut self, y: u16) {
        let y = y.min(9999);
        self.buf.extend_from_slice(&[
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
        ]);
    }

    pub(crate) fn date_time(&mut self, d: &DateTime) {
        let date = d.date();
        self.buf.push(b'"');
        if date.day() < 10 {
            self.buf.extend_from_slice(&[b' ', b'0' + date.day()]);
        } else {
            self.two(date.day());
        }
        self.buf.push(b'-');
        self.buf
            .extend_from_slice(types::MONTHS[usize::from(date.month() - 1)]);
        self.buf.push(b'-');
        self.year(date.year());
        self.sp();
        let (h, m, s) = d.time();
        self.two(h);
        self.buf.push(b':');
        self.two(m);
        self.buf.push(b':');
        self.two(s);
        self.sp();
        let z = d.zone_minutes();
        self.buf.push(if z < 0 { b'-' } else { b'+' });
        let z = z.unsigned_abs();
        self.two((z / 60) as u8);
        self.two((z % 60) as u8);
        self.buf.push(b'"');
    }

    pub(crate) fn date(&mut self, d: &Date) {
        self.num(u64::from(d.day()));
        self.buf.push(b'-');
        self.buf
            .extend_from_slice(types::MONTHS[usize::from(d.month() - 1)]);
        self.buf.push(b'-');
        self.year(d.year());
    }

    /// `charset = atom / quoted` (RFC 9051 §9): an atom as written, else
    /// quoted; a charset no quoted string can hold is refused.
    pub(crate) fn charset(&mut self, c: &AString<'_>) {
        let b = c.as_bytes();
        if matches!(c, AString::Atom(_)) && b.iter().all(|&b| types::is_atom_char(b)) {
            return self.raw(b);
        }
        if !b.is_ascii() || !types::quotable(b, self.opts.mode) {
            return self.fail(EncodeError::Invalid(
                "charset that is neither atom nor quoted",
            ));
        }
        self.buf.push(b'"');
        for &o in b {
            if o == b'"' || o == b'\\' {
                self.buf.push(b'\\');
            }
            self.buf.push(o);
        }
        self.buf.push(b'"');
    }

    /// FETCH items, space-separated, with a leading space unless `first`.
    fn fetch_items(&mut self, items: &[FetchItem<'_>], first: bool) -> EResult {
        for (i, item) in items.iter().enumerate() {
            if i > 0 || !first {
                self.sp();
            }
            self.fetch_item(item)?;
        }
        Ok(())
    }

    /// A hierarchy delimiter: `"c"` or `NIL`.
    pub(crate) fn delimiter(&mut self, d: Option<char>) -> EResult {
        match d {
            None => self.raw(b"NIL"),
            Some(c) => {
                let mut buf = [0u8; 4];
                let s = c.encode_utf8(&mut buf).as_bytes();
                if s.len() > 1 && !self.opts.mode.utf8() || c == '\r' || c == '\n' || c == '\0' {
                    return Err(EncodeError::Invalid("hierarchy delimiter"));
                }
                self.buf.push(b'"');
                if c == '"' || c == '\\' {
                    self.buf.push(b'\\');
                }
                self.buf.extend_from_slice(s);
                self.buf.push(b'"');
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mode;

    fn with(
        opts: Options,
        commands: bool,
        f: impl FnOnce(&mut Writer<'_>),
    ) -> (Vec<u8>, Vec<usize>) {
        let mut out = BytesMut::new();
        let mut w = Writer::new(&mut out, &opts, commands);
        f(&mut w);
        w.flush();
        let waits = w.waits;
        (out.to_vec(), waits)
    }

    #[test]
    fn quoted_falls_back_to_a_literal_the_mode_needs() {
        let q = Quoted::new("caf\u{e9}".as_bytes()).unwrap();
        let (b, waits) = with(Options::default(), true, |w| w.quoted(&q));
        assert_eq!(b, b"{5}\r\ncaf\xc3\xa9");
        assert_eq!(waits, vec![5]);
        let (b, _) = with(Options::with_mode(Mode::Utf8Accept), true, |w| w.quoted(&q));
        assert_eq!(b, "\"caf\u{e9}\"".as_bytes());
        let (b, _) = with(Options::default(), false, |w| {
            w.quoted(&Quoted::new(&b"a\"b\\"[..]).unwrap())
        });
        assert_eq!(b, b"\"a\\\"b\\\\\"");
    }

    #[test]
    fn literal_policies() {
        let big = Literal::new(vec![b'x'; 4097]).unwrap();
        let small = Literal::new(&b"abc"[..]).unwrap();
        let mut o = Options::default();
        let (b, w) = with(o, true, |w| w.literal(&small));
        assert_eq!((&b[..5], w), (&b"{3}\r\n"[..], vec![5]));
        o.literals = LiteralPolicy::LiteralPlus;
        let (b, w) = with(o, true, |w| w.literal(&big));
        assert_eq!((&b[..9], w), (&b"{4097+}\r\n"[..], vec![]));
        o.literals = LiteralPolicy::LiteralMinus;
        let (b, w) = with(o, true, |w| w.literal(&big));
        assert_eq!((&b[..8], w), (&b"{4097}\r\n"[..], vec![8]));
        let (b, w) = with(o, true, |w| w.literal(&small));
        assert_eq!((&b[..6], w), (&b"{3+}\r\n"[..], vec![]));
        // Servers never wait, and never write {n+}.
        let (b, w) = with(o, false, |w| w.literal(&small.clone().non_sync()));
        assert_eq!((&b[..], w), (&b"{3}\r\nabc"[..], vec![]));
    }

    #[test]
    fn numbers_and_dates() {
        let (b, _) = with(Options::default(), false, |w| {
            w.num(0);
            w.sp();
            w.num(i64::MAX as u64);
            w.sp();
            let d = DateTime::new(Date::new(1996, 7, 1).unwrap(), 2, 4, 5, -420).unwrap();
            w.date_time(&d);
            w.sp();
            w.date(&Date::new(1994, 2, 1).unwrap());
            w.sp();
            w.date(&Date::new(998, 2, 1).unwrap());
        });
        assert_eq!(
            b,
            b"0 9223372036854775807 \" 1-Jul-1996 02:04:05 -0700\" 1-Feb-1994 1-Feb-0998"
        );
    }
}
