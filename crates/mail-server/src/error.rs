//! Errors of setting a server up. Sessions never return errors to the
//! caller: a client's misbehaviour is answered on the wire and logged.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Why a server could not be set up or started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A listener could not bind its address (in use, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        source: io::Error,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The TLS certificate or key is missing or unusable.
    #[error("TLS: {0}")]
    Tls(String),
    /// An implicit-TLS listener or STARTTLS was asked for without a
    /// [`TlsSource`](crate::TlsSource).
    #[error("an implicit-TLS listener needs a TLS certificate (MailServerBuilder::tls)")]
    NoTls,
    /// The server's host name ([`Settings::hostname`](crate::Settings::hostname))
    /// is not a domain name, so it cannot go in a greeting or an EHLO reply.
    #[error("the host name {0:?} is not a domain name: {1}")]
    Hostname(String, smtp_proto::ValueError),
    /// A users file or user entry is malformed.
    #[error("{0}")]
    Users(#[from] UsersError),
    /// Any other I/O failure.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Error {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        Self::File {
            path: path.to_owned(),
            source,
        }
    }
}

/// Why a user entry or a users file was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UsersError {
    /// A user name outside the allowed set (ASCII letters, digits, `.`,
    /// `_`, `+`, `-`, at most 64, not starting with `.`).
    #[error("invalid user name {0:?}")]
    InvalidName(String),
    /// The same user twice.
    #[error("user {0:?} is defined twice")]
    Duplicate(String),
    /// The hash is not an argon2 PHC string (`$argon2id$v=19$...`).
    #[error("user {name:?}: not an argon2 password hash ({reason})")]
    InvalidHash {
        /// The user.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A line of a users file is not `name:hash`.
    #[error("line {line}: expected NAME:$argon2id$...")]
    Syntax {
        /// The 1-based line number.
        line: usize,
    },
    /// A `NAME:PASSWORD` argument has no colon.
    #[error("expected NAME:PASSWORD")]
    MissingPassword,
    /// Hashing a password failed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
}
