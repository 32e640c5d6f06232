//! The ends of a session the application decides: refusing a connection at
//! the greeting (RFC 5321 §3.1), and shutting down (§3.8) without losing a
//! message the application is storing.

use crate::{Command, EnhancedCode, Reply, ReplyCode, ServerError, decode};

use super::{CloseReason, Pending, Phase, Server, replies};

impl Server {
    /// Refuses the connection instead of greeting it: call before the first
    /// [`poll_transmit`](Self::poll_transmit). `reply` is a `421` (the
    /// session closes at once: [`Reply::TOO_MANY_CONNECTIONS`],
    /// [`Reply::ALL_PORTS_BUSY`]) or a `554` ([`Reply::NO_SERVICE`]: as RFC
    /// 5321 §3.1 requires, the server then waits for QUIT, answering every
    /// other command `503 5.7.0 Error: access denied` as Postfix does). The
    /// server's name goes first in the text, as in any greeting.
    pub fn refuse(&mut self, reply: Reply) -> Result<(), ServerError> {
        if self.greeted {
            return Err(ServerError::GreetingSent);
        }
        let code = reply.code();
        if code != ReplyCode::SERVICE_NOT_AVAILABLE && code != ReplyCode::TRANSACTION_FAILED {
            return Err(ServerError::WrongReplyCode);
        }
        if self.phase_is_closed() {
            return Err(ServerError::GreetingSent);
        }
        let mut lines = reply.lines().map(str::to_owned).collect::<Vec<_>>();
        if let Some(first) = lines.first_mut() {
            *first = if first.is_empty() {
                self.options.hostname.to_string()
            } else {
                format!("{} {first}", self.options.hostname)
            };
        }
        let reply =
            Reply::multiline(code, reply.enhanced(), lines).unwrap_or_else(|_| reply.clone());
        self.out.clear();
        self.hold = None;
        if code == ReplyCode::SERVICE_NOT_AVAILABLE {
            self.send_final(&reply);
            self.close(CloseReason::Refused);
        } else {
            self.write_reply(&reply);
            self.refused = true;
        }
        Ok(())
    }

    /// Ends the session: `421 4.3.2 hostname Service shutting down` (RFC
    /// 5321 §4.3.2: "421 Service shutting down and closing transmission
    /// channel"; Postfix's smtpd has no such reply, it exits). For a server
    /// that stops. A message the application is storing
    /// ([`Event::MessageReceived`](super::Event::MessageReceived) answered
    /// not yet) is not lost: the server reads no more input, waits for
    /// [`message_stored`](Self::message_stored) (or every
    /// [`recipient_stored`](Self::recipient_stored)), sends its reply, then
    /// the `421`. Other questions pending are dropped (their answers then
    /// return an error). During the TLS handshake no plaintext reply can go:
    /// the session just closes.
    pub fn shutdown(&mut self) {
        if self.phase_is_closed() {
            return;
        }
        if matches!(self.phase, Phase::TlsPending | Phase::TlsHandshake) {
            self.close(CloseReason::Shutdown);
            return;
        }
        self.shutting_down = true;
        if !matches!(self.pending, Pending::Message(_)) {
            self.pending = Pending::None;
            self.finish_shutdown();
        }
    }

    /// After a decision: the `421` of a shutdown that waited for it.
    pub(super) fn finish_shutdown(&mut self) {
        if !self.shutting_down || self.pending != Pending::None || self.phase_is_closed() {
            return;
        }
        let reply = replies::with_hostname(
            ReplyCode::SERVICE_NOT_AVAILABLE,
            EnhancedCode::SYSTEM_NOT_ACCEPTING,
            self.options.hostname.as_str(),
            "Service shutting down",
        );
        self.send_final(&reply);
        self.close(CloseReason::Shutdown);
    }

    /// A command after a `554` greeting: QUIT ends the session, the rest
    /// get `503` (RFC 5321 §3.1) and count as errors.
    pub(super) fn refused_command(&mut self, line: &[u8]) {
        if matches!(decode::command_line(line), Ok(Command::Quit)) {
            return self.quit();
        }
        self.fail(replies::ACCESS_DENIED);
    }
}
