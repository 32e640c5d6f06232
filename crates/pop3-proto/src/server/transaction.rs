//! The TRANSACTION state (RFC 1939 §5, §7): STAT, LIST, UIDL, RETR, TOP,
//! DELE, RSET, NOOP; listings and bodies streamed out as the client reads.

use std::collections::VecDeque;

use bytes::Bytes;

use crate::framing::{DotStuffer, TopLimiter};
use crate::types::number::put_decimal;
use crate::{Command, MessageNumber, ResponseCode, ServerError};

use super::maildrop::Lookup;
use super::{BodyDemand, BodyFailure, CloseReason, Event, Server};

/// A multi-line response being written out as `poll_transmit` makes room.
/// While one is open the server reads no further command.
#[derive(Debug)]
pub(super) enum Stream {
    /// LIST: scan listings from this index on.
    Scan { next: usize },
    /// UIDL: unique-id listings from this index on.
    Uidl { next: usize },
    /// RETR or TOP.
    Body(Body),
}

/// A message body on its way out.
#[derive(Debug)]
pub(super) struct Body {
    message: MessageNumber,
    size: u64,
    /// For TOP: where to cut.
    top: Option<TopLimiter>,
    /// Octets the application handed over, not yet sent.
    chunks: VecDeque<Bytes>,
    queued: usize,
    stuffer: DotStuffer,
    /// The `+OK` line is written (with the first chunk, or at the end).
    started: bool,
    /// The application called `body_end`.
    ended: bool,
    /// The `.` line is written.
    terminated: bool,
}

impl Server {
    /// Hands over the next octets of the message that
    /// [`Event::BodyRequested`] asked for. The server keeps the [`Bytes`]
    /// (no copy) until `poll_transmit` sends them dot-stuffed; call
    /// [`body_demand`](Self::body_demand) to pace a stream.
    pub fn body_chunk(&mut self, chunk: Bytes) -> Result<(), ServerError> {
        let body = self.open_body()?;
        if body.top.as_ref().is_some_and(TopLimiter::is_done) {
            return Ok(());
        }
        body.queued += chunk.len();
        if !chunk.is_empty() {
            body.chunks.push_back(chunk);
        }
        self.start_body();
        Ok(())
    }

    /// The message is complete: once sent, it ends with `.` CRLF (and a CRLF
    /// before it if the message did not end with one).
    pub fn body_end(&mut self) -> Result<(), ServerError> {
        self.open_body()?.ended = true;
        self.start_body();
        Ok(())
    }

    /// The whole message at once: [`body_chunk`](Self::body_chunk) and
    /// [`body_end`](Self::body_end). The server still sends it in pieces of
    /// [`Options::max_transmit`](super::Options::max_transmit), and never
    /// copies it whole.
    pub fn send_body(&mut self, body: Bytes) -> Result<(), ServerError> {
        self.body_chunk(body)?;
        self.body_end()
    }

    /// The message cannot be sent. Before any of it went out the client gets
    /// `-ERR` and the session goes on; after, the session closes, as the
    /// response cannot be ended honestly.
    pub fn body_failed(&mut self, reason: BodyFailure) -> Result<(), ServerError> {
        let body = self.open_body()?;
        let (started, message) = (body.started, body.message);
        self.stream = None;
        if started {
            self.close(CloseReason::BodyFailed);
            return Ok(());
        }
        match reason {
            BodyFailure::Expunged => self.err(&format!("Message {message} expunged.")),
            BodyFailure::TemporaryFailure => self.reply(
                false,
                Some(&ResponseCode::SYS_TEMP),
                "Message could not be read.",
            ),
            BodyFailure::Utf8Required => self.reply(
                false,
                Some(&ResponseCode::UTF8),
                "Message requires UTF-8 mode.",
            ),
        }
        self.process();
        Ok(())
    }

    /// What the open message body needs next; `None` when no body is open
    /// or [`body_end`](Self::body_end) was called.
    pub fn body_demand(&self) -> Option<BodyDemand> {
        match &self.stream {
            Some(Stream::Body(body)) if !body.ended => {
                Some(if body.top.as_ref().is_some_and(TopLimiter::is_done) {
                    BodyDemand::Enough
                } else if body.queued >= self.options.body_buffer {
                    BodyDemand::Full
                } else {
                    BodyDemand::More
                })
            }
            _ => None,
        }
    }

    /// A command in the TRANSACTION state.
    pub(super) fn transaction(&mut self, cmd: Command<'_>) {
        match cmd {
            Command::Stat => {
                self.good();
                let (count, size) = self.session.live();
                crate::encode::drop_listing(&crate::DropListing { count, size }, &mut self.out);
            }
            Command::List { message: None } => {
                self.good();
                let (count, _) = self.session.live();
                self.ok(&format!("{count} messages:"));
                self.stream = Some(Stream::Scan { next: 0 });
            }
            Command::List {
                message: Some(message),
            } => {
                let Some(size) = self.lookup(message).map(|e| e.size) else {
                    return;
                };
                self.good();
                self.ok(&format!("{message} {size}"));
            }
            Command::Uidl { message: None } if self.options.uidl => {
                self.good();
                self.ok("");
                self.stream = Some(Stream::Uidl { next: 0 });
            }
            Command::Uidl {
                message: Some(message),
            } if self.options.uidl => {
                let Some(uid) = self.lookup(message).map(|e| e.uid.clone()) else {
                    return;
                };
                self.good();
                self.ok(&format!("{message} {uid}"));
            }
            Command::Retr { message } => self.request_body(message, None),
            Command::Top { message, lines } if self.options.top => {
                self.request_body(message, Some(lines));
            }
            Command::Dele { message } => {
                if self.lookup(message).is_none() {
                    return;
                }
                self.good();
                self.session.delete(message);
                self.ok("Marked to be deleted.");
            }
            Command::Rset => {
                self.good();
                self.session.undelete_all();
                self.events.push_back(Event::Reset);
                self.ok("");
            }
            Command::Noop => {
                self.good();
                self.ok("");
            }
            Command::Capa => {
                self.good();
                self.capa();
            }
            Command::Quit => self.quit(),
            other => self.unknown(other.keyword().as_bytes()),
        }
    }

