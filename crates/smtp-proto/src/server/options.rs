//! The server's settings.

use std::time::Duration;

use crate::framing::BareLineEndings;
use crate::{Capability, Domain, Mechanism, Text};

#[cfg(doc)]
use super::{Event, Server};

/// The server's settings. Every default cites where it comes from; Postfix
/// defaults are those of Postfix 3.9.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The server's name, in the greeting, the EHLO reply and `421` replies.
    /// Default `localhost`; a server on the Internet must set its public name
    /// (RFC 5321 §4.1.3, Postfix `myhostname`). A [`Domain`], so it cannot
    /// carry a line break into the replies.
    pub hostname: Domain<'static>,
    /// The greeting's text after the name. Default `ESMTP` (Postfix's
    /// `smtpd_banner` without the mail name); [`Options::lmtp`] makes it
    /// `LMTP`.
    pub greeting: Text<'static>,
    /// Speak LMTP (RFC 2033): LHLO instead of EHLO and HELO, and one reply
    /// per accepted recipient after the message. Default `false`.
    pub lmtp: bool,
    /// The longest command line, CRLF included. Default 2048, Postfix's
    /// `line_length_limit` (RFC 5321 §4.5.3.1.4 requires at least 512).
    pub max_line: usize,
    /// The longest AUTH command or AUTH exchange line, CRLF included.
    /// Default 12 288, the line RFC 4954 §4 says is enough (Postfix's limit
    /// for SASL responses).
    pub max_auth_line: usize,
    /// The largest message in octets, announced with SIZE (RFC 1870). 0
    /// means no limit. Default 10 240 000, Postfix's `message_size_limit`.
    pub max_message_size: u64,
    /// The most recipients a transaction takes; more get `452 4.5.3` (RFC
    /// 5321 §4.5.3.1.10). Default 1000, Postfix's `smtpd_recipient_limit`.
    pub max_recipients: usize,
    /// Recipients over [`max_recipients`](Self::max_recipients) a
    /// transaction may try before each further one counts as an error
    /// (against [`hard_error_limit`](Self::hard_error_limit)); all of them
    /// get `452 4.5.3`. Default 1000, Postfix's
    /// `smtpd_recipient_overshoot_limit`: a client that pipelines a long
    /// recipient list is not a bad client.
    pub recipient_overshoot_limit: usize,
    /// What a bare CR or LF in a DATA body does. Default
    /// [`BareLineEndings::Reject`]: strict, the message is refused with
    /// `550 5.5.2` after its end (RFC 5321 §2.3.8).
    pub bare_line_endings: BareLineEndings,
    /// Refuse MAIL before HELO, EHLO or LHLO with `503 5.5.1`. Default
    /// `true`: RFC 5321 §4.1.4 says a session with transactions MUST begin
    /// with EHLO (Postfix's `smtpd_helo_required` is `no`).
    pub helo_required: bool,
    /// Refuse a HELO/EHLO/LHLO name that is neither a domain nor an address
    /// literal, with `501 5.5.2`. Default `false`, as Postfix (whose
    /// `reject_invalid_helo_hostname` is not in its default restrictions):
    /// real clients send names with underscores.
    pub reject_invalid_hello: bool,
    /// Take the envelope forms RFC 5321 does not allow but Postfix's
    /// defaults take (`strict_rfc821_envelopes = no`, no
    /// `reject_non_fqdn_sender`): a path without angle brackets,
    /// `MAIL FROM:<postmaster>` ([`ReversePath::Postmaster`]), a source
    /// route before a bare postmaster (`<@a:postmaster>`), an underscore in
    /// a mailbox's domain. Default `true`, a quirk Postfix has on by
    /// default. Off, they get `501 5.1.7` or `501 5.1.3` (bad address
    /// syntax). The EHLO name has its own switch,
    /// [`reject_invalid_hello`](Self::reject_invalid_hello).
    ///
    /// [`ReversePath::Postmaster`]: crate::ReversePath::Postmaster
    pub envelope_quirks: bool,
    /// Announce PIPELINING (RFC 2920). Default `true` (Postfix). LMTP always
    /// announces it (RFC 2033 §4.2).
    pub pipelining: bool,
    /// Postfix's `smtpd_forbid_unauth_pipelining`: a client that sends more
    /// commands after one that must end a pipelined group (EHLO, DATA,
    /// STARTTLS, NOOP, VRFY, ..., RFC 2920 §3.1), or that pipelines at all
    /// without PIPELINING, gets `554 5.5.0 Error: SMTP protocol
    /// synchronization` and is disconnected. Default `true`, Postfix's
    /// default since 3.9. Off, the commands are answered in order and
    /// [`Event::ImproperPipelining`] is reported.
    pub forbid_unauth_pipelining: bool,
    /// Announce CHUNKING and take BDAT (RFC 3030). Default `true` (Postfix
    /// since 3.4).
    pub chunking: bool,
    /// Announce 8BITMIME (RFC 6152). Default `true` (Postfix).
    pub eight_bit_mime: bool,
    /// Announce BINARYMIME (RFC 3030 §3), with CHUNKING. Default `false`, as
    /// Postfix, which does not store binary messages.
    pub binary_mime: bool,
    /// Announce SMTPUTF8 (RFC 6531). Default `true`, Postfix's
    /// `smtputf8_enable`.
    pub smtputf8: bool,
    /// Announce DSN (RFC 3461) and take its parameters. Default `false`,
    /// this crate's choice: the application must then send the
    /// notifications.
    pub dsn: bool,
    /// Announce ENHANCEDSTATUSCODES (RFC 2034) and put the codes in replies.
    /// Default `true` (Postfix).
    pub enhanced_status_codes: bool,
    /// Announce STARTTLS (RFC 3207) while TLS is not active. Default `true`:
    /// RFC 8314 wants TLS; a driver that cannot start TLS turns it off.
    pub starttls: bool,
    /// The connection is already protected (implicit TLS, RFC 8314 §3.3, or
    /// a socket the driver trusts). Default `false`.
    pub implicit_tls: bool,
    /// Refuse MAIL until STARTTLS with `530 5.7.0` (RFC 3207 §4, Postfix's
    /// `smtpd_tls_security_level = encrypt`). Default `false`.
    pub require_tls: bool,
    /// The SASL mechanisms AUTH offers; the server runs PLAIN (RFC 4616) and
    /// LOGIN itself and hands the credentials over in
    /// [`Event::AuthRequested`]. Empty turns AUTH off. Default `[PLAIN,
    /// LOGIN]`, what Dovecot's SASL offers Postfix by default.
    pub auth_mechanisms: Vec<Mechanism>,
    /// Offer and take AUTH without TLS. Default `false`: RFC 4954 §4 keeps
    /// plaintext passwords off unprotected connections (Dovecot's
    /// `disable_plaintext_auth`). A driver sets it for loopback clients.
    pub auth_without_tls: bool,
    /// Refuse MAIL (and VRFY, EXPN) until AUTH with `530 5.7.0` (RFC 4954
    /// §6): the submission port (RFC 6409). Default `false`.
    pub auth_required: bool,
    /// Announce REQUIRETLS (RFC 8689) once TLS is active. Default `false`:
    /// the application must then keep the promise onward.
    pub requiretls: bool,
    /// Announce MT-PRIORITY (RFC 6710) and take the parameter. Default
    /// `false`.
    pub mt_priority: bool,
    /// What VRFY answers. Default [`Vrfy::CannotVerify`]: `252` (RFC 5321
    /// §3.5.3).
    pub vrfy: Vrfy,
    /// More EHLO lines, after the server's own (extensions the application
    /// implements).
    pub extra_capabilities: Vec<Capability>,
    /// MAIL and RCPT parameter keywords the application takes (for
    /// `extra_capabilities`); others get `555 5.5.4` (RFC 5321 §4.1.1.11).
    pub extra_parameters: Vec<String>,
    /// Errors (replies 4xx and 5xx) a client may make without delivering
    /// mail before every reply is delayed by `error_delay`. Default 10,
    /// Postfix's `smtpd_soft_error_limit`.
    pub soft_error_limit: u32,
    /// Errors after which the server replies `421 4.7.0` and closes.
    /// Default 20, Postfix's `smtpd_hard_error_limit`.
    pub hard_error_limit: u32,
    /// The delay of each reply past the soft limit. Default 1 s, Postfix's
    /// `smtpd_error_sleep_time`.
    pub error_delay: Duration,
    /// NOOP, RSET and VRFY commands a client may send without delivering
    /// mail before each counts as an error. Default 100, Postfix's
    /// `smtpd_junk_command_limit`.
    pub junk_command_limit: u32,
    /// How long the server waits for the client's next command or data.
    /// Default 5 minutes, RFC 5321 §4.5.3.2.7 (Postfix's `smtpd_timeout`).
    pub command_timeout: Duration,
    /// How long the TLS handshake after STARTTLS may take, from the moment
    /// the driver is told to start it. Default 300 s, Postfix's
    /// `smtpd_starttls_timeout`.
    pub tls_handshake_timeout: Duration,
    /// Replies the server lets build up unsent before it stops reading
    /// pipelined commands. Default 64 KiB, this crate's choice.
    pub max_output: usize,
    /// Unread input the server holds before [`Server::wants_read`] turns
    /// false; twice as much closes the session. Default 64 KiB, this crate's
    /// choice: hundreds of pipelined commands.
    pub max_buffered_input: usize,
}

