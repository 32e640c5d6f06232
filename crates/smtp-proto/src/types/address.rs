//! Mailboxes, paths, domains and address literals (RFC 5321 §4.1.2, §4.1.3),
//! with the UTF-8 of RFC 6531 §3.3.

use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::syntax::{self, ATEXT, DCONTENT, LDH, QTEXT};
use crate::{ErrorKind, ValueError};

/// The argument of EHLO, HELO and LHLO: the client's name for itself.
///
/// ```text
/// ehlo = "EHLO" SP ( Domain / address-literal ) CRLF
/// ```
///
/// Real clients send names the grammar does not allow (underscores in
/// Windows host names, bare IP addresses, even several words, which
/// Postfix joins with single spaces), and Postfix and Dovecot accept them
/// unless told otherwise, so a `Host` is one or more words of printable
/// characters separated by single spaces; [`is_domain`](Self::is_domain)
/// and [`address_literal`](Self::address_literal) say whether it is what
/// RFC 5321 asks for, and the server can insist (`reject_invalid_hello`).
///
/// ```
/// use smtp_proto::Host;
///
/// let host = Host::try_from("[192.0.2.1]")?;
/// assert_eq!(host.address_literal().and_then(|a| a.ip()), Some("192.0.2.1".parse()?));
/// assert!(Host::try_from("mail.example.org")?.is_domain());
/// assert!(!Host::try_from("my_pc")?.is_valid());
/// assert!(!Host::try_from("two words")?.is_valid());
/// assert!(Host::try_from("two  spaces").is_err());
/// assert!(Host::try_from("line\r\nbreak").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Host<'a>(Cow<'a, str>);

impl<'a> Host<'a> {
    /// The name as the client sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the name is a `Domain` of RFC 5321 §4.1.2 (letter-digit-hyphen
    /// labels, or U-labels, RFC 6531 §3.3).
    pub fn is_domain(&self) -> bool {
        check_domain(self.0.as_bytes()).is_ok()
    }

    /// The address literal, if the name is one.
    pub fn address_literal(&self) -> Option<AddressLiteral<'_>> {
        parse_address_literal(&self.0).ok()
    }

    /// Whether the name is a domain or an address literal, as RFC 5321
    /// §4.1.1.1 requires.
    pub fn is_valid(&self) -> bool {
        self.is_domain() || self.address_literal().is_some()
    }

    /// The host with its text copied, free of the input buffer.
    pub fn into_owned(self) -> Host<'static> {
        Host(Cow::Owned(self.0.into_owned()))
    }

    /// A host from static text known to be valid.
    pub(crate) const fn from_static(text: &'static str) -> Host<'static> {
        Host(Cow::Borrowed(text))
    }

    /// A host from words checked by [`check_host_words`], joined by single
    /// spaces (Postfix's `collapse_args`) if `runs` of spaces separate them.
    pub(crate) fn from_words(text: &'a str, runs: bool) -> Self {
        if !runs {
            return Self(Cow::Borrowed(text));
        }
        let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        Self(Cow::Owned(words.join(" ")))
    }
}

/// A host name: words of printable characters (UTF-8 is checked by `str`)
/// separated by single spaces, no control octet.
pub(crate) fn check_host(text: &[u8]) -> Result<(), usize> {
    if text.is_empty() {
        return Err(0);
    }
    let mut after_space = true;
    for (i, &b) in text.iter().enumerate() {
        if b == b' ' {
            if after_space {
                return Err(i);
            }
            after_space = true;
        } else if syntax::is_or_utf8(b, syntax::VCHAR) {
            after_space = false;
        } else {
            return Err(i);
        }
    }
    if after_space {
        return Err(text.len() - 1);
    }
    Ok(())
}

