//! Options of the codec: the session's mode, limits and opt-in quirks.

/// The session's dialect, which changes both the grammar and the meaning of
/// mailbox names.
///
/// A session starts as [`Mode::Imap4rev1`] (or [`Mode::Imap4rev2`] for a
/// server that offers only IMAP4rev2) and switches after `ENABLE UTF8=ACCEPT`
/// (RFC 6855 §3) or `ENABLE IMAP4rev2` (RFC 9051 §6.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mode {
    /// RFC 3501: mailbox names in modified UTF-7 (§5.1.3), 7-bit quoted
    /// strings and text, `SEARCH` and `RECENT` responses.
    #[default]
    Imap4rev1,
    /// RFC 3501 after `ENABLE UTF8=ACCEPT` (RFC 6855): mailbox names and
    /// quoted strings in UTF-8; the rest as IMAP4rev1.
    Utf8Accept,
    /// RFC 9051: UTF-8 mailbox names and strings, `ESEARCH` answers instead
    /// of `SEARCH`, no `RECENT`, no `\Recent`, no `LSUB`.
    Imap4rev2,
}

impl Mode {
    /// Whether mailbox names, quoted strings and text are UTF-8 (RFC 6855 §3,
    /// RFC 9051 §5.1).
    pub fn utf8(self) -> bool {
        !matches!(self, Self::Imap4rev1)
    }

    /// Whether this is IMAP4rev2.
    pub fn rev2(self) -> bool {
        matches!(self, Self::Imap4rev2)
    }
}

/// Tolerances for known broken peers. All off by default: the codec is
/// strict unless told otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Quirks {
    /// Accept a space before CRLF at the end of a `CAPABILITY`, `ENABLED`,
    /// `SEARCH` or `FLAGS`-like list response, as some servers (older
    /// Exchange and Zimbra releases) send `* SEARCH 1 2 3 ` and `* CAPABILITY
    /// IMAP4rev1 `.
    pub trailing_space: bool,
    /// Accept a continuation request of a bare `+` with no space or text,
    /// which several servers send although RFC 3501 §7.5 requires `+ text`.
    pub bare_continuation: bool,
    /// Accept `NIL` where the grammar wants a string (a body type, subtype or
    /// encoding in BODYSTRUCTURE, a mailbox name in LIST): it decodes as the
    /// empty string.
    pub nil_as_string: bool,
    /// Accept NUL octets in a `literal` (RFC 9051 §9 `CHAR8` excludes them;
    /// only a `literal8` may carry them, RFC 3516), as servers that pass a
    /// stored message through unchanged send them in FETCH bodies. Dovecot
    /// writes them as 0x80 instead, as this crate's server does. Checked in
    /// [`Framer`](crate::decode::Framer) and the machines' streaming paths.
    pub nul_in_literal: bool,
}

/// How the encoder writes literals in commands (RFC 7888).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LiteralPolicy {
    /// Every literal is written as the value says (`{n}` synchronizing unless
    /// built non-synchronizing): the default, right for any server.
    #[default]
    AsGiven,
    /// The server offers LITERAL+: every literal is written `{n+}` and no
    /// continuation is awaited.
    LiteralPlus,
    /// The server offers LITERAL-: literals of at most 4096 octets are written
    /// `{n+}`, larger ones synchronizing (RFC 7888 §4).
    LiteralMinus,
}

/// Options of decoding and encoding.
///
/// ```
/// use imap_proto::{Mode, Options};
///
/// let mut options = Options::default();
/// options.mode = Mode::Imap4rev2;
/// options.quirks.trailing_space = true;
/// assert_eq!(options.max_depth, 100);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Options {
    /// The session's dialect.
    pub mode: Mode,
    /// How deep the recursive productions may nest, in decoding and
    /// encoding: BODYSTRUCTURE parts (multiparts and message/rfc822 chains),
    /// body extensions, search keys (`NOT`, `OR`, parentheses) and
    /// `tagged-ext-val` lists (LIST-EXTENDED, ESEARCH), all counted together.
    /// Default 100, Dovecot's limit on nested MIME parts (its message
    /// parser's `MESSAGE_PARSER_DEFAULT_MAX_NESTED_MIME_PARTS`); values above
    /// [`Options::MAX_DEPTH`] are treated as it, so no peer can exhaust the stack.
    pub max_depth: usize,
    /// The longest line, without the literals in it, in octets. Default 65 536,
    /// Dovecot's `imap_max_line_length` (64 KiB).
    pub max_line: usize,
    /// The largest literal accepted, in octets, by the decoder and by
    /// [`Framer`](crate::decode::Framer), which refuses a larger one as soon
    /// as it is announced, before its octets. Default `u32::MAX`, the largest
    /// `number` of RFC 3501 §9; servers lower it to their message size limit.
    pub max_literal: u64,
    /// How the encoder writes literals in commands.
    pub literals: LiteralPolicy,
    /// Tolerances for broken peers, all off by default.
    pub quirks: Quirks,
}

impl Options {
    /// The hard ceiling on [`Options::max_depth`]: 128 levels.
    ///
    /// Decoding and encoding recurse once per level. The ceiling is proven,
    /// not assumed: `tests/depth.rs` decodes, encodes, clones, compares,
    /// formats and drops every recursive production nested this deep in an
    /// unoptimized build on a thread with 1 MiB of stack, half of the 2 MiB
    /// that Rust gives a spawned thread and tokio a worker, so a caller
    /// keeps the other half (measured: about 3.7 KiB a level in debug at
    /// worst, search-key parentheses; far less optimized).
    pub const MAX_DEPTH: usize = 128;

    /// The options of a session in this mode, with the other values at default.
    pub fn with_mode(mode: Mode) -> Self {
        Self {
            mode,
            ..Self::default()
        }
    }

    pub(crate) fn depth_limit(&self) -> usize {
        self.max_depth.min(Self::MAX_DEPTH)
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            mode: Mode::Imap4rev1,
            max_depth: 100,
            max_line: 65_536,
            max_literal: u64::from(u32::MAX),
            literals: LiteralPolicy::AsGiven,
            quirks: Quirks::default(),
        }
    }
}
