//! Criterion benches of the mail protocol workspace, run from the root with
//! `cargo bench` (or `cargo bench --bench NAME`):
//!
//! - `memory_store`: appends, snapshots and flag updates on
//!   `mailbox_traits::memory::MemoryStore`, the costs every session pays.
//! - `imap_codec`: the IMAP grammar of `imap-proto` beside `imap-codec` and
//!   djc's `imap-proto` (renamed `djc-imap-proto`): the RFC 3501 §8 FETCH
//!   response, a `UID FETCH` command with many items, `UID SEARCH`, and FETCH
//!   responses with 1 KiB, 64 KiB and 1 MiB `BODY[]` literals, decoded and
//!   encoded, with a `memcpy` of the same bytes as the floor.
//! - `imap_session`: whole IMAP sessions through `imap-proto`'s server and
//!   client machines (LOGIN, SELECT, a 1000-message `UID FETCH` of FLAGS,
//!   UID and RFC822.SIZE, LOGOUT), in octets sent per second.
//! - `pop3`: `pop3-proto` command parsing, and RETR bodies of 4 KiB, 64 KiB
//!   and 10 MiB dot-stuffed and unstuffed (framing zero-copy and copying,
//!   and through the server and client machines), against a `memcpy` and a
//!   `memmem` scan of the same bytes.
//! - `smtp`: `smtp-proto` command parsing (EHLO, MAIL FROM with parameters,
//!   RCPT TO, DATA) beside Stalwart's `smtp-proto` (renamed
//!   `stalwart-smtp-proto`), and DATA bodies of 1 KiB, 64 KiB and 10 MiB
//!   dot-unstuffed (zero-copy, copying once, and through the server
//!   machine) against Stalwart's `DataReceiver` and a `memchr` scan of the
//!   same bytes.