/// The words of an EHLO, HELO or LHLO argument: printable, separated by
/// spaces (the line's trailing spaces are gone already); whether two spaces
/// follow each other somewhere.
pub(crate) fn check_host_words(text: &[u8]) -> Result<bool, usize> {
    if text.is_empty() {
        return Err(0);
    }
    // The usual name, one word of printable ASCII, in a pass the compiler
    // vectorizes.
    let odd = text
        .iter()
        .fold(0u8, |odd, &b| odd | u8::from(b.wrapping_sub(0x21) > 0x5d));
    if odd == 0 {
        return Ok(false);
    }
    let mut runs = false;
    let mut space = false;
    for (i, &b) in text.iter().enumerate() {
        if b == b' ' {
            runs |= space;
            space = true;
        } else if syntax::is_or_utf8(b, syntax::VCHAR) {
            space = false;
        } else {
            return Err(i);
        }
    }
    Ok(runs)
}

impl<'a> TryFrom<&'a str> for Host<'a> {
    type Error = ValueError;

    fn try_from(text: &'a str) -> Result<Self, Self::Error> {
        check_host(text.as_bytes()).map_err(|pos| match text.as_bytes().get(pos) {
            Some(&b) => ValueError::InvalidOctet(b),
            None => ValueError::Empty,
        })?;
        Ok(Self(Cow::Borrowed(text)))
    }
}

impl TryFrom<String> for Host<'static> {
    type Error = ValueError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Host::try_from(text.as_str())?;
        Ok(Self(Cow::Owned(text)))
    }
}

/// A domain is a host name, as RFC 5321 §4.1.1.1 wants it.
impl<'a> From<crate::Domain<'a>> for Host<'a> {
    fn from(domain: crate::Domain<'a>) -> Self {
        match domain.into_cow() {
            Cow::Borrowed(text) => Self(Cow::Borrowed(text)),
            Cow::Owned(text) => Self(Cow::Owned(text)),
        }
    }
}

impl fmt::Debug for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Host({})", self.0)
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An address literal (RFC 5321 §4.1.3):
///
/// ```text
/// address-literal  = "[" ( IPv4-address-literal /
///                  IPv6-address-literal /
///                  General-address-literal ) "]"
/// IPv4-address-literal  = Snum 3("."  Snum)
/// IPv6-address-literal  = "IPv6:" IPv6-addr
/// General-address-literal  = Standardized-tag ":" 1*dcontent
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressLiteral<'a> {
    /// `[192.0.2.1]`.
    Ipv4(Ipv4Addr),
    /// `[IPv6:2001:db8::1]`.
    Ipv6(Ipv6Addr),
    /// `[tag:content]`, a form some later standard may define.
    General {
        /// The standardized tag.
        tag: &'a str,
        /// What follows the colon.
        content: &'a str,
    },
}

impl AddressLiteral<'_> {
    /// The IP address, for the two forms that hold one.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Ipv4(ip) => Some(IpAddr::V4(*ip)),
            Self::Ipv6(ip) => Some(IpAddr::V6(*ip)),
            Self::General { .. } => None,
        }
    }
}

/// A mailbox (RFC 5321 §4.1.2):
///
/// ```text
/// Mailbox        = Local-part "@" ( Domain / address-literal )
/// Local-part     = Dot-string / Quoted-string
/// Dot-string     = Atom *("."  Atom)
/// Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
/// ```
///
/// The text is kept as it arrived, quotes and escapes included, so a mailbox
/// re-encodes to the same octets; [`local_part_unquoted`] gives the local
/// part with the quoting undone, for comparisons (§4.1.2: "all quoted forms
/// MUST be treated as equivalent"). UTF-8 is allowed in the local part and
/// the domain (RFC 6531 §3.3); [`is_ascii`] tells a server whether the
/// transaction needs SMTPUTF8.
///
/// ```
/// use smtp_proto::Mailbox;
///
/// let quoted = Mailbox::try_from("\"a b\"@example.org")?;
/// assert_eq!(quoted.local_part(), "\"a b\"");
/// assert_eq!(quoted.local_part_unquoted(), "a b");
/// assert_eq!(quoted.domain(), "example.org");
/// assert_eq!(quoted.as_str(), "\"a b\"@example.org");
///
/// let built = Mailbox::new("a b", "example.org")?;
/// assert_eq!(built, quoted);
/// assert!(Mailbox::try_from("no-at-sign").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
///
/// [`local_part_unquoted`]: Self::local_part_unquoted
/// [`is_ascii`]: Self::is_ascii
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    text: Cow<'a, str>,
    /// Where the `@` between local part and domain is.
    at: usize,
}

