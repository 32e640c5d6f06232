//! The client's settings.

use std::time::Duration;

#[cfg(doc)]
use super::{Client, Event};

/// The client's settings. Every default cites where it comes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The grammar's options: line limit, nesting depth, quirks of broken
    /// servers. The mode and the literal policy are the client's to manage;
    /// the values given here are ignored. Default: the grammar's, with lines
    /// up to 8 MiB (this crate's choice): a SEARCH answer over a large
    /// mailbox is one line, and a million message numbers fit.
    pub codec: crate::Options,
    /// What tags start with; the client numbers its commands after it (`A1`,
    /// `A2`, ...); with a prefix a tag cannot hold, the bare numbers.
    /// Default `A`. [`Client::with_tag_generator`] takes any
    /// other scheme.
    pub tag_prefix: String,
    /// A FETCH body literal at least this large comes out in pieces
    /// ([`Event::FetchBodyStarted`], [`Event::FetchBodyChunk`],
    /// [`Event::FetchBodyEnded`]) as it arrives, never gathered; smaller ones
    /// stay inside their [`Event::DataReceived`]. Default 64 KiB, this
    /// crate's choice.
    pub stream_threshold: u64,
    /// The most literal octets one response may hold when they cannot be
    /// streamed (a smaller body, a literal inside an ENVELOPE or a LIST):
    /// beyond it the session closes. Default 64 MiB, this crate's choice.
    pub max_literal: u64,
    /// Send literals `{n+}` without waiting when the server offers LITERAL+
    /// (or up to 4096 octets with LITERAL-, RFC 7888). Default `true`.
    pub literal_plus: bool,
    /// Put the SASL PLAIN response on the AUTHENTICATE line when the server
    /// offers SASL-IR (RFC 4959) or IMAP4rev2. Default `true`.
    pub sasl_ir: bool,
    /// Ask for the capabilities again (a CAPABILITY the client issues
    /// itself) after STARTTLS, and after a login whose `OK` did not list
    /// them (RFC 9051 §6.2.1, §6.2.3). Default `true`.
    pub refresh_capabilities: bool,
    /// End IDLE with DONE and start it again after this long, so that the
    /// server's autologout timer never expires (RFC 2177: "at least every 29
    /// minutes"). Default 29 minutes.
    pub idle_refresh: Duration,
    /// How long to wait for the server while a response is outstanding.
    /// Default 10 minutes, this crate's choice (as for POP3, the least RFC
    /// 1939 §3 lets a server wait).
    pub timeout: Duration,
    /// The connection is already protected (implicit TLS on port 993, RFC
    /// 8314 §3.3): STARTTLS is refused. Default `false`.
    pub implicit_tls: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            codec: crate::Options {
                max_line: 8 * 1024 * 1024,
                ..crate::Options::default()
            },
            tag_prefix: "A".into(),
            stream_threshold: 64 * 1024,
            max_literal: 64 * 1024 * 1024,
            literal_plus: true,
            sasl_ir: true,
            refresh_capabilities: true,
            idle_refresh: Duration::from_secs(29 * 60),
            timeout: Duration::from_secs(10 * 60),
            implicit_tls: false,
        }
    }
}
