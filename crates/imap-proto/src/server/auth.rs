//! Logging in: LOGIN (RFC 9051 §6.2.3), AUTHENTICATE with SASL-IR (§6.2.2,
//! RFC 4959), LOGINDISABLED (RFC 2595 §3.2), and the application's
//! decisions.

use bytes::Buf;

use crate::decode;
use crate::error::DecodeError;
use crate::types::{AString, AuthenticateData, Code, Continuation, Response, Secret, StatusKind};
use crate::types::{Atom, Tag};
use crate::{ServerError, encode};

use super::input::{Discard, Reading};
use super::{Credentials, Event, LoginFailure, Pending, Server, State};

/// Dovecot's reply when a password would cross an unprotected connection.
const PLAINTEXT_DISALLOWED: &str =
    "Plaintext authentication disallowed on non-secure (SSL/TLS) connections.";

impl Server {
    /// A login waiting for a decision succeeded: the session is in the
    /// authenticated state and the client hears `OK [CAPABILITY ...] Logged
    /// in` with the capabilities it has now (RFC 9051 §6.2.3, Dovecot's
    /// text).
    pub fn login_succeeded(&mut self) -> Result<(), ServerError> {
        let tag = self.take_login()?;
        self.state = State::Authenticated;
        self.good();
        let caps = self.capabilities();
        // Only valid capabilities get here.
        let _ = self.write_tagged(
            Some(&tag),
            StatusKind::Ok,
            Some(Code::Capability(caps)),
            "Logged in",
        );
        self.process();
        Ok(())
    }

    /// A login waiting for a decision failed; the session stays in the not
    /// authenticated state and the client may try again.
    pub fn login_failed(&mut self, reason: LoginFailure) -> Result<(), ServerError> {
        let tag = self.take_login()?;
        let (code, text) = match reason {
            LoginFailure::InvalidCredentials => {
                (Code::AuthenticationFailed, "Authentication failed.")
            }
            LoginFailure::AuthorizationFailed => {
                (Code::AuthorizationFailed, "Authorization failed.")
            }
            LoginFailure::Expired => (Code::Expired, "Password expired."),
            LoginFailure::Unavailable => (Code::Unavailable, "Temporary authentication failure."),
        };
        let _ = self.write_tagged(Some(&tag), StatusKind::No, Some(code), text);
        self.process();
        Ok(())
    }

    /// Sends the next challenge of an application-run SASL exchange
    /// (`+ base64`, RFC 9051 §6.2.2); the client's answer comes back as
    /// [`Event::SaslResponseReceived`].
    pub fn sasl_challenge(&mut self, challenge: &[u8]) -> Result<(), ServerError> {
        let Pending::SaslStep { tag, mechanism } =
            std::mem::replace(&mut self.pending, Pending::None)
        else {
            return Err(ServerError::NoSaslPending);
        };
        self.challenge(challenge);
        self.reading = Reading::Sasl { tag, mechanism };
        self.process();
        Ok(())
    }

