//! EHLO keywords (RFC 5321 §4.1.1.1) and the EHLO reply that lists them.

use std::fmt;

use bytes::BytesMut;

use super::check_text;
use super::syntax::{self, parse_u64, put_decimal};
use crate::{Host, Mechanism, Reply, ReplyCode, Text, ValueError, Word};

/// An extension a server announces in its EHLO reply (RFC 5321 §4.1.1.1):
///
/// ```text
/// ehlo-line    = ehlo-keyword *( SP ehlo-param )
/// ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
/// ehlo-param   = 1*(%d33-126)
/// ```
///
/// Keywords this crate knows are typed; every other line, and a known
/// keyword whose parameters do not parse, is kept as [`Other`](Self::Other)
/// so nothing the server said is lost. Every part is a checked value (a
/// [`Mechanism`], a [`Word`]), so a capability cannot break its line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `AUTH mech...` (RFC 4954 §3).
    Auth(Vec<Mechanism>),
    /// `BINARYMIME` (RFC 3030 §3).
    BinaryMime,
    /// `CHUNKING`: BDAT (RFC 3030 §2).
    Chunking,
    /// `DSN` (RFC 3461 §4).
    Dsn,
    /// `ENHANCEDSTATUSCODES` (RFC 2034 §3).
    EnhancedStatusCodes,
    /// `HELP` (RFC 5321 appendix D shows it).
    Help,
    /// `MT-PRIORITY [policy]` (RFC 6710 §2).
    MtPriority(Option<Word>),
    /// `PIPELINING` (RFC 2920 §2).
    Pipelining,
    /// `REQUIRETLS` (RFC 8689 §4).
    RequireTls,
    /// `SIZE [n]` (RFC 1870 §4): the largest message, 0 or absent for no
    /// fixed limit.
    Size(Option<u64>),
    /// `SMTPUTF8` (RFC 6531 §3.1).
    SmtpUtf8,
    /// `STARTTLS` (RFC 3207 §4).
    StartTls,
    /// `VRFY` (RFC 5321 appendix D.4 shows it).
    Vrfy,
    /// Any other line, as sent: the keyword and its parameters.
    Other {
        /// The keyword, as sent.
        keyword: Word,
        /// The parameters, split at spaces.
        params: Vec<Word>,
    },
}

impl Capability {
    /// Reads one line of an EHLO reply after the first: what is not a
    /// known keyword with valid parameters is [`Other`](Self::Other). Fails
    /// only for a line without a word, or with a control octet (a reply's
    /// lines have none).
    pub fn parse(line: &str) -> Result<Self, ValueError> {
        check_text(line.as_bytes())?;
        let mut words = line.split([' ', '\t']).filter(|w| !w.is_empty());
        let keyword = words.next().ok_or(ValueError::Empty)?;
        let params: Vec<&str> = words.collect();
        let known = |name: &str| keyword.eq_ignore_ascii_case(name);
        let bare = |cap: Self| params.is_empty().then_some(cap);
        let parsed = if known("8BITMIME") {
            bare(Self::EightBitMime)
        } else if known("AUTH") {
            params
                .iter()
                .map(|m| Mechanism::new(m).ok())
                .collect::<Option<Vec<_>>>()
                .map(Self::Auth)
        } else if known("BINARYMIME") {
            bare(Self::BinaryMime)
        } else if known("CHUNKING") {
            bare(Self::Chunking)
        } else if known("DSN") {
            bare(Self::Dsn)
        } else if known("ENHANCEDSTATUSCODES") {
            bare(Self::EnhancedStatusCodes)
        } else if known("HELP") {
            bare(Self::Help)
        } else if known("MT-PRIORITY") {
            match params[..] {
                [] => Some(Self::MtPriority(None)),
                [policy] => Word::try_from(policy)
                    .ok()
                    .map(|p| Self::MtPriority(Some(p))),
                _ => None,
            }
        } else if known("PIPELINING") {
            bare(Self::Pipelining)
        } else if known("REQUIRETLS") {
            bare(Self::RequireTls)
        } else if known("SIZE") {
            match params[..] {
                [] => Some(Self::Size(None)),
                [n] => parse_u64(n.as_bytes()).ok().map(|n| Self::Size(Some(n))),
                _ => None,
            }
        } else if known("SMTPUTF8") {
            bare(Self::SmtpUtf8)
        } else if known("STARTTLS") {
            bare(Self::StartTls)
        } else if known("VRFY") {
            bare(Self::Vrfy)
        } else {
            None
        };
        if let Some(parsed) = parsed {
            return Ok(parsed);
        }
        Ok(Self::Other {
            keyword: Word::try_from(keyword)?,
            params: params
                .into_iter()
                .map(Word::try_from)
                .collect::<Result<_, _>>()?,
        })
    }

