//! The free-form values the encoders write as they are: a server's name, a
//! line's text, a word of an EHLO line. Each is checked when it is built, so
//! a value that exists cannot break the line it goes into (no CR, LF, NUL or
//! other control octet; no space where a space would end it).

use std::borrow::Cow;
use std::fmt;

use super::address::check_domain;
use super::syntax;
use crate::ValueError;

/// A domain name (RFC 5321 §4.1.2), as a server names itself in its
/// greeting, its EHLO reply and its `421` replies:
///
/// ```text
/// Domain     = sub-domain *("." sub-domain)
/// sub-domain = Let-dig [Ldh-str]
/// sub-domain =/ U-label                      ; RFC 6531 §3.3
/// ```
///
/// ```
/// use smtp_proto::Domain;
///
/// let name = Domain::try_from("mx.example.org")?;
/// assert_eq!(name, "mx.example.org");
/// assert!(Domain::try_from("mx\r\n250 forged").is_err());
/// assert!(Domain::try_from("two words").is_err());
/// assert!(Domain::try_from("").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Domain<'a>(Cow<'a, str>);

impl Domain<'_> {
    /// A domain from static text, checked at compile time in a `const`.
    ///
    /// # Panics
    ///
    /// If `text` is not a domain; in a `const` that is a compile error.
    pub const fn from_static(text: &'static str) -> Domain<'static> {
        assert!(is_ldh_domain(text.as_bytes()), "not a domain name");
        Domain(Cow::Borrowed(text))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name with its text copied.
    pub fn into_owned(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }
}

impl<'a> Domain<'a> {
    pub(crate) fn into_cow(self) -> Cow<'a, str> {
        self.0
    }
}

/// An ASCII letter-digit-hyphen domain, for `const` checks.
const fn is_ldh_domain(text: &[u8]) -> bool {
    let mut i = 0;
    let mut label = 0;
    while i <= text.len() {
        if i == text.len() || text[i] == b'.' {
            let len = i - label;
            if len == 0 || text[label] == b'-' || text[i - 1] == b'-' {
                return false;
            }
            label = i + 1;
        } else if !(text[i].is_ascii_alphanumeric() || text[i] == b'-') {
            return false;
        }
        i += 1;
    }
    true
}

fn domain_error(text: &[u8], pos: usize) -> ValueError {
    match text.get(pos) {
        _ if text.is_empty() => ValueError::Empty,
        Some(&b) if b != b'.' && !syntax::is_or_utf8(b, syntax::LDH) => ValueError::InvalidOctet(b),
        _ => ValueError::Syntax(pos),
    }
}

impl<'a> TryFrom<&'a str> for Domain<'a> {
    type Error = ValueError;

    fn try_from(text: &'a str) -> Result<Self, Self::Error> {
        if text.is_empty() {
            return Err(ValueError::Empty);
        }
        check_domain(text.as_bytes()).map_err(|pos| domain_error(text.as_bytes(), pos))?;
        Ok(Self(Cow::Borrowed(text)))
    }
}

impl TryFrom<String> for Domain<'static> {
    type Error = ValueError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Domain::try_from(text.as_str())?;
        Ok(Self(Cow::Owned(text)))
    }
}

impl PartialEq<str> for Domain<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Domain<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Domain({})", self.0)
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text on one line (RFC 5321 §4.2 `textstring`, with the UTF-8 RFC 6531
/// §3.7.4.2 allows): the greeting after the server's name, the EHLO
/// greeting, and the free argument of VRFY, EXPN, HELP and NOOP.
///
/// ```text
/// textstring = 1*(%d09 / %d32-126) ; HT, SP, Printable US-ASCII
/// ```
///
/// It may be empty (an absent text).
///
/// ```
/// use smtp_proto::Text;
///
/// assert_eq!(Text::try_from("ESMTP Postfix")?, "ESMTP Postfix");
/// assert!(Text::try_from("ESMTP\r\n250 forged").is_err());
/// assert!(Text::try_from("nul\0").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text<'a>(Cow<'a, str>);

impl Text<'_> {
    /// Text from static text, checked at compile time in a `const`.
    ///
    /// # Panics
    ///
    /// If `text` holds a control octet other than HT; in a `const` that is
    /// a compile error.
    pub const fn from_static(text: &'static str) -> Text<'static> {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            assert!(is_text(bytes[i]), "control octet in text");
            i += 1;
        }
        Text(Cow::Borrowed(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether there is no text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text with its octets copied.
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    /// Text already checked by [`check_text`].
    pub(crate) fn from_checked(text: &str) -> Text<'_> {
        Text(Cow::Borrowed(text))
    }
}

/// HT, and every octet from SP on but DEL (UTF-8 sequences are whole: the
/// text is a `str`).
const fn is_text(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != 0x7f)
}

/// Text on one line: no control octet but HT.
pub(crate) fn check_text(text: &[u8]) -> Result<(), ValueError> {
    match text.iter().find(|&&b| !is_text(b)) {
        Some(&b) => Err(ValueError::InvalidOctet(b)),
        None => Ok(()),
    }
}

impl<'a> TryFrom<&'a str> for Text<'a> {
    type Error = ValueError;

    fn try_from(text: &'a str) -> Result<Self, Self::Error> {
        check_text(text.as_bytes())?;
        Ok(Self(Cow::Borrowed(text)))
    }
}

