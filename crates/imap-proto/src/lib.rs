//! Sans-IO IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051): the grammar in
//! both directions, and server and client state machines.
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
//! - [`server`] and [`client`]: the state machines (below).
#![cfg_attr(
    feature = "mime",
    doc = "- [`mime`] (feature `mime`): ENVELOPE and BODYSTRUCTURE of a raw message, as Dovecot computes them."
)]
#![cfg_attr(
    feature = "tokio",
    doc = "- [`codec`] (feature `tokio`): `tokio_util::codec` adapters for commands and responses."
)]
//!
//! # The state machines
//!
//! A [`server::Server`] or [`client::Client`] is a plain struct. It does no
//! I/O, spawns nothing, reads no clock and no random source (tags are the
//! caller's). The caller:
//!
//! 1. hands it the bytes that arrived (`handle_input`) and the time
//!    (`handle_timeout`);
//! 2. drains what it has to send (`poll_transmit`) and what happened
//!    (`poll_event`), and sleeps until `poll_timeout`;
//! 3. answers the events that need a decision through typed calls: a
//!    server's `login_succeeded()`, the untagged [`types::Data`] and the
//!    completion of each command keyed by its tag, a body in
//!    [`bytes::Bytes`] chunks; a client's next command.
//!
//! The server enforces the protocol: the four states of RFC 9051 §3, tags,
//! the literal flow (`+` only once a literal passes the limits), LITERAL+
//! and LITERAL-, AUTHENTICATE with SASL-IR, LOGINDISABLED, STARTTLS (the
//! plaintext pipelined after it dropped), COMPRESS, ENABLE (switching the
//! grammar), IDLE, the autologout timer, pipelining with responses in
//! command order, and the rule that no EXPUNGE goes out during a FETCH,
//! STORE or SEARCH. The client pipelines by RFC 9051 §5.5's rules, waits for
//! `+` before a synchronizing literal, uses LITERAL+ when offered, tracks
//! capabilities, and refuses responses injected after STARTTLS's `OK`.
//! Bodies stream both ways in `Bytes` chunks (FETCH bodies out of the
//! server and into the client, APPEND messages into the server, each
//! accepted by the application before the client sends it); neither machine
//! gathers a message whole.
//!
//! ```
//! use std::time::Instant;
//! use bytes::{Bytes, BytesMut};
//! use imap_proto::{client, server};
//! use imap_proto::types::{BodyItem, CommandBody, Data, FetchAttr, FetchAttrs, FetchItem, Mailbox, Section, SequenceSet};
//!
//! let now = Instant::now();
//! let mut options = server::Options::default();
//! options.allow_plaintext_without_tls = true; // a test on localhost
//! let mut server = server::Server::new(options, now);
//! let mut client = client::Client::new(client::Options::default(), now);
//!
//! let message = Bytes::from_static(b"Subject: hi\r\n\r\nHello.\r\n");
//! client.login("alice", b"secret with spaces")?;
//! client.select(Mailbox::inbox())?;
//! let fetch = client.command(CommandBody::Fetch {
//!     uid: true,
//!     set: SequenceSet::single(7)?,
//!     attrs: FetchAttrs::List(vec![FetchAttr::BodySection {
//!         peek: true,
//!         section: Section::default(),
//!         partial: None,
//!     }]),
//!     modifiers: vec![],
//! })?;
//! client.logout()?;
//!
//! let mut body = None;
//! let mut wire = BytesMut::new();
//! while !client.is_closed() {
//!     while server.poll_transmit(&mut wire) > 0 {
//!         client.handle_input(&wire);
//!         wire.clear();
//!     }
//!     while client.poll_transmit(&mut wire) > 0 {
//!         server.handle_input(&wire);
//!         wire.clear();
//!     }
//!     // The application behind the server answers.
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             server::Event::LoginRequested { credentials, .. } => {
//!                 assert!(matches!(credentials, server::Credentials::Login { ref password, .. }
//!                     if password.expose() == b"secret with spaces"));
//!                 server.login_succeeded()?;
//!             }
//!             server::Event::CommandReceived { command } => {
//!                 let tag = &command.tag;
//!                 match command.body {
//!                     CommandBody::Select { .. } => server.data(tag, &Data::Exists(1))?,
//!                     CommandBody::Fetch { .. } => {
//!                         server.fetch_begin(tag, 1)?;
//!                         server.fetch_items(tag, &[FetchItem::Uid(7)])?;
//!                         let item = BodyItem::Section { section: Section::default(), origin: None };
//!                         server.fetch_body(tag, &item, message.len() as u64)?;
//!                         server.body_chunk(message.clone())?;
//!                         server.fetch_end(tag)?;
//!                     }
//!                     _ => {}
//!                 }
//!                 server.ok(tag)?;
//!             }
//!             _ => {}
//!         }
//!     }
//!     // What the client learned.
//!     while let Some(event) = client.poll_event() {
//!         if let client::Event::DataReceived { data: Data::Fetch { items, .. } } = event {
//!             body = items[1].literal().map(|l| l.data().clone());
//!         }
//!     }
//! }
//! assert_eq!(body, Some(message));
//! # let _ = fetch;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
