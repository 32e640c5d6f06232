//! LIST (RFC 9051 §6.3.9) with LIST-EXTENDED's selection and return
//! options (RFC 5258), LIST-STATUS (RFC 5819) and SPECIAL-USE (RFC 6154),
//! and LSUB (RFC 3501 §6.3.9).
//!
//! Names are matched in the session's wire form (modified UTF-7 in
//! IMAP4rev1, UTF-8 after UTF8=ACCEPT or in IMAP4rev2), `*` matching any
//! run of characters and `%` any run without the delimiter `/`. The
//! reference is put in front of the pattern, as RFC 3501 §6.3.8 describes
//! (`LIST "Work/" "%"`). As Dovecot, a plain LIST names the special-use
//! attributes and `\HasChildren` or `\HasNoChildren` (RFC 6154 §5.1, RFC
//! 5258 §4 let a server send them unasked), and lists INBOX first.

use imap_proto::server::{Completion, Server};
use imap_proto::types::{
    AString, Data, ExtValue, IString, ListItem, ListMailbox, ListPatterns, ListReturn, ListSelect,
    Mailbox as WireName, MailboxAttr, Quoted, StatusAttr, Tag,
};
use mailbox_traits::{Account, Authenticator, MailStore, MailboxInfo, MailboxName, SpecialUse};

use super::convert;
use super::session::{Session, log_refusal, store_failure};

/// A LIST or LSUB, as the client asked.
pub(super) struct Request<'r> {
    pub(super) selection: Option<&'r [ListSelect<'static>]>,
    pub(super) reference: &'r WireName<'static>,
    pub(super) patterns: &'r ListPatterns<'static>,
    pub(super) returns: Option<&'r [ListReturn<'static>]>,
    /// LSUB: subscribed names, as LSUB responses.
    pub(super) lsub: bool,
}

/// One name to list.
struct Entry {
    name: MailboxName,
    exists: bool,
    special_use: Option<SpecialUse>,
    subscribed: bool,
    has_children: bool,
    /// RECURSIVEMATCH: listed for a subscribed descendant (RFC 5258 §3.5).
    child_subscribed: bool,
}

impl<S: MailStore, A: Authenticator> Session<S, A> {
    /// LIST or LSUB.
    pub(super) async fn list(&mut self, m: &mut Server, tag: &Tag<'_>, r: Request<'_>) {
        let mut subscribed_only = r.lsub;
        let (mut recursive, mut special_only) = (false, false);
        for option in r.selection.unwrap_or_default() {
            match option {
                ListSelect::Subscribed => subscribed_only = true,
                ListSelect::RecursiveMatch => recursive = true,
                ListSelect::SpecialUse => special_only = true,
                ListSelect::Remote => {}
                _ => return bad(m, tag, "Unknown LIST selection option."),
            }
        }
        if recursive && !subscribed_only {
            // RFC 5258 §3.1: RECURSIVEMATCH needs another selection option.
            return bad(m, tag, "RECURSIVEMATCH must be combined with SUBSCRIBED.");
        }
        let mut show_subscribed = subscribed_only && !r.lsub;
        let mut status: Option<&[StatusAttr]> = None;
        for option in r.returns.unwrap_or_default() {
            match option {
                ListReturn::Subscribed => show_subscribed = true,
                ListReturn::Children | ListReturn::SpecialUse => {}
                ListReturn::Status(attrs) => status = Some(attrs),
                _ => return bad(m, tag, "Unknown LIST return option."),
            }
        }
        let Some(account) = &self.account else {
            return;
        };
        let mode = m.mode();
        let patterns: Vec<&ListMailbox<'_>> = match r.patterns {
            ListPatterns::Single(p) => vec![p],
            ListPatterns::Multiple(v) => v.iter().collect(),
            _ => Vec::new(),
        };
        // `LIST "" ""`: the delimiter and the root of the reference.
        if let [p] = patterns.as_slice()
            && p.as_bytes().is_empty()
        {
            let root = root_of(r.reference.as_bytes());
            let item = ListItem {
                attrs: vec![MailboxAttr::NOSELECT],
                delimiter: Some(MailboxName::DELIMITER),
                mailbox: WireName::from_wire(AString::from_bytes(root, mode)),
                extended: None,
            };
            let data = if r.lsub {
                Data::Lsub(item)
            } else {
                Data::List(item)
            };
            log_refusal(m.data(tag, &data));
            return log_refusal(m.ok(tag));
        }
        let listed = account.list_mailboxes().await;
        let subscribed = if subscribed_only || show_subscribed {
            account.subscriptions().await
        } else {
            Ok(Vec::new())
        };
        let (mailboxes, subscribed) = match (listed, subscribed) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return log_refusal(m.complete(tag, store_failure(&e))),
        };
        let full: Vec<Vec<u8>> = patterns
            .iter()
            .map(|p| [r.reference.as_bytes(), p.as_bytes()].concat())
            .collect();
        let entries = entries(&mailboxes, &subscribed, subscribed_only, recursive);
        for e in entries {
            let wire = convert::wire_name(&e.name, mode);
            if !full.iter().any(|p| matches(p, wire.as_bytes())) {
                continue;
            }
            if special_only && e.special_use.is_none() {
                continue;
            }
            if subscribed_only && !e.subscribed && !e.child_subscribed {
                continue;
            }
            let item = item(&e, wire, r.lsub, show_subscribed);
            let data = if r.lsub {
                Data::Lsub(item)
            } else {
                Data::List(item)
            };
            log_refusal(m.data(tag, &data));
            if let Some(attrs) = status
                && e.exists
                && let Ok(mailbox) = account.open_mailbox(&e.name).await
                && let Ok(items) = super::manage::status_items(&mailbox, attrs).await
            {
                let data = Data::MailboxStatus {
                    mailbox: convert::wire_name(&e.name, mode),
                    items,
                };
                log_refusal(m.data(tag, &data));
            }
        }
        self.finish(
            m,
            tag,
            Completion::ok(format!(
                "{} completed",
                if r.lsub { "LSUB" } else { "LIST" }
            )),
        )
        .await;
    }
}

