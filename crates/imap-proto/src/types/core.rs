//! The string types of RFC 9051 §4.3 and §9: atoms, quoted strings, literals
//! and the choices between them, kept as they were written so that decoding
//! and re-encoding gives back the same bytes.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

use super::chars;
use crate::Mode;
use crate::error::ValueError;

/// Turns a value that borrows its input into one that owns everything, for
/// values that must outlive the buffer they were decoded from (a state
/// machine's queue). Literal bodies are `Bytes` already and are not copied.
pub trait IntoStatic {
    /// The owned type.
    type Static: 'static;
    /// Copies what is borrowed.
    fn into_static(self) -> Self::Static;
}

macro_rules! static_identity {
    ($($t:ty),*) => {$(
        impl IntoStatic for $t {
            type Static = $t;
            fn into_static(self) -> $t { self }
        }
    )*};
}
static_identity!(u8, u32, u64, bool, Bytes);

impl IntoStatic for Cow<'_, str> {
    type Static = Cow<'static, str>;
    fn into_static(self) -> Cow<'static, str> {
        Cow::Owned(self.into_owned())
    }
}

impl IntoStatic for Cow<'_, [u8]> {
    type Static = Cow<'static, [u8]>;
    fn into_static(self) -> Cow<'static, [u8]> {
        Cow::Owned(self.into_owned())
    }
}

impl<T: IntoStatic> IntoStatic for Option<T> {
    type Static = Option<T::Static>;
    fn into_static(self) -> Self::Static {
        self.map(IntoStatic::into_static)
    }
}

impl<T: IntoStatic> IntoStatic for Vec<T> {
    type Static = Vec<T::Static>;
    fn into_static(self) -> Self::Static {
        self.into_iter().map(IntoStatic::into_static).collect()
    }
}

impl<T: IntoStatic> IntoStatic for Box<T> {
    type Static = Box<T::Static>;
    fn into_static(self) -> Self::Static {
        Box::new((*self).into_static())
    }
}

impl<A: IntoStatic, B: IntoStatic> IntoStatic for (A, B) {
    type Static = (A::Static, B::Static);
    fn into_static(self) -> Self::Static {
        (self.0.into_static(), self.1.into_static())
    }
}

/// Implements [`IntoStatic`] for a struct with one lifetime, field by field.
macro_rules! into_static_struct {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::types::IntoStatic for $ty<'_> {
            type Static = $ty<'static>;
            fn into_static(self) -> $ty<'static> {
                $ty { $($field: $crate::types::IntoStatic::into_static(self.$field)),* }
            }
        }
    };
}
pub(crate) use into_static_struct;

/// Implements [`IntoStatic`] for a newtype with one lifetime.
macro_rules! into_static_newtype {
    ($($ty:ident),*) => {$(
        impl $crate::types::IntoStatic for $ty<'_> {
            type Static = $ty<'static>;
            fn into_static(self) -> $ty<'static> {
                $ty($crate::types::IntoStatic::into_static(self.0))
            }
        }
    )*};
}
pub(crate) use into_static_newtype;

fn check(bytes: &[u8], ok: impl Fn(u8) -> bool) -> Result<(), ValueError> {
    if bytes.is_empty() {
        return Err(ValueError::Empty);
    }
    match bytes.iter().find(|&&b| !ok(b)) {
        Some(&b) => Err(ValueError::Octet(b)),
        None => Ok(()),
    }
}

fn ascii_str(bytes: &[u8]) -> &str {
    // Only called on bytes checked to be 7-bit.
    std::str::from_utf8(bytes).unwrap_or_default()
}

/// An atom (RFC 9051 §4.1): a keyword, a flag keyword, an extension name.
///
/// ```text
/// atom            = 1*ATOM-CHAR
/// ATOM-CHAR       = <any CHAR except atom-specials>
/// atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards /
///                   quoted-specials / resp-specials
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom<'a>(Cow<'a, str>);

impl<'a> Atom<'a> {
    /// Validates an atom.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check(s.as_bytes(), chars::is_atom_char)?;
        Ok(Self(s))
    }

    /// An atom the decoder has already checked.
    pub(crate) fn unchecked(bytes: &'a [u8]) -> Self {
        Self(Cow::Borrowed(ascii_str(bytes)))
    }

    /// The atom.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the atom is `name`, ignoring ASCII case as IMAP keywords do.
    pub fn is(&self, name: &str) -> bool {
        self.0.eq_ignore_ascii_case(name)
    }
}

