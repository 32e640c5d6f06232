//! The session outside transactions: the greeting, EHLO with the HELO
//! fallback (RFC 5321 §3.2), STARTTLS (RFC 3207), AUTH PLAIN and LOGIN
//! (RFC 4954), RSET, NOOP and QUIT.

use std::collections::VecDeque;

use crate::{
    ClientError, Command, EhloReply, Mechanism, Reply, ReplyCode, SaslResponse, Secret, decode,
    encode,
};

use super::{Client, CloseReason, Event, Sent, State};

/// The longest command line, CRLF included (RFC 5321 §4.5.3.1.4); RFC 4954
/// §4 keeps an initial response within it.
const MAX_COMMAND_LINE: usize = 512;

impl Client {
    /// `STARTTLS` (RFC 3207): once the server says `220`,
    /// [`Event::TlsRequested`] asks the driver for the handshake. Only when
    /// the session is idle, the server offers it, and TLS is not active.
    pub fn starttls(&mut self) -> Result<(), ClientError> {
        self.idle()?;
        if self.tls {
            return Err(ClientError::TlsActive);
        }
        if !self.offers(&crate::Capability::StartTls) {
            return Err(ClientError::NotOffered("STARTTLS".into()));
        }
        self.state = State::Negotiating;
        self.queue_command(&Command::StartTls, Sent::StartTls);
        Ok(())
    }

    /// The TLS handshake after [`Event::TlsRequested`] is done: the client
    /// forgets what it learned in plaintext and says EHLO again (RFC 3207
    /// §4.2), or, if [`quit`](Self::quit) was called meanwhile, QUIT.
    pub fn tls_established(&mut self) -> Result<(), ClientError> {
        if self.state != State::TlsHandshake {
            return Err(ClientError::WrongState(self.state()));
        }
        self.tls = true;
        self.capabilities = None;
        self.esmtp = false;
        self.state = State::Connecting;
        self.rearm = true;
        if self.quitting {
            self.flush_commands();
        } else {
            self.ehlo();
        }
        Ok(())
    }

