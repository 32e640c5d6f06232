//! The client's settings.

use std::time::Duration;

use crate::Host;

#[cfg(doc)]
use super::Client;

/// The client's settings. Every default cites where it comes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The name sent with EHLO and HELO: the client's fully qualified
    /// domain name, or an address literal (RFC 5321 §4.1.4). Default
    /// `localhost`; a client on the Internet must set its own.
    pub hostname: Host<'static>,
    /// The longest reply line, CRLF included. Default 2048, Postfix's
    /// `line_length_limit` (RFC 5321 §4.5.3.1.5 requires at least 512).
    pub max_reply_line: usize,
    /// The longest `334` challenge line. Default 12 288 (RFC 4954 §4).
    pub max_challenge_line: usize,
    /// The most lines one reply may have. Default 256, this crate's choice:
    /// EHLO replies run to a few dozen.
    pub max_reply_lines: usize,
    /// When to pipeline. Default [`Pipelining::Auto`]: when the server
    /// announces PIPELINING (RFC 2920).
    pub pipelining: Pipelining,
    /// Send bodies with BDAT when the server announces CHUNKING (RFC 3030).
    /// Default `true`; bodies with `BODY=BINARYMIME` always do.
    pub chunking: bool,
    /// With PIPELINING and CHUNKING, send the first BDAT chunk in the batch
    /// with MAIL and RCPT rather than after their replies, saving a round
    /// trip (RFC 2920 §3.1 does not end a group at BDAT; RFC 3030 §2
    /// describes BDAT after the replies, and its §4.2 example shows it so).
    /// If every recipient is refused, that chunk (up to
    /// [`body_buffer`](Self::body_buffer)) was sent in vain, and the server
    /// discards it. Default `true`.
    pub pipeline_bdat: bool,
    /// Drop MAIL and RCPT parameters of extensions the server did not
    /// announce, where the message loses nothing it needs: SIZE, BODY=7BIT,
    /// RET, ENVID, NOTIFY, ORCPT and AUTH=. Default `true`, as Postfix's
    /// client does; without DSN the application then owes the sender a
    /// "relayed" notification for `NOTIFY=SUCCESS` (RFC 3461 §4.1), which it
    /// sees from [`Client::capabilities`]. `false`: they are refused with
    /// [`ClientError::NotOffered`](crate::ClientError::NotOffered). Other
    /// parameters (SMTPUTF8, BINARYMIME, REQUIRETLS, MT-PRIORITY, unknown
    /// ones) are always refused.
    pub drop_unoffered_parameters: bool,
    /// Send a `BODY=8BITMIME` message to a server without 8BITMIME, without
    /// the parameter, as it is. Default `false`: refused with
    /// `NotOffered("BODY")`, so the application can convert it to 7 bits
    /// (what Postfix does by default, MIME conversion this crate does not
    /// do) or hold it; `true` is Postfix's `disable_mime_output_conversion
    /// = yes`.
    pub send_8bit_without_8bitmime: bool,
    /// The size of a BDAT chunk, and the body octets the client takes from
    /// the application and has not sent before it asks for no more
    /// ([`BodyDemand::Full`](super::BodyDemand::Full)). Default 64 KiB,
    /// this crate's choice: a socket buffer's worth.
    pub body_buffer: usize,
    /// Allow AUTH PLAIN and LOGIN without TLS. Default `false`: RFC 4954 §4
    /// and RFC 8314 keep passwords off unprotected connections.
    pub allow_plaintext_auth: bool,
    /// The connection is already protected (implicit TLS, RFC 8314 §3.3).
    /// Default `false`.
    pub implicit_tls: bool,
    /// How long to wait for the greeting. Default 5 minutes, RFC 5321
    /// §4.5.3.2.1.
    pub greeting_timeout: Duration,
    /// How long to wait for the reply to MAIL, RCPT and the other commands.
    /// Default 5 minutes, RFC 5321 §4.5.3.2.2 and §4.5.3.2.3.
    pub command_timeout: Duration,
    /// How long to wait for `354` after DATA. Default 2 minutes, RFC 5321
    /// §4.5.3.2.4.
    pub data_start_timeout: Duration,
    /// How long to wait for the reply after the end of the data (and after
    /// `BDAT ... LAST`). Default 10 minutes, RFC 5321 §4.5.3.2.6.
    pub data_end_timeout: Duration,
    /// Time each reply as a whole: a command's timeout runs from when the
    /// command left to its whole reply, however the reply trickles in.
    /// Default `true`, Postfix's `smtp_per_request_deadline = yes`
    /// (Postfix's own default is `no`, a limit per read, which a server
    /// sending one octet every few minutes keeps resetting forever; RFC
    /// 5321 §4.5.3.2 times the reply). `false`: each input restarts the
    /// timeout.
    pub per_request_deadline: bool,
    /// How long output may wait to be taken by `poll_transmit` (the send
    /// not completing: a peer that stopped reading). Default 3 minutes, RFC
    /// 5321 §4.5.3.2.5 (Postfix's `smtp_data_xfer_timeout`). Per write, or
    /// with [`per_request_deadline`](Self::per_request_deadline) a deadline
    /// that each octet taken extends by `1 / min_data_rate` seconds, up to
    /// this much from now (Postfix's `smtp_min_data_rate`). The client sees
    /// only what the driver has not taken yet: a driver that takes all
    /// output at once must time its own writes.
    pub data_block_timeout: Duration,
    /// Octets per second output must at least move at, with
    /// [`per_request_deadline`](Self::per_request_deadline). Default 500,
    /// Postfix's `smtp_min_data_rate`.
    pub min_data_rate: u64,
    /// How long the TLS handshake after STARTTLS may take. Default 300 s,
    /// Postfix's `smtp_starttls_timeout`.
    pub tls_handshake_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            hostname: Host::from_static("localhost"),
            max_reply_line: 2048,
            max_challenge_line: 12_288,
            max_reply_lines: 256,
            pipelining: Pipelining::Auto,
            chunking: true,
            pipeline_bdat: true,
            drop_unoffered_parameters: true,
            send_8bit_without_8bitmime: false,
            body_buffer: 64 * 1024,
            allow_plaintext_auth: false,
            implicit_tls: false,
            greeting_timeout: Duration::from_secs(5 * 60),
            command_timeout: Duration::from_secs(5 * 60),
            data_start_timeout: Duration::from_secs(2 * 60),
            data_end_timeout: Duration::from_secs(10 * 60),
            per_request_deadline: true,
            data_block_timeout: Duration::from_secs(3 * 60),
            min_data_rate: 500,
            tls_handshake_timeout: Duration::from_secs(300),
        }
    }
}

/// When the client sends a command before the reply to the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pipelining {
    /// When the server's EHLO reply lists PIPELINING (RFC 2920 §3).
    Auto,
    /// Never: one command at a time.
    Never,
}
