//! MAIL and RCPT parameters (RFC 5321 §4.1.2 `esmtp-param`) and the values
//! the extensions give them: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030),
//! SMTPUTF8 (RFC 6531), RET, ENVID, NOTIFY and ORCPT (RFC 3461, RFC 6533),
//! AUTH= (RFC 4954), REQUIRETLS (RFC 8689) and MT-PRIORITY (RFC 6710).

use std::borrow::Cow;
use std::fmt;

use super::syntax::{self, ATEXT, XCHAR};
use crate::ValueError;

/// The parameters of MAIL FROM. Those of the extensions this crate knows
/// are typed fields; any other is kept in [`other`](Self::other), in order,
/// never dropped.
///
/// ```
/// use smtp_proto::{Body, MailParameters};
///
/// let mut params = MailParameters::default();
/// params.size = Some(1_000_000);
/// params.body = Some(Body::EightBitMime);
/// assert!(!params.smtputf8);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MailParameters<'a> {
    /// `SIZE=n`: the message's size in octets, as the client estimates it
    /// (RFC 1870 §6).
    pub size: Option<u64>,
    /// `BODY=`: 7BIT, 8BITMIME (RFC 6152 §2) or BINARYMIME (RFC 3030 §3).
    pub body: Option<Body>,
    /// `SMTPUTF8`: the transaction may carry UTF-8 addresses and headers
    /// (RFC 6531 §3.4).
    pub smtputf8: bool,
    /// `RET=`: what a failure DSN returns (RFC 3461 §4.3).
    pub ret: Option<Ret>,
    /// `ENVID=`: the sender's envelope identifier (RFC 3461 §4.4).
    pub envid: Option<XText<'a>>,
    /// `AUTH=`: the identity that submitted the message, xtext-encoded; its
    /// decoded form is a mailbox, or `<>` for an unknown identity (RFC 4954
    /// §5).
    pub auth: Option<XText<'a>>,
    /// `REQUIRETLS`: the message must only travel over TLS (RFC 8689 §4).
    pub requiretls: bool,
    /// `MT-PRIORITY=`: the priority, -9 to 9 (RFC 6710 §3).
    pub mt_priority: Option<i8>,
    /// Every other parameter, in the order sent.
    pub other: Vec<Parameter<'a>>,
}

impl MailParameters<'_> {
    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        *self == MailParameters::default()
    }

    /// The parameters with their text copied, free of the input buffer.
    pub fn into_owned(self) -> MailParameters<'static> {
        MailParameters {
            size: self.size,
            body: self.body,
            smtputf8: self.smtputf8,
            ret: self.ret,
            envid: self.envid.map(XText::into_owned),
            auth: self.auth.map(XText::into_owned),
            requiretls: self.requiretls,
            mt_priority: self.mt_priority,
            other: self.other.into_iter().map(Parameter::into_owned).collect(),
        }
    }
}

/// The parameters of a MAIL or RCPT command: none (the usual RCPT), or
/// boxed, so a [`Command`](crate::Command) stays small and the commands
/// without parameters (and DATA, RSET, ...) are returned cheaply. Reads as
/// the parameters themselves (`params.size`, `&*params`).
///
/// ```
/// use smtp_proto::{MailParameters, Params};
///
/// let none: Params<MailParameters<'_>> = MailParameters::default().into();
/// assert!(none.is_empty() && none.size.is_none());
/// let mut p = MailParameters::default();
/// p.size = Some(1000);
/// let some = Params::new(p);
/// assert_eq!(some.size, Some(1000));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params<T>(Option<Box<T>>);

/// What an empty [`Params`] reads as.
static NO_MAIL_PARAMETERS: MailParameters<'static> = MailParameters {
    size: None,
    body: None,
    smtputf8: false,
    ret: None,
    envid: None,
    auth: None,
    requiretls: false,
    mt_priority: None,
    other: Vec::new(),
};

/// What an empty [`Params`] reads as.
static NO_RCPT_PARAMETERS: RcptParameters<'static> = RcptParameters {
    notify: None,
    orcpt: None,
    other: Vec::new(),
};

impl<T: Default + PartialEq> Params<T> {
    /// The parameters, boxed unless there are none.
    pub fn new(params: T) -> Self {
        if params == T::default() {
            Self(None)
        } else {
            Self(Some(Box::new(params)))
        }
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.as_deref().is_none_or(|p| *p == T::default())
    }