    /// The message's listing entry, or `-ERR` (a bad command, as in Dovecot)
    /// if it does not exist or is deleted.
    fn lookup(&mut self, message: MessageNumber) -> Option<&super::MaildropEntry> {
        match self.session.get(message) {
            Ok(_) => {}
            Err(Lookup::NoSuchMessage) => {
                self.bad(&format!("There's no message {message}."));
                return None;
            }
            Err(Lookup::Deleted) => {
                self.bad("Message is deleted.");
                return None;
            }
        }
        self.session.get(message).ok()
    }

    fn request_body(&mut self, message: MessageNumber, lines: Option<u64>) {
        let Some(size) = self.lookup(message).map(|e| e.size) else {
            return;
        };
        self.good();
        self.stream = Some(Stream::Body(Body {
            message,
            size,
            top: lines.map(TopLimiter::new),
            chunks: std::mem::take(&mut self.spare_chunks),
            queued: 0,
            stuffer: DotStuffer::new(),
            started: false,
            ended: false,
            terminated: false,
        }));
        self.events
            .push_back(Event::BodyRequested { message, lines });
    }

    fn open_body(&mut self) -> Result<&mut Body, ServerError> {
        match &mut self.stream {
            Some(Stream::Body(body)) if !body.ended => Ok(body),
            _ => Err(ServerError::NoBodyPending),
        }
    }

    /// Writes the `+OK` that opens the body, once: RETR's carries the size,
    /// TOP's is bare, as Dovecot's.
    fn start_body(&mut self) {
        let Some(Stream::Body(body)) = &mut self.stream else {
            return;
        };
        if body.started {
            return;
        }
        body.started = true;
        // RETR's "+OK 120 octets" (RFC 1939 §5's example, and Dovecot's),
        // TOP's bare "+OK".
        match body.top {
            None => {
                self.out.extend_from_slice(b"+OK ");
                put_decimal(&mut self.out, body.size);
                self.out.extend_from_slice(b" octets\r\n");
            }
            Some(_) => self.out.extend_from_slice(b"+OK\r\n"),
        }
    }

    /// Generates up to `room` octets of the open stream: listing lines into
    /// `out`, body pieces into `queue` (both empty when this is called).
    /// Returns whether it produced anything or closed the stream.
    pub(super) fn generate(&mut self, room: usize) -> bool {
        let session = &self.session;
        let out = &mut self.out;
        let done = match &mut self.stream {
            None => return false,
            Some(Stream::Scan { next }) => {
                while out.len() < room && *next < session.len() {
                    if let Some(entry) = session.live_at(*next) {
                        put_decimal(out, *next as u64 + 1);
                        out.extend_from_slice(b" ");
                        put_decimal(out, entry.size);
                        out.extend_from_slice(b"\r\n");
                    }
                    *next += 1;
                }
                *next >= session.len()
            }
            Some(Stream::Uidl { next }) => {
                while out.len() < room && *next < session.len() {
                    if let Some(entry) = session.live_at(*next) {
                        put_decimal(out, *next as u64 + 1);
                        out.extend_from_slice(b" ");
                        out.extend_from_slice(entry.uid.as_str().as_bytes());
                        out.extend_from_slice(b"\r\n");
                    }
                    *next += 1;
                }
                *next >= session.len()
            }
            Some(Stream::Body(_)) => return self.generate_body(room),
        };
        if done {
            crate::encode::terminator(&mut self.out);
            self.stream = None;
            return true;
        }
        !self.out.is_empty()
    }

    fn generate_body(&mut self, room: usize) -> bool {
        let Some(Stream::Body(body)) = &mut self.stream else {
            return false;
        };
        if !body.started {
            return false;
        }
        let queue = &mut self.queue;
        let mut produced = 0;
        while produced < room {
            if body.top.as_ref().is_some_and(TopLimiter::is_done) {
                body.chunks.clear();
                body.queued = 0;
            }
            let Some(chunk) = body.chunks.front_mut() else {
                break;
            };
            let take = chunk.len().min(room - produced);
            let mut piece = if take == chunk.len() {
                body.chunks.pop_front().unwrap_or_default()
            } else {
                chunk.split_to(take)
            };
            body.queued -= take;
            produced += take;
            if let Some(top) = &mut body.top {
                let keep = top.take(&piece);
                piece.truncate(keep);
            }
            body.stuffer.encode_bytes(piece, |b| queue.push_back(b));
        }
        let complete = body.chunks.is_empty()
            && (body.ended || body.top.as_ref().is_some_and(TopLimiter::is_done));
        if complete && !body.terminated {
            queue.push_back(body.stuffer.finish_bytes());
            body.terminated = true;
        }
        if body.terminated && body.ended {
            if let Some(Stream::Body(body)) = self.stream.take() {
                // Keep the queue's allocation for the next body.
                self.spare_chunks = body.chunks;
            }
            return true;
        }
        !self.queue.is_empty()
    }
}
