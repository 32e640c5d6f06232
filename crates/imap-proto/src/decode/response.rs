//! The response grammar (RFC 9051 §7 and §9, RFC 3501, and the extensions).

use super::{FlagContext, PResult, Parser, upper};
use crate::error::{DecodeError, ErrorKind};
use crate::types::{
    self, Atom, Code, Continuation, Data, ESearchItem, ExtValue, ListItem, MailboxAttr,
    NamespaceDescr, QuotaResource, RespText, Response, StatusKind, Tag, Tagged, Text,
};

impl<'a> Parser<'a> {
    /// `response = continue-req / response-data / response-tagged`.
    pub(crate) fn response(&mut self) -> PResult<Response<'a>> {
        match self.peek()? {
            b'+' => {
                self.pos += 1;
                if self.quirks().bare_continuation && self.at_eol()? {
                    self.crlf()?;
                    return Ok(Response::Continuation(Continuation {
                        code: None,
                        text: Text::unchecked(""),
                    }));
                }
                self.sp()?;
                let RespText { code, text } = self.resp_text()?;
                self.crlf()?;
                Ok(Response::Continuation(Continuation { code, text }))
            }
            b'*' => {
                self.pos += 1;
                self.sp()?;
                let data = self.response_data()?;
                Ok(Response::Data(data))
            }
            _ => {
                let tag = self.tag()?;
                self.sp()?;
                let start = self.pos;
                let w = self.word()?;
                let kind = match_status(w)
                    .filter(|k| matches!(k, StatusKind::Ok | StatusKind::No | StatusKind::Bad));
                let kind = kind.ok_or(self.err_at(start, ErrorKind::Expected("OK / NO / BAD")))?;
                self.sp()?;
                let text = self.resp_text()?;
                self.crlf()?;
                Ok(Response::Tagged(Tagged { tag, kind, text }))
            }
        }
    }

    /// `resp-text = ["[" resp-text-code "]" SP] [text]`.
    pub(crate) fn resp_text(&mut self) -> PResult<RespText<'a>> {
        let code = if self.eat(b'[')? {
            let code = self.code()?;
            // RFC 9051 makes the text optional. The examples of RFC 2177,
            // RFC 4978 and RFC 5530 also leave out the space before it
            // (`* OK [UIDVALIDITY 1]`), which is accepted as empty text.
            if self.peek()? == b'\r' {
                return Ok(RespText {
                    code: Some(code),
                    text: Text::unchecked(""),
                });
            }
            self.sp()?;
            Some(code)
        } else {
            None
        };
        Ok(RespText {
            code,
            text: self.text()?,
        })
    }

    fn response_data(&mut self) -> PResult<Data<'a>> {
        let start = self.pos;
        if self.peek()?.is_ascii_digit() {
            let n = self.number()?;
            self.sp()?;
            let at = self.pos;
            let w = self.word()?;
            let mut buf = [0u8; 24];
            let data = match upper(w, &mut buf) {
                b"EXISTS" => Data::Exists(n),
                // `obsolete-recent-response` is in RFC 9051's grammar too.
                b"RECENT" => Data::Recent(n),
                b"EXPUNGE" if n > 0 => Data::Expunge(n),
                b"FETCH" if n > 0 => {
                    self.sp()?;
                    Data::Fetch {
                        seq: n,
                        items: self.msg_att()?,
                    }
                }
                _ => return Err(self.err_at(at, ErrorKind::UnknownResponse)),
            };
            self.crlf()?;
            return Ok(data);
        }
        let w = self.word()?;
        if let Some(kind) = match_status(w) {
            self.sp()?;
            let text = self.resp_text()?;
            self.crlf()?;
            return Ok(Data::Status { kind, text });
        }
        let mut buf = [0u8; 24];
        let data = match upper(w, &mut buf) {
            b"CAPABILITY" => {
                let caps = self.capabilities()?;
                self.crlf_lenient(true)?;
                return Ok(Data::Capability(caps));
            }
            b"ENABLED" => {
                let mut caps = Vec::new();
                while self.peek()? == b' ' && !self.trailing_space()? {
                    self.pos += 1;
                    caps.push(self.atom()?);
                }
                self.crlf_lenient(true)?;
                return Ok(Data::Enabled(caps));
            }
            b"FLAGS" => {
                self.sp()?;
                Data::Flags(self.flag_list(FlagContext::Fetch)?)
            }
            b"LIST" => Data::List(self.list_item()?),
            b"LSUB" if self.mode().rev2() => return Err(self.err_at(start, ErrorKind::Mode)),
            b"LSUB" => Data::Lsub(self.list_item()?),
            b"STATUS" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                self.sp()?;
                let items = self.paren_list(0, |p| {
                    let a = p.status_attr()?;
                    p.sp()?;
                    Ok((a, p.number64()?))
                })?;
                // Some servers end with a space here too.
                self.crlf_lenient(true)?;
                return Ok(Data::MailboxStatus { mailbox, items });
            }
            // `obsolete-search-response` is in RFC 9051's grammar too.
            b"SEARCH" => {
                let mut ids = Vec::new();
                let mut modseq = None;
                while self.peek()? == b' ' && !self.trailing_space()? {
                    self.pos += 1;
                    if self.eat(b'(')? {
                        self.keyword("MODSEQ")?;
                        self.sp()?;
                        modseq = Some(self.nz_number64()?);
                        self.expect(b')', ")")?;
                        break;
                    }
                    ids.push(self.nz_number()?);
                }
                self.crlf_lenient(true)?;
                return Ok(Data::Search { ids, modseq });
            }
            b"ESEARCH" => self.esearch()?,
            b"NAMESPACE" => {
                self.sp()?;
                let personal = self.namespace()?;
                self.sp()?;
                let other = self.namespace()?;
                self.sp()?;
                let shared = self.namespace()?;
                Data::Namespace {
                    personal,
                    other,
                    shared,
                }
            }
            b"ID" => {
                self.sp()?;
                Data::Id(self.id_params()?)
            }
            b"QUOTA" => {
                self.sp()?;
                let root = self.astring()?;
                self.sp()?;
                let resources = self.paren_list(0, |p| {
                    let name = p.atom()?;
                    p.sp()?;
                    let usage = p.number64()?;
                    p.sp()?;
                    Ok(QuotaResource {
                        name,
                        usage,
                        limit: p.number64()?,
                    })
                })?;
                Data::Quota { root, resources }
            }
            b"QUOTAROOT" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                let mut roots = Vec::new();
                while self.eat(b' ')? {
                    roots.push(self.astring()?);
                }
                Data::QuotaRoot { mailbox, roots }
            }
            b"VANISHED" => {
                self.sp()?;
                let earlier = if self.eat(b'(')? {
                    self.keyword("EARLIER")?;
                    self.expect(b')', ")")?;
                    self.sp()?;
                    true
                } else {
                    false
                };
                Data::Vanished {
                    earlier,
                    uids: self.sequence_set(false)?,
                }
            }
            _ => return Err(self.err_at(start, ErrorKind::UnknownResponse)),
        };
        self.crlf()?;
        Ok(data)
    }

    /// Whether the next space is the trailing one the quirk allows.
    fn trailing_space(&self) -> PResult<bool> {
        if !self.quirks().trailing_space {
            return Ok(false);
        }
        let next = *self.buf.get(self.pos + 1).ok_or(super::INCOMPLETE)?;
        Ok(next == b'\r')
    }

    /// `1*(SP capability)`.
    fn capabilities(&mut self) -> PResult<Vec<Atom<'a>>> {
        let mut caps = Vec::new();
        loop {
            if self.peek()? != b' ' || self.trailing_space()? {
                break;
            }
            self.pos += 1;
            caps.push(self.atom()?);
        }
        if caps.is_empty() {
            return Err(self.expected("SP"));
        }
        Ok(caps)
    }

    /// `resp-text-code "]"`. The grammar ends with the catch-all
    /// `atom [SP 1*<any TEXT-CHAR except "]">]`, so a known code whose
    /// arguments do not fit its own production (`[BADCHARSET UTF-8]`, RFC
    /// 9051 §6.4.4's example, or `[ALERT foo]`) is that generic form,
    /// [`Code::Other`].
    fn code(&mut self) -> PResult<Code<'a>> {
        let name = self.atom()?;
        let after_name = self.pos;
        match self.known_code(&name) {
            Ok(Some(code)) => {
                if self.eat(b']')? {
                    return Ok(code);
                }
            }
            Ok(None) => {}
            Err(e @ DecodeError::Incomplete { .. }) => return Err(e),
            Err(_) => {}
        }
        self.pos = after_name;
        // atom [SP 1*<any TEXT-CHAR except "]">]
        let text = if self.eat(b' ')? {
            let from = self.pos;
            let rest = &self.buf[from..];
            let n = rest
                .iter()
                .position(|&b| b == b']' || !types::is_text_char(b))
                .ok_or(super::INCOMPLETE)?;
            if n == 0 || rest[n] != b']' {
                let kind = match rest[n] {
                    0 => ErrorKind::Nul,
                    b if b >= 0x80 => ErrorKind::EightBit,
                    _ => ErrorKind::Expected("]"),
                };
                return Err(self.err_at(from + n, kind));
            }
            self.pos += n;
            Some(Text::unchecked(
                std::str::from_utf8(&rest[..n]).unwrap_or_default(),
            ))
        } else {
            None
        };
        self.expect(b']', "]")?;
        Ok(Code::Other(name, text))
    }

    /// The codes with their own production, or `None` for another atom.
    fn known_code(&mut self, name: &Atom<'a>) -> PResult<Option<Code<'a>>> {
        let mut buf = [0u8; 24];
        let code = match upper(name.as_str().as_bytes(), &mut buf) {
            b"ALERT" => Code::Alert,
            b"PARSE" => Code::Parse,
            b"READ-ONLY" => Code::ReadOnly,
            b"READ-WRITE" => Code::ReadWrite,
            b"TRYCREATE" => Code::TryCreate,
            b"UIDNOTSTICKY" => Code::UidNotSticky,
            b"NOMODSEQ" => Code::NoModSeq,
            b"CLOSED" => Code::Closed,
            b"COMPRESSIONACTIVE" => Code::CompressionActive,
            b"USEATTR" => Code::UseAttr,
            b"UNAVAILABLE" => Code::Unavailable,
            b"AUTHENTICATIONFAILED" => Code::AuthenticationFailed,
            b"AUTHORIZATIONFAILED" => Code::AuthorizationFailed,
            b"EXPIRED" => Code::Expired,
            b"PRIVACYREQUIRED" => Code::PrivacyRequired,
            b"CONTACTADMIN" => Code::ContactAdmin,
            b"NOPERM" => Code::NoPerm,
            b"INUSE" => Code::InUse,
            b"EXPUNGEISSUED" => Code::ExpungeIssued,
            b"CORRUPTION" => Code::Corruption,
            b"SERVERBUG" => Code::ServerBug,
            b"CLIENTBUG" => Code::ClientBug,
            b"CANNOT" => Code::Cannot,
            b"LIMIT" => Code::Limit,
            b"OVERQUOTA" => Code::OverQuota,
            b"ALREADYEXISTS" => Code::AlreadyExists,
            b"NONEXISTENT" => Code::NonExistent,
            b"NOTSAVED" => Code::NotSaved,
            b"HASCHILDREN" => Code::HasChildren,
            b"UNKNOWN-CTE" => Code::UnknownCte,
            // "BADCHARSET" [SP "(" charset *(SP charset) ")"]
            b"BADCHARSET" => {
                let mut charsets = Vec::new();
                if self.eat(b' ')? {
                    charsets = self.paren_list(1, Self::charset)?;
                }
                Code::BadCharset(charsets)
            }
            b"CAPABILITY" => Code::Capability(self.capabilities()?),
            b"PERMANENTFLAGS" => {
                self.sp()?;
                Code::PermanentFlags(self.flag_list(FlagContext::Perm)?)
            }
            b"UIDNEXT" => {
                self.sp()?;
                Code::UidNext(self.nz_number()?)
            }
            b"UIDVALIDITY" => {
                self.sp()?;
                Code::UidValidity(self.nz_number()?)
            }
            // RFC 3501 only: in IMAP4rev2 it is the generic form.
            b"UNSEEN" if !self.mode().rev2() => {
                self.sp()?;
                Code::Unseen(self.nz_number()?)
            }
            b"APPENDUID" => {
                self.sp()?;
                let uid_validity = self.nz_number()?;
                self.sp()?;
                Code::AppendUid {
                    uid_validity,
                    uids: self.sequence_set(false)?,
                }
            }
            b"COPYUID" => {
                self.sp()?;
                let uid_validity = self.nz_number()?;
                self.sp()?;
                let source = self.sequence_set(false)?;
                self.sp()?;
                Code::CopyUid {
                    uid_validity,
                    source,
                    destination: self.sequence_set(false)?,
                }
            }
            b"HIGHESTMODSEQ" => {
                self.sp()?;
                Code::HighestModSeq(self.nz_number64()?)
            }
            // RFC 7162 §7: `"MODIFIED" SP sequence-set` (RFC 3501's, no `$`).
            b"MODIFIED" => {
                self.sp()?;
                Code::Modified(self.sequence_set_with(true, false)?)
            }
            _ => return Ok(None),
        };
        Ok(Some(code))
    }

    /// `mailbox-list` with RFC 5258's extended data.
    fn list_item(&mut self) -> PResult<ListItem<'a>> {
        self.sp()?;
        let attrs = self.paren_list(0, |p| {
            p.expect(b'\\', "mbx-list-flag")?;
            p.atom().map(MailboxAttr::new)
        })?;
        self.sp()?;
        let delimiter = self.delimiter()?;
        self.sp()?;
        let mailbox = self.mailbox()?;
        let extended = if self.eat(b' ')? {
            Some(self.paren_list(0, |p| {
                let tag = p.astring()?;
                p.sp()?;
                Ok((tag, p.ext_value()?))
            })?)
        } else {
            None
        };
        Ok(ListItem {
            attrs,
            delimiter,
            mailbox,
            extended,
        })
    }

    /// `tagged-ext-val`, nested no deeper than the options allow.
    fn ext_value(&mut self) -> PResult<ExtValue<'a>> {
        self.enter()?;
        let v = if self.peek()? == b'(' {
            self.paren_list(0, Self::ext_value).map(ExtValue::List)
        } else {
            self.astring().map(ExtValue::Value)
        };
        self.leave();
        v
    }

    /// `esearch-response` (RFC 4731 §3.2, RFC 9051 §7.3.4).
    fn esearch(&mut self) -> PResult<Data<'a>> {
        let mut tag = None;
        let mut uid = false;
        if self.peek()? == b' ' && self.buf.get(self.pos + 1) == Some(&b'(') {
            self.pos += 2;
            self.keyword("TAG")?;
            self.sp()?;
            let at = self.pos;
            let s = self.astring()?;
            let t = std::str::from_utf8(s.as_bytes())
                .ok()
                .and_then(|s| Tag::new(s.to_owned()).ok());
            tag = Some(t.ok_or(self.err_at(at, ErrorKind::Expected("tag-string")))?);
            self.expect(b')', ")")?;
        }
        if self.peek()? == b' ' && self.peek_word_at(1, b"UID")? {
            self.pos += 4;
            uid = true;
        }
        let mut items = Vec::new();
        while self.eat(b' ')? {
            let at = self.pos;
            let name = self.atom()?;
            self.sp()?;
            let mut buf = [0u8; 24];
            items.push(match upper(name.as_str().as_bytes(), &mut buf) {
                b"MIN" => ESearchItem::Min(self.nz_number()?),
                b"MAX" => ESearchItem::Max(self.nz_number()?),
                // "ALL" SP sequence-set, without "$" (RFC 9051 §9, RFC 4731 §3.1).
                b"ALL" => ESearchItem::All(self.sequence_set_with(true, false)?),
                b"COUNT" => ESearchItem::Count(self.number()?),
                b"MODSEQ" => ESearchItem::ModSeq(self.nz_number64()?),
                _ => {
                    let _ = at;
                    ESearchItem::Other(name, self.ext_value()?)
                }
            });
        }
        Ok(Data::ESearch { tag, uid, items })
    }

    fn peek_word_at(&mut self, skip: usize, word: &[u8]) -> PResult<bool> {
        self.pos += skip;
        let r = self.peek_word(word);
        self.pos -= skip;
        r
    }

    /// `namespace = nil / "(" 1*namespace-descr ")"`.
    fn namespace(&mut self) -> PResult<Vec<NamespaceDescr<'a>>> {
        if self.peek()? != b'(' {
            self.nil()?;
            return Ok(Vec::new());
        }
        self.pos += 1;
        let mut v = Vec::new();
        loop {
            self.expect(b'(', "namespace-descr")?;
            let prefix = self.string()?;
            self.sp()?;
            let delimiter = self.delimiter()?;
            let mut extensions = Vec::new();
            while self.eat(b' ')? {
                let name = self.string()?;
                self.sp()?;
                extensions.push((name, self.paren_list(1, Self::string)?));
            }
            self.expect(b')', ")")?;
            v.push(NamespaceDescr {
                prefix,
                delimiter,
                extensions,
            });
            if self.eat(b')')? {
                return Ok(v);
            }
        }
    }
}

