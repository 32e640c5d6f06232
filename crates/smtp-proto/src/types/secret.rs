//! Passwords and SASL data that must not reach a log.

use std::fmt;

/// A password or SASL exchange datum. `Debug` never shows it, so a command or
/// an event can be logged whole without leaking it.
///
/// ```
/// use smtp_proto::Secret;
///
/// let password = Secret::new(b"tanstaaf".to_vec());
/// assert_eq!(format!("{password:?}"), "Secret(<redacted>)");
/// assert_eq!(password.expose(), b"tanstaaf");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret.
    pub const fn new(secret: T) -> Self {
        Self(secret)
    }

    /// The secret. Name the call site for what it is: the one place it leaves
    /// its wrapper.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(secret: T) -> Self {
        Self(secret)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(*s.expose(), "hunter2");
        assert_eq!(s.into_inner(), "hunter2");
    }
}
