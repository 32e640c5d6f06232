//! FETCH responses written in parts, so that a message body goes out in the
//! application's chunks, paced by the client's reading, never gathered into
//! one buffer (RFC 9051 §7.5.2).
//!
//! ```text
//! fetch_begin(tag, 12)                 (nothing yet)
//! fetch_items(tag, [UID 7])            * 12 FETCH (UID 7
//! fetch_body(tag, BODY[], 2048)         BODY[] {2048} CRLF
//! body_chunk(..) while body_demand()   the 2048 octets
//! fetch_items(tag, [FLAGS (\Seen)])     FLAGS (\Seen)
//! fetch_end(tag)                       ) CRLF
//! ```

use bytes::{Bytes, BytesMut};

use crate::ServerError;
use crate::types::{BodyItem, FetchItem, Tag};

use super::{BodyDemand, CloseReason, Server, State, encode};

/// A FETCH response being written.
#[derive(Debug)]
pub(super) struct FetchStream {
    seq: u32,
    /// `* n FETCH (` is written.
    opened: bool,
    /// Octets of the body literal still to come, and whether it is a
    /// `literal8`.
    literal: Option<(u64, bool)>,
}

impl Server {
    /// Starts the FETCH response for message `seq`, answering the command
    /// `tag`. Nothing is written until the first item: a response without
    /// items cannot be sent.
    pub fn fetch_begin(&mut self, tag: &Tag<'_>, seq: u32) -> Result<(), ServerError> {
        self.command_role(tag)?;
        if self.fetch.is_some() {
            return Err(ServerError::ResponseOpen);
        }
        if seq == 0 {
            return Err(ServerError::Encode(crate::EncodeError::Invalid(
                "message number 0",
            )));
        }
        self.fetch = Some(FetchStream {
            seq,
            opened: false,
            literal: None,
        });
        Ok(())
    }

    /// Writes items of the open FETCH response.
    pub fn fetch_items(
        &mut self,
        tag: &Tag<'_>,
        items: &[FetchItem<'_>],
    ) -> Result<(), ServerError> {
        self.command_role(tag)?;
        let f = open_between_items(&mut self.fetch)?;
        if items.is_empty() {
            return Ok(());
        }
        if f.opened {
            encode::fetch_items(items, false, &mut self.out, &self.codec)?;
        } else {
            encode::fetch_open(f.seq, items, &mut self.out, &self.codec)?;
            f.opened = true;
        }
        Ok(())
    }

    /// Announces a body item of `size` octets in the open FETCH response:
    /// `BODY[section]<origin> {size}` CRLF (`~{size}` for BINARY). Its octets
    /// follow with [`body_chunk`](Self::body_chunk), as
    /// [`body_demand`](Self::body_demand) asks.
    pub fn fetch_body(
        &mut self,
        tag: &Tag<'_>,
        item: &BodyItem<'_>,
        size: u64,
    ) -> Result<(), ServerError> {
        self.command_role(tag)?;
        let f = open_between_items(&mut self.fetch)?;
        if !f.opened {
            let mut head = BytesMut::new();
            encode::fetch_body_head(item, size, true, &mut head, &self.codec)?;
            encode::fetch_open(f.seq, &[], &mut self.out, &self.codec)?;
            self.out.extend_from_slice(&head);
            f.opened = true;
        } else {
            encode::fetch_body_head(item, size, false, &mut self.out, &self.codec)?;
        }
        let binary = matches!(item, BodyItem::Binary { .. });
        f.literal = (size > 0).then_some((size, binary));
        Ok(())
    }

    /// Hands over the next octets of the body being streamed. The server keeps
    /// the [`Bytes`] (no copy) until `poll_transmit` sends them; NUL octets,
    /// which an IMAP literal cannot hold (RFC 9051 §4.3 `CHAR8`), become
    /// 0x80 as Dovecot writes them, except in a BINARY `literal8`.
    ///
    /// Only when [`body_demand`](Self::body_demand) says
    /// [`More`](BodyDemand::More): a chunk while it says
    /// [`Full`](BodyDemand::Full) fails with [`ServerError::Backpressure`],
    /// so the server holds at most [`Options::body_buffer`] and one chunk.
    /// Fails with [`ServerError::BodyOverrun`] beyond the announced size.
    ///
    /// [`Options::body_buffer`]: super::Options::body_buffer
    pub fn body_chunk(&mut self, chunk: Bytes) -> Result<(), ServerError> {
        let full = self.backlog() >= self.options.body_buffer;
        let Some(f) = self.fetch.as_mut() else {
            return Err(ServerError::NoBodyPending);
        };
        let Some((remaining, binary)) = f.literal else {
            return Err(ServerError::NoBodyPending);
        };
        if full {
            return Err(ServerError::Backpressure);
        }
        if chunk.len() as u64 > remaining {
            return Err(ServerError::BodyOverrun);
        }
        let remaining = remaining - chunk.len() as u64;
        f.literal = (remaining > 0).then_some((remaining, binary));
        let chunk = if !binary && memchr::memchr(0, &chunk).is_some() {
            let mut v = chunk.to_vec();
            v.iter_mut().filter(|b| **b == 0).for_each(|b| *b = 0x80);
            Bytes::from(v)
        } else {
            chunk
        };
        if chunk.is_empty() {
            return Ok(());
        }
        if !self.out.is_empty() {
            let text = self.out.split().freeze();
            self.queued += text.len();
            self.queue.push_back(text);
        }
        self.queued += chunk.len();
        self.queue.push_back(chunk);
        Ok(())
    }

    /// What the body being streamed needs next; `None` when no body is
    /// being streamed, or all its octets are handed over.
    pub fn body_demand(&self) -> Option<BodyDemand> {
        self.fetch.as_ref()?.literal?;
        Some(if self.backlog() >= self.options.body_buffer {
            BodyDemand::Full
        } else {
            BodyDemand::More
        })
    }

    /// Ends the open FETCH response: `)` CRLF. Fails with
    /// [`ServerError::EmptyFetch`] if no item was written (nothing was sent,
    /// and the response is dropped).
    pub fn fetch_end(&mut self, tag: &Tag<'_>) -> Result<(), ServerError> {
        self.command_role(tag)?;
        let f = open_between_items(&mut self.fetch)?;
        let opened = f.opened;
        self.fetch = None;
        if !opened {
            return Err(ServerError::EmptyFetch);
        }
        self.out.extend_from_slice(b")\r\n");
        Ok(())
    }

    /// The body being streamed cannot be read to its end. Its literal cannot
    /// be cut short honestly, so the session closes.
    pub fn body_failed(&mut self) -> Result<(), ServerError> {
        if self.fetch.as_ref().and_then(|f| f.literal).is_none() {
            return Err(ServerError::NoBodyPending);
        }
        self.fetch = None;
        if self.state != State::Logout {
            self.close(CloseReason::BodyFailed);
        }
        Ok(())
    }
}

/// The open FETCH response, with no body literal in the middle.
fn open_between_items(fetch: &mut Option<FetchStream>) -> Result<&mut FetchStream, ServerError> {
    match fetch {
        None => Err(ServerError::NoFetchOpen),
        Some(f) if f.literal.is_some() => Err(ServerError::BodyIncomplete),
        Some(f) => Ok(f),
    }
}
