//! ENVELOPE and BODYSTRUCTURE of a raw RFC 5322 message, as Dovecot computes
//! them (feature `mime`).
//!
//! The MIME structure (parts, boundaries, nested messages, the offsets of
//! headers and bodies, address lists, a multipart's boundary) comes from
//! the `mail-parser` crate. Two things are read from the raw header fields
//! that `mail-parser` locates, because `mail-parser` loses what Dovecot
//! reports (each checked against a real Dovecot in `tests/mime.rs`):
//!
//! - `Content-Type`, `Content-Disposition`, `Content-Transfer-Encoding` and
//!   `Content-Language` values: `mail-parser` folds types, subtypes,
//!   parameter names and encodings to lower case, where Dovecot keeps them
//!   as sent (`case_is_kept`: `"TEXT" "PLAIN" ("CHARSET" "US-ASCII")`).
//! - RFC 2231 parameters: `mail-parser` joins continuations and decodes
//!   `charset'language'%XX` values into text, where Dovecot keeps an
//!   extended parameter undecoded, its name with the `*`, after the plain
//!   ones (`rfc2231`: `("title*" "us-ascii'en'This%20is%20even...")`).
//!
//! `Content-ID`, `Content-Description`, `Content-MD5` and
//! `Content-Location` are taken raw too, since Dovecot reports them as sent
//! (angle brackets and encoded words kept). Values are written with
//! Dovecot's rules:
//!
//! - `src/lib-mail/message-part-data.c`: the first `Content-*` field of a
//!   kind wins; type and subtype keep their case; a part without
//!   `Content-Type` is `text/plain`; `Content-*` fields of a message with
//!   neither `MIME-Version` nor `Content-Type` are ignored
//!   (`message-parser.c`); `Content-Language` is a list of atoms.
//! - `src/lib-imap/imap-bodystructure.c`: `("charset" "us-ascii")` is added
//!   to a `text/*` part that names no charset; the encoding defaults to
//!   `"7bit"`; a missing subtype is `"plain"` for text, `"unknown"` for other
//!   single parts and `"x-unknown"` for multiparts; extension data is always
//!   complete (md5 or parameters, disposition, language, location).
//! - `src/lib-mail/rfc2231-parser.c`: `name*0`, `name*1` continuations are
//!   joined; an extended (`name*`) parameter keeps its `*` and its
//!   `charset'language'%XX` value undecoded; RFC 2231 parameters come after
//!   the plain ones.
//! - `src/lib-imap/imap-envelope.c` and `imap-quote.c`: the last `Date`,
//!   `Subject`, ... field wins; `Sender` and `Reply-To` default to `From`;
//!   the subject and display names are "for humans" (whitespace runs
//!   collapsed, line breaks removed, written as a literal when changed);
//!   other strings are quoted unless they hold a line break, 8-bit octets or
//!   more than four `"` and `\`, which make a literal. RFC 2047 encoded
//!   words are kept as sent.
//! - Sizes are Dovecot's "virtual" sizes, in which every line ends in CRLF,
//!   and lines count line feeds.
//!
//! ```
//! use bytes::BytesMut;
//! use imap_proto::{Options, encode, mime};
//! use imap_proto::types::{Data, FetchItem, Response};
//!
//! let raw = b"From: a@example.org\r\nSubject: hi\r\nMIME-Version: 1.0\r\n\r\nHello\r\n";
//! let body = mime::body_structure(raw, true).unwrap();
//! let response = Response::Data(Data::Fetch { seq: 1, items: vec![FetchItem::BodyStructure(body)] });
//! let mut out = BytesMut::new();
//! encode::response(&response, &mut out, &Options::default()).unwrap();
//! assert_eq!(
//!     &out[..],
//!     &b"* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 7 1 NIL NIL NIL NIL))\r\n"[..]
//! );
//! ```

