//! [`tokio_util::codec`] adapters (feature `tokio`), for code that frames an
//! SMTP stream itself rather than driving a [`Server`] or [`Client`].
//!
//! - [`CommandCodec`]: command lines, read with the 2048-octet limit
//!   (12 288 for AUTH, RFC 4954 §4) and written, and the client's lines in
//!   an AUTH exchange once told one is expected
//!   ([`CommandCodec::expect_auth_response`]);
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
//! use smtp_proto::codec::{CommandCodec, CommandFrame};
//! use smtp_proto::{Command, ErrorKind};
//!
//! let mut codec = CommandCodec::new();
//! let mut buf = BytesMut::from(&b"DATA\r\nFROB\r\n"[..]);
//! assert_eq!(codec.decode(&mut buf)?, Some(Ok(CommandFrame::Command(Command::Data))));
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
use crate::{Command, DecodeError, ErrorKind, Reply, SaslResponse, decode, encode};

/// What [`CommandCodec`] read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandFrame {
    /// A command line.
    Command(Command<'static>),
    /// The client's line in an AUTH exchange, after a `334` (RFC 4954 §4),
    /// read because [`CommandCodec::expect_auth_response`] said one comes.
    AuthResponse(SaslResponse),
}

/// Reads and writes command lines.
#[derive(Clone, Debug)]
pub struct CommandCodec {
    lines: LineReader,
    auth_response: bool,
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
            auth_response: false,
        }
    }

    /// The next line is the client's answer to a `334` challenge (the
    /// server just sent one): it is read with the AUTH limit (RFC 4954 §4:
    /// 12 288 octets, where a command line has 2048) and decoded as base64
    /// or `*`, into [`CommandFrame::AuthResponse`]. For that line only.
    pub fn expect_auth_response(&mut self) {
        self.auth_response = true;
    }

    /// Whether the next line is read as an AUTH exchange line.
    pub fn expects_auth_response(&self) -> bool {
        self.auth_response
    }
}

impl Default for CommandCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder for CommandCodec {
    type Item = Result<CommandFrame, DecodeError>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        let auth = self.auth_response;
        let line = if auth {
            self.lines.read_auth_line(src)
        } else {
            self.lines.read_line(src)
        };
        let Some(line) = line else {
            return Ok(None);
        };
        self.auth_response = false;
        Ok(Some(match line {
            Ok(line) if auth => decode::sasl_response(&line).map(CommandFrame::AuthResponse),
            Ok(line) => decode::command_line(&line)
                .map(Command::into_owned)
                .map(CommandFrame::Command),
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
            Some(Ok(CommandFrame::Command(Command::Bdat {
                size: 86,
                last: true
            })))
        );
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::Command(Command::Quit)))
        );
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
            Some(Ok(CommandFrame::Command(Command::Noop { argument: None })))
        );
    }

    #[test]
    fn auth_continuation_lines_over_2048_octets() {
        use base64::Engine as _;
        // A 12 000-octet response after `334 ` (RFC 4954 §4 wants room for
        // 12 288): a command line of that length is too long.
        let response = vec![b'r'; 9000];
        let line = base64::engine::general_purpose::STANDARD.encode(&response);
        assert!(line.len() == 12_000);
        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::from(format!("{line}\r\nNOOP\r\n").as_bytes());
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Err(e)) if e.kind() == Some(ErrorKind::LineTooLong)
        ));
        // Told a response comes: read whole, decoded, for that line only.
        let mut codec = CommandCodec::new();
        let mut buf = BytesMut::from(format!("{line}\r\n*\r\n").as_bytes());
        codec.expect_auth_response();
        assert!(codec.expects_auth_response());
        let Some(Ok(CommandFrame::AuthResponse(SaslResponse::Data(data)))) =
            codec.decode(&mut buf).unwrap()
        else {
            panic!("an AUTH response");
        };
        assert_eq!(data.expose(), &response);
        assert!(!codec.expects_auth_response());
        // The next line is a command again (`*` is not one).
        assert!(matches!(codec.decode(&mut buf).unwrap(), Some(Err(_))));
        codec.expect_auth_response();
        let mut buf = BytesMut::from(&b"*\r\n"[..]);
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::AuthResponse(SaslResponse::Cancel)))
        );
        // A line split across reads: the mode holds until it is whole.
        codec.expect_auth_response();
        let mut buf = BytesMut::from(&b"dGVz"[..]);
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
        buf.extend_from_slice(b"dA==\r\n");
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::AuthResponse(SaslResponse::Data(d)))) if d.expose() == b"test"
        ));
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
