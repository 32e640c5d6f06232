//! The examples of the mail protocol workspace; each is an `[[example]]` of
//! this package, run from the workspace root with `cargo run --example NAME`:
//!
//! - `store-tour`: a tour of `mailbox-traits` on the in-memory store: delivery,
//!   two sessions, flags with mod-sequences, and the change feed IMAP IDLE uses.
