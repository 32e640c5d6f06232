//! The SEARCH keys that read the message: header fields, the Date: header,
//! body text (RFC 9051 §6.4.4), matched as Dovecot 2.3 matches them (its
//! answers are replayed in `dovecot_tests.rs`):
//!
//! - strings are substrings, compared after Unicode lower-casing of both
//!   sides (`CAFÉ` finds `café`: Dovecot's `i;unicode-casemap`; RFC 9051
//!   asks for at least ASCII case-insensitivity);
//! - header values are unfolded (the line break goes, the white space after
//!   it stays) and RFC 2047-decoded to UTF-8; FROM, TO, CC and BCC match
//!   the addresses written `name <mailbox@host>`, a group as `name: ...;`;
//!   HEADER, SUBJECT and the address keys read the message's own header,
//!   not those of its parts; a key's empty string matches a message that
//!   has the field (RFC 9051 §6.4.4 for HEADER);
//! - BODY reads the text of every `text/*` part, enclosed messages'
//!   included, decoded from its transfer encoding and converted from its
//!   charset by `mail-parser`; other parts, the preamble and epilogue of
//!   multiparts and a body whose encoding is broken are not searched;
//! - TEXT reads BODY's text and every header field, `name: value`, of the
//!   message and of each part and enclosed message;
//! - SENT* read the first Date: field's calendar day as written, in its own
//!   zone; a message without a valid one is of 1 January 1970, as Dovecot's
//!   `mail_get_date` gives 0 for it.

use std::borrow::Cow;

use bytes::Bytes;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::parsers::MessageStream;
use mail_parser::{Address, HeaderValue, Message, MessageParser, PartType};

use super::headers;

/// Turns a search string's octets into UTF-8.
pub(crate) type Decode = Box<dyn Fn(&[u8]) -> String + Send + Sync>;

/// The decoder of a SEARCH CHARSET, or `None` if unknown. Absent, UTF-8
/// and US-ASCII read the octets as UTF-8 (an invalid sequence becomes
/// U+FFFD and matches nothing real).
pub(crate) fn charset(name: Option<&[u8]>) -> Option<Decode> {
    let utf8: Decode = Box::new(|b| String::from_utf8_lossy(b).into_owned());
    let Some(name) = name else { return Some(utf8) };
    if [&b"UTF-8"[..], b"UTF8", b"US-ASCII"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
    {
        return Some(utf8);
    }
    let decoder = charset_decoder(name)?;
    Some(Box::new(decoder))
}

/// A search string, case-folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Needle(String);

impl Needle {
    pub(crate) fn new(s: String) -> Self {
        Self(fold(&s))
    }

    fn found_in(&self, folded: &str) -> bool {
        memchr::memmem::find(folded.as_bytes(), self.0.as_bytes()).is_some()
    }
}

fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// Which text a key reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TextKey {
    From,
    To,
    Cc,
    Bcc,
    Subject,
    /// `HEADER name`.
    Header(String),
    Body,
    Text,
}

impl TextKey {
    /// 1: reads the header; 2: parses the whole message.
    pub(crate) fn cost(&self) -> u8 {
        match self {
            Self::Body | Self::Text => 2,
            _ => 1,
        }
    }
}

/// One message's bytes, parsed as far as the keys asked so far need.
pub(crate) struct TextSource<'m> {
    raw: &'m Bytes,
    header: &'m [u8],
    parsed: Option<Option<Message<'m>>>,
    bodies: Option<Vec<String>>,
    all_headers: Option<Vec<String>>,
}

impl<'m> TextSource<'m> {
    pub(crate) fn new(raw: &'m Bytes) -> Self {
        Self {
            raw,
            header: &raw[..headers::body_offset(raw)],
            parsed: None,
            bodies: None,
            all_headers: None,
        }
    }