    /// `AUTH PLAIN` (RFC 4954, RFC 4616), with the response as an initial
    /// response when the command fits 512 octets, after the server's empty
    /// challenge otherwise.
    pub fn auth_plain(
        &mut self,
        authzid: Option<&str>,
        authcid: &str,
        password: &[u8],
    ) -> Result<(), ClientError> {
        self.auth_allowed(&Mechanism::PLAIN)?;
        let authzid = authzid.unwrap_or("");
        if authcid.is_empty()
            || password.is_empty()
            || authzid.contains('\0')
            || authcid.contains('\0')
            || password.contains(&0)
        {
            return Err(ClientError::InvalidCredentials);
        }
        let mut message = Vec::with_capacity(authzid.len() + authcid.len() + password.len() + 2);
        message.extend_from_slice(authzid.as_bytes());
        message.push(0);
        message.extend_from_slice(authcid.as_bytes());
        message.push(0);
        message.extend_from_slice(password);
        let message = Secret::new(message);
        let line = 11 + base64::encoded_len(message.expose().len(), true).unwrap_or(usize::MAX) + 2;
        self.state = State::Negotiating;
        if line <= MAX_COMMAND_LINE {
            let cmd = Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: Some(message),
            };
            self.queue_command(&cmd, Sent::AuthPlain(None));
        } else {
            let cmd = Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: None,
            };
            self.queue_command(&cmd, Sent::AuthPlain(Some(message)));
        }
        Ok(())
    }

    /// `AUTH LOGIN`: the user name and the password, each after the
    /// server's prompt.
    pub fn auth_login(&mut self, username: &str, password: &[u8]) -> Result<(), ClientError> {
        self.auth_allowed(&Mechanism::LOGIN)?;
        if username.is_empty() || password.is_empty() {
            return Err(ClientError::InvalidCredentials);
        }
        self.state = State::Negotiating;
        let cmd = Command::Auth {
            mechanism: Mechanism::LOGIN,
            initial_response: None,
        };
        let answers = VecDeque::from([
            Secret::new(username.as_bytes().to_vec()),
            Secret::new(password.to_vec()),
        ]);
        self.queue_command(&cmd, Sent::AuthLogin(answers));
        Ok(())
    }

    /// `RSET` (RFC 5321 §4.1.1.5): between transactions, or to abandon one
    /// whose body has not started (as RFC 5321 appendix D.2 does after a
    /// recipient is refused). Once body octets are out, a transaction can
    /// only end with its body.
    pub fn rset(&mut self) -> Result<(), ClientError> {
        if self.state == State::Transaction {
            if !self.abandon_transaction() {
                return Err(ClientError::WrongState(self.state));
            }
            self.state = State::Ready;
        }
        self.idle()?;
        self.need_rset = false;
        self.queue_command(&Command::Rset, Sent::Rset);
        Ok(())
    }

    /// `NOOP` (RFC 5321 §4.1.1.9), when the session is idle.
    pub fn noop(&mut self) -> Result<(), ClientError> {
        self.idle()?;
        self.queue_command(&Command::Noop { argument: None }, Sent::Noop);
        Ok(())
    }

    /// `QUIT` (RFC 5321 §4.1.1.10), after whatever is in flight; its `221`
    /// closes the session, and nothing is sent after it. A transaction
    /// whose body has not started is abandoned; one whose body is streaming
    /// must end it first, and one whose body has ended still gets its reply
    /// before QUIT's (RFC 2920 §4 sends `.` and QUIT together). During
    /// STARTTLS or AUTH, QUIT waits for the exchange to end: after a `220`
    /// to STARTTLS it goes under TLS, once
    /// [`tls_established`](Self::tls_established) is called.
    pub fn quit(&mut self) -> Result<(), ClientError> {
        if self.state == State::Closed || self.quitting {
            return Err(ClientError::Closed);
        }
        if self.state == State::Transaction && !self.body_done() && !self.abandon_transaction() {
            return Err(ClientError::WrongState(self.state));
        }
        self.quitting = true;
        self.queue_command(&Command::Quit, Sent::Quit);
        Ok(())
    }

    /// Checks that the session can take a command that starts something.
    /// Commands wait their turn in a queue, so without pipelining one may
    /// still be in flight.
    pub(super) fn idle(&self) -> Result<(), ClientError> {
        if self.quitting {
            return Err(ClientError::Closed);
        }
        match self.state {
            State::Ready => Ok(()),
            State::Closed => Err(ClientError::Closed),
            state => Err(ClientError::WrongState(state)),
        }
    }

    fn auth_allowed(&self, mechanism: &Mechanism) -> Result<(), ClientError> {
        self.idle()?;
        if self.authenticated {
            return Err(ClientError::WrongState(self.state()));
        }
        let offered = self
            .capabilities
            .as_ref()
            .is_some_and(|c| self.esmtp && c.auth_mechanisms().contains(mechanism));
        if !offered {
            return Err(ClientError::NotOffered("AUTH".into()));
        }
        if !self.tls && !self.options.allow_plaintext_auth {
            return Err(ClientError::TlsRequired);
        }
        Ok(())
    }

    pub(super) fn ehlo(&mut self) {
        let host = self.options.hostname.clone();
        self.send(&Command::Ehlo { host }, Sent::Ehlo);
    }

    pub(super) fn on_greeting(&mut self, reply: Reply) {
        if reply.code() == ReplyCode::READY {
            self.events.push_back(Event::GreetingReceived { reply });
            // QUIT before the greeting: no EHLO.
            if !self.quitting {
                self.ehlo();
            }
        } else {
            // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT.
            self.refused(reply);
        }
    }

    pub(super) fn on_ehlo(&mut self, reply: Reply) {
        if reply.code().is_positive() {
            match EhloReply::from_reply(&reply) {
                Ok(ehlo) => self.ready(ehlo, true),
                Err(_) => self.close(CloseReason::ProtocolError),
            }
        } else if reply.code().is_permanent() {
            if self.quitting {
                return;
            }
            // RFC 5321 §3.2: a client falls back to HELO when EHLO fails.
            let host = self.options.hostname.clone();
            self.send(&Command::Helo { host }, Sent::Helo);
        } else {
            self.refused(reply);
        }
    }

    pub(super) fn on_helo(&mut self, reply: Reply) {
        if reply.code().is_positive() {
            // The reply's text has no control octet; its first word is a
            // host name.
            let name = reply.first_line().split([' ', '\t']).next().unwrap_or("");
            let name = crate::Host::try_from(name.to_owned())
                .unwrap_or_else(|_| crate::Host::from_static("unknown"));
            self.ready(
                EhloReply::new(name, crate::Text::default(), Vec::new()),
                false,
            );
        } else {
            self.refused(reply);
        }
    }

    fn ready(&mut self, capabilities: EhloReply, esmtp: bool) {
        self.capabilities = Some(capabilities.clone());
        self.esmtp = esmtp;
        self.state = State::Ready;
        self.events.push_back(Event::Ready {
            capabilities,
            esmtp,
        });
    }

    /// The server does not want the session: QUIT, then close.
    fn refused(&mut self, reply: Reply) {
        self.in_flight.clear();
        encode::command(&Command::Quit, &mut self.cmd);
        self.close(CloseReason::Rejected(reply));
    }

    pub(super) fn on_starttls(&mut self, reply: Reply) {
        if reply.code().is_positive() && reply.code() != ReplyCode::READY {
            // RFC 3207 §4: 220, or a refusal; anything else is not SMTP.
            return self.close(CloseReason::ProtocolError);
        }
        if reply.code() != ReplyCode::READY {
            self.state = State::Ready;
            self.events.push_back(Event::CommandFailed {
                verb: "STARTTLS",
                reply,
            });
            return;
        }
        // RFC 3207 §5: nothing may follow the 220 in plaintext.
        if !self.input.is_empty() || self.replies.is_partial() {
            return self.close(CloseReason::TlsInjection);
        }
        self.state = State::TlsHandshake;
        self.events.push_back(Event::TlsRequested);
    }

    /// `334`: the next line of the exchange, or `*` if there is none to
    /// give (RFC 4954 §4).
    pub(super) fn challenge(&mut self, reply: &Reply) {
        let next = match self.in_flight.front_mut() {
            Some(Sent::AuthPlain(response)) => response.take(),
            Some(Sent::AuthLogin(answers)) => answers.pop_front(),
            _ => return self.close(CloseReason::ProtocolError),
        };
        self.rearm = true;
        let response = match next {
            Some(data) if decode::challenge(reply.first_line().as_bytes()).is_ok() => {
                SaslResponse::Data(data)
            }
            _ => SaslResponse::Cancel,
        };
        encode::sasl_response(&response, &mut self.cmd);
    }

    pub(super) fn on_auth(&mut self, reply: Reply) {
        self.state = State::Ready;
        if reply.code() == ReplyCode::AUTH_SUCCEEDED {
            self.authenticated = true;
            self.events.push_back(Event::Authenticated);
        } else {
            self.events.push_back(Event::AuthFailed { reply });
        }
    }

    pub(super) fn on_simple(&mut self, verb: &'static str, reply: Reply) {
        if reply.code().is_negative() {
            self.events.push_back(Event::CommandFailed { verb, reply });
        }
    }
}
