//! Reading commands: framing across literals, the literal flow of RFC 9051
//! §4.3 and RFC 7888, the state rules of RFC 9051 §3 and §6, and the replies
//! to what cannot be a command.

use bytes::{Buf, Bytes};

use crate::decode::{self, Frame, LiteralAnnouncement};
use crate::error::{DecodeError, ErrorKind};
use crate::types::{Atom, Code, IntoStatic, StatusKind, Tag};

use super::{CloseReason, Event, LiteralExtension, Pending, Server, State, printable};
use crate::validity::Validity;

/// What the server reads next.
#[derive(Debug)]
pub(super) enum Reading {
    /// Commands.
    Commands,
    /// The rest of a refused command.
    Discard(Discard),
    /// The client's next line of an AUTHENTICATE exchange.
    Sasl {
        tag: Tag<'static>,
        mechanism: Atom<'static>,
    },
    /// `DONE`, ending IDLE.
    Idle { tag: Tag<'static> },
    /// An accepted APPEND message's octets, then the line after them.
    Append(super::append::Receiving),
}

/// Dropping the rest of a command: the octets of a non-synchronizing literal
/// as they arrive, then lines until one that announces no further
/// non-synchronizing literal. Nothing is held but the end of the current
/// line, so a refused literal of any size costs no memory.
#[derive(Debug, Default)]
pub(super) struct Discard {
    literal: u64,
    tail: Vec<u8>,
}

impl Discard {
    /// Drops a non-synchronizing literal of `length` octets to come, and
    /// the rest of its command.
    pub(super) fn literal(length: u64) -> Self {
        Self {
            literal: length,
            tail: Vec::new(),
        }
    }
}

/// The longest literal announcement, `~{` 19 digits `+}` CR.
const ANNOUNCEMENT: usize = 24;

impl Server {
    /// Reads and answers commands until a decision is needed, a response is
    /// open, a transport switch waits, output is full or input is exhausted.
    /// Returns whether it produced anything.
    pub(super) fn process(&mut self) -> bool {
        let before = self.progress();
        loop {
            if self.state == State::Logout
                || self.switch.is_some()
                || !matches!(self.pending, Pending::None | Pending::Appending)
                || self.fetch.is_some()
                || self.backlog() >= self.options.max_transmit
            {
                break;
            }
            let progressed = match self.reading {
                Reading::Commands => self.frame(),
                Reading::Discard(_) => self.discard(),
                Reading::Sasl { .. } => self.sasl_line(),
                Reading::Idle { .. } => self.idle_input(),
                Reading::Append(_) => self.append_input(),
            };
            if !progressed {
                if self.overflowed {
                    // Every whole command before the dropped input is
                    // answered; what follows it cannot be trusted.
                    self.input.clear();
                    self.write_bye("Too much pipelined input.");
                    self.close(CloseReason::InputOverflow);
                }
                break;
            }
        }
        before != self.progress()
    }

    fn progress(&self) -> (usize, usize, usize, usize, bool) {
        (
            self.out.len(),
            self.queue.len(),
            self.events.len(),
            self.input.len(),
            self.switch.is_some(),
        )
    }

    /// Frames the next command. Returns whether it consumed anything.
    fn frame(&mut self) -> bool {
        if self.input.is_empty() {
            return false;
        }
        match self.framer.next(&self.input) {
            Ok(Frame::Incomplete { .. }) => false,
            Ok(Frame::Literal(a)) => {
                self.literal(a);
                true
            }
            Ok(Frame::Complete { len }) => {
                let bytes = self.input.split_to(len).freeze();
                self.next_command();
                self.command_bytes(bytes);
                true
            }
            Ok(Frame::Discarded { len }) => {
                self.input.advance(len);
                self.next_command();
                true
            }
            Err(e) => {
                self.framing_error(e);
                true
            }
        }
    }

    /// Ready for the next command.
    pub(super) fn next_command(&mut self) {
        self.framer.reset();
        self.literal_end = 0;
        self.literal_total = 0;
    }

