//! Errors.

/// Why a store could not do what was asked.
///
/// The protocol layers map these to replies: [`NoSuchMailbox`] to IMAP
/// `NO [NONEXISTENT]` (RFC 5530), [`AlreadyExists`] to `NO [ALREADYEXISTS]`,
/// [`OverQuota`] to `NO [OVERQUOTA]` and SMTP `552 5.2.2`, and every error
/// for which [`is_temporary`](Self::is_temporary) holds to a temporary
/// failure (SMTP `451 4.3.0`, POP3 `-ERR [SYS/TEMP]`, IMAP `NO [UNAVAILABLE]`).
///
/// [`NoSuchMailbox`]: Self::NoSuchMailbox
/// [`AlreadyExists`]: Self::AlreadyExists
/// [`OverQuota`]: Self::OverQuota
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The user does not exist in this store.
    #[error("no such user")]
    NoSuchUser,
    /// The mailbox does not exist (or was deleted since it was opened).
    #[error("no such mailbox")]
    NoSuchMailbox,
    /// A mailbox of that name exists already.
    #[error("mailbox already exists")]
    AlreadyExists,
    /// The mailbox has children and cannot be deleted before them (as Dovecot).
    #[error("mailbox has children")]
    HasChildren,
    /// The message does not exist (or was expunged).
    #[error("no such message")]
    NoSuchMessage,
    /// The operation is not allowed on this mailbox: deleting INBOX, renaming
    /// a mailbox below itself.
    #[error("not permitted: {0}")]
    NotPermitted(&'static str),
    /// The name is not a valid mailbox name.
    #[error("invalid mailbox name: {0}")]
    InvalidName(#[from] NameError),
    /// The user's quota would be exceeded.
    #[error("over quota")]
    OverQuota,
    /// A limit of the store would be passed (RFC 5530 `LIMIT`): too many
    /// keywords in a folder, say.
    #[error("store limit reached: {0}")]
    Limit(&'static str),
    /// The mailbox has given out its last UID; it needs a new UIDVALIDITY.
    #[error("the mailbox has no UIDs left")]
    UidsExhausted,
    /// This store does not support the operation.
    #[error("not supported by this store")]
    Unsupported,
    /// An I/O error in the store.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Any other failure of the store's backend.
    #[error("store backend: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// Whether trying again later may succeed: I/O and backend failures.
    pub fn is_temporary(&self) -> bool {
        matches!(self, Self::Io(_) | Self::Backend(_))
    }
}

/// Why a string is not a valid [`MailboxName`](crate::MailboxName) or
/// [`SpecialUse`](crate::SpecialUse).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The name is empty.
    #[error("empty name")]
    Empty,
    /// The name or one of its levels is too long.
    #[error("name too long")]
    TooLong,
    /// A level is empty: a leading, trailing or doubled delimiter.
    #[error("empty hierarchy level")]
    EmptyLevel,
    /// A level is `.` or `..`.
    #[error("'.' or '..' as a hierarchy level")]
    DotLevel,
    /// A control character or a list wildcard (`%`, `*`).
    #[error("invalid character {0:?}")]
    InvalidChar(char),
    /// Not one of the special-use attributes of RFC 6154.
    #[error("unknown special-use attribute")]
    UnknownSpecialUse,
}

/// Why a string is not a valid [`Flag`](crate::Flag) or
/// [`Keyword`](crate::Keyword).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FlagError {
    /// The keyword is empty.
    #[error("empty keyword")]
    Empty,
    /// The keyword is longer than [`Keyword::MAX_LEN`](crate::Keyword::MAX_LEN).
    #[error("keyword too long")]
    TooLong,
    /// The keyword holds a byte that is not an IMAP ATOM-CHAR.
    #[error("invalid byte {0:#04x} in keyword")]
    InvalidChar(u8),
    /// A `\`-name that is not a storable system flag (`\Recent` among them).
    #[error("unknown system flag")]
    UnknownSystemFlag,
}

/// Why a number is not a valid identifier or date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// Zero, where the value must be positive.
    #[error("zero is not allowed")]
    Zero,
    /// Larger than the type allows.
    #[error("too large")]
    TooLarge,
    /// Outside the supported range.
    #[error("out of range")]
    OutOfRange,
}
