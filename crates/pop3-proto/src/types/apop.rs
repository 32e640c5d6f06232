//! APOP: the greeting's timestamp and the client's digest (RFC 1939 §7).

use std::fmt;

use crate::{DecodeError, ErrorKind, ValueError};

/// The timestamp an APOP server puts in its greeting, angle brackets
/// included (RFC 1939 §7, RFC 2449 §3):
///
/// ```text
/// greeting  = "+OK" [resp-code] *gchar [timestamp] *gchar CRLF
/// timestamp = "<" *VCHAR ">"
///                 ;MUST conform to RFC-822 msg-id
/// ```
///
/// > \[it\] MUST be different each time the POP3 server issues a banner
/// > greeting.
///
/// This crate reads no clock and no random source: the application makes
/// the timestamp (`<process-ID.clock@hostname>` in RFC 1939's example, random
/// octets in Dovecot's) and hands it to
/// [`Server::with_apop`](crate::server::Server::with_apop).
///
/// ```
/// use pop3_proto::ApopTimestamp;
///
/// let ts = ApopTimestamp::new("<1896.697170952@dbc.mtview.ca.us>")?;
/// assert_eq!(ts.digest_input(b"tanstaaf"), b"<1896.697170952@dbc.mtview.ca.us>tanstaaf");
/// # Ok::<(), pop3_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApopTimestamp(Box<str>);

impl ApopTimestamp {
    /// The longest timestamp accepted, in octets: it must leave room in a
    /// 512-octet greeting (RFC 1939 §3).
    pub const MAX_LEN: usize = 256;

    /// A timestamp from its text, brackets included.
    pub fn new(timestamp: &str) -> Result<Self, ValueError> {
        Self::validate(timestamp.as_bytes())?;
        Ok(Self(timestamp.into()))
    }

    /// The first well-formed timestamp in a greeting's text, if any.
    pub fn find_in(text: &[u8]) -> Option<Self> {
        let start = memchr::memchr(b'<', text)?;
        let len = memchr::memchr(b'>', &text[start..])? + 1;
        let candidate = &text[start..start + len];
        Self::validate(candidate).ok()?;
        Some(Self(String::from_utf8_lossy(candidate).into()))
    }

    /// The timestamp, brackets included.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The octets whose MD5 digest APOP sends: the timestamp, then the shared
    /// secret (RFC 1939 §7).
    pub fn digest_input(&self, secret: &[u8]) -> Vec<u8> {
        let mut input = Vec::with_capacity(self.0.len() + secret.len());
        input.extend_from_slice(self.0.as_bytes());
        input.extend_from_slice(secret);
        input
    }

    fn validate(ts: &[u8]) -> Result<(), ValueError> {
        if ts.len() > Self::MAX_LEN {
            return Err(ValueError::TooLong);
        }
        let inner = ts
            .strip_prefix(b"<")
            .and_then(|t| t.strip_suffix(b">"))
            .ok_or(ValueError::MissingDelimiter)?;
        if inner.is_empty() {
            return Err(ValueError::Empty);
        }
        match inner
            .iter()
            .find(|&&b| !(0x21..=0x7e).contains(&b) || b == b'<' || b == b'>')
        {
            Some(&b) => Err(ValueError::InvalidOctet(b)),
            None => Ok(()),
        }
    }
}

impl TryFrom<&str> for ApopTimestamp {
    type Error = ValueError;

    fn try_from(ts: &str) -> Result<Self, Self::Error> {
        Self::new(ts)
    }
}

impl fmt::Debug for ApopTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApopTimestamp({})", self.0)
    }
}

impl fmt::Display for ApopTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The digest of an APOP command: MD5 of the greeting's timestamp followed by
/// the shared secret, sent as 32 lower-case hexadecimal digits (RFC 1939 §7).
///
/// The crate has no MD5: the server application, which holds the shared
/// secret, computes `MD5(timestamp.digest_input(secret))` and compares with
/// [`matches`](Self::matches); a client computes it and sends it with
/// [`Client::apop`](crate::client::Client::apop).
///
/// ```
/// use pop3_proto::ApopDigest;
///
/// // RFC 1939 §7: MD5("<1896.697170952@dbc.mtview.ca.us>tanstaaf")
/// let digest: ApopDigest = "c4c9334bac560ecc979e58001b3e22fb".parse()?;
/// assert!(digest.matches(&[
///     0xc4, 0xc9, 0x33, 0x4b, 0xac, 0x56, 0x0e, 0xcc,
///     0x97, 0x9e, 0x58, 0x00, 0x1b, 0x3e, 0x22, 0xfb,
/// ]));
/// assert_eq!(digest.to_string(), "c4c9334bac560ecc979e58001b3e22fb");
/// # Ok::<(), pop3_proto::DecodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApopDigest([u8; 16]);