use bytes::Bytes;
use mail_parser::{
    Address as MpAddress, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use crate::types::{
    Address, BodyStructure, Disposition, Envelope, ExtTail, IString, Language, LanguageTail,
    Literal, LocationTail, MultipartExt, Quoted, SinglePart, SinglePartExt, Specific,
};

/// The ENVELOPE of a message, or `None` if `mail-parser` cannot read it.
pub fn envelope(message: &[u8]) -> Option<Envelope<'static>> {
    let parsed = MessageParser::default().parse(message)?;
    Some(envelope_of(&parsed, parsed.parts.first()?))
}

/// The BODYSTRUCTURE (`extensible`) or BODY of a message, or `None` if
/// `mail-parser` cannot read it.
pub fn body_structure(message: &[u8], extensible: bool) -> Option<BodyStructure<'static>> {
    let parsed = MessageParser::default().parse(message)?;
    let mime = is_mime(&parsed, parsed.parts.first()?);
    Some(part_structure(&parsed, 0, mime, extensible, 0, usize::MAX))
}

/// How deep parts nest before the rest is left unparsed: Dovecot's
/// `MESSAGE_PARSER_DEFAULT_MAX_NESTED_MIME_PARTS` (`message-parser.h`). The
/// part at this level, if it is a multipart or a message/rfc822, is
/// reported as Dovecot reports it: an `application/octet-stream` leaf with
/// its parameters and its whole body, so a structure is never deeper than
/// this and always encodes with the default [`Options::max_depth`](crate::Options::max_depth)
/// (asserted at compile time below). Recorded from a real Dovecot in
/// `tests/mime.rs` (`deep150`, `deep_rfc822`).
pub const MAX_NESTED_PARTS: usize = 100;

const _: () = assert!(MAX_NESTED_PARTS <= crate::Options::MAX_DEPTH);

/// `end` bounds the part's body: a message/rfc822 part's own end, which
/// `mail-parser` does not carry into the enclosed message's last part.
fn part_structure(
    msg: &Message<'_>,
    id: usize,
    mime: bool,
    ext: bool,
    depth: usize,
    end: usize,
) -> BodyStructure<'static> {
    let Some(part) = msg.parts.get(id) else {
        return empty_part(ext);
    };
    let fields = if mime {
        ContentFields::of(msg, part)
    } else {
        ContentFields::default()
    };
    let structured = matches!(part.body, PartType::Multipart(_) | PartType::Message(_));
    if mime && structured && depth + 1 >= MAX_NESTED_PARTS {
        return unparsed(msg, part, end, fields, ext);
    }
    match &part.body {
        PartType::Multipart(children) if mime => {
            let parts: Vec<_> = children
                .iter()
                .map(|&c| part_structure(msg, c as usize, true, ext, depth + 1, end))
                .collect();
            let parts = if parts.is_empty() {
                vec![empty_part(ext)]
            } else {
                parts
            };
            let subtype = string(fields.subtype.as_deref().unwrap_or("x-unknown"));
            let ext = ext.then(|| {
                Box::new(MultipartExt {
                    params: fields.type_params(false),
                    tail: Some(fields.tail()),
                })
            });
            BodyStructure::Multi {
                parts,
                subtype,
                ext,
            }
        }
        PartType::Message(inner) if mime => {
            let (size, lines) = virtual_size(enclosed_message(msg, part, inner, end));
            let inner_mime = inner.parts.first().is_some_and(|p| is_mime(inner, p));
            let inner_end = (part.offset_end as usize).min(end);
            let body = part_structure(inner, 0, inner_mime, ext, depth + 1, inner_end);
            let envelope = inner
                .parts
                .first()
                .map(|p| envelope_of(inner, p))
                .unwrap_or_default();
            let single = SinglePart {
                media_type: string("message"),
                subtype: string("rfc822"),
                params: fields.type_params(false),
                id: fields.id.as_deref().map(string),
                description: fields.description.as_deref().map(string),
                encoding: string(fields.encoding.as_deref().unwrap_or("7bit")),
                octets: size,
                specific: Specific::Message {
                    envelope: Box::new(envelope),
                    body: Box::new(body),
                    lines,
                },
            };
            leaf(single, &fields, ext)
        }
        _ => {
            let bytes = if mime {
                body_bytes(msg, part, end)
            } else {
                whole_body(msg, part, end)
            };
            let (size, lines) = virtual_size(bytes);
            let media_type = fields.media_type.clone().unwrap_or_else(|| "text".into());
            let text = media_type.eq_ignore_ascii_case("text");
            let subtype = fields.subtype.clone().unwrap_or_else(|| {
                if text {
                    "plain".into()
                } else {
                    "unknown".into()
                }
            });
            let single = SinglePart {
                media_type: string(&media_type),
                subtype: string(&subtype),
                params: fields.type_params(text),
                id: fields.id.as_deref().map(string),
                description: fields.description.as_deref().map(string),
                encoding: string(fields.encoding.as_deref().unwrap_or("7bit")),
                octets: size,
                specific: if text {
                    Specific::Text { lines }
                } else {
                    Specific::Basic
                },
            };
            leaf(single, &fields, ext)
        }
    }
}

