//! What the server answers on its own: Dovecot's words for bad and unknown
//! commands, the bad-command count that closes a session, and CAPA's list.

use std::borrow::Cow;

use crate::{Capability, DecodeError, ErrorKind, Mechanism, ResponseCode};

use super::{CloseReason, Event, Server, State};

impl Server {
    /// Whether `keyword` names a command the session takes in its state.
    pub(super) fn knows(&self, keyword: &[u8]) -> bool {
        let mut upper = [0u8; 4];
        if keyword.len() > 4 {
            return false;
        }
        upper[..keyword.len()].copy_from_slice(keyword);
        upper.make_ascii_uppercase();
        let o = &self.options;
        match (self.state, &upper[..keyword.len()]) {
            (_, b"CAPA" | b"QUIT") => true,
            (State::Authorization, b"USER" | b"PASS" | b"APOP" | b"AUTH" | b"STLS") => true,
            (State::Authorization, b"UTF8") => o.utf8,
            (State::Transaction, b"STAT" | b"LIST" | b"RETR" | b"DELE" | b"NOOP" | b"RSET") => true,
            (State::Transaction, b"TOP") => o.top,
            (State::Transaction, b"UIDL") => o.uidl,
            _ => false,
        }
    }

    /// Answers a line that is not a valid command, in Dovecot's words.
    pub(super) fn invalid(&mut self, line: &[u8], e: DecodeError) {
        let (Some(kind), Some(offset)) = (e.kind(), e.offset()) else {
            return;
        };
        let keyword = &line[..memchr::memchr(b' ', line).unwrap_or(line.len())];
        let rest = printable(&line[offset.min(line.len())..]);
        let text = match kind {
            ErrorKind::EmptyLine | ErrorKind::UnknownCommand => {
                return self.unknown(keyword);
            }
            ErrorKind::InvalidMessageNumber => format!("Invalid message number: {rest}"),
            ErrorKind::MessageNumberTooLarge => format!("Message number too large: {rest}"),
            ErrorKind::NoiseAfterMessageNumber => format!("Noise after message number: {rest}"),
            ErrorKind::ZeroMessageNumber => "There's no message 0.".into(),
            ErrorKind::InvalidLineCount => format!("Invalid size: {rest}"),
            ErrorKind::LineCountTooLarge => format!("Size too large: {rest}"),
            ErrorKind::NoiseAfterLineCount => format!("Noise after size: {rest}"),
            ErrorKind::InvalidDigest => "Invalid characters in MD5 response.".into(),
            ErrorKind::InvalidMechanism => "Unsupported authentication mechanism.".into(),
            ErrorKind::InvalidBase64 => "Invalid base64 data in initial response.".into(),
            ErrorKind::MissingArgument => match keyword.to_ascii_uppercase().as_slice() {
                b"USER" => "No username given.".into(),
                b"PASS" => "No password given.".into(),
                _ => "Invalid parameters.".into(),
            },
            _ => "Invalid parameters.".into(),
        };
        // Before login only unknown commands count against the client, as in
        // Dovecot's pop3-login; after it, every malformed one does.
        if self.state == State::Authorization {
            self.reject(&text);
        } else {
            self.bad(&text);
        }
    }

    /// `-ERR` for an unknown command, or one out of its state: Dovecot says
    /// `Unknown command.` before login and names it after.
    pub(super) fn unknown(&mut self, keyword: &[u8]) {
        if self.state == State::Authorization {
            self.bad("Unknown command.");
        } else {
            let name = printable(&keyword.to_ascii_uppercase()).into_owned();
            self.bad(&format!("Unknown command: {name}"));
        }
    }

    /// `-ERR text` that counts as a bad command; too many in a row close the
    /// session, with Dovecot's counts and words: pop3-login closes when
    /// `++bad_counter >= CLIENT_MAX_BAD_COMMANDS` (3) with `Too many invalid
    /// bad commands.`; pop3 when `++bad_counter > CLIENT_MAX_BAD_COMMANDS`
    /// (20) with `Too many bad commands.`
    pub(super) fn bad(&mut self, text: &str) {
        self.reject(text);
        self.bad_commands = self.bad_commands.saturating_add(1);
        let (too_many, farewell) = match self.state {
            State::Authorization => (
                self.bad_commands >= self.options.max_bad_commands_before_login.max(1),
                "Too many invalid bad commands.",
            ),
            _ => (
                self.bad_commands > self.options.max_bad_commands,
                "Too many bad commands.",
            ),
        };
        if too_many {
            self.err(farewell);
            self.close(CloseReason::TooManyBadCommands);
        }
    }

