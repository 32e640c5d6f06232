//! FETCH: the items of one message, in imap-proto types, in the order the
//! client asked for them (RFC 9051 §6.4.5 and §7.5.2, RFC 3501 §6.4.5,
//! RFC 3516 BINARY, RFC 7162 MODSEQ).
//!
//! The session expands the macros (`FetchAttrs::expand`), asks [`plan`]
//! whether the message's bytes are needed (FLAGS, UID, INTERNALDATE,
//! RFC822.SIZE and MODSEQ come from [`MessageMeta`] alone), reads them
//! from the store if so, and calls [`fetch`]. Each [`Answer`] is either an
//! item to write with `Server::fetch_items`, or a body to stream: announce
//! its size with `Server::fetch_body`, then hand the [`Bytes`] over with
//! `Server::body_chunk`. Bodies are slices of the stored message wherever
//! the octets exist there (`[]`, `HEADER`, `TEXT`, part bodies, `MIME`,
//! partials); only `HEADER.FIELDS` subsets and BINARY decodes allocate.
//!
//! Semantics are Dovecot's, recorded from Dovecot 2.3 in
//! `tests/dovecot_imap/transcript.bin` and replayed in `dovecot_tests.rs`:
//!
//! - a part that does not exist, and `HEADER`/`TEXT` of a part that is not
//!   a message/rfc822, are the empty string (`BODY[5] {0}`), not `NIL`:
//!   RFC 9051 does not say; Dovecot answers so;
//! - a partial whose origin is past the end is the empty string, labelled
//!   with its origin (RFC 9051 §6.4.5: "If the starting octet is beyond the
//!   end of the text, an empty string is returned");
//! - `HEADER.FIELDS` names are echoed in upper case (`BODY[HEADER.FIELDS
//!   (SUBJECT)]` for `(subject)`), as Dovecot writes them;
//! - BINARY of a part whose Content-Transfer-Encoding is not 7bit, 8bit,
//!   binary, base64 or quoted-printable is [`FetchError::UnknownCte`], which
//!   the session answers `NO [UNKNOWN-CTE]` (RFC 3516 §4.3).

use bytes::Bytes;
use imap_proto::Mode;
use imap_proto::mime;
use imap_proto::types::{
    AString, BodyItem, BodyStructure, Date, DateTime, FetchAttr, FetchItem, Flag, IString, Partial,
    Section, SectionText, SinglePart, Specific,
};
use mailbox_traits::{InternalDate, MessageMeta};

use super::headers;
use super::message::Parsed;

/// How the session presents messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FetchOptions {
    /// Whether FLAGS shows `\Recent` (IMAP4rev1; RFC 9051 has no
    /// `\Recent`).
    pub(crate) recent: bool,
}

/// What answering a list of attributes takes, known before reading
/// anything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Whether any attribute needs the message's bytes (everything but
    /// FLAGS, UID, INTERNALDATE, RFC822.SIZE and MODSEQ).
    pub(crate) needs_bytes: bool,
    /// Whether a body is fetched without PEEK, which sets `\Seen` (RFC 3501
    /// §6.4.5; RFC822 and RFC822.TEXT too, RFC822.HEADER does not).
    pub(crate) sets_seen: bool,
}

