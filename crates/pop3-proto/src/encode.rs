//! The grammar, written into a caller's [`BytesMut`].
//!
//! Every function appends one whole line with its CRLF. Text that the caller
//! supplies (a response's text, a user name) cannot break out of its line:
//! CR, LF and other controls are written as `?`.
//!
//! ```
//! use bytes::BytesMut;
//! use pop3_proto::{encode, Command, MessageNumber};
//!
//! let mut out = BytesMut::new();
//! encode::command(&Command::Retr { message: MessageNumber::MIN }, &mut out);
//! assert_eq!(&out[..], b"RETR 1\r\n");
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::BytesMut;

use crate::types::number::put_decimal;
use crate::{
    Capability, Command, DropListing, Response, SaslResponse, ScanListing, Status, UidListing,
};

/// Appends a command line.
pub fn command(cmd: &Command<'_>, out: &mut BytesMut) {
    out.extend_from_slice(cmd.keyword().as_bytes());
    match cmd {
        Command::User { name } => {
            out.extend_from_slice(b" ");
            put_text(out, name.as_bytes());
        }
        Command::Pass { password } => {
            out.extend_from_slice(b" ");
            put_line_safe(out, password.expose());
        }
        Command::Apop { name, digest } => {
            out.extend_from_slice(b" ");
            put_text(out, name.as_bytes());
            out.extend_from_slice(b" ");
            digest.encode(out);
        }
        Command::Auth {
            mechanism,
            initial_response,
        } => {
            out.extend_from_slice(b" ");
            out.extend_from_slice(mechanism.as_str().as_bytes());
            if let Some(ir) = initial_response {
                out.extend_from_slice(b" ");
                if ir.expose().is_empty() {
                    out.extend_from_slice(b"=");
                } else {
                    put_base64(out, ir.expose());
                }
            }
        }
        Command::List { message } | Command::Uidl { message } => {
            if let Some(message) = message {
                out.extend_from_slice(b" ");
                put_decimal(out, u64::from(message.get()));
            }
        }
        Command::Retr { message } | Command::Dele { message } => {
            out.extend_from_slice(b" ");
            put_decimal(out, u64::from(message.get()));
        }
        Command::Top { message, lines } => {
            out.extend_from_slice(b" ");
            put_decimal(out, u64::from(message.get()));
            out.extend_from_slice(b" ");
            put_decimal(out, *lines);
        }
        Command::AuthList
        | Command::Stat
        | Command::Noop
        | Command::Rset
        | Command::Quit
        | Command::Capa
        | Command::Stls
        | Command::Utf8 => {}
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends a client's line in a SASL exchange: base64, or `*` to cancel
/// (RFC 5034 §4). The empty response is an empty line.
pub fn sasl_response(response: &SaslResponse, out: &mut BytesMut) {
    match response {
        SaslResponse::Data(data) => put_base64(out, data.expose()),
        SaslResponse::Cancel => out.extend_from_slice(b"*"),
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends a status line: `+OK` or `-ERR`, the response code, the text.
pub fn response(response: &Response<'_>, out: &mut BytesMut) {
    out.extend_from_slice(response.status.as_str().as_bytes());
    if let Some(code) = &response.code {
        out.extend_from_slice(b" [");
        out.extend_from_slice(code.as_str().as_bytes());
        out.extend_from_slice(b"]");
    }
    if !response.text.is_empty() {
        out.extend_from_slice(b" ");
        let start = out.len();
        put_text(out, response.text.as_bytes());
        // Without a code, text that opens with "[" would read as one
        // (RFC 2449 §8: RESP-CODES servers only open a code with "[").
        if response.code.is_none() && out[start] == b'[' {
            out[start] = b'(';
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends a SASL server challenge: `+ ` and the data in base64; an empty
/// challenge is `+ ` alone (RFC 5034 §4).
pub fn challenge(data: &[u8], out: &mut BytesMut) {
    out.extend_from_slice(b"+ ");
    put_base64(out, data);
    out.extend_from_slice(b"\r\n");
}

/// Appends STAT's reply: `+OK nn mm` (RFC 1939 §5).
pub fn drop_listing(listing: &DropListing, out: &mut BytesMut) {
    out.extend_from_slice(Status::Ok.as_str().as_bytes());
    out.extend_from_slice(b" ");
    put_decimal(out, u64::from(listing.count));
    out.extend_from_slice(b" ");
    put_decimal(out, listing.size);
    out.extend_from_slice(b"\r\n");
}

/// Appends a scan listing line: `msg size` (RFC 1939 §5).
pub fn scan_listing(listing: &ScanListing, out: &mut BytesMut) {
    put_decimal(out, u64::from(listing.message.get()));
    out.extend_from_slice(b" ");
    put_decimal(out, listing.size);
    out.extend_from_slice(b"\r\n");
}

/// Appends a unique-id listing line: `msg unique-id` (RFC 1939 §7).
pub fn uid_listing(listing: &UidListing, out: &mut BytesMut) {
    put_decimal(out, u64::from(listing.message.get()));
    out.extend_from_slice(b" ");
    out.extend_from_slice(listing.uid.as_str().as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// Appends a capability line (RFC 2449 §5).
pub fn capability(capability: &Capability, out: &mut BytesMut) {
    capability.encode(out);
}

/// Appends the line that ends a multi-line response: `.` CRLF (RFC 1939 §3).
pub fn terminator(out: &mut BytesMut) {
    out.extend_from_slice(b".\r\n");
}

/// Appends text with every control octet (CR and LF among them) as `?`.
pub(crate) fn put_text(out: &mut BytesMut, text: &[u8]) {
    let start = out.len();
    out.extend_from_slice(text);
    for b in &mut out[start..] {
        if b.is_ascii_control() {
            *b = b'?';
        }
    }
}

/// Appends octets that must only not end the line: LF as `?` (a CR alone
/// ends no line, and a password may hold one).
fn put_line_safe(out: &mut BytesMut, bytes: &[u8]) {
    let start = out.len();
    out.extend_from_slice(bytes);
    for b in &mut out[start..] {
        if *b == b'\n' {
            *b = b'?';
        }
    }
}

fn put_base64(out: &mut BytesMut, data: &[u8]) {
    let start = out.len();
    let len = base64::encoded_len(data.len(), true).unwrap_or(0);
    out.resize(start + len, 0);
    let written = STANDARD.encode_slice(data, &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::{ApopDigest, Mechanism, MessageNumber, ResponseCode, Secret, UniqueId};

    fn line(cmd: Command<'_>) -> String {
        let mut out = BytesMut::new();
        command(&cmd, &mut out);
        String::from_utf8(out.to_vec()).unwrap()
    }

    fn n(n: u32) -> MessageNumber {
        MessageNumber::new(n).unwrap()
    }

    #[test]
    fn commands() {
        assert_eq!(line(Command::Stat), "STAT\r\n");
        assert_eq!(line(Command::List { message: None }), "LIST\r\n");
        assert_eq!(
            line(Command::List {
                message: Some(n(2))
            }),
            "LIST 2\r\n"
        );
        assert_eq!(
            line(Command::Top {
                message: n(1),
                lines: 99_999_999
            }),
            "TOP 1 99999999\r\n"
        );
        assert_eq!(
            line(Command::User {
                name: "mrose".into()
            }),
            "USER mrose\r\n"
        );
        assert_eq!(
            line(Command::Pass {
                password: Secret::new(Cow::Borrowed(&b"tan staaf"[..]))
            }),
            "PASS tan staaf\r\n"
        );
        assert_eq!(
            line(Command::Apop {
                name: "mrose".into(),
                digest: "c4c9334bac560ecc979e58001b3e22fb"
                    .parse::<ApopDigest>()
                    .unwrap()
            }),
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
        );
        assert_eq!(
            line(Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: Some(Secret::new(b"test\0test\0test".to_vec()))
            }),
            "AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=\r\n"
        );
        assert_eq!(
            line(Command::Auth {
                mechanism: Mechanism::PLAIN,
                initial_response: Some(Secret::new(Vec::new()))
            }),
            "AUTH PLAIN =\r\n"
        );
        assert_eq!(line(Command::AuthList), "AUTH\r\n");
        assert_eq!(line(Command::Utf8), "UTF8\r\n");
    }

    #[test]
    fn arguments_cannot_inject_lines() {
        assert_eq!(
            line(Command::User {
                name: "a\r\nDELE 1".into()
            }),
            "USER a??DELE 1\r\n"
        );
        assert_eq!(
            line(Command::Pass {
                password: Secret::new(Cow::Borrowed(&b"p\r\nQUIT"[..]))
            }),
            "PASS p\r?QUIT\r\n"
        );
    }

    #[test]
    fn responses() {
        let mut out = BytesMut::new();
        response(&Response::ok("2 320"), &mut out);
        response(&Response::ok(""), &mut out);
        response(
            &Response::err("").with_code(ResponseCode::SYS_TEMP),
            &mut out,
        );
        response(&Response::err("no\r\nsuch"), &mut out);
        response(&Response::err("[bracket] text"), &mut out);
        assert_eq!(
            &out[..],
            b"+OK 2 320\r\n+OK\r\n-ERR [SYS/TEMP]\r\n-ERR no??such\r\n-ERR (bracket] text\r\n"
        );
    }

    #[test]
    fn sasl() {
        let mut out = BytesMut::new();
        challenge(b"", &mut out);
        challenge(b"rspauth=0b971462cef5e8f930db9a33b02fc9a0", &mut out);
        sasl_response(&SaslResponse::Cancel, &mut out);
        sasl_response(&SaslResponse::Data(Secret::new(Vec::new())), &mut out);
        assert_eq!(
            &out[..],
            &b"+ \r\n+ cnNwYXV0aD0wYjk3MTQ2MmNlZjVlOGY5MzBkYjlhMzNiMDJmYzlhMA==\r\n*\r\n\r\n"[..]
        );
    }

    #[test]
    fn listings() {
        let mut out = BytesMut::new();
        drop_listing(
            &DropListing {
                count: 2,
                size: 320,
            },
            &mut out,
        );
        scan_listing(
            &ScanListing {
                message: n(1),
                size: 120,
            },
            &mut out,
        );
        uid_listing(
            &UidListing {
                message: n(1),
                uid: UniqueId::try_from("whqtswO00WBw418f9t5JxYwZ").unwrap(),
            },
            &mut out,
        );
        terminator(&mut out);
        assert_eq!(
            &out[..],
            b"+OK 2 320\r\n1 120\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n.\r\n"
        );
    }
}