/// A multipart or message/rfc822 at the nesting limit: Dovecot leaves its
/// body unparsed and reports it as `application/octet-stream`, keeping
/// the other fields.
fn unparsed(
    msg: &Message<'_>,
    part: &MessagePart<'_>,
    end: usize,
    fields: ContentFields,
    ext: bool,
) -> BodyStructure<'static> {
    let (size, _) = virtual_size(body_bytes(msg, part, end));
    let single = SinglePart {
        media_type: string("application"),
        subtype: string("octet-stream"),
        params: fields.type_params(false),
        id: fields.id.as_deref().map(string),
        description: fields.description.as_deref().map(string),
        encoding: string(fields.encoding.as_deref().unwrap_or("7bit")),
        octets: size,
        specific: Specific::Basic,
    };
    leaf(single, &fields, ext)
}

/// The body of a message/rfc822 part. The line break before the enclosing
/// multipart's next boundary belongs to that boundary, unless the enclosed
/// message ends with its own multipart's close delimiter: Dovecot's parser
/// has then read that line, break included, as part of the enclosed message.
fn enclosed_message<'m>(
    msg: &'m Message<'_>,
    part: &MessagePart<'_>,
    inner: &Message<'_>,
    end: usize,
) -> &'m [u8] {
    let raw = msg.raw_message.as_ref();
    let body = body_bytes(msg, part, end);
    let close = inner
        .parts
        .first()
        .filter(|p| matches!(p.body, PartType::Multipart(_)))
        .and_then(|p| p.content_type())
        .and_then(|ct| ct.attribute("boundary"))
        .map(|b| format!("--{b}--"));
    let Some(close) = close else { return body };
    if !body.ends_with(close.as_bytes()) {
        return body;
    }
    let start = part.offset_body as usize;
    let stop = start + body.len();
    let extra = match raw.get(stop..) {
        Some([b'\r', b'\n', ..]) => 2,
        Some([b'\n', ..]) => 1,
        _ => 0,
    };
    raw.get(start..stop + extra).unwrap_or(body)
}

/// Whether a message's `Content-*` fields count: it says `MIME-Version`, or
/// has a `Content-Type` (Dovecot's `message-parser.c` without
/// `MESSAGE_PARSER_FLAG_MIME_VERSION_STRICT`, as its IMAP server runs it).
fn is_mime(msg: &Message<'_>, part: &MessagePart<'_>) -> bool {
    header(msg, part, "MIME-Version").is_some() || header(msg, part, "Content-Type").is_some()
}

