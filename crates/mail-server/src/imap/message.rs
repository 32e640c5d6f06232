//! A message's MIME parts, found by IMAP part number (RFC 9051 §6.4.5.1),
//! with the octets of each piece as Dovecot delimits them.
//!
//! `mail-parser` parses the structure once; the pieces are slices of the
//! message's own bytes, so fetching a part copies nothing.

use bytes::Bytes;
use imap_proto::mime::MAX_NESTED_PARTS;
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::headers;

/// A message parsed for its MIME structure.
pub(crate) struct Parsed<'m> {
    raw: &'m Bytes,
    message: Option<Message<'m>>,
}

impl<'m> Parsed<'m> {
    /// Parses `raw`. A message `mail-parser` cannot read (no header at all)
    /// has only its part 1, the whole body.
    pub(crate) fn new(raw: &'m Bytes) -> Self {
        Self {
            raw,
            message: MessageParser::default().parse(raw.as_ref()),
        }
    }

    /// The part named by `path` (`[3, 1]` is part `3.1`), or `None` if the
    /// message has no such part.
    ///
    /// RFC 9051 §6.4.5.1: the parts of a multipart are numbered from 1; a
    /// message/rfc822 part's numbers are those of its enclosed message's
    /// parts; a part that is neither "only [has] a part 1", itself (as
    /// Dovecot's `imap_msgpart_find` has it, so `1.1` of a text part is
    /// that part).
    pub(crate) fn part(&self, path: &[u32]) -> Option<Part<'_, 'm>> {
        let message = self.message.as_ref().filter(|m| !m.parts.is_empty())?;
        let mut part = Part {
            message,
            index: 0,
            end: self.raw.len(),
            depth: 0,
            in_multipart: false,
        };
        for &n in path {
            part = part.child(n)?;
        }
        Some(part)
    }

    /// `s` as `Bytes`: a slice of the message when it is one (no copy), a
    /// copy otherwise (a part decoded by `mail-parser`, such as a base64
    /// message/rfc822).
    pub(crate) fn bytes(&self, s: &[u8]) -> Bytes {
        slice_of(self.raw, s)
    }
}

/// `s` as a slice of `raw` when it lies within it, else a copy.
pub(crate) fn slice_of(raw: &Bytes, s: &[u8]) -> Bytes {
    let start = raw.as_ptr() as usize;
    let at = s.as_ptr() as usize;
    if s.is_empty() {
        Bytes::new()
    } else if at >= start && at + s.len() <= start + raw.len() {
        raw.slice_ref(s)
    } else {
        Bytes::copy_from_slice(s)
    }
}

/// One MIME part of a parsed message.
#[derive(Clone, Copy)]
pub(crate) struct Part<'p, 'm> {
    /// The message (top-level or enclosed) whose `parts` hold this one.
    message: &'p Message<'m>,
    index: usize,
    /// Where the enclosing message/rfc822 part ends: `mail-parser` does not
    /// always bound an enclosed message's last part by it.
    end: usize,
    /// How deep the part is, as `imap_proto::mime` counts for
    /// [`MAX_NESTED_PARTS`].
    depth: usize,
    /// Whether the part is a child of a multipart (and so always MIME).
    in_multipart: bool,
}

impl<'p, 'm> Part<'p, 'm> {
    fn child(self, n: u32) -> Option<Self> {
        let n = usize::try_from(n).ok()?.checked_sub(1)?;
        if self.is_leaf() {
            return (n == 0).then_some(self);
        }
        match &self.part().body {
            PartType::Multipart(children) => Some(Self {
                index: *children
                    .get(n)
                    .filter(|&&c| (c as usize) < self.message.parts.len())?
                    as usize,
                depth: self.depth + 1,
                in_multipart: true,
                ..self
            }),
            PartType::Message(inner) => {
                let root = inner.parts.first()?;
                let enclosed = Self {
                    message: inner,
                    index: 0,
                    end: (self.part().offset_end as usize).min(self.end),
                    depth: self.depth + 1,
                    in_multipart: false,
                };
                match &root.body {
                    PartType::Multipart(_) if !enclosed.is_leaf() => enclosed.child(n as u32 + 1),
                    _ => (n == 0).then_some(enclosed),
                }
            }
            _ => (n == 0).then_some(self),
        }
    }

    fn part(&self) -> &'p MessagePart<'m> {
        // Every `Part` is made with an index checked against `parts`.
        &self.message.parts[self.index]
    }

