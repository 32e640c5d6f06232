//! The IMAP session driver: imap-proto's server machine over a user's
//! mailboxes in the store (RFC 9051 IMAP4rev2 and RFC 3501 IMAP4rev1, with
//! the extensions [`options`] lists).
//!
//! The machine answers what is pure protocol (CAPABILITY, LOGOUT,
//! STARTTLS, ENABLE, IDLE's `+`, COMPRESS, the AUTHENTICATE exchange, bad
//! commands); the session answers the rest from the store, in files by
//! phase:
//!
//! - [`session`]: the connection, the events, the change feed and IDLE;
//! - [`login`]: LOGIN and AUTHENTICATE PLAIN, the first-login mailboxes,
//!   ID, NAMESPACE;
//! - [`list`]: LIST (LIST-EXTENDED, LIST-STATUS, SPECIAL-USE) and LSUB;
//! - [`manage`]: CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS;
//! - [`select`]: SELECT and EXAMINE (CONDSTORE, QRESYNC), UNSELECT, CLOSE;
//! - [`view`]: the selected mailbox as the client knows it, and its
//!   updates (EXISTS, EXPUNGE or VANISHED, FETCH FLAGS);
//! - [`fetching`]: FETCH, with bodies streamed as the client reads;
//! - [`searching`]: SEARCH, ESEARCH and SEARCHRES;
//! - [`flags`]: STORE and UID STORE;
//! - [`copy`]: COPY, MOVE, EXPUNGE, UID EXPUNGE;
//! - [`append`]: APPEND and MULTIAPPEND, streamed.
//!
//! The FETCH and SEARCH engines ([`fetch`], [`search`]) are pure: no I/O,
//! no clock; the session hands them metadata and message bytes. Their
//! semantics follow Dovecot's, recorded from a real Dovecot in
//! `tests/dovecot_imap/` and replayed by their unit tests.

mod append;
mod convert;
mod copy;
mod fetching;
mod flags;
mod list;
mod login;
mod manage;
mod searching;
mod select;
mod session;
mod sets;
mod view;

// The FETCH and SEARCH engines.
mod binary;
mod esearch;
pub(crate) mod fetch;
mod headers;
mod message;
pub(crate) mod search;
mod search_text;

#[cfg(test)]
mod dovecot_tests;
#[cfg(test)]
mod fetch_tests;
#[cfg(test)]
mod search_tests;

use std::time::Duration;

use imap_proto::server::Options;
use imap_proto::types::Atom;

pub(crate) use session::serve;

/// The capabilities the session implements, announced after login in
/// Dovecot's order (RFC 9051 §6.1.1). The machine adds IMAP4rev1 and
/// IMAP4rev2, SASL-IR, ENABLE, IDLE, LITERAL+ and COMPRESS=DEFLATE.
pub(crate) const EXTENSIONS: [&str; 18] = [
    "ID",
    "MULTIAPPEND",
    "UNSELECT",
    "CHILDREN",
    "NAMESPACE",
    "UIDPLUS",
    "LIST-EXTENDED",
    "CONDSTORE",
    "QRESYNC",
    "ESEARCH",
    "SEARCHRES",
    "LIST-STATUS",
    "BINARY",
    "MOVE",
    "STATUS=SIZE",
    "SPECIAL-USE",
    "UTF8=ACCEPT",
    "WITHIN",
];

/// The IMAP machine's options as this server runs it: every extension of
/// [`EXTENSIONS`], `ID` before login as Dovecot announces it, COMPRESS on,
/// and Dovecot's greeting. The server sets the TLS fields per connection.
pub(crate) fn default_options() -> Options {
    let mut o = Options::default();
    o.greeting = "mail-server ready.".into();
    o.compress = true;
    o.pre_login_extensions = Atom::new("ID").into_iter().collect();
    o.extensions = EXTENSIONS
        .iter()
        .filter_map(|e| Atom::new(*e).ok())
        .collect();
    // RFC 3501 §5.4's least autologout after login; Dovecot's.
    o.autologout = Duration::from_secs(30 * 60);
    o
}
