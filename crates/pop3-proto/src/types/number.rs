//! Message numbers and the decimal numbers of the grammar.

use std::fmt;
use std::num::NonZeroU32;

/// A message-number: the position of a message in the maildrop as the server
/// listed it at login, from 1 (RFC 1939 §4).
///
/// > The first message in the maildrop is assigned a message-number of "1",
/// > the second is assigned "2", and so on [...] all message-numbers and
/// > message sizes are expressed in base-10 (i.e., decimal).
///
/// Numbers are fixed for the session: a message marked by DELE keeps its
/// number and the others do not move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageNumber(NonZeroU32);

impl MessageNumber {
    /// The first message.
    pub const MIN: Self = Self(NonZeroU32::MIN);

    /// The message number `n`, unless `n` is 0.
    pub const fn new(n: u32) -> Option<Self> {
        match NonZeroU32::new(n) {
            Some(n) => Some(Self(n)),
            None => None,
        }
    }

    /// The number.
    pub const fn get(self) -> u32 {
        self.0.get()
    }

    /// The message's index in a listing: `get() - 1`.
    pub const fn index(self) -> usize {
        self.0.get() as usize - 1
    }

    /// The message number of the listing entry at `index` (0-based), unless it
    /// does not fit 32 bits.
    pub fn from_index(index: usize) -> Option<Self> {
        u32::try_from(index)
            .ok()?
            .checked_add(1)
            .and_then(Self::new)
    }
}

impl TryFrom<u32> for MessageNumber {
    type Error = crate::ValueError;

    fn try_from(n: u32) -> Result<Self, Self::Error> {
        Self::new(n).ok_or(crate::ValueError::Zero)
    }
}

impl From<MessageNumber> for u32 {
    fn from(n: MessageNumber) -> Self {
        n.get()
    }
}

impl fmt::Display for MessageNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a run of digits is not a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// No digit where one must be.
    NotDigits,
    /// More than the type holds: never wrapped.
    Overflow,
}

/// Parses the decimal digits at the start of `input`, as many as there are:
/// the value and how many octets it took. Leading zeros are allowed (Dovecot's
/// `str_parse_uint` takes them); overflow is an error, never a wrap.
pub(crate) fn parse_u64(input: &[u8]) -> Result<(u64, usize), NumberError> {
    let digits = input.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return Err(NumberError::NotDigits);
    }
    let mut value: u64 = 0;
    for &b in &input[..digits] {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or(NumberError::Overflow)?;
    }
    Ok((value, digits))
}

/// [`parse_u64`] for 32 bits.
pub(crate) fn parse_u32(input: &[u8]) -> Result<(u32, usize), NumberError> {
    let (value, len) = parse_u64(input)?;
    let value = u32::try_from(value).map_err(|_| NumberError::Overflow)?;
    Ok((value, len))
}

/// Appends `n` in decimal.
pub(crate) fn put_decimal(out: &mut bytes::BytesMut, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        // `n % 10` is below 10: the cast cannot truncate.
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_numbers_start_at_one() {
        assert_eq!(MessageNumber::new(0), None);
        let one = MessageNumber::new(1).unwrap();
        assert_eq!(one, MessageNumber::MIN);
        assert_eq!(one.index(), 0);
        assert_eq!(MessageNumber::from_index(0), Some(one));
        assert_eq!(MessageNumber::from_index(u32::MAX as usize), None);
        assert_eq!(
            MessageNumber::from_index(u32::MAX as usize - 1).map(MessageNumber::get),
            Some(u32::MAX)
        );
        assert_eq!(one.to_string(), "1");
    }

    #[test]
    fn numbers_parse_without_wrapping() {
        assert_eq!(parse_u64(b"120 octets"), Ok((120, 3)));
        assert_eq!(parse_u64(b"007"), Ok((7, 3)));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok((u64::MAX, 20)));
        assert_eq!(
            parse_u64(b"18446744073709551616"),
            Err(NumberError::Overflow)
        );
        assert_eq!(parse_u64(b"x1"), Err(NumberError::NotDigits));
        assert_eq!(parse_u64(b""), Err(NumberError::NotDigits));
        assert_eq!(parse_u32(b"4294967295"), Ok((u32::MAX, 10)));
        assert_eq!(parse_u32(b"4294967296"), Err(NumberError::Overflow));
        assert_eq!(parse_u32(b"-1"), Err(NumberError::NotDigits));
    }

    #[test]
    fn decimals_encode() {
        for n in [0, 7, 10, 99_999_999, u64::MAX] {
            let mut out = bytes::BytesMut::new();
            put_decimal(&mut out, n);
            assert_eq!(&out[..], n.to_string().as_bytes());
        }
    }
}
