//! The grammar, read: commands and replies, parsed from borrowed bytes. Every
//! error carries the byte offset where the line stops making sense.
//!
//! Functions named after a line (`command_line`, `reply_line`, ...) take one
//! line without its line end, as [`framing::LineReader`] hands them out; the
//! others take a buffer, find the line end themselves and say how many octets
//! they used, or [`DecodeError::Incomplete`].
//!
//! Verbs and parameter keywords are case-insensitive (RFC 5321 §2.4: Python's
//! smtplib sends `mail FROM:`). Where Postfix accepts what RFC 5321 does not
//! and real clients send it, so does this crate: a space after `FROM:` or
//! `TO:` (§3.3 forbids it), trailing spaces, an EHLO argument of several
//! words (Postfix joins them with single spaces), and, unless parsed with
//! [`command_line_strict`], the envelope forms Postfix's defaults take
//! (`strict_rfc821_envelopes = no`): a path without angle brackets,
//! `MAIL FROM:<postmaster>`, a source route before a bare postmaster
//! (`<@a:postmaster>`), an underscore in a mailbox's domain. Numbers that
//! do not fit are errors, never wrapped. Limits on line length belong to
//! the framing layer, not here.
//!
//! ```
//! use smtp_proto::{decode, Command, ForwardPath};
//!
//! let (cmd, used) = decode::command(b"rcpt to:<postmaster>\r\nDATA\r\n")?;
//! assert!(matches!(cmd, Command::Rcpt { to: ForwardPath::Postmaster, .. }));
//! assert_eq!(used, 22);
//! # Ok::<(), smtp_proto::DecodeError>(())
//! ```
//!
//! [`framing::LineReader`]: crate::framing::LineReader

mod params;
mod path;
mod reply;

pub use reply::{ReplyAssembler, ReplyLine, reply, reply_line};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::types::syntax::{
    NumberError, eq_keyword, find_byte, parse_u64, starts_with_ignore_case,
};
use crate::types::{check_host_words, syntax};
use crate::{Command, DecodeError, ErrorKind, Host, Mechanism, SaslResponse, Secret, Text};

/// The first command in `input`, and how many octets it took with its line
/// end (CRLF, or a bare LF).
#[inline]
pub fn command(input: &[u8]) -> Result<(Command<'_>, usize), DecodeError> {
    let lf = find_lf(input).ok_or(DecodeError::Incomplete)?;
    let line = &input[..lf];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok((command_line(line)?, lf + 1))
}

/// The first LF (most lines are short: see [`find_byte`]).
#[inline]
fn find_lf(input: &[u8]) -> Option<usize> {
    find_byte(input, b'\n')
}

/// The verbs, as four lower-case octets in a `u32`.
const fn verb(v: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*v)
}

const HELO: u32 = verb(b"helo");
const EHLO: u32 = verb(b"ehlo");
const LHLO: u32 = verb(b"lhlo");
const MAIL: u32 = verb(b"mail");
const RCPT: u32 = verb(b"rcpt");
const DATA: u32 = verb(b"data");
const BDAT: u32 = verb(b"bdat");
const RSET: u32 = verb(b"rset");
const VRFY: u32 = verb(b"vrfy");
const EXPN: u32 = verb(b"expn");
const HELP: u32 = verb(b"help");
const NOOP: u32 = verb(b"noop");
const QUIT: u32 = verb(b"quit");
const AUTH: u32 = verb(b"auth");

/// One command line, without its line end, with the envelope forms
/// Postfix takes by default (see the [module docs](self)).
#[inline]
pub fn command_line(line: &[u8]) -> Result<Command<'_>, DecodeError> {
    command_line_with(line, true)
}

/// One command line, without its line end, MAIL and RCPT paths strictly as
/// RFC 5321 §4.1.2 has them: in angle brackets, a sender with a domain,
/// `<Postmaster>` alone without a source route, no `_` in a domain.
pub fn command_line_strict(line: &[u8]) -> Result<Command<'_>, DecodeError> {
    command_line_with(line, false)
}

