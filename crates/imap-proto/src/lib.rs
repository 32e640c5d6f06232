//! Sans-IO IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051): the grammar in
//! both directions.
//!
//! ```
//! use bytes::{Bytes, BytesMut};
//! use imap_proto::types::{AString, Command, CommandBody, Data, IString, Literal, Response, Secret, Tag};
//! use imap_proto::{Mode, Options, decode, encode};
//!
//! let options = Options::default();
//!
//! // A server decodes a command...
//! let input = Bytes::from_static(b"a002 UID FETCH 1:* (FLAGS BODY.PEEK[])\r\n");
//! let (command, used) = decode::command(&input, &options)?;
//! assert_eq!(used, input.len());
//! assert!(matches!(command.body, CommandBody::Fetch { uid: true, .. }));
//!
//! // ...and a client decodes the answer; the body is a slice of the input.
//! let input = Bytes::from_static(b"* 1 FETCH (UID 7 BODY[] {5}\r\nHello)\r\n");
//! let (response, _) = decode::response(&input, &options)?;
//! let Response::Data(Data::Fetch { items, .. }) = &response else { unreachable!() };
//! assert_eq!(items[1].literal().unwrap().data(), &input.slice(29..34));
//!
//! // Encoding writes into a caller's buffer and gives it back byte for byte.
//! let mut out = BytesMut::new();
//! encode::response(&response, &mut out, &options)?;
//! assert_eq!(&out[..], &input[..]);
//!
//! // A client's command with a synchronizing literal says where to wait for "+".
//! let login = Command::new(Tag::new("a1")?, CommandBody::Login {
//!     username: AString::from_bytes("fred".as_bytes(), Mode::Imap4rev1),
//!     password: Secret::new(AString::String(Literal::new("s3cr3t")?.into())),
//! });
//! let mut out = BytesMut::new();
//! let waits = encode::command(&login, &mut out, &options)?;
//! assert_eq!(&out[..waits.literal_waits()[0]], b"a1 LOGIN fred {6}\r\n");
//! assert_eq!(&out[waits.literal_waits()[0]..], b"s3cr3t\r\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is here
//!
//! - [`types`]: every command, response, response code and data item of
//!   RFC 3501 and RFC 9051, and of the extensions real clients use: IDLE,
//!   UIDPLUS, MOVE, NAMESPACE, ENABLE, LITERAL+/LITERAL-, SASL-IR, ID,
//!   SPECIAL-USE, LIST-EXTENDED, LIST-STATUS, ESEARCH, SEARCHRES, CONDSTORE,
//!   QRESYNC, COMPRESS=DEFLATE, UTF8=ACCEPT, QUOTA, UNSELECT, BINARY,
//!   MULTIAPPEND, STATUS=SIZE and the response codes of RFC 5530. Values
//!   keep the form they were written in (atom, quoted or literal), so a
//!   decoded line re-encodes byte for byte.
//! - [`decode`]: zero-copy decoding from a `Bytes` buffer: strings borrow it,
//!   literals are `Bytes` slices of it. `Incomplete { needed }` is apart
//!   from `Invalid { offset, kind }`. [`decode::Framer`] surfaces a
//!   literal's announcement before its octets, so a server can send `+` or
//!   refuse. Nesting is bounded by [`Options::max_depth`].
//! - [`encode`]: into a caller's `BytesMut`, with the places where a client
//!   must wait for a continuation before sending a synchronizing literal's
//!   octets; a literal is copied once.
//! - [`Mode`]: IMAP4rev1, UTF8=ACCEPT and IMAP4rev2 sessions differ in
//!   mailbox names (modified UTF-7 or UTF-8), 8-bit strings, and the
//!   responses that exist. Decoding and encoding take the mode.
//! - Strict by default; the tolerances for broken peers in [`Quirks`] are
//!   opt-in.
#![cfg_attr(
    feature = "mime",
    doc = "- [`mime`] (feature `mime`): ENVELOPE and BODYSTRUCTURE of a raw message, as Dovecot computes them."
)]
//!
//! The client and server state machines are built on this grammar.

pub mod client;
#[cfg(feature = "tokio")]
pub mod codec;
pub mod decode;
pub mod encode;
mod error;
#[cfg(feature = "mime")]
pub mod mime;
mod options;
pub mod server;
pub mod types;
mod validity;

pub use crate::error::{ClientError, DecodeError, EncodeError, ErrorKind, ServerError, ValueError};
pub use crate::options::{LiteralPolicy, Mode, Options, Quirks};
