//! Header blocks read straight from the message bytes, without a MIME
//! parse: where the header ends, its fields one by one, and the
//! `HEADER.FIELDS` subsets (RFC 9051 §6.4.5.1).

use bytes::{BufMut, Bytes, BytesMut};

/// Where the header of `raw` ends: the offset of the body, after the empty
/// line; the whole message if there is no empty line (RFC 5322 §2.1).
pub(crate) fn body_offset(raw: &[u8]) -> usize {
    let mut at = 0;
    while at < raw.len() {
        let rest = &raw[at..];
        if rest.starts_with(b"\r\n") {
            return at + 2;
        }
        if rest.starts_with(b"\n") {
            return at + 1;
        }
        match memchr::memchr(b'\n', rest) {
            Some(nl) => at += nl + 1,
            None => return raw.len(),
        }
    }
    raw.len()
}

/// One header field: its name and every octet of it, continuation lines
/// and the final line break included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    /// The field name, before the colon.
    pub(crate) name: &'a [u8],
    /// The whole field.
    pub(crate) raw: &'a [u8],
}

impl<'a> Field<'a> {
    /// The value after the colon, leading white space and line breaks
    /// removed, folding undone (RFC 5322 §2.2.3: CRLF followed by WSP is
    /// the WSP).
    pub(crate) fn unfolded_value(&self) -> Vec<u8> {
        let value = &self.raw[(self.name.len() + 1).min(self.raw.len())..];
        let mut out = Vec::with_capacity(value.len());
        for &b in value {
            if b != b'\r' && b != b'\n' {
                out.push(b);
            }
        }
        let start = out.iter().position(|b| !matches!(b, b' ' | b'\t'));
        out.drain(..start.unwrap_or(out.len()));
        out
    }
}

/// The fields of a header block (the octets before the empty line, or the
/// whole block if it has none), in order. A line without a colon that is
/// not a continuation is skipped, as Dovecot's header parser does.
pub(crate) fn fields(header: &[u8]) -> impl Iterator<Item = Field<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let rest = header.get(at..).filter(|r| !r.is_empty())?;
            if rest.starts_with(b"\r\n") || rest.starts_with(b"\n") {
                return None;
            }
            // The field runs to the line break not followed by white space.
            let mut end = 0;
            loop {
                match memchr::memchr(b'\n', &rest[end..]) {
                    Some(nl) => {
                        end += nl + 1;
                        if !matches!(rest.get(end), Some(b' ' | b'\t')) {
                            break;
                        }
                    }
                    None => {
                        end = rest.len();
                        break;
                    }
                }
            }
            let raw = &rest[..end];
            at += end;
            if let Some(colon) = memchr::memchr(b':', raw) {
                let name = trim_end(&raw[..colon]);
                if !name.is_empty() && !name.contains(&b'\n') {
                    return Some(Field { name, raw });
                }
            }
        }
    })
}

fn trim_end(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(0, |i| i + 1);
    &s[..end]
}

/// Whether the header block ends with the empty line (the message has a
/// body separator).
fn has_blank_line(header: &[u8]) -> bool {
    header.ends_with(b"\r\n\r\n") || header.ends_with(b"\n\n") || header == b"\r\n"
}

/// `HEADER.FIELDS (names)`: the fields whose name is one of `names` (ASCII
/// case-insensitively), in message order, then the empty line (RFC 9051
/// §6.4.5.1). As Dovecot writes it, each field ends in CRLF and the empty
/// line is always there, even for a header that had none.
pub(crate) fn subset(header: &[u8], names: &[&[u8]]) -> Bytes {
    let mut out = BytesMut::new();
    for f in fields(header).filter(|f| names.iter().any(|n| n.eq_ignore_ascii_case(f.name))) {
        out.put_slice(f.raw);
        if !f.raw.ends_with(b"\n") {
            out.put_slice(b"\r\n");
        }
    }
    out.put_slice(b"\r\n");
    out.freeze()
}

/// `HEADER.FIELDS.NOT (names)`: the other fields as they are, then the
/// empty line if the header has one (Dovecot: a header without the empty
/// line gets none, and its last field keeps its missing line break).
pub(crate) fn subset_not(header: &[u8], names: &[&[u8]]) -> Bytes {
    let mut out = BytesMut::new();
    for f in fields(header).filter(|f| !names.iter().any(|n| n.eq_ignore_ascii_case(f.name))) {
        out.put_slice(f.raw);
    }
    if has_blank_line(header) {
        out.put_slice(b"\r\n");
    }
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"Received: from a\r\n by b\r\nFrom: one@example.org\r\nX-Dup: first\r\nto: two\r\nX-Dup: second\r\n\r\n";

    #[test]
    fn the_body_starts_after_the_empty_line() {
        assert_eq!(body_offset(b"A: b\r\n\r\nbody"), 8);
        assert_eq!(body_offset(b"A: b\r\nC: d"), 10);
        assert_eq!(body_offset(b"\r\nbody"), 2);
        assert_eq!(body_offset(b"A: b\n\nbody"), 6);
        assert_eq!(body_offset(b""), 0);
    }

    #[test]
    fn fields_keep_their_continuations() {
        let names: Vec<_> = fields(HEADER).map(|f| f.name).collect();
        assert_eq!(
            names,
            [&b"Received"[..], b"From", b"X-Dup", b"to", b"X-Dup"]
        );
        let first = fields(HEADER).next().unwrap();
        assert_eq!(first.raw, b"Received: from a\r\n by b\r\n");
        assert_eq!(first.unfolded_value(), b"from a by b");
        // A last field without a line break, and a line without a colon.
        let odd: Vec<_> = fields(b"junk line\r\nA: 1\r\nB: 2")
            .map(|f| f.raw)
            .collect();
        assert_eq!(odd, [&b"A: 1\r\n"[..], b"B: 2"]);
    }

    #[test]
    fn subsets_match_names_in_any_case_in_message_order() {
        // RFC 9051 §6.4.5.1: "The field-matching is ASCII-range case
        // insensitive but is otherwise exact", and the blank line is kept.
        assert_eq!(
            &subset(HEADER, &[b"x-dup", b"TO"])[..],
            b"X-Dup: first\r\nto: two\r\nX-Dup: second\r\n\r\n"
        );
        assert_eq!(&subset(HEADER, &[b"X-Nothing"])[..], b"\r\n");
        assert_eq!(
            &subset_not(HEADER, &[b"x-dup", b"received"])[..],
            b"From: one@example.org\r\nto: two\r\n\r\n"
        );
        // No empty line: .NOT keeps the header as it is (Dovecot).
        let bare = b"From: a\r\nSubject: no body";
        assert_eq!(
            &subset(bare, &[b"subject"])[..],
            b"Subject: no body\r\n\r\n"
        );
        assert_eq!(&subset_not(bare, &[b"from"])[..], b"Subject: no body");
    }
}