#[inline]
fn command_line_with(line: &[u8], lenient: bool) -> Result<Command<'_>, DecodeError> {
    // Postfix ignores trailing spaces; so do clients' tests of it.
    let mut end = line.len();
    while end > 0 && line[end - 1] == b' ' {
        end -= 1;
    }
    let line = &line[..end];
    if line.is_empty() {
        return Err(DecodeError::at(0, ErrorKind::EmptyLine));
    }
    // Every verb has four letters but STARTTLS.
    let (word, args, at) = match line.get(4) {
        None if line.len() == 4 => (line, &line[4..], 4),
        Some(b' ') => (&line[..4], &line[5..], 5),
        _ => {
            let (word, rest) = match memchr::memchr(b' ', line) {
                Some(sp) => (&line[..sp], &line[sp..]),
                None => (line, &line[line.len()..]),
            };
            if eq_keyword(word, b"STARTTLS") {
                no_argument(rest, word.len() + 1)?;
                return Ok(Command::StartTls);
            }
            return Err(DecodeError::at(0, ErrorKind::UnknownCommand));
        }
    };
    // ASCII letters fold to lower case with bit 5; other octets that land on
    // a verb's letters this way do not exist.
    let folded = u32::from_le_bytes([word[0], word[1], word[2], word[3]]) | 0x2020_2020;
    let cmd = match folded {
        MAIL => path::mail(args, at, lenient)?,
        RCPT => path::rcpt(args, at, lenient)?,
        EHLO => Command::Ehlo {
            host: host(args, at)?,
        },
        HELO => Command::Helo {
            host: host(args, at)?,
        },
        LHLO => Command::Lhlo {
            host: host(args, at)?,
        },
        DATA => {
            no_argument(args, at)?;
            Command::Data
        }
        BDAT => bdat(args, at)?,
        RSET => {
            no_argument(args, at)?;
            Command::Rset
        }
        QUIT => {
            no_argument(args, at)?;
            Command::Quit
        }
        NOOP => Command::Noop {
            argument: optional_text(args, at)?,
        },
        HELP => Command::Help {
            topic: optional_text(args, at)?,
        },
        VRFY => Command::Vrfy {
            argument: optional_text(args, at)?
                .ok_or(DecodeError::at(at, ErrorKind::MissingArgument))?,
        },
        EXPN => Command::Expn {
            argument: optional_text(args, at)?
                .ok_or(DecodeError::at(at, ErrorKind::MissingArgument))?,
        },
        AUTH => auth(args, at)?,
        _ => return Err(DecodeError::at(0, ErrorKind::UnknownCommand)),
    };
    Ok(cmd)
}

/// The verb of a command line, upper-cased, if it is one this crate knows:
/// for choosing the reply to a line that does not parse.
pub fn verb_of(line: &[u8]) -> Option<&'static str> {
    const VERBS: [&str; 15] = [
        "HELO", "EHLO", "LHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "VRFY", "EXPN", "HELP",
        "NOOP", "QUIT", "AUTH", "STARTTLS",
    ];
    let word = line.split(|&b| b == b' ').next()?;
    VERBS
        .into_iter()
        .find(|v| v.as_bytes().eq_ignore_ascii_case(word))
}

/// A client's line in an AUTH exchange (RFC 4954 §4): base64, empty, or `*`.
pub fn sasl_response(line: &[u8]) -> Result<SaslResponse, DecodeError> {
    if line == b"*" {
        return Ok(SaslResponse::Cancel);
    }
    Ok(SaslResponse::Data(Secret::new(base64(line, 0)?)))
}

/// A server challenge's text after `334 ` (RFC 4954 §4), decoded.
pub fn challenge(text: &[u8]) -> Result<Secret<Vec<u8>>, DecodeError> {
    Ok(Secret::new(base64(text, 0)?))
}

fn no_argument(args: &[u8], at: usize) -> Result<(), DecodeError> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::at(at, ErrorKind::UnexpectedArgument))
    }
}

/// The arguments as UTF-8.
pub(crate) fn utf8(args: &[u8], at: usize) -> Result<&str, DecodeError> {
    std::str::from_utf8(args)
        .map_err(|e| DecodeError::at(at + e.valid_up_to(), ErrorKind::InvalidUtf8))
}

