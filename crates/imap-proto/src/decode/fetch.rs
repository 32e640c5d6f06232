//! FETCH attributes and FETCH response items (RFC 9051 §6.4.5, §7.5.2;
//! RFC 3516 BINARY; RFC 7162 MODSEQ).

use super::{FlagContext, PResult, Parser, upper};
use crate::error::ErrorKind;
use crate::types::{
    AString, CommandBody, FetchAttr, FetchAttrs, FetchItem, FetchModifier, Partial, Section,
    SectionText,
};

impl<'a> Parser<'a> {
    /// `fetch = "FETCH" SP sequence-set SP (...) [fetch-modifiers]`.
    pub(crate) fn fetch(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let set = self.sequence_set(true)?;
        self.sp()?;
        let attrs = if self.peek()? == b'(' {
            FetchAttrs::List(self.paren_list(1, Self::fetch_attr)?)
        } else {
            let start = self.pos;
            let rest = &self.buf_from(start);
            if starts_word(rest, b"ALL") {
                self.pos += 3;
                FetchAttrs::All
            } else if starts_word(rest, b"FAST") {
                self.pos += 4;
                FetchAttrs::Fast
            } else if starts_word(rest, b"FULL") {
                self.pos += 4;
                FetchAttrs::Full
            } else {
                FetchAttrs::Single(self.fetch_attr()?)
            }
        };
        let mut modifiers = Vec::new();
        if self.peek()? == b' ' {
            self.sp()?;
            modifiers = self.paren_list(1, |p| {
                let start = p.pos;
                let w = p.word()?;
                if w.eq_ignore_ascii_case(b"CHANGEDSINCE") {
                    p.sp()?;
                    Ok(FetchModifier::ChangedSince(p.nz_number64()?))
                } else if w.eq_ignore_ascii_case(b"VANISHED") {
                    Ok(FetchModifier::Vanished)
                } else {
                    Err(p.err_at(start, ErrorKind::Expected("fetch-modifier")))
                }
            })?;
        }
        Ok(CommandBody::Fetch {
            uid,
            set,
            attrs,
            modifiers,
        })
    }

