//! Sans-IO POP3 (RFC 1939) with its extensions: CAPA and response codes
//! (RFC 2449, RFC 3206), STLS (RFC 2595), AUTH (RFC 5034) and UTF8
//! (RFC 6856); a server and a client state machine, and the grammar both
//! ways.
//!
//! ```
//! use std::time::Instant;
//! use bytes::{Bytes, BytesMut};
//! use pop3_proto::{client, server, MessageNumber, UniqueId};
//!
//! let now = Instant::now();
//! let mut options = server::Options::default();
//! options.allow_plaintext_without_tls = true; // a test on localhost
//! let mut server = server::Server::new(options, now);
//! let mut client = client::Client::new(client::Options::default(), now);
//!
//! let message = Bytes::from_static(b"Subject: hi\r\n\r\n.leading dot\r\n");
//! client.user("alice")?;
//! client.pass(b"secret with spaces")?;
//! let retr = client.retr(MessageNumber::MIN)?;
//! client.quit()?;
//!
//! let mut body = Vec::new();
//! let mut wire = BytesMut::new();
//! while !client.is_closed() {
//!     // Server to client.
//!     while server.poll_transmit(&mut wire) > 0 {
//!         client.handle_input(&wire);
//!         wire.clear();
//!     }
//!     // Client to server.
//!     while client.poll_transmit(&mut wire) > 0 {
//!         server.handle_input(&wire);
//!         wire.clear();
//!     }
//!     // The server's questions, answered by the application.
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             server::Event::LoginRequested { credentials } => {
//!                 assert!(matches!(credentials, server::Credentials::User { ref password, .. }
//!                     if password.expose() == b"secret with spaces"));
//!                 let uid = UniqueId::try_from("msg-1")?;
//!                 let entry = server::MaildropEntry::new(message.len() as u64, uid);
//!                 server.login_succeeded(server::Maildrop::from_iter([entry]))?;
//!             }
//!             server::Event::BodyRequested { .. } => server.send_body(message.clone())?,
//!             server::Event::UpdateRequested { deleted } => {
//!                 assert!(deleted.is_empty());
//!                 server.update_succeeded()?;
//!             }
//!             _ => {}
//!         }
//!     }
//!     // What the client learned.
//!     while let Some(event) = client.poll_event() {
//!         if let client::Event::BodyChunkReceived { id, data } = event {
//!             assert_eq!(id, retr);
//!             body.extend_from_slice(&data);
//!         }
//!     }
//! }
//! assert_eq!(body, message); // dot-stuffed on the wire, unstuffed again
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The sans-IO contract
//!
//! A [`server::Server`] or [`client::Client`] is a plain struct. It does no
//! I/O, spawns nothing, reads no clock and no random source. The caller:
//!
//! 1. hands it the bytes that arrived (`handle_input`) and the time
//!    (`handle_timeout`);
//! 2. drains what it has to send (`poll_transmit`) and what happened
//!    (`poll_event`), and sleeps until `poll_timeout`;
//! 3. answers the events that need a decision through typed calls: a
//!    server's `login_succeeded(maildrop)` or `login_failed(reason)`, a
//!    message body handed over as [`bytes::Bytes`] chunks, the expunge at
//!    QUIT; a client's next command.
//!
//! Bytes from the network never panic and never make a machine allocate
//! without bound: lines have limits (255 octets for commands, RFC 2449 §4;
//! 512 for responses, RFC 1939 §3), numbers that overflow are errors, and a
//! peer's bad input becomes the protocol's reply (`-ERR`) or a closed session,
//! reported as an event. APIs used out of turn return [`ServerError`] or
//! [`ClientError`].
//!
//! Message bodies stream both ways: the server dot-stuffs the application's
//! chunks as it sends them and never copies a message whole; the client hands
//! out unstuffed slices of what it read. Drivers that can, skip the copy
//! altogether: `Server::poll_transmit_bytes` hands out slices of the
//! application's [`bytes::Bytes`], and `Client::handle_input_buf` takes the
//! read buffer itself.
//!
//! # Layout
//!
//! - [`types`](crate#types): the values of the grammar ([`Command`],
//!   [`Response`], [`MessageNumber`], [`UniqueId`], [`ResponseCode`],
//!   [`Capability`], ...), each valid by construction;
//! - [`decode`] and [`encode`]: the grammar, from borrowed bytes and into a
//!   caller's `BytesMut`;
//! - [`framing`]: lines with their limits, and dot-stuffing both ways as
//!   streams of chunks;
//! - [`server`] and [`client`]: the state machines;
//! - `codec` (feature `tokio`): `tokio_util::codec` adapters.
//!
//! # Types
//!
//! The types are re-exported at the crate root.

pub mod client;
#[cfg(feature = "tokio")]
pub mod codec;
pub mod decode;
pub mod encode;
mod error;
pub mod framing;
mod quirks;
mod scan;
pub mod server;
mod types;

pub use error::{ClientError, DecodeError, EncodeError, ErrorKind, ServerError, ValueError};
pub use quirks::Quirks;
pub use types::*;