fn leaf(single: SinglePart<'static>, fields: &ContentFields, ext: bool) -> BodyStructure<'static> {
    let ext = ext.then(|| {
        Box::new(SinglePartExt {
            md5: fields.md5.as_deref().map(string),
            tail: Some(fields.tail()),
        })
    });
    BodyStructure::Single {
        part: Box::new(single),
        ext,
    }
}

/// Dovecot's `EMPTY_BODYSTRUCTURE`: a 0-octet text/plain part.
fn empty_part(ext: bool) -> BodyStructure<'static> {
    let fields = ContentFields::default();
    let single = SinglePart {
        media_type: string("text"),
        subtype: string("plain"),
        params: fields.type_params(true),
        id: None,
        description: None,
        encoding: string("7bit"),
        octets: 0,
        specific: Specific::Text { lines: 0 },
    };
    leaf(single, &fields, ext)
}

/// The `Content-*` fields of a part, as Dovecot keeps them.
#[derive(Default)]
struct ContentFields {
    media_type: Option<String>,
    subtype: Option<String>,
    params: Vec<(String, String)>,
    encoding: Option<String>,
    id: Option<String>,
    description: Option<String>,
    md5: Option<String>,
    disposition: Option<(String, Vec<(String, String)>)>,
    language: Vec<String>,
    location: Option<String>,
}

impl ContentFields {
    fn of(msg: &Message<'_>, part: &MessagePart<'_>) -> Self {
        let mut f = Self::default();
        let first = |name: &str| header(msg, part, name);
        if let Some(v) = first("Content-Type") {
            let (t, rest) = content_type(&v);
            if let Some((t, s)) = t {
                f.media_type = Some(t);
                f.subtype = s;
                f.params = rest.map(rfc2231).unwrap_or_default();
            }
        }
        if let Some(v) = first("Content-Transfer-Encoding") {
            let (token, rest) = mime_token(v.trim_start());
            if !token.is_empty() && rest.trim().is_empty() {
                f.encoding = Some(token.to_owned());
            }
        }
        f.id = first("Content-ID").map(|v| nolf(&v));
        f.description = first("Content-Description").map(|v| nolf(&v));
        f.md5 = first("Content-MD5").map(|v| nolf(&v));
        f.location = first("Content-Location").map(|v| nolf(&v));
        if let Some(v) = first("Content-Disposition") {
            let (token, rest) = mime_token(v.trim_start());
            if !token.is_empty() {
                f.disposition = Some((token.to_owned(), rfc2231(rest)));
            }
        }
        if let Some(v) = first("Content-Language") {
            f.language = v
                .split(',')
                .map(|l| l.trim().to_owned())
                .take_while(|l| {
                    !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
                .collect();
        }
        f
    }

    /// The Content-Type parameters, with Dovecot's default charset for text.
    fn type_params(&self, text: bool) -> Vec<(IString<'static>, IString<'static>)> {
        let mut v: Vec<_> = self
            .params
            .iter()
            .map(|(k, v)| (string(k), string(v)))
            .collect();
        if text
            && !self
                .params
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("charset"))
        {
            v.push((string("charset"), string("us-ascii")));
        }
        v
    }

    fn tail(&self) -> ExtTail<'static> {
        let disposition = self.disposition.as_ref().map(|(kind, params)| Disposition {
            kind: string(kind),
            params: params.iter().map(|(k, v)| (string(k), string(v))).collect(),
        });
        let language = if self.language.is_empty() {
            Language::Single(None)
        } else {
            Language::List(self.language.iter().map(|l| string(l)).collect())
        };
        ExtTail {
            disposition,
            language: Some(LanguageTail {
                language,
                location: Some(LocationTail {
                    location: self.location.as_deref().map(string),
                    extensions: vec![],
                }),
            }),
        }
    }
}

