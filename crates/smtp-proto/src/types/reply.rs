//! Replies: reply codes (RFC 5321 §4.2), enhanced status codes (RFC 3463,
//! RFC 2034) and the reply itself, one line or several.

use std::borrow::Cow;
use std::fmt;

use super::check_text;
use crate::ValueError;

/// A reply code (RFC 5321 §4.2):
///
/// ```text
/// Reply-code = %x32-35 %x30-35 %x30-39
/// ```
///
/// The space of codes is open (extensions add codes), so this is a newtype
/// with constants for the codes RFC 5321 §4.2.2 and its extensions name. A
/// client acts on the first digit ([`is_positive`](Self::is_positive), ...),
/// as §4.2.1 says it must.
///
/// ```
/// use smtp_proto::ReplyCode;
///
/// let code = ReplyCode::new(452)?;
/// assert_eq!(code, ReplyCode::INSUFFICIENT_STORAGE);
/// assert!(code.is_transient());
/// assert!(ReplyCode::new(600).is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// `211` System status, or system help reply.
    pub const SYSTEM_STATUS: Self = Self(211);
    /// `214` Help message.
    pub const HELP: Self = Self(214);
    /// `220` Service ready.
    pub const READY: Self = Self(220);
    /// `221` Service closing transmission channel.
    pub const CLOSING: Self = Self(221);
    /// `235` Authentication succeeded (RFC 4954 §6).
    pub const AUTH_SUCCEEDED: Self = Self(235);
    /// `250` Requested mail action okay, completed.
    pub const OK: Self = Self(250);
    /// `251` User not local; will forward.
    pub const USER_NOT_LOCAL_WILL_FORWARD: Self = Self(251);
    /// `252` Cannot VRFY user, but will accept message and attempt delivery.
    pub const CANNOT_VRFY: Self = Self(252);
    /// `334` Server challenge in an AUTH exchange (RFC 4954 §4).
    pub const AUTH_CONTINUE: Self = Self(334);
    /// `354` Start mail input.
    pub const START_MAIL_INPUT: Self = Self(354);
    /// `421` Service not available, closing transmission channel.
    pub const SERVICE_NOT_AVAILABLE: Self = Self(421);
    /// `432` A password transition is needed (RFC 4954 §6).
    pub const PASSWORD_TRANSITION_NEEDED: Self = Self(432);
    /// `450` Requested mail action not taken: mailbox unavailable.
    pub const MAILBOX_BUSY: Self = Self(450);
    /// `451` Requested action aborted: local error in processing.
    pub const LOCAL_ERROR: Self = Self(451);
    /// `452` Requested action not taken: insufficient system storage (and
    /// too many recipients, §4.5.3.1.10).
    pub const INSUFFICIENT_STORAGE: Self = Self(452);
    /// `454` Temporary authentication failure (RFC 4954 §6), or TLS not
    /// available (RFC 3207 §4).
    pub const TEMPORARY_FAILURE: Self = Self(454);
    /// `455` Server unable to accommodate parameters.
    pub const UNABLE_TO_ACCOMMODATE_PARAMETERS: Self = Self(455);
    /// `500` Syntax error, command unrecognized (or line too long).
    pub const SYNTAX_ERROR: Self = Self(500);
    /// `501` Syntax error in parameters or arguments.
    pub const PARAMETER_SYNTAX_ERROR: Self = Self(501);
    /// `502` Command not implemented.
    pub const NOT_IMPLEMENTED: Self = Self(502);
    /// `503` Bad sequence of commands.
    pub const BAD_SEQUENCE: Self = Self(503);
    /// `504` Command parameter not implemented.
    pub const PARAMETER_NOT_IMPLEMENTED: Self = Self(504);
    /// `521` Server does not accept mail (RFC 7504).
    pub const DOES_NOT_ACCEPT_MAIL: Self = Self(521);
    /// `530` Authentication required (RFC 4954 §6), or STARTTLS first
    /// (RFC 3207 §4).
    pub const AUTH_REQUIRED: Self = Self(530);
    /// `534` Authentication mechanism is too weak (RFC 4954 §6).
    pub const AUTH_TOO_WEAK: Self = Self(534);
    /// `535` Authentication credentials invalid (RFC 4954 §6).
    pub const AUTH_INVALID: Self = Self(535);
    /// `538` Encryption required for the authentication mechanism (RFC 4954
    /// §6).
    pub const ENCRYPTION_REQUIRED: Self = Self(538);
    /// `550` Requested action not taken: mailbox unavailable.
    pub const MAILBOX_UNAVAILABLE: Self = Self(550);
    /// `551` User not local.
    pub const USER_NOT_LOCAL: Self = Self(551);
    /// `552` Requested mail action aborted: exceeded storage allocation.
    pub const EXCEEDED_STORAGE: Self = Self(552);
    /// `553` Requested action not taken: mailbox name not allowed.
    pub const MAILBOX_NAME_NOT_ALLOWED: Self = Self(553);
    /// `554` Transaction failed (or no SMTP service here).
    pub const TRANSACTION_FAILED: Self = Self(554);
    /// `555` MAIL FROM/RCPT TO parameters not recognized or not implemented.
    pub const PARAMETERS_NOT_RECOGNIZED: Self = Self(555);

    /// A code from its number, checked against the ABNF.
    pub const fn new(code: u16) -> Result<Self, ValueError> {
        let (a, b) = (code / 100, code / 10 % 10);
        if a >= 2 && a <= 5 && b <= 5 {
            Ok(Self(code))
        } else {
            Err(ValueError::OutOfRange)
        }
    }

    /// The number.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// `2xx`: the action completed.
    pub const fn is_positive(self) -> bool {
        self.0 / 100 == 2
    }

    /// `3xx`: the command is accepted, more input is awaited.
    pub const fn is_intermediate(self) -> bool {
        self.0 / 100 == 3
    }

    /// `4xx`: a transient failure; the same command may succeed later.
    pub const fn is_transient(self) -> bool {
        self.0 / 100 == 4
    }

    /// `5xx`: a permanent failure.
    pub const fn is_permanent(self) -> bool {
        self.0 / 100 == 5
    }

    /// `4xx` or `5xx`.
    pub const fn is_negative(self) -> bool {
        self.0 >= 400
    }

    /// The three digits.
    pub(crate) fn digits(self) -> [u8; 3] {
        [
            b'0' + (self.0 / 100) as u8,
            b'0' + (self.0 / 10 % 10) as u8,
            b'0' + (self.0 % 10) as u8,
        ]
    }
}

