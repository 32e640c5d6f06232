//! Writing commands (RFC 9051 §6 and the extensions).

use super::{EResult, Writer};
use crate::error::EncodeError;
use crate::types::{
    Command, CommandBody, EntryType, FetchAttr, FetchAttrs, FetchModifier, ListMailbox,
    ListPatterns, ListReturn, ListSelect, Partial, SearchKey, SearchReturn, Section, SectionText,
    SelectParam, StatusAttr, StoreKind,
};

impl Writer<'_> {
    pub(crate) fn command(&mut self, c: &Command<'_>) -> EResult {
        self.tag(&c.tag);
        self.sp();
        self.command_body(&c.body)?;
        self.crlf();
        Ok(())
    }

    fn command_body(&mut self, body: &CommandBody<'_>) -> EResult {
        use CommandBody as C;
        let uid = matches!(
            body,
            C::Search { uid: true, .. }
                | C::Fetch { uid: true, .. }
                | C::Store { uid: true, .. }
                | C::Copy { uid: true, .. }
                | C::Move { uid: true, .. }
        );
        if uid {
            self.raw(b"UID ");
        }
        match body {
            C::Capability
            | C::Noop
            | C::Logout
            | C::StartTls
            | C::Namespace
            | C::Idle
            | C::Close
            | C::Unselect
            | C::Expunge => {
                self.raw(body.name().as_bytes());
            }
            C::Check if self.rev2() => return Err(EncodeError::NotInRev2("CHECK")),
            C::Check => self.raw(b"CHECK"),
            C::Authenticate {
                mechanism,
                initial_response,
            } => {
                self.raw(b"AUTHENTICATE ");
                self.raw(mechanism.as_str().as_bytes());
                if let Some(r) = initial_response {
                    self.sp();
                    if r.expose().is_empty() {
                        self.raw(b"=");
                    } else {
                        use base64::Engine;
                        let s = base64::engine::general_purpose::STANDARD.encode(r.expose());
                        self.raw(s.as_bytes());
                    }
                }
            }
            C::Login { username, password } => {
                self.raw(b"LOGIN ");
                self.astring(username);
                self.sp();
                self.astring(password.expose());
            }
            C::Enable(caps) => {
                if caps.is_empty() {
                    return Err(EncodeError::Empty("ENABLE"));
                }
                self.raw(b"ENABLE");
                for c in caps {
                    self.sp();
                    self.raw(c.as_str().as_bytes());
                }
            }
            C::Select { mailbox, params } | C::Examine { mailbox, params } => {
                self.raw(if matches!(body, C::Select { .. }) {
                    b"SELECT "
                } else {
                    b"EXAMINE "
                });
                self.mailbox(mailbox)?;
                if !params.is_empty() {
                    self.sp();
                    self.list(params, Self::select_param)?;
                }
            }
            C::Create {
                mailbox,
                special_use,
            } => {
                self.raw(b"CREATE ");
                self.mailbox(mailbox)?;
                if let Some(attrs) = special_use {
                    self.raw(b" (USE ");
                    self.list(attrs, |w, a| {
                        w.buf.push(b'\\');
                        w.raw(a.name().as_bytes());
                        Ok(())
                    })?;
                    self.buf.push(b')');
                }
            }
            C::Delete(m) => self.name_mailbox(b"DELETE ", m)?,
            C::Subscribe(m) => self.name_mailbox(b"SUBSCRIBE ", m)?,
            C::Unsubscribe(m) => self.name_mailbox(b"UNSUBSCRIBE ", m)?,
            C::GetQuotaRoot(m) => self.name_mailbox(b"GETQUOTAROOT ", m)?,
            C::Rename { from, to } => {
                self.name_mailbox(b"RENAME ", from)?;
                self.sp();
                self.mailbox(to)?;
            }
            C::List {
                selection,
                reference,
                patterns,
                returns,
            } => {
                self.raw(b"LIST ");
                if let Some(sel) = selection {
                    self.list(sel, |w, s| {
                        w.raw(match s {
                            ListSelect::Subscribed => b"SUBSCRIBED",
                            ListSelect::Remote => b"REMOTE",
                            ListSelect::RecursiveMatch => b"RECURSIVEMATCH",
                            ListSelect::SpecialUse => b"SPECIAL-USE",
                            ListSelect::Other(a) => a.as_str().as_bytes(),
                        });
                        Ok(())
                    })?;
                    self.sp();
                }
                self.mailbox(reference)?;
                self.sp();
                match patterns {
                    ListPatterns::Single(p) => self.list_mailbox(p)?,
                    ListPatterns::Multiple(v) => {
                        self.list1("LIST patterns", v, |w, p| w.list_mailbox(p))?
                    }
                }
                if let Some(ret) = returns {
                    self.raw(b" RETURN ");
                    self.list(ret, |w, r| {
                        match r {
                            ListReturn::Subscribed => w.raw(b"SUBSCRIBED"),
                            ListReturn::Children => w.raw(b"CHILDREN"),
                            ListReturn::SpecialUse => w.raw(b"SPECIAL-USE"),
                            ListReturn::Status(attrs) => {
                                w.raw(b"STATUS ");
                                w.list1("STATUS attributes", attrs, |w, a| w.status_attr(*a))?;
                            }
                            ListReturn::Other(a) => w.raw(a.as_str().as_bytes()),
                        }
                        Ok(())
                    })?;
                }
            }
            C::Lsub { reference, pattern } => {
                if self.rev2() {
                    return Err(EncodeError::NotInRev2("LSUB"));
                }
                self.name_mailbox(b"LSUB ", reference)?;
                self.sp();
                self.list_mailbox(pattern)?;
            }
            C::Status { mailbox, attrs } => {
                self.name_mailbox(b"STATUS ", mailbox)?;
                self.sp();
                self.list1("STATUS attributes", attrs, |w, a| w.status_attr(*a))?;
            }
            C::Append { mailbox, messages } => {
                if messages.is_empty() {
                    return Err(EncodeError::Empty("APPEND messages"));
                }
                self.name_mailbox(b"APPEND ", mailbox)?;
                for m in messages {
                    if let Some(flags) = &m.flags {
                        self.sp();
                        self.flag_list(flags)?;
                    }
                    if let Some(d) = &m.date {
                        self.sp();
                        self.date_time(d);
                    }
                    self.sp();
                    // append-data = literal / literal8 / "UTF8" SP "(" literal8 ")"
                    if m.utf8 {
                        self.raw(b"UTF8 (");
                        let lit = if m.data.is_binary() {
                            m.data.clone()
                        } else {
                            binary(&m.data)
                        };
                        self.with_literal8(|w| w.literal(&lit));
                        self.buf.push(b')');
                    } else {
                        self.with_literal8(|w| w.literal(&m.data));
                    }
                }
            }
            C::UidExpunge(set) => {
                self.raw(b"UID EXPUNGE ");
                self.sequence_set(set)?;
            }
            C::Search {
                returns,
                charset,
                criteria,
                ..
            } => {
                self.raw(b"SEARCH");
                if let Some(r) = returns {
                    self.raw(b" RETURN ");
                    self.list(r, |w, r| {
                        w.raw(match r {
                            SearchReturn::Min => b"MIN",
                            SearchReturn::Max => b"MAX",
                            SearchReturn::All => b"ALL",
                            SearchReturn::Count => b"COUNT",
                            SearchReturn::Save => b"SAVE",
                        });
                        Ok(())
                    })?;
                }
                if let Some(c) = charset {
                    self.raw(b" CHARSET ");
                    self.charset(c);
                }
                if criteria.is_empty() {
                    return Err(EncodeError::Empty("search program"));
                }
                for k in criteria {
                    self.sp();
                    self.search_key(k)?;
                }
            }
            C::Fetch {
                set,
                attrs,
                modifiers,
                ..
            } => {
                self.raw(b"FETCH ");
                self.sequence_set(set)?;
                self.sp();
                match attrs {
                    FetchAttrs::All => self.raw(b"ALL"),
                    FetchAttrs::Fast => self.raw(b"FAST"),
                    FetchAttrs::Full => self.raw(b"FULL"),
                    FetchAttrs::Single(a) => self.fetch_attr(a)?,
                    FetchAttrs::List(v) => self.list1("FETCH attributes", v, Self::fetch_attr)?,
                }
                if !modifiers.is_empty() {
                    self.sp();
                    self.list(modifiers, |w, m| {
                        match m {
                            FetchModifier::ChangedSince(n) => {
                                w.raw(b"CHANGEDSINCE ");
                                w.nz(*n);
                            }
                            FetchModifier::Vanished => w.raw(b"VANISHED"),
                        }
                        Ok(())
                    })?;
                }
            }
            C::Store {
                set,
                unchanged_since,
                kind,
                silent,
                flags,
                ..
            } => {
                self.raw(b"STORE ");
                self.sequence_set(set)?;
                self.sp();
                if let Some(n) = unchanged_since {
                    self.raw(b"(UNCHANGEDSINCE ");
                    self.num(*n);
                    self.raw(b") ");
                }
                match kind {
                    StoreKind::Replace => {}
                    StoreKind::Add => self.buf.push(b'+'),
                    StoreKind::Remove => self.buf.push(b'-'),
                }
                self.raw(if *silent { b"FLAGS.SILENT " } else { b"FLAGS " });
                self.flag_list(flags)?;
            }
            C::Copy { set, mailbox, .. } | C::Move { set, mailbox, .. } => {
                self.raw(if matches!(body, C::Copy { .. }) {
                    b"COPY "
                } else {
                    b"MOVE "
                });
                self.sequence_set(set)?;
                self.sp();
                self.mailbox(mailbox)?;
            }
            C::Id(params) => {
                self.raw(b"ID ");
                self.id_params(params.as_deref())?;
            }
            C::GetQuota(root) => {
                self.raw(b"GETQUOTA ");
                self.astring(root);
            }
            C::SetQuota { root, limits } => {
                self.raw(b"SETQUOTA ");
                self.astring(root);
                self.sp();
                self.list(limits, |w, (name, n)| {
                    w.raw(name.as_str().as_bytes());
                    w.sp();
                    w.num(*n);
                    Ok(())
                })?;
            }
            C::Compress(a) => {
                self.raw(b"COMPRESS ");
                self.raw(a.as_str().as_bytes());
            }
        }
        Ok(())
    }

    fn name_mailbox(&mut self, name: &[u8], m: &crate::types::Mailbox<'_>) -> EResult {
        self.raw(name);
        self.mailbox(m)
    }

    pub(crate) fn id_params(
        &mut self,
        params: Option<&[(crate::types::IString<'_>, crate::types::NString<'_>)]>,
    ) -> EResult {
        match params {
            None => self.raw(b"NIL"),
            Some(v) => self.list(v, |w, (k, v)| {
                w.string(k);
                w.sp();
                w.nstring(v);
                Ok(())
            })?,
        }
        Ok(())
    }

    fn select_param(&mut self, p: &SelectParam) -> EResult {
        match p {
            SelectParam::CondStore => self.raw(b"CONDSTORE"),
            SelectParam::QResync {
                uid_validity,
                modseq,
                known_uids,
                seq_match,
            } => {
                self.raw(b"QRESYNC (");
                self.nz(u64::from(*uid_validity));
                self.sp();
                self.nz(*modseq);
                if let Some(k) = known_uids {
                    self.sp();
                    self.sequence_set(k)?;
                }
                if let Some((s, u)) = seq_match {
                    self.raw(b" (");
                    self.sequence_set(s)?;
                    self.sp();
                    self.sequence_set(u)?;
                    self.buf.push(b')');
                }
                self.buf.push(b')');
            }
        }
        Ok(())
    }

    fn list_mailbox(&mut self, p: &ListMailbox<'_>) -> EResult {
        match p {
            ListMailbox::Token(t) => self.raw(t.as_str().as_bytes()),
            ListMailbox::String(s) => self.string(s),
        }
        Ok(())
    }

    pub(crate) fn status_attr(&mut self, a: StatusAttr) -> EResult {
        if a == StatusAttr::Recent && self.rev2() {
            return Err(EncodeError::NotInRev2("STATUS RECENT"));
        }
        self.raw(a.name().as_bytes());
        Ok(())
    }

    fn fetch_attr(&mut self, a: &FetchAttr<'_>) -> EResult {
        match a {
            FetchAttr::Envelope => self.raw(b"ENVELOPE"),
            FetchAttr::Flags => self.raw(b"FLAGS"),
            FetchAttr::InternalDate => self.raw(b"INTERNALDATE"),
            FetchAttr::Rfc822Size => self.raw(b"RFC822.SIZE"),
            FetchAttr::Rfc822 => self.raw(b"RFC822"),
            FetchAttr::Rfc822Header => self.raw(b"RFC822.HEADER"),
            FetchAttr::Rfc822Text => self.raw(b"RFC822.TEXT"),
            FetchAttr::Body => self.raw(b"BODY"),
            FetchAttr::BodyStructure => self.raw(b"BODYSTRUCTURE"),
            FetchAttr::Uid => self.raw(b"UID"),
            FetchAttr::ModSeq => self.raw(b"MODSEQ"),
            FetchAttr::BodySection {
                peek,
                section,
                partial,
            } => {
                self.raw(if *peek { b"BODY.PEEK" } else { b"BODY" });
                self.section(section)?;
                self.partial(partial);
            }
            FetchAttr::Binary {
                peek,
                part,
                partial,
            } => {
                self.raw(if *peek { b"BINARY.PEEK" } else { b"BINARY" });
                self.section_binary(part)?;
                self.partial(partial);
            }
            FetchAttr::BinarySize { part } => {
                self.raw(b"BINARY.SIZE");
                self.section_binary(part)?;
            }
        }
        Ok(())
    }

    fn partial(&mut self, p: &Option<Partial>) {
        if let Some(p) = p {
            self.buf.push(b'<');
            self.num(p.origin);
            self.buf.push(b'.');
            self.nz(p.length);
            self.buf.push(b'>');
        }
    }

    pub(crate) fn part(&mut self, part: &[u32]) -> EResult {
        for (i, n) in part.iter().enumerate() {
            if *n == 0 {
                return Err(EncodeError::Invalid("section part 0"));
            }
            if i > 0 {
                self.buf.push(b'.');
            }
            self.num(u64::from(*n));
        }
        Ok(())
    }

    pub(crate) fn section_binary(&mut self, part: &[u32]) -> EResult {
        self.buf.push(b'[');
        self.part(part)?;
        self.buf.push(b']');
        Ok(())
    }

    pub(crate) fn section(&mut self, s: &Section<'_>) -> EResult {
        self.buf.push(b'[');
        self.part(&s.part)?;
        if let Some(t) = &s.text {
            if !s.part.is_empty() {
                self.buf.push(b'.');
            }
            match t {
                SectionText::Header => self.raw(b"HEADER"),
                SectionText::Text => self.raw(b"TEXT"),
                SectionText::Mime if s.part.is_empty() => {
                    return Err(EncodeError::Invalid("MIME without a part"));
                }
                SectionText::Mime => self.raw(b"MIME"),
                SectionText::HeaderFields(v) | SectionText::HeaderFieldsNot(v) => {
                    self.raw(if matches!(t, SectionText::HeaderFields(_)) {
                        b"HEADER.FIELDS "
                    } else {
                        b"HEADER.FIELDS.NOT "
                    });
                    self.list1("header-list", v, |w, h| {
                        w.astring(h);
                        Ok(())
                    })?;
                }
            }
        }
        self.buf.push(b']');
        Ok(())
    }

    fn search_key(&mut self, k: &SearchKey<'_>) -> EResult {
        self.enter()?;
        let r = self.search_key_inner(k);
        self.leave();
        r
    }

    fn search_key_inner(&mut self, k: &SearchKey<'_>) -> EResult {
        use SearchKey as K;
        let simple: &[u8] = match k {
            K::All => b"ALL",
            K::Answered => b"ANSWERED",
            K::Deleted => b"DELETED",
            K::Draft => b"DRAFT",
            K::Flagged => b"FLAGGED",
            K::New | K::Old | K::Recent if self.rev2() => {
                return Err(EncodeError::NotInRev2("SEARCH NEW/OLD/RECENT"));
            }
            K::New => b"NEW",
            K::Old => b"OLD",
            K::Recent => b"RECENT",
            K::Seen => b"SEEN",
            K::Unanswered => b"UNANSWERED",
            K::Undeleted => b"UNDELETED",
            K::Undraft => b"UNDRAFT",
            K::Unflagged => b"UNFLAGGED",
            K::Unseen => b"UNSEEN",
            _ => b"",
        };
        if !simple.is_empty() {
            self.raw(simple);
            return Ok(());
        }
        match k {
            K::Bcc(s) => self.key_astring(b"BCC ", s),
            K::Body(s) => self.key_astring(b"BODY ", s),
            K::Cc(s) => self.key_astring(b"CC ", s),
            K::From(s) => self.key_astring(b"FROM ", s),
            K::Subject(s) => self.key_astring(b"SUBJECT ", s),
            K::Text(s) => self.key_astring(b"TEXT ", s),
            K::To(s) => self.key_astring(b"TO ", s),
            K::Header(n, v) => {
                self.key_astring(b"HEADER ", n);
                self.sp();
                self.astring(v);
            }
            K::Keyword(a) | K::Unkeyword(a) => {
                self.raw(if matches!(k, K::Keyword(_)) {
                    b"KEYWORD "
                } else {
                    b"UNKEYWORD "
                });
                self.raw(a.as_str().as_bytes());
            }
            K::Before(d) => self.key_date(b"BEFORE ", d),
            K::On(d) => self.key_date(b"ON ", d),
            K::Since(d) => self.key_date(b"SINCE ", d),
            K::SentBefore(d) => self.key_date(b"SENTBEFORE ", d),
            K::SentOn(d) => self.key_date(b"SENTON ", d),
            K::SentSince(d) => self.key_date(b"SENTSINCE ", d),
            K::Larger(n) => self.key_num(b"LARGER ", *n),
            K::Smaller(n) => self.key_num(b"SMALLER ", *n),
            K::Older(n) => {
                self.raw(b"OLDER ");
                self.nz(u64::from(*n));
            }
            K::Younger(n) => {
                self.raw(b"YOUNGER ");
                self.nz(u64::from(*n));
            }
            K::Uid(s) => {
                self.raw(b"UID ");
                self.sequence_set(s)?;
            }
            K::SequenceSet(s) => self.sequence_set(s)?,
            K::Not(k) => {
                self.raw(b"NOT ");
                self.search_key(k)?;
            }
            K::Or(a, b) => {
                self.raw(b"OR ");
                self.search_key(a)?;
                self.sp();
                self.search_key(b)?;
            }
            K::And(v) => self.list1("search-key list", v, Self::search_key)?,
            K::ModSeq { entry, modseq } => {
                self.raw(b"MODSEQ ");
                if let Some((name, t)) = entry {
                    self.astring(name);
                    self.raw(match t {
                        EntryType::Private => b" priv ",
                        EntryType::Shared => b" shared ",
                        EntryType::All => b" all ",
                    });
                }
                self.num(*modseq);
            }
            _ => return Err(EncodeError::Invalid("search key")),
        }
        Ok(())
    }

    fn key_astring(&mut self, name: &[u8], s: &crate::types::AString<'_>) {
        self.raw(name);
        self.astring(s);
    }

    fn key_date(&mut self, name: &[u8], d: &crate::types::Date) {
        self.raw(name);
        self.date(d);
    }

    fn key_num(&mut self, name: &[u8], n: u64) {
        self.raw(name);
        self.num(n);
    }
}

/// The same octets as a `literal8`.
fn binary(l: &crate::types::Literal) -> crate::types::Literal {
    let b = crate::types::Literal::binary(l.data().clone());
    if l.is_non_sync() { b.non_sync() } else { b }
}