fn envelope_of(msg: &Message<'_>, part: &MessagePart<'_>) -> Envelope<'static> {
    let last = |name: &str| last_header(msg, part, name);
    let addresses = |name: &str| last(name).map(|v| address_list(&v));
    let from = addresses("From").unwrap_or_default();
    let sender = addresses("Sender").unwrap_or_else(|| from.clone());
    let reply_to = addresses("Reply-To").unwrap_or_else(|| from.clone());
    Envelope::new(
        last("Date").map(|v| string(&nolf(&v))),
        last("Subject").map(|v| for_humans(v.as_bytes())),
        [
            from,
            sender,
            reply_to,
            addresses("To").unwrap_or_default(),
            addresses("Cc").unwrap_or_default(),
            addresses("Bcc").unwrap_or_default(),
        ],
        last("In-Reply-To").map(|v| string(&nolf(&v))),
        last("Message-ID").map(|v| string(&nolf(&v))),
    )
}

/// A marker that stands for `?` after `=` while `mail-parser` reads an
/// address list, so that RFC 2047 words stay as sent, as Dovecot keeps them.
const NO_DECODE: &str = "=\u{e000}";

fn address_list(raw: &str) -> Vec<Address<'static>> {
    let mut shielded = raw.replace("=?", NO_DECODE);
    shielded.push('\n');
    let mut stream = mail_parser::parsers::MessageStream::new(shielded.as_bytes());
    let restore = |s: &str| s.replace(NO_DECODE, "=?");
    let one = |a: &mail_parser::Addr<'_>| {
        let (mailbox, host) = match a.address.as_deref().map(restore) {
            Some(addr) => match addr.rfind('@') {
                Some(at) => (Some(addr[..at].to_owned()), Some(addr[at + 1..].to_owned())),
                None => (Some(addr), Some("MISSING_DOMAIN".to_owned())),
            },
            None => (
                Some("MISSING_MAILBOX".to_owned()),
                Some("MISSING_DOMAIN".to_owned()),
            ),
        };
        Address {
            name: a.name.as_deref().map(|n| for_humans(restore(n).as_bytes())),
            adl: None,
            mailbox: mailbox.as_deref().map(string),
            host: host.as_deref().map(string),
        }
    };
    match stream.parse_address() {
        HeaderValue::Address(MpAddress::List(list)) => list.iter().map(one).collect(),
        HeaderValue::Address(MpAddress::Group(groups)) => {
            let mut v = Vec::new();
            for g in &groups {
                match &g.name {
                    // A group: its name as mailbox, the members, and an end marker.
                    Some(name) => {
                        v.push(Address {
                            name: None,
                            adl: None,
                            mailbox: Some(string(&restore(name))),
                            host: None,
                        });
                        v.extend(g.addresses.iter().map(one));
                        v.push(Address::default());
                    }
                    None => v.extend(g.addresses.iter().map(one)),
                }
            }
            v
        }
        _ => Vec::new(),
    }
}

/// A string as Dovecot's `imap_append_nstring` writes it: quoted, unless
/// it holds CR, LF, 8-bit octets or more than four quoted-specials.
fn string(s: &str) -> IString<'static> {
    let specials = s.bytes().filter(|&b| b == b'"' || b == b'\\').count();
    if specials > 4 || s.bytes().any(|b| b == b'\r' || b == b'\n' || b >= 0x80) {
        return literal(s.as_bytes());
    }
    quoted_or_literal(s.as_bytes().to_vec())
}

/// Quoted if it can be (no NUL), else a literal.
fn quoted_or_literal(data: Vec<u8>) -> IString<'static> {
    if crate::types::quotable(&data, crate::Mode::Imap4rev1) {
        IString::Quoted(Quoted::unchecked(std::borrow::Cow::Owned(data)))
    } else {
        literal(&data)
    }
}

