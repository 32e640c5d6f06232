//! APPEND and MULTIAPPEND, streamed (RFC 9051 §6.3.12, RFC 3502, RFC 3516
//! §4.4, RFC 6855 §4): the application decides on each message before the
//! client sends it, and its octets come out as they arrive, never gathered.
//!
//! ```text
//! C: A003 APPEND saved-messages (\Seen) {310}
//!                            AppendRequested { tag, mailbox, message }
//!                            accept_append(tag), or reject_append(tag, NO [TRYCREATE] ...)
//! S: + OK
//! C: <310 octets>            AppendChunk { tag, data } as they arrive
//!                            AppendMessageEnded { tag }
//! C: CRLF                    AppendReceived { tag, messages: 1 }
//!                            complete(tag, OK [APPENDUID 38505 3955] ...)
//! ```
//!
//! A MULTIAPPEND's next message is announced on the line after the last
//! one's octets: another `AppendRequested`, and so on. Nothing of a message
//! is held: the chunks are slices of the input, handed over as they come.

use bytes::Buf;

use crate::ServerError;
use crate::decode::{self, AppendAnnounced, Frame, LiteralAnnouncement};
use crate::error::{DecodeError, ErrorKind};
use crate::types::{Atom, Code, IntoStatic, Mailbox, StatusKind, Tag};

use super::input::{Discard, Reading};
use super::{AppendAnnouncement, Completion, Event, Kind, LiteralExtension, Pending, Role, Server};

/// An APPEND message on its way: its octets, then the line after them.
#[derive(Debug)]
pub(super) struct Receiving {
    tag: Tag<'static>,
    mailbox: Mailbox<'static>,
    /// The message's place in a MULTIAPPEND, from 0.
    index: usize,
    /// Octets still to come; `None` once they are all in and the line after
    /// them is read.
    remaining: Option<u64>,
    /// A `literal`, not a `literal8`: no NUL (RFC 9051 §9 `CHAR8`).
    check_nul: bool,
    /// `UTF8 (~{n}...)`: a `)` follows the octets.
    utf8: bool,
}

/// A message announced, waiting for the application's decision.
#[derive(Debug)]
pub(super) struct Deciding {
    tag: Tag<'static>,
    mailbox: Mailbox<'static>,
    index: usize,
    size: u64,
    non_sync: bool,
    binary: bool,
    utf8: bool,
}

impl Server {
    /// Lets the client send the message [`Event::AppendRequested`] announced:
    /// `+` for a synchronizing literal (a non-synchronizing one is on its way
    /// already), and its octets follow as [`Event::AppendChunk`]s.
    pub fn accept_append(&mut self, tag: &Tag<'_>) -> Result<(), ServerError> {
        let d = self.take_append(tag)?;
        if !d.non_sync {
            // Dovecot's continuation; RFC 9051 §7.5 leaves the text free.
            self.out.extend_from_slice(b"+ OK\r\n");
        }
        self.pending = Pending::Appending;
        self.reading = Reading::Append(Receiving {
            tag: d.tag,
            mailbox: d.mailbox,
            index: d.index,
            remaining: Some(d.size),
            check_nul: !d.binary && !self.codec.quirks.nul_in_literal,
            utf8: d.utf8,
        });
        self.process();
        Ok(())
    }

    /// Refuses the message [`Event::AppendRequested`] announced, and with it
    /// the whole command, before the client sends it: `NO [TRYCREATE]` for
    /// a mailbox that does not exist, `NO [OVERQUOTA]` (RFC 5530), `NO
    /// [TOOBIG]` (RFC 4469 §5, RFC 7889), as Dovecot does. Messages of a
    /// MULTIAPPEND already received are the application's to drop (RFC 3502
    /// §3: all or none). A non-synchronizing literal's octets, already on
    /// their way, are read and dropped.
    ///
    /// Fails with [`ServerError::InvalidStatus`] for an `OK`.
    pub fn reject_append(
        &mut self,
        tag: &Tag<'_>,
        completion: Completion<'_>,
    ) -> Result<(), ServerError> {
        if completion.kind == StatusKind::Ok {
            return Err(ServerError::InvalidStatus);
        }
        let Pending::Append(d) = &self.pending else {
            return Err(self.append_pending_error());
        };
        if d.tag.as_str() != tag.as_str() {
            return Err(ServerError::UnknownTag);
        }
        let Completion { kind, code, text } = completion;
        self.write_tagged(Some(tag), kind, code, &text)?;
        let d = self.take_append(tag)?;
        self.pending = Pending::None;
        self.refuse_rest(d.non_sync, d.size);
        self.process();
        Ok(())
    }