impl Atom<'static> {
    /// An atom from a literal the crate knows to be valid.
    pub(crate) const fn from_static(s: &'static str) -> Self {
        Self(Cow::Borrowed(s))
    }
}

impl fmt::Display for Atom<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The atom form of an astring, which also allows `]` (RFC 9051 §9):
///
/// ```text
/// astring         = 1*ASTRING-CHAR / string
/// ASTRING-CHAR    = ATOM-CHAR / resp-specials
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AtomExt<'a>(Cow<'a, str>);

impl<'a> AtomExt<'a> {
    /// Validates the atom form of an astring.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check(s.as_bytes(), chars::is_astring_char)?;
        Ok(Self(s))
    }

    pub(crate) fn unchecked(bytes: &'a [u8]) -> Self {
        Self(Cow::Borrowed(ascii_str(bytes)))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A command tag (RFC 9051 §2.2.1): the client's name for a command, echoed
/// in its completion.
///
/// ```text
/// tag             = 1*<any ASTRING-CHAR except "+">
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag<'a>(Cow<'a, str>);

impl<'a> Tag<'a> {
    /// Validates a tag.
    ///
    /// ```
    /// use imap_proto::types::Tag;
    /// assert!(Tag::new("a001").is_ok());
    /// assert!(Tag::new("a+1").is_err());
    /// ```
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        check(s.as_bytes(), chars::is_tag_char)?;
        Ok(Self(s))
    }

    pub(crate) fn unchecked(bytes: &'a [u8]) -> Self {
        Self(Cow::Borrowed(ascii_str(bytes)))
    }

    /// The tag spelled as the decimal number `n`: always valid.
    pub(crate) fn number(n: u64) -> Tag<'static> {
        Tag(Cow::Owned(n.to_string()))
    }

    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Human-readable text at the end of a status response (RFC 9051 §7.1).
///
/// ```text
/// text            = 1*(TEXT-CHAR / UTF8-2 / UTF8-3 / UTF8-4)
/// TEXT-CHAR       = <any CHAR except CR and LF>
/// ```
///
/// RFC 9051 lets the text be empty (`resp-text = ["[" resp-text-code "]" SP]
/// [text]`); RFC 3501 does not (`text = 1*TEXT-CHAR`), so the encoder
/// refuses an empty text in IMAP4rev1 and UTF8=ACCEPT sessions. 8-bit text
/// must be UTF-8 and is refused in IMAP4rev1.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Validates text: no CR, LF or NUL; it must not start with `[`, which
    /// would read as a response code.
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, ValueError> {
        let s = s.into();
        if s.starts_with('[') {
            return Err(ValueError::Octet(b'['));
        }
        if let Some(b) = s.bytes().find(|&b| b < 0x80 && !chars::is_text_char(b)) {
            return Err(ValueError::Octet(b));
        }
        Ok(Self(s))
    }

    pub(crate) fn unchecked(s: &'a str) -> Self {
        Self(Cow::Borrowed(s))
    }

    pub(crate) fn from_cow(s: Cow<'a, str>) -> Self {
        Self(s)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The content of a quoted string (RFC 9051 §4.3), unescaped.
///
/// ```text
/// quoted          = DQUOTE *QUOTED-CHAR DQUOTE
/// QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> /
///                   "\" quoted-specials / UTF8-2 / UTF8-3 / UTF8-4
/// ```
///
/// Content without backslashes borrows the input. 8-bit content is UTF-8
/// and belongs to UTF8=ACCEPT and IMAP4rev2 sessions; the encoder writes a
/// literal instead where the mode does not allow it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quoted<'a>(Cow<'a, [u8]>);

impl<'a> Quoted<'a> {
    /// Validates the content of a quoted string: any octets but CR, LF and
    /// NUL, 8-bit ones forming UTF-8.
    pub fn new(s: impl Into<Cow<'a, [u8]>>) -> Result<Self, ValueError> {
        let s = s.into();
        if let Some(&b) = s.iter().find(|&&b| b < 0x80 && !chars::is_text_char(b)) {
            return Err(ValueError::Octet(b));
        }
        if !s.is_ascii() && std::str::from_utf8(&s).is_err() {
            return Err(ValueError::NotUtf8);
        }
        Ok(Self(s))
    }

    pub(crate) fn unchecked(s: Cow<'a, [u8]>) -> Self {
        Self(s)
    }

    /// The content, unescaped.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A literal (RFC 9051 §4.3, RFC 7888, RFC 3516): an octet count and that
/// many octets. The data is a `Bytes` slice of the decoded input: decoding a
/// literal copies nothing.
///
/// ```text
/// literal         = "{" number64 ["+"] "}" CRLF *CHAR8
/// literal8        = "~{" number64 ["+"] "}" CRLF *OCTET
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    data: Bytes,
    binary: bool,
    non_sync: bool,
}

impl Literal {
    /// A synchronizing literal `{n}`: any octets but NUL (RFC 9051 `CHAR8`).
    pub fn new(data: impl Into<Bytes>) -> Result<Self, ValueError> {
        let data = data.into();
        if memchr::memchr(0, &data).is_some() {
            return Err(ValueError::Octet(0));
        }
        Ok(Self {
            data,
            binary: false,
            non_sync: false,
        })
    }

    /// A `literal8` `~{n}` of any octets, NUL included (RFC 3516 BINARY).
    pub fn binary(data: impl Into<Bytes>) -> Self {
        Self {
            data: data.into(),
            binary: true,
            non_sync: false,
        }
    }

    pub(crate) fn decoded(data: Bytes, binary: bool, non_sync: bool) -> Self {
        Self {
            data,
            binary,
            non_sync,
        }
    }

    /// The same literal written non-synchronizing, `{n+}` (RFC 7888 LITERAL+).
    pub fn non_sync(self) -> Self {
        Self {
            non_sync: true,
            ..self
        }
    }

    /// The octets.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// The octets, by value.
    pub fn into_data(self) -> Bytes {
        self.data
    }

    /// Whether this is a `literal8` (`~{n}`).
    pub fn is_binary(&self) -> bool {
        self.binary
    }

    /// Whether this is a non-synchronizing literal (`{n+}`).
    pub fn is_non_sync(&self) -> bool {
        self.non_sync
    }
}

/// A string: quoted or literal (RFC 9051 §4.3).
///
/// ```text
/// string          = quoted / literal
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IString<'a> {
    /// `"..."`.
    Quoted(Quoted<'a>),
    /// `{n}` CRLF and n octets; boxed so that the common quoted form keeps
    /// strings, addresses and envelopes small.
    Literal(Box<Literal>),
}

impl From<Literal> for IString<'_> {
    fn from(l: Literal) -> Self {
        Self::Literal(Box::new(l))
    }
}