    /// `-ERR text`, reported as a rejected command.
    pub(super) fn reject(&mut self, text: &str) {
        self.err(text);
        self.events.push_back(Event::CommandRejected {
            reply: text.to_owned(),
        });
    }

    /// A command went through: the bad-command count starts again.
    pub(super) fn good(&mut self) {
        self.bad_commands = 0;
    }

    pub(super) fn ok(&mut self, text: &str) {
        self.reply(true, None, text);
    }

    pub(super) fn err(&mut self, text: &str) {
        self.reply(false, None, text);
    }

    pub(super) fn reply(&mut self, ok: bool, code: Option<&ResponseCode>, text: &str) {
        self.out
            .extend_from_slice(if ok { b"+OK" } else { b"-ERR" });
        if let Some(code) = code {
            self.out.extend_from_slice(b" [");
            self.out.extend_from_slice(code.as_str().as_bytes());
            self.out.extend_from_slice(b"]");
        }
        if !text.is_empty() {
            self.out.extend_from_slice(b" ");
            crate::encode::put_text(&mut self.out, text.as_bytes());
        }
        self.out.extend_from_slice(b"\r\n");
    }

    /// The capabilities CAPA lists now: what the session's state takes.
    ///
    /// This departs from RFC 2449 §5 ("Capabilities available in the
    /// AUTHORIZATION state MUST be announced in both states") as Dovecot
    /// does: after login CAPA leaves out USER, SASL and STLS, whose commands
    /// are refused in the TRANSACTION state. UTF8 goes the same way: RFC 6856
    /// §2 makes its command valid in the AUTHORIZATION state only, and after
    /// login the server answers it `-ERR`, so announcing it there would
    /// offer a command that fails. A client that wants the pre-login list
    /// issues CAPA before it logs in, as clients do.
    pub(super) fn capabilities(&self) -> Vec<Capability> {
        let o = &self.options;
        let before_login = self.state == State::Authorization;
        let mut caps = Vec::new();
        if o.top {
            caps.push(Capability::Top);
        }
        if o.uidl {
            caps.push(Capability::Uidl);
        }
        caps.push(Capability::RespCodes);
        if o.pipelining {
            caps.push(Capability::Pipelining);
        }
        caps.push(Capability::AuthRespCode);
        if let Some(policy) = o.expire {
            caps.push(Capability::Expire {
                policy,
                per_user: false,
            });
        }
        if let Some(seconds) = o.login_delay {
            caps.push(Capability::LoginDelay {
                seconds,
                per_user: false,
            });
        }
        if before_login {
            if o.utf8 {
                caps.push(Capability::Utf8 { user: true });
            }
            if o.stls && !self.tls {
                caps.push(Capability::Stls);
            }
            if self.plaintext_allowed() {
                caps.push(Capability::User);
            }
            let mechs = self.mechanisms();
            if !mechs.is_empty() {
                caps.push(Capability::Sasl(mechs));
            }
        }
        if let Some(text) = &o.implementation {
            caps.push(Capability::Implementation(text.clone()));
        }
        caps
    }

    /// Whether a password may cross this connection now.
    pub(super) fn plaintext_allowed(&self) -> bool {
        self.tls || self.options.allow_plaintext_without_tls
    }

    /// The SASL mechanisms usable now: plaintext ones only where passwords may
    /// cross (RFC 5034 §4).
    pub(super) fn mechanisms(&self) -> Vec<Mechanism> {
        self.options
            .sasl_mechanisms
            .iter()
            .filter(|m| !m.is_plaintext() || self.plaintext_allowed())
            .cloned()
            .collect()
    }
}

/// Client text for a reply: printable ASCII kept, the rest as `?`, at most 64
/// octets.
fn printable(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = &bytes[..bytes.len().min(64)];
    if bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        String::from_utf8_lossy(bytes)
    } else {
        Cow::Owned(
            bytes
                .iter()
                .map(|&b| {
                    if (0x20..0x7f).contains(&b) {
                        b as char
                    } else {
                        '?'
                    }
                })
                .collect(),
        )
    }
}