impl TryFrom<u16> for ReplyCode {
    type Error = ValueError;

    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An enhanced mail system status code (RFC 3463 §2), as RFC 2034 puts it at
/// the start of a reply's text:
///
/// ```text
/// status-code = class "." subject "." detail
/// class       = "2" / "4" / "5"
/// subject     = 1*3digit
/// detail      = 1*3digit
/// ```
///
/// ```
/// use smtp_proto::EnhancedCode;
///
/// let code: EnhancedCode = "5.7.8".parse()?;
/// assert_eq!(code, EnhancedCode::new(5, 7, 8)?);
/// assert_eq!(code.to_string(), "5.7.8");
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnhancedCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedCode {
    /// `2.0.0` Other or undefined status: success.
    pub const OK: Self = Self::known(2, 0, 0);
    /// `2.1.0` Other address status: a sender accepted.
    pub const SENDER_OK: Self = Self::known(2, 1, 0);
    /// `2.1.5` Destination address valid: a recipient accepted.
    pub const RECIPIENT_OK: Self = Self::known(2, 1, 5);
    /// `2.7.0` Other or undefined security status: authenticated.
    pub const SECURITY_OK: Self = Self::known(2, 7, 0);
    /// `4.3.0` Other or undefined mail system status, transient.
    pub const SYSTEM_TRANSIENT: Self = Self::known(4, 3, 0);
    /// `4.3.1` Mail system full.
    pub const SYSTEM_FULL: Self = Self::known(4, 3, 1);
    /// `4.3.2` System not accepting network messages.
    pub const SYSTEM_NOT_ACCEPTING: Self = Self::known(4, 3, 2);
    /// `4.4.0` Other or undefined network or routing status, transient.
    pub const OTHER_NETWORK: Self = Self::known(4, 4, 0);
    /// `4.4.2` Bad connection (a timeout).
    pub const BAD_CONNECTION: Self = Self::known(4, 4, 2);
    /// `4.5.0` Other or undefined protocol status, transient.
    pub const OTHER_PROTOCOL: Self = Self::known(4, 5, 0);
    /// `4.5.3` Too many recipients.
    pub const TOO_MANY_RECIPIENTS: Self = Self::known(4, 5, 3);
    /// `4.7.0` Other or undefined security status, transient.
    pub const SECURITY_TRANSIENT: Self = Self::known(4, 7, 0);
    /// `5.1.1` Bad destination mailbox address.
    pub const BAD_DESTINATION_MAILBOX: Self = Self::known(5, 1, 1);
    /// `5.1.3` Bad destination mailbox address syntax.
    pub const BAD_DESTINATION_SYNTAX: Self = Self::known(5, 1, 3);
    /// `5.1.7` Bad sender's mailbox address syntax.
    pub const BAD_SENDER_SYNTAX: Self = Self::known(5, 1, 7);
    /// `5.3.2` System not accepting network messages.
    pub const SYSTEM_NOT_ACCEPTING_PERMANENT: Self = Self::known(5, 3, 2);
    /// `5.3.4` Message too big for system.
    pub const MESSAGE_TOO_BIG: Self = Self::known(5, 3, 4);
    /// `5.5.0` Other or undefined protocol status.
    pub const PROTOCOL_ERROR: Self = Self::known(5, 5, 0);
    /// `5.5.1` Invalid command.
    pub const INVALID_COMMAND: Self = Self::known(5, 5, 1);
    /// `5.5.2` Syntax error.
    pub const SYNTAX_ERROR: Self = Self::known(5, 5, 2);
    /// `5.5.4` Invalid command arguments.
    pub const INVALID_ARGUMENTS: Self = Self::known(5, 5, 4);
    /// `5.5.6` Authentication exchange line is too long (RFC 4954 §6).
    pub const AUTH_LINE_TOO_LONG: Self = Self::known(5, 5, 6);
    /// `5.6.7` Non-ASCII addresses not permitted (RFC 6531 §3.5).
    pub const NON_ASCII_ADDRESS: Self = Self::known(5, 6, 7);
    /// `5.7.0` Other or undefined security status.
    pub const SECURITY: Self = Self::known(5, 7, 0);
    /// `5.7.1` Delivery not authorized, message refused (relaying denied).
    pub const NOT_AUTHORIZED: Self = Self::known(5, 7, 1);
    /// `5.7.8` Authentication credentials invalid (RFC 4954 §6).
    pub const AUTH_INVALID: Self = Self::known(5, 7, 8);
    /// `5.7.11` Encryption required for requested authentication mechanism
    /// (RFC 4954 §6).
    pub const ENCRYPTION_REQUIRED: Self = Self::known(5, 7, 11);

    /// A code from its three parts, checked against the ABNF.
    pub const fn new(class: u8, subject: u16, detail: u16) -> Result<Self, ValueError> {
        if matches!(class, 2 | 4 | 5) && subject <= 999 && detail <= 999 {
            Ok(Self {
                class,
                subject,
                detail,
            })
        } else {
            Err(ValueError::OutOfRange)
        }
    }

    const fn known(class: u8, subject: u16, detail: u16) -> Self {
        Self {
            class,
            subject,
            detail,
        }
    }

    /// The class: 2 (success), 4 (persistent transient failure) or 5
    /// (permanent failure).
    pub const fn class(self) -> u8 {
        self.class
    }

    /// The subject (RFC 3463 §3): what the status is about.
    pub const fn subject(self) -> u16 {
        self.subject
    }

    /// The detail within the subject.
    pub const fn detail(self) -> u16 {
        self.detail
    }

    /// The same subject and detail with another class (a `5.x.y` code used
    /// in a `4xx` reply becomes `4.x.y`). Classes other than 2, 4 and 5 are
    /// refused.
    pub const fn with_class(self, class: u8) -> Result<Self, ValueError> {
        Self::new(class, self.subject, self.detail)
    }

    /// Parses a code from the start of `text`: the code and its length in
    /// octets. The code must be followed by a space or the end of `text`.
    pub(crate) fn parse_prefix(text: &[u8]) -> Option<(Self, usize)> {
        let class = match text.first()? {
            b'2' => 2,
            b'4' => 4,
            b'5' => 5,
            _ => return None,
        };
        if text.get(1) != Some(&b'.') {
            return None;
        }
        let (subject, s_len) = digits_1_3(&text[2..])?;
        let at = 2 + s_len;
        if text.get(at) != Some(&b'.') {
            return None;
        }
        let (detail, d_len) = digits_1_3(&text[at + 1..])?;
        let end = at + 1 + d_len;
        match text.get(end) {
            None | Some(b' ') => Some((Self::known(class, subject, detail), end)),
            _ => None,
        }
    }
}

/// One to three digits at the start of `text`, not followed by a fourth,
/// and without a leading zero (RFC 3463 §2: "Each numeric sub-code ... MUST
/// be expressed without leading zero digits"), so a code has one spelling.
fn digits_1_3(text: &[u8]) -> Option<(u16, usize)> {
    let len = text
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if len == 0 || len > 3 || (len > 1 && text[0] == b'0') {
        return None;
    }
    let value = text[..len]
        .iter()
        .fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
    Some((value, len))
}

impl std::str::FromStr for EnhancedCode {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Self::parse_prefix(s.as_bytes()) {
            Some((code, len)) if len == s.len() => Ok(code),
            _ => Err(ValueError::Syntax(0)),
        }
    }
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// A reply: a code, an optional enhanced status code, and one or more lines
/// of text (RFC 5321 §4.2):
///
/// ```text
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF
/// textstring = 1*(%d09 / %d32-126) ; HT, SP, Printable US-ASCII
/// ```
///
/// The text cannot hold CR, LF or other control octets (HT aside): a reply
/// that exists is one the encoder can write without breaking the stream.
/// UTF-8 is allowed, as SMTPUTF8 (RFC 6531 §3.7.4.2) lets servers send it.
/// The enhanced code is written at the start of every line (RFC 2034 §4).
///
/// ```
/// use smtp_proto::{EnhancedCode, Reply, ReplyCode};
///
/// let reply = Reply::new(ReplyCode::MAILBOX_UNAVAILABLE, Some(EnhancedCode::BAD_DESTINATION_MAILBOX), "No such user")?;
/// assert_eq!(reply.to_string(), "550 5.1.1 No such user");
/// assert!(Reply::new(ReplyCode::OK, None, "two\r\nlines").is_err());
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Reply {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    /// The lines, joined by LF (which a line cannot otherwise hold).
    text: Cow<'static, str>,
}

impl Reply {
    /// `250 2.0.0 Ok`, Postfix's reply to RSET, NOOP and a BDAT chunk.
    pub const OK: Self = Self::from_static(ReplyCode::OK, Some(EnhancedCode::OK), "Ok");
    /// `250 2.1.0 Ok`, a sender accepted (Postfix's text).
    pub const SENDER_OK: Self =
        Self::from_static(ReplyCode::OK, Some(EnhancedCode::SENDER_OK), "Ok");
    /// `250 2.1.5 Ok`, a recipient accepted (Postfix's text).
    pub const RECIPIENT_OK: Self =
        Self::from_static(ReplyCode::OK, Some(EnhancedCode::RECIPIENT_OK), "Ok");
    /// `250 2.0.0 Ok: queued`, a message stored (Postfix's text, without the
    /// queue id).
    pub const QUEUED: Self = Self::from_static(ReplyCode::OK, Some(EnhancedCode::OK), "Ok: queued");
    /// `354 End data with <CR><LF>.<CR><LF>` (Postfix's text).
    pub const START_DATA: Self = Self::from_static(
        ReplyCode::START_MAIL_INPUT,
        None,
        "End data with <CR><LF>.<CR><LF>",
    );
    /// `221 2.0.0 Bye` (Postfix's text).
    pub const BYE: Self = Self::from_static(ReplyCode::CLOSING, Some(EnhancedCode::OK), "Bye");
    /// `235 2.7.0 Authentication successful` (RFC 4954 §6, Postfix).
    pub const AUTH_SUCCEEDED: Self = Self::from_static(
        ReplyCode::AUTH_SUCCEEDED,
        Some(EnhancedCode::SECURITY_OK),
        "Authentication successful",
    );
    /// `535 5.7.8 Error: authentication failed` (RFC 4954 §6, Postfix's
    /// text).
    pub const AUTH_INVALID_CREDENTIALS: Self = Self::from_static(
        ReplyCode::AUTH_INVALID,
        Some(EnhancedCode::AUTH_INVALID),
        "Error: authentication failed",
    );
    /// `454 4.7.0 Temporary authentication failure` (RFC 4954 §6).
    pub const AUTH_TEMPORARY_FAILURE: Self = Self::from_static(
        ReplyCode::TEMPORARY_FAILURE,
        Some(EnhancedCode::SECURITY_TRANSIENT),
        "Temporary authentication failure",
    );
    /// `530 5.7.0 Authentication required` (RFC 4954 §6).
    pub const AUTH_REQUIRED: Self = Self::from_static(
        ReplyCode::AUTH_REQUIRED,
        Some(EnhancedCode::SECURITY),
        "Authentication required",
    );
    /// `550 5.1.1 Recipient address rejected: User unknown` (Postfix's
    /// text for an unknown local recipient).
    pub const USER_UNKNOWN: Self = Self::from_static(
        ReplyCode::MAILBOX_UNAVAILABLE,
        Some(EnhancedCode::BAD_DESTINATION_MAILBOX),
        "Recipient address rejected: User unknown",
    );
    /// `554 5.7.1 Relay access denied` (Postfix's text for a recipient in a
    /// domain that is not local, from a client that may not relay).
    pub const RELAY_DENIED: Self = Self::from_static(
        ReplyCode::TRANSACTION_FAILED,
        Some(EnhancedCode::NOT_AUTHORIZED),
        "Relay access denied",
    );
    /// `451 4.3.0 Error: queue file write error` (Postfix's text when a
    /// message cannot be stored).
    pub const STORE_FAILED: Self = Self::from_static(
        ReplyCode::LOCAL_ERROR,
        Some(EnhancedCode::SYSTEM_TRANSIENT),
        "Error: queue file write error",
    );
    /// `452 4.3.1 Insufficient system storage` (Postfix's text).
    pub const INSUFFICIENT_STORAGE: Self = Self::from_static(
        ReplyCode::INSUFFICIENT_STORAGE,
        Some(EnhancedCode::SYSTEM_FULL),
        "Insufficient system storage",
    );
    /// `552 5.3.4 Message size exceeds fixed limit` (RFC 1870 §6.1,
    /// Postfix's text).
    pub const MESSAGE_TOO_BIG: Self = Self::from_static(
        ReplyCode::EXCEEDED_STORAGE,
        Some(EnhancedCode::MESSAGE_TOO_BIG),
        "Message size exceeds fixed limit",
    );
    /// `421 4.7.0 Error: too many connections`, Postfix's refusal of a
    /// client over its connection limits (`smtpd_client_connection_count_limit`),
    /// for [`Server::refuse`](crate::server::Server::refuse).
    pub const TOO_MANY_CONNECTIONS: Self = Self::from_static(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        Some(EnhancedCode::SECURITY_TRANSIENT),
        "Error: too many connections",
    );
    /// `421 4.3.2 All server ports are busy`, Postfix's (postscreen's)
    /// refusal when no server process is free, for
    /// [`Server::refuse`](crate::server::Server::refuse).
    pub const ALL_PORTS_BUSY: Self = Self::from_static(
        ReplyCode::SERVICE_NOT_AVAILABLE,
        Some(EnhancedCode::SYSTEM_NOT_ACCEPTING),
        "All server ports are busy",
    );
    /// `554 5.3.2 Service currently unavailable` (Postfix's text, RFC 5321
    /// §3.1's 554 greeting), for
    /// [`Server::refuse`](crate::server::Server::refuse): the server then
    /// waits for QUIT.
    pub const NO_SERVICE: Self = Self::from_static(
        ReplyCode::TRANSACTION_FAILED,
        Some(EnhancedCode::SYSTEM_NOT_ACCEPTING_PERMANENT),
        "Service currently unavailable",
    );
    /// `452 4.5.3 Error: too many recipients` (RFC 5321 §4.5.3.1.10,
    /// Postfix's text).
    pub const TOO_MANY_RECIPIENTS: Self = Self::from_static(
        ReplyCode::INSUFFICIENT_STORAGE,
        Some(EnhancedCode::TOO_MANY_RECIPIENTS),
        "Error: too many recipients",
    );

