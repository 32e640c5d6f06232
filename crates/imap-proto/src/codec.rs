//! [`tokio_util::codec`] adapters (feature `tokio`), for code that frames an
//! IMAP stream itself rather than driving a [`Server`] or [`Client`].
//!
//! - [`CommandCodec`]: commands, read as a server reads them, with each
//!   literal's announcement surfaced before its octets so that the caller can
//!   send `+` or refuse it; and written as a client writes them, whole.
//! - [`ResponseCodec`]: responses, read as a client reads them and written
//!   as a server writes them.
//!
//! A command or response that is framed but does not decode is an item,
//! `Err(DecodeError)`, not an error of the stream: IMAP answers it and goes
//! on. A line longer than [`Options::max_line`](crate::Options::max_line) or
//! ending in a bare LF cannot be skipped safely and ends the stream with an
//! [`std::io::Error`] of kind `InvalidData`.
//!
//! ```
//! use bytes::BytesMut;
//! use tokio_util::codec::{Decoder, Encoder};
//! use imap_proto::codec::{CommandCodec, CommandFrame};
//! use imap_proto::Options;
//!
//! let mut codec = CommandCodec::new(Options::default());
//! let mut buf = BytesMut::from(&b"a1 LOGIN fred {6}\r\n"[..]);
//! // The announcement first: a server sends "+ OK" here.
//! let Some(Ok(CommandFrame::Literal(a))) = codec.decode(&mut buf)? else { panic!() };
//! assert_eq!((a.length, a.non_sync), (6, false));
//! assert!(codec.decode(&mut buf)?.is_none());
//! buf.extend_from_slice(b"secret\r\n");
//! let Some(Ok(CommandFrame::Command(c))) = codec.decode(&mut buf)? else { panic!() };
//! assert_eq!(c.body.name(), "LOGIN");
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! [`Server`]: crate::server::Server
//! [`Client`]: crate::client::Client

use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

use crate::decode::{self, Frame, Framer, LiteralAnnouncement};
use crate::types::{Command, IntoStatic, Response};
use crate::{DecodeError, EncodeError, Mode, Options, encode};

/// What [`CommandCodec`] read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandFrame {
    /// A literal was announced: for a synchronizing one, send `+` (RFC 9051
    /// §7.5) and decode on, or refuse the command with
    /// [`CommandCodec::refuse`] and a tagged `NO` or `BAD`.
    Literal(LiteralAnnouncement),
    /// A whole command; literals are slices of the input.
    Command(Command<'static>),
    /// A refused command's octets were dropped.
    Refused,
}

/// Reads and writes commands.
#[derive(Clone, Debug)]
pub struct CommandCodec {
    options: Options,
    framer: Framer,
}

impl CommandCodec {
    /// A codec with these grammar options.
    pub fn new(options: Options) -> Self {
        Self {
            framer: Framer::new(&options),
            options,
        }
    }

    /// Switches the grammar, after `ENABLE UTF8=ACCEPT` or `ENABLE IMAP4rev2`.
    pub fn set_mode(&mut self, mode: Mode) {
        self.options.mode = mode;
    }

    /// Refuses the command whose literal was just announced: a synchronizing
    /// literal will not come, a non-synchronizing one is read and dropped
    /// with the rest of the command, then [`CommandFrame::Refused`].
    pub fn refuse(&mut self) {
        self.framer.discard();
    }
}

impl Decoder for CommandCodec {
    type Item = Result<CommandFrame, DecodeError>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        match self.framer.next(src).map_err(invalid_data)? {
            Frame::Literal(a) => Ok(Some(Ok(CommandFrame::Literal(a)))),
            Frame::Complete { len } => {
                self.framer.reset();
                let bytes = src.split_to(len).freeze();
                Ok(Some(
                    decode::command(&bytes, &self.options)
                        .map(|(c, _)| CommandFrame::Command(c.into_static())),
                ))
            }
            Frame::Discarded { len } => {
                self.framer.reset();
                let _ = src.split_to(len);
                Ok(Some(Ok(CommandFrame::Refused)))
            }
            _ => Ok(None),
        }
    }
}

impl Encoder<&Command<'_>> for CommandCodec {
    type Error = std::io::Error;

    /// Writes the command whole, literals included: without waiting for
    /// `+`, so every literal must be non-synchronizing (set
    /// [`Options::literals`] to
    /// [`LiteralPolicy::LiteralPlus`](crate::LiteralPolicy::LiteralPlus) for a
    /// server that offers LITERAL+), or use the [`Client`](crate::client::Client).
    fn encode(&mut self, item: &Command<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        encode::command(item, dst, &self.options)
            .map(|_| ())
            .map_err(invalid_input)
    }
}

/// Reads and writes responses.
#[derive(Clone, Debug)]
pub struct ResponseCodec {
    options: Options,
    framer: Framer,
}

