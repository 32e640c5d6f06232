//! [`tokio_util::codec`] adapters (feature `tokio`), for code that frames an
//! SMTP stream itself rather than driving a [`Server`] or [`Client`].
//!
//! - [`CommandCodec`]: command lines, read with the 2048-octet limit
//!   (12 288 for AUTH, RFC 4954 §4) and written;
//! - [`ReplyCodec`]: replies, single and multi-line, read and written;
//! - [`DataCodec`]: a DATA body, dot-stuffed as it is written and unstuffed
//!   as it is read, ending only at `<CR><LF>.<CR><LF>`.
//!
//! A line that does not parse is an item, `Err(DecodeError)`, not an error
//! of the stream: SMTP answers it and goes on. The stream's error type is
//! [`std::io::Error`].
//!
//! ```
//! use bytes::BytesMut;
//! use tokio_util::codec::Decoder;
//! use smtp_proto::codec::CommandCodec;
//! use smtp_proto::{Command, ErrorKind};
//!
//! let mut codec = CommandCodec::new();
//! let mut buf = BytesMut::from(&b"DATA\r\nFROB\r\n"[..]);
//! assert_eq!(codec.decode(&mut buf)?, Some(Ok(Command::Data)));
//! let err = codec.decode(&mut buf)?.unwrap().unwrap_err();
//! assert_eq!(err.kind(), Some(ErrorKind::UnknownCommand));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! [`Server`]: crate::server::Server
//! [`Client`]: crate::client::Client

use bytes::{Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use crate::decode::ReplyAssembler;
use crate::framing::{
    BareLineEndings, BodyEncoder, DataFrame, DotUnstuffer, LineReader, LineTooLong,
};
use crate::{Command, DecodeError, ErrorKind, Reply, decode, encode};

/// Reads and writes command lines.
#[derive(Clone, Debug)]
pub struct CommandCodec {
    lines: LineReader,
}

impl CommandCodec {
    /// A codec with Postfix's 2048-octet line limit and RFC 4954's 12 288
    /// for AUTH.
    pub fn new() -> Self {
        Self::with_limits(2048, 12_288)
    }

    /// A codec with other limits, CRLF included.
    pub fn with_limits(line: usize, auth_line: usize) -> Self {
        Self {
            lines: LineReader::new(line, auth_line),
        }
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
            Ok(line) => decode::command_line(&line).map(Command::into_owned),
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
        encode::command(&item, dst);
        Ok(())
    }
}

/// Reads and writes replies. A malformed line, an overlong one, or a
/// multi-line reply whose codes differ is an `Err` item; the next reply
/// starts afresh.
#[derive(Clone, Debug)]
pub struct ReplyCodec {
    lines: LineReader,
    replies: ReplyAssembler,
}

impl ReplyCodec {
    /// A codec with a 2048-octet line limit (12 288 for a line that starts
    /// `334`, a challenge) and at most 256 lines of 64 KiB in a reply.
    pub fn new() -> Self {
        Self {
            lines: LineReader::new(2048, 12_288),
            replies: ReplyAssembler::new(256, 64 * 1024),
        }
    }
}

impl Default for ReplyCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for ReplyCodec {
    type Item = Result<Reply, DecodeError>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        loop {
            let line = if src.starts_with(b"334") {
                self.lines.read_auth_line(src)
            } else {
                self.lines.read_line(src)
            };
            let Some(line) = line else {
                return Ok(None);
            };
            let line = match line {
                Ok(line) => line,
                Err(LineTooLong { limit }) => {
                    return Ok(Some(Err(DecodeError::Invalid {
                        offset: limit,
                        kind: ErrorKind::LineTooLong,
                    })));
                }
            };
            match self.replies.push(&line) {
                Ok(None) => {}
                Ok(Some(reply)) => return Ok(Some(Ok(reply))),
                Err(e) => return Ok(Some(Err(e))),
            }
        }
    }
}

impl Encoder<Reply> for ReplyCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: Reply, dst: &mut BytesMut) -> Result<(), Self::Error> {
        encode::reply(&item, dst);
        Ok(())
    }
}

impl Encoder<&Reply> for ReplyCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: &Reply, dst: &mut BytesMut) -> Result<(), Self::Error> {
        encode::reply(item, dst);
        Ok(())
    }
}

/// Reads and writes a DATA body, after the `354`. Decoding yields unstuffed
/// [`DataFrame::Data`] slices of the read buffer, then [`DataFrame::End`];
/// encoding normalizes line ends, stuffs dots, and writes the end for
/// `End`. The codec is ready for the next body after `End`.
///
/// A body with a bare CR or LF, under [`BareLineEndings::Reject`], yields no
/// data past it; [`saw_bare_line_ending`](Self::saw_bare_line_ending) says
/// so once its `End` has been read.
#[derive(Clone, Debug)]
pub struct DataCodec {
    mode: BareLineEndings,
    unstuffer: DotUnstuffer,
    encoder: BodyEncoder,
    bare: bool,
}