impl<'a> Mailbox<'a> {
    /// A mailbox from a local part and a domain (or address literal in
    /// brackets), quoting the local part when it is not a dot-string.
    pub fn new(local_part: &str, domain: &str) -> Result<Mailbox<'static>, ValueError> {
        let mut text = String::with_capacity(local_part.len() + domain.len() + 3);
        if check_dot_string(local_part.as_bytes()).is_ok() {
            text.push_str(local_part);
        } else {
            text.push('"');
            for c in local_part.chars() {
                if c == '"' || c == '\\' {
                    text.push('\\');
                } else if c.is_control() {
                    return Err(ValueError::InvalidOctet(c as u32 as u8));
                }
                text.push(c);
            }
            text.push('"');
        }
        text.push('@');
        text.push_str(domain);
        Mailbox::try_from(text)
    }

    /// The mailbox as it goes between `<` and `>`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The local part as sent, quotes and escapes included.
    pub fn local_part(&self) -> &str {
        &self.text[..self.at]
    }

    /// The local part with quoting undone: `"a\"b"` is `a"b`.
    pub fn local_part_unquoted(&self) -> Cow<'_, str> {
        let local = self.local_part();
        let Some(inner) = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
            return Cow::Borrowed(local);
        };
        if !inner.contains('\\') {
            return Cow::Borrowed(inner);
        }
        let mut out = String::with_capacity(inner.len());
        let mut escaped = false;
        for c in inner.chars() {
            if escaped || c != '\\' {
                out.push(c);
                escaped = false;
            } else {
                escaped = true;
            }
        }
        Cow::Owned(out)
    }

    /// Whether the local part is a quoted string.
    pub fn is_quoted(&self) -> bool {
        self.text.starts_with('"')
    }

    /// The domain, or the address literal with its brackets.
    pub fn domain(&self) -> &str {
        &self.text[self.at + 1..]
    }

    /// The address literal, if the domain is one.
    pub fn address_literal(&self) -> Option<AddressLiteral<'_>> {
        parse_address_literal(self.domain()).ok()
    }

    /// Whether the mailbox is all ASCII; if not, the transaction needs
    /// SMTPUTF8 (RFC 6531 §3.4).
    pub fn is_ascii(&self) -> bool {
        self.text.is_ascii()
    }

    /// The mailbox with its text copied, free of the input buffer.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            text: Cow::Owned(self.text.into_owned()),
            at: self.at,
        }
    }

    /// A mailbox from text checked by [`check_mailbox`], `at` its result.
    pub(crate) fn from_checked(text: &'a str, at: usize) -> Self {
        Self {
            text: Cow::Borrowed(text),
            at,
        }
    }
}

impl<'a> TryFrom<&'a str> for Mailbox<'a> {
    type Error = ValueError;

    fn try_from(text: &'a str) -> Result<Self, Self::Error> {
        let at = check_mailbox(text.as_bytes()).map_err(|(pos, _)| ValueError::Syntax(pos))?;
        Ok(Self::from_checked(text, at))
    }
}

impl TryFrom<String> for Mailbox<'static> {
    type Error = ValueError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let at = check_mailbox(text.as_bytes()).map_err(|(pos, _)| ValueError::Syntax(pos))?;
        Ok(Self {
            text: Cow::Owned(text),
            at,
        })
    }
}

