//! Replies: lines, and lines assembled into a [`Reply`] (RFC 5321 §4.2,
//! RFC 2034 §4).

use crate::types::syntax;
use crate::{DecodeError, EnhancedCode, ErrorKind, Reply, ReplyCode};

/// One line of a reply, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplyLine<'a> {
    /// The reply code.
    pub code: ReplyCode,
    /// Whether this is the last line (`code SP text`, or the code alone)
    /// rather than a continuation (`code "-" text`).
    pub last: bool,
    /// The text after the separator, possibly empty.
    pub text: &'a str,
}

/// One reply line, without its line end:
///
/// ```text
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF
/// ```
///
/// A code alone (with or without a space) is a last line, as RFC 5321 §4.2
/// tells clients to accept. Text may hold UTF-8 (RFC 6531 §3.7.4.2), and HT,
/// but no other control octet.
pub fn reply_line(line: &[u8]) -> Result<ReplyLine<'_>, DecodeError> {
    let code = match line {
        [a @ b'2'..=b'5', b @ b'0'..=b'5', c @ b'0'..=b'9', ..] => {
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
        }
        _ => {
            let pos = line
                .iter()
                .take(3)
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(0);
            return Err(DecodeError::at(pos, ErrorKind::InvalidReplyCode));
        }
    };
    let code = ReplyCode::new(code).map_err(|_| DecodeError::at(0, ErrorKind::InvalidReplyCode))?;
    let (last, text) = match line.get(3) {
        None => (true, &line[3..]),
        Some(b' ') => (true, &line[4..]),
        Some(b'-') => (false, &line[4..]),
        Some(_) => return Err(DecodeError::at(3, ErrorKind::InvalidReplySeparator)),
    };
    if let Some(pos) = text
        .iter()
        .position(|&b| !syntax::is_or_utf8(b, syntax::TEXT))
    {
        return Err(DecodeError::at(4 + pos, ErrorKind::InvalidCharacter));
    }
    let text = std::str::from_utf8(text)
        .map_err(|e| DecodeError::at(4 + e.valid_up_to(), ErrorKind::InvalidUtf8))?;
    Ok(ReplyLine { code, last, text })
}

/// The first whole reply in `input`, and how many octets it took. Lines end
/// in CRLF or a bare LF. An enhanced status code at the start of the first
/// line (whose class matches the reply code's first digit) is taken out of
/// the text of every line when every line starts with it, as RFC 2034 §4
/// has it; otherwise the reply has none and every line keeps its text (an
/// EHLO reply whose host name reads as a code stays as it came).
pub fn reply(input: &[u8]) -> Result<(Reply, usize), DecodeError> {
    let mut assembler = ReplyAssembler::new(usize::MAX, usize::MAX);
    let mut used = 0;
    loop {
        let lf = memchr::memchr(b'\n', &input[used..]).ok_or(DecodeError::Incomplete)?;
        let line = &input[used..used + lf];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let done = assembler.push(line).map_err(|e| e.shift(used))?;
        used += lf + 1;
        if let Some(reply) = done {
            return Ok((reply, used));
        }
    }
}

/// Gathers the lines of a multi-line reply into a [`Reply`], within limits
/// on the number of lines and octets, so a server cannot make a client hold
/// an endless reply.
///
/// ```
/// use smtp_proto::decode::ReplyAssembler;
/// use smtp_proto::{EnhancedCode, ReplyCode};
///
/// let mut r = ReplyAssembler::new(100, 64 * 1024);
/// assert_eq!(r.push(b"250-2.1.5 first")?, None);
/// let reply = r.push(b"250 2.1.5 second")?.expect("complete");
/// assert_eq!(reply.code(), ReplyCode::OK);
/// assert_eq!(reply.enhanced(), Some(EnhancedCode::RECIPIENT_OK));
/// assert_eq!(reply.lines().collect::<Vec<_>>(), ["first", "second"]);
/// # Ok::<(), smtp_proto::DecodeError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReplyAssembler {
    max_lines: usize,
    max_octets: usize,
    code: Option<ReplyCode>,
    enhanced: Option<EnhancedCode>,
    /// Every line so far started with `enhanced`.
    repeated: bool,
    /// The lines as they came, codes and all, joined by LF.
    text: String,
    lines: usize,
}

impl ReplyAssembler {
    /// An assembler for replies of at most `max_lines` lines and
    /// `max_octets` octets of text.
    pub fn new(max_lines: usize, max_octets: usize) -> Self {
        Self {
            max_lines,
            max_octets,
            code: None,
            enhanced: None,
            repeated: false,
            text: String::new(),
            lines: 0,
        }
    }

    /// Adds a line (without its line end); returns the reply once its last
    /// line is in, and is then ready for the next reply. After an error,
    /// the partial reply is dropped.
    pub fn push(&mut self, line: &[u8]) -> Result<Option<Reply>, DecodeError> {
        let parsed = match reply_line(line) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.reset();
                return Err(e);
            }
        };
        let text = parsed.text;
        match self.code {
            None => {
                self.code = Some(parsed.code);
                let class = (parsed.code.get() / 100) as u8;
                self.enhanced = EnhancedCode::parse_prefix(text.as_bytes())
                    .map(|(enhanced, _)| enhanced)
                    .filter(|enhanced| enhanced.class() == class);
                self.repeated = self.enhanced.is_some();
            }
            Some(code) if code != parsed.code => {
                self.reset();
                return Err(DecodeError::at(0, ErrorKind::ReplyCodeMismatch));
            }
            Some(_) => {
                self.repeated &= EnhancedCode::parse_prefix(text.as_bytes())
                    .is_some_and(|(again, _)| Some(again) == self.enhanced);
                self.text.push('\n');
            }
        }
        self.lines += 1;
        if self.lines > self.max_lines || self.text.len() + text.len() > self.max_octets {
            self.reset();
            return Err(DecodeError::at(0, ErrorKind::ReplyTooLong));
        }
        self.text.push_str(text);
        if !parsed.last {
            return Ok(None);
        }
        let code = self.code.take().unwrap_or(parsed.code);
        let text = std::mem::take(&mut self.text);
        let enhanced = self.enhanced.take().filter(|_| self.repeated);
        let text = match enhanced {
            Some(_) => without_codes(&text),
            None => text,
        };
        let reply = Reply::from_checked(code, enhanced, text);
        self.lines = 0;
        Ok(Some(reply))
    }

    /// Whether a reply has begun and not ended.
    pub fn is_partial(&self) -> bool {
        self.code.is_some()
    }

    fn reset(&mut self) {
        self.code = None;
        self.enhanced = None;
        self.repeated = false;
        self.text.clear();
        self.lines = 0;
    }
}

/// `text`'s lines, each without the enhanced status code it starts with and
/// the space after it.
fn without_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let len = EnhancedCode::parse_prefix(line.as_bytes()).map_or(0, |(_, len)| len);
        out.push_str(line[len..].strip_prefix(' ').unwrap_or(&line[len..]));
    }
    out
}
