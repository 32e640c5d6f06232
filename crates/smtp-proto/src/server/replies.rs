//! The replies the server makes on its own, in Postfix's wording where RFC
//! 5321 leaves the text free, and the reply to each kind of malformed
//! command.

use crate::{EnhancedCode as E, ErrorKind, Reply, ReplyCode as C};

const fn r(code: C, enhanced: E, text: &'static str) -> Reply {
    Reply::from_static(code, Some(enhanced), text)
}

pub(super) const UNKNOWN_COMMAND: Reply = r(
    C::SYNTAX_ERROR,
    E::SYNTAX_ERROR,
    "Error: command not recognized",
);
pub(super) const BAD_SYNTAX: Reply = r(C::SYNTAX_ERROR, E::SYNTAX_ERROR, "Error: bad syntax");
pub(super) const BAD_UTF8: Reply = r(C::SYNTAX_ERROR, E::SYNTAX_ERROR, "Error: bad UTF-8 syntax");
pub(super) const LINE_TOO_LONG: Reply = r(C::SYNTAX_ERROR, E::SYNTAX_ERROR, "Error: line too long");
pub(super) const NOT_IMPLEMENTED: Reply = r(
    C::NOT_IMPLEMENTED,
    E::INVALID_COMMAND,
    "Error: command not implemented",
);
pub(super) const SEND_HELO_FIRST: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: send HELO/EHLO first",
);
pub(super) const SEND_LHLO_FIRST: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: send LHLO first",
);
pub(super) const USE_LHLO: Reply = r(
    C::SYNTAX_ERROR,
    E::INVALID_COMMAND,
    "Error: LMTP clients send LHLO",
);
pub(super) const NESTED_MAIL: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: nested MAIL command",
);
pub(super) const NEED_MAIL: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: need MAIL command",
);
pub(super) const NEED_RCPT: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: need RCPT command",
);
pub(super) const NO_VALID_RECIPIENTS: Reply = r(
    C::TRANSACTION_FAILED,
    E::INVALID_COMMAND,
    "Error: no valid recipients",
);
pub(super) const DATA_AFTER_BDAT: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: DATA and BDAT in one transaction",
);
pub(super) const BINARYMIME_NEEDS_BDAT: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: BODY=BINARYMIME requires BDAT",
);
pub(super) const BDAT_IN_PROGRESS: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: BDAT in progress",
);
pub(super) const IN_TRANSACTION: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: MAIL transaction in progress",
);
pub(super) const STARTTLS_FIRST: Reply = r(
    C::AUTH_REQUIRED,
    E::SECURITY,
    "Must issue a STARTTLS command first",
);
pub(super) const TLS_ACTIVE: Reply = r(
    C::TRANSACTION_FAILED,
    E::INVALID_COMMAND,
    "Error: TLS already active",
);
/// After a `554` greeting (RFC 5321 §3.1; Postfix's text, without the
/// client's name).
pub(super) const ACCESS_DENIED: Reply = r(C::BAD_SEQUENCE, E::SECURITY, "Error: access denied");
pub(super) const READY_FOR_TLS: Reply = r(C::READY, E::OK, "Ready to start TLS");
pub(super) const NON_ASCII_SENDER: Reply = r(
    C::MAILBOX_UNAVAILABLE,
    E::NON_ASCII_ADDRESS,
    "Must declare SMTPUTF8 to send unicode address",
);
pub(super) const NON_ASCII_RECIPIENT: Reply = r(
    C::MAILBOX_NAME_NOT_ALLOWED,
    E::NON_ASCII_ADDRESS,
    "Must declare SMTPUTF8 to send unicode address",
);
pub(super) const BARE_LINE_ENDING: Reply = r(
    C::MAILBOX_UNAVAILABLE,
    E::SYNTAX_ERROR,
    "Error: bare <CR> or <LF> received",
);
pub(super) const PIPELINING_VIOLATION: Reply = r(
    C::TRANSACTION_FAILED,
    E::PROTOCOL_ERROR,
    "Error: SMTP protocol synchronization",
);
pub(super) const VRFY_CANNOT: Reply = r(
    C::CANNOT_VRFY,
    E::OK,
    "Cannot VRFY user, but will accept message and attempt delivery",
);
pub(super) const VRFY_DISABLED: Reply = r(
    C::NOT_IMPLEMENTED,
    E::INVALID_COMMAND,
    "VRFY command is disabled",
);
pub(super) const HELP: Reply = r(
    C::HELP,
    E::OK,
    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP AUTH STARTTLS",
);
pub(super) const AUTH_NOT_ENABLED: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: authentication not enabled",
);
pub(super) const ALREADY_AUTHENTICATED: Reply = r(
    C::BAD_SEQUENCE,
    E::INVALID_COMMAND,
    "Error: already authenticated",
);
pub(super) const UNKNOWN_MECHANISM: Reply = r(
    C::PARAMETER_NOT_IMPLEMENTED,
    E::INVALID_ARGUMENTS,
    "Unrecognized authentication type",
);
pub(super) const AUTH_ABORTED: Reply = r(
    C::PARAMETER_SYNTAX_ERROR,
    E::SECURITY,
    "Authentication aborted",
);
pub(super) const AUTH_BAD_BASE64: Reply = r(
    C::PARAMETER_SYNTAX_ERROR,
    E::SYNTAX_ERROR,
    "Cannot decode response",
);
pub(super) const AUTH_LINE_TOO_LONG: Reply = r(
    C::SYNTAX_ERROR,
    E::AUTH_LINE_TOO_LONG,
    "Authentication Exchange line is too long",
);

