//! FETCH: the attributes a client asks for (RFC 9051 §6.4.5) and the items a
//! server answers with (§7.5.2), with BINARY (RFC 3516) and CONDSTORE's
//! MODSEQ (RFC 7162 §3.1.4).

use super::body::{BodyStructure, Envelope};
use super::core::{AString, IntoStatic, Literal, NString, into_static_struct};
use super::datetime::DateTime;
use super::flag::Flag;

/// What part of a message a `BODY[...]` names (RFC 9051 §6.4.5).
///
/// ```text
/// section         = "[" [section-spec] "]"
/// section-spec    = section-msgtext / (section-part ["." section-text])
/// section-part    = nz-number *("." nz-number)
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
/// section-text    = section-msgtext / "MIME"
/// header-list     = "(" header-fld-name *(SP header-fld-name) ")"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Section<'a> {
    /// The part numbers, `1.2.3`; empty for the whole message.
    pub part: Vec<u32>,
    /// What of that part.
    pub text: Option<SectionText<'a>>,
}

/// The text specifier of a [`Section`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SectionText<'a> {
    /// `HEADER`.
    Header,
    /// `HEADER.FIELDS (...)`.
    HeaderFields(Vec<AString<'a>>),
    /// `HEADER.FIELDS.NOT (...)`.
    HeaderFieldsNot(Vec<AString<'a>>),
    /// `TEXT`.
    Text,
    /// `MIME` (only after a part number).
    Mime,
}

/// `<origin.length>` of a partial fetch.
///
/// ```text
/// partial         = "<" number64 "." nz-number64 ">"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Partial {
    /// The first octet, from 0.
    pub origin: u64,
    /// How many octets, at least 1.
    pub length: u64,
}

/// One attribute a FETCH command asks for.
///
/// ```text
/// fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" /
///                   "RFC822.SIZE" / "BODY" ["STRUCTURE"] / "UID" /
///                   "BODY" section [partial] / "BODY.PEEK" section [partial] /
///                   "BINARY" [".PEEK"] section-binary [partial] /
///                   "BINARY.SIZE" section-binary
/// fetch-att       =/ "RFC822" / "RFC822.HEADER" / "RFC822.TEXT"   ; RFC 3501
/// fetch-att       =/ "MODSEQ"                                   ; RFC 7162
/// section-binary  = "[" [section-part] "]"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchAttr<'a> {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `RFC822` (RFC 3501): `BODY[]`.
    Rfc822,
    /// `RFC822.HEADER` (RFC 3501): `BODY.PEEK[HEADER]`.
    Rfc822Header,
    /// `RFC822.TEXT` (RFC 3501): `BODY[TEXT]`.
    Rfc822Text,
    /// `BODY`: the structure without extension data.
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `BODY[section]<partial>` or, with `peek`, `BODY.PEEK[...]`.
    BodySection {
        /// Whether `\Seen` is left alone (`BODY.PEEK`).
        peek: bool,
        /// Which part.
        section: Section<'a>,
        /// Which octets.
        partial: Option<Partial>,
    },
    /// `BINARY[part]<partial>` or `BINARY.PEEK[...]` (RFC 3516 §4.1).
    Binary {
        /// Whether `\Seen` is left alone.
        peek: bool,
        /// The part numbers.
        part: Vec<u32>,
        /// Which octets.
        partial: Option<Partial>,
    },
    /// `BINARY.SIZE[part]` (RFC 3516 §4.2).
    BinarySize {
        /// The part numbers.
        part: Vec<u32>,
    },
    /// `MODSEQ` (RFC 7162 §3.1.4.1).
    ModSeq,
}

/// The attributes of a FETCH command: a macro, one attribute, or a list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchAttrs<'a> {
    /// `ALL`: `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`.
    All,
    /// `FAST`: `(FLAGS INTERNALDATE RFC822.SIZE)`.
    Fast,
    /// `FULL`: `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)`.
    Full,
    /// One attribute, without parentheses.
    Single(FetchAttr<'a>),
    /// A parenthesised list, at least one.
    List(Vec<FetchAttr<'a>>),
}

impl<'a> FetchAttrs<'a> {
    /// The attributes, with the macros expanded as RFC 9051 §6.4.5 defines them.
    pub fn expand(&self) -> Vec<FetchAttr<'a>> {
        use FetchAttr::*;
        match self {
            Self::All => vec![Flags, InternalDate, Rfc822Size, Envelope],
            Self::Fast => vec![Flags, InternalDate, Rfc822Size],
            Self::Full => vec![Flags, InternalDate, Rfc822Size, Envelope, Body],
            Self::Single(a) => vec![a.clone()],
            Self::List(v) => v.clone(),
        }
    }
}

