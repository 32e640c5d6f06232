//! Between the wire and the store: mailbox names in the session's mode,
//! flags, dates.

use imap_proto::Mode;
use imap_proto::types::{Atom, DateTime, Flag as WireFlag, Mailbox as WireName};
use mailbox_traits::{Flag, Flags, InternalDate, Keyword, MailboxName};

/// The store's name for a mailbox the client named: modified UTF-7 decoded
/// in IMAP4rev1 (RFC 3501 §5.1.3), UTF-8 after UTF8=ACCEPT and in
/// IMAP4rev2 (RFC 6855 §3); `INBOX` in any case is INBOX (RFC 9051 §5.1).
/// A trailing delimiter is dropped, as CREATE allows it (RFC 9051
/// §6.3.4). `None`: no valid name.
pub(super) fn store_name(name: &WireName<'_>, mode: Mode) -> Option<MailboxName> {
    let text = name.name(mode).ok()?;
    let text = text.strip_suffix(MailboxName::DELIMITER).unwrap_or(&text);
    MailboxName::new(text).ok()
}

/// How a store name is written to the client in `mode`.
pub(super) fn wire_name(name: &MailboxName, mode: Mode) -> WireName<'static> {
    if name.is_inbox() {
        return WireName::inbox();
    }
    WireName::from_name(name.as_str(), mode)
}

/// A message's flags as FETCH and FLAGS write them, in Dovecot's order:
/// `\Answered \Flagged \Deleted \Seen \Draft`, `\Recent` where the
/// session's grammar has it (IMAP4rev1; RFC 9051 dropped it), then the
/// keywords.
pub(super) fn wire_flags(flags: &Flags, recent: bool) -> Vec<WireFlag<'static>> {
    let mut out = Vec::with_capacity(flags.len() + usize::from(recent));
    for (flag, wire) in [
        (Flag::Answered, WireFlag::Answered),
        (Flag::Flagged, WireFlag::Flagged),
        (Flag::Deleted, WireFlag::Deleted),
        (Flag::Seen, WireFlag::Seen),
        (Flag::Draft, WireFlag::Draft),
    ] {
        if flags.contains(&flag) {
            out.push(wire);
        }
    }
    if recent {
        out.push(WireFlag::Recent);
    }
    out.extend(flags.keywords().iter().filter_map(keyword));
    out
}

/// A keyword on the wire. Store keywords are atoms already (RFC 9051 §9
/// `flag-keyword`), so this only fails for a store that breaks its own
/// rules.
pub(super) fn keyword(k: &Keyword) -> Option<WireFlag<'static>> {
    Atom::new(k.as_str().to_owned()).ok().map(WireFlag::Keyword)
}

/// Why a flag from the client cannot be stored.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct InvalidFlag(pub(super) String);

/// The flags a client asked to store or append. `\Recent` is the server's
/// to set (RFC 3501 §2.3.2) and is left out, as Dovecot does; `\*` and
/// unknown `\`-flags cannot be stored.
pub(super) fn store_flags(flags: &[WireFlag<'_>]) -> Result<Flags, InvalidFlag> {
    let mut out = Flags::new();
    for flag in flags {
        let f = match flag {
            WireFlag::Seen => Flag::Seen,
            WireFlag::Answered => Flag::Answered,
            WireFlag::Flagged => Flag::Flagged,
            WireFlag::Deleted => Flag::Deleted,
            WireFlag::Draft => Flag::Draft,
            WireFlag::Recent => continue,
            WireFlag::Keyword(a) => match Keyword::new(a.as_str()) {
                Ok(k) => Flag::Keyword(k),
                Err(_) => return Err(InvalidFlag(a.as_str().to_owned())),
            },
            other => return Err(InvalidFlag(other.name().into_owned())),
        };
        out.insert(f);
    }
    Ok(out)
}

/// An APPEND's date-time as an internal date, its zone kept when the
/// store can keep it (within ±23:59).
pub(super) fn internal_date(date: DateTime) -> InternalDate {
    let unix = date.unix_timestamp();
    InternalDate::new(unix, date.zone_minutes())
        .or_else(|_| InternalDate::from_unix(unix))
        .unwrap_or_else(|_| InternalDate::now())
}

#[cfg(test)]
mod tests {
    use imap_proto::types::{AString, Date};

    use super::*;

    #[test]
    fn names_in_each_mode() {
        let rev1 = WireName::from_wire(AString::from_bytes(&b"Entw&APw-rfe/"[..], Mode::Imap4rev1));
        let name = store_name(&rev1, Mode::Imap4rev1).unwrap();
        assert_eq!(name.as_str(), "Entw\u{fc}rfe");
        assert_eq!(
            wire_name(&name, Mode::Imap4rev1).as_bytes(),
            b"Entw&APw-rfe"
        );
        assert_eq!(
            wire_name(&name, Mode::Imap4rev2).as_bytes(),
            "Entw\u{fc}rfe".as_bytes()
        );
        let inbox = WireName::from_wire(AString::from_bytes(&b"iNbOx"[..], Mode::Imap4rev1));
        assert!(store_name(&inbox, Mode::Imap4rev1).unwrap().is_inbox());
        // Broken modified UTF-7, a wildcard, an empty level: no name.
        for bad in [&b"&Jjo"[..], b"a*", b"a//b", b"/"] {
            let w = WireName::from_wire(AString::from_bytes(bad, Mode::Imap4rev1));
            assert_eq!(store_name(&w, Mode::Imap4rev1), None, "{bad:?}");
        }
    }

    #[test]
    fn flags_both_ways() {
        let wire = [
            WireFlag::Seen,
            WireFlag::Recent,
            WireFlag::keyword("$Forwarded").unwrap(),
            WireFlag::Draft,
        ];
        let flags = store_flags(&wire).unwrap();
        assert_eq!(flags.len(), 3);
        let back: Vec<String> = wire_flags(&flags, true)
            .iter()
            .map(|f| f.name().into_owned())
            .collect();
        assert_eq!(back, ["\\Seen", "\\Draft", "\\Recent", "$Forwarded"]);
        assert_eq!(
            store_flags(&[WireFlag::Wildcard]),
            Err(InvalidFlag("\\*".into()))
        );
    }

    #[test]
    fn dates_keep_their_zone() {
        // RFC 3501 §6.3.11's example date.
        let d = DateTime::new(Date::new(1994, 2, 7).unwrap(), 21, 52, 25, -8 * 60).unwrap();
        let i = internal_date(d);
        assert_eq!(i.offset_minutes(), -480);
        assert_eq!(i.unix_timestamp(), d.unix_timestamp());
        // A zone past what the store keeps: the same instant in UTC.
        let far = DateTime::new(Date::new(1994, 2, 7).unwrap(), 21, 52, 25, 30 * 60).unwrap();
        assert_eq!(internal_date(far).offset_minutes(), 0);
        assert_eq!(internal_date(far).unix_timestamp(), far.unix_timestamp());
    }
}