/// What the attributes `attrs` need.
pub(crate) fn plan(attrs: &[FetchAttr<'_>]) -> Plan {
    let mut plan = Plan::default();
    for a in attrs {
        let (bytes, seen) = match a {
            FetchAttr::Flags
            | FetchAttr::Uid
            | FetchAttr::InternalDate
            | FetchAttr::Rfc822Size
            | FetchAttr::ModSeq => (false, false),
            FetchAttr::Rfc822 | FetchAttr::Rfc822Text => (true, true),
            FetchAttr::BodySection { peek, .. } | FetchAttr::Binary { peek, .. } => (true, !peek),
            _ => (true, false),
        };
        plan.needs_bytes |= bytes;
        plan.sets_seen |= seen;
    }
    plan
}

/// One item of the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Answer<'a> {
    /// An item written whole with `Server::fetch_items`.
    Item(FetchItem<'a>),
    /// A body item: its label, and its octets to stream after announcing
    /// their count (`Server::fetch_body`, then `Server::body_chunk`).
    Body(BodyItem<'a>, Bytes),
}

impl<'a> Answer<'a> {
    /// The answer as one [`FetchItem`], the body as a literal (a BINARY
    /// `literal8`): for a session that writes small bodies whole, and for
    /// tests. A NUL in a non-BINARY body becomes 0x80, as
    /// `Server::body_chunk` and Dovecot write it.
    #[cfg(test)]
    pub(crate) fn into_item(self) -> FetchItem<'a> {
        let (item, data) = match self {
            Self::Item(item) => return item,
            Self::Body(item, data) => (item, data),
        };
        let text = |data: Bytes| {
            let data = if memchr::memchr(0, &data).is_some() {
                let v: Vec<u8> = data
                    .iter()
                    .map(|&b| if b == 0 { 0x80 } else { b })
                    .collect();
                Bytes::from(v)
            } else {
                data
            };
            // No NUL is left, so the literal is valid.
            Some(IString::from(
                imap_proto::types::Literal::new(data)
                    .unwrap_or_else(|_| imap_proto::types::Literal::binary(Bytes::new())),
            ))
        };
        match item {
            BodyItem::Section { section, origin } => FetchItem::BodySection {
                section,
                origin,
                data: text(data),
            },
            BodyItem::Binary { part } => FetchItem::Binary {
                part,
                data: Some(IString::from(imap_proto::types::Literal::binary(data))),
            },
            BodyItem::Rfc822Header => FetchItem::Rfc822Header(text(data)),
            BodyItem::Rfc822Text => FetchItem::Rfc822Text(text(data)),
            _ => FetchItem::Rfc822(text(data)),
        }
    }
}

/// The answer to FETCH for one message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fetched<'a> {
    /// The items, in the order asked; an attribute asked twice is answered
    /// once.
    pub(crate) answers: Vec<Answer<'a>>,
    /// Whether a body was fetched without PEEK: the session sets `\Seen`
    /// and, if the flags changed, adds FLAGS to the response (RFC 3501
    /// §6.4.5).
    pub(crate) sets_seen: bool,
}

/// Why a message's FETCH cannot be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FetchError {
    /// An attribute needs the message's bytes and none were given (see
    /// [`plan`]).
    #[error("the message's bytes are needed")]
    NeedsBytes,
    /// BINARY of a part in a Content-Transfer-Encoding this server cannot
    /// decode: answer `NO [UNKNOWN-CTE]` (RFC 3516 §4.3).
    #[error("unknown Content-Transfer-Encoding")]
    UnknownCte,
    /// BINARY of a part whose base64 or quoted-printable is broken: answer
    /// `NO` (Dovecot fails the FETCH too).
    #[error("the part's encoding is broken")]
    Undecodable,
}

/// Answers the attributes `attrs` (macros expanded) for the message `meta`,
/// whose bytes are `raw` when [`plan`] says they are needed. The message
/// is parsed at most once, and only for items that need its structure
/// (part numbers, BINARY); ENVELOPE, BODY and BODYSTRUCTURE come from
/// [`imap_proto::mime`].
pub(crate) fn fetch<'a>(
    attrs: &[FetchAttr<'a>],
    meta: &MessageMeta,
    raw: Option<&Bytes>,
    options: FetchOptions,
) -> Result<Fetched<'a>, FetchError> {
    let mut out = Fetched::default();
    let mut parsed: Option<Parsed<'_>> = None;
    for (i, attr) in attrs.iter().enumerate() {
        if attrs[..i].contains(attr) {
            continue;
        }
        let item = match attr {
            FetchAttr::Flags => FetchItem::Flags(flags(meta, options)),
            FetchAttr::Uid => FetchItem::Uid(meta.uid.get()),
            FetchAttr::InternalDate => match internal_date(meta.internal_date) {
                Some(d) => FetchItem::InternalDate(d),
                None => continue,
            },
            FetchAttr::Rfc822Size => FetchItem::Rfc822Size(meta.size),
            FetchAttr::ModSeq => FetchItem::ModSeq(meta.modseq.get()),
            attr => {
                let raw = raw.ok_or(FetchError::NeedsBytes)?;
                out.sets_seen |= plan(std::slice::from_ref(attr)).sets_seen;
                match from_bytes(attr, raw, &mut parsed)? {
                    Answer::Item(item) => item,
                    body => {
                        out.answers.push(body);
                        continue;
                    }
                }
            }
        };
        out.answers.push(Answer::Item(item));
    }
    Ok(out)
}