/// `555 5.5.4 Unsupported option: KEYWORD` (Postfix's text; RFC 5321
/// §4.1.1.11).
pub(super) fn unsupported(keyword: &str) -> Reply {
    Reply::new(
        C::PARAMETERS_NOT_RECOGNIZED,
        Some(E::INVALID_ARGUMENTS),
        format!("Unsupported option: {keyword}"),
    )
    .unwrap_or(UNKNOWN_COMMAND)
}

/// A reply whose text names the server (`421 ... hostname Error: ...`).
pub(super) fn with_hostname(code: C, enhanced: E, hostname: &str, text: &str) -> Reply {
    Reply::new(code, Some(enhanced), format!("{hostname} {text}"))
        .unwrap_or_else(|_| Reply::new(code, Some(enhanced), text.to_owned()).unwrap_or(BAD_SYNTAX))
}

/// The reply to a command line that does not parse, by verb and error.
pub(super) fn for_decode_error(verb: Option<&'static str>, kind: Option<ErrorKind>) -> Reply {
    let Some(verb) = verb else {
        return match kind {
            Some(ErrorKind::EmptyLine) => BAD_SYNTAX,
            _ => UNKNOWN_COMMAND,
        };
    };
    if kind == Some(ErrorKind::InvalidUtf8) {
        return BAD_UTF8;
    }
    let syntax = |text: &'static str| r(C::PARAMETER_SYNTAX_ERROR, E::INVALID_ARGUMENTS, text);
    let address = matches!(
        kind,
        Some(
            ErrorKind::InvalidPath
                | ErrorKind::InvalidLocalPart
                | ErrorKind::InvalidDomain
                | ErrorKind::InvalidAddressLiteral
        )
    );
    match verb {
        "EHLO" => syntax("Syntax: EHLO hostname"),
        "HELO" => syntax("Syntax: HELO hostname"),
        "LHLO" => syntax("Syntax: LHLO hostname"),
        "MAIL" | "RCPT" => match kind {
            Some(ErrorKind::MissingFromTo) if verb == "MAIL" => {
                syntax("Syntax: MAIL FROM:<address>")
            }
            Some(ErrorKind::MissingFromTo) => syntax("Syntax: RCPT TO:<address>"),
            _ if address && verb == "MAIL" => r(
                C::PARAMETER_SYNTAX_ERROR,
                E::BAD_SENDER_SYNTAX,
                "Bad sender address syntax",
            ),
            _ if address => r(
                C::PARAMETER_SYNTAX_ERROR,
                E::BAD_DESTINATION_SYNTAX,
                "Bad recipient address syntax",
            ),
            Some(ErrorKind::InvalidNumber | ErrorKind::NumberTooLarge) => {
                syntax("Bad message size syntax")
            }
            Some(ErrorKind::InvalidBody) => syntax("Bad BODY keyword value"),
            Some(ErrorKind::InvalidRet) => syntax("Bad RET parameter syntax"),
            Some(ErrorKind::InvalidXtext) => syntax("Bad xtext parameter syntax"),
            Some(ErrorKind::InvalidPriority) => syntax("Bad MT-PRIORITY parameter syntax"),
            Some(ErrorKind::InvalidNotify) => syntax("Bad NOTIFY parameter syntax"),
            Some(ErrorKind::InvalidOrcpt) => syntax("Bad ORCPT parameter syntax"),
            Some(ErrorKind::DuplicateParameter) => syntax("Error: duplicate parameter"),
            _ => syntax("Error: bad parameter syntax"),
        },
        "DATA" => syntax("Syntax: DATA"),
        "RSET" => syntax("Syntax: RSET"),
        "QUIT" => syntax("Syntax: QUIT"),
        // RFC 3207 §4: "501 Syntax error (no parameters allowed)".
        "STARTTLS" => syntax("Syntax: STARTTLS"),
        "BDAT" => syntax("Syntax: BDAT count [LAST]"),
        "VRFY" => syntax("Syntax: VRFY address"),
        "EXPN" => syntax("Syntax: EXPN mailing-list"),
        "AUTH" if kind == Some(ErrorKind::InvalidBase64) => AUTH_BAD_BASE64,
        "AUTH" => syntax("Syntax: AUTH mechanism"),
        _ => syntax("Error: bad syntax"),
    }
}