impl<'a> IString<'a> {
    /// The shortest form for `bytes` in `mode`: quoted if it can be, a literal
    /// otherwise (CR, LF, NUL, more than 1000 octets, or 8-bit data outside
    /// UTF-8 mode). NUL makes a `literal8`, which only APPEND data and BINARY
    /// items can carry (RFC 3516 §4): the encoder refuses it anywhere else.
    ///
    /// ```
    /// use imap_proto::{Mode, types::IString};
    /// assert!(matches!(IString::from_bytes("fred smith".as_bytes(), Mode::Imap4rev1), IString::Quoted(_)));
    /// assert!(matches!(IString::from_bytes("a\r\nb".as_bytes(), Mode::Imap4rev1), IString::Literal(_)));
    /// ```
    pub fn from_bytes(bytes: impl Into<Cow<'a, [u8]>>, mode: Mode) -> Self {
        let bytes = bytes.into();
        if bytes.len() <= 1000 && quotable(&bytes, mode) {
            return Self::Quoted(Quoted(bytes));
        }
        let data = Bytes::from(bytes.into_owned());
        match Literal::new(data.clone()) {
            Ok(l) => l.into(),
            Err(_) => Literal::binary(data).into(),
        }
    }

    /// The octets, unescaped.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Quoted(q) => q.as_bytes(),
            Self::Literal(l) => l.data(),
        }
    }

    /// The octets as UTF-8 text, if they are.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.as_bytes()).ok()
    }
}

/// Whether `bytes` can be written as a quoted string in `mode`.
pub(crate) fn quotable(bytes: &[u8], mode: Mode) -> bool {
    if bytes.is_ascii() {
        bytes.iter().all(|&b| chars::is_text_char(b))
    } else {
        mode.utf8()
            && bytes.iter().all(|&b| b >= 0x80 || chars::is_text_char(b))
            && std::str::from_utf8(bytes).is_ok()
    }
}