    /// An APPEND command's first line, up to its first message's octets,
    /// from a command its state takes.
    pub(super) fn append_started(&mut self, tag: Tag<'static>, a: LiteralAnnouncement) {
        let line = self.input.split_to(a.data_offset).freeze();
        // The octets are taken out of the buffer here, not by the framer.
        self.framer.literal_taken();
        match decode::append_head(&line, &self.codec) {
            Ok(head) => {
                let mailbox = head.mailbox.into_static();
                self.announced(tag, mailbox, 0, head.message);
            }
            Err(e) => {
                let text = self.error_text(Some("APPEND"), invalid_reason(e));
                self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
                self.refuse_rest(a.non_sync, a.length);
            }
        }
    }

    /// A message announced: refused by the server's own limits, or a
    /// decision for the application.
    fn announced(
        &mut self,
        tag: Tag<'static>,
        mailbox: Mailbox<'static>,
        index: usize,
        m: AppendAnnounced<'_>,
    ) {
        let refusal =
            if m.non_sync && self.options.literal == LiteralExtension::Minus && m.size > 4096 {
                // RFC 7888 §5: a LITERAL- server takes no larger one.
                Some((
                    StatusKind::Bad,
                    "Non-synchronizing literal larger than 4096 octets.",
                ))
            } else if m.size > self.options.max_append {
                Some((StatusKind::No, "Message too large."))
            } else {
                None
            };
        if let Some((kind, text)) = refusal {
            let code = Code::Other(Atom::from_static("TOOBIG"), None);
            self.reject(Some(&tag), kind, Some(code), text, false);
            if index > 0 {
                self.events.push_back(Event::AppendAborted { tag });
            }
            return self.refuse_rest(m.non_sync, m.size);
        }
        let message = AppendAnnouncement {
            index,
            flags: m.flags.map(IntoStatic::into_static),
            date: m.date,
            size: m.size,
            binary: m.binary,
            utf8: m.utf8,
        };
        self.pending = Pending::Append(Deciding {
            tag: tag.clone(),
            mailbox: mailbox.clone(),
            index,
            size: m.size,
            non_sync: m.non_sync,
            binary: m.binary,
            utf8: m.utf8,
        });
        self.events.push_back(Event::AppendRequested {
            tag,
            mailbox,
            message,
        });
    }

    /// Reads what comes of an accepted APPEND message: its octets, then the
    /// line after them. Returns whether it consumed or produced anything.
    pub(super) fn append_input(&mut self) -> bool {
        let Reading::Append(r) = &mut self.reading else {
            return false;
        };
        let Some(remaining) = r.remaining else {
            return self.append_line();
        };
        if remaining == 0 {
            r.remaining = None;
            let tag = r.tag.clone();
            self.events.push_back(Event::AppendMessageEnded { tag });
            return true;
        }
        if self.input.is_empty() {
            return false;
        }
        let n = usize::try_from(remaining)
            .unwrap_or(usize::MAX)
            .min(self.input.len());
        if r.check_nul && memchr::memchr(0, &self.input[..n]).is_some() {
            // CHAR8 = %x01-ff: a message with NUL goes in a literal8.
            let tag = r.tag.clone();
            self.input.advance(n);
            self.pending = Pending::None;
            self.refuse_rest(true, remaining - n as u64);
            let text = self.error_text(Some("APPEND"), "Literal contains a NUL octet.");
            self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
            self.events.push_back(Event::AppendAborted { tag });
            return true;
        }
        r.remaining = Some(remaining - n as u64);
        let tag = r.tag.clone();
        let data = self.input.split_to(n).freeze();
        self.events.push_back(Event::AppendChunk { tag, data });
        true
    }