impl TryFrom<String> for Text<'static> {
    type Error = ValueError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        check_text(text.as_bytes())?;
        Ok(Self(Cow::Owned(text)))
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?})", self.0)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One word of an EHLO line: a keyword this crate does not know, or a
/// parameter (RFC 5321 §4.1.1.1):
///
/// ```text
/// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// ehlo-param   = 1*(%d33-126)
/// ```
///
/// Servers send keywords outside the grammar (`AUTH=LOGIN`), and UTF-8 may
/// appear, so a word is any run of printable characters: not empty, no
/// space, no control octet.
///
/// ```
/// use smtp_proto::Word;
///
/// assert_eq!(Word::try_from("X-EXPS")?, "X-EXPS");
/// assert!(Word::try_from("two words").is_err());
/// assert!(Word::try_from("a\r\nb").is_err());
/// assert!(Word::try_from("").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Word(Cow<'static, str>);

impl Word {
    /// A word from static text, checked at compile time in a `const`.
    ///
    /// # Panics
    ///
    /// If `text` is empty or holds a space or a control octet; in a `const`
    /// that is a compile error.
    pub const fn from_static(text: &'static str) -> Self {
        let bytes = text.as_bytes();
        assert!(!bytes.is_empty(), "empty word");
        let mut i = 0;
        while i < bytes.len() {
            assert!(bytes[i] > 0x20 && bytes[i] != 0x7f, "not a word");
            i += 1;
        }
        Self(Cow::Borrowed(text))
    }

    /// The word.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<&str> for Word {
    type Error = ValueError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        check_word(text.as_bytes())?;
        Ok(Self(Cow::Owned(text.to_owned())))
    }
}

impl TryFrom<String> for Word {
    type Error = ValueError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        check_word(text.as_bytes())?;
        Ok(Self(Cow::Owned(text)))
    }
}

/// Not empty, printable, no space.
fn check_word(text: &[u8]) -> Result<(), ValueError> {
    if text.is_empty() {
        return Err(ValueError::Empty);
    }
    match text
        .iter()
        .find(|&&b| !syntax::is_or_utf8(b, syntax::VCHAR))
    {
        Some(&b) => Err(ValueError::InvalidOctet(b)),
        None => Ok(()),
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Word({})", self.0)
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert!(Domain::try_from("localhost").is_ok());
        assert!(Domain::try_from("xn--bcher-kva.de").is_ok());
        assert!(Domain::try_from("bücher.de").is_ok());
        assert_eq!(Domain::try_from(""), Err(ValueError::Empty));
        assert_eq!(Domain::try_from("a b"), Err(ValueError::InvalidOctet(b' ')));
        assert_eq!(
            Domain::try_from("a\r\n"),
            Err(ValueError::InvalidOctet(b'\r'))
        );
        assert_eq!(Domain::try_from("a..b"), Err(ValueError::Syntax(2)));
        assert_eq!(Domain::try_from("-a"), Err(ValueError::Syntax(0)));
        assert_eq!(Domain::from_static("mx.example.org"), "mx.example.org");
        assert!(is_ldh_domain(b"a-b.c"));
        for bad in ["", ".", "a.", ".a", "-a", "a-", "a_b", "a b"] {
            assert!(!is_ldh_domain(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn texts_and_words() {
        assert_eq!(Text::try_from("").map(|t| t.is_empty()), Ok(true));
        assert!(Text::try_from("tab\tand ünïcode").is_ok());
        assert_eq!(Text::try_from("\x7f"), Err(ValueError::InvalidOctet(0x7f)));
        assert_eq!(Word::try_from("a\tb"), Err(ValueError::InvalidOctet(b'\t')));
        assert_eq!(
            Word::try_from("größe").map(|w| w.to_string()),
            Ok("größe".into())
        );
    }
}
