//! Mailbox names on the wire (RFC 9051 §5.1, RFC 3501 §5.1.3, RFC 6855 §3).

use std::borrow::Cow;

use super::core::{AString, IntoStatic};
use super::utf7;
use crate::Mode;
use crate::error::ValueError;

/// A mailbox name as written on the wire.
///
/// ```text
/// mailbox         = "INBOX" / astring
///                     ; INBOX is case-insensitive.
/// ```
///
/// What the octets mean depends on the session's [`Mode`]: modified UTF-7
/// in IMAP4rev1 (RFC 3501 §5.1.3), UTF-8 after `ENABLE UTF8=ACCEPT` (RFC 6855
/// §3) and in IMAP4rev2. Build names with [`Mailbox::from_name`] and read them
/// with [`Mailbox::name`], both given the mode.
///
/// Two mailboxes are equal when they name the same mailbox: the same
/// octets, whatever form (atom, quoted, literal) carries them, and `INBOX`
/// in any case (RFC 3501 §5.1, RFC 9051 §5.1). Hashing and ordering agree.
///
/// ```
/// use imap_proto::{Mode, types::{AString, Mailbox}};
/// let a = Mailbox::from_wire(AString::from_bytes(&b"inbox"[..], Mode::Imap4rev1));
/// assert_eq!(a, Mailbox::inbox());
/// assert_ne!(Mailbox::from_name("Sent", Mode::Imap4rev1), Mailbox::from_name("sent", Mode::Imap4rev1));
/// ```
#[derive(Clone, Debug)]
pub struct Mailbox<'a>(AString<'a>);

impl Mailbox<'_> {
    /// What equality, hashing and ordering compare: `INBOX` for any case of it.
    fn key(&self) -> &[u8] {
        if self.is_inbox() {
            b"INBOX"
        } else {
            self.0.as_bytes()
        }
    }
}

impl PartialEq for Mailbox<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Mailbox<'_> {}

impl std::hash::Hash for Mailbox<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for Mailbox<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Mailbox<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(other.key())
    }
}

impl<'a> Mailbox<'a> {
    /// The wire form of a Unicode name in `mode`, written as an atom if it can
    /// be, else quoted, else a literal.
    ///
    /// ```
    /// use imap_proto::{Mode, types::Mailbox};
    /// let rev1 = Mailbox::from_name("Entw\u{fc}rfe", Mode::Imap4rev1);
    /// assert_eq!(rev1.as_bytes(), b"Entw&APw-rfe");
    /// let rev2 = Mailbox::from_name("Entw\u{fc}rfe", Mode::Imap4rev2);
    /// assert_eq!(rev2.as_bytes(), "Entw\u{fc}rfe".as_bytes());
    /// assert_eq!(rev1.name(Mode::Imap4rev1).unwrap(), rev2.name(Mode::Imap4rev2).unwrap());
    /// ```
    pub fn from_name(name: &str, mode: Mode) -> Mailbox<'static> {
        let wire = if mode.utf8() {
            name.to_owned()
        } else {
            utf7::encode(name)
        };
        Mailbox(AString::from_bytes(wire.into_bytes(), mode))
    }

    /// A mailbox from its wire form, as the decoder reads it.
    pub fn from_wire(wire: AString<'a>) -> Self {
        Self(wire)
    }

    /// `INBOX`.
    pub fn inbox() -> Mailbox<'static> {
        Mailbox(AString::from_bytes(&b"INBOX"[..], Mode::Imap4rev1))
    }

    /// The Unicode name in `mode`: modified UTF-7 decoded strictly in
    /// IMAP4rev1, UTF-8 checked otherwise. `INBOX` in any case is `INBOX`.
    pub fn name(&self, mode: Mode) -> Result<Cow<'_, str>, ValueError> {
        if self.is_inbox() {
            return Ok(Cow::Borrowed("INBOX"));
        }
        let bytes = self.0.as_bytes();
        if mode.utf8() {
            std::str::from_utf8(bytes)
                .map(Cow::Borrowed)
                .map_err(|_| ValueError::NotUtf8)
        } else {
            let s = std::str::from_utf8(bytes)
                .map_err(|e| ValueError::ModifiedUtf7(e.valid_up_to()))?;
            if !s.contains('&') && s.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
                return Ok(Cow::Borrowed(s));
            }
            utf7::decode(s).map(Cow::Owned)
        }
    }

    /// Whether this is INBOX, which is case-insensitive.
    pub fn is_inbox(&self) -> bool {
        self.0.as_bytes().eq_ignore_ascii_case(b"INBOX")
    }

    /// The wire form.
    pub fn as_astring(&self) -> &AString<'a> {
        &self.0
    }

    /// The octets of the wire form.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl IntoStatic for Mailbox<'_> {
    type Static = Mailbox<'static>;
    fn into_static(self) -> Mailbox<'static> {
        Mailbox(self.0.into_static())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{AtomExt, IString};

    #[test]
    fn inbox_is_case_insensitive() {
        let m = Mailbox::from_wire(AString::Atom(AtomExt::new("iNbOx").unwrap()));
        assert!(m.is_inbox());
        assert_eq!(m.name(Mode::Imap4rev1).unwrap(), "INBOX");
    }

    #[test]
    fn inbox_equality_ignores_case_and_form() {
        use std::collections::HashSet;
        let forms = [
            Mailbox::from_wire(AString::Atom(AtomExt::new("INBOX").unwrap())),
            Mailbox::from_wire(AString::Atom(AtomExt::new("inbox").unwrap())),
            Mailbox::from_wire(AString::String(IString::Quoted(
                crate::types::Quoted::new(&b"InBoX"[..]).unwrap(),
            ))),
            Mailbox::inbox(),
        ];
        for a in &forms {
            for b in &forms {
                assert_eq!(a, b);
                assert_eq!(a.cmp(b), std::cmp::Ordering::Equal);
            }
        }
        assert_eq!(forms.iter().collect::<HashSet<_>>().len(), 1);
        // Other names keep their case (RFC 3501 §5.1: only INBOX is special).
        let sent = Mailbox::from_name("Sent", Mode::Imap4rev1);
        assert_ne!(sent, Mailbox::from_name("SENT", Mode::Imap4rev1));
        assert_ne!(sent, Mailbox::inbox());
        // The same octets in another form are the same mailbox.
        let quoted = Mailbox::from_wire(AString::String(IString::Quoted(
            crate::types::Quoted::new(&b"Sent"[..]).unwrap(),
        )));
        assert_eq!(sent, quoted);
    }

    #[test]
    fn names_follow_the_mode() {
        let m = Mailbox::from_name("a b&c", Mode::Imap4rev1);
        assert!(matches!(
            m.as_astring(),
            AString::String(IString::Quoted(_))
        ));
        assert_eq!(m.as_bytes(), b"a b&-c");
        let bad = Mailbox::from_wire(AString::from_bytes(&b"&AGE-"[..], Mode::Imap4rev1));
        assert_eq!(bad.name(Mode::Imap4rev1), Err(ValueError::ModifiedUtf7(1)));
        // The same octets are a plain UTF-8 name after UTF8=ACCEPT.
        assert_eq!(bad.name(Mode::Utf8Accept).unwrap(), "&AGE-");
        let raw = Mailbox::from_wire(AString::from_bytes(&b"\xff"[..], Mode::Utf8Accept));
        assert_eq!(raw.name(Mode::Utf8Accept), Err(ValueError::NotUtf8));
    }
}