/// A FETCH modifier (RFC 4466 §2.4, RFC 7162 §3.1.4 and §3.2.6).
///
/// ```text
/// fetch-modifier  = "CHANGEDSINCE" SP mod-sequence-valzer / "VANISHED"
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchModifier {
    /// `CHANGEDSINCE n`.
    ChangedSince(u64),
    /// `VANISHED` (with UID FETCH and CHANGEDSINCE).
    Vanished,
}

/// One item of a FETCH response (RFC 9051 §7.5.2).
///
/// ```text
/// msg-att-static  = "ENVELOPE" SP envelope /
///                   "INTERNALDATE" SP date-time /
///                   "RFC822.SIZE" SP number64 /
///                   "BODY" ["STRUCTURE"] SP body /
///                   "BODY" section ["<" number ">"] SP nstring /
///                   "BINARY" section-binary SP (nstring / literal8) /
///                   "BINARY.SIZE" section-binary SP number /
///                   "UID" SP uniqueid
/// msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchItem<'a> {
    /// `FLAGS (...)`.
    Flags(Vec<Flag<'a>>),
    /// `ENVELOPE (...)`.
    Envelope(Box<Envelope<'a>>),
    /// `INTERNALDATE "..."`.
    InternalDate(DateTime),
    /// `RFC822.SIZE n`.
    Rfc822Size(u64),
    /// `RFC822 nstring` (RFC 3501).
    Rfc822(NString<'a>),
    /// `RFC822.HEADER nstring` (RFC 3501).
    Rfc822Header(NString<'a>),
    /// `RFC822.TEXT nstring` (RFC 3501).
    Rfc822Text(NString<'a>),
    /// `BODY (...)`: the structure without extension data.
    Body(BodyStructure<'a>),
    /// `BODYSTRUCTURE (...)`.
    BodyStructure(BodyStructure<'a>),
    /// `BODY[section]<origin> nstring`.
    BodySection {
        /// Which part.
        section: Section<'a>,
        /// The first octet of a partial fetch.
        origin: Option<u64>,
        /// The octets; a literal's are a slice of the input.
        data: NString<'a>,
    },
    /// `BINARY[part] nstring / literal8` (RFC 3516 §4.3).
    Binary {
        /// The part numbers.
        part: Vec<u32>,
        /// The decoded octets.
        data: NString<'a>,
    },
    /// `BINARY.SIZE[part] n` (RFC 3516 §4.3).
    BinarySize {
        /// The part numbers.
        part: Vec<u32>,
        /// The decoded size.
        size: u32,
    },
    /// `UID n`.
    Uid(u32),
    /// `MODSEQ (n)` (RFC 7162 §3.1.4.1).
    ModSeq(u64),
}

impl FetchItem<'_> {
    /// A literal body from the item, when it carries one.
    pub fn literal(&self) -> Option<&Literal> {
        match self {
            Self::Rfc822(Some(super::IString::Literal(l)))
            | Self::Rfc822Header(Some(super::IString::Literal(l)))
            | Self::Rfc822Text(Some(super::IString::Literal(l)))
            | Self::BodySection {
                data: Some(super::IString::Literal(l)),
                ..
            }
            | Self::Binary {
                data: Some(super::IString::Literal(l)),
                ..
            } => Some(&**l),
            _ => None,
        }
    }
}

/// A FETCH item whose value is a literal sent or read in pieces: the body
/// parts of RFC 9051 §7.5.2 (`BODY[section]<origin>`, `BINARY[part]`) and
/// RFC 3501's `RFC822`, `RFC822.HEADER` and `RFC822.TEXT`. A server streams
/// one with [`Server::fetch_body`](crate::server::Server::fetch_body); a
/// client hands one out as
/// [`Event::FetchBodyStarted`](crate::client::Event::FetchBodyStarted).
///
/// ```text
/// msg-att-static  =/ "BODY" section ["<" number ">"] SP nstring /
///                    "BINARY" section-binary SP (nstring / literal8)
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyItem<'a> {
    /// `BODY[section]<origin>`.
    Section {
        /// Which part.
        section: Section<'a>,
        /// The first octet of a partial fetch.
        origin: Option<u64>,
    },
    /// `BINARY[part]` (RFC 3516 §4.3), always written as a `literal8`.
    Binary {
        /// The part numbers.
        part: Vec<u32>,
    },
    /// `RFC822` (RFC 3501).
    Rfc822,
    /// `RFC822.HEADER` (RFC 3501).
    Rfc822Header,
    /// `RFC822.TEXT` (RFC 3501).
    Rfc822Text,
}

impl<'a> BodyItem<'a> {
    /// The item of a FETCH response item that carries a body, and its value.
    pub fn of(item: FetchItem<'a>) -> Option<(Self, NString<'a>)> {
        Some(match item {
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => (Self::Section { section, origin }, data),
            FetchItem::Binary { part, data } => (Self::Binary { part }, data),
            FetchItem::Rfc822(data) => (Self::Rfc822, data),
            FetchItem::Rfc822Header(data) => (Self::Rfc822Header, data),
            FetchItem::Rfc822Text(data) => (Self::Rfc822Text, data),
            _ => return None,
        })
    }
}

impl IntoStatic for BodyItem<'_> {
    type Static = BodyItem<'static>;
    fn into_static(self) -> BodyItem<'static> {
        match self {
            Self::Section { section, origin } => BodyItem::Section {
                section: section.into_static(),
                origin,
            },
            Self::Binary { part } => BodyItem::Binary { part },
            Self::Rfc822 => BodyItem::Rfc822,
            Self::Rfc822Header => BodyItem::Rfc822Header,
            Self::Rfc822Text => BodyItem::Rfc822Text,
        }
    }
}

into_static_struct!(Section { part, text });

impl IntoStatic for Partial {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for FetchModifier {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for SectionText<'_> {
    type Static = SectionText<'static>;
    fn into_static(self) -> SectionText<'static> {
        match self {
            Self::Header => SectionText::Header,
            Self::HeaderFields(v) => SectionText::HeaderFields(v.into_static()),
            Self::HeaderFieldsNot(v) => SectionText::HeaderFieldsNot(v.into_static()),
            Self::Text => SectionText::Text,
            Self::Mime => SectionText::Mime,
        }
    }
}

impl IntoStatic for FetchAttr<'_> {
    type Static = FetchAttr<'static>;
    fn into_static(self) -> FetchAttr<'static> {
        use FetchAttr as F;
        match self {
            Self::Envelope => F::Envelope,
            Self::Flags => F::Flags,
            Self::InternalDate => F::InternalDate,
            Self::Rfc822Size => F::Rfc822Size,
            Self::Rfc822 => F::Rfc822,
            Self::Rfc822Header => F::Rfc822Header,
            Self::Rfc822Text => F::Rfc822Text,
            Self::Body => F::Body,
            Self::BodyStructure => F::BodyStructure,
            Self::Uid => F::Uid,
            Self::BodySection {
                peek,
                section,
                partial,
            } => F::BodySection {
                peek,
                section: section.into_static(),
                partial,
            },
            Self::Binary {
                peek,
                part,
                partial,
            } => F::Binary {
                peek,
                part,
                partial,
            },
            Self::BinarySize { part } => F::BinarySize { part },
            Self::ModSeq => F::ModSeq,
        }
    }
}

