//! SEARCH (RFC 9051 §6.4.4, RFC 4731, RFC 5182, RFC 7162 §3.1.5, RFC 5032).

use super::{PResult, Parser, upper};
use crate::error::ErrorKind;
use crate::types::{CommandBody, EntryType, SearchKey, SearchReturn};

impl<'a> Parser<'a> {
    /// `search = "SEARCH" [search-return-opts] SP search-program`.
    pub(crate) fn search(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let mut returns = None;
        if self.peek_word(b"RETURN")? {
            self.pos += 6;
            self.sp()?;
            returns = Some(self.paren_list(0, |p| {
                let start = p.pos;
                let w = p.word()?;
                let mut buf = [0u8; 24];
                Ok(match upper(w, &mut buf) {
                    b"MIN" => SearchReturn::Min,
                    b"MAX" => SearchReturn::Max,
                    b"ALL" => SearchReturn::All,
                    b"COUNT" => SearchReturn::Count,
                    b"SAVE" => SearchReturn::Save,
                    _ => return Err(p.err_at(start, ErrorKind::Expected("search-return-opt"))),
                })
            })?);
            self.sp()?;
        }
        let mut charset = None;
        if self.peek_word(b"CHARSET")? {
            self.pos += 7;
            self.sp()?;
            charset = Some(self.charset()?);
            self.sp()?;
        }
        let mut criteria = vec![self.search_key()?];
        while self.eat(b' ')? {
            criteria.push(self.search_key()?);
        }
        Ok(CommandBody::Search {
            uid,
            returns,
            charset,
            criteria,
        })
    }

