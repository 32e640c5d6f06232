//! [`tokio_util::codec`] adapters (feature `tokio`), for code that frames a
//! POP3 stream itself rather than driving a [`Server`] or [`Client`].
//!
//! - [`CommandCodec`]: commands, read with the 255-octet limit of RFC 2449
//!   §4 (a server reads these) and written (a client writes these);
//! - [`ResponseCodec`]: response lines and SASL challenges, read (512
//!   octets, RFC 1939 §3) and written;
//! - [`MultiLineCodec`]: a multi-line body, dot-stuffed as it is written
//!   and unstuffed as it is read, chunk by chunk, without copies on the read
//!   side.
//!
//! A line that does not parse is an item, `Err(DecodeError)`, not an error of
//! the stream: POP3 answers it and goes on. The stream's error type is
//! [`std::io::Error`]; a command or response the encoder refuses (an
//! [`EncodeError`]) is one of kind
//! [`InvalidInput`](std::io::ErrorKind::InvalidInput), with nothing written.
//!
//! ```
//! use bytes::BytesMut;
//! use tokio_util::codec::Decoder;
//! use pop3_proto::codec::CommandCodec;
//! use pop3_proto::{Command, ErrorKind};
//!
//! let mut codec = CommandCodec::new();
//! let mut buf = BytesMut::from(&b"STAT\r\nFROB\r\n"[..]);
//! assert_eq!(codec.decode(&mut buf)?, Some(Ok(Command::Stat)));
//! let err = codec.decode(&mut buf)?.unwrap().unwrap_err();
//! assert_eq!(err.kind(), Some(ErrorKind::UnknownCommand));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! [`Server`]: crate::server::Server
//! [`Client`]: crate::client::Client

use bytes::{Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use crate::framing::{BodyFrame, DotStuffer, DotUnstuffer, LineReader, LineTooLong};
use crate::{
    Command, DecodeError, EncodeError, ErrorKind, Quirks, Response, ResponseLine, decode, encode,
};

/// Reads and writes command lines.
#[derive(Clone, Debug)]
pub struct CommandCodec {
    lines: LineReader,
    quirks: Quirks,
}

impl CommandCodec {
    /// A codec with RFC 2449 §4's 255-octet limit, strict.
    pub fn new() -> Self {
        Self::with_limit(255)
    }

    /// A codec with another line limit, CRLF included.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            lines: LineReader::new(limit),
            quirks: Quirks::default(),
        }
    }

    /// The codec, reading commands with these tolerances.
    pub fn with_quirks(mut self, quirks: Quirks) -> Self {
        self.quirks = quirks;
        self
    }
}

impl Default for CommandCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for CommandCodec {
    type Item = Result<Command<'static>, DecodeError>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        Ok(self.lines.read_line(src).map(|line| match line {
            Ok(line) => decode::command_line_with(&line, self.quirks).map(Command::into_owned),
            Err(LineTooLong { limit }) => Err(DecodeError::Invalid {
                offset: limit,
                kind: ErrorKind::LineTooLong,
            }),
        }))
    }
}

impl Encoder<Command<'_>> for CommandCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: Command<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        encode::command(&item, dst).map_err(invalid_input)
    }
}

/// Reads and writes response lines: `+OK`, `-ERR`, and `+ ` challenges.
#[derive(Clone, Debug)]
pub struct ResponseCodec {
    lines: LineReader,
}

impl ResponseCodec {
    /// A codec with RFC 1939 §3's 512-octet limit.
    pub fn new() -> Self {
        Self::with_limit(512)
    }

    /// A codec with another line limit, CRLF included.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            lines: LineReader::new(limit),
        }
    }
}

impl Default for ResponseCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for ResponseCodec {
    type Item = Result<ResponseLine<'static>, DecodeError>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        Ok(self.lines.read_line(src).map(|line| match line {
            Ok(line) => decode::response_line(&line).map(|r| match r {
                ResponseLine::Status(r) => ResponseLine::Status(r.into_owned()),
                ResponseLine::Challenge(c) => ResponseLine::Challenge(c),
            }),
            Err(LineTooLong { limit }) => Err(DecodeError::Invalid {
                offset: limit,
                kind: ErrorKind::LineTooLong,
            }),
        }))
    }
}

impl Encoder<Response<'_>> for ResponseCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: Response<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        encode::response(&item, dst).map_err(invalid_input)
    }
}

/// Reads and writes the body of a multi-line response, after its first
/// line. Decoding yields unstuffed [`BodyFrame::Data`] slices of the read
/// buffer, then [`BodyFrame::End`]; encoding stuffs `Data` and writes the
/// terminator for `End`. The codec is ready for the next body after `End`.
#[derive(Clone, Debug, Default)]
pub struct MultiLineCodec {
    unstuffer: DotUnstuffer,
    stuffer: DotStuffer,
}

