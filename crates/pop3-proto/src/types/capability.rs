//! CAPA's capabilities (RFC 2449 §5, §6; RFC 2595 §4; RFC 3206; RFC 6856).

use bytes::BytesMut;

use crate::types::number::{parse_u32, put_decimal};
use crate::{DecodeError, ErrorKind, Mechanism};

/// One line of a CAPA response (RFC 2449 §5):
///
/// ```text
/// capability = capa-tag *(SP param) CRLF   ;512 octets maximum
/// capa-tag   = 1*cchar
/// cchar      = %x21-2D / %x2F-7F           ;printable ASCII, excluding "."
/// param      = 1*VCHAR
/// ```
///
/// The registered capabilities have variants; anything else is
/// [`Other`](Self::Other), kept as sent. Tags are case-insensitive on input and
/// written in upper case.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Capability {
    /// `TOP` (RFC 2449 §6.1): the TOP command.
    Top,
    /// `USER` (RFC 2449 §6.2): USER and PASS.
    User,
    /// `SASL mech...` (RFC 2449 §6.3, RFC 5034): AUTH with these mechanisms.
    Sasl(Vec<Mechanism>),
    /// `RESP-CODES` (RFC 2449 §6.4): `[` at the start of a response's text
    /// opens a response code.
    RespCodes,
    /// `AUTH-RESP-CODE` (RFC 3206 §6): login failures due to the credentials
    /// carry `[AUTH]`.
    AuthRespCode,
    /// `LOGIN-DELAY n [USER]` (RFC 2449 §6.5): the minimum seconds between
    /// logins; `per_user` when a more exact value follows login.
    LoginDelay {
        /// Minimum seconds between logins.
        seconds: u32,
        /// The `USER` token: the value may differ after login.
        per_user: bool,
    },
    /// `PIPELINING` (RFC 2449 §6.6): the server takes commands without
    /// waiting and answers them in order.
    Pipelining,
    /// `EXPIRE policy [USER]` (RFC 2449 §6.7): how long messages stay.
    Expire {
        /// The retention policy.
        policy: Expire,
        /// The `USER` token: the value may differ after login.
        per_user: bool,
    },
    /// `UIDL` (RFC 2449 §6.8): the UIDL command.
    Uidl,
    /// `IMPLEMENTATION text` (RFC 2449 §6.9): what the server is.
    Implementation(String),
    /// `STLS` (RFC 2595 §4): TLS may be started now.
    Stls,
    /// `UTF8 [USER]` (RFC 6856 §2): the UTF8 command; `user` when user names
    /// and passwords may be UTF-8.
    Utf8 {
        /// The `USER` argument.
        user: bool,
    },
    /// A capability this crate does not model, as sent.
    Other {
        /// The tag.
        tag: String,
        /// The parameters.
        params: Vec<String>,
    },
}

/// EXPIRE's argument (RFC 2449 §6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expire {
    /// `NEVER`: the server does not delete messages.
    Never,
    /// The server keeps messages at least this many days; 0 means the client
    /// may not leave mail on the server.
    Days(u32),
}