    /// A capability this crate has no type for, checked against the ABNF.
    pub fn other(keyword: &str, params: &[&str]) -> Result<Self, ValueError> {
        let kw = keyword.as_bytes();
        if !kw.first().is_some_and(u8::is_ascii_alphanumeric) {
            return Err(ValueError::Syntax(0));
        }
        if let Some(pos) = kw.iter().position(|&b| !syntax::is(b, syntax::LDH)) {
            return Err(ValueError::Syntax(pos));
        }
        for p in params {
            if let Some(&b) = p
                .as_bytes()
                .iter()
                .find(|&&b| !syntax::is(b, syntax::VCHAR))
            {
                return Err(ValueError::InvalidOctet(b));
            }
        }
        Ok(Self::Other {
            keyword: Word::try_from(keyword)?,
            params: params
                .iter()
                .map(|p| Word::try_from(*p))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The keyword, upper-cased for known ones, as sent for others.
    pub fn keyword(&self) -> &str {
        match self {
            Self::EightBitMime => "8BITMIME",
            Self::Auth(_) => "AUTH",
            Self::BinaryMime => "BINARYMIME",
            Self::Chunking => "CHUNKING",
            Self::Dsn => "DSN",
            Self::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Self::Help => "HELP",
            Self::MtPriority(_) => "MT-PRIORITY",
            Self::Pipelining => "PIPELINING",
            Self::RequireTls => "REQUIRETLS",
            Self::Size(_) => "SIZE",
            Self::SmtpUtf8 => "SMTPUTF8",
            Self::StartTls => "STARTTLS",
            Self::Vrfy => "VRFY",
            Self::Other { keyword, .. } => keyword.as_str(),
        }
    }

    /// Appends the line's text (no code, no CRLF).
    pub(crate) fn write(&self, out: &mut BytesMut) {
        out.extend_from_slice(self.keyword().as_bytes());
        match self {
            Self::Auth(mechs) => {
                for m in mechs {
                    out.extend_from_slice(b" ");
                    out.extend_from_slice(m.as_str().as_bytes());
                }
            }
            Self::MtPriority(Some(policy)) => {
                out.extend_from_slice(b" ");
                out.extend_from_slice(policy.as_str().as_bytes());
            }
            Self::Size(Some(n)) => {
                out.extend_from_slice(b" ");
                put_decimal(out, *n);
            }
            Self::Other { params, .. } => {
                for p in params {
                    out.extend_from_slice(b" ");
                    out.extend_from_slice(p.as_str().as_bytes());
                }
            }
            _ => {}
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = BytesMut::new();
        self.write(&mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

/// A positive reply to EHLO or LHLO (RFC 5321 §4.1.1.1):
///
/// ```text
/// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
///             / ( "250-" Domain [ SP ehlo-greet ] CRLF
///                 *( "250-" ehlo-line CRLF )
///                 "250" SP ehlo-line CRLF )
/// ```
///
/// Every keyword line is kept, in order, known or not. A reply with no
/// keyword at all (a server without extensions) is valid. The name is a
/// [`Host`] (servers name themselves as they like, but without a space or a
/// control octet) and the greeting a [`Text`], so the reply cannot forge a
/// line.
///
/// ```
/// use smtp_proto::{Capability, EhloReply};
///
/// let ehlo = EhloReply::parse_lines(["foo.com greets bar.com", "8BITMIME", "SIZE", "X-ODD 1"])?;
/// assert_eq!(ehlo.domain(), "foo.com");
/// assert_eq!(ehlo.greeting(), "greets bar.com");
/// assert!(ehlo.has(&Capability::EightBitMime));
/// assert_eq!(ehlo.size(), Some(None));
/// assert_eq!(ehlo.capabilities()[2].keyword(), "X-ODD");
/// # Ok::<(), smtp_proto::ValueError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EhloReply {
    domain: Host<'static>,
    greeting: Text<'static>,
    capabilities: Vec<Capability>,
}

impl EhloReply {
    /// A reply from the server's name, greeting text and capabilities.
    pub fn new(
        domain: Host<'static>,
        greeting: Text<'static>,
        capabilities: Vec<Capability>,
    ) -> Self {
        Self {
            domain,
            greeting,
            capabilities,
        }
    }

    /// Reads the text of a `250` reply's lines: the first names the server,
    /// the others are keywords. Fails if there is no line, the first is
    /// empty, or a line holds a control octet.
    pub fn parse_lines<'l>(lines: impl IntoIterator<Item = &'l str>) -> Result<Self, ValueError> {
        let mut lines = lines.into_iter();
        let first = lines.next().ok_or(ValueError::Empty)?;
        let (domain, greeting) = match first.split_once(' ') {
            Some((d, g)) => (d, g),
            None => (first, ""),
        };
        let domain = Host::try_from(domain.to_owned())?;
        let greeting = Text::try_from(greeting.to_owned())?;
        let mut capabilities = Vec::new();
        for line in lines {
            match Capability::parse(line) {
                Ok(cap) => capabilities.push(cap),
                // A blank line says nothing.
                Err(ValueError::Empty) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Self {
            domain,
            greeting,
            capabilities,
        })
    }

    /// Reads a positive reply to EHLO or LHLO; fails if it is not `250`.
    /// An EHLO reply carries no enhanced status code (RFC 2034 §3), so
    /// what the reply decoder took for one (a server named `2.0.0`) is the
    /// start of the first line again.
    pub fn from_reply(reply: &Reply) -> Result<Self, ValueError> {
        if reply.code() != ReplyCode::OK {
            return Err(ValueError::OutOfRange);
        }
        let Some(code) = reply.enhanced() else {
            return Self::parse_lines(reply.lines());
        };
        // Every line began with what read as a code (a host name such as
        // `2.0.0`, and keywords after it): the lines as they came.
        let lines: Vec<String> = reply
            .lines()
            .map(|line| match line {
                "" => code.to_string(),
                line => format!("{code} {line}"),
            })
            .collect();
        Self::parse_lines(lines.iter().map(String::as_str))
    }

    /// The reply as a [`Reply`]; fails if a part holds a control octet.
    pub fn to_reply(&self) -> Result<Reply, ValueError> {
        let mut first = self.domain.as_str().to_owned();
        if !self.greeting.is_empty() {
            first.push(' ');
            first.push_str(self.greeting.as_str());
        }
        let lines = std::iter::once(first).chain(self.capabilities.iter().map(|c| c.to_string()));
        Reply::multiline(ReplyCode::OK, None, lines)
    }

    /// The server's name for itself.
    pub fn domain(&self) -> &str {
        self.domain.as_str()
    }

    /// The free text after the name (empty if none).
    pub fn greeting(&self) -> &str {
        self.greeting.as_str()
    }

    /// Every keyword line, in order.
    pub fn capabilities(&self) -> &[Capability] {
        &self.capabilities
    }

    /// Whether the server announced `capability` (for keywords with
    /// parameters, with those parameters).
    pub fn has(&self, capability: &Capability) -> bool {
        self.capabilities.contains(capability)
    }

    /// Whether a keyword, in any case, is among the lines (with any
    /// parameters).
    pub fn has_keyword(&self, keyword: &str) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.keyword().eq_ignore_ascii_case(keyword))
    }

    /// SIZE: `Some(Some(n))` for a limit, `Some(None)` for SIZE without one,
    /// `None` if not announced.
    pub fn size(&self) -> Option<Option<u64>> {
        self.capabilities.iter().find_map(|c| match c {
            Capability::Size(n) => Some(*n),
            _ => None,
        })
    }

    /// The AUTH mechanisms, empty if AUTH was not announced.
    pub fn auth_mechanisms(&self) -> &[Mechanism] {
        self.capabilities
            .iter()
            .find_map(|c| match c {
                Capability::Auth(m) => Some(m.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_lines() {
        assert_eq!(
            Capability::parse("PIPELINING").unwrap(),
            Capability::Pipelining
        );
        assert_eq!(
            Capability::parse("pipelining").unwrap(),
            Capability::Pipelining
        );
        assert_eq!(
            Capability::parse("SIZE 10240000").unwrap(),
            Capability::Size(Some(10_240_000))
        );
        assert_eq!(Capability::parse("SIZE").unwrap(), Capability::Size(None));
        assert_eq!(
            Capability::parse("AUTH PLAIN login").unwrap(),
            Capability::Auth(vec![Mechanism::PLAIN, Mechanism::LOGIN])
        );
        assert_eq!(Capability::parse("AUTH").unwrap(), Capability::Auth(vec![]));
        assert_eq!(
            Capability::parse("MT-PRIORITY MIXER").unwrap(),
            Capability::MtPriority(Some(Word::from_static("MIXER")))
        );
        // Known keywords with parameters that do not parse are kept whole.
        assert_eq!(
            Capability::parse("SIZE 99999999999999999999999").unwrap(),
            Capability::Other {
                keyword: Word::from_static("SIZE"),
                params: vec![Word::from_static("99999999999999999999999")]
            }
        );
        assert_eq!(
            Capability::parse("PIPELINING extra").unwrap(),
            Capability::Other {
                keyword: Word::from_static("PIPELINING"),
                params: vec![Word::from_static("extra")]
            }
        );
        // Old Outlook servers' `AUTH=LOGIN`.
        assert_eq!(
            Capability::parse("AUTH=LOGIN PLAIN").unwrap(),
            Capability::Other {
                keyword: Word::from_static("AUTH=LOGIN"),
                params: vec![Word::from_static("PLAIN")]
            }
        );
        for cap in [
            Capability::Size(Some(0)),
            Capability::Auth(vec![Mechanism::CRAM_MD5]),
            Capability::StartTls,
            Capability::other("X-EXPS", &["GSSAPI", "NTLM"]).unwrap(),
        ] {
            assert_eq!(Capability::parse(&cap.to_string()).unwrap(), cap);
        }
        assert!(Capability::other("X EXPS", &[]).is_err());
        assert!(Capability::other("X", &["a b"]).is_err());
        // What a line cannot hold.
        for bad in ["X\r\n250 forged", "SIZE 1\n", "X\0", "X-A a\rb"] {
            assert!(Capability::parse(bad).is_err(), "{bad:?}");
            assert!(Capability::other(bad, &[]).is_err(), "{bad:?}");
            assert!(Capability::other("X", &[bad]).is_err(), "{bad:?}");
        }
        assert_eq!(Capability::parse("  "), Err(ValueError::Empty));
        // HT separates words as SP does.
        assert_eq!(
            Capability::parse("SIZE\t100").unwrap(),
            Capability::Size(Some(100))
        );
    }

    #[test]
    fn ehlo_replies() {
        let ehlo = EhloReply::parse_lines(["mail.example.org"]).unwrap();
        assert_eq!(ehlo.domain(), "mail.example.org");
        assert!(ehlo.capabilities().is_empty());
        assert_eq!(ehlo.size(), None);
        assert!(ehlo.auth_mechanisms().is_empty());
        assert!(EhloReply::parse_lines([""]).is_err());
        for bad in [
            &["mx\r\n250 forged"][..],
            &["mx greets\nyou"],
            &["mx", "PIPELINING\r\n250 X"],
        ] {
            assert!(
                EhloReply::parse_lines(bad.iter().copied()).is_err(),
                "{bad:?}"
            );
        }
        assert!(EhloReply::parse_lines(Vec::<&str>::new()).is_err());
        let ehlo = EhloReply::new(
            Host::try_from("x.y").unwrap().into_owned(),
            Text::from_static("hi"),
            vec![
                Capability::Auth(vec![Mechanism::PLAIN]),
                Capability::Chunking,
            ],
        );
        let reply = ehlo.to_reply().unwrap();
        assert_eq!(
            reply.lines().collect::<Vec<_>>(),
            ["x.y hi", "AUTH PLAIN", "CHUNKING"]
        );
        assert_eq!(EhloReply::from_reply(&reply).unwrap(), ehlo);
        assert!(ehlo.has_keyword("chunking"));

        assert_eq!(ehlo.auth_mechanisms(), [Mechanism::PLAIN]);
        // A name that reads as an enhanced status code (found by the round
        // trip proptest): the decoder takes it for one, the EHLO reply gives
        // it back.
        let (reply, _) = crate::decode::reply(b"250-2.0.0 hi\r\n250 SIZE\r\n").unwrap();
        let ehlo = EhloReply::from_reply(&reply).unwrap();
        assert_eq!((ehlo.domain(), ehlo.greeting()), ("2.0.0", "hi"));
        let (reply, _) = crate::decode::reply(b"250 2.0.0\r\n").unwrap();
        assert_eq!(EhloReply::from_reply(&reply).unwrap().domain(), "2.0.0");
    }
}
