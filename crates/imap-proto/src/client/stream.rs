//! Large FETCH bodies read as they arrive: the items before the body are
//! decoded by the grammar as if the body were `NIL`, the body's octets go out
//! as slices of the input, and the items after it are decoded as the rest of
//! the same response. A literal anywhere else (inside an ENVELOPE, a LIST)
//! is not a body and is held whole.

use bytes::{Buf, Bytes, BytesMut};

use crate::decode::{self, LiteralAnnouncement};
use crate::types::{BodyItem, Data, IntoStatic, Response};

use super::responses::Reading;
use super::{Client, CloseReason, Event};

impl Client {
    /// A large literal was announced: if it is the value of a FETCH body
    /// item, its stream starts. Returns whether it did.
    pub(super) fn start_stream(&mut self, a: LiteralAnnouncement) -> bool {
        let Some(line_end) = a.data_offset.checked_sub(2) else {
            return false;
        };
        let line = &self.input[..line_end];
        let Some(open) = memchr::memrchr(b'{', line) else {
            return false;
        };
        let head_end = if open > 0 && line[open - 1] == b'~' {
            open - 1
        } else {
            open
        };
        let prefix = match &self.reading {
            Reading::Responses { prefix } => prefix.clone(),
            _ => None,
        };
        let mut head = BytesMut::with_capacity(head_end + 32);
        if let Some(p) = &prefix {
            head.extend_from_slice(p);
        }
        head.extend_from_slice(&line[..head_end]);
        head.extend_from_slice(b"NIL)\r\n");
        let head = head.freeze();
        let Ok((Response::Data(Data::Fetch { seq, mut items }), used)) =
            decode::response(&head, &self.codec)
        else {
            return false;
        };
        if used != head.len() {
            return false;
        }
        let Some((body, None)) = items.pop().and_then(BodyItem::of) else {
            return false;
        };
        let (items, body) = (items.into_static(), body.into_static());
        self.events.push_back(Event::FetchBodyStarted {
            seq,
            items,
            body,
            size: a.length,
        });
        self.input.advance(a.data_offset);
        self.framer.reset();
        self.literal_total = 0;
        self.reading = Reading::Body {
            seq,
            remaining: a.length,
            check_nul: !a.binary && !self.codec.quirks.nul_in_literal,
        };
        true
    }

    /// The next octets of a streamed body, checked for NUL as they arrive
    /// unless it is a `literal8` (RFC 9051 §9 `CHAR8`, RFC 3516). Returns
    /// whether there were any.
    pub(super) fn body(&mut self) -> bool {
        let Reading::Body {
            seq,
            remaining,
            check_nul,
        } = &mut self.reading
        else {
            return false;
        };
        let n = usize::try_from(*remaining)
            .unwrap_or(usize::MAX)
            .min(self.input.len());
        if n == 0 {
            return false;
        }
        if *check_nul && memchr::memchr(0, &self.input[..n]).is_some() {
            self.close(CloseReason::ProtocolError);
            return false;
        }
        let seq = *seq;
        *remaining -= n as u64;
        if *remaining == 0 {
            self.reading = Reading::Tail { seq };
        }
        let data = self.input.split_to(n).freeze();
        self.events.push_back(Event::FetchBodyChunk { seq, data });
        true
    }

    /// After a streamed body: `)` CRLF ends the response; a space starts more
    /// items. Returns whether it consumed anything.
    pub(super) fn tail(&mut self) -> bool {
        let Reading::Tail { seq } = self.reading else {
            return false;
        };
        match self.input.first() {
            None => false,
            Some(b')') => {
                if self.input.len() < 3 {
                    return false;
                }
                if &self.input[..3] != b")\r\n" {
                    self.close(CloseReason::ProtocolError);
                    return false;
                }
                self.input.advance(3);
                self.reading = Reading::Responses { prefix: None };
                self.events.push_back(Event::FetchBodyEnded {
                    seq,
                    items: Vec::new(),
                });
                true
            }
            Some(b' ') => {
                self.input.advance(1);
                self.reading = Reading::Responses {
                    prefix: Some(Bytes::from(format!("* {seq} FETCH ("))),
                };
                true
            }
            Some(_) => {
                self.close(CloseReason::ProtocolError);
                false
            }
        }
    }
}
