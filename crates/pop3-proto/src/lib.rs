//! Sans-IO POP3 (RFC 1939) with its extensions (RFC 2449, 2595, 5034, 6856).
//!
//! This crate will hold the whole of POP3 as plain data and state machines,
//! with no I/O, no runtime and no clock:
//!
//! - the grammar of commands (USER, PASS, APOP, AUTH, STAT, LIST, UIDL, RETR,
//!   TOP, DELE, RSET, NOOP, QUIT, CAPA, STLS, UTF8), parsed from borrowed bytes
//!   and encoded into a caller's `BytesMut`;
//! - `+OK` and `-ERR` responses with the extended response codes of RFC 2449
//!   and RFC 3206, and multi-line responses dot-stuffed and unstuffed as
//!   streams of `Bytes` chunks;
//! - `server::Server` and `client::Client` state machines for the
//!   AUTHORIZATION, TRANSACTION and UPDATE states, STLS, SASL and PIPELINING,
//!   driven by `handle_*` inputs and drained through `poll_*` outputs.
//!
//! The work is tracked in the workspace's issues; nothing is exported yet.