fn bad(m: &mut Server, tag: &Tag<'_>, text: &'static str) {
    log_refusal(m.complete(tag, Completion::bad(text)));
}

/// The names to consider: every mailbox, INBOX first; with SUBSCRIBED
/// also subscribed names that do not exist, and with RECURSIVEMATCH the
/// parents of subscribed names.
fn entries(
    mailboxes: &[MailboxInfo],
    subscribed: &[MailboxName],
    subscribed_only: bool,
    recursive: bool,
) -> Vec<Entry> {
    let has_children = |name: &MailboxName| mailboxes.iter().any(|m| m.name.is_descendant_of(name));
    let mut out: Vec<Entry> = mailboxes
        .iter()
        .map(|m| Entry {
            name: m.name.clone(),
            exists: true,
            special_use: m.special_use,
            subscribed: subscribed.contains(&m.name),
            has_children: has_children(&m.name),
            child_subscribed: recursive && subscribed.iter().any(|s| s.is_descendant_of(&m.name)),
        })
        .collect();
    if subscribed_only {
        for s in subscribed {
            if !mailboxes.iter().any(|m| &m.name == s) {
                out.push(Entry {
                    name: s.clone(),
                    exists: false,
                    special_use: None,
                    subscribed: true,
                    has_children: has_children(s),
                    child_subscribed: false,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (!a.name.is_inbox(), a.name.as_str()).cmp(&(!b.name.is_inbox(), b.name.as_str()))
    });
    out
}

/// The LIST (or LSUB) response for an entry.
fn item(
    e: &Entry,
    wire: WireName<'static>,
    lsub: bool,
    show_subscribed: bool,
) -> ListItem<'static> {
    let mut attrs = Vec::new();
    if lsub {
        if !e.exists {
            attrs.push(MailboxAttr::NOSELECT);
        }
    } else {
        if !e.exists {
            // RFC 5258 §3.4: \NonExistent implies \Noselect.
            attrs.push(MailboxAttr::NONEXISTENT);
        }
        if show_subscribed && e.subscribed {
            attrs.push(MailboxAttr::SUBSCRIBED);
        }
        if e.exists || e.has_children {
            attrs.push(if e.has_children {
                MailboxAttr::HAS_CHILDREN
            } else {
                MailboxAttr::HAS_NO_CHILDREN
            });
        }
        if let Some(u) = e.special_use {
            attrs.push(special_use_attr(u));
        }
    }
    // RFC 5258 §3.5's form: `("CHILDINFO" ("SUBSCRIBED"))`.
    let quoted = |s: &'static str| {
        Quoted::new(s.as_bytes())
            .ok()
            .map(|q| AString::String(IString::Quoted(q)))
    };
    let extended = (!lsub && e.child_subscribed && !e.subscribed)
        .then(|| {
            Some(vec![(
                quoted("CHILDINFO")?,
                ExtValue::List(vec![ExtValue::Value(quoted("SUBSCRIBED")?)]),
            )])
        })
        .flatten();
    ListItem {
        attrs,
        delimiter: Some(MailboxName::DELIMITER),
        mailbox: wire,
        extended,
    }
}

/// The attribute of a special use (RFC 6154 §2).
pub(super) fn special_use_attr(u: SpecialUse) -> MailboxAttr<'static> {
    match u {
        SpecialUse::All => MailboxAttr::ALL,
        SpecialUse::Archive => MailboxAttr::ARCHIVE,
        SpecialUse::Drafts => MailboxAttr::DRAFTS,
        SpecialUse::Flagged => MailboxAttr::FLAGGED,
        SpecialUse::Junk => MailboxAttr::JUNK,
        SpecialUse::Sent => MailboxAttr::SENT,
        SpecialUse::Trash => MailboxAttr::TRASH,
    }
}

