//! ENVELOPE and BODYSTRUCTURE (RFC 9051 §7.5.2 and §9).

use super::{PResult, Parser};
use crate::types::{
    Address, BodyExtension, BodyStructure, Disposition, Envelope, ExtTail, IString, Language,
    LanguageTail, LocationTail, MultipartExt, SinglePart, SinglePartExt, Specific,
};

type Params<'a> = Vec<(IString<'a>, IString<'a>)>;

impl<'a> Parser<'a> {
    /// `envelope`.
    pub(crate) fn envelope(&mut self) -> PResult<Envelope<'a>> {
        self.expect(b'(', "envelope")?;
        let mut e = Envelope::default();
        e.date = self.nstring()?;
        self.sp()?;
        e.subject = self.nstring()?;
        for i in 0..6 {
            self.sp()?;
            self.address_list(&mut e)?;
            e.end_list(i);
        }
        self.sp()?;
        e.in_reply_to = self.nstring()?;
        self.sp()?;
        e.message_id = self.nstring()?;
        self.expect(b')', ")")?;
        Ok(e)
    }

    /// `"(" 1*address ")" / nil`, appended to the envelope's addresses.
    fn address_list(&mut self, e: &mut Envelope<'a>) -> PResult<()> {
        if self.peek()? != b'(' {
            return self.nil();
        }
        self.pos += 1;
        loop {
            self.expect(b'(', "address")?;
            let name = self.nstring()?;
            self.sp()?;
            let adl = self.nstring()?;
            self.sp()?;
            let mailbox = self.nstring()?;
            self.sp()?;
            let host = self.nstring()?;
            self.expect(b')', ")")?;
            e.push_address(Address {
                name,
                adl,
                mailbox,
                host,
            });
            if self.eat(b')')? {
                return Ok(());
            }
        }
    }

    /// `body`, nested no deeper than the options allow.
    pub(crate) fn body(&mut self) -> PResult<BodyStructure<'a>> {
        self.enter()?;
        self.expect(b'(', "body")?;
        let body = if self.peek()? == b'(' {
            self.multipart()?
        } else {
            self.single_part()?
        };
        self.expect(b')', ")")?;
        self.leave();
        Ok(body)
    }

    // The recursive path (body -> multipart or single_part -> body) keeps
    // its frames small: the fields of a part, which inline the string
    // terminals, are read in functions that return before the recursion.
    // Options::MAX_DEPTH is proven against these frames in debug builds
    // (tests/depth.rs).

    fn multipart(&mut self) -> PResult<BodyStructure<'a>> {
        let mut parts = Vec::with_capacity(2);
        while self.peek()? == b'(' {
            parts.push(self.body()?);
        }
        self.multipart_tail(parts)
    }

    /// `SP media-subtype [SP body-ext-mpart]`, after the parts.
    #[inline(never)]
    fn multipart_tail(&mut self, parts: Vec<BodyStructure<'a>>) -> PResult<BodyStructure<'a>> {
        self.sp()?;
        let subtype = self.string()?;
        let ext = if self.eat(b' ')? {
            let params = self.body_params()?;
            Some(Box::new(MultipartExt {
                params,
                tail: self.ext_tail()?,
            }))
        } else {
            None
        };
        Ok(BodyStructure::Multi {
            parts,
            subtype,
            ext,
        })
    }

    fn single_part(&mut self) -> PResult<BodyStructure<'a>> {
        let (mut part, message) = self.part_fields()?;
        if message {
            self.sp()?;
            let envelope = Box::new(self.envelope()?);
            self.sp()?;
            let body = Box::new(self.body()?);
            self.sp()?;
            part.specific = Specific::Message {
                envelope,
                body,
                lines: self.number64()?,
            };
        }
        let ext = self.single_part_ext()?;
        Ok(BodyStructure::Single { part, ext })
    }

    /// `body-fields` and, for text, `SP body-fld-lines`; says whether the
    /// part is a message/rfc822 (or message/global), whose envelope, body
    /// and lines follow.
    #[inline(never)]
    fn part_fields(&mut self) -> PResult<(Box<SinglePart<'a>>, bool)> {
        let media_type = self.string()?;
        self.sp()?;
        let subtype = self.string()?;
        self.sp()?;
        let params = self.body_params()?;
        self.sp()?;
        let id = self.nstring()?;
        self.sp()?;
        let description = self.nstring()?;
        self.sp()?;
        let encoding = self.string()?;
        self.sp()?;
        let octets = self.number()?;
        let t = media_type.as_bytes();
        let mut message = false;
        let specific = if t.eq_ignore_ascii_case(b"TEXT") {
            self.sp()?;
            Specific::Text {
                lines: self.number64()?,
            }
        } else {
            message = t.eq_ignore_ascii_case(b"MESSAGE")
                && (subtype.as_bytes().eq_ignore_ascii_case(b"RFC822")
                    || subtype.as_bytes().eq_ignore_ascii_case(b"GLOBAL"));
            Specific::Basic
        };
        let part = Box::new(SinglePart {
            media_type,
            subtype,
            params,
            id,
            description,
            encoding,
            octets,
            specific,
        });
        Ok((part, message))
    }

    /// `[SP body-ext-1part]`.
    #[inline(never)]
    fn single_part_ext(&mut self) -> PResult<Option<Box<SinglePartExt<'a>>>> {
        if !self.eat(b' ')? {
            return Ok(None);
        }
        let md5 = self.nstring()?;
        Ok(Some(Box::new(SinglePartExt {
            md5,
            tail: self.ext_tail()?,
        })))
    }

    /// `body-fld-param = "(" string SP string *(SP string SP string) ")" / nil`.
    fn body_params(&mut self) -> PResult<Params<'a>> {
        if self.peek()? != b'(' {
            self.nil()?;
            return Ok(Vec::new());
        }
        self.paren_list(1, |p| {
            let k = p.string()?;
            p.sp()?;
            Ok((k, p.string()?))
        })
    }

    /// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`.
    fn ext_tail(&mut self) -> PResult<Option<ExtTail<'a>>> {
        if !self.eat(b' ')? {
            return Ok(None);
        }
        let disposition = if self.peek()? == b'(' {
            self.pos += 1;
            let kind = self.string()?;
            self.sp()?;
            let params = self.body_params()?;
            self.expect(b')', ")")?;
            Some(Disposition { kind, params })
        } else {
            self.nil()?;
            None
        };
        let language = if self.eat(b' ')? {
            let language = if self.peek()? == b'(' {
                Language::List(self.paren_list(1, Self::string)?)
            } else {
                Language::Single(self.nstring()?)
            };
            let location = if self.eat(b' ')? {
                let location = self.nstring()?;
                let mut extensions = Vec::new();
                while self.eat(b' ')? {
                    extensions.push(self.body_extension()?);
                }
                Some(LocationTail {
                    location,
                    extensions,
                })
            } else {
                None
            };
            Some(LanguageTail { language, location })
        } else {
            None
        };
        Ok(Some(ExtTail {
            disposition,
            language,
        }))
    }

    fn body_extension(&mut self) -> PResult<BodyExtension<'a>> {
        self.enter()?;
        let ext = if self.peek()? == b'(' {
            BodyExtension::List(self.paren_list(1, Self::body_extension)?)
        } else {
            self.body_extension_leaf()?
        };
        self.leave();
        Ok(ext)
    }

    #[inline(never)]
    fn body_extension_leaf(&mut self) -> PResult<BodyExtension<'a>> {
        Ok(match self.peek()? {
            b'0'..=b'9' => BodyExtension::Number(self.number64()?),
            _ => BodyExtension::NString(self.nstring()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use crate::error::{DecodeError, ErrorKind};
    use crate::types::*;
    use crate::{Options, Quirks};

    fn body(s: &[u8], opts: &Options) -> Result<BodyStructure<'static>, DecodeError> {
        let mut line = b"* 1 FETCH (BODYSTRUCTURE ".to_vec();
        line.extend_from_slice(s);
        line.extend_from_slice(b")\r\n");
        let b = Bytes::from(line);
        crate::decode::response(&b, opts).map(|(r, _)| match r.into_static() {
            Response::Data(Data::Fetch { mut items, .. }) => match items.remove(0) {
                FetchItem::BodyStructure(b) => b,
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn nesting_is_bounded_without_deep_recursion() {
        let single = b"(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)";
        let nest = |n: usize| {
            let mut v = b"(".repeat(n);
            v.extend_from_slice(single);
            v.extend(std::iter::repeat_n(b" \"MIXED\")".as_slice(), n).flatten());
            v
        };
        let ok = body(&nest(99), &Options::default()).unwrap();
        assert_eq!(ok.depth(), 100);
        match body(&nest(100), &Options::default()) {
            Err(DecodeError::Invalid {
                kind: ErrorKind::TooDeep,
                offset,
            }) => assert_eq!(offset, 25 + 100),
            other => panic!("{other:?}"),
        }
        // A hostile peer's 100 000 levels stop at the bound, not at the stack.
        let deep = Options {
            max_depth: usize::MAX,
            ..Options::default()
        };
        match body(&nest(100_000), &deep) {
            Err(DecodeError::Invalid {
                kind: ErrorKind::TooDeep,
                offset,
            }) => assert_eq!(offset, 25 + Options::MAX_DEPTH),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nil_where_a_string_belongs_is_a_quirk() {
        let s = b"(NIL NIL NIL NIL NIL NIL 0)";
        assert_eq!(body(s, &Options::default()).unwrap_err().offset(), Some(26));
        let o = Options {
            quirks: Quirks {
                nil_as_string: true,
                ..Quirks::default()
            },
            ..Options::default()
        };
        let BodyStructure::Single { part, .. } = body(s, &o).unwrap() else {
            panic!()
        };
        assert_eq!(part.media_type.as_bytes(), b"");
        assert_eq!(part.specific, Specific::Basic);
    }

    #[test]
    fn extension_data_keeps_its_shape() {
        let s = b"(\"IMAGE\" \"PNG\" (\"NAME\" \"a.png\") \"<id>\" NIL \"BASE64\" 12 NIL (\"attachment\" NIL) (\"en\" \"de\") \"loc\" 7 (\"x\" (1)))";
        let BodyStructure::Single { ext: Some(ext), .. } = body(s, &Options::default()).unwrap()
        else {
            panic!()
        };
        let tail = ext.tail.unwrap();
        assert_eq!(tail.disposition.unwrap().kind.as_bytes(), b"attachment");
        let lang = tail.language.unwrap();
        assert!(matches!(lang.language, Language::List(ref v) if v.len() == 2));
        let loc = lang.location.unwrap();
        assert_eq!(loc.extensions.len(), 2);
    }
}