fn match_status(w: &[u8]) -> Option<StatusKind> {
    let mut buf = [0u8; 24];
    Some(match upper(w, &mut buf) {
        b"OK" => StatusKind::Ok,
        b"NO" => StatusKind::No,
        b"BAD" => StatusKind::Bad,
        b"PREAUTH" => StatusKind::PreAuth,
        b"BYE" => StatusKind::Bye,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use crate::error::{DecodeError, ErrorKind};
    use crate::types::*;
    use crate::{Mode, Options, Quirks};

    fn decode_with(s: &'static [u8], o: &Options) -> Result<Response<'static>, DecodeError> {
        let b = Bytes::from_static(s);
        crate::decode::response(&b, o).map(|(r, n)| {
            assert_eq!(n, s.len());
            r.into_static()
        })
    }

    fn decode(s: &'static [u8]) -> Result<Response<'static>, DecodeError> {
        decode_with(s, &Options::default())
    }

    #[test]
    fn quirks_are_opt_in() {
        let quirky = Options {
            quirks: Quirks {
                trailing_space: true,
                bare_continuation: true,
                nil_as_string: true,
                nul_in_literal: true,
            },
            ..Options::default()
        };
        for line in [
            &b"* SEARCH 2 3 \r\n"[..],
            b"* CAPABILITY IMAP4rev1 IDLE \r\n",
            b"+\r\n",
            b"* ENABLED \r\n",
        ] {
            let b = Bytes::from_static(line);
            assert!(
                crate::decode::response(&b, &Options::default()).is_err(),
                "{line:?}"
            );
            assert!(crate::decode::response(&b, &quirky).is_ok(), "{line:?}");
        }
        assert_eq!(
            decode_with(b"* SEARCH 2 3 \r\n", &quirky).unwrap(),
            Response::Data(Data::Search {
                ids: vec![2, 3],
                modseq: None
            })
        );
    }

    #[test]
    fn rev2_keeps_the_obsolete_responses_but_not_lsub() {
        // RFC 9051 §9: obsolete-search-response, obsolete-recent-response
        // and obsolete-flag-recent are in the grammar a rev2 client reads.
        let rev2 = Options::with_mode(Mode::Imap4rev2);
        for (line, value) in [
            (&b"* 5 RECENT\r\n"[..], Data::Recent(5)),
            (
                b"* SEARCH 1\r\n",
                Data::Search {
                    ids: vec![1],
                    modseq: None,
                },
            ),
            (
                b"* 1 FETCH (FLAGS (\\Recent))\r\n",
                Data::Fetch {
                    seq: 1,
                    items: vec![FetchItem::Flags(vec![Flag::Recent])],
                },
            ),
        ] {
            assert_eq!(decode_with(line, &rev2).unwrap(), Response::Data(value));
            let mut out = bytes::BytesMut::new();
            let r = decode_with(line, &rev2).unwrap();
            crate::encode::response(&r, &mut out, &rev2).unwrap();
            assert_eq!(&out[..], line, "and the encoder writes them back");
        }
        let b = Bytes::from_static(b"* LSUB () \"/\" a\r\n");
        assert_eq!(
            crate::decode::response(&b, &rev2),
            Err(DecodeError::Invalid {
                offset: 2,
                kind: ErrorKind::Mode
            })
        );
        assert!(crate::decode::response(&b, &Options::default()).is_ok());
        // RFC 9051 has no UNSEEN code: in rev2 it is the generic
        // `atom SP text` form, which encodes back the same.
        let line = b"* OK [UNSEEN 12] x\r\n";
        let r = decode_with(line, &rev2).unwrap();
        let Response::Data(Data::Status { text, .. }) = &r else {
            panic!()
        };
        assert_eq!(
            text.code,
            Some(Code::Other(
                Atom::new("UNSEEN").unwrap(),
                Some(Text::new("12").unwrap())
            ))
        );
        let mut out = bytes::BytesMut::new();
        crate::encode::response(&r, &mut out, &rev2).unwrap();
        assert_eq!(&out[..], line);
        let Response::Data(Data::Status { text, .. }) = decode(line).unwrap() else {
            panic!()
        };
        assert_eq!(text.code, Some(Code::Unseen(12)));
    }

    #[test]
    fn codes() {
        let r = decode(b"a OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n").unwrap();
        let Response::Tagged(t) = r else { panic!() };
        assert!(matches!(
            t.text.code,
            Some(Code::CopyUid {
                uid_validity: 38505,
                ..
            })
        ));
        let r = decode(b"* NO [X-FOO bar baz] x\r\n").unwrap();
        let Response::Data(Data::Status { text, .. }) = r else {
            panic!()
        };
        assert_eq!(
            text.code,
            Some(Code::Other(
                Atom::new("X-FOO").unwrap(),
                Some(Text::new("bar baz").unwrap())
            ))
        );
        // A known code whose arguments do not fit its production is the
        // generic `atom SP 1*<TEXT-CHAR except "]">` (RFC 9051 §9).
        for (line, name, text) in [
            (&b"a OK [UIDNEXT 0] x\r\n"[..], "UIDNEXT", "0"),
            (b"a OK [ALERT foo] x\r\n", "ALERT", "foo"),
            (b"a NO [BADCHARSET UTF-8] x\r\n", "BADCHARSET", "UTF-8"),
            (b"a OK [UIDNEXT 5 6] x\r\n", "UIDNEXT", "5 6"),
        ] {
            let Response::Tagged(t) = decode(line).unwrap() else {
                panic!()
            };
            assert_eq!(
                t.text.code,
                Some(Code::Other(
                    Atom::new(name).unwrap(),
                    Some(Text::new(text).unwrap())
                ))
            );
        }
        assert_eq!(
            decode(b"a OK [UIDNEXT 5\r\n").unwrap_err().offset(),
            Some(15)
        );
        assert_eq!(decode(b"a OK [ALERT]x\r\n").unwrap_err().offset(), Some(12));
        // A code with no text: RFC 9051's `"[" resp-text-code "]" SP [text]`
        // keeps the space; RFC 3501's `text = 1*TEXT-CHAR` has no empty text.
        let rev2 = Options::with_mode(Mode::Imap4rev2);
        let r = decode_with(b"a OK [ALERT] \r\n", &rev2).unwrap();
        let mut out = bytes::BytesMut::new();
        crate::encode::response(&r, &mut out, &rev2).unwrap();
        assert_eq!(&out[..], b"a OK [ALERT] \r\n");
        assert!(matches!(
            crate::encode::response(&r, &mut out, &Options::default()),
            Err(crate::EncodeError::Empty(_))
        ));
        assert_eq!(decode(b"a MAYBE x\r\n").unwrap_err().offset(), Some(2));
    }

    #[test]
    fn untagged_numbers() {
        assert_eq!(decode(b"* 0 EXPUNGE\r\n").unwrap_err().offset(), Some(4));
        assert_eq!(
            decode(b"* 3 EXPUNGE\r\n").unwrap(),
            Response::Data(Data::Expunge(3))
        );
        assert_eq!(
            decode(b"* 3 FOO\r\n").unwrap_err(),
            DecodeError::Invalid {
                offset: 4,
                kind: ErrorKind::UnknownResponse
            }
        );
    }
}
