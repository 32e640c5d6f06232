//! Character classes of the grammar, as one lookup table, and the decimal
//! numbers it uses.

/// `atext` (RFC 5322 §3.2.3): the octets of a dot-string atom.
pub(crate) const ATEXT: u8 = 1;
/// `Let-dig` and `-` (RFC 5321 §4.1.2): domain labels, ESMTP keywords.
pub(crate) const LDH: u8 = 2;
/// `qtextSMTP` (RFC 5321 §4.1.2): inside a quoted local part.
pub(crate) const QTEXT: u8 = 4;
/// `xchar` (RFC 3461 §4): xtext octets that stand for themselves.
pub(crate) const XCHAR: u8 = 8;
/// `dcontent` (RFC 5321 §4.1.3): a general address literal's content.
pub(crate) const DCONTENT: u8 = 16;
/// `esmtp-value` (RFC 5321 §4.1.2): any CHAR but `=`, SP and controls.
pub(crate) const ESMTP_VALUE: u8 = 32;
/// `textstring` (RFC 5321 §4.2): HT, SP and printable ASCII.
pub(crate) const TEXT: u8 = 64;
/// `VCHAR`: printable ASCII, no space.
pub(crate) const VCHAR: u8 = 128;

const fn build() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 128 {
        let c = b as u8;
        let mut class = 0u8;
        let alnum = c.is_ascii_alphanumeric();
        if alnum
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'/'
                    | b'='
                    | b'?'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
            )
        {
            class |= ATEXT;
        }
        if alnum || c == b'-' {
            class |= LDH;
        }
        if matches!(c, 32..=33 | 35..=91 | 93..=126) {
            class |= QTEXT;
        }
        if matches!(c, 33..=126) && c != b'+' && c != b'=' {
            class |= XCHAR;
        }
        if matches!(c, 33..=90 | 94..=126) {
            class |= DCONTENT;
        }
        if matches!(c, 33..=60 | 62..=126) {
            class |= ESMTP_VALUE;
        }
        if c == 9 || matches!(c, 32..=126) {
            class |= TEXT;
        }
        if matches!(c, 33..=126) {
            class |= VCHAR;
        }
        table[b] = class;
        b += 1;
    }
    table
}

static TABLE: [u8; 256] = build();

/// Whether `b` is in `class` (ASCII only: octets from 0x80 are in none).
#[inline]
pub(crate) fn is(b: u8, class: u8) -> bool {
    TABLE[b as usize] & class != 0
}

/// Whether `b` is in `class`, or starts or continues a UTF-8 sequence (for
/// the productions RFC 6531 extends with `UTF8-non-ascii`; the line is
/// checked to be UTF-8 as a whole).
#[inline]
pub(crate) fn is_or_utf8(b: u8, class: u8) -> bool {
    b >= 0x80 || TABLE[b as usize] & class != 0
}

/// Why a run of digits is not a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// No digit where one must be, or something other than a digit.
    NotDigits,
    /// More than the type holds: never wrapped.
    Overflow,
}

/// `1*DIGIT` making up the whole of `digits`, as a `u64`.
pub(crate) fn parse_u64(digits: &[u8]) -> Result<u64, NumberError> {
    if digits.is_empty() {
        return Err(NumberError::NotDigits);
    }
    let mut value: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return Err(NumberError::NotDigits);
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
            .ok_or(NumberError::Overflow)?;
    }
    Ok(value)
}

/// Appends `n` in decimal.
pub(crate) fn put_decimal(out: &mut bytes::BytesMut, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Case-insensitive ASCII prefix test.
#[inline]
pub(crate) fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is(b'a', ATEXT) && is(b'~', ATEXT) && !is(b'.', ATEXT) && !is(b'@', ATEXT));
        assert!(is(b'-', LDH) && !is(b'_', LDH) && !is(b'.', LDH));
        assert!(is(b' ', QTEXT) && !is(b'"', QTEXT) && !is(b'\\', QTEXT));
        assert!(!is(b'+', XCHAR) && !is(b'=', XCHAR) && !is(b' ', XCHAR) && is(b'~', XCHAR));
        assert!(!is(b'[', DCONTENT) && !is(b'\\', DCONTENT) && !is(b']', DCONTENT));
        assert!(!is(b'=', ESMTP_VALUE) && !is(b' ', ESMTP_VALUE) && is(b'>', ESMTP_VALUE));
        assert!(is(b'\t', TEXT) && !is(b'\r', TEXT) && !is(0x7f, TEXT));
        assert!(!is(0x80, ATEXT) && is_or_utf8(0xc3, ATEXT));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_u64(b"0"), Ok(0));
        assert_eq!(parse_u64(b"0010"), Ok(10));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_u64(b"18446744073709551616"),
            Err(NumberError::Overflow)
        );
        assert_eq!(
            parse_u64(b"1234567890123456789012345"),
            Err(NumberError::Overflow)
        );
        assert_eq!(parse_u64(b""), Err(NumberError::NotDigits));
        assert_eq!(parse_u64(b"12a"), Err(NumberError::NotDigits));
        assert_eq!(parse_u64(b"-1"), Err(NumberError::NotDigits));
        let mut out = bytes::BytesMut::new();
        put_decimal(&mut out, 0);
        put_decimal(&mut out, u64::MAX);
        assert_eq!(&out[..], b"018446744073709551615");
    }
}
