//! Modified UTF-7 for mailbox names (RFC 3501 §5.1.3), strict both ways.

use base64::Engine;
use base64::alphabet::IMAP_MUTF7;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::ValueError;

/// Base64 with `,` for `/`, no padding, and no stray bits on decoding.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &IMAP_MUTF7,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Encodes a Unicode name in modified UTF-7: printable US-ASCII stands for
/// itself, `&` is `&-`, anything else is `&`, modified base64 of its UTF-16BE,
/// and `-`.
///
/// ```
/// use imap_proto::types::utf7;
/// // RFC 3501 §5.1.3's example.
/// assert_eq!(utf7::encode("~peter/mail/\u{53f0}\u{5317}/\u{65e5}\u{672c}\u{8a9e}"),
///            "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
/// ```
pub fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    let flush = |out: &mut String, pending: &mut Vec<u16>| {
        if !pending.is_empty() {
            let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
            out.push('&');
            out.push_str(&ENGINE.encode(bytes));
            out.push('-');
            pending.clear();
        }
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut pending);
            out.push(c);
            if c == '&' {
                out.push('-');
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut out, &mut pending);
    out
}

/// Decodes a modified UTF-7 name, refusing every form RFC 3501 §5.1.3 does
/// not allow: 8-bit or control octets, an unterminated or empty-but-not-`&-`
/// shift, printable US-ASCII or `&` encoded in base64, two shifts in a row,
/// stray bits, and broken UTF-16. The error carries the offset.
///
/// ```
/// use imap_proto::types::utf7;
/// assert_eq!(utf7::decode("Entw&APw-rfe").unwrap(), "Entw\u{fc}rfe");
/// assert!(utf7::decode("&AGE-").is_err()); // "a" must not be encoded
/// ```
pub fn decode(wire: &str) -> Result<String, ValueError> {
    let bytes = wire.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    let mut last_shift_end = None;
    while i < bytes.len() {
        let b = bytes[i];
        if !(0x20..=0x7e).contains(&b) {
            return Err(ValueError::ModifiedUtf7(i));
        }
        if b != b'&' {
            out.push(b as char);
            i += 1;
            continue;
        }
        let start = i + 1;
        let end = bytes[start..]
            .iter()
            .position(|&c| c == b'-')
            .map(|p| start + p)
            .ok_or(ValueError::ModifiedUtf7(i))?;
        if end == start {
            out.push('&');
            i = end + 1;
            continue;
        }
        if last_shift_end == Some(i) {
            // "&AGE-&AGE-" must be written as one shift.
            return Err(ValueError::ModifiedUtf7(i));
        }
        let raw = ENGINE
            .decode(&bytes[start..end])
            .map_err(|_| ValueError::ModifiedUtf7(start))?;
        if raw.len() % 2 != 0 {
            return Err(ValueError::ModifiedUtf7(start));
        }
        let units = raw
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        for c in char::decode_utf16(units) {
            let c = c.map_err(|_| ValueError::ModifiedUtf7(start))?;
            if (' '..='~').contains(&c) {
                return Err(ValueError::ModifiedUtf7(start));
            }
            out.push(c);
        }
        i = end + 1;
        last_shift_end = Some(i);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for (name, wire) in [
            ("INBOX", "INBOX"),
            ("a&b", "a&-b"),
            ("&", "&-"),
            ("Entw\u{fc}rfe", "Entw&APw-rfe"),
            ("\u{65e5}\u{672c}\u{8a9e}", "&ZeVnLIqe-"),
            ("\u{1f600}", "&2D3eAA-"),
            ("Gel\u{f6}schte Elemente", "Gel&APY-schte Elemente"),
        ] {
            assert_eq!(encode(name), wire);
            assert_eq!(decode(wire).unwrap(), name);
        }
    }

    #[test]
    fn rejects_non_canonical_forms() {
        for (wire, at) in [
            ("a\u{e9}", 1),    // raw 8-bit
            ("&U,BTFw", 0),    // unterminated
            ("&AGE-", 1),      // encoded printable ASCII
            ("&ACY-", 1),      // encoded "&"
            ("&APw-&APw-", 5), // two shifts in a row
            ("&APx-", 1),      // stray bits
            ("&2D0-", 1),      // lone surrogate
            ("&AP-", 1),       // half a UTF-16 unit
            ("a\tb", 1),       // control
        ] {
            assert_eq!(decode(wire), Err(ValueError::ModifiedUtf7(at)), "{wire}");
        }
    }
}
