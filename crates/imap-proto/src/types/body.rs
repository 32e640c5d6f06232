//! ENVELOPE and BODYSTRUCTURE (RFC 9051 §7.5.2, RFC 3501 §7.4.2).

use super::core::{IString, IntoStatic, NString, into_static_struct};

/// The envelope of a message: its RFC 5322 header fields, parsed by the
/// server (RFC 9051 §7.5.2).
///
/// ```text
/// envelope        = "(" env-date SP env-subject SP env-from SP
///                   env-sender SP env-reply-to SP env-to SP env-cc SP
///                   env-bcc SP env-in-reply-to SP env-message-id ")"
/// env-from        = "(" 1*address ")" / nil        ; and the other lists
/// ```
///
/// The six address lists share one vector (one allocation per envelope);
/// read them with [`from`](Self::from) and the other getters. An empty list
/// is written `NIL`.
///
/// ```
/// use imap_proto::types::{Address, Envelope};
/// let a = Address::default();
/// let e = Envelope::new(None, None, [vec![a.clone()], vec![], vec![], vec![a.clone(), a], vec![], vec![]], None, None);
/// assert_eq!((e.from().len(), e.to().len(), e.cc().len()), (1, 2, 0));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Envelope<'a> {
    /// `Date:`.
    pub date: NString<'a>,
    /// `Subject:`.
    pub subject: NString<'a>,
    /// From, Sender, Reply-To, To, Cc and Bcc, one after the other.
    addresses: Vec<Address<'a>>,
    /// Where each of the six lists ends in `addresses`.
    ends: [u32; 6],
    /// `In-Reply-To:`.
    pub in_reply_to: NString<'a>,
    /// `Message-ID:`.
    pub message_id: NString<'a>,
}

impl<'a> Envelope<'a> {
    /// An envelope from its fields; `lists` are From, Sender, Reply-To, To,
    /// Cc and Bcc.
    pub fn new(
        date: NString<'a>,
        subject: NString<'a>,
        lists: [Vec<Address<'a>>; 6],
        in_reply_to: NString<'a>,
        message_id: NString<'a>,
    ) -> Self {
        let mut addresses = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        let mut ends = [0u32; 6];
        for (i, list) in lists.into_iter().enumerate() {
            addresses.extend(list);
            ends[i] = addresses.len() as u32;
        }
        Self {
            date,
            subject,
            addresses,
            ends,
            in_reply_to,
            message_id,
        }
    }

    /// Builds an envelope while decoding: `push` then `end_list` six times.
    #[inline]
    pub(crate) fn push_address(&mut self, a: Address<'a>) {
        if self.addresses.capacity() == 0 {
            // Most envelopes hold a handful of addresses: one allocation.
            self.addresses.reserve(8);
        }
        self.addresses.push(a);
    }

    pub(crate) fn end_list(&mut self, i: usize) {
        self.ends[i] = self.addresses.len() as u32;
    }

    fn list(&self, i: usize) -> &[Address<'a>] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.addresses
            .get(start..self.ends[i] as usize)
            .unwrap_or_default()
    }

    /// `From:`.
    pub fn from(&self) -> &[Address<'a>] {
        self.list(0)
    }

    /// `Sender:` (the server fills in `From:` when absent).
    pub fn sender(&self) -> &[Address<'a>] {
        self.list(1)
    }

    /// `Reply-To:` (the server fills in `From:` when absent).
    pub fn reply_to(&self) -> &[Address<'a>] {
        self.list(2)
    }

    /// `To:`.
    pub fn to(&self) -> &[Address<'a>] {
        self.list(3)
    }

    /// `Cc:`.
    pub fn cc(&self) -> &[Address<'a>] {
        self.list(4)
    }

    /// `Bcc:`.
    pub fn bcc(&self) -> &[Address<'a>] {
        self.list(5)
    }

    /// The six lists in wire order.
    pub fn lists(&self) -> [&[Address<'a>]; 6] {
        [
            self.list(0),
            self.list(1),
            self.list(2),
            self.list(3),
            self.list(4),
            self.list(5),
        ]
    }
}

/// One address of an envelope, or a group marker (RFC 9051 §7.5.2): a group
/// starts with a `NIL` host and the group name as mailbox, and ends with
/// `NIL` mailbox and host.
///
/// ```text
/// address         = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Address<'a> {
    /// The display name, RFC 2047 words kept as sent.
    pub name: NString<'a>,
    /// The source route (obsolete).
    pub adl: NString<'a>,
    /// The local part, or a group's name.
    pub mailbox: NString<'a>,
    /// The domain.
    pub host: NString<'a>,
}

/// A body structure (RFC 9051 §7.5.2): one part or a multipart.
///
/// ```text
/// body            = "(" (body-type-1part / body-type-mpart) ")"
/// body-type-1part = (body-type-basic / body-type-msg / body-type-text)
///                   [SP body-ext-1part]
/// body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyStructure<'a> {
    /// A single part.
    Single {
        /// Type, subtype and fields.
        part: Box<SinglePart<'a>>,
        /// Extension data (BODYSTRUCTURE only).
        ext: Option<Box<SinglePartExt<'a>>>,
    },
    /// A multipart.
    Multi {
        /// The parts, at least one.
        parts: Vec<Self>,
        /// The subtype (`MIXED`, `ALTERNATIVE`).
        subtype: IString<'a>,
        /// Extension data (BODYSTRUCTURE only).
        ext: Option<Box<MultipartExt<'a>>>,
    },
}