    /// A one-line reply. Fails if `text` holds a CR, LF or another control
    /// octet other than HT.
    pub fn new(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        text: impl Into<Cow<'static, str>>,
    ) -> Result<Self, ValueError> {
        let text = text.into();
        check_text(text.as_bytes())?;
        Ok(Self {
            code,
            enhanced,
            text,
        })
    }

    /// A reply of one or more lines. Fails if there is no line, or a line
    /// holds a CR, LF or another control octet other than HT.
    pub fn multiline<I>(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        lines: I,
    ) -> Result<Self, ValueError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut text = String::new();
        let mut count = 0usize;
        for line in lines {
            let line = line.as_ref();
            check_text(line.as_bytes())?;
            if count > 0 {
                text.push('\n');
            }
            text.push_str(line);
            count += 1;
        }
        if count == 0 {
            return Err(ValueError::Empty);
        }
        Ok(Self {
            code,
            enhanced,
            text: Cow::Owned(text),
        })
    }

    /// A one-line reply from static text, for constants.
    ///
    /// # Panics
    ///
    /// If `text` holds a control octet other than HT; in a `const` that is
    /// a compile error.
    pub const fn from_static(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        text: &'static str,
    ) -> Self {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            assert!(
                b == b'\t' || (b >= 0x20 && b != 0x7f),
                "control octet in reply text"
            );
            i += 1;
        }
        Self {
            code,
            enhanced,
            text: Cow::Borrowed(text),
        }
    }

    /// A reply from lines already checked (the decoder's).
    pub(crate) fn from_checked(
        code: ReplyCode,
        enhanced: Option<EnhancedCode>,
        text: String,
    ) -> Self {
        Self {
            code,
            enhanced,
            text: Cow::Owned(text),
        }
    }

    /// The same reply with another enhanced status code.
    pub fn with_enhanced(mut self, enhanced: Option<EnhancedCode>) -> Self {
        self.enhanced = enhanced;
        self
    }

    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }

    /// The enhanced status code, if any.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        self.enhanced
    }

    /// The lines of text, without codes; at least one (possibly empty).
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }

    /// The text of the first line.
    pub fn first_line(&self) -> &str {
        self.text.split('\n').next().unwrap_or("")
    }

    /// How many lines the reply has.
    pub fn line_count(&self) -> usize {
        self.text.bytes().filter(|&b| b == b'\n').count() + 1
    }

    /// The text with its lines joined by LF.
    pub(crate) fn joined_text(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reply({self})")
    }
}

