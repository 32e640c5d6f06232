//! The grammar, written into a caller's [`BytesMut`].
//!
//! Every function appends one whole line with its CRLF. A value that cannot
//! be written so that it decodes back to itself is refused with an
//! [`EncodeError`], never altered: an encoder that rewrote a LF in a password
//! as `?` would send a password other than the one it was given.
//!
//! ```
//! use std::borrow::Cow;
//! use bytes::BytesMut;
//! use pop3_proto::{encode, Command, EncodeError, MessageNumber, Secret};
//!
//! let mut out = BytesMut::new();
//! encode::command(&Command::Retr { message: MessageNumber::MIN }, &mut out)?;
//! assert_eq!(&out[..], b"RETR 1\r\n");
//!
//! let pass = Command::Pass { password: Secret::new(Cow::Borrowed(&b"a\nQUIT"[..])) };
//! assert_eq!(
//!     encode::command(&pass, &mut out),
//!     Err(EncodeError::InvalidOctet { offset: 1, octet: b'\n' }),
//! );
//! assert_eq!(&out[..], b"RETR 1\r\n"); // nothing written
//! # Ok::<(), EncodeError>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::BytesMut;

use crate::types::number::put_decimal;
use crate::{
    Capability, Command, DropListing, EncodeError, Response, SaslResponse, ScanListing, Status,
    UidListing,
};