    fn take_login(&mut self) -> Result<Tag<'static>, ServerError> {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::Login { tag } | Pending::SaslStep { tag, .. } => Ok(tag),
            other => {
                self.pending = other;
                Err(ServerError::NoLoginPending)
            }
        }
    }

    /// LOGIN: refused without TLS unless allowed (LOGINDISABLED, with
    /// Dovecot's alert), else a decision for the application.
    pub(super) fn login(
        &mut self,
        tag: Tag<'static>,
        username: AString<'_>,
        password: Secret<AString<'_>>,
    ) {
        if !self.plaintext_allowed() {
            self.untagged_status(
                StatusKind::Bad,
                Some(Code::Alert),
                "Plaintext authentication not allowed without SSL/TLS, but your client did it \
                 anyway. If anyone was listening, the password was exposed.",
            );
            return self.reject(
                Some(&tag),
                StatusKind::No,
                Some(Code::PrivacyRequired),
                PLAINTEXT_DISALLOWED,
                false,
            );
        }
        let Ok(username) = String::from_utf8(username.as_bytes().to_vec()) else {
            return self.auth_failed(&tag);
        };
        let password = Secret::new(password.expose().as_bytes().to_vec());
        self.request_login(tag, Credentials::Login { username, password });
    }

    fn request_login(&mut self, tag: Tag<'static>, credentials: Credentials) {
        self.pending = Pending::Login { tag: tag.clone() };
        self.events
            .push_back(Event::LoginRequested { tag, credentials });
    }

    fn auth_failed(&mut self, tag: &Tag<'_>) {
        self.reject(
            Some(tag),
            StatusKind::No,
            Some(Code::AuthenticationFailed),
            "Authentication failed.",
            false,
        );
    }

    /// AUTHENTICATE: PLAIN is decoded here; any other offered mechanism is run
    /// by the application.
    pub(super) fn authenticate(
        &mut self,
        tag: Tag<'static>,
        mechanism: Atom<'static>,
        initial_response: Option<Secret<Vec<u8>>>,
    ) {
        let Some(mechanism) = self
            .options
            .sasl_mechanisms
            .iter()
            .find(|m| m.is(mechanism.as_str()))
            .cloned()
        else {
            return self.reject(
                Some(&tag),
                StatusKind::No,
                None,
                "Unsupported authentication mechanism.",
                false,
            );
        };
        if super::is_plaintext(&mechanism) && !self.plaintext_allowed() {
            return self.reject(
                Some(&tag),
                StatusKind::No,
                Some(Code::PrivacyRequired),
                PLAINTEXT_DISALLOWED,
                false,
            );
        }
        if mechanism.is("PLAIN") {
            match initial_response {
                Some(response) => self.plain(tag, response.expose()),
                None => {
                    // RFC 4616: PLAIN starts with the client; ask with an
                    // empty challenge.
                    self.challenge(b"");
                    self.reading = Reading::Sasl { tag, mechanism };
                }
            }
        } else {
            self.pending = Pending::SaslStep {
                tag: tag.clone(),
                mechanism: mechanism.clone(),
            };
            self.events.push_back(Event::SaslStarted {
                tag,
                mechanism,
                initial_response,
            });
        }
    }

    /// `+ base64` (RFC 9051 §7.6).
    fn challenge(&mut self, data: &[u8]) {
        let _ = encode::response(
            &Response::Continuation(Continuation::challenge(data)),
            &mut self.out,
            &self.codec,
        );
    }

    /// The client's line after a challenge: base64, or `*` to cancel.
    /// Returns whether it consumed anything.
    pub(super) fn sasl_line(&mut self) -> bool {
        let Reading::Sasl { tag, mechanism } = &self.reading else {
            return false;
        };
        let (tag, mechanism) = (tag.clone(), mechanism.clone());
        let limit = self.options.max_sasl_line;
        let too_long = match memchr::memchr(b'\n', &self.input) {
            Some(nl) => nl + 1 > limit,
            None => self.input.len() > limit,
        };
        if too_long {
            self.reading = Reading::Discard(Discard::default());
            self.reject(
                Some(&tag),
                StatusKind::Bad,
                None,
                "Authentication failed: response too long.",
                true,
            );
            return true;
        }
        let (data, used) = match decode::authenticate_data(&self.input) {
            Ok(line) => line,
            Err(DecodeError::Incomplete { .. }) => return false,
            Err(DecodeError::Invalid { .. }) => {
                self.reading = Reading::Discard(Discard::default());
                self.reject(
                    Some(&tag),
                    StatusKind::Bad,
                    None,
                    "Invalid base64 data in continued response.",
                    true,
                );
                return true;
            }
        };
        self.input.advance(used);
        self.reading = Reading::Commands;
        match data {
            AuthenticateData::Cancel => self.reject(
                Some(&tag),
                StatusKind::Bad,
                None,
                "Authentication aborted by client.",
                false,
            ),
            AuthenticateData::Response(r) if mechanism.is("PLAIN") => self.plain(tag, r.expose()),
            AuthenticateData::Response(response) => {
                self.pending = Pending::SaslStep {
                    tag: tag.clone(),
                    mechanism,
                };
                self.events
                    .push_back(Event::SaslResponseReceived { tag, response });
            }
        }
        true
    }

    /// A PLAIN message (RFC 4616 §2):
    ///
    /// ```text
    /// message   = [authzid] UTF8NUL authcid UTF8NUL passwd
    /// ```
    fn plain(&mut self, tag: Tag<'static>, message: &[u8]) {
        let mut parts = message.splitn(3, |&b| b == 0);
        let (Some(authzid), Some(authcid), Some(password)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return self.auth_failed(&tag);
        };
        let (Ok(authzid), Ok(authcid)) =
            (std::str::from_utf8(authzid), std::str::from_utf8(authcid))
        else {
            return self.auth_failed(&tag);
        };
        if authcid.is_empty() || password.is_empty() || password.contains(&0) {
            return self.auth_failed(&tag);
        }
        self.request_login(
            tag,
            Credentials::Plain {
                authzid: (!authzid.is_empty()).then(|| authzid.to_owned()),
                authcid: authcid.to_owned(),
                password: Secret::new(password.to_vec()),
            },
        );
    }
}
