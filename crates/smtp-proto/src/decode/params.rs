//! ESMTP parameters of MAIL and RCPT (RFC 5321 §4.1.2).

use crate::types::{check_esmtp_value, check_keyword, check_orcpt, check_xtext};
use crate::{
    Body, DecodeError, ErrorKind, MailParameters, Notify, Orcpt, Parameter, RcptParameters, Ret,
    XText,
};

use super::number;
use crate::types::syntax::{eq_keyword, find_byte};

/// One `keyword[=value]`, where it starts in the line.
struct Param<'a> {
    keyword: &'a str,
    value: Option<&'a str>,
    at: usize,
    /// Where the value starts.
    value_at: usize,
}

/// The parameters this crate types, by keyword.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    Size,
    Body,
    SmtpUtf8,
    Ret,
    Envid,
    Auth,
    RequireTls,
    MtPriority,
    Notify,
    Orcpt,
    Other,
}

impl<'a> Param<'a> {
    /// Which parameter this is: picked by length and first letter, then
    /// compared once.
    fn known(&self) -> Known {
        let k = self.keyword.as_bytes();
        let Some(&first) = k.first() else {
            return Known::Other;
        };
        let is = |yes: bool, known: Known| if yes { known } else { Known::Other };
        match (k.len(), first | 0x20) {
            (4, b's') => is(eq_keyword(k, b"SIZE"), Known::Size),
            (4, b'b') => is(eq_keyword(k, b"BODY"), Known::Body),
            (4, b'a') => is(eq_keyword(k, b"AUTH"), Known::Auth),
            (3, b'r') => is(eq_keyword(k, b"RET"), Known::Ret),
            (5, b'e') => is(eq_keyword(k, b"ENVID"), Known::Envid),
            (5, b'o') => is(eq_keyword(k, b"ORCPT"), Known::Orcpt),
            (6, b'n') => is(eq_keyword(k, b"NOTIFY"), Known::Notify),
            (8, b's') => is(eq_keyword(k, b"SMTPUTF8"), Known::SmtpUtf8),
            (10, b'r') => is(eq_keyword(k, b"REQUIRETLS"), Known::RequireTls),
            (11, b'm') => is(eq_keyword(k, b"MT-PRIORITY"), Known::MtPriority),
            _ => Known::Other,
        }
    }

    fn fail(&self, kind: ErrorKind) -> DecodeError {
        DecodeError::at(self.value_at, kind)
    }

    /// The value, which this keyword must have.
    fn required(&self) -> Result<&'a str, DecodeError> {
        self.value
            .ok_or(DecodeError::at(self.at, ErrorKind::InvalidParameter))
    }

    /// A parameter this crate has no type for, checked against the generic
    /// grammar (the typed ones are checked by their stricter parsers).
    fn unknown(&self) -> Result<Parameter<'a>, DecodeError> {
        check_keyword(self.keyword.as_bytes())
            .map_err(|p| DecodeError::at(self.at + p, ErrorKind::InvalidParameter))?;
        if let Some(v) = self.value {
            check_esmtp_value(v.as_bytes())
                .map_err(|p| DecodeError::at(self.value_at + p, ErrorKind::InvalidParameter))?;
        }
        Ok(Parameter::from_checked(self.keyword, self.value))
    }

    /// No value, as this keyword takes none.
    fn bare(&self) -> Result<(), DecodeError> {
        match self.value {
            None => Ok(()),
            Some(_) => Err(DecodeError::at(self.at, ErrorKind::InvalidParameter)),
        }
    }
}

/// Splits `Mail-parameters`/`Rcpt-parameters` into parameters. Each
/// parameter's own parser checks it: the typed ones strictly, the others
/// against the generic grammar (`Param::unknown`).
fn each<'a>(
    text: &'a str,
    at: usize,
    mut f: impl FnMut(Param<'a>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    // Each parameter's end found with memchr, its `=` with a short loop.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Postfix splits at runs of spaces.
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        let start = i;
        i = find_byte(&bytes[start..], b' ').map_or(bytes.len(), |sp| start + sp);
        // The keyword is short: its `=` is near.
        let eq = bytes[start..i]
            .iter()
            .position(|&b| b == b'=')
            .map(|e| start + e);
        // `=` and space are ASCII: the slices fall on character boundaries.
        let (keyword, value, value_at) = match eq {
            Some(e) => (&text[start..e], Some(&text[e + 1..i]), at + e + 1),
            None => (&text[start..i], None, at + i + 1),
        };
        if value == Some("") {
            return Err(DecodeError::at(value_at, ErrorKind::InvalidParameter));
        }
        f(Param {
            keyword,
            value,
            at: at + start,
            value_at,
        })?;
    }
    Ok(())
}