/// An astring (RFC 9051 §9): an atom (with `]`) or a string.
///
/// ```text
/// astring         = 1*ASTRING-CHAR / string
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AString<'a> {
    /// The atom form.
    Atom(AtomExt<'a>),
    /// A quoted string or a literal.
    String(IString<'a>),
}

impl<'a> AString<'a> {
    /// The shortest form for `bytes` in `mode`: an atom if it can be, else as
    /// [`IString::from_bytes`].
    ///
    /// ```
    /// use imap_proto::{Mode, types::AString};
    /// assert!(matches!(AString::from_bytes("SMITH".as_bytes(), Mode::Imap4rev1), AString::Atom(_)));
    /// assert!(matches!(AString::from_bytes("".as_bytes(), Mode::Imap4rev1), AString::String(_)));
    /// ```
    pub fn from_bytes(bytes: impl Into<Cow<'a, [u8]>>, mode: Mode) -> Self {
        let bytes = bytes.into();
        if !bytes.is_empty() && bytes.iter().all(|&b| chars::is_astring_char(b)) {
            return match bytes {
                Cow::Borrowed(b) => Self::Atom(AtomExt::unchecked(b)),
                Cow::Owned(v) => Self::Atom(AtomExt(Cow::Owned(
                    String::from_utf8(v).unwrap_or_default(),
                ))),
            };
        }
        Self::String(IString::from_bytes(bytes, mode))
    }

    /// The octets, unescaped.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Atom(a) => a.as_str().as_bytes(),
            Self::String(s) => s.as_bytes(),
        }
    }

    /// The octets as UTF-8 text, if they are.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(self.as_bytes()).ok()
    }
}

/// `nstring = string / nil` (RFC 9051 §4.5): `None` is `NIL`.
pub type NString<'a> = Option<IString<'a>>;

/// A value `Debug` never shows: passwords and SASL data.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The secret, by value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl<T: IntoStatic> IntoStatic for Secret<T> {
    type Static = Secret<T::Static>;
    fn into_static(self) -> Self::Static {
        Secret(self.0.into_static())
    }
}

into_static_newtype!(Atom, AtomExt, Tag, Text, Quoted);

impl IntoStatic for Literal {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl IntoStatic for IString<'_> {
    type Static = IString<'static>;
    fn into_static(self) -> IString<'static> {
        match self {
            Self::Quoted(q) => IString::Quoted(q.into_static()),
            Self::Literal(l) => IString::Literal(l),
        }
    }
}

impl IntoStatic for AString<'_> {
    type Static = AString<'static>;
    fn into_static(self) -> AString<'static> {
        match self {
            Self::Atom(a) => AString::Atom(a.into_static()),
            Self::String(s) => AString::String(s.into_static()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_refuse_specials() {
        assert!(Atom::new("IMAP4rev1").is_ok());
        assert_eq!(Atom::new(""), Err(ValueError::Empty));
        assert_eq!(Atom::new("a b"), Err(ValueError::Octet(b' ')));
        assert_eq!(Atom::new("a]"), Err(ValueError::Octet(b']')));
        assert!(AtomExt::new("a]").is_ok());
        assert_eq!(Tag::new("A+"), Err(ValueError::Octet(b'+')));
    }

    #[test]
    fn quoted_and_text_refuse_line_breaks() {
        assert_eq!(Quoted::new(&b"a\rb"[..]), Err(ValueError::Octet(b'\r')));
        assert_eq!(Quoted::new(&b"\xff"[..]), Err(ValueError::NotUtf8));
        assert!(Quoted::new("caf\u{e9}".as_bytes()).is_ok());
        assert_eq!(Text::new("[x"), Err(ValueError::Octet(b'[')));
        assert_eq!(Text::new("a\nb"), Err(ValueError::Octet(b'\n')));
    }

    #[test]
    fn the_shortest_form_is_chosen_per_mode() {
        let utf8 = "Entw\u{fc}rfe".as_bytes();
        assert!(matches!(
            IString::from_bytes(utf8, Mode::Imap4rev1),
            IString::Literal(_)
        ));
        assert!(matches!(
            IString::from_bytes(utf8, Mode::Imap4rev2),
            IString::Quoted(_)
        ));
        assert!(
            matches!(IString::from_bytes(&[0u8, 1][..], Mode::Imap4rev2), IString::Literal(l) if l.is_binary())
        );
        assert!(matches!(
            AString::from_bytes("a]b".as_bytes(), Mode::Imap4rev1),
            AString::Atom(_)
        ));
        assert!(matches!(
            AString::from_bytes("a b".as_bytes(), Mode::Imap4rev1),
            AString::String(IString::Quoted(_))
        ));
        assert_eq!(Literal::new(&b"\0"[..]), Err(ValueError::Octet(0)));
    }

    #[test]
    fn secrets_do_not_show() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(..)");
    }
}