    fn buf_from(&self, at: usize) -> &'a [u8] {
        &self.buf[at..]
    }

    /// A fetch attribute's name: letters, digits and dots.
    fn fetch_name(&mut self) -> PResult<&'a [u8]> {
        self.take1(crate::types::is_att_name_char, "fetch-att")
    }

    fn fetch_attr(&mut self) -> PResult<FetchAttr<'a>> {
        let start = self.pos;
        let name = self.fetch_name()?;
        let mut buf = [0u8; 24];
        let attr = match upper(name, &mut buf) {
            b"ENVELOPE" => FetchAttr::Envelope,
            b"FLAGS" => FetchAttr::Flags,
            b"INTERNALDATE" => FetchAttr::InternalDate,
            b"RFC822.SIZE" => FetchAttr::Rfc822Size,
            b"RFC822" => FetchAttr::Rfc822,
            b"RFC822.HEADER" => FetchAttr::Rfc822Header,
            b"RFC822.TEXT" => FetchAttr::Rfc822Text,
            b"BODYSTRUCTURE" => FetchAttr::BodyStructure,
            b"UID" => FetchAttr::Uid,
            b"MODSEQ" => FetchAttr::ModSeq,
            b"BODY" if self.peek()? != b'[' => FetchAttr::Body,
            b"BODY" | b"BODY.PEEK" => {
                let peek = name.len() > 4;
                let section = self.section()?;
                let partial = self.partial()?;
                FetchAttr::BodySection {
                    peek,
                    section,
                    partial,
                }
            }
            b"BINARY" | b"BINARY.PEEK" => {
                let peek = name.len() > 6;
                let part = self.section_binary()?;
                let partial = self.partial()?;
                FetchAttr::Binary {
                    peek,
                    part,
                    partial,
                }
            }
            b"BINARY.SIZE" => FetchAttr::BinarySize {
                part: self.section_binary()?,
            },
            _ => return Err(self.err_at(start, ErrorKind::Expected("fetch-att"))),
        };
        Ok(attr)
    }

    /// `partial = "<" number64 "." nz-number64 ">"`, if present.
    fn partial(&mut self) -> PResult<Option<Partial>> {
        if !self.eat(b'<')? {
            return Ok(None);
        }
        let origin = self.number64()?;
        self.expect(b'.', ".")?;
        let length = self.nz_number64()?;
        self.expect(b'>', ">")?;
        Ok(Some(Partial { origin, length }))
    }

    /// `section = "[" [section-spec] "]"`.
    pub(crate) fn section(&mut self) -> PResult<Section<'a>> {
        self.expect(b'[', "[")?;
        let mut section = Section::default();
        if self.eat(b']')? {
            return Ok(section);
        }
        let mut text_allowed_mime = false;
        if self.peek()?.is_ascii_digit() {
            section.part.push(self.nz_number()?);
            text_allowed_mime = true;
            loop {
                if !self.eat(b'.')? {
                    self.expect(b']', "]")?;
                    return Ok(section);
                }
                if self.peek()?.is_ascii_digit() {
                    section.part.push(self.nz_number()?);
                } else {
                    break;
                }
            }
        }
        let start = self.pos;
        let w = self.take1(|b| b.is_ascii_alphabetic() || b == b'.', "section-text")?;
        let mut buf = [0u8; 24];
        let text = match upper(w, &mut buf) {
            b"HEADER" => SectionText::Header,
            b"TEXT" => SectionText::Text,
            b"MIME" if text_allowed_mime => SectionText::Mime,
            b"HEADER.FIELDS" => SectionText::HeaderFields(self.header_list()?),
            b"HEADER.FIELDS.NOT" => SectionText::HeaderFieldsNot(self.header_list()?),
            _ => return Err(self.err_at(start, ErrorKind::Expected("section-text"))),
        };
        section.text = Some(text);
        self.expect(b']', "]")?;
        Ok(section)
    }

    fn header_list(&mut self) -> PResult<Vec<AString<'a>>> {
        self.sp()?;
        self.paren_list(1, Self::astring)
    }

    /// `section-binary = "[" [section-part] "]"`.
    fn section_binary(&mut self) -> PResult<Vec<u32>> {
        self.expect(b'[', "[")?;
        let mut part = Vec::new();
        if self.eat(b']')? {
            return Ok(part);
        }
        loop {
            part.push(self.nz_number()?);
            if self.eat(b']')? {
                return Ok(part);
            }
            self.expect(b'.', ".")?;
        }
    }

    /// `msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP ...) ")"`.
    pub(crate) fn msg_att(&mut self) -> PResult<Vec<FetchItem<'a>>> {
        self.expect(b'(', "(")?;
        let mut v = Vec::with_capacity(8);
        loop {
            v.push(self.fetch_item()?);
            if self.eat(b')')? {
                return Ok(v);
            }
            self.sp()?;
        }
    }

    fn fetch_item(&mut self) -> PResult<FetchItem<'a>> {
        let start = self.pos;
        let name = self.fetch_name()?;
        let mut buf = [0u8; 24];
        let name = upper(name, &mut buf);
        if name == b"BODY" && self.peek()? == b'[' {
            let section = self.section()?;
            let origin = if self.eat(b'<')? {
                let n = self.number64()?;
                self.expect(b'>', ">")?;
                Some(n)
            } else {
                None
            };
            self.sp()?;
            return Ok(FetchItem::BodySection {
                section,
                origin,
                data: self.nstring()?,
            });
        }
        if name == b"BINARY" {
            let part = self.section_binary()?;
            self.sp()?;
            return Ok(FetchItem::Binary {
                part,
                data: self.with_literal8(Self::nstring)?,
            });
        }
        if name == b"BINARY.SIZE" {
            let part = self.section_binary()?;
            self.sp()?;
            return Ok(FetchItem::BinarySize {
                part,
                size: self.number()?,
            });
        }
        self.sp()?;
        Ok(match name {
            b"FLAGS" => FetchItem::Flags(self.flag_list(FlagContext::Fetch)?),
            b"ENVELOPE" => FetchItem::Envelope(Box::new(self.envelope()?)),
            b"INTERNALDATE" => FetchItem::InternalDate(self.date_time()?),
            b"RFC822.SIZE" => FetchItem::Rfc822Size(self.number64()?),
            b"RFC822" => FetchItem::Rfc822(self.nstring()?),
            b"RFC822.HEADER" => FetchItem::Rfc822Header(self.nstring()?),
            b"RFC822.TEXT" => FetchItem::Rfc822Text(self.nstring()?),
            b"BODY" => FetchItem::Body(self.body()?),
            b"BODYSTRUCTURE" => FetchItem::BodyStructure(self.body()?),
            b"UID" => FetchItem::Uid(self.nz_number()?),
            b"MODSEQ" => {
                self.expect(b'(', "(")?;
                let n = self.number64()?;
                self.expect(b')', ")")?;
                FetchItem::ModSeq(n)
            }
            _ => return Err(self.err_at(start, ErrorKind::Expected("msg-att"))),
        })
    }
}

