//! The grammar, read: commands, responses and listing lines, parsed from
//! borrowed bytes. Every error carries the byte offset where the line stops
//! making sense.
//!
//! Functions named after a line (`command_line`, `response_line`, ...) take one
//! line without its line end, as [`framing::LineReader`] hands them out; the
//! others take a buffer, find the line end themselves and say how many octets
//! they used, or [`DecodeError::Incomplete`].
//!
//! Lines may end in CRLF or a bare LF. RFC 1939 §3 ends commands with CRLF,
//! but Dovecot, the reference server, reads a bare LF as a line end too (its
//! `i_stream_next_line` ends a line at LF and drops a CR before it), and so
//! does this crate. Arguments are strict otherwise: one space between them,
//! none before a message number, as Dovecot's `get_msgnum` wants (`LIST  2`
//! is `-ERR Invalid message number:  2`); [`Quirks`] opts in to more. Limits
//! on line length belong to the framing layer, not here.
//!
//! ```
//! use pop3_proto::{decode, Command, MessageNumber};
//!
//! let (cmd, used) = decode::command(b"TOP 1 99999999\r\nQUIT\r\n")?;
//! assert_eq!(cmd, Command::Top { message: MessageNumber::MIN, lines: 99_999_999 });
//! assert_eq!(used, 16);
//! # Ok::<(), pop3_proto::DecodeError>(())
//! ```
//!
//! [`framing::LineReader`]: crate::framing::LineReader

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::types::number::{NumberError, parse_u32, parse_u64};
use crate::{
    ApopDigest, ApopTimestamp, Capability, Command, DecodeError, DropListing, ErrorKind, Greeting,
    Mechanism, MessageNumber, Quirks, Response, ResponseCode, ResponseLine, SaslResponse,
    ScanListing, Secret, Status, UidListing, UniqueId,
};

/// The first command in `input`, and how many octets it took with its line
/// end. Strict: see [`command_with`] for the quirks.
pub fn command(input: &[u8]) -> Result<(Command<'_>, usize), DecodeError> {
    command_with(input, Quirks::default())
}

/// [`command`] with tolerances for clients that bend the grammar.
pub fn command_with(input: &[u8], quirks: Quirks) -> Result<(Command<'_>, usize), DecodeError> {
    let (line, used) = split_line(input)?;
    Ok((command_line_with(line, quirks)?, used))
}

/// One command line, without its line end. Strict: see
/// [`command_line_with`] for the quirks.
pub fn command_line(line: &[u8]) -> Result<Command<'_>, DecodeError> {
    command_line_with(line, Quirks::default())
}

/// [`command_line`] with tolerances for clients that bend the grammar.
pub fn command_line_with(line: &[u8], quirks: Quirks) -> Result<Command<'_>, DecodeError> {
    let spaces = quirks.extra_spaces;
    if line.is_empty() {
        return Err(DecodeError::at(0, ErrorKind::EmptyLine));
    }
    let (keyword, args, args_at) = match memchr::memchr(b' ', line) {
        Some(sp) => (&line[..sp], &line[sp + 1..], sp + 1),
        None => (line, &line[line.len()..], line.len()),
    };
    let mut upper = [0u8; 4];
    if keyword.len() < 3 || keyword.len() > 4 {
        return Err(DecodeError::at(0, ErrorKind::UnknownCommand));
    }
    upper[..keyword.len()].copy_from_slice(keyword);
    upper.make_ascii_uppercase();
    let cmd = match &upper[..keyword.len()] {
        b"USER" => Command::User {
            name: name_arg(args, args_at)?,
        },
        b"PASS" => {
            if args.is_empty() {
                return Err(DecodeError::at(args_at, ErrorKind::MissingArgument));
            }
            if let Some(pos) = memchr::memchr(0, args) {
                return Err(DecodeError::at(args_at + pos, ErrorKind::InvalidCharacter));
            }
            Command::Pass {
                password: Secret::new(Cow::Borrowed(args)),
            }
        }
        b"APOP" => {
            let sp = memchr::memrchr(b' ', args).ok_or(DecodeError::at(
                args_at + args.len(),
                ErrorKind::MissingArgument,
            ))?;
            let name = name_arg(&args[..sp], args_at)?;
            let digest =
                ApopDigest::parse(&args[sp + 1..]).map_err(|e| shift(e, args_at + sp + 1))?;
            Command::Apop { name, digest }
        }
        b"AUTH" => auth(args, args_at)?,
        b"STAT" => Command::Stat,
        b"LIST" => Command::List {
            message: optional_message(args, args_at, spaces)?,
        },
        b"RETR" => Command::Retr {
            message: message(args, args_at, false, spaces)?.0,
        },
        b"DELE" => Command::Dele {
            message: message(args, args_at, false, spaces)?.0,
        },
        b"NOOP" => Command::Noop,
        b"RSET" => Command::Rset,
        b"QUIT" => Command::Quit,
        b"TOP" => {
            let (message, rest) = message(args, args_at, true, spaces)?;
            let rest_at = args_at + (args.len() - rest.len());
            let lines = line_count(rest, rest_at)?;
            Command::Top { message, lines }
        }
        b"UIDL" => Command::Uidl {
            message: optional_message(args, args_at, spaces)?,
        },
        b"CAPA" => Command::Capa,
        b"STLS" => Command::Stls,
        b"UTF8" => Command::Utf8,
        _ => return Err(DecodeError::at(0, ErrorKind::UnknownCommand)),
    };
    Ok(cmd)
}