impl ApopDigest {
    /// A digest from its 16 octets.
    pub const fn new(octets: [u8; 16]) -> Self {
        Self(octets)
    }

    /// The 16 octets.
    pub const fn octets(&self) -> &[u8; 16] {
        &self.0
    }

    /// Compares with the digest the server computed, in time that does not
    /// depend on where they differ.
    pub fn matches(&self, expected: &[u8; 16]) -> bool {
        self.0
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }

    /// Parses 32 hexadecimal digits. RFC 1939 sends lower case; upper case is
    /// accepted too, as Dovecot does.
    pub(crate) fn parse(hex: &[u8]) -> Result<Self, DecodeError> {
        if hex.len() != 32 {
            let offset = hex.len().min(32);
            return Err(DecodeError::at(offset, ErrorKind::InvalidDigest));
        }
        let mut octets = [0u8; 16];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            let hi = hex_value(pair[0]).ok_or(DecodeError::at(2 * i, ErrorKind::InvalidDigest))?;
            let lo =
                hex_value(pair[1]).ok_or(DecodeError::at(2 * i + 1, ErrorKind::InvalidDigest))?;
            octets[i] = hi << 4 | lo;
        }
        Ok(Self(octets))
    }

    /// Appends the 32 lower-case digits.
    pub(crate) fn encode(&self, out: &mut bytes::BytesMut) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for b in self.0 {
            out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
    }
}

const fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl std::str::FromStr for ApopDigest {
    type Err = DecodeError;

    fn from_str(hex: &str) -> Result<Self, Self::Err> {
        Self::parse(hex.as_bytes())
    }
}

impl From<[u8; 16]> for ApopDigest {
    fn from(octets: [u8; 16]) -> Self {
        Self(octets)
    }
}

impl fmt::Debug for ApopDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApopDigest({self})")
    }
}

impl fmt::Display for ApopDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = bytes::BytesMut::with_capacity(32);
        self.encode(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1939_greeting_timestamp() {
        let text = b"POP3 server ready <1896.697170952@dbc.mtview.ca.us>";
        let ts = ApopTimestamp::find_in(text).unwrap();
        assert_eq!(ts.as_str(), "<1896.697170952@dbc.mtview.ca.us>");
        assert_eq!(ApopTimestamp::find_in(b"POP3 server ready"), None);
        assert_eq!(ApopTimestamp::find_in(b"odd <unclosed"), None);
        assert_eq!(ApopTimestamp::find_in(b"empty <> here"), None);
        assert_eq!(
            ApopTimestamp::new("no-brackets"),
            Err(ValueError::MissingDelimiter)
        );
        assert_eq!(
            ApopTimestamp::new("<a b>"),
            Err(ValueError::InvalidOctet(b' '))
        );
        assert_eq!(
            ApopTimestamp::new("<a<b>"),
            Err(ValueError::InvalidOctet(b'<'))
        );
    }

    #[test]
    fn digests_parse_both_cases_and_encode_lower() {
        let d = ApopDigest::parse(b"C4C9334BAC560ECC979E58001B3E22FB").unwrap();
        assert_eq!(d.to_string(), "c4c9334bac560ecc979e58001b3e22fb");
        assert_eq!(
            ApopDigest::parse(b"c4c9"),
            Err(DecodeError::at(4, ErrorKind::InvalidDigest))
        );
        assert_eq!(
            ApopDigest::parse(b"c4c9334bac560ecc979e58001b3e22fbff"),
            Err(DecodeError::at(32, ErrorKind::InvalidDigest))
        );
        assert_eq!(
            ApopDigest::parse(b"c4c9334bac560ecc979e58001b3e22fg"),
            Err(DecodeError::at(31, ErrorKind::InvalidDigest))
        );
        assert!(!d.matches(&[0; 16]));
    }
}
