//! IMAP over the store: the engines the session driver calls.
//!
//! - [`fetch`]: the answer to FETCH items for one message, from its
//!   metadata and, when an item needs them, its bytes (RFC 9051 §6.4.5,
//!   RFC 3516, RFC 7162).
//! - [`search`]: which messages of a mailbox view match SEARCH keys, reading
//!   message bytes only for the messages and keys that need them (RFC 9051
//!   §6.4.4, RFC 3501 §6.4.4, RFC 7162 §3.1.5, RFC 5182), and the ESEARCH
//!   data of the result (RFC 4731).
//!
//! Both are pure: no I/O, no clock. Their semantics follow Dovecot's,
//! recorded from a real Dovecot in `tests/dovecot_imap/` and replayed by
//! the unit tests.

// The session driver (issue 8, part A) is their caller; until it lands
// only the tests use them.
#![allow(
    dead_code,
    reason = "called by the IMAP session driver, merged separately"
)]

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