/// Whether `rest` starts with `word` (any case) and then a non-name octet.
fn starts_word(rest: &[u8], word: &[u8]) -> bool {
    rest.len() > word.len()
        && rest[..word.len()].eq_ignore_ascii_case(word)
        && !rest[word.len()].is_ascii_alphanumeric()
        && rest[word.len()] != b'.'
        && rest[word.len()] != b'['
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use crate::Options;
    use crate::types::*;

    fn attrs(s: &'static [u8]) -> FetchAttrs<'static> {
        let b = Bytes::from_static(s);
        match crate::decode::command(&b, &Options::default())
            .unwrap()
            .0
            .into_static()
            .body
        {
            CommandBody::Fetch { attrs, .. } => attrs,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sections_and_partials() {
        let a = attrs(b"a FETCH 1 (BODY.PEEK[1.2.HEADER.FIELDS.NOT (To Cc)]<0.2048> BINARY[1.2] BODY[1.MIME] BODY)\r\n");
        let FetchAttrs::List(v) = a else { panic!() };
        assert_eq!(
            v[0],
            FetchAttr::BodySection {
                peek: true,
                section: Section {
                    part: vec![1, 2],
                    text: Some(SectionText::HeaderFieldsNot(vec![
                        AString::from_bytes(&b"To"[..], crate::Mode::Imap4rev1),
                        AString::from_bytes(&b"Cc"[..], crate::Mode::Imap4rev1)
                    ]))
                },
                partial: Some(Partial {
                    origin: 0,
                    length: 2048
                })
            }
        );
        assert_eq!(
            v[1],
            FetchAttr::Binary {
                peek: false,
                part: vec![1, 2],
                partial: None
            }
        );
        assert_eq!(
            v[2],
            FetchAttr::BodySection {
                peek: false,
                section: Section {
                    part: vec![1],
                    text: Some(SectionText::Mime)
                },
                partial: None
            }
        );
        assert_eq!(v[3], FetchAttr::Body);
        assert_eq!(attrs(b"a FETCH 1 FAST\r\n"), FetchAttrs::Fast);
        assert_eq!(
            attrs(b"a FETCH 1 BODY[]\r\n"),
            FetchAttrs::Single(FetchAttr::BodySection {
                peek: false,
                section: Section::default(),
                partial: None
            })
        );
        let b = Bytes::from_static(b"a FETCH 1 BODY[MIME]\r\n");
        assert_eq!(
            crate::decode::command(&b, &Options::default())
                .unwrap_err()
                .offset(),
            Some(15)
        );
    }
}
