//! The examples of the mail protocol workspace; each is an `[[example]]` of
//! this package, run from the workspace root with `cargo run --example NAME`:
//!
//! - `store-tour`: a tour of `mailbox-traits` on the in-memory store: delivery,
//!   two sessions, flags with mod-sequences, and the change feed IMAP IDLE uses.
//! - `mail-server`: a small, real mail server with no set-up: Maildir storage
//!   in `./mail-data`, SMTP and SMTPS in, POP3 and POP3S out, on 127.0.0.1, a
//!   demo user, and a settings table to copy into a mail client.
//! - `embed-pop3`: serving POP3 for an application's own users from its own
//!   store, in a few lines of `mail-server`'s builder.
//! - `pop3-load`: a load run on 127.0.0.1: RETR per second with several POP3
//!   clients downloading from a Maildir at once.
//! - `smtp-load`: a load run on 127.0.0.1: messages accepted per second over
//!   SMTP with several connections, each `250` after an fsynced Maildir
//!   delivery.
