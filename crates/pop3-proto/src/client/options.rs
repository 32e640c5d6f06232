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
    /// The most lines a CAPA response may have. RFC 2449 §5 sets no count,
    /// only 512 octets a line. Default 64, this crate's choice, far above
    /// any real server: IANA's POP3 extension registry holds fewer than 20
    /// capabilities, and Dovecot announces at most 9 lines. At 512 octets a
    /// line that is 32 KiB of input at most.
    pub max_capabilities: usize,
    /// The most entries a LIST or UIDL listing may have. POP3 sets none;
    /// this bounds what a hostile server can make the client hold. Default
    /// 1 000 000, this crate's choice.
    pub max_listing: usize,
    /// The most memory, in octets, the entries of one LIST, UIDL or CAPA
    /// response may take while the client gathers them: each entry counts
    /// its size in memory and the text it holds (a unique-id, a capability's
    /// words). Default 64 MiB, this crate's choice: room for the UIDL of a
    /// million messages with Dovecot's default 16-octet unique-ids
    /// (`%08Xu%08Xv`), about 40 MB.
    pub max_listing_bytes: usize,
    /// When to pipeline. Default [`Pipelining::Auto`]: once CAPA lists
    /// PIPELINING (RFC 2449 §6.6).
    pub pipelining: Pipelining,
    /// How long to wait for the server while a response is outstanding,
    /// counted from the last input or output. Default 10 minutes, the
    /// server's autologout minimum of RFC 1939 §3.
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
            max_capabilities: 64,
            max_listing: 1_000_000,
            max_listing_bytes: 64 << 20,
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