impl fmt::Debug for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mailbox({})", self.text)
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// MAIL's argument (RFC 5321 §4.1.2): `Reverse-path = Path / "<>"`, and
/// `<postmaster>` without a domain, which Postfix takes as a sender too
/// (the server's `envelope_quirks`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReversePath<'a> {
    /// `<>`, the null reverse-path of bounces and notifications
    /// (RFC 5321 §4.5.5).
    Null,
    /// `<Postmaster>`, in any case, without a domain: not RFC 5321 grammar
    /// for a sender, but sent by real systems and taken by Postfix (as the
    /// local postmaster).
    Postmaster,
    /// A sender's mailbox.
    Mailbox(Mailbox<'a>),
}

impl ReversePath<'_> {
    /// The mailbox, unless the path is null or the bare postmaster.
    pub fn mailbox(&self) -> Option<&Mailbox<'_>> {
        match self {
            Self::Null | Self::Postmaster => None,
            Self::Mailbox(m) => Some(m),
        }
    }

    /// Whether the path is all ASCII.
    pub fn is_ascii(&self) -> bool {
        self.mailbox().is_none_or(Mailbox::is_ascii)
    }

    /// The path with its text copied, free of the input buffer.
    pub fn into_owned(self) -> ReversePath<'static> {
        match self {
            Self::Null => ReversePath::Null,
            Self::Postmaster => ReversePath::Postmaster,
            Self::Mailbox(m) => ReversePath::Mailbox(m.into_owned()),
        }
    }
}

impl fmt::Display for ReversePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("<>"),
            Self::Postmaster => f.write_str("<Postmaster>"),
            Self::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

/// RCPT's argument (RFC 5321 §4.1.1.3):
///
/// ```text
/// rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
///        Forward-path ) [SP Rcpt-parameters] CRLF
/// ```
///
/// `<Postmaster>` without a domain is its own case: every server must take
/// it (§4.5.1), and it is not a mailbox. `<Postmaster@domain>` is a mailbox.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ForwardPath<'a> {
    /// `<Postmaster>`, in any case.
    Postmaster,
    /// A recipient's mailbox.
    Mailbox(Mailbox<'a>),
}

impl ForwardPath<'_> {
    /// The mailbox, unless the path is the bare `<Postmaster>`.
    pub fn mailbox(&self) -> Option<&Mailbox<'_>> {
        match self {
            Self::Postmaster => None,
            Self::Mailbox(m) => Some(m),
        }
    }

    /// Whether the path is all ASCII.
    pub fn is_ascii(&self) -> bool {
        self.mailbox().is_none_or(Mailbox::is_ascii)
    }

    /// The path with its text copied, free of the input buffer.
    pub fn into_owned(self) -> ForwardPath<'static> {
        match self {
            Self::Postmaster => ForwardPath::Postmaster,
            Self::Mailbox(m) => ForwardPath::Mailbox(m.into_owned()),
        }
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Postmaster => f.write_str("<Postmaster>"),
            Self::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

/// Checks `Mailbox`, the whole of `text` (an underscore allowed in the
/// domain, as [`Mailbox`] takes it); returns where its `@` is, or where it
/// goes wrong and how.
pub(crate) fn check_mailbox(text: &[u8]) -> Result<usize, (usize, ErrorKind)> {
    let (at, end) = scan_mailbox(text, true)?;
    if end != text.len() {
        let kind = if text[at + 1] == b'[' {
            ErrorKind::InvalidAddressLiteral
        } else {
            ErrorKind::InvalidDomain
        };
        return Err((end, kind));
    }
    Ok(at)
}

