//! What the server tells the application, and the typed values of its
//! answers.

use std::borrow::Cow;

use bytes::Bytes;

use crate::types::{Atom, Code, Command, DateTime, Flag, Mailbox, Secret, StatusKind, Tag};

#[cfg(doc)]
use super::{Options, Server};

/// The session's state (RFC 9051 §3, RFC 3501 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Before login (§3.1).
    NotAuthenticated,
    /// Logged in, no mailbox selected (§3.2).
    Authenticated,
    /// A mailbox is selected (§3.3); see [`Server::mailbox`].
    Selected,
    /// The session is over (§3.4): send what is left and close.
    Logout,
}

/// What the server tells the application. Events that ask a question are
/// answered by a decision method; until then the server reads no further
/// command, so answers go out in the order the commands came.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event {
    /// A command for the application, checked for its state (a selected-state
    /// command arrives only with a mailbox selected). Send its untagged data
    /// with [`Server::data`] (or stream a body with [`Server::fetch_begin`]),
    /// then complete it with [`Server::ok`] or [`Server::complete`], keyed
    /// by `command.tag`.
    ///
    /// The server answers CAPABILITY, LOGOUT, STARTTLS, LOGIN, AUTHENTICATE,
    /// ENABLE, IDLE and COMPRESS itself, and NOOP before login; APPEND comes
    /// streamed ([`AppendRequested`](Self::AppendRequested)); every other
    /// command comes here. SELECT and EXAMINE have already closed the
    /// previously selected mailbox; an `OK` completion selects the new one.
    CommandReceived {
        /// The command, owned; literals are slices of the input, not copies.
        command: Command<'static>,
    },
    /// An APPEND (or the next message of a MULTIAPPEND, RFC 3502) announced
    /// a message, before its octets: answer with [`Server::accept_append`]
    /// or [`Server::reject_append`] (`NO [TRYCREATE]` for a missing mailbox,
    /// `NO [OVERQUOTA]`, `NO [TOOBIG]`), so the client uploads nothing that
    /// would be refused. Once accepted, the octets follow as
    /// [`AppendChunk`](Self::AppendChunk)s, then
    /// [`AppendMessageEnded`](Self::AppendMessageEnded). However small the
    /// message, this is the one way APPEND comes: a message whose octets are
    /// already in comes as one chunk.
    AppendRequested {
        /// The APPEND command's tag.
        tag: Tag<'static>,
        /// The mailbox to append to, as the client named it.
        mailbox: Mailbox<'static>,
        /// The message's options and size.
        message: AppendAnnouncement,
    },
    /// The next octets of an accepted APPEND message, as they arrived: a
    /// slice of the input, not a copy.
    AppendChunk {
        /// The APPEND command's tag.
        tag: Tag<'static>,
        /// The octets.
        data: Bytes,
    },
    /// All the octets of the message are in. Another
    /// [`AppendRequested`](Self::AppendRequested) follows for the next
    /// message of a MULTIAPPEND, or [`AppendReceived`](Self::AppendReceived).
    AppendMessageEnded {
        /// The APPEND command's tag.
        tag: Tag<'static>,
    },
    /// The whole APPEND command is in: complete it with [`Server::complete`]
    /// (`OK [APPENDUID uidvalidity uid]`, RFC 4315) or [`Server::ok`], or
    /// `NO` if storing failed (RFC 3502 §3: a MULTIAPPEND stores all its
    /// messages or none). [`Server::data`] may answer it first.
    AppendReceived {
        /// The APPEND command's tag.
        tag: Tag<'static>,
        /// How many messages it carried.
        messages: usize,
    },
    /// An APPEND broke off after the application heard of it (a NUL in a
    /// `literal`, a bad line between MULTIAPPEND messages, a message past the
    /// server's limits): the server answered it itself
    /// ([`CommandRejected`](Self::CommandRejected) says how). Drop what
    /// it carried.
    AppendAborted {
        /// The APPEND command's tag.
        tag: Tag<'static>,
    },
    /// LOGIN or AUTHENTICATE PLAIN presented credentials: answer with
    /// [`Server::login_succeeded`] or [`Server::login_failed`].
    LoginRequested {
        /// The command's tag.
        tag: Tag<'static>,
        /// What the client sent.
        credentials: Credentials,
    },
    /// AUTHENTICATE with a mechanism other than PLAIN: answer with
    /// [`Server::sasl_challenge`], [`Server::login_succeeded`] or
    /// [`Server::login_failed`].
    SaslStarted {
        /// The command's tag.
        tag: Tag<'static>,
        /// The mechanism, one of [`Options::sasl_mechanisms`].
        mechanism: Atom<'static>,
        /// The SASL-IR initial response (RFC 4959), if sent (`=` is empty).
        initial_response: Option<Secret<Vec<u8>>>,
    },
    /// The client answered a [`Server::sasl_challenge`]. Answer as for
    /// [`SaslStarted`](Self::SaslStarted).
    SaslResponseReceived {
        /// The command's tag.
        tag: Tag<'static>,
        /// The response, decoded from base64.
        response: Secret<Vec<u8>>,
    },
    /// STARTTLS was accepted and its `OK` has left through
    /// `poll_transmit`: start the TLS handshake now and feed the decrypted
    /// bytes from then on. Every byte the client sent after STARTTLS in
    /// plaintext has been discarded (RFC 3501 §6.2.1).
    TlsRequested,
    /// COMPRESS=DEFLATE was accepted and its `OK` has left through
    /// `poll_transmit`: everything sent from now on is deflated, everything
    /// received inflated (RFC 4978 §3).
    CompressionStarted {
        /// Octets the client sent after the COMPRESS command, already
        /// compressed: inflate them and hand them back with `handle_input`.
        input: Bytes,
    },
    /// ENABLE turned extensions on (RFC 5161); the server switched its
    /// grammar for UTF8=ACCEPT and IMAP4rev2. Or a "CONDSTORE enabling
    /// command" (RFC 7162 §3.1: SELECT with CONDSTORE, a FETCH of MODSEQ,
    /// ...) turned CONDSTORE on: the event comes before that command's
    /// [`CommandReceived`](Self::CommandReceived), whose FETCH responses then
    /// carry MODSEQ. See [`Server::enabled`].
    Enabled {
        /// The capabilities newly enabled, as the `* ENABLED` response named
        /// them.
        capabilities: Vec<Atom<'static>>,
    },
    /// IDLE began (RFC 2177): send mailbox changes as they happen with
    /// [`Server::update`], EXPUNGE included, until
    /// [`IdleEnded`](Self::IdleEnded).
    IdleStarted {
        /// The IDLE command's tag.
        tag: Tag<'static>,
    },
    /// The client sent `DONE` (or broke off IDLE); the server has completed
    /// the IDLE command.
    IdleEnded {
        /// The IDLE command's tag.
        tag: Tag<'static>,
    },
    /// [`Server::update`] refused an update that the application kept, and
    /// the server now takes more than it did then: send what was kept (an
    /// EXPUNGE may still have to wait if `updates` is not
    /// [`Updates::All`]). Comes once per refusal, so a driver feeding a
    /// change feed need not poll [`Server::updates`]. When a command opens
    /// the window (a NOOP lets an EXPUNGE out), it comes right before that
    /// command's [`CommandReceived`](Self::CommandReceived): send the
    /// updates before completing the command.
    UpdatesAllowed {
        /// What the server takes now, as [`Server::updates`] says.
        updates: Updates,
    },
    /// The server answered a command with `BAD` or `NO` on its own: unknown,
    /// malformed, out of its state, a literal too large, an invalid tag.
    /// For logs.
    CommandRejected {
        /// The command's tag, if it had a valid one.
        tag: Option<Tag<'static>>,
        /// The response sent, from its status keyword on.
        reply: String,
    },
    /// The session is over; the server reads no more input.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// One message of an APPEND, as announced before its octets (RFC 9051