/// A client's line in a SASL exchange (RFC 5034 §4): base64, empty, or `*`.
pub fn sasl_response(line: &[u8]) -> Result<SaslResponse, DecodeError> {
    if line == b"*" {
        return Ok(SaslResponse::Cancel);
    }
    Ok(SaslResponse::Data(Secret::new(base64(line, 0)?)))
}

/// The first response line in `input` (a status line or a SASL challenge),
/// and how many octets it took with its line end.
pub fn response(input: &[u8]) -> Result<(ResponseLine<'_>, usize), DecodeError> {
    let (line, used) = split_line(input)?;
    Ok((response_line(line)?, used))
}

/// One response line, without its line end: `+OK`, `-ERR` (any case, as
/// clients should read them) or a `+ ` SASL challenge.
pub fn response_line(line: &[u8]) -> Result<ResponseLine<'_>, DecodeError> {
    if line == b"+" {
        return Ok(ResponseLine::Challenge(Secret::new(Vec::new())));
    }
    if let Some(data) = line.strip_prefix(b"+ ") {
        return Ok(ResponseLine::Challenge(Secret::new(base64(data, 2)?)));
    }
    status_line(line).map(ResponseLine::Status)
}

/// One `+OK`/`-ERR` line, without its line end.
pub fn status_line(line: &[u8]) -> Result<Response<'_>, DecodeError> {
    let (status, text) = split_status(line)?;
    let (code, text) = split_code(text);
    Ok(Response {
        status,
        code,
        text: String::from_utf8_lossy(text),
    })
}

/// Whether `line` is a well-formed `+OK` line, its code and text unread.
pub(crate) fn is_ok_line(line: &[u8]) -> bool {
    matches!(split_status(line), Ok((Status::Ok, _)))
}

/// A status line's status and what follows it and its space.
fn split_status(line: &[u8]) -> Result<(Status, &[u8]), DecodeError> {
    let (status, rest) = if starts_with_ignore_case(line, b"+OK") {
        (Status::Ok, &line[3..])
    } else if starts_with_ignore_case(line, b"-ERR") {
        (Status::Err, &line[4..])
    } else {
        return Err(DecodeError::at(0, ErrorKind::InvalidStatus));
    };
    let text = match rest {
        [] => rest,
        [b' ', text @ ..] => text,
        _ => {
            return Err(DecodeError::at(
                line.len() - rest.len(),
                ErrorKind::InvalidStatus,
            ));
        }
    };
    Ok((status, text))
}

