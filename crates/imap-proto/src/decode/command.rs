//! The command grammar (RFC 9051 §6 and §9, RFC 3501, and the extensions).

use super::{FlagContext, PResult, Parser, upper};
use crate::error::ErrorKind;
use crate::types::{
    self, AppendMessage, Command, CommandBody, Flag, ListMailbox, ListPatterns, ListReturn,
    ListSelect, ListToken, MailboxAttr, Secret, SelectParam, StatusAttr, StoreKind,
};

/// The flags, date and UTF8 form before an APPEND message's literal.
type AppendOpts<'a> = (Option<Vec<Flag<'a>>>, Option<types::DateTime>, bool);

/// An APPEND command's first line ([`Parser::append_head`]).
#[derive(Debug)]
pub(crate) struct AppendHead<'a> {
    pub(crate) mailbox: types::Mailbox<'a>,
    pub(crate) message: AppendAnnounced<'a>,
}

/// One APPEND message up to its octets: its options and its literal's
/// announcement.
#[derive(Debug)]
pub(crate) struct AppendAnnounced<'a> {
    pub(crate) flags: Option<Vec<Flag<'a>>>,
    pub(crate) date: Option<types::DateTime>,
    /// `UTF8 (~{n}...)` (RFC 6855 §4): a `)` follows the octets.
    pub(crate) utf8: bool,
    /// A `literal8` (RFC 3516): NUL allowed.
    pub(crate) binary: bool,
    pub(crate) size: u64,
    pub(crate) non_sync: bool,
}

