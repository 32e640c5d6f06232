//! Writing the server's own lines: status responses and tagged
//! completions, their text made safe for the line.

use crate::types::{Code, Data, Response, StatusKind, Tag, Tagged, Text};
use crate::{Mode, encode};

use super::Server;

impl Server {
    /// `* BYE text`.
    pub(super) fn write_bye(&mut self, text: &str) {
        self.untagged_status(StatusKind::Bye, None, text);
    }

    /// `* KIND [code] text`, from the server itself.
    pub(super) fn untagged_status(&mut self, kind: StatusKind, code: Option<Code<'_>>, text: &str) {
        let text = safe_text(text, self.codec.mode, code.is_some());
        let data = Data::Status {
            kind,
            text: crate::types::RespText { code, text },
        };
        // Only the server's own, valid codes get here.
        let _ = encode::response(&Response::Data(data), &mut self.out, &self.codec);
    }

    /// `tag KIND [code] text`, or `* KIND ...` without a tag.
    pub(super) fn write_tagged(
        &mut self,
        tag: Option<&Tag<'_>>,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
    ) -> Result<(), crate::EncodeError> {
        let text = safe_text(text, self.codec.mode, code.is_some());
        let text = crate::types::RespText { code, text };
        let response = match tag {
            Some(tag) => Response::Tagged(Tagged {
                tag: tag.clone(),
                kind,
                text,
            }),
            None => Response::Data(Data::Status { kind, text }),
        };
        encode::response(&response, &mut self.out, &self.codec)
    }
}

/// Text that fits `resp-text` in `mode`: CR, LF and NUL become spaces, 8-bit
/// characters `?` unless the mode takes UTF-8, and a text that would read as
/// a response code gets a space before it.
fn safe_text(text: &str, mode: Mode, has_code: bool) -> Text<'static> {
    let mut s = String::with_capacity(text.len() + 1);
    if text.starts_with('[') && !has_code {
        s.push(' ');
    }
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\0' => s.push(' '),
            c if !c.is_ascii() && !mode.utf8() => s.push('?'),
            c => s.push(c),
        }
    }
    Text::unchecked_owned(s)
}

/// Client text for a reply: printable ASCII kept, the rest as `?`, at most
/// 32 octets.
pub(super) fn printable(bytes: &[u8]) -> String {
    bytes[..bytes.len().min(32)]
        .iter()
        .map(|&b| {
            if (0x21..0x7f).contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_made_safe() {
        assert_eq!(
            safe_text("a\r\nb\0c", Mode::Imap4rev1, false).as_str(),
            "a  b c"
        );
        assert_eq!(
            safe_text("caf\u{e9}", Mode::Imap4rev1, false).as_str(),
            "caf?"
        );
        assert_eq!(
            safe_text("caf\u{e9}", Mode::Imap4rev2, false).as_str(),
            "caf\u{e9}"
        );
        assert_eq!(safe_text("[x", Mode::Imap4rev1, false).as_str(), " [x");
        assert_eq!(safe_text("[x", Mode::Imap4rev1, true).as_str(), "[x");
        assert_eq!(printable(b"FE TCH\x01\xff"), "FE?TCH??");
    }
}