/// A greeting line (RFC 1939 §4, §7): a status line, and the APOP timestamp
/// in its text if it is `+OK` and has one.
pub fn greeting(line: &[u8]) -> Result<Greeting<'_>, DecodeError> {
    let response = status_line(line)?;
    let timestamp = match response.status {
        Status::Ok => ApopTimestamp::find_in(response.text.as_bytes()),
        Status::Err => None,
    };
    Ok(Greeting {
        response,
        timestamp,
    })
}

/// STAT's drop listing from the text of its `+OK` (RFC 1939 §5):
/// `nn mm`, anything after `mm` ignored.
pub fn drop_listing(text: &[u8]) -> Result<DropListing, DecodeError> {
    let (count, len) = parse_u32(text).map_err(|_| DecodeError::at(0, ErrorKind::InvalidSize))?;
    let rest = expect_space(text, len, ErrorKind::InvalidSize)?;
    let (size, size_len) =
        parse_u64(&text[rest..]).map_err(|_| DecodeError::at(rest, ErrorKind::InvalidSize))?;
    end_or_space(text, rest + size_len, ErrorKind::InvalidSize)?;
    Ok(DropListing { count, size })
}

/// A scan listing line of LIST (RFC 1939 §5): `msg size`, anything after the
/// size ignored. Also the text of `LIST msg`'s `+OK`.
pub fn scan_listing(line: &[u8]) -> Result<ScanListing, DecodeError> {
    let (message, rest) = listed_message(line)?;
    let (size, len) =
        parse_u64(&line[rest..]).map_err(|_| DecodeError::at(rest, ErrorKind::InvalidSize))?;
    end_or_space(line, rest + len, ErrorKind::InvalidSize)?;
    Ok(ScanListing { message, size })
}

/// A unique-id listing line of UIDL (RFC 1939 §7): `msg unique-id`, nothing
/// after. Also the text of `UIDL msg`'s `+OK`.
pub fn uid_listing(line: &[u8]) -> Result<UidListing, DecodeError> {
    let (message, rest) = listed_message(line)?;
    let uid = &line[rest..];
    UniqueId::validate(uid).map_err(|_| {
        let bad = uid.iter().position(|b| !(0x21..=0x7e).contains(b));
        DecodeError::at(
            rest + bad.unwrap_or(uid.len().min(UniqueId::MAX_LEN)),
            ErrorKind::InvalidUniqueId,
        )
    })?;
    Ok(UidListing {
        message,
        uid: UniqueId::from_checked(uid),
    })
}

/// One line of a CAPA response (RFC 2449 §5).
pub fn capability(line: &[u8]) -> Result<Capability, DecodeError> {
    Capability::decode(line)
}

/// Splits off the first line, CRLF or bare LF, and the octets it used.
fn split_line(input: &[u8]) -> Result<(&[u8], usize), DecodeError> {
    let lf = memchr::memchr(b'\n', input).ok_or(DecodeError::Incomplete)?;
    let line = &input[..lf];
    Ok((line.strip_suffix(b"\r").unwrap_or(line), lf + 1))
}

/// USER's and APOP's name: present, UTF-8, no control characters.
fn name_arg(arg: &[u8], at: usize) -> Result<Cow<'_, str>, DecodeError> {
    if arg.is_empty() {
        return Err(DecodeError::at(at, ErrorKind::MissingArgument));
    }
    if let Some(pos) = arg.iter().position(|b| b.is_ascii_control()) {
        return Err(DecodeError::at(at + pos, ErrorKind::InvalidCharacter));
    }
    match std::str::from_utf8(arg) {
        Ok(name) => Ok(Cow::Borrowed(name)),
        Err(e) => Err(DecodeError::at(
            at + e.valid_up_to(),
            ErrorKind::InvalidUtf8,
        )),
    }
}

fn auth(args: &[u8], at: usize) -> Result<Command<'static>, DecodeError> {
    if args.is_empty() {
        return Ok(Command::AuthList);
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
        Some((b"", rest_at)) => return Err(DecodeError::at(rest_at, ErrorKind::InvalidBase64)),
        Some((ir, rest_at)) => Some(Secret::new(base64(ir, rest_at)?)),
    };
    Ok(Command::Auth {
        mechanism,
        initial_response,
    })
}

/// Strict base64 (RFC 5034 §4: padding only at the end, no other octets).
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

