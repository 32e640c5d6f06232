//! Opt-in tolerances for peers that bend the grammar.

/// Tolerances for clients that bend the command grammar. All off by default:
/// commands are read as RFC 1939 §3 writes them ("keywords and arguments are
/// each separated by a single SPACE character"), except where Dovecot, the
/// reference server, is more lenient on its own (see below).
///
/// What is accepted without a quirk, because Dovecot does:
///
/// - lines ending in a bare LF (Dovecot's `i_stream_next_line` ends a line at
///   LF and drops a CR before it);
/// - arguments after an argument-less command (`NOOP please`), which
///   Dovecot's command functions never look at.
///
/// ```
/// use pop3_proto::{decode, Command, MessageNumber, Quirks};
///
/// // Strict: a second space before the number is refused, as Dovecot's
/// // get_msgnum refuses it ("-ERR Invalid message number:  2").
/// assert!(decode::command_line(b"LIST  2").is_err());
/// let mut quirks = Quirks::default();
/// quirks.extra_spaces = true;
/// assert_eq!(
///     decode::command_line_with(b"LIST  2", quirks)?,
///     Command::List { message: MessageNumber::new(2) },
/// );
/// # Ok::<(), pop3_proto::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Quirks {
    /// Accept runs of spaces before a message number and between TOP's two
    /// numbers (`LIST  2`, `TOP  2   0`). Dovecot refuses the first (its
    /// `get_msgnum` wants a digit first) and accepts the second.
    pub extra_spaces: bool,
}