/// Sets a parameter that may appear once.
fn once<T>(slot: &mut Option<T>, value: T, p: &Param<'_>) -> Result<(), DecodeError> {
    if slot.is_some() {
        return Err(DecodeError::at(p.at, ErrorKind::DuplicateParameter));
    }
    *slot = Some(value);
    Ok(())
}

fn flag(slot: &mut bool, p: &Param<'_>) -> Result<(), DecodeError> {
    p.bare()?;
    if *slot {
        return Err(DecodeError::at(p.at, ErrorKind::DuplicateParameter));
    }
    *slot = true;
    Ok(())
}

fn xtext<'a>(p: &Param<'a>) -> Result<XText<'a>, DecodeError> {
    let value = p.required()?;
    check_xtext(value.as_bytes())
        .map_err(|pos| DecodeError::at(p.value_at + pos, ErrorKind::InvalidXtext))?;
    Ok(XText::from_checked(value))
}

/// MAIL's parameters.
pub(super) fn mail(args: &str, at: usize) -> Result<MailParameters<'_>, DecodeError> {
    let mut params = MailParameters::default();
    each(args, at, |p| match p.known() {
        Known::Size => {
            // RFC 1870 §6: size-value = 1*20DIGIT; one that does not fit 64
            // bits is a syntax error, not a small or huge number.
            let n = number(p.required()?.as_bytes(), p.value_at)?;
            once(&mut params.size, n, &p)
        }
        Known::Body => {
            let body =
                Body::parse(p.required()?.as_bytes()).ok_or(p.fail(ErrorKind::InvalidBody))?;
            once(&mut params.body, body, &p)
        }
        Known::SmtpUtf8 => flag(&mut params.smtputf8, &p),
        Known::Ret => {
            let ret = Ret::parse(p.required()?.as_bytes()).ok_or(p.fail(ErrorKind::InvalidRet))?;
            once(&mut params.ret, ret, &p)
        }
        Known::Envid => {
            let envid = xtext(&p)?;
            once(&mut params.envid, envid, &p)
        }
        Known::Auth => {
            let auth = xtext(&p)?;
            once(&mut params.auth, auth, &p)
        }
        Known::RequireTls => flag(&mut params.requiretls, &p),
        Known::MtPriority => {
            let priority = priority(p.required()?).ok_or(p.fail(ErrorKind::InvalidPriority))?;
            once(&mut params.mt_priority, priority, &p)
        }
        // NOTIFY and ORCPT are RCPT's: here they are unknown.
        Known::Notify | Known::Orcpt | Known::Other => {
            params.other.push(p.unknown()?);
            Ok(())
        }
    })?;
    Ok(params)
}

/// RCPT's parameters.
pub(super) fn rcpt(args: &str, at: usize) -> Result<RcptParameters<'_>, DecodeError> {
    let mut params = RcptParameters::default();
    each(args, at, |p| {
        let known = p.known();
        if known == Known::Notify {
            let notify =
                Notify::parse(p.required()?.as_bytes()).ok_or(p.fail(ErrorKind::InvalidNotify))?;
            once(&mut params.notify, notify, &p)
        } else if known == Known::Orcpt {
            let value = p.required()?;
            let (addr_type, address) = value
                .split_once(';')
                .ok_or(p.fail(ErrorKind::InvalidOrcpt))?;
            check_orcpt(addr_type.as_bytes(), address.as_bytes())
                .map_err(|pos| DecodeError::at(p.value_at + pos, ErrorKind::InvalidOrcpt))?;
            once(
                &mut params.orcpt,
                Orcpt::from_checked(addr_type, address),
                &p,
            )
        } else {
            params.other.push(p.unknown()?);
            Ok(())
        }
    })?;
    Ok(params)
}

/// `priority-value` of RFC 6710 §3: an optional sign and one digit, -9 to 9.
fn priority(value: &str) -> Option<i8> {
    let (negative, digits) = match value.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    match digits {
        [d @ b'0'..=b'9'] => {
            let n = (d - b'0') as i8;
            Some(if negative { -n } else { n })
        }
        _ => None,
    }
}