impl DataCodec {
    /// A codec at the start of a body, strict about bare line endings.
    pub fn new() -> Self {
        Self::with_mode(BareLineEndings::Reject)
    }

    /// A codec at the start of a body, with this treatment of bare line
    /// endings.
    pub fn with_mode(mode: BareLineEndings) -> Self {
        Self {
            mode,
            unstuffer: DotUnstuffer::new(mode),
            encoder: BodyEncoder::data(),
            bare: false,
        }
    }

    /// Whether the last body read held a bare CR or LF (and must be
    /// refused).
    pub fn saw_bare_line_ending(&self) -> bool {
        self.bare
    }
}

impl Default for DataCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for DataCodec {
    type Item = DataFrame;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        let frame = self.unstuffer.decode(src);
        if frame == Some(DataFrame::End) {
            self.bare = self.unstuffer.saw_bare_line_ending();
            self.unstuffer = DotUnstuffer::new(self.mode);
        }
        Ok(frame)
    }
}

impl Encoder<DataFrame> for DataCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: DataFrame, dst: &mut BytesMut) -> Result<(), Self::Error> {
        match item {
            DataFrame::Data(data) => self.encoder.encode(&data, dst),
            DataFrame::End => self.encoder.finish(dst),
        }
        Ok(())
    }
}

impl Encoder<Bytes> for DataCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: Bytes, dst: &mut BytesMut) -> Result<(), Self::Error> {
        self.encoder.encode(&item, dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EnhancedCode, ReplyCode};

    #[test]
    fn commands_both_ways() {
        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::new();
        codec
            .encode(
                Command::Bdat {
                    size: 86,
                    last: true,
                },
                &mut buf,
            )
            .unwrap();
        codec.encode(Command::Quit, &mut buf).unwrap();
        assert_eq!(&buf[..], b"BDAT 86 LAST\r\nQUIT\r\n");
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(Command::Bdat {
                size: 86,
                last: true
            }))
        );
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Ok(Command::Quit)));
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
    }

    #[test]
    fn long_lines_are_items_and_the_stream_goes_on() {
        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::from(&[b'A'; 3000][..]);
        buf.extend_from_slice(b"\r\nNOOP\r\n");
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Err(DecodeError::Invalid {
                offset: 2048,
                kind: ErrorKind::LineTooLong
            }))
        );
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(Command::Noop { argument: None }))
        );
    }

    #[test]
    fn replies_both_ways() {
        let mut codec = ReplyCodec::new();
        let mut buf = BytesMut::new();
        let reply =
            Reply::multiline(ReplyCode::OK, Some(EnhancedCode::OK), ["first", "second"]).unwrap();
        codec.encode(&reply, &mut buf).unwrap();
        buf.extend_from_slice(b"334 ");
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Ok(reply)));
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
        buf.extend_from_slice(b"\r\n250-a\r\n251 b\r\n220 next\r\n");
        let Some(Ok(challenge)) = codec.decode(&mut buf).unwrap() else {
            panic!("challenge expected");
        };
        assert_eq!(challenge.code(), ReplyCode::AUTH_CONTINUE);
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Err(DecodeError::Invalid {
                offset: 0,
                kind: ErrorKind::ReplyCodeMismatch
            }))
        );
        let Some(Ok(next)) = codec.decode(&mut buf).unwrap() else {
            panic!("a reply after the error");
        };
        assert_eq!(next.code(), ReplyCode::READY);
    }

    #[test]
    fn bodies_both_ways() {
        let mut codec = DataCodec::new();
        let mut wire = BytesMut::new();
        codec
            .encode(DataFrame::Data(Bytes::from_static(b".one\r\n")), &mut wire)
            .unwrap();
        codec
            .encode(Bytes::from_static(b".two\n"), &mut wire)
            .unwrap();
        codec.encode(DataFrame::End, &mut wire).unwrap();
        assert_eq!(&wire[..], b"..one\r\n..two\r\n.\r\n");
        wire.extend_from_slice(b"bare\nlf\r\n.\r\n");
        let mut bodies = vec![Vec::new()];
        while let Some(frame) = codec.decode(&mut wire).unwrap() {
            match frame {
                DataFrame::Data(d) => bodies.last_mut().unwrap().extend_from_slice(&d),
                DataFrame::End => bodies.push(Vec::new()),
            }
        }
        assert_eq!(bodies, [b".one\r\n.two\r\n".to_vec(), vec![], vec![]]);
        assert!(codec.saw_bare_line_ending());
    }
}
