//! Character classes of the grammar, as one lookup table, and the decimal
//! numbers it uses.

/// `atext` (RFC 5322 §3.2.3): the octets of a dot-string atom.
pub(crate) const ATEXT: u16 = 1;
/// `Let-dig` and `-` (RFC 5321 §4.1.2): domain labels, ESMTP keywords.
pub(crate) const LDH: u16 = 2;
/// `qtextSMTP` (RFC 5321 §4.1.2): inside a quoted local part.
pub(crate) const QTEXT: u16 = 4;
/// `xchar` (RFC 3461 §4): xtext octets that stand for themselves.
pub(crate) const XCHAR: u16 = 8;
/// `dcontent` (RFC 5321 §4.1.3): a general address literal's content.
pub(crate) const DCONTENT: u16 = 16;
/// `esmtp-value` (RFC 5321 §4.1.2): any CHAR but `=`, SP and controls.
pub(crate) const ESMTP_VALUE: u16 = 32;
/// `textstring` (RFC 5321 §4.2): HT, SP and printable ASCII.
pub(crate) const TEXT: u16 = 64;
/// `VCHAR`: printable ASCII, no space.
pub(crate) const VCHAR: u16 = 128;
/// `LDH` and `_`: domain labels as DNS and Postfix take them.
pub(crate) const LDH_UNDERSCORE: u16 = 256;

const fn build() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut b = 0usize;
    while b < 128 {
        let c = b as u8;
        let mut class = 0u16;
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
            class |= LDH | LDH_UNDERSCORE;
        }
        if c == b'_' {
            class |= LDH_UNDERSCORE;
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

static TABLE: [u16; 256] = build();

/// Whether `b` is in `class` (ASCII only: octets from 0x80 are in none).
#[inline]
pub(crate) fn is(b: u8, class: u16) -> bool {
    TABLE[b as usize] & class != 0
}

/// Whether `b` is in `class`, or starts or continues a UTF-8 sequence (for
/// the productions RFC 6531 extends with `UTF8-non-ascii`; the line is
/// checked to be UTF-8 as a whole).
#[inline]
pub(crate) fn is_or_utf8(b: u8, class: u16) -> bool {
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

/// Case-insensitive ASCII prefix test (`prefix` as [`eq_keyword`] has it).
#[inline]
pub(crate) fn starts_with_ignore_case<const N: usize>(haystack: &[u8], prefix: &[u8; N]) -> bool {
    haystack.len() >= N && eq_keyword(&haystack[..N], prefix)
}

/// Whether `text` is `name`, its letters in any case: a keyword the grammar
/// names (ASCII letters and other printable octets), given as a literal.
/// Cheaper than `eq_ignore_ascii_case`, which lowers both sides octet by
/// octet: with the name known when this is inlined, only its letters are
/// folded, with bit 5 (which folds a letter only to its other case), and the
/// octets are compared without a branch.
#[inline(always)]
pub(crate) fn eq_keyword<const N: usize>(text: &[u8], name: &[u8; N]) -> bool {
    let Ok(text) = <&[u8; N]>::try_from(text) else {
        return false;
    };
    let mut diff = 0u8;
    for i in 0..N {
        let fold = if name[i].is_ascii_alphabetic() {
            0x20
        } else {
            0
        };
        diff |= (text[i] | fold) ^ (name[i] | fold);
    }
    diff == 0
}

/// The first `needle` in a short `hay`: eight octets a step in a `u64`
/// (cheaper than a vector search's setup for a few dozen octets); `memchr`
/// for longer ones.
#[inline]
pub(crate) fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    if hay.len() > 64 {
        return memchr::memchr(needle, hay);
    }
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let needles = u64::from_ne_bytes([needle; 8]);
    let (words, rest) = hay.as_chunks::<8>();
    for (i, word) in words.iter().enumerate() {
        // A zero octet of `x` is the needle; the lowest flag is exact.
        let x = u64::from_le_bytes(*word) ^ needles;
        let zero = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero != 0 {
            return Some(i * 8 + (zero.trailing_zeros() / 8) as usize);
        }
    }
    let done = words.len() * 8;
    rest.iter().position(|&b| b == needle).map(|p| done + p)
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
    fn keywords_and_short_searches() {
        assert!(eq_keyword(b"size", b"SIZE") && eq_keyword(b"SiZe", b"SIZE"));
        assert!(eq_keyword(b"mt-priority", b"MT-PRIORITY"));
        assert!(eq_keyword(b"8bitmime", b"8BITMIME"));
        // Bit 5 folds nothing but letters: CR is not `-`, `@` not `` ` ``.
        assert!(!eq_keyword(b"MT\rPRIORITY", b"MT-PRIORITY"));
        assert!(!eq_keyword(b"SIZ\x05", b"SIZE") && !eq_keyword(b"SIZ", b"SIZE"));
        assert!(!eq_keyword(b"\x18BITMIME", b"8BITMIME"));
        for len in 0..80usize {
            let mut hay = vec![b'x'; len];
            assert_eq!(find_byte(&hay, b' '), None);
            for at in 0..len {
                hay[at] = b' ';
                if at + 1 < len {
                    hay[at + 1] = b' ';
                }
                assert_eq!(find_byte(&hay, b' '), Some(at), "{len} {at}");
                hay[at] = b'x';
                if at + 1 < len {
                    hay[at + 1] = b'x';
                }
            }
        }
        // Octets around the needle's value do not confuse the word test.
        assert_eq!(find_byte(b"\x09\x0b\x8a\xff\x0a", b'\n'), Some(4));
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