impl ResponseCodec {
    /// A codec with these grammar options.
    pub fn new(options: Options) -> Self {
        Self {
            framer: Framer::new(&options),
            options,
        }
    }

    /// Switches the grammar, after `ENABLED UTF8=ACCEPT` or `ENABLED
    /// IMAP4rev2`.
    pub fn set_mode(&mut self, mode: Mode) {
        self.options.mode = mode;
    }
}

impl Decoder for ResponseCodec {
    type Item = Result<Response<'static>, DecodeError>;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        loop {
            match self.framer.next(src).map_err(invalid_data)? {
                // A client sends nothing at a server's literal: read on.
                Frame::Literal(_) => continue,
                Frame::Complete { len } => {
                    self.framer.reset();
                    let bytes = src.split_to(len).freeze();
                    return Ok(Some(
                        decode::response(&bytes, &self.options).map(|(r, _)| r.into_static()),
                    ));
                }
                _ => return Ok(None),
            }
        }
    }
}

impl Encoder<&Response<'_>> for ResponseCodec {
    type Error = std::io::Error;

    fn encode(&mut self, item: &Response<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        encode::response(item, dst, &self.options).map_err(invalid_input)
    }
}

fn invalid_data(e: DecodeError) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

fn invalid_input(e: EncodeError) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LiteralPolicy;
    use crate::types::{CommandBody, Data, Tag};

    #[test]
    fn commands_with_literals_both_ways() {
        let o = Options {
            literals: LiteralPolicy::LiteralPlus,
            ..Options::default()
        };
        let mut codec = CommandCodec::new(o);
        let mut buf = BytesMut::new();
        let input = bytes::Bytes::from_static(b"a1 LOGIN {4}\r\nfred \"x y\"\r\n");
        let (login, _) = decode::command(&input, &Options::default()).unwrap();
        codec.encode(&login, &mut buf).unwrap();
        codec
            .encode(
                &Command::new(Tag::new("a2").unwrap(), CommandBody::Noop),
                &mut buf,
            )
            .unwrap();
        assert_eq!(&buf[..], b"a1 LOGIN {4+}\r\nfred \"x y\"\r\na2 NOOP\r\n");
        // Non-synchronizing: announced all the same, nothing to send.
        let Some(Ok(CommandFrame::Literal(a))) = codec.decode(&mut buf).unwrap() else {
            panic!()
        };
        assert!(a.non_sync);
        let Some(Ok(CommandFrame::Command(c))) = codec.decode(&mut buf).unwrap() else {
            panic!()
        };
        let CommandBody::Login { username, password } = &c.body else {
            panic!()
        };
        assert_eq!(
            (username.as_bytes(), password.expose().as_bytes()),
            (&b"fred"[..], &b"x y"[..])
        );
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::Command(Command {
                body: CommandBody::Noop,
                ..
            })))
        ));
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
    }

    #[test]
    fn refused_and_bad_commands_do_not_end_the_stream() {
        let mut codec = CommandCodec::new(Options::default());
        let mut buf = BytesMut::from(&b"a1 APPEND x {99999}\r\na2 FROB\r\na3 NOOP\r\n"[..]);
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::Literal(_)))
        ));
        codec.refuse();
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::Refused))
        );
        assert!(matches!(codec.decode(&mut buf).unwrap(), Some(Err(e)) if e.offset() == Some(3)));
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(CommandFrame::Command(_)))
        ));
        // A bare LF cannot be skipped safely.
        let mut buf = BytesMut::from(&b"a4 NOOP\n"[..]);
        let err = codec.decode(&mut buf).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn responses_both_ways() {
        let mut codec = ResponseCodec::new(Options::default());
        let mut buf = BytesMut::new();
        let input = bytes::Bytes::from_static(b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n");
        let (r, _) = decode::response(&input, &Options::default()).unwrap();
        codec.encode(&r, &mut buf).unwrap();
        codec
            .encode(&Response::Data(Data::Exists(3)), &mut buf)
            .unwrap();
        assert_eq!(
            &buf[..],
            b"* 1 FETCH (BODY[] {5}\r\nhello)\r\n* 3 EXISTS\r\n"
        );
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Ok(r.into_static())));
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(Response::Data(Data::Exists(3))))
        );
        // LSUB is not IMAP4rev2 (RFC 9051 §9 has no LSUB response): an item
        // error, and the stream goes on.
        let lsub = bytes::Bytes::from_static(b"* LSUB () \"/\" foo\r\n");
        let (lsub, _) = decode::response(&lsub, &Options::default()).unwrap();
        codec.set_mode(Mode::Imap4rev2);
        buf.extend_from_slice(b"* LSUB () \"/\" foo\r\n* 4 EXISTS\r\n");
        assert!(matches!(codec.decode(&mut buf).unwrap(), Some(Err(_))));
        assert_eq!(
            codec.decode(&mut buf).unwrap(),
            Some(Ok(Response::Data(Data::Exists(4))))
        );
        let err = codec.encode(&lsub, &mut buf).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    }
}
