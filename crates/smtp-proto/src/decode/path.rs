//! MAIL and RCPT: `FROM:`/`TO:`, the path, the parameters (RFC 5321
//! §4.1.1.2, §4.1.1.3, §4.1.2).

use crate::types::syntax::{eq_keyword, starts_with_ignore_case};
use crate::types::{check_domain_with, scan_mailbox};
use crate::{Command, DecodeError, ErrorKind, ForwardPath, Mailbox, ReversePath};

use super::{params, utf8};

/// `MAIL FROM:<reverse-path> [SP Mail-parameters]`, after `MAIL `.
pub(super) fn mail(args: &[u8], at: usize, lenient: bool) -> Result<Command<'_>, DecodeError> {
    let (path, rest, rest_at) = prefix_and_path(args, at, b"FROM:", lenient)?;
    let from = match path {
        Path::Null => ReversePath::Null,
        Path::Mailbox(m) => ReversePath::Mailbox(m),
        // Postfix takes an unqualified sender; the postmaster is the one a
        // real system sends (RFC 5321 has `<Postmaster>` for RCPT only).
        Path::Postmaster(_) if lenient => ReversePath::Postmaster,
        Path::Postmaster(pos) => return Err(DecodeError::at(pos, ErrorKind::InvalidPath)),
    };
    let params = params::mail(rest, rest_at)?;
    Ok(Command::Mail {
        from,
        params: params.into(),
    })
}

/// `RCPT TO:<forward-path> [SP Rcpt-parameters]`, after `RCPT `.
pub(super) fn rcpt(args: &[u8], at: usize, lenient: bool) -> Result<Command<'_>, DecodeError> {
    let (path, rest, rest_at) = prefix_and_path(args, at, b"TO:", lenient)?;
    let to = match path {
        Path::Null => return Err(DecodeError::at(at + 3, ErrorKind::InvalidPath)),
        Path::Mailbox(m) => ForwardPath::Mailbox(m),
        Path::Postmaster(_) => ForwardPath::Postmaster,
    };
    let params = params::rcpt(rest, rest_at)?;
    Ok(Command::Rcpt {
        to,
        params: params.into(),
    })
}

enum Path<'a> {
    Null,
    /// `<Postmaster>`, and where it started.
    Postmaster(usize),
    Mailbox(Mailbox<'a>),
}

/// Checks `FROM:`/`TO:`, reads the path; returns it and what follows it.
fn prefix_and_path<'a, const N: usize>(
    args: &'a [u8],
    at: usize,
    prefix: &[u8; N],
    lenient: bool,
) -> Result<(Path<'a>, &'a str, usize), DecodeError> {
    if !starts_with_ignore_case(args, prefix) {
        return Err(DecodeError::at(at, ErrorKind::MissingFromTo));
    }
    let mut start = prefix.len();
    // RFC 5321 §3.3 forbids a space after the colon; Postfix (with
    // smtpd_strict_rfc821_envelopes off, its default) takes it, and old
    // clients send it.
    while args.get(start) == Some(&b' ') {
        start += 1;
    }
    let text = utf8(&args[start..], at + start)?;
    let path_at = at + start;
    let (path, used) = path(text, path_at, lenient)?;
    // The parameters, already checked as UTF-8 with the path.
    let rest = &text[used..];
    match rest.as_bytes().first() {
        None => Ok((path, rest, path_at + used)),
        Some(b' ') => Ok((path, &rest[1..], path_at + used + 1)),
        Some(_) => Err(DecodeError::at(path_at + used, ErrorKind::InvalidPath)),
    }
}

/// A path at the start of `text`: `<>`, `<Postmaster>`, `<[A-d-l:]mailbox>`,
/// or (leniently, as Postfix accepts) a mailbox without brackets or
/// `<A-d-l:postmaster>`; and its length.
fn path(text: &str, at: usize, lenient: bool) -> Result<(Path<'_>, usize), DecodeError> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'<') {
        if !lenient {
            return Err(DecodeError::at(at, ErrorKind::InvalidPath));
        }
        let (local_at, end) =
            scan_mailbox(bytes, true).map_err(|(pos, kind)| DecodeError::at(at + pos, kind))?;
        if !matches!(bytes.get(end), None | Some(b' ')) {
            return Err(DecodeError::at(at + end, ErrorKind::InvalidPath));
        }
        return Ok((
            Path::Mailbox(Mailbox::from_checked(&text[..end], local_at)),
            end,
        ));
    }
    if bytes.get(1) == Some(&b'>') {
        return Ok((Path::Null, 2));
    }
    if bytes.len() >= 12 && eq_keyword(&bytes[1..12], b"POSTMASTER>") {
        return Ok((Path::Postmaster(at), 12));
    }
    let mut start = 1;
    if bytes.get(1) == Some(&b'@') {
        start = source_route(bytes, at, lenient)?;
        // Postfix drops the route and takes the bare postmaster.
        let rest = &bytes[start..];
        if lenient && rest.len() >= 11 && eq_keyword(&rest[..11], b"POSTMASTER>") {
            return Ok((Path::Postmaster(at), start + 11));
        }
    }
    let (local_at, len) = scan_mailbox(&bytes[start..], lenient)
        .map_err(|(pos, kind)| DecodeError::at(at + start + pos, kind))?;
    let end = start + len;
    if bytes.get(end) != Some(&b'>') {
        return Err(DecodeError::at(at + end, ErrorKind::InvalidPath));
    }
    let mailbox = Mailbox::from_checked(&text[start..end], local_at);
    Ok((Path::Mailbox(mailbox), end + 1))
}

/// `A-d-l ":"` after `<` (RFC 5321 §4.1.2: "MUST BE accepted, SHOULD NOT be
/// generated, and SHOULD be ignored"): where the mailbox starts.
fn source_route(bytes: &[u8], at: usize, lenient: bool) -> Result<usize, DecodeError> {
    let mut i = 1;
    loop {
        // At-domain = "@" Domain
        if bytes.get(i) != Some(&b'@') {
            return Err(DecodeError::at(at + i, ErrorKind::InvalidPath));
        }
        let start = i + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b',' || b == b':' || b == b'>')
            .map_or(bytes.len(), |p| start + p);
        // The underscore quirk, as in a mailbox's domain.
        check_domain_with(&bytes[start..end], lenient)
            .map_err(|pos| DecodeError::at(at + start + pos, ErrorKind::InvalidDomain))?;
        match bytes.get(end) {
            Some(b',') => i = end + 1,
            Some(b':') => return Ok(end + 1),
            _ => return Err(DecodeError::at(at + end, ErrorKind::InvalidPath)),
        }
    }
}