impl<'a> Parser<'a> {
    /// `command = tag SP (...) CRLF`.
    pub(crate) fn command(&mut self) -> PResult<Command<'a>> {
        let tag = self.tag()?;
        self.sp()?;
        let body = self.command_body()?;
        self.crlf()?;
        Ok(Command { tag, body })
    }

    fn command_body(&mut self) -> PResult<CommandBody<'a>> {
        let start = self.pos;
        let name = self.take1(types::is_atom_char, "command")?;
        let mut buf = [0u8; 24];
        Ok(match upper(name, &mut buf) {
            b"CAPABILITY" => CommandBody::Capability,
            b"NOOP" => CommandBody::Noop,
            b"LOGOUT" => CommandBody::Logout,
            b"STARTTLS" => CommandBody::StartTls,
            b"AUTHENTICATE" => self.authenticate()?,
            b"LOGIN" => {
                self.sp()?;
                let username = self.astring()?;
                self.sp()?;
                let password = Secret::new(self.astring()?);
                CommandBody::Login { username, password }
            }
            b"ENABLE" => {
                let mut caps = Vec::new();
                while !self.at_eol()? {
                    self.sp()?;
                    caps.push(self.atom()?);
                }
                if caps.is_empty() {
                    return Err(self.expected("SP"));
                }
                CommandBody::Enable(caps)
            }
            b"SELECT" => {
                let (mailbox, params) = self.select()?;
                CommandBody::Select { mailbox, params }
            }
            b"EXAMINE" => {
                let (mailbox, params) = self.select()?;
                CommandBody::Examine { mailbox, params }
            }
            b"CREATE" => {
                self.sp()?;
                let mailbox = self.mailbox()?;
                let special_use = if self.peek()? == b' ' {
                    self.sp()?;
                    self.expect(b'(', "(")?;
                    self.keyword("USE")?;
                    self.sp()?;
                    let attrs = self.paren_list(0, |p| {
                        p.expect(b'\\', "use-attr")?;
                        p.atom().map(MailboxAttr::new)
                    })?;
                    self.expect(b')', ")")?;
                    Some(attrs)
                } else {
                    None
                };
                CommandBody::Create {
                    mailbox,
                    special_use,
                }
            }
            b"DELETE" => CommandBody::Delete(self.sp_mailbox()?),
            b"RENAME" => {
                let from = self.sp_mailbox()?;
                let to = self.sp_mailbox()?;
                CommandBody::Rename { from, to }
            }
            b"SUBSCRIBE" => CommandBody::Subscribe(self.sp_mailbox()?),
            b"UNSUBSCRIBE" => CommandBody::Unsubscribe(self.sp_mailbox()?),
            b"LIST" => self.list()?,
            b"CHECK" | b"LSUB" if self.mode().rev2() => {
                return Err(self.err_at(start, ErrorKind::Mode));
            }
            b"LSUB" => {
                let reference = self.sp_mailbox()?;
                self.sp()?;
                let pattern = self.list_mailbox()?;
                CommandBody::Lsub { reference, pattern }
            }
            b"NAMESPACE" => CommandBody::Namespace,
            b"STATUS" => {
                let mailbox = self.sp_mailbox()?;
                self.sp()?;
                let attrs = self.paren_list(1, Self::status_attr)?;
                CommandBody::Status { mailbox, attrs }
            }
            b"APPEND" => self.append()?,
            b"IDLE" => CommandBody::Idle,
            b"CHECK" => CommandBody::Check,
            b"CLOSE" => CommandBody::Close,
            b"UNSELECT" => CommandBody::Unselect,
            b"EXPUNGE" => CommandBody::Expunge,
            b"SEARCH" => self.search(false)?,
            b"FETCH" => self.fetch(false)?,
            b"STORE" => self.store(false)?,
            b"COPY" => {
                let (set, mailbox) = self.set_and_mailbox()?;
                CommandBody::Copy {
                    uid: false,
                    set,
                    mailbox,
                }
            }
            b"MOVE" => {
                let (set, mailbox) = self.set_and_mailbox()?;
                CommandBody::Move {
                    uid: false,
                    set,
                    mailbox,
                }
            }
            b"UID" => self.uid()?,
            b"ID" => {
                self.sp()?;
                CommandBody::Id(self.id_params()?)
            }
            b"GETQUOTA" => {
                self.sp()?;
                CommandBody::GetQuota(self.astring()?)
            }
            b"GETQUOTAROOT" => CommandBody::GetQuotaRoot(self.sp_mailbox()?),
            b"SETQUOTA" => {
                self.sp()?;
                let root = self.astring()?;
                self.sp()?;
                let limits = self.paren_list(0, |p| {
                    let name = p.atom()?;
                    p.sp()?;
                    Ok((name, p.number64()?))
                })?;
                CommandBody::SetQuota { root, limits }
            }
            b"COMPRESS" => {
                self.sp()?;
                CommandBody::Compress(self.atom()?)
            }
            _ => return Err(self.err_at(start, ErrorKind::UnknownCommand)),
        })
    }

    fn sp_mailbox(&mut self) -> PResult<types::Mailbox<'a>> {
        self.sp()?;
        self.mailbox()
    }

    fn set_and_mailbox(&mut self) -> PResult<(types::SequenceSet, types::Mailbox<'a>)> {
        self.sp()?;
        let set = self.sequence_set(true)?;
        Ok((set, self.sp_mailbox()?))
    }

    /// `authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]` (RFC 4959).
    fn authenticate(&mut self) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let mechanism = self.atom()?;
        let initial_response = if self.eat(b' ')? {
            let start = self.pos;
            let data = self.take1(
                |b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='),
                "base64",
            )?;
            if data == b"=" {
                Some(Secret::new(Vec::new()))
            } else {
                let decoded = super::base64_decode(data)
                    .map_err(|at| self.err_at(start + at, ErrorKind::Base64))?;
                Some(Secret::new(decoded))
            }
        } else {
            None
        };
        Ok(CommandBody::Authenticate {
            mechanism,
            initial_response,
        })
    }

    /// `SP mailbox [SP "(" select-param *(SP select-param) ")"]` (RFC 7162).
    fn select(&mut self) -> PResult<(types::Mailbox<'a>, Vec<SelectParam>)> {
        let mailbox = self.sp_mailbox()?;
        let mut params = Vec::new();
        if self.peek()? == b' ' {
            self.sp()?;
            params = self.paren_list(1, |p| {
                let start = p.pos;
                let w = p.word()?;
                if w.eq_ignore_ascii_case(b"CONDSTORE") {
                    return Ok(SelectParam::CondStore);
                }
                if !w.eq_ignore_ascii_case(b"QRESYNC") {
                    return Err(p.err_at(start, ErrorKind::Expected("select-param")));
                }
                p.sp()?;
                p.expect(b'(', "(")?;
                let uid_validity = p.nz_number()?;
                p.sp()?;
                let modseq = p.nz_number64()?;
                let mut known_uids = None;
                let mut seq_match = None;
                if p.eat(b' ')? {
                    if p.peek()? != b'(' {
                        known_uids = Some(p.sequence_set(false)?);
                        if p.eat(b' ')? {
                            seq_match = Some(p.seq_match()?);
                        }
                    } else {
                        seq_match = Some(p.seq_match()?);
                    }
                }
                p.expect(b')', ")")?;
                Ok(SelectParam::QResync {
                    uid_validity,
                    modseq,
                    known_uids,
                    seq_match,
                })
            })?;
        }
        Ok((mailbox, params))
    }

    fn seq_match(&mut self) -> PResult<(types::SequenceSet, types::SequenceSet)> {
        self.expect(b'(', "(")?;
        let seqs = self.sequence_set(false)?;
        self.sp()?;
        let uids = self.sequence_set(false)?;
        self.expect(b')', ")")?;
        Ok((seqs, uids))
    }

    /// `list-mailbox = 1*list-char / string`.
    pub(crate) fn list_mailbox(&mut self) -> PResult<ListMailbox<'a>> {
        match self.peek()? {
            b'"' | b'{' => self.string().map(ListMailbox::String),
            _ => {
                let t = self.take1(types::is_list_char, "list-mailbox")?;
                Ok(ListMailbox::Token(ListToken::unchecked(t)))
            }
        }
    }

    /// LIST with RFC 5258's selection and return options.
    fn list(&mut self) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let selection = if self.peek()? == b'(' {
            let opts = self.paren_list(0, |p| {
                let a = p.atom()?;
                let mut buf = [0u8; 24];
                Ok(match upper(a.as_str().as_bytes(), &mut buf) {
                    b"SUBSCRIBED" => ListSelect::Subscribed,
                    b"REMOTE" => ListSelect::Remote,
                    b"RECURSIVEMATCH" => ListSelect::RecursiveMatch,
                    b"SPECIAL-USE" => ListSelect::SpecialUse,
                    _ => ListSelect::Other(a),
                })
            })?;
            self.sp()?;
            Some(opts)
        } else {
            None
        };
        let reference = self.mailbox()?;
        self.sp()?;
        let patterns = if self.peek()? == b'(' {
            ListPatterns::Multiple(self.paren_list(1, Self::list_mailbox)?)
        } else {
            ListPatterns::Single(self.list_mailbox()?)
        };
        let returns = if self.peek()? == b' ' {
            self.sp()?;
            self.keyword("RETURN")?;
            self.sp()?;
            Some(self.paren_list(0, |p| {
                let a = p.atom()?;
                let mut buf = [0u8; 24];
                Ok(match upper(a.as_str().as_bytes(), &mut buf) {
                    b"SUBSCRIBED" => ListReturn::Subscribed,
                    b"CHILDREN" => ListReturn::Children,
                    b"SPECIAL-USE" => ListReturn::SpecialUse,
                    b"STATUS" => {
                        p.sp()?;
                        ListReturn::Status(p.paren_list(1, Self::status_attr)?)
                    }
                    _ => ListReturn::Other(a),
                })
            })?)
        } else {
            None
        };
        Ok(CommandBody::List {
            selection,
            reference,
            patterns,
            returns,
        })
    }

    pub(crate) fn status_attr(&mut self) -> PResult<StatusAttr> {
        let start = self.pos;
        let w = self.word()?;
        let mut buf = [0u8; 24];
        Ok(match upper(w, &mut buf) {
            b"MESSAGES" => StatusAttr::Messages,
            b"RECENT" if !self.mode().rev2() => StatusAttr::Recent,
            b"UIDNEXT" => StatusAttr::UidNext,
            b"UIDVALIDITY" => StatusAttr::UidValidity,
            b"UNSEEN" => StatusAttr::Unseen,
            b"DELETED" => StatusAttr::Deleted,
            b"SIZE" => StatusAttr::Size,
            b"HIGHESTMODSEQ" => StatusAttr::HighestModSeq,
            _ => return Err(self.err_at(start, ErrorKind::Expected("status-att"))),
        })
    }

    /// APPEND with MULTIAPPEND (RFC 3502), BINARY (RFC 3516) and UTF8 (RFC 6855).
    fn append(&mut self) -> PResult<CommandBody<'a>> {
        let mailbox = self.sp_mailbox()?;
        let mut messages = Vec::new();
        loop {
            let (flags, date, utf8) = self.append_opts()?;
            let data = self.with_literal8(Self::literal)?;
            if utf8 {
                self.expect(b')', ")")?;
            }
            messages.push(AppendMessage {
                flags,
                date,
                data,
                utf8,
            });
            if self.at_eol()? {
                return Ok(CommandBody::Append { mailbox, messages });
            }
        }
    }

    /// `SP append-opts SP`, and `"UTF8" SP "("` before a UTF8 message's
    /// `literal8` (RFC 6855 §4): up to the message's literal.
    fn append_opts(&mut self) -> PResult<AppendOpts<'a>> {
        self.sp()?;
        let flags = if self.peek()? == b'(' {
            let f = self.flag_list(FlagContext::Plain)?;
            self.sp()?;
            Some(f)
        } else {
            None
        };
        let date = if self.peek()? == b'"' {
            let d = self.date_time()?;
            self.sp()?;
            Some(d)
        } else {
            None
        };
        let utf8 = matches!(self.peek()?, b'U' | b'u');
        if utf8 {
            self.keyword("UTF8")?;
            self.sp()?;
            self.expect(b'(', "(")?;
            if self.peek()? != b'~' {
                return Err(self.expected("literal8"));
            }
        }
        Ok((flags, date, utf8))
    }

    /// An APPEND command's first line, up to its first message's octets:
    /// `tag SP "APPEND" SP mailbox SP append-opts` and the literal's
    /// announcement with its CRLF. A server streams the octets that follow
    /// instead of gathering the command whole.
    pub(crate) fn append_head(&mut self) -> PResult<AppendHead<'a>> {
        self.tag()?;
        self.sp()?;
        self.keyword("APPEND")?;
        let mailbox = self.sp_mailbox()?;
        let message = self.append_announced()?;
        Ok(AppendHead { mailbox, message })
    }

    /// The line after an APPEND message's octets: its `)` if it was a UTF8
    /// one, then CRLF (the end of the command, `None`) or the next message
    /// of a MULTIAPPEND (RFC 3502) up to its octets.
    pub(crate) fn append_next(&mut self, utf8: bool) -> PResult<Option<AppendAnnounced<'a>>> {
        if utf8 {
            self.expect(b')', ")")?;
        }
        if self.at_eol()? {
            self.crlf()?;
            return Ok(None);
        }
        self.append_announced().map(Some)
    }

    fn append_announced(&mut self) -> PResult<AppendAnnounced<'a>> {
        let (flags, date, utf8) = self.append_opts()?;
        let (size, _, binary, non_sync) = self.with_literal8(Self::literal_header)?;
        Ok(AppendAnnounced {
            flags,
            date,
            utf8,
            binary,
            size,
            non_sync,
        })
    }

    /// `uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)`.
    fn uid(&mut self) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let start = self.pos;
        let name = self.take1(types::is_atom_char, "command")?;
        let mut buf = [0u8; 24];
        Ok(match upper(name, &mut buf) {
            b"COPY" => {
                let (set, mailbox) = self.set_and_mailbox()?;
                CommandBody::Copy {
                    uid: true,
                    set,
                    mailbox,
                }
            }
            b"MOVE" => {
                let (set, mailbox) = self.set_and_mailbox()?;
                CommandBody::Move {
                    uid: true,
                    set,
                    mailbox,
                }
            }
            b"FETCH" => self.fetch(true)?,
            b"SEARCH" => self.search(true)?,
            b"STORE" => self.store(true)?,
            // RFC 4315 §4 and RFC 9051 §9: `"UID" SP "EXPUNGE" SP
            // sequence-set`, so `*` and `$` are allowed.
            b"EXPUNGE" => {
                self.sp()?;
                CommandBody::UidExpunge(self.sequence_set(true)?)
            }
            _ => return Err(self.err_at(start, ErrorKind::UnknownCommand)),
        })
    }

    /// `store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags`.
    fn store(&mut self, uid: bool) -> PResult<CommandBody<'a>> {
        self.sp()?;
        let set = self.sequence_set(true)?;
        self.sp()?;
        let mut unchanged_since = None;
        if self.eat(b'(')? {
            self.keyword("UNCHANGEDSINCE")?;
            self.sp()?;
            unchanged_since = Some(self.number64()?);
            self.expect(b')', ")")?;
            self.sp()?;
        }
        let kind = if self.eat(b'+')? {
            StoreKind::Add
        } else if self.eat(b'-')? {
            StoreKind::Remove
        } else {
            StoreKind::Replace
        };
        let start = self.pos;
        let w = self.word()?;
        let silent = if w.eq_ignore_ascii_case(b"FLAGS") {
            false
        } else if w.eq_ignore_ascii_case(b"FLAGS.SILENT") {
            true
        } else {
            return Err(self.err_at(start, ErrorKind::Expected("FLAGS")));
        };
        self.sp()?;
        let flags = if self.peek()? == b'(' {
            self.flag_list(FlagContext::Plain)?
        } else {
            let mut v: Vec<Flag<'a>> = vec![self.flag(FlagContext::Plain)?];
            while self.eat(b' ')? {
                v.push(self.flag(FlagContext::Plain)?);
            }
            v
        };
        Ok(CommandBody::Store {
            uid,
            set,
            unchanged_since,
            kind,
            silent,
            flags,
        })
    }

    /// `id-params-list = "(" *(string SP nstring) ")" / nil` (RFC 2971 §4).
    pub(crate) fn id_params(
        &mut self,
    ) -> PResult<Option<Vec<(types::IString<'a>, types::NString<'a>)>>> {
        if matches!(self.peek()?, b'N' | b'n') {
            self.nil()?;
            return Ok(None);
        }
        self.paren_list(0, |p| {
            let k = p.string()?;
            p.sp()?;
            Ok((k, p.nstring()?))
        })
        .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use crate::error::{DecodeError, ErrorKind};
    use crate::types::*;
    use crate::{Mode, Options};

    fn decode(s: &'static [u8]) -> Result<Command<'static>, DecodeError> {
        let b = Bytes::from_static(s);
        crate::decode::command(&b, &Options::default()).map(|(c, n)| {
            assert_eq!(n, s.len());
            c.into_static()
        })
    }

    fn err(s: &'static [u8]) -> (usize, ErrorKind) {
        match decode(s) {
            Err(DecodeError::Invalid { offset, kind }) => (offset, kind),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn simple_commands() {
        assert_eq!(decode(b"a NOOP\r\n").unwrap().body, CommandBody::Noop);
        assert_eq!(decode(b"a noop\r\n").unwrap().body, CommandBody::Noop);
        assert_eq!(err(b"a NOPE\r\n"), (2, ErrorKind::UnknownCommand));
        assert_eq!(err(b"a NOOP x\r\n"), (6, ErrorKind::Expected("CRLF")));
        assert_eq!(err(b"a NOOP\n"), (6, ErrorKind::BareLf));
        assert_eq!(err(b"a+ NOOP\r\n"), (1, ErrorKind::Expected("SP")));
        assert!(decode(b"a NOOP").unwrap_err().is_incomplete());
        assert!(decode(b"a NOOP\r").unwrap_err().is_incomplete());
    }

    #[test]
    fn authenticate_with_and_without_initial_response() {
        let c = decode(b"a AUTHENTICATE PLAIN AGZyZWQAc2VjcmV0\r\n").unwrap();
        let CommandBody::Authenticate {
            mechanism,
            initial_response,
        } = c.body
        else {
            panic!()
        };
        assert_eq!(mechanism.as_str(), "PLAIN");
        assert_eq!(initial_response.unwrap().expose(), b"\0fred\0secret");
        let c = decode(b"a AUTHENTICATE PLAIN =\r\n").unwrap();
        assert!(
            matches!(c.body, CommandBody::Authenticate { initial_response: Some(r), .. } if r.expose().is_empty())
        );
        assert_eq!(err(b"a AUTHENTICATE PLAIN AGZ=yZW\r\n").0, 24);
    }

    #[test]
    fn select_with_qresync() {
        // RFC 7162 §3.2.5.2's example.
        let c = decode(
            b"A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n",
        )
        .unwrap();
        let CommandBody::Select { params, .. } = c.body else {
            panic!()
        };
        assert!(matches!(
            &params[0],
            SelectParam::QResync {
                uid_validity: 67890007,
                modseq: 20050715194045000,
                known_uids: Some(_),
                seq_match: None
            }
        ));
        assert_eq!(
            err(b"a SELECT INBOX (FOO)\r\n"),
            (16, ErrorKind::Expected("select-param"))
        );
    }

    #[test]
    fn append_variants() {
        let c =
            decode(b"a APPEND INBOX {3+}\r\nabc UTF8 (~{2}\r\nx\0) (\\Seen) {1}\r\nz\r\n").unwrap();
        let CommandBody::Append { messages, .. } = c.body else {
            panic!()
        };
        assert_eq!(messages.len(), 3);
        assert!(messages[0].data.is_non_sync());
        assert!(messages[1].utf8 && messages[1].data.is_binary());
        assert_eq!(messages[2].flags, Some(vec![Flag::Seen]));
        // \Recent cannot be set.
        assert_eq!(err(b"a APPEND INBOX (\\Recent) {1}\r\nz\r\n").0, 16);
    }

    #[test]
    fn store_forms() {
        let c =
            decode(b"a UID STORE 1:* (UNCHANGEDSINCE 5) -FLAGS.SILENT \\Seen $Junk\r\n").unwrap();
        assert_eq!(
            c.body,
            CommandBody::Store {
                uid: true,
                set: SequenceSet::all(),
                unchanged_since: Some(5),
                kind: StoreKind::Remove,
                silent: true,
                flags: vec![Flag::Seen, Flag::keyword("$Junk").unwrap()],
            }
        );
        assert_eq!(
            err(b"a STORE 1 FLAG (\\Seen)\r\n"),
            (10, ErrorKind::Expected("FLAGS"))
        );
    }

    #[test]
    fn modes_change_the_grammar() {
        let b = Bytes::from_static(b"a STATUS INBOX (RECENT)\r\n");
        assert!(crate::decode::command(&b, &Options::with_mode(Mode::Imap4rev2)).is_err());
        assert!(crate::decode::command(&b, &Options::default()).is_ok());
        let b = Bytes::from_static("a SELECT \"Entw\u{fc}rfe\"\r\n".as_bytes());
        assert_eq!(
            crate::decode::command(&b, &Options::default())
                .unwrap_err()
                .offset(),
            Some(14)
        );
        assert!(crate::decode::command(&b, &Options::with_mode(Mode::Utf8Accept)).is_ok());
    }

    #[test]
    fn enable_needs_a_capability() {
        assert_eq!(err(b"a ENABLE\r\n"), (8, ErrorKind::Expected("SP")));
        assert_eq!(
            decode(b"a ENABLE QRESYNC CONDSTORE\r\n").unwrap().body,
            CommandBody::Enable(vec![
                Atom::new("QRESYNC").unwrap(),
                Atom::new("CONDSTORE").unwrap()
            ])
        );
    }
}