/// An attribute that reads the message.
fn from_bytes<'a, 'm>(
    attr: &FetchAttr<'a>,
    raw: &'m Bytes,
    parsed: &mut Option<Parsed<'m>>,
) -> Result<Answer<'a>, FetchError> {
    let header_end = || headers::body_offset(raw);
    Ok(match attr {
        FetchAttr::Envelope => {
            let envelope = mime::envelope(raw).unwrap_or_default();
            Answer::Item(FetchItem::Envelope(Box::new(envelope)))
        }
        FetchAttr::Body => Answer::Item(FetchItem::Body(structure(raw, false))),
        FetchAttr::BodyStructure => Answer::Item(FetchItem::BodyStructure(structure(raw, true))),
        FetchAttr::Rfc822 => Answer::Body(BodyItem::Rfc822, raw.clone()),
        FetchAttr::Rfc822Header => Answer::Body(BodyItem::Rfc822Header, raw.slice(..header_end())),
        FetchAttr::Rfc822Text => Answer::Body(BodyItem::Rfc822Text, raw.slice(header_end()..)),
        FetchAttr::BodySection {
            section, partial, ..
        } => {
            let data = section_data(section, raw, parsed);
            let item = BodyItem::Section {
                section: label(section),
                origin: partial.map(|p| p.origin),
            };
            Answer::Body(item, cut(data, *partial))
        }
        FetchAttr::Binary { part, partial, .. } => {
            let data = super::binary::decode(part, raw, parsed)?;
            Answer::Body(BodyItem::Binary { part: part.clone() }, cut(data, *partial))
        }
        FetchAttr::BinarySize { part } => {
            let size = super::binary::decode(part, raw, parsed)?.len();
            Answer::Item(FetchItem::BinarySize {
                part: part.clone(),
                size: u32::try_from(size).unwrap_or(u32::MAX),
            })
        }
        // The five items of `fetch` itself, and any later addition.
        _ => return Err(FetchError::NeedsBytes),
    })
}

/// The octets of `BODY[section]` (RFC 9051 §6.4.5.1).
fn section_data<'m>(
    section: &Section<'_>,
    raw: &'m Bytes,
    parsed: &mut Option<Parsed<'m>>,
) -> Bytes {
    let names =
        |v: &[AString<'_>]| -> Vec<Vec<u8>> { v.iter().map(|n| n.as_bytes().to_vec()).collect() };
    if section.part.is_empty() {
        let split = headers::body_offset(raw);
        let header = &raw[..split];
        return match &section.text {
            None => raw.clone(),
            Some(SectionText::Header) => raw.slice(..split),
            Some(SectionText::Text) => raw.slice(split..),
            Some(SectionText::HeaderFields(v)) => headers::subset(header, &refs(&names(v))),
            Some(SectionText::HeaderFieldsNot(v)) => headers::subset_not(header, &refs(&names(v))),
            // `MIME` needs a part number (the grammar says so); nothing.
            Some(_) => Bytes::new(),
        };
    }
    let parsed = parsed.get_or_insert_with(|| Parsed::new(raw));
    let Some(part) = parsed.part(&section.part) else {
        return Bytes::new();
    };
    match &section.text {
        None => parsed.bytes(part.body()),
        Some(SectionText::Mime) => parsed.bytes(part.mime_header()),
        Some(text) => {
            let Some((header, body)) = part.enclosed() else {
                return Bytes::new();
            };
            match text {
                SectionText::Header => parsed.bytes(header),
                SectionText::Text => parsed.bytes(body),
                SectionText::HeaderFields(v) => headers::subset(header, &refs(&names(v))),
                SectionText::HeaderFieldsNot(v) => headers::subset_not(header, &refs(&names(v))),
                _ => Bytes::new(),
            }
        }
    }
}

fn refs(v: &[Vec<u8>]) -> Vec<&[u8]> {
    v.iter().map(Vec::as_slice).collect()
}

/// The section as the response names it: header field names in upper
/// case, as Dovecot echoes them.
fn label<'a>(section: &Section<'a>) -> Section<'a> {
    let upper = |v: &[AString<'a>]| -> Vec<AString<'a>> {
        v.iter()
            .map(|n| AString::from_bytes(n.as_bytes().to_ascii_uppercase(), Mode::Imap4rev1))
            .collect()
    };
    let text = match &section.text {
        Some(SectionText::HeaderFields(v)) => Some(SectionText::HeaderFields(upper(v))),
        Some(SectionText::HeaderFieldsNot(v)) => Some(SectionText::HeaderFieldsNot(upper(v))),
        other => other.clone(),
    };
    Section {
        part: section.part.clone(),
        text,
    }
}

