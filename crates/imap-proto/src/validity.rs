//! Which states take which command (RFC 9051 §6.1 to §6.4, RFC 5161
//! §3.1): the rule both machines check.

/// Which states take a command (RFC 9051 §6.1 to §6.4, RFC 5161 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Validity {
    /// CAPABILITY, NOOP, LOGOUT, ID.
    Any,
    /// STARTTLS, AUTHENTICATE, LOGIN.
    NotAuthenticated,
    /// The authenticated-state commands, also valid when selected.
    Authenticated,
    /// ENABLE: before a mailbox is selected (RFC 5161 §3.1; RFC 9051 §6.4
    /// does not list it among the selected state's commands).
    AuthenticatedOnly,
    /// The selected-state commands.
    Selected,
    Unknown,
}

impl Validity {
    /// The validity of the command named `name` (upper case, `UID FETCH`).
    pub(crate) fn of(name: &str) -> Self {
        match name {
            "CAPABILITY" | "NOOP" | "LOGOUT" | "ID" => Self::Any,
            "STARTTLS" | "AUTHENTICATE" | "LOGIN" => Self::NotAuthenticated,
            "ENABLE" => Self::AuthenticatedOnly,
            "SELECT" | "EXAMINE" | "CREATE" | "DELETE" | "RENAME" | "SUBSCRIBE" | "UNSUBSCRIBE"
            | "LIST" | "LSUB" | "NAMESPACE" | "STATUS" | "APPEND" | "IDLE" | "GETQUOTA"
            | "GETQUOTAROOT" | "SETQUOTA" | "COMPRESS" => Self::Authenticated,
            "CHECK" | "CLOSE" | "UNSELECT" | "EXPUNGE" | "SEARCH" | "FETCH" | "STORE" | "COPY"
            | "MOVE" | "UID COPY" | "UID MOVE" | "UID FETCH" | "UID SEARCH" | "UID STORE"
            | "UID EXPUNGE" => Self::Selected,
            _ => Self::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_their_states() {
        assert_eq!(Validity::of("UID FETCH"), Validity::Selected);
        assert_eq!(Validity::of("UID FROB"), Validity::Unknown);
        assert_eq!(Validity::of("ENABLE"), Validity::AuthenticatedOnly);
        assert_eq!(Validity::of("ID"), Validity::Any);
        assert_eq!(Validity::of("IDLE"), Validity::Authenticated);
    }
}