/// A literal; a NUL (which only a `literal8` could carry, and a FETCH
/// ENVELOPE or BODYSTRUCTURE has none) is written as 0x80, as Dovecot's
/// header parser does, so the result always encodes.
fn literal(data: &[u8]) -> IString<'static> {
    let data: Vec<u8> = data
        .iter()
        .map(|&b| if b == 0 { 0x80 } else { b })
        .collect();
    // No NUL is left, so `Literal::new` accepts it.
    Literal::new(Bytes::from(data)).map_or_else(
        |_| IString::from(Literal::binary(Bytes::new())),
        IString::from,
    )
}

/// Dovecot's `imap_append_string_for_humans`: tabs are spaces, runs of
/// spaces are one, line breaks go, leading and trailing space go, NUL is
/// 0x80; if anything changed (or 8-bit or quoted-specials are present) the
/// result is a literal.
fn for_humans(src: &[u8]) -> IString<'static> {
    let mut out = Vec::with_capacity(src.len());
    let mut last_lwsp = true;
    let mut modify = false;
    for &b in src {
        match b {
            0 => {
                out.push(0x80);
                last_lwsp = false;
                modify = true;
            }
            b'\t' | b' ' => {
                if b == b'\t' || last_lwsp {
                    modify = true;
                }
                if !last_lwsp {
                    out.push(b' ');
                }
                last_lwsp = true;
            }
            b'\r' | b'\n' => modify = true,
            b'"' | b'\\' => {
                modify = true;
                last_lwsp = false;
                out.push(b);
            }
            _ => {
                modify |= b >= 0x80;
                last_lwsp = false;
                out.push(b);
            }
        }
    }
    if last_lwsp && out.last() == Some(&b' ') {
        out.pop();
        modify = true;
    }
    if !modify || out.is_empty() {
        return quoted_or_literal(out);
    }
    literal(&out)
}

/// A header value without its line breaks (Dovecot's `_nolf` writers).
fn nolf(v: &str) -> String {
    v.replace(['\r', '\n'], "")
}

/// The raw value of the first field `name` of a part: leading white space
/// and the final line break removed, folding kept.
fn header(msg: &Message<'_>, part: &MessagePart<'_>, name: &str) -> Option<String> {
    part.headers
        .iter()
        .find(|h| h.name.as_str().eq_ignore_ascii_case(name))
        .map(|h| raw_value(msg, h))
}

/// The raw value of the last field `name` of a part.
fn last_header(msg: &Message<'_>, part: &MessagePart<'_>, name: &str) -> Option<String> {
    part.headers
        .iter()
        .rev()
        .find(|h| h.name.as_str().eq_ignore_ascii_case(name))
        .map(|h| raw_value(msg, h))
}

fn raw_value(msg: &Message<'_>, h: &mail_parser::Header<'_>) -> String {
    let raw = msg.raw_message.as_ref();
    let v = raw
        .get(h.offset_start as usize..h.offset_end as usize)
        .unwrap_or_default();
    let s = String::from_utf8_lossy(v);
    let s = s.trim_start_matches([' ', '\t']);
    let s = s.strip_suffix('\n').unwrap_or(s);
    let s = s.strip_suffix('\r').unwrap_or(s);
    s.replace("\r\n", "\n")
}

fn body_bytes<'m>(msg: &'m Message<'_>, part: &MessagePart<'_>, end: usize) -> &'m [u8] {
    let raw = msg.raw_message.as_ref();
    let end = (part.offset_end as usize).min(end).min(raw.len());
    raw.get(part.offset_body as usize..end).unwrap_or_default()
}

/// Everything after the header, for a message that is not MIME.
fn whole_body<'m>(msg: &'m Message<'_>, part: &MessagePart<'_>, end: usize) -> &'m [u8] {
    let raw = msg.raw_message.as_ref();
    raw.get(part.offset_body as usize..end.min(raw.len()))
        .unwrap_or_default()
}

/// Octets with every line ending in CRLF, and the number of lines.
fn virtual_size(body: &[u8]) -> (u32, u64) {
    let lf = memchr::memchr_iter(b'\n', body).count();
    let crlf = memchr::memmem::find_iter(body, b"\r\n").count();
    let size = body.len() + (lf - crlf);
    (u32::try_from(size).unwrap_or(u32::MAX), lf as u64)
}