/// §6.3.12, RFC 3502, RFC 3516 §4.4, RFC 6855 §4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppendAnnouncement {
    /// Its place in the command, from 0 (MULTIAPPEND has more than one).
    pub index: usize,
    /// The flags to set, when given.
    pub flags: Option<Vec<Flag<'static>>>,
    /// The internal date to give it, when given.
    pub date: Option<DateTime>,
    /// Its size in octets, at most [`Options::max_append`].
    pub size: u64,
    /// Sent as a `literal8` (`~{n}`, RFC 3516): it may hold NUL. A server
    /// that does not offer BINARY may refuse it.
    pub binary: bool,
    /// Sent as `UTF8 (~{n})` (RFC 6855 §4): its headers may hold UTF-8.
    pub utf8: bool,
}

/// What a client presented to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// `LOGIN user password` (RFC 9051 §6.2.3).
    Login {
        /// The user name.
        username: String,
        /// The password.
        password: Secret<Vec<u8>>,
    },
    /// AUTHENTICATE PLAIN (RFC 4616).
    Plain {
        /// The authorization identity, when given and not empty.
        authzid: Option<String>,
        /// The authentication identity.
        authcid: String,
        /// The password.
        password: Secret<Vec<u8>>,
    },
}

/// Why a login failed, as [`Server::login_failed`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginFailure {
    /// Wrong user or password: `NO [AUTHENTICATIONFAILED] Authentication
    /// failed.` (RFC 5530, Dovecot's text).
    InvalidCredentials,
    /// The credentials are right but may not act as the identity asked
    /// for: `NO [AUTHORIZATIONFAILED] ...` (RFC 5530).
    AuthorizationFailed,
    /// The password has expired: `NO [EXPIRED] ...` (RFC 5530).
    Expired,
    /// A temporary failure, try later: `NO [UNAVAILABLE] Temporary
    /// authentication failure.` (RFC 5530, Dovecot's text).
    Unavailable,
}