/// The root of a reference for `LIST ref ""` (RFC 9051 §6.3.9): up to and
/// with its first delimiter, or empty.
fn root_of(reference: &[u8]) -> Vec<u8> {
    match reference.iter().position(|&b| b == b'/') {
        Some(at) => reference[..=at].to_vec(),
        None => Vec::new(),
    }
}

/// Whether `name` (wire form) matches `pattern`: `*` matches anything,
/// `%` anything but the delimiter (RFC 9051 §6.3.9). INBOX matches in any
/// case. Runs in time bounded by the name's length squared: a pattern
/// with more literal octets than the name cannot match.
pub(super) fn matches(pattern: &[u8], name: &[u8]) -> bool {
    let mut p: Vec<u8> = Vec::with_capacity(pattern.len().min(name.len() * 2 + 2));
    let mut literals = 0;
    for &b in pattern {
        let wild = b == b'*' || b == b'%';
        match p.last_mut() {
            // `**`, `*%` and `%*` are `*`; `%%` is `%`.
            Some(last) if wild && (*last == b'*' || *last == b'%') => {
                if b == b'*' {
                    *last = b'*';
                }
            }
            _ => {
                if !wild {
                    literals += 1;
                    if literals > name.len() {
                        return false;
                    }
                }
                p.push(b);
            }
        }
    }
    if name.starts_with(b"INBOX")
        && (name.len() == 5 || name[5] == b'/')
        && p.len() >= 5
        && p[..5].eq_ignore_ascii_case(b"INBOX")
    {
        p[..5].copy_from_slice(b"INBOX");
    }
    // reach[j]: the first i pattern octets match the first j name octets.
    let mut reach = vec![false; name.len() + 1];
    reach[0] = true;
    for &c in &p {
        let mut next = vec![false; name.len() + 1];
        match c {
            b'*' => {
                let mut on = false;
                for j in 0..=name.len() {
                    on |= reach[j];
                    next[j] = on;
                }
            }
            b'%' => {
                let mut on = false;
                for j in 0..=name.len() {
                    if j > 0 && name[j - 1] == b'/' {
                        on = false;
                    }
                    on |= reach[j];
                    next[j] = on;
                }
            }
            lit => {
                for j in 1..=name.len() {
                    next[j] = reach[j - 1] && name[j - 1] == lit;
                }
            }
        }
        reach = next;
        if !reach.iter().any(|&r| r) {
            return false;
        }
    }
    reach[name.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_as_rfc_9051_describes() {
        // RFC 9051 §6.3.9: "%" does not match the delimiter, "*" does.
        assert!(matches(b"*", b"INBOX"));
        assert!(matches(b"*", b"Work/2024/Q1"));
        assert!(matches(b"%", b"Work"));
        assert!(!matches(b"%", b"Work/2024"));
        assert!(matches(b"Work/%", b"Work/2024"));
        assert!(!matches(b"Work/%", b"Work/2024/Q1"));
        assert!(matches(b"Work/*", b"Work/2024/Q1"));
        assert!(matches(b"W%k", b"Work"));
        assert!(!matches(b"W%k", b"Wo/rk"));
        assert!(matches(b"%/%/Q1", b"Work/2024/Q1"));
        assert!(matches(b"inbox", b"INBOX"));
        assert!(matches(b"Inbox/%", b"INBOX/Lists"));
        assert!(!matches(b"inbox", b"Inbox2"));
        assert!(!matches(b"sent", b"Sent"));
        assert!(matches(b"", b"") && !matches(b"", b"a"));
        // A long pattern of stars costs nothing; literals past the name's
        // length fail at once.
        let stars = vec![b'*'; 60_000];
        assert!(matches(&stars, b"Work"));
        let long = vec![b'a'; 60_000];
        assert!(!matches(&long, b"aaaa"));
    }

    #[test]
    fn roots_of_references() {
        assert_eq!(root_of(b""), b"");
        assert_eq!(root_of(b"Work/2024"), b"Work/");
        assert_eq!(root_of(b"Work"), b"");
    }
}
