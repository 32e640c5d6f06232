//! Sans-IO SMTP (RFC 5321) and LMTP (RFC 2033).
//!
//! This crate will hold the whole of SMTP as plain data and state machines,
//! with no I/O, no runtime and no clock:
//!
//! - the grammar of commands (HELO, EHLO, LHLO, MAIL, RCPT, DATA, BDAT, RSET,
//!   VRFY, EXPN, HELP, NOOP, QUIT, STARTTLS, AUTH) and their parameters
//!   (SIZE, BODY, SMTPUTF8, DSN, AUTH=, REQUIRETLS, MT-PRIORITY), parsed from
//!   borrowed bytes and encoded into a caller's `BytesMut`;
//! - replies, single and multi-line, with enhanced status codes (RFC 3463);
//! - framing that runs before the grammar: line limits, and DATA that ends
//!   only at `CRLF.CRLF`, dot-unstuffed and streamed as `Bytes` chunks;
//! - `server::Server` and `client::Client` state machines that enforce the
//!   command sequence, PIPELINING (RFC 2920), STARTTLS (RFC 3207), AUTH
//!   (RFC 4954) and CHUNKING (RFC 3030), driven by `handle_*` inputs and
//!   drained through `poll_*` outputs.
//!
//! The work is tracked in the workspace's issues; nothing is exported yet.
