//! Writing responses (RFC 9051 §7 and the extensions), ENVELOPE and
//! BODYSTRUCTURE included.

use super::{EResult, Writer};
use crate::error::EncodeError;
use crate::types::{
    Address, BodyExtension, BodyStructure, Code, Data, ESearchItem, Envelope, ExtTail, ExtValue,
    FetchItem, IString, Language, ListItem, NamespaceDescr, RespText, Response, Specific,
    StatusKind,
};

impl Writer<'_> {
    pub(crate) fn response(&mut self, r: &Response<'_>) -> EResult {
        match r {
            Response::Continuation(c) => {
                self.raw(b"+ ");
                // continue-req = "+" SP (resp-text / base64): an empty text
                // is an empty base64 in both revisions.
                if c.code.is_some() || !c.text.as_str().is_empty() {
                    self.resp_text(c.code.as_ref(), &c.text)?;
                }
            }
            Response::Tagged(t) => {
                if !matches!(t.kind, StatusKind::Ok | StatusKind::No | StatusKind::Bad) {
                    return Err(EncodeError::Invalid("tagged PREAUTH or BYE"));
                }
                self.tag(&t.tag);
                self.sp();
                self.raw(t.kind.name().as_bytes());
                self.sp();
                self.resp_text(t.text.code.as_ref(), &t.text.text)?;
            }
            Response::Data(d) => {
                self.raw(b"* ");
                self.data(d)?;
            }
        }
        self.crlf();
        Ok(())
    }

    /// `resp-text`. RFC 3501 §9: `["[" resp-text-code "]" SP] text`, with
    /// `text = 1*TEXT-CHAR`, so IMAP4rev1 (and UTF8=ACCEPT) needs a text
    /// and an empty one is refused. RFC 9051 §9: `["[" resp-text-code "]"
    /// SP] [text]`, so IMAP4rev2 writes an empty text as nothing, after the
    /// space that follows a code (`* OK [ALERT] `).
    fn resp_text(&mut self, code: Option<&Code<'_>>, text: &crate::types::Text<'_>) -> EResult {
        if text.as_str().is_empty() && !self.rev2() {
            return Err(EncodeError::Empty(
                "resp-text's text in IMAP4rev1 (RFC 3501 §9: text = 1*TEXT-CHAR)",
            ));
        }
        if let Some(code) = code {
            self.buf.push(b'[');
            self.code(code)?;
            self.buf.push(b']');
            self.sp();
        } else if text.as_str().starts_with('[') {
            return Err(EncodeError::Invalid("text starting with [ without a code"));
        }
        self.text(text)
    }

    fn status(&mut self, kind: StatusKind, t: &RespText<'_>) -> EResult {
        self.raw(kind.name().as_bytes());
        self.sp();
        self.resp_text(t.code.as_ref(), &t.text)
    }

    pub(crate) fn data(&mut self, d: &Data<'_>) -> EResult {
        match d {
            Data::Status { kind, text } => self.status(*kind, text)?,
            Data::Capability(caps) => {
                if caps.is_empty() {
                    return Err(EncodeError::Empty("CAPABILITY"));
                }
                self.raw(b"CAPABILITY");
                for c in caps {
                    self.sp();
                    self.raw(c.as_str().as_bytes());
                }
            }
            Data::Enabled(caps) => {
                self.raw(b"ENABLED");
                for c in caps {
                    self.sp();
                    self.raw(c.as_str().as_bytes());
                }
            }
            Data::Flags(flags) => {
                self.raw(b"FLAGS ");
                self.flag_list(flags)?;
            }
            Data::List(item) => {
                self.raw(b"LIST ");
                self.list_item(item)?;
            }
            Data::Lsub(_) if self.rev2() => return Err(EncodeError::NotInRev2("LSUB")),
            Data::Lsub(item) => {
                self.raw(b"LSUB ");
                self.list_item(item)?;
            }
            Data::MailboxStatus { mailbox, items } => {
                self.raw(b"STATUS ");
                self.mailbox(mailbox)?;
                self.sp();
                self.list(items, |w, (a, n)| {
                    w.status_attr(*a)?;
                    w.sp();
                    w.num(*n);
                    Ok(())
                })?;
            }
            // `obsolete-search-response` is in RFC 9051's grammar too.
            Data::Search { ids, modseq } => {
                self.raw(b"SEARCH");
                for id in ids {
                    if *id == 0 {
                        return Err(EncodeError::Invalid("message number 0"));
                    }
                    self.sp();
                    self.num(u64::from(*id));
                }
                if let Some(m) = modseq {
                    self.raw(b" (MODSEQ ");
                    self.nz(*m);
                    self.buf.push(b')');
                }
            }
            Data::ESearch { tag, uid, items } => {
                self.raw(b"ESEARCH");
                if let Some(t) = tag {
                    self.raw(b" (TAG \"");
                    self.tag(t);
                    self.raw(b"\")");
                }
                if *uid {
                    self.raw(b" UID");
                }
                for item in items {
                    self.sp();
                    match item {
                        ESearchItem::Min(n) => self.key_u32(b"MIN ", *n)?,
                        ESearchItem::Max(n) => self.key_u32(b"MAX ", *n)?,
                        ESearchItem::Count(n) => {
                            self.raw(b"COUNT ");
                            self.num(u64::from(*n));
                        }
                        ESearchItem::ModSeq(n) => {
                            self.raw(b"MODSEQ ");
                            self.nz(*n);
                        }
                        ESearchItem::All(s) => {
                            // "$" is not allowed after ALL (RFC 9051 §9).
                            if *s == crate::types::SequenceSet::Saved {
                                return Err(EncodeError::Invalid("ESEARCH ALL $"));
                            }
                            self.raw(b"ALL ");
                            self.sequence_set(s)?;
                        }
                        ESearchItem::Other(name, v) => {
                            self.raw(name.as_str().as_bytes());
                            self.sp();
                            self.ext_value(v)?;
                        }
                    }
                }
            }
            Data::Exists(n) => self.num_name(*n, b" EXISTS"),
            // `obsolete-recent-response` is in RFC 9051's grammar too.
            Data::Recent(n) => self.num_name(*n, b" RECENT"),
            Data::Expunge(n) => self.key_u32_after(*n, b" EXPUNGE")?,
            Data::Fetch { seq, items } => {
                self.key_u32_after(*seq, b" FETCH ")?;
                self.list1("FETCH items", items, Self::fetch_item)?;
            }
            Data::Namespace {
                personal,
                other,
                shared,
            } => {
                self.raw(b"NAMESPACE ");
                self.namespace(personal)?;
                self.sp();
                self.namespace(other)?;
                self.sp();
                self.namespace(shared)?;
            }
            Data::Id(params) => {
                self.raw(b"ID ");
                self.id_params(params.as_deref())?;
            }
            Data::Quota { root, resources } => {
                self.raw(b"QUOTA ");
                self.astring(root);
                self.sp();
                self.list(resources, |w, r| {
                    w.raw(r.name.as_str().as_bytes());
                    w.sp();
                    w.num(r.usage);
                    w.sp();
                    w.num(r.limit);
                    Ok(())
                })?;
            }
            Data::QuotaRoot { mailbox, roots } => {
                self.raw(b"QUOTAROOT ");
                self.mailbox(mailbox)?;
                for r in roots {
                    self.sp();
                    self.astring(r);
                }
            }
            Data::Vanished { earlier, uids } => {
                self.raw(if *earlier {
                    b"VANISHED (EARLIER) "
                } else {
                    b"VANISHED "
                });
                self.sequence_set(uids)?;
            }
        }
        Ok(())
    }

    fn num_name(&mut self, n: u32, name: &[u8]) {
        self.num(u64::from(n));
        self.raw(name);
    }

    fn key_u32(&mut self, name: &[u8], n: u32) -> EResult {
        if n == 0 {
            return Err(EncodeError::Invalid("nz-number 0"));
        }
        self.raw(name);
        self.num(u64::from(n));
        Ok(())
    }

    fn key_u32_after(&mut self, n: u32, name: &[u8]) -> EResult {
        if n == 0 {
            return Err(EncodeError::Invalid("nz-number 0"));
        }
        self.num_name(n, name);
        Ok(())
    }

    fn code(&mut self, c: &Code<'_>) -> EResult {
        if let Some(name) = c.simple_name() {
            self.raw(name.as_bytes());
            return Ok(());
        }
        match c {
            Code::BadCharset(v) => {
                self.raw(b"BADCHARSET");
                if !v.is_empty() {
                    self.sp();
                    self.list(v, |w, c| {
                        w.charset(c);
                        Ok(())
                    })?;
                }
            }
            Code::Capability(caps) => {
                if caps.is_empty() {
                    return Err(EncodeError::Empty("CAPABILITY"));
                }
                self.raw(b"CAPABILITY");
                for c in caps {
                    self.sp();
                    self.raw(c.as_str().as_bytes());
                }
            }
            Code::PermanentFlags(f) => {
                self.raw(b"PERMANENTFLAGS ");
                self.flag_list(f)?;
            }
            Code::UidNext(n) => self.key_u32(b"UIDNEXT ", *n)?,
            Code::UidValidity(n) => self.key_u32(b"UIDVALIDITY ", *n)?,
            Code::Unseen(_) if self.rev2() => {
                return Err(EncodeError::NotInRev2("UNSEEN response code"));
            }
            Code::Unseen(n) => self.key_u32(b"UNSEEN ", *n)?,
            Code::AppendUid { uid_validity, uids } => {
                self.key_u32(b"APPENDUID ", *uid_validity)?;
                self.sp();
                self.uid_set(uids)?;
            }
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            } => {
                self.key_u32(b"COPYUID ", *uid_validity)?;
                self.sp();
                self.uid_set(source)?;
                self.sp();
                self.uid_set(destination)?;
            }
            Code::HighestModSeq(n) => {
                self.raw(b"HIGHESTMODSEQ ");
                self.nz(*n);
            }
            Code::Modified(s) => {
                // RFC 7162: `"MODIFIED" SP sequence-set`, RFC 3501's (no `$`).
                if *s == crate::types::SequenceSet::Saved {
                    return Err(EncodeError::Invalid("MODIFIED $"));
                }
                self.raw(b"MODIFIED ");
                self.sequence_set(s)?;
            }
            Code::Other(name, text) => {
                self.raw(name.as_str().as_bytes());
                if let Some(t) = text {
                    // atom [SP 1*<any TEXT-CHAR except "]">]: 7-bit, no "]".
                    let t = t.as_str();
                    if t.is_empty() || t.contains(']') || !t.is_ascii() {
                        return Err(EncodeError::Invalid("response code text"));
                    }
                    self.sp();
                    self.raw(t.as_bytes());
                }
            }
            _ => return Err(EncodeError::Invalid("response code")),
        }
        Ok(())
    }

    /// A `uid-set`: no `*`, no `$`.
    fn uid_set(&mut self, s: &crate::types::SequenceSet) -> EResult {
        if s.has_last() || *s == crate::types::SequenceSet::Saved {
            return Err(EncodeError::Invalid("uid-set with * or $"));
        }
        self.sequence_set(s)
    }

    fn list_item(&mut self, item: &ListItem<'_>) -> EResult {
        self.list(&item.attrs, |w, a| {
            w.buf.push(b'\\');
            w.raw(a.name().as_bytes());
            Ok(())
        })?;
        self.sp();
        self.delimiter(item.delimiter)?;
        self.sp();
        self.mailbox(&item.mailbox)?;
        if let Some(ext) = &item.extended {
            self.sp();
            self.list(ext, |w, (tag, v)| {
                w.astring(tag);
                w.sp();
                w.ext_value(v)
            })?;
        }
        Ok(())
    }

    fn ext_value(&mut self, v: &ExtValue<'_>) -> EResult {
        self.enter()?;
        match v {
            ExtValue::Value(a) => self.astring(a),
            ExtValue::List(v) => self.list(v, Self::ext_value)?,
        }
        self.leave();
        Ok(())
    }

    fn namespace(&mut self, ns: &[NamespaceDescr<'_>]) -> EResult {
        if ns.is_empty() {
            self.raw(b"NIL");
            return Ok(());
        }
        self.buf.push(b'(');
        for d in ns {
            self.buf.push(b'(');
            self.string(&d.prefix);
            self.sp();
            self.delimiter(d.delimiter)?;
            for (name, values) in &d.extensions {
                self.sp();
                self.string(name);
                self.sp();
                self.list1("namespace extension values", values, |w, s| {
                    w.string(s);
                    Ok(())
                })?;
            }
            self.buf.push(b')');
        }
        self.buf.push(b')');
        Ok(())
    }

    pub(crate) fn fetch_item(&mut self, item: &FetchItem<'_>) -> EResult {
        match item {
            FetchItem::Flags(f) => {
                self.raw(b"FLAGS ");
                self.flag_list(f)?;
            }
            FetchItem::Envelope(e) => {
                self.raw(b"ENVELOPE ");
                self.envelope(e);
            }
            FetchItem::InternalDate(d) => {
                self.raw(b"INTERNALDATE ");
                self.date_time(d);
            }
            FetchItem::Rfc822Size(n) => {
                self.raw(b"RFC822.SIZE ");
                self.num(*n);
            }
            FetchItem::Rfc822(s) => self.key_nstring(b"RFC822 ", s),
            FetchItem::Rfc822Header(s) => self.key_nstring(b"RFC822.HEADER ", s),
            FetchItem::Rfc822Text(s) => self.key_nstring(b"RFC822.TEXT ", s),
            FetchItem::Body(b) => {
                self.raw(b"BODY ");
                self.body(b)?;
            }
            FetchItem::BodyStructure(b) => {
                self.raw(b"BODYSTRUCTURE ");
                self.body(b)?;
            }
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => {
                self.raw(b"BODY");
                self.section(section)?;
                if let Some(o) = origin {
                    self.buf.push(b'<');
                    self.num(*o);
                    self.buf.push(b'>');
                }
                self.sp();
                self.nstring(data);
            }
            FetchItem::Binary { part, data } => {
                self.raw(b"BINARY");
                self.section_binary(part)?;
                self.sp();
                // "BINARY" section-binary SP (nstring / literal8)
                self.with_literal8(|w| w.nstring(data));
            }
            FetchItem::BinarySize { part, size } => {
                self.raw(b"BINARY.SIZE");
                self.section_binary(part)?;
                self.sp();
                self.num(u64::from(*size));
            }
            FetchItem::Uid(n) => self.key_u32(b"UID ", *n)?,
            FetchItem::ModSeq(n) => {
                self.raw(b"MODSEQ (");
                self.nz(*n);
                self.buf.push(b')');
            }
        }
        Ok(())
    }

    fn key_nstring(&mut self, name: &[u8], s: &Option<IString<'_>>) {
        self.raw(name);
        self.nstring(s);
    }

    pub(crate) fn envelope(&mut self, e: &Envelope<'_>) {
        self.buf.push(b'(');
        self.nstring(&e.date);
        self.sp();
        self.nstring(&e.subject);
        for list in e.lists() {
            self.sp();
            self.addresses(list);
        }
        self.sp();
        self.nstring(&e.in_reply_to);
        self.sp();
        self.nstring(&e.message_id);
        self.buf.push(b')');
    }

    fn addresses(&mut self, list: &[Address<'_>]) {
        if list.is_empty() {
            self.raw(b"NIL");
            return;
        }
        self.buf.push(b'(');
        for a in list {
            self.buf.push(b'(');
            self.nstring(&a.name);
            self.sp();
            self.nstring(&a.adl);
            self.sp();
            self.nstring(&a.mailbox);
            self.sp();
            self.nstring(&a.host);
            self.buf.push(b')');
        }
        self.buf.push(b')');
    }

    pub(crate) fn body(&mut self, b: &BodyStructure<'_>) -> EResult {
        self.enter()?;
        self.buf.push(b'(');
        match b {
            BodyStructure::Multi {
                parts,
                subtype,
                ext,
            } => {
                if parts.is_empty() {
                    return Err(EncodeError::Empty("multipart parts"));
                }
                for p in parts {
                    self.body(p)?;
                }
                self.sp();
                self.string(subtype);
                if let Some(ext) = ext {
                    self.sp();
                    self.params(&ext.params);
                    self.ext_tail(ext.tail.as_ref())?;
                }
            }
            BodyStructure::Single { part, ext } => {
                self.string(&part.media_type);
                self.sp();
                self.string(&part.subtype);
                self.sp();
                self.params(&part.params);
                self.sp();
                self.nstring(&part.id);
                self.sp();
                self.nstring(&part.description);
                self.sp();
                self.string(&part.encoding);
                self.sp();
                self.num(u64::from(part.octets));
                let t = part.media_type.as_bytes();
                let is_text = t.eq_ignore_ascii_case(b"TEXT");
                let is_msg = t.eq_ignore_ascii_case(b"MESSAGE")
                    && (part.subtype.as_bytes().eq_ignore_ascii_case(b"RFC822")
                        || part.subtype.as_bytes().eq_ignore_ascii_case(b"GLOBAL"));
                match &part.specific {
                    Specific::Basic if !is_text && !is_msg => {}
                    Specific::Text { lines } if is_text => {
                        self.sp();
                        self.num(*lines);
                    }
                    Specific::Message {
                        envelope,
                        body,
                        lines,
                    } if is_msg => {
                        self.sp();
                        self.envelope(envelope);
                        self.sp();
                        self.body(body)?;
                        self.sp();
                        self.num(*lines);
                    }
                    _ => {
                        return Err(EncodeError::Invalid(
                            "body fields that do not match the media type",
                        ));
                    }
                }
                if let Some(ext) = ext {
                    self.sp();
                    self.nstring(&ext.md5);
                    self.ext_tail(ext.tail.as_ref())?;
                }
            }
        }
        self.buf.push(b')');
        self.leave();
        Ok(())
    }

    fn params(&mut self, params: &[(IString<'_>, IString<'_>)]) {
        if params.is_empty() {
            self.raw(b"NIL");
            return;
        }
        self.buf.push(b'(');
        for (i, (k, v)) in params.iter().enumerate() {
            if i > 0 {
                self.sp();
            }
            self.string(k);
            self.sp();
            self.string(v);
        }
        self.buf.push(b')');
    }

    fn ext_tail(&mut self, tail: Option<&ExtTail<'_>>) -> EResult {
        let Some(tail) = tail else { return Ok(()) };
        self.sp();
        match &tail.disposition {
            None => self.raw(b"NIL"),
            Some(d) => {
                self.buf.push(b'(');
                self.string(&d.kind);
                self.sp();
                self.params(&d.params);
                self.buf.push(b')');
            }
        }
        let Some(lang) = &tail.language else {
            return Ok(());
        };
        self.sp();
        match &lang.language {
            Language::Single(s) => self.nstring(s),
            Language::List(v) => self.list1("body-fld-lang", v, |w, s| {
                w.string(s);
                Ok(())
            })?,
        }
        let Some(loc) = &lang.location else {
            return Ok(());
        };
        self.sp();
        self.nstring(&loc.location);
        for e in &loc.extensions {
            self.sp();
            self.body_extension(e)?;
        }
        Ok(())
    }

    fn body_extension(&mut self, e: &BodyExtension<'_>) -> EResult {
        self.enter()?;
        match e {
            BodyExtension::NString(s) => self.nstring(s),
            BodyExtension::Number(n) => self.num(*n),
            BodyExtension::List(v) => self.list1("body-extension list", v, Self::body_extension)?,
        }
        self.leave();
        Ok(())
    }
}