/// The fields of a single part.
///
/// ```text
/// body-type-basic = media-basic SP body-fields
/// body-type-msg   = media-message SP body-fields SP envelope
///                   SP body SP body-fld-lines
/// body-type-text  = media-text SP body-fields SP body-fld-lines
/// body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP
///                   body-fld-enc SP body-fld-octets
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SinglePart<'a> {
    /// The media type (`TEXT`, `IMAGE`, `MESSAGE`).
    pub media_type: IString<'a>,
    /// The subtype.
    pub subtype: IString<'a>,
    /// `body-fld-param`: attribute and value pairs; empty is `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
    /// `Content-ID`.
    pub id: NString<'a>,
    /// `Content-Description`.
    pub description: NString<'a>,
    /// `Content-Transfer-Encoding`.
    pub encoding: IString<'a>,
    /// Size in octets, as transferred.
    pub octets: u32,
    /// What the media type adds.
    pub specific: Specific<'a>,
}

/// The fields that depend on the media type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Specific<'a> {
    /// Any type but `TEXT/*` and `MESSAGE/RFC822` / `MESSAGE/GLOBAL`.
    Basic,
    /// `TEXT/*`: the size in lines.
    Text {
        /// Lines of the encoded body.
        lines: u64,
    },
    /// `MESSAGE/RFC822` or `MESSAGE/GLOBAL`: the enclosed message.
    Message {
        /// Its envelope.
        envelope: Box<Envelope<'a>>,
        /// Its structure.
        body: Box<BodyStructure<'a>>,
        /// Lines of the encoded body.
        lines: u64,
    },
}

/// `body-fld-dsp`: a `Content-Disposition` and its parameters.
///
/// ```text
/// body-fld-dsp    = "(" string SP body-fld-param ")" / nil
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Disposition<'a> {
    /// `inline`, `attachment`.
    pub kind: IString<'a>,
    /// Parameters; empty is `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
}

/// `body-fld-lang`: `Content-Language`.
///
/// ```text
/// body-fld-lang   = nstring / "(" string *(SP string) ")"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language<'a> {
    /// One tag, or `NIL`.
    Single(NString<'a>),
    /// A parenthesised list, at least one.
    List(Vec<IString<'a>>),
}

/// Extension data of a single part, each field present only if the one
/// before it is.
///
/// ```text
/// body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang
///                   [SP body-fld-loc *(SP body-extension)]]]
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SinglePartExt<'a> {
    /// `Content-MD5`.
    pub md5: NString<'a>,
    /// What follows.
    pub tail: Option<ExtTail<'a>>,
}

/// Extension data of a multipart.
///
/// ```text
/// body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang
///                   [SP body-fld-loc *(SP body-extension)]]]
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultipartExt<'a> {
    /// `Content-Type` parameters (the boundary among them); empty is `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
    /// What follows.
    pub tail: Option<ExtTail<'a>>,
}