    /// The parameters, out of their box.
    pub fn into_inner(self) -> T {
        self.0.map(|b| *b).unwrap_or_default()
    }
}

impl<'a> std::ops::Deref for Params<MailParameters<'a>> {
    type Target = MailParameters<'a>;

    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&NO_MAIL_PARAMETERS)
    }
}

impl<'a> std::ops::Deref for Params<RcptParameters<'a>> {
    type Target = RcptParameters<'a>;

    fn deref(&self) -> &Self::Target {
        self.0.as_deref().unwrap_or(&NO_RCPT_PARAMETERS)
    }
}

impl<T: Default> std::ops::DerefMut for Params<T>
where
    Self: std::ops::Deref<Target = T>,
{
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Default + PartialEq> From<T> for Params<T> {
    fn from(params: T) -> Self {
        Self::new(params)
    }
}

impl<T: fmt::Debug + Default> fmt::Debug for Params<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(p) => p.fmt(f),
            None => T::default().fmt(f),
        }
    }
}

impl<'a> Params<MailParameters<'a>> {
    /// The parameters with their text copied, free of the input buffer.
    pub fn into_owned(self) -> Params<MailParameters<'static>> {
        Params(self.0.map(|p| Box::new(p.into_owned())))
    }
}

impl<'a> Params<RcptParameters<'a>> {
    /// The parameters with their text copied, free of the input buffer.
    pub fn into_owned(self) -> Params<RcptParameters<'static>> {
        Params(self.0.map(|p| Box::new(p.into_owned())))
    }
}

/// The parameters of RCPT TO. Those of DSN (RFC 3461) are typed fields; any
/// other is kept in [`other`](Self::other), in order, never dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RcptParameters<'a> {
    /// `NOTIFY=`: when to send a DSN (RFC 3461 §4.1).
    pub notify: Option<Notify>,
    /// `ORCPT=`: the original recipient (RFC 3461 §4.2).
    pub orcpt: Option<Orcpt<'a>>,
    /// Every other parameter, in the order sent.
    pub other: Vec<Parameter<'a>>,
}

impl RcptParameters<'_> {
    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        *self == RcptParameters::default()
    }

    /// The parameters with their text copied, free of the input buffer.
    pub fn into_owned(self) -> RcptParameters<'static> {
        RcptParameters {
            notify: self.notify,
            orcpt: self.orcpt.map(Orcpt::into_owned),
            other: self.other.into_iter().map(Parameter::into_owned).collect(),
        }
    }
}

/// An ESMTP parameter this crate has no type for (RFC 5321 §4.1.2):
///
/// ```text
/// esmtp-param    = esmtp-keyword ["=" esmtp-value]
/// esmtp-keyword  = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// esmtp-value    = 1*(%d33-60 / %d62-126)
/// esmtp-value    =/ UTF8-non-ascii                 ; RFC 6531 §3.3
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Parameter<'a> {
    keyword: Cow<'a, str>,
    value: Option<Cow<'a, str>>,
}

impl<'a> Parameter<'a> {
    /// A parameter, checked against the ABNF.
    pub fn new(
        keyword: impl Into<Cow<'a, str>>,
        value: Option<impl Into<Cow<'a, str>>>,
    ) -> Result<Self, ValueError> {
        let keyword = keyword.into();
        let value = value.map(Into::into);
        check_keyword(keyword.as_bytes()).map_err(ValueError::Syntax)?;
        if let Some(v) = &value {
            check_esmtp_value(v.as_bytes()).map_err(ValueError::Syntax)?;
        }
        Ok(Self { keyword, value })
    }

    /// A parameter from parts already checked.
    pub(crate) fn from_checked(keyword: &'a str, value: Option<&'a str>) -> Self {
        Self {
            keyword: Cow::Borrowed(keyword),
            value: value.map(Cow::Borrowed),
        }
    }

    /// The keyword, as sent.
    pub fn keyword(&self) -> &str {
        &self.keyword
    }

    /// The value, if any.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// The parameter with its text copied, free of the input buffer.
    pub fn into_owned(self) -> Parameter<'static> {
        Parameter {
            keyword: Cow::Owned(self.keyword.into_owned()),
            value: self.value.map(|v| Cow::Owned(v.into_owned())),
        }
    }
}

