//! Responses (RFC 1939 §3, RFC 2449 §3, §8; RFC 5034 §5).

use std::borrow::Cow;

use crate::{ApopTimestamp, MessageNumber, ResponseCode, Secret, UniqueId};

/// The status indicator that opens every response (RFC 1939 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// `+OK`.
    Ok,
    /// `-ERR`.
    Err,
}

impl Status {
    /// `+OK` or `-ERR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "+OK",
            Self::Err => "-ERR",
        }
    }
}

/// A single-line response, or the first line of a multi-line one
/// (RFC 2449 §3):
///
/// ```text
/// single-line = status [SP text] CRLF       ;512 octets maximum
/// status      = "+OK" / "-ERR"
/// text        = *schar / resp-code *CHAR
/// ```
///
/// ```
/// use pop3_proto::{ResponseCode, Response, Status};
///
/// let r = Response::err("Do you have another POP session running?")
///     .with_code(ResponseCode::IN_USE);
/// let mut out = bytes::BytesMut::new();
/// pop3_proto::encode::response(&r, &mut out);
/// assert_eq!(&out[..], b"-ERR [IN-USE] Do you have another POP session running?\r\n");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response<'a> {
    /// `+OK` or `-ERR`.
    pub status: Status,
    /// The extended response code, if the text opens with one (RFC 2449 §8).
    pub code: Option<ResponseCode>,
    /// The human-readable text after the status and code, without the space
    /// that separates them. Invalid UTF-8 is replaced, as for display.
    pub text: Cow<'a, str>,
}

impl<'a> Response<'a> {
    /// `+OK text`.
    pub fn ok(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            status: Status::Ok,
            code: None,
            text: text.into(),
        }
    }

    /// `-ERR text`.
    pub fn err(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            status: Status::Err,
            code: None,
            text: text.into(),
        }
    }

    /// The same response with a response code.
    pub fn with_code(mut self, code: ResponseCode) -> Self {
        self.code = Some(code);
        self
    }

    /// Whether the status is `+OK`.
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// The response with its text copied, free of the input buffer.
    pub fn into_owned(self) -> Response<'static> {
        Response {
            status: self.status,
            code: self.code,
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// Any line a server sends outside a multi-line body: a status response or a
/// SASL challenge (RFC 5034 §5: `response =/ continue-req`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseLine<'a> {
    /// `+OK ...` or `-ERR ...`.
    Status(Response<'a>),
    /// `+ [base64]`: a SASL server challenge, decoded.
    ///
    /// ```text
    /// continue-req = "+" SP [base64] CRLF
    /// ```
    Challenge(Secret<Vec<u8>>),
}

/// The greeting a server sends first (RFC 1939 §4, RFC 2449 §3): a response
/// and, if the server offers APOP, the timestamp in its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Greeting<'a> {
    /// The response.
    pub response: Response<'a>,
    /// The APOP timestamp, when the greeting is `+OK` and carries one.
    pub timestamp: Option<ApopTimestamp>,
}

/// STAT's drop listing (RFC 1939 §5): `+OK nn mm`, the number of messages and
/// their total size in octets, deleted messages not counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DropListing {
    /// How many messages.
    pub count: u32,
    /// Their total size in octets.
    pub size: u64,
}

/// A scan listing (RFC 1939 §5): a message number and the message's exact
/// size in octets, as LIST gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanListing {
    /// The message.
    pub message: MessageNumber,
    /// Its size in octets, CRLF line ends counted as two.
    pub size: u64,
}

/// A unique-id listing (RFC 1939 §7): a message number and its unique-id, as
/// UIDL gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UidListing {
    /// The message.
    pub message: MessageNumber,
    /// Its unique-id.
    pub uid: UniqueId,
}
