//! The grammar, written into a caller's [`BytesMut`].
//!
//! Every function appends whole lines with their CRLF. Values of the
//! crate's types are valid by construction, the free text among them too
//! ([`Text`](crate::Text), [`Word`](crate::Word), [`Domain`](crate::Domain),
//! [`Reply`]'s lines): no value can hold a CR, LF or NUL that would break
//! out of its line, so the encoders write them as they are.
//!
//! ```
//! use bytes::BytesMut;
//! use smtp_proto::{encode, Command, Mailbox, MailParameters, ReversePath};
//!
//! let mut out = BytesMut::new();
//! let mut params = MailParameters::default();
//! params.size = Some(4096);
//! let from = ReversePath::Mailbox(Mailbox::try_from("Smith@bar.com")?);
//! encode::command(&Command::Mail { from, params: params.into() }, &mut out);
//! assert_eq!(&out[..], b"MAIL FROM:<Smith@bar.com> SIZE=4096\r\n");
//! # Ok::<(), smtp_proto::ValueError>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::BytesMut;

use crate::types::syntax::put_decimal;
use crate::{
    Command, EhloReply, EnhancedCode, ForwardPath, MailParameters, RcptParameters, Reply,
    ReplyCode, ReversePath, SaslResponse,
};

/// Appends a command line.
pub fn command(cmd: &Command<'_>, out: &mut BytesMut) {
    out.extend_from_slice(cmd.verb().as_bytes());
    match cmd {
        Command::Helo { host } | Command::Ehlo { host } | Command::Lhlo { host } => {
            out.extend_from_slice(b" ");
            out.extend_from_slice(host.as_str().as_bytes());
        }
        Command::Mail { from, params } => {
            out.extend_from_slice(b" FROM:");
            reverse_path(from, out);
            mail_parameters(params, out);
        }
        Command::Rcpt { to, params } => {
            out.extend_from_slice(b" TO:");
            forward_path(to, out);
            rcpt_parameters(params, out);
        }
        Command::Bdat { size, last } => {
            out.extend_from_slice(b" ");
            put_decimal(out, *size);
            if *last {
                out.extend_from_slice(b" LAST");
            }
        }
        Command::Vrfy { argument } | Command::Expn { argument } => {
            out.extend_from_slice(b" ");
            out.extend_from_slice(argument.as_str().as_bytes());
        }
        Command::Help { topic: text } | Command::Noop { argument: text } => {
            if let Some(text) = text.as_ref().filter(|t| !t.is_empty()) {
                out.extend_from_slice(b" ");
                out.extend_from_slice(text.as_str().as_bytes());
            }
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
                    // RFC 4954 §4: a zero-length initial response is "=".
                    out.extend_from_slice(b"=");
                } else {
                    put_base64(out, ir.expose());
                }
            }
        }
        Command::Data | Command::Rset | Command::Quit | Command::StartTls => {}
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends `<path>`.
pub fn reverse_path(path: &ReversePath<'_>, out: &mut BytesMut) {
    match path {
        ReversePath::Null => out.extend_from_slice(b"<>"),
        ReversePath::Postmaster => out.extend_from_slice(b"<Postmaster>"),
        ReversePath::Mailbox(m) => {
            out.extend_from_slice(b"<");
            out.extend_from_slice(m.as_str().as_bytes());
            out.extend_from_slice(b">");
        }
    }
}

/// Appends `<path>`.
pub fn forward_path(path: &ForwardPath<'_>, out: &mut BytesMut) {
    match path {
        ForwardPath::Postmaster => out.extend_from_slice(b"<Postmaster>"),
        ForwardPath::Mailbox(m) => {
            out.extend_from_slice(b"<");
            out.extend_from_slice(m.as_str().as_bytes());
            out.extend_from_slice(b">");
        }
    }
}

/// Appends MAIL's parameters, each after a space.
pub fn mail_parameters(params: &MailParameters<'_>, out: &mut BytesMut) {
    if let Some(size) = params.size {
        out.extend_from_slice(b" SIZE=");
        put_decimal(out, size);
    }
    if let Some(body) = params.body {
        out.extend_from_slice(b" BODY=");
        out.extend_from_slice(body.as_str().as_bytes());
    }
    if params.smtputf8 {
        out.extend_from_slice(b" SMTPUTF8");
    }
    if let Some(ret) = params.ret {
        out.extend_from_slice(b" RET=");
        out.extend_from_slice(ret.as_str().as_bytes());
    }
    if let Some(envid) = &params.envid {
        out.extend_from_slice(b" ENVID=");
        out.extend_from_slice(envid.as_str().as_bytes());
    }
    if let Some(auth) = &params.auth {
        out.extend_from_slice(b" AUTH=");
        out.extend_from_slice(auth.as_str().as_bytes());
    }
    if params.requiretls {
        out.extend_from_slice(b" REQUIRETLS");
    }
    if let Some(priority) = params.mt_priority {
        out.extend_from_slice(b" MT-PRIORITY=");
        if priority < 0 {
            out.extend_from_slice(b"-");
        }
        put_decimal(out, u64::from(priority.unsigned_abs()));
    }
    other_parameters(&params.other, out);
}