/// `esmtp-keyword`; the error is the offending offset.
pub(crate) fn check_keyword(text: &[u8]) -> Result<(), usize> {
    match text.first() {
        None => Err(0),
        Some(b) if !b.is_ascii_alphanumeric() => Err(0),
        Some(_) => match text.iter().position(|&b| !syntax::is(b, syntax::LDH)) {
            Some(pos) => Err(pos),
            None => Ok(()),
        },
    }
}

/// `esmtp-value`, with UTF-8; the error is the offending offset.
pub(crate) fn check_esmtp_value(text: &[u8]) -> Result<(), usize> {
    if text.is_empty() {
        return Err(0);
    }
    match text
        .iter()
        .position(|&b| !syntax::is_or_utf8(b, syntax::ESMTP_VALUE))
    {
        Some(pos) => Err(pos),
        None => Ok(()),
    }
}

/// `BODY=` (RFC 6152 §2, RFC 3030 §3): how the message content is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Body {
    /// `7BIT`: lines of ASCII.
    SevenBit,
    /// `8BITMIME`: lines of octets, MIME 8bit parts.
    EightBitMime,
    /// `BINARYMIME`: any octets; only with BDAT.
    BinaryMime,
}

impl Body {
    /// The value as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SevenBit => "7BIT",
            Self::EightBitMime => "8BITMIME",
            Self::BinaryMime => "BINARYMIME",
        }
    }

    pub(crate) fn parse(value: &[u8]) -> Option<Self> {
        let (yes, body) = match value.len() {
            4 => (syntax::eq_keyword(value, b"7BIT"), Self::SevenBit),
            8 => (syntax::eq_keyword(value, b"8BITMIME"), Self::EightBitMime),
            10 => (syntax::eq_keyword(value, b"BINARYMIME"), Self::BinaryMime),
            _ => return None,
        };
        yes.then_some(body)
    }
}

/// `RET=` (RFC 3461 §4.3): what a failure notification returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ret {
    /// `FULL`: the whole message.
    Full,
    /// `HDRS`: the header only.
    Headers,
}

impl Ret {
    /// The value as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "FULL",
            Self::Headers => "HDRS",
        }
    }

    pub(crate) fn parse(value: &[u8]) -> Option<Self> {
        let (yes, ret) = match value.first()? | 0x20 {
            b'f' => (syntax::eq_keyword(value, b"FULL"), Self::Full),
            b'h' => (syntax::eq_keyword(value, b"HDRS"), Self::Headers),
            _ => return None,
        };
        yes.then_some(ret)
    }
}

/// `NOTIFY=` (RFC 3461 §4.1): when to send a delivery status notification.
///
/// ```text
/// notify-esmtp-value  = "NEVER" / 1#notify-list-element
/// notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
/// ```
///
/// All three `false` is `NEVER`, which must stand alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Notify {
    /// `SUCCESS`.
    pub success: bool,
    /// `FAILURE`.
    pub failure: bool,
    /// `DELAY`.
    pub delay: bool,
}

impl Notify {
    /// `NEVER`.
    pub const NEVER: Self = Self {
        success: false,
        failure: false,
        delay: false,
    };

    /// Whether this is `NEVER`.
    pub fn is_never(self) -> bool {
        self == Self::NEVER
    }

    /// Parses the value; `None` if it is not the grammar's (`NEVER` with
    /// another keyword, a keyword twice, an empty element).
    pub(crate) fn parse(value: &[u8]) -> Option<Self> {
        if syntax::eq_keyword(value, b"NEVER") {
            return Some(Self::NEVER);
        }
        let mut notify = Self::NEVER;
        let mut rest = value;
        loop {
            let (element, more) = match rest.iter().position(|&b| b == b',') {
                Some(comma) => (&rest[..comma], Some(&rest[comma + 1..])),
                None => (rest, None),
            };
            let (slot, yes) = match element.first()? | 0x20 {
                b's' => (&mut notify.success, syntax::eq_keyword(element, b"SUCCESS")),
                b'f' => (&mut notify.failure, syntax::eq_keyword(element, b"FAILURE")),
                b'd' => (&mut notify.delay, syntax::eq_keyword(element, b"DELAY")),
                _ => return None,
            };
            if !yes || *slot {
                return None;
            }
            *slot = true;
            match more {
                Some(more) => rest = more,
                None => return Some(notify),
            }
        }
    }
}