/// Reads the `Mailbox` at the start of `text` in one pass: where its `@` is
/// and where it ends (at the first octet that cannot continue it, such as
/// the `>` of a path), or where it goes wrong and how. With `underscore`,
/// domain labels may hold `_` (RFC 5321 does not allow it; DNS names and
/// Postfix do).
pub(crate) fn scan_mailbox(
    text: &[u8],
    underscore: bool,
) -> Result<(usize, usize), (usize, ErrorKind)> {
    // Local-part = Dot-string / Quoted-string
    let at = if text.first() == Some(&b'"') {
        let end = quoted_string_end(text).map_err(|pos| (pos, ErrorKind::InvalidLocalPart))?;
        if text.get(end) != Some(&b'@') {
            return Err((end, ErrorKind::InvalidLocalPart));
        }
        end
    } else {
        // Dot-string = Atom *("." Atom): no dot first, last, or twice.
        let mut after_dot = true;
        let mut at = None;
        for (i, &b) in text.iter().enumerate() {
            if syntax::is_or_utf8(b, ATEXT) {
                after_dot = false;
            } else if after_dot || !(b == b'.' || b == b'@') {
                return Err((i, ErrorKind::InvalidLocalPart));
            } else if b == b'@' {
                at = Some(i);
                break;
            } else {
                after_dot = true;
            }
        }
        at.ok_or((text.len(), ErrorKind::InvalidPath))?
    };
    let d = at + 1;
    if text.get(d) == Some(&b'[') {
        let Some(close) = memchr::memchr(b']', &text[d..]) else {
            return Err((text.len(), ErrorKind::InvalidAddressLiteral));
        };
        let end = d + close + 1;
        let literal = std::str::from_utf8(&text[d..end])
            .map_err(|_| (d, ErrorKind::InvalidAddressLiteral))?;
        parse_address_literal(literal)
            .map_err(|pos| (d + pos, ErrorKind::InvalidAddressLiteral))?;
        return Ok((at, end));
    }
    // Domain = sub-domain *("." sub-domain), each of letters, digits and
    // hyphens (or UTF-8), not starting or ending with a hyphen.
    let class = if underscore {
        syntax::LDH_UNDERSCORE
    } else {
        LDH
    };
    let mut i = d;
    let mut label = d;
    loop {
        match text.get(i) {
            Some(&b) if syntax::is_or_utf8(b, class) => i += 1,
            next => {
                if i == label || text[label] == b'-' {
                    return Err((label, ErrorKind::InvalidDomain));
                }
                if text[i - 1] == b'-' {
                    return Err((i - 1, ErrorKind::InvalidDomain));
                }
                if next != Some(&b'.') {
                    return Ok((at, i));
                }
                i += 1;
                label = i;
            }
        }
    }
}

/// The end of the quoted string that opens `text` (just after its closing
/// quote): `qtextSMTP` (or UTF-8) and `quoted-pairSMTP`; the error is the
/// offending offset.
fn quoted_string_end(text: &[u8]) -> Result<usize, usize> {
    let mut i = 1;
    while i < text.len() {
        match text[i] {
            b'"' => return Ok(i + 1),
            b'\\' => match text.get(i + 1) {
                Some(32..=126) => i += 2,
                _ => return Err(i + 1),
            },
            b if syntax::is_or_utf8(b, QTEXT) => i += 1,
            _ => return Err(i),
        }
    }
    Err(text.len())
}

/// `Dot-string = Atom *("." Atom)`; the error is the offending offset.
fn check_dot_string(text: &[u8]) -> Result<(), usize> {
    if text.is_empty() {
        return Err(0);
    }
    let mut previous_dot = true;
    for (i, &b) in text.iter().enumerate() {
        if b == b'.' {
            if previous_dot {
                return Err(i);
            }
            previous_dot = true;
        } else if syntax::is_or_utf8(b, ATEXT) {
            previous_dot = false;
        } else {
            return Err(i);
        }
    }
    if previous_dot {
        return Err(text.len() - 1);
    }
    Ok(())
}

/// `Domain = sub-domain *("." sub-domain)`, `sub-domain = Let-dig
/// [Ldh-str]`, or a U-label; the error is the offending offset.
pub(crate) fn check_domain(text: &[u8]) -> Result<(), usize> {
    check_domain_with(text, false)
}