impl MultiLineCodec {
    /// A codec at the start of a body.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Decoder for MultiLineCodec {
    type Item = BodyFrame;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        let frame = self.unstuffer.decode(src);
        if frame == Some(BodyFrame::End) {
            self.unstuffer = DotUnstuffer::new();
        }
        Ok(frame)
    }
}

impl Encoder<BodyFrame> for MultiLineCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: BodyFrame, dst: &mut BytesMut) -> Result<(), Self::Error> {
        match item {
            BodyFrame::Data(data) => self.stuffer.encode(&data, dst),
            BodyFrame::End => self.stuffer.finish(dst),
        }
        Ok(())
    }
}

impl Encoder<Bytes> for MultiLineCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: Bytes, dst: &mut BytesMut) -> Result<(), Self::Error> {
        self.stuffer.encode(&item, dst);
        Ok(())
    }
}

fn invalid_input(e: EncodeError) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MessageNumber, ResponseCode};

    #[test]
    fn commands_both_ways() {
        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::new();
        codec
            .encode(
                Command::Top {
                    message: MessageNumber::MIN,
                    lines: 99_999_999,
                },
                &mut buf,
            )
            .unwrap();
        codec.encode(Command::Quit, &mut buf).unwrap();
        assert_eq!(&buf[..], b"TOP 1 99999999\r\nQUIT\r\n");
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(Command::Top {
                message: MessageNumber::MIN,
                lines: 99_999_999
            }))
        );
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Ok(Command::Quit)));
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
    }

    #[test]
    fn long_lines_are_items_and_the_stream_goes_on() {
        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::from(&[b'A'; 300][..]);
        buf.extend_from_slice(b"\r\nNOOP\r\n");
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Err(DecodeError::Invalid {
                offset: 255,
                kind: ErrorKind::LineTooLong
            }))
        );
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Ok(Command::Noop)));
    }

    /// What the encoder refuses is an `InvalidInput` error of the stream,
    /// with nothing written; the quirks reach the decoder.
    #[test]
    fn refusals_and_quirks() {
        use std::borrow::Cow;

        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::new();
        let pass = Command::Pass {
            password: crate::Secret::new(Cow::Borrowed(&b"a\nQUIT"[..])),
        };
        let err = codec.encode(pass, &mut buf).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(buf.is_empty());
        let err = ResponseCodec::new()
            .encode(Response::ok("[IN-USE] text"), &mut buf)
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(buf.is_empty());

        buf.extend_from_slice(b"LIST  2\r\n");
        let err = codec
            .decode(&mut buf.clone())
            .unwrap()
            .unwrap()
            .unwrap_err();
        assert_eq!(err.kind(), Some(ErrorKind::InvalidMessageNumber));
        let mut lenient = CommandCodec::new().with_quirks(Quirks { extra_spaces: true });
        assert_eq!(
            lenient.decode(&mut buf).unwrap(),
            Some(Ok(Command::List {
                message: MessageNumber::new(2)
            }))
        );
    }

    #[test]
    fn responses_both_ways() {
        let mut codec = ResponseCodec::new();
        let mut buf = BytesMut::new();
        codec
            .encode(
                Response::err("Do you have another POP session running?")
                    .with_code(ResponseCode::IN_USE),
                &mut buf,
            )
            .unwrap();
        buf.extend_from_slice(b"+ \r\n");
        let Some(Ok(ResponseLine::Status(r))) = codec.decode(&mut buf).unwrap() else {
            panic!("status expected");
        };
        assert_eq!(r.code, Some(ResponseCode::IN_USE));
        assert_eq!(r.text, "Do you have another POP session running?");
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(ResponseLine::Challenge(c))) if c.expose().is_empty()
        ));
    }

    #[test]
    fn bodies_both_ways() {
        let mut codec = MultiLineCodec::new();
        let mut wire = BytesMut::new();
        codec
            .encode(BodyFrame::Data(Bytes::from_static(b".one\r\n")), &mut wire)
            .unwrap();
        codec
            .encode(Bytes::from_static(b".two"), &mut wire)
            .unwrap();
        codec.encode(BodyFrame::End, &mut wire).unwrap();
        assert_eq!(&wire[..], b"..one\r\n..two\r\n.\r\n");
        let mut body = Vec::new();
        while let Some(frame) = codec.decode(&mut wire).unwrap() {
            match frame {
                BodyFrame::Data(d) => body.extend_from_slice(&d),
                BodyFrame::End => break,
            }
        }
        assert_eq!(body, b".one\r\n.two\r\n");
    }
}
