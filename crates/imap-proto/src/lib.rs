//! Sans-IO IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051).
//!
//! This crate will hold the whole of IMAP as plain data and state machines,
//! with no I/O, no runtime and no clock:
//!
//! - the grammar in both directions: commands and responses, response codes
//!   and data items, with the extensions real clients use (IDLE, UIDPLUS, MOVE,
//!   CONDSTORE, QRESYNC, LIST-EXTENDED, ESEARCH, LITERAL+, COMPRESS and more),
//!   decoded zero-copy from borrowed bytes with errors that carry their byte
//!   offset, and encoded into a caller's `BytesMut`;
//! - literals surfaced before their bytes arrive, and message bodies kept as
//!   `Bytes` slices of the input;
//! - ENVELOPE and BODYSTRUCTURE, nested without unbounded recursion;
//! - `server::Server` and `client::Client` state machines for the four states
//!   of RFC 3501 §3, STARTTLS, AUTHENTICATE, IDLE and pipelining, driven by
//!   `handle_*` inputs and drained through `poll_*` outputs.
//!
//! The work is tracked in the workspace's issues; nothing is exported yet.