    /// A line announced a literal: `+` if its command may go on and its size
    /// passes the limits (RFC 9051 §7.5), else a tagged refusal and the
    /// octets skipped (RFC 7888 §4).
    fn literal(&mut self, a: LiteralAnnouncement) {
        let tag = decode::tag_of(&self.input).map(IntoStatic::into_static);
        let name = command_name(&self.input);
        let Some(tag) = tag else {
            self.reject_invalid_tag();
            return self.refuse_literal(a);
        };
        if self.refuse_in_state(&tag, name.as_deref()) {
            return self.refuse_literal(a);
        }
        if name.as_deref() == Some("APPEND") {
            // Streamed: a decision before the octets, then chunks.
            return self.append_started(tag, a);
        }
        if a.non_sync && self.options.literal == LiteralExtension::Minus && a.length > 4096 {
            // RFC 7888 §5: a LITERAL- server takes no larger one.
            self.reject(
                Some(&tag),
                StatusKind::Bad,
                Some(too_big()),
                "Non-synchronizing literal larger than 4096 octets.",
                false,
            );
            return self.refuse_literal(a);
        }
        // The literals of one command, held whole, count together.
        self.literal_total = self.literal_total.saturating_add(a.length);
        if self.literal_total > self.options.max_literal {
            self.reject(
                Some(&tag),
                StatusKind::No,
                Some(too_big()),
                "Literal too large.",
                false,
            );
            return self.refuse_literal(a);
        }
        if !a.non_sync {
            // Dovecot's continuation; RFC 9051 §7.5 leaves the text free.
            self.out.extend_from_slice(b"+ OK\r\n");
        }
        let length = usize::try_from(a.length).unwrap_or(usize::MAX);
        self.literal_end = a.data_offset.saturating_add(length);
    }

    /// Drops a refused command up to its literal; a non-synchronizing
    /// literal's octets and the rest of the command follow and are dropped as
    /// they come.
    fn refuse_literal(&mut self, a: LiteralAnnouncement) {
        // The refusal may have been the bad command too many.
        if self.state == State::Logout {
            return;
        }
        self.input.advance(a.data_offset);
        self.next_command();
        if a.non_sync {
            self.reading = Reading::Discard(Discard {
                literal: a.length,
                tail: Vec::new(),
            });
        }
    }

    /// Drops refused octets. Returns whether it consumed anything.
    fn discard(&mut self) -> bool {
        let Reading::Discard(d) = &mut self.reading else {
            return false;
        };
        if self.input.is_empty() {
            return false;
        }
        if d.literal > 0 {
            let n = usize::try_from(d.literal)
                .unwrap_or(usize::MAX)
                .min(self.input.len());
            self.input.advance(n);
            d.literal -= n as u64;
            return true;
        }
        let Some(nl) = memchr::memchr(b'\n', &self.input) else {
            d.tail.extend_from_slice(&self.input);
            let keep = d.tail.len().saturating_sub(ANNOUNCEMENT + 1);
            d.tail.drain(..keep);
            self.input.clear();
            return true;
        };
        d.tail.extend_from_slice(&self.input[..nl]);
        self.input.advance(nl + 1);
        let line = d.tail.strip_suffix(b"\r").unwrap_or(&d.tail);
        match decode::literal_at_end(line) {
            Some((length, true, _)) => {
                d.literal = length;
                d.tail.clear();
            }
            // A synchronizing literal is not sent after a refusal.
            _ => self.reading = Reading::Commands,
        }
        true
    }