/// The extension fields after md5 or the multipart parameters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExtTail<'a> {
    /// `body-fld-dsp`; `None` is `NIL`.
    pub disposition: Option<Disposition<'a>>,
    /// `[SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]`.
    pub language: Option<LanguageTail<'a>>,
}

/// The language and what follows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LanguageTail<'a> {
    /// `body-fld-lang`.
    pub language: Language<'a>,
    /// `[SP body-fld-loc *(SP body-extension)]`.
    pub location: Option<LocationTail<'a>>,
}

/// The location and future extensions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LocationTail<'a> {
    /// `body-fld-loc = nstring`: `Content-Location`.
    pub location: NString<'a>,
    /// Extensions a later RFC may define.
    pub extensions: Vec<BodyExtension<'a>>,
}

/// Future extension data (RFC 9051 §9).
///
/// ```text
/// body-extension  = nstring / number / number64 /
///                   "(" body-extension *(SP body-extension) ")"
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyExtension<'a> {
    /// A string or `NIL`.
    NString(NString<'a>),
    /// A number.
    Number(u64),
    /// A parenthesised list, at least one.
    List(Vec<Self>),
}

impl BodyStructure<'_> {
    /// How deep the structure nests: 1 for a single part.
    pub fn depth(&self) -> usize {
        match self {
            Self::Single { part, .. } => match &part.specific {
                Specific::Message { body, .. } => 1 + body.depth(),
                _ => 1,
            },
            Self::Multi { parts, .. } => {
                1 + parts.iter().map(BodyStructure::depth).max().unwrap_or(0)
            }
        }
    }
}

impl IntoStatic for Envelope<'_> {
    type Static = Envelope<'static>;
    fn into_static(self) -> Envelope<'static> {
        Envelope {
            date: self.date.into_static(),
            subject: self.subject.into_static(),
            addresses: self.addresses.into_static(),
            ends: self.ends,
            in_reply_to: self.in_reply_to.into_static(),
            message_id: self.message_id.into_static(),
        }
    }
}
into_static_struct!(Address {
    name,
    adl,
    mailbox,
    host
});
into_static_struct!(SinglePart {
    media_type,
    subtype,
    params,
    id,
    description,
    encoding,
    octets,
    specific
});
into_static_struct!(Disposition { kind, params });
into_static_struct!(SinglePartExt { md5, tail });
into_static_struct!(MultipartExt { params, tail });
into_static_struct!(ExtTail {
    disposition,
    language
});
into_static_struct!(LanguageTail { language, location });
into_static_struct!(LocationTail {
    location,
    extensions
});

impl IntoStatic for BodyStructure<'_> {
    type Static = BodyStructure<'static>;
    fn into_static(self) -> BodyStructure<'static> {
        match self {
            Self::Single { part, ext } => BodyStructure::Single {
                part: part.into_static(),
                ext: ext.into_static(),
            },
            Self::Multi {
                parts,
                subtype,
                ext,
            } => BodyStructure::Multi {
                parts: parts.into_static(),
                subtype: subtype.into_static(),
                ext: ext.into_static(),
            },
        }
    }
}

impl IntoStatic for Specific<'_> {
    type Static = Specific<'static>;
    fn into_static(self) -> Specific<'static> {
        match self {
            Self::Basic => Specific::Basic,
            Self::Text { lines } => Specific::Text { lines },
            Self::Message {
                envelope,
                body,
                lines,
            } => Specific::Message {
                envelope: envelope.into_static(),
                body: body.into_static(),
                lines,
            },
        }
    }
}

impl IntoStatic for Language<'_> {
    type Static = Language<'static>;
    fn into_static(self) -> Language<'static> {
        match self {
            Self::Single(s) => Language::Single(s.into_static()),
            Self::List(v) => Language::List(v.into_static()),
        }
    }
}

impl IntoStatic for BodyExtension<'_> {
    type Static = BodyExtension<'static>;
    fn into_static(self) -> BodyExtension<'static> {
        match self {
            Self::NString(s) => BodyExtension::NString(s.into_static()),
            Self::Number(n) => BodyExtension::Number(n),
            Self::List(v) => BodyExtension::List(v.into_static()),
        }
    }
}