impl fmt::Display for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_never() {
            return f.write_str("NEVER");
        }
        let mut sep = "";
        for (on, name) in [
            (self.success, "SUCCESS"),
            (self.failure, "FAILURE"),
            (self.delay, "DELAY"),
        ] {
            if on {
                f.write_str(sep)?;
                f.write_str(name)?;
                sep = ",";
            }
        }
        Ok(())
    }
}

/// Text in xtext (RFC 3461 §4), as ENVID, ORCPT and AUTH= carry it:
///
/// ```text
/// xtext   = *( xchar / hexchar )
/// xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
///           except for "+" and "=".
/// hexchar = ASCII "+" immediately followed by two upper case
///           hexadecimal digits
/// ```
///
/// Kept encoded, as sent, so it re-encodes to the same octets;
/// [`decode`](Self::decode) gives the octets it stands for. Never empty: an
/// ESMTP parameter's value has at least one character (RFC 5321 §4.1.2).
///
/// ```
/// use smtp_proto::XText;
///
/// let x = XText::encode(b"a+b=c d")?;
/// assert_eq!(x.as_str(), "a+2Bb+3Dc+20d");
/// assert_eq!(x.decode(), b"a+b=c d");
/// assert!(XText::try_from("a+2b").is_err()); // lower-case hex
/// assert!(XText::encode(b"").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct XText<'a>(Cow<'a, str>);

impl<'a> XText<'a> {
    /// Encodes octets as xtext; fails if there are none.
    pub fn encode(octets: &[u8]) -> Result<XText<'static>, ValueError> {
        if octets.is_empty() {
            return Err(ValueError::Empty);
        }
        let mut out = String::with_capacity(octets.len());
        for &b in octets {
            if syntax::is(b, XCHAR) {
                out.push(char::from(b));
            } else {
                out.push('+');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        Ok(XText(Cow::Owned(out)))
    }

    /// The encoded text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The octets the text stands for.
    pub fn decode(&self) -> Vec<u8> {
        let bytes = self.0.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'+' && i + 2 < bytes.len() {
                out.push(hex_value(bytes[i + 1]) << 4 | hex_value(bytes[i + 2]));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        out
    }

    /// The text with its octets copied, free of the input buffer.
    pub fn into_owned(self) -> XText<'static> {
        XText(Cow::Owned(self.0.into_owned()))
    }

    pub(crate) fn from_checked(text: &'a str) -> Self {
        Self(Cow::Borrowed(text))
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Checks xtext, not empty; the error is the offending offset.
pub(crate) fn check_xtext(text: &[u8]) -> Result<(), usize> {
    if text.is_empty() {
        return Err(0);
    }
    // Most xtext is xchar alone: one pass the compiler vectorizes.
    let odd = text.iter().fold(0u8, |odd, &b| {
        odd | u8::from(b.wrapping_sub(33) > 93 || b == b'+' || b == b'=')
    });
    if odd == 0 {
        return Ok(());
    }
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => {
                for j in 1..=2 {
                    match text.get(i + j) {
                        Some(b'0'..=b'9' | b'A'..=b'F') => {}
                        _ => return Err(i + j),
                    }
                }
                i += 3;
            }
            b if syntax::is(b, XCHAR) => i += 1,
            _ => return Err(i),
        }
    }
    Ok(())
}

impl<'a> TryFrom<&'a str> for XText<'a> {
    type Error = ValueError;

    fn try_from(text: &'a str) -> Result<Self, Self::Error> {
        check_xtext(text.as_bytes()).map_err(ValueError::Syntax)?;
        Ok(Self(Cow::Borrowed(text)))
    }
}

impl fmt::Debug for XText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "XText({})", self.0)
    }
}