    fn raw(&self) -> &'p [u8] {
        self.message.raw_message.as_ref()
    }

    fn slice(&self, start: usize, end: usize) -> &'p [u8] {
        let raw = self.raw();
        let end = end.min(raw.len());
        raw.get(start.min(end)..end).unwrap_or_default()
    }

    /// Whether the part has no parts of its own: neither a multipart nor a
    /// message/rfc822, or one nested past [`MAX_NESTED_PARTS`], which
    /// Dovecot leaves unparsed.
    pub(crate) fn is_leaf(&self) -> bool {
        !matches!(
            self.part().body,
            PartType::Multipart(_) | PartType::Message(_)
        ) || self.depth + 1 >= MAX_NESTED_PARTS
    }

    /// The part's MIME header (`section-text` `MIME`), its empty line
    /// included. For the single part of a non-multipart message, that is
    /// the message's header (Dovecot).
    pub(crate) fn mime_header(&self) -> &'p [u8] {
        let p = self.part();
        self.slice(p.offset_header as usize, p.offset_body as usize)
    }

    /// The part's body: for a message/rfc822 part, the whole enclosed
    /// message. A body that ends with its multipart's close delimiter gets
    /// the line break after it, which Dovecot's parser reads with that
    /// line; otherwise the line break before the next boundary belongs to
    /// the boundary (RFC 2046 §5.1.1).
    pub(crate) fn body(&self) -> &'p [u8] {
        let p = self.part();
        let start = p.offset_body as usize;
        let mut end = (p.offset_end as usize).min(self.end);
        let body = self.slice(start, end);
        if let Some(boundary) = self.closing_boundary() {
            let close = body
                .strip_suffix(b"--")
                .and_then(|b| b.strip_suffix(boundary));
            if close.is_some_and(|b| b.ends_with(b"--")) {
                end += match self.raw().get(end..) {
                    Some([b'\r', b'\n', ..]) => 2,
                    Some([b'\n', ..]) => 1,
                    _ => 0,
                };
            }
        }
        self.slice(start, end)
    }

    /// The boundary whose close delimiter may end this part's body: its
    /// own for a multipart, its enclosed message's for a message/rfc822.
    fn closing_boundary(&self) -> Option<&'p [u8]> {
        if self.is_leaf() {
            return None;
        }
        let multipart = match &self.part().body {
            PartType::Message(inner) => inner.parts.first()?,
            _ => self.part(),
        };
        if !matches!(multipart.body, PartType::Multipart(_)) {
            return None;
        }
        let boundary = multipart.content_type()?.attribute("boundary")?;
        Some(boundary.as_bytes())
    }

    /// The header and the text of the message a message/rfc822 part
    /// encloses (`section-text` `HEADER` and `TEXT` after a part number),
    /// or `None` for any other part.
    pub(crate) fn enclosed(&self) -> Option<(&'p [u8], &'p [u8])> {
        if self.is_leaf() {
            return None;
        }
        let PartType::Message(inner) = &self.part().body else {
            return None;
        };
        let body = self.body();
        let raw = inner.raw_message.as_ref();
        if std::ptr::eq(raw.as_ptr(), self.raw().as_ptr()) {
            // Enclosed in place: offsets are the outer message's.
            let split = (inner.parts.first()?.offset_body as usize)
                .saturating_sub(self.part().offset_body as usize)
                .min(body.len());
            Some(body.split_at(split))
        } else {
            // Decoded first (a base64 message/rfc822): its own bytes.
            let split = headers::body_offset(raw);
            Some(raw.split_at(split))
        }
    }

    /// The first value of the header field `name` in the part's MIME
    /// header, unfolded.
    pub(crate) fn header_value(&self, name: &str) -> Option<Vec<u8>> {
        headers::fields(self.mime_header())
            .find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
            .map(|f| f.unfolded_value())
    }

    /// Whether the part's `Content-*` fields count: it is in a multipart,
    /// or its header says `MIME-Version` or `Content-Type` (as
    /// `imap_proto::mime` decides, after Dovecot's `message-parser.c`).
    pub(crate) fn is_mime(&self) -> bool {
        self.in_multipart
            || headers::fields(self.mime_header()).any(|f| {
                f.name.eq_ignore_ascii_case(b"MIME-Version")
                    || f.name.eq_ignore_ascii_case(b"Content-Type")
            })
    }
}
