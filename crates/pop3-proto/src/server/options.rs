//! The server's settings.

use std::time::Duration;

use crate::{Expire, Mechanism, Quirks};

#[cfg(doc)]
use super::{BodyDemand, Credentials, Event, LoginFailure, Server};

/// The server's settings. Every default cites where it comes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The greeting's text after `+OK` (and before an APOP timestamp).
    /// Default `POP3 server ready`, RFC 1939 §4's example.
    pub greeting: String,
    /// The longest command line, CRLF included. Default 255, RFC 2449 §4.
    pub max_command_line: usize,
    /// The longest line of a SASL exchange, which RFC 5034 §4 leaves
    /// unbounded. Default 12 288, Postfix's limit for SASL responses.
    pub max_sasl_line: usize,
    /// Bad commands in a row the server answers after login; the next one
    /// closes the session. Default 20, Dovecot's `CLIENT_MAX_BAD_COMMANDS`
    /// for pop3, which closes when `++bad_counter > CLIENT_MAX_BAD_COMMANDS`:
    /// on the 21st bad command in a row.
    pub max_bad_commands: u32,
    /// Bad commands in a row before login that close the session, with
    /// `-ERR Too many invalid bad commands.` after the last one's reply.
    /// Default 3, Dovecot's `CLIENT_MAX_BAD_COMMANDS` for pop3-login, which
    /// closes when `++bad_counter >= CLIENT_MAX_BAD_COMMANDS`: on the 3rd.
    pub max_bad_commands_before_login: u32,
    /// The inactivity autologout timer: the session ends this long after the
    /// last input or output. Default 10 minutes, the least RFC 1939 §3 allows
    /// ("such a timer MUST be of at least 10 minutes' duration"), and
    /// Dovecot's `CLIENT_IDLE_TIMEOUT_MSECS`. A shorter value is raised to 10
    /// minutes unless [`allow_short_autologout`](Self::allow_short_autologout)
    /// is set.
    pub autologout: Duration,
    /// Take an [`autologout`](Self::autologout) below RFC 1939 §3's 10-minute
    /// minimum as it is. Default `false`. This breaks the RFC's MUST: it is
    /// for tests on a real clock and for private deployments that want it.
    /// (Tests with a fake clock need no such shortcut: they advance the
    /// `Instant` they pass in.)
    pub allow_short_autologout: bool,
    /// Offer STLS before login. Default `true`: RFC 2595 §4 and RFC 8314 want
    /// TLS; a driver that cannot start TLS must turn it off.
    pub stls: bool,
    /// The connection is already protected (implicit TLS on port 995, RFC
    /// 8314 §3.3, or a local socket). Default `false`.
    pub implicit_tls: bool,
    /// Allow USER/PASS and plaintext SASL mechanisms without TLS. Default
    /// `false`: RFC 5034 §4 says that SHOULD be the default, and it is
    /// Dovecot's (`disable_plaintext_auth = yes`).
    pub allow_plaintext_without_tls: bool,
    /// The SASL mechanisms offered by CAPA and taken by AUTH. `PLAIN` is
    /// decoded by the server into [`Credentials::Plain`]; the application
    /// runs any other through [`Event::SaslStarted`]. Default `[PLAIN]`, the
    /// one RFC 5034 §4 requires.
    pub sasl_mechanisms: Vec<Mechanism>,
    /// Offer TOP. Default `true` (RFC 2449 §6.1; Dovecot does).
    pub top: bool,
    /// Offer UIDL. Default `true` (RFC 2449 §6.8; Dovecot does).
    pub uidl: bool,
    /// Announce PIPELINING. Default `true` (RFC 2449 §6.6; Dovecot does).
    /// The server answers pipelined commands in order either way.
    pub pipelining: bool,
    /// Offer the UTF8 command and announce `UTF8 USER` (RFC 6856 §2) before
    /// login, where the command is valid; CAPA after login leaves it out,
    /// as it leaves out USER and SASL. Default `false`: Dovecot offers no
    /// UTF8 for POP3.
    pub utf8: bool,
    /// Announce an EXPIRE policy (RFC 2449 §6.7). Default none.
    pub expire: Option<Expire>,
    /// Announce a LOGIN-DELAY in seconds (RFC 2449 §6.5); the application
    /// enforces it with [`LoginFailure::LoginDelay`]. Default none.
    pub login_delay: Option<u32>,
    /// Announce IMPLEMENTATION (RFC 2449 §6.9). Default none.
    pub implementation: Option<String>,
    /// The most octets one [`Server::poll_transmit`] call appends, and the
    /// output the server lets build up before it stops reading pipelined
    /// commands. Default 64 KiB, this crate's choice: a socket buffer's worth.
    pub max_transmit: usize,
    /// Unprocessed input the server holds before [`Server::wants_read`] turns
    /// false. A driver that feeds more regardless gets twice as much kept and
    /// the rest dropped: the commands kept are answered (after any pending
    /// decision), then the session closes with
    /// [`CloseReason::InputOverflow`](super::CloseReason::InputOverflow).
    /// Default 64 KiB, this crate's choice: hundreds of pipelined commands.
    /// Twice this bounds a line too, so keep it above
    /// [`max_sasl_line`](Self::max_sasl_line).
    pub max_buffered_input: usize,
    /// Body octets the application may have handed over and not yet sent
    /// before [`Server::body_demand`] says [`BodyDemand::Full`]. Default
    /// 64 KiB, this crate's choice.
    pub body_buffer: usize,
    /// Tolerances for clients that bend the command grammar. Default none:
    /// commands are read strictly (see [`Quirks`]).
    pub quirks: Quirks,
}

impl Options {
    /// RFC 1939 §3's least autologout: 10 minutes.
    pub const MIN_AUTOLOGOUT: Duration = Duration::from_secs(10 * 60);

    /// The autologout the server runs with: [`autologout`](Self::autologout),
    /// raised to [`MIN_AUTOLOGOUT`](Self::MIN_AUTOLOGOUT) unless
    /// [`allow_short_autologout`](Self::allow_short_autologout).
    pub fn effective_autologout(&self) -> Duration {
        if self.allow_short_autologout {
            self.autologout
        } else {
            self.autologout.max(Self::MIN_AUTOLOGOUT)
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            greeting: "POP3 server ready".into(),
            max_command_line: 255,
            max_sasl_line: 12_288,
            max_bad_commands: 20,
            max_bad_commands_before_login: 3,
            autologout: Self::MIN_AUTOLOGOUT,
            allow_short_autologout: false,
            stls: true,
            implicit_tls: false,
            allow_plaintext_without_tls: false,
            sasl_mechanisms: vec![Mechanism::PLAIN],
            top: true,
            uidl: true,
            pipelining: true,
            utf8: false,
            expire: None,
            login_delay: None,
            implementation: None,
            max_transmit: 64 * 1024,
            max_buffered_input: 64 * 1024,
            body_buffer: 64 * 1024,
            quirks: Quirks::default(),
        }
    }
}