/// [`check_domain`], with `_` in labels if `underscore`.
pub(crate) fn check_domain_with(text: &[u8], underscore: bool) -> Result<(), usize> {
    let mut start = 0;
    loop {
        let end = memchr::memchr(b'.', &text[start..]).map_or(text.len(), |dot| start + dot);
        let label = &text[start..end];
        if label.is_empty() {
            return Err(start);
        }
        let class = if underscore {
            syntax::LDH_UNDERSCORE
        } else {
            LDH
        };
        if let Some(pos) = label.iter().position(|&b| !syntax::is_or_utf8(b, class)) {
            return Err(start + pos);
        }
        if label[0] == b'-' {
            return Err(start);
        }
        if label[label.len() - 1] == b'-' {
            return Err(end - 1);
        }
        if end == text.len() {
            return Ok(());
        }
        start = end + 1;
    }
}

/// `address-literal`, brackets included; the error is the offending offset.
fn parse_address_literal(text: &str) -> Result<AddressLiteral<'_>, usize> {
    let inner = text
        .strip_prefix('[')
        .ok_or(0usize)?
        .strip_suffix(']')
        .ok_or(text.len().saturating_sub(1))?;
    if let Some(colon) = inner.find(':') {
        let (tag, content) = (&inner[..colon], &inner[colon + 1..]);
        if tag.eq_ignore_ascii_case("IPv6") {
            return content
                .parse::<Ipv6Addr>()
                .map(AddressLiteral::Ipv6)
                .map_err(|_| colon + 2);
        }
        // Standardized-tag = Ldh-str: letters, digits, hyphens, not ending
        // with a hyphen.
        let tag_ok =
            !tag.is_empty() && tag.bytes().all(|b| syntax::is(b, LDH)) && !tag.ends_with('-');
        if !tag_ok {
            return Err(1);
        }
        if content.is_empty() || !content.bytes().all(|b| syntax::is(b, DCONTENT)) {
            return Err(colon + 2);
        }
        return Ok(AddressLiteral::General { tag, content });
    }
    parse_ipv4(inner.as_bytes())
        .map(AddressLiteral::Ipv4)
        .map_err(|pos| pos + 1)
}