/// LIST's and UIDL's optional argument: none, or a message number after
/// the keyword's one space. With `extra_spaces`, spaces before it are skipped
/// and spaces alone are no argument.
fn optional_message(
    args: &[u8],
    at: usize,
    extra_spaces: bool,
) -> Result<Option<MessageNumber>, DecodeError> {
    let skipped = if extra_spaces {
        leading_spaces(args)
    } else {
        0
    };
    if skipped == args.len() {
        return Ok(None);
    }
    Ok(Some(
        message(&args[skipped..], at + skipped, false, extra_spaces)?.0,
    ))
}

/// A message number at the start of `args`, as Dovecot's `get_msgnum` reads
/// it: a digit first (no space), then the end of the line, or with
/// `then_more` (TOP) one space and the rest, which is returned. With
/// `extra_spaces`, runs of spaces are taken before the number and after it.
fn message(
    args: &[u8],
    at: usize,
    then_more: bool,
    extra_spaces: bool,
) -> Result<(MessageNumber, &[u8]), DecodeError> {
    let skipped = if extra_spaces {
        leading_spaces(args)
    } else {
        0
    };
    let args = &args[skipped..];
    let at = at + skipped;
    let (n, len) = parse_u32(args).map_err(|e| match e {
        NumberError::NotDigits => DecodeError::at(at, ErrorKind::InvalidMessageNumber),
        NumberError::Overflow => DecodeError::at(at, ErrorKind::MessageNumberTooLarge),
    })?;
    let rest = &args[len..];
    let rest = if then_more {
        match rest {
            [b' ', more @ ..] if extra_spaces => &more[leading_spaces(more)..],
            [b' ', more @ ..] => more,
            _ => {
                return Err(DecodeError::at(
                    at + len,
                    ErrorKind::NoiseAfterMessageNumber,
                ));
            }
        }
    } else if rest.is_empty() {
        rest
    } else {
        return Err(DecodeError::at(
            at + len,
            ErrorKind::NoiseAfterMessageNumber,
        ));
    };
    let message = MessageNumber::new(n).ok_or(DecodeError::at(at, ErrorKind::ZeroMessageNumber))?;
    Ok((message, rest))
}

fn leading_spaces(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&b| b == b' ').count()
}

/// TOP's line count: the rest of the line, decimal, 64 bits.
fn line_count(rest: &[u8], at: usize) -> Result<u64, DecodeError> {
    let (lines, len) = parse_u64(rest).map_err(|e| match e {
        NumberError::NotDigits => DecodeError::at(at, ErrorKind::InvalidLineCount),
        NumberError::Overflow => DecodeError::at(at, ErrorKind::LineCountTooLarge),
    })?;
    if len != rest.len() {
        return Err(DecodeError::at(at + len, ErrorKind::NoiseAfterLineCount));
    }
    Ok(lines)
}

/// The message number that opens a listing line, and where the next field
/// starts after one space.
fn listed_message(line: &[u8]) -> Result<(MessageNumber, usize), DecodeError> {
    let (n, len) = parse_u32(line).map_err(|e| match e {
        NumberError::NotDigits => DecodeError::at(0, ErrorKind::InvalidMessageNumber),
        NumberError::Overflow => DecodeError::at(0, ErrorKind::MessageNumberTooLarge),
    })?;
    let message = MessageNumber::new(n).ok_or(DecodeError::at(0, ErrorKind::ZeroMessageNumber))?;
    let rest = expect_space(line, len, ErrorKind::NoiseAfterMessageNumber)?;
    Ok((message, rest))
}

/// Checks for one or more spaces at `at` and returns where they end.
fn expect_space(line: &[u8], at: usize, kind: ErrorKind) -> Result<usize, DecodeError> {
    let spaces = line[at..].iter().take_while(|&&b| b == b' ').count();
    if spaces == 0 {
        return Err(DecodeError::at(at, kind));
    }
    Ok(at + spaces)
}

/// Checks that the line ends at `at` or a space follows (RFC 1939 allows more
/// information after the size in drop and scan listings).
fn end_or_space(line: &[u8], at: usize, kind: ErrorKind) -> Result<(), DecodeError> {
    match line.get(at) {
        None | Some(b' ') => Ok(()),
        Some(_) => Err(DecodeError::at(at, kind)),
    }
}

