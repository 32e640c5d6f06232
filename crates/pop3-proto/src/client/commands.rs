//! The commands a client issues. Each checks that the session can take it
//! (assuming every login already issued succeeds), writes it to the output
//! or, when it must wait, queues it, and returns the id its response will
//! carry.

use std::borrow::Cow;

use bytes::BytesMut;

use crate::{ApopDigest, ClientError, Mechanism, MessageNumber, Secret, encode};

use super::{Client, Command, CommandId, Expect, Queued, State};

/// Which states a command is valid in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Valid {
    Authorization,
    Transaction,
    Both,
}

impl Client {
    /// `CAPA` (RFC 2449 §5): answered by [`Event::CapabilitiesReceived`].
    /// If the list has PIPELINING, later commands are pipelined.
    ///
    /// [`Event::CapabilitiesReceived`]: super::Event::CapabilitiesReceived
    pub fn capa(&mut self) -> Result<CommandId, ClientError> {
        self.issue(Valid::Both, &crate::Command::Capa, Expect::Capa)
    }

    /// `STLS` (RFC 2595 §4): answered by [`Event::TlsRequested`]. It must be
    /// the only command in flight, before login, without TLS.
    ///
    /// [`Event::TlsRequested`]: super::Event::TlsRequested
    pub fn stls(&mut self) -> Result<CommandId, ClientError> {
        if self.tls {
            return Err(ClientError::TlsActive);
        }
        if !self.in_flight.is_empty() || !self.queued.is_empty() {
            return Err(ClientError::StlsPipelined);
        }
        self.issue(Valid::Authorization, &crate::Command::Stls, Expect::Stls)
    }

    /// `UTF8` (RFC 6856 §2), before login.
    pub fn utf8(&mut self) -> Result<CommandId, ClientError> {
        self.issue(Valid::Authorization, &crate::Command::Utf8, Expect::Simple)
    }

    /// `USER name` (RFC 1939 §7).
    pub fn user(&mut self, name: &str) -> Result<CommandId, ClientError> {
        check_arg(name.as_bytes())?;
        let cmd = crate::Command::User {
            name: Cow::Borrowed(name),
        };
        self.issue(Valid::Authorization, &cmd, Expect::Simple)
    }

    /// `PASS string` (RFC 1939 §7): spaces are part of the password. Answered
    /// by [`Event::LoggedIn`] or an error.
    ///
    /// [`Event::LoggedIn`]: super::Event::LoggedIn
    pub fn pass(&mut self, password: &[u8]) -> Result<CommandId, ClientError> {
        check_arg(password)?;
        let cmd = crate::Command::Pass {
            password: Secret::new(Cow::Borrowed(password)),
        };
        self.issue(Valid::Authorization, &cmd, Expect::Login)
    }

    /// `APOP name digest` (RFC 1939 §7). The digest is MD5 of
    /// [`apop_timestamp`](Self::apop_timestamp)`.digest_input(secret)`.
    pub fn apop(&mut self, name: &str, digest: ApopDigest) -> Result<CommandId, ClientError> {
        check_arg(name.as_bytes())?;
        let cmd = crate::Command::Apop {
            name: Cow::Borrowed(name),
            digest,
        };
        self.issue(Valid::Authorization, &cmd, Expect::Login)
    }

    /// `AUTH PLAIN` (RFC 5034, RFC 4616) with these credentials. The response
    /// goes as an initial response when the command fits 255 octets, and after
    /// the server's empty challenge otherwise (RFC 5034 §4).
    pub fn auth_plain(
        &mut self,
        authzid: Option<&str>,
        authcid: &str,
        password: &[u8],
    ) -> Result<CommandId, ClientError> {
        let authzid = authzid.unwrap_or("");
        if authcid.is_empty() || password.is_empty() {
            return Err(ClientError::InvalidArgument);
        }
        if authzid.contains('\0') || authcid.contains('\0') || password.contains(&0) {
            return Err(ClientError::NulInCredentials);
        }
        let mut message = Vec::with_capacity(authzid.len() + authcid.len() + password.len() + 2);
        message.extend_from_slice(authzid.as_bytes());
        message.push(0);
        message.extend_from_slice(authcid.as_bytes());
        message.push(0);
        message.extend_from_slice(password);
        // "AUTH PLAIN " + base64 + CRLF must fit 255 octets (RFC 5034 §4).
        let fits = 11 + base64::encoded_len(message.len(), true).unwrap_or(usize::MAX) + 2 <= 255;
        let message = Secret::new(message);
        let (cmd, expect) = if fits {
            (
                crate::Command::Auth {
                    mechanism: Mechanism::PLAIN,
                    initial_response: Some(message),
                },
                Expect::AuthPlain { response: None },
            )
        } else {
            (
                crate::Command::Auth {
                    mechanism: Mechanism::PLAIN,
                    initial_response: None,
                },
                Expect::AuthPlain {
                    response: Some(message),
                },
            )
        };
        self.issue(Valid::Authorization, &cmd, expect)
    }

    /// `STAT` (RFC 1939 §5): answered by [`Event::StatReceived`].
    ///
    /// [`Event::StatReceived`]: super::Event::StatReceived
    pub fn stat(&mut self) -> Result<CommandId, ClientError> {
        self.issue(Valid::Transaction, &crate::Command::Stat, Expect::Stat)
    }