impl Capability {
    /// Parses one capability line, without its CRLF.
    pub fn decode(line: &[u8]) -> Result<Self, DecodeError> {
        let mut words = line.split(|&b| b == b' ').filter(|w| !w.is_empty());
        let tag = words
            .next()
            .ok_or(DecodeError::at(0, ErrorKind::InvalidCapability))?;
        if let Some(pos) = tag.iter().position(|&b| !is_cchar(b)) {
            return Err(DecodeError::at(pos, ErrorKind::InvalidCapability));
        }
        if let Some(pos) = line.iter().position(|&b| b != b' ' && !is_vchar(b)) {
            return Err(DecodeError::at(pos, ErrorKind::InvalidCharacter));
        }
        let params: Vec<&[u8]> = words.collect();
        let upper = tag.to_ascii_uppercase();
        let known = match (upper.as_slice(), params.as_slice()) {
            (b"TOP", []) => Some(Self::Top),
            (b"USER", []) => Some(Self::User),
            (b"RESP-CODES", []) => Some(Self::RespCodes),
            (b"AUTH-RESP-CODE", []) => Some(Self::AuthRespCode),
            (b"PIPELINING", []) => Some(Self::Pipelining),
            (b"UIDL", []) => Some(Self::Uidl),
            (b"STLS", []) => Some(Self::Stls),
            (b"UTF8", []) => Some(Self::Utf8 { user: false }),
            (b"UTF8", [user]) if user.eq_ignore_ascii_case(b"USER") => {
                Some(Self::Utf8 { user: true })
            }
            (b"SASL", mechs) => Some(Self::Sasl(
                mechs
                    .iter()
                    .filter_map(|m| Mechanism::try_from(*m).ok())
                    .collect(),
            )),
            (b"IMPLEMENTATION", words) if !words.is_empty() => {
                Some(Self::Implementation(join(words)))
            }
            (b"LOGIN-DELAY", [n, rest @ ..]) => match (parse_whole_u32(n), rest) {
                (Some(seconds), []) => Some(Self::LoginDelay {
                    seconds,
                    per_user: false,
                }),
                (Some(seconds), [user]) if user.eq_ignore_ascii_case(b"USER") => {
                    Some(Self::LoginDelay {
                        seconds,
                        per_user: true,
                    })
                }
                _ => None,
            },
            (b"EXPIRE", [policy, rest @ ..]) => {
                let policy = if policy.eq_ignore_ascii_case(b"NEVER") {
                    Some(Expire::Never)
                } else {
                    parse_whole_u32(policy).map(Expire::Days)
                };
                match (policy, rest) {
                    (Some(policy), []) => Some(Self::Expire {
                        policy,
                        per_user: false,
                    }),
                    (Some(policy), [user]) if user.eq_ignore_ascii_case(b"USER") => {
                        Some(Self::Expire {
                            policy,
                            per_user: true,
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        Ok(known.unwrap_or_else(|| Self::Other {
            tag: String::from_utf8_lossy(tag).into_owned(),
            params: params
                .iter()
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect(),
        }))
    }

    /// Appends the capability line with its CRLF. Octets that a capability
    /// line cannot carry (controls, and `.` at the start of a tag) are written
    /// as `?`, so no caller-supplied text can end the list or inject a line.
    pub fn encode(&self, out: &mut BytesMut) {
        match self {
            Self::Top => out.extend_from_slice(b"TOP"),
            Self::User => out.extend_from_slice(b"USER"),
            Self::Sasl(mechs) => {
                out.extend_from_slice(b"SASL");
                for m in mechs {
                    out.extend_from_slice(b" ");
                    out.extend_from_slice(m.as_str().as_bytes());
                }
            }
            Self::RespCodes => out.extend_from_slice(b"RESP-CODES"),
            Self::AuthRespCode => out.extend_from_slice(b"AUTH-RESP-CODE"),
            Self::LoginDelay { seconds, per_user } => {
                out.extend_from_slice(b"LOGIN-DELAY ");
                put_decimal(out, u64::from(*seconds));
                if *per_user {
                    out.extend_from_slice(b" USER");
                }
            }
            Self::Pipelining => out.extend_from_slice(b"PIPELINING"),
            Self::Expire { policy, per_user } => {
                out.extend_from_slice(b"EXPIRE ");
                match policy {
                    Expire::Never => out.extend_from_slice(b"NEVER"),
                    Expire::Days(days) => put_decimal(out, u64::from(*days)),
                }
                if *per_user {
                    out.extend_from_slice(b" USER");
                }
            }
            Self::Uidl => out.extend_from_slice(b"UIDL"),
            Self::Implementation(text) => {
                out.extend_from_slice(b"IMPLEMENTATION ");
                put_words(out, text);
            }
            Self::Stls => out.extend_from_slice(b"STLS"),
            Self::Utf8 { user } => {
                out.extend_from_slice(if *user { b"UTF8 USER" } else { b"UTF8" });
            }
            Self::Other { tag, params } => {
                let start = out.len();
                put_words(out, tag);
                if out.len() == start {
                    out.extend_from_slice(b"?");
                }
                for (i, b) in out[start..].iter_mut().enumerate() {
                    if !is_cchar(*b) || (i == 0 && *b == b'.') {
                        *b = b'?';
                    }
                }
                for p in params.iter().filter(|p| !p.is_empty()) {
                    out.extend_from_slice(b" ");
                    put_words(out, p);
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }
}

/// `cchar` of RFC 2449 §3.
const fn is_cchar(b: u8) -> bool {
    matches!(b, 0x21..=0x2d | 0x2f..=0x7f)
}

const fn is_vchar(b: u8) -> bool {
    matches!(b, 0x21..=0x7e) || b >= 0x80
}

fn parse_whole_u32(word: &[u8]) -> Option<u32> {
    match parse_u32(word) {
        Ok((n, len)) if len == word.len() => Some(n),
        _ => None,
    }
}

fn join(words: &[&[u8]]) -> String {
    let joined: Vec<u8> = words.join(&b' ');
    String::from_utf8_lossy(&joined).into_owned()
}

/// Appends `text` with every octet that is not printable (or a single space
/// between words) replaced by `?`.
fn put_words(out: &mut BytesMut, text: &str) {
    for &b in text.as_bytes() {
        out.extend_from_slice(&[if b == b' ' || is_vchar(b) { b } else { b'?' }]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(line: &str, cap: Capability) {
        assert_eq!(Capability::decode(line.as_bytes()).unwrap(), cap, "{line}");
        let mut out = BytesMut::new();
        cap.encode(&mut out);
        assert_eq!(&out[..], format!("{line}\r\n").as_bytes());
    }

    /// Every line of RFC 2449 §5's CAPA example, and §6.7's EXPIRE examples.
    #[test]
    fn rfc2449_examples() {
        round_trip("TOP", Capability::Top);
        round_trip("USER", Capability::User);
        round_trip(
            "SASL CRAM-MD5 KERBEROS_V4",
            Capability::Sasl(vec![
                Mechanism::new("CRAM-MD5").unwrap(),
                Mechanism::new("KERBEROS_V4").unwrap(),
            ]),
        );
        round_trip("RESP-CODES", Capability::RespCodes);
        round_trip(
            "LOGIN-DELAY 900",
            Capability::LoginDelay {
                seconds: 900,
                per_user: false,
            },
        );
        round_trip("PIPELINING", Capability::Pipelining);
        round_trip(
            "EXPIRE 60",
            Capability::Expire {
                policy: Expire::Days(60),
                per_user: false,
            },
        );
        round_trip("UIDL", Capability::Uidl);
        round_trip(
            "IMPLEMENTATION Shlemazle-Plotz-v302",
            Capability::Implementation("Shlemazle-Plotz-v302".into()),
        );
        round_trip(
            "EXPIRE 5 USER",
            Capability::Expire {
                policy: Expire::Days(5),
                per_user: true,
            },
        );
        round_trip(
            "EXPIRE NEVER",
            Capability::Expire {
                policy: Expire::Never,
                per_user: false,
            },
        );
        round_trip(
            "EXPIRE 0",
            Capability::Expire {
                policy: Expire::Days(0),
                per_user: false,
            },
        );
    }

    #[test]
    fn rfc5034_and_rfc2595_and_rfc6856_tags() {
        round_trip(
            "IMPLEMENTATION BlurdyBlurp POP3 server",
            Capability::Implementation("BlurdyBlurp POP3 server".into()),
        );
        round_trip("STLS", Capability::Stls);
        round_trip("AUTH-RESP-CODE", Capability::AuthRespCode);
        round_trip("UTF8", Capability::Utf8 { user: false });
        round_trip("UTF8 USER", Capability::Utf8 { user: true });
    }

    #[test]
    fn tags_are_case_insensitive_and_unknown_ones_kept() {
        assert_eq!(
            Capability::decode(b"pipelining").unwrap(),
            Capability::Pipelining
        );
        // Dovecot lists CAPA itself.
        round_trip(
            "CAPA",
            Capability::Other {
                tag: "CAPA".into(),
                params: vec![],
            },
        );
        round_trip(
            "X-FOO a b",
            Capability::Other {
                tag: "X-FOO".into(),
                params: vec!["a".into(), "b".into()],
            },
        );
        // A malformed LOGIN-DELAY is kept as it came rather than guessed at.
        assert_eq!(
            Capability::decode(b"LOGIN-DELAY soon").unwrap(),
            Capability::Other {
                tag: "LOGIN-DELAY".into(),
                params: vec!["soon".into()],
            }
        );
    }

    #[test]
    fn malformed_lines() {
        assert_eq!(
            Capability::decode(b""),
            Err(DecodeError::at(0, ErrorKind::InvalidCapability))
        );
        assert_eq!(
            Capability::decode(b".TOP"),
            Err(DecodeError::at(0, ErrorKind::InvalidCapability))
        );
        assert_eq!(
            Capability::decode(b"TOP\x01"),
            Err(DecodeError::at(3, ErrorKind::InvalidCapability))
        );
        assert_eq!(
            Capability::decode(b"X a\tb"),
            Err(DecodeError::at(3, ErrorKind::InvalidCharacter))
        );
    }

    #[test]
    fn encoding_cannot_inject_lines() {
        let mut out = BytesMut::new();
        Capability::Implementation("evil\r\n.\r\nSTLS".into()).encode(&mut out);
        assert_eq!(&out[..], b"IMPLEMENTATION evil??.??STLS\r\n");
        out.clear();
        Capability::Other {
            tag: ".".into(),
            params: vec![],
        }
        .encode(&mut out);
        assert_eq!(&out[..], b"?\r\n");
    }
}