impl fmt::Display for XText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `ORCPT=` (RFC 3461 §4.2): the original recipient, as an address type and
/// the address encoded for it.
///
/// ```text
/// orcpt-parameter = "ORCPT=" original-recipient-address
/// original-recipient-address = addr-type ";" xtext
/// addr-type = atom
/// ```
///
/// For the `utf-8` address type (RFC 6533 §3) the address is
/// `utf-8-addr-xtext` or, under SMTPUTF8, `utf-8-addr-unitext`: printable
/// ASCII but `+`, `=` and `\`, UTF-8, and `\x{HEX}` escapes. Either way the
/// text is kept as sent; [`decoded_address`](Self::decoded_address) undoes
/// the encoding.
///
/// ```
/// use smtp_proto::Orcpt;
///
/// let o = Orcpt::rfc822("Bob+x@example.org")?;
/// assert_eq!(o.to_string(), "rfc822;Bob+2Bx@example.org");
/// assert_eq!(o.decoded_address().as_deref(), Some("Bob+x@example.org"));
///
/// let u = Orcpt::new("utf-8", "j\\x{F6}ran@example.org")?;
/// assert_eq!(u.decoded_address().as_deref(), Some("jöran@example.org"));
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Orcpt<'a> {
    addr_type: Cow<'a, str>,
    address: Cow<'a, str>,
}

impl<'a> Orcpt<'a> {
    /// An ORCPT from its address type and encoded address, checked.
    pub fn new(
        addr_type: impl Into<Cow<'a, str>>,
        address: impl Into<Cow<'a, str>>,
    ) -> Result<Self, ValueError> {
        let addr_type = addr_type.into();
        let address = address.into();
        check_orcpt(addr_type.as_bytes(), address.as_bytes()).map_err(ValueError::Syntax)?;
        Ok(Self { addr_type, address })
    }

    /// `rfc822;` and the mailbox in xtext; fails if the mailbox is empty.
    pub fn rfc822(mailbox: &str) -> Result<Orcpt<'static>, ValueError> {
        Ok(Orcpt {
            addr_type: Cow::Borrowed("rfc822"),
            address: Cow::Owned(XText::encode(mailbox.as_bytes())?.0.into_owned()),
        })
    }

    /// The address type, as sent (`rfc822`, `utf-8`, ...).
    pub fn addr_type(&self) -> &str {
        &self.addr_type
    }

    /// The address, encoded as sent.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The address with its encoding undone; `None` if it does not decode to
    /// UTF-8.
    pub fn decoded_address(&self) -> Option<String> {
        if self.addr_type.eq_ignore_ascii_case("utf-8") {
            decode_utf8_addr(&self.address)
        } else {
            String::from_utf8(XText::from_checked(&self.address).decode()).ok()
        }
    }

    /// The value with its text copied, free of the input buffer.
    pub fn into_owned(self) -> Orcpt<'static> {
        Orcpt {
            addr_type: Cow::Owned(self.addr_type.into_owned()),
            address: Cow::Owned(self.address.into_owned()),
        }
    }

    pub(crate) fn from_checked(addr_type: &'a str, address: &'a str) -> Self {
        Self {
            addr_type: Cow::Borrowed(addr_type),
            address: Cow::Borrowed(address),
        }
    }
}

impl fmt::Display for Orcpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};{}", self.addr_type, self.address)
    }
}

/// Checks an ORCPT's parts; the error is the offending offset in
/// `addr_type ";" address`.
pub(crate) fn check_orcpt(addr_type: &[u8], address: &[u8]) -> Result<(), usize> {
    if addr_type.is_empty() {
        return Err(0);
    }
    // An atom, within an esmtp-value (RFC 5321 §4.1.2): no `=`.
    if let Some(pos) = addr_type
        .iter()
        .position(|&b| b == b'=' || !syntax::is(b, ATEXT))
    {
        return Err(pos);
    }
    let at = addr_type.len() + 1;
    if address.is_empty() {
        return Err(at);
    }
    if addr_type.eq_ignore_ascii_case(b"utf-8") {
        check_utf8_addr(address).map_err(|pos| at + pos)
    } else {
        check_xtext(address).map_err(|pos| at + pos)
    }
}

/// RFC 6533 §3: `utf-8-addr-unitext`, which includes `utf-8-addr-xtext`:
///
/// ```text
/// utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar)
/// QCHAR               = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e
/// EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"
/// ```
fn check_utf8_addr(text: &[u8]) -> Result<(), usize> {
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\\' => {
                let len = embedded_char(&text[i..]).ok_or(i)?.1;
                i += len;
            }
            b'+' | b'=' => return Err(i),
            b if b >= 0x80 || matches!(b, 0x21..=0x7e) => i += 1,
            _ => return Err(i),
        }
    }
    Ok(())
}