/// `<origin.length>` of `data` (RFC 9051 §6.4.5): cut to the octets that
/// exist; an origin past the end gives the empty string.
fn cut(data: Bytes, partial: Option<Partial>) -> Bytes {
    let Some(p) = partial else { return data };
    let len = data.len() as u64;
    let start = p.origin.min(len);
    let end = p.origin.saturating_add(p.length).min(len);
    // Both are at most `len`, a `usize`.
    data.slice(start as usize..end as usize)
}

/// BODY or BODYSTRUCTURE; a message `mail-parser` cannot read (no header
/// at all) is Dovecot's empty text/plain part (`EMPTY_BODYSTRUCTURE`).
fn structure(raw: &[u8], extensible: bool) -> BodyStructure<'static> {
    mime::body_structure(raw, extensible)
        .or_else(|| mime::body_structure(b"MIME-Version: 1.0\r\n\r\n", extensible))
        .unwrap_or_else(|| {
            let s = |v: &'static str| IString::from_bytes(v.as_bytes(), Mode::Imap4rev1);
            BodyStructure::Single {
                part: Box::new(SinglePart {
                    media_type: s("text"),
                    subtype: s("plain"),
                    params: vec![(s("charset"), s("us-ascii"))],
                    id: None,
                    description: None,
                    encoding: s("7bit"),
                    octets: 0,
                    specific: Specific::Text { lines: 0 },
                }),
                ext: None,
            }
        })
}

/// FLAGS in Dovecot's order: `\Answered \Flagged \Deleted \Seen \Draft`,
/// then `\Recent`, then the keywords.
fn flags(meta: &MessageMeta, options: FetchOptions) -> Vec<Flag<'static>> {
    use mailbox_traits::Flag as F;
    let mut v = Vec::with_capacity(meta.flags.len() + 1);
    for (flag, wire) in [
        (F::Answered, Flag::Answered),
        (F::Flagged, Flag::Flagged),
        (F::Deleted, Flag::Deleted),
        (F::Seen, Flag::Seen),
        (F::Draft, Flag::Draft),
    ] {
        if meta.flags.contains(&flag) {
            v.push(wire);
        }
    }
    if options.recent && meta.recent {
        v.push(Flag::Recent);
    }
    // A stored keyword is an atom already (mailbox-traits checks it).
    v.extend(
        meta.flags
            .keywords()
            .iter()
            .filter_map(|k| Flag::keyword(k.as_str().to_owned()).ok()),
    );
    v
}

/// INTERNALDATE in the date's own zone (RFC 9051 §2.3.3); `None` only for
/// a date outside what an [`InternalDate`] can hold.
pub(crate) fn internal_date(d: InternalDate) -> Option<DateTime> {
    let in_zone = |d: InternalDate| {
        let c = d.civil();
        let date = Date::new(u16::try_from(c.year).ok()?, c.month, c.day).ok()?;
        DateTime::new(date, c.hour, c.minute, c.second, d.offset_minutes()).ok()
    };
    // Near year 1 or 9999 a zone can push the civil date out of the
    // four-digit range: then UTC, which the store keeps within it.
    in_zone(d).or_else(|| d.with_offset(0).ok().and_then(in_zone))
}