    /// The line after a message's octets: the next message of a
    /// MULTIAPPEND, or the end of the command.
    fn append_line(&mut self) -> bool {
        if self.input.is_empty() {
            return false;
        }
        let frame = self.framer.next(&self.input);
        let Reading::Append(r) = &mut self.reading else {
            return false;
        };
        let (tag, utf8) = (r.tag.clone(), r.utf8);
        match frame {
            Ok(Frame::Incomplete { .. }) => false,
            Ok(Frame::Literal(a)) => {
                let (mailbox, index) = (r.mailbox.clone(), r.index + 1);
                let line = self.input.split_to(a.data_offset).freeze();
                self.framer.literal_taken();
                self.pending = Pending::None;
                match decode::append_next(&line, &self.codec, utf8) {
                    Ok(Some(m)) => self.announced(tag, mailbox, index, m),
                    Ok(None) => {
                        self.append_invalid(tag, "Invalid arguments.", (a.non_sync, a.length))
                    }
                    Err(e) => self.append_invalid(tag, invalid_reason(e), (a.non_sync, a.length)),
                }
                true
            }
            Ok(Frame::Complete { len }) => {
                let messages = r.index + 1;
                let line = self.input.split_to(len).freeze();
                self.next_command();
                self.reading = Reading::Commands;
                match decode::append_next(&line, &self.codec, utf8) {
                    Ok(None) => {
                        self.pending = Pending::Command {
                            tag: tag.clone(),
                            kind: Kind {
                                name: "APPEND",
                                role: Role::Other,
                            },
                        };
                        self.events
                            .push_back(Event::AppendReceived { tag, messages });
                    }
                    Ok(Some(_)) | Err(_) => {
                        self.pending = Pending::None;
                        let text = self.error_text(Some("APPEND"), "Invalid arguments.");
                        self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
                        self.events.push_back(Event::AppendAborted { tag });
                    }
                }
                true
            }
            Ok(Frame::Discarded { len }) => {
                // Not asked for; dropped all the same.
                self.input.advance(len);
                self.next_command();
                self.reading = Reading::Commands;
                self.pending = Pending::None;
                true
            }
            Err(e) => {
                self.pending = Pending::None;
                let long = matches!(
                    e,
                    DecodeError::Invalid {
                        kind: ErrorKind::LineTooLong,
                        ..
                    }
                );
                if long {
                    // The rest of the line, and what it announces, goes too.
                    self.input.clear();
                    self.next_command();
                    self.reading = Reading::Discard(Discard::default());
                } else {
                    let drop = e.offset().map_or(self.input.len(), |o| o + 1);
                    self.input.advance(drop.min(self.input.len()));
                    self.next_command();
                    self.reading = Reading::Commands;
                }
                let reason = if long {
                    "Too long argument."
                } else {
                    "Invalid line ending."
                };
                let text = self.error_text(Some("APPEND"), reason);
                self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
                self.events.push_back(Event::AppendAborted { tag });
                true
            }
        }
    }

    /// The next message of a MULTIAPPEND does not parse: the command is
    /// refused, the message's literal with it.
    fn append_invalid(&mut self, tag: Tag<'static>, reason: &str, literal: (bool, u64)) {
        let text = self.error_text(Some("APPEND"), reason);
        self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
        self.events.push_back(Event::AppendAborted { tag });
        self.refuse_rest(literal.0, literal.1);
    }

    /// After a refusal at a literal whose announcement was read: a
    /// synchronizing literal is not sent, so the command ends there; a
    /// non-synchronizing one's octets, and the rest of the command, are
    /// dropped as they arrive.
    fn refuse_rest(&mut self, non_sync: bool, length: u64) {
        if self.state == super::State::Logout {
            return;
        }
        self.next_command();
        self.reading = if non_sync {
            Reading::Discard(Discard::literal(length))
        } else {
            Reading::Commands
        };
    }

    fn take_append(&mut self, tag: &Tag<'_>) -> Result<Deciding, ServerError> {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::Append(d) if d.tag.as_str() == tag.as_str() => Ok(d),
            other => {
                self.pending = other;
                Err(self.append_pending_error())
            }
        }
    }

    fn append_pending_error(&self) -> ServerError {
        match self.pending {
            Pending::Append(_) => ServerError::UnknownTag,
            _ if self.state == super::State::Logout => ServerError::Closed,
            _ => ServerError::NoAppendPending,
        }
    }
}

/// The reason given for an APPEND line that does not parse.
fn invalid_reason(e: DecodeError) -> &'static str {
    match e {
        DecodeError::Invalid {
            kind: ErrorKind::EightBit,
            ..
        } => "Invalid 8-bit text.",
        _ => "Invalid arguments.",
    }
}