/// `type "/" subtype` of a Content-Type value and the parameters after it.
fn content_type(v: &str) -> (Option<(String, Option<String>)>, Option<&str>) {
    let (t, rest) = mime_token(v.trim_start());
    if t.is_empty() {
        return (None, None);
    }
    let rest = rest.trim_start();
    let Some(rest) = rest.strip_prefix('/') else {
        return (Some((t.to_owned(), None)), None);
    };
    let (s, rest) = mime_token(rest.trim_start());
    if s.is_empty() {
        return (Some((t.to_owned(), None)), None);
    }
    (Some((t.to_owned(), Some(s.to_owned()))), Some(rest))
}

/// RFC 2045 `token`: up to white space, a control or a tspecial.
fn mime_token(s: &str) -> (&str, &str) {
    let end = s
        .find(|c: char| c.is_ascii_control() || c == ' ' || "()<>@,;:\\\"/[]?=".contains(c))
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

/// `*(";" attribute "=" value)` with Dovecot's RFC 2231 handling.
fn rfc2231(mut s: &str) -> Vec<(String, String)> {
    let mut plain = Vec::new();
    let mut split: Vec<(String, u32, bool, String)> = Vec::new();
    loop {
        s = s.trim_start_matches([' ', '\t', '\n', '\r']);
        let Some(rest) = s.strip_prefix(';') else {
            break;
        };
        let (key, rest) = mime_token(rest.trim_start_matches([' ', '\t', '\n', '\r']));
        let rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        let Some(rest) = rest.strip_prefix('=') else {
            break;
        };
        let rest = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        let (value, rest) = if let Some(q) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut chars = q.char_indices();
            let mut end = q.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    '\\' => {
                        if let Some((_, e)) = chars.next() {
                            v.push(e);
                        }
                    }
                    '\r' | '\n' => {}
                    c => v.push(c),
                }
            }
            (v, &q[end.min(q.len())..])
        } else {
            let (t, rest) = mime_token(rest);
            (t.to_owned(), rest)
        };
        s = rest;
        if key.is_empty() {
            break;
        }
        let key = key.to_owned();
        match key.find('*') {
            Some(star) => {
                let tail = &key[star + 1..];
                let (idx, extended) = match tail {
                    "" => (0, true),
                    t => match t.strip_suffix('*') {
                        Some(n) => (n.parse().unwrap_or(u32::MAX), true),
                        None => (t.parse().unwrap_or(u32::MAX), false),
                    },
                };
                if idx == u32::MAX {
                    plain.push((key, value));
                } else {
                    split.push((key[..star].to_owned(), idx, extended, value));
                }
            }
            None => plain.push((key, value)),
        }
    }
    split.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut i = 0;
    while i < split.len() {
        let j = split[i..]
            .iter()
            .position(|p| p.0 != split[i].0)
            .map_or(split.len(), |n| i + n);
        let group = &split[i..j];
        let complete = group.iter().enumerate().all(|(n, p)| p.1 as usize == n);
        let extended = group.iter().any(|p| p.2);
        if complete {
            let mut value = String::new();
            if extended && !group[0].2 {
                value.push_str("''");
            }
            for p in group {
                if extended && !p.2 {
                    value.push_str(&p.3.replace('%', "%25"));
                } else {
                    value.push_str(&p.3);
                }
            }
            let key = if extended {
                format!("{}*", group[0].0)
            } else {
                group[0].0.clone()
            };
            plain.push((key, value));
        } else {
            for p in group {
                let key = if p.2 {
                    format!("{}*{}*", p.0, p.1)
                } else {
                    format!("{}*{}", p.0, p.1)
                };
                plain.push((key, p.3.clone()));
            }
        }
        i = j;
    }
    plain
}