/// `Snum 3("." Snum)`, `Snum = 1*3DIGIT` from 0 to 255 (leading zeros
/// allowed, read as decimal).
fn parse_ipv4(text: &[u8]) -> Result<Ipv4Addr, usize> {
    let mut octets = [0u8; 4];
    let mut pos = 0;
    for (n, octet) in octets.iter_mut().enumerate() {
        if n > 0 {
            if text.get(pos) != Some(&b'.') {
                return Err(pos);
            }
            pos += 1;
        }
        let digits = text[pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > 3 {
            return Err(pos);
        }
        let value = text[pos..pos + digits]
            .iter()
            .fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
        *octet = u8::try_from(value).map_err(|_| pos)?;
        pos += digits;
    }
    if pos != text.len() {
        return Err(pos);
    }
    Ok(Ipv4Addr::from(octets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes() {
        let m = Mailbox::try_from("Smith@bar.com").unwrap();
        assert_eq!((m.local_part(), m.domain()), ("Smith", "bar.com"));
        assert!(!m.is_quoted());
        let m = Mailbox::try_from("a@[127.0.0.1]").unwrap();
        assert_eq!(m.domain(), "[127.0.0.1]");
        assert_eq!(
            m.address_literal(),
            Some(AddressLiteral::Ipv4(Ipv4Addr::LOCALHOST))
        );
        let m = Mailbox::try_from("a@[IPv6:2001:db8::1]").unwrap();
        assert_eq!(
            m.address_literal().and_then(|a| a.ip()),
            Some("2001:db8::1".parse().unwrap())
        );
        let m = Mailbox::try_from("a@[x-tag:some-thing]").unwrap();
        assert_eq!(
            m.address_literal(),
            Some(AddressLiteral::General {
                tag: "x-tag",
                content: "some-thing"
            })
        );
        let m = Mailbox::try_from(r#""a\"b\\c d"@x.y"#).unwrap();
        assert_eq!(m.local_part(), r#""a\"b\\c d""#);
        assert_eq!(m.local_part_unquoted(), r#"a"b\c d"#);
        assert_eq!(m.as_str(), r#""a\"b\\c d"@x.y"#);
        let m = Mailbox::try_from("\"@\"@x.y").unwrap();
        assert_eq!(m.local_part_unquoted(), "@");
        // An underscore in the domain: DNS and Postfix take it.
        assert_eq!(Mailbox::try_from("a@b_c.d").unwrap().domain(), "b_c.d");
        // RFC 6531 §3.3: UTF-8 in both parts.
        let m = Mailbox::try_from("jöran@bücher.de").unwrap();
        assert!(!m.is_ascii());
        assert_eq!(m.domain(), "bücher.de");
    }

    #[test]
    fn invalid_mailboxes() {
        for (bad, at) in [
            ("", 0),
            ("a", 1),
            ("@b.c", 0),
            ("a@", 2),
            (".a@b", 0),
            ("a.@b", 2),
            ("a..b@c", 2),
            ("a b@c", 1),
            ("a@b..c", 4),
            ("a@-b.c", 2),
            ("a@b-.c", 3),
            ("a@b.c.", 6),
            ("\"a@b", 4),
            ("\"a\"b@c", 3),
            ("\"a\x01\"@b", 2),
            ("a@[1.2.3]", 8),
            ("a@[1.2.3.256]", 9),
            ("a@[1.2.3.4", 10),
            ("a@[IPv6:zz::]", 8),
            ("a@[:x]", 3),
            ("a@[tag:]", 7),
            ("a@[t\\g:x]", 3),
        ] {
            assert_eq!(
                Mailbox::try_from(bad).map(|_| ()),
                Err(ValueError::Syntax(at)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn building_mailboxes() {
        assert_eq!(
            Mailbox::new("jones", "foo.com").unwrap().as_str(),
            "jones@foo.com"
        );
        assert_eq!(
            Mailbox::new("Joe,Smith", "x.y").unwrap().as_str(),
            "\"Joe,Smith\"@x.y"
        );
        assert_eq!(
            Mailbox::new("a\"b\\", "x.y").unwrap().as_str(),
            r#""a\"b\\"@x.y"#
        );
        assert_eq!(Mailbox::new("", "x.y").unwrap().as_str(), "\"\"@x.y");
        assert!(Mailbox::new("a\nb", "x.y").is_err());
        assert!(Mailbox::new("a", "bad domain").is_err());
        assert!(Mailbox::new("a", "[10.0.0.1]").is_ok());
    }

    #[test]
    fn hosts() {
        assert!(Host::try_from("bar.com").unwrap().is_domain());
        assert!(Host::try_from("[IPv6:::1]").unwrap().is_valid());
        assert!(!Host::try_from("[IPv6:::1]").unwrap().is_domain());
        assert!(Host::try_from("xn--bcher-kva.de").unwrap().is_valid());
        assert!(!Host::try_from("under_score").unwrap().is_valid());
        assert_eq!(Host::try_from(""), Err(ValueError::Empty));
        assert_eq!(Host::try_from("a\0"), Err(ValueError::InvalidOctet(0)));
        assert!(Host::try_from("a b").is_ok());
        assert_eq!(Host::try_from("a  b"), Err(ValueError::InvalidOctet(b' ')));
        assert_eq!(Host::try_from("a "), Err(ValueError::InvalidOctet(b' ')));
        assert_eq!(Host::try_from(" a"), Err(ValueError::InvalidOctet(b' ')));
        assert_eq!(Host::from_words("a  b   c", true).as_str(), "a b c");
        assert_eq!(check_host_words(b"a  b"), Ok(true));
        assert_eq!(check_host_words(b"a b"), Ok(false));
    }

    #[test]
    fn ipv4_literals() {
        assert_eq!(parse_ipv4(b"010.0.0.1"), Ok(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(parse_ipv4(b"255.255.255.255"), Ok(Ipv4Addr::BROADCAST));
        assert_eq!(parse_ipv4(b"1.2.3.4.5"), Err(7));
        assert_eq!(parse_ipv4(b"1.2.3.0004"), Err(6));
        assert_eq!(parse_ipv4(b"1.2..4"), Err(4));
    }
}
