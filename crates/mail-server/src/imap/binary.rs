//! BINARY: a part with its Content-Transfer-Encoding undone (RFC 3516 §4,
//! RFC 9051 §6.4.5).

use bytes::Bytes;
use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;

use super::fetch::FetchError;
use super::message::Parsed;

/// The octets of `BINARY[part]`, decoded.
///
/// - A leaf part in 7bit, 8bit or binary (or none named, or not MIME) is
///   its body as stored (a slice, no copy); base64 and quoted-printable
///   are decoded with `mail-parser`'s decoders; any other encoding is
///   [`FetchError::UnknownCte`] (RFC 3516 §4.3), and a broken base64 or
///   quoted-printable body is [`FetchError::Undecodable`].
/// - A part that does not exist is the empty string, as Dovecot answers.
/// - `BINARY[]` and a multipart or message/rfc822 part are their octets as
///   stored: RFC 9051 §6.4.5 allows BINARY only "for leaf body parts", and
///   the encoding of such a part is 7bit, 8bit or binary by definition
///   (RFC 2045 §6.4), so undoing it changes nothing. (Dovecot instead
///   rewrites the parts inside with their encodings undone.)
pub(crate) fn decode<'m>(
    part: &[u32],
    raw: &'m Bytes,
    parsed: &mut Option<Parsed<'m>>,
) -> Result<Bytes, FetchError> {
    if part.is_empty() {
        return Ok(raw.clone());
    }
    let parsed = parsed.get_or_insert_with(|| Parsed::new(raw));
    let Some(p) = parsed.part(part) else {
        return Ok(Bytes::new());
    };
    let body = p.body();
    if !p.is_leaf() || !p.is_mime() {
        return Ok(parsed.bytes(body));
    }
    let encoding = p
        .header_value("Content-Transfer-Encoding")
        .map(|v| token(&v).to_ascii_lowercase())
        .unwrap_or_default();
    match &encoding[..] {
        b"" | b"7bit" | b"8bit" | b"binary" => Ok(parsed.bytes(body)),
        b"base64" => base64_decode(body)
            .map(Bytes::from)
            .ok_or(FetchError::Undecodable),
        b"quoted-printable" => quoted_printable_decode(body)
            .map(Bytes::from)
            .ok_or(FetchError::Undecodable),
        _ => Err(FetchError::UnknownCte),
    }
}

/// The mechanism of a Content-Transfer-Encoding value: the token before
/// white space, a comment or a parameter (RFC 2045 §6.1).
fn token(v: &[u8]) -> &[u8] {
    let end = v
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'(' | b';'))
        .unwrap_or(v.len());
    &v[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(raw: &'static [u8], part: &[u32]) -> Result<Bytes, FetchError> {
        let raw = Bytes::from_static(raw);
        let mut parsed = None;
        decode(part, &raw, &mut parsed)
    }

    const MULTI: &[u8] = b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n\
--x\r\nContent-Transfer-Encoding: BASE64 (comment)\r\n\r\nAAEC\r\nAw==\r\n\
--x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nsoft=\r\n break =3D\r\n\
--x\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin\r\n\
--x\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--x--\r\n";

    #[test]
    fn base64_and_quoted_printable_are_decoded() {
        // RFC 3516 §4.2: "the server MUST decode ... and return the binary".
        assert_eq!(&binary(MULTI, &[1]).unwrap()[..], b"\x00\x01\x02\x03");
        assert_eq!(&binary(MULTI, &[2]).unwrap()[..], b"soft break =");
    }

    #[test]
    fn unknown_and_broken_encodings_are_errors() {
        // RFC 3516 §4.3: "If the server does not know how to decode the
        // section's CTE, it MUST respond with ... UNKNOWN-CTE".
        assert_eq!(binary(MULTI, &[3]), Err(FetchError::UnknownCte));
        assert_eq!(binary(MULTI, &[4]), Err(FetchError::Undecodable));
    }

    #[test]
    fn missing_parts_are_empty_and_containers_are_as_stored() {
        assert_eq!(binary(MULTI, &[9]), Ok(Bytes::new()));
        assert_eq!(binary(MULTI, &[]).unwrap().len(), MULTI.len());
        // A message that is not MIME: its Content-Transfer-Encoding is
        // not read (no MIME-Version, no Content-Type).
        let plain = b"Content-Transfer-Encoding: base64\r\n\r\nnot base64!\r\n";
        assert_eq!(&binary(plain, &[1]).unwrap()[..], b"not base64!\r\n");
    }
}