/// The first line as it goes on the wire, without CRLF, and `...` if more
/// lines follow.
impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(e) = self.enhanced {
            write!(f, " {e}")?;
        }
        let first = self.first_line();
        if !first.is_empty() {
            write!(f, " {first}")?;
        }
        if self.text.contains('\n') {
            f.write_str(" ...")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_follow_the_abnf() {
        for ok in [200, 211, 250, 354, 421, 559, 500] {
            assert!(ReplyCode::new(ok).is_ok(), "{ok}");
        }
        for bad in [0, 199, 160, 260, 600, 999, 1250] {
            assert!(ReplyCode::new(bad).is_err(), "{bad}");
        }
        assert_eq!(ReplyCode::OK.digits(), *b"250");
        assert!(ReplyCode::START_MAIL_INPUT.is_intermediate());
        assert!(ReplyCode::TRANSACTION_FAILED.is_permanent());
        assert!(ReplyCode::SERVICE_NOT_AVAILABLE.is_negative());
        assert!(!ReplyCode::CANNOT_VRFY.is_negative());
    }

    #[test]
    fn enhanced_codes() {
        assert_eq!(
            "2.1.5".parse::<EnhancedCode>(),
            Ok(EnhancedCode::RECIPIENT_OK)
        );
        assert_eq!("5.7.11".parse(), Ok(EnhancedCode::ENCRYPTION_REQUIRED));
        assert_eq!(
            "4.999.999".parse(),
            Ok(EnhancedCode::new(4, 999, 999).unwrap())
        );
        for bad in [
            "3.0.0", "2.0", "2..0", "2.1000.0", "2.0.0.", "x.0.0", "2.0.0x", "",
            // RFC 3463 §2: no leading zeros (the fuzzer's `2.0.021`, which
            // would have read back as `2.0.21`).
            "2.0.021", "2.00.0", "5.07.1",
        ] {
            assert!(bad.parse::<EnhancedCode>().is_err(), "{bad}");
        }
        assert_eq!(
            EnhancedCode::parse_prefix(b"5.5.2 Syntax error"),
            Some((EnhancedCode::SYNTAX_ERROR, 5))
        );
        assert_eq!(EnhancedCode::parse_prefix(b"5.5.2x"), None);
        assert_eq!(
            EnhancedCode::parse_prefix(b"2.0.0"),
            Some((EnhancedCode::OK, 5))
        );
        assert_eq!(
            EnhancedCode::MESSAGE_TOO_BIG.with_class(4),
            EnhancedCode::new(4, 3, 4)
        );
        assert!(EnhancedCode::new(3, 0, 0).is_err());
    }

    #[test]
    fn reply_text_cannot_break_the_line() {
        assert_eq!(
            Reply::new(ReplyCode::OK, None, "a\r\nb"),
            Err(ValueError::InvalidOctet(b'\r'))
        );
        assert_eq!(
            Reply::new(ReplyCode::OK, None, "a\nb"),
            Err(ValueError::InvalidOctet(b'\n'))
        );
        assert_eq!(
            Reply::new(ReplyCode::OK, None, "nul\0"),
            Err(ValueError::InvalidOctet(0))
        );
        assert_eq!(
            Reply::multiline(ReplyCode::OK, None, ["ok", "bad\r"]),
            Err(ValueError::InvalidOctet(b'\r'))
        );
        assert_eq!(
            Reply::multiline(ReplyCode::OK, None, Vec::<String>::new()),
            Err(ValueError::Empty)
        );
        let r = Reply::new(ReplyCode::OK, None, "tab\tand ünïcode").unwrap();
        assert_eq!(r.first_line(), "tab\tand ünïcode");
    }

    #[test]
    fn lines_and_display() {
        let r = Reply::multiline(
            ReplyCode::OK,
            None,
            ["foo.com greets bar.com", "8BITMIME", ""],
        )
        .unwrap();
        assert_eq!(r.line_count(), 3);
        assert_eq!(
            r.lines().collect::<Vec<_>>(),
            ["foo.com greets bar.com", "8BITMIME", ""]
        );
        assert_eq!(r.to_string(), "250 foo.com greets bar.com ...");
        assert_eq!(
            Reply::MESSAGE_TOO_BIG.to_string(),
            "552 5.3.4 Message size exceeds fixed limit"
        );
        let bare = Reply::new(ReplyCode::AUTH_CONTINUE, None, "").unwrap();
        assert_eq!(bare.to_string(), "334");
        assert_eq!(bare.line_count(), 1);
    }
}
