//! One login attempt, whichever protocol carries it: the authenticator's
//! verdict, the log line, and the delay after a wrong password. The drivers
//! turn their machine's credentials into an [`Attempt`] and the
//! [`Verdict`] into their machine's answer.

use mailbox_traits::{Authenticator, Password, UserId};
use tracing::{info, warn};

use crate::server::Shared;

/// Credentials as a client sent them.
pub(crate) enum Attempt {
    /// A name and a password: POP3 USER and PASS, IMAP LOGIN, SASL LOGIN.
    Password {
        /// The name the client gave.
        login: String,
        /// The password.
        password: Password,
    },
    /// SASL PLAIN (RFC 4616), with its authorization identity.
    Plain {
        /// Whom the client would act as, if not itself.
        authzid: Option<String>,
        /// Who the client is.
        authcid: String,
        /// The password.
        password: Password,
    },
    /// Credentials this server cannot check (APOP wants each password in
    /// the clear; the users have hashes): a failure like a wrong password.
    Unverifiable {
        /// The name the client gave, if any.
        login: String,
    },
}

/// What came of an [`Attempt`].
pub(crate) enum Verdict {
    /// The credentials are good: this user is logged in.
    User(UserId),
    /// Wrong name or password, answered after
    /// [`Settings::auth_failure_delay`](crate::Settings::auth_failure_delay).
    Refused,
    /// The authenticator failed; the client may try again later.
    Unavailable,
}

impl<S, A: Authenticator> Shared<S, A> {
    /// Checks `attempt` with the authenticator. A refusal waits out the
    /// failure delay before it returns, as Dovecot's `auth_failure_delay`
    /// does, so guessing passwords is slow; the delay holds this session
    /// only.
    pub(crate) async fn verify(&self, attempt: Attempt) -> Verdict {
        let (login, verified) = match attempt {
            Attempt::Password { login, password } => {
                let verified = self.auth.verify_password(&login, &password).await;
                (login, verified)
            }
            Attempt::Plain {
                authzid,
                authcid,
                password,
            } => {
                let verified = self
                    .auth
                    .authenticate_plain(authzid.as_deref(), &authcid, &password)
                    .await;
                (authcid, verified)
            }
            Attempt::Unverifiable { login } => (login, Ok(None)),
        };
        match verified {
            Ok(Some(user)) => Verdict::User(user),
            Ok(None) => {
                // `?`: the name is the client's; escaped, it cannot forge a
                // log line.
                info!(login = ?login, "login failed");
                tokio::time::sleep(self.settings.auth_failure_delay).await;
                Verdict::Refused
            }
            Err(e) => {
                warn!(login = ?login, error = %e, "authentication backend failed");
                Verdict::Unavailable
            }
        }
    }
}