/// Splits an opening `[code]` off a response's text (RFC 2449 §8). Text that
/// opens with `[` but no valid code is all text.
pub(crate) fn split_code(text: &[u8]) -> (Option<ResponseCode>, &[u8]) {
    let Some(inner) = text.strip_prefix(b"[") else {
        return (None, text);
    };
    let Some(end) = memchr::memchr(b']', inner) else {
        return (None, text);
    };
    if ResponseCode::validate(&inner[..end]).is_err() {
        return (None, text);
    }
    let code = ResponseCode::from_checked(&inner[..end]);
    let rest = &inner[end + 1..];
    (Some(code), rest.strip_prefix(b" ").unwrap_or(rest))
}

fn starts_with_ignore_case(line: &[u8], prefix: &[u8]) -> bool {
    line.len() >= prefix.len() && line[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Moves an error's offset by `by`, for a parser run on a sub-slice.
fn shift(e: DecodeError, by: usize) -> DecodeError {
    match e {
        DecodeError::Invalid { offset, kind } => DecodeError::at(offset + by, kind),
        DecodeError::Incomplete => DecodeError::Incomplete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(n: u32) -> MessageNumber {
        MessageNumber::new(n).unwrap()
    }

    fn cmd(line: &str) -> Result<Command<'_>, DecodeError> {
        command_line(line.as_bytes())
    }

    fn err(offset: usize, kind: ErrorKind) -> Result<Command<'static>, DecodeError> {
        Err(DecodeError::at(offset, kind))
    }

    #[test]
    fn rfc1939_commands() {
        assert_eq!(cmd("STAT"), Ok(Command::Stat));
        assert_eq!(cmd("LIST"), Ok(Command::List { message: None }));
        assert_eq!(
            cmd("LIST 2"),
            Ok(Command::List {
                message: Some(n(2))
            })
        );
        assert_eq!(cmd("RETR 1"), Ok(Command::Retr { message: n(1) }));
        assert_eq!(cmd("DELE 1"), Ok(Command::Dele { message: n(1) }));
        assert_eq!(cmd("NOOP"), Ok(Command::Noop));
        assert_eq!(cmd("RSET"), Ok(Command::Rset));
        assert_eq!(cmd("QUIT"), Ok(Command::Quit));
        assert_eq!(
            cmd("TOP 1 10"),
            Ok(Command::Top {
                message: n(1),
                lines: 10
            })
        );
        assert_eq!(cmd("UIDL"), Ok(Command::Uidl { message: None }));
        assert_eq!(
            cmd("UIDL 2"),
            Ok(Command::Uidl {
                message: Some(n(2))
            })
        );
        assert_eq!(
            cmd("USER mrose"),
            Ok(Command::User {
                name: "mrose".into()
            })
        );
        assert_eq!(
            cmd("PASS secret"),
            Ok(Command::Pass {
                password: Secret::new(Cow::Borrowed(&b"secret"[..]))
            })
        );
        assert_eq!(
            cmd("APOP mrose c4c9334bac560ecc979e58001b3e22fb"),
            Ok(Command::Apop {
                name: "mrose".into(),
                digest: "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap(),
            })
        );
    }

    #[test]
    fn extension_commands() {
        assert_eq!(cmd("CAPA"), Ok(Command::Capa));
        assert_eq!(cmd("STLS"), Ok(Command::Stls));
        assert_eq!(cmd("UTF8"), Ok(Command::Utf8));
        assert_eq!(cmd("AUTH"), Ok(Command::AuthList));
        assert_eq!(
            cmd("AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q="),
            Ok(Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: Some(Secret::new(b"test\0test\0test".to_vec())),
            })
        );
        assert_eq!(
            cmd("AUTH PLAIN ="),
            Ok(Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: Some(Secret::new(Vec::new())),
            })
        );
        assert_eq!(
            cmd("auth digest-md5"),
            Ok(Command::Auth {
                mechanism: Mechanism::new("DIGEST-MD5").unwrap(),
                initial_response: None,
            })
        );
    }

    #[test]
    fn keywords_are_case_insensitive() {
        assert_eq!(cmd("stat"), Ok(Command::Stat));
        assert_eq!(cmd("Retr 3"), Ok(Command::Retr { message: n(3) }));
        assert_eq!(cmd("capa"), Ok(Command::Capa));
    }

    #[test]
    fn real_clients() {
        // fetchmail asks for a whole message with TOP and a huge count.
        assert_eq!(
            cmd("TOP 1 99999999"),
            Ok(Command::Top {
                message: n(1),
                lines: 99_999_999
            })
        );
        // A password with spaces is one argument (RFC 1939 §7, PASS).
        assert_eq!(
            cmd("PASS correct horse  battery "),
            Ok(Command::Pass {
                password: Secret::new(Cow::Borrowed(&b"correct horse  battery "[..]))
            })
        );
        // Dovecot ignores the arguments of argument-less commands.
        assert_eq!(cmd("NOOP please"), Ok(Command::Noop));
        // A leading zero is still a number, as for Dovecot's str_parse_uint.
        assert_eq!(cmd("RETR 007"), Ok(Command::Retr { message: n(7) }));
        // "LIST " with its one space and nothing after: Dovecot's args are
        // empty, so it lists all.
        assert_eq!(cmd("LIST "), Ok(Command::List { message: None }));
    }

    /// RFC 1939 §3: "Keywords and arguments are each separated by a single
    /// SPACE character." Dovecot's get_msgnum wants a digit first, so
    /// `LIST  2` is "-ERR Invalid message number:  2" there too.
    #[test]
    fn one_space_between_arguments() {
        assert_eq!(cmd("LIST  2"), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("LIST  "), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("UIDL  2"), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("RETR  1"), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("DELE  1"), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("TOP  2 0"), err(4, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("TOP 2  0"), err(6, ErrorKind::InvalidLineCount));
    }

    /// The `extra_spaces` quirk takes runs of spaces before and between the
    /// numbers.
    #[test]
    fn extra_spaces_are_a_quirk() {
        let quirks = Quirks { extra_spaces: true };
        let lenient = |line: &'static str| command_line_with(line.as_bytes(), quirks);
        assert_eq!(
            lenient("LIST  2"),
            Ok(Command::List {
                message: Some(n(2))
            })
        );
        assert_eq!(lenient("LIST   "), Ok(Command::List { message: None }));
        assert_eq!(
            lenient("UIDL  2"),
            Ok(Command::Uidl {
                message: Some(n(2))
            })
        );
        assert_eq!(lenient("RETR   1"), Ok(Command::Retr { message: n(1) }));
        assert_eq!(
            lenient("TOP  2   0"),
            Ok(Command::Top {
                message: n(2),
                lines: 0
            })
        );
        // Still no noise after a number, and offsets point past the spaces.
        assert_eq!(
            lenient("RETR  1 "),
            err(7, ErrorKind::NoiseAfterMessageNumber)
        );
        assert_eq!(lenient("LIST  x"), err(6, ErrorKind::InvalidMessageNumber));
        assert_eq!(
            command_with(b"TOP  1  2\r\n", quirks),
            Ok((
                Command::Top {
                    message: n(1),
                    lines: 2
                },
                11
            ))
        );
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(cmd(""), err(0, ErrorKind::EmptyLine));
        assert_eq!(cmd("XTND XMIT"), err(0, ErrorKind::UnknownCommand));
        assert_eq!(cmd("LAST"), err(0, ErrorKind::UnknownCommand));
        assert_eq!(cmd("HELLO"), err(0, ErrorKind::UnknownCommand));
        assert_eq!(cmd("RETR"), err(4, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("RETR x"), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("RETR -1"), err(5, ErrorKind::InvalidMessageNumber));
        assert_eq!(cmd("RETR 0"), err(5, ErrorKind::ZeroMessageNumber));
        assert_eq!(
            cmd("RETR 4294967296"),
            err(5, ErrorKind::MessageNumberTooLarge)
        );
        assert_eq!(cmd("RETR 1x"), err(6, ErrorKind::NoiseAfterMessageNumber));
        assert_eq!(cmd("RETR 1 "), err(6, ErrorKind::NoiseAfterMessageNumber));
        assert_eq!(cmd("LIST 1 2"), err(6, ErrorKind::NoiseAfterMessageNumber));
        assert_eq!(cmd("TOP 1"), err(5, ErrorKind::NoiseAfterMessageNumber));
        assert_eq!(cmd("TOP 1 x"), err(6, ErrorKind::InvalidLineCount));
        assert_eq!(
            cmd("TOP 1 18446744073709551616"),
            err(6, ErrorKind::LineCountTooLarge)
        );
        assert_eq!(cmd("TOP 1 5 6"), err(7, ErrorKind::NoiseAfterLineCount));
        assert_eq!(cmd("USER"), err(4, ErrorKind::MissingArgument));
        assert_eq!(cmd("USER "), err(5, ErrorKind::MissingArgument));
        assert_eq!(cmd("USER a\x01b"), err(6, ErrorKind::InvalidCharacter));
        assert_eq!(cmd("PASS"), err(4, ErrorKind::MissingArgument));
        assert_eq!(cmd("PASS a\0b"), err(6, ErrorKind::InvalidCharacter));
        assert_eq!(cmd("APOP mrose"), err(10, ErrorKind::MissingArgument));
        assert_eq!(cmd("APOP mrose c4c9"), err(15, ErrorKind::InvalidDigest));
        assert_eq!(
            cmd("APOP  c4c9334bac560ecc979e58001b3e22fb"),
            err(5, ErrorKind::MissingArgument)
        );
        assert_eq!(cmd("AUTH PL@IN"), err(7, ErrorKind::InvalidMechanism));
        assert_eq!(cmd("AUTH PLAIN dGVzd"), err(16, ErrorKind::InvalidBase64));
        assert_eq!(cmd("AUTH PLAIN =AAA"), err(11, ErrorKind::InvalidBase64));
        assert_eq!(cmd("AUTH PLAIN AAA=BBB"), err(14, ErrorKind::InvalidBase64));
        assert_eq!(cmd("AUTH PLAIN "), err(11, ErrorKind::InvalidBase64));
        assert_eq!(command_line(b"USER \xff"), err(5, ErrorKind::InvalidUtf8));
    }

    #[test]
    fn buffers_and_line_ends() {
        assert_eq!(command(b"NOOP"), Err(DecodeError::Incomplete));
        assert_eq!(command(b"NOOP\r\n"), Ok((Command::Noop, 6)));
        assert_eq!(command(b"NOOP\nSTAT\r\n"), Ok((Command::Noop, 5)));
        assert_eq!(
            command(b"PASS a b\r\r\n"),
            Ok((
                Command::Pass {
                    password: Secret::new(Cow::Borrowed(&b"a b\r"[..]))
                },
                11
            ))
        );
    }

    #[test]
    fn sasl_lines() {
        assert_eq!(sasl_response(b"*"), Ok(SaslResponse::Cancel));
        assert_eq!(
            sasl_response(b""),
            Ok(SaslResponse::Data(Secret::new(Vec::new())))
        );
        assert_eq!(
            sasl_response(b"dGVzdAB0ZXN0AHRlc3Q="),
            Ok(SaslResponse::Data(Secret::new(
                b"test\0test\0test".to_vec()
            )))
        );
        assert_eq!(
            sasl_response(b"dGVz dA=="),
            Err(DecodeError::at(4, ErrorKind::InvalidBase64))
        );
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            response_line(b"+OK 2 320"),
            Ok(ResponseLine::Status(Response::ok("2 320")))
        );
        assert_eq!(
            response_line(b"+OK"),
            Ok(ResponseLine::Status(Response::ok("")))
        );
        assert_eq!(
            response_line(b"-ERR [IN-USE] Do you have another POP session running?"),
            Ok(ResponseLine::Status(
                Response::err("Do you have another POP session running?")
                    .with_code(ResponseCode::IN_USE)
            ))
        );
        assert_eq!(
            response_line(b"-ERR [SYS/TEMP]"),
            Ok(ResponseLine::Status(
                Response::err("").with_code(ResponseCode::SYS_TEMP)
            ))
        );
        assert_eq!(
            response_line(b"-ERR [not a code] oops"),
            Ok(ResponseLine::Status(Response::err("[not a code] oops")))
        );
        assert_eq!(
            response_line(b"+ok fine"),
            Ok(ResponseLine::Status(Response::ok("fine")))
        );
        assert_eq!(
            response_line(b"+OKAY"),
            Err(DecodeError::at(3, ErrorKind::InvalidStatus))
        );
        assert_eq!(
            response_line(b"* OK"),
            Err(DecodeError::at(0, ErrorKind::InvalidStatus))
        );
        assert_eq!(response(b"+OK"), Err(DecodeError::Incomplete));
        assert_eq!(
            response(b"+OK\r\n1 120\r\n"),
            Ok((ResponseLine::Status(Response::ok("")), 5))
        );
    }

    #[test]
    fn challenges() {
        // RFC 5034 §6: an empty challenge is "+" and a space.
        assert_eq!(
            response_line(b"+ "),
            Ok(ResponseLine::Challenge(Secret::new(Vec::new())))
        );
        assert_eq!(
            response_line(b"+"),
            Ok(ResponseLine::Challenge(Secret::new(Vec::new())))
        );
        assert_eq!(
            response_line(b"+ cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA=="),
            Ok(ResponseLine::Challenge(Secret::new(
                b"rspauth=0b971462cef5e8f930db9a33b02fc9a0".to_vec()
            )))
        );
        assert_eq!(
            response_line(b"+ !!"),
            Err(DecodeError::at(2, ErrorKind::InvalidBase64))
        );
    }

    #[test]
    fn greetings() {
        let g = greeting(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>").unwrap();
        assert_eq!(
            g.timestamp.unwrap().as_str(),
            "<1896.697170952@dbc.mtview.ca.us>"
        );
        assert_eq!(
            g.response.text,
            "POP3 server ready <1896.697170952@dbc.mtview.ca.us>"
        );
        let g = greeting(b"+OK Dovecot ready.").unwrap();
        assert_eq!(g.timestamp, None);
        let g = greeting(b"-ERR [SYS/TEMP] busy <x@y>").unwrap();
        assert_eq!(g.timestamp, None);
    }

    #[test]
    fn listings() {
        assert_eq!(
            drop_listing(b"2 320"),
            Ok(DropListing {
                count: 2,
                size: 320
            })
        );
        assert_eq!(
            drop_listing(b"2 320 more info"),
            Ok(DropListing {
                count: 2,
                size: 320
            })
        );
        assert_eq!(
            drop_listing(b"2"),
            Err(DecodeError::at(1, ErrorKind::InvalidSize))
        );
        assert_eq!(
            drop_listing(b"2 32x"),
            Err(DecodeError::at(4, ErrorKind::InvalidSize))
        );
        assert_eq!(
            scan_listing(b"1 120"),
            Ok(ScanListing {
                message: n(1),
                size: 120
            })
        );
        assert_eq!(
            scan_listing(b"0 120"),
            Err(DecodeError::at(0, ErrorKind::ZeroMessageNumber))
        );
        assert_eq!(
            scan_listing(b"1 120x"),
            Err(DecodeError::at(5, ErrorKind::InvalidSize))
        );
        assert_eq!(
            uid_listing(b"2 QhdPYR:00WBw1Ph7x7"),
            Ok(UidListing {
                message: n(2),
                uid: UniqueId::try_from("QhdPYR:00WBw1Ph7x7").unwrap()
            })
        );
        assert_eq!(
            uid_listing(b"2 a b"),
            Err(DecodeError::at(3, ErrorKind::InvalidUniqueId))
        );
        assert_eq!(
            uid_listing(b"2 "),
            Err(DecodeError::at(2, ErrorKind::InvalidUniqueId))
        );
        assert_eq!(
            uid_listing(b"2"),
            Err(DecodeError::at(1, ErrorKind::NoiseAfterMessageNumber))
        );
    }
}