    /// One `search-key`, nested no deeper than the options allow.
    pub(crate) fn search_key(&mut self) -> PResult<SearchKey<'a>> {
        self.enter()?;
        let key = self.search_key_inner();
        self.leave();
        key
    }

    /// The recursive keys (`(...)`, `NOT`, `OR`) here, the others in
    /// [`Self::search_key_leaf`], so the recursion's frames stay small.
    fn search_key_inner(&mut self) -> PResult<SearchKey<'a>> {
        if self.peek()? == b'(' {
            let keys = self.paren_list(1, Self::search_key)?;
            return Ok(SearchKey::And(keys));
        }
        if self.peek_word(b"NOT")? {
            self.pos += 3;
            self.sp()?;
            return Ok(SearchKey::Not(Box::new(self.search_key()?)));
        }
        if self.peek_word(b"OR")? {
            self.pos += 2;
            self.sp()?;
            let a = Box::new(self.search_key()?);
            self.sp()?;
            return Ok(SearchKey::Or(a, Box::new(self.search_key()?)));
        }
        self.search_key_leaf()
    }

    #[inline(never)]
    fn search_key_leaf(&mut self) -> PResult<SearchKey<'a>> {
        let c = self.peek()?;
        if c.is_ascii_digit() || c == b'*' || c == b'$' {
            return self.sequence_set(true).map(SearchKey::SequenceSet);
        }
        let start = self.pos;
        let w = self.word()?;
        let mut buf = [0u8; 24];
        let key = match upper(w, &mut buf) {
            b"ALL" => SearchKey::All,
            b"ANSWERED" => SearchKey::Answered,
            b"DELETED" => SearchKey::Deleted,
            b"DRAFT" => SearchKey::Draft,
            b"FLAGGED" => SearchKey::Flagged,
            b"NEW" if !self.mode().rev2() => SearchKey::New,
            b"OLD" if !self.mode().rev2() => SearchKey::Old,
            b"RECENT" if !self.mode().rev2() => SearchKey::Recent,
            b"SEEN" => SearchKey::Seen,
            b"UNANSWERED" => SearchKey::Unanswered,
            b"UNDELETED" => SearchKey::Undeleted,
            b"UNDRAFT" => SearchKey::Undraft,
            b"UNFLAGGED" => SearchKey::Unflagged,
            b"UNSEEN" => SearchKey::Unseen,
            b"BCC" => SearchKey::Bcc(self.sp_astring()?),
            b"BODY" => SearchKey::Body(self.sp_astring()?),
            b"CC" => SearchKey::Cc(self.sp_astring()?),
            b"FROM" => SearchKey::From(self.sp_astring()?),
            b"SUBJECT" => SearchKey::Subject(self.sp_astring()?),
            b"TEXT" => SearchKey::Text(self.sp_astring()?),
            b"TO" => SearchKey::To(self.sp_astring()?),
            b"HEADER" => {
                let name = self.sp_astring()?;
                SearchKey::Header(name, self.sp_astring()?)
            }
            b"KEYWORD" => {
                self.sp()?;
                SearchKey::Keyword(self.atom()?)
            }
            b"UNKEYWORD" => {
                self.sp()?;
                SearchKey::Unkeyword(self.atom()?)
            }
            b"BEFORE" => SearchKey::Before(self.sp_date()?),
            b"ON" => SearchKey::On(self.sp_date()?),
            b"SINCE" => SearchKey::Since(self.sp_date()?),
            b"SENTBEFORE" => SearchKey::SentBefore(self.sp_date()?),
            b"SENTON" => SearchKey::SentOn(self.sp_date()?),
            b"SENTSINCE" => SearchKey::SentSince(self.sp_date()?),
            b"LARGER" => {
                self.sp()?;
                SearchKey::Larger(self.number64()?)
            }
            b"SMALLER" => {
                self.sp()?;
                SearchKey::Smaller(self.number64()?)
            }
            b"OLDER" => {
                self.sp()?;
                SearchKey::Older(self.nz_number()?)
            }
            b"YOUNGER" => {
                self.sp()?;
                SearchKey::Younger(self.nz_number()?)
            }
            b"UID" => {
                self.sp()?;
                SearchKey::Uid(self.sequence_set(true)?)
            }
            b"MODSEQ" => {
                self.sp()?;
                let entry = if self.peek()? == b'"' {
                    let name = self.astring()?;
                    self.sp()?;
                    let at = self.pos;
                    let t = self.word()?;
                    let mut buf = [0u8; 24];
                    let t = match upper(t, &mut buf) {
                        b"PRIV" => EntryType::Private,
                        b"SHARED" => EntryType::Shared,
                        b"ALL" => EntryType::All,
                        _ => return Err(self.err_at(at, ErrorKind::Expected("entry-type-req"))),
                    };
                    self.sp()?;
                    Some((name, t))
                } else {
                    None
                };
                SearchKey::ModSeq {
                    entry,
                    modseq: self.number64()?,
                }
            }
            _ => return Err(self.err_at(start, ErrorKind::Expected("search-key"))),
        };
        Ok(key)
    }

    fn sp_astring(&mut self) -> PResult<crate::types::AString<'a>> {
        self.sp()?;
        self.astring()
    }

    fn sp_date(&mut self) -> PResult<crate::types::Date> {
        self.sp()?;
        self.date()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use crate::Options;
    use crate::error::{DecodeError, ErrorKind};
    use crate::types::*;

    fn keys(s: &'static [u8]) -> Result<Vec<SearchKey<'static>>, DecodeError> {
        let b = Bytes::from_static(s);
        crate::decode::command(&b, &Options::default()).map(|(c, _)| match c.into_static().body {
            CommandBody::Search { criteria, .. } => criteria,
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn keys_nest_and_are_bounded() {
        let k = keys(b"a SEARCH OR (SEEN 1:3) NOT FROM x\r\n").unwrap();
        assert_eq!(k.len(), 1);
        assert!(
            matches!(&k[0], SearchKey::Or(a, b) if matches!(**a, SearchKey::And(_)) && matches!(**b, SearchKey::Not(_)))
        );
        let mut deep = b"a SEARCH ".to_vec();
        deep.extend(std::iter::repeat_n(b"NOT ".as_slice(), 200).flatten());
        deep.extend_from_slice(b"SEEN\r\n");
        let b = Bytes::from(deep);
        match crate::decode::command(&b, &Options::default()) {
            Err(DecodeError::Invalid {
                kind: ErrorKind::TooDeep,
                offset,
            }) => assert_eq!(offset, 9 + 4 * 100),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn modseq_and_saved_results() {
        // RFC 7162 §3.1.5's example.
        let k = keys(b"a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338\r\n").unwrap();
        assert!(matches!(
            &k[0],
            SearchKey::ModSeq {
                entry: Some((_, EntryType::All)),
                modseq: 620162338
            }
        ));
        assert_eq!(
            keys(b"a SEARCH $\r\n").unwrap(),
            vec![SearchKey::SequenceSet(SequenceSet::Saved)]
        );
        assert!(keys(b"a SEARCH FOO\r\n").is_err());
        assert!(keys(b"a SEARCH\r\n").is_err());
    }
}
