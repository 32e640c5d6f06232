//! Sans-IO SMTP (RFC 5321) and LMTP (RFC 2033) with the extensions mail
//! servers use: PIPELINING (RFC 2920), CHUNKING and BINARYMIME (RFC 3030),
//! STARTTLS (RFC 3207), AUTH (RFC 4954), SIZE (RFC 1870), 8BITMIME (RFC
//! 6152), SMTPUTF8 (RFC 6531), DSN (RFC 3461), ENHANCEDSTATUSCODES (RFC
//! 2034, RFC 3463), REQUIRETLS (RFC 8689) and MT-PRIORITY (RFC 6710); a
//! server and a client state machine, and the grammar both ways.
//!
//! ```
//! use std::time::Instant;
//! use bytes::{Bytes, BytesMut};
//! use smtp_proto::{client, server, ForwardPath, Mailbox, ReversePath};
//!
//! let now = Instant::now();
//! let mut options = server::Options::default();
//! options.hostname = smtp_proto::Domain::try_from("mx.example.org")?;
//! options.chunking = false; // DATA rather than BDAT, to show dot-stuffing
//! let mut server = server::Server::new(options, now);
//! let mut client = client::Client::new(client::Options::default(), now);
//!
//! let message = Bytes::from_static(b"Subject: hi\r\n\r\n.leading dot\r\n");
//! let mut stored = Vec::new();
//! let mut wire = BytesMut::new();
//! while !client.is_closed() {
//!     // Server to client, client to server.
//!     while server.poll_transmit(&mut wire) > 0 {
//!         client.handle_input(&wire);
//!         wire.clear();
//!     }
//!     while client.poll_transmit(&mut wire) > 0 {
//!         server.handle_input(&wire);
//!         wire.clear();
//!     }
//!     // The server's questions, answered by the application.
//!     while let Some(event) = server.poll_event() {
//!         match event {
//!             server::Event::MailRequested { txn, .. } => server.accept_mail(txn)?,
//!             server::Event::RcptRequested { id, .. } => server.accept_rcpt(id)?,
//!             server::Event::BodyChunkReceived { data, .. } => stored.extend_from_slice(&data),
//!             // 250 only once the message is durable.
//!             server::Event::MessageReceived { txn, .. } => server.message_stored(txn, Ok(()))?,
//!             _ => {}
//!         }
//!     }
//!     // What the client learned, and what it does next.
//!     while let Some(event) = client.poll_event() {
//!         match event {
//!             client::Event::Ready { .. } => {
//!                 let from = ReversePath::Mailbox(Mailbox::try_from("alice@example.org")?);
//!                 let to = ForwardPath::Mailbox(Mailbox::try_from("bob@example.org")?);
//!                 client.send_mail(client::Envelope::new(from).to(to))?;
//!                 client.body_chunk(message.clone())?;
//!                 client.body_end()?;
//!             }
//!             client::Event::MessageAccepted { .. } => client.quit()?,
//!             _ => {}
//!         }
//!     }
//! }
//! assert_eq!(stored, message); // dot-stuffed on the wire, unstuffed again
//! assert!(server.is_closed());
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
//!    server's `accept_rcpt(id)` or `reject_rcpt(id, reply)`,
//!    `message_stored(txn, result)`, `auth_succeeded()`; a client's next
//!    command and the message body.
//!
//! Bytes from the network never panic and never make a machine allocate
//! without bound: command lines have limits (2048 octets, 12 288 for AUTH),
//! a message over the size limit is read and discarded as it arrives,
//! numbers that overflow are errors, and a peer's bad input becomes the
//! protocol's reply (`500 5.5.2`, `501 5.5.4`, ...) or a closed session,
//! reported as an event. APIs used out of turn return [`ServerError`] or
//! [`ClientError`].
//!
//! Message bodies stream both ways as [`bytes::Bytes`] chunks: the server
//! hands out unstuffed slices of its input as they arrive, the client sends
//! the application's chunks dot-stuffed (or framed by BDAT) without copying
//! them. DATA ends only at `<CR><LF>.<CR><LF>`; a bare CR or LF in a body
//! is refused or made a CRLF, never taken for a line end (SMTP smuggling).
//!
//! # Layout
//!
//! - [`types`](crate#types): the values of the grammar ([`Command`],
//!   [`Reply`], [`ReplyCode`], [`EnhancedCode`], [`Mailbox`],
//!   [`ReversePath`], [`ForwardPath`], [`MailParameters`],
//!   [`Capability`], ...), each valid by construction;
//! - [`decode`] and [`encode`]: the grammar, from borrowed bytes and into a
//!   caller's `BytesMut`;
//! - [`framing`]: command lines with their limits, DATA's end and
//!   dot-stuffing both ways, BDAT chunks;
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
pub mod server;
mod types;

pub use error::{ClientError, DecodeError, ErrorKind, ServerError, ValueError};
pub use types::*;