    /// A line too long or ending in a bare LF, or a NUL in a literal's
    /// octets: refused, and dropped.
    fn framing_error(&mut self, e: DecodeError) {
        let tag = decode::tag_of(&self.input).map(IntoStatic::into_static);
        let name = command_name(&self.input);
        if let DecodeError::Invalid {
            kind: ErrorKind::Nul,
            ..
        } = e
        {
            // The client sends the rest of the literal it announced, and
            // perhaps more of the command: dropped as they arrive.
            let have = self.literal_end.min(self.input.len());
            let rest = (self.literal_end - have) as u64;
            self.input.advance(have);
            self.next_command();
            self.reading = Reading::Discard(Discard::literal(rest));
            match tag {
                Some(tag) => {
                    let text = self.error_text(name.as_deref(), "Literal contains a NUL octet.");
                    self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
                }
                None => self.reject_invalid_tag(),
            }
            return;
        }
        let (reason, drop) = match e {
            DecodeError::Invalid {
                kind: ErrorKind::LineTooLong,
                offset,
            } => ("Too long argument.", offset),
            DecodeError::Invalid { offset, .. } => ("Invalid line ending.", offset + 1),
            DecodeError::Incomplete { .. } => ("Invalid arguments.", self.input.len()),
        };
        self.input.advance(drop.min(self.input.len()));
        self.next_command();
        if matches!(
            e,
            DecodeError::Invalid {
                kind: ErrorKind::LineTooLong,
                ..
            }
        ) {
            // The rest of the line, and what it announces, goes too.
            self.reading = Reading::Discard(Discard::default());
        }
        match tag {
            Some(tag) => {
                let text = self.error_text(name.as_deref(), reason);
                self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
            }
            None => self.reject_invalid_tag(),
        }
    }

    /// A whole command's octets.
    fn command_bytes(&mut self, bytes: Bytes) {
        match decode::command(&bytes, &self.codec) {
            Ok((command, _)) => {
                let name = command.body.name();
                if self.refuse_in_state(&command.tag, Some(name)) {
                    return;
                }
                self.good();
                self.command(command);
            }
            Err(e) => self.invalid(&bytes, e),
        }
    }

    /// A command that does not decode: the tag, the state and the command
    /// name are checked first, as Dovecot does.
    fn invalid(&mut self, bytes: &[u8], e: DecodeError) {
        let Some(tag) = decode::tag_of(bytes).map(IntoStatic::into_static) else {
            return self.reject_invalid_tag();
        };
        let name = command_name(bytes);
        if self.refuse_in_state(&tag, name.as_deref()) {
            return;
        }
        let reason = match e {
            DecodeError::Invalid {
                kind: ErrorKind::Mode | ErrorKind::UnknownCommand,
                ..
            } => "Unknown command.",
            DecodeError::Invalid {
                kind: ErrorKind::EightBit,
                ..
            } => "Invalid 8-bit text.",
            DecodeError::Invalid {
                kind: ErrorKind::TooDeep,
                ..
            } => "Too deeply nested.",
            _ => "Invalid arguments.",
        };
        let text = self.error_text(name.as_deref(), reason);
        self.reject(Some(&tag), StatusKind::Bad, None, &text, true);
    }

    /// Refuses a command its state does not take, or does not know; returns
    /// whether it did.
    pub(super) fn refuse_in_state(&mut self, tag: &Tag<'_>, name: Option<&str>) -> bool {
        let validity = name.map_or(Validity::Unknown, Validity::of);
        let ok = matches!(
            (self.state, validity),
            (_, Validity::Any)
                | (State::NotAuthenticated, Validity::NotAuthenticated)
                | (
                    State::Authenticated,
                    Validity::Authenticated | Validity::AuthenticatedOnly
                )
                | (
                    State::Selected,
                    Validity::Authenticated | Validity::Selected
                )
        );
        if ok || self.state == State::Logout {
            return false;
        }
        match (self.state, validity) {
            // Dovecot's login process knows only its own commands.
            (State::NotAuthenticated, _) => {
                let text = self.error_text(name, "Unknown command.");
                self.reject(Some(tag), StatusKind::Bad, None, &text, true);
            }
            (State::Authenticated, Validity::Selected) => {
                self.reject(
                    Some(tag),
                    StatusKind::Bad,
                    None,
                    "No mailbox selected.",
                    false,
                );
            }
            (State::Selected, Validity::AuthenticatedOnly) => {
                self.reject(
                    Some(tag),
                    StatusKind::Bad,
                    None,
                    "ENABLE is only valid before a mailbox is selected.",
                    false,
                );
            }
            _ => {
                let text = self.error_text(name, "Unknown command.");
                self.reject(Some(tag), StatusKind::Bad, None, &text, true);
            }
        }
        true
    }