impl Options {
    /// The settings for LMTP (RFC 2033): LHLO, a `LMTP` greeting, and the
    /// other defaults.
    pub fn lmtp() -> Self {
        Self {
            lmtp: true,
            greeting: Text::from_static("LMTP"),
            ..Self::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            hostname: Domain::from_static("localhost"),
            greeting: Text::from_static("ESMTP"),
            lmtp: false,
            max_line: 2048,
            max_auth_line: 12_288,
            max_message_size: 10_240_000,
            max_recipients: 1000,
            recipient_overshoot_limit: 1000,
            bare_line_endings: BareLineEndings::Reject,
            helo_required: true,
            reject_invalid_hello: false,
            envelope_quirks: true,
            pipelining: true,
            forbid_unauth_pipelining: true,
            chunking: true,
            eight_bit_mime: true,
            binary_mime: false,
            smtputf8: true,
            dsn: false,
            enhanced_status_codes: true,
            starttls: true,
            implicit_tls: false,
            require_tls: false,
            auth_mechanisms: vec![Mechanism::PLAIN, Mechanism::LOGIN],
            auth_without_tls: false,
            auth_required: false,
            requiretls: false,
            mt_priority: false,
            vrfy: Vrfy::CannotVerify,
            extra_capabilities: Vec::new(),
            extra_parameters: Vec::new(),
            soft_error_limit: 10,
            hard_error_limit: 20,
            error_delay: Duration::from_secs(1),
            junk_command_limit: 100,
            command_timeout: Duration::from_secs(5 * 60),
            tls_handshake_timeout: Duration::from_secs(300),
            max_output: 64 * 1024,
            max_buffered_input: 64 * 1024,
        }
    }
}

/// What VRFY answers (RFC 5321 §3.5.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Vrfy {
    /// `252 2.0.0 Cannot VRFY user, but will accept message and attempt
    /// delivery`, the RFC's answer for a server that does not tell.
    #[default]
    CannotVerify,
    /// `502 5.5.1 VRFY command is disabled`, Postfix's
    /// `disable_vrfy_command = yes`.
    Disabled,
    /// Ask the application: [`Event::VrfyRequested`], answered with
    /// [`Server::vrfy_answered`]. VRFY is announced in the EHLO reply.
    Application,
}
