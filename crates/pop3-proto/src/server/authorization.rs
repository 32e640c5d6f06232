//! The AUTHORIZATION state (RFC 1939 §4): greeting, CAPA, STLS, UTF8, and
//! logins by USER/PASS, APOP and AUTH.

use crate::{Command, Mechanism, ResponseCode, SaslResponse, Secret, ServerError, decode};

use super::{Credentials, Event, LoginFailure, Maildrop, Pending, Server, Session, State};

/// Dovecot's reply when a password would cross an unprotected connection.
const PLAINTEXT_DISALLOWED: &str =
    "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

impl Server {
    /// A client presented credentials: the maildrop's listing opens the
    /// TRANSACTION state (RFC 1939 §4), and the server replies
    /// `+OK Logged in.` (Dovecot's text).
    ///
    /// The listing gives message `n` the `n`-th entry for the whole session.
    /// Fails if no login waits for a decision, or the listing is too long
    /// to number.
    pub fn login_succeeded(&mut self, maildrop: Maildrop) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Login | Pending::SaslStep { .. }) {
            return Err(ServerError::NoLoginPending);
        }
        self.session = Session::new(maildrop)?;
        self.pending = Pending::None;
        self.state = State::Transaction;
        self.user = None;
        self.good();
        self.ok("Logged in.");
        self.process();
        Ok(())
    }

    /// A client's credentials were refused: the session stays in the
    /// AUTHORIZATION state and the client may try again (RFC 1939 §4).
    pub fn login_failed(&mut self, reason: LoginFailure) -> Result<(), ServerError> {
        if !matches!(self.pending, Pending::Login | Pending::SaslStep { .. }) {
            return Err(ServerError::NoLoginPending);
        }
        self.pending = Pending::None;
        let (code, text) = match reason {
            LoginFailure::InvalidCredentials => (ResponseCode::AUTH, "Authentication failed."),
            LoginFailure::InUse => (
                ResponseCode::IN_USE,
                "Mailbox is locked by another POP3 session.",
            ),
            LoginFailure::LoginDelay => (ResponseCode::LOGIN_DELAY, "Logged in too recently."),
            LoginFailure::TemporaryFailure => {
                (ResponseCode::SYS_TEMP, "Temporary authentication failure.")
            }
            LoginFailure::PermanentFailure => (ResponseCode::SYS_PERM, "Login not possible."),
        };
        self.reply(false, Some(&code), text);
        self.process();
        Ok(())
    }

    /// Sends the next challenge of an application-run SASL exchange
    /// (`+ base64`, RFC 5034 §4); the client's answer comes back as
    /// [`Event::SaslResponseReceived`].
    pub fn sasl_challenge(&mut self, challenge: &[u8]) -> Result<(), ServerError> {
        let Pending::SaslStep { mechanism } = &self.pending else {
            return Err(ServerError::NoSaslPending);
        };
        self.pending = Pending::SaslLine {
            mechanism: mechanism.clone(),
        };
        self.lines.set_limit(self.options.max_sasl_line);
        crate::encode::challenge(challenge, &mut self.out);
        self.process();
        Ok(())
    }

    /// A command in the AUTHORIZATION state.
    pub(super) fn authorization(&mut self, cmd: Command<'_>) {
        match cmd {
            Command::Capa => {
                self.good();
                self.capa();
            }
            Command::User { name } => {
                self.good();
                if !self.plaintext_allowed() {
                    return self.auth_error(PLAINTEXT_DISALLOWED);
                }
                self.user = Some(name.into_owned());
                self.ok("");
            }
            Command::Pass { password } => {
                self.good();
                if !self.plaintext_allowed() {
                    return self.auth_error(PLAINTEXT_DISALLOWED);
                }
                let Some(user) = self.user.take() else {
                    return self.reject("No username given.");
                };
                self.login(Credentials::User {
                    user,
                    password: Secret::new(password.into_inner().into_owned()),
                });
            }
            Command::Apop { name, digest } => {
                self.good();
                let Some(timestamp) = self.apop.clone() else {
                    return self.reject("APOP not enabled.");
                };
                self.user = None;
                self.login(Credentials::Apop {
                    user: name.into_owned(),
                    digest,
                    timestamp,
                });
            }
            Command::AuthList => {
                // Dovecot answers the pre-CAPA discovery with one mechanism
                // per line.
                self.good();
                self.ok("");
                for mech in self.mechanisms() {
                    self.out.extend_from_slice(mech.as_str().as_bytes());
                    self.out.extend_from_slice(b"\r\n");
                }
                crate::encode::terminator(&mut self.out);
            }
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                self.good();
                self.auth(mechanism, initial_response);
            }
            Command::Stls => {
                self.good();
                self.stls();
            }
            Command::Utf8 if self.options.utf8 => {
                self.good();
                self.utf8 = true;
                self.ok("UTF8 enabled.");
            }
            Command::Quit => {
                self.good();
                self.ok("Logging out");
                self.close(super::CloseReason::Quit);
            }
            other => self.unknown(other.keyword().as_bytes()),
        }
    }

    /// `+OK`, the capabilities, `.` (RFC 2449 §5), Dovecot's bare `+OK`.
    pub(super) fn capa(&mut self) {
        self.ok("");
        for cap in self.capabilities() {
            cap.encode(&mut self.out);
        }
        crate::encode::terminator(&mut self.out);
    }

    fn login(&mut self, credentials: Credentials) {
        self.pending = Pending::Login;
        self.events.push_back(Event::LoginRequested { credentials });
    }

    /// `-ERR [AUTH] text`: a refusal due to how the client authenticates.
    fn auth_error(&mut self, text: &str) {
        self.reply(false, Some(&ResponseCode::AUTH), text);
        self.events.push_back(Event::CommandRejected {
            reply: format!("[AUTH] {text}"),
        });
    }

    fn auth(&mut self, mechanism: Mechanism, initial_response: Option<Secret<Vec<u8>>>) {
        if !self.options.sasl_mechanisms.contains(&mechanism) {
            return self.reject("Unsupported authentication mechanism.");
        }
        if mechanism.is_plaintext() && !self.plaintext_allowed() {
            return self.auth_error(PLAINTEXT_DISALLOWED);
        }
        self.user = None;
        if mechanism == Mechanism::PLAIN {
            match initial_response {
                Some(response) => self.plain(response.expose()),
                None => {
                    // RFC 5034 §4: PLAIN needs a response; ask with an empty
                    // challenge.
                    crate::encode::challenge(b"", &mut self.out);
                    self.pending = Pending::SaslLine { mechanism };
                    self.lines.set_limit(self.options.max_sasl_line);
                }
            }
        } else {
            self.pending = Pending::SaslStep {
                mechanism: mechanism.clone(),
            };
            self.events.push_back(Event::SaslStarted {
                mechanism,
                initial_response,
            });
        }
    }

    /// The client's line after a `+ ` challenge.
    pub(super) fn sasl_line(&mut self, mechanism: Mechanism, line: &[u8]) {
        match decode::sasl_response(line) {
            Ok(SaslResponse::Cancel) => self.reject("Authentication aborted by client."),
            Err(_) => self.reject("Invalid base64 data in continued response."),
            Ok(SaslResponse::Data(data)) if mechanism == Mechanism::PLAIN => {
                self.plain(data.expose());
            }
            Ok(SaslResponse::Data(response)) => {
                self.pending = Pending::SaslStep { mechanism };
                self.events
                    .push_back(Event::SaslResponseReceived { response });
            }
        }
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
            return self.auth_error("Authentication failed.");
        };
        let (Ok(authzid), Ok(authcid)) =
            (std::str::from_utf8(authzid), std::str::from_utf8(authcid))
        else {
            return self.auth_error("Authentication failed.");
        };
        if authcid.is_empty() || password.is_empty() || password.contains(&0) {
            return self.auth_error("Authentication failed.");
        }
        self.login(Credentials::Plain {
            authzid: (!authzid.is_empty()).then(|| authzid.to_owned()),
            authcid: authcid.to_owned(),
            password: Secret::new(password.to_vec()),
        });
    }

    /// STLS (RFC 2595 §4): `+OK`, then every plaintext byte already received
    /// is dropped, so none can be read as if it came over TLS.
    fn stls(&mut self) {
        if self.tls {
            return self.reject("TLS is already active.");
        }
        if !self.options.stls {
            return self.reject("TLS support isn't enabled.");
        }
        self.ok("Begin TLS negotiation now.");
        self.input.clear();
        self.overflowed = false;
        self.lines.reset();
        self.tls = true;
        self.user = None;
        self.events.push_back(Event::TlsRequested);
    }
}