impl IntoStatic for FetchAttrs<'_> {
    type Static = FetchAttrs<'static>;
    fn into_static(self) -> FetchAttrs<'static> {
        match self {
            Self::All => FetchAttrs::All,
            Self::Fast => FetchAttrs::Fast,
            Self::Full => FetchAttrs::Full,
            Self::Single(a) => FetchAttrs::Single(a.into_static()),
            Self::List(v) => FetchAttrs::List(v.into_static()),
        }
    }
}

impl IntoStatic for FetchItem<'_> {
    type Static = FetchItem<'static>;
    fn into_static(self) -> FetchItem<'static> {
        use FetchItem as F;
        match self {
            Self::Flags(v) => F::Flags(v.into_static()),
            Self::Envelope(e) => F::Envelope(e.into_static()),
            Self::InternalDate(d) => F::InternalDate(d),
            Self::Rfc822Size(n) => F::Rfc822Size(n),
            Self::Rfc822(s) => F::Rfc822(s.into_static()),
            Self::Rfc822Header(s) => F::Rfc822Header(s.into_static()),
            Self::Rfc822Text(s) => F::Rfc822Text(s.into_static()),
            Self::Body(b) => F::Body(b.into_static()),
            Self::BodyStructure(b) => F::BodyStructure(b.into_static()),
            Self::BodySection {
                section,
                origin,
                data,
            } => F::BodySection {
                section: section.into_static(),
                origin,
                data: data.into_static(),
            },
            Self::Binary { part, data } => F::Binary {
                part,
                data: data.into_static(),
            },
            Self::BinarySize { part, size } => F::BinarySize { part, size },
            Self::Uid(n) => F::Uid(n),
            Self::ModSeq(n) => F::ModSeq(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macros_expand_as_the_rfc_says() {
        assert_eq!(
            FetchAttrs::Fast.expand(),
            vec![
                FetchAttr::Flags,
                FetchAttr::InternalDate,
                FetchAttr::Rfc822Size
            ]
        );
        assert_eq!(FetchAttrs::All.expand().len(), 4);
        assert_eq!(FetchAttrs::Full.expand().last(), Some(&FetchAttr::Body));
    }
}