/// The EHLO, HELO or LHLO argument: printable words, joined by single
/// spaces as Postfix's `collapse_args` does (`EHLO a b` is the host
/// `a b`).
fn host(args: &[u8], at: usize) -> Result<Host<'_>, DecodeError> {
    if args.is_empty() {
        return Err(DecodeError::at(at, ErrorKind::MissingArgument));
    }
    let runs =
        check_host_words(args).map_err(|pos| DecodeError::at(at + pos, ErrorKind::InvalidHost))?;
    Ok(Host::from_words(utf8(args, at)?, runs))
}

/// Free text (VRFY, EXPN, HELP, NOOP): UTF-8, no control octets but HT.
fn optional_text(args: &[u8], at: usize) -> Result<Option<Text<'_>>, DecodeError> {
    if args.is_empty() {
        return Ok(None);
    }
    if let Some(pos) = args
        .iter()
        .position(|&b| !syntax::is_or_utf8(b, syntax::TEXT))
    {
        return Err(DecodeError::at(at + pos, ErrorKind::InvalidCharacter));
    }
    Ok(Some(Text::from_checked(utf8(args, at)?)))
}

/// `BDAT chunk-size [SP "LAST"]` (RFC 3030 §2).
fn bdat(args: &[u8], at: usize) -> Result<Command<'static>, DecodeError> {
    let (digits, last) = match memchr::memchr(b' ', args) {
        Some(sp) => {
            let marker = &args[sp + 1..];
            if !eq_keyword(marker, b"LAST") {
                return Err(DecodeError::at(at + sp + 1, ErrorKind::UnexpectedArgument));
            }
            (&args[..sp], true)
        }
        None => (args, false),
    };
    if digits.is_empty() {
        return Err(DecodeError::at(at, ErrorKind::MissingArgument));
    }
    let size = number(digits, at)?;
    Ok(Command::Bdat { size, last })
}

/// A decimal number making up all of `digits`.
pub(crate) fn number(digits: &[u8], at: usize) -> Result<u64, DecodeError> {
    parse_u64(digits).map_err(|e| match e {
        NumberError::NotDigits => {
            let pos = digits.iter().position(|b| !b.is_ascii_digit()).unwrap_or(0);
            DecodeError::at(at + pos, ErrorKind::InvalidNumber)
        }
        NumberError::Overflow => DecodeError::at(at, ErrorKind::NumberTooLarge),
    })
}

/// `AUTH mechanism [SP initial-response]` (RFC 4954 §4).
fn auth(args: &[u8], at: usize) -> Result<Command<'static>, DecodeError> {
    if args.is_empty() {
        return Err(DecodeError::at(at, ErrorKind::MissingArgument));
    }
    let (mech, rest) = match memchr::memchr(b' ', args) {
        Some(sp) => (&args[..sp], Some((&args[sp + 1..], at + sp + 1))),
        None => (args, None),
    };
    let mechanism = Mechanism::try_from(mech).map_err(|_| {
        let bad = mech
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'));
        DecodeError::at(at + bad.unwrap_or(0), ErrorKind::InvalidMechanism)
    })?;
    let initial_response = match rest {
        None => None,
        Some((b"=", _)) => Some(Secret::new(Vec::new())),
        Some((ir, rest_at)) => Some(Secret::new(base64(ir, rest_at)?)),
    };
    Ok(Command::Auth {
        mechanism,
        initial_response,
    })
}

/// Strict base64 (RFC 4954 §4: no octet outside the alphabet, padding only
/// at the end).
fn base64(text: &[u8], at: usize) -> Result<Vec<u8>, DecodeError> {
    STANDARD.decode(text).map_err(|e| {
        let offset = match e {
            base64::DecodeError::InvalidByte(pos, _)
            | base64::DecodeError::InvalidLastSymbol(pos, _) => pos,
            base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
                text.len()
            }
        };
        DecodeError::at(at + offset, ErrorKind::InvalidBase64)
    })
}

/// Whether `line` is an AUTH command, for the longer line limit RFC 4954 §4
/// gives it: the buffer's first octets, before the line is whole.
pub(crate) fn is_auth_line(line: &[u8]) -> bool {
    starts_with_ignore_case(line, b"AUTH ")
}

#[cfg(test)]
mod tests;