/// `\x{HEXPOINT}` at the start of `text`: the character and its length.
fn embedded_char(text: &[u8]) -> Option<(char, usize)> {
    let rest = text.strip_prefix(b"\\x{")?;
    let close = rest.iter().take(7).position(|&b| b == b'}')?;
    let hex = &rest[..close];
    if hex.is_empty() || hex.len() > 6 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let value = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
    Some((char::from_u32(value)?, 3 + close + 1))
}

fn decode_utf8_addr(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            let (c, len) = embedded_char(&bytes[i..])?;
            out.push(c);
            i += len;
        } else {
            let c = text[i..].chars().next()?;
            out.push(c);
            i += c.len_utf8();
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xtext_both_ways() {
        assert_eq!(XText::encode(b""), Err(ValueError::Empty));
        assert!(XText::try_from("").is_err());
        for (raw, encoded) in [
            (&b"plain"[..], "plain"),
            (b"e=mc2@example.com", "e+3Dmc2@example.com"),
            (b"<>", "<>"),
            (b"\x00\xff", "+00+FF"),
        ] {
            let x = XText::encode(raw).unwrap();
            assert_eq!(x.as_str(), encoded);
            assert_eq!(x.decode(), raw);
            assert_eq!(XText::try_from(encoded).unwrap(), x);
        }
        assert_eq!(check_xtext(b"a+2"), Err(3));
        assert_eq!(check_xtext(b"a+g0"), Err(2));
        assert_eq!(check_xtext(b"a=b"), Err(1));
        assert_eq!(check_xtext(b"a b"), Err(1));
        assert_eq!(check_xtext("é".as_bytes()), Err(0));
    }

    #[test]
    fn notify_values() {
        assert_eq!(Notify::parse(b"never"), Some(Notify::NEVER));
        let n = Notify::parse(b"FAILURE,delay").unwrap();
        assert!(n.failure && n.delay && !n.success);
        assert_eq!(n.to_string(), "FAILURE,DELAY");
        // RFC 3461 §4.1: "the NEVER keyword MUST appear by itself".
        assert_eq!(Notify::parse(b"NEVER,SUCCESS"), None);
        assert_eq!(Notify::parse(b"SUCCESS,NEVER"), None);
        assert_eq!(Notify::parse(b"SUCCESS,SUCCESS"), None);
        assert_eq!(Notify::parse(b"SUCCESS,"), None);
        assert_eq!(Notify::parse(b""), None);
    }

    #[test]
    fn orcpt_values() {
        let o = Orcpt::new("rfc822", "a+2Bb@x.y").unwrap();
        assert_eq!(o.decoded_address().as_deref(), Some("a+b@x.y"));
        assert!(Orcpt::new("rfc822", "a+b@x.y").is_err());
        assert!(Orcpt::new("", "a@x.y").is_err());
        assert!(Orcpt::new("rfc 822", "a@x.y").is_err());
        assert!(Orcpt::new("rfc822", "").is_err());
        // RFC 6533: escapes and (under SMTPUTF8) raw UTF-8.
        let u = Orcpt::new("UTF-8", "δοκιμή@x\\x{3B1}.y").unwrap();
        assert_eq!(u.decoded_address().as_deref(), Some("δοκιμή@xα.y"));
        assert!(Orcpt::new("utf-8", "a\\x{}@x.y").is_err());
        assert!(Orcpt::new("utf-8", "a\\x{110000}@x.y").is_err());
        assert!(Orcpt::new("utf-8", "a\\x{D800}@x.y").is_err());
        assert!(Orcpt::new("utf-8", "a+b@x.y").is_err());
    }

    #[test]
    fn keywords_and_values() {
        assert!(Parameter::new("X-FOO", Some("bar")).is_ok());
        assert!(Parameter::new("X-FOO", None::<&str>).is_ok());
        assert_eq!(
            Parameter::new("-X", None::<&str>),
            Err(ValueError::Syntax(0))
        );
        assert_eq!(
            Parameter::new("X_Y", None::<&str>),
            Err(ValueError::Syntax(1))
        );
        assert_eq!(Parameter::new("X", Some("a=b")), Err(ValueError::Syntax(1)));
        assert_eq!(Parameter::new("X", Some("")), Err(ValueError::Syntax(0)));
        assert_eq!(Body::parse(b"8bitmime"), Some(Body::EightBitMime));
        assert_eq!(Body::parse(b"8BIT"), None);
        assert_eq!(Ret::parse(b"hdrs"), Some(Ret::Headers));
    }
}
