//! AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, run by the server; the
//! application only checks the credentials.

use crate::{Mechanism, Reply, SaslResponse, Secret, ServerError, decode, encode};

use super::{Credentials, Event, Pending, Phase, Server, replies};

/// The client line an AUTH exchange waits for.
#[derive(Debug)]
pub(super) enum Sasl {
    /// PLAIN's message, after `334 `.
    Plain,
    /// LOGIN's user name, after `334 VXNlcm5hbWU6` (`Username:`).
    LoginUsername,
    /// LOGIN's password, after `334 UGFzc3dvcmQ6` (`Password:`).
    LoginPassword(String),
}

impl Server {
    /// The credentials of [`Event::AuthRequested`] are good:
    /// `235 2.7.0 Authentication successful` (RFC 4954 §6). Their
    /// identities are then [`auth_identity`](Self::auth_identity): accept
    /// a PLAIN authorization identity only if the user may act as it.
    pub fn auth_succeeded(&mut self) -> Result<(), ServerError> {
        if self.pending != Pending::Auth {
            return Err(ServerError::NoAuthPending);
        }
        self.pending = Pending::None;
        self.authenticated = true;
        self.send(&Reply::AUTH_SUCCEEDED);
        self.process();
        Ok(())
    }

    /// The credentials of [`Event::AuthRequested`] are refused with `reply`:
    /// [`Reply::AUTH_INVALID_CREDENTIALS`] (`535 5.7.8`),
    /// [`Reply::AUTH_TEMPORARY_FAILURE`] (`454 4.7.0`), or another `4xx` or
    /// `5xx`. The client may try again.
    pub fn auth_failed(&mut self, reply: Reply) -> Result<(), ServerError> {
        if self.pending != Pending::Auth {
            return Err(ServerError::NoAuthPending);
        }
        if !reply.code().is_negative() {
            return Err(ServerError::WrongReplyCode);
        }
        self.pending = Pending::None;
        self.identity = None;
        self.send(&reply);
        self.count_error();
        self.process();
        Ok(())
    }

    /// `AUTH mechanism [initial-response]` (RFC 4954 §4).
    pub(super) fn auth(&mut self, mechanism: Mechanism, initial_response: Option<Secret<Vec<u8>>>) {
        let offered = self.mechanisms();
        if offered.is_empty() || !self.esmtp() {
            return self.fail(replies::AUTH_NOT_ENABLED);
        }
        // RFC 4954 §4: "a server MUST reject any further AUTH commands with a
        // 503 reply", and AUTH during a transaction too.
        if self.authenticated {
            return self.fail(replies::ALREADY_AUTHENTICATED);
        }
        if self.txn.is_some() {
            return self.fail(replies::IN_TRANSACTION);
        }
        if !offered.contains(&mechanism) {
            return self.fail(replies::UNKNOWN_MECHANISM);
        }
        match (mechanism == Mechanism::PLAIN, initial_response) {
            (true, Some(message)) => self.plain(message.expose()),
            (true, None) => {
                // RFC 4954 §4: an empty challenge is "334 " alone.
                self.challenge(b"", Sasl::Plain);
            }
            (false, Some(username)) => match utf8(username.into_inner()) {
                Some(username) => self.challenge(b"Password:", Sasl::LoginPassword(username)),
                None => self.fail(Reply::AUTH_INVALID_CREDENTIALS),
            },
            (false, None) => self.challenge(b"Username:", Sasl::LoginUsername),
        }
    }

    /// The client's line in an AUTH exchange.
    pub(super) fn sasl_line(&mut self, line: &[u8]) {
        let Phase::Sasl(step) = std::mem::replace(&mut self.phase, Phase::Command) else {
            return;
        };
        let response = match decode::sasl_response(line) {
            // RFC 4954 §4: a cancelled exchange gets 501.
            Ok(SaslResponse::Cancel) => return self.fail(replies::AUTH_ABORTED),
            // RFC 4954 §4: undecodable base64 gets 501 5.5.2.
            Err(_) => return self.fail(replies::AUTH_BAD_BASE64),
            Ok(SaslResponse::Data(data)) => data.into_inner(),
        };
        match step {
            Sasl::Plain => self.plain(&response),
            Sasl::LoginUsername => match utf8(response) {
                Some(username) => self.challenge(b"Password:", Sasl::LoginPassword(username)),
                None => self.fail(Reply::AUTH_INVALID_CREDENTIALS),
            },
            Sasl::LoginPassword(username) => self.login(Credentials::Login {
                username,
                password: Secret::new(response),
            }),
        }
    }

    /// `334 base64`, then the client's line.
    fn challenge(&mut self, data: &[u8], next: Sasl) {
        self.before_reply();
        encode::challenge(data, &mut self.out);
        self.phase = Phase::Sasl(next);
    }

    /// A PLAIN message (RFC 4616 §2):
    ///
    /// ```text
    /// message = [authzid] UTF8NUL authcid UTF8NUL passwd
    /// ```
    fn plain(&mut self, message: &[u8]) {
        let mut parts = message.splitn(3, |&b| b == 0);
        let (Some(authzid), Some(authcid), Some(password)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return self.fail(Reply::AUTH_INVALID_CREDENTIALS);
        };
        let (Ok(authzid), Ok(authcid)) =
            (std::str::from_utf8(authzid), std::str::from_utf8(authcid))
        else {
            return self.fail(Reply::AUTH_INVALID_CREDENTIALS);
        };
        if authcid.is_empty() || password.is_empty() || password.contains(&0) {
            return self.fail(Reply::AUTH_INVALID_CREDENTIALS);
        }
        self.login(Credentials::Plain {
            authzid: (!authzid.is_empty()).then(|| authzid.to_owned()),
            authcid: authcid.to_owned(),
            password: Secret::new(password.to_vec()),
        });
    }

    fn login(&mut self, credentials: Credentials) {
        self.pending = Pending::Auth;
        self.identity = Some(credentials.identity());
        self.events.push_back(Event::AuthRequested { credentials });
    }
}

/// A user name: UTF-8, not empty, no NUL.
fn utf8(name: Vec<u8>) -> Option<String> {
    String::from_utf8(name)
        .ok()
        .filter(|n| !n.is_empty() && !n.contains('\0'))
}