    /// `LIST [msg]` (RFC 1939 §5): answered by [`Event::ListReceived`].
    ///
    /// [`Event::ListReceived`]: super::Event::ListReceived
    pub fn list(&mut self, message: Option<MessageNumber>) -> Result<CommandId, ClientError> {
        let all = message.is_none();
        self.issue(
            Valid::Transaction,
            &crate::Command::List { message },
            Expect::List { all },
        )
    }

    /// `UIDL [msg]` (RFC 1939 §7): answered by [`Event::UidlReceived`].
    ///
    /// [`Event::UidlReceived`]: super::Event::UidlReceived
    pub fn uidl(&mut self, message: Option<MessageNumber>) -> Result<CommandId, ClientError> {
        let all = message.is_none();
        self.issue(
            Valid::Transaction,
            &crate::Command::Uidl { message },
            Expect::Uidl { all },
        )
    }

    /// `RETR msg` (RFC 1939 §5): the body arrives as
    /// [`Event::BodyChunkReceived`]s and [`Event::BodyEnded`].
    ///
    /// [`Event::BodyChunkReceived`]: super::Event::BodyChunkReceived
    /// [`Event::BodyEnded`]: super::Event::BodyEnded
    pub fn retr(&mut self, message: MessageNumber) -> Result<CommandId, ClientError> {
        self.issue(
            Valid::Transaction,
            &crate::Command::Retr { message },
            Expect::Body,
        )
    }

    /// `TOP msg n` (RFC 1939 §7): the header and `n` body lines, as for
    /// [`retr`](Self::retr).
    pub fn top(&mut self, message: MessageNumber, lines: u64) -> Result<CommandId, ClientError> {
        self.issue(
            Valid::Transaction,
            &crate::Command::Top { message, lines },
            Expect::Body,
        )
    }

    /// `DELE msg` (RFC 1939 §5).
    pub fn dele(&mut self, message: MessageNumber) -> Result<CommandId, ClientError> {
        self.issue(
            Valid::Transaction,
            &crate::Command::Dele { message },
            Expect::Simple,
        )
    }

    /// `RSET` (RFC 1939 §5).
    pub fn rset(&mut self) -> Result<CommandId, ClientError> {
        self.issue(Valid::Transaction, &crate::Command::Rset, Expect::Simple)
    }

    /// `NOOP` (RFC 1939 §5).
    pub fn noop(&mut self) -> Result<CommandId, ClientError> {
        self.issue(Valid::Transaction, &crate::Command::Noop, Expect::Simple)
    }

    /// `QUIT` (RFC 1939 §4, §6). Its `+OK` closes the session; from the
    /// TRANSACTION state it means the DELE marks were carried out.
    pub fn quit(&mut self) -> Result<CommandId, ClientError> {
        self.issue(Valid::Both, &crate::Command::Quit, Expect::Quit)
    }

    fn issue(
        &mut self,
        valid: Valid,
        cmd: &crate::Command<'_>,
        expect: Expect,
    ) -> Result<CommandId, ClientError> {
        if self.state == State::Closed || self.quit {
            return Err(ClientError::Closed);
        }
        if self
            .in_flight
            .iter()
            .chain(self.queued.iter().map(|q| &q.command))
            .any(|c| matches!(c.expect, Expect::Stls))
        {
            return Err(ClientError::StlsPipelined);
        }
        // The state once every login already issued succeeds.
        let before_login = matches!(self.state, State::Greeting | State::Authorization);
        let projected = if before_login && self.logins > 0 {
            State::Transaction
        } else {
            self.state
        };
        let ok = match (valid, projected) {
            (Valid::Both, State::Authorization | State::Transaction) => true,
            (Valid::Authorization, State::Authorization) => true,
            (Valid::Transaction, State::Transaction) => true,
            // Commands may be queued before the greeting arrives.
            (Valid::Authorization | Valid::Both, State::Greeting) => true,
            _ => false,
        };
        if !ok {
            return Err(ClientError::WrongState(projected));
        }
        // A command that may go at once is written straight to the output;
        // one that must wait keeps its own line until it may.
        let now = self.state != State::Greeting && self.queued.is_empty() && self.may_send(&expect);
        let mut line = BytesMut::new();
        let to = if now { &mut self.out } else { &mut line };
        let start = to.len();
        if encode::command(cmd, to).is_err() {
            to.truncate(start);
            return Err(ClientError::InvalidArgument);
        }
        let id = CommandId(self.next_id);
        self.next_id += 1;
        if expect.is_login() {
            self.logins += 1;
        }
        if matches!(expect, Expect::Quit) {
            self.quit = true;
        }
        let command = Command { id, expect };
        if now {
            self.in_flight.push_back(command);
        } else {
            self.queued.push_back(Queued {
                command,
                line: line.freeze(),
            });
        }
        self.active = true;
        Ok(id)
    }
}

/// A USER/APOP name or PASS password must be non-empty and stay on its line.
fn check_arg(arg: &[u8]) -> Result<(), ClientError> {
    if arg.is_empty() || arg.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(ClientError::InvalidArgument);
    }
    Ok(())
}