    /// Whether the key's text holds the needle.
    pub(crate) fn matches(&mut self, key: &TextKey, needle: &Needle) -> bool {
        let name = match key {
            TextKey::From => "From",
            TextKey::To => "To",
            TextKey::Cc => "Cc",
            TextKey::Bcc => "Bcc",
            TextKey::Subject => "Subject",
            TextKey::Header(name) => name,
            TextKey::Body => return self.bodies().iter().any(|t| needle.found_in(t)),
            TextKey::Text => {
                return self.all_headers().iter().any(|t| needle.found_in(t))
                    || self.bodies().iter().any(|t| needle.found_in(t));
            }
        };
        let addresses = matches!(
            key,
            TextKey::From | TextKey::To | TextKey::Cc | TextKey::Bcc
        );
        headers::fields(self.header)
            .filter(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
            .any(|f| {
                let value = value_of(f.raw, f.name.len());
                let text = if addresses {
                    address_text(&value)
                } else {
                    unstructured(&value)
                };
                needle.found_in(&fold(&text))
            })
    }

    /// The calendar day of the first Date: field, in its own zone.
    pub(crate) fn sent_day(&self) -> (i32, u8, u8) {
        headers::fields(self.header)
            .find(|f| f.name.eq_ignore_ascii_case(b"Date"))
            .and_then(|f| {
                let value = f.unfolded_value();
                let d = mail_parser::DateTime::parse_rfc822(std::str::from_utf8(&value).ok()?)?;
                (d.month >= 1 && d.day >= 1).then_some((i32::from(d.year), d.month, d.day))
            })
            .unwrap_or((1970, 1, 1))
    }

    fn parsed(&mut self) -> Option<&Message<'m>> {
        let raw = self.raw;
        self.parsed
            .get_or_insert_with(|| MessageParser::default().parse(raw.as_ref()))
            .as_ref()
    }

    /// The folded text of every text part, enclosed messages included.
    fn bodies(&mut self) -> &[String] {
        if self.bodies.is_none() {
            let mut out = Vec::new();
            if let Some(m) = self.parsed() {
                each_message(m, |m| {
                    for p in &m.parts {
                        match &p.body {
                            PartType::Text(t) | PartType::Html(t) if !p.is_encoding_problem => {
                                out.push(fold(t));
                            }
                            _ => {}
                        }
                    }
                });
            }
            self.bodies = Some(out);
        }
        self.bodies.as_deref().unwrap_or_default()
    }

    /// Every header field of the message, its parts and enclosed
    /// messages, as folded `name: value`.
    fn all_headers(&mut self) -> &[String] {
        if self.all_headers.is_none() {
            let mut out = Vec::new();
            if let Some(m) = self.parsed() {
                each_message(m, |m| {
                    let raw = m.raw_message.as_ref();
                    for p in &m.parts {
                        let block = raw
                            .get(p.offset_header as usize..p.offset_body as usize)
                            .unwrap_or_default();
                        for f in headers::fields(block) {
                            let value = unstructured(&value_of(f.raw, f.name.len()));
                            let name = String::from_utf8_lossy(f.name);
                            out.push(fold(&format!("{name}: {value}")));
                        }
                    }
                });
            }
            self.all_headers = Some(out);
        }
        self.all_headers.as_deref().unwrap_or_default()
    }
}

/// Calls `f` on the message and on every message it encloses, with an
/// explicit stack (an enclosed message may enclose another, deeply).
fn each_message<'a, 'm>(root: &'a Message<'m>, mut f: impl FnMut(&'a Message<'m>)) {
    let mut stack = vec![root];
    while let Some(m) = stack.pop() {
        f(m);
        for p in &m.parts {
            if let PartType::Message(inner) = &p.body {
                stack.push(inner);
            }
        }
    }
}

/// The octets after a field's colon, ending in a line break as
/// `mail-parser`'s field parsers expect.
fn value_of(raw: &[u8], name_len: usize) -> Cow<'_, [u8]> {
    let value = raw.get(name_len + 1..).unwrap_or_default();
    if value.ends_with(b"\n") {
        Cow::Borrowed(value)
    } else {
        let mut v = value.to_vec();
        v.extend_from_slice(b"\r\n");
        Cow::Owned(v)
    }
}

/// An unstructured value, unfolded and RFC 2047-decoded (RFC 5322 §3.2.5,
/// RFC 2047 §6).
fn unstructured(value: &[u8]) -> String {
    match MessageStream::new(value).parse_unstructured() {
        HeaderValue::Text(t) => t.into_owned(),
        HeaderValue::TextList(v) => v.join(" "),
        _ => String::new(),
    }
}

/// An address list written out: `name <mailbox@host>, ...`, a group as
/// `name: members;`, names RFC 2047-decoded.
fn address_text(value: &[u8]) -> String {
    let one = |a: &mail_parser::Addr<'_>| match (&a.name, &a.address) {
        (Some(n), Some(addr)) => format!("{n} <{addr}>"),
        (Some(n), None) => n.to_string(),
        (None, Some(addr)) => addr.to_string(),
        (None, None) => String::new(),
    };
    match MessageStream::new(value).parse_address() {
        HeaderValue::Address(Address::List(list)) => {
            list.iter().map(one).collect::<Vec<_>>().join(", ")
        }
        HeaderValue::Address(Address::Group(groups)) => groups
            .iter()
            .map(|g| {
                let members = g.addresses.iter().map(one).collect::<Vec<_>>().join(", ");
                match &g.name {
                    Some(name) => format!("{name}: {members};"),
                    None => members,
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => unstructured(value),
    }
}
