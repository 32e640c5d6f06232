//! Authentication: who a user is and whether a password proves it.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::StoreError;

/// The account a session acts as, as the store names it.
///
/// An [`Authenticator`] gives one out after a successful login, and a
/// [`MailStore`](crate::MailStore) opens that account's mailboxes with it. Its
/// spelling is the store's canonical one (a login as `Alice` or
/// `alice@example.org` may both yield `alice`); cloning is cheap.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(Arc<str>);

impl UserId {
    /// A user id from the store's canonical name for the account.
    pub fn new(name: impl Into<Arc<str>>) -> Self {
        Self(name.into())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UserId({:?})", self.0)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UserId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A password or other secret: any octets (POP3 `PASS` and SASL PLAIN allow
/// more than UTF-8). `Debug` never shows it, so it cannot leak into a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(Box<[u8]>);

impl Password {
    /// Wraps a secret.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into().into_boxed_slice())
    }

    /// The secret's octets. Name the call site for what it is: the one place
    /// the secret leaves its wrapper.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Compares with `other` in time that depends only on the lengths, so a
    /// remote peer cannot learn a stored secret octet by octet from timings.
    pub fn matches(&self, other: &[u8]) -> bool {
        let a = &self.0;
        if a.len() != other.len() {
            return false;
        }
        a.iter().zip(other).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Password {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl From<&[u8]> for Password {
    fn from(s: &[u8]) -> Self {
        Self::new(s)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Verifies credentials and says which account they open.
///
/// Every protocol reduces its password logins to these calls: SMTP `AUTH
/// PLAIN`/`LOGIN` (RFC 4954), POP3 `USER`/`PASS` and `AUTH` (RFC 1939, RFC
/// 5034), IMAP `LOGIN` and `AUTHENTICATE PLAIN` (RFC 9051 §6.2). The server
/// layer delays failures and counts them; an implementation only answers.
pub trait Authenticator: Send + Sync + 'static {
    /// Checks a user name and password. `Ok(None)` means the credentials are
    /// wrong (or the user unknown: the caller must not tell the two apart);
    /// `Err` means the check itself failed and may be retried.
    fn verify_password(
        &self,
        username: &str,
        password: &Password,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send;

    /// Whether `user`, authenticated, may act as the SASL authorization
    /// identity `authzid` (RFC 4616 §2), and as which account. The default
    /// allows only acting as oneself, compared without regard to ASCII case.
    fn authorize(
        &self,
        user: &UserId,
        authzid: &str,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send {
        let same = user.as_str().eq_ignore_ascii_case(authzid);
        let user = user.clone();
        async move { Ok(same.then_some(user)) }
    }

    /// SASL PLAIN (RFC 4616): verifies `authcid` and `password`, then, when an
    /// authorization identity is given and not empty, [`authorize`]s it.
    ///
    /// [`authorize`]: Self::authorize
    fn authenticate_plain(
        &self,
        authzid: Option<&str>,
        authcid: &str,
        password: &Password,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send {
        async move {
            let Some(user) = self.verify_password(authcid, password).await? else {
                return Ok(None);
            };
            match authzid {
                None | Some("") => Ok(Some(user)),
                Some(authzid) => self.authorize(&user, authzid).await,
            }
        }
    }
}

impl<A: Authenticator> Authenticator for Arc<A> {
    fn verify_password(
        &self,
        username: &str,
        password: &Password,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send {
        (**self).verify_password(username, password)
    }

    fn authorize(
        &self,
        user: &UserId,
        authzid: &str,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send {
        (**self).authorize(user, authzid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_debug_is_redacted() {
        let p = Password::from("hunter2");
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
        assert!(p.matches(b"hunter2"));
        assert!(!p.matches(b"hunter3"));
        assert!(!p.matches(b"hunter22"));
        assert_eq!(p.expose(), b"hunter2");
    }
}
