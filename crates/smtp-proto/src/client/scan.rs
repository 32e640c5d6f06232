//! What a message needs of the server it goes to: 8BITMIME for octets above
//! 127 (RFC 6152), SMTPUTF8 for UTF-8 in its header fields (RFC 6531 §3.3),
//! found in one pass as fast as a `memchr` scan.

use crate::{Body, MailParameters};

#[cfg(doc)]
use super::{Client, Envelope, Options};

/// What a message needs: found by [`BodyNeeds::of`] on a whole message, or
/// by a [`BodyScanner`] fed the message in chunks.
///
/// An outbound queue scans each message once, when it is queued, and sets
/// MAIL's parameters from it with [`apply`](Self::apply): `BODY=8BITMIME`
/// for an 8-bit body, `SMTPUTF8` for UTF-8 header fields (the client adds
/// SMTPUTF8 itself for non-ASCII addresses). A server that lacks 8BITMIME
/// gets such a message only with [`Options::send_8bit_without_8bitmime`]
/// (Postfix converts it to 7 bits instead; this crate converts nothing).
///
/// ```
/// use smtp_proto::client::BodyNeeds;
/// use smtp_proto::{Body, MailParameters};
///
/// let needs = BodyNeeds::of("Subject: caf\u{e9}\r\n\r\nhello\r\n".as_bytes());
/// assert!(needs.eight_bit && needs.utf8_headers);
/// let mut params = MailParameters::default();
/// needs.apply(&mut params);
/// assert_eq!(params.body, Some(Body::EightBitMime));
/// assert!(params.smtputf8);
///
/// let plain = BodyNeeds::of(b"Subject: hi\r\n\r\nhello\r\n");
/// assert_eq!(plain, BodyNeeds::default());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyNeeds {
    /// An octet above 127 somewhere: the message needs `BODY=8BITMIME`
    /// (RFC 6152 §2), unless it goes as `BODY=BINARYMIME`.
    pub eight_bit: bool,
    /// An octet above 127 in the header section: UTF-8 header fields, which
    /// need SMTPUTF8 (RFC 6531 §3.3).
    pub utf8_headers: bool,
}

impl BodyNeeds {
    /// Scans a whole message.
    pub fn of(message: &[u8]) -> Self {
        let mut scanner = BodyScanner::new();
        scanner.push(message);
        scanner.finish()
    }

    /// Sets MAIL's parameters for these needs: `BODY=8BITMIME` for an 8-bit
    /// message (unless a BODY is set already, as `BINARYMIME`), `SMTPUTF8`
    /// for UTF-8 header fields.
    pub fn apply(&self, params: &mut MailParameters<'_>) {
        if self.eight_bit && params.body.is_none_or(|b| b == Body::SevenBit) {
            params.body = Some(Body::EightBitMime);
        }
        if self.utf8_headers {
            params.smtputf8 = true;
        }
    }
}

/// Finds a message's [`BodyNeeds`] as it streams, chunk by chunk, cut
/// anywhere. The header section ends at the first empty line (CRLF CRLF, or
/// bare LFs, RFC 5322 §2.1); a header line is searched for its end with
/// `memchr`, every other octet checked a word at a time
/// ([`<[u8]>::is_ascii`]).
#[derive(Clone, Debug)]
pub struct BodyScanner {
    state: Header,
    needs: BodyNeeds,
}

/// Where the scanner stands in the header section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Header {
    /// At the start of a line: an empty one ends the section.
    LineStart,
    /// A CR at the start of a line.
    LineStartCr,
    /// Inside a line.
    InLine,
    /// Past the header section.
    Done,
}

impl BodyScanner {
    /// A scanner at the start of a message.
    pub fn new() -> Self {
        Self {
            state: Header::LineStart,
            needs: BodyNeeds::default(),
        }
    }

    /// Scans the next octets of the message.
    pub fn push(&mut self, mut chunk: &[u8]) {
        while let Some((&first, rest)) = chunk.split_first() {
            match self.state {
                Header::Done => {
                    if !self.needs.eight_bit && !chunk.is_ascii() {
                        self.needs.eight_bit = true;
                    }
                    return;
                }
                Header::LineStart | Header::LineStartCr if first == b'\n' => {
                    self.state = Header::Done;
                    chunk = rest;
                }
                Header::LineStart if first == b'\r' => {
                    self.state = Header::LineStartCr;
                    chunk = rest;
                }
                _ => {
                    let (line, next) = match memchr::memchr(b'\n', chunk) {
                        Some(lf) => (&chunk[..lf], Header::LineStart),
                        None => (chunk, Header::InLine),
                    };
                    if !line.is_ascii() {
                        self.needs.eight_bit = true;
                        self.needs.utf8_headers = true;
                    }
                    self.state = next;
                    chunk = &chunk[(line.len() + 1).min(chunk.len())..];
                }
            }
        }
    }

    /// What the message needs.
    pub fn finish(&self) -> BodyNeeds {
        self.needs
    }
}

impl Default for BodyScanner {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_by_part() {
        let cases: [(&[u8], bool, bool); 9] = [
            (b"", false, false),
            (b"Subject: x\r\n\r\nbody\r\n", false, false),
            (b"Subject: x\r\n\r\nb\xc3\xa9\r\n", true, false),
            (b"Subject: \xc3\xa9\r\n\r\nbody\r\n", true, true),
            // Bare LFs end the section too.
            (b"Subject: x\n\nb\xff\n", true, false),
            (b"Subject: x\n\xff: y\n", true, true),
            // No body at all: every line is a header line.
            (b"Subject: x\r\nX: \xff", true, true),
            // An empty first line: the body starts at once.
            (b"\r\n\xff", true, false),
            // A CR that is not a line end inside the header.
            (b"A: \rb\r\nC: \xff\r\n\r\n", true, true),
        ];
        for (message, eight_bit, utf8_headers) in cases {
            let needs = BodyNeeds::of(message);
            assert_eq!(
                (needs.eight_bit, needs.utf8_headers),
                (eight_bit, utf8_headers),
                "{message:?}"
            );
            // Fed an octet at a time, the same.
            let mut scanner = BodyScanner::new();
            for b in message {
                scanner.push(std::slice::from_ref(b));
            }
            assert_eq!(scanner.finish(), needs, "{message:?} by octets");
        }
    }
}