/// Appends a command line.
///
/// Refused, with nothing written: an empty USER or APOP name or PASS
/// password; a name with a control character (the decoder takes none); a
/// password with a LF or a NUL. A password may hold spaces and CRs: they
/// travel as they are (RFC 1939 §7).
pub fn command(cmd: &Command<'_>, out: &mut BytesMut) -> Result<(), EncodeError> {
    match cmd {
        Command::User { name } | Command::Apop { name, .. } => check_name(name.as_bytes())?,
        Command::Pass { password } => check_password(password.expose())?,
        _ => {}
    }
    out.extend_from_slice(cmd.keyword().as_bytes());
    match cmd {
        Command::User { name } => {
            out.extend_from_slice(b" ");
            out.extend_from_slice(name.as_bytes());
        }
        Command::Pass { password } => {
            out.extend_from_slice(b" ");
            out.extend_from_slice(password.expose());
        }
        Command::Apop { name, digest } => {
            out.extend_from_slice(b" ");
            out.extend_from_slice(name.as_bytes());
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
    Ok(())
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
///
/// Refused, with nothing written: text with a LF, and text that opens with
/// a valid `[code]` on a response without a code (RFC 2449 §8: a client
/// would read it as the code).
pub fn response(response: &Response<'_>, out: &mut BytesMut) -> Result<(), EncodeError> {
    let text = response.text.as_bytes();
    if let Some(offset) = memchr::memchr(b'\n', text) {
        return Err(EncodeError::InvalidOctet {
            offset,
            octet: b'\n',
        });
    }
    if response.code.is_none() && crate::decode::split_code(text).0.is_some() {
        return Err(EncodeError::TextReadsAsCode);
    }
    out.extend_from_slice(response.status.as_str().as_bytes());
    if let Some(code) = &response.code {
        out.extend_from_slice(b" [");
        out.extend_from_slice(code.as_str().as_bytes());
        out.extend_from_slice(b"]");
    }
    if !text.is_empty() {
        out.extend_from_slice(b" ");
        out.extend_from_slice(text);
    }
    out.extend_from_slice(b"\r\n");
    Ok(())
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

/// Appends text with every control octet (CR and LF among them) as `?`: for
/// the server's own replies, whose text quotes what a client sent.
pub(crate) fn put_text(out: &mut BytesMut, text: &[u8]) {
    let start = out.len();
    out.extend_from_slice(text);
    for b in &mut out[start..] {
        if b.is_ascii_control() {
            *b = b'?';
        }
    }
}

/// A USER or APOP name as the decoder takes it: not empty, no control
/// character.
fn check_name(name: &[u8]) -> Result<(), EncodeError> {
    if name.is_empty() {
        return Err(EncodeError::EmptyArgument);
    }
    match name.iter().position(u8::is_ascii_control) {
        Some(offset) => Err(EncodeError::InvalidOctet {
            offset,
            octet: name[offset],
        }),
        None => Ok(()),
    }
}

/// A PASS argument as the decoder takes it: not empty, no LF (it would end
/// the line), no NUL (RFC 1939 §3).
fn check_password(password: &[u8]) -> Result<(), EncodeError> {
    if password.is_empty() {
        return Err(EncodeError::EmptyArgument);
    }
    match password.iter().position(|&b| b == b'\n' || b == 0) {
        Some(offset) => Err(EncodeError::InvalidOctet {
            offset,
            octet: password[offset],
        }),
        None => Ok(()),
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
        command(&cmd, &mut out).unwrap();
        String::from_utf8(out.to_vec()).unwrap()
    }

    fn refused(cmd: Command<'_>) -> EncodeError {
        let mut out = BytesMut::from(&b"before"[..]);
        let e = command(&cmd, &mut out).unwrap_err();
        assert_eq!(&out[..], b"before", "nothing is written");
        e
    }

    fn pass(password: &[u8]) -> Command<'_> {
        Command::Pass {
            password: Secret::new(Cow::Borrowed(password)),
        }
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

    /// An argument that cannot travel as it is is refused, never rewritten:
    /// a LF would end the line (and let a password inject `QUIT`), a NUL is
    /// what the decoder refuses (RFC 1939 §3: printable ASCII).
    #[test]
    fn arguments_that_cannot_be_encoded_are_refused() {
        assert_eq!(
            refused(Command::User {
                name: "a\r\nDELE 1".into()
            }),
            EncodeError::InvalidOctet {
                offset: 1,
                octet: b'\r'
            }
        );
        assert_eq!(
            refused(Command::User {
                name: "a\tb".into()
            }),
            EncodeError::InvalidOctet {
                offset: 1,
                octet: b'\t'
            }
        );
        assert_eq!(
            refused(Command::User { name: "".into() }),
            EncodeError::EmptyArgument
        );
        assert_eq!(
            refused(Command::Apop {
                name: "mr\0se".into(),
                digest: "c4c9334bac560ecc979e58001b3e22fb".parse().unwrap(),
            }),
            EncodeError::InvalidOctet {
                offset: 2,
                octet: 0
            }
        );
        assert_eq!(
            refused(pass(b"p\r\nQUIT")),
            EncodeError::InvalidOctet {
                offset: 2,
                octet: b'\n'
            }
        );
        assert_eq!(
            refused(pass(b"nul\0")),
            EncodeError::InvalidOctet {
                offset: 3,
                octet: 0
            }
        );
        assert_eq!(refused(pass(b"")), EncodeError::EmptyArgument);
        // Spaces and a CR are part of a password and decode back as sent.
        for password in [&b" spaced  out "[..], b"cr\rinside", b"ends in cr\r"] {
            let wire = line(pass(password));
            let (decoded, used) = crate::decode::command(wire.as_bytes()).unwrap();
            assert_eq!(used, wire.len());
            assert_eq!(decoded, pass(password));
        }
    }

    #[test]
    fn responses() {
        let mut out = BytesMut::new();
        response(&Response::ok("2 320"), &mut out).unwrap();
        response(&Response::ok(""), &mut out).unwrap();
        response(
            &Response::err("").with_code(ResponseCode::SYS_TEMP),
            &mut out,
        )
        .unwrap();
        // Brackets that are no response code, controls and a CR travel as
        // they are.
        response(&Response::err("[not a code] text"), &mut out).unwrap();
        response(&Response::err("tab\there, cr\rthere"), &mut out).unwrap();
        // With a code of its own, text may open with a bracket.
        response(
            &Response::err("[IN-USE] text").with_code(ResponseCode::AUTH),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            &out[..],
            &b"+OK 2 320\r\n+OK\r\n-ERR [SYS/TEMP]\r\n-ERR [not a code] text\r\n\
               -ERR tab\there, cr\rthere\r\n-ERR [AUTH] [IN-USE] text\r\n"[..]
        );
        // What cannot be written as it is is refused, and nothing written.
        let before = out.len();
        assert_eq!(
            response(&Response::err("no\r\nsuch"), &mut out),
            Err(EncodeError::InvalidOctet {
                offset: 3,
                octet: b'\n'
            })
        );
        // RFC 2449 §8: a RESP-CODES client reads "[IN-USE]" as the code.
        assert_eq!(
            response(&Response::err("[IN-USE] text"), &mut out),
            Err(EncodeError::TextReadsAsCode)
        );
        assert_eq!(out.len(), before);
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