/// Appends RCPT's parameters, each after a space.
pub fn rcpt_parameters(params: &RcptParameters<'_>, out: &mut BytesMut) {
    if let Some(notify) = params.notify {
        out.extend_from_slice(b" NOTIFY=");
        out.extend_from_slice(notify.to_string().as_bytes());
    }
    if let Some(orcpt) = &params.orcpt {
        out.extend_from_slice(b" ORCPT=");
        out.extend_from_slice(orcpt.addr_type().as_bytes());
        out.extend_from_slice(b";");
        out.extend_from_slice(orcpt.address().as_bytes());
    }
    other_parameters(&params.other, out);
}

fn other_parameters(params: &[crate::Parameter<'_>], out: &mut BytesMut) {
    for p in params {
        out.extend_from_slice(b" ");
        out.extend_from_slice(p.keyword().as_bytes());
        if let Some(v) = p.value() {
            out.extend_from_slice(b"=");
            out.extend_from_slice(v.as_bytes());
        }
    }
}

/// Appends a client's line in an AUTH exchange: base64, or `*` to cancel
/// (RFC 4954 §4). The empty response is an empty line.
pub fn sasl_response(response: &SaslResponse, out: &mut BytesMut) {
    match response {
        SaslResponse::Data(data) => put_base64(out, data.expose()),
        SaslResponse::Cancel => out.extend_from_slice(b"*"),
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends a server challenge: `334 ` and the data in base64; an empty
/// challenge is `334 ` alone (RFC 4954 §4).
pub fn challenge(data: &[u8], out: &mut BytesMut) {
    out.extend_from_slice(b"334 ");
    put_base64(out, data);
    out.extend_from_slice(b"\r\n");
}

/// Appends a reply: every line but the last as `code-`, the last as
/// `code SP`, the enhanced status code (if any) at the start of each line's
/// text (RFC 2034 §4).
pub fn reply(reply: &Reply, out: &mut BytesMut) {
    reply_lines(reply.code(), reply.enhanced(), reply.joined_text(), out);
}

/// Appends a reply without its enhanced status code, for a server that does
/// not announce ENHANCEDSTATUSCODES.
pub fn reply_plain(reply: &Reply, out: &mut BytesMut) {
    reply_lines(reply.code(), None, reply.joined_text(), out);
}

/// Appends the positive reply to EHLO or LHLO.
pub fn ehlo_reply(ehlo: &EhloReply, out: &mut BytesMut) {
    let digits = ReplyCode::OK.digits();
    let caps = ehlo.capabilities();
    out.extend_from_slice(&digits);
    out.extend_from_slice(if caps.is_empty() { b" " } else { b"-" });
    out.extend_from_slice(ehlo.domain().as_bytes());
    if !ehlo.greeting().is_empty() {
        out.extend_from_slice(b" ");
        out.extend_from_slice(ehlo.greeting().as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    for (i, cap) in caps.iter().enumerate() {
        out.extend_from_slice(&digits);
        out.extend_from_slice(if i + 1 == caps.len() { b" " } else { b"-" });
        cap.write(out);
        out.extend_from_slice(b"\r\n");
    }
}

/// Lines joined by LF, written as a reply.
pub(crate) fn reply_lines(
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    text: &str,
    out: &mut BytesMut,
) {
    let digits = code.digits();
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        out.extend_from_slice(&digits);
        out.extend_from_slice(if lines.peek().is_some() { b"-" } else { b" " });
        if let Some(e) = enhanced {
            out.extend_from_slice(e.to_string().as_bytes());
            if !line.is_empty() {
                out.extend_from_slice(b" ");
            }
        }
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

pub(crate) fn put_base64(out: &mut BytesMut, data: &[u8]) {
    let start = out.len();
    let len = base64::encoded_len(data.len(), true).unwrap_or(0);
    out.resize(start + len, 0);
    let written = STANDARD.encode_slice(data, &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
}

#[cfg(test)]
mod tests;