/// Why the session closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent LOGOUT.
    Logout,
    /// Too many bad commands in a row: `* BYE Too many invalid IMAP
    /// commands.` (Dovecot).
    TooManyBadCommands,
    /// The autologout timer expired (RFC 3501 §5.4).
    TimedOut,
    /// The client sent far more pipelined input than the server reads
    /// ahead.
    InputOverflow,
    /// A streamed body failed after part of it was sent.
    BodyFailed,
    /// The application ended the session with [`Server::bye`].
    Bye,
}

/// A command's completion as the application gives it: `OK`, `NO` or `BAD`,
/// an optional response code and human-readable text (RFC 9051 §7.1).
///
/// The text is made safe for the line: CR, LF and NUL become spaces, 8-bit
/// text becomes `?` where the session's mode does not allow it, and a text
/// that would read as a response code is prefixed with a space.
///
/// ```
/// use imap_proto::server::Completion;
/// use imap_proto::types::Code;
///
/// let done = Completion::ok("SELECT completed").with_code(Code::ReadWrite);
/// let refused = Completion::no("Mailbox doesn't exist: Drafts").with_code(Code::NonExistent);
/// # let _ = (done, refused);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion<'a> {
    pub(crate) kind: StatusKind,
    pub(crate) code: Option<Code<'a>>,
    pub(crate) text: Cow<'a, str>,
}

impl<'a> Completion<'a> {
    /// `OK text`.
    pub fn ok(text: impl Into<Cow<'a, str>>) -> Self {
        Self::new(StatusKind::Ok, text)
    }

    /// `NO text`: the command failed.
    pub fn no(text: impl Into<Cow<'a, str>>) -> Self {
        Self::new(StatusKind::No, text)
    }

    /// `BAD text`: the command was not valid.
    pub fn bad(text: impl Into<Cow<'a, str>>) -> Self {
        Self::new(StatusKind::Bad, text)
    }

    fn new(kind: StatusKind, text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            kind,
            code: None,
            text: text.into(),
        }
    }

    /// The same completion with a response code.
    pub fn with_code(self, code: Code<'a>) -> Self {
        Self {
            code: Some(code),
            ..self
        }
    }

    /// `OK`, `NO` or `BAD`.
    pub fn kind(&self) -> StatusKind {
        self.kind
    }

    /// The response code.
    pub fn code(&self) -> Option<&Code<'a>> {
        self.code.as_ref()
    }
}

/// What the server wants of a body being streamed ([`Server::body_demand`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyDemand {
    /// Hand over the next chunk.
    More,
    /// Enough is buffered: send what `poll_transmit` has, then ask again.
    Full,
}

/// Which untagged mailbox updates the application may send now
/// ([`Server::updates`]), by the rules of RFC 9051 §7.5.1 and §5.5. Ordered
/// from least to most allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Updates {
    /// None: no mailbox is selected, a FETCH response is open, a STARTTLS
    /// or COMPRESS switch is pending, or the client is not reading (the
    /// output not taken is at [`Options::max_transmit`]).
    None,
    /// EXISTS, RECENT, FLAGS and FETCH flag changes, but no EXPUNGE or
    /// VANISHED: no command is in progress, or a FETCH, STORE or SEARCH is.
    NoExpunge,
    /// Everything, EXPUNGE and VANISHED included: during IDLE, or while a
    /// command other than FETCH, STORE or SEARCH is in progress (UID FETCH,
    /// UID STORE and UID SEARCH allow it).
    All,
}

/// The extensions the client has enabled (RFC 5161).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Enabled {
    /// CONDSTORE (RFC 7162 §3.1), also on after QRESYNC.
    pub condstore: bool,
    /// QRESYNC (RFC 7162 §3.2).
    pub qresync: bool,
    /// UTF8=ACCEPT (RFC 6855).
    pub utf8_accept: bool,
    /// IMAP4rev2 (RFC 9051 §6.3.1). A server that offers IMAP4rev2 alone
    /// speaks it from the start, and still answers `ENABLE IMAP4rev2` as
    /// RFC 9051 §8's example does.
    pub imap4rev2: bool,
}

/// The selected mailbox (RFC 9051 §3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectedMailbox {
    pub(crate) mailbox: Mailbox<'static>,
    pub(crate) read_only: bool,
    /// SELECT answered `* OK [NOMODSEQ]` (RFC 7162 §3.1.2).
    pub(crate) no_modseq: bool,
}

impl SelectedMailbox {
    /// The mailbox, as the client named it.
    pub fn mailbox(&self) -> &Mailbox<'static> {
        &self.mailbox
    }

    /// Whether it was opened by EXAMINE, or SELECT completed with
    /// `[READ-ONLY]`: STORE, EXPUNGE and MOVE are refused.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether the mailbox keeps mod-sequences: `false` when its SELECT or
    /// EXAMINE answered `* OK [NOMODSEQ]` (RFC 7162 §3.1.2), and EXPUNGE
    /// then stays EXPUNGE after ENABLE QRESYNC (§3.2.10).
    pub fn has_mod_sequences(&self) -> bool {
        !self.no_modseq
    }
}
