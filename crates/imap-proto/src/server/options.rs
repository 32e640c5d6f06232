//! The server's settings.

use std::time::Duration;

use crate::types::Atom;

#[cfg(doc)]
use super::{Credentials, Event, Server};

/// The server's settings. Every default cites where it comes from.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// The greeting's text after `* OK [CAPABILITY ...]`. Default
    /// `IMAP4rev1 Service Ready`, RFC 3501 §8's example.
    pub greeting: String,
    /// Put the capabilities in the greeting as a response code, which saves
    /// clients a CAPABILITY round trip (RFC 9051 §7.1). Default `true`, as
    /// Dovecot does.
    pub greeting_capabilities: bool,
    /// Offer IMAP4rev1 (RFC 3501). Default `true`: mbsync and many other
    /// clients refuse a server without it.
    pub imap4rev1: bool,
    /// Offer IMAP4rev2 (RFC 9051) too. Default `true`. A session starts in
    /// IMAP4rev1 when both are offered and switches after `ENABLE IMAP4rev2`
    /// (RFC 9051 §6.3.1); a server offering only IMAP4rev2 starts in it.
    pub imap4rev2: bool,
    /// The grammar's options: line and literal limits, nesting depth,
    /// quirks. The mode is the server's to manage; the value given here is
    /// ignored.
    pub codec: crate::Options,
    /// Which non-synchronizing literals the server takes (RFC 7888).
    /// Default [`LiteralExtension::Plus`], Dovecot's
    /// (`imap_literal_minus = no`).
    pub literal: LiteralExtension,
    /// Offer STARTTLS before TLS. Default `true`: RFC 8314 and RFC 3501
    /// §6.2.1 want TLS; a driver that cannot start TLS must turn it off.
    pub starttls: bool,
    /// The connection is already protected (implicit TLS on port 993, RFC
    /// 8314 §3.3, or a local socket). Default `false`.
    pub implicit_tls: bool,
    /// Allow LOGIN and plaintext SASL mechanisms without TLS. Default
    /// `false`: the server then announces LOGINDISABLED (RFC 3501 §6.2.3,
    /// RFC 2595 §3.2), as Dovecot does with `disable_plaintext_auth = yes`.
    pub allow_plaintext_without_tls: bool,
    /// The SASL mechanisms offered as `AUTH=` and taken by AUTHENTICATE.
    /// `PLAIN` is decoded by the server into [`Credentials::Plain`]; the
    /// application runs any other through [`Event::SaslStarted`]. Default
    /// `[PLAIN]` (RFC 4616), which RFC 9051 §6.1.1 requires.
    pub sasl_mechanisms: Vec<Atom<'static>>,
    /// Offer COMPRESS=DEFLATE after login (RFC 4978); the driver does the
    /// deflating when [`Event::CompressionStarted`] says. Default `false`: a
    /// driver has to provide it (Dovecot needs its zlib plugin).
    pub compress: bool,
    /// Capabilities announced before login, after the ones the server runs
    /// itself: what the application answers in the not authenticated state
    /// (`ID`), or what a client should know before it logs in. Dovecot
    /// announces `ID` there, and the full list after login. Default empty.
    pub pre_login_extensions: Vec<Atom<'static>>,
    /// Capabilities the application implements, announced after login
    /// (`UIDPLUS`, `MOVE`, `CONDSTORE`, `QRESYNC`, `UTF8=ACCEPT`,
    /// `SPECIAL-USE`, ...). The server hands every command to the application,
    /// so each listed extension's commands must be answered there. ENABLE
    /// takes `CONDSTORE`, `QRESYNC` and `UTF8=ACCEPT` only when they are
    /// listed here. Default empty.
    pub extensions: Vec<Atom<'static>>,
    /// The largest message of an APPEND, in octets, each message of a
    /// MULTIAPPEND on its own (the limit RFC 7889's `APPENDLIMIT=` announces:
    /// list it in [`extensions`](Self::extensions) to tell clients); larger
    /// ones get `NO [TOOBIG]` before the client sends them. Default
    /// 10 240 000, Postfix's `message_size_limit`: what the server would take
    /// by SMTP. Messages stream to the application
    /// ([`Event::AppendRequested`]), so the server holds none of them; what
    /// bounds a MULTIAPPEND as a whole is its lines, counted together
    /// against [`codec`](Self::codec)'s `max_line` as Dovecot counts a
    /// command against `imap_max_line_length`, and the application, which
    /// decides on each message.
    pub max_append: u64,
    /// The largest literal in any other command (and in any command before
    /// login), in octets. Default 65 536: Dovecot counts such literals
    /// against its 64 KiB `imap_max_line_length`.
    pub max_literal: u64,
    /// The longest line of an AUTHENTICATE exchange. Default 8 192,
    /// Dovecot's `LOGIN_MAX_AUTH_BUF_SIZE`.
    pub max_sasl_line: usize,
    /// Bad commands in a row after login before the server closes the
    /// session. Default 20, Dovecot's `CLIENT_MAX_BAD_COMMANDS` for imap.
    pub max_bad_commands: u32,
    /// Bad commands in a row before login before the server closes the
    /// session. Default 3, Dovecot's `CLIENT_MAX_BAD_COMMANDS` for
    /// imap-login.
    pub max_bad_commands_before_login: u32,
    /// The inactivity autologout timer, IDLE included: reset by every
    /// command. Default 30 minutes, the least RFC 3501 §5.4 allows after
    /// login (and Dovecot's `CLIENT_IDLE_TIMEOUT_MSECS`).
    pub autologout: Duration,
    /// How often an idling client hears `* OK Still here`, so that NAT
    /// boxes keep the connection; `None` for never. Default 2 minutes,
    /// Dovecot's `imap_idle_notify_interval`.
    pub idle_keepalive: Option<Duration>,
    /// The most octets one [`Server::poll_transmit`] call appends, the
    /// output the server lets build up before it stops reading pipelined
    /// commands, and before [`Server::update`] refuses with
    /// [`Backpressure`](crate::ServerError::Backpressure). Default 64 KiB,
    /// this crate's choice: a socket buffer's worth.
    pub max_transmit: usize,
    /// Unprocessed input the server holds before [`Server::wants_read`]
    /// turns false (a literal being received may take more). A read the
    /// server wanted is kept whole, so it holds at most this and one read;
    /// input fed past twice this while it does not want to read is dropped,
    /// and the session closes once the commands kept are answered
    /// ([`Server::handle_input`]). Default 64 KiB, Dovecot's
    /// `imap_max_line_length`.
    pub max_buffered_input: usize,
    /// Body octets the application may have handed over and not yet sent
    /// before [`Server::body_demand`] says
    /// [`Full`](super::BodyDemand::Full). Default 64 KiB, this crate's
    /// choice.
    pub body_buffer: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            greeting: "IMAP4rev1 Service Ready".into(),
            greeting_capabilities: true,
            imap4rev1: true,
            imap4rev2: true,
            codec: crate::Options::default(),
            literal: LiteralExtension::Plus,
            starttls: true,
            implicit_tls: false,
            allow_plaintext_without_tls: false,
            sasl_mechanisms: vec![Atom::from_static("PLAIN")],
            compress: false,
            pre_login_extensions: Vec::new(),
            extensions: Vec::new(),
            max_append: 10_240_000,
            max_literal: 65_536,
            max_sasl_line: 8_192,
            max_bad_commands: 20,
            max_bad_commands_before_login: 3,
            autologout: Duration::from_secs(30 * 60),
            idle_keepalive: Some(Duration::from_secs(2 * 60)),
            max_transmit: 64 * 1024,
            max_buffered_input: 64 * 1024,
            body_buffer: 64 * 1024,
        }
    }
}

/// The non-synchronizing literals a server takes (RFC 7888 §3, §5); a
/// server announces exactly one of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LiteralExtension {
    /// `LITERAL+`: any size, up to the server's limits.
    #[default]
    Plus,
    /// `LITERAL-`: at most 4096 octets; a larger one gets `BAD [TOOBIG]`
    /// (RFC 7888 §5). IMAP4rev2 includes it.
    Minus,
}
