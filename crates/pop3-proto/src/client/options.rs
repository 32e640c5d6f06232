//! The client's settings.

use std::time::Duration;

/// The client's settings. Every default cites where it comes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The longest response line outside a body, CRLF included. Default
    /// 512, RFC 1939 §3 and RFC 2449 §4 (and §5 for capability lines).
    pub max_response_line: usize,
    /// The longest SASL challenge line, which RFC 5034 §4 leaves unbounded.
    /// Default 12 288, Postfix's limit for SASL exchanges.
    pub max_challenge_line: usize,
    /// The most entries a LIST or UIDL listing or CAPA response may have. POP3
    /// sets none; this bounds what a hostile server can make the client
    /// hold. Default 1 000 000, this crate's choice.
    pub max_listing: usize,
    /// When to pipeline. Default [`Pipelining::Auto`]: once CAPA lists
    /// PIPELINING (RFC 2449 §6.6).
    pub pipelining: Pipelining,
    /// How long to wait for the server while a response is outstanding.
    /// Default 10 minutes, the server's autologout minimum of RFC 1939 §3.
    pub timeout: Duration,
    /// The connection is already protected (implicit TLS on port 995, RFC
    /// 8314 §3.3): STLS is refused. Default `false`.
    pub implicit_tls: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_response_line: 512,
            max_challenge_line: 12_288,
            max_listing: 1_000_000,
            pipelining: Pipelining::Auto,
            timeout: Duration::from_secs(10 * 60),
            implicit_tls: false,
        }
    }
}

/// When the client sends a command before the response to the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pipelining {
    /// Once the server's CAPA lists PIPELINING (RFC 2449 §6.6).
    Auto,
    /// Never: one command at a time.
    Never,
    /// Always, for servers known to take it without saying so.
    Always,
}