    /// A line without a valid tag: `* BAD`, and the session goes on (Dovecot
    /// does not echo an invalid tag).
    pub(super) fn reject_invalid_tag(&mut self) {
        self.reject(
            None,
            StatusKind::Bad,
            None,
            "Error in IMAP command received by server.",
            true,
        );
    }

    /// Dovecot's words for a bad command: the same for every error before
    /// login, naming the command and the reason after.
    pub(super) fn error_text(&self, name: Option<&str>, reason: &str) -> String {
        if self.state == State::NotAuthenticated {
            return "Error in IMAP command received by server.".into();
        }
        match name {
            Some(name) => format!("Error in IMAP command {name}: {reason}"),
            None => format!("Error in IMAP command: {reason}"),
        }
    }

    /// A tagged (or, without a tag, untagged) refusal written by the server,
    /// reported as [`Event::CommandRejected`]; `bad` counts it against the
    /// client.
    pub(super) fn reject(
        &mut self,
        tag: Option<&Tag<'_>>,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
        bad: bool,
    ) {
        let start = self.out.len();
        // Only the server's own codes get here.
        let _ = self.write_tagged(tag, kind, code, text);
        let line = &self.out[start..];
        let line = line.strip_suffix(b"\r\n").unwrap_or(line);
        let reply = match memchr::memchr(b' ', line) {
            Some(sp) => String::from_utf8_lossy(&line[sp + 1..]).into_owned(),
            None => String::new(),
        };
        self.events.push_back(Event::CommandRejected {
            tag: tag.map(|t| t.clone().into_static()),
            reply,
        });
        if bad {
            self.bad_commands += 1;
            let limit = match self.state {
                State::NotAuthenticated => self.options.max_bad_commands_before_login,
                _ => self.options.max_bad_commands,
            };
            if self.bad_commands >= limit.max(1) {
                self.write_bye("Too many invalid IMAP commands.");
                self.close(CloseReason::TooManyBadCommands);
            }
        }
    }

    /// A command went through: the bad-command count starts again.
    pub(super) fn good(&mut self) {
        self.bad_commands = 0;
    }
}

/// `TOOBIG` (RFC 4469 §5, RFC 7888 §5).
fn too_big() -> Code<'static> {
    Code::Other(Atom::from_static("TOOBIG"), None)
}

/// The command name at the start of a command's first line, upper case, with
/// the `UID` prefix joined (`UID FETCH`); `None` without a tag and a name.
pub(super) fn command_name(line: &[u8]) -> Option<String> {
    let tag_end = memchr::memchr(b' ', line)?;
    let rest = &line[tag_end + 1..];
    let word = |s: &[u8]| -> usize {
        s.iter()
            .position(|&b| !crate::types::is_atom_char(b))
            .unwrap_or(s.len())
    };
    let n = word(rest);
    if n == 0 {
        return None;
    }
    let mut name = printable(&rest[..n]).to_ascii_uppercase();
    if name == "UID" && rest.get(n) == Some(&b' ') {
        let sub = &rest[n + 1..];
        let m = word(sub);
        if m > 0 {
            name.push(' ');
            name.push_str(&printable(&sub[..m]).to_ascii_uppercase());
        }
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_their_states() {
        assert_eq!(
            command_name(b"a1 uid fetch 1 uid\r\n").unwrap(),
            "UID FETCH"
        );
        assert_eq!(command_name(b"a1 Select INBOX\r\n").unwrap(), "SELECT");
        assert_eq!(command_name(b"a1 NOOP\r\n").unwrap(), "NOOP");
        assert_eq!(command_name(b"a1\r\n"), None);
    }
}
